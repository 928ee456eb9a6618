package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
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
	db := filepath.Join(t.TempDir(), "wd.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--addr", "127.0.0.1:0", "--database", db}, pw, io.Discard)
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
	// files beside the database.
	deadline := time.Now().Add(20 * time.Second)
	for {
		files, _ := filepath.Glob(filepath.Join(db+"-mail", "*.eml"))
		if linked(files, url+"/taken/") {
			break // a hand-over links its task at the address serve listens on
		}
		if time.Now().After(deadline) {
			t.Fatalf("no hand-over linking %s/taken/ delivered to the pickup directory", url)
		}
		time.Sleep(100 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
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
// mail to other instances.
func TestServeWithoutWorker(t *testing.T) {
	db := filepath.Join(t.TempDir(), "wd.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--worker=false", "--addr", "127.0.0.1:0", "--database", db}, &out, io.Discard)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(out.String(), "Stoppen") {
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start: %s", out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(out.String(), "Achtergrondtaken (e-mail, herinneringen) staan uit") {
		t.Errorf("serve output does not say the worker is off:\n%s", out.String())
	}
	time.Sleep(time.Second) // a worker would have delivered by now (see TestServeWithDemoPrintsURLAndLogins)
	if files, _ := filepath.Glob(filepath.Join(db+"-mail", "*.eml")); len(files) != 0 {
		t.Errorf("%d mails delivered with the worker off", len(files))
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
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
	db := filepath.Join(t.TempDir(), "wd.db")
	if err := run(context.Background(), []string{"demo", "--database", db}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"worker", "--database", db}, &out, io.Discard) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		files, _ := filepath.Glob(filepath.Join(db+"-mail", "*.eml"))
		if len(files) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("worker delivered nothing; output: %s", out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "achtergrondtaken draaien") {
		t.Errorf("worker output: %q", out.String())
	}
}
