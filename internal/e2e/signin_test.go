package e2e

import (
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// TestTOTPEnrolmentInBrowser: a new functioneel beheerder logs in, must
// link an authenticator app first (secret shown as text and QR code),
// confirms it with a code computed from the secret on the page, sees the
// recovery codes once, is logged in, and finds the setting; the next
// login asks the code. Axe checks every page on the way.
func TestTOTPEnrolmentInBrowser(t *testing.T) {
	h := newHarness(t)
	if _, err := h.env.Svc.CreateUser(t.Context(), nil, casework.NewUser{Username: "ineke", Name: "Ineke Beheer", Email: "ineke@example.org",
		Roles: []string{string(process.RoleBeheerder)}, Password: casetest.Password}); err != nil {
		t.Fatal(err)
	}
	u := h.newUser("ineke")
	u.visit("/login")
	u.fillLabel("Gebruikersnaam", "ineke")
	u.fillLabel("Wachtwoord", casetest.Password)
	u.submit("Inloggen")
	if p := u.path(); p != "/login/authenticator" {
		u.fatalf("after the password: at %s, want /login/authenticator", p)
	}
	u.contains("main", "Authenticator-app koppelen", "Uw rol vraagt om inloggen met een tweede stap")
	if n := u.count("img.wd-qr"); n != 1 {
		u.fatalf("no QR code")
	}
	if s := u.value("totp-sleutel"); len(s) != 32 {
		u.fatalf("secret shown: %q", s)
	}
	u.fillLabel("Code", "000000")
	if st := u.submit("Koppelen"); st != 422 {
		u.fatalf("wrong code: status %d", st)
	}
	secret := u.value("totp-sleutel")
	u.fillLabel("Code", codeAt(t, secret, h))
	if st := u.submit("Koppelen"); st != 200 {
		u.fatalf("confirm: status %d", st)
	}
	u.contains("main", "Uw herstelcodes", "Ze worden maar één keer getoond")
	if n := u.count(".wd-recovery-codes code"); n != 10 {
		u.fatalf("%d recovery codes", n)
	}
	u.follow("Ik heb de codes bewaard, ga verder")
	u.visitOK("/instellingen/authenticator")
	u.contains("main", "nog 10 ongebruikte herstelcode", "u kunt die niet uitzetten")

	// The next login asks the code after the password.
	v := h.newUser("ineke-2")
	v.visit("/login")
	v.fillLabel("Gebruikersnaam", "ineke")
	v.fillLabel("Wachtwoord", casetest.Password)
	v.submit("Inloggen")
	if p := v.path(); p != "/login/code" {
		v.fatalf("second login: at %s", p)
	}
	h.env.Clock.Add(30 * time.Second)
	v.fillLabel("Code", codeAt(t, secret, h))
	v.submit("Inloggen")
	v.contains("main", "U bent ingelogd als Ineke Beheer")
}

func codeAt(t *testing.T, secret string, h *harness) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, h.env.Clock.Now(), totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
