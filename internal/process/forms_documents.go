package process

// Forms of a client's documents: an upload and a letter requested by hand.
// The file itself is not a form field of these forms (a Form holds text
// values); its name is FieldFile, read by the adapters from the request.

// Field names of the document forms.
const (
	FieldFile   = "bestand" // the uploaded file (multipart)
	FieldLetter = "brief"   // the letter to make (a LetterKey)
)

// SourceLetters are the letters a caseworker may have made by hand
// (RequestableLetters).
const SourceLetters = "letters"

// RequestableLetters are the letters a caseworker may have made outside a
// step: a copy of the receipt, an invitation by post for a planned
// appointment, the plan van aanpak to sign, the letter about a melding.
// The decision letters, the request to complete (4:5) and the notice of
// delay (4:14) have legal effects and are made only by their steps.
func RequestableLetters() []LetterKey {
	return []LetterKey{LetterOntvangst, LetterUitnodiging, LetterPlan, LetterMelding}
}

// UploadForm is the form to add a document to a client's case: the case,
// a title and (outside the form) the file.
func UploadForm() Form {
	return Form{Fields: []Field{
		caseField(),
		{Name: FieldTitle, Label: "Titel", Help: "Waar gaat het document over? Bijvoorbeeld: loonstrook maart, ondertekend plan van aanpak. Zet hier geen BSN in.",
			Kind: KindText, Required: true, MaxLength: MaxAddress},
	}, Checks: []Check{{Name: CheckNoBSN, Field: FieldTitle, Message: "Zet geen BSN in de titel van een document."}}}
}

// LetterRequestForm is the form to have a letter made and sent.
func LetterRequestForm() Form {
	return Form{Fields: []Field{
		caseField(),
		{Name: FieldLetter, Label: "Brief", Kind: KindSelect, Required: true, OptionsFrom: SourceLetters,
			Help: "De brief gaat per e-mail als de klant dat wil en een e-mailadres heeft, anders per post via Team Ondersteuning."},
	}}
}
