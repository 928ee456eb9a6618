package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
)

// Jobs run on River. Both engines go through database/sql, so a job is
// inserted on the very *sql.Tx of the step that causes it (InsertTx) and
// commits or rolls back with it. On SQLite River's riversqlite driver polls;
// on PostgreSQL riverdatabasesql runs the jobs through the same pool and a
// dedicated pgx connection LISTENs for new jobs (NewWithPgxListener). River's
// riverpgxv5 driver would need a pgx.Tx, which the database/sql store does
// not have; riverdatabasesql with a pgx listener gives the same behaviour on
// the store's own transactions.

// driver returns River's driver for the pool, poll-only.
func (db *DB) driver() riverdriver.Driver[*sql.Tx] {
	if db.d.name() == "postgres" {
		return riverdatabasesql.New(db.sql)
	}
	return riversqlite.New(db.sql)
}

// newInserter returns an insert-only River client: it works no jobs.
func (db *DB) newInserter() (*river.Client[*sql.Tx], error) {
	c, err := river.NewClient(db.driver(), &river.Config{Logger: quietLogger()})
	if err != nil {
		return nil, fmt.Errorf("store: job client: %w", err)
	}
	return c, nil
}

// NewJobClient returns a River client that works jobs on this database
// with cfg's queues, workers and periodic jobs. On PostgreSQL it opens one
// extra pgx connection to LISTEN for new jobs; stop returns it. The caller
// starts and stops the client.
func (db *DB) NewJobClient(ctx context.Context, cfg *river.Config) (client *river.Client[*sql.Tx], stop func(), err error) {
	drv := db.driver()
	stop = func() {}
	if db.d.name() == "postgres" {
		pc, err := pgxpool.ParseConfig(db.dsn)
		if err != nil {
			return nil, nil, fmt.Errorf("store: job listener: %w", err)
		}
		pc.MinConns, pc.MaxConns = 0, 1
		pool, err := pgxpool.NewWithConfig(ctx, pc)
		if err != nil {
			return nil, nil, fmt.Errorf("store: job listener: %w", err)
		}
		drv = riverdatabasesql.NewWithPgxListener(db.sql, pool)
		stop = pool.Close
	}
	client, err = river.NewClient(drv, cfg)
	if err != nil {
		stop()
		return nil, nil, fmt.Errorf("store: job client: %w", err)
	}
	return client, stop, nil
}

// migrateJobs creates or updates River's own tables. On PostgreSQL an
// advisory lock keeps instances that start together from migrating at once.
func (db *DB) migrateJobs(ctx context.Context) error {
	if db.d.name() == "postgres" {
		conn, err := db.sql.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		const key = 0x77646a6f62 // "wdjob"
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, key); err != nil {
			return fmt.Errorf("store: job migration lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, key) //nolint:errcheck // released with the session anyway
	}
	m, err := rivermigrate.New(db.driver(), &rivermigrate.Config{Logger: quietLogger()})
	if err != nil {
		return fmt.Errorf("store: job migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("store: migrate job tables: %w", err)
	}
	return nil
}

// insertJob inserts a job on the transaction; it runs after commit.
func (t *tx) insertJob(ctx context.Context, args river.JobArgs, at time.Time) error {
	if t.readOnly {
		return errReadOnly
	}
	if t.jobs == nil || t.sqlTx == nil {
		return fmt.Errorf("store: job %s outside a write transaction", args.Kind())
	}
	// River fills what opts leaves empty (queue, uniqueness) from the
	// args' own InsertOpts; a zero ScheduledAt means now.
	if _, err := t.jobs.InsertTx(ctx, t.sqlTx, args, &river.InsertOpts{ScheduledAt: at}); err != nil {
		return fmt.Errorf("store: insert job %s: %w", args.Kind(), err)
	}
	return nil
}

// JobCount is the number of River jobs of a kind per state, for health
// pages and tests.
func (db *DB) JobCount(ctx context.Context, kind string) (map[rivertype.JobState]int, error) {
	rows, err := db.sql.QueryContext(ctx, db.d.rebind(`SELECT state, COUNT(*) FROM river_job WHERE kind = ? GROUP BY state`), kind)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[rivertype.JobState]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[rivertype.JobState(s)] = n
	}
	return out, rows.Err()
}
