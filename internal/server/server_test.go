package server_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/alexedwards/scs/v2/memstore"

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
