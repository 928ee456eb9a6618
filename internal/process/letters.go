package process

import "time"

// LetterKey names a letter the municipality sends a client: each has a
// Dutch template in the repository (internal/letters) and is produced by
// the effect EffectSendLetter (ParamLetter) or by a use case that names it.
type LetterKey string

// The letters the Awb and the Participatiewet require of this process.
const (
	LetterOntvangst   LetterKey = "ontvangstbevestiging" // Awb 4:3a: receipt of an application
	LetterAanvulling  LetterKey = "verzoek_aanvulling"   // Awb 4:5: request to complete, with its term
	LetterVerdaging   LetterKey = "verdagingsbericht"    // Awb 4:14: the decision takes longer
	LetterToekenning  LetterKey = "besluit_toekenning"   // decision: granted, with the bezwaarclausule
	LetterAfwijzing   LetterKey = "besluit_afwijzing"    // decision: refused, with reasons and the bezwaarclausule
	LetterUitnodiging LetterKey = "uitnodiging"          // an appointment (intake, kennismaking) for a client without e-mail
	LetterPlan        LetterKey = "plan_van_aanpak"      // Pw art. 44a: the plan for the client's signature
	LetterMelding     LetterKey = "melding_jongere"      // Pw art. 41 lid 4: an under-27's melding and the 4-week search period
)

// EffectSendLetter produces the letter ParamLetter for the client of the
// step's case and sends it (mail with the PDF) or queues it for the post.
// With ParamOutcome it applies only when the step has that outcome.
const EffectSendLetter Effect = "send_letter"

// ParamLetter names the letter (a LetterKey) of EffectSendLetter.
const ParamLetter = "letter"

// Parameters of EffectSendLetter besides ParamLetter and ParamOutcome. Each
// names a field of the step's form whose value the letter shows; a letter
// without the field shows what the case records (the decision's date and
// reasons, written by decide_application before the letter is made).
const (
	// ParamGround names the field with a decision's legal ground: the
	// articles it rests on, besides those every decision letter names.
	ParamGround = "ground"
	// ParamStartOn names the field with the date of entitlement of a grant
	// (Pw art. 44: not before the melding).
	ParamStartOn = "start_on"
	// ParamDue names the field with a date the letter sets: the term of a
	// request to complete (Awb 4:5), the new decision date of a delay
	// (Awb 4:14).
	ParamDue = "due"
)

// LetterNames gives each letter's title as the client reads it.
var LetterNames = map[LetterKey]string{
	LetterOntvangst:   "Ontvangstbevestiging van uw aanvraag",
	LetterAanvulling:  "Verzoek om aanvullende gegevens",
	LetterVerdaging:   "Wij hebben meer tijd nodig voor ons besluit",
	LetterToekenning:  "Besluit op uw aanvraag: toegekend",
	LetterAfwijzing:   "Besluit op uw aanvraag: afgewezen",
	LetterUitnodiging: "Uitnodiging voor een gesprek",
	LetterPlan:        "Plan van aanpak",
	LetterMelding:     "Uw melding voor een uitkering",
}

// LetterKeys lists every letter, in the order of a case.
func LetterKeys() []LetterKey {
	return []LetterKey{LetterOntvangst, LetterAanvulling, LetterVerdaging, LetterToekenning, LetterAfwijzing,
		LetterUitnodiging, LetterPlan, LetterMelding}
}

// KnownLetter reports whether k is a letter of LetterKeys.
func KnownLetter(k LetterKey) bool {
	_, ok := LetterNames[k]
	return ok
}

// DocumentUpload is the kind of a document a caseworker uploaded; every
// other document's kind is the LetterKey it was made from.
const DocumentUpload = "upload"

// ObjectionWeeks is the term to object to a decision (Awb 6:7).
const ObjectionWeeks = 6

// ObjectionDue is the last day to object to a decision sent on the day of
// sent: the term starts the day after sending (Awb 6:8 lid 1) and lasts six
// weeks (6:7), so it ends on the same weekday six weeks later; a term that
// ends on a Saturday, Sunday or holiday runs on to the next day that is
// none of these (Algemene termijnenwet art. 1, TermEnd on the term
// calendar).
func ObjectionDue(sent time.Time, termCal *Calendar) time.Time {
	return TermEnd(AddDays(Date(sent), 7*ObjectionWeeks), termCal)
}

// MeldingSearchWeeks is how long an under-27 searches for work after the
// melding before the application is taken in (Pw art. 41 lid 4).
const MeldingSearchWeeks = 4

// MeldingApplyFrom is the first day an under-27 who reported on day may
// apply: four weeks after the melding (Pw art. 41 lid 4).
func MeldingApplyFrom(reported time.Time) time.Time {
	return AddDays(Date(reported), 7*MeldingSearchWeeks)
}
