package process_test

import (
	"strings"
	"testing"
	"time"

	p "github.com/bar-organisatie/werkdiagnose/internal/process"
)

// sameInstant checks a moment, showing it in Amsterdam and UTC.
func sameInstant(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) || got.Location() != p.Amsterdam {
		t.Errorf("%s = %s (%s), want %s (%s)", what, got.In(p.Amsterdam).Format(time.RFC3339), got.Location(),
			want.In(p.Amsterdam).Format(time.RFC3339), want.UTC().Format(time.RFC3339))
	}
}

// utc is a moment in UTC: the expected instants are written out with their
// offset so summer and winter time are visible in the table.
func utc(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, time.UTC)
}

func TestDefaultReminderPolicy(t *testing.T) {
	r := p.DefaultReminderPolicy()
	want := p.ReminderPolicy{WeekTermWorkdaysBefore: 2, DecisionTermDaysBefore: 14, Voorschot: true, SendAt: "08:00", DigestAt: "07:30"}
	if r != want {
		t.Errorf("DefaultReminderPolicy() = %+v, want %+v", r, want)
	}
	if p.DefaultPolicy().Reminders != want {
		t.Errorf("DefaultPolicy().Reminders = %+v", p.DefaultPolicy().Reminders)
	}
	if err := r.Validate(); err != nil {
		t.Error(err)
	}
}

func TestReminderPolicyValidate(t *testing.T) {
	cases := []struct {
		name   string
		change func(*p.ReminderPolicy)
		words  string // empty: valid
	}{
		{"defaults", func(*p.ReminderPolicy) {}, ""},
		{"remind on the due date", func(r *p.ReminderPolicy) { r.WeekTermWorkdaysBefore = 0; r.DecisionTermDaysBefore = 0 }, ""},
		{"midnight and last minute", func(r *p.ReminderPolicy) { r.SendAt = "00:00"; r.DigestAt = "23:59" }, ""},
		{"negative workdays", func(r *p.ReminderPolicy) { r.WeekTermWorkdaysBefore = -1 }, "week_term_workdays_before"},
		{"too many workdays", func(r *p.ReminderPolicy) { r.WeekTermWorkdaysBefore = 21 }, "week_term_workdays_before"},
		{"negative days", func(r *p.ReminderPolicy) { r.DecisionTermDaysBefore = -14 }, "decision_term_days_before"},
		{"send_at single-digit hour", func(r *p.ReminderPolicy) { r.SendAt = "8:00" }, `send_at "8:00"`},
		{"send_at hour 24", func(r *p.ReminderPolicy) { r.SendAt = "24:00" }, `send_at "24:00"`},
		{"send_at with seconds", func(r *p.ReminderPolicy) { r.SendAt = "08:00:00" }, `send_at "08:00:00"`},
		{"send_at empty", func(r *p.ReminderPolicy) { r.SendAt = "" }, `send_at ""`},
		{"digest_at Dutch notation", func(r *p.ReminderPolicy) { r.DigestAt = "7.30" }, `digest_at "7.30"`},
		{"digest_at 12-hour clock", func(r *p.ReminderPolicy) { r.DigestAt = "7:30 AM" }, "digest_at"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := p.DefaultReminderPolicy()
			tc.change(&r)
			err := r.Validate()
			pol := p.DefaultPolicy()
			pol.Reminders = r
			polErr := pol.Validate()
			if tc.words == "" {
				if err != nil || polErr != nil {
					t.Errorf("Validate() = %v, Policy.Validate() = %v; want valid", err, polErr)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.words) {
				t.Errorf("Validate() = %v, want an error naming %s", err, tc.words)
			}
			if polErr == nil || !strings.Contains(polErr.Error(), tc.words) {
				t.Errorf("Policy.Validate() = %v, want an error naming %s", polErr, tc.words)
			}
		})
	}
}

// Policy.Validate checks the calendar and the reminders too.
func TestPolicyValidatesCalendarAndReminders(t *testing.T) {
	cases := []struct {
		name   string
		change func(*p.Policy)
		words  string
	}{
		{"unknown holiday", func(pol *p.Policy) { pol.Calendar.Holidays = append(pol.Calendar.Holidays, "sinterklaas") }, `"sinterklaas"`},
		{"bad extra closing day", func(pol *p.Policy) { pol.Calendar.ExtraClosed = []string{"2027-12-32"} }, `"2027-12-32"`},
		{"decision reminder not before the term starts", func(pol *p.Policy) { pol.Reminders.DecisionTermDaysBefore = 56 }, "decision_term_days_before"},
		{"zero reminders (a policy from before reminders)", func(pol *p.Policy) { pol.Reminders = p.ReminderPolicy{} }, "send_at"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pol := p.DefaultPolicy()
			tc.change(&pol)
			if err := pol.Validate(); err == nil || !strings.Contains(err.Error(), tc.words) {
				t.Errorf("Validate() = %v, want an error naming %s", err, tc.words)
			}
			if _, err := p.NewDefinition(pol); err == nil {
				t.Error("NewDefinition accepted the policy")
			}
		})
	}
	pol := p.DefaultPolicy()
	pol.Calendar = p.CalendarPolicy{} // closed on no holiday at all: allowed
	if err := pol.Validate(); err != nil {
		t.Errorf("empty calendar: %v", err)
	}
}

func TestReminderAt(t *testing.T) {
	r := p.DefaultReminderPolicy()
	cases := []struct {
		name         string
		day          time.Time
		send, digest time.Time
	}{
		{"summer time (CEST, UTC+2)", ams(2027, 5, 5), utc(2027, 5, 5, 6, 0), utc(2027, 5, 5, 5, 30)},
		{"winter time (CET, UTC+1)", ams(2026, 12, 23), utc(2026, 12, 23, 7, 0), utc(2026, 12, 23, 6, 30)},
		{"Saturday before the spring change", ams(2027, 3, 27), utc(2027, 3, 27, 7, 0), utc(2027, 3, 27, 6, 30)},
		{"Sunday of the spring change", ams(2027, 3, 28), utc(2027, 3, 28, 6, 0), utc(2027, 3, 28, 5, 30)},
		{"Sunday of the autumn change", ams(2026, 10, 25), utc(2026, 10, 25, 7, 0), utc(2026, 10, 25, 6, 30)},
		{"time of day of the input ignored", at(2027, 5, 5, 23, 59), utc(2027, 5, 5, 6, 0), utc(2027, 5, 5, 5, 30)},
		{"UTC evening is the next Amsterdam date", utc(2027, 5, 4, 22, 30), utc(2027, 5, 5, 6, 0), utc(2027, 5, 5, 5, 30)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sameInstant(t, "At", r.At(tc.day), tc.send)
			sameInstant(t, "DigestTime", r.DigestTime(tc.day), tc.digest)
		})
	}
	// A policy without times (stored before reminders existed) falls back to the defaults.
	var zero p.ReminderPolicy
	sameInstant(t, "zero At", zero.At(ams(2027, 5, 5)), utc(2027, 5, 5, 6, 0))
	sameInstant(t, "zero DigestTime", zero.DigestTime(ams(2027, 5, 5)), utc(2027, 5, 5, 5, 30))
	r.SendAt = "16:45"
	sameInstant(t, "SendAt 16:45", r.At(ams(2027, 1, 4)), utc(2027, 1, 4, 15, 45))
}

func TestBeforeDue(t *testing.T) {
	def := newCal(t, nil)
	bevrijding := newCal(t, closeAlso(p.HolidayBevrijdingsdag))
	r := p.DefaultReminderPolicy()
	cases := []struct {
		name string
		cal  *p.Calendar
		kind p.TermKind
		due  time.Time
		want time.Time // zero: no reminder
	}{
		// Week terms: 2 working days back.
		{"intake due Tue 4 May 2027: Mon 3 May is 1, Fri 30 Apr is 2", def, p.TermIntake, ams(2027, 5, 4), utc(2027, 4, 30, 6, 0)},
		{"invite due Tue 4 May 2027: same rule", def, p.TermInvite, ams(2027, 5, 4), utc(2027, 4, 30, 6, 0)},
		{"intake due Thu 29 Apr 2027: skips Koningsdag, Mon 26 Apr", def, p.TermIntake, ams(2027, 4, 29), utc(2027, 4, 26, 6, 0)},
		{"intake due Mon 28 Dec 2026: Thu 24 is 1, Wed 23 Dec is 2", def, p.TermIntake, ams(2026, 12, 28), utc(2026, 12, 23, 7, 0)},
		{"intake due Wed 6 Jan 2027: Tue 5, Mon 4 Jan", def, p.TermIntake, ams(2027, 1, 6), utc(2027, 1, 4, 7, 0)},
		{"intake due Mon 4 Jan 2027: Thu 31, Wed 30 Dec 2026", def, p.TermIntake, ams(2027, 1, 4), utc(2026, 12, 30, 7, 0)},
		{"intake due Fri 7 May 2027: skips Hemelvaart, Wed 5 and Tue 4 May", def, p.TermIntake, ams(2027, 5, 7), utc(2027, 5, 4, 6, 0)},
		{"intake due Fri 7 May 2027, Bevrijdingsdag closed: Tue 4 and Mon 3 May", bevrijding, p.TermIntake, ams(2027, 5, 7), utc(2027, 5, 3, 6, 0)},
		{"due on a closed day counts back from it: Sat 1 May 2027 → Thu 29 Apr", def, p.TermIntake, ams(2027, 5, 1), utc(2027, 4, 29, 6, 0)},
		{"due on Koningsdag counts back from it: Fri 23 Apr", def, p.TermInvite, ams(2027, 4, 27), utc(2027, 4, 23, 6, 0)},
		{"due given as a UTC evening: the Amsterdam date counts", def, p.TermIntake, utc(2027, 5, 3, 22, 30), utc(2027, 4, 30, 6, 0)},
		// Decision term: 14 calendar days back, moved back to a working day.
		{"decision due Thu 20 May 2027: 6 May is Hemelvaart, moved to Wed 5 May", def, p.TermDecision, ams(2027, 5, 20), utc(2027, 5, 5, 6, 0)},
		{"same with Bevrijdingsdag closed: Tue 4 May", bevrijding, p.TermDecision, ams(2027, 5, 20), utc(2027, 5, 4, 6, 0)},
		{"decision due Wed 19 May 2027: Wed 5 May", def, p.TermDecision, ams(2027, 5, 19), utc(2027, 5, 5, 6, 0)},
		{"decision due Sun 16 May 2027: Sun 2 May, moved to Fri 30 Apr", def, p.TermDecision, ams(2027, 5, 16), utc(2027, 4, 30, 6, 0)},
		{"decision due Fri 8 Jan 2027: Fri 25 Dec is Kerst, moved to Thu 24 Dec (CET)", def, p.TermDecision, ams(2027, 1, 8), utc(2026, 12, 24, 7, 0)},
		{"decision reminder across the spring change: due Fri 9 Apr 2027 → Fri 26 Mar CET", def, p.TermDecision, ams(2027, 4, 9), utc(2027, 3, 26, 7, 0)},
		// Kinds without a reminder.
		{"hand-over term after the decision: like a week term, Fri 30 Apr", def, p.TermHandover, ams(2027, 5, 4), utc(2027, 4, 30, 6, 0)},
		{"no term", def, p.TermNone, ams(2027, 5, 4), time.Time{}},
		{"unknown term", def, p.TermKind("maand"), ams(2027, 5, 4), time.Time{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := r.BeforeDue(tc.kind, tc.due, tc.cal)
			if tc.want.IsZero() {
				if ok || !got.IsZero() {
					t.Errorf("BeforeDue = %s, %v; want no reminder", got, ok)
				}
				return
			}
			if !ok {
				t.Fatal("BeforeDue: no reminder")
			}
			sameInstant(t, "BeforeDue", got, tc.want)
		})
	}
}

func TestBeforeDueZeroDays(t *testing.T) {
	c := newCal(t, nil)
	r := p.DefaultReminderPolicy()
	r.WeekTermWorkdaysBefore, r.DecisionTermDaysBefore = 0, 0
	cases := []struct {
		name string
		kind p.TermKind
		due  time.Time
		want time.Time
	}{
		{"week term on a workday: that day", p.TermIntake, ams(2027, 5, 4), utc(2027, 5, 4, 6, 0)},
		{"week term on Koningsdag: the day before", p.TermIntake, ams(2027, 4, 27), utc(2027, 4, 26, 6, 0)},
		{"decision term on a Sunday: the Friday before", p.TermDecision, ams(2027, 5, 2), utc(2027, 4, 30, 6, 0)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := r.BeforeDue(tc.kind, tc.due, c)
			if !ok {
				t.Fatal("no reminder")
			}
			sameInstant(t, "BeforeDue", got, tc.want)
		})
	}
}

func TestOverdue(t *testing.T) {
	def := newCal(t, nil)
	extra := newCal(t, func(cp *p.CalendarPolicy) { cp.ExtraClosed = []string{"2027-12-27"} })
	r := p.DefaultReminderPolicy()
	cases := []struct {
		name string
		cal  *p.Calendar
		due  time.Time
		want time.Time
	}{
		{"due Fri 30 Apr 2027 → Mon 3 May 08:00 CEST", def, ams(2027, 4, 30), utc(2027, 5, 3, 6, 0)},
		{"due Mon 3 May 2027 → Tue 4 May", def, ams(2027, 5, 3), utc(2027, 5, 4, 6, 0)},
		{"due Mon 26 Apr 2027 → Wed 28 Apr (skips Koningsdag)", def, ams(2027, 4, 26), utc(2027, 4, 28, 6, 0)},
		{"due Wed 5 May 2027 → Fri 7 May (skips Hemelvaart)", def, ams(2027, 5, 5), utc(2027, 5, 7, 6, 0)},
		{"due Fri 24 Dec 2027 → Mon 27 Dec 08:00 CET (Kerst on the weekend)", def, ams(2027, 12, 24), utc(2027, 12, 27, 7, 0)},
		{"due Fri 24 Dec 2027, 27 Dec closed too → Tue 28 Dec", extra, ams(2027, 12, 24), utc(2027, 12, 28, 7, 0)},
		{"due Thu 24 Dec 2026 → Mon 28 Dec (Kerst Fri + Sat)", def, ams(2026, 12, 24), utc(2026, 12, 28, 7, 0)},
		{"due Thu 31 Dec 2026 → Mon 4 Jan 2027 (Nieuwjaarsdag Fri)", def, ams(2026, 12, 31), utc(2027, 1, 4, 7, 0)},
		{"due on a closed day, Sat 26 Dec 2026 → Mon 28 Dec", def, ams(2026, 12, 26), utc(2026, 12, 28, 7, 0)},
		{"due Fri 26 Mar 2027 → Tue 30 Mar CEST (Pasen, clock change)", def, ams(2027, 3, 26), utc(2027, 3, 30, 6, 0)},
		{"due given as a UTC evening: Fri in Amsterdam → Mon", def, utc(2027, 4, 29, 22, 30), utc(2027, 5, 3, 6, 0)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sameInstant(t, "Overdue", r.Overdue(tc.due, tc.cal), tc.want)
		})
	}
}

func TestNextDigest(t *testing.T) {
	def := newCal(t, nil)
	r := p.DefaultReminderPolicy()
	cases := []struct {
		name string
		now  time.Time
		want time.Time
	}{
		{"Friday before 07:30: same morning", at(2027, 4, 30, 7, 0), utc(2027, 4, 30, 5, 30)},
		{"Friday exactly 07:30: strictly after, so Monday", at(2027, 4, 30, 7, 30), utc(2027, 5, 3, 5, 30)},
		{"Friday afternoon: over the weekend to Monday", at(2027, 4, 30, 14, 0), utc(2027, 5, 3, 5, 30)},
		{"Saturday: Monday", at(2027, 5, 1, 6, 0), utc(2027, 5, 3, 5, 30)},
		{"Monday 26 Apr 2027 noon: Koningsdag skipped, Wednesday", at(2027, 4, 26, 12, 0), utc(2027, 4, 28, 5, 30)},
		{"Koningsdag morning: Wednesday", at(2027, 4, 27, 7, 0), utc(2027, 4, 28, 5, 30)},
		{"Wed 5 May 2027 evening: Hemelvaart skipped, Friday", at(2027, 5, 5, 18, 0), utc(2027, 5, 7, 5, 30)},
		{"Thu 24 Dec 2026 morning: Kerst and weekend, Mon 28 Dec CET", at(2026, 12, 24, 9, 0), utc(2026, 12, 28, 6, 30)},
		{"Thu 31 Dec 2026: Mon 4 Jan 2027", at(2026, 12, 31, 9, 0), utc(2027, 1, 4, 6, 30)},
		{"Fri 26 Mar 2027 evening: Pasen and the clock change, Tue 30 Mar CEST", at(2027, 3, 26, 20, 0), utc(2027, 3, 30, 5, 30)},
		{"UTC time late on Monday 26 Apr is Koningsdag in Amsterdam", utc(2027, 4, 26, 23, 0), utc(2027, 4, 28, 5, 30)},
		{"UTC 05:00 on a summer Wednesday is 07:00 in Amsterdam: same day", utc(2027, 4, 28, 5, 0), utc(2027, 4, 28, 5, 30)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sameInstant(t, "NextDigest", r.NextDigest(tc.now, def), tc.want)
		})
	}
}

// TestVoorschotSignal: the task to assess a voorschot comes
// voorschot_signal_workdays (5) working days before each voorschot date,
// counted back across weekends and public holidays, at SendAt.
func TestVoorschotSignal(t *testing.T) {
	c := newCal(t, nil)
	pol := p.DefaultPolicy()
	cases := []struct {
		name    string
		applied time.Time
		want    time.Time
	}{
		// Day 28 is Wed 28 Apr 2027; Tue 27 Apr is Koningsdag, so the fifth
		// working day back is Tue 20 Apr (summer time).
		{"Koningsdag", ams(2027, 3, 31), utc(2027, 4, 20, 6, 0)},
		// Day 28 is Wed 31 Mar 2027; Mon 29 Mar is Tweede Paasdag, Goede
		// Vrijdag is open by default: Tue 23 Mar (still winter time).
		{"Pasen", ams(2027, 3, 3), utc(2027, 3, 23, 7, 0)},
		// Day 28 is Sat 6 Mar 2027: counted back from the Saturday, Mon 1 Mar.
		{"weekend", ams(2027, 2, 6), utc(2027, 3, 1, 7, 0)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			date := pol.NextVoorschot(tc.applied, tc.applied)
			sameDate(t, "first voorschot date", date, p.AddDays(tc.applied, 28))
			got, ok := pol.VoorschotSignal(date, c)
			if !ok {
				t.Fatal("no signal")
			}
			sameInstant(t, "VoorschotSignal", got, tc.want)
		})
	}
	// The next voorschot date follows the previous one by the interval:
	// 28 Apr → 26 May 2027; five working days before (Hemelvaart is on
	// 6 May, Pinksteren later) is Wed 19 May.
	next := pol.NextVoorschot(ams(2027, 3, 31), p.AddDays(ams(2027, 4, 28), 1))
	sameDate(t, "second voorschot date", next, ams(2027, 5, 26))
	got, _ := pol.VoorschotSignal(next, c)
	sameInstant(t, "second signal", got, utc(2027, 5, 19, 6, 0))

	// With 0 working days: on the date, moved back to a working day.
	pol.VoorschotSignalWorkdays = 0
	got, _ = pol.VoorschotSignal(ams(2027, 3, 6), c)
	sameInstant(t, "0 working days, Saturday", got, utc(2027, 3, 5, 7, 0))

	pol.Reminders.Voorschot = false
	if got, ok := pol.VoorschotSignal(ams(2027, 4, 28), c); ok {
		t.Errorf("voorschot signals off, got %s", got)
	}
}

// TestEvaluationSignal: the task to evaluate the plan comes
// plan_evaluation_signal_workdays (10) working days before the date.
func TestEvaluationSignal(t *testing.T) {
	c := newCal(t, nil)
	pol := p.DefaultPolicy()
	// Thu 15 Jul 2027: ten working days back is Thu 1 Jul.
	sameInstant(t, "10 working days", pol.EvaluationSignal(ams(2027, 7, 15), c), utc(2027, 7, 1, 6, 0))
	// Wed 28 Apr 2027 with 3: Koningsdag is skipped, Thu 22 Apr.
	pol.PlanEvaluationSignalWorkdays = 3
	sameInstant(t, "across Koningsdag", pol.EvaluationSignal(ams(2027, 4, 28), c), utc(2027, 4, 22, 6, 0))
}
