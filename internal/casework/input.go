package casework

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Values are submitted form values by field name, as they arrive: from an
// HTML form or from the API's velden. Use cases decode them once, by the
// form's definition, into an Input.
type Values = url.Values

// Input is a form's values decoded by its definition: every field checked
// for presence, length, kind (date, time, e-mail, option) and turned into
// its typed value. Use cases and checks read only typed values from it.
type Input struct {
	form    process.Form
	text    map[string]string
	dates   map[string]time.Time
	times   map[string]time.Duration
	cents   map[string]int64
	lists   map[string][]string
	checked map[string]bool
}

// decode checks every field of form against the submitted values, with the
// choices of the option sources in opts, and returns the typed input and
// the field messages found. Values for names outside the form are ignored.
func decode(form process.Form, v Values, opts map[string][]process.Option) (Input, Fields) {
	in := Input{form: form, text: map[string]string{}, dates: map[string]time.Time{}, times: map[string]time.Duration{},
		cents: map[string]int64{}, lists: map[string][]string{}, checked: map[string]bool{}}
	errs := Fields{}
	for _, f := range form.Fields {
		choices := f.Options
		if f.OptionsFrom != "" {
			choices = opts[f.OptionsFrom]
		}
		if f.Multiple() {
			var vals []string
			for _, val := range v[f.Name] {
				if val = strings.TrimSpace(val); val != "" {
					vals = append(vals, val)
				}
			}
			if f.Required && len(vals) == 0 {
				errs.Add(f.Name, "Kies ten minste één "+strings.ToLower(f.Label)+".")
			}
			for _, val := range vals {
				if !hasOption(choices, val) {
					errs.Add(f.Name, "Kies een van de getoonde mogelijkheden bij "+strings.ToLower(f.Label)+".")
				}
			}
			in.lists[f.Name] = vals
			continue
		}
		raw := strings.TrimSpace(v.Get(f.Name))
		if f.Kind == process.KindPassword {
			raw = v.Get(f.Name) // a password is taken as typed
		}
		if raw == "" {
			if f.Required {
				errs.Add(f.Name, requiredMessage(f))
			}
			continue
		}
		if n := utf8.RuneCountInString(raw); n > f.Limit() {
			errs.Add(f.Name, tooLongMessage(f.Limit(), n))
			continue
		}
		if msg := textProblem(f, raw); msg != "" {
			errs.Add(f.Name, msg)
			continue
		}
		if msg := in.take(f, raw, choices); msg != "" {
			errs.Add(f.Name, msg)
			continue
		}
		in.text[f.Name] = raw
	}
	return in, errs
}

// take reads a non-empty value by the field's kind into its typed value,
// or returns why it cannot.
func (in Input) take(f process.Field, raw string, choices []process.Option) string {
	switch f.Kind {
	case process.KindDate:
		d, ok := ParseDate(raw)
		if !ok {
			return "Vul een bestaande datum in als dd-mm-jjjj, bijvoorbeeld 03-02-2027."
		}
		in.dates[f.Name] = d
	case process.KindTime:
		t, ok := ParseClock(raw)
		if !ok {
			return "Vul een tijd in als uu:mm in 24-uursnotatie, bijvoorbeeld 09:30."
		}
		in.times[f.Name] = t
	case process.KindAmount:
		c, msg := ParseAmount(raw)
		if msg != "" {
			return msg
		}
		in.cents[f.Name] = c
	case process.KindRadio, process.KindSelect:
		if !hasOption(choices, raw) {
			return "Kies een van de getoonde mogelijkheden bij " + strings.ToLower(f.Label) + "."
		}
	case process.KindEmail:
		if !validEmail(raw) {
			return "Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."
		}
	case process.KindCheckbox:
		if !IsChecked(raw) {
			return "Ongeldige waarde."
		}
		in.checked[f.Name] = true
	}
	return ""
}

// textProblem says what is wrong with the characters of a typed value:
// control characters (a line break in a one-line field, anything
// invisible but line breaks and tabs in free text, text-direction
// overrides) and, in a telephone number, anything but digits, spaces and
// + - ( ). Empty when the value is fine.
func textProblem(f process.Field, raw string) string {
	multiLine := false
	switch f.Kind {
	case process.KindTextarea:
		multiLine = true
	case process.KindText, process.KindEmail, process.KindTel, process.KindAmount:
	default:
		return ""
	}
	for _, r := range raw {
		switch {
		case (r == '\n' || r == '\r') && !multiLine:
			return "Dit veld past op één regel: haal de regeleinden weg."
		case r == '\n' || r == '\r' || (r == '\t' && multiLine):
		case unicode.IsControl(r) || isBidiControl(r):
			return "Deze tekst bevat een onzichtbaar stuurteken (bijvoorbeeld uit een geplakte tekst). Typ de tekst opnieuw."
		}
	}
	if f.Kind == process.KindTel {
		return phoneProblem(raw)
	}
	return ""
}

// isBidiControl reports whether r overrides or isolates the direction of
// text: invisible, and able to make a name read otherwise than it is.
func isBidiControl(r rune) bool {
	return (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}

// minPhoneDigits is the fewest digits of a telephone number (14 0180 has six).
const minPhoneDigits = 6

// phoneProblem checks that a telephone number holds only digits, spaces
// and + - ( ), a + only in front, and at least minPhoneDigits digits.
func phoneProblem(s string) string {
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ' ' || r == '-' || r == '(' || r == ')':
		case r == '+' && i == 0:
		default:
			return "Een telefoonnummer bestaat uit cijfers, spaties en de tekens + - ( ), bijvoorbeeld 06-12345678 of +31 10 123 4567. Letters en andere tekens kunnen niet."
		}
	}
	if digits < minPhoneDigits {
		return "Dit telefoonnummer is te kort: vul het hele nummer in, met netnummer."
	}
	return ""
}

func requiredMessage(f process.Field) string {
	label := strings.ToLower(f.Label[:1]) + f.Label[1:]
	switch f.Kind {
	case process.KindCheckbox:
		return "Bevestig: " + label + "."
	case process.KindRadio, process.KindSelect:
		return "Kies " + strings.ToLower(f.Label) + "."
	}
	return "Vul " + label + " in."
}

func tooLongMessage(limit, n int) string {
	return "Deze tekst is te lang: maximaal " + thousands(limit) + " tekens, u typte er " + thousands(n) + "."
}

// thousands writes n with a dot between thousands, as Dutch does.
func thousands(n int) string { return thousands64(int64(n)) }

// IsChecked reports whether a tick box's value means "ticked".
func IsChecked(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "ja", "on", "true", "1":
		return true
	}
	return false
}

// Text returns a field's value, trimmed; "" when empty or invalid.
func (in Input) Text(name string) string { return in.text[name] }

// Date returns a date field's value; the zero time when empty or invalid.
func (in Input) Date(name string) time.Time { return in.dates[name] }

// Clock returns a time field's value as the time since midnight.
func (in Input) Clock(name string) (time.Duration, bool) {
	t, ok := in.times[name]
	return t, ok
}

// Cents returns an amount field's value in euro cents; 0 when empty or
// invalid.
func (in Input) Cents(name string) int64 { return in.cents[name] }

// Checked reports whether a single tick box is ticked.
func (in Input) Checked(name string) bool { return in.checked[name] }

// List returns the ticked values of a group of tick boxes.
func (in Input) List(name string) []string { return in.lists[name] }

// Int returns a field's value as a number; 0 when empty or not a number.
func (in Input) Int(name string) int {
	n, _ := strconv.Atoi(in.text[name])
	return n
}

// ID returns a field's value as an id; 0 when empty or not an id.
func (in Input) ID(name string) int64 { return parseID(in.text[name]) }

// Set returns the value of the field that sets what (process.SetsOutcome,
// process.SetsHolder), as text.
func (in Input) Set(what string) string {
	if name := in.form.Sets(what); name != "" {
		return in.text[name]
	}
	return ""
}

// Record returns the form's fields as submitted, for the step's record:
// lists joined with ", ", empty fields left out.
func (in Input) Record() map[string]string {
	out := map[string]string{}
	for _, f := range in.form.Fields {
		if f.Kind == process.KindPassword {
			continue
		}
		switch {
		case len(in.lists[f.Name]) > 0:
			out[f.Name] = strings.Join(in.lists[f.Name], ", ")
		case in.text[f.Name] != "":
			out[f.Name] = in.text[f.Name]
		}
	}
	return out
}

func hasOption(opts []process.Option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

func parseID(s string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return 0
	}
	return n
}

func validEmail(s string) bool {
	at := strings.LastIndex(s, "@")
	return at > 0 && at < len(s)-3 && strings.Contains(s[at:], ".") && !strings.ContainsAny(s, " <>\"\r\n")
}

// ParseDate reads a date as dd-mm-jjjj (display format) or jjjj-mm-dd (HTML
// date input, API). Impossible dates (31-02-2027) are refused.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"02-01-2006", "2-1-2006", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, process.Amsterdam); err == nil {
			if t.Year() < 1900 || t.Year() > 2200 {
				return time.Time{}, false
			}
			return t, true
		}
	}
	return time.Time{}, false
}

// ParseClock reads a time of day as uu:mm (24h).
func ParseClock(s string) (time.Duration, bool) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, false
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, true
}

// MaxAmountCents is the largest amount a form takes: € 1.000.000,00. An
// advance or any other amount of this process lies far below it; a larger
// one is a typing error.
const MaxAmountCents = 100_000_000

// ParseAmount reads an amount in euro as Dutch writes it: a comma before
// the cents and, optionally, dots between thousands ("1.234,56", "1234,5",
// "€ 250"). It returns the amount in cents, or a Dutch message saying what
// is wrong: a dot before the cents ("1234.56" is ambiguous in Dutch and
// refused), dots in the wrong places, more than two decimals, nothing above
// zero, or more than MaxAmountCents.
func ParseAmount(s string) (int64, string) {
	const example = " Schrijf het bedrag in euro met een komma voor de centen, bijvoorbeeld 1.234,56."
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "€"))
	s = strings.ReplaceAll(s, "\u00a0", "")
	whole, frac, hasComma := strings.Cut(s, ",")
	if whole == "" || strings.ContainsAny(frac, ".,") {
		return 0, "Dit is geen bedrag." + example
	}
	if hasComma && (len(frac) == 0 || len(frac) > 2 || !allDigits(frac)) {
		return 0, "Een bedrag heeft hoogstens twee cijfers achter de komma." + example
	}
	if strings.Contains(whole, ".") {
		groups := strings.Split(whole, ".")
		if !hasComma && len(groups) == 2 && len(groups[1]) != 3 {
			return 0, "Gebruik een komma voor de centen, geen punt." + example
		}
		for i, g := range groups {
			if !allDigits(g) || (i > 0 && len(g) != 3) || (i == 0 && (len(g) == 0 || len(g) > 3)) {
				return 0, "De punten staan niet tussen groepen van drie cijfers." + example
			}
		}
		whole = strings.Join(groups, "")
	}
	if !allDigits(whole) || len(whole) > 12 {
		return 0, "Dit is geen bedrag." + example
	}
	euros, _ := strconv.ParseInt(whole, 10, 64)
	for len(frac) < 2 {
		frac += "0"
	}
	cents, _ := strconv.ParseInt(frac, 10, 64)
	total := euros*100 + cents
	switch {
	case total <= 0:
		return 0, "Het bedrag moet groter zijn dan nul."
	case total > MaxAmountCents:
		return 0, "Dit bedrag is te hoog: hoogstens " + FormatAmount(MaxAmountCents) + "."
	}
	return total, ""
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// FormatAmount shows cents as an amount in euro: "€ 1.234,56".
func FormatAmount(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("€ %s%s,%02d", sign, thousands64(cents/100), cents%100)
}

// thousands64 writes n with a dot between thousands.
func thousands64(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}

// FormatDate shows a date as dd-mm-jjjj.
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(process.Amsterdam).Format("02-01-2006")
}

// FormatDateTime shows a moment as dd-mm-jjjj uu:mm in Europe/Amsterdam.
func FormatDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(process.Amsterdam).Format("02-01-2006 15:04")
}

// FormatClock shows a time of day as uu:mm.
func FormatClock(t time.Time) string { return t.In(process.Amsterdam).Format("15:04") }
