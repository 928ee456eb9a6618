package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// A request to complete the application from the client's page: the Poort
// sees the buttons, lands on the request's form (today, the policy's
// completion term), gets Dutch messages beside the fields with what was
// typed kept, and after sending sees the provisional due date with the
// suspension on the worklist and the case page. A colleague's start is
// refused with the reason, a KM Werk may not start it at all.
func TestRequestFromTheClientPage(t *testing.T) {
	a := newApp(t)
	env := a.env
	app := env.Apply(t)
	intake := env.WalkTo(t, app, "", process.StepIntakeGesprek)
	cid := id(app.ClientID)
	startReq := "/aanvragen/" + id(app.ID) + "/stappen/" + string(process.StepVerzoekAanvulling)
	startExt := "/aanvragen/" + id(app.ID) + "/stappen/" + string(process.StepVerdagen)

	km := a.loginRole(process.RoleKMWerk)
	if p := km.get("/klanten/" + cid); p.has(`form[action="` + startReq + `"]`) {
		t.Error("a KM Werk is offered the request")
	}
	expectStatus(t, km.post(startReq, url.Values{}), http.StatusForbidden)

	pieter := a.login("pieter")
	p := pieter.get("/klanten/" + cid)
	for _, path := range []string{startReq, startExt} {
		if !p.has(`form[action="` + path + `"] button`) {
			t.Fatalf("no button to %s on the case page", path)
		}
	}
	if got := p.text(`form[action="` + startReq + `"] button`); got != "Verzoek om aanvulling" {
		t.Errorf("button %q", got)
	}
	loc := expectRedirect(t, pieter.post(startReq, url.Values{}), "/taken/")
	if !strings.Contains(loc, "terug=%2Fklanten%2F"+cid) {
		t.Errorf("the task does not return to the client: %s", loc)
	}
	p = pieter.get(loc)
	checkPage(t, "request task", p)
	if h := p.text("h1"); h != "Verzoek om aanvulling" {
		t.Errorf("heading %q", h)
	}
	if got := p.attr(`input[name="verzoek_datum"]`, "value"); got != "01-03-2027" {
		t.Errorf("request date starts at %q", got)
	}
	if got := p.attr(`input[name="aanvullen_uiterlijk"]`, "value"); got != "15-03-2027" {
		t.Errorf("completion term starts at %q", got)
	}
	task := openTask(t, env, app.ClientID, process.StepVerzoekAanvulling)
	bad := url.Values{process.FieldVersion: {id(int64(task.Version))}, "verzoek_datum": {"01-03-2027"},
		"aanvullen_uiterlijk": {"13-03-2027"}, "ontbreekt": {"Loonstroken van januari en februari"}}
	p = pieter.post("/taken/"+id(task.ID), bad)
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if msg := p.text("#f-aanvullen_uiterlijk-fout"); !strings.Contains(msg, "zaterdag") || !strings.Contains(msg, "15-03-2027") {
		t.Errorf("message beside the term: %q", msg)
	}
	if p.attr("#f-aanvullen_uiterlijk", "aria-describedby") == "" || !strings.Contains(p.attr("#f-aanvullen_uiterlijk", "aria-describedby"), "f-aanvullen_uiterlijk-fout") {
		t.Errorf("the message is not linked to its field")
	}
	if got := p.text(`textarea[name="ontbreekt"]`); got != "Loonstroken van januari en februari" {
		t.Errorf("typed text not kept: %q", got)
	}
	good := url.Values{process.FieldVersion: {id(int64(task.Version))}, "verzoek_datum": {"01-03-2027"},
		"aanvullen_uiterlijk": {"15-03-2027"}, "ontbreekt": {"Loonstroken van januari en februari"}}
	expectRedirect(t, pieter.post("/taken/"+id(task.ID), good), "/")

	note := "opgeschort sinds 02-03-2027, loopt door na 15-03-2027"
	p = pieter.get("/werkvoorraad?team=poort")
	checkPage(t, "worklist with a suspended term", p)
	row := p.doc.Find(`tr:has(a[href^="/taken/` + id(intake.ID) + `?"])`)
	if row.Length() != 1 || !strings.Contains(row.Text(), "10-05-2027") || !strings.Contains(row.Text(), note) {
		t.Errorf("worklist row of the intake: %q", strings.Join(strings.Fields(row.Text()), " "))
	}
	if strings.Contains(p.text("main"), "Geen termijn") {
		t.Error("the worklist says Geen termijn")
	}
	p = pieter.get("/klanten/" + cid)
	checkPage(t, "case page with a request", p)
	if want := "uiterlijk 10-05-2027 (" + note + ")"; !strings.Contains(p.text("main"), want) {
		t.Errorf("case page lacks %q", want)
	}
	if !strings.Contains(p.text("#termijn-stappen"), "Beslistermijn verdagen: De beslistermijn is al "+note) {
		t.Errorf("the extension's refusal is not said: %q", p.text("#termijn-stappen"))
	}
	if p.has(`form[action="` + startExt + `"]`) {
		t.Error("the extension is offered while the term is suspended")
	}
	answer := openTask(t, env, app.ClientID, process.StepAanvullingVerwerken)
	if !p.has(`a[href="/taken/` + id(answer.ID) + `"]`) {
		t.Error("no link to Aanvulling verwerken on the case page")
	}

	// A colleague who posts the (stale) button is sent back with the reason.
	fatima := a.login("fatima")
	loc = expectRedirect(t, fatima.post(startExt, url.Values{}), "/klanten/"+cid)
	if p := fatima.get(loc); !strings.Contains(p.text(`[role="status"]`), "al "+note) {
		t.Errorf("refusal after the redirect: %q", p.text(`[role="status"]`))
	}
	if got := env.File(t, app.ClientID).Application.DecisionDue; !got.Equal(process.AddDays(app.AppliedOn, 70)) {
		t.Errorf("decision due %s", casework.FormatDate(got))
	}
}
