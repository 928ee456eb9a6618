// Command werkdiagnose runs the Pilot Werkdiagnose: the web UI, the JSON
// API and the command-line tasks around them.
//
//	werkdiagnose serve [--addr :8080] [--database PATH|postgres://...] [--config FILE] [--demo] [--worker=false]
//	werkdiagnose worker [--database ...] [--config FILE]
//	werkdiagnose migrate [--database ...]
//	werkdiagnose demo [--database ...]
//	werkdiagnose user add --username U --name N --email E --roles r1,r2 [--password P]
//	werkdiagnose process show [--config FILE] [--json]
//	werkdiagnose audit verify [--from DATE] [--to DATE] [--database ...]
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // Europe/Amsterdam on machines without a zoneinfo database
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "werkdiagnose:", err)
		}
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

const usage = `werkdiagnose — Pilot Werkdiagnose

Commands:
  serve     run the web UI, the API and the background worker
            (--addr, --database, --config, --demo, --worker=false)
  worker    run only the background worker: mail, reminders, digests
            (--database, --config)
  migrate   bring the database schema up to date (--database, --config)
  demo      load invented users and clients (--database, --config)
  user add  add an account (--username, --name, --email, --roles, --password)
  process show
            print the process definition: steps, forms, checks, effects,
            what follows each step and the routes (--config, --json)
  process permissions
            print the permission table (role × action × relation) and
            what need-to-know means under the policy (--config)
  audit verify
            check the hash chain of the audit log per day; exit status 1
            names a broken day and row (--from, --to YYYY-MM-DD, --database)
  bench generate|pages|start|load
            the performance harness (docs/performance.md): generate
            realistic data into an empty database (--cases), time the main
            pages, the start and memory, or run the loopback load test
            (--database, --duration, --rate, --steps)

The database is a SQLite file path (default werkdiagnose.db) or a
postgres:// URL, from --database or WERKDIAGNOSE_DATABASE.
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "serve":
		return cmdServe(ctx, args[1:], stdout, log)
	case "worker":
		return cmdWorker(ctx, args[1:], stdout, log)
	case "migrate":
		return cmdMigrate(ctx, args[1:], stdout, log)
	case "demo":
		return cmdDemo(ctx, args[1:], stdout, log)
	case "bench":
		return cmdBench(ctx, args[1:], stdout, log)
	case "user":
		if len(args) > 1 && args[1] == "add" {
			return cmdUserAdd(ctx, args[2:], stdout, log)
		}
	case "process":
		if len(args) > 1 && args[1] == "show" {
			return cmdProcessShow(ctx, args[2:], stdout)
		}
		if len(args) > 1 && args[1] == "permissions" {
			return cmdProcessPermissions(ctx, args[2:], stdout)
		}
	case "audit":
		if len(args) > 1 && args[1] == "verify" {
			return cmdAuditVerify(ctx, args[2:], stdout, log)
		}
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return errUsage
}
