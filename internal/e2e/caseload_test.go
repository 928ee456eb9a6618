package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// TestDossierTransferAndContactMoment: a team lead transfers a
// Klantmanager Werkdiagnose's dossier to a colleague from the team view
// (first without a reason: the form comes back with the choice kept); the
// colleague finds it in "Mijn dossiers", records a contact moment on the
// case page (first with a BSN in it: refused, input kept) and sees it on
// the timeline with the transfer, and as the dossier's last contact.
func TestDossierTransferAndContactMoment(t *testing.T) {
	h := newHarness(t)
	app := h.env.Apply(t)
	h.env.WalkTo(t, app, "", process.StepIntakeWerkdiagnose)
	f := h.env.File(t, app.ClientID)
	name := f.Client.Name()
	clientPath := fmt.Sprintf("/klanten/%d", f.Client.ID)
	from := h.env.UserByID(t, f.Participation.DossierOwner)
	var to string
	for _, u := range h.env.All {
		if u.Roles.Has(process.RoleKMWerkdiagnose) && u.ID != from.ID {
			to = u.Name
		}
	}

	// The owner has the dossier in "Mijn dossiers".
	owner := h.login(h.usernameOf(from.ID))
	owner.visitOK("/")
	owner.follow("Mijn dossiers")
	owner.contains("main table", name, "17/PA", "Werkdiagnose")
	owner.noBSN(f.Client.BSN)

	// The team lead transfers it.
	lead := h.login("thomas")
	lead.visitOK("/")
	lead.follow("Dossiers per klantmanager")
	lead.contains("main", from.Name, name)
	lead.noBSN(f.Client.BSN)
	lead.choose("dossiers", "Dossier van "+name)
	lead.selectOption("klantmanager", to)
	if st := lead.submit("Gekozen dossiers overdragen"); st != 422 {
		lead.fatalf("transfer without a reason: status %d, want 422", st)
	}
	lead.contains(".wd-error-summary", "Vul reden van de overdracht in.")
	if !eval[bool](lead, `[...document.querySelectorAll('input[name="dossiers"]')].some(e => e.checked)`) {
		lead.fatalf("the chosen dossier is no longer chosen after the refusal")
	}
	lead.fill("reden", "Verlof van "+from.Name)
	if st := lead.submit("Gekozen dossiers overdragen"); st != 200 || lead.path() != "/dossiers/team" {
		lead.fatalf("transfer: status %d at %s", st, lead.path())
	}
	lead.contains("main", "1 dossier overgedragen aan "+to+", met 1 open taak")
	if caps := strings.Join(lead.texts("main caption"), "\n"); !strings.Contains(caps, "Dossiers van "+to+" (1)") {
		lead.fatalf("after the transfer the dossier is not under %s: %s", to, caps)
	}

	// The new owner records a contact moment on the case page.
	var toUser string
	for _, u := range h.env.All {
		if u.Name == to {
			toUser = u.Username
		}
	}
	km := h.login(toUser)
	km.visitOK("/dossiers/mijn")
	km.contains("main table", name)
	km.followIn("main table", name, name)
	if km.path() != clientPath {
		km.fatalf("the dossier links to %s, want %s", km.path(), clientPath)
	}
	km.contains("section[aria-labelledby=historie]", "overgedragen van "+from.Name+" aan "+to, "Verlof van "+from.Name)
	km.follow("Contact vastleggen")
	km.contains("h1", "Contact vastleggen")
	km.choose("soort", "Telefoon")
	km.choose("richting", "Inkomend")
	summary := "Klant belde: kan dinsdag niet, vraagt een nieuwe afspraak.\nBSN 123456782 doorgegeven."
	km.fill("samenvatting", summary)
	if st := km.submit("Contact vastleggen"); st != 422 {
		km.fatalf("a contact moment with a BSN: status %d, want 422", st)
	}
	km.contains(".wd-error-summary", "Zet geen BSN")
	if got := km.value("f-samenvatting"); got != summary {
		km.fatalf("the summary was not kept: %q", got)
	}
	km.fill("samenvatting", "Klant belde: kan dinsdag niet, vraagt een nieuwe afspraak.\nTerugbellen na 14:00.")
	if st := km.submit("Contact vastleggen"); st != 200 || km.path() != clientPath {
		km.fatalf("contact moment: status %d at %s", st, km.path())
	}
	km.contains("main", "Contactmoment vastgelegd.")
	km.contains("section[aria-labelledby=historie]", "Contactmoment: telefoon, inkomend", "(werkproces 17/PA)",
		"Klant belde: kan dinsdag niet", "Terugbellen na 14:00.", "Wijzigen")
	items := km.texts("section[aria-labelledby=historie] li")
	if len(items) < 2 || !strings.Contains(items[len(items)-1], "Contactmoment") || !strings.Contains(strings.Join(items, "\n"), "overgedragen") {
		km.fatalf("the timeline does not end with the contact moment after the transfer: %q", items)
	}

	// Its author may change it for 24 hours; the earlier text stays in the history.
	km.follow("Wijzigen")
	km.contains("h1", "Contactmoment wijzigen")
	km.fill("samenvatting", "Klant belde: kan dinsdag niet, nieuwe afspraak donderdag.")
	if st := km.submit("Wijziging opslaan"); st != 200 || km.path() != clientPath {
		km.fatalf("change of the contact moment: status %d at %s", st, km.path())
	}
	km.contains("section[aria-labelledby=historie]", "nieuwe afspraak donderdag", "Gewijzigd op", "Eerder: Telefoon, inkomend",
		"Terugbellen na 14:00.")

	// And a note, which the others see but cannot change.
	km.follow("Notitie toevoegen")
	km.fill("notitie", "Afspraak verzetten naar volgende week.")
	if st := km.submit("Notitie opslaan"); st != 200 || km.path() != clientPath {
		km.fatalf("note: status %d at %s", st, km.path())
	}
	km.contains("section[aria-labelledby=historie]", "Notitie", "Afspraak verzetten naar volgende week.")
	owner.visitOK(clientPath)
	owner.contains("section[aria-labelledby=historie]", "Afspraak verzetten naar volgende week.", "Contactmoment: telefoon, inkomend")
	if strings.Contains(owner.text("section[aria-labelledby=historie]"), "Wijzigen") {
		owner.fatalf("someone else may change the contact moment or note: %s", owner.text("section[aria-labelledby=historie]"))
	}

	// "Mijn dossiers" shows the last contact.
	km.visitOK("/dossiers/mijn")
	if row, ok := km.row(name); !ok || !strings.Contains(row, h.today()) {
		km.fatalf("last contact not shown: %q", row)
	}
}
