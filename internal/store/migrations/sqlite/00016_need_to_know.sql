-- +goose Up
-- Need-to-know (docs/security.md, "Authorisation and need-to-know"). Keep
-- in step with migrations/postgres/00016_need_to_know.sql.
--
-- access_grants: a caseworker who opened a client's file outside
-- need-to-know, with the reason they gave (break the glass). Append-only,
-- like the history: a grant is never changed; it ends at valid_until.
CREATE TABLE access_grants (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER   NOT NULL REFERENCES users (id),
    client_id   INTEGER   NOT NULL REFERENCES clients (id),
    reason      TEXT      NOT NULL,
    granted_at  TIMESTAMP NOT NULL,
    valid_until TIMESTAMP NOT NULL
);
CREATE INDEX access_grants_client_user ON access_grants (client_id, user_id, valid_until);
CREATE INDEX access_grants_granted ON access_grants (granted_at);

-- +goose StatementBegin
CREATE TRIGGER access_grants_no_update BEFORE UPDATE ON access_grants
BEGIN
    SELECT RAISE(ABORT, 'access_grants are append-only');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER access_grants_no_delete BEFORE DELETE ON access_grants
BEGIN
    SELECT RAISE(ABORT, 'access_grants are append-only');
END;
-- +goose StatementEnd

-- "Worked on the client lately": a user's history lines on a client.
CREATE INDEX events_client_actor ON events (client_id, actor_id, occurred_at);

-- System accounts get their own role: the e-forms system account held
-- Ondersteuner Poortwachter, which let it read client files; it now holds
-- eformulier only (submit applications and meldingen, read their status).
UPDATE users SET roles = 'eformulier'
    WHERE is_system = 1 AND (',' || roles || ',') LIKE '%,ondersteuner_poortwachter,%';
