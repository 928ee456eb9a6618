package store

import (
	"context"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

const planCols = `p.id, p.case_id, p.version, p.situation, p.ladder_now, p.ladder_target, p.segment, p.goals,
	p.obligations, p.consequences, p.trajectories, p.evaluation_on, p.signed_on, p.signed_document_id, p.note, p.author_id,
	COALESCE(u.name, ''), p.created_at`

const planFrom = ` FROM plans p LEFT JOIN users u ON u.id = p.author_id`

func scanPlan(s scanner) (casework.Plan, error) {
	var p casework.Plan
	err := s.Scan(&p.ID, &p.CaseID, &p.Version, &p.Situation, &p.LadderNow, &p.LadderTarget, &p.Segment, &p.Goals,
		&p.Obligations, &p.Consequences, jsonCol{&p.Trajectories}, dateCol{&p.EvaluationOn}, dateCol{&p.SignedOn},
		idCol{&p.SignedDocumentID}, &p.Note, idCol{&p.AuthorID}, &p.AuthorName, timeCol{&p.CreatedAt})
	return p, err
}

// AddPlan stores a new version of a case's plan and sets its ID (and
// CreatedAt when zero). The caller numbers the versions; a version that
// exists fails with ErrDuplicate("plan_version").
func (t *tx) AddPlan(ctx context.Context, p *casework.Plan) (err error) {
	defer wrap(&err, "AddPlan(case %d, version %d)", p.CaseID, p.Version)
	stamp(&p.CreatedAt)
	trajectories, err := jsonArg(p.Trajectories)
	if err != nil {
		return err
	}
	return t.atomic(ctx, func() error {
		id, err := t.insert(ctx, `INSERT INTO plans (case_id, version, situation, ladder_now, ladder_target, segment,
			goals, obligations, consequences, trajectories, evaluation_on, signed_on, signed_document_id, note, author_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			p.CaseID, p.Version, p.Situation, p.LadderNow, p.LadderTarget, p.Segment, p.Goals, p.Obligations,
			p.Consequences, trajectories, dateArg(p.EvaluationOn), dateArg(p.SignedOn), idArg(p.SignedDocumentID), p.Note, idArg(p.AuthorID),
			timeArg(p.CreatedAt))
		if err != nil {
			return err
		}
		p.ID = id
		return nil
	})
}

// LatestPlan returns the highest version of the case's plan or ErrNotFound.
func (t *tx) LatestPlan(ctx context.Context, caseID int64) (_ casework.Plan, err error) {
	defer wrap(&err, "LatestPlan(%d)", caseID)
	return queryOne(ctx, t, scanPlan,
		`SELECT `+planCols+planFrom+` WHERE p.case_id = ? ORDER BY p.version DESC LIMIT 1`, caseID)
}

// PlanVersions returns every version of the case's plan, newest first.
func (t *tx) PlanVersions(ctx context.Context, caseID int64) (_ []casework.Plan, err error) {
	defer wrap(&err, "PlanVersions(%d)", caseID)
	return queryAll(ctx, t, scanPlan,
		`SELECT `+planCols+planFrom+` WHERE p.case_id = ? ORDER BY p.version DESC`, caseID)
}
