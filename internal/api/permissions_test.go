package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/api"
	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/demo"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// object is what an operation acts on, which decides the relation its
// action is checked in.
type object int

const (
	onNothing     object = iota // lists and administration: relation none
	onClient                    // the client: need-to-know
	onTask                      // the client's open task
	onDossier                   // the participation dossier: its owner
	onAppointment               // the coming appointment: its klantmanager
	onStep                      // a step started by hand: the step's team
	onSearch                    // the search: the role; results follow need-to-know
	onSubmitted                 // an application's status: who sent it, or need-to-know
)

// apiCell is a user in a relation to the fixture client.
type apiCell struct {
	user      casework.User
	rel       process.Relation
	owner     bool // holds the task, owns the dossier, is the appointment's klantmanager
	submitted bool // sent the application in
}

func (c apiCell) relation(obj object, def *process.Definition, task casework.Task) process.Relation {
	switch obj {
	case onClient:
		return c.rel
	case onTask:
		return casework.TaskRelation(def, casework.Actor{User: c.user}, task)
	case onDossier, onAppointment:
		if c.owner {
			return process.RelOwner
		}
	case onStep:
		st, _ := def.Step(process.StepVerzoekAanvulling)
		return def.TeamRelation(c.user.Roles, 0, 0, st.Team)
	case onSearch:
		return process.RelOwner
	case onSubmitted:
		if c.submitted {
			return process.RelOwner
		}
		return c.rel
	}
	return process.RelNone
}

// testOperationPermissions enumerates every operation of the API × a user
// of every role, the e-form system account and a user without roles, in
// their relation to a real client: forbidden (403) exactly when
// process.Allowed says so for the operation's action (api.Actions) in the
// relation to what it acts on and, for a client's things, for seeing the
// client. Bodies are valid for the schema but stale or empty, so that an
// allowed request changes nothing a later one depends on.
func testOperationPermissions(t *testing.T, s *server) {
	env := s.env
	ctx := context.Background()
	app := env.Apply(t) // sent in by the e-form system
	task := env.WalkTo(t, app, "", process.StepStartBegeleiding)
	f := env.File(t, app.ClientID)
	owner := env.UserByID(t, task.HolderID)
	ap := f.Appointments[len(f.Appointments)-1]
	if f.Participation.DossierOwner != owner.ID || ap.KlantmanagerID != owner.ID {
		t.Fatalf("fixture: owner %d, dossier owner %d, appointment klantmanager %d", owner.ID, f.Participation.DossierOwner, ap.KlantmanagerID)
	}
	docs, err := env.Svc.ClientDocuments(ctx, casework.Actor{User: owner}, app.ClientID)
	if err != nil || len(docs) == 0 {
		t.Fatalf("fixture documents: %v, %v", docs, err)
	}

	now := env.Clock.Now()
	newUser := func(name string, roles ...process.Role) casework.User {
		u := casework.User{Username: name, Name: name, Email: name + "@bar-organisatie.invalid", Roles: roles, Active: true, CreatedAt: now}
		if err := env.DB.Update(ctx, func(tx casework.Tx) error { return tx.CreateUser(ctx, &u) }); err != nil {
			t.Fatal(err)
		}
		return u
	}
	cells := []apiCell{
		{user: owner, rel: process.RelOwner, owner: true},
		{user: newUser("zonder-rol"), rel: process.RelNone},
		{user: env.User(t, demo.SystemUsername), rel: process.RelTeam, submitted: true}, // its intake history is work
	}
	for _, r := range process.AllRoles {
		if process.IsSystemRole(r) {
			continue
		}
		u := newUser("geen-"+string(r), r)
		rel := process.RelNone
		if process.Steers(u.Roles) || u.Roles.Has(process.RoleKMWerk) {
			rel = process.RelTeam // open work they steer; the task and dossier are in the KM Werk's team
		}
		cells = append(cells, apiCell{user: u, rel: rel})
		if rel == process.RelNone && casework.May(casework.Actor{User: u}, process.ActBreakGlass, process.RelNone) {
			g := newUser("reden-"+string(r), r)
			if err := env.Svc.OpenWithReason(ctx, casework.Actor{User: g}, app.ClientID, casework.Values{process.FieldReason: {"Vaste reden voor de test van de rechten."}}); err != nil {
				t.Fatal(err)
			}
			cells = append(cells, apiCell{user: g, rel: process.RelTeam})
		}
	}

	type call struct {
		method, path string
		params       []any
		body         any
		obj          object
	}
	velden := obj{"velden": obj{}}
	calls := map[string]call{
		"listUsers":                {"GET", "/api/gebruikers", nil, nil, onNothing},
		"createUser":               {"POST", "/api/gebruikers", nil, obj{"gebruikersnaam": "", "naam": "", "email": "", "rollen": []string{}}, onNothing},
		"setUserActive":            {"POST", "/api/gebruikers/{id}/actief", []any{999999}, obj{"actief": true}, onNothing},
		"listTokens":               {"GET", "/api/sleutels", nil, nil, onNothing},
		"issueToken":               {"POST", "/api/sleutels", nil, obj{"gebruiker": 999999, "naam": "x"}, onNothing},
		"revokeToken":              {"DELETE", "/api/sleutels/{id}", []any{999999}, nil, onNothing},
		"submitApplication":        {"POST", "/api/aanvragen", nil, velden, onNothing},
		"getApplicationStatus":     {"GET", "/api/aanvragen/{id}", []any{app.ID}, nil, onSubmitted},
		"recordMelding":            {"POST", "/api/meldingen", nil, velden, onNothing},
		"searchClients":            {"GET", "/api/klanten?zoek=jansen", nil, nil, onSearch},
		"getClientFile":            {"GET", "/api/klanten/{id}", []any{app.ClientID}, nil, onClient},
		"listDocuments":            {"GET", "/api/klanten/{id}/documenten", []any{app.ClientID}, nil, onClient},
		"downloadDocument":         {"GET", "/api/klanten/{id}/documenten/{documentId}", []any{app.ClientID, docs[0].ID}, nil, onClient},
		"uploadDocument":           {"POST", "/api/klanten/{id}/documenten", []any{app.ClientID}, multipartUpload(t, map[string]string{"werkproces": "0", "titel": "Scan"}, "scan.png", "image/png", apiPNG), onClient},
		"requestLetter":            {"POST", "/api/klanten/{id}/brieven", []any{app.ClientID}, velden, onClient},
		"listOutbox":               {"GET", "/api/uitgaand", nil, nil, onNothing},
		"retryMessage":             {"POST", "/api/berichten/{id}/opnieuw", []any{999999}, nil, onNothing},
		"getDashboard":             {"GET", "/api/overzicht", nil, nil, onNothing},
		"savePlan":                 {"POST", "/api/dossiers/{id}/plan", []any{f.Participation.ID}, obj{"basis_versie": 999999, "velden": obj{}}, onDossier},
		"printPlan":                {"POST", "/api/dossiers/{id}/plan/afdrukken", []any{f.Participation.ID}, nil, onDossier},
		"addRegistration":          {"POST", "/api/dossiers/{id}/aanmeldingen", []any{f.Participation.ID}, velden, onDossier},
		"updateRegistrationStatus": {"POST", "/api/dossiers/{id}/aanmeldingen/{rid}/status", []any{f.Participation.ID, 999999}, obj{"versie": 1, "status": "gestart"}, onDossier},
		"addTrajectory":            {"POST", "/api/dossiers/{id}/trajecten", []any{f.Participation.ID}, velden, onDossier},
		"registerTrajectory":       {"POST", "/api/dossiers/{id}/trajecten/{tid}/aanmelden", []any{f.Participation.ID, 999999}, nil, onDossier},
		"closeDossier":             {"POST", "/api/dossiers/{id}/afsluiten", []any{f.Participation.ID}, obj{"versie": 999999, "velden": obj{}}, onDossier},
		"finishTrajectory":         {"POST", "/api/dossiers/{id}/trajecten/{tid}/afronden", []any{f.Participation.ID, 999999}, obj{"resultaat": "Klaar."}, onDossier},
		"planFollowUp":             {"POST", "/api/dossiers/{id}/afspraken", []any{f.Participation.ID}, velden, onDossier},
		"cancelAppointment":        {"POST", "/api/afspraken/{id}/annuleren", []any{ap.ID}, nil, onAppointment},
		"moveAppointment":          {"POST", "/api/afspraken/{id}/verplaatsen", []any{ap.ID}, obj{"volgnummer": 999999, "velden": obj{}}, onAppointment},
		"markAppointment":          {"POST", "/api/afspraken/{id}/status", []any{ap.ID}, obj{"status": "gehouden"}, onAppointment},
		"addSuspension":            {"POST", "/api/aanvragen/{id}/opschortingen", []any{app.ID}, velden, onClient},
		"endSuspension":            {"POST", "/api/aanvragen/{id}/opschortingen/{sid}/einde", []any{app.ID, 999999}, obj{"eind": now.Format("2006-01-02")}, onClient},
		"startStep":                {"POST", "/api/aanvragen/{id}/stappen/{stap}", []any{app.ID, string(process.StepVerzoekAanvulling)}, nil, onStep},
		"listWorklist":             {"GET", "/api/werkvoorraad", nil, nil, onNothing},
		"getTask":                  {"GET", "/api/taken/{id}", []any{task.ID}, nil, onClient},
		"pickUpTask":               {"POST", "/api/taken/{id}/oppakken", []any{task.ID}, obj{"versie": 999999}, onTask},
		"releaseTask":              {"POST", "/api/taken/{id}/vrijgeven", []any{task.ID}, obj{"versie": 999999}, onTask},
		"assignTask":               {"POST", "/api/taken/{id}/toewijzen", []any{task.ID}, obj{"versie": 999999, "medewerker": owner.ID}, onTask},
		"completeTask":             {"POST", "/api/taken/{id}/afronden", []any{task.ID}, obj{"versie": 999999, "velden": obj{}}, onTask},
		"listVoorschotten":         {"GET", "/api/aanvragen/{id}/voorschotten", []any{app.ID}, nil, onClient},
	}

	def := env.Svc.Definition()
	n := 0
	for _, c := range cells {
		token := s.token(t, c.user)
		for op, act := range api.Actions {
			if act == "" {
				continue
			}
			cl, ok := calls[op]
			if !ok {
				t.Errorf("operation %s (%s) has no call in this test", op, act)
				continue
			}
			want := process.Allowed(c.user.Roles, act, c.relation(cl.obj, def, task))
			if cl.obj != onNothing && cl.obj != onSearch && cl.obj != onSubmitted {
				want = want && process.Allowed(c.user.Roles, process.ActSeeClient, c.rel)
			}
			r := s.call(t, token, cl.method, cl.path, cl.body, cl.params...)
			n++
			switch {
			case r.Status == http.StatusUnauthorized || r.Status >= 500:
				t.Errorf("%s as %s (%s): status %d: %s", op, c.user.Username, process.RelationNames[c.rel], r.Status, r.Body)
			case want && r.Status == http.StatusForbidden:
				t.Errorf("%s as %s (%s, %s): forbidden, but the table allows it: %s", op, c.user.Username, process.RelationNames[c.rel], act, r.Body)
			case !want && r.Status != http.StatusForbidden:
				t.Errorf("%s as %s (%s, %s): status %d, but the table forbids it", op, c.user.Username, process.RelationNames[c.rel], act, r.Status)
			}
		}
	}
	t.Logf("%d requests: %d users, %d operations with an action", n, len(cells), n/len(cells))
}
