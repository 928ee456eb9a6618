package process

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Refusals of the rules. Callers translate them into Dutch for users.
var (
	ErrUnknownStep      = errors.New("process: unknown step")
	ErrStepNotOpen      = errors.New("process: step is not open")
	ErrInvalidOutcome   = errors.New("process: invalid outcome")
	ErrHolderRequired   = errors.New("process: a klantmanager must be chosen")
	ErrNoRoute          = errors.New("process: the target group is not yet assessed")
	ErrUnknownTeam      = errors.New("process: unknown team")
	ErrUnknownTargetGrp = errors.New("process: unknown target group")
)

// Completion records how a step was completed.
type Completion struct {
	Outcome string
	Holder  int64  // user who completed it
	Team    string // team the task belonged to
}

// Instance is what the rules need to know of one application's flow.
type Instance struct {
	TargetGroup  string                 // key of the assessed target group; empty before the assessment
	Open         map[StepKey]bool       // steps with an open task
	Completed    map[StepKey]Completion // steps completed
	Fired        map[string]bool        // transitions that created their task, by FiredKey
	DossierOwner int64                  // owner of the participatiedossier, 0 when there is none
}

// FiredKey identifies a transition from one step to the next.
func FiredKey(from, next StepKey) string { return string(from) + ">" + string(next) }

// NewTask is a task the rules want created.
type NewTask struct {
	Step    StepKey
	From    StepKey
	Team    string
	Holder  int64 // 0: on the team's worklist
	Message string
	Term    TermKind
	Case    CaseKind
	// Due is the due date an event gives the task (a voorschot date, an
	// evaluation date); zero: its term decides.
	Due time.Time
}

// Plan is everything completing a step brings about.
type Plan struct {
	Tasks   []NewTask
	Effects []Do      // in order: the step's own, then those of the transitions that fired
	Waiting []StepKey // steps that must complete before a fired transition can create its task
}

// Route returns the route of the instance's target group.
func (d *Definition) Route(in Instance) (Route, error) {
	if in.TargetGroup == "" {
		return "", ErrNoRoute
	}
	g, ok := d.Policy.TargetGroup(in.TargetGroup)
	if !ok {
		return "", ErrUnknownTargetGrp
	}
	return g.Route, nil
}

// Complete checks that step may be completed with the given outcome and
// returns what follows. chosen is the klantmanager chosen in the form (0 if
// none). in must describe the instance before the completion.
func (d *Definition) Complete(in Instance, step StepKey, c Completion, chosen int64) (Plan, error) {
	s, ok := d.Step(step)
	if !ok {
		return Plan{}, ErrUnknownStep
	}
	if !in.Open[step] {
		return Plan{}, ErrStepNotOpen
	}
	if len(s.Outcomes) > 0 && !slices.Contains(s.Outcomes, c.Outcome) {
		return Plan{}, ErrInvalidOutcome
	}
	if len(s.Outcomes) == 0 && c.Outcome != "" {
		return Plan{}, ErrInvalidOutcome
	}
	if s.OutcomesFrom == OutcomesTargetGroups {
		in.TargetGroup = c.Outcome
	}
	if d.needsChosen(s) && chosen == 0 {
		return Plan{}, ErrHolderRequired
	}
	after := in.clone()
	delete(after.Open, step)
	after.Completed[step] = c
	plan := Plan{}
	for _, e := range s.Effects {
		// A step's effect with an outcome applies only with that outcome
		// (the decision's letter: one for a grant, one for a refusal).
		if o, ok := e.Params[ParamOutcome]; !ok || o == c.Outcome {
			plan.Effects = append(plan.Effects, e)
		}
	}
	if err := d.fire(&after, step, chosen, true, &plan); err != nil {
		return Plan{}, err
	}
	// A completion may satisfy the join of a transition fired earlier.
	for _, other := range d.Steps {
		if other.Key == step {
			continue
		}
		if _, done := after.Completed[other.Key]; done {
			if err := d.fire(&after, other.Key, 0, false, &plan); err != nil {
				return Plan{}, err
			}
		}
	}
	return plan, nil
}

// needsChosen reports whether a step's form must name the next holder.
func (d *Definition) needsChosen(s Step) bool {
	for _, t := range s.Transitions {
		if t.Holder == HolderChosen {
			return true
		}
	}
	return false
}

// fire evaluates the transitions of a completed step against the instance
// and appends to plan whatever they now create. own is true for the step
// being completed now: only then do its closing transitions (no next step)
// take effect; earlier steps are re-evaluated for their joins alone.
func (d *Definition) fire(in *Instance, from StepKey, chosen int64, own bool, plan *Plan) error {
	s, _ := d.Step(from)
	done := in.Completed[from]
	var route Route
	// A step whose transitions depend on the route cannot be evaluated
	// before the target group is assessed: refuse (ErrNoRoute) rather than
	// silently create nothing, which would leave the case stuck.
	routed := slices.ContainsFunc(s.Transitions, func(t Transition) bool { return t.Route != "" })
	if routed || (len(s.Transitions) > 0 && in.TargetGroup != "") {
		r, err := d.Route(*in)
		if err != nil {
			return err
		}
		route = r
	}
	for _, t := range s.Transitions {
		if t.Route != "" && t.Route != route {
			continue
		}
		if t.Outcome != "" && t.Outcome != done.Outcome {
			continue
		}
		if t.Next == "" {
			if own {
				plan.Effects = append(plan.Effects, t.Effects...)
			}
			continue
		}
		key := FiredKey(from, t.Next)
		// A step started by hand may be done again: its own completion fires
		// its transitions each time. Others fire once (a join re-evaluated).
		again := own && s.On == OnRequest
		if (in.Fired[key] && !again) || slices.ContainsFunc(t.Unless, func(k StepKey) bool { _, done := in.Completed[k]; return done }) {
			continue
		}
		var missing []StepKey
		for _, a := range t.After {
			if _, ok := in.Completed[a]; !ok {
				missing = append(missing, a)
			}
		}
		if len(missing) > 0 {
			if own {
				plan.Waiting = append(plan.Waiting, missing...)
			}
			continue
		}
		task, err := d.newTask(*in, from, t, chosen)
		if err != nil {
			return err
		}
		in.Fired[key] = true
		in.Open[t.Next] = true
		plan.Tasks = append(plan.Tasks, task)
		plan.Effects = append(plan.Effects, t.Effects...)
	}
	return nil
}

func (d *Definition) newTask(in Instance, from StepKey, t Transition, chosen int64) (NewTask, error) {
	next, ok := d.Step(t.Next)
	if !ok {
		return NewTask{}, fmt.Errorf("%w: %s", ErrUnknownStep, t.Next)
	}
	done := in.Completed[from]
	team := next.Team
	switch t.Team {
	case TeamOfStep:
	case TeamSameAsFrom:
		team = done.Team
	case TeamHandover:
		g, ok := d.Policy.TargetGroup(in.TargetGroup)
		if !ok {
			return NewTask{}, ErrUnknownTargetGrp
		}
		team = g.HandoverTeam
	default:
		team = t.Team
	}
	if _, ok := d.Policy.Team(team); !ok {
		return NewTask{}, fmt.Errorf("%w: %q", ErrUnknownTeam, team)
	}
	msg := t.Message
	if msg == "@handover" {
		g, _ := d.Policy.TargetGroup(in.TargetGroup)
		msg = g.Message
	}
	task := NewTask{Step: t.Next, From: from, Team: team, Message: msg, Term: next.Term, Case: next.Case}
	switch t.Holder {
	case HolderSame:
		task.Holder = done.Holder
	case HolderChosen:
		task.Holder = chosen
	case HolderDossier:
		task.Holder = in.DossierOwner
	}
	return task, nil
}

// StartPlan returns the first task of a new application.
func (d *Definition) StartPlan() NewTask {
	s, _ := d.Step(d.Start)
	return NewTask{Step: s.Key, Team: s.Team, Term: s.Term, Case: s.Case}
}

// NeedsChosenHolder reports whether completing the step requires choosing
// the next holder (a klantmanager), and the role that person must have.
func (d *Definition) NeedsChosenHolder(step StepKey, fromTeam string) (Role, bool) {
	s, ok := d.Step(step)
	if !ok || !d.needsChosen(s) {
		return "", false
	}
	for _, t := range s.Transitions {
		if t.Holder != HolderChosen {
			continue
		}
		next, _ := d.Step(t.Next)
		team := next.Team
		switch t.Team {
		case TeamOfStep:
		case TeamSameAsFrom:
			team = fromTeam
		default:
			team = t.Team
		}
		if tm, ok := d.Policy.Team(team); ok {
			return tm.Role, true
		}
	}
	return "", false
}

func (in Instance) clone() Instance {
	out := Instance{TargetGroup: in.TargetGroup, DossierOwner: in.DossierOwner,
		Open: map[StepKey]bool{}, Completed: map[StepKey]Completion{}, Fired: map[string]bool{}}
	for k, v := range in.Open {
		out.Open[k] = v
	}
	for k, v := range in.Completed {
		out.Completed[k] = v
	}
	for k, v := range in.Fired {
		out.Fired[k] = v
	}
	return out
}

// Path returns the steps an application is expected to pass, in the order
// they are first reached, for a route and the outcomes known so far. A step
// whose outcome is not known yet is assumed to take its first outcome.
// Joins do not change the order. It is what the case page draws.
func (d *Definition) Path(route Route, outcomes map[StepKey]string) []StepKey {
	var out []StepKey
	seen := map[StepKey]bool{}
	queue := []StepKey{d.Start}
	for len(queue) > 0 {
		k := queue[0]
		queue = queue[1:]
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, k)
		s, ok := d.Step(k)
		if !ok {
			continue
		}
		outcome, known := outcomes[k]
		if !known && len(s.Outcomes) > 0 && s.OutcomesFrom == "" {
			outcome = s.Outcomes[0]
		}
		for _, t := range s.Transitions {
			// Unless marks the exception (a step skipped), not the usual path.
			if t.Next == "" || len(t.Unless) > 0 || (t.Route != "" && t.Route != route) || (t.Outcome != "" && t.Outcome != outcome) {
				continue
			}
			queue = append(queue, t.Next)
		}
	}
	return out
}

// StepTeams returns, per step, the teams whose worklist its tasks can be
// on: the step's own team, the target groups' hand-over teams where a
// transition hands over, and the team of the previous step where a
// transition stays in the same team.
func (d *Definition) StepTeams() map[StepKey]map[string]bool {
	out := map[StepKey]map[string]bool{}
	add := func(k StepKey, team string) bool {
		if team == "" {
			return false
		}
		if out[k] == nil {
			out[k] = map[string]bool{}
		}
		if out[k][team] {
			return false
		}
		out[k][team] = true
		return true
	}
	for _, s := range d.Steps {
		add(s.Key, s.Team)
	}
	for changed := true; changed; {
		changed = false
		for _, s := range d.Steps {
			for _, t := range s.Transitions {
				if t.Next == "" {
					continue
				}
				switch t.Team {
				case TeamOfStep:
				case TeamHandover:
					for _, g := range d.Policy.TargetGroups {
						changed = add(t.Next, g.HandoverTeam) || changed
					}
				case TeamSameAsFrom:
					for team := range out[s.Key] {
						changed = add(t.Next, team) || changed
					}
				default:
					changed = add(t.Next, t.Team) || changed
				}
			}
		}
	}
	return out
}

// Handover is what follows a step, for showing on its task page.
type Handover struct {
	Route   Route
	Outcome string
	Next    StepKey
	Team    string // receiving team key
	Message string // hand-over mail label, if any
	After   []StepKey
	Unless  []StepKey
}

// Handovers lists what follows step for a client of the target group ("" when
// not assessed yet: every route is listed) on a task of team fromTeam.
func (d *Definition) Handovers(step StepKey, targetGroup, fromTeam string) []Handover {
	s, ok := d.Step(step)
	if !ok {
		return nil
	}
	var route Route
	g, known := d.Policy.TargetGroup(targetGroup)
	if known {
		route = g.Route
	}
	var out []Handover
	for _, t := range s.Transitions {
		if t.Next == "" || (known && t.Route != "" && t.Route != route) {
			continue
		}
		next, _ := d.Step(t.Next)
		h := Handover{Route: t.Route, Outcome: t.Outcome, Next: t.Next, Team: next.Team, Message: t.Message, After: t.After, Unless: t.Unless}
		switch t.Team {
		case TeamOfStep:
		case TeamSameAsFrom:
			h.Team = fromTeam
		case TeamHandover:
			h.Team = g.HandoverTeam
		default:
			h.Team = t.Team
		}
		if h.Message == "@handover" {
			h.Message = g.Message
		}
		out = append(out, h)
	}
	return out
}

// EffectNames lists the plan's effects by name, in order.
func (p Plan) EffectNames() []Effect {
	out := make([]Effect, 0, len(p.Effects))
	for _, e := range p.Effects {
		out = append(out, e.Effect)
	}
	return out
}
