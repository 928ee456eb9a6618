package web

import (
	"errors"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// FormView is a process.Form ready to render: fields with their values,
// options and messages, the error summary and a conflict alert.
type FormView struct {
	Action   string
	Hidden   []Hidden
	Fields   []FieldView
	Orphans  []Orphan      // messages for things that are not a field of this form
	Summary  []SummaryItem // the error summary (NL Design System pattern)
	Invalid  bool          // show the error summary
	Alert    string        // conflict or other message above the form
	AlertFor string        // the field the alert is about (#id), when one says the same
	Link     string        // where the alert points to (e.g. the open application)
	Submit   string
	Alt      *AltSubmit // a second way to send the same fields, e.g. as a melding
	Cancel   string     // link back without saving
	Disabled bool       // show the fields without a submit button
}

// AltSubmit is a secondary button that sends the form to another action.
type AltSubmit struct {
	Label  string
	Action string
}

// Hidden is a hidden input, e.g. the version the form was built on.
type Hidden struct {
	Name  string
	Value string
}

// FieldView is one field to render.
type FieldView struct {
	Name         string
	ID           string
	Label        string
	Help         string
	Kind         string // text, email, tel, date, time, amount, textarea, select, radio, checkbox, checkboxes, password
	Required     bool
	Value        string
	Checked      bool // single checkbox
	Options      []OptionView
	Error        string
	Autocomplete string
	Inputmode    string
	Placeholder  string
	MaxLength    int           // the maxlength of a one-line input; 0: none
	Before       template.HTML // shown above the field: the letter a confirmation is about
}

// HelpID is the id of the field's help text.
func (f FieldView) HelpID() string { return f.ID + "-hulp" }

// ErrorID is the id of the field's error message.
func (f FieldView) ErrorID() string { return f.ID + "-fout" }

// DescribedBy lists the ids of the help text and the error message.
func (f FieldView) DescribedBy() string {
	var ids []string
	if f.Help != "" {
		ids = append(ids, f.HelpID())
	}
	if f.Error != "" {
		ids = append(ids, f.ErrorID())
	}
	return strings.Join(ids, " ")
}

// Group reports whether the field renders as a fieldset with a legend.
func (f FieldView) Group() bool {
	return f.Kind == "radio" || f.Kind == "checkboxes"
}

// OptionView is one choice of a select, radio group or checkbox group.
type OptionView struct {
	ID       string
	Value    string
	Label    string
	Selected bool
}

// Orphan is a message about something other than a field (e.g. "plan").
type Orphan struct {
	ID      string
	Message string
}

// SummaryItem is one line of the error summary.
type SummaryItem struct {
	Href    string
	Message string
}

// formSpec is what buildForm needs besides the error.
type formSpec struct {
	form    process.Form
	values  url.Values
	dyn     map[string][]process.Option
	late    bool // show the fields that matter when the term is (nearly) missed
	overdue bool // the term has passed: those fields are required
	action  string
	submit  string
	cancel  string
	hidden  []Hidden
	alt     *AltSubmit
	letter  template.HTML // the preview of the step's letter, shown before its ShowLetter field
}

// requiredNow reports whether a field is required with the outcome the
// values choose: the form's required_with check names that outcome.
func requiredNow(form process.Form, f process.Field, values url.Values) bool {
	outcome := ""
	for _, of := range form.Fields {
		if of.Sets == process.SetsOutcome {
			outcome = values.Get(of.Name)
		}
	}
	if outcome == "" {
		return false
	}
	for _, c := range form.Checks {
		if c.Name == process.CheckRequiredWith && c.Field == f.Name && c.Params[process.ParamOutcome] == outcome {
			return true
		}
	}
	return false
}

// fieldID is the id of a field's input: the target of the summary links.
func fieldID(name string) string { return "f-" + name }

// buildForm turns a form, the submitted or stored values and an error into
// a FormView. err may be nil (a fresh form).
func buildForm(sp formSpec, err error) FormView {
	fv := FormView{Action: sp.action, Submit: sp.submit, Cancel: sp.cancel, Hidden: sp.hidden, Alt: sp.alt}
	if fv.Submit == "" {
		fv.Submit = "Opslaan"
	}
	fieldErrs := casework.FieldErrors(err)
	code := casework.ErrorCode(err)
	known := map[string]bool{}
	for _, f := range sp.form.Fields {
		known[f.Name] = true
		msg := fieldErrs[f.Name]
		vals := sp.values[f.Name]
		empty := msg == "" && strings.TrimSpace(strings.Join(vals, "")) == ""
		needed := requiredNow(sp.form, f, sp.values)
		if f.ShowWhen == process.ShowLate && !sp.late && empty {
			continue
		}
		if f.ShowWhen == process.ShowLetter && (sp.letter == "" || (!needed && empty)) {
			continue
		}
		v := FieldView{Name: f.Name, ID: fieldID(f.Name), Label: f.Label, Help: f.Help, Kind: string(f.Kind),
			Required: f.Required || needed || (f.ShowWhen == process.ShowLate && sp.overdue), Error: msg, Autocomplete: f.Autocomplete}
		if f.ShowWhen == process.ShowLetter {
			v.Before, sp.letter = sp.letter, ""
		}
		switch f.Kind {
		case process.KindText, process.KindEmail, process.KindTel, process.KindPassword, process.KindAmount:
			// The browser stops typing at the maximum of a one-line field.
			v.MaxLength = f.Limit()
		case process.KindTextarea:
			// Free text is not cut off while typing or pasting: the help
			// says the maximum, and a longer text comes back with a
			// message and everything typed.
			if !strings.Contains(strings.ToLower(f.Help), "maximaal") {
				v.Help = strings.TrimSpace(f.Help + " Maximaal " + formatThousands(f.Limit()) + " tekens.")
			}
		}
		if len(vals) > 0 {
			v.Value = vals[0]
		}
		opts := f.Options
		if f.OptionsFrom != "" {
			opts = sp.dyn[f.OptionsFrom]
		}
		switch f.Kind {
		case process.KindDate:
			v.Placeholder = "dd-mm-jjjj"
		case process.KindTime:
			v.Placeholder = "uu:mm"
			v.Inputmode = "numeric"
		case process.KindAmount:
			v.Inputmode = "decimal" // digits with a comma on a phone's keyboard
		case process.KindCheckbox:
			if f.Multiple() {
				v.Kind = "checkboxes"
			} else {
				v.Checked = casework.IsChecked(v.Value)
			}
		case process.KindPassword:
			v.Value = "" // never send a password back to the browser
		}
		if f.Numeric {
			v.Inputmode = "numeric"
		}
		if f.Kind == process.KindSelect || f.Kind == process.KindRadio || v.Kind == "checkboxes" {
			chosen := map[string]bool{}
			for _, x := range vals {
				chosen[x] = true
			}
			hasEmpty := false
			for i, o := range opts {
				id := v.ID
				if i > 0 {
					id = v.ID + "-" + strconv.Itoa(i+1)
				}
				hasEmpty = hasEmpty || o.Value == ""
				v.Options = append(v.Options, OptionView{ID: id, Value: o.Value, Label: o.Label, Selected: chosen[o.Value]})
			}
			if f.Kind == process.KindSelect && !hasEmpty {
				v.Options = append([]OptionView{{Value: "", Label: "Maak een keuze", Selected: len(vals) == 0 || vals[0] == ""}}, v.Options...)
			}
		}
		fv.Fields = append(fv.Fields, v)
		if msg != "" {
			fv.Summary = append(fv.Summary, SummaryItem{Href: "#" + v.ID, Message: msg})
		}
	}
	// Messages about things outside the form, in a stable order.
	for _, k := range casework.Fields(fieldErrs).Keys() {
		if known[k] {
			continue
		}
		o := Orphan{ID: fieldID(k), Message: fieldErrs[k]}
		fv.Orphans = append(fv.Orphans, o)
		fv.Summary = append(fv.Summary, SummaryItem{Href: "#" + o.ID, Message: o.Message})
	}
	switch code {
	case casework.CodeInvalid:
		fv.Invalid = true
		if len(fv.Summary) == 0 {
			fv.Summary = append(fv.Summary, SummaryItem{Message: casework.ErrorMessage(err)})
		}
	case casework.CodeConflict, casework.CodeUnauthorized, casework.CodeTooMany, casework.CodeOverloaded:
		fv.Alert = casework.ErrorMessage(err)
		// A field's message that says the same is not said twice: the
		// alert links to the field instead.
		kept := fv.Summary[:0]
		for _, it := range fv.Summary {
			if it.Message == fv.Alert && fv.AlertFor == "" {
				fv.AlertFor = it.Href
				continue
			}
			kept = append(kept, it)
		}
		fv.Summary = kept
		var ce *casework.Error
		if errors.As(err, &ce) {
			fv.Link = localPath(ce.Link)
		}
	}
	return fv
}

// maxBody is the largest form the web reads: 2 MB, far above what the
// fields' own limits allow together (10.000 characters of free text are at
// most 120 kB posted), so that a user meets a field's limit, with a
// message beside it and the form kept, long before this one.
const maxBody = 2 << 20

// maxDrain is how much of a larger body is still read (and thrown away)
// so that the browser finishes sending and shows the answer.
const maxDrain = 16 << 20

// errBodyTooLarge marks the refusal of a form over maxBody: fail answers
// it with 413.
var errBodyTooLarge = errors.New("form body over the limit")

// formValues reads the posted form (application/x-www-form-urlencoded). A
// malformed body is an invalid request. A body over maxBody is refused with
// an invalid-input error marked errBodyTooLarge, together with the values
// that fitted: a handler re-renders its form with them (withForm), so the
// user keeps what was typed up to the limit and reads, beside the field
// that was cut off, what the limit is.
func formValues(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	if r.Body == nil {
		return url.Values{}, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, &casework.Error{Code: casework.CodeInvalid, Message: "Het formulier kon niet worden gelezen. Probeer het opnieuw.", Err: err}
	}
	if len(body) <= maxBody {
		vals, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, &casework.Error{Code: casework.CodeInvalid, Message: "Het formulier kon niet worden gelezen. Probeer het opnieuw.", Err: err}
		}
		return vals, nil
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, maxDrain))
	// What fitted: whole fields, and the start of the one that was cut off
	// (without a half escape at its end).
	fitted := string(body[:maxBody])
	cut := fitted[strings.LastIndexByte(fitted, '&')+1:]
	if i := strings.LastIndexByte(cut, '%'); i >= 0 && i >= len(cut)-2 {
		fitted = fitted[:len(fitted)-(len(cut)-i)]
	}
	vals, _ := url.ParseQuery(fitted) // keeps every pair it can read
	limit := formatThousands(maxBody>>20) + " MB"
	e := &casework.Error{Code: casework.CodeInvalid, Err: errBodyTooLarge,
		Message: "Het formulier is te groot om te versturen: samen hoogstens " + limit + ". Wat u typte tot die grens staat hieronder; wat daarna kwam, is niet aangekomen. Maak de lange tekst korter en verstuur opnieuw."}
	if name, _, _ := strings.Cut(cut, "="); name != "" {
		if name, err := url.QueryUnescape(name); err == nil {
			e.Fields = map[string]string{name: "Het formulier is te groot om te versturen: samen hoogstens " + limit + ". Deze tekst is daar afgebroken; wat erna kwam, is niet aangekomen. Maak hem korter: een tekstveld heeft hoogstens " +
				formatThousands(process.MaxTextLength) + " tekens."}
		}
	}
	return vals, e
}

// formatThousands writes n with a dot between thousands, as Dutch does.
func formatThousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}

// intField reads an integer from the posted form; 0 when absent or malformed.
func intField(v url.Values, name string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(v.Get(name)))
	return n
}

// pathID reads a numeric path value; an unknown id is a not-found.
func pathID(r *http.Request, name, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, casework.NotFound(what)
	}
	return id, nil
}

// InputType is the type attribute of a single-line input.
func (f FieldView) InputType() string {
	switch f.Kind {
	case "email", "tel", "password":
		return f.Kind
	}
	return "text"
}
