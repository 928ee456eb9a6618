package e2e

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// formAction returns the action of the first form whose action matches
// the CSS attribute condition, e.g. `[action$="/status"]`.
func (u *user) formAction(cond string) string {
	u.h.t.Helper()
	a := eval[string](u, fmt.Sprintf(`(() => { const f = document.querySelector(%s); return f ? f.getAttribute('action') : ''; })()`, js("form"+cond)))
	if a == "" {
		u.fatalf("no form%s on the page", cond)
	}
	return a
}

// linkHref returns the path of the first link whose text starts with text.
func (u *user) linkHref(text string) string {
	u.h.t.Helper()
	if !u.mark("a[href]", text, "", "") {
		u.fatalf("no link %q", text)
	}
	return eval[string](u, `document.querySelector('[data-e2e="1"]').getAttribute('href')`)
}

// TestEveryPage opens, and checks with axe, every page the walks do not
// reach: worklist filters (plain and htmx), client search, the dossier
// forms, the decision-first route's task, the admin and team lead pages,
// the information pages, and the 403, 404 and 409 pages.
func TestEveryPage(t *testing.T) {
	h := newHarness(t)
	// A: guidance about to start (KM Werk); B: an application being
	// assessed; C: the decision-first route for an arbeidsbeperkte client.
	appA := h.env.Apply(t)
	start := h.env.WalkTo(t, appA, "", process.StepStartBegeleiding)
	appB := h.env.Apply(t)
	h.env.WalkTo(t, appB, "", process.StepRapportage)
	appC := h.env.Apply(t)
	teamTask := h.env.WalkTo(t, appC, "arbeidsbeperkt", process.StepVerwerkingTeam)
	fileA, fileB, fileC := h.env.File(t, appA.ClientID), h.env.File(t, appB.ClientID), h.env.File(t, appC.ClientID)
	pathA, pathB := fmt.Sprintf("/klanten/%d", appA.ClientID), fmt.Sprintf("/klanten/%d", appB.ClientID)
	klantA := fmt.Sprint(appA.ClientID)

	// Without an account: the information page, login, and a 404.
	anon := h.anonymous()
	anon.visitOK("/toegankelijkheid")
	anon.contains("h1", "Toegankelijkheid")
	if st := anon.visit("/bestaat-niet"); st != 404 {
		t.Errorf("/bestaat-niet: status %d, want 404", st)
	}
	anon.contains("h1", "Pagina niet gevonden")
	anon.visitOK("/werkvoorraad") // redirects to the login page
	if anon.path() != "/login" {
		t.Errorf("a worklist without login shows %s, want the login page", anon.path())
	}

	// KM Werk: the start-of-guidance task and every dossier form of A.
	kmw := h.login(h.usernameOf(start.HolderID))
	kmw.openTaskFromWorklist("/werkvoorraad/mijn", fileA.Client.Name(), stStart)
	kmw.contains("fieldset", "Aanmelden voor trajecten uit het plan van aanpak")
	kmw.visitOK(pathA)
	kmw.noBSN() // the case page shows the BSN only after "Toon BSN"
	dossierPages := []struct{ path, want string }{
		{kmw.linkHref("Plan bewerken"), "U bewerkt versie 1"},
		{kmw.linkHref("Traject toevoegen aan het plan"), "Traject toevoegen aan het plan"},
		{kmw.linkHref("Aanmelding zonder traject toevoegen"), "Aanmelding bij een aanbieder"},
		{query(kmw.formAction(`[action*="/aanmeldingen/"][action$="/status"]`), "klant", klantA), "Status van de aanmelding wijzigen"},
		{query(kmw.formAction(`[action*="/trajecten/"][action$="/afronden"]`), "klant", klantA), "Traject afronden"},
		{kmw.linkHref("Vervolgafspraak plannen"), "Vervolgafspraak plannen"},
	}
	for _, p := range dossierPages {
		kmw.visitOK(p.path)
		kmw.contains("main", p.want)
	}
	// An appointment at 9:10 on a Sunday: refused in words, input kept.
	sunday := h.workday(1)
	for sunday.Weekday() != time.Sunday {
		sunday = sunday.AddDate(0, 0, 1)
	}
	kmw.fill("datum", sunday.Format("02-01-2006"))
	kmw.fill("tijd", "09:10")
	kmw.selectOption("duur", "30 minuten")
	kmw.selectOption("spreekkamer", "Spreekkamer 3")
	if st := kmw.submit("Afspraak plannen"); st != 422 {
		kmw.fatalf("appointment on a Sunday at 09:10: status %d, want 422", st)
	}
	kmw.contains("#foutmeldingen", "Kies een werkdag", "Kies een begintijd op een heel kwartier")
	if kmw.value("f-tijd") != "09:10" {
		t.Errorf("the refused time was not kept: %q", kmw.value("f-tijd"))
	}
	// A valid follow-up, then the move form from the case page, refused
	// with a time off the quarter hour.
	kmw.fill("datum", casework.FormatDate(h.workday(1)))
	kmw.fill("tijd", "14:00")
	if st := kmw.submit("Afspraak plannen"); st != 200 {
		kmw.fatalf("plan a follow-up: status %d", st)
	}
	kmw.followIn("tbody tr", "Vervolgafspraak", "Verplaatsen")
	kmw.contains("h1", "Afspraak verplaatsen")
	if kmw.value("f-tijd") != "14:00" {
		t.Errorf("the move form is not filled with the appointment: tijd %q", kmw.value("f-tijd"))
	}
	kmw.fill("tijd", "14:10")
	if st := kmw.submit("Afspraak verplaatsen"); st != 422 {
		kmw.fatalf("move to 14:10: status %d, want 422", st)
	}
	kmw.contains("#foutmeldingen", "Kies een begintijd op een heel kwartier")
	// Closing the dossier while its step is open: the case page says why
	// it cannot be closed yet, and the form (an old link) says so before
	// anything is typed, without a button to send it.
	kmw.visitOK(pathA)
	waits := "Dossier afsluiten kan pas als de stap “" + stStart + "” is afgerond."
	kmw.contains("section[aria-labelledby=participatie]", waits)
	if kmw.mark("a[href]", "Dossier afsluiten", "", "") {
		t.Errorf("the case page offers Dossier afsluiten while %q is open", stStart)
	}
	if st := kmw.visit(fmt.Sprintf("/dossiers/%d/afsluiten?klant=%s", fileA.Participation.ID, klantA)); st != 409 {
		kmw.fatalf("the close form with a step open: status %d, want 409", st)
	}
	kmw.contains("h1", "Participatiedossier afsluiten")
	kmw.contains("#melding", waits)
	if n := kmw.count(`form[action$="/afsluiten"] button[type=submit]`); n != 0 {
		t.Errorf("the close form offers a button while %q is open", stStart)
	}
	// The daily digest on mijn werkvoorraad, turned on.
	kmw.visitOK("/werkvoorraad/mijn")
	kmw.choose("dagoverzicht", "")
	if st := kmw.submit("Keuze opslaan"); st != 200 {
		kmw.fatalf("save the digest choice: status %d", st)
	}
	kmw.contains("main", "U krijgt voortaan elke werkdag een overzicht")

	// Team Ondersteuning: worklist filters, htmx filtering, the assign form,
	// client search, and a stale pick-up (409).
	tessa := h.login("tessa")
	for _, q := range [][]string{
		{"stap", string(process.StepVerwerkingAanmelding)},
		{"termijn", "bijna"},
		{"termijn", "verlopen"},
		{"houder", "niemand"},
		{"code", "17/PA"},
		{"sort", "client", "desc", "1"},
		{"team", process.TeamOndersteuning, "stap", string(process.StepVerdelenKMWerk)},
	} {
		tessa.visitOK(query("/werkvoorraad", q...))
		tessa.noBSN()
	}
	tessa.visitOK("/werkvoorraad")
	tessa.selectFilter("filter-stap", string(process.StepVerwerkingAanmelding))
	tessa.do("filter with htmx", clickText(`button[type=submit]`, "Filter toepassen"))
	if !waitFor(tessa, `document.querySelector('#werkvoorraad-tabel caption').innerText.includes('gefilterd')`) {
		tessa.fatalf("the htmx filter did not update the table caption: %s", tessa.text("#werkvoorraad-tabel caption"))
	}
	if !strings.Contains(eval[string](tessa, `location.search`), "stap=") {
		t.Errorf("the htmx filter did not push the filter into the URL: %s", eval[string](tessa, `location.href`))
	}
	tessa.checkAxe(200, " (after htmx filter)")
	tessa.noBSN()

	tessa.openTaskFromWorklist("/werkvoorraad", fileB.Client.Name(), stVerwerking)
	tessa.contains("#toewijzen", "Toewijzen")
	tessa.visitOK("/klanten")
	tessa.fillLabel("Zoek een klant", fileB.Client.FamilyName)
	if st := tessa.submit("Zoeken"); st != 200 {
		tessa.fatalf("client search: status %d", st)
	}
	tessa.contains("table", fileB.Client.Name())
	tessa.noBSN(fileB.Client.BSN)

	// Two tabs of the same worklist: the second pick-up is stale.
	tessa2 := h.login("tessa")
	tessa.visitOK(query("/werkvoorraad", "houder", "niemand"))
	tessa2.visitOK(query("/werkvoorraad", "houder", "niemand"))
	tessa2.submitIn("tbody tr", fileB.Client.Name(), "Oppakken")
	tessa2.contains("main", "Taak opgepakt.")
	if st := tessa.submitIn("tbody tr", fileB.Client.Name(), "Oppakken"); st != 409 {
		t.Errorf("a stale pick-up: status %d, want 409", st)
	}
	tessa.contains("h1", "Dat lukte niet")

	// Poort: the assessment task and the suspension form of B; the process page.
	var rapportage int64
	for _, tv := range fileB.OpenTasks() {
		if tv.Step == process.StepRapportage {
			rapportage = tv.HolderID
		}
	}
	pieter := h.login(h.usernameOf(rapportage))
	pieter.visitOK(pathB)
	pieter.noBSN()
	pieter.follow("Naar taak: " + stRapportage)
	pieter.visitOK(pathB)
	pieter.follow("Opschorting met instemming van de aanvrager vastleggen")
	pieter.visitOK("/proces")
	pieter.contains("h1", "Proces")

	// AG: the decision-first route's hand-over task.
	ag := h.login(h.usernameOf(agHolder(t, h, teamTask.Team)))
	ag.openTaskFromWorklist("/werkvoorraad", fileC.Client.Name(), "Verwerking aanmelding participatie (na besluit)")

	// A KM Werkdiagnose may not enter applications: 403.
	koen := h.login("koen")
	if st := koen.visit("/aanvragen/nieuw"); st != 403 {
		t.Errorf("koen on /aanvragen/nieuw: status %d, want 403", st)
	}
	koen.contains("h1", "Geen toegang")
	if st := koen.visit("/klanten/999999"); st != 404 {
		t.Errorf("an unknown client: status %d, want 404", st)
	}
	// A client outside koen's work (B is with the Poort and Team
	// Ondersteuning): "Reden om in te zien", 403, on its own address too.
	if st := koen.visit(pathB); st != 403 {
		t.Errorf("koen on a client outside need-to-know: status %d, want 403", st)
	}
	koen.contains("h1", "Reden om in te zien")
	koen.visitOK(pathB + "/inzage")
	koen.contains("h1", "Reden om in te zien")

	// Mail delivery: one message waits for a new attempt (the mail server
	// was unreachable), one failed for good.
	msgs, err := h.env.Svc.Outbox(t.Context(), h.env.Actor(process.RoleTeamleider), casework.MessageFilter{Status: casework.MessageWaiting})
	if err != nil || len(msgs) < 2 {
		t.Fatalf("outbox: %d waiting messages, %v", len(msgs), err)
	}
	if err := h.env.Svc.RecordDelivery(t.Context(), msgs[0].ID, casework.Attempt{Err: errors.New("dial tcp: connection refused"), Next: h.env.Clock.Now().Add(10 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if err := h.env.Svc.RecordDelivery(t.Context(), msgs[1].ID, casework.Attempt{Err: errors.New("550 mailbox unavailable"), Permanent: true}); err != nil {
		t.Fatal(err)
	}

	// Team lead: dashboard, outbox, all worklists.
	thomas := h.login("thomas")
	thomas.visitOK("/overzicht")
	thomas.contains("h1", "Overzicht")
	thomas.noBSN()
	thomas.visitOK("/uitgaand")
	thomas.contains("table", "E-mail TOP", "Uitnodiging klant")
	thomas.noBSN(fileA.Client.BSN, fileB.Client.BSN, fileC.Client.BSN)
	thomas.contains("#bezorging", "1 bericht wacht op een nieuwe poging: de mailserver was niet bereikbaar", "1 bericht is niet verstuurd.")
	thomas.contains("table", "Opnieuw proberen — poging 1, volgende poging omstreeks", "Mislukt na 1 poging", "met agenda-uitnodiging")
	thomas.visitOK(query("/uitgaand", "status", "wachtend"))
	thomas.visitOK(query("/uitgaand", "status", "opnieuw"))
	thomas.visitOK("/werkvoorraad")
	thomas.noBSN()

	// Administrator: accounts (with a refused new account), API keys (with
	// the one-time secret), the outbox; no client data.
	bram := h.login("bram")
	if bram.path() != "/beheer/gebruikers" {
		t.Errorf("bram lands on %s, want /beheer/gebruikers", bram.path())
	}
	bram.fill("gebruikersnaam", "Nieuwe Collega!")
	if st := bram.submit("Account aanmaken"); st != 422 {
		bram.fatalf("an invalid account: status %d, want 422", st)
	}
	bram.visitOK("/beheer/sleutels")
	bram.selectOption("gebruiker", "E-formulieren")
	bram.fill("naam", "e-formulieren e2e")
	if st := bram.submit("Sleutel uitgeven"); st != 200 {
		bram.fatalf("issue an API key: status %d", st)
	}
	bram.contains("main", "Kopieer deze sleutel nu.")
	bram.visitOK(query("/uitgaand", "status", "mislukt"))
	if st := bram.submitIn("tbody tr", "Mislukt", "Opnieuw versturen"); st != 200 {
		bram.fatalf("retry a failed message: status %d", st)
	}
	bram.contains("main", "Het bericht staat weer klaar om te worden verzonden.")
	bram.visitOK("/uitgaand")
	if st := bram.visit("/klanten"); st != 403 {
		t.Errorf("bram on /klanten: status %d, want 403", st)
	}

	// Every route of the web interface was opened at least once in this
	// package; list the GET patterns not seen in this test for the log.
	var missing []string
	for _, p := range []string{"/login", "/login/code", "/werkvoorraad/mijn", "/werkvoorraad", "/klanten", "/klanten/{id}", "/taken/{id}",
		"/dossiers/{id}/plan", "/dossiers/{id}/trajecten/nieuw", "/dossiers/{id}/aanmeldingen/nieuw", "/dossiers/{id}/afspraken/nieuw",
		"/dossiers/{id}/aanmeldingen/{id}/status", "/dossiers/{id}/trajecten/{id}/afronden", "/dossiers/{id}/afsluiten", "/aanvragen/{id}/opschortingen/nieuw",
		"/afspraken/{id}/verplaatsen", "/klanten/{id}/inzage",
		"/overzicht", "/uitgaand", "/beheer/gebruikers", "/beheer/sleutels", "/proces", "/toegankelijkheid"} {
		found := false
		h.mu.Lock()
		for k := range h.pages {
			found = found || strings.HasPrefix(k, p+" [")
		}
		h.mu.Unlock()
		if !found {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		t.Errorf("pages not checked by this test: %v", missing)
	}
}

// agHolder returns who may work the hand-over task: the first user with
// the team's role.
func agHolder(t *testing.T, h *harness, team string) int64 {
	t.Helper()
	tm, ok := h.env.Svc.Definition().Policy.Team(team)
	if !ok {
		t.Fatalf("unknown team %q", team)
	}
	return h.env.Users[tm.Role].ID
}

// selectFilter picks a value in a filter select by id.
func (u *user) selectFilter(id, value string) {
	u.h.t.Helper()
	if !eval[bool](u, fmt.Sprintf(`(() => { const s = document.getElementById(%s); if (!s) return false; s.value = %s; return s.value === %s; })()`, js(id), js(value), js(value))) {
		u.fatalf("no value %q in #%s", value, id)
	}
}

// TestAxeCatchesViolations guards the harness: axe, run the way the walks
// run it, reports an unlabeled field and an image without alternative.
func TestAxeCatchesViolations(t *testing.T) {
	h := newHarness(t)
	u := h.anonymous()
	u.visitOK("/toegankelijkheid")
	eval[bool](u, `(() => { const m = document.querySelector('main');
	  m.insertAdjacentHTML('beforeend', '<input type="text" id="e2e-unlabeled"><img src="/static/app.css" id="e2e-noalt">'); return true; })()`)
	var ids []string
	for _, v := range u.runAxe() {
		ids = append(ids, v.ID)
	}
	for _, want := range []string{"label", "image-alt"} {
		if !slices.Contains(ids, want) {
			t.Errorf("axe did not report %q on a page with that fault; it reported %v", want, ids)
		}
	}
}

// overflowJS lists what sticks out to the right of the viewport: text and
// elements, except inside a table's own scroll container (WCAG 1.4.10
// allows two-dimensional scrolling for data tables) and visually hidden text.
const overflowJS = `(() => {
  const skip = e => e.closest('.utrecht-table-container, .wd-table-wrap, .wd-sr-only');
  const out = [];
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n;
  while ((n = w.nextNode())) {
    if (!n.textContent.trim() || skip(n.parentElement)) continue;
    const r = document.createRange(); r.selectNodeContents(n);
    const b = r.getBoundingClientRect();
    if (b.right > innerWidth + 1) out.push('text in <' + n.parentElement.tagName.toLowerCase() + ' class="' + n.parentElement.className + '"> reaches ' + Math.round(b.right) + 'px: "' + n.textContent.trim().slice(0, 60) + '"');
  }
  for (const e of document.querySelectorAll('body *')) {
    if (skip(e)) continue;
    const b = e.getBoundingClientRect();
    if (b.right > innerWidth + 1 && b.width > 0) out.push('<' + e.tagName.toLowerCase() + (e.id ? ' id="' + e.id + '"' : '') + ' class="' + e.className + '"> reaches ' + Math.round(b.right) + 'px');
  }
  return JSON.stringify({width: document.documentElement.scrollWidth, viewport: innerWidth, causes: out.slice(0, 6)});
})()`

// narrow sets a 320 CSS px wide viewport: 1280 px at 400% zoom (WCAG 1.4.10).
func (u *user) narrow() {
	u.h.t.Helper()
	u.do("320px viewport", chromedp.EmulateViewport(320, 640))
	u.view = " @320px"
}

// reflows fails when the page scrolls sideways at the current viewport.
func (u *user) reflows() {
	u.h.t.Helper()
	var r struct {
		Width, Viewport int
		Causes          []string
	}
	if err := json.Unmarshal([]byte(eval[string](u, overflowJS)), &r); err != nil {
		u.fatalf("reflow result: %v", err)
	}
	if r.Width > r.Viewport {
		u.h.t.Errorf("reflow (WCAG 1.4.10) on %s as %s: the page is %dpx wide in a %dpx viewport:\n    %s",
			u.path(), u.name, r.Width, r.Viewport, strings.Join(r.Causes, "\n    "))
	}
}

// TestReflow320 opens the pages in a 320 CSS px wide viewport: nothing but
// a data table may scroll sideways, and axe runs at that width too.
func TestReflow320(t *testing.T) {
	h := newHarness(t)
	app := h.env.Apply(t)
	start := h.env.WalkTo(t, app, "", process.StepStartBegeleiding)
	f := h.env.File(t, app.ClientID)
	pid, cid := f.Participation.ID, app.ClientID
	invite := h.env.WalkTo(t, h.env.Apply(t), "", process.StepUitnodigenKennismaking)
	var kmw casework.User
	for _, u := range h.env.All {
		if u.ID == start.HolderID {
			kmw = u
		}
	}
	slot := casework.Values{"datum": {casework.FormatDate(h.workday(1))}, "tijd": {"13:00"}, "duur": {"30"}, "spreekkamer": {"sk2"}}
	if err := h.env.Svc.PlanFollowUp(t.Context(), casework.Actor{User: kmw}, pid, slot); err != nil {
		t.Fatalf("plan follow-up: %v", err)
	}
	var apID int64
	for _, ap := range h.env.File(t, cid).Appointments {
		if ap.Kind == process.AppointmentVervolg {
			apID = ap.ID
		}
	}

	pages := []struct {
		who   string
		paths []string
	}{
		{"", []string{"/login", "/aanvraag", "/toegankelijkheid", "/bestaat-niet"}},
		{h.usernameOf(start.HolderID), []string{"/werkvoorraad/mijn", "/werkvoorraad", "/klanten",
			fmt.Sprintf("/klanten/%d", cid), fmt.Sprintf("/taken/%d", start.ID),
			fmt.Sprintf("/dossiers/%d/plan?klant=%d", pid, cid), fmt.Sprintf("/dossiers/%d/trajecten/nieuw?klant=%d", pid, cid),
			fmt.Sprintf("/dossiers/%d/aanmeldingen/nieuw?klant=%d", pid, cid), fmt.Sprintf("/dossiers/%d/afspraken/nieuw?klant=%d", pid, cid),
			fmt.Sprintf("/afspraken/%d/verplaatsen?klant=%d", apID, cid), "/proces"}},
		{h.usernameOf(invite.HolderID), []string{fmt.Sprintf("/taken/%d", invite.ID)}},
		{"sanne", []string{"/aanvragen/nieuw", "/meldingen/nieuw"}},
		{"thomas", []string{"/overzicht", "/uitgaand"}},
		{"bram", []string{"/beheer/gebruikers", "/beheer/sleutels"}},
	}
	for _, pg := range pages {
		var u *user
		if pg.who == "" {
			u = h.anonymous()
		} else {
			u = h.login(pg.who)
		}
		u.narrow()
		for _, p := range pg.paths {
			u.visit(p)
			u.reflows()
		}
	}
}
