package fake

import (
	"context"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// PrivacyFns are the functions of the PrivacyService, embedded in Service.
type PrivacyFns struct {
	RetentionOverviewFn   func(ctx context.Context, a casework.Actor) (casework.RetentionOverview, error)
	ProposeDestructionFn  func(ctx context.Context, a casework.Actor) (int64, error)
	DestructionRunFn      func(ctx context.Context, a casework.Actor, id int64) (casework.DryRun, error)
	ApproveDestructionFn  func(ctx context.Context, a casework.Actor, id int64, confirmed bool) error
	WithdrawDestructionFn func(ctx context.Context, a casework.Actor, id int64) error
	RetentionStatisticsFn func(ctx context.Context, a casework.Actor) ([]casework.RetentionStat, error)
	ExportClientFn        func(ctx context.Context, a casework.Actor, clientID int64, v casework.Values) (casework.ClientExport, error)
	RectifyClientFn       func(ctx context.Context, a casework.Actor, clientID int64, version int, v casework.Values) error
}

func (s *PrivacyFns) RetentionOverview(ctx context.Context, a casework.Actor) (casework.RetentionOverview, error) {
	if s.RetentionOverviewFn == nil {
		return casework.RetentionOverview{}, notSet("RetentionOverview")
	}
	return s.RetentionOverviewFn(ctx, a)
}

func (s *PrivacyFns) ProposeDestruction(ctx context.Context, a casework.Actor) (int64, error) {
	if s.ProposeDestructionFn == nil {
		return 0, notSet("ProposeDestruction")
	}
	return s.ProposeDestructionFn(ctx, a)
}

func (s *PrivacyFns) DestructionRun(ctx context.Context, a casework.Actor, id int64) (casework.DryRun, error) {
	if s.DestructionRunFn == nil {
		return casework.DryRun{}, notSet("DestructionRun")
	}
	return s.DestructionRunFn(ctx, a, id)
}

func (s *PrivacyFns) ApproveDestruction(ctx context.Context, a casework.Actor, id int64, confirmed bool) error {
	if s.ApproveDestructionFn == nil {
		return notSet("ApproveDestruction")
	}
	return s.ApproveDestructionFn(ctx, a, id, confirmed)
}

func (s *PrivacyFns) WithdrawDestruction(ctx context.Context, a casework.Actor, id int64) error {
	if s.WithdrawDestructionFn == nil {
		return notSet("WithdrawDestruction")
	}
	return s.WithdrawDestructionFn(ctx, a, id)
}

func (s *PrivacyFns) RetentionStatistics(ctx context.Context, a casework.Actor) ([]casework.RetentionStat, error) {
	if s.RetentionStatisticsFn == nil {
		return nil, notSet("RetentionStatistics")
	}
	return s.RetentionStatisticsFn(ctx, a)
}

func (s *PrivacyFns) ExportClient(ctx context.Context, a casework.Actor, clientID int64, v casework.Values) (casework.ClientExport, error) {
	if s.ExportClientFn == nil {
		return casework.ClientExport{}, notSet("ExportClient")
	}
	return s.ExportClientFn(ctx, a, clientID, v)
}

func (s *PrivacyFns) RectifyClient(ctx context.Context, a casework.Actor, clientID int64, version int, v casework.Values) error {
	if s.RectifyClientFn == nil {
		return notSet("RectifyClient")
	}
	return s.RectifyClientFn(ctx, a, clientID, version, v)
}
