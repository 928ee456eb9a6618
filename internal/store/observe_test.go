package store_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/store"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// TestQueryStats: a context with stats counts each statement of View and
// Update; a slow-query log names the store method, never the SQL or its
// arguments.
func TestQueryStats(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			var logged bytes.Buffer
			// Threshold 1ns: every statement is "slow", so each is logged.
			db := storetest.OpenWith(t, engine, store.WithSlowQueryLog(slog.New(slog.NewTextHandler(&logged, nil)), 1))
			ctx, stats := store.WithQueryStats(context.Background())
			if again, same := store.WithQueryStats(ctx); again != ctx || same != stats {
				t.Fatal("a context with stats got new ones")
			}
			err := db.View(ctx, func(tx casework.Tx) error {
				_, err := tx.UserByUsername(ctx, "niemand-secret-name")
				if !errors.Is(err, casework.ErrNotFound) {
					t.Errorf("UserByName: %v, want ErrNotFound", err)
				}
				_, err = tx.ListTasks(ctx, casework.TaskFilter{})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := stats.Count(); got != 2 {
				t.Errorf("counted %d statements, want 2", got)
			}
			if stats.Duration() <= 0 {
				t.Errorf("duration %v, want > 0", stats.Duration())
			}
			out := logged.String()
			for _, want := range []string{"slow query", "store.(*tx).UserByUsername", "store.(*tx).ListTasks"} {
				if !strings.Contains(out, want) {
					t.Errorf("slow-query log lacks %q:\n%s", want, out)
				}
			}
			for _, leak := range []string{"niemand-secret-name", "SELECT"} {
				if strings.Contains(out, leak) {
					t.Errorf("slow-query log shows %q:\n%s", leak, out)
				}
			}
		})
	}
}
