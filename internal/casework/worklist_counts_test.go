package casework_test

import (
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// TestWorklistCounts: the navigation's counts a worklist brings are the
// user's own open tasks and those of their teams whatever the list shows,
// also where the list itself is one of them and its total stands in for a
// count (the unfiltered team list, the unfiltered own list).
func TestWorklistCounts(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		pw := e.Actor(process.RolePoortwachter)
		for range 3 {
			e.Apply(t)
		}
		team, err := e.Svc.Worklist(ctx, pw, casework.WorklistQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if len(team.Tasks) < 3 {
			t.Fatalf("%d tasks on the poortwachter's worklist, want at least 3", len(team.Tasks))
		}
		first := team.Tasks[0]
		if err := e.Svc.PickUp(ctx, pw, first.ID, first.Version); err != nil {
			t.Fatal(err)
		}
		mine, all, err := e.Svc.WorklistCounts(ctx, pw)
		if err != nil {
			t.Fatal(err)
		}
		if mine != 1 || all < 3 {
			t.Fatalf("WorklistCounts = %d mine, %d team; want 1 and at least 3", mine, all)
		}
		for _, q := range []casework.WorklistQuery{
			{},                              // the team list: its total is the team count
			{Mine: true},                    // the own list: its total is the own count
			{Holder: "niemand"},             // filtered: both counted
			{Mine: true, Deadline: "bijna"}, // filtered own list
			{Step: string(first.Step)},      // filtered by step
		} {
			w, err := e.Svc.Worklist(ctx, pw, q)
			if err != nil {
				t.Fatal(err)
			}
			if w.CountMine != mine || w.CountTeam != all {
				t.Errorf("%+v: counts %d mine, %d team; want %d and %d", q, w.CountMine, w.CountTeam, mine, all)
			}
		}
	})
}
