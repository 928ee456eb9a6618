// Command peer-goworkflows measures a peer workflow engine, go-workflows on
// its SQLite backend, on the machine werkdiagnose's benchmarks run on: a
// workflow of -steps activities, -inflight workflows at a time, for
// -duration. Each activity is one step, as a task completion is one step in
// werkdiagnose. It is its own module so that werkdiagnose does not depend
// on go-workflows; scripts/bench.sh runs it beside werkdiagnose's own
// benchmarks and docs/performance.md compares the two.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cschleiden/go-workflows/backend"
	"github.com/cschleiden/go-workflows/backend/sqlite"
	"github.com/cschleiden/go-workflows/client"
	"github.com/cschleiden/go-workflows/worker"
	"github.com/cschleiden/go-workflows/workflow"
	"github.com/google/uuid"
)

// Flow runs steps activities one after the other.
func Flow(ctx workflow.Context, steps int) (int, error) {
	n := 0
	for i := range steps {
		r, err := workflow.ExecuteActivity[int](ctx, workflow.DefaultActivityOptions, Step, i).Get(ctx)
		if err != nil {
			return n, err
		}
		n += r - i
	}
	return n, nil
}

// Step is an activity that does no work of its own: what is measured is
// the engine's bookkeeping per step.
func Step(_ context.Context, i int) (int, error) { return i + 1, nil }

func main() {
	duration := flag.Duration("duration", 20*time.Second, "how long to measure")
	inflight := flag.Int("inflight", 16, "workflows in flight")
	steps := flag.Int("steps", 7, "activities per workflow")
	flag.Parse()
	dir, err := os.MkdirTemp("", "peer-goworkflows")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(dir)
	quiet := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	b := sqlite.NewSqliteBackend(filepath.Join(dir, "wf.sqlite"), sqlite.WithBackendOptions(backend.WithLogger(quiet)))
	w := worker.New(b, &worker.DefaultOptions)
	if err := w.RegisterWorkflow(Flow); err != nil {
		fail(err)
	}
	if err := w.RegisterActivity(Step); err != nil {
		fail(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := w.Start(ctx); err != nil {
		fail(err)
	}
	c := client.New(b)
	var done, failed atomic.Int64
	var durs []time.Duration
	var mu sync.Mutex
	end := time.Now().Add(*duration)
	start := time.Now()
	var wg sync.WaitGroup
	for range *inflight {
		wg.Go(func() {
			for time.Now().Before(end) {
				t0 := time.Now()
				inst, err := c.CreateWorkflowInstance(ctx, client.WorkflowInstanceOptions{InstanceID: uuid.NewString()}, Flow, *steps)
				if err != nil {
					failed.Add(1)
					continue
				}
				n, err := client.GetWorkflowResult[int](ctx, c, inst, time.Minute)
				if err != nil || n != *steps {
					failed.Add(1)
					continue
				}
				done.Add(int64(n))
				mu.Lock()
				durs = append(durs, time.Since(t0)/time.Duration(*steps))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	cancel()
	fmt.Printf("go-workflows %s (SQLite): %d steps in %.1fs = %.0f steps/s, %d workflows of %d steps, %d in flight, %d failed\n",
		"v1.2.0", done.Load(), elapsed.Seconds(), float64(done.Load())/elapsed.Seconds(), len(durs), *steps, *inflight, failed.Load())
	if failed.Load() > 0 {
		os.Exit(1)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "peer-goworkflows:", err)
	os.Exit(1)
}
