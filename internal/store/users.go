package store

import (
	"context"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

const userCols = `u.id, u.username, u.name, u.email, u.roles, u.password_hash, u.active, u.is_system, u.daily_digest, u.created_at`

func scanUser(s scanner) (casework.User, error) {
	var u casework.User
	err := s.Scan(&u.ID, &u.Username, &u.Name, &u.Email, rolesCol{&u.Roles}, &u.PasswordHash,
		&u.Active, &u.System, &u.DailyDigest, timeCol{&u.CreatedAt})
	return u, err
}

// CreateUser stores a new user and sets its ID (and CreatedAt when zero).
// A taken username fails with ErrDuplicate("username").
func (t *tx) CreateUser(ctx context.Context, u *casework.User) (err error) {
	defer wrap(&err, "CreateUser")
	stamp(&u.CreatedAt)
	return t.atomic(ctx, func() error {
		id, err := t.insert(ctx, `INSERT INTO users (username, name, email, roles, password_hash, active, is_system, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			u.Username, u.Name, u.Email, rolesArg(u.Roles), u.PasswordHash, u.Active, u.System, timeArg(u.CreatedAt))
		if err != nil {
			return err
		}
		u.ID = id
		return nil
	})
}

// UpdateUser writes every field but ID and CreatedAt. It fails with
// ErrNotFound or ErrDuplicate("username").
func (t *tx) UpdateUser(ctx context.Context, u casework.User) (err error) {
	defer wrap(&err, "UpdateUser(%d)", u.ID)
	return t.atomic(ctx, func() error {
		n, err := t.exec(ctx, `UPDATE users SET username = ?, name = ?, email = ?, roles = ?, password_hash = ?,
			active = ?, is_system = ? WHERE id = ?`,
			u.Username, u.Name, u.Email, rolesArg(u.Roles), u.PasswordHash, u.Active, u.System, u.ID)
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
