package store

import (
	"context"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// OpenDossiers returns the open participation cases (of one owner, or
// all) by client name, each with the client's next appointment that is not
// cancelled, the earliest term of an open task of the case's flow and the
// client's last contact moment.
//
// The three come from queries of their own that read plain columns and
// are folded in Go: an aggregate (MIN, MAX) of a timestamp loses its
// column type on SQLite and would come back as text.
func (t *tx) OpenDossiers(ctx context.Context, f casework.DossierFilter) (_ []casework.DossierRow, err error) {
	defer wrap(&err, "OpenDossiers(owner %d)", f.OwnerID)
	// open selects the open participation cases of the filter; the other
	// queries join it as c.
	open := ` cases c WHERE c.kind = ? AND c.closed_at IS NULL`
	args := []any{string(process.CaseParticipatie)}
	if f.OwnerID != 0 {
		open += ` AND c.dossier_owner = ?`
		args = append(args, f.OwnerID)
	}
	rows, err := queryAll(ctx, t, func(s scanner) (casework.DossierRow, error) {
		var r casework.DossierRow
		var given, family string
		c, err := scanCase(multiScanner{s, []any{&given, &family}})
		r.Case, r.ClientName = c, casework.Client{GivenName: given, FamilyName: family}.Name()
		return r, err
	}, `SELECT `+caseCols+`, cl.given_name, cl.family_name`+caseFrom+` JOIN clients cl ON cl.id = c.client_id
		WHERE c.kind = ? AND c.closed_at IS NULL`+ownerCond(f.OwnerID)+` ORDER BY cl.sort_name, c.id`, args...)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	type at struct {
		id int64
		t  time.Time
	}
	scanAt := func(date bool) func(scanner) (at, error) {
		return func(s scanner) (at, error) {
			var a at
			if date {
				return a, s.Scan(&a.id, dateCol{&a.t})
			}
			return a, s.Scan(&a.id, timeCol{&a.t})
		}
	}
	appts, err := queryAll(ctx, t, scanAt(false), `SELECT a.client_id, a.start_at FROM appointments a
		WHERE a.cancelled = ? AND a.start_at >= ? AND a.client_id IN (SELECT c.client_id FROM`+open+`)`,
		append([]any{false, timeArg(f.From)}, args...)...)
	if err != nil {
		return nil, err
	}
	dues, err := queryAll(ctx, t, scanAt(true), `SELECT tk.application_id, tk.due_on FROM tasks tk
		WHERE tk.status = ? AND tk.due_on IS NOT NULL AND tk.application_id IN (SELECT c.application_id FROM`+open+`)`,
		append([]any{casework.TaskOpen}, args...)...)
	if err != nil {
		return nil, err
	}
	contacts, err := queryAll(ctx, t, scanAt(false), `SELECT m.client_id, m.contact_at FROM contact_moments m
		WHERE m.client_id IN (SELECT c.client_id FROM`+open+`)`, args...)
	if err != nil {
		return nil, err
	}
	fold := func(as []at, later bool) map[int64]time.Time {
		m := map[int64]time.Time{}
		for _, a := range as {
			if cur, ok := m[a.id]; !ok || (later && a.t.After(cur)) || (!later && a.t.Before(cur)) {
				m[a.id] = a.t
			}
		}
		return m
	}
	next, due, last := fold(appts, false), fold(dues, false), fold(contacts, true)
	for i := range rows {
		r := &rows[i]
		r.NextAppointment, r.NextDue, r.LastContact = next[r.ClientID], due[r.ApplicationID], last[r.ClientID]
	}
	return rows, nil
}

// ownerCond is the condition on the owner of OpenDossiers' main query.
func ownerCond(ownerID int64) string {
	if ownerID == 0 {
		return ""
	}
	return ` AND c.dossier_owner = ?`
}

// multiScanner scans a row into a scan function's destinations followed
// by more.
type multiScanner struct {
	s    scanner
	more []any
}

func (m multiScanner) Scan(dest ...any) error { return m.s.Scan(append(dest, m.more...)...) }
