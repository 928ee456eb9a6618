package casework_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/demo"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// detailValues are the contact details form for c with changes applied.
func detailValues(c casework.Client, changes map[string]string) casework.Values {
	v := casework.Values{process.FieldEmail: {c.Email}, process.FieldPhone: {c.Phone}, process.FieldAddress: {c.Address},
		process.FieldPreferredChannel: {c.Contact}, process.FieldContactPerson: {c.ContactPerson}}
	for k, x := range changes {
		v.Set(k, x)
	}
	return v
}

// contactEvents are the history lines about contact details.
func contactEvents(t *testing.T, e *casetest.Env, clientID int64) []casework.Event {
	t.Helper()
	var out []casework.Event
	for _, ev := range e.File(t, clientID).Events {
		if ev.Kind == "contactgegevens" {
			out = append(out, ev)
		}
	}
	return out
}

// TestClientDetails edits a client's contact details on both engines: the
// default channel of an application, a change with its history line
// (which details, never their values), a colleague's change in between
// (a conflict naming them), validation, and who may.
func TestClientDetails(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		app := e.Apply(t)
		c := e.File(t, app.ClientID).Client
		if c.Contact != process.PreferEmail || c.Version != 1 || c.Email == "" {
			t.Fatalf("a digital application with an e-mail address: contact %q, version %d", c.Contact, c.Version)
		}
		// A physical application without an e-mail address prefers post.
		p := e.Person()
		p.Email = ""
		paper, err := e.Walker.Apply(ctx, p, true)
		if err != nil {
			t.Fatal(err)
		}
		if got := e.File(t, paper.ClientID).Client.Contact; got != process.PreferPost {
			t.Errorf("application without e-mail: contact %q, want post", got)
		}

		// Two poortwachters: the client's intake is open on the Poort's
		// worklist, so both need to know the client.
		kmw, pw := e.Actor(process.RolePoortwachter), casework.Actor{User: e.User(t, "fatima")}
		changed, err := e.Svc.UpdateClientDetails(ctx, kmw, c.ID, c.Version, detailValues(c, map[string]string{
			process.FieldPhone: "+31 (0)10 123-4567", process.FieldContactPerson: "Tolk Arabisch\nbewindvoerder mw. Jansen, 06-12345678"}))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(changed, ", ") != "telefoonnummer, contactpersoon of tolk" {
			t.Errorf("changed = %v", changed)
		}
		after := e.File(t, c.ID).Client
		if after.Phone != "+31 (0)10 123-4567" || !strings.HasPrefix(after.ContactPerson, "Tolk Arabisch\n") || after.Version != 2 {
			t.Errorf("after the change: %+v", after)
		}
		evs := contactEvents(t, e, c.ID)
		if len(evs) != 1 || evs[0].Summary != "Contactgegevens gewijzigd: telefoonnummer, contactpersoon of tolk." || evs[0].ActorID != kmw.User.ID {
			t.Fatalf("history = %+v", evs)
		}
		for _, secret := range []string{"123-4567", "Arabisch", c.BSN, c.Email} {
			if strings.Contains(evs[0].Summary, secret) {
				t.Errorf("the history line holds a value: %q", evs[0].Summary)
			}
		}

		// Nothing changed: nothing written.
		if changed, err := e.Svc.UpdateClientDetails(ctx, kmw, c.ID, after.Version, detailValues(after, nil)); err != nil || len(changed) != 0 {
			t.Errorf("no change: %v, %v", changed, err)
		}
		if n := len(contactEvents(t, e, c.ID)); n != 1 || e.File(t, c.ID).Client.Version != 2 {
			t.Errorf("a save without changes wrote %d lines", n)
		}

		// A colleague saves on the version before: a conflict naming who
		// changed what; nothing of theirs is written.
		_, err = e.Svc.UpdateClientDetails(ctx, pw, c.ID, c.Version, detailValues(c, map[string]string{process.FieldAddress: "Andere straat 2, 1234 AB Ergens"}))
		wantField(t, err, casework.CodeConflict, "", "")
		if msg := casework.ErrorMessage(err); !strings.Contains(msg, kmw.User.Name) || !strings.Contains(msg, "telefoonnummer") {
			t.Errorf("conflict message = %q, want the colleague and what they changed", msg)
		}
		if got := e.File(t, c.ID).Client; got.Address != c.Address || got.Version != 2 {
			t.Errorf("the stale save was written: %+v", got)
		}

		// Validation, field by field, with Dutch messages.
		for _, tc := range []struct{ field, value, want string }{
			{process.FieldEmail, "jan@", "geldig e-mailadres"},
			{process.FieldPhone, "06-1234abcd", "Letters en andere tekens kunnen niet"},
			{process.FieldPhone, "06-1234\n5678", "één regel"},
			{process.FieldPhone, "12-34", "te kort"},
			{process.FieldPhone, "06+12345678", "cijfers, spaties en de tekens"},
			{process.FieldAddress, "Dorpsstraat 1\x00", "stuurteken"},
			{process.FieldAddress, "Dorpsstraat 1\n1234 AB Ergens", "één regel"},
			{process.FieldAddress, "Dorpsstraat \u202e1", "stuurteken"},
			{process.FieldAddress, strings.Repeat("a", process.MaxAddress+1), "maximaal 300 tekens"},
			{process.FieldContactPerson, strings.Repeat("b", process.MaxContact+1), "maximaal 500 tekens"},
			{process.FieldContactPerson, "Bewindvoerder, BSN 123456782", "Zet geen BSN"},
			{process.FieldPreferredChannel, "fax", "Kies een van de getoonde mogelijkheden"},
		} {
			_, err := e.Svc.UpdateClientDetails(ctx, kmw, c.ID, 2, detailValues(after, map[string]string{tc.field: tc.value}))
			wantField(t, err, casework.CodeInvalid, tc.field, tc.want)
		}
		// The channel needs its address; without e-mail, post is fine.
		_, err = e.Svc.UpdateClientDetails(ctx, kmw, c.ID, 2, detailValues(after, map[string]string{process.FieldEmail: ""}))
		wantField(t, err, casework.CodeInvalid, process.FieldEmail, "of kies als voorkeur post")
		_, err = e.Svc.UpdateClientDetails(ctx, kmw, c.ID, 2, detailValues(after, map[string]string{process.FieldAddress: "", process.FieldPreferredChannel: process.PreferPost}))
		wantField(t, err, casework.CodeInvalid, process.FieldAddress, "geen brief")
		if _, err := e.Svc.UpdateClientDetails(ctx, kmw, c.ID, 2, detailValues(after, map[string]string{process.FieldEmail: "", process.FieldPreferredChannel: process.PreferPost})); err != nil {
			t.Fatalf("no e-mail, by post: %v", err)
		}

		// A caseworker without need-to-know is asked for a reason; with
		// one given, they may.
		ag := e.Actor(process.RoleAG)
		cur0 := e.File(t, c.ID).Client
		_, err = e.Svc.UpdateClientDetails(ctx, ag, c.ID, cur0.Version, detailValues(cur0, map[string]string{process.FieldContactPerson: "Contact via AG"}))
		if id, ok := casework.ReasonNeeded(err); !ok || id != c.ID {
			t.Errorf("AG without need-to-know: %v, want a reason asked", err)
		}
		if err := e.Svc.OpenWithReason(ctx, ag, c.ID, casework.Values{process.FieldReason: {"De klant belt over een aanmelding bij AG."}}); err != nil {
			t.Fatal(err)
		}
		// Every caseworker role may with need-to-know (the Poort's
		// supporter and those who steer: open work; AG: the reason); the
		// administrator alone may not.
		for _, r := range []process.Role{process.RoleTeamOndersteuning, process.RoleAG, process.RoleTeamleider, process.RoleOndersteunerPoortwachter} {
			cur := e.File(t, c.ID).Client
			if _, err := e.Svc.UpdateClientDetails(ctx, e.Actor(r), c.ID, cur.Version,
				detailValues(cur, map[string]string{process.FieldContactPerson: "Contact via " + string(r)})); err != nil {
				t.Errorf("%s may not change contact details: %v", r, err)
			}
		}
		cur := e.File(t, c.ID).Client
		_, err = e.Svc.UpdateClientDetails(ctx, e.Actor(process.RoleBeheerder), c.ID, cur.Version, detailValues(cur, map[string]string{process.FieldPhone: "010-7654321"}))
		wantField(t, err, casework.CodeForbidden, "", "")
		if !strings.Contains(casework.ErrorMessage(err), "contactgegevens") {
			t.Errorf("refusal = %q", casework.ErrorMessage(err))
		}
		_, err = e.Svc.UpdateClientDetails(ctx, kmw, 99999, 1, detailValues(cur, nil))
		wantField(t, err, casework.CodeNotFound, "", "")
	})
}

// TestNoBSNInFreeText: a nine-digit number that passes the elfproef in free
// text is refused with the configured message; other nine-digit numbers
// (and phone numbers, dates) are free text; a form's own no_bsn message
// still wins.
func TestNoBSNInFreeText(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		app := e.Apply(t)
		op := e.Actor(process.RoleOndersteunerPoortwachter)
		suspend := func(reason string) error {
			return e.Svc.AddSuspension(ctx, op, app.ID, casework.Values{process.FieldStart: {casework.FormatDate(e.Clock.Now())},
				process.FieldConsentUntil: {casework.FormatDate(process.AddDays(e.Clock.Now(), 14))}, process.FieldReason: {reason}})
		}
		for _, reason := range []string{"BSN 123456782 genoemd", "zie 1234 56 782", "zie 123.456.782", "249566758"} {
			wantField(t, suspend(reason), casework.CodeInvalid, process.FieldReason, "Zet geen BSN in een toelichting.")
		}
		// Other numbers are text: not elfproef, ten digits, a phone number, a date and time.
		for _, reason := range []string{"Dossiernummer 123456789", "bel 0612345678 of 06-12345678", "verzoek van 01.03.2027 9.30 uur", "bedrag 1234567820"} {
			if err := suspend(reason); err != nil {
				t.Errorf("%q refused: %v", reason, err)
			}
			// End it again, so the next one may start.
			f := e.File(t, app.ClientID)
			last := f.Suspensions[len(f.Suspensions)-1]
			if err := e.Svc.EndSuspension(ctx, op, app.ID, last.ID, casework.Values{process.FieldSuspensionEnd: {casework.FormatDate(e.Clock.Now())}}); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// TestNoBSNMessage: the configured message replaces the default; a form's
// own message replaces the configured one.
func TestNoBSNMessage(t *testing.T) {
	cfg := casework.DefaultConfig()
	cfg.NoBSNMessage = "Geen burgerservicenummer in vrije tekst, alstublieft."
	e := casetest.NewWithConfig(t, "sqlite", cfg)
	app := e.Apply(t)
	op := e.Actor(process.RoleOndersteunerPoortwachter)
	err := e.Svc.AddSuspension(ctx, op, app.ID, casework.Values{process.FieldStart: {casework.FormatDate(e.Clock.Now())}, process.FieldReason: {"123456782"}})
	wantField(t, err, casework.CodeInvalid, process.FieldReason, cfg.NoBSNMessage)

	// The registration form names its own message for the note.
	e.WalkTo(t, app, "", process.StepIntakeWerkdiagnose)
	km := e.UserByID(t, e.File(t, app.ClientID).Participation.DossierOwner)
	reg := casework.Values{process.FieldProvider: {"hallo_werk"}, process.FieldStatus: {"aangemeld"},
		process.FieldDate: {casework.FormatDate(e.Clock.Now())}, process.FieldNote: {"cv gestuurd, bsn 123456782"}}
	err = e.Svc.AddRegistration(ctx, casework.Actor{User: km}, e.File(t, app.ClientID).Participation.ID, reg)
	wantField(t, err, casework.CodeInvalid, process.FieldNote, "Zet geen BSN in een aanmelding bij een aanbieder.")
	reg.Set(process.FieldNote, "cv gestuurd, klantnummer 123456789")
	if err := e.Svc.AddRegistration(ctx, casework.Actor{User: km}, e.File(t, app.ClientID).Participation.ID, reg); err != nil {
		t.Errorf("a nine-digit number that is no BSN was refused: %v", err)
	}
}

// TestInputLimits: a value over its field's maximum is refused with the
// maximum and the length typed, the other fields' messages beside it.
func TestInputLimits(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		sys := casework.Actor{User: e.User(t, demo.SystemUsername)}
		v := applicationValues(e)
		v.Set(process.FieldFamilyName, strings.Repeat("x", 10000))
		v.Set(process.FieldGivenNames, "")
		_, err := e.Svc.SubmitApplication(ctx, sys, casework.ChannelDigital, v)
		wantField(t, err, casework.CodeInvalid, process.FieldFamilyName, "maximaal 200 tekens, u typte er 10.000")
		wantField(t, err, casework.CodeInvalid, process.FieldGivenNames, "Vul voornamen in")
		if n := len(casework.FieldErrors(err)); n != 2 {
			t.Errorf("messages = %v, want two", casework.FieldErrors(err))
		}
		app := e.Apply(t)
		err = e.Svc.AddSuspension(ctx, e.Actor(process.RoleOndersteunerPoortwachter), app.ID, casework.Values{
			process.FieldStart: {casework.FormatDate(e.Clock.Now())}, process.FieldReason: {strings.Repeat("é", process.MaxTextLength+1)}})
		wantField(t, err, casework.CodeInvalid, process.FieldReason, "maximaal 10.000 tekens, u typte er 10.001")
	})
}

// TestEveryTextFieldHasAMaximum: every text field of the forms in
// process/forms.go names its maximum.
func TestEveryTextFieldHasAMaximum(t *testing.T) {
	pol := process.DefaultPolicy()
	forms := map[string]process.Form{"application (e-form)": process.ApplicationForm(process.FromEForm), "application (public)": process.ApplicationForm(process.FromPublic), "application (physical)": process.ApplicationForm(process.FromDesk),
		"melding (physical)": process.MeldingForm(process.FromDesk),
		"plan":               pol.PlanForm(), "registration": pol.RegistrationForm(), "trajectory": pol.TrajectoryForm(), "finish": process.FinishTrajectoryForm(),
		"suspension": process.SuspensionForm(), "user": process.UserForm(), "login": process.LoginForm(), "token": process.TokenForm(nil),
		"details": process.ClientDetailsForm()}
	for name, f := range forms {
		for _, fl := range f.Fields {
			switch fl.Kind {
			case process.KindText, process.KindTextarea, process.KindEmail, process.KindTel, process.KindPassword:
				if fl.MaxLength == 0 {
					t.Errorf("%s: field %s has no maximum", name, fl.Name)
				}
			}
		}
	}
}

// TestLettersByPost: an invitation to a client without an e-mail address is
// a letter to print (per_post), not a failure: no delivery is recorded on
// it and it cannot be put back in the mail queue.
func TestLettersByPost(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		p := e.Person()
		p.Email = ""
		app, err := e.Walker.Apply(ctx, p, true)
		if err != nil {
			t.Fatal(err)
		}
		e.WalkTo(t, app, "", process.StepIntakeWerkdiagnose) // books the intake: the invitation goes out
		var letter casework.Message
		for _, m := range e.File(t, app.ClientID).Messages {
			if m.Kind == "Uitnodiging klant" {
				letter = m
			}
		}
		if letter.ID == 0 || letter.Status != casework.MessageByPost || letter.LastError != "" || letter.To != "" {
			t.Fatalf("the invitation = %+v, want a letter to print", letter)
		}
		for _, want := range []string{"Gesprek over werk", "Marktplein 10, 2981 AB Ridderkerk", "Bel ons zo snel mogelijk op 0180 451 234", "Wat neemt u mee?", "Komt u niet"} {
			if !strings.Contains(letter.Body, want) {
				t.Errorf("the letter lacks %q:\n%s", want, letter.Body)
			}
		}
		for _, jargon := range []string{"Intake KM Werkdiagnose", "e-mail", "Werkdiagnose", p.BSN} {
			if strings.Contains(letter.Body, jargon) {
				t.Errorf("the letter says %q:\n%s", jargon, letter.Body)
			}
		}
		if err := e.Svc.RecordDelivery(ctx, letter.ID, casework.Attempt{}); err != nil {
			t.Fatal(err)
		}
		lead := e.Actor(process.RoleTeamleider)
		out, err := e.Svc.Outbox(ctx, lead, casework.MessageFilter{Status: casework.MessageByPost})
		var kinds []string
		for _, m := range out {
			kinds = append(kinds, m.Kind)
			if m.ID == letter.ID && m.Attempts != 0 {
				t.Errorf("a delivery was recorded on the letter: %+v", m)
			}
		}
		// The receipt of the application and the invitation: both letters.
		if err != nil || !slices.Equal(kinds, []string{"Uitnodiging klant", "Ontvangstbevestiging"}) {
			t.Fatalf("outbox per post = %v, %v", kinds, err)
		}
		// Each letter is a document of the client, waiting to be printed.
		docs, err := e.Svc.ClientDocuments(ctx, lead, app.ClientID)
		if err != nil || len(docs) != 2 || docs[0].Kind != string(process.LetterUitnodiging) || docs[0].Status != casework.DocumentToPrint ||
			docs[0].MessageID != letter.ID || docs[0].Channel != casework.LetterByPost {
			t.Fatalf("documents = %+v, %v", docs, err)
		}
		failed, _ := e.Svc.Outbox(ctx, lead, casework.MessageFilter{Status: casework.MessageFailed})
		if len(failed) != 0 {
			t.Errorf("failed messages: %+v", failed)
		}
		err = e.Svc.RetryMessage(ctx, e.Actor(process.RoleBeheerder), letter.ID)
		wantField(t, err, casework.CodeConflict, "", "")
		if !strings.Contains(casework.ErrorMessage(err), "per post") {
			t.Errorf("retry of a letter: %v", err)
		}
		// The klantmanager's copy is still mailed.
		for _, m := range e.File(t, app.ClientID).Messages {
			if m.Kind == "Afspraak klantmanager" && m.Status != casework.MessageWaiting {
				t.Errorf("the klantmanager's copy: %s", m.Status)
			}
		}
	})
}

// TestInvitationForClients: the mailed invitation says in plain words what,
// where (street address), what to bring, how to cancel and what happens
// when the client does not come; the calendar entry has the client's name
// of the meeting.
func TestInvitationForClients(t *testing.T) {
	e := casetest.New(t, "sqlite")
	app := e.Apply(t)
	e.WalkTo(t, app, "", process.StepIntakeWerkdiagnose)
	var m casework.Message
	for _, x := range e.File(t, app.ClientID).Messages {
		if x.Kind == "Uitnodiging klant" {
			m = x
		}
	}
	if m.Status != casework.MessageWaiting || m.Subject != "Uitnodiging: Gesprek over werk" {
		t.Fatalf("invitation: %s %q", m.Status, m.Subject)
	}
	for _, want := range []string{"U heeft een afspraak bij de gemeente Ridderkerk.", "Waarom dit gesprek?", "Marktplein 10, 2981 AB Ridderkerk",
		"Wat neemt u mee?", "Kunt u niet komen?", "0180 451 234", "Of stuur een antwoord op deze e-mail.", "Komt u niet, en heeft u niet afgezegd?",
		"agenda-afspraak"} {
		if !strings.Contains(m.Body, want) || !strings.Contains(m.HTML, want) {
			t.Errorf("the invitation lacks %q", want)
		}
	}
	for _, jargon := range []string{"Intake KM Werkdiagnose", "Werkdiagnose", "elfproef", "/klanten/"} {
		if strings.Contains(m.Body, jargon) || strings.Contains(m.HTML, jargon) || strings.Contains(m.Attachment, jargon) {
			t.Errorf("the client's invitation says %q", jargon)
		}
	}
	if !strings.Contains(m.Attachment, "SUMMARY:Gesprek over werk") || !strings.Contains(m.Attachment, "Marktplein 10") {
		t.Errorf("calendar entry:\n%s", m.Attachment)
	}
}

// TestPublicReference: the public form's answer is a reference, new per
// submission, in the history of the case it went to; a second submission
// while the first runs gets its own and creates nothing.
func TestPublicReference(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		sys := casework.Actor{User: e.User(t, demo.SystemUsername)}
		v := applicationValues(e)
		ref, err := e.Svc.SubmitPublicApplication(ctx, sys, v)
		if err != nil || !casework.ValidReference(ref) {
			t.Fatalf("reference %q, %v", ref, err)
		}
		again, err := e.Svc.SubmitPublicApplication(ctx, sys, v)
		if err != nil || !casework.ValidReference(again) || again == ref {
			t.Fatalf("second reference %q (first %q), %v", again, ref, err)
		}
		var client casework.Client
		if err := e.DB.View(ctx, func(tx casework.Tx) error {
			var err error
			client, err = tx.ClientByBSN(ctx, v.Get(process.FieldBSN))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		f := e.File(t, client.ID)
		var lines []string
		for _, ev := range f.Events {
			lines = append(lines, ev.Summary)
		}
		all := strings.Join(lines, "\n")
		if !strings.Contains(all, "Referentie van het formulier: "+ref+".") || !strings.Contains(all, "Referentie van het formulier: "+again+".") {
			t.Errorf("history:\n%s", all)
		}
		if len(f.Applications) != 1 {
			t.Errorf("%d applications", len(f.Applications))
		}
		for _, bad := range []string{"", "AV-", "AV-ABCDE", "AV-ABCDE0", "av-abcdef", "AV-ABCDEFG", "<script>"} {
			if casework.ValidReference(bad) {
				t.Errorf("ValidReference(%q)", bad)
			}
		}
	})
}
