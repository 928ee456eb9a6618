package worker_test

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/jobs"
	"github.com/bar-organisatie/werkdiagnose/internal/mailer/mailtest"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// The reminder and digest tests run the service on a manual clock that
// stands in the past of the real clock River schedules by: Monday 2 March
// 2026, 09:00. The sweep of due reminders runs every 50 ms of real time
// (sweeping), and the service's clock alone says whether a reminder's time has
// come: before it, a sweep leaves the reminder planned; after the test
// moves the clock on, the next sweep sends it or lets it lapse.
var past = time.Date(2026, 3, 2, 9, 0, 0, 0, process.Amsterdam)

// parallelEngines runs fn on each engine, at the same time as each other
// and as the other parallel tests: they mostly wait for River.
func parallelEngines(t *testing.T, fn func(t *testing.T, engine string)) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			fn(t, engine)
		})
	}
}

// reminderOf returns the reminder of kind planned for a task.
func reminderOf(t *testing.T, e *casetest.Env, taskID int64, kind string) casework.Reminder {
	t.Helper()
	var out []casework.Reminder
	if err := e.DB.View(ctx, func(tx casework.Tx) error {
		rs, err := tx.ListReminders(ctx, casework.ReminderFilter{TaskID: taskID})
		for _, r := range rs {
			if r.Kind == kind {
				out = append(out, r)
			}
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 {
		t.Fatalf("task %d has %d reminders of kind %s, want 1", taskID, len(out), kind)
	}
	return out[0]
}

// jobClient is a River client on the test's database that works no jobs:
// the test inserts, reads and retries jobs with it.
func jobClient(t *testing.T, e *casetest.Env) *river.Client[*sql.Tx] {
	t.Helper()
	c, stop, err := e.DB.NewJobClient(ctx, &river.Config{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return c
}

// sweeps counts the completed sweeps of due reminders.
func sweeps(t *testing.T, c *river.Client[*sql.Tx]) int {
	t.Helper()
	res, err := c.JobList(ctx, river.NewJobListParams().Kinds(jobs.RemindDue{}.Kind()).
		States(rivertype.JobStateCompleted).First(10_000))
	if err != nil {
		t.Fatal(err)
	}
	return len(res.Jobs)
}

// swept waits until a whole sweep ran after it was called: at most one
// sweep is live at a time, so of two more completed ones, the second
// began after the call.
func swept(t *testing.T, c *river.Client[*sql.Tx]) {
	t.Helper()
	before := sweeps(t, c)
	waitUntil(t, 20*time.Second, "a sweep of the due reminders ran", func() bool { return sweeps(t, c) >= before+2 })
}

// brief lists messages by kind, task and recipient, for failure output.
func brief(ms []casework.Message) string {
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, "[%s about task %d to %s] ", m.Kind, m.TaskID, m.To)
	}
	return b.String()
}

func ofKind(ms []casework.Message, kind string) []casework.Message {
	var out []casework.Message
	for _, m := range ms {
		if m.Kind == kind {
			out = append(out, m)
		}
	}
	return out
}

// mailsOf returns the mails the SMTP server accepted for message m: those
// with its Message-ID. Each must be addressed to m's recipient only.
func mailsOf(t *testing.T, s *mailtest.Server, m casework.Message) []mailtest.Parsed {
	t.Helper()
	var out []mailtest.Parsed
	for _, r := range s.Received() {
		p, err := mailtest.Parse(r.Data)
		if err != nil {
			t.Fatal(err)
		}
		if p.Header.Get("Message-Id") != m.MessageID {
			continue
		}
		if len(r.To) != 1 || r.To[0] != m.To {
			t.Errorf("%s: envelope to %v, want %s", m.Kind, r.To, m.To)
		}
		out = append(out, p)
	}
	return out
}

// TestReminderJobs: the worker's sweep leaves a reminder planned until its
// time, then sends it for a task still open — to the team mailbox, as
// nobody picked the task up — and lets it lapse unsent for a task
// completed meanwhile. No River job is written per reminder.
func TestReminderJobs(t *testing.T) {
	parallelEngines(t, func(t *testing.T, engine string) {
		e := casetest.New(t, engine)
		// Two clients whose "Verwerking aanmelding participatie" (Team
		// Ondersteuning, 1-week term) falls due on the same day.
		var tasks [2]casework.Task
		for i := range tasks {
			e.Clock.Set(past)
			tasks[i] = e.WalkTo(t, e.Apply(t), "", process.StepVerwerkingAanmelding)
		}
		open, done := tasks[0], tasks[1]
		if open.HolderID != 0 || !open.DueOn.Equal(done.DueOn) {
			t.Fatalf("want two unassigned tasks due the same day: holder %d, due %s and %s", open.HolderID, open.DueOn, done.DueOn)
		}
		openR := reminderOf(t, e, open.ID, casework.ReminderBeforeDue)
		doneR := reminderOf(t, e, done.ID, casework.ReminderBeforeDue)
		if !e.Clock.Now().Before(openR.SendAt) {
			t.Fatalf("the walk ran past the reminder (%s)", openR.SendAt)
		}
		// The second task is done before its reminder's time.
		e.WalkTo(t, casework.Case{ClientID: done.ClientID}, "", process.StepIntakeWerkdiagnose)
		if !e.Clock.Now().Before(doneR.SendAt) {
			t.Fatalf("the walk ran past the reminder (%s)", doneR.SendAt)
		}

		sink := mailtest.Start(t)
		jc := jobClient(t, e)
		if n, err := e.DB.JobCount(ctx, jobs.Remind{}.Kind()); err != nil || len(n) != 0 {
			t.Fatalf("reminder jobs %v (%v), want none: the sweep finds reminders", n, err)
		}
		start(t, e, smtpConfig(sink), sweeping(fast(3)))
		swept(t, jc)
		for _, id := range []int64{openR.ID, doneR.ID} {
			if r := e.Reminder(t, id); r.Status != casework.ReminderPlanned {
				t.Errorf("reminder %d is %s before its time, want %s", id, r.Status, casework.ReminderPlanned)
			}
		}
		if ms := ofKind(messages(t, e), casework.ReminderKindNames[casework.ReminderBeforeDue]); len(ms) != 0 {
			t.Fatalf("%d reminders written before their time", len(ms))
		}

		e.Clock.Set(openR.SendAt)
		waitUntil(t, 20*time.Second, "both reminders are settled", func() bool {
			return e.Reminder(t, openR.ID).Status != casework.ReminderPlanned &&
				e.Reminder(t, doneR.ID).Status != casework.ReminderPlanned
		})

		top, _ := e.Svc.Definition().Policy.Team(process.TeamOndersteuning)
		sent := e.Reminder(t, openR.ID)
		ms := ofKind(messages(t, e), casework.ReminderKindNames[casework.ReminderBeforeDue])
		if sent.Status != casework.ReminderSent || len(ms) != 1 || sent.MessageID != ms[0].ID {
			t.Fatalf("open task: reminder %s (message %d), reminder messages %s; want one, sent", sent.Status, sent.MessageID, brief(ms))
		}
		if ms[0].TaskID != open.ID || ms[0].To != top.Mailbox {
			t.Errorf("reminder about task %d to %s, want task %d to the team mailbox %s", ms[0].TaskID, ms[0].To, open.ID, top.Mailbox)
		}
		lapsed := e.Reminder(t, doneR.ID)
		if lapsed.Status != casework.ReminderObsolete || lapsed.MessageID != 0 || !strings.Contains(lapsed.Note, "afgerond") {
			t.Errorf("done task: reminder %s, message %d, note %q; want %s without a message, noting the task is done",
				lapsed.Status, lapsed.MessageID, lapsed.Note, casework.ReminderObsolete)
		}

		// A reminder's own job, as databases from before the sweep hold,
		// is still worked, and firing a sent reminder again sends nothing.
		res, err := jc.Insert(ctx, jobs.Remind{ReminderID: openR.ID}, nil)
		if err != nil {
			t.Fatal(err)
		}
		waitUntil(t, 20*time.Second, "the reminder's own job completed", func() bool {
			j, err := jc.JobGet(ctx, res.Job.ID)
			if err != nil {
				t.Fatal(err)
			}
			return j.State == rivertype.JobStateCompleted
		})
		if again := ofKind(messages(t, e), casework.ReminderKindNames[casework.ReminderBeforeDue]); len(again) != 1 {
			t.Errorf("%d reminder messages after the reminder's own job ran too, want 1", len(again))
		}

		// The reminder reaches the mailbox over SMTP, naming the step and
		// linking the task.
		waitUntil(t, 20*time.Second, "the reminder is delivered", func() bool { return len(mailsOf(t, sink, ms[0])) > 0 })
		if got := mailsOf(t, sink, ms[0]); len(got) != 1 || !strings.Contains(got[0].Subject(), "Verwerking aanmelding") || !strings.Contains(got[0].Text, "/taken/") {
			t.Errorf("%d reminder mails to %s; first: %q\n%s", len(got), top.Mailbox, got[0].Subject(), got[0].Text)
		}
	})
}

// TestReminderTermMoved: when a suspension moves the decision term, the
// reminder planned for the old term lapses when its time comes, and the
// one planned for the new term waits for its own time and then goes to the
// task's holder.
func TestReminderTermMoved(t *testing.T) {
	parallelEngines(t, func(t *testing.T, engine string) {
		e := casetest.New(t, engine)
		e.Clock.Set(past)
		app := e.Apply(t)
		task := e.WalkTo(t, app, "", process.StepBeoordelingDoelgroep) // the decision term, held by a Poortwachter
		holder := e.UserByID(t, task.HolderID)
		if task.Term != process.TermDecision || holder.Email == "" {
			t.Fatalf("want a held task with the decision term: term %s, holder %q", task.Term, holder.Email)
		}
		old := reminderOf(t, e, task.ID, casework.ReminderBeforeDue)

		// Suspended for two weeks: the term, and the reminder, move on.
		begin := process.AddDays(app.AppliedOn, 1)
		if err := e.Svc.AddSuspension(ctx, e.Actor(process.RolePoortwachter), app.ID, casework.Values{
			process.FieldStart: {casework.FormatDate(begin)}, process.FieldConsentUntil: {casework.FormatDate(process.AddDays(begin, 13))},
			process.FieldReason: {"Uitstel met instemming"},
		}); err != nil {
			t.Fatalf("suspend: %v %v", err, casework.FieldErrors(err))
		}
		var moved casework.Reminder
		if err := e.DB.View(ctx, func(tx casework.Tx) error {
			rs, err := tx.ListReminders(ctx, casework.ReminderFilter{TaskID: task.ID, Status: casework.ReminderPlanned})
			for _, r := range rs {
				if r.Kind == casework.ReminderBeforeDue && r.ID != old.ID {
					moved = r
				}
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if moved.ID == 0 || !moved.DueOn.After(old.DueOn) || !moved.SendAt.After(old.SendAt) {
			t.Fatalf("no reminder planned for the moved term: old %+v, new %+v", old, moved)
		}

		sink := mailtest.Start(t)
		start(t, e, smtpConfig(sink), sweeping(fast(3)))
		jc := jobClient(t, e)
		swept(t, jc)
		for _, id := range []int64{old.ID, moved.ID} {
			if r := e.Reminder(t, id); r.Status != casework.ReminderPlanned {
				t.Fatalf("reminder %d is %s before its time, want %s", id, r.Status, casework.ReminderPlanned)
			}
		}

		// The old reminder's time: it lapses, the new one keeps waiting.
		e.Clock.Set(old.SendAt)
		waitUntil(t, 20*time.Second, "the old reminder lapsed", func() bool {
			return e.Reminder(t, old.ID).Status != casework.ReminderPlanned
		})
		if r := e.Reminder(t, old.ID); r.Status != casework.ReminderObsolete || r.MessageID != 0 || !strings.Contains(r.Note, "Termijn is gewijzigd") {
			t.Errorf("old reminder: %s, message %d, note %q; want it lapsed for the moved term", r.Status, r.MessageID, r.Note)
		}
		swept(t, jc)
		if r := e.Reminder(t, moved.ID); r.Status != casework.ReminderPlanned {
			t.Errorf("new reminder is %s before its time, want %s", r.Status, casework.ReminderPlanned)
		}
		kind := casework.ReminderKindNames[casework.ReminderBeforeDue]
		if ms := ofKind(messages(t, e), kind); len(ms) != 0 {
			t.Fatalf("%d reminders written before the new reminder's time", len(ms))
		}

		// The new reminder's time: it goes to the holder.
		e.Clock.Set(moved.SendAt)
		waitUntil(t, 20*time.Second, "the new reminder is sent", func() bool {
			return e.Reminder(t, moved.ID).Status == casework.ReminderSent
		})
		ms := ofKind(messages(t, e), kind)
		if len(ms) != 1 || ms[0].To != holder.Email || ms[0].TaskID != task.ID {
			t.Fatalf("reminder messages %s; want one about task %d to the holder %s", brief(ms), task.ID, holder.Email)
		}
		if !strings.Contains(ms[0].Body, casework.FormatDate(moved.DueOn)) {
			t.Errorf("the reminder names the moved term %s:\n%s", casework.FormatDate(moved.DueOn), ms[0].Body)
		}
		waitUntil(t, 20*time.Second, "the reminder reaches the holder", func() bool { return len(mailsOf(t, sink, ms[0])) == 1 })
	})
}

// TestDigestJob: the daily-digest job writes one mail per user who turned
// the digest on and none for the others; running it again for the same day
// writes nothing more, and the next day has its own digest.
func TestDigestJob(t *testing.T) {
	parallelEngines(t, func(t *testing.T, engine string) {
		e := casetest.New(t, engine)
		e.Clock.Set(past)
		task := e.WalkTo(t, e.Apply(t), "", process.StepBeoordelingDoelgroep)
		holder := e.UserByID(t, task.HolderID)
		km := e.Users[process.RoleKMWerk] // no tasks: the digest says so
		if km.ID == holder.ID {
			t.Fatal("want two different users")
		}
		optedIn := map[string]bool{}
		for _, u := range []casework.User{holder, km} {
			if err := e.Svc.SetDailyDigest(ctx, casework.Actor{User: u}, true); err != nil {
				t.Fatal(err)
			}
			optedIn[u.Email] = true
		}
		sink := mailtest.Start(t)
		start(t, e, smtpConfig(sink), fast(3))
		jc := jobClient(t, e)

		const kind = "Dagoverzicht"
		perUser := func() map[string]int {
			n := map[string]int{}
			for _, m := range ofKind(messages(t, e), kind) {
				n[m.To]++
			}
			return n
		}
		check := func(want int) {
			t.Helper()
			got := perUser()
			for to, n := range got {
				if !optedIn[to] {
					t.Errorf("%d digest(s) for %s, who did not turn it on", n, to)
				}
			}
			for to := range optedIn {
				if got[to] != want {
					t.Errorf("%d digest(s) for %s, want %d", got[to], to, want)
				}
			}
		}
		// run inserts the day's job, or finds it, and waits until it has
		// completed attempt attempts.
		run := func(day time.Time, attempts int) *rivertype.JobRow {
			t.Helper()
			res, err := jc.Insert(ctx, jobs.Digest{Date: day.Format(time.DateOnly)}, nil)
			if err != nil {
				t.Fatal(err)
			}
			var j *rivertype.JobRow
			waitUntil(t, 20*time.Second, "the digest job of "+day.Format(time.DateOnly)+" completed", func() bool {
				var err error
				if j, err = jc.JobGet(ctx, res.Job.ID); err != nil {
					t.Fatal(err)
				}
				return j.State == rivertype.JobStateCompleted && j.Attempt == attempts
			})
			return j
		}

		day := process.Date(e.Clock.Now())
		first := run(day, 1)
		check(1)

		// The same day again: River keeps one job per day, and the job run
		// once more writes no second digest.
		res, err := jc.Insert(ctx, jobs.Digest{Date: day.Format(time.DateOnly)}, nil)
		if err != nil || !res.UniqueSkippedAsDuplicate || res.Job.ID != first.ID {
			t.Errorf("second job for the same day: %v, duplicate %v; want the first job back", err, res != nil && res.UniqueSkippedAsDuplicate)
		}
		if _, err := jc.JobRetry(ctx, first.ID); err != nil {
			t.Fatal(err)
		}
		run(day, 2)
		check(1)

		run(process.AddDays(day, 1), 1)
		check(2)

		digests := ofKind(messages(t, e), kind)
		waitUntil(t, 20*time.Second, "every digest is delivered", func() bool {
			for _, m := range digests {
				if len(mailsOf(t, sink, m)) != 1 {
					return false
				}
			}
			return true
		})
		for _, m := range digests {
			if got := mailsOf(t, sink, m)[0]; m.To == holder.Email && !strings.Contains(got.Text, "Beoordeling doelgroep") {
				t.Errorf("the holder's digest does not list the task:\n%s", got.Text)
			}
		}
	})
}
