-- +goose Up
-- Retention per the Selectielijst gemeenten en intergemeentelijke organen
-- 2020 (procestype 8, "Voorzieningen verstrekken"), and destruction.
-- Keep in step with migrations/postgres/00019_retention.sql.
--
-- case_retention: each closed case's result type, its selectielijst
-- category, archive nomination, period (ISO 8601), source date
-- (brondatum) and destruction date; written when the case closes and by
-- the daily retention run (which fills cases closed before this table).
CREATE TABLE case_retention (
    case_id     INTEGER   NOT NULL PRIMARY KEY REFERENCES cases (id),
    client_id   INTEGER   NOT NULL REFERENCES clients (id),
    result      TEXT      NOT NULL,
    category    TEXT      NOT NULL DEFAULT '',
    nomination  TEXT      NOT NULL,
    period      TEXT      NOT NULL DEFAULT '',
    source_on   DATE,
    destroy_on  DATE,
    assessed_at TIMESTAMP NOT NULL
);
CREATE INDEX case_retention_client ON case_retention (client_id);
CREATE INDEX case_retention_destroy ON case_retention (destroy_on);

-- A destruction run: proposed (by the daily run or a beheerder), approved
-- by a functioneel beheerder, carried out in one transaction. It is the
-- destruction report afterwards (counts per category and table, kept).
-- status 'bezig' exists only inside the destruction transaction: the
-- triggers below allow deleting history only while a run is 'bezig' and
-- approved, which no other transaction can see.
CREATE TABLE destruction_runs (
    id               INTEGER   PRIMARY KEY,
    status           TEXT      NOT NULL,
    proposed_at      TIMESTAMP NOT NULL,
    proposed_by      INTEGER   REFERENCES users (id),
    proposed_by_name TEXT      NOT NULL DEFAULT '',
    approved_at      TIMESTAMP,
    approved_by      INTEGER   REFERENCES users (id),
    approved_by_name TEXT      NOT NULL DEFAULT '',
    executed_at      TIMESTAMP,
    clients          INTEGER   NOT NULL DEFAULT 0,
    cases            INTEGER   NOT NULL DEFAULT 0,
    report           TEXT      NOT NULL DEFAULT ''
);
CREATE INDEX destruction_runs_status ON destruction_runs (status);

-- The clients a run proposes; removed with the clients when it is carried out.
CREATE TABLE destruction_items (
    run_id     INTEGER NOT NULL REFERENCES destruction_runs (id),
    client_id  INTEGER NOT NULL, -- no reference: the client goes before this row
    destroy_on DATE    NOT NULL,
    PRIMARY KEY (run_id, client_id)
);
CREATE INDEX destruction_items_client ON destruction_items (client_id);

-- Pseudonymised pilot statistics kept when a client's data is destroyed:
-- one row per application, no ids, names or dates that link back.
CREATE TABLE retention_statistics (
    id             INTEGER PRIMARY KEY,
    year           INTEGER NOT NULL,
    target_group   TEXT    NOT NULL DEFAULT '',
    result         TEXT    NOT NULL DEFAULT '',
    dossier_result TEXT    NOT NULL DEFAULT '',
    decision_days  INTEGER,
    guidance_days  INTEGER
);

-- History may be deleted only by an approved destruction run, inside its
-- own transaction; updates stay refused.
DROP TRIGGER events_no_delete;
DROP TRIGGER step_records_no_delete;
DROP TRIGGER contact_moments_no_delete;
DROP TRIGGER notes_no_delete;
DROP TRIGGER documents_no_delete;
DROP TRIGGER voorschotten_no_delete;
DROP TRIGGER plan_evaluations_no_delete;

-- +goose StatementBegin
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
WHEN NOT EXISTS (SELECT 1 FROM destruction_runs WHERE status = 'bezig' AND approved_by IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER step_records_no_delete BEFORE DELETE ON step_records
WHEN NOT EXISTS (SELECT 1 FROM destruction_runs WHERE status = 'bezig' AND approved_by IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, 'step_records are append-only');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER contact_moments_no_delete BEFORE DELETE ON contact_moments
WHEN NOT EXISTS (SELECT 1 FROM destruction_runs WHERE status = 'bezig' AND approved_by IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, 'contact_moments are never deleted');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER notes_no_delete BEFORE DELETE ON notes
WHEN NOT EXISTS (SELECT 1 FROM destruction_runs WHERE status = 'bezig' AND approved_by IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, 'notes are never deleted');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents
WHEN NOT EXISTS (SELECT 1 FROM destruction_runs WHERE status = 'bezig' AND approved_by IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, 'documents are never deleted');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER voorschotten_no_delete BEFORE DELETE ON voorschotten
WHEN NOT EXISTS (SELECT 1 FROM destruction_runs WHERE status = 'bezig' AND approved_by IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, 'voorschotten are never deleted');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER plan_evaluations_no_delete BEFORE DELETE ON plan_evaluations
WHEN NOT EXISTS (SELECT 1 FROM destruction_runs WHERE status = 'bezig' AND approved_by IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, 'plan_evaluations are never deleted');
END;
-- +goose StatementEnd
