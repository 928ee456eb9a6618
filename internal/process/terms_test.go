package process_test

import (
	"testing"
	"time"

	p "github.com/bar-organisatie/werkdiagnose/internal/process"
)

// ams is a calendar date at midnight in Europe/Amsterdam.
func ams(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, p.Amsterdam) }

// sameDate checks a result is exactly midnight of the wanted Amsterdam date.
func sameDate(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	g := got.In(p.Amsterdam)
	if g.Year() != want.Year() || g.Month() != want.Month() || g.Day() != want.Day() || g.Hour() != 0 || g.Minute() != 0 || !got.Equal(want) {
		t.Errorf("%s = %s, want %s", what, g.Format(time.RFC3339), want.Format(time.RFC3339))
	}
}

func TestAmsterdamIsTheRealZone(t *testing.T) {
	if p.Amsterdam.String() != "Europe/Amsterdam" {
		t.Fatalf("Amsterdam = %s: tzdata missing, DST would be wrong", p.Amsterdam)
	}
	if _, off := time.Date(2026, 7, 1, 12, 0, 0, 0, p.Amsterdam).Zone(); off != 2*3600 {
		t.Errorf("summer offset %d", off)
	}
}

func TestDateAddDaysDaysBetween(t *testing.T) {
	// An instant late in the UTC evening is the next calendar day in Amsterdam.
	sameDate(t, "Date(2026-06-10T22:30Z)", p.Date(time.Date(2026, 6, 10, 22, 30, 0, 0, time.UTC)), ams(2026, 6, 11))
	sameDate(t, "Date(2026-01-10T22:30Z)", p.Date(time.Date(2026, 1, 10, 22, 30, 0, 0, time.UTC)), ams(2026, 1, 10))
	sameDate(t, "Date(2026-01-10T23:30Z)", p.Date(time.Date(2026, 1, 10, 23, 30, 0, 0, time.UTC)), ams(2026, 1, 11))
	sameDate(t, "Date(midnight)", p.Date(ams(2026, 3, 29)), ams(2026, 3, 29))

	sameDate(t, "AddDays(Jan 31, 1)", p.AddDays(ams(2026, 1, 31), 1), ams(2026, 2, 1))
	sameDate(t, "AddDays(Feb 28 2028, 1)", p.AddDays(ams(2028, 2, 28), 1), ams(2028, 2, 29))
	sameDate(t, "AddDays(Mar 1, -1)", p.AddDays(ams(2026, 3, 1), -1), ams(2026, 2, 28))
	sameDate(t, "AddDays(Dec 31, 1)", p.AddDays(ams(2026, 12, 31), 1), ams(2027, 1, 1))
	sameDate(t, "AddDays(x, 0) drops the time", p.AddDays(time.Date(2026, 5, 5, 15, 4, 0, 0, p.Amsterdam), 0), ams(2026, 5, 5))

	cases := []struct {
		a, b time.Time
		want int
	}{
		{ams(2026, 10, 20), ams(2026, 10, 20), 0},
		{ams(2026, 10, 20), ams(2026, 10, 27), 7}, // across the October switch (a 169-hour week)
		{ams(2026, 3, 25), ams(2026, 4, 1), 7},    // across the March switch (a 167-hour week)
		{ams(2026, 4, 1), ams(2026, 3, 25), -7},   // b before a
		{ams(2026, 1, 1), ams(2027, 1, 1), 365},   // a year
		{ams(2028, 1, 1), ams(2029, 1, 1), 366},   // a leap year
		{time.Date(2026, 6, 10, 23, 59, 0, 0, p.Amsterdam), time.Date(2026, 6, 11, 0, 1, 0, 0, p.Amsterdam), 1}, // two minutes, one day
		{time.Date(2026, 6, 10, 0, 1, 0, 0, p.Amsterdam), time.Date(2026, 6, 10, 23, 59, 0, 0, p.Amsterdam), 0}, // almost a day, none
		{time.Date(2026, 6, 10, 22, 30, 0, 0, time.UTC), ams(2026, 6, 11), 0},                                   // same Amsterdam date
	}
	for _, c := range cases {
		if got := p.DaysBetween(c.a, c.b); got != c.want {
			t.Errorf("DaysBetween(%s, %s) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestTermDue(t *testing.T) {
	pol := p.DefaultPolicy()
	applied := ams(2026, 10, 20)
	cases := []struct {
		name         string
		kind         p.TermKind
		start        time.Time
		suspensions  []p.Suspension
		want         time.Time
		ok           bool
		wantDuration time.Duration // 0: not checked
	}{
		{"intake +7", p.TermIntake, ams(2026, 5, 4), nil, ams(2026, 5, 11), true, 7 * 24 * time.Hour},
		{"invite +7", p.TermInvite, ams(2026, 5, 4), nil, ams(2026, 5, 11), true, 0},
		{"intake across the CET switch of 25 October", p.TermIntake, ams(2026, 10, 22), nil, ams(2026, 10, 29), true, 169 * time.Hour},
		{"invite across the CEST switch of 29 March", p.TermInvite, ams(2026, 3, 25), nil, ams(2026, 4, 1), true, 167 * time.Hour},
		{"intake starting at 00:30 Amsterdam, still 22:30 UTC the day before", p.TermIntake, time.Date(2026, 10, 22, 22, 30, 0, 0, time.UTC), nil, ams(2026, 10, 30), true, 0},
		{"intake starting in the doubled hour of 25 October", p.TermIntake, time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), nil, ams(2026, 11, 1), true, 0},
		{"intake started mid-afternoon: the due date is a date", p.TermIntake, time.Date(2026, 5, 4, 15, 45, 0, 0, p.Amsterdam), nil, ams(2026, 5, 11), true, 0},
		{"decision +56 from the application date, not the step start", p.TermDecision, ams(2026, 11, 3), nil, ams(2026, 12, 15), true, 56*24*time.Hour + time.Hour},
		{"decision with closed suspensions", p.TermDecision, ams(2026, 11, 3), []p.Suspension{
			{Start: ams(2026, 11, 2), End: ams(2026, 11, 12), Reason: "gegevens opgevraagd"},
			{Start: ams(2026, 11, 20), End: ams(2026, 11, 23), Reason: "uitstel met instemming"},
		}, ams(2026, 12, 28), true, 0},
		{"decision with an open suspension is unknown", p.TermDecision, ams(2026, 11, 3), []p.Suspension{
			{Start: ams(2026, 11, 2), End: ams(2026, 11, 12)}, {Start: ams(2026, 11, 20)},
		}, time.Time{}, false, 0},
		{"no term", p.TermNone, ams(2026, 5, 4), nil, time.Time{}, false, 0},
		{"unknown term kind", "maand", ams(2026, 5, 4), nil, time.Time{}, false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			due, ok := pol.TermDue(c.kind, c.start, applied, c.suspensions)
			if ok != c.ok {
				t.Fatalf("ok = %v, want %v (due %s)", ok, c.ok, due)
			}
			if !ok {
				if !due.IsZero() {
					t.Errorf("unknown due date is %s, want zero", due)
				}
				return
			}
			sameDate(t, "due", due, c.want)
			from := c.start
			if c.kind == p.TermDecision {
				from = applied
			}
			if c.wantDuration != 0 && due.Sub(from) != c.wantDuration {
				t.Errorf("due - start = %s, want %s (calendar days, not 24-hour blocks)", due.Sub(from), c.wantDuration)
			}
		})
	}
}

func TestTermDueFollowsPolicy(t *testing.T) {
	pol := p.DefaultPolicy()
	pol.IntakeTermDays, pol.InviteTermDays, pol.DecisionTermDays = 5, 10, 42
	start := ams(2026, 5, 4)
	for kind, want := range map[p.TermKind]time.Time{
		p.TermIntake: ams(2026, 5, 9), p.TermInvite: ams(2026, 5, 14), p.TermDecision: ams(2026, 6, 15),
	} {
		due, ok := pol.TermDue(kind, start, start, nil)
		if !ok {
			t.Errorf("%s: no due date", kind)
		}
		sameDate(t, string(kind), due, want)
	}
}

func TestDecisionDue(t *testing.T) {
	pol := p.DefaultPolicy()
	applied := ams(2026, 10, 20)
	due, ok := pol.DecisionDue(applied, nil)
	if !ok {
		t.Fatal("no due date without suspensions")
	}
	sameDate(t, "DecisionDue(2026-10-20)", due, ams(2026, 12, 15))

	// An application received at 23:30 UTC on 19 October is received on the 20th in Amsterdam.
	due, _ = pol.DecisionDue(time.Date(2026, 10, 19, 22, 30, 0, 0, time.UTC), nil)
	sameDate(t, "DecisionDue(2026-10-19T22:30Z)", due, ams(2026, 12, 15))

	// Each closed suspension adds its calendar days, across the DST switch too.
	due, ok = pol.DecisionDue(applied, []p.Suspension{{Start: ams(2026, 10, 21), End: ams(2026, 10, 28)}})
	if !ok {
		t.Fatal("closed suspension made the due date unknown")
	}
	sameDate(t, "DecisionDue with 7 suspended days", due, ams(2026, 12, 22))

	// A suspension started and ended the same day adds nothing.
	due, _ = pol.DecisionDue(applied, []p.Suspension{{Start: time.Date(2026, 11, 2, 9, 0, 0, 0, p.Amsterdam), End: time.Date(2026, 11, 2, 17, 0, 0, 0, p.Amsterdam)}})
	sameDate(t, "DecisionDue with a same-day suspension", due, ams(2026, 12, 15))

	// An open suspension, wherever in the list, makes it unknown.
	for i, ss := range [][]p.Suspension{
		{{Start: ams(2026, 11, 2)}},
		{{Start: ams(2026, 11, 2)}, {Start: ams(2026, 11, 20), End: ams(2026, 11, 23)}},
		{{Start: ams(2026, 11, 2), End: ams(2026, 11, 5)}, {Start: ams(2026, 11, 20)}},
	} {
		if due, ok := pol.DecisionDue(applied, ss); ok || !due.IsZero() {
			t.Errorf("case %d: open suspension gave %s, %v", i, due, ok)
		}
	}
}

func TestNextVoorschot(t *testing.T) {
	pol := p.DefaultPolicy()
	applied := ams(2026, 1, 5)
	cases := []struct {
		today, want time.Time
	}{
		{ams(2026, 1, 5), ams(2026, 2, 2)},                               // the application day itself
		{ams(2026, 2, 1), ams(2026, 2, 2)},                               // day 27
		{ams(2026, 2, 2), ams(2026, 2, 2)},                               // day 28: the signal is today
		{ams(2026, 3, 1), ams(2026, 3, 2)},                               // day 55
		{ams(2026, 3, 2), ams(2026, 3, 2)},                               // day 56: today
		{ams(2026, 3, 3), ams(2026, 3, 30)},                              // day 57
		{ams(2026, 4, 15), ams(2026, 4, 27)},                             // day 100 -> day 112
		{ams(2025, 12, 1), ams(2026, 2, 2)},                              // before the application: the first one
		{time.Date(2026, 2, 1, 23, 30, 0, 0, time.UTC), ams(2026, 2, 2)}, // 00:30 on 2 February in Amsterdam: day 28
		{time.Date(2026, 2, 1, 22, 30, 0, 0, time.UTC), ams(2026, 2, 2)}, // 23:30 on 1 February in Amsterdam: day 27
	}
	for _, c := range cases {
		sameDate(t, "NextVoorschot(2026-01-05, "+c.today.Format(time.RFC3339)+")", pol.NextVoorschot(applied, c.today), c.want)
	}
	// Across the March switch.
	sameDate(t, "NextVoorschot across DST", pol.NextVoorschot(ams(2026, 3, 1), ams(2026, 3, 30)), ams(2026, 4, 26))

	// Property: every 28 days, on or after today, less than 28 days ahead.
	for day := -40; day < 400; day++ {
		today := p.AddDays(applied, day)
		next := pol.NextVoorschot(applied, today)
		n := p.DaysBetween(applied, next)
		ahead := p.DaysBetween(today, next)
		if n <= 0 || n%28 != 0 || ahead < 0 || (day > 0 && ahead >= 28) || (day == 0 && ahead != 28) || (day > 0 && day%28 == 0 && ahead != 0) {
			t.Fatalf("day %d: next voorschot on day %d, %d days ahead", day, n, ahead)
		}
	}

	pol.VoorschotIntervalDays = 30
	sameDate(t, "NextVoorschot with a 30-day interval", pol.NextVoorschot(applied, ams(2026, 2, 5)), ams(2026, 3, 6))
}

func TestDeadline(t *testing.T) {
	pol := p.DefaultPolicy() // WarnDays 2
	today := ams(2026, 10, 23)
	cases := []struct {
		name   string
		due    time.Time
		hasDue bool
		today  time.Time
		state  p.DeadlineState
		left   int
	}{
		{"far ahead", ams(2026, 11, 1), true, today, p.DeadlineOnTime, 9},
		{"one day more than the warning", ams(2026, 10, 26), true, today, p.DeadlineOnTime, 3},
		{"at the warning (across the DST switch)", ams(2026, 10, 25), true, today, p.DeadlineSoon, 2},
		{"tomorrow", ams(2026, 10, 24), true, today, p.DeadlineSoon, 1},
		{"today", ams(2026, 10, 23), true, today, p.DeadlineSoon, 0},
		{"today, late in the evening", ams(2026, 10, 23), true, time.Date(2026, 10, 23, 23, 59, 0, 0, p.Amsterdam), p.DeadlineSoon, 0},
		{"yesterday", ams(2026, 10, 22), true, today, p.DeadlineOverdue, -1},
		{"ten days ago", ams(2026, 10, 13), true, today, p.DeadlineOverdue, -10},
		{"after midnight Amsterdam, still the day before in UTC", ams(2026, 10, 23), true, time.Date(2026, 10, 23, 22, 30, 0, 0, time.UTC), p.DeadlineOverdue, -1},
		{"no due date", ams(2026, 10, 1), false, today, p.DeadlineNone, 0},
		{"no due date, zero time", time.Time{}, false, today, p.DeadlineNone, 0},
	}
	for _, c := range cases {
		state, left := pol.Deadline(c.due, c.hasDue, c.today)
		if state != c.state || left != c.left {
			t.Errorf("%s: Deadline = %s, %d; want %s, %d", c.name, state, left, c.state, c.left)
		}
	}
	pol.WarnDays = 0
	if s, l := pol.Deadline(ams(2026, 10, 24), true, today); s != p.DeadlineOnTime || l != 1 {
		t.Errorf("WarnDays 0, due tomorrow: %s, %d", s, l)
	}
	if s, l := pol.Deadline(today, true, today); s != p.DeadlineSoon || l != 0 {
		t.Errorf("WarnDays 0, due today: %s, %d", s, l)
	}
	for _, s := range []p.DeadlineState{p.DeadlineNone, p.DeadlineOnTime, p.DeadlineSoon, p.DeadlineOverdue} {
		if p.DeadlineLabels[s] == "" {
			t.Errorf("state %s has no Dutch label", s)
		}
	}
}

func TestIsWeekTerm(t *testing.T) {
	for k, want := range map[p.TermKind]bool{p.TermIntake: true, p.TermInvite: true, p.TermDecision: false, p.TermNone: false, "maand": false} {
		if got := p.IsWeekTerm(k); got != want {
			t.Errorf("IsWeekTerm(%q) = %v", k, got)
		}
	}
}

func TestAgeAndEligible(t *testing.T) {
	pol := p.DefaultPolicy() // MinimumAge 27
	cases := []struct {
		name     string
		birth    time.Time
		on       time.Time
		age      int
		eligible bool
	}{
		{"the day before the 27th birthday", ams(1999, 6, 15), ams(2026, 6, 14), 26, false},
		{"the 27th birthday", ams(1999, 6, 15), ams(2026, 6, 15), 27, true},
		{"the day after", ams(1999, 6, 15), ams(2026, 6, 16), 27, true},
		{"a month before, later day of month", ams(1999, 6, 15), ams(2026, 5, 20), 26, false},
		{"28th birthday", ams(1998, 6, 15), ams(2026, 6, 15), 28, true},
		{"born 31 December, applied 1 January", ams(1999, 12, 31), ams(2027, 1, 1), 27, true},
		{"born 1 January, applied 31 December", ams(2000, 1, 1), ams(2026, 12, 31), 26, false},
		{"the birthday starts at midnight Amsterdam (22:30 UTC the evening before)", ams(1999, 6, 15), time.Date(2026, 6, 14, 22, 30, 0, 0, time.UTC), 27, true},
		{"birth date stored as UTC midnight", time.Date(1999, 6, 15, 0, 0, 0, 0, time.UTC), ams(2026, 6, 15), 27, true},
		{"birth date stored as UTC midnight, day before", time.Date(1999, 6, 15, 0, 0, 0, 0, time.UTC), ams(2026, 6, 14), 26, false},
		// 29 February: in a common year the birthday counts from 1 March.
		{"born 29 Feb 1996, 27th birthday in a common year, on 28 Feb", ams(1996, 2, 29), ams(2023, 2, 28), 26, false},
		{"born 29 Feb 1996, 27th birthday in a common year, on 1 Mar", ams(1996, 2, 29), ams(2023, 3, 1), 27, true},
		{"born 29 Feb 2000, on 28 Feb 2027", ams(2000, 2, 29), ams(2027, 2, 28), 26, false},
		{"born 29 Feb 2000, on 1 Mar 2027", ams(2000, 2, 29), ams(2027, 3, 1), 27, true},
		{"born 29 Feb 2000, on 28 Feb of a leap year", ams(2000, 2, 29), ams(2028, 2, 28), 27, true},
		{"born 29 Feb 2000, on 29 Feb of a leap year", ams(2000, 2, 29), ams(2028, 2, 29), 28, true},
		{"not yet born", ams(2030, 1, 1), ams(2026, 1, 1), -4, false},
	}
	for _, c := range cases {
		if got := p.Age(c.birth, c.on); got != c.age {
			t.Errorf("%s: Age = %d, want %d", c.name, got, c.age)
		}
		if got := pol.Eligible(c.birth, c.on); got != c.eligible {
			t.Errorf("%s: Eligible = %v, want %v", c.name, got, c.eligible)
		}
	}
	pol.MinimumAge = 30
	if pol.Eligible(ams(1999, 6, 15), ams(2026, 6, 15)) {
		t.Error("MinimumAge 30: a 27-year-old is eligible")
	}
	if !pol.Eligible(ams(1996, 6, 15), ams(2026, 6, 15)) {
		t.Error("MinimumAge 30: a 30-year-old is not eligible")
	}
}

// TestEvaluationAfter: evaluation dates follow each other by
// plan_evaluation_months (6) calendar months, at a month's end when the
// day does not exist, on a working day.
func TestEvaluationAfter(t *testing.T) {
	c := newCal(t, nil)
	pol := p.DefaultPolicy()
	for _, tc := range []struct {
		name       string
		from, want time.Time
	}{
		{"plain", ams(2027, 1, 15), ams(2027, 7, 15)},
		// 31 Aug + 6 months is Sun 28 Feb 2027: Monday 1 March.
		{"month end and Sunday", ams(2026, 8, 31), ams(2027, 3, 1)},
		{"leap year", ams(2027, 8, 31), ams(2028, 2, 29)},
		// 27 Apr 2027 is Koningsdag: Wednesday 28 April.
		{"Koningsdag", ams(2026, 10, 27), ams(2027, 4, 28)},
	} {
		sameDate(t, "EvaluationAfter "+tc.name, pol.EvaluationAfter(tc.from, c), tc.want)
	}
	// A cycle: every date lies the configured months after the previous.
	pol.PlanEvaluationMonths = 3
	d := ams(2027, 1, 11) // Monday
	var got []time.Time
	for range 4 {
		d = pol.EvaluationAfter(d, c)
		got = append(got, d)
	}
	// 11 Apr 2027 is a Sunday: Mon 12 Apr; then 12 Jul, 12 Oct, 12 Jan 2028.
	for i, want := range []time.Time{ams(2027, 4, 12), ams(2027, 7, 12), ams(2027, 10, 12), ams(2028, 1, 12)} {
		sameDate(t, "cycle", got[i], want)
	}
}
