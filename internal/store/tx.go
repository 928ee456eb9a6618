package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/riverqueue/river"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// scanner is what *sql.Row and *sql.Rows have in common.
type scanner interface{ Scan(dest ...any) error }

// tx implements casework.Tx inside one transaction of View or Update.
type tx struct {
	q          querier
	sqlTx      *sql.Tx                // nil outside Update
	jobs       *river.Client[*sql.Tx] // inserts jobs on sqlTx
	kinds      JobArgs                // builds those jobs; nil: none configured
	d          dialect
	readOnly   bool
	savepoints int
}

var _ casework.Tx = (*tx)(nil)

// errReadOnly refuses writes inside View on both engines alike, before
// either engine's own way of refusing (or not) gets a say.
var errReadOnly = errors.New("write inside a read-only View")

// exec runs a write and returns the number of rows it touched.
func (t *tx) exec(ctx context.Context, query string, args ...any) (int64, error) {
	if t.readOnly {
		return 0, errReadOnly
	}
	res, err := t.q.ExecContext(ctx, t.d.rebind(query), args...)
	if err != nil {
		return 0, t.mapErr(err)
	}
	return res.RowsAffected()
}

// insert runs an INSERT ... RETURNING id and returns the id.
func (t *tx) insert(ctx context.Context, query string, args ...any) (int64, error) {
	if t.readOnly {
		return 0, errReadOnly
	}
	var id int64
	if err := t.q.QueryRowContext(ctx, t.d.rebind(query), args...).Scan(&id); err != nil {
		return 0, t.mapErr(err)
	}
	return id, nil
}

func (t *tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return t.q.QueryRowContext(ctx, t.d.rebind(query), args...)
}

// queryAll runs a query and scans every row with scan.
func queryAll[T any](ctx context.Context, t *tx, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := t.q.QueryContext(ctx, t.d.rebind(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// queryOne runs a query for one row; no row is ErrNotFound.
func queryOne[T any](ctx context.Context, t *tx, scan func(scanner) (T, error), query string, args ...any) (T, error) {
	v, err := scan(t.queryRow(ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		var zero T
		return zero, casework.ErrNotFound
	}
	return v, err
}

// atomic runs fn inside a savepoint: when fn fails, its writes are undone
// and the transaction stays usable on both engines (a failed statement
// aborts a whole transaction on some engines otherwise), so a caller may handle
// ErrDuplicate and go on.
func (t *tx) atomic(ctx context.Context, fn func() error) error {
	if t.readOnly {
		return errReadOnly
	}
	t.savepoints++
	defer func() { t.savepoints-- }()
	name := "sp" + strconv.Itoa(t.savepoints)
	if _, err := t.q.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	if err := fn(); err != nil {
		if _, rerr := t.q.ExecContext(ctx, "ROLLBACK TO SAVEPOINT "+name); rerr != nil {
			return errors.Join(err, fmt.Errorf("rollback to savepoint: %w", rerr))
		}
		if _, rerr := t.q.ExecContext(ctx, "RELEASE SAVEPOINT "+name); rerr != nil {
			return errors.Join(err, fmt.Errorf("release savepoint: %w", rerr))
		}
		return err
	}
	if _, err := t.q.ExecContext(ctx, "RELEASE SAVEPOINT "+name); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
	}
	return nil
}

// mapErr turns a unique violation into casework.ErrDuplicate.
func (t *tx) mapErr(err error) error { return mapUnique(t.d, err) }

// mustTouch turns an UPDATE of one row by id that touched nothing into
// ErrNotFound.
func mustTouch(n int64, err error) error {
	if err != nil {
		return err
	}
	if n == 0 {
		return casework.ErrNotFound
	}
	return nil
}

// versioned explains a versioned UPDATE of table that touched n rows: none
// means the row is gone (ErrNotFound) or was changed since it was read
// (ErrStale). table is a constant of this package, never input.
func (t *tx) versioned(ctx context.Context, n int64, err error, table string, id int64) error {
	if err != nil || n > 0 {
		return err
	}
	var one int
	switch err := t.queryRow(ctx, "SELECT 1 FROM "+table+" WHERE id = ?", id).Scan(&one); {
	case errors.Is(err, sql.ErrNoRows):
		return casework.ErrNotFound
	case err != nil:
		return err
	}
	return casework.ErrStale
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// anys converts strings to query arguments.
func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// limit returns n, or def when n is not positive.
func limit(n, def int) int {
	if n <= 0 {
		return def
	}
	return n
}

// isNoRows reports whether err is sql.ErrNoRows (an INSERT ... ON CONFLICT
// DO NOTHING RETURNING that inserted nothing).
func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// where collects the optional conditions of a list query.
type where struct {
	sql  string
	args []any
}

// and adds "AND cond" with its argument when v is set (not 0 or "").
func (w *where) and(cond string, v any) {
	if v == int64(0) || v == "" {
		return
	}
	w.sql += " AND " + cond
	w.args = append(w.args, v)
}
