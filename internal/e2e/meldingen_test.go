package e2e

import (
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// TestMeldingInTheBrowser: someone of 20 on the public form gets the
// melding's thank-you page; at the desk the application of another
// 20-year-old is refused with the way to record the melding, which keeps
// what was typed and leads to the client's page with the melding.
func TestMeldingInTheBrowser(t *testing.T) {
	h := newHarness(t)
	young := casework.FormatDate(process.AddDays(h.env.Clock.Now(), -20*366))

	anon := h.anonymous()
	anon.visitOK("/aanvraag")
	p := h.env.Person()
	anon.fill(process.FieldBSN, p.BSN)
	anon.fill(process.FieldGivenNames, p.GivenName)
	anon.fill(process.FieldFamilyName, p.FamilyName)
	anon.fill(process.FieldBirthDate, young)
	anon.fill(process.FieldEmail, p.Email)
	anon.fill(process.FieldPhone, p.Phone)
	if st := anon.submit("Aanvraag versturen"); st != 200 {
		t.Fatalf("public form: status %d", st)
	}
	anon.contains("h1", "Wij hebben uw melding ontvangen")
	anon.contains("main", "jonger dan 27 jaar", "4 weken")
	anon.noBSN(p.BSN)

	sanne := h.login("sanne")
	sanne.visitOK("/aanvragen/nieuw")
	q := h.env.Person()
	sanne.fill(process.FieldBSN, q.BSN)
	sanne.fill(process.FieldGivenNames, q.GivenName)
	sanne.fill(process.FieldFamilyName, q.FamilyName)
	sanne.fill(process.FieldBirthDate, young)
	sanne.fill(process.FieldPhone, q.Phone)
	if st := sanne.submit("Aanvraag invoeren"); st != 422 {
		t.Fatalf("an application of a 20-year-old: status %d, want 422", st)
	}
	sanne.contains("#f-geboortedatum-fout", "Vastleggen als melding")
	if st := sanne.submit("Vastleggen als melding"); st != 200 {
		t.Fatalf("recording the melding: status %d", st)
	}
	sanne.contains("h1", q.GivenName)
	sanne.contains("section[aria-labelledby=meldingen]", h.today())
	sanne.contains("section[aria-labelledby=historie]", "Melding ontvangen op")
}
