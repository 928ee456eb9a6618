-- +goose Up
-- A client's contact history: contact moments (by telephone, visit, letter
-- or e-mail, in or out) and notes, each on one case of the client (0/L2 or
-- 17/PA). Their author may change them for 24 hours (casework's rule); each
-- change raises the version and the earlier text goes into the client's
-- history (events), which stays append-only. They are never deleted. Keep
-- in step with migrations/postgres/00007_contacts.sql.
CREATE TABLE contact_moments (
    id          INTEGER PRIMARY KEY,
    client_id   INTEGER   NOT NULL REFERENCES clients (id),
    case_id     INTEGER   NOT NULL REFERENCES cases (id),
    kind        TEXT      NOT NULL,
    direction   TEXT      NOT NULL,
    contact_at  TIMESTAMP NOT NULL,
    summary     TEXT      NOT NULL DEFAULT '',
    author_id   INTEGER   NOT NULL REFERENCES users (id),
    author_name TEXT      NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP,
    version     INTEGER   NOT NULL DEFAULT 1
);
CREATE INDEX contact_moments_client ON contact_moments (client_id, contact_at);

CREATE TABLE notes (
    id          INTEGER PRIMARY KEY,
    client_id   INTEGER   NOT NULL REFERENCES clients (id),
    case_id     INTEGER   NOT NULL REFERENCES cases (id),
    body        TEXT      NOT NULL DEFAULT '',
    author_id   INTEGER   NOT NULL REFERENCES users (id),
    author_name TEXT      NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP,
    version     INTEGER   NOT NULL DEFAULT 1
);
CREATE INDEX notes_client ON notes (client_id, created_at);

-- +goose StatementBegin
CREATE TRIGGER contact_moments_no_delete BEFORE DELETE ON contact_moments
BEGIN
    SELECT RAISE(ABORT, 'contact_moments are never deleted');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER notes_no_delete BEFORE DELETE ON notes
BEGIN
    SELECT RAISE(ABORT, 'notes are never deleted');
END;
-- +goose StatementEnd
