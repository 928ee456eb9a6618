package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/demo"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

func TestLoginLogout(t *testing.T) {
	a := newApp(t)
	b := a.browser()

	// Not logged in: to the login page, remembering the page.
	p := b.get("/werkvoorraad?stap=besluit")
	loc := expectRedirect(t, p, "/login?terug=")
	if !strings.Contains(loc, url.QueryEscape("/werkvoorraad?stap=besluit")) {
		t.Errorf("login redirect %q does not remember the page", loc)
	}

	// The login form carries the page along.
	p = b.get(loc)
	expectStatus(t, p, http.StatusOK)
	if p.attr(`input[name="terug"]`, "value") != "/werkvoorraad?stap=besluit" {
		t.Errorf("terug not kept in the login form")
	}
	if p.attr("#f-wachtwoord", "type") != "password" {
		t.Errorf("password field is not type=password")
	}

	// A wrong password: the form again, with a Dutch message, no password echoed.
	p = b.post("/login", url.Values{"gebruikersnaam": {"pieter"}, "wachtwoord": {"fout-wachtwoord-123"}})
	expectStatus(t, p, http.StatusUnauthorized)
	if !strings.Contains(p.text(".utrecht-alert--error"), "De gebruikersnaam of het wachtwoord klopt niet.") {
		t.Errorf("no login failure message: %q", p.text(".utrecht-alert--error"))
	}
	if strings.Contains(p.body, "fout-wachtwoord-123") {
		t.Errorf("password echoed")
	}
	if p.attr("#f-gebruikersnaam", "value") != "pieter" {
		t.Errorf("username not kept")
	}

	// An external terug is ignored.
	p = b.post("/login", url.Values{"gebruikersnaam": {"pieter"}, "wachtwoord": {"werkdiagnose-test"}, "terug": {"//evil.example/x"}})
	expectRedirect(t, p, "/")
	if loc := p.header.Get("Location"); loc != "/" {
		t.Errorf("external terug followed: %q", loc)
	}
	p = b.get("/")
	expectRedirect(t, p, "/werkvoorraad/mijn")
	p = b.get("/werkvoorraad/mijn")
	expectStatus(t, p, http.StatusOK)
	if !strings.Contains(p.text(".wd-header__user"), "Pieter Bakker") || !strings.Contains(p.text(".wd-header__user"), "Poortwachter") {
		t.Errorf("header does not name the user and role: %q", p.text(".wd-header__user"))
	}
	if p.attr(`.wd-nav__link[aria-current="page"]`, "href") != "/werkvoorraad/mijn" {
		t.Errorf("aria-current not on the current nav item")
	}
	if p.has(`a[href="/aanvragen/nieuw"]`) || p.has(`a[href="/beheer/gebruikers"]`) {
		t.Errorf("nav shows items outside the role")
	}

	p = b.post("/uitloggen", nil)
	expectRedirect(t, p, "/login")
	p = b.get("/werkvoorraad")
	expectRedirect(t, p, "/login")
}

func TestBeheerderHome(t *testing.T) {
	a := newApp(t)
	b := a.loginRole(process.RoleBeheerder)
	expectRedirect(t, b.get("/"), "/beheer/gebruikers")
	p := b.get("/beheer/gebruikers")
	expectStatus(t, p, http.StatusOK)
	if !p.has(`a[href="/beheer/gebruikers"][aria-current="page"]`) {
		t.Errorf("Beheer not current")
	}
}

func TestWorklistNeverShowsBSN(t *testing.T) {
	a := newApp(t)
	app := a.env.Apply(t)
	f := a.env.File(t, app.ClientID)
	b := a.loginRole(process.RolePoortwachter)
	p := b.get("/werkvoorraad")
	expectStatus(t, p, http.StatusOK)
	if !strings.Contains(p.text("table tbody"), f.Client.Name()) {
		t.Fatalf("worklist lacks the client %q:\n%s", f.Client.Name(), p.text("table"))
	}
	if strings.Contains(p.body, f.Client.BSN) {
		t.Fatalf("the worklist shows the BSN %s", f.Client.BSN)
	}
	if p.attr(`a[href="/klanten/`+id(app.ClientID)+`"]`, "href") == "" {
		t.Errorf("no link to the client")
	}
	if !strings.Contains(p.text("table caption"), "1 taak") {
		t.Errorf("caption %q lacks the count", p.text("table caption"))
	}
	if p.text("td .wd-badge") == "" {
		t.Errorf("no status badge with text")
	}
	if n := p.doc.Find(`th[scope="col"]`).Length(); n < 10 {
		t.Errorf("only %d column headers with scope", n)
	}
	// Nav counts.
	if !strings.Contains(p.text(`a[href="/werkvoorraad"]`), "(1)") {
		t.Errorf("team count missing: %q", p.text(`a[href="/werkvoorraad"]`))
	}
	// The case page shows it masked, with a disclosure.
	p = b.get("/klanten/" + id(app.ClientID))
	expectStatus(t, p, http.StatusOK)
	if !strings.Contains(p.body, casework.MaskBSN(f.Client.BSN)) {
		t.Errorf("case page lacks the masked BSN")
	}
	if strings.Contains(p.body, f.Client.BSN) {
		t.Errorf("the case page sends the full BSN before it is asked for")
	}
	// Asking for it shows it and leaves a line in the history.
	p = b.post("/klanten/"+id(app.ClientID)+"/bsn", url.Values{})
	expectStatus(t, p, http.StatusOK)
	if !strings.Contains(p.text(".wd-case-header"), f.Client.BSN) {
		t.Errorf("the revealed BSN is not in the header")
	}
	var seen bool
	for _, e := range a.env.File(t, app.ClientID).Events {
		seen = seen || (e.Kind == "inzage" && e.ActorName != "")
	}
	if !seen {
		t.Errorf("revealing the BSN left no line in the history")
	}
}

func TestWorklistSortAndFilter(t *testing.T) {
	a := newApp(t)
	a.env.Apply(t)
	a.env.Apply(t)
	b := a.loginRole(process.RolePoortwachter)

	p := b.get("/werkvoorraad?sort=client")
	expectStatus(t, p, http.StatusOK)
	if got := p.attr(`th[aria-sort]`, "aria-sort"); got != "ascending" {
		t.Errorf("aria-sort %q, want ascending", got)
	}
	if !strings.Contains(p.text(`th[aria-sort]`), "Klant") {
		t.Errorf("aria-sort on %q, want Klant", p.text(`th[aria-sort]`))
	}
	// The active column's link reverses the order.
	if href := p.attr(`th[aria-sort] a`, "href"); !strings.Contains(href, "desc=1") || !strings.Contains(href, "sort=client") {
		t.Errorf("sort link %q", href)
	}
	names := p.doc.Find("tbody tr td:first-child").Map(func(_ int, s *goquery.Selection) string { return strings.TrimSpace(s.Text()) })
	p = b.get("/werkvoorraad?sort=client&desc=1")
	if got := p.attr(`th[aria-sort]`, "aria-sort"); got != "descending" {
		t.Errorf("aria-sort %q, want descending", got)
	}
	desc := p.doc.Find("tbody tr td:first-child").Map(func(_ int, s *goquery.Selection) string { return strings.TrimSpace(s.Text()) })
	if len(names) != 2 || len(desc) != 2 || names[0] != desc[1] {
		t.Errorf("sorting did not reverse: %v vs %v", names, desc)
	}

	// Filters: a step with no tasks, a deadline state, the holder.
	p = b.get("/werkvoorraad?stap=besluit")
	if !strings.Contains(p.text("caption"), "0 taken") {
		t.Errorf("filter stap: caption %q", p.text("caption"))
	}
	if p.attr(`#filter-stap option[selected]`, "value") != "besluit" {
		t.Errorf("filter value not kept")
	}
	p = b.get("/werkvoorraad?termijn=verlopen")
	if !strings.Contains(p.text("caption"), "0 taken") {
		t.Errorf("filter termijn: caption %q", p.text("caption"))
	}
	p = b.get("/werkvoorraad?houder=niemand&sort=bogus")
	if !strings.Contains(p.text("caption"), "2 taken") {
		t.Errorf("filter houder: caption %q", p.text("caption"))
	}
	p = b.get("/werkvoorraad?code=17/PA")
	if !strings.Contains(p.text("caption"), "0 taken") {
		t.Errorf("filter code: caption %q", p.text("caption"))
	}
	// Every filter has a label.
	p.doc.Find("form.wd-filter select").Each(func(_ int, s *goquery.Selection) {
		idv, _ := s.Attr("id")
		if !p.has(`label[for="` + idv + `"]`) {
			t.Errorf("filter %s has no label", idv)
		}
	})

	// htmx gets the table only.
	p = b.get("/werkvoorraad?stap=intake_gesprek", "HX-Request", "true")
	expectStatus(t, p, http.StatusOK)
	if strings.Contains(p.body, "<html") || !p.has("#werkvoorraad-tabel table") {
		t.Errorf("htmx response is not the table fragment")
	}
	if !strings.Contains(p.text("caption"), "2 taken") {
		t.Errorf("htmx caption %q", p.text("caption"))
	}
	if !strings.Contains(p.text(`#werkvoorraad-status[hx-swap-oob="true"]`), "2 taken") {
		t.Errorf("htmx response lacks the status for screen readers")
	}

	// A team the user does not belong to.
	p = b.get("/werkvoorraad?team=kmwerk")
	expectStatus(t, p, http.StatusForbidden)
}

func TestPickUpAndRelease(t *testing.T) {
	a := newApp(t)
	app := a.env.Apply(t)
	task := openTask(t, a.env, app.ClientID, process.StepIntakeGesprek)
	b := a.login("pieter")

	p := b.post("/taken/"+id(task.ID)+"/oppakken", url.Values{"versie": {strconv.Itoa(task.Version)}},
		"Referer", b.base+"/werkvoorraad?stap=intake_gesprek")
	if loc := expectRedirect(t, p, "/werkvoorraad"); loc != "/werkvoorraad?stap=intake_gesprek" {
		t.Errorf("back to %q", loc)
	}
	p = b.get("/werkvoorraad/mijn")
	if !strings.Contains(p.text(".utrecht-alert"), "Taak opgepakt") {
		t.Errorf("no flash after pick-up")
	}
	if !strings.Contains(p.text("caption"), "1 taak") || !strings.Contains(p.text("tbody"), "Pieter Bakker") {
		t.Errorf("mijn werkvoorraad lacks the task: %s", p.text("table"))
	}
	if !p.has(`form[action="/taken/` + id(task.ID) + `/vrijgeven"]`) {
		t.Errorf("no release button")
	}

	// A colleague cannot pick it up any more: the page says who has it.
	p = a.login("fatima").post("/taken/"+id(task.ID)+"/oppakken", url.Values{"versie": {strconv.Itoa(task.Version + 1)}})
	expectStatus(t, p, http.StatusConflict)
	if !strings.Contains(p.text("main"), "Pieter Bakker") {
		t.Errorf("conflict does not name the holder: %s", p.text("main"))
	}

	// An external Referer is not followed.
	cur := currentTask(t, a.env, task.ID)
	p = b.post("/taken/"+id(task.ID)+"/vrijgeven", url.Values{"versie": {strconv.Itoa(cur.Version)}}, "Referer", "https://evil.example/")
	if loc := expectRedirect(t, p, "/werkvoorraad"); loc != "/werkvoorraad" {
		t.Errorf("release redirect %q", loc)
	}
	if currentTask(t, a.env, task.ID).HolderID != 0 {
		t.Errorf("task still held after release")
	}
}

func TestCompleteTask(t *testing.T) {
	a := newApp(t)
	app := a.env.Apply(t)
	task := openTask(t, a.env, app.ClientID, process.StepIntakeGesprek)
	b := a.login("pieter")

	p := b.get("/taken/" + id(task.ID))
	expectStatus(t, p, http.StatusOK)
	if p.text("h1") != "Intakegesprek (telefonisch)" {
		t.Errorf("h1 %q", p.text("h1"))
	}
	if p.doc.Find("h1").Length() != 1 {
		t.Errorf("%d h1 elements", p.doc.Find("h1").Length())
	}
	if !strings.Contains(p.text("main"), "rechtmatigheid en doelmatigheid") {
		t.Errorf("the source's words are missing")
	}
	if p.attr(`input[name="versie"]`, "value") != strconv.Itoa(task.Version) {
		t.Errorf("no versie in the form")
	}
	// Every input is labelled.
	p.doc.Find("main input:not([type=hidden]), main textarea, main select").Each(func(_ int, s *goquery.Selection) {
		idv, _ := s.Attr("id")
		if idv == "" || !p.has(`label[for="`+idv+`"]`) {
			t.Errorf("input %q has no label", idv)
		}
	})

	// The next step is Pieter's too: he lands on it, told what was made.
	p = b.post("/taken/"+id(task.ID), taskValues(t, a.env, task))
	next := expectRedirect(t, p, "/taken/")
	p = b.get(next)
	expectStatus(t, p, http.StatusOK)
	if p.text("h1") != "Beoordeling doelgroep" {
		t.Errorf("landed on %q, want the next task Beoordeling doelgroep", p.text("h1"))
	}
	flash := p.text(`.utrecht-alert[role="status"]`)
	if !strings.Contains(flash, "Stap afgerond: Intakegesprek (telefonisch).") || !strings.Contains(flash, `"Beoordeling doelgroep" voor u`) ||
		!strings.Contains(flash, "Hieronder uw volgende taak bij deze klant.") {
		t.Errorf("flash %q does not say what was made and for whom", flash)
	}
	p = b.get("/klanten/" + id(app.ClientID))
	expectStatus(t, p, http.StatusOK)
	if !strings.Contains(p.text("#historie + ol, section[aria-labelledby=historie]"), "afgerond") {
		t.Errorf("history lacks the completion")
	}
	// The next step is current in the diagram and the primary action.
	if !strings.Contains(p.text(`.wd-step--current`), "Beoordeling doelgroep") {
		t.Errorf("current step %q", p.text(".wd-step--current"))
	}
	if !strings.Contains(p.text(`.utrecht-button-link--primary-action`), "Beoordeling doelgroep") {
		t.Errorf("primary action %q", p.text(".utrecht-button-link--primary-action"))
	}
}

func TestValidationKeepsValuesEscaped(t *testing.T) {
	a := newApp(t)
	app := a.env.Apply(t)
	task := openTask(t, a.env, app.ClientID, process.StepIntakeGesprek)
	b := a.login("pieter")

	evil := `<script>alert(1)</script>`
	v := url.Values{"versie": {strconv.Itoa(task.Version)}, "gesprek_datum": {"31-02-2027"}, "doelmatigheid": {evil}, "bijzonderheden": {"Let op: " + evil}}
	p := b.post("/taken/"+id(task.ID), v)
	expectStatus(t, p, http.StatusUnprocessableEntity)

	if strings.Contains(p.body, evil) {
		t.Fatalf("typed script came back as a tag")
	}
	if got := p.doc.Find("#f-doelmatigheid").Text(); got != evil {
		t.Errorf("textarea value %q, want the typed text", got)
	}
	if got := p.doc.Find("#f-bijzonderheden").Text(); got != "Let op: "+evil {
		t.Errorf("textarea value %q", got)
	}
	if p.attr("#f-gesprek_datum", "value") != "31-02-2027" {
		t.Errorf("date value not kept")
	}
	// Summary first in main, with links to the fields.
	first := p.doc.Find("main").Children().First()
	if !first.HasClass("wd-error-summary") {
		t.Errorf("first thing in main is %s, not the error summary", goquery.NodeName(first))
	}
	if p.attr(".wd-error-summary", "tabindex") != "-1" {
		t.Errorf("error summary not focusable")
	}
	if !strings.Contains(p.text(".wd-error-summary h2"), "Controleer het formulier") {
		t.Errorf("summary heading %q", p.text(".wd-error-summary h2"))
	}
	for _, f := range []string{"rechtmatigheid", "gesprek_datum"} {
		if !p.has(`.wd-error-summary a[href="#f-` + f + `"]`) {
			t.Errorf("summary lacks a link to %s", f)
		}
		if p.attr("#f-"+f, "aria-invalid") != "true" {
			t.Errorf("%s lacks aria-invalid", f)
		}
		desc := p.attr("#f-"+f, "aria-describedby")
		if !strings.Contains(desc, "f-"+f+"-fout") {
			t.Errorf("%s aria-describedby %q", f, desc)
		}
	}
	if got := p.text("#f-rechtmatigheid-fout"); got != "Vul uitvraag rechtmatigheid in." {
		t.Errorf("field message %q", got)
	}
	if got := p.text("#f-gesprek_datum-fout"); !strings.Contains(got, "dd-mm-jjjj") {
		t.Errorf("date message %q", got)
	}
	if p.attr("#f-doelmatigheid", "aria-invalid") != "" {
		t.Errorf("a valid field is marked invalid")
	}
}

func TestPhysicalApplicationValidation(t *testing.T) {
	a := newApp(t)
	b := a.loginRole(process.RoleOndersteunerPoortwachter)
	p := b.get("/aanvragen/nieuw")
	expectStatus(t, p, http.StatusOK)

	person := a.env.Person()
	base := func() url.Values {
		return url.Values{"bsn": {person.BSN}, "voornamen": {person.GivenName}, "achternaam": {person.FamilyName},
			"geboortedatum": {casework.FormatDate(person.BirthDate)}, "telefoon": {person.Phone}}
	}
	for _, bad := range []string{"123456789", "000000000"} {
		v := base()
		v.Set("bsn", bad)
		p := b.post("/aanvragen", v)
		expectStatus(t, p, http.StatusUnprocessableEntity)
		want := "Vul een geldig BSN in: 9 cijfers die voldoen aan de elfproef."
		if got := p.text("#f-bsn-fout"); got != want {
			t.Errorf("bsn %s: message %q", bad, got)
		}
		if !strings.Contains(p.text(".wd-error-summary"), want) {
			t.Errorf("bsn %s: summary lacks the message", bad)
		}
		if p.attr("#f-bsn", "value") != bad || p.attr("#f-voornamen", "value") != person.GivenName {
			t.Errorf("values not kept")
		}
		if title := p.text("title"); !strings.HasPrefix(title, "Fout: ") {
			t.Errorf("title of a refused form %q does not start with Fout:", title)
		}
	}

	// A client of 26 on the application date.
	v := base()
	birth := process.AddDays(a.env.Clock.Now(), -(26*365 + 100))
	v.Set("geboortedatum", casework.FormatDate(birth))
	p = b.post("/aanvragen", v)
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if got := p.text("#f-geboortedatum-fout"); !strings.Contains(got, "26 jaar") || !strings.Contains(got, "27 jaar") {
		t.Errorf("age message %q", got)
	}

	// Valid: to the new client's page.
	p = b.post("/aanvragen", base())
	loc := expectRedirect(t, p, "/klanten/")
	p = b.get(loc)
	expectStatus(t, p, http.StatusOK)
	if !strings.Contains(p.text("h1"), person.FamilyName) {
		t.Errorf("case page h1 %q", p.text("h1"))
	}

	// A second application for the same client: 409 with a link to the open one.
	p = b.post("/aanvragen", base())
	expectStatus(t, p, http.StatusConflict)
	if !strings.Contains(p.text(".utrecht-alert--error"), "lopende aanvraag") {
		t.Errorf("conflict message %q", p.text(".utrecht-alert--error"))
	}
	if href := p.attr(".utrecht-alert--error a", "href"); href != loc {
		t.Errorf("conflict link %q, want %q", href, loc)
	}
	if p.attr("#f-achternaam", "value") != person.FamilyName {
		t.Errorf("values not kept on conflict")
	}
}

func TestDecisionWithoutOutcome(t *testing.T) {
	a := newApp(t)
	app := a.env.Apply(t)
	task := a.env.WalkTo(t, app, "", process.StepBesluit)
	b := a.holderLogin(task)
	v := taskValues(t, a.env, task)
	v.Del("besluit")
	p := b.post("/taken/"+id(task.ID), v)
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if p.text("#f-besluit-fout") == "" {
		t.Errorf("no message at the decision")
	}
	if !p.has(`.wd-error-summary a[href="#f-besluit"]`) {
		t.Errorf("summary does not link to the radio group")
	}
	// The radio group is a fieldset with a legend.
	if !strings.Contains(p.doc.Find("#f-besluit").Closest("fieldset").Find("legend").Text(), "Besluit") {
		t.Errorf("radio group without fieldset and legend")
	}
}

func TestStaleFormAndColleagueConflicts(t *testing.T) {
	a := newApp(t)
	app := a.env.Apply(t)
	task := openTask(t, a.env, app.ClientID, process.StepIntakeGesprek)
	pieter := a.login("pieter")
	fatima := a.login("fatima")

	// Pieter opens the form; meanwhile he picks the task up in another tab.
	stale := taskValues(t, a.env, task)
	stale.Set("bijzonderheden", "Mijn aantekening")
	expectRedirect(t, pieter.post("/taken/"+id(task.ID)+"/oppakken", url.Values{"versie": {strconv.Itoa(task.Version)}}), "/")
	p := pieter.post("/taken/"+id(task.ID), stale)
	expectStatus(t, p, http.StatusConflict)
	if p.doc.Find("#f-bijzonderheden").Text() != "Mijn aantekening" {
		t.Errorf("values not kept on 409")
	}
	if !strings.Contains(p.text(".utrecht-alert--error"), "intussen gewijzigd") {
		t.Errorf("conflict message %q", p.text(".utrecht-alert--error"))
	}
	// The form now carries the current version: sending again works.
	cur := currentTask(t, a.env, task.ID)
	if p.attr(`form[action="/taken/`+id(task.ID)+`"] input[name="versie"]`, "value") != strconv.Itoa(cur.Version) {
		t.Errorf("re-rendered form has a stale version")
	}
	// Fatima cannot complete Pieter's task.
	fv := taskValues(t, a.env, cur)
	p = fatima.post("/taken/"+id(task.ID), fv)
	expectStatus(t, p, http.StatusConflict)
	if !strings.Contains(p.text(".utrecht-alert--error"), "Pieter Bakker") {
		t.Errorf("conflict does not name the holder: %q", p.text(".utrecht-alert--error"))
	}
	// Pieter completes it; Fatima's later submit is a conflict with values kept.
	expectRedirect(t, pieter.post("/taken/"+id(task.ID), fv), "/taken/") // his next task on the client
	fv.Set("bijzonderheden", "Te laat verstuurd")
	p = fatima.post("/taken/"+id(task.ID), fv)
	expectStatus(t, p, http.StatusConflict)
	if !strings.Contains(p.text(".utrecht-alert--error"), "al afgerond door Pieter Bakker") {
		t.Errorf("message %q", p.text(".utrecht-alert--error"))
	}
	if p.doc.Find("#f-bijzonderheden").Text() != "Te laat verstuurd" {
		t.Errorf("values not kept when a colleague completed the task")
	}
}

func TestForbiddenAndNotFound(t *testing.T) {
	a := newApp(t)
	app := a.env.Apply(t)
	task := openTask(t, a.env, app.ClientID, process.StepIntakeGesprek)

	km := a.loginRole(process.RoleKMWerk)
	// Outside need-to-know: the form "Reden om in te zien"; with a reason
	// the KM Werk sees the client, but may not work the Poort's task.
	p := km.get("/taken/" + id(task.ID))
	expectStatus(t, p, http.StatusForbidden)
	if p.text("h1") != "Reden om in te zien" {
		t.Errorf("403 without need-to-know: h1 %q", p.text("h1"))
	}
	expectRedirect(t, km.post("/klanten/"+id(app.ClientID)+"/inzage", url.Values{"reden": {"Klant belt, collega van de Poort is ziek."}, "terug": {"/taken/" + id(task.ID)}}), "/taken/"+id(task.ID))
	p = km.post("/taken/"+id(task.ID), taskValues(t, a.env, task))
	expectStatus(t, p, http.StatusForbidden)
	if p.text("h1") != "Geen toegang" {
		t.Errorf("403 h1 %q", p.text("h1"))
	}
	if !strings.Contains(p.text("main"), "andere rol") {
		t.Errorf("403 does not explain: %q", p.text("main"))
	}
	// The task page itself is visible, without a form to complete it.
	p = km.get("/taken/" + id(task.ID))
	expectStatus(t, p, http.StatusOK)
	if p.has(`form[action="/taken/` + id(task.ID) + `"]`) {
		t.Errorf("KM Werk gets the Poort's form")
	}

	p = km.post("/aanvragen", url.Values{"bsn": {"123456782"}})
	expectStatus(t, p, http.StatusForbidden)
	p = km.get("/aanvragen/nieuw")
	expectStatus(t, p, http.StatusForbidden)
	p = km.get("/beheer/gebruikers")
	expectStatus(t, p, http.StatusForbidden)
	p = km.get("/overzicht")
	expectStatus(t, p, http.StatusForbidden)

	for _, path := range []string{"/taken/999999", "/klanten/999999", "/klanten/abc", "/bestaat-niet", "/dossiers/5/plan"} {
		p = km.get(path)
		expectStatus(t, p, http.StatusNotFound)
		if p.text("h1") != "Pagina niet gevonden" {
			t.Errorf("%s: h1 %q", path, p.text("h1"))
		}
	}
}

func TestInfrastructure(t *testing.T) {
	a := newApp(t)
	b := a.browser()

	p := b.get("/healthz")
	expectStatus(t, p, http.StatusOK)
	if strings.TrimSpace(p.body) != "ok" {
		t.Errorf("healthz body %q", p.body)
	}

	p = b.get("/login")
	for k, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "same-origin",
	} {
		if got := p.header.Get(k); got != want {
			t.Errorf("%s: %q", k, got)
		}
	}
	csp := p.header.Get("Content-Security-Policy")
	for _, part := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "form-action 'self'", "img-src 'self' data:"} {
		if !strings.Contains(csp, part) {
			t.Errorf("CSP %q lacks %q", csp, part)
		}
	}
	// No inline script or style anywhere.
	if p.has("script:not([src])") || p.has("[style]") || p.has("style") {
		t.Errorf("inline script or style on the page")
	}
	if p.attr("html", "lang") != "nl" || p.attr("html", "class") != "voorbeeld-theme" {
		t.Errorf("html lang/class")
	}
	if !strings.HasSuffix(p.text("title"), "– Werkdiagnose") {
		t.Errorf("title %q", p.text("title"))
	}

	// Static assets, linked with their hash and cached for long.
	css := p.attr(`link[href^="/static/app.css"]`, "href")
	if !strings.Contains(css, "?v=") {
		t.Fatalf("app.css linked without hash: %q", css)
	}
	s := b.get(css)
	expectStatus(t, s, http.StatusOK)
	if !strings.HasPrefix(s.header.Get("Content-Type"), "text/css") || !strings.Contains(s.header.Get("Cache-Control"), "immutable") {
		t.Errorf("static headers %v", s.header)
	}
	etag := s.header.Get("ETag")
	s = b.get(css, "If-None-Match", etag)
	expectStatus(t, s, http.StatusNotModified)
	for _, sel := range []string{`link[href^="/static/vendor/utrecht/index.css"]`, `link[href^="/static/vendor/voorbeeld-tokens/theme.css"]`, `script[src^="/static/vendor/htmx/htmx.min.js"]`} {
		if !p.has(sel) {
			t.Errorf("missing %s", sel)
		}
	}
	expectStatus(t, b.get(p.attr(`script[src^="/static/vendor/htmx"]`, "src")), http.StatusOK)
	expectStatus(t, b.get("/static/vendor/noto-sans/noto-sans-latin-400-normal.woff2"), http.StatusOK)
	expectStatus(t, b.get("/static/bestaat-niet.css"), http.StatusNotFound)

	p = b.get("/toegankelijkheid")
	expectStatus(t, p, http.StatusOK)
	if !strings.Contains(p.text("main"), "WCAG 2.1") {
		t.Errorf("accessibility statement lacks WCAG 2.1")
	}
}

func TestPublicApplication(t *testing.T) {
	a := newApp(t)
	b := a.browser()
	p := b.get("/aanvraag")
	expectStatus(t, p, http.StatusOK)
	for name, ac := range map[string]string{"voornamen": "given-name", "achternaam": "family-name", "geboortedatum": "bday", "email": "email", "telefoon": "tel", "adres": "street-address"} {
		if got := p.attr("#f-"+name, "autocomplete"); got != ac {
			t.Errorf("%s autocomplete %q, want %q", name, got, ac)
		}
	}
	if p.has(".wd-nav__list") {
		t.Errorf("public form shows the caseworker navigation")
	}
	person := a.env.Person()
	v := url.Values{"bsn": {person.BSN}, "voornamen": {person.GivenName}, "achternaam": {person.FamilyName},
		"geboortedatum": {casework.FormatDate(person.BirthDate)}, "email": {person.Email}, "telefoon": {person.Phone}}

	bad := url.Values{}
	for k, vals := range v {
		bad[k] = vals
	}
	bad.Del("email")
	p = b.post("/aanvraag", bad)
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if p.text("#f-email-fout") == "" {
		t.Errorf("public form: no message for the missing e-mail")
	}

	p = b.post("/aanvraag", v)
	expectRedirect(t, p, "/aanvraag/ontvangen")
	p = b.get("/aanvraag/ontvangen")
	expectStatus(t, p, http.StatusOK)
	if strings.Contains(p.body, person.BSN) || strings.Contains(p.body, person.FamilyName) {
		t.Errorf("the thank-you page repeats personal data")
	}
	if !strings.Contains(p.text("main"), "belt u voor een eerste gesprek") {
		t.Errorf("thank-you page does not say what happens next")
	}
	// A second one gets the same answer, so the form reveals nothing about
	// who applied; the attempt lands in the open case's history.
	p = b.post("/aanvraag", v)
	expectRedirect(t, p, "/aanvraag/ontvangen")
	res, err := a.env.Svc.SearchClients(context.Background(), a.env.Actor(process.RoleTeamleider), person.FamilyName)
	if err != nil || len(res.Found) == 0 {
		t.Fatalf("applicant not found: %v", err)
	}
	var found bool
	for _, c := range res.Found {
		f := a.env.File(t, c.ID)
		if f.Client.BSN != person.BSN {
			continue
		}
		if len(f.Applications) != 1 {
			t.Errorf("applications = %d, want 1", len(f.Applications))
		}
		for _, e := range f.Events {
			found = found || strings.Contains(e.Summary, "Opnieuw een digitale aanvraag ontvangen")
		}
	}
	if !found {
		t.Errorf("the repeated application is not in the history")
	}
}

// TestFreeTextIsText puts a script tag in every free-text field of every
// form along route 2 (with its refusal, NUG choice and trajectories) and
// checks that every page shows it as text.
func TestFreeTextIsText(t *testing.T) {
	a := newApp(t)
	const hostile = `<script>alert("wd")</script><img src=x onerror=alert(1)>`
	filled := 0
	a.env.Walker.Tweak = func(form process.Form, v casework.Values) {
		for _, f := range form.Fields {
			if f.Kind == process.KindText || f.Kind == process.KindTextarea {
				if f.Name == "traject_doel_3" || strings.HasPrefix(f.Name, "traject_activiteiten_3") || strings.HasPrefix(f.Name, "traject_aanbieder") {
					continue // an empty third trajectory row stays empty
				}
				v.Set(f.Name, hostile)
				filled++
			}
		}
	}
	app := a.env.Apply(t)
	a.env.WalkChoice(t, app, demo.Choice{Decision: process.OutcomeGeenToekenning, NUG: process.OutcomeNUG}, "")
	if filled < 12 {
		t.Fatalf("only %d free-text fields were filled", filled)
	}
	b := a.loginRole(process.RoleTeamleider)
	f := a.env.File(t, app.ClientID)
	pages := []string{"/klanten/" + id(app.ClientID), "/uitgaand"}
	for _, tk := range f.Tasks {
		pages = append(pages, "/taken/"+id(tk.ID))
	}
	for _, path := range pages {
		p := b.get(path)
		expectStatus(t, p, http.StatusOK)
		if strings.Contains(p.body, "<script>alert") || strings.Contains(p.body, "<img src=x") {
			t.Errorf("%s renders free text as HTML", path)
		}
		if p.doc.Find("script").FilterFunction(func(_ int, s *goquery.Selection) bool { return strings.Contains(s.Text(), "alert") }).Length() > 0 {
			t.Errorf("%s has a script element from free text", path)
		}
	}
	p := b.get("/klanten/" + id(app.ClientID))
	if !strings.Contains(p.doc.Find("main").Text(), hostile) {
		t.Errorf("the case page does not show the typed text as text")
	}
}

// TestStartGuidanceAsksForAPlanFirst: on the decision-first route there is
// no work diagnosis, so the klantmanager is told to write the plan before
// filling in the step.
func TestStartGuidanceAsksForAPlanFirst(t *testing.T) {
	a := newApp(t)
	app := a.env.Apply(t)
	task := a.env.WalkTo(t, app, "arbeidsbeperkt", process.StepStartBegeleiding)
	b := a.holderLogin(task)
	p := b.get("/taken/" + id(task.ID))
	expectStatus(t, p, http.StatusOK)
	href := p.attr(".wd-plan-first a", "href")
	if !strings.HasPrefix(href, "/dossiers/"+id(task.CaseID)+"/plan") {
		t.Fatalf("no link to write the plan first (href %q)", href)
	}
}

// TestHandoverAfterDecisionHasATerm: on the decision-first route the
// registration after the decision is passed on within the hand-over term.
func TestHandoverAfterDecisionHasATerm(t *testing.T) {
	a := newApp(t)
	app := a.env.Apply(t)
	task := a.env.WalkTo(t, app, "inrichting", process.StepVerwerkingTeam)
	if task.DueOn.IsZero() || task.Term != process.TermHandover {
		t.Fatalf("verwerking after the decision: term %q, due %v", task.Term, task.DueOn)
	}
	p := a.holderLogin(task).get("/taken/" + id(task.ID))
	want := "Doorzetten binnen 7 dagen na het besluit: uiterlijk " + casework.FormatDate(task.DueOn)
	if !strings.Contains(strings.Join(strings.Fields(p.text("main")), " "), want) {
		t.Errorf("task page does not say %q", want)
	}
}

func TestTaskFilterListsOnlyStepsOfTheUsersTeams(t *testing.T) {
	a := newApp(t)
	options := func(username string) string {
		return a.login(username).get("/werkvoorraad").doc.Find("#filter-stap option").Text()
	}
	if got := options("koen"); strings.Contains(got, "Besluit op aanvraag") || !strings.Contains(got, "Intake KM Werkdiagnose") {
		t.Errorf("KM Werkdiagnose filter options: %q", got)
	}
	if got := options("anouk"); !strings.Contains(got, "Uitnodigen voor kennismakingsgesprek") || strings.Contains(got, "NUG") {
		t.Errorf("AG filter options: %q", got)
	}
	if got := options("thomas"); !strings.Contains(got, "Besluit op aanvraag") || !strings.Contains(got, "NUG") {
		t.Errorf("team lead filter options: %q", got)
	}
}

func TestTaskPageSaysWhereTheWorkGoesNext(t *testing.T) {
	a := newApp(t)
	app := a.env.Apply(t)
	task := a.env.WalkTo(t, app, "arbeidsbeperkt", process.StepAanmeldingParticipatie)
	p := a.holderLogin(task).get("/taken/" + id(task.ID))
	next := p.doc.Find("dt").FilterFunction(func(_ int, s *goquery.Selection) bool { return s.Text() == "Hierna" }).Next().Text()
	if !strings.Contains(next, "Verwerking aanmelding participatie (na besluit) – Team AG (arbeidsbeperkten) (E-mail AG)") {
		t.Errorf("Hierna = %q", next)
	}
	app2 := a.env.Apply(t)
	besluit := a.env.WalkChoice(t, app2, demo.Choice{Hold: map[process.StepKey]bool{process.StepVerwerkingAanmelding: true}}, process.StepBesluit)
	p = a.holderLogin(besluit).get("/taken/" + id(besluit.ID))
	next = p.doc.Find("dt").FilterFunction(func(_ int, s *goquery.Selection) bool { return s.Text() == "Hierna" }).Next().Text()
	if !strings.Contains(next, "Bij toekenning: Verdelen naar Klantmanager Werk – Team Ondersteuning Participatie (E-mail TOP), zodra “Intake KM Werkdiagnose en plan van aanpak” is afgerond") ||
		!strings.Contains(next, "Bij geen toekenning: NUG'er of afsluiten aanmelding") {
		t.Errorf("Hierna on besluit = %q", next)
	}
}

func TestProcessPageDrawsEachRoute(t *testing.T) {
	a := newApp(t)
	p := a.loginRole(process.RoleTeamleider).get("/proces")
	expectStatus(t, p, http.StatusOK)
	tables := p.doc.Find("table.wd-swimlane")
	if tables.Length() != 4 {
		t.Fatalf("swimlane tables = %d, want 4 (two routes, two outcomes)", tables.Length())
	}
	first := tables.First()
	if c := first.Find("caption").Text(); !strings.Contains(c, "Regulier: toekenning") {
		t.Errorf("first route caption %q", c)
	}
	var order []string
	first.Find("tbody tr").Each(func(_ int, r *goquery.Selection) { order = append(order, r.Find("td a").Text()) })
	want := []string{"Intakegesprek (telefonisch)", "Beoordeling doelgroep", "Aanmelding participatie", "Verwerking aanmelding participatie",
		"Beoordeling aanvraag en rapportage", "Intake KM Werkdiagnose en plan van aanpak", "Besluit op aanvraag",
		"Verdelen naar Klantmanager Werk", "Uitnodigen voor kennismakingsgesprek", "Kennismaking en start begeleiding"}
	if strings.Join(order, "|") != strings.Join(want, "|") {
		t.Errorf("Regulier route:\n got %q\nwant %q", order, want)
	}
	// Each step sits in its own lane's column.
	lanes := first.Find("thead th")
	row := first.Find("tbody tr").Eq(3)
	row.Find("td").Each(func(i int, c *goquery.Selection) {
		if c.Text() != "" && lanes.Eq(i+1).Text() != "Team ondersteuning" {
			t.Errorf("Verwerking in lane %q", lanes.Eq(i+1).Text())
		}
	})
}

func TestTaskPageShowsReminders(t *testing.T) {
	a := newApp(t)
	app := a.env.Apply(t)
	task := a.env.WalkTo(t, app, "", process.StepVerwerkingAanmelding)
	p := a.loginRole(process.RoleTeamOndersteuning).get("/taken/" + id(task.ID))
	expectStatus(t, p, http.StatusOK)
	text := p.doc.Find("dt").FilterFunction(func(_ int, s *goquery.Selection) bool { return s.Text() == "Herinneringen" }).Next().Text()
	if !strings.Contains(text, "Herinnering termijn aan de houder (of de teammailbox): gepland op ") ||
		!strings.Contains(text, "Termijn verlopen aan de teamleider: gepland op ") {
		t.Errorf("Herinneringen = %q", text)
	}
}
