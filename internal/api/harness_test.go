package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/api"
	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// obj is a JSON object in a request body.
type obj = map[string]any

// server is the API on a real service and database, behind httptest.
type server struct {
	env      *casetest.Env
	srv      *httptest.Server
	contract *contract
	// secrets are strings no response may contain: the BSNs of clients.
	secrets []string
	admin   string      // token of the functioneel beheerder
	logs    *syncBuffer // what the API logged
}

// syncBuffer collects log lines written by the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) contains(s string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Contains(b.buf.Bytes(), []byte(s))
}

// newServer starts the API on a fresh SQLite database. Every response it
// gives is checked against the contract.
func newServer(t testing.TB, c *contract) *server {
	t.Helper()
	return newServerOn(t, c, "sqlite")
}

// newServerOn starts the API on a fresh database of the engine ("sqlite"
// or "postgres").
func newServerOn(t testing.TB, c *contract, engine string) *server {
	t.Helper()
	env := casetest.New(t, engine)
	mux := http.NewServeMux()
	logs := &syncBuffer{}
	mux.Handle("/api/", api.New(env.Svc, slog.New(slog.NewTextHandler(logs, nil))))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	s := &server{env: env, srv: srv, contract: c, logs: logs}
	s.admin = s.token(t, env.Users[process.RoleBeheerder])
	return s
}

// token issues an API token for u through the service, as the beheerder.
func (s *server) token(t testing.TB, u casework.User) string {
	t.Helper()
	secret, err := s.env.Svc.IssueToken(context.Background(), s.env.Actor(process.RoleBeheerder), u.ID, "test "+u.Username)
	if err != nil {
		t.Fatalf("issue token for %s: %v", u.Username, err)
	}
	return secret
}

// person invents a client and remembers the BSN as a secret.
func (s *server) person() obj {
	p := s.env.Person()
	s.secrets = append(s.secrets, p.BSN)
	return obj{"bsn": p.BSN, "voornamen": p.GivenName, "achternaam": p.FamilyName,
		"geboortedatum": p.BirthDate.Format("2006-01-02"), "email": p.Email, "telefoon": p.Phone, "adres": p.Address}
}

// rawBody is a request body sent as it is, with its content type (a
// multipart upload).
type rawBody struct {
	contentType string
	data        []byte
}

// response is an answer of the API.
type response struct {
	Status int
	Header http.Header
	Body   []byte
	what   string
}

// call sends a request to the operation at the path template tmpl, with
// params filling its {placeholders} in order. A query string may follow the
// template. body is marshaled as JSON unless it is a string. The response
// is checked against the documented schema for its status and for secrets.
func (s *server) call(t testing.TB, token, method, tmpl string, body any, params ...any) response {
	t.Helper()
	pathTmpl, query, _ := strings.Cut(tmpl, "?")
	path := fillPath(t, pathTmpl, params)
	if query != "" {
		path += "?" + query
	}
	var rd io.Reader
	contentType := "application/json"
	switch b := body.(type) {
	case nil:
	case rawBody:
		rd, contentType = bytes.NewReader(b.data), b.contentType
	case string:
		rd = strings.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("marshal body: %v", err)
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, s.srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := s.srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := response{Status: res.StatusCode, Header: res.Header, Body: raw, what: method + " " + path}
	for _, secret := range s.secrets {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("%s: the response contains a full BSN", r.what)
		}
		if s.logs.contains(secret) {
			t.Errorf("%s: the log contains a full BSN", r.what)
		}
	}
	if token != "" && s.logs.contains(token) {
		t.Errorf("%s: the log contains an API token", r.what)
	}
	if s.contract != nil {
		s.contract.check(t, method, pathTmpl, r)
	}
	return r
}

// fillPath replaces the placeholders of tmpl by params in order.
func fillPath(t testing.TB, tmpl string, params []any) string {
	t.Helper()
	var b strings.Builder
	rest := tmpl
	for _, p := range params {
		open := strings.IndexByte(rest, '{')
		end := strings.IndexByte(rest, '}')
		if open < 0 || end < open {
			t.Fatalf("path %s has fewer placeholders than parameters", tmpl)
		}
		b.WriteString(rest[:open])
		b.WriteString(strings.TrimSpace(strings.ReplaceAll(jsonString(p), `"`, "")))
		rest = rest[end+1:]
	}
	if strings.ContainsRune(rest, '{') {
		t.Fatalf("path %s has more placeholders than parameters", tmpl)
	}
	b.WriteString(rest)
	return b.String()
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// want fails the test unless the response has the status, and decodes the
// body into v when v is not nil.
func (r response) want(t testing.TB, status int, v any) response {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d; body: %s", r.what, r.Status, status, r.Body)
	}
	if v != nil {
		// Decode into a zero value: members left out must not keep old values.
		reflect.ValueOf(v).Elem().SetZero()
		if err := json.Unmarshal(r.Body, v); err != nil {
			t.Fatalf("%s: decode: %v; body: %s", r.what, err, r.Body)
		}
	}
	return r
}

// problem asserts an RFC 9457 problem with the status and returns it.
func (r response) problem(t *testing.T, status int) api.Problem {
	t.Helper()
	var p api.Problem
	r.want(t, status, &p)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("%s: content type %q, want application/problem+json", r.what, ct)
	}
	if p.Status != status || p.Title == "" || p.Detail == "" {
		t.Errorf("%s: problem %+v lacks status, title or detail", r.what, p)
	}
	return p
}

// fieldMessage returns the message at location, or "".
func fieldMessage(p api.Problem, location string) string {
	for _, e := range p.Errors {
		if e.Location == location {
			return e.Message
		}
	}
	return ""
}

// openTask returns the open task of the step in a completion.
func openTask(t *testing.T, c api.Completion, step process.StepKey) api.Task {
	t.Helper()
	for _, tk := range c.Open {
		if tk.Step.Key == string(step) {
			return tk
		}
	}
	t.Fatalf("no open task of step %s after completing %s; open: %+v", step, c.Task.Step.Key, c.Open)
	return api.Task{}
}

// complete completes a task over the API and returns the completion.
func (s *server) complete(t *testing.T, token string, task api.Task, velden obj) api.Completion {
	t.Helper()
	var c api.Completion
	s.call(t, token, "POST", "/api/taken/{id}/afronden", obj{"versie": task.Version, "velden": velden}, task.ID).want(t, http.StatusOK, &c)
	if c.Task.Status != casework.TaskDone {
		t.Fatalf("task %d (%s) is %s after completing", task.ID, task.Step.Key, c.Task.Status)
	}
	return c
}

// file reads a client file over the API.
func (s *server) file(t *testing.T, token string, clientID int64) api.ClientFile {
	t.Helper()
	var f api.ClientFile
	s.call(t, token, "GET", "/api/klanten/{id}", nil, clientID).want(t, http.StatusOK, &f)
	return f
}
