package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/bar-organisatie/werkdiagnose/internal/store"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// TestSessionTouch: scs rewrites a session on every request to move its
// idle timeout; a rewrite with the same data that moves the expiry by less
// than SessionTouchInterval runs no statement, any other does.
func TestSessionTouch(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := db.SessionStore()
		deadline := time.Now().Add(10 * time.Hour)
		values := map[string]any{"user_id": int64(7), "a": "x", "b": "y", "c": 3, "d": true}
		enc := func(v map[string]any) []byte {
			b, err := scs.GobCodec{}.Encode(deadline, v)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		statements := func(b []byte, expiry time.Time) int {
			t.Helper()
			ctx, stats := store.WithQueryStats(context.Background())
			if err := s.CommitCtx(ctx, "tok", b, expiry); err != nil {
				t.Fatal(err)
			}
			return stats.Count()
		}
		now := time.Now()
		for _, tc := range []struct {
			what   string
			data   map[string]any
			expiry time.Time
			want   int
		}{
			{"first write", values, now.Add(time.Hour), 1},
			// The same values encode in another order now and then: still the same.
			{"same data, 10 s later", values, now.Add(time.Hour + 10*time.Second), 0},
			{"same data, 50 s later", values, now.Add(time.Hour + 50*time.Second), 0},
			{"changed data", map[string]any{"user_id": int64(7), "flash": "Opgeslagen"}, now.Add(time.Hour + 55*time.Second), 1},
			{"same data again", map[string]any{"user_id": int64(7), "flash": "Opgeslagen"}, now.Add(time.Hour + 56*time.Second), 0},
			{"same data, 2 min after the last write", map[string]any{"user_id": int64(7), "flash": "Opgeslagen"}, now.Add(time.Hour + 3*time.Minute), 1},
		} {
			if got := statements(enc(tc.data), tc.expiry); got != tc.want {
				t.Errorf("%s: %d statements, want %d", tc.what, got, tc.want)
			}
		}
		// After a delete the next commit writes again.
		if err := s.Delete("tok"); err != nil {
			t.Fatal(err)
		}
		b := enc(values)
		if got := statements(b, now.Add(time.Hour)); got != 1 {
			t.Errorf("commit after delete: %d statements, want 1", got)
		}
		if got, found, err := s.Find("tok"); err != nil || !found || string(got) != string(b) {
			t.Errorf("find after commit: found %v, err %v", found, err)
		}
	})
}
