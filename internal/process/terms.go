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

// Suspension suspends the decision term (Awb 4:15). Its days run from
// Start up to, not including, End: End is the first day the term runs
// again. While it runs End is zero and PlannedEnd is the last day it may
// run: the last day of the completion term of a request to complete the
// application (Awb 4:5), or of the term the applicant agreed to in writing.
type Suspension struct {
	Start      time.Time
	End        time.Time
	PlannedEnd time.Time
	Reason     string
}

// Running reports whether the suspension has not ended.
func (s Suspension) Running() bool { return s.End.IsZero() }

// Days is the number of days the suspension holds the term: up to End when
// it ended; while it runs, up to and including PlannedEnd, the latest it can
// end (so the due date is the one it will have when the term lapses
// unused). A running suspension without a planned end (none are stored
// since migration 00011) holds nothing.
func (s Suspension) Days() int {
	switch {
	case !s.End.IsZero():
		return max(0, DaysBetween(s.Start, s.End))
	case !s.PlannedEnd.IsZero():
		return max(0, DaysBetween(s.Start, s.PlannedEnd)+1)
	}
	return 0
}

// LapsedEnd is the end of a suspension whose term lapsed unused: the day
// after its planned end.
func (s Suspension) LapsedEnd() time.Time { return AddDays(s.PlannedEnd, 1) }

// AnsweredEnd is the end of a suspension by a request to complete the
// application when the information arrived on arrived (Awb 4:15 lid 1 a):
// the day it arrived, or the day after the completion term when that came
// first. Information that arrives on or before the first suspended day
// suspends nothing.
func (s Suspension) AnsweredEnd(arrived time.Time) time.Time {
	end := Date(arrived)
	if end.Before(s.Start) {
		end = Date(s.Start)
	}
	if !s.PlannedEnd.IsZero() && end.After(s.LapsedEnd()) {
		end = s.LapsedEnd()
	}
	return end
}

// RequestSuspension is the suspension a request to complete the
// application (Awb 4:5) made on requested starts: from the day after the
// request, planned to run until the completion term's last day.
func RequestSuspension(requested, lastDay time.Time) Suspension {
	return Suspension{Start: AddDays(requested, 1), PlannedEnd: Date(lastDay)}
}

// TermEnd is the day a term that ends on d really ends (Algemene
// termijnenwet art. 1): d, or the first day after it that is no Saturday,
// Sunday or holiday of the term calendar.
func TermEnd(d time.Time, termCal *Calendar) time.Time { return termCal.OnOrAfter(d) }

// SuspendedDays adds up the days the suspensions hold the term.
func SuspendedDays(sus []Suspension) int {
	n := 0
	for _, s := range sus {
		n += s.Days()
	}
	return n
}

// DecisionDue is the last day of the decision term: the receipt date plus
// DecisionTermDays (Awb 4:13) plus every suspended day (Awb 4:15; a running
// suspension counts up to its planned end) plus the days of an extension
// (Awb 4:14 lid 3), moved by the Algemene termijnenwet. It always has a
// date.
func (p Policy) DecisionDue(applied time.Time, sus []Suspension, extensionDays int, termCal *Calendar) time.Time {
	return TermEnd(p.plainDecisionDue(applied, sus, extensionDays), termCal)
}

// plainDecisionDue is DecisionDue before the Algemene termijnenwet.
func (p Policy) plainDecisionDue(applied time.Time, sus []Suspension, extensionDays int) time.Time {
	return AddDays(applied, p.DecisionTermDays+SuspendedDays(sus)+extensionDays)
}

// ExtensionDays is how many days an extension to the date to adds to the
// decision term with the suspensions sus: the days from the term's end
// before the Algemene termijnenwet moved it, so that DecisionDue with them
// is to (when to is a day a term may end on).
func (p Policy) ExtensionDays(applied time.Time, sus []Suspension, extensionDays int, to time.Time) int {
	return DaysBetween(p.plainDecisionDue(applied, sus, extensionDays), to)
}

// ExtensionLimit is the latest date an extension of a decision term due on
// due may name (ExtensionMaxDays later).
func (p Policy) ExtensionLimit(due time.Time) time.Time { return AddDays(due, p.ExtensionMaxDays) }

// RequestInfoEnd is the last day of the completion term of a request made
// on requested (Awb 4:5): RequestInfoTermDays later, moved by the Algemene
// termijnenwet.
func (p Policy) RequestInfoEnd(requested time.Time, termCal *Calendar) time.Time {
	return TermEnd(AddDays(requested, p.RequestInfoTermDays), termCal)
}

// TermDue computes the due date of a task whose term is a number of days
// from the day the step started. ok is false for tasks without such a term:
// the decision term (DecisionDue), the completion term (the suspension's
// planned end) and terms counted in working days have their own rules.
func (p Policy) TermDue(kind TermKind, start time.Time) (due time.Time, ok bool) {
	if kind == TermDecision || kind == TermCompletion {
		return time.Time{}, false
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
	case TermCompletion:
		return p.RequestInfoTermDays
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
