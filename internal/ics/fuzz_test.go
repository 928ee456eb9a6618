package ics

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	goical "github.com/emersion/go-ical"
)

// FuzzBuild: whatever names, texts and addresses an appointment carries,
// Build either refuses it or writes one event that an independent parser
// (emersion/go-ical) reads back: lines of at most 75 octets ending in
// CRLF, the texts as they were (line breaks kept, other control
// characters dropped), one ATTENDEE per attendee, and no property that
// typed text could have smuggled in.
func FuzzBuild(f *testing.F) {
	e := baseEvent()
	f.Add(e.Summary, e.Description, e.Location, e.Organizer.Name, e.Attendees[0].Name, e.Attendees[0].Email, e.UID)
	f.Add("Gesprek\r\nATTENDEE:mailto:x@evil.example", "a;b,c\\d\n", "Kamer \"2\"", "Naam\"; ROLE=CHAIR", "Öztürk, Ñoël", "noor@example.nl", "uid-1@x")
	f.Add(strings.Repeat("é", 80), "\x00\x01\t", "", "", "", "bad address", "")
	f.Fuzz(func(t *testing.T, summary, description, location, orgName, attName, attEmail, uid string) {
		ev := baseEvent()
		ev.Summary, ev.Description, ev.Location, ev.Organizer.Name, ev.UID = summary, description, location, orgName, uid
		ev.Attendees = append(ev.Attendees, Person{Name: attName, Email: attEmail})
		b, err := Build(ev)
		if err != nil {
			return // refused: Validate said why
		}
		for i, line := range bytes.SplitAfter(b, []byte("\r\n")) {
			if len(line) == 0 {
				continue
			}
			if !bytes.HasSuffix(line, []byte("\r\n")) {
				t.Fatalf("line %d does not end in CRLF: %q", i+1, line)
			}
			if n := len(line) - 2; n > 75 {
				t.Fatalf("line %d has %d octets: %q", i+1, n, line)
			}
			if bytes.ContainsAny(bytes.TrimSuffix(line, []byte("\r\n")), "\r\n") {
				t.Fatalf("line %d holds a bare line break: %q", i+1, line)
			}
		}
		cal, err := goical.NewDecoder(bytes.NewReader(b)).Decode()
		if err != nil {
			t.Fatalf("go-ical cannot parse the output: %v\n%s", err, b)
		}
		evs := cal.Events()
		if len(evs) != 1 {
			t.Fatalf("%d events, want 1", len(evs))
		}
		got := evs[0]
		if n := len(got.Props.Values("ATTENDEE")); n != len(ev.Attendees) {
			t.Fatalf("%d ATTENDEE properties, want %d", n, len(ev.Attendees))
		}
		for _, name := range []string{"SUMMARY", "ORGANIZER", "UID", "DTSTART", "DTEND"} {
			if n := len(got.Props.Values(name)); n != 1 {
				t.Fatalf("%d %s properties, want 1", n, name)
			}
		}
		for _, c := range []struct{ name, typed string }{{"SUMMARY", summary}, {"DESCRIPTION", description}, {"LOCATION", location}} {
			if !utf8.ValidString(c.typed) {
				continue
			}
			want := expectedText(c.typed)
			p := got.Props.Get(c.name)
			if p == nil {
				if want != "" {
					t.Fatalf("%s is missing, want %q", c.name, want)
				}
				continue
			}
			if s, err := p.Text(); err != nil || s != want {
				t.Fatalf("%s reads back as %q (%v), want %q", c.name, s, err, want)
			}
		}
		start, err := got.DateTimeStart(time.UTC)
		if err != nil || !start.Equal(ev.Start) {
			t.Fatalf("DTSTART reads back as %v (%v), want %v", start, err, ev.Start)
		}
	})
}

// expectedText is typed text as the invitation should carry it: CRLF and
// CR become LF, and other control characters but TAB are left out.
func expectedText(s string) string {
	var b strings.Builder
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s)
	for _, r := range s {
		if r == '\n' || r == '\t' || (r >= 0x20 && r != 0x7f) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
