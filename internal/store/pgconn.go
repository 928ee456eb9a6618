package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// PostgreSQL's connections are pgx's database/sql connections with one
// change: a transaction's BEGIN is not sent on its own. database/sql's
// BeginTx returns at once; the BEGIN goes to the server with the
// transaction's first statements when the store pipelines them
// (pipeline.go), or just before the first statement that goes alone. A
// transaction that sends nothing sends no BEGIN and no COMMIT either. So
// a transaction costs one round trip less, and nothing else changes:
// every statement still runs inside it.

// pgConnector makes pgConns.
type pgConnector struct{ driver.Connector }

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	sc, ok := dc.(*stdlib.Conn)
	if !ok {
		dc.Close()
		return nil, fmt.Errorf("store: pgx connector made a %T", dc)
	}
	return &pgConn{Conn: sc}, nil
}

// openPostgres opens a database/sql pool of pgConns on cfg.
func openPostgres(cfg pgx.ConnConfig) *sql.DB {
	return sql.OpenDB(pgConnector{stdlib.GetConnector(cfg)})
}

// pgConn is a pgx database/sql connection whose BEGIN waits (see above).
type pgConn struct {
	*stdlib.Conn
	begin *pgx.TxOptions  // a transaction begun but not sent yet
	ctx   context.Context // its BeginTx's, for commit and rollback (as stdlib)
	tx    pgx.Tx          // the transaction once sent
}

var _ interface {
	driver.ConnBeginTx
	driver.ExecerContext
	driver.QueryerContext
	driver.ConnPrepareContext
} = (*pgConn)(nil)

func (c *pgConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if c.Conn.Conn().IsClosed() {
		return nil, driver.ErrBadConn
	}
	if c.begin != nil || c.tx != nil {
		return nil, errors.New("store: a transaction is open on this connection")
	}
	o, err := pgxTxOptions(opts)
	if err != nil {
		return nil, err
	}
	c.begin, c.ctx = &o, ctx
	return pgTx{c}, nil
}

// Begin is database/sql's oldest way in; BeginTx is the one it uses.
func (c *pgConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// sendBegin sends the waiting BEGIN on its own, before a statement that
// goes alone.
func (c *pgConn) sendBegin(ctx context.Context) error {
	if c.begin == nil {
		return nil
	}
	o := *c.begin
	c.begin = nil
	countTrip(ctx)
	tx, err := c.Conn.Conn().BeginTx(ctx, o)
	if err != nil {
		return err
	}
	c.tx = tx
	return nil
}

// queueBegin puts the waiting BEGIN first in b; sent reports whether it
// did, and then began takes the transaction from b's results.
func (c *pgConn) queueBegin(b *pgx.Batch) (sent bool) {
	if c.begin == nil {
		return false
	}
	b.BeginTx(*c.begin)
	c.begin = nil
	return true
}

func (c *pgConn) began(br pgx.BatchResults) { c.tx = br.Tx() }

func (c *pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if err := c.sendBegin(ctx); err != nil {
		return nil, err
	}
	countTrip(ctx)
	return c.Conn.ExecContext(ctx, query, args)
}

func (c *pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if err := c.sendBegin(ctx); err != nil {
		return nil, err
	}
	countTrip(ctx)
	return c.Conn.QueryContext(ctx, query, args)
}

func (c *pgConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if err := c.sendBegin(ctx); err != nil {
		return nil, err
	}
	countTrip(ctx)
	return c.Conn.PrepareContext(ctx, query)
}

func (c *pgConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// pgTx ends the connection's transaction: nothing to send when its BEGIN
// never went.
type pgTx struct{ c *pgConn }

func (t pgTx) Commit() error {
	return t.end(func(tx pgx.Tx) error { return tx.Commit(t.c.ctx) })
}

func (t pgTx) Rollback() error {
	return t.end(func(tx pgx.Tx) error { return tx.Rollback(t.c.ctx) })
}

func (t pgTx) end(fn func(pgx.Tx) error) error {
	c := t.c
	tx := c.tx
	c.begin, c.tx = nil, nil
	if tx == nil {
		return nil
	}
	countTrip(c.ctx)
	return fn(tx)
}

// pgxTxOptions is pgx's form of database/sql's transaction options, as
// pgx's own database/sql driver maps them.
func pgxTxOptions(opts driver.TxOptions) (pgx.TxOptions, error) {
	var o pgx.TxOptions
	switch sql.IsolationLevel(opts.Isolation) {
	case sql.LevelDefault:
	case sql.LevelReadUncommitted:
		o.IsoLevel = pgx.ReadUncommitted
	case sql.LevelReadCommitted:
		o.IsoLevel = pgx.ReadCommitted
	case sql.LevelRepeatableRead, sql.LevelSnapshot:
		o.IsoLevel = pgx.RepeatableRead
	case sql.LevelSerializable:
		o.IsoLevel = pgx.Serializable
	default:
		return o, fmt.Errorf("unsupported isolation: %v", opts.Isolation)
	}
	if opts.ReadOnly {
		o.AccessMode = pgx.ReadOnly
	}
	return o, nil
}
