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

// Tx is the set of queries inside View or Update. Lookups return an error
// wrapping ErrNotFound when nothing matches, never a zero value and nil.
// Updates with an expected version return ErrStale when it no longer matches.
// Unique constraints surface as ErrDuplicate.
type Tx interface {
	// Users and tokens.
	CreateUser(ctx context.Context, u *User) error
	UpdateUser(ctx context.Context, u User) error
	UserByID(ctx context.Context, id int64) (User, error)
	UserByUsername(ctx context.Context, username string) (User, error)
	ListUsers(ctx context.Context) ([]User, error)
	CreateToken(ctx context.Context, t *APIToken) error
	TokenByHash(ctx context.Context, hash string) (APIToken, error)
	ListTokens(ctx context.Context) ([]APIToken, error)
	RevokeToken(ctx context.Context, id int64, at time.Time) error
	TouchToken(ctx context.Context, id int64, at time.Time) error

	// Process definitions, stored once per version.
	SaveDefinition(ctx context.Context, version string, body []byte) error
	DefinitionBody(ctx context.Context, version string) ([]byte, error)

	// Clients and cases.
	CreateClient(ctx context.Context, c *Client) error
	UpdateClient(ctx context.Context, c Client) error
	ClientByID(ctx context.Context, id int64) (Client, error)
	ClientByBSN(ctx context.Context, bsn string) (Client, error)
	SearchClients(ctx context.Context, name string, limit int) ([]Client, error)
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

	// Tasks.
	CreateTask(ctx context.Context, t *Task) error
	// UpdateTask writes t if its Version is still current and increments it.
	UpdateTask(ctx context.Context, t *Task) error
	TaskByID(ctx context.Context, id int64) (Task, error)
	ListTasks(ctx context.Context, f TaskFilter) ([]Task, error)
	TasksByApplication(ctx context.Context, applicationID int64) ([]Task, error)
	// OpenTaskCounts counts open tasks per holder (0 = unassigned) of the given teams.
	OpenTaskCounts(ctx context.Context, teams []string) (map[int64]int, error)
	// Caseload counts the open participation dossiers per owner.
	Caseload(ctx context.Context) (map[int64]int, error)

	// Step content, plans, trajectories, registrations.
	AddStepRecord(ctx context.Context, r *StepRecord) error
	StepRecords(ctx context.Context, applicationID int64) ([]StepRecord, error)
	// AddPlan stores a new version; it fails with ErrDuplicate("plan_version")
	// when that version of the case's plan already exists.
	AddPlan(ctx context.Context, p *Plan) error
	LatestPlan(ctx context.Context, caseID int64) (Plan, error)
	PlanVersions(ctx context.Context, caseID int64) ([]Plan, error)
	CreateTrajectory(ctx context.Context, t *Trajectory) error
	UpdateTrajectory(ctx context.Context, t Trajectory) error
	TrajectoriesByCase(ctx context.Context, caseID int64) ([]Trajectory, error)
	CreateRegistration(ctx context.Context, r *Registration) error
	UpdateRegistration(ctx context.Context, r *Registration) error
	RegistrationsByCase(ctx context.Context, caseID int64) ([]Registration, error)

	// Appointments: booking reserves the room and the klantmanager for each
	// slot; a slot already taken fails with ErrDuplicate("room") or ("person").
	CreateAppointment(ctx context.Context, a *Appointment, slots []time.Time) error
	// MoveAppointment writes a's time, room, klantmanager and sequence and
	// moves its reservations to slots, with the same duplicate errors.
	MoveAppointment(ctx context.Context, a *Appointment, slots []time.Time) error
	// CancelAppointment marks it cancelled, raises its sequence and frees
	// its reservations.
	CancelAppointment(ctx context.Context, id int64) error
	AppointmentByID(ctx context.Context, id int64) (Appointment, error)
	AppointmentsByClient(ctx context.Context, clientID int64) ([]Appointment, error)

	// Suspensions of the decision term.
	AddSuspension(ctx context.Context, s *Suspension) error
	EndSuspension(ctx context.Context, id int64, end time.Time) error
	SuspensionsByCase(ctx context.Context, caseID int64) ([]Suspension, error)

	// History, append-only.
	AppendEvent(ctx context.Context, e *Event) error
	EventsByClient(ctx context.Context, clientID int64) ([]Event, error)

	// Outbox. EnqueueMessage stores a message and, when it is waiting,
	// a delivery job in the same transaction. A message whose DedupeKey is
	// already in the outbox is not stored again: m.ID stays 0.
	EnqueueMessage(ctx context.Context, m *Message) error
	ListMessages(ctx context.Context, f MessageFilter) ([]Message, error)
	MessageByID(ctx context.Context, id int64) (Message, error)
	// UpdateDelivery writes the delivery state: status, attempts, last
	// error, sent and next-attempt times.
	UpdateDelivery(ctx context.Context, m Message) error
	// RequeueMessage inserts a new delivery job for the message.
	RequeueMessage(ctx context.Context, id int64) error

	// Reminders. AddReminder stores a reminder and a job that fires it at
	// SendAt; it returns false and stores nothing when the same kind of
	// reminder for the task (or case) and due date exists.
	AddReminder(ctx context.Context, r *Reminder) (bool, error)
	ReminderByID(ctx context.Context, id int64) (Reminder, error)
	UpdateReminder(ctx context.Context, r Reminder) error
	ListReminders(ctx context.Context, f ReminderFilter) ([]Reminder, error)
	SetDailyDigest(ctx context.Context, userID int64, on bool) error
}

// Clock tells the time; tests and the demo inject their own.
type Clock interface{ Now() time.Time }

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }
