package server_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2/memstore"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/fake"
	"github.com/bar-organisatie/werkdiagnose/internal/origin"
	"github.com/bar-organisatie/werkdiagnose/internal/server"
)

// TestTrustedProxyHTTPS: behind a trusted proxy that says https, web and
// API answer with HSTS; the same header from anyone else is ignored.
func TestTrustedProxyHTTPS(t *testing.T) {
	for _, tc := range []struct {
		trusted []string
		want    string
	}{{[]string{"127.0.0.1/32"}, "max-age=31536000"}, {nil, ""}} {
		proxies, err := origin.ParseProxies(tc.trusted)
		if err != nil {
			t.Fatal(err)
		}
		h := server.Handler(fake.Pilot(), server.NewSessions(memstore.New(), false), slog.New(slog.DiscardHandler), server.Options{Proxies: proxies})
		srv := httptest.NewServer(h)
		for _, path := range []string{"/login", "/api/taken/1"} {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
			req.Header.Set("X-Forwarded-Proto", "https")
			req.Header.Set("X-Forwarded-For", "198.51.100.4")
			res, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if got := res.Header.Get("Strict-Transport-Security"); got != tc.want {
				t.Errorf("trusted %v, %s: HSTS %q, want %q", tc.trusted, path, got, tc.want)
			}
		}
		srv.Close()
	}
}

// TestPublicFormLimitPerClient: behind a trusted proxy the public form's
// limit counts per client address (X-Forwarded-For), not per proxy.
func TestPublicFormLimitPerClient(t *testing.T) {
	svc := fake.Pilot()
	svc.NowFn = func() time.Time { return time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC) }
	svc.SubmitPublicApplicationFn = func(context.Context, casework.Actor, casework.Values) (string, error) { return "AV-ABC123", nil }
	proxies, _ := origin.ParseProxies([]string{"127.0.0.1"})
	h := server.Handler(svc, server.NewSessions(memstore.New(), false), slog.New(slog.DiscardHandler), server.Options{
		PublicFormUser: casework.User{ID: 99, Active: true}, PublicFormPerHour: 1, PublicFormBurst: 1, Proxies: proxies})
	srv := httptest.NewServer(h)
	defer srv.Close()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(client string) int {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/aanvraag", strings.NewReader("achternaam=Jansen"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", client)
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	for _, step := range []struct {
		client string
		want   int
	}{{"198.51.100.1", 303}, {"198.51.100.1", 429}, {"198.51.100.2", 303}, {"198.51.100.2", 429}} {
		if got := post(step.client); got != step.want {
			t.Errorf("%s: status %d, want %d", step.client, got, step.want)
		}
	}
}
