package store_test

import (
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/store"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// The schemas of both engines are written by hand, in two sets of
// migrations. TestSchemasMatch builds both from the real migrations and
// compares what each engine reports about them, so that a column, index,
// key or trigger added to one engine only fails the build.

// typeClasses maps the column types the migrations use, as each engine
// reports them, to one class per kind of value. A type missing here fails
// TestSchemasMatch: add it with its counterpart on the other engine.
//
//	class      SQLite (declared type)   PostgreSQL (information_schema data_type)
//	---------  -----------------------  -----------------------------------------
//	integer    INTEGER                  bigint, integer, boolean (*)
//	text       TEXT                     text
//	timestamp  TIMESTAMP                timestamp with time zone
//	date       DATE                     date
//	bytes      BLOB                     bytea
//
// (*) SQLite has no boolean type: the migrations declare booleans INTEGER
// (0 or 1), and SQLite's INTEGER holds 64 bits. So bigint, integer and
// boolean are one class; a boolean on one engine against a number on the
// other is the one type drift this test cannot see. PostgreSQL's
// "timestamp without time zone" is deliberately missing: the store writes
// UTC instants, which need timestamptz.
var typeClasses = map[string]map[string]string{
	"sqlite": {
		"INTEGER":   "integer",
		"TEXT":      "text",
		"TIMESTAMP": "timestamp",
		"DATE":      "date",
		"BLOB":      "bytes",
	},
	"postgres": {
		"bigint":                   "integer",
		"integer":                  "integer",
		"boolean":                  "integer",
		"text":                     "text",
		"timestamp with time zone": "timestamp",
		"date":                     "date",
		"bytea":                    "bytes",
	},
}

// schema is what TestSchemasMatch compares of a database: our own tables
// by name, without goose's version table and River's river_* tables
// (River's schema is River's, different per engine by design).
type schema map[string]*table

type table struct {
	columns    map[string]column
	primaryKey []string
	// indexes are the unique constraints and all indexes but the primary
	// key's, by column list: a unique constraint and a unique index are
	// the same thing to the store. An expression is "(expression)".
	indexes     []index
	foreignKeys []foreignKey
	// checks counts the CHECK constraints: SQLite keeps their text only in
	// the CREATE TABLE statement and PostgreSQL rewrites their expressions,
	// so only the number can be compared.
	checks int
	// triggers are the row triggers as "BEFORE UPDATE", one per event
	// (SQLite has no statement or TRUNCATE triggers to compare).
	triggers []string
}

type column struct {
	class   string // see typeClasses
	notNull bool
}

type index struct {
	columns []string
	unique  bool
	partial bool // has a WHERE clause (the predicate's text is not compared)
}

type foreignKey struct {
	columns    []string
	refTable   string
	refColumns []string
	onDelete   string // NO ACTION, CASCADE, RESTRICT, SET NULL, SET DEFAULT
	onUpdate   string
}

// facts returns the schema as one line per fact, sorted, with a line
// repeated as often as the fact holds (two identical indexes are two).
func (s schema) facts() []string {
	var out []string
	for name, t := range s {
		out = append(out, "table "+name)
		for c, col := range t.columns {
			null := "null"
			if col.notNull {
				null = "not null"
			}
			out = append(out, fmt.Sprintf("column %s.%s %s %s", name, c, col.class, null))
		}
		if len(t.primaryKey) > 0 {
			out = append(out, fmt.Sprintf("primary key %s (%s)", name, strings.Join(t.primaryKey, ", ")))
		}
		for _, ix := range t.indexes {
			f := "index"
			if ix.unique {
				f = "unique index"
			}
			f = fmt.Sprintf("%s %s (%s)", f, name, strings.Join(ix.columns, ", "))
			if ix.partial {
				f += " partial"
			}
			out = append(out, f)
		}
		for _, fk := range t.foreignKeys {
			out = append(out, fmt.Sprintf("foreign key %s (%s) references %s (%s) on delete %s on update %s",
				name, strings.Join(fk.columns, ", "), fk.refTable, strings.Join(fk.refColumns, ", "), fk.onDelete, fk.onUpdate))
		}
		if t.checks > 0 {
			out = append(out, fmt.Sprintf("check constraints %s: %d", name, t.checks))
		}
		for _, tr := range t.triggers {
			out = append(out, fmt.Sprintf("trigger %s %s", name, tr))
		}
	}
	slices.Sort(out)
	return out
}

// diffSchemas returns the facts of a missing from b ("only in <aName>: …")
// and those of b missing from a, sorted; nothing when they match.
func diffSchemas(aName string, a schema, bName string, b schema) []string {
	count := map[string]int{}
	for _, f := range a.facts() {
		count[f]++
	}
	for _, f := range b.facts() {
		count[f]--
	}
	var out []string
	for f, n := range count {
		for ; n > 0; n-- {
			out = append(out, "only in "+aName+": "+f)
		}
		for ; n < 0; n++ {
			out = append(out, "only in "+bName+": "+f)
		}
	}
	slices.Sort(out)
	return out
}

// classify maps an engine's column type to its class, or reports it.
func classify(t *testing.T, engine, tbl, col, typ string) string {
	t.Helper()
	class, ok := typeClasses[engine][typ]
	if !ok {
		t.Errorf("%s: column %s.%s has type %q, which typeClasses does not map", engine, tbl, col, typ)
		return "unmapped " + typ
	}
	return class
}

// ours reports whether a table is one of the application's own.
func ours(name string) bool {
	return name != "goose_db_version" && !strings.HasPrefix(name, "river_") && !strings.HasPrefix(name, "sqlite_")
}

// query runs q and calls scan for each row.
func query(t *testing.T, db *sql.DB, scan func(*sql.Rows) error, q string, args ...any) {
	t.Helper()
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// triggerEvent finds timing and event of a SQLite CREATE TRIGGER.
var triggerEvent = regexp.MustCompile(`(?is)\b(BEFORE|AFTER|INSTEAD\s+OF)\s+(INSERT|UPDATE|DELETE)\b`)

// checkClause finds CHECK constraints in a SQLite CREATE TABLE.
var checkClause = regexp.MustCompile(`(?i)\bCHECK\s*\(`)

// sqliteSchema reads the schema of a SQLite database from sqlite_master
// and the table_info, index_list, index_info and foreign_key_list pragmas.
func sqliteSchema(t *testing.T, db *sql.DB) schema {
	t.Helper()
	s := schema{}
	query(t, db, func(r *sql.Rows) error {
		var name, ddl string
		if err := r.Scan(&name, &ddl); err != nil {
			return err
		}
		if ours(name) {
			s[name] = &table{columns: map[string]column{}, checks: len(checkClause.FindAllString(ddl, -1))}
		}
		return nil
	}, `SELECT name, sql FROM sqlite_master WHERE type = 'table'`)

	for name, tb := range s {
		type pkCol struct {
			name string
			seq  int
			typ  string
		}
		var pk []pkCol
		query(t, db, func(r *sql.Rows) error {
			var col, typ string
			var notNull bool
			var pkSeq int
			if err := r.Scan(&col, &typ, &notNull, &pkSeq); err != nil {
				return err
			}
			tb.columns[col] = column{class: classify(t, "sqlite", name, col, typ), notNull: notNull}
			if pkSeq > 0 {
				pk = append(pk, pkCol{col, pkSeq, typ})
			}
			return nil
		}, `SELECT name, type, "notnull", pk FROM pragma_table_info(?)`, name)
		slices.SortFunc(pk, func(a, b pkCol) int { return a.seq - b.seq })
		for _, c := range pk {
			tb.primaryKey = append(tb.primaryKey, c.name)
		}
		// An INTEGER PRIMARY KEY is the rowid: never NULL, though SQLite
		// reports it nullable unless declared NOT NULL. Any other primary
		// key column of SQLite does take NULL unless declared NOT NULL, so
		// it is reported as declared.
		if len(pk) == 1 && strings.EqualFold(pk[0].typ, "INTEGER") {
			c := tb.columns[pk[0].name]
			c.notNull = true
			tb.columns[pk[0].name] = c
		}

		type ixInfo struct {
			name             string
			unique, partial  bool
			primaryKeyOrigin bool
		}
		var ixs []ixInfo
		query(t, db, func(r *sql.Rows) error {
			var ix ixInfo
			var origin string
			if err := r.Scan(&ix.name, &ix.unique, &origin, &ix.partial); err != nil {
				return err
			}
			ix.primaryKeyOrigin = origin == "pk"
			ixs = append(ixs, ix)
			return nil
		}, `SELECT name, "unique", origin, partial FROM pragma_index_list(?)`, name)
		for _, ix := range ixs {
			if ix.primaryKeyOrigin {
				continue // the primary key, compared above
			}
			var cols []string
			query(t, db, func(r *sql.Rows) error {
				var cid int
				var col sql.NullString
				if err := r.Scan(&cid, &col); err != nil {
					return err
				}
				if cid < 0 || !col.Valid {
					cols = append(cols, "(expression)")
				} else {
					cols = append(cols, col.String)
				}
				return nil
			}, `SELECT cid, name FROM pragma_index_info(?) ORDER BY seqno`, ix.name)
			tb.indexes = append(tb.indexes, index{columns: cols, unique: ix.unique, partial: ix.partial})
		}

		fks := map[int]*foreignKey{}
		query(t, db, func(r *sql.Rows) error {
			var id int
			var ref, from, onUpdate, onDelete string
			var to sql.NullString
			if err := r.Scan(&id, &ref, &from, &to, &onUpdate, &onDelete); err != nil {
				return err
			}
			fk := fks[id]
			if fk == nil {
				fk = &foreignKey{refTable: ref, onDelete: onDelete, onUpdate: onUpdate}
				fks[id] = fk
			}
			fk.columns = append(fk.columns, from)
			fk.refColumns = append(fk.refColumns, to.String) // "" = the parent's primary key, resolved below
			return nil
		}, `SELECT id, "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq`, name)
		for _, fk := range fks {
			tb.foreignKeys = append(tb.foreignKeys, *fk)
		}
	}
	for _, tb := range s {
		for i, fk := range tb.foreignKeys {
			if slices.Contains(fk.refColumns, "") && s[fk.refTable] != nil {
				tb.foreignKeys[i].refColumns = s[fk.refTable].primaryKey
			}
		}
	}

	query(t, db, func(r *sql.Rows) error {
		var tbl, ddl string
		if err := r.Scan(&tbl, &ddl); err != nil {
			return err
		}
		if tb := s[tbl]; tb != nil {
			m := triggerEvent.FindStringSubmatch(ddl)
			if m == nil {
				return fmt.Errorf("trigger on %s: no timing and event in %q", tbl, ddl)
			}
			tb.triggers = append(tb.triggers, strings.ToUpper(strings.Join(strings.Fields(m[1]), " "))+" "+strings.ToUpper(m[2]))
		}
		return nil
	}, `SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'`)
	return s
}

// postgresSchema reads the schema of the current PostgreSQL schema from
// information_schema and pg_catalog.
func postgresSchema(t *testing.T, db *sql.DB) schema {
	t.Helper()
	s := schema{}
	query(t, db, func(r *sql.Rows) error {
		var name string
		if err := r.Scan(&name); err != nil {
			return err
		}
		if ours(name) {
			s[name] = &table{columns: map[string]column{}}
		}
		return nil
	}, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)

	query(t, db, func(r *sql.Rows) error {
		var tbl, col, typ, nullable string
		if err := r.Scan(&tbl, &col, &typ, &nullable); err != nil {
			return err
		}
		if tb := s[tbl]; tb != nil {
			tb.columns[col] = column{class: classify(t, "postgres", tbl, col, typ), notNull: nullable == "NO"}
		}
		return nil
	}, `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
		WHERE table_schema = current_schema()`)

	// Every index, the primary key's included; attnum 0 is an expression.
	query(t, db, func(r *sql.Rows) error {
		var tbl, cols string
		var unique, primary, partial bool
		if err := r.Scan(&tbl, &unique, &primary, &partial, &cols); err != nil {
			return err
		}
		tb := s[tbl]
		switch {
		case tb == nil:
		case primary:
			tb.primaryKey = strings.Split(cols, ",")
		default:
			tb.indexes = append(tb.indexes, index{columns: strings.Split(cols, ","), unique: unique, partial: partial})
		}
		return nil
	}, `SELECT t.relname, x.indisunique, x.indisprimary, x.indpred IS NOT NULL,
			(SELECT string_agg(CASE WHEN k.attnum = 0 THEN '(expression)' ELSE a.attname END, ',' ORDER BY k.ord)
			 FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
			 LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum)
		FROM pg_index x
		JOIN pg_class t ON t.oid = x.indrelid
		JOIN pg_namespace n ON n.oid = t.relnamespace
		WHERE n.nspname = current_schema()`)

	actions := map[string]string{"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
	query(t, db, func(r *sql.Rows) error {
		var tbl, ref, onDelete, onUpdate, cols, refCols string
		if err := r.Scan(&tbl, &ref, &onDelete, &onUpdate, &cols, &refCols); err != nil {
			return err
		}
		if tb := s[tbl]; tb != nil {
			tb.foreignKeys = append(tb.foreignKeys, foreignKey{columns: strings.Split(cols, ","), refTable: ref,
				refColumns: strings.Split(refCols, ","), onDelete: actions[onDelete], onUpdate: actions[onUpdate]})
		}
		return nil
	}, `SELECT t.relname, p.relname, c.confdeltype::text, c.confupdtype::text,
			(SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
			 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum),
			(SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord)
			 JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum)
		FROM pg_constraint c
		JOIN pg_class t ON t.oid = c.conrelid
		JOIN pg_class p ON p.oid = c.confrelid
		JOIN pg_namespace n ON n.oid = c.connamespace
		WHERE c.contype = 'f' AND n.nspname = current_schema()`)

	query(t, db, func(r *sql.Rows) error {
		var tbl string
		var n int
		if err := r.Scan(&tbl, &n); err != nil {
			return err
		}
		if tb := s[tbl]; tb != nil {
			tb.checks = n
		}
		return nil
	}, `SELECT t.relname, COUNT(*) FROM pg_constraint c
		JOIN pg_class t ON t.oid = c.conrelid
		JOIN pg_namespace n ON n.oid = c.connamespace
		WHERE c.contype = 'c' AND n.nspname = current_schema()
		GROUP BY t.relname`)

	query(t, db, func(r *sql.Rows) error {
		var tbl, timing, event string
		if err := r.Scan(&tbl, &timing, &event); err != nil {
			return err
		}
		if tb := s[tbl]; tb != nil {
			tb.triggers = append(tb.triggers, timing+" "+event)
		}
		return nil
	}, `SELECT event_object_table, action_timing, event_manipulation FROM information_schema.triggers
		WHERE trigger_schema = current_schema() AND action_orientation = 'ROW'`)
	return s
}

// TestSchemasMatch migrates a fresh database of each engine with the real
// migrations and compares their schemas (see schema and typeClasses).
func TestSchemasMatch(t *testing.T) {
	lite := sqliteSchema(t, storetest.Open(t, "sqlite").SQL())
	pg := postgresSchema(t, storetest.Open(t, "postgres").SQL())
	if len(lite) == 0 || len(pg) == 0 {
		t.Fatalf("no tables read: %d on sqlite, %d on postgres", len(lite), len(pg))
	}
	for _, d := range diffSchemas("sqlite", lite, "postgres", pg) {
		t.Error(d)
	}
	// The introspection itself reads what the migrations say.
	for _, want := range []string{
		"column clients.search_name text not null",
		"primary key room_slots (room, slot)",
		"unique index cases (client_id) partial",
		"unique index reminders (kind, (expression), case_id, due_on)",
		"foreign key activities (trajectory_id) references trajectories (id) on delete CASCADE on update NO ACTION",
		"trigger events BEFORE DELETE",
	} {
		if !slices.Contains(lite.facts(), want) || !slices.Contains(pg.facts(), want) {
			t.Errorf("fact %q not read from both engines", want)
		}
	}
}

// TestDuplicatesMatchSchema checks the table by which the store turns
// unique violations into casework.ErrDuplicate: each PostgreSQL name is a
// unique index or constraint of the schema, and the SQLite name is the
// same key's "table.column, table.column" as SQLite reports it.
func TestDuplicatesMatchSchema(t *testing.T) {
	db := storetest.Open(t, "postgres").SQL()
	for _, d := range store.Duplicates() {
		var tbl, cols string
		err := db.QueryRowContext(ctx, `SELECT t.relname,
				(SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
				 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum)
			FROM pg_index x
			JOIN pg_class i ON i.oid = x.indexrelid
			JOIN pg_class t ON t.oid = x.indrelid
			JOIN pg_namespace n ON n.oid = i.relnamespace
			WHERE x.indisunique AND i.relname = $1 AND n.nspname = current_schema()`, d.Postgres).Scan(&tbl, &cols)
		if err != nil {
			t.Errorf("%s: no unique index %s on postgres: %v", d.Which, d.Postgres, err)
			continue
		}
		var key []string
		for _, c := range strings.Split(cols, ",") {
			key = append(key, tbl+"."+c)
		}
		if got := strings.Join(key, ", "); got != d.SQLite {
			t.Errorf("%s: %s is %s on postgres, but the sqlite key is %q", d.Which, d.Postgres, got, d.SQLite)
		}
	}
}

// TestSchemaDiff checks the comparison itself: two descriptions that differ
// in one column's type and one index's columns report exactly those, and
// identical ones report nothing.
func TestSchemaDiff(t *testing.T) {
	build := func(nameClass string, indexCols ...string) schema {
		return schema{"clients": {
			columns: map[string]column{
				"id":   {class: "integer", notNull: true},
				"name": {class: nameClass, notNull: true},
				"bsn":  {class: "text"},
			},
			primaryKey: []string{"id"},
			indexes:    []index{{columns: indexCols}, {columns: []string{"bsn"}, unique: true, partial: true}},
			foreignKeys: []foreignKey{{columns: []string{"id"}, refTable: "users", refColumns: []string{"id"},
				onDelete: "NO ACTION", onUpdate: "NO ACTION"}},
			triggers: []string{"BEFORE UPDATE"},
		}}
	}
	a := build("text", "name")
	if d := diffSchemas("a", a, "b", build("text", "name")); len(d) != 0 {
		t.Errorf("identical schemas differ: %q", d)
	}
	got := diffSchemas("a", a, "b", build("integer", "name", "id"))
	want := []string{
		"only in a: column clients.name text not null",
		"only in a: index clients (name)",
		"only in b: column clients.name integer not null",
		"only in b: index clients (name, id)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("diff:\n got  %q\n want %q", got, want)
	}

	// Nullability, uniqueness, partiality, references, checks, triggers and
	// tables count too.
	for _, tc := range []struct {
		change func(s schema)
		want   string
	}{
		{func(s schema) { s["clients"].columns["bsn"] = column{class: "text", notNull: true} }, "column clients.bsn text not null"},
		{func(s schema) { s["clients"].indexes[1].unique = false }, "index clients (bsn) partial"},
		{func(s schema) { s["clients"].indexes[1].partial = false }, "unique index clients (bsn)"},
		{func(s schema) { s["clients"].primaryKey = []string{"id", "bsn"} }, "primary key clients (id, bsn)"},
		{func(s schema) { s["clients"].foreignKeys[0].onDelete = "CASCADE" }, "foreign key clients (id) references users (id) on delete CASCADE on update NO ACTION"},
		{func(s schema) { s["clients"].checks = 1 }, "check constraints clients: 1"},
		{func(s schema) { s["clients"].triggers = append(s["clients"].triggers, "BEFORE DELETE") }, "trigger clients BEFORE DELETE"},
		{func(s schema) { s["users"] = &table{columns: map[string]column{}} }, "table users"},
	} {
		b := build("text", "name")
		tc.change(b)
		got := diffSchemas("a", a, "b", b)
		if !slices.Contains(got, "only in b: "+tc.want) {
			t.Errorf("diff %q does not report %q", got, "only in b: "+tc.want)
		}
	}
}
