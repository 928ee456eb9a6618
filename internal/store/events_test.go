package store_test

import (
	"fmt"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/store"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// TestAppendEvents: a batch of history lines is stored as one line each,
// in the order given (more than one statement's worth), read back like
// lines appended one by one, and append-only like them.
func TestAppendEvents(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		anna := newUser(t, db, "anna", "Anna")
		cl := newClient(t, db, "111222333", "Jan", "Jansen")
		app := newCase(t, db, cl.ID, process.CaseAanvraag, 0)
		var batch []*casework.Event
		for i := range 450 {
			e := &casework.Event{ClientID: cl.ID, Kind: "stap_afgerond", Summary: fmt.Sprintf("regel %d", i), At: at(1)}
			if i%2 == 0 {
				e.CaseID, e.ActorID, e.ActorName, e.Reason = app.ID, anna.ID, "Anna (toen)", "reden"
			}
			batch = append(batch, e)
		}
		update(t, db, func(tx casework.Tx) error { return tx.AppendEvents(ctx, batch) })
		view(t, db, func(tx casework.Tx) error {
			events, err := tx.EventsByClient(ctx, cl.ID)
			must(t, err)
			if len(events) != len(batch) {
				t.Fatalf("%d events stored, want %d", len(events), len(batch))
			}
			for i, e := range events {
				want := *batch[i]
				want.ID, want.At = e.ID, stored(at(1))
				if i > 0 && e.ID <= events[i-1].ID {
					t.Errorf("event %d: id %d after %d", i, e.ID, events[i-1].ID)
				}
				same(t, fmt.Sprintf("event %d", i), e, want)
			}
			return nil
		})
		update(t, db, func(tx casework.Tx) error { return tx.AppendEvents(ctx, nil) })
	})
}
