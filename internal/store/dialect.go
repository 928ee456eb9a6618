package store

import (
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is the one place where SQLite and PostgreSQL differ. Every query
// is written once, with ? placeholders, in SQL both engines accept; keep
// this interface tiny and resist adding engine branches anywhere else.
type dialect interface {
	// name is the engine: "sqlite" or "postgres". It also names the
	// migrations directory.
	name() string
	// driver is the database/sql driver name.
	driver() string
	// goose is the goose dialect for migrations.
	goose() goose.Dialect
	// rebind turns the ? placeholders of query into the engine's own.
	rebind(query string) string
	// uniqueKey reports whether err is a unique violation and returns the
	// engine's name for the refused constraint (see duplicates).
	uniqueKey(err error) (string, bool)
}

// dialectFor picks the engine from a DSN and returns the DSN to hand to its
// driver: postgres:// and postgresql:// URLs go to PostgreSQL, anything else
// is the path of a SQLite file.
func dialectFor(dsn string) (dialect, string) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return postgresDialect{}, dsn
	}
	// _txlock=immediate makes every write transaction take the write lock
	// at BEGIN; without it concurrent read-then-write transactions fail
	// with SQLITE_BUSY despite busy_timeout. Read-only transactions still
	// begin DEFERRED (see View).
	return sqliteDialect{}, "file:" + dsn +
		"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
		"&_pragma=foreign_keys(1)&_txlock=immediate"
}

type sqliteDialect struct{}

func (sqliteDialect) name() string         { return "sqlite" }
func (sqliteDialect) driver() string       { return "sqlite" }
func (sqliteDialect) goose() goose.Dialect { return goose.DialectSQLite3 }
func (sqliteDialect) rebind(q string) string {
	return q
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

func (postgresDialect) name() string         { return "postgres" }
func (postgresDialect) driver() string       { return "pgx" }
func (postgresDialect) goose() goose.Dialect { return goose.DialectPostgres }

// rebind numbers the placeholders $1..$n, leaving quoted text alone.
func (postgresDialect) rebind(q string) string {
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
	{"username", "users_username_key", "users.username"},
	{"token", "api_tokens_hash_key", "api_tokens.hash"},
	{"bsn", "clients_bsn_key", "clients.bsn"},
	{"open_application", "cases_open_application", "cases.client_id"},
	{"plan_version", "plans_case_version_key", "plans.case_id, plans.version"},
	{"room", "room_slots_pkey", "room_slots.room, room_slots.slot"},
	{"person", "person_slots_pkey", "person_slots.user_id, person_slots.slot"},
	{"definition", "process_definitions_pkey", "process_definitions.version"},
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
