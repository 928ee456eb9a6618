-- +goose Up
-- The audit log (BIO2 8.15) and the processing log (Logboek
-- Dataverwerkingen). Keep in step with migrations/postgres/00018_audit_log.sql.
--
-- audit_log: one row per read of client data and per change, with ids only
-- (never a name, a BSN or free text). Each row holds the hash of the row
-- before it on the same day (prev_hash) and its own hash over its fields
-- (casework.AuditHash), numbered per day (seq). audit_heads holds each day's
-- last seq and hash: appending locks it, so the chain has one order, and it
-- shows a deleted last row. No foreign keys: the log outlives what it names.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    day        TEXT      NOT NULL,
    seq        INTEGER   NOT NULL,
    at         TIMESTAMP NOT NULL,
    actor_id   INTEGER,
    actor_kind TEXT      NOT NULL,
    action     TEXT      NOT NULL,
    channel    TEXT      NOT NULL,
    client_id  INTEGER,
    case_id    INTEGER,
    task_id    INTEGER,
    result     TEXT      NOT NULL,
    status     INTEGER,
    address    TEXT      NOT NULL,
    trace_id   TEXT      NOT NULL,
    prev_hash  TEXT      NOT NULL,
    hash       TEXT      NOT NULL
);
CREATE UNIQUE INDEX audit_log_day_seq ON audit_log (day, seq);
CREATE INDEX audit_log_client ON audit_log (client_id, day);
CREATE INDEX audit_log_actor ON audit_log (actor_id, day);
CREATE INDEX audit_log_trace ON audit_log (trace_id);

CREATE TABLE audit_heads (
    day  TEXT    NOT NULL PRIMARY KEY,
    seq  INTEGER NOT NULL,
    hash TEXT    NOT NULL
);

-- audit_purges records each day the retention purge removed, with its
-- number of rows and last hash. Only a day recorded here may be deleted
-- from the logs: the purge removes whole days, so every day that remains
-- verifies on its own.
CREATE TABLE audit_purges (
    day       TEXT      NOT NULL PRIMARY KEY,
    purged_at TIMESTAMP NOT NULL,
    row_count INTEGER   NOT NULL,
    head_hash TEXT      NOT NULL
);

-- processing_log: one record per processing action per data subject, no
-- user identity; linked to audit_log by trace_id.
CREATE TABLE processing_log (
    id             INTEGER PRIMARY KEY,
    day            TEXT      NOT NULL,
    trace_id       TEXT      NOT NULL,
    span_id        TEXT      NOT NULL,
    parent_span_id TEXT      NOT NULL,
    name           TEXT      NOT NULL,
    status         TEXT      NOT NULL,
    started_at     TIMESTAMP NOT NULL,
    ended_at       TIMESTAMP NOT NULL,
    activity_id    TEXT      NOT NULL,
    subject_id     TEXT      NOT NULL
);
CREATE INDEX processing_log_trace ON processing_log (trace_id);
CREATE INDEX processing_log_day ON processing_log (day);

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN NOT EXISTS (SELECT 1 FROM audit_purges WHERE day = OLD.day)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER audit_heads_forward BEFORE UPDATE ON audit_heads
WHEN NEW.day <> OLD.day OR NEW.seq <> OLD.seq + 1
BEGIN
    SELECT RAISE(ABORT, 'audit_heads only move forward');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER audit_heads_no_delete BEFORE DELETE ON audit_heads
WHEN NOT EXISTS (SELECT 1 FROM audit_purges WHERE day = OLD.day)
BEGIN
    SELECT RAISE(ABORT, 'audit_heads are append-only');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER audit_purges_no_update BEFORE UPDATE ON audit_purges
BEGIN
    SELECT RAISE(ABORT, 'audit_purges are append-only');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER audit_purges_no_delete BEFORE DELETE ON audit_purges
BEGIN
    SELECT RAISE(ABORT, 'audit_purges are append-only');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER processing_log_no_update BEFORE UPDATE ON processing_log
BEGIN
    SELECT RAISE(ABORT, 'processing_log is append-only');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER processing_log_no_delete BEFORE DELETE ON processing_log
WHEN NOT EXISTS (SELECT 1 FROM audit_purges WHERE day = OLD.day)
BEGIN
    SELECT RAISE(ABORT, 'processing_log is append-only');
END;
-- +goose StatementEnd
