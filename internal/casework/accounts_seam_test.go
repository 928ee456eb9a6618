package casework

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// The accounts area runs on the queries it declares (AccountTx). These
// tests run it on a fake of just those, with no database: the seam is
// narrow enough to fake.

// fakeAccounts is an in-memory AccountTx; its transactions run the
// function directly (a failed one does not roll back, which these tests do
// not need).
type fakeAccounts struct {
	users   map[int64]User
	tokens  map[string]APIToken
	events  []Event
	touched map[int64]time.Time
}

func newFakeAccounts(users ...User) *fakeAccounts {
	f := &fakeAccounts{users: map[int64]User{}, tokens: map[string]APIToken{}, touched: map[int64]time.Time{}}
	for _, u := range users {
		f.users[u.ID] = u
	}
	return f
}

func (f *fakeAccounts) Update(ctx context.Context, fn func(AccountTx) error) error { return fn(f) }
func (f *fakeAccounts) View(ctx context.Context, fn func(AccountTx) error) error   { return fn(f) }

func (f *fakeAccounts) CreateUser(_ context.Context, u *User) error {
	for _, o := range f.users {
		if o.Username == u.Username {
			return ErrDuplicate{Which: "username"}
		}
	}
	u.ID = int64(len(f.users) + 1)
	f.users[u.ID] = *u
	return nil
}
func (f *fakeAccounts) UpdateUser(_ context.Context, u User) error { f.users[u.ID] = u; return nil }
func (f *fakeAccounts) UserByID(_ context.Context, id int64) (User, error) {
	if u, ok := f.users[id]; ok {
		return u, nil
	}
	return User{}, ErrNotFound
}
func (f *fakeAccounts) UserByUsername(_ context.Context, name string) (User, error) {
	for _, u := range f.users {
		if u.Username == name {
			return u, nil
		}
	}
	return User{}, ErrNotFound
}
func (f *fakeAccounts) ListUsers(context.Context) ([]User, error) {
	out := make([]User, 0, len(f.users))
	for _, u := range f.users {
		out = append(out, u)
	}
	return out, nil
}
func (f *fakeAccounts) SetDailyDigest(_ context.Context, id int64, on bool) error {
	u := f.users[id]
	u.DailyDigest = on
	f.users[id] = u
	return nil
}
func (f *fakeAccounts) UserBySSOSubject(_ context.Context, sub string) (User, error) {
	for _, u := range f.users {
		if sub != "" && u.SSOSubject == sub {
			return u, nil
		}
	}
	return User{}, ErrNotFound
}
func (f *fakeAccounts) SetTOTP(_ context.Context, id int64, secret string, _ []string) error {
	u := f.users[id]
	u.TOTPSecret = secret
	f.users[id] = u
	return nil
}
func (f *fakeAccounts) UseTOTPStep(context.Context, int64, int64) (bool, error) { return true, nil }
func (f *fakeAccounts) UseRecoveryCode(context.Context, int64, string, time.Time) (bool, error) {
	return false, nil
}
func (f *fakeAccounts) RecoveryCodesLeft(context.Context, int64) (int, error) { return 0, nil }
func (f *fakeAccounts) CreateToken(_ context.Context, t *APIToken) error {
	t.ID = int64(len(f.tokens) + 1)
	f.tokens[t.Hash] = *t
	return nil
}
func (f *fakeAccounts) TokenByHash(_ context.Context, hash string) (APIToken, error) {
	if t, ok := f.tokens[hash]; ok {
		return t, nil
	}
	return APIToken{}, ErrNotFound
}
func (f *fakeAccounts) ListTokens(context.Context) ([]APIToken, error) { return nil, nil }
func (f *fakeAccounts) RevokeToken(_ context.Context, id int64, at time.Time) error {
	for h, t := range f.tokens {
		if t.ID == id {
			t.RevokedAt = at
			f.tokens[h] = t
			return nil
		}
	}
	return ErrNotFound
}
func (f *fakeAccounts) TouchToken(_ context.Context, id int64, at time.Time) error {
	f.touched[id] = at
	return nil
}
func (f *fakeAccounts) AppendEvent(_ context.Context, e *Event) error {
	f.events = append(f.events, *e)
	return nil
}
func (f *fakeAccounts) EventsByClient(context.Context, int64) ([]Event, error) { return nil, nil }
func (f *fakeAccounts) ClientEvents(context.Context, int64, *Cursor, int) ([]Event, error) {
	return nil, nil
}

func newAccountsOnFake(t *testing.T, st *fakeAccounts, clock Clock) *Accounts {
	t.Helper()
	def, err := process.NewDefinition(process.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	return &Accounts{core: &core{clock: clock, cfg: DefaultConfig(), log: slog.New(slog.DiscardHandler), def: def}, store: st}
}

func TestAccountsOnAFakeStore(t *testing.T) {
	ctx := context.Background()
	clock := NewManualClock(time.Date(2027, 3, 1, 9, 0, 0, 0, process.Amsterdam))
	admin := User{ID: 1, Username: "beheer", Name: "Beheer", Active: true, Roles: process.Roles{process.RoleBeheerder}}
	st := newFakeAccounts(admin)
	acc := newAccountsOnFake(t, st, clock)

	// Creating an account: refused for a caseworker, field messages for bad input.
	kmw := Actor{User: User{ID: 9, Roles: process.Roles{process.RoleKMWerk}}}
	if _, err := acc.CreateUser(ctx, &kmw, NewUser{Username: "x", Name: "X", Email: "x@example.org", Roles: []string{"km_werk"}, Password: "lang-genoeg-wachtwoord"}); ErrorCode(err) != CodeForbidden {
		t.Fatalf("caseworker creates an account: %v", err)
	}
	a := Actor{User: admin}
	_, err := acc.CreateUser(ctx, &a, NewUser{Username: "X Y", Email: "geen", Roles: []string{"baas"}, Password: "kort"})
	for _, f := range []string{process.FieldUsername, process.FieldName, process.FieldEmail, process.FieldRoles, process.FieldPassword} {
		if FieldErrors(err)[f] == "" {
			t.Errorf("no message for %s: %v", f, FieldErrors(err))
		}
	}
	u, err := acc.CreateUser(ctx, &a, NewUser{Username: "Anouk", Name: "Anouk", Email: "anouk@example.org",
		Roles: []string{string(process.RoleKMWerk)}, Password: "een-goed-wachtwoord"})
	if err != nil || u.Username != "anouk" {
		t.Fatalf("create = %+v, %v", u, err)
	}
	if len(st.events) != 1 || st.events[0].Kind != "account" {
		t.Errorf("history = %+v", st.events)
	}

	// The right password signs in (throttling: signin_test.go).
	if _, err := acc.Authenticate(ctx, "anouk", "fout", "192.0.2.1"); ErrorCode(err) != CodeUnauthorized {
		t.Fatalf("wrong password: %v", err)
	}
	if got, err := acc.Authenticate(ctx, " ANOUK ", "een-goed-wachtwoord", "192.0.2.1"); err != nil || got.ID != u.ID {
		t.Fatalf("right password: %+v, %v", got, err)
	}

	// An API token acts as its user until it is revoked; use is recorded.
	secret, err := acc.IssueToken(ctx, a, u.ID, "e-formulieren")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := acc.TokenUser(ctx, secret, "192.0.2.1"); err != nil || got.ID != u.ID {
		t.Fatalf("token user = %+v, %v", got, err)
	}
	if len(st.touched) != 1 {
		t.Errorf("token use not recorded: %v", st.touched)
	}
	tok := st.tokens[hashToken(secret)]
	if err := acc.RevokeToken(ctx, a, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := acc.TokenUser(ctx, secret, "192.0.2.1"); ErrorCode(err) != CodeUnauthorized {
		t.Errorf("revoked token: %v", err)
	}
	if _, err := acc.TokenUser(ctx, "wdt_onbekend", "192.0.2.1"); ErrorCode(err) != CodeUnauthorized {
		t.Errorf("unknown token: %v", err)
	}
}

// A store failure is not the user's fault: it comes back as an internal
// error that says which use case it happened in, with the cause kept.
func TestUseCaseErrorsSayWhere(t *testing.T) {
	boom := errors.New("connection reset")
	acc := newAccountsOnFake(t, nil, SystemClock{})
	acc.store = failingAccounts{err: boom}
	_, err := acc.UserByID(context.Background(), 42)
	if !errors.Is(err, boom) || ErrorCode(err) != CodeInternal {
		t.Fatalf("err = %v", err)
	}
	if got := err.Error(); got != "UserByID(id=42): connection reset" {
		t.Errorf("message = %q", got)
	}
	// Domain errors pass unwrapped: their message is for the user.
	acc.store = newFakeAccounts()
	_, err = acc.UserByID(context.Background(), 42)
	if ErrorCode(err) != CodeNotFound || err.Error() != "not_found: De gebruiker is niet gevonden." {
		t.Errorf("not found = %v", err)
	}
}

type failingAccounts struct{ err error }

func (f failingAccounts) Update(context.Context, func(AccountTx) error) error { return f.err }
func (f failingAccounts) View(context.Context, func(AccountTx) error) error   { return f.err }
