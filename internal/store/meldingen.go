package store

import (
	"context"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

func scanMelding(s scanner) (casework.Melding, error) {
	var m casework.Melding
	err := s.Scan(&m.ID, &m.ClientID, dateCol{&m.ReportedOn}, dateCol{&m.SearchUntil}, &m.Channel, &m.Reference, idCol{&m.By}, timeCol{&m.At})
	return m, err
}

// AddMelding stores a melding and sets its ID (and At when zero).
func (t *tx) AddMelding(ctx context.Context, m *casework.Melding) (err error) {
	defer wrap(&err, "AddMelding(client %d)", m.ClientID)
	stamp(&m.At)
	id, err := t.insert(ctx, `INSERT INTO meldingen (client_id, reported_on, search_until, channel, reference, by_user, recorded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		m.ClientID, dateArg(m.ReportedOn), dateArg(m.SearchUntil), m.Channel, m.Reference, idArg(m.By), timeArg(m.At))
	if err != nil {
		return err
	}
	m.ID = id
	return nil
}

// MeldingenByClient returns the client's meldingen, newest first.
func (t *tx) MeldingenByClient(ctx context.Context, clientID int64) (_ []casework.Melding, err error) {
	defer wrap(&err, "MeldingenByClient(%d)", clientID)
	return queryAll(ctx, t, scanMelding, `SELECT id, client_id, reported_on, search_until, channel, reference, by_user, recorded_at
		FROM meldingen WHERE client_id = ? ORDER BY reported_on DESC, id DESC`, clientID)
}
