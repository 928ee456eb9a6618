package bench

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/store"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// TestBSNsAreValidAndUnique: the copies' BSNs pass the 11-proef and none
// repeats.
func TestBSNsAreValidAndUnique(t *testing.T) {
	seen := map[string]bool{}
	for p := 20000000; p < 20100000; p++ {
		s := bsnFor(p)
		if s == "" {
			continue
		}
		if !casework.ValidBSN(s) {
			t.Fatalf("bsnFor(%d) = %s, not a valid BSN", p, s)
		}
		if seen[s] {
			t.Fatalf("bsnFor(%d) = %s twice", p, s)
		}
		seen[s] = true
	}
	if len(seen) < 90000 {
		t.Errorf("%d BSNs from 100,000 prefixes, want about 10/11 of them", len(seen))
	}
}

// TestLoadRefusesOtherHosts: the load test and the page timings only
// measure a server on this machine, and refuse before they send anything.
func TestLoadRefusesOtherHosts(t *testing.T) {
	for _, target := range []string{"http://example.org", "http://10.0.0.1:8080", "https://192.168.1.5"} {
		_, err := Load(context.Background(), LoadOptions{DSN: "/nonexistent/x.db", Target: target, Duration: time.Second, Rate: 1})
		if err == nil || !strings.Contains(err.Error(), "not a loopback address") {
			t.Errorf("Load(%s): %v, want a refusal", target, err)
		}
		_, err = Pages(context.Background(), PagesOptions{DSN: "/nonexistent/x.db", Target: target})
		if err == nil || !strings.Contains(err.Error(), "not a loopback address") {
			t.Errorf("Pages(%s): %v, want a refusal", target, err)
		}
	}
	for _, target := range []string{"http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:80"} {
		if err := loopback(target); err != nil {
			t.Errorf("loopback(%s): %v", target, err)
		}
	}
}

// TestQuantile: nearest rank.
func TestQuantile(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 100; i++ {
		ds = append(ds, time.Duration(101-i)*time.Millisecond)
	}
	if q := quantile(ds, 0.5); q != 50*time.Millisecond {
		t.Errorf("p50 %s, want 50ms", q)
	}
	if q := quantile(ds, 0.99); q != 99*time.Millisecond {
		t.Errorf("p99 %s, want 99ms", q)
	}
}

// TestGenerate: the generated clients have unique, valid BSNs and their
// names' search words, every copied row points into its own copy, and the
// open share is about what was asked.
func TestGenerate(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.DSN(t, "sqlite")
	began := time.Now()
	rep, err := Generate(ctx, GenerateOptions{DSN: dsn, Cases: 1500, ClosedTemplates: 2, OpenShare: 0.05, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Cases < 1500 || rep.Clients < 500 {
		t.Fatalf("report %+v, want at least 1,500 cases", rep)
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q := db.SQL()
	rows, err := q.QueryContext(ctx, `SELECT bsn FROM clients`)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for rows.Next() {
		var bsn *string
		if err := rows.Scan(&bsn); err != nil {
			t.Fatal(err)
		}
		if bsn == nil || !casework.ValidBSN(*bsn) || seen[*bsn] {
			t.Fatalf("a client's BSN is missing, invalid or repeated")
		}
		seen[*bsn] = true
	}
	rows.Close()
	for _, c := range []struct{ what, sql string }{
		{"clients without search words", `SELECT COUNT(*) FROM clients c WHERE NOT EXISTS (SELECT 1 FROM client_words w WHERE w.client_id = c.id)`},
		{"tasks of another client's case", `SELECT COUNT(*) FROM tasks t JOIN cases c ON c.id = t.case_id WHERE c.client_id <> t.client_id`},
		{"events of another client's case", `SELECT COUNT(*) FROM events e JOIN cases c ON c.id = e.case_id WHERE c.client_id <> e.client_id`},
		{"step records of a task of another case", `SELECT COUNT(*) FROM step_records s JOIN tasks t ON t.id = s.task_id WHERE t.application_id <> s.application_id`},
		{"broken foreign keys", `SELECT COUNT(*) FROM pragma_foreign_key_check`},
	} {
		var n int
		if err := q.QueryRowContext(ctx, c.sql).Scan(&n); err != nil {
			t.Fatalf("%s: %v", c.what, err)
		}
		if n != 0 {
			t.Errorf("%d %s", n, c.what)
		}
	}
	// The history's reminders whose time had passed are settled, as a
	// running worker would have: the measured server's first sweep finds
	// none of them.
	var due []casework.Reminder
	if err := db.View(ctx, func(tx casework.Tx) error {
		var err error
		due, err = tx.DueReminders(ctx, began, casework.Reminder{}, 10)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var settled int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM reminders WHERE status = ? AND done_at = send_at`, casework.ReminderObsolete).Scan(&settled); err != nil {
		t.Fatal(err)
	}
	if len(due) != 0 || settled == 0 {
		t.Errorf("%d reminders due before the generation began left planned, %d settled by it; want none and some", len(due), settled)
	}
	var open int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(DISTINCT client_id) FROM tasks WHERE status = 'open'`).Scan(&open); err != nil {
		t.Fatal(err)
	}
	// The templates (about 45 of them open) come on top of the copies' 5%.
	if share := float64(open-45) / float64(rep.Clients); share < 0.01 || share > 0.12 {
		t.Errorf("%d of %d clients have open tasks, want about 5%% besides the templates", open, rep.Clients)
	}
}
