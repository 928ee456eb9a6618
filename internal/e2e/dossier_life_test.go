package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/demo"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// A dossier's and an appointment's life in the browser: a client who does
// not come, a NUG'er's dossier closed by its owner, a refusal before the
// intake, a trajectory registered once, and the way from one task to the
// next.

// apptRows are the rows of the case page's appointment table.
func (u *user) apptRows() []string {
	u.h.t.Helper()
	return u.texts("section[aria-labelledby=afspraken] tbody tr")
}

// apptRow returns the appointment row that contains every part; it fails
// when there is none.
func (u *user) apptRow(parts ...string) string {
	u.h.t.Helper()
	for _, r := range u.apptRows() {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(r, p)
		}
		if ok {
			return r
		}
	}
	u.fatalf("no appointment row with %q; the rows: %q", parts, u.apptRows())
	return ""
}

// apptActions are the links and buttons in the appointment row that
// contains text, by their visible text (without the screen-reader part).
func (u *user) apptActions(text string) []string {
	u.h.t.Helper()
	return eval[[]string](u, fmt.Sprintf(`((text) => {
  const norm = s => (s || '').replace(/\s+/g, ' ').trim();
  for (const r of document.querySelectorAll('section[aria-labelledby=afspraken] tbody tr')) {
    if (!norm(r.innerText).includes(text)) continue;
    return [...r.querySelectorAll('a[href], button')].map(e => {
      const c = e.cloneNode(true); c.querySelectorAll('.wd-sr-only').forEach(s => s.remove()); return norm(c.textContent); });
  }
  return ['<no row>'];
})(%s)`, js(text)))
}

// registrations are the items of the list "Aanmeldingen bij aanbieders".
func (u *user) registrations() []string {
	u.h.t.Helper()
	return eval[[]string](u, `(() => {
  for (const h of document.querySelectorAll('section[aria-labelledby=participatie] h3')) {
    if (h.innerText.trim() !== 'Aanmeldingen bij aanbieders') continue;
    const list = h.nextElementSibling;
    return list && list.tagName === 'UL' ? [...list.children].map(li => li.innerText.replace(/\s+/g, ' ').trim()) : [];
  }
  return ['<no heading Aanmeldingen bij aanbieders>'];
})()`)
}

// dossierStatus is the Status of the participatie section's dossier.
func (u *user) dossierStatus() string {
	u.h.t.Helper()
	return eval[string](u, `(() => { for (const d of document.querySelectorAll('section[aria-labelledby=participatie] dl div')) {
	  if (d.querySelector('dt') && d.querySelector('dt').innerText.trim() === 'Status') return d.querySelector('dd').innerText.trim(); } return ''; })()`)
}

// TestNoShowAndReschedule: the client does not come to the intake. Before
// an appointment begins it can be moved or cancelled, not recorded; from
// its start the klantmanager records "Niet verschenen", which is noted
// without judging, and gets a task with a term to plan a new appointment of
// the same kind.
func TestNoShowAndReschedule(t *testing.T) {
	h := newHarness(t)
	app := h.env.Apply(t)
	intake := h.env.WalkTo(t, app, "regulier", process.StepIntakeWerkdiagnose)
	f := h.env.File(t, app.ClientID)
	name := f.Client.Name()
	clientPath := fmt.Sprintf("/klanten/%d", app.ClientID)
	var ap casework.Appointment
	for _, a := range f.Appointments {
		if a.Kind == process.AppointmentIntake {
			ap = a
		}
	}
	if ap.ID == 0 || intake.HolderID == 0 {
		t.Fatalf("walker: want a held intake task with its appointment; task holder %d, appointments %+v", intake.HolderID, f.Appointments)
	}
	kind := process.AppointmentKindNames[process.AppointmentIntake]

	// During the intake, and after it: record whether the client came.
	if during := ap.StartAt.Add(5 * time.Minute); h.env.Clock.Now().Before(during) {
		h.env.Clock.Add(during.Sub(h.env.Clock.Now()))
	}
	if !h.env.Clock.Now().Before(ap.EndAt) {
		t.Fatalf("walker: the intake of %s is over already at %s", casework.FormatDateTime(ap.StartAt), h.env.Clock.Now())
	}
	km := h.login(h.usernameOf(intake.HolderID))
	for _, state := range []string{"Begonnen", "Voorbij"} {
		if state == "Voorbij" {
			end := ap.EndAt.In(process.Amsterdam)
			h.advanceTo(process.Date(end), end.Hour()+1)
		}
		km.visitOK(clientPath)
		row := km.apptRow(kind, casework.FormatDateTime(ap.StartAt))
		if !strings.Contains(row, state+": leg vast of de klant kwam") {
			km.fatalf("the intake shows %q, want the status %q asking to record whether the client came", row, state+": leg vast of de klant kwam")
		}
		if got := km.apptActions(kind); strings.Join(got, "|") != "Gehouden|Niet verschenen" {
			t.Errorf("the intake (%s) offers %q, want only Gehouden and Niet verschenen", state, got)
		}
	}
	if st := km.submitIn("section[aria-labelledby=afspraken] tbody tr", kind, "Niet verschenen"); st != 200 {
		km.fatalf("Niet verschenen: status %d", st)
	}
	if km.path() != clientPath {
		km.fatalf("after Niet verschenen the browser is at %s, want the client page", km.path())
	}
	if got, want := km.flash(), "Vastgelegd dat de klant niet is verschenen. Er staat een taak klaar om een nieuwe afspraak te plannen."; got != want {
		t.Errorf("the confirmation is %q, want %q", got, want)
	}
	row := km.apptRow(kind, casework.FormatDateTime(ap.StartAt))
	if !strings.Contains(row, "Niet verschenen") {
		t.Errorf("the missed intake shows %q, want status Niet verschenen", row)
	}
	if got := km.apptActions(kind); len(got) != 0 {
		t.Errorf("the recorded intake still offers %q", got)
	}
	history := strings.ToLower(km.text("section[aria-labelledby=historie]"))
	if !strings.Contains(history, "niet verschenen") || !strings.Contains(history, "art. 9 participatiewet") {
		t.Errorf("the history does not note the no-show with art. 9 Participatiewet:\n%s", history)
	}
	km.contains(".wd-case-header", stHerplannen, stIntakeWD)

	// The task to plan anew, on her own worklist with its term.
	due := casework.FormatDate(process.AddDays(process.Date(h.env.Clock.Now()), h.env.Svc.Definition().Policy.RescheduleTermDays))
	km.visitOK("/werkvoorraad/mijn")
	if row, ok := km.row(name, stHerplannen); !ok || !strings.Contains(row, due) {
		km.fatalf("mijn werkvoorraad: want %q for %s due %s; got %q", stHerplannen, name, due, row)
	}
	km.openTaskFromWorklist("/werkvoorraad/mijn", name, stHerplannen)
	km.contains("main", "uiterlijk "+due, "art. 9 Participatiewet")
	newDay := h.workday(2)
	km.fill("datum", casework.FormatDate(newDay))
	km.fill("tijd", "13:30")
	km.selectOption("duur", "45 minuten")
	km.selectOption("spreekkamer", "Spreekkamer 2")
	km.completeStep(stHerplannen)
	// The intake itself is still hers: the next task on this client.
	km.onNextTask(stIntakeWD)
	km.contains("main > .utrecht-alert", "Stap afgerond: "+stHerplannen+".")

	km.visitOK(clientPath)
	newStart := casework.FormatDate(newDay) + " 13:30"
	row = km.apptRow(kind, newStart)
	for _, want := range []string{"Spreekkamer 2", h.env.UserByID(t, intake.HolderID).Name, "Gepland"} {
		if !strings.Contains(row, want) {
			t.Errorf("the new appointment row %q does not show %q", row, want)
		}
	}
	if len(km.apptRows()) != 2 {
		t.Errorf("want the missed and the new intake, got %q", km.apptRows())
	}
	kinds, rows := km.messageKinds()
	if kinds["Uitnodiging klant"] != 2 {
		t.Errorf("berichten: want 2× Uitnodiging klant (intake, new intake); got %v in %q", kinds, rows)
	}
	km.contains(".wd-case-header", stIntakeWD)
	if strings.Contains(km.text(".wd-case-header"), stHerplannen) {
		t.Errorf("the case header still shows %q after the new appointment", stHerplannen)
	}

	// Before its start the new appointment can be moved or cancelled, not
	// recorded; the server refuses a recording posted anyway.
	if got := km.apptActions(newStart); strings.Join(got, "|") != "Verplaatsen|Annuleren" {
		t.Errorf("the coming appointment offers %q, want only Verplaatsen and Annuleren", got)
	}
	move := eval[string](km, fmt.Sprintf(`(() => { for (const r of document.querySelectorAll('section[aria-labelledby=afspraken] tbody tr'))
	  if (r.innerText.includes(%s)) { const a = r.querySelector('a[href*="/verplaatsen"]'); return a ? a.getAttribute('href') : ''; } return ''; })()`, js(newStart)))
	var apID int64
	if _, err := fmt.Sscanf(move, "/afspraken/%d/verplaatsen", &apID); err != nil {
		km.fatalf("no move link in the row of the new appointment: %q", move)
	}
	eval[bool](km, fmt.Sprintf(`(() => { const f = document.createElement('form'); f.method = 'post'; f.action = %s;
	  for (const [k, v] of [['status', 'niet_verschenen'], ['klant', %s]]) { const i = document.createElement('input'); i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i); }
	  const b = document.createElement('button'); b.type = 'submit'; b.textContent = 'e2e vastleggen'; f.appendChild(b); document.querySelector('main').appendChild(f); return true; })()`,
		js(fmt.Sprintf("/afspraken/%d/status", apID)), js(fmt.Sprint(app.ClientID))))
	km.submit("e2e vastleggen")
	km.contains("main > .utrecht-alert", "Een afspraak kan pas vanaf het begin ("+newStart+" uur) als gehouden of niet verschenen worden vastgelegd.")
	if row := km.apptRow(kind, newStart); !strings.Contains(row, "Gepland") {
		t.Errorf("after the refused recording the appointment shows %q, want Gepland", row)
	}
}

// TestCloseNUGDossier: the owner of a NUG'er's dossier closes it outside
// the steps. A reason is required (the choice of what may be finished is
// kept after the refusal); closing cancels the coming follow-up, stops what
// was not chosen and notes it. A colleague who does not own it may not.
func TestCloseNUGDossier(t *testing.T) {
	h := newHarness(t)
	app := h.env.Apply(t)
	h.env.WalkChoice(t, app, demo.Choice{TargetGroup: "regulier", Decision: process.OutcomeGeenToekenning, NUG: process.OutcomeNUG}, "")
	f := h.env.File(t, app.ClientID)
	if f.Participation == nil || !f.Participation.Open() || len(f.OpenTasks()) != 0 {
		t.Fatalf("walker: want an open NUG dossier without open tasks; dossier %+v, open tasks %d", f.Participation, len(f.OpenTasks()))
	}
	pid := f.Participation.ID
	clientPath := fmt.Sprintf("/klanten/%d", app.ClientID)
	closePath := fmt.Sprintf("/dossiers/%d/afsluiten?klant=%d", pid, app.ClientID)
	owner := h.env.UserByID(t, f.Participation.DossierOwner)
	var colleague casework.User
	for _, u := range h.env.All {
		if u.Roles.Has(process.RoleKMWerkdiagnose) && u.ID != owner.ID {
			colleague = u
		}
	}

	// A follow-up for the NUG'er, next week.
	km := h.login(owner.Username)
	km.visitOK(clientPath)
	if status := km.dossierStatus(); !strings.Contains(status, "NUG") {
		t.Errorf("the dossier has status %q, want the NUG'er's guidance", status)
	}
	km.follow("Vervolgafspraak plannen")
	followUp := h.workday(3)
	km.fill("datum", casework.FormatDate(followUp))
	km.fill("tijd", "11:00")
	km.selectOption("duur", "30 minuten")
	km.selectOption("spreekkamer", "Spreekkamer 2")
	if st := km.submit("Afspraak plannen"); st != 200 || km.path() != clientPath {
		km.fatalf("plan a follow-up: status %d at %s", st, km.path())
	}
	at := casework.FormatDate(followUp) + " 11:00"
	if row := km.apptRow("Vervolgafspraak", at); !strings.Contains(row, "Gepland") {
		km.fatalf("the follow-up shows %q, want Gepland", row)
	}

	// A colleague KM Werkdiagnose may look, not close.
	other := h.login(colleague.Username)
	other.visitOK(clientPath)
	if strings.Contains(other.text("section[aria-labelledby=participatie]"), "Dossier afsluiten") {
		t.Errorf("%s, who does not own the dossier, is offered Dossier afsluiten", colleague.Name)
	}
	if st := other.visit(closePath); st != 403 {
		t.Errorf("%s on %s: status %d, want 403", colleague.Name, closePath, st)
	}
	other.contains("h1", "Geen toegang")

	// The owner closes it: first without a reason.
	km.follow("Dossier afsluiten")
	km.contains("h1", "Participatiedossier afsluiten")
	km.contains("main", "Toekomstige afspraken worden geannuleerd")
	const finish = "Baanbrekend: Werkervaringsplaats"
	km.choose("afmaken", finish)
	if st := km.submit("Dossier afsluiten"); st != 422 {
		km.fatalf("close without a reason: status %d, want 422", st)
	}
	msg := km.text("#f-reden-fout")
	if msg == "" || !strings.Contains(km.text("#foutmeldingen"), strings.TrimSpace(msg)) {
		km.fatalf("the missing reason is not named at the field and in the summary: field %q, summary %q", msg, km.text("#foutmeldingen"))
	}
	if !eval[bool](km, `[...document.querySelectorAll('input[name="afmaken"]')].some(e => e.checked)`) {
		km.fatalf("the choice of what may be finished was lost after the refusal")
	}
	const reason = "Klant heeft zelf werk gevonden als orderpicker; begeleiding niet meer nodig."
	km.fill("reden", reason)
	if st := km.submit("Dossier afsluiten"); st != 200 || km.path() != clientPath {
		km.fatalf("close: status %d at %s", st, km.path())
	}
	if got, want := km.flash(), "Participatiedossier afgesloten. Toekomstige afspraken zijn geannuleerd."; got != want {
		t.Errorf("the confirmation is %q, want %q", got, want)
	}
	if status := km.dossierStatus(); status != "Afgesloten" {
		t.Errorf("the dossier has status %q, want Afgesloten", status)
	}
	part := km.text("section[aria-labelledby=participatie]")
	for _, want := range []string{"Werkervaringsplaats (Baanbrekend) – lopend", "(mag worden afgemaakt)",
		"Matching op vacatures in de logistiek (Hallo Werk) – gestopt"} {
		if !strings.Contains(part, want) {
			t.Errorf("the participatie section does not show %q:\n%s", want, part)
		}
	}
	for _, change := range []string{"Dossier afsluiten", "Plan bewerken", "Aanmelding zonder traject toevoegen"} {
		if strings.Contains(part, change) {
			t.Errorf("the closed dossier still offers %q", change)
		}
	}
	row := km.apptRow("Vervolgafspraak", at)
	if !strings.Contains(row, "Geannuleerd") {
		t.Errorf("the coming follow-up shows %q after closing, want Geannuleerd", row)
	}
	if got := km.apptActions(at); len(got) != 0 {
		t.Errorf("the cancelled follow-up still offers %q", got)
	}
	if strings.Contains(km.text("section[aria-labelledby=afspraken]"), "Vervolgafspraak plannen") {
		t.Errorf("the closed dossier still offers Vervolgafspraak plannen")
	}
	km.contains("section[aria-labelledby=historie]", "Begeleiding afgesloten; 1 traject(en) of aanmelding(en) mogen worden afgemaakt.", reason,
		"Vervolgafspraak van "+at+" uur geannuleerd omdat het dossier is afgesloten")
	km.contains(".wd-case-header", "geen open taken")

	// Closed is closed: the form is not offered again.
	if st := km.visit(closePath); st != 409 {
		t.Errorf("the close form of a closed dossier: status %d, want 409", st)
	}
}

// TestRefusalBeforeIntake: the benefit is refused while the intake with
// the KM Werkdiagnose is still open. She gets the choice to close without
// it; closing withdraws the intake task, cancels its appointment (one to
// come with a cancellation to the client; one whose time passed
// unrecorded lapses without) and closes the dossier: nothing is left open.
func TestRefusalBeforeIntake(t *testing.T) {
	h := newHarness(t)
	choice := demo.Choice{TargetGroup: "regulier", Decision: process.OutcomeGeenToekenning,
		Hold: map[process.StepKey]bool{process.StepIntakeWerkdiagnose: true}}
	intakeKind := process.AppointmentKindNames[process.AppointmentIntake]

	// closeWithoutIntake completes the task as its holder, choosing to
	// close, and checks what is left on the worklist and the client page.
	closeWithoutIntake := func(app casework.Case, task casework.Task) *user {
		t.Helper()
		name := h.env.File(t, app.ClientID).Client.Name()
		km := h.login(h.usernameOf(task.HolderID))
		km.visitOK("/werkvoorraad/mijn")
		if _, ok := km.row(name, stIntakeWD); !ok {
			km.fatalf("mijn werkvoorraad has no intake for %s", name)
		}
		km.openTaskFromWorklist("/werkvoorraad/mijn", name, stAfsluitenZonderIntake)
		km.contains("fieldset", process.OutcomeNames[process.OutcomeZonderIntake], process.OutcomeNames[process.OutcomeIntakeDoorgaan])
		km.choose("keuze", process.OutcomeNames[process.OutcomeZonderIntake])
		km.fill("toelichting", "Uitkering niet toegekend; klant ziet af van de intake en zoekt zelf werk.")
		km.completeStep(stAfsluitenZonderIntake)
		// Nothing follows, and the intake is gone from the worklist.
		km.onWorklist("/werkvoorraad/mijn")
		if got, want := km.flash(), "Stap afgerond: "+stAfsluitenZonderIntake+"."; got != want {
			t.Errorf("the confirmation is %q, want %q", got, want)
		}
		if _, ok := km.row(name); ok {
			t.Errorf("mijn werkvoorraad still lists a task for %s", name)
		}
		km.visitOK(fmt.Sprintf("/klanten/%d", app.ClientID))
		km.contains(".wd-case-header", "geen open taken")
		if status := km.dossierStatus(); status != "Afgesloten" {
			t.Errorf("the dossier has status %q, want Afgesloten", status)
		}
		if row, ok := km.row(stIntakeWD); !ok || !strings.Contains(row, "Vervallen") {
			t.Errorf("the task list shows the intake as %q, want Vervallen", row)
		}
		if n := km.count(`a[href^="/taken/"].utrecht-button-link`); n != 0 {
			t.Errorf("the case page offers %d task buttons after closing without intake", n)
		}
		if got := km.apptActions(intakeKind); len(got) != 0 {
			t.Errorf("the intake appointment of the closed dossier still offers %q", got)
		}
		km.contains("section[aria-labelledby=historie]", fmt.Sprintf("Stap %q afgerond: %s", stAfsluitenZonderIntake, process.OutcomeNames[process.OutcomeZonderIntake]),
			"Begeleiding afgesloten.")
		return km
	}

	// A: the intake still to come. Team Ondersteuning plans it a few days
	// ahead, within its term; the refusal comes before it.
	appA := h.env.Apply(t)
	h.env.WalkChoice(t, appA, choice, process.StepVerwerkingAanmelding)
	tessa := h.login("tessa")
	tessa.openTaskFromWorklist("/werkvoorraad", h.env.File(t, appA.ClientID).Client.Name(), stVerwerking)
	intakeDay := h.workday(3)
	tessa.fill("datum", casework.FormatDate(intakeDay))
	tessa.fill("tijd", "10:00")
	tessa.selectOption("duur", "45 minuten")
	tessa.selectOption("spreekkamer", "Spreekkamer 1")
	tessa.selectOption("klantmanager", "Koen Visser")
	tessa.completeStep(stVerwerking)
	intakeAt := casework.FormatDate(intakeDay) + " 10:00"
	taskA := h.env.WalkChoice(t, appA, choice, process.StepAfsluitenZonderIntake)
	if !h.env.Clock.Now().Before(time.Date(intakeDay.Year(), intakeDay.Month(), intakeDay.Day(), 10, 0, 0, 0, process.Amsterdam)) {
		t.Fatalf("walker: the decision came after the intake's start")
	}
	if h.usernameOf(taskA.HolderID) != "koen" {
		t.Fatalf("walker: want %q held by koen, the KM Werkdiagnose of the intake; holder %d", stAfsluitenZonderIntake, taskA.HolderID)
	}
	koen := closeWithoutIntake(appA, taskA)
	if row := koen.apptRow(intakeKind, intakeAt); !strings.Contains(row, "Geannuleerd") {
		t.Errorf("the coming intake shows %q, want Geannuleerd", row)
	}
	koen.contains("section[aria-labelledby=historie]", intakeKind+" van "+intakeAt+" uur geannuleerd omdat het dossier is afgesloten")
	if kinds, rows := koen.messageKinds(); kinds["Annulering klant"] != 1 {
		t.Errorf("berichten: want the client's cancellation of the coming intake; got %v in %q", kinds, rows)
	}

	// B: the intake's time passed without it being recorded (the walker
	// refuses the day after it).
	appB := h.env.Apply(t)
	taskB := h.env.WalkChoice(t, appB, choice, process.StepAfsluitenZonderIntake)
	var past casework.Appointment
	for _, ap := range h.env.File(t, appB.ClientID).Appointments {
		if ap.Kind == process.AppointmentIntake {
			past = ap
		}
	}
	if past.ID == 0 || !past.StartAt.Before(h.env.Clock.Now()) || !past.Planned() {
		t.Fatalf("walker: want a planned intake whose start has passed; got %+v at %s", past, h.env.Clock.Now())
	}
	km := closeWithoutIntake(appB, taskB)
	pastAt := casework.FormatDateTime(past.StartAt)
	if row := km.apptRow(intakeKind, pastAt); !strings.Contains(row, "Vervallen") {
		t.Errorf("the unrecorded past intake shows %q, want Vervallen (it lapsed, nobody was told)", row)
	}
	km.contains("section[aria-labelledby=historie]", intakeKind+" van "+pastAt+" uur vervalt: niet vastgelegd als gehouden of niet verschenen")
	if kinds, rows := km.messageKinds(); kinds["Annulering klant"] != 0 {
		t.Errorf("berichten: the client got a cancellation of an appointment in the past: %v in %q", kinds, rows)
	}
}

// TestRegisterTrajectoryOnce: each row of the plan is a trajectory,
// registered with its provider once, from the trajectory; a second
// registration with the same provider is refused, a stale button too, and
// the start of guidance offers only what is not registered yet.
func TestRegisterTrajectoryOnce(t *testing.T) {
	h := newHarness(t)
	app := h.env.Apply(t)
	intake := h.env.WalkTo(t, app, "regulier", process.StepIntakeWerkdiagnose)
	name := h.env.File(t, app.ClientID).Client.Name()
	clientPath := fmt.Sprintf("/klanten/%d", app.ClientID)
	const trajectory = "Matching op vacatures in de logistiek"

	km := h.login(h.usernameOf(intake.HolderID))
	km.openTaskFromWorklist("/werkvoorraad/mijn", name, stIntakeWD)
	km.follow("Plan van aanpak")
	km.writePlan(h)
	if regs := km.registrations(); len(regs) != 0 {
		t.Errorf("saving the plan registered %q; registering is a separate action", regs)
	}
	stale := h.login(h.usernameOf(intake.HolderID)) // a second tab, opened before the registration
	stale.visitOK(clientPath)

	if st := km.submitIn("section[aria-labelledby=participatie] li", trajectory, "Aanmelden bij Hallo Werk"); st != 200 || km.path() != clientPath {
		km.fatalf("Aanmelden bij Hallo Werk: status %d at %s", st, km.path())
	}
	if got, want := km.flash(), "Traject “"+trajectory+"” is aangemeld bij Hallo Werk."; got != want {
		t.Errorf("the confirmation is %q, want %q", got, want)
	}
	km.contains("section[aria-labelledby=participatie]", "Aanmelding bij de aanbieder: aangemeld (sinds "+h.today()+")")
	wantReg := "Hallo Werk: aangemeld (aangemeld " + h.today() + "), voor traject " + trajectory
	checkOnce := func(u *user) {
		t.Helper()
		var hallo []string
		for _, r := range u.registrations() {
			if strings.HasPrefix(r, "Hallo Werk") {
				hallo = append(hallo, r)
			}
		}
		if len(hallo) != 1 || !strings.HasPrefix(hallo[0], wantReg) {
			u.fatalf("want exactly one Hallo Werk registration %q, got %q", wantReg, hallo)
		}
	}
	checkOnce(km)
	if km.mark(`section[aria-labelledby=participatie] button[type=submit]`, "Aanmelden bij Hallo Werk", "", "") {
		t.Errorf("the registered trajectory still offers Aanmelden bij Hallo Werk")
	}
	if !km.mark(`section[aria-labelledby=participatie] button[type=submit]`, "Aanmelden bij Baanbrekend", "", "") {
		t.Errorf("the Baanbrekend trajectory no longer offers its registration")
	}

	// The button of the stale tab: refused, still one registration.
	stale.submitIn("section[aria-labelledby=participatie] li", trajectory, "Aanmelden bij Hallo Werk")
	stale.contains("main > .utrecht-alert", fmt.Sprintf("Traject %q is al aangemeld bij Hallo Werk.", trajectory))
	checkOnce(stale)

	// A registration without trajectory with the same provider: refused.
	km.follow("Aanmelding zonder traject toevoegen")
	km.contains("h1", "Aanmelding bij een aanbieder")
	km.selectOption("aanbieder", "Hallo Werk")
	km.fill("notitie", "Nogmaals aanmelden.")
	if st := km.submit("Aanmelding opslaan"); st != 409 {
		km.fatalf("a second Hallo Werk registration: status %d, want 409", st)
	}
	// A conflict: said in the alert, which links to the field, and at the field.
	km.contains("#melding", "De klant is al aangemeld bij Hallo Werk")
	km.contains("#f-aanbieder-fout", "De klant is al aangemeld bij Hallo Werk")
	if n := km.count(`#melding a[href="#f-aanbieder"]`); n != 1 {
		t.Errorf("the alert has %d links to the provider field, want 1", n)
	}
	if got := km.value("f-notitie"); got != "Nogmaals aanmelden." {
		t.Errorf("the note holds %q after the refusal, want what was typed", got)
	}
	km.visitOK(clientPath)
	checkOnce(km)

	// The intake done, the Klantmanager Werk who starts guidance is offered
	// only the plan's trajectory not registered yet.
	km.openNext(stIntakeWD)
	km.choose("gesprek_gevoerd", "")
	km.choose("plan_meegegeven", "")
	km.completeStep(stIntakeWD)
	start := h.env.WalkTo(t, app, "regulier", process.StepStartBegeleiding)
	kmw := h.login(h.usernameOf(start.HolderID))
	kmw.openTaskFromWorklist("/werkvoorraad/mijn", name, stStart)
	options := eval[[]string](kmw, `[...document.querySelectorAll('input[name="trajecten"]')].map(i => {
	  const l = document.querySelector('label[for="' + i.id + '"]'); return l ? l.innerText.trim() : '<no label>'; })`)
	if strings.Join(options, "|") != "Baanbrekend: Werkervaringsplaats" {
		t.Errorf("the start of guidance offers the trajectories %q, want only the one not registered: Baanbrekend: Werkervaringsplaats", options)
	}
}

// TestLandOnNextTask: a task opened from a filtered "Mijn werkvoorraad"
// whose next step stays with the same user leads to that task, with the
// confirmation; completing that one leads back to the same worklist, with
// its filter.
func TestLandOnNextTask(t *testing.T) {
	h := newHarness(t)
	app := h.env.Apply(t)
	rapportage := h.env.WalkTo(t, app, "arbeidsbeperkt", process.StepRapportage)
	name := h.env.File(t, app.ClientID).Client.Name()
	worklist := query("/werkvoorraad/mijn", "code", h.env.Svc.Definition().Policy.ApplicationCode)

	poort := h.login(h.usernameOf(rapportage.HolderID))
	poort.openTaskFromWorklist(worklist, name, stRapportage)
	if got := poort.backParam(); got != worklist {
		poort.fatalf("the worklist link carries terug=%q, want %q", got, worklist)
	}
	poort.fill("rapportage", "Aanvraag volledig; vermogen boven de grens.")
	poort.completeStep(stRapportage)
	poort.onNextTask(stBesluit)
	if got, want := poort.flash(), "Stap afgerond: "+stRapportage+`. Nieuw: "`+stBesluit+`" voor u (Poort).`+nextTaskNote; got != want {
		t.Errorf("the confirmation is %q, want %q", got, want)
	}
	if got := poort.backParam(); got != worklist {
		poort.fatalf("the next task returns to %q, want %q", got, worklist)
	}
	poort.contains("main", "Houder")
	poort.choose("besluit", "Geen toekenning")
	poort.fill("besluit_datum", h.today())
	poort.fill("reden", "Het vermogen ligt boven de vermogensgrens.")
	poort.refuseWithLetter(name, "Het vermogen ligt boven de vermogensgrens.")
	poort.onWorklist(worklist)
	if got, want := poort.flash(), "Stap afgerond: "+stBesluit+"."; got != want {
		t.Errorf("the confirmation is %q, want %q", got, want)
	}
	if _, ok := poort.row(name); ok {
		t.Errorf("the worklist still lists a task for %s", name)
	}
}
