package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/web"
)

// object is what a route acts on, which decides the relation its action
// is checked in.
type object int

const (
	onNothing     object = iota // worklists, admin pages: relation none
	onClient                    // the client: need-to-know
	onTask                      // the client's open task (start_begeleiding, KM Werk's team)
	onDossier                   // the client's participation dossier: its owner
	onAppointment               // the client's coming appointment: its klantmanager
	onNote                      // a contact moment or note: its author
	onStep                      // a step started by hand on the application: the step's team
	onSearch                    // the client search: the role; each result follows need-to-know
)

// cell is a user in a relation to the fixture client.
type cell struct {
	user casework.User
	rel  process.Relation // to the client (need-to-know)
	// owner: holds the task, owns the dossier, is the appointment's
	// klantmanager and wrote the note.
	owner bool
}

// relation is how the cell stands to the route's object, as the use case
// computes it.
func (c cell) relation(obj object, def *process.Definition, task casework.Task) process.Relation {
	a := casework.Actor{User: c.user}
	switch obj {
	case onClient:
		return c.rel
	case onTask:
		return casework.TaskRelation(def, a, task)
	case onDossier, onAppointment, onNote:
		if c.owner {
			return process.RelOwner
		}
	case onStep:
		st, _ := def.Step(process.StepVerzoekAanvulling)
		return def.TeamRelation(c.user.Roles, 0, 0, st.Team)
	case onSearch:
		return process.RelOwner
	}
	return process.RelNone
}

// TestRoutePermissions enumerates every route of the web interface that
// declares an action × a user of every role in every relation to a real
// client (none: no relation; team: a file opened with a reason, or for
// team leads and Team Ondersteuning the client's open work; owner: the
// klantmanager who holds its task and owns its dossier), plus a user
// without roles: the answer is forbidden (403) exactly when
// process.Allowed says so, for the route's action in the user's relation
// to what it acts on and, for a client's things, for seeing the client.
// A request that is allowed may still be refused for its input (422), a
// stale version (409) or a missing id (404); never 401 or 500.
func TestRoutePermissions(t *testing.T) {
	a := newApp(t)
	env := a.env
	ctx := context.Background()

	// The client: guidance about to start with its KM Werk, who holds the
	// task, owns the dossier and has the introductory appointment.
	app := env.Apply(t)
	task := env.WalkTo(t, app, "", process.StepStartBegeleiding)
	f := env.File(t, app.ClientID)
	owner := env.UserByID(t, task.HolderID)
	if f.Participation == nil || f.Participation.DossierOwner != owner.ID || len(f.Appointments) == 0 {
		t.Fatalf("fixture: participation %+v, %d appointments", f.Participation, len(f.Appointments))
	}
	ap := f.Appointments[len(f.Appointments)-1]
	if ap.KlantmanagerID != owner.ID {
		t.Fatalf("fixture: the appointment's klantmanager is %d, not the owner %d", ap.KlantmanagerID, owner.ID)
	}
	ownerActor := casework.Actor{User: owner}
	note, err := env.Svc.AddNote(ctx, ownerActor, app.ClientID, casework.Values{process.FieldCase: {id(f.Participation.ID)}, process.FieldNote: {"Notitie van de klantmanager."}})
	if err != nil {
		t.Fatal(err)
	}
	now := env.Clock.Now()
	contact, err := env.Svc.AddContact(ctx, ownerActor, app.ClientID, casework.Values{process.FieldCase: {id(f.Participation.ID)},
		process.FieldContactKind: {process.ContactPhone}, process.FieldDirection: {process.DirectionIn}, process.FieldDate: {casework.FormatDate(now)},
		process.FieldTime: {now.In(process.Amsterdam).Add(-time.Hour).Format("15:04")}, process.FieldSummary: {"Klant belde."}})
	if err != nil {
		t.Fatal(err)
	}
	// A follow-up appointment of the owner's, for the cancellation.
	slot := env.Svc.Calendar().OnOrAfter(process.AddDays(now, 15)).Add(15*time.Hour + 15*time.Minute)
	if err := env.Svc.PlanFollowUp(ctx, ownerActor, f.Participation.ID, casework.Values{process.FieldDate: {casework.FormatDate(slot)},
		process.FieldTime: {slot.Format("15:04")}, process.FieldDuration: {"30"}, process.FieldRoom: {"sk3"}}); err != nil {
		t.Fatal(err)
	}
	var extra casework.Appointment
	for _, x := range env.File(t, app.ClientID).Appointments {
		if x.Kind == process.AppointmentVervolg && x.Planned() {
			extra = x
		}
	}
	docs, err := env.Svc.ClientDocuments(ctx, ownerActor, app.ClientID)
	if err != nil || len(docs) == 0 {
		t.Fatalf("fixture documents: %v, %v", docs, err)
	}

	// The users: per role one without relation and one with need-to-know.
	hash := env.Users[process.RolePoortwachter].PasswordHash
	newUser := func(name string, roles ...process.Role) casework.User {
		u := casework.User{Username: name, Name: name, Email: name + "@bar-organisatie.invalid", Roles: roles, PasswordHash: hash, Active: true, CreatedAt: now}
		if err := env.DB.Update(ctx, func(tx casework.Tx) error { return tx.CreateUser(ctx, &u) }); err != nil {
			t.Fatal(err)
		}
		return u
	}
	cells := []cell{{user: owner, rel: process.RelOwner, owner: true}, {user: newUser("zonder-rol"), rel: process.RelNone}}
	for _, r := range process.AllRoles {
		if process.IsSystemRole(r) {
			continue // a system account does not sign in to the web (see the API's test)
		}
		u := newUser("geen-"+string(r), r)
		if r == process.RoleBeheerder {
			u = env.Users[r] // signs in with the authenticator the demo gave it
		}
		rel := process.RelNone
		if process.Steers(u.Roles) || u.Roles.Has(process.RoleKMWerk) {
			// The client has open work, which they steer; the task and the
			// dossier are in the KM Werk's team.
			rel = process.RelTeam
		}
		cells = append(cells, cell{user: u, rel: rel})
		if casework.May(casework.Actor{User: u}, process.ActBreakGlass, process.RelNone) && rel == process.RelNone {
			g := newUser("reden-"+string(r), r)
			if err := env.Svc.OpenWithReason(ctx, casework.Actor{User: g}, app.ClientID, casework.Values{process.FieldReason: {"Vaste reden voor de test van de rechten."}}); err != nil {
				t.Fatal(err)
			}
			cells = append(cells, cell{user: g, rel: process.RelTeam})
		}
	}

	// Every route with an action: its path on the fixture, what it acts
	// on, and a body that cannot change anything a later request depends
	// on (a stale version, an empty form, an unknown id).
	stale := url.Values{"versie": {"999999"}, "volgnummer": {"999999"}, "basis_versie": {"999999"}}
	empty := url.Values{}
	cid, pid, aid, tid := id(app.ClientID), id(f.Participation.ID), id(app.ID), id(task.ID)
	klant := url.Values{"klant": {cid}}
	klantStale := url.Values{"klant": {cid}, "volgnummer": {"999999"}}
	type req struct {
		path string
		obj  object
		body url.Values
	}
	reqs := map[string]req{
		"GET /werkvoorraad":                                   {"/werkvoorraad", onNothing, nil},
		"GET /werkvoorraad/mijn":                              {"/werkvoorraad/mijn", onNothing, nil},
		"POST /instellingen/dagoverzicht":                     {"/instellingen/dagoverzicht", onNothing, empty},
		"GET /taken/{id}":                                     {"/taken/" + tid, onClient, nil},
		"POST /taken/{id}":                                    {"/taken/" + tid, onTask, stale},
		"POST /taken/{id}/brief":                              {"/taken/" + tid + "/brief", onClient, empty},
		"POST /taken/{id}/oppakken":                           {"/taken/" + tid + "/oppakken", onTask, stale},
		"POST /taken/{id}/vrijgeven":                          {"/taken/" + tid + "/vrijgeven", onTask, stale},
		"POST /taken/{id}/toewijzen":                          {"/taken/" + tid + "/toewijzen", onTask, stale},
		"GET /klanten":                                        {"/klanten", onSearch, nil},
		"POST /klanten":                                       {"/klanten", onSearch, url.Values{"zoek": {"Jansen"}}},
		"GET /klanten/{id}":                                   {"/klanten/" + cid, onClient, nil},
		"POST /klanten/{id}/bsn":                              {"/klanten/" + cid + "/bsn", onClient, empty},
		"GET /klanten/{id}/inzage":                            {"/klanten/" + cid + "/inzage", onNothing, nil},
		"POST /klanten/{id}/inzage":                           {"/klanten/" + cid + "/inzage", onNothing, empty},
		"GET /klanten/{id}/contactgegevens":                   {"/klanten/" + cid + "/contactgegevens", onClient, nil},
		"POST /klanten/{id}/contactgegevens":                  {"/klanten/" + cid + "/contactgegevens", onClient, stale},
		"GET /dossiers/{id}/plan":                             {"/dossiers/" + pid + "/plan", onDossier, nil},
		"POST /dossiers/{id}/plan":                            {"/dossiers/" + pid + "/plan", onDossier, stale},
		"POST /dossiers/{id}/plan/afdrukken":                  {"/dossiers/" + pid + "/plan/afdrukken", onDossier, empty},
		"GET /dossiers/{id}/trajecten/nieuw":                  {"/dossiers/" + pid + "/trajecten/nieuw", onDossier, nil},
		"POST /dossiers/{id}/trajecten":                       {"/dossiers/" + pid + "/trajecten", onDossier, empty},
		"GET /dossiers/{id}/trajecten/{tid}/afronden":         {"/dossiers/" + pid + "/trajecten/999999/afronden", onDossier, nil},
		"POST /dossiers/{id}/trajecten/{tid}/afronden":        {"/dossiers/" + pid + "/trajecten/999999/afronden", onDossier, empty},
		"POST /dossiers/{id}/trajecten/{tid}/aanmelden":       {"/dossiers/" + pid + "/trajecten/999999/aanmelden", onDossier, empty},
		"GET /dossiers/{id}/afsluiten":                        {"/dossiers/" + pid + "/afsluiten", onDossier, nil},
		"POST /dossiers/{id}/afsluiten":                       {"/dossiers/" + pid + "/afsluiten", onDossier, stale},
		"GET /dossiers/{id}/aanmeldingen/nieuw":               {"/dossiers/" + pid + "/aanmeldingen/nieuw", onDossier, nil},
		"POST /dossiers/{id}/aanmeldingen":                    {"/dossiers/" + pid + "/aanmeldingen", onDossier, empty},
		"GET /dossiers/{id}/aanmeldingen/{rid}/status":        {"/dossiers/" + pid + "/aanmeldingen/999999/status", onDossier, nil},
		"POST /dossiers/{id}/aanmeldingen/{rid}/status":       {"/dossiers/" + pid + "/aanmeldingen/999999/status", onDossier, stale},
		"GET /dossiers/{id}/afspraken/nieuw":                  {"/dossiers/" + pid + "/afspraken/nieuw", onDossier, nil},
		"POST /dossiers/{id}/afspraken":                       {"/dossiers/" + pid + "/afspraken", onDossier, empty},
		"POST /afspraken/{id}/annuleren":                      {"/afspraken/" + id(extra.ID) + "/annuleren", onAppointment, klant},
		"POST /afspraken/{id}/status":                         {"/afspraken/" + id(ap.ID) + "/status", onAppointment, klant},
		"GET /afspraken/{id}/verplaatsen":                     {"/afspraken/" + id(ap.ID) + "/verplaatsen?klant=" + cid, onAppointment, nil},
		"POST /afspraken/{id}/verplaatsen":                    {"/afspraken/" + id(ap.ID) + "/verplaatsen", onAppointment, klantStale},
		"GET /dossiers/mijn":                                  {"/dossiers/mijn", onNothing, nil},
		"GET /dossiers/team":                                  {"/dossiers/team", onNothing, nil},
		"POST /dossiers/overdragen":                           {"/dossiers/overdragen", onNothing, empty},
		"GET /klanten/{id}/contactmomenten/nieuw":             {"/klanten/" + cid + "/contactmomenten/nieuw", onClient, nil},
		"POST /klanten/{id}/contactmomenten":                  {"/klanten/" + cid + "/contactmomenten", onClient, empty},
		"GET /klanten/{id}/contactmomenten/{cid}/wijzigen":    {"/klanten/" + cid + "/contactmomenten/" + id(contact.ID) + "/wijzigen", onNote, nil},
		"POST /klanten/{id}/contactmomenten/{cid}/wijzigen":   {"/klanten/" + cid + "/contactmomenten/" + id(contact.ID) + "/wijzigen", onNote, stale},
		"GET /klanten/{id}/notities/nieuw":                    {"/klanten/" + cid + "/notities/nieuw", onClient, nil},
		"POST /klanten/{id}/notities":                         {"/klanten/" + cid + "/notities", onClient, empty},
		"GET /klanten/{id}/notities/{nid}/wijzigen":           {"/klanten/" + cid + "/notities/" + id(note.ID) + "/wijzigen", onNote, nil},
		"POST /klanten/{id}/notities/{nid}/wijzigen":          {"/klanten/" + cid + "/notities/" + id(note.ID) + "/wijzigen", onNote, stale},
		"GET /klanten/{id}/documenten/{did}":                  {"/klanten/" + cid + "/documenten/" + id(docs[0].ID), onClient, nil},
		"GET /klanten/{id}/documenten/nieuw":                  {"/klanten/" + cid + "/documenten/nieuw", onClient, nil},
		"POST /klanten/{id}/documenten":                       {"/klanten/" + cid + "/documenten", onClient, empty},
		"GET /klanten/{id}/brieven/nieuw":                     {"/klanten/" + cid + "/brieven/nieuw", onClient, nil},
		"POST /klanten/{id}/brieven":                          {"/klanten/" + cid + "/brieven", onClient, empty},
		"GET /aanvragen/nieuw":                                {"/aanvragen/nieuw", onNothing, nil},
		"POST /aanvragen":                                     {"/aanvragen", onNothing, empty},
		"GET /meldingen/nieuw":                                {"/meldingen/nieuw", onNothing, nil},
		"POST /meldingen":                                     {"/meldingen", onNothing, empty},
		"GET /aanvragen/{id}/opschortingen/nieuw":             {"/aanvragen/" + aid + "/opschortingen/nieuw", onClient, nil},
		"POST /aanvragen/{id}/opschortingen":                  {"/aanvragen/" + aid + "/opschortingen", onClient, empty},
		"GET /aanvragen/{id}/opschortingen/{sid}/beeindigen":  {"/aanvragen/" + aid + "/opschortingen/999999/beeindigen", onClient, nil},
		"POST /aanvragen/{id}/opschortingen/{sid}/beeindigen": {"/aanvragen/" + aid + "/opschortingen/999999/beeindigen", onClient, empty},
		"POST /aanvragen/{id}/stappen/{stap}":                 {"/aanvragen/" + aid + "/stappen/" + string(process.StepVerzoekAanvulling), onStep, empty},
		"GET /overzicht":                                      {"/overzicht", onNothing, nil},
		"GET /uitgaand":                                       {"/uitgaand", onNothing, nil},
		"POST /uitgaand/{id}/opnieuw":                         {"/uitgaand/999999/opnieuw", onNothing, empty},
		"GET /beheer/gebruikers":                              {"/beheer/gebruikers", onNothing, nil},
		"POST /beheer/gebruikers":                             {"/beheer/gebruikers", onNothing, empty},
		"POST /beheer/gebruikers/{id}/activeren":              {"/beheer/gebruikers/999999/activeren", onNothing, empty},
		"POST /beheer/gebruikers/{id}/deactiveren":            {"/beheer/gebruikers/999999/deactiveren", onNothing, empty},
		"GET /beheer/sleutels":                                {"/beheer/sleutels", onNothing, nil},
		"POST /beheer/sleutels":                               {"/beheer/sleutels", onNothing, empty},
		"POST /beheer/sleutels/{id}/intrekken":                {"/beheer/sleutels/999999/intrekken", onNothing, empty},
		"GET /beheer/brieven":                                 {"/beheer/brieven", onNothing, nil},
		"GET /beheer/brieven/{key}":                           {"/beheer/brieven/" + string(process.LetterOntvangst), onNothing, nil},
		"GET /beheer/brieven/{key}/pdf":                       {"/beheer/brieven/" + string(process.LetterOntvangst) + "/pdf", onNothing, nil},
	}

	// Retention, data subject rights and sign-in administration.
	for pattern, rq := range map[string]req{
		"GET /klanten/{id}/corrigeren":                        {"/klanten/" + cid + "/corrigeren", onClient, nil},
		"POST /klanten/{id}/corrigeren":                       {"/klanten/" + cid + "/corrigeren", onClient, stale},
		"POST /beheer/gebruikers/{id}/authenticator-resetten": {"/beheer/gebruikers/999999/authenticator-resetten", onNothing, empty},
		"GET /beheer/vernietiging":                            {"/beheer/vernietiging", onNothing, nil},
		"POST /beheer/vernietiging":                           {"/beheer/vernietiging", onNothing, empty},
		"GET /beheer/vernietiging/{id}":                       {"/beheer/vernietiging/999999", onNothing, nil},
		"POST /beheer/vernietiging/{id}/goedkeuren":           {"/beheer/vernietiging/999999/goedkeuren", onNothing, empty},
		"POST /beheer/vernietiging/{id}/intrekken":            {"/beheer/vernietiging/999999/intrekken", onNothing, empty},
		"GET /beheer/vernietiging/{id}/verslag":               {"/beheer/vernietiging/999999/verslag", onNothing, nil},
		"GET /beheer/inzage":                                  {"/beheer/inzage", onNothing, nil},
		"POST /beheer/inzage":                                 {"/beheer/inzage", onNothing, empty},
		"GET /beheer/audit":                                   {"/beheer/audit", onNothing, nil},
		"GET /beheer/audit.csv":                               {"/beheer/audit.csv", onNothing, nil},
		"GET /beheer/verwerkingen":                            {"/beheer/verwerkingen", onNothing, nil},
	} {
		reqs[pattern] = rq
	}

	def := env.Svc.Definition()
	checked := 0
	for _, c := range cells {
		b := a.login(c.user.Username)
		for _, rt := range web.RouteTable() {
			if rt.Act == "" {
				continue
			}
			rq, ok := reqs[rt.Pattern]
			if !ok {
				t.Errorf("route %s (%s) has no request in this test", rt.Pattern, rt.Act)
				continue
			}
			method, _, _ := strings.Cut(rt.Pattern, " ")
			roles := c.user.Roles
			want := process.Allowed(roles, rt.Act, c.relation(rq.obj, def, task))
			if rq.obj != onNothing && rq.obj != onSearch { // a client's things: need-to-know first
				want = want && process.Allowed(roles, process.ActSeeClient, c.rel)
			}
			var p page
			if method == http.MethodGet {
				p = b.get(rq.path)
			} else {
				p = b.post(rq.path, rq.body)
			}
			checked++
			switch got := p.status; {
			case got == http.StatusInternalServerError || got == http.StatusUnauthorized:
				t.Errorf("%s as %s (%s): status %d", rt.Pattern, c.user.Username, process.RelationNames[c.rel], got)
			case want && got == http.StatusForbidden:
				t.Errorf("%s as %s (%s, %s): forbidden, but the table allows it: %s", rt.Pattern, c.user.Username, process.RelationNames[c.rel], rt.Act, p.text("h1"))
			case !want && got != http.StatusForbidden:
				t.Errorf("%s as %s (%s, %s): status %d, but the table forbids it", rt.Pattern, c.user.Username, process.RelationNames[c.rel], rt.Act, got)
			}
		}
	}
	t.Logf("%d requests: %d routes with an action × %d users", checked, checked/len(cells), len(cells))
}
