// Package casework holds the domain types of the pilot and its use cases:
// applications, tasks, plans, appointments, hand-over messages and history.
// It declares the Store and Clock it needs and imports nothing of the
// project but the process definition.
package casework

import (
	"errors"
	"fmt"
	"sort"
	"time"
)

// Code classifies an error for the user (and, in internal/httpstatus, for
// the HTTP status the web and the API answer with).
type Code string

const (
	CodeInvalid      Code = "invalid"      // 422: the input has field errors
	CodeNotFound     Code = "not_found"    // 404
	CodeConflict     Code = "conflict"     // 409: someone else changed it first, or a double booking
	CodeForbidden    Code = "forbidden"    // 403: the role does not allow it
	CodeUnauthorized Code = "unauthorized" // 401: not logged in
	CodeTooMany      Code = "too_many"     // 429: too many attempts; RetryAfter says how long to wait
	CodeOverloaded   Code = "overloaded"   // 503: the system is too busy now; RetryAfter says when to try again
	CodeInternal     Code = "internal"     // 500: logged, never shown
)

// Error is the one error type of the domain. Message is Dutch and safe to
// show; Fields holds a Dutch message per form field.
type Error struct {
	Code    Code
	Message string
	Fields  map[string]string
	Link    string // where the user can go instead, e.g. the open application
	Err     error  // cause, for logs only
	// RetryAfter is how long to wait before trying again (CodeTooMany).
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// ErrorCode returns the code of err, CodeInternal for foreign errors.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the Dutch message of err, a generic one for foreign errors.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return "Er ging iets mis aan onze kant. Probeer het later opnieuw; blijft het misgaan, meld het dan bij de functioneel beheerder."
}

// FieldErrors returns the field messages of err, or nil.
func FieldErrors(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// NotFound returns a not-found error with a Dutch message.
func NotFound(what string) error {
	return &Error{Code: CodeNotFound, Message: what + " is niet gevonden."}
}

// Forbidden returns a forbidden error with a Dutch message.
func Forbidden(msg string) error { return &Error{Code: CodeForbidden, Message: msg} }

// Invalid returns an invalid-input error with a Dutch message that is about
// no single field.
func Invalid(msg string) error { return &Error{Code: CodeInvalid, Message: msg} }

// Conflict returns a conflict error with a Dutch message.
func Conflict(msg string) error { return &Error{Code: CodeConflict, Message: msg} }

// ErrNotFound is returned by stores when a row does not exist; the service
// turns it into a NotFound with a message.
var ErrNotFound = errors.New("not found")

// ErrOverloaded is returned by stores when no database connection could be
// had in time: too many requests at once. It answers 503 with Retry-After
// and a Dutch message, never a hang or a 500. Test for it with errors.Is.
var ErrOverloaded = &Error{Code: CodeOverloaded, RetryAfter: 2 * time.Second,
	Message: "Het systeem is op dit moment erg druk. Probeer het over enkele seconden opnieuw."}

// ErrStale is returned by stores when an update's expected version no longer matches.
var ErrStale = errors.New("stale version")

// ErrDuplicate is returned by stores when a unique constraint refuses a row.
// Which names the constraint's subject (Dup…).
type ErrDuplicate struct{ Which string }

// The subjects of unique constraints the use cases tell apart.
const (
	DupUsername        = "username"         // an account with this username exists
	DupSSOSubject      = "sso_subject"      // an account signs in by SSO with this subject
	DupToken           = "token"            // an API token with this hash exists
	DupBSN             = "bsn"              // a client with this BSN exists
	DupOpenApplication = "open_application" // the client has an open application
	DupPlanVersion     = "plan_version"     // this version of the plan exists
	DupRoom            = "room"             // the room is booked in this quarter
	DupPerson          = "person"           // the klantmanager is booked in this quarter
	DupDefinition      = "definition"       // this definition version is stored
	DupPlanRow         = "plan_row"         // the case has a trajectory for this row of the plan
	DupRegistration    = "registration"     // the trajectory has a registration
	DupVoorschot       = "voorschot"        // the task recorded its voorschot
	DupEvaluation      = "evaluation"       // the task recorded its evaluation
)

func (e ErrDuplicate) Error() string { return "duplicate " + e.Which }

// Fields collects per-field messages while validating a form.
type Fields map[string]string

// Add records msg for field unless it already has one.
func (f Fields) Add(field, msg string) {
	if _, ok := f[field]; !ok {
		f[field] = msg
	}
}

// Err returns an invalid-input error when there are messages, else nil.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: CodeInvalid, Message: "Het formulier bevat fouten. Verbeter de gemarkeerde velden.", Fields: f}
}

// Keys returns the field names in a stable order.
func (f Fields) Keys() []string {
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ErrNoVersion marks a change sent without the version of what it changes
// (requireVersion).
var ErrNoVersion = errors.New("no version")

// requireVersion is the one rule that a change of something that carries a
// version (a task, a client's details, a registration, a dossier, a contact
// moment, a note) names the version it was based on: without it (0) the
// stale check could not be made, so the change is refused as invalid
// input (422), never carried out unchecked.
func requireVersion(version int) error {
	if version > 0 {
		return nil
	}
	return MissingVersion()
}

// MissingVersion is the error of a change sent without the version (or
// the calendar sequence) it was based on, for an adapter that can tell a
// missing one from a 0 where 0 is a valid value (an appointment's first
// sequence).
func MissingVersion() error {
	return &Error{Code: CodeInvalid, Err: ErrNoVersion,
		Message: "De versie van de gegevens waarop deze wijziging is gebaseerd ontbreekt, dus kan niet worden gecontroleerd of een collega intussen iets wijzigde. Bekijk de gegevens opnieuw en verstuur de wijziging nog eens."}
}
