-- +goose Up
-- Documents of a client: the letters the system makes (kind is the
-- process.LetterKey) and the files caseworkers upload (kind 'upload'). A
-- letter keeps its HTML from the moment it is made; its PDF is rendered
-- later, outside the transaction that made it, and cached in content. The
-- bytes are read only to download or mail one document, never in lists.
-- A letter goes by e-mail (message_id: the outbox message it went with) or
-- by post: then it waits to be printed until Team Ondersteuning records
-- it posted (posted_at, posted_by). Documents are never deleted. Keep in
-- step with migrations/postgres/00012_documents.sql.
CREATE TABLE documents (
    id              INTEGER PRIMARY KEY,
    client_id       INTEGER   NOT NULL REFERENCES clients (id),
    case_id         INTEGER   REFERENCES cases (id),
    kind            TEXT      NOT NULL,
    title           TEXT      NOT NULL,
    file_name       TEXT      NOT NULL,
    content_type    TEXT      NOT NULL DEFAULT '',
    size            INTEGER   NOT NULL DEFAULT 0,
    sha256          TEXT      NOT NULL DEFAULT '',
    content         BLOB,
    html            TEXT      NOT NULL DEFAULT '',
    channel         TEXT      NOT NULL DEFAULT '',
    status          TEXT      NOT NULL,
    message_id      INTEGER   REFERENCES messages (id),
    posted_at       TIMESTAMP,
    posted_by       INTEGER   REFERENCES users (id),
    posted_by_name  TEXT      NOT NULL DEFAULT '',
    created_by      INTEGER   REFERENCES users (id),
    created_by_name TEXT      NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    rendered_at     TIMESTAMP
);
CREATE INDEX documents_client ON documents (client_id, created_at);
CREATE INDEX documents_message ON documents (message_id);
CREATE INDEX documents_status ON documents (client_id, status);

-- +goose StatementBegin
CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents
BEGIN
    SELECT RAISE(ABORT, 'documents are never deleted');
END;
-- +goose StatementEnd
