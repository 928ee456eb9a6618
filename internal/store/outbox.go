package store

import (
	"context"
	"fmt"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

const messageCols = `id, client_id, case_id, task_id, kind, from_addr, to_addr, subject, body, status, attempts,
	last_error, created_at, sent_at, message_id`

func scanMessage(s scanner) (casework.Message, error) {
	var m casework.Message
	err := s.Scan(&m.ID, idCol{&m.ClientID}, idCol{&m.CaseID}, idCol{&m.TaskID}, &m.Kind, &m.From, &m.To, &m.Subject,
		&m.Body, &m.Status, &m.Attempts, &m.LastError, timeCol{&m.CreatedAt}, timeCol{&m.SentAt}, &m.MessageID)
	return m, err
}

// EnqueueMessage puts a mail in the outbox and sets its ID (and CreatedAt
// when zero).
func (t *tx) EnqueueMessage(ctx context.Context, m *casework.Message) error {
	stamp(&m.CreatedAt)
	id, err := t.insert(ctx, `INSERT INTO messages (client_id, case_id, task_id, kind, from_addr, to_addr, subject,
		body, status, attempts, last_error, created_at, sent_at, message_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		idArg(m.ClientID), idArg(m.CaseID), idArg(m.TaskID), m.Kind, m.From, m.To, m.Subject, m.Body, m.Status,
		m.Attempts, m.LastError, timeArg(m.CreatedAt), timeArg(m.SentAt), m.MessageID)
	if err != nil {
		return fmt.Errorf("enqueue message: %w", err)
	}
	m.ID = id
	return nil
}

// ListMessages returns the messages f selects, newest first, at most
// f.Limit (default 500).
func (t *tx) ListMessages(ctx context.Context, f casework.MessageFilter) ([]casework.Message, error) {
	q := `SELECT ` + messageCols + ` FROM messages WHERE 1 = 1`
	var args []any
	if f.CaseID != 0 {
		q += ` AND case_id = ?`
		args = append(args, f.CaseID)
	}
	if f.ClientID != 0 {
		q += ` AND client_id = ?`
		args = append(args, f.ClientID)
	}
	if f.Status != "" {
		q += ` AND status = ?`
		args = append(args, f.Status)
	}
	q += ` ORDER BY created_at DESC, id DESC LIMIT ?`
	args = append(args, limit(f.Limit, 500))
	return queryAll(ctx, t, scanMessage, q, args...)
}
