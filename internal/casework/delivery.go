package casework

import (
	"context"
	"fmt"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Delivery: the worker takes a waiting message, tries to send it and
// records each attempt here. The message row is the truth the outbox page
// shows; the job only says when to try.

// Outgoing returns message id for delivery.
func (s *Service) Outgoing(ctx context.Context, id int64) (Message, error) {
	var m Message
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		m, err = tx.MessageByID(ctx, id)
		return err
	})
	return m, err
}

// Attempt is the outcome of one delivery attempt.
type Attempt struct {
	Err       error     // nil: accepted by the mail server
	Permanent bool      // the server refused this message for good
	Final     bool      // no attempts are left
	Next      time.Time // when the next attempt is due, while retrying
}

// RecordDelivery writes the outcome of an attempt on message id: sent,
// retrying (with the error and the next attempt's time) or failed. A
// message already sent stays sent.
func (s *Service) RecordDelivery(ctx context.Context, id int64, at Attempt) error {
	return s.store.Update(ctx, func(tx Tx) error {
		m, err := tx.MessageByID(ctx, id)
		if err != nil {
			return err
		}
		if m.Status == MessageSent {
			return nil
		}
		m.Attempts++
		now := s.clock.Now().UTC()
		switch {
		case at.Err == nil:
			m.Status, m.SentAt, m.LastError, m.NextAttemptAt = MessageSent, now, "", time.Time{}
		case at.Permanent:
			m.Status, m.NextAttemptAt = MessageFailed, time.Time{}
			m.LastError = "Geweigerd door de mailserver: " + at.Err.Error()
		case at.Final:
			m.Status, m.NextAttemptAt = MessageFailed, time.Time{}
			m.LastError = fmt.Sprintf("Na %d pogingen niet verstuurd: %s", m.Attempts, at.Err)
		default:
			m.Status, m.NextAttemptAt = MessageRetrying, at.Next.UTC()
			m.LastError = "Mailserver niet bereikbaar of tijdelijk niet beschikbaar: " + at.Err.Error()
		}
		return tx.UpdateDelivery(ctx, m)
	})
}

// RetryMessage puts a failed message back in the queue; it is for the
// functioneel beheerder.
func (s *Service) RetryMessage(ctx context.Context, a Actor, id int64) error {
	if !process.MayAdminister(a.Roles()) {
		return Forbidden("Alleen een functioneel beheerder kan een bericht opnieuw versturen.")
	}
	return s.store.Update(ctx, func(tx Tx) error {
		m, err := tx.MessageByID(ctx, id)
		if err != nil {
			return notFoundAs(err, "Het bericht")
		}
		switch {
		case m.Status == MessageSent:
			return Conflict("Dit bericht is al verzonden.")
		case m.Status == MessageWaiting:
			return Conflict("Dit bericht staat al klaar om te worden verzonden.")
		case m.To == "":
			return Conflict("Dit bericht heeft geen e-mailadres en kan niet worden verzonden.")
		}
		m.Status, m.NextAttemptAt = MessageWaiting, time.Time{}
		m.LastError = "Opnieuw in de wachtrij gezet door " + a.User.Name + ". " + m.LastError
		if err := tx.UpdateDelivery(ctx, m); err != nil {
			return err
		}
		if err := tx.RequeueMessage(ctx, m.ID); err != nil {
			return err
		}
		if m.ClientID == 0 {
			return nil
		}
		return s.event(ctx, tx, a, m.ClientID, m.CaseID, m.TaskID, "bericht_opnieuw",
			fmt.Sprintf("Bericht %q opnieuw in de wachtrij gezet.", m.Kind), "")
	})
}

// SetDailyDigest turns the actor's daily worklist digest on or off.
func (s *Service) SetDailyDigest(ctx context.Context, a Actor, on bool) error {
	if !process.IsCaseworker(a.Roles()) {
		return Forbidden("Het dagoverzicht is voor medewerkers met een werkvoorraad.")
	}
	if on && a.User.Email == "" {
		return &Error{Code: CodeInvalid, Message: "Er is geen e-mailadres bij uw account bekend. Vraag de functioneel beheerder het toe te voegen."}
	}
	return s.store.Update(ctx, func(tx Tx) error { return tx.SetDailyDigest(ctx, a.User.ID, on) })
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
func (s *Service) SendDigests(ctx context.Context, day time.Time) (int, error) {
	day = process.Date(day)
	n := 0
	err := s.store.Update(ctx, func(tx Tx) error {
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
