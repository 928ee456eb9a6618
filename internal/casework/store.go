package casework

import (
	"context"
	"time"
)

// Store is the persistence the use cases need. Update runs fn in one
// transaction: every change, its history events and its outbox messages
// commit together or not at all. View runs fn for reads.
type Store interface {
	Update(ctx context.Context, fn func(Tx) error) error
	View(ctx context.Context, fn func(Tx) error) error
	Ping(ctx context.Context) error
}

// The queries inside View or Update, by the records they touch. Each area
// of the use cases declares the set it uses (AccountTx, DossierTx, …), so
// it can be tested on a fake of just those. Lookups return an error
// wrapping ErrNotFound when nothing matches, never a zero value and nil.
// Updates with an expected version return ErrStale when it no longer
// matches. Unique constraints surface as ErrDuplicate.

// UserTx reads and writes accounts.
type UserTx interface {
	CreateUser(ctx context.Context, u *User) error
	UpdateUser(ctx context.Context, u User) error
	UserByID(ctx context.Context, id int64) (User, error)
	UserByUsername(ctx context.Context, username string) (User, error)
	ListUsers(ctx context.Context) ([]User, error)
	SetDailyDigest(ctx context.Context, userID int64, on bool) error
	UserBySSOSubject(ctx context.Context, subject string) (User, error)
	SetTOTP(ctx context.Context, userID int64, secret string, codeHashes []string) error
	UseTOTPStep(ctx context.Context, userID, step int64) (bool, error)
	UseRecoveryCode(ctx context.Context, userID int64, codeHash string, at time.Time) (bool, error)
	RecoveryCodesLeft(ctx context.Context, userID int64) (int, error)
}

// TokenTx reads and writes API tokens.
type TokenTx interface {
	CreateToken(ctx context.Context, t *APIToken) error
	TokenByHash(ctx context.Context, hash string) (APIToken, error)
	ListTokens(ctx context.Context) ([]APIToken, error)
	RevokeToken(ctx context.Context, id int64, at time.Time) error
	TouchToken(ctx context.Context, id int64, at time.Time) error
}

// DefinitionTx keeps the process definitions, once per version.
type DefinitionTx interface {
	SaveDefinition(ctx context.Context, version string, body []byte) error
	DefinitionBody(ctx context.Context, version string) ([]byte, error)
}

// ClientTx reads and writes clients.
type ClientTx interface {
	CreateClient(ctx context.Context, c *Client) error
	// UpdateClient writes c if its Version is still current and increments
	// it (ErrStale when a colleague changed the client in between).
	UpdateClient(ctx context.Context, c *Client) error
	ClientByID(ctx context.Context, id int64) (Client, error)
	ClientByBSN(ctx context.Context, bsn string) (Client, error)
	// SearchClients finds clients whose name words begin with the words of name.
	SearchClients(ctx context.Context, name string, limit int) ([]Client, error)
	// ClientsByBirthDate finds the clients born on day.
	ClientsByBirthDate(ctx context.Context, day time.Time, limit int) ([]Client, error)
	// ClientStates tells where each client stands, for search results.
	ClientStates(ctx context.Context, clientIDs []int64) (map[int64]ClientState, error)
	// Need-to-know: how a user stands to a client (access.go).
	AccessTx
}

// CaseTx reads and writes cases (0/L2 and 17/PA).
type CaseTx interface {
	CreateCase(ctx context.Context, c *Case) error
	// UpdateCase writes c if its Version is still current and increments it.
	UpdateCase(ctx context.Context, c *Case) error
	CaseByID(ctx context.Context, id int64) (Case, error)
	CasesByClient(ctx context.Context, clientID int64) ([]Case, error)
	// OpenApplication returns the client's open application case.
	OpenApplication(ctx context.Context, clientID int64) (Case, error)
	ParticipationFor(ctx context.Context, applicationID int64) (Case, error)
	// CountCasesByStatus counts cases per kind and status for dashboards.
	CountCasesByStatus(ctx context.Context) (map[string]int, error)
	// Caseload counts the open participation dossiers per owner.
	Caseload(ctx context.Context) (map[int64]int, error)
}

// TaskTx reads and writes tasks.
type TaskTx interface {
	CreateTask(ctx context.Context, t *Task) error
	// UpdateTask writes t if its Version is still current and increments it.
	UpdateTask(ctx context.Context, t *Task) error
	// UpdateTaskLater is UpdateTask sent with the transaction's next
	// statement (in the same round trip where the store pipelines). Its
	// error (ErrStale, ErrNotFound), turned by fail, is returned by
	// whichever call sends it, or by the commit: the transaction then
	// rolls back, so nothing done in between is kept.
	UpdateTaskLater(ctx context.Context, t *Task, fail func(error) error) error
	TaskByID(ctx context.Context, id int64) (Task, error)
	ListTasks(ctx context.Context, f TaskFilter) ([]Task, error)
	// CountTasks counts the tasks f selects, its cursor and limit aside.
	CountTasks(ctx context.Context, f TaskFilter) (int, error)
	TasksByApplication(ctx context.Context, applicationID int64) ([]Task, error)
	// TasksByClient returns every task of the client, of all its
	// applications, any status, as TasksByApplication does.
	TasksByClient(ctx context.Context, clientID int64) ([]Task, error)
	// TaskWithClient returns task id with every task of its application
	// (as TasksByApplication) and its client with the client's cases: what
	// a use case on a task reads first, in one round trip where the store
	// pipelines; ErrNotFound when there is no such task.
	TaskWithClient(ctx context.Context, id int64) (TaskFile, error)
	// OpenTaskCounts counts open tasks per holder (0 = unassigned) of the given teams.
	OpenTaskCounts(ctx context.Context, teams []string) (map[int64]int, error)
}

// RecordTx keeps the forms of completed steps.
type RecordTx interface {
	AddStepRecord(ctx context.Context, r *StepRecord) error
	StepRecords(ctx context.Context, applicationID int64) ([]StepRecord, error)
}

// PlanTx keeps the versions of the plan van aanpak.
type PlanTx interface {
	// AddPlan stores a new version; it fails with ErrDuplicate("plan_version")
	// when that version of the case's plan already exists.
	AddPlan(ctx context.Context, p *Plan) error
	LatestPlan(ctx context.Context, caseID int64) (Plan, error)
	PlanVersions(ctx context.Context, caseID int64) ([]Plan, error)
}

// VoorschotTx keeps the voorschotten of applications (art. 52).
type VoorschotTx interface {
	// AddVoorschot stores a voorschot; ErrDuplicate("voorschot") when its
	// task recorded one already.
	AddVoorschot(ctx context.Context, v *Voorschot) error
	// VoorschottenByCase returns an application's voorschotten by date.
	VoorschottenByCase(ctx context.Context, caseID int64) ([]Voorschot, error)
}

// EvaluationTx keeps the evaluations of plans van aanpak (art. 44a).
type EvaluationTx interface {
	// AddEvaluation stores an evaluation; ErrDuplicate("evaluation") when
	// its task recorded one already.
	AddEvaluation(ctx context.Context, e *PlanEvaluation) error
	// EvaluationsByCase returns a participation case's evaluations, newest
	// first.
	EvaluationsByCase(ctx context.Context, caseID int64) ([]PlanEvaluation, error)
}

// TrajectoryTx reads and writes trajectory registrations.
type TrajectoryTx interface {
	CreateTrajectory(ctx context.Context, t *Trajectory) error
	UpdateTrajectory(ctx context.Context, t Trajectory) error
	TrajectoriesByCase(ctx context.Context, caseID int64) ([]Trajectory, error)
}

// RegistrationTx reads and writes registrations with providers.
type RegistrationTx interface {
	CreateRegistration(ctx context.Context, r *Registration) error
	UpdateRegistration(ctx context.Context, r *Registration) error
	RegistrationsByCase(ctx context.Context, caseID int64) ([]Registration, error)
}

// AppointmentTx books appointments. Booking reserves the room and the
// klantmanager for each slot; a slot already taken fails with
// ErrDuplicate("room") or ("person").
type AppointmentTx interface {
	CreateAppointment(ctx context.Context, a *Appointment, slots []time.Time) error
	// MoveAppointment writes a's time, room, klantmanager and sequence and
	// moves its reservations to slots, with the same duplicate errors.
	MoveAppointment(ctx context.Context, a *Appointment, slots []time.Time) error
	// CancelAppointment marks it cancelled, raises its sequence and frees
	// its reservations.
	CancelAppointment(ctx context.Context, id int64) error
	AppointmentByID(ctx context.Context, id int64) (Appointment, error)
	// SetAppointmentStatus records a planned appointment as held or missed;
	// ErrStale when it is no longer planned.
	SetAppointmentStatus(ctx context.Context, id int64, status string) error
	AppointmentsByClient(ctx context.Context, clientID int64) ([]Appointment, error)
}

// SuspensionTx keeps the suspensions of the decision term.
type SuspensionTx interface {
	AddSuspension(ctx context.Context, s *Suspension) error
	EndSuspension(ctx context.Context, id int64, end time.Time) error
	SuspensionsByCase(ctx context.Context, caseID int64) ([]Suspension, error)
}

// MeldingTx keeps the meldingen of clients younger than the pilot's
// minimum age (Participatiewet art. 41).
type MeldingTx interface {
	AddMelding(ctx context.Context, m *Melding) error
	MeldingenByClient(ctx context.Context, clientID int64) ([]Melding, error)
}

// EventTx keeps the history, append-only.
type EventTx interface {
	AppendEvent(ctx context.Context, e *Event) error
	EventsByClient(ctx context.Context, clientID int64) ([]Event, error)
	// ClientEvents is a page of the client's history, newest first (with
	// cur.Back: the lines before cur, nearest first); see EventCursor.
	ClientEvents(ctx context.Context, clientID int64, cur *Cursor, limit int) ([]Event, error)
}

// Writes are rows a step writes and nothing in it reads back before its
// end (stepTx keeps them until then): its step records, the reminders of
// its new tasks and its history lines.
type Writes struct {
	Records   []*StepRecord
	Reminders []*Reminder
	Events    []*Event
}

// WriteBatchTx writes a step's Writes together, in as few statements as
// the engine allows, each kind in order; it does not set their IDs.
type WriteBatchTx interface {
	AppendWrites(ctx context.Context, w Writes) error
	// TasksAfterWrites is AppendWrites and then TasksByClient, in one
	// statement where the engine allows.
	TasksAfterWrites(ctx context.Context, w Writes, clientID int64) ([]Task, error)
}

// OutboxTx keeps the outgoing messages. EnqueueMessage stores a message
// and, when it is waiting, a delivery job in the same transaction. A
// message whose DedupeKey is already in the outbox is not stored again:
// m.ID stays 0.
type OutboxTx interface {
	EnqueueMessage(ctx context.Context, m *Message) error
	ListMessages(ctx context.Context, f MessageFilter) ([]Message, error)
	// CountMessages counts the messages per status.
	CountMessages(ctx context.Context) (map[string]int, error)
	MessageByID(ctx context.Context, id int64) (Message, error)
	// UpdateDelivery writes the delivery state: status, attempts, last
	// error, sent and next-attempt times.
	UpdateDelivery(ctx context.Context, m Message) error
	// RequeueMessage inserts a new delivery job for the message.
	RequeueMessage(ctx context.Context, id int64) error
}

// ReminderTx keeps reminders. AddReminders stores reminders in one
// statement and sets the IDs of those it stored; it stores nothing for a
// reminder when the same kind of reminder for the task (or case) and due
// date exists, and returns how many it stored. The worker's sweep fires
// them (DueReminders).
type ReminderTx interface {
	AddReminders(ctx context.Context, rs ...*Reminder) (int, error)
	ReminderByID(ctx context.Context, id int64) (Reminder, error)
	UpdateReminder(ctx context.Context, r Reminder) error
	ListReminders(ctx context.Context, f ReminderFilter) ([]Reminder, error)
	// DueReminders is a page of up to limit planned reminders whose send
	// time is at or before until, in (send time, id) order, after the
	// reminder after (none when its ID is 0).
	DueReminders(ctx context.Context, until time.Time, after Reminder, limit int) ([]Reminder, error)
}

// Tx is every query: what the store implements, and what the step flow
// uses, since a step's effects reach every record.
type Tx interface {
	UserTx
	TokenTx
	DefinitionTx
	ClientTx
	CaseTx
	TaskTx
	RecordTx
	PlanTx
	EvaluationTx
	VoorschotTx
	TrajectoryTx
	RegistrationTx
	AppointmentTx
	SuspensionTx
	MeldingTx
	EventTx
	WriteBatchTx
	OutboxTx
	ReminderTx
	ContactTx   // contact moments and notes (contacts.go)
	CaseloadTx  // the caseload lists (caseload.go)
	DocumentTx  // letters and uploads (documents.go)
	RetentionTx // retention and destruction (retention.go)
	AuditTx     // the audit and processing logs (audit.go)
}

// Transactor runs functions in transactions of a store, which they see
// through T: the queries one area of the use cases declares.
type Transactor[T any] interface {
	Update(ctx context.Context, fn func(T) error) error
	View(ctx context.Context, fn func(T) error) error
}

// narrowed is a Store seen through the narrower T.
type narrowed[T any] struct {
	st Store
	as func(Tx) T
}

func (n narrowed[T]) Update(ctx context.Context, fn func(T) error) error {
	return n.st.Update(ctx, func(tx Tx) error { return fn(n.as(tx)) })
}

func (n narrowed[T]) View(ctx context.Context, fn func(T) error) error {
	return n.st.View(ctx, func(tx Tx) error { return fn(n.as(tx)) })
}

// Narrow lets an area run on a store through the queries it declares; as
// is the conversion of Tx to them (func(tx Tx) T { return tx }).
func Narrow[T any](st Store, as func(Tx) T) Transactor[T] { return narrowed[T]{st: st, as: as} }

// Clock tells the time; tests and the demo inject their own.
type Clock interface{ Now() time.Time }

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }

// read runs fn in a read transaction of st and returns what it read.
func read[T, X any](ctx context.Context, st Transactor[X], fn func(tx X) (T, error)) (T, error) {
	var out T
	err := st.View(ctx, func(tx X) error {
		var err error
		out, err = fn(tx)
		return err
	})
	return out, err
}
