// Package casetest builds a real Service on a fresh, migrated database of
// either engine, with one invented user per role, for tests of the
// service, the web UI and the API.
package casetest

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/demo"
	"github.com/bar-organisatie/werkdiagnose/internal/ics"
	"github.com/bar-organisatie/werkdiagnose/internal/letters"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/store"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// Password is the password of every test user.
const Password = "werkdiagnose-test"

var (
	hashOnce     sync.Once
	passwordHash string
)

// Start is the time the test clock starts at: Monday 1 March 2027, 09:00.
var Start = time.Date(2027, 3, 1, 9, 0, 0, 0, process.Amsterdam)

// Env is a service with its database, clock and users.
type Env struct {
	Svc    *casework.Service
	DB     *store.DB
	Clock  *casework.ManualClock
	Users  map[process.Role]casework.User // the first user of each role
	All    []casework.User
	Walker *demo.Walker
	rng    *rand.Rand
	n      int
}

// New returns an Env on the engine ("sqlite" or "postgres") with the
// default policy.
func New(t testing.TB, engine string) *Env {
	t.Helper()
	return NewWithPolicy(t, engine, process.DefaultPolicy())
}

// NewWithPolicy returns an Env whose current definition is built from p.
func NewWithPolicy(t testing.TB, engine string, p process.Policy) *Env {
	t.Helper()
	def, err := process.NewDefinition(p)
	if err != nil {
		t.Fatalf("casetest: definition: %v", err)
	}
	return NewWithDefinition(t, engine, def)
}

// NewWithDefinition returns an Env whose current definition is def.
func NewWithDefinition(t testing.TB, engine string, def *process.Definition) *Env {
	t.Helper()
	return newEnv(t, engine, def, casework.DefaultConfig())
}

// NewWithConfig returns an Env with the default policy and the use cases'
// configuration cfg.
func NewWithConfig(t testing.TB, engine string, cfg casework.Config) *Env {
	t.Helper()
	def, err := process.NewDefinition(process.DefaultPolicy())
	if err != nil {
		t.Fatalf("casetest: definition: %v", err)
	}
	return newEnv(t, engine, def, cfg)
}

// NewWithPDF returns an Env with the default policy whose letters are
// printed by r.
func NewWithPDF(t testing.TB, engine string, r casework.PDFRenderer) *Env {
	t.Helper()
	def, err := process.NewDefinition(process.DefaultPolicy())
	if err != nil {
		t.Fatalf("casetest: definition: %v", err)
	}
	return newEnvWith(t, engine, def, casework.DefaultConfig(), r)
}

func newEnv(t testing.TB, engine string, def *process.Definition, cfg casework.Config) *Env {
	t.Helper()
	return newEnvWith(t, engine, def, cfg, nil)
}

func newEnvWith(t testing.TB, engine string, def *process.Definition, cfg casework.Config, pdf casework.PDFRenderer) *Env {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t, engine)
	clock := casework.NewManualClock(Start)
	svc, err := casework.NewService(ctx, casework.Deps{Store: db, Clock: clock, Invitations: ics.Invitations{}, Letters: letters.MustNew(),
		PDF: pdf, Log: slog.New(slog.DiscardHandler)}, def, cfg)
	if err != nil {
		t.Fatalf("casetest: service: %v", err)
	}
	hashOnce.Do(func() { passwordHash = casework.HashPassword(Password) })
	users, err := demo.CreateUsersWithHash(ctx, svc, passwordHash)
	if err != nil {
		t.Fatalf("casetest: users: %v", err)
	}
	e := &Env{Svc: svc, DB: db, Clock: clock, Users: map[process.Role]casework.User{}, All: users,
		Walker: &demo.Walker{Svc: svc, Clock: clock, Users: users}, rng: rand.New(rand.NewPCG(1, uint64(len(t.Name()))))}
	for _, u := range users {
		for _, r := range u.Roles {
			if _, ok := e.Users[r]; !ok && !u.System {
				e.Users[r] = u
			}
		}
	}
	return e
}

// Actor returns the first user of the role as an actor.
func (e *Env) Actor(r process.Role) casework.Actor { return casework.Actor{User: e.Users[r]} }

// User returns the demo user with the given username.
func (e *Env) User(t testing.TB, username string) casework.User {
	t.Helper()
	return e.find(t, "username "+username, func(u casework.User) bool { return u.Username == username })
}

// UserByID returns the demo user with the given id.
func (e *Env) UserByID(t testing.TB, id int64) casework.User {
	t.Helper()
	return e.find(t, fmt.Sprintf("id %d", id), func(u casework.User) bool { return u.ID == id })
}

// Reminder reads reminder id as it is stored now.
func (e *Env) Reminder(t testing.TB, id int64) casework.Reminder {
	t.Helper()
	var r casework.Reminder
	if err := e.DB.View(context.Background(), func(tx casework.Tx) error {
		var err error
		r, err = tx.ReminderByID(context.Background(), id)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return r
}

func (e *Env) find(t testing.TB, what string, match func(casework.User) bool) casework.User {
	t.Helper()
	for _, u := range e.All {
		if match(u) {
			return u
		}
	}
	t.Fatalf("casetest: no user with %s", what)
	return casework.User{}
}

// Person invents a client aged 35 today.
func (e *Env) Person() demo.Person {
	e.n++
	return demo.NewPerson(e.rng, e.n, 35, e.Clock.Now())
}

// Apply submits a digital application for a new invented client.
func (e *Env) Apply(t testing.TB) casework.Case {
	t.Helper()
	c, err := e.Walker.Apply(context.Background(), e.Person(), false)
	if err != nil {
		t.Fatalf("casetest: apply: %v", err)
	}
	return c
}

// WalkTo completes steps with valid input until a task of step is open on
// the application's client, and returns it. targetGroup "" is Regulier.
func (e *Env) WalkTo(t testing.TB, app casework.Case, targetGroup string, step process.StepKey) casework.Task {
	t.Helper()
	return e.WalkChoice(t, app, demo.Choice{TargetGroup: targetGroup}, step)
}

// WalkChoice is WalkTo with every branch choice.
func (e *Env) WalkChoice(t testing.TB, app casework.Case, c demo.Choice, step process.StepKey) casework.Task {
	t.Helper()
	tv, err := e.Walker.WalkTo(context.Background(), app.ClientID, c, step)
	if err != nil {
		t.Fatalf("casetest: walk to %s: %v", step, err)
	}
	return tv.Task
}

// ValidValues returns valid form values for completing the task.
func ValidValues(t testing.TB, e *Env, task casework.Task) casework.Values {
	t.Helper()
	v, err := e.Walker.Values(context.Background(), casework.TaskView{Task: task}, demo.Choice{})
	if err != nil {
		t.Fatalf("casetest: values: %v", err)
	}
	return v
}

// File loads the client file as a team lead.
func (e *Env) File(t testing.TB, clientID int64) casework.ClientFile {
	t.Helper()
	f, err := e.Svc.ClientFile(context.Background(), e.Actor(process.RoleTeamleider), clientID)
	if err != nil {
		t.Fatalf("casetest: client file: %v", err)
	}
	return f
}

// TOTPCode moves the clock on by one TOTP step (30 s; a code is accepted
// once per step) and returns the code of the demo's functioneel beheerder
// at the new time, computed with pquerna/otp: the second step of their
// login.
func (e *Env) TOTPCode(t testing.TB) string {
	t.Helper()
	e.Clock.Add(30 * time.Second)
	c, err := totp.GenerateCodeCustom(demo.BeheerderTOTPSecret, e.Clock.Now(),
		totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatalf("casetest: TOTP code: %v", err)
	}
	return c
}
