package casework

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Appointments plans, moves and cancels appointments with clients.
type Appointments struct {
	*core
	store Transactor[AppointmentsTx]
}

// AppointmentsTx is what the appointment use cases read and write: the
// appointment and its reservations, the case and client it is for, the
// klantmanager, the history and the invitations in the outbox.
type AppointmentsTx interface {
	flowTx // a no-show creates a task; terms follow appointments
	CaseTx
	ClientTx
	DefinitionTx
	DocumentTx // an invitation by post is a letter
	PlanTx
}

// slot is a validated appointment time and place.
type slot struct {
	start, end time.Time
	room       string
	roomField  string // the field the room was chosen in, for a double booking's message
}

// slotFields names the fields an appointment is read from: a duration
// field, or a fixed number of minutes.
type slotFields struct {
	date, time, duration, room string
	minutes                    int
}

// appointmentFields are the fields of the appointment form.
var appointmentFields = slotFields{date: process.FieldDate, time: process.FieldTime, duration: process.FieldDuration, room: process.FieldRoom}

// checkSlot validates an appointment's date, time, duration and room: a
// working day, not in the past, on a quarter, within office hours.
func (s *core) checkSlot(in Input, f slotFields, errs Fields) *slot {
	d := in.Date(f.date)
	t, okT := in.Clock(f.time)
	mins := f.minutes
	if f.duration != "" {
		mins = in.Int(f.duration)
		if mins <= 0 || mins > 240 {
			errs.Add(f.duration, "Kies de duur van de afspraak.")
			return nil
		}
	}
	if d.IsZero() || !okT {
		return nil
	}
	start := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, process.Amsterdam).Add(t)
	bad := false
	if wd := start.Weekday(); wd == time.Saturday || wd == time.Sunday {
		errs.Add(f.date, "Kies een werkdag: op zaterdag en zondag zijn er geen afspraken.")
		bad = true
	}
	if !start.After(s.clock.Now()) {
		errs.Add(f.date, "De afspraak kan niet in het verleden liggen.")
		bad = true
	}
	if t%(15*time.Minute) != 0 {
		errs.Add(f.time, "Kies een begintijd op een heel kwartier, bijvoorbeeld 09:00 of 09:15.")
		bad = true
	}
	length := time.Duration(mins) * time.Minute
	if t < s.cfg.OfficeOpens || t+length > s.cfg.OfficeCloses {
		errs.Add(f.time, fmt.Sprintf("Afspraken vallen tussen %s en %s uur.", clock(s.cfg.OfficeOpens), clock(s.cfg.OfficeCloses)))
		bad = true
	}
	if bad {
		return nil
	}
	return &slot{start: start, end: start.Add(length), room: in.Text(f.room), roomField: f.room}
}

func clock(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d.Hours()), int(d.Minutes())%60)
}

// appointmentInput decodes and checks the appointment form.
func (s *core) appointmentInput(v Values) (*slot, error) {
	in, errs := decode(process.AppointmentForm(), v, s.configOptions())
	sl := s.checkSlot(in, appointmentFields, errs)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return sl, nil
}

// AppointmentValues fills the appointment form with an appointment as planned.
func AppointmentValues(ap Appointment) Values {
	return Values{
		process.FieldDate:     {FormatDate(ap.StartAt)},
		process.FieldTime:     {FormatClock(ap.StartAt)},
		process.FieldDuration: {strconv.Itoa(int(ap.EndAt.Sub(ap.StartAt).Minutes()))},
		process.FieldRoom:     {ap.Room},
	}
}

// book creates an appointment, reserving the room and the klantmanager for
// every quarter it covers, and invites the client from the shared mailbox.
// A room or klantmanager already booked gives a conflict naming the field.
func (s *core) book(ctx context.Context, tx AppointmentsTx, a Actor, def *process.Definition, client Client, c Case, kind string, sl slot, km int64) error {
	room, ok := s.cfg.Room(sl.room)
	if !ok {
		return &Error{Code: CodeInvalid, Message: "Kies een spreekkamer.", Fields: Fields{sl.roomField: "Kies een spreekkamer uit de lijst."}}
	}
	kmUser, err := tx.UserByID(ctx, km)
	if err != nil {
		return &Error{Code: CodeInvalid, Message: "Kies een klantmanager.", Fields: Fields{process.FieldKM: "Kies een klantmanager uit de lijst."}}
	}
	ap := Appointment{CaseID: c.ID, ClientID: client.ID, Kind: kind, StartAt: sl.start.UTC(), EndAt: sl.end.UTC(), Room: room.Key,
		KlantmanagerID: km, CreatedBy: a.User.ID, CreatedAt: s.clock.Now().UTC(),
		UID: fmt.Sprintf("afspraak-%s@%s", randomHex(12), s.cfg.MailDomain)}
	if err := bookingConflict(tx.CreateAppointment(ctx, &ap, quarters(sl)), room, kmUser, sl); err != nil {
		return err
	}
	if err := s.event(ctx, tx, a, client.ID, c.ID, 0, "afspraak",
		fmt.Sprintf("%s ingepland op %s uur in %s met %s; uitnodiging verstuurd vanuit %s.", process.AppointmentKindNames[kind], FormatDateTime(sl.start), room.Name, kmUser.Name, def.Policy.ClientMailbox), ""); err != nil {
		return err
	}
	if err := s.tellAppointment(ctx, tx, a, def, client, ap, kmUser, room, changeNew, ""); err != nil {
		return err
	}
	// A step waiting for this kind of appointment (planned anew after a
	// no-show) now runs from it.
	return s.retermAppointments(ctx, tx, def, client.ID, c.ID)
}

// quarters returns the quarter-hour slots an appointment covers.
func quarters(sl slot) []time.Time {
	var slots []time.Time
	for t := sl.start; t.Before(sl.end); t = t.Add(15 * time.Minute) {
		slots = append(slots, t.UTC())
	}
	return slots
}

// bookingConflict turns a taken room or klantmanager slot into a conflict
// naming the field; other errors pass unchanged.
func bookingConflict(err error, room Room, km User, sl slot) error {
	var dup ErrDuplicate
	if !errors.As(err, &dup) {
		return err
	}
	when := FormatDateTime(sl.start)
	if dup.Which == DupRoom {
		return &Error{Code: CodeConflict, Message: "Deze spreekkamer is dan al geboekt.",
			Fields: Fields{sl.roomField: fmt.Sprintf("%s is op %s al (deels) geboekt. Kies een andere kamer of tijd.", room.Name, when)}}
	}
	return &Error{Code: CodeConflict, Message: "De klantmanager heeft dan al een afspraak.",
		Fields: Fields{process.FieldKM: fmt.Sprintf("%s heeft op %s al een afspraak. Kies een ander moment of een collega.", km.Name, when)}}
}

// appointmentForChange loads an appointment the actor may change: its
// klantmanager, Team Ondersteuning or a team lead.
func (s *Appointments) appointmentForChange(ctx context.Context, tx AppointmentsTx, a Actor, id int64) (Appointment, *process.Definition, Client, User, Room, error) {
	fail := func(err error) (Appointment, *process.Definition, Client, User, Room, error) {
		return Appointment{}, nil, Client{}, User{}, Room{}, err
	}
	ap, err := tx.AppointmentByID(ctx, id)
	if err != nil {
		return fail(notFoundAs(err, "De afspraak"))
	}
	if _, err := s.seeClient(ctx, tx, a, ap.ClientID); err != nil {
		return fail(err)
	}
	if err := Authorize(a, process.ActChangeAppointment, AppointmentRelation(a, ap)); err != nil {
		return fail(err)
	}
	if ap.Cancelled {
		return fail(Conflict("Deze afspraak is al geannuleerd."))
	}
	c, err := tx.CaseByID(ctx, ap.CaseID)
	if err != nil {
		return fail(err)
	}
	def, err := s.definition(ctx, tx, c.DefinitionVersion)
	if err != nil {
		return fail(err)
	}
	client, err := tx.ClientByID(ctx, ap.ClientID)
	if err != nil {
		return fail(err)
	}
	km, err := tx.UserByID(ctx, ap.KlantmanagerID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fail(err)
	}
	room, ok := s.cfg.Room(ap.Room)
	if !ok {
		room = Room{Key: ap.Room, Name: ap.Room}
	}
	return ap, def, client, km, room, nil
}

// MoveAppointment gives an appointment a new time and room. The old
// reservations are freed and the new ones taken in one transaction; the
// client and the klantmanager get an update of the same calendar entry
// (same UID, higher SEQUENCE). sequence is the one the form was built on:
// a colleague's change meanwhile is a conflict, not an overwrite.
func (s *Appointments) MoveAppointment(ctx context.Context, a Actor, id int64, sequence int, v Values) (err error) {
	defer wrap(&err, "MoveAppointment(id=%d)", id)
	return s.store.Update(ctx, func(tx AppointmentsTx) error {
		ap, def, client, km, _, err := s.appointmentForChange(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if ap.Sequence != sequence {
			return Conflict("Een collega heeft deze afspraak intussen gewijzigd. Bekijk de nieuwe gegevens en probeer het opnieuw.")
		}
		if !ap.Planned() {
			return Conflict("Deze afspraak is al vastgelegd als " + process.AppointmentStatusNames[ap.Status] + "; verplaatsen kan niet meer. Plan zo nodig een nieuwe afspraak.")
		}
		sl, err := s.appointmentInput(v)
		if err != nil {
			return err
		}
		room, _ := s.cfg.Room(sl.room)
		previous := FormatDateTime(ap.StartAt)
		ap.StartAt, ap.EndAt, ap.Room, ap.Sequence = sl.start.UTC(), sl.end.UTC(), room.Key, ap.Sequence+1
		if err := bookingConflict(tx.MoveAppointment(ctx, &ap, quarters(*sl)), room, km, *sl); err != nil {
			return err
		}
		if err := s.event(ctx, tx, a, ap.ClientID, ap.CaseID, 0, "afspraak_verplaatst",
			fmt.Sprintf("%s verplaatst van %s uur naar %s uur in %s; wijziging verstuurd.", process.AppointmentKindNames[ap.Kind], previous, FormatDateTime(ap.StartAt), room.Name), ""); err != nil {
			return err
		}
		if err := s.tellAppointment(ctx, tx, a, def, client, ap, km, room, changeMoved, previous); err != nil {
			return err
		}
		return s.retermAppointments(ctx, tx, def, client.ID, ap.CaseID)
	})
}

// PlanFollowUp books a follow-up appointment in a participation case.
func (s *Appointments) PlanFollowUp(ctx context.Context, a Actor, caseID int64, v Values) (err error) {
	defer wrap(&err, "PlanFollowUp(caseID=%d)", caseID)
	return inDossier(ctx, s.core, s.store, a, caseID, func(tx AppointmentsTx, d dossier) error {
		sl, err := s.appointmentInput(v)
		if err != nil {
			return err
		}
		return s.book(ctx, tx, a, d.def, d.client, d.c, process.AppointmentVervolg, *sl, a.User.ID)
	})
}

// CancelAppointment cancels an appointment and frees its room and klantmanager.
func (s *Appointments) CancelAppointment(ctx context.Context, a Actor, id int64) (err error) {
	defer wrap(&err, "CancelAppointment(id=%d)", id)
	return s.store.Update(ctx, func(tx AppointmentsTx) error {
		ap, def, client, _, _, err := s.appointmentForChange(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if !ap.Planned() {
			return Conflict("Deze afspraak is al vastgelegd als " + process.AppointmentStatusNames[ap.Status] + "; annuleren kan niet meer.")
		}
		if err := s.cancelAppointment(ctx, tx, a, def, client, ap, ""); err != nil {
			return err
		}
		return s.retermAppointments(ctx, tx, def, client.ID, ap.CaseID)
	})
}
