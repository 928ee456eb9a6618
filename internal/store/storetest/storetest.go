// Package storetest opens fresh, migrated databases of both engines for
// tests, so one suite runs on SQLite and on PostgreSQL alike.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/jobs"
	"github.com/bar-organisatie/werkdiagnose/internal/store"
)

// PostgresEnv names the environment variable with the address of a
// PostgreSQL database the tests may create schemas in, e.g.
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
const PostgresEnv = "WERKDIAGNOSE_TEST_POSTGRES"

// Engines returns the engines every store test runs on.
func Engines(t testing.TB) []string {
	t.Helper()
	return []string{"sqlite", "postgres"}
}

// ForEach runs fn as a subtest per engine, each on a fresh database.
func ForEach(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, engine := range Engines(t) {
		t.Run(engine, func(t *testing.T) {
			fn(t, Open(t, engine))
		})
	}
}

// Open returns a fresh database of the engine built by the real
// migrations, removed when the test ends. SQLite lives in t.TempDir();
// PostgreSQL gets its own schema in the database named by
// WERKDIAGNOSE_TEST_POSTGRES. Without that variable the test is skipped,
// or fails when CI is set: in CI a missing PostgreSQL is an error. The
// store inserts the jobs of internal/jobs, as the application's does.
func Open(t testing.TB, engine string) *store.DB {
	t.Helper()
	return OpenWith(t, engine, store.WithJobs(jobs.Kinds{}))
}

// OpenWith is Open with exactly the options opts.
func OpenWith(t testing.TB, engine string, opts ...store.Option) *store.DB {
	t.Helper()
	db := open(t, engine, opts)
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("storetest: %v", err)
	}
	return db
}

// Empty is Open without the migrations: a database without tables, for
// tests of the migrations themselves.
func Empty(t testing.TB, engine string) *store.DB {
	t.Helper()
	return open(t, engine, []store.Option{store.WithJobs(jobs.Kinds{})})
}

// DSN returns the address of a fresh, empty database of the engine (a
// file in t.TempDir(), or a schema of its own dropped when the test ends),
// for tests of commands that open the database themselves.
func DSN(t testing.TB, engine string) string {
	t.Helper()
	switch engine {
	case "sqlite":
		return filepath.Join(t.TempDir(), "test.db")
	case "postgres":
		return postgresSchema(t)
	}
	t.Fatalf("storetest: unknown engine %q", engine)
	return ""
}

// open opens a fresh, empty database of the engine, closed when the test
// ends.
func open(t testing.TB, engine string, opts []store.Option) *store.DB {
	t.Helper()
	var dsn string
	switch engine {
	case "sqlite":
		dsn = filepath.Join(t.TempDir(), "test.db")
	case "postgres":
		dsn = postgresSchema(t)
	default:
		t.Fatalf("storetest: unknown engine %q", engine)
	}
	db, err := store.Open(context.Background(), dsn, opts...)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// postgresSchema creates an empty schema, drops it when the test ends and
// returns a DSN whose connections use it.
func postgresSchema(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		msg := "storetest: " + PostgresEnv + " is not set; set it to a PostgreSQL URL such as " +
			"postgres://postgres@127.0.0.1:5432/test?sslmode=disable to run the PostgreSQL tests"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("storetest: %s: %v", PostgresEnv, err)
	}
	buf := make([]byte, 8)
	rand.Read(buf)
	schema := "t_" + hex.EncodeToString(buf)

	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	defer admin.Close()
	// schema is made of hex digits only, safe to put in the statement.
	if _, err := admin.ExecContext(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("storetest: create schema: %v", err)
	}
	t.Cleanup(func() {
		// Runs after the store's own Close (cleanups run last-in first-out).
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Errorf("storetest: drop schema %s: %v", schema, err)
			return
		}
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("storetest: drop schema %s: %v", schema, err)
		}
	})

	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
