-- +goose Up
-- Reminders are fired by a sweep, not by a River job each: the worker
-- looks every minute (worker.reminder_interval) for the planned reminders
-- whose time has come (store DueReminders). This index holds the planned
-- ones only, in send-time order, so the sweep reads the due ones and
-- stops. The condition is written with the literal status, as the query
-- is. The same on both engines: keep in step with the other engine's
-- 00023_reminders_due.sql.
CREATE INDEX reminders_due ON reminders (send_at, id) WHERE status = 'gepland';
