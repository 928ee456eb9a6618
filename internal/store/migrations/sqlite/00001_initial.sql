-- +goose Up
-- The pilot's schema for SQLite. Keep it in step with
-- migrations/postgres/00001_initial.sql: same tables, columns, constraint
-- subjects and triggers. Migrations are forward-only: change the schema in a
-- new numbered file, never here.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT      NOT NULL CONSTRAINT users_username_key UNIQUE,
    name          TEXT      NOT NULL DEFAULT '',
    email         TEXT      NOT NULL DEFAULT '',
    roles         TEXT      NOT NULL DEFAULT '',
    password_hash TEXT      NOT NULL DEFAULT '',
    active        INTEGER   NOT NULL DEFAULT 1,
    is_system     INTEGER   NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL
);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER   NOT NULL REFERENCES users (id),
    name         TEXT      NOT NULL DEFAULT '',
    prefix       TEXT      NOT NULL DEFAULT '',
    hash         TEXT      NOT NULL CONSTRAINT api_tokens_hash_key UNIQUE,
    created_by   INTEGER   REFERENCES users (id),
    created_at   TIMESTAMP NOT NULL,
    revoked_at   TIMESTAMP,
    last_used_at TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE process_definitions (
    version TEXT      PRIMARY KEY,
    body    BLOB      NOT NULL
);

CREATE TABLE clients (
    id          INTEGER PRIMARY KEY,
    bsn         TEXT      CONSTRAINT clients_bsn_key UNIQUE,
    given_name  TEXT      NOT NULL DEFAULT '',
    family_name TEXT      NOT NULL DEFAULT '',
    birth_date  DATE,
    email       TEXT      NOT NULL DEFAULT '',
    phone       TEXT      NOT NULL DEFAULT '',
    address     TEXT      NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL
);

CREATE TABLE cases (
    id                 INTEGER PRIMARY KEY,
    client_id          INTEGER   NOT NULL REFERENCES clients (id),
    kind               TEXT      NOT NULL,
    code               TEXT      NOT NULL DEFAULT '',
    worklist           TEXT      NOT NULL DEFAULT '',
    status             TEXT      NOT NULL DEFAULT '',
    definition_version TEXT      NOT NULL DEFAULT '',
    application_id     INTEGER   REFERENCES cases (id),
    channel            TEXT      NOT NULL DEFAULT '',
    applied_on         DATE,
    reported_on        DATE,
    target_group       TEXT      NOT NULL DEFAULT '',
    decision_outcome   TEXT      NOT NULL DEFAULT '',
    decision_on        DATE,
    decision_reason    TEXT      NOT NULL DEFAULT '',
    decision_due       DATE,
    dossier_owner      INTEGER   REFERENCES users (id),
    segment            TEXT      NOT NULL DEFAULT '',
    opened_at          TIMESTAMP,
    closed_at          TIMESTAMP,
    version            INTEGER   NOT NULL DEFAULT 1
);
CREATE INDEX cases_client ON cases (client_id);
CREATE INDEX cases_application ON cases (application_id);
CREATE INDEX cases_dossier_owner ON cases (dossier_owner);
-- A client has at most one open application.
CREATE UNIQUE INDEX cases_open_application ON cases (client_id)
    WHERE closed_at IS NULL AND kind = 'aanvraag';

CREATE TABLE tasks (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER   NOT NULL REFERENCES cases (id),
    case_id        INTEGER   NOT NULL REFERENCES cases (id),
    client_id      INTEGER   NOT NULL REFERENCES clients (id),
    step           TEXT      NOT NULL,
    from_step      TEXT      NOT NULL DEFAULT '',
    team           TEXT      NOT NULL DEFAULT '',
    worklist       TEXT      NOT NULL DEFAULT '',
    holder_id      INTEGER   REFERENCES users (id),
    status         TEXT      NOT NULL,
    term           TEXT      NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL,
    due_on         DATE,
    completed_at   TIMESTAMP,
    completed_by   INTEGER   REFERENCES users (id),
    outcome        TEXT      NOT NULL DEFAULT '',
    late_reason    TEXT      NOT NULL DEFAULT '',
    version        INTEGER   NOT NULL DEFAULT 1
);
CREATE INDEX tasks_status_team ON tasks (status, team);
CREATE INDEX tasks_holder ON tasks (holder_id);
CREATE INDEX tasks_application ON tasks (application_id);
CREATE INDEX tasks_case ON tasks (case_id);
CREATE INDEX tasks_client ON tasks (client_id);

CREATE TABLE step_records (
    id             INTEGER PRIMARY KEY,
    task_id        INTEGER   REFERENCES tasks (id),
    application_id INTEGER   NOT NULL REFERENCES cases (id),
    case_id        INTEGER   REFERENCES cases (id),
    step           TEXT      NOT NULL,
    fields         TEXT      NOT NULL DEFAULT '{}',
    actor_id       INTEGER   REFERENCES users (id),
    actor_name     TEXT      NOT NULL DEFAULT '',
    recorded_at    TIMESTAMP NOT NULL
);
CREATE INDEX step_records_application ON step_records (application_id);

CREATE TABLE plans (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER   NOT NULL REFERENCES cases (id),
    version       INTEGER   NOT NULL,
    situation     TEXT      NOT NULL DEFAULT '',
    ladder_now    INTEGER   NOT NULL DEFAULT 0,
    ladder_target INTEGER   NOT NULL DEFAULT 0,
    segment       TEXT      NOT NULL DEFAULT '',
    goals         TEXT      NOT NULL DEFAULT '',
    obligations   TEXT      NOT NULL DEFAULT '',
    consequences  TEXT      NOT NULL DEFAULT '',
    trajectories  TEXT      NOT NULL DEFAULT '[]',
    evaluation_on DATE,
    signed_on     DATE,
    author_id     INTEGER   REFERENCES users (id),
    created_at    TIMESTAMP NOT NULL,
    CONSTRAINT plans_case_version_key UNIQUE (case_id, version)
);

CREATE TABLE trajectories (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER   NOT NULL REFERENCES cases (id),
    provider   TEXT      NOT NULL DEFAULT '',
    title      TEXT      NOT NULL DEFAULT '',
    status     TEXT      NOT NULL DEFAULT '',
    start_on   DATE,
    end_on     DATE,
    result     TEXT      NOT NULL DEFAULT '',
    may_finish INTEGER   NOT NULL DEFAULT 0,
    created_by INTEGER   REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX trajectories_case ON trajectories (case_id);

CREATE TABLE activities (
    id            INTEGER PRIMARY KEY,
    trajectory_id INTEGER   NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
    description   TEXT      NOT NULL DEFAULT '',
    due_on        DATE
);
CREATE INDEX activities_trajectory ON activities (trajectory_id);

CREATE TABLE registrations (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER   NOT NULL REFERENCES cases (id),
    provider   TEXT      NOT NULL DEFAULT '',
    status     TEXT      NOT NULL DEFAULT '',
    on_date    DATE,
    note       TEXT      NOT NULL DEFAULT '',
    created_by INTEGER   REFERENCES users (id),
    updated_at TIMESTAMP,
    version    INTEGER   NOT NULL DEFAULT 1
);
CREATE INDEX registrations_case ON registrations (case_id);

CREATE TABLE appointments (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER   REFERENCES cases (id),
    client_id       INTEGER   NOT NULL REFERENCES clients (id),
    kind            TEXT      NOT NULL DEFAULT '',
    start_at        TIMESTAMP NOT NULL,
    end_at          TIMESTAMP NOT NULL,
    room            TEXT      NOT NULL DEFAULT '',
    klantmanager_id INTEGER   REFERENCES users (id),
    cancelled       INTEGER   NOT NULL DEFAULT 0,
    created_by      INTEGER   REFERENCES users (id),
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX appointments_client ON appointments (client_id);

-- One row per booked slot: the primary keys refuse a double booking of a
-- room or a klantmanager, even between concurrent transactions.
CREATE TABLE room_slots (
    room           TEXT      NOT NULL,
    slot           TIMESTAMP NOT NULL,
    appointment_id INTEGER   NOT NULL REFERENCES appointments (id),
    CONSTRAINT room_slots_pkey PRIMARY KEY (room, slot)
);
CREATE INDEX room_slots_appointment ON room_slots (appointment_id);

CREATE TABLE person_slots (
    user_id        INTEGER   NOT NULL REFERENCES users (id),
    slot           TIMESTAMP NOT NULL,
    appointment_id INTEGER   NOT NULL REFERENCES appointments (id),
    CONSTRAINT person_slots_pkey PRIMARY KEY (user_id, slot)
);
CREATE INDEX person_slots_appointment ON person_slots (appointment_id);

CREATE TABLE suspensions (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER   NOT NULL REFERENCES cases (id),
    start_on    DATE      NOT NULL,
    end_on      DATE,
    reason      TEXT      NOT NULL DEFAULT '',
    by_user     INTEGER   REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX suspensions_case ON suspensions (case_id);

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    client_id   INTEGER   REFERENCES clients (id),
    case_id     INTEGER   REFERENCES cases (id),
    task_id     INTEGER   REFERENCES tasks (id),
    kind        TEXT      NOT NULL,
    summary     TEXT      NOT NULL DEFAULT '',
    reason      TEXT      NOT NULL DEFAULT '',
    actor_id    INTEGER   REFERENCES users (id),
    actor_name  TEXT      NOT NULL DEFAULT '',
    occurred_at TIMESTAMP NOT NULL
);
CREATE INDEX events_client ON events (client_id, occurred_at);

CREATE TABLE messages (
    id         INTEGER PRIMARY KEY,
    client_id  INTEGER   REFERENCES clients (id),
    case_id    INTEGER   REFERENCES cases (id),
    task_id    INTEGER   REFERENCES tasks (id),
    kind       TEXT      NOT NULL DEFAULT '',
    from_addr  TEXT      NOT NULL DEFAULT '',
    to_addr    TEXT      NOT NULL DEFAULT '',
    subject    TEXT      NOT NULL DEFAULT '',
    body       TEXT      NOT NULL DEFAULT '',
    status     TEXT      NOT NULL,
    attempts   INTEGER   NOT NULL DEFAULT 0,
    last_error TEXT      NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    sent_at    TIMESTAMP,
    message_id TEXT      NOT NULL DEFAULT ''
);
CREATE INDEX messages_status ON messages (status);
CREATE INDEX messages_case ON messages (case_id);
CREATE INDEX messages_client ON messages (client_id);

CREATE TABLE sessions (
    token  TEXT      PRIMARY KEY,
    data   BLOB      NOT NULL,
    expiry TIMESTAMP NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);

-- History is append-only: the database itself refuses to change it.
-- +goose StatementBegin
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER step_records_no_update BEFORE UPDATE ON step_records
BEGIN
    SELECT RAISE(ABORT, 'step_records are append-only');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER step_records_no_delete BEFORE DELETE ON step_records
BEGIN
    SELECT RAISE(ABORT, 'step_records are append-only');
END;
-- +goose StatementEnd
