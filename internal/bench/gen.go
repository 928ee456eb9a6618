// Package bench is the performance harness of issue 11: a generator of
// realistic data at a city's scale, timings of the main pages through the
// real HTTP server, the server's start time and memory, and a loopback load
// test with a million-inhabitant city's mix. cmd/werkdiagnose's `bench`
// command and scripts/bench.sh drive it; docs/performance.md explains the
// figures. It is a tool beside the application: it reads the database's
// catalog and bulk-loads rows, which the application never does.
package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/config"
	"github.com/bar-organisatie/werkdiagnose/internal/demo"
	"github.com/bar-organisatie/werkdiagnose/internal/ics"
	"github.com/bar-organisatie/werkdiagnose/internal/jobs"
	"github.com/bar-organisatie/werkdiagnose/internal/letters"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/store"
)

// Password is the demo users' password, which the harness logs in with.
const Password = "werkdiagnose-demo"

// GenerateOptions says what to generate.
type GenerateOptions struct {
	DSN   string // SQLite path or postgres:// URL of an empty database
	Cases int    // cases (applications and participatiedossiers) to reach
	// OpenShare is the share of clients whose work is still open (the
	// rest is closed history); 0 means 5%.
	OpenShare float64
	Seed      uint64
	// ClosedTemplates is how many closed clients are walked as templates;
	// 0 means 24.
	ClosedTemplates int
	Log             *slog.Logger
}

// GenerateReport tells what Generate made and how long it took.
type GenerateReport struct {
	Engine    string
	Templates int // clients walked through the real service
	Clients   int
	Cases     int
	Tasks     int
	OpenTasks int
	Events    int
	Rows      int64 // rows bulk-loaded in all
	Took      time.Duration
}

// skipTables are never copied: slots (copies would double-book the
// templates' rooms), grants, logs with hash chains, and tables of the job
// queue and sign-in.
var skipTables = map[string]bool{"room_slots": true, "person_slots": true, "access_grants": true,
	"sessions": true, "api_tokens": true, "recovery_codes": true, "audit_log": true, "audit_heads": true,
	"audit_purges": true, "processing_log": true, "destruction_runs": true, "destruction_items": true,
	"retention_statistics": true}

// Generate fills an empty database: the demo's users and clients and a set
// of closed clients walked through the real service (the templates), then
// copies of those templates with invented names, format-valid unique BSNs
// and their dates moved, bulk-loaded (COPY on PostgreSQL, multi-row INSERTs
// in one transaction per table on SQLite) until the database holds
// opts.Cases cases. A copy keeps every row of its template's client file
// (cases, tasks, step records, history, messages, reminders, documents,
// plans, appointments), so the pages work on it as on the template.
func Generate(ctx context.Context, opts GenerateOptions) (GenerateReport, error) {
	start := time.Now()
	if opts.Log == nil {
		opts.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opts.OpenShare == 0 {
		opts.OpenShare = 0.05
	}
	db, err := store.Open(ctx, opts.DSN, store.WithJobs(jobs.Kinds{}))
	if err != nil {
		return GenerateReport{}, err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return GenerateReport{}, err
	}
	var n int
	if err := db.SQL().QueryRowContext(ctx, "SELECT COUNT(*) FROM clients").Scan(&n); err != nil {
		return GenerateReport{}, err
	}
	if n > 0 {
		return GenerateReport{}, fmt.Errorf("bench: the database already holds %d clients; generate into an empty one", n)
	}
	rep := GenerateReport{Engine: db.Engine()}
	if opts.ClosedTemplates == 0 {
		opts.ClosedTemplates = 24
	}
	if rep.Templates, err = templates(ctx, db, opts.ClosedTemplates, opts.Log); err != nil {
		return rep, err
	}
	opts.Log.Info("templates walked", "clients", rep.Templates, "took", time.Since(start).Round(time.Millisecond))
	donors, err := nameDonors(ctx, db)
	if err != nil {
		return rep, err
	}
	g, err := newGraph(ctx, db)
	if err != nil {
		return rep, err
	}
	if err := g.plan(opts, donors); err != nil {
		return rep, err
	}
	if rep.Rows, err = g.load(ctx, opts); err != nil {
		return rep, err
	}
	if err := settlePastReminders(ctx, db); err != nil {
		return rep, err
	}
	if err := analyze(ctx, db); err != nil {
		return rep, err
	}
	q := db.SQL()
	for _, c := range []struct {
		dst *int
		sql string
	}{{&rep.Clients, "SELECT COUNT(*) FROM clients"}, {&rep.Cases, "SELECT COUNT(*) FROM cases"},
		{&rep.Tasks, "SELECT COUNT(*) FROM tasks"}, {&rep.OpenTasks, "SELECT COUNT(*) FROM tasks WHERE status = 'open'"},
		{&rep.Events, "SELECT COUNT(*) FROM events"}} {
		if err := q.QueryRowContext(ctx, c.sql).Scan(c.dst); err != nil {
			return rep, err
		}
	}
	rep.Took = time.Since(start)
	return rep, nil
}

// newService is the casework service on db with the default configuration
// and the given clock.
func newService(ctx context.Context, db *store.DB, clock casework.Clock, log *slog.Logger) (*casework.Service, *process.Definition, config.Config, error) {
	cfg := config.Default()
	def, err := process.NewDefinition(cfg.Policy)
	if err != nil {
		return nil, nil, cfg, err
	}
	svc, err := casework.NewService(ctx, casework.Deps{Store: db, Clock: clock, Invitations: ics.Invitations{},
		Letters: letters.MustNew(), Log: log}, def, cfg.Casework)
	return svc, def, cfg, err
}

// templates loads the demo (users and about forty clients at every step)
// and walks closed clients through the real service: refused
// applications, NUG'ers and guidance that ended, at several ages.
func templates(ctx context.Context, db *store.DB, closedN int, log *slog.Logger) (int, error) {
	now := time.Now()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	_, def, cfg, err := newService(ctx, db, casework.NewManualClock(now), quiet)
	if err != nil {
		return 0, err
	}
	sum, err := demo.Load(ctx, db, def, cfg.Casework, quiet, now, Password)
	if err != nil {
		return 0, fmt.Errorf("bench: demo: %w", err)
	}
	clock := casework.NewManualClock(now)
	svc, _, _, err := newService(ctx, db, clock, quiet)
	if err != nil {
		return 0, err
	}
	w := &demo.Walker{Svc: svc, Clock: clock, Users: sum.Users}
	choices := []demo.Choice{
		{TargetGroup: "regulier"},
		{TargetGroup: "regulier", Decision: process.OutcomeGeenToekenning},
		{TargetGroup: "regulier", Decision: process.OutcomeGeenToekenning, NUG: process.OutcomeNUG},
		{TargetGroup: "arbeidsbeperkt"},
		{TargetGroup: "arbeidsbeperkt", Decision: process.OutcomeGeenToekenning},
		{TargetGroup: "inrichting"},
	}
	r := rand.New(rand.NewPCG(445, 17))
	closed := 0
	for i := range closedN {
		at := process.AddDays(now, -(100 + 7*i)).Add(9 * time.Hour)
		clock.Set(at)
		p := demo.NewPerson(r, 100+i, 28+r.IntN(38), at)
		app, err := w.Apply(ctx, p, i%3 == 0)
		if err != nil {
			return 0, fmt.Errorf("bench: template %d: apply: %w (%v)", i, err, casework.FieldErrors(err))
		}
		if _, err := w.WalkTo(ctx, app.ClientID, choices[i%len(choices)], ""); err != nil {
			return 0, fmt.Errorf("bench: template %d: walk: %w", i, err)
		}
		if err := closeDossiers(ctx, svc, sum.Users, app.ClientID); err != nil {
			return 0, fmt.Errorf("bench: template %d: close: %w (%v)", i, err, casework.FieldErrors(err))
		}
		closed++
	}
	log.Debug("closed templates", "n", closed)
	return sum.Clients + sum.Meldingen + closed, nil
}

// closeDossiers closes the client's open participatiedossier as a team
// lead would: guidance ended.
func closeDossiers(ctx context.Context, svc *casework.Service, users []casework.User, clientID int64) error {
	var lead casework.User
	for _, u := range users {
		if slices.Contains(u.Roles, process.RoleTeamleider) {
			lead = u
		}
	}
	a := casework.Actor{User: lead}
	f, err := svc.ClientFile(ctx, a, clientID)
	if err != nil {
		return err
	}
	if f.Participation == nil || !f.Participation.Open() {
		return nil
	}
	v := casework.Values{}
	v.Set(process.FieldReason, "Werk gevonden bij een schoonmaakbedrijf; begeleiding beëindigd.")
	return svc.CloseDossier(ctx, a, f.Participation.ID, f.Participation.Version, v)
}

// donor is an invented name as the store keeps it: its search and sort
// forms and its search words, which the store computes (one rule in one
// place); the copies take them over.
type donor struct {
	given, family, search, sort string
	words                       []string
}

var (
	benchGiven = []string{"Anna", "Mohamed", "Sophie", "Johan", "Ayşe", "Kees", "Fenna", "Rachid", "Ingrid", "Dewi",
		"Bram", "Yara", "Henk", "Priya", "Marloes", "Tomasz", "Esther", "Jeroen", "Samira", "Willem", "Lotte", "Youssef",
		"Daan", "Emma", "Sem", "Julia", "Lucas", "Mila", "Finn", "Zoë", "Ahmet", "Fleur", "Ruben", "Nadia", "Gerrit",
		"Hatice", "Joost", "Lieke", "Mustafa", "Roos"}
	benchFamily = []string{"de Boer", "Kaya", "van den Berg", "Hoekstra", "Bouzid", "Verhoeven", "Nieuwenhuis", "Öztürk",
		"Brouwer", "Kramer", "van Dam", "Lambrechts", "Postma", "Wijnands", "Koster", "Nowak", "de Ruiter", "Pranoto",
		"Blom", "Zwart", "Jansen", "de Vries", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "de Graaf", "Yılmaz",
		"El Idrissi", "Dekker", "van Wijk", "Schouten", "Peters", "Vos", "Hendriks", "Bosman", "Çelik", "Dijkstra", "Maas"}
)

// nameDonors creates a client per invented name through the store (so the
// store computes its search forms and words), reads them back and deletes
// them again.
func nameDonors(ctx context.Context, db *store.DB) ([]donor, error) {
	var ids []int64
	err := db.Update(ctx, func(tx casework.Tx) error {
		for _, g := range benchGiven {
			for _, f := range benchFamily {
				c := casework.Client{GivenName: g, FamilyName: f}
				if err := tx.CreateClient(ctx, &c); err != nil {
					return err
				}
				ids = append(ids, c.ID)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	q := db.SQL()
	byID := map[int64]*donor{}
	rows, err := q.QueryContext(ctx, rebind(db, `SELECT id, given_name, family_name, search_name, sort_name FROM clients WHERE id >= ? ORDER BY id`), ids[0])
	if err != nil {
		return nil, err
	}
	var out []*donor
	for rows.Next() {
		var id int64
		d := &donor{}
		if err := rows.Scan(&id, &d.given, &d.family, &d.search, &d.sort); err != nil {
			rows.Close()
			return nil, err
		}
		byID[id] = d
		out = append(out, d)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, rebind(db, `SELECT client_id, word FROM client_words WHERE client_id >= ? ORDER BY client_id, word`), ids[0])
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var w string
		if err := rows.Scan(&id, &w); err != nil {
			rows.Close()
			return nil, err
		}
		if d := byID[id]; d != nil {
			d.words = append(d.words, w)
		}
	}
	rows.Close()
	for _, s := range []string{`DELETE FROM client_words WHERE client_id >= ?`, `DELETE FROM clients WHERE id >= ?`} {
		if _, err := q.ExecContext(ctx, rebind(db, s), ids[0]); err != nil {
			return nil, err
		}
	}
	res := make([]donor, len(out))
	for i, d := range out {
		res[i] = *d
	}
	return res, nil
}

// rebind turns the ? placeholders into the engine's own (the store's rule).
func rebind(db *store.DB, q string) string { return db.Rebind(q) }

// settlePastReminders settles the reminders of the generated history whose
// time has passed, as the worker of a running system would have: the
// clones of a template keep its reminders with their times moved back, and
// left planned, the first sweep of a measured server would fire hundreds
// of thousands of them (most lapse: their task is done) while it is being
// measured.
func settlePastReminders(ctx context.Context, db *store.DB) error {
	_, err := db.SQL().ExecContext(ctx, rebind(db, `UPDATE reminders SET status = ?, note = ?, done_at = send_at
		WHERE status = ? AND send_at < ?`), casework.ReminderObsolete, "Gegenereerd voor de benchmark: al afgehandeld.",
		casework.ReminderPlanned, time.Now().UTC().Truncate(time.Microsecond))
	return err
}

// analyze leaves the database as one in production would be after a
// while: on PostgreSQL the planner's statistics refreshed and the visibility
// map set (VACUUM, as autovacuum would after the inserts; without it an
// index-only count reads every row from the table: 45 ms instead of 3 for
// Team Poort's open tasks at 1 M cases). SQLite is left without statistics,
// as production runs no ANALYZE: with the statistics modernc's SQLite keeps
// (STAT4) it would plan a statement again for every value bound.
//
// It vacuums the tables of the connection's schema only: the tests'
// database holds the schemas of other tests, made and dropped meanwhile.
func analyze(ctx context.Context, db *store.DB) error {
	if db.Engine() != "postgres" {
		return nil
	}
	rows, err := db.SQL().QueryContext(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, pgx.Identifier{name}.Sanitize())
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(tables) == 0 {
		return err
	}
	_, err = db.SQL().ExecContext(ctx, "VACUUM (ANALYZE) "+strings.Join(tables, ", "))
	return err
}

// pgConn opens a pgx connection for COPY.
func pgConn(ctx context.Context, dsn string) (*pgx.Conn, error) { return pgx.Connect(ctx, dsn) }

// Markdown is the report as a table row block.
func (r GenerateReport) Markdown() string {
	return fmt.Sprintf("| engine | templates | clients | cases | tasks | open tasks | events | rows loaded | took |\n"+
		"|---|---|---|---|---|---|---|---|---|\n| %s | %d | %d | %d | %d | %d | %d | %d | %s |",
		r.Engine, r.Templates, r.Clients, r.Cases, r.Tasks, r.OpenTasks, r.Events, r.Rows, r.Took.Round(time.Second))
}
