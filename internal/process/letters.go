package process

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
