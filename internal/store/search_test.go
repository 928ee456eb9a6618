package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/store"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

func TestSearchName(t *testing.T) {
	for in, want := range map[string]string{
		"  Noël  ÖZTÜRK ":          "noel ozturk",
		"Ayşe":                     "ayse",
		"NOE\u0308L":               "noel", // already decomposed
		"Çelik\tde\nJong\r\x00Zoë": "celik de jong zoe",
		"Appel_100%":               "appel_100%",
		"Straße Øster":             "straße øster", // no decomposition: kept
		"":                         "",
	} {
		if got := store.SearchName(in); got != want {
			t.Errorf("searchName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := store.SearchName("Jan", "de  Vries"); got != "jan de vries" {
		t.Errorf("searchName(given, family) = %q", got)
	}
}

// TestSearchClients: the name search folds case and accents and matches
// any part of given name and family name, with wildcards taken literally,
// and gives the same answers in the same order on both engines.
func TestSearchClients(t *testing.T) {
	answers := map[string]map[string]string{} // engine → query → names found
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		clients := []casework.Client{
			{GivenName: "Ayşe", FamilyName: "Öztürk"},
			{GivenName: "Noël", FamilyName: "van den Berg"},
			{GivenName: "Jan", FamilyName: "Noel"},
			{GivenName: "Karel", FamilyName: "Appel_100%"},
			{GivenName: " Zoë ", FamilyName: "de  Wit"},
		}
		update(t, db, func(tx casework.Tx) error {
			for i := range clients {
				must(t, tx.CreateClient(ctx, &clients[i]))
			}
			return nil
		})
		engine := db.Engine()
		answers[engine] = map[string]string{}
		for _, tc := range []struct{ q, want string }{
			{"öztürk", "Ayşe Öztürk"},
			{"OZTURK", "Ayşe Öztürk"},
			{"Öztürk", "Ayşe Öztürk"},
			{"ztü", "Ayşe Öztürk"},                  // part of a name
			{"ayse oz", "Ayşe Öztürk"},              // given name into family name
			{"noel", "Jan Noel, Noël van den Berg"}, // by family name
			{"NOEL", "Jan Noel, Noël van den Berg"},
			{"Noël", "Jan Noel, Noël van den Berg"},
			{"noël van", "Noël van den Berg"},
			{"  ZOË   DE ", " Zoë  de  Wit"},
			{"100%", "Karel Appel_100%"},
			{"%", "Karel Appel_100%"}, // wildcards match literally
			{"_", "Karel Appel_100%"},
			{"l_1", "Karel Appel_100%"},
			{"l%", ""},
			{"a_e", ""},
			{"!", ""}, // the escape character itself
			{"", "Karel Appel_100%,  Zoë  de  Wit, Jan Noel, Ayşe Öztürk, Noël van den Berg"},
		} {
			var list []casework.Client
			view(t, db, func(tx casework.Tx) error {
				var err error
				list, err = tx.SearchClients(ctx, tc.q, 10)
				return err
			})
			var names []string
			for _, c := range list {
				names = append(names, c.GivenName+" "+c.FamilyName)
			}
			got := strings.Join(names, ", ")
			if got != tc.want {
				t.Errorf("SearchClients(%q) = %q, want %q", tc.q, got, tc.want)
			}
			answers[engine][tc.q] = got
		}

		// A changed name is searched as changed.
		clients[2].FamilyName = "Çelik"
		update(t, db, func(tx casework.Tx) error { return tx.UpdateClient(ctx, &clients[2]) })
		view(t, db, func(tx casework.Tx) error {
			list, err := tx.SearchClients(ctx, "celik", 10)
			must(t, err)
			if len(list) != 1 || list[0].ID != clients[2].ID {
				t.Errorf("after UpdateClient, search finds %+v", list)
			}
			list, err = tx.SearchClients(ctx, "jan noel", 10)
			must(t, err)
			if len(list) != 0 {
				t.Errorf("after UpdateClient, the old name still finds %+v", list)
			}
			return nil
		})
	})
	if len(answers) == 2 {
		for q, lite := range answers["sqlite"] {
			if pg := answers["postgres"][q]; pg != lite {
				t.Errorf("SearchClients(%q): sqlite %q, postgres %q", q, lite, pg)
			}
		}
	}
}

// TestClientNamesBackfill: clients stored before the search columns existed
// are found by the normalised search once migrated (Go migration 00004).
func TestClientNamesBackfill(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			db := storetest.Empty(t, engine)
			must(t, db.MigrateTo(ctx, 2))
			// Literal values: the placeholders differ per engine.
			for _, name := range [][2]string{{"Noël", "Öztürk"}, {"Jan", "Jansen"}, {"", ""}} {
				_, err := db.SQL().ExecContext(ctx, fmt.Sprintf(`INSERT INTO clients (given_name, family_name, created_at)
					VALUES ('%s', '%s', '2026-03-29 10:00:00+00:00')`, name[0], name[1]))
				must(t, err)
			}
			must(t, db.Migrate(ctx))
			view(t, db, func(tx casework.Tx) error {
				for q, want := range map[string][]string{
					"noel ozturk": {"Öztürk"},
					"JANSEN":      {"Jansen"},
					"":            {"", "Jansen", "Öztürk"}, // sorted by the backfilled sort_name
				} {
					list, err := tx.SearchClients(ctx, q, 10)
					must(t, err)
					var got []string
					for _, c := range list {
						got = append(got, c.FamilyName)
					}
					if !slices.Equal(got, want) {
						t.Errorf("SearchClients(%q) after backfill = %q, want %q", q, got, want)
					}
				}
				return nil
			})
		})
	}
}
