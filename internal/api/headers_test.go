package api_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestFakeAPIHeaders: every API answer (success, problem, unknown path)
// carries no-store and nosniff; a browser's cross-site request is refused
// with a Dutch problem; a body over the limit is a Dutch 413, documented.
func TestFakeAPIHeaders(t *testing.T) {
	_, s := newFakeAPI(t)
	for _, r := range []response{
		s.call(t, "", "GET", "/api/taken/{id}", nil, 101),
		s.call(t, fakeToken, "GET", "/api/bestaat-niet", nil),
	} {
		if r.Header.Get("Cache-Control") != "no-store" || r.Header.Get("X-Content-Type-Options") != "nosniff" ||
			r.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: headers %v", r.what, r.Header)
		}
		if r.Header.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS over plain HTTP", r.what)
		}
	}

	req, _ := http.NewRequest(http.MethodPost, s.srv.URL+"/api/taken/101/oppakken", strings.NewReader(`{"versie":1}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+fakeToken)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := s.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden || res.Header.Get("Content-Type") != "application/problem+json" || res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("cross-site POST: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}

	big := `{"versie":1,"velden":{"toelichting":"` + strings.Repeat("a", 1100<<10) + `"}}`
	p := s.call(t, fakeToken, "POST", "/api/taken/{id}/afronden", big, 101).problem(t, http.StatusRequestEntityTooLarge)
	if !strings.Contains(p.Detail, "te groot") {
		t.Errorf("413 detail %q", p.Detail)
	}
}
