package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// TestWorklistPages: with more tasks than a page, the team worklist shows
// 50 with "50 van N taken" in its caption and a "Volgende 50" link in a
// navigation labelled Paginering; the link shows the rest, once each, and
// "Vorige" the first page again. The links carry no name.
func TestWorklistPages(t *testing.T) {
	a := newApp(t)
	const n = 55
	for range n {
		a.env.Apply(t)
	}
	b := a.loginRole(process.RolePoortwachter)
	taskIDs := func(p page) []string {
		return p.doc.Find("#werkvoorraad-tabel tbody tr td:nth-child(2) a").Map(func(_ int, s *goquery.Selection) string {
			href, _ := s.Attr("href")
			return strings.SplitN(href, "?", 2)[0]
		})
	}

	first := b.get("/werkvoorraad?sort=client")
	expectStatus(t, first, http.StatusOK)
	ids1 := taskIDs(first)
	if len(ids1) != 50 {
		t.Fatalf("first page shows %d tasks, want 50", len(ids1))
	}
	if c := first.text("#werkvoorraad-tabel caption"); c != "Teamwerkvoorraad: 50 van 55 taken" {
		t.Errorf("caption %q", c)
	}
	next := first.doc.Find(`nav[aria-label="Paginering"] a[rel="next"]`)
	if next.Length() != 1 || strings.TrimSpace(next.Text()) != "Volgende 50" {
		t.Fatalf("no Volgende 50 link in the paging navigation:\n%s", first.body)
	}
	if first.has(`nav[aria-label="Paginering"] a[rel="prev"]`) {
		t.Errorf("the first page links to a page before it")
	}
	href, _ := next.Attr("href")
	u, err := url.Parse(href)
	if err != nil || u.Path != "/werkvoorraad" || u.Query().Get("sort") != "client" || u.Query().Get("pagina") == "" {
		t.Errorf("next link %q keeps the sort and adds a page", href)
	}
	for _, f := range first.doc.Find("#werkvoorraad-tabel tbody tr td:first-child").Map(func(_ int, s *goquery.Selection) string { return s.Text() }) {
		for _, word := range strings.Fields(f) {
			if len(word) > 2 && strings.Contains(strings.ToLower(href), strings.ToLower(word)) {
				t.Errorf("next link %q holds %q of a client's name", href, word)
			}
		}
	}

	second := b.get(href)
	expectStatus(t, second, http.StatusOK)
	ids2 := taskIDs(second)
	if len(ids2) != n-50 {
		t.Fatalf("second page shows %d tasks, want %d", len(ids2), n-50)
	}
	if c := second.text("#werkvoorraad-tabel caption"); c != "Teamwerkvoorraad: 5 van 55 taken" {
		t.Errorf("caption of the second page %q", c)
	}
	seen := map[string]bool{}
	for _, id := range append(ids1, ids2...) {
		if seen[id] {
			t.Errorf("task %s on both pages", id)
		}
		seen[id] = true
	}
	if second.has(`nav[aria-label="Paginering"] a[rel="next"]`) {
		t.Errorf("the last page links to a page after it")
	}
	prev, ok := second.doc.Find(`nav[aria-label="Paginering"] a[rel="prev"]`).Attr("href")
	if !ok {
		t.Fatalf("no Vorige link on the second page")
	}
	back := b.get(prev)
	if got := taskIDs(back); strings.Join(got, ",") != strings.Join(ids1, ",") {
		t.Errorf("Vorige shows\n %v\nwant the first page\n %v", got, ids1)
	}

	// The filter's htmx swap returns the table with its paging.
	frag := b.get("/werkvoorraad?sort=client", "HX-Request", "true")
	if strings.Contains(frag.body, "<html") || !frag.has(`#werkvoorraad nav[aria-label="Paginering"] a[rel="next"]`) {
		t.Errorf("htmx fragment without its paging:\n%s", frag.body)
	}
}

// TestNavCountAfterPickUp: the navigation's "Mijn werkvoorraad" count,
// cached for a short while, shows a task the user picked up on the very
// next page.
func TestNavCountAfterPickUp(t *testing.T) {
	a := newApp(t)
	a.env.Apply(t)
	b := a.loginRole(process.RolePoortwachter)
	mine := func(p page) string { return p.text(`nav a[href="/werkvoorraad/mijn"]`) }

	p := b.get("/proces")
	if got := mine(p); !strings.HasPrefix(got, "Mijn werkvoorraad (0)") {
		t.Fatalf("before: %q", got)
	}
	wl := b.get("/werkvoorraad")
	form := wl.doc.Find(`form[action$="/oppakken"]`).First()
	action, _ := form.Attr("action")
	version, _ := form.Find(`input[name="versie"]`).Attr("value")
	if action == "" {
		t.Fatalf("no pick-up form:\n%s", wl.body)
	}
	res := b.post(action, url.Values{"versie": {version}, "terug": {"/proces"}})
	to := expectRedirect(t, res, "/proces")
	p = b.get(to)
	if got := mine(p); !strings.HasPrefix(got, "Mijn werkvoorraad (1)") {
		t.Errorf("after picking up: %q", got)
	}
}
