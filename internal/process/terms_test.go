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
	cases := []struct {
		name         string
		kind         p.TermKind
		start        time.Time
		want         time.Time
		ok           bool
		wantDuration time.Duration // 0: not checked
	}{
		{"intake +7", p.TermIntake, ams(2026, 5, 4), ams(2026, 5, 11), true, 7 * 24 * time.Hour},
		{"invite +7", p.TermInvite, ams(2026, 5, 4), ams(2026, 5, 11), true, 0},
		{"intake across the CET switch of 25 October", p.TermIntake, ams(2026, 10, 22), ams(2026, 10, 29), true, 169 * time.Hour},
		{"invite across the CEST switch of 29 March", p.TermInvite, ams(2026, 3, 25), ams(2026, 4, 1), true, 167 * time.Hour},
		{"intake starting at 00:30 Amsterdam, still 22:30 UTC the day before", p.TermIntake, time.Date(2026, 10, 22, 22, 30, 0, 0, time.UTC), ams(2026, 10, 30), true, 0},
		{"intake starting in the doubled hour of 25 October", p.TermIntake, time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), ams(2026, 11, 1), true, 0},
		{"intake started mid-afternoon: the due date is a date", p.TermIntake, time.Date(2026, 5, 4, 15, 45, 0, 0, p.Amsterdam), ams(2026, 5, 11), true, 0},
		// The decision and completion terms have their own rules (DecisionDue, the suspension's planned end).
		{"decision term", p.TermDecision, ams(2026, 11, 3), time.Time{}, false, 0},
		{"completion term", p.TermCompletion, ams(2026, 11, 3), time.Time{}, false, 0},
		{"no term", p.TermNone, ams(2026, 5, 4), time.Time{}, false, 0},
		{"unknown term kind", "maand", ams(2026, 5, 4), time.Time{}, false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			due, ok := pol.TermDue(c.kind, c.start)
			if ok != c.ok {
				t.Fatalf("ok = %v, want %v (due %s)", ok, c.ok, due)
			}
			if !ok {
				if !due.IsZero() {
					t.Errorf("no due date is %s, want zero", due)
				}
				return
			}
			sameDate(t, "due", due, c.want)
			if c.wantDuration != 0 && due.Sub(c.start) != c.wantDuration {
				t.Errorf("due - start = %s, want %s (calendar days, not 24-hour blocks)", due.Sub(c.start), c.wantDuration)
			}
		})
	}
}

func TestTermDueFollowsPolicy(t *testing.T) {
	pol := p.DefaultPolicy()
	pol.IntakeTermDays, pol.InviteTermDays, pol.DecisionTermDays = 5, 10, 42
	start := ams(2026, 5, 4)
	for kind, want := range map[p.TermKind]time.Time{p.TermIntake: ams(2026, 5, 9), p.TermInvite: ams(2026, 5, 14)} {
		due, ok := pol.TermDue(kind, start)
		if !ok {
			t.Errorf("%s: no due date", kind)
		}
		sameDate(t, string(kind), due, want)
	}
	sameDate(t, "decision term of 42 days", pol.DecisionDue(start, nil, 0, termCalendar(t)), ams(2026, 6, 15))
	if got := pol.TermDays(p.TermCompletion); got != 14 {
		t.Errorf("completion term = %d days, want the policy's 14", got)
	}
}

// termCalendar is the default calendar of the Algemene termijnenwet.
func termCalendar(t *testing.T) *p.Calendar {
	t.Helper()
	cal, err := p.NewCalendar(p.DefaultTermCalendarPolicy())
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

func TestDecisionDue(t *testing.T) {
	pol := p.DefaultPolicy()
	atw := termCalendar(t)
	applied := ams(2026, 10, 20) // a Tuesday
	sameDate(t, "DecisionDue(2026-10-20)", pol.DecisionDue(applied, nil, 0, atw), ams(2026, 12, 15))

	// An application received at 23:30 UTC on 19 October is received on the 20th in Amsterdam.
	sameDate(t, "DecisionDue(2026-10-19T22:30Z)", pol.DecisionDue(time.Date(2026, 10, 19, 22, 30, 0, 0, time.UTC), nil, 0, atw), ams(2026, 12, 15))

	// Each ended suspension adds its calendar days up to, not including, its end, across the DST switch too.
	sameDate(t, "DecisionDue with 7 suspended days", pol.DecisionDue(applied, []p.Suspension{{Start: ams(2026, 10, 21), End: ams(2026, 10, 28)}}, 0, atw), ams(2026, 12, 22))
	// 10 + 3 days: 20-10 + 56 + 13 = 28-12-2026, a Monday.
	sameDate(t, "DecisionDue with two ended suspensions", pol.DecisionDue(applied, []p.Suspension{
		{Start: ams(2026, 11, 2), End: ams(2026, 11, 12), Reason: "gegevens opgevraagd"},
		{Start: ams(2026, 11, 20), End: ams(2026, 11, 23), Reason: "uitstel met instemming"},
	}, 0, atw), ams(2026, 12, 28))

	// A suspension started and ended the same day adds nothing, nor does
	// one whose end lies before its start.
	sameDate(t, "DecisionDue with a same-day suspension", pol.DecisionDue(applied, []p.Suspension{{Start: time.Date(2026, 11, 2, 9, 0, 0, 0, p.Amsterdam), End: time.Date(2026, 11, 2, 17, 0, 0, 0, p.Amsterdam)}}, 0, atw), ams(2026, 12, 15))
	sameDate(t, "DecisionDue with a reversed suspension", pol.DecisionDue(applied, []p.Suspension{{Start: ams(2026, 11, 9), End: ams(2026, 11, 2)}}, 0, atw), ams(2026, 12, 15))

	// A running suspension counts up to and including its planned end: the
	// latest date, never "unknown". 2-11 .. 15-11 is 14 days: 20-10 + 70 = 29-12-2026.
	sameDate(t, "DecisionDue with a running suspension", pol.DecisionDue(applied, []p.Suspension{{Start: ams(2026, 11, 2), PlannedEnd: ams(2026, 11, 15)}}, 0, atw), ams(2026, 12, 29))
	// One without a planned end (before migration 00011) holds nothing.
	sameDate(t, "DecisionDue with a running suspension without a planned end", pol.DecisionDue(applied, []p.Suspension{{Start: ams(2026, 11, 2)}}, 0, atw), ams(2026, 12, 15))
}

// TestDecisionDueWorkedExamples are the worked examples of docs/law.md, by
// hand on the calendar of 2026 and 2027.
func TestDecisionDueWorkedExamples(t *testing.T) {
	pol := p.DefaultPolicy()
	atw := termCalendar(t)

	t.Run("a request to complete before Christmas, answered on the completion term's last day", func(t *testing.T) {
		received := ams(2026, 12, 21)  // Monday
		requested := ams(2026, 12, 22) // Tuesday
		// The completion term: 22-12-2026 + 14 days = Tuesday 05-01-2027, a
		// working day under the Atw.
		last := pol.RequestInfoEnd(requested, atw)
		sameDate(t, "completion term's last day", last, ams(2027, 1, 5))
		su := p.RequestSuspension(requested, last)
		sameDate(t, "suspended from", su.Start, ams(2026, 12, 23))

		// While it runs it counts 23-12-2026 up to and including 05-01-2027:
		// 9 days in December and 5 in January, 14. 21-12-2026 + 56 + 14 =
		// 21-12-2026 + 70 days (ten weeks) = Monday 01-03-2027.
		if n := su.Days(); n != 14 {
			t.Errorf("running suspension holds %d days, want 14", n)
		}
		sameDate(t, "provisional due date", pol.DecisionDue(received, []p.Suspension{su}, 0, atw), ams(2027, 3, 1))

		// Answered on 05-01-2027: suspended 23-12-2026 up to, not including,
		// 05-01-2027: 9 + 4 = 13 days. 21-12-2026 + 69 = Sunday 28-02-2027,
		// which the Atw moves to Monday 01-03-2027.
		su.End = su.AnsweredEnd(ams(2027, 1, 5))
		sameDate(t, "end", su.End, ams(2027, 1, 5))
		if n := su.Days(); n != 13 {
			t.Errorf("answered suspension holds %d days, want 13", n)
		}
		sameDate(t, "due date after the answer", pol.DecisionDue(received, []p.Suspension{su}, 0, atw), ams(2027, 3, 1))

		// Answered on 30-12-2026 instead: 7 days. 21-12-2026 + 63 = Monday 22-02-2027.
		su.End = su.AnsweredEnd(ams(2026, 12, 30))
		sameDate(t, "due date after an early answer", pol.DecisionDue(received, []p.Suspension{su}, 0, atw), ams(2027, 2, 22))

		// Lapsed unused: the suspension ends the day after the term's last
		// day and holds the same 14 days as while it ran.
		su.End = su.LapsedEnd()
		sameDate(t, "lapsed end", su.End, ams(2027, 1, 6))
		sameDate(t, "due date after the lapse", pol.DecisionDue(received, []p.Suspension{su}, 0, atw), ams(2027, 3, 1))

		// An answer after the term's last day ends it on the lapse (whichever
		// is first); an answer on the request's own day suspends nothing.
		sameDate(t, "late answer", su.AnsweredEnd(ams(2027, 1, 20)), ams(2027, 1, 6))
		sameDate(t, "same-day answer", su.AnsweredEnd(requested), ams(2026, 12, 23))
	})

	t.Run("the plain term ends on a Saturday", func(t *testing.T) {
		// Received Saturday 09-01-2027 (a digital application): + 56 =
		// Saturday 06-03-2027, so the term ends on Monday 08-03-2027.
		sameDate(t, "due", pol.DecisionDue(ams(2027, 1, 9), nil, 0, atw), ams(2027, 3, 8))
	})

	t.Run("the term lands on Atw holidays the office is open on", func(t *testing.T) {
		// Received Wednesday 10-03-2027: + 56 = Wednesday 05-05-2027,
		// Bevrijdingsdag (an Atw holiday; the office is open by default),
		// then Thursday 06-05-2027 is Hemelvaartsdag (Easter 2027 is 28
		// March, + 39): the term ends on Friday 07-05-2027.
		sameDate(t, "due", pol.DecisionDue(ams(2027, 3, 10), nil, 0, atw), ams(2027, 5, 7))
		office, err := p.NewCalendar(p.DefaultCalendarPolicy())
		if err != nil {
			t.Fatal(err)
		}
		if !office.IsWorkday(ams(2027, 5, 5)) || atw.IsWorkday(ams(2027, 5, 5)) {
			t.Error("Bevrijdingsdag: the office is open by default, the Atw counts it as a holiday")
		}
		// Received Friday 29-01-2027: + 56 = Goede Vrijdag 26-03-2027 (Atw
		// art. 3 lid 2), then the weekend and Tweede Paasdag 29-03-2027:
		// Tuesday 30-03-2027.
		sameDate(t, "due after Easter", pol.DecisionDue(ams(2027, 1, 29), nil, 0, atw), ams(2027, 3, 30))
		// A completion term from Friday 11-12-2026 ends on Eerste Kerstdag
		// 25-12-2026; Tweede Kerstdag is a Saturday: Monday 28-12-2026.
		sameDate(t, "completion term over Christmas", pol.RequestInfoEnd(ams(2026, 12, 11), atw), ams(2026, 12, 28))
	})

	t.Run("extended once", func(t *testing.T) {
		received := ams(2027, 3, 1) // Monday; + 56 = Monday 26-04-2027
		due := pol.DecisionDue(received, nil, 0, atw)
		sameDate(t, "due", due, ams(2027, 4, 26))
		// At most 8 weeks later: Monday 21-06-2027.
		sameDate(t, "extension limit", pol.ExtensionLimit(due), ams(2027, 6, 21))
		to := ams(2027, 6, 7) // Monday
		days := pol.ExtensionDays(received, nil, 0, to)
		if days != 42 {
			t.Errorf("extension of 26-04 to 07-06 is %d days, want 42", days)
		}
		sameDate(t, "extended due", pol.DecisionDue(received, nil, days, atw), to)
		// A suspension of a week after the extension moves it a week on.
		later := []p.Suspension{{Start: ams(2027, 5, 3), End: ams(2027, 5, 10)}}
		sameDate(t, "extended and suspended", pol.DecisionDue(received, later, days, atw), ams(2027, 6, 14))

		// Where the Atw had moved the due date (Sunday 28-02-2027 to Monday
		// 01-03-2027), the extension counts from the term's own end, so the
		// due date is the date chosen.
		su := []p.Suspension{{Start: ams(2026, 12, 23), End: ams(2027, 1, 5)}}
		days = pol.ExtensionDays(ams(2026, 12, 21), su, 0, ams(2027, 3, 8))
		if days != 8 {
			t.Errorf("extension from Sunday 28-02 to 08-03 is %d days, want 8", days)
		}
		sameDate(t, "extended due after the Atw", pol.DecisionDue(ams(2026, 12, 21), su, days, atw), ams(2027, 3, 8))
	})
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
