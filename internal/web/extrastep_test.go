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

// stepBezoek is a step that is not in the pilot: planning a home visit
// between the intake and the assessment.
const stepBezoek process.StepKey = "huisbezoek_inplannen"

// withBezoek is the pilot with one extra entry in the definition and the
// intake's transition pointed at it. It uses only checks and effects that
// exist: nothing else in the code knows the step.
func withBezoek(t *testing.T) *process.Definition {
	t.Helper()
	steps := process.PilotSteps()
	for i := range steps {
		if steps[i].Key == process.StepIntakeGesprek {
			steps[i].Transitions = []process.Transition{{Next: stepBezoek, Holder: process.HolderSame}}
		}
	}
	steps = append(steps, process.Step{
		Key: stepBezoek, Title: "Huisbezoek inplannen", Lane: "Poort", Team: process.TeamPoort,
		Case: process.CaseAanvraag, Term: process.TermDecision,
		Source: "Poortwachter plant een huisbezoek om de woonsituatie te zien",
		Form: process.Form{Fields: []process.Field{
			{Name: "afgesproken_op", Label: "Datum waarop het bezoek is afgesproken", Kind: process.KindDate, Required: true},
			{Name: "aandachtspunten", Label: "Aandachtspunten", Kind: process.KindTextarea, Required: true, Help: "Zet hier geen BSN in."},
			{Name: "bezoek_op", Label: "Datum van het bezoek", Kind: process.KindDate, Required: true},
			{Name: "aangekondigd_per", Label: "Aangekondigd per", Kind: process.KindRadio, Required: true,
				Options: []process.Option{{Value: "post", Label: "Post"}, {Value: "mail", Label: "E-mail"}}},
		}, Checks: []process.Check{
			{Name: process.CheckNotFuture, Field: "afgesproken_op"},
			{Name: process.CheckNotBeforeReceipt, Field: "afgesproken_op"},
			{Name: process.CheckInFuture, Field: "bezoek_op"},
			{Name: process.CheckNoBSN, Field: "aandachtspunten"},
		}},
		Transitions: []process.Transition{{Next: process.StepBeoordelingDoelgroep, Holder: process.HolderSame}},
	})
	def, err := process.Build("Pilot Werkdiagnose met huisbezoek", process.StepIntakeGesprek, process.DefaultPolicy(), steps)
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
	def := withBezoek(t)
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
		task := env.WalkTo(t, app, "", stepBezoek)
		tp, err := env.Svc.TaskPage(t.Context(), env.Actor(process.RolePoortwachter), task.ID)
		if err != nil {
			t.Fatal(err)
		}
		if tp.Step.Title != "Huisbezoek inplannen" || len(tp.Form.Fields) != 4 {
			t.Fatalf("task page step %q with %d fields", tp.Step.Title, len(tp.Form.Fields))
		}
		// The walker fills the new form by its kinds and the route goes on.
		next := env.WalkTo(t, app, "", process.StepBeoordelingDoelgroep)
		if next.FromStep != stepBezoek {
			t.Errorf("beoordeling came from %q, want %q", next.FromStep, stepBezoek)
		}
		f := env.File(t, app.ClientID)
		var rec *casework.StepRecord
		for i := range f.Records {
			if f.Records[i].Step == stepBezoek {
				rec = &f.Records[i]
			}
		}
		if rec == nil || rec.Fields["afgesproken_op"] == "" || rec.Fields["aangekondigd_per"] == "" {
			t.Fatalf("record of the new step = %+v", rec)
		}
		items := env.Svc.RecordItems(f, *rec)
		if len(items) != 4 || items[3].Label != "Aangekondigd per" || (items[3].Value != "Post" && items[3].Value != "E-mail") {
			t.Errorf("record shown as %+v", items)
		}
	})

	t.Run("html", func(t *testing.T) {
		env := casetest.NewWithDefinition(t, "sqlite", def)
		srv := httptest.NewServer(web.New(env.Svc, scs.New(), slog.New(slog.DiscardHandler), web.Options{}))
		t.Cleanup(srv.Close)
		a := &app{t: t, env: env, srv: srv}
		app := env.Apply(t)
		task := env.WalkTo(t, app, "", stepBezoek)
		b := a.holderLogin(task)

		p := b.get("/taken/" + id(task.ID))
		expectStatus(t, p, http.StatusOK)
		if h := p.text("h1"); !strings.Contains(h, "Huisbezoek inplannen") {
			t.Errorf("heading %q", h)
		}
		for _, f := range []string{"afgesproken_op", "aandachtspunten", "bezoek_op"} {
			if !p.has(`label[for="f-`+f+`"]`) || !p.has(`[name="`+f+`"][aria-required="true"]`) {
				t.Errorf("field %s is not rendered with a label as required", f)
			}
		}
		if n := p.doc.Find(`input[type="radio"][name="aangekondigd_per"]`).Length(); n != 2 {
			t.Errorf("%d radio buttons for aangekondigd_per, want 2", n)
		}

		today := env.Clock.Now()
		bad := url.Values{process.FieldVersion: {strconv.Itoa(task.Version)},
			"afgesproken_op":   {casework.FormatDate(process.AddDays(today, 3))},
			"aandachtspunten":  {"Honden aanwezig; BSN 111222333 van de partner"},
			"bezoek_op":        {casework.FormatDate(today)},
			"aangekondigd_per": {"post"}}
		p = b.post("/taken/"+id(task.ID), bad)
		expectStatus(t, p, http.StatusUnprocessableEntity)
		for field, want := range map[string]string{
			"afgesproken_op":  "niet in de toekomst",
			"aandachtspunten": "geen BSN",
			"bezoek_op":       "in de toekomst",
		} {
			if got := p.text("#f-" + field + "-fout"); !strings.Contains(got, want) {
				t.Errorf("message for %s = %q, want it to contain %q", field, got, want)
			}
		}
		if got := p.text(`textarea[name="aandachtspunten"]`); got != bad.Get("aandachtspunten") {
			t.Errorf("typed text not kept: %q", got)
		}

		good := url.Values{process.FieldVersion: {strconv.Itoa(task.Version)},
			"afgesproken_op":   {casework.FormatDate(today)},
			"aandachtspunten":  {"Honden aanwezig, bel vooraf aan."},
			"bezoek_op":        {casework.FormatDate(process.AddDays(today, 14))},
			"aangekondigd_per": {"post"}}
		expectRedirect(t, b.post("/taken/"+id(task.ID), good), "/")
		next := openTask(t, env, app.ClientID, process.StepBeoordelingDoelgroep)
		if next.FromStep != stepBezoek || next.HolderID != task.HolderID && task.HolderID != 0 {
			t.Errorf("next task %+v", next)
		}
	})
}
