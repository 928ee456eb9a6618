package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

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
	if err := t.run(ctx, t.taskUpdate(ctx, k, nil)); err != nil {
		return err
	}
	k.Version++
	return nil
}

// UpdateTaskLater is UpdateTask queued until the transaction's next
// statement (later): k.Version is incremented now, and its error, turned
// by fail, is the error of the call that sends it.
func (t *tx) UpdateTaskLater(ctx context.Context, k *casework.Task, fail func(error) error) error {
	s := t.taskUpdate(ctx, k, fail)
	k.Version++
	return t.later(ctx, s)
}

// taskUpdate is the statement of UpdateTask, its outcome turned by fail
// (when not nil).
func (t *tx) taskUpdate(ctx context.Context, k *casework.Task, fail func(error) error) stmt {
	id, version := k.ID, k.Version
	return stmt{query: `UPDATE tasks SET application_id = ?, case_id = ?, client_id = ?, step = ?, from_step = ?,
		team = ?, worklist = ?, holder_id = ?, status = ?, term = ?, due_on = ?, completed_at = ?, completed_by = ?,
		outcome = ?, late_reason = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		args: []any{k.ApplicationID, k.CaseID, k.ClientID, string(k.Step), string(k.FromStep), k.Team, k.Worklist,
			idArg(k.HolderID), k.Status, string(k.Term), dateArg(k.DueOn), timeArg(k.CompletedAt),
			idArg(k.CompletedBy), k.Outcome, k.LateReason, id, version},
		touched: func(n int64) error {
			err := t.versioned(ctx, n, nil, "tasks", id)
			if err != nil && fail != nil {
				err = fail(fmt.Errorf("update task %d, version %d: %w", id, version, err))
			}
			return err
		}}
}

// TaskByID returns the task with its joined names or ErrNotFound.
func (t *tx) TaskByID(ctx context.Context, id int64) (_ casework.Task, err error) {
	defer wrap(&err, "TaskByID(%d)", id)
	return queryOne(ctx, t, scanTask, `SELECT `+taskCols+taskFrom+` WHERE t.id = ?`, id)
}

// TaskWithClient returns task id with every task of its application
// (TasksByApplication) and its client with the client's cases, read by
// two statements sent together; ErrNotFound when there is no such task.
// The client's columns come with each of its cases (a client has a
// handful).
func (t *tx) TaskWithClient(ctx context.Context, id int64) (_ casework.TaskFile, err error) {
	defer wrap(&err, "TaskWithClient(%d)", id)
	var f casework.TaskFile
	err = t.run(ctx,
		readAll(&f.Tasks, scanTask, `SELECT `+taskCols+taskFrom+`
			WHERE t.application_id = (SELECT application_id FROM tasks WHERE id = ?) ORDER BY t.created_at, t.id`, id),
		readAll(&f.Cases, func(s scanner) (casework.Case, error) {
			var c casework.Case
			err := s.Scan(append(clientDest(&f.Client), caseDest(&c)...)...)
			return c, err
		}, `SELECT `+clientColsOf("cl")+`, `+caseCols+caseFrom+` JOIN clients cl ON cl.id = c.client_id
			WHERE c.client_id = (SELECT client_id FROM tasks WHERE id = ?) ORDER BY c.id`, id))
	if err != nil {
		return casework.TaskFile{}, err
	}
	for _, k := range f.Tasks {
		if k.ID == id {
			f.Task = k
			return f, nil
		}
	}
	return casework.TaskFile{}, casework.ErrNotFound
}

// TasksByApplication returns every task of an application's flow, any
// status, in the order they were made.
func (t *tx) TasksByApplication(ctx context.Context, applicationID int64) (_ []casework.Task, err error) {
	defer wrap(&err, "TasksByApplication(%d)", applicationID)
	return queryAll(ctx, t, scanTask, `SELECT `+taskCols+taskFrom+`
		WHERE t.application_id = ? ORDER BY t.created_at, t.id`, applicationID)
}

// TasksByClient returns every task of the client, of all its
// applications, any status, in the order they were made.
func (t *tx) TasksByClient(ctx context.Context, clientID int64) (_ []casework.Task, err error) {
	defer wrap(&err, "TasksByClient(%d)", clientID)
	read := tasksByClient(clientID)
	return queryAll(ctx, t, scanTask, read.sql, read.args...)
}

// tasksByClient is the read of TasksByClient.
func tasksByClient(clientID int64) sqlStmt {
	return sqlStmt{sql: `SELECT ` + taskCols + taskFrom + ` WHERE t.client_id = ? ORDER BY t.created_at, t.id`,
		args: []any{clientID}}
}

// taskSort is a sort order of ListTasks: its key and how a cursor names a
// position in it (casework.Cursor).
type taskSort struct {
	expr string // the sort key; rows with equal keys follow by id
	// nullable: rows without a key (no deadline, nobody holding it) come
	// after all others in both directions, by id.
	nullable bool
	// anchor, when set, reads the key by the id a cursor holds in place of
	// the key itself: a name is personal data and stays out of URLs.
	anchor string
}

// taskSorts whitelists the sort orders of ListTasks. The values of their
// cursors are made by casework.TaskCursor.
var taskSorts = map[string]taskSort{
	"due":   {expr: "t.due_on", nullable: true},
	"since": {expr: "t.created_at"},
	// The name as shown, folded alike on both engines; the cursor holds the
	// client's id.
	"client": {expr: "cl.search_name", anchor: `SELECT search_name FROM clients WHERE id = ?`},
	"step":   {expr: "t.step"},
	// The holder's name; the cursor holds the holder's user id.
	"holder": {expr: "LOWER(h.name)", nullable: true, anchor: `SELECT LOWER(name) FROM users WHERE id = ?`},
}

// sortOf returns the sort named and its name ("due" unless it names another).
func sortOf(name string) (string, taskSort) {
	if s, ok := taskSorts[name]; ok {
		return name, s
	}
	return "due", taskSorts["due"]
}

// taskWhere is the WHERE of the tasks f selects (without its page), and
// whether it needs the join with cases (the case code).
func taskWhere(f casework.TaskFilter) (string, []any, bool) {
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
	cond, a := taskStatus("t", status)
	add(cond, a...)
	switch len(f.Teams) {
	case 0:
	case 1:
		add("t.team = ?", f.Teams[0]) // an equality: the partial index on (team, due_on, id) gives the order
	default:
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
	return strings.Join(where, " AND "), args, f.CaseCode != ""
}

// ListTasks returns the tasks f selects: status open unless f.Status says
// otherwise, every team when f.Teams is empty, sorted by f.Sort (default
// "due", tasks without a deadline last) then by ID, at most f.Limit (default
// 500). With f.Cursor it returns the rows after the cursor's position, or
// with Cursor.Back those before it, nearest first (reversed: the caller
// puts them in list order). Keyset pagination: each page is a range of an
// index, never an OFFSET.
func (t *tx) ListTasks(ctx context.Context, f casework.TaskFilter) (_ []casework.Task, err error) {
	defer wrap(&err, "ListTasks(holder %d, client %d)", f.HolderID, f.ClientID)
	p := newTaskPage(f)
	if p.cur != nil && !p.cur.Null {
		if p.key, err = t.cursorKey(ctx, p.s, p.cur.Value); err != nil {
			return nil, err
		}
	}
	n := limit(f.Limit, 500)
	segment := func(nulls, from bool, n int) ([]casework.Task, error) {
		q, args := p.query(nulls, from, n)
		return queryAll(ctx, t, scanTask, q, args...)
	}
	cur := p.cur
	if !p.s.nullable {
		return segment(false, cur != nil, n)
	}
	// Rows with a key come first, then those without, in either
	// direction; going back, the other way round.
	first, second := false, true // the segments in reading order: nulls or not
	if p.back {
		first, second = true, false
	}
	if cur != nil && cur.Null != first {
		return segment(second, true, n) // the cursor is in the second
	}
	// Both in one statement: the first from the cursor, then the second
	// from its start, each a range of an index cut at n.
	q, args := p.both(first, cur != nil, n)
	return queryAll(ctx, t, func(s scanner) (casework.Task, error) {
		var seg, key any
		return scanTask(multiScanner{s, []any{&seg, &key}})
	}, q, args...)
}

// taskPage is how ListTasks reads a page: the filter, its sort, the cursor
// and the direction of reading.
type taskPage struct {
	where    string
	args     []any
	s        taskSort
	cur      *casework.Cursor
	back     bool
	key      any    // the cursor's sort key as a column value
	dir, cmp string // ASC and > reading forward in an ascending list
}

func newTaskPage(f casework.TaskFilter) taskPage {
	p := taskPage{cur: f.Cursor}
	p.where, p.args, _ = taskWhere(f)
	var name string
	name, p.s = sortOf(f.Sort)
	if p.cur != nil && (p.cur.Sort != name || p.cur.Desc != f.Desc) {
		p.cur = nil // a cursor of another sort: the first page
	}
	p.back = p.cur != nil && p.cur.Back
	// The direction rows are read in: the list's, or against it going back.
	p.dir, p.cmp = "ASC", ">"
	if f.Desc != p.back {
		p.dir, p.cmp = "DESC", "<"
	}
	return p
}

// query is the statement of one segment: the rows with a sort key (nulls
// false) or those without, after the cursor when from is set, at most n.
func (p taskPage) query(nulls, from bool, n int) (string, []any) {
	w, a := p.where, slices.Clip(p.args)
	order := p.s.expr + ` ` + p.dir + `, t.id ` + p.dir
	switch {
	case nulls:
		w += ` AND ` + p.s.expr + ` IS NULL`
		// The key is NULL in every row here, so the key orders nothing,
		// but it lets the planner read the rows in the order of the index
		// that holds them, tasks_open_team_due (team, due_on, id): ordered
		// by the id alone PostgreSQL walks the primary key instead and
		// filters every task ever made (1.4 s at 1 M cases).
		order = p.s.expr + ` ` + p.dir + `, t.id ` + p.dir
		if from {
			w += ` AND t.id ` + p.cmp + ` ?`
			a = append(a, p.cur.ID)
		}
	default:
		if p.s.nullable {
			w += ` AND ` + p.s.expr + ` IS NOT NULL`
		}
		if from {
			w += ` AND (` + p.s.expr + `, t.id) ` + p.cmp + ` (?, ?)`
			a = append(a, p.key, p.cur.ID)
		}
	}
	return `SELECT ` + taskCols + taskFrom + ` WHERE ` + w + ` ORDER BY ` + order + ` LIMIT ?`, append(a, n)
}

// both is the statement of two segments in reading order, the first
// (nulls or not) after the cursor when from is set, the second from its
// start: each cut at n, then ordered by segment, key and id, at most n.
func (p taskPage) both(firstNulls, from bool, n int) (string, []any) {
	part := func(seg int, nulls, from bool) (string, []any) {
		q, a := p.query(nulls, from, n)
		cols := `SELECT ` + taskCols
		return cols + `, ` + strconv.Itoa(seg) + ` AS page_seg, ` + p.s.expr + ` AS page_key` + strings.TrimPrefix(q, cols), a
	}
	q1, a1 := part(0, firstNulls, from)
	q2, a2 := part(1, !firstNulls, false)
	return `SELECT * FROM (` + q1 + `) AS first_part UNION ALL SELECT * FROM (` + q2 + `) AS second_part
		ORDER BY page_seg, page_key ` + p.dir + `, id ` + p.dir + ` LIMIT ?`, append(append(a1, a2...), n)
}

// cursorKey is the sort key a cursor's value stands for: read by id when
// the sort's key is a name, else the value itself as a column value.
func (t *tx) cursorKey(ctx context.Context, s taskSort, v string) (any, error) {
	switch {
	case s.anchor != "":
		id, _ := strconv.ParseInt(v, 10, 64)
		var key string
		if err := t.queryRow(ctx, s.anchor, id).Scan(&key); err != nil && !isNoRows(err) {
			return nil, err
		}
		return key, nil
	case s.expr == "t.created_at":
		at, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return nil, fmt.Errorf("cursor: %w", err)
		}
		return timeArg(at), nil
	}
	return v, nil
}

// CountTasks counts the tasks f selects (its page aside), by the same
// WHERE as ListTasks: on the worklist's indexes, without reading a row.
func (t *tx) CountTasks(ctx context.Context, f casework.TaskFilter) (_ int, err error) {
	defer wrap(&err, "CountTasks(holder %d)", f.HolderID)
	where, args, cases := taskWhere(f)
	from := ` FROM tasks t`
	if cases {
		from += ` JOIN cases ca ON ca.id = t.case_id`
	}
	var n int
	err = t.queryRow(ctx, `SELECT COUNT(*)`+from+` WHERE `+where, args...).Scan(&n)
	return n, err
}

// OpenTaskCounts counts the open tasks per holder (0 for unassigned) of
// the given teams, of every team when teams is empty.
func (t *tx) OpenTaskCounts(ctx context.Context, teams []string) (_ map[int64]int, err error) {
	defer wrap(&err, "OpenTaskCounts")
	q := `SELECT holder_id, COUNT(*) FROM tasks WHERE ` + openTask("")
	var args []any
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
