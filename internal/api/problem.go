package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/httpstatus"
)

// Problem is every error response of the API: an RFC 9457 problem
// document with the Dutch message of the domain and a message per field.
type Problem struct {
	Title  string         `json:"title" doc:"Korte omschrijving van het soort fout, gelijk voor elke fout met deze status."`
	Status int            `json:"status" doc:"De HTTP-statuscode."`
	Detail string         `json:"detail" doc:"Uitleg in het Nederlands, geschikt om aan de gebruiker te tonen."`
	Link   string         `json:"link,omitempty" format:"uri" doc:"Pagina in Werkdiagnose waar de gebruiker verder kan, bijvoorbeeld het dossier van de klant met de lopende aanvraag."`
	Errors []FieldProblem `json:"errors,omitempty" nullable:"false" doc:"Een melding per veld dat niet klopt."`

	retryAfter time.Duration // sent as Retry-After (429, 503)
}

// FieldProblem is the message for one field of the request.
type FieldProblem struct {
	Location string `json:"location,omitempty" doc:"Waar de fout zit, bijvoorbeeld body.velden.bsn of query.termijn."`
	Message  string `json:"message" doc:"Wat er niet klopt en hoe het goed moet."`
}

// Error implements error with the Dutch detail.
func (p *Problem) Error() string { return p.Detail }

// GetStatus implements huma.StatusError.
func (p *Problem) GetStatus() int { return p.Status }

// GetHeaders implements huma.HeadersError: Retry-After when the domain
// says how long to wait (too many attempts, overloaded).
func (p *Problem) GetHeaders() http.Header {
	h := http.Header{}
	if p.retryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(int(p.retryAfter.Round(time.Second).Seconds())))
	}
	return h
}

// ContentType implements huma.ContentTypeFilter: problems are sent as
// application/problem+json (RFC 9457).
func (p *Problem) ContentType(ct string) string {
	if ct == "application/json" {
		return "application/problem+json"
	}
	return ct
}

// Where the fields named in a casework error live in the request body.
const (
	inVelden = "body.velden." // form values of a mutating action
	inBody   = "body."        // top-level members of the body
)

// internalDetail is shown for every error the client cannot act on; the
// cause is logged.
var internalDetail = casework.ErrorMessage(errors.New("internal"))

// statusOf maps the codes of the domain to HTTP status.
func statusOf(code casework.Code) int { return httpstatus.Of(code) }

// titles are the Dutch titles of the statuses the API sends.
var titles = map[int]string{
	http.StatusBadRequest:            "Onleesbaar verzoek",
	http.StatusUnauthorized:          "Niet aangemeld",
	http.StatusForbidden:             "Geen toegang",
	http.StatusNotFound:              "Niet gevonden",
	http.StatusNotAcceptable:         "Formaat niet beschikbaar",
	http.StatusConflict:              "Conflict",
	http.StatusRequestEntityTooLarge: "Verzoek te groot",
	http.StatusUnsupportedMediaType:  "Formaat niet ondersteund",
	http.StatusUnprocessableEntity:   "Ongeldige invoer",
	http.StatusTooManyRequests:       "Te veel verzoeken",
	http.StatusInternalServerError:   "Interne fout",
	http.StatusServiceUnavailable:    "Tijdelijk te druk",
}

func title(status int) string {
	if t, ok := titles[status]; ok {
		return t
	}
	return http.StatusText(status)
}

// humaDetails translates the messages huma itself gives to a problem.
var humaDetails = map[string]string{
	"validation failed":          "De invoer voldoet niet aan de beschrijving van de API. Verbeter de genoemde onderdelen.",
	"request body is required":   "Het verzoek mist de JSON-body.",
	"unable to marshal response": "Het antwoord kan niet in het gevraagde formaat worden gemaakt.",
}

// problemFor turns an error of the domain into a problem. Field messages
// are placed at prefix + field name. Foreign errors become a 500 with a
// generic message: their text is never shown.
func problemFor(err error, prefix string) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	code := casework.ErrorCode(err)
	status := statusOf(code)
	pr := &Problem{Title: title(status), Status: status, Detail: casework.ErrorMessage(err)}
	if status == http.StatusInternalServerError {
		pr.Detail = internalDetail
		return pr
	}
	fields := casework.Fields(casework.FieldErrors(err))
	for _, name := range fields.Keys() {
		pr.Errors = append(pr.Errors, FieldProblem{Location: prefix + name, Message: fields[name]})
	}
	var ce *casework.Error
	if errors.As(err, &ce) {
		pr.Link, pr.retryAfter = ce.Link, ce.RetryAfter
	}
	return pr
}

// newHumaError replaces huma.NewError so that huma's own errors (request
// validation, unreadable bodies) have the same shape as ours. It keeps
// huma's message per field but never echoes the submitted value, which
// might be a BSN.
func newHumaError(status int, msg string, errs ...error) huma.StatusError {
	for _, err := range errs {
		var ce *casework.Error
		if errors.As(err, &ce) {
			return problemFor(err, inBody)
		}
	}
	p := &Problem{Status: status, Title: title(status), Detail: msg}
	if status == http.StatusRequestEntityTooLarge {
		// huma: "request body is too large limit=N bytes".
		p.Detail = "Het verzoek is te groot. Stuur minder tekst of een kleiner bestand; de grens staat bij de aanroep in /api/openapi.json."
		return p
	}
	if d, ok := humaDetails[msg]; ok {
		p.Detail = d
		if status == http.StatusBadRequest && msg == "validation failed" {
			p.Detail = "Het verzoek kon niet worden gelezen: stuur geldige JSON."
		}
	}
	if status >= http.StatusInternalServerError {
		p.Detail = internalDetail
		return p
	}
	for _, err := range errs {
		if err == nil {
			continue
		}
		var d huma.ErrorDetailer
		if errors.As(err, &d) {
			ed := d.ErrorDetail()
			p.Errors = append(p.Errors, FieldProblem{Location: ed.Location, Message: ed.Message})
			continue
		}
		p.Errors = append(p.Errors, FieldProblem{Message: err.Error()})
	}
	return p
}

// installErrors points huma at newHumaError. huma keeps its error
// constructor in a package variable, so this happens once per process.
var installErrors = sync.OnceFunc(func() { huma.NewError = newHumaError })

// fail maps err to a problem for the response and logs what the client
// does not see. It never logs request bodies.
func (h *handler) fail(ctx context.Context, err error, prefix string) error {
	p := problemFor(err, prefix)
	if p.Status >= http.StatusInternalServerError {
		h.log.ErrorContext(ctx, "api request failed", "error", err, "actor_id", actorFrom(ctx).User.ID)
	}
	if strings.HasPrefix(p.Link, "/") {
		withBase := *p
		withBase.Link = strings.TrimRight(h.Process.Config().BaseURL, "/") + p.Link
		return &withBase
	}
	return p
}
