package casework

import (
	"fmt"
	"net/mail"
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

// textProblem says what is wrong with the characters of a typed value
// (TextProblem, by the field's kind: line breaks and tabs only in free
// text) and, in a telephone number, with its form. Empty when the value is
// fine. Choices, dates, times and ticks are read strictly by their kind, so
// a stray character in them is refused there; a password is never stored
// as text.
func textProblem(f process.Field, raw string) string {
	switch f.Kind {
	case process.KindPassword:
		return ""
	case process.KindTextarea:
		return TextProblem(raw, true)
	}
	if msg := TextProblem(raw, false); msg != "" {
		return msg
	}
	if f.Kind == process.KindTel {
		return phoneProblem(raw)
	}
	return ""
}

// Messages of TextProblem.
const (
	msgForbiddenChar = "Deze tekst bevat een teken dat niet is toegestaan: een onzichtbaar stuurteken of opmaakteken, bijvoorbeeld uit een geplakte tekst. Typ de tekst opnieuw."
	msgLineBreak     = "Dit veld past op één regel: haal de regeleinden en tabs weg."
)

// TextProblem is the one rule for the characters of anything typed, on
// every input path (form fields through decode; the web's and the API's
// query strings, paths and JSON bodies through their guards): it returns
// the Dutch message for text that is no valid UTF-8 or holds a character
// nobody types on purpose — control characters (C0 and C1, NUL included:
// PostgreSQL refuses it), zero-width characters, and text-direction
// overrides and isolates, which can make a name read otherwise than it is —
// and, unless multiLine, line breaks and tabs. Free text (multiLine) keeps
// line breaks (\n, \r\n) and tabs. Empty when the text is fine.
func TextProblem(s string, multiLine bool) string {
	if !utf8.ValidString(s) {
		return msgForbiddenChar
	}
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			if !multiLine {
				return msgLineBreak
			}
		case unicode.IsControl(r) || isInvisibleFormat(r):
			return msgForbiddenChar
		}
	}
	return ""
}

// InvalidText is the invalid-input error of text TextProblem refuses,
// for a store that meets such text all the same (PostgreSQL refuses NUL
// with SQLSTATE 22021): a Dutch 422, never a 500. cause is for the log.
func InvalidText(cause error) error {
	return &Error{Code: CodeInvalid, Message: msgForbiddenChar, Err: cause}
}

// CheckAddress applies TextProblem, one line, to what a request carries in
// its address: the path and every query parameter (worklist filters, a
// search, a back link), for the web and the API alike. The error is
// invalid, with a message per parameter by name ("" for the path).
func CheckAddress(path string, query Values) error {
	bad := TextProblem(path, false) != ""
	fields := Fields{}
	for name, vals := range query {
		if TextProblem(name, false) != "" {
			bad = true
			continue
		}
		for _, v := range vals {
			if msg := TextProblem(v, false); msg != "" {
				fields.Add(name, msg)
			}
		}
	}
	if !bad && len(fields) == 0 {
		return nil
	}
	e := &Error{Code: CodeInvalid, Message: "Het adres van deze pagina bevat een teken dat niet is toegestaan: een onzichtbaar stuurteken, opmaakteken of regeleinde. Pas de zoekopdracht of het filter aan en probeer het opnieuw."}
	if len(fields) > 0 {
		e.Fields = fields
	}
	return e
}

// isInvisibleFormat reports whether r is an invisible character that
// changes how text reads or compares without being seen: zero-width
// (space, non-joiner, joiner, word joiner, byte order mark), direction
// marks, and direction overrides and isolates.
func isInvisibleFormat(r rune) bool {
	switch {
	case r >= '\u200b' && r <= '\u200f': // zero-width space, (non-)joiner, LRM, RLM
	case r >= '\u202a' && r <= '\u202e': // embeddings and overrides
	case r >= '\u2066' && r <= '\u2069': // isolates
	case r == '\u2060' || r == '\ufeff' || r == '\u061c':
	default:
		return false
	}
	return true
}

// phoneProblem checks the form of a telephone number: digits, spaces and
// - ( ), a + only in front; then a Dutch number of 10 digits beginning
// with 0 (06-12345678, 010-123 4567), a municipal 14-number (14 0180), or
// an international number, + or 00 then 8 to 15 digits (+31 6 12345678,
// +32 2 123 45 67; "+31 (0)6 …" is read as written).
func phoneProblem(s string) string {
	var digits []byte
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits = append(digits, byte(r))
		case r == ' ' || r == '-' || r == '(' || r == ')':
		case r == '+' && i == 0:
		default:
			return "Een telefoonnummer bestaat uit cijfers, spaties en de tekens + - ( ), bijvoorbeeld 06-12345678 of +31 10 123 4567. Letters en andere tekens kunnen niet."
		}
	}
	d := string(digits)
	switch {
	case strings.HasPrefix(s, "+") || strings.HasPrefix(d, "00"):
		n := len(d)
		if !strings.HasPrefix(s, "+") {
			n -= 2
		}
		if n < 8 || n > 15 {
			return "Een buitenlands telefoonnummer heeft na de + (of 00) 8 tot 15 cijfers, bijvoorbeeld +32 2 123 45 67."
		}
	case strings.HasPrefix(d, "14") && (len(d) == 6 || len(d) == 7):
		// The municipal number: 14 and the area code without its 0.
	case len(d) == 10 && d[0] == '0':
	case len(d) < 10:
		return "Dit telefoonnummer is te kort: een Nederlands nummer heeft 10 cijfers, met het netnummer, bijvoorbeeld 06-12345678 of 010-123 4567."
	default:
		return "Dit is geen Nederlands telefoonnummer: dat heeft 10 cijfers en begint met 0, bijvoorbeeld 06-12345678. Een buitenlands nummer begint met +, bijvoorbeeld +32 2 123 45 67."
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

// validEmail reports whether s is one plain e-mail address (RFC 5322, no
// display name, no quoted or bracketed parts) at a domain of two or more
// labels of letters, digits and hyphens, ending in a name (not digits).
func validEmail(s string) bool {
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Name != "" || addr.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	local, domain := s[:at], s[at+1:]
	if local == "" || len(local) > 64 {
		return false
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	return utf8.RuneCountInString(tld) >= 2 && !allDigits(tld)
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
