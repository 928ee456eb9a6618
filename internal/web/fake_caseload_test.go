package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

var fakeTeamleider = casework.User{ID: 12, Username: "thomas", Name: "Thomas Teamleider", Email: "thomas@bar-organisatie.invalid",
	Roles: process.Roles{process.RoleTeamleider}, Active: true}

// teamCaseload is the team view of the fake: one dossier of the fake
// klantmanager at version 3, and the klantmanager as a choice.
func (fa *fakeApp) teamCaseload() casework.TeamCaseload {
	row := casework.DossierView{DossierRow: casework.DossierRow{Case: casework.Case{ID: fakeParticipationID, ClientID: fakeClientID,
		Kind: process.CaseParticipatie, Code: "17/PA", Status: process.StatusWerkdiagnose, DossierOwner: fakeKlantmanager.ID,
		DossierOwnerName: fakeKlantmanager.Name, Version: 3}, ClientName: "Noor de Vries", NextDue: fakeNow.AddDate(0, 0, 3)},
		Deadline: process.DeadlineSoon, DeadlineLabel: process.DeadlineLabels[process.DeadlineSoon]}
	return casework.TeamCaseload{Count: 1,
		Groups: []casework.OwnerGroup{{Owner: fakeKlantmanager, Name: fakeKlantmanager.Name, Dossiers: []casework.DossierView{row}}},
		Owners: []casework.Candidate{{User: fakeKlantmanager, Caseload: 1}},
		Teams:  []process.Team{{Key: process.TeamWerkdiagnose, Name: "Klantmanagers Werkdiagnose"}},
		Options: map[string][]process.Option{
			process.SourceDossiers:      {{Value: "21", Label: "Noor de Vries (17/PA, Kim Klantmanager)"}},
			process.SourceKlantmanagers: {{Value: "9", Label: "Kim Klantmanager (Klantmanager Werkdiagnose, 1 dossiers)"}},
		}}
}

// TestFakeTransfer: the team view passes its filters, the transfer form
// passes the chosen dossiers with their versions; a refusal shows the view
// again with the choices kept (422) or the reason (409).
func TestFakeTransfer(t *testing.T) {
	fa := newFakeApp(t, fakeTeamleider, fakeKlantmanager)
	var queries []casework.CaseloadQuery
	fa.svc.TeamDossiersFn = func(_ context.Context, _ casework.Actor, q casework.CaseloadQuery) (casework.TeamCaseload, error) {
		queries = append(queries, q)
		return fa.teamCaseload(), nil
	}
	b := fa.login(fakeTeamleider)
	p := b.get("/dossiers/team?eigenaar=9&team=kmwd")
	expectStatus(t, p, http.StatusOK)
	if len(queries) != 1 || queries[0].OwnerID != 9 || queries[0].Team != process.TeamWerkdiagnose {
		t.Errorf("queries = %+v", queries)
	}
	if a := p.attr("main form[method=post]", "action"); a != "/dossiers/overdragen?eigenaar=9&team=kmwd" {
		t.Errorf("transfer form action %q", a)
	}
	if v := p.attr(`input[name="`+process.DossierVersionField(fakeParticipationID)+`"]`, "value"); v != "3" {
		t.Errorf("dossier version in the form = %q", v)
	}
	if p.has(`input[name="dossiers"][checked]`) || !p.has(`caption:contains("Dossiers van Kim Klantmanager (1)")`) {
		t.Error("the team view is not a fresh form with the dossier")
	}
	if !p.has(`nav a[href="/dossiers/team"][aria-current=page]`) {
		t.Error("the navigation does not mark the team view")
	}

	var got []casework.Values
	var answer error
	fa.svc.TransferDossiersFn = func(_ context.Context, a casework.Actor, v casework.Values) (casework.Transfer, error) {
		got = append(got, v)
		if answer != nil {
			return casework.Transfer{}, answer
		}
		return casework.Transfer{To: fakeKlantmanager, Dossiers: 1, Tasks: 2}, nil
	}
	form := url.Values{process.FieldDossiers: {"21"}, process.DossierVersionField(21): {"3"}, process.FieldKM: {"9"}, process.FieldReason: {""}}
	answer = &casework.Error{Code: casework.CodeInvalid, Message: "Het formulier bevat fouten.",
		Fields: casework.Fields{process.FieldReason: "Vul reden van de overdracht in."}}
	p = b.post("/dossiers/overdragen?eigenaar=9&team=kmwd", form)
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if len(got) != 1 || got[0].Get(process.DossierVersionField(21)) != "3" || got[0].Get(process.FieldDossiers) != "21" {
		t.Errorf("transfer got %v", got)
	}
	if !p.has(`input[name="dossiers"][value="21"][checked]`) || p.attr(`#f-klantmanager option[selected]`, "value") != "9" {
		t.Error("the refused transfer does not keep the choices")
	}
	if !strings.Contains(p.text(".wd-error-summary"), "Vul reden van de overdracht in.") || !p.has(`#f-reden[aria-invalid=true]`) {
		t.Errorf("summary %q", p.text(".wd-error-summary"))
	}

	answer = casework.Conflict("Een collega heeft het dossier van Noor de Vries intussen gewijzigd.")
	p = b.post("/dossiers/overdragen", form)
	expectStatus(t, p, http.StatusConflict)
	if !strings.Contains(p.text("#melding"), "intussen gewijzigd") {
		t.Errorf("conflict alert %q", p.text("#melding"))
	}

	answer = nil
	p = b.post("/dossiers/overdragen?eigenaar=9", form)
	expectRedirect(t, p, "/dossiers/team?eigenaar=9")
	if f := b.flash(); !strings.Contains(f, "1 dossier overgedragen aan Kim Klantmanager, met 2 open taken") {
		t.Errorf("flash %q", f)
	}

	// A klantmanager sees "Mijn dossiers", not the team view.
	km := fa.login(fakeKlantmanager)
	fa.svc.MyDossiersFn = func(_ context.Context, a casework.Actor, _ string) (casework.Caseload, error) {
		return casework.Caseload{Dossiers: fa.teamCaseload().Groups[0].Dossiers}, nil
	}
	p = km.get("/dossiers/mijn")
	expectStatus(t, p, http.StatusOK)
	if !p.has(`nav a[href="/dossiers/mijn"]`) || p.has(`nav a[href="/dossiers/team"]`) {
		t.Error("the klantmanager's navigation is wrong")
	}
	if !p.has(`a[href="/klanten/11#participatie"]`) || !strings.Contains(p.text("tbody tr"), "Bijna verlopen") {
		t.Errorf("my dossiers row %q", p.text("tbody tr"))
	}
}

// TestFakeContactChange: a change refused after the 24 hours shows the
// text to copy, the reason, and no submit button.
func TestFakeContactChange(t *testing.T) {
	fa := newFakeApp(t, fakeKlantmanager)
	fa.clientFiles(new(int))
	fa.svc.NoteOptionsFn = func(context.Context, casework.Actor, int64) (map[string][]process.Option, error) {
		return map[string][]process.Option{process.SourceClientCases: {{Value: "21", Label: "17/PA participatie"}}}, nil
	}
	c := casework.ContactMoment{ID: 5, ClientID: fakeClientID, CaseID: 21, Kind: process.ContactVisit, Direction: process.DirectionOut,
		At: fakeNow.Add(-time.Hour), Summary: "Huisbezoek", AuthorID: fakeKlantmanager.ID, Version: 2}
	fa.svc.ContactFn = func(context.Context, casework.Actor, int64, int64) (casework.ContactMoment, error) { return c, nil }
	b := fa.login(fakeKlantmanager)
	p := b.get("/klanten/11/contactmomenten/5/wijzigen")
	expectStatus(t, p, http.StatusOK)
	if fieldValue(p, process.FieldSummary) != "Huisbezoek" || fieldValue(p, process.FieldVersion) != "2" ||
		!p.has(`input[name="soort"][value="bezoek"][checked]`) {
		t.Error("the change form is not filled with the contact moment")
	}
	var version int
	fa.svc.UpdateContactFn = func(_ context.Context, _ casework.Actor, clientID, id int64, v int, _ casework.Values) error {
		version = v
		return &casework.Error{Code: casework.CodeConflict, Message: "Dit contactmoment staat sinds gisteren vast.", Err: casework.ErrFixed}
	}
	vals := url.Values{process.FieldVersion: {"2"}, process.FieldCase: {"21"}, process.FieldSummary: {"Huisbezoek, aangevuld"}}
	p = b.post("/klanten/11/contactmomenten/5/wijzigen", vals)
	expectStatus(t, p, http.StatusConflict)
	if version != 2 || fieldValue(p, process.FieldSummary) != "Huisbezoek, aangevuld" || p.has("main form button[type=submit]") ||
		!strings.Contains(p.text("#melding"), "staat sinds gisteren vast") {
		t.Errorf("refused change: version %d, summary %q, alert %q", version, fieldValue(p, process.FieldSummary), p.text("#melding"))
	}
}
