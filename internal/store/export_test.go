package store

import "context"

// MigrateTo migrates the database up to version only (and River's tables),
// for tests of a migration against rows written before it.
func (db *DB) MigrateTo(ctx context.Context, version int64) error { return db.migrate(ctx, version) }

// SearchName exposes searchName to the tests.
var SearchName = searchName
