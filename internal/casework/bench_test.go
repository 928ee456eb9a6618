package casework_test

import (
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// BenchmarkWorklist measures the team worklist and the case page with 200
// clients spread over the first steps, on both engines.
func BenchmarkWorklist(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			e := casetest.New(b, engine)
			steps := []process.StepKey{process.StepIntakeGesprek, process.StepBeoordelingDoelgroep, process.StepAanmeldingParticipatie, process.StepVerwerkingAanmelding}
			var last casework.Case
			for i := range 200 {
				last = e.Apply(b)
				e.WalkTo(b, last, "", steps[i%len(steps)])
			}
			lead := e.Actor(process.RoleTeamleider)
			b.Run("team worklist", func(b *testing.B) {
				for b.Loop() {
					w, err := e.Svc.Worklist(ctx, lead, casework.WorklistQuery{Sort: "due"})
					if err != nil || len(w.Tasks) < 200 {
						b.Fatalf("worklist: %d tasks, %v", len(w.Tasks), err)
					}
				}
			})
			b.Run("case page", func(b *testing.B) {
				for b.Loop() {
					if _, err := e.Svc.ClientFile(ctx, lead, last.ClientID); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
