package store

import (
	"context"
	"database/sql"
	"maps"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Retention and destruction (casework/retention.go). The history tables
// refuse deletes by trigger unless an approved destruction run is 'bezig',
// a status that exists only inside the destruction's own transaction
// (migration 00019).

const retentionCols = `case_id, client_id, result, category, nomination, period, source_on, destroy_on, assessed_at`

func scanRetention(s scanner) (casework.CaseRetention, error) {
	var r casework.CaseRetention
	err := s.Scan(&r.CaseID, &r.ClientID, &r.Result, &r.Category, &r.Nomination, &r.Period,
		dateCol{&r.SourceOn}, dateCol{&r.DestroyOn}, timeCol{&r.AssessedAt})
	return r, err
}

// SaveRetention writes a case's retention, replacing what was there.
func (t *tx) SaveRetention(ctx context.Context, r casework.CaseRetention) (err error) {
	defer wrap(&err, "SaveRetention(case %d)", r.CaseID)
	stamp(&r.AssessedAt)
	_, err = t.exec(ctx, `INSERT INTO case_retention (`+retentionCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (case_id) DO UPDATE SET client_id = excluded.client_id, result = excluded.result,
			category = excluded.category, nomination = excluded.nomination, period = excluded.period,
			source_on = excluded.source_on, destroy_on = excluded.destroy_on, assessed_at = excluded.assessed_at`,
		r.CaseID, r.ClientID, r.Result, r.Category, r.Nomination, r.Period, dateArg(r.SourceOn), dateArg(r.DestroyOn),
		timeArg(r.AssessedAt))
	return err
}

// RetentionByClient returns the retention of a client's cases.
func (t *tx) RetentionByClient(ctx context.Context, clientID int64) (_ []casework.CaseRetention, err error) {
	defer wrap(&err, "RetentionByClient(%d)", clientID)
	return queryAll(ctx, t, scanRetention, `SELECT `+retentionCols+` FROM case_retention WHERE client_id = ? ORDER BY case_id`, clientID)
}

// ClientsWithClosedCases lists every client with a closed case.
func (t *tx) ClientsWithClosedCases(ctx context.Context) (_ []int64, err error) {
	defer wrap(&err, "ClientsWithClosedCases")
	return queryAll(ctx, t, func(s scanner) (int64, error) {
		var id int64
		return id, s.Scan(&id)
	}, `SELECT DISTINCT client_id FROM cases WHERE closed_at IS NOT NULL ORDER BY client_id`)
}

// DueClients lists the clients every case of which is closed, nominated
// for destruction and past its date on today, and that no open proposal
// holds.
func (t *tx) DueClients(ctx context.Context, today time.Time) (_ []casework.DueClient, err error) {
	defer wrap(&err, "DueClients")
	type row struct {
		client int64
		on     time.Time
	}
	rows, err := queryAll(ctx, t, func(s scanner) (row, error) {
		var r row
		return r, s.Scan(&r.client, dateCol{&r.on})
	}, `SELECT r.client_id, r.destroy_on FROM case_retention r
		WHERE NOT EXISTS (SELECT 1 FROM cases k WHERE k.client_id = r.client_id AND (k.closed_at IS NULL
			OR NOT EXISTS (SELECT 1 FROM case_retention q WHERE q.case_id = k.id AND q.nomination = ?
				AND q.destroy_on IS NOT NULL AND q.destroy_on <= ?)))
		AND NOT EXISTS (SELECT 1 FROM destruction_items i JOIN destruction_runs d ON d.id = i.run_id
			WHERE i.client_id = r.client_id AND d.status = ?)
		ORDER BY r.client_id, r.case_id`, process.NominationDestroy, dateArg(today), casework.RunProposed)
	if err != nil {
		return nil, err
	}
	var out []casework.DueClient
	for _, r := range rows {
		if n := len(out); n > 0 && out[n-1].ClientID == r.client {
			out[n-1].Cases++
			if r.on.After(out[n-1].DestroyOn) {
				out[n-1].DestroyOn = r.on
			}
			continue
		}
		out = append(out, casework.DueClient{ClientID: r.client, Cases: 1, DestroyOn: r.on})
	}
	return out, nil
}

const runCols = `id, status, proposed_at, proposed_by, proposed_by_name, approved_at, approved_by, approved_by_name,
	executed_at, clients, cases, report`

func scanRun(s scanner) (casework.DestructionRun, error) {
	var r casework.DestructionRun
	err := s.Scan(&r.ID, &r.Status, timeCol{&r.ProposedAt}, idCol{&r.ProposedBy}, &r.ProposedByName,
		timeCol{&r.ApprovedAt}, idCol{&r.ApprovedBy}, &r.ApprovedByName, timeCol{&r.ExecutedAt}, &r.Clients, &r.Cases, &r.Report)
	return r, err
}

// CreateDestructionRun stores a proposal with its clients and sets r.ID.
func (t *tx) CreateDestructionRun(ctx context.Context, r *casework.DestructionRun) (err error) {
	defer wrap(&err, "CreateDestructionRun")
	stamp(&r.ProposedAt)
	return t.atomic(ctx, func() error {
		id, err := t.insert(ctx, `INSERT INTO destruction_runs (status, proposed_at, proposed_by, proposed_by_name, clients, cases)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, r.Status, timeArg(r.ProposedAt), idArg(r.ProposedBy), r.ProposedByName,
			r.Clients, r.Cases)
		if err != nil {
			return err
		}
		for _, it := range r.Items {
			if _, err := t.exec(ctx, `INSERT INTO destruction_items (run_id, client_id, destroy_on) VALUES (?, ?, ?)`,
				id, it.ClientID, dateArg(it.DestroyOn)); err != nil {
				return err
			}
		}
		r.ID = id
		return nil
	})
}

// DestructionRunByID returns a run with its clients (none once carried out).
func (t *tx) DestructionRunByID(ctx context.Context, id int64) (_ casework.DestructionRun, err error) {
	defer wrap(&err, "DestructionRunByID(%d)", id)
	r, err := queryOne(ctx, t, scanRun, `SELECT `+runCols+` FROM destruction_runs WHERE id = ?`, id)
	if err != nil {
		return r, err
	}
	r.Items, err = queryAll(ctx, t, func(s scanner) (casework.DueClient, error) {
		var d casework.DueClient
		return d, s.Scan(&d.ClientID, dateCol{&d.DestroyOn}, &d.Cases)
	}, `SELECT i.client_id, i.destroy_on, (SELECT COUNT(*) FROM cases k WHERE k.client_id = i.client_id)
		FROM destruction_items i WHERE i.run_id = ? ORDER BY i.client_id`, id)
	return r, err
}

// ListDestructionRuns returns every run, newest first, without clients.
func (t *tx) ListDestructionRuns(ctx context.Context) (_ []casework.DestructionRun, err error) {
	defer wrap(&err, "ListDestructionRuns")
	return queryAll(ctx, t, scanRun, `SELECT `+runCols+` FROM destruction_runs ORDER BY id DESC`)
}

// SetDestructionStatus writes a run's status, approval, execution, counts
// and report when it is still in status from.
func (t *tx) SetDestructionStatus(ctx context.Context, r casework.DestructionRun, from string) (err error) {
	defer wrap(&err, "SetDestructionStatus(%d, %s→%s)", r.ID, from, r.Status)
	n, err := t.exec(ctx, `UPDATE destruction_runs SET status = ?, approved_at = ?, approved_by = ?, approved_by_name = ?,
		executed_at = ?, clients = ?, cases = ?, report = ? WHERE id = ? AND status = ?`,
		r.Status, timeArg(r.ApprovedAt), idArg(r.ApprovedBy), r.ApprovedByName, timeArg(r.ExecutedAt), r.Clients, r.Cases,
		r.Report, r.ID, from)
	return t.versioned(ctx, n, err, "destruction_runs", r.ID)
}

// The rows of a run's clients, as subqueries on the run id (each ? is the
// run id).
const (
	runClients = `(SELECT client_id FROM destruction_items WHERE run_id = ?)`
	runCases   = `(SELECT id FROM cases WHERE client_id IN ` + runClients + `)`
	runTasks   = `(SELECT id FROM tasks WHERE client_id IN ` + runClients + ` OR case_id IN ` + runCases + `)`
	runAppts   = `(SELECT id FROM appointments WHERE client_id IN ` + runClients + ` OR case_id IN ` + runCases + `)`
	runTrajs   = `(SELECT id FROM trajectories WHERE case_id IN ` + runCases + `)`
	runMsgs    = `(SELECT id FROM messages WHERE client_id IN ` + runClients + ` OR case_id IN ` + runCases +
		` OR task_id IN ` + runTasks + `)`
)

// destroyRule removes the rows of one table that belong to a run's
// clients. The order is the order of the foreign keys: what refers to a
// row goes before it.
type destroyRule struct {
	table string
	where string
	// partial: a first pass over the table that a later rule completes;
	// the dry run counts the table once, by the later rule.
	partial bool
}

// destroyRules is every table that holds something of a client. A table
// that refers to clients or cases without a rule here fails
// TestDestructionCoversEveryTable.
var destroyRules = []destroyRule{
	{table: "room_slots", where: "appointment_id IN " + runAppts},
	{table: "person_slots", where: "appointment_id IN " + runAppts},
	{table: "plans", where: "case_id IN " + runCases},
	{table: "plan_evaluations", where: "case_id IN " + runCases + " OR task_id IN " + runTasks},
	{table: "voorschotten", where: "case_id IN " + runCases + " OR task_id IN " + runTasks},
	{table: "reminders", where: "case_id IN " + runCases + " OR task_id IN " + runTasks + " OR message_id IN " + runMsgs},
	{table: "documents", where: "client_id IN " + runClients + " OR case_id IN " + runCases + " OR message_id IN " + runMsgs},
	{table: "activities", where: "trajectory_id IN " + runTrajs},
	{table: "registrations", where: "case_id IN " + runCases},
	{table: "trajectories", where: "case_id IN " + runCases},
	{table: "suspensions", where: "case_id IN " + runCases},
	{table: "appointments", where: "client_id IN " + runClients + " OR case_id IN " + runCases},
	{table: "events", where: "client_id IN " + runClients + " OR case_id IN " + runCases + " OR task_id IN " + runTasks},
	{table: "step_records", where: "application_id IN " + runCases + " OR case_id IN " + runCases + " OR task_id IN " + runTasks},
	{table: "contact_moments", where: "client_id IN " + runClients + " OR case_id IN " + runCases},
	{table: "notes", where: "client_id IN " + runClients + " OR case_id IN " + runCases},
	{table: "messages", where: "client_id IN " + runClients + " OR case_id IN " + runCases + " OR task_id IN " + runTasks},
	{table: "tasks", where: "client_id IN " + runClients + " OR case_id IN " + runCases + " OR application_id IN " + runCases},
	{table: "case_retention", where: "client_id IN " + runClients + " OR case_id IN " + runCases},
	{table: "meldingen", where: "client_id IN " + runClients},
	// Break-the-glass grants hold a colleague's reason for opening the file.
	{table: "access_grants", where: "client_id IN " + runClients},
	// A participation case refers to its application: it goes first.
	{table: "cases", where: "client_id IN " + runClients + " AND application_id IS NOT NULL", partial: true},
	{table: "cases", where: "client_id IN " + runClients},
	{table: "client_words", where: "client_id IN " + runClients},
	{table: "clients", where: "id IN " + runClients},
	// Last: the proposal's list of clients itself.
	{table: "destruction_items", where: "run_id = ?"},
}

// keptTables refer to clients or cases and are kept on destruction on
// purpose, each with the reason (TestDestructionCoversEveryTable). A
// table named here that the schema does not have yet is harmless.
var keptTables = map[string]string{
	"audit_log": "the audit log (BIO2 8.15) holds ids only, no names or BSNs, and has its own retention and purge",
}

// KeptTables returns the tables that refer to clients or cases and are
// kept on destruction, with the reason.
func KeptTables() map[string]string { return maps.Clone(keptTables) }

// args repeats the run id for every ? of a rule.
func (r destroyRule) args(runID int64) []any {
	out := make([]any, strings.Count(r.where, "?"))
	for i := range out {
		out[i] = runID
	}
	return out
}

// DestructionCounts counts the rows destroying the run's clients would
// remove, per table in the order they go (the dry run).
func (t *tx) DestructionCounts(ctx context.Context, runID int64) (_ []casework.TableCount, err error) {
	defer wrap(&err, "DestructionCounts(%d)", runID)
	var out []casework.TableCount
	for _, r := range destroyRules {
		if r.partial {
			continue
		}
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM `+r.table+` WHERE `+r.where, r.args(runID)...).Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, casework.TableCount{Table: r.table, Rows: n})
	}
	return out, nil
}

// DestructionDocuments lists the documents of the run's clients, without
// titles or contents.
func (t *tx) DestructionDocuments(ctx context.Context, runID int64) (_ []casework.DocumentSummary, err error) {
	defer wrap(&err, "DestructionDocuments(%d)", runID)
	var rule destroyRule
	for _, r := range destroyRules {
		if r.table == "documents" {
			rule = r
		}
	}
	return queryAll(ctx, t, func(s scanner) (casework.DocumentSummary, error) {
		var d casework.DocumentSummary
		return d, s.Scan(&d.ID, &d.ClientID, &d.Kind, &d.ContentType, &d.Size, timeCol{&d.CreatedAt})
	}, `SELECT id, client_id, kind, content_type, size, created_at FROM documents WHERE `+rule.where+` ORDER BY client_id, id`,
		rule.args(runID)...)
}

// DestroyRunClients removes every row of the run's clients. The history
// tables allow it only while the run is busy and approved (the caller set
// it so in this transaction).
func (t *tx) DestroyRunClients(ctx context.Context, runID int64) (_ []casework.TableCount, err error) {
	defer wrap(&err, "DestroyRunClients(%d)", runID)
	var out []casework.TableCount
	for _, r := range destroyRules {
		n, err := t.exec(ctx, `DELETE FROM `+r.table+` WHERE `+r.where, r.args(runID)...)
		if err != nil {
			return nil, err
		}
		if k := len(out); k > 0 && out[k-1].Table == r.table {
			out[k-1].Rows += int(n)
			continue
		}
		out = append(out, casework.TableCount{Table: r.table, Rows: int(n)})
	}
	return out, nil
}

// AddRetentionStat keeps one pseudonymised statistics row.
func (t *tx) AddRetentionStat(ctx context.Context, s casework.RetentionStat) (err error) {
	defer wrap(&err, "AddRetentionStat")
	opt := func(p *int) any {
		if p == nil {
			return nil
		}
		return *p
	}
	_, err = t.exec(ctx, `INSERT INTO retention_statistics (year, target_group, result, dossier_result, decision_days, guidance_days)
		VALUES (?, ?, ?, ?, ?, ?)`, s.Year, s.TargetGroup, s.Result, s.DossierResult, opt(s.DecisionDays), opt(s.GuidanceDays))
	return err
}

// RetentionStats returns the statistics kept, by year.
func (t *tx) RetentionStats(ctx context.Context) (_ []casework.RetentionStat, err error) {
	defer wrap(&err, "RetentionStats")
	return queryAll(ctx, t, func(s scanner) (casework.RetentionStat, error) {
		var st casework.RetentionStat
		var dec, gui sql.NullInt64
		if err := s.Scan(&st.Year, &st.TargetGroup, &st.Result, &st.DossierResult, &dec, &gui); err != nil {
			return st, err
		}
		if dec.Valid {
			n := int(dec.Int64)
			st.DecisionDays = &n
		}
		if gui.Valid {
			n := int(gui.Int64)
			st.GuidanceDays = &n
		}
		return st, nil
	}, `SELECT year, target_group, result, dossier_result, decision_days, guidance_days FROM retention_statistics ORDER BY year, id`)
}
