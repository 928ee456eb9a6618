package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// TestRequestToComplete: a Poortwachter asks the client to complete the
// application (Awb 4:5) from the client's page, lands on the request's
// form, sends it and sees the decision term suspended: the worklist shows
// the provisional date with "opgeschort", never "Geen termijn". The
// information arrives; the term is recomputed and the note is gone.
func TestRequestToComplete(t *testing.T) {
	h := newHarness(t)
	app := h.env.Apply(t)
	// The dates below are by hand from the test clock's first day.
	if got := casework.FormatDate(app.AppliedOn); got != "01-03-2027" {
		t.Fatalf("the application was received on %s; the expected dates below assume Monday 01-03-2027", got)
	}
	f := h.env.File(t, app.ClientID)
	name := f.Client.Name()
	clientPath := fmt.Sprintf("/klanten/%d", app.ClientID)

	pw := h.login("pieter")
	pw.visitOK(clientPath)
	pw.contains("section[aria-labelledby=aanvraag]", "uiterlijk 26-04-2027") // + 56 days
	if st := pw.submit("Verzoek om aanvulling"); st != 200 || !strings.HasPrefix(pw.path(), "/taken/") {
		pw.fatalf("start the request: status %d at %s", st, pw.path())
	}
	pw.contains("h1", "Verzoek om aanvulling")
	// Today, and 14 days later: Monday 15-03-2027.
	if got := pw.value("f-verzoek_datum"); got != "01-03-2027" {
		t.Errorf("the request's date starts at %q, want today", got)
	}
	if got := pw.value("f-aanvullen_uiterlijk"); got != "15-03-2027" {
		t.Errorf("the completion term starts at %q, want 15-03-2027", got)
	}
	// A term may not end on a Saturday: the message is at the field, the text stays.
	pw.fill("aanvullen_uiterlijk", "13-03-2027")
	pw.fill("ontbreekt", "Bankafschriften van de laatste drie maanden.")
	if st := pw.submit("Stap afronden"); st != 422 {
		pw.fatalf("a term ending on a Saturday: status %d, want 422", st)
	}
	pw.contains("#f-aanvullen_uiterlijk-fout", "zaterdag", "15-03-2027")
	if got := pw.value("f-ontbreekt"); got != "Bankafschriften van de laatste drie maanden." {
		t.Errorf("after the error the text is %q", got)
	}
	pw.fill("aanvullen_uiterlijk", "15-03-2027")
	if st := pw.submit("Stap afronden"); st != 200 {
		pw.fatalf("send the request: status %d", st)
	}
	// The next task is the answer, held by the same Poortwachter, due on the term's last day.
	pw.contains("h1", "Aanvulling verwerken")
	pw.contains("main .wd-dl", "uiterlijk 15-03-2027")
	answerPath := pw.path()

	// Suspended from 02-03 through 15-03-2027 at the latest: 14 days, so
	// 01-03-2027 + 56 + 14 = Monday 10-05-2027.
	note := "opgeschort sinds 02-03-2027, loopt door na 15-03-2027"
	pw.visitOK("/werkvoorraad")
	row, ok := pw.row(name, "Intakegesprek (telefonisch)")
	if !ok {
		pw.fatalf("no worklist row for the intake of %s", name)
	}
	if !strings.Contains(row, "10-05-2027") || !strings.Contains(row, note) || strings.Contains(row, "Geen termijn") {
		t.Errorf("worklist row %q, want 10-05-2027 with %q", row, note)
	}
	if row, ok := pw.row(name, "Aanvulling verwerken"); !ok || !strings.Contains(row, "15-03-2027") {
		t.Errorf("worklist row of the answer: %q", row)
	}
	pw.visitOK(clientPath)
	pw.contains("section[aria-labelledby=aanvraag]", "uiterlijk 10-05-2027 ("+note+")", "Verzoek om aanvulling van 01-03-2027")
	pw.contains("#termijn-stappen", "Beslistermijn verdagen: De beslistermijn is al "+note)

	// The information arrives on Thursday 04-03-2027.
	h.advanceTo(h.workday(3), 10)
	if got := h.today(); got != "04-03-2027" {
		t.Fatalf("three working days later it is %s", got)
	}
	pw.visitOK(answerPath)
	pw.choose("aanvulling", "Aanvulling ontvangen")
	pw.fill("aanvulling_ontvangen_op", "05-03-2027")
	if st := pw.submit("Stap afronden"); st != 422 {
		pw.fatalf("an answer from tomorrow: status %d, want 422", st)
	}
	pw.contains("#f-aanvulling_ontvangen_op-fout", "toekomst")
	pw.fill("aanvulling_ontvangen_op", "04-03-2027")
	if st := pw.submit("Stap afronden"); st != 200 {
		pw.fatalf("record the answer: status %d", st)
	}
	// Suspended 02-03 up to 04-03-2027: 2 days. 01-03-2027 + 58 = Wednesday 28-04-2027.
	pw.visitOK("/werkvoorraad")
	row, ok = pw.row(name, "Intakegesprek (telefonisch)")
	if !ok || !strings.Contains(row, "28-04-2027") || strings.Contains(row, "opgeschort") {
		t.Errorf("worklist row after the answer: %q, want 28-04-2027 without a suspension", row)
	}
	pw.visitOK(clientPath)
	pw.contains("section[aria-labelledby=aanvraag]", "uiterlijk 28-04-2027", "de termijn loopt weer vanaf 04-03-2027")
	if got := pw.text("section[aria-labelledby=aanvraag] dl"); strings.Contains(got, "opgeschort sinds") {
		t.Errorf("the decision due date still says suspended: %s", got)
	}
	if got := h.env.File(t, app.ClientID); got.Application.DecisionDue.Format("02-01-2006") != "28-04-2027" {
		t.Errorf("stored decision due %s", casework.FormatDate(got.Application.DecisionDue))
	}
}
