// Package jobs names the background jobs of werkdiagnose: their River
// argument types, queues and insert options. The store inserts them in the
// same transaction as the change that causes them, built by Kinds, which
// cmd/werkdiagnose hands to store.Open; internal/worker works them. Arguments carry ids only, never personal data: River's tables are
// not where a BSN or a name should end up.
package jobs

import (
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Queues.
const (
	QueueMail = "mail"
	// QueueLetters delivers the mails that carry a letter: their delivery
	// prints the letter's PDF first (a second or two of a core), so they
	// wait for each other and not the hand-overs and reminders.
	QueueLetters   = "brieven"
	QueueReminders = "herinneringen"
)

// live are the job states in which a second job with the same arguments is
// refused: at most one delivery or reminder job per row is waiting or
// running at any time, on any number of instances.
var live = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateRetryable, rivertype.JobStateScheduled,
}

// Kinds builds the jobs the store inserts with the rows it writes; it
// implements store.JobArgs (the store declares what it needs and does not
// import this package).
type Kinds struct{}

// Deliver returns the delivery job of an outbox message; one that carries
// a letter goes on QueueLetters.
func (Kinds) Deliver(messageID int64, letter bool) river.JobArgs {
	return Deliver{MessageID: messageID, Letter: letter}
}

// Deliver sends one outbox message.
type Deliver struct {
	MessageID int64 `json:"message_id"`
	Letter    bool  `json:"brief,omitempty"` // the message carries a letter: QueueLetters
}

// Kind implements river.JobArgs.
func (Deliver) Kind() string { return "bezorg_bericht" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (d Deliver) InsertOpts() river.InsertOpts {
	q := QueueMail
	if d.Letter {
		q = QueueLetters
	}
	return river.InsertOpts{Queue: q, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: live}}
}

// Remind fires one reminder. Until migration 00023 every reminder had a
// job of its own, inserted with its row; reminders are now fired by the
// sweep (RemindDue). The kind stays so that the jobs a database still
// holds from before are worked: firing a reminder the sweep fired already
// does nothing.
type Remind struct {
	ReminderID int64 `json:"reminder_id"`
}

// Kind implements river.JobArgs.
func (Remind) Kind() string { return "herinnering" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (Remind) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueReminders, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: live}}
}

// RemindDue is the periodic sweep that fires every planned reminder whose
// time has come (casework.Reminders.FireDue). At most one is waiting or
// running at any time, on any number of instances.
type RemindDue struct{}

// Kind implements river.JobArgs.
func (RemindDue) Kind() string { return "herinneringen_versturen" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (RemindDue) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueReminders, UniqueOpts: river.UniqueOpts{ByState: live}}
}

// Digest writes the daily worklist digest of every user who asked for it.
type Digest struct {
	Date string `json:"date"` // yyyy-mm-dd, Europe/Amsterdam
}

// Kind implements river.JobArgs.
func (Digest) Kind() string { return "dagoverzicht" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (Digest) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueReminders, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// Retention is the daily retention run: every closed case assessed, and
// what is due for destruction listed (casework.Retention.RunRetention).
type Retention struct {
	Date string `json:"date"` // yyyy-mm-dd, Europe/Amsterdam
}

// Kind implements river.JobArgs.
func (Retention) Kind() string { return "bewaartermijnen" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (Retention) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueReminders, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// AuditPurge is the daily purge of the audit and processing logs: whole
// days older than audit.retention_days go (casework.Audit.PurgeAudit).
type AuditPurge struct {
	Date string `json:"date"` // yyyy-mm-dd, Europe/Amsterdam
}

// Kind implements river.JobArgs.
func (AuditPurge) Kind() string { return "auditlog_opschonen" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (AuditPurge) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueReminders, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}
