package casework_test

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/demo"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// seeFile answers whether a may see the client's file, and whether a
// refusal asks for a reason.
func seeFile(t *testing.T, e *casetest.Env, a casework.Actor, clientID int64) (ok, reason bool) {
	t.Helper()
	_, err := e.Svc.ClientFile(ctx, a, clientID)
	switch {
	case err == nil:
		return true, false
	case casework.ErrorCode(err) != casework.CodeForbidden:
		t.Fatalf("file of %d for %s: %v", clientID, a.User.Username, err)
	}
	_, reason = casework.ReasonNeeded(err)
	return false, reason
}

// TestNeedToKnow: the findings of "Least privilege" on client data, one by
// one. Nobody but the client's teams, those who steer open work and those
// who worked on the client lately sees the file; a caseworker may open it
// with a reason for the rest of the day; the administrator and the e-form
// system never.
func TestNeedToKnow(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		app := e.Apply(t) // the intake is on the Poort's worklist
		eform := casework.Actor{User: e.User(t, demo.SystemUsername)}
		for _, c := range []struct {
			who          casework.Actor
			sees, reason bool
		}{
			{e.Actor(process.RolePoortwachter), true, false},
			{e.Actor(process.RoleOndersteunerPoortwachter), true, false}, // supports the Poort
			{e.Actor(process.RoleTeamleider), true, false},               // steers open work
			{e.Actor(process.RoleTeamOndersteuning), true, false},        // distributes open work
			{e.Actor(process.RoleKMWerk), false, true},
			{e.Actor(process.RoleKMWerkdiagnose), false, true},
			{e.Actor(process.RoleAG), false, true},
			{e.Actor(process.RoleBeheerder), false, false},
			{eform, false, false},
			{casework.Actor{User: casework.User{ID: 999, Name: "zonder rol"}}, false, false},
		} {
			if ok, reason := seeFile(t, e, c.who, app.ClientID); ok != c.sees || reason != c.reason {
				t.Errorf("%v: sees %v (reason asked %v), want %v (%v)", c.who.User.Roles, ok, reason, c.sees, c.reason)
			}
		}
		// Revealing the BSN follows the same rule; the e-form system gets
		// the role's refusal, not the reason form.
		if _, err := e.Svc.RevealBSN(ctx, e.Actor(process.RoleKMWerk), app.ClientID); !isReasonNeeded(err) {
			t.Errorf("KM Werk reveals the BSN: %v", err)
		}
		if _, err := e.Svc.RevealBSN(ctx, eform, app.ClientID); casework.ErrorCode(err) != casework.CodeForbidden || isReasonNeeded(err) {
			t.Errorf("the e-form system reveals the BSN: %v", err)
		}
		for _, err := range []error{
			func() error { _, err := e.Svc.SearchClients(ctx, eform, "jansen"); return err }(),
			e.Svc.AddSuspension(ctx, eform, app.ID, casework.Values{process.FieldStart: {casework.FormatDate(e.Clock.Now())}, process.FieldReason: {"Uitstel."}}),
			func() error { _, err := e.Svc.ClientDocuments(ctx, eform, app.ClientID); return err }(),
			e.Svc.OpenWithReason(ctx, eform, app.ClientID, casework.Values{process.FieldReason: {"Het systeem wil het dossier zien."}}),
		} {
			if casework.ErrorCode(err) != casework.CodeForbidden {
				t.Errorf("the e-form system: %v, want forbidden", err)
			}
		}
		if st, err := e.Svc.ApplicationStatus(ctx, eform, app.ID); err != nil || st.ID != app.ID {
			t.Errorf("the e-form system reads the status of what it sent: %+v, %v", st, err)
		}

		// Break the glass: the reason is required, long enough, without a BSN.
		km := e.Actor(process.RoleKMWerk)
		bsn := e.File(t, app.ClientID).Client.BSN
		for reason, want := range map[string]string{
			"":                                   "Vul reden om in te zien in",
			"Even kijken":                        "minstens 20 tekens",
			"Klant met BSN " + bsn + " belt net": "Zet geen BSN",
		} {
			err := e.Svc.OpenWithReason(ctx, km, app.ClientID, casework.Values{process.FieldReason: {reason}})
			wantField(t, err, casework.CodeInvalid, process.FieldReason, want)
		}
		const reason = "De klant belt; de poortwachter is vandaag afwezig."
		if err := e.Svc.OpenWithReason(ctx, km, app.ClientID, casework.Values{process.FieldReason: {reason}}); err != nil {
			t.Fatal(err)
		}
		if ok, _ := seeFile(t, e, km, app.ClientID); !ok {
			t.Fatal("KM Werk does not see the file after giving a reason")
		}
		var line *casework.Event
		for _, ev := range e.File(t, app.ClientID).Events {
			if ev.Kind == "inzage_met_reden" {
				line = &ev
			}
		}
		if line == nil || line.ActorID != km.User.ID || line.Reason != reason || !strings.Contains(line.Summary, "Dossier ingezien met reden") {
			t.Errorf("history line of the reason: %+v", line)
		}
		// The grant ends with the day; looking is no work that extends it.
		e.Clock.Set(process.AddDays(process.Date(e.Clock.Now()), 1).Add(9 * time.Hour))
		if ok, reason := seeFile(t, e, km, app.ClientID); ok || !reason {
			t.Errorf("the next day KM Werk sees %v (reason asked %v), want a reason asked again", ok, reason)
		}

		// A client with no open work (a melding of someone under the
		// minimum age): who recorded it sees it for need_to_know_days, the
		// team lead not at all.
		sanne := e.Actor(process.RoleOndersteunerPoortwachter)
		p := demo.NewPerson(rand.New(rand.NewPCG(7, 7)), 77, 22, e.Clock.Now())
		m, err := e.Svc.RecordMelding(ctx, sanne, casework.ChannelPhysical, p.Values())
		if err != nil {
			t.Fatal(err)
		}
		if ok, _ := seeFile(t, e, sanne, m.ClientID); !ok {
			t.Error("who recorded the melding does not see it")
		}
		for _, r := range []process.Role{process.RoleTeamleider, process.RolePoortwachter, process.RoleTeamOndersteuning} {
			if ok, reason := seeFile(t, e, e.Actor(r), m.ClientID); ok || !reason {
				t.Errorf("%s sees a client without open work: %v (reason asked %v)", r, ok, reason)
			}
		}
		e.Clock.Set(e.Clock.Now().AddDate(0, 0, e.Svc.Definition().Policy.NeedToKnowDays+1))
		if ok, _ := seeFile(t, e, sanne, m.ClientID); ok {
			t.Errorf("after %d days who recorded the melding still sees it", e.Svc.Definition().Policy.NeedToKnowDays)
		}
	})
}

// TestAccessDigest: the team lead's daily digest has the section "Inzage
// met reden": who opened how many files, by client number, without names
// or reasons; colleagues' digests do not.
func TestAccessDigest(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		lead, poort := e.Actor(process.RoleTeamleider), e.Actor(process.RolePoortwachter)
		for _, a := range []casework.Actor{lead, poort} {
			if err := e.Svc.SetDailyDigest(ctx, a, true); err != nil {
				t.Fatal(err)
			}
		}
		app := e.Apply(t)
		file := e.File(t, app.ClientID)
		const reason = "Klant belt over de uitnodiging; Poort is bezet."
		km := e.Actor(process.RoleKMWerk)
		if err := e.Svc.OpenWithReason(ctx, km, app.ClientID, casework.Values{process.FieldReason: {reason}}); err != nil {
			t.Fatal(err)
		}
		day := process.AddDays(process.Date(e.Clock.Now()), 1) // the next working day (Start is a Monday)
		if _, err := e.Svc.SendDigests(ctx, day); err != nil {
			t.Fatal(err)
		}
		var leadMail, poortMail casework.Message
		for _, m := range outbox(t, e, "Dagoverzicht") {
			switch m.To {
			case lead.User.Email:
				leadMail = m
			case poort.User.Email:
				poortMail = m
			}
		}
		if !strings.Contains(leadMail.Body, "Inzage met reden") || !strings.Contains(leadMail.Body, km.User.Name+" (Klantmanager Werk): 1 keer") ||
			!strings.Contains(leadMail.Body, "/klanten/"+itoa(app.ClientID)) || !strings.Contains(leadMail.HTML, "Inzage met reden") {
			t.Errorf("team lead's digest:\n%s", leadMail.Body)
		}
		for _, secret := range []string{file.Client.FamilyName, file.Client.BSN, reason} {
			if strings.Contains(leadMail.Body, secret) || strings.Contains(leadMail.HTML, secret) || strings.Contains(leadMail.Subject, secret) {
				t.Errorf("the digest holds %q", secret)
			}
		}
		if poortMail.ID == 0 || strings.Contains(poortMail.Body, "Inzage met reden") {
			t.Errorf("poortwachter's digest (id %d) has the section: %v", poortMail.ID, strings.Contains(poortMail.Body, "Inzage met reden"))
		}
	})
}
