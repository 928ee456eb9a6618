package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// checkPage asserts what every full page must have.
func checkPage(t *testing.T, path string, p page) {
	t.Helper()
	if p.status != http.StatusOK {
		t.Fatalf("%s: status %d\n%s", path, p.status, p.body)
	}
	if n := p.doc.Find("h1").Length(); n != 1 {
		t.Errorf("%s: %d h1 elements", path, n)
	}
	if !p.has("main#main") || !p.has("a.wd-skip-link[href='#main']") || !p.has("footer a[href='/toegankelijkheid']") {
		t.Errorf("%s: layout landmarks missing", path)
	}
	if p.has("[style]") || p.has("script:not([src])") || p.has("[tabindex]:not([tabindex='-1']):not([tabindex='0'])") {
		t.Errorf("%s: inline style/script or positive tabindex", path)
	}
	p.doc.Find("input:not([type=hidden]), textarea, select").Each(func(_ int, s *goquery.Selection) {
		idv, _ := s.Attr("id")
		if idv == "" || !p.has(`label[for="`+idv+`"]`) {
			t.Errorf("%s: input %q without label", path, idv)
		}
	})
	p.doc.Find("table").Each(func(_ int, s *goquery.Selection) {
		if s.Find("caption").Length() == 0 {
			t.Errorf("%s: table without caption", path)
		}
	})
	seen := map[string]bool{}
	p.doc.Find("[id]").Each(func(_ int, s *goquery.Selection) {
		idv, _ := s.Attr("id")
		if seen[idv] {
			t.Errorf("%s: duplicate id %q", path, idv)
		}
		seen[idv] = true
	})
	// Headings do not skip levels.
	last := 0
	p.doc.Find("h1, h2, h3, h4, h5, h6").Each(func(_ int, s *goquery.Selection) {
		lvl := int(goquery.NodeName(s)[1] - '0')
		if last != 0 && lvl > last+1 {
			t.Errorf("%s: heading level jumps from h%d to h%d (%q)", path, last, lvl, strings.TrimSpace(s.Text()))
		}
		last = lvl
	})
}

// TestWholeCase walks a client through the pilot and renders every page
// on the way, using the dossier's own forms where the case needs them.
func TestWholeCase(t *testing.T) {
	a := newApp(t)
	env := a.env
	app := env.Apply(t)
	cid := id(app.ClientID)
	lead := a.loginRole(process.RoleTeamleider)

	for _, path := range []string{"/werkvoorraad", "/werkvoorraad/mijn", "/klanten",
		"/klanten/" + cid, "/overzicht", "/uitgaand", "/uitgaand?status=wachtend", "/proces", "/toegankelijkheid"} {
		checkPage(t, path, lead.get(path))
	}
	// The search is posted; the results are at /klanten after the redirect.
	loc := expectRedirect(t, lead.post("/klanten", url.Values{process.FieldSearch: {env.File(t, app.ClientID).Client.FamilyName}}), "/klanten")
	p := lead.get(loc)
	checkPage(t, "/klanten (results)", p)
	if !p.has(`a[href="/klanten/` + cid + `"]`) {
		t.Errorf("search does not find the client")
	}
	p = lead.get("/proces")
	for _, want := range []string{"Poortwachter belt de klant", "445", "17/PA", "0/L2", "Baanbrekend", "Arbeidsbeperkt", "E-mail TOP"} {
		if !strings.Contains(p.text("main"), want) {
			t.Errorf("/proces lacks %q", want)
		}
	}

	// Suspend the decision term and end it, as the Poort.
	poort := a.login("pieter")
	path := "/aanvragen/" + id(app.ID) + "/opschortingen/nieuw?klant=" + cid
	checkPage(t, path, poort.get(path))
	p = poort.post("/aanvragen/"+id(app.ID)+"/opschortingen", url.Values{"klant": {cid}, "start": {"32-01-2027"}, "reden": {"Verzoek om aanvulling"}})
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if p.attr("#f-reden", "value") != "" || p.doc.Find("#f-reden").Text() != "Verzoek om aanvulling" {
		t.Errorf("suspension: reason not kept")
	}
	start := casework.FormatDate(env.Clock.Now())
	until := process.AddDays(env.Clock.Now(), 13)
	expectRedirect(t, poort.post("/aanvragen/"+id(app.ID)+"/opschortingen", url.Values{"klant": {cid}, "start": {start},
		"instemming_tot": {casework.FormatDate(until)}, "reden": {"Uitstel gevraagd, 2 weken"}}), "/klanten/"+cid)
	p = poort.get("/klanten/" + cid)
	checkPage(t, "case with suspension", p)
	due := env.File(t, app.ClientID).Application.DecisionDue
	if want := "uiterlijk " + casework.FormatDate(due) + " (opgeschort sinds " + start + ", loopt door na " + casework.FormatDate(until) + ")"; !strings.Contains(p.text("main"), want) {
		t.Errorf("running suspension not shown as %q", want)
	}
	sus := env.File(t, app.ClientID).Suspensions[0]
	endPath := "/aanvragen/" + id(app.ID) + "/opschortingen/" + id(sus.ID) + "/beeindigen"
	checkPage(t, endPath, poort.get(endPath+"?klant="+cid))
	expectRedirect(t, poort.post(endPath, url.Values{"klant": {cid}, "eind": {start}}), "/klanten/"+cid)

	// Walk to the KM Werkdiagnose intake: the participation dossier exists.
	intake := env.WalkTo(t, app, "", process.StepIntakeWerkdiagnose)
	f := env.File(t, app.ClientID)
	if f.Participation == nil {
		t.Fatal("no participation dossier")
	}
	pid := id(f.Participation.ID)
	km := a.holderLogin(intake)
	checkPage(t, "/klanten/"+cid, km.get("/klanten/"+cid))
	checkPage(t, "/taken/"+id(intake.ID), km.get("/taken/"+id(intake.ID)))

	// The plan form, prefilled from the latest plan (the walker may have made one).
	planPath := "/dossiers/" + pid + "/plan?klant=" + cid
	p = km.get(planPath)
	checkPage(t, planPath, p)
	// A bookmark without the client id finds the dossier through its case.
	if bare := km.get("/dossiers/" + pid + "/plan"); bare.status != http.StatusOK || bare.attr(`input[name="basis_versie"]`, "value") != p.attr(`input[name="basis_versie"]`, "value") {
		t.Errorf("plan form without ?klant: status %d", bare.status)
	}
	basis := p.attr(`input[name="basis_versie"]`, "value")
	vals := url.Values{}
	p.doc.Find("form[action$='/plan'] input, form[action$='/plan'] textarea, form[action$='/plan'] select").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		switch goquery.NodeName(s) {
		case "textarea":
			vals.Set(name, s.Text())
		case "select":
			if v, ok := s.Find("option[selected]").Attr("value"); ok {
				vals.Set(name, v)
			}
		default:
			typ, _ := s.Attr("type")
			if typ == "radio" || typ == "checkbox" {
				if _, ok := s.Attr("checked"); ok {
					v, _ := s.Attr("value")
					vals.Add(name, v)
				}
				return
			}
			v, _ := s.Attr("value")
			vals.Set(name, v)
		}
	})
	fill := map[string]string{"situatie": "Zoekt werk in de logistiek.", "ladder_nu": "3", "ladder_doel": "5", "segment": "Re-integratie",
		"doelen": "Binnen een half jaar aan het werk.", "verplichtingen": "Solliciteren, meewerken.", "gevolgen": "Verlaging van de uitkering.",
		"evaluatie_datum": casework.FormatDate(process.AddDays(env.Clock.Now(), 60)), "ondertekend_op": casework.FormatDate(env.Clock.Now())}
	for k, v := range fill {
		if vals.Get(k) == "" {
			vals.Set(k, v)
		}
	}
	// Invalid first: target below the current rung.
	bad := url.Values{}
	for k, v := range vals {
		bad[k] = v
	}
	bad.Set("ladder_nu", "5")
	bad.Set("ladder_doel", "2")
	p = km.post("/dossiers/"+pid+"/plan", bad)
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if p.text("#f-ladder_doel-fout") == "" || p.attr("#f-ladder_doel option[selected]", "value") != "2" {
		t.Errorf("plan 422: message or value missing")
	}
	expectRedirect(t, km.post("/dossiers/"+pid+"/plan", vals), "/klanten/"+cid)
	// The same (now stale) basis again: 409, values kept, newer basis in the form.
	vals.Set("doelen", "Nieuwe doelen van mij")
	p = km.post("/dossiers/"+pid+"/plan", vals)
	expectStatus(t, p, http.StatusConflict)
	if p.doc.Find("#f-doelen").Text() != "Nieuwe doelen van mij" {
		t.Errorf("plan 409: values not kept")
	}
	b0, _ := strconv.Atoi(basis)
	if p.attr(`input[name="basis_versie"]`, "value") != strconv.Itoa(b0+1) {
		t.Errorf("plan 409: basis_versie %q, want %d", p.attr(`input[name="basis_versie"]`, "value"), b0+1)
	}

	// Trajectory, registration, follow-up appointment.
	trPath := "/dossiers/" + pid + "/trajecten/nieuw?klant=" + cid
	checkPage(t, trPath, km.get(trPath))
	p = km.post("/dossiers/"+pid+"/trajecten", url.Values{"klant": {cid}, "titel": {""}, "start": {casework.FormatDate(env.Clock.Now())}})
	expectStatus(t, p, http.StatusUnprocessableEntity)
	expectRedirect(t, km.post("/dossiers/"+pid+"/trajecten", url.Values{"klant": {cid}, "aanbieder": {"baanbrekend"}, "titel": {"Werkervaringsplek"},
		"start": {casework.FormatDate(env.Clock.Now())}, "activiteiten": {"Kennismaking\nProefplaatsing"}}), "/klanten/"+cid)
	regPath := "/dossiers/" + pid + "/aanmeldingen/nieuw?klant=" + cid
	checkPage(t, regPath, km.get(regPath))
	p = km.post("/dossiers/"+pid+"/aanmeldingen", url.Values{"klant": {cid}, "aanbieder": {"hallo_werk"}, "status": {"aangemeld"},
		"datum": {casework.FormatDate(env.Clock.Now())}, "notitie": {"BSN 123456782"}})
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if p.text("#f-notitie-fout") == "" {
		t.Errorf("registration with a BSN-like number accepted")
	}
	expectRedirect(t, km.post("/dossiers/"+pid+"/aanmeldingen", url.Values{"klant": {cid}, "aanbieder": {"hallo_werk"}, "status": {"aangemeld"},
		"datum": {casework.FormatDate(env.Clock.Now())}}), "/klanten/"+cid)
	f = env.File(t, app.ClientID)
	var reg casework.Registration
	for _, r := range f.Registrations {
		if r.Provider == "hallo_werk" {
			reg = r
		}
	}
	stPath := "/dossiers/" + pid + "/aanmeldingen/" + id(reg.ID) + "/status"
	checkPage(t, stPath, km.get(stPath+"?klant="+cid))
	expectRedirect(t, km.post(stPath, url.Values{"klant": {cid}, "versie": {strconv.Itoa(reg.Version)}, "status": {"geaccepteerd"}}), "/klanten/"+cid)
	p = km.post(stPath, url.Values{"klant": {cid}, "versie": {strconv.Itoa(reg.Version)}, "status": {"gestart"}})
	expectStatus(t, p, http.StatusConflict)

	fuPath := "/dossiers/" + pid + "/afspraken/nieuw?klant=" + cid
	checkPage(t, fuPath, km.get(fuPath))
	day := process.AddDays(env.Clock.Now(), 7)
	for day.Weekday() == 0 || day.Weekday() == 6 {
		day = process.AddDays(day, 1)
	}
	p = km.post("/dossiers/"+pid+"/afspraken", url.Values{"klant": {cid}, "datum": {casework.FormatDate(day)}, "tijd": {"10:07"}, "duur": {"45"}, "spreekkamer": {"sk1"}})
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if p.attr("#f-tijd", "value") != "10:07" || p.text("#f-tijd-fout") == "" {
		t.Errorf("follow-up 422: time not kept or no message")
	}
	expectRedirect(t, km.post("/dossiers/"+pid+"/afspraken", url.Values{"klant": {cid}, "datum": {casework.FormatDate(day)}, "tijd": {"14:00"}, "duur": {"45"}, "spreekkamer": {"sk2"}}), "/klanten/"+cid)
	p = km.get("/klanten/" + cid)
	checkPage(t, "case with dossier", p)
	for _, want := range []string{"Werkervaringsplek", "Proefplaatsing", "Hallo Werk", "geaccepteerd", "Vervolgafspraak", "Spreekkamer 2", "Nieuwe doelen van mij"} {
		if want == "Nieuwe doelen van mij" {
			if strings.Contains(p.text("main"), want) {
				t.Errorf("the refused plan was saved")
			}
			continue
		}
		if !strings.Contains(p.text("main"), want) {
			t.Errorf("case page lacks %q", want)
		}
	}
	// Cancel the follow-up appointment.
	cancel := p.attr(`form[action^="/afspraken/"][action$="/annuleren"]`, "action")
	if cancel == "" {
		t.Fatal("no cancel button for the appointment")
	}
	expectRedirect(t, km.post(cancel, nil, "Referer", km.base+"/klanten/"+cid), "/klanten/"+cid)
	p = km.post(cancel, nil)
	expectStatus(t, p, http.StatusConflict)

	// Finish the trajectory.
	for _, tr := range env.File(t, app.ClientID).Trajectories {
		if tr.Title == "Werkervaringsplek" {
			fp := "/dossiers/" + pid + "/trajecten/" + id(tr.ID) + "/afronden"
			checkPage(t, fp, km.get(fp+"?klant="+cid))
			expectStatus(t, km.post(fp, url.Values{"klant": {cid}, "resultaat": {" "}}), http.StatusUnprocessableEntity)
			expectRedirect(t, km.post(fp, url.Values{"klant": {cid}, "resultaat": {"Geplaatst"}}), "/klanten/"+cid)
		}
	}

	// On to the distribution to a KM Werk: Team Ondersteuning sees the assign form.
	verdelen := env.WalkTo(t, app, "", process.StepVerdelenKMWerk)
	top := a.loginRole(process.RoleTeamOndersteuning)
	p = top.get("/taken/" + id(verdelen.ID))
	checkPage(t, "/taken/"+id(verdelen.ID), p)
	if !p.has("#toewijzen") || p.doc.Find(`form[action$="/toewijzen"] input[type=radio]`).Length() == 0 {
		t.Errorf("no assign form with candidates")
	}
	if !strings.Contains(p.text(`form[action$="/toewijzen"]`), "lopende dossiers") {
		t.Errorf("candidates without caseload")
	}
	p = top.post("/taken/"+id(verdelen.ID)+"/toewijzen", url.Values{"versie": {strconv.Itoa(verdelen.Version)}})
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if p.text("#f-medewerker-fout") == "" {
		t.Errorf("assign without a choice: no message")
	}
	tessa := env.Users[process.RoleTeamOndersteuning]
	expectRedirect(t, top.post("/taken/"+id(verdelen.ID)+"/toewijzen", url.Values{"versie": {strconv.Itoa(verdelen.Version)}, "medewerker": {id(tessa.ID)}}), "/taken/")
	if currentTask(t, env, verdelen.ID).HolderID != tessa.ID {
		t.Errorf("task not assigned")
	}

	// Walk to the end and render the closed case.
	env.WalkTo(t, app, "", "")
	checkPage(t, "/klanten/"+cid, lead.get("/klanten/"+cid))
	checkPage(t, "/overzicht", lead.get("/overzicht"))
}

func TestAdminPages(t *testing.T) {
	a := newApp(t)
	b := a.loginRole(process.RoleBeheerder)
	checkPage(t, "/beheer/gebruikers", b.get("/beheer/gebruikers"))
	checkPage(t, "/beheer/sleutels", b.get("/beheer/sleutels"))
	checkPage(t, "/uitgaand", b.get("/uitgaand"))

	p := b.post("/beheer/gebruikers", url.Values{"gebruikersnaam": {"Ongeldig Naam"}, "naam": {"Nieuwe Collega"}, "email": {"x"}, "wachtwoord": {"kort"}})
	expectStatus(t, p, http.StatusUnprocessableEntity)
	for _, f := range []string{"gebruikersnaam", "email", "rollen", "wachtwoord"} {
		if p.text("#f-"+f+"-fout") == "" {
			t.Errorf("user form: no message at %s", f)
		}
	}
	if p.attr("#f-naam", "value") != "Nieuwe Collega" || p.attr("#f-wachtwoord", "value") != "" {
		t.Errorf("user form: values not kept, or the password echoed")
	}
	v := url.Values{"gebruikersnaam": {"nieuw"}, "naam": {"Nieuwe Collega"}, "email": {"nieuw@bar-organisatie.invalid"},
		"rollen": {string(process.RoleKMWerk)}, "wachtwoord": {"een-lang-wachtwoord"}}
	expectRedirect(t, b.post("/beheer/gebruikers", v), "/beheer/gebruikers")
	p = b.post("/beheer/gebruikers", v)
	expectStatus(t, p, http.StatusConflict)
	if p.text("#f-gebruikersnaam-fout") == "" {
		t.Errorf("duplicate username: no field message")
	}
	p = b.get("/beheer/gebruikers")
	action := ""
	p.doc.Find("tbody tr").Each(func(_ int, s *goquery.Selection) {
		if strings.Contains(s.Text(), "nieuw@") {
			action, _ = s.Find(`form[action$="/deactiveren"]`).Attr("action")
		}
	})
	if action == "" {
		t.Fatal("no deactivate button for the new account")
	}
	expectRedirect(t, b.post(action, nil), "/beheer/gebruikers")
	if !strings.Contains(b.get("/beheer/gebruikers").text("tbody"), "Uitgeschakeld") {
		t.Errorf("account not shown as disabled")
	}
	// The disabled account cannot log in.
	p = a.browser().post("/login", url.Values{"gebruikersnaam": {"nieuw"}, "wachtwoord": {"een-lang-wachtwoord"}})
	expectStatus(t, p, http.StatusUnauthorized)

	// API token: the secret is shown once.
	p = b.post("/beheer/sleutels", url.Values{"gebruiker": {id(a.env.Users[process.RolePoortwachter].ID)}, "naam": {""}})
	expectStatus(t, p, http.StatusUnprocessableEntity)
	p = b.post("/beheer/sleutels", url.Values{"gebruiker": {id(a.env.Users[process.RolePoortwachter].ID)}, "naam": {"e-formulieren"}})
	expectStatus(t, p, http.StatusOK)
	secret := p.attr("#nieuwe-sleutel", "value")
	if !strings.HasPrefix(secret, "wdt_") {
		t.Fatalf("no secret shown: %q", secret)
	}
	p = b.get("/beheer/sleutels")
	if strings.Contains(p.body, secret) {
		t.Errorf("secret shown twice")
	}
	revoke := p.attr(`form[action$="/intrekken"]`, "action")
	expectRedirect(t, b.post(revoke, nil), "/beheer/sleutels")
	if !strings.Contains(b.get("/beheer/sleutels").text("tbody"), "Ingetrokken") {
		t.Errorf("token not revoked")
	}

	// Caseworker pages are not for an administrator without a pilot role.
	expectStatus(t, b.get("/werkvoorraad"), http.StatusForbidden)
	expectStatus(t, b.get("/klanten"), http.StatusForbidden)
}
