package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// TestAuditHeadOfRolledBackSavepoint: a row appended inside a savepoint
// that is rolled back is gone, and so is its step of the chain: the next
// row links to the row before it, and the head written at commit is that
// row's.
func TestAuditHeadOfRolledBackSavepoint(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	const day = "2026-12-02"
	entry := func(action string) *casework.AuditEntry {
		return &casework.AuditEntry{Day: day, At: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC), ActorKind: casework.ActorAnonymous,
			Action: action, Channel: "web", Result: casework.AuditAllowed, Status: 200, Address: "127.0.0.1"}
	}
	first, undone, last := entry("eerste"), entry("teruggedraaid"), entry("laatste")
	failed := errors.New("the savepoint's work failed")
	err = db.Update(ctx, func(ctx2 casework.Tx) error {
		tx := ctx2.(*tx)
		if err := tx.AppendAudit(ctx, first); err != nil {
			return err
		}
		if err := tx.atomic(ctx, func() error {
			if err := tx.AppendAudit(ctx, undone); err != nil {
				return err
			}
			return failed
		}); !errors.Is(err, failed) {
			t.Fatalf("atomic: %v", err)
		}
		return tx.AppendAudit(ctx, last)
	})
	if err != nil {
		t.Fatal(err)
	}
	if last.Seq != 2 || last.PrevHash != first.Hash {
		t.Errorf("after the rolled-back row: seq %d, prev %q; want 2 and the first row's hash %q", last.Seq, last.PrevHash, first.Hash)
	}
	err = db.View(ctx, func(ctx2 casework.Tx) error {
		rows, head, err := ctx2.AuditDayEntries(ctx, day)
		if err != nil {
			return err
		}
		if len(rows) != 2 || rows[1].Action != "laatste" || head.Seq != 2 || head.Hash != last.Hash {
			t.Errorf("day: %d rows, head %d %q; want 2 rows and the last row's head", len(rows), head.Seq, head.Hash)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
