package store

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

const messageCols = `id, client_id, case_id, task_id, kind, from_addr, to_addr, to_name, subject, body, html,
	attachment_name, attachment_type, attachment, dedupe_key, status, attempts, last_error, created_at, sent_at,
	next_attempt_at, message_id`

func scanMessage(s scanner) (casework.Message, error) {
	var m casework.Message
	err := s.Scan(&m.ID, idCol{&m.ClientID}, idCol{&m.CaseID}, idCol{&m.TaskID}, &m.Kind, &m.From, &m.To, &m.ToName,
		&m.Subject, &m.Body, &m.HTML, &m.AttachmentName, &m.AttachmentType, &m.Attachment, textCol{&m.DedupeKey},
		&m.Status, &m.Attempts, &m.LastError, timeCol{&m.CreatedAt}, timeCol{&m.SentAt}, timeCol{&m.NextAttemptAt},
		&m.MessageID)
	return m, err
}

// EnqueueMessage puts a mail in the outbox and sets its ID (and CreatedAt
// when zero). A waiting message gets a delivery job in the same
// transaction. A message whose DedupeKey is taken is skipped: m.ID stays 0.
func (t *tx) EnqueueMessage(ctx context.Context, m *casework.Message) (err error) {
	defer wrap(&err, "EnqueueMessage(client %d, case %d, task %d)", m.ClientID, m.CaseID, m.TaskID)
	stamp(&m.CreatedAt)
	return t.withJob(m.Status == casework.MessageWaiting, func() error {
		var id int64
		err := t.queryRow(ctx, `INSERT INTO messages (client_id, case_id, task_id, kind, from_addr, to_addr, to_name,
			subject, body, html, attachment_name, attachment_type, attachment, dedupe_key, status, attempts, last_error,
			created_at, sent_at, message_id, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING RETURNING id`,
			idArg(m.ClientID), idArg(m.CaseID), idArg(m.TaskID), m.Kind, m.From, m.To, m.ToName, m.Subject, m.Body,
			m.HTML, m.AttachmentName, m.AttachmentType, m.Attachment, textArg(m.DedupeKey), m.Status, m.Attempts,
			m.LastError, timeArg(m.CreatedAt), timeArg(m.SentAt), m.MessageID, timeArg(m.CreatedAt)).Scan(&id)
		if isNoRows(err) {
			return nil // dedupe key taken
		}
		if err != nil {
			return t.mapErr(err)
		}
		m.ID = id
		if m.Status == casework.MessageWaiting {
			return t.insertJob(ctx, func(k JobArgs, id int64) river.JobArgs { return k.Deliver(id, m.Letter) }, id, m.NextAttemptAt)
		}
		return nil
	})
}

// ListMessages returns the messages f selects, newest first, at most
// f.Limit (default 500). With f.Cursor the messages after it (or before
// it, with Back, nearest first): keyset pages on (created_at, id).
func (t *tx) ListMessages(ctx context.Context, f casework.MessageFilter) (_ []casework.Message, err error) {
	defer wrap(&err, "ListMessages(client %d, case %d)", f.CaseID, f.ClientID)
	var w where
	w.and(`case_id = ?`, f.CaseID)
	w.and(`client_id = ?`, f.ClientID)
	w.and(`status = ?`, f.Status)
	dir, cmp := "DESC", "<"
	if c := f.Cursor; c != nil {
		if c.Back {
			dir, cmp = "ASC", ">"
		}
		at, err := time.Parse(time.RFC3339Nano, c.Value)
		if err != nil {
			return nil, fmt.Errorf("cursor: %w", err)
		}
		w.sql += ` AND (created_at, id) ` + cmp + ` (?, ?)`
		w.args = append(w.args, timeArg(at), c.ID)
	}
	q := `SELECT ` + messageCols + ` FROM messages WHERE 1 = 1` + w.sql + ` ORDER BY created_at ` + dir + `, id ` + dir + ` LIMIT ?`
	args := append(w.args, limit(f.Limit, 500))
	return queryAll(ctx, t, scanMessage, q, args...)
}

// CountMessages counts the messages per status, on the index by status.
func (t *tx) CountMessages(ctx context.Context) (_ map[string]int, err error) {
	defer wrap(&err, "CountMessages")
	type count struct {
		status string
		n      int
	}
	rows, err := queryAll(ctx, t, func(s scanner) (count, error) {
		var c count
		return c, s.Scan(&c.status, &c.n)
	}, `SELECT status, COUNT(*) FROM messages GROUP BY status`)
	out := map[string]int{}
	for _, c := range rows {
		out[c.status] = c.n
	}
	return out, err
}

// MessageByID returns the message or ErrNotFound.
func (t *tx) MessageByID(ctx context.Context, id int64) (_ casework.Message, err error) {
	defer wrap(&err, "MessageByID(%d)", id)
	return queryOne(ctx, t, scanMessage,
		`SELECT `+messageCols+` FROM messages WHERE id = ?`, id)
}

// UpdateDelivery writes the delivery state of m.
func (t *tx) UpdateDelivery(ctx context.Context, m casework.Message) (err error) {
	defer wrap(&err, "UpdateDelivery(%d)", m.ID)
	n, err := t.exec(ctx, `UPDATE messages SET status = ?, attempts = ?, last_error = ?, sent_at = ?,
		next_attempt_at = ?, updated_at = ? WHERE id = ?`,
		m.Status, m.Attempts, m.LastError, timeArg(m.SentAt), timeArg(m.NextAttemptAt), timeArg(now()), m.ID)
	return mustTouch(n, err)
}

// RequeueMessage inserts a delivery job for the message. River refuses a
// second live job for the same message, so a double click queues one.
func (t *tx) RequeueMessage(ctx context.Context, id int64) (err error) {
	defer wrap(&err, "RequeueMessage(%d)", id)
	var letter bool
	if err := t.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM documents WHERE message_id = ?)`, id).Scan(&letter); err != nil {
		return err
	}
	return t.insertJob(ctx, func(k JobArgs, id int64) river.JobArgs { return k.Deliver(id, letter) }, id, timeZero)
}
