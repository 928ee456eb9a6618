-- +goose Up
-- SQLite lets a primary key column that is not an INTEGER PRIMARY KEY hold
-- NULL unless it is declared NOT NULL, which 00001 did not do for
-- process_definitions.version and sessions.token; PostgreSQL refuses NULL in
-- any primary key. TestSchemasMatch found the difference. SQLite cannot add
-- NOT NULL to a column, so both tables are built again with it. A row with a
-- NULL key could never be found (= NULL matches nothing) and the store never
-- writes one; such rows are left behind. No foreign key points at these
-- tables. Keep in step with migrations/postgres/00005_not_null_keys.sql.
CREATE TABLE process_definitions_new (
    version TEXT      NOT NULL PRIMARY KEY,
    body    BLOB      NOT NULL
);
INSERT INTO process_definitions_new (version, body)
    SELECT version, body FROM process_definitions WHERE version IS NOT NULL;
DROP TABLE process_definitions;
ALTER TABLE process_definitions_new RENAME TO process_definitions;

CREATE TABLE sessions_new (
    token  TEXT      NOT NULL PRIMARY KEY,
    data   BLOB      NOT NULL,
    expiry TIMESTAMP NOT NULL
);
INSERT INTO sessions_new (token, data, expiry)
    SELECT token, data, expiry FROM sessions WHERE token IS NOT NULL;
DROP TABLE sessions;
ALTER TABLE sessions_new RENAME TO sessions;
CREATE INDEX sessions_expiry ON sessions (expiry);
