package process_test

import (
	"strings"
	"testing"

	p "github.com/bar-organisatie/werkdiagnose/internal/process"
)

// A step started by hand is held by whoever starts it, on a team; the
// checks it requires are about the case, not a field. Build names the
// step and what is wrong.
func TestBuildRefusesHandStartedStepsThatDoNotFit(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*p.Step)
		want string
	}{
		{"no holder", func(s *p.Step) { s.Holder = "" }, "held by who starts it"},
		{"held by the dossier owner", func(s *p.Step) { s.Holder = p.HolderDossier }, "held by who starts it"},
		{"no team", func(s *p.Step) { s.Team = "" }, "needs a team"},
		{"a required check on a field", func(s *p.Step) {
			s.Requires = []p.Check{{Name: p.CheckNotSuspended, Field: p.FieldRequestedOn}}
		}, "no field"},
		{"an unknown required check", func(s *p.Step) { s.Requires = []p.Check{{Name: "maanstand"}} }, `unknown check "maanstand"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			steps := p.PilotSteps()
			for i := range steps {
				if steps[i].Key == p.StepVerdagen {
					c.edit(&steps[i])
				}
			}
			_, err := p.Build("kapot", p.StepIntakeGesprek, p.DefaultPolicy(), steps)
			if err == nil || !strings.Contains(err.Error(), `step "beslistermijn_verdagen"`) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Build = %v, want an error about %q naming the step", err, c.want)
			}
		})
	}
}

// The steps that keep the decision term: the request and the extension are
// started by hand on the application, the answer follows the request.
func TestTermStepsAreStartedByHand(t *testing.T) {
	d := defaultDef(t)
	var keys []p.StepKey
	for _, s := range d.StepsStartable(p.CaseAanvraag) {
		keys = append(keys, s.Key)
	}
	if len(keys) != 2 || keys[0] != p.StepVerzoekAanvulling || keys[1] != p.StepVerdagen {
		t.Errorf("startable on the application: %v", keys)
	}
	if got := d.StepsStartable(p.CaseParticipatie); len(got) != 0 {
		t.Errorf("startable on the participation case: %v", got)
	}
	answer, _ := d.Step(p.StepAanvullingVerwerken)
	if answer.On != "" || answer.Term != p.TermCompletion || !answer.LapsesOnClose {
		t.Errorf("aanvulling verwerken: on %q, term %q, lapses on the decision %v", answer.On, answer.Term, answer.LapsesOnClose)
	}
}
