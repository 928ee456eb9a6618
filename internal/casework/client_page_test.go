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
