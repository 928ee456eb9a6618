package web_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
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

// TestWorklistPageSize: a caseworker chooses 25, 50 or 100 tasks a page
// ("Taken per pagina"); the choice holds on the next page, in the sort
// links and for the session, and any other number shows the default 50.
func TestWorklistPageSize(t *testing.T) {
	a := newApp(t)
	const n = 30
	for range n {
		a.env.Apply(t)
	}
	b := a.loginRole(process.RolePoortwachter)
	rows := func(p page) int { return p.doc.Find("#werkvoorraad-tabel tbody tr").Length() }
	chosen := func(p page) string { return p.attr("#filter-aantal option[selected]", "value") }

	first := b.get("/werkvoorraad?aantal=25")
	expectStatus(t, first, http.StatusOK)
	if rows(first) != 25 || chosen(first) != "25" {
		t.Fatalf("aantal=25: %d rows, %q chosen; want 25 and 25", rows(first), chosen(first))
	}
	if got := first.doc.Find("#filter-aantal option").Map(func(_ int, s *goquery.Selection) string { return s.Text() }); strings.Join(got, ",") != "25,50,100" {
		t.Errorf("page sizes offered %v, want 25, 50 and 100", got)
	}
	if l := first.text(`label[for="filter-aantal"]`); l != "Taken per pagina" {
		t.Errorf("label %q", l)
	}
	next := first.doc.Find(`nav[aria-label="Paginering"] a[rel="next"]`)
	href, _ := next.Attr("href")
	if strings.TrimSpace(next.Text()) != "Volgende 25" || !strings.Contains(href, "aantal=25") {
		t.Fatalf("next link %q (%q), want Volgende 25 keeping the size", href, next.Text())
	}
	if sort, _ := first.doc.Find("#werkvoorraad-tabel thead a").First().Attr("href"); !strings.Contains(sort, "aantal=25") {
		t.Errorf("sort link %q loses the size", sort)
	}
	second := b.get(href)
	if rows(second) != n-25 || chosen(second) != "25" {
		t.Errorf("second page: %d rows, %q chosen; want %d and 25", rows(second), chosen(second), n-25)
	}

	// The choice holds for the session: the worklist opened from the
	// navigation shows 25 again, "Mijn werkvoorraad" too.
	if p := b.get("/werkvoorraad"); rows(p) != 25 || chosen(p) != "25" {
		t.Errorf("/werkvoorraad after choosing 25: %d rows, %q chosen", rows(p), chosen(p))
	}
	if p := b.get("/werkvoorraad/mijn"); chosen(p) != "25" {
		t.Errorf("/werkvoorraad/mijn after choosing 25: %q chosen", chosen(p))
	}

	for _, q := range []string{"?aantal=50", "", "?aantal=1000", "?aantal=7", "?aantal=veel"} {
		p := b.get("/werkvoorraad" + q)
		expectStatus(t, p, http.StatusOK)
		if rows(p) != n || chosen(p) != "50" || p.has(`nav[aria-label="Paginering"] a[rel="next"]`) {
			t.Errorf("/werkvoorraad%s: %d rows, %q chosen; want all %d on one page of 50", q, rows(p), chosen(p), n)
		}
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

// TestClientHistoryPages: a client with more history than a page shows
// the newest 50 lines on their page, with an "Eerdere" link in the
// Paginering navigation; it shows the older lines, once each, and the note
// written among them (not on the first page), and "Nieuwere" the newest
// page again. The links carry a position, no name.
func TestClientHistoryPages(t *testing.T) {
	a := newApp(t)
	app := a.env.Apply(t)
	base := time.Date(2020, 3, 2, 9, 0, 0, 0, time.UTC)
	err := a.env.DB.Update(context.Background(), func(tx casework.Tx) error {
		for i := range 70 {
			e := casework.Event{ClientID: app.ClientID, Kind: "test", Summary: fmt.Sprintf("Oude regel %d.", i), At: base.Add(time.Duration(i/2) * time.Hour)}
			if err := tx.AppendEvent(context.Background(), &e); err != nil {
				return err
			}
		}
		n := casework.Note{ClientID: app.ClientID, CaseID: app.ID, Body: "Notitie tussen de oude regels.", AuthorID: a.env.Users[process.RoleTeamleider].ID,
			CreatedAt: base.Add(90 * time.Minute)}
		return tx.AddNote(context.Background(), &n)
	})
	if err != nil {
		t.Fatal(err)
	}
	var total int
	err = a.env.DB.View(context.Background(), func(tx casework.Tx) error {
		all, err := tx.EventsByClient(context.Background(), app.ClientID)
		total = len(all)
		return err
	})
	if err != nil || total <= 70 {
		t.Fatalf("the client has %d history lines (%v)", total, err)
	}
	b := a.loginRole(process.RoleTeamleider)
	lines := func(p page) []string {
		return p.doc.Find("ol.wd-timeline > li").Map(func(_ int, s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") })
	}
	first := b.get("/klanten/" + id(app.ClientID))
	expectStatus(t, first, http.StatusOK)
	l1 := lines(first)
	if len(l1) != 50 {
		t.Fatalf("the first page shows %d history lines, want 50", len(l1))
	}
	if strings.Contains(first.body, "Notitie tussen de oude regels.") || strings.Contains(first.body, "Oude regel 0.") {
		t.Errorf("the first page shows the oldest history")
	}
	if first.has(`nav[aria-label="Paginering"] a[rel="prev"]`) {
		t.Errorf("the newest page links to newer lines")
	}
	older := first.doc.Find(`nav[aria-label="Paginering"] a[rel="next"]`)
	if older.Length() != 1 || strings.TrimSpace(older.Text()) != "Eerdere" {
		t.Fatalf("no Eerdere link in the paging navigation:\n%s", first.body)
	}
	href, _ := older.Attr("href")
	u, err := url.Parse(href)
	if err != nil || u.Path != "/klanten/"+id(app.ClientID) || u.Fragment != "historie" || u.Query().Get("pagina") == "" || len(u.Query()) != 1 {
		t.Errorf("Eerdere links to %q", href)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(u.Query().Get("pagina"))
	if c := a.env.File(t, app.ClientID).Client; strings.Contains(string(raw), c.FamilyName) || strings.Contains(string(raw), c.BSN) {
		t.Errorf("the cursor %q holds the client's name or BSN", raw)
	}

	second := b.get(href)
	expectStatus(t, second, http.StatusOK)
	l2 := lines(second)
	if want := total - 50 + 1; len(l2) != want {
		t.Fatalf("the second page shows %d lines, want %d (the rest and the note)", len(l2), want)
	}
	if !strings.Contains(second.body, "Notitie tussen de oude regels.") || !strings.Contains(second.body, "Oude regel 0.") {
		t.Errorf("the second page lacks the note or the oldest line")
	}
	seen := map[string]bool{}
	for _, l := range append(l1, l2...) {
		if seen[l] && strings.Contains(l, "Oude regel") {
			t.Errorf("line %q on both pages", l)
		}
		seen[l] = true
	}
	if second.has(`nav[aria-label="Paginering"] a[rel="next"]`) {
		t.Errorf("the oldest page links to older lines")
	}
	newer := second.doc.Find(`nav[aria-label="Paginering"] a[rel="prev"]`)
	if strings.TrimSpace(newer.Text()) != "Nieuwere" {
		t.Fatalf("no Nieuwere link on the second page")
	}
	prev, _ := newer.Attr("href")
	if got := lines(b.get(prev)); strings.Join(got, "|") != strings.Join(l1, "|") {
		t.Errorf("Nieuwere shows\n %v\nwant the first page\n %v", got, l1)
	}
}

// TestTeamDossiersPages: the team view lists every owner with the number
// of their open dossiers and shows the dossiers of one group only (those
// without an owner first); another owner's link shows theirs, 50 with
// "50 van 55" and a "Volgende 50" link that keeps the owner and shows the
// rest with their transfer checkboxes.
func TestTeamDossiersPages(t *testing.T) {
	a := newApp(t)
	app := a.env.Apply(t)
	owner := a.env.Users[process.RoleKMWerkdiagnose]
	const n = 55
	err := a.env.DB.Update(context.Background(), func(tx casework.Tx) error {
		for i := range n + 1 {
			c := casework.Client{GivenName: "Klant", FamilyName: fmt.Sprintf("Nummer %02d", i), BirthDate: time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC), CreatedAt: app.OpenedAt}
			if err := tx.CreateClient(context.Background(), &c); err != nil {
				return err
			}
			pa := casework.Case{ClientID: c.ID, Kind: process.CaseParticipatie, Code: "17/PA", Status: process.StatusWerkdiagnose,
				ApplicationID: app.ID, DefinitionVersion: app.DefinitionVersion, OpenedAt: app.OpenedAt, DossierOwner: owner.ID}
			if i == n {
				pa.DossierOwner = 0
			}
			if err := tx.CreateCase(context.Background(), &pa); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	b := a.loginRole(process.RoleTeamleider)
	rows := func(p page) []string {
		return p.doc.Find(`main table input[name="dossiers"]`).Map(func(_ int, s *goquery.Selection) string { v, _ := s.Attr("value"); return v })
	}
	first := b.get("/dossiers/team")
	expectStatus(t, first, http.StatusOK)
	if got := rows(first); len(got) != 1 || !first.has(`caption:contains("Dossiers van Zonder dossierhouder (1)")`) {
		t.Fatalf("the first view shows %d dossiers, want the one without an owner:\n%s", len(got), first.body)
	}
	link := first.doc.Find(`main a:contains("Dossiers van ` + owner.Name + ` tonen")`)
	href, ok := link.Attr("href")
	if !ok || !strings.Contains(link.Parent().Text(), "55 open dossiers") {
		t.Fatalf("no link to %s's 55 dossiers:\n%s", owner.Name, first.body)
	}
	list := b.get(href)
	expectStatus(t, list, http.StatusOK)
	ids1 := rows(list)
	if len(ids1) != 50 || !list.has(`caption:contains("Dossiers van `+owner.Name+` (50 van 55)")`) {
		t.Fatalf("%s's view shows %d dossiers, want 50 of 55", owner.Name, len(ids1))
	}
	next := list.doc.Find(`nav[aria-label="Paginering"] a[rel="next"]`)
	nextHref, _ := next.Attr("href")
	u, err := url.Parse(nextHref)
	if next.Length() != 1 || strings.TrimSpace(next.Text()) != "Volgende 50" || err != nil || u.Query().Get("eigenaar") != id(owner.ID) || u.Query().Get("pagina") == "" {
		t.Fatalf("Volgende 50 links to %q", nextHref)
	}
	second := b.get(nextHref)
	expectStatus(t, second, http.StatusOK)
	ids2 := rows(second)
	if len(ids2) != n-50 {
		t.Fatalf("the second page shows %d dossiers, want %d", len(ids2), n-50)
	}
	seen := map[string]bool{}
	for _, d := range append(ids1, ids2...) {
		if seen[d] {
			t.Errorf("dossier %s on both pages", d)
		}
		seen[d] = true
		if !second.has(`input[name="`+process.DossierVersionField(mustID(t, d))+`"]`) && !list.has(`input[name="`+process.DossierVersionField(mustID(t, d))+`"]`) {
			t.Errorf("dossier %s has no version in the transfer form", d)
		}
	}
	if !second.has(`nav[aria-label="Paginering"] a[rel="prev"]`) || second.has(`nav[aria-label="Paginering"] a[rel="next"]`) {
		t.Errorf("the last page's links are wrong")
	}
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
