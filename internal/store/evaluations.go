package store

import (
	"context"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

const evaluationCols = `e.id, e.case_id, e.task_id, e.due_on, e.held_on, e.done, e.changes, e.plan_changed, e.plan_version,
	e.next_on, e.actor_id, e.actor_name, e.created_at`

func scanEvaluation(s scanner) (casework.PlanEvaluation, error) {
	var e casework.PlanEvaluation
	err := s.Scan(&e.ID, &e.CaseID, &e.TaskID, dateCol{&e.DueOn}, dateCol{&e.HeldOn}, &e.Done, &e.Changes, &e.PlanChanged, &e.PlanVersion,
		dateCol{&e.NextOn}, idCol{&e.ActorID}, &e.ActorName, timeCol{&e.CreatedAt})
	return e, err
}

// AddEvaluation stores an evaluation of a plan van aanpak and sets its ID
// (and CreatedAt when zero). A second evaluation of the same task fails
// with ErrDuplicate("evaluation").
func (t *tx) AddEvaluation(ctx context.Context, e *casework.PlanEvaluation) (err error) {
	defer wrap(&err, "AddEvaluation(case %d, task %d)", e.CaseID, e.TaskID)
	stamp(&e.CreatedAt)
	return t.atomic(ctx, func() error {
		id, err := t.insert(ctx, `INSERT INTO plan_evaluations (case_id, task_id, due_on, held_on, done, changes, plan_changed,
			plan_version, next_on, actor_id, actor_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			e.CaseID, e.TaskID, dateArg(e.DueOn), dateArg(e.HeldOn), e.Done, e.Changes, e.PlanChanged,
			e.PlanVersion, dateArg(e.NextOn), idArg(e.ActorID), e.ActorName, timeArg(e.CreatedAt))
		if err != nil {
			return err
		}
		e.ID = id
		return nil
	})
}

// EvaluationsByCase returns a participation case's evaluations, newest
// first.
func (t *tx) EvaluationsByCase(ctx context.Context, caseID int64) (_ []casework.PlanEvaluation, err error) {
	defer wrap(&err, "EvaluationsByCase(%d)", caseID)
	return queryAll(ctx, t, scanEvaluation,
		`SELECT `+evaluationCols+` FROM plan_evaluations e WHERE e.case_id = ? ORDER BY e.created_at DESC, e.id DESC`, caseID)
}
