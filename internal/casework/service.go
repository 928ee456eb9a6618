package casework

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Room is a consultation room that appointments book.
type Room struct {
	Key      string `json:"key"`
	Name     string `json:"name"`
	Location string `json:"location"` // where in the building, e.g. "Gemeentehuis, begane grond"
	// Address is the street address of the building, for the client's
	// invitation: "Marktplein 10, 2981 AB Ridderkerk".
	Address  string `json:"address"`
	Capacity int    `json:"capacity"`
}

// Config is what the use cases need beyond the process policy.
type Config struct {
	BaseURL      string        `json:"-"`           // e.g. http://localhost:8080, for links in mails
	MailDomain   string        `json:"mail_domain"` // right-hand side of Message-IDs and calendar UIDs
	Sender       string        `json:"sender"`      // From of internal mails: hand-overs, reminders, digests
	Rooms        []Room        `json:"rooms"`
	Durations    []int         `json:"durations"` // appointment lengths in minutes
	OfficeOpens  time.Duration `json:"office_opens"`
	OfficeCloses time.Duration `json:"office_closes"`
	// Contact is how clients reach the municipality: in invitations, on the
	// public form and its thank-you page.
	Contact ClientContact `json:"contact"`
	// NoBSNMessage refuses a BSN (nine digits that pass the elfproef) in
	// free text; a form's own no_bsn check may say it otherwise.
	NoBSNMessage string `json:"no_bsn_message"`
	// Letterhead is the municipality on its letters, besides Contact.
	Letterhead Letterhead `json:"letterhead"`
	// UploadMaxBytes is the largest document a caseworker may upload
	// (default DefaultUploadLimit, 10 MB).
	UploadMaxBytes int64 `json:"upload_max_bytes"`
	// Retention is the selectielijst per result type and the approval
	// rule of destruction (process.DefaultRetention).
	Retention process.Retention `json:"retention"`
	// SignIn is the policy of local accounts: passwords, second factor,
	// login throttling.
	SignIn SignIn `json:"sign_in"`
	// Audit and Processing are the top-level "audit" and "processing"
	// keys of the configuration (internal/config copies them here).
	Audit      AuditConfig      `json:"-"`
	Processing ProcessingConfig `json:"-"`
}

// ClientContact is how clients reach the municipality.
type ClientContact struct {
	Municipality string `json:"municipality"` // "gemeente Ridderkerk": who the client deals with
	Phone        string `json:"phone"`        // to cancel or move an appointment, with questions
	PhoneHours   string `json:"phone_hours"`  // when the phone is answered
	Address      string `json:"address"`      // the visiting address of the municipality
}

// defaultAddress is the invented visiting address of the defaults.
const defaultAddress = "Marktplein 10, 2981 AB Ridderkerk"

// DefaultConfig returns working defaults with invented rooms.
func DefaultConfig() Config {
	return Config{
		BaseURL:    "http://localhost:8080",
		MailDomain: "werkdiagnose.invalid",
		Sender:     "noreply-werkdiagnose@bar-organisatie.nl",
		Rooms: []Room{
			{Key: "sk1", Name: "Spreekkamer 1", Location: "Gemeentehuis, begane grond", Address: defaultAddress, Capacity: 3},
			{Key: "sk2", Name: "Spreekkamer 2", Location: "Gemeentehuis, begane grond", Address: defaultAddress, Capacity: 3},
			{Key: "sk3", Name: "Spreekkamer 3", Location: "Gemeentehuis, eerste verdieping", Address: defaultAddress, Capacity: 5},
		},
		Durations:    []int{30, 45, 60, 90},
		OfficeOpens:  8 * time.Hour,
		OfficeCloses: 18 * time.Hour,
		// Invented defaults in the municipality's form; configure the real ones.
		Contact: ClientContact{Municipality: "gemeente Ridderkerk", Phone: "0180 451 234",
			PhoneHours: "op werkdagen van 9.00 tot 17.00 uur", Address: defaultAddress},
		NoBSNMessage: "Zet geen BSN in een toelichting.",
		Letterhead: Letterhead{Department: "Werk en Inkomen", PostalAddress: "Postbus 271, 2980 AG Ridderkerk",
			Website: "www.ridderkerk.example", Signatory: "M. de Vries", SignatoryFunction: "teamleider Werk en Inkomen",
			ObjectionAddress: "het college van burgemeester en wethouders, Postbus 271, 2980 AG Ridderkerk"},
		UploadMaxBytes: DefaultUploadLimit,
		Retention:      process.DefaultRetention(),
		SignIn:         DefaultSignIn(),
		Audit:          AuditConfig{RetentionDays: DefaultAuditRetentionDays},
		Processing:     DefaultProcessing(),
	}
}

// AppointmentOptions are the choices of the appointment form this
// configuration gives: its rooms (with place and size) and lengths.
func (c Config) AppointmentOptions() map[string][]process.Option {
	rooms := make([]process.Option, 0, len(c.Rooms))
	for _, r := range c.Rooms {
		rooms = append(rooms, process.Option{Value: r.Key, Label: fmt.Sprintf("%s (%s, %d personen)", r.Name, r.Location, r.Capacity)})
	}
	durs := make([]process.Option, 0, len(c.Durations))
	for _, d := range c.Durations {
		durs = append(durs, process.Option{Value: strconv.Itoa(d), Label: fmt.Sprintf("%d minuten", d)})
	}
	return map[string][]process.Option{process.SourceRooms: rooms, process.SourceDurations: durs}
}

// Room returns the room with the given key.
func (c Config) Room(key string) (Room, bool) {
	for _, r := range c.Rooms {
		if r.Key == key {
			return r, true
		}
	}
	return Room{}, false
}

// Deps are what the service runs on.
type Deps struct {
	Store Store
	Clock Clock // nil: SystemClock
	// Invitations writes the calendar file that goes with an appointment's
	// mail (internal/ics implements it).
	Invitations Invitations
	// Letters renders the letters to clients (internal/letters implements it).
	Letters Letters
	// PDF prints letters as PDF (internal/pdf); nil: no renderer, letters
	// are kept and served as HTML.
	PDF PDFRenderer
	Log *slog.Logger // nil: slog.Default()
}

// core is what every area of the use cases shares: the clock, the
// configuration, the current definition and those cases started on.
type core struct {
	clock   Clock
	cfg     Config
	log     *slog.Logger
	def     *process.Definition // the current definition for new cases
	cal     *process.Calendar   // working days, from the current policy
	invites Invitations
	letters Letters
	pdf     PDFRenderer
	defs    *definitions
}

// definitions caches the definitions cases started on, by version.
type definitions struct {
	mu     sync.Mutex
	byVers map[string]*process.Definition
}

// Service is every area of the use cases, each on the part of the store
// it declares (AccountTx, DossierTx, …). Adapters reach it through the
// area interfaces of services.go.
type Service struct {
	*Accounts
	*Applications
	*Tasks
	*Clients
	*Dossiers
	*Appointments
	*Messages
	*Reminders
	*Caseloads
	*Contacts
	*Documents
	*Retention
	*Audit
	core  *core
	store Store
}

// NewService wires the use cases. It refuses a definition that names a
// check or an effect casework does not implement, and stores the current
// definition so that cases started on it find it after the policy changes.
func NewService(ctx context.Context, deps Deps, def *process.Definition, cfg Config) (s *Service, err error) {
	defer wrap(&err, "start the use cases")
	if deps.Store == nil || deps.Invitations == nil || deps.Letters == nil {
		return nil, errors.New("casework: a store, an invitation writer and a letter writer are required")
	}
	if deps.Clock == nil {
		deps.Clock = SystemClock{}
	}
	if deps.Log == nil {
		deps.Log = slog.Default()
	}
	if err := checkDefinition(def); err != nil {
		return nil, fmt.Errorf("process definition %s: %w", def.Version, err)
	}
	cal, err := process.NewCalendar(def.Policy.Calendar)
	if err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	c := &core{clock: deps.Clock, cfg: cfg, log: deps.Log, def: def, cal: cal, invites: deps.Invitations,
		letters: deps.Letters, pdf: deps.PDF, defs: &definitions{byVers: map[string]*process.Definition{def.Version: def}}}
	body, err := json.Marshal(def)
	if err != nil {
		return nil, err
	}
	if err := deps.Store.Update(ctx, func(tx Tx) error { return tx.SaveDefinition(ctx, def.Version, body) }); err != nil {
		return nil, fmt.Errorf("save process definition: %w", err)
	}
	if len(cfg.Processing.Activities) == 0 {
		cfg.Processing.Activities = DefaultProcessing().Activities
	}
	if err := cfg.Processing.Validate(); err != nil {
		return nil, err
	}
	key := []byte(cfg.Processing.SubjectKey)
	if len(key) == 0 {
		// No key configured (a laptop, a test): a random one, so that the
		// pseudonyms cannot be recomputed, at the price of not linking
		// records across restarts. serve refuses this in production.
		key = []byte(randomHex(32))
		deps.Log.Warn("processing.subject_key is not set: data subject ids are pseudonymised with a key for this run only")
	}
	alog := &auditLog{clock: deps.Clock, cfg: cfg.Processing, key: key}
	raw := deps.Store
	st := Store(auditingStore{Store: raw, log: alog})
	s = &Service{core: c, store: raw,
		Audit:        newAudit(c, raw, alog, cfg.Audit.RetentionDays),
		Accounts:     &Accounts{core: c, store: Narrow(st, func(tx Tx) AccountTx { return tx })},
		Clients:      &Clients{core: c, store: Narrow(st, func(tx Tx) Tx { return tx })},
		Dossiers:     &Dossiers{core: c, store: Narrow(st, func(tx Tx) DossierTx { return tx })},
		Appointments: &Appointments{core: c, store: Narrow(st, func(tx Tx) AppointmentsTx { return tx })},
		Messages:     &Messages{core: c, store: Narrow(st, func(tx Tx) MessageTx { return tx })},
		Reminders:    &Reminders{core: c, store: Narrow(st, func(tx Tx) ReminderAreaTx { return tx })},
		Applications: &Applications{core: c, store: Narrow(st, func(tx Tx) ApplicationTx { return tx })},
	}
	s.Clients.details = Narrow(st, func(tx Tx) ClientDetailsTx { return tx })
	s.Tasks = &Tasks{core: c, store: Narrow(st, func(tx Tx) Tx { return tx }),
		appointments: s.Appointments, dossiers: s.Dossiers, clients: s.Clients, counts: newCountCache()}
	s.Caseloads = &Caseloads{core: c, store: Narrow(st, func(tx Tx) CaseloadAreaTx { return tx })}
	s.Contacts = &Contacts{core: c, store: Narrow(st, func(tx Tx) ContactAreaTx { return tx })}
	s.Documents = &Documents{core: c, store: Narrow(st, func(tx Tx) DocumentAreaTx { return tx }), tasks: s.Tasks}
	s.Retention = &Retention{core: c, store: Narrow(st, func(tx Tx) retentionTx { return tx }),
		export: Narrow(st, func(tx Tx) exportTx { return tx })}
	return s, nil
}

// Definition returns the current process definition.
func (s *Service) Definition() *process.Definition { return s.core.def }

// Calendar returns the working-day calendar of the current policy.
func (s *Service) Calendar() *process.Calendar { return s.core.cal }

// Config returns the service configuration.
func (s *Service) Config() Config { return s.core.cfg }

// Now returns the service clock's time.
func (s *Service) Now() time.Time { return s.core.clock.Now() }

// Ping checks that the store is reachable.
func (s *Service) Ping(ctx context.Context) error { return s.store.Ping(ctx) }

// definition returns the definition a case started with.
func (s *core) definition(ctx context.Context, tx DefinitionTx, version string) (*process.Definition, error) {
	s.defs.mu.Lock()
	d, ok := s.defs.byVers[version]
	s.defs.mu.Unlock()
	if ok {
		return d, nil
	}
	body, err := tx.DefinitionBody(ctx, version)
	if err != nil {
		return nil, fmt.Errorf("definition %s: %w", version, err)
	}
	d, err = process.ParseDefinition(body)
	if err != nil {
		return nil, err
	}
	s.defs.mu.Lock()
	s.defs.byVers[version] = d
	s.defs.mu.Unlock()
	return d, nil
}

// Actor is the user on whose behalf a use case runs.
type Actor struct {
	User User
}

// Roles returns the actor's roles.
func (a Actor) Roles() process.Roles { return a.User.Roles }

// event appends a history line for the actor.
func (s *core) event(ctx context.Context, tx EventTx, a Actor, clientID, caseID, taskID int64, kind, summary, reason string) error {
	e := &Event{ClientID: clientID, CaseID: caseID, TaskID: taskID, Kind: kind, Summary: summary, Reason: reason,
		ActorID: a.User.ID, ActorName: a.User.Name, At: s.clock.Now().UTC()}
	return tx.AppendEvent(ctx, e)
}

// enqueue writes a message to the outbox with a stable Message-ID. A
// message to a client without an e-mail address (every message not from
// the internal sender) is a letter to print: MessageByPost, which no job
// sends. Any other message without an address fails at once.
func (s *core) enqueue(ctx context.Context, tx OutboxTx, m *Message) error {
	m.Status = MessageWaiting
	m.CreatedAt = s.clock.Now().UTC()
	m.MessageID = fmt.Sprintf("<%s@%s>", randomHex(16), s.cfg.MailDomain)
	if strings.TrimSpace(m.To) == "" {
		if m.ClientID != 0 && m.From != s.cfg.Sender {
			m.Status = MessageByPost
		} else {
			m.Status = MessageFailed
			m.LastError = "Geen e-mailadres bekend."
		}
	}
	return tx.EnqueueMessage(ctx, m)
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b)
}

// today is the current calendar date in Europe/Amsterdam.
func (s *core) today() time.Time { return process.Date(s.clock.Now()) }

// notFound turns a store not-found into a Dutch not-found error.
func notFoundAs(err error, what string) error {
	if errors.Is(err, ErrNotFound) {
		return NotFound(what)
	}
	return err
}

// userName returns a user's name for messages, or a placeholder.
func userName(ctx context.Context, tx UserTx, id int64) string {
	if id == 0 {
		return "niemand"
	}
	u, err := tx.UserByID(ctx, id)
	if err != nil {
		return "een collega"
	}
	return u.Name
}

// wrap adds where an error happened to an error that is not the domain's
// own: a logged 500 then says which use case and which query failed. The
// domain's errors (*Error) pass unchanged, their message is for the user.
func wrap(errp *error, format string, args ...any) {
	if *errp == nil {
		return
	}
	var e *Error
	if errors.As(*errp, &e) {
		return
	}
	*errp = fmt.Errorf(format+": %w", append(args, *errp)...)
}
