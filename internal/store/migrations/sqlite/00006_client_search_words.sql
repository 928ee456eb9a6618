-- +goose Up
-- Client search in under 50 ms at 100 000 clients: SearchClients in
-- search.go, measured by BenchmarkClientSearch. Keep in step with
-- migrations/postgres/00006_client_search_words.sql.
--
-- A name is searched by the beginnings of its words: every word typed must
-- begin a word of the name, in any order, so "jan jans", "jansen jan" and
-- "vries" find Jan Jansen-de Vries. A match anywhere inside the name
-- (LIKE '%…%', as before) reads every client: no b-tree index helps a
-- leading %, and SQLite has nothing else. A word prefix is one range of an
-- ordinary index on both engines.
--
-- client_words holds each client's distinct words: clients.search_name
-- (folded already: lower case, no accents, single spaces) split at the
-- separators of nameWords in search.go. Each word carries its client's
-- sort_name, so a search sorts the matches of a word from the index alone
-- and reads clients for the first hundred only.
CREATE TABLE client_words (
    client_id INTEGER NOT NULL REFERENCES clients (id),
    word      TEXT    NOT NULL,
    sort_name TEXT    NOT NULL,
    PRIMARY KEY (client_id, word)
);
CREATE INDEX client_words_word ON client_words (word, sort_name, client_id);

-- The words of the clients there are, split exactly as nameWords splits:
-- the separators become spaces, empty pieces are dropped. SQLite has no
-- split function: a recursive query takes one word off the front at a time.
WITH RECURSIVE pieces (client_id, sort_name, word, rest) AS (
    SELECT id, sort_name, '',
        replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
            search_name, '-', ' '), '''', ' '), '’', ' '), '‘', ' '), '.', ' '), ',', ' '), '/', ' '),
            '(', ' '), ')', ' '), '‐', ' '), '–', ' ') || ' '
    FROM clients
    UNION ALL
    SELECT client_id, sort_name, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
    FROM pieces WHERE rest <> ''
)
INSERT INTO client_words (client_id, word, sort_name)
SELECT DISTINCT client_id, word, sort_name FROM pieces WHERE word <> '';

-- By date of birth, in name order.
CREATE INDEX clients_birth_date ON clients (birth_date, sort_name, id);

-- Where the found clients stand: their open tasks. Without statistics
-- SQLite otherwise reads every open task through tasks_status_team; the
-- new index also serves all tasks_client did.
CREATE INDEX tasks_client_status ON tasks (client_id, status);
DROP INDEX tasks_client;
