package store

import (
	"context"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// ClientAccess answers how a user stands to a client in one query: each
// fact is an EXISTS on an index that starts with the client (tasks_client,
// cases_client, appointments_client, events_client_actor,
// access_grants_client_user; step records through cases_client and
// step_records_application).
func (t *tx) ClientAccess(ctx context.Context, q casework.AccessQuery) (_ casework.ClientAccess, err error) {
	defer wrap(&err, "ClientAccess(client %d, user %d)", q.ClientID, q.UserID)
	var args []any
	arg := func(vs ...any) string {
		args = append(args, vs...)
		return placeholders(len(vs))
	}
	falseSQL := "1 = 0"
	teamTask := falseSQL
	if len(q.Teams) > 0 {
		teamTask = `EXISTS (SELECT 1 FROM tasks WHERE client_id = ` + arg(q.ClientID) + ` AND ` + openTask("") +
			` AND team IN (` + arg(anys(q.Teams)...) + `))`
	}
	teamDossier := falseSQL
	if len(q.TeamRoles) > 0 {
		// Placeholders are filled in the order they are written.
		teamDossier = `EXISTS (SELECT 1 FROM cases c JOIN users u ON u.id = c.dossier_owner WHERE c.client_id = ` + arg(q.ClientID) +
			` AND c.closed_at IS NULL AND (`
		for i, r := range q.TeamRoles {
			if i > 0 {
				teamDossier += ` OR `
			}
			// The pattern is built in SQL around the parameter: with a
			// bare parameter on the right of LIKE, SQLite compiles the
			// statement again on every run.
			teamDossier += `(',' || u.roles || ',') LIKE ('%,' || ` + arg(string(r)) + ` || ',%')`
		}
		teamDossier += `))`
	}
	openWork := `EXISTS (SELECT 1 FROM tasks WHERE client_id = ` + arg(q.ClientID) + ` AND ` + openTask("") + `)
		OR EXISTS (SELECT 1 FROM cases WHERE client_id = ` + arg(q.ClientID) + ` AND closed_at IS NULL)`
	if !q.WorkedSince.IsZero() {
		openWork += ` OR EXISTS (SELECT 1 FROM cases WHERE client_id = ` + arg(q.ClientID) + ` AND closed_at >= ` + arg(timeArg(q.WorkedSince)) + `)`
	}
	holds := `EXISTS (SELECT 1 FROM tasks WHERE client_id = ` + arg(q.ClientID) + ` AND ` + openTask("") +
		` AND holder_id = ` + arg(q.UserID) + `)
		OR EXISTS (SELECT 1 FROM cases WHERE client_id = ` + arg(q.ClientID) + ` AND closed_at IS NULL AND dossier_owner = ` + arg(q.UserID) + `)
		OR EXISTS (SELECT 1 FROM appointments WHERE client_id = ` + arg(q.ClientID) + ` AND klantmanager_id = ` + arg(q.UserID) +
		` AND cancelled = ` + arg(false) + ` AND status = ` + arg(process.AppointmentPlanned) + `)`
	worked := falseSQL
	if !q.WorkedSince.IsZero() {
		worked = `EXISTS (SELECT 1 FROM events WHERE client_id = ` + arg(q.ClientID) + ` AND actor_id = ` + arg(q.UserID) +
			` AND occurred_at >= ` + arg(timeArg(q.WorkedSince)) + ` AND kind NOT IN (` + arg(anys(casework.NotWork)...) + `))
		OR EXISTS (SELECT 1 FROM step_records r JOIN cases c ON c.id = r.application_id WHERE c.client_id = ` + arg(q.ClientID) +
			` AND r.actor_id = ` + arg(q.UserID) + ` AND r.recorded_at >= ` + arg(timeArg(q.WorkedSince)) + `)`
	}
	grant := `EXISTS (SELECT 1 FROM access_grants WHERE client_id = ` + arg(q.ClientID) + ` AND user_id = ` + arg(q.UserID) +
		` AND valid_until > ` + arg(timeArg(q.Now)) + `)`
	submitted := falseSQL
	if q.CaseID != 0 {
		submitted = `EXISTS (SELECT 1 FROM events WHERE client_id = ` + arg(q.ClientID) + ` AND actor_id = ` + arg(q.UserID) +
			` AND case_id = ` + arg(q.CaseID) + `)`
	}
	var a casework.ClientAccess
	err = t.queryRow(ctx, `SELECT `+teamTask+` OR `+teamDossier+`, `+openWork+`, `+holds+`, `+worked+`, `+grant+`, `+submitted, args...).
		Scan(&a.TeamWork, &a.OpenWork, &a.Holds, &a.Worked, &a.Grant, &a.Submitted)
	return a, err
}

// AddAccessGrant stores a grant and sets its ID.
func (t *tx) AddAccessGrant(ctx context.Context, g *casework.AccessGrant) (err error) {
	defer wrap(&err, "AddAccessGrant(client %d, user %d)", g.ClientID, g.UserID)
	stamp(&g.GrantedAt)
	id, err := t.insert(ctx, `INSERT INTO access_grants (user_id, client_id, reason, granted_at, valid_until)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, g.UserID, g.ClientID, g.Reason, timeArg(g.GrantedAt), timeArg(g.ValidUntil))
	if err != nil {
		return err
	}
	g.ID = id
	return nil
}

// AccessGrants returns the grants given in [from, to), oldest first, with
// the user's name and roles.
func (t *tx) AccessGrants(ctx context.Context, from, to time.Time) (_ []casework.AccessGrant, err error) {
	defer wrap(&err, "AccessGrants")
	return queryAll(ctx, t, func(s scanner) (casework.AccessGrant, error) {
		var g casework.AccessGrant
		err := s.Scan(&g.ID, &g.UserID, &g.UserName, rolesCol{&g.UserRoles}, &g.ClientID, &g.Reason, timeCol{&g.GrantedAt}, timeCol{&g.ValidUntil})
		return g, err
	}, `SELECT g.id, g.user_id, u.name, u.roles, g.client_id, g.reason, g.granted_at, g.valid_until
		FROM access_grants g JOIN users u ON u.id = g.user_id
		WHERE g.granted_at >= ? AND g.granted_at < ? ORDER BY g.granted_at, g.id`, timeArg(from), timeArg(to))
}
