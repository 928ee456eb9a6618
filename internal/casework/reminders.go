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

// scheduleReminders plans the reminders of an open task with a term.
func (s *Service) scheduleReminders(ctx context.Context, tx Tx, t Task) error {
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
func (s *Service) scheduleVoorschot(ctx context.Context, tx Tx, app Case) error {
	if !app.Open() || app.Kind != process.CaseAanvraag {
		return nil
	}
	at, ok := s.def.Policy.NextVoorschotReminder(app.AppliedOn, s.clock.Now(), s.cal)
	if !ok {
		return nil
	}
	return s.addReminder(ctx, tx, Reminder{Kind: ReminderVoorschot, CaseID: app.ID, DueOn: process.Date(at), SendAt: at})
}

func (s *Service) addReminder(ctx context.Context, tx Tx, r Reminder) error {
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
func (s *Service) FireReminder(ctx context.Context, id int64) (time.Time, error) {
	var again time.Time
	err := s.store.Update(ctx, func(tx Tx) error {
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
			t, err = s.decisionTask(ctx, tx, c)
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
// an application, or an empty task when there is none.
func (s *Service) decisionTask(ctx context.Context, tx Tx, app Case) (Task, error) {
	tasks, err := tx.TasksByApplication(ctx, app.ID)
	if err != nil {
		return Task{}, err
	}
	for _, t := range tasks {
		if t.Status == TaskOpen && t.Term == process.TermDecision {
			return t, nil
		}
	}
	return Task{Team: process.TeamPoort}, nil
}

// reminderRecipients: the holder (else the team mailbox) before the term
// and on voorschot dates; every active team lead once it ran out (else the
// team mailbox).
func (s *Service) reminderRecipients(ctx context.Context, tx Tx, kind string, t Task, team process.Team) ([]Message, error) {
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
