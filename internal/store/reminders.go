package store

import (
	"context"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

var timeZero time.Time

const reminderCols = `id, kind, task_id, case_id, due_on, send_at, status, note, message_id, created_at, done_at`

func scanReminder(s scanner) (casework.Reminder, error) {
	var r casework.Reminder
	err := s.Scan(&r.ID, &r.Kind, idCol{&r.TaskID}, &r.CaseID, dateCol{&r.DueOn}, timeCol{&r.SendAt}, &r.Status,
		&r.Note, idCol{&r.MessageID}, timeCol{&r.CreatedAt}, timeCol{&r.DoneAt})
	return r, err
}

// AddReminders stores rs in one statement and sets the IDs of those it
// stored; it returns how many. A reminder of the same kind for the same
// task (or case) and due date as one stored is not stored (its ID stays
// 0). No job is written with them: the worker's sweep finds the planned
// reminders whose time has come (DueReminders), so a step that plans two
// reminders per new task writes two rows, not two River jobs.
func (t *tx) AddReminders(ctx context.Context, rs ...*casework.Reminder) (added int, err error) {
	defer wrap(&err, "AddReminders(%d)", len(rs))
	if t.readOnly {
		return 0, errReadOnly
	}
	if len(rs) == 0 {
		return 0, nil
	}
	ins := remindersInsert(rs)
	// The rows come back in no promised order: each is matched to its
	// reminder by the key that makes it unique.
	type key struct {
		kind       string
		task, kase int64
		due        any
	}
	got, err := queryAll(ctx, t, func(s scanner) (casework.Reminder, error) {
		var r casework.Reminder
		err := s.Scan(&r.ID, &r.Kind, idCol{&r.TaskID}, &r.CaseID, dateCol{&r.DueOn})
		return r, err
	}, ins.sql+` RETURNING id, kind, task_id, case_id, due_on`, ins.args...)
	if err != nil {
		return 0, t.mapErr(err)
	}
	ids := make(map[key]int64, len(got))
	for _, r := range got {
		ids[key{r.Kind, r.TaskID, r.CaseID, dateArg(r.DueOn)}] = r.ID
	}
	for _, r := range rs {
		r.ID = ids[key{r.Kind, r.TaskID, r.CaseID, dateArg(r.DueOn)}]
	}
	return len(got), nil
}

// remindersInsert is the INSERT of planned reminders that leaves alone
// one planned already (the same kind, task, case and due date), stamping
// CreatedAt when zero.
func remindersInsert(rs []*casework.Reminder) sqlStmt {
	args := make([]any, 0, 8*len(rs))
	for _, r := range rs {
		stamp(&r.CreatedAt)
		args = append(args, r.Kind, idArg(r.TaskID), r.CaseID, dateArg(r.DueOn), timeArg(r.SendAt), r.Status, r.Note,
			timeArg(r.CreatedAt))
	}
	return sqlStmt{"reminders", `INSERT INTO reminders (kind, task_id, case_id, due_on, send_at, status, note, created_at)
		VALUES ` + valueRows(len(rs), 8) + ` ON CONFLICT DO NOTHING`, args}
}

// DueReminders returns up to limit planned reminders whose send time is
// at or before until, in send-time order, after the reminder at (afterAt,
// afterID) when afterID is not 0: keyset pages on (send_at, id), so a
// sweep passes over a reminder that failed to fire instead of meeting it
// again. The partial index reminders_due holds the planned ones only.
func (t *tx) DueReminders(ctx context.Context, until time.Time, after casework.Reminder, limit int) (_ []casework.Reminder, err error) {
	defer wrap(&err, "DueReminders")
	// The status is a literal, as in the index's condition: with a
	// parameter there, SQLite would not use the partial index and would
	// compile the statement again on every run (see taskStatus).
	q := `SELECT ` + reminderCols + ` FROM reminders WHERE status = '` + casework.ReminderPlanned + `' AND send_at <= ?`
	args := []any{timeArg(until)}
	if after.ID != 0 {
		q += ` AND (send_at, id) > (?, ?)`
		args = append(args, timeArg(after.SendAt), after.ID)
	}
	q += ` ORDER BY send_at, id LIMIT ?`
	return queryAll(ctx, t, scanReminder, q, append(args, limit)...)
}

// ReminderByID returns the reminder or ErrNotFound.
func (t *tx) ReminderByID(ctx context.Context, id int64) (_ casework.Reminder, err error) {
	defer wrap(&err, "ReminderByID(%d)", id)
	return queryOne(ctx, t, scanReminder,
		`SELECT `+reminderCols+` FROM reminders WHERE id = ?`, id)
}

// UpdateReminder writes r's send time, status, note, message and done time.
func (t *tx) UpdateReminder(ctx context.Context, r casework.Reminder) (err error) {
	defer wrap(&err, "UpdateReminder(%d)", r.ID)
	n, err := t.exec(ctx, `UPDATE reminders SET send_at = ?, status = ?, note = ?, message_id = ?, done_at = ? WHERE id = ?`,
		timeArg(r.SendAt), r.Status, r.Note, idArg(r.MessageID), timeArg(r.DoneAt), r.ID)
	return mustTouch(n, err)
}

// ListReminders returns the reminders f selects by send time.
func (t *tx) ListReminders(ctx context.Context, f casework.ReminderFilter) (_ []casework.Reminder, err error) {
	defer wrap(&err, "ListReminders(task %d, case %d)", f.TaskID, f.CaseID)
	var w where
	w.and(`task_id = ?`, f.TaskID)
	w.and(`case_id = ?`, f.CaseID)
	w.and(`status = ?`, f.Status)
	return queryAll(ctx, t, scanReminder, `SELECT `+reminderCols+` FROM reminders WHERE 1 = 1`+w.sql+` ORDER BY send_at, id`, w.args...)
}

// SetDailyDigest records whether the user wants the daily digest.
func (t *tx) SetDailyDigest(ctx context.Context, userID int64, on bool) (err error) {
	defer wrap(&err, "SetDailyDigest(%d)", userID)
	n, err := t.exec(ctx, `UPDATE users SET daily_digest = ? WHERE id = ?`, on, userID)
	return mustTouch(n, err)
}
