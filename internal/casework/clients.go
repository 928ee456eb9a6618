package casework

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Clients shows clients and everything about them: the case page.
type Clients struct {
	*core
	// A client file reads every record of a client, so the area sees the
	// whole store, but only reads (and appends the history line of a BSN
	// shown).
	store Transactor[Tx]
	// details changes a client's contact details.
	details Transactor[ClientDetailsTx]
}

// StepState is one step of the process diagram on a case page.
type StepState struct {
	Step   process.Step
	State  string // "done", "current", "todo", "waiting"
	Holder string
	DoneAt time.Time
}

// ClientFile is everything the client's case page shows.
type ClientFile struct {
	Def           *process.Definition
	Client        Client
	Age           int
	Eligible      bool
	Applications  []Case
	Application   Case  // the latest application
	Participation *Case // its 17/PA, if any
	Tasks         []TaskView
	Steps         []StepState
	Plan          *Plan
	PlanVersions  []Plan
	Trajectories  []Trajectory
	Registrations []Registration
	Appointments  []Appointment
	Suspensions   []Suspension
	Meldingen     []Melding        // reports before the minimum age (Pw art. 41), newest first
	Voorschotten  []Voorschot      // of the latest application, by voorschot date
	Evaluations   []PlanEvaluation // of the plan van aanpak, newest first
	// NextEvaluation is the evaluation date of the plan as it stands (the
	// plan's, or the one its latest evaluation set); zero without a plan.
	NextEvaluation time.Time
	Records        []StepRecord
	// Events is a page of the client's history (PageSize lines, oldest
	// first within the page); History says which.
	Events        []Event
	History       HistoryPage
	Messages      []Message
	NextDeadline  *TaskView
	NextVoorschot time.Time
	OwnerName     string
	// Startable are the steps the viewer may start by hand on the
	// application (a request to complete it, an extension of the term).
	Startable []StartableStep
	// Retention of the closed cases, by case id: result type, archive
	// nomination and destruction date (retention.go).
	Retention map[int64]CaseRetention
	// Relation is how the viewer stands to the client (need-to-know).
	Relation process.Relation

	historyCursor *Cursor // the page of Events to load; nil: the newest
	// cases are all the client's cases as read (CasesByClient).
	cases []Case
}

// historySort is the sort of a client's history's cursors.
const historySort = "historie"

// HistoryPage says which page of the client's history ClientFile.Events
// holds: the cursors of the newer (Prev) and older (Next) pages, and the
// span of time the page covers, for the contact moments and notes shown
// beside its lines: From inclusive, Until exclusive, zero when open. A
// page covers from its oldest line to the oldest line of the page newer
// than it, so each moment belongs to exactly one page.
type HistoryPage struct {
	Page
	Span
}

// Span is a span of time: From inclusive, Until exclusive, either zero
// when the span is open on that side. The zero Span is all time.
type Span struct {
	From, Until time.Time
}

// Covers says whether a moment at t lies in the span. The store reads
// the moments of a span by the same rule (ContactsByClient, NotesByClient).
func (s Span) Covers(t time.Time) bool {
	return (s.From.IsZero() || !t.Before(s.From)) && (s.Until.IsZero() || t.Before(s.Until))
}

// EventCursor is the position of e in a client's history, newest first:
// its moment and id, no personal data.
func EventCursor(e Event) Cursor {
	return Cursor{Sort: historySort, Desc: true, Value: e.At.UTC().Format(time.RFC3339Nano), ID: e.ID}
}

// ClientPage is what a client's case page shows: the file, and beside it
// the contact moments and notes of the timeline and the documents with
// the upload form's choices.
type ClientPage struct {
	File ClientFile
	// History is the client's contact moments and notes (ContactHistory),
	// to merge with File.Events (Timeline).
	History []TimelineEntry
	// SeesDocuments tells whether the viewer may see the client's
	// documents (process.ActSeeDocuments); Documents is empty if not.
	SeesDocuments bool
	Documents     []Document // newest first
	// DocumentOptions are the choices of the upload and letter forms
	// (DocumentOptions); nil unless the viewer sees the documents and may
	// add one (process.ActAddDocument).
	DocumentOptions map[string][]process.Option
}

// OpenTasks returns the open tasks of the file.
func (f ClientFile) OpenTasks() []TaskView {
	var out []TaskView
	for _, t := range f.Tasks {
		if t.Status == TaskOpen {
			out = append(out, t)
		}
	}
	return out
}

// ClientFile loads a client's case page, with the newest page of its
// history.
func (s *Clients) ClientFile(ctx context.Context, a Actor, clientID int64) (_ ClientFile, err error) {
	return s.ClientFileAt(ctx, a, clientID, "")
}

// ClientFileAt loads a client's case page with the page of its history
// at history (a Cursor's String from ClientFile.History; "" or anything
// else: the newest page).
func (s *Clients) ClientFileAt(ctx context.Context, a Actor, clientID int64, history string) (_ ClientFile, err error) {
	defer wrap(&err, "ClientFile(clientID=%d)", clientID)
	if err := mayEver(a, process.ActSeeClient); err != nil {
		return ClientFile{}, err
	}
	f := ClientFile{historyCursor: cursorFor(history, historySort, true)}
	err = s.store.View(ctx, func(tx Tx) error {
		_, err := s.openFile(ctx, tx, a, clientID, &f)
		return err
	})
	return f, err
}

// openFile reads the client, checks that the actor may see it and loads
// its file into f; it returns the actor's relation to the client.
func (s *Clients) openFile(ctx context.Context, tx Tx, a Actor, clientID int64, f *ClientFile) (process.Relation, error) {
	client, err := tx.ClientByID(ctx, clientID)
	if err != nil {
		return process.RelNone, notFoundAs(err, "De klant")
	}
	rel, err := s.seeClient(ctx, tx, a, clientID)
	if err != nil {
		return rel, err
	}
	return rel, s.loadFile(ctx, tx, a, client, rel, f, nil)
}

// ClientPage loads a client's case page in one read transaction with one
// access check: the file with the page of its history at history
// (ClientFileAt), the contact moments and notes
// (ContactHistory) and, as far as the viewer's relation allows, the
// documents (ClientDocuments) and the upload form's choices
// (DocumentOptions). It reads what those would read, without reading the
// client, the access and the cases again.
func (s *Clients) ClientPage(ctx context.Context, a Actor, clientID int64, history string) (_ ClientPage, err error) {
	defer wrap(&err, "ClientPage(clientID=%d)", clientID)
	if err := mayEver(a, process.ActSeeClient); err != nil {
		return ClientPage{}, err
	}
	p := ClientPage{File: ClientFile{historyCursor: cursorFor(history, historySort, true)}}
	err = s.store.View(ctx, func(tx Tx) error {
		rel, err := s.openFile(ctx, tx, a, clientID, &p.File)
		if err != nil {
			return err
		}
		// The contact moments and notes beside the page of history.
		if p.History, err = s.contactHistory(ctx, tx, a, clientID, p.File.History.Span); err != nil {
			return err
		}
		if p.SeesDocuments = May(a, process.ActSeeDocuments, rel); !p.SeesDocuments {
			return nil
		}
		if p.Documents, err = tx.DocumentsByClient(ctx, clientID); err != nil {
			return err
		}
		if May(a, process.ActAddDocument, rel) {
			_, opts := caseOptions(append([]Case(nil), p.File.cases...))
			p.DocumentOptions = documentChoices(opts)
		}
		return nil
	})
	return p, err
}

// loadFile reads the file of a client the actor may see (rel, checked by
// the caller) into f. seed, when not nil, is a task of the client loaded
// in the same transaction: what it read (the cases, and of its
// application the dossier, tasks, plan and trajectories) is not read again.
func (s *Clients) loadFile(ctx context.Context, tx Tx, a Actor, client Client, rel process.Relation, f *ClientFile, seed *taskCtx) error {
	clientID := client.ID
	app, tasks, err := s.loadHeader(ctx, tx, client, rel, f, seed)
	if err != nil {
		return err
	}
	if f.Meldingen, err = tx.MeldingenByClient(ctx, clientID); err != nil {
		return err
	}
	if f.Retention, err = retentionByCase(ctx, tx, clientID); err != nil {
		return err
	}
	if f.Application.ID == 0 {
		// Someone younger than the minimum age who only reported.
		if len(f.Meldingen) == 0 {
			return NotFound("De aanvraag van deze klant")
		}
		return f.loadLog(ctx, tx)
	}
	f.Steps = s.stepStates(f.Def, f.Application, tasks)
	if f.Suspensions, err = tx.SuspensionsByCase(ctx, f.Application.ID); err != nil {
		return err
	}
	if f.Voorschotten, err = tx.VoorschottenByCase(ctx, f.Application.ID); err != nil {
		return err
	}
	if f.Application.Open() {
		// The first voorschot date from today that is not recorded
		// yet, as the day it is due.
		from := s.today()
		if n := len(f.Voorschotten); n > 0 && !f.Voorschotten[n-1].DueOn.Before(from) {
			from = process.AddDays(f.Voorschotten[n-1].DueOn, 1)
		}
		_, f.NextVoorschot = nextVoorschot(f.Def, f.Application.AppliedOn, from)
	}
	if f.Records, err = tx.StepRecords(ctx, f.Application.ID); err != nil {
		return err
	}
	if f.Startable, err = s.startable(ctx, tx, a, *f, tasks); err != nil {
		return err
	}
	if f.Participation != nil {
		pid := f.Participation.ID
		if plan, err := app.latestPlan(ctx, tx); err == nil {
			f.Plan = &plan
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		if f.PlanVersions, err = tx.PlanVersions(ctx, pid); err != nil {
			return err
		}
		if f.Evaluations, err = tx.EvaluationsByCase(ctx, pid); err != nil {
			return err
		}
		if f.Plan != nil {
			f.NextEvaluation = nextEvaluation(*f.Plan, f.Evaluations)
		}
		if f.Trajectories, f.Registrations, err = app.dossierWork(ctx, tx); err != nil {
			return err
		}
	}
	if f.Appointments, err = tx.AppointmentsByClient(ctx, clientID); err != nil {
		return err
	}
	return f.loadLog(ctx, tx)
}

// loadHeader reads into f what the header of every page about the client
// shows (caseHeader): the client, its cases with the latest application
// and its definition, the participation and its owner, the application's
// tasks with the next deadline. seed is as for loadFile. It returns the
// application's task context and tasks for the rest of the file; without
// an application f has the current definition and the client's age only.
func (s *Clients) loadHeader(ctx context.Context, tx Tx, client Client, rel process.Relation, f *ClientFile, seed *taskCtx) (taskCtx, []Task, error) {
	clientID := client.ID
	f.Client, f.Relation = client, rel
	var cases []Case
	var err error
	if seed != nil && seed.cases != nil {
		cases = seed.cases
	} else if cases, err = tx.CasesByClient(ctx, clientID); err != nil {
		return taskCtx{}, nil, err
	}
	f.cases = cases
	for _, c := range cases {
		if c.Kind == process.CaseAanvraag {
			f.Applications = append(f.Applications, c)
			if f.Application.ID == 0 || c.OpenedAt.After(f.Application.OpenedAt) || (c.OpenedAt.Equal(f.Application.OpenedAt) && c.ID > f.Application.ID) {
				f.Application = c
			}
		}
	}
	f.Age = process.Age(f.Client.BirthDate, s.clock.Now())
	if f.Application.ID == 0 {
		f.Def = s.def
		return taskCtx{}, nil, nil
	}
	if f.Def, err = s.definition(ctx, tx, f.Application.DefinitionVersion); err != nil {
		return taskCtx{}, nil, err
	}
	f.Eligible = f.Def.Policy.Eligible(f.Client.BirthDate, f.Application.AppliedOn)
	app := taskCtx{app: f.Application, memo: &taskMemo{}}
	if seed != nil && seed.app.ID == f.Application.ID && seed.memo != nil {
		app = *seed
	} else {
		app.part, _ = participationOf(cases, f.Application.ID)
	}
	if app.part.ID != 0 {
		part := app.part
		f.Participation = &part
		if part.DossierOwner != 0 {
			f.OwnerName = userName(ctx, tx, part.DossierOwner)
		}
	}
	tasks := app.tasks
	if tasks == nil {
		if tasks, err = tx.TasksByApplication(ctx, f.Application.ID); err != nil {
			return taskCtx{}, nil, err
		}
	}
	for _, t := range tasks {
		v := s.view(f.Def, t)
		f.Tasks = append(f.Tasks, v)
		if t.Status == TaskOpen && !t.DueOn.IsZero() && (f.NextDeadline == nil || t.DueOn.Before(f.NextDeadline.DueOn)) {
			vv := v
			f.NextDeadline = &vv
		}
	}
	return app, tasks, nil
}

// loadLog reads a page of the client's history (at f.historyCursor) and
// the messages into the file.
func (f *ClientFile) loadLog(ctx context.Context, tx Tx) (err error) {
	cur := f.historyCursor
	rows, err := tx.ClientEvents(ctx, f.Client.ID, cur, PageSize+1)
	if err != nil {
		return err
	}
	if cur != nil && cur.Back && len(rows) < PageSize {
		cur = nil // back at the start: the newest page, whole
		if rows, err = tx.ClientEvents(ctx, f.Client.ID, nil, PageSize+1); err != nil {
			return err
		}
	}
	var h HistoryPage
	switch {
	case cur == nil:
	case cur.Back:
		// Read newer from cur: the line beyond the page is the oldest
		// of the page newer than this one.
		if len(rows) > PageSize {
			h.Until = rows[PageSize].At
		}
	default:
		// cur is the oldest line of the page newer than this one.
		if at, err := time.Parse(time.RFC3339Nano, cur.Value); err == nil {
			h.Until = at
		}
	}
	rows, h.Page = pageOf(rows, PageSize, cur, EventCursor)
	if h.Next != "" {
		h.From = rows[len(rows)-1].At
	}
	slices.Reverse(rows) // oldest first, as the history reads
	f.Events, f.History = rows, h
	f.Messages, err = tx.ListMessages(ctx, MessageFilter{ClientID: f.Client.ID, Limit: 200})
	return err
}

// CaseClient returns the client a case belongs to, for pages addressed by
// case id.
func (s *Clients) CaseClient(ctx context.Context, a Actor, caseID int64) (_ int64, err error) {
	defer wrap(&err, "CaseClient(caseID=%d)", caseID)
	if err := mayEver(a, process.ActSeeClient); err != nil {
		return 0, err
	}
	var id int64
	err = s.store.View(ctx, func(tx Tx) error {
		c, err := tx.CaseByID(ctx, caseID)
		if err != nil {
			return notFoundAs(err, "Het werkproces")
		}
		id = c.ClientID
		_, err = s.seeClient(ctx, tx, a, c.ClientID)
		return err
	})
	return id, err
}

// Voorschotten returns the voorschotten recorded on an application, by
// voorschot date.
func (s *Clients) Voorschotten(ctx context.Context, a Actor, applicationID int64) (_ []Voorschot, err error) {
	defer wrap(&err, "Voorschotten(applicationID=%d)", applicationID)
	if err := mayEver(a, process.ActSeeClient); err != nil {
		return nil, err
	}
	return read(ctx, s.store, func(tx Tx) ([]Voorschot, error) {
		c, err := tx.CaseByID(ctx, applicationID)
		if err != nil || c.Kind != process.CaseAanvraag {
			return nil, NotFound("De aanvraag")
		}
		if _, err := s.seeClient(ctx, tx, a, c.ClientID); err != nil {
			return nil, err
		}
		return tx.VoorschottenByCase(ctx, c.ID)
	})
}

// stepStates places the steps of the client's expected path on the
// diagram, in the order the route takes them.
func (s *Clients) stepStates(def *process.Definition, app Case, tasks []Task) []StepState {
	route := process.RouteDiagnoseFirst
	if g, ok := def.Policy.TargetGroup(app.TargetGroup); ok {
		route = g.Route
	} else if len(def.Policy.TargetGroups) > 0 {
		// Before the assessment: the first target group's route is expected.
		route = def.Policy.TargetGroups[0].Route
	}
	outcomes := map[process.StepKey]string{}
	for _, t := range tasks {
		if t.Status == TaskDone && t.Outcome != "" {
			outcomes[t.Step] = t.Outcome
		}
	}
	var out []StepState
	for _, k := range def.Path(route, outcomes) {
		st, _ := def.Step(k)
		ss := StepState{Step: st, State: "todo"}
		for _, t := range tasks {
			if t.Step != k {
				continue
			}
			switch t.Status {
			case TaskOpen:
				ss.State, ss.Holder = "current", t.HolderName
			case TaskDone:
				if ss.State != "current" {
					ss.State, ss.Holder, ss.DoneAt = "done", t.CompletedByName, t.CompletedAt
				}
			}
		}
		out = append(out, ss)
	}
	return out
}

// RevealBSN returns a client's full BSN to a caseworker and records in the
// client's history who saw it. Pages show the BSN masked until asked.
func (s *Clients) RevealBSN(ctx context.Context, a Actor, clientID int64) (_ string, err error) {
	defer wrap(&err, "RevealBSN(clientID=%d)", clientID)
	if err := mayEver(a, process.ActRevealBSN); err != nil {
		return "", err
	}
	var bsn string
	err = s.store.Update(ctx, func(tx Tx) error {
		c, err := tx.ClientByID(ctx, clientID)
		if err != nil {
			return notFoundAs(err, "De klant")
		}
		if _, err := s.knowClient(ctx, tx, a, process.ActRevealBSN, c.ID); err != nil {
			return err
		}
		bsn = c.BSN
		return s.event(ctx, tx, a, c.ID, 0, 0, eventInzage, "BSN ingezien.", "")
	})
	return bsn, err
}
