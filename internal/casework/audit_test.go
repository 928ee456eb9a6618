package casework_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

const testSubjectKey = "test-subject-key-0123456789abcdef"

func auditEnv(t *testing.T, engine string) *casetest.Env {
	t.Helper()
	cfg := casework.DefaultConfig()
	cfg.Processing.SubjectKey = testSubjectKey
	cfg.Audit.RetentionDays = 30
	return casetest.NewWithConfig(t, engine, cfg)
}

// auditedRequest opens the audit context of a web request by u for action.
func auditedRequest(u casework.User, action string) (context.Context, *casework.AuditRequest) {
	r := &casework.AuditRequest{Channel: casework.ChannelWeb, Action: action, Address: "192.0.2.7",
		Trace: casework.StartTrace("", ""), Started: time.Now()}
	r.SetActor(u)
	return casework.WithAudit(context.Background(), r), r
}

func auditRows(t *testing.T, e *casetest.Env, f casework.AuditFilter) []casework.AuditEntry {
	t.Helper()
	rows, _, err := e.Svc.AuditLog(context.Background(), e.Actor(process.RoleBeheerder), f)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func verify(t *testing.T, e *casetest.Env) []casework.DayVerification {
	t.Helper()
	days, err := e.Svc.VerifyAudit(context.Background(), "", "")
	if err != nil {
		t.Fatal(err)
	}
	return days
}

func broken(days []casework.DayVerification) string {
	var out []string
	for _, d := range days {
		if d.Broken != "" {
			out = append(out, d.Day+": "+d.Broken)
		}
	}
	return strings.Join(out, "; ")
}

// TestAuditLogRecordsReadsChangesAndRefusals: a read of a client's file
// names the client, a change is written with its result in its own
// transaction, a refusal is logged as refused naming the route's object;
// the processing log has the keyed pseudonym and the activity and no user.
func TestAuditLogRecordsReadsChangesAndRefusals(t *testing.T) {
	forEachAuditEngine(t, func(t *testing.T, e *auditEnvT) {
		app := e.Apply(t)
		km := e.Users[process.RolePoortwachter]

		// A read.
		ctx, r := auditedRequest(km, "GET /klanten/{id}")
		r.NoteObject(casework.ObjectClient, app.ClientID)
		if _, err := e.Svc.ClientFile(ctx, casework.Actor{User: km}, app.ClientID); err != nil {
			t.Fatal(err)
		}
		if err := e.Svc.RecordRequest(ctx, r, 200); err != nil {
			t.Fatal(err)
		}
		rows := auditRows(t, e.Env, casework.AuditFilter{ClientID: app.ClientID})
		if len(rows) != 1 || rows[0].Action != "GET /klanten/{id}" || rows[0].Result != casework.AuditAllowed ||
			rows[0].Status != 200 || rows[0].ActorID != km.ID || rows[0].TraceID != r.Trace.TraceID || rows[0].Address != "192.0.2.7" {
			t.Fatalf("read: got %+v", rows)
		}

		// A change: revealing the BSN records who saw it.
		ctx, r = auditedRequest(km, "POST /klanten/{id}/bsn")
		bsn, err := e.Svc.RevealBSN(ctx, casework.Actor{User: km}, app.ClientID)
		if err != nil {
			t.Fatal(err)
		}
		rows = auditRows(t, e.Env, casework.AuditFilter{ClientID: app.ClientID, Action: "/bsn"})
		if len(rows) != 1 || rows[0].Result != casework.AuditAllowed || rows[0].Status != 0 {
			t.Fatalf("change: got %+v", rows)
		}
		if err := e.Svc.RecordRequest(ctx, r, 303); err != nil {
			t.Fatal(err)
		}
		if rows = auditRows(t, e.Env, casework.AuditFilter{ClientID: app.ClientID, Action: "/bsn"}); len(rows) != 1 {
			t.Fatalf("the answer after a change wrote another row: %+v", rows)
		}
		var recs []casework.ProcessingRecord
		if err := e.DB.View(context.Background(), func(tx casework.Tx) error {
			var err error
			recs, err = tx.ProcessingRecords(context.Background(), r.Trace.TraceID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		m := hmac.New(sha256.New, []byte(testSubjectKey))
		m.Write([]byte(bsn))
		want := hex.EncodeToString(m.Sum(nil))
		if len(recs) != 1 || recs[0].SubjectID != want || recs[0].ActivityID != "wd-klantdossier" ||
			recs[0].SpanID != r.Trace.SpanID || recs[0].Status != casework.ProcessingOK || recs[0].Name != "POST /klanten/{id}/bsn" {
			t.Fatalf("processing record: got %+v, want subject %s", recs, want)
		}
		if strings.Contains(fmt.Sprintf("%+v", recs[0]), bsn) {
			t.Fatal("the processing record holds the BSN")
		}

		// A refusal names the client of the route.
		admin := e.Users[process.RoleBeheerder]
		ctx, r = auditedRequest(admin, "GET /klanten/{id}")
		r.NoteObject(casework.ObjectClient, app.ClientID)
		if _, err := e.Svc.ClientFile(ctx, casework.Actor{User: admin}, app.ClientID); casework.ErrorCode(err) != casework.CodeForbidden {
			t.Fatalf("beheerder opens a file: %v", err)
		}
		if err := e.Svc.RecordRequest(ctx, r, 403); err != nil {
			t.Fatal(err)
		}
		rows = auditRows(t, e.Env, casework.AuditFilter{ActorID: admin.ID, ClientID: app.ClientID})
		if len(rows) != 1 || rows[0].Result != casework.AuditRefused || rows[0].Status != 403 {
			t.Fatalf("refusal: got %+v", rows)
		}
		if err := e.DB.View(context.Background(), func(tx casework.Tx) error {
			var err error
			recs, err = tx.ProcessingRecords(context.Background(), r.Trace.TraceID)
			return err
		}); err != nil || len(recs) != 0 {
			t.Fatalf("a refusal wrote processing records: %+v %v", recs, err)
		}

		// Nobody else sees the audit log.
		if _, _, err := e.Svc.AuditLog(context.Background(), casework.Actor{User: km}, casework.AuditFilter{}); casework.ErrorCode(err) != casework.CodeForbidden {
			t.Fatalf("a poortwachter reads the audit log: %v", err)
		}
		if b := broken(verify(t, e.Env)); b != "" {
			t.Fatalf("intact log does not verify: %s", b)
		}
	})
}

// TestAuditVerifyDetectsTampering: an attacker with database rights
// disables the trigger and alters a row, or deletes one: verify names the
// day and the row.
func TestAuditVerifyDetectsTampering(t *testing.T) {
	forEachAuditEngine(t, func(t *testing.T, e *auditEnvT) {
		u := e.Users[process.RolePoortwachter]
		for i := range 5 {
			ctx, r := auditedRequest(u, fmt.Sprintf("GET /werkvoorraad?%d", i))
			if err := e.Svc.RecordRequest(ctx, r, 200); err != nil {
				t.Fatal(err)
			}
		}
		day := casework.AuditDay(e.Clock.Now())
		db := e.DB.SQL()
		ctx := context.Background()
		// The triggers refuse it first.
		if _, err := db.ExecContext(ctx, `UPDATE audit_log SET action = 'x' WHERE seq = 2`); err == nil {
			t.Fatal("the trigger let an update through")
		}
		if _, err := db.ExecContext(ctx, `DELETE FROM audit_log WHERE seq = 2`); err == nil {
			t.Fatal("the trigger let a delete through")
		}
		if e.engine == "postgres" {
			if _, err := db.ExecContext(ctx, `TRUNCATE audit_log`); err == nil {
				t.Fatal("the trigger let a truncate through")
			}
		}
		if b := broken(verify(t, e.Env)); b != "" {
			t.Fatalf("before tampering: %s", b)
		}
		// Bypass them, as an attacker with DB rights could.
		if e.engine == "postgres" {
			mustExec(t, db, `ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`)
		} else {
			mustExec(t, db, `DROP TRIGGER audit_log_no_update`)
			mustExec(t, db, `DROP TRIGGER audit_log_no_delete`)
		}
		mustExec(t, db, `UPDATE audit_log SET actor_id = 999 WHERE seq = 3`)
		got := broken(verify(t, e.Env))
		if !strings.Contains(got, day+": regel 3") || !strings.Contains(got, "gewijzigd") {
			t.Fatalf("an altered row: verify says %q", got)
		}
		mustExec(t, db, fmt.Sprintf(`UPDATE audit_log SET actor_id = %d WHERE seq = 3`, u.ID))
		if b := broken(verify(t, e.Env)); b != "" {
			t.Fatalf("restored: %s", b)
		}
		mustExec(t, db, `DELETE FROM audit_log WHERE seq = 2`)
		if got := broken(verify(t, e.Env)); !strings.Contains(got, day+": regel 2 ontbreekt") {
			t.Fatalf("a deleted row: verify says %q", got)
		}
	})
}

// TestAuditConcurrentWriters: requests recorded at once (several
// connections on PostgreSQL, as several instances would) keep one chain.
func TestAuditConcurrentWriters(t *testing.T) {
	forEachAuditEngine(t, func(t *testing.T, e *auditEnvT) {
		u := e.Users[process.RolePoortwachter]
		const writers, each = 6, 8
		var wg sync.WaitGroup
		errs := make(chan error, writers*each)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					ctx, r := auditedRequest(u, fmt.Sprintf("GET /w%d/%d", w, i))
					errs <- e.Svc.RecordRequest(ctx, r, 200)
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		days := verify(t, e.Env)
		if b := broken(days); b != "" || len(days) != 1 || days[0].Rows != writers*each {
			t.Fatalf("after concurrent writers: %+v (%s)", days, b)
		}
	})
}

// TestAuditPurgeRemovesWholeDays: the retention purge removes whole days
// older than the retention, records them, and what remains verifies; the
// triggers let nothing else be deleted.
func TestAuditPurgeRemovesWholeDays(t *testing.T) {
	forEachAuditEngine(t, func(t *testing.T, e *auditEnvT) {
		u := e.Users[process.RolePoortwachter]
		record := func() {
			ctx, r := auditedRequest(u, "GET /werkvoorraad")
			if err := e.Svc.RecordRequest(ctx, r, 200); err != nil {
				t.Fatal(err)
			}
		}
		record()
		record()
		old := casework.AuditDay(e.Clock.Now())
		e.Clock.Add(31 * 24 * time.Hour)
		record()
		recent := casework.AuditDay(e.Clock.Now())
		if _, err := e.DB.SQL().ExecContext(context.Background(), `DELETE FROM audit_log WHERE day = '`+recent+`'`); err == nil {
			t.Fatal("the trigger let a recent day be deleted")
		}
		purged, err := e.Svc.PurgeAudit(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(purged) != 1 || purged[0].Day != old || purged[0].Rows != 2 {
			t.Fatalf("purged %+v, want %s with 2 rows", purged, old)
		}
		days := verify(t, e.Env)
		if b := broken(days); b != "" || len(days) != 2 || !days[0].Purged || days[1].Day != recent || days[1].Rows != 1 {
			t.Fatalf("after the purge: %+v (%s)", days, b)
		}
		if rows := auditRows(t, e.Env, casework.AuditFilter{To: old}); len(rows) != 0 {
			t.Fatalf("purged rows remain: %+v", rows)
		}
	})
}

type auditEnvT struct {
	*casetest.Env
	engine string
}

func forEachAuditEngine(t *testing.T, fn func(t *testing.T, e *auditEnvT)) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) { fn(t, &auditEnvT{Env: auditEnv(t, engine), engine: engine}) })
	}
}

func mustExec(t *testing.T, db *sql.DB, q string) {
	t.Helper()
	if _, err := db.ExecContext(context.Background(), q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
