package api

import (
	"encoding/json"
	"fmt"
	"maps"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// FieldValue is the value of one form field: a string, or an array of
// strings for a group of checkboxes. The API leaves its content to the
// service, which checks it with the same Dutch messages as the HTML forms.
type FieldValue []string

// UnmarshalJSON accepts a string or an array of strings.
func (v *FieldValue) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*v = FieldValue{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("field value: want a string or an array of strings")
	}
	*v = many
	return nil
}

// MarshalJSON writes a single value as a string.
func (v FieldValue) MarshalJSON() ([]byte, error) {
	if len(v) == 1 {
		return json.Marshal(v[0])
	}
	return json.Marshal([]string(v))
}

// Schema implements huma.SchemaProvider.
func (FieldValue) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{
		Description: "Een tekst, of een lijst teksten bij een groep vinkjes.",
		OneOf: []*huma.Schema{
			{Type: huma.TypeString, MaxLength: ptr(10000)},
			{Type: huma.TypeArray, Items: &huma.Schema{Type: huma.TypeString, MaxLength: ptr(10000)}, MaxItems: ptr(100)},
		},
	}
}

func ptr[T any](v T) *T { return &v }

// Velden are the form values of a mutating action, by field name.
type Velden map[string]FieldValue

// values converts the JSON form values to the url.Values the service reads.
func (v Velden) values() casework.Values {
	out := casework.Values{}
	for name, vals := range v {
		out[name] = append([]string(nil), vals...)
	}
	return out
}

// optionSources explains the dynamic option lists a form refers to.
var optionSources = map[string]string{
	process.SourceKlantmanagers:       "het id van een klantmanager; de keuzes staan bij GET /api/taken/{id}",
	process.SourcePlannedTrajectories: "het rijnummer (1, 2, 3) van een traject uit het plan van aanpak; de keuzes staan bij GET /api/taken/{id}",
	process.SourceTrajectoriesFinish:  "het id van een lopend traject dat afgemaakt mag worden; de keuzes staan bij GET /api/taken/{id}",
	process.SourcePlanDocuments:       "het id van een document van het participatiedossier: een geüploade scan of een afgedrukt plan van aanpak (GET /api/klanten/{id}/documenten)",
}

var kindNames = map[process.FieldKind]string{
	process.KindText:     "tekst",
	process.KindTextarea: "tekst, meerdere regels",
	process.KindDate:     "datum jjjj-mm-dd (dd-mm-jjjj mag ook)",
	process.KindTime:     "tijd uu:mm",
	process.KindSelect:   "keuze",
	process.KindRadio:    "keuze",
	process.KindCheckbox: `vinkje: "ja"`,
	process.KindEmail:    "e-mailadres",
	process.KindTel:      "telefoonnummer",
	process.KindAmount:   "bedrag in euro, zoals 1.234,56",
}

// describeForm lists a form's fields in Markdown for an operation's
// description, so the documentation follows casework's forms.
func describeForm(form process.Form, dyn map[string][]process.Option) string {
	var b strings.Builder
	for _, f := range form.Fields {
		req := "optioneel"
		if f.Required {
			req = "verplicht"
		}
		kind := kindNames[f.Kind]
		if f.Multiple() {
			kind = "lijst van keuzes"
		}
		fmt.Fprintf(&b, "- `%s` (%s, %s): %s.", f.Name, kind, req, strings.TrimSuffix(f.Label, "."))
		if f.Help != "" {
			fmt.Fprintf(&b, " %s", f.Help)
		}
		if f.ShowWhen == process.ShowLate {
			b.WriteString(" Alleen nodig als de termijn niet gehaald wordt.")
		}
		opts := f.Options
		if f.OptionsFrom != "" {
			opts = dyn[f.OptionsFrom]
		}
		if len(opts) > 0 {
			vals := make([]string, 0, len(opts))
			for _, o := range opts {
				if o.Value == "" {
					vals = append(vals, fmt.Sprintf("`\"\"` (%s)", o.Label))
					continue
				}
				vals = append(vals, fmt.Sprintf("`%s` (%s)", o.Value, o.Label))
			}
			fmt.Fprintf(&b, " Keuzes: %s.", strings.Join(vals, ", "))
		} else if src, ok := optionSources[f.OptionsFrom]; ok {
			fmt.Fprintf(&b, " Waarde: %s.", src)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// stepForms describes the form of every step of the definition.
func stepForms(def *process.Definition, statics map[string][]process.Option) string {
	var b strings.Builder
	for _, st := range def.Steps {
		form := st.Form
		dyn := maps.Clone(statics)
		if o, ok := def.Options(st.Key, process.SourceOutcomes); ok {
			dyn[process.SourceOutcomes] = o
		}
		fmt.Fprintf(&b, "\n**%s** (stap `%s`)\n\n", st.Title, st.Key)
		if len(form.Fields) == 0 {
			b.WriteString("Geen velden.\n")
			continue
		}
		b.WriteString(describeForm(form, dyn))
	}
	return b.String()
}

// staticOptions are the option lists that come from the configuration
// rather than from the case, with the rooms by name only.
func staticOptions(appts casework.AppointmentService, proc casework.ProcessService) map[string][]process.Option {
	opts := appts.AppointmentOptions()
	cfg := proc.Config()
	rooms := make([]process.Option, 0, len(opts[process.SourceRooms]))
	for _, o := range opts[process.SourceRooms] {
		if r, ok := cfg.Room(o.Value); ok {
			o.Label = r.Name
		}
		rooms = append(rooms, o)
	}
	opts[process.SourceRooms] = rooms
	return opts
}
