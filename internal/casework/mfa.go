package casework

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// TOTP of local accounts (RFC 6238): 30-second steps, 6 digits, HMAC-SHA1,
// which every authenticator app reads. A code is accepted one step early
// or late (clock drift) and only once: the store keeps the last step used.
const (
	totpPeriod        = 30
	totpSkew          = 1
	recoveryCodeCount = 10
)

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// TOTPKey is a new authenticator secret: Secret (base32) to type in, URL
// (otpauth://) for the QR code.
type TOTPKey struct {
	Secret string
	URL    string
}

// TOTPIssuer names the system in authenticator apps.
const TOTPIssuer = "Werkdiagnose"

// NeedsTOTP reports whether one of the user's roles must use a second
// factor. Accounts that sign in by SSO get theirs from the identity
// provider; system accounts use API tokens only.
func (s *Accounts) NeedsTOTP(u User) bool {
	return u.SSOSubject == "" && !u.System && s.cfg.SignIn.needsTOTP(u.Roles)
}

// NewTOTP makes a new secret for u; it is stored only by ConfirmTOTP.
func (s *Accounts) NewTOTP(u User) (TOTPKey, error) {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: TOTPIssuer, AccountName: u.Username, Period: totpPeriod,
		SecretSize: 20, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return TOTPKey{}, fmt.Errorf("NewTOTP(): %w", err)
	}
	return TOTPKey{Secret: k.Secret(), URL: k.URL()}, nil
}

// TOTPURL is the otpauth:// URL of an existing secret (for the demo).
func TOTPURL(username, secret string) string {
	return fmt.Sprintf("otpauth://totp/%s:%s?algorithm=SHA1&digits=6&issuer=%s&period=30&secret=%s",
		TOTPIssuer, username, TOTPIssuer, secret)
}

// ValidTOTPSecret reports whether s has the form of a secret NewTOTP makes
// (base32 of 20 bytes).
func ValidTOTPSecret(s string) bool { return totpSecretRe.MatchString(s) }

var totpSecretRe = regexp.MustCompile(`^[A-Z2-7]{32}$`)

// Sealing of stored TOTP secrets with SignIn.TOTPKey: "v1:" and the
// base64 of nonce and AES-256-GCM ciphertext. Without a key secrets are
// stored as they are; a sealed one without the key cannot be read.
const sealedPrefix = "v1:"

var totpAAD = []byte("werkdiagnose-totp-secret")

func (p SignIn) seal(secret string) (string, error) {
	if len(p.TOTPKey) == 0 {
		return secret, nil
	}
	gcm, err := totpGCM(p.TOTPKey)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(gcm.Seal(nonce, nonce, []byte(secret), totpAAD)), nil
}

func (p SignIn) open(stored string) (string, error) {
	rest, sealed := strings.CutPrefix(stored, sealedPrefix)
	if !sealed {
		return stored, nil
	}
	if len(p.TOTPKey) == 0 {
		return "", errors.New("the TOTP secret is encrypted, but no key is configured (WERKDIAGNOSE_TOTP_KEY)")
	}
	gcm, err := totpGCM(p.TOTPKey)
	if err != nil {
		return "", err
	}
	raw, err := base64.RawStdEncoding.DecodeString(rest)
	if err != nil || len(raw) < gcm.NonceSize() {
		return "", errors.New("the TOTP secret is damaged")
	}
	plain, err := gcm.Open(nil, raw[:gcm.NonceSize()], raw[gcm.NonceSize():], totpAAD)
	if err != nil {
		return "", errors.New("the TOTP secret does not open with the configured key")
	}
	return string(plain), nil
}

func totpGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// totpStep returns the time step whose code is code, within the allowed
// drift, or false.
func totpStep(secret, code string, now time.Time) (int64, bool) {
	code = strings.TrimSpace(code)
	if len(code) != 6 {
		return 0, false
	}
	cur := now.Unix() / totpPeriod
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		step := cur + d
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0).UTC(), totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// codeProblem is the field message of a wrong code.
const codeProblem = "De code klopt niet. Typ de 6 cijfers die uw authenticator-app nu toont, of een herstelcode."

// ConfirmTOTP stores secret as the user's authenticator once code shows
// the app has it, replacing any earlier one with its recovery codes. It
// returns the new recovery codes, which are stored hashed and shown once.
func (s *Accounts) ConfirmTOTP(ctx context.Context, userID int64, secret, code string) (_ []string, err error) {
	defer wrap(&err, "ConfirmTOTP(userID=%d)", userID)
	if !ValidTOTPSecret(secret) {
		return nil, Invalid("De koppeling is verlopen. Scan de nieuwe QR-code en probeer het opnieuw.")
	}
	step, ok := totpStep(secret, code, s.clock.Now())
	if !ok {
		msg := "De code klopt niet. Typ de 6 cijfers die de app nu toont; is de tijd om, neem dan de volgende."
		return nil, &Error{Code: CodeInvalid, Message: msg, Fields: Fields{process.FieldTOTPCode: msg}}
	}
	codes := make([]string, recoveryCodeCount)
	hashes := make([]string, recoveryCodeCount)
	for i := range codes {
		codes[i] = newRecoveryCode()
		hashes[i] = hashRecoveryCode(codes[i])
	}
	stored, err := s.cfg.SignIn.seal(secret)
	if err != nil {
		return nil, err
	}
	err = s.store.Update(ctx, func(tx AccountTx) error {
		u, err := tx.UserByID(ctx, userID)
		if err != nil {
			return notFoundAs(err, "De gebruiker")
		}
		if err := tx.SetTOTP(ctx, userID, stored, hashes); err != nil {
			return err
		}
		if _, err := tx.UseTOTPStep(ctx, userID, step); err != nil {
			return err
		}
		return s.event(ctx, tx, Actor{User: u}, 0, 0, 0, "account", fmt.Sprintf("Authenticator-app gekoppeld aan account %s.", u.Username), "")
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// VerifySecondFactor checks the second step of a login: a code of the
// user's authenticator (each time step once) or one of their recovery
// codes (each once). Wrong codes count as failed logins of the account
// from address (see Throttle).
func (s *Accounts) VerifySecondFactor(ctx context.Context, userID int64, code, address string) (_ User, err error) {
	defer wrap(&err, "VerifySecondFactor(userID=%d)", userID)
	u, err := read(ctx, s.store, func(tx AccountTx) (User, error) { return tx.UserByID(ctx, userID) })
	if err != nil {
		return User{}, notFoundAs(err, "De gebruiker")
	}
	if !u.Active || !u.HasTOTP() {
		return User{}, &Error{Code: CodeUnauthorized, Message: "Log opnieuw in."}
	}
	cfg := s.cfg.SignIn.Throttle
	now := s.clock.Now()
	if wait := s.logins.wait(cfg, u.Username, address, now); wait > 0 {
		return User{}, TooMany(wait)
	}
	secret, err := s.cfg.SignIn.open(u.TOTPSecret)
	if err != nil {
		// A configuration problem, not the user's: say so in Dutch, log the cause.
		s.log.ErrorContext(ctx, "TOTP secret unreadable", "user_id", u.ID, "error", err.Error())
		return User{}, &Error{Code: CodeConflict, Err: err,
			Message: "Uw code kan nu niet worden gecontroleerd door een instelling van het systeem. Neem contact op met de functioneel beheerder; die kan uw authenticator-app resetten."}
	}
	var ok bool
	code = strings.TrimSpace(code)
	if step, match := totpStep(secret, code, now); match {
		if ok, err = useStep(ctx, s.store, u.ID, step); err != nil {
			return User{}, err
		}
	} else if rc := normalRecoveryCode(code); rc != "" {
		err = s.store.Update(ctx, func(tx AccountTx) error {
			if ok, err = tx.UseRecoveryCode(ctx, u.ID, hashRecoveryCode(rc), now.UTC()); err != nil || !ok {
				return err
			}
			return s.event(ctx, tx, Actor{User: u}, 0, 0, 0, "account", fmt.Sprintf("Herstelcode gebruikt om in te loggen op account %s.", u.Username), "")
		})
		if err != nil {
			return User{}, err
		}
	}
	if !ok {
		s.logins.fail(cfg, u.Username, address, now)
		s.log.InfoContext(ctx, "second factor failed", "user_id", u.ID)
		return User{}, &Error{Code: CodeInvalid, Message: codeProblem, Fields: Fields{process.FieldTOTPCode: codeProblem}}
	}
	s.logins.succeed(u.Username, address)
	return u, nil
}

func useStep(ctx context.Context, st Transactor[AccountTx], userID, step int64) (ok bool, err error) {
	err = st.Update(ctx, func(tx AccountTx) error {
		ok, err = tx.UseTOTPStep(ctx, userID, step)
		return err
	})
	return ok, err
}

// DisableTOTP removes the actor's authenticator and recovery codes, when
// their roles do not require one.
func (s *Accounts) DisableTOTP(ctx context.Context, a Actor) (err error) {
	defer wrap(&err, "DisableTOTP()")
	if s.NeedsTOTP(a.User) {
		return Conflict("Uw rol vraagt om inloggen met een authenticator-app; u kunt die niet uitzetten. U kunt wel een nieuwe app koppelen.")
	}
	return s.store.Update(ctx, func(tx AccountTx) error {
		if err := tx.SetTOTP(ctx, a.User.ID, "", nil); err != nil {
			return err
		}
		return s.event(ctx, tx, a, 0, 0, 0, "account", fmt.Sprintf("Authenticator-app ontkoppeld van account %s.", a.User.Username), "")
	})
}

// ResetTOTP removes another user's authenticator and recovery codes, for
// a colleague who lost both their phone and their codes; a functioneel
// beheerder does it (ActManageAccounts). When their role needs TOTP they
// link a new app at their next login. The reset is written to history.
func (s *Accounts) ResetTOTP(ctx context.Context, a Actor, userID int64) (err error) {
	defer wrap(&err, "ResetTOTP(userID=%d)", userID)
	if err := Authorize(a, process.ActManageAccounts, process.RelNone); err != nil {
		return err
	}
	if userID == a.User.ID {
		return Conflict("Uw eigen authenticator-app koppelt u opnieuw via 'Authenticator-app' bovenaan de pagina.")
	}
	return s.store.Update(ctx, func(tx AccountTx) error {
		u, err := tx.UserByID(ctx, userID)
		if err != nil {
			return notFoundAs(err, "De gebruiker")
		}
		if !u.HasTOTP() {
			return Conflict("Dit account heeft geen authenticator-app gekoppeld.")
		}
		if err := tx.SetTOTP(ctx, userID, "", nil); err != nil {
			return err
		}
		return s.event(ctx, tx, a, 0, 0, 0, "account", fmt.Sprintf("Authenticator-app van account %s gereset door de functioneel beheerder.", u.Username), "")
	})
}

// RecoveryCodesLeft counts the actor's unused recovery codes.
func (s *Accounts) RecoveryCodesLeft(ctx context.Context, a Actor) (_ int, err error) {
	defer wrap(&err, "RecoveryCodesLeft()")
	return read(ctx, s.store, func(tx AccountTx) (int, error) { return tx.RecoveryCodesLeft(ctx, a.User.ID) })
}

// Recovery codes: ten characters from an alphabet without look-alikes
// (about 50 bits each), shown as two groups of five.
const recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

var recoveryRe = regexp.MustCompile(`^[a-z0-9]{10}$`)

func newRecoveryCode() string {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	out := make([]byte, 0, 11)
	for i, c := range b {
		if i == 5 {
			out = append(out, '-')
		}
		out = append(out, recoveryAlphabet[int(c)%len(recoveryAlphabet)])
	}
	return string(out)
}

// normalRecoveryCode returns code in lower case without dashes and spaces
// when it has the form of a recovery code, else "".
func normalRecoveryCode(code string) string {
	c := strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(code))
	if !recoveryRe.MatchString(c) {
		return ""
	}
	return c
}

// hashRecoveryCode is SHA-256: the codes are random (about 50 bits), so a
// slow hash adds little, and the login throttle limits guessing.
func hashRecoveryCode(code string) string {
	sum := sha256.Sum256([]byte("werkdiagnose-herstelcode:" + normalRecoveryCode(code)))
	return hex.EncodeToString(sum[:])
}

// SSOIdentity is who the identity provider says signed in: the subject
// (the stable key), names for display, and the roles its claims map to.
type SSOIdentity struct {
	Subject  string
	Username string // preferred_username or e-mail, for display and the account name
	Name     string
	Email    string
	Roles    process.Roles
}

// SignInSSO returns the account of an OpenID Connect identity, matched by
// subject. The first sign-in provisions it; every sign-in sets its roles
// (and name and e-mail) to what the provider says now. An identity without
// any mapped role is refused, and so is a deactivated account.
func (s *Accounts) SignInSSO(ctx context.Context, id SSOIdentity) (_ User, err error) {
	defer wrap(&err, "SignInSSO()")
	if id.Subject == "" {
		return User{}, &Error{Code: CodeUnauthorized, Message: "De aanmelding bij de identiteitsprovider gaf geen gebruiker."}
	}
	if len(id.Roles) == 0 {
		return User{}, &Error{Code: CodeForbidden, Message: "U bent aangemeld bij uw organisatie, maar uw account heeft geen rol in Werkdiagnose. Vraag de functioneel beheerder of uw applicatiebeheerder om u een rol te geven."}
	}
	name := strings.TrimSpace(id.Name)
	if name == "" {
		name = id.Username
	}
	email := strings.TrimSpace(id.Email)
	if !validEmail(email) {
		email = ""
	}
	var u User
	err = s.store.Update(ctx, func(tx AccountTx) error {
		var err error
		u, err = tx.UserBySSOSubject(ctx, id.Subject)
		switch {
		case errors.Is(err, ErrNotFound):
			u = User{Username: s.ssoUsername(ctx, tx, id), Name: name, Email: email, Roles: id.Roles, Active: true,
				SSOSubject: id.Subject, CreatedAt: s.clock.Now().UTC()}
			if err := tx.CreateUser(ctx, &u); err != nil {
				return err
			}
			return s.event(ctx, tx, Actor{User: u}, 0, 0, 0, "account", fmt.Sprintf("Account %s aangemaakt bij de eerste aanmelding via de identiteitsprovider, met rollen: %s.", u.Username, u.RoleNames()), "")
		case err != nil:
			return err
		}
		if !u.Active {
			return &Error{Code: CodeForbidden, Message: "Dit account is uitgeschakeld in Werkdiagnose. Neem contact op met de functioneel beheerder."}
		}
		before := u.RoleNames()
		u.Name, u.Email, u.Roles = name, email, id.Roles
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		if after := u.RoleNames(); after != before {
			return s.event(ctx, tx, Actor{User: u}, 0, 0, 0, "account", fmt.Sprintf("Rollen van account %s bijgewerkt volgens de identiteitsprovider: %s.", u.Username, after), "")
		}
		return nil
	})
	return u, err
}

// ssoUsername picks the account name of a new SSO account: the provider's
// username in the system's form, or with a suffix from the subject when
// that is taken (a local account is never taken over by name).
func (s *Accounts) ssoUsername(ctx context.Context, tx AccountTx, id SSOIdentity) string {
	base := strings.ToLower(strings.TrimSpace(id.Username))
	if i := strings.IndexByte(base, '@'); i > 0 {
		base = base[:i]
	}
	base = strings.Map(func(r rune) rune {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '.' || r == '_' || r == '-' {
			return r
		}
		return '-'
	}, base)
	if len(base) > 30 {
		base = base[:30]
	}
	sum := sha256.Sum256([]byte(id.Subject))
	for _, cand := range []string{base, base + "-" + hex.EncodeToString(sum[:3]), "sso-" + hex.EncodeToString(sum[:6])} {
		if !usernameRe.MatchString(cand) {
			continue
		}
		if _, err := tx.UserByUsername(ctx, cand); errors.Is(err, ErrNotFound) {
			return cand
		}
	}
	return "sso-" + hex.EncodeToString(sum[:10])
}
