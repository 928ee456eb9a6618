package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/api"
	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/demo"
	"github.com/bar-organisatie/werkdiagnose/internal/jobs"
	"github.com/bar-organisatie/werkdiagnose/internal/store"
)

// WorklistUser is the caseworker whose pages the harness reads: a
// poortwachter of Team Poort, the team with the most open tasks.
const WorklistUser = "pieter"

// fixture is what the timed requests need from a generated database: API
// tokens, the ids of clients and tasks the worklist user may see, and
// prepared step completions.
type fixture struct {
	tokens  map[string]string // username → API token
	clients []int64           // clients with an open task of Team Poort
	tasks   []int64           // those open tasks
	steps   []completion
}

// completion is one prepared step completion: an intake of a fresh
// application, with the values the demo walker fills in.
type completion struct {
	task  int64
	user  string
	body  []byte // the API's CompleteInput
	vals  casework.Values
	actor casework.Actor
	ver   int
}

// prepare opens the database (while no server runs on it), issues API
// tokens to the demo users, picks the worklist user's clients and tasks
// and applies `steps` fresh applications whose intake the harness can
// complete.
func prepare(ctx context.Context, dsn string, steps int, log *slog.Logger) (*fixture, error) {
	db, err := store.Open(ctx, dsn, store.WithJobs(jobs.Kinds{}))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	// Migrations newer than the data run here, untimed, not in the timed
	// start of the server.
	if err := db.Migrate(ctx); err != nil {
		return nil, err
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc, _, _, err := newService(ctx, db, casework.SystemClock{}, quiet)
	if err != nil {
		return nil, err
	}
	f := &fixture{tokens: map[string]string{}}
	admin, err := svc.UserByUsername(ctx, "bram")
	if err != nil {
		return nil, fmt.Errorf("bench: no demo users (generate first): %w", err)
	}
	var users []casework.User
	for _, a := range demo.Accounts {
		u, err := svc.UserByUsername(ctx, a.Username)
		if err != nil {
			return nil, err
		}
		users = append(users, u)
		if a.System {
			continue
		}
		tok, err := svc.IssueToken(ctx, casework.Actor{User: admin}, u.ID, "bench "+time.Now().Format(time.DateTime))
		if err != nil {
			return nil, fmt.Errorf("bench: token for %s: %w", a.Username, err)
		}
		f.tokens[a.Username] = tok
	}
	rows, err := db.SQL().QueryContext(ctx, `SELECT id, client_id FROM tasks WHERE status = 'open' AND team = 'poort' ORDER BY id DESC LIMIT 500`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var t, c int64
		if err := rows.Scan(&t, &c); err != nil {
			rows.Close()
			return nil, err
		}
		f.tasks = append(f.tasks, t)
		f.clients = append(f.clients, c)
	}
	rows.Close()
	if len(f.tasks) == 0 {
		return nil, fmt.Errorf("bench: no open tasks of Team Poort")
	}
	start := time.Now()
	if f.steps, err = prepareSteps(ctx, svc, users, steps, 90000000+int(time.Now().UnixNano()%8000000)); err != nil {
		return nil, err
	}
	log.Info("prepared", "steps", len(f.steps), "took", time.Since(start).Round(time.Millisecond))
	return f, nil
}

// prepareSteps applies n applications and prepares the completion of each
// one's first open task (the intake) as the user who would do it. BSNs
// count up from bsnFrom (format-valid, invented); a BSN taken already is
// skipped.
func prepareSteps(ctx context.Context, svc *casework.Service, users []casework.User, n, bsnFrom int) ([]completion, error) {
	w := &demo.Walker{Svc: svc, Users: users}
	byID := map[int64]casework.User{}
	for _, u := range users {
		byID[u.ID] = u
	}
	var out []completion
	now := time.Now()
	for i := 0; len(out) < n; i++ {
		if i > 3*n+10 {
			return nil, fmt.Errorf("bench: could not apply %d applications", n)
		}
		bsn := bsnFor(bsnFrom + i)
		if bsn == "" {
			continue
		}
		p := demo.NewPerson(randFor(uint64(i)), i, 30+i%30, now)
		p.BSN = bsn
		app, err := w.Apply(ctx, p, false)
		if err != nil {
			if casework.ErrorCode(err) == casework.CodeConflict || casework.ErrorCode(err) == casework.CodeInvalid {
				continue // a BSN a template happens to have
			}
			return nil, err
		}
		open, err := w.OpenTasks(ctx, app.ClientID)
		if err != nil || len(open) == 0 {
			return nil, fmt.Errorf("bench: no open task after applying: %v", err)
		}
		t := open[0]
		vals, err := w.Values(ctx, t, demo.Choice{TargetGroup: "regulier"})
		if err != nil {
			return nil, err
		}
		velden := api.Velden{}
		for name, v := range vals {
			velden[name] = api.FieldValue(v)
		}
		body, err := json.Marshal(api.CompleteInput{Version: t.Version, Velden: velden})
		if err != nil {
			return nil, err
		}
		u, ok := byID[t.HolderID]
		if !ok {
			team, _ := svc.Definition().Policy.Team(t.Team)
			if u, err = w.User(team.Role); err != nil {
				return nil, err
			}
		}
		out = append(out, completion{task: t.ID, user: u.Username, body: body, vals: vals, actor: casework.Actor{User: u}, ver: t.Version})
	}
	return out, nil
}
