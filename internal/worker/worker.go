// Package worker works the background jobs of werkdiagnose on River:
// delivering outbox messages, firing reminders and writing the daily
// digest. Any number of instances may run it against one database: River
// hands each job to one worker at a time, a job whose worker died is
// rescued after RescueAfter, and periodic jobs run on the elected leader
// only. Mails keep their Message-ID over retries, so a mail sent again
// after a crash is recognisable as the same mail.
package worker

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/mail"
	"time"

	"github.com/riverqueue/river"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/jobs"
	"github.com/bar-organisatie/werkdiagnose/internal/mailer"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/settings"
)

// JobClients makes River clients on the database the jobs are stored in.
// The store is one: it inserts the jobs in the transactions that cause
// them, so the client that works them must use the same driver. stop
// releases what the client needed besides the pool (on PostgreSQL, the
// connection that listens for new jobs); call it after the client stopped.
type JobClients interface {
	NewJobClient(ctx context.Context, cfg *river.Config) (client *river.Client[*sql.Tx], stop func(), err error)
}

// Worker is a running River client with the application's workers.
type Worker struct {
	client *river.Client[*sql.Tx]
	stop   func()
}

// Start starts working jobs on db's River tables until Stop.
func Start(ctx context.Context, db JobClients, svc *casework.Service, sender mailer.Sender, cfg settings.Worker, log *slog.Logger) (*Worker, error) {
	t, err := cfg.Durations()
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.Default()
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &deliverer{svc: svc, sender: sender, t: t, attempts: cfg.MaxAttempts, log: log})
	river.AddWorker(workers, &reminder{svc: svc})
	river.AddWorker(workers, &sweeper{svc: svc, log: log})
	river.AddWorker(workers, &digester{svc: svc})
	river.AddWorker(workers, &retentionRunner{svc: svc})
	river.AddWorker(workers, &auditPurger{svc: svc, log: log})
	policy := svc.Definition().Policy.Reminders
	cal := svc.Calendar()
	client, stop, err := db.NewJobClient(ctx, &river.Config{
		Queues: map[string]river.QueueConfig{
			jobs.QueueMail:    {MaxWorkers: cfg.MailWorkers},
			jobs.QueueLetters: {MaxWorkers: 1}, // one letter printed at a time

			jobs.QueueReminders: {MaxWorkers: 4},
		},
		Workers:              workers,
		MaxAttempts:          cfg.MaxAttempts,
		JobTimeout:           t.JobTimeout,
		RescueStuckJobsAfter: t.RescueAfter,
		FetchPollInterval:    t.PollInterval,
		FetchCooldown:        min(t.PollInterval, 100*time.Millisecond),
		Logger:               slog.New(warnings{log.Handler()}).With("component", "river"),
		PeriodicJobs: []*river.PeriodicJob{
			river.NewPeriodicJob(river.PeriodicInterval(t.ReminderInterval), func() (river.JobArgs, *river.InsertOpts) {
				return jobs.RemindDue{}, nil
			}, &river.PeriodicJobOpts{ID: "herinneringen_versturen"}),
			river.NewPeriodicJob(digestSchedule{policy, cal}, func() (river.JobArgs, *river.InsertOpts) {
				return jobs.Digest{Date: process.Date(time.Now()).Format(time.DateOnly)}, nil
			}, &river.PeriodicJobOpts{ID: "dagoverzicht"}),
			river.NewPeriodicJob(retentionSchedule{svc.Config().Retention}, func() (river.JobArgs, *river.InsertOpts) {
				return jobs.Retention{Date: process.Date(time.Now()).Format(time.DateOnly)}, nil
			}, &river.PeriodicJobOpts{ID: "bewaartermijnen"}),
			river.NewPeriodicJob(auditPurgeSchedule{}, func() (river.JobArgs, *river.InsertOpts) {
				return jobs.AuditPurge{Date: process.Date(time.Now()).Format(time.DateOnly)}, nil
			}, &river.PeriodicJobOpts{ID: "auditlog_opschonen"}),
		},
	})
	if err != nil {
		return nil, err
	}
	if err := client.Start(ctx); err != nil {
		stop()
		return nil, fmt.Errorf("worker: start: %w", err)
	}
	log.InfoContext(ctx, "worker started", "mail_workers", cfg.MailWorkers, "max_attempts", cfg.MaxAttempts)
	return &Worker{client: client, stop: stop}, nil
}

// Stop lets running jobs finish (until ctx ends) and stops.
func (w *Worker) Stop(ctx context.Context) error {
	err := w.client.Stop(ctx)
	w.stop()
	return err
}

// backoff is the wait after attempt n (1-based): base, 2×base, 4×base, ...
// up to max.
func backoff(n int, base, max time.Duration) time.Duration {
	d := time.Duration(float64(base) * math.Pow(2, float64(n-1)))
	if d > max || d <= 0 {
		return max
	}
	return d
}

// deliverer sends one outbox message per job.
type deliverer struct {
	river.WorkerDefaults[jobs.Deliver]
	svc      *casework.Service
	sender   mailer.Sender
	t        settings.WorkerDurations
	attempts int // from the configuration, not the job: jobs are inserted by the store's client
	log      *slog.Logger
}

func (w *deliverer) NextRetry(job *river.Job[jobs.Deliver]) time.Time {
	return time.Now().Add(backoff(job.Attempt, w.t.RetryBase, w.t.RetryMax))
}

func (w *deliverer) Timeout(*river.Job[jobs.Deliver]) time.Duration { return w.t.JobTimeout }

func (w *deliverer) Work(ctx context.Context, job *river.Job[jobs.Deliver]) error {
	m, err := w.svc.Outgoing(ctx, job.Args.MessageID)
	if errors.Is(err, casework.ErrNotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if m.Status != casework.MessageWaiting && m.Status != casework.MessageRetrying {
		// Sent by an earlier attempt, given up on (a retry re-queues it
		// first), or a letter to print (per post), which is never mailed.
		return nil
	}
	sendErr := w.sender.Send(ctx, Mail(m))
	at := casework.Attempt{Err: sendErr}
	if sendErr != nil {
		at.Permanent = mailer.IsPermanent(sendErr)
		at.Final = job.Attempt >= w.attempts
		at.Next = w.NextRetry(job)
	}
	// The log names the message by id only: no subject, and addresses in a
	// server's answer are masked.
	log := w.log.With("message_id", m.ID, "attempt", job.Attempt)
	logErr := func(err error) string { return casework.RedactEmails(err.Error()) }
	if err := w.svc.RecordDelivery(context.WithoutCancel(ctx), m.ID, at); err != nil {
		log.ErrorContext(ctx, "record delivery", "err", logErr(err))
		return err
	}
	switch {
	case sendErr == nil:
		log.InfoContext(ctx, "mail sent")
		return nil
	case at.Permanent || at.Final:
		log.WarnContext(ctx, "mail failed", "permanent", at.Permanent, "err", logErr(sendErr))
		return river.JobCancel(redacted{sendErr})
	default:
		log.WarnContext(ctx, "mail delayed", "err", logErr(sendErr), "next", at.Next)
		return redacted{sendErr}
	}
}

// Mail turns an outbox message into a mail. Addresses may carry a display
// name in the configuration ("Werkdiagnose <werkdiagnose@example.nl>").
func Mail(m casework.Message) mailer.Mail {
	out := mailer.Mail{MessageID: m.MessageID, From: m.From, FromName: "Werkdiagnose", To: m.To, ToName: m.ToName,
		Subject: m.Subject, Text: m.Body, HTML: m.HTML, Date: m.CreatedAt}
	if a, err := mail.ParseAddress(m.From); err == nil {
		out.From = a.Address
		if a.Name != "" {
			out.FromName = a.Name
		}
	}
	if a, err := mail.ParseAddress(m.To); err == nil {
		out.To = a.Address
		if out.ToName == "" {
			out.ToName = a.Name
		}
	}
	if m.Attachment != "" {
		out.Calendar = &mailer.Attachment{Name: m.AttachmentName, ContentType: m.AttachmentType, Data: []byte(m.Attachment)}
	}
	for _, f := range m.Files {
		out.Attachments = append(out.Attachments, mailer.Attachment{Name: f.Name, ContentType: f.ContentType, Data: f.Body})
	}
	return out
}

// redacted is a delivery error whose text has its addresses masked: River
// stores a job's errors in its table and logs them.
type redacted struct{ err error }

func (r redacted) Error() string { return casework.RedactEmails(r.err.Error()) }
func (r redacted) Unwrap() error { return r.err }

// sweeper fires the reminders whose time has come. A reminder that fails
// is logged by id (its error may name a client's case, so no more) and
// stays planned for the next sweep; the sweep itself succeeds, so that a
// broken reminder does not hold up the sweeps after it as a retried job
// would.
type sweeper struct {
	river.WorkerDefaults[jobs.RemindDue]
	svc *casework.Service
	log *slog.Logger
}

func (w *sweeper) Work(ctx context.Context, _ *river.Job[jobs.RemindDue]) error {
	res, err := w.svc.FireDue(ctx)
	for _, f := range res.Failed {
		w.log.ErrorContext(ctx, "reminder not fired", "reminder_id", f.ReminderID, "err", casework.RedactEmails(f.Err.Error()))
	}
	if res.Fired > 0 || len(res.Failed) > 0 {
		w.log.InfoContext(ctx, "reminders fired", "fired", res.Fired, "failed", len(res.Failed))
	}
	return err
}

// reminder fires one reminder by the job that was inserted with it before
// the sweep (jobs.Remind); it snoozes when the reminder's time moved
// ahead.
type reminder struct {
	river.WorkerDefaults[jobs.Remind]
	svc *casework.Service
}

func (w *reminder) Work(ctx context.Context, job *river.Job[jobs.Remind]) error {
	again, err := w.svc.FireReminder(ctx, job.Args.ReminderID)
	if errors.Is(err, casework.ErrNotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if !again.IsZero() {
		return river.JobSnooze(max(time.Until(again), time.Second))
	}
	return nil
}

// digester writes the daily digests of one day.
type digester struct {
	river.WorkerDefaults[jobs.Digest]
	svc *casework.Service
}

func (w *digester) Work(ctx context.Context, job *river.Job[jobs.Digest]) error {
	day, err := time.ParseInLocation(time.DateOnly, job.Args.Date, process.Amsterdam)
	if err != nil {
		return river.JobCancel(err)
	}
	_, err = w.svc.SendDigests(ctx, day)
	return err
}

// digestSchedule runs the digest at DigestAt on working days.
type digestSchedule struct {
	p   process.ReminderPolicy
	cal *process.Calendar
}

func (s digestSchedule) Next(now time.Time) time.Time { return s.p.NextDigest(now, s.cal) }

// retentionRunner is the daily retention run.
type retentionRunner struct {
	river.WorkerDefaults[jobs.Retention]
	svc *casework.Service
}

func (w *retentionRunner) Work(ctx context.Context, _ *river.Job[jobs.Retention]) error {
	_, err := w.svc.RunRetention(ctx)
	return err
}

// auditPurger is the daily purge of the audit and processing logs.
type auditPurger struct {
	river.WorkerDefaults[jobs.AuditPurge]
	svc *casework.Service
	log *slog.Logger
}

func (w *auditPurger) Work(ctx context.Context, _ *river.Job[jobs.AuditPurge]) error {
	purged, err := w.svc.PurgeAudit(ctx)
	for _, p := range purged {
		w.log.InfoContext(ctx, "audit day purged", "day", p.Day, "rows", p.Rows)
	}
	return err
}

// auditPurgeSchedule runs the audit purge daily at 03:00 Europe/Amsterdam,
// away from office hours and after the retention run (02:30).
type auditPurgeSchedule struct{}

func (auditPurgeSchedule) Next(now time.Time) time.Time {
	n := now.In(process.Amsterdam)
	at := time.Date(n.Year(), n.Month(), n.Day(), 3, 0, 0, 0, process.Amsterdam)
	if !at.After(n) {
		at = time.Date(n.Year(), n.Month(), n.Day()+1, 3, 0, 0, 0, process.Amsterdam)
	}
	return at
}

// retentionSchedule runs the retention run daily at its RunAt.
type retentionSchedule struct{ r process.Retention }

func (s retentionSchedule) Next(now time.Time) time.Time { return s.r.NextRun(now) }

// warnings passes River's warnings and errors to the application's log;
// its routine information stays out.
type warnings struct{ slog.Handler }

func (w warnings) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && w.Handler.Enabled(ctx, l)
}
func (w warnings) WithAttrs(as []slog.Attr) slog.Handler { return warnings{w.Handler.WithAttrs(as)} }
func (w warnings) WithGroup(g string) slog.Handler       { return warnings{w.Handler.WithGroup(g)} }
