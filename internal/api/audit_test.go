package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// TestAPIAudit: reading a client's file through the API is an audit row
// naming the client, on channel api, with the trace the response names;
// a refusal is a refused row; an unknown token a refused anonymous one.
func TestAPIAudit(t *testing.T) {
	s := newServer(t, nil)
	app := s.env.Apply(t)
	pw := s.env.Users[process.RolePoortwachter]
	tok := s.token(t, pw)
	res := s.call(t, tok, "GET", "/api/klanten/{id}", nil, app.ClientID)
	if res.Status != http.StatusOK {
		t.Fatalf("status %d: %s", res.Status, res.Body)
	}
	trace, _, _, ok := casework.ParseTraceparent(res.Header.Get("traceparent"))
	if !ok {
		t.Fatalf("traceparent %q", res.Header.Get("traceparent"))
	}
	rows := func(f casework.AuditFilter) []casework.AuditEntry {
		t.Helper()
		rows, _, err := s.env.Svc.AuditLog(context.Background(), s.env.Actor(process.RoleBeheerder), f)
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	got := rows(casework.AuditFilter{ClientID: app.ClientID, Action: "GET /api/klanten/{id}"})
	if len(got) != 1 || got[0].ActorID != pw.ID || got[0].Channel != casework.ChannelAPI || got[0].Status != http.StatusOK ||
		got[0].Result != casework.AuditAllowed || got[0].TraceID != trace {
		t.Fatalf("rows: %+v", got)
	}

	admin := s.env.Users[process.RoleBeheerder]
	if res := s.call(t, s.admin, "GET", "/api/klanten/{id}", nil, app.ClientID); res.Status != http.StatusForbidden {
		t.Fatalf("beheerder: status %d", res.Status)
	}
	got = rows(casework.AuditFilter{ClientID: app.ClientID, ActorID: admin.ID})
	if len(got) != 1 || got[0].Result != casework.AuditRefused || got[0].Status != http.StatusForbidden {
		t.Fatalf("refusal rows: %+v", got)
	}

	if res := s.call(t, "wdt_unknown", "GET", "/api/klanten/{id}", nil, app.ClientID); res.Status != http.StatusUnauthorized {
		t.Fatalf("unknown token: status %d", res.Status)
	}
	got = rows(casework.AuditFilter{ClientID: app.ClientID, Action: "GET /api/klanten/{id}"})
	if len(got) != 3 || got[0].ActorKind != casework.ActorAnonymous || got[0].Result != casework.AuditRefused {
		t.Fatalf("rows after an unknown token: %+v", got)
	}
}
