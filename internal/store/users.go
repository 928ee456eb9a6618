package store

import (
	"context"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

const userCols = `u.id, u.username, u.name, u.email, u.roles, u.password_hash, u.active, u.is_system, u.daily_digest, u.created_at,
	u.sso_subject, u.totp_secret`

func scanUser(s scanner) (casework.User, error) {
	var u casework.User
	err := s.Scan(&u.ID, &u.Username, &u.Name, &u.Email, rolesCol{&u.Roles}, &u.PasswordHash,
		&u.Active, &u.System, &u.DailyDigest, timeCol{&u.CreatedAt}, &u.SSOSubject, &u.TOTPSecret)
	return u, err
}

// CreateUser stores a new user and sets its ID (and CreatedAt when zero).
// A taken username fails with ErrDuplicate("username").
func (t *tx) CreateUser(ctx context.Context, u *casework.User) (err error) {
	defer wrap(&err, "CreateUser")
	stamp(&u.CreatedAt)
	return t.atomic(ctx, func() error {
		id, err := t.insert(ctx, `INSERT INTO users (username, name, email, roles, password_hash, active, is_system, created_at, sso_subject, totp_secret)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			u.Username, u.Name, u.Email, rolesArg(u.Roles), u.PasswordHash, u.Active, u.System, timeArg(u.CreatedAt), u.SSOSubject, u.TOTPSecret)
		if err != nil {
			return err
		}
		u.ID = id
		return nil
	})
}

// UpdateUser writes every field but ID, CreatedAt and the second factor
// (SetTOTP). It fails with ErrNotFound or ErrDuplicate("username").
func (t *tx) UpdateUser(ctx context.Context, u casework.User) (err error) {
	defer wrap(&err, "UpdateUser(%d)", u.ID)
	return t.atomic(ctx, func() error {
		n, err := t.exec(ctx, `UPDATE users SET username = ?, name = ?, email = ?, roles = ?, password_hash = ?,
			active = ?, is_system = ?, sso_subject = ? WHERE id = ?`,
			u.Username, u.Name, u.Email, rolesArg(u.Roles), u.PasswordHash, u.Active, u.System, u.SSOSubject, u.ID)
		return mustTouch(n, err)
	})
}

// UserByID returns the user or ErrNotFound.
func (t *tx) UserByID(ctx context.Context, id int64) (_ casework.User, err error) {
	defer wrap(&err, "UserByID(%d)", id)
	return queryOne(ctx, t, scanUser,
		`SELECT `+userCols+` FROM users u WHERE u.id = ?`, id)
}

// UserByUsername returns the user or ErrNotFound.
func (t *tx) UserByUsername(ctx context.Context, username string) (_ casework.User, err error) {
	defer wrap(&err, "UserByUsername") // a username often is a name: it stays out
	return queryOne(ctx, t, scanUser,
		`SELECT `+userCols+` FROM users u WHERE u.username = ?`, username)
}

// ListUsers returns every user by name.
func (t *tx) ListUsers(ctx context.Context) (_ []casework.User, err error) {
	defer wrap(&err, "ListUsers")
	return queryAll(ctx, t, scanUser, `SELECT `+userCols+` FROM users u ORDER BY LOWER(u.name), u.id`)
}

// UserBySSOSubject returns the user signed in by OpenID Connect with this
// subject, or ErrNotFound.
func (t *tx) UserBySSOSubject(ctx context.Context, subject string) (_ casework.User, err error) {
	defer wrap(&err, "UserBySSOSubject")
	if subject == "" {
		return casework.User{}, casework.ErrNotFound
	}
	return queryOne(ctx, t, scanUser, `SELECT `+userCols+` FROM users u WHERE u.sso_subject = ?`, subject)
}

// SetTOTP stores the user's TOTP secret ("" turns TOTP off) and replaces
// their recovery codes by codeHashes. The last used time step starts over.
func (t *tx) SetTOTP(ctx context.Context, userID int64, secret string, codeHashes []string) (err error) {
	defer wrap(&err, "SetTOTP(%d)", userID)
	return t.atomic(ctx, func() error {
		n, err := t.exec(ctx, `UPDATE users SET totp_secret = ?, totp_last_step = 0 WHERE id = ?`, secret, userID)
		if err := mustTouch(n, err); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, userID); err != nil {
			return err
		}
		for _, h := range codeHashes {
			if _, err := t.exec(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)`, userID, h); err != nil {
				return err
			}
		}
		return nil
	})
}

// UseTOTPStep records that the user's code of time step step was used; it
// reports false when that step or a later one was used already (a replay).
func (t *tx) UseTOTPStep(ctx context.Context, userID, step int64) (_ bool, err error) {
	defer wrap(&err, "UseTOTPStep(%d)", userID)
	n, err := t.exec(ctx, `UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?`, step, userID, step)
	return n == 1, err
}

// UseRecoveryCode marks the user's unused recovery code with this hash as
// used; it reports false when there is none.
func (t *tx) UseRecoveryCode(ctx context.Context, userID int64, codeHash string, at time.Time) (_ bool, err error) {
	defer wrap(&err, "UseRecoveryCode(%d)", userID)
	n, err := t.exec(ctx, `UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`,
		timeArg(at), userID, codeHash)
	return n == 1, err
}

// RecoveryCodesLeft counts the user's unused recovery codes.
func (t *tx) RecoveryCodesLeft(ctx context.Context, userID int64) (_ int, err error) {
	defer wrap(&err, "RecoveryCodesLeft(%d)", userID)
	return queryOne(ctx, t, func(s scanner) (int, error) {
		var n int
		return n, s.Scan(&n)
	}, `SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL`, userID)
}
