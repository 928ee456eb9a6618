package store_test

import (
	"slices"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/store"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// Every table that refers to a client or a case, directly or through
// another such table (a foreign key, or a column client_id, case_id or
// application_id), has a destruction rule or is kept on purpose with a
// reason. A table added later without either fails here, on both engines.
func TestDestructionCoversEveryTable(t *testing.T) {
	covered := store.DestructionTables()
	kept := store.KeptTables()
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			db := storetest.Open(t, engine)
			var s schema
			if engine == "sqlite" {
				s = sqliteSchema(t, db.SQL())
			} else {
				s = postgresSchema(t, db.SQL())
			}
			if s["clients"] == nil || s["events"] == nil {
				t.Fatalf("schema not read: %d tables", len(s))
			}
			personal := map[string]bool{"clients": true}
			for changed := true; changed; {
				changed = false
				for name, tb := range s {
					if personal[name] {
						continue
					}
					refers := false
					for col := range tb.columns {
						if col == "client_id" || col == "case_id" || col == "application_id" {
							refers = true
						}
					}
					for _, fk := range tb.foreignKeys {
						if personal[fk.refTable] {
							refers = true
						}
					}
					if refers {
						personal[name], changed = true, true
					}
				}
			}
			for name := range personal {
				if !slices.Contains(covered, name) && kept[name] == "" {
					t.Errorf("table %s refers to clients or cases but has no destruction rule (store/retention.go, destroyRules) and is not kept with a reason (keptTables)", name)
				}
			}
			for _, name := range covered {
				if !personal[name] {
					t.Errorf("destruction rule for %s, which refers to no client", name)
				}
			}
			if len(personal) < 20 {
				t.Errorf("only %d tables refer to clients: %v", len(personal), personal)
			}
		})
	}
}
