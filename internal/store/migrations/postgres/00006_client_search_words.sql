-- +goose Up
-- Client search in under 50 ms at 100 000 clients: SearchClients in
-- search.go, measured by BenchmarkClientSearch. Keep in step with
-- migrations/sqlite/00006_client_search_words.sql.
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
-- and reads clients for the first hundred only. COLLATE "C" compares
-- byte by byte, as SQLite does: a prefix is one range on both engines.
CREATE TABLE client_words (
    client_id bigint NOT NULL REFERENCES clients (id),
    word      text COLLATE "C" NOT NULL,
    sort_name text COLLATE "C" NOT NULL,
    PRIMARY KEY (client_id, word)
);
CREATE INDEX client_words_word ON client_words (word, sort_name, client_id);

-- The words of the clients there are, split exactly as nameWords splits:
-- the separators become spaces, empty pieces are dropped.
INSERT INTO client_words (client_id, word, sort_name)
SELECT DISTINCT c.id, w.word, c.sort_name
FROM clients c,
     unnest(string_to_array(translate(c.search_name, '-''’‘.,/()‐–', '           '), ' ')) AS w(word)
WHERE w.word <> '';

-- By date of birth, in name order.
CREATE INDEX clients_birth_date ON clients (birth_date, sort_name, id);

-- Where the found clients stand: their open tasks. Without statistics
-- SQLite otherwise reads every open task through tasks_status_team; the
-- new index also serves all tasks_client did.
CREATE INDEX tasks_client_status ON tasks (client_id, status);
DROP INDEX tasks_client;
