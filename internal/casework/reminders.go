package casework

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Reminders are planned in the transaction that sets a due date: before
// the term runs out the holder is reminded, after it ran out the team lead
// is told, and while an application is undecided each 4-weekly voorschot
// date is signalled. A job fires each reminder at its time (see
// FireReminder); when it fires, the task is looked at again, so a task
// finished or a term moved meanwhile lapses the reminder instead of
// sending it.

// Reminders fires the reminders and writes the daily digests.
type Reminders struct {
	*core
	store Transactor[ReminderAreaTx]
}

// ReminderAreaTx is what firing reminders and writing digests read and
// write: the reminder, its task and case, the people to tell, the outbox.
type ReminderAreaTx interface {
	ReminderTx
	TaskTx
	CaseTx
	UserTx
	DefinitionTx
	OutboxTx
}

// scheduleReminders plans the reminders of an open task with a term.
func (s *core) scheduleReminders(ctx context.Context, tx ReminderTx, t Task) error {
	if t.DueOn.IsZero() || t.Status != TaskOpen {
		return nil
	}
	rp := s.def.Policy.Reminders
	now := s.clock.Now()
	if at, ok := rp.BeforeDue(t.Term, t.DueOn, s.cal); ok && !s.today().After(t.DueOn) {
		if at.Before(now) {
			at = now
		}
		if err := s.addReminder(ctx, tx, Reminder{Kind: ReminderBeforeDue, TaskID: t.ID, CaseID: t.CaseID, DueOn: t.DueOn, SendAt: at}); err != nil {
			return err
		}
	}
	return s.addReminder(ctx, tx, Reminder{Kind: ReminderOverdue, TaskID: t.ID, CaseID: t.CaseID, DueOn: t.DueOn,
		SendAt: rp.Overdue(t.DueOn, s.cal)})
}

// scheduleVoorschot plans the signal on the next voorschot date of an
// undecided application, on the working day on or before it.
func (s *core) scheduleVoorschot(ctx context.Context, tx ReminderTx, app Case) error {
	if !app.Open() || app.Kind != process.CaseAanvraag {
		return nil
	}
	at, ok := s.def.Policy.NextVoorschotReminder(app.AppliedOn, s.clock.Now(), s.cal)
	if !ok {
		return nil
	}
	return s.addReminder(ctx, tx, Reminder{Kind: ReminderVoorschot, CaseID: app.ID, DueOn: process.Date(at), SendAt: at})
}

func (s *core) addReminder(ctx context.Context, tx ReminderTx, r Reminder) error {
	r.Status = ReminderPlanned
	r.CreatedAt = s.clock.Now().UTC()
	r.SendAt = r.SendAt.UTC()
	_, err := tx.AddReminder(ctx, &r)
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
		if r.Kind == ReminderVoorschot {
			if !c.Open() {
				return lapse("Aanvraag is besloten.")
			}
			t, err = s.decisionTask(ctx, tx, def, c)
			if err != nil {
				return err
			}
		} else {
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
		if err := tx.UpdateReminder(ctx, r); err != nil {
			return err
		}
		if r.Kind == ReminderVoorschot {
			return s.scheduleVoorschot(ctx, tx, c)
		}
		return nil
	})
	return again, err
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
		for _, u := range users {
			if !u.DailyDigest || !u.Active || u.System || u.Email == "" {
				continue
			}
			tasks, err := tx.ListTasks(ctx, TaskFilter{HolderID: u.ID})
			if err != nil {
				return err
			}
			d := &digestMail{Name: u.Name, Date: FormatDate(day), URL: s.cfg.BaseURL + "/werkvoorraad/mijn"}
			for _, t := range tasks {
				def, err := s.definition(ctx, tx, t.DefinitionVersion)
				if err != nil {
					return err
				}
				step, _ := def.Step(t.Step)
				l := digestLine{Step: step.Title, CaseCode: t.CaseCode, URL: fmt.Sprintf("%s/taken/%d", s.cfg.BaseURL, t.ID)}
				if !t.DueOn.IsZero() {
					l.Due = FormatDate(t.DueOn)
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
