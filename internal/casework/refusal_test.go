package casework

import (
	"errors"
	"fmt"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Each refusal of the rules reaches the user as a Dutch error with the
// right code; anything else passes unchanged (an internal error).
func TestRefusalsOfTheRules(t *testing.T) {
	other := errors.New("disk full")
	for _, tc := range []struct {
		err  error
		code Code
		msg  string
	}{
		{process.ErrStepNotOpen, CodeConflict, "Deze stap staat niet (meer) open."},
		{fmt.Errorf("wrapped: %w", process.ErrStepNotOpen), CodeConflict, "Deze stap staat niet (meer) open."},
		{process.ErrInvalidOutcome, CodeInvalid, "Kies een geldige uitkomst."},
		{process.ErrNoRoute, CodeConflict, "De doelgroep is nog niet beoordeeld."},
		{other, CodeInternal, ErrorMessage(other)},
	} {
		got := (&Tasks{}).refusal(tc.err)
		if ErrorCode(got) != tc.code || ErrorMessage(got) != tc.msg {
			t.Errorf("refusal(%v) = %s %q, want %s %q", tc.err, ErrorCode(got), ErrorMessage(got), tc.code, tc.msg)
		}
		if tc.code == CodeInternal && !errors.Is(got, other) {
			t.Errorf("refusal(%v) lost its cause: %v", tc.err, got)
		}
	}
}

// Every action of the permission table has its own Dutch refusal, and
// Authorize gives it exactly when the table says no.
func TestAuthorizeFollowsTheTable(t *testing.T) {
	seen := map[string]process.Action{}
	for _, act := range process.Actions() {
		msg := refusal(act)
		if msg == refusal("onbekend") {
			t.Errorf("action %s has no refusal of its own", act)
		}
		if prev, ok := seen[msg]; ok && !(act == process.ActRevealBSN && prev == process.ActSeeClient) {
			t.Errorf("actions %s and %s share the refusal %q", prev, act, msg)
		}
		seen[msg] = act
		for _, r := range process.AllRoles {
			for _, rel := range []process.Relation{process.RelNone, process.RelTeam, process.RelOwner} {
				a := Actor{User: User{Roles: process.Roles{r}}}
				err := Authorize(a, act, rel)
				if allowed := process.Allowed(a.Roles(), act, rel); allowed != (err == nil) {
					t.Errorf("Authorize(%s, %s, %d) = %v, table says %v", r, act, rel, err, allowed)
				}
				if err != nil && (ErrorCode(err) != CodeForbidden || ErrorMessage(err) != msg) {
					t.Errorf("Authorize(%s, %s, %d) = %v", r, act, rel, err)
				}
			}
		}
	}
}
