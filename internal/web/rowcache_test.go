package web

import (
	"html/template"
	"strings"
	"testing"
)

// TestRowCache: a worklist row is rendered once and then served as kept;
// a row that differs in anything it shows is rendered on its own; names
// are escaped as on the page; the cache starts afresh when full.
func TestRowCache(t *testing.T) {
	s := &server{assets: loadAssets(), rows: newRowCache()}
	s.pages = mustParsePages(s.funcs())
	s.rows.max = 3
	row := WorklistRow{ID: 7, ClientID: 3, Version: 2, ClientName: `Jan <script>alert(1)</script> Jansen`, StepTitle: "Intake gesprek",
		CaseCode: "0/L2", Since: "01-12-2026", MayPickUp: true, ActionLabel: ": Intake gesprek voor Jan Jansen", Back: "/werkvoorraad?sort=client"}
	render := func(rows ...WorklistRow) []template.HTML {
		t.Helper()
		out, err := s.worklistRows(rows)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	first := render(row)[0]
	if strings.Contains(string(first), "<script>") || !strings.Contains(string(first), "Jan &lt;script&gt;") {
		t.Fatalf("the client's name is not escaped:\n%s", first)
	}
	if !strings.Contains(string(first), `action="/taken/7/oppakken"`) || !strings.Contains(string(first), `value="/werkvoorraad?sort=client"`) {
		t.Errorf("row without its pick-up form back to the page:\n%s", first)
	}
	if len(s.rows.rows) != 1 {
		t.Fatalf("%d rows kept, want 1", len(s.rows.rows))
	}
	// Kept: the same HTML, without rendering (the template set is not used).
	pages := s.pages
	s.pages = &pageSet{}
	if again := render(row)[0]; again != first {
		t.Errorf("kept row differs:\n%s\nwant\n%s", again, first)
	}
	s.pages = pages
	// Picked up meanwhile: another row, rendered.
	held := row
	held.Version, held.HolderName, held.MayPickUp, held.MayRelease = 3, "Pieter Poort", false, true
	got := render(row, held)
	if got[0] != first || got[1] == first || !strings.Contains(string(got[1]), "Pieter Poort") || !strings.Contains(string(got[1]), "/vrijgeven") {
		t.Errorf("held row:\n%s", got[1])
	}
	// Full: the cache starts afresh rather than grow.
	other := row
	other.ID, other.ClientID = 8, 4
	third := other
	third.ID = 9
	render(other, third)
	if n := len(s.rows.rows); n > s.rows.max || n == 0 {
		t.Errorf("%d rows kept, want 1 to %d", n, s.rows.max)
	}
}
