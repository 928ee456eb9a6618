package api_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// TestFakeOverloaded: when the store gets no database connection in time
// (casework.ErrOverloaded, wrapped as the store wraps it), an operation
// and the token check answer 503 with Retry-After and a Dutch problem
// (the harness checks each answer against the OpenAPI document, which
// lists 503 for every operation), never a 500 or a hang.
func TestFakeOverloaded(t *testing.T) {
	svc, s := newFakeAPI(t)
	const msg = "Het systeem is op dit moment erg druk. Probeer het over enkele seconden opnieuw."
	overloaded := fmt.Errorf("store: View: begin: %w: no connection within 2s", casework.ErrOverloaded)

	svc.TaskFn = func(context.Context, casework.Actor, int64) (casework.TaskPage, error) {
		return casework.TaskPage{}, overloaded
	}
	r := s.call(t, fakeToken, "GET", "/api/taken/{id}", nil, 101)
	p := r.problem(t, http.StatusServiceUnavailable)
	if r.Header.Get("Retry-After") != "2" || p.Detail != msg {
		t.Errorf("operation: Retry-After %q, %+v", r.Header.Get("Retry-After"), p)
	}

	// The token check itself (it reads the token in the store).
	svc.TokenUserFn = func(context.Context, string, string) (casework.User, error) { return casework.User{}, overloaded }
	r = s.call(t, fakeToken, "GET", "/api/taken/{id}", nil, 101)
	p = r.problem(t, http.StatusServiceUnavailable)
	if r.Header.Get("Retry-After") != "2" || p.Detail != msg {
		t.Errorf("token check: Retry-After %q, %+v", r.Header.Get("Retry-After"), p)
	}
}
