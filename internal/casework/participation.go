package casework

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// loadParticipation loads an open participation case and its definition.
func (s *Service) loadParticipation(ctx context.Context, tx Tx, a Actor, caseID int64) (Case, *process.Definition, Client, error) {
	if !process.MayGuide(a.Roles()) {
		return Case{}, nil, Client{}, Forbidden("Alleen klantmanagers werken in het participatiedossier.")
	}
	c, err := tx.CaseByID(ctx, caseID)
	if err != nil {
		return Case{}, nil, Client{}, notFoundAs(err, "Het participatiedossier")
	}
	if c.Kind != process.CaseParticipatie {
		return Case{}, nil, Client{}, NotFound("Het participatiedossier")
	}
	if !c.Open() {
		return Case{}, nil, Client{}, Conflict("Dit participatiedossier is afgesloten.")
	}
	def, err := s.definition(ctx, tx, c.DefinitionVersion)
	if err != nil {
		return Case{}, nil, Client{}, err
	}
	cl, err := tx.ClientByID(ctx, c.ClientID)
	if err != nil {
		return Case{}, nil, Client{}, err
	}
	return c, def, cl, nil
}

// book creates an appointment, reserving the room and the klantmanager for
// every quarter it covers, and invites the client from the shared mailbox.
// A room or klantmanager already booked gives a conflict naming the field.
func (s *Service) book(ctx context.Context, tx Tx, a Actor, def *process.Definition, client Client, c Case, kind string, sl slot, km int64) error {
	room, ok := s.cfg.Room(sl.room)
	if !ok {
		return &Error{Code: CodeInvalid, Message: "Kies een spreekkamer.", Fields: Fields{FieldRoom: "Kies een spreekkamer uit de lijst."}}
	}
	kmUser, err := tx.UserByID(ctx, km)
	if err != nil {
		return &Error{Code: CodeInvalid, Message: "Kies een klantmanager.", Fields: Fields{FieldKM: "Kies een klantmanager uit de lijst."}}
	}
	ap := Appointment{CaseID: c.ID, ClientID: client.ID, Kind: kind, StartAt: sl.start.UTC(), EndAt: sl.end.UTC(), Room: room.Key,
		KlantmanagerID: km, CreatedBy: a.User.ID, CreatedAt: s.clock.Now().UTC(),
		UID: fmt.Sprintf("afspraak-%s@%s", randomHex(12), s.cfg.MailDomain)}
	if err := bookingConflict(tx.CreateAppointment(ctx, &ap, quarters(sl)), room, kmUser, sl); err != nil {
		return err
	}
	if err := s.event(ctx, tx, a, client.ID, c.ID, 0, "afspraak",
		fmt.Sprintf("%s ingepland op %s uur in %s met %s; uitnodiging verstuurd vanuit %s.", AppointmentKindNames[kind], FormatDateTime(sl.start), room.Name, kmUser.Name, def.Policy.ClientMailbox), ""); err != nil {
		return err
	}
	return s.appointmentMessages(ctx, tx, def, client, ap, kmUser, room, changeNew, "")
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
	if dup.Which == "room" {
		return &Error{Code: CodeConflict, Message: "Deze spreekkamer is dan al geboekt.",
			Fields: Fields{FieldRoom: fmt.Sprintf("%s is op %s al (deels) geboekt. Kies een andere kamer of tijd.", room.Name, when)}}
	}
	return &Error{Code: CodeConflict, Message: "De klantmanager heeft dan al een afspraak.",
		Fields: Fields{FieldKM: fmt.Sprintf("%s heeft op %s al een afspraak. Kies een ander moment of een collega.", km.Name, when)}}
}

// appointmentForChange loads an appointment the actor may change: its
// klantmanager, Team Ondersteuning or a team lead.
func (s *Service) appointmentForChange(ctx context.Context, tx Tx, a Actor, id int64, verb string) (Appointment, *process.Definition, Client, User, Room, error) {
	fail := func(err error) (Appointment, *process.Definition, Client, User, Room, error) {
		return Appointment{}, nil, Client{}, User{}, Room{}, err
	}
	ap, err := tx.AppointmentByID(ctx, id)
	if err != nil {
		return fail(notFoundAs(err, "De afspraak"))
	}
	if ap.KlantmanagerID != a.User.ID && !a.Roles().Has(process.RoleTeamOndersteuning) && !a.Roles().Has(process.RoleTeamleider) {
		return fail(Forbidden(fmt.Sprintf("Alleen de klantmanager van de afspraak of Team Ondersteuning kan hem %s.", verb)))
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
func (s *Service) MoveAppointment(ctx context.Context, a Actor, id int64, sequence int, v Values) error {
	return s.store.Update(ctx, func(tx Tx) error {
		ap, def, client, km, _, err := s.appointmentForChange(ctx, tx, a, id, "verplaatsen")
		if err != nil {
			return err
		}
		if ap.Sequence != sequence {
			return Conflict("Een collega heeft deze afspraak intussen gewijzigd. Bekijk de nieuwe gegevens en probeer het opnieuw.")
		}
		p, errs := validate(FollowUpForm(), v, map[string][]Option{"rooms": s.roomOptions(), "durations": s.durationOptions()})
		sl := s.checkSlot(p, FieldDate, FieldTime, FieldDuration, FieldRoom, errs)
		if err := errs.Err(); err != nil {
			return err
		}
		room, _ := s.cfg.Room(sl.room)
		previous := FormatDateTime(ap.StartAt)
		ap.StartAt, ap.EndAt, ap.Room, ap.Sequence = sl.start.UTC(), sl.end.UTC(), room.Key, ap.Sequence+1
		if err := bookingConflict(tx.MoveAppointment(ctx, &ap, quarters(*sl)), room, km, *sl); err != nil {
			return err
		}
		if err := s.event(ctx, tx, a, ap.ClientID, ap.CaseID, 0, "afspraak_verplaatst",
			fmt.Sprintf("%s verplaatst van %s uur naar %s uur in %s; wijziging verstuurd.", AppointmentKindNames[ap.Kind], previous, FormatDateTime(ap.StartAt), room.Name), ""); err != nil {
			return err
		}
		return s.appointmentMessages(ctx, tx, def, client, ap, km, room, changeMoved, previous)
	})
}

// PlanFollowUp books a follow-up appointment in a participation case.
func (s *Service) PlanFollowUp(ctx context.Context, a Actor, caseID int64, v Values) error {
	return s.store.Update(ctx, func(tx Tx) error {
		c, def, cl, err := s.loadParticipation(ctx, tx, a, caseID)
		if err != nil {
			return err
		}
		p, errs := validate(FollowUpForm(), v, map[string][]Option{"rooms": s.roomOptions(), "durations": s.durationOptions()})
		sl := s.checkSlot(p, FieldDate, FieldTime, FieldDuration, FieldRoom, errs)
		if err := errs.Err(); err != nil {
			return err
		}
		return s.book(ctx, tx, a, def, cl, c, AppointmentVervolg, *sl, a.User.ID)
	})
}

// CancelAppointment cancels an appointment and frees its room and klantmanager.
func (s *Service) CancelAppointment(ctx context.Context, a Actor, id int64) error {
	return s.store.Update(ctx, func(tx Tx) error {
		ap, def, client, km, room, err := s.appointmentForChange(ctx, tx, a, id, "annuleren")
		if err != nil {
			return err
		}
		if err := tx.CancelAppointment(ctx, id); err != nil {
			return err
		}
		ap.Sequence++
		if err := s.event(ctx, tx, a, ap.ClientID, ap.CaseID, 0, "afspraak_geannuleerd",
			fmt.Sprintf("%s van %s uur geannuleerd; spreekkamer vrijgegeven en annulering verstuurd.", AppointmentKindNames[ap.Kind], FormatDateTime(ap.StartAt)), ""); err != nil {
			return err
		}
		return s.appointmentMessages(ctx, tx, def, client, ap, km, room, changeCancelled, "")
	})
}

// SavePlan stores a new version of the plan van aanpak. basedOn is the
// version the form was built on (0 for a new plan): when a colleague saved
// a newer version meanwhile, the save is refused as a conflict.
func (s *Service) SavePlan(ctx context.Context, a Actor, caseID int64, basedOn int, v Values) (Plan, error) {
	var out Plan
	err := s.store.Update(ctx, func(tx Tx) error {
		c, def, cl, err := s.loadParticipation(ctx, tx, a, caseID)
		if err != nil {
			return err
		}
		latest, err := tx.LatestPlan(ctx, c.ID)
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			return err
		}
		if latest.Version != basedOn {
			return Conflict(fmt.Sprintf("%s heeft het plan van aanpak intussen opgeslagen (versie %d, %s). Uw invoer is hieronder bewaard: vergelijk en sla opnieuw op.",
				latest.AuthorName, latest.Version, FormatDateTime(latest.CreatedAt)))
		}
		p, errs := validate(PlanForm(def), v, nil)
		now, _ := strconv.Atoi(p.str("ladder_nu"))
		target, _ := strconv.Atoi(p.str("ladder_doel"))
		if now > 0 && target > 0 && target < now {
			errs.Add("ladder_doel", "Het doel ligt niet lager op de participatieladder dan de huidige trede.")
		}
		if d := p.date("evaluatie_datum"); !d.IsZero() && !d.After(s.today()) {
			errs.Add("evaluatie_datum", "De evaluatiedatum ligt in de toekomst.")
		}
		if d := p.date("ondertekend_op"); !d.IsZero() && d.After(s.today()) {
			errs.Add("ondertekend_op", "De klant kan niet in de toekomst tekenen.")
		}
		plan := Plan{CaseID: c.ID, Version: latest.Version + 1, Situation: p.str("situatie"), LadderNow: now, LadderTarget: target,
			Segment: p.str("segment"), Goals: p.str("doelen"), Obligations: p.str("verplichtingen"), Consequences: p.str("gevolgen"),
			EvaluationOn: p.date("evaluatie_datum"), SignedOn: p.date("ondertekend_op"), AuthorID: a.User.ID, AuthorName: a.User.Name,
			CreatedAt: s.clock.Now().UTC()}
		for i := 1; i <= PlanTrajectoryRows; i++ {
			n := strconv.Itoa(i)
			pt := PlannedTrajectory{Provider: p.str("traject_aanbieder_" + n), Goal: p.str("traject_doel_" + n), Activities: p.str("traject_activiteiten_" + n)}
			if pt.Goal == "" && (pt.Provider != "" || pt.Activities != "") {
				errs.Add("traject_doel_"+n, "Vul de omschrijving van traject "+n+" in, of maak de rij leeg.")
			}
			if pt.Goal != "" {
				plan.Trajectories = append(plan.Trajectories, pt)
			}
		}
		if err := errs.Err(); err != nil {
			return err
		}
		if err := tx.AddPlan(ctx, &plan); err != nil {
			var dup ErrDuplicate
			if errors.As(err, &dup) {
				return Conflict("Een collega sloeg het plan van aanpak tegelijk met u op. Uw invoer is bewaard: sla opnieuw op.")
			}
			return err
		}
		if c.Segment != plan.Segment {
			c.Segment = plan.Segment
			if err := tx.UpdateCase(ctx, &c); err != nil {
				return staleAsConflict(err)
			}
		}
		msg := fmt.Sprintf("Plan van aanpak versie %d opgeslagen; segment %s.", plan.Version, plan.Segment)
		if !plan.SignedOn.IsZero() && (latest.SignedOn.IsZero() || !latest.SignedOn.Equal(plan.SignedOn)) {
			msg += " Door de klant getekend op " + FormatDate(plan.SignedOn) + "."
		}
		out = plan
		return s.event(ctx, tx, a, cl.ID, c.ID, 0, "plan", msg, "")
	})
	return out, err
}

// AddRegistration registers the client with a provider.
func (s *Service) AddRegistration(ctx context.Context, a Actor, caseID int64, v Values) error {
	return s.store.Update(ctx, func(tx Tx) error {
		c, def, cl, err := s.loadParticipation(ctx, tx, a, caseID)
		if err != nil {
			return err
		}
		p, errs := validate(RegistrationForm(def), v, nil)
		if d := p.date("datum"); !d.IsZero() && d.After(s.today()) {
			errs.Add("datum", "De datum van aanmelding kan niet in de toekomst liggen.")
		}
		if containsBSNLike(p.str("notitie")) {
			errs.Add("notitie", "Zet geen BSN of ander nummer van 9 cijfers in een aanmelding bij een aanbieder.")
		}
		if err := errs.Err(); err != nil {
			return err
		}
		r := Registration{CaseID: c.ID, Provider: p.str("aanbieder"), Status: p.str("status"), On: p.date("datum"), Note: p.str("notitie"),
			CreatedBy: a.User.ID, UpdatedAt: s.clock.Now().UTC()}
		if err := tx.CreateRegistration(ctx, &r); err != nil {
			return err
		}
		pr, _ := def.Policy.Provider(r.Provider)
		return s.event(ctx, tx, a, cl.ID, c.ID, 0, "aanmelding_aanbieder", fmt.Sprintf("Aangemeld bij %s (status: %s).", pr.Name, r.Status), "")
	})
}

// UpdateRegistrationStatus changes the status of a provider registration.
func (s *Service) UpdateRegistrationStatus(ctx context.Context, a Actor, caseID, regID int64, version int, status string) error {
	return s.store.Update(ctx, func(tx Tx) error {
		c, def, cl, err := s.loadParticipation(ctx, tx, a, caseID)
		if err != nil {
			return err
		}
		regs, err := tx.RegistrationsByCase(ctx, c.ID)
		if err != nil {
			return err
		}
		valid := false
		for _, st := range RegistrationStatuses {
			valid = valid || st == status
		}
		if !valid {
			return &Error{Code: CodeInvalid, Message: "Kies een geldige status.", Fields: Fields{"status": "Kies een geldige status."}}
		}
		for _, r := range regs {
			if r.ID != regID {
				continue
			}
			if r.Version != version {
				return Conflict("Een collega heeft deze aanmelding intussen gewijzigd. Controleer de status en probeer opnieuw.")
			}
			r.Status, r.UpdatedAt = status, s.clock.Now().UTC()
			if err := tx.UpdateRegistration(ctx, &r); err != nil {
				return staleAsConflict(err)
			}
			pr, _ := def.Policy.Provider(r.Provider)
			return s.event(ctx, tx, a, cl.ID, c.ID, 0, "aanmelding_aanbieder", fmt.Sprintf("Aanmelding bij %s: status %s.", pr.Name, status), "")
		}
		return NotFound("De aanmelding")
	})
}

// AddTrajectory creates a trajectory registration with its activities.
func (s *Service) AddTrajectory(ctx context.Context, a Actor, caseID int64, v Values) error {
	return s.store.Update(ctx, func(tx Tx) error {
		c, def, _, err := s.loadParticipation(ctx, tx, a, caseID)
		if err != nil {
			return err
		}
		p, errs := validate(TrajectoryForm(def), v, nil)
		if err := errs.Err(); err != nil {
			return err
		}
		_, err = s.addTrajectory(ctx, tx, a, def, c, p.str("aanbieder"), p.str("titel"), p.date("start"), p.str("activiteiten"))
		return err
	})
}

func (s *Service) addTrajectory(ctx context.Context, tx Tx, a Actor, def *process.Definition, c Case, provider, title string, start time.Time, activities string) (Trajectory, error) {
	t := Trajectory{CaseID: c.ID, Provider: provider, Title: title, Status: TrajectoryRunning, StartOn: start, CreatedBy: a.User.ID, CreatedAt: s.clock.Now().UTC()}
	for _, line := range strings.Split(activities, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			t.Activities = append(t.Activities, Activity{Description: line})
		}
	}
	if err := tx.CreateTrajectory(ctx, &t); err != nil {
		return Trajectory{}, err
	}
	name := "eigen traject"
	if pr, ok := def.Policy.Provider(provider); ok {
		name = pr.Name
	}
	return t, s.event(ctx, tx, a, c.ClientID, c.ID, 0, "traject", fmt.Sprintf("Trajectregistratie %q (%s) aangemaakt met %d activiteit(en).", title, name, len(t.Activities)), "")
}

// FinishTrajectory ends a running trajectory of a participation case with a
// result. A trajectory marked to be finished ("Baanbrekend mag afgemaakt
// worden") may be finished after the case closed.
func (s *Service) FinishTrajectory(ctx context.Context, a Actor, caseID, trajectoryID int64, result string) error {
	result = strings.TrimSpace(result)
	if !process.MayGuide(a.Roles()) {
		return Forbidden("Alleen klantmanagers werken in het participatiedossier.")
	}
	if result == "" {
		return &Error{Code: CodeInvalid, Message: "Vul het resultaat van het traject in.", Fields: Fields{"resultaat": "Vul het resultaat van het traject in."}}
	}
	return s.store.Update(ctx, func(tx Tx) error {
		c, err := tx.CaseByID(ctx, caseID)
		if err != nil {
			return notFoundAs(err, "Het participatiedossier")
		}
		trs, err := tx.TrajectoriesByCase(ctx, c.ID)
		if err != nil {
			return err
		}
		for _, t := range trs {
			if t.ID != trajectoryID {
				continue
			}
			if t.Status != TrajectoryRunning {
				return Conflict("Dit traject is al beëindigd.")
			}
			if !c.Open() && !t.MayFinish {
				return Conflict("Dit dossier is afgesloten.")
			}
			t.Status, t.EndOn, t.Result = TrajectoryFinished, s.today(), result
			if err := tx.UpdateTrajectory(ctx, t); err != nil {
				return err
			}
			return s.event(ctx, tx, a, c.ClientID, c.ID, 0, "traject", fmt.Sprintf("Traject %q afgerond.", t.Title), result)
		}
		return NotFound("Het traject")
	})
}

// containsBSNLike reports whether text holds a run of nine digits.
func containsBSNLike(s string) bool {
	run := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			run++
			if run == 9 {
				return true
			}
		} else if r != ' ' && r != '.' {
			run = 0
		}
	}
	return false
}
