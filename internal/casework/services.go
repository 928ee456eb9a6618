package casework

import (
	"context"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// The use cases by area, as the adapters (web, api, worker) see them.
// *Service implements every one; an adapter depends on the areas it uses,
// so its tests can run on a fake of just those (see casework/fake).
// Errors are *Error with a code (not found, invalid with field messages,
// conflict, forbidden, unauthorized) or, for anything else, an internal
// error that says where it happened.

// AccountService signs users in and keeps accounts and API tokens.
type AccountService interface {
	// Authenticate checks a username and password tried from a client
	// address; unauthorized when they do not match, too_many (with
	// RetryAfter) when the account or address failed too often recently.
	Authenticate(ctx context.Context, username, password, address string) (User, error)
	// NeedsTOTP reports whether the user must sign in with an
	// authenticator code (by role), whether or not they have one yet.
	NeedsTOTP(u User) bool
	// NewTOTP makes a new authenticator secret for the user, not yet stored.
	NewTOTP(u User) (TOTPKey, error)
	// ConfirmTOTP stores secret as the user's authenticator when code
	// matches it, and returns the new recovery codes (shown once).
	ConfirmTOTP(ctx context.Context, userID int64, secret, code string) ([]string, error)
	// VerifySecondFactor checks an authenticator or recovery code of the
	// user, tried from address; each code is accepted once.
	VerifySecondFactor(ctx context.Context, userID int64, code, address string) (User, error)
	// DisableTOTP removes the actor's authenticator (not when their role needs it).
	DisableTOTP(ctx context.Context, a Actor) error
	// ResetTOTP removes another user's authenticator (functioneel beheerder).
	ResetTOTP(ctx context.Context, a Actor, userID int64) error
	// RecoveryCodesLeft counts the actor's unused recovery codes.
	RecoveryCodesLeft(ctx context.Context, a Actor) (int, error)
	// SignInSSO finds or provisions the account of an OpenID Connect
	// identity with the roles its claims map to; forbidden without roles.
	SignInSSO(ctx context.Context, id SSOIdentity) (User, error)
	// UserByID returns an active user (sessions); unauthorized when inactive.
	UserByID(ctx context.Context, id int64) (User, error)
	// UserByUsername returns an account by its username; not found when none.
	UserByUsername(ctx context.Context, username string) (User, error)
	// TokenUser returns the user an API token acts as; unauthorized when the
	// token is unknown, revoked or its user inactive.
	// Failures are throttled per client address (too_many with RetryAfter).
	TokenUser(ctx context.Context, secret, address string) (User, error)
	// CreateUser adds an account; a nil actor is the command line.
	CreateUser(ctx context.Context, a *Actor, in NewUser) (User, error)
	// SetUserActive switches an account on or off.
	SetUserActive(ctx context.Context, a Actor, id int64, active bool) error
	// Users lists all accounts.
	Users(ctx context.Context, a Actor) ([]User, error)
	// IssueToken creates an API token and returns its secret (shown once).
	IssueToken(ctx context.Context, a Actor, userID int64, name string) (string, error)
	// RevokeToken revokes an API token.
	RevokeToken(ctx context.Context, a Actor, id int64) error
	// Tokens lists the API tokens.
	Tokens(ctx context.Context, a Actor) ([]APIToken, error)
	// SetDailyDigest turns the actor's daily worklist mail on or off.
	SetDailyDigest(ctx context.Context, a Actor, on bool) error
}

// ApplicationService takes in applications and keeps their decision term.
type ApplicationService interface {
	// SubmitApplication creates werkproces 0/L2 with its first task; a
	// conflict with a link when the client has an open application.
	SubmitApplication(ctx context.Context, a Actor, channel string, v Values) (Case, error)
	// SubmitPublicApplication takes in the public form's application and
	// answers the same whether or not the applicant already applied: the
	// reference to show the applicant (AV-…, new per submission).
	SubmitPublicApplication(ctx context.Context, a Actor, v Values) (string, error)
	// RecordMelding records the melding of someone younger than the pilot's
	// minimum age (Participatiewet art. 41) and tells them in writing.
	RecordMelding(ctx context.Context, a Actor, channel string, v Values) (Melding, error)
	// AddSuspension suspends the decision term with the applicant's
	// written consent (Awb 4:15 lid 2 a), with an end or the delay agreed.
	AddSuspension(ctx context.Context, a Actor, caseID int64, v Values) error
	// EndSuspension ends a running suspension by consent early.
	EndSuspension(ctx context.Context, a Actor, caseID, suspensionID int64, v Values) error
	// ApplicationStatus returns an application for its status: the e-form
	// system sees what it sent in, caseworkers what they need to know.
	ApplicationStatus(ctx context.Context, a Actor, caseID int64) (Case, error)
}

// TaskService shows the worklists and moves the tasks on them.
type TaskService interface {
	// Worklist returns a team worklist or the actor's own tasks.
	Worklist(ctx context.Context, a Actor, q WorklistQuery) (Worklist, error)
	// WorklistCounts counts the actor's own open tasks and their teams'
	// (the navigation's numbers).
	WorklistCounts(ctx context.Context, a Actor) (mine, team int, err error)
	// TaskPage returns a task with its client file, form and choices.
	TaskPage(ctx context.Context, a Actor, taskID int64) (TaskPage, error)
	// Task returns a task with its form and choices, without the client
	// file (TaskPage.File is zero).
	Task(ctx context.Context, a Actor, taskID int64) (TaskPage, error)
	// PickUp puts a team task on the actor's own worklist.
	PickUp(ctx context.Context, a Actor, taskID int64, version int) error
	// Release puts a task back on the team worklist.
	Release(ctx context.Context, a Actor, taskID int64, version int) error
	// Assign gives a task to a colleague of its team.
	Assign(ctx context.Context, a Actor, taskID int64, version int, userID int64) error
	// CompleteTask completes a task with its form; a stale version is a
	// conflict, invalid input an error with field messages. It tells what
	// the completion made and the actor's next task on the client.
	CompleteTask(ctx context.Context, a Actor, taskID int64, version int, v Values) (Completed, error)
	// Dashboard counts open tasks per step and cases per status.
	Dashboard(ctx context.Context, a Actor) ([]StepCount, map[string]int, error)
	// StartStep starts a step the definition lets the actor's team start by
	// hand (a request to complete the application, an extension of the
	// decision term) on the application and returns its task's id, held
	// by the actor; an open one of the actor's is returned as it is, one
	// held by a colleague is a conflict.
	StartStep(ctx context.Context, a Actor, caseID int64, step process.StepKey) (int64, error)
}

// ClientService shows clients and their files.
type ClientService interface {
	// ClientFile loads everything the client's case page shows.
	ClientFile(ctx context.Context, a Actor, clientID int64) (ClientFile, error)
	// ClientFileAt is ClientFile with the page of the history at history
	// (a cursor of ClientFile.History; "": the newest).
	ClientFileAt(ctx context.Context, a Actor, clientID int64, history string) (ClientFile, error)
	// ClientPage loads the case page: the file, the contact moments and
	// notes, and the documents as far as the viewer may see them, in one
	// transaction with one access check; history as for ClientFileAt.
	ClientPage(ctx context.Context, a Actor, clientID int64, history string) (ClientPage, error)
	// CaseClient returns the client a case belongs to.
	CaseClient(ctx context.Context, a Actor, caseID int64) (int64, error)
	// SearchClients finds clients by a name, a date of birth, a client
	// number or a full BSN, recognised from text; a search by BSN is
	// recorded in the found client's history.
	SearchClients(ctx context.Context, a Actor, text string) (ClientSearch, error)
	// RecordItems shows a completed step's record with labels.
	RecordItems(f ClientFile, rec StepRecord) []RecordItem
	// Voorschotten returns the voorschotten recorded on an application
	// (art. 52), by voorschot date. Errors: forbidden, not found (no such
	// application).
	Voorschotten(ctx context.Context, a Actor, applicationID int64) ([]Voorschot, error)
	// RevealBSN returns a client's full BSN and records who saw it.
	RevealBSN(ctx context.Context, a Actor, clientID int64) (string, error)
	// UpdateClientDetails changes a client's contact details if version is
	// still current (else a conflict naming who changed them); it returns
	// the labels of what changed and writes one history line naming them.
	UpdateClientDetails(ctx context.Context, a Actor, clientID int64, version int, v Values) ([]string, error)
	// OpenWithReason opens a client's file outside need-to-know with a
	// reason (BreakGlassForm): a grant for the rest of the day, a history
	// line, a count in the team lead's digest. Errors: forbidden, not
	// found, invalid (the reason).
	OpenWithReason(ctx context.Context, a Actor, clientID int64, v Values) error
}

// DossierService keeps the participatiedossier: the plan van aanpak,
// provider registrations and trajectories.
type DossierService interface {
	SavePlan(ctx context.Context, a Actor, caseID int64, basedOn int, v Values) (Plan, error)
	// PlanOptions returns the choices of the plan form: the documents a
	// signed plan can be.
	PlanOptions(ctx context.Context, a Actor, caseID int64) (map[string][]process.Option, error)
	// PrintPlan makes the latest plan as a document to print for the
	// client's signature. Errors: invalid (no plan), conflict (closed).
	PrintPlan(ctx context.Context, a Actor, caseID int64) (Document, error)
	AddRegistration(ctx context.Context, a Actor, caseID int64, v Values) error
	UpdateRegistrationStatus(ctx context.Context, a Actor, caseID, regID int64, version int, status string) error
	// AddTrajectory adds a trajectory as a row of the plan van aanpak.
	AddTrajectory(ctx context.Context, a Actor, caseID int64, v Values) error
	// RegisterTrajectory registers a trajectory of the plan with its provider.
	RegisterTrajectory(ctx context.Context, a Actor, caseID, trajectoryID int64) error
	FinishTrajectory(ctx context.Context, a Actor, caseID, trajectoryID int64, result string) error
	// CloseDossier closes a dossier outside the steps (a NUG'er's guidance
	// ends), with a reason and what may be finished; version is the
	// dossier's version the form was built on.
	CloseDossier(ctx context.Context, a Actor, caseID int64, version int, v Values) error
}

// AppointmentService plans, moves and cancels appointments.
type AppointmentService interface {
	PlanFollowUp(ctx context.Context, a Actor, caseID int64, v Values) error
	MoveAppointment(ctx context.Context, a Actor, id int64, sequence int, v Values) error
	CancelAppointment(ctx context.Context, a Actor, id int64) error
	// MarkAppointment records a begun appointment as held or missed
	// (process.AppointmentHeld, AppointmentNoShow).
	MarkAppointment(ctx context.Context, a Actor, id int64, status string) error
	// AppointmentOptions are the choices of the appointment form.
	AppointmentOptions() map[string][]process.Option
}

// MessageService shows the outbox to the people who look after it.
type MessageService interface {
	Outbox(ctx context.Context, a Actor, f MessageFilter) ([]Message, error)
	// OutboxPage is a page of f.Limit messages (default PageSize) at
	// f.Cursor, with the number of messages per status.
	OutboxPage(ctx context.Context, a Actor, f MessageFilter) (OutboxList, error)
	RetryMessage(ctx context.Context, a Actor, id int64) error
}

// DeliveryService is what the background worker does with messages,
// reminders and digests.
type DeliveryService interface {
	Outgoing(ctx context.Context, id int64) (Message, error)
	RecordDelivery(ctx context.Context, id int64, at Attempt) error
	FireReminder(ctx context.Context, id int64) (time.Time, error)
	FireDue(ctx context.Context) (Sweep, error)
	SendDigests(ctx context.Context, day time.Time) (int, error)
}

// ProcessService tells the current definition, configuration and time,
// and whether the store answers.
type ProcessService interface {
	Definition() *process.Definition
	Calendar() *process.Calendar
	Config() Config
	Now() time.Time
	Ping(ctx context.Context) error
}

// Services is every area at once: what *Service is.
type Services interface {
	AccountService
	ApplicationService
	TaskService
	ClientService
	DossierService
	AppointmentService
	MessageService
	DeliveryService
	ProcessService
	CaseloadService // caseload.go
	ContactService  // contacts.go
	DocumentService // documents.go
	PrivacyService  // retention, destruction and the data subject's export (retention.go, privacy.go)
	AuditService    // audit_area.go
}

var _ Services = (*Service)(nil)

// Areas holds the use cases area by area, for an adapter whose handlers
// each call the area they work in (s.Tasks.CompleteTask).
type Areas struct {
	Accounts     AccountService
	Applications ApplicationService
	Tasks        TaskService
	Clients      ClientService
	Dossiers     DossierService
	Appointments AppointmentService
	Messages     MessageService
	Process      ProcessService // definition, configuration, clock, health
	Caseload     CaseloadService
	Contacts     ContactService
	Documents    DocumentService
	Privacy      PrivacyService
	Audit        AuditService
}

// AreasOf splits svc into its areas.
func AreasOf(svc Services) Areas {
	a := Areas{Accounts: svc, Applications: svc, Tasks: svc, Clients: svc, Dossiers: svc,
		Appointments: svc, Messages: svc, Process: svc}
	a.Caseload, a.Contacts, a.Documents, a.Privacy, a.Audit = svc, svc, svc, svc, svc
	return a
}
