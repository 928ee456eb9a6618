package web_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/alexedwards/scs/v2"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/web"
)

// stepVerzoek is a step that is not in the pilot: a request to complete
// the application (Awb 4:5) between the intake and the assessment.
const stepVerzoek process.StepKey = "verzoek_om_aanvulling"

// withVerzoek is the pilot with one extra entry in the definition and the
// intake's transition pointed at it. It uses only checks and effects that
// exist: nothing else in the code knows the step.
func withVerzoek(t *testing.T) *process.Definition {
	t.Helper()
	steps := process.PilotSteps()
	for i := range steps {
		if steps[i].Key == process.StepIntakeGesprek {
			steps[i].Transitions = []process.Transition{{Next: stepVerzoek, Holder: process.HolderSame}}
		}
	}
	steps = append(steps, process.Step{
		Key: stepVerzoek, Title: "Verzoek om aanvulling", Lane: "Poort", Team: process.TeamPoort,
		Case: process.CaseAanvraag, Term: process.TermDecision,
		Source: "Poortwachter vraagt de klant om ontbrekende stukken, met een termijn",
		Form: process.Form{Fields: []process.Field{
			{Name: "verzoek_datum", Label: "Datum van het verzoek", Kind: process.KindDate, Required: true},
			{Name: "gevraagd", Label: "Gevraagde stukken", Kind: process.KindTextarea, Required: true, Help: "Zet hier geen BSN in."},
			{Name: "termijn_tot", Label: "Aanleveren uiterlijk", Kind: process.KindDate, Required: true},
			{Name: "kanaal_verzoek", Label: "Verzonden per", Kind: process.KindRadio, Required: true,
				Options: []process.Option{{Value: "post", Label: "Post"}, {Value: "mail", Label: "E-mail"}}},
		}, Checks: []process.Check{
			{Name: process.CheckNotFuture, Field: "verzoek_datum"},
			{Name: process.CheckNotBeforeReceipt, Field: "verzoek_datum"},
			{Name: process.CheckInFuture, Field: "termijn_tot"},
			{Name: process.CheckNoBSN, Field: "gevraagd"},
		}},
		Transitions: []process.Transition{{Next: process.StepBeoordelingDoelgroep, Holder: process.HolderSame}},
	})
	def, err := process.Build("Pilot Werkdiagnose met verzoek om aanvulling", process.StepIntakeGesprek, process.DefaultPolicy(), steps)
	if err != nil {
		t.Fatalf("definition with the extra step: %v", err)
	}
	return def
}

// TestExtraStepIsOneEntryInTheDefinition adds a step to the definition and
// walks it through the service (the demo walker fills its form from the
// field kinds) and through the HTML form: rendered from the definition,
// refused with Dutch messages and the input kept, completed, and followed
// by the next step of the definition.
func TestExtraStepIsOneEntryInTheDefinition(t *testing.T) {
	def := withVerzoek(t)
	if bad, err := process.Build("kapot", process.StepIntakeGesprek, process.DefaultPolicy(),
		append(process.PilotSteps(), process.Step{Key: "x", Title: "X", Case: process.CaseAanvraag,
			Form: process.Form{Checks: []process.Check{{Name: process.CheckNotFuture, Field: "bestaat_niet"}}}})); err == nil {
		t.Fatalf("a check on a field outside the form was accepted: %v", bad.Version)
	} else if !strings.Contains(err.Error(), `step "x"`) || !strings.Contains(err.Error(), "bestaat_niet") {
		t.Errorf("definition error does not say where: %v", err)
	}

	t.Run("service", func(t *testing.T) {
		env := casetest.NewWithDefinition(t, "sqlite", def)
		app := env.Apply(t)
		task := env.WalkTo(t, app, "", stepVerzoek)
		tp, err := env.Svc.TaskPage(t.Context(), env.Actor(process.RolePoortwachter), task.ID)
		if err != nil {
			t.Fatal(err)
		}
		if tp.Step.Title != "Verzoek om aanvulling" || len(tp.Form.Fields) != 4 {
			t.Fatalf("task page step %q with %d fields", tp.Step.Title, len(tp.Form.Fields))
		}
		// The walker fills the new form by its kinds and the route goes on.
		next := env.WalkTo(t, app, "", process.StepBeoordelingDoelgroep)
		if next.FromStep != stepVerzoek {
			t.Errorf("beoordeling came from %q, want %q", next.FromStep, stepVerzoek)
		}
		f := env.File(t, app.ClientID)
		var rec *casework.StepRecord
		for i := range f.Records {
			if f.Records[i].Step == stepVerzoek {
				rec = &f.Records[i]
			}
		}
		if rec == nil || rec.Fields["verzoek_datum"] == "" || rec.Fields["kanaal_verzoek"] == "" {
			t.Fatalf("record of the new step = %+v", rec)
		}
		items := env.Svc.RecordItems(f, *rec)
		if len(items) != 4 || items[3].Label != "Verzonden per" || (items[3].Value != "Post" && items[3].Value != "E-mail") {
			t.Errorf("record shown as %+v", items)
		}
	})

	t.Run("html", func(t *testing.T) {
		env := casetest.NewWithDefinition(t, "sqlite", def)
		srv := httptest.NewServer(web.New(env.Svc, scs.New(), slog.New(slog.DiscardHandler), web.Options{}))
		t.Cleanup(srv.Close)
		a := &app{t: t, env: env, srv: srv}
		app := env.Apply(t)
		task := env.WalkTo(t, app, "", stepVerzoek)
		b := a.holderLogin(task)

		p := b.get("/taken/" + id(task.ID))
		expectStatus(t, p, http.StatusOK)
		if h := p.text("h1"); !strings.Contains(h, "Verzoek om aanvulling") {
			t.Errorf("heading %q", h)
		}
		for _, f := range []string{"verzoek_datum", "gevraagd", "termijn_tot"} {
			if !p.has(`label[for="f-`+f+`"]`) || !p.has(`[name="`+f+`"][aria-required="true"]`) {
				t.Errorf("field %s is not rendered with a label as required", f)
			}
		}
		if n := p.doc.Find(`input[type="radio"][name="kanaal_verzoek"]`).Length(); n != 2 {
			t.Errorf("%d radio buttons for kanaal_verzoek, want 2", n)
		}

		today := env.Clock.Now()
		bad := url.Values{process.FieldVersion: {strconv.Itoa(task.Version)},
			"verzoek_datum":  {casework.FormatDate(process.AddDays(today, 3))},
			"gevraagd":       {"Bankafschriften; BSN 111222333 van de partner"},
			"termijn_tot":    {casework.FormatDate(today)},
			"kanaal_verzoek": {"post"}}
		p = b.post("/taken/"+id(task.ID), bad)
		expectStatus(t, p, http.StatusUnprocessableEntity)
		for field, want := range map[string]string{
			"verzoek_datum": "niet in de toekomst",
			"gevraagd":      "geen BSN",
			"termijn_tot":   "in de toekomst",
		} {
			if got := p.text("#f-" + field + "-fout"); !strings.Contains(got, want) {
				t.Errorf("message for %s = %q, want it to contain %q", field, got, want)
			}
		}
		if got := p.text(`textarea[name="gevraagd"]`); got != bad.Get("gevraagd") {
			t.Errorf("typed text not kept: %q", got)
		}

		good := url.Values{process.FieldVersion: {strconv.Itoa(task.Version)},
			"verzoek_datum":  {casework.FormatDate(today)},
			"gevraagd":       {"Bankafschriften van de laatste drie maanden."},
			"termijn_tot":    {casework.FormatDate(process.AddDays(today, 14))},
			"kanaal_verzoek": {"post"}}
		expectRedirect(t, b.post("/taken/"+id(task.ID), good), "/")
		next := openTask(t, env, app.ClientID, process.StepBeoordelingDoelgroep)
		if next.FromStep != stepVerzoek || next.HolderID != task.HolderID && task.HolderID != 0 {
			t.Errorf("next task %+v", next)
		}
	})
}
