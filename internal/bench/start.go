package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// StartOptions say which server to start.
type StartOptions struct {
	DSN       string
	Binary    string
	ServerLog string // appends the server's log to this file; "" keeps only its end, for errors
	Starts    int    // how many times to start it; 0 means 5
	Log       *slog.Logger
}

// StartReport is the server's start time and memory.
type StartReport struct {
	Engine                 string
	Starts                 []time.Duration // exec to the first 200 from /healthz
	RSSStart, RSSIdle      float64         // MB: at the first 200, and 5 s later
	RSSLoaded, RSSSettled  float64         // MB: after Requests requests, and 5 s later
	Requests, LoadedErrors int
}

// startLoadFor bounds the requests between the memory readings in time: on
// a slow database 2,000 pages can take many minutes.
const startLoadFor = time.Minute

// Start starts the server several times and times each start (exec to the
// first 200 from /healthz), then reads its resident memory (VmRSS of
// /proc/PID/status) right after start, idle, after 2,000 page and API
// requests from 8 users (or as many as a minute allows), and idle again.
func Start(ctx context.Context, o StartOptions) (StartReport, error) {
	if o.Log == nil {
		o.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.Starts == 0 {
		o.Starts = 5
	}
	rep := StartReport{Engine: engineOf(o.DSN), Requests: 2000}
	f, err := prepare(ctx, o.DSN, 0, o.Log)
	if err != nil {
		return rep, err
	}
	for i := range o.Starts {
		s, err := startServer(ctx, serverOptions{Binary: o.Binary, DSN: o.DSN, LogFile: o.ServerLog, Worker: true, Log: o.Log})
		if err != nil {
			return rep, err
		}
		rep.Starts = append(rep.Starts, s.started)
		if i < o.Starts-1 {
			s.stop()
			continue
		}
		err = func() error {
			defer s.stop()
			if rep.RSSStart, err = s.rssMB(); err != nil {
				return err
			}
			time.Sleep(5 * time.Second) // idle: what the server holds while nobody asks
			if rep.RSSIdle, err = s.rssMB(); err != nil {
				return err
			}
			c, err := newCaller(ctx, s.base, f, WorklistUser)
			if err != nil {
				return err
			}
			var wg sync.WaitGroup
			var mu sync.Mutex
			next, sent := 0, 0
			until := time.Now().Add(startLoadFor)
			for range 8 {
				wg.Go(func() {
					for {
						mu.Lock()
						i := next
						next++
						if i < rep.Requests && time.Now().Before(until) {
							sent++
						} else {
							i = -1
						}
						mu.Unlock()
						if i < 0 {
							return
						}
						p := pages[i%len(pages)]
						if _, _, err := c.do(ctx, http.MethodGet, p.path(f, i), p.api, nil); err != nil {
							mu.Lock()
							rep.LoadedErrors++
							mu.Unlock()
						}
					}
				})
			}
			wg.Wait()
			rep.Requests = sent
			if rep.RSSLoaded, err = s.rssMB(); err != nil {
				return err
			}
			time.Sleep(5 * time.Second)
			rep.RSSSettled, err = s.rssMB()
			return err
		}()
		if err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// Markdown is the report as a table.
func (r StartReport) Markdown() string {
	var b strings.Builder
	s := slices.Clone(r.Starts)
	slices.Sort(s)
	var all []string
	for _, d := range r.Starts {
		all = append(all, ms(d))
	}
	fmt.Fprintf(&b, "| %s | value |\n|---|---|\n", r.Engine)
	fmt.Fprintf(&b, "| first 200 from /healthz after exec (median of %d; all: %s) | %s |\n", len(s), strings.Join(all, ", "), ms(s[len(s)/2]))
	fmt.Fprintf(&b, "| RSS at the first 200 | %.1f MB |\n", r.RSSStart)
	fmt.Fprintf(&b, "| RSS idle, 5 s after start | %.1f MB |\n", r.RSSIdle)
	fmt.Fprintf(&b, "| RSS right after %d requests (8 users; %d errors) | %.1f MB |\n", r.Requests, r.LoadedErrors, r.RSSLoaded)
	fmt.Fprintf(&b, "| RSS idle, 5 s after those requests | %.1f MB |\n", r.RSSSettled)
	return b.String()
}
