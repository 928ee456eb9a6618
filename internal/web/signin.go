package web

import (
	"bytes"
	"encoding/base64"
	"html/template"
	"image/png"
	"net/http"
	"net/url"
	"time"

	"github.com/pquerna/otp"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/origin"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// The two steps of a local login. After the password the session holds
// the user only as "pending" (not logged in) until the second step: the
// authenticator code, or, for a role that needs one and has none yet,
// the enrolment of an authenticator app. A pending login expires.
const (
	pendingUserKey = "aanmelding_gebruiker"
	pendingAtKey   = "aanmelding_tijd"
	pendingBackKey = "aanmelding_terug"
	pendingFor     = 5 * time.Minute
	fieldSecret    = "geheim" // the hidden field of an enrolment form with its new secret
)

// afterPassword goes on from a correct password: the second step when the
// account has or needs an authenticator, else logged in.
func (s *server) afterPassword(w http.ResponseWriter, r *http.Request, u casework.User, back string) error {
	if !u.HasTOTP() && !s.Accounts.NeedsTOTP(u) {
		return s.completeLogin(w, r, u, back)
	}
	ctx := r.Context()
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Remove(ctx, sessionUserKey)
	s.sessions.Put(ctx, pendingUserKey, u.ID)
	s.sessions.Put(ctx, pendingAtKey, time.Now().Unix())
	s.sessions.Put(ctx, pendingBackKey, localPath(back))
	if u.HasTOTP() {
		http.Redirect(w, r, "/login/code", http.StatusSeeOther)
	} else {
		http.Redirect(w, r, "/login/authenticator", http.StatusSeeOther)
	}
	return nil
}

// completeLogin renews the session token (against session fixation) and
// stores the user in the session.
func (s *server) completeLogin(w http.ResponseWriter, r *http.Request, u casework.User, back string) error {
	s.loginSession(r, u)
	to := localPath(back)
	if to == "" {
		to = "/"
	}
	return s.redirect(w, r, to, "ok", "U bent ingelogd als "+u.Name+".")
}

func (s *server) loginSession(r *http.Request, u casework.User) {
	ctx := r.Context()
	if err := s.sessions.RenewToken(ctx); err != nil {
		s.log.ErrorContext(ctx, "renew session token", "error", err.Error())
	}
	for _, k := range []string{pendingUserKey, pendingAtKey, pendingBackKey} {
		s.sessions.Remove(ctx, k)
	}
	s.sessions.Put(ctx, sessionUserKey, u.ID)
	info(r).userID = u.ID
	s.log.InfoContext(ctx, "login", "user_id", u.ID)
}

// pendingUser returns the user between password and second step, or an
// unauthorized error (to the login page) when there is none or it expired.
func (s *server) pendingUser(r *http.Request) (casework.User, error) {
	ctx := r.Context()
	id := s.sessions.GetInt64(ctx, pendingUserKey)
	at := s.sessions.GetInt64(ctx, pendingAtKey)
	if id == 0 || time.Since(time.Unix(at, 0)) > pendingFor {
		return casework.User{}, &casework.Error{Code: casework.CodeUnauthorized, Message: "Log opnieuw in."}
	}
	return s.Accounts.UserByID(ctx, id)
}

// ---- Second step: the code.

func (s *server) renderCodeStep(w http.ResponseWriter, r *http.Request, status int, err error) error {
	p := FormPage{Layout: s.base(r, "Code van uw authenticator-app"), Heading: "Code van uw authenticator-app",
		Intro: []string{"Uw wachtwoord klopt. Open de authenticator-app op uw telefoon en typ de code die bij Werkdiagnose staat."},
		Form:  buildForm(formSpec{form: process.TOTPCodeForm(true), values: url.Values{}, action: "/login/code", submit: "Inloggen", cancel: "/login"}, err),
		Back:  "/login", BackText: "Opnieuw beginnen met inloggen"}
	return s.render(w, r, status, "form", &p)
}

func (s *server) codeForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.pendingUser(r); err != nil {
		return err
	}
	return s.renderCodeStep(w, r, http.StatusOK, nil)
}

func (s *server) codeCheck(w http.ResponseWriter, r *http.Request) error {
	vals, err := formValues(w, r)
	if err != nil {
		return err
	}
	u, err := s.pendingUser(r)
	if err != nil {
		return err
	}
	u, err = s.Accounts.VerifySecondFactor(r.Context(), u.ID, vals.Get(process.FieldTOTPCode), origin.From(r).Client())
	if err != nil {
		return withForm(err, func(status int, err error) error { return s.renderCodeStep(w, r, status, err) })
	}
	return s.completeLogin(w, r, u, s.sessions.GetString(r.Context(), pendingBackKey))
}

// ---- Enrolment of an authenticator app.

// TOTPSetupPage shows a new secret as text and as a QR code, with the
// form to confirm it with a first code.
type TOTPSetupPage struct {
	Layout
	Heading string
	Intro   string
	Secret  string
	QR      template.URL // data:image/png;base64,…
	Form    FormView
	Back    string
}

// RecoveryCodesPage shows the recovery codes once.
type RecoveryCodesPage struct {
	Layout
	Codes []string
	Next  string
}

func qrDataURI(key casework.TOTPKey) (template.URL, error) {
	k, err := otp.NewKeyFromURL(key.URL)
	if err != nil {
		return "", err
	}
	img, err := k.Image(220, 220)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", err
	}
	// A data: URI of a PNG we made ourselves; CSP allows img-src data:.
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())), nil
}

// renderSetup shows the enrolment of u at action; the secret is made anew
// unless the refused form posted one back.
func (s *server) renderSetup(w http.ResponseWriter, r *http.Request, status int, u casework.User, action, secret string, err error) error {
	key := casework.TOTPKey{Secret: secret, URL: casework.TOTPURL(u.Username, secret)}
	if secret == "" || !casework.ValidTOTPSecret(secret) {
		var gerr error
		if key, gerr = s.Accounts.NewTOTP(u); gerr != nil {
			return gerr
		}
	}
	qr, qerr := qrDataURI(key)
	if qerr != nil {
		return qerr
	}
	p := TOTPSetupPage{Layout: s.base(r, "Authenticator-app koppelen"), Secret: key.Secret, QR: qr,
		Heading: "Authenticator-app koppelen",
		Form: buildForm(formSpec{form: process.TOTPCodeForm(false), values: url.Values{}, action: action, submit: "Koppelen",
			hidden: []Hidden{{Name: fieldSecret, Value: key.Secret}}}, err)}
	if action == "/login/authenticator" {
		p.Intro = "Uw rol vraagt om inloggen met een tweede stap: een code uit een authenticator-app op uw telefoon. Koppel nu een app; daarna logt u in met uw wachtwoord en de code die de app toont."
		p.Back = "/login"
	} else {
		p.Intro = "Met een authenticator-app logt u in met uw wachtwoord en een code die de app op uw telefoon toont. Zo kan niemand inloggen met alleen uw wachtwoord."
		p.Back = "/instellingen/authenticator"
	}
	return s.render(w, r, status, "totp_setup", &p)
}

func (s *server) enrolForm(w http.ResponseWriter, r *http.Request) error {
	u, err := s.pendingUser(r)
	if err != nil {
		return err
	}
	return s.renderSetup(w, r, http.StatusOK, u, "/login/authenticator", "", nil)
}

func (s *server) enrolConfirm(w http.ResponseWriter, r *http.Request) error {
	vals, err := formValues(w, r)
	if err != nil {
		return err
	}
	u, err := s.pendingUser(r)
	if err != nil {
		return err
	}
	secret := vals.Get(fieldSecret)
	codes, err := s.Accounts.ConfirmTOTP(r.Context(), u.ID, secret, vals.Get(process.FieldTOTPCode))
	if err != nil {
		return withForm(err, func(status int, err error) error {
			return s.renderSetup(w, r, status, u, "/login/authenticator", secret, err)
		})
	}
	next := localPath(s.sessions.GetString(r.Context(), pendingBackKey))
	if next == "" {
		next = "/"
	}
	s.loginSession(r, u)
	return s.renderRecoveryCodes(w, r, codes, next)
}

func (s *server) renderRecoveryCodes(w http.ResponseWriter, r *http.Request, codes []string, next string) error {
	p := RecoveryCodesPage{Layout: s.base(r, "Uw herstelcodes"), Codes: codes, Next: next}
	return s.render(w, r, http.StatusOK, "recovery_codes", &p)
}

// ---- The user's own settings.

// MFASettingsPage is "Inloggen met authenticator-app" of the user's
// settings.
type MFASettingsPage struct {
	Layout
	Enabled  bool
	Required bool
	CodeLeft int
	SSO      bool
}

func (s *server) mfaSettings(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	p := MFASettingsPage{Layout: s.base(r, "Inloggen met authenticator-app"), Enabled: a.User.HasTOTP(),
		Required: s.Accounts.NeedsTOTP(a.User), SSO: a.User.SSOSubject != ""}
	if p.Enabled {
		n, err := s.Accounts.RecoveryCodesLeft(r.Context(), a)
		if err != nil {
			return err
		}
		p.CodeLeft = n
	}
	return s.render(w, r, http.StatusOK, "mfa_settings", &p)
}

func (s *server) mfaSetupForm(w http.ResponseWriter, r *http.Request) error {
	if actor(r).User.SSOSubject != "" {
		return casework.Conflict("U logt in via uw organisatie; de tweede stap regelt uw organisatie.")
	}
	return s.renderSetup(w, r, http.StatusOK, actor(r).User, "/instellingen/authenticator/koppelen", "", nil)
}

func (s *server) mfaSetup(w http.ResponseWriter, r *http.Request) error {
	vals, err := formValues(w, r)
	if err != nil {
		return err
	}
	u := actor(r).User
	if u.SSOSubject != "" {
		return casework.Conflict("U logt in via uw organisatie; de tweede stap regelt uw organisatie.")
	}
	secret := vals.Get(fieldSecret)
	codes, err := s.Accounts.ConfirmTOTP(r.Context(), u.ID, secret, vals.Get(process.FieldTOTPCode))
	if err != nil {
		return withForm(err, func(status int, err error) error {
			return s.renderSetup(w, r, status, u, "/instellingen/authenticator/koppelen", secret, err)
		})
	}
	return s.renderRecoveryCodes(w, r, codes, "/instellingen/authenticator")
}

func (s *server) mfaDisable(w http.ResponseWriter, r *http.Request) error {
	if _, err := formValues(w, r); err != nil {
		return err
	}
	if err := s.Accounts.DisableTOTP(r.Context(), actor(r)); err != nil {
		return err
	}
	return s.redirect(w, r, "/instellingen/authenticator", "ok", "De authenticator-app is ontkoppeld. U logt nu in met alleen uw wachtwoord.")
}

// userResetTOTP lets a functioneel beheerder remove a colleague's
// authenticator app (lost phone and recovery codes).
func (s *server) userResetTOTP(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "De gebruiker")
	if err != nil {
		return err
	}
	if _, err := formValues(w, r); err != nil {
		return err
	}
	if err := s.Accounts.ResetTOTP(r.Context(), actor(r), id); err != nil {
		return err
	}
	return s.redirect(w, r, "/beheer/gebruikers", "ok", "De authenticator-app van dit account is ontkoppeld. Bij de volgende keer inloggen koppelt de gebruiker een nieuwe app als de rol dat vraagt.")
}
