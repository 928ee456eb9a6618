package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// TestAuditVerify: `werkdiagnose audit verify` passes on an intact log and
// fails, naming the day and the row, once a row was altered behind the
// trigger's back (as an attacker with database rights could), on both
// engines.
func TestAuditVerify(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.DSN(t, engine)
			log := slog.New(slog.DiscardHandler)
			cfg := filepath.Join(t.TempDir(), "config.json")
			body := `{"pdf": {"renderer": "none"}, "mail": {"pickup_dir": "` + filepath.ToSlash(filepath.Join(t.TempDir(), "mail")) + `"}}`
			if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			c := common{database: dsn, configPath: cfg}
			a, err := c.open(ctx, log, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer a.close()
			for i := range 3 {
				r := &casework.AuditRequest{Channel: casework.ChannelWeb, Action: fmt.Sprintf("GET /werkvoorraad/%d", i),
					Trace: casework.StartTrace("", ""), Started: time.Now()}
				r.SetActor(casework.User{ID: 1})
				if err := a.svc.RecordRequest(casework.WithAudit(ctx, r), r, 200); err != nil {
					t.Fatal(err)
				}
			}
			day := casework.AuditDay(time.Now())
			verify := func(args ...string) (string, error) {
				var out bytes.Buffer
				err := run(ctx, append([]string{"audit", "verify", "--database", dsn, "--config", cfg}, args...), &out, io.Discard)
				return out.String(), err
			}
			out, err := verify("--from", day, "--to", day)
			if err != nil || !strings.Contains(out, day+"  in orde (3 regels)") {
				t.Fatalf("intact: %v\n%s", err, out)
			}
			if engine == "postgres" {
				mustExecDB(t, a, `ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`)
			} else {
				mustExecDB(t, a, `DROP TRIGGER audit_log_no_update`)
			}
			mustExecDB(t, a, `UPDATE audit_log SET client_id = 42 WHERE seq = 2`)
			out, err = verify()
			if err == nil || !strings.Contains(out, day+"  GEBROKEN: regel 2 (id ") {
				t.Fatalf("tampered: %v\n%s", err, out)
			}
			if _, err := verify("--from", "gisteren"); err == nil {
				t.Fatal("a bad date was accepted")
			}
		})
	}
}

func mustExecDB(t *testing.T, a *app, q string) {
	t.Helper()
	if _, err := a.db.SQL().ExecContext(context.Background(), q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
