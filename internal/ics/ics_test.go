package ics

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	goical "github.com/emersion/go-ical"
	"github.com/teambition/rrule-go"
)

var ams = mustLoad("Europe/Amsterdam")

func baseEvent() Event {
	return Event{
		Method:      MethodRequest,
		UID:         "afspraak-42@werkdiagnose.example.nl",
		Sequence:    0,
		Stamp:       time.Date(2026, 11, 28, 13, 14, 15, 0, time.UTC),
		Summary:     "Gesprek werkdiagnose",
		Description: "Neem uw legitimatie mee.",
		Location:    "Spreekkamer 2, Stadhuisplein 1, 3511 AB Utrecht",
		Start:       time.Date(2027, 6, 15, 10, 0, 0, 0, ams),
		End:         time.Date(2027, 6, 15, 11, 0, 0, 0, ams),
		Organizer:   Person{Name: "BAR-organisatie", Email: "afspraken@bar.example.nl"},
		Attendees: []Person{
			{Name: "Jansen, Piet", Email: "piet@example.nl"},
			{Name: "Anouk van 't Hof-Smeets", Email: "anouk.vanthof@example.com"},
		},
	}
}

// parse decodes b with an independent parser (emersion/go-ical) and returns
// the calendar and its only event.
func parse(t *testing.T, b []byte) (*goical.Calendar, goical.Event) {
	t.Helper()
	cal, err := goical.NewDecoder(bytes.NewReader(b)).Decode()
	if err != nil {
		t.Fatalf("go-ical cannot parse output: %v\n%s", err, b)
	}
	evs := cal.Events()
	if len(evs) != 1 {
		t.Fatalf("events = %d, want 1", len(evs))
	}
	return cal, evs[0]
}

func text(t *testing.T, c *goical.Component, name string) string {
	t.Helper()
	p := c.Props.Get(name)
	if p == nil {
		t.Fatalf("%s: property %s missing", c.Name, name)
	}
	s, err := p.Text()
	if err != nil {
		t.Fatalf("%s: %s: %v", c.Name, name, err)
	}
	return s
}

func build(t *testing.T, e Event) []byte {
	t.Helper()
	b, err := Build(e)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return b
}

func TestRequestFields(t *testing.T) {
	e := baseEvent()
	b := build(t, e)
	cal, ev := parse(t, b)

	for name, want := range map[string]string{
		"PRODID": ProductID, "VERSION": "2.0", "CALSCALE": "GREGORIAN", "METHOD": "REQUEST",
	} {
		if got := text(t, cal.Component, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	for name, want := range map[string]string{
		"UID":         e.UID,
		"SUMMARY":     e.Summary,
		"DESCRIPTION": e.Description,
		"LOCATION":    e.Location,
		"STATUS":      "CONFIRMED",
	} {
		if got := text(t, ev.Component, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if seq, err := ev.Props.Get("SEQUENCE").Int(); err != nil || seq != 0 {
		t.Errorf("SEQUENCE = %d, %v; want 0", seq, err)
	}
	stamp := ev.Props.Get("DTSTAMP")
	if stamp.Value != "20261128T131415Z" {
		t.Errorf("DTSTAMP = %q, want UTC 20261128T131415Z", stamp.Value)
	}

	org := ev.Props.Get("ORGANIZER")
	if org.Value != "mailto:afspraken@bar.example.nl" || org.Params.Get("CN") != "BAR-organisatie" {
		t.Errorf("ORGANIZER = %q CN=%q", org.Value, org.Params.Get("CN"))
	}
	atts := ev.Props.Values("ATTENDEE")
	if len(atts) != len(e.Attendees) {
		t.Fatalf("ATTENDEE count = %d, want %d", len(atts), len(e.Attendees))
	}
	for i, a := range atts {
		want := e.Attendees[i]
		if a.Value != "mailto:"+want.Email {
			t.Errorf("ATTENDEE %d value = %q", i, a.Value)
		}
		for k, v := range map[string]string{
			"CN": want.Name, "ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION", "RSVP": "TRUE",
		} {
			if got := a.Params.Values(k); len(got) != 1 || got[0] != v {
				t.Errorf("ATTENDEE %d %s = %q, want %q", i, k, got, v)
			}
		}
	}

	// The VTIMEZONE as written.
	var tz *goical.Component
	for _, c := range cal.Children {
		if c.Name == "VTIMEZONE" {
			tz = c
		}
	}
	if tz == nil {
		t.Fatal("no VTIMEZONE")
	}
	if got := text(t, tz, "TZID"); got != "Europe/Amsterdam" {
		t.Errorf("VTIMEZONE TZID = %q", got)
	}
	want := map[string]map[string]string{
		"STANDARD": {"DTSTART": "19701025T030000", "RRULE": "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "TZOFFSETFROM": "+0200", "TZOFFSETTO": "+0100", "TZNAME": "CET"},
		"DAYLIGHT": {"DTSTART": "19700329T020000", "RRULE": "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "TZOFFSETFROM": "+0100", "TZOFFSETTO": "+0200", "TZNAME": "CEST"},
	}
	seen := 0
	for _, c := range tz.Children {
		w, ok := want[c.Name]
		if !ok {
			t.Errorf("unexpected %s in VTIMEZONE", c.Name)
			continue
		}
		seen++
		for k, v := range w {
			if p := c.Props.Get(k); p == nil || p.Value != v {
				t.Errorf("%s %s = %v, want %q", c.Name, k, p, v)
			}
		}
	}
	if seen != 2 {
		t.Errorf("VTIMEZONE has %d of STANDARD/DAYLIGHT, want 2", seen)
	}
}

// TestVTimezoneMatchesTZData expands the written RRULEs with an independent
// recurrence library and checks each transition against Go's tzdata.
func TestVTimezoneMatchesTZData(t *testing.T) {
	for _, tc := range []struct {
		rule      string
		dtstart   time.Time // wall time in the offset before the change
		offBefore int
		offAfter  int
	}{
		{"FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", time.Date(1970, 3, 29, 2, 0, 0, 0, time.UTC), 3600, 7200},
		{"FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", time.Date(1970, 10, 25, 3, 0, 0, 0, time.UTC), 7200, 3600},
	} {
		opt, err := rrule.StrToROption(tc.rule)
		if err != nil {
			t.Fatal(err)
		}
		opt.Dtstart = tc.dtstart
		r, err := rrule.NewRRule(*opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, wall := range r.Between(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC), true) {
			// wall is the local time (in the old offset) of the transition.
			instant := wall.Add(-time.Duration(tc.offBefore) * time.Second)
			_, before := instant.Add(-time.Second).In(ams).Zone()
			_, after := instant.In(ams).Zone()
			if before != tc.offBefore || after != tc.offAfter {
				t.Errorf("%s at %s: tzdata offsets %d -> %d, VTIMEZONE says %d -> %d",
					tc.rule, wall.Format("2006-01-02 15:04"), before, after, tc.offBefore, tc.offAfter)
			}
		}
	}
}

func TestLocalTimeSummerAndWinter(t *testing.T) {
	for _, tc := range []struct {
		name       string
		start, end time.Time
		wantStart  string
		wantUTC    time.Time
	}{
		{"summer", time.Date(2027, 6, 15, 10, 0, 0, 0, ams), time.Date(2027, 6, 15, 11, 0, 0, 0, ams),
			"20270615T100000", time.Date(2027, 6, 15, 8, 0, 0, 0, time.UTC)},
		{"winter", time.Date(2027, 1, 12, 9, 30, 0, 0, ams), time.Date(2027, 1, 12, 10, 15, 0, 0, ams),
			"20270112T093000", time.Date(2027, 1, 12, 8, 30, 0, 0, time.UTC)},
		// Start given in UTC must still be written as Amsterdam wall time.
		{"utc input", time.Date(2027, 6, 15, 8, 0, 0, 0, time.UTC), time.Date(2027, 6, 15, 9, 0, 0, 0, time.UTC),
			"20270615T100000", time.Date(2027, 6, 15, 8, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := baseEvent()
			e.Start, e.End = tc.start, tc.end
			b := build(t, e)
			_, ev := parse(t, b)
			p := ev.Props.Get("DTSTART")
			if p.Value != tc.wantStart || p.Params.Get("TZID") != "Europe/Amsterdam" {
				t.Errorf("DTSTART = %q TZID=%q, want %q in Europe/Amsterdam", p.Value, p.Params.Get("TZID"), tc.wantStart)
			}
			got, err := ev.DateTimeStart(nil)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(tc.wantUTC) {
				t.Errorf("DTSTART instant = %s, want %s", got.UTC(), tc.wantUTC)
			}
			end, err := ev.DateTimeEnd(nil)
			if err != nil {
				t.Fatal(err)
			}
			if !end.Equal(tc.end) {
				t.Errorf("DTEND instant = %s, want %s", end.UTC(), tc.end.UTC())
			}
			vevent := string(b[bytes.Index(b, []byte("BEGIN:VEVENT")):])
			if strings.Contains(vevent, "\r\nDTSTART:") || strings.Contains(vevent, "\r\nDTEND:") {
				t.Error("DTSTART/DTEND written without TZID")
			}
		})
	}
}

// TestWireFormat checks CRLF line endings and folding at 75 octets without
// splitting UTF-8 sequences.
func TestWireFormat(t *testing.T) {
	e := baseEvent()
	e.Description = strings.Repeat("Één lange zin met ë, é en ü; zo wordt er zeker gevouwen. ", 8)
	e.Attendees = append(e.Attendees, Person{Name: strings.Repeat("Zeer Lange Naam ", 6), Email: "lang@example.nl"})
	b := build(t, e)

	if !bytes.HasSuffix(b, []byte("END:VCALENDAR\r\n")) {
		t.Error("output does not end with END:VCALENDAR CRLF")
	}
	if n, crlf := bytes.Count(b, []byte("\n")), bytes.Count(b, []byte("\r\n")); n != crlf {
		t.Errorf("%d LF but %d CRLF: bare LF present", n, crlf)
	}
	if n, crlf := bytes.Count(b, []byte("\r")), bytes.Count(b, []byte("\r\n")); n != crlf {
		t.Errorf("%d CR but %d CRLF: bare CR present", n, crlf)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n")
	folded := 0
	for i, l := range lines {
		if len(l) > 75 {
			t.Errorf("line %d is %d octets: %q", i+1, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d splits a UTF-8 sequence: %q", i+1, l)
		}
		if strings.HasPrefix(l, " ") {
			folded++
		}
	}
	if folded < 3 {
		t.Errorf("only %d continuation lines; long values were not folded", folded)
	}
	_, ev := parse(t, b)
	if got := text(t, ev.Component, "DESCRIPTION"); got != e.Description {
		t.Errorf("folded DESCRIPTION round trip:\n got %q\nwant %q", got, e.Description)
	}
	atts := ev.Props.Values("ATTENDEE")
	if got, want := atts[len(atts)-1].Params.Get("CN"), strings.TrimSpace(e.Attendees[2].Name); got != want {
		t.Errorf("folded CN = %q, want %q", got, want)
	}
}

func TestCancel(t *testing.T) {
	req := baseEvent()
	cancel := req
	cancel.Method = MethodCancel
	cancel.Sequence = req.Sequence + 1
	cancel.Stamp = req.Stamp.Add(time.Hour)

	rcal, rev := parse(t, build(t, req))
	ccal, cev := parse(t, build(t, cancel))
	if got := text(t, ccal.Component, "METHOD"); got != "CANCEL" {
		t.Errorf("METHOD = %q, want CANCEL", got)
	}
	if text(t, rcal.Component, "METHOD") != "REQUEST" {
		t.Error("request METHOD is not REQUEST")
	}
	if text(t, cev.Component, "UID") != text(t, rev.Component, "UID") {
		t.Error("cancel has a different UID")
	}
	rs, _ := rev.Props.Get("SEQUENCE").Int()
	cs, _ := cev.Props.Get("SEQUENCE").Int()
	if cs <= rs {
		t.Errorf("cancel SEQUENCE %d not above request SEQUENCE %d", cs, rs)
	}
	if got := text(t, cev.Component, "STATUS"); got != "CANCELLED" {
		t.Errorf("STATUS = %q, want CANCELLED", got)
	}
	if len(cev.Props.Values("ATTENDEE")) != len(cancel.Attendees) {
		t.Error("cancel must list the attendees it cancels for")
	}
}

func TestTextEscapingRoundTrip(t *testing.T) {
	e := baseEvent()
	e.Summary = "Gesprek: werk, inkomen; zorg"
	e.Description = "Beste meneer Jansen,\r\n\r\nU bent uitgenodigd; neem mee: paspoort, loonstrook.\nCafé-gesprek, geëvalueerd; C:\\map\\bestand\tklaar."
	e.Location = "Spreekkamer 2; 1e etage, Stadhuisplein 1, Utrecht"
	e.Organizer.Name = `Team "Werk" & Inkomen`
	b := build(t, e)
	_, ev := parse(t, b)

	wantDesc := strings.ReplaceAll(e.Description, "\r\n", "\n")
	if got := text(t, ev.Component, "DESCRIPTION"); got != wantDesc {
		t.Errorf("DESCRIPTION:\n got %q\nwant %q", got, wantDesc)
	}
	if got := text(t, ev.Component, "SUMMARY"); got != e.Summary {
		t.Errorf("SUMMARY = %q, want %q", got, e.Summary)
	}
	if got := text(t, ev.Component, "LOCATION"); got != e.Location {
		t.Errorf("LOCATION = %q, want %q", got, e.Location)
	}
	// A DQUOTE cannot appear in a parameter value; it becomes an apostrophe.
	if got := ev.Props.Get("ORGANIZER").Params.Get("CN"); got != `Team 'Werk' & Inkomen` {
		t.Errorf("ORGANIZER CN = %q", got)
	}
	if got := ev.Props.Values("ATTENDEE")[0].Params.Get("CN"); got != "Jansen, Piet" {
		t.Errorf("ATTENDEE CN = %q, want %q", got, "Jansen, Piet")
	}
	if got := ev.Props.Values("ATTENDEE")[1].Params.Get("CN"); got != "Anouk van 't Hof-Smeets" {
		t.Errorf("ATTENDEE CN = %q", got)
	}
	// The raw escapes themselves, per RFC 5545 3.3.11.
	unfolded := strings.ReplaceAll(string(b), "\r\n ", "")
	for _, frag := range []string{`SUMMARY:Gesprek: werk\, inkomen\; zorg`, `Jansen\,\n\nU bent`, `C:\\map\\bestand`} {
		if !strings.Contains(unfolded, frag) {
			t.Errorf("output lacks %q", frag)
		}
	}
}

func TestEmptyOptionalTexts(t *testing.T) {
	e := baseEvent()
	e.Description, e.Location = "", ""
	e.Attendees = []Person{{Email: "zonder.naam@example.nl"}}
	_, ev := parse(t, build(t, e))
	if ev.Props.Get("DESCRIPTION") != nil || ev.Props.Get("LOCATION") != nil {
		t.Error("empty DESCRIPTION/LOCATION written")
	}
	a := ev.Props.Get("ATTENDEE")
	if a.Value != "mailto:zonder.naam@example.nl" || a.Params.Get("CN") != "" {
		t.Errorf("ATTENDEE without name = %q CN=%q", a.Value, a.Params.Get("CN"))
	}
}

func TestValidation(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(*Event)
		want   string
	}{
		{"method", func(e *Event) { e.Method = "PUBLISH" }, "method"},
		{"empty method", func(e *Event) { e.Method = "" }, "method"},
		{"uid", func(e *Event) { e.UID = " " }, "UID"},
		{"uid newline", func(e *Event) { e.UID = "a\r\nb" }, "UID"},
		{"sequence", func(e *Event) { e.Sequence = -1 }, "sequence"},
		{"start after end", func(e *Event) { e.Start, e.End = e.End, e.Start }, "not before end"},
		{"start equals end", func(e *Event) { e.End = e.Start }, "not before end"},
		{"zero start", func(e *Event) { e.Start = time.Time{} }, "start and end"},
		{"organizer empty", func(e *Event) { e.Organizer.Email = "" }, "organizer"},
		{"organizer invalid", func(e *Event) { e.Organizer.Email = "geen adres" }, "organizer"},
		{"organizer with name", func(e *Event) { e.Organizer.Email = "Piet <piet@example.nl>" }, "organizer"},
		{"no attendees", func(e *Event) { e.Attendees = nil }, "no attendees"},
		{"attendee without e-mail", func(e *Event) { e.Attendees[1].Email = "" }, "attendee 2"},
		{"attendee with semicolon", func(e *Event) { e.Attendees[0].Email = `"a;b"@example.nl` }, "attendee 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := baseEvent()
			e.Attendees = append([]Person(nil), e.Attendees...)
			tc.mutate(&e)
			b, err := Build(e)
			if err == nil {
				t.Fatalf("Build succeeded:\n%s", b)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

func TestZeroStampIsNow(t *testing.T) {
	e := baseEvent()
	e.Stamp = time.Time{}
	before := time.Now().Add(-time.Second)
	_, ev := parse(t, build(t, e))
	got, err := ev.Props.Get("DTSTAMP").DateTime(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Before(before.Truncate(time.Second)) || got.After(time.Now().Add(time.Second)) {
		t.Errorf("DTSTAMP = %s, want about now", got)
	}
}

func TestContentType(t *testing.T) {
	if got := ContentType(MethodRequest); got != "text/calendar; charset=utf-8; method=REQUEST" {
		t.Errorf("ContentType(REQUEST) = %q", got)
	}
	if got := ContentType(MethodCancel); got != "text/calendar; charset=utf-8; method=CANCEL" {
		t.Errorf("ContentType(CANCEL) = %q", got)
	}
}
