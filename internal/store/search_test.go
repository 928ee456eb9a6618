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

// TestSearchClients: the name search folds case and accents, matches the
// beginnings of the name's words in any order (every word typed its own
// word of the name), takes wildcards literally, and gives the same answers
// in the same order on both engines.
func TestSearchClients(t *testing.T) {
	answers := map[string]map[string]string{} // engine → query → names found
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		clients := []casework.Client{
			{GivenName: "Ayşe", FamilyName: "Öztürk"},
			{GivenName: "Noël", FamilyName: "van den Berg"},
			{GivenName: "Jan", FamilyName: "Noel"},
			{GivenName: "Karel", FamilyName: "Appel_100%"},
			{GivenName: " Zoë ", FamilyName: "de  Wit"},
			{GivenName: "Jan", FamilyName: "Jansen-de Vries"},
			{GivenName: "Piet", FamilyName: "Jansen"},
			{GivenName: "Ñoël", FamilyName: "d'Hondt"},
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
			{"ozt", "Ayşe Öztürk"}, // the beginning of a word
			{"ztü", ""},            // not inside one
			{"ayse oz", "Ayşe Öztürk"},
			{"oz ayse", "Ayşe Öztürk"}, // any order
			{"noel", "Ñoël d'Hondt, Jan Noel, Noël van den Berg"},
			{"NOËL", "Ñoël d'Hondt, Jan Noel, Noël van den Berg"},
			{"ñoel", "Ñoël d'Hondt, Jan Noel, Noël van den Berg"},
			{"noël van", "Noël van den Berg"},
			{"hondt", "Ñoël d'Hondt"}, // words split at the apostrophe
			{"d'hondt", "Ñoël d'Hondt"},
			{"D’Hondt", "Ñoël d'Hondt"}, // a typographic apostrophe alike
			{"vries", "Jan Jansen-de Vries"},
			{"de vries", "Jan Jansen-de Vries"}, // and at the hyphen
			{"de", " Zoë  de  Wit, Jan Jansen-de Vries, Noël van den Berg"},
			{"jan", "Piet Jansen, Jan Jansen-de Vries, Jan Noel"},
			{"jan jansen", "Jan Jansen-de Vries"}, // two words beginning with "jan"
			{"jansen jan", "Jan Jansen-de Vries"},
			{"jan jan", "Jan Jansen-de Vries"},
			{"jansen jansen", ""},
			{"piet jansen", "Piet Jansen"},
			{"  ZOË   DE ", " Zoë  de  Wit"},
			{"appel_1", "Karel Appel_100%"},
			{"appel%", ""}, // wildcards match literally
			{"a_", ""},
			{"%", ""},
			{"zzz", ""},
			{"", "Karel Appel_100%, Ñoël d'Hondt,  Zoë  de  Wit, Piet Jansen, Jan Jansen-de Vries, Jan Noel, Ayşe Öztürk, Noël van den Berg"},
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
		view(t, db, func(tx casework.Tx) error {
			list, err := tx.SearchClients(ctx, "noel", 2)
			must(t, err)
			if len(list) != 2 {
				t.Errorf("limit 2: got %d", len(list))
			}
			return nil
		})

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

func TestNameWords(t *testing.T) {
	for in, want := range map[string]string{
		"jan jansen-de vries": "jan|jansen|de|vries",
		"noel d'hondt":        "noel|d|hondt",
		"o’brien (smith)":     "o|brien|smith",
		"jan jan":             "jan",
		"a.b.,c/d‐e–f":        "a|b|c|d|e|f",
		"appel_100%":          "appel_100%",
		"":                    "",
	} {
		if got := strings.Join(store.NameWords(in), "|"); got != want {
			t.Errorf("nameWords(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPrefixEnd(t *testing.T) {
	for in, want := range map[string]string{
		"jan":                  "jao",
		"ö":                    "÷",
		"a\U0010FFFF":          "b",
		"a\uD7FF":              "a\uE000",
		"\U0010FFFF\U0010FFFF": "",
		"":                     "",
	} {
		got, ok := store.PrefixEnd(in)
		if got != want || ok != (want != "") {
			t.Errorf("prefixEnd(%q) = %q, %v, want %q", in, got, ok, want)
		}
	}
}

// TestClientsByBirthDate: by date of birth, in name order, on both engines.
func TestClientsByBirthDate(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		born := day(1980, 3, 5)
		update(t, db, func(tx casework.Tx) error {
			for _, c := range []casework.Client{
				{GivenName: "Zoë", FamilyName: "Bakker", BirthDate: born},
				{GivenName: "Anna", FamilyName: "Bakker", BirthDate: born},
				{GivenName: "Piet", FamilyName: "Aalders", BirthDate: day(1980, 3, 6)},
				{GivenName: "Geen", FamilyName: "Datum"},
			} {
				must(t, tx.CreateClient(ctx, &c))
			}
			return nil
		})
		view(t, db, func(tx casework.Tx) error {
			list, err := tx.ClientsByBirthDate(ctx, born, 10)
			must(t, err)
			var names []string
			for _, c := range list {
				names = append(names, c.Name())
			}
			if got := strings.Join(names, ", "); got != "Anna Bakker, Zoë Bakker" {
				t.Errorf("ClientsByBirthDate = %q", got)
			}
			list, err = tx.ClientsByBirthDate(ctx, day(1990, 1, 1), 10)
			must(t, err)
			if len(list) != 0 {
				t.Errorf("nobody born then, found %d", len(list))
			}
			return nil
		})
	})
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

// TestClientWordsBackfill: migration 00006 splits the names of the clients
// stored before it into exactly the words the store writes for a new
// client (nameWords), on both engines.
func TestClientWordsBackfill(t *testing.T) {
	names := [][2]string{{"Noël", "Öztürk"}, {"Jan", "Jansen-de Vries"}, {"Ñoël", "d'Hondt"}, {"Anne-Marie", "van 't Hek"},
		{"Zoë", "O’Brien (Smith)"}, {"Jan Jan", "Jan"}, {"J.P.", "Balkenende–Bos"}, {"", ""}, {"  Ayşe ", "  Kaya\t"}}
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			db := storetest.Empty(t, engine)
			must(t, db.MigrateTo(ctx, 5))
			for _, n := range names {
				// Literal values: the placeholders differ per engine.
				q := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
				_, err := db.SQL().ExecContext(ctx, fmt.Sprintf(`INSERT INTO clients (given_name, family_name, created_at, search_name, sort_name)
					VALUES (%s, %s, '2026-03-29 10:00:00+00:00', %s, '')`, q(n[0]), q(n[1]), q(store.SearchName(n[0], n[1]))))
				must(t, err)
			}
			must(t, db.Migrate(ctx))
			rows, err := db.SQL().QueryContext(ctx, `SELECT c.given_name, c.family_name, w.word FROM client_words w
				JOIN clients c ON c.id = w.client_id ORDER BY c.id, w.word`)
			must(t, err)
			got := map[[2]string][]string{}
			for rows.Next() {
				var g, f, w string
				must(t, rows.Scan(&g, &f, &w))
				got[[2]string{g, f}] = append(got[[2]string{g, f}], w)
			}
			must(t, rows.Err())
			rows.Close()
			for _, n := range names {
				want := slices.Sorted(slices.Values(store.NameWords(store.SearchName(n[0], n[1]))))
				if !slices.Equal(got[n], want) {
					t.Errorf("%q %q: migrated words %q, want %q", n[0], n[1], got[n], want)
				}
			}
			view(t, db, func(tx casework.Tx) error {
				list, err := tx.SearchClients(ctx, "hondt noel", 10)
				must(t, err)
				if len(list) != 1 || list[0].FamilyName != "d'Hondt" {
					t.Errorf("search after the migration found %+v", list)
				}
				return nil
			})
		})
	}
}
