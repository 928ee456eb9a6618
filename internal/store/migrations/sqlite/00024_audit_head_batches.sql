-- +goose Up
-- A transaction that appends several audit rows to a day (a batch of page
-- views) holds the day's head from its first row and writes it once, just
-- before it commits: the head then moves forward by the number of rows,
-- not by one. It still only moves forward; a head ahead of its day's rows
-- is what the chain's verification reports. The first append of a
-- transaction reads the head with an upsert that changes nothing, which
-- the trigger lets through. Keep in step with the other engine's
-- 00024_audit_head_batches.sql.
DROP TRIGGER audit_heads_forward;
-- +goose StatementBegin
CREATE TRIGGER audit_heads_forward BEFORE UPDATE ON audit_heads
WHEN NEW.day <> OLD.day OR NOT (NEW.seq > OLD.seq OR (NEW.seq = OLD.seq AND NEW.hash = OLD.hash))
BEGIN
    SELECT RAISE(ABORT, 'audit_heads only move forward');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER audit_heads_forward;
-- +goose StatementBegin
CREATE TRIGGER audit_heads_forward BEFORE UPDATE ON audit_heads
WHEN NEW.day <> OLD.day OR NEW.seq <> OLD.seq + 1
BEGIN
    SELECT RAISE(ABORT, 'audit_heads only move forward');
END;
-- +goose StatementEnd
