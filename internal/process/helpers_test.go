package process_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	p "github.com/bar-organisatie/werkdiagnose/internal/process"
)

// User ids used throughout the tests. Each lives in one team of the default
// policy, so a wrong holder shows up as a wrong number.
const (
	uPoort   int64 = 101 // poortwachter
	uTOP     int64 = 201 // team ondersteuning participatie
	uKMWD    int64 = 301 // klantmanager werkdiagnose
	uKMWD2   int64 = 302 // another klantmanager werkdiagnose (dossier owner)
	uKMWerk  int64 = 401 // klantmanager werk
	uKMWerk2 int64 = 402
	uAG      int64 = 501 // klantmanager AG
	uAG2     int64 = 502
)

func defaultDef(t testing.TB) *p.Definition {
	t.Helper()
	d, err := p.NewDefinition(p.DefaultPolicy())
	if err != nil {
		t.Fatalf("NewDefinition(DefaultPolicy()): %v", err)
	}
	return d
}

// inst builds an Instance. completed maps a step to its completion; fired
// lists FiredKeys.
func inst(tg string, open []p.StepKey, completed map[p.StepKey]p.Completion, fired ...string) p.Instance {
	in := p.Instance{TargetGroup: tg, Open: map[p.StepKey]bool{}, Completed: map[p.StepKey]p.Completion{}, Fired: map[string]bool{}}
	for _, s := range open {
		in.Open[s] = true
	}
	for k, v := range completed {
		in.Completed[k] = v
	}
	for _, f := range fired {
		in.Fired[f] = true
	}
	return in
}

func done(outcome string, holder int64, team string) p.Completion {
	return p.Completion{Outcome: outcome, Holder: holder, Team: team}
}

func fmtTasks(ts []p.NewTask) string {
	if len(ts) == 0 {
		return "(none)"
	}
	var b strings.Builder
	for _, t := range ts {
		fmt.Fprintf(&b, "\n  {Step:%s From:%s Team:%s Holder:%d Message:%q Term:%q Case:%s}", t.Step, t.From, t.Team, t.Holder, t.Message, t.Term, t.Case)
	}
	return b.String()
}

// wantPlan is what a test expects of a plan: its effects by name.
type wantPlan struct {
	Tasks   []p.NewTask
	Effects []p.Effect
	Waiting []p.StepKey
}

func comparePlan(t *testing.T, got p.Plan, want wantPlan) {
	t.Helper()
	if !slices.Equal(got.Tasks, want.Tasks) {
		t.Errorf("Tasks:\n got %s\nwant %s", fmtTasks(got.Tasks), fmtTasks(want.Tasks))
	}
	if !slices.Equal(got.EffectNames(), want.Effects) {
		t.Errorf("Effects: got %v, want %v", got.EffectNames(), want.Effects)
	}
	if !slices.Equal(got.Waiting, want.Waiting) {
		t.Errorf("Waiting: got %v, want %v", got.Waiting, want.Waiting)
	}
}

// cloneInstance deep-copies an instance so a test can check Complete leaves
// its input alone.
func cloneInstance(in p.Instance) p.Instance {
	out := p.Instance{TargetGroup: in.TargetGroup, DossierOwner: in.DossierOwner}
	if in.Open != nil {
		out.Open = map[p.StepKey]bool{}
		for k, v := range in.Open {
			out.Open[k] = v
		}
	}
	if in.Completed != nil {
		out.Completed = map[p.StepKey]p.Completion{}
		for k, v := range in.Completed {
			out.Completed[k] = v
		}
	}
	if in.Fired != nil {
		out.Fired = map[string]bool{}
		for k, v := range in.Fired {
			out.Fired[k] = v
		}
	}
	return out
}

func sameInstance(a, b p.Instance) bool {
	if a.TargetGroup != b.TargetGroup || a.DossierOwner != b.DossierOwner ||
		len(a.Open) != len(b.Open) || len(a.Completed) != len(b.Completed) || len(a.Fired) != len(b.Fired) {
		return false
	}
	for k, v := range a.Open {
		if w, ok := b.Open[k]; !ok || w != v {
			return false
		}
	}
	for k, v := range a.Completed {
		if w, ok := b.Completed[k]; !ok || w != v {
			return false
		}
	}
	for k, v := range a.Fired {
		if w, ok := b.Fired[k]; !ok || w != v {
			return false
		}
	}
	return true
}
