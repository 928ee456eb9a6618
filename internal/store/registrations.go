package store

import (
	"context"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

const registrationCols = `g.id, g.case_id, g.trajectory_id, g.provider, g.status, g.on_date, g.note, g.may_finish,
	g.created_by, g.updated_at, g.version`

func scanRegistration(s scanner) (casework.Registration, error) {
	var g casework.Registration
	err := s.Scan(&g.ID, &g.CaseID, idCol{&g.TrajectoryID}, &g.Provider, &g.Status, dateCol{&g.On}, &g.Note, &g.MayFinish,
		idCol{&g.CreatedBy}, timeCol{&g.UpdatedAt}, &g.Version)
	return g, err
}

// CreateRegistration stores a new registration at version 1 and sets its
// ID and Version.
func (t *tx) CreateRegistration(ctx context.Context, g *casework.Registration) (err error) {
	defer wrap(&err, "CreateRegistration(case %d)", g.CaseID)
	id, err := t.insert(ctx, `INSERT INTO registrations (case_id, trajectory_id, provider, status, on_date, note, may_finish,
		created_by, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id`,
		g.CaseID, idArg(g.TrajectoryID), g.Provider, g.Status, dateArg(g.On), g.Note, g.MayFinish, idArg(g.CreatedBy), timeArg(g.UpdatedAt))
	if err != nil {
		return err
	}
	g.ID, g.Version = id, 1
	return nil
}

// UpdateRegistration writes trajectory, provider, status, date, note,
// may-finish and UpdatedAt when
// g.Version is still current and increments g.Version. It fails with
// ErrNotFound or ErrStale.
func (t *tx) UpdateRegistration(ctx context.Context, g *casework.Registration) (err error) {
	defer wrap(&err, "UpdateRegistration(%d, version %d)", g.ID, g.Version)
	n, err := t.exec(ctx, `UPDATE registrations SET trajectory_id = ?, provider = ?, status = ?, on_date = ?, note = ?, may_finish = ?,
		updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
		idArg(g.TrajectoryID), g.Provider, g.Status, dateArg(g.On), g.Note, g.MayFinish, timeArg(g.UpdatedAt), g.ID, g.Version)
	if err := t.versioned(ctx, n, err, "registrations", g.ID); err != nil {
		return err
	}
	g.Version++
	return nil
}

// RegistrationsByCase returns the case's registrations in the order they
// were made.
func (t *tx) RegistrationsByCase(ctx context.Context, caseID int64) (_ []casework.Registration, err error) {
	defer wrap(&err, "RegistrationsByCase(%d)", caseID)
	return queryAll(ctx, t, scanRegistration,
		`SELECT `+registrationCols+` FROM registrations g WHERE g.case_id = ? ORDER BY g.id`, caseID)
}
