package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// TestMeldingen: someone younger than the minimum age who uses the public
// form is taken in as a melding (Pw art. 41) and told so; at the desk the
// application is refused with the way to record the melding, which then
// has its own client page.
func TestMeldingen(t *testing.T) {
	a := newApp(t)
	pol := a.env.Svc.Definition().Policy
	today := process.Date(a.env.Clock.Now())
	person := a.env.Person()
	young := url.Values{"bsn": {person.BSN}, "voornamen": {person.GivenName}, "achternaam": {person.FamilyName},
		"geboortedatum": {casework.FormatDate(process.AddDays(today, -20*366))}, "email": {person.Email}, "telefoon": {person.Phone}}

	t.Run("public form", func(t *testing.T) {
		b := a.browser()
		loc := expectRedirect(t, b.post("/aanvraag", young), "/aanvraag/ontvangen?referentie=ML-")
		p := b.get(loc)
		body := p.text("main")
		for _, want := range []string{"Wij hebben uw melding ontvangen", "jonger dan 27 jaar", process.TermLength(pol.YouthSearchDays), strings.TrimPrefix(loc, "/aanvraag/ontvangen?referentie=")} {
			if !strings.Contains(body, want) {
				t.Errorf("the thank-you page lacks %q: %q", want, body)
			}
		}
		if strings.Contains(body, "besluit op uw aanvraag") {
			t.Errorf("a melding is promised a decision: %q", body)
		}
	})

	t.Run("at the desk", func(t *testing.T) {
		b := a.loginRole(process.RoleOndersteunerPoortwachter)
		v := url.Values{}
		for k, vs := range young {
			v[k] = vs
		}
		other := a.env.Person()
		v.Set("bsn", other.BSN)
		p := b.post("/aanvragen", v)
		expectStatus(t, p, http.StatusUnprocessableEntity)
		if msg := p.text("#f-geboortedatum-fout"); !strings.Contains(msg, "Vastleggen als melding") {
			t.Errorf("age message at the desk: %q", msg)
		}
		if got := p.attr("button[formaction='/meldingen']", "formaction"); got != "/meldingen" {
			t.Fatalf("no button to record the melding with what was typed")
		}
		if got := p.attr("#f-achternaam", "value"); got != person.FamilyName {
			t.Errorf("the form lost the name typed: %q", got)
		}
		loc := expectRedirect(t, b.post("/meldingen", v), "/klanten/")
		p = b.get(loc)
		expectStatus(t, p, http.StatusOK)
		until := casework.FormatDate(process.AddDays(today, pol.YouthSearchDays-1))
		if row := p.text("section[aria-labelledby=meldingen] tbody"); !strings.Contains(row, casework.FormatDate(today)) || !strings.Contains(row, until) {
			t.Errorf("meldingen table = %q; want reported %s, searching until %s", row, casework.FormatDate(today), until)
		}
		if !strings.Contains(p.text("section[aria-labelledby=historie]"), "Melding ontvangen op") {
			t.Errorf("the history lacks the melding")
		}
		if !strings.Contains(p.text("section[aria-labelledby=documenten] tbody"), "melding") {
			t.Errorf("the melding's letter is not among the documents: %q", p.text("section[aria-labelledby=documenten]"))
		}
		if p.has("a[href$='/contactmomenten/nieuw']") || p.has("form[action$='/documenten']") {
			t.Errorf("the melding page offers what needs a case (a contact moment %v, an upload %v)", p.has("a[href$='/contactmomenten/nieuw']"), p.has("form[action$='/documenten']"))
		}
		// An adult is no melding.
		adult := a.env.Person()
		v.Set("bsn", adult.BSN)
		v.Set("geboortedatum", casework.FormatDate(adult.BirthDate))
		p = b.post("/meldingen", v)
		expectStatus(t, p, http.StatusUnprocessableEntity)
		if msg := p.text("#f-geboortedatum-fout"); !strings.Contains(msg, "Voer een aanvraag in") {
			t.Errorf("adult melding message: %q", msg)
		}
	})
}
