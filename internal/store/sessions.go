package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/alexedwards/scs/v2"
)

// SessionStore keeps scs sessions in the sessions table. It implements
// scs.Store and scs.CtxStore.
type SessionStore struct{ db *DB }

var _ scs.CtxStore = SessionStore{}

// SessionStore returns the store for scs.SessionManager.Store.
func (db *DB) SessionStore() SessionStore { return SessionStore{db: db} }

// FindCtx returns the data of an unexpired session; found is false (and
// err nil) when there is none. It reads on the read pool; CommitCtx and
// DeleteCtx write on the write pool. Each waits for a connection as long
// as a transaction does (casework.ErrOverloaded).
func (s SessionStore) FindCtx(ctx context.Context, token string) (_ []byte, _ bool, err error) {
	defer wrap(&err, "FindSession") // the token stays out: it is a login
	c, err := s.db.conn(ctx, s.db.read)
	if err != nil {
		return nil, false, err
	}
	defer c.Close()
	var data []byte
	err = s.db.observe(c).QueryRowContext(ctx, s.db.d.rebind(`SELECT data FROM sessions WHERE token = ? AND expiry > ?`),
		token, timeArg(time.Now())).Scan(&data)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, false, nil
	case err != nil:
		return nil, false, err
	}
	return data, true, nil
}

// CommitCtx adds the session or replaces its data and expiry.
func (s SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) (err error) {
	defer wrap(&err, "CommitSession")
	if b == nil {
		b = []byte{}
	}
	c, err := s.db.conn(ctx, s.db.sql)
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = s.db.observe(c).ExecContext(ctx, s.db.d.rebind(`INSERT INTO sessions (token, data, expiry) VALUES (?, ?, ?)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`),
		token, b, timeArg(expiry))
	return err
}

// DeleteCtx removes the session; a missing one is no error.
func (s SessionStore) DeleteCtx(ctx context.Context, token string) (err error) {
	defer wrap(&err, "DeleteSession")
	c, err := s.db.conn(ctx, s.db.sql)
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = s.db.observe(c).ExecContext(ctx, s.db.d.rebind(`DELETE FROM sessions WHERE token = ?`), token)
	return err
}

// Find is FindCtx without a context.
func (s SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit is CommitCtx without a context.
func (s SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// Delete is DeleteCtx without a context.
func (s SessionStore) Delete(token string) error {
	return s.DeleteCtx(context.Background(), token)
}

// DeleteExpiredSessions removes the sessions past their expiry; run it now
// and then (expired sessions are never found anyway).
func (db *DB) DeleteExpiredSessions(ctx context.Context) (err error) {
	defer wrap(&err, "DeleteExpiredSessions")
	_, err = db.sql.ExecContext(ctx, db.d.rebind(`DELETE FROM sessions WHERE expiry <= ?`), timeArg(time.Now()))
	return err
}
