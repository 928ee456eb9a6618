-- +goose Up
-- Indexes for the paged lists (keyset pagination: each page is a range of
-- one of these, in the list's order, so a page stops after its rows
-- instead of sorting every row of the filter). The same on both engines:
-- keep in step with the other engine's 00021_list_indexes.sql.

-- The team worklist: the open tasks of a team by deadline (the default
-- sort), and of several teams or all of them (team leads).
CREATE INDEX tasks_open_team_due ON tasks (team, due_on, id) WHERE status = 'open';
CREATE INDEX tasks_open_due ON tasks (due_on, id) WHERE status = 'open';
-- Mijn werkvoorraad and its count in the navigation; it starts with the
-- holder, so it replaces tasks_holder (holder_id).
DROP INDEX tasks_holder;
CREATE INDEX tasks_holder_status_due ON tasks (holder_id, status, due_on, id);

-- The caseload (Mijn dossiers, dossiers per klantmanager): the open
-- participation cases, of one owner or all, without reading closed ones.
CREATE INDEX cases_open_kind_owner ON cases (kind, dossier_owner) WHERE closed_at IS NULL;

-- The outbox, newest first, of every status or one.
CREATE INDEX messages_created ON messages (created_at, id);
DROP INDEX messages_status;
CREATE INDEX messages_status ON messages (status, created_at, id);

-- A client's history, in order.
DROP INDEX events_client;
CREATE INDEX events_client ON events (client_id, occurred_at, id);

-- The audit log per client and per actor, newest first (day, seq).
DROP INDEX audit_log_client;
DROP INDEX audit_log_actor;
CREATE INDEX audit_log_client ON audit_log (client_id, day, seq);
CREATE INDEX audit_log_actor ON audit_log (actor_id, day, seq);
