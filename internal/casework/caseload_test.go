package casework_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// inDiagnosis walks a new client to the intake of the work diagnosis: a
// participation dossier owned by a Klantmanager Werkdiagnose, who holds
// the open intake task on it.
func inDiagnosis(t *testing.T, e *casetest.Env) (casework.Case, casework.Task) {
	t.Helper()
	app := e.Apply(t)
	task := e.WalkTo(t, app, "", process.StepIntakeWerkdiagnose)
	f := e.File(t, app.ClientID)
	if f.Participation == nil || f.Participation.DossierOwner == 0 || task.HolderID != f.Participation.DossierOwner {
		t.Fatalf("no dossier with an owner holding the intake: %+v, task %+v", f.Participation, task)
	}
	return *f.Participation, task
}

// otherWith returns a user with role r other than id.
func otherWith(t *testing.T, e *casetest.Env, r process.Role, id int64) casework.User {
	t.Helper()
	for _, u := range e.All {
		if u.Roles.Has(r) && u.ID != id && !u.System {
			return u
		}
	}
	t.Fatalf("no second user with role %s", r)
	return casework.User{}
}

func transferValues(to int64, reason string, dossiers ...casework.Case) casework.Values {
	v := casework.Values{process.FieldKM: {strconv.FormatInt(to, 10)}, process.FieldReason: {reason}}
	for _, c := range dossiers {
		v.Add(process.FieldDossiers, strconv.FormatInt(c.ID, 10))
		v.Set(process.DossierVersionField(c.ID), strconv.Itoa(c.Version))
	}
	return v
}

// TestTransferDossiers: who may transfer, to whom, with what; a transfer
// moves the owner and the old owner's open tasks on the dossier, writes a
// history line with the reason and a hand-over mail without client data;
// a dossier changed since the form was built is a conflict.
func TestTransferDossiers(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		part, intake := inDiagnosis(t, e)
		owner := e.UserByID(t, part.DossierOwner)
		next := otherWith(t, e, process.RoleKMWerkdiagnose, owner.ID)
		lead := e.Actor(process.RoleTeamleider)

		// The owner sees the dossier in "Mijn dossiers", the colleague does not.
		mine, err := e.Svc.MyDossiers(ctx, casework.Actor{User: owner}, "")
		if err != nil || len(mine.Dossiers) != 1 || mine.Dossiers[0].ID != part.ID {
			t.Fatalf("owner's dossiers = %+v, %v", mine, err)
		}
		if theirs, err := e.Svc.MyDossiers(ctx, casework.Actor{User: next}, ""); err != nil || len(theirs.Dossiers) != 0 {
			t.Errorf("colleague's dossiers = %+v, %v", theirs, err)
		}
		_, err = e.Svc.MyDossiers(ctx, e.Actor(process.RolePoortwachter), "")
		wantField(t, err, casework.CodeForbidden, "", "")

		// Only the team lead and Team Ondersteuning transfer.
		for _, r := range []process.Role{process.RoleKMWerkdiagnose, process.RoleKMWerk, process.RolePoortwachter, process.RoleBeheerder} {
			_, err := e.Svc.TransferDossiers(ctx, e.Actor(r), transferValues(next.ID, "verlof", part))
			wantField(t, err, casework.CodeForbidden, "", "")
			if casework.ErrorMessage(err) != "Alleen een teamleider of Team Ondersteuning kan dossiers overdragen aan een collega." {
				t.Errorf("%s: refusal %q", r, casework.ErrorMessage(err))
			}
		}

		// Refusals of the form, in Dutch, with nothing written.
		kmWerk := e.Users[process.RoleKMWerk]
		_, err = e.Svc.TransferDossiers(ctx, lead, transferValues(kmWerk.ID, "reorganisatie", part))
		wantField(t, err, casework.CodeInvalid, process.FieldKM, "heeft niet de rol Klantmanager Werkdiagnose")
		_, err = e.Svc.TransferDossiers(ctx, lead, transferValues(next.ID, "  ", part))
		wantField(t, err, casework.CodeInvalid, process.FieldReason, "Vul reden van de overdracht in")
		_, err = e.Svc.TransferDossiers(ctx, lead, transferValues(next.ID, "verlof tot 123456782", part))
		wantField(t, err, casework.CodeInvalid, process.FieldReason, "geen BSN")
		_, err = e.Svc.TransferDossiers(ctx, lead, transferValues(owner.ID, "verlof", part))
		wantField(t, err, casework.CodeInvalid, process.FieldKM, "is al dossierhouder")
		_, err = e.Svc.TransferDossiers(ctx, lead, transferValues(next.ID, "verlof"))
		wantField(t, err, casework.CodeInvalid, process.FieldDossiers, "Kies ten minste één dossier.")

		// A colleague's change in between is a conflict, not an overwrite.
		formValues := transferValues(next.ID, "verlof", part)
		if err := e.DB.Update(ctx, func(tx casework.Tx) error {
			c, err := tx.CaseByID(ctx, part.ID)
			if err != nil {
				return err
			}
			return tx.UpdateCase(ctx, &c)
		}); err != nil {
			t.Fatal(err)
		}
		_, err = e.Svc.TransferDossiers(ctx, lead, formValues)
		wantField(t, err, casework.CodeConflict, "", "")
		if !strings.Contains(casework.ErrorMessage(err), "intussen gewijzigd") {
			t.Errorf("stale transfer: %q", casework.ErrorMessage(err))
		}
		if f := e.File(t, part.ClientID); f.Participation.DossierOwner != owner.ID || f.Participation.Version != part.Version+1 {
			t.Fatalf("a refused transfer changed the dossier: %+v", f.Participation)
		}
		part = *e.File(t, part.ClientID).Participation

		// Team Ondersteuning transfers, with the open task the owner held.
		res, err := e.Svc.TransferDossiers(ctx, e.Actor(process.RoleTeamOndersteuning), transferValues(next.ID, "Verlof van "+owner.Name, part))
		if err != nil {
			t.Fatal(err)
		}
		if res.To.ID != next.ID || res.Dossiers != 1 || res.Tasks != 1 {
			t.Errorf("transfer = %+v", res)
		}
		f := e.File(t, part.ClientID)
		if f.Participation.DossierOwner != next.ID || f.OwnerName != next.Name {
			t.Errorf("owner after transfer = %d (%s)", f.Participation.DossierOwner, f.OwnerName)
		}
		for _, tk := range f.Tasks {
			if tk.ID == intake.ID && (tk.HolderID != next.ID || tk.Status != casework.TaskOpen) {
				t.Errorf("intake task after transfer: holder %d, status %s", tk.HolderID, tk.Status)
			}
		}
		var line *casework.Event
		for i := range f.Events {
			if f.Events[i].Kind == "dossier_overgedragen" && f.Events[i].Reason == "Verlof van "+owner.Name {
				line = &f.Events[i]
			}
		}
		if line == nil || !strings.Contains(line.Summary, "van "+owner.Name+" aan "+next.Name) || !strings.Contains(line.Summary, "Intake KM Werkdiagnose") {
			t.Errorf("history line of the transfer = %+v", line)
		}
		var mail *casework.Message
		for i := range f.Messages {
			if f.Messages[i].Kind == "Overdracht dossier" {
				mail = &f.Messages[i]
			}
		}
		if mail == nil || mail.To != next.Email {
			t.Fatalf("hand-over mail = %+v", mail)
		}
		for _, part := range []string{mail.Subject, mail.Body, mail.HTML} {
			for _, private := range []string{f.Client.BSN, f.Client.FamilyName, f.Client.GivenName} {
				if strings.Contains(part, private) {
					t.Errorf("hand-over mail holds client data %q:\n%s", private, part)
				}
			}
		}
		if !strings.Contains(mail.Body, "/klanten/"+strconv.FormatInt(f.Client.ID, 10)) || !strings.Contains(mail.Body, "17/PA") {
			t.Errorf("hand-over mail does not name and link the dossier:\n%s", mail.Body)
		}

		// The form built before the transfer is now stale.
		_, err = e.Svc.TransferDossiers(ctx, lead, transferValues(owner.ID, "terug", part))
		wantField(t, err, casework.CodeConflict, "", "")

		// The team view groups per owner and filters by owner and team.
		tc, err := e.Svc.TeamDossiers(ctx, lead, casework.CaseloadQuery{})
		if err != nil || tc.Count != 1 || len(tc.Groups) != 1 || tc.Groups[0].Owner.ID != next.ID {
			t.Fatalf("team view = %+v, %v", tc, err)
		}
		if len(tc.Options[process.SourceDossiers]) != 1 || len(tc.Options[process.SourceKlantmanagers]) < 5 {
			t.Errorf("transfer choices = %+v", tc.Options)
		}
		if tc, err := e.Svc.TeamDossiers(ctx, lead, casework.CaseloadQuery{Team: process.TeamWerk}); err != nil || tc.Count != 0 {
			t.Errorf("KM Werk's dossiers = %+v, %v", tc, err)
		}
		if tc, err := e.Svc.TeamDossiers(ctx, lead, casework.CaseloadQuery{Team: process.TeamWerkdiagnose, OwnerID: next.ID}); err != nil || tc.Count != 1 {
			t.Errorf("%s's dossiers = %+v, %v", next.Name, tc, err)
		}
		if tc, err := e.Svc.TeamDossiers(ctx, lead, casework.CaseloadQuery{OwnerID: owner.ID}); err != nil || tc.Count != 0 {
			t.Errorf("%s's dossiers after the transfer = %+v, %v", owner.Name, tc, err)
		}
		_, err = e.Svc.TeamDossiers(ctx, e.Actor(process.RoleKMWerk), casework.CaseloadQuery{})
		wantField(t, err, casework.CodeForbidden, "", "")
	})
}

// TestTransferKeepsTasksOfOthers: only the tasks the old owner held on
// the dossier follow it; a task on the team worklist stays there.
func TestTransferKeepsTasksOfOthers(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		part, intake := inDiagnosis(t, e)
		owner := e.UserByID(t, part.DossierOwner)
		if err := e.Svc.Release(ctx, casework.Actor{User: owner}, intake.ID, intake.Version); err != nil {
			t.Fatal(err)
		}
		next := otherWith(t, e, process.RoleKMWerkdiagnose, owner.ID)
		res, err := e.Svc.TransferDossiers(ctx, e.Actor(process.RoleTeamleider), transferValues(next.ID, "reorganisatie", part))
		if err != nil || res.Tasks != 0 {
			t.Fatalf("transfer = %+v, %v", res, err)
		}
		for _, tk := range e.File(t, part.ClientID).Tasks {
			if tk.ID == intake.ID && tk.HolderID != 0 {
				t.Errorf("a task on the team worklist went along: holder %d", tk.HolderID)
			}
		}

		// A dossier closed since the form was shown is a conflict.
		part = *e.File(t, part.ClientID).Participation
		if err := e.DB.Update(ctx, func(tx casework.Tx) error {
			c := part
			c.ClosedAt = e.Clock.Now()
			return tx.UpdateCase(ctx, &c)
		}); err != nil {
			t.Fatal(err)
		}
		_, err = e.Svc.TransferDossiers(ctx, e.Actor(process.RoleTeamleider), transferValues(owner.ID, "terug", part))
		wantField(t, err, casework.CodeConflict, "", "")
		if !strings.Contains(casework.ErrorMessage(err), "intussen afgesloten") {
			t.Errorf("transfer of a closed dossier: %q", casework.ErrorMessage(err))
		}
	})
}

func contactValues(caseID int64, at time.Time, summary string) casework.Values {
	at = at.In(process.Amsterdam)
	return casework.Values{process.FieldCase: {strconv.FormatInt(caseID, 10)}, process.FieldContactKind: {process.ContactPhone},
		process.FieldDirection: {process.DirectionIn}, process.FieldDate: {casework.FormatDate(at)},
		process.FieldTime: {at.Format("15:04")}, process.FieldSummary: {summary}}
}

// TestContactsAndNotes: every caseworker records contact moments and
// notes on any case of a client; only the author changes them, only for
// 24 hours, each change keeping the earlier text in the history; they
// appear on the timeline and as the last contact of the dossier.
func TestContactsAndNotes(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		part, _ := inDiagnosis(t, e)
		owner := casework.Actor{User: e.UserByID(t, part.DossierOwner)}
		f := e.File(t, part.ClientID)
		clientID, appID := f.Client.ID, f.Application.ID
		now := e.Clock.Now()

		// Refusals of the form.
		_, err := e.Svc.AddContact(ctx, owner, clientID, contactValues(part.ID, now.Add(2*time.Hour), "Belt later"))
		wantField(t, err, casework.CodeInvalid, process.FieldTime, "niet in de toekomst")
		_, err = e.Svc.AddContact(ctx, owner, clientID, contactValues(part.ID, now.Add(48*time.Hour), "Belt later"))
		wantField(t, err, casework.CodeInvalid, process.FieldDate, "niet in de toekomst")
		_, err = e.Svc.AddContact(ctx, owner, clientID, contactValues(part.ID, now, "Zijn BSN is 123 456 782."))
		wantField(t, err, casework.CodeInvalid, process.FieldSummary, "Zet geen BSN")
		_, err = e.Svc.AddContact(ctx, owner, clientID, contactValues(part.ID, now, strings.Repeat("a", 10001)))
		wantField(t, err, casework.CodeInvalid, process.FieldSummary, "maximaal 10.000 tekens")
		other := e.Apply(t)
		_, err = e.Svc.AddContact(ctx, owner, clientID, contactValues(other.ID, now, "Verkeerde klant"))
		wantField(t, err, casework.CodeInvalid, process.FieldCase, "Kies een van de getoonde mogelijkheden")
		_, err = e.Svc.AddContact(ctx, e.Actor(process.RoleBeheerder), clientID, contactValues(part.ID, now, "Gebeld"))
		wantField(t, err, casework.CodeForbidden, "", "")
		_, err = e.Svc.AddNote(ctx, owner, clientID, casework.Values{process.FieldCase: {strconv.FormatInt(appID, 10)},
			process.FieldNote: {"BSN 123456782"}})
		wantField(t, err, casework.CodeInvalid, process.FieldNote, "Zet geen BSN")

		// Every caseworker role records them, on either case.
		c, err := e.Svc.AddContact(ctx, owner, clientID, contactValues(part.ID, now.Add(-time.Hour), "Klant belde over de intake.\nKomt dinsdag."))
		if err != nil {
			t.Fatal(err)
		}
		poort := e.Actor(process.RolePoortwachter)
		e.Clock.Add(time.Hour)
		n, err := e.Svc.AddNote(ctx, poort, clientID, casework.Values{process.FieldCase: {strconv.FormatInt(appID, 10)},
			process.FieldNote: {"Aanvraag compleet op de voorschotvraag na."}})
		if err != nil {
			t.Fatal(err)
		}
		if n.CaseCode != "0/L2" || c.CaseCode != "17/PA" || n.AuthorName != poort.User.Name {
			t.Errorf("recorded: contact %+v, note %+v", c, n)
		}

		// The dossier shows the last contact.
		mine, err := e.Svc.MyDossiers(ctx, owner, "")
		if err != nil || len(mine.Dossiers) != 1 || !mine.Dossiers[0].LastContact.Equal(c.At) {
			t.Errorf("last contact in my dossiers = %+v, %v (want %s)", mine, err, c.At)
		}

		// On the timeline, in time order with the history; only the author may change.
		hist, err := e.Svc.ContactHistory(ctx, owner, clientID)
		if err != nil || len(hist) != 2 || hist[0].Kind != casework.TimelineContact || hist[1].Kind != casework.TimelineNote {
			t.Fatalf("contact history = %+v, %v", hist, err)
		}
		if !hist[0].MayEdit || hist[1].MayEdit || hist[0].Fixed != "" {
			t.Errorf("as the contact's author: may edit contact %v, note %v", hist[0].MayEdit, hist[1].MayEdit)
		}
		line := casework.Timeline(f.Events, hist)
		if len(line) != len(f.Events)+2 {
			t.Fatalf("timeline has %d entries", len(line))
		}
		for i := 1; i < len(line); i++ {
			if line[i].At.Before(line[i-1].At) {
				t.Errorf("timeline out of order at %d: %s before %s", i, line[i-1].At, line[i].At)
			}
		}

		// Others cannot change it; the author can, from the current version.
		edit := contactValues(part.ID, now.Add(-30*time.Minute), "Klant belde: intake verzet naar woensdag.")
		err = e.Svc.UpdateContact(ctx, poort, clientID, c.ID, c.Version, edit)
		wantField(t, err, casework.CodeForbidden, "", "")
		if casework.ErrorMessage(err) != "Alleen wie een contactmoment of notitie vastlegde, kan die wijzigen, en alleen binnen 24 uur." {
			t.Errorf("refusal to another: %q", casework.ErrorMessage(err))
		}
		_, err = e.Svc.Contact(ctx, poort, clientID, c.ID)
		wantField(t, err, casework.CodeForbidden, "", "")
		e.Clock.Add(2 * time.Hour)
		if err := e.Svc.UpdateContact(ctx, owner, clientID, c.ID, c.Version, edit); err != nil {
			t.Fatal(err)
		}
		err = e.Svc.UpdateContact(ctx, owner, clientID, c.ID, c.Version, edit)
		wantField(t, err, casework.CodeConflict, "", "")
		got, err := e.Svc.Contact(ctx, owner, clientID, c.ID)
		if err != nil || got.Summary != "Klant belde: intake verzet naar woensdag." || got.Version != c.Version+1 || got.UpdatedAt.IsZero() {
			t.Errorf("changed contact = %+v, %v", got, err)
		}
		// The earlier text stays in the (append-only) history.
		var kept bool
		for _, ev := range e.File(t, clientID).Events {
			kept = kept || (ev.Kind == casework.EventContactChanged && strings.Contains(ev.Reason, "Klant belde over de intake.") && ev.ActorID == owner.User.ID)
		}
		if !kept {
			t.Error("the history does not keep the contact's earlier text")
		}
		if err := e.Svc.UpdateNote(ctx, poort, clientID, n.ID, n.Version, casework.Values{process.FieldCase: {strconv.FormatInt(part.ID, 10)},
			process.FieldNote: {"Aanvraag compleet."}}); err != nil {
			t.Fatal(err)
		}

		// After 24 hours it is fixed, for its author too, and the timeline says why.
		e.Clock.Set(c.CreatedAt.Add(24 * time.Hour))
		err = e.Svc.UpdateContact(ctx, owner, clientID, c.ID, got.Version, edit)
		wantField(t, err, casework.CodeConflict, "", "")
		if !strings.Contains(casework.ErrorMessage(err), "staat sinds") || !strings.Contains(casework.ErrorMessage(err), "binnen 24 uur") {
			t.Errorf("refusal after 24 hours: %q", casework.ErrorMessage(err))
		}
		_, err = e.Svc.Contact(ctx, owner, clientID, c.ID)
		wantField(t, err, casework.CodeConflict, "", "")
		hist, err = e.Svc.ContactHistory(ctx, owner, clientID)
		if err != nil || hist[0].MayEdit || !strings.Contains(hist[0].Fixed, "Staat vast sinds") {
			t.Errorf("after 24 hours: %+v, %v", hist[0], err)
		}
		// The note, written later, is still open to its author.
		if hist[1].Fixed != "" {
			t.Errorf("the note is fixed too early: %+v", hist[1])
		}
		if _, err := e.Svc.Note(ctx, poort, clientID, n.ID); err != nil {
			t.Errorf("note for its author: %v", err)
		}
		// Another client's note is not found through this client.
		_, err = e.Svc.Note(ctx, poort, other.ClientID, n.ID)
		wantField(t, err, casework.CodeNotFound, "", "")
	})
}
