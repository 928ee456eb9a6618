package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/bench"
)

// cmdBench runs the performance harness (docs/performance.md): generate
// loads realistic data, pages times the main pages, start measures start
// time and memory, load runs the loopback load test.
func cmdBench(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	if len(args) == 0 {
		return errUsage
	}
	fs := flag.NewFlagSet("bench "+args[0], flag.ContinueOnError)
	database := fs.String("database", "", "SQLite file path or postgres:// URL of the bench database")
	cases := fs.Int("cases", 100000, "generate: cases to reach")
	seed := fs.Uint64("seed", 1, "generate: random seed")
	binary := fs.String("binary", "", "pages, start, load: the werkdiagnose binary to run as the server (default: this one)")
	requests := fs.Int("requests", 200, "pages: timed requests per page and concurrency")
	duration := fs.Duration("duration", 60*time.Second, "load: how long the load runs")
	rate := fs.Float64("rate", 47, "load: page and API requests per second")
	steps := fs.Float64("steps", 7, "load: step completions per second")
	pin := fs.Bool("pin", true, "load: pin the server to one core (taskset -c 0, GOMAXPROCS=1)")
	target := fs.String("target", "", "load, pages: URL of a running server on loopback instead of starting one")
	serverLog := fs.String("server-log", "", "pages, start, load: append the server's log to this file")
	if err := fs.Parse(args[1:]); err != nil {
		return errUsage
	}
	if *database == "" {
		return errors.New("bench: --database is required")
	}
	switch args[0] {
	case "generate":
		rep, err := bench.Generate(ctx, bench.GenerateOptions{DSN: *database, Cases: *cases, Seed: *seed, Log: log})
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, rep.Markdown())
		return nil
	case "pages":
		rep, err := bench.Pages(ctx, bench.PagesOptions{DSN: *database, Binary: *binary, ServerLog: *serverLog, Requests: *requests, Target: *target, Log: log})
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, rep.Markdown())
		return nil
	case "start":
		rep, err := bench.Start(ctx, bench.StartOptions{DSN: *database, Binary: *binary, ServerLog: *serverLog, Log: log})
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, rep.Markdown())
		return nil
	case "load":
		rep, err := bench.Load(ctx, bench.LoadOptions{DSN: *database, Binary: *binary, ServerLog: *serverLog, Duration: *duration, Rate: *rate,
			Steps: *steps, Pin: *pin, Target: *target, Log: log})
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, rep.Markdown())
		return nil
	}
	return errUsage
}
