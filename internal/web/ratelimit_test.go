package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/fake"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/web"
)

// TestFakePublicFormRateLimit: the public form takes at most the burst of
// applications from one address at once, then one per 1/max_per_hour; one
// more is answered with 429, Retry-After, a Dutch message and the form
// with what was typed, and is not taken in. A form refused for its input
// costs nothing. The clock is the service's (injected).
func TestFakePublicFormRateLimit(t *testing.T) {
	svc := fake.Pilot()
	var mu sync.Mutex
	now := fakeNow
	svc.NowFn = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	submitted := 0
	svc.SubmitPublicApplicationFn = func(_ context.Context, _ casework.Actor, v casework.Values) (string, error) {
		if v.Get("achternaam") == "" {
			return "", casework.Fields{"achternaam": "Vul uw achternaam in."}.Err()
		}
		submitted++
		return "AV-ABC123", nil
	}
	var logs strings.Builder
	h := web.New(svc, scs.New(), slog.New(slog.NewTextHandler(&logs, nil)), web.Options{
		PublicFormUser:    casework.User{ID: 99, Username: "eformulier", Roles: process.Roles{process.RoleOndersteunerPoortwachter}, Active: true},
		PublicFormPerHour: 5, PublicFormBurst: 3})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	b := &browser{t: t, base: srv.URL, c: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}

	form := url.Values{"bsn": {"123456782"}, "voornamen": {"Noor"}, "achternaam": {"de Vries"}, "geboortedatum": {"01-05-1980"}}
	invalid := url.Values{"bsn": {"123456782"}, "voornamen": {"Noor"}}
	for range 4 {
		expectStatus(t, b.post("/aanvraag", invalid), http.StatusUnprocessableEntity)
	}
	for i := range 3 {
		p := b.post("/aanvraag", form)
		expectRedirect(t, p, "/aanvraag/ontvangen?referentie=AV-ABC123")
		if submitted != i+1 {
			t.Fatalf("submitted %d, want %d", submitted, i+1)
		}
	}
	p := b.post("/aanvraag", form)
	expectStatus(t, p, http.StatusTooManyRequests)
	if got := p.header.Get("Retry-After"); got != "720" {
		t.Errorf("Retry-After %q, want 720 (one in 1/5 hour)", got)
	}
	if msg := p.text(".utrecht-alert, [role=alert]"); !strings.Contains(p.body, "Probeer het over 12 minuten opnieuw") {
		t.Errorf("429 page: %q", msg)
	}
	if p.attr("#f-achternaam", "value") != "de Vries" || !strings.HasPrefix(p.text("title"), "Fout: ") || submitted != 3 {
		t.Errorf("429: value %q, title %q, submitted %d", p.attr("#f-achternaam", "value"), p.text("title"), submitted)
	}
	if strings.Contains(logs.String(), "Vries") || strings.Contains(logs.String(), "123456782") || strings.Contains(logs.String(), "127.0.0.1") {
		t.Errorf("the log holds personal data or the address:\n%s", logs.String())
	}

	advance(11 * time.Minute)
	expectStatus(t, b.post("/aanvraag", form), http.StatusTooManyRequests)
	advance(time.Minute)
	expectRedirect(t, b.post("/aanvraag", form), "/aanvraag/ontvangen")
	expectStatus(t, b.post("/aanvraag", form), http.StatusTooManyRequests)
	// The thank-you page is not limited.
	expectStatus(t, b.get("/aanvraag/ontvangen?referentie=AV-ABC123"), http.StatusOK)
	// After an hour at rest the burst is back.
	advance(time.Hour)
	for range 3 {
		expectRedirect(t, b.post("/aanvraag", form), "/aanvraag/ontvangen")
	}
	expectStatus(t, b.post("/aanvraag", form), http.StatusTooManyRequests)
}
