package web

import (
	"errors"
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
	Link     string        // where the alert points to (e.g. the open application)
	Submit   string
	Cancel   string // link back without saving
	Disabled bool   // show the fields without a submit button
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
	Kind         string // text, email, tel, date, time, textarea, select, radio, checkbox, checkboxes, password
	Required     bool
	Value        string
	Checked      bool // single checkbox
	Options      []OptionView
	Error        string
	Autocomplete string
	Inputmode    string
	Placeholder  string
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
	form   process.Form
	values url.Values
	dyn    map[string][]process.Option
	late   bool // show the fields that matter when the term is (nearly) missed
	action string
	submit string
	cancel string
	hidden []Hidden
}

// fieldID is the id of a field's input: the target of the summary links.
func fieldID(name string) string { return "f-" + name }

// buildForm turns a form, the submitted or stored values and an error into
// a FormView. err may be nil (a fresh form).
func buildForm(sp formSpec, err error) FormView {
	fv := FormView{Action: sp.action, Submit: sp.submit, Cancel: sp.cancel, Hidden: sp.hidden}
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
		if f.ShowWhen == process.ShowLate && !sp.late && msg == "" && strings.TrimSpace(strings.Join(vals, "")) == "" {
			continue
		}
		v := FieldView{Name: f.Name, ID: fieldID(f.Name), Label: f.Label, Help: f.Help, Kind: string(f.Kind),
			Required: f.Required, Error: msg, Autocomplete: f.Autocomplete}
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
	case casework.CodeConflict, casework.CodeUnauthorized:
		fv.Alert = casework.ErrorMessage(err)
		var ce *casework.Error
		if errors.As(err, &ce) {
			fv.Link = localPath(ce.Link)
		}
	}
	return fv
}

// formValues parses the request body and returns the posted values.
// The parse error (a body too large or malformed) is an invalid request.
func formValues(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return nil, &casework.Error{Code: casework.CodeInvalid, Message: "Het formulier kon niet worden gelezen. Probeer het opnieuw.", Err: err}
	}
	return r.PostForm, nil
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
