package web_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// outboxRow returns the text of the outbox row of message id.
func outboxRow(p page, msgID int64) string {
	return strings.Join(strings.Fields(p.doc.Find("#bericht-"+id(msgID)).Text()), " ")
}

// TestOutboxStatesAndRetry: the outbox says each delivery state in words,
// sums up what waits or failed, and lets only a functioneel beheerder put
// a failed message back in the queue.
func TestOutboxStatesAndRetry(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) { testOutboxStatesAndRetry(t, engine) })
	}
}

func testOutboxStatesAndRetry(t *testing.T, engine string) {
	a := newAppOn(t, engine)
	env := a.env
	ctx := t.Context()
	app := env.Apply(t)
	env.WalkTo(t, app, "", process.StepIntakeWerkdiagnose)
	env.WalkTo(t, env.Apply(t), "", process.StepIntakeWerkdiagnose)
	msgs, err := env.Svc.Outbox(ctx, env.Actor(process.RoleTeamleider), casework.MessageFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var invite, others []casework.Message
	for _, m := range msgs {
		switch {
		case m.To == "":
		case m.AttachmentName != "" && len(invite) == 0:
			invite = append(invite, m)
		default:
			others = append(others, m)
		}
	}
	if len(invite) == 0 || len(others) < 3 {
		t.Fatalf("need an invitation and three other messages with an address; have %d and %d", len(invite), len(others))
	}
	plain := others
	sent, retrying, failed, waiting := plain[0], plain[1], plain[2], invite[0]
	next := env.Clock.Now().Add(20 * time.Minute)
	for _, d := range []struct {
		id int64
		at casework.Attempt
	}{
		{sent.ID, casework.Attempt{}},
		{retrying.ID, casework.Attempt{Err: errors.New("dial tcp 10.0.0.5:25: connection refused"), Next: next}},
		{failed.ID, casework.Attempt{Err: errors.New("550 mailbox unavailable"), Permanent: true}},
	} {
		if err := env.Svc.RecordDelivery(ctx, d.id, d.at); err != nil {
			t.Fatalf("record delivery %d: %v", d.id, err)
		}
	}

	// The team lead sees every state in words, the summary, no retry button.
	lead := a.loginRole(process.RoleTeamleider)
	p := lead.get("/uitgaand")
	checkPage(t, "/uitgaand", p)
	if title := p.text("title"); title != "Uitgaande berichten – Werkdiagnose" {
		t.Errorf("title = %q", title)
	}
	rows := map[int64]string{}
	for _, m := range []int64{sent.ID, retrying.ID, failed.ID, waiting.ID} {
		rows[m] = outboxRow(p, m)
	}
	wantSent := "Verzonden " + casework.FormatDateTime(env.Clock.Now())
	if !strings.Contains(rows[sent.ID], wantSent) {
		t.Errorf("sent row %q lacks %q", rows[sent.ID], wantSent)
	}
	wantRetry := "Opnieuw proberen — poging 1, volgende poging omstreeks " + next.In(process.Amsterdam).Format("15:04")
	if !strings.Contains(rows[retrying.ID], wantRetry) || !strings.Contains(rows[retrying.ID], "Laatste fout: Mailserver niet bereikbaar") {
		t.Errorf("retrying row %q lacks %q and the error", rows[retrying.ID], wantRetry)
	}
	if !strings.Contains(rows[failed.ID], "Mislukt na 1 poging") || !strings.Contains(rows[failed.ID], "Geweigerd door de mailserver: 550 mailbox unavailable") {
		t.Errorf("failed row %q", rows[failed.ID])
	}
	if !strings.Contains(rows[waiting.ID], "Wachtend") || !strings.Contains(rows[waiting.ID], "met agenda-uitnodiging") {
		t.Errorf("waiting invitation row %q", rows[waiting.ID])
	}
	alert := strings.Join(strings.Fields(p.text("#bezorging")), " ")
	for _, want := range []string{"1 bericht wacht op een nieuwe poging: de mailserver was niet bereikbaar", "1 bericht is niet verstuurd.", "Een functioneel beheerder kan het opnieuw versturen."} {
		if !strings.Contains(alert, want) {
			t.Errorf("summary %q lacks %q", alert, want)
		}
	}
	if p.has(`form[action$="/opnieuw"]`) {
		t.Errorf("a team lead sees a retry button")
	}
	expectStatus(t, lead.post("/uitgaand/"+id(failed.ID)+"/opnieuw", nil), http.StatusForbidden)

	// The filter works without JavaScript; an unknown status shows all.
	p = lead.get("/uitgaand?status=mislukt")
	if n := p.doc.Find("tbody tr[id]").Length(); n != 1 || outboxRow(p, failed.ID) == "" || p.attr("#filter-status option[selected]", "value") != "mislukt" {
		t.Errorf("filter mislukt: %d rows, caption %q", n, p.text("caption"))
	}
	if p = lead.get("/uitgaand?status=%3Cscript%3E"); p.status != http.StatusOK || p.doc.Find("tbody tr[id]").Length() != len(msgs) {
		t.Errorf("unknown status: status %d, %d rows", p.status, p.doc.Find("tbody tr[id]").Length())
	}

	// The functioneel beheerder: retry buttons on failed and retrying only.
	admin := a.loginRole(process.RoleBeheerder)
	p = admin.get("/uitgaand?status=mislukt")
	checkPage(t, "/uitgaand (beheerder)", p)
	if !strings.Contains(p.text("#bezorging"), "kies “Opnieuw versturen”") {
		t.Errorf("beheerder summary: %q", p.text("#bezorging"))
	}
	p = admin.get("/uitgaand")
	for m, want := range map[int64]bool{sent.ID: false, waiting.ID: false, retrying.ID: true, failed.ID: true} {
		if got := p.doc.Find("#bericht-"+id(m)+` form[action="/uitgaand/`+id(m)+`/opnieuw"]`).Length() == 1; got != want {
			t.Errorf("message %d: retry button %v, want %v", m, got, want)
		}
	}
	back := p.attr(`#bericht-`+id(failed.ID)+` input[name=terug]`, "value")
	loc := expectRedirect(t, admin.post("/uitgaand/"+id(failed.ID)+"/opnieuw", url.Values{"terug": {"/uitgaand?status=mislukt"}}), "/uitgaand?status=mislukt")
	if back != "/uitgaand" {
		t.Errorf("terug = %q", back)
	}
	p = admin.get(loc)
	if !strings.Contains(p.text(".utrecht-alert--ok"), "staat weer klaar om te worden verzonden") {
		t.Errorf("no notice after the retry: %q", p.text("main"))
	}
	p = admin.get("/uitgaand")
	if row := outboxRow(p, failed.ID); !strings.Contains(row, "Wachtend") || strings.Contains(row, "Opnieuw versturen") {
		t.Errorf("after the retry the row is %q, want Wachtend without a button", row)
	}
	// Again: it is already waiting (409 page); a sent message too; an unknown one 404.
	p = admin.post("/uitgaand/"+id(failed.ID)+"/opnieuw", nil)
	expectStatus(t, p, http.StatusConflict)
	if !strings.Contains(p.text("main"), "Dit bericht staat al klaar om te worden verzonden.") {
		t.Errorf("409 page: %q", p.text("main"))
	}
	expectStatus(t, admin.post("/uitgaand/"+id(sent.ID)+"/opnieuw", nil), http.StatusConflict)
	expectStatus(t, admin.post("/uitgaand/999999/opnieuw", nil), http.StatusNotFound)
	expectStatus(t, admin.post("/uitgaand/abc/opnieuw", nil), http.StatusNotFound)
	// An open redirect through terug is not followed.
	expectRedirect(t, admin.post("/uitgaand/"+id(retrying.ID)+"/opnieuw", url.Values{"terug": {"//example.org/uitgaand"}}), "/uitgaand")

	// The case page shows the states too.
	p = lead.get("/klanten/" + id(sent.ClientID))
	if txt := strings.Join(strings.Fields(p.text("#berichten + div table")), " "); !strings.Contains(txt, wantSent) || !strings.Contains(txt, "met agenda-uitnodiging") {
		t.Errorf("case page messages: %q", txt)
	}
}

// TestDailyDigestChoice: the choice on "mijn werkvoorraad" is stored and
// shown again; an administrator without a worklist may not.
func TestDailyDigestChoice(t *testing.T) {
	a := newApp(t)
	user := a.env.Users[process.RolePoortwachter]
	b := a.login(user.Username)
	p := b.get("/werkvoorraad/mijn")
	checkPage(t, "/werkvoorraad/mijn", p)
	if !p.has(`form[action="/instellingen/dagoverzicht"] input#f-dagoverzicht[type=checkbox]`) || p.has("#f-dagoverzicht[checked]") {
		t.Fatalf("no unchecked digest checkbox")
	}
	if l := p.text(`label[for="f-dagoverzicht"]`); l != "Stuur mij elke werkdag een overzicht van mijn werkvoorraad per e-mail" {
		t.Errorf("label = %q", l)
	}
	loc := expectRedirect(t, b.post("/instellingen/dagoverzicht", url.Values{"dagoverzicht": {"ja"}}), "/werkvoorraad/mijn")
	p = b.get(loc)
	if !p.has("#f-dagoverzicht[checked]") || !strings.Contains(p.text(".utrecht-alert--ok"), "elke werkdag een overzicht") {
		t.Errorf("after turning it on: checked %v, notice %q", p.has("#f-dagoverzicht[checked]"), p.text(".utrecht-alert"))
	}
	if u, err := a.env.Svc.UserByID(t.Context(), user.ID); err != nil || !u.DailyDigest {
		t.Errorf("digest not stored: %v %v", u.DailyDigest, err)
	}
	// A fresh login sees the stored choice.
	if p = a.login(user.Username).get("/werkvoorraad/mijn"); !p.has("#f-dagoverzicht[checked]") {
		t.Errorf("the choice is not shown in a new session")
	}
	expectRedirect(t, b.post("/instellingen/dagoverzicht", url.Values{}), "/werkvoorraad/mijn")
	if p = b.get("/werkvoorraad/mijn"); p.has("#f-dagoverzicht[checked]") || !strings.Contains(p.text(".utrecht-alert--ok"), "geen dagelijks overzicht") {
		t.Errorf("after turning it off: checked %v, notice %q", p.has("#f-dagoverzicht[checked]"), p.text(".utrecht-alert"))
	}
	if u, _ := a.env.Svc.UserByID(t.Context(), user.ID); u.DailyDigest {
		t.Errorf("digest still on")
	}
	// The team worklist has no digest form; the administrator is refused.
	if b.get("/werkvoorraad").has("#f-dagoverzicht") {
		t.Errorf("digest form on the team worklist")
	}
	admin := a.loginRole(process.RoleBeheerder)
	p = admin.post("/instellingen/dagoverzicht", url.Values{"dagoverzicht": {"ja"}})
	expectStatus(t, p, http.StatusForbidden)
	if !strings.Contains(p.text("main"), "Het dagoverzicht is voor medewerkers met een werkvoorraad.") {
		t.Errorf("403 page: %q", p.text("main"))
	}
}

// nextWorkday is the first weekday after now, as dd-mm-jjjj.
func nextWorkday(now time.Time) string {
	d := process.AddDays(now, 1)
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = process.AddDays(d, 1)
	}
	return casework.FormatDate(d)
}

// TestMoveAppointment moves a follow-up appointment through its form: the
// form is filled with the appointment, the old room is free afterwards,
// and a taken room, bad input or a colleague's change keeps what was typed.
func TestMoveAppointment(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) { testMoveAppointment(t, engine) })
	}
}

func testMoveAppointment(t *testing.T, engine string) {
	a := newAppOn(t, engine)
	env := a.env
	app := env.Apply(t)
	intake := env.WalkTo(t, app, "", process.StepIntakeWerkdiagnose)
	f := env.File(t, app.ClientID)
	pid, cid := id(f.Participation.ID), id(app.ClientID)
	km := a.holderLogin(intake)
	day := nextWorkday(env.Clock.Now())
	slot := url.Values{"klant": {cid}, "datum": {day}, "tijd": {"15:00"}, "duur": {"30"}, "spreekkamer": {"sk3"}}
	expectRedirect(t, km.post("/dossiers/"+pid+"/afspraken", slot), "/klanten/"+cid)

	var ap casework.Appointment
	for _, x := range env.File(t, app.ClientID).Appointments {
		if x.Kind == process.AppointmentVervolg {
			ap = x
		}
	}
	if ap.ID == 0 {
		t.Fatal("no follow-up appointment")
	}
	movePath := "/afspraken/" + id(ap.ID) + "/verplaatsen"

	// The case page links to the form, which holds the appointment.
	p := km.get("/klanten/" + cid)
	href := p.attr(`#afspraken ~ div a[href^="`+movePath+`"]`, "href")
	if href != movePath+"?klant="+cid {
		t.Fatalf("move link = %q", href)
	}
	if !p.has(`form[action="/afspraken/` + id(ap.ID) + `/annuleren"]`) {
		t.Errorf("the cancel button is gone")
	}
	p = km.get(href)
	checkPage(t, movePath, p)
	if p.attr("#f-datum", "value") != day || p.attr("#f-tijd", "value") != "15:00" || p.attr("#f-duur option[selected]", "value") != "30" ||
		p.attr("#f-spreekkamer option[selected]", "value") != "sk3" || p.attr("input[name=volgnummer]", "value") != "0" ||
		p.attr("input[name=klant]", "value") != cid {
		t.Errorf("move form not filled: %s", p.doc.Find("main form").Text())
	}
	if !strings.Contains(p.text("main"), "Nu gepland: Vervolgafspraak op "+day+" 15:00 uur") {
		t.Errorf("intro: %q", p.text("main"))
	}

	// Bad input: 422, messages in words, values kept.
	bad := url.Values{"klant": {cid}, "volgnummer": {"0"}, "datum": {"31-02-2027"}, "tijd": {"15:10"}, "duur": {"30"}, "spreekkamer": {"sk3"}}
	p = km.post(movePath, bad)
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if !p.has(".wd-error-summary") || p.text("#f-datum-fout") == "" || p.attr("#f-datum", "value") != "31-02-2027" || p.attr("#f-tijd", "value") != "15:10" {
		t.Errorf("invalid move: summary %v, datum error %q, values %q %q", p.has(".wd-error-summary"), p.text("#f-datum-fout"),
			p.attr("#f-datum", "value"), p.attr("#f-tijd", "value"))
	}
	if !strings.HasPrefix(p.text("title"), "Fout:") {
		t.Errorf("title of a refused form: %q", p.text("title"))
	}

	// A good move: back to the case page with a notice.
	move := url.Values{"klant": {cid}, "volgnummer": {"0"}, "datum": {day}, "tijd": {"16:00"}, "duur": {"45"}, "spreekkamer": {"sk2"}}
	loc := expectRedirect(t, km.post(movePath, move), "/klanten/"+cid)
	p = km.get(loc)
	if msg := p.text(".utrecht-alert--ok"); !strings.Contains(msg, "Afspraak verplaatst naar "+day+" 16:00 uur") {
		t.Errorf("notice = %q", msg)
	}
	// The old room is free: another appointment takes the old slot.
	other := url.Values{"klant": {cid}, "datum": {day}, "tijd": {"15:00"}, "duur": {"30"}, "spreekkamer": {"sk3"}}
	expectRedirect(t, km.post("/dossiers/"+pid+"/afspraken", other), "/klanten/"+cid)

	// The room and time are now taken: 409, values kept, the message at the field.
	taken := url.Values{"klant": {cid}, "volgnummer": {"1"}, "datum": {day}, "tijd": {"15:00"}, "duur": {"30"}, "spreekkamer": {"sk3"}}
	p = km.post(movePath, taken)
	expectStatus(t, p, http.StatusConflict)
	if !p.has("#melding") || p.attr("#f-tijd", "value") != "15:00" || p.attr("#f-spreekkamer option[selected]", "value") != "sk3" {
		t.Errorf("taken slot: alert %v, values %q %q", p.has("#melding"), p.attr("#f-tijd", "value"), p.attr("#f-spreekkamer option[selected]", "value"))
	}
	if p.text("#f-spreekkamer-fout") == "" && p.text("#f-klantmanager") == "" {
		t.Errorf("taken slot: no message at a field: %s", p.text("#melding"))
	}

	// A colleague moved it meanwhile (stale volgnummer): 409, typed values
	// kept, the form now carries the current volgnummer and says what is planned.
	stale := url.Values{"klant": {cid}, "volgnummer": {"0"}, "datum": {day}, "tijd": {"11:00"}, "duur": {"30"}, "spreekkamer": {"sk1"}}
	p = km.post(movePath, stale)
	expectStatus(t, p, http.StatusConflict)
	if !strings.Contains(p.text("#melding"), "Een collega heeft deze afspraak intussen gewijzigd") || p.attr("#f-tijd", "value") != "11:00" ||
		p.attr("input[name=volgnummer]", "value") != "1" || !strings.Contains(p.text("main"), "Nu gepland: Vervolgafspraak op "+day+" 16:00 uur") {
		t.Errorf("stale move: alert %q, tijd %q, volgnummer %q", p.text("#melding"), p.attr("#f-tijd", "value"), p.attr("input[name=volgnummer]", "value"))
	}
	// Submitting that form again moves it.
	stale.Set("volgnummer", "1")
	expectRedirect(t, km.post(movePath, stale), "/klanten/"+cid)

	// Who may not: the Poortwachter (403); unknown appointment or client (404).
	pieter := a.loginRole(process.RolePoortwachter)
	expectStatus(t, pieter.get(href), http.StatusForbidden)
	expectStatus(t, pieter.post(movePath, move), http.StatusForbidden)
	expectStatus(t, km.get(movePath), http.StatusNotFound)
	expectStatus(t, km.get("/afspraken/999999/verplaatsen?klant="+cid), http.StatusNotFound)
	expectStatus(t, km.get(movePath+"?klant=abc"), http.StatusNotFound)

	// A cancelled appointment cannot be moved: the case page has no link, the form says so.
	expectRedirect(t, km.post("/afspraken/"+id(ap.ID)+"/annuleren", nil), "/")
	p = km.get("/klanten/" + cid)
	if p.has(`a[href^="` + movePath + `"]`) {
		t.Errorf("a cancelled appointment has a move link")
	}
	expectStatus(t, km.get(href), http.StatusConflict)
	p = km.post(movePath, url.Values{"klant": {cid}, "volgnummer": {"2"}, "datum": {day}, "tijd": {"12:00"}, "duur": {"30"}, "spreekkamer": {"sk1"}})
	expectStatus(t, p, http.StatusConflict)
	if p.has("main form button[type=submit]") || p.attr("#f-tijd", "value") != "12:00" {
		t.Errorf("cancelled: the form still submits or lost the typed time")
	}
}
