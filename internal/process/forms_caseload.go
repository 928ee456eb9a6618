package process

import (
	"fmt"
	"strconv"
)

// The forms of a klantmanager's caseload (transferring dossiers to a
// colleague) and of a client's contact history (contact moments and
// notes). They are data like every form in forms.go; their field names are
// spelled here only.

// Names of the fields of these forms that code reads.
const (
	FieldCase        = "werkproces"   // the case of the client a contact moment or note is about
	FieldContactKind = "soort"        // telefoon, bezoek, brief, e-mail
	FieldDirection   = "richting"     // in or uit
	FieldSummary     = "samenvatting" // what a contact moment was about
	FieldDossiers    = "dossiers"     // the dossiers to transfer
	// fieldDossierVersion + case id: the version of a dossier the transfer
	// form was built on.
	fieldDossierVersion = "versie_"
)

// Option sources of these forms.
const (
	SourceClientCases = "client_cases" // the client's cases: 0/L2 and 17/PA
	SourceDossiers    = "dossiers"     // the open participation dossiers that may be transferred
)

// Kinds of contact with a client.
const (
	ContactPhone  = "telefoon"
	ContactVisit  = "bezoek"
	ContactLetter = "brief"
	ContactEmail  = "e-mail"
)

// ContactKindNames gives the Dutch label of each kind of contact.
var ContactKindNames = map[string]string{
	ContactPhone:  "Telefoon",
	ContactVisit:  "Bezoek",
	ContactLetter: "Brief",
	ContactEmail:  "E-mail",
}

// Directions of a contact moment.
const (
	DirectionIn  = "in"  // the client contacted the municipality
	DirectionOut = "uit" // the municipality contacted the client
)

// DirectionNames gives the Dutch label of each direction.
var DirectionNames = map[string]string{
	DirectionIn:  "Inkomend (de klant nam contact op)",
	DirectionOut: "Uitgaand (wij namen contact op)",
}

// NoteMaxLength is the longest summary of a contact moment or note.
const NoteMaxLength = 10000

// NoteEditHours is how long the author may change a contact moment or
// note after recording it; after that it is fixed.
const NoteEditHours = 24

// DossierVersionField is the name of the hidden field that carries the
// version of dossier caseID the transfer form was built on.
func DossierVersionField(caseID int64) string {
	return fieldDossierVersion + strconv.FormatInt(caseID, 10)
}

func caseField() Field {
	return Field{Name: FieldCase, Label: "Werkproces", Help: "Over welk werkproces van de klant ging het?",
		Kind: KindSelect, Required: true, OptionsFrom: SourceClientCases}
}

// ContactForm records (or changes) a contact moment with a client: on
// which case, how, which way, when, and what was said.
func ContactForm() Form {
	kinds := []Option{}
	for _, k := range []string{ContactPhone, ContactVisit, ContactLetter, ContactEmail} {
		kinds = append(kinds, Option{Value: k, Label: ContactKindNames[k]})
	}
	dirs := []Option{{Value: DirectionIn, Label: DirectionNames[DirectionIn]}, {Value: DirectionOut, Label: DirectionNames[DirectionOut]}}
	return Form{Fields: []Field{
		caseField(),
		{Name: FieldContactKind, Label: "Soort contact", Kind: KindRadio, Required: true, Options: kinds},
		{Name: FieldDirection, Label: "Richting", Kind: KindRadio, Required: true, Options: dirs},
		{Name: FieldDate, Label: "Datum van het contact", Help: "Formaat dd-mm-jjjj, niet in de toekomst.", Kind: KindDate, Required: true, Autocomplete: "off"},
		{Name: FieldTime, Label: "Tijd van het contact", Help: "24-uursnotatie, bijvoorbeeld 14:30.", Kind: KindTime, Required: true, Autocomplete: "off"},
		{Name: FieldSummary, Label: "Samenvatting", Help: "Wat is besproken of afgesproken? Maximaal 10.000 tekens; zet hier geen BSN in.",
			Kind: KindTextarea, Required: true, MaxLength: NoteMaxLength},
	}, Checks: []Check{
		{Name: CheckNotFuture, Field: FieldDate, Message: "Een contactmoment kan niet in de toekomst liggen."},
		{Name: CheckNoBSN, Field: FieldSummary, Message: "Zet geen BSN of ander nummer van 9 cijfers in de samenvatting."},
	}}
}

// NoteForm records (or changes) a note on a client's case.
func NoteForm() Form {
	return Form{Fields: []Field{
		caseField(),
		{Name: FieldNote, Label: "Notitie", Help: "Maximaal 10.000 tekens; zet hier geen BSN in.", Kind: KindTextarea, Required: true, MaxLength: NoteMaxLength},
	}, Checks: []Check{
		{Name: CheckNoBSN, Field: FieldNote, Message: "Zet geen BSN of ander nummer van 9 cijfers in een notitie."},
	}}
}

// TransferForm transfers one or more participation dossiers to a
// klantmanager, with the reason. The version of each dossier travels in a
// hidden field (DossierVersionField).
func TransferForm() Form {
	return Form{Fields: []Field{
		{Name: FieldDossiers, Label: "Dossier", Help: "Kies de dossiers die u overdraagt.", Kind: KindCheckbox, Required: true, OptionsFrom: SourceDossiers},
		{Name: FieldKM, Label: "Nieuwe klantmanager", Help: "Tussen haakjes de rol en het aantal lopende dossiers.", Kind: KindSelect, Required: true, OptionsFrom: SourceKlantmanagers},
		{Name: FieldReason, Label: "Reden van de overdracht", Help: "Bijvoorbeeld: verlof, ziekte, reorganisatie. De reden komt in de historie van elke klant; zet hier geen BSN in.",
			Kind: KindTextarea, Required: true, MaxLength: 1000},
	}, Checks: []Check{
		{Name: CheckNoBSN, Field: FieldReason, Message: "Zet geen BSN of ander nummer van 9 cijfers in de reden."},
	}}
}

// BreakGlassMinReason is the shortest reason, in characters, for opening a
// client's file outside need-to-know.
const BreakGlassMinReason = 20

// BreakGlassForm opens a client's file outside need-to-know ("Reden om in
// te zien"): the reason is recorded with the grant and in the history, and
// the team lead sees it in the daily digest.
func BreakGlassForm() Form {
	return Form{Fields: []Field{
		{Name: FieldReason, Label: "Reden om in te zien",
			Help: fmt.Sprintf("Waarom hebt u dit dossier nodig? Bijvoorbeeld: de klant belt en de eigen klantmanager is afwezig. Minstens %d tekens; zet hier geen BSN in.", BreakGlassMinReason),
			Kind: KindTextarea, Required: true, MaxLength: 1000},
	}, Checks: []Check{
		{Name: CheckNoBSN, Field: FieldReason, Message: "Zet geen BSN of ander nummer van 9 cijfers in de reden."},
	}}
}
