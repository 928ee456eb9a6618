package web

import (
	"net/http"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// ProcessPage draws the pilot's process from its own definition.
type ProcessPage struct {
	Layout
	Def    *process.Definition
	Policy process.Policy
	Lanes  []LaneView
	Routes []RouteLanes
}

// RouteLanes is one route drawn as a vertical swimlane: a column per lane,
// a row per step in the order the route takes them.
type RouteLanes struct {
	Title string
	Lanes []string
	Rows  []RouteRow
}

// RouteRow is one step of a route; Cells has the step's title in its lane's
// column and is empty elsewhere.
type RouteRow struct {
	N     int
	Key   process.StepKey
	Cells []string
}

// routeLanes draws the ways through the definition as swimlanes.
func routeLanes(def *process.Definition) []RouteLanes {
	var lanes []string
	seen := map[string]bool{}
	for _, st := range def.Steps {
		if !seen[st.Lane] {
			seen[st.Lane] = true
			lanes = append(lanes, st.Lane)
		}
	}
	var out []RouteLanes
	for _, v := range def.Variants() {
		rl := RouteLanes{Title: v.Title, Lanes: lanes}
		for i, k := range v.Steps {
			st, _ := def.Step(k)
			row := RouteRow{N: i + 1, Key: k, Cells: make([]string, len(lanes))}
			for j, l := range lanes {
				if l == st.Lane {
					row.Cells[j] = st.Title
				}
			}
			rl.Rows = append(rl.Rows, row)
		}
		out = append(out, rl)
	}
	return out
}

// LaneView is one lane of the swimlane diagram with its steps.
type LaneView struct {
	Name  string
	Steps []process.StepText
}

func (s *server) processPage(w http.ResponseWriter, r *http.Request) error {
	def := s.Process.Definition()
	p := ProcessPage{Layout: s.base(r, "Proces"), Def: def, Policy: def.Policy, Routes: routeLanes(def)}
	lanes := map[string]int{}
	for _, sv := range def.Describe() {
		idx, ok := lanes[sv.Lane]
		if !ok {
			idx = len(p.Lanes)
			lanes[sv.Lane] = idx
			p.Lanes = append(p.Lanes, LaneView{Name: sv.Lane})
		}
		p.Lanes[idx].Steps = append(p.Lanes[idx].Steps, sv)
	}
	return s.render(w, r, http.StatusOK, "process", &p)
}

// TeamName returns a team's name for the process page.
func (p ProcessPage) TeamName(key string) string {
	if t, ok := p.Policy.Team(key); ok {
		return t.Name
	}
	return key
}

// AccessibilityPage is the accessibility statement.
type AccessibilityPage struct {
	Layout
}

func (s *server) accessibility(w http.ResponseWriter, r *http.Request) error {
	p := AccessibilityPage{Layout: s.base(r, "Toegankelijkheidsverklaring")}
	return s.render(w, r, http.StatusOK, "accessibility", &p)
}

// healthz answers 200 "ok" when the database answers, else 503.
func (s *server) healthz(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.Process.Ping(r.Context()); err != nil {
		s.log.ErrorContext(r.Context(), "health check failed", "error", err.Error())
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database niet bereikbaar\n"))
		return nil
	}
	_, _ = w.Write([]byte("ok"))
	return nil
}
