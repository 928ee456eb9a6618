-- +goose Up
-- Appointments have a life: planned, held or missed (a no-show); a
-- cancelled one keeps cancelled = true. Keep in step with
-- migrations/sqlite/00010_appointment_life.sql.
ALTER TABLE appointments ADD COLUMN status text NOT NULL DEFAULT 'gepland';

-- A plan row is the trajectory: the row of the plan van aanpak it comes
-- from. A registration with a provider is made for a trajectory (or on its
-- own), and may be finished after the dossier closed.
ALTER TABLE trajectories ADD COLUMN plan_row integer;
ALTER TABLE registrations ADD COLUMN trajectory_id bigint REFERENCES trajectories (id);
ALTER TABLE registrations ADD COLUMN may_finish boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX trajectories_plan_row ON trajectories (case_id, plan_row);
CREATE UNIQUE INDEX registrations_trajectory ON registrations (trajectory_id);

