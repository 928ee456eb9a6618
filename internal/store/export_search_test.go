package store

// Search internals exposed to the tests of package store_test.
var (
	NameWords = nameWords
	SortName  = sortName
	PrefixEnd = prefixEnd
)
