package casework

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// SignIn is the sign-in policy of local accounts: password rules, which
// roles must use a second factor, and login throttling.
type SignIn struct {
	// PasswordMinLength is the shortest password a local account may get
	// (BIO2 and ASVS 2.1.1: at least 12).
	PasswordMinLength int `json:"password_min_length"`
	// TOTPRoles lists the roles (keys) that must sign in with an
	// authenticator code as well as a password.
	TOTPRoles []string `json:"totp_roles"`
	// Throttle slows password guessing.
	Throttle Throttle `json:"throttle"`
	// TOTPKey, when set (32 bytes, from WERKDIAGNOSE_TOTP_KEY, never from
	// the file), encrypts the TOTP secrets stored from then on with
	// AES-256-GCM; secrets stored before stay readable.
	TOTPKey []byte `json:"-"`
}

// Throttle is the exponential back-off on failed logins. Failures are
// counted per account and client address, per account over every address
// and per address over every account; after the free attempts of a
// count, each next failure doubles the wait, from BaseDelaySeconds up to
// MaxDelaySeconds. A count is forgotten ForgetAfterSeconds after its last
// failure, and the account-and-address count at a successful login.
type Throttle struct {
	FreeAttempts        int `json:"free_attempts"`         // per account and address
	AccountFreeAttempts int `json:"account_free_attempts"` // per account, any address (looser)
	AddressFreeAttempts int `json:"address_free_attempts"` // per address, any account
	BaseDelaySeconds    int `json:"base_delay_seconds"`
	MaxDelaySeconds     int `json:"max_delay_seconds"`
	ForgetAfterSeconds  int `json:"forget_after_seconds"`
}

// DefaultSignIn returns the defaults: 12 characters, TOTP for the
// functioneel beheerder, 5 free attempts per account and address.
func DefaultSignIn() SignIn {
	return SignIn{
		PasswordMinLength: MinPasswordLength,
		TOTPRoles:         []string{string(process.RoleBeheerder)},
		Throttle: Throttle{FreeAttempts: 5, AccountFreeAttempts: 50, AddressFreeAttempts: 30,
			BaseDelaySeconds: 2, MaxDelaySeconds: 15 * 60, ForgetAfterSeconds: 24 * 60 * 60},
	}
}

// Validate reports the first problem of the policy.
func (s SignIn) Validate() error {
	if s.PasswordMinLength < 8 {
		return fmt.Errorf("sign_in.password_min_length %d: at least 8", s.PasswordMinLength)
	}
	for _, r := range s.TOTPRoles {
		if _, ok := process.ParseRole(r); !ok {
			return fmt.Errorf("sign_in.totp_roles: unknown role %q", r)
		}
	}
	if n := len(s.TOTPKey); n != 0 && n != 32 {
		return fmt.Errorf("sign_in: the TOTP key has %d bytes, want 32 (base64 of 32 random bytes)", n)
	}
	t := s.Throttle
	if t.FreeAttempts < 1 || t.AccountFreeAttempts < t.FreeAttempts || t.AddressFreeAttempts < 1 {
		return fmt.Errorf("sign_in.throttle: free_attempts must be at least 1, account_free_attempts at least free_attempts, address_free_attempts at least 1")
	}
	if t.BaseDelaySeconds < 1 || t.MaxDelaySeconds < t.BaseDelaySeconds || t.ForgetAfterSeconds < t.MaxDelaySeconds {
		return fmt.Errorf("sign_in.throttle: need 1 <= base_delay_seconds <= max_delay_seconds <= forget_after_seconds")
	}
	return nil
}

// needsTOTP reports whether one of roles must use a second factor.
func (s SignIn) needsTOTP(roles process.Roles) bool {
	for _, r := range roles {
		for _, k := range s.TOTPRoles {
			if string(r) == k {
				return true
			}
		}
	}
	return false
}

//go:embed breached/top100k.txt.gz
var breachedGz []byte

var breached = sync.OnceValue(func() map[string]struct{} {
	zr, err := gzip.NewReader(bytes.NewReader(breachedGz))
	if err != nil {
		panic("casework: breached-password list: " + err.Error())
	}
	set := make(map[string]struct{}, 100_000)
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		set[sc.Text()] = struct{}{}
	}
	if err := sc.Err(); err != nil {
		panic("casework: breached-password list: " + err.Error())
	}
	return set
})

// Breached reports whether pw is on the shipped list of common passwords
// (case is ignored).
func Breached(pw string) bool {
	_, ok := breached()[strings.ToLower(pw)]
	return ok
}

// PasswordProblem returns the Dutch reason pw may not be the password of
// username, or "" when it may: long enough, not on the breached-password
// list, not the username.
func (s SignIn) PasswordProblem(username, pw string) string {
	min := s.PasswordMinLength
	if min == 0 {
		min = MinPasswordLength
	}
	switch {
	case utf8.RuneCountInString(pw) < min:
		return fmt.Sprintf("Kies een wachtwoord van minimaal %d tekens.", min)
	case username != "" && strings.EqualFold(strings.TrimSpace(pw), strings.TrimSpace(username)):
		return "Kies een wachtwoord dat niet gelijk is aan de gebruikersnaam."
	case Breached(pw):
		return "Dit wachtwoord komt voor in een lijst van veelgebruikte of gelekte wachtwoorden. Kies een ander wachtwoord, bijvoorbeeld een zin van een paar woorden."
	}
	return ""
}

// loginThrottle keeps the failure counts of Throttle in memory. It slows
// guessing on one instance; behind several instances each keeps its own
// counts (documented in docs/security.md).
type loginThrottle struct {
	mu      sync.Mutex
	entries map[string]*throttleEntry
}

type throttleEntry struct {
	fails int
	last  time.Time // last failure
	until time.Time // no attempt before this time
}

// throttleKeys are the three counts one attempt touches.
func throttleKeys(account, address string) (pair, acct, addr string) {
	return "p\x00" + account + "\x00" + address, "u\x00" + account, "a\x00" + address
}

// wait returns how long an attempt for account from address must still
// wait (0: it may go ahead).
func (l *loginThrottle) wait(cfg Throttle, account, address string, now time.Time) time.Duration {
	pair, acct, addr := throttleKeys(account, address)
	return l.waitOn(cfg, now, pair, acct, addr)
}

// fail counts a failed attempt on each of the three counts.
func (l *loginThrottle) fail(cfg Throttle, account, address string, now time.Time) {
	pair, acct, addr := throttleKeys(account, address)
	l.failOn(cfg, now, map[string]int{pair: cfg.FreeAttempts, acct: cfg.AccountFreeAttempts, addr: cfg.AddressFreeAttempts})
}

// waitOn is the longest wait of the counts keys.
func (l *loginThrottle) waitOn(cfg Throttle, now time.Time, keys ...string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var longest time.Duration
	for _, k := range keys {
		e := l.entries[k]
		if e == nil {
			continue
		}
		if now.Sub(e.last) >= time.Duration(cfg.ForgetAfterSeconds)*time.Second {
			delete(l.entries, k)
			continue
		}
		if d := e.until.Sub(now); d > longest {
			longest = d
		}
	}
	return longest
}

// failOn counts a failure on each key, with its free attempts.
func (l *loginThrottle) failOn(cfg Throttle, now time.Time, keys map[string]int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.entries == nil {
		l.entries = map[string]*throttleEntry{}
	}
	forget := time.Duration(cfg.ForgetAfterSeconds) * time.Second
	if len(l.entries) > 50_000 {
		for k, e := range l.entries {
			if now.Sub(e.last) >= forget {
				delete(l.entries, k)
			}
		}
	}
	for k, free := range keys {
		e := l.entries[k]
		if e == nil || now.Sub(e.last) >= forget {
			e = &throttleEntry{}
			l.entries[k] = e
		}
		e.fails++
		e.last = now
		if over := e.fails - free + 1; over > 0 {
			e.until = now.Add(backoff(cfg, over))
		}
	}
}

// backoff is the wait after the failure that used the last free attempt
// (over 1) and each one after it.
func backoff(cfg Throttle, over int) time.Duration {
	max := time.Duration(cfg.MaxDelaySeconds) * time.Second
	f := float64(cfg.BaseDelaySeconds) * math.Pow(2, float64(over-1))
	if f >= max.Seconds() {
		return max
	}
	return time.Duration(f * float64(time.Second))
}

// succeed forgets the failures of account from address: the user who
// knows the password is not held up by their own earlier typos. The
// per-account and per-address counts decay on their own.
func (l *loginThrottle) succeed(account, address string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	pair, _, _ := throttleKeys(account, address)
	delete(l.entries, pair)
}

// TooMany is the refusal of an attempt that came too soon after failures.
// Its message speaks of logging in; the API says it in its own words.
func TooMany(wait time.Duration) *Error {
	secs := int(math.Ceil(wait.Seconds()))
	if secs < 1 {
		secs = 1
	}
	when := fmt.Sprintf("%d seconden", secs)
	switch {
	case secs == 1:
		when = "1 seconde"
	case secs >= 120:
		when = fmt.Sprintf("%d minuten", (secs+59)/60)
	}
	return &Error{Code: CodeTooMany, RetryAfter: time.Duration(secs) * time.Second,
		Message: "Er is te vaak geprobeerd in te loggen. Wacht " + when + " en probeer het dan opnieuw."}
}
