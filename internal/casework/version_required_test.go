package casework_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// TestVersionRequired: every change of something that carries a version
// refuses a change without it (version 0) as invalid input with a Dutch
// message, and changes nothing: a task's pick-up, release, assignment and
// completion, a client's contact details, a registration's status, the
// closing of a dossier, a contact moment and a note.
func TestVersionRequired(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		noVersion := func(what string, err error) {
			t.Helper()
			if casework.ErrorCode(err) != casework.CodeInvalid || !errors.Is(err, casework.ErrNoVersion) ||
				casework.ErrorMessage(err) == "" {
				t.Errorf("%s without a version: %v, want invalid input (no version)", what, err)
			}
		}
		lead := e.Actor(process.RoleTeamleider)

		app := e.Apply(t)
		task := e.WalkTo(t, app, "", process.StepIntakeGesprek)
		team, _ := e.Svc.Definition().Policy.Team(task.Team)
		worker := e.Actor(team.Role)
		noVersion("pick-up", e.Svc.PickUp(ctx, worker, task.ID, 0))
		noVersion("release", e.Svc.Release(ctx, lead, task.ID, 0))
		noVersion("assignment", e.Svc.Assign(ctx, lead, task.ID, 0, worker.User.ID))
		_, err := e.Svc.CompleteTask(ctx, worker, task.ID, 0, casetest.ValidValues(t, e, task))
		noVersion("completion", err)
		if tp, err := e.Svc.TaskPage(ctx, lead, task.ID); err != nil || tp.Task.Version != task.Version || tp.Task.HolderID != task.HolderID || tp.Task.Status != casework.TaskOpen {
			t.Errorf("the task changed: %+v (%v)", tp.Task.Task, err)
		}

		c := e.File(t, app.ClientID).Client
		_, err = e.Svc.UpdateClientDetails(ctx, worker, c.ID, 0, detailValues(c, map[string]string{process.FieldAddress: "Nieuwe straat 1, 1234 AB Ergens"}))
		noVersion("client details", err)
		if got := e.File(t, app.ClientID).Client; got.Version != c.Version || got.Address != c.Address {
			t.Errorf("the details changed: %+v", got)
		}

		part, _ := inDiagnosis(t, e)
		owner := casework.Actor{User: e.UserByID(t, part.DossierOwner)}
		reg := casework.RegistrationValues(casework.Registration{Provider: "hallo_werk", Status: process.RegistrationRegistered, On: e.Clock.Now()})
		if err := e.Svc.AddRegistration(ctx, owner, part.ID, reg); err != nil {
			t.Fatal(err)
		}
		f := e.File(t, part.ClientID)
		noVersion("registration status", e.Svc.UpdateRegistrationStatus(ctx, owner, part.ID, f.Registrations[0].ID, 0, "gestart"))
		noVersion("closing the dossier", e.Svc.CloseDossier(ctx, owner, part.ID, 0, casework.Values{}))
		if f2 := e.File(t, part.ClientID); !f2.Participation.Open() || f2.Registrations[0].Status != process.RegistrationRegistered {
			t.Errorf("the dossier changed: %+v, %+v", f2.Participation, f2.Registrations[0])
		}

		cm, err := e.Svc.AddContact(ctx, owner, part.ClientID, contactValues(part.ID, e.Clock.Now(), "Gebeld"))
		if err != nil {
			t.Fatal(err)
		}
		noVersion("contact moment", e.Svc.UpdateContact(ctx, owner, part.ClientID, cm.ID, 0, contactValues(part.ID, e.Clock.Now(), "Anders")))
		n, err := e.Svc.AddNote(ctx, owner, part.ClientID, casework.Values{process.FieldCase: {strconv.FormatInt(part.ID, 10)}, process.FieldNote: {"Een notitie."}})
		if err != nil {
			t.Fatal(err)
		}
		noVersion("note", e.Svc.UpdateNote(ctx, owner, part.ClientID, n.ID, 0, casework.Values{process.FieldCase: {strconv.FormatInt(part.ID, 10)}, process.FieldNote: {"Anders."}}))
	})
}
