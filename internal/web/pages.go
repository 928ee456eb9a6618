package web

import (
	"net/http"
	"strings"

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

// routeLanes draws the routes of the definition from Definition.Path.
func routeLanes(def *process.Definition) []RouteLanes {
	var lanes []string
	seen := map[string]bool{}
	for _, st := range def.Steps {
		if !seen[st.Lane] {
			seen[st.Lane] = true
			lanes = append(lanes, st.Lane)
		}
	}
	type variant struct {
		title    string
		route    process.Route
		outcomes map[process.StepKey]string
	}
	var variants []variant
	done := map[process.Route]bool{}
	for _, g := range def.Policy.TargetGroups {
		if done[g.Route] {
			continue
		}
		done[g.Route] = true
		var names []string
		for _, g2 := range def.Policy.TargetGroups {
			if g2.Route == g.Route {
				names = append(names, g2.Name)
			}
		}
		who := strings.Join(names, ", ")
		variants = append(variants,
			variant{who + ": toekenning", g.Route, map[process.StepKey]string{process.StepBesluit: process.OutcomeToekenning}},
			variant{who + ": geen toekenning", g.Route, map[process.StepKey]string{process.StepBesluit: process.OutcomeGeenToekenning}})
	}
	var out []RouteLanes
	for _, v := range variants {
		rl := RouteLanes{Title: v.title, Lanes: lanes}
		for i, k := range def.Path(v.route, v.outcomes) {
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
	Steps []StepView
}

// StepView is one step with its transitions in words.
type StepView struct {
	process.Step
	Number      int
	TeamName    string
	TermText    string
	Effects     []string
	Transitions []TransitionView
}

// TransitionView is one transition in words.
type TransitionView struct {
	When    string
	Next    string
	Team    string
	Message string
	After   []string
	Effects []string
}

var effectNames = map[process.Effect]string{
	process.EffectDecideApplication:   "legt het besluit vast en sluit het werkproces van de aanvraag",
	process.EffectOpenParticipation:   "maakt het participatiewerkproces en het participatiedossier aan",
	process.EffectTransferDossier:     "draagt het participatiedossier over aan de gekozen klantmanager",
	process.EffectBookAppointment:     "plant een afspraak, boekt een spreekkamer en nodigt de klant uit",
	process.EffectStartGuidance:       "start de begeleiding naar werk",
	process.EffectContinueAsNUG:       "zet de begeleiding voort als NUG'er",
	process.EffectCloseParticipation:  "sluit de begeleiding af (trajecten die mogen, lopen door)",
	process.EffectCloseWithoutRecords: "sluit af zonder aanmelding bij participatie",
}

func effectTexts(es []process.Effect) []string {
	var out []string
	for _, e := range es {
		if t, ok := effectNames[e]; ok {
			out = append(out, t)
		} else {
			out = append(out, string(e))
		}
	}
	return out
}

func (s *server) processPage(w http.ResponseWriter, r *http.Request) error {
	def := s.svc.Definition()
	pol := def.Policy
	p := ProcessPage{Layout: s.base(r, "Proces"), Def: def, Policy: pol, Routes: routeLanes(def)}
	lanes := map[string]int{}
	teamName := func(key string) string {
		if t, ok := pol.Team(key); ok {
			return t.Name
		}
		return key
	}
	stepTitle := func(k process.StepKey) string {
		if st, ok := def.Step(k); ok {
			return st.Title
		}
		return string(k)
	}
	for i, st := range def.Steps {
		sv := StepView{Step: st, Number: i + 1, TeamName: teamName(st.Team), TermText: termText(pol, st.Term), Effects: effectTexts(st.Effects)}
		if st.Team == "" {
			sv.TeamName = "het team dat de overdracht ontvangt"
		}
		for _, t := range st.Transitions {
			tv := TransitionView{Message: t.Message, Effects: effectTexts(t.Effects)}
			var when []string
			if t.Route != "" {
				when = append(when, "route: "+strings.ToLower(routeText(t.Route)))
			}
			if t.Outcome != "" {
				name := process.OutcomeNames[t.Outcome]
				if name == "" {
					name = t.Outcome
				}
				when = append(when, "uitkomst: "+name)
			}
			tv.When = strings.Join(when, "; ")
			if t.Next != "" {
				tv.Next = stepTitle(t.Next)
			}
			switch t.Team {
			case process.TeamOfStep:
				if next, ok := def.Step(t.Next); ok && next.Team != "" {
					tv.Team = teamName(next.Team)
				}
			case process.TeamSameAsFrom:
				tv.Team = "hetzelfde team"
			case process.TeamHandover:
				tv.Team = "het overdrachtsteam van de doelgroep"
			default:
				tv.Team = teamName(t.Team)
			}
			if tv.Message == "@handover" {
				tv.Message = "e-mail aan het overdrachtsteam van de doelgroep"
			}
			for _, a := range t.After {
				tv.After = append(tv.After, stepTitle(a))
			}
			sv.Transitions = append(sv.Transitions, tv)
		}
		idx, ok := lanes[st.Lane]
		if !ok {
			idx = len(p.Lanes)
			lanes[st.Lane] = idx
			p.Lanes = append(p.Lanes, LaneView{Name: st.Lane})
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
	if err := s.svc.Ping(r.Context()); err != nil {
		s.log.ErrorContext(r.Context(), "health check failed", "error", err.Error())
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database niet bereikbaar\n"))
		return nil
	}
	_, _ = w.Write([]byte("ok"))
	return nil
}
