-- +goose Up
-- The plan van aanpak as the client signed it (Participatiewet art. 44a):
-- each version with a signature date names its document, an uploaded scan
-- or the plan printed (or made) with that date. Keep in step with
-- migrations/postgres/00015_signed_plan.sql.
ALTER TABLE plans ADD COLUMN signed_document_id INTEGER REFERENCES documents (id);
