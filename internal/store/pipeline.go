package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Pipelining. On PostgreSQL every statement of a transaction costs a round
// trip to the server: the client waits, the server wakes, and both spend
// more time on that than on most of the store's statements. A transaction
// there sends statements whose results it can wait for together, in one
// round trip (pgx's batch, the protocol's pipeline mode): the server still
// runs them one after the other, each seeing what the ones before it
// wrote, and a failing one aborts the transaction as it would alone. Two
// uses:
//
//   - several reads that do not depend on each other's results go together
//     (run with more than one statement, e.g. TaskWithClient);
//   - a write whose outcome the use case can learn later is queued (later)
//     and goes with the transaction's next statement, whatever that is. Its
//     error, if any, is the error of the call that sent it, and the whole
//     transaction rolls back with it, so what ran in between commits
//     nothing.
//
// SQLite runs in process: it has no round trip to save, so there each
// statement runs when it is given, as before.

// stmt is one statement: a read whose rows go to row, or a write (row nil)
// whose count of rows touched goes to touched (when not nil).
type stmt struct {
	query   string // with ? placeholders
	args    []any
	row     func(scanner) error
	touched func(n int64) error
}

// run runs stmts in order, after the queued writes; a write inside a
// read-only View is refused before anything is sent. Where the transaction
// pipelines, they go to the server together, and with its BEGIN when
// nothing was sent before (pgconn.go); touched is called once all have
// run, so it may run statements itself.
func (t *tx) run(ctx context.Context, stmts ...stmt) error {
	for _, s := range stmts {
		if s.row == nil && t.readOnly {
			return errReadOnly
		}
	}
	all := append(t.queued, stmts...)
	t.queued = nil
	if t.conn != nil && (!t.begun || len(all) > 1) {
		return t.pipeline(ctx, all)
	}
	for _, s := range all {
		if err := t.runOne(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// later queues the write s until the transaction's next statement (see
// above); where the transaction does not pipeline, it runs now.
func (t *tx) later(ctx context.Context, s stmt) error {
	if t.readOnly {
		return errReadOnly
	}
	if t.conn == nil {
		return t.runOne(ctx, s)
	}
	t.queued = append(t.queued, s)
	return nil
}

// sendQueued runs the queued writes now: before a statement that cannot go
// in a pipeline (one whose result database/sql returns, a savepoint,
// River's inserts) and before commit.
func (t *tx) sendQueued(ctx context.Context) error {
	if len(t.queued) == 0 {
		return nil
	}
	return t.run(ctx)
}

// runOne runs s through database/sql (run has checked it may).
func (t *tx) runOne(ctx context.Context, s stmt) error {
	if s.row == nil {
		res, err := t.q.ExecContext(ctx, t.d.rebind(s.query), s.args...)
		if err != nil {
			return t.mapErr(err)
		}
		if s.touched == nil {
			return nil
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		return s.touched(n)
	}
	rows, err := t.q.QueryContext(ctx, t.d.rebind(s.query), s.args...)
	if err != nil {
		return t.mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := s.row(rows); err != nil {
			return err
		}
	}
	return t.mapErr(rows.Err())
}

// pipeline sends stmts in one round trip on the transaction's connection,
// through pgx under database/sql (the transaction stays database/sql's:
// River inserts its jobs on it).
func (t *tx) pipeline(ctx context.Context, stmts []stmt) error {
	start := time.Now()
	touched := make([]int64, len(stmts))
	t.begun = true
	err := t.conn.Raw(func(dc any) error {
		c, ok := dc.(*pgConn)
		if !ok {
			return fmt.Errorf("store: no pipeline on a %T connection", dc)
		}
		b := &pgx.Batch{}
		begin := c.queueBegin(b)
		for i, s := range stmts {
			qq := b.Queue(t.d.rebind(s.query), s.args...)
			if s.row == nil {
				qq.Exec(func(ct pgconn.CommandTag) error {
					touched[i] = ct.RowsAffected()
					return nil
				})
				continue
			}
			qq.Query(func(rows pgx.Rows) error {
				for rows.Next() {
					if err := s.row(rows); err != nil {
						return err
					}
				}
				return rows.Err()
			})
		}
		countTrip(ctx)
		br := c.Conn.Conn().SendBatch(ctx, b)
		if begin {
			c.began(br)
		}
		return br.Close()
	})
	t.db.noteStatements(ctx, start, len(stmts))
	if err != nil {
		return t.mapErr(err)
	}
	for i, s := range stmts {
		if s.touched != nil {
			if err := s.touched(touched[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// pipelineConn is the connection a transaction of pool pipelines on: c
// where the dialect pipelines, nil elsewhere.
func (db *DB) pipelineConn(c *sql.Conn) *sql.Conn {
	if !db.d.pipelines() {
		return nil
	}
	return c
}
