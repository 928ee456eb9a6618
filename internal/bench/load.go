package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/bar-organisatie/werkdiagnose/internal/jobs"
	"github.com/bar-organisatie/werkdiagnose/internal/store"
)

// LoadOptions say how hard and how long to load the server.
type LoadOptions struct {
	DSN       string
	Binary    string
	ServerLog string        // appends the server's log to this file; "" keeps only its end, for errors
	Target    string        // a running server on loopback; "" starts one
	Duration  time.Duration // at most 10 minutes
	Rate      float64       // page and API requests per second
	Steps     float64       // step completions per second
	Pin       bool          // the started server on one core
	Log       *slog.Logger
}

// LoadResult is one kind of request under load.
type LoadResult struct {
	Kind     string
	N        int
	Errors   int
	P50, P99 time.Duration
	Statuses map[int]int
}

// LoadReport is the outcome of the load test.
type LoadReport struct {
	Engine  string
	Options LoadOptions
	Results []LoadResult
	Total   LoadResult
	// Warm is Total without the first loadWarmUp: a server just started
	// plans each statement once per connection and fills its caches, and
	// a running one has done so long ago. Both are reported.
	Warm     LoadResult
	Elapsed  time.Duration
	Samples  []string // a few error messages
	RSSAfter float64
}

// mix is the share of each page in the page and API requests: mostly the
// HTML a caseworker reads, a fifth API calls of other systems.
var mix = []struct {
	page   int // index into pages
	weight int
}{{0, 25}, {2, 25}, {4, 20}, {1, 10}, {3, 10}, {5, 10}}

// loadWarmUp is the start of the load that LoadReport.Warm leaves out.
const loadWarmUp = 10 * time.Second

// Load runs a million-inhabitant city's mix against the server on
// loopback: Rate page and API requests and Steps step completions per
// second for Duration, sent on a fixed schedule (an open loop: a slow
// server gets the same arrivals, as it would from real users). Every
// request is counted; one that fails or answers neither 2xx nor 3xx is an
// error. It sends at most Duration×(Rate+Steps) requests and refuses a
// target that is not loopback.
func Load(ctx context.Context, o LoadOptions) (LoadReport, error) {
	if o.Log == nil {
		o.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	rep := LoadReport{Engine: engineOf(o.DSN), Options: o}
	if o.Duration <= 0 || o.Duration > 10*time.Minute {
		return rep, errors.New("bench: the load runs between 0 and 10 minutes")
	}
	if o.Rate < 0 || o.Steps < 0 || o.Rate+o.Steps > 2000 {
		return rep, errors.New("bench: at most 2000 requests per second")
	}
	if o.Target != "" {
		if err := loopback(o.Target); err != nil {
			return rep, err
		}
	}
	nSteps := int(o.Steps*o.Duration.Seconds() + 0.5)
	f, err := prepare(ctx, o.DSN, nSteps, o.Log)
	if err != nil {
		return rep, err
	}
	base := o.Target
	var srv *server
	if base == "" {
		srv, err = startServer(ctx, serverOptions{Binary: o.Binary, DSN: o.DSN, LogFile: o.ServerLog, Pin: o.Pin, Worker: true, NoPDF: true, Log: o.Log})
		if err != nil {
			return rep, err
		}
		defer srv.stop()
		base = srv.base
	}
	if err := loopback(base); err != nil {
		return rep, err
	}
	if srv != nil {
		// The applications made for the steps have mails and letters
		// waiting: their delivery is not the city's load, so the timed run
		// starts when the worker has sent them. Letters stay HTML here
		// (NoPDF): Chromium's PDF of a letter, a second of CPU, is not
		// part of the mix.
		if err := drained(ctx, o.DSN, 10*time.Minute, o.Log); err != nil {
			return rep, err
		}
	}
	// Two poortwachters read pages; each step is completed with the token
	// of the user who would do it.
	var readers []*caller
	for _, u := range []string{WorklistUser, "fatima"} {
		c, err := newCaller(ctx, base, f, u)
		if err != nil {
			return rep, err
		}
		readers = append(readers, c)
	}
	api := newClient()
	var weights []int
	for _, m := range mix {
		for range m.weight {
			weights = append(weights, m.page)
		}
	}
	// Interleaved, in a fixed order: every second has the whole mix.
	randFor(47).Shuffle(len(weights), func(i, j int) { weights[i], weights[j] = weights[j], weights[i] })

	type sample struct {
		kind   string
		at     time.Duration // when it was sent, from the start
		d      time.Duration
		status int
		err    error
	}
	var mu sync.Mutex
	var samples []sample
	record := func(s sample) {
		mu.Lock()
		samples = append(samples, s)
		mu.Unlock()
	}
	type event struct {
		at   time.Duration
		step int // -1: a page
	}
	var plan []event
	nPages := int(o.Rate*o.Duration.Seconds() + 0.5)
	for i := range nPages {
		plan = append(plan, event{at: time.Duration(float64(i) / o.Rate * float64(time.Second)), step: -1})
	}
	for i := range nSteps {
		plan = append(plan, event{at: time.Duration((float64(i) + 0.5) / o.Steps * float64(time.Second)), step: i})
	}
	sort.Slice(plan, func(i, j int) bool { return plan[i].at < plan[j].at })

	reqCtx, cancel := context.WithTimeout(ctx, o.Duration+time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	start := time.Now()
	pageN := 0
	for _, e := range plan {
		if d := time.Until(start.Add(e.at)); d > 0 {
			select {
			case <-time.After(d):
			case <-ctx.Done():
				return rep, ctx.Err()
			}
		}
		if e.step >= 0 {
			c := f.steps[e.step]
			cl := &caller{api: api, token: f.tokens[c.user], base: base}
			wg.Go(func() {
				d, st, err := cl.do(reqCtx, http.MethodPost, fmt.Sprintf("/api/taken/%d/afronden", c.task), true, c.body)
				record(sample{"step completion (API)", e.at, d, st, err})
			})
			continue
		}
		p := pages[weights[pageN%len(weights)]]
		c := readers[pageN%len(readers)]
		i := pageN
		pageN++
		wg.Go(func() {
			d, st, err := c.do(reqCtx, http.MethodGet, p.path(f, i), p.api, nil)
			record(sample{p.name, e.at, d, st, err})
		})
	}
	wg.Wait()
	rep.Elapsed = time.Since(start)
	if srv != nil {
		rep.RSSAfter, _ = srv.rssMB()
	}
	byKind := map[string][]sample{}
	var kinds []string
	for _, s := range samples {
		if _, ok := byKind[s.kind]; !ok {
			kinds = append(kinds, s.kind)
		}
		byKind[s.kind] = append(byKind[s.kind], s)
	}
	sort.Strings(kinds)
	summarize := func(kind string, ss []sample) LoadResult {
		r := LoadResult{Kind: kind, N: len(ss), Statuses: map[int]int{}}
		ds := make([]time.Duration, 0, len(ss))
		for _, s := range ss {
			ds = append(ds, s.d)
			r.Statuses[s.status]++
			if s.err != nil {
				r.Errors++
				if len(rep.Samples) < 5 {
					rep.Samples = append(rep.Samples, s.err.Error())
				}
			}
		}
		r.P50, r.P99 = quantile(ds, 0.5), quantile(ds, 0.99)
		return r
	}
	for _, k := range kinds {
		rep.Results = append(rep.Results, summarize(k, byKind[k]))
	}
	rep.Samples = nil
	rep.Total = summarize("all requests", samples)
	var warm []sample
	for _, s := range samples {
		if s.at >= loadWarmUp {
			warm = append(warm, s)
		}
	}
	rep.Warm = summarize(fmt.Sprintf("all requests after the first %s", loadWarmUp), warm)
	return rep, nil
}

// Markdown is the report as a table.
func (r LoadReport) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Load on %s: %.0f page/API requests/s + %.0f step completions/s for %s (server pinned to one core: %v); elapsed %s, server RSS after %.0f MB.\n\n",
		r.Engine, r.Options.Rate, r.Options.Steps, r.Options.Duration, r.Options.Pin, r.Elapsed.Round(time.Millisecond), r.RSSAfter)
	fmt.Fprintf(&b, "| request | n | p50 | p99 | errors | statuses |\n|---|---|---|---|---|---|\n")
	for _, x := range append(r.Results, r.Total, r.Warm) {
		var st []string
		for code, n := range x.Statuses {
			label := fmt.Sprint(code)
			if code == 0 {
				label = "no answer"
			}
			st = append(st, fmt.Sprintf("%s×%d", label, n))
		}
		sort.Strings(st)
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %d | %s |\n", x.Kind, x.N, ms(x.P50), ms(x.P99), x.Errors, strings.Join(st, " "))
	}
	for _, s := range r.Samples {
		fmt.Fprintf(&b, "\nerror: %s", s)
	}
	return b.String()
}

// drained waits until no delivery job is waiting or running (at most
// limit), polling the job table every half second.
func drained(ctx context.Context, dsn string, limit time.Duration, log *slog.Logger) error {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	until := time.Now().Add(limit)
	for {
		n, err := db.JobCount(ctx, jobs.Deliver{}.Kind())
		if err != nil {
			return err
		}
		waiting := n[rivertype.JobStateAvailable] + n[rivertype.JobStateRunning]
		if waiting == 0 {
			return nil
		}
		if time.Now().After(until) {
			return fmt.Errorf("bench: %d deliveries still waiting after %s", waiting, limit)
		}
		log.InfoContext(ctx, "waiting for the worker to send the prepared mails", "waiting", waiting)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}
