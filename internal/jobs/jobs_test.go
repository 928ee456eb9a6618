package jobs_test

import (
	"testing"

	"github.com/riverqueue/river"

	"github.com/bar-organisatie/werkdiagnose/internal/jobs"
)

// TestKinds checks the jobs Kinds builds for the store: the argument types
// the workers are registered for, carrying the id only, in their queues.
func TestKinds(t *testing.T) {
	var k jobs.Kinds
	for _, tc := range []struct {
		got   river.JobArgs
		want  river.JobArgs
		queue string
	}{
		{k.Deliver(7, false), jobs.Deliver{MessageID: 7}, jobs.QueueMail},
		{k.Deliver(9, true), jobs.Deliver{MessageID: 9, Letter: true}, jobs.QueueLetters},
	} {
		if tc.got != tc.want {
			t.Errorf("got %#v, want %#v", tc.got, tc.want)
		}
		opts, ok := tc.got.(river.JobArgsWithInsertOpts)
		if !ok {
			t.Errorf("%s has no insert options", tc.got.Kind())
			continue
		}
		if o := opts.InsertOpts(); o.Queue != tc.queue || !o.UniqueOpts.ByArgs {
			t.Errorf("%s: queue %q, unique by args %v; want %q, true", tc.got.Kind(), o.Queue, o.UniqueOpts.ByArgs, tc.queue)
		}
	}
}
