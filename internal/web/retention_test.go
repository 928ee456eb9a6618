package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/demo"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// The functioneel beheerder's pages: what is due, a proposal with its dry
// run, approval by another beheerder with the tick, the report; and the
// data subject's export as JSON and as a page, recorded in the history.
func TestRetentionAndExportPages(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	refused := a.env.Apply(t)
	a.env.WalkChoice(t, refused, demo.Choice{Decision: process.OutcomeGeenToekenning, NUG: process.OutcomeAfsluiten}, "")
	kept := a.env.Apply(t)
	a.env.WalkTo(t, kept, "", process.StepIntakeWerkdiagnose)

	bram := a.loginRole(process.RoleBeheerder)
	km := a.loginRole(process.RoleKMWerkdiagnose)
	if p := km.get("/beheer/vernietiging"); p.status != http.StatusForbidden {
		t.Errorf("a klantmanager on /beheer/vernietiging: %d", p.status)
	}
	if p := km.get("/beheer/inzage"); p.status != http.StatusForbidden {
		t.Errorf("a klantmanager on /beheer/inzage: %d", p.status)
	}

	// The export, as JSON and as a page.
	exp := url.Values{process.FieldClientNumber: {id(kept.ClientID)}, process.FieldRequest: {"verzoek 12-03-2027, kenmerk Z-1"},
		process.FieldExportFormat: {process.ExportJSON}}
	p := bram.post("/beheer/inzage", exp)
	expectStatus(t, p, http.StatusOK)
	if cd := p.header.Get("Content-Disposition"); !strings.Contains(cd, "inzage-klant-"+id(kept.ClientID)) {
		t.Errorf("export download: %q", cd)
	}
	var x casework.ClientExport
	if err := json.Unmarshal([]byte(p.body), &x); err != nil {
		t.Fatalf("export JSON: %v", err)
	}
	if x.Client.ID != kept.ClientID || len(x.Cases) == 0 || len(x.Tasks) == 0 || len(x.StepRecords) == 0 || len(x.Documents) == 0 ||
		len(x.Events) == 0 || x.Events[len(x.Events)-1].Kind != "inzage" && x.Events[0].Kind != "inzage" {
		t.Errorf("export: client %d, %d cases, %d tasks, %d forms, %d documents, %d events", x.Client.ID, len(x.Cases), len(x.Tasks),
			len(x.StepRecords), len(x.Documents), len(x.Events))
	}
	for _, d := range x.Documents {
		if len(d.File) == 0 && !d.FileMissing {
			t.Errorf("document %d exported without its file", d.ID)
		}
	}
	exp.Set(process.FieldExportFormat, process.ExportHTML)
	p = bram.post("/beheer/inzage", exp)
	expectStatus(t, p, http.StatusOK)
	if !strings.Contains(p.body, x.Client.FamilyName) || !p.has("h2") || p.header.Get("Cache-Control") != "no-store" {
		t.Errorf("export page: %s", p.text("h1"))
	}
	bad := url.Values{process.FieldClientNumber: {"abc"}, process.FieldExportFormat: {process.ExportJSON}}
	if p := bram.post("/beheer/inzage", bad); p.status != http.StatusUnprocessableEntity || !p.has(".wd-error-summary") {
		t.Errorf("export without a request: %d", p.status)
	}

	// Nothing due yet; ten years and a day later the refused client is.
	if p := bram.get("/beheer/vernietiging"); p.status != http.StatusOK || !strings.Contains(p.body, "Geen klanten aan de beurt") {
		t.Errorf("retention page today: %d", p.status)
	}
	a.env.Clock.Add(10*366*24*time.Hour + 24*time.Hour)
	if _, err := a.env.Svc.RunRetention(ctx); err != nil {
		t.Fatal(err)
	}
	p = bram.get("/beheer/vernietiging")
	expectStatus(t, p, http.StatusOK)
	if got := p.doc.Find("#aan-de-beurt + div tbody tr td").First().Text(); got != id(refused.ClientID) {
		t.Errorf("due: first client %q, want %d", got, refused.ClientID)
	}
	loc := expectRedirect(t, bram.post("/beheer/vernietiging", url.Values{}), "/beheer/vernietiging/")
	p = bram.get(loc)
	expectStatus(t, p, http.StatusOK)
	if !strings.Contains(p.body, "<code>events</code>") || !strings.Contains(p.body, "<code>documents</code>") ||
		p.has(`form[action$="/goedkeuren"]`) || !strings.Contains(p.body, "vier ogen") {
		t.Errorf("dry run for the proposer: %s", p.text("main"))
	}

	u := casework.User{Username: "beheerder2", Name: "Tweede Beheerder", Email: "beheer2@example.invalid",
		Roles: process.Roles{process.RoleBeheerder}, Active: true, CreatedAt: a.env.Clock.Now(), PasswordHash: casework.HashPassword(casetest.Password),
		TOTPSecret: demo.BeheerderTOTPSecret}
	if err := a.env.DB.Update(ctx, func(tx casework.Tx) error { return tx.CreateUser(ctx, &u) }); err != nil {
		t.Fatal(err)
	}
	second := a.login("beheerder2")
	p = second.get(loc)
	if !p.has(`form[action$="/goedkeuren"]`) {
		t.Fatalf("no approval form for another beheerder")
	}
	if p := second.post(loc+"/goedkeuren", url.Values{}); p.status != http.StatusUnprocessableEntity || !p.has(".wd-error-summary") {
		t.Errorf("approval without the tick: %d", p.status)
	}
	expectRedirect(t, second.post(loc+"/goedkeuren", url.Values{process.FieldConfirmDestruction: {"ja"}}), loc)
	p = second.get(loc)
	if !strings.Contains(p.body, "Verslag van de vernietiging") || !strings.Contains(p.body, "8.2") {
		t.Errorf("report page: %s", p.text("main"))
	}
	rep := second.get(loc + "/verslag")
	var r casework.DestructionReport
	if err := json.Unmarshal([]byte(rep.body), &r); err != nil || r.Clients != 1 || r.ApprovedBy != "Tweede Beheerder" {
		t.Errorf("report download: %+v, %v", r, err)
	}
	if p := km.get("/klanten/" + id(refused.ClientID)); p.status != http.StatusNotFound {
		t.Errorf("the destroyed client's page: %d", p.status)
	}
	// The kept client's case page still shows its application.
	if p := a.loginRole(process.RoleTeamleider).get("/klanten/" + id(kept.ClientID)); p.status != http.StatusOK {
		t.Errorf("kept client's page: %d", p.status)
	}
}

// A closed case shows its result, category and destruction date on the
// case page.
func TestCasePageShowsRetention(t *testing.T) {
	a := newApp(t)
	app := a.env.Apply(t)
	a.env.WalkChoice(t, app, demo.Choice{Decision: process.OutcomeGeenToekenning, NUG: process.OutcomeAfsluiten}, "")
	p := a.loginRole(process.RoleTeamleider).get("/klanten/" + id(app.ClientID))
	expectStatus(t, p, http.StatusOK)
	if got := p.doc.Find(".wd-retention").Length(); got != 2 {
		t.Errorf("%d retention lines, want 2 (application and dossier)", got)
	}
	if txt := p.doc.Find(".wd-retention").First().Text(); !strings.Contains(txt, "afgewezen") || !strings.Contains(txt, "8.2") || !strings.Contains(txt, "vernietigen vanaf") {
		t.Errorf("retention line %q", txt)
	}
}

// Rectification: Team Ondersteuning corrects a name and the BSN with a
// reason; the old values are in the history (the BSN masked); a BSN that
// fails the elfproef or belongs to another client is refused at the field;
// a klantmanager may not.
func TestRectifyClient(t *testing.T) {
	a := newApp(t)
	app := a.env.Apply(t)
	other := a.env.Apply(t)
	f := a.env.File(t, app.ClientID)
	path := "/klanten/" + id(app.ClientID) + "/corrigeren"
	if p := a.loginRole(process.RoleKMWerk).get(path); p.status != http.StatusForbidden {
		t.Errorf("a klantmanager on the rectify form: %d", p.status)
	}
	top := a.loginRole(process.RoleTeamOndersteuning)
	p := top.get(path)
	expectStatus(t, p, http.StatusOK)
	if p.attr("#f-achternaam", "value") != f.Client.FamilyName || p.attr("#f-bsn", "value") != "" {
		t.Errorf("form: family name %q, BSN %q", p.attr("#f-achternaam", "value"), p.attr("#f-bsn", "value"))
	}
	vals := url.Values{process.FieldGivenNames: {f.Client.GivenName}, process.FieldFamilyName: {"Gecorrigeerd"},
		process.FieldBirthDate: {casework.FormatDate(f.Client.BirthDate)}, process.FieldBSN: {"123456789"},
		process.FieldReason: {"Verzoek van de klant, ID-bewijs gezien."}, process.FieldVersion: {id(int64(f.Client.Version))}}
	if p := top.post(path, vals); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.text("#f-bsn-error, .utrecht-form-field-error-message"), "elfproef") && !strings.Contains(p.body, "elfproef") {
		t.Errorf("invalid BSN: %d", p.status)
	}
	vals.Set(process.FieldBSN, a.env.File(t, other.ClientID).Client.BSN)
	if p := top.post(path, vals); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "Er is al een klant met dit BSN") {
		t.Errorf("another client's BSN: %d", p.status)
	}
	vals.Set(process.FieldBSN, "249566758")
	expectRedirect(t, top.post(path, vals), "/klanten/"+id(app.ClientID))
	g := a.env.File(t, app.ClientID)
	if g.Client.FamilyName != "Gecorrigeerd" || g.Client.BSN != "249566758" {
		t.Errorf("client after: %s %s", g.Client.FamilyName, casework.MaskBSN(g.Client.BSN))
	}
	var line casework.Event
	for _, e := range g.Events {
		if e.Kind == "gecorrigeerd" {
			line = e
		}
	}
	if !strings.Contains(line.Summary, f.Client.Name()) || !strings.Contains(line.Summary, casework.MaskBSN(f.Client.BSN)) ||
		strings.Contains(line.Summary, f.Client.BSN) || line.Reason != "Verzoek van de klant, ID-bewijs gezien." {
		t.Errorf("history line %+v", line)
	}
	// The old version is stale now.
	if p := top.post(path, vals); p.status != http.StatusConflict {
		t.Errorf("stale rectification: %d", p.status)
	}
}
