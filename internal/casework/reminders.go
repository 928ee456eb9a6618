package casework

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Reminders are planned in the transaction that sets a due date: before
// the term runs out the holder is reminded, after it ran out the team lead
// is told. Signals are reminders that make a task when they fire: some
// working days before each 4-weekly voorschot date of an undecided
// application the task "Voorschot beoordelen" (art. 52), and before each
// evaluation date of a plan van aanpak "Plan van aanpak evalueren" (art.
// 44a). The worker's sweep fires the reminders whose time has come
// (FireDue, every worker.reminder_interval); when one fires, the task or
// case is looked at again, so a task finished, a term moved or an
// application decided meanwhile lapses the reminder instead of sending it.

// Reminders fires the reminders and writes the daily digests.
type Reminders struct {
	*core
	store Transactor[ReminderAreaTx]
}

// ReminderAreaTx is what firing reminders and writing digests read and
// write: the reminder, its task and case, the people to tell, the outbox.
type ReminderAreaTx interface {
	ReminderTx
	AccessTx // the grants of break the glass, for the team lead's digest
	TaskTx
	CaseTx
	UserTx
	DefinitionTx
	OutboxTx
	// A signal creates its task, with its history line.
	EventTx
	AppointmentTx
	PlanTx
	EvaluationTx
	SuspensionTx // a task's term may end with a suspension's completion term
}

// scheduleReminders plans the reminders of an open task with a term.
func (s *core) scheduleReminders(ctx context.Context, tx ReminderTx, t Task) error {
	if t.DueOn.IsZero() || t.Status != TaskOpen {
		return nil
	}
	rp := s.def.Policy.Reminders
	now := s.clock.Now()
	var rs []Reminder
	if at, ok := rp.BeforeDue(t.Term, t.DueOn, s.cal); ok && !s.today().After(t.DueOn) {
		if at.Before(now) {
			at = now
		}
		rs = append(rs, Reminder{Kind: ReminderBeforeDue, TaskID: t.ID, CaseID: t.CaseID, DueOn: t.DueOn, SendAt: at})
	}
	rs = append(rs, Reminder{Kind: ReminderOverdue, TaskID: t.ID, CaseID: t.CaseID, DueOn: t.DueOn,
		SendAt: rp.Overdue(t.DueOn, s.cal)})
	return s.addReminders(ctx, tx, rs...)
}

// scheduleVoorschot plans the signal of the first voorschot date of an
// undecided application on or after from (zero: today):
// Policy.VoorschotSignalWorkdays working days before the day the voorschot
// is due (voorschotDue), or at once when that moment has passed. The
// reminder keeps the voorschot date of the cycle.
func (s *core) scheduleVoorschot(ctx context.Context, tx ReminderTx, app Case, from time.Time) error {
	if !app.Open() || app.Kind != process.CaseAanvraag {
		return nil
	}
	if from.IsZero() {
		from = s.today()
	}
	date, due := nextVoorschot(s.def, app.AppliedOn, from)
	at, ok := s.def.Policy.VoorschotSignal(due, s.cal)
	if !ok {
		return nil
	}
	if now := s.clock.Now(); at.Before(now) {
		at = now
	}
	return s.addReminders(ctx, tx, Reminder{Kind: ReminderVoorschot, CaseID: app.ID, DueOn: date, SendAt: at})
}

// scheduleEvaluation plans the signal of the evaluation of an open
// participation case's plan van aanpak on date:
// Policy.PlanEvaluationSignalWorkdays working days before it, or at once
// when that moment has passed.
func (s *core) scheduleEvaluation(ctx context.Context, tx ReminderTx, part Case, date time.Time) error {
	if !part.Open() || date.IsZero() {
		return nil
	}
	date = process.Date(date)
	at := s.def.Policy.EvaluationSignal(date, s.cal)
	if now := s.clock.Now(); at.Before(now) {
		at = now
	}
	return s.addReminders(ctx, tx, Reminder{Kind: ReminderEvaluation, CaseID: part.ID, DueOn: date, SendAt: at})
}

// evaluationTx reads what decides a dossier's evaluation date.
type evaluationTx interface {
	PlanTx
	EvaluationTx
}

// evaluationDue is the evaluation date of a participation case's plan van
// aanpak as it stands: the next date its latest evaluation set, unless a
// plan version was saved after it; else the latest plan's. False without a
// plan or a date.
func evaluationDue(ctx context.Context, tx evaluationTx, caseID int64) (time.Time, bool, error) {
	plan, err := tx.LatestPlan(ctx, caseID)
	if errors.Is(err, ErrNotFound) {
		return time.Time{}, false, nil
	} else if err != nil {
		return time.Time{}, false, err
	}
	evs, err := tx.EvaluationsByCase(ctx, caseID)
	if err != nil {
		return time.Time{}, false, err
	}
	due := nextEvaluation(plan, evs)
	return due, !due.IsZero(), nil
}

// nextEvaluation is evaluationDue on what is read: the latest plan and the
// case's evaluations, newest first.
func nextEvaluation(plan Plan, evs []PlanEvaluation) time.Time {
	if len(evs) > 0 && !evs[0].CreatedAt.Before(plan.CreatedAt) {
		return evs[0].NextOn
	}
	return plan.EvaluationOn
}

func (s *core) addReminders(ctx context.Context, tx ReminderTx, rs ...Reminder) error {
	ps := make([]*Reminder, len(rs))
	for i := range rs {
		r := &rs[i]
		r.Status = ReminderPlanned
		r.CreatedAt = s.clock.Now().UTC()
		r.SendAt = r.SendAt.UTC()
		ps[i] = r
	}
	_, err := tx.AddReminders(ctx, ps...)
	return err
}

// reminderMail is the data of the reminder templates.
type reminderMail struct {
	mailCommon
	Kind, Name, Step, CaseCode, Team, Due, Holder, URL string
}

// FireReminder sends reminder id when its time has come. It returns the
// time to try again when that time lies ahead (the term moved later), and
// the zero time when the reminder is done: sent or lapsed. Firing twice
// sends once.
func (s *Reminders) FireReminder(ctx context.Context, id int64) (_ time.Time, err error) {
	defer wrap(&err, "FireReminder(id=%d)", id)
	var again time.Time
	err = s.store.Update(ctx, func(tx ReminderAreaTx) error {
		r, err := tx.ReminderByID(ctx, id)
		if err != nil {
			return err
		}
		if r.Status != ReminderPlanned {
			return nil
		}
		now := s.clock.Now()
		if now.Before(r.SendAt) {
			again = r.SendAt
			return nil
		}
		lapse := func(note string) error {
			r.Status, r.Note, r.DoneAt = ReminderObsolete, note, now.UTC()
			return tx.UpdateReminder(ctx, r)
		}
		c, err := tx.CaseByID(ctx, r.CaseID)
		if err != nil {
			return err
		}
		def, err := s.definition(ctx, tx, c.DefinitionVersion)
		if err != nil {
			return err
		}
		var t Task
		open := false // the signal's task was open already
		switch r.Kind {
		case ReminderVoorschot, ReminderEvaluation:
			var why string
			if t, open, why, err = s.fireSignal(ctx, tx, r, c, def); err != nil {
				return err
			} else if why != "" {
				return lapse(why)
			}
		default:
			if t, err = tx.TaskByID(ctx, r.TaskID); err != nil {
				return err
			}
			if t.Status != TaskOpen {
				return lapse("Taak is afgerond.")
			}
			if !t.DueOn.Equal(r.DueOn) {
				return lapse("Termijn is gewijzigd; er is een nieuwe herinnering gepland.")
			}
		}
		step, _ := def.Step(t.Step)
		team, _ := def.Policy.Team(t.Team)
		d := reminderMail{Kind: r.Kind, Step: step.Title, CaseCode: c.Code, Team: team.Name,
			Due: FormatDate(r.DueOn), Holder: "nog niemand (niet opgepakt)", URL: fmt.Sprintf("%s/taken/%d", s.cfg.BaseURL, t.ID)}
		if t.ID == 0 {
			d.Step, d.URL = "Beslissen op de aanvraag", fmt.Sprintf("%s/klanten/%d", s.cfg.BaseURL, c.ClientID)
		} else if t.Term == process.TermDecision {
			d.Due = DueText(r.DueOn, SuspensionNote(t.SuspendedSince, t.SuspendedUntil))
		}
		if t.HolderID != 0 {
			d.Holder = userName(ctx, tx, t.HolderID)
		}
		to, err := s.reminderRecipients(ctx, tx, r.Kind, t, team)
		if err != nil {
			return err
		}
		var first int64
		for _, rc := range to {
			dd := d
			dd.Name = rc.ToName
			m := &Message{ClientID: c.ClientID, CaseID: c.ID, TaskID: t.ID, Kind: ReminderKindNames[r.Kind],
				From: s.cfg.Sender, To: rc.To, ToName: rc.ToName,
				DedupeKey: fmt.Sprintf("herinnering:%d:%s", r.ID, rc.To)}
			if err := s.renderMail(m, "herinnering", &dd); err != nil {
				return err
			}
			if err := s.enqueue(ctx, tx, m); err != nil {
				return err
			}
			if first == 0 {
				first = m.ID
			}
		}
		r.Status, r.DoneAt, r.MessageID = ReminderSent, now.UTC(), first
		r.Note = fmt.Sprintf("Verstuurd aan %s.", recipientNames(to))
		if open {
			r.Note += fmt.Sprintf(" De taak %q van %s stond nog open; er is geen tweede gemaakt.", step.Title, FormatDate(t.DueOn))
		}
		if err := tx.UpdateReminder(ctx, r); err != nil {
			return err
		}
		if r.Kind == ReminderVoorschot {
			return s.scheduleVoorschot(ctx, tx, c, process.AddDays(voorschotDue(def, r.DueOn), 1))
		}
		return nil
	})
	return again, err
}

// sweepPage is how many due reminders a sweep reads at a time.
const sweepPage = 100

// Sweep is what one sweep of the due reminders did.
type Sweep struct {
	Fired int // sent or lapsed
	// Failed are the reminders that could not be fired, with why. They
	// stay planned, so the next sweep tries them again.
	Failed []SweepFailure
}

// SweepFailure is a reminder a sweep could not fire.
type SweepFailure struct {
	ReminderID int64
	Err        error
}

// FireDue fires every planned reminder whose time has come, oldest first,
// each in its own transaction (FireReminder: firing twice sends once). A
// reminder that fails is passed over, so one broken reminder holds up no
// other. When ctx ends it stops between reminders and returns ctx's error;
// the rest waits for the next sweep.
func (s *Reminders) FireDue(ctx context.Context) (Sweep, error) {
	var out Sweep
	now := s.clock.Now().UTC()
	var after Reminder
	for {
		var page []Reminder
		if err := s.store.View(ctx, func(tx ReminderAreaTx) error {
			var err error
			page, err = tx.DueReminders(ctx, now, after, sweepPage)
			return err
		}); err != nil {
			return out, fmt.Errorf("FireDue: %w", err)
		}
		for _, r := range page {
			if err := ctx.Err(); err != nil {
				return out, err
			}
			if _, err := s.FireReminder(ctx, r.ID); err != nil {
				out.Failed = append(out.Failed, SweepFailure{ReminderID: r.ID, Err: err})
			} else {
				out.Fired++
			}
		}
		if len(page) < sweepPage {
			return out, nil
		}
		after = page[len(page)-1]
	}
}

// signalActor is who creates the tasks of signals in the history: the
// system, on no one's behalf.
var signalActor = Actor{User: User{Name: "Werkdiagnose (signaal)"}}

// fireSignal creates the task a signal stands for (the steps on its event)
// on case c, due on the signal's date, unless one is open already: one
// open voorschot task per application, one open evaluation per dossier. It
// returns the task to tell about and whether it was open already, or why
// the signal lapses: the application decided, the dossier closed, the
// evaluation date moved. A case started on a definition without the step
// (before signals made tasks) is told about its decision task instead.
func (s *Reminders) fireSignal(ctx context.Context, tx ReminderAreaTx, r Reminder, c Case, def *process.Definition) (_ Task, open bool, why string, _ error) {
	app, part, event := c, Case{}, process.OnVoorschot
	if r.Kind == ReminderEvaluation {
		if !c.Open() {
			return Task{}, false, "Het dossier is afgesloten.", nil
		}
		due, ok, err := evaluationDue(ctx, tx, c.ID)
		if err != nil {
			return Task{}, false, "", err
		}
		if !ok || !due.Equal(r.DueOn) {
			return Task{}, false, "De evaluatiedatum is gewijzigd; er is een nieuwe herinnering gepland.", nil
		}
		if app, err = tx.CaseByID(ctx, c.ApplicationID); err != nil {
			return Task{}, false, "", err
		}
		part, event = c, process.OnPlanEvaluation
	} else if !c.Open() {
		return Task{}, false, "Aanvraag is besloten.", nil
	}
	if len(def.StepsOn(event)) == 0 {
		if r.Kind == ReminderEvaluation {
			return Task{}, false, "Dit dossier kent de stap om het plan te evalueren niet (oudere procesversie).", nil
		}
		t, err := s.decisionTask(ctx, tx, def, c)
		return t, false, "", err
	}
	tasks, err := tx.ListTasks(ctx, TaskFilter{ClientID: c.ClientID})
	if err != nil {
		return Task{}, false, "", err
	}
	tasks = slices.DeleteFunc(tasks, func(t Task) bool { return t.CaseID != c.ID })
	if t, open := openTaskOn(def, tasks, event); open {
		return t, true, "", nil
	}
	due := r.DueOn
	if r.Kind == ReminderVoorschot {
		due = voorschotDue(def, r.DueOn)
	}
	created, err := s.triggerDue(ctx, tx, signalActor, def, app, part, event, due)
	if err != nil || len(created) == 0 {
		return Task{}, false, "", err
	}
	return created[0], false, "", nil
}

// decisionTask returns the open task that carries the decision term of
// an application; when there is none, an empty task of the team that
// decides (the team of the first step with the decision term).
func (s *Reminders) decisionTask(ctx context.Context, tx ReminderAreaTx, def *process.Definition, app Case) (Task, error) {
	tasks, err := tx.TasksByApplication(ctx, app.ID)
	if err != nil {
		return Task{}, err
	}
	for _, t := range tasks {
		if t.Status == TaskOpen && t.Term == process.TermDecision {
			return t, nil
		}
	}
	for _, st := range def.Steps {
		if st.Term == process.TermDecision && st.Team != "" {
			return Task{Team: st.Team}, nil
		}
	}
	return Task{}, nil
}

// reminderRecipients: the holder (else the team mailbox) before the term
// and on voorschot dates; every active team lead once it ran out (else the
// team mailbox).
func (s *Reminders) reminderRecipients(ctx context.Context, tx ReminderAreaTx, kind string, t Task, team process.Team) ([]Message, error) {
	var out []Message
	if kind == ReminderOverdue {
		users, err := tx.ListUsers(ctx)
		if err != nil {
			return nil, err
		}
		for _, u := range users {
			if u.Active && !u.System && u.Roles.Has(process.RoleTeamleider) && u.Email != "" {
				out = append(out, Message{To: u.Email, ToName: u.Name})
			}
		}
	} else if t.HolderID != 0 {
		u, err := tx.UserByID(ctx, t.HolderID)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		if u.Active && u.Email != "" {
			out = append(out, Message{To: u.Email, ToName: u.Name})
		}
	}
	if len(out) == 0 {
		out = append(out, Message{To: team.Mailbox, ToName: team.Name})
	}
	return out, nil
}

func recipientNames(ms []Message) string {
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.ToName
	}
	return strings.Join(names, ", ")
}

type digestLine struct{ Step, CaseCode, Due, State, URL string }

type digestMail struct {
	mailCommon
	Name, Date, URL string
	Tasks           []digestLine
	// Access: the files opened with a reason since the last digest, for
	// team leads (process.ActReviewAccess); nil for others. Names of
	// colleagues and client numbers only: no client data.
	Access *accessDigest
}

// accessDigest is the section "Inzage met reden" of a team lead's digest.
type accessDigest struct {
	From, Until string
	Count       int
	People      []accessPerson
}

// accessPerson is a colleague who opened files with a reason.
type accessPerson struct {
	Name, Roles string
	Clients     []accessLink
}

// accessLink is a client a file was opened of, by number.
type accessLink struct {
	ID  int64
	URL string
}

// accessDigestOf groups the grants of [from, until) by colleague.
func (s *core) accessDigestOf(grants []AccessGrant, from, until time.Time) *accessDigest {
	d := &accessDigest{From: FormatDate(from), Until: FormatDate(process.AddDays(until, -1)), Count: len(grants)}
	at := map[int64]int{}
	for _, g := range grants {
		i, ok := at[g.UserID]
		if !ok {
			i = len(d.People)
			at[g.UserID] = i
			d.People = append(d.People, accessPerson{Name: g.UserName, Roles: User{Roles: g.UserRoles}.RoleNames()})
		}
		d.People[i].Clients = append(d.People[i].Clients, accessLink{ID: g.ClientID, URL: fmt.Sprintf("%s/klanten/%d", s.cfg.BaseURL, g.ClientID)})
	}
	return d
}

// SendDigests writes today's digest to every active user who asked for
// it, once per user and day however often it runs. It returns how many it
// wrote.
func (s *Reminders) SendDigests(ctx context.Context, day time.Time) (_ int, err error) {
	defer wrap(&err, "SendDigests()")
	day = process.Date(day)
	n := 0
	err = s.store.Update(ctx, func(tx ReminderAreaTx) error {
		users, err := tx.ListUsers(ctx)
		if err != nil {
			return err
		}
		// Files opened with a reason since the previous working day's
		// digest, for team leads.
		from := s.cal.AddWorkdays(day, -1)
		var access *accessDigest
		for _, u := range users {
			if u.DailyDigest && u.Active && May(Actor{User: u}, process.ActReviewAccess, process.RelNone) {
				grants, err := tx.AccessGrants(ctx, from.UTC(), day.UTC())
				if err != nil {
					return err
				}
				access = s.accessDigestOf(grants, from, day)
				break
			}
		}
		for _, u := range users {
			if !u.DailyDigest || !u.Active || u.System || u.Email == "" {
				continue
			}
			tasks, err := tx.ListTasks(ctx, TaskFilter{HolderID: u.ID})
			if err != nil {
				return err
			}
			d := &digestMail{Name: u.Name, Date: FormatDate(day), URL: s.cfg.BaseURL + "/werkvoorraad/mijn"}
			if May(Actor{User: u}, process.ActReviewAccess, process.RelNone) {
				d.Access = access
			}
			for _, t := range tasks {
				def, err := s.definition(ctx, tx, t.DefinitionVersion)
				if err != nil {
					return err
				}
				step, _ := def.Step(t.Step)
				l := digestLine{Step: step.Title, CaseCode: t.CaseCode, URL: fmt.Sprintf("%s/taken/%d", s.cfg.BaseURL, t.ID)}
				if !t.DueOn.IsZero() {
					l.Due = FormatDate(t.DueOn)
					if t.Term == process.TermDecision {
						l.Due = DueText(t.DueOn, SuspensionNote(t.SuspendedSince, t.SuspendedUntil))
					}
					if st, _ := def.Policy.Deadline(t.DueOn, true, day); st == process.DeadlineOverdue || st == process.DeadlineSoon {
						l.State = process.DeadlineLabels[st]
					}
				}
				d.Tasks = append(d.Tasks, l)
			}
			m := &Message{Kind: "Dagoverzicht", From: s.cfg.Sender, To: u.Email, ToName: u.Name,
				DedupeKey: fmt.Sprintf("dagoverzicht:%d:%s", u.ID, day.Format("2006-01-02"))}
			if err := s.renderMail(m, "dagoverzicht", d); err != nil {
				return err
			}
			if err := s.enqueue(ctx, tx, m); err != nil {
				return err
			}
			if m.ID != 0 {
				n++
			}
		}
		return nil
	})
	return n, err
}
