package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Step titles of the decision-first route (Arbeidsbeperkt, In verblijvende
// inrichting), as the pages show them.
const stVerwerkingTeam = "Verwerking aanmelding participatie (na besluit)"

// Mailboxes of the default policy the hand-over mails go to.
const (
	mailboxAG     = "ag@bar-organisatie.nl"
	mailboxKMWerk = "km.werk@bar-organisatie.nl"
)

// messageKinds counts the berichten rows of the case page by their kind
// (first line of the first column; a second line notes an invitation) and
// returns the rows as well.
func (u *user) messageKinds() (map[string]int, []string) {
	u.h.t.Helper()
	rows := u.texts("section[aria-labelledby=berichten] tbody tr")
	kinds := map[string]int{}
	for _, r := range rows {
		cell := strings.SplitN(r, "\t", 2)[0]
		kinds[strings.TrimSpace(strings.SplitN(cell, "\n", 2)[0])]++
	}
	return kinds, rows
}

// pickUp picks the client's task up from the team worklist and checks that
// the row then names the user as holder.
func (u *user) pickUp(client, title, holder string) {
	u.h.t.Helper()
	u.visitOK("/werkvoorraad")
	u.noBSN()
	row, ok := u.row(client, title)
	if !ok || !strings.Contains(row, "niemand") {
		u.fatalf("team worklist: want an unheld %q row for %s; got %q", title, client, row)
	}
	u.submitIn("tbody tr", client, "Oppakken")
	u.contains("main", "Taak opgepakt.")
	if row, _ := u.row(client, title); !strings.Contains(row, holder) {
		u.fatalf("after Oppakken the row shows %q, want holder %s", row, holder)
	}
}

// TestRoute3aRoute4ArbeidsbeperktFysiek walks route 3a (Arbeidsbeperkt:
// the decision comes first, then the registration goes to team AG by
// "E-mail AG") on a physical application entered at the desk by the
// Ondersteuner Poortwachter (route 4). Every step is done in the browser by
// the user whose work it is.
func TestRoute3aRoute4ArbeidsbeperktFysiek(t *testing.T) {
	h := newHarness(t)
	p := h.env.Person()
	name := p.GivenName + " " + p.FamilyName
	today := process.Date(h.env.Clock.Now())
	applied := process.AddDays(today, -3)  // received at the desk last Friday
	reported := process.AddDays(today, -5) // the client reported on Wednesday

	// 1. Route 4: Ondersteuner Poortwachter sanne enters the desk application.
	sanne := h.login("sanne")
	sanne.visitOK("/aanvragen/nieuw")
	sanne.contains("h1", "Nieuwe aanvraag (fysiek)")
	sanne.contains("main", "0/L2")
	sanne.fill("bsn", p.BSN)
	sanne.fill("voornamen", p.GivenName)
	sanne.fill("achternaam", p.FamilyName)
	sanne.fill("geboortedatum", casework.FormatDate(p.BirthDate))
	sanne.fill("email", p.Email)
	sanne.fill("telefoon", p.Phone)
	sanne.fill("adres", p.Address)
	sanne.fillLabel("Datum ontvangst aanvraag", casework.FormatDate(applied))
	sanne.fillLabel("Datum melding", casework.FormatDate(reported))
	if st := sanne.submit("Aanvraag invoeren"); st != 200 || !strings.HasPrefix(sanne.path(), "/klanten/") {
		sanne.fatalf("desk application: status %d at %s", st, sanne.path())
	}
	clientID := sanne.idFromPath("/klanten/")
	clientPath := fmt.Sprintf("/klanten/%d", clientID)
	sanne.contains("main", "Aanvraag ingevoerd")
	sanne.noBSN(p.BSN)
	sanne.contains(".wd-case-header", name, stIntakeGesprek, "nog niet opgepakt")
	sanne.contains("section[aria-labelledby=aanvraag]", "Fysieke aanvraag",
		casework.FormatDate(applied), casework.FormatDate(reported))
	// The decision term (8 weeks) runs from the receipt, not from today.
	sanne.contains("section[aria-labelledby=aanvraag]",
		casework.FormatDate(process.AddDays(applied, h.env.Svc.Definition().Policy.DecisionTermDays)))

	// 2. Poortwachter pieter: intake call, target group, report, decision.
	pieter := h.login("pieter")
	pieter.pickUp(name, stIntakeGesprek, "Pieter Bakker")
	pieter.openTaskFromWorklist("/werkvoorraad/mijn", name, stIntakeGesprek)
	pieter.fill("gesprek_datum", h.today())
	pieter.fillLabel("Uitvraag rechtmatigheid", "Geen inkomen, geen vermogen boven de grens, alleenstaand, huurwoning.")
	pieter.fillLabel("Uitvraag doelmatigheid", "Klant heeft een arbeidsbeperking (Wajong-indicatie vervallen); wil begeleid werken.")
	pieter.completeStep(stIntakeGesprek)
	pieter.onNextTask(stDoelgroep)
	if got := pieter.clientLink(); got != clientPath {
		pieter.fatalf("the intake led to client %s, want %s", got, clientPath)
	}

	pieter.choose("doelgroep", "Arbeidsbeperkt")
	pieter.fill("toelichting", "Arbeidsbeperking vastgesteld; geen werkdiagnose vooraf.")
	pieter.completeStep(stDoelgroep)
	// Decision-first: the next step is the report, not the registration.
	pieter.onNextTask(stRapportage)
	pieter.visitOK(clientPath)
	pieter.contains("section[aria-labelledby=aanvraag]", "Arbeidsbeperkt")
	pieter.contains(".wd-case-header", stRapportage)
	if strings.Contains(pieter.text(".wd-case-header"), stAanmelding) {
		pieter.fatalf("after Arbeidsbeperkt the registration is open before the decision: %s", pieter.text(".wd-case-header"))
	}

	pieter.openNext(stRapportage)
	pieter.fill("rapportage", "Aanvraag volledig; recht op bijstand vastgesteld op basis van de uitvraag.")
	pieter.completeStep(stRapportage)

	pieter.onNextTask(stBesluit)
	pieter.choose("besluit", "Toekenning")
	pieter.fill("besluit_datum", h.today())
	pieter.fill("ingangsdatum", casework.FormatDate(reported))
	pieter.completeStep(stBesluit)
	pieter.onNextTask(stAanmelding)
	pieter.visitOK(clientPath)
	pieter.contains("section[aria-labelledby=aanvraag]", "Toekenning op "+h.today())

	pieter.openNext(stAanmelding)
	pieter.fill("toelichting", "Klant heeft een arbeidsbeperking; graag begeleiding door team AG.")
	pieter.completeStep(stAanmelding)
	pieter.onWorklist("/werkvoorraad/mijn") // opened from the client page
	pieter.visitOK(clientPath)
	pieter.contains(".wd-case-header", stVerwerkingTeam, "nog niet opgepakt")

	// 3. AG anouk finds the registration on her team worklist, picks it up
	// and makes herself the klantmanager.
	anouk := h.login("anouk")
	anouk.pickUp(name, stVerwerkingTeam, "Anouk Vermeulen")
	anouk.openTaskFromWorklist("/werkvoorraad/mijn", name, stVerwerkingTeam)
	anouk.contains("main", "Team AG")
	anouk.selectOption("klantmanager", "Anouk Vermeulen")
	anouk.fill("toelichting", "Ik neem de klant zelf in begeleiding.")
	anouk.completeStep(stVerwerkingTeam)
	anouk.onNextTask(stUitnodigen)
	anouk.contains("main > .utrecht-alert", `"`+stUitnodigen+`" voor u`)
	anouk.visitOK(clientPath)
	anouk.contains("section[aria-labelledby=participatie]", "17/PA", "Anouk Vermeulen")

	// 4. anouk invites the client for the introduction.
	anouk.openNext(stUitnodigen)
	kennisDay := h.workday(2)
	anouk.fill("datum", casework.FormatDate(kennisDay))
	anouk.fill("tijd", "10:30")
	anouk.selectOption("duur", "60 minuten")
	anouk.selectOption("spreekkamer", "Spreekkamer 2")
	anouk.completeStep(stUitnodigen)
	anouk.onNextTask(stStart)
	anouk.visitOK(clientPath)
	anouk.contains("section[aria-labelledby=afspraken]", "Spreekkamer 2", "Anouk Vermeulen")

	// 5. On the day: start guidance refuses without a plan van aanpak (no
	// work diagnosis on this route); anouk writes the plan, then starts.
	h.advanceTo(kennisDay, 12)
	anouk.openTaskFromWorklist("/werkvoorraad/mijn", name, stStart)
	// Without a plan by a colleague there is nothing to confirm reading.
	if n := anouk.count(`input[name="plan_gelezen"]`); n != 0 {
		anouk.fatalf("the start of guidance asks to confirm reading a plan that does not exist")
	}
	anouk.choose("kennismaking_gevoerd", "")
	anouk.fill("dossier_aanvulling", "Kennismaking verlopen; plan van aanpak samen opgesteld.")
	followUp := h.workday(5)
	anouk.fill("vervolg_datum", casework.FormatDate(followUp))
	anouk.fill("vervolg_tijd", "09:30")
	anouk.selectOption("vervolg_spreekkamer", "Spreekkamer 3")
	const noPlan = "Er is nog geen plan van aanpak. Stel het plan op met de klant (onderdeel Participatie op de klantpagina) en rond daarna deze stap af."
	if st := anouk.submit("Stap afronden"); st != 422 {
		anouk.fatalf("start guidance without a plan: status %d, want 422", st)
	}
	anouk.contains("main", noPlan)
	anouk.contains("#foutmeldingen", "Er is nog geen plan van aanpak")
	if got := anouk.value("f-dossier_aanvulling"); got != "Kennismaking verlopen; plan van aanpak samen opgesteld." {
		t.Errorf("after the refusal the dossier text holds %q, want what was typed", got)
	}

	anouk.follow("Plan van aanpak")
	anouk.writePlan(h)
	anouk.openNext(stStart)
	if n := anouk.count(`input[name="plan_gelezen"]`); n != 0 {
		anouk.fatalf("the start of guidance asks anouk to confirm reading the plan she wrote herself")
	}
	anouk.choose("kennismaking_gevoerd", "")
	anouk.choose("trajecten", "Hallo Werk: Matching op vacatures")
	anouk.fill("dossier_aanvulling", "Kennismaking verlopen; plan van aanpak samen opgesteld en getekend.")
	anouk.fill("vervolg_datum", casework.FormatDate(followUp))
	anouk.fill("vervolg_tijd", "09:30")
	anouk.selectOption("vervolg_spreekkamer", "Spreekkamer 3")
	anouk.completeStep(stStart)
	anouk.onWorklist("/werkvoorraad/mijn")

	// 6. Team lead thomas reads the case page.
	thomas := h.login("thomas")
	thomas.visitOK(clientPath)
	thomas.contains(".wd-case-header", name, "geen open taken", "Anouk Vermeulen")
	route := []string{stIntakeGesprek, stDoelgroep, stRapportage, stBesluit, stAanmelding, stVerwerkingTeam, stUitnodigen, stStart}
	steps := thomas.texts("ol.wd-steps > li")
	if strings.Contains(strings.Join(steps, "|"), stIntakeWD) {
		t.Errorf("the diagram of the Arbeidsbeperkt route shows %q: %q", stIntakeWD, steps)
	}
	for _, title := range route {
		found := false
		for _, s := range steps {
			found = found || (strings.Contains(s, title) && strings.Contains(s, "(afgerond)"))
		}
		if !found {
			t.Errorf("the diagram does not show %q as done: %q", title, steps)
		}
	}
	taken := thomas.text("section[aria-labelledby=taken]")
	if strings.Contains(taken, stIntakeWD) || strings.Contains(taken, stVerwerking+"\t") {
		t.Errorf("the task list shows a work-diagnosis step on the Arbeidsbeperkt route:\n%s", taken)
	}
	history := thomas.text("section[aria-labelledby=historie]")
	if strings.Contains(history, stIntakeWD) {
		t.Errorf("the history mentions %q on the Arbeidsbeperkt route", stIntakeWD)
	}
	for _, title := range route {
		if !strings.Contains(history, fmt.Sprintf("Stap %q afgerond", title)) {
			t.Errorf("the history does not show step %q as done", title)
		}
	}
	for _, who := range []string{"Sanne de Wit", "Pieter Bakker", "Anouk Vermeulen"} {
		if !strings.Contains(history, who) {
			t.Errorf("the history does not mention %q", who)
		}
	}

	thomas.contains("section[aria-labelledby=aanvraag]", "Fysieke aanvraag", "Arbeidsbeperkt", "Toekenning op")
	part := thomas.text("section[aria-labelledby=participatie]")
	for _, want := range []string{"17/PA", "Begeleiding naar werk", "Anouk Vermeulen", "Getekend door de klant op",
		"Matching op vacatures in de logistiek (Hallo Werk) – lopend"} {
		if !strings.Contains(part, want) {
			t.Errorf("participatie section does not show %q:\n%s", want, part)
		}
	}
	if owner := eval[string](thomas, `(() => { for (const d of document.querySelectorAll('section[aria-labelledby=participatie] dl div')) {
	  if (d.querySelector('dt') && d.querySelector('dt').innerText.trim() === 'Dossierhouder') return d.querySelector('dd').innerText.trim(); } return ''; })()`); owner != "Anouk Vermeulen" {
		t.Errorf("the participation dossier is owned by %q, want Anouk Vermeulen", owner)
	}
	if status := eval[string](thomas, `(() => { for (const d of document.querySelectorAll('section[aria-labelledby=participatie] dl div')) {
	  if (d.querySelector('dt') && d.querySelector('dt').innerText.trim() === 'Status') return d.querySelector('dd').innerText.trim(); } return ''; })()`); status != "Begeleiding naar werk" {
		t.Errorf("the participation dossier has status %q, want Begeleiding naar werk", status)
	}

	kinds, rows := thomas.messageKinds()
	if kinds["E-mail AG"] != 1 || kinds["Uitnodiging klant"] < 2 {
		t.Errorf("berichten: want 1× E-mail AG and ≥2× Uitnodiging klant (kennismaking, vervolg); got %v in %q", kinds, rows)
	}
	if kinds["E-mail TOP"] != 0 || kinds["E-mail KM"] != 0 {
		t.Errorf("berichten: the Arbeidsbeperkt route sends no E-mail TOP or E-mail KM; got %v", kinds)
	}
	if r, ok := thomas.row("E-mail AG"); !ok || !strings.Contains(r, mailboxAG) {
		t.Errorf("berichten: E-mail AG goes to %q, want the AG mailbox %s", r, mailboxAG)
	}
	if r, ok := thomas.row("Uitnodiging klant"); !ok || !strings.Contains(r, p.Email) {
		t.Errorf("berichten: the invitation goes to %q, want the client's address %s", r, p.Email)
	}
	thomas.contains("section[aria-labelledby=afspraken]", "Spreekkamer 2", "Spreekkamer 3", "Anouk Vermeulen")
	thomas.noBSN()
}

// TestRoute3bInrichting fast-forwards an "In verblijvende inrichting"
// client to the registration after the decision; a KM Werk processes it from
// the KM Werk team worklist, and the outbox shows "E-mail KM" to the KM Werk
// mailbox.
func TestRoute3bInrichting(t *testing.T) {
	h := newHarness(t)
	app := h.env.Apply(t)
	task := h.env.WalkTo(t, app, "inrichting", process.StepVerwerkingTeam)
	if task.Team != process.TeamWerk || task.HolderID != 0 {
		t.Fatalf("walker: want an unheld task on team %s, got team %s holder %d", process.TeamWerk, task.Team, task.HolderID)
	}
	f := h.env.File(t, app.ClientID)
	name := f.Client.Name()
	clientPath := fmt.Sprintf("/klanten/%d", app.ClientID)

	// An AG klantmanager does not see it on her worklist, and cannot complete it.
	anouk := h.login("anouk")
	anouk.visitOK("/werkvoorraad")
	if _, ok := anouk.row(name, stVerwerkingTeam); ok {
		anouk.fatalf("the KM Werk registration is on the AG team worklist")
	}

	wouter := h.login("wouter")
	wouter.pickUp(name, stVerwerkingTeam, "Wouter Smit")
	wouter.openTaskFromWorklist("/werkvoorraad/mijn", name, stVerwerkingTeam)
	wouter.contains("main", "Klantmanagers Werk")
	wouter.selectOption("klantmanager", "Wouter Smit")
	wouter.completeStep(stVerwerkingTeam)
	wouter.onNextTask(stUitnodigen)
	wouter.visitOK(clientPath)
	wouter.contains(".wd-case-header", stUitnodigen, "Wouter Smit")
	wouter.contains("section[aria-labelledby=aanvraag]", "In verblijvende inrichting")
	wouter.contains("section[aria-labelledby=participatie]", "17/PA", "Aangemeld, wacht op kennismaking", "Wouter Smit")
	if _, ok := wouter.row(stIntakeWD); ok {
		t.Errorf("the task list of an Inrichting client shows %q", stIntakeWD)
	}
	wouter.visitOK("/werkvoorraad/mijn")
	if _, ok := wouter.row(name, stUitnodigen); !ok {
		wouter.fatalf("mijn werkvoorraad has no %q for %s after processing the registration", stUitnodigen, name)
	}

	// The outbox: the hand-over "E-mail KM" to the KM Werk mailbox.
	bram := h.login("bram")
	bram.visitOK("/uitgaand")
	r, ok := bram.row("E-mail KM")
	if !ok {
		bram.fatalf("the outbox has no E-mail KM")
	}
	if !strings.Contains(r, mailboxKMWerk) || !strings.Contains(r, stVerwerkingTeam) {
		t.Errorf("outbox: E-mail KM row is %q, want it addressed to %s about %q", r, mailboxKMWerk, stVerwerkingTeam)
	}
	if _, ok := bram.row("E-mail AG"); ok {
		t.Errorf("outbox: an Inrichting client caused an E-mail AG")
	}
	bram.noBSN()

	thomas := h.login("thomas")
	thomas.visitOK(clientPath)
	kinds, rows := thomas.messageKinds()
	if kinds["E-mail KM"] != 1 || kinds["E-mail AG"] != 0 || kinds["E-mail TOP"] != 0 {
		t.Errorf("berichten: want exactly one E-mail KM and no E-mail AG/TOP; got %v in %q", kinds, rows)
	}
}

// TestRoute3GeenToekenningNaBesluit refuses the benefit of an Arbeidsbeperkt
// client (decision-first route): nothing follows, no participation dossier.
func TestRoute3GeenToekenningNaBesluit(t *testing.T) {
	h := newHarness(t)
	app := h.env.Apply(t)
	besluit := h.env.WalkTo(t, app, "arbeidsbeperkt", process.StepBesluit)
	if besluit.HolderID == 0 {
		t.Fatalf("walker: the decision task is not held")
	}
	f := h.env.File(t, app.ClientID)
	name := f.Client.Name()
	clientPath := fmt.Sprintf("/klanten/%d", app.ClientID)

	poort := h.login(h.usernameOf(besluit.HolderID))
	poort.openTaskFromWorklist("/werkvoorraad/mijn", name, stBesluit)
	poort.choose("besluit", "Geen toekenning")
	poort.fill("besluit_datum", h.today())
	poort.fill("reden", "Het vermogen ligt boven de vermogensgrens.")
	poort.refuseWithLetter(name, "Het vermogen ligt boven de vermogensgrens.")
	// Nothing follows: back on the worklist, without a task for the client.
	poort.onWorklist("/werkvoorraad/mijn")
	if got, want := poort.flash(), "Stap afgerond: "+stBesluit+"."; got != want {
		poort.fatalf("the confirmation is %q, want %q: nothing follows a refusal on this route", got, want)
	}
	if _, ok := poort.row(name); ok {
		t.Errorf("the Poortwachter's worklist still has a task for %s", name)
	}
	poort.visitOK(clientPath)
	poort.contains(".wd-case-header", "geen open taken")
	poort.contains("section[aria-labelledby=aanvraag]", "Geen toekenning op "+h.today(),
		"Het vermogen ligt boven de vermogensgrens.", "Arbeidsbeperkt")
	if n := poort.count(`a[href^="/taken/"].utrecht-button-link`); n != 0 {
		t.Errorf("the case page offers %d task buttons after a refusal", n)
	}
	part := poort.text("section[aria-labelledby=participatie]")
	if !strings.Contains(part, "Geen participatiedossier") || !strings.Contains(part, "niet toegekend") || strings.Contains(part, "Dossierhouder") {
		t.Errorf("the participatie section after a refusal on the decision-first route:\n%s", part)
	}
	for _, title := range []string{stAanmelding, stVerwerkingTeam, stUitnodigen, stNUG} {
		if _, ok := poort.row(title); ok {
			t.Errorf("the task list shows %q after a refusal on the decision-first route", title)
		}
	}
	poort.contains("section[aria-labelledby=historie]", "Geen toekenning: er volgt geen aanmelding bij participatie.")
	kinds, rows := poort.messageKinds()
	if kinds["E-mail AG"]+kinds["E-mail KM"]+kinds["E-mail TOP"] != 0 {
		t.Errorf("berichten: a refusal on the decision-first route sends no hand-over; got %v in %q", kinds, rows)
	}
	poort.visitOK("/werkvoorraad/mijn")
	if _, ok := poort.row(name); ok {
		t.Errorf("the Poortwachter's worklist still has a task for %s", name)
	}
	anouk := h.login("anouk")
	anouk.visitOK("/werkvoorraad")
	if _, ok := anouk.row(name); ok {
		t.Errorf("the AG team worklist has a task for %s after a refusal", name)
	}
}
