-- +goose Up
-- A client's own rows first. A step, the client page and the access check
-- ask for the open tasks of a client that a user holds, and the open
-- dossiers of a client that a user owns. With the client and the holder
-- (or owner) in separate indexes, SQLite, which keeps no statistics here,
-- took the holder's index and read every open task of a caseworker who
-- holds hundreds (and every dossier of a klantmanager) to find the one
-- client's. With the holder and owner after the client, one index gives
-- each of these a few rows, in deadline order. The same on both engines:
-- keep in step with the other engine's 00022_client_indexes.sql.
DROP INDEX tasks_client_status;
CREATE INDEX tasks_client_status ON tasks (client_id, status, holder_id, due_on, id);
DROP INDEX cases_client;
CREATE INDEX cases_client ON cases (client_id, closed_at, dossier_owner);

