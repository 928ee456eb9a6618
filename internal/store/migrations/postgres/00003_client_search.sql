-- +goose Up
-- Name search that folds case and accents alike on both engines. The store
-- writes each client's name in one normalised form (searchName in
-- names.go) and searches and sorts on these columns instead of on LOWER and
-- collations, which differ between the engines. Rows that exist get their
-- values from the Go migration 00004 (goMigrations in names.go), which has
-- no file here. Keep in step with
-- migrations/sqlite/00003_client_search.sql.
--
-- COLLATE "C" compares byte by byte, as SQLite does, so clients sort alike
-- on both engines whatever the locale of the database.
ALTER TABLE clients ADD COLUMN search_name text COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN sort_name text COLLATE "C" NOT NULL DEFAULT '';
-- Lists in name order with a limit read the index in order. Searches match
-- anywhere in the name (LIKE '%…%'), which no b-tree index helps.
CREATE INDEX clients_sort_name ON clients (sort_name, id);
