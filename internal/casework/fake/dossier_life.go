package fake

import (
	"context"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// LifeFns are the functions of a dossier's and an appointment's life
// (registering a trajectory, closing a dossier, recording an appointment
// as held or missed), embedded in Service: set them as svc.CloseDossierFn = ….
type LifeFns struct {
	RegisterTrajectoryFn func(ctx context.Context, a casework.Actor, caseID, trajectoryID int64) error
	CloseDossierFn       func(ctx context.Context, a casework.Actor, caseID int64, version int, v casework.Values) error
	MarkAppointmentFn    func(ctx context.Context, a casework.Actor, id int64, status string) error
}

func (s *LifeFns) RegisterTrajectory(ctx context.Context, a casework.Actor, caseID, trajectoryID int64) error {
	if s.RegisterTrajectoryFn == nil {
		return notSet("RegisterTrajectory")
	}
	return s.RegisterTrajectoryFn(ctx, a, caseID, trajectoryID)
}

func (s *LifeFns) CloseDossier(ctx context.Context, a casework.Actor, caseID int64, version int, v casework.Values) error {
	if s.CloseDossierFn == nil {
		return notSet("CloseDossier")
	}
	return s.CloseDossierFn(ctx, a, caseID, version, v)
}

func (s *LifeFns) MarkAppointment(ctx context.Context, a casework.Actor, id int64, status string) error {
	if s.MarkAppointmentFn == nil {
		return notSet("MarkAppointment")
	}
	return s.MarkAppointmentFn(ctx, a, id, status)
}
