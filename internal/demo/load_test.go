package demo_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/demo"
	"github.com/bar-organisatie/werkdiagnose/internal/ics"
	"github.com/bar-organisatie/werkdiagnose/internal/letters"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

func TestLoadSpreadsClientsOverEveryStep(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, engine)
			def, err := process.NewDefinition(process.DefaultPolicy())
			if err != nil {
				t.Fatal(err)
			}
			now := time.Date(2027, 3, 10, 14, 0, 0, 0, process.Amsterdam)
			sum, err := demo.Load(ctx, db, def, casework.DefaultConfig(), slog.New(slog.DiscardHandler), now, "demo-wachtwoord-123")
			if err != nil {
				t.Fatal(err)
			}
			if sum.Clients != len(demo.Scenarios()) || sum.Clients < 38 || sum.Meldingen != 1 {
				t.Fatalf("clients = %d, meldingen = %d", sum.Clients, sum.Meldingen)
			}
			svc, err := casework.NewService(ctx, casework.Deps{Store: db, Clock: casework.NewManualClock(now), Invitations: ics.Invitations{}, Letters: letters.MustNew(), Log: slog.New(slog.DiscardHandler)}, def, casework.DefaultConfig())
			if err != nil {
				t.Fatal(err)
			}
			var lead casework.User
			for _, u := range sum.Users {
				if u.Roles.Has(process.RoleTeamleider) {
					lead = u
				}
			}
			counts, cases, err := svc.Dashboard(ctx, casework.Actor{User: lead})
			if err != nil {
				t.Fatal(err)
			}
			overdue := 0
			for _, c := range counts {
				// A step started by hand is done as it is started.
				if c.Open == 0 && c.Step.On != process.OnRequest {
					t.Errorf("no demo client has an open %q task", c.Step.Title)
				}
				overdue += c.Overdue
			}
			if overdue < 3 {
				t.Errorf("overdue tasks = %d, want some", overdue)
			}
			for _, k := range []string{"participatie/" + process.StatusNUG, "participatie/" + process.StatusAfgesloten, "participatie/" + process.StatusBegeleiding, "aanvraag/" + process.StatusBesloten} {
				if cases[k] == 0 {
					t.Errorf("no case with status %s (have %v)", k, cases)
				}
			}
		})
	}
}
