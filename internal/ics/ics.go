// Package ics builds RFC 5545 / RFC 5546 (iTIP) invitations for a single
// appointment: a METHOD:REQUEST to invite or update, a METHOD:CANCEL to call
// it off. The output is meant to be sent as the text/calendar part of a mail
// (see ContentType) and is understood by Outlook, Gmail and Apple Calendar.
//
// Times are written as local wall-clock times in Europe/Amsterdam with a
// TZID parameter, and the calendar carries its own VTIMEZONE definition so
// clients need no external time zone database.
package ics

import (
	"bytes"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Amsterdam must be right even without a zoneinfo database

	ical "github.com/arran4/golang-ical"
)

// Methods of an iTIP message.
const (
	MethodRequest = "REQUEST"
	MethodCancel  = "CANCEL"
)

// TZID is the time zone every DTSTART/DTEND is written in.
const TZID = "Europe/Amsterdam"

// ProductID is the PRODID of every calendar this package writes.
const ProductID = "-//bar-organisatie//werkdiagnose//NL"

const localFormat = "20060102T150405"

var amsterdam = mustLoad(TZID)

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// Cannot happen: time/tzdata is linked in above.
		panic(fmt.Sprintf("ics: load %s: %v", name, err))
	}
	return loc
}

// Person is an organizer or attendee.
type Person struct {
	Name  string
	Email string
}

// Event is one appointment as an iTIP message.
type Event struct {
	Method      string    // MethodRequest or MethodCancel
	UID         string    // stable per appointment
	Sequence    int       // 0 first, +1 per update/cancel
	Stamp       time.Time // DTSTAMP, written in UTC; zero means now
	Summary     string
	Description string
	Location    string // room name + address
	Start, End  time.Time
	Organizer   Person
	Attendees   []Person
}

// ContentType is the MIME type of an invitation with the given method, e.g.
// `text/calendar; charset=utf-8; method=REQUEST`.
func ContentType(method string) string {
	return "text/calendar; charset=utf-8; method=" + strings.ToUpper(method)
}

// Validate reports the first problem that keeps e from being a valid
// invitation.
func (e Event) Validate() error {
	switch e.Method {
	case MethodRequest, MethodCancel:
	default:
		return fmt.Errorf("ics: method %q: use %s or %s", e.Method, MethodRequest, MethodCancel)
	}
	if strings.TrimSpace(e.UID) == "" {
		return errors.New("ics: UID is empty")
	}
	if hasControl(e.UID) {
		return fmt.Errorf("ics: UID %q contains control characters", e.UID)
	}
	if e.Sequence < 0 {
		return fmt.Errorf("ics: sequence %d is negative", e.Sequence)
	}
	if e.Start.IsZero() || e.End.IsZero() {
		return errors.New("ics: start and end are required")
	}
	if !e.Start.Before(e.End) {
		return fmt.Errorf("ics: start %s is not before end %s", e.Start.Format(time.RFC3339), e.End.Format(time.RFC3339))
	}
	if err := checkEmail(e.Organizer.Email); err != nil {
		return fmt.Errorf("ics: organizer: %w", err)
	}
	if len(e.Attendees) == 0 {
		return errors.New("ics: no attendees")
	}
	for i, a := range e.Attendees {
		if err := checkEmail(a.Email); err != nil {
			return fmt.Errorf("ics: attendee %d (%q): %w", i+1, a.Name, err)
		}
	}
	return nil
}

// checkEmail accepts a bare addr-spec that can be written after "mailto:"
// without any escaping.
func checkEmail(s string) error {
	if s == "" {
		return errors.New("e-mail address is empty")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return fmt.Errorf("e-mail address %q is not a plain address", s)
	}
	if strings.ContainsAny(s, "\",;:\\ <>") || hasControl(s) {
		return fmt.Errorf("e-mail address %q contains characters not allowed here", s)
	}
	return nil
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return true
		}
	}
	return false
}

// Build validates e and serializes it as a VCALENDAR with CRLF line endings
// and lines folded at 75 octets.
func Build(e Event) ([]byte, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	stamp := e.Stamp
	if stamp.IsZero() {
		stamp = time.Now()
	}

	cal := ical.NewCalendarFor("werkdiagnose")
	cal.SetProductId(ProductID)
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(ical.Method(e.Method))
	cal.AddVTimezone(amsterdamTimezone())

	ev := cal.AddEvent(e.UID)
	ev.SetSequence(e.Sequence)
	ev.SetDtStampTime(stamp)
	// SetStartAt/SetEndAt would write UTC; invitations read better (and
	// survive DST rule changes) as local time with a TZID.
	ev.SetProperty(ical.ComponentPropertyDtStart, e.Start.In(amsterdam).Format(localFormat), ical.WithTZID(TZID))
	ev.SetProperty(ical.ComponentPropertyDtEnd, e.End.In(amsterdam).Format(localFormat), ical.WithTZID(TZID))
	ev.SetSummary(cleanText(e.Summary))
	if d := cleanText(e.Description); d != "" {
		ev.SetDescription(d)
	}
	if l := cleanText(e.Location); l != "" {
		ev.SetLocation(l)
	}
	if e.Method == MethodCancel {
		ev.SetStatus(ical.ObjectStatusCancelled)
	} else {
		ev.SetStatus(ical.ObjectStatusConfirmed)
	}
	ev.Properties = append(ev.Properties, calAddress(string(ical.PropertyOrganizer), e.Organizer))
	for _, a := range e.Attendees {
		ev.Properties = append(ev.Properties, calAddress(string(ical.PropertyAttendee), a,
			"ROLE=REQ-PARTICIPANT", "PARTSTAT=NEEDS-ACTION", "RSVP=TRUE"))
	}

	var buf bytes.Buffer
	if err := cal.SerializeTo(&buf, ical.WithNewLineWindows); err != nil {
		return nil, fmt.Errorf("ics: serialize: %w", err)
	}
	return buf.Bytes(), nil
}

// calAddress builds an ORGANIZER or ATTENDEE property.
//
// golang-ical v0.3.4 never quotes a CN and escapes parameter values with
// backslashes, which RFC 5545 does not know ("Jansen, Piet" or "van 't Hof"
// would reach the client as `Jansen\, Piet` or `van \'t Hof`). So the
// parameter list is written here, with CN always as a quoted-string, and the
// library only adds the value and does the line folding. The value is a
// checked plain address, so it needs no escaping either way.
func calAddress(name string, p Person, params ...string) ical.IANAProperty {
	token := name
	if cn := cleanParam(p.Name); cn != "" {
		token += `;CN="` + cn + `"`
	}
	for _, param := range params {
		token += ";" + param
	}
	return ical.IANAProperty{BaseProperty: ical.BaseProperty{
		IANAToken:      token,
		ICalParameters: map[string][]string{},
		Value:          "mailto:" + p.Email,
	}}
}

// cleanParam makes s fit in a quoted parameter value: no DQUOTE and no
// control characters (RFC 5545 QSAFE-CHAR), spaces collapsed.
func cleanParam(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '"':
			return '\''
		case r < 0x20 || r == 0x7f:
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// cleanText normalizes line breaks to LF (which the serializer writes as the
// two characters `\n`) and drops other control characters except TAB, which
// RFC 5545 TEXT does not allow.
func cleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// amsterdamTimezone is the VTIMEZONE for Europe/Amsterdam as in force since
// 1996 (EU rules): CEST from the last Sunday of March 02:00, CET from the
// last Sunday of October 03:00.
func amsterdamTimezone() *ical.VTimezone {
	tz := ical.NewTimezone(TZID)
	std := &ical.Standard{}
	std.AddProperty(ical.ComponentPropertyDtStart, "19701025T030000")
	std.AddProperty(ical.ComponentPropertyRrule, "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU")
	std.AddProperty(ical.ComponentProperty(ical.PropertyTzoffsetfrom), "+0200")
	std.AddProperty(ical.ComponentProperty(ical.PropertyTzoffsetto), "+0100")
	std.AddProperty(ical.ComponentProperty(ical.PropertyTzname), "CET")
	dst := &ical.Daylight{}
	dst.AddProperty(ical.ComponentPropertyDtStart, "19700329T020000")
	dst.AddProperty(ical.ComponentPropertyRrule, "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU")
	dst.AddProperty(ical.ComponentProperty(ical.PropertyTzoffsetfrom), "+0100")
	dst.AddProperty(ical.ComponentProperty(ical.PropertyTzoffsetto), "+0200")
	dst.AddProperty(ical.ComponentProperty(ical.PropertyTzname), "CEST")
	tz.Components = append(tz.Components, std, dst)
	return tz
}
