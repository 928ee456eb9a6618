// Package store keeps the casework domain in SQLite or PostgreSQL. It
// implements casework.Store on database/sql with one set of queries for
// both engines; dialect.go holds the few differences. The store only
// stores and loads: domain rules stay in internal/casework and
// internal/process, and the kinds of background jobs in whatever JobArgs
// the store is opened with.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/settings"
)

// migrations holds the SQL migrations, a directory per dialect.
//
//go:embed migrations/*/*.sql
var migrations embed.FS

// DB is an open database of either engine. It is safe for concurrent use.
//
// It holds two pools, which are one on PostgreSQL (see dialect.pools): sql
// takes every write (Update, sessions, migrations, River's clients) and
// read the read-only transactions of View. On SQLite the write pool has
// one connection, so writers queue in Go instead of meeting SQLITE_BUSY,
// and the readers never wait for them (WAL).
type DB struct {
	touched  sessionTouches // sessions this process wrote, to skip idle-timeout-only rewrites
	sql      *sql.DB        // the write pool
	read     *sql.DB        // the read pool: sql itself where one pool serves both
	d        dialect
	dsn      string                 // as given to Open, for the job listener
	jobs     *river.Client[*sql.Tx] // inserts jobs on the store's transactions
	jobKinds JobArgs                // builds the jobs the store inserts; nil: none

	slowLog   *slog.Logger  // WithSlowQueryLog; nil: none
	slowAfter time.Duration // statements at least this slow are logged; 0: none

	maxConns int           // WithPool: connections per pool at most
	acquire  time.Duration // WithPool: longest wait for a connection

	group *group // write functions waiting to be committed together; nil: a transaction each
}

// A store opened without WithPool has the configuration's defaults.
const (
	defaultMaxConns       = settings.DefaultMaxConns
	defaultAcquireTimeout = settings.DefaultAcquireTimeout
)

var _ casework.Store = (*DB)(nil)

// Option configures a DB when it is opened.
type Option func(*DB)

// WithJobs makes the store insert the jobs k builds with the messages it
// writes. A store opened without it refuses to write a message waiting
// for delivery, as nothing would ever carry it out.
func WithJobs(k JobArgs) Option {
	return func(db *DB) { db.jobKinds = k }
}

// WithPool bounds the connections of each pool to maxConns (on SQLite:
// the readers; it writes on one connection) and the wait for one to
// acquire: a transaction that gets no connection within it fails with
// casework.ErrOverloaded. Values of 0 keep the defaults.
func WithPool(maxConns int, acquire time.Duration) Option {
	return func(db *DB) {
		if maxConns > 0 {
			db.maxConns = maxConns
		}
		if acquire > 0 {
			db.acquire = acquire
		}
	}
}

// Open connects to the database named by dsn and checks it answers. A dsn
// starting with postgres:// or postgresql:// opens PostgreSQL; anything
// else is the path of a SQLite file, created when missing. It fails when
// the database cannot be reached.
func Open(ctx context.Context, dsn string, opts ...Option) (*DB, error) {
	if dsn == "" {
		return nil, errors.New("store: empty database address")
	}
	d := dialectFor(dsn)
	db := &DB{d: d, dsn: dsn, maxConns: defaultMaxConns, acquire: defaultAcquireTimeout}
	for _, opt := range opts {
		opt(db)
	}
	if d.groupCommit() {
		db.group = &group{}
	}
	var err error
	if db.sql, db.read, err = d.pools(dsn, db.maxConns); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", d.name(), err)
	}
	// The write pool first: it creates a missing SQLite file and puts it
	// in WAL mode before a reader opens it.
	for _, p := range []*sql.DB{db.sql, db.read} {
		if err := p.PingContext(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("store: %s database not reachable: %w", d.name(), err)
		}
	}
	if db.jobs, err = db.newInserter(); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Close closes every connection.
func (db *DB) Close() (err error) {
	defer wrap(&err, "Close")
	if db.read != db.sql {
		err = db.read.Close()
	}
	return errors.Join(db.sql.Close(), err)
}

// Engine returns "sqlite" or "postgres".
func (db *DB) Engine() string { return db.d.name() }

// SQL returns the write pool, for tools that need one (job queues, tests):
// it reads and writes. Queries of the application belong in this package.
func (db *DB) SQL() *sql.DB { return db.sql }

// Ping checks the database answers.
func (db *DB) Ping(ctx context.Context) (err error) {
	defer wrap(&err, "Ping")
	return db.sql.PingContext(ctx)
}

// Migrate applies every migration not yet applied, then River's. Migrations
// are forward-only and numbered: SQL files embedded per dialect and the Go
// migrations of goMigrations, one sequence. goose keeps its version table
// in the same schema. Instances that start together migrate one after the
// other.
func (db *DB) Migrate(ctx context.Context) (err error) {
	defer wrap(&err, "Migrate")
	return db.migrate(ctx, 0)
}

// migrate migrates up to version (every version when 0), then River's
// tables, under the dialect's migration lock.
func (db *DB) migrate(ctx context.Context, version int64) error {
	dir, err := fs.Sub(migrations, "migrations/"+db.d.name())
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(db.d.goose(), db.sql, dir,
		goose.WithDisableGlobalRegistry(true), goose.WithGoMigrations(db.goMigrations()...))
	if err != nil {
		return err
	}
	unlock, err := db.d.lockMigrations(ctx, db.sql)
	if err != nil {
		return err
	}
	defer unlock()
	if version > 0 {
		_, err = p.UpTo(ctx, version)
	} else {
		_, err = p.Up(ctx)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", db.d.name(), err)
	}
	return db.migrateJobs(ctx)
}

// Update runs fn in one write transaction. It commits when fn returns nil;
// otherwise it rolls back and returns fn's error unchanged (text the engine
// refuses becomes casework.InvalidText).
//
// It runs on the write pool; when no connection is free within the acquire
// timeout it fails with casework.ErrOverloaded. On SQLite, fn is committed
// together with the functions of concurrent calls, each in a savepoint of
// its own (group.go): the outcome for the caller is the same.
func (db *DB) Update(ctx context.Context, fn func(casework.Tx) error) error {
	if db.group != nil {
		return db.updateGrouped(ctx, fn)
	}
	sqlTx, c, err := db.begin(ctx, db.sql, nil)
	if err != nil {
		return fmt.Errorf("store: Update: begin: %w", err)
	}
	defer c.Close()
	defer sqlTx.Rollback() //nolint:errcheck // no-op after Commit
	if err := db.write(ctx, db.observe(sqlTx), sqlTx, db.pipelineConn(c), fn); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("store: Update: commit: %w", db.mapErr(err))
	}
	return nil
}

// write runs fn on a write transaction of sqlTx whose statements go
// through q, then inserts the jobs fn wrote: the work of Update, and of
// each function of a group commit's batch.
func (db *DB) write(ctx context.Context, q querier, sqlTx *sql.Tx, conn *sql.Conn, fn func(casework.Tx) error) error {
	t := &tx{q: q, db: db, conn: conn, sqlTx: sqlTx, jobs: db.jobs, kinds: db.jobKinds, d: db.d}
	if err := fn(t); err != nil {
		return refuseBadText(db.d, err)
	}
	if err := t.sendQueued(ctx); err != nil {
		return refuseBadText(db.d, err)
	}
	if err := t.flushJobs(ctx); err != nil {
		return fmt.Errorf("store: Update: %w", err)
	}
	if err := t.flushAudit(ctx); err != nil {
		return fmt.Errorf("store: Update: %w", err)
	}
	return nil
}

// View runs fn in a read-only transaction, so its reads see one snapshot.
// A read-only transaction takes no write lock (see dialectFor); write
// methods called inside View fail on both engines. It returns fn's error
// unchanged (text the engine refuses becomes casework.InvalidText).
//
// It runs on the read pool; when no connection is free within the acquire
// timeout it fails with casework.ErrOverloaded.
func (db *DB) View(ctx context.Context, fn func(casework.Tx) error) error {
	sqlTx, c, err := db.begin(ctx, db.read, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("store: View: begin: %w", err)
	}
	defer c.Close()
	defer sqlTx.Rollback() //nolint:errcheck // reads only
	if err := fn(&tx{q: db.observe(sqlTx), db: db, conn: db.pipelineConn(c), d: db.d, readOnly: true}); err != nil {
		return refuseBadText(db.d, err)
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("store: View: commit: %w", err)
	}
	return nil
}

// conn takes a connection of pool, waiting at most the acquire timeout: a
// pool that has none free by then is overloaded (casework.ErrOverloaded),
// and the request is answered now rather than hang. The caller closes the
// connection, which returns it to the pool.
func (db *DB) conn(ctx context.Context, pool *sql.DB) (*sql.Conn, error) {
	actx, cancel := context.WithTimeout(ctx, db.acquire)
	defer cancel()
	c, err := pool.Conn(actx)
	if err != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
		return nil, fmt.Errorf("%w: no connection within %s (%v)", casework.ErrOverloaded, db.acquire, err)
	}
	return c, err
}

// begin begins a transaction on a connection of pool (see conn), which
// the caller closes once the transaction has ended: that returns it to
// the pool.
func (db *DB) begin(ctx context.Context, pool *sql.DB, opts *sql.TxOptions) (*sql.Tx, *sql.Conn, error) {
	c, err := db.conn(ctx, pool)
	if err != nil {
		return nil, nil, err
	}
	sqlTx, err := c.BeginTx(ctx, opts)
	if err != nil {
		c.Close()
		return nil, nil, err
	}
	return sqlTx, c, nil
}

// mapErr turns a unique violation into casework.ErrDuplicate.
func (db *DB) mapErr(err error) error { return mapUnique(db.d, err) }

// quietLogger is the logger of River's clients: warnings and errors only.
func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}
