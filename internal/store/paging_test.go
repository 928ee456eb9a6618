package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/store"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// newApplication stores a client and their application case in tx.
func newApplication(tx casework.Tx, given, family string) (casework.Client, casework.Case, error) {
	c := casework.Client{GivenName: given, FamilyName: family, BirthDate: day(1990, 5, 17), CreatedAt: at(0)}
	if err := tx.CreateClient(ctx, &c); err != nil {
		return c, casework.Case{}, err
	}
	app := casework.Case{ClientID: c.ID, Kind: process.CaseAanvraag, Code: "0/L2", Status: process.StatusInBehandeling, OpenedAt: at(0)}
	return c, app, tx.CreateCase(ctx, &app)
}

// pagingFixture stores 120 open tasks of team top with ties in every sort
// key: deadlines shared and missing, holders shared and missing (two
// holders with the same name), clients with the same name, a few steps,
// and some creation times alike. And a few tasks the filter leaves out.
func pagingFixture(t *testing.T, db *store.DB) {
	t.Helper()
	var holders []int64
	for i, name := range []string{"Anna", "bert", "Anna", "Chris"} {
		holders = append(holders, newUser(t, db, fmt.Sprint("h", i), name).ID)
	}
	steps := []process.StepKey{process.StepIntakeGesprek, process.StepBesluit, process.StepRapportage}
	update(t, db, func(tx casework.Tx) error {
		for i := range 12 {
			c, app, err := newApplication(tx, []string{"Jan", "Piet", "Karel"}[i%3], []string{"Jansen", "de Vries"}[i%2])
			if err != nil {
				return err
			}
			for j := range 10 {
				n := i*10 + j
				k := casework.Task{ApplicationID: app.ID, CaseID: app.ID, ClientID: c.ID, Team: "top", Status: casework.TaskOpen,
					Step: steps[n%len(steps)], CreatedAt: at(n / 4)}
				if n%5 != 0 {
					k.DueOn = process.AddDays(day(2026, 4, 1), n%17)
				}
				if n%3 != 0 {
					k.HolderID = holders[n%len(holders)]
				}
				if err := tx.CreateTask(ctx, &k); err != nil {
					return err
				}
			}
			// Out of the filter: another team, and a task done.
			for _, k := range []casework.Task{
				{ApplicationID: app.ID, CaseID: app.ID, ClientID: c.ID, Team: "km", Status: casework.TaskOpen, Step: steps[0], CreatedAt: at(1)},
				{ApplicationID: app.ID, CaseID: app.ID, ClientID: c.ID, Team: "top", Status: casework.TaskDone, Step: steps[0], CreatedAt: at(1)},
			} {
				if err := tx.CreateTask(ctx, &k); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// TestListTasksPaging pages through 120 tasks in pages of 7 (so pages
// cross from the tasks with a deadline or holder to those without) for
// every sort in both directions, forwards and backwards: each task comes
// exactly once, in the order of the whole list.
// checkPages reads a list page by page with read (pages of size, at the
// cursor given, nil for the first; read backwards with Back nearest
// first), forwards from the start and backwards from the last row, and
// fails unless each pass gives every row of all once, in order. key names
// a row; at is its cursor.
func checkPages[T any](t *testing.T, name string, all []T, size int, read func(*casework.Cursor) []T, at func(T) casework.Cursor, key func(T) string) {
	t.Helper()
	keys := func(rows []T) string {
		var out []string
		for _, r := range rows {
			out = append(out, key(r))
		}
		return strings.Join(out, ",")
	}
	if len(all) == 0 {
		t.Fatalf("%s: no rows to page through", name)
	}
	var got []T
	var cur *casework.Cursor
	for pages := 0; ; pages++ {
		if pages > len(all)/size+1 {
			t.Fatalf("%s: paging forwards does not end", name)
		}
		page := read(cur)
		got = append(got, page...)
		if len(page) < size {
			break
		}
		c := at(page[len(page)-1])
		cur = &c
	}
	if keys(got) != keys(all) {
		t.Errorf("%s: forwards\n got  %s\n want %s", name, keys(got), keys(all))
	}
	got = []T{all[len(all)-1]}
	for pages := 0; ; pages++ {
		if pages > len(all)/size+1 {
			t.Fatalf("%s: paging backwards does not end", name)
		}
		c := at(got[0])
		c.Back = true
		page := read(&c)
		slices.Reverse(page)
		got = append(page, got...)
		if len(page) < size {
			break
		}
	}
	if keys(got) != keys(all) {
		t.Errorf("%s: backwards\n got  %s\n want %s", name, keys(got), keys(all))
	}
}

func TestListTasksPaging(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		pagingFixture(t, db)
		const size = 7
		for _, sort := range []string{"due", "since", "client", "step", "holder"} {
			for _, desc := range []bool{false, true} {
				name := fmt.Sprintf("%s desc=%v", sort, desc)
				f := casework.TaskFilter{Teams: []string{"top"}, Sort: sort, Desc: desc}
				view(t, db, func(tx casework.Tx) error {
					all, err := tx.ListTasks(ctx, casework.TaskFilter{Teams: f.Teams, Sort: sort, Desc: desc, Limit: 1000})
					must(t, err)
					if len(all) != 120 {
						t.Fatalf("%s: the whole list has %d tasks, want 120", name, len(all))
					}
					n, err := tx.CountTasks(ctx, f)
					must(t, err)
					if n != 120 {
						t.Errorf("%s: CountTasks = %d, want 120", name, n)
					}
					checkPages(t, name, all, size, func(c *casework.Cursor) []casework.Task {
						g := f
						g.Limit, g.Cursor = size, c
						page, err := tx.ListTasks(ctx, g)
						must(t, err)
						return page
					}, func(k casework.Task) casework.Cursor { return casework.TaskCursor(sort, desc, k) },
						func(k casework.Task) string { return fmt.Sprint(k.ID) })
					return nil
				})
			}
		}
		// A cursor of another sort is no position in this one: the first page.
		view(t, db, func(tx casework.Tx) error {
			first, err := tx.ListTasks(ctx, casework.TaskFilter{Teams: []string{"top"}, Limit: size})
			must(t, err)
			c := casework.TaskCursor("step", false, first[3])
			again, err := tx.ListTasks(ctx, casework.TaskFilter{Teams: []string{"top"}, Limit: size, Cursor: &c})
			must(t, err)
			if ids(again) != ids(first) {
				t.Errorf("cursor of another sort: got %s, want the first page %s", ids(again), ids(first))
			}
			return nil
		})
	})
}

// TestCountTasks counts with the filters of the worklist.
func TestCountTasks(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		pagingFixture(t, db)
		view(t, db, func(tx casework.Tx) error {
			for _, f := range []casework.TaskFilter{
				{}, {Teams: []string{"top"}}, {Teams: []string{"top", "km"}}, {Teams: []string{"top"}, Unassigned: true},
				{Step: process.StepBesluit}, {CaseCode: "0/L2", Teams: []string{"km"}}, {DueBefore: day(2026, 4, 5)},
				{Status: casework.TaskDone},
			} {
				all := f
				all.Limit = 10000
				rows, err := tx.ListTasks(ctx, all)
				must(t, err)
				n, err := tx.CountTasks(ctx, f)
				must(t, err)
				if n != len(rows) || n == 0 {
					t.Errorf("CountTasks(%+v) = %d, ListTasks has %d", f, n, len(rows))
				}
			}
			return nil
		})
	})
}

// TestWorklistUsesIndex asserts that the team worklist's query (one team,
// by deadline, one page) reads the partial index tasks_open_team_due in
// its order and stops at the page: no sort of every open task of the team.
// On PostgreSQL the planner decides by statistics, so the table holds
// enough tasks of several teams, analysed.
func TestWorklistUsesIndex(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		teams := []string{"top", "km", "ag", "po", "ondersteuning"}
		update(t, db, func(tx casework.Tx) error {
			for i := range 400 {
				c, app, err := newApplication(tx, "Klant", fmt.Sprint("Nummer ", i))
				if err != nil {
					return err
				}
				for j := range 10 {
					k := casework.Task{ApplicationID: app.ID, CaseID: app.ID, ClientID: c.ID, Team: teams[(i+j)%len(teams)],
						Status: casework.TaskOpen, Step: process.StepIntakeGesprek, CreatedAt: at(i), DueOn: process.AddDays(day(2026, 4, 1), (i*7+j)%90)}
					if j > 3 {
						k.Status = casework.TaskDone
					}
					if err := tx.CreateTask(ctx, &k); err != nil {
						return err
					}
				}
			}
			return nil
		})
		must(t, db.Analyze(ctx))
		f := casework.TaskFilter{Teams: []string{"top"}, Limit: casework.PageSize + 1}
		// The tasks with a deadline: a range of the index in its order,
		// cut at the page, no sort.
		plan, err := db.ExplainListTasks(ctx, f, false)
		must(t, err)
		if !strings.Contains(plan, "tasks_open_team_due") {
			t.Errorf("the worklist's query does not use tasks_open_team_due:\n%s", plan)
		}
		if strings.Contains(plan, "TEMP B-TREE FOR ORDER BY") || strings.Contains(plan, "Sort Key") {
			t.Errorf("the worklist's query sorts the team's tasks instead of stopping at a page:\n%s", plan)
		}
		// The statement ListTasks runs adds those without a deadline, cut
		// at a page too: both parts read the index, and a sort, if any,
		// orders the two cut pages (at most twice the page).
		whole, err := db.ExplainListTasks(ctx, f, true)
		must(t, err)
		if n := strings.Count(whole, "tasks_open_team_due"); n != 2 {
			t.Errorf("the whole statement reads tasks_open_team_due %d times, want 2 (each part):\n%s", n, whole)
		}
		if strings.Contains(whole, "Seq Scan on tasks") || strings.Contains(whole, "SCAN t ") {
			t.Errorf("the whole statement scans the tasks:\n%s", whole)
		}
		t.Logf("plan of the first part:\n%s\nthe whole statement:\n%s", plan, whole)
	})
}

// TestAuditEntriesPaging pages through 120 audit rows over three days,
// newest first and oldest first, forwards and backwards, with and
// without a filter: each row once, in the order of the whole log.
func TestAuditEntriesPaging(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		update(t, db, func(tx casework.Tx) error {
			for i := range 120 {
				e := casework.AuditEntry{Day: fmt.Sprintf("2026-11-%02d", 10+i%3), At: at(i), Action: fmt.Sprintf("GET /klanten/%d", i%4),
					Channel: "web", Result: casework.AuditAllowed, Status: 200}
				if err := tx.AppendAudit(ctx, &e); err != nil {
					return err
				}
			}
			return nil
		})
		const size = 9
		for _, oldest := range []bool{false, true} {
			for _, action := range []string{"", "/klanten/2"} {
				name := fmt.Sprintf("oldest=%v action=%q", oldest, action)
				f := casework.AuditFilter{Oldest: oldest, Action: action}
				view(t, db, func(tx casework.Tx) error {
					all, err := tx.AuditEntries(ctx, f)
					must(t, err)
					if n, err := tx.CountAuditEntries(ctx, f); err != nil || n != len(all) {
						t.Errorf("%s: count %d (%v), rows %d", name, n, err, len(all))
					}
					checkPages(t, name, all, size, func(c *casework.Cursor) []casework.AuditEntry {
						g := f
						g.Limit, g.Cursor = size, c
						page, err := tx.AuditEntries(ctx, g)
						must(t, err)
						return page
					}, func(e casework.AuditEntry) casework.Cursor { return casework.AuditCursor(oldest, e) },
						func(e casework.AuditEntry) string { return fmt.Sprintf("%s/%d", e.Day, e.Seq) })
					return nil
				})
			}
		}
	})
}

// TestListMessagesPaging pages through 60 messages, some created at the
// same moment, newest first, forwards and backwards, of every status and
// of one: each once, in order; CountMessages counts them per status.
func TestListMessagesPaging(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		update(t, db, func(tx casework.Tx) error {
			for i := range 60 {
				st := casework.MessageByPost
				if i%3 == 0 {
					st = casework.MessageSent
				}
				m := casework.Message{Kind: "Brief", Subject: fmt.Sprint("Brief ", i), Status: st, CreatedAt: at(i / 2)}
				if err := tx.EnqueueMessage(ctx, &m); err != nil {
					return err
				}
			}
			return nil
		})
		for _, st := range []string{"", casework.MessageSent} {
			view(t, db, func(tx casework.Tx) error {
				all, err := tx.ListMessages(ctx, casework.MessageFilter{Status: st, Limit: 1000})
				must(t, err)
				checkPages(t, fmt.Sprintf("status %q", st), all, 7, func(c *casework.Cursor) []casework.Message {
					page, err := tx.ListMessages(ctx, casework.MessageFilter{Status: st, Limit: 7, Cursor: c})
					must(t, err)
					return page
				}, casework.MessageCursor, func(m casework.Message) string { return fmt.Sprint(m.ID) })
				return nil
			})
		}
		view(t, db, func(tx casework.Tx) error {
			counts, err := tx.CountMessages(ctx)
			must(t, err)
			same(t, "counts", counts, map[string]int{casework.MessageByPost: 40, casework.MessageSent: 20})
			return nil
		})
	})
}

// TestOpenDossiersPaging pages through an owner's open participation
// dossiers, by client name (names shared) and id, forwards and backwards.
func TestOpenDossiersPaging(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		owner := newUser(t, db, "km", "Kim")
		other := newUser(t, db, "km2", "Karel")
		for i := range 23 {
			c := newClient(t, db, "", []string{"Jan", "Piet"}[i%2], []string{"Jansen", "de Vries", "Appel"}[i%3])
			app := newCase(t, db, c.ID, process.CaseAanvraag, 0)
			pa := casework.Case{ClientID: c.ID, Kind: process.CaseParticipatie, Code: "17/PA", Status: process.StatusWerkdiagnose,
				ApplicationID: app.ID, OpenedAt: at(0), DossierOwner: owner.ID}
			if i%5 == 4 {
				pa.DossierOwner = other.ID
			}
			update(t, db, func(tx casework.Tx) error { return tx.CreateCase(ctx, &pa) })
		}
		view(t, db, func(tx casework.Tx) error {
			all, err := tx.OpenDossiers(ctx, casework.DossierFilter{OwnerID: owner.ID})
			must(t, err)
			n, err := tx.CountOpenDossiers(ctx, owner.ID)
			must(t, err)
			if n != len(all) || n != 19 {
				t.Errorf("CountOpenDossiers = %d, rows %d, want 19", n, len(all))
			}
			checkPages(t, "dossiers", all, 4, func(c *casework.Cursor) []casework.DossierRow {
				page, err := tx.OpenDossiers(ctx, casework.DossierFilter{OwnerID: owner.ID, Limit: 4, Cursor: c})
				must(t, err)
				return page
			}, casework.DossierCursor, func(r casework.DossierRow) string { return fmt.Sprint(r.ID) })
			return nil
		})
	})
}

// BenchmarkWorklistPage measures the team worklist on 50,000 tasks of five
// teams (20,000 open, 4,000 per team): a page of 50 (read as 51) by
// keyset, the 500 rows a page held before paging, the page's COUNT, and
// the navigation's old way (every task the user holds, joined) beside its
// COUNT.
func BenchmarkWorklistPage(b *testing.B) {
	teams := []string{"top", "km", "ag", "po", "ondersteuning"}
	for _, engine := range storetest.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			db := storetest.Open(b, engine)
			var holder int64
			err := db.Update(ctx, func(tx casework.Tx) error {
				u := casework.User{Username: "h", Name: "Houder"}
				if err := tx.CreateUser(ctx, &u); err != nil {
					return err
				}
				holder = u.ID
				for i := range 5000 {
					c, cs, err := newApplication(tx, "Klant", fmt.Sprint("Nummer ", i))
					if err != nil {
						return err
					}
					for j := range 10 {
						k := casework.Task{ApplicationID: cs.ID, CaseID: cs.ID, ClientID: c.ID, Step: process.StepIntakeGesprek,
							Team: teams[(i+j)%len(teams)], Status: casework.TaskOpen, CreatedAt: at(i), DueOn: process.AddDays(day(2026, 4, 1), (i*7+j)%120)}
						if j >= 4 {
							k.Status = casework.TaskDone
						}
						if j == 1 && i%10 == 0 {
							k.HolderID = holder
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
			if err := db.Analyze(ctx); err != nil {
				b.Fatal(err)
			}
			run := func(name string, fn func(tx casework.Tx) error) {
				b.Run(name, func(b *testing.B) {
					for b.Loop() {
						if err := db.View(ctx, fn); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
			one := []string{"top"}
			run("page50", func(tx casework.Tx) error {
				_, err := tx.ListTasks(ctx, casework.TaskFilter{Teams: one, Limit: casework.PageSize + 1})
				return err
			})
			run("rows500", func(tx casework.Tx) error {
				_, err := tx.ListTasks(ctx, casework.TaskFilter{Teams: one, Limit: 500})
				return err
			})
			run("count", func(tx casework.Tx) error {
				_, err := tx.CountTasks(ctx, casework.TaskFilter{Teams: one})
				return err
			})
			run("nav-old", func(tx casework.Tx) error {
				_, err := tx.ListTasks(ctx, casework.TaskFilter{HolderID: holder})
				if err == nil {
					_, err = tx.OpenTaskCounts(ctx, teams)
				}
				return err
			})
			run("nav-count", func(tx casework.Tx) error {
				_, err := tx.CountTasks(ctx, casework.TaskFilter{HolderID: holder})
				if err == nil {
					_, err = tx.CountTasks(ctx, casework.TaskFilter{Teams: teams})
				}
				return err
			})
		})
	}
}

// TestClientEventsPaging pages through a client's 120 history lines, many
// at the same moment, newest first, forwards and backwards: each once, in
// order, and none of another client's.
func TestClientEventsPaging(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		c := newClient(t, db, "", "Jan", "Jansen")
		other := newClient(t, db, "", "Piet", "Pietersen")
		update(t, db, func(tx casework.Tx) error {
			for i := range 120 {
				for _, id := range []int64{c.ID, other.ID} {
					e := casework.Event{ClientID: id, Kind: "test", Summary: fmt.Sprint("Regel ", i), At: at(i / 3)}
					if err := tx.AppendEvent(ctx, &e); err != nil {
						return err
					}
				}
			}
			return nil
		})
		view(t, db, func(tx casework.Tx) error {
			all, err := tx.ClientEvents(ctx, c.ID, nil, 1000)
			must(t, err)
			if len(all) != 120 {
				t.Fatalf("the whole history has %d lines, want 120", len(all))
			}
			for i := 1; i < len(all); i++ {
				if all[i].At.After(all[i-1].At) || all[i].At.Equal(all[i-1].At) && all[i].ID > all[i-1].ID {
					t.Fatalf("line %d (%v, %d) is newer than the line before it (%v, %d)", i, all[i].At, all[i].ID, all[i-1].At, all[i-1].ID)
				}
			}
			checkPages(t, "history", all, 7, func(cur *casework.Cursor) []casework.Event {
				page, err := tx.ClientEvents(ctx, c.ID, cur, 7)
				must(t, err)
				return page
			}, casework.EventCursor, func(e casework.Event) string { return fmt.Sprint(e.ID) })
			return nil
		})
	})
}

// TestOpenDossiersWithoutOwner: casework.NoOwner selects the open
// participation dossiers without an owner, counted and paged like an
// owner's; Caseload counts them under 0 beside each owner's.
func TestOpenDossiersWithoutOwner(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		owner := newUser(t, db, "km", "Kim")
		for i := range 11 {
			c := newClient(t, db, "", "Jan", []string{"Jansen", "Appel"}[i%2])
			app := newCase(t, db, c.ID, process.CaseAanvraag, 0)
			pa := casework.Case{ClientID: c.ID, Kind: process.CaseParticipatie, Code: "17/PA", Status: process.StatusWerkdiagnose,
				ApplicationID: app.ID, OpenedAt: at(0)}
			if i%3 == 0 {
				pa.DossierOwner = owner.ID
			}
			update(t, db, func(tx casework.Tx) error { return tx.CreateCase(ctx, &pa) })
		}
		view(t, db, func(tx casework.Tx) error {
			all, err := tx.OpenDossiers(ctx, casework.DossierFilter{OwnerID: casework.NoOwner})
			must(t, err)
			for _, r := range all {
				if r.DossierOwner != 0 {
					t.Errorf("dossier %d has owner %d", r.ID, r.DossierOwner)
				}
			}
			n, err := tx.CountOpenDossiers(ctx, casework.NoOwner)
			must(t, err)
			if n != len(all) || n != 7 {
				t.Errorf("CountOpenDossiers(NoOwner) = %d, rows %d, want 7", n, len(all))
			}
			load, err := tx.Caseload(ctx)
			must(t, err)
			same(t, "caseload", load, map[int64]int{0: 7, owner.ID: 4})
			checkPages(t, "without owner", all, 3, func(c *casework.Cursor) []casework.DossierRow {
				page, err := tx.OpenDossiers(ctx, casework.DossierFilter{OwnerID: casework.NoOwner, Limit: 3, Cursor: c})
				must(t, err)
				return page
			}, casework.DossierCursor, func(r casework.DossierRow) string { return fmt.Sprint(r.ID) })
			return nil
		})
	})
}
