package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// Group commit. SQLite writes on one connection, so write transactions run
// one after the other, and with synchronous=NORMAL most of a commit is
// writing every page the transaction touched to the WAL: some twenty for a
// step, most of them the pages of the same few indexes the next step
// touches again. Where the dialect asks for it (groupCommit), Update
// therefore queues its function, and one goroutine at a time runs the
// queued functions in one transaction, each in a savepoint of its own, and
// commits them together:
//
//   - a function that fails is rolled back to its savepoint; the others
//     commit, so each caller sees exactly what a transaction of its own
//     would have given it;
//   - no caller hears back before the commit, so a nil error still means
//     committed, and a failed commit fails every function of the batch;
//   - statements run without the caller's cancellation (once a function
//     runs it finishes; SQLite would roll back the whole transaction when
//     interrupted in a write), and a caller whose context ends, or that is
//     still queued after the acquire timeout, is dropped before its turn
//     (casework.ErrOverloaded for the timeout, as a pool without a free
//     connection answers);
//   - a panic in a function rolls back its savepoint and is raised again in
//     the caller's goroutine.
//
// When nobody else writes, a batch is the one function: the same work as
// before, plus a savepoint.

// maxBatch bounds the functions committed together, so that a caller waits
// at most for a bounded batch ahead of its own.
const maxBatch = 64

// group is the queue of write functions of a DB that commits in groups.
type group struct {
	mu      sync.Mutex
	queue   []*groupReq
	leading bool         // a goroutine is running batches
	batches atomic.Int64 // batches run, for tests
}

// groupReq is one Update waiting for its batch.
type groupReq struct {
	ctx   context.Context
	fn    func(casework.Tx) error
	state atomic.Int32 // reqQueued until a batch takes it or its caller gives up
	err   error
	panic any
	done  chan struct{}
}

const (
	reqQueued int32 = iota
	reqTaken
	reqDropped
)

// updateGrouped is Update for a DB that commits in groups.
func (db *DB) updateGrouped(ctx context.Context, fn func(casework.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := &groupReq{ctx: ctx, fn: fn, done: make(chan struct{})}
	g := db.group
	g.mu.Lock()
	g.queue = append(g.queue, r)
	if !g.leading {
		g.leading = true
		go db.lead()
	}
	g.mu.Unlock()

	timeout := time.NewTimer(db.acquire)
	defer timeout.Stop()
	select {
	case <-r.done:
	case <-timeout.C:
		if r.state.CompareAndSwap(reqQueued, reqDropped) {
			return fmt.Errorf("store: Update: %w: not begun within %s", casework.ErrOverloaded, db.acquire)
		}
		<-r.done
	case <-ctx.Done():
		if r.state.CompareAndSwap(reqQueued, reqDropped) {
			return ctx.Err()
		}
		<-r.done
	}
	if r.panic != nil {
		panic(r.panic)
	}
	return r.err
}

// lead runs batches until the queue is empty.
func (db *DB) lead() {
	g := db.group
	for {
		g.mu.Lock()
		n := min(len(g.queue), maxBatch)
		if n == 0 {
			g.leading = false
			g.mu.Unlock()
			return
		}
		batch := g.queue[:n:n]
		g.queue = g.queue[n:]
		g.mu.Unlock()
		g.batches.Add(1)
		db.runBatch(batch)
	}
}

// runBatch runs the functions of batch whose callers still wait in one
// transaction and answers each of them after it ended.
func (db *DB) runBatch(batch []*groupReq) {
	taken := make([]*groupReq, 0, len(batch))
	for _, r := range batch {
		if r.state.CompareAndSwap(reqQueued, reqTaken) {
			taken = append(taken, r)
		}
	}
	if len(taken) == 0 {
		return
	}
	defer func() {
		for _, r := range taken {
			close(r.done)
		}
	}()
	ctx := context.Background()
	sqlTx, c, err := db.begin(ctx, db.sql, nil)
	if err != nil {
		for _, r := range taken {
			r.err = fmt.Errorf("store: Update: begin: %w", err)
		}
		return
	}
	defer c.Close()
	defer sqlTx.Rollback() //nolint:errcheck // no-op after Commit
	q := db.observe(uncancelled{sqlTx})
	// abort fails every function of the batch that has no error of its
	// own: the transaction is lost.
	abort := func(err error) {
		for _, r := range taken {
			if r.err == nil {
				r.err = fmt.Errorf("store: Update: batch of %d rolled back: %w", len(taken), err)
			}
		}
	}
	for _, r := range taken {
		if _, err := sqlTx.ExecContext(ctx, "SAVEPOINT grp"); err != nil {
			abort(fmt.Errorf("savepoint: %w", err))
			return
		}
		r.panic, r.err = catch(func() error { return db.write(context.WithoutCancel(r.ctx), q, sqlTx, nil, r.fn) })
		if r.err != nil || r.panic != nil {
			if _, err := sqlTx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT grp"); err != nil {
				abort(fmt.Errorf("rollback to savepoint: %w", err))
				return
			}
		}
		if _, err := sqlTx.ExecContext(ctx, "RELEASE SAVEPOINT grp"); err != nil {
			abort(fmt.Errorf("release savepoint: %w", err))
			return
		}
	}
	if err := sqlTx.Commit(); err != nil {
		for _, r := range taken {
			if r.err == nil && r.panic == nil {
				r.err = fmt.Errorf("store: Update: commit: %w", db.mapErr(err))
			}
		}
	}
}

// catch calls fn, catching a panic to raise again in the caller.
func catch(fn func() error) (p any, err error) {
	defer func() {
		if v := recover(); v != nil {
			p = v
		}
	}()
	return nil, fn()
}

// uncancelled runs each statement without its context's cancellation
// (keeping its values, such as the query statistics): a write interrupted
// in a batch would roll back the functions of other callers too.
type uncancelled struct{ q querier }

func (u uncancelled) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return u.q.ExecContext(context.WithoutCancel(ctx), query, args...)
}

func (u uncancelled) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return u.q.QueryContext(context.WithoutCancel(ctx), query, args...)
}

func (u uncancelled) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return u.q.QueryRowContext(context.WithoutCancel(ctx), query, args...)
}
