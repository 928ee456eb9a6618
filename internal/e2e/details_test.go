package e2e

import (
	"strconv"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// TestClientDetailsAndLetters: a Poortwachter sees how to reach a client in
// the case header, changes the contact details on their own page (first
// refused for letters in the phone number, the input kept): no e-mail any
// more, post preferred, an interpreter. The invitation to the intake then
// becomes a letter: "Per post te versturen" on the case page, with its text,
// and in the team lead's outbox, not as a failure.
func TestClientDetailsAndLetters(t *testing.T) {
	h := newHarness(t)
	app := h.env.Apply(t)
	c := h.env.File(t, app.ClientID).Client
	casePage := "/klanten/" + strconv.FormatInt(c.ID, 10)

	pieter := h.login("pieter")
	pieter.visitOK(casePage)
	pieter.contains(".wd-case-contact", c.Phone, c.Email, c.Address, "Voorkeur:", "E-mail")
	pieter.noBSN(c.BSN)
	if st := pieter.follow("Contactgegevens wijzigen"); st != 200 {
		pieter.fatalf("details form: status %d", st)
	}
	pieter.contains("h1", "Contactgegevens wijzigen")
	if got := eval[string](pieter, `document.getElementById('f-telefoon').getAttribute('maxlength') || ''`); got != "40" {
		t.Errorf("the phone field has maxlength %q, want 40", got)
	}
	pieter.contains("#f-contactpersoon-hulp", "Maximaal 500 tekens.")

	pieter.fill("email", "")
	pieter.choose("voorkeurskanaal", "Post")
	pieter.fill("contactpersoon", "Tolk Arabisch\nbewindvoerder mw. Jansen")
	pieter.fill("telefoon", "06-BELMIJ")
	if st := pieter.submit("Contactgegevens opslaan"); st != 422 {
		pieter.fatalf("letters in the phone number: status %d, want 422", st)
	}
	pieter.contains("#f-telefoon-fout", "Letters en andere tekens kunnen niet")
	pieter.contains("#foutmeldingen", "Controleer het formulier")
	if got := pieter.value("f-contactpersoon"); got != "Tolk Arabisch\nbewindvoerder mw. Jansen" {
		t.Errorf("after the refusal the contact person holds %q", got)
	}
	pieter.fill("telefoon", "010-1234567")
	if st := pieter.submit("Contactgegevens opslaan"); st != 200 || pieter.path() != casePage {
		pieter.fatalf("saving: status %d at %s", st, pieter.path())
	}
	pieter.contains(".utrecht-alert", "Contactgegevens opgeslagen: e-mailadres, telefoonnummer, voorkeur voor contact, contactpersoon of tolk.")
	pieter.contains(".wd-case-contact", "010-1234567", "geen e-mailadres", "Post", "Tolk Arabisch")
	pieter.contains(`section[aria-labelledby="historie"]`, "Contactgegevens gewijzigd: e-mailadres, telefoonnummer")

	// Team Ondersteuning plans the intake: the client has no e-mail address.
	h.env.WalkTo(t, app, "", process.StepIntakeWerkdiagnose)
	pieter.visitOK(casePage)
	row, ok := pieter.row("Uitnodiging klant")
	if !ok || !strings.Contains(row, "Per post te versturen") || !strings.Contains(row, "geen e-mailadres") {
		pieter.fatalf("Berichten: the invitation is not a letter to post: %q", row)
	}
	if strings.Contains(row, "Mislukt") {
		t.Errorf("the letter shows as failed: %q", row)
	}
	pieter.do("open the letter", clickText("summary", "Brief tonen"))
	letter := pieter.text(".wd-letter__text")
	for _, want := range []string{"Gesprek over werk", "Wat neemt u mee?", "Kunt u niet komen?", "0180 451 234"} {
		if !strings.Contains(letter, want) {
			t.Errorf("the letter lacks %q:\n%s", want, letter)
		}
	}

	thomas := h.login("thomas")
	thomas.visitOK("/uitgaand")
	thomas.contains("#per-post", "1 brief is per post te versturen")
	if n := thomas.count("#bezorging"); n != 0 {
		t.Errorf("the outbox reports failed or retrying mail: %s", thomas.text("#bezorging"))
	}
	if row, ok := thomas.row("Uitnodiging klant", "Per post te versturen"); !ok || strings.Contains(row, "Opnieuw versturen") {
		thomas.fatalf("outbox row of the letter: %q", row)
	}
	if st := thomas.follow("Toon deze brief"); st != 200 {
		thomas.fatalf("filter per post: status %d", st)
	}
	if n := thomas.count("tbody tr"); n != 1 {
		t.Errorf("outbox filtered on per post: %d rows, want 1", n)
	}
}
