package casework

import (
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// User is a caseworker, team lead, administrator or system account.
type User struct {
	ID           int64
	Username     string
	Name         string
	Email        string
	Roles        process.Roles
	PasswordHash string
	Active       bool
	System       bool // an account for an e-form system; logs in only with API tokens
	DailyDigest  bool // wants a daily e-mail with their worklist
	CreatedAt    time.Time
	// SSOSubject is the OpenID Connect subject the account signs in with
	// ("" for a local account).
	SSOSubject string
	// TOTPSecret is the base32 secret of the account's authenticator app
	// ("" when it has none).
	TOTPSecret string
}

// HasTOTP reports whether the account signs in with an authenticator code.
func (u User) HasTOTP() bool { return u.TOTPSecret != "" }

// RoleNames returns the Dutch names of the user's roles.
func (u User) RoleNames() string {
	names := make([]string, 0, len(u.Roles))
	for _, r := range u.Roles {
		names = append(names, process.RoleNames[r])
	}
	return strings.Join(names, ", ")
}

// APIToken lets a program act as a named user. Only its hash is stored.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	Prefix     string // first characters, to recognise it in lists
	Hash       string // hex SHA-256 of the secret
	CreatedBy  int64
	CreatedAt  time.Time
	RevokedAt  time.Time // zero while valid
	LastUsedAt time.Time
	UserName   string // joined for lists
}

// Client is a person who applied. The BSN is shown on the case page only.
type Client struct {
	ID         int64
	BSN        string
	GivenName  string
	FamilyName string
	BirthDate  time.Time
	Email      string
	Phone      string
	Address    string
	// Contact is how the client prefers to be contacted
	// (process.PreferEmail, PreferPost, PreferPhone).
	Contact string
	// ContactPerson is a contact person or interpreter need, free text
	// ("tolk Arabisch", "bewindvoerder mw. X, 06-…").
	ContactPerson string
	CreatedAt     time.Time
	Version       int // raised by every change of the client's details
}

// Name is the client's full name as shown in lists.
func (c Client) Name() string { return strings.TrimSpace(c.GivenName + " " + c.FamilyName) }

// Case is an application case (werkproces 0/L2) or a participation case
// (werkproces 17/PA). A participation case links to its application.
type Case struct {
	ID                int64
	ClientID          int64
	Kind              process.CaseKind
	Code              string // "0/L2" or "17/PA", from the policy at creation
	Worklist          string // e.g. "445"
	Status            string
	DefinitionVersion string
	ApplicationID     int64 // participation: the application it came from
	// Application.
	Channel         string // "digitaal" or "fysiek"
	AppliedOn       time.Time
	ReportedOn      time.Time // melding (art. 44): earliest start of a grant
	TargetGroup     string
	DecisionOutcome string
	DecisionOn      time.Time
	DecisionReason  string
	// DecisionDue is the last day of the decision term, always known while
	// the application runs (a running suspension counts to its planned
	// end); see process.Policy.DecisionDue.
	DecisionDue time.Time
	// An extension of the decision term (Awb 4:14 lid 3): the date it
	// names, the day it was announced, the days it adds to the term and why.
	ExtendedTo      time.Time
	ExtendedOn      time.Time
	ExtensionDays   int
	ExtensionReason string
	// Participation.
	DossierOwner int64
	Segment      string
	OpenedAt     time.Time
	ClosedAt     time.Time
	Version      int
	// Joined for display.
	DossierOwnerName string
}

// Open reports whether the case is still running.
func (c Case) Open() bool { return c.ClosedAt.IsZero() }

// Task statuses.
const (
	TaskOpen      = "open"
	TaskDone      = "afgerond"
	TaskCancelled = "vervallen"
)

// TaskFile is a task with what a use case on it reads first: every task
// of its application, and its client with the client's cases.
type TaskFile struct {
	Task   Task
	Tasks  []Task
	Client Client
	Cases  []Case
}

// Task is one step of the process on a worklist.
type Task struct {
	ID            int64
	ApplicationID int64 // the flow this task belongs to
	CaseID        int64 // the case it lives on (0/L2 or 17/PA)
	ClientID      int64
	Step          process.StepKey
	FromStep      process.StepKey
	Team          string
	Worklist      string
	HolderID      int64
	Status        string
	Term          process.TermKind
	CreatedAt     time.Time
	DueOn         time.Time // zero: no term
	CompletedAt   time.Time
	CompletedBy   int64
	Outcome       string
	LateReason    string
	Version       int
	// Joined for lists.
	ClientName        string
	CaseCode          string
	HolderName        string
	CompletedByName   string
	DefinitionVersion string // of the application, to interpret the task
	// The running suspension of the application's decision term, if any:
	// since when, and the last day it may run.
	SuspendedSince time.Time
	SuspendedUntil time.Time
}

// TaskFilter selects tasks for a worklist.
type TaskFilter struct {
	Teams      []string // tasks of these teams
	HolderID   int64    // only this holder (mijn werkvoorraad)
	Unassigned bool     // only tasks nobody picked up
	Status     string   // default open
	Step       process.StepKey
	CaseCode   string
	DueBefore  time.Time // deadline on or before (inclusive)
	ClientID   int64
	Sort       string // "due", "since", "client", "step", "holder"; default "due"
	Desc       bool
	Limit      int
	// Cursor, when set, selects the rows after it (or before it, with
	// Back) in the sort order; made by TaskCursor.
	Cursor *Cursor
}

// StepRecord is the content of a completed step's form, kept as history.
type StepRecord struct {
	ID            int64
	TaskID        int64
	ApplicationID int64
	CaseID        int64
	Step          process.StepKey
	Fields        map[string]string
	ActorID       int64
	ActorName     string
	At            time.Time
}

// PlannedTrajectory is a trajectory in the plan van aanpak.
type PlannedTrajectory struct {
	// Row is its row of the plan form (1-based): the row is the
	// trajectory, kept when rows above it are emptied. Plans stored before
	// rows were kept have 0: their position tells (RowAt).
	Row        int    `json:"row,omitempty"`
	Provider   string `json:"provider"`
	Goal       string `json:"goal"`
	Activities string `json:"activities"` // one activity per line
}

// RowAt is the row of the plan's i-th trajectory (0-based i).
func (p Plan) RowAt(i int) int {
	if r := p.Trajectories[i].Row; r > 0 {
		return r
	}
	return i + 1
}

// Row returns the planned trajectory of row n.
func (p Plan) Row(n int) (PlannedTrajectory, bool) {
	for i, t := range p.Trajectories {
		if p.RowAt(i) == n {
			return t, true
		}
	}
	return PlannedTrajectory{}, false
}

// Plan is one version of a plan van aanpak (Participatiewet art. 44a).
type Plan struct {
	ID           int64
	CaseID       int64
	Version      int // 1, 2, ...: every save is a new version
	Situation    string
	LadderNow    int
	LadderTarget int
	Segment      string
	Goals        string
	Obligations  string
	Consequences string
	Trajectories []PlannedTrajectory
	EvaluationOn time.Time
	SignedOn     time.Time // zero until the client signed
	// SignedDocumentID is the document of the plan as signed: an uploaded
	// scan, a printed plan, or the plan made with the signature date.
	SignedDocumentID int64
	// Note says why this version was made when not by the plan form: an
	// evaluation that changes the plan.
	Note       string
	AuthorID   int64
	AuthorName string
	CreatedAt  time.Time
}

// Voorschot is an advance on the benefit (Participatiewet art. 52),
// recorded for one voorschot date of an undecided application: paid, with
// its amount and date, or not, with the reason.
type Voorschot struct {
	ID          int64
	CaseID      int64     // the application (0/L2)
	TaskID      int64     // the task "Voorschot beoordelen" that recorded it
	DueOn       time.Time // the voorschot date it is for
	Granted     bool
	AmountCents int64     // when granted
	On          time.Time // the day it was paid, or it was decided not to pay
	Reason      string    // why not (and any note when paid)
	ActorID     int64
	ActorName   string
	CreatedAt   time.Time
}

// PlanEvaluation is an evaluation of the plan van aanpak with the client
// (Participatiewet art. 44a).
type PlanEvaluation struct {
	ID          int64
	CaseID      int64     // the participation case (17/PA)
	TaskID      int64     // the task "Plan van aanpak evalueren" that recorded it
	DueOn       time.Time // the evaluation date it was planned for
	HeldOn      time.Time // the day of the conversation
	Done        string    // what was done
	Changes     string    // what changes
	PlanChanged bool      // the plan got a new version
	PlanVersion int       // the plan version after the evaluation
	NextOn      time.Time // the next evaluation date
	ActorID     int64
	ActorName   string
	CreatedAt   time.Time
}

// Trajectory statuses.
const (
	TrajectoryRunning  = "lopend"
	TrajectoryFinished = "afgerond"
	TrajectoryStopped  = "gestopt"
)

// Trajectory is a registered trajectory with its activities.
type Trajectory struct {
	ID         int64
	CaseID     int64
	Provider   string
	Title      string
	Status     string
	StartOn    time.Time
	EndOn      time.Time
	Result     string
	MayFinish  bool // runs on after the case closed ("Baanbrekend mag afgemaakt worden")
	PlanRow    int  // the row of the plan van aanpak it is (1-based); 0: none
	Activities []Activity
	CreatedBy  int64
	CreatedAt  time.Time
}

// Activity is an activity inside a trajectory.
type Activity struct {
	ID           int64
	TrajectoryID int64
	Description  string
	DueOn        time.Time
}

// Registration is a client's registration with a provider (Hallo Werk, ...).
// It carries the minimum: never a BSN.
type Registration struct {
	ID           int64
	CaseID       int64
	TrajectoryID int64 // the trajectory it registers for; 0: a registration on its own
	Provider     string
	Status       string
	On           time.Time
	Note         string
	MayFinish    bool // runs on after the case closed, like a trajectory
	CreatedBy    int64
	UpdatedAt    time.Time
	Version      int
}

// Active reports whether the registration still runs (not refused or ended).
func (r Registration) Active() bool {
	return r.Status != process.RegistrationRefused && r.Status != process.RegistrationEnded
}

// Appointment is a meeting with the client in a room with a klantmanager.
type Appointment struct {
	ID               int64
	CaseID           int64
	ClientID         int64
	Kind             string
	StartAt          time.Time
	EndAt            time.Time
	Room             string
	KlantmanagerID   int64
	Cancelled        bool
	CreatedBy        int64
	CreatedAt        time.Time
	UID              string // calendar identity (RFC 5545 UID), stable over updates
	Sequence         int    // raised by every move and the cancellation
	Status           string // process.AppointmentPlanned, Held, NoShow or Lapsed; a cancelled one is also Cancelled
	KlantmanagerName string
}

// Planned reports whether the appointment is still to come or to be
// recorded: not cancelled, not yet held or missed.
func (a Appointment) Planned() bool { return !a.Cancelled && a.Status == process.AppointmentPlanned }

// Kinds of suspension of the decision term.
const (
	// SuspensionRequest: by a request to complete the application (Awb 4:5,
	// 4:15 lid 1 a), made and ended by the steps.
	SuspensionRequest = "aanvulling"
	// SuspensionConsent: the applicant agreed in writing to a delay (Awb
	// 4:15 lid 2 a), entered on the suspension form.
	SuspensionConsent = "instemming"
)

// Suspension suspends an application's decision term (Awb 4:15) from
// StartOn up to, not including, EndOn: EndOn is the first day the term runs
// again. While it runs EndOn is zero and PlannedEnd is the last day it may
// run.
type Suspension struct {
	ID          int64
	CaseID      int64
	Kind        string    // SuspensionRequest or SuspensionConsent
	RequestedOn time.Time // the request to complete (SuspensionRequest)
	StartOn     time.Time
	EndOn       time.Time // zero while running
	PlannedEnd  time.Time // the completion term's last day, or the consent's
	Reason      string
	By          int64
	At          time.Time
}

// Running reports whether the suspension has not ended.
func (s Suspension) Running() bool { return s.EndOn.IsZero() }

// Term is the suspension as the term arithmetic sees it.
func (s Suspension) Term() process.Suspension {
	return process.Suspension{Start: s.StartOn, End: s.EndOn, PlannedEnd: s.PlannedEnd, Reason: s.Reason}
}

// Event is one line of a case's or client's history. Events are appended in
// the same transaction as the change they describe and never edited.
type Event struct {
	ID        int64
	ClientID  int64
	CaseID    int64
	TaskID    int64
	Kind      string
	Summary   string // Dutch, free of BSN
	Reason    string
	ActorID   int64
	ActorName string
	At        time.Time
}

// Message statuses in the outbox.
const (
	MessageWaiting  = "wachtend"
	MessageSent     = "verzonden"
	MessageRetrying = "opnieuw"
	MessageFailed   = "mislukt"
	// MessageByPost is a message to a client without an e-mail address: a
	// letter to print and post. The worker never sends it.
	MessageByPost = "per_post"
)

// Message is a mail in the durable outbox, written in the same transaction
// as the step that causes it. A worker delivers it.
type Message struct {
	ID       int64
	ClientID int64
	CaseID   int64
	TaskID   int64
	Kind     string // "E-mail TOP", "E-mail KM", "E-mail AG", "Uitnodiging klant", ...
	From     string
	To       string
	ToName   string
	Subject  string // never a BSN
	Body     string // plain text
	HTML     string // the same content as HTML
	// An optional calendar invitation (text/calendar).
	AttachmentName string
	AttachmentType string
	Attachment     string
	// Files are attached when the message is delivered (a letter's PDF);
	// they are not stored with the message.
	Files []Attachment
	// Letter: the message carries a letter (set when it is written, for
	// the queue of its delivery job; not stored).
	Letter        bool
	DedupeKey     string // for derived messages: one per key, however often derived
	Status        string
	Attempts      int
	LastError     string
	CreatedAt     time.Time
	SentAt        time.Time
	NextAttemptAt time.Time // while retrying
	MessageID     string    // stable Message-ID, set at creation
}

// Reminder kinds.
const (
	ReminderBeforeDue = "voor_termijn"     // to the holder, before the term runs out
	ReminderOverdue   = "termijn_verlopen" // to the team lead, after it ran out
	ReminderVoorschot = "voorschot"        // before each 4-weekly voorschot date: creates the task to assess it
	// ReminderEvaluation: before an evaluation date of the plan van aanpak;
	// creates the task to evaluate it.
	ReminderEvaluation = "plan_evaluatie"
)

// ReminderKindNames gives the Dutch label of each kind.
var ReminderKindNames = map[string]string{
	ReminderBeforeDue:  "Herinnering termijn",
	ReminderOverdue:    "Termijn verlopen",
	ReminderVoorschot:  "Voorschotdatum",
	ReminderEvaluation: "Evaluatie plan van aanpak",
}

// Reminder statuses.
const (
	ReminderPlanned  = "gepland"
	ReminderSent     = "verstuurd"
	ReminderObsolete = "vervallen"
)

// Reminder is a planned reminder about a term, fired by a job at SendAt.
type Reminder struct {
	ID        int64
	Kind      string
	TaskID    int64 // 0 for a signal on the case (voorschot, evaluation)
	CaseID    int64
	DueOn     time.Time // the due (or voorschot) date it was planned for
	SendAt    time.Time
	Status    string
	Note      string // why it lapsed, or to whom it went
	MessageID int64
	CreatedAt time.Time
	DoneAt    time.Time
}

// ReminderFilter selects reminders.
type ReminderFilter struct {
	TaskID int64
	CaseID int64
	Status string
}

// MessageFilter selects outbox messages.
type MessageFilter struct {
	CaseID   int64
	ClientID int64
	Status   string
	Limit    int
	// Cursor, when set, selects the messages after it (before it, with
	// Back), newest first; made by MessageCursor.
	Cursor *Cursor
}

// Melding is the report of someone younger than the pilot's minimum age
// that they need support (Participatiewet art. 41): they first search for
// work until SearchUntil (art. 41 lid 4) and may apply from the day after.
type Melding struct {
	ID          int64
	ClientID    int64
	ReportedOn  time.Time
	SearchUntil time.Time
	Channel     string // ChannelDigital or ChannelPhysical
	Reference   string // shown to the applicant on the public form (ML-…)
	By          int64
	At          time.Time
}

// MayApplyFrom is the first day the application can be taken in.
func (m Melding) MayApplyFrom() time.Time { return process.AddDays(m.SearchUntil, 1) }
