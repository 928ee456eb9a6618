package store

import "fmt"

// wrap adds the operation that failed and its key arguments to *errp,
// unless it is nil, in the style of pkgsite's derrors.Wrap:
//
//	func (t *tx) TaskByID(ctx context.Context, id int64) (_ casework.Task, err error) {
//		defer wrap(&err, "TaskByID(%d)", id)
//
// turns a missing task into "store: TaskByID(42): not found", so a logged
// 500 says which query failed. The cause stays wrapped with %w:
// errors.Is(err, casework.ErrNotFound), errors.Is(err, casework.ErrStale)
// and errors.As(err, &casework.ErrDuplicate{}) see through it.
//
// Name operations, ids and versions only, never personal data (names, BSN,
// e-mail addresses, usernames, search text) nor secrets (tokens, hashes):
// these messages end up in logs.
func wrap(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf("store: %s: %w", fmt.Sprintf(format, args...), *errp)
	}
}
