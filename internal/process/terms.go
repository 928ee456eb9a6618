package process

import (
	"fmt"
	"time"
)

// Amsterdam is the time zone of every date the pilot shows.
var Amsterdam = mustZone("Europe/Amsterdam")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// time/tzdata is linked in by the command; without it fall back to CET.
		return time.FixedZone("CET", 3600)
	}
	return loc
}

// Date is a calendar date in Europe/Amsterdam, at midnight.
func Date(t time.Time) time.Time {
	t = t.In(Amsterdam)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, Amsterdam)
}

// AddDays adds calendar days to a date.
func AddDays(d time.Time, n int) time.Time {
	d = Date(d)
	return time.Date(d.Year(), d.Month(), d.Day()+n, 0, 0, 0, 0, Amsterdam)
}

// DaysBetween counts calendar days from a to b (negative when b is before a).
func DaysBetween(a, b time.Time) int {
	a, b = Date(a), Date(b)
	ua := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	ub := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	return int(ub.Sub(ua).Hours() / 24)
}

// Suspension suspends the decision term (Awb 4:15). End is zero while it runs.
type Suspension struct {
	Start  time.Time
	End    time.Time
	Reason string
}

// TermDue computes the due date of a task with the given term kind. start is
// the date the step started; applied is the application's receipt date.
// ok is false for tasks without a term, or a decision term whose suspension
// still runs (the due date is then unknown).
func (p Policy) TermDue(kind TermKind, start, applied time.Time, suspensions []Suspension) (due time.Time, ok bool) {
	if kind == TermDecision {
		return p.DecisionDue(applied, suspensions)
	}
	if days := p.TermDays(kind); days > 0 {
		return AddDays(start, days), true
	}
	return time.Time{}, false
}

// TermDays is the length of a term in days; 0 for no term.
func (p Policy) TermDays(kind TermKind) int {
	switch kind {
	case TermIntake:
		return p.IntakeTermDays
	case TermInvite:
		return p.InviteTermDays
	case TermHandover:
		return p.HandoverTermDays
	case TermReschedule:
		return p.RescheduleTermDays
	case TermDecision:
		return p.DecisionTermDays
	}
	return 0
}

// TermLength words a term's length: "1 week", "8 weken", "10 dagen".
func TermLength(days int) string {
	switch {
	case days == 7:
		return "1 week"
	case days > 0 && days%7 == 0:
		return fmt.Sprintf("%d weken", days/7)
	case days == 1:
		return "1 dag"
	}
	return fmt.Sprintf("%d dagen", days)
}

// DecisionDue is the receipt date plus the decision term plus every day the
// term was suspended. A suspension without an end makes the due date unknown.
func (p Policy) DecisionDue(applied time.Time, suspensions []Suspension) (time.Time, bool) {
	extra := 0
	for _, s := range suspensions {
		if s.End.IsZero() {
			return time.Time{}, false
		}
		extra += DaysBetween(s.Start, s.End)
	}
	return AddDays(applied, p.DecisionTermDays+extra), true
}

// NextVoorschot returns the next 4-weekly advance-payment signal date on or
// after today, counted from the application date (Participatiewet art. 52).
func (p Policy) NextVoorschot(applied, today time.Time) time.Time {
	n := (DaysBetween(applied, today) + p.VoorschotIntervalDays - 1) / p.VoorschotIntervalDays
	if n < 1 {
		n = 1
	}
	return AddDays(applied, n*p.VoorschotIntervalDays)
}

// EvaluationAfter returns the evaluation date of the plan van aanpak one
// cycle after from (Participatiewet art. 44a): PlanEvaluationMonths
// calendar months later, on the last day of the month when that month is
// shorter (31 August + 6 months is the end of February), moved on to a
// working day, as an evaluation is a conversation with the client.
func (p Policy) EvaluationAfter(from time.Time, cal *Calendar) time.Time {
	from = Date(from)
	months := p.PlanEvaluationMonths
	if months <= 0 {
		months = DefaultPolicy().PlanEvaluationMonths
	}
	first := time.Date(from.Year(), from.Month()+time.Month(months), 1, 0, 0, 0, 0, Amsterdam)
	last := time.Date(first.Year(), first.Month()+1, 0, 0, 0, 0, 0, Amsterdam).Day()
	return cal.OnOrAfter(time.Date(first.Year(), first.Month(), min(from.Day(), last), 0, 0, 0, 0, Amsterdam))
}

// DeadlineState is how a deadline stands today.
type DeadlineState string

const (
	DeadlineNone    DeadlineState = "geen"
	DeadlineOnTime  DeadlineState = "op-tijd"
	DeadlineSoon    DeadlineState = "bijna"
	DeadlineOverdue DeadlineState = "verlopen"
)

// DeadlineLabels gives the Dutch text of each state (never colour alone).
var DeadlineLabels = map[DeadlineState]string{
	DeadlineNone:    "Geen termijn",
	DeadlineOnTime:  "Op tijd",
	DeadlineSoon:    "Bijna verlopen",
	DeadlineOverdue: "Verlopen",
}

// Deadline returns the state of a due date today and the days left
// (negative when overdue).
func (p Policy) Deadline(due time.Time, hasDue bool, today time.Time) (DeadlineState, int) {
	if !hasDue {
		return DeadlineNone, 0
	}
	left := DaysBetween(today, due)
	switch {
	case left < 0:
		return DeadlineOverdue, left
	case left <= p.WarnDays:
		return DeadlineSoon, left
	default:
		return DeadlineOnTime, left
	}
}

// IsWeekTerm reports whether missing this term requires a recorded reason.
func IsWeekTerm(k TermKind) bool { return k == TermIntake || k == TermInvite || k == TermReschedule }

// LetterDue is the due date of posting a letter written on day.
func (p Policy) LetterDue(day time.Time, cal *Calendar) time.Time {
	return cal.AddWorkdays(Date(day), p.LetterWorkdays)
}

// AfterAppointmentDue is the due date of a step done at an appointment
// that starts at start: AfterAppointmentWorkdays working days later.
func (p Policy) AfterAppointmentDue(start time.Time, cal *Calendar) time.Time {
	return cal.AddWorkdays(Date(start), p.AfterAppointmentWorkdays)
}

// Age is the age in whole years on a date.
func Age(birth, on time.Time) int {
	birth, on = Date(birth), Date(on)
	age := on.Year() - birth.Year()
	if on.Month() < birth.Month() || (on.Month() == birth.Month() && on.Day() < birth.Day()) {
		age--
	}
	return age
}

// Eligible reports whether a client is in the pilot's target group: at
// least MinimumAge on the application date.
func (p Policy) Eligible(birth, applied time.Time) bool {
	return Age(birth, applied) >= p.MinimumAge
}
