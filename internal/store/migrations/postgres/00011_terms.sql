-- +goose Up
-- The decision term never vanishes (docs/law.md). Keep in step with
-- migrations/sqlite/00011_terms.sql.

-- A suspension is by a request to complete the application (Awb 4:5,
-- 'aanvulling', made by the steps) or by the applicant's written consent
-- ('instemming', on the form; every suspension stored before this was
-- made on that form). A request has its date; every running suspension
-- has the last day it may run (planned_end): the completion term's last
-- day, or the end of the consent.
ALTER TABLE suspensions ADD COLUMN kind text NOT NULL DEFAULT 'instemming';
ALTER TABLE suspensions ADD COLUMN requested_on date;
ALTER TABLE suspensions ADD COLUMN planned_end date;
CREATE INDEX suspensions_running ON suspensions (case_id) WHERE end_on IS NULL;

-- A running suspension stored without an end had no term: it is given the
-- default completion term of 14 days from the day before it started (the
-- day of the request), so its last day is 13 days after its start.
UPDATE suspensions SET planned_end = start_on + 13 WHERE end_on IS NULL;

-- An extension of the decision term (Awb 4:14 lid 3): once, to a date,
-- with its reasons; extension_days is what it adds to the term.
ALTER TABLE cases ADD COLUMN extended_to date;
ALTER TABLE cases ADD COLUMN extended_on date;
ALTER TABLE cases ADD COLUMN extension_days integer NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN extension_reason text NOT NULL DEFAULT '';

-- Open applications whose due date was unknown while a suspension ran get
-- one: receipt + 56 days (the default decision term) + the suspended days.
-- The Algemene termijnenwet moves it at the next recomputation (any change
-- of a suspension or an extension); their tasks with the decision term
-- take the same date.
UPDATE cases SET decision_due = applied_on + 56 + COALESCE((
    SELECT SUM(CASE WHEN s.end_on IS NOT NULL THEN s.end_on - s.start_on
                    ELSE s.planned_end - s.start_on + 1 END)
    FROM suspensions s WHERE s.case_id = cases.id), 0)::integer
WHERE kind = 'aanvraag' AND closed_at IS NULL AND decision_due IS NULL AND applied_on IS NOT NULL;
UPDATE tasks SET due_on = (SELECT c.decision_due FROM cases c WHERE c.id = tasks.application_id)
WHERE status = 'open' AND term = 'decision_term' AND due_on IS NULL;
