package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// The two cycles beside the steps in the browser: the Poortwachter
// records a voorschot from the task its signal put on the worklist, and
// the klantmanager records the evaluation of a plan van aanpak.

const (
	stVoorschot = "Voorschot beoordelen"
	stEvalueren = "Plan van aanpak evalueren"
	// Day 28 after the harness's first application (1 March 2027) is
	// Tweede Paasdag: the term ends the next day (Algemene termijnenwet).
	voorschotDue = "30-03-2027"
)

// fireSignal fires the planned signal of kind on the case, as the worker
// does at its time, moving the clock there.
func (h *harness) fireSignal(caseID int64, kind string) casework.Reminder {
	h.t.Helper()
	ctx := context.Background()
	var r casework.Reminder
	err := h.env.DB.View(ctx, func(tx casework.Tx) error {
		rs, err := tx.ListReminders(ctx, casework.ReminderFilter{CaseID: caseID, Status: casework.ReminderPlanned})
		for _, x := range rs {
			if x.Kind == kind {
				r = x
			}
		}
		return err
	})
	if err != nil || r.ID == 0 {
		h.t.Fatalf("e2e: no planned %s signal on case %d: %v", kind, caseID, err)
	}
	if now := h.env.Clock.Now(); now.Before(r.SendAt) {
		h.env.Clock.Add(r.SendAt.Sub(now))
	}
	if _, err := h.env.Svc.FireReminder(ctx, r.ID); err != nil {
		h.t.Fatalf("e2e: fire %s: %v", kind, err)
	}
	return r
}

// submitAgain submits a task's form shown again after a refusal and
// expects the confirmation. (completeStep reads where the task was opened
// from in the location, which a refused form's page, the answer to a POST,
// does not carry; the form itself does.)
func (u *user) submitAgain(title string) {
	u.h.t.Helper()
	if st := u.submit("Stap afronden"); st != 200 {
		u.fatalf("complete %q: status %d", title, st)
	}
	if flash := u.flash(); !strings.HasPrefix(flash, "Stap afgerond: "+title+".") {
		u.fatalf("complete %q: the confirmation is %q", title, flash)
	}
}

// TestVoorschotAndEvaluation: five working days before day 28 the
// Poortwachter finds "Voorschot beoordelen" on her worklist with its term;
// an amount with a dot before the cents is refused beside the field with
// what was typed kept, "1.234,56" is recorded and shown on the client's
// page. A klantmanager evaluates the plan van aanpak from the task its
// evaluation date brought: what changes is asked for when the plan
// changes, and the client page shows the evaluation and the new, unsigned
// plan version.
func TestVoorschotAndEvaluation(t *testing.T) {
	h := newHarness(t)
	env := h.env

	// ---- voorschot
	app := env.Apply(t)
	name := env.File(t, app.ClientID).Client.Name()
	pwUser := env.Users[process.RolePoortwachter]
	for _, tv := range env.File(t, app.ClientID).OpenTasks() {
		if tv.Step == process.StepIntakeGesprek {
			if err := env.Svc.PickUp(context.Background(), casework.Actor{User: pwUser}, tv.ID, tv.Version); err != nil {
				t.Fatal(err)
			}
		}
	}
	h.fireSignal(app.ID, casework.ReminderVoorschot)

	pw := h.login(pwUser.Username)
	pw.visitOK("/werkvoorraad/mijn")
	if row, ok := pw.row(name, stVoorschot); !ok || !strings.Contains(row, voorschotDue) {
		pw.fatalf("mijn werkvoorraad: want %q for %s due %s; got %q", stVoorschot, name, voorschotDue, row)
	}
	pw.openTaskFromWorklist("/werkvoorraad/mijn", name, stVoorschot)
	pw.contains("main", "art. 52")
	pw.choose("voorschot", "Voorschot verstrekt")
	pw.fill("bedrag", "1234.56")
	pw.fill(process.FieldDate, h.today())
	if st := pw.submit("Stap afronden"); st != 422 {
		pw.fatalf("an amount with a dot before the cents: status %d, want 422", st)
	}
	pw.contains("#foutmeldingen", "komma")
	pw.contains(".wd-field--invalid", "Gebruik een komma voor de centen")
	if got := pw.value("f-bedrag"); got != "1234.56" {
		t.Errorf("the amount typed is not kept: %q", got)
	}
	if got := pw.value("f-" + process.FieldDate); got != h.today() {
		t.Errorf("the date typed is not kept: %q", got)
	}
	pw.fill("bedrag", "1.234,56")
	pw.submitAgain(stVoorschot)
	// The intake of this client is hers too: she lands on it.
	pw.onNextTask("Intakegesprek (telefonisch)")

	pw.visitOK(fmt.Sprintf("/klanten/%d", app.ClientID))
	rows := pw.texts("#voorschotten + div tbody tr")
	if len(rows) != 1 {
		pw.fatalf("voorschotten on the client page: %q, want one row", rows)
	}
	for _, want := range []string{voorschotDue, "Verstrekt", "€ 1.234,56", h.today(), pwUser.Name} {
		if !strings.Contains(rows[0], want) {
			t.Errorf("the voorschot row %q does not show %q", rows[0], want)
		}
	}
	pw.contains("main", "Volgende voorschotdatum: 26-04-2027")
	pw.noBSN()

	// ---- evaluation of the plan van aanpak
	app2 := env.Apply(t)
	env.WalkTo(t, app2, "regulier", "")
	f := env.File(t, app2.ClientID)
	if f.Participation == nil || f.Plan == nil || !f.Participation.Open() {
		t.Fatalf("walker: want an open dossier with a plan")
	}
	name2, version := f.Client.Name(), f.Plan.Version
	signal := h.fireSignal(f.Participation.ID, casework.ReminderEvaluation)
	owner := env.UserByID(t, f.Participation.DossierOwner)

	km := h.login(owner.Username)
	km.visitOK("/werkvoorraad/mijn")
	due := casework.FormatDate(signal.DueOn)
	if row, ok := km.row(name2, stEvalueren); !ok || !strings.Contains(row, due) {
		km.fatalf("mijn werkvoorraad: want %q for %s due %s; got %q", stEvalueren, name2, due, row)
	}
	km.openTaskFromWorklist("/werkvoorraad/mijn", name2, stEvalueren)
	done := "De klant volgde de matching bij Hallo Werk en solliciteerde wekelijks."
	km.fill("gesprek_datum", h.today())
	km.fill("gedaan", done)
	km.choose("plan_aanpassen", "Het plan wordt aangepast")
	if st := km.submit("Stap afronden"); st != 422 {
		km.fatalf("a changed plan without what changes: status %d, want 422", st)
	}
	km.contains(".wd-field--invalid", "Vul in wat er verandert")
	if got := km.value("f-gedaan"); got != done {
		t.Errorf("what was typed is not kept: %q", got)
	}
	changes := "De klant start met een werkervaringsplaats in de logistiek."
	km.fill("wijzigingen", changes)
	km.submitAgain(stEvalueren)
	km.onWorklist("/werkvoorraad/mijn")

	km.visitOK(fmt.Sprintf("/klanten/%d", app2.ClientID))
	evals := km.texts("#evaluaties + ul > li")
	if len(evals) != 1 {
		km.fatalf("evaluations on the client page: %q, want one", evals)
	}
	for _, want := range []string{h.today(), owner.Name, fmt.Sprintf("plan aangepast, versie %d", version+1), done, changes} {
		if !strings.Contains(evals[0], want) {
			t.Errorf("the evaluation %q does not show %q", evals[0], want)
		}
	}
	km.contains("section[aria-labelledby=participatie]", fmt.Sprintf("Versie %d", version+1), "Nog niet getekend door de klant", "Aangepast na de evaluatie van "+h.today())
	km.noBSN()

	// ---- the changed plan printed for signature, and signed
	km.submit("Plan afdrukken voor handtekening")
	if flash := km.flash(); !strings.Contains(flash, "staat klaar om af te drukken voor de handtekening") {
		km.fatalf("after printing the plan the confirmation is %q", flash)
	}
	km.contains("section[aria-labelledby=participatie]", "Afgedrukt voor handtekening: Plan van aanpak")
	printed := km.linkHref("Plan van aanpak (")
	km.follow("Plan bewerken")
	km.fill(process.FieldSignedOn, h.today())
	km.selectOption(process.FieldSignedDocument, "Plan van aanpak (brief")
	km.submit("Plan opslaan")
	if flash := km.flash(); !strings.Contains(flash, fmt.Sprintf("versie %d", version+2)) {
		km.fatalf("after signing the confirmation is %q", flash)
	}
	km.contains("section[aria-labelledby=participatie]", "Getekend door de klant op "+h.today()+": getekend plan")
	if got := km.linkHref("getekend plan"); got != printed {
		t.Errorf("the signed plan links to %q, want the printed plan %q", got, printed)
	}
}
