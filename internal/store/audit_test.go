package store_test

import (
	"fmt"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/store"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// TestAuditChainInOneTransaction: rows appended in one transaction (a
// batch of page views) link to each other and to the rows before, per day;
// the transaction reads and locks each day's head once and writes it once
// (one statement to read it, one per row, one to write it back); a later
// transaction goes on from the head it left.
func TestAuditChainInOneTransaction(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		entry := func(day string, n int) *casework.AuditEntry {
			return &casework.AuditEntry{Day: day, At: at(n), ActorKind: casework.ActorAnonymous, Action: fmt.Sprintf("GET /pagina/%d", n),
				Channel: "web", Result: casework.AuditAllowed, Status: 200, Address: "127.0.0.1", TraceID: fmt.Sprintf("trace-%d", n)}
		}
		const today, other = "2026-12-02", "2026-12-01"
		batch := []*casework.AuditEntry{entry(today, 1), entry(today, 2), entry(other, 3), entry(today, 4)}
		qctx, stats := store.WithQueryStats(ctx)
		must(t, db.Update(qctx, func(tx casework.Tx) error {
			for _, e := range batch {
				if err := tx.AppendAudit(qctx, e); err != nil {
					return err
				}
			}
			return nil
		}))
		if want := 2 + len(batch) + 2; stats.Count() != want {
			t.Errorf("%d statements for %d rows of two days, want %d", stats.Count(), len(batch), want)
		}
		later := entry(today, 5)
		update(t, db, func(tx casework.Tx) error { return tx.AppendAudit(ctx, later) })

		view(t, db, func(tx casework.Tx) error {
			for day, want := range map[string][]*casework.AuditEntry{today: {batch[0], batch[1], batch[3], later}, other: {batch[2]}} {
				rows, head, err := tx.AuditDayEntries(ctx, day)
				must(t, err)
				if len(rows) != len(want) {
					t.Fatalf("%s: %d rows, want %d", day, len(rows), len(want))
				}
				prev := ""
				for i, r := range rows {
					if r.Seq != int64(i+1) || r.PrevHash != prev || r.Hash != casework.AuditHash(r) || r.Action != want[i].Action {
						t.Errorf("%s row %d: seq %d, prev %q (want %q), hash ok %v, %s (want %s)", day, i, r.Seq, r.PrevHash, prev,
							r.Hash == casework.AuditHash(r), r.Action, want[i].Action)
					}
					prev = r.Hash
				}
				if head.Seq != int64(len(want)) || head.Hash != prev {
					t.Errorf("%s: head %d %q, want %d and the last row's hash", day, head.Seq, head.Hash, len(want))
				}
			}
			return nil
		})
		// The head still only moves forward: back, or to another hash at
		// the same place, is refused by the database.
		for _, q := range []string{`UPDATE audit_heads SET seq = seq - 1 WHERE day = '` + today + `'`,
			`UPDATE audit_heads SET hash = 'vervalst' WHERE day = '` + today + `'`,
			`UPDATE audit_heads SET day = '2026-11-30' WHERE day = '` + today + `'`} {
			if _, err := db.SQL().ExecContext(ctx, q); err == nil {
				t.Errorf("%s: not refused", q)
			}
		}
	})
}
