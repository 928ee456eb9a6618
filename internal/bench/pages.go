package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func randFor(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 445)) }

// page is one kind of request the harness times.
type page struct {
	name string
	api  bool
	path func(f *fixture, i int) string
}

// pages are the main pages of a caseworker: the team worklist, a client's
// page and a task page, each as HTML (session cookie) and as API (token).
var pages = []page{
	{"worklist HTML", false, func(*fixture, int) string { return "/werkvoorraad" }},
	{"worklist API", true, func(*fixture, int) string { return "/api/werkvoorraad" }},
	{"client page HTML", false, func(f *fixture, i int) string { return fmt.Sprintf("/klanten/%d", f.clients[i%len(f.clients)]) }},
	{"client page API", true, func(f *fixture, i int) string { return fmt.Sprintf("/api/klanten/%d", f.clients[i%len(f.clients)]) }},
	{"task page HTML", false, func(f *fixture, i int) string { return fmt.Sprintf("/taken/%d", f.tasks[i%len(f.tasks)]) }},
	{"task page API", true, func(f *fixture, i int) string { return fmt.Sprintf("/api/taken/%d", f.tasks[i%len(f.tasks)]) }},
}

// caller sends the harness's requests as one user: the session for HTML,
// the token for the API.
type caller struct {
	web   *http.Client
	api   *http.Client
	token string
	base  string
}

func newCaller(ctx context.Context, base string, f *fixture, user string) (*caller, error) {
	web, err := login(ctx, base, user)
	if err != nil {
		return nil, err
	}
	return &caller{web: web, api: newClient(), token: f.tokens[user], base: base}, nil
}

// do sends one request and returns its time and whether it counts as an
// error: a transport error or a status other than 2xx or 3xx.
func (c *caller) do(ctx context.Context, method, path string, api bool, body []byte) (time.Duration, int, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return 0, 0, err
	}
	cl := c.web
	if api {
		cl = c.api
		req.Header.Set("Authorization", "Bearer "+c.token)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
	}
	start := time.Now()
	resp, err := cl.Do(req)
	if err != nil {
		return time.Since(start), 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	d := time.Since(start)
	if err != nil {
		return d, resp.StatusCode, err
	}
	if resp.StatusCode >= 400 {
		return d, resp.StatusCode, fmt.Errorf("%s %s: %s", method, path, resp.Status)
	}
	return d, resp.StatusCode, nil
}

// PagesOptions say what to time.
type PagesOptions struct {
	DSN       string
	Binary    string
	ServerLog string // appends the server's log to this file; "" keeps only its end, for errors
	Target    string // a running server on loopback; "" starts one
	Requests  int    // timed requests per page and concurrency
	Log       *slog.Logger
}

// PageTiming is one page at one concurrency.
type PageTiming struct {
	Page     string
	Users    int
	N        int
	Errors   int
	P50, P99 time.Duration
}

// PagesReport holds the timings of every page.
type PagesReport struct {
	Engine  string
	Timings []PageTiming
}

// Pages times the worklist, the client page and the task page, as HTML and
// API, at 1 and 8 concurrent users, against the real server on loopback.
// A time is the request's round trip on loopback: the server's time plus
// the loopback's few tens of microseconds.
func Pages(ctx context.Context, o PagesOptions) (PagesReport, error) {
	if o.Log == nil {
		o.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	rep := PagesReport{Engine: engineOf(o.DSN)}
	if o.Target != "" {
		if err := loopback(o.Target); err != nil {
			return rep, err
		}
	}
	f, err := prepare(ctx, o.DSN, 0, o.Log)
	if err != nil {
		return rep, err
	}
	base := o.Target
	if base == "" {
		s, err := startServer(ctx, serverOptions{Binary: o.Binary, DSN: o.DSN, LogFile: o.ServerLog, Log: o.Log})
		if err != nil {
			return rep, err
		}
		defer s.stop()
		base = s.base
	}
	if err := loopback(base); err != nil {
		return rep, err
	}
	c, err := newCaller(ctx, base, f, WorklistUser)
	if err != nil {
		return rep, err
	}
	for _, p := range pages {
		for _, users := range []int{1, 8} {
			// Warm up, 5 requests a user at this concurrency: the first
			// requests fill caches, and each connection the server's pool
			// opens for the users prepares and plans its statements once
			// (a running server keeps its connections).
			if w := timePage(ctx, c, f, p, users, 5*users); w.Errors > 0 {
				return rep, fmt.Errorf("bench: %s: %d of %d warm-up requests failed", p.name, w.Errors, w.N)
			}
			t := timePage(ctx, c, f, p, users, o.Requests)
			rep.Timings = append(rep.Timings, t)
			o.Log.Info("page", "page", p.name, "users", users, "p50", t.P50, "p99", t.P99, "errors", t.Errors)
		}
	}
	return rep, nil
}

// pageBudget bounds the time of one page at one concurrency: a slow page
// is timed on fewer requests (the report says how many).
const pageBudget = 45 * time.Second

// timePage sends n requests for the page from `users` concurrent callers,
// or as many as pageBudget allows.
func timePage(ctx context.Context, c *caller, f *fixture, p page, users, n int) PageTiming {
	until := time.Now().Add(pageBudget)
	var next atomic.Int64
	var mu sync.Mutex
	var ds []time.Duration
	errs := 0
	var wg sync.WaitGroup
	for range users {
		wg.Go(func() {
			for {
				i := int(next.Add(1))
				if i > n || time.Now().After(until) {
					return
				}
				d, _, err := c.do(ctx, http.MethodGet, p.path(f, i), p.api, nil)
				mu.Lock()
				ds = append(ds, d)
				if err != nil {
					errs++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return PageTiming{Page: p.name, Users: users, N: len(ds), Errors: errs, P50: quantile(ds, 0.50), P99: quantile(ds, 0.99)}
}

// quantile is the q-quantile of ds (nearest rank).
func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(q*float64(len(s)) + 0.5)
	i = min(max(i-1, 0), len(s)-1)
	return s[i]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func engineOf(dsn string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return "postgres"
	}
	return "sqlite"
}

// Markdown is the report as a table.
func (r PagesReport) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "| %s: page | users | requests | p50 | p99 | errors |\n|---|---|---|---|---|---|\n", r.Engine)
	for _, t := range r.Timings {
		fmt.Fprintf(&b, "| %s | %d | %d | %s | %s | %d |\n", t.Page, t.Users, t.N, ms(t.P50), ms(t.P99), t.Errors)
	}
	return b.String()
}
