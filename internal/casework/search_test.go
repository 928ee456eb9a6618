package casework_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

func TestParseClientQuery(t *testing.T) {
	born := time.Date(1980, 3, 5, 0, 0, 0, 0, process.Amsterdam)
	for _, tc := range []struct {
		in   string
		want casework.ClientQuery
		bad  string // part of the message when invalid
	}{
		{in: "  Öztürk ", want: casework.ClientQuery{Kind: casework.SearchByName, Name: "Öztürk"}},
		{in: "jan jansen-de vries", want: casework.ClientQuery{Kind: casework.SearchByName, Name: "jan jansen-de vries"}},
		{in: "05-03-1980", want: casework.ClientQuery{Kind: casework.SearchByBirthDate, BirthDate: born}},
		{in: "5-3-1980", want: casework.ClientQuery{Kind: casework.SearchByBirthDate, BirthDate: born}},
		{in: "05/03/1980", want: casework.ClientQuery{Kind: casework.SearchByBirthDate, BirthDate: born}},
		{in: "05.03.1980", want: casework.ClientQuery{Kind: casework.SearchByBirthDate, BirthDate: born}},
		{in: "1980-03-05", want: casework.ClientQuery{Kind: casework.SearchByBirthDate, BirthDate: born}},
		{in: "123456782", want: casework.ClientQuery{Kind: casework.SearchByBSN, BSN: "123456782"}},
		{in: "1234 56 782", want: casework.ClientQuery{Kind: casework.SearchByBSN, BSN: "123456782"}},
		{in: "1234.56.782", want: casework.ClientQuery{Kind: casework.SearchByBSN, BSN: "123456782"}},
		{in: "42", want: casework.ClientQuery{Kind: casework.SearchByNumber, Number: 42}},
		{in: "12345678", want: casework.ClientQuery{Kind: casework.SearchByNumber, Number: 12345678}}, // eight digits: never a BSN
		{in: "31-02-1980", bad: "Deze geboortedatum bestaat niet"},
		{in: "1980-13-01", bad: "Deze geboortedatum bestaat niet"},
		{in: "01-01-1800", bad: "Deze geboortedatum bestaat niet"},
		{in: "123456789", bad: "elfproef"},
		{in: "000000000", bad: "elfproef"},
		{in: "1234567820", bad: "klantnummer hooguit 8"},
		{in: "jansen 123456782", bad: "één ding tegelijk"},
		{in: "", bad: "Typ een naam, geboortedatum, klantnummer of BSN"},
		{in: " %_ ", bad: "Typ een naam, geboortedatum, klantnummer of BSN"},
		{in: "v", bad: "minstens 2 letters"},
		{in: "j. v", bad: "minstens 2 letters"},
		{in: "'t hart", want: casework.ClientQuery{Kind: casework.SearchByName, Name: "'t hart"}},
		{in: strings.Repeat("a", 101), bad: "hooguit 100 tekens"},
	} {
		got, err := casework.ParseClientQuery(tc.in)
		if tc.bad != "" {
			wantField(t, err, casework.CodeInvalid, process.FieldSearch, tc.bad)
			if containsDigitsOf(casework.ErrorMessage(err), tc.in) {
				t.Errorf("%q: the message repeats the number: %q", tc.in, casework.ErrorMessage(err))
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseClientQuery(%q): %v", tc.in, err)
			continue
		}
		if got.Kind != tc.want.Kind || got.Name != tc.want.Name || !got.BirthDate.Equal(tc.want.BirthDate) ||
			got.Number != tc.want.Number || got.BSN != tc.want.BSN {
			t.Errorf("ParseClientQuery(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
	if d := (casework.ClientQuery{Kind: casework.SearchByBSN, BSN: "123456782"}).Describe(); d != "BSN ******782" {
		t.Errorf("a BSN search is described as %q", d)
	}
	if casework.ShowableSearch("1234 56 782") != "" || casework.ShowableSearch("jansen") != "jansen" {
		t.Errorf("ShowableSearch shows a BSN or hides a name")
	}
}

// containsDigitsOf reports whether msg holds the digits of in (five or more).
func containsDigitsOf(msg, in string) bool {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, in)
	return len(digits) >= 5 && strings.Contains(msg, digits)
}

// TestSearchClientsByEveryKind: the one search box finds a client by name
// (case and accents ignored), date of birth, client number and full BSN on
// both engines; a BSN search leaves a line in the client's history, a part
// of a BSN finds nobody, and an invalid BSN is refused in Dutch.
func TestSearchClientsByEveryKind(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		apply := func(given, family string, born time.Time) casework.Case {
			p := e.Person()
			p.GivenName, p.FamilyName, p.BirthDate = given, family, born
			app, err := e.Walker.Apply(ctx, p, false)
			if err != nil {
				t.Fatalf("apply %s %s: %v", given, family, err)
			}
			return app
		}
		born := process.AddDays(e.Clock.Now(), -(40*365 + 3))
		ayse := apply("Ayşe", "Öztürk", born)
		noel := apply("Ñoël", "Jansen-de Vries", process.AddDays(born, 1))
		bakker := apply("Noël", "Bakker", process.AddDays(born, 2))
		e.WalkTo(t, ayse, "", process.StepRapportage)
		// A team lead steers every team: every client with open work is
		// need-to-know.
		kmwd := e.Actor(process.RoleTeamleider)

		search := func(text string) casework.ClientSearch {
			t.Helper()
			res, err := e.Svc.SearchClients(ctx, kmwd, text)
			if err != nil {
				t.Fatalf("SearchClients(%q): %v", text, err)
			}
			return res
		}
		ids := func(res casework.ClientSearch) []int64 {
			var out []int64
			for _, f := range res.Found {
				out = append(out, f.ID)
			}
			return out
		}
		want := func(text string, kind casework.SearchKind, clients ...casework.Case) casework.ClientSearch {
			t.Helper()
			res := search(text)
			var wantIDs []int64
			for _, c := range clients {
				wantIDs = append(wantIDs, c.ClientID)
			}
			if res.Query.Kind != kind || !sameIDs(ids(res), wantIDs) {
				t.Errorf("SearchClients(%q) = %s %v, want %s %v", text, res.Query.Kind, ids(res), kind, wantIDs)
			}
			return res
		}

		// By name, without case or accents, in name order.
		want("ozturk", casework.SearchByName, ayse)
		want("ÖZTÜRK ayse", casework.SearchByName, ayse)
		want("noel", casework.SearchByName, bakker, noel)
		want("Noël", casework.SearchByName, bakker, noel)
		want("ñoel de vries", casework.SearchByName, noel)
		want("ztürk", casework.SearchByName) // not inside a word

		// The results say where each client stands, never the BSN.
		res := want("öztürk", casework.SearchByName, ayse)
		f := e.File(t, ayse.ClientID)
		var titles []string
		for _, tv := range f.OpenTasks() {
			titles = append(titles, tv.StepTitle)
		}
		latest := f.Application // the case made last: its 17/PA once there is one
		if f.Participation != nil {
			latest = *f.Participation
		}
		if got := res.Found[0]; strings.Join(got.Steps, "|") != strings.Join(titles, "|") || len(titles) == 0 ||
			got.Status != process.StatusNames[latest.Status] || got.Name() != "Ayşe Öztürk" || !got.BirthDate.Equal(born) {
			t.Errorf("found %+v, want steps %q and status %q", got, titles, process.StatusNames[latest.Status])
		}

		// Outside need-to-know (a KM Werk, the client in the Poort's
		// intake): the name and date of birth only, nothing of the case.
		res, err := e.Svc.SearchClients(ctx, e.Actor(process.RoleKMWerk), "öztürk")
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Found) != 1 || res.Found[0].Known || res.Found[0].Name() != "Ayşe Öztürk" || !res.Found[0].BirthDate.Equal(born) ||
			res.Found[0].Steps != nil || res.Found[0].Status != "" || res.Found[0].MaskedBSN != "" {
			t.Errorf("found outside need-to-know: %+v", res.Found)
		}
		if !res0Known(t, search("öztürk")) {
			t.Error("the team lead does not know the client")
		}

		// By date of birth, typed either way.
		want(casework.FormatDate(born), casework.SearchByBirthDate, ayse)
		want(process.AddDays(born, 1).Format(time.DateOnly), casework.SearchByBirthDate, noel)
		want("01-01-1950", casework.SearchByBirthDate)

		// By client number.
		want(strconv.FormatInt(bakker.ClientID, 10), casework.SearchByNumber, bakker)
		want("99999", casework.SearchByNumber)

		// By full BSN only; the search is a BSN view in the client's history.
		bsn := e.File(t, noel.ClientID).Client.BSN
		views := func() int {
			n := 0
			for _, ev := range e.File(t, noel.ClientID).Events {
				if strings.HasPrefix(ev.Summary, "BSN gezocht") && ev.ActorID == kmwd.User.ID {
					n++
				}
			}
			return n
		}
		res = want(bsn, casework.SearchByBSN, noel)
		if res.Query.Describe() != "BSN "+casework.MaskBSN(bsn) || res.Found[0].MaskedBSN != casework.MaskBSN(bsn) {
			t.Errorf("a BSN search describes itself as %q, its client's BSN as %q", res.Query.Describe(), res.Found[0].MaskedBSN)
		}
		if n := views(); n != 1 {
			t.Errorf("after a BSN search the history has %d lines \"BSN gezocht\", want 1", n)
		}
		want(bsn[:4]+" "+bsn[4:6]+" "+bsn[6:], casework.SearchByBSN, noel)
		if n := views(); n != 2 {
			t.Errorf("after a second BSN search: %d lines, want 2", n)
		}
		for _, part := range []string{bsn[:8], bsn[1:], bsn[3:], bsn[6:]} {
			res := search(part)
			if len(res.Found) != 0 || res.Query.Kind == casework.SearchByBSN {
				t.Errorf("part of a BSN %q found %v as %s", part, ids(res), res.Query.Kind)
			}
		}
		if n := views(); n != 2 {
			t.Errorf("searching parts of a BSN wrote history: %d lines, want 2", n)
		}
		unknown := "111222333" // valid, nobody's
		want(unknown, casework.SearchByBSN)

		// An invalid BSN, an impossible date: a Dutch message, no history.
		wrong := bsn[:8] + strconv.Itoa((int(bsn[8]-'0')+1)%10)
		_, err = e.Svc.SearchClients(ctx, kmwd, wrong)
		wantField(t, err, casework.CodeInvalid, process.FieldSearch, "Dit is geen geldig BSN")
		if strings.Contains(err.Error(), wrong) {
			t.Errorf("the error repeats the number: %v", err)
		}
		_, err = e.Svc.SearchClients(ctx, kmwd, "30-02-1990")
		wantField(t, err, casework.CodeInvalid, process.FieldSearch, "bestaat niet")
		if n := views(); n != 2 {
			t.Errorf("refused searches wrote history: %d lines, want 2", n)
		}

		// Only those who may see clients may search.
		_, err = e.Svc.SearchClients(ctx, e.Actor(process.RoleBeheerder), "ozturk")
		if casework.ErrorCode(err) != casework.CodeForbidden {
			t.Errorf("a functioneel beheerder searching: %v, want forbidden", err)
		}
	})
}

func sameIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// res0Known reports whether the first result is need-to-know.
func res0Known(t *testing.T, res casework.ClientSearch) bool {
	t.Helper()
	return len(res.Found) > 0 && res.Found[0].Known
}
