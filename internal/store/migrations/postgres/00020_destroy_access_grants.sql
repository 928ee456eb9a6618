-- +goose Up
-- Destruction (docs/security.md, "Retention and destruction") removes a
-- client's break-the-glass grants too. On PostgreSQL nothing changes: the
-- trigger of access_grants (00016) calls refuse_history_change(), which
-- 00019 made let a delete through only during an approved destruction run.
-- The version is kept in step with migrations/sqlite/00020_destroy_access_grants.sql.
SELECT 1;
