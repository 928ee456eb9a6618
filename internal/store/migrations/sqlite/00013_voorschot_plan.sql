-- +goose Up
-- The voorschot of an undecided application (Participatiewet art. 52),
-- recorded for each voorschot date by the task "Voorschot beoordelen":
-- paid with its amount (cents) and date, or not with the reason. And the
-- evaluations of the plan van aanpak (art. 44a), with the plan version
-- after each and the next date; a plan version made by an evaluation says
-- so in its note. Both are records of what was decided: never deleted.
-- Keep in step with migrations/postgres/00013_voorschot_plan.sql.
CREATE TABLE voorschotten (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER   NOT NULL REFERENCES cases (id),
    task_id      INTEGER   NOT NULL REFERENCES tasks (id),
    due_on       DATE      NOT NULL,
    granted      INTEGER   NOT NULL,
    amount_cents INTEGER   NOT NULL DEFAULT 0,
    decided_on   DATE      NOT NULL,
    reason       TEXT      NOT NULL DEFAULT '',
    actor_id     INTEGER   REFERENCES users (id),
    actor_name   TEXT      NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX voorschotten_task ON voorschotten (task_id);
CREATE INDEX voorschotten_case ON voorschotten (case_id, due_on);

CREATE TABLE plan_evaluations (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER   NOT NULL REFERENCES cases (id),
    task_id      INTEGER   NOT NULL REFERENCES tasks (id),
    due_on       DATE,
    held_on      DATE      NOT NULL,
    done         TEXT      NOT NULL DEFAULT '',
    changes      TEXT      NOT NULL DEFAULT '',
    plan_changed INTEGER   NOT NULL DEFAULT 0,
    plan_version INTEGER   NOT NULL,
    next_on      DATE      NOT NULL,
    actor_id     INTEGER   REFERENCES users (id),
    actor_name   TEXT      NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX plan_evaluations_task ON plan_evaluations (task_id);
CREATE INDEX plan_evaluations_case ON plan_evaluations (case_id, created_at);

ALTER TABLE plans ADD COLUMN note TEXT NOT NULL DEFAULT '';

-- +goose StatementBegin
CREATE TRIGGER voorschotten_no_delete BEFORE DELETE ON voorschotten
BEGIN
    SELECT RAISE(ABORT, 'voorschotten are never deleted');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER plan_evaluations_no_delete BEFORE DELETE ON plan_evaluations
BEGIN
    SELECT RAISE(ABORT, 'plan_evaluations are never deleted');
END;
-- +goose StatementEnd
