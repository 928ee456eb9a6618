package web

import (
	"fmt"
	"io"
	"net/http/httptest"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// BenchmarkWorklistRender renders a team worklist of a full page
// (casework.PageSize rows, every action offered on half of them), the
// template work of GET /werkvoorraad without its reads: "kept" as the page
// is read again with its rows kept (rowCache), "fresh" with every row
// rendered anew (rows changed or never shown).
func BenchmarkWorklistRender(b *testing.B) {
	s := &server{assets: loadAssets(), rows: newRowCache()}
	s.pages = mustParsePages(s.funcs())
	def, err := process.NewDefinition(process.DefaultPolicy())
	if err != nil {
		b.Fatal(err)
	}
	p := WorklistPage{Layout: Layout{Title: "Teamwerkvoorraad", User: &casework.User{Name: "Pieter Poort"}, Wide: true,
		Nav: []NavItem{{Href: "/werkvoorraad", Label: "Teamwerkvoorraad", Count: 18000, HasCount: true, Current: true},
			{Href: "/werkvoorraad/mijn", Label: "Mijn werkvoorraad", Count: 12, HasCount: true}}},
		Action: "/werkvoorraad", Teams: def.Policy.Teams[:2], Steps: def.Steps, Sizes: casework.PageSizes,
		Codes: []string{"0/L2", "17/PA"}, Back: "/werkvoorraad?sort=client&pagina=abc", Caption: "Teamwerkvoorraad: 50 van 18.000 taken"}
	for i := range casework.PageSize {
		p.Rows = append(p.Rows, WorklistRow{ID: int64(1000 + i), ClientID: int64(500 + i), Version: 1,
			ClientName: fmt.Sprintf("Anna de Vries-%d", i), StepTitle: "Intake gesprek", CaseCode: "0/L2", Worklist: "445",
			Team: "Team Poort", Since: "01-12-2026", Due: "08-12-2026", Deadline: process.DeadlineState("ok"),
			DeadlineLabel: "Op tijd", DaysText: "6", HolderName: map[bool]string{true: "Pieter Poort"}[i%2 == 0],
			MayPickUp: i%2 == 1, MayRelease: i%2 == 0, MayAssign: true, ShowTeam: true, Back: "/werkvoorraad?sort=client&pagina=abc",
			ActionLabel: fmt.Sprintf(": Intake gesprek voor Anna de Vries-%d", i)})
	}
	p.Paging = Paging{Next: "/werkvoorraad?pagina=def", Size: casework.PageSize}
	render := func(b *testing.B) {
		var err error
		if p.RowHTML, err = s.worklistRows(p.Rows); err != nil {
			b.Fatal(err)
		}
		w := httptest.NewRecorder()
		if err := s.renderTemplate(w, 200, "worklist", "layout", &p); err != nil {
			b.Fatal(err)
		}
		io.Discard.Write(w.Body.Bytes())
	}
	b.Run("kept", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			render(b)
		}
	})
	b.Run("fresh", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			clear(s.rows.rows)
			render(b)
		}
	})
}
