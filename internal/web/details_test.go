package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// detailsForm is the contact details form of a client as stored, with
// changes.
func detailsForm(c casework.Client, changes map[string]string) url.Values {
	v := url.Values{"versie": {strconv.Itoa(c.Version)}, "email": {c.Email}, "telefoon": {c.Phone}, "adres": {c.Address},
		"voorkeurskanaal": {c.Contact}, "contactpersoon": {c.ContactPerson}}
	for k, x := range changes {
		v.Set(k, x)
	}
	return v
}

// TestClientDetailsPages: the header of every page about a client shows how
// to reach them; the details are changed on their own form, with the
// maximum of each field in it, a Dutch message beside a wrong value (input
// kept), and a colleague's change in between a 409 with the input kept.
func TestClientDetailsPages(t *testing.T) {
	a := newApp(t)
	app := a.env.Apply(t)
	c := a.env.File(t, app.ClientID).Client
	base := "/klanten/" + id(c.ID)

	b := a.loginRole(process.RolePoortwachter)
	p := b.get(base)
	expectStatus(t, p, http.StatusOK)
	header := p.text(".wd-case-contact")
	for _, want := range []string{c.Phone, c.Email, c.Address, "Voorkeur:", "E-mail", "Contactgegevens wijzigen"} {
		if !strings.Contains(header, want) {
			t.Errorf("the case header lacks %q: %q", want, header)
		}
	}
	if href := p.attr(".wd-case-contact a[href^='tel:']", "href"); !strings.HasPrefix(href, "tel:06") {
		t.Errorf("phone link = %q", href)
	}
	// The task page has the same header.
	task := a.env.File(t, c.ID).OpenTasks()[0]
	if tp := b.get("/taken/" + id(task.ID)); !strings.Contains(tp.text(".wd-case-contact"), c.Phone) {
		t.Errorf("the task page does not show the phone number")
	}

	p = b.get(base + "/contactgegevens")
	expectStatus(t, p, http.StatusOK)
	for field, max := range map[string]string{"email": "254", "telefoon": "40", "adres": "300"} {
		if got := p.attr("#f-"+field, "maxlength"); got != max {
			t.Errorf("%s maxlength %q, want %s", field, got, max)
		}
	}
	if help := p.text("#f-contactpersoon-hulp"); !strings.Contains(help, "Maximaal 500 tekens.") {
		t.Errorf("contact person help = %q", help)
	}
	if p.attr("#f-telefoon", "value") != c.Phone || p.attr("input[name=versie]", "value") != "1" {
		t.Errorf("the form is not filled with the stored details")
	}

	// A phone number with letters: 422, the message beside it, input kept.
	bad := detailsForm(c, map[string]string{"telefoon": "06-CALLME", "contactpersoon": "Tolk Arabisch"})
	p = b.post(base+"/contactgegevens", bad)
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if !strings.Contains(p.text("#f-telefoon-fout"), "Letters en andere tekens kunnen niet") || p.text("#f-contactpersoon") != "Tolk Arabisch" {
		t.Errorf("refused phone: message %q, contact kept %q", p.text("#f-telefoon-fout"), p.text("#f-contactpersoon"))
	}
	// Free text over its maximum (under the body limit): the field's message, everything kept.
	long := strings.Repeat("tolk ", 20000)
	p = b.post(base+"/contactgegevens", detailsForm(c, map[string]string{"contactpersoon": long, "telefoon": "010-1234567"}))
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if !strings.Contains(p.text("#f-contactpersoon-fout"), "maximaal 500 tekens, u typte er 99.999") ||
		p.attr("#f-telefoon", "value") != "010-1234567" || len(p.text("#f-contactpersoon")) < 99000 {
		t.Errorf("too long: message %q", p.text("#f-contactpersoon-fout"))
	}

	// The change itself.
	p = b.post(base+"/contactgegevens", detailsForm(c, map[string]string{"telefoon": "010-1234567", "contactpersoon": "Tolk Arabisch"}))
	loc := expectRedirect(t, p, base)
	p = b.get(loc)
	if !strings.Contains(p.text(".utrecht-alert"), "Contactgegevens opgeslagen: telefoonnummer, contactpersoon of tolk.") ||
		!strings.Contains(p.text(".wd-case-contact"), "010-1234567") || !strings.Contains(p.text(".wd-case-contact"), "Tolk Arabisch") {
		t.Errorf("after saving: flash %q, header %q", p.text(".utrecht-alert"), p.text(".wd-case-contact"))
	}
	if !strings.Contains(p.text("main"), "Contactgegevens gewijzigd: telefoonnummer, contactpersoon of tolk.") {
		t.Errorf("the history does not name the change")
	}

	// A colleague (the other poortwachter: the intake is on the Poort's
	// worklist) saves on version 1: 409, their input kept, the form now on version 2.
	other := a.login("fatima")
	p = other.post(base+"/contactgegevens", detailsForm(c, map[string]string{"adres": "Nieuwe Weg 5, 2981 AB Ridderkerk"}))
	expectStatus(t, p, http.StatusConflict)
	if !strings.Contains(p.text("#melding"), a.env.Users[process.RolePoortwachter].Name) ||
		p.attr("#f-adres", "value") != "Nieuwe Weg 5, 2981 AB Ridderkerk" || p.attr("input[name=versie]", "value") != "2" {
		t.Errorf("conflict: alert %q, address %q, version %q", p.text("#melding"), p.attr("#f-adres", "value"), p.attr("input[name=versie]", "value"))
	}
	if !strings.HasPrefix(p.text("title"), "Fout:") {
		t.Errorf("title = %q", p.text("title"))
	}

	// The administrator alone may not.
	adm := a.loginRole(process.RoleBeheerder)
	expectStatus(t, adm.get(base+"/contactgegevens"), http.StatusForbidden)
}

// TestOversizedForm: a body over the 2 MB limit is a 413 that shows the
// form again with what fitted and says what the limit is; a form without
// its own page gets a Dutch page saying so.
func TestOversizedForm(t *testing.T) {
	a := newApp(t)
	app := a.env.Apply(t)
	c := a.env.File(t, app.ClientID).Client
	base := "/klanten/" + id(c.ID)
	b := a.loginRole(process.RoleTeamOndersteuning)

	// The fields before the long one arrive; the long one is cut off.
	body := "versie=1&email=" + url.QueryEscape(c.Email) + "&telefoon=010-1234567&contactpersoon=" + strings.Repeat("x", 3<<20) + "&adres=kwijt"
	req, _ := http.NewRequest(http.MethodPost, b.base+base+"/contactgegevens", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	p := b.do(req)
	expectStatus(t, p, http.StatusRequestEntityTooLarge)
	if !strings.Contains(p.text("#foutmeldingen"), "hoogstens 2 MB") || !strings.Contains(p.text("#f-contactpersoon-fout"), "Deze tekst is daar afgebroken") {
		t.Errorf("413: summary %q, field %q", p.text("#foutmeldingen"), p.text("#f-contactpersoon-fout"))
	}
	if p.attr("#f-telefoon", "value") != "010-1234567" || p.attr("#f-email", "value") != c.Email {
		t.Errorf("what fitted is not kept")
	}
	if got := a.env.File(t, c.ID).Client; got.Phone != c.Phone || got.Version != 1 {
		t.Errorf("an oversized form was saved: %+v", got)
	}

	// A form without a page of its own: a Dutch page with the limit.
	req, _ = http.NewRequest(http.MethodPost, b.base+"/instellingen/dagoverzicht", strings.NewReader("dagoverzicht="+strings.Repeat("j", 3<<20)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	p = b.do(req)
	expectStatus(t, p, http.StatusRequestEntityTooLarge)
	if !strings.Contains(p.text("main"), "2 MB") {
		t.Errorf("the 413 page does not name the limit: %q", p.text("main"))
	}
}

// TestLettersInTheOutbox: an invitation to a client without an e-mail
// address is shown as a letter to print, on the case page and in the
// outbox, and is not counted as failed.
func TestLettersInTheOutbox(t *testing.T) {
	a := newApp(t)
	person := a.env.Person()
	person.Email = ""
	app, err := a.env.Walker.Apply(t.Context(), person, true)
	if err != nil {
		t.Fatal(err)
	}
	a.env.WalkTo(t, app, "", process.StepIntakeWerkdiagnose)

	km := a.loginRole(process.RoleKMWerkdiagnose) // the intake is on the team's worklist
	p := km.get("/klanten/" + id(app.ClientID))
	if !strings.Contains(p.text(".wd-case-contact"), "geen e-mailadres") || !strings.Contains(p.text(".wd-case-contact"), "Post") {
		t.Errorf("header: %q", p.text(".wd-case-contact"))
	}
	row := p.doc.Find("#berichten").Parent().Find("tr:contains('Uitnodiging klant')").Text()
	if !strings.Contains(row, "Per post te versturen") || !strings.Contains(row, "Brief tonen") || !strings.Contains(row, "Gesprek over werk") {
		t.Errorf("case page, Berichten: %q", row)
	}

	lead := a.loginRole(process.RoleTeamleider)
	p = lead.get("/uitgaand")
	expectStatus(t, p, http.StatusOK)
	// The receipt of the application and the invitation.
	if !strings.Contains(p.text("#per-post"), "2 brieven zijn per post te versturen") || p.has("#bezorging") {
		t.Errorf("outbox alerts: per post %q, delivery %q", p.text("#per-post"), p.text("#bezorging"))
	}
	p = lead.get("/uitgaand?status=per_post")
	if rows := p.doc.Find("tbody tr").Length(); rows != 2 || !strings.Contains(p.text("tbody"), "Per post te versturen") {
		t.Errorf("filter per post: %d rows: %q", rows, p.text("tbody"))
	}
	if strings.Contains(lead.get("/uitgaand?status=mislukt").text("tbody"), "Uitnodiging klant") {
		t.Errorf("the letter is listed as failed")
	}
}

// TestPublicPagesSpeakPlainly: the public form and its thank-you page name
// the municipality and its contact details, no internal terms, and the
// thank-you page shows the reference of the submission.
func TestPublicPagesSpeakPlainly(t *testing.T) {
	a := newApp(t)
	b := a.browser()
	p := b.get("/aanvraag")
	main := p.text("body")
	for _, want := range []string{"Gemeente Ridderkerk", "0180 451 234", "Marktplein 10"} {
		if !strings.Contains(main, want) {
			t.Errorf("the public form lacks %q", want)
		}
	}
	for _, jargon := range []string{"Werkdiagnose", "Poortwachter", "intakegesprek", "elfproef", "pilot", "Participatiewet"} {
		if strings.Contains(main, jargon) {
			t.Errorf("the public form says %q", jargon)
		}
	}
	person := a.env.Person()
	v := url.Values{"bsn": {"123456789"}, "voornamen": {person.GivenName}, "achternaam": {person.FamilyName},
		"geboortedatum": {casework.FormatDate(person.BirthDate)}, "email": {person.Email}, "telefoon": {person.Phone}}
	p = b.post("/aanvraag", v)
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if msg := p.text("#f-bsn-fout"); !strings.Contains(msg, "geen geldig burgerservicenummer") || strings.Contains(msg, "elfproef") {
		t.Errorf("BSN message on the public form: %q", msg)
	}
	v.Set("bsn", person.BSN)
	loc := expectRedirect(t, b.post("/aanvraag", v), "/aanvraag/ontvangen?referentie=AV-")
	p = b.get(loc)
	ref := strings.TrimPrefix(loc, "/aanvraag/ontvangen?referentie=")
	if !strings.Contains(p.text(".wd-reference"), ref) || !strings.Contains(p.text("body"), "0180 451 234") {
		t.Errorf("thank-you page: reference %q in %q", ref, p.text(".utrecht-alert"))
	}
	for _, jargon := range []string{"Werkdiagnose", "Poortwachter", "binnen enkele dagen", person.BSN, person.FamilyName} {
		if strings.Contains(p.text("body"), jargon) {
			t.Errorf("the thank-you page says %q", jargon)
		}
	}
	if b.get("/aanvraag/ontvangen?referentie=<b>x</b>").has(".wd-reference") {
		t.Errorf("a made-up reference is repeated")
	}
}
