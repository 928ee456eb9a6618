package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
)

// QueryStats counts the statements run for one context and the time they
// took; a request carries one (WithQueryStats) so that tests can count a
// page's queries and development builds can report them in Server-Timing.
// It is safe for concurrent use.
type QueryStats struct {
	n     atomic.Int64
	dur   atomic.Int64 // nanoseconds
	trips atomic.Int64
}

type statsKey struct{}

// WithQueryStats returns a context whose statements are counted in the
// returned stats. A context that already carries stats keeps them (a page
// and the use cases it calls count as one).
func WithQueryStats(ctx context.Context) (context.Context, *QueryStats) {
	if s, ok := ctx.Value(statsKey{}).(*QueryStats); ok {
		return ctx, s
	}
	s := &QueryStats{}
	return context.WithValue(ctx, statsKey{}, s), s
}

// Count is the number of statements run so far.
func (s *QueryStats) Count() int { return int(s.n.Load()) }

// RoundTrips is the number of times so far the store sent something to
// a database server and waited for its answer: statements, and the
// BEGIN and COMMIT around them; several at once where they went together
// (pipeline.go). SQLite runs in process: none.
func (s *QueryStats) RoundTrips() int { return int(s.trips.Load()) }

// countTrip counts a round trip for ctx's stats, if it carries them.
func countTrip(ctx context.Context) {
	if s, ok := ctx.Value(statsKey{}).(*QueryStats); ok {
		s.trips.Add(1)
	}
}

// Duration is the time the statements took, until each returned its first
// row (reading further rows is the caller's time).
func (s *QueryStats) Duration() time.Duration { return time.Duration(s.dur.Load()) }

// WithSlowQueryLog logs every statement that takes longer than threshold,
// at warning level, with the store method that ran it and its duration:
// never its text or arguments, which may hold personal data. threshold 0
// logs nothing.
func WithSlowQueryLog(log *slog.Logger, threshold time.Duration) Option {
	return func(db *DB) { db.slowLog, db.slowAfter = log, threshold }
}

// observed is a querier that counts and times each statement.
type observed struct {
	q  querier
	db *DB
}

func (db *DB) observe(q querier) querier { return observed{q: q, db: db} }

func (o observed) done(ctx context.Context, start time.Time) { o.db.noteStatements(ctx, start, 1) }

// noteStatements counts n statements begun at start, sent together, and
// logs them when they were slow.
func (db *DB) noteStatements(ctx context.Context, start time.Time, n int) {
	d := time.Since(start)
	if s, ok := ctx.Value(statsKey{}).(*QueryStats); ok {
		s.n.Add(int64(n))
		s.dur.Add(int64(d))
	}
	if db.slowAfter > 0 && d >= db.slowAfter && db.slowLog != nil {
		db.slowLog.WarnContext(ctx, "slow query", "query", caller(), "engine", db.d.name(), "ms", d.Milliseconds())
	}
}

func (o observed) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	defer o.done(ctx, time.Now())
	return o.q.ExecContext(ctx, query, args...)
}

func (o observed) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	defer o.done(ctx, time.Now())
	return o.q.QueryContext(ctx, query, args...)
}

func (o observed) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	defer o.done(ctx, time.Now())
	return o.q.QueryRowContext(ctx, query, args...)
}

// helpers are this package's functions that run statements for others:
// a slow query is named after the method that called them.
var helpers = []string{".(*tx).exec", ".(*tx).insert", ".(*tx).queryRow", ".(*tx).atomic", ".(*tx).versioned",
	".row.Scan", ".(*tx).run", ".(*tx).later", ".(*tx).sendQueued", ".(*tx).pipeline", ".(*DB).noteStatements",
	".queryAll[", ".queryOne[", ".observed.", ".(*DB).observe"}

// caller names the first function of this package on the stack that is
// not one of its helpers, e.g. "store.(*tx).ListTasks". Only a slow
// statement pays for the stack walk.
func caller() string {
	pcs := make([]uintptr, 16)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(3, pcs)])
	const pkg = "/internal/store."
	for {
		f, more := frames.Next()
		if i := strings.Index(f.Function, pkg); i >= 0 && !isHelper(f.Function) {
			return "store." + f.Function[i+len(pkg):]
		}
		if !more {
			return "store"
		}
	}
}

func isHelper(fn string) bool {
	for _, h := range helpers {
		if strings.Contains(fn, h) {
			return true
		}
	}
	return false
}

// CountCompiles counts, from now on, the statements SQLite compiles on the
// store's connections, the writer's and the readers': each SELECT
// (sub-selects too), INSERT, UPDATE (once per column it sets) and DELETE it
// parses and plans, the first time a connection meets a text or again
// because a bound value changed the plan. Once the statements of a piece
// of work are in the connections' caches, doing that work again should
// compile nothing; TestStatementsCompiledOnce holds steps and pages to
// that. Setting the counter drops the connections' compiled statements
// (SQLite expires them when an authorizer is set). A diagnostic for tests
// and benchmarks; PostgreSQL has no such counter (ok is false).
func (db *DB) CountCompiles(ctx context.Context) (count func() int64, ok bool, err error) {
	if db.d.name() != "sqlite" {
		return nil, false, nil
	}
	n := new(atomic.Int64)
	if err := countCompiles(ctx, db.sql, 1, n); err != nil {
		return nil, false, err
	}
	if db.read != db.sql {
		if err := countCompiles(ctx, db.read, db.maxConns, n); err != nil {
			return nil, false, err
		}
	}
	return n.Load, true, nil
}

// countCompiles sets the counting authorizer on conns connections of
// pool, all held at once so that each is a different one.
func countCompiles(ctx context.Context, pool *sql.DB, conns int, n *atomic.Int64) error {
	held := make([]*sql.Conn, 0, conns)
	defer func() {
		for _, c := range held {
			c.Close()
		}
	}()
	for range conns {
		c, err := pool.Conn(ctx)
		if err != nil {
			return err
		}
		held = append(held, c)
		err = c.Raw(func(dc any) error {
			sc, ok := dc.(*stmtCacheConn)
			if !ok {
				return fmt.Errorf("CountCompiles: connection %T without a statement cache", dc)
			}
			ar, ok := sc.c.(sqlite.AuthorizerRegisterer)
			if !ok {
				return fmt.Errorf("CountCompiles: connection %T without an authorizer", sc.c)
			}
			return ar.RegisterAuthorizer(func(action sqlite.AuthorizerActionCode, _, _, _, _ string) sqlite.AuthorizerReturnCode {
				switch action {
				case sqlite.AuthSelect, sqlite.AuthInsert, sqlite.AuthUpdate, sqlite.AuthDelete:
					n.Add(1)
				}
				return sqlite.AuthorizerOK
			})
		})
		if err != nil {
			return err
		}
	}
	return nil
}
