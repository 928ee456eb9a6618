package casework_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/demo"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/store"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// A client whose application was refused and whose dossier was closed is
// proposed by the daily run once the last of its destruction dates
// passed (injected clock), shown in the dry run, refused without approval
// and to its own proposer, then destroyed: nothing of the client remains
// in any table but the pseudonymised statistics and the report. A client
// whose dossier still runs is never proposed.
func TestRetentionDestroysWhatIsDue(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			e := casetest.New(t, engine)
			fb := e.Actor(process.RoleBeheerder)

			goneApp := e.Apply(t)
			e.WalkChoice(t, goneApp, demo.Choice{Decision: process.OutcomeGeenToekenning, NUG: process.OutcomeAfsluiten}, "")
			keptApp := e.Apply(t)
			e.WalkChoice(t, keptApp, demo.Choice{}, "")
			gone, kept := e.File(t, goneApp.ClientID), e.File(t, keptApp.ClientID)
			if gone.Participation == nil || kept.Participation == nil || !kept.Participation.Open() {
				t.Fatalf("want a closed dossier for the refused client and an open one for the granted one")
			}
			goneCases := append(gone.Applications, *gone.Participation)
			addNotes(t, e, gone.Client.ID, gone.Participation.ID)
			for _, c := range goneCases {
				if c.Open() {
					t.Fatalf("case %d (%s) of the refused client is still open", c.ID, c.Kind)
				}
			}

			// Closing assessed the cases: refused 5 years from the
			// decision, the ended dossier 10 years from its close.
			rs := gone.Retention
			var latest time.Time
			for _, c := range goneCases {
				r, ok := rs[c.ID]
				if !ok {
					t.Fatalf("case %d has no retention", c.ID)
				}
				want := map[process.CaseKind][2]string{process.CaseAanvraag: {process.ResultRefused, "8.2"},
					process.CaseParticipatie: {process.ResultEnded, "8.3"}}[c.Kind]
				if r.Result != want[0] || r.Category != want[1] || r.Nomination != process.NominationDestroy {
					t.Errorf("case %d (%s): retention %+v, want %v", c.ID, c.Kind, r, want)
				}
				years := 5
				if c.Kind == process.CaseParticipatie {
					years = 10
				}
				if !r.DestroyOn.Equal(r.SourceOn.AddDate(years, 0, 0)) || r.SourceOn.IsZero() {
					t.Errorf("case %d: destroy on %s, source %s, want %d years later", c.ID, r.DestroyOn, r.SourceOn, years)
				}
				if r.DestroyOn.After(latest) {
					latest = r.DestroyOn
				}
			}

			run, err := e.Svc.RunRetention(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if run.Due != 0 {
				t.Fatalf("today %d clients are due, want none", run.Due)
			}
			// The day before the last date: not yet; on it: due.
			e.Clock.Set(latest.Add(-12 * time.Hour))
			if o, err := e.Svc.RetentionOverview(ctx, fb); err != nil || len(o.Due) != 0 {
				t.Fatalf("the day before: due %v, %v", o.Due, err)
			}
			e.Clock.Set(latest.Add(9 * time.Hour))
			if run, err = e.Svc.RunRetention(ctx); err != nil || run.Due != 1 || run.Assessed != 2 {
				t.Fatalf("daily run: %+v, %v; want 2 clients assessed (both have a decided application), 1 due", run, err)
			}
			o, err := e.Svc.RetentionOverview(ctx, fb)
			if err != nil || len(o.Due) != 1 || o.Due[0].ClientID != gone.Client.ID || o.Due[0].Cases != 2 {
				t.Fatalf("due %+v, %v; want only client %d with 2 cases", o.Due, err, gone.Client.ID)
			}

			// Only a functioneel beheerder proposes.
			if _, err := e.Svc.ProposeDestruction(ctx, e.Actor(process.RoleTeamleider)); casework.ErrorCode(err) != casework.CodeForbidden {
				t.Fatalf("a team lead proposed: %v", err)
			}
			id, err := e.Svc.ProposeDestruction(ctx, fb)
			if err != nil {
				t.Fatal(err)
			}
			dry, err := e.Svc.DestructionRun(ctx, fb, id)
			if err != nil {
				t.Fatal(err)
			}
			if dry.MayApprove {
				t.Error("the proposer may approve while four eyes are required")
			}
			rows := map[string]int{}
			for _, tc := range dry.Tables {
				rows[tc.Table] = tc.Rows
			}
			for table, min := range map[string]int{"clients": 1, "cases": 2, "events": 5, "step_records": 3, "tasks": 3,
				"documents": 1, "messages": 1, "plans": 1, "appointments": 1, "destruction_items": 1,
				"notes": 1, "contact_moments": 1, "case_retention": 2, "voorschotten": 1, "plan_evaluations": 1, "room_slots": 1, "reminders": 1} {
				if rows[table] < min {
					t.Errorf("dry run: %s %d rows, want at least %d", table, rows[table], min)
				}
			}
			if rows["clients"] != 1 || len(dry.Documents) != rows["documents"] {
				t.Errorf("dry run: %d clients, %d documents listed of %d", rows["clients"], len(dry.Documents), rows["documents"])
			}
			second := secondBeheerder(t, e)
			before := countAll(t, e.DB.SQL())

			// Refusals: the proposer (four eyes), no confirmation, a caseworker.
			if err := e.Svc.ApproveDestruction(ctx, fb, id, true); casework.ErrorCode(err) != casework.CodeForbidden {
				t.Fatalf("the proposer approved: %v", err)
			}
			if err := e.Svc.ApproveDestruction(ctx, second, id, false); casework.ErrorCode(err) != casework.CodeInvalid {
				t.Fatalf("approved without confirmation: %v", err)
			}
			if err := e.Svc.ApproveDestruction(ctx, e.Actor(process.RoleTeamleider), id, true); casework.ErrorCode(err) != casework.CodeForbidden {
				t.Fatalf("a team lead approved: %v", err)
			}
			// A client no longer due (a case reassessed with a later date) stops the approval.
			moved := rs[goneCases[0].ID]
			moved.DestroyOn = process.Date(e.Clock.Now()).AddDate(1, 0, 0)
			if err := e.DB.Update(ctx, func(tx casework.Tx) error { return tx.SaveRetention(ctx, moved) }); err != nil {
				t.Fatal(err)
			}
			if err := e.Svc.ApproveDestruction(ctx, second, id, true); casework.ErrorCode(err) != casework.CodeConflict {
				t.Fatalf("approved a client no longer due: %v", err)
			}
			if err := e.DB.Update(ctx, func(tx casework.Tx) error { return tx.SaveRetention(ctx, rs[goneCases[0].ID]) }); err != nil {
				t.Fatal(err)
			}
			if got := countAll(t, e.DB.SQL()); !equalCounts(withoutKept(got), withoutKept(before)) {
				t.Fatalf("a refusal changed the database")
			}
			if err := e.Svc.ApproveDestruction(ctx, second, id, true); err != nil {
				t.Fatal(err)
			}

			// Exactly what the dry run showed went; nothing else.
			after := countAll(t, e.DB.SQL())
			for table, n := range withoutKept(before) {
				want := n - rows[table]
				switch table {
				case "retention_statistics":
					want = n + 1
				case "destruction_runs":
					want = n
				}
				if after[table] != want {
					t.Errorf("table %s: %d rows after, want %d (before %d, dry run %d)", table, after[table], want, n, rows[table])
				}
			}
			// Nothing of the client remains, in any text column of any table.
			for _, needle := range []string{gone.Client.BSN, gone.Client.Email, gone.Client.FamilyName + " "} {
				if hits := findText(t, e.DB.SQL(), engine, needle); len(hits) > 0 {
					t.Errorf("%q still in %v", needle, hits)
				}
			}
			if hits := findID(t, e.DB.SQL(), engine, gone.Client.ID, goneCases[0].ID, goneCases[1].ID); len(hits) > 0 {
				t.Errorf("the client's or its cases' ids still in %v", hits)
			}
			if _, err := e.Svc.ClientFile(ctx, e.Actor(process.RoleTeamleider), gone.Client.ID); casework.ErrorCode(err) != casework.CodeNotFound {
				t.Errorf("the destroyed client's file: %v", err)
			}
			if f := e.File(t, kept.Client.ID); len(f.Events) != len(kept.Events) {
				t.Errorf("the kept client's history: %d events, was %d", len(f.Events), len(kept.Events))
			}

			// The report and the statistics remain.
			rep, err := e.Svc.DestructionRun(ctx, fb, id)
			if err != nil || rep.Run.Status != casework.RunDone || rep.Report == nil {
				t.Fatalf("report: %+v, %v", rep, err)
			}
			if r := rep.Report; r.Clients != 1 || r.Cases != 2 || r.ApprovedBy != second.User.Name || r.ProposedBy != fb.User.Name ||
				len(r.Categories) != 2 || r.Categories[0].Category != "8.2" || r.Categories[1].Category != "8.3" {
				t.Errorf("report %+v", *r)
			}
			stats, err := e.Svc.RetentionStatistics(ctx, fb)
			if err != nil || len(stats) != 1 {
				t.Fatalf("statistics %+v, %v", stats, err)
			}
			if s := stats[0]; s.Result != process.ResultRefused || s.DossierResult != process.ResultEnded ||
				s.Year != goneApp.AppliedOn.Year() || s.DecisionDays == nil || s.GuidanceDays == nil {
				t.Errorf("statistics %+v", s)
			}
			// Carried out once.
			if err := e.Svc.ApproveDestruction(ctx, second, id, true); casework.ErrorCode(err) != casework.CodeConflict {
				t.Errorf("approved twice: %v", err)
			}
		})
	}
}

// addNotes records a contact moment and a note on the client's dossier,
// a voorschot on its application and an evaluation of its plan.
func addNotes(t *testing.T, e *casetest.Env, clientID, caseID int64) {
	t.Helper()
	ctx := context.Background()
	author := e.Users[process.RoleKMWerkdiagnose]
	now := e.Clock.Now()
	err := e.DB.Update(ctx, func(tx casework.Tx) error {
		part, err := tx.CaseByID(ctx, caseID)
		if err != nil {
			return err
		}
		tasks, err := tx.TasksByApplication(ctx, part.ApplicationID)
		if err != nil {
			return err
		}
		var appTask, partTask int64
		for _, tk := range tasks {
			if tk.CaseID == part.ApplicationID {
				appTask = tk.ID
			} else if tk.CaseID == caseID {
				partTask = tk.ID
			}
		}
		if err := tx.AddVoorschot(ctx, &casework.Voorschot{CaseID: part.ApplicationID, TaskID: appTask, DueOn: now, On: now,
			Reason: "test", ActorID: author.ID, CreatedAt: now}); err != nil {
			return err
		}
		if err := tx.AddEvaluation(ctx, &casework.PlanEvaluation{CaseID: caseID, TaskID: partTask, HeldOn: now, PlanVersion: 1,
			NextOn: now, ActorID: author.ID, CreatedAt: now}); err != nil {
			return err
		}
		if err := tx.AddContact(ctx, &casework.ContactMoment{ClientID: clientID, CaseID: caseID, Kind: "telefoon",
			Direction: "in", At: e.Clock.Now(), Summary: "Klant belde over de afspraak.", AuthorID: author.ID,
			CreatedAt: e.Clock.Now(), AuthorName: author.Name}); err != nil {
			return err
		}
		return tx.AddNote(ctx, &casework.Note{ClientID: clientID, CaseID: caseID, Body: "Notitie bij het dossier.",
			AuthorID: author.ID, CreatedAt: e.Clock.Now(), AuthorName: author.Name})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The history tables refuse deletes on both engines outside an approved
// destruction run's own transaction: with no run, with a run only
// proposed, with a committed run marked busy but never approved; inside
// the destruction transaction they allow deletes (not updates), and on
// PostgreSQL another transaction does not see that run.
func TestHistoryTriggersRefuseOutsideDestruction(t *testing.T) {
	protected := []string{"events", "step_records", "contact_moments", "notes", "documents", "voorschotten", "plan_evaluations"}
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			e := casetest.New(t, engine)
			app := e.Apply(t)
			e.WalkChoice(t, app, demo.Choice{Decision: process.OutcomeGeenToekenning, NUG: process.OutcomeAfsluiten}, "")
			f := e.File(t, app.ClientID)
			addNotes(t, e, app.ClientID, f.Participation.ID)
			db := e.DB.SQL()
			ph := placeholder(engine)
			fb := e.Users[process.RoleBeheerder]
			refused := func(when string) {
				t.Helper()
				for _, tbl := range protected {
					if _, err := db.Exec(`DELETE FROM ` + tbl); err == nil {
						t.Errorf("%s: DELETE FROM %s was allowed", when, tbl)
					}
				}
			}
			refused("no run")
			if _, err := db.Exec(`INSERT INTO destruction_runs (status, proposed_at, proposed_by, approved_by) VALUES ('voorgesteld', `+
				ph+`, `+strings.Replace(ph, "1", "2", 1)+`, `+strings.Replace(ph, "1", "3", 1)+`)`, e.Clock.Now().UTC(), fb.ID, fb.ID); err != nil {
				t.Fatal(err)
			}
			refused("a proposed run")
			if _, err := db.Exec(`UPDATE destruction_runs SET status = 'bezig', approved_by = NULL`); err != nil {
				t.Fatal(err)
			}
			refused("a busy run without approval")

			// Inside the destruction transaction.
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			if _, err := tx.Exec(`UPDATE destruction_runs SET approved_by = `+ph, fb.ID); err != nil {
				t.Fatal(err)
			}
			if engine == "postgres" {
				// Another transaction does not see the approval.
				if _, err := db.Exec(`DELETE FROM events`); err == nil {
					t.Error("another transaction deleted events during a destruction")
				}
			}
			if _, err := tx.Exec(`UPDATE events SET summary = 'x'`); err == nil {
				t.Error("events were updated inside a destruction")
			}
			if engine == "postgres" { // the failed statement ended the transaction
				tx.Rollback()
				if tx, err = db.BeginTx(ctx, nil); err != nil {
					t.Fatal(err)
				}
				if _, err := tx.Exec(`UPDATE destruction_runs SET approved_by = `+ph, fb.ID); err != nil {
					t.Fatal(err)
				}
			}
			for _, tbl := range []string{"plans", "voorschotten", "plan_evaluations", "notes", "contact_moments", "step_records", "reminders", "events"} {
				if tbl == "plans" || tbl == "reminders" {
					// Not protected, but they refer to documents and events' tasks.
					if _, err := tx.Exec(`DELETE FROM ` + tbl); err != nil {
						t.Fatalf("delete %s: %v", tbl, err)
					}
					continue
				}
				if _, err := tx.Exec(`DELETE FROM ` + tbl); err != nil {
					t.Errorf("inside the destruction, DELETE FROM %s: %v", tbl, err)
				}
			}
			if err := tx.Rollback(); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(`UPDATE destruction_runs SET approved_by = `+ph, fb.ID); err != nil {
				t.Fatal(err)
			}
			// A busy, approved run committed by hand is the one way around;
			// the store never commits one (ApproveDestruction ends 'uitgevoerd').
			var n int
			if err := db.QueryRow(`SELECT COUNT(*) FROM events`).Scan(&n); err != nil || n == 0 {
				t.Fatalf("events after rollback: %d, %v", n, err)
			}
		})
	}
}

// secondBeheerder adds a second functioneel beheerder, for four eyes.
func secondBeheerder(t *testing.T, e *casetest.Env) casework.Actor {
	t.Helper()
	u := casework.User{Username: "beheerder2", Name: "Tweede Beheerder", Email: "beheer2@example.invalid",
		Roles: process.Roles{process.RoleBeheerder}, Active: true, CreatedAt: e.Clock.Now()}
	if err := e.DB.Update(context.Background(), func(tx casework.Tx) error { return tx.CreateUser(context.Background(), &u) }); err != nil {
		t.Fatal(err)
	}
	return casework.Actor{User: u}
}

// tables lists the tables of the current schema with their columns and
// each column's kind ("text", "int" or "other").
func tables(t *testing.T, db *sql.DB, engine string) map[string]map[string]string {
	t.Helper()
	q := `SELECT m.name, p.name, lower(p.type) FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table'`
	if engine == "postgres" {
		q = `SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema()`
	}
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]map[string]string{}
	for rows.Next() {
		var tbl, col, typ string
		if err := rows.Scan(&tbl, &col, &typ); err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(tbl, "sqlite_") || tbl == "goose_db_version" {
			continue
		}
		if out[tbl] == nil {
			out[tbl] = map[string]string{}
		}
		kind := "other"
		switch {
		case strings.Contains(typ, "text") || strings.Contains(typ, "char"):
			kind = "text"
		case strings.Contains(typ, "int"):
			kind = "int"
		}
		out[tbl][col] = kind
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// countAll counts the rows of every table.
func countAll(t *testing.T, db *sql.DB) map[string]int {
	t.Helper()
	engine := "sqlite"
	if _, err := db.Exec(`SELECT 1 FROM sqlite_master LIMIT 1`); err != nil {
		engine = "postgres"
	}
	out := map[string]int{}
	for tbl := range tables(t, db, engine) {
		var n int
		if err := db.QueryRow(`SELECT COUNT(*) FROM "` + tbl + `"`).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", tbl, err)
		}
		out[tbl] = n
	}
	return out
}

// withoutKept leaves out the tables kept on destruction on purpose (the
// audit log, which also grows with every refusal and approval).
func withoutKept(counts map[string]int) map[string]int {
	out := map[string]int{}
	for k, v := range counts {
		if store.KeptTables()[k] == "" {
			out[k] = v
		}
	}
	return out
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// findText returns table.column of every text column holding needle.
func findText(t *testing.T, db *sql.DB, engine, needle string) []string {
	t.Helper()
	var hits []string
	for tbl, cols := range tables(t, db, engine) {
		for col, kind := range cols {
			if kind != "text" {
				continue
			}
			var n int
			q := `SELECT COUNT(*) FROM "` + tbl + `" WHERE "` + col + `" LIKE '%' || ` + placeholder(engine) + ` || '%'`
			if err := db.QueryRow(q, needle).Scan(&n); err != nil {
				t.Fatalf("%s.%s: %v", tbl, col, err)
			}
			if n > 0 {
				hits = append(hits, tbl+"."+col)
			}
		}
	}
	return hits
}

// findID returns table.column of every column naming a client or a case
// that holds one of the client's or cases' ids.
func findID(t *testing.T, db *sql.DB, engine string, clientID int64, caseIDs ...int64) []string {
	t.Helper()
	var hits []string
	for tbl, cols := range tables(t, db, engine) {
		if store.KeptTables()[tbl] != "" {
			continue // kept on purpose, with ids only (the audit log)
		}
		for col, kind := range cols {
			var ids []int64
			switch {
			case kind != "int":
				continue
			case col == "client_id" || (tbl == "clients" && col == "id"):
				ids = []int64{clientID}
			case col == "case_id" || col == "application_id" || (tbl == "cases" && col == "id"):
				ids = caseIDs
			default:
				continue
			}
			for _, id := range ids {
				var n int
				if err := db.QueryRow(`SELECT COUNT(*) FROM "`+tbl+`" WHERE "`+col+`" = `+placeholder(engine), id).Scan(&n); err != nil {
					t.Fatalf("%s.%s: %v", tbl, col, err)
				}
				if n > 0 {
					hits = append(hits, tbl+"."+col)
				}
			}
		}
	}
	return hits
}

func placeholder(engine string) string {
	if engine == "postgres" {
		return "$1"
	}
	return "?"
}
