package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/demo"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Step titles as the pages show them (from the process definition).
const (
	stIntakeGesprek         = "Intakegesprek (telefonisch)"
	stDoelgroep             = "Beoordeling doelgroep"
	stAanmelding            = "Aanmelding participatie"
	stVerwerking            = "Verwerking aanmelding participatie"
	stIntakeWD              = "Intake KM Werkdiagnose en plan van aanpak"
	stRapportage            = "Beoordeling aanvraag en rapportage"
	stBesluit               = "Besluit op aanvraag"
	stVerdelen              = "Verdelen naar Klantmanager Werk"
	stUitnodigen            = "Uitnodigen voor kennismakingsgesprek"
	stStart                 = "Kennismaking en start begeleiding"
	stNUG                   = "NUG'er of afsluiten aanmelding"
	stAfsluitenZonderIntake = "Afsluiten zonder intake"
	stHerplannen            = "Nieuwe afspraak na niet verschijnen"
)

// flash is the confirmation or error message at the top of main ("" when
// there is none).
func (u *user) flash() string {
	u.h.t.Helper()
	return strings.Join(strings.Fields(u.text("main > .utrecht-alert")), " ")
}

// backParam is the "terug" of the current location: the worklist a task
// page was opened from ("" when none).
func (u *user) backParam() string {
	u.h.t.Helper()
	// After a refused form the page is the POST's answer: the worklist is
	// in the form's hidden field, not in the address.
	return eval[string](u, `new URLSearchParams(location.search).get('terug') || (document.querySelector('section[aria-labelledby=stap-formulier] form input[name=terug]') || {}).value || ''`)
}

// nextTaskNote ends the confirmation when the browser lands on the user's
// next task on the same client.
const nextTaskNote = " Hieronder uw volgende taak bij deze klant."

// completeStep submits the open task's form and expects the confirmation
// "Stap afgerond: <title>." where the work goes on: the user's next open
// task on the same client (which returns to the same worklist), or else the
// worklist the task was opened from (Mijn werkvoorraad when unknown).
func (u *user) completeStep(title string) {
	u.h.t.Helper()
	back := u.backParam()
	if st := u.submit("Stap afronden"); st != 200 {
		u.fatalf("complete %q: status %d", title, st)
	}
	flash := u.flash()
	if !strings.HasPrefix(flash, "Stap afgerond: "+title+".") {
		u.fatalf("complete %q: the confirmation is %q, want it to start with %q", title, flash, "Stap afgerond: "+title+".")
	}
	if strings.HasPrefix(u.path(), "/taken/") {
		if !strings.HasSuffix(flash, nextTaskNote) {
			u.fatalf("complete %q: on a task page without %q in the confirmation %q", title, nextTaskNote, flash)
		}
		if got := u.backParam(); got != back {
			u.fatalf("complete %q: the next task returns to %q, want %q (where this task was opened from)", title, got, back)
		}
		if !u.mark(`button[type=submit]`, "Stap afronden", "", "") {
			u.fatalf("complete %q: the next task page offers no form to complete it", title)
		}
		return
	}
	want := back
	if want == "" {
		want = "/werkvoorraad/mijn"
	}
	if got := eval[string](u, `location.pathname + location.search`); got != want {
		u.fatalf("complete %q: the browser is at %s, want the user's next task or the worklist %s", title, got, want)
	}
	if strings.Contains(flash, nextTaskNote) {
		u.fatalf("complete %q: back on the worklist, but the confirmation says %q", title, flash)
	}
}

// onNextTask fails unless the browser landed on the task page of title
// after completing a step, with the confirmation saying so.
func (u *user) onNextTask(title string) {
	u.h.t.Helper()
	if !strings.HasPrefix(u.path(), "/taken/") || strings.TrimSpace(u.text("h1")) != title {
		u.fatalf("want the next task %q after completing a step; h1 is %q", title, u.text("h1"))
	}
	if !strings.HasSuffix(u.flash(), nextTaskNote) {
		u.fatalf("on the next task %q, the confirmation %q does not say so", title, u.flash())
	}
}

// onWorklist fails unless the browser is back on the worklist (path and
// query) after completing a step.
func (u *user) onWorklist(worklist string) {
	u.h.t.Helper()
	if got := eval[string](u, `location.pathname + location.search`); got != worklist {
		u.fatalf("after the last step of this user on the client the browser is at %s, want the worklist %s", got, worklist)
	}
	heading := "Teamwerkvoorraad"
	if strings.HasPrefix(worklist, "/werkvoorraad/mijn") {
		heading = "Mijn werkvoorraad"
	}
	u.contains("h1", heading)
}

// clientLink is the client page of the task page shown: its link
// "Dossier van de klant".
func (u *user) clientLink() string {
	u.h.t.Helper()
	if !strings.HasPrefix(u.path(), "/taken/") {
		u.fatalf("not on a task page")
	}
	href := u.linkHref("Dossier van de klant")
	if !clientPathPattern.MatchString(href) {
		u.fatalf("the task page links to the client at %q", href)
	}
	return href
}

// clientPathPattern is the path of a client page.
var clientPathPattern = regexp.MustCompile(`^/klanten/\d+$`)

// openNext opens the user's next task title on the client: the page the
// completion landed on when that is the task, else the task the client
// page offers ("Naar taak: …"), from the task page's client link.
func (u *user) openNext(title string) {
	u.h.t.Helper()
	if strings.HasPrefix(u.path(), "/taken/") {
		if strings.TrimSpace(u.text("h1")) == title {
			return
		}
		u.visitOK(u.clientLink())
	}
	if !strings.HasPrefix(u.path(), "/klanten/") {
		u.fatalf("open the next task %q: neither on a task page nor on the client page", title)
	}
	u.follow("Naar taak: " + title)
	u.contains("h1", title)
}

// openTaskFromWorklist opens the task of the client from a worklist row.
func (u *user) openTaskFromWorklist(worklist, client, title string) {
	u.h.t.Helper()
	u.visitOK(worklist)
	u.noBSN()
	if _, ok := u.row(client, title); !ok {
		u.fatalf("%s has no row for %s with task %q", worklist, client, title)
	}
	u.followIn("tbody tr", client, title)
	if !strings.HasPrefix(u.path(), "/taken/") {
		u.fatalf("the worklist link of %q did not open a task page", title)
	}
	u.contains("h1", title)
}

// writePlan fills in and saves the plan form the browser shows: signed
// today, with a Hallo Werk and a Baanbrekend row. Each row is a
// trajectory: the case page lists them under Trajecten, each with its
// button to register it with the provider.
func (u *user) writePlan(h *harness) {
	u.h.t.Helper()
	u.contains("h1", "Plan van aanpak")
	u.fillLabel("Situatie van de klant", "Klant zoekt na jaren mantelzorg weer werk; ervaring in de logistiek.")
	u.selectOption("ladder_nu", "3 ")
	u.selectOption("ladder_doel", "5 ")
	u.choose("segment", "Re-integratie")
	u.fill("doelen", "Binnen zes maanden betaald werk voor minimaal 20 uur per week.")
	u.fill("verplichtingen", "Actief solliciteren, meewerken aan de trajecten en afspraken nakomen (art. 9 Participatiewet).")
	u.fill("gevolgen", "Bij het niet nakomen van de verplichtingen kan een maatregel worden opgelegd.")
	u.selectOption("traject_aanbieder_1", "Hallo Werk")
	u.fill("traject_doel_1", "Matching op vacatures in de logistiek")
	u.fill("traject_activiteiten_1", "Profiel aanmaken\nTwee sollicitaties per week")
	u.selectOption("traject_aanbieder_2", "Baanbrekend")
	u.fill("traject_doel_2", "Werkervaringsplaats")
	u.fill("traject_activiteiten_2", "Kennismaking werkgever")
	u.fill("evaluatie_datum", casework.FormatDate(process.AddDays(process.Date(h.env.Clock.Now()), 90)))
	u.fillLabel("Datum handtekening klant", h.today())
	if st := u.submit("Plan opslaan"); st != 200 {
		u.fatalf("save plan: status %d", st)
	}
	if !strings.HasPrefix(u.path(), "/klanten/") {
		u.fatalf("after saving the plan the browser is at %s, want the client page", u.path())
	}
	u.contains("main", "Plan van aanpak opgeslagen (versie 1).")
	u.contains("section[aria-labelledby=participatie]", "Getekend door de klant op "+h.today(), "Re-integratie",
		"Trajecten in het plan", "2: zie Trajecten hieronder",
		"Matching op vacatures in de logistiek (Hallo Werk) – lopend", "Profiel aanmaken", "Twee sollicitaties per week",
		"Werkervaringsplaats (Baanbrekend) – lopend", "Kennismaking werkgever")
	for _, provider := range []string{"Hallo Werk", "Baanbrekend"} {
		if !u.mark(`section[aria-labelledby=participatie] button[type=submit]`, "Aanmelden bij "+provider, "", "") {
			u.fatalf("the new trajectory with %s has no button to register it", provider)
		}
	}
}

// addBaanbrekend adds a Baanbrekend trajectory with activities to the
// plan written by writePlan: its third row, in a new version of the plan.
func (u *user) addBaanbrekend() {
	u.h.t.Helper()
	u.follow("Traject toevoegen aan het plan")
	u.contains("h1", "Traject toevoegen aan het plan")
	u.selectOption("aanbieder", "Baanbrekend")
	u.fill("titel", "Werkervaringsplaats Baanbrekend")
	u.fill("activiteiten", "Intake bij Baanbrekend\nStart werkervaringsplaats")
	if st := u.submit("Traject toevoegen aan het plan"); st != 200 {
		u.fatalf("add trajectory: status %d", st)
	}
	u.contains("main", "Traject toegevoegd aan het plan van aanpak (nieuwe versie).")
	u.contains("section[aria-labelledby=participatie]", "Versie 2", "3: zie Trajecten hieronder",
		"Werkervaringsplaats Baanbrekend (Baanbrekend) – lopend", "Intake bij Baanbrekend", "Start werkervaringsplaats")
}

// TestRoute1RegulierToekenning walks the regular route to a granted benefit
// and guidance by a KM Werk, entirely in the browser, each step as the user
// whose work it is.
func TestRoute1RegulierToekenning(t *testing.T) {
	h := newHarness(t)
	p := h.env.Person()
	name := p.GivenName + " " + p.FamilyName

	// 1. The client applies on the public form, without an account.
	klant := h.anonymous()
	klant.visitOK("/aanvraag")
	klant.contains("h1", "Uitkering aanvragen")
	klant.fillLabel("Burgerservicenummer (BSN)", p.BSN)
	klant.fill("voornamen", p.GivenName)
	klant.fill("achternaam", p.FamilyName)
	klant.fill("geboortedatum", casework.FormatDate(p.BirthDate))
	klant.fill("email", p.Email)
	klant.fill("telefoon", p.Phone)
	klant.fill("adres", p.Address)
	if st := klant.submit("Aanvraag versturen"); st != 200 || klant.path() != "/aanvraag/ontvangen" {
		klant.fatalf("public application: status %d at %s", st, klant.path())
	}
	klant.contains("h1", "Wij hebben uw aanvraag ontvangen")
	klant.noBSN(p.BSN)

	// 2. Poortwachter pieter picks the intake call up from the team worklist.
	pieter := h.login("pieter")
	pieter.visitOK("/werkvoorraad")
	pieter.noBSN(p.BSN)
	row, ok := pieter.row(name, stIntakeGesprek)
	if !ok || !strings.Contains(row, "0/L2") || !strings.Contains(row, "niemand") {
		pieter.fatalf("team worklist: want an unheld %q row for %s with 0/L2, got %q", stIntakeGesprek, name, row)
	}
	pieter.submitIn("tbody tr", name, "Oppakken")
	pieter.contains("main", "Taak opgepakt.")
	if row, _ := pieter.row(name, stIntakeGesprek); !strings.Contains(row, "Pieter Bakker") {
		pieter.fatalf("after Oppakken the row shows %q, want holder Pieter Bakker", row)
	}
	pieter.openTaskFromWorklist("/werkvoorraad/mijn", name, stIntakeGesprek)
	pieter.contains("main", "0/L2", "Houder")
	pieter.fill("gesprek_datum", h.today())
	pieter.fillLabel("Uitvraag rechtmatigheid", "Geen inkomen sinds einde WW, geen vermogen boven de grens, alleenstaand, huurwoning.")
	pieter.fillLabel("Uitvraag doelmatigheid", "Wil graag werken; heeft hulp nodig bij solliciteren.")
	pieter.completeStep(stIntakeGesprek)
	// His next task on this client follows at once, with the way back to
	// the worklist he came from.
	pieter.onNextTask(stDoelgroep)
	if got, want := pieter.flash(), "Stap afgerond: "+stIntakeGesprek+`. Nieuw: "`+stDoelgroep+`" voor u (Poort).`+nextTaskNote; got != want {
		pieter.fatalf("the confirmation is %q, want %q", got, want)
	}
	if got := pieter.backParam(); got != "/werkvoorraad/mijn" {
		pieter.fatalf("the next task returns to %q, want /werkvoorraad/mijn", got)
	}
	clientPath := pieter.clientLink()
	pieter.contains(".wd-case-header", name)

	pieter.choose("doelgroep", "Regulier")
	pieter.completeStep(stDoelgroep)

	pieter.onNextTask(stAanmelding)
	pieter.fill("toelichting", "Klant is gemotiveerd; bereikbaar op werkdagen na 10 uur.")
	pieter.completeStep(stAanmelding)
	// The registration goes to the team; the assessment stays with him.
	pieter.onNextTask(stRapportage)
	pieter.contains("main > .utrecht-alert", `"`+stVerwerking+`" voor werkvoorraad`, `"`+stRapportage+`" voor u (Poort)`)
	pieter.contains(".wd-case-header", stVerwerking, "nog niet opgepakt", stRapportage)

	// 3. Team Ondersteuning (tessa) plans the intake within the week.
	registered := process.Date(h.env.Clock.Now())
	tessa := h.login("tessa")
	tessa.visitOK("/werkvoorraad")
	due := casework.FormatDate(process.AddDays(registered, 7))
	if row, ok := tessa.row(name, stVerwerking); !ok || !strings.Contains(row, due) || !strings.Contains(strings.ToLower(row), "op tijd") {
		tessa.fatalf("team worklist: want %q for %s with deadline %s, Op tijd; got %q", stVerwerking, name, due, row)
	}
	tessa.openTaskFromWorklist("/werkvoorraad", name, stVerwerking)
	tessa.contains("main", "uiterlijk "+due)
	intakeDay := h.workday(1)
	tessa.fill("datum", casework.FormatDate(intakeDay))
	tessa.fill("tijd", "10:00")
	tessa.selectOption("duur", "45 minuten")
	tessa.selectOption("spreekkamer", "Spreekkamer 1")
	tessa.selectOption("klantmanager", "Koen Visser")
	tessa.completeStep(stVerwerking)
	// Nothing more for her on this client: back to the team worklist.
	tessa.onWorklist("/werkvoorraad")
	tessa.contains("main > .utrecht-alert", `"`+stIntakeWD+`" voor Koen Visser`)

	// 4. KM Werkdiagnose koen: the intake on worklist 445, the plan, a
	// provider registration and a trajectory.
	h.advanceTo(intakeDay, 11)
	koen := h.login("koen")
	if koen.path() != "/werkvoorraad/mijn" {
		koen.fatalf("koen lands on %s, want /werkvoorraad/mijn", koen.path())
	}
	if row, ok := koen.row(name, stIntakeWD); !ok || !strings.Contains(row, "445") || !strings.Contains(row, "17/PA") {
		koen.fatalf("mijn werkvoorraad: want %q for %s on 17/PA, worklist 445; got %q", stIntakeWD, name, row)
	}
	koen.noBSN(p.BSN)
	koen.openTaskFromWorklist("/werkvoorraad/mijn", name, stIntakeWD)
	koen.contains("main", "17/PA, werkvoorraad 445")
	koen.follow("Plan van aanpak")
	koen.writePlan(h)

	// A registration with a provider outside the plan; the Hallo Werk
	// trajectory of the plan is left to the Klantmanager Werk.
	koen.follow("Aanmelding zonder traject toevoegen")
	koen.contains("h1", "Aanmelding bij een aanbieder")
	koen.selectOption("aanbieder", "Educenter")
	koen.fill("notitie", "Taaltoets afgesproken met de klant.")
	if st := koen.submit("Aanmelding opslaan"); st != 200 {
		koen.fatalf("registration: status %d", st)
	}
	koen.contains("section[aria-labelledby=participatie]", "Educenter: aangemeld", "Taaltoets afgesproken met de klant.")
	koen.addBaanbrekend()

	koen.follow("Naar taak: " + stIntakeWD)
	koen.choose("gesprek_gevoerd", "")
	koen.choose("plan_meegegeven", "")
	koen.completeStep(stIntakeWD)
	koen.onWorklist("/werkvoorraad/mijn") // opened from the client page: his own worklist

	// 5. Poortwachter pieter: report and decision "Toekenning".
	pieter.openTaskFromWorklist("/werkvoorraad/mijn", name, stRapportage)
	pieter.fill("rapportage", "Aanvraag volledig; recht op bijstand vastgesteld op basis van de uitvraag.")
	pieter.completeStep(stRapportage)
	pieter.onNextTask(stBesluit)
	pieter.choose("besluit", "Toekenning")
	pieter.fill("besluit_datum", h.today())
	pieter.completeStep(stBesluit)
	// His last step on this client: back on the worklist he opened it from.
	pieter.onWorklist("/werkvoorraad/mijn")
	if _, ok := pieter.row(name); ok {
		pieter.fatalf("mijn werkvoorraad still lists %s after the decision", name)
	}
	pieter.visitOK(clientPath)
	pieter.contains("section[aria-labelledby=aanvraag]", "Toekenning op "+h.today())

	// 6. Team Ondersteuning assigns the client to KM Werk wouter.
	tessa.openTaskFromWorklist("/werkvoorraad", name, stVerdelen)
	tessa.selectOption("klantmanager", "Wouter Smit")
	tessa.completeStep(stVerdelen)

	// 7. KM Werk wouter invites for the introduction and starts guidance.
	wouter := h.login("wouter")
	wouter.openTaskFromWorklist("/werkvoorraad/mijn", name, stUitnodigen)
	wouter.contains("main", "Uitnodiging binnen 7 dagen na de toewijzing", "uiterlijk "+casework.FormatDate(process.AddDays(process.Date(h.env.Clock.Now()), 7)))
	kennisDay := h.workday(2)
	wouter.fill("datum", casework.FormatDate(kennisDay))
	wouter.fill("tijd", "14:00")
	wouter.selectOption("duur", "60 minuten")
	wouter.selectOption("spreekkamer", "Spreekkamer 2")
	wouter.completeStep(stUitnodigen)
	wouter.onNextTask(stStart)

	h.advanceTo(kennisDay, 16)
	wouter.openTaskFromWorklist("/werkvoorraad/mijn", name, stStart)
	wouter.choose("plan_gelezen", "")
	wouter.choose("kennismaking_gevoerd", "")
	wouter.choose("trajecten", "Hallo Werk: Matching op vacatures")
	wouter.fill("dossier_aanvulling", "Kennismaking verlopen; klant aangemeld voor Hallo Werk uit het plan.")
	followUp := h.workday(5)
	wouter.fill("vervolg_datum", casework.FormatDate(followUp))
	wouter.fill("vervolg_tijd", "09:30")
	wouter.selectOption("vervolg_spreekkamer", "Spreekkamer 3")
	wouter.completeStep(stStart)
	wouter.onWorklist("/werkvoorraad/mijn")

	// 8. The team lead reads the client page.
	thomas := h.login("thomas")
	thomas.visitOK(clientPath)
	thomas.contains(".wd-case-header", name, "geen open taken", "Wouter Smit")
	// The order the route takes: the work diagnosis and the assessment run in parallel after the registration.
	route := []string{stIntakeGesprek, stDoelgroep, stAanmelding, stVerwerking, stRapportage, stIntakeWD, stBesluit, stVerdelen, stUitnodigen, stStart}
	steps := thomas.texts("ol.wd-steps > li")
	if len(steps) != len(route) {
		thomas.fatalf("the diagram shows %d steps, want the %d of this route: %q", len(steps), len(route), steps)
	}
	if n := thomas.count("ol.wd-steps > li.wd-step--done"); n != len(route) {
		t.Errorf("the diagram marks %d of %d steps done: %q", n, len(route), steps)
	}
	for i, title := range route {
		if !strings.Contains(steps[i], title) || !strings.Contains(steps[i], "(afgerond)") {
			t.Errorf("diagram step %d is %q, want %q marked (afgerond)", i+1, steps[i], title)
		}
	}
	history := thomas.text("section[aria-labelledby=historie]")
	for _, title := range route {
		if !strings.Contains(history, fmt.Sprintf("Stap %q afgerond", title)) {
			t.Errorf("the history does not show step %q as done", title)
		}
	}
	for _, who := range []string{"Pieter Bakker", "Tessa Jansen", "Koen Visser", "Wouter Smit", "Taak \"" + stIntakeGesprek + "\" opgepakt"} {
		if !strings.Contains(history, who) {
			t.Errorf("the history does not mention %q", who)
		}
	}
	kinds, berichten := thomas.messageKinds()
	if kinds["E-mail TOP"] != 2 || kinds["Uitnodiging klant"] != 3 {
		t.Errorf("berichten: want 2× E-mail TOP (aanmelding, toekenning) and 3× Uitnodiging klant (intake, kennismaking, vervolg); got %v in %q", kinds, berichten)
	}
	thomas.contains("section[aria-labelledby=participatie]", "Begeleiding naar werk",
		"Hallo Werk: aangemeld (aangemeld "+h.today()+"), voor traject Matching op vacatures in de logistiek", "Educenter: aangemeld",
		"Matching op vacatures in de logistiek (Hallo Werk) – lopend", "Aanmelding bij de aanbieder: aangemeld (sinds "+h.today()+")")
	thomas.contains("section[aria-labelledby=afspraken]", "Spreekkamer 1", "Spreekkamer 2", "Spreekkamer 3", "Koen Visser", "Wouter Smit")

	// The BSN: masked in the header, the full number only after asking.
	masked := casework.MaskBSN(p.BSN)
	thomas.contains(".wd-case-header", masked)
	thomas.noBSN()
	if !strings.Contains(eval[string](thomas, `document.documentElement.outerHTML`), casework.MaskBSN(p.BSN)) ||
		strings.Contains(eval[string](thomas, `document.documentElement.outerHTML`), p.BSN) {
		t.Errorf("the case page sends the full BSN before it is asked for")
	}
	thomas.submit("Toon BSN")
	thomas.contains(".wd-case-header", p.BSN)
	thomas.contains("section[aria-labelledby=historie]", "BSN ingezien")
}

// TestRoute2GeenToekenning fast-forwards to the decision with the walker,
// then refuses the benefit in the browser; the KM Werkdiagnose closes the
// guidance after the intake and lets the Baanbrekend trajectory run on.
func TestRoute2GeenToekenning(t *testing.T) {
	h := newHarness(t)
	app := h.env.Apply(t)
	besluit := h.env.WalkChoice(t, app, demo.Choice{Hold: map[process.StepKey]bool{process.StepIntakeWerkdiagnose: true}}, process.StepBesluit)
	f := h.env.File(t, app.ClientID)
	name := f.Client.Name()
	var intake casework.TaskView
	for _, tv := range f.OpenTasks() {
		if tv.Step == process.StepIntakeWerkdiagnose {
			intake = tv
		}
	}
	if intake.ID == 0 || besluit.HolderID == 0 || intake.HolderID == 0 {
		t.Fatalf("walker: want an open, held intake and decision; intake %+v, decision holder %d", intake.Task, besluit.HolderID)
	}
	clientPath := fmt.Sprintf("/klanten/%d", app.ClientID)

	// The decision "Geen toekenning" needs a reason.
	poort := h.login(h.usernameOf(besluit.HolderID))
	poort.openTaskFromWorklist("/werkvoorraad/mijn", name, stBesluit)
	poort.choose("besluit", "Geen toekenning")
	poort.fill("besluit_datum", h.today())
	if st := poort.submit("Stap afronden"); st != 422 {
		poort.fatalf("decision without reason: status %d, want 422", st)
	}
	poort.contains("#foutmeldingen", "Vul de motivering van het besluit in.")
	poort.contains("#f-reden-fout", "Vul de motivering van het besluit in.")
	if !eval[bool](poort, `document.getElementById('f-besluit-2').checked`) {
		poort.fatalf("the chosen decision was not kept after the error")
	}
	poort.fill("reden", "Het inkomen van de partner ligt boven de bijstandsnorm.")
	poort.refuseWithLetter(name, "Het inkomen van de partner ligt boven de bijstandsnorm.")
	poort.onWorklist("/werkvoorraad/mijn")
	kmName := h.env.UserByID(t, intake.HolderID).Name
	poort.contains("main > .utrecht-alert", `"`+stAfsluitenZonderIntake+`" voor `+kmName)
	poort.visitOK(clientPath)
	poort.contains("section[aria-labelledby=aanvraag]", "Geen toekenning op "+h.today(), "Het inkomen van de partner ligt boven de bijstandsnorm.")

	// The KM Werkdiagnose gets the follow-up only after the intake; until
	// it is held, she may close without it.
	km := h.login(h.usernameOf(intake.HolderID))
	km.visitOK("/werkvoorraad/mijn")
	if _, ok := km.row(name, stNUG); ok {
		km.fatalf("%q is on the worklist before the intake is done", stNUG)
	}
	if _, ok := km.row(name, stAfsluitenZonderIntake); !ok {
		km.fatalf("%q is not on the worklist after a refusal before the intake", stAfsluitenZonderIntake)
	}
	km.openTaskFromWorklist("/werkvoorraad/mijn", name, stIntakeWD)
	km.follow("Plan van aanpak")
	km.writePlan(h)
	km.addBaanbrekend()
	km.follow("Naar taak: " + stIntakeWD)
	km.choose("gesprek_gevoerd", "")
	km.choose("plan_meegegeven", "")
	km.completeStep(stIntakeWD)
	// The intake held, the choice to close without it lapses, and the
	// follow-up of the refusal is hers at once.
	km.onNextTask(stNUG)
	km.visitOK("/werkvoorraad/mijn")
	if _, ok := km.row(name, stAfsluitenZonderIntake); ok {
		km.fatalf("%q is still on the worklist after the intake was held", stAfsluitenZonderIntake)
	}
	km.openTaskFromWorklist("/werkvoorraad/mijn", name, stNUG)
	km.choose("keuze", "Begeleiding afsluiten")
	km.choose("afmaken", "Baanbrekend: Werkervaringsplaats Baanbrekend")
	km.fill("toelichting", "Besproken met de klant; de werkervaringsplaats bij Baanbrekend wordt afgemaakt.")
	km.completeStep(stNUG)
	km.onWorklist("/werkvoorraad/mijn")

	km.visitOK(clientPath)
	part := km.text("section[aria-labelledby=participatie]")
	for _, want := range []string{"Afgesloten", "Werkervaringsplaats Baanbrekend (Baanbrekend) – lopend", "(mag worden afgemaakt)"} {
		if !strings.Contains(part, want) {
			t.Errorf("participatie section does not show %q:\n%s", want, part)
		}
	}
	for _, change := range []string{"Plan bewerken", "Traject toevoegen aan het plan", "Aanmelding zonder traject toevoegen", "Dossier afsluiten"} {
		if strings.Contains(part, change) {
			t.Errorf("a closed participation dossier still offers %q:\n%s", change, part)
		}
	}
	if n := km.count(`section[aria-labelledby=participatie] form[action$="/aanmelden"]`); n != 0 {
		t.Errorf("a closed participation dossier still offers %d button(s) to register a trajectory with its provider", n)
	}
	km.contains(".wd-case-header", "geen open taken")
	steps := km.texts("ol.wd-steps > li")
	if n := km.count("ol.wd-steps > li.wd-step--done"); n != len(steps) {
		t.Errorf("the diagram marks %d of %d steps done: %q", n, len(steps), steps)
	}
	if !strings.Contains(strings.Join(steps, "|"), stNUG) || strings.Contains(strings.Join(steps, "|"), stVerdelen) {
		t.Errorf("the diagram of a refusal should end in %q and not show %q: %q", stNUG, stVerdelen, steps)
	}
	km.contains("section[aria-labelledby=historie]", fmt.Sprintf("Stap %q afgerond: Begeleiding afsluiten", stNUG))
	km.contains("section[aria-labelledby=berichten]", "E-mail KM")

	// The running trajectory can still be finished: its form page works.
	action := eval[string](km, `(() => { const f = document.querySelector('form[action*="/trajecten/"][action$="/afronden"]'); return f ? f.getAttribute('action') : ''; })()`)
	if action == "" {
		km.fatalf("no form to finish the running trajectory on the closed dossier")
	}
	km.visitOK(query(action, "klant", fmt.Sprint(app.ClientID)))
	km.contains("h1", "Traject afronden")
}

// TestBadInput types invalid and hostile input in the desk application and
// the suspension form: the errors are in words, at the field and in the
// summary, what was typed stays, and markup stays text.
func TestBadInput(t *testing.T) {
	h := newHarness(t)
	p := h.env.Person()
	const bsnMsg = "Vul een geldig BSN in: 9 cijfers die voldoen aan de elfproef."
	const hostile = `<script>window.__xss=1</script><img src=x onerror="window.__xss=2">`

	sanne := h.login("sanne")
	sanne.visitOK("/aanvragen/nieuw")
	sanne.contains("h1", "Nieuwe aanvraag (fysiek)")
	sanne.fill("bsn", "123456789")
	sanne.fill("voornamen", p.GivenName)
	sanne.fill("achternaam", p.FamilyName)
	sanne.fill("geboortedatum", casework.FormatDate(p.BirthDate))
	sanne.fill("email", p.Email)
	sanne.fill("telefoon", p.Phone)
	sanne.fill("adres", hostile)
	if st := sanne.submit("Aanvraag invoeren"); st != 422 {
		sanne.fatalf("invalid BSN: status %d, want 422", st)
	}
	sanne.contains("#foutmeldingen", "Controleer het formulier", bsnMsg)
	sanne.contains("#f-bsn-fout", bsnMsg)
	if got := eval[string](sanne, `document.getElementById('f-bsn').getAttribute('aria-describedby') || ''`); !strings.Contains(got, "f-bsn-fout") {
		t.Errorf("the BSN field is not described by its error message (aria-describedby=%q)", got)
	}
	if got := eval[string](sanne, `document.getElementById('f-bsn').getAttribute('aria-invalid') || ''`); got != "true" {
		t.Errorf("the BSN field has aria-invalid=%q, want true", got)
	}
	for id, want := range map[string]string{"f-bsn": "123456789", "f-voornamen": p.GivenName, "f-achternaam": p.FamilyName,
		"f-geboortedatum": casework.FormatDate(p.BirthDate), "f-email": p.Email, "f-telefoon": p.Phone, "f-adres": hostile} {
		if got := sanne.value(id); got != want {
			t.Errorf("after the error #%s holds %q, want what was typed: %q", id, got, want)
		}
	}
	sanne.noScriptRan()

	// Focus: the summary takes focus on load; its link moves focus to the field.
	if got := sanne.focused(); !strings.HasPrefix(got, "div#foutmeldingen") {
		t.Errorf("after a refused submit the focus is on %s, want the error summary div#foutmeldingen", got)
		sanne.do("focus the summary", focusCSS("#foutmeldingen"))
	}
	sanne.tab()
	if got := sanne.focused(); !strings.HasPrefix(got, `a "Vul een geldig BSN in`) {
		sanne.fatalf("Tab from the error summary focuses %s, want its link to the BSN field", got)
	}
	eval[bool](sanne, `window.__e2eSameDocument = true`)
	sanne.press(enterKey)
	waitFor(sanne, `document.activeElement && document.activeElement.id === 'f-bsn'`)
	time.Sleep(200 * time.Millisecond) // a reload or resubmit would show now
	if !eval[bool](sanne, `window.__e2eSameDocument === true`) {
		t.Errorf("Enter on the error summary link loaded another page (%s) instead of moving focus", sanne.path())
	}
	if got := sanne.focused(); !strings.HasPrefix(got, "input#f-bsn") {
		t.Errorf("the error summary link moves focus to %s, want input#f-bsn", got)
	}

	// Correct the BSN: the application is entered.
	sanne.fill("bsn", p.BSN)
	if st := sanne.submit("Aanvraag invoeren"); st != 200 || !strings.HasPrefix(sanne.path(), "/klanten/") {
		sanne.fatalf("corrected application: status %d at %s", st, sanne.path())
	}
	clientID := sanne.idFromPath("/klanten/")
	sanne.contains("main", "Aanvraag ingevoerd")
	sanne.contains(".wd-case-header", casework.MaskBSN(p.BSN))
	sanne.noScriptRan()
	if got := eval[string](sanne, `(document.querySelector('section[aria-labelledby=aanvraag]')||document.body).innerText`); strings.Contains(got, "undefined") {
		t.Errorf("the application section shows 'undefined': %s", got)
	}

	// A textarea: a hostile reason and an impossible date on the suspension form.
	sanne.follow("Opschorting met instemming van de aanvrager vastleggen")
	sanne.contains("h1", "Opschorting met instemming van de aanvrager")
	sanne.fill("start", "31-02-2027")
	reason := hostile + "\nVerzoek om aanvulling met termijn tot 15-03-2027."
	sanne.fill("reden", reason)
	if st := sanne.submit("Opschorting vastleggen"); st != 422 {
		sanne.fatalf("impossible date: status %d, want 422", st)
	}
	sanne.contains("#f-start-fout", "Vul een bestaande datum in als dd-mm-jjjj")
	if got := sanne.value("f-reden"); got != reason {
		t.Errorf("the textarea holds %q after the error, want the typed text %q", got, reason)
	}
	if n := sanne.count("main script, main img"); n != 0 {
		t.Errorf("the typed markup became %d element(s) on the page", n)
	}
	sanne.noScriptRan()
	sanne.fill("start", h.today())
	sanne.fill("instemming_tot", casework.FormatDate(h.workday(10)))
	if st := sanne.submit("Opschorting vastleggen"); st != 200 {
		sanne.fatalf("suspension: status %d", st)
	}
	sanne.contains("section[aria-labelledby=aanvraag]", "<script>window.__xss=1</script>", "loopt nog")
	if n := sanne.count("main script, main img"); n != 0 {
		t.Errorf("the stored reason became %d element(s) on the client page", n)
	}
	sanne.noScriptRan()

	// The public form: an empty submit names every required field, on the
	// field and in the summary; a second application for the same person
	// gets the same answer as a first (the form reveals nothing).
	klant := h.anonymous()
	klant.visitOK("/aanvraag")
	if st := klant.submit("Aanvraag versturen"); st != 422 {
		klant.fatalf("empty public form: status %d, want 422", st)
	}
	required := []string{"bsn", "voornamen", "achternaam", "geboortedatum", "email", "telefoon"}
	if n := klant.count("#foutmeldingen li a"); n != len(required) {
		t.Errorf("the public form's error summary has %d links, want one per required field (%d): %s", n, len(required), klant.text("#foutmeldingen"))
	}
	for _, f := range required {
		if eval[string](klant, fmt.Sprintf(`document.getElementById('f-%s').getAttribute('aria-invalid') || ''`, f)) != "true" ||
			klant.text("#f-"+f+"-fout") == "" {
			t.Errorf("public form: field %s is not marked invalid with a message", f)
		}
	}
	if got := klant.focused(); !strings.HasPrefix(got, "div#foutmeldingen") {
		t.Errorf("public form: after a refused submit the focus is on %s, want the error summary", got)
	}
	again := h.env.Person()
	for i := range 2 {
		klant.visitOK("/aanvraag")
		klant.fill("bsn", again.BSN)
		klant.fill("voornamen", again.GivenName)
		klant.fill("achternaam", again.FamilyName)
		klant.fill("geboortedatum", casework.FormatDate(again.BirthDate))
		klant.fill("email", again.Email)
		klant.fill("telefoon", again.Phone)
		if st := klant.submit("Aanvraag versturen"); st != 200 || klant.path() != "/aanvraag/ontvangen" {
			t.Errorf("public application %d for the same person: status %d at %s, want the same thanks page", i+1, st, klant.path())
		}
	}

	// The end-suspension form page, with an invalid date.
	action := eval[string](sanne, `(() => { const f = document.querySelector('form[action$="/beeindigen"]'); return f ? f.getAttribute('action') : ''; })()`)
	if action == "" {
		sanne.fatalf("no form to end the running suspension")
	}
	sanne.visitOK(query(action, "klant", fmt.Sprint(clientID)))
	sanne.contains("h1", "Opschorting beëindigen")
	sanne.fill("eind", "99-99-9999")
	if st := sanne.submit("Opschorting beëindigen"); st != 422 {
		sanne.fatalf("end suspension with a bad date: status %d, want 422", st)
	}
	sanne.contains("#foutmeldingen", "Vul een bestaande datum in")
}

// TestKeyboardSkipLink: on the worklist, the first Tab reaches the skip
// link, which is visible when focused and moves focus to main.
func TestKeyboardSkipLink(t *testing.T) {
	h := newHarness(t)
	h.env.Apply(t)
	pieter := h.login("pieter")
	for _, path := range []string{"/werkvoorraad", "/werkvoorraad/mijn"} {
		pieter.visitOK(path)
		pieter.tab()
		if got := pieter.focused(); !strings.HasPrefix(got, `a.wd-skip-link "Direct naar de inhoud"`) {
			t.Fatalf("%s: the first Tab focuses %s, want the skip link", path, got)
		}
		visible := eval[bool](pieter, `(() => { const r = document.activeElement.getBoundingClientRect();
		  return r.width > 1 && r.height > 1 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight; })()`)
		if !visible {
			t.Errorf("%s: the focused skip link is not visible (WCAG 2.4.7)", path)
		}
		pieter.press(enterKey)
		waitFor(pieter, `document.activeElement && document.activeElement.id === 'main'`)
		if got := pieter.focused(); !strings.HasPrefix(got, "main#main") {
			t.Fatalf("%s: the skip link moves focus to %s, want main#main", path, got)
		}
		pieter.tab()
		if inMain := eval[bool](pieter, `document.getElementById('main').contains(document.activeElement)`); !inMain {
			t.Errorf("%s: Tab after the skip link leaves main: %s", path, pieter.focused())
		}
	}
	// Picking a task up with the keyboard only.
	pieter.visitOK("/werkvoorraad")
	pieter.do("focus Oppakken", focusCSS(`tbody button[type=submit]`))
	if st := pieter.pressAndLoad(enterKey); st != 200 {
		t.Fatalf("Oppakken with Enter: status %d", st)
	}
	pieter.contains("main", "Taak opgepakt.")
}

// TestKeyboardMoveAppointment moves an appointment with the keyboard only:
// Enter on the case page's link, Tab to the time (its text selected),
// type, Tab to the button, Enter.
func TestKeyboardMoveAppointment(t *testing.T) {
	h := newHarness(t)
	app := h.env.Apply(t)
	intake := h.env.WalkTo(t, app, "", process.StepIntakeWerkdiagnose)
	var km casework.User
	for _, u := range h.env.All {
		if u.ID == intake.HolderID {
			km = u
		}
	}
	day := casework.FormatDate(h.workday(1))
	slot := casework.Values{"datum": {day}, "tijd": {"10:00"}, "duur": {"30"}, "spreekkamer": {"sk1"}}
	if err := h.env.Svc.PlanFollowUp(t.Context(), casework.Actor{User: km}, intake.CaseID, slot); err != nil {
		t.Fatalf("plan follow-up: %v", err)
	}
	u := h.login(km.Username)
	u.visitOK(fmt.Sprintf("/klanten/%d", app.ClientID))
	if !u.mark(`a[href*="/verplaatsen"]`, "Verplaatsen", "tbody tr", "Vervolgafspraak") {
		u.fatalf("no Verplaatsen link in the row of the follow-up appointment")
	}
	u.do("focus Verplaatsen", focusCSS(`[data-e2e="1"]`))
	if st := u.pressAndLoad(enterKey); st != 200 {
		t.Fatalf("Verplaatsen with Enter: status %d", st)
	}
	u.contains("h1", "Afspraak verplaatsen")
	tabTo := func(prefix string) {
		t.Helper()
		for range 80 {
			if strings.HasPrefix(u.focused(), prefix) {
				return
			}
			u.tab()
		}
		u.fatalf("Tab never reaches %s; focus is on %s", prefix, u.focused())
	}
	tabTo("input#f-tijd")
	if sel := eval[string](u, `(() => { const e = document.activeElement; return e.value.substring(e.selectionStart, e.selectionEnd); })()`); sel != "10:00" {
		t.Errorf("Tab into the time field selects %q, want its whole value", sel)
	}
	u.press(chromedp.KeyEvent("11:30"))
	if v := u.value("f-tijd"); v != "11:30" {
		t.Fatalf("typed time = %q", v)
	}
	tabTo(`button.utrecht-button.utrecht-button--primary-action "Afspraak verplaatsen"`)
	if st := u.pressAndLoad(enterKey); st != 200 {
		t.Fatalf("Afspraak verplaatsen with Enter: status %d", st)
	}
	u.contains("main", "Afspraak verplaatst naar "+day+" 11:30 uur")
	if _, ok := u.row("Vervolgafspraak", day+" 11:30"); !ok {
		t.Errorf("the case page does not list the moved appointment")
	}
}
