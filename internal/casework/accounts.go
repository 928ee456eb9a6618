package casework

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// argon2id parameters (RFC 9106 second recommendation, lowered memory).
const (
	argonTime    = 2
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
)

// MinPasswordLength is the minimum password length (BIO2 5.17.03).
const MinPasswordLength = 12

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(pw string) string {
	salt := []byte(randomHex(8))
	return phc(salt, argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen))
}

// phc writes an argon2id hash with this package's parameters in the PHC
// string format.
func phc(salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// CheckPassword reports whether pw matches an argon2id PHC hash.
func CheckPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	key, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1
}

// dummyHash keeps login time equal for unknown users: checking a password
// against it costs what checking a real hash costs. Its key is random
// bytes, not the hash of any password, so nothing matches it, and building
// it costs nothing at start (hashing would take 64 MB and 170 ms).
var dummyHash = phc([]byte(randomHex(8)), []byte(randomHex(argonKeyLen/2)))

// Accounts signs users in and keeps accounts and API tokens.
type Accounts struct {
	*core
	store  Transactor[AccountTx]
	logins loginThrottle // failed logins
	tokens loginThrottle // failed API tokens, per address
}

// AccountTx is what the account use cases read and write.
type AccountTx interface {
	UserTx
	TokenTx
	EventTx
}

// Authenticate checks a username and password, tried from a client
// address. An unknown user takes as long as a known one (a dummy hash is
// checked) and gets the same message; failures are throttled (see
// Throttle): while an account and address must wait, the answer is
// CodeTooMany with RetryAfter, without checking the password.
func (s *Accounts) Authenticate(ctx context.Context, username, password, address string) (_ User, err error) {
	defer wrap(&err, "Authenticate()")
	fail := &Error{Code: CodeUnauthorized, Message: "De gebruikersnaam of het wachtwoord klopt niet."}
	name := strings.ToLower(strings.TrimSpace(username))
	cfg := s.cfg.SignIn.Throttle
	now := s.clock.Now()
	if wait := s.logins.wait(cfg, name, address, now); wait > 0 {
		s.log.WarnContext(ctx, "login throttled", "retry_after_s", int(wait.Seconds()))
		return User{}, TooMany(wait)
	}
	u, err := read(ctx, s.store, func(tx AccountTx) (User, error) { return tx.UserByUsername(ctx, name) })
	if errors.Is(err, ErrNotFound) {
		CheckPassword(dummyHash, password)
		s.logins.fail(cfg, name, address, now)
		return User{}, fail
	}
	if err != nil {
		return User{}, err
	}
	if u.PasswordHash == "" {
		CheckPassword(dummyHash, password) // an SSO or system account: no password
	}
	if !CheckPassword(u.PasswordHash, password) || !u.Active || u.System {
		s.logins.fail(cfg, name, address, now)
		s.log.InfoContext(ctx, "login failed", "user_id", u.ID)
		return User{}, fail
	}
	s.logins.succeed(name, address)
	return u, nil
}

// UserByID returns an active user, for sessions.
func (s *Accounts) UserByID(ctx context.Context, id int64) (_ User, err error) {
	defer wrap(&err, "UserByID(id=%d)", id)
	u, err := read(ctx, s.store, func(tx AccountTx) (User, error) { return tx.UserByID(ctx, id) })
	if err != nil {
		return User{}, notFoundAs(err, "De gebruiker")
	}
	if !u.Active {
		return User{}, &Error{Code: CodeUnauthorized, Message: "Dit account is niet actief."}
	}
	return u, nil
}

var usernameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,39}$`)

// NewUser is the input of CreateUser.
type NewUser struct {
	Username string
	Name     string
	Email    string
	Roles    []string
	Password string
	// PasswordHash, when set, is used instead of hashing Password: the demo
	// loader and tests hash one password once for many accounts.
	PasswordHash string
	System       bool
	// TOTPSecret, only from the command line (nil actor), gives the account
	// a known authenticator secret: the demo's functioneel beheerder.
	TOTPSecret string
}

// CreateUser adds an account. A nil actor is the command line (bootstrap).
func (s *Accounts) CreateUser(ctx context.Context, a *Actor, in NewUser) (_ User, err error) {
	defer wrap(&err, "CreateUser()")
	if a != nil {
		if err := Authorize(*a, process.ActManageAccounts, process.RelNone); err != nil {
			return User{}, err
		}
	}
	errs := Fields{}
	in.Username = strings.ToLower(strings.TrimSpace(in.Username))
	if !usernameRe.MatchString(in.Username) {
		errs.Add(process.FieldUsername, "Gebruik 2 tot 40 kleine letters, cijfers, punten of streepjes.")
	}
	if strings.TrimSpace(in.Name) == "" {
		errs.Add(process.FieldName, "Vul de naam in.")
	}
	// The form's limits and characters, as decode checks them for every
	// other form: accounts are also made from the command line.
	form := process.UserForm()
	for name, value := range map[string]string{process.FieldName: strings.TrimSpace(in.Name),
		process.FieldEmail: strings.TrimSpace(in.Email), process.FieldPassword: in.Password} {
		f, _ := form.Field(name)
		if n := utf8.RuneCountInString(value); n > f.Limit() {
			errs.Add(name, tooLongMessage(f.Limit(), n))
		} else if msg := textProblem(f, value); msg != "" {
			errs.Add(name, msg)
		}
	}
	if !validEmail(strings.TrimSpace(in.Email)) {
		errs.Add(process.FieldEmail, "Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")
	}
	var roles process.Roles
	for _, r := range in.Roles {
		role, ok := process.ParseRole(r)
		if !ok {
			errs.Add(process.FieldRoles, "Onbekende rol: "+r+".")
			continue
		}
		if process.IsSystemRole(role) != in.System {
			errs.Add(process.FieldRoles, systemRoleMessage(in.System))
			continue
		}
		roles = append(roles, role)
	}
	if len(roles) == 0 {
		errs.Add(process.FieldRoles, "Kies ten minste één rol.")
	}
	if !in.System && in.PasswordHash == "" {
		if msg := s.cfg.SignIn.PasswordProblem(in.Username, in.Password); msg != "" {
			errs.Add(process.FieldPassword, msg)
		}
	}
	if in.TOTPSecret != "" && (a != nil || !ValidTOTPSecret(in.TOTPSecret)) {
		return User{}, Invalid("Een authenticator-sleutel kan alleen bij het aanmaken vanaf de opdrachtregel worden meegegeven, als 32 tekens base32.")
	}
	if err := errs.Err(); err != nil {
		return User{}, err
	}
	sealed, err := s.cfg.SignIn.seal(in.TOTPSecret)
	if err != nil {
		return User{}, err
	}
	u := User{TOTPSecret: sealed, Username: in.Username, Name: strings.TrimSpace(in.Name), Email: strings.TrimSpace(in.Email), Roles: roles,
		Active: true, System: in.System, CreatedAt: s.clock.Now().UTC()}
	switch {
	case in.PasswordHash != "":
		u.PasswordHash = in.PasswordHash
	case in.Password != "":
		u.PasswordHash = HashPassword(in.Password)
	}
	err = s.store.Update(ctx, func(tx AccountTx) error {
		if err := tx.CreateUser(ctx, &u); err != nil {
			return err
		}
		actor := Actor{User: User{Name: "opdrachtregel"}}
		if a != nil {
			actor = *a
		}
		return s.event(ctx, tx, actor, 0, 0, 0, "account", fmt.Sprintf("Account %s aangemaakt met rollen: %s.", u.Username, u.RoleNames()), "")
	})
	var dup ErrDuplicate
	if errors.As(err, &dup) {
		return User{}, &Error{Code: CodeConflict, Message: "Deze gebruikersnaam bestaat al.", Fields: Fields{process.FieldUsername: "Deze gebruikersnaam bestaat al."}}
	}
	return u, err
}

// SetUserActive (de)activates an account.
func (s *Accounts) SetUserActive(ctx context.Context, a Actor, id int64, active bool) (err error) {
	defer wrap(&err, "SetUserActive(id=%d)", id)
	if err := Authorize(a, process.ActManageAccounts, process.RelNone); err != nil {
		return err
	}
	if id == a.User.ID && !active {
		return Conflict("U kunt uw eigen account niet uitschakelen.")
	}
	return s.store.Update(ctx, func(tx AccountTx) error {
		u, err := tx.UserByID(ctx, id)
		if err != nil {
			return notFoundAs(err, "De gebruiker")
		}
		u.Active = active
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		state := "uitgeschakeld"
		if active {
			state = "ingeschakeld"
		}
		return s.event(ctx, tx, a, 0, 0, 0, "account", fmt.Sprintf("Account %s %s.", u.Username, state), "")
	})
}

// Users lists all accounts.
func (s *Accounts) Users(ctx context.Context, a Actor) (_ []User, err error) {
	defer wrap(&err, "Users()")
	if err := Authorize(a, process.ActSeeAccounts, process.RelNone); err != nil {
		return nil, err
	}
	out, err := read(ctx, s.store, func(tx AccountTx) ([]User, error) { return tx.ListUsers(ctx) })
	return out, err
}

// tokenPrefix marks werkdiagnose API tokens so secret scanners recognise them.
const tokenPrefix = "wdt_"

func hashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// IssueToken creates an API token acting as the given user and returns its
// secret, which is shown once and stored only as a hash.
func (s *Accounts) IssueToken(ctx context.Context, a Actor, userID int64, name string) (_ string, err error) {
	defer wrap(&err, "IssueToken(userID=%d)", userID)
	if err := Authorize(a, process.ActManageTokens, process.RelNone); err != nil {
		return "", err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return "", &Error{Code: CodeInvalid, Message: "Geef de sleutel een naam.", Fields: Fields{process.FieldName: "Geef de sleutel een naam, bijvoorbeeld: e-formulieren."}}
	}
	if f, _ := process.TokenForm(nil).Field(process.FieldName); utf8.RuneCountInString(name) > f.Limit() || textProblem(f, name) != "" {
		msg := textProblem(f, name)
		if msg == "" {
			msg = tooLongMessage(f.Limit(), utf8.RuneCountInString(name))
		}
		return "", &Error{Code: CodeInvalid, Message: msg, Fields: Fields{process.FieldName: msg}}
	}
	secret := tokenPrefix + randomHex(24)
	err = s.store.Update(ctx, func(tx AccountTx) error {
		u, err := tx.UserByID(ctx, userID)
		if err != nil {
			return &Error{Code: CodeInvalid, Message: "Kies een bestaande gebruiker.", Fields: Fields{process.FieldTokenUser: "Kies een bestaande gebruiker."}}
		}
		t := APIToken{UserID: u.ID, Name: name, Prefix: secret[:len(tokenPrefix)+6], Hash: hashToken(secret), CreatedBy: a.User.ID, CreatedAt: s.clock.Now().UTC()}
		if err := tx.CreateToken(ctx, &t); err != nil {
			return err
		}
		return s.event(ctx, tx, a, 0, 0, 0, "api_sleutel", fmt.Sprintf("API-sleutel %q (%s…) uitgegeven voor %s.", name, t.Prefix, u.Username), "")
	})
	return secret, err
}

// RevokeToken revokes an API token.
func (s *Accounts) RevokeToken(ctx context.Context, a Actor, id int64) (err error) {
	defer wrap(&err, "RevokeToken(id=%d)", id)
	if err := Authorize(a, process.ActManageTokens, process.RelNone); err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx AccountTx) error {
		if err := tx.RevokeToken(ctx, id, s.clock.Now().UTC()); err != nil {
			return notFoundAs(err, "De API-sleutel")
		}
		return s.event(ctx, tx, a, 0, 0, 0, "api_sleutel", fmt.Sprintf("API-sleutel %d ingetrokken.", id), "")
	})
}

// Tokens lists API tokens.
func (s *Accounts) Tokens(ctx context.Context, a Actor) (_ []APIToken, err error) {
	defer wrap(&err, "Tokens()")
	if err := Authorize(a, process.ActManageTokens, process.RelNone); err != nil {
		return nil, err
	}
	out, err := read(ctx, s.store, func(tx AccountTx) ([]APIToken, error) { return tx.ListTokens(ctx) })
	return out, err
}

// TokenUser returns the user an API token acts as, tried from a client
// address. Unknown tokens count as failures of that address (see
// Throttle: free AddressFreeAttempts, then the back-off), so one address
// cannot try tokens without end.
func (s *Accounts) TokenUser(ctx context.Context, secret, address string) (_ User, err error) {
	defer wrap(&err, "TokenUser()")
	fail := &Error{Code: CodeUnauthorized, Message: "Ongeldige of ingetrokken API-sleutel."}
	cfg := s.cfg.SignIn.Throttle
	now := s.clock.Now()
	key := "t\x00" + address
	if wait := s.tokens.waitOn(cfg, now, key); wait > 0 {
		return User{}, TooMany(wait)
	}
	defer func() {
		if ErrorCode(err) == CodeUnauthorized {
			s.tokens.failOn(cfg, now, map[string]int{key: cfg.AddressFreeAttempts})
		}
	}()
	if !strings.HasPrefix(secret, tokenPrefix) {
		return User{}, fail
	}
	var u User
	var t APIToken
	err = s.store.View(ctx, func(tx AccountTx) error {
		if t, err = tx.TokenByHash(ctx, hashToken(secret)); err != nil {
			return err
		}
		if !t.RevokedAt.IsZero() {
			return fail
		}
		if u, err = tx.UserByID(ctx, t.UserID); err != nil {
			return err
		}
		if !u.Active {
			return fail
		}
		return nil
	})
	if errors.Is(err, ErrNotFound) {
		return User{}, fail
	}
	if err != nil {
		return User{}, err
	}
	// The last use is written at most once a TokenTouchInterval: a
	// request, a GET included, would otherwise be a write transaction.
	if now := s.clock.Now().UTC(); now.Sub(t.LastUsedAt) >= TokenTouchInterval {
		if err := s.store.Update(ctx, func(tx AccountTx) error { return tx.TouchToken(ctx, t.ID, now) }); err != nil {
			return User{}, err
		}
	}
	return u, nil
}

// TokenTouchInterval is how stale an API token's recorded last use may be:
// TokenUser writes it when it is at least this old.
const TokenTouchInterval = time.Minute

// UserByUsername returns an account by its username.
func (s *Accounts) UserByUsername(ctx context.Context, username string) (_ User, err error) {
	defer wrap(&err, "UserByUsername()")
	u, err := read(ctx, s.store, func(tx AccountTx) (User, error) {
		return tx.UserByUsername(ctx, strings.ToLower(strings.TrimSpace(username)))
	})
	return u, notFoundAs(err, "De gebruiker")
}

// SetDailyDigest turns the actor's daily worklist digest on or off.
func (s *Accounts) SetDailyDigest(ctx context.Context, a Actor, on bool) (err error) {
	defer wrap(&err, "SetDailyDigest()")
	if err := Authorize(a, process.ActDailyDigest, process.RelNone); err != nil {
		return err
	}
	if on && a.User.Email == "" {
		return &Error{Code: CodeInvalid, Message: "Er is geen e-mailadres bij uw account bekend. Vraag de functioneel beheerder het toe te voegen."}
	}
	return s.store.Update(ctx, func(tx AccountTx) error { return tx.SetDailyDigest(ctx, a.User.ID, on) })
}

// systemRoleMessage refuses a person a system account's role, or a system
// account a person's.
func systemRoleMessage(system bool) string {
	if system {
		return "Een systeemaccount krijgt alleen de rol van een systeem (E-formulierensysteem)."
	}
	return "De rol E-formulierensysteem is alleen voor een systeemaccount."
}
