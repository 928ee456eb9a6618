-- +goose Up
-- A client's contact details beyond the application: how they prefer to be
-- contacted (email, post or telefoon), a contact person or interpreter need
-- (free text), and a version that every change of the details raises, so
-- that a colleague's change in between is a conflict, never overwritten.
-- Clients there are prefer e-mail when they have an address, else post.
-- Messages to clients without an address were marked failed; they are
-- letters to print (per_post). Keep in step with
-- migrations/postgres/00009_client_details.sql.
ALTER TABLE clients ADD COLUMN preferred_channel TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN contact_person TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
UPDATE clients SET preferred_channel = CASE WHEN email <> '' THEN 'email' ELSE 'post' END;
UPDATE messages SET status = 'per_post', last_error = ''
    WHERE status = 'mislukt' AND to_addr = '' AND attempts = 0 AND client_id IS NOT NULL;
