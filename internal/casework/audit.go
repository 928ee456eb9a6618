package casework

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// The audit log (BIO2 8.15.01: action, object, result, origin, actor,
// time) and the processing log (Logboek Dataverwerkingen). The adapters
// open an AuditRequest per request (WithAudit); the use cases need do
// nothing: the store the areas run on notes every client, case and task
// they load (auditingStore), a change writes its audit and processing rows
// in its own transaction, and the adapter records a read, a refusal or a
// failure when it has answered (Audit.RecordRequest). See docs/security.md.

// Results of an audited request.
const (
	AuditAllowed = "allowed" // served, or the change committed
	AuditRefused = "refused" // 401 or 403
	AuditFailed  = "failed"  // any other error: not found, invalid, conflict, 500
)

// Channels of an audited request.
const (
	ChannelWeb = "web"
	ChannelAPI = "api"
)

// Kinds of actor in the audit log.
const (
	ActorUser      = "user"
	ActorSystem    = "system"    // an e-form system account (User.System)
	ActorAnonymous = "anonymous" // nobody signed in (login, 401)
)

// AuditEntry is one row of the audit log: ids only, never a name, a BSN
// or free text.
type AuditEntry struct {
	ID        int64
	Day       string // YYYY-MM-DD in Europe/Amsterdam: the day whose chain it is in
	Seq       int64  // its place in the day's chain, from 1
	At        time.Time
	ActorID   int64  // the user or system account; 0 for nobody
	ActorKind string // ActorUser, ActorSystem, ActorAnonymous
	Action    string // the route: "GET /klanten/{id}", "POST /api/aanvragen"
	Channel   string // ChannelWeb, ChannelAPI
	ClientID  int64
	CaseID    int64
	TaskID    int64
	Result    string // AuditAllowed, AuditRefused, AuditFailed
	Status    int    // the HTTP status; 0 for a row written with its change, before the answer
	Address   string // the client address of the request
	TraceID   string
	PrevHash  string // the hash of the day's previous row ("" for the first)
	Hash      string // AuditHash of this row
}

// AuditHash is the hash of an entry: SHA-256 over a canonical encoding of
// its fields (each as its length, a colon and its text) and the previous
// row's hash, in hex. Changing any field, the order or the link changes it.
func AuditHash(e AuditEntry) string {
	var b strings.Builder
	b.WriteString("wd-audit-v1")
	for _, f := range []string{e.Day, strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(time.RFC3339Nano),
		strconv.FormatInt(e.ActorID, 10), e.ActorKind, e.Action, e.Channel,
		strconv.FormatInt(e.ClientID, 10), strconv.FormatInt(e.CaseID, 10), strconv.FormatInt(e.TaskID, 10),
		e.Result, strconv.Itoa(e.Status), e.Address, e.TraceID, e.PrevHash} {
		b.WriteString(strconv.Itoa(len(f)))
		b.WriteByte(':')
		b.WriteString(f)
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// AuditDay is the chain day of a moment: its date in Europe/Amsterdam.
func AuditDay(t time.Time) string { return t.In(process.Amsterdam).Format(time.DateOnly) }

// ProcessingRecord is one line of the processing log: one processing
// action on one data subject, with no user identity.
type ProcessingRecord struct {
	ID           int64
	Day          string
	TraceID      string
	SpanID       string
	ParentSpanID string
	Name         string // the operation: the route, as in the audit log
	Status       string // ProcessingOK, ProcessingError
	StartedAt    time.Time
	EndedAt      time.Time
	ActivityID   string // the processing activity of the register
	SubjectID    string // HMAC-SHA256 of the data subject's BSN under the configured key, hex
}

// Statuses of a processing record (the standard's status: OK or ERROR).
const (
	ProcessingOK    = "OK"
	ProcessingError = "ERROR"
)

// AuditHead is a day's last row: its seq and hash.
type AuditHead struct {
	Day  string
	Seq  int64
	Hash string
}

// AuditPurge is a day the retention purge removed.
type AuditPurge struct {
	Day      string
	PurgedAt time.Time
	Rows     int64
	HeadHash string
}

// AuditFilter selects audit rows for the beheerder's page and export.
type AuditFilter struct {
	From, To string // days, YYYY-MM-DD, inclusive; "" is open
	ActorID  int64
	ClientID int64
	Action   string // a part of the action
	Limit    int    // 0: no limit
	// Cursor, when set, selects the rows after it (before it, with Back)
	// in the order of Oldest; made by AuditCursor.
	Cursor *Cursor
	Oldest bool // oldest first (an export that new rows do not shift); else newest first
}

// AuditTx writes and reads the audit and processing logs.
type AuditTx interface {
	// AppendAudit links e to the last row of its day (locking the day's
	// head, so writers append one at a time) and inserts it; it sets Seq,
	// PrevHash, Hash and ID.
	AppendAudit(ctx context.Context, e *AuditEntry) error
	AppendProcessing(ctx context.Context, p *ProcessingRecord) error
	AuditEntries(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
	CountAuditEntries(ctx context.Context, f AuditFilter) (int, error)
	// AuditDays lists the days between from and to ("" open) that have
	// rows or a head, ascending.
	AuditDays(ctx context.Context, from, to string) ([]string, error)
	// AuditDayEntries returns one day's rows by seq, and its head (zero
	// Day when it has none).
	AuditDayEntries(ctx context.Context, day string) ([]AuditEntry, AuditHead, error)
	AuditPurges(ctx context.Context, from, to string) ([]AuditPurge, error)
	// PurgeAuditDay records the purge of a whole day and removes its audit
	// and processing rows and its head: the one way rows leave the logs.
	PurgeAuditDay(ctx context.Context, day string, at time.Time) (AuditPurge, error)
	ProcessingRecords(ctx context.Context, traceID string) ([]ProcessingRecord, error)
}

// AuditConfig is the policy of the audit log.
type AuditConfig struct {
	// RetentionDays is how long audit and processing rows are kept, in
	// days; the daily purge removes whole days older than that.
	RetentionDays int `json:"retention_days"`
}

// DefaultAuditRetentionDays: two years (see docs/security.md, "Audit log").
const DefaultAuditRetentionDays = 730

// ProcessingConfig is the register of processing activities and the key
// of the pseudonyms in the processing log.
type ProcessingConfig struct {
	// SubjectKey is the HMAC key of the data subject ids (secret: set it
	// in WERKDIAGNOSE_SUBJECT_KEY, not in the file).
	SubjectKey string               `json:"subject_key"`
	Activities []ProcessingActivity `json:"activities"`
}

// ProcessingActivity is one entry of the register of processing
// activities (AVG art. 30).
type ProcessingActivity struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Purpose    string `json:"purpose"`
	LegalBasis string `json:"legal_basis"`
	// Paths are the route paths (without /api) whose processing belongs to
	// this activity, matched as prefixes: "/dossiers/" covers every
	// dossier route of the web and of the API.
	Paths []string `json:"paths"`
	// Default marks the activity of every route no other activity names.
	Default bool `json:"default,omitempty"`
}

// DefaultProcessing is the register of the pilot's processing activities.
func DefaultProcessing() ProcessingConfig {
	return ProcessingConfig{Activities: []ProcessingActivity{
		{ID: "wd-levensonderhoud", Name: "Aanvraag levensonderhoud behandelen",
			Purpose:    "Vaststellen of en vanaf wanneer de aanvrager recht heeft op bijstand, en de melding vastleggen.",
			LegalBasis: "Participatiewet art. 41 (melding), 43 (aanvraag en besluit), 44 (ingangsdatum), 52 (voorschot) en 53a (onderzoek en inlichtingen); AVG art. 6 lid 1 onder e",
			Paths:      []string{"/aanvraag", "/aanvragen", "/meldingen", "/voorschotten"}},
		{ID: "wd-arbeidsinschakeling", Name: "Ondersteuning bij arbeidsinschakeling",
			Purpose:    "De werkdiagnose, het plan van aanpak, trajecten en afspraken die de klant naar werk brengen.",
			LegalBasis: "Participatiewet art. 7 lid 1 onder a, 9 en 44a; AVG art. 6 lid 1 onder e",
			Paths:      []string{"/dossiers", "/afspraken", "/trajecten", "/aanmeldingen"}},
		{ID: "wd-klantdossier", Name: "Klantdossier bijhouden",
			Purpose:    "Het dossier van de klant inzien en bijhouden: taken, contactgegevens, contactmomenten, documenten en brieven.",
			LegalBasis: "Participatiewet art. 7, 43 en 53a; Algemene wet bestuursrecht art. 3:2; AVG art. 6 lid 1 onder e",
			Default:    true},
	}}
}

// Validate reports the first problem of the register.
func (p ProcessingConfig) Validate() error {
	seen := map[string]bool{}
	defaults := 0
	for _, a := range p.Activities {
		if a.ID == "" || seen[a.ID] {
			return fmt.Errorf("processing.activities: id %q is empty or used twice", a.ID)
		}
		seen[a.ID] = true
		if a.Name == "" || a.Purpose == "" || a.LegalBasis == "" {
			return fmt.Errorf("processing.activities %q: name, purpose and legal_basis are required", a.ID)
		}
		if a.Default {
			defaults++
		}
	}
	if defaults != 1 {
		return errors.New("processing.activities: exactly one activity must be the default")
	}
	return nil
}

// Activity returns the activity of a route action ("GET /api/dossiers/{id}").
func (p ProcessingConfig) Activity(action string) string {
	_, path, _ := strings.Cut(action, " ")
	path = strings.TrimPrefix(path, "/api")
	def := ""
	for _, a := range p.Activities {
		for _, prefix := range a.Paths {
			if strings.HasPrefix(path, prefix) {
				return a.ID
			}
		}
		if a.Default {
			def = a.ID
		}
	}
	return def
}

// AuditRequest is the audit context of one request, opened by the adapter
// (WithAudit) and filled by it (the actor once known) and by the store
// the use cases run on (the clients, cases and tasks they load). It is
// safe for concurrent use.
type AuditRequest struct {
	Channel string
	Action  string
	Address string
	Trace   Trace
	Started time.Time

	mu        sync.Mutex
	armed     bool // the actor is known: changes are written with their audit rows
	actorID   int64
	actorKind string
	path      subject   // the object the route names (refusals name it too)
	subjects  []subject // every client the request read or changed, in order
	changes   int       // audit rows written with changes
	refused   bool      // refused whatever the status (a redirect to the login page)
}

// Refuse marks the request refused whatever its status: a page that needs
// a signed-in user answers anonymous visitors with a redirect to the login
// page, which is a refusal, not a success.
func (r *AuditRequest) Refuse() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.refused = true
}

type subject struct {
	clientID, caseID, taskID int64
	bsn                      string
}

// SetActor records who the request acts as; from then on its changes are
// audited in their transactions.
func (r *AuditRequest) SetActor(u User) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.armed, r.actorID, r.actorKind = true, u.ID, ActorUser
	if u.System {
		r.actorKind = ActorSystem
	}
}

// Object kinds a route can name in its path.
const (
	ObjectClient = "client"
	ObjectCase   = "case"
	ObjectTask   = "task"
)

// NoteObject records the object the route names (a client, case or task
// id from the path), so that a refusal before anything is loaded still
// names it.
func (r *AuditRequest) NoteObject(kind string, id int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch kind {
	case ObjectClient:
		r.path.clientID = id
	case ObjectCase:
		r.path.caseID = id
	case ObjectTask:
		r.path.taskID = id
	}
}

// ObjectOfSegment is the kind of object a path's first segment names by
// its {id}: /klanten/{id} a client, /taken/{id} a task, /dossiers/{id} and
// /aanvragen/{id} a case; "" for others.
func ObjectOfSegment(segment string) string {
	switch segment {
	case "klanten":
		return ObjectClient
	case "taken":
		return ObjectTask
	case "dossiers", "aanvragen":
		return ObjectCase
	}
	return ""
}

// note adds what a query loaded to the request (and to the set of a
// change being written, when set is not nil).
func (r *AuditRequest) note(set *[]subject, s subject) {
	if s.clientID == 0 {
		return
	}
	add := func(list *[]subject) {
		for i := range *list {
			x := &(*list)[i]
			if x.clientID == s.clientID {
				if x.caseID == 0 {
					x.caseID = s.caseID
				}
				if x.taskID == 0 {
					x.taskID = s.taskID
				}
				if x.bsn == "" {
					x.bsn = s.bsn
				}
				return
			}
		}
		*list = append(*list, s)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	add(&r.subjects)
	if set != nil {
		add(set)
	}
}

type auditKey struct{}

// WithAudit returns ctx carrying the request's audit context.
func WithAudit(ctx context.Context, r *AuditRequest) context.Context {
	return context.WithValue(ctx, auditKey{}, r)
}

// AuditFrom returns the request's audit context, or nil.
func AuditFrom(ctx context.Context) *AuditRequest {
	r, _ := ctx.Value(auditKey{}).(*AuditRequest)
	return r
}

// armedAudit returns the request's audit context when its actor is known.
func armedAudit(ctx context.Context) *AuditRequest {
	r := AuditFrom(ctx)
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.armed {
		return nil
	}
	return r
}

// auditLog writes the rows of a request; the areas share it.
type auditLog struct {
	clock Clock
	cfg   ProcessingConfig
	key   []byte
}

// subjectID is the pseudonym of a BSN: HMAC-SHA256 under the key, hex.
func (l *auditLog) subjectID(bsn string) string {
	m := hmac.New(sha256.New, l.key)
	m.Write([]byte(bsn))
	return hex.EncodeToString(m.Sum(nil))
}

// auditWriteTx is what writing a request's rows needs.
type auditWriteTx interface {
	AuditTx
	ClientByID(ctx context.Context, id int64) (Client, error)
}

// write appends the audit rows of a request (one per client, or one
// naming the route's object when it touched none) and, when it was
// allowed, one processing record per client.
func (l *auditLog) write(ctx context.Context, tx auditWriteTx, r *AuditRequest, subjects []subject, result string, status int) error {
	now := l.clock.Now().UTC().Truncate(time.Microsecond)
	r.mu.Lock()
	base := AuditEntry{Day: AuditDay(now), At: now, ActorID: r.actorID, ActorKind: r.actorKind, Action: r.Action,
		Channel: r.Channel, Result: result, Status: status, Address: r.Address, TraceID: r.Trace.TraceID}
	if base.ActorKind == "" {
		base.ActorKind = ActorAnonymous
	}
	path := r.path
	r.mu.Unlock()
	rows := subjects
	if len(rows) == 0 {
		rows = []subject{path}
	}
	for _, s := range rows {
		e := base
		e.ClientID, e.CaseID, e.TaskID = s.clientID, s.caseID, s.taskID
		if e.CaseID == 0 && s.clientID == path.clientID {
			e.CaseID = path.caseID
		}
		if e.TaskID == 0 && s.clientID == path.clientID {
			e.TaskID = path.taskID
		}
		if err := tx.AppendAudit(ctx, &e); err != nil {
			return fmt.Errorf("audit row: %w", err)
		}
	}
	if result != AuditAllowed {
		return nil
	}
	status2 := ProcessingOK
	if status >= 400 {
		status2 = ProcessingError
	}
	for _, s := range subjects {
		bsn := s.bsn
		if bsn == "" {
			c, err := tx.ClientByID(ctx, s.clientID)
			if errors.Is(err, ErrNotFound) {
				continue // destroyed in the meantime: no subject left to name
			}
			if err != nil {
				return fmt.Errorf("processing record: client %d: %w", s.clientID, err)
			}
			bsn = c.BSN
		}
		if bsn == "" {
			continue
		}
		p := &ProcessingRecord{Day: base.Day, TraceID: r.Trace.TraceID, SpanID: r.Trace.SpanID,
			ParentSpanID: r.Trace.ParentSpanID, Name: r.Action, Status: status2,
			StartedAt: r.Started.UTC().Truncate(time.Microsecond), EndedAt: now,
			ActivityID: l.cfg.Activity(r.Action), SubjectID: l.subjectID(bsn)}
		if p.StartedAt.IsZero() || p.StartedAt.After(now) {
			p.StartedAt = now
		}
		if err := tx.AppendProcessing(ctx, p); err != nil {
			return fmt.Errorf("processing record: %w", err)
		}
	}
	return nil
}

// ResultOf is the audit result of an HTTP status.
func ResultOf(status int) string {
	switch {
	case status == 401 || status == 403:
		return AuditRefused
	case status >= 400:
		return AuditFailed
	}
	return AuditAllowed
}

// auditingStore is the store the areas run on: inside a request with an
// audit context it notes what the use cases load, and writes a change's
// audit and processing rows in the change's own transaction, so a change
// never commits without them (and a failed audit write fails the change).
type auditingStore struct {
	Store
	log *auditLog
}

func (s auditingStore) View(ctx context.Context, fn func(Tx) error) error {
	r := armedAudit(ctx)
	if r == nil {
		return s.Store.View(ctx, fn)
	}
	return s.Store.View(ctx, func(tx Tx) error { return fn(notingTx{Tx: tx, r: r}) })
}

func (s auditingStore) Update(ctx context.Context, fn func(Tx) error) error {
	r := armedAudit(ctx)
	if r == nil {
		return s.Store.Update(ctx, fn)
	}
	var set []subject
	err := s.Store.Update(ctx, func(tx Tx) error {
		set = set[:0]
		if err := fn(notingTx{Tx: tx, r: r, set: &set}); err != nil {
			return err
		}
		return s.log.write(ctx, tx, r, set, AuditAllowed, 0)
	})
	if err == nil {
		r.mu.Lock()
		r.changes++
		r.mu.Unlock()
	}
	return err
}

// notingTx notes the clients, cases and tasks a use case loads.
type notingTx struct {
	Tx
	r   *AuditRequest
	set *[]subject // the change being written; nil in a View
}

func (t notingTx) ClientByID(ctx context.Context, id int64) (Client, error) {
	c, err := t.Tx.ClientByID(ctx, id)
	if err == nil {
		t.r.note(t.set, subject{clientID: c.ID, bsn: c.BSN})
	}
	return c, err
}

func (t notingTx) ClientByBSN(ctx context.Context, bsn string) (Client, error) {
	c, err := t.Tx.ClientByBSN(ctx, bsn)
	if err == nil {
		t.r.note(t.set, subject{clientID: c.ID, bsn: c.BSN})
	}
	return c, err
}

func (t notingTx) CaseByID(ctx context.Context, id int64) (Case, error) {
	c, err := t.Tx.CaseByID(ctx, id)
	if err == nil {
		t.r.note(t.set, subject{clientID: c.ClientID, caseID: c.ID})
	}
	return c, err
}

func (t notingTx) TaskByID(ctx context.Context, id int64) (Task, error) {
	k, err := t.Tx.TaskByID(ctx, id)
	if err == nil {
		t.r.note(t.set, subject{clientID: k.ClientID, caseID: k.CaseID, taskID: k.ID})
	}
	return k, err
}

func (t notingTx) TaskWithClient(ctx context.Context, id int64) (TaskFile, error) {
	f, err := t.Tx.TaskWithClient(ctx, id)
	if err == nil {
		t.r.note(t.set, subject{clientID: f.Task.ClientID, caseID: f.Task.CaseID, taskID: f.Task.ID})
	}
	return f, err
}

// CreateClient notes a client taken in (an application, a melding).
func (t notingTx) CreateClient(ctx context.Context, c *Client) error {
	err := t.Tx.CreateClient(ctx, c)
	if err == nil {
		t.r.note(t.set, subject{clientID: c.ID, bsn: c.BSN})
	}
	return err
}
