package bench

import (
	"context"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/store"
)

// bareStep is the storage's ceiling for a step: the least a completed
// step writes, as one transaction on the real tables — the task's UPDATE
// and INSERTs of its step record, its history event and the next task —
// with nothing read and nothing checked. The step benchmark runs it beside
// the service's CompleteTask on the same database.
type bareStep struct {
	db                 *store.DB
	tasks              map[int64][4]any // id → application, case, client, step
	upd, rec, ev, next string
}

func newBareStep(db *store.DB) *bareStep {
	return &bareStep{db: db,
		upd: rebind(db, `UPDATE tasks SET status = 'afgerond', completed_at = ?, completed_by = ?, version = version + 1 WHERE id = ?`),
		rec: rebind(db, `INSERT INTO step_records (task_id, application_id, case_id, step, fields, actor_id, actor_name, recorded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
		ev: rebind(db, `INSERT INTO events (client_id, case_id, task_id, kind, summary, actor_id, actor_name, occurred_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
		next: rebind(db, `INSERT INTO tasks (application_id, case_id, client_id, step, from_step, team, worklist, status, term, created_at, due_on, version)
			VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, 1)`),
	}
}

// load reads the ids the transactions need, before they are timed.
func (s *bareStep) load(ctx context.Context) error {
	s.tasks = map[int64][4]any{}
	rows, err := s.db.SQL().QueryContext(ctx, `SELECT id, application_id, case_id, client_id, step FROM tasks`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, app, cs, cl int64
		var step string
		if err := rows.Scan(&id, &app, &cs, &cl, &step); err != nil {
			return err
		}
		s.tasks[id] = [4]any{app, cs, cl, step}
	}
	return rows.Err()
}

// run completes task as the user in one bare transaction.
func (s *bareStep) run(ctx context.Context, task, user int64) error {
	t := s.tasks[task]
	now := time.Now().UTC().Truncate(time.Microsecond)
	tx, err := s.db.SQL().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	if _, err := tx.ExecContext(ctx, s.upd, now, user, task); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, s.rec, task, t[0], t[1], t[3], `{"gesprek_datum":["01-12-2026"],"rechtmatigheid":["Woont alleen."]}`, user, "Bench", now); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, s.ev, t[2], t[1], task, "stap_afgerond", "Intake gesprek afgerond.", user, "Bench", now); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, s.next, t[0], t[1], t[2], "beoordeling_doelgroep", t[3], "poort", "445", "week", now, now.AddDate(0, 0, 7).Format(time.DateOnly)); err != nil {
		return err
	}
	return tx.Commit()
}
