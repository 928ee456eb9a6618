package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// fieldValue is what a form on the page holds for the field name: the
// value of an input, the text of a textarea, the selected option or the
// checked radio button.
func fieldValue(p page, name string) string {
	sel := p.doc.Find(`main form [name="` + name + `"]`)
	switch {
	case sel.Length() == 0:
		return "(no field " + name + ")"
	case goquery.NodeName(sel) == "textarea":
		return sel.First().Text()
	case goquery.NodeName(sel) == "select":
		v, _ := sel.First().Find("option[selected]").Attr("value")
		return v
	case sel.First().AttrOr("type", "") == "radio":
		return sel.Filter("[checked]").AttrOr("value", "")
	}
	return sel.First().AttrOr("value", "")
}

// expectFields fails the test unless the page's form renders every field
// of form, and holds want (field → value) for the fields named there.
func expectFields(t *testing.T, p page, form process.Form, want url.Values) {
	t.Helper()
	for _, f := range form.Fields {
		if !p.has(`main form [name="` + f.Name + `"]`) {
			t.Errorf("field %s (%s) of the form is not rendered", f.Name, f.Label)
		}
	}
	for name, v := range want {
		if got := fieldValue(p, name); got != v[0] {
			t.Errorf("field %s holds %q, want %q", name, got, v[0])
		}
	}
}

// clientFiles makes ClientFile answer the fake's file with an open
// participation dossier and plan version *plan, and record the ids asked.
func (fa *fakeApp) clientFiles(plan *int) *[]int64 {
	var asked []int64
	fa.svc.ClientFileFn = func(_ context.Context, a casework.Actor, id int64) (casework.ClientFile, error) {
		asked = append(asked, id)
		if id != fakeClientID {
			return casework.ClientFile{}, casework.NotFound("De klant")
		}
		return fa.file(true, *plan), nil
	}
	return &asked
}

// TestFakePlan: the plan van aanpak form is the policy's plan form filled
// with the latest version; saving passes the values and the version it was
// based on; 422 keeps the input beside the message; 409 keeps the input
// and bases the form on the version saved meanwhile.
func TestFakePlan(t *testing.T) {
	fa := newFakeApp(t, fakeKlantmanager, fakePoortwachter)
	b := fa.login(fakeKlantmanager)
	planVersion := 2
	asked := fa.clientFiles(&planVersion)
	form := fa.def.Policy.PlanForm()

	p := b.get("/dossiers/21/plan?klant=11")
	expectStatus(t, p, http.StatusOK)
	if len(*asked) != 1 || (*asked)[0] != fakeClientID {
		t.Errorf("ClientFile asked for %v, want [11]", *asked)
	}
	if a := p.attr("main form", "action"); a != "/dossiers/21/plan" {
		t.Errorf("form action %q", a)
	}
	expectFields(t, p, form, url.Values{process.FieldSituation: {"Situatie volgens versie 2"}, process.FieldLadderNow: {"2"},
		process.FieldPlanVersion: {"2"}, "klant": {"11"}})

	// Without the client id the case tells which client it is.
	var cases []int64
	fa.svc.CaseClientFn = func(_ context.Context, _ casework.Actor, caseID int64) (int64, error) {
		cases = append(cases, caseID)
		return fakeClientID, nil
	}
	expectStatus(t, b.get("/dossiers/21/plan"), http.StatusOK)
	if len(cases) != 1 || cases[0] != fakeParticipationID {
		t.Errorf("CaseClient asked for %v, want [21]", cases)
	}

	segment := fa.def.Policy.Segments[0]
	input := url.Values{process.FieldSituation: {"Nieuwe situatie na het gesprek"}, process.FieldLadderNow: {"2"}, process.FieldLadderTarget: {"3"},
		process.FieldSegment: {segment}, process.FieldGoals: {"Betaald werk in de zorg"}, process.FieldObligations: {"Twee sollicitaties per week"},
		process.FieldConsequences: {"Verlaging volgens de verordening"}, process.FieldEvaluationOn: {"10-06-2026"}}
	post := func() page {
		v := url.Values{process.FieldPlanVersion: {"2"}, "klant": {"11"}}
		for k, x := range input {
			v[k] = x
		}
		return b.post("/dossiers/21/plan", v)
	}
	type saveCall struct {
		caseID  int64
		basedOn int
		values  casework.Values
	}
	var saves []saveCall
	var answer error
	fa.svc.SavePlanFn = func(_ context.Context, _ casework.Actor, caseID int64, basedOn int, v casework.Values) (casework.Plan, error) {
		saves = append(saves, saveCall{caseID, basedOn, v})
		if answer != nil {
			return casework.Plan{}, answer
		}
		return casework.Plan{Version: basedOn + 1}, nil
	}

	t.Run("saved", func(t *testing.T) {
		saves, answer = nil, nil
		p := post()
		if loc := expectRedirect(t, p, "/klanten/11"); loc != "/klanten/11#participatie" {
			t.Errorf("redirect to %q", loc)
		}
		if len(saves) != 1 || saves[0].caseID != fakeParticipationID || saves[0].basedOn != 2 {
			t.Fatalf("SavePlan calls %+v, want one for case 21 based on version 2", saves)
		}
		for k, v := range input {
			if got := saves[0].values.Get(k); got != v[0] {
				t.Errorf("SavePlan got %s = %q, want %q", k, got, v[0])
			}
		}
		if f := b.flash(); f != "Plan van aanpak opgeslagen (versie 3)." {
			t.Errorf("flash %q", f)
		}
	})

	t.Run("invalid", func(t *testing.T) {
		const msg = "De evaluatiedatum ligt in de toekomst."
		saves, answer = nil, casework.Fields{process.FieldEvaluationOn: msg}.Err()
		p := post()
		expectStatus(t, p, http.StatusUnprocessableEntity)
		if s := p.text(`.utrecht-form-field:has(#f-evaluatie_datum) #f-evaluatie_datum-fout`); s != msg {
			t.Errorf("message beside the field %q, want %q", s, msg)
		}
		want := url.Values{process.FieldPlanVersion: {"2"}}
		for k, v := range input {
			want[k] = v
		}
		expectFields(t, p, form, want)
	})

	t.Run("conflict", func(t *testing.T) {
		const msg = "Een collega heeft intussen een nieuwere versie van het plan opgeslagen. Vergelijk en sla opnieuw op."
		saves, answer = nil, casework.Conflict(msg)
		planVersion = 3
		p := post()
		expectStatus(t, p, http.StatusConflict)
		if s := p.text("#melding"); !strings.Contains(s, msg) {
			t.Errorf("alert %q lacks %q", s, msg)
		}
		want := url.Values{process.FieldPlanVersion: {"3"}}
		for k, v := range input {
			want[k] = v
		}
		expectFields(t, p, form, want)
	})

	t.Run("not a klantmanager", func(t *testing.T) {
		*asked = nil
		p := fa.login(fakePoortwachter).get("/dossiers/21/plan?klant=11")
		expectStatus(t, p, http.StatusForbidden)
		if len(*asked) != 0 {
			t.Errorf("the client file was loaded for a user without access")
		}
	})
}

// TestFakeDossierForms: the registration, trajectory and follow-up
// appointment pages render their forms from internal/process, pass what
// was posted to their use case with the dossier's id, and show the form
// again with the input kept when the use case refuses.
func TestFakeDossierForms(t *testing.T) {
	fa := newFakeApp(t, fakeKlantmanager)
	b := fa.login(fakeKlantmanager)
	planVersion := 1
	fa.clientFiles(&planVersion)
	provider := fa.def.Policy.Providers[0].Key
	today := casework.FormatDate(fakeNow)

	type useCase = func(ctx context.Context, a casework.Actor, caseID int64, v casework.Values) error
	cases := []struct {
		name      string
		get, post string
		form      process.Form
		fresh     url.Values // what the empty form holds
		input     url.Values
		set       func(useCase)
		refusal   error
		status    int
		field     string // where the refusal's message shows; "" for a conflict
		section   string
	}{
		{
			name: "registration", get: "/dossiers/21/aanmeldingen/nieuw?klant=11", post: "/dossiers/21/aanmeldingen",
			form:  fa.def.Policy.RegistrationForm(),
			fresh: url.Values{process.FieldStatus: {"aangemeld"}, process.FieldDate: {today}},
			input: url.Values{process.FieldProvider: {provider}, process.FieldStatus: {"aangemeld"}, process.FieldDate: {"09-03-2026"},
				process.FieldNote: {"Start na de intake, maandagochtend"}},
			set:     func(f useCase) { fa.svc.AddRegistrationFn = f },
			refusal: casework.Fields{process.FieldNote: "Zet geen BSN of ander nummer van 9 cijfers in een aanmelding bij een aanbieder."}.Err(),
			status:  http.StatusUnprocessableEntity, field: process.FieldNote, section: "participatie",
		},
		{
			name: "trajectory", get: "/dossiers/21/trajecten/nieuw?klant=11", post: "/dossiers/21/trajecten",
			form:  fa.def.Policy.TrajectoryForm(),
			fresh: url.Values{process.FieldStart: {today}},
			input: url.Values{process.FieldProvider: {provider}, process.FieldTitle: {"Werkfit in de zorg"}, process.FieldStart: {"16-03-2026"},
				process.FieldActivities: {"Sollicitatietraining\nStage in het verpleeghuis"}},
			set:     func(f useCase) { fa.svc.AddTrajectoryFn = f },
			refusal: casework.Fields{process.FieldStart: "Vul een geldige startdatum in (dd-mm-jjjj)."}.Err(),
			status:  http.StatusUnprocessableEntity, field: process.FieldStart, section: "participatie",
		},
		{
			name: "follow-up appointment", get: "/dossiers/21/afspraken/nieuw?klant=11", post: "/dossiers/21/afspraken",
			form:  process.AppointmentForm(),
			fresh: url.Values{process.FieldRoom: {""}},
			input: url.Values{process.FieldDate: {"12-03-2026"}, process.FieldTime: {"10:30"}, process.FieldDuration: {"45"},
				process.FieldRoom: {"sk2"}},
			set:     func(f useCase) { fa.svc.PlanFollowUpFn = f },
			refusal: casework.Conflict("Deze spreekkamer is dan al geboekt. Kies een andere tijd of kamer."),
			status:  http.StatusConflict, section: "afspraken",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var gotCase int64
			var gotValues casework.Values
			var answer error
			tc.set(func(_ context.Context, a casework.Actor, caseID int64, v casework.Values) error {
				if a.User.ID != fakeKlantmanager.ID {
					t.Errorf("use case called as user %d", a.User.ID)
				}
				gotCase, gotValues = caseID, v
				return answer
			})

			p := b.get(tc.get)
			expectStatus(t, p, http.StatusOK)
			if a := p.attr("main form", "action"); a != tc.post {
				t.Errorf("form action %q, want %q", a, tc.post)
			}
			fresh := url.Values{"klant": {"11"}}
			for k, v := range tc.fresh {
				fresh[k] = v
			}
			expectFields(t, p, tc.form, fresh)
			for _, f := range tc.form.Fields {
				for _, o := range fa.svc.AppointmentOptions()[f.OptionsFrom] {
					if !p.has(`#f-` + f.Name + ` option[value="` + o.Value + `"]`) {
						t.Errorf("choice %s of %s is not offered", o.Value, f.Name)
					}
				}
			}

			posted := url.Values{"klant": {"11"}}
			for k, v := range tc.input {
				posted[k] = v
			}
			p = b.post(tc.post, posted)
			if loc := expectRedirect(t, p, "/klanten/11"); loc != "/klanten/11#"+tc.section {
				t.Errorf("redirect to %q", loc)
			}
			if gotCase != fakeParticipationID {
				t.Errorf("use case got case %d, want 21", gotCase)
			}
			for k, v := range tc.input {
				if got := gotValues.Get(k); got != v[0] {
					t.Errorf("use case got %s = %q, want %q", k, got, v[0])
				}
			}

			answer = tc.refusal
			p = b.post(tc.post, posted)
			expectStatus(t, p, tc.status)
			if tc.field != "" {
				want := casework.FieldErrors(tc.refusal)[tc.field]
				if s := p.text(`.utrecht-form-field:has(#f-` + tc.field + `) #f-` + tc.field + `-fout`); s != want {
					t.Errorf("message beside %s %q, want %q", tc.field, s, want)
				}
			} else if s := p.text("#melding"); !strings.Contains(s, casework.ErrorMessage(tc.refusal)) {
				t.Errorf("alert %q lacks the conflict", s)
			}
			expectFields(t, p, tc.form, posted)
		})
	}
}
