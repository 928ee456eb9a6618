package process_test

import (
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	p "github.com/bar-organisatie/werkdiagnose/internal/process"
)

func TestDefaultPolicyValidates(t *testing.T) {
	if err := p.DefaultPolicy().Validate(); err != nil {
		t.Fatalf("DefaultPolicy().Validate() = %v", err)
	}
}

// The defaults are the source's values (PROCESS.md, DOMAIN.md).
func TestDefaultPolicyValues(t *testing.T) {
	pol := p.DefaultPolicy()
	if pol.MinimumAge != 27 || pol.IntakeTermDays != 7 || pol.InviteTermDays != 7 || pol.DecisionTermDays != 56 || pol.VoorschotIntervalDays != 28 {
		t.Errorf("terms: %+v", pol)
	}
	if pol.ApplicationCode != "0/L2" || pol.ParticipationCode != "17/PA" || pol.ClientMailbox != "werkdiagnose@bar-organisatie.nl" {
		t.Errorf("codes/mailbox: %q %q %q", pol.ApplicationCode, pol.ParticipationCode, pol.ClientMailbox)
	}
	if kmwd, ok := pol.Team(p.TeamWerkdiagnose); !ok || kmwd.Worklist != "445" || kmwd.Role != p.RoleKMWerkdiagnose {
		t.Errorf("KM Werkdiagnose team: %+v, %v", kmwd, ok)
	}
	wantRoles := map[string]p.Role{p.TeamPoort: p.RolePoortwachter, p.TeamOndersteuning: p.RoleTeamOndersteuning,
		p.TeamWerkdiagnose: p.RoleKMWerkdiagnose, p.TeamWerk: p.RoleKMWerk, p.TeamAG: p.RoleAG}
	if len(pol.Teams) != len(wantRoles) {
		t.Errorf("%d teams, want %d", len(pol.Teams), len(wantRoles))
	}
	for k, r := range wantRoles {
		if tm, ok := pol.Team(k); !ok || tm.Role != r {
			t.Errorf("team %s: %+v, %v; want role %s", k, tm, ok, r)
		}
	}
	groups := map[string]p.TargetGroup{
		"regulier":       {Key: "regulier", Name: "Regulier", Route: p.RouteDiagnoseFirst},
		"arbeidsbeperkt": {Key: "arbeidsbeperkt", Name: "Arbeidsbeperkt", Route: p.RouteDecisionFirst, HandoverTeam: p.TeamAG, Message: "E-mail AG"},
		"inrichting":     {Key: "inrichting", Name: "In verblijvende inrichting", Route: p.RouteDecisionFirst, HandoverTeam: p.TeamWerk, Message: "E-mail KM"},
	}
	for k, want := range groups {
		if got, ok := pol.TargetGroup(k); !ok || got != want {
			t.Errorf("TargetGroup(%s) = %+v, %v; want %+v", k, got, ok, want)
		}
	}
	if _, ok := pol.TargetGroup("jongere"); ok {
		t.Error("TargetGroup(jongere) found")
	}
	if _, ok := pol.Team("onbekend"); ok {
		t.Error("Team(onbekend) found")
	}
	if bb, ok := pol.Provider("baanbrekend"); !ok || !bb.MayFinishAfterRefusal {
		t.Errorf("Baanbrekend may finish after refusal: %+v, %v", bb, ok)
	}
	for _, k := range []string{"hallo_werk", "educenter"} {
		if pr, ok := pol.Provider(k); !ok || pr.MayFinishAfterRefusal {
			t.Errorf("provider %s: %+v, %v", k, pr, ok)
		}
	}
	if _, ok := pol.Provider("onbekend"); ok {
		t.Error("Provider(onbekend) found")
	}
	if !slices.Equal(pol.Segments, []string{"Werk", "Re-integratie", "Sociale Activering"}) || len(pol.Ladder) != 6 {
		t.Errorf("segments %v, ladder %v", pol.Segments, pol.Ladder)
	}
	// DefaultPolicy returns a fresh value: changing one does not change the next.
	pol.Teams[0].Mailbox = "x"
	if p.DefaultPolicy().Teams[0].Mailbox == "x" {
		t.Error("DefaultPolicy shares its slices between calls")
	}
}

func withoutTeam(key string) func(*p.Policy) {
	return func(pol *p.Policy) {
		pol.Teams = slices.DeleteFunc(pol.Teams, func(t p.Team) bool { return t.Key == key })
	}
}

func setGroup(key string, f func(*p.TargetGroup)) func(*p.Policy) {
	return func(pol *p.Policy) {
		for i := range pol.TargetGroups {
			if pol.TargetGroups[i].Key == key {
				f(&pol.TargetGroups[i])
			}
		}
	}
}

func TestPolicyValidateRefuses(t *testing.T) {
	cases := []struct {
		name   string
		change func(*p.Policy)
		words  string // part of the message that names the problem
	}{
		{"negative minimum age", func(pol *p.Policy) { pol.MinimumAge = -1 }, "minimum_age"},
		{"implausible minimum age", func(pol *p.Policy) { pol.MinimumAge = 121 }, "minimum_age"},
		{"zero intake term", func(pol *p.Policy) { pol.IntakeTermDays = 0 }, "intake_term_days"},
		{"negative intake term", func(pol *p.Policy) { pol.IntakeTermDays = -7 }, "intake_term_days"},
		{"zero invite term", func(pol *p.Policy) { pol.InviteTermDays = 0 }, "invite_term_days"},
		{"zero decision term", func(pol *p.Policy) { pol.DecisionTermDays = 0 }, "decision_term_days"},
		{"negative decision term", func(pol *p.Policy) { pol.DecisionTermDays = -56 }, "decision_term_days"},
		{"zero voorschot interval", func(pol *p.Policy) { pol.VoorschotIntervalDays = 0 }, "voorschot_interval_days"},
		{"negative warn days", func(pol *p.Policy) { pol.WarnDays = -1 }, "warn_days"},
		{"negative voorschot signal", func(pol *p.Policy) { pol.VoorschotSignalWorkdays = -1 }, "voorschot_signal_workdays"},
		{"voorschot signal past the interval", func(pol *p.Policy) { pol.VoorschotSignalWorkdays = 16 }, "voorschot_signal_workdays"},
		{"no evaluation cycle", func(pol *p.Policy) { pol.PlanEvaluationMonths = 0 }, "plan_evaluation_months"},
		{"evaluation cycle of years", func(pol *p.Policy) { pol.PlanEvaluationMonths = 25 }, "plan_evaluation_months"},
		{"negative evaluation signal", func(pol *p.Policy) { pol.PlanEvaluationSignalWorkdays = -1 }, "plan_evaluation_signal_workdays"},
		{"empty application code", func(pol *p.Policy) { pol.ApplicationCode = "" }, "application_code"},
		{"blank participation code", func(pol *p.Policy) { pol.ParticipationCode = "  " }, "participation_code"},
		{"client mailbox not an address", func(pol *p.Policy) { pol.ClientMailbox = "werkdiagnose" }, "client_mailbox"},
		{"client mailbox empty", func(pol *p.Policy) { pol.ClientMailbox = "" }, "client_mailbox"},
		{"client mailbox two addresses", func(pol *p.Policy) { pol.ClientMailbox = "a@b.nl, c@d.nl" }, "client_mailbox"},
		{"team mailbox not an address", func(pol *p.Policy) { pol.Teams[1].Mailbox = "ondersteuning" }, `"top"`},
		{"team mailbox empty", func(pol *p.Policy) { pol.Teams[4].Mailbox = "" }, `"ag"`},
		{"duplicate team key", func(pol *p.Policy) { pol.Teams = append(pol.Teams, pol.Teams[2]) }, `"kmwd"`},
		{"empty team key", func(pol *p.Policy) { pol.Teams[4].Key = "" }, "team key"},
		{"team with an unknown role", func(pol *p.Policy) { pol.Teams[3].Role = "klantmanager" }, "klantmanager"},
		{"missing team poort", withoutTeam(p.TeamPoort), `team "poort" is required`},
		{"missing team top", withoutTeam(p.TeamOndersteuning), `team "top" is required`},
		{"missing team kmwd", withoutTeam(p.TeamWerkdiagnose), `team "kmwd" is required`},
		// kmwerk is also a handover team by default: move that away so only the requirement is left.
		{"missing team kmwerk", func(pol *p.Policy) {
			withoutTeam(p.TeamWerk)(pol)
			setGroup("inrichting", func(g *p.TargetGroup) { g.HandoverTeam = p.TeamAG })(pol)
		}, `team "kmwerk" is required`},
		{"no teams", func(pol *p.Policy) { pol.Teams = nil }, "is required"},
		{"handover team ag removed", withoutTeam(p.TeamAG), `"arbeidsbeperkt"`},
		{"no target groups", func(pol *p.Policy) { pol.TargetGroups = nil }, "target group"},
		{"unknown route", setGroup("regulier", func(g *p.TargetGroup) { g.Route = "later" }), "later"},
		{"empty route", setGroup("regulier", func(g *p.TargetGroup) { g.Route = "" }), "route"},
		{"decision first without handover team", setGroup("inrichting", func(g *p.TargetGroup) { g.HandoverTeam = "" }), `"inrichting"`},
		{"decision first with an unknown handover team", setGroup("arbeidsbeperkt", func(g *p.TargetGroup) { g.HandoverTeam = "wsp" }), "wsp"},
		{"target group without key", setGroup("inrichting", func(g *p.TargetGroup) { g.Key = "" }), "target group"},
		{"duplicate target group key", func(pol *p.Policy) { pol.TargetGroups = append(pol.TargetGroups, pol.TargetGroups[0]) }, `"regulier"`},
		{"no segments", func(pol *p.Policy) { pol.Segments = nil }, "segments"},
		{"no providers", func(pol *p.Policy) { pol.Providers = []p.Provider{} }, "providers"},
		{"no participatieladder", func(pol *p.Policy) { pol.Ladder = nil }, "participatieladder"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pol := p.DefaultPolicy()
			tc.change(&pol)
			err := pol.Validate()
			if err == nil {
				t.Fatal("Validate() = nil, want an error")
			}
			if !strings.Contains(err.Error(), tc.words) {
				t.Errorf("Validate() = %q, want it to mention %s", err, tc.words)
			}
			d, err := p.NewDefinition(pol)
			if err == nil || d != nil {
				t.Errorf("NewDefinition accepted an invalid policy: %v, %v", d, err)
			}
		})
	}
}

func TestPolicyValidateAccepts(t *testing.T) {
	cases := []struct {
		name   string
		change func(*p.Policy)
	}{
		{"warn days zero", func(pol *p.Policy) { pol.WarnDays = 0 }},
		{"minimum age zero", func(pol *p.Policy) { pol.MinimumAge = 0 }},
		{"minimum age 120", func(pol *p.Policy) { pol.MinimumAge = 120 }},
		{"mailbox with a display name", func(pol *p.Policy) { pol.ClientMailbox = "Werkdiagnose <werkdiagnose@example.nl>" }},
		{"AG team removed and its group handed to KM Werk", func(pol *p.Policy) {
			withoutTeam(p.TeamAG)(pol)
			setGroup("arbeidsbeperkt", func(g *p.TargetGroup) { g.HandoverTeam = p.TeamWerk; g.Message = "E-mail KM" })(pol)
		}},
		{"a diagnose-first group needs no handover team", setGroup("regulier", func(g *p.TargetGroup) { g.HandoverTeam = "" })},
		{"only the regular group", func(pol *p.Policy) { pol.TargetGroups = pol.TargetGroups[:1] }},
		{"an extra team", func(pol *p.Policy) {
			pol.Teams = append(pol.Teams, p.Team{Key: "wsp", Name: "WSP", Mailbox: "wsp@example.nl", Role: p.RoleKMWerk})
		}},
		{"renamed codes", func(pol *p.Policy) { pol.ApplicationCode, pol.ParticipationCode = "1/L2", "18/PA" }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pol := p.DefaultPolicy()
			tc.change(&pol)
			if err := pol.Validate(); err != nil {
				t.Fatalf("Validate() = %v", err)
			}
			if _, err := p.NewDefinition(pol); err != nil {
				t.Fatalf("NewDefinition: %v", err)
			}
		})
	}
}

var versionRE = regexp.MustCompile(`^2026\.2-[0-9a-f]{8}$`)

func TestDefinitionVersion(t *testing.T) {
	a, b := defaultDef(t), defaultDef(t)
	if !versionRE.MatchString(a.Version) {
		t.Errorf("Version %q does not look like 2026.2-xxxxxxxx", a.Version)
	}
	if a.Version != b.Version {
		t.Errorf("same policy, different versions: %s, %s", a.Version, b.Version)
	}
	changes := map[string]func(*p.Policy){
		"intake term":     func(pol *p.Policy) { pol.IntakeTermDays = 14 },
		"invite term":     func(pol *p.Policy) { pol.InviteTermDays = 5 },
		"decision term":   func(pol *p.Policy) { pol.DecisionTermDays = 57 },
		"warn days":       func(pol *p.Policy) { pol.WarnDays = 3 },
		"team mailbox":    func(pol *p.Policy) { pol.Teams[0].Mailbox = "poort@example.nl" },
		"handover team":   setGroup("arbeidsbeperkt", func(g *p.TargetGroup) { g.HandoverTeam = p.TeamWerk }),
		"handover label":  setGroup("arbeidsbeperkt", func(g *p.TargetGroup) { g.Message = "Mail AG" }),
		"segment renamed": func(pol *p.Policy) { pol.Segments[0] = "Werkfit" },
	}
	seen := map[string]string{a.Version: "default"}
	for name, change := range changes {
		pol := p.DefaultPolicy()
		change(&pol)
		d, err := p.NewDefinition(pol)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if prev, dup := seen[d.Version]; dup {
			t.Errorf("%s: version %s equals that of %s", name, d.Version, prev)
		}
		seen[d.Version] = name
	}
}

func TestNewDefinitionShape(t *testing.T) {
	d := defaultDef(t)
	if d.Name != "Pilot Werkdiagnose" || d.Start != p.StepIntakeGesprek {
		t.Errorf("Name %q Start %q", d.Name, d.Start)
	}
	if !reflect.DeepEqual(d.Policy, p.DefaultPolicy()) {
		t.Error("the definition does not carry the policy it was built from")
	}
	want := []p.StepKey{sIntake, sDoelgroep, sAanmelding, sVerwerking, sIntakeWD, sRapportage, sBesluit, sVerdelen, sVerwTeam, sUitnodigen, sStart, sNug,
		sZonder, p.StepHerplannen, p.StepBriefVersturen, p.StepVoorschot, p.StepPlanEvalueren,
		p.StepVerzoekAanvulling, p.StepAanvullingVerwerken, p.StepVerdagen}
	var got []p.StepKey
	for _, s := range d.Steps {
		got = append(got, s.Key)
	}
	if !slices.Equal(got, want) {
		t.Errorf("steps %v, want %v", got, want)
	}
	doel, _ := d.Step(sDoelgroep)
	if !slices.Equal(doel.Outcomes, []string{"regulier", "arbeidsbeperkt", "inrichting"}) {
		t.Errorf("beoordeling doelgroep outcomes %v, want the target group keys", doel.Outcomes)
	}
	besluit, _ := d.Step(sBesluit)
	if !slices.Equal(besluit.Outcomes, []string{p.OutcomeToekenning, p.OutcomeGeenToekenning}) {
		t.Errorf("besluit outcomes %v", besluit.Outcomes)
	}
	nug, _ := d.Step(sNug)
	if !slices.Equal(nug.Outcomes, []string{p.OutcomeNUG, p.OutcomeAfsluiten}) {
		t.Errorf("nug outcomes %v", nug.Outcomes)
	}
	for _, o := range slices.Concat(besluit.Outcomes, nug.Outcomes) {
		if p.OutcomeNames[o] == "" {
			t.Errorf("outcome %s has no Dutch label", o)
		}
	}
	// Week terms sit on the steps the source names ("binnen 1 week", twice).
	terms := map[p.StepKey]p.TermKind{}
	for _, s := range d.Steps {
		if s.Term != p.TermNone {
			terms[s.Key] = s.Term
		}
	}
	if terms[sVerwerking] != p.TermIntake || terms[sUitnodigen] != p.TermInvite {
		t.Errorf("week terms: %v", terms)
	}
	for _, s := range []p.StepKey{sIntake, sDoelgroep, sRapportage, sBesluit} {
		if terms[s] != p.TermDecision {
			t.Errorf("%s: term %q, want the decision term", s, terms[s])
		}
	}
	if _, ok := d.Step("bestaat_niet"); ok {
		t.Error(`Step("bestaat_niet") found`)
	}
	// A fresh definition does not share its steps with another one.
	d2 := defaultDef(t)
	d2.Steps[1].Outcomes[0] = "x"
	if doel2, _ := d.Step(sDoelgroep); doel2.Outcomes[0] != "regulier" {
		t.Error("two definitions share their outcome slices")
	}
}

// Structure of the default definition: every transition leads to a step that
// exists, every fixed team exists, every step is reachable from the start.
func TestDefinitionIsConsistent(t *testing.T) {
	d := defaultDef(t)
	reach := map[p.StepKey]bool{d.Start: true}
	queue := []p.StepKey{d.Start}
	// A step created on an event (a no-show, a hand-started request) is
	// reached by the event, and what follows it from there.
	for _, s := range d.Steps {
		if s.On != "" {
			reach[s.Key] = true
			queue = append(queue, s.Key)
		}
	}
	for len(queue) > 0 {
		s, ok := d.Step(queue[0])
		queue = queue[1:]
		if !ok {
			t.Fatalf("step %s does not exist", s.Key)
		}
		if s.Team != "" {
			if _, ok := d.Policy.Team(s.Team); !ok {
				t.Errorf("step %s: team %q not in the policy", s.Key, s.Team)
			}
		}
		for _, tr := range s.Transitions {
			if tr.Route != "" && tr.Route != p.RouteDiagnoseFirst && tr.Route != p.RouteDecisionFirst {
				t.Errorf("%s: transition with unknown route %q", s.Key, tr.Route)
			}
			if tr.Outcome != "" && !slices.Contains(s.Outcomes, tr.Outcome) {
				t.Errorf("%s: transition on outcome %q the step does not allow", s.Key, tr.Outcome)
			}
			for _, a := range tr.After {
				if _, ok := d.Step(a); !ok {
					t.Errorf("%s: join on unknown step %s", s.Key, a)
				}
			}
			if tr.Next == "" {
				continue
			}
			if _, ok := d.Step(tr.Next); !ok {
				t.Errorf("%s: transition to unknown step %s", s.Key, tr.Next)
			}
			if !reach[tr.Next] {
				reach[tr.Next] = true
				queue = append(queue, tr.Next)
			}
		}
	}
	for _, s := range d.Steps {
		if !reach[s.Key] {
			t.Errorf("step %s cannot be reached from %s", s.Key, d.Start)
		}
	}
}

func TestParseDefinitionRoundTrip(t *testing.T) {
	d := defaultDef(t)
	body, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	back, err := p.ParseDefinition(body)
	if err != nil {
		t.Fatalf("ParseDefinition: %v", err)
	}
	if !reflect.DeepEqual(d, back) {
		t.Errorf("round trip differs:\n got %+v\nwant %+v", back, d)
	}
	again, _ := json.Marshal(back)
	if string(again) != string(body) {
		t.Error("marshalling the parsed definition gives other JSON")
	}
	// It behaves identically: every transition case and every walk.
	for _, tc := range transitionCases() {
		a, errA := d.Complete(tc.in, tc.step, tc.c, tc.chosen)
		b, errB := back.Complete(tc.in, tc.step, tc.c, tc.chosen)
		if !reflect.DeepEqual(a, b) || errA != errB {
			t.Errorf("%s: original %+v %v, parsed %+v %v", tc.name, a, errA, b, errB)
		}
	}
	for _, w := range walks() {
		t.Run(w.name, func(t *testing.T) { runWalk(t, back, w) })
	}
}

// A running case keeps the definition it started with: the stored JSON
// brings back the old version and the old terms, whatever the current
// policy says.
func TestRunningCaseKeepsItsVersion(t *testing.T) {
	old := defaultDef(t)
	stored, err := json.Marshal(old)
	if err != nil {
		t.Fatal(err)
	}
	pol := p.DefaultPolicy()
	pol.IntakeTermDays = 14
	current, err := p.NewDefinition(pol)
	if err != nil {
		t.Fatal(err)
	}
	if current.Version == old.Version {
		t.Fatal("changed term, same version")
	}
	running, err := p.ParseDefinition(stored)
	if err != nil {
		t.Fatal(err)
	}
	if running.Version != old.Version {
		t.Errorf("parsed version %s, want %s", running.Version, old.Version)
	}
	start := time.Date(2026, 5, 4, 0, 0, 0, 0, p.Amsterdam)
	due, _ := running.Policy.TermDue(p.TermIntake, start)
	if want := time.Date(2026, 5, 11, 0, 0, 0, 0, p.Amsterdam); !due.Equal(want) {
		t.Errorf("running case intake due %s, want %s (old term)", due, want)
	}
	due, _ = current.Policy.TermDue(p.TermIntake, start)
	if want := time.Date(2026, 5, 18, 0, 0, 0, 0, p.Amsterdam); !due.Equal(want) {
		t.Errorf("new case intake due %s, want %s (new term)", due, want)
	}
}

func TestParseDefinitionRefusesBadJSON(t *testing.T) {
	for _, body := range []string{"", "{", `{"steps": 3}`, `[]`} {
		if d, err := p.ParseDefinition([]byte(body)); err == nil {
			t.Errorf("ParseDefinition(%q) = %+v, nil; want an error", body, d)
		}
	}
}

// A definition stored before steps carried their forms (2026.1-…, effects
// as bare names) reads back with the pilot's forms and effects, so a case
// that started on it goes on as it did.
func TestParseLegacyDefinition(t *testing.T) {
	d := defaultDef(t)
	body, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	raw["version"] = "2026.1-0badc0de"
	for _, s := range raw["steps"].([]any) {
		st := s.(map[string]any)
		delete(st, "form")
		delete(st, "outcomes_from")
		var names []any
		for _, e := range asSlice(st["effects"]) {
			if e.(map[string]any)["effect"] != string(p.EffectSetTargetGroup) { // that effect did not exist yet
				names = append(names, e.(map[string]any)["effect"])
			}
		}
		st["effects"] = names
		for _, tr := range asSlice(st["transitions"]) {
			tm := tr.(map[string]any)
			var tnames []any
			for _, e := range asSlice(tm["effects"]) {
				tnames = append(tnames, e.(map[string]any)["effect"])
			}
			tm["effects"] = tnames
		}
	}
	legacy, err := json.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.ParseDefinition(legacy)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range d.Steps {
		st, ok := got.Step(want.Key)
		if !ok {
			t.Fatalf("step %s lost", want.Key)
		}
		if len(st.Form.Fields) != len(want.Form.Fields) || len(st.Form.Checks) != len(want.Form.Checks) {
			t.Errorf("step %s: form %d fields, %d checks; want %d, %d", want.Key, len(st.Form.Fields), len(st.Form.Checks),
				len(want.Form.Fields), len(want.Form.Checks))
		}
		if !reflect.DeepEqual(st.Effects, want.Effects) || st.OutcomesFrom != want.OutcomesFrom {
			t.Errorf("step %s: effects %v (from %q), want %v (from %q)", want.Key, st.Effects, st.OutcomesFrom, want.Effects, want.OutcomesFrom)
		}
		for i, tr := range st.Transitions {
			if !reflect.DeepEqual(tr.Effects, want.Transitions[i].Effects) {
				t.Errorf("step %s transition %d: effects %v, want %v", want.Key, i, tr.Effects, want.Transitions[i].Effects)
			}
		}
	}
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

// A definition stored before the decision term was kept by steps (no
// request_info_term_days, no term steps) reads back with the term policy's
// defaults and the steps that keep the term, its own steps and terms kept.
func TestParseDefinitionBeforeTerms(t *testing.T) {
	pol := p.DefaultPolicy()
	pol.IntakeTermDays = 9
	d, err := p.NewDefinition(pol)
	if err != nil {
		t.Fatal(err)
	}
	body, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	policy := raw["policy"].(map[string]any)
	for _, k := range []string{"request_info_term_days", "extension_max_days", "term_calendar"} {
		delete(policy, k)
	}
	var kept []any
	for _, s := range raw["steps"].([]any) {
		switch p.StepKey(s.(map[string]any)["key"].(string)) {
		case p.StepVerzoekAanvulling, p.StepAanvullingVerwerken, p.StepVerdagen:
		default:
			kept = append(kept, s)
		}
	}
	raw["steps"] = kept
	old, err := json.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.ParseDefinition(old)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != d.Version || got.Policy.IntakeTermDays != 9 {
		t.Errorf("version %s, intake %d: the stored definition changed", got.Version, got.Policy.IntakeTermDays)
	}
	if got.Policy.RequestInfoTermDays != 14 || got.Policy.ExtensionMaxDays != 56 || !reflect.DeepEqual(got.Policy.TermCalendar, p.DefaultTermCalendarPolicy()) {
		t.Errorf("term policy %d, %d, %v: want the defaults", got.Policy.RequestInfoTermDays, got.Policy.ExtensionMaxDays, got.Policy.TermCalendar)
	}
	for _, k := range []p.StepKey{p.StepVerzoekAanvulling, p.StepAanvullingVerwerken, p.StepVerdagen} {
		if _, ok := got.Step(k); !ok {
			t.Errorf("step %s not added", k)
		}
	}
	if err := got.Validate(); err != nil {
		t.Errorf("upgraded definition: %v", err)
	}
}
