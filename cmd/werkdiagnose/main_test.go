package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/config"
)

// TestMain keeps the tests out of the package directory. They run without
// the WERKDIAGNOSE_* settings of the shell that started them, which would
// replace each test's own database and configuration (in t.TempDir()), and
// they fail when mail was written beside the sources: the pickup directory
// of a test belongs in its t.TempDir().
func TestMain(m *testing.M) {
	for _, env := range []string{config.EnvConfig, config.EnvDatabase, config.EnvAddr, config.EnvBaseURL, config.EnvSMTPPassword} {
		os.Unsetenv(env)
	}
	code := m.Run()
	if demoDB.dir != "" {
		os.RemoveAll(demoDB.dir)
	}
	for _, pattern := range []string{"*-mail", "*.eml"} {
		if left, _ := filepath.Glob(pattern); len(left) > 0 {
			fmt.Fprintf(os.Stderr, "tests wrote %v into the package directory; write into t.TempDir()\n", left)
			code = 1
		}
	}
	os.Exit(code)
}

// demoDB is a SQLite database with the demo data, loaded once by the demo
// command for the tests that need one; each gets its own copy.
var demoDB struct {
	sync.Once
	dir, path string
	err       error
}

// demoDatabase returns the path of a fresh copy of the demo database in
// t.TempDir(): users, clients and the mail they caused, waiting for a
// worker.
// noPDF is a configuration file that turns the PDF renderer off: these
// tests are about the commands, and the worker would otherwise print every
// letter of the demo with Chromium before it stops.
func noPDF(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "geen-pdf.json")
	if err := os.WriteFile(path, []byte(`{"pdf": {"renderer": "none"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func demoDatabase(t *testing.T) string {
	t.Helper()
	demoDB.Do(func() {
		if demoDB.dir, demoDB.err = os.MkdirTemp("", "werkdiagnose-demo-"); demoDB.err != nil {
			return
		}
		demoDB.path = filepath.Join(demoDB.dir, "demo.db")
		demoDB.err = run(context.Background(), []string{"demo", "--database", demoDB.path}, io.Discard, io.Discard)
	})
	if demoDB.err != nil {
		t.Fatalf("demo database: %v", demoDB.err)
	}
	db := filepath.Join(t.TempDir(), "wd.db")
	// The demo command closed the database, which checkpointed its WAL: the
	// file is all of it.
	body, err := os.ReadFile(demoDB.path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(db, body, 0o600); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestCommands(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "wd.db")
	var out, errb bytes.Buffer
	if err := run(ctx, []string{"migrate", "--database", db}, &out, &errb); err != nil {
		t.Fatalf("migrate: %v %s", err, errb.String())
	}
	if !strings.Contains(out.String(), "bijgewerkt") {
		t.Errorf("migrate output %q", out.String())
	}
	out.Reset()
	err := run(ctx, []string{"user", "add", "--database", db, "--username", "x", "--name", "", "--email", "nope", "--roles", "koning", "--password", "kort"}, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "--rollen: Onbekende rol: koning") || !strings.Contains(err.Error(), "--wachtwoord") {
		t.Fatalf("invalid user add: %v", err)
	}
	if err := run(ctx, []string{"user", "add", "--database", db, "--username", "jan", "--name", "Jan Test", "--email", "jan@example.org",
		"--roles", "poortwachter,teamleider", "--password", "een-lang-wachtwoord"}, &out, &errb); err != nil {
		t.Fatalf("user add: %v", err)
	}
	if !strings.Contains(out.String(), "Poortwachter, Teamleider") {
		t.Errorf("user add output %q", out.String())
	}
	if err := run(ctx, []string{"bestaatniet"}, &out, &errb); err == nil {
		t.Error("unknown command accepted")
	}
}

func TestServeWithDemoPrintsURLAndLogins(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "wd.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--addr", "127.0.0.1:0", "--database", db, "--config", noPDF(t)}, pw, io.Discard)
		pw.Close()
	}()

	sc := bufio.NewScanner(pr)
	var url string
	logins := 0
	for sc.Scan() {
		line := sc.Text()
		if m := regexp.MustCompile(`draait op (http://\S+)`).FindStringSubmatch(line); m != nil {
			url = m[1]
		}
		if strings.Contains(line, "Poortwachter") || strings.Contains(line, "Klantmanager") || strings.Contains(line, "Teamleider") {
			logins++
		}
		if strings.Contains(line, "Stoppen") {
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if url == "" || logins < 8 {
		t.Fatalf("serve printed url=%q and %d logins", url, logins)
	}
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz = %d", resp.StatusCode)
	}
	resp, err = client.Get(url + "/api/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("openapi = %d", resp.StatusCode)
	}
	// Without an SMTP server the worker delivers the demo's mail as .eml
	// files beside the database; a hand-over links its task at the address
	// serve listens on.
	// The demo's mail includes its letters, each printed to PDF first: on a
	// busy machine the queue takes a while to reach the first hand-over.
	poll(t, 3*time.Minute, "a hand-over linking "+url+"/taken/ is in the pickup directory", func() bool {
		files, _ := filepath.Glob(filepath.Join(db+"-mail", "*.eml"))
		return linked(files, url+"/taken/")
	})
	cancel()
	waitServeStopped(t, done)
}

// TestServeRefusesMalformedMailbox: a team mailbox that is not an address
// stops the start with a message naming the team and the value.
func TestServeRefusesMalformedMailbox(t *testing.T) {
	cfg := config.Default()
	cfg.Policy.Teams[1].Mailbox = "ondersteuning.participatie"
	body, err := json.Marshal(map[string]any{"policy": cfg.Policy})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	err = run(context.Background(), []string{"serve", "--config", path, "--database", filepath.Join(t.TempDir(), "wd.db")}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), `team "top": mailbox "ondersteuning.participatie" is not an e-mail address`) {
		t.Fatalf("serve with a malformed mailbox: %v", err)
	}
}

// linked reports whether one of the mail files contains link.
func linked(files []string, link string) bool {
	for _, f := range files {
		if b, err := os.ReadFile(f); err == nil && bytes.Contains(b, []byte(link)) {
			return true
		}
	}
	return false
}

// TestServeWithoutWorker: --worker=false serves the UI and leaves the
// mail to other instances. A `worker` process started next to it on the
// same database delivers the waiting mail; serve sends none of it.
func TestServeWithoutWorker(t *testing.T) {
	t.Parallel()
	db := demoDatabase(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, serveLog syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--worker=false", "--addr", "127.0.0.1:0", "--database", db, "--config", noPDF(t)}, &out, &serveLog)
	}()
	poll(t, 60*time.Second, "serve started", func() bool { return strings.Contains(out.String(), "Stoppen") })
	if !strings.Contains(out.String(), "Achtergrondtaken (e-mail, herinneringen) staan uit") {
		t.Errorf("serve output does not say the worker is off:\n%s", out.String())
	}
	// worker.Start logs before serve prints its banner.
	if strings.Contains(serveLog.String(), "worker started") {
		t.Fatalf("serve started a worker with --worker=false:\n%s", serveLog.String())
	}
	if files, _ := filepath.Glob(filepath.Join(db+"-mail", "*.eml")); len(files) != 0 {
		t.Errorf("%d mails delivered with the worker off", len(files))
	}

	// The demo's mail waits for a worker: one on the same database sends it.
	var workerLog syncBuffer
	workerDone := make(chan error, 1)
	go func() {
		workerDone <- run(ctx, []string{"worker", "--database", db, "--config", noPDF(t)}, io.Discard, &workerLog)
	}()
	poll(t, 3*time.Minute, "the worker process delivered mail", func() bool {
		files, _ := filepath.Glob(filepath.Join(db+"-mail", "*.eml"))
		return len(files) > 0
	})
	cancel()
	if err := <-workerDone; err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(serveLog.String(), `msg="mail sent"`); n != 0 {
		t.Errorf("serve --worker=false sent %d mails", n)
	}
	if !strings.Contains(workerLog.String(), `msg="mail sent"`) {
		t.Errorf("the worker process logged no sent mail:\n%s", workerLog.String())
	}
}

// poll checks cond until it holds, failing the test after timeout.
func poll(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting until %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestWorkerCommand: `werkdiagnose worker` delivers what a web-only
// instance left in the outbox.
func TestWorkerCommand(t *testing.T) {
	t.Parallel()
	db := demoDatabase(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"worker", "--database", db, "--config", noPDF(t)}, &out, io.Discard) }()
	poll(t, 3*time.Minute, "the worker delivered mail", func() bool {
		files, _ := filepath.Glob(filepath.Join(db+"-mail", "*.eml"))
		return len(files) > 0
	})
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "achtergrondtaken draaien") {
		t.Errorf("worker output: %q", out.String())
	}
}
