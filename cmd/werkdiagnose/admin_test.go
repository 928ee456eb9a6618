package main

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestAdminListener: with --admin-addr the profiler answers on that
// listener only; the application's own listener does not serve it.
func TestAdminListener(t *testing.T) {
	t.Parallel()
	out, serveLog, stop := startServe(t, "--admin-addr", "127.0.0.1:0")
	app := regexp.MustCompile(`draait op (http://\S+)`).FindStringSubmatch(out.String())
	admin := regexp.MustCompile(`msg="admin listener" addr=(\S+)`).FindStringSubmatch(serveLog.String())
	if app == nil || admin == nil {
		t.Fatalf("no application URL or admin address:\n%s\n%s", out.String(), serveLog.String())
	}
	get := func(url string) (int, string) {
		t.Helper()
		c := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, err := c.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(body)
	}
	if code, body := get("http://" + admin[1] + "/debug/pprof/"); code != http.StatusOK || !strings.Contains(body, "goroutine") {
		t.Errorf("admin /debug/pprof/: %d, want 200 with the profiles:\n%.300s", code, body)
	}
	if code, body := get("http://" + admin[1] + "/debug/pprof/heap?debug=1"); code != http.StatusOK || !strings.Contains(body, "heap profile") {
		t.Errorf("admin heap profile: %d:\n%.300s", code, body)
	}
	if code, body := get(app[1] + "/debug/pprof/"); code == http.StatusOK || strings.Contains(body, "goroutine") {
		t.Errorf("the application's listener serves the profiler: %d", code)
	}
	stop()
}

// startServe runs serve without the worker on a fresh SQLite database and
// a free port, with extra flags, until it says it has started. stop ends
// it and fails the test when it did not stop cleanly.
func startServe(t *testing.T, flags ...string) (out, serveLog *syncBuffer, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	out, serveLog = &syncBuffer{}, &syncBuffer{}
	done := make(chan error, 1)
	args := append([]string{"serve", "--worker=false", "--addr", "127.0.0.1:0", "--database", filepath.Join(t.TempDir(), "wd.db"),
		"--config", noPDF(t)}, flags...)
	go func() { done <- run(ctx, args, out, serveLog) }()
	poll(t, 60*time.Second, "serve started", func() bool { return strings.Contains(out.String(), "Stoppen") })
	return out, serveLog, func() {
		t.Helper()
		cancel()
		waitServeStopped(t, done)
	}
}

// waitServeStopped waits for serve, cancelled, to return done's error
// (at most 15 s) and fails on an error.
func waitServeStopped(t *testing.T, done <-chan error) {
	t.Helper()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
}
