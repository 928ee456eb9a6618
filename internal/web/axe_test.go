package web_test

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/bar-organisatie/werkdiagnose/internal/browsertest"
	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/demo"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// axeViolation is the part of an axe-core result the test reports.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// TestAccessibility runs axe-core (WCAG 2.0/2.1 A and AA rules) in headless
// Chromium on the main pages, including forms showing errors. It is
// skipped with -short, and when Chromium is not installed unless CI is set
// (then it fails).
func TestAccessibility(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped with -short")
	}
	chrome := browsertest.Chromium(t)
	axeJS, err := os.ReadFile("webtest/axe/axe.min.js")
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}

	a := newApp(t)
	app := a.env.Apply(t)
	task := a.env.WalkTo(t, app, "", process.StepIntakeWerkdiagnose)
	f := a.env.File(t, app.ClientID)
	cid := id(app.ClientID)

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chrome), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true))
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 150*time.Second)
	defer cancelTimeout()

	check := func(name string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](string(axeJS))); err != nil {
			t.Fatalf("%s: inject axe: %v", name, err)
		}
		js := `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa']}})
			.then(r => JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
				nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))))`
		out, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s: axe: %v", name, err)
		}
		var vs []axeViolation
		if err := json.Unmarshal([]byte(out), &vs); err != nil {
			t.Fatalf("%s: axe result: %v", name, err)
		}
		for _, v := range vs {
			t.Errorf("%s: %s (%s): %s at %s", name, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "; "))
		}
	}
	base := a.srv.URL
	check("public form", chromedp.Navigate(base+"/aanvraag"))
	check("public form with errors", chromedp.Navigate(base+"/aanvraag"), chromedp.Click(chromedp.CSS("form button[type=submit]")), chromedp.WaitVisible(chromedp.CSS(".wd-error-summary")))
	check("login", chromedp.Navigate(base+"/login"))
	holder := "koen"
	for _, u := range a.env.All {
		if u.ID == task.HolderID {
			holder = u.Username
		}
	}
	check("worklist", chromedp.Navigate(base+"/login"),
		chromedp.SetValue(chromedp.CSS("#f-gebruikersnaam"), holder),
		chromedp.SetValue(chromedp.CSS("#f-wachtwoord"), casetest.Password),
		chromedp.Click(chromedp.CSS("form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#werkvoorraad-tabel")))
	check("team worklist", chromedp.Navigate(base+"/werkvoorraad"))

	// The filter form swaps the table with htmx (under the strict CSP): the
	// page is not reloaded, the URL follows, screen readers hear the count.
	if err := chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`window.wdMarker = 42; document.getElementById('filter-stap').value = 'nug_of_afsluiten'`),
		chromedp.Click(chromedp.CSS("form.wd-filter button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#werkvoorraad-status:not(:empty)"), chromedp.NodeReady)); err != nil {
		t.Fatalf("htmx filter: %v", err)
	}
	state, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[window.wdMarker, location.search, document.getElementById('werkvoorraad-status').textContent, document.querySelector('#werkvoorraad-tabel caption').textContent, htmx.config.includeIndicatorStyles, document.querySelectorAll('style').length].join('|')`))
	if err != nil {
		t.Fatal(err)
	}
	if parts := strings.Split(state, "|"); len(parts) != 6 || parts[0] != "42" || parts[4] != "false" || parts[5] != "0" || !strings.Contains(parts[1], "stap=nug_of_afsluiten") || !strings.Contains(parts[2], "0 taken") || !strings.Contains(parts[3], "gefilterd") {
		t.Errorf("htmx filter: marker|search|status|caption = %q", state)
	}
	check("case page", chromedp.Navigate(base+"/klanten/"+cid))
	check("task page", chromedp.Navigate(base+"/taken/"+id(task.ID)))
	check("task with errors", chromedp.Navigate(base+"/taken/"+id(task.ID)), chromedp.Click(chromedp.CSS(`form[action="/taken/`+id(task.ID)+`"] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(".wd-error-summary")))
	check("plan form", chromedp.Navigate(base+"/dossiers/"+id(f.Participation.ID)+"/plan?klant="+cid))
	check("follow-up form with errors", chromedp.Navigate(base+"/dossiers/"+id(f.Participation.ID)+"/afspraken/nieuw?klant="+cid),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")), chromedp.WaitVisible(chromedp.CSS(".wd-error-summary")))
	// Moving an appointment: the form filled in, and refused with errors.
	var km casework.User
	for _, u := range a.env.All {
		if u.ID == task.HolderID {
			km = u
		}
	}
	slot := url.Values{"datum": {nextWorkday(a.env.Clock.Now())}, "tijd": {"14:00"}, "duur": {"30"}, "spreekkamer": {"sk1"}}
	if err := a.env.Svc.PlanFollowUp(ctx, casework.Actor{User: km}, f.Participation.ID, slot); err != nil {
		t.Fatalf("plan follow-up: %v", err)
	}
	var apID int64
	for _, ap := range a.env.File(t, app.ClientID).Appointments {
		if ap.Kind == process.AppointmentVervolg {
			apID = ap.ID
		}
	}
	move := base + "/afspraken/" + id(apID) + "/verplaatsen?klant=" + cid
	check("move appointment form", chromedp.Navigate(move))
	check("move appointment with errors", chromedp.Navigate(move), chromedp.SetValue(chromedp.CSS("#f-datum"), "31-02-2027"),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")), chromedp.WaitVisible(chromedp.CSS(".wd-error-summary")))
	check("my worklist with the digest choice", chromedp.Navigate(base+"/werkvoorraad/mijn"), chromedp.WaitVisible(chromedp.CSS("#f-dagoverzicht")))
	// A client outside the klantmanager's work: "Reden om in te zien".
	other := a.env.Apply(t)
	reason := base + "/klanten/" + id(other.ClientID)
	check("reason form", chromedp.Navigate(reason), chromedp.WaitVisible(chromedp.CSS("#f-reden")))
	check("reason form with errors", chromedp.Navigate(reason), chromedp.Click(chromedp.CSS("main form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".wd-error-summary")))
	check("process", chromedp.Navigate(base+"/proces"))
	check("not found", chromedp.Navigate(base+"/bestaat-niet"))
	check("accessibility statement", chromedp.Navigate(base+"/toegankelijkheid"))

	// The functioneel beheerder's retention and export pages: a refused
	// client ten years on is due, proposed, and shown in its dry run.
	refused := a.env.Apply(t)
	a.env.WalkChoice(t, refused, demo.Choice{Decision: process.OutcomeGeenToekenning, NUG: process.OutcomeAfsluiten}, "")
	bram := a.env.Users[process.RoleBeheerder]
	check("export form", chromedp.Navigate(base+"/proces"),
		chromedp.Click(chromedp.CSS(`form[action="/uitloggen"] button`)),
		chromedp.WaitVisible(chromedp.CSS("#f-gebruikersnaam")),
		chromedp.Navigate(base+"/login"),
		chromedp.SetValue(chromedp.CSS("#f-gebruikersnaam"), bram.Username),
		chromedp.SetValue(chromedp.CSS("#f-wachtwoord"), casetest.Password),
		chromedp.Click(chromedp.CSS("form button[type=submit]")),
		// The functioneel beheerder's second step: the authenticator code.
		chromedp.WaitVisible(chromedp.CSS("#f-code")),
		chromedp.SetValue(chromedp.CSS("#f-code"), a.env.TOTPCode(t)),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/beheer/inzage"]`)),
		chromedp.Navigate(base+"/beheer/inzage"))
	check("export form with errors", chromedp.Navigate(base+"/beheer/inzage"), chromedp.Click(chromedp.CSS("main form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".wd-error-summary")))
	check("export page", chromedp.Navigate(base+"/beheer/inzage"),
		chromedp.SetValue(chromedp.CSS("#f-klantnummer"), cid),
		chromedp.SetValue(chromedp.CSS("#f-verzoek"), "verzoek 12-03-2027, kenmerk Z-1"),
		chromedp.Click(chromedp.CSS(`input[value="html"]`)),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("main h2")))
	a.env.Clock.Add(10*366*24*time.Hour + 24*time.Hour)
	if _, err := a.env.Svc.RunRetention(ctx); err != nil {
		t.Fatal(err)
	}
	check("audit log", chromedp.Navigate(base+"/beheer/audit"))
	check("audit log with errors", chromedp.Navigate(base+"/beheer/audit?van=gisteren"))
	check("register of processing activities", chromedp.Navigate(base+"/beheer/verwerkingen"))
	check("retention page", chromedp.Navigate(base+"/beheer/vernietiging"))
	runID, err := a.env.Svc.ProposeDestruction(ctx, casework.Actor{User: bram})
	if err != nil {
		t.Fatal(err)
	}
	check("destruction dry run", chromedp.Navigate(base+"/beheer/vernietiging/"+id(runID)))
}
