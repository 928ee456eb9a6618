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
