package store

import (
	"context"
	"fmt"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// History is append-only: events and step records are inserted and read,
// never updated or deleted; triggers in both engines refuse it.

func scanEvent(s scanner) (casework.Event, error) {
	var e casework.Event
	err := s.Scan(&e.ID, idCol{&e.ClientID}, idCol{&e.CaseID}, idCol{&e.TaskID}, &e.Kind, &e.Summary, &e.Reason,
		idCol{&e.ActorID}, &e.ActorName, timeCol{&e.At})
	return e, err
}

// AppendEvent adds a history line and sets its ID (and At when zero). The
// actor's name is kept as given, as it was at the time.
func (t *tx) AppendEvent(ctx context.Context, e *casework.Event) (err error) {
	defer wrap(&err, "AppendEvent(client %d, case %d, task %d)", e.ClientID, e.CaseID, e.TaskID)
	stamp(&e.At)
	id, err := t.insert(ctx, `INSERT INTO events (client_id, case_id, task_id, kind, summary, reason, actor_id,
		actor_name, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		idArg(e.ClientID), idArg(e.CaseID), idArg(e.TaskID), e.Kind, e.Summary, e.Reason, idArg(e.ActorID),
		e.ActorName, timeArg(e.At))
	if err != nil {
		return err
	}
	e.ID = id
	return nil
}

// eventsInsert is the INSERT of history lines, stamping At when zero.
func eventsInsert(es []*casework.Event) sqlStmt {
	args := make([]any, 0, 9*len(es))
	for _, e := range es {
		stamp(&e.At)
		args = append(args, idArg(e.ClientID), idArg(e.CaseID), idArg(e.TaskID), e.Kind, e.Summary, e.Reason,
			idArg(e.ActorID), e.ActorName, timeArg(e.At))
	}
	return sqlStmt{"events", `INSERT INTO events (client_id, case_id, task_id, kind, summary, reason, actor_id,
		actor_name, occurred_at) VALUES ` + valueRows(len(es), 9), args}
}

// EventsByClient returns the client's history, oldest first. An event
// stored without an actor name shows the actor's current name.
func (t *tx) EventsByClient(ctx context.Context, clientID int64) (_ []casework.Event, err error) {
	defer wrap(&err, "EventsByClient(%d)", clientID)
	return queryAll(ctx, t, scanEvent, `SELECT e.id, e.client_id, e.case_id, e.task_id, e.kind, e.summary, e.reason,
		e.actor_id, COALESCE(NULLIF(e.actor_name, ''), u.name, ''), e.occurred_at
		FROM events e LEFT JOIN users u ON u.id = e.actor_id
		WHERE e.client_id = ? ORDER BY e.occurred_at, e.id`, clientID)
}

// ClientEvents returns a page of the client's history, newest first, at
// most limit lines: with cur the lines after it (older), or with
// cur.Back the lines before it (newer), nearest first. Keyset pages on
// (occurred_at, id), a range of the index events_client.
func (t *tx) ClientEvents(ctx context.Context, clientID int64, cur *casework.Cursor, limit int) (_ []casework.Event, err error) {
	defer wrap(&err, "ClientEvents(%d)", clientID)
	dir, cmp, keyset := "DESC", "<", ""
	args := []any{clientID}
	if cur != nil {
		if cur.Back {
			dir, cmp = "ASC", ">"
		}
		at, err := time.Parse(time.RFC3339Nano, cur.Value)
		if err != nil {
			return nil, fmt.Errorf("cursor: %w", err)
		}
		keyset = ` AND (e.occurred_at, e.id) ` + cmp + ` (?, ?)`
		args = append(args, timeArg(at), cur.ID)
	}
	args = append(args, limit)
	return queryAll(ctx, t, scanEvent, `SELECT e.id, e.client_id, e.case_id, e.task_id, e.kind, e.summary, e.reason,
		e.actor_id, COALESCE(NULLIF(e.actor_name, ''), u.name, ''), e.occurred_at
		FROM events e LEFT JOIN users u ON u.id = e.actor_id
		WHERE e.client_id = ?`+keyset+` ORDER BY e.occurred_at `+dir+`, e.id `+dir+` LIMIT ?`, args...)
}

func scanStepRecord(s scanner) (casework.StepRecord, error) {
	var r casework.StepRecord
	err := s.Scan(&r.ID, idCol{&r.TaskID}, &r.ApplicationID, idCol{&r.CaseID}, &r.Step, jsonCol{&r.Fields},
		idCol{&r.ActorID}, &r.ActorName, timeCol{&r.At})
	return r, err
}

// AddStepRecord stores a step record and sets its ID (and At when zero).
func (t *tx) AddStepRecord(ctx context.Context, r *casework.StepRecord) (err error) {
	defer wrap(&err, "AddStepRecord(application %d, task %d)", r.ApplicationID, r.TaskID)
	ins, err := stepRecordsInsert([]*casework.StepRecord{r})
	if err != nil {
		return err
	}
	id, err := t.insert(ctx, ins.sql+` RETURNING id`, ins.args...)
	if err != nil {
		return err
	}
	r.ID = id
	return nil
}

// stepRecordsInsert is the INSERT of step records, stamping At when zero.
func stepRecordsInsert(rs []*casework.StepRecord) (sqlStmt, error) {
	args := make([]any, 0, 8*len(rs))
	for _, r := range rs {
		stamp(&r.At)
		fields, err := jsonArg(r.Fields)
		if err != nil {
			return sqlStmt{}, err
		}
		args = append(args, idArg(r.TaskID), r.ApplicationID, idArg(r.CaseID), string(r.Step), fields, idArg(r.ActorID),
			r.ActorName, timeArg(r.At))
	}
	return sqlStmt{"step_records", `INSERT INTO step_records (task_id, application_id, case_id, step, fields, actor_id,
		actor_name, recorded_at) VALUES ` + valueRows(len(rs), 8), args}, nil
}

// StepRecords returns the step records of an application's flow, oldest
// first. A record stored without an actor name shows the actor's current
// name.
func (t *tx) StepRecords(ctx context.Context, applicationID int64) (_ []casework.StepRecord, err error) {
	defer wrap(&err, "StepRecords(%d)", applicationID)
	return queryAll(ctx, t, scanStepRecord, `SELECT r.id, r.task_id, r.application_id, r.case_id, r.step, r.fields,
		r.actor_id, COALESCE(NULLIF(r.actor_name, ''), u.name, ''), r.recorded_at
		FROM step_records r LEFT JOIN users u ON u.id = r.actor_id
		WHERE r.application_id = ? ORDER BY r.recorded_at, r.id`, applicationID)
}
