package casework_test

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/ics"
	"github.com/bar-organisatie/werkdiagnose/internal/letters"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// TestLoginThrottle: after the free attempts each failure of an account
// from one address doubles the wait (429 with RetryAfter, the password is
// not even checked); the right password from another address is not held
// up; an unknown user gets the same answers as a known one.
func TestLoginThrottle(t *testing.T) {
	e := casetest.New(t, "sqlite")
	cfg := casework.DefaultSignIn().Throttle
	attacker, user := "203.0.113.7", "192.0.2.10"
	for _, name := range []string{"pieter", "niemand-bekend"} {
		for i := range cfg.FreeAttempts {
			_, err := e.Svc.Authenticate(ctx, name, "fout-wachtwoord", attacker)
			if casework.ErrorCode(err) != casework.CodeUnauthorized || casework.ErrorMessage(err) != "De gebruikersnaam of het wachtwoord klopt niet." {
				t.Fatalf("%s attempt %d: %v", name, i, err)
			}
		}
		// The free attempts are used: the next one must wait the base delay.
		_, err := e.Svc.Authenticate(ctx, name, casetest.Password, attacker)
		var ce *casework.Error
		if casework.ErrorCode(err) != casework.CodeTooMany || !asError(err, &ce) || ce.RetryAfter != time.Duration(cfg.BaseDelaySeconds)*time.Second {
			t.Fatalf("%s: attempt during the back-off: %v", name, err)
		}
		if !strings.Contains(casework.ErrorMessage(err), "Wacht 2 seconden") {
			t.Errorf("message = %q", casework.ErrorMessage(err))
		}
	}
	// The real user, from their own address, is not blocked.
	if u, err := e.Svc.Authenticate(ctx, "pieter", casetest.Password, user); err != nil || u.Username != "pieter" {
		t.Fatalf("right password from another address: %v", err)
	}
	// The attacker's waits double: 2 s, 4 s, 8 s…
	for _, want := range []int{2, 4, 8, 16} {
		e.Clock.Add(time.Duration(want/2) * time.Second * 2)
		if _, err := e.Svc.Authenticate(ctx, "pieter", "nog-steeds-fout", attacker); casework.ErrorCode(err) != casework.CodeUnauthorized {
			t.Fatalf("after waiting: %v", err)
		}
		_, err := e.Svc.Authenticate(ctx, "pieter", "nog-steeds-fout", attacker)
		var ce *casework.Error
		if !asError(err, &ce) || ce.Code != casework.CodeTooMany || ce.RetryAfter != time.Duration(2*want)*time.Second {
			t.Fatalf("wait after failure = %v, want %ds", err, 2*want)
		}
	}
	// The cap holds, and a long quiet period forgets everything.
	e.Clock.Add(time.Duration(cfg.ForgetAfterSeconds) * time.Second)
	if _, err := e.Svc.Authenticate(ctx, "pieter", casetest.Password, attacker); err != nil {
		t.Fatalf("after the forget period: %v", err)
	}
}

// TestThrottleCaps: the per-account cap (over every address) and the
// per-address cap (over every account) also back off, and the wait never
// exceeds MaxDelaySeconds.
func TestThrottleCaps(t *testing.T) {
	cfg := casework.DefaultConfig()
	cfg.SignIn.Throttle = casework.Throttle{FreeAttempts: 2, AccountFreeAttempts: 4, AddressFreeAttempts: 6,
		BaseDelaySeconds: 10, MaxDelaySeconds: 30, ForgetAfterSeconds: 3600}
	e := casetest.NewWithConfig(t, "sqlite", cfg)
	// Two addresses fail twice each on one account: the account count
	// (4) backs off for every address, doubling up to the cap.
	for _, addr := range []string{"a", "b"} {
		for range 2 {
			if _, err := e.Svc.Authenticate(ctx, "pieter", "fout", addr); casework.ErrorCode(err) != casework.CodeUnauthorized {
				t.Fatalf("%s: %v", addr, err)
			}
		}
	}
	var ce *casework.Error
	if _, err := e.Svc.Authenticate(ctx, "pieter", casetest.Password, "e"); !asError(err, &ce) || ce.Code != casework.CodeTooMany || ce.RetryAfter != 10*time.Second {
		t.Fatalf("account cap: %v", err)
	}
	for _, step := range []struct {
		addr string
		wait time.Duration
	}{{"c", 10 * time.Second}, {"d", 20 * time.Second}} {
		e.Clock.Add(step.wait)
		if _, err := e.Svc.Authenticate(ctx, "pieter", "fout", step.addr); casework.ErrorCode(err) != casework.CodeUnauthorized {
			t.Fatalf("%s: %v", step.addr, err)
		}
	}
	if _, err := e.Svc.Authenticate(ctx, "pieter", casetest.Password, "e"); !asError(err, &ce) || ce.RetryAfter != 30*time.Second {
		t.Fatalf("capped wait: %v", err)
	}
	// One address trying many accounts.
	for i, name := range []string{"fatima", "karin", "ahmed", "x1", "x2", "x3"} {
		if _, err := e.Svc.Authenticate(ctx, name, "fout", "z"); casework.ErrorCode(err) != casework.CodeUnauthorized {
			t.Fatalf("%d: %v", i, err)
		}
	}
	if _, err := e.Svc.Authenticate(ctx, "y", "fout", "z"); casework.ErrorCode(err) != casework.CodeTooMany {
		t.Fatalf("address cap: %v", err)
	}
}

// TestPasswordRules: at least 12 characters, not on the breached list, not
// the username; the demo password passes.
func TestPasswordRules(t *testing.T) {
	p := casework.DefaultSignIn()
	for pw, want := range map[string]string{
		"kort":                   "minimaal 12 tekens",
		"password1234":           "veelgebruikte of gelekte",
		"AbcDefGhiJkl":           "veelgebruikte of gelekte",
		"marieke.jansen":         "niet gelijk is aan de gebruikersnaam",
		"werkdiagnose-demo":      "",
		"een zin van vier woord": "",
	} {
		got := p.PasswordProblem("marieke.jansen", pw)
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("PasswordProblem(%q) = %q, want %q", pw, got, want)
		}
	}
	if !casework.Breached("123456") || casework.Breached("werkdiagnose-demo") {
		t.Error("breached list")
	}
	e := casetest.New(t, "sqlite")
	admin := casework.Actor{User: e.Users[process.RoleBeheerder]}
	_, err := e.Svc.CreateUser(ctx, &admin, casework.NewUser{Username: "nieuw", Name: "Nieuw", Email: "nieuw@example.org",
		Roles: []string{"km_werk"}, Password: "Administrator"})
	if !strings.Contains(casework.FieldErrors(err)[process.FieldPassword], "gelekte") {
		t.Errorf("breached password accepted: %v", err)
	}
}

// TestTOTP runs enrolment and the second step of a login on both engines:
// the code is computed with pquerna/otp at the test clock's time; a code
// is accepted once (a replay in the same step is refused); each recovery
// code works once; wrong codes count towards the throttle.
func TestTOTP(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) { testTOTP(t, engine) })
	}
}

func code(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func testTOTP(t *testing.T, engine string) {
	e := casetest.New(t, engine)
	// A new functioneel beheerder (the demo's has a known secret already).
	admin, err := e.Svc.CreateUser(ctx, nil, casework.NewUser{Username: "beheer2", Name: "Tweede Beheerder", Email: "beheer2@example.org",
		Roles: []string{string(process.RoleBeheerder)}, Password: "een lange zin als wachtwoord"})
	if err != nil {
		t.Fatal(err)
	}
	km := e.Users[process.RoleKMWerk]
	if !e.Svc.NeedsTOTP(admin) || e.Svc.NeedsTOTP(km) {
		t.Fatal("NeedsTOTP: the functioneel beheerder must, a klantmanager need not")
	}
	if admin.HasTOTP() || !e.Users[process.RoleBeheerder].HasTOTP() {
		t.Fatal("only the demo beheerder starts with an authenticator")
	}
	key, err := e.Svc.NewTOTP(admin)
	if err != nil || len(key.Secret) != 32 || !strings.HasPrefix(key.URL, "otpauth://totp/Werkdiagnose:") {
		t.Fatalf("NewTOTP = %+v, %v", key, err)
	}
	if _, err := e.Svc.ConfirmTOTP(ctx, admin.ID, key.Secret, "000000"); casework.FieldErrors(err)[process.FieldTOTPCode] == "" {
		t.Fatalf("wrong first code accepted: %v", err)
	}
	now := e.Clock.Now()
	codes, err := e.Svc.ConfirmTOTP(ctx, admin.ID, key.Secret, code(t, key.Secret, now))
	if err != nil || len(codes) != 10 {
		t.Fatalf("confirm: %d codes, %v", len(codes), err)
	}
	// The confirming code itself is used: the same step again is a replay.
	if _, err := e.Svc.VerifySecondFactor(ctx, admin.ID, code(t, key.Secret, now), "x"); casework.ErrorCode(err) != casework.CodeInvalid {
		t.Fatalf("replayed enrolment code: %v", err)
	}
	e.Clock.Add(30 * time.Second)
	c := code(t, key.Secret, e.Clock.Now())
	if u, err := e.Svc.VerifySecondFactor(ctx, admin.ID, c, "x"); err != nil || u.ID != admin.ID {
		t.Fatalf("next step's code: %v", err)
	}
	if _, err := e.Svc.VerifySecondFactor(ctx, admin.ID, c, "x"); casework.ErrorCode(err) != casework.CodeInvalid {
		t.Fatalf("replay in the same step: %v", err)
	}
	// A code one step late still works (clock drift), if that step is unused.
	e.Clock.Add(60 * time.Second)
	if _, err := e.Svc.VerifySecondFactor(ctx, admin.ID, code(t, key.Secret, e.Clock.Now().Add(-30*time.Second)), "x"); err != nil {
		t.Fatalf("one step late: %v", err)
	}
	// A code from two steps ago is refused.
	if _, err := e.Svc.VerifySecondFactor(ctx, admin.ID, code(t, key.Secret, e.Clock.Now().Add(-90*time.Second)), "x"); casework.ErrorCode(err) != casework.CodeInvalid {
		t.Fatalf("old code: %v", err)
	}
	// Recovery codes: once each, in any case and with or without the dash.
	if _, err := e.Svc.VerifySecondFactor(ctx, admin.ID, strings.ToUpper(codes[3]), "x"); err != nil {
		t.Fatalf("recovery code: %v", err)
	}
	if _, err := e.Svc.VerifySecondFactor(ctx, admin.ID, strings.ReplaceAll(codes[3], "-", ""), "x"); casework.ErrorCode(err) != casework.CodeInvalid {
		t.Fatalf("recovery code used twice: %v", err)
	}
	if n, err := e.Svc.RecoveryCodesLeft(ctx, casework.Actor{User: admin}); err != nil || n != 9 {
		t.Fatalf("codes left = %d, %v", n, err)
	}
	// The beheerder cannot switch TOTP off; a klantmanager can.
	u, _ := e.Svc.UserByID(ctx, admin.ID)
	if !u.HasTOTP() {
		t.Fatal("secret not stored")
	}
	if err := e.Svc.DisableTOTP(ctx, casework.Actor{User: u}); casework.ErrorCode(err) != casework.CodeConflict {
		t.Fatalf("beheerder disables TOTP: %v", err)
	}
	kk, _ := e.Svc.NewTOTP(km)
	if _, err := e.Svc.ConfirmTOTP(ctx, km.ID, kk.Secret, code(t, kk.Secret, e.Clock.Now())); err != nil {
		t.Fatal(err)
	}
	km, _ = e.Svc.UserByID(ctx, km.ID)
	if err := e.Svc.DisableTOTP(ctx, casework.Actor{User: km}); err != nil {
		t.Fatal(err)
	}
	if km, _ = e.Svc.UserByID(ctx, km.ID); km.HasTOTP() {
		t.Fatal("TOTP still on")
	}
	// Wrong codes are throttled like wrong passwords.
	for range casework.DefaultSignIn().Throttle.FreeAttempts {
		if _, err := e.Svc.VerifySecondFactor(ctx, admin.ID, "123456", "y"); casework.ErrorCode(err) != casework.CodeInvalid {
			t.Fatalf("wrong code: %v", err)
		}
	}
	if _, err := e.Svc.VerifySecondFactor(ctx, admin.ID, "123456", "y"); casework.ErrorCode(err) != casework.CodeTooMany {
		t.Fatalf("wrong codes not throttled: %v", err)
	}
}

// TestSignInSSO: the first sign-in provisions an account with the mapped
// roles, the next ones refresh them; no role is refused; a local account's
// name is never taken over.
func TestSignInSSO(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			e := casetest.New(t, engine)
			id := casework.SSOIdentity{Subject: "sub-123", Username: "pieter@gemeente.example", Name: "Pieter Ext", Email: "pieter@gemeente.example",
				Roles: process.Roles{process.RoleKMWerk}}
			u, err := e.Svc.SignInSSO(ctx, id)
			if err != nil || u.Username == "pieter" || u.SSOSubject != "sub-123" || u.PasswordHash != "" || !u.Roles.Has(process.RoleKMWerk) {
				t.Fatalf("provisioned %+v, %v", u, err)
			}
			id.Roles = process.Roles{process.RoleTeamleider}
			u2, err := e.Svc.SignInSSO(ctx, id)
			if err != nil || u2.ID != u.ID || u2.Roles.Has(process.RoleKMWerk) || !u2.Roles.Has(process.RoleTeamleider) {
				t.Fatalf("refreshed %+v, %v", u2, err)
			}
			id.Roles = nil
			if _, err := e.Svc.SignInSSO(ctx, id); casework.ErrorCode(err) != casework.CodeForbidden {
				t.Fatalf("no roles: %v", err)
			}
			// The SSO account has no password to log in with.
			if _, err := e.Svc.Authenticate(ctx, u.Username, "", "x"); casework.ErrorCode(err) != casework.CodeUnauthorized {
				t.Fatalf("password login of an SSO account: %v", err)
			}
		})
	}
}

// TestTOTPSecretEncrypted: with a TOTP key configured the stored secret
// is sealed (not the base32 secret), logins with codes still work, and a
// service without the key cannot use it (a Dutch refusal, no login).
func TestTOTPSecretEncrypted(t *testing.T) {
	cfg := casework.DefaultConfig()
	cfg.SignIn.TOTPKey = []byte("0123456789abcdef0123456789abcdef")
	e := casetest.NewWithConfig(t, "sqlite", cfg)
	km := e.Users[process.RoleKMWerk]
	key, _ := e.Svc.NewTOTP(km)
	if _, err := e.Svc.ConfirmTOTP(ctx, km.ID, key.Secret, code(t, key.Secret, e.Clock.Now())); err != nil {
		t.Fatal(err)
	}
	var stored string
	if err := e.DB.SQL().QueryRowContext(ctx, `SELECT totp_secret FROM users WHERE id = ?`, km.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stored, "v1:") || strings.Contains(stored, key.Secret) {
		t.Fatalf("stored secret %q", stored)
	}
	e.Clock.Add(30 * time.Second)
	if _, err := e.Svc.VerifySecondFactor(ctx, km.ID, code(t, key.Secret, e.Clock.Now()), "x"); err != nil {
		t.Fatalf("code with the key: %v", err)
	}
	// The demo beheerder's seeded secret is sealed as well.
	if err := e.DB.SQL().QueryRowContext(ctx, `SELECT totp_secret FROM users WHERE username = 'bram'`).Scan(&stored); err != nil || !strings.HasPrefix(stored, "v1:") {
		t.Fatalf("seeded secret %q, %v", stored, err)
	}
	// The same database, served without the key: no login with the code.
	def, err := process.NewDefinition(process.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	nokey, err := casework.NewService(ctx, casework.Deps{Store: e.DB, Clock: e.Clock, Invitations: ics.Invitations{}, Letters: letters.MustNew(),
		Log: slog.New(slog.DiscardHandler)}, def, casework.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	e.Clock.Add(30 * time.Second)
	if _, err := nokey.VerifySecondFactor(ctx, km.ID, code(t, key.Secret, e.Clock.Now()), "x"); casework.ErrorCode(err) != casework.CodeConflict {
		t.Fatalf("code without the key: %v", err)
	}
	other := casework.DefaultSignIn()
	other.TOTPKey = []byte("kort")
	if err := other.Validate(); err == nil {
		t.Error("a short key accepted")
	}
}
