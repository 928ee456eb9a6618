package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// TestClientSearch searches clients in the one search box on both
// engines, as a caseworker does: by name with and without accents, by
// date of birth, and by BSN, which never shows up in the address bar or
// the page and lands in the client's history once, also when the
// caseworker goes back to the results. axe checks every page on the way.
func TestClientSearch(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			h := newHarnessOn(t, engine)
			born := process.AddDays(h.env.Clock.Now(), -(38*365 + 17))
			apply := func(given, family string, born time.Time) (int64, string) {
				p := h.env.Person()
				p.GivenName, p.FamilyName, p.BirthDate = given, family, born
				app, err := h.env.Walker.Apply(context.Background(), p, false)
				if err != nil {
					t.Fatalf("apply %s %s: %v", given, family, err)
				}
				return app.ClientID, p.BSN
			}
			ayse, _ := apply("Ayşe", "Öztürk", born)
			noel, noelBSN := apply("Ñoël", "Jansen-de Vries", process.AddDays(born, 1))
			apply("Piet", "Jansen", process.AddDays(born, 2))

			tessa := h.login("tessa")
			search := func(text string) int {
				t.Helper()
				if tessa.path() != "/klanten" {
					tessa.visitOK("/klanten")
				}
				tessa.fillLabel("Zoek een klant", text)
				return tessa.submit("Zoeken")
			}
			found := func(text string, want ...string) {
				t.Helper()
				if st := search(text); st != 200 {
					tessa.fatalf("search %q: status %d", text, st)
				}
				if p, q := tessa.path(), eval[string](tessa, `location.search`); p != "/klanten" || q != "" {
					t.Errorf("after searching %q the address is %s%s, want /klanten", text, p, q)
				}
				rows := tessa.texts("#resultaten tbody tr")
				if len(rows) != len(want) {
					tessa.fatalf("search %q: %d rows %q, want %q", text, len(rows), rows, want)
				}
				for i, w := range want {
					if !strings.HasPrefix(rows[i], w) {
						t.Errorf("search %q: row %d is %q, want it to start with %q", text, i+1, rows[i], w)
					}
				}
			}

			// By name: case and accents do not matter, words in any order.
			found("ozturk", "Ayşe Öztürk")
			found("ÖZTÜRK", "Ayşe Öztürk")
			found("noel", "Ñoël Jansen-de Vries")
			found("jansen", "Piet Jansen", "Ñoël Jansen-de Vries")
			found("de vries", "Ñoël Jansen-de Vries")
			if v := tessa.value("f-" + process.FieldSearch); v != "de vries" {
				t.Errorf("the box holds %q after a name search", v)
			}
			tessa.contains("#resultaten thead", "Naam", "Geboortedatum", "Klantnummer", "Huidige stap of status")
			found("Öztürk Ayşe", "Ayşe Öztürk")
			tessa.contains("#resultaten tbody", h.env.File(t, ayse).OpenTasks()[0].StepTitle)
			tessa.narrow() // the results reflow at 320 px
			tessa.reflows()
			tessa.do("wide again", chromedp.EmulateViewport(1280, 1000))
			tessa.view = ""

			// By date of birth, typed either way; by client number.
			found(casework.FormatDate(born), "Ayşe Öztürk")
			found(process.AddDays(born, 1).Format(time.DateOnly), "Ñoël Jansen-de Vries")
			found(strconv.FormatInt(ayse, 10), "Ayşe Öztürk")

			// By BSN: not in the address, the box or the page; once in the
			// history, also after going back to the results.
			found(noelBSN[:4]+" "+noelBSN[4:6]+" "+noelBSN[6:], "Ñoël Jansen-de Vries")
			if href := eval[string](tessa, `location.href`); strings.Contains(href, noelBSN) {
				t.Errorf("the BSN is in the address: %s", href)
			}
			tessa.noBSN(noelBSN, noelBSN[:4]+" "+noelBSN[4:6]+" "+noelBSN[6:])
			tessa.contains("#resultaten-titel", "BSN ******"+noelBSN[6:])
			if v := tessa.value("f-" + process.FieldSearch); v != "" {
				t.Errorf("the box holds %q after a BSN search", v)
			}
			tessa.follow("Ñoël Jansen-de Vries")
			tessa.contains("main", "BSN gezocht")
			tessa.do("back to the results", chromedp.NavigateBack())
			tessa.loaded(200)
			if tessa.path() != "/klanten" || !strings.Contains(tessa.text("#resultaten"), "Ñoël Jansen-de Vries") {
				t.Errorf("back from the client: %s shows %q", tessa.path(), tessa.text("main"))
			}
			views := 0
			for _, e := range h.env.File(t, noel).Events {
				if strings.HasPrefix(e.Summary, "BSN gezocht") {
					views++
				}
			}
			if views != 1 {
				t.Errorf("%d history lines \"BSN gezocht\", want 1 (going back searches no BSN again)", views)
			}

			// A part of the BSN finds nobody; an invalid one is refused in Dutch.
			if st := search(noelBSN[:8]); st != 200 || tessa.count("#resultaten tbody tr") != 0 {
				t.Errorf("eight digits of a BSN: status %d, rows %d", st, tessa.count("#resultaten tbody tr"))
			}
			tessa.contains("#resultaten-titel", "Geen klant gevonden")
			wrong := noelBSN[:8] + string(rune('0'+(noelBSN[8]-'0'+1)%10))
			if st := search(wrong); st != 422 {
				t.Errorf("an invalid BSN: status %d, want 422", st)
			}
			tessa.contains("#foutmeldingen", "Dit is geen geldig BSN")
			tessa.noBSN(wrong)
		})
	}
}
