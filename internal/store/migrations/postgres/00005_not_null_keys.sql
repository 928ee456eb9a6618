-- +goose Up
-- The SQLite migration of the same number rebuilds process_definitions and
-- sessions so that their primary keys refuse NULL, as PostgreSQL's always
-- have. Here the statements only say so, and change nothing: a primary key
-- column is NOT NULL already. Keep in step with
-- migrations/sqlite/00005_not_null_keys.sql.
ALTER TABLE process_definitions ALTER COLUMN version SET NOT NULL;
ALTER TABLE sessions ALTER COLUMN token SET NOT NULL;
