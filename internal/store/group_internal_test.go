package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// groupDB is a SQLite store with a table of numbers for the group-commit
// tests, whose queued writers wait at most acquire.
func groupDB(t *testing.T, acquire time.Duration) *DB {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "g.db"), WithPool(0, acquire))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if db.group == nil {
		t.Fatal("SQLite store without group commit")
	}
	if _, err := db.sql.ExecContext(ctx, `CREATE TABLE numbers (n INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	return db
}

// insert writes n into numbers in the transaction.
func insert(ctx context.Context, ct casework.Tx, n int) error {
	_, err := ct.(*tx).exec(ctx, `INSERT INTO numbers (n) VALUES (?)`, n)
	return err
}

// numbers returns the committed numbers in order.
func numbers(t *testing.T, db *DB) []int {
	t.Helper()
	rows, err := db.read.QueryContext(context.Background(), `SELECT n FROM numbers ORDER BY n`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

// queued is the number of write functions waiting for a batch.
func queued(db *DB) int {
	db.group.mu.Lock()
	defer db.group.mu.Unlock()
	return len(db.group.queue)
}

// waitQueued polls until n functions wait.
func waitQueued(t *testing.T, db *DB, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for queued(db) != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d write functions queued, want %d", queued(db), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// blockWriter starts an Update that holds the batch until release is
// closed, and returns once it runs; wait returns its error.
func blockWriter(t *testing.T, db *DB) (release chan struct{}, wait func() error) {
	t.Helper()
	release, running := make(chan struct{}), make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		errc <- db.Update(context.Background(), func(ct casework.Tx) error {
			close(running)
			<-release
			return insert(context.Background(), ct, 0)
		})
	}()
	<-running
	return release, func() error { return <-errc }
}

var errRefused = errors.New("this writer fails")

// TestGroupCommit: writers that queue while another writes are committed
// in one transaction, and each gets what a transaction of its own would
// have given it: the rows of those that succeed are committed, those of a
// writer that fails or panics are not, its error comes back unchanged and
// its panic is raised in its own goroutine.
func TestGroupCommit(t *testing.T) {
	db := groupDB(t, time.Minute)
	release, first := blockWriter(t, db)
	const writers = 30
	errs := make([]error, writers+1)
	panics := make([]any, writers+1)
	var wg sync.WaitGroup
	for n := 1; n <= writers; n++ {
		wg.Go(func() {
			defer func() { panics[n] = recover() }()
			errs[n] = db.Update(context.Background(), func(ct casework.Tx) error {
				if err := insert(context.Background(), ct, n); err != nil {
					return err
				}
				switch n % 3 {
				case 1:
					return fmt.Errorf("writer %d: %w", n, errRefused)
				case 2:
					panic(fmt.Sprintf("writer %d panics", n))
				}
				return nil
			})
		})
	}
	waitQueued(t, db, writers)
	before := db.group.batches.Load()
	close(release)
	wg.Wait()
	if err := first(); err != nil {
		t.Fatal(err)
	}
	if got := db.group.batches.Load() - before; got != 1 {
		t.Errorf("the %d queued writers ran in %d batches, want 1", writers, got)
	}
	want := []int{0}
	for n := 1; n <= writers; n++ {
		switch n % 3 {
		case 0:
			if errs[n] != nil || panics[n] != nil {
				t.Errorf("writer %d: error %v, panic %v; want neither", n, errs[n], panics[n])
			}
			want = append(want, n)
		case 1:
			if !errors.Is(errs[n], errRefused) || panics[n] != nil {
				t.Errorf("writer %d: error %v, panic %v; want its own error", n, errs[n], panics[n])
			}
		case 2:
			if p := fmt.Sprint(panics[n]); p != fmt.Sprintf("writer %d panics", n) {
				t.Errorf("writer %d: panic %q, want its own", n, p)
			}
		}
	}
	if got := numbers(t, db); !slices.Equal(got, want) {
		t.Errorf("committed %v, want %v", got, want)
	}
}

// TestGroupCommitWaits: a writer still queued when the acquire timeout
// passes is told the store is overloaded, and one whose context ends is
// given its context's error; neither function runs, then or later.
func TestGroupCommitWaits(t *testing.T) {
	db := groupDB(t, 200*time.Millisecond)
	release, first := blockWriter(t, db)
	ran := make(chan int, 3)
	write := func(ctx context.Context, n int) error {
		return db.Update(ctx, func(ct casework.Tx) error {
			ran <- n
			return insert(ctx, ct, n)
		})
	}
	if err := write(context.Background(), 1); !errors.Is(err, casework.ErrOverloaded) {
		t.Errorf("queued past the acquire timeout: %v, want %v", err, casework.ErrOverloaded)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- write(ctx, 2) }()
	waitQueued(t, db, 2) // the timed-out writer's place stays until the batch passes it
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("context cancelled while queued: %v, want %v", err, context.Canceled)
	}
	close(release)
	if err := first(); err != nil {
		t.Fatal(err)
	}
	if err := write(context.Background(), 3); err != nil {
		t.Fatal(err)
	}
	close(ran)
	var got []int
	for n := range ran {
		got = append(got, n)
	}
	if !slices.Equal(got, []int{3}) || !slices.Equal(numbers(t, db), []int{0, 3}) {
		t.Errorf("functions run %v, numbers %v; want only 3 run and 0, 3 committed", got, numbers(t, db))
	}
}
