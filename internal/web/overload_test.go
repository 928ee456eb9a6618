package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// overloadMessage is the Dutch message of casework.ErrOverloaded.
const overloadMessage = "Het systeem is op dit moment erg druk. Probeer het over enkele seconden opnieuw."

// TestFakeOverloaded: when the store gets no database connection in time
// (casework.ErrOverloaded, wrapped as the store wraps it), a page answers
// 503 with Retry-After and the Dutch message, and a form comes back with
// what was typed kept: never a 500 or a hang.
func TestFakeOverloaded(t *testing.T) {
	fa := newFakeApp(t, fakePoortwachter)
	b := fa.login(fakePoortwachter)
	overloaded := fmt.Errorf("store: View: begin: %w: no connection within 2s", casework.ErrOverloaded)

	fa.svc.TaskPageFn = func(context.Context, casework.Actor, int64) (casework.TaskPage, error) {
		return casework.TaskPage{}, overloaded
	}
	p := b.get("/taken/101")
	expectStatus(t, p, http.StatusServiceUnavailable)
	if ra := p.header.Get("Retry-After"); ra != "2" {
		t.Errorf("page: Retry-After %q, want 2", ra)
	}
	if s := p.text("main"); !strings.Contains(s, overloadMessage) || strings.Contains(s, "Er ging iets mis") {
		t.Errorf("page: main %q lacks the overload message or shows the 500 text", s)
	}

	// A form: the step's form again, input kept, with the message.
	fa.svc.TaskPageFn = func(context.Context, casework.Actor, int64) (casework.TaskPage, error) {
		return fa.taskPage(4, fakePoortwachter.ID), nil
	}
	fa.svc.CompleteTaskFn = func(context.Context, casework.Actor, int64, int, casework.Values) (casework.Completed, error) {
		return casework.Completed{}, fmt.Errorf("store: Update: begin: %w", casework.ErrOverloaded)
	}
	in := intakeInput()
	in.Set("versie", "4")
	p = b.post("/taken/101", in)
	expectStatus(t, p, http.StatusServiceUnavailable)
	if ra := p.header.Get("Retry-After"); ra != "2" {
		t.Errorf("form: Retry-After %q, want 2", ra)
	}
	if s := p.text("#melding"); !strings.Contains(s, overloadMessage) {
		t.Errorf("form: alert %q lacks the overload message", s)
	}
	if s := p.text("#f-doelmatigheid"); s != "Wil graag in de zorg werken." {
		t.Errorf("form: typed doelmatigheid lost: %q", s)
	}
}
