package bench

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// server is a werkdiagnose serve process on loopback.
type server struct {
	cmd     *exec.Cmd
	base    string        // http://127.0.0.1:port
	started time.Duration // exec to the first 200 from /healthz
	stderr  *tail
	exited  chan struct{} // closed when the process has ended
	dir     string        // the run's configuration and mail, removed by stop
	logFile *os.File      // LogFile, closed by stop
}

// serverOptions say how to run the server.
type serverOptions struct {
	Binary string // the werkdiagnose binary; "" runs this executable
	DSN    string
	Pin    bool // one core: taskset -c 0 and GOMAXPROCS=1
	Worker bool // run the background worker too
	// NoPDF keeps letters as HTML (pdf.renderer none): a letter's PDF is a
	// second of a Chromium started by the server, which the load test's
	// one pinned core would share.
	NoPDF bool
	Log   *slog.Logger
	// LogFile, when set, gets the server's whole log appended; without
	// it only the last 4 KB are kept, for the error of a failed start.
	LogFile string
}

// startServer runs `werkdiagnose serve` on a free port of 127.0.0.1 and
// waits for the first 200 from /healthz (at most a minute).
func startServer(ctx context.Context, o serverOptions) (*server, error) {
	bin := o.Binary
	if bin == "" {
		var err error
		if bin, err = os.Executable(); err != nil {
			return nil, err
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	l.Close()
	// Mail goes to .eml files in a directory of the run, as on a laptop:
	// the harness has no SMTP server.
	dir, err := os.MkdirTemp("", "werkdiagnose-bench-")
	if err != nil {
		return nil, err
	}
	cfg := filepath.Join(dir, "config.json")
	pdf := "chromium"
	if o.NoPDF {
		pdf = "none"
	}
	if err := os.WriteFile(cfg, fmt.Appendf(nil, `{"mail": {"pickup_dir": %q}, "pdf": {"renderer": %q}}`, filepath.Join(dir, "mail"), pdf), 0o600); err != nil {
		return nil, err
	}
	args := []string{bin, "serve", "--addr", addr, "--database", o.DSN, "--config", cfg, "--worker=" + strconv.FormatBool(o.Worker)}
	env := os.Environ()
	if os.Getenv("WERKDIAGNOSE_SUBJECT_KEY") == "" {
		// PostgreSQL requires the key that pseudonymises data subjects in
		// the processing log; the bench database gets one per run.
		env = append(env, "WERKDIAGNOSE_SUBJECT_KEY="+rand.Text()+rand.Text())
	}
	if o.Pin {
		tp, err := exec.LookPath("taskset")
		if err != nil {
			return nil, fmt.Errorf("bench: pinning the server needs taskset: %w", err)
		}
		// taskset execs the server: the process keeps its PID.
		args = append([]string{tp, "-c", "0"}, args...)
		env = append(env, "GOMAXPROCS=1")
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = env
	cmd.Dir = dir
	t := &tail{}
	cmd.Stderr = t
	cmd.Stdout = io.Discard
	s := &server{cmd: cmd, base: "http://" + addr, stderr: t, exited: make(chan struct{}), dir: dir}
	if o.LogFile != "" {
		if s.logFile, err = os.OpenFile(o.LogFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600); err != nil {
			return nil, err
		}
		cmd.Stderr = io.MultiWriter(t, s.logFile)
	}
	begin := time.Now()
	if err := cmd.Start(); err != nil {
		if s.logFile != nil {
			s.logFile.Close()
		}
		return nil, err
	}
	go func() { cmd.Wait(); close(s.exited) }() //nolint:errcheck // the exit is seen through exited
	c := &http.Client{Timeout: time.Second}
	deadline := begin.Add(time.Minute)
	for {
		resp, err := c.Get(s.base + "/healthz")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				s.started = time.Since(begin)
				return s, nil
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			s.stop()
			return nil, fmt.Errorf("bench: the server did not answer /healthz within a minute: %s", t.String())
		}
		select {
		case <-s.exited:
			s.stop() // its directory and log file
			return nil, fmt.Errorf("bench: the server ended: %s", t.String())
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// stop ends the server (SIGTERM, then SIGKILL after 10 s).
func (s *server) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-s.exited
	}
	if s.logFile != nil {
		s.logFile.Close()
	}
	os.RemoveAll(s.dir)
}

// rssMB reads the server's resident memory (VmRSS) in MB.
func (s *server) rssMB() (float64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024, err
		}
	}
	return 0, errors.New("bench: no VmRSS")
}

// tail keeps the last 4 KB written to it (the server's log, for errors).
type tail struct{ b []byte }

func (t *tail) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > 4096 {
		t.b = t.b[len(t.b)-4096:]
	}
	return len(p), nil
}

func (t *tail) String() string { return string(t.b) }

// loopback refuses any target that is not this machine's loopback: the
// load test must never leave the machine.
func loopback(base string) error {
	u, err := url.Parse(base)
	if err != nil {
		return err
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("bench: %s is not a loopback address; the harness only measures a server on this machine", base)
	}
	return nil
}

// newClient is an HTTP client for many concurrent requests to one host.
func newClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	tr := &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512, MaxConnsPerHost: 0, IdleConnTimeout: time.Minute}
	return &http.Client{Jar: jar, Transport: tr, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// login signs a demo user in through the login form and returns a client
// carrying the session cookie.
func login(ctx context.Context, base, username string) (*http.Client, error) {
	c := newClient()
	form := url.Values{process.FieldUsername: {username}, process.FieldPassword: {Password}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("bench: login as %s: %s", username, resp.Status)
	}
	return c, nil
}
