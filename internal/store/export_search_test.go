package store

// Search internals exposed to the tests of package store_test.
var (
	NameWords = nameWords
	SortName  = sortName
	PrefixEnd = prefixEnd
)

// Rebind turns the ? placeholders of query into the engine's own, for
// tests that write rows without the store (the search benchmark).
func (db *DB) Rebind(query string) string { return db.d.rebind(query) }
