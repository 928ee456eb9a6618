package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// TestTokenAttemptsThrottled: unknown API tokens from one address count
// as failures; after the free ones the API answers 429 with Retry-After
// and a Dutch problem, even for a valid token from that address, until
// the wait is over; the OpenAPI document lists 429 for every operation.
func TestTokenAttemptsThrottled(t *testing.T) {
	s := newServer(t, nil)
	free := casework.DefaultSignIn().Throttle.AddressFreeAttempts
	for i := range free {
		if r := s.call(t, "wdt_geraden"+strings.Repeat("0", i), "GET", "/api/werkvoorraad", nil); r.Status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i, r.Status)
		}
	}
	r := s.call(t, s.admin, "GET", "/api/werkvoorraad", nil)
	p := r.problem(t, http.StatusTooManyRequests)
	if r.Header.Get("Retry-After") != "2" || !strings.Contains(p.Detail, "Te veel ongeldige API-sleutels") {
		t.Fatalf("throttled: Retry-After %q, %+v", r.Header.Get("Retry-After"), p)
	}
	s.env.Clock.Add(2 * time.Second)
	// The token is accepted again (the beheerder has no worklist: 403, not 401 or 429).
	s.call(t, s.admin, "GET", "/api/werkvoorraad", nil).problem(t, http.StatusForbidden)

	doc := s.call(t, "", "GET", "/api/openapi.json", nil)
	if doc.Status != http.StatusOK || !strings.Contains(string(doc.Body), `"429"`) {
		t.Fatalf("OpenAPI document without 429: %d", doc.Status)
	}
}
