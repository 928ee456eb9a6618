-- +goose Up
-- Delivery: mail parts and attachments in the outbox, a dedupe key for
-- derived messages (reminders, digests), calendar identity of appointments,
-- scheduled reminders and the daily-digest choice. Keep in step with
-- migrations/postgres/00002_delivery.sql. River's own tables are created by
-- rivermigrate after these migrations (see Migrate).
ALTER TABLE messages ADD COLUMN to_name TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN html TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN attachment_name TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN attachment_type TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN attachment TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN dedupe_key TEXT;
ALTER TABLE messages ADD COLUMN next_attempt_at TIMESTAMP;
ALTER TABLE messages ADD COLUMN updated_at TIMESTAMP;
CREATE UNIQUE INDEX messages_dedupe_key ON messages (dedupe_key) WHERE dedupe_key IS NOT NULL;

ALTER TABLE appointments ADD COLUMN uid TEXT NOT NULL DEFAULT '';
ALTER TABLE appointments ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
UPDATE appointments SET uid = 'afspraak-' || id || '@werkdiagnose.invalid' WHERE uid = '';

ALTER TABLE users ADD COLUMN daily_digest INTEGER NOT NULL DEFAULT 0;

CREATE TABLE reminders (
    id         INTEGER PRIMARY KEY,
    kind       TEXT      NOT NULL,
    task_id    INTEGER   REFERENCES tasks (id),
    case_id    INTEGER   NOT NULL REFERENCES cases (id),
    due_on     DATE      NOT NULL,
    send_at    TIMESTAMP NOT NULL,
    status     TEXT      NOT NULL,
    note       TEXT      NOT NULL DEFAULT '',
    message_id INTEGER   REFERENCES messages (id),
    created_at TIMESTAMP NOT NULL,
    done_at    TIMESTAMP
);
-- One reminder of a kind per task (or case) and due date, whatever the
-- number of instances scheduling it.
CREATE UNIQUE INDEX reminders_once ON reminders (kind, COALESCE(task_id, 0), case_id, due_on);
CREATE INDEX reminders_task ON reminders (task_id);
CREATE INDEX reminders_case ON reminders (case_id);
