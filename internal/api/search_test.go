package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/api"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// testSearch: GET /api/klanten searches as the search box does, by name
// (accents ignored) and date of birth, with the BSN masked and the open
// steps; nine digits are refused, since the query string is a URL, and
// the BSN reaches neither the answer nor the log.
func testSearch(t *testing.T, s *server) {
	p := s.env.Person()
	p.GivenName, p.FamilyName = "Ayşe", "Öztürk"
	app, err := s.env.Walker.Apply(context.Background(), p, false)
	if err != nil {
		t.Fatal(err)
	}
	// The intake is on the Poort's worklist: the poortwachter needs to know
	// the client.
	koen := s.token(t, s.env.Users[process.RolePoortwachter])
	get := func(text string) response {
		return s.call(t, koen, "GET", "/api/klanten?zoek="+url.QueryEscape(text), nil)
	}

	for _, text := range []string{"ozturk", "ÖZTÜRK ayse", p.BirthDate.Format("2006-01-02")} {
		var found api.ClientList
		get(text).want(t, http.StatusOK, &found)
		if len(found.Clients) != 1 || found.Clients[0].ID != app.ClientID || found.Clients[0].MaskedBSN != "******"+p.BSN[6:] ||
			len(found.Clients[0].Steps) == 0 || found.More {
			t.Errorf("search %q found %+v", text, found)
		}
	}
	// Outside need-to-know (a KM Werkdiagnose): name and date of birth only.
	var outside api.ClientList
	s.call(t, s.token(t, s.env.Users[process.RoleKMWerkdiagnose]), "GET", "/api/klanten?zoek=ozturk", nil).want(t, http.StatusOK, &outside)
	if len(outside.Clients) != 1 || !outside.Clients[0].NeedsReason || outside.Clients[0].MaskedBSN != "" || outside.Clients[0].Steps != nil ||
		outside.Clients[0].Name != "Ayşe Öztürk" {
		t.Errorf("search outside need-to-know found %+v", outside)
	}
	var none api.ClientList
	get(p.BSN[:8]).want(t, http.StatusOK, &none) // a client number: nobody
	if len(none.Clients) != 0 {
		t.Errorf("eight digits of a BSN found %+v", none.Clients)
	}
	r := get(p.BSN)
	pr := r.problem(t, http.StatusUnprocessableEntity)
	if msg := fieldMessage(pr, "query."+process.FieldSearch); !strings.Contains(msg, "Zoeken op BSN kan niet in de API") {
		t.Errorf("a BSN: message %q", msg)
	}
	wrong := p.BSN[:8] + string(rune('0'+(p.BSN[8]-'0'+1)%10))
	pr = get(wrong).problem(t, http.StatusUnprocessableEntity)
	if msg := fieldMessage(pr, "query."+process.FieldSearch); !strings.Contains(msg, "elfproef") {
		t.Errorf("an invalid BSN: message %q", msg)
	}
	if s.logs.contains(p.BSN) || s.logs.contains(wrong) || strings.Contains(string(r.Body), p.BSN) {
		t.Errorf("a BSN reached the log or the answer")
	}
}
