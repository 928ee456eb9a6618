package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// worklistCall is one call of the fake's Worklist.
type worklistCall struct {
	actor casework.Actor
	query casework.WorklistQuery
}

// fakeWorklist makes Worklist answer wl and record its calls.
func (fa *fakeApp) fakeWorklist(wl casework.Worklist) *[]worklistCall {
	var calls []worklistCall
	fa.svc.WorklistFn = func(_ context.Context, a casework.Actor, q casework.WorklistQuery) (casework.Worklist, error) {
		calls = append(calls, worklistCall{a, q})
		wl.Query = q
		return wl, nil
	}
	return &calls
}

// twoTasks is a worklist of the Poort: one task on the team's worklist,
// one held by fakePoortwachter.
func (fa *fakeApp) twoTasks() casework.Worklist {
	free := fa.taskPage(4, 0).Task
	held := fa.taskPage(6, fakePoortwachter.ID).Task
	held.ID, held.ClientID, held.ClientName, held.HolderName = 102, 12, "Sem Jansen", fakePoortwachter.Name
	poort, _ := fa.def.Policy.Team(process.TeamPoort)
	return casework.Worklist{Tasks: []casework.TaskView{free, held}, Teams: []process.Team{poort}, CountMine: 1, CountTeam: 2}
}

// TestFakeWorklistRowsAndFilters: the team worklist shows the use case's
// tasks with the actions the user may take, and passes the filter and sort
// parameters as a WorklistQuery, dropping values it does not know.
func TestFakeWorklistRowsAndFilters(t *testing.T) {
	fa := newFakeApp(t, fakePoortwachter)
	b := fa.login(fakePoortwachter)
	calls := fa.fakeWorklist(fa.twoTasks())

	p := b.get("/werkvoorraad?team=poort&stap=intake_gesprek&termijn=verlopen&code=0%2FL2&houder=niemand&sort=client&desc=1")
	expectStatus(t, p, http.StatusOK)
	if len(*calls) != 1 {
		t.Fatalf("Worklist called %d times, want once (the page's counts serve the navigation)", len(*calls))
	}
	got := (*calls)[0]
	want := casework.WorklistQuery{Team: "poort", Step: "intake_gesprek", Deadline: "verlopen", Code: "0/L2", Holder: "niemand", Sort: "client", Desc: true}
	if got.query != want {
		t.Errorf("query %+v, want %+v", got.query, want)
	}
	if got.actor.User.ID != fakePoortwachter.ID {
		t.Errorf("actor %d, want the logged-in user %d", got.actor.User.ID, fakePoortwachter.ID)
	}

	rows := p.doc.Find("#werkvoorraad-tabel tbody tr")
	if rows.Length() != 2 {
		t.Fatalf("%d rows, want 2", rows.Length())
	}
	free, held := rows.Eq(0), rows.Eq(1)
	if s := strings.TrimSpace(free.Find(`a[href="/klanten/11"]`).Text()); s != "Noor de Vries" {
		t.Errorf("row 1 client link %q", s)
	}
	link := free.Find(`a[href^="/taken/101?"]`)
	if s := strings.TrimSpace(link.Text()); s != "Intakegesprek (telefonisch)" {
		t.Errorf("row 1 task link %q", s)
	}
	if href, _ := link.Attr("href"); !strings.HasPrefix(href, "/taken/101?terug=%2fwerkvoorraad") && !strings.HasPrefix(href, "/taken/101?terug=%2Fwerkvoorraad") {
		t.Errorf("row 1 task link %q does not carry the worklist to return to", href)
	}
	if v, _ := free.Find(`form[action="/taken/101/oppakken"] input[name="versie"]`).Attr("value"); v != "4" {
		t.Errorf("row 1 pick-up form carries version %q, want 4", v)
	}
	if free.Find(`form[action="/taken/101/vrijgeven"]`).Length() != 0 {
		t.Errorf("row 1 (nobody holds it) offers a release")
	}
	if held.Find(`form[action="/taken/102/oppakken"]`).Length() != 0 {
		t.Errorf("row 2 (held) offers a pick-up")
	}
	if v, _ := held.Find(`form[action="/taken/102/vrijgeven"] input[name="versie"]`).Attr("value"); v != "6" {
		t.Errorf("row 2 release form carries version %q, want 6 (the holder may release)", v)
	}
	if s := strings.TrimSpace(held.Find("td").Eq(8).Text()); s != fakePoortwachter.Name {
		t.Errorf("row 2 holder %q", s)
	}
	if back, _ := free.Find(`input[name="terug"]`).Attr("value"); !strings.HasPrefix(back, "/werkvoorraad?") || !strings.Contains(back, "stap=intake_gesprek") {
		t.Errorf("pick-up returns to %q, want this worklist with its filters", back)
	}
	if c := p.text("caption"); c != "Teamwerkvoorraad: 2 taken (gefilterd)" {
		t.Errorf("caption %q", c)
	}
	if s := p.attr(`th:has(a[href*="sort=client"])`, "aria-sort"); s != "descending" {
		t.Errorf("Klant column aria-sort %q, want descending", s)
	}
	if p.attr(`#filter-houder option[selected]`, "value") != "niemand" || p.attr(`#filter-termijn option[selected]`, "value") != "verlopen" {
		t.Errorf("filter form does not show the chosen filters")
	}
	if s := p.text(`a.wd-nav__link[href="/werkvoorraad"]`); !strings.Contains(s, "(2)") {
		t.Errorf("navigation team count %q, want the worklist's count 2", s)
	}

	// Values the page does not know are not passed on.
	*calls = nil
	p = b.get("/werkvoorraad?termijn=morgen&houder=iedereen&sort=bsn&desc=ja")
	expectStatus(t, p, http.StatusOK)
	if len(*calls) != 1 || (*calls)[0].query != (casework.WorklistQuery{}) {
		t.Errorf("unknown filter values passed on: %+v", *calls)
	}
	if c := p.text("caption"); c != "Teamwerkvoorraad: 2 taken" {
		t.Errorf("caption without filters %q", c)
	}
}

// TestFakeWorklistMine: "mijn werkvoorraad" asks for the user's own tasks,
// ignores the team filters, and shows the digest choice of the user.
func TestFakeWorklistMine(t *testing.T) {
	fa := newFakeApp(t, fakeKlantmanager)
	b := fa.login(fakeKlantmanager)
	calls := fa.fakeWorklist(casework.Worklist{CountMine: 0, CountTeam: 5})

	p := b.get("/werkvoorraad/mijn?team=poort&houder=niemand&stap=intake_gesprek")
	expectStatus(t, p, http.StatusOK)
	want := casework.WorklistQuery{Mine: true, Step: "intake_gesprek"}
	if len(*calls) != 1 || (*calls)[0].query != want {
		t.Fatalf("Worklist calls %+v, want one with %+v", *calls, want)
	}
	if h := p.text("h1"); h != "Mijn werkvoorraad" {
		t.Errorf("heading %q", h)
	}
	if p.has("#filter-team") || p.has("#filter-houder") {
		t.Errorf("mijn werkvoorraad shows the team filters")
	}
	if p.attr("form.wd-filter", "action") != "/werkvoorraad/mijn" {
		t.Errorf("filter form goes to %q", p.attr("form.wd-filter", "action"))
	}
	if s := p.text("#werkvoorraad-tabel tbody td"); s != "Geen taken met deze filters." {
		t.Errorf("empty worklist says %q", s)
	}
	if _, on := p.doc.Find("#f-dagoverzicht").Attr("checked"); !on {
		t.Errorf("digest checkbox not checked for a user who gets the digest")
	}
	if s := p.text("#f-dagoverzicht-hulp"); !strings.Contains(s, fakeKlantmanager.Email) {
		t.Errorf("digest help %q does not name the address", s)
	}
}

// TestFakeWorklistFragment: with HX-Request only the table comes back,
// with the caption for screen readers out of band.
func TestFakeWorklistFragment(t *testing.T) {
	fa := newFakeApp(t, fakePoortwachter)
	b := fa.login(fakePoortwachter)
	calls := fa.fakeWorklist(fa.twoTasks())

	p := b.get("/werkvoorraad?termijn=bijna", "HX-Request", "true")
	expectStatus(t, p, http.StatusOK)
	if len(*calls) != 1 || (*calls)[0].query != (casework.WorklistQuery{Deadline: "bijna"}) {
		t.Fatalf("Worklist calls %+v", *calls)
	}
	if strings.Contains(p.body, "<html") || p.has("main") || p.has("form.wd-filter") || p.has("nav") {
		t.Errorf("fragment holds more than the table:\n%s", p.body)
	}
	if n := p.doc.Find("#werkvoorraad-tabel tbody tr").Length(); n != 2 {
		t.Errorf("fragment has %d rows, want 2", n)
	}
	if s := p.text(`#werkvoorraad-status[hx-swap-oob="true"]`); s != "Teamwerkvoorraad: 2 taken (gefilterd)" {
		t.Errorf("out-of-band status %q", s)
	}
	if v := p.header.Values("Vary"); !slices.Contains(v, "HX-Request") {
		t.Errorf("Vary %q lacks HX-Request", v)
	}
}

// TestFakeWorklistForbidden: a refusal of the use case is a Dutch 403 page
// with its message.
func TestFakeWorklistForbidden(t *testing.T) {
	fa := newFakeApp(t, fakePoortwachter)
	b := fa.login(fakePoortwachter)
	const msg = "U hebt geen toegang tot de werkvoorraad van dit team."
	fa.svc.WorklistFn = func(context.Context, casework.Actor, casework.WorklistQuery) (casework.Worklist, error) {
		return casework.Worklist{}, casework.Forbidden(msg)
	}

	p := b.get("/werkvoorraad?team=kmwd")
	expectStatus(t, p, http.StatusForbidden)
	if h := p.text("h1"); h != "Geen toegang" {
		t.Errorf("heading %q", h)
	}
	if s := p.text(`main .utrecht-alert[role="alert"]`); s != msg {
		t.Errorf("message %q, want %q", s, msg)
	}
	if p.attr("html", "lang") != "nl" || !strings.Contains(p.text("title"), "Geen toegang") {
		t.Errorf("not a Dutch page titled Geen toegang: lang %q, title %q", p.attr("html", "lang"), p.text("title"))
	}
	if p.has("#werkvoorraad-tabel") {
		t.Errorf("the 403 page shows a worklist")
	}
}

// TestFakeTaskPage: the task page shows the step's form from the definition
// with the task's version, and the pick-up button when nobody holds it.
func TestFakeTaskPage(t *testing.T) {
	fa := newFakeApp(t, fakePoortwachter)
	b := fa.login(fakePoortwachter)
	var asked []int64
	fa.svc.TaskPageFn = func(_ context.Context, a casework.Actor, id int64) (casework.TaskPage, error) {
		if a.User.ID != fakePoortwachter.ID {
			t.Errorf("TaskPage as user %d", a.User.ID)
		}
		asked = append(asked, id)
		return fa.taskPage(4, 0), nil
	}

	p := b.get("/taken/101")
	expectStatus(t, p, http.StatusOK)
	if len(asked) != 1 || asked[0] != fakeTaskID {
		t.Fatalf("TaskPage asked for %v, want [101]", asked)
	}
	step, _ := fa.def.Step(process.StepIntakeGesprek)
	if h := p.text("h1"); h != step.Title {
		t.Errorf("heading %q, want %q", h, step.Title)
	}
	form := `form[action="/taken/101"]`
	if !p.has(form) {
		t.Fatalf("no step form")
	}
	if v := p.attr(form+` input[name="versie"]`, "value"); v != "4" {
		t.Errorf("form version %q, want 4", v)
	}
	for _, f := range step.Form.Fields {
		if f.ShowWhen == process.ShowLate {
			continue
		}
		if !p.has(form + ` [name="` + f.Name + `"]`) {
			t.Errorf("field %s of the step's form is not rendered", f.Name)
		}
		if f.Required && !strings.Contains(p.text(`label[for="f-`+f.Name+`"]`), f.Label) {
			t.Errorf("field %s has no label %q", f.Name, f.Label)
		}
	}
	if v := p.attr(`form[action="/taken/101/oppakken"] input[name="versie"]`, "value"); v != "4" {
		t.Errorf("pick-up form version %q, want 4", v)
	}

	// Not found from the use case: the Dutch 404 page.
	fa.svc.TaskPageFn = func(context.Context, casework.Actor, int64) (casework.TaskPage, error) {
		return casework.TaskPage{}, casework.NotFound("De taak")
	}
	p = b.get("/taken/999")
	expectStatus(t, p, http.StatusNotFound)
	if s := p.text(`main .utrecht-alert[role="alert"]`); s != "De taak is niet gevonden." {
		t.Errorf("404 message %q", s)
	}
}

// completeCall is one call of the fake's CompleteTask.
type completeCall struct {
	id      int64
	version int
	values  casework.Values
}

// intakeInput is what a poortwachter types into the intake form.
func intakeInput() url.Values {
	return url.Values{"gesprek_datum": {"09-03-2026"}, "rechtmatigheid": {"Woont alleen, geen vermogen."},
		"doelmatigheid": {"Wil graag in de zorg werken."}, "bijzonderheden": {"Spreekt ook Engels & Arabisch"}}
}

// TestFakeTaskComplete: completing a step passes the posted version and
// values (without the form's bookkeeping) to the use case; success is a
// 303 to the client with a flash; invalid input is 422 with the message
// beside its field and everything typed kept; a conflict is 409 with the
// input kept and the version refreshed to the task's current one.
func TestFakeTaskComplete(t *testing.T) {
	fa := newFakeApp(t, fakePoortwachter)
	b := fa.login(fakePoortwachter)
	version := 4
	fa.svc.TaskPageFn = func(context.Context, casework.Actor, int64) (casework.TaskPage, error) {
		return fa.taskPage(version, fakePoortwachter.ID), nil
	}
	var calls []completeCall
	var answer error
	done := casework.Completed{Step: "Intakegesprek (telefonisch)",
		Tasks: []casework.CreatedTask{{ID: 205, Step: "Beoordeling doelgroep", Team: "Poort", Holder: "u"}}}
	fa.svc.CompleteTaskFn = func(_ context.Context, _ casework.Actor, id int64, v int, vals casework.Values) (casework.Completed, error) {
		calls = append(calls, completeCall{id, v, vals})
		if answer != nil {
			return casework.Completed{}, answer
		}
		return done, nil
	}
	post := func() page {
		in := intakeInput()
		in.Set("versie", "4")
		in.Set("terug", "/werkvoorraad")
		return b.post("/taken/101", in)
	}

	t.Run("success", func(t *testing.T) {
		calls, answer = nil, nil
		p := post()
		if loc := expectRedirect(t, p, "/werkvoorraad"); loc != "/werkvoorraad" {
			t.Errorf("redirect to %q, want the worklist it came from (no next task of the user)", loc)
		}
		if len(calls) != 1 {
			t.Fatalf("CompleteTask called %d times", len(calls))
		}
		c := calls[0]
		if c.id != fakeTaskID || c.version != 4 {
			t.Errorf("CompleteTask(%d, version %d), want (101, 4)", c.id, c.version)
		}
		if _, ok := c.values["versie"]; ok {
			t.Errorf("the version was passed as a form value")
		}
		if _, ok := c.values["terug"]; ok {
			t.Errorf("terug was passed as a form value")
		}
		for k, v := range intakeInput() {
			if c.values.Get(k) != v[0] {
				t.Errorf("value %s = %q, want %q", k, c.values.Get(k), v[0])
			}
		}
		if f := b.flash(); f != `Stap afgerond: Intakegesprek (telefonisch). Nieuw: "Beoordeling doelgroep" voor u (Poort).` {
			t.Errorf("flash %q", f)
		}
	})

	t.Run("next task of the user on the client", func(t *testing.T) {
		calls, answer = nil, nil
		done.Next = 205
		defer func() { done.Next = 0 }()
		p := post()
		expectRedirect(t, p, "/taken/205?terug=%2Fwerkvoorraad")
		if f := b.flash(); !strings.HasSuffix(f, "Hieronder uw volgende taak bij deze klant.") {
			t.Errorf("flash %q does not say the next task follows", f)
		}
	})

	t.Run("invalid", func(t *testing.T) {
		const msg = "Vul de uitvraag rechtmatigheid volledig in."
		calls, answer = nil, casework.Fields{"rechtmatigheid": msg}.Err()
		p := post()
		expectStatus(t, p, http.StatusUnprocessableEntity)
		if s := p.text(`.utrecht-form-field:has(#f-rechtmatigheid) #f-rechtmatigheid-fout`); s != msg {
			t.Errorf("message beside the field %q, want %q", s, msg)
		}
		if p.attr("#f-rechtmatigheid", "aria-invalid") != "true" {
			t.Errorf("field not marked invalid")
		}
		if p.attr(`#foutmeldingen a[href="#f-rechtmatigheid"]`, "href") == "" {
			t.Errorf("error summary does not link to the field")
		}
		if s := p.text("#f-rechtmatigheid"); s != "Woont alleen, geen vermogen." {
			t.Errorf("typed rechtmatigheid lost: %q", s)
		}
		if s := p.text("#f-bijzonderheden"); s != "Spreekt ook Engels & Arabisch" {
			t.Errorf("typed bijzonderheden lost: %q", s)
		}
		if v := p.attr("#f-gesprek_datum", "value"); v != "09-03-2026" {
			t.Errorf("typed date lost: %q", v)
		}
		if v := p.attr(`form[action="/taken/101"] input[name="versie"]`, "value"); v != "4" {
			t.Errorf("version %q, want the posted 4", v)
		}
		if !strings.HasPrefix(p.text("title"), "Fout:") {
			t.Errorf("title %q does not announce the error", p.text("title"))
		}
	})

	t.Run("conflict", func(t *testing.T) {
		const msg = "Een collega heeft deze taak intussen gewijzigd. Controleer de gegevens en verstuur opnieuw."
		calls, answer = nil, casework.Conflict(msg)
		version = 5 // what TaskPage answers after the refusal: a colleague changed it
		p := post()
		expectStatus(t, p, http.StatusConflict)
		if len(calls) != 1 || calls[0].version != 4 {
			t.Fatalf("CompleteTask calls %+v, want one with version 4", calls)
		}
		if s := p.text("#melding"); !strings.Contains(s, msg) {
			t.Errorf("alert %q lacks %q", s, msg)
		}
		if v := p.attr(`form[action="/taken/101"] input[name="versie"]`, "value"); v != "5" {
			t.Errorf("version %q, want the refreshed 5", v)
		}
		if s := p.text("#f-doelmatigheid"); s != "Wil graag in de zorg werken." {
			t.Errorf("typed doelmatigheid lost: %q", s)
		}
	})
}

// TestFakeTaskActions: pick-up, release and assign pass the posted version
// (and colleague) to the use case and return where the user came from.
func TestFakeTaskActions(t *testing.T) {
	fa := newFakeApp(t, fakeOndersteuning)
	b := fa.login(fakeOndersteuning)
	type call struct {
		what    string
		id      int64
		version int
		user    int64
	}
	var calls []call
	fa.svc.PickUpFn = func(_ context.Context, _ casework.Actor, id int64, v int) error {
		calls = append(calls, call{"PickUp", id, v, 0})
		return nil
	}
	fa.svc.ReleaseFn = func(_ context.Context, _ casework.Actor, id int64, v int) error {
		calls = append(calls, call{"Release", id, v, 0})
		return nil
	}
	fa.svc.AssignFn = func(_ context.Context, a casework.Actor, id int64, v int, userID int64) error {
		if a.User.ID != fakeOndersteuning.ID {
			t.Errorf("Assign as user %d", a.User.ID)
		}
		calls = append(calls, call{"Assign", id, v, userID})
		return nil
	}

	p := b.post("/taken/101/oppakken", url.Values{"versie": {"4"}, "terug": {"/werkvoorraad?stap=intake_gesprek"}})
	if loc := expectRedirect(t, p, "/werkvoorraad"); loc != "/werkvoorraad?stap=intake_gesprek" {
		t.Errorf("pick-up returns to %q", loc)
	}
	if f := b.flash(); !strings.HasPrefix(f, "Taak opgepakt.") {
		t.Errorf("pick-up flash %q", f)
	}
	p = b.post("/taken/101/vrijgeven", url.Values{"versie": {"6"}, "terug": {"/taken/101"}})
	if loc := expectRedirect(t, p, "/taken/101"); loc != "/taken/101" {
		t.Errorf("release returns to %q", loc)
	}
	p = b.post("/taken/101/toewijzen", url.Values{"versie": {"7"}, "medewerker": {"12"}})
	if loc := expectRedirect(t, p, "/taken/101"); loc != "/taken/101" {
		t.Errorf("assign returns to %q", loc)
	}
	if f := b.flash(); f != "Taak toegewezen." {
		t.Errorf("assign flash %q", f)
	}
	want := []call{{"PickUp", 101, 4, 0}, {"Release", 101, 6, 0}, {"Assign", 101, 7, 12}}
	if len(calls) != len(want) {
		t.Fatalf("calls %+v, want %+v", calls, want)
	}
	for i := range want {
		if calls[i] != want[i] {
			t.Errorf("call %d: %+v, want %+v", i, calls[i], want[i])
		}
	}

	// A pick-up the use case refuses as stale: a 409 page with its message.
	fa.svc.PickUpFn = func(context.Context, casework.Actor, int64, int) error {
		return casework.Conflict("Deze taak is al opgepakt door een collega.")
	}
	p = b.post("/taken/101/oppakken", url.Values{"versie": {"4"}})
	expectStatus(t, p, http.StatusConflict)
	if s := p.text(`main .utrecht-alert[role="alert"]`); s != "Deze taak is al opgepakt door een collega." {
		t.Errorf("conflict message %q", s)
	}
}

// TestFakeUnsetUseCase: a use case the test did not set makes the handler
// answer the generic 500 page, so a handler calling something unexpected
// cannot pass unnoticed.
func TestFakeUnsetUseCase(t *testing.T) {
	fa := newFakeApp(t, fakePoortwachter)
	b := fa.login(fakePoortwachter)
	p := b.get("/taken/101") // TaskPageFn is not set
	expectStatus(t, p, http.StatusInternalServerError)
	if h := p.text("h1"); h != "Er ging iets mis" {
		t.Errorf("heading %q", h)
	}
	if strings.Contains(p.body, "fake:") {
		t.Errorf("the cause reached the page")
	}
}
