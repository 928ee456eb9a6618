package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"reflect"
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
	db         *DB
	conn       *sql.Conn              // the connection it pipelines on (pipeline.go); nil: none
	queued     []stmt                 // writes to send with the next statement (later)
	begun      bool                   // a pipeline was sent, with the BEGIN if it waited
	sqlTx      *sql.Tx                // nil outside Update
	jobs       *river.Client[*sql.Tx] // inserts jobs on sqlTx
	kinds      JobArgs                // builds those jobs; nil: none configured
	d          dialect
	readOnly   bool
	savepoints int
	pending    []river.InsertManyParams // jobs to insert before commit (flushJobs)
	heads      map[string]*chainHead    // the audit chains' heads it holds (AppendAudit, flushAudit)
}

var _ casework.Tx = (*tx)(nil)

// errReadOnly refuses writes inside View on both engines alike, before
// either engine's own way of refusing (or not) gets a say.
var errReadOnly = errors.New("write inside a read-only View")

// exec runs a write and returns the number of rows it touched.
func (t *tx) exec(ctx context.Context, query string, args ...any) (int64, error) {
	var n int64
	err := t.run(ctx, stmt{query: query, args: args, touched: func(k int64) error { n = k; return nil }})
	return n, err
}

// insert runs an INSERT ... RETURNING id and returns the id.
func (t *tx) insert(ctx context.Context, query string, args ...any) (int64, error) {
	if t.readOnly {
		return 0, errReadOnly
	}
	var id int64
	err := t.queryRow(ctx, query, args...).Scan(&id)
	return id, t.mapErr(err)
}

// queryRow returns the row of a query for one row. The query runs when
// the row is scanned, as run runs it; no row is sql.ErrNoRows, and rows
// after the first are left unread.
func (t *tx) queryRow(ctx context.Context, query string, args ...any) row {
	return row{ctx: ctx, t: t, query: query, args: args}
}

// row is the result of queryRow.
type row struct {
	ctx   context.Context
	t     *tx
	query string
	args  []any
}

func (r row) Scan(dest ...any) error {
	n := 0
	err := r.t.run(r.ctx, stmt{query: r.query, args: r.args, row: func(s scanner) error {
		if n++; n > 1 {
			return nil
		}
		return s.Scan(dest...)
	}})
	if err == nil && n == 0 {
		err = sql.ErrNoRows
	}
	return err
}

// queryAll runs a query and scans every row with scan.
func queryAll[T any](ctx context.Context, t *tx, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	var out []T
	err := t.run(ctx, readAll(&out, scan, query, args...))
	return out, err
}

// readAll is the statement of queryAll: each row scanned and appended to
// out.
func readAll[T any](out *[]T, scan func(scanner) (T, error), query string, args ...any) stmt {
	return stmt{query: query, args: args, row: func(s scanner) error {
		v, err := scan(s)
		if err == nil {
			*out = append(*out, v)
		}
		return err
	}}
}

// queryOne runs a query for one row; no row is ErrNotFound.
func queryOne[T any](ctx context.Context, t *tx, scan func(scanner) (T, error), query string, args ...any) (T, error) {
	var out []T
	if err := t.run(ctx, readAll(&out, scan, query, args...)); err != nil {
		var zero T
		return zero, err
	}
	if len(out) == 0 {
		var zero T
		return zero, casework.ErrNotFound
	}
	return out[0], nil
}

// atomic runs fn inside a savepoint: when fn fails, its writes are undone
// and the transaction stays usable on both engines (a failed statement
// aborts a whole transaction on some engines otherwise), so a caller may handle
// ErrDuplicate and go on.
func (t *tx) atomic(ctx context.Context, fn func() error) error {
	if t.readOnly {
		return errReadOnly
	}
	// Writes queued before the savepoint are not its to undo; those fn
	// queues are sent before it is released, so their errors are fn's.
	if err := t.sendQueued(ctx); err != nil {
		return err
	}
	t.savepoints++
	defer func() { t.savepoints-- }()
	name := "sp" + strconv.Itoa(t.savepoints)
	if _, err := t.q.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	jobs, heads := len(t.pending), t.keepHeads()
	err := fn()
	if err == nil {
		err = t.sendQueued(ctx)
	}
	if err != nil {
		t.queued = nil               // undone with the savepoint, whether sent or not
		t.pending = t.pending[:jobs] // the rows they would carry out are undone
		t.restoreHeads(heads)
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

// valueRows is the VALUES list of n rows of width placeholders each:
// "(?, ?), (?, ?)".
func valueRows(n, width int) string {
	row := "(" + placeholders(width) + ")"
	return strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
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

// Prepared statements, kept per connection.
//
// The store's queries are constant texts run again and again; parsing one
// costs more than running it. stmtCacheConnector wraps a driver's
// connector so that each connection keeps the statements it has run,
// prepared, by their text (up to stmtCacheSize; beyond that a statement is
// parsed each time), and runs them again with new arguments. The query
// methods do not see it: database/sql calls the connection's ExecContext
// and QueryContext, which look the statement up. A statement whose rows
// are still being read is not run again until they are closed: a second
// query of the same text meanwhile is parsed afresh.

// stmtCacheSize bounds the statements kept per connection; the store has
// a few hundred distinct texts (a list's optional filters make several of
// one query).
const stmtCacheSize = 512

// stmtCacheConnector is a driver.Connector whose connections keep their
// prepared statements. The wrapped driver's connections must implement
// the context interfaces of database/sql/driver (ExecerContext,
// QueryerContext, ConnPrepareContext, ConnBeginTx).
type stmtCacheConnector struct{ driver.Connector }

func (c stmtCacheConnector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &stmtCacheConn{c: dc, stmts: map[string]*cachedStmt{}}, nil
}

// stmtCacheConn is one connection with its statements. database/sql uses
// a connection from one goroutine at a time, so it needs no lock.
type stmtCacheConn struct {
	c     driver.Conn
	stmts map[string]*cachedStmt
}

type cachedStmt struct {
	s    driver.Stmt
	busy bool // its rows are being read
}

var (
	_ driver.ExecerContext      = (*stmtCacheConn)(nil)
	_ driver.QueryerContext     = (*stmtCacheConn)(nil)
	_ driver.ConnPrepareContext = (*stmtCacheConn)(nil)
	_ driver.ConnBeginTx        = (*stmtCacheConn)(nil)
	_ driver.Pinger             = (*stmtCacheConn)(nil)
	_ driver.SessionResetter    = (*stmtCacheConn)(nil)
	_ driver.Validator          = (*stmtCacheConn)(nil)
)

// stmt returns the connection's statement for query, prepared now when it
// is new and there is room; nil when it is busy or there is no room (the
// caller runs the query unprepared).
func (c *stmtCacheConn) stmt(ctx context.Context, query string) (*cachedStmt, error) {
	if cs, ok := c.stmts[query]; ok {
		if cs.busy {
			return nil, nil
		}
		return cs, nil
	}
	if len(c.stmts) >= stmtCacheSize {
		return nil, nil
	}
	s, err := c.c.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	_, execs := s.(driver.StmtExecContext)
	_, queries := s.(driver.StmtQueryContext)
	if !execs || !queries {
		s.Close()
		return nil, nil
	}
	cs := &cachedStmt{s: s}
	c.stmts[query] = cs
	return cs, nil
}

func (c *stmtCacheConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	cs, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.c.(driver.ExecerContext).ExecContext(ctx, query, args)
	}
	return cs.s.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (c *stmtCacheConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	cs, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.c.(driver.QueryerContext).QueryContext(ctx, query, args)
	}
	rows, err := cs.s.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	cs.busy = true
	return &cachedRows{Rows: rows, stmt: cs}, nil
}

func (c *stmtCacheConn) Prepare(query string) (driver.Stmt, error) { return c.c.Prepare(query) }
func (c *stmtCacheConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.c.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}

// Begin is required by driver.Conn; database/sql calls BeginTx.
func (c *stmtCacheConn) Begin() (driver.Tx, error) {
	//lint:ignore SA1019 driver.Conn requires Begin; the wrapped driver has it
	return c.c.Begin()
}
func (c *stmtCacheConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.c.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c *stmtCacheConn) Ping(ctx context.Context) error {
	if p, ok := c.c.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *stmtCacheConn) ResetSession(ctx context.Context) error {
	if r, ok := c.c.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *stmtCacheConn) IsValid() bool {
	if v, ok := c.c.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

// Close closes the statements, then the connection.
func (c *stmtCacheConn) Close() error {
	var errs []error
	for q, cs := range c.stmts {
		errs = append(errs, cs.s.Close())
		delete(c.stmts, q)
	}
	return errors.Join(append(errs, c.c.Close())...)
}

// cachedRows are the rows of a kept statement: closing them frees the
// statement for its next run. The optional column type methods pass
// through.
type cachedRows struct {
	driver.Rows
	stmt *cachedStmt
}

func (r *cachedRows) Close() error {
	err := r.Rows.Close()
	if r.stmt != nil {
		r.stmt.busy, r.stmt = false, nil
	}
	return err
}

func (r *cachedRows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *cachedRows) ColumnTypeLength(i int) (int64, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeLength); ok {
		return t.ColumnTypeLength(i)
	}
	return 0, false
}

func (r *cachedRows) ColumnTypeNullable(i int) (bool, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeNullable); ok {
		return t.ColumnTypeNullable(i)
	}
	return false, false
}

func (r *cachedRows) ColumnTypePrecisionScale(i int) (int64, int64, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypePrecisionScale); ok {
		return t.ColumnTypePrecisionScale(i)
	}
	return 0, 0, false
}

func (r *cachedRows) ColumnTypeScanType(i int) reflect.Type {
	if t, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return t.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}

// openTask is the condition that a task (of the alias given, "" for none)
// is open, written as a literal rather than a parameter. The worklist's
// indexes are partial (WHERE status = 'open'), and the planner may use one
// only when it sees the value: given a parameter, SQLite compiles the
// statement again on every run for the value bound (0.1–0.3 ms for the
// worklist's statement, a quarter of a step's time) and PostgreSQL's
// generic plan cannot use the index at all. TestStatementsCompiledOnce
// holds SQLite to it.
func openTask(alias string) string {
	cond, _ := taskStatus(alias, casework.TaskOpen)
	return cond
}

// taskStatus is the condition that a task has the status given: a literal
// for the statuses the code knows (see openTask), a parameter for any other.
func taskStatus(alias, status string) (string, []any) {
	col := "status"
	if alias != "" {
		col = alias + ".status"
	}
	switch status {
	case casework.TaskOpen, casework.TaskDone, casework.TaskCancelled:
		return col + ` = '` + status + `'`, nil
	}
	return col + ` = ?`, []any{status}
}
