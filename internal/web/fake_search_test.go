package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// fakeSearch makes SearchClients recognise the text as the real one does
// and answer found, recording every text it was given.
func (fa *fakeApp) fakeSearch(found []casework.FoundClient, more bool) *[]string {
	var texts []string
	fa.svc.SearchClientsFn = func(_ context.Context, _ casework.Actor, text string) (casework.ClientSearch, error) {
		texts = append(texts, text)
		q, err := casework.ParseClientQuery(text)
		if err != nil {
			return casework.ClientSearch{}, err
		}
		return casework.ClientSearch{Query: q, Found: found, More: more}, nil
	}
	return &texts
}

// TestFakeClientSearch: the search box is posted, never put in a URL; the
// results come after a redirect, with name, date of birth, client number
// and where the client stands, and never a BSN; a BSN search is shown
// again by the client it found, without a second BSN lookup.
func TestFakeClientSearch(t *testing.T) {
	fa := newFakeApp(t, fakePoortwachter, fakeKlantmanager)
	b := fa.login(fakePoortwachter)
	noor := casework.FoundClient{ID: 11, Known: true, GivenName: "Noor", FamilyName: "Öztürk", BirthDate: time.Date(1980, 3, 5, 0, 0, 0, 0, process.Amsterdam),
		MaskedBSN: "******782", Steps: []string{"Intakegesprek"}}
	sem := casework.FoundClient{ID: 12, Known: true, GivenName: "Sem", FamilyName: "Öztürk", Status: "Afgesloten"}
	fa.fakeSearch([]casework.FoundClient{noor, sem}, true)

	p := b.get("/klanten")
	expectStatus(t, p, http.StatusOK)
	if p.attr(`form[role=search]`, "method") != "post" || !p.has(`#f-`+process.FieldSearch) || p.has("#resultaten") {
		t.Errorf("the empty search page: %s", p.text("main"))
	}
	if help := p.text("#f-" + process.FieldSearch + "-hulp"); !strings.Contains(help, "geboortedatum") || !strings.Contains(help, "BSN") {
		t.Errorf("the hint under the box says %q", help)
	}

	// By name.
	loc := expectRedirect(t, b.post("/klanten", url.Values{process.FieldSearch: {"ozturk"}}), "/klanten")
	if strings.Contains(loc, "ozturk") {
		t.Errorf("the search text is in the redirect: %s", loc)
	}
	p = b.get(loc)
	expectStatus(t, p, http.StatusOK)
	if h := p.text("#resultaten-titel"); h != "2 of meer klanten gevonden bij zoeken op naam “ozturk”" {
		t.Errorf("results heading %q", h)
	}
	rows := p.doc.Find("#resultaten tbody tr")
	if rows.Length() != 2 {
		t.Fatalf("%d rows, want 2", rows.Length())
	}
	first := strings.Join(strings.Fields(rows.First().Text()), " ")
	if first != "Noor Öztürk 05-03-1980 11 Intakegesprek" || !p.has(`#resultaten a[href="/klanten/11"]`) {
		t.Errorf("first row %q", first)
	}
	if second := strings.Join(strings.Fields(rows.Eq(1).Text()), " "); second != "Sem Öztürk 12 Afgesloten" {
		t.Errorf("second row %q", second)
	}
	if !strings.Contains(p.text("#resultaten"), "Alleen de eerste 100") || strings.Contains(p.body, "782") {
		t.Errorf("more than the limit, or a BSN: %s", p.text("#resultaten"))
	}
	if p.attr("#f-"+process.FieldSearch, "value") != "ozturk" {
		t.Errorf("the box does not keep the name")
	}

	// By BSN: the page shows it masked, the box empty, and going back to
	// the results searches the client number it found.
	const bsn = "123456782"
	texts := fa.fakeSearch([]casework.FoundClient{noor}, false)
	loc = expectRedirect(t, b.post("/klanten", url.Values{process.FieldSearch: {"1234 56 782"}}), "/klanten")
	p = b.get(loc)
	if strings.Contains(loc, bsn) || strings.Contains(p.body, bsn) || strings.Contains(p.body, "1234 56 782") {
		t.Errorf("the BSN is in the address or the page")
	}
	if h := p.text("#resultaten-titel"); !strings.Contains(h, "BSN ******782") {
		t.Errorf("results heading %q", h)
	}
	if v := p.attr("#f-"+process.FieldSearch, "value"); v != "" {
		t.Errorf("the box holds %q after a BSN search", v)
	}
	b.get("/klanten")
	if len(*texts) != 3 || (*texts)[0] != "1234 56 782" || (*texts)[1] != "11" || (*texts)[2] != "11" {
		t.Errorf("SearchClients was given %q, want the BSN once, then the client number", *texts)
	}

	// An invalid BSN: a Dutch message, and the number not echoed.
	fa.svc.SearchClientsFn = func(_ context.Context, _ casework.Actor, text string) (casework.ClientSearch, error) {
		_, err := casework.ParseClientQuery(text)
		return casework.ClientSearch{}, err
	}
	p = b.post("/klanten", url.Values{process.FieldSearch: {"123456789"}})
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if !strings.Contains(p.text("#foutmeldingen"), "Dit is geen geldig BSN") || strings.Contains(p.body, "123456789") || p.has("#resultaten") {
		t.Errorf("invalid BSN: %s", p.text("main"))
	}
	p = b.post("/klanten", url.Values{process.FieldSearch: {"31-02-1980"}})
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if p.attr("#f-"+process.FieldSearch, "value") != "31-02-1980" || !strings.Contains(p.text("main"), "bestaat niet") {
		t.Errorf("impossible date: the box %q, page %s", p.attr("#f-"+process.FieldSearch, "value"), p.text("main"))
	}
	// The refused search replaced the last one.
	if p = b.get("/klanten"); p.has("#resultaten") {
		t.Errorf("after a refused search the old results are still shown")
	}

	// Nobody found.
	fa.fakeSearch(nil, false)
	p = b.get(expectRedirect(t, b.post("/klanten", url.Values{process.FieldSearch: {"05-03-1981"}}), "/klanten"))
	if h := p.text("#resultaten-titel"); h != "Geen klant gevonden bij zoeken op geboortedatum 05-03-1981" {
		t.Errorf("results heading %q", h)
	}

	// The next user of the browser does not see the last search.
	expectRedirect(t, b.post("/uitloggen", url.Values{}), "/login")
	expectRedirect(t, b.post("/login", url.Values{process.FieldUsername: {fakeKlantmanager.Username}, process.FieldPassword: {fakePassword}}), "/")
	if p = b.get("/klanten"); p.has("#resultaten") || p.attr("#f-"+process.FieldSearch, "value") != "" {
		t.Errorf("a colleague sees the last search: %s", p.text("main"))
	}
}
