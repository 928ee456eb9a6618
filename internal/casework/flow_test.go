package casework_test

import (
	"context"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/demo"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

func forEachEngine(t *testing.T, fn func(t *testing.T, e *casetest.Env)) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) { fn(t, casetest.New(t, engine)) })
	}
}

func steps(f casework.ClientFile) []string {
	var out []string
	for _, t := range f.Tasks {
		out = append(out, string(t.Step)+":"+t.Status)
	}
	return out
}

func TestRouteRegulierGranted(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		app := e.Apply(t)
		e.WalkChoice(t, app, demo.Choice{}, "")
		f := e.File(t, app.ClientID)
		want := []process.StepKey{process.StepIntakeGesprek, process.StepBeoordelingDoelgroep, process.StepAanmeldingParticipatie,
			process.StepVerwerkingAanmelding, process.StepRapportage, process.StepIntakeWerkdiagnose, process.StepBesluit,
			process.StepVerdelenKMWerk, process.StepUitnodigenKennismaking, process.StepStartBegeleiding}
		if len(f.Tasks) != len(want) {
			t.Fatalf("tasks = %v, want %d steps", steps(f), len(want))
		}
		seen := map[process.StepKey]bool{}
		for _, tk := range f.Tasks {
			if tk.Status != casework.TaskDone {
				t.Errorf("task %s is %s, want done", tk.Step, tk.Status)
			}
			seen[tk.Step] = true
		}
		for _, s := range want {
			if !seen[s] {
				t.Errorf("step %s never happened", s)
			}
		}
		if f.Application.Status != process.StatusBesloten || f.Application.DecisionOutcome != process.OutcomeToekenning {
			t.Errorf("application = %s/%s", f.Application.Status, f.Application.DecisionOutcome)
		}
		if f.Participation == nil || f.Participation.Status != process.StatusBegeleiding || f.Participation.Code != "17/PA" {
			t.Fatalf("participation = %+v", f.Participation)
		}
		kmWerk := f.Participation.DossierOwner
		owner, _ := e.Svc.UserByID(context.Background(), kmWerk)
		if !owner.Roles.Has(process.RoleKMWerk) {
			t.Errorf("dossier owner %s is not a KM Werk", owner.Name)
		}
		kinds := map[string]int{}
		for _, m := range f.Messages {
			kinds[m.Kind]++
			if strings.Contains(m.Subject, f.Client.BSN) || strings.Contains(m.Body, f.Client.BSN) {
				t.Errorf("message %q contains the BSN", m.Subject)
			}
		}
		if kinds["E-mail TOP"] != 2 || kinds["Uitnodiging klant"] != 3 {
			t.Errorf("message kinds = %v", kinds)
		}
		if len(f.Trajectories) == 0 || f.Plan == nil || f.Plan.SignedOn.IsZero() {
			t.Errorf("plan/trajectories missing: plan=%v trajectories=%d", f.Plan, len(f.Trajectories))
		}
		if len(f.Events) < 15 {
			t.Errorf("history has %d events", len(f.Events))
		}
	})
}
