package e2e

import (
	"strings"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// refuseWithLetter completes "Besluit op aanvraag" with a refusal as a
// Poortwachter does: the first "Stap afronden" shows the letter the client
// will get (with the reasons typed, the legal ground and the bezwaar
// clause) and asks to confirm it; after ticking, the step completes.
func (u *user) refuseWithLetter(client, reasons string) {
	u.h.t.Helper()
	if st := u.submit("Stap afronden"); st != 422 {
		u.fatalf("a refusal completed without showing its letter: status %d", st)
	}
	u.contains("#foutmeldingen", "Lees de brief hierboven")
	u.contains("#brief", client, reasons, "bezwaar", "Participatiewet")
	if letter := u.text("#brief"); strings.Contains(letter, "Werkdiagnose") || strings.Contains(letter, "Poortwachter") {
		u.fatalf("the letter uses internal words: %q", letter)
	}
	u.choose(process.FieldLetterChecked, "")
	u.completeStep(stBesluit)
}
