-- +goose Up
-- Sign-in: the OpenID Connect subject an account is matched by, the TOTP
-- secret of a local account with the last time step used (a code is
-- accepted once), and its one-time recovery codes, stored hashed. Keep in
-- step with migrations/postgres/00017_sign_in.sql.
ALTER TABLE users ADD COLUMN sso_subject TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX users_sso_subject_key ON users (sso_subject) WHERE sso_subject <> '';

CREATE TABLE recovery_codes (
    id        INTEGER PRIMARY KEY,
    user_id   INTEGER   NOT NULL REFERENCES users (id),
    code_hash TEXT      NOT NULL,
    used_at   TIMESTAMP
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);
