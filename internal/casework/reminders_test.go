package casework_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	ical "github.com/emersion/go-ical"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

func ams(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, process.Amsterdam)
}

// taskDueOn walks a new client to the TOP task "Verwerking aanmelding"
// (a 1-week term) so that it falls due on due. The walk takes two days.
func taskDueOn(t *testing.T, e *casetest.Env, due time.Time) casework.Task {
	t.Helper()
	e.Clock.Set(due.AddDate(0, 0, -9).Add(9 * time.Hour))
	app := e.Apply(t)
	task := e.WalkTo(t, app, "", process.StepVerwerkingAanmelding)
	if !task.DueOn.Equal(due) {
		t.Fatalf("task due %s, want %s: the walk changed length", task.DueOn, due)
	}
	return task
}

func reminders(t *testing.T, e *casetest.Env, f casework.ReminderFilter) map[string]casework.Reminder {
	t.Helper()
	out := map[string]casework.Reminder{}
	err := e.DB.View(ctx, func(tx casework.Tx) error {
		rs, err := tx.ListReminders(ctx, f)
		for _, r := range rs {
			out[r.Kind] = r
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func outbox(t *testing.T, e *casetest.Env, kind string) []casework.Message {
	t.Helper()
	ms, err := e.Svc.Outbox(ctx, e.Actor(process.RoleTeamleider), casework.MessageFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []casework.Message
	for _, m := range ms {
		if m.Kind == kind {
			out = append(out, m)
		}
	}
	return out
}

// TestReminderTimes checks when reminders go out, with an injected clock,
// across weekends and public holidays: 2 working days before a 1-week term
// to the holder (here the team mailbox: nobody picked the task up), and on
// the first working day after it to the team lead.
func TestReminderTimes(t *testing.T) {
	for _, c := range []struct {
		name            string
		due             time.Time
		before, overdue time.Time
	}{
		// Wed 28 Apr is 1, Tue 27 Apr is Koningsdag, Mon 26 Apr is 2.
		{"Koningsdag", ams(2027, 4, 29, 0, 0), ams(2027, 4, 26, 8, 0), ams(2027, 4, 30, 8, 0)},
		// Back across Christmas 2026 (Fri 25) and the weekend: Thu 24 is 1, Wed 23 is 2.
		{"Kerst", ams(2026, 12, 28, 0, 0), ams(2026, 12, 23, 8, 0), ams(2026, 12, 29, 8, 0)},
		// Due on a Friday: overdue on Monday, after the weekend.
		{"weekend", ams(2027, 3, 19, 0, 0), ams(2027, 3, 17, 8, 0), ams(2027, 3, 22, 8, 0)},
		// Due on Thursday before Easter 2027: Goede Vrijdag is open by
		// default, so the team lead hears on Friday 26 March.
		{"Goede Vrijdag open", ams(2027, 3, 25, 0, 0), ams(2027, 3, 23, 8, 0), ams(2027, 3, 26, 8, 0)},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := casetest.New(t, "sqlite")
			task := taskDueOn(t, e, c.due)
			rs := reminders(t, e, casework.ReminderFilter{TaskID: task.ID})
			if got := rs[casework.ReminderBeforeDue].SendAt; !got.Equal(c.before) {
				t.Errorf("reminder at %s, want %s", got.In(process.Amsterdam), c.before)
			}
			if got := rs[casework.ReminderOverdue].SendAt; !got.Equal(c.overdue) {
				t.Errorf("overdue notice at %s, want %s", got.In(process.Amsterdam), c.overdue)
			}
		})
	}
}

// TestFireReminders sends the reminders of a task as the clock passes
// them, each once, and lets them lapse when the task is done.
func TestFireReminders(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		task := taskDueOn(t, e, ams(2027, 4, 29, 0, 0))
		rs := reminders(t, e, casework.ReminderFilter{TaskID: task.ID})
		before, overdue := rs[casework.ReminderBeforeDue], rs[casework.ReminderOverdue]

		// Too early (Sunday evening): nothing is sent, it asks to come back.
		e.Clock.Set(ams(2027, 4, 25, 20, 0))
		again, err := e.Svc.FireReminder(ctx, before.ID)
		if err != nil || !again.Equal(before.SendAt) {
			t.Fatalf("early fire = %v, %v; want to come back at %v", again, err, before.SendAt)
		}
		if n := len(outbox(t, e, "Herinnering termijn")); n != 0 {
			t.Fatalf("%d reminders sent early", n)
		}
		e.Clock.Set(ams(2027, 4, 26, 8, 0))
		for range 2 { // a second firing (another instance, a retry) sends nothing more
			if again, err := e.Svc.FireReminder(ctx, before.ID); err != nil || !again.IsZero() {
				t.Fatalf("fire = %v, %v", again, err)
			}
		}
		sent := outbox(t, e, "Herinnering termijn")
		top, _ := e.Svc.Definition().Policy.Team(process.TeamOndersteuning)
		if len(sent) != 1 || sent[0].To != top.Mailbox || !strings.Contains(sent[0].Subject, "Verwerking aanmelding") {
			t.Fatalf("reminders = %+v, want one to %s", sent, top.Mailbox)
		}
		if strings.Contains(sent[0].Body, "BSN") || !strings.Contains(sent[0].Body, "29-04-2027") {
			t.Errorf("reminder text: %s", sent[0].Body)
		}

		// Overdue: every team lead is told.
		e.Clock.Set(ams(2027, 4, 30, 8, 0))
		if _, err := e.Svc.FireReminder(ctx, overdue.ID); err != nil {
			t.Fatal(err)
		}
		leads := outbox(t, e, "Termijn verlopen")
		lead := e.Users[process.RoleTeamleider]
		if len(leads) == 0 || !slicesContainsTo(leads, lead.Email) {
			t.Fatalf("overdue notices = %+v, want one to %s", leads, lead.Email)
		}

		// A task done before its reminder: the reminder lapses unsent.
		done := taskDueOn(t, e, ams(2027, 5, 20, 0, 0))
		e.WalkTo(t, casework.Case{ClientID: done.ClientID}, "", process.StepIntakeWerkdiagnose)
		r := reminders(t, e, casework.ReminderFilter{TaskID: done.ID})[casework.ReminderBeforeDue]
		e.Clock.Set(r.SendAt)
		if _, err := e.Svc.FireReminder(ctx, r.ID); err != nil {
			t.Fatal(err)
		}
		r = reminders(t, e, casework.ReminderFilter{TaskID: done.ID})[casework.ReminderBeforeDue]
		if r.Status != casework.ReminderObsolete || !strings.Contains(r.Note, "afgerond") {
			t.Errorf("reminder of a finished task: %s (%s)", r.Status, r.Note)
		}
	})
}

// TestFireDue: the sweep fires the reminders whose time has come on the
// service's clock, and only those; a second sweep finds nothing left.
func TestFireDue(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		task := taskDueOn(t, e, ams(2027, 4, 29, 0, 0))
		rs := reminders(t, e, casework.ReminderFilter{TaskID: task.ID})
		before, overdue := rs[casework.ReminderBeforeDue], rs[casework.ReminderOverdue]
		status := func(id int64) string { t.Helper(); return e.Reminder(t, id).Status }
		sweep := func() casework.Sweep {
			t.Helper()
			res, err := e.Svc.FireDue(ctx)
			if err != nil || len(res.Failed) != 0 {
				t.Fatalf("FireDue = %+v, %v", res, err)
			}
			return res
		}

		// The reminder's time: it goes; the overdue notice waits.
		e.Clock.Set(before.SendAt)
		if res := sweep(); res.Fired == 0 {
			t.Fatal("the sweep at the reminder's time fired nothing")
		}
		if got := status(before.ID); got != casework.ReminderSent {
			t.Errorf("reminder %s after the sweep at its time, want %s", got, casework.ReminderSent)
		}
		if got := status(overdue.ID); got != casework.ReminderPlanned {
			t.Errorf("overdue notice %s before its time, want %s", got, casework.ReminderPlanned)
		}
		if n := len(outbox(t, e, "Herinnering termijn")); n != 1 {
			t.Errorf("%d reminders written, want 1", n)
		}
		if res := sweep(); res.Fired != 0 {
			t.Errorf("a second sweep at the same time fired %d, want 0", res.Fired)
		}

		e.Clock.Set(overdue.SendAt)
		sweep()
		if got := status(overdue.ID); got != casework.ReminderSent {
			t.Errorf("overdue notice %s after the sweep at its time, want %s", got, casework.ReminderSent)
		}
		if n := len(outbox(t, e, "Termijn verlopen")); n == 0 {
			t.Error("no overdue notice written")
		}
	})
}

func slicesContainsTo(ms []casework.Message, to string) bool {
	for _, m := range ms {
		if m.To == to {
			return true
		}
	}
	return false
}

// invitation parses a message's calendar attachment with an independent
// parser and returns its method and event.
func invitation(t *testing.T, m casework.Message) (string, *ical.Event) {
	t.Helper()
	cal, err := ical.NewDecoder(strings.NewReader(m.Attachment)).Decode()
	if err != nil {
		t.Fatalf("%s: %v\n%s", m.Kind, err, m.Attachment)
	}
	method, _ := cal.Props.Text(ical.PropMethod)
	ev := cal.Events()
	if len(ev) != 1 {
		t.Fatalf("%d events", len(ev))
	}
	return method, &ev[0]
}

func prop(t *testing.T, ev *ical.Event, name string) string {
	t.Helper()
	p := ev.Props.Get(name)
	if p == nil {
		t.Fatalf("no %s", name)
	}
	return p.Value
}

// TestAppointmentInvitations: planning the intake invites client and
// klantmanager with one calendar entry; moving it sends an update of the
// same entry and frees the old room; cancelling sends a cancellation.
func TestAppointmentInvitations(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		app := e.Apply(t)
		e.WalkTo(t, app, "", process.StepIntakeWerkdiagnose)
		file := e.File(t, app.ClientID)
		if len(file.Appointments) != 1 {
			t.Fatalf("%d appointments", len(file.Appointments))
		}
		ap := file.Appointments[0]
		e.Clock.Set(ap.CreatedAt.Add(time.Minute)) // the walk went on past the booking
		mailbox := e.Svc.Definition().Policy.ClientMailbox
		check := func(kinds [2]string, method string, seq string, start time.Time, room string) {
			t.Helper()
			for _, kind := range kinds {
				ms := outbox(t, e, kind)
				if len(ms) != 1 {
					t.Fatalf("%d messages of kind %q", len(ms), kind)
				}
				got, ev := invitation(t, ms[0])
				if got != method || prop(t, ev, ical.PropUID) != ap.UID || prop(t, ev, ical.PropSequence) != seq {
					t.Errorf("%s: method %s uid %s seq %s", kind, got, prop(t, ev, ical.PropUID), prop(t, ev, ical.PropSequence))
				}
				dt, err := ev.DateTimeStart(nil)
				if err != nil || !dt.Equal(start) || ev.Props.Get(ical.PropDateTimeStart).Params.Get(ical.ParamTimezoneID) != "Europe/Amsterdam" {
					t.Errorf("%s: DTSTART %v (%v), want %v in Europe/Amsterdam", kind, dt, err, start)
				}
				if !strings.Contains(prop(t, ev, ical.PropLocation), room) || !strings.EqualFold(prop(t, ev, ical.PropOrganizer), "mailto:"+mailbox) {
					t.Errorf("%s: location %q organizer %q", kind, prop(t, ev, ical.PropLocation), prop(t, ev, ical.PropOrganizer))
				}
				if len(ev.Props.Values(ical.PropAttendee)) != 2 {
					t.Errorf("%s: want client and klantmanager as attendees", kind)
				}
				if method == "CANCEL" && prop(t, ev, ical.PropStatus) != "CANCELLED" {
					t.Errorf("%s: status %s", kind, prop(t, ev, ical.PropStatus))
				}
				if kind == kinds[0] && ms[0].From != mailbox {
					t.Errorf("client mail from %s, want the shared mailbox %s", ms[0].From, mailbox)
				}
			}
		}
		room1, _ := e.Svc.Config().Room(ap.Room)
		check([2]string{"Uitnodiging klant", "Afspraak klantmanager"}, "REQUEST", "0", ap.StartAt, room1.Name)

		// Move to the next week, another room.
		top := e.Actor(process.RoleTeamOndersteuning)
		newStart := process.Date(ap.StartAt).AddDate(0, 0, 7).Add(11 * time.Hour)
		other := "sk3"
		if ap.Room == other {
			other = "sk2"
		}
		room2, _ := e.Svc.Config().Room(other)
		move := casework.Values{process.FieldDate: {casework.FormatDate(newStart)}, process.FieldTime: {"11:00"},
			process.FieldDuration: {"60"}, process.FieldRoom: {other}}
		if err := e.Svc.MoveAppointment(ctx, top, ap.ID, ap.Sequence, move); err != nil {
			t.Fatal(err)
		}
		check([2]string{"Verplaatsing klant", "Verplaatsing klantmanager"}, "REQUEST", "1", newStart, room2.Name)
		// The form was built on sequence 0: a second save is a conflict.
		wantField(t, e.Svc.MoveAppointment(ctx, top, ap.ID, ap.Sequence, move), casework.CodeConflict, "", "")

		// The old room and the klantmanager's old time are free again.
		km := casework.Actor{User: e.UserByID(t, ap.KlantmanagerID)}
		old := casework.Values{process.FieldDate: {casework.FormatDate(ap.StartAt)}, process.FieldTime: {ap.StartAt.In(process.Amsterdam).Format("15:04")},
			process.FieldDuration: {"60"}, process.FieldRoom: {ap.Room}}
		if err := e.Svc.PlanFollowUp(ctx, km, ap.CaseID, old); err != nil {
			t.Fatalf("booking the freed slot: %v %v", err, casework.FieldErrors(err))
		}

		if err := e.Svc.CancelAppointment(ctx, top, ap.ID); err != nil {
			t.Fatal(err)
		}
		check([2]string{"Annulering klant", "Annulering klantmanager"}, "CANCEL", "2", newStart, room2.Name)
		// The cancelled appointment's room is free: book it again.
		if err := e.Svc.PlanFollowUp(ctx, km, ap.CaseID, move); err != nil {
			t.Fatalf("booking the cancelled slot: %v", err)
		}
	})
}

// TestConcurrentMove: two colleagues move two appointments into the same
// room at the same moment. One wins; the other gets a clear message and
// nothing of theirs is stored.
func TestConcurrentMove(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		var aps []casework.Appointment
		for range 2 {
			app := e.Apply(t)
			e.WalkTo(t, app, "", process.StepIntakeWerkdiagnose)
			aps = append(aps, e.File(t, app.ClientID).Appointments[0])
		}
		target := process.Date(e.Clock.Now()).AddDate(0, 0, 14)
		for !e.Svc.Calendar().IsWorkday(target) {
			target = target.AddDate(0, 0, 1)
		}
		v := casework.Values{process.FieldDate: {casework.FormatDate(target)}, process.FieldTime: {"14:00"},
			process.FieldDuration: {"45"}, process.FieldRoom: {"sk1"}}
		actors := []casework.Actor{e.Actor(process.RoleTeamOndersteuning), e.Actor(process.RoleTeamleider)}
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i := range 2 {
			wg.Go(func() { errs[i] = e.Svc.MoveAppointment(ctx, actors[i], aps[i].ID, aps[i].Sequence, v) })
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			if err == nil {
				won++
				continue
			}
			wantField(t, err, casework.CodeConflict, process.FieldRoom, "al (deels) geboekt")
		}
		if won != 1 {
			t.Fatalf("%d moves won (%v), want exactly 1", won, errs)
		}
	})
}

// TestDailyDigest: a user who turned the digest on gets one mail per day
// with their open tasks, however often the job runs.
func TestDailyDigest(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		poort := e.Actor(process.RolePoortwachter)
		if err := e.Svc.SetDailyDigest(ctx, e.Actor(process.RoleBeheerder), true); casework.ErrorCode(err) != casework.CodeForbidden {
			t.Errorf("digest for a beheerder: %v, want forbidden", err)
		}
		if err := e.Svc.SetDailyDigest(ctx, poort, true); err != nil {
			t.Fatal(err)
		}
		app := e.Apply(t)
		task := e.WalkTo(t, app, "", process.StepBeoordelingDoelgroep) // held by a Poortwachter
		holder := e.UserByID(t, task.HolderID)
		if holder.ID != poort.User.ID {
			if err := e.Svc.SetDailyDigest(ctx, casework.Actor{User: holder}, true); err != nil {
				t.Fatal(err)
			}
		}
		day := process.Date(e.Clock.Now())
		for range 2 {
			if _, err := e.Svc.SendDigests(ctx, day); err != nil {
				t.Fatal(err)
			}
		}
		var mine []casework.Message
		for _, m := range outbox(t, e, "Dagoverzicht") {
			if m.To == holder.Email {
				mine = append(mine, m)
			}
		}
		if len(mine) != 1 {
			t.Fatalf("%d digests for %s, want 1", len(mine), holder.Name)
		}
		if !strings.Contains(mine[0].Body, "Beoordeling doelgroep") || !strings.Contains(mine[0].Body, "/taken/") ||
			strings.Contains(mine[0].Body, app.Code+" "+e.File(t, app.ClientID).Client.FamilyName) {
			t.Errorf("digest body:\n%s", mine[0].Body)
		}
		if err := e.Svc.SetDailyDigest(ctx, casework.Actor{User: holder}, false); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Svc.SendDigests(ctx, day.AddDate(0, 0, 1)); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, m := range outbox(t, e, "Dagoverzicht") {
			if m.To == holder.Email {
				n++
			}
		}
		if n != 1 {
			t.Errorf("after turning it off: %d digests for %s, want still 1", n, holder.Name)
		}
	})
}
