// Package origin answers, once for web and API, where a request comes
// from: the client's address and whether it reached us over HTTPS. Behind
// a reverse proxy both come from the proxy's X-Forwarded-For and
// X-Forwarded-Proto headers, but only when the connection comes from a
// proxy the configuration trusts (server.trusted_proxies); anyone else's
// headers are ignored, so a client cannot claim another address to escape
// a rate limit, or claim HTTPS.
package origin

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// HSTS is the Strict-Transport-Security of every response given over HTTPS
// (web and API): a year, this host only (a municipality's other hosts under
// the same domain are not ours to pin).
const HSTS = "max-age=31536000"

// Origin is where one request comes from.
type Origin struct {
	// Addr is the client's address: the connection's peer, or, behind
	// trusted proxies, the nearest address in X-Forwarded-For that is not
	// a trusted proxy. Invalid when it cannot be told (a test request
	// without RemoteAddr).
	Addr netip.Addr
	// HTTPS reports whether the client reached us over TLS: our own
	// listener serves TLS, or a trusted proxy says X-Forwarded-Proto: https.
	HTTPS bool
}

// Scheme returns "https" or "http".
func (o Origin) Scheme() string {
	if o.HTTPS {
		return "https"
	}
	return "http"
}

// Client returns the client's address as text ("" when unknown), for a
// rate limit's key or a log line.
func (o Origin) Client() string {
	if !o.Addr.IsValid() {
		return ""
	}
	return o.Addr.String()
}

// Proxies is the set of reverse proxies whose forwarding headers are
// believed. The zero value trusts nobody.
type Proxies struct {
	nets []netip.Prefix
}

// ParseProxies reads CIDRs ("10.0.0.0/8") or single addresses ("127.0.0.1").
func ParseProxies(list []string) (Proxies, error) {
	var p Proxies
	for _, s := range list {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if pre, err := netip.ParsePrefix(s); err == nil {
			p.nets = append(p.nets, pre.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return Proxies{}, fmt.Errorf("trusted proxy %q: not an address or CIDR", s)
		}
		a = a.Unmap()
		p.nets = append(p.nets, netip.PrefixFrom(a, a.BitLen()))
	}
	return p, nil
}

// Trusted reports whether a is one of the proxies.
func (p Proxies) Trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, n := range p.nets {
		if n.Contains(a) {
			return true
		}
	}
	return false
}

// Of works out the origin of r. The chain is the connection's peer and,
// when that peer is trusted, the addresses in X-Forwarded-For from right to
// left; the client is the first address that is not a trusted proxy (or the
// leftmost when every one is). X-Forwarded-Proto counts only when the peer
// is trusted; of a list the first (the outermost proxy's) counts.
func (p Proxies) Of(r *http.Request) Origin {
	o := Origin{Addr: peer(r.RemoteAddr), HTTPS: r.TLS != nil}
	if !o.Addr.IsValid() || !p.Trusted(o.Addr) {
		return o
	}
	if proto := r.Header.Values("X-Forwarded-Proto"); len(proto) > 0 {
		first, _, _ := strings.Cut(proto[0], ",")
		o.HTTPS = strings.EqualFold(strings.TrimSpace(first), "https")
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			// A hop we cannot read: stop believing the chain here.
			return o
		}
		o.Addr = a.Unmap()
		if !p.Trusted(o.Addr) {
			return o
		}
	}
	return o
}

// peer reads RemoteAddr ("host:port", or a bare address in tests).
func peer(remote string) netip.Addr {
	if ap, err := netip.ParseAddrPort(remote); err == nil {
		return ap.Addr().Unmap()
	}
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	a, err := netip.ParseAddr(strings.Trim(host, "[]"))
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap()
}

type key struct{}

// Handler works out every request's origin once, with these proxies, and
// keeps it on the request for From.
func (p Proxies) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o := p.Of(r)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), key{}, o)))
	})
}

// From returns the request's origin as Handler found it; outside Handler
// (a handler tested on its own) it trusts no proxy. This is the one
// function web and API ask for the client's address and scheme.
func From(r *http.Request) Origin {
	if o, ok := r.Context().Value(key{}).(Origin); ok {
		return o
	}
	return Proxies{}.Of(r)
}
