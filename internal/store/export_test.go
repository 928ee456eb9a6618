package store

import (
	"context"
	"strings"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// Duplicate is one entry of the duplicates table, for the schema test.
type Duplicate struct{ Which, Postgres, SQLite string }

// Duplicates returns the unique constraints the store maps to
// casework.ErrDuplicate, under the names each engine reports them by.
func Duplicates() []Duplicate {
	out := make([]Duplicate, len(duplicates))
	for i, d := range duplicates {
		out[i] = Duplicate{d.which, d.postgres, d.sqlite}
	}
	return out
}

// MigrateTo migrates the database up to version only (and River's tables),
// for tests of a migration against rows written before it.
func (db *DB) MigrateTo(ctx context.Context, version int64) error { return db.migrate(ctx, version) }

// SearchName exposes searchName to the tests.
var SearchName = searchName

// DestructionTables lists the tables destruction removes rows of.
func DestructionTables() []string {
	var out []string
	for _, r := range destroyRules {
		out = append(out, r.table)
	}
	return out
}

// ExplainListTasks returns the engine's plan of the statement ListTasks
// runs for the first page of f, one line per step: EXPLAIN QUERY PLAN's details on SQLite, EXPLAIN's lines
// on PostgreSQL.
//
// With whole false it explains the statement of the rows with a sort key
// alone, which the whole statement (for a nullable sort, a UNION ALL with
// the rows without one) cuts at a page before it orders the two pages.
func (db *DB) ExplainListTasks(ctx context.Context, f casework.TaskFilter, whole bool) (string, error) {
	p := newTaskPage(f)
	q, args := p.query(false, false, limit(f.Limit, 500))
	if p.s.nullable && whole {
		q, args = p.both(false, false, limit(f.Limit, 500))
	}
	var lines []string
	err := db.View(ctx, func(x casework.Tx) error {
		t := x.(*tx)
		var err error
		if t.d.name() == "sqlite" {
			lines, err = queryAll(ctx, t, func(s scanner) (string, error) {
				var id, parent, unused int
				var detail string
				err := s.Scan(&id, &parent, &unused, &detail)
				return detail, err
			}, `EXPLAIN QUERY PLAN `+q, args...)
			return err
		}
		lines, err = queryAll(ctx, t, func(s scanner) (string, error) {
			var line string
			return line, s.Scan(&line)
		}, `EXPLAIN `+q, args...)
		return err
	})
	return strings.Join(lines, "\n"), err
}

// Analyze has the engine gather the statistics its planner uses.
func (db *DB) Analyze(ctx context.Context) error {
	return db.Update(ctx, func(x casework.Tx) error {
		_, err := x.(*tx).exec(ctx, `ANALYZE`)
		return err
	})
}
