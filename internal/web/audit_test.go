package web_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// auditRows reads the audit log as the beheerder.
func auditRows(t *testing.T, a *app, f casework.AuditFilter) []casework.AuditEntry {
	t.Helper()
	rows, _, err := a.env.Svc.AuditLog(context.Background(), a.env.Actor(process.RoleBeheerder), f)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// traceOf is the trace id of a traceparent header.
func traceOf(t *testing.T, h string) string {
	t.Helper()
	id, _, _, ok := casework.ParseTraceparent(h)
	if !ok {
		t.Fatalf("response traceparent %q is not valid", h)
	}
	return id
}

// TestAuditLogNamesTheClient: opening a client's file is an audit row
// naming the client, with the user, the route, the result and the trace
// the response names; a refusal is a refused row naming the client; a
// change is a row written with it.
func TestAuditLogNamesTheClient(t *testing.T) {
	a := newApp(t)
	app := a.env.Apply(t)
	pw := a.env.Users[process.RolePoortwachter]
	b := a.loginRole(process.RolePoortwachter)

	p := b.get("/klanten/" + id(app.ClientID))
	expectStatus(t, p, http.StatusOK)
	trace := traceOf(t, p.header.Get("traceparent"))
	rows := auditRows(t, a, casework.AuditFilter{ClientID: app.ClientID, Action: "GET /klanten/{id}"})
	if len(rows) != 1 {
		t.Fatalf("rows for the file: %+v", rows)
	}
	r := rows[0]
	if r.ActorID != pw.ID || r.ActorKind != casework.ActorUser || r.Channel != casework.ChannelWeb || r.Result != casework.AuditAllowed ||
		r.Status != http.StatusOK || r.TraceID != trace || r.Address == "" {
		t.Fatalf("row for the file: %+v (trace %s)", r, trace)
	}

	// A task page names the client too.
	task := a.env.File(t, app.ClientID).OpenTasks()[0].Task
	b = a.holderLogin(task)
	expectStatus(t, b.get("/taken/"+id(task.ID)), http.StatusOK)
	if rows := auditRows(t, a, casework.AuditFilter{ClientID: app.ClientID, Action: "GET /taken/{id}"}); len(rows) != 1 || rows[0].TaskID != task.ID {
		t.Fatalf("rows for the task page: %+v", rows)
	}

	// A refusal.
	admin := a.loginRole(process.RoleBeheerder)
	expectStatus(t, admin.get("/klanten/"+id(app.ClientID)), http.StatusForbidden)
	rows = auditRows(t, a, casework.AuditFilter{ClientID: app.ClientID, ActorID: a.env.Users[process.RoleBeheerder].ID})
	if len(rows) != 1 || rows[0].Result != casework.AuditRefused || rows[0].Status != http.StatusForbidden {
		t.Fatalf("rows for the refusal: %+v", rows)
	}

	// Nobody signed in: sent to the login page, refused.
	expectStatus(t, a.browser().get("/klanten/"+id(app.ClientID)), http.StatusSeeOther)
	rows = auditRows(t, a, casework.AuditFilter{ClientID: app.ClientID, Action: "GET /klanten/{id}"})
	if len(rows) != 3 || rows[0].ActorKind != casework.ActorAnonymous || rows[0].ActorID != 0 || rows[0].Result != casework.AuditRefused {
		t.Fatalf("rows for an anonymous visit: %+v", rows)
	}

	// A change: the BSN shown.
	b = a.loginRole(process.RolePoortwachter)
	expectStatus(t, b.post("/klanten/"+id(app.ClientID)+"/bsn", url.Values{}), http.StatusOK)
	rows = auditRows(t, a, casework.AuditFilter{ClientID: app.ClientID, Action: "/bsn"})
	if len(rows) != 1 || rows[0].Result != casework.AuditAllowed || rows[0].ActorID != pw.ID {
		t.Fatalf("rows for the change: %+v", rows)
	}
	days, err := a.env.Svc.VerifyAudit(context.Background(), "", "")
	if err != nil || len(days) != 1 || days[0].Broken != "" {
		t.Fatalf("verify: %+v %v", days, err)
	}
}

// TestTraceparent: a valid traceparent is continued (same trace, our own
// span, the caller's span its parent); an invalid one starts a new trace.
func TestTraceparent(t *testing.T) {
	a := newApp(t)
	app := a.env.Apply(t)
	b := a.loginRole(process.RolePoortwachter)
	const caller = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	p := b.get("/klanten/"+id(app.ClientID), "traceparent", caller, "tracestate", "congo=t61rcWkgMzE")
	got := p.header.Get("traceparent")
	if traceOf(t, got) != "4bf92f3577b34da6a3ce929d0e0e4736" || strings.Contains(got, "00f067aa0ba902b7") {
		t.Fatalf("continued trace: %q", got)
	}
	if p.header.Get("tracestate") != "congo=t61rcWkgMzE" {
		t.Fatalf("tracestate: %q", p.header.Get("tracestate"))
	}
	var recs []casework.ProcessingRecord
	if err := a.env.DB.View(context.Background(), func(tx casework.Tx) error {
		var err error
		recs, err = tx.ProcessingRecords(context.Background(), "4bf92f3577b34da6a3ce929d0e0e4736")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].ParentSpanID != "00f067aa0ba902b7" || !strings.Contains(got, recs[0].SpanID) ||
		recs[0].Name != "GET /klanten/{id}" || recs[0].ActivityID == "" || len(recs[0].SubjectID) != 64 {
		t.Fatalf("processing record: %+v", recs)
	}
	for _, bad := range []string{
		"00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", // upper case
		"00-00000000000000000000000000000000-00f067aa0ba902b7-01", // zero trace id
		"00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", // zero parent
		"ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // version ff
		"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
		"00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",
		"garbage",
	} {
		p := b.get("/klanten/"+id(app.ClientID), "traceparent", bad, "tracestate", "congo=t61rcWkgMzE")
		got := traceOf(t, p.header.Get("traceparent"))
		if got == "4bf92f3577b34da6a3ce929d0e0e4736" || p.header.Get("tracestate") != "" {
			t.Errorf("invalid %q continued: %q", bad, p.header.Get("traceparent"))
		}
	}
	// A later version may carry more fields after a dash.
	p = b.get("/klanten/"+id(app.ClientID), "traceparent", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-comes")
	if traceOf(t, p.header.Get("traceparent")) != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Fatalf("a later version was not continued: %q", p.header.Get("traceparent"))
	}
}

// TestAuditPageAndExport: the beheerder filters the audit log by client
// and exports it as CSV (nosniff, no-store, the range in the file name);
// a bad date is a Dutch message with the filter kept; nobody else sees it.
func TestAuditPageAndExport(t *testing.T) {
	a := newApp(t)
	app := a.env.Apply(t)
	b := a.loginRole(process.RolePoortwachter)
	expectStatus(t, b.get("/klanten/"+id(app.ClientID)), http.StatusOK)
	expectStatus(t, b.get("/beheer/audit"), http.StatusForbidden)

	admin := a.loginRole(process.RoleBeheerder)
	p := admin.get("/beheer/audit?klant=" + id(app.ClientID))
	expectStatus(t, p, http.StatusOK)
	checkPage(t, "/beheer/audit", p)
	if !strings.Contains(p.text("main table tbody"), "GET /klanten/{id}") || !strings.Contains(p.text("caption"), "1 regel") {
		t.Fatalf("the audit page: %s", p.text("main"))
	}
	p = admin.get("/beheer/audit?van=31-02-2027&handeling=GET")
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if p.text("#f-van-fout") == "" || p.attr("#f-handeling", "value") != "GET" || !p.has("#foutmeldingen") {
		t.Fatalf("a bad date: %s", p.text("main"))
	}
	checkPage(t, "/beheer/verwerkingen", admin.get("/beheer/verwerkingen"))

	day := casework.AuditDay(a.env.Clock.Now())
	res := admin.get("/beheer/audit.csv?van=" + day + "&klant=" + id(app.ClientID))
	expectStatus(t, res, http.StatusOK)
	if res.header.Get("X-Content-Type-Options") != "nosniff" || res.header.Get("Cache-Control") != "no-store" ||
		!strings.Contains(res.header.Get("Content-Disposition"), "auditlog-"+day+"-tot-"+day+".csv") {
		t.Fatalf("export headers: %v", res.header)
	}
	recs, err := csv.NewReader(strings.NewReader(res.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0][8] != "klant" || recs[1][8] != id(app.ClientID) || recs[1][6] != "GET /klanten/{id}" ||
		recs[1][11] != casework.AuditAllowed || recs[1][4] != id(a.env.Users[process.RolePoortwachter].ID) {
		t.Fatalf("export: %q", recs)
	}
}
