package store

import (
	"context"
	"strconv"
	"strings"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// insertStmt is an INSERT into table with its arguments, ? placeholders.
type insertStmt struct {
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
	var stmts []insertStmt
	for rs := range chunks(w.Records) {
		ins, err := stepRecordsInsert(rs)
		if err != nil {
			return err
		}
		stmts = append(stmts, ins)
	}
	for rs := range chunks(w.Reminders) {
		stmts = append(stmts, remindersInsert(rs))
	}
	for es := range chunks(w.Events) {
		stmts = append(stmts, eventsInsert(es))
	}
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
		q, args := combineInserts(stmts[:n])
		if _, err := t.exec(ctx, q, args...); err != nil {
			return err
		}
		stmts = stmts[n:]
	}
	return nil
}

// combineInserts is one statement of the INSERTs, all but the last in WITH
// clauses, with their arguments in order; one INSERT is itself.
func combineInserts(stmts []insertStmt) (string, []any) {
	last := stmts[len(stmts)-1]
	if len(stmts) == 1 {
		return last.sql, last.args
	}
	var b strings.Builder
	var args []any
	b.WriteString("WITH ")
	for i, s := range stmts[:len(stmts)-1] {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("w" + strconv.Itoa(i) + " AS (" + s.sql + ")")
		args = append(args, s.args...)
	}
	b.WriteString(" " + last.sql)
	return b.String(), append(args, last.args...)
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
