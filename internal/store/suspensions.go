package store

import (
	"context"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

func scanSuspension(s scanner) (casework.Suspension, error) {
	var p casework.Suspension
	err := s.Scan(&p.ID, &p.CaseID, &p.Kind, dateCol{&p.RequestedOn}, dateCol{&p.StartOn}, dateCol{&p.EndOn},
		dateCol{&p.PlannedEnd}, &p.Reason, idCol{&p.By}, timeCol{&p.At})
	return p, err
}

// AddSuspension stores a suspension and sets its ID (and At when zero).
func (t *tx) AddSuspension(ctx context.Context, p *casework.Suspension) (err error) {
	defer wrap(&err, "AddSuspension(case %d)", p.CaseID)
	stamp(&p.At)
	id, err := t.insert(ctx, `INSERT INTO suspensions (case_id, kind, requested_on, start_on, end_on, planned_end, reason,
		by_user, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		p.CaseID, p.Kind, dateArg(p.RequestedOn), dateArg(p.StartOn), dateArg(p.EndOn), dateArg(p.PlannedEnd), p.Reason,
		idArg(p.By), timeArg(p.At))
	if err != nil {
		return err
	}
	p.ID = id
	return nil
}

// EndSuspension sets the end date of a running suspension. It fails with
// ErrNotFound, or ErrStale when the suspension had ended already (a
// colleague ended it first).
func (t *tx) EndSuspension(ctx context.Context, id int64, end time.Time) (err error) {
	defer wrap(&err, "EndSuspension(%d)", id)
	n, err := t.exec(ctx, `UPDATE suspensions SET end_on = ? WHERE id = ? AND end_on IS NULL`, dateArg(end), id)
	return t.versioned(ctx, n, err, "suspensions", id)
}

// SuspensionsByCase returns the case's suspensions by start date.
func (t *tx) SuspensionsByCase(ctx context.Context, caseID int64) (_ []casework.Suspension, err error) {
	defer wrap(&err, "SuspensionsByCase(%d)", caseID)
	return queryAll(ctx, t, scanSuspension, `SELECT id, case_id, kind, requested_on, start_on, end_on, planned_end, reason,
		by_user, recorded_at FROM suspensions WHERE case_id = ? ORDER BY start_on, id`, caseID)
}
