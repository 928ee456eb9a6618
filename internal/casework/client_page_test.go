package casework_test

import (
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/store"
)

// TestClientPage: the case page's one read answers what the four reads it
// replaces answer (the file, the contact moments and notes, the documents
// and the upload form's choices), refuses whom they refuse, and runs fewer
// statements than they do together.
func TestClientPage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		app := e.Apply(t)
		e.WalkTo(t, app, "", process.StepStartBegeleiding)
		f := e.File(t, app.ClientID)
		if f.Participation == nil {
			t.Fatal("no dossier at the start of guidance")
		}
		lead := e.Actor(process.RoleTeamleider)
		caseID := strconv.FormatInt(f.Participation.ID, 10)
		if _, err := e.Svc.AddContact(ctx, lead, app.ClientID, contactValues(f.Participation.ID, e.Clock.Now().Add(-time.Hour), "Gebeld over de afspraak")); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Svc.AddNote(ctx, lead, app.ClientID, casework.Values{process.FieldCase: {caseID}, process.FieldNote: {"Komt met de bus."}}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Svc.Upload(ctx, lead, app.ClientID, casework.Upload{Values: casework.Values{process.FieldCase: {caseID},
			process.FieldTitle: {"Loonstrook"}}, Data: pngBytes}); err != nil {
			t.Fatal(err)
		}

		pageCtx, pageStats := store.WithQueryStats(ctx)
		p, err := e.Svc.ClientPage(pageCtx, lead, app.ClientID, "")
		if err != nil {
			t.Fatal(err)
		}
		partsCtx, partsStats := store.WithQueryStats(ctx)
		file, err := e.Svc.ClientFile(partsCtx, lead, app.ClientID)
		if err != nil {
			t.Fatal(err)
		}
		history, err := e.Svc.ContactHistory(partsCtx, lead, app.ClientID)
		if err != nil {
			t.Fatal(err)
		}
		docs, err := e.Svc.ClientDocuments(partsCtx, lead, app.ClientID)
		if err != nil {
			t.Fatal(err)
		}
		opts, err := e.Svc.DocumentOptions(partsCtx, lead, app.ClientID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(p.File, file) {
			t.Errorf("the page's file differs from ClientFile:\n%+v\n%+v", p.File, file)
		}
		if len(history) != 2 || !reflect.DeepEqual(p.History, history) {
			t.Errorf("history = %+v, ContactHistory %+v (want a contact moment and a note)", p.History, history)
		}
		if !p.SeesDocuments || len(docs) == 0 || docs[0].Title != "Loonstrook" || !reflect.DeepEqual(p.Documents, docs) {
			t.Errorf("documents = %v %+v, ClientDocuments %+v", p.SeesDocuments, p.Documents, docs)
		}
		if len(opts[process.SourceClientCases]) < 2 || !reflect.DeepEqual(p.DocumentOptions, opts) {
			t.Errorf("document options = %+v, DocumentOptions %+v", p.DocumentOptions, opts)
		}
		if n, parts := pageStats.Count(), partsStats.Count(); n == 0 || n > parts-5 {
			t.Errorf("ClientPage ran %d statements, the four reads %d: the client, the access and the cases are read once", n, parts)
		}

		// Whom the file refuses, the page refuses alike, asking for a
		// reason where the file does.
		reasons := 0
		for _, who := range []casework.Actor{e.Actor(process.RoleKMWerkdiagnose), e.Actor(process.RoleAG), e.Actor(process.RoleBeheerder)} {
			_, ferr := e.Svc.ClientFile(ctx, who, app.ClientID)
			_, perr := e.Svc.ClientPage(ctx, who, app.ClientID, "")
			_, freason := casework.ReasonNeeded(ferr)
			_, preason := casework.ReasonNeeded(perr)
			if (perr == nil) != (ferr == nil) || casework.ErrorCode(perr) != casework.ErrorCode(ferr) || preason != freason {
				t.Errorf("%v: ClientPage %v, ClientFile %v", who.User.Roles, perr, ferr)
			}
			if who.User.Roles.Has(process.RoleBeheerder) && casework.ErrorCode(perr) != casework.CodeForbidden {
				t.Errorf("the administrator sees the case page: %v", perr)
			}
			if preason {
				reasons++
			}
		}
		if reasons == 0 {
			t.Error("no caseworker without need-to-know was asked for a reason")
		}
		if _, err := e.Svc.ClientPage(ctx, lead, 999999, ""); casework.ErrorCode(err) != casework.CodeNotFound {
			t.Errorf("ClientPage of no client: %v", err)
		}
	})
}

// TestTaskPageFile: the task page reads of the client file what its header
// and appointments show, the same as the whole file has, and no more.
func TestTaskPageFile(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		app := e.Apply(t)
		e.WalkTo(t, app, "", process.StepStartBegeleiding)
		f := e.File(t, app.ClientID)
		open := f.OpenTasks()
		if len(open) == 0 || f.Participation == nil || len(f.Events) == 0 {
			t.Fatalf("the client has %d open tasks, dossier %v, %d history lines", len(open), f.Participation != nil, len(f.Events))
		}
		tp, err := e.Svc.TaskPage(ctx, e.Actor(process.RoleTeamleider), open[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		got, want := tp.File, f
		for _, c := range []struct {
			what      string
			got, want any
		}{
			{"client", got.Client, want.Client},
			{"age", got.Age, want.Age},
			{"eligible", got.Eligible, want.Eligible},
			{"application", got.Application, want.Application},
			{"applications", got.Applications, want.Applications},
			{"participation", got.Participation, want.Participation},
			{"owner", got.OwnerName, want.OwnerName},
			{"tasks", got.Tasks, want.Tasks},
			{"next deadline", got.NextDeadline, want.NextDeadline},
			{"definition", got.Def.Version, want.Def.Version},
			{"appointments", got.Appointments, want.Appointments},
			{"relation", got.Relation, want.Relation},
		} {
			if !reflect.DeepEqual(c.got, c.want) {
				t.Errorf("task page's %s = %+v, the file's %+v", c.what, c.got, c.want)
			}
		}
		if got.Events != nil || got.Messages != nil || got.Records != nil {
			t.Errorf("the task page read the history (%d lines), messages (%d) or records (%d) it does not show",
				len(got.Events), len(got.Messages), len(got.Records))
		}
	})
}
