package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/fake"
	"github.com/bar-organisatie/werkdiagnose/internal/web"
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

// overloadedSessions is a session store that gets no connection in time.
type overloadedSessions struct{}

func (overloadedSessions) Find(string) ([]byte, bool, error) {
	return nil, false, fmt.Errorf("store: FindSession: %w", casework.ErrOverloaded)
}
func (overloadedSessions) Commit(string, []byte, time.Time) error {
	return fmt.Errorf("store: CommitSession: %w", casework.ErrOverloaded)
}
func (overloadedSessions) Delete(string) error { return nil }

// TestSessionStoreOverloaded: when the session itself cannot be read (the
// store is too busy), the page is the Dutch 503 with Retry-After, not
// scs's own English 500.
func TestSessionStoreOverloaded(t *testing.T) {
	sessions := scs.New()
	sessions.Store = overloadedSessions{}
	srv := httptest.NewServer(web.New(fake.Pilot(), sessions, slog.New(slog.DiscardHandler), web.Options{}))
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/werkvoorraad", nil)
	req.AddCookie(&http.Cookie{Name: "werkdiagnose_sessie", Value: "token"})
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") != "2" {
		t.Errorf("status %d, Retry-After %q; want 503 and 2", res.StatusCode, res.Header.Get("Retry-After"))
	}
	if !strings.Contains(string(body), overloadMessage) || !strings.Contains(string(body), `lang="nl"`) {
		t.Errorf("body lacks the Dutch overload page:\n%.500s", body)
	}
}
