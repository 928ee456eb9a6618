package casework

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// The life of an appointment after it is booked: held, missed (a no-show)
// or cancelled. A step done at an appointment can be completed from its
// start on, and then records it held; a no-show is recorded on the client
// and creates the task to plan a new one; closing a dossier cancels what
// is still to come. The terms of steps done at an appointment follow it.

// MarkAppointment records a planned appointment as held
// (process.AppointmentHeld) or missed (process.AppointmentNoShow), from
// its start on. A no-show is noted on the client without judging it and
// creates the tasks of the steps that start on one (process.OnNoShow).
// Errors: not found, forbidden (not its klantmanager, Team Ondersteuning
// or a team lead), invalid (before its start, an unknown status),
// conflict (cancelled or recorded meanwhile).
func (s *Appointments) MarkAppointment(ctx context.Context, a Actor, id int64, status string) (err error) {
	defer wrap(&err, "MarkAppointment(id=%d)", id)
	return s.store.Update(ctx, func(tx AppointmentsTx) error {
		ap, def, client, _, _, err := s.appointmentForChange(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if status != process.AppointmentHeld && status != process.AppointmentNoShow {
			return Invalid("Kies gehouden of niet verschenen.")
		}
		if !ap.Planned() {
			return Conflict("Deze afspraak is al vastgelegd als " + process.AppointmentStatusNames[ap.Status] + ".")
		}
		if s.clock.Now().Before(ap.StartAt) {
			return Invalid(fmt.Sprintf("Een afspraak kan pas vanaf het begin (%s uur) als gehouden of niet verschenen worden vastgelegd.", FormatDateTime(ap.StartAt)))
		}
		if err := tx.SetAppointmentStatus(ctx, ap.ID, status); err != nil {
			return staleAppointment(err)
		}
		kind := process.AppointmentKindNames[ap.Kind]
		if status == process.AppointmentHeld {
			return s.event(ctx, tx, a, client.ID, ap.CaseID, 0, "afspraak_gehouden",
				fmt.Sprintf("%s van %s uur is gehouden.", kind, FormatDateTime(ap.StartAt)), "")
		}
		if err := s.event(ctx, tx, a, client.ID, ap.CaseID, 0, "niet_verschenen",
			fmt.Sprintf("De klant is niet verschenen op %s van %s uur. Vastgelegd zonder oordeel over de reden; de klant werkt mee aan wat nodig is om werk te vinden (art. 9 Participatiewet).",
				kind, FormatDateTime(ap.StartAt)), ""); err != nil {
			return err
		}
		part, err := tx.CaseByID(ctx, ap.CaseID)
		if err != nil {
			return err
		}
		app, err := tx.CaseByID(ctx, part.ApplicationID)
		if err != nil {
			return err
		}
		if err := s.trigger(ctx, tx, a, def, app, part, process.OnNoShow); err != nil {
			return err
		}
		return s.retermAppointments(ctx, tx, def, client.ID, ap.CaseID)
	})
}

// staleAppointment turns a stale appointment write into a conflict.
func staleAppointment(err error) error {
	if errors.Is(err, ErrStale) {
		return Conflict("Een collega heeft deze afspraak intussen vastgelegd of geannuleerd. Bekijk de afspraak opnieuw.")
	}
	return err
}

// triggerTx is what creating the tasks of an event reads and writes.
type triggerTx interface {
	flowTx
	CaseTx
}

// trigger creates a task of every step that starts on event, on the
// participation case part of application app.
func (s *core) trigger(ctx context.Context, tx triggerTx, a Actor, def *process.Definition, app, part Case, event string) error {
	_, err := s.triggerDue(ctx, tx, a, def, app, part, event, time.Time{})
	return err
}

// triggerDue creates a task of every step that starts on event, on the
// application app or its participation case part (as the step says), held
// as the step's holder rule says. due, when set, is the task's due date
// (the voorschot or evaluation date the event is about); else its term
// decides. It returns the tasks it created.
func (s *core) triggerDue(ctx context.Context, tx triggerTx, a Actor, def *process.Definition, app, part Case, event string, due time.Time) ([]Task, error) {
	var out []Task
	for _, st := range def.StepsOn(event) {
		nt := process.NewTask{Step: st.Key, Team: st.Team, Term: st.Term, Case: st.Case, Due: due}
		switch st.Holder {
		case process.HolderDossier:
			nt.Holder = part.DossierOwner
		case process.HolderApplication:
			h, err := s.applicationHolder(ctx, tx, app, st.Team)
			if err != nil {
				return nil, err
			}
			nt.Holder = h
		}
		if nt.Team == "" {
			team, err := s.teamOf(ctx, tx, def, nt.Holder)
			if err != nil {
				return nil, err
			}
			nt.Team = team
		}
		t, err := s.createTask(ctx, tx, a, def, app, part, nt)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", event, err)
		}
		out = append(out, t)
	}
	return out, nil
}

// applicationHolder is who handles application app for team: the active
// holder of its open task with the decision term on that team (the
// Poortwachter of the application); 0 when nobody holds one.
func (s *core) applicationHolder(ctx context.Context, tx triggerTx, app Case, team string) (int64, error) {
	tasks, err := tx.TasksByApplication(ctx, app.ID)
	if err != nil {
		return 0, err
	}
	for _, t := range tasks {
		if t.Status != TaskOpen || t.Term != process.TermDecision || t.Team != team || t.HolderID == 0 {
			continue
		}
		u, err := tx.UserByID(ctx, t.HolderID)
		if errors.Is(err, ErrNotFound) {
			continue
		} else if err != nil {
			return 0, err
		}
		if u.Active {
			return u.ID, nil
		}
	}
	return 0, nil
}

// openTaskOn returns the open task of a step that starts on event, on the
// application's tasks, and whether there is one: an event's task is made
// once while it is open.
func openTaskOn(def *process.Definition, tasks []Task, event string) (Task, bool) {
	for _, st := range def.StepsOn(event) {
		for _, t := range tasks {
			if t.Step == st.Key && t.Status == TaskOpen {
				return t, true
			}
		}
	}
	return Task{}, false
}

// teamOf is the team of the policy whose role the user has: where a task
// they hold belongs.
func (s *core) teamOf(ctx context.Context, tx UserTx, def *process.Definition, userID int64) (string, error) {
	u, err := tx.UserByID(ctx, userID)
	if err != nil {
		return "", fmt.Errorf("the holder %d: %w", userID, err)
	}
	for _, t := range def.Policy.Teams {
		if u.Roles.Has(t.Role) {
			return t.Key, nil
		}
	}
	return "", fmt.Errorf("user %d has no role of a team", userID)
}

// caseAppointments are the appointments of one case, by start.
func caseAppointments(ctx context.Context, tx AppointmentTx, clientID, caseID int64) ([]Appointment, error) {
	all, err := tx.AppointmentsByClient(ctx, clientID)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(ap Appointment) bool { return ap.CaseID != caseID }), nil
}

// lastOf returns the latest appointment of the kind ("" for any) for which
// keep holds.
func lastOf(aps []Appointment, kind string, keep func(Appointment) bool) (Appointment, bool) {
	for i := len(aps) - 1; i >= 0; i-- {
		if (kind == "" || aps[i].Kind == kind) && keep(aps[i]) {
			return aps[i], true
		}
	}
	return Appointment{}, false
}

// retermTx is what moving the terms that follow an appointment reads and
// writes.
type retermTx interface {
	AppointmentTx
	TaskTx
	ReminderTx
}

// retermAppointments gives the open tasks on a case whose term runs from
// an appointment (process.TermAfterAppointment) the due date of the
// appointment their step is done at, with new reminders. Without one
// planned, the term stays as it was.
func (s *core) retermAppointments(ctx context.Context, tx retermTx, def *process.Definition, clientID, caseID int64) error {
	aps, err := caseAppointments(ctx, tx, clientID, caseID)
	if err != nil {
		return err
	}
	tasks, err := tx.ListTasks(ctx, TaskFilter{ClientID: clientID})
	if err != nil {
		return err
	}
	for _, t := range tasks {
		if t.CaseID != caseID || t.Status != TaskOpen || t.Term != process.TermAfterAppointment {
			continue
		}
		due, ok := s.appointmentDue(def, aps, t.Step)
		if !ok || t.DueOn.Equal(due) {
			continue
		}
		t.DueOn = due
		if err := tx.UpdateTask(ctx, &t); err != nil {
			return staleAsConflict(err)
		}
		if err := s.scheduleReminders(ctx, tx, t); err != nil {
			return err
		}
	}
	return nil
}

// appointmentDue is the due date of a task of step whose term runs from
// the appointment the step is done at (the kind its appointment_started
// check names; without one, any): that planned appointment's day plus
// Policy.AfterAppointmentWorkdays. False when none is planned.
func (s *core) appointmentDue(def *process.Definition, aps []Appointment, step process.StepKey) (time.Time, bool) {
	kind := ""
	if st, ok := def.Step(step); ok {
		for _, c := range st.Form.Checks {
			if c.Name == process.CheckAppointmentStarted {
				kind = c.Params[process.ParamKind]
			}
		}
	}
	ap, ok := lastOf(aps, kind, Appointment.Planned)
	if !ok {
		return time.Time{}, false
	}
	return def.Policy.AfterAppointmentDue(ap.StartAt, s.cal), true
}

// cancelTx is what cancelling an appointment reads and writes: a
// cancellation to a client without e-mail is a letter, with its task.
type cancelTx = letterTx

// cancelAppointment cancels an appointment, frees its room and its
// klantmanager, notes it and sends the client and the klantmanager the
// cancellation of the calendar entry.
func (s *core) cancelAppointment(ctx context.Context, tx cancelTx, a Actor, def *process.Definition, client Client, ap Appointment, why string) error {
	if err := tx.CancelAppointment(ctx, ap.ID); err != nil {
		return err
	}
	ap.Sequence++
	ap.Cancelled = true
	km, err := tx.UserByID(ctx, ap.KlantmanagerID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	room, ok := s.cfg.Room(ap.Room)
	if !ok {
		room = Room{Key: ap.Room, Name: ap.Room}
	}
	if err := s.event(ctx, tx, a, ap.ClientID, ap.CaseID, 0, "afspraak_geannuleerd",
		fmt.Sprintf("%s van %s uur geannuleerd%s; spreekkamer vrijgegeven en annulering verstuurd.", process.AppointmentKindNames[ap.Kind], FormatDateTime(ap.StartAt), why), ""); err != nil {
		return err
	}
	return s.tellAppointment(ctx, tx, a, def, client, ap, km, room, changeCancelled, "")
}

// cancelComing cancels the case's planned appointments: closing a dossier
// leaves no meeting, no booked room and nothing to record behind. Those
// still to come are cancelled with word to the client and the
// klantmanager; those begun but never recorded as held or missed lapse
// without a message.
func (s *core) cancelComing(ctx context.Context, tx cancelTx, a Actor, def *process.Definition, client Client, caseID int64) error {
	aps, err := caseAppointments(ctx, tx, client.ID, caseID)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	for _, ap := range aps {
		switch {
		case !ap.Planned():
		case ap.StartAt.After(now):
			if err := s.cancelAppointment(ctx, tx, a, def, client, ap, " omdat het dossier is afgesloten"); err != nil {
				return err
			}
		default:
			if err := tx.SetAppointmentStatus(ctx, ap.ID, process.AppointmentLapsed); err != nil {
				return staleAppointment(err)
			}
			if err := tx.CancelAppointment(ctx, ap.ID); err != nil {
				return err
			}
			if err := s.event(ctx, tx, a, ap.ClientID, ap.CaseID, 0, "afspraak_geannuleerd",
				fmt.Sprintf("%s van %s uur vervalt: niet vastgelegd als gehouden of niet verschenen, en het dossier is afgesloten.",
					process.AppointmentKindNames[ap.Kind], FormatDateTime(ap.StartAt)), ""); err != nil {
				return err
			}
		}
	}
	return nil
}

// tellAppointment sends the client and the klantmanager an appointment's
// change: by e-mail with a calendar invitation to whoever has an address,
// and to a client who has none or prefers post as a letter (the uitnodiging,
// a document the client's page lists), which Team Ondersteuning gets the
// task to post (the steps on process.OnLetter).
func (s *core) tellAppointment(ctx context.Context, tx letterTx, a Actor, def *process.Definition, client Client, ap Appointment, km User, room Room, change, previous string) error {
	if err := s.appointmentMessages(ctx, tx, def, client, ap, km, room, change, previous); err != nil {
		return err
	}
	if letterChannel(client) != LetterByPost {
		return nil
	}
	_, err := s.sendLetter(ctx, tx, a, LetterRequest{Key: process.LetterUitnodiging, ClientID: client.ID, CaseID: ap.CaseID,
		Details:     LetterDetails{Appointment: s.appointmentLetter(ap, km, room, change, previous)},
		MessageKind: appointmentMailKinds[change][0]})
	return err
}

// letterTask creates the task to post the client's letters, unless one is
// open already: one task posts every letter waiting.
func (s *core) letterTask(ctx context.Context, tx triggerTx, a Actor, def *process.Definition, caseID int64) error {
	part, err := tx.CaseByID(ctx, caseID)
	if err != nil {
		return err
	}
	app := part
	if part.Kind == process.CaseParticipatie {
		if app, err = tx.CaseByID(ctx, part.ApplicationID); err != nil {
			return err
		}
	}
	tasks, err := tx.TasksByApplication(ctx, app.ID)
	if err != nil {
		return err
	}
	if _, open := openTaskOn(def, tasks, process.OnLetter); open {
		return nil
	}
	return s.trigger(ctx, tx, a, def, app, part, process.OnLetter)
}
