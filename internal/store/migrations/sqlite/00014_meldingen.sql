-- +goose Up
-- A melding (Participatiewet art. 41): someone younger than the pilot's
-- minimum age reports that they need support. The application is taken in
-- only after a search period (art. 41 lid 4), so the melding is recorded on
-- its own: the day the client reported, until when they search, how it came
-- in, and the reference they were shown. Keep in step with
-- migrations/postgres/00014_meldingen.sql.
CREATE TABLE meldingen (
    id           INTEGER PRIMARY KEY,
    client_id    INTEGER   NOT NULL REFERENCES clients (id),
    reported_on  DATE      NOT NULL,
    search_until DATE      NOT NULL,
    channel      TEXT      NOT NULL,
    reference    TEXT      NOT NULL DEFAULT '',
    by_user      INTEGER   REFERENCES users (id),
    recorded_at  TIMESTAMP NOT NULL
);
CREATE INDEX meldingen_client ON meldingen (client_id);
