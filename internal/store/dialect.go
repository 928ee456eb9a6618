package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"modernc.org/sqlite" // also the database/sql driver "sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// dialect is the one place where SQLite and PostgreSQL differ; no other
// file of this package names an engine. Every query is written once, with
// ? placeholders, in SQL both engines accept, and every procedure (Open,
// Migrate, the job clients) is written once around these methods. Share
// helpers, not function bodies: a method here answers one small question
// or builds one engine-specific value, and the logic around it stays
// shared. Keep the interface tiny and resist adding engine branches
// anywhere else.
type dialect interface {
	// name is the engine: "sqlite" or "postgres". It also names the
	// migrations directory.
	name() string
	// pools opens the engine's pools for the address given to Open, each
	// of at most maxConns connections: write takes every write, read the
	// read-only transactions of View; read is write itself where one pool
	// serves both.
	pools(dsn string, maxConns int) (write, read *sql.DB, err error)
	// goose is the goose dialect for migrations.
	goose() goose.Dialect
	// rebind turns the ? placeholders of query into the engine's own.
	rebind(query string) string
	// badText reports whether err is the engine refusing the characters of
	// a text (PostgreSQL: NUL or no UTF-8, SQLSTATE 22021; SQLite stores
	// anything).
	badText(err error) bool
	// uniqueKey reports whether err is a unique violation and returns the
	// engine's name for the refused constraint (see duplicates).
	uniqueKey(err error) (string, bool)
	// lockMigrations keeps other processes from migrating the database
	// until unlock is called, so instances that start together migrate one
	// after the other. unlock is never nil when err is nil.
	lockMigrations(ctx context.Context, db *sql.DB) (unlock func(), err error)
	// jobDriver is River's driver on the store's pool: it inserts jobs on
	// the store's own *sql.Tx and migrates River's tables.
	jobDriver(db *sql.DB) riverdriver.Driver[*sql.Tx]
	// listeningJobDriver is River's driver for a client that works jobs,
	// with stop to release what it opened. dsn is the address given to
	// Open.
	listeningJobDriver(ctx context.Context, db *sql.DB, dsn string) (drv riverdriver.Driver[*sql.Tx], stop func(), err error)
	// forUpdate is the clause that locks the rows a SELECT reads until the
	// transaction ends, for a read-then-write that must not interleave
	// with another writer's ("" where a write transaction already holds
	// the one write lock).
	forUpdate() string
	// tablesQuery lists the schema's tables, one name a row, in name order;
	// foreignKeysQuery lists the single-column foreign keys of the table
	// given as its one argument: (column, referenced table) a row.
	tablesQuery() string
	foreignKeysQuery() string
	// combinedInserts says several INSERTs may go as one statement, all
	// but the last in WITH clauses (PostgreSQL's data-modifying WITH): one
	// round trip for several tables. SQLite, in process, has no round trip
	// to save and no such clause.
	combinedInserts() bool
	// pipelines says a transaction sends statements it can wait for
	// together in one round trip (pipeline.go): PostgreSQL's pipeline
	// mode. SQLite, in process, has no round trip to save.
	pipelines() bool
	// groupCommit says write transactions are committed in groups (see
	// group.go): where one connection takes every write, one after the
	// other.
	groupCommit() bool
}

// dialectFor picks the engine from a DSN: postgres:// and postgresql://
// URLs go to PostgreSQL, anything else is the path of a SQLite file.
func dialectFor(dsn string) dialect {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return postgresDialect{}
	}
	return sqliteDialect{}
}

// keepConns keeps up to n connections of p open while idle: opening one
// costs more than keeping it (on PostgreSQL a backend process each).
func keepConns(p *sql.DB, n int) {
	p.SetMaxOpenConns(n)
	p.SetMaxIdleConns(n)
	p.SetConnMaxIdleTime(5 * time.Minute)
}

type sqliteDialect struct{}

func (sqliteDialect) name() string         { return "sqlite" }
func (sqliteDialect) goose() goose.Dialect { return goose.DialectSQLite3 }
func (sqliteDialect) rebind(q string) string {
	return q
}

// sqlitePragmas are the settings of every connection: WAL, so readers and
// the writer never wait for each other; a busy timeout for the writer of
// another process (a command run beside the server); temporary files in
// memory: SQLite copies each page a savepoint changes to a statement
// journal first, and every write runs in a savepoint of the group commit
// (group.go), so with a journal on disk a fifth of a step was writing it.
const sqlitePragmas = "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
	"&_pragma=foreign_keys(1)&_pragma=temp_store(MEMORY)"

// pools are one writer connection and maxConns readers. SQLite has one
// write lock: with one connection writers queue in database/sql (bounded
// by the acquire timeout) instead of failing with SQLITE_BUSY, River's
// clients included, as riversqlite advises. _txlock=immediate takes the
// lock at BEGIN, against a writer in another process. The readers are
// query_only: a write through them fails.
//
// modernc.org/sqlite parses a statement on every call unless it was
// prepared: each connection keeps its statements (stmtCacheConnector).
func (sqliteDialect) pools(path string, maxConns int) (*sql.DB, *sql.DB, error) {
	open := func(dsn string, n int) (*sql.DB, error) {
		c, err := sqlite.NewConnector(dsn)
		if err != nil {
			return nil, err
		}
		p := sql.OpenDB(stmtCacheConnector{c})
		keepConns(p, n)
		return p, nil
	}
	w, err := open("file:"+path+sqlitePragmas+"&_txlock=immediate", 1)
	if err != nil {
		return nil, nil, err
	}
	r, err := open("file:"+path+sqlitePragmas+"&_pragma=query_only(1)", maxConns)
	if err != nil {
		w.Close()
		return nil, nil, err
	}
	return w, r, nil
}

// lockMigrations takes no lock: a SQLite file serves one instance
// (several instances share a PostgreSQL), and SQLite's write lock keeps
// two processes from interleaving within one migration anyway.
func (sqliteDialect) lockMigrations(context.Context, *sql.DB) (func(), error) {
	return func() {}, nil
}

// forUpdate is empty: a write transaction begins IMMEDIATE (see
// dialectFor) and holds SQLite's one write lock already.
func (sqliteDialect) forUpdate() string { return "" }
func (sqliteDialect) groupCommit() bool { return true }

func (sqliteDialect) combinedInserts() bool { return false }

func (sqliteDialect) pipelines() bool { return false }

func (sqliteDialect) tablesQuery() string {
	return `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1`
}

func (sqliteDialect) foreignKeysQuery() string {
	return `SELECT "from", "table" FROM pragma_foreign_key_list(?)`
}

// jobDriver is riversqlite.
func (sqliteDialect) jobDriver(db *sql.DB) riverdriver.Driver[*sql.Tx] { return riversqlite.New(db) }

// listeningJobDriver is riversqlite, which polls for new jobs.
func (d sqliteDialect) listeningJobDriver(_ context.Context, db *sql.DB, _ string) (riverdriver.Driver[*sql.Tx], func(), error) {
	return d.jobDriver(db), func() {}, nil
}

// uniqueKey returns the "table.col, table.col" list SQLite names in
// "UNIQUE constraint failed: users.username".
func (sqliteDialect) uniqueKey(err error) (string, bool) {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return "", false
	}
	if se.Code() != sqlite3.SQLITE_CONSTRAINT_UNIQUE && se.Code() != sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY &&
		se.Code() != sqlite3.SQLITE_CONSTRAINT {
		return "", false
	}
	const marker = "UNIQUE constraint failed: "
	msg := se.Error()
	i := strings.Index(msg, marker)
	if i < 0 {
		return "", false
	}
	key := msg[i+len(marker):]
	if j := strings.Index(key, " ("); j >= 0 { // trailing " (2067)"
		key = key[:j]
	}
	return strings.TrimSpace(key), true
}

type postgresDialect struct{}

func (postgresDialect) name() string { return "postgres" }

// forUpdate is a row lock.
func (postgresDialect) forUpdate() string { return " FOR UPDATE" }

// groupCommit is false: PostgreSQL runs write transactions side by side
// and groups the WAL flushes of concurrent commits itself.
func (postgresDialect) groupCommit() bool { return false }

func (postgresDialect) combinedInserts() bool { return true }

func (postgresDialect) pipelines() bool { return true }

func (postgresDialect) tablesQuery() string {
	return `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`
}

func (postgresDialect) foreignKeysQuery() string {
	return `SELECT a.attname, cf.relname FROM pg_constraint c
		JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_class cf ON cf.oid = c.confrelid
		JOIN pg_namespace n ON n.oid = cl.relnamespace
		JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
		WHERE c.contype = 'f' AND n.nspname = current_schema() AND cl.relname = $1`
}

func (postgresDialect) goose() goose.Dialect { return goose.DialectPostgres }

// pools are one pool of at most maxConns connections (at least two: the
// migration lock holds one while goose migrates on another). PostgreSQL
// keeps reads and writes apart itself (MVCC). pgx's database/sql driver
// prepares and caches each statement per connection
// (QueryExecModeCacheStatement), so statements are parsed once per
// connection, and planned once: the connections use generic plans
// (pgPlanCacheMode).
func (postgresDialect) pools(dsn string, maxConns int) (*sql.DB, *sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, nil, err
	}
	if _, set := cfg.RuntimeParams["plan_cache_mode"]; !set {
		cfg.RuntimeParams["plan_cache_mode"] = pgPlanCacheMode
	}
	p := openPostgres(*cfg)
	keepConns(p, max(maxConns, 2))
	return p, p, nil
}

// pgPlanCacheMode is the store's plan_cache_mode (a DSN may set another).
// By default PostgreSQL plans a prepared statement afresh on every run
// while it judges a plan for the values bound cheaper than a generic one,
// and for the worklist's statement (two index ranges under a dozen joins)
// it always does: 40 ms of planning for 3 ms of work, at 1 M cases. The
// store's statements are index lookups and ranges whose plan does not
// depend on the values (the conditions a partial index needs are literals,
// see openTask), so each connection plans each statement once.
const pgPlanCacheMode = "force_generic_plan"

// rebind numbers the placeholders $1..$n, leaving quoted text alone. A
// statement's text is rebound once and kept (most are constants; those
// built per call, such as an IN list's, take a few forms each), at most
// maxRebound of them.
func (postgresDialect) rebind(q string) string {
	if r, ok := rebound.Load(q); ok {
		return r.(string)
	}
	r := rebindPostgres(q)
	if reboundN.Load() < maxRebound {
		if _, had := rebound.LoadOrStore(q, r); !had {
			reboundN.Add(1)
		}
	}
	return r
}

var (
	rebound  sync.Map // statement text → its rebound text
	reboundN atomic.Int64
)

const maxRebound = 4096

func rebindPostgres(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	var quote byte // the quote we are inside, or 0
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// migrationLockKey is the PostgreSQL advisory lock held while migrating
// ("wdmig"); it covers both our migrations and River's.
const migrationLockKey = 0x77646d6967

// lockMigrations holds a session advisory lock on a connection of its own
// until unlock; other instances wait in pg_advisory_lock.
func (postgresDialect) lockMigrations(ctx context.Context, db *sql.DB) (func(), error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLockKey); err != nil {
		conn.Close()
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	return func() {
		// The lock goes with the session anyway should the unlock fail.
		conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLockKey) //nolint:errcheck
		conn.Close()
	}, nil
}

// jobDriver is riverdatabasesql on the store's pool. River's riverpgxv5
// would need a pgx.Tx, which a database/sql transaction cannot give.
func (postgresDialect) jobDriver(db *sql.DB) riverdriver.Driver[*sql.Tx] {
	return riverdatabasesql.New(db)
}

// listeningJobDriver is riverdatabasesql with one dedicated pgx connection
// that LISTENs for new jobs, so workers need not poll; stop closes it.
func (postgresDialect) listeningJobDriver(ctx context.Context, db *sql.DB, dsn string) (riverdriver.Driver[*sql.Tx], func(), error) {
	pc, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("job listener: %w", err)
	}
	pc.MinConns, pc.MaxConns = 0, 1
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, nil, fmt.Errorf("job listener: %w", err)
	}
	return riverdatabasesql.NewWithPgxListener(db, pool), pool.Close, nil
}

func (sqliteDialect) badText(error) bool { return false }

// badText reports SQLSTATE 22021 (character_not_in_repertoire: NUL, bytes
// that are no UTF-8) and 22P05 (untranslatable_character).
func (postgresDialect) badText(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "22021" || pe.Code == "22P05")
}

// uniqueKey returns the constraint (or unique index) name of SQLSTATE 23505.
func (postgresDialect) uniqueKey(err error) (string, bool) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		return pe.ConstraintName, true
	}
	return "", false
}

// duplicates maps each unique constraint, under the name each engine reports
// it by, to the ErrDuplicate subject the domain knows. Keep in step with the
// migrations.
var duplicates = []struct {
	which    string
	postgres string
	sqlite   string
}{
	{casework.DupUsername, "users_username_key", "users.username"},
	{casework.DupSSOSubject, "users_sso_subject_key", "users.sso_subject"},
	{casework.DupToken, "api_tokens_hash_key", "api_tokens.hash"},
	{casework.DupBSN, "clients_bsn_key", "clients.bsn"},
	{casework.DupOpenApplication, "cases_open_application", "cases.client_id"},
	{casework.DupPlanVersion, "plans_case_version_key", "plans.case_id, plans.version"},
	{casework.DupRoom, "room_slots_pkey", "room_slots.room, room_slots.slot"},
	{casework.DupPerson, "person_slots_pkey", "person_slots.user_id, person_slots.slot"},
	{casework.DupDefinition, "process_definitions_pkey", "process_definitions.version"},
	{casework.DupPlanRow, "trajectories_plan_row", "trajectories.case_id, trajectories.plan_row"},
	{casework.DupRegistration, "registrations_trajectory", "registrations.trajectory_id"},
	{casework.DupVoorschot, "voorschotten_task", "voorschotten.task_id"},
	{casework.DupEvaluation, "plan_evaluations_task", "plan_evaluations.task_id"},
}

// mapUnique turns the engine's unique violation into casework.ErrDuplicate
// naming its subject; other errors pass unchanged.
func mapUnique(d dialect, err error) error {
	if key, ok := d.uniqueKey(err); ok {
		return casework.ErrDuplicate{Which: duplicateSubject(key)}
	}
	return err
}

// refuseBadText is the store's last guard against text the engine refuses:
// casework.InvalidText (422 with a Dutch message) instead of a 500. Input is
// checked long before (casework.TextProblem on every input path); this
// catches what a new path might miss.
func refuseBadText(d dialect, err error) error {
	if err != nil && d.badText(err) {
		return casework.InvalidText(err)
	}
	return err
}

// duplicateSubject returns the domain's name for the constraint key an
// engine reported, or the key itself when it is not listed.
func duplicateSubject(key string) string {
	for _, d := range duplicates {
		if key == d.postgres || key == d.sqlite {
			return d.which
		}
	}
	return key
}
