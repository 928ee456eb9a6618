package process

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Every form of the system is data in this file: the steps' forms (in the
// definition, see definition.go) and the forms of the dossier, the
// application and the accounts. The web renders them, the API documents
// them and casework decodes and checks them, so all three agree on names,
// kinds and messages, and a field's name is spelled in this package only:
// code reads fields through the Field… constants below.

// FieldKind is the input a form field needs.
type FieldKind string

// The kinds of input.
const (
	KindText     FieldKind = "text"
	KindTextarea FieldKind = "textarea"
	KindDate     FieldKind = "date"
	KindTime     FieldKind = "time"
	KindSelect   FieldKind = "select"
	KindRadio    FieldKind = "radio"
	KindCheckbox FieldKind = "checkbox" // one tick ("ja"), or a group of ticks when the field has options
	KindEmail    FieldKind = "email"
	KindTel      FieldKind = "tel"
	KindPassword FieldKind = "password" // never echoed back to the browser
	KindAmount   FieldKind = "amount"   // an amount in euro as Dutch writes it ("1.234,56"), read as cents
)

// Option is a choice in a select, radio group or group of ticks.
type Option struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// Option sources: lists of choices that depend on the configuration or on
// the case, filled in when a form is shown or checked.
const (
	SourceOutcomes            = "outcomes"             // the step's outcomes (from the definition)
	SourceRooms               = "rooms"                // consultation rooms (configuration)
	SourceDurations           = "durations"            // appointment lengths (configuration)
	SourceKlantmanagers       = "klantmanagers"        // colleagues who can take the case over, with their caseload
	SourceTrajectoriesFinish  = "trajectories_finish"  // running trajectories that may be finished after a refusal
	SourcePlannedTrajectories = "planned_trajectories" // the trajectories of the plan van aanpak, by row
	SourcePlanDocuments       = "plan_documents"       // the dossier's documents a signed plan can be: uploads and printed plans
)

// What a field's value means to the process beyond the form.
const (
	SetsOutcome = "outcome" // the value is the step's outcome
	SetsHolder  = "holder"  // the value is the id of the chosen next holder
)

// ShowLate marks a field that matters only when the term is (nearly) missed.
const ShowLate = "late"

// Field describes one form field.
type Field struct {
	Name     string    `json:"name"`
	Label    string    `json:"label"`
	Help     string    `json:"help,omitempty"`
	Kind     FieldKind `json:"kind"`
	Required bool      `json:"required,omitempty"`
	Options  []Option  `json:"options,omitempty"`
	// OptionsFrom names a list of choices filled in per case (Source…).
	OptionsFrom string `json:"options_from,omitempty"`
	// ShowWhen: only relevant in this situation (ShowLate).
	ShowWhen string `json:"show_when,omitempty"`
	// Sets says what the value means to the process (SetsOutcome, SetsHolder).
	Sets string `json:"sets,omitempty"`
	// Autocomplete is the HTML autocomplete token ("off", "given-name", …).
	Autocomplete string `json:"autocomplete,omitempty"`
	// Numeric asks for a numeric keyboard (a BSN).
	Numeric bool `json:"numeric,omitempty"`
	// MaxLength is the longest value in characters; 0 means MaxTextLength.
	MaxLength int `json:"max_length,omitempty"`
}

// MaxTextLength is the longest value a field takes unless it says otherwise:
// notes and other free text.
const MaxTextLength = 10000

// The longest values of the other kinds of text, in characters. Every text
// field of every form names its maximum (MaxLength); the web shows it in the
// field and casework refuses a longer value with a Dutch message, keeping the
// rest of the form.
const (
	MaxName     = 200 // a person's names, an account's or a key's name
	MaxEmail    = 254 // an e-mail address (RFC 5321)
	MaxPhone    = 40  // a telephone number
	MaxAddress  = 300 // a postal address on one line; short descriptions
	MaxContact  = 500 // a contact person or interpreter need
	MaxUsername = 40  // a username (2 to 40 characters)
	MaxPassword = 200 // a password
)

// Multiple reports whether the field takes a list of values (a group of ticks).
func (f Field) Multiple() bool {
	return f.Kind == KindCheckbox && (len(f.Options) > 0 || f.OptionsFrom != "")
}

// Limit is the longest value the field takes.
func (f Field) Limit() int {
	if f.MaxLength > 0 {
		return f.MaxLength
	}
	return MaxTextLength
}

// Check is a named validator with its parameters, run after every field
// is decoded. The names are the Check… constants; casework holds the one
// implementation of each. Message, when set, replaces the validator's own
// Dutch message.
type Check struct {
	Name    string `json:"check"`
	Field   string `json:"field,omitempty"`
	Params  Params `json:"params,omitempty"`
	Message string `json:"message,omitempty"`
}

// Params are the parameters of a check or an effect, by Param… name.
type Params map[string]string

// The validators a form can name.
const (
	CheckNotFuture          = "not_future"          // Field: a date not after today
	CheckInFuture           = "in_future"           // Field: a date after today
	CheckNotBeforeReceipt   = "not_before_receipt"  // Field: a date not before the application was received
	CheckNotBeforeReport    = "not_before_report"   // Field: a date not before the melding
	CheckNotBefore          = "not_before"          // Field: a date not before the date in ParamOther
	CheckNotAfter           = "not_after"           // Field: a date not after the date in ParamOther
	CheckNotBelow           = "not_below"           // Field: a number not below the one in ParamOther
	CheckRequiredWith       = "required_with"       // Field: required when the outcome is ParamOutcome
	CheckOnlyWith           = "only_with"           // Field: empty unless the outcome is ParamOutcome
	CheckLateReason         = "late_reason"         // Field: required when the term is missed (by ParamDate if given, else by today)
	CheckNoBSN              = "no_bsn"              // Field: text without a BSN (nine digits that pass the elfproef); every textarea runs it unasked
	CheckBSN                = "bsn"                 // Field: a valid BSN (elfproef)
	CheckPlanExists         = "plan_exists"         // the participation case has a plan van aanpak
	CheckPlanSigned         = "plan_signed"         // … and the client signed it
	CheckAppointmentStarted = "appointment_started" // the case's appointment of ParamKind has begun (not cancelled, not missed)
	CheckTermDay            = "term_day"            // Field: a date a term may end on: no Saturday, Sunday or holiday of the term calendar (Algemene termijnenwet)
	CheckNotBeforeRequest   = "not_before_request"  // Field: a date not before the request of the running suspension (Awb 4:5)
	CheckExtensionDate      = "extension_date"      // Field: a date after the decision due date, at most Policy.ExtensionMaxDays later
	// Checks of the case a step Requires (no field).
	CheckNotSuspended  = "not_suspended"   // no suspension of the decision term runs
	CheckNotExtended   = "not_extended"    // the decision term was not extended before
	CheckTermNotPassed = "term_not_passed" // the decision term has not passed today
)

// Parameter names of checks and effects.
const (
	ParamOther    = "other"    // another field of the form
	ParamOutcome  = "outcome"  // an outcome of the step
	ParamDate     = "date"     // the field with a date
	ParamTime     = "time"     // the field with a time of day
	ParamDuration = "duration" // the field with a length in minutes
	ParamMinutes  = "minutes"  // a fixed length in minutes
	ParamRoom     = "room"     // the field with a room
	ParamWith     = "with"     // who the appointment is with: WithChosen or WithActor
	ParamKind     = "kind"     // an appointment kind (Appointment…)
	ParamStatus   = "status"   // a case status (Status…)
	ParamTeam     = "team"     // a team key, or TeamSameAsFrom
	ParamReason   = "reason"   // the field with a reason
	ParamField    = "field"    // the field an effect reads
	ParamStep     = "step"     // a step of the definition
	ParamAmount   = "amount"   // the field with an amount in euro
	ParamDone     = "done"     // the field with what was done (an evaluation)
	ParamChanges  = "changes"  // the field with what changes (an evaluation)
	ParamNext     = "next"     // the field with the next date of a cycle
)

// KindMissed as ParamKind: the kind of the appointment the client missed.
const KindMissed = "@missed"

// Who an appointment booked by a step is with.
const (
	WithChosen = "chosen" // the klantmanager chosen in the form (SetsHolder)
	WithActor  = "actor"  // the person completing the step
)

// Form is the fields of one form and the checks across them.
type Form struct {
	Fields []Field `json:"fields,omitempty"`
	Checks []Check `json:"checks,omitempty"`
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

// Sets returns the name of the field that sets what (SetsOutcome,
// SetsHolder), or "".
func (f Form) Sets(what string) string {
	for _, fl := range f.Fields {
		if fl.Sets == what {
			return fl.Name
		}
	}
	return ""
}

// HasCheck reports whether the form runs the named check.
func (f Form) HasCheck(name string) bool {
	for _, c := range f.Checks {
		if c.Name == name {
			return true
		}
	}
	return false
}

// Do is a named effect of completing a step, with its parameters.
type Do struct {
	Effect Effect `json:"effect"`
	Params Params `json:"params,omitempty"`
}

// UnmarshalJSON also reads a bare effect name, as definitions stored
// before effects took parameters wrote them.
func (d *Do) UnmarshalJSON(b []byte) error {
	var name string
	if err := json.Unmarshal(b, &name); err == nil {
		*d = Do{Effect: Effect(name)}
		return nil
	}
	type plain Do
	return json.Unmarshal(b, (*plain)(d))
}

// ShowConditions names in Dutch the situations a field may be shown in
// (Field.ShowWhen).
var ShowConditions = map[string]string{
	ShowLate:            "de termijn (bijna) verstreken is",
	ShowPlanByColleague: "een collega het plan van aanpak schreef",
	ShowLetter:          "de brief van de stap getoond wordt",
}

// ShowLetter marks a field that is shown together with the preview of the
// letter the step sends (confirming it may go out).
const ShowLetter = "brief_getoond"

// FieldLetterChecked confirms that the letter a step sends was seen.
const FieldLetterChecked = "brief_gecontroleerd"

// ShowPlanByColleague marks a field that matters only when a colleague
// wrote the case's plan van aanpak (reading it). When there is none
// (decision-first route) the step asks for the plan instead, and whoever
// writes it need not confirm reading it.
const ShowPlanByColleague = "plan_van_collega"

// Names of the fields that code reads. Every other field is read through
// the parameters of the checks and effects that name it.
const (
	FieldVersion     = "versie"       // the version of the record the form was built on
	FieldPlanVersion = "basis_versie" // the plan version the plan form was built on
	FieldLateReason  = "reden_termijn"

	// Appointments.
	FieldDate     = "datum"
	FieldTime     = "tijd"
	FieldDuration = "duur"
	FieldRoom     = "spreekkamer"
	FieldKM       = "klantmanager"

	// The application.
	FieldBSN        = "bsn"
	FieldGivenNames = "voornamen"
	FieldFamilyName = "achternaam"
	FieldBirthDate  = "geboortedatum"
	FieldEmail      = "email"
	FieldPhone      = "telefoon"
	FieldAddress    = "adres"
	FieldAppliedOn  = "aanvraagdatum"
	FieldReportedOn = "meldingsdatum"
	FieldChannel    = "kanaal"

	// The client's contact details.
	FieldPreferredChannel = "voorkeurskanaal"
	FieldContactPerson    = "contactpersoon"

	// The plan van aanpak.
	FieldSituation       = "situatie"
	FieldLadderNow       = "ladder_nu"
	FieldLadderTarget    = "ladder_doel"
	FieldSegment         = "segment"
	FieldGoals           = "doelen"
	FieldObligations     = "verplichtingen"
	FieldConsequences    = "gevolgen"
	FieldEvaluationOn    = "evaluatie_datum"
	FieldSignedOn        = "ondertekend_op"
	FieldSignedDocument  = "getekend_document"
	fieldTrajProvider    = "traject_aanbieder_"
	fieldTrajGoal        = "traject_doel_"
	fieldTrajActivities  = "traject_activiteiten_"
	FieldPlan            = "plan"     // messages about the plan van aanpak on a step's form
	FieldAppointment     = "afspraak" // messages about the appointment a step is done at
	FieldProvider        = "aanbieder"
	FieldStatus          = "status"
	FieldNote            = "notitie"
	FieldTitle           = "titel"
	FieldStart           = "start"
	FieldActivities      = "activiteiten"
	FieldResult          = "resultaat"
	FieldSuspensionEnd   = "eind"
	FieldReason          = "reden"
	FieldLegalGround     = "grondslag" // the legal ground of a decision, named in its letter
	FieldAssignee        = "medewerker"
	FieldUsername        = "gebruikersnaam"
	FieldName            = "naam"
	FieldRoles           = "rollen"
	FieldPassword        = "wachtwoord"
	FieldTOTPCode        = "code"
	FieldTokenUser       = "gebruiker"
	FieldDailyDigest     = "dagoverzicht"
	FieldSearch          = "zoek"
	fieldFollowUpDate    = "vervolg_datum"
	fieldFollowUpTime    = "vervolg_tijd"
	fieldFollowUpRoom    = "vervolg_spreekkamer"
	fieldPlannedTrajects = "trajecten"
	FieldFinish          = "afmaken"

	// The voorschot (art. 52) and the evaluation of the plan (art. 44a).
	fieldVoorschot         = "voorschot"
	fieldAmount            = "bedrag"
	fieldEvaluationHeld    = "gesprek_datum"
	fieldEvaluationDone    = "gedaan"
	fieldEvaluationChanges = "wijzigingen"
	fieldEvaluationPlan    = "plan_aanpassen"
	fieldEvaluationNext    = "volgende_evaluatie"

	// The decision term: a request to complete the application, its answer,
	// an extension, a suspension by consent. The letters read these.
	FieldRequestedOn     = "verzoek_datum"           // the day of the request to complete (Awb 4:5)
	FieldMissing         = "ontbreekt"               // what the applicant is asked to complete
	FieldCompleteBy      = "aanvullen_uiterlijk"     // the completion term's last day
	FieldCompletion      = "aanvulling"              // completed, or the term lapsed unused
	FieldReceivedOn      = "aanvulling_ontvangen_op" // the day the information arrived
	FieldExtendTo        = "nieuwe_beslisdatum"      // the decision due date an extension names (Awb 4:14 lid 3)
	FieldExtensionReason = "reden_verdaging"         // why the decision takes longer
	FieldConsentUntil    = "instemming_tot"          // the last day of the delay the applicant agreed to (Awb 4:15 lid 2 a)
)

// PlanTrajectoryRows is the number of trajectory rows in the plan form.
const PlanTrajectoryRows = 3

// PlanTrajectoryFields returns the names of the provider, goal and
// activities fields of row n (1-based) of the plan form.
func PlanTrajectoryFields(n int) (provider, goal, activities string) {
	s := strconv.Itoa(n)
	return fieldTrajProvider + s, fieldTrajGoal + s, fieldTrajActivities + s
}

// appointmentFields are the fields of an appointment; withKM adds the
// choice of the Klantmanager Werkdiagnose (the step's next holder).
func appointmentFields(withKM bool) []Field {
	fs := []Field{
		{Name: FieldDate, Label: "Datum van de afspraak", Help: "Formaat dd-mm-jjjj, een werkdag, niet in het verleden.", Kind: KindDate, Required: true},
		{Name: FieldTime, Label: "Begintijd", Help: "24-uursnotatie op een kwartier, bijvoorbeeld 09:30.", Kind: KindTime, Required: true},
		{Name: FieldDuration, Label: "Duur", Kind: KindSelect, Required: true, OptionsFrom: SourceDurations},
		{Name: FieldRoom, Label: "Spreekkamer", Kind: KindSelect, Required: true, OptionsFrom: SourceRooms},
	}
	if withKM {
		fs = append(fs, Field{Name: FieldKM, Label: "Klantmanager Werkdiagnose", Help: "Tussen haakjes het aantal lopende dossiers.",
			Kind: KindSelect, Required: true, OptionsFrom: SourceKlantmanagers, Sets: SetsHolder})
	}
	return fs
}

// appointmentParams are the parameters of a book_appointment effect on the
// appointment fields.
func appointmentParams(kind, with string) Params {
	return Params{ParamKind: kind, ParamWith: with, ParamDate: FieldDate, ParamTime: FieldTime,
		ParamDuration: FieldDuration, ParamRoom: FieldRoom}
}

var lateReasonField = Field{Name: FieldLateReason, Label: "Reden termijn niet gehaald",
	Help: "Verplicht als de termijn niet gehaald wordt.", Kind: KindTextarea, ShowWhen: ShowLate, MaxLength: MaxTextLength}

// ApplicationForm is the form of a new application: digital (filled in by
// the applicants themselves, who are addressed as "u") or physical
// (entered at the desk by an Ondersteuner Poortwachter).
// ApplicationSource says where an application comes from: its form differs.
type ApplicationSource int

const (
	// FromDesk: entered by an Ondersteuner Poortwachter (paper, the desk).
	FromDesk ApplicationSource = iota
	// FromEForm: the municipality's e-form system, through the API; it may
	// send the date the client reported (melding), earlier than receipt.
	FromEForm
	// FromPublic: the applicant on the public form.
	FromPublic
)

// ApplicationForm is the form of a benefit application from src.
func ApplicationForm(src ApplicationSource) Form {
	physical := src == FromDesk
	who := "u"
	ac := func(token string) string { return token }
	if physical {
		who = "de klant"
		// Staff type other people's data: the browser must not offer its own.
		ac = func(string) string { return "off" }
	}
	// The applicants themselves read plain words: no "Poortwachter",
	// "intakegesprek" or "elfproef".
	bsnHelp, emailHelp, phoneHelp, bsnMsg := "9 cijfers. U vindt uw BSN op uw paspoort, identiteitskaart of rijbewijs.",
		"Hierop ontvangt u uitnodigingen voor gesprekken.", "Een medewerker van de gemeente belt u voor een eerste gesprek.",
		"Dit is geen geldig burgerservicenummer (BSN). Controleer de 9 cijfers; u vindt ze op uw paspoort, identiteitskaart of rijbewijs."
	if physical {
		bsnHelp, emailHelp, phoneHelp, bsnMsg = "9 cijfers.", "Hierop ontvangt "+who+" uitnodigingen. Leeg: uitnodigingen gaan per post.",
			"De Poortwachter belt "+who+" voor het intakegesprek.", ""
	}
	f := Form{Fields: []Field{
		{Name: FieldBSN, Label: "Burgerservicenummer (BSN)", Help: bsnHelp, Kind: KindText, Required: true, Numeric: true, MaxLength: 20, Autocomplete: "off"},
		{Name: FieldGivenNames, Label: "Voornamen", Kind: KindText, Required: true, MaxLength: MaxName, Autocomplete: ac("given-name")},
		{Name: FieldFamilyName, Label: "Achternaam", Help: "Met tussenvoegsel, bijvoorbeeld: van Dijk.", Kind: KindText, Required: true, MaxLength: MaxName, Autocomplete: ac("family-name")},
		{Name: FieldBirthDate, Label: "Geboortedatum", Help: "Formaat dd-mm-jjjj.", Kind: KindDate, Required: true, Autocomplete: ac("bday")},
		{Name: FieldEmail, Label: "E-mailadres", Help: emailHelp, Kind: KindEmail, Required: !physical, MaxLength: MaxEmail, Autocomplete: ac("email")},
		{Name: FieldPhone, Label: "Telefoonnummer", Help: phoneHelp, Kind: KindTel, Required: true, MaxLength: MaxPhone, Autocomplete: ac("tel")},
		{Name: FieldAddress, Label: "Adres", Help: "Op één regel: straat en huisnummer, postcode en plaats.", Kind: KindText, MaxLength: MaxAddress, Autocomplete: ac("street-address")},
	}, Checks: []Check{{Name: CheckBSN, Field: FieldBSN, Message: bsnMsg}}}
	if physical {
		f.Fields = append(f.Fields,
			Field{Name: FieldAppliedOn, Label: "Datum ontvangst aanvraag", Help: "Formaat dd-mm-jjjj. Leeg: vandaag.", Kind: KindDate, Autocomplete: "off"},
			Field{Name: FieldReportedOn, Label: "Datum melding", Help: "De dag dat de klant zich meldde; leeg: gelijk aan de aanvraagdatum.", Kind: KindDate, Autocomplete: "off"})
		f.Checks = append(f.Checks,
			Check{Name: CheckNotFuture, Field: FieldAppliedOn, Message: "De datum van ontvangst kan niet in de toekomst liggen."},
			Check{Name: CheckNotFuture, Field: FieldReportedOn, Message: "De meldingsdatum kan niet in de toekomst liggen."},
			Check{Name: CheckNotAfter, Field: FieldReportedOn, Params: Params{ParamOther: FieldAppliedOn}, Message: "De meldingsdatum kan niet na de aanvraagdatum liggen."})
	}
	if src == FromEForm {
		// The e-form system knows when the client first reported (Pw art.
		// 44: a grant starts no earlier); receipt is the day it arrives.
		f.Fields = append(f.Fields,
			Field{Name: FieldReportedOn, Label: "Datum melding", Help: "De dag dat de klant zich meldde, als het e-formulier die kent; leeg: de dag van ontvangst.", Kind: KindDate})
		f.Checks = append(f.Checks,
			Check{Name: CheckNotFuture, Field: FieldReportedOn, Message: "De meldingsdatum kan niet in de toekomst liggen."})
	}
	return f
}

// MeldingForm is the form of a melding by someone younger than the pilot's
// minimum age (Pw art. 41 lid 4): the application's personal fields, and
// for staff the day the client reported.
func MeldingForm(src ApplicationSource) Form {
	f := ApplicationForm(src)
	if src == FromDesk {
		f.Fields = slices.DeleteFunc(f.Fields, func(fl Field) bool { return fl.Name == FieldAppliedOn })
		f.Checks = slices.DeleteFunc(f.Checks, func(c Check) bool { return c.Field == FieldAppliedOn || c.Name == CheckNotAfter })
		for i := range f.Fields {
			if f.Fields[i].Name == FieldReportedOn {
				f.Fields[i].Help = "De dag dat de klant zich meldde. Formaat dd-mm-jjjj. Leeg: vandaag."
			}
		}
	}
	return f
}

// providerOptions lists the providers, with a first choice for no provider
// when none is allowed.
func (p Policy) providerOptions(none bool) []Option {
	var out []Option
	if none {
		out = append(out, Option{Value: "", Label: "Geen aanbieder (eigen traject)"})
	}
	for _, pr := range p.Providers {
		out = append(out, Option{Value: pr.Key, Label: pr.Name})
	}
	return out
}

// PlanForm is the form of the plan van aanpak (Participatiewet art. 44a),
// with PlanTrajectoryRows trajectory rows.
func (p Policy) PlanForm() Form {
	ladder := make([]Option, 0, len(p.Ladder))
	for i, l := range p.Ladder {
		ladder = append(ladder, Option{Value: strconv.Itoa(i + 1), Label: l})
	}
	segs := make([]Option, 0, len(p.Segments))
	for _, s := range p.Segments {
		segs = append(segs, Option{Value: s, Label: s})
	}
	fs := []Field{
		{Name: FieldSituation, Label: "Situatie van de klant", Kind: KindTextarea, Required: true, MaxLength: MaxTextLength},
		{Name: FieldLadderNow, Label: "Participatieladder nu", Kind: KindSelect, Required: true, Options: ladder},
		{Name: FieldLadderTarget, Label: "Participatieladder doel", Kind: KindSelect, Required: true, Options: ladder},
		{Name: FieldSegment, Label: "Segment", Kind: KindRadio, Required: true, Options: segs},
		{Name: FieldGoals, Label: "Doelen", Kind: KindTextarea, Required: true, MaxLength: MaxTextLength},
		{Name: FieldObligations, Label: "Verplichtingen van de klant", Help: "Artikel 9 Participatiewet: arbeid, medewerking, tegenprestatie.", Kind: KindTextarea, Required: true, MaxLength: MaxTextLength},
		{Name: FieldConsequences, Label: "Gevolgen van het niet nakomen", Kind: KindTextarea, Required: true, MaxLength: MaxTextLength},
	}
	for i := 1; i <= PlanTrajectoryRows; i++ {
		n := strconv.Itoa(i)
		prov, goal, acts := PlanTrajectoryFields(i)
		fs = append(fs,
			Field{Name: prov, Label: "Traject " + n + ": aanbieder", Kind: KindSelect, Options: p.providerOptions(true)},
			Field{Name: goal, Label: "Traject " + n + ": omschrijving", Kind: KindText, MaxLength: MaxAddress},
			Field{Name: acts, Label: "Traject " + n + ": activiteiten", Help: "Eén activiteit per regel.", Kind: KindTextarea, MaxLength: MaxTextLength})
	}
	fs = append(fs,
		Field{Name: FieldEvaluationOn, Label: "Evaluatiedatum", Kind: KindDate,
			Help: fmt.Sprintf("Formaat dd-mm-jjjj, in de toekomst. Leeg: %d maanden na de handtekening van de klant, of na vandaag zolang de klant niet tekende.", p.PlanEvaluationMonths)},
		Field{Name: FieldSignedOn, Label: "Datum handtekening klant", Help: "Leeg zolang de klant niet getekend heeft.", Kind: KindDate},
		Field{Name: FieldSignedDocument, Label: "Getekend plan", Kind: KindSelect, OptionsFrom: SourcePlanDocuments,
			Help: "Bij de datum van de handtekening: de geüploade scan van het getekende plan, of het afgedrukte plan. Leeg: het plan wordt met de datum van de handtekening als document bewaard."})
	return Form{Fields: fs, Checks: []Check{
		{Name: CheckNotBelow, Field: FieldLadderTarget, Params: Params{ParamOther: FieldLadderNow}, Message: "Het doel ligt niet lager op de participatieladder dan de huidige trede."},
		{Name: CheckInFuture, Field: FieldEvaluationOn, Message: "De evaluatiedatum ligt in de toekomst."},
		{Name: CheckNotFuture, Field: FieldSignedOn, Message: "De klant kan niet in de toekomst tekenen."},
	}}
}

// States of a registration with a provider.
const (
	RegistrationRegistered = "aangemeld"
	RegistrationRefused    = "afgewezen"
	RegistrationEnded      = "afgerond"
)

// RegistrationStatuses are the states of a registration with a provider,
// in the order they come.
var RegistrationStatuses = []string{RegistrationRegistered, "geaccepteerd", "gestart", RegistrationRefused, RegistrationEnded}

func registrationStatusField() Field {
	sts := make([]Option, 0, len(RegistrationStatuses))
	for _, s := range RegistrationStatuses {
		sts = append(sts, Option{Value: s, Label: strings.ToUpper(s[:1]) + s[1:]})
	}
	return Field{Name: FieldStatus, Label: "Status", Kind: KindSelect, Required: true, Options: sts}
}

// RegistrationForm registers a client with a provider.
func (p Policy) RegistrationForm() Form {
	return Form{Fields: []Field{
		{Name: FieldProvider, Label: "Aanbieder", Kind: KindSelect, Required: true, Options: p.providerOptions(false)},
		registrationStatusField(),
		{Name: FieldDate, Label: "Datum aanmelding", Kind: KindDate, Required: true, Help: "Formaat dd-mm-jjjj."},
		{Name: FieldNote, Label: "Notitie", Help: "Alleen wat de aanbieder nodig heeft; nooit een BSN of gezondheidsgegevens.", Kind: KindTextarea, MaxLength: MaxTextLength},
	}, Checks: []Check{
		{Name: CheckNotFuture, Field: FieldDate, Message: "De datum van aanmelding kan niet in de toekomst liggen."},
		{Name: CheckNoBSN, Field: FieldNote, Message: "Zet geen BSN in een aanmelding bij een aanbieder."},
	}}
}

// RegistrationStatusForm changes the status of a registration.
func RegistrationStatusForm() Form { return Form{Fields: []Field{registrationStatusField()}} }

// TrajectoryForm creates a trajectory registration with activities.
func (p Policy) TrajectoryForm() Form {
	return Form{Fields: []Field{
		{Name: FieldProvider, Label: "Aanbieder", Kind: KindSelect, Options: p.providerOptions(true)},
		{Name: FieldTitle, Label: "Omschrijving traject", Kind: KindText, Required: true, MaxLength: MaxAddress},
		{Name: FieldStart, Label: "Startdatum", Kind: KindDate, Required: true, Help: "Formaat dd-mm-jjjj."},
		{Name: FieldActivities, Label: "Activiteiten", Help: "Eén activiteit per regel.", Kind: KindTextarea, MaxLength: MaxTextLength},
	}}
}

// FinishTrajectoryForm ends a trajectory with its result.
func FinishTrajectoryForm() Form {
	return Form{Fields: []Field{{Name: FieldResult, Label: "Resultaat", Help: "Wat heeft het traject opgeleverd?", Kind: KindTextarea, Required: true, MaxLength: MaxTextLength}}}
}

// AppointmentForm plans or moves an appointment.
func AppointmentForm() Form { return Form{Fields: appointmentFields(false)} }

// SuspensionForm suspends the decision term with the applicant's written
// consent to a delay (Awb 4:15 lid 2 a). It has an end, or the last day of
// the delay agreed to, so the due date stays known. A request to complete
// the application suspends the term through its step.
func SuspensionForm() Form {
	return Form{Fields: []Field{
		{Name: FieldStart, Label: "Begin opschorting", Help: "De eerste dag van het uitstel waarmee de aanvrager schriftelijk instemde. Formaat dd-mm-jjjj.", Kind: KindDate, Required: true},
		{Name: FieldConsentUntil, Label: "Instemming tot en met", Help: "De laatste dag van het uitstel waarmee de aanvrager instemde. De beslistermijn schuift tot en met deze dag op, tenzij de opschorting eerder wordt beëindigd. Formaat dd-mm-jjjj.", Kind: KindDate},
		{Name: FieldSuspensionEnd, Label: "Einde opschorting", Help: "Alleen als het uitstel al voorbij is: de dag waarop de beslistermijn weer ging lopen, niet in de toekomst. Formaat dd-mm-jjjj.", Kind: KindDate},
		{Name: FieldReason, Label: "Reden", Help: "Bijvoorbeeld: de aanvrager vroeg schriftelijk om uitstel tot na zijn verhuizing.", Kind: KindTextarea, Required: true, MaxLength: MaxTextLength},
	}, Checks: []Check{
		{Name: CheckNotBeforeReceipt, Field: FieldStart, Message: "De opschorting begint niet voor de aanvraag."},
		{Name: CheckNotBefore, Field: FieldConsentUntil, Params: Params{ParamOther: FieldStart}, Message: "Het uitstel eindigt niet voor het begin."},
		{Name: CheckNotBefore, Field: FieldSuspensionEnd, Params: Params{ParamOther: FieldStart}, Message: "Het einde ligt niet voor het begin."},
		{Name: CheckNotFuture, Field: FieldSuspensionEnd, Message: "Het einde kan niet in de toekomst liggen. Vul bij een uitstel dat nog loopt ‘Instemming tot en met’ in."},
	}}
}

// EndSuspensionForm ends a running suspension by consent early.
func EndSuspensionForm() Form {
	return Form{Fields: []Field{{Name: FieldSuspensionEnd, Label: "Einde opschorting", Help: "De dag waarop de beslistermijn weer gaat lopen. Formaat dd-mm-jjjj, niet in de toekomst.", Kind: KindDate, Required: true}},
		Checks: []Check{{Name: CheckNotFuture, Field: FieldSuspensionEnd, Message: "Het einde kan niet in de toekomst liggen."}}}
}

// AssignForm gives a task to a colleague; options are the colleagues.
func AssignForm(colleagues []Option) Form {
	return Form{Fields: []Field{{Name: FieldAssignee, Label: "Medewerker",
		Help: "Achter de naam: het aantal lopende participatiedossiers en open taken in dit team.", Kind: KindRadio, Required: true, Options: colleagues}}}
}

// UserForm creates a user account.
func UserForm() Form {
	roles := make([]Option, 0, len(AllRoles))
	for _, r := range AllRoles {
		if IsSystemRole(r) {
			continue // system accounts are made on the command line
		}
		roles = append(roles, Option{Value: string(r), Label: RoleNames[r]})
	}
	return Form{Fields: []Field{
		{Name: FieldUsername, Label: "Gebruikersnaam", Help: "Kleine letters, cijfers, punt of streepje.", Kind: KindText, Required: true, Autocomplete: "off", MaxLength: MaxUsername},
		{Name: FieldName, Label: "Naam", Kind: KindText, Required: true, Autocomplete: "off", MaxLength: MaxName},
		{Name: FieldEmail, Label: "E-mailadres", Kind: KindEmail, Required: true, Autocomplete: "off", MaxLength: MaxEmail},
		{Name: FieldRoles, Label: "Rollen", Kind: KindCheckbox, Required: true, Options: roles},
		{Name: FieldPassword, Label: "Wachtwoord", Help: "Minimaal 12 tekens, niet de gebruikersnaam en geen veelgebruikt wachtwoord. Een zin van een paar woorden is makkelijk te onthouden.", Kind: KindPassword, Required: true, Autocomplete: "new-password", MaxLength: MaxPassword},
	}}
}

// LoginForm signs a user in.
func LoginForm() Form {
	return Form{Fields: []Field{
		{Name: FieldUsername, Label: "Gebruikersnaam", Kind: KindText, Required: true, Autocomplete: "username", MaxLength: MaxUsername},
		{Name: FieldPassword, Label: "Wachtwoord", Kind: KindPassword, Required: true, Autocomplete: "current-password", MaxLength: MaxPassword},
	}}
}

// TOTPCodeForm asks the code of an authenticator app: the second step of
// a login (where a recovery code is also accepted) and the confirmation of
// a new app.
func TOTPCodeForm(recovery bool) Form {
	help := "De 6 cijfers die uw authenticator-app nu toont."
	if recovery {
		help += " Heeft u uw telefoon niet bij de hand? Typ dan een van uw herstelcodes."
	}
	return Form{Fields: []Field{
		{Name: FieldTOTPCode, Label: "Code", Help: help, Kind: KindText, Required: true, Autocomplete: "one-time-code", MaxLength: 20},
	}}
}

// SearchMaxLength is the longest client search text.
const SearchMaxLength = 100

// SearchForm is the one search box for clients: a name, a date of birth, a
// client number or a full BSN, recognised from what is typed. It is posted,
// never sent as a query string, because it can hold a BSN.
func SearchForm() Form {
	return Form{Fields: []Field{{Name: FieldSearch, Label: "Zoek een klant",
		Help: "Een naam (of het begin ervan), een geboortedatum (dd-mm-jjjj), een klantnummer of een volledig BSN (9 cijfers). Zoeken op BSN wordt vastgelegd in de historie van de klant.",
		Kind: KindText, Required: true, Autocomplete: "off", MaxLength: SearchMaxLength}}}
}

// TokenForm issues an API token acting as one of the accounts in users.
func TokenForm(users []Option) Form {
	return Form{Fields: []Field{
		{Name: FieldTokenUser, Label: "Handelt namens", Help: "De sleutel krijgt de rollen van dit account; voor e-formulieren een systeemaccount.", Kind: KindSelect, Required: true, Options: users},
		{Name: FieldName, Label: "Naam van de sleutel", Help: "Bijvoorbeeld: e-formulieren.", Kind: KindText, Required: true, Autocomplete: "off", MaxLength: MaxName},
	}}
}

// How a client prefers to be contacted (FieldPreferredChannel).
const (
	PreferEmail = "email"
	PreferPost  = "post"
	PreferPhone = "telefoon"
)

// PreferredChannelNames gives the Dutch label of each preferred channel.
var PreferredChannelNames = map[string]string{PreferEmail: "E-mail", PreferPost: "Post", PreferPhone: "Telefoon"}

// ClientDetailsForm changes a client's contact details: how to reach them
// and who else to involve. Names, birth date and BSN come from the
// application and are not changed here.
func ClientDetailsForm() Form {
	channels := []Option{{Value: PreferEmail, Label: PreferredChannelNames[PreferEmail]},
		{Value: PreferPost, Label: PreferredChannelNames[PreferPost]}, {Value: PreferPhone, Label: PreferredChannelNames[PreferPhone]}}
	return Form{Fields: []Field{
		{Name: FieldEmail, Label: "E-mailadres", Help: "Leeg als de klant geen e-mailadres heeft: uitnodigingen gaan dan per post.", Kind: KindEmail, MaxLength: MaxEmail, Autocomplete: "off"},
		{Name: FieldPhone, Label: "Telefoonnummer", Help: "Cijfers, spaties en + - ( ), bijvoorbeeld 06-12345678 of +31 10 123 4567.", Kind: KindTel, MaxLength: MaxPhone, Autocomplete: "off"},
		{Name: FieldAddress, Label: "Adres", Help: "Op één regel: straat en huisnummer, postcode en plaats.", Kind: KindText, MaxLength: MaxAddress, Autocomplete: "off"},
		{Name: FieldPreferredChannel, Label: "Voorkeur voor contact", Help: "Hoe de klant het liefst bericht krijgt.", Kind: KindRadio, Required: true, Options: channels},
		{Name: FieldContactPerson, Label: "Contactpersoon of tolk", Help: "Bijvoorbeeld: tolk Arabisch, of: bewindvoerder mw. Jansen, 06-12345678. Nooit een BSN.", Kind: KindTextarea, MaxLength: MaxContact},
	}, Checks: []Check{{Name: CheckNoBSN, Field: FieldContactPerson}}}
}

// CloseDossierForm closes a participatiedossier outside the steps, with
// what may be finished after it (like the step "NUG'er of afsluiten").
func CloseDossierForm() Form {
	return Form{Fields: []Field{
		{Name: FieldReason, Label: "Reden van afsluiten", Help: "Bijvoorbeeld: werk gevonden, verhuisd, begeleiding als NUG'er beëindigd. Zet hier geen BSN in.",
			Kind: KindTextarea, Required: true, MaxLength: MaxTextLength},
		{Name: FieldFinish, Label: "Trajecten en aanmeldingen die afgemaakt mogen worden", Help: "Deze lopen door tot hun einde; al het andere stopt.",
			Kind: KindCheckbox, OptionsFrom: SourceTrajectoriesFinish},
	}, Checks: []Check{{Name: CheckNoBSN, Field: FieldReason}}}
}
