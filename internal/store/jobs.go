package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
)

// Jobs run on River. Both engines go through database/sql, so a job is
// inserted on the very *sql.Tx of the step that causes it (InsertTx) and
// commits or rolls back with it. The dialect picks River's driver: one on
// the store's pool for inserting and migrating (jobDriver), and one for the
// clients that work jobs (listeningJobDriver). Which job carries out a
// message is not the store's business: it inserts what the JobArgs given
// to Open builds. Reminders have no job each: the worker's periodic sweep
// reads the due ones (DueReminders).

// JobArgs builds the River job that carries out a durable side effect the
// store writes: the delivery of an outbox message. The job exists exactly
// when its row does, as both are written in one transaction. Arguments
// should hold the id only, never personal data. internal/jobs implements
// it (jobs.Kinds).
type JobArgs interface {
	// Deliver is the delivery of a message; letter says it carries a
	// letter, whose PDF its delivery may have to print first.
	Deliver(messageID int64, letter bool) river.JobArgs
}

// errNoJobs refuses a write that needs a job from a store opened without
// WithJobs.
var errNoJobs = errors.New("no job kinds: open the store with store.WithJobs to write a message to deliver")

// newInserter returns an insert-only River client: it works no jobs.
func (db *DB) newInserter() (*river.Client[*sql.Tx], error) {
	c, err := river.NewClient(db.d.jobDriver(db.sql), &river.Config{Logger: quietLogger()})
	if err != nil {
		return nil, fmt.Errorf("store: job client: %w", err)
	}
	return c, nil
}

// NewJobClient returns a River client that works jobs on this database
// with cfg's queues, workers and periodic jobs. The dialect may open a
// connection of its own to listen for new jobs; stop releases it. The
// caller starts and stops the client.
func (db *DB) NewJobClient(ctx context.Context, cfg *river.Config) (client *river.Client[*sql.Tx], stop func(), err error) {
	defer wrap(&err, "NewJobClient")
	drv, stop, err := db.d.listeningJobDriver(ctx, db.sql, db.dsn)
	if err != nil {
		return nil, nil, err
	}
	client, err = river.NewClient(drv, cfg)
	if err != nil {
		stop()
		return nil, nil, err
	}
	return client, stop, nil
}

// migrateJobs creates or updates River's own tables. Migrate calls it
// under the migration lock.
func (db *DB) migrateJobs(ctx context.Context) error {
	m, err := rivermigrate.New(db.d.jobDriver(db.sql), &rivermigrate.Config{Logger: quietLogger()})
	if err != nil {
		return fmt.Errorf("job migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate job tables: %w", err)
	}
	return nil
}

// withJob runs fn, which writes a row and inserts the job that carries it
// out (insertJob), with no savepoint around them: a savepoint per row cost
// a sixth of a step's time, and none is needed, as every caller returns
// the error of either write and the whole transaction rolls back with it,
// so a row never commits without its job. needed says fn will insert a
// job: then a transaction that cannot insert one is refused before fn
// writes anything.
func (t *tx) withJob(needed bool, fn func() error) error {
	if t.readOnly {
		return errReadOnly
	}
	if needed {
		if t.kinds == nil {
			return errNoJobs
		}
		if t.jobs == nil || t.sqlTx == nil {
			return errors.New("job outside a write transaction")
		}
	}
	return fn()
}

// insertJob inserts on the transaction the job that kind, a method of
// JobArgs such as JobArgs.Deliver, builds for the row id. It runs after
// commit, at at (now when zero).
func (t *tx) insertJob(ctx context.Context, kind func(JobArgs, int64) river.JobArgs, id int64, at time.Time) error {
	if t.readOnly {
		return errReadOnly
	}
	if t.kinds == nil {
		return errNoJobs
	}
	args := kind(t.kinds, id)
	if t.jobs == nil || t.sqlTx == nil {
		return fmt.Errorf("job %s outside a write transaction", args.Kind())
	}
	// River fills what opts leaves empty (queue, uniqueness) from the
	// args' own InsertOpts; a zero ScheduledAt means now. The job is
	// inserted with the transaction's others just before it commits.
	t.pending = append(t.pending, river.InsertManyParams{Args: args, InsertOpts: &river.InsertOpts{ScheduledAt: at}})
	return nil
}

// flushJobs inserts the jobs of the transaction, in one statement: River's
// insert of a job costs about as much as a step's other writes together,
// most of it per statement (on SQLite, a JSON document of the jobs is
// unpacked by the statement), so a step's jobs go in together. Update
// calls it after the work succeeded and before it commits; a job of a
// savepoint that was rolled back is no longer pending (atomic).
func (t *tx) flushJobs(ctx context.Context) error {
	if len(t.pending) == 0 {
		return nil
	}
	if _, err := t.jobs.InsertManyTx(ctx, t.sqlTx, t.pending); err != nil {
		return fmt.Errorf("insert %d jobs: %w", len(t.pending), err)
	}
	t.pending = nil
	return nil
}

// JobCount is the number of River jobs of a kind per state, for health
// pages and tests.
func (db *DB) JobCount(ctx context.Context, kind string) (_ map[rivertype.JobState]int, err error) {
	defer wrap(&err, "JobCount(%s)", kind)
	rows, err := db.read.QueryContext(ctx, db.d.rebind(`SELECT state, COUNT(*) FROM river_job WHERE kind = ? GROUP BY state`), kind)
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
