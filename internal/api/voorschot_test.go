package api_test

import (
	"context"
	"net/http"
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
