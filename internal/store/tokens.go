package store

import (
	"context"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

const tokenCols = `k.id, k.user_id, k.name, k.prefix, k.hash, k.created_by, k.created_at, k.revoked_at,
	k.last_used_at, COALESCE(u.name, '')`

const tokenFrom = ` FROM api_tokens k LEFT JOIN users u ON u.id = k.user_id`

func scanToken(s scanner) (casework.APIToken, error) {
	var k casework.APIToken
	err := s.Scan(&k.ID, &k.UserID, &k.Name, &k.Prefix, &k.Hash, idCol{&k.CreatedBy}, timeCol{&k.CreatedAt},
		timeCol{&k.RevokedAt}, timeCol{&k.LastUsedAt}, &k.UserName)
	return k, err
}

// CreateToken stores a new API token and sets its ID (and CreatedAt when
// zero). A hash already stored fails with ErrDuplicate("token").
func (t *tx) CreateToken(ctx context.Context, k *casework.APIToken) (err error) {
	defer wrap(&err, "CreateToken(user %d)", k.UserID)
	stamp(&k.CreatedAt)
	return t.atomic(ctx, func() error {
		id, err := t.insert(ctx, `INSERT INTO api_tokens (user_id, name, prefix, hash, created_by, created_at, revoked_at, last_used_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			k.UserID, k.Name, k.Prefix, k.Hash, idArg(k.CreatedBy), timeArg(k.CreatedAt), timeArg(k.RevokedAt), timeArg(k.LastUsedAt))
		if err != nil {
			return err
		}
		k.ID = id
		return nil
	})
}

// TokenByHash returns the token with that hash, revoked or not (the caller
// checks RevokedAt), or ErrNotFound.
func (t *tx) TokenByHash(ctx context.Context, hash string) (_ casework.APIToken, err error) {
	defer wrap(&err, "TokenByHash") // the hash stays out: it opens the API
	return queryOne(ctx, t, scanToken, `SELECT `+tokenCols+tokenFrom+` WHERE k.hash = ?`, hash)
}

// ListTokens returns every token, newest first, with its user's name.
func (t *tx) ListTokens(ctx context.Context) (_ []casework.APIToken, err error) {
	defer wrap(&err, "ListTokens")
	return queryAll(ctx, t, scanToken, `SELECT `+tokenCols+tokenFrom+` ORDER BY k.created_at DESC, k.id DESC`)
}

// RevokeToken marks the token revoked at at; a token revoked before keeps
// its first revocation time. It fails with ErrNotFound.
func (t *tx) RevokeToken(ctx context.Context, id int64, at time.Time) (err error) {
	defer wrap(&err, "RevokeToken(%d)", id)
	n, err := t.exec(ctx, `UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?`, timeArg(at), id)
	return mustTouch(n, err)
}

// TouchToken records the token's last use. It fails with ErrNotFound.
func (t *tx) TouchToken(ctx context.Context, id int64, at time.Time) (err error) {
	defer wrap(&err, "TouchToken(%d)", id)
	n, err := t.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, timeArg(at), id)
	return mustTouch(n, err)
}
