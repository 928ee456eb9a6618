package api_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/api"
	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// testVoorschot records a voorschot over the API: the signal's task is
// completed through the task API with the form's fields (a Dutch amount),
// a bad amount is a 422 with the field's Dutch message, and the
// application's voorschotten list it.
func testVoorschot(t *testing.T, s *server) {
	env := s.env
	app := env.Apply(t)
	s.secrets = append(s.secrets, env.File(t, app.ClientID).Client.BSN)
	pw := env.Users[process.RolePoortwachter]
	pieter := s.token(t, pw)
	ctx := context.Background()
	var signal casework.Reminder
	err := env.DB.View(ctx, func(tx casework.Tx) error {
		rs, err := tx.ListReminders(ctx, casework.ReminderFilter{CaseID: app.ID, Status: casework.ReminderPlanned})
		for _, r := range rs {
			if r.Kind == casework.ReminderVoorschot {
				signal = r
			}
		}
		return err
	})
	if err != nil || signal.ID == 0 {
		t.Fatalf("no voorschot signal planned: %v", err)
	}
	env.Clock.Set(signal.SendAt)
	if _, err := env.Svc.FireReminder(ctx, signal.ID); err != nil {
		t.Fatal(err)
	}
	// Day 28 of an application of Monday 1 March 2027 is Tweede Paasdag:
	// the term ends on Tuesday 30 March (Algemene termijnenwet).
	const due = "2027-03-30"
	var list api.Worklist
	s.call(t, pieter, "GET", "/api/werkvoorraad?stap="+string(process.StepVoorschot), nil).want(t, http.StatusOK, &list)
	if len(list.Tasks) != 1 || list.Tasks[0].Due != due || list.Tasks[0].Deadline == "geen" {
		t.Fatalf("voorschot tasks on the worklist: %+v", list.Tasks)
	}
	task := list.Tasks[0]
	var detail api.TaskDetail
	s.call(t, pieter, "GET", "/api/taken/{id}", nil, task.ID).want(t, http.StatusOK, &detail)
	kinds := map[string]string{}
	for _, f := range detail.Fields {
		kinds[f.Name] = f.Kind
	}
	if kinds["bedrag"] != "amount" || kinds["voorschot"] != "radio" || kinds[process.FieldReason] != "textarea" {
		t.Fatalf("form of the voorschot task: %v", kinds)
	}
	today := process.Date(env.Clock.Now()).Format("2006-01-02")
	p := s.call(t, pieter, "POST", "/api/taken/{id}/afronden", obj{"versie": task.Version, "velden": obj{
		"voorschot": process.OutcomeVoorschotVerstrekt, "bedrag": "1,234.56", process.FieldDate: today}}, task.ID).problem(t, http.StatusUnprocessableEntity)
	if msg := fieldMessage(p, "body.velden.bedrag"); !strings.Contains(msg, "1.234,56") {
		t.Errorf("bad amount: message %q, want the Dutch example", msg)
	}
	p = s.call(t, pieter, "POST", "/api/taken/{id}/afronden", obj{"versie": task.Version, "velden": obj{
		"voorschot": process.OutcomeVoorschotNiet, process.FieldDate: today}}, task.ID).problem(t, http.StatusUnprocessableEntity)
	if msg := fieldMessage(p, "body.velden."+process.FieldReason); msg == "" {
		t.Errorf("refused without a reason: errors %+v", p.Errors)
	}
	var done api.Completion
	s.call(t, pieter, "POST", "/api/taken/{id}/afronden", obj{"versie": task.Version, "velden": obj{
		"voorschot": process.OutcomeVoorschotVerstrekt, "bedrag": "980,10", process.FieldDate: today}}, task.ID).want(t, http.StatusOK, &done)
	if done.Task.Outcome != process.OutcomeVoorschotVerstrekt {
		t.Errorf("completed task: %+v", done.Task)
	}
	var vs api.VoorschotList
	s.call(t, pieter, "GET", "/api/aanvragen/{id}/voorschotten", nil, app.ID).want(t, http.StatusOK, &vs)
	if len(vs.Voorschotten) != 1 {
		t.Fatalf("voorschotten: %+v", vs)
	}
	if v := vs.Voorschotten[0]; !v.Granted || v.AmountCents != 98010 || v.Amount != "€ 980,10" || v.On != today ||
		v.DueOn != due || v.TaskID != task.ID || v.Actor == nil || v.Actor.ID != pw.ID {
		t.Errorf("voorschot = %+v", v)
	}
	var file api.ClientFile
	s.call(t, pieter, "GET", "/api/klanten/{id}", nil, app.ClientID).want(t, http.StatusOK, &file)
	if len(file.Voorschotten) != 1 || file.Voorschotten[0].AmountCents != 98010 {
		t.Errorf("client file voorschotten: %+v", file.Voorschotten)
	}
	s.call(t, pieter, "GET", "/api/aanvragen/{id}/voorschotten", nil, 999999).problem(t, http.StatusNotFound)
	if part := file.Participation; part != nil {
		s.call(t, pieter, "GET", "/api/aanvragen/{id}/voorschotten", nil, part.ID).problem(t, http.StatusNotFound)
	}
}

// testSignedPlan prints a plan van aanpak for the client's signature and
// records the signature with it; a signature without a chosen document
// keeps the plan made with that date.
func testSignedPlan(t *testing.T, s *server) {
	env := s.env
	app := env.Apply(t)
	s.secrets = append(s.secrets, env.File(t, app.ClientID).Client.BSN)
	intake := env.WalkTo(t, app, "", process.StepIntakeWerkdiagnose)
	km := s.token(t, s.userByID(t, intake.HolderID))
	pid := intake.CaseID
	today := process.Date(env.Clock.Now())
	velden := obj{"situatie": "Zoekt werk na een periode van zorg.", "ladder_nu": "2", "ladder_doel": "4", "segment": "Re-integratie",
		"doelen": "Vrijwilligerswerk als opstap.", "verplichtingen": "Meewerken aan het traject.", "gevolgen": "Een maatregel kan volgen."}
	var plan api.Plan
	s.call(t, km, "POST", "/api/dossiers/{id}/plan", obj{"basis_versie": 0, "velden": velden}, pid).want(t, http.StatusCreated, &plan)
	if plan.SignedDocID != 0 || plan.EvaluationOn == "" {
		t.Fatalf("unsigned plan = %+v: want no signed document and an evaluation date from the cycle", plan)
	}
	var printed api.Document
	s.call(t, km, "POST", "/api/dossiers/{id}/plan/afdrukken", nil, pid).want(t, http.StatusCreated, &printed)
	if printed.Kind != string(process.LetterPlan) || printed.Status != casework.DocumentForSignature || printed.CaseID != pid {
		t.Fatalf("printed plan = %+v", printed)
	}
	velden[process.FieldSignedDocument] = strconv.FormatInt(printed.ID, 10)
	p := s.call(t, km, "POST", "/api/dossiers/{id}/plan", obj{"basis_versie": plan.Version, "velden": velden}, pid).problem(t, http.StatusUnprocessableEntity)
	if fieldMessage(p, "body.velden."+process.FieldSignedDocument) == "" {
		t.Errorf("a signed document without the date: errors %+v", p.Errors)
	}
	velden[process.FieldSignedOn] = today.Format("2006-01-02")
	s.call(t, km, "POST", "/api/dossiers/{id}/plan", obj{"basis_versie": plan.Version, "velden": velden}, pid).want(t, http.StatusCreated, &plan)
	if plan.SignedDocID != printed.ID || plan.SignedOn != today.Format("2006-01-02") {
		t.Errorf("signed plan = %+v, want the printed document %d", plan, printed.ID)
	}
	// Signed again on another day, without a document: the plan with that
	// date is kept as the signed document.
	delete(velden, process.FieldSignedDocument)
	velden[process.FieldSignedOn] = process.AddDays(today, -1).Format("2006-01-02")
	s.call(t, km, "POST", "/api/dossiers/{id}/plan", obj{"basis_versie": plan.Version, "velden": velden}, pid).want(t, http.StatusCreated, &plan)
	if plan.SignedDocID == 0 || plan.SignedDocID == printed.ID {
		t.Fatalf("plan signed without a document = %+v, want a new document", plan)
	}
	var docs api.DocumentList
	s.call(t, km, "GET", "/api/klanten/{id}/documenten", nil, app.ClientID).want(t, http.StatusOK, &docs)
	var signed *api.Document
	for i, d := range docs.Documents {
		if d.ID == plan.SignedDocID {
			signed = &docs.Documents[i]
		}
	}
	if signed == nil || signed.Status != casework.DocumentSigned || signed.Kind != string(process.LetterPlan) {
		t.Errorf("the signed plan's document = %+v", signed)
	}
	var file api.ClientFile
	s.call(t, km, "GET", "/api/klanten/{id}", nil, app.ClientID).want(t, http.StatusOK, &file)
	if file.Plan == nil || file.Plan.SignedDocID != plan.SignedDocID {
		t.Errorf("client file plan = %+v", file.Plan)
	}
}
