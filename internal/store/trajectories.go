package store

import (
	"context"
	"fmt"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

const trajectoryCols = `r.id, r.case_id, r.provider, r.title, r.status, r.start_on, r.end_on, r.result, r.may_finish,
	r.plan_row, r.created_by, r.created_at`

func scanTrajectory(s scanner) (casework.Trajectory, error) {
	var r casework.Trajectory
	err := s.Scan(&r.ID, &r.CaseID, &r.Provider, &r.Title, &r.Status, dateCol{&r.StartOn}, dateCol{&r.EndOn},
		&r.Result, &r.MayFinish, intCol{&r.PlanRow}, idCol{&r.CreatedBy}, timeCol{&r.CreatedAt})
	return r, err
}

func scanActivity(s scanner) (casework.Activity, error) {
	var a casework.Activity
	err := s.Scan(&a.ID, &a.TrajectoryID, &a.Description, dateCol{&a.DueOn})
	return a, err
}

// CreateTrajectory stores a trajectory with its activities and sets their
// IDs (and CreatedAt when zero).
func (t *tx) CreateTrajectory(ctx context.Context, r *casework.Trajectory) (err error) {
	defer wrap(&err, "CreateTrajectory(case %d)", r.CaseID)
	stamp(&r.CreatedAt)
	return t.atomic(ctx, func() error {
		id, err := t.insert(ctx, `INSERT INTO trajectories (case_id, provider, title, status, start_on, end_on, result,
			may_finish, plan_row, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			r.CaseID, r.Provider, r.Title, r.Status, dateArg(r.StartOn), dateArg(r.EndOn), r.Result, r.MayFinish,
			intArg(r.PlanRow), idArg(r.CreatedBy), timeArg(r.CreatedAt))
		if err != nil {
			return err
		}
		r.ID = id
		for i := range r.Activities {
			a := &r.Activities[i]
			a.TrajectoryID = id
			if a.ID, err = t.insertActivity(ctx, *a); err != nil {
				return err
			}
		}
		return nil
	})
}

func (t *tx) insertActivity(ctx context.Context, a casework.Activity) (int64, error) {
	id, err := t.insert(ctx, `INSERT INTO activities (trajectory_id, description, due_on) VALUES (?, ?, ?) RETURNING id`,
		a.TrajectoryID, a.Description, dateArg(a.DueOn))
	if err != nil {
		return 0, fmt.Errorf("add activity: %w", err)
	}
	return id, nil
}

// UpdateTrajectory writes every field but ID, CaseID, CreatedBy and
// CreatedAt, and makes the stored activities those of r: activities with
// an ID are updated, those without are added, stored ones missing from r
// are removed. It fails with ErrNotFound.
func (t *tx) UpdateTrajectory(ctx context.Context, r casework.Trajectory) (err error) {
	defer wrap(&err, "UpdateTrajectory(%d)", r.ID)
	return t.atomic(ctx, func() error {
		n, err := t.exec(ctx, `UPDATE trajectories SET provider = ?, title = ?, status = ?, start_on = ?, end_on = ?,
			result = ?, may_finish = ?, plan_row = ? WHERE id = ?`,
			r.Provider, r.Title, r.Status, dateArg(r.StartOn), dateArg(r.EndOn), r.Result, r.MayFinish, intArg(r.PlanRow), r.ID)
		if err := mustTouch(n, err); err != nil {
			return err
		}
		keep := make([]any, 0, len(r.Activities))
		for _, a := range r.Activities {
			if a.ID == 0 {
				continue
			}
			n, err := t.exec(ctx, `UPDATE activities SET description = ?, due_on = ? WHERE id = ? AND trajectory_id = ?`,
				a.Description, dateArg(a.DueOn), a.ID, r.ID)
			if err := mustTouch(n, err); err != nil {
				return fmt.Errorf("activity %d: %w", a.ID, err)
			}
			keep = append(keep, a.ID)
		}
		del := `DELETE FROM activities WHERE trajectory_id = ?`
		if len(keep) > 0 {
			del += ` AND id NOT IN (` + placeholders(len(keep)) + `)`
		}
		if _, err := t.exec(ctx, del, append([]any{r.ID}, keep...)...); err != nil {
			return fmt.Errorf("remove activities: %w", err)
		}
		for _, a := range r.Activities {
			if a.ID != 0 {
				continue
			}
			a.TrajectoryID = r.ID
			if _, err := t.insertActivity(ctx, a); err != nil {
				return err
			}
		}
		return nil
	})
}

// TrajectoriesByCase returns the case's trajectories with their activities,
// in the order they were made.
func (t *tx) TrajectoriesByCase(ctx context.Context, caseID int64) (_ []casework.Trajectory, err error) {
	defer wrap(&err, "TrajectoriesByCase(%d)", caseID)
	trajectories, err := queryAll(ctx, t, scanTrajectory,
		`SELECT `+trajectoryCols+` FROM trajectories r WHERE r.case_id = ? ORDER BY r.id`, caseID)
	if err != nil || len(trajectories) == 0 {
		return trajectories, err
	}
	activities, err := queryAll(ctx, t, scanActivity, `SELECT a.id, a.trajectory_id, a.description, a.due_on
		FROM activities a JOIN trajectories r ON r.id = a.trajectory_id WHERE r.case_id = ? ORDER BY a.id`, caseID)
	if err != nil {
		return nil, err
	}
	index := make(map[int64]int, len(trajectories))
	for i, r := range trajectories {
		index[r.ID] = i
	}
	for _, a := range activities {
		r := &trajectories[index[a.TrajectoryID]]
		r.Activities = append(r.Activities, a)
	}
	return trajectories, nil
}
