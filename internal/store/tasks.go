package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

const taskCols = `t.id, t.application_id, t.case_id, t.client_id, t.step, t.from_step, t.team, t.worklist,
	t.holder_id, t.status, t.term, t.created_at, t.due_on, t.completed_at, t.completed_by, t.outcome,
	t.late_reason, t.version, TRIM(cl.given_name || ' ' || cl.family_name), ca.code, COALESCE(h.name, ''),
	COALESCE(cb.name, ''), ap.definition_version, su.start_on, su.planned_end`

const taskFrom = ` FROM tasks t
	JOIN clients cl ON cl.id = t.client_id
	JOIN cases ca ON ca.id = t.case_id
	JOIN cases ap ON ap.id = t.application_id
	LEFT JOIN users h ON h.id = t.holder_id
	LEFT JOIN users cb ON cb.id = t.completed_by
	LEFT JOIN suspensions su ON su.id = (SELECT MAX(r.id) FROM suspensions r WHERE r.case_id = t.application_id AND r.end_on IS NULL)`

func scanTask(s scanner) (casework.Task, error) {
	var t casework.Task
	err := s.Scan(&t.ID, &t.ApplicationID, &t.CaseID, &t.ClientID, &t.Step, &t.FromStep, &t.Team, &t.Worklist,
		idCol{&t.HolderID}, &t.Status, &t.Term, timeCol{&t.CreatedAt}, dateCol{&t.DueOn}, timeCol{&t.CompletedAt},
		idCol{&t.CompletedBy}, &t.Outcome, &t.LateReason, &t.Version, &t.ClientName, &t.CaseCode, &t.HolderName,
		&t.CompletedByName, &t.DefinitionVersion, dateCol{&t.SuspendedSince}, dateCol{&t.SuspendedUntil})
	return t, err
}

// CreateTask stores a new task at version 1 and sets its ID and Version
// (and CreatedAt when zero).
func (t *tx) CreateTask(ctx context.Context, k *casework.Task) (err error) {
	defer wrap(&err, "CreateTask(application %d, case %d)", k.ApplicationID, k.CaseID)
	stamp(&k.CreatedAt)
	id, err := t.insert(ctx, `INSERT INTO tasks (application_id, case_id, client_id, step, from_step, team, worklist,
		holder_id, status, term, created_at, due_on, completed_at, completed_by, outcome, late_reason, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id`,
		k.ApplicationID, k.CaseID, k.ClientID, string(k.Step), string(k.FromStep), k.Team, k.Worklist,
		idArg(k.HolderID), k.Status, string(k.Term), timeArg(k.CreatedAt), dateArg(k.DueOn),
		timeArg(k.CompletedAt), idArg(k.CompletedBy), k.Outcome, k.LateReason)
	if err != nil {
		return err
	}
	k.ID, k.Version = id, 1
	return nil
}

// UpdateTask writes every field but ID and CreatedAt when k.Version is
// still current and increments k.Version. It fails with ErrNotFound or
// ErrStale.
func (t *tx) UpdateTask(ctx context.Context, k *casework.Task) (err error) {
	defer wrap(&err, "UpdateTask(%d, version %d)", k.ID, k.Version)
	n, err := t.exec(ctx, `UPDATE tasks SET application_id = ?, case_id = ?, client_id = ?, step = ?, from_step = ?,
		team = ?, worklist = ?, holder_id = ?, status = ?, term = ?, due_on = ?, completed_at = ?, completed_by = ?,
		outcome = ?, late_reason = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		k.ApplicationID, k.CaseID, k.ClientID, string(k.Step), string(k.FromStep), k.Team, k.Worklist,
		idArg(k.HolderID), k.Status, string(k.Term), dateArg(k.DueOn), timeArg(k.CompletedAt),
		idArg(k.CompletedBy), k.Outcome, k.LateReason, k.ID, k.Version)
	if err := t.versioned(ctx, n, err, "tasks", k.ID); err != nil {
		return err
	}
	k.Version++
	return nil
}

// TaskByID returns the task with its joined names or ErrNotFound.
func (t *tx) TaskByID(ctx context.Context, id int64) (_ casework.Task, err error) {
	defer wrap(&err, "TaskByID(%d)", id)
	return queryOne(ctx, t, scanTask, `SELECT `+taskCols+taskFrom+` WHERE t.id = ?`, id)
}

// TasksByApplication returns every task of an application's flow, any
// status, in the order they were made.
func (t *tx) TasksByApplication(ctx context.Context, applicationID int64) (_ []casework.Task, err error) {
	defer wrap(&err, "TasksByApplication(%d)", applicationID)
	return queryAll(ctx, t, scanTask, `SELECT `+taskCols+taskFrom+`
		WHERE t.application_id = ? ORDER BY t.created_at, t.id`, applicationID)
}

// taskSorts whitelists the sort orders of ListTasks; %s is ASC or DESC.
var taskSorts = map[string]string{
	"due":    "t.due_on %s NULLS LAST",
	"since":  "t.created_at %s",
	"client": "cl.search_name %s", // the name as shown, folded alike on both engines
	"step":   "t.step %s",
	"holder": "LOWER(h.name) %s NULLS LAST",
}

// ListTasks returns the tasks f selects: status open unless f.Status says
// otherwise, every team when f.Teams is empty, sorted by f.Sort (default
// "due", tasks without a deadline last) then by ID, at most f.Limit (default
// 500).
func (t *tx) ListTasks(ctx context.Context, f casework.TaskFilter) (_ []casework.Task, err error) {
	defer wrap(&err, "ListTasks(holder %d, client %d)", f.HolderID, f.ClientID)
	var where []string
	var args []any
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	status := f.Status
	if status == "" {
		status = casework.TaskOpen
	}
	add("t.status = ?", status)
	if len(f.Teams) > 0 {
		add("t.team IN ("+placeholders(len(f.Teams))+")", anys(f.Teams)...)
	}
	if f.HolderID != 0 {
		add("t.holder_id = ?", f.HolderID)
	}
	if f.Unassigned {
		add("t.holder_id IS NULL")
	}
	if f.Step != "" {
		add("t.step = ?", string(f.Step))
	}
	if f.CaseCode != "" {
		add("ca.code = ?", f.CaseCode)
	}
	if !f.DueBefore.IsZero() {
		add("t.due_on <= ?", dateArg(f.DueBefore))
	}
	if f.ClientID != 0 {
		add("t.client_id = ?", f.ClientID)
	}
	order, ok := taskSorts[f.Sort]
	if !ok {
		order = taskSorts["due"]
	}
	dir := "ASC"
	if f.Desc {
		dir = "DESC"
	}
	q := `SELECT ` + taskCols + taskFrom + ` WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY ` + fmt.Sprintf(order, dir) + `, t.id ` + dir + ` LIMIT ?`
	args = append(args, limit(f.Limit, 500))
	return queryAll(ctx, t, scanTask, q, args...)
}

// OpenTaskCounts counts the open tasks per holder (0 for unassigned) of
// the given teams, of every team when teams is empty.
func (t *tx) OpenTaskCounts(ctx context.Context, teams []string) (_ map[int64]int, err error) {
	defer wrap(&err, "OpenTaskCounts")
	q := `SELECT holder_id, COUNT(*) FROM tasks WHERE status = ?`
	args := []any{casework.TaskOpen}
	if len(teams) > 0 {
		q += ` AND team IN (` + placeholders(len(teams)) + `)`
		args = append(args, anys(teams)...)
	}
	rows, err := queryAll(ctx, t, scanCount, q+` GROUP BY holder_id`, args...)
	if err != nil {
		return nil, err
	}
	return toMap(rows), nil
}
