-- +goose Up
-- A transaction that appends several audit rows to a day (a batch of page
-- views) holds the day's head from its first row and writes it once, just
-- before it commits: the head then moves forward by the number of rows,
-- not by one. It still only moves forward; a head ahead of its day's rows
-- is what the chain's verification reports. The first append of a
-- transaction reads and locks the head with an upsert that changes
-- nothing, which the trigger lets through. Keep in step with the other
-- engine's 00024_audit_head_batches.sql.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME IN ('audit_log', 'audit_heads', 'processing_log')
       AND EXISTS (SELECT 1 FROM audit_purges WHERE day = OLD.day) THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'audit_heads' AND NEW.day = OLD.day
       AND (NEW.seq > OLD.seq OR (NEW.seq = OLD.seq AND NEW.hash = OLD.hash)) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME IN ('audit_log', 'audit_heads', 'processing_log')
       AND EXISTS (SELECT 1 FROM audit_purges WHERE day = OLD.day) THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'audit_heads'
       AND NEW.day = OLD.day AND NEW.seq = OLD.seq + 1 THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
-- +goose StatementEnd
