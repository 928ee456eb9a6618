package store

import (
	"context"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// Contact moments and notes are inserted and changed by a versioned update;
// triggers refuse deleting them. Their author's name is kept as it was.

const contactCols = `m.id, m.client_id, m.case_id, m.kind, m.direction, m.contact_at, m.summary, m.author_id,
	m.created_at, m.updated_at, m.version, COALESCE(NULLIF(m.author_name, ''), u.name, ''), COALESCE(c.code, '')`

const contactFrom = ` FROM contact_moments m LEFT JOIN users u ON u.id = m.author_id LEFT JOIN cases c ON c.id = m.case_id`

func scanContact(s scanner) (casework.ContactMoment, error) {
	var m casework.ContactMoment
	err := s.Scan(&m.ID, &m.ClientID, &m.CaseID, &m.Kind, &m.Direction, timeCol{&m.At}, &m.Summary, &m.AuthorID,
		timeCol{&m.CreatedAt}, timeCol{&m.UpdatedAt}, &m.Version, &m.AuthorName, &m.CaseCode)
	return m, err
}

// AddContact stores a contact moment at version 1 and sets its ID, Version
// (and CreatedAt when zero).
func (t *tx) AddContact(ctx context.Context, m *casework.ContactMoment) (err error) {
	defer wrap(&err, "AddContact(client %d, case %d)", m.ClientID, m.CaseID)
	stamp(&m.CreatedAt)
	id, err := t.insert(ctx, `INSERT INTO contact_moments (client_id, case_id, kind, direction, contact_at, summary,
		author_id, author_name, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id`,
		m.ClientID, m.CaseID, m.Kind, m.Direction, timeArg(m.At), m.Summary, m.AuthorID, m.AuthorName,
		timeArg(m.CreatedAt), timeArg(m.UpdatedAt))
	if err != nil {
		return err
	}
	m.ID, m.Version = id, 1
	return nil
}

// UpdateContact writes case, kind, direction, time, summary and UpdatedAt
// when m.Version is still current and increments m.Version. It fails with
// ErrNotFound or ErrStale. Author and creation time never change.
func (t *tx) UpdateContact(ctx context.Context, m *casework.ContactMoment) (err error) {
	defer wrap(&err, "UpdateContact(%d, version %d)", m.ID, m.Version)
	n, err := t.exec(ctx, `UPDATE contact_moments SET case_id = ?, kind = ?, direction = ?, contact_at = ?, summary = ?,
		updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
		m.CaseID, m.Kind, m.Direction, timeArg(m.At), m.Summary, timeArg(m.UpdatedAt), m.ID, m.Version)
	if err := t.versioned(ctx, n, err, "contact_moments", m.ID); err != nil {
		return err
	}
	m.Version++
	return nil
}

// ContactByID returns the contact moment or ErrNotFound.
func (t *tx) ContactByID(ctx context.Context, id int64) (_ casework.ContactMoment, err error) {
	defer wrap(&err, "ContactByID(%d)", id)
	return queryOne(ctx, t, scanContact, `SELECT `+contactCols+contactFrom+` WHERE m.id = ?`, id)
}

// ContactsByClient returns the client's contact moments by the moment of
// contact, oldest first.
func (t *tx) ContactsByClient(ctx context.Context, clientID int64, within casework.Span) (_ []casework.ContactMoment, err error) {
	defer wrap(&err, "ContactsByClient(%d)", clientID)
	cond, args := spanCond("m.contact_at", within, clientID)
	return queryAll(ctx, t, scanContact, `SELECT `+contactCols+contactFrom+` WHERE m.client_id = ?`+cond+`
		ORDER BY m.contact_at, m.id`, args...)
}

// spanCond is the condition that col lies in the span, as Span.Covers
// says (From inclusive, Until exclusive), after the arguments args: a
// range of the client's index on col. An open side adds no condition, so
// that each statement has a plan of its own.
func spanCond(col string, within casework.Span, args ...any) (string, []any) {
	var cond string
	if !within.From.IsZero() {
		cond += " AND " + col + " >= ?"
		args = append(args, timeArg(within.From))
	}
	if !within.Until.IsZero() {
		cond += " AND " + col + " < ?"
		args = append(args, timeArg(within.Until))
	}
	return cond, args
}

const noteCols = `n.id, n.client_id, n.case_id, n.body, n.author_id, n.created_at, n.updated_at, n.version,
	COALESCE(NULLIF(n.author_name, ''), u.name, ''), COALESCE(c.code, '')`

const noteFrom = ` FROM notes n LEFT JOIN users u ON u.id = n.author_id LEFT JOIN cases c ON c.id = n.case_id`

func scanNote(s scanner) (casework.Note, error) {
	var n casework.Note
	err := s.Scan(&n.ID, &n.ClientID, &n.CaseID, &n.Body, &n.AuthorID, timeCol{&n.CreatedAt}, timeCol{&n.UpdatedAt},
		&n.Version, &n.AuthorName, &n.CaseCode)
	return n, err
}

// AddNote stores a note at version 1 and sets its ID, Version (and
// CreatedAt when zero).
func (t *tx) AddNote(ctx context.Context, n *casework.Note) (err error) {
	defer wrap(&err, "AddNote(client %d, case %d)", n.ClientID, n.CaseID)
	stamp(&n.CreatedAt)
	id, err := t.insert(ctx, `INSERT INTO notes (client_id, case_id, body, author_id, author_name, created_at, updated_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, 1) RETURNING id`,
		n.ClientID, n.CaseID, n.Body, n.AuthorID, n.AuthorName, timeArg(n.CreatedAt), timeArg(n.UpdatedAt))
	if err != nil {
		return err
	}
	n.ID, n.Version = id, 1
	return nil
}

// UpdateNote writes case, body and UpdatedAt when n.Version is still
// current and increments n.Version. It fails with ErrNotFound or ErrStale.
func (t *tx) UpdateNote(ctx context.Context, n *casework.Note) (err error) {
	defer wrap(&err, "UpdateNote(%d, version %d)", n.ID, n.Version)
	c, err := t.exec(ctx, `UPDATE notes SET case_id = ?, body = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`, n.CaseID, n.Body, timeArg(n.UpdatedAt), n.ID, n.Version)
	if err := t.versioned(ctx, c, err, "notes", n.ID); err != nil {
		return err
	}
	n.Version++
	return nil
}

// NoteByID returns the note or ErrNotFound.
func (t *tx) NoteByID(ctx context.Context, id int64) (_ casework.Note, err error) {
	defer wrap(&err, "NoteByID(%d)", id)
	return queryOne(ctx, t, scanNote, `SELECT `+noteCols+noteFrom+` WHERE n.id = ?`, id)
}

// NotesByClient returns the client's notes, oldest first.
func (t *tx) NotesByClient(ctx context.Context, clientID int64, within casework.Span) (_ []casework.Note, err error) {
	defer wrap(&err, "NotesByClient(%d)", clientID)
	cond, args := spanCond("n.created_at", within, clientID)
	return queryAll(ctx, t, scanNote, `SELECT `+noteCols+noteFrom+` WHERE n.client_id = ?`+cond+`
		ORDER BY n.created_at, n.id`, args...)
}
