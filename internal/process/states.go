package process

// Case statuses: the phase a case is in. Effects of the definition name
// them (ParamStatus), so they are process data.
const (
	StatusInBehandeling = "in_behandeling" // application being handled
	StatusBesloten      = "besloten"       // application decided
	StatusWerkdiagnose  = "werkdiagnose"   // participation: work diagnosis
	StatusAangemeld     = "aangemeld"      // participation: assigned, waiting for the introductory meeting
	StatusBegeleiding   = "begeleiding"    // participation: guidance by KM Werk / AG
	StatusNUG           = "begeleiding_nug"
	StatusAfgesloten    = "afgesloten"
)

// StatusNames gives the Dutch label of each case status.
var StatusNames = map[string]string{
	StatusInBehandeling: "In behandeling",
	StatusBesloten:      "Besloten",
	StatusWerkdiagnose:  "Werkdiagnose",
	StatusAangemeld:     "Aangemeld, wacht op kennismaking",
	StatusBegeleiding:   "Begeleiding naar werk",
	StatusNUG:           "Begeleiding als NUG'er",
	StatusAfgesloten:    "Afgesloten",
}

// The life of an appointment (a cancelled one is marked cancelled).
const (
	AppointmentPlanned = "gepland"
	AppointmentHeld    = "gehouden"
	AppointmentNoShow  = "niet_verschenen"
	// AppointmentLapsed: begun, never recorded, and its dossier closed. It
	// is cancelled too (its room freed), without a message to anyone.
	AppointmentLapsed = "vervallen"
)

// AppointmentStatusNames gives the Dutch label of each state.
var AppointmentStatusNames = map[string]string{
	AppointmentPlanned: "Gepland",
	AppointmentHeld:    "Gehouden",
	AppointmentNoShow:  "Niet verschenen",
	AppointmentLapsed:  "Vervallen",
}

// Appointment kinds. Steps that book an appointment name theirs (ParamKind).
const (
	AppointmentIntake       = "intake_werkdiagnose"
	AppointmentKennismaking = "kennismaking"
	AppointmentVervolg      = "vervolg"
)

// AppointmentKindNames gives the Dutch label of each kind.
var AppointmentKindNames = map[string]string{
	AppointmentIntake:       "Intake KM Werkdiagnose",
	AppointmentKennismaking: "Kennismakingsgesprek",
	AppointmentVervolg:      "Vervolgafspraak",
}

// AppointmentKindClientNames names each kind to the client, in plain words
// (B1): invitations say this, never the internal name above.
var AppointmentKindClientNames = map[string]string{
	AppointmentIntake:       "Gesprek over werk",
	AppointmentKennismaking: "Kennismaking met uw klantmanager",
	AppointmentVervolg:      "Gesprek met uw klantmanager",
}

// AppointmentKindPurposes says to the client what each kind of meeting is
// for, in one or two sentences addressed with "u".
var AppointmentKindPurposes = map[string]string{
	AppointmentIntake: "U heeft een uitkering aangevraagd. In dit gesprek kijken we samen naar werk: " +
		"wat u kunt, wat u wilt en wat u nodig heeft om aan het werk te gaan.",
	AppointmentKennismaking: "U maakt kennis met de klantmanager die u gaat helpen bij het vinden van werk. " +
		"Samen maakt u een plan.",
	AppointmentVervolg: "U bespreekt met uw klantmanager hoe het gaat en wat de volgende stappen zijn.",
}
