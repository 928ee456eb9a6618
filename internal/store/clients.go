package store

import (
	"context"
	"strings"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// clientColumns are the columns scanClient reads, in its order.
var clientColumns = []string{"id", "bsn", "given_name", "family_name", "birth_date", "email", "phone", "address",
	"preferred_channel", "contact_person", "created_at", "version"}

// clientCols are clientColumns of clients c.
var clientCols = clientColsOf("c")

// clientColsOf is the select list of clientColumns of the clients table
// under alias.
func clientColsOf(alias string) string {
	cols := make([]string, len(clientColumns))
	for i, c := range clientColumns {
		cols[i] = alias + "." + c
	}
	return strings.Join(cols, ", ")
}

func scanClient(s scanner) (casework.Client, error) {
	var c casework.Client
	err := s.Scan(clientDest(&c)...)
	return c, err
}

// clientDest is where the columns of clientColumns go.
func clientDest(c *casework.Client) []any {
	return []any{&c.ID, textCol{&c.BSN}, &c.GivenName, &c.FamilyName, dateCol{&c.BirthDate}, &c.Email, &c.Phone,
		&c.Address, &c.Contact, &c.ContactPerson, timeCol{&c.CreatedAt}, &c.Version}
}

// CreateClient stores a new client at version 1 and sets its ID (and
// CreatedAt when zero). A BSN already stored fails with ErrDuplicate("bsn").
func (t *tx) CreateClient(ctx context.Context, c *casework.Client) (err error) {
	defer wrap(&err, "CreateClient")
	stamp(&c.CreatedAt)
	return t.atomic(ctx, func() error {
		id, err := t.insert(ctx, `INSERT INTO clients (bsn, given_name, family_name, birth_date, email, phone, address,
			preferred_channel, contact_person, created_at, search_name, sort_name, version)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id`,
			textArg(c.BSN), c.GivenName, c.FamilyName, dateArg(c.BirthDate), c.Email, c.Phone, c.Address,
			c.Contact, c.ContactPerson, timeArg(c.CreatedAt), searchName(c.GivenName, c.FamilyName),
			sortName(c.GivenName, c.FamilyName))
		if err != nil {
			return err
		}
		c.ID, c.Version = id, 1
		return t.writeNameWords(ctx, c.ID, c.GivenName, c.FamilyName)
	})
}

// UpdateClient writes every field but ID and CreatedAt if c.Version is
// still current, and increments c.Version. It fails with ErrNotFound,
// ErrStale or ErrDuplicate("bsn").
func (t *tx) UpdateClient(ctx context.Context, c *casework.Client) (err error) {
	defer wrap(&err, "UpdateClient(%d, version %d)", c.ID, c.Version)
	defer func() {
		if err == nil {
			c.Version++
		}
	}()
	return t.atomic(ctx, func() error {
		n, err := t.exec(ctx, `UPDATE clients SET bsn = ?, given_name = ?, family_name = ?, birth_date = ?, email = ?,
			phone = ?, address = ?, preferred_channel = ?, contact_person = ?, search_name = ?, sort_name = ?,
			version = version + 1 WHERE id = ? AND version = ?`,
			textArg(c.BSN), c.GivenName, c.FamilyName, dateArg(c.BirthDate), c.Email, c.Phone, c.Address,
			c.Contact, c.ContactPerson, searchName(c.GivenName, c.FamilyName), sortName(c.GivenName, c.FamilyName),
			c.ID, c.Version)
		if err := t.versioned(ctx, n, err, "clients", c.ID); err != nil {
			return err
		}
		return t.writeNameWords(ctx, c.ID, c.GivenName, c.FamilyName)
	})
}

// ClientByID returns the client or ErrNotFound.
func (t *tx) ClientByID(ctx context.Context, id int64) (_ casework.Client, err error) {
	defer wrap(&err, "ClientByID(%d)", id)
	return queryOne(ctx, t, scanClient, `SELECT `+clientCols+` FROM clients c WHERE c.id = ?`, id)
}

// ClientByBSN returns the client with that BSN or ErrNotFound.
func (t *tx) ClientByBSN(ctx context.Context, bsn string) (_ casework.Client, err error) {
	defer wrap(&err, "ClientByBSN") // the BSN stays out: errors end up in logs
	return queryOne(ctx, t, scanClient, `SELECT `+clientCols+` FROM clients c WHERE c.bsn = ?`, bsn)
}
