package process_test

import (
	"strings"
	"testing"
	"time"

	p "github.com/bar-organisatie/werkdiagnose/internal/process"
)

func day(s string) time.Time {
	d, err := time.ParseInLocation(time.DateOnly, s, p.Amsterdam)
	if err != nil {
		panic(err)
	}
	return d
}

// TestObjectionDue works the bezwaar term of Awb 6:7/6:8 with the
// Algemene termijnenwet on the default term calendar.
func TestObjectionDue(t *testing.T) {
	cal, err := p.NewCalendar(p.DefaultTermCalendarPolicy())
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ sent, want, why string }{
		{"2027-01-04", "2027-02-15", "six weeks from the day after sending end on the same weekday"},
		{"2026-11-13", "2026-12-28", "ends on Eerste Kerstdag (Friday): moves past Tweede Kerstdag and the weekend"},
		{"2026-03-24", "2026-05-06", "ends on 5 May: a holiday of the Algemene termijnenwet even though the office is open"},
		{"2027-02-12", "2027-03-30", "ends on Goede Vrijdag: past the weekend and Tweede Paasdag"},
		{"2027-03-16", "2027-04-28", "ends on Koningsdag"},
		{"2027-01-09", "2027-02-22", "a letter dated on a Saturday: the term ends on a Saturday and runs on to Monday"},
	}
	for _, c := range cases {
		if got := p.ObjectionDue(day(c.sent), cal); !got.Equal(day(c.want)) {
			t.Errorf("ObjectionDue(%s) = %s, want %s (%s)", c.sent, got.Format(time.DateOnly), c.want, c.why)
		}
	}
}

// TestDecisionLetterFollowsOutcome: the decision step makes one letter,
// the one of its outcome.
func TestDecisionLetterFollowsOutcome(t *testing.T) {
	d := defaultDef(t)
	st, _ := d.Step(p.StepBesluit)
	letters := map[string]p.LetterKey{}
	for _, e := range st.Effects {
		if e.Effect == p.EffectSendLetter {
			letters[e.Params[p.ParamOutcome]] = p.LetterKey(e.Params[p.ParamLetter])
		}
	}
	if letters[p.OutcomeToekenning] != p.LetterToekenning || letters[p.OutcomeGeenToekenning] != p.LetterAfwijzing {
		t.Errorf("decision letters by outcome = %v", letters)
	}
	for _, k := range p.LetterKeys() {
		if p.LetterNames[k] == "" {
			t.Errorf("letter %s has no name", k)
		}
	}
}

// TestSendLetterNeedsAKnownLetter: a definition naming a letter that does
// not exist is refused, naming the step.
func TestSendLetterNeedsAKnownLetter(t *testing.T) {
	steps := p.PilotSteps()
	for i := range steps {
		if steps[i].Key == p.StepBesluit {
			steps[i].Effects = append(steps[i].Effects, p.Do{Effect: p.EffectSendLetter, Params: p.Params{p.ParamLetter: "brief_bestaat_niet"}},
				p.Do{Effect: p.EffectSendLetter, Params: p.Params{p.ParamLetter: string(p.LetterToekenning), p.ParamOutcome: "misschien"}})
		}
	}
	_, err := p.Build("test", p.StepIntakeGesprek, p.DefaultPolicy(), steps)
	if err == nil {
		t.Fatal("a definition with an unknown letter was accepted")
	}
	for _, want := range []string{`unknown letter "brief_bestaat_niet"`, `outcome "misschien" is not an outcome`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}
