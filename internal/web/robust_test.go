package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// TestInputRobustness: on both engines, the public form and the desk's
// application form refuse names with NUL, a direction override or a
// zero-width space, and a telephone number of letters or with a line
// break: 422, the Dutch message at the field, what was typed kept. A NUL
// in a worklist filter or a search is a Dutch 422, never a 500
// (PostgreSQL refuses NUL: SQLSTATE 22021).
func TestInputRobustness(t *testing.T) {
	bad := []struct{ field, value, want string }{
		{"voornamen", "Jan\x00", "niet is toegestaan"},
		{"achternaam", "Jansen\u202eneslaj", "niet is toegestaan"},
		{"voornamen", "Jan\u200bnie", "niet is toegestaan"},
		{"telefoon", "abc", "cijfers"},
		{"telefoon", "06\n123", "één regel"},
		{"email", "jan@voorbeeld", "geldig e-mailadres"},
	}
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			a := newAppOn(t, engine)
			person := a.env.Person()
			valid := url.Values{"bsn": {person.BSN}, "voornamen": {person.GivenName}, "achternaam": {person.FamilyName},
				"geboortedatum": {casework.FormatDate(person.BirthDate)}, "email": {person.Email}, "telefoon": {person.Phone}}
			desk := a.loginRole(process.RoleOndersteunerPoortwachter)
			for _, form := range []struct {
				b    *browser
				path string
			}{{a.browser(), "/aanvraag"}, {desk, "/aanvragen"}} {
				for _, tc := range bad {
					v := url.Values{}
					for k, vals := range valid {
						v[k] = vals
					}
					v.Set(tc.field, tc.value)
					p := form.b.post(form.path, v)
					expectStatus(t, p, http.StatusUnprocessableEntity)
					if got := p.text("#f-" + tc.field + "-fout"); !strings.Contains(got, tc.want) {
						t.Errorf("%s %s %q: message %q", form.path, tc.field, tc.value, got)
					}
					if !strings.ContainsRune(tc.value, 0) && strings.ReplaceAll(p.attr("#f-"+tc.field, "value"), "\r", "") != tc.value {
						t.Errorf("%s %s: value %q not kept", form.path, tc.field, p.attr("#f-"+tc.field, "value"))
					}
				}
			}

			km := a.loginRole(process.RoleKMWerkdiagnose)
			for _, path := range []string{"/werkvoorraad?stap=intake%00", "/werkvoorraad/mijn?code=17%00", "/werkvoorraad?team=%E2%80%AEpoort", "/klanten/1?klant=%00"} {
				p := km.get(path)
				expectStatus(t, p, http.StatusUnprocessableEntity)
				if !strings.Contains(p.text("main"), "bevat een teken dat niet is toegestaan") {
					t.Errorf("%s: page %q", path, p.text("main"))
				}
			}
			p := km.post("/klanten", url.Values{process.FieldSearch: {"jan\x00"}})
			expectStatus(t, p, http.StatusUnprocessableEntity)
			if !strings.Contains(p.text(".wd-error-summary"), "niet is toegestaan") {
				t.Errorf("search with NUL: %s", p.text("main"))
			}
		})
	}
}

// TestVersionRequiredWeb: a form posted without its version is refused
// with 422 and the Dutch message, the input kept; the form comes back on
// the current version, so sending it again (after seeing the page as it
// is) works. A pick-up without a version is a Dutch 422 page.
func TestVersionRequiredWeb(t *testing.T) {
	a := newApp(t)
	app := a.env.Apply(t)
	task := openTask(t, a.env, app.ClientID, process.StepIntakeGesprek)
	b := a.holderLogin(task)

	p := b.post("/taken/"+id(task.ID)+"/oppakken", url.Values{})
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if !strings.Contains(p.text("main"), "De versie van de gegevens") {
		t.Errorf("pick-up without a version: %s", p.text("main"))
	}

	v := taskValues(t, a.env, task)
	v.Del(process.FieldVersion)
	p = b.post("/taken/"+id(task.ID), v)
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if !strings.Contains(p.text(".wd-error-summary"), "De versie van de gegevens") {
		t.Errorf("completion without a version: summary %q", p.text(".wd-error-summary"))
	}
	if got := p.attr("form input[name=versie]", "value"); got != id(int64(task.Version)) {
		t.Errorf("the form came back on version %q, want the current %d", got, task.Version)
	}
	if cur := currentTask(t, a.env, task.ID); cur.Status != casework.TaskOpen || cur.Version != task.Version {
		t.Errorf("the task changed: %+v", cur)
	}
	v.Set(process.FieldVersion, id(int64(task.Version)))
	if p := b.post("/taken/"+id(task.ID), v); p.status != http.StatusSeeOther {
		t.Errorf("sent again with the version: status %d", p.status)
	}

	c := a.env.File(t, app.ClientID).Client
	km := b // who just worked on the client (need-to-know)
	dv := detailsForm(c, map[string]string{"adres": "Nieuwe straat 1, 1234 AB Ergens"})
	dv.Del("versie")
	p = km.post("/klanten/"+id(c.ID)+"/contactgegevens", dv)
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if p.attr("#f-adres", "value") != "Nieuwe straat 1, 1234 AB Ergens" || p.attr("input[name=versie]", "value") != id(int64(c.Version)) {
		t.Errorf("details without a version: value %q, version %q", p.attr("#f-adres", "value"), p.attr("input[name=versie]", "value"))
	}
}

// TestDuplicateRegistrationAndUploadTitle: a second registration with the
// same provider is a Dutch 409 with the form kept; an uploaded document's
// title with a direction override is refused at the title, like any field.
func TestDuplicateRegistrationAndUploadTitle(t *testing.T) {
	a := newApp(t)
	app := a.env.Apply(t)
	intake := a.env.WalkTo(t, app, "", process.StepIntakeWerkdiagnose)
	km := a.login(a.env.UserByID(t, intake.HolderID).Username)
	cid, pid := id(app.ClientID), id(intake.CaseID)
	reg := url.Values{"klant": {cid}, "aanbieder": {"hallo_werk"}, "status": {"aangemeld"}, "datum": {casework.FormatDate(a.env.Clock.Now())},
		"notitie": {"Voorkeur voor ochtendwerk."}}
	expectRedirect(t, km.post("/dossiers/"+pid+"/aanmeldingen", reg), "/klanten/"+cid)
	p := km.post("/dossiers/"+pid+"/aanmeldingen", reg)
	expectStatus(t, p, http.StatusConflict)
	if !strings.Contains(p.text("main"), "al aangemeld bij Hallo Werk") || p.text("#f-notitie") != "Voorkeur voor ochtendwerk." {
		t.Errorf("second registration: %q, note %q", p.text("main"), p.text("#f-notitie"))
	}
	if f := a.env.File(t, app.ClientID); len(f.Registrations) != 1 {
		t.Errorf("registrations = %+v", f.Registrations)
	}

	fields := map[string]string{process.FieldCase: id(app.ID), process.FieldTitle: "Loonstrook \u202emaart"}
	p = km.upload("/klanten/"+cid+"/documenten", fields, "loonstrook.png", "image/png", testPNG)
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if msg := p.text("#f-titel-fout"); !strings.Contains(msg, "niet is toegestaan") {
		t.Errorf("upload title message %q", msg)
	}
}
