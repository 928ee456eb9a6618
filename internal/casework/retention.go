package casework

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Retention and destruction (Selectielijst 2020, procestype 8): each
// closed case gets a result type, a selectielijst category, an archive
// nomination and a destruction date (assessClient, on closing and in the
// daily run); a client whose cases are all closed and past their date is
// due. A functioneel beheerder proposes the due clients for destruction,
// sees exactly what would go (the dry run), and approves; the data goes in
// one transaction that keeps pseudonymised statistics and writes the
// destruction report. See docs/security.md, "Retention and destruction".

// CaseRetention is what retention says of one closed case.
type CaseRetention struct {
	CaseID     int64
	ClientID   int64
	Result     string // process.ResultGranted, …
	Category   string // selectielijst result number, "8.1"
	Nomination string // process.NominationDestroy or NominationKeep
	Period     string // ISO 8601, "P10Y"
	SourceOn   time.Time
	DestroyOn  time.Time // zero: not known yet, or kept
	AssessedAt time.Time
}

// DueClient is a client whose cases are all past their destruction date.
// Only the id and dates are shown: the proposal names nobody.
type DueClient struct {
	ClientID  int64
	Cases     int
	DestroyOn time.Time // the latest destruction date of its cases
}

// Destruction run statuses. StatusBusy exists only inside the
// destruction's own transaction: the history triggers let rows go only
// while an approved run is busy, which no other transaction can see.
const (
	RunProposed  = "voorgesteld"
	RunBusy      = "bezig"
	RunDone      = "uitgevoerd"
	RunWithdrawn = "ingetrokken"
)

// DestructionRun is a proposal to destroy the data of some clients and,
// once carried out, the destruction report.
type DestructionRun struct {
	ID             int64
	Status         string
	ProposedAt     time.Time
	ProposedBy     int64
	ProposedByName string
	ApprovedAt     time.Time
	ApprovedBy     int64
	ApprovedByName string
	ExecutedAt     time.Time
	Clients        int
	Cases          int
	Report         string // JSON, DestructionReport; set when carried out
	Items          []DueClient
}

// TableCount is a number of rows of one table.
type TableCount struct {
	Table string `json:"tabel"`
	Rows  int    `json:"rijen"`
}

// DocumentSummary is a document that would be destroyed, without its
// title (which may name the client).
type DocumentSummary struct {
	ID          int64
	ClientID    int64
	Kind        string
	ContentType string
	Size        int64
	CreatedAt   time.Time
}

// RetentionStat is one pseudonymised statistics row kept after
// destruction: no id, name or date that links back to a client.
type RetentionStat struct {
	Year          int    `json:"jaar"`
	TargetGroup   string `json:"doelgroep"`
	Result        string `json:"resultaat"`
	DossierResult string `json:"resultaat_dossier"`
	DecisionDays  *int   `json:"dagen_tot_besluit"`
	GuidanceDays  *int   `json:"dagen_begeleiding"`
}

// DestructionReport is the report kept of a destruction (JSON in the run).
type DestructionReport struct {
	Run           int64           `json:"vernietiging"`
	ExecutedAt    time.Time       `json:"uitgevoerd_op"`
	ProposedBy    string          `json:"voorgesteld_door"`
	ApprovedBy    string          `json:"goedgekeurd_door"`
	Selectielijst string          `json:"selectielijst"`
	Clients       int             `json:"klanten"`
	Cases         int             `json:"zaken"`
	Categories    []CategoryCount `json:"categorieen"`
	Tables        []TableCount    `json:"tabellen"`
	Documents     int             `json:"documenten"`
	Statistics    int             `json:"statistiekregels"`
}

// CategoryCount is the number of cases of one selectielijst category.
type CategoryCount struct {
	Category     string `json:"categorie"`
	CategoryName string `json:"omschrijving"`
	Result       string `json:"resultaattype"`
	Nomination   string `json:"archiefnominatie"`
	Period       string `json:"bewaartermijn"`
	Cases        int    `json:"zaken"`
}

// RetentionTx is what retention and destruction read and write.
type RetentionTx interface {
	// SaveRetention writes (or replaces) a case's retention.
	SaveRetention(ctx context.Context, r CaseRetention) error
	RetentionByClient(ctx context.Context, clientID int64) ([]CaseRetention, error)
	// ClientsWithClosedCases lists every client with a closed case.
	ClientsWithClosedCases(ctx context.Context) ([]int64, error)
	// DueClients lists the clients all of whose cases are closed, meant to
	// be destroyed and past their date on today, and in no open proposal.
	DueClients(ctx context.Context, today time.Time) ([]DueClient, error)
	CreateDestructionRun(ctx context.Context, r *DestructionRun) error
	// DestructionRunByID returns the run with its items.
	DestructionRunByID(ctx context.Context, id int64) (DestructionRun, error)
	ListDestructionRuns(ctx context.Context) ([]DestructionRun, error)
	// SetDestructionStatus moves a run from one status to another and
	// writes its approval, execution, counts and report; ErrStale when it
	// is no longer in status from.
	SetDestructionStatus(ctx context.Context, r DestructionRun, from string) error
	// DestructionCounts counts, per table, the rows destroying the run's
	// clients would remove (the dry run), in the order they go.
	DestructionCounts(ctx context.Context, runID int64) ([]TableCount, error)
	DestructionDocuments(ctx context.Context, runID int64) ([]DocumentSummary, error)
	// DestroyRunClients removes every row of the run's clients, in one
	// transaction with the run busy and approved, and returns the counts.
	DestroyRunClients(ctx context.Context, runID int64) ([]TableCount, error)
	AddRetentionStat(ctx context.Context, s RetentionStat) error
	RetentionStats(ctx context.Context) ([]RetentionStat, error)
}

// retentionTx is what the retention area uses.
type retentionTx interface {
	RetentionTx
	ClientTx
	CaseTx
	PlanTx
	EventTx
}

// Retention is the area of retention and destruction.
type Retention struct {
	*core
	store  Transactor[retentionTx]
	export Transactor[exportTx] // the data subject's export (privacy.go)
}

func (s *core) retention() process.Retention { return s.cfg.Retention }

// assessTx is what assessing a client's cases reads and writes.
type assessTx interface {
	RetentionTx
	CaseTx
	PlanTx
}

// assessClient (re)writes the retention of every closed case of a
// client from the current policy.
func (s *core) assessClient(ctx context.Context, tx assessTx, clientID int64) error {
	cases, err := tx.CasesByClient(ctx, clientID)
	if err != nil {
		return err
	}
	had, err := retentionByCase(ctx, tx, clientID)
	if err != nil {
		return err
	}
	pol := s.retention()
	for _, c := range cases {
		if c.Open() {
			continue
		}
		hadPlan := false
		if c.Kind == process.CaseParticipatie {
			if _, err := tx.LatestPlan(ctx, c.ID); err == nil {
				hadPlan = true
			} else if !errors.Is(err, ErrNotFound) {
				return err
			}
		}
		result, ok := process.CaseResult(c.Kind, c.DecisionOutcome, hadPlan)
		if !ok {
			continue
		}
		rule, ok := pol.Rule(result)
		if !ok {
			continue
		}
		source := closedOn(c)
		if rule.Source == process.SourceProvisionEnd {
			source = provisionEnd(c, cases)
		}
		r := CaseRetention{CaseID: c.ID, ClientID: clientID, Result: result, Category: rule.Category,
			Nomination: rule.Nomination, Period: rule.Period, SourceOn: source, DestroyOn: rule.DestroyOn(source),
			AssessedAt: s.clock.Now().UTC()}
		if old, ok := had[c.ID]; ok && sameRetention(old, r) {
			continue // the daily run writes only what changed
		}
		if err := tx.SaveRetention(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// sameRetention reports whether two assessments of a case agree.
func sameRetention(a, b CaseRetention) bool {
	return a.Result == b.Result && a.Category == b.Category && a.Nomination == b.Nomination && a.Period == b.Period &&
		a.SourceOn.Equal(b.SourceOn) && a.DestroyOn.Equal(b.DestroyOn)
}

// closedOn is the day a case closed: an application's decision date.
func closedOn(c Case) time.Time {
	if c.Kind == process.CaseAanvraag && !c.DecisionOn.IsZero() {
		return process.Date(c.DecisionOn)
	}
	return process.Date(c.ClosedAt)
}

// provisionEnd is the end of what a granted application provided: the
// close of the participation dossier that followed it, zero while that
// runs, or the decision's date when none followed.
func provisionEnd(app Case, cases []Case) time.Time {
	for _, c := range cases {
		if c.Kind == process.CaseParticipatie && c.ApplicationID == app.ID {
			if c.Open() {
				return time.Time{}
			}
			return process.Date(c.ClosedAt)
		}
	}
	return closedOn(app)
}

// RetentionRun is what one daily run did.
type RetentionRun struct {
	Assessed int // clients whose closed cases were assessed
	Due      int // clients due for destruction and in no proposal
}

// RunRetention is the daily run: it assesses the closed cases of every
// client (cases closed before retention existed, and a granted
// application whose dossier closed since) and counts what is due. The
// functioneel beheerder sees the due clients at /beheer/vernietiging.
func (s *Retention) RunRetention(ctx context.Context) (run RetentionRun, err error) {
	defer wrap(&err, "RunRetention")
	var ids []int64
	if err := s.store.View(ctx, func(tx retentionTx) (err error) {
		ids, err = tx.ClientsWithClosedCases(ctx)
		return err
	}); err != nil {
		return run, err
	}
	// One transaction per batch: a long run does not hold the write lock.
	for batch := range slices.Chunk(ids, 200) {
		if err := s.store.Update(ctx, func(tx retentionTx) error {
			for _, id := range batch {
				if err := s.assessClient(ctx, tx, id); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return run, err
		}
	}
	run.Assessed = len(ids)
	err = s.store.View(ctx, func(tx retentionTx) error {
		due, err := tx.DueClients(ctx, s.today())
		run.Due = len(due)
		return err
	})
	if err == nil {
		s.log.InfoContext(ctx, "retention run", "assessed_clients", run.Assessed, "due_clients", run.Due)
	}
	return run, err
}

// RetentionOverview is the page of the functioneel beheerder: the clients
// due, the open proposals and the reports of what was destroyed.
type RetentionOverview struct {
	Due      []DueClient
	Runs     []DestructionRun
	Policy   process.Retention
	FourEyes bool
}

// RetentionOverview returns the due clients and every run. Errors: forbidden.
func (s *Retention) RetentionOverview(ctx context.Context, a Actor) (o RetentionOverview, err error) {
	defer wrap(&err, "RetentionOverview")
	if err := Authorize(a, process.ActManageRetention, process.RelNone); err != nil {
		return o, err
	}
	o.Policy, o.FourEyes = s.retention(), s.retention().FourEyes
	err = s.store.View(ctx, func(tx retentionTx) (err error) {
		if o.Due, err = tx.DueClients(ctx, s.today()); err != nil {
			return err
		}
		o.Runs, err = tx.ListDestructionRuns(ctx)
		return err
	})
	return o, err
}

// ProposeDestruction proposes the clients due today for destruction.
// Errors: forbidden; conflict when nothing is due.
func (s *Retention) ProposeDestruction(ctx context.Context, a Actor) (id int64, err error) {
	defer wrap(&err, "ProposeDestruction")
	if err := Authorize(a, process.ActManageRetention, process.RelNone); err != nil {
		return 0, err
	}
	err = s.store.Update(ctx, func(tx retentionTx) error {
		due, err := tx.DueClients(ctx, s.today())
		if err != nil {
			return err
		}
		if len(due) == 0 {
			return Conflict("Er zijn geen klanten waarvan de gegevens vernietigd mogen worden.")
		}
		r := &DestructionRun{Status: RunProposed, ProposedAt: s.clock.Now().UTC(), ProposedBy: a.User.ID,
			ProposedByName: a.User.Name, Items: due, Clients: len(due)}
		for _, d := range due {
			r.Cases += d.Cases
		}
		if err := tx.CreateDestructionRun(ctx, r); err != nil {
			return err
		}
		id = r.ID
		return nil
	})
	return id, err
}

// DryRun is what carrying out a run would remove.
type DryRun struct {
	Run        DestructionRun
	Tables     []TableCount
	Documents  []DocumentSummary
	Categories []CategoryCount
	Report     *DestructionReport // set once carried out
	// MayApprove: the actor may approve this run (four eyes).
	MayApprove bool
}

// DestructionRun returns a run with its dry run (or its report once
// carried out). Errors: forbidden, not found.
func (s *Retention) DestructionRun(ctx context.Context, a Actor, id int64) (d DryRun, err error) {
	defer wrap(&err, "DestructionRun(%d)", id)
	if err := Authorize(a, process.ActManageRetention, process.RelNone); err != nil {
		return d, err
	}
	err = s.store.View(ctx, func(tx retentionTx) error {
		run, err := tx.DestructionRunByID(ctx, id)
		if err != nil {
			return notFoundAs(err, "Deze vernietiging bestaat niet.")
		}
		d.Run = run
		if run.Status != RunProposed {
			if run.Report != "" {
				var rep DestructionReport
				if err := json.Unmarshal([]byte(run.Report), &rep); err != nil {
					return err
				}
				d.Report = &rep
			}
			return nil
		}
		if d.Tables, err = tx.DestructionCounts(ctx, id); err != nil {
			return err
		}
		if d.Documents, err = tx.DestructionDocuments(ctx, id); err != nil {
			return err
		}
		d.Categories, err = s.categories(ctx, tx, run)
		d.MayApprove = May(a, process.ActApproveDestruction, process.RelNone) &&
			(!s.retention().FourEyes || run.ProposedBy != a.User.ID)
		return err
	})
	return d, err
}

// categories counts the run's cases per selectielijst category.
func (s *Retention) categories(ctx context.Context, tx retentionTx, run DestructionRun) ([]CategoryCount, error) {
	pol := s.retention()
	counts := map[string]int{}
	for _, it := range run.Items {
		rs, err := tx.RetentionByClient(ctx, it.ClientID)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			counts[r.Result]++
		}
	}
	var out []CategoryCount
	for _, rule := range pol.Rules {
		if n := counts[rule.Result]; n > 0 {
			out = append(out, CategoryCount{Category: rule.Category, CategoryName: rule.CategoryName, Result: rule.Result,
				Nomination: rule.Nomination, Period: rule.Period, Cases: n})
		}
	}
	return out, nil
}

// ApproveDestruction approves a proposed run and carries it out: in one
// transaction the run becomes busy and approved, pseudonymised statistics
// are kept, every row of its clients is removed, and the report is
// written. confirmed is the approver's tick that the data may go.
// Errors: forbidden (not a functioneel beheerder, or the proposer while
// four eyes are required), invalid (not confirmed), conflict (no longer
// proposed, or a client is no longer due), not found.
func (s *Retention) ApproveDestruction(ctx context.Context, a Actor, id int64, confirmed bool) (err error) {
	defer wrap(&err, "ApproveDestruction(%d)", id)
	if err := Authorize(a, process.ActApproveDestruction, process.RelNone); err != nil {
		return err
	}
	if !confirmed {
		f := Fields{}
		f.Add(process.FieldConfirmDestruction, "Vink aan dat de gegevens van deze klanten definitief vernietigd mogen worden.")
		return f.Err()
	}
	pol := s.retention()
	return s.store.Update(ctx, func(tx retentionTx) error {
		run, err := tx.DestructionRunByID(ctx, id)
		if err != nil {
			return notFoundAs(err, "Deze vernietiging bestaat niet.")
		}
		if run.Status != RunProposed {
			return Conflict("Deze vernietiging is niet (meer) voorgesteld.")
		}
		if pol.FourEyes && run.ProposedBy == a.User.ID {
			return Forbidden("Een ander dan wie de vernietiging voorstelde, moet haar goedkeuren (vier ogen).")
		}
		// Still due? A case may have been opened or reassessed since.
		for _, it := range run.Items {
			if !s.dueAlone(ctx, tx, it.ClientID) {
				return Conflict(fmt.Sprintf("Klant %d is niet meer aan de beurt voor vernietiging. Trek dit voorstel in en maak een nieuw.", it.ClientID))
			}
		}
		cats, err := s.categories(ctx, tx, run)
		if err != nil {
			return err
		}
		stats, err := s.statistics(ctx, tx, run)
		if err != nil {
			return err
		}
		now := s.clock.Now().UTC()
		run.ApprovedAt, run.ApprovedBy, run.ApprovedByName, run.Status = now, a.User.ID, a.User.Name, RunBusy
		if err := tx.SetDestructionStatus(ctx, run, RunProposed); err != nil {
			return staleAsConflict(err)
		}
		for _, st := range stats {
			if err := tx.AddRetentionStat(ctx, st); err != nil {
				return err
			}
		}
		docs, err := tx.DestructionDocuments(ctx, id)
		if err != nil {
			return err
		}
		counts, err := tx.DestroyRunClients(ctx, id)
		if err != nil {
			return err
		}
		rep := DestructionReport{Run: run.ID, ExecutedAt: now, ProposedBy: run.ProposedByName, ApprovedBy: a.User.Name,
			Selectielijst: pol.Selectielijst, Clients: len(run.Items), Cases: run.Cases, Categories: cats, Tables: counts,
			Documents: len(docs), Statistics: len(stats)}
		body, err := json.Marshal(rep)
		if err != nil {
			return err
		}
		run.Status, run.ExecutedAt, run.Clients, run.Report = RunDone, now, len(run.Items), string(body)
		run.Cases = 0
		for _, c := range cats {
			run.Cases += c.Cases
		}
		if err := tx.SetDestructionStatus(ctx, run, RunBusy); err != nil {
			return err
		}
		s.log.InfoContext(ctx, "destruction carried out", "run", run.ID, "clients", run.Clients, "cases", run.Cases)
		return nil
	})
}

// dueAlone reports whether a client of a proposal is still due: every
// case closed, to be destroyed, and past its date. (DueClients leaves out
// the clients of open proposals.)
func (s *Retention) dueAlone(ctx context.Context, tx retentionTx, clientID int64) bool {
	cases, err := tx.CasesByClient(ctx, clientID)
	if err != nil || len(cases) == 0 {
		return false
	}
	rs, err := tx.RetentionByClient(ctx, clientID)
	if err != nil {
		return false
	}
	by := map[int64]CaseRetention{}
	for _, r := range rs {
		by[r.CaseID] = r
	}
	today := s.today()
	for _, c := range cases {
		r, ok := by[c.ID]
		if c.Open() || !ok || r.Nomination != process.NominationDestroy || r.DestroyOn.IsZero() || r.DestroyOn.After(today) {
			return false
		}
	}
	return true
}

// statistics are the pseudonymised rows kept of the run's clients: one
// per application, with its year, target group, result, the result of
// the dossier that followed and durations in days.
func (s *Retention) statistics(ctx context.Context, tx retentionTx, run DestructionRun) ([]RetentionStat, error) {
	var out []RetentionStat
	for _, it := range run.Items {
		cases, err := tx.CasesByClient(ctx, it.ClientID)
		if err != nil {
			return nil, err
		}
		rs, err := tx.RetentionByClient(ctx, it.ClientID)
		if err != nil {
			return nil, err
		}
		result := map[int64]string{}
		for _, r := range rs {
			result[r.CaseID] = r.Result
		}
		for _, app := range cases {
			if app.Kind != process.CaseAanvraag {
				continue
			}
			st := RetentionStat{Year: app.AppliedOn.Year(), TargetGroup: app.TargetGroup, Result: result[app.ID]}
			if app.AppliedOn.IsZero() {
				st.Year = app.ClosedAt.Year()
			}
			if !app.AppliedOn.IsZero() && !app.DecisionOn.IsZero() {
				st.DecisionDays = days(app.AppliedOn, app.DecisionOn)
			}
			for _, c := range cases {
				if c.Kind == process.CaseParticipatie && c.ApplicationID == app.ID {
					st.DossierResult = result[c.ID]
					if !c.OpenedAt.IsZero() && !c.ClosedAt.IsZero() {
						st.GuidanceDays = days(c.OpenedAt, c.ClosedAt)
					}
				}
			}
			out = append(out, st)
		}
	}
	return out, nil
}

// days is the number of calendar days from a to b.
func days(a, b time.Time) *int {
	n := int(process.Date(b).Sub(process.Date(a)).Hours()+12) / 24
	return &n
}

// WithdrawDestruction withdraws a proposal. Errors: forbidden, conflict,
// not found.
func (s *Retention) WithdrawDestruction(ctx context.Context, a Actor, id int64) (err error) {
	defer wrap(&err, "WithdrawDestruction(%d)", id)
	if err := Authorize(a, process.ActManageRetention, process.RelNone); err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx retentionTx) error {
		run, err := tx.DestructionRunByID(ctx, id)
		if err != nil {
			return notFoundAs(err, "Deze vernietiging bestaat niet.")
		}
		if run.Status != RunProposed {
			return Conflict("Alleen een voorgestelde vernietiging kan worden ingetrokken.")
		}
		run.Status = RunWithdrawn
		return staleAsConflict(tx.SetDestructionStatus(ctx, run, RunProposed))
	})
}

// RetentionStatistics returns the pseudonymised statistics kept. Errors: forbidden.
func (s *Retention) RetentionStatistics(ctx context.Context, a Actor) (out []RetentionStat, err error) {
	defer wrap(&err, "RetentionStatistics")
	if err := Authorize(a, process.ActManageRetention, process.RelNone); err != nil {
		return nil, err
	}
	err = s.store.View(ctx, func(tx retentionTx) (err error) {
		out, err = tx.RetentionStats(ctx)
		return err
	})
	return out, err
}

// retentionByCase returns the retention of a client's closed cases, by
// case id.
func retentionByCase(ctx context.Context, tx RetentionTx, clientID int64) (map[int64]CaseRetention, error) {
	rs, err := tx.RetentionByClient(ctx, clientID)
	out := make(map[int64]CaseRetention, len(rs))
	for _, r := range rs {
		out[r.CaseID] = r
	}
	return out, err
}
