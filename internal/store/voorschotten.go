package store

import (
	"context"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

const voorschotCols = `v.id, v.case_id, v.task_id, v.due_on, v.granted, v.amount_cents, v.decided_on, v.reason,
	v.actor_id, v.actor_name, v.created_at`

func scanVoorschot(s scanner) (casework.Voorschot, error) {
	var v casework.Voorschot
	err := s.Scan(&v.ID, &v.CaseID, &v.TaskID, dateCol{&v.DueOn}, &v.Granted, &v.AmountCents, dateCol{&v.On}, &v.Reason,
		idCol{&v.ActorID}, &v.ActorName, timeCol{&v.CreatedAt})
	return v, err
}

// AddVoorschot stores a voorschot and sets its ID (and CreatedAt when
// zero). A second voorschot of the same task fails with
// ErrDuplicate("voorschot").
func (t *tx) AddVoorschot(ctx context.Context, v *casework.Voorschot) (err error) {
	defer wrap(&err, "AddVoorschot(case %d, task %d)", v.CaseID, v.TaskID)
	stamp(&v.CreatedAt)
	return t.atomic(ctx, func() error {
		id, err := t.insert(ctx, `INSERT INTO voorschotten (case_id, task_id, due_on, granted, amount_cents, decided_on, reason,
			actor_id, actor_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			v.CaseID, v.TaskID, dateArg(v.DueOn), v.Granted, v.AmountCents, dateArg(v.On), v.Reason,
			idArg(v.ActorID), v.ActorName, timeArg(v.CreatedAt))
		if err != nil {
			return err
		}
		v.ID = id
		return nil
	})
}

// VoorschottenByCase returns an application's voorschotten by voorschot
// date.
func (t *tx) VoorschottenByCase(ctx context.Context, caseID int64) (_ []casework.Voorschot, err error) {
	defer wrap(&err, "VoorschottenByCase(%d)", caseID)
	return queryAll(ctx, t, scanVoorschot,
		`SELECT `+voorschotCols+` FROM voorschotten v WHERE v.case_id = ? ORDER BY v.due_on, v.id`, caseID)
}
