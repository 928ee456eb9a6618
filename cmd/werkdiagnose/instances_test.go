package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/mailer/mailtest"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// TestInstances runs the real binary as separate processes against one
// PostgreSQL schema and a test SMTP server, for the acceptance of
// multi-instance delivery: two serve processes deliver each message exactly
// once, and a process killed in the middle of delivery loses no message
// (a mail it had on the wire may arrive twice, with the same Message-ID).
//
// The demo data gives ~100 waiting messages and ~150 reminders whose time
// has passed; those fire as soon as a worker runs and add more messages,
// so the expectation is "every row of messages", not a fixed number.
//
// The kill case waits for River's leadership of the dead process to lapse
// (about 15 s) before its jobs are rescued, so the two cases run in
// parallel.
func TestInstances(t *testing.T) {
	if testing.Short() {
		t.Skip("starts several werkdiagnose processes")
	}
	t.Parallel() // its processes mostly wait; the in-process tests run meanwhile
	base := instancesPostgres(t)
	bin := filepath.Join(t.TempDir(), "werkdiagnose")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	t.Run("ExactlyOnce", func(t *testing.T) {
		t.Parallel()
		e := newInstanceEnv(t, bin, base)
		e.sink.SetDelay(100 * time.Millisecond) // so that both processes get work
		n := e.waiting()
		t.Logf("demo: %d waiting messages", n)

		start := time.Now()
		a, b := e.start("A"), e.start("B")
		a.waitReady(t)
		b.waitReady(t)
		// Both instances append to the one audit chain of the day at once
		// (a logout is audited and cheap: no password to hash).
		const logins = 10
		var wg sync.WaitGroup
		for _, p := range []*instance{a, b} {
			m := regexp.MustCompile(`draait op (http://\S+)`).FindSubmatch(p.stdout.bytes())
			if m == nil {
				t.Fatalf("%s: no address in its output", p.name)
			}
			for range logins {
				wg.Go(func() {
					res, err := http.PostForm(string(m[1])+"/uitloggen", url.Values{})
					if err != nil {
						t.Errorf("%s: logout: %v", p.name, err)
						return
					}
					res.Body.Close()
				})
			}
		}
		wg.Wait()
		// Every application has its receipt mailed too: some 240 mails of
		// the demo, 100 ms each at the sink, under -race on two cores.
		e.waitSettled(60 * time.Second)
		took := time.Since(start)
		a.term(t)
		b.term(t)

		rows := e.messages()
		got := e.received()
		t.Logf("delivered %d messages (%d waiting at start, the rest from reminders) in %s; received %d mails",
			len(rows), n, took.Round(time.Millisecond), len(got.all))
		if len(rows) < n {
			t.Errorf("%d messages in the table, fewer than the %d waiting at start", len(rows), n)
		}
		for id, m := range rows {
			if m.status != "verzonden" {
				t.Errorf("message %s: status %q", id, m.status)
			}
			if c := got.count[id]; c != 1 {
				t.Errorf("message %s (row %d) received %d times, want exactly once", id, m.id, c)
			}
		}
		for id, c := range got.count {
			if _, ok := rows[id]; !ok {
				t.Errorf("received %d mail(s) with Message-ID %s that is not in the messages table", c, id)
			}
		}

		if n := e.scalar(`SELECT count(*) FROM audit_log`); n != 2*logins {
			t.Errorf("%d audit rows, want %d", n, 2*logins)
		}
		if out, err := e.command("audit", "verify", "--config", e.cfg).CombinedOutput(); err != nil || !strings.Contains(string(out), "in orde") {
			t.Errorf("audit verify after two instances: %v\n%s", err, out)
		}

		sentA, sentB := a.mailsSent(), b.mailsSent()
		t.Logf("mails sent: A %d, B %d", sentA, sentB)
		if sentA+sentB != len(rows) {
			t.Errorf("the processes logged %d+%d sent mails, want %d", sentA, sentB, len(rows))
		}
		if sentA == 0 || sentB == 0 {
			t.Errorf("one process did all the work (A %d, B %d): exactly once, but the work did not spread", sentA, sentB)
		}
		clients := e.completedBy()
		t.Logf("completed delivery jobs per River client: %v", clients)
		if len(clients) != 2 {
			t.Errorf("delivery jobs were completed by %d River clients, want 2", len(clients))
		}
		if retried := e.scalar(`SELECT count(*) FROM river_job WHERE kind = 'bezorg_bericht' AND attempt > 1`); retried != 0 {
			t.Errorf("%d delivery jobs were attempted more than once", retried)
		}
	})

	t.Run("KilledMidDelivery", func(t *testing.T) {
		t.Parallel()
		e := newInstanceEnv(t, bin, base)
		// Only delivery here: the demo's reminders whose time has passed
		// would add mails while B recovers. ExactlyOnce covers the mails
		// they cause.
		e.exec(`UPDATE reminders SET status = 'vervallen' WHERE status = 'gepland'`)
		const slow = 1500 * time.Millisecond
		e.sink.SetDelay(slow) // every mail stays on the wire (after DATA, before the reply) this long
		n := e.waiting()
		t.Logf("demo: %d waiting messages", n)

		a := e.start("A")
		a.waitReady(t)
		e.sink.WaitFor(t, 1, 30*time.Second)
		// Both mail workers of A busy and both inside DATA, their mail held
		// by the sink.
		e.waitFor(10*time.Second, "A has both mail workers running", func() (bool, string) {
			r := e.scalar(`SELECT count(*) FROM river_job WHERE kind = 'bezorg_bericht' AND state = 'running'`)
			return r >= 2, fmt.Sprintf("%d running", r)
		})
		e.waitFor(10*time.Second, "both of A's mails are on the wire", func() (bool, string) {
			h := e.sink.Holding()
			return h >= 2, fmt.Sprintf("%d held", h)
		})
		a.kill(t)
		killed := time.Now()
		e.sink.SetDelay(20 * time.Millisecond) // A's sessions keep the delay they started with

		// With A dead the rows stay as A left them: running jobs are the
		// ones A had taken; those whose message is not yet recorded as sent
		// were in flight.
		running := e.ids(`SELECT (args->>'message_id')::bigint FROM river_job WHERE kind = 'bezorg_bericht' AND state = 'running'`)
		inflight := e.ids(`SELECT m.id FROM river_job j JOIN messages m ON m.id = (j.args->>'message_id')::bigint
			WHERE j.kind = 'bezorg_bericht' AND j.state = 'running' AND m.status <> 'verzonden'`)
		before := len(e.sink.Received())
		t.Logf("killed A after %d received; delivery jobs running at the kill: %v, of which in flight: %v", before, running, inflight)
		if len(inflight) == 0 {
			t.Fatalf("A was not in the middle of a delivery when killed (running jobs %v)", running)
		}

		b := e.start("B")
		b.waitReady(t)
		e.waitFor(45*time.Second, "the in-flight messages are sent", func() (bool, string) {
			left := e.scalar(`SELECT count(*) FROM messages WHERE status <> 'verzonden' AND id = ANY($1)`, int64s(inflight))
			return left == 0, fmt.Sprintf("%d of %d still unsent", left, len(inflight))
		})
		recovery := time.Since(killed)
		e.waitSettled(30 * time.Second)
		settled := time.Since(killed)
		b.term(t)

		rows := e.messages()
		got := e.received()
		byRow := map[int64]string{}
		for id, m := range rows {
			byRow[m.id] = id
		}
		inflightSet := map[string]bool{}
		for _, id := range inflight {
			inflightSet[byRow[id]] = true
		}
		dups := 0
		for id, m := range rows {
			c := got.count[id]
			switch {
			case m.status != "verzonden":
				t.Errorf("message %s (row %d): status %q", id, m.id, m.status)
			case c == 0:
				t.Errorf("message %s (row %d) lost: status %q but never received", id, m.id, m.status)
			case c > 1:
				dups += c - 1
				if !inflightSet[id] {
					t.Errorf("message %s (row %d) received %d times but was not in flight at the kill", id, m.id, c)
				}
				// The copies are the same mail: same Message-ID (that is how
				// they were counted), recipient and subject.
				for _, p := range got.byID[id][1:] {
					q := got.byID[id][0]
					if p.Header.Get("To") != q.Header.Get("To") || p.Subject() != q.Subject() {
						t.Errorf("message %s: copies differ: To %q/%q, Subject %q/%q", id,
							q.Header.Get("To"), p.Header.Get("To"), q.Subject(), p.Subject())
					}
				}
			}
		}
		for id, c := range got.count {
			if _, ok := rows[id]; !ok {
				t.Errorf("received %d mail(s) with Message-ID %s that is not in the messages table", c, id)
			}
		}
		t.Logf("%d messages (%d waiting at start), %d mails received, %d duplicate(s); in-flight messages delivered again by B %s after the kill, all settled after %s; A sent %d, B sent %d",
			len(rows), n, len(got.all), dups, recovery.Round(time.Millisecond), settled.Round(time.Millisecond), a.mailsSent(), b.mailsSent())
		if dups > len(running) {
			t.Errorf("%d duplicates, more than the %d delivery jobs A had running when killed", dups, len(running))
		}
	})
}

// instancesPostgres returns the PostgreSQL URL of the tests: skipped
// without one, failed without one in CI (as storetest does).
func instancesPostgres(t *testing.T) string {
	t.Helper()
	base := os.Getenv(storetest.PostgresEnv)
	if base == "" {
		msg := storetest.PostgresEnv + " is not set; set it to a PostgreSQL URL such as " +
			"postgres://postgres@127.0.0.1:5432/test?sslmode=disable to run the multi-instance tests"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return base
}

// instanceEnv is one schema, one SMTP sink and one configuration file that
// any number of processes share.
type instanceEnv struct {
	t    *testing.T
	bin  string
	dir  string // working directory of the processes
	cfg  string
	db   *sql.DB
	sink *mailtest.Server
}

func newInstanceEnv(t *testing.T, bin, base string) *instanceEnv {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", storetest.PostgresEnv, err)
	}
	buf := make([]byte, 8)
	rand.Read(buf)
	schema := "t_" + hex.EncodeToString(buf) // hex only: safe in the statement
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Last: after the processes are gone and the test's pool closed.
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	if _, err := admin.ExecContext(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	dsn := u.String()

	e := &instanceEnv{t: t, bin: bin, dir: t.TempDir(), sink: mailtest.Start(t)}
	cfg := map[string]any{
		"database": dsn,
		"base_url": "http://localhost:8080",
		"mail":     map[string]any{"host": e.sink.Host(), "port": e.sink.Port(), "tls": "none", "timeout": "10s"},
		"worker": map[string]any{"enabled": true, "mail_workers": 2, "max_attempts": 10, "retry_base": "200ms",
			"retry_max": "1s", "job_timeout": "3s", "rescue_after": "4s", "poll_interval": "100ms", "reminder_interval": "200ms"},
		// Delivery is what is tested here; printing each letter's PDF in the
		// job (1–2 s each on a busy machine) would only slow it.
		"pdf": map[string]any{"renderer": "none"},
		// serve refuses PostgreSQL without the processing log's key.
		"processing": map[string]any{"subject_key": "instances-test-subject-key-0123456789"},
	}
	body, _ := json.MarshalIndent(cfg, "", "  ")
	e.cfg = filepath.Join(e.dir, "werkdiagnose.json")
	if err := os.WriteFile(e.cfg, body, 0o600); err != nil {
		t.Fatal(err)
	}

	demo := e.command("demo", "--config", e.cfg)
	if out, err := demo.CombinedOutput(); err != nil {
		t.Fatalf("werkdiagnose demo: %v\n%s", err, out)
	}
	if e.db, err = sql.Open("pgx", dsn); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.db.Close() })
	return e
}

// command is the binary with args, run in the environment's directory and
// without WERKDIAGNOSE_* variables of the test's own environment.
func (e *instanceEnv) command(args ...string) *exec.Cmd {
	cmd := exec.Command(e.bin, args...)
	cmd.Dir = e.dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "WERKDIAGNOSE_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	return cmd
}

// instance is one running serve process.
type instance struct {
	name   string
	cmd    *exec.Cmd
	stdout *lockedBuffer
	stderr *lockedBuffer
	done   chan struct{}
	err    error // of Wait, once done is closed
}

// start starts `serve` with the worker on a free port.
func (e *instanceEnv) start(name string) *instance {
	t := e.t
	t.Helper()
	p := &instance{name: name, stdout: newLockedBuffer("draait op"), stderr: newLockedBuffer(""), done: make(chan struct{})}
	p.cmd = e.command("serve", "--config", e.cfg, "--addr", "127.0.0.1:0", "--worker")
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("--- serve %s (pid %d) stdout:\n%s", name, p.cmd.Process.Pid, p.stdout.tail(16<<10))
			t.Logf("--- serve %s stderr:\n%s", name, p.stderr.tail(64<<10))
		}
	})
	return p
}

// waitReady waits until the process printed its address: its store is
// migrated and its worker started.
func (p *instance) waitReady(t *testing.T) {
	t.Helper()
	select {
	case <-p.stdout.found:
	case <-p.done:
		t.Fatalf("serve %s exited before it was ready: %v\n%s", p.name, p.err, p.stderr.tail(16<<10))
	case <-time.After(30 * time.Second):
		t.Fatalf("serve %s not ready within 30s", p.name)
	}
}

// term stops the process as an orchestrator would and expects a clean exit.
func (p *instance) term(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM %s: %v", p.name, err)
	}
	select {
	case <-p.done:
		if p.err != nil {
			t.Errorf("serve %s exited with %v after SIGTERM", p.name, p.err)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("serve %s did not stop within 20s of SIGTERM", p.name)
	}
}

// kill ends the process at once, as a crash or OOM kill would.
func (p *instance) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("SIGKILL %s: %v", p.name, err)
	}
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		t.Fatalf("serve %s still running 10s after SIGKILL", p.name)
	}
}

var mailSentLine = regexp.MustCompile(`(?m)\bmsg="mail sent"`)

// mailsSent counts the "mail sent" lines the process logged.
func (p *instance) mailsSent() int {
	return len(mailSentLine.FindAllIndex(p.stderr.bytes(), -1))
}

// waiting is the number of messages waiting for delivery.
func (e *instanceEnv) waiting() int {
	return e.scalar(`SELECT count(*) FROM messages WHERE status = 'wachtend'`)
}

// waitSettled waits until every message to send is sent (a letter by
// post is not sent: it is printed), no job is due or running, and the sink
// has at least one mail per message.
func (e *instanceEnv) waitSettled(timeout time.Duration) {
	e.t.Helper()
	e.waitFor(timeout, "all messages delivered", func() (bool, string) {
		var total, unsent, live, due int
		err := e.db.QueryRowContext(context.Background(), `SELECT
			(SELECT count(*) FROM messages WHERE status <> $1),
			(SELECT count(*) FROM messages WHERE status NOT IN ($2, $1)),
			(SELECT count(*) FROM river_job WHERE state IN ('available', 'running', 'retryable', 'pending')
				OR (state = 'scheduled' AND scheduled_at <= now())),
			(SELECT count(*) FROM reminders WHERE status = $3 AND send_at <= now())`,
			casework.MessageByPost, casework.MessageSent, casework.ReminderPlanned).Scan(&total, &unsent, &live, &due)
		if err != nil {
			e.t.Fatalf("settled: %v", err)
		}
		got := len(e.sink.Received())
		if unsent == 0 && live == 0 && due == 0 && got >= total {
			return true, ""
		}
		return false, fmt.Sprintf("%d messages, %d not sent, %d mails received, %d reminders due, %d jobs due or running:%s",
			total, unsent, got, due, live, e.liveJobs())
	})
}

// liveJobs describes the jobs that are due or running per kind and state.
func (e *instanceEnv) liveJobs() string {
	rows, err := e.db.QueryContext(context.Background(), `SELECT kind, state, count(*) FROM river_job
		WHERE state IN ('available', 'running', 'retryable', 'pending') OR (state = 'scheduled' AND scheduled_at <= now())
		GROUP BY 1, 2 ORDER BY 1, 2`)
	if err != nil {
		return " " + err.Error()
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var kind, state string
		var n int
		if err := rows.Scan(&kind, &state, &n); err != nil {
			return " " + err.Error()
		}
		fmt.Fprintf(&b, " %s/%s=%d", kind, state, n)
	}
	return b.String()
}

// waitFor polls cond until it holds; it fails the test after timeout with
// cond's last description.
func (e *instanceEnv) waitFor(timeout time.Duration, what string, cond func() (bool, string)) {
	e.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("%s: not within %s (%s)", what, timeout, state)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (e *instanceEnv) exec(query string) {
	e.t.Helper()
	if _, err := e.db.ExecContext(context.Background(), query); err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
}

func (e *instanceEnv) scalar(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", strings.Join(strings.Fields(query), " "), err)
	}
	return n
}

func (e *instanceEnv) ids(query string) []int64 {
	e.t.Helper()
	rows, err := e.db.QueryContext(context.Background(), query)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		e.t.Fatal(err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

type messageRow struct {
	id     int64
	status string
}

// messages returns every row of the messages table to be sent by mail, by
// Message-ID: not the letters to clients without e-mail, which are posted.
func (e *instanceEnv) messages() map[string]messageRow {
	e.t.Helper()
	rows, err := e.db.QueryContext(context.Background(), `SELECT id, status, message_id FROM messages WHERE status <> $1`, casework.MessageByPost)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]messageRow{}
	for rows.Next() {
		var m messageRow
		var mid string
		if err := rows.Scan(&m.id, &m.status, &mid); err != nil {
			e.t.Fatal(err)
		}
		if _, dup := out[mid]; dup || mid == "" {
			e.t.Errorf("message %d: Message-ID %q is empty or not unique", m.id, mid)
		}
		out[mid] = m
	}
	if err := rows.Err(); err != nil {
		e.t.Fatal(err)
	}
	return out
}

// completedBy counts completed delivery jobs per River client (the last
// entry of attempted_by); each process has its own client id.
func (e *instanceEnv) completedBy() map[string]int {
	e.t.Helper()
	rows, err := e.db.QueryContext(context.Background(), `SELECT attempted_by[array_length(attempted_by, 1)], count(*)
		FROM river_job WHERE kind = 'bezorg_bericht' AND state = 'completed' GROUP BY 1`)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var client sql.NullString
		var n int
		if err := rows.Scan(&client, &n); err != nil {
			e.t.Fatal(err)
		}
		out[client.String] = n
	}
	if err := rows.Err(); err != nil {
		e.t.Fatal(err)
	}
	return out
}

type receivedMails struct {
	all   []mailtest.Parsed
	count map[string]int
	byID  map[string][]mailtest.Parsed
}

// received parses what the sink accepted, by Message-ID header.
func (e *instanceEnv) received() receivedMails {
	e.t.Helper()
	r := receivedMails{count: map[string]int{}, byID: map[string][]mailtest.Parsed{}}
	for i, m := range e.sink.Received() {
		p, err := mailtest.Parse(m.Data)
		if err != nil {
			e.t.Fatalf("received mail %d: %v", i, err)
		}
		id := strings.TrimSpace(p.Header.Get("Message-ID"))
		if id == "" {
			e.t.Errorf("received mail %d has no Message-ID", i)
		}
		r.all = append(r.all, p)
		r.count[id]++
		r.byID[id] = append(r.byID[id], p)
	}
	return r
}

// int64s passes ids as a PostgreSQL bigint[] literal.
func int64s(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprint(id)
	}
	return "{" + strings.Join(s, ",") + "}"
}

// lockedBuffer collects a process's output; found is closed once the
// output contains the marker.
type lockedBuffer struct {
	mu     sync.Mutex
	b      bytes.Buffer
	marker string
	found  chan struct{}
	closed bool
}

func newLockedBuffer(marker string) *lockedBuffer {
	return &lockedBuffer{marker: marker, found: make(chan struct{})}
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.Write(p)
	if l.marker != "" && !l.closed && bytes.Contains(l.b.Bytes(), []byte(l.marker)) {
		l.closed = true
		close(l.found)
	}
	return len(p), nil
}

func (l *lockedBuffer) bytes() []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	return bytes.Clone(l.b.Bytes())
}

func (l *lockedBuffer) tail(n int) string {
	b := l.bytes()
	if len(b) > n {
		b = append([]byte("…"), b[len(b)-n:]...)
	}
	return string(b)
}
