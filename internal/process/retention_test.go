package process

import (
	"testing"
	"time"
)

// The defaults are the Selectielijst 2020's procestype 8 values, valid,
// and a period runs from the source date in calendar terms.
func TestRetentionDefaults(t *testing.T) {
	r := DefaultRetention()
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	src := time.Date(2026, 2, 28, 0, 0, 0, 0, Amsterdam)
	for _, tc := range []struct {
		result, category, period string
		want                     time.Time
	}{
		{ResultGranted, "8.1", "P10Y", time.Date(2036, 2, 28, 0, 0, 0, 0, Amsterdam)},
		{ResultRefused, "8.2", "P5Y", time.Date(2031, 2, 28, 0, 0, 0, 0, Amsterdam)},
		{ResultEnded, "8.3", "P10Y", time.Date(2036, 2, 28, 0, 0, 0, 0, Amsterdam)},
		{ResultBrokenOff, "8.4.1", "P42D", time.Date(2026, 4, 11, 0, 0, 0, 0, Amsterdam)},
	} {
		rule, ok := r.Rule(tc.result)
		if !ok || rule.Category != tc.category || rule.Period != tc.period || rule.Nomination != NominationDestroy {
			t.Errorf("%s: %+v", tc.result, rule)
		}
		if got := rule.DestroyOn(src); !got.Equal(tc.want) {
			t.Errorf("%s: destroy on %s, want %s", tc.result, got, tc.want)
		}
	}
	keep := RetentionRule{Nomination: NominationKeep, Period: "P10Y"}
	if !keep.DestroyOn(src).IsZero() {
		t.Error("a kept result got a destruction date")
	}
	if rule, _ := r.Rule(ResultGranted); !rule.DestroyOn(time.Time{}).IsZero() {
		t.Error("an unknown source date gave a destruction date")
	}
}

func TestCaseResult(t *testing.T) {
	for _, tc := range []struct {
		kind    CaseKind
		outcome string
		plan    bool
		want    string
		ok      bool
	}{
		{CaseAanvraag, OutcomeToekenning, false, ResultGranted, true},
		{CaseAanvraag, OutcomeGeenToekenning, false, ResultRefused, true},
		{CaseAanvraag, "", false, "", false},
		{CaseParticipatie, "", true, ResultEnded, true},
		{CaseParticipatie, "", false, ResultBrokenOff, true},
	} {
		got, ok := CaseResult(tc.kind, tc.outcome, tc.plan)
		if got != tc.want || ok != tc.ok {
			t.Errorf("CaseResult(%s, %q, %v) = %q %v", tc.kind, tc.outcome, tc.plan, got, ok)
		}
	}
}

func TestRetentionValidate(t *testing.T) {
	for name, change := range map[string]func(*Retention){
		"bad period":     func(r *Retention) { r.Rules[0].Period = "10 jaar" },
		"empty period":   func(r *Retention) { r.Rules[0].Period = "P" },
		"bad nomination": func(r *Retention) { r.Rules[1].Nomination = "weggooien" },
		"bad source":     func(r *Retention) { r.Rules[1].Source = "ooit" },
		"missing result": func(r *Retention) { r.Rules = r.Rules[1:] },
		"twice":          func(r *Retention) { r.Rules[1].Result = r.Rules[0].Result },
		"bad run_at":     func(r *Retention) { r.RunAt = "25:00" },
	} {
		r := DefaultRetention()
		change(&r)
		if r.Validate() == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestRetentionNextRun(t *testing.T) {
	r := DefaultRetention() // 02:30
	before := time.Date(2026, 4, 1, 1, 0, 0, 0, Amsterdam)
	if got, want := r.NextRun(before), time.Date(2026, 4, 1, 2, 30, 0, 0, Amsterdam); !got.Equal(want) {
		t.Errorf("NextRun(%s) = %s, want %s", before, got, want)
	}
	after := time.Date(2026, 4, 1, 3, 0, 0, 0, Amsterdam)
	if got, want := r.NextRun(after), time.Date(2026, 4, 2, 2, 30, 0, 0, Amsterdam); !got.Equal(want) {
		t.Errorf("NextRun(%s) = %s, want %s", after, got, want)
	}
}
