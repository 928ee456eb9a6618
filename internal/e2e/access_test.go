package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// TestBreakTheGlass: a KM Werk opens a client outside their teams (the
// intake is on the Poort's worklist) and gets "Reden om in te zien"
// instead of the file (403, checked with axe); an empty reason is refused
// in Dutch with the focus on the error summary; a reason opens the file,
// whose history shows the line with the reason.
func TestBreakTheGlass(t *testing.T) {
	h := newHarness(t)
	app := h.env.Apply(t)
	file := h.env.File(t, app.ClientID)
	path := fmt.Sprintf("/klanten/%d", app.ClientID)

	wouter := h.login("wouter")
	if st := wouter.visit(path); st != 403 {
		wouter.fatalf("a client outside need-to-know: status %d, want 403", st)
	}
	wouter.contains("h1", "Reden om in te zien")
	wouter.noBSN(file.Client.BSN)
	if strings.Contains(wouter.text("main"), file.Client.Email) || strings.Contains(wouter.text("main"), file.Client.Phone) {
		t.Errorf("the reason form shows the client's contact details")
	}

	// Empty: a Dutch message, the focus on the summary.
	if st := wouter.submit("Dossier inzien"); st != 422 {
		wouter.fatalf("an empty reason: status %d, want 422", st)
	}
	wouter.contains("#foutmeldingen", "Controleer het formulier")
	wouter.contains("#f-reden-fout", "Vul reden om in te zien in")
	if got := wouter.focused(); !strings.HasPrefix(got, "div#foutmeldingen") {
		t.Errorf("after a refused reason the focus is on %s, want the error summary", got)
	}
	// Too short, then a BSN: refused, the text kept.
	wouter.fill("reden", "Even kijken")
	if st := wouter.submit("Dossier inzien"); st != 422 {
		wouter.fatalf("a short reason: status %d, want 422", st)
	}
	wouter.contains("#f-reden-fout", "minstens 20 tekens")
	if got := wouter.value("f-reden"); got != "Even kijken" {
		t.Errorf("the short reason was not kept: %q", got)
	}
	wouter.fill("reden", "Klant belt over BSN "+file.Client.BSN+" en zijn afspraak")
	if st := wouter.submit("Dossier inzien"); st != 422 {
		wouter.fatalf("a reason with a BSN: status %d, want 422", st)
	}
	wouter.contains("#f-reden-fout", "Zet geen BSN")

	// A reason: the file, with the line in its history.
	const reason = "Klant belt; de poortwachter is vandaag afwezig."
	wouter.fill("reden", reason)
	if st := wouter.submit("Dossier inzien"); st != 200 {
		wouter.fatalf("a reason: status %d, want 200", st)
	}
	if wouter.path() != path {
		t.Errorf("after the reason the browser is on %s, want %s", wouter.path(), path)
	}
	wouter.contains("main", "U kunt het dossier inzien tot het einde van de dag")
	wouter.contains("h1", file.Client.Name())
	wouter.contains("section[aria-labelledby=historie]", "Dossier ingezien met reden", reason)
	wouter.noBSN(file.Client.BSN)

	// From the search results, a client outside need-to-know leads to the form.
	other := h.env.Apply(t)
	otherFile := h.env.File(t, other.ClientID)
	wouter.visitOK("/klanten")
	wouter.fillLabel("Zoek een klant", otherFile.Client.FamilyName)
	if st := wouter.submit("Zoeken"); st != 200 {
		wouter.fatalf("search: status %d", st)
	}
	wouter.contains("table", otherFile.Client.Name(), "Niet in uw werk: inzien met reden")
	wouter.followIn("tbody tr", otherFile.Client.Name(), otherFile.Client.Name())
	wouter.contains("h1", "Reden om in te zien")
}
