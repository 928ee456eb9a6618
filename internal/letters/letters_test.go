package letters_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/browsertest"
	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/letters"
	"github.com/bar-organisatie/werkdiagnose/internal/pdf"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// letterDay is the date of the test letters: Friday 13 November 2026. A
// decision sent that day can be objected to until Monday 28 December:
// six weeks end on Eerste Kerstdag and run on past Tweede Kerstdag and the
// weekend (Algemene termijnenwet).
var letterDay = time.Date(2026, 11, 13, 0, 0, 0, 0, process.Amsterdam)

// example is a letter to an invented client with a recognisable address.
func example(t *testing.T, key process.LetterKey, channel string) casework.LetterData {
	t.Helper()
	cal, err := process.NewCalendar(process.DefaultTermCalendarPolicy())
	if err != nil {
		t.Fatal(err)
	}
	cfg := casework.DefaultConfig()
	sender := casework.LetterSender{Municipality: cfg.Contact.Municipality, Department: cfg.Letterhead.Department,
		Address: cfg.Contact.Address, PostalAddress: cfg.Letterhead.PostalAddress, Phone: cfg.Contact.Phone,
		PhoneHours: cfg.Contact.PhoneHours, Website: cfg.Letterhead.Website, Signatory: cfg.Letterhead.Signatory,
		SignatoryFunction: cfg.Letterhead.SignatoryFunction, ObjectionAddress: cfg.Letterhead.ObjectionAddress}
	d := casework.ExampleLetter(key, letterDay, cal, sender, process.DefaultPolicy())
	d.Client = casework.LetterClient{Name: "Fatima El Amrani", AddressLines: []string{"Kerkweg 12", "2982 CD Ridderkerk"}, Number: "77"}
	d.Channel = channel
	if channel == casework.LetterByPost {
		d.Client.BSN = "249566758"
	}
	return d
}

// required lists what each letter must say, as the reader of the PDF
// finds it (see docs/law.md, "Brieven").
var required = map[process.LetterKey][]string{
	process.LetterOntvangst:   {"ontvangen op", "uiterlijk op", "artikel 4:3a"},
	process.LetterAanvulling:  {"Uw bankafschriften", "uiterlijk op 27 november 2026", "artikel 4:5", "niet te behandelen"},
	process.LetterVerdaging:   {"meer tijd nodig", "UWV", "artikel 4:14"},
	process.LetterToekenning:  {"u krijgt een bijstandsuitkering", "gaat in op", "artikel 11", "artikel 43", "Waarom", "Bent u het niet eens", "28 december 2026", "6 weken"},
	process.LetterAfwijzing:   {"u krijgt geen bijstandsuitkering", "spaarrekening", "artikel 11", "artikel 34", "Bent u het niet eens", "28 december 2026", "6 weken"},
	process.LetterUitnodiging: {"Gesprek over werk", "10.00", "Marktplein 10", "Sanne de Voorbeeld", "Kunt u niet komen"},
	process.LetterPlan:        {"Binnen zes maanden", "Hallo Werk", "artikel 9", "artikel 18", "artikel 44a", "Handtekening"},
	process.LetterMelding:     {"4 weken", "11 december 2026", "artikel 41"},
}

// TestLettersAsPDF renders every letter, prints it with Chromium and reads
// it back with an independent reader (poppler's pdftotext and pdfinfo): the
// client's name and address, each letter's required parts, a tagged PDF
// with language and title, and the BSN only on a posted decision.
func TestLettersAsPDF(t *testing.T) {
	chromium := browsertest.Chromium(t)
	for _, tool := range []string{"pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is missing (poppler-utils); CI is set, so this fails instead of skipping", tool)
			}
			t.Skipf("%s is missing: install Debian's poppler-utils", tool)
		}
	}
	r := pdf.New(chromium, time.Minute, 0)
	t.Cleanup(r.Close)
	tm := letters.MustNew()
	dir := t.TempDir()
	for _, key := range process.LetterKeys() {
		for _, channel := range []string{casework.LetterByPost, casework.LetterByEmail} {
			d := example(t, key, channel)
			out, err := tm.Letter(d)
			if err != nil {
				t.Fatalf("%s: %v", key, err)
			}
			start := time.Now()
			b, err := r.PDF(context.Background(), out.HTML)
			if err != nil {
				t.Fatalf("%s: pdf: %v", key, err)
			}
			t.Logf("%s (%s): %d bytes of PDF in %s", key, channel, len(b), time.Since(start).Round(time.Millisecond))
			file := filepath.Join(dir, string(key)+"-"+channel+".pdf")
			if err := os.WriteFile(file, b, 0o600); err != nil {
				t.Fatal(err)
			}
			text := run(t, "pdftotext", "-layout", file, "-")
			flat := strings.Join(strings.Fields(text), " ")
			for _, want := range append([]string{"Fatima El Amrani", "Kerkweg 12", "2982 CD Ridderkerk", "Geachte Fatima El Amrani", d.Title},
				required[key]...) {
				if !strings.Contains(flat, want) {
					t.Errorf("%s (%s): the PDF's text lacks %q", key, channel, want)
				}
			}
			decision := key == process.LetterToekenning || key == process.LetterAfwijzing
			if has := strings.Contains(flat, "249566758"); has != (decision && channel == casework.LetterByPost) {
				t.Errorf("%s (%s): BSN shown = %v", key, channel, has)
			}
			info := run(t, "pdfinfo", file)
			if !regexp.MustCompile(`(?m)^Tagged:\s+yes`).MatchString(info) {
				t.Errorf("%s: not a tagged PDF:\n%s", key, info)
			}
			if !regexp.MustCompile(`(?m)^Title:\s+` + regexp.QuoteMeta(d.Title)).MatchString(info) {
				t.Errorf("%s: title not in the PDF:\n%s", key, info)
			}
			if !bytes.Contains(b, []byte("/StructTreeRoot")) || !regexp.MustCompile(`/Marked\s*true`).Match(b) {
				t.Errorf("%s: no structure tree or MarkInfo", key)
			}
			if !regexp.MustCompile(`/Lang\s*\(nl\)`).Match(b) {
				t.Errorf("%s: no /Lang (nl) in the PDF", key)
			}
		}
	}
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out)
}

// TestLetterHTML: every letter is a document with language, title and one
// h1; the text part has its words; subjects never hold a BSN, and a mailed
// letter shows none.
func TestLetterHTML(t *testing.T) {
	tm := letters.MustNew()
	for _, key := range process.LetterKeys() {
		for _, channel := range []string{casework.LetterByPost, casework.LetterByEmail} {
			d := example(t, key, channel)
			out, err := tm.Letter(d)
			if err != nil {
				t.Fatalf("%s: %v", key, err)
			}
			for _, want := range []string{`<html lang="nl">`, "<title>" + d.Title, "<h1>"} {
				if !strings.Contains(out.HTML, want) {
					t.Errorf("%s: HTML lacks %q", key, want)
				}
			}
			if strings.Count(out.HTML, "<h1>") != 1 {
				t.Errorf("%s: %d h1", key, strings.Count(out.HTML, "<h1>"))
			}
			if strings.Contains(out.Subject, "249566758") || (channel == casework.LetterByEmail && strings.Contains(out.HTML+out.Text, "249566758")) {
				t.Errorf("%s (%s): BSN in a mail", key, channel)
			}
			for _, want := range append([]string{"Geachte Fatima El Amrani,"}, required[key]...) {
				if !strings.Contains(strings.Join(strings.Fields(out.Text), " "), want) {
					t.Errorf("%s: text lacks %q:\n%s", key, want, out.Text)
				}
			}
			for _, jargon := range []string{"KM Werkdiagnose", "0/L2 ", "17/PA", "Werkdiagnose"} {
				if strings.Contains(out.Text, jargon) && !strings.Contains(out.Text, "kenmerk") {
					t.Errorf("%s: says %q", key, jargon)
				}
			}
		}
	}
	// Data the letter cannot do without is refused.
	d := example(t, process.LetterAfwijzing, casework.LetterByPost)
	d.Decision.Reasons = ""
	if _, err := tm.Letter(d); err == nil {
		t.Error("a refusal without reasons was rendered")
	}
}

// TestLogo: a configured logo is in every letter, as data; a file that is
// no image is refused at start.
func TestLogo(t *testing.T) {
	dir := t.TempDir()
	svg := filepath.Join(dir, "logo.svg")
	os.WriteFile(svg, []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>`), 0o600)
	tm, err := letters.New(svg)
	if err != nil {
		t.Fatal(err)
	}
	out, err := tm.Letter(example(t, process.LetterOntvangst, casework.LetterByEmail))
	if err != nil || !strings.Contains(out.HTML, `src="data:image/svg&#43;xml;base64,`) || !strings.Contains(out.HTML, `alt="Logo gemeente Ridderkerk"`) {
		t.Errorf("logo: %v\n%s", err, out.HTML[:min(len(out.HTML), 3000)])
	}
	bad := filepath.Join(dir, "logo.txt")
	os.WriteFile(bad, []byte("geen plaatje"), 0o600)
	if _, err := letters.New(bad); err == nil {
		t.Error("a text file was accepted as logo")
	}
}
