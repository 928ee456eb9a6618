package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/store"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// The same suite runs on SQLite and PostgreSQL, on schemas built by the
// real migrations.

var ctx = context.Background()

// t0 is a moment with nanoseconds, one minute before the switch to summer
// time in Amsterdam (2026-03-29 02:00 CET).
var t0 = time.Date(2026, 3, 29, 0, 59, 0, 123456789, time.UTC)

// at returns t0 plus n hours.
func at(n int) time.Time { return t0.Add(time.Duration(n) * time.Hour) }

// stored is how a timestamp comes back: UTC, microsecond precision.
func stored(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// day is a calendar date as the domain passes it: midnight in Amsterdam.
func day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, process.Amsterdam)
}

// same fails unless got and want print the same (times print with zone).
func same(t *testing.T, what string, got, want any) {
	t.Helper()
	if g, w := fmt.Sprintf("%+v", got), fmt.Sprintf("%+v", want); g != w {
		t.Errorf("%s:\n got  %s\n want %s", what, g, w)
	}
}

func update(t *testing.T, db *store.DB, fn func(casework.Tx) error) {
	t.Helper()
	if err := db.Update(ctx, fn); err != nil {
		t.Fatalf("update: %v", err)
	}
}

func view(t *testing.T, db *store.DB, fn func(casework.Tx) error) {
	t.Helper()
	if err := db.View(ctx, fn); err != nil {
		t.Fatalf("view: %v", err)
	}
}

// must fails the test on err.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantNotFound(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, casework.ErrNotFound) {
		t.Errorf("%s: got %v, want ErrNotFound", what, err)
	}
}

func wantStale(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, casework.ErrStale) {
		t.Errorf("%s: got %v, want ErrStale", what, err)
	}
}

func wantDuplicate(t *testing.T, what string, err error, which string) {
	t.Helper()
	var dup casework.ErrDuplicate
	if !errors.As(err, &dup) || dup.Which != which {
		t.Errorf("%s: got %v, want ErrDuplicate(%q)", what, err, which)
	}
}

// Fixtures.

func newUser(t *testing.T, db *store.DB, username, name string, roles ...process.Role) casework.User {
	t.Helper()
	u := casework.User{Username: username, Name: name, Email: username + "@example.nl", Roles: roles,
		PasswordHash: "hash-" + username, Active: true, CreatedAt: at(0)}
	update(t, db, func(tx casework.Tx) error { return tx.CreateUser(ctx, &u) })
	return u
}

func newClient(t *testing.T, db *store.DB, bsn, given, family string) casework.Client {
	t.Helper()
	c := casework.Client{BSN: bsn, GivenName: given, FamilyName: family, BirthDate: day(1990, 5, 17), CreatedAt: at(0)}
	update(t, db, func(tx casework.Tx) error { return tx.CreateClient(ctx, &c) })
	return c
}

func newCase(t *testing.T, db *store.DB, clientID int64, kind process.CaseKind, applicationID int64) casework.Case {
	t.Helper()
	c := casework.Case{ClientID: clientID, Kind: kind, Code: "0/L2", Worklist: "445", Status: process.StatusInBehandeling,
		ApplicationID: applicationID, AppliedOn: day(2026, 3, 2), OpenedAt: at(0)}
	if kind == process.CaseParticipatie {
		c.Code, c.Status = "17/PA", process.StatusWerkdiagnose
	}
	update(t, db, func(tx casework.Tx) error { return tx.CreateCase(ctx, &c) })
	return c
}

func newTask(t *testing.T, db *store.DB, k casework.Task) casework.Task {
	t.Helper()
	if k.Status == "" {
		k.Status = casework.TaskOpen
	}
	if k.Step == "" {
		k.Step = process.StepIntakeGesprek
	}
	update(t, db, func(tx casework.Tx) error { return tx.CreateTask(ctx, &k) })
	return k
}

func TestOpen(t *testing.T) {
	t.Run("sqlite in a missing directory", func(t *testing.T) {
		_, err := store.Open(ctx, filepath.Join(t.TempDir(), "missing", "x.db"))
		if err == nil || !strings.Contains(err.Error(), "not reachable") {
			t.Errorf("got %v, want a not-reachable error", err)
		}
	})
	t.Run("postgres without a server", func(t *testing.T) {
		_, err := store.Open(ctx, "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
		if err == nil || !strings.Contains(err.Error(), "not reachable") {
			t.Errorf("got %v, want a not-reachable error", err)
		}
	})
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		must(t, db.Ping(ctx))
		if want := t.Name()[strings.LastIndex(t.Name(), "/")+1:]; db.Engine() != want {
			t.Errorf("Engine() = %q, want %q", db.Engine(), want)
		}
	})
}

func TestMigrate(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		// Running again applies nothing and fails nothing.
		must(t, db.Migrate(ctx))
		var version int64
		must(t, db.SQL().QueryRowContext(ctx, `SELECT MAX(version_id) FROM goose_db_version`).Scan(&version))
		if want := lastMigration(t, db.Engine()); version != want {
			t.Errorf("goose version = %d, want %d (the last migration)", version, want)
		}
		// River's tables are migrated with ours, in the same schema.
		var jobs int
		must(t, db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM river_job`).Scan(&jobs))
		if jobs != 0 {
			t.Errorf("fresh database has %d jobs", jobs)
		}
		if db.Engine() == "postgres" {
			// goose's table lands in the test's own schema, not in public.
			var schema string
			must(t, db.SQL().QueryRowContext(ctx, `SELECT schemaname FROM pg_tables
				WHERE tablename = 'goose_db_version' AND schemaname = current_schema()`).Scan(&schema))
			if !strings.HasPrefix(schema, "t_") {
				t.Errorf("goose_db_version in schema %q, want the test schema", schema)
			}
		}
	})
}

// TestTimeColumns checks that the drivers hand back time.Time for
// timestamp and date columns, which the SQLite column types make happen.
func TestTimeColumns(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		newClient(t, db, "111222333", "Jan", "Jansen")
		var created, birth any
		must(t, db.SQL().QueryRowContext(ctx, `SELECT created_at, birth_date FROM clients`).Scan(&created, &birth))
		if _, ok := created.(time.Time); !ok {
			t.Errorf("created_at scans as %T, want time.Time", created)
		}
		if _, ok := birth.(time.Time); !ok {
			t.Errorf("birth_date scans as %T, want time.Time", birth)
		}
	})
}

func TestUsers(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		u := casework.User{Username: "anna", Name: "Anna de Boer", Email: "anna@example.nl",
			Roles:        process.Roles{process.RolePoortwachter, process.RoleKMWerk},
			PasswordHash: "$argon2id$x", Active: true, CreatedAt: t0}
		sys := casework.User{Username: "eform", Name: "E-formulier", System: true}
		update(t, db, func(tx casework.Tx) error {
			must(t, tx.CreateUser(ctx, &u))
			return tx.CreateUser(ctx, &sys)
		})
		if u.ID == 0 || sys.ID == 0 || u.ID == sys.ID {
			t.Fatalf("ids %d, %d", u.ID, sys.ID)
		}
		if sys.CreatedAt.IsZero() {
			t.Error("CreatedAt not filled in")
		}
		want := u
		want.CreatedAt = stored(t0)
		view(t, db, func(tx casework.Tx) error {
			got, err := tx.UserByID(ctx, u.ID)
			must(t, err)
			same(t, "by id", got, want)
			got, err = tx.UserByUsername(ctx, "eform")
			must(t, err)
			if !got.System || got.Active || got.Roles != nil {
				t.Errorf("system user: %+v", got)
			}
			list, err := tx.ListUsers(ctx)
			must(t, err)
			if len(list) != 2 || list[0].Username != "anna" || list[1].Username != "eform" {
				t.Errorf("ListUsers: %+v", list)
			}
			_, err = tx.UserByID(ctx, 999)
			wantNotFound(t, "UserByID", err)
			_, err = tx.UserByUsername(ctx, "nobody")
			wantNotFound(t, "UserByUsername", err)
			return nil
		})

		u.Name, u.Roles, u.Active = "Anna Bakker", process.Roles{process.RoleBeheerder}, false
		update(t, db, func(tx casework.Tx) error { return tx.UpdateUser(ctx, u) })
		view(t, db, func(tx casework.Tx) error {
			got, err := tx.UserByID(ctx, u.ID)
			must(t, err)
			if got.Name != "Anna Bakker" || got.Active || len(got.Roles) != 1 || got.Roles[0] != process.RoleBeheerder {
				t.Errorf("after update: %+v", got)
			}
			return nil
		})

		err := db.Update(ctx, func(tx casework.Tx) error {
			return tx.CreateUser(ctx, &casework.User{Username: "anna"})
		})
		wantDuplicate(t, "create", err, "username")
		sys.Username = "anna"
		err = db.Update(ctx, func(tx casework.Tx) error { return tx.UpdateUser(ctx, sys) })
		wantDuplicate(t, "update", err, "username")
		err = db.Update(ctx, func(tx casework.Tx) error { return tx.UpdateUser(ctx, casework.User{ID: 999, Username: "x"}) })
		wantNotFound(t, "UpdateUser", err)
	})
}

func TestTokens(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		admin := newUser(t, db, "admin", "Beheer")
		eform := newUser(t, db, "eform", "E-formulier")
		k := casework.APIToken{UserID: eform.ID, Name: "portaal", Prefix: "wd_ab12", Hash: "deadbeef",
			CreatedBy: admin.ID, CreatedAt: at(1)}
		k2 := casework.APIToken{UserID: eform.ID, Name: "test", Prefix: "wd_cd34", Hash: "cafebabe", CreatedAt: at(2)}
		update(t, db, func(tx casework.Tx) error {
			must(t, tx.CreateToken(ctx, &k))
			return tx.CreateToken(ctx, &k2)
		})
		want := k
		want.CreatedAt, want.UserName = stored(at(1)), "E-formulier"
		view(t, db, func(tx casework.Tx) error {
			got, err := tx.TokenByHash(ctx, "deadbeef")
			must(t, err)
			same(t, "by hash", got, want)
			_, err = tx.TokenByHash(ctx, "nope")
			wantNotFound(t, "TokenByHash", err)
			list, err := tx.ListTokens(ctx)
			must(t, err)
			if len(list) != 2 || list[0].ID != k2.ID || list[1].UserName != "E-formulier" {
				t.Errorf("ListTokens (newest first): %+v", list)
			}
			return nil
		})
		update(t, db, func(tx casework.Tx) error {
			must(t, tx.TouchToken(ctx, k.ID, at(3)))
			must(t, tx.RevokeToken(ctx, k.ID, at(4)))
			return tx.RevokeToken(ctx, k.ID, at(5)) // keeps the first revocation
		})
		view(t, db, func(tx casework.Tx) error {
			got, err := tx.TokenByHash(ctx, "deadbeef")
			must(t, err)
			if !got.LastUsedAt.Equal(stored(at(3))) || !got.RevokedAt.Equal(stored(at(4))) {
				t.Errorf("after touch and revoke: %+v", got)
			}
			return nil
		})
		err := db.Update(ctx, func(tx casework.Tx) error {
			return tx.CreateToken(ctx, &casework.APIToken{UserID: eform.ID, Hash: "cafebabe"})
		})
		wantDuplicate(t, "create", err, "token")
		wantNotFound(t, "RevokeToken", db.Update(ctx, func(tx casework.Tx) error { return tx.RevokeToken(ctx, 999, t0) }))
		wantNotFound(t, "TouchToken", db.Update(ctx, func(tx casework.Tx) error { return tx.TouchToken(ctx, 999, t0) }))
	})
}

func TestDefinitions(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		update(t, db, func(tx casework.Tx) error {
			must(t, tx.SaveDefinition(ctx, "v1", []byte(`{"steps":[]}`)))
			return tx.SaveDefinition(ctx, "v1", []byte(`other`)) // a version is stored once
		})
		view(t, db, func(tx casework.Tx) error {
			body, err := tx.DefinitionBody(ctx, "v1")
			must(t, err)
			if string(body) != `{"steps":[]}` {
				t.Errorf("body = %q", body)
			}
			_, err = tx.DefinitionBody(ctx, "v2")
			wantNotFound(t, "DefinitionBody", err)
			return nil
		})
	})
}

func TestClients(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		c := casework.Client{BSN: "123456782", GivenName: "Jan", FamilyName: "Jansen", BirthDate: day(1960, 3, 29),
			Email: "jan@example.nl", Phone: "0612345678", Address: "Dorpsstraat 1\n1234 AB Ergens", CreatedAt: t0}
		noBSN1 := casework.Client{GivenName: "Piet", FamilyName: "de Vries"}
		noBSN2 := casework.Client{GivenName: "Karel", FamilyName: "Appel_100%"}
		update(t, db, func(tx casework.Tx) error {
			must(t, tx.CreateClient(ctx, &c))
			must(t, tx.CreateClient(ctx, &noBSN1)) // empty BSNs do not collide
			return tx.CreateClient(ctx, &noBSN2)
		})
		want := c
		want.CreatedAt = stored(t0)
		view(t, db, func(tx casework.Tx) error {
			got, err := tx.ClientByID(ctx, c.ID)
			must(t, err)
			same(t, "by id", got, want)
			got, err = tx.ClientByBSN(ctx, "123456782")
			must(t, err)
			same(t, "by bsn", got, want)
			got, err = tx.ClientByID(ctx, noBSN1.ID)
			must(t, err)
			if got.BSN != "" || !got.BirthDate.IsZero() {
				t.Errorf("client without bsn and birth date: %+v", got)
			}
			_, err = tx.ClientByID(ctx, 999)
			wantNotFound(t, "ClientByID", err)
			_, err = tx.ClientByBSN(ctx, "999999999")
			wantNotFound(t, "ClientByBSN", err)

			for _, tc := range []struct {
				q    string
				want []int64
			}{
				{"jan", []int64{c.ID}},
				{"JANSEN", []int64{c.ID}},
				{"an", nil}, // names are searched by the beginnings of their words
				{"de vr", []int64{noBSN1.ID}},
				{"piet de", []int64{noBSN1.ID}},
				{"appel_100%", []int64{noBSN2.ID}},
				{"appel%", nil}, // wildcards match literally
				{"a_", nil},
				{"x%y", nil},
				{"", []int64{noBSN2.ID, noBSN1.ID, c.ID}}, // by family name
			} {
				list, err := tx.SearchClients(ctx, tc.q, 10)
				must(t, err)
				var ids []int64
				for _, x := range list {
					ids = append(ids, x.ID)
				}
				if fmt.Sprint(ids) != fmt.Sprint(tc.want) {
					t.Errorf("SearchClients(%q) = %v, want %v", tc.q, ids, tc.want)
				}
			}
			list, err := tx.SearchClients(ctx, "", 2)
			must(t, err)
			if len(list) != 2 {
				t.Errorf("limit 2: got %d", len(list))
			}
			return nil
		})

		c.GivenName, c.BirthDate = "Johannes", day(1960, 10, 25)
		c.Contact, c.ContactPerson = "post", "Tolk Arabisch\nbewindvoerder mw. X, 06-12345678"
		stale := c
		update(t, db, func(tx casework.Tx) error { return tx.UpdateClient(ctx, &c) })
		if c.Version != 2 {
			t.Errorf("version after update = %d, want 2", c.Version)
		}
		view(t, db, func(tx casework.Tx) error {
			got, err := tx.ClientByID(ctx, c.ID)
			must(t, err)
			if got.GivenName != "Johannes" || !got.BirthDate.Equal(day(1960, 10, 25)) || got.Contact != "post" ||
				got.ContactPerson != c.ContactPerson || got.Version != 2 {
				t.Errorf("after update: %+v", got)
			}
			return nil
		})
		// A change based on the version before is stale, and writes nothing.
		stale.Phone = "010-1234567"
		wantStale(t, "UpdateClient", db.Update(ctx, func(tx casework.Tx) error { return tx.UpdateClient(ctx, &stale) }))
		err := db.Update(ctx, func(tx casework.Tx) error {
			return tx.CreateClient(ctx, &casework.Client{BSN: "123456782"})
		})
		wantDuplicate(t, "create", err, "bsn")
		noBSN1.BSN = "123456782"
		wantDuplicate(t, "update", db.Update(ctx, func(tx casework.Tx) error { return tx.UpdateClient(ctx, &noBSN1) }), "bsn")
		wantNotFound(t, "UpdateClient", db.Update(ctx, func(tx casework.Tx) error {
			return tx.UpdateClient(ctx, &casework.Client{ID: 999, Version: 1})
		}))
	})
}

// TestDates checks a date comes back as the same calendar day, at midnight
// in Amsterdam, whatever the time of day and zone it was passed in.
func TestDates(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		for _, tc := range []struct {
			in   time.Time
			want time.Time
		}{
			{day(2026, 3, 29), day(2026, 3, 29)},                                      // summer time starts
			{day(2026, 10, 25), day(2026, 10, 25)},                                    // winter time starts
			{day(1950, 1, 1), day(1950, 1, 1)},                                        // long ago
			{day(2026, 12, 31), day(2026, 12, 31)},                                    // year end
			{time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC), day(2026, 3, 29)},          // UTC midnight
			{time.Date(2026, 3, 28, 23, 30, 0, 0, time.UTC), day(2026, 3, 29)},        // already the 29th in Amsterdam
			{time.Date(2026, 7, 1, 23, 59, 0, 0, process.Amsterdam), day(2026, 7, 1)}, // late evening
		} {
			c := casework.Client{GivenName: "D", BirthDate: tc.in}
			update(t, db, func(tx casework.Tx) error { return tx.CreateClient(ctx, &c) })
			view(t, db, func(tx casework.Tx) error {
				got, err := tx.ClientByID(ctx, c.ID)
				must(t, err)
				if !got.BirthDate.Equal(tc.want) || got.BirthDate.Location() != process.Amsterdam {
					t.Errorf("date %v came back as %v, want %v", tc.in, got.BirthDate, tc.want)
				}
				return nil
			})
		}
	})
}

func TestCases(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		km := newUser(t, db, "km", "Karin Mol")
		cl := newClient(t, db, "111222333", "Jan", "Jansen")
		app := casework.Case{ClientID: cl.ID, Kind: process.CaseAanvraag, Code: "0/L2", Worklist: "445",
			Status: process.StatusInBehandeling, DefinitionVersion: "abc123", Channel: "digitaal",
			AppliedOn: day(2026, 3, 2), ReportedOn: day(2026, 2, 27), TargetGroup: "regulier",
			DecisionDue: day(2026, 4, 27), OpenedAt: t0}
		update(t, db, func(tx casework.Tx) error { return tx.CreateCase(ctx, &app) })
		if app.ID == 0 || app.Version != 1 {
			t.Fatalf("created: id %d version %d", app.ID, app.Version)
		}
		want := app
		want.OpenedAt = stored(t0)
		view(t, db, func(tx casework.Tx) error {
			got, err := tx.CaseByID(ctx, app.ID)
			must(t, err)
			same(t, "by id", got, want)
			got, err = tx.OpenApplication(ctx, cl.ID)
			must(t, err)
			same(t, "open application", got, want)
			_, err = tx.CaseByID(ctx, 999)
			wantNotFound(t, "CaseByID", err)
			_, err = tx.ParticipationFor(ctx, app.ID)
			wantNotFound(t, "ParticipationFor", err)
			return nil
		})

		// A second open application is refused; the transaction goes on.
		next := casework.Client{GivenName: "Next"}
		update(t, db, func(tx casework.Tx) error {
			err := tx.CreateCase(ctx, &casework.Case{ClientID: cl.ID, Kind: process.CaseAanvraag})
			wantDuplicate(t, "second open application", err, "open_application")
			return tx.CreateClient(ctx, &next)
		})

		pa := casework.Case{ClientID: cl.ID, Kind: process.CaseParticipatie, Code: "17/PA", Status: process.StatusWerkdiagnose,
			ApplicationID: app.ID, DossierOwner: km.ID, Segment: "B", OpenedAt: at(1)}
		update(t, db, func(tx casework.Tx) error { return tx.CreateCase(ctx, &pa) })

		app.Status, app.DecisionOutcome, app.DecisionOn, app.DecisionReason = process.StatusBesloten, process.OutcomeToekenning, day(2026, 4, 1), "ok"
		app.ClosedAt = at(2)
		update(t, db, func(tx casework.Tx) error { return tx.UpdateCase(ctx, &app) })
		if app.Version != 2 {
			t.Errorf("version after update = %d, want 2", app.Version)
		}
		stale := app
		stale.Version = 1
		wantStale(t, "UpdateCase", db.Update(ctx, func(tx casework.Tx) error { return tx.UpdateCase(ctx, &stale) }))
		if stale.Version != 1 {
			t.Errorf("stale update changed Version to %d", stale.Version)
		}
		wantNotFound(t, "UpdateCase", db.Update(ctx, func(tx casework.Tx) error {
			return tx.UpdateCase(ctx, &casework.Case{ID: 999, Version: 1})
		}))

		// The closed application no longer blocks a new one.
		app2 := casework.Case{ClientID: cl.ID, Kind: process.CaseAanvraag, Status: process.StatusInBehandeling}
		update(t, db, func(tx casework.Tx) error { return tx.CreateCase(ctx, &app2) })
		// Reopening the old one would make two open applications.
		app.ClosedAt = time.Time{}
		wantDuplicate(t, "reopen", db.Update(ctx, func(tx casework.Tx) error { return tx.UpdateCase(ctx, &app) }), "open_application")

		view(t, db, func(tx casework.Tx) error {
			got, err := tx.CaseByID(ctx, app.ID)
			must(t, err)
			if got.Version != 2 || got.Status != process.StatusBesloten || !got.DecisionOn.Equal(day(2026, 4, 1)) ||
				!got.ClosedAt.Equal(stored(at(2))) {
				t.Errorf("after update: %+v", got)
			}
			got, err = tx.ParticipationFor(ctx, app.ID)
			must(t, err)
			if got.ID != pa.ID || got.DossierOwnerName != "Karin Mol" || got.ApplicationID != app.ID {
				t.Errorf("participation: %+v", got)
			}
			got, err = tx.OpenApplication(ctx, cl.ID)
			must(t, err)
			if got.ID != app2.ID {
				t.Errorf("open application = %d, want %d", got.ID, app2.ID)
			}
			list, err := tx.CasesByClient(ctx, cl.ID)
			must(t, err)
			if len(list) != 3 || list[0].ID != app.ID || list[1].ID != pa.ID || list[2].ID != app2.ID {
				t.Errorf("CasesByClient: %+v", list)
			}
			counts, err := tx.CountCasesByStatus(ctx)
			must(t, err)
			same(t, "CountCasesByStatus", counts, map[string]int{
				"aanvraag/besloten": 1, "aanvraag/in_behandeling": 1, "participatie/werkdiagnose": 1})
			load, err := tx.Caseload(ctx)
			must(t, err)
			same(t, "Caseload", load, map[int64]int{km.ID: 1})
			return nil
		})
	})
}

func TestTasks(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		anna := newUser(t, db, "anna", "Anna")
		bert := newUser(t, db, "bert", "Bert")
		cl := newClient(t, db, "111222333", "Jan", "Jansen")
		app := newCase(t, db, cl.ID, process.CaseAanvraag, 0)
		k := casework.Task{ApplicationID: app.ID, CaseID: app.ID, ClientID: cl.ID, Step: process.StepBeoordelingDoelgroep,
			FromStep: process.StepIntakeGesprek, Team: "poortwachters", Worklist: "445", HolderID: anna.ID,
			Status: casework.TaskOpen, Term: process.TermDecision, CreatedAt: t0, DueOn: day(2026, 4, 27)}
		update(t, db, func(tx casework.Tx) error { return tx.CreateTask(ctx, &k) })
		if k.ID == 0 || k.Version != 1 {
			t.Fatalf("created: %+v", k)
		}
		want := k
		want.CreatedAt, want.ClientName, want.CaseCode, want.HolderName = stored(t0), "Jan Jansen", "0/L2", "Anna"
		view(t, db, func(tx casework.Tx) error {
			got, err := tx.TaskByID(ctx, k.ID)
			must(t, err)
			same(t, "by id", got, want)
			_, err = tx.TaskByID(ctx, 999)
			wantNotFound(t, "TaskByID", err)
			return nil
		})

		k.Status, k.CompletedAt, k.CompletedBy, k.Outcome, k.LateReason = casework.TaskDone, at(5), bert.ID, "regulier", "ziek"
		update(t, db, func(tx casework.Tx) error { return tx.UpdateTask(ctx, &k) })
		if k.Version != 2 {
			t.Errorf("version = %d, want 2", k.Version)
		}
		k2 := newTask(t, db, casework.Task{ApplicationID: app.ID, CaseID: app.ID, ClientID: cl.ID, CreatedAt: at(1)})
		view(t, db, func(tx casework.Tx) error {
			got, err := tx.TaskByID(ctx, k.ID)
			must(t, err)
			if got.Status != casework.TaskDone || got.CompletedByName != "Bert" || !got.CompletedAt.Equal(stored(at(5))) ||
				got.LateReason != "ziek" || got.Version != 2 {
				t.Errorf("after update: %+v", got)
			}
			list, err := tx.TasksByApplication(ctx, app.ID)
			must(t, err)
			if len(list) != 2 || list[0].ID != k.ID || list[1].ID != k2.ID {
				t.Errorf("TasksByApplication: %+v", list)
			}
			if !list[1].DueOn.IsZero() || list[1].HolderID != 0 || list[1].HolderName != "" {
				t.Errorf("task without due date and holder: %+v", list[1])
			}
			// The task, its application's tasks, its client and the
			// client's cases: the same as read one by one.
			f, err := tx.TaskWithClient(ctx, k2.ID)
			must(t, err)
			same(t, "TaskWithClient's task", f.Task, list[1])
			same(t, "TaskWithClient's tasks", f.Tasks, list)
			client, err := tx.ClientByID(ctx, cl.ID)
			must(t, err)
			same(t, "TaskWithClient's client", f.Client, client)
			cases, err := tx.CasesByClient(ctx, cl.ID)
			must(t, err)
			same(t, "TaskWithClient's cases", f.Cases, cases)
			_, err = tx.TaskWithClient(ctx, 999)
			wantNotFound(t, "TaskWithClient", err)
			return nil
		})
		k.Version = 1
		wantStale(t, "UpdateTask", db.Update(ctx, func(tx casework.Tx) error { return tx.UpdateTask(ctx, &k) }))
		wantNotFound(t, "UpdateTask", db.Update(ctx, func(tx casework.Tx) error {
			return tx.UpdateTask(ctx, &casework.Task{ID: 999, Version: 1})
		}))
	})
}

func TestListTasks(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		anna := newUser(t, db, "anna", "Anna")
		bert := newUser(t, db, "bert", "bert") // lower case: sorting ignores case
		jan := newClient(t, db, "111222333", "Jan", "Jansen")
		piet := newClient(t, db, "222333444", "Piet", "de Vries")
		karel := newClient(t, db, "333444555", "karel", "Appel")
		appJan := newCase(t, db, jan.ID, process.CaseAanvraag, 0)
		appPiet := newCase(t, db, piet.ID, process.CaseAanvraag, 0)
		appKarel := newCase(t, db, karel.ID, process.CaseAanvraag, 0)
		paKarel := newCase(t, db, karel.ID, process.CaseParticipatie, appKarel.ID)

		t1 := newTask(t, db, casework.Task{ApplicationID: appJan.ID, CaseID: appJan.ID, ClientID: jan.ID, Team: "top",
			HolderID: anna.ID, Step: process.StepIntakeGesprek, CreatedAt: at(1), DueOn: day(2026, 4, 10)})
		t2 := newTask(t, db, casework.Task{ApplicationID: appPiet.ID, CaseID: appPiet.ID, ClientID: piet.ID, Team: "top",
			Step: process.StepBeoordelingDoelgroep, CreatedAt: at(2)})
		t3 := newTask(t, db, casework.Task{ApplicationID: appKarel.ID, CaseID: paKarel.ID, ClientID: karel.ID, Team: "km",
			HolderID: bert.ID, Step: process.StepBesluit, CreatedAt: at(3), DueOn: day(2026, 4, 5)})
		t4 := newTask(t, db, casework.Task{ApplicationID: appJan.ID, CaseID: appJan.ID, ClientID: jan.ID, Team: "top",
			HolderID: anna.ID, Status: casework.TaskDone, CompletedBy: bert.ID, CreatedAt: at(0), DueOn: day(2026, 4, 1)})
		t5 := newTask(t, db, casework.Task{ApplicationID: appJan.ID, CaseID: appJan.ID, ClientID: jan.ID, Team: "km",
			Step: process.StepRapportage, CreatedAt: at(4), DueOn: day(2026, 4, 20)})

		for _, tc := range []struct {
			name string
			f    casework.TaskFilter
			want []casework.Task
		}{
			{"default: open, by due, no due last", casework.TaskFilter{}, []casework.Task{t3, t1, t5, t2}},
			{"due descending, no due still last", casework.TaskFilter{Desc: true}, []casework.Task{t5, t1, t3, t2}},
			{"teams", casework.TaskFilter{Teams: []string{"top"}}, []casework.Task{t1, t2}},
			{"two teams", casework.TaskFilter{Teams: []string{"top", "km"}}, []casework.Task{t3, t1, t5, t2}},
			{"holder", casework.TaskFilter{HolderID: anna.ID}, []casework.Task{t1}},
			{"unassigned", casework.TaskFilter{Unassigned: true}, []casework.Task{t5, t2}},
			{"status", casework.TaskFilter{Status: casework.TaskDone}, []casework.Task{t4}},
			{"step", casework.TaskFilter{Step: process.StepBesluit}, []casework.Task{t3}},
			{"case code", casework.TaskFilter{CaseCode: "17/PA"}, []casework.Task{t3}},
			{"due on or before", casework.TaskFilter{DueBefore: day(2026, 4, 10)}, []casework.Task{t3, t1}},
			{"client", casework.TaskFilter{ClientID: jan.ID}, []casework.Task{t1, t5}},
			{"since", casework.TaskFilter{Sort: "since"}, []casework.Task{t1, t2, t3, t5}},
			{"since desc", casework.TaskFilter{Sort: "since", Desc: true}, []casework.Task{t5, t3, t2, t1}},
			{"client name", casework.TaskFilter{Sort: "client"}, []casework.Task{t1, t5, t3, t2}},
			{"step", casework.TaskFilter{Sort: "step"}, []casework.Task{t2, t3, t1, t5}},
			{"holder, unassigned last", casework.TaskFilter{Sort: "holder"}, []casework.Task{t1, t3, t2, t5}},
			{"unknown sort is due", casework.TaskFilter{Sort: "id; DROP TABLE tasks"}, []casework.Task{t3, t1, t5, t2}},
			{"limit", casework.TaskFilter{Limit: 2}, []casework.Task{t3, t1}},
			{"filters combine", casework.TaskFilter{Teams: []string{"km"}, Unassigned: true}, []casework.Task{t5}},
		} {
			view(t, db, func(tx casework.Tx) error {
				got, err := tx.ListTasks(ctx, tc.f)
				must(t, err)
				if ids(got) != ids(tc.want) {
					t.Errorf("%s: got %s, want %s", tc.name, ids(got), ids(tc.want))
				}
				return nil
			})
		}
		view(t, db, func(tx casework.Tx) error {
			got, err := tx.ListTasks(ctx, casework.TaskFilter{Status: casework.TaskDone})
			must(t, err)
			if len(got) != 1 || got[0].ClientName != "Jan Jansen" || got[0].CaseCode != "0/L2" ||
				got[0].HolderName != "Anna" || got[0].CompletedByName != "bert" {
				t.Errorf("joined names: %+v", got)
			}
			counts, err := tx.OpenTaskCounts(ctx, []string{"top", "km"})
			must(t, err)
			same(t, "counts of two teams", counts, map[int64]int{0: 2, anna.ID: 1, bert.ID: 1})
			counts, err = tx.OpenTaskCounts(ctx, []string{"top"})
			must(t, err)
			same(t, "counts of one team", counts, map[int64]int{0: 1, anna.ID: 1})
			counts, err = tx.OpenTaskCounts(ctx, []string{"nobody"})
			must(t, err)
			same(t, "counts of a team without tasks", counts, map[int64]int{})
			return nil
		})
	})
}

func ids(ts []casework.Task) string {
	var out []string
	for _, t := range ts {
		out = append(out, fmt.Sprint(t.ID))
	}
	return strings.Join(out, ",")
}

func TestPlans(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		km := newUser(t, db, "km", "Karin")
		cl := newClient(t, db, "111222333", "Jan", "Jansen")
		app := newCase(t, db, cl.ID, process.CaseAanvraag, 0)
		pa := newCase(t, db, cl.ID, process.CaseParticipatie, app.ID)
		view(t, db, func(tx casework.Tx) error {
			_, err := tx.LatestPlan(ctx, pa.ID)
			wantNotFound(t, "LatestPlan", err)
			return nil
		})
		p1 := casework.Plan{CaseID: pa.ID, Version: 1, Situation: "s", LadderNow: 2, LadderTarget: 4, Segment: "B",
			Goals: "werk", Obligations: "o", Consequences: "c",
			Trajectories: []casework.PlannedTrajectory{{Provider: "Hallo Werk", Goal: "g", Activities: "a\nb"}},
			EvaluationOn: day(2026, 9, 1), AuthorID: km.ID, CreatedAt: t0}
		p2 := casework.Plan{CaseID: pa.ID, Version: 2, Situation: "s2", SignedOn: day(2026, 4, 2), AuthorID: km.ID, CreatedAt: at(1)}
		update(t, db, func(tx casework.Tx) error {
			must(t, tx.AddPlan(ctx, &p1))
			return tx.AddPlan(ctx, &p2)
		})
		want := p1
		want.CreatedAt, want.AuthorName = stored(t0), "Karin"
		view(t, db, func(tx casework.Tx) error {
			latest, err := tx.LatestPlan(ctx, pa.ID)
			must(t, err)
			if latest.ID != p2.ID || latest.Trajectories != nil || !latest.SignedOn.Equal(day(2026, 4, 2)) {
				t.Errorf("latest: %+v", latest)
			}
			versions, err := tx.PlanVersions(ctx, pa.ID)
			must(t, err)
			if len(versions) != 2 || versions[0].Version != 2 {
				t.Fatalf("versions: %+v", versions)
			}
			same(t, "version 1", versions[1], want)
			return nil
		})
		err := db.Update(ctx, func(tx casework.Tx) error {
			return tx.AddPlan(ctx, &casework.Plan{CaseID: pa.ID, Version: 2})
		})
		wantDuplicate(t, "AddPlan", err, "plan_version")
	})
}

func TestTrajectories(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		km := newUser(t, db, "km", "Karin")
		cl := newClient(t, db, "111222333", "Jan", "Jansen")
		app := newCase(t, db, cl.ID, process.CaseAanvraag, 0)
		r := casework.Trajectory{CaseID: app.ID, Provider: "Hallo Werk", Title: "Werkfit", Status: casework.TrajectoryRunning,
			StartOn: day(2026, 4, 1), MayFinish: true, CreatedBy: km.ID, CreatedAt: t0,
			Activities: []casework.Activity{{Description: "cv", DueOn: day(2026, 4, 15)}, {Description: "sollicitatie"}}}
		other := casework.Trajectory{CaseID: app.ID, Title: "Taal", Status: casework.TrajectoryRunning}
		update(t, db, func(tx casework.Tx) error {
			must(t, tx.CreateTrajectory(ctx, &r))
			return tx.CreateTrajectory(ctx, &other)
		})
		if r.ID == 0 || r.Activities[0].ID == 0 || r.Activities[1].TrajectoryID != r.ID {
			t.Fatalf("created: %+v", r)
		}
		want := r
		want.CreatedAt = stored(t0)
		view(t, db, func(tx casework.Tx) error {
			list, err := tx.TrajectoriesByCase(ctx, app.ID)
			must(t, err)
			if len(list) != 2 || len(list[1].Activities) != 0 {
				t.Fatalf("by case: %+v", list)
			}
			same(t, "first", list[0], want)
			return nil
		})
		r.Status, r.EndOn, r.Result, r.MayFinish = casework.TrajectoryFinished, day(2026, 6, 30), "werk gevonden", false
		r.Activities = []casework.Activity{{ID: r.Activities[1].ID, Description: "drie sollicitaties"}, {Description: "nieuw"}}
		update(t, db, func(tx casework.Tx) error { return tx.UpdateTrajectory(ctx, r) })
		view(t, db, func(tx casework.Tx) error {
			list, err := tx.TrajectoriesByCase(ctx, app.ID)
			must(t, err)
			got := list[0]
			if got.Status != casework.TrajectoryFinished || !got.EndOn.Equal(day(2026, 6, 30)) || got.MayFinish ||
				len(got.Activities) != 2 || got.Activities[0].ID != r.Activities[0].ID ||
				got.Activities[0].Description != "drie sollicitaties" || got.Activities[1].Description != "nieuw" {
				t.Errorf("after update: %+v", got)
			}
			return nil
		})
		wantNotFound(t, "UpdateTrajectory", db.Update(ctx, func(tx casework.Tx) error {
			return tx.UpdateTrajectory(ctx, casework.Trajectory{ID: 999})
		}))
	})
}

func TestRegistrations(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		km := newUser(t, db, "km", "Karin")
		cl := newClient(t, db, "111222333", "Jan", "Jansen")
		app := newCase(t, db, cl.ID, process.CaseAanvraag, 0)
		g := casework.Registration{CaseID: app.ID, Provider: "Hallo Werk", Status: "aangemeld", On: day(2026, 4, 1),
			Note: "n", CreatedBy: km.ID, UpdatedAt: t0}
		update(t, db, func(tx casework.Tx) error { return tx.CreateRegistration(ctx, &g) })
		if g.ID == 0 || g.Version != 1 {
			t.Fatalf("created: %+v", g)
		}
		want := g
		want.UpdatedAt = stored(t0)
		view(t, db, func(tx casework.Tx) error {
			list, err := tx.RegistrationsByCase(ctx, app.ID)
			must(t, err)
			if len(list) != 1 {
				t.Fatalf("by case: %+v", list)
			}
			same(t, "round trip", list[0], want)
			return nil
		})
		g.Status, g.UpdatedAt = "geaccepteerd", at(1)
		update(t, db, func(tx casework.Tx) error { return tx.UpdateRegistration(ctx, &g) })
		if g.Version != 2 {
			t.Errorf("version = %d", g.Version)
		}
		g.Version = 1
		wantStale(t, "UpdateRegistration", db.Update(ctx, func(tx casework.Tx) error { return tx.UpdateRegistration(ctx, &g) }))
		wantNotFound(t, "UpdateRegistration", db.Update(ctx, func(tx casework.Tx) error {
			return tx.UpdateRegistration(ctx, &casework.Registration{ID: 999, Version: 1})
		}))
	})
}

func TestAppointments(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		km := newUser(t, db, "km", "Karin")
		km2 := newUser(t, db, "km2", "Kees")
		cl := newClient(t, db, "111222333", "Jan", "Jansen")
		app := newCase(t, db, cl.ID, process.CaseAanvraag, 0)
		start := time.Date(2026, 4, 7, 9, 0, 0, 0, process.Amsterdam)
		slots := func(from time.Time, n int) []time.Time {
			var out []time.Time
			for i := 0; i < n; i++ {
				out = append(out, from.Add(time.Duration(i)*15*time.Minute))
			}
			return out
		}
		a := casework.Appointment{CaseID: app.ID, ClientID: cl.ID, Kind: process.AppointmentIntake, StartAt: start,
			EndAt: start.Add(time.Hour), Room: "Spreekkamer 1", KlantmanagerID: km.ID, CreatedBy: km.ID, CreatedAt: t0}
		update(t, db, func(tx casework.Tx) error { return tx.CreateAppointment(ctx, &a, slots(start, 4)) })
		want := a
		want.StartAt, want.EndAt, want.CreatedAt, want.KlantmanagerName = stored(start), stored(start.Add(time.Hour)), stored(t0), "Karin"
		view(t, db, func(tx casework.Tx) error {
			got, err := tx.AppointmentByID(ctx, a.ID)
			must(t, err)
			same(t, "by id", got, want)
			_, err = tx.AppointmentByID(ctx, 999)
			wantNotFound(t, "AppointmentByID", err)
			return nil
		})

		// The same room in an overlapping slot, with another klantmanager.
		half := start.Add(45 * time.Minute)
		room := casework.Appointment{ClientID: cl.ID, StartAt: half, EndAt: half.Add(time.Hour), Room: "Spreekkamer 1", KlantmanagerID: km2.ID}
		wantDuplicate(t, "room", db.Update(ctx, func(tx casework.Tx) error {
			return tx.CreateAppointment(ctx, &room, slots(half, 4))
		}), "room")
		// The same klantmanager in another room.
		person := casework.Appointment{ClientID: cl.ID, StartAt: half, EndAt: half.Add(time.Hour), Room: "Spreekkamer 2", KlantmanagerID: km.ID}
		wantDuplicate(t, "person", db.Update(ctx, func(tx casework.Tx) error {
			return tx.CreateAppointment(ctx, &person, slots(half, 4))
		}), "person")
		// The same klantmanager with no room (a phone call) is still a double booking.
		phone := casework.Appointment{ClientID: cl.ID, StartAt: start, EndAt: start.Add(time.Hour), KlantmanagerID: km.ID}
		wantDuplicate(t, "person without room", db.Update(ctx, func(tx casework.Tx) error {
			return tx.CreateAppointment(ctx, &phone, slots(start, 1))
		}), "person")

		// Cancelling frees room and person.
		update(t, db, func(tx casework.Tx) error { return tx.CancelAppointment(ctx, a.ID) })
		room.ID, person.ID = 0, 0
		update(t, db, func(tx casework.Tx) error { return tx.CreateAppointment(ctx, &room, slots(half, 4)) })
		update(t, db, func(tx casework.Tx) error { return tx.CreateAppointment(ctx, &phone, slots(start, 2)) })
		view(t, db, func(tx casework.Tx) error {
			got, err := tx.AppointmentByID(ctx, a.ID)
			must(t, err)
			if !got.Cancelled {
				t.Error("not cancelled")
			}
			list, err := tx.AppointmentsByClient(ctx, cl.ID)
			must(t, err)
			if len(list) != 3 || list[0].ID != a.ID || list[1].ID != phone.ID || list[2].ID != room.ID {
				t.Errorf("by client (by start): %+v", list)
			}
			return nil
		})
		wantNotFound(t, "CancelAppointment", db.Update(ctx, func(tx casework.Tx) error { return tx.CancelAppointment(ctx, 999) }))
	})
}

// TestDuplicateKeepsTransaction checks a refused booking undoes its own
// rows only, and the transaction can go on and commit on both engines.
func TestDuplicateKeepsTransaction(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		km := newUser(t, db, "km", "Karin")
		cl := newClient(t, db, "111222333", "Jan", "Jansen")
		slot := time.Date(2026, 4, 7, 9, 0, 0, 0, process.Amsterdam)
		first := casework.Appointment{ClientID: cl.ID, StartAt: slot, EndAt: slot.Add(time.Hour), Room: "A", KlantmanagerID: km.ID}
		update(t, db, func(tx casework.Tx) error { return tx.CreateAppointment(ctx, &first, []time.Time{slot}) })
		var second casework.Appointment
		update(t, db, func(tx casework.Tx) error {
			// Room B is free at 9:00 but km is not: nothing of it may stay.
			clash := casework.Appointment{ClientID: cl.ID, StartAt: slot, EndAt: slot.Add(time.Hour), Room: "B", KlantmanagerID: km.ID}
			wantDuplicate(t, "clash", tx.CreateAppointment(ctx, &clash, []time.Time{slot}), "person")
			second = casework.Appointment{ClientID: cl.ID, StartAt: slot, EndAt: slot.Add(time.Hour), Room: "B"}
			return tx.CreateAppointment(ctx, &second, []time.Time{slot})
		})
		view(t, db, func(tx casework.Tx) error {
			list, err := tx.AppointmentsByClient(ctx, cl.ID)
			must(t, err)
			if len(list) != 2 || list[1].ID != second.ID {
				t.Errorf("appointments: %+v", list)
			}
			return nil
		})
	})
}

// TestConcurrentBooking books one room slot from two transactions at once:
// exactly one wins, the other gets ErrDuplicate("room").
func TestConcurrentBooking(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		km1 := newUser(t, db, "km1", "Karin")
		km2 := newUser(t, db, "km2", "Kees")
		cl := newClient(t, db, "111222333", "Jan", "Jansen")
		for round := 0; round < 5; round++ {
			slot := time.Date(2026, 4, 7, 9+round, 0, 0, 0, process.Amsterdam)
			start := make(chan struct{})
			errs := make([]error, 2)
			var wg sync.WaitGroup
			for i, km := range []int64{km1.ID, km2.ID} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					errs[i] = db.Update(ctx, func(tx casework.Tx) error {
						// Read first, as a use case would, then write.
						if _, err := tx.ClientByID(ctx, cl.ID); err != nil {
							return err
						}
						a := casework.Appointment{ClientID: cl.ID, StartAt: slot, EndAt: slot.Add(time.Hour), Room: "A", KlantmanagerID: km}
						return tx.CreateAppointment(ctx, &a, []time.Time{slot})
					})
				}()
			}
			close(start)
			wg.Wait()
			ok, dup := 0, 0
			for _, err := range errs {
				var d casework.ErrDuplicate
				switch {
				case err == nil:
					ok++
				case errors.As(err, &d) && d.Which == "room":
					dup++
				default:
					t.Errorf("round %d: unexpected error %v", round, err)
				}
			}
			if ok != 1 || dup != 1 {
				t.Errorf("round %d: %d succeeded, %d duplicate; want 1 and 1", round, ok, dup)
			}
		}
	})
}

func TestSuspensions(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		pw := newUser(t, db, "pw", "Poortwachter")
		cl := newClient(t, db, "111222333", "Jan", "Jansen")
		app := newCase(t, db, cl.ID, process.CaseAanvraag, 0)
		s2 := casework.Suspension{CaseID: app.ID, StartOn: day(2026, 4, 20), Reason: "later", By: pw.ID, At: at(1)}
		s1 := casework.Suspension{CaseID: app.ID, StartOn: day(2026, 3, 29), Reason: "stukken", By: pw.ID, At: t0}
		update(t, db, func(tx casework.Tx) error {
			must(t, tx.AddSuspension(ctx, &s2))
			must(t, tx.AddSuspension(ctx, &s1))
			return tx.EndSuspension(ctx, s1.ID, day(2026, 4, 6))
		})
		want := s1
		want.EndOn, want.At = day(2026, 4, 6), stored(t0)
		view(t, db, func(tx casework.Tx) error {
			list, err := tx.SuspensionsByCase(ctx, app.ID)
			must(t, err)
			if len(list) != 2 || list[1].ID != s2.ID || !list[1].EndOn.IsZero() {
				t.Fatalf("by case (by start): %+v", list)
			}
			same(t, "ended", list[0], want)
			return nil
		})
		wantNotFound(t, "EndSuspension", db.Update(ctx, func(tx casework.Tx) error {
			return tx.EndSuspension(ctx, 999, day(2026, 4, 6))
		}))
	})
}

func TestHistory(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		anna := newUser(t, db, "anna", "Anna")
		cl := newClient(t, db, "111222333", "Jan", "Jansen")
		app := newCase(t, db, cl.ID, process.CaseAanvraag, 0)
		k := newTask(t, db, casework.Task{ApplicationID: app.ID, CaseID: app.ID, ClientID: cl.ID, CreatedAt: t0})
		later := casework.Event{ClientID: cl.ID, CaseID: app.ID, TaskID: k.ID, Kind: "task_done", Summary: "Intake afgerond",
			Reason: "r", ActorID: anna.ID, ActorName: "Anna (toen)", At: at(2)}
		earlier := casework.Event{ClientID: cl.ID, Kind: "application", Summary: "Aanvraag ontvangen", ActorID: anna.ID, At: at(1)}
		system := casework.Event{ClientID: cl.ID, Kind: "deadline", Summary: "Termijn verlopen", At: at(3)}
		rec2 := casework.StepRecord{TaskID: k.ID, ApplicationID: app.ID, CaseID: app.ID, Step: process.StepBeoordelingDoelgroep,
			Fields: map[string]string{"doelgroep": "regulier"}, ActorID: anna.ID, At: at(2)}
		rec1 := casework.StepRecord{TaskID: k.ID, ApplicationID: app.ID, CaseID: app.ID, Step: process.StepIntakeGesprek,
			Fields: map[string]string{"notitie": "gesprek \"gevoerd\"\nregel 2", "leeg": ""}, ActorID: anna.ID,
			ActorName: "Anna A.", At: at(1)}
		update(t, db, func(tx casework.Tx) error {
			must(t, tx.AppendEvent(ctx, &later))
			must(t, tx.AppendEvent(ctx, &earlier))
			must(t, tx.AppendEvent(ctx, &system))
			must(t, tx.AddStepRecord(ctx, &rec2))
			return tx.AddStepRecord(ctx, &rec1)
		})
		view(t, db, func(tx casework.Tx) error {
			events, err := tx.EventsByClient(ctx, cl.ID)
			must(t, err)
			if len(events) != 3 {
				t.Fatalf("events: %+v", events)
			}
			wantLater := later
			wantLater.At = stored(at(2))
			same(t, "events oldest first", []int64{events[0].ID, events[1].ID, events[2].ID}, []int64{earlier.ID, later.ID, system.ID})
			same(t, "event round trip", events[1], wantLater)
			if events[0].ActorName != "Anna" || events[2].ActorName != "" || events[2].ActorID != 0 {
				t.Errorf("actor names: %q, %q", events[0].ActorName, events[2].ActorName)
			}
			records, err := tx.StepRecords(ctx, app.ID)
			must(t, err)
			if len(records) != 2 || records[0].ID != rec1.ID || records[1].ActorName != "Anna" {
				t.Fatalf("step records: %+v", records)
			}
			want := rec1
			want.At = stored(at(1))
			same(t, "step record round trip", records[0], want)
			return nil
		})

		// The database refuses to change history, whatever the code does.
		for _, q := range []string{
			`UPDATE events SET summary = 'x'`,
			`DELETE FROM events`,
			`UPDATE step_records SET fields = '{}'`,
			`DELETE FROM step_records`,
		} {
			_, err := db.SQL().ExecContext(ctx, q)
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: got %v, want an append-only error", q, err)
			}
		}
		view(t, db, func(tx casework.Tx) error {
			events, err := tx.EventsByClient(ctx, cl.ID)
			must(t, err)
			if len(events) != 3 || events[1].Summary != "Intake afgerond" {
				t.Errorf("history changed: %+v", events)
			}
			return nil
		})
	})
}

func TestOutbox(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		cl := newClient(t, db, "111222333", "Jan", "Jansen")
		other := newClient(t, db, "222333444", "Piet", "de Vries")
		app := newCase(t, db, cl.ID, process.CaseAanvraag, 0)
		m1 := casework.Message{ClientID: cl.ID, CaseID: app.ID, Kind: "E-mail TOP", From: "a@x.nl", To: "top@x.nl",
			Subject: "Aanmelding", Body: "Beste TOP,\n…", Status: casework.MessageWaiting, CreatedAt: t0, MessageID: "<1@x.nl>"}
		m2 := casework.Message{ClientID: cl.ID, Kind: "Uitnodiging klant", Status: casework.MessageSent, Attempts: 2,
			LastError: "421", CreatedAt: at(1), SentAt: at(2), MessageID: "<2@x.nl>"}
		m3 := casework.Message{ClientID: other.ID, Kind: "E-mail KM", Status: casework.MessageWaiting, CreatedAt: at(2)}
		update(t, db, func(tx casework.Tx) error {
			must(t, tx.EnqueueMessage(ctx, &m1))
			must(t, tx.EnqueueMessage(ctx, &m2))
			return tx.EnqueueMessage(ctx, &m3)
		})
		msgIDs := func(ms []casework.Message) string {
			var out []string
			for _, m := range ms {
				out = append(out, fmt.Sprint(m.ID))
			}
			return strings.Join(out, ",")
		}
		in := func(ms ...casework.Message) string { return msgIDs(ms) }
		view(t, db, func(tx casework.Tx) error {
			for _, tc := range []struct {
				f    casework.MessageFilter
				want string
			}{
				{casework.MessageFilter{}, in(m3, m2, m1)},
				{casework.MessageFilter{ClientID: cl.ID}, in(m2, m1)},
				{casework.MessageFilter{CaseID: app.ID}, in(m1)},
				{casework.MessageFilter{Status: casework.MessageWaiting}, in(m3, m1)},
				{casework.MessageFilter{Limit: 1}, in(m3)},
			} {
				got, err := tx.ListMessages(ctx, tc.f)
				must(t, err)
				if msgIDs(got) != tc.want {
					t.Errorf("ListMessages(%+v) = %s, want %s", tc.f, msgIDs(got), tc.want)
				}
			}
			got, err := tx.ListMessages(ctx, casework.MessageFilter{ClientID: cl.ID})
			must(t, err)
			want2 := m2
			want2.CreatedAt, want2.SentAt = stored(at(1)), stored(at(2))
			same(t, "sent message", got[0], want2)
			want1 := m1
			want1.CreatedAt = stored(t0)
			same(t, "waiting message", got[1], want1)
			return nil
		})
	})
}

func TestSessions(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := db.SessionStore()
		if _, found, err := s.Find("none"); found || err != nil {
			t.Errorf("missing session: found %v, err %v", found, err)
		}
		must(t, s.Commit("tok", []byte("one"), time.Now().Add(time.Hour)))
		must(t, s.CommitCtx(ctx, "tok", []byte{0, 1, 2, 255}, time.Now().Add(2*time.Hour))) // replaces
		b, found, err := s.Find("tok")
		if err != nil || !found || string(b) != "\x00\x01\x02\xff" {
			t.Errorf("find: %q %v %v", b, found, err)
		}
		must(t, s.Commit("old", []byte("x"), time.Now().Add(-time.Second)))
		if _, found, err := s.FindCtx(ctx, "old"); found || err != nil {
			t.Errorf("expired session: found %v, err %v", found, err)
		}
		must(t, db.DeleteExpiredSessions(ctx))
		var n int
		must(t, db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM sessions`).Scan(&n))
		if n != 1 {
			t.Errorf("%d sessions after deleting expired ones, want 1", n)
		}
		must(t, s.Delete("tok"))
		must(t, s.DeleteCtx(ctx, "tok")) // deleting a missing one is no error
		if _, found, _ := s.Find("tok"); found {
			t.Error("deleted session found")
		}
	})
}

// TestRollback checks nothing of a failed Update stays, and its error comes
// back unchanged.
func TestRollback(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		boom := errors.New("boom")
		err := db.Update(ctx, func(tx casework.Tx) error {
			c := casework.Client{GivenName: "Weg"}
			must(t, tx.CreateClient(ctx, &c))
			must(t, tx.CreateUser(ctx, &casework.User{Username: "weg"}))
			must(t, tx.AppendEvent(ctx, &casework.Event{ClientID: c.ID, Kind: "x"}))
			return boom
		})
		if err != boom {
			t.Errorf("got %v, want the error of fn itself", err)
		}
		domainErr := casework.Conflict("bezet")
		if err := db.Update(ctx, func(tx casework.Tx) error { return domainErr }); err != domainErr {
			t.Errorf("got %v, want the domain error unchanged", err)
		}
		view(t, db, func(tx casework.Tx) error {
			list, err := tx.SearchClients(ctx, "", 10)
			must(t, err)
			users, err := tx.ListUsers(ctx)
			must(t, err)
			if len(list) != 0 || len(users) != 0 {
				t.Errorf("rolled back rows remain: %v %v", list, users)
			}
			return nil
		})
	})
}

// TestViewIsReadOnly checks writes inside View fail alike on both engines.
func TestViewIsReadOnly(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		err := db.View(ctx, func(tx casework.Tx) error {
			return tx.CreateUser(ctx, &casework.User{Username: "x"})
		})
		if err == nil {
			t.Error("write inside View succeeded")
		}
	})
}

func TestEngines(t *testing.T) {
	if got := storetest.Engines(t); len(got) != 2 || got[0] != "sqlite" || got[1] != "postgres" {
		t.Errorf("Engines = %v", got)
	}
}

func BenchmarkListTasks(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			db := storetest.Open(b, engine)
			err := db.Update(ctx, func(tx casework.Tx) error {
				users := make([]int64, 5)
				for i := range users {
					u := casework.User{Username: fmt.Sprint("u", i), Name: fmt.Sprint("User ", i)}
					if err := tx.CreateUser(ctx, &u); err != nil {
						return err
					}
					users[i] = u.ID
				}
				teams := []string{"top", "km", "ag", "po"}
				for i := 0; i < 200; i++ {
					c := casework.Client{GivenName: fmt.Sprint("Client", i), FamilyName: "Jansen"}
					if err := tx.CreateClient(ctx, &c); err != nil {
						return err
					}
					cs := casework.Case{ClientID: c.ID, Kind: process.CaseAanvraag, Code: "0/L2"}
					if err := tx.CreateCase(ctx, &cs); err != nil {
						return err
					}
					for j := 0; j < 10; j++ {
						k := casework.Task{ApplicationID: cs.ID, CaseID: cs.ID, ClientID: c.ID, Step: process.StepIntakeGesprek,
							Team: teams[(i+j)%len(teams)], Status: casework.TaskOpen, CreatedAt: at(i*10 + j)}
						if j%3 != 0 {
							k.HolderID = users[(i+j)%len(users)]
						}
						if j%2 == 0 {
							k.DueOn = process.AddDays(day(2026, 4, 1), i%60)
						}
						if err := tx.CreateTask(ctx, &k); err != nil {
							return err
						}
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			f := casework.TaskFilter{Teams: []string{"top", "km"}, Sort: "due"}
			b.ResetTimer()
			for b.Loop() {
				err := db.View(ctx, func(tx casework.Tx) error {
					list, err := tx.ListTasks(ctx, f)
					if err == nil && len(list) != 500 {
						err = fmt.Errorf("got %d tasks, want 500", len(list))
					}
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestDeliveryJobs: a waiting message gets exactly one delivery job in its
// own transaction (none when the transaction rolls back), a dedupe key
// stores a derived message once, a re-queue while a job is live adds no
// second job, and a reminder is stored once per kind, task and due date.
func TestDeliveryJobs(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		jobs := func(kind string) int {
			t.Helper()
			n, err := db.JobCount(ctx, kind)
			must(t, err)
			total := 0
			for _, c := range n {
				total += c
			}
			return total
		}
		cl := newClient(t, db, "111222333", "Jan", "Jansen")
		app := newCase(t, db, cl.ID, process.CaseAanvraag, 0)
		waiting := casework.Message{ClientID: cl.ID, Kind: "Herinnering termijn", To: "top@x.nl", Status: casework.MessageWaiting,
			CreatedAt: t0, MessageID: "<r1@x.nl>", DedupeKey: "herinnering:1:top@x.nl", HTML: "<p>x</p>",
			AttachmentName: "uitnodiging.ics", AttachmentType: "text/calendar; method=REQUEST", Attachment: "BEGIN:VCALENDAR"}
		update(t, db, func(tx casework.Tx) error { return tx.EnqueueMessage(ctx, &waiting) })
		if waiting.ID == 0 || jobs("bezorg_bericht") != 1 {
			t.Fatalf("message %d, %d delivery jobs; want one", waiting.ID, jobs("bezorg_bericht"))
		}
		again := waiting
		again.ID, again.MessageID = 0, "<r2@x.nl>"
		update(t, db, func(tx casework.Tx) error { return tx.EnqueueMessage(ctx, &again) })
		if again.ID != 0 || jobs("bezorg_bericht") != 1 {
			t.Errorf("same dedupe key stored again: id %d, %d jobs", again.ID, jobs("bezorg_bericht"))
		}
		failed := casework.Message{ClientID: cl.ID, Kind: "Uitnodiging klant", Status: casework.MessageFailed, CreatedAt: t0}
		err := db.Update(ctx, func(tx casework.Tx) error {
			rolled := casework.Message{ClientID: cl.ID, Kind: "E-mail TOP", To: "top@x.nl", Status: casework.MessageWaiting, CreatedAt: t0}
			must(t, tx.EnqueueMessage(ctx, &rolled))
			must(t, tx.EnqueueMessage(ctx, &failed))
			return errors.New("roll back")
		})
		if err == nil || jobs("bezorg_bericht") != 1 {
			t.Errorf("rolled-back message left a job: %d jobs", jobs("bezorg_bericht"))
		}
		// A letter to print (per post) is stored without a delivery job.
		letter := casework.Message{ClientID: cl.ID, Kind: "Uitnodiging klant", Status: casework.MessageByPost, CreatedAt: t0, MessageID: "<l1@x.nl>"}
		update(t, db, func(tx casework.Tx) error { return tx.EnqueueMessage(ctx, &letter) })
		if letter.ID == 0 || jobs("bezorg_bericht") != 1 {
			t.Errorf("letter %d: %d delivery jobs, want still 1", letter.ID, jobs("bezorg_bericht"))
		}
		update(t, db, func(tx casework.Tx) error { return tx.RequeueMessage(ctx, waiting.ID) })
		if jobs("bezorg_bericht") != 1 {
			t.Errorf("re-queue while a job is waiting: %d jobs, want 1", jobs("bezorg_bericht"))
		}
		view(t, db, func(tx casework.Tx) error {
			got, err := tx.MessageByID(ctx, waiting.ID)
			must(t, err)
			if got.HTML != waiting.HTML || got.Attachment != waiting.Attachment || got.DedupeKey != waiting.DedupeKey || got.AttachmentType != waiting.AttachmentType {
				t.Errorf("stored message = %+v", got)
			}
			return nil
		})
		got := waiting
		got.Status, got.Attempts, got.LastError, got.NextAttemptAt = casework.MessageRetrying, 1, "421", at(5)
		update(t, db, func(tx casework.Tx) error { return tx.UpdateDelivery(ctx, got) })
		view(t, db, func(tx casework.Tx) error {
			m, err := tx.MessageByID(ctx, waiting.ID)
			must(t, err)
			if m.Status != casework.MessageRetrying || m.Attempts != 1 || !m.NextAttemptAt.Equal(stored(at(5))) {
				t.Errorf("delivery state = %s %d %v", m.Status, m.Attempts, m.NextAttemptAt)
			}
			return nil
		})

		task := newTask(t, db, casework.Task{ApplicationID: app.ID, CaseID: app.ID, ClientID: cl.ID, Team: "top", Version: 1, CreatedAt: at(0)})
		r := casework.Reminder{Kind: casework.ReminderBeforeDue, TaskID: task.ID, CaseID: app.ID, DueOn: day(2027, 4, 29),
			SendAt: at(10), Status: casework.ReminderPlanned, CreatedAt: t0}
		voorschot := casework.Reminder{Kind: casework.ReminderVoorschot, CaseID: app.ID, DueOn: day(2027, 3, 26), SendAt: at(11),
			Status: casework.ReminderPlanned, CreatedAt: t0}
		// The second of the same kind, task (or case, for a voorschot
		// signal without a task) and due date is not stored.
		for _, r := range []casework.Reminder{r, voorschot} {
			for i, want := range []bool{true, false} {
				rr := r
				update(t, db, func(tx casework.Tx) error {
					added, err := tx.AddReminders(ctx, &rr)
					if (added == 1) != want || (rr.ID != 0) != want {
						t.Errorf("%s AddReminders #%d = %d (ID %d), want stored %v", r.Kind, i+1, added, rr.ID, want)
					}
					return err
				})
			}
		}
		// Reminders get no job each: the sweep reads the due ones.
		if n := jobs("herinnering"); n != 0 {
			t.Errorf("%d reminder jobs, want none", n)
		}
		// The delivery job lands in the queue its workers take.
		rows, err := db.SQL().QueryContext(ctx, `SELECT kind, queue FROM river_job ORDER BY id`)
		must(t, err)
		defer rows.Close()
		for rows.Next() {
			var kind, queue string
			must(t, rows.Scan(&kind, &queue))
			if kind != "bezorg_bericht" || queue != "mail" {
				t.Errorf("job %s in queue %q, want only bezorg_bericht in mail", kind, queue)
			}
		}
		must(t, rows.Err())
		// The due reminders, in send-time order, after a cursor, planned
		// ones only.
		due := func(until time.Time, after casework.Reminder) []int64 {
			t.Helper()
			var ids []int64
			view(t, db, func(tx casework.Tx) error {
				rs, err := tx.DueReminders(ctx, until, after, 10)
				for _, r := range rs {
					ids = append(ids, r.ID)
				}
				return err
			})
			return ids
		}
		var planned []casework.Reminder
		view(t, db, func(tx casework.Tx) error {
			var err error
			planned, err = tx.ListReminders(ctx, casework.ReminderFilter{CaseID: app.ID})
			return err
		})
		if len(planned) != 2 {
			t.Fatalf("%d reminders, want 2", len(planned))
		}
		first, second := planned[0], planned[1]
		for _, tc := range []struct {
			name  string
			until time.Time
			after casework.Reminder
			want  []int64
		}{
			{"before either", at(9), casework.Reminder{}, nil},
			{"the first's time", at(10), casework.Reminder{}, []int64{first.ID}},
			{"both times", at(12), casework.Reminder{}, []int64{first.ID, second.ID}},
			{"after the first", at(12), first, []int64{second.ID}},
			{"after the second", at(12), second, nil},
		} {
			if got := due(tc.until, tc.after); !slices.Equal(got, tc.want) {
				t.Errorf("due reminders, %s: %v, want %v", tc.name, got, tc.want)
			}
		}
		sent := first
		sent.Status, sent.DoneAt = casework.ReminderSent, at(10)
		update(t, db, func(tx casework.Tx) error { return tx.UpdateReminder(ctx, sent) })
		if got := due(at(12), casework.Reminder{}); !slices.Equal(got, []int64{second.ID}) {
			t.Errorf("due reminders after the first was sent: %v, want only %d", got, second.ID)
		}
		view(t, db, func(tx casework.Tx) error {
			rs, err := tx.ListReminders(ctx, casework.ReminderFilter{CaseID: app.ID})
			must(t, err)
			if len(rs) != 2 || !rs[0].SendAt.Equal(stored(at(10))) || !rs[0].DueOn.Equal(day(2027, 4, 29)) || rs[1].TaskID != 0 {
				t.Errorf("reminders = %+v", rs)
			}
			return nil
		})
		// Several in one statement: each stored one gets its own ID, the
		// one already there none.
		present, overdue := r, casework.Reminder{Kind: casework.ReminderOverdue, TaskID: task.ID, CaseID: app.ID,
			DueOn: day(2027, 4, 29), SendAt: at(12), Status: casework.ReminderPlanned, CreatedAt: t0}
		update(t, db, func(tx casework.Tx) error {
			added, err := tx.AddReminders(ctx, &present, &overdue)
			if added != 1 || present.ID != 0 || overdue.ID == 0 {
				t.Errorf("AddReminders(present, new) = %d, IDs %d and %d; want 1, 0 and an ID", added, present.ID, overdue.ID)
			}
			return err
		})
		view(t, db, func(tx casework.Tx) error {
			got, err := tx.ReminderByID(ctx, overdue.ID)
			must(t, err)
			if got.Kind != casework.ReminderOverdue || !got.SendAt.Equal(stored(at(12))) {
				t.Errorf("reminder %d = %s at %v, want the overdue one at %v", overdue.ID, got.Kind, got.SendAt, at(12))
			}
			return nil
		})
	})
}
