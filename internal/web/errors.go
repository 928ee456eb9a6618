package web

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/httpstatus"
)

// formError carries the way to re-render the form that caused err, so that
// fail can answer 422 or 409 with the user's input kept.
type formError struct {
	err    error
	render func(status int, err error) error
}

func (e *formError) Error() string { return e.err.Error() }
func (e *formError) Unwrap() error { return e.err }

// withForm attaches a re-render function to err (nil stays nil). fail calls
// render with the status and err for invalid input, conflicts and a failed login.
func withForm(err error, render func(status int, err error) error) error {
	if err == nil {
		return nil
	}
	return &formError{err: err, render: render}
}

// freshVersion reports whether a form refused with err is shown again on
// the current version of what it changes, so that sending it again works
// once the user has seen the page as it is now: after a conflict, and after
// a post without its version (casework.ErrNoVersion: 422, never carried out
// unchecked).
func freshVersion(err error) bool {
	return casework.ErrorCode(err) == casework.CodeConflict || errors.Is(err, casework.ErrNoVersion)
}

// statusFor maps a casework error code to its HTTP status.
func statusFor(code casework.Code) int { return httpstatus.Of(code) }

func levelFor(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelInfo
}

// fail is the one place that turns an error into a response:
//   - invalid or conflict with a form: the form again (422/409), input kept,
//     as after too many attempts (429) and when the system is too busy
//     (503, casework.ErrOverloaded);
//   - unauthorized: to the login page (or the login form again);
//   - forbidden, not found, invalid and conflict without a form: a Dutch page;
//   - anything else: a generic 500 page; the details go to the log only.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := casework.ErrorCode(err)
	status := statusFor(code)
	if errors.Is(err, errBodyTooLarge) {
		status = http.StatusRequestEntityTooLarge // the form again when the handler has one
	}
	var ce *casework.Error
	if errors.As(err, &ce) && ce.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(ce.RetryAfter.Round(time.Second).Seconds())))
	}
	var fe *formError
	if errors.As(err, &fe) && (code == casework.CodeInvalid || code == casework.CodeConflict || code == casework.CodeUnauthorized ||
		code == casework.CodeTooMany || code == casework.CodeOverloaded) {
		rerr := fe.render(status, err)
		if rerr == nil {
			return
		}
		// The re-render itself failed: fall through to the generic page.
		err, code, status = rerr, casework.CodeInternal, http.StatusInternalServerError
		if c := casework.ErrorCode(rerr); c != casework.CodeInternal {
			code, status = c, statusFor(c)
		}
	}
	if id, ok := casework.ReasonNeeded(err); ok {
		// Outside need-to-know: the form "Reden om in te zien" (403).
		if rerr := s.askReason(w, r, id); rerr == nil {
			return
		}
	}
	p := ErrorPage{Status: status, Message: casework.ErrorMessage(err)}
	switch code {
	case casework.CodeUnauthorized:
		s.redirectToLogin(w, r)
		return
	case casework.CodeForbidden:
		p.Heading = "Geen toegang"
		p.Explain = "Uw rol geeft geen toegang tot deze pagina of handeling. Denkt u dat dit niet klopt? Vraag de functioneel beheerder of teamleider om uw rollen na te kijken."
	case casework.CodeNotFound:
		p.Heading = "Pagina niet gevonden"
		p.Explain = "Controleer het adres, of zoek de klant of taak opnieuw op."
	case casework.CodeConflict:
		p.Heading = "Dat lukte niet"
		var ce *casework.Error
		if errors.As(err, &ce) {
			p.Link = localPath(ce.Link)
		}
		p.Back = backTo(r, "")
	case casework.CodeInvalid:
		p.Heading = "Controleer uw invoer"
		p.Back = backTo(r, "")
	case casework.CodeTooMany:
		p.Heading = "Te veel pogingen"
		p.Back = backTo(r, "")
	case casework.CodeOverloaded:
		s.log.WarnContext(r.Context(), "overloaded", "route", info(r).pattern, "method", r.Method, "error", err.Error())
		p.Heading = "Even te druk"
		p.Explain = "Wacht een paar seconden en probeer het dan opnieuw."
		p.Back = backTo(r, "")
	default:
		s.log.ErrorContext(r.Context(), "request failed", "route", info(r).pattern, "method", r.Method,
			"user_id", info(r).userID, "error", err.Error())
		p.Heading = "Er ging iets mis"
		p.Message = "Er ging iets mis aan onze kant. Uw gegevens zijn niet gewijzigd als u een formulier verstuurde; probeer het later opnieuw. Blijft het misgaan, meld het dan bij de functioneel beheerder."
	}
	p.Layout = s.base(r, p.Heading)
	if rerr := s.render(w, r, status, "error", &p); rerr != nil {
		s.log.ErrorContext(r.Context(), "render error page", "route", info(r).pattern, "error", rerr.Error())
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte("Er ging iets mis. Probeer het later opnieuw."))
	}
}

// ErrorPage is the page of an error without a form to show again.
type ErrorPage struct {
	Layout
	Status  int
	Heading string
	Message string // Dutch, safe to show
	Explain string
	Link    string // where to go instead (e.g. the open application)
	Back    string // the page the user came from
}

// notFound answers every path no route matches.
func (s *server) notFound(w http.ResponseWriter, r *http.Request) error {
	return casework.NotFound("De pagina")
}

// crossOrigin answers a form another site made the browser send (CSRF; see
// http.CrossOriginProtection): 403 with a Dutch page, nothing done.
func (s *server) crossOrigin(w http.ResponseWriter, r *http.Request) {
	info(r).pattern = "(cross-origin)"
	p := ErrorPage{Status: http.StatusForbidden, Heading: "Verzoek geweigerd",
		Message: "Dit verzoek kwam niet van een pagina van Werkdiagnose zelf. Daarom is het niet uitgevoerd; er is niets gewijzigd.",
		Explain: "Open Werkdiagnose opnieuw via het adres dat u altijd gebruikt, en doe het daar nog een keer."}
	p.Layout = s.base(r, p.Heading)
	if err := s.render(w, r, p.Status, "error", &p); err != nil {
		s.log.ErrorContext(r.Context(), "render error page", "route", info(r).pattern, "error", err.Error())
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte("Verzoek geweigerd: het kwam niet van een pagina van Werkdiagnose zelf."))
	}
}
