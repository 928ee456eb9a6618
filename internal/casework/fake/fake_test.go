package fake_test

import (
	"context"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/fake"
)

// A method whose function is set calls it with the arguments it was given.
func TestSetFunctionIsCalled(t *testing.T) {
	var gotID int64
	var gotVersion int
	svc := &fake.Service{PickUpFn: func(_ context.Context, _ casework.Actor, id int64, version int) error {
		gotID, gotVersion = id, version
		return casework.Conflict("al opgepakt")
	}}
	err := svc.PickUp(t.Context(), casework.Actor{}, 42, 3)
	if casework.ErrorCode(err) != casework.CodeConflict || gotID != 42 || gotVersion != 3 {
		t.Errorf("PickUp: err %v, id %d, version %d", err, gotID, gotVersion)
	}
}

// A method whose function is nil returns an internal error naming it,
// never a zero value that could pass for an answer.
func TestUnsetMethodFails(t *testing.T) {
	var svc casework.Services = &fake.Service{}
	_, err := svc.TaskPage(t.Context(), casework.Actor{}, 1)
	if err == nil || !strings.Contains(err.Error(), "TaskPage") || casework.ErrorCode(err) != casework.CodeInternal {
		t.Errorf("TaskPage unset: err %v, want an internal error naming TaskPage", err)
	}
	if _, err := svc.CompleteTask(t.Context(), casework.Actor{}, 1, 1, nil); err == nil || !strings.Contains(err.Error(), "CompleteTask") {
		t.Errorf("CompleteTask unset: err %v", err)
	}
}

// A method without an error result panics with its name when unset.
func TestUnsetMethodWithoutErrorPanics(t *testing.T) {
	defer func() {
		v := recover()
		err, ok := v.(error)
		if !ok || !strings.Contains(err.Error(), "Definition") {
			t.Errorf("Definition unset: recovered %v, want an error naming Definition", v)
		}
	}()
	(&fake.Service{}).Definition()
	t.Errorf("Definition unset did not panic")
}
