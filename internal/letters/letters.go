// Package letters renders the letters the municipality sends its clients
// from the Dutch templates in templates/ (one per process.LetterKey, with a
// common letterhead in layout.html). It implements casework.Letters:
// casework decides what a letter says (casework.LetterData); this package
// lays it out as an HTML document fit for print-to-PDF (lang="nl", a
// title, real headings, tables with header cells) and as plain text for
// the body of a mail.
//
// A letter shows the client's BSN only when its template asks for it (it
// defines "shows_bsn") and casework gave one, which it does only for a
// letter that goes by post: a mail never holds a BSN.
package letters

import (
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

//go:embed templates/*.html
var files embed.FS

// Templates renders letters; it is safe for concurrent use.
type Templates struct {
	byKey map[process.LetterKey]*template.Template
	logo  template.URL // data: URL of the logo, or ""
}

var _ casework.Letters = (*Templates)(nil)

// New parses the templates and reads the logo file (an SVG, PNG or JPEG;
// "" for none). It fails when a letter has no template or the logo cannot
// be read.
func New(logoPath string) (*Templates, error) {
	base, err := template.New("letters").Funcs(funcs).ParseFS(files, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("letters: layout: %w", err)
	}
	t := &Templates{byKey: map[process.LetterKey]*template.Template{}}
	for _, k := range process.LetterKeys() {
		c, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := c.ParseFS(files, "templates/"+string(k)+".html"); err != nil {
			return nil, fmt.Errorf("letters: template of %s: %w", k, err)
		}
		for _, name := range []string{"subject", "body"} {
			if c.Lookup(name) == nil {
				return nil, fmt.Errorf("letters: template of %s defines no %q", k, name)
			}
		}
		t.byKey[k] = c
	}
	if logoPath != "" {
		if t.logo, err = logoURL(logoPath); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// MustNew is New without a logo, for tests and tools; it panics on an
// error, which only a broken template causes.
func MustNew() *Templates {
	t, err := New("")
	if err != nil {
		panic(err)
	}
	return t
}

// logoURL reads a logo file into a data: URL, so a letter needs nothing
// from outside itself to render.
func logoURL(path string) (template.URL, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("letters: logo: %w", err)
	}
	ct := http.DetectContentType(b)
	switch {
	case strings.EqualFold(filepath.Ext(path), ".svg") && strings.Contains(string(b[:min(len(b), 1024)]), "<svg"):
		ct = "image/svg+xml"
	case ct == "image/png" || ct == "image/jpeg":
	default:
		return "", fmt.Errorf("letters: logo %s is not an SVG, PNG or JPEG file", path)
	}
	// The data comes from the configuration, read at start; it is encoded
	// and cannot break out of the attribute.
	return template.URL("data:" + ct + ";base64," + base64.StdEncoding.EncodeToString(b)), nil
}

// page is what the layout reads: the letter's data and what the package
// adds.
type page struct {
	casework.LetterData
	Logo    template.URL
	ShowBSN bool
}

// Letter renders the letter of d.Key.
func (t *Templates) Letter(d casework.LetterData) (casework.RenderedLetter, error) {
	tm, ok := t.byKey[d.Key]
	if !ok {
		return casework.RenderedLetter{}, fmt.Errorf("letters: no template for %q", d.Key)
	}
	if err := complete(d); err != nil {
		return casework.RenderedLetter{}, err
	}
	p := page{LetterData: d, Logo: t.logo, ShowBSN: tm.Lookup("shows_bsn") != nil && d.Channel == casework.LetterByPost}
	if !p.ShowBSN {
		p.Client.BSN = ""
	}
	var subject, html strings.Builder
	if err := tm.ExecuteTemplate(&subject, "subject", p); err != nil {
		return casework.RenderedLetter{}, fmt.Errorf("letters: subject of %s: %w", d.Key, err)
	}
	if err := tm.ExecuteTemplate(&html, "letter", p); err != nil {
		return casework.RenderedLetter{}, fmt.Errorf("letters: %s: %w", d.Key, err)
	}
	text, err := Text(html.String())
	if err != nil {
		return casework.RenderedLetter{}, err
	}
	return casework.RenderedLetter{Subject: strings.Join(strings.Fields(subject.String()), " "), HTML: html.String(), Text: text}, nil
}

// complete refuses data a letter cannot do without: it is casework's to
// give, so a missing part is a programming error, not the user's.
func complete(d casework.LetterData) error {
	missing := ""
	switch d.Key {
	case process.LetterToekenning, process.LetterAfwijzing:
		switch {
		case d.Decision == nil:
			missing = "decision"
		case d.Decision.ObjectionDue.IsZero():
			missing = "objection date"
		case d.Key == process.LetterToekenning && d.Decision.StartOn.IsZero():
			missing = "date of entitlement"
		case d.Key == process.LetterAfwijzing && strings.TrimSpace(d.Decision.Reasons) == "":
			missing = "reasons"
		}
	case process.LetterAanvulling:
		if d.Completion == nil {
			missing = "completion"
		}
	case process.LetterVerdaging:
		if d.Delay == nil {
			missing = "delay"
		}
	case process.LetterUitnodiging:
		if d.Appointment == nil {
			missing = "appointment"
		}
	case process.LetterPlan:
		if d.Plan == nil {
			missing = "plan"
		}
	case process.LetterMelding:
		if d.Melding == nil {
			missing = "melding"
		}
	}
	if missing != "" {
		return fmt.Errorf("letters: %s without its %s", d.Key, missing)
	}
	return nil
}

// months are the Dutch names of the months.
var months = [...]string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
	"oktober", "november", "december"}

// days are the Dutch names of the weekdays, Sunday first.
var days = [...]string{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"}

// longDate writes a date as a letter does: "4 januari 2027".
func longDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(process.Amsterdam)
	return fmt.Sprintf("%d %s %d", t.Day(), months[t.Month()-1], t.Year())
}

// longDay writes a date with its weekday: "maandag 4 januari 2027".
func longDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return days[t.In(process.Amsterdam).Weekday()] + " " + longDate(t)
}

// clock writes a time of day as Dutch letters do: "10.00".
func clock(t time.Time) string { return t.In(process.Amsterdam).Format("15.04") }

// lines splits text into its non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// paragraphs splits text at blank lines; single line breaks join.
func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// upperFirst writes s with a capital: "Gemeente Ridderkerk".
func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

var funcs = template.FuncMap{"longDate": longDate, "longDay": longDay, "clock": clock, "lines": lines,
	"paragraphs": paragraphs, "upperFirst": upperFirst}
