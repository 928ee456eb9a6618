package store

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// OpenDossiers returns the open participation cases (of one owner, or
// all) by client name (a page of f.Limit after f.Cursor when set: keyset
// on the client's sort_name and the case id, the name read by the client
// id the cursor holds), each with the client's next appointment that is not
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
	owner, ownerArgs := ownerCond(f.OwnerID)
	open := ` cases c WHERE c.kind = ? AND c.closed_at IS NULL` + owner
	args := append([]any{string(process.CaseParticipatie)}, ownerArgs...)
	// The page: the rows after (or, with Back, before) the cursor.
	page, pageArgs, dir := "", []any{}, "ASC"
	if c := f.Cursor; c != nil {
		cmp := ">"
		if c.Back {
			cmp, dir = "<", "DESC"
		}
		clientID, _ := strconv.ParseInt(c.Value, 10, 64)
		var name string
		if err := t.queryRow(ctx, `SELECT sort_name FROM clients WHERE id = ?`, clientID).Scan(&name); err != nil && !isNoRows(err) {
			return nil, err
		}
		page, pageArgs = ` AND (cl.sort_name, c.id) `+cmp+` (?, ?)`, []any{name, c.ID}
	}
	lim, limArgs := "", []any{}
	if f.Limit > 0 {
		lim, limArgs = ` LIMIT ?`, []any{f.Limit}
	}
	rows, err := queryAll(ctx, t, func(s scanner) (casework.DossierRow, error) {
		var r casework.DossierRow
		var given, family string
		c, err := scanCase(multiScanner{s, []any{&given, &family}})
		r.Case, r.ClientName = c, casework.Client{GivenName: given, FamilyName: family}.Name()
		return r, err
	}, `SELECT `+caseCols+`, cl.given_name, cl.family_name`+caseFrom+` JOIN clients cl ON cl.id = c.client_id
		WHERE c.kind = ? AND c.closed_at IS NULL`+owner+page+` ORDER BY cl.sort_name `+dir+`, c.id `+dir+lim,
		append(append(slices.Clip(args), pageArgs...), limArgs...)...)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	// The clients and applications the other queries read: of every open
	// dossier of the filter, or of a page only its own.
	clientsIn, appsIn := `SELECT c.client_id FROM`+open, `SELECT c.application_id FROM`+open
	clientArgs, appArgs := args, args
	if f.Limit > 0 {
		clientArgs, appArgs = nil, nil
		for _, r := range rows {
			clientArgs, appArgs = append(clientArgs, r.ClientID), append(appArgs, r.ApplicationID)
		}
		clientsIn, appsIn = placeholders(len(rows)), placeholders(len(rows))
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
		WHERE a.cancelled = ? AND a.start_at >= ? AND a.client_id IN (`+clientsIn+`)`,
		append([]any{false, timeArg(f.From)}, clientArgs...)...)
	if err != nil {
		return nil, err
	}
	dues, err := queryAll(ctx, t, scanAt(true), `SELECT tk.application_id, tk.due_on FROM tasks tk
		WHERE `+openTask("tk")+` AND tk.due_on IS NOT NULL AND tk.application_id IN (`+appsIn+`)`, appArgs...)
	if err != nil {
		return nil, err
	}
	contacts, err := queryAll(ctx, t, scanAt(false), `SELECT m.client_id, m.contact_at FROM contact_moments m
		WHERE m.client_id IN (`+clientsIn+`)`, clientArgs...)
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

// CountOpenDossiers counts the open participation cases of an owner (0:
// all), on the index of open cases by kind and owner.
func (t *tx) CountOpenDossiers(ctx context.Context, ownerID int64) (_ int, err error) {
	defer wrap(&err, "CountOpenDossiers(owner %d)", ownerID)
	owner, ownerArgs := ownerCond(ownerID)
	var n int
	err = t.queryRow(ctx, `SELECT COUNT(*) FROM cases c WHERE c.kind = ? AND c.closed_at IS NULL`+owner,
		append([]any{string(process.CaseParticipatie)}, ownerArgs...)...).Scan(&n)
	return n, err
}

// ownerCond is the condition on the owner of the open dossiers of
// ownerID: none for 0 (everyone's), those without an owner for
// casework.NoOwner.
func ownerCond(ownerID int64) (string, []any) {
	switch ownerID {
	case 0:
		return "", nil
	case casework.NoOwner:
		return ` AND c.dossier_owner IS NULL`, nil
	}
	return ` AND c.dossier_owner = ?`, []any{ownerID}
}

// multiScanner scans a row into a scan function's destinations followed
// by more.
type multiScanner struct {
	s    scanner
	more []any
}

func (m multiScanner) Scan(dest ...any) error { return m.s.Scan(append(dest, m.more...)...) }
