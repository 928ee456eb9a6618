package demo

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// melding records, at the desk ten days before now, the melding of a
// 22-year-old (Pw art. 41): a client in the middle of the search period.
func (w *Walker) melding(ctx context.Context, r *rand.Rand, n int, now time.Time) error {
	reported := process.AddDays(now, -10)
	w.Clock.Set(reported.Add(10 * time.Hour))
	defer w.Clock.Set(now)
	u, err := w.User(process.RoleOndersteunerPoortwachter)
	if err != nil {
		return err
	}
	p := NewPerson(r, n, 22, reported)
	_, err = w.Svc.RecordMelding(ctx, casework.Actor{User: u}, casework.ChannelPhysical, p.Values())
	return err
}
