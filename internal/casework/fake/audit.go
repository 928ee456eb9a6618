package fake

import (
	"context"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// AuditFns are the functions of casework.AuditService.
type AuditFns struct {
	// RecordRequestFn is AuditService.RecordRequest. Unlike other use
	// cases, nil records nothing: the adapters call it for every request.
	RecordRequestFn        func(ctx context.Context, r *casework.AuditRequest, status int) error
	AuditLogFn             func(ctx context.Context, a casework.Actor, f casework.AuditFilter) ([]casework.AuditEntry, casework.Page, error)
	ProcessingActivitiesFn func() []casework.ProcessingActivity
}

// RecordRequest implements casework.AuditService.
func (f *AuditFns) RecordRequest(ctx context.Context, r *casework.AuditRequest, status int) error {
	if f.RecordRequestFn == nil {
		return nil
	}
	return f.RecordRequestFn(ctx, r, status)
}

// AuditLog implements casework.AuditService.
func (f *AuditFns) AuditLog(ctx context.Context, a casework.Actor, fl casework.AuditFilter) ([]casework.AuditEntry, casework.Page, error) {
	if f.AuditLogFn == nil {
		return nil, casework.Page{}, notSet("AuditLog")
	}
	return f.AuditLogFn(ctx, a, fl)
}

// ProcessingActivities implements casework.AuditService.
func (f *AuditFns) ProcessingActivities() []casework.ProcessingActivity {
	mustSet(f.ProcessingActivitiesFn != nil, "ProcessingActivities")
	return f.ProcessingActivitiesFn()
}
