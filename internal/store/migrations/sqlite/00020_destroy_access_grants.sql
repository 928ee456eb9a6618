-- +goose Up
-- Destruction (docs/security.md, "Retention and destruction") removes a
-- client's break-the-glass grants too: they hold the reason a colleague
-- gave, which may describe the client. Like the history's, the
-- append-only trigger of access_grants lets a delete through only while an
-- approved destruction run is busy inside its own transaction (00019).
-- Keep in step with migrations/postgres/00020_destroy_access_grants.sql.
DROP TRIGGER access_grants_no_delete;

-- +goose StatementBegin
CREATE TRIGGER access_grants_no_delete BEFORE DELETE ON access_grants
WHEN NOT EXISTS (SELECT 1 FROM destruction_runs WHERE status = 'bezig' AND approved_by IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, 'access_grants are append-only');
END;
-- +goose StatementEnd
