// Package store keeps the casework domain in SQLite or PostgreSQL. It
// implements casework.Store on database/sql with one set of queries for
// both engines; dialect.go holds the few differences. The store only
// stores and loads: domain rules stay in internal/casework and
// internal/process.
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

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/riverqueue/river"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx"
	_ "modernc.org/sqlite"             // driver "sqlite"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// DB is an open database of either engine. It is safe for concurrent use.
type DB struct {
	sql  *sql.DB
	d    dialect
	dsn  string                 // as given to Open, for the job listener
	jobs *river.Client[*sql.Tx] // inserts jobs on the store's transactions
}

var _ casework.Store = (*DB)(nil)

// Open connects to the database named by dsn and checks it answers. A dsn
// starting with postgres:// or postgresql:// opens PostgreSQL; anything
// else is the path of a SQLite file, created when missing. It fails when
// the database cannot be reached.
func Open(ctx context.Context, dsn string) (*DB, error) {
	if dsn == "" {
		return nil, errors.New("store: empty database address")
	}
	d, driverDSN := dialectFor(dsn)
	sqlDB, err := sql.Open(d.driver(), driverDSN)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", d.name(), err)
	}
	db := &DB{sql: sqlDB, d: d, dsn: dsn}
	if err := db.Ping(ctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("store: %s database not reachable: %w", d.name(), err)
	}
	if db.jobs, err = db.newInserter(); err != nil {
		sqlDB.Close()
		return nil, err
	}
	return db, nil
}

// Close closes every connection.
func (db *DB) Close() error { return db.sql.Close() }

// Engine returns "sqlite" or "postgres".
func (db *DB) Engine() string { return db.d.name() }

// SQL returns the underlying pool, for tools that need one (job queues,
// tests). Queries of the application belong in this package.
func (db *DB) SQL() *sql.DB { return db.sql }

// Ping checks the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.sql.PingContext(ctx) }

// Migrate applies every embedded migration not yet applied. Migrations are
// forward-only and numbered; goose keeps its version table in the same
// schema.
func (db *DB) Migrate(ctx context.Context) error {
	dir, err := fs.Sub(migrations, "migrations/"+db.d.name())
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	if db.d.name() == "postgres" {
		// Several instances may start at once against one PostgreSQL: an
		// advisory lock lets one migrate while the others wait.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return fmt.Errorf("store: migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(db.d.goose(), db.sql, dir, opts...)
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate %s: %w", db.d.name(), err)
	}
	return db.migrateJobs(ctx)
}

// Update runs fn in one write transaction. It commits when fn returns nil;
// otherwise it rolls back and returns fn's error unchanged.
func (db *DB) Update(ctx context.Context, fn func(casework.Tx) error) error {
	sqlTx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer sqlTx.Rollback() //nolint:errcheck // no-op after Commit
	if err := fn(&tx{q: sqlTx, sqlTx: sqlTx, jobs: db.jobs, d: db.d}); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", db.mapErr(err))
	}
	return nil
}

// View runs fn in a read-only transaction, so its reads see one snapshot.
// On SQLite a read-only transaction begins DEFERRED and takes no write
// lock; write methods called inside View fail on both engines.
func (db *DB) View(ctx context.Context, fn func(casework.Tx) error) error {
	sqlTx, err := db.sql.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("store: begin read: %w", err)
	}
	defer sqlTx.Rollback() //nolint:errcheck // reads only
	if err := fn(&tx{q: sqlTx, d: db.d, readOnly: true}); err != nil {
		return err
	}
	return sqlTx.Commit()
}

// mapErr turns a unique violation into casework.ErrDuplicate.
func (db *DB) mapErr(err error) error {
	if key, ok := db.d.uniqueKey(err); ok {
		return casework.ErrDuplicate{Which: duplicateSubject(key)}
	}
	return err
}

// quietLogger is the logger of River's clients: warnings and errors only.
func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}
