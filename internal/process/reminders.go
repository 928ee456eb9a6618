package process

import (
	"fmt"
	"time"
)

// ReminderPolicy says when the holder of a task with a term is reminded and
// when the team lead is told.
type ReminderPolicy struct {
	WeekTermWorkdaysBefore int    `json:"week_term_workdays_before"` // for 1-week terms, remind this many working days before the due date
	DecisionTermDaysBefore int    `json:"decision_term_days_before"` // for the 8-week decision term, remind this many calendar days before, moved back to a working day
	Voorschot              bool   `json:"voorschot"`                 // remind on each 4-weekly voorschot date while undecided
	SendAt                 string `json:"send_at"`                   // local time (Europe/Amsterdam) reminders go out, "08:00"
	DigestAt               string `json:"digest_at"`                 // local time (Europe/Amsterdam) of the daily digest, "07:30"
}

// Default times of day, also used when a stored policy has none.
const (
	defaultSendAt   = "08:00"
	defaultDigestAt = "07:30"
)

// DefaultReminderPolicy returns the pilot's reminder rules.
func DefaultReminderPolicy() ReminderPolicy {
	return ReminderPolicy{
		WeekTermWorkdaysBefore: 2,
		DecisionTermDaysBefore: 14,
		Voorschot:              true,
		SendAt:                 defaultSendAt,
		DigestAt:               defaultDigestAt,
	}
}

// Validate reports the first implausible value, naming its field.
func (p ReminderPolicy) Validate() error {
	if p.WeekTermWorkdaysBefore < 0 || p.WeekTermWorkdaysBefore > 20 {
		return fmt.Errorf("reminders.week_term_workdays_before must be between 0 and 20, got %d", p.WeekTermWorkdaysBefore)
	}
	if p.DecisionTermDaysBefore < 0 || p.DecisionTermDaysBefore > 365 {
		return fmt.Errorf("reminders.decision_term_days_before must be between 0 and 365, got %d", p.DecisionTermDaysBefore)
	}
	for _, f := range []struct{ name, v string }{{"reminders.send_at", p.SendAt}, {"reminders.digest_at", p.DigestAt}} {
		if _, _, ok := parseClock(f.v); !ok {
			return fmt.Errorf("%s %q is not a time of day of the form 08:00", f.name, f.v)
		}
	}
	return nil
}

// parseClock reads "HH:MM" (24-hour clock, two digits each).
func parseClock(s string) (hour, minute int, ok bool) {
	t, err := time.Parse("15:04", s)
	if err != nil || t.Format("15:04") != s {
		return 0, 0, false
	}
	return t.Hour(), t.Minute(), true
}

// atClock returns clock on the Amsterdam date of d, falling back to def when
// clock is not a valid time (a stored definition from before reminders).
func atClock(d time.Time, clock, def string) time.Time {
	h, m, ok := parseClock(clock)
	if !ok {
		h, m, _ = parseClock(def)
	}
	d = Date(d)
	// On the spring-forward night a time in the missing hour moves on by an hour.
	return time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, Amsterdam)
}

// At returns SendAt on the Amsterdam date of d as an instant in
// Europe/Amsterdam.
func (p ReminderPolicy) At(d time.Time) time.Time { return atClock(d, p.SendAt, defaultSendAt) }

// DigestTime returns DigestAt on the Amsterdam date of d as an instant in
// Europe/Amsterdam.
func (p ReminderPolicy) DigestTime(d time.Time) time.Time {
	return atClock(d, p.DigestAt, defaultDigestAt)
}

// BeforeDue returns when the holder of a task with term kind k due on due is
// reminded, and false when the kind has no reminder. Week terms (IsWeekTerm,
// and the 1-week hand-over after the decision) are reminded WeekTermWorkdaysBefore working days before the due date,
// counted back from the due date as given even when the office is closed
// that day (with 0: the due date, moved back to a working day). The decision
// term is reminded DecisionTermDaysBefore calendar days before, moved back
// to a working day. The moment may lie in the past; callers skip it.
func (p ReminderPolicy) BeforeDue(k TermKind, due time.Time, cal *Calendar) (time.Time, bool) {
	switch {
	case IsWeekTerm(k) || k == TermHandover || k == TermCompletion:
		if p.WeekTermWorkdaysBefore == 0 {
			return p.At(cal.OnOrBefore(due)), true
		}
		return p.At(cal.AddWorkdays(due, -p.WeekTermWorkdaysBefore)), true
	case k == TermDecision:
		return p.At(cal.OnOrBefore(AddDays(due, -p.DecisionTermDaysBefore))), true
	}
	return time.Time{}, false
}

// Overdue returns when the team lead is told that a term due on due has run
// out: SendAt on the first working day after due.
func (p ReminderPolicy) Overdue(due time.Time, cal *Calendar) time.Time {
	return p.At(cal.OnOrAfter(AddDays(due, 1)))
}

// NextDigest returns the first digest moment strictly after now that falls on
// a working day.
func (p ReminderPolicy) NextDigest(now time.Time, cal *Calendar) time.Time {
	for d := Date(now); ; d = AddDays(d, 1) {
		if t := p.DigestTime(d); cal.IsWorkday(d) && t.After(now) {
			return t
		}
	}
}

// VoorschotSignal returns when the task to assess the voorschot of date
// comes (Participatiewet art. 52): VoorschotSignalWorkdays working days
// before it, at Reminders.SendAt (with 0: on the date itself, moved back to
// a working day). It is false when Reminders.Voorschot is off. The moment
// may lie in the past; callers then signal at once.
func (p Policy) VoorschotSignal(date time.Time, cal *Calendar) (time.Time, bool) {
	if !p.Reminders.Voorschot || p.VoorschotIntervalDays <= 0 {
		return time.Time{}, false
	}
	return p.Reminders.At(signalDay(date, p.VoorschotSignalWorkdays, cal)), true
}

// EvaluationSignal returns when the task to evaluate the plan van aanpak
// on date comes (Participatiewet art. 44a): PlanEvaluationSignalWorkdays
// working days before it, at Reminders.SendAt (with 0: on the date, moved
// back to a working day). The moment may lie in the past.
func (p Policy) EvaluationSignal(date time.Time, cal *Calendar) time.Time {
	return p.Reminders.At(signalDay(date, p.PlanEvaluationSignalWorkdays, cal))
}

// signalDay is the working day n working days before date, counted back
// from date as given even when the office is closed that day; with 0 the
// date itself, moved back to a working day.
func signalDay(date time.Time, n int, cal *Calendar) time.Time {
	if n <= 0 {
		return cal.OnOrBefore(date)
	}
	return cal.AddWorkdays(date, -n)
}
