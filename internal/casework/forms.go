package casework

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// FieldKind is the input a form field needs.
type FieldKind string

const (
	KindText     FieldKind = "text"
	KindTextarea FieldKind = "textarea"
	KindDate     FieldKind = "date"
	KindTime     FieldKind = "time"
	KindSelect   FieldKind = "select"
	KindRadio    FieldKind = "radio"
	KindCheckbox FieldKind = "checkbox"
	KindEmail    FieldKind = "email"
	KindTel      FieldKind = "tel"
)

// Option is a choice in a select or radio group.
type Option struct {
	Value string
	Label string
}

// Field describes one form field: the web renders it, the API documents it,
// and Validate checks it, so all three agree on names and messages.
type Field struct {
	Name     string
	Label    string
	Help     string
	Kind     FieldKind
	Required bool
	Options  []Option
	// OptionsFrom names a dynamic list the page fills: "rooms", "klantmanagers",
	// "durations", "trajectories_finish", "planned_trajectories".
	OptionsFrom string
	// ShowWhen: only relevant when this condition holds (e.g. "late").
	ShowWhen string
}

// Form is the fields of one form.
type Form struct {
	Fields []Field
}

// Field returns the field with the given name.
func (f Form) Field(name string) (Field, bool) {
	for _, fl := range f.Fields {
		if fl.Name == name {
			return fl, true
		}
	}
	return Field{}, false
}

// Values are submitted form values (url.Values from HTML, a JSON object from the API).
type Values = url.Values

// Common field names.
const (
	FieldVersion     = "versie"
	FieldDate        = "datum"
	FieldTime        = "tijd"
	FieldDuration    = "duur"
	FieldRoom        = "spreekkamer"
	FieldKM          = "klantmanager"
	FieldLateReason  = "reden_termijn"
	FieldPlanVersion = "basis_versie"
)

func appointmentFields(withKM bool) []Field {
	fs := []Field{
		{Name: FieldDate, Label: "Datum van de afspraak", Help: "Formaat dd-mm-jjjj, een werkdag, niet in het verleden.", Kind: KindDate, Required: true},
		{Name: FieldTime, Label: "Begintijd", Help: "24-uursnotatie op een kwartier, bijvoorbeeld 09:30.", Kind: KindTime, Required: true},
		{Name: FieldDuration, Label: "Duur", Kind: KindSelect, Required: true, OptionsFrom: "durations"},
		{Name: FieldRoom, Label: "Spreekkamer", Kind: KindSelect, Required: true, OptionsFrom: "rooms"},
	}
	if withKM {
		fs = append(fs, Field{Name: FieldKM, Label: "Klantmanager Werkdiagnose", Help: "Tussen haakjes het aantal lopende dossiers.", Kind: KindSelect, Required: true, OptionsFrom: "klantmanagers"})
	}
	return fs
}

var lateReasonField = Field{Name: FieldLateReason, Label: "Reden termijn niet gehaald",
	Help: "Verplicht als de termijn van 1 week niet gehaald wordt.", Kind: KindTextarea, ShowWhen: "late"}

// StepForm returns the form of a step.
func StepForm(def *process.Definition, step process.StepKey) Form {
	p := def.Policy
	switch step {
	case process.StepIntakeGesprek:
		return Form{Fields: []Field{
			{Name: "gesprek_datum", Label: "Datum van het intakegesprek", Kind: KindDate, Required: true, Help: "Formaat dd-mm-jjjj, niet in de toekomst."},
			{Name: "rechtmatigheid", Label: "Uitvraag rechtmatigheid", Help: "Inkomen, vermogen, woonsituatie en leefvorm, verblijfstatus.", Kind: KindTextarea, Required: true},
			{Name: "doelmatigheid", Label: "Uitvraag doelmatigheid", Help: "Wat heeft de klant nodig om onafhankelijk van de uitkering te worden?", Kind: KindTextarea, Required: true},
			{Name: "bijzonderheden", Label: "Bijzonderheden", Kind: KindTextarea},
		}}
	case process.StepBeoordelingDoelgroep:
		opts := make([]Option, 0, len(p.TargetGroups))
		for _, g := range p.TargetGroups {
			opts = append(opts, Option{Value: g.Key, Label: g.Name})
		}
		return Form{Fields: []Field{
			{Name: "doelgroep", Label: "Doelgroep", Kind: KindRadio, Required: true, Options: opts},
			{Name: "toelichting", Label: "Toelichting", Kind: KindTextarea},
		}}
	case process.StepAanmeldingParticipatie:
		return Form{Fields: []Field{
			{Name: "toelichting", Label: "Toelichting voor het ontvangende team", Help: "Wat moet het team weten? Zet hier geen BSN in.", Kind: KindTextarea, Required: true},
		}}
	case process.StepVerwerkingAanmelding:
		return Form{Fields: append(appointmentFields(true), lateReasonField)}
	case process.StepIntakeWerkdiagnose:
		return Form{Fields: []Field{
			{Name: "gesprek_gevoerd", Label: "Het intakegesprek met de klant is gevoerd", Kind: KindCheckbox, Required: true},
			{Name: "plan_meegegeven", Label: "Het plan van aanpak is meegegeven aan de klant", Kind: KindCheckbox, Required: true},
			{Name: "notitie", Label: "Notitie", Kind: KindTextarea},
		}}
	case process.StepRapportage:
		return Form{Fields: []Field{
			{Name: "rapportage", Label: "Rapportage", Help: "Beoordeling van de aanvraag uitkering.", Kind: KindTextarea, Required: true},
		}}
	case process.StepBesluit:
		return Form{Fields: []Field{
			{Name: "besluit", Label: "Besluit", Kind: KindRadio, Required: true, Options: []Option{
				{Value: process.OutcomeToekenning, Label: process.OutcomeNames[process.OutcomeToekenning]},
				{Value: process.OutcomeGeenToekenning, Label: process.OutcomeNames[process.OutcomeGeenToekenning]},
			}},
			{Name: "besluit_datum", Label: "Datum besluit", Kind: KindDate, Required: true, Help: "Formaat dd-mm-jjjj, niet in de toekomst."},
			{Name: "ingangsdatum", Label: "Ingangsdatum uitkering", Kind: KindDate, Help: "Bij toekenning: niet eerder dan de meldingsdatum."},
			{Name: "reden", Label: "Motivering", Help: "Verplicht bij geen toekenning.", Kind: KindTextarea},
		}}
	case process.StepVerdelenKMWerk, process.StepVerwerkingTeam:
		return Form{Fields: []Field{
			{Name: FieldKM, Label: "Klantmanager", Help: "Tussen haakjes het aantal lopende dossiers.", Kind: KindSelect, Required: true, OptionsFrom: "klantmanagers"},
			{Name: "toelichting", Label: "Toelichting", Kind: KindTextarea},
		}}
	case process.StepUitnodigenKennismaking:
		return Form{Fields: append(appointmentFields(false), lateReasonField)}
	case process.StepStartBegeleiding:
		return Form{Fields: []Field{
			{Name: "plan_gelezen", Label: "Ik heb het plan van aanpak gelezen", Help: "Vragen? Neem contact op met de Klantmanager Werkdiagnose.", Kind: KindCheckbox, Required: true},
			{Name: "kennismaking_gevoerd", Label: "Het kennismakingsgesprek met de klant is gevoerd", Kind: KindCheckbox, Required: true},
			{Name: "trajecten", Label: "Aanmelden voor trajecten uit het plan van aanpak", Kind: KindCheckbox, OptionsFrom: "planned_trajectories"},
			{Name: "dossier_aanvulling", Label: "Aanvulling participatiedossier", Kind: KindTextarea, Required: true},
			{Name: "vervolg_datum", Label: "Datum vervolgafspraak", Kind: KindDate, Required: true, Help: "Formaat dd-mm-jjjj."},
			{Name: "vervolg_tijd", Label: "Tijd vervolgafspraak", Kind: KindTime, Required: true, Help: "Bijvoorbeeld 10:00."},
			{Name: "vervolg_spreekkamer", Label: "Spreekkamer vervolgafspraak", Kind: KindSelect, Required: true, OptionsFrom: "rooms"},
		}}
	case process.StepNugOfAfsluiten:
		return Form{Fields: []Field{
			{Name: "keuze", Label: "Vervolg", Kind: KindRadio, Required: true, Options: []Option{
				{Value: process.OutcomeNUG, Label: process.OutcomeNames[process.OutcomeNUG]},
				{Value: process.OutcomeAfsluiten, Label: process.OutcomeNames[process.OutcomeAfsluiten]},
			}},
			{Name: "afmaken", Label: "Trajecten die afgemaakt mogen worden", Help: "Alleen bij afsluiten: deze trajecten lopen door tot hun einde.", Kind: KindCheckbox, OptionsFrom: "trajectories_finish"},
			{Name: "toelichting", Label: "Toelichting", Kind: KindTextarea, Required: true},
		}}
	}
	return Form{}
}

// ApplicationForm is the form of a new application (digital or physical).
func ApplicationForm(physical bool) Form {
	// The digital form is filled in by the applicants themselves: it says "u".
	who, whom := "u", "u"
	if physical {
		who, whom = "de klant", "de klant"
	}
	fs := []Field{
		{Name: "bsn", Label: "Burgerservicenummer (BSN)", Help: "9 cijfers.", Kind: KindText, Required: true},
		{Name: "voornamen", Label: "Voornamen", Kind: KindText, Required: true},
		{Name: "achternaam", Label: "Achternaam", Help: "Met tussenvoegsel, bijvoorbeeld: van Dijk.", Kind: KindText, Required: true},
		{Name: "geboortedatum", Label: "Geboortedatum", Help: "Formaat dd-mm-jjjj.", Kind: KindDate, Required: true},
		{Name: "email", Label: "E-mailadres", Help: "Hierop ontvangt " + who + " uitnodigingen.", Kind: KindEmail, Required: !physical},
		{Name: "telefoon", Label: "Telefoonnummer", Help: "De Poortwachter belt " + whom + " voor het intakegesprek.", Kind: KindTel, Required: true},
		{Name: "adres", Label: "Adres", Kind: KindText},
	}
	if physical {
		fs = append(fs,
			Field{Name: "aanvraagdatum", Label: "Datum ontvangst aanvraag", Help: "Formaat dd-mm-jjjj. Leeg: vandaag.", Kind: KindDate},
			Field{Name: "meldingsdatum", Label: "Datum melding", Help: "De dag dat de klant zich meldde; leeg: gelijk aan de aanvraagdatum.", Kind: KindDate})
	}
	return Form{Fields: fs}
}

// PlanForm is the form of the plan van aanpak. It has three trajectory rows.
func PlanForm(def *process.Definition) Form {
	p := def.Policy
	ladder := make([]Option, 0, len(p.Ladder))
	for i, l := range p.Ladder {
		ladder = append(ladder, Option{Value: strconv.Itoa(i + 1), Label: l})
	}
	segs := make([]Option, 0, len(p.Segments))
	for _, s := range p.Segments {
		segs = append(segs, Option{Value: s, Label: s})
	}
	provs := []Option{{Value: "", Label: "Geen aanbieder (eigen traject)"}}
	for _, pr := range p.Providers {
		provs = append(provs, Option{Value: pr.Key, Label: pr.Name})
	}
	fs := []Field{
		{Name: "situatie", Label: "Situatie van de klant", Kind: KindTextarea, Required: true},
		{Name: "ladder_nu", Label: "Participatieladder nu", Kind: KindSelect, Required: true, Options: ladder},
		{Name: "ladder_doel", Label: "Participatieladder doel", Kind: KindSelect, Required: true, Options: ladder},
		{Name: "segment", Label: "Segment", Kind: KindRadio, Required: true, Options: segs},
		{Name: "doelen", Label: "Doelen", Kind: KindTextarea, Required: true},
		{Name: "verplichtingen", Label: "Verplichtingen van de klant", Help: "Artikel 9 Participatiewet: arbeid, medewerking, tegenprestatie.", Kind: KindTextarea, Required: true},
		{Name: "gevolgen", Label: "Gevolgen van het niet nakomen", Kind: KindTextarea, Required: true},
	}
	for i := 1; i <= PlanTrajectoryRows; i++ {
		n := strconv.Itoa(i)
		fs = append(fs,
			Field{Name: "traject_aanbieder_" + n, Label: "Traject " + n + ": aanbieder", Kind: KindSelect, Options: provs},
			Field{Name: "traject_doel_" + n, Label: "Traject " + n + ": omschrijving", Kind: KindText},
			Field{Name: "traject_activiteiten_" + n, Label: "Traject " + n + ": activiteiten", Help: "Eén activiteit per regel.", Kind: KindTextarea})
	}
	fs = append(fs,
		Field{Name: "evaluatie_datum", Label: "Evaluatiedatum", Help: "Formaat dd-mm-jjjj, in de toekomst.", Kind: KindDate, Required: true},
		Field{Name: "ondertekend_op", Label: "Datum handtekening klant", Help: "Leeg zolang de klant niet getekend heeft.", Kind: KindDate})
	return Form{Fields: fs}
}

// PlanTrajectoryRows is the number of trajectory rows in the plan form.
const PlanTrajectoryRows = 3

// RegistrationForm registers a client with a provider.
func RegistrationForm(def *process.Definition) Form {
	provs := []Option{}
	for _, pr := range def.Policy.Providers {
		provs = append(provs, Option{Value: pr.Key, Label: pr.Name})
	}
	sts := []Option{}
	for _, s := range RegistrationStatuses {
		sts = append(sts, Option{Value: s, Label: strings.ToUpper(s[:1]) + s[1:]})
	}
	return Form{Fields: []Field{
		{Name: "aanbieder", Label: "Aanbieder", Kind: KindSelect, Required: true, Options: provs},
		{Name: "status", Label: "Status", Kind: KindSelect, Required: true, Options: sts},
		{Name: "datum", Label: "Datum aanmelding", Kind: KindDate, Required: true, Help: "Formaat dd-mm-jjjj."},
		{Name: "notitie", Label: "Notitie", Help: "Alleen wat de aanbieder nodig heeft; nooit een BSN of gezondheidsgegevens.", Kind: KindTextarea},
	}}
}

// TrajectoryForm creates a trajectory registration with activities.
func TrajectoryForm(def *process.Definition) Form {
	provs := []Option{{Value: "", Label: "Geen aanbieder (eigen traject)"}}
	for _, pr := range def.Policy.Providers {
		provs = append(provs, Option{Value: pr.Key, Label: pr.Name})
	}
	return Form{Fields: []Field{
		{Name: "aanbieder", Label: "Aanbieder", Kind: KindSelect, Options: provs},
		{Name: "titel", Label: "Omschrijving traject", Kind: KindText, Required: true},
		{Name: "start", Label: "Startdatum", Kind: KindDate, Required: true, Help: "Formaat dd-mm-jjjj."},
		{Name: "activiteiten", Label: "Activiteiten", Help: "Eén activiteit per regel.", Kind: KindTextarea},
	}}
}

// FollowUpForm plans a follow-up appointment.
func FollowUpForm() Form { return Form{Fields: appointmentFields(false)} }

// SuspensionForm suspends the decision term.
func SuspensionForm() Form {
	return Form{Fields: []Field{
		{Name: "start", Label: "Begin opschorting", Help: "De dag na het verzoek om aanvulling (Awb 4:15). Formaat dd-mm-jjjj.", Kind: KindDate, Required: true},
		{Name: "eind", Label: "Einde opschorting", Help: "Leeg zolang de opschorting loopt.", Kind: KindDate},
		{Name: "reden", Label: "Reden", Help: "Bijvoorbeeld: verzoek om aanvulling met termijn tot ...", Kind: KindTextarea, Required: true},
	}}
}

// UserForm creates a user account.
func UserForm() Form {
	roles := make([]Option, 0, len(process.AllRoles))
	for _, r := range process.AllRoles {
		roles = append(roles, Option{Value: string(r), Label: process.RoleNames[r]})
	}
	return Form{Fields: []Field{
		{Name: "gebruikersnaam", Label: "Gebruikersnaam", Help: "Kleine letters, cijfers, punt of streepje.", Kind: KindText, Required: true},
		{Name: "naam", Label: "Naam", Kind: KindText, Required: true},
		{Name: "email", Label: "E-mailadres", Kind: KindEmail, Required: true},
		{Name: "rollen", Label: "Rollen", Kind: KindCheckbox, Required: true, Options: roles},
		{Name: "wachtwoord", Label: "Wachtwoord", Help: "Minimaal 12 tekens.", Kind: KindText, Required: true},
	}}
}

// parsed holds the typed values of a validated form.
type parsed struct {
	v     Values
	dates map[string]time.Time
	times map[string]time.Duration
}

func (p parsed) str(name string) string     { return strings.TrimSpace(p.v.Get(name)) }
func (p parsed) date(name string) time.Time { return p.dates[name] }

// validate checks required fields, dates, times and options generically and
// returns typed values plus the field messages found so far. Step-specific
// checks add to the same Fields.
func validate(form Form, v Values, dyn map[string][]Option) (parsed, Fields) {
	out := parsed{v: v, dates: map[string]time.Time{}, times: map[string]time.Duration{}}
	errs := Fields{}
	for _, f := range form.Fields {
		raw := strings.TrimSpace(v.Get(f.Name))
		if f.Kind == KindCheckbox && (len(f.Options) > 0 || f.OptionsFrom != "") {
			opts := f.Options
			if f.OptionsFrom != "" {
				opts = dyn[f.OptionsFrom]
			}
			vals := v[f.Name]
			if f.Required && len(vals) == 0 {
				errs.Add(f.Name, "Kies ten minste één "+strings.ToLower(f.Label)+".")
			}
			for _, val := range vals {
				if !hasOption(opts, val) {
					errs.Add(f.Name, "Kies een van de getoonde mogelijkheden bij "+strings.ToLower(f.Label)+".")
				}
			}
			continue
		}
		if raw == "" {
			if f.Required {
				switch f.Kind {
				case KindCheckbox:
					errs.Add(f.Name, "Bevestig: "+strings.ToLower(f.Label[:1])+f.Label[1:]+".")
				case KindRadio, KindSelect:
					errs.Add(f.Name, "Kies "+strings.ToLower(f.Label)+".")
				default:
					errs.Add(f.Name, "Vul "+strings.ToLower(f.Label[:1])+f.Label[1:]+" in.")
				}
			}
			continue
		}
		if len(raw) > 10000 {
			errs.Add(f.Name, "Deze tekst is te lang: maximaal 10.000 tekens.")
			continue
		}
		switch f.Kind {
		case KindDate:
			d, ok := ParseDate(raw)
			if !ok {
				errs.Add(f.Name, "Vul een bestaande datum in als dd-mm-jjjj, bijvoorbeeld 03-02-2027.")
				continue
			}
			out.dates[f.Name] = d
		case KindTime:
			t, ok := ParseClock(raw)
			if !ok {
				errs.Add(f.Name, "Vul een tijd in als uu:mm in 24-uursnotatie, bijvoorbeeld 09:30.")
				continue
			}
			out.times[f.Name] = t
		case KindRadio, KindSelect:
			opts := f.Options
			if f.OptionsFrom != "" {
				opts = dyn[f.OptionsFrom]
			}
			if !hasOption(opts, raw) {
				errs.Add(f.Name, "Kies een van de getoonde mogelijkheden bij "+strings.ToLower(f.Label)+".")
			}
		case KindEmail:
			if !validEmail(raw) {
				errs.Add(f.Name, "Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")
			}
		case KindCheckbox:
			if raw != "ja" && raw != "on" && raw != "true" && raw != "1" {
				errs.Add(f.Name, "Ongeldige waarde.")
			}
		}
	}
	return out, errs
}

func hasOption(opts []Option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
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
