package store

import (
	"context"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

func scanSuspension(s scanner) (casework.Suspension, error) {
	var p casework.Suspension
	err := s.Scan(&p.ID, &p.CaseID, dateCol{&p.StartOn}, dateCol{&p.EndOn}, &p.Reason, idCol{&p.By}, timeCol{&p.At})
	return p, err
}

// AddSuspension stores a suspension and sets its ID (and At when zero).
func (t *tx) AddSuspension(ctx context.Context, p *casework.Suspension) (err error) {
	defer wrap(&err, "AddSuspension(case %d)", p.CaseID)
	stamp(&p.At)
	id, err := t.insert(ctx, `INSERT INTO suspensions (case_id, start_on, end_on, reason, by_user, recorded_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		p.CaseID, dateArg(p.StartOn), dateArg(p.EndOn), p.Reason, idArg(p.By), timeArg(p.At))
	if err != nil {
		return err
	}
	p.ID = id
	return nil
}

// EndSuspension sets the suspension's end date. It fails with ErrNotFound.
func (t *tx) EndSuspension(ctx context.Context, id int64, end time.Time) (err error) {
	defer wrap(&err, "EndSuspension(%d)", id)
	n, err := t.exec(ctx, `UPDATE suspensions SET end_on = ? WHERE id = ?`, dateArg(end), id)
	return mustTouch(n, err)
}

// SuspensionsByCase returns the case's suspensions by start date.
func (t *tx) SuspensionsByCase(ctx context.Context, caseID int64) (_ []casework.Suspension, err error) {
	defer wrap(&err, "SuspensionsByCase(%d)", caseID)
	return queryAll(ctx, t, scanSuspension, `SELECT id, case_id, start_on, end_on, reason, by_user, recorded_at
		FROM suspensions WHERE case_id = ? ORDER BY start_on, id`, caseID)
}
