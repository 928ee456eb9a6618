package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
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

// SessionTouchInterval is how far a session's expiry may lag: scs
// rewrites a session on every request to move its idle timeout, and a
// rewrite that would change nothing but the expiry, by less than this, is
// skipped. Every page would otherwise take the one writer of SQLite.
const SessionTouchInterval = time.Minute

// sessionTouches remembers, per session this process wrote, the data and
// the expiry it wrote last.
type sessionTouches struct {
	mu sync.Mutex
	m  map[string]sessionTouch
}

type sessionTouch struct {
	data   [sha256.Size]byte
	expiry time.Time
}

// fresh reports whether the session was written by this process with the
// same data and an expiry less than SessionTouchInterval before expiry.
// The data is compared decoded (scs's gob encodes its map in any order).
func (t *sessionTouches) fresh(token string, sum [sha256.Size]byte, expiry time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	last, ok := t.m[token]
	return ok && last.data == sum && expiry.Sub(last.expiry) < SessionTouchInterval && !expiry.Before(last.expiry.Add(-SessionTouchInterval))
}

// wrote records a write; nil data forgets the session. Expired entries
// are dropped when the map grows.
func (t *sessionTouches) wrote(token string, sum *[sha256.Size]byte, expiry time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = map[string]sessionTouch{}
	}
	if sum == nil {
		delete(t.m, token)
		return
	}
	if len(t.m) >= 10000 {
		now := time.Now()
		for k, v := range t.m {
			if v.expiry.Before(now) {
				delete(t.m, k)
			}
		}
	}
	t.m[token] = sessionTouch{data: *sum, expiry: expiry}
}

// sessionSum is a digest of a session's data that does not depend on the
// order its encoding happened to write the values in.
func sessionSum(b []byte) ([sha256.Size]byte, bool) {
	deadline, values, err := scs.GobCodec{}.Decode(b)
	if err != nil {
		return [sha256.Size]byte{}, false
	}
	keys := slices.Sorted(maps.Keys(values))
	h := sha256.New()
	fmt.Fprintf(h, "%d\x00", deadline.UnixNano())
	for _, k := range keys {
		fmt.Fprintf(h, "%q=%#v\x00", k, values[k])
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum, true
}

// CommitCtx adds the session or replaces its data and expiry. A rewrite
// that would only move the expiry by less than SessionTouchInterval is
// skipped (see SessionTouchInterval).
func (s SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) (err error) {
	defer wrap(&err, "CommitSession")
	if b == nil {
		b = []byte{}
	}
	sum, ok := sessionSum(b)
	if ok && s.db.touched.fresh(token, sum, expiry) {
		return nil
	}
	defer func() {
		if err == nil && ok {
			s.db.touched.wrote(token, &sum, expiry)
		}
	}()
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
	s.db.touched.wrote(token, nil, time.Time{})
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
