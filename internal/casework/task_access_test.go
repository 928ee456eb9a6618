package casework

import (
	"context"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// accessTx answers ClientAccess with acc and counts the calls; it has no
// other method.
type accessTx struct {
	AccessTx
	acc   ClientAccess
	calls int
}

func (c *accessTx) ClientAccess(context.Context, AccessQuery) (ClientAccess, error) {
	c.calls++
	return c.acc, nil
}

// TestSeeTaskClient: a task on the actor's own worklist, or held by them,
// shows need-to-know by itself and the store is not asked; any other task
// leaves the answer to the store's query, refusals included.
func TestSeeTaskClient(t *testing.T) {
	ctx := context.Background()
	s := &core{clock: NewManualClock(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)),
		def: &process.Definition{Policy: process.DefaultPolicy()}}
	poort := Actor{User: User{ID: 7, Name: "Pieter", Roles: process.Roles{process.RolePoortwachter}}}
	km := Actor{User: User{ID: 9, Name: "Koen", Roles: process.Roles{process.RoleKMWerk}}}
	open := Task{ID: 1, ClientID: 3, Team: "poort", Status: TaskOpen}
	done := open
	done.Status = TaskDone
	heldByKM := open
	heldByKM.HolderID = km.User.ID
	for _, c := range []struct {
		name      string
		who       Actor
		task      Task
		store     ClientAccess // what the store finds
		asked, ok bool
	}{
		{"own team's open task", poort, open, ClientAccess{}, false, true},
		{"own team's task held by a colleague", poort, heldByKM, ClientAccess{}, false, true},
		{"own team's finished task, no other fact", poort, done, ClientAccess{}, true, false},
		{"own team's finished task, worked on lately", poort, done, ClientAccess{Worked: true}, true, true},
		{"another team's task", km, open, ClientAccess{}, true, false},
		{"another team's task the actor holds", km, heldByKM, ClientAccess{}, false, true},
		{"another team's task, a grant", km, open, ClientAccess{Grant: true}, true, true},
		{"no user", Actor{User: User{Roles: poort.User.Roles}}, open, ClientAccess{TeamWork: true}, false, false},
	} {
		tx := &accessTx{acc: c.store}
		err := s.seeTaskClient(ctx, tx, c.who, c.task)
		if asked := tx.calls > 0; asked != c.asked || (err == nil) != c.ok {
			t.Errorf("%s: store asked %v, error %v; want asked %v, allowed %v", c.name, asked, err, c.asked, c.ok)
		}
		if err != nil && ErrorCode(err) != CodeForbidden {
			t.Errorf("%s: error %v, want a refusal", c.name, err)
		}
	}
}
