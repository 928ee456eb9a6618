package api_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/api"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// testPaging: GET /api/werkvoorraad answers a page of limiet tasks with
// the total and the cursors of the pages beside it; following volgende
// and then vorige gives every task once, and the first page again.
func testPaging(t *testing.T, s *server) {
	const n = 7
	for range n {
		s.env.Apply(t)
	}
	pieter := s.token(t, s.env.Users[process.RolePoortwachter])
	get := func(q string) api.Worklist {
		t.Helper()
		var w api.Worklist
		s.call(t, pieter, "GET", "/api/werkvoorraad?team=poort&sort=client&limiet=3"+q, nil).want(t, http.StatusOK, &w)
		return w
	}
	seen := map[int64]bool{}
	first := get("")
	w := first
	for pages := 1; ; pages++ {
		if w.Total != n || len(w.Tasks) > 3 {
			t.Fatalf("page %d: totaal %d, %d tasks", pages, w.Total, len(w.Tasks))
		}
		if (pages == 1) != (w.Prev == "") {
			t.Errorf("page %d: vorige %q", pages, w.Prev)
		}
		for _, tk := range w.Tasks {
			if seen[tk.ID] {
				t.Errorf("task %d on two pages", tk.ID)
			}
			seen[tk.ID] = true
		}
		if w.Next == "" {
			break
		}
		if pages > n {
			t.Fatal("paging does not end")
		}
		w = get("&cursor=" + url.QueryEscape(w.Next))
	}
	if len(seen) != n {
		t.Errorf("the pages hold %d tasks, want %d", len(seen), n)
	}
	// Back from the second page: the first.
	second := get("&cursor=" + url.QueryEscape(first.Next))
	back := get("&cursor=" + url.QueryEscape(second.Prev))
	if len(back.Tasks) != 3 || back.Tasks[0].ID != first.Tasks[0].ID || back.Tasks[2].ID != first.Tasks[2].ID || back.Prev != "" {
		t.Errorf("vorige of the second page = %+v, want the first page", back)
	}
	// The outbox pages alike, newest first.
	thomas := s.token(t, s.env.Users[process.RoleTeamleider])
	var out api.Outbox
	s.call(t, thomas, "GET", "/api/uitgaand?limiet=2", nil).want(t, http.StatusOK, &out)
	if out.Total < 3 || out.Next == "" || out.Prev != "" {
		t.Fatalf("outbox first page: totaal %d, volgende %q, vorige %q", out.Total, out.Next, out.Prev)
	}
	messages := map[int64]bool{}
	for pages := 1; ; pages++ {
		for _, m := range out.Messages {
			if messages[m.ID] {
				t.Errorf("message %d on two pages", m.ID)
			}
			messages[m.ID] = true
		}
		if out.Next == "" || pages > out.Total {
			break
		}
		s.call(t, thomas, "GET", "/api/uitgaand?limiet=2&cursor="+url.QueryEscape(out.Next), nil).want(t, http.StatusOK, &out)
	}
	if len(messages) != out.Total {
		t.Errorf("the outbox's pages hold %d messages, totaal %d", len(messages), out.Total)
	}
	// Nonsense is the first page, not an error.
	if w := get("&cursor=nonsense"); len(w.Tasks) != 3 || w.Tasks[0].ID != first.Tasks[0].ID {
		t.Errorf("cursor nonsense: %+v", w)
	}
}
