package store

import "context"

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
