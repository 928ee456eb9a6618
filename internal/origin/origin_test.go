package origin_test

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/origin"
)

func TestOf(t *testing.T) {
	proxies, err := origin.ParseProxies([]string{"10.0.0.0/8", "192.168.1.5", "::1"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name       string
		proxies    origin.Proxies
		remote     string
		tls        bool
		xff, proto string
		wantAddr   string
		wantHTTPS  bool
	}{
		{name: "no proxies: the peer, headers ignored", remote: "203.0.113.9:5000", xff: "198.51.100.1", proto: "https", wantAddr: "203.0.113.9"},
		{name: "own TLS", remote: "203.0.113.9:5000", tls: true, wantAddr: "203.0.113.9", wantHTTPS: true},
		{name: "untrusted peer's headers ignored", proxies: proxies, remote: "203.0.113.9:5000", xff: "198.51.100.1", proto: "https", wantAddr: "203.0.113.9"},
		{name: "trusted proxy", proxies: proxies, remote: "10.1.2.3:443", xff: "198.51.100.1", proto: "https", wantAddr: "198.51.100.1", wantHTTPS: true},
		{name: "trusted proxy says http", proxies: proxies, remote: "10.1.2.3:443", xff: "198.51.100.1", proto: "http", wantAddr: "198.51.100.1"},
		{name: "a spoofed hop left of the client is not believed", proxies: proxies, remote: "10.1.2.3:443", xff: "1.2.3.4, 198.51.100.1, 10.9.9.9", wantAddr: "198.51.100.1"},
		{name: "every hop trusted: the leftmost", proxies: proxies, remote: "192.168.1.5:80", xff: "10.0.0.7", wantAddr: "10.0.0.7"},
		{name: "unreadable hop stops the chain", proxies: proxies, remote: "10.1.2.3:443", xff: "198.51.100.1, rubbish", wantAddr: "10.1.2.3"},
		{name: "IPv6 proxy, IPv4-mapped client", proxies: proxies, remote: "[::1]:8080", xff: "::ffff:198.51.100.7", wantAddr: "198.51.100.7"},
		{name: "no headers from a trusted proxy", proxies: proxies, remote: "10.1.2.3:443", wantAddr: "10.1.2.3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = c.remote
			if c.tls {
				r.TLS = &tls.ConnectionState{}
			}
			if c.xff != "" {
				r.Header.Set("X-Forwarded-For", c.xff)
			}
			if c.proto != "" {
				r.Header.Set("X-Forwarded-Proto", c.proto)
			}
			var got origin.Origin
			c.proxies.Handler(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = origin.From(r) })).
				ServeHTTP(httptest.NewRecorder(), r)
			if got.Client() != c.wantAddr || got.HTTPS != c.wantHTTPS {
				t.Errorf("got %s https=%v, want %s https=%v", got.Client(), got.HTTPS, c.wantAddr, c.wantHTTPS)
			}
		})
	}
}

func TestParseProxiesRefusesRubbish(t *testing.T) {
	if _, err := origin.ParseProxies([]string{"10.0.0.0/8", "proxy.example"}); err == nil {
		t.Fatal("a host name was accepted as a trusted proxy")
	}
}

func TestFromWithoutHandler(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "198.51.100.2:1234"
	r.Header.Set("X-Forwarded-For", "1.1.1.1")
	if got := origin.From(r); got.Client() != "198.51.100.2" || got.HTTPS || got.Scheme() != "http" {
		t.Fatalf("got %+v", got)
	}
}
