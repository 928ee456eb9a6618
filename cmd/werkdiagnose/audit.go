package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/config"
	"github.com/bar-organisatie/werkdiagnose/internal/settings"
)

// cmdAuditVerify checks the hash chain of every day of the audit log in
// the range and prints one line per day. It fails (exit status 1) when a
// day is broken, naming the day and the row.
func cmdAuditVerify(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	var c common
	c.register(fs)
	from := fs.String("from", "", "first day to verify, YYYY-MM-DD (default: the oldest)")
	to := fs.String("to", "", "last day to verify, YYYY-MM-DD (default: the newest)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	for _, d := range []string{*from, *to} {
		if d == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return fmt.Errorf("audit verify: %q is no date (YYYY-MM-DD)", d)
		}
	}
	// Verifying needs no PDF renderer.
	a, err := c.open(ctx, log, func(cfg *config.Config) { cfg.PDF.Renderer = settings.RendererNone })
	if err != nil {
		return err
	}
	defer a.close()
	days, err := a.svc.VerifyAudit(ctx, *from, *to)
	if err != nil {
		return err
	}
	broken := 0
	for _, d := range days {
		switch {
		case d.Purged:
			fmt.Fprintf(stdout, "%s  opgeschoond (bewaartermijn verstreken, %d regels)\n", d.Day, d.Rows)
		case d.Broken != "":
			broken++
			fmt.Fprintf(stdout, "%s  GEBROKEN: %s\n", d.Day, d.Broken)
		default:
			fmt.Fprintf(stdout, "%s  in orde (%d regels)\n", d.Day, d.Rows)
		}
	}
	if len(days) == 0 {
		fmt.Fprintln(stdout, "Geen auditregels in deze periode.")
	}
	if broken > 0 {
		return fmt.Errorf("audit verify: the chain of %d day(s) is broken", broken)
	}
	return nil
}
