package store_test

import (
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/store"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// ClientAccess finds each fact of need-to-know, for this user and this
// client only; grants are append-only and listed by the day they were given.
func TestClientAccess(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		kim := newUser(t, db, "kim", "Kim", process.RoleKMWerkdiagnose)
		pim := newUser(t, db, "pim", "Pim", process.RolePoortwachter)
		cl := newClient(t, db, "111222333", "Jan", "Jansen")
		other := newClient(t, db, "", "Piet", "de Vries")
		app := newCase(t, db, cl.ID, process.CaseAanvraag, 0)

		ask := func(q casework.AccessQuery) casework.ClientAccess {
			t.Helper()
			if q.Now.IsZero() {
				q.Now = at(10)
			}
			var a casework.ClientAccess
			view(t, db, func(tx casework.Tx) error {
				var err error
				a, err = tx.ClientAccess(ctx, q)
				return err
			})
			return a
		}
		kimQ := func(clientID int64) casework.AccessQuery {
			return casework.AccessQuery{ClientID: clientID, UserID: kim.ID, Teams: []string{process.TeamWerkdiagnose},
				TeamRoles: []process.Role{process.RoleKMWerkdiagnose}, WorkedSince: at(5)}
		}

		// An open application counts as open work; nothing else yet.
		if got := ask(kimQ(cl.ID)); got != (casework.ClientAccess{OpenWork: true}) {
			t.Errorf("open application only: %+v", got)
		}
		if got := ask(kimQ(other.ID)); got != (casework.ClientAccess{}) {
			t.Errorf("client without anything: %+v", got)
		}

		// An open task on the Poort's worklist: team work for the Poort, not for Kim.
		task := newTask(t, db, casework.Task{ApplicationID: app.ID, CaseID: app.ID, ClientID: cl.ID, Team: process.TeamPoort, CreatedAt: at(1)})
		pimQ := casework.AccessQuery{ClientID: cl.ID, UserID: pim.ID, Teams: []string{process.TeamPoort}, TeamRoles: []process.Role{process.RolePoortwachter}}
		if got := ask(pimQ); !got.TeamWork || got.Holds {
			t.Errorf("poort task for the poort: %+v", got)
		}
		if got := ask(kimQ(cl.ID)); got.TeamWork {
			t.Errorf("poort task for kim: %+v", got)
		}
		// Held by Pim: Pim holds something of the client.
		task.HolderID = pim.ID
		update(t, db, func(tx casework.Tx) error { return tx.UpdateTask(ctx, &task) })
		if got := ask(pimQ); !got.Holds {
			t.Errorf("held task: %+v", got)
		}

		// An open dossier owned by a colleague of Kim's team is in Kim's
		// team; owned by Kim, Kim holds it.
		lisa := newUser(t, db, "lisa", "Lisa", process.RoleKMWerkdiagnose, process.RoleAG)
		part := newCase(t, db, cl.ID, process.CaseParticipatie, app.ID)
		part.DossierOwner = lisa.ID
		update(t, db, func(tx casework.Tx) error { return tx.UpdateCase(ctx, &part) })
		if got := ask(kimQ(cl.ID)); !got.TeamWork || got.Holds {
			t.Errorf("colleague's dossier: %+v", got)
		}
		agQ := kimQ(cl.ID)
		agQ.Teams, agQ.TeamRoles = []string{process.TeamWerk}, []process.Role{process.RoleKMWerk}
		if got := ask(agQ); got.TeamWork {
			t.Errorf("dossier of another team: %+v", got)
		}
		part.DossierOwner = kim.ID
		update(t, db, func(tx casework.Tx) error { return tx.UpdateCase(ctx, &part) })
		if got := ask(kimQ(cl.ID)); !got.Holds {
			t.Errorf("own dossier: %+v", got)
		}

		// Worked on: a history line of the user since WorkedSince, not a
		// BSN shown or a file opened with a reason; a step record too.
		for _, e := range []casework.Event{
			{ClientID: other.ID, Kind: "inzage", ActorID: kim.ID, At: at(6)},
			{ClientID: other.ID, Kind: "inzage_met_reden", ActorID: kim.ID, At: at(6)},
			{ClientID: other.ID, Kind: "notitie", ActorID: kim.ID, At: at(4)}, // too long ago
			{ClientID: other.ID, Kind: "notitie", ActorID: pim.ID, At: at(6)}, // someone else
		} {
			update(t, db, func(tx casework.Tx) error { return tx.AppendEvent(ctx, &e) })
		}
		if got := ask(kimQ(other.ID)); got.Worked {
			t.Errorf("looking or old work counts as work: %+v", got)
		}
		update(t, db, func(tx casework.Tx) error {
			return tx.AppendEvent(ctx, &casework.Event{ClientID: other.ID, Kind: "notitie", ActorID: kim.ID, At: at(6)})
		})
		if got := ask(kimQ(other.ID)); !got.Worked {
			t.Errorf("a note of kim's: %+v", got)
		}
		otherApp := newCase(t, db, other.ID, process.CaseAanvraag, 0)
		update(t, db, func(tx casework.Tx) error {
			return tx.AddStepRecord(ctx, &casework.StepRecord{ApplicationID: otherApp.ID, CaseID: otherApp.ID, Step: process.StepIntakeGesprek,
				ActorID: pim.ID, At: at(7)})
		})
		if got := ask(casework.AccessQuery{ClientID: other.ID, UserID: pim.ID, WorkedSince: at(5)}); !got.Worked {
			t.Errorf("a step record of pim's: %+v", got)
		}
		if got := ask(casework.AccessQuery{ClientID: other.ID, UserID: pim.ID}); got.Worked {
			t.Errorf("worked without a window: %+v", got)
		}

		// Submitted: history on the case asked about.
		if got := ask(casework.AccessQuery{ClientID: cl.ID, UserID: pim.ID, CaseID: app.ID}); got.Submitted {
			t.Errorf("submitted without history: %+v", got)
		}
		update(t, db, func(tx casework.Tx) error {
			return tx.AppendEvent(ctx, &casework.Event{ClientID: cl.ID, CaseID: app.ID, Kind: "aanvraag", ActorID: pim.ID, At: at(1)})
		})
		if got := ask(casework.AccessQuery{ClientID: cl.ID, UserID: pim.ID, CaseID: app.ID}); !got.Submitted {
			t.Errorf("submitted: %+v", got)
		}

		// A grant counts until it ends, for its user and client only.
		g := casework.AccessGrant{UserID: pim.ID, ClientID: other.ID, Reason: "Klant belt, eigen klantmanager afwezig.", GrantedAt: at(8), ValidUntil: at(12)}
		update(t, db, func(tx casework.Tx) error { return tx.AddAccessGrant(ctx, &g) })
		if g.ID == 0 {
			t.Fatal("grant has no id")
		}
		q := casework.AccessQuery{ClientID: other.ID, UserID: pim.ID}
		if got := ask(q); !got.Grant {
			t.Errorf("valid grant: %+v", got)
		}
		q.Now = at(12)
		if got := ask(q); got.Grant {
			t.Errorf("ended grant: %+v", got)
		}
		if got := ask(casework.AccessQuery{ClientID: other.ID, UserID: kim.ID, Now: at(9)}); got.Grant {
			t.Errorf("another user's grant: %+v", got)
		}
		view(t, db, func(tx casework.Tx) error {
			gs, err := tx.AccessGrants(ctx, at(8), at(9))
			must(t, err)
			if len(gs) != 1 || gs[0].ID != g.ID || gs[0].UserName != "Pim" || !gs[0].UserRoles.Has(process.RolePoortwachter) ||
				gs[0].Reason != g.Reason || !gs[0].ValidUntil.Equal(stored(at(12))) {
				t.Errorf("grants of the day: %+v", gs)
			}
			gs, err = tx.AccessGrants(ctx, at(9), at(20))
			must(t, err)
			if len(gs) != 0 {
				t.Errorf("grants after: %+v", gs)
			}
			return nil
		})
		for _, q := range []string{`UPDATE access_grants SET reason = 'x'`, `DELETE FROM access_grants`} {
			_, err := db.SQL().ExecContext(ctx, q)
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: got %v, want an append-only error", q, err)
			}
		}
	})
}

// Migration 00016 gives a system account that held Ondersteuner
// Poortwachter the role eformulier, and leaves people alone.
func TestMigrateSystemRole(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			db := storetest.Empty(t, engine)
			must(t, db.MigrateTo(ctx, 15))
			// Users as the schema of 00015 has them.
			isSystem := map[string]string{"sqlite": "1", "postgres": "true"}[engine]
			for _, q := range []string{
				`INSERT INTO users (username, name, roles, is_system, created_at) VALUES ('eformulier', 'E-formulieren', 'ondersteuner_poortwachter', ` + isSystem + `, CURRENT_TIMESTAMP)`,
				`INSERT INTO users (username, name, roles, created_at) VALUES ('sanne', 'Sanne', 'ondersteuner_poortwachter', CURRENT_TIMESTAMP)`,
			} {
				_, err := db.SQL().ExecContext(ctx, q)
				must(t, err)
			}
			must(t, db.MigrateTo(ctx, 16))
			roles := func(username string) string {
				var r string
				must(t, db.SQL().QueryRowContext(ctx, `SELECT roles FROM users WHERE username = '`+username+`'`).Scan(&r))
				return r
			}
			if got := roles("eformulier"); got != string(process.RoleEFormulier) {
				t.Errorf("system account roles after 00016: %q", got)
			}
			if got := roles("sanne"); got != string(process.RoleOndersteunerPoortwachter) {
				t.Errorf("desk roles after 00016: %q", got)
			}
		})
	}
}
