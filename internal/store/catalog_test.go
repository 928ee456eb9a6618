package store_test

import (
	"slices"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/store"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// TestCatalog: both engines list the same application tables and the
// foreign keys that tie them to clients.
func TestCatalog(t *testing.T) {
	got := map[string][]string{}
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		tables, fks, err := db.Catalog(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.IsSorted(tables) || !slices.Contains(tables, "clients") || !slices.Contains(tables, "tasks") {
			t.Errorf("tables %v: not sorted or without clients and tasks", tables)
		}
		for table, col := range map[string]string{"cases": "client_id", "tasks": "case_id", "events": "client_id"} {
			if fks[table][col] == "" {
				t.Errorf("%s.%s: no foreign key found (%v)", table, col, fks[table])
			}
		}
		if fks["cases"]["client_id"] != "clients" || fks["tasks"]["case_id"] != "cases" {
			t.Errorf("cases.client_id → %q, tasks.case_id → %q", fks["cases"]["client_id"], fks["tasks"]["case_id"])
		}
		var own []string
		for _, n := range tables {
			if len(fks[n]) > 0 {
				own = append(own, n)
			}
		}
		got[db.Engine()] = own
	})
	if a, b := got["sqlite"], got["postgres"]; a != nil && b != nil && !slices.Equal(a, b) {
		t.Errorf("tables with foreign keys differ:\nsqlite   %v\npostgres %v", a, b)
	}
}
