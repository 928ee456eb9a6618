package process_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	p "github.com/bar-organisatie/werkdiagnose/internal/process"
)

// teamMember is who picks up a task that sits on a team's worklist.
var teamMember = map[string]int64{
	p.TeamPoort: uPoort, p.TeamOndersteuning: uTOP, p.TeamWerkdiagnose: uKMWD, p.TeamWerk: uKMWerk, p.TeamAG: uAG,
}

// sim keeps the bookkeeping a caller of the rules keeps: open tasks,
// completed steps, fired transitions, the target group and the dossier owner.
// It fails the test whenever the rules ask for something a caller cannot do
// (a second task for a step, a task for an unknown team, a task held by
// nobody where a holder was promised).
type sim struct {
	t       testing.TB
	d       *p.Definition
	in      p.Instance
	tasks   map[p.StepKey]p.NewTask // open tasks
	created []string                // every created task, in order
	order   []p.StepKey             // completed steps, in order
	effects []p.Effect
	waited  []p.StepKey
	lapsed  []p.StepKey // open tasks withdrawn by an effect (withdraw_tasks)
}

func newSim(t testing.TB, d *p.Definition) *sim {
	s := &sim{t: t, d: d, tasks: map[p.StepKey]p.NewTask{},
		in: p.Instance{Open: map[p.StepKey]bool{}, Completed: map[p.StepKey]p.Completion{}, Fired: map[string]bool{}}}
	s.create(d.StartPlan())
	return s
}

func (s *sim) clone() *sim {
	c := *s
	c.in = cloneInstance(s.in)
	c.tasks = maps.Clone(s.tasks)
	c.created = slices.Clone(s.created)
	c.order = slices.Clone(s.order)
	c.effects = slices.Clone(s.effects)
	c.waited = slices.Clone(s.waited)
	c.lapsed = slices.Clone(s.lapsed)
	return &c
}

func taskString(nt p.NewTask) string {
	s := fmt.Sprintf("%s@%s#%d", nt.Step, nt.Team, nt.Holder)
	if nt.Message != "" {
		s += " " + nt.Message
	}
	return s
}

func (s *sim) create(nt p.NewTask) {
	s.t.Helper()
	if s.in.Open[nt.Step] {
		s.t.Fatalf("a second task for %s while one is open (after %v)", nt.Step, s.order)
	}
	if _, ok := s.in.Completed[nt.Step]; ok {
		s.t.Fatalf("a task for %s after it was completed (after %v)", nt.Step, s.order)
	}
	if _, ok := s.d.Policy.Team(nt.Team); !ok {
		s.t.Fatalf("task %s for unknown team %q", nt.Step, nt.Team)
	}
	step, ok := s.d.Step(nt.Step)
	if !ok {
		s.t.Fatalf("task for unknown step %s", nt.Step)
	}
	if nt.Term != step.Term || nt.Case != step.Case {
		s.t.Fatalf("task %s carries term %q case %q, step says %q %q", nt.Step, nt.Term, nt.Case, step.Term, step.Case)
	}
	s.in.Open[nt.Step] = true
	if nt.From != "" {
		s.in.Fired[p.FiredKey(nt.From, nt.Step)] = true
	}
	s.tasks[nt.Step] = nt
	s.created = append(s.created, taskString(nt))
}

// complete completes an open task as its holder (or, when it sits on the
// team's worklist, as the team's member).
func (s *sim) complete(step p.StepKey, outcome string, chosen int64) p.Plan {
	s.t.Helper()
	nt, ok := s.tasks[step]
	if !ok {
		s.t.Fatalf("complete %s: no open task (open: %v, done: %v)", step, slices.Sorted(maps.Keys(s.in.Open)), s.order)
	}
	by := nt.Holder
	if by == 0 {
		by = teamMember[nt.Team]
	}
	c := p.Completion{Outcome: outcome, Holder: by, Team: nt.Team}
	before := cloneInstance(s.in)
	plan, err := s.d.Complete(s.in, step, c, chosen)
	if err != nil {
		s.t.Fatalf("complete %s (%q): %v (after %v)", step, outcome, err, s.order)
	}
	if !sameInstance(before, s.in) {
		s.t.Fatalf("complete %s modified the instance", step)
	}
	delete(s.in.Open, step)
	delete(s.tasks, step)
	s.in.Completed[step] = c
	s.order = append(s.order, step)
	if step == p.StepBeoordelingDoelgroep {
		s.in.TargetGroup = outcome
	}
	for _, e := range plan.Effects {
		switch e.Effect {
		case p.EffectOpenParticipation, p.EffectTransferDossier:
			s.in.DossierOwner = chosen
		case p.EffectWithdrawTasks:
			// The caller lets the open task lapse; it is done with, never completed.
			if w := p.StepKey(e.Params[p.ParamStep]); s.in.Open[w] {
				delete(s.in.Open, w)
				delete(s.tasks, w)
				s.lapsed = append(s.lapsed, w)
			}
		}
	}
	s.effects = append(s.effects, plan.EffectNames()...)
	for _, w := range plan.Waiting {
		if _, ok := s.in.Completed[w]; ok {
			s.t.Fatalf("complete %s waits for %s, which is already complete", step, w)
		}
	}
	s.waited = append(s.waited, plan.Waiting...)
	for _, t := range plan.Tasks {
		s.create(t)
	}
	return plan
}

type move struct {
	step    p.StepKey
	outcome string
	chosen  int64
}

type walk struct {
	name    string
	moves   []move
	created []string // every task created, in order (first is the start task)
	effects []p.Effect
	waited  []p.StepKey
	open    []p.StepKey // open at the end
	owner   int64       // dossier owner at the end
}

func walks() []walk {
	start := "intake_gesprek@poort#0"
	regulierHead := []move{{sIntake, "", 0}, {sDoelgroep, tgRegulier, 0}, {sAanmelding, "", 0}}
	regulierCreated := []string{start, "beoordeling_doelgroep@poort#101", "aanmelding_participatie@poort#101",
		"verwerking_aanmelding@top#0 E-mail TOP", "rapportage@poort#101"}
	tail := func(steps ...[]move) []move { return slices.Concat(append([][]move{regulierHead}, steps...)...) }
	werkTail := []move{{sVerdelen, "", uKMWerk2}, {sUitnodigen, "", 0}, {sStart, "", 0}}
	werkCreated := []string{"verdelen_km_werk@top#0 E-mail TOP", "uitnodigen_kennismaking@kmwerk#402", "start_begeleiding@kmwerk#402"}

	hold, withdraw := p.EffectHoldAppointment, p.EffectWithdrawTasks
	ws := []walk{
		{
			name:    "regulier, toekenning, intake before besluit",
			moves:   tail([]move{{sVerwerking, "", uKMWD2}, {sIntakeWD, "", 0}, {sRapportage, "", 0}, {sBesluit, p.OutcomeToekenning, 0}}, werkTail),
			created: slices.Concat(regulierCreated, []string{"intake_werkdiagnose@kmwd#302", "besluit@poort#101"}, werkCreated),
			effects: []p.Effect{p.EffectSetTargetGroup, p.EffectOpenParticipation, p.EffectBookAppointment, hold, withdraw, p.EffectDecideApplication, p.EffectSendLetter,
				p.EffectTransferDossier, p.EffectBookAppointment, hold, p.EffectRegisterPlanned, p.EffectBookAppointment, p.EffectStartGuidance},
			owner: uKMWerk2,
		},
		{
			name:    "regulier, toekenning, besluit before intake (join)",
			moves:   tail([]move{{sRapportage, "", 0}, {sVerwerking, "", uKMWD2}, {sBesluit, p.OutcomeToekenning, 0}, {sIntakeWD, "", 0}}, werkTail),
			created: slices.Concat(regulierCreated, []string{"besluit@poort#101", "intake_werkdiagnose@kmwd#302"}, werkCreated),
			effects: []p.Effect{p.EffectSetTargetGroup, p.EffectOpenParticipation, p.EffectBookAppointment, p.EffectDecideApplication, p.EffectSendLetter,
				hold, withdraw, p.EffectTransferDossier, p.EffectBookAppointment, hold, p.EffectRegisterPlanned, p.EffectBookAppointment, p.EffectStartGuidance},
			waited: []p.StepKey{sIntakeWD},
			owner:  uKMWerk2,
		},
		{
			name:    "regulier, besluit before the registration is even processed",
			moves:   tail([]move{{sRapportage, "", 0}, {sBesluit, p.OutcomeToekenning, 0}, {sVerwerking, "", uKMWD2}, {sIntakeWD, "", 0}}, werkTail),
			created: slices.Concat(regulierCreated, []string{"besluit@poort#101", "intake_werkdiagnose@kmwd#302"}, werkCreated),
			effects: []p.Effect{p.EffectSetTargetGroup, p.EffectDecideApplication, p.EffectSendLetter, p.EffectOpenParticipation, p.EffectBookAppointment,
				hold, withdraw, p.EffectTransferDossier, p.EffectBookAppointment, hold, p.EffectRegisterPlanned, p.EffectBookAppointment, p.EffectStartGuidance},
			waited: []p.StepKey{sIntakeWD},
			owner:  uKMWerk2,
		},
		{
			// Refused before the intake: the KM Werkdiagnose is offered to close
			// without it; the intake is held meanwhile, which withdraws that offer.
			name:  "regulier, geen toekenning, continue as NUG'er",
			moves: tail([]move{{sVerwerking, "", uKMWD2}, {sRapportage, "", 0}, {sBesluit, p.OutcomeGeenToekenning, 0}, {sIntakeWD, "", 0}, {sNug, p.OutcomeNUG, 0}}),
			created: slices.Concat(regulierCreated, []string{"intake_werkdiagnose@kmwd#302", "besluit@poort#101",
				"afsluiten_zonder_intake@kmwd#302 E-mail KM", "nug_of_afsluiten@kmwd#302 E-mail KM"}),
			effects: []p.Effect{p.EffectSetTargetGroup, p.EffectOpenParticipation, p.EffectBookAppointment, p.EffectDecideApplication, p.EffectSendLetter,
				hold, withdraw, p.EffectContinueAsNUG},
			waited: []p.StepKey{sIntakeWD},
			owner:  uKMWD2,
		},
		{
			name: "regulier, geen toekenning before the intake, closed without it",
			moves: tail([]move{{sVerwerking, "", uKMWD2}, {sRapportage, "", 0}, {sBesluit, p.OutcomeGeenToekenning, 0},
				{sZonder, p.OutcomeZonderIntake, 0}}),
			created: slices.Concat(regulierCreated, []string{"intake_werkdiagnose@kmwd#302", "besluit@poort#101",
				"afsluiten_zonder_intake@kmwd#302 E-mail KM"}),
			effects: []p.Effect{p.EffectSetTargetGroup, p.EffectOpenParticipation, p.EffectBookAppointment, p.EffectDecideApplication, p.EffectSendLetter,
				withdraw, withdraw, p.EffectCloseParticipation},
			waited: []p.StepKey{sIntakeWD},
			owner:  uKMWD2,
		},
		{
			name:    "regulier, geen toekenning after intake, close",
			moves:   tail([]move{{sVerwerking, "", uKMWD2}, {sIntakeWD, "", 0}, {sRapportage, "", 0}, {sBesluit, p.OutcomeGeenToekenning, 0}, {sNug, p.OutcomeAfsluiten, 0}}),
			created: slices.Concat(regulierCreated, []string{"intake_werkdiagnose@kmwd#302", "besluit@poort#101", "nug_of_afsluiten@kmwd#302 E-mail KM"}),
			effects: []p.Effect{p.EffectSetTargetGroup, p.EffectOpenParticipation, p.EffectBookAppointment, hold, withdraw,
				p.EffectDecideApplication, p.EffectSendLetter, p.EffectCloseParticipation},
			owner: uKMWD2,
		},
		{
			name:    "regulier, stopped halfway: the open tasks are the ones still to do",
			moves:   tail([]move{{sVerwerking, "", uKMWD2}, {sRapportage, "", 0}}),
			created: slices.Concat(regulierCreated, []string{"intake_werkdiagnose@kmwd#302", "besluit@poort#101"}),
			effects: []p.Effect{p.EffectSetTargetGroup, p.EffectOpenParticipation, p.EffectBookAppointment},
			open:    []p.StepKey{sIntakeWD, sBesluit},
			owner:   uKMWD2,
		},
	}
	for _, g := range []struct {
		key, team, msg string
		km             int64
	}{{tgArbeidsbeperkt, p.TeamAG, "E-mail AG", uAG2}, {tgInrichting, p.TeamWerk, "E-mail KM", uKMWerk2}} {
		head := []move{{sIntake, "", 0}, {sDoelgroep, g.key, 0}, {sRapportage, "", 0}}
		headCreated := []string{start, "beoordeling_doelgroep@poort#101", "rapportage@poort#101", "besluit@poort#101"}
		ws = append(ws,
			walk{
				name:  g.key + ", toekenning",
				moves: slices.Concat(head, []move{{sBesluit, p.OutcomeToekenning, 0}, {sAanmelding, "", 0}, {sVerwTeam, "", g.km}, {sUitnodigen, "", 0}, {sStart, "", 0}}),
				created: slices.Concat(headCreated, []string{
					"aanmelding_participatie@poort#101",
					fmt.Sprintf("verwerking_aanmelding_team@%s#0 %s", g.team, g.msg),
					fmt.Sprintf("uitnodigen_kennismaking@%s#%d", g.team, g.km),
					fmt.Sprintf("start_begeleiding@%s#%d", g.team, g.km),
				}),
				effects: []p.Effect{p.EffectSetTargetGroup, p.EffectDecideApplication, p.EffectSendLetter, p.EffectOpenParticipation, p.EffectBookAppointment,
					p.EffectHoldAppointment, p.EffectRegisterPlanned, p.EffectBookAppointment, p.EffectStartGuidance},
				owner: g.km,
			},
			walk{
				name:    g.key + ", geen toekenning",
				moves:   slices.Concat(head, []move{{sBesluit, p.OutcomeGeenToekenning, 0}}),
				created: headCreated,
				effects: []p.Effect{p.EffectSetTargetGroup, p.EffectDecideApplication, p.EffectSendLetter, p.EffectCloseWithoutRecords},
			},
		)
	}
	return ws
}

func runWalk(t *testing.T, d *p.Definition, w walk) *sim {
	t.Helper()
	s := newSim(t, d)
	for _, m := range w.moves {
		s.complete(m.step, m.outcome, m.chosen)
	}
	if !slices.Equal(s.created, w.created) {
		t.Errorf("created tasks:\n got  %s\n want %s", strings.Join(s.created, "\n      "), strings.Join(w.created, "\n      "))
	}
	if !slices.Equal(s.effects, w.effects) {
		t.Errorf("effects: got %v, want %v", s.effects, w.effects)
	}
	if !slices.Equal(s.waited, w.waited) {
		t.Errorf("waited: got %v, want %v", s.waited, w.waited)
	}
	if open := slices.Sorted(maps.Keys(s.in.Open)); !slices.Equal(open, slices.Sorted(slices.Values(w.open))) {
		t.Errorf("open at the end: got %v, want %v", open, w.open)
	}
	if s.in.DossierOwner != w.owner {
		t.Errorf("dossier owner at the end: got %d, want %d", s.in.DossierOwner, w.owner)
	}
	return s
}

func TestWalkEveryRoute(t *testing.T) {
	d := defaultDef(t)
	for _, w := range walks() {
		t.Run(w.name, func(t *testing.T) { runWalk(t, d, w) })
	}
}

// choice decides the outcome and chosen holder of each step in an
// exhaustive exploration.
type choice map[p.StepKey]move

// explore completes the open tasks in every possible order and calls leaf
// for every finished run. It returns the number of runs.
func explore(s *sim, ch choice, leaf func(*sim)) int {
	open := slices.Sorted(maps.Keys(s.in.Open))
	if len(open) == 0 {
		leaf(s)
		return 1
	}
	n := 0
	for _, step := range open {
		c := s.clone()
		m := ch[step]
		c.complete(step, m.outcome, m.chosen)
		n += explore(c, ch, leaf)
	}
	return n
}

// Whatever order the parallel branches complete in, the same tasks are
// created exactly once, the same effects happen, and nothing is left open.
func TestWalkEveryInterleaving(t *testing.T) {
	d := defaultDef(t)
	base := choice{
		sVerwerking: {chosen: uKMWD2}, sVerdelen: {chosen: uKMWerk2}, sVerwTeam: {chosen: uAG2},
		// Offered only when the refusal comes before the intake: going on
		// with the intake leaves the usual route.
		sZonder: {outcome: p.OutcomeIntakeDoorgaan},
	}
	// usual drops what depends on the order by design: the offer to close
	// without the intake, and the withdrawing of it.
	usual := func(xs []string) []string {
		return slices.DeleteFunc(slices.Clone(xs), func(x string) bool {
			return strings.HasPrefix(x, string(sZonder)+"@") || x == string(p.EffectWithdrawTasks)
		})
	}
	cases := []struct {
		tg, besluit, nug string
		runs             int // distinct orders: Regulier has two parallel branches of two steps, C(4,2) = 6
		last             p.StepKey
	}{
		{tgRegulier, p.OutcomeToekenning, "", 6, sStart},
		// A refusal before the intake adds the offer to close without it,
		// which can be answered before the intake or lapse when it is held:
		// of the 6 orders, the 3 with the besluit first gain 1, 1 and 2 runs.
		{tgRegulier, p.OutcomeGeenToekenning, p.OutcomeNUG, 10, sNug},
		{tgRegulier, p.OutcomeGeenToekenning, p.OutcomeAfsluiten, 10, sNug},
		{tgArbeidsbeperkt, p.OutcomeToekenning, "", 1, sStart},
		{tgArbeidsbeperkt, p.OutcomeGeenToekenning, "", 1, sBesluit},
		{tgInrichting, p.OutcomeToekenning, "", 1, sStart},
		{tgInrichting, p.OutcomeGeenToekenning, "", 1, sBesluit},
	}
	for _, tc := range cases {
		t.Run(tc.tg+"/"+tc.besluit+"/"+tc.nug, func(t *testing.T) {
			ch := maps.Clone(base)
			ch[sDoelgroep] = move{outcome: tc.tg}
			ch[sBesluit] = move{outcome: tc.besluit}
			ch[sNug] = move{outcome: tc.nug}
			var firstCreated []string
			var firstEffects []string
			runs := explore(newSim(t, d), ch, func(s *sim) {
				created := slices.Sorted(slices.Values(usual(s.created)))
				var names []string
				for _, e := range s.effects {
					names = append(names, string(e))
				}
				effects := slices.Sorted(slices.Values(usual(names)))
				if firstCreated == nil {
					firstCreated, firstEffects = created, effects
				}
				if !slices.Equal(created, firstCreated) {
					t.Errorf("order %v created\n %v\nanother order created\n %v", s.order, created, firstCreated)
				}
				if !slices.Equal(effects, firstEffects) {
					t.Errorf("order %v effects %v, another order %v", s.order, effects, firstEffects)
				}
				if len(s.tasks) != 0 {
					t.Errorf("order %v left tasks open: %v", s.order, slices.Collect(maps.Keys(s.tasks)))
				}
				if len(s.order)+len(s.lapsed) != len(s.created) {
					t.Errorf("order %v: %d tasks created, %d completed, %d lapsed", s.order, len(s.created), len(s.order), len(s.lapsed))
				}
				if s.order[len(s.order)-1] != tc.last {
					t.Errorf("order %v does not end with %s", s.order, tc.last)
				}
			})
			if runs != tc.runs {
				t.Errorf("explored %d orders, want %d", runs, tc.runs)
			}
		})
	}
}
