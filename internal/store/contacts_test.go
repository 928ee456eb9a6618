package store_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/store"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// Contact moments and notes round-trip, change only from their current
// version, and are never deleted.
func TestContactsAndNotes(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		km := newUser(t, db, "km", "Karin")
		cl := newClient(t, db, "111222333", "Jan", "Jansen")
		other := newClient(t, db, "", "Piet", "de Vries")
		app := newCase(t, db, cl.ID, process.CaseAanvraag, 0)
		part := newCase(t, db, cl.ID, process.CaseParticipatie, app.ID)

		c := casework.ContactMoment{ClientID: cl.ID, CaseID: part.ID, Kind: process.ContactPhone, Direction: process.DirectionIn,
			At: at(2), Summary: "Belde over de afspraak.\nKomt dinsdag.", AuthorID: km.ID, AuthorName: "Karin", CreatedAt: at(3)}
		update(t, db, func(tx casework.Tx) error { return tx.AddContact(ctx, &c) })
		if c.ID == 0 || c.Version != 1 {
			t.Fatalf("added contact = %+v", c)
		}
		// An earlier contact recorded later comes first.
		early := casework.ContactMoment{ClientID: cl.ID, CaseID: app.ID, Kind: process.ContactLetter, Direction: process.DirectionOut,
			At: at(1), Summary: "Brief gestuurd.", AuthorID: km.ID, AuthorName: "Karin", CreatedAt: at(4)}
		update(t, db, func(tx casework.Tx) error { return tx.AddContact(ctx, &early) })
		want := c
		want.At, want.CreatedAt, want.CaseCode = stored(at(2)), stored(at(3)), "17/PA"
		view(t, db, func(tx casework.Tx) error {
			got, err := tx.ContactByID(ctx, c.ID)
			must(t, err)
			same(t, "contact by id", got, want)
			_, err = tx.ContactByID(ctx, 999)
			wantNotFound(t, "ContactByID", err)
			all, err := tx.ContactsByClient(ctx, cl.ID, casework.Span{})
			must(t, err)
			if len(all) != 2 || all[0].ID != early.ID || all[1].ID != c.ID || all[0].CaseCode != "0/L2" {
				t.Errorf("contacts by client = %+v", all)
			}
			// A span holds its start and not its end, as Span.Covers.
			for _, tc := range []struct {
				name string
				span casework.Span
				want []int64
			}{
				{"from the second", casework.Span{From: stored(at(2))}, []int64{c.ID}},
				{"until the second", casework.Span{Until: stored(at(2))}, []int64{early.ID}},
				{"from the first until after the second", casework.Span{From: stored(at(1)), Until: stored(at(3))}, []int64{early.ID, c.ID}},
				{"between them", casework.Span{From: stored(at(1)).Add(time.Microsecond), Until: stored(at(2))}, nil},
			} {
				got, err := tx.ContactsByClient(ctx, cl.ID, tc.span)
				must(t, err)
				var ids []int64
				for _, k := range got {
					ids = append(ids, k.ID)
					if !tc.span.Covers(k.At) {
						t.Errorf("%s: contact at %v, which the span does not cover", tc.name, k.At)
					}
				}
				if !slices.Equal(ids, tc.want) {
					t.Errorf("contacts %s = %v, want %v", tc.name, ids, tc.want)
				}
			}
			none, err := tx.ContactsByClient(ctx, other.ID, casework.Span{})
			must(t, err)
			if len(none) != 0 {
				t.Errorf("another client's contacts = %+v", none)
			}
			return nil
		})

		// A change from the current version raises it; from an old one is stale.
		stale := c
		c.Summary, c.Direction, c.UpdatedAt = "Belde terug.", process.DirectionOut, at(5)
		update(t, db, func(tx casework.Tx) error { return tx.UpdateContact(ctx, &c) })
		if c.Version != 2 {
			t.Errorf("version after update = %d", c.Version)
		}
		stale.Summary = "Oud"
		err := db.Update(ctx, func(tx casework.Tx) error { return tx.UpdateContact(ctx, &stale) })
		wantStale(t, "UpdateContact from version 1", err)
		gone := casework.ContactMoment{ID: 999, Version: 1, At: at(1)}
		err = db.Update(ctx, func(tx casework.Tx) error { return tx.UpdateContact(ctx, &gone) })
		wantNotFound(t, "UpdateContact of a missing one", err)
		view(t, db, func(tx casework.Tx) error {
			got, err := tx.ContactByID(ctx, c.ID)
			must(t, err)
			if got.Summary != "Belde terug." || got.Direction != process.DirectionOut || !got.UpdatedAt.Equal(stored(at(5))) ||
				got.Version != 2 || !got.CreatedAt.Equal(stored(at(3))) || got.AuthorID != km.ID {
				t.Errorf("after update: %+v", got)
			}
			return nil
		})

		n := casework.Note{ClientID: cl.ID, CaseID: app.ID, Body: "Eerste notitie", AuthorID: km.ID, AuthorName: "Karin", CreatedAt: at(6)}
		update(t, db, func(tx casework.Tx) error { return tx.AddNote(ctx, &n) })
		n2 := casework.Note{ClientID: cl.ID, CaseID: part.ID, Body: "Tweede", AuthorID: km.ID, CreatedAt: at(7)}
		update(t, db, func(tx casework.Tx) error { return tx.AddNote(ctx, &n2) })
		staleNote := n
		n.Body, n.CaseID, n.UpdatedAt = "Eerste notitie, aangevuld", part.ID, at(8)
		update(t, db, func(tx casework.Tx) error { return tx.UpdateNote(ctx, &n) })
		err = db.Update(ctx, func(tx casework.Tx) error { return tx.UpdateNote(ctx, &staleNote) })
		wantStale(t, "UpdateNote from version 1", err)
		view(t, db, func(tx casework.Tx) error {
			got, err := tx.NoteByID(ctx, n.ID)
			must(t, err)
			wantNote := n
			wantNote.CreatedAt, wantNote.UpdatedAt, wantNote.CaseCode = stored(at(6)), stored(at(8)), "17/PA"
			same(t, "note by id", got, wantNote)
			all, err := tx.NotesByClient(ctx, cl.ID, casework.Span{})
			must(t, err)
			// A note stored without its author's name shows the current name.
			if len(all) != 2 || all[0].ID != n.ID || all[1].AuthorName != "Karin" {
				t.Errorf("notes by client = %+v", all)
			}
			// By the moment it was written, in a span as Span.Covers.
			later, err := tx.NotesByClient(ctx, cl.ID, casework.Span{From: stored(at(7))})
			must(t, err)
			earlier, err := tx.NotesByClient(ctx, cl.ID, casework.Span{From: stored(at(6)), Until: stored(at(7))})
			must(t, err)
			if len(later) != 1 || later[0].ID != n2.ID || len(earlier) != 1 || earlier[0].ID != n.ID {
				t.Errorf("notes from %v: %+v; from %v until then: %+v; want the second and the first", at(7), later, at(6), earlier)
			}
			_, err = tx.NoteByID(ctx, 999)
			wantNotFound(t, "NoteByID", err)
			return nil
		})

		// The database refuses to delete them.
		for _, q := range []string{`DELETE FROM contact_moments`, `DELETE FROM notes`} {
			_, err := db.SQL().ExecContext(ctx, q)
			if err == nil || !strings.Contains(err.Error(), "never deleted") {
				t.Errorf("%s: got %v, want a never-deleted error", q, err)
			}
		}
	})
}

// OpenDossiers lists the open participation cases with the client's next
// appointment, the earliest open term of the flow and the last contact.
func TestOpenDossiers(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		karin := newUser(t, db, "karin", "Karin", process.RoleKMWerk)
		kees := newUser(t, db, "kees", "Kees", process.RoleKMWerk)
		mk := func(bsn, given, family string, owner int64) (casework.Client, casework.Case, casework.Case) {
			cl := newClient(t, db, bsn, given, family)
			app := newCase(t, db, cl.ID, process.CaseAanvraag, 0)
			part := newCase(t, db, cl.ID, process.CaseParticipatie, app.ID)
			part.DossierOwner = owner
			update(t, db, func(tx casework.Tx) error { return tx.UpdateCase(ctx, &part) })
			return cl, app, part
		}
		jan, janApp, janPart := mk("111222333", "Jan", "Zwart", karin.ID)
		anna, _, annaPart := mk("", "Anna", "Bakker", karin.ID)
		_, _, piet := mk("", "Piet", "Claes", kees.ID)
		// A closed dossier is not listed.
		_, _, closed := mk("", "Els", "Arends", karin.ID)
		closed.ClosedAt = at(1)
		update(t, db, func(tx casework.Tx) error { return tx.UpdateCase(ctx, &closed) })

		from := time.Date(2026, 4, 7, 12, 0, 0, 0, process.Amsterdam)
		book := func(cl casework.Client, c casework.Case, start time.Time, room string, cancel bool) {
			a := casework.Appointment{CaseID: c.ID, ClientID: cl.ID, Kind: process.AppointmentVervolg, StartAt: start,
				EndAt: start.Add(30 * time.Minute), Room: room, KlantmanagerID: karin.ID, CreatedBy: karin.ID, CreatedAt: t0}
			update(t, db, func(tx casework.Tx) error {
				if err := tx.CreateAppointment(ctx, &a, []time.Time{start, start.Add(15 * time.Minute)}); err != nil {
					return err
				}
				if cancel {
					return tx.CancelAppointment(ctx, a.ID)
				}
				return nil
			})
		}
		book(jan, janPart, from.Add(-time.Hour), "sk1", false)   // past
		book(jan, janPart, from.Add(48*time.Hour), "sk1", false) // later
		book(jan, janPart, from.Add(24*time.Hour), "sk2", true)  // cancelled
		book(jan, janPart, from.Add(26*time.Hour), "sk3", false) // the next
		newTask(t, db, casework.Task{ApplicationID: janApp.ID, CaseID: janApp.ID, ClientID: jan.ID, DueOn: day(2026, 4, 20)})
		newTask(t, db, casework.Task{ApplicationID: janApp.ID, CaseID: janPart.ID, ClientID: jan.ID, DueOn: day(2026, 4, 10)})
		newTask(t, db, casework.Task{ApplicationID: janApp.ID, CaseID: janPart.ID, ClientID: jan.ID, DueOn: day(2026, 4, 1), Status: casework.TaskDone})
		for i, h := range []int{5, 9, 2} {
			c := casework.ContactMoment{ClientID: jan.ID, CaseID: janPart.ID, Kind: process.ContactPhone, Direction: process.DirectionIn,
				At: at(h), Summary: "contact " + string(rune('a'+i)), AuthorID: karin.ID, CreatedAt: at(10)}
			update(t, db, func(tx casework.Tx) error { return tx.AddContact(ctx, &c) })
		}

		view(t, db, func(tx casework.Tx) error {
			all, err := tx.OpenDossiers(ctx, casework.DossierFilter{From: from})
			must(t, err)
			var got []string
			for _, r := range all {
				got = append(got, r.ClientName)
			}
			// By family name.
			if strings.Join(got, ", ") != "Anna Bakker, Piet Claes, Jan Zwart" {
				t.Errorf("all open dossiers: %v", got)
			}
			mine, err := tx.OpenDossiers(ctx, casework.DossierFilter{OwnerID: karin.ID, From: from})
			must(t, err)
			if len(mine) != 2 || mine[0].ID != annaPart.ID || mine[1].ID != janPart.ID || mine[1].DossierOwnerName != "Karin" {
				t.Fatalf("karin's dossiers: %+v", mine)
			}
			j := mine[1]
			if !j.NextAppointment.Equal(stored(from.Add(26*time.Hour))) || !j.NextDue.Equal(day(2026, 4, 10)) || !j.LastContact.Equal(stored(at(9))) {
				t.Errorf("jan: next appointment %v, next due %v, last contact %v", j.NextAppointment, j.NextDue, j.LastContact)
			}
			if a := mine[0]; !a.NextAppointment.IsZero() || !a.NextDue.IsZero() || !a.LastContact.IsZero() || a.ClientID != anna.ID {
				t.Errorf("anna has nothing planned: %+v", a)
			}
			keesOnly, err := tx.OpenDossiers(ctx, casework.DossierFilter{OwnerID: kees.ID, From: from})
			must(t, err)
			if len(keesOnly) != 1 || keesOnly[0].ID != piet.ID {
				t.Errorf("kees's dossiers: %+v", keesOnly)
			}
			return nil
		})
	})
}
