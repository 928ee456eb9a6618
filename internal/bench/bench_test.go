package bench

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/demo"
	"github.com/bar-organisatie/werkdiagnose/internal/store"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// InFlight is how many cases the step benchmark completes at once.
const InFlight = 16

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// BenchmarkStepCompletion completes b.N intakes through the service
// (casework.CompleteTask: the step's checks, effects, history, messages and
// jobs in one transaction), 16 cases in flight, and then runs b.N bare
// step transactions on the same database (bareStep: the UPDATE of the task
// and three INSERTs into the real tables), also 16 at once. It reports
// both rates and their ratio, the share of the storage's ceiling the
// service reaches (issue 11: at least 0.5 on SQLite, 0.4 on PostgreSQL).
// Run it with a fixed count, e.g. -benchtime 2000x; b.N applications are
// made first, outside the timing.
func BenchmarkStepCompletion(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			db := storetest.Open(b, engine)
			svc, steps := stepsToComplete(b, db, b.N, 30000000)
			var failed atomic.Int64
			b.ResetTimer()
			start := time.Now()
			parallel(len(steps), func(i int) {
				c := steps[i]
				if _, err := svc.CompleteTask(ctx, c.actor, c.task, c.ver, c.vals); err != nil {
					if failed.Add(1) == 1 {
						b.Errorf("complete task %d: %v", c.task, err)
					}
				}
			})
			svcTook := time.Since(start)
			b.StopTimer()
			bare := newBareStep(db)
			if err := bare.load(ctx); err != nil {
				b.Fatal(err)
			}
			start = time.Now()
			parallel(len(steps), func(i int) {
				if err := bare.run(ctx, steps[i].task, steps[i].actor.User.ID); err != nil {
					if failed.Add(1) == 1 {
						b.Errorf("bare step: %v", err)
					}
				}
			})
			bareTook := time.Since(start)
			svcRate := float64(len(steps)) / svcTook.Seconds()
			bareRate := float64(len(steps)) / bareTook.Seconds()
			b.ReportMetric(svcRate, "steps/s")
			b.ReportMetric(bareRate, "bare_tx/s")
			b.ReportMetric(svcRate/bareRate, "ratio")
		})
	}
}

// stepsToComplete makes the service on db, the demo users, and n
// applications whose intakes wait to be completed (BSNs from bsnFrom on).
func stepsToComplete(tb testing.TB, db *store.DB, n, bsnFrom int) (*casework.Service, []completion) {
	tb.Helper()
	ctx := context.Background()
	svc, _, _, err := newService(ctx, db, casework.SystemClock{}, quiet)
	if err != nil {
		tb.Fatal(err)
	}
	users, err := demo.CreateUsers(ctx, svc, Password)
	if err != nil {
		tb.Fatal(err)
	}
	warm := warmUp(n)
	steps, err := prepareSteps(ctx, svc, users, warm+n, bsnFrom)
	if err != nil {
		tb.Fatal(err)
	}
	// A running system has completed steps before: the warm-up completes
	// some, so that the tables a step reads and writes (step records,
	// history, reminders, messages) are not empty when planned, and the
	// pool's connections have prepared the step's statements.
	parallel(warm, func(i int) {
		c := steps[i]
		if _, err := svc.CompleteTask(ctx, c.actor, c.task, c.ver, c.vals); err != nil {
			tb.Errorf("warm-up: complete task %d: %v", c.task, err)
		}
	})
	steps = steps[warm:]
	// As autovacuum would have after the inserts: without statistics
	// PostgreSQL plans the step's statements for empty tables.
	if err := analyze(ctx, db); err != nil {
		tb.Fatal(err)
	}
	return svc, steps
}

// warmUp is how many steps stepsToComplete completes before n are timed:
// a tenth, at least one per goroutine in flight.
func warmUp(n int) int { return max(n/10, InFlight) }

// parallel runs fn(0…n-1) on InFlight goroutines.
func parallel(n int, fn func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range InFlight {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				fn(i)
			}
		})
	}
	wg.Wait()
}

// BenchmarkPages times the use cases behind the main pages (the team
// worklist, a client's file, a task page) on a small generated database
// (the demo and copies of it, 500 cases), as the worklist user. The HTTP
// timings at full size come from `werkdiagnose bench pages`.
func BenchmarkPages(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			dsn := storetest.DSN(b, engine)
			if _, err := Generate(ctx, GenerateOptions{DSN: dsn, Cases: 500, ClosedTemplates: 1, Seed: 1}); err != nil {
				b.Fatal(err)
			}
			f, err := prepare(ctx, dsn, 0, quiet)
			if err != nil {
				b.Fatal(err)
			}
			db, err := store.Open(ctx, dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			svc, _, _, err := newService(ctx, db, casework.SystemClock{}, quiet)
			if err != nil {
				b.Fatal(err)
			}
			u, err := svc.UserByUsername(ctx, WorklistUser)
			if err != nil {
				b.Fatal(err)
			}
			a := casework.Actor{User: u}
			for _, p := range []struct {
				name string
				fn   func(i int) error
			}{
				{"worklist", func(int) error { _, err := svc.Worklist(ctx, a, casework.WorklistQuery{}); return err }},
				{"client file", func(i int) error { _, err := svc.ClientFile(ctx, a, f.clients[i%len(f.clients)]); return err }},
				{"task page", func(i int) error { _, err := svc.TaskPage(ctx, a, f.tasks[i%len(f.tasks)]); return err }},
			} {
				b.Run(p.name, func(b *testing.B) {
					var ds []time.Duration
					i := 0
					for b.Loop() {
						start := time.Now()
						if err := p.fn(i); err != nil {
							b.Fatal(err)
						}
						ds = append(ds, time.Since(start))
						i++
					}
					b.ReportMetric(float64(quantile(ds, 0.5).Microseconds())/1000, "p50_ms")
					b.ReportMetric(float64(quantile(ds, 0.99).Microseconds())/1000, "p99_ms")
				})
			}
		})
	}
}
