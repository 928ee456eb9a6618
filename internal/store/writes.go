package store

import (
	"context"
	"strconv"
	"strings"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// sqlStmt is a statement with its arguments, ? placeholders; table is
// the table of an INSERT.
type sqlStmt struct {
	table, sql string
	args       []any
}

// writeRows is how many rows of one table go in one INSERT: 9 parameters
// a row at most, far below either engine's limit.
const writeRows = 200

// combinedArgs bounds the arguments of one combined statement
// (PostgreSQL takes 65,535).
const combinedArgs = 30000

// AppendWrites adds rows a step writes and nothing in it reads back before
// its end: its step records, the reminders of its new tasks and its
// history lines, each kind in the order given (IDs ascend in that order
// and are not set; At and CreatedAt are stamped when zero). A reminder
// planned already is left alone, as in AddReminders. On PostgreSQL they go
// in one statement, the INSERTs but the last in WITH clauses: one round
// trip where there were three. SQLite runs an INSERT per table.
func (t *tx) AppendWrites(ctx context.Context, w casework.Writes) (err error) {
	defer wrap(&err, "AppendWrites(%d records, %d reminders, %d events)", len(w.Records), len(w.Reminders), len(w.Events))
	groups, err := t.writeGroups(w)
	if err != nil {
		return err
	}
	return t.execGroups(ctx, groups)
}

// TasksAfterWrites is AppendWrites and then TasksByClient: the end of a
// step, which writes its rows and reads the client's tasks as it left
// them. On PostgreSQL that is one statement, the INSERTs in WITH clauses
// before the read (a WITH clause's rows are not seen by the statement's
// own read, but the read is of tasks, which w does not touch); on SQLite
// one after the other.
func (t *tx) TasksAfterWrites(ctx context.Context, w casework.Writes, clientID int64) (_ []casework.Task, err error) {
	defer wrap(&err, "TasksAfterWrites(client %d)", clientID)
	groups, err := t.writeGroups(w)
	if err != nil {
		return nil, err
	}
	separate := len(groups)
	if t.d.combinedInserts() && separate > 0 {
		separate-- // the last group goes with the read
	}
	if err := t.execGroups(ctx, groups[:separate]); err != nil {
		return nil, err
	}
	read := tasksByClient(clientID)
	if separate == len(groups) {
		return queryAll(ctx, t, scanTask, read.sql, read.args...)
	}
	q, args := combineInserts(groups[separate], &read)
	tasks, err := queryAll(ctx, t, scanTask, q, args...)
	return tasks, t.mapErr(err)
}

// execGroups runs each group of INSERTs as one statement.
func (t *tx) execGroups(ctx context.Context, groups [][]sqlStmt) error {
	for _, g := range groups {
		q, args := combineInserts(g, nil)
		if _, err := t.exec(ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}

// writeGroups are the INSERTs of w, grouped into the statements they go
// in: on PostgreSQL as many as one statement takes, on SQLite one each.
func (t *tx) writeGroups(w casework.Writes) ([][]sqlStmt, error) {
	if t.readOnly {
		return nil, errReadOnly
	}
	var stmts []sqlStmt
	for rs := range chunks(w.Records) {
		ins, err := stepRecordsInsert(rs)
		if err != nil {
			return nil, err
		}
		stmts = append(stmts, ins)
	}
	for rs := range chunks(w.Reminders) {
		stmts = append(stmts, remindersInsert(rs))
	}
	for es := range chunks(w.Events) {
		stmts = append(stmts, eventsInsert(es))
	}
	var groups [][]sqlStmt
	for len(stmts) > 0 {
		n := 1
		if t.d.combinedInserts() {
			// The WITH clauses run in no set order: one INSERT per table,
			// whose rows get their IDs in the order of its VALUES.
			for args := len(stmts[0].args); n < len(stmts) && stmts[n].table != stmts[n-1].table &&
				args+len(stmts[n].args) <= combinedArgs; n++ {
				args += len(stmts[n].args)
			}
		}
		groups = append(groups, stmts[:n])
		stmts = stmts[n:]
	}
	return groups, nil
}

// combineInserts is one statement of the INSERTs in WITH clauses before
// final, with their arguments in order; without final, the last INSERT is
// the statement's own (one INSERT alone is itself).
func combineInserts(stmts []sqlStmt, final *sqlStmt) (string, []any) {
	if final == nil {
		final, stmts = &stmts[len(stmts)-1], stmts[:len(stmts)-1]
	}
	if len(stmts) == 0 {
		return final.sql, final.args
	}
	var b strings.Builder
	var args []any
	b.WriteString("WITH ")
	for i, s := range stmts {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("w" + strconv.Itoa(i) + " AS (" + s.sql + ")")
		args = append(args, s.args...)
	}
	b.WriteString(" " + final.sql)
	return b.String(), append(args, final.args...)
}

// chunks yields xs in runs of at most writeRows.
func chunks[T any](xs []T) func(yield func([]T) bool) {
	return func(yield func([]T) bool) {
		for len(xs) > 0 {
			n := min(len(xs), writeRows)
			if !yield(xs[:n]) {
				return
			}
			xs = xs[n:]
		}
	}
}
