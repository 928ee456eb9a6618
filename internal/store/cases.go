package store

import (
	"context"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

const caseCols = `c.id, c.client_id, c.kind, c.code, c.worklist, c.status, c.definition_version, c.application_id,
	c.channel, c.applied_on, c.reported_on, c.target_group, c.decision_outcome, c.decision_on, c.decision_reason,
	c.decision_due, c.dossier_owner, c.segment, c.opened_at, c.closed_at, c.version, COALESCE(o.name, ''),
	c.extended_to, c.extended_on, c.extension_days, c.extension_reason`

const caseFrom = ` FROM cases c LEFT JOIN users o ON o.id = c.dossier_owner`

func scanCase(s scanner) (casework.Case, error) {
	var c casework.Case
	err := s.Scan(caseDest(&c)...)
	return c, err
}

// caseDest is where the columns of caseCols go.
func caseDest(c *casework.Case) []any {
	return []any{&c.ID, &c.ClientID, &c.Kind, &c.Code, &c.Worklist, &c.Status, &c.DefinitionVersion,
		idCol{&c.ApplicationID}, &c.Channel, dateCol{&c.AppliedOn}, dateCol{&c.ReportedOn}, &c.TargetGroup,
		&c.DecisionOutcome, dateCol{&c.DecisionOn}, &c.DecisionReason, dateCol{&c.DecisionDue},
		idCol{&c.DossierOwner}, &c.Segment, timeCol{&c.OpenedAt}, timeCol{&c.ClosedAt}, &c.Version,
		&c.DossierOwnerName, dateCol{&c.ExtendedTo}, dateCol{&c.ExtendedOn}, &c.ExtensionDays, &c.ExtensionReason}
}

// CreateCase stores a new case at version 1 and sets its ID and Version. A
// second open application of a client fails with
// ErrDuplicate("open_application").
func (t *tx) CreateCase(ctx context.Context, c *casework.Case) (err error) {
	defer wrap(&err, "CreateCase(client %d)", c.ClientID)
	return t.atomic(ctx, func() error {
		id, err := t.insert(ctx, `INSERT INTO cases (client_id, kind, code, worklist, status, definition_version,
			application_id, channel, applied_on, reported_on, target_group, decision_outcome, decision_on,
			decision_reason, decision_due, dossier_owner, segment, opened_at, closed_at, extended_to, extended_on,
			extension_days, extension_reason, version)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id`,
			c.ClientID, string(c.Kind), c.Code, c.Worklist, c.Status, c.DefinitionVersion,
			idArg(c.ApplicationID), c.Channel, dateArg(c.AppliedOn), dateArg(c.ReportedOn), c.TargetGroup,
			c.DecisionOutcome, dateArg(c.DecisionOn), c.DecisionReason, dateArg(c.DecisionDue),
			idArg(c.DossierOwner), c.Segment, timeArg(c.OpenedAt), timeArg(c.ClosedAt), dateArg(c.ExtendedTo),
			dateArg(c.ExtendedOn), c.ExtensionDays, c.ExtensionReason)
		if err != nil {
			return err
		}
		c.ID, c.Version = id, 1
		return nil
	})
}

// UpdateCase writes every field but ID when c.Version is still current and
// increments c.Version. It fails with ErrNotFound, ErrStale or
// ErrDuplicate("open_application"). It runs without a savepoint (one
// statement, not three, in every step that changes a case): after a
// duplicate the transaction is done on PostgreSQL, and every caller ends
// it with the error.
func (t *tx) UpdateCase(ctx context.Context, c *casework.Case) (err error) {
	defer wrap(&err, "UpdateCase(%d, version %d)", c.ID, c.Version)
	n, err := t.exec(ctx, `UPDATE cases SET client_id = ?, kind = ?, code = ?, worklist = ?, status = ?,
		definition_version = ?, application_id = ?, channel = ?, applied_on = ?, reported_on = ?,
		target_group = ?, decision_outcome = ?, decision_on = ?, decision_reason = ?, decision_due = ?,
		dossier_owner = ?, segment = ?, opened_at = ?, closed_at = ?, extended_to = ?, extended_on = ?,
		extension_days = ?, extension_reason = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		c.ClientID, string(c.Kind), c.Code, c.Worklist, c.Status, c.DefinitionVersion,
		idArg(c.ApplicationID), c.Channel, dateArg(c.AppliedOn), dateArg(c.ReportedOn), c.TargetGroup,
		c.DecisionOutcome, dateArg(c.DecisionOn), c.DecisionReason, dateArg(c.DecisionDue),
		idArg(c.DossierOwner), c.Segment, timeArg(c.OpenedAt), timeArg(c.ClosedAt), dateArg(c.ExtendedTo),
		dateArg(c.ExtendedOn), c.ExtensionDays, c.ExtensionReason, c.ID, c.Version)
	if err := t.versioned(ctx, n, err, "cases", c.ID); err != nil {
		return err
	}
	c.Version++
	return nil
}

// CaseByID returns the case or ErrNotFound.
func (t *tx) CaseByID(ctx context.Context, id int64) (_ casework.Case, err error) {
	defer wrap(&err, "CaseByID(%d)", id)
	return queryOne(ctx, t, scanCase, `SELECT `+caseCols+caseFrom+` WHERE c.id = ?`, id)
}

// CasesByClient returns the client's cases in the order they were made.
func (t *tx) CasesByClient(ctx context.Context, clientID int64) (_ []casework.Case, err error) {
	defer wrap(&err, "CasesByClient(%d)", clientID)
	return queryAll(ctx, t, scanCase, `SELECT `+caseCols+caseFrom+` WHERE c.client_id = ? ORDER BY c.id`, clientID)
}

// OpenApplication returns the client's open application case or ErrNotFound.
func (t *tx) OpenApplication(ctx context.Context, clientID int64) (_ casework.Case, err error) {
	defer wrap(&err, "OpenApplication(%d)", clientID)
	return queryOne(ctx, t, scanCase,
		`SELECT `+caseCols+caseFrom+` WHERE c.client_id = ? AND c.kind = ? AND c.closed_at IS NULL`,
		clientID, string(process.CaseAanvraag))
}

// ParticipationFor returns the participation case that came from the
// application (the newest, should there be several) or ErrNotFound.
func (t *tx) ParticipationFor(ctx context.Context, applicationID int64) (_ casework.Case, err error) {
	defer wrap(&err, "ParticipationFor(%d)", applicationID)
	return queryOne(ctx, t, scanCase,
		`SELECT `+caseCols+caseFrom+` WHERE c.application_id = ? AND c.kind = ? ORDER BY c.id DESC LIMIT 1`,
		applicationID, string(process.CaseParticipatie))
}

// CountCasesByStatus counts cases per "kind/status".
func (t *tx) CountCasesByStatus(ctx context.Context) (_ map[string]int, err error) {
	defer wrap(&err, "CountCasesByStatus")
	rows, err := queryAll(ctx, t, func(s scanner) (kv[string], error) {
		var kind, status string
		var n int
		err := s.Scan(&kind, &status, &n)
		return kv[string]{kind + "/" + status, n}, err
	}, `SELECT kind, status, COUNT(*) FROM cases GROUP BY kind, status`)
	if err != nil {
		return nil, err
	}
	return toMap(rows), nil
}

// Caseload counts the open participation cases per dossier owner (0 for
// cases without one).
func (t *tx) Caseload(ctx context.Context) (_ map[int64]int, err error) {
	defer wrap(&err, "Caseload")
	rows, err := queryAll(ctx, t, scanCount, `SELECT dossier_owner, COUNT(*) FROM cases
		WHERE kind = ? AND closed_at IS NULL GROUP BY dossier_owner`, string(process.CaseParticipatie))
	if err != nil {
		return nil, err
	}
	return toMap(rows), nil
}

// kv is one row of a count query.
type kv[K comparable] struct {
	k K
	n int
}

func scanCount(s scanner) (kv[int64], error) {
	var r kv[int64]
	err := s.Scan(idCol{&r.k}, &r.n)
	return r, err
}

func toMap[K comparable](rows []kv[K]) map[K]int {
	m := make(map[K]int, len(rows))
	for _, r := range rows {
		m[r.k] += r.n
	}
	return m
}
