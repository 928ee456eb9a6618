package casework_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// TestTokenUseWrittenOncePerInterval: checking an API token reads; it
// writes the token's last use only when the stored one is at least
// casework.TokenTouchInterval old. On SQLite, with the one writer
// connection held by another transaction, a check within the interval
// still answers at once (it needs no write), and the one after it waits
// for the writer: it fails with ErrOverloaded while the writer stays held.
func TestTokenUseWrittenOncePerInterval(t *testing.T) {
	ctx := context.Background()
	e := casetest.New(t, "sqlite")
	admin := e.Actor(process.RoleBeheerder)
	user := e.Users[process.RoleKMWerkdiagnose]
	secret, err := e.Svc.IssueToken(ctx, admin, user.ID, "e-formulieren")
	if err != nil {
		t.Fatal(err)
	}
	lastUsed := func() time.Time {
		t.Helper()
		ks, err := e.Svc.Tokens(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range ks {
			if k.UserID == user.ID {
				return k.LastUsedAt
			}
		}
		t.Fatal("token not listed")
		return time.Time{}
	}
	check := func() error {
		t.Helper()
		u, err := e.Svc.TokenUser(ctx, secret, "192.0.2.1")
		if err == nil && u.ID != user.ID {
			t.Fatalf("token acts as %d, want %d", u.ID, user.ID)
		}
		return err
	}

	first := e.Clock.Now()
	if err := check(); err != nil {
		t.Fatal(err)
	}
	if got := lastUsed(); !got.Equal(first.Truncate(time.Microsecond)) {
		t.Fatalf("first use: last used %v, want %v", got, first)
	}

	// Hold the one writer connection: a check that had to write would
	// have to wait for it.
	hold, err := e.DB.SQL().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	e.Clock.Add(casework.TokenTouchInterval - time.Second)
	start := time.Now()
	if err := check(); err != nil {
		t.Fatalf("check within the interval, writer held: %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("check within the interval took %v: it waited for the writer", d)
	}
	e.Clock.Add(time.Second)
	if err := check(); !errors.Is(err, casework.ErrOverloaded) {
		t.Fatalf("check after the interval, writer held: %v, want ErrOverloaded (it writes)", err)
	}
	if err := hold.Rollback(); err != nil {
		t.Fatal(err)
	}

	if got := lastUsed(); !got.Equal(first.Truncate(time.Microsecond)) {
		t.Errorf("within the interval: last used %v, want still %v", got, first)
	}
	if err := check(); err != nil {
		t.Fatal(err)
	}
	if got, want := lastUsed(), e.Clock.Now().Truncate(time.Microsecond); !got.Equal(want) {
		t.Errorf("after the interval: last used %v, want %v", got, want)
	}
}
