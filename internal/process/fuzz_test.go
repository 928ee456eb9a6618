package process_test

import (
	"errors"
	"slices"
	"testing"

	p "github.com/bar-organisatie/werkdiagnose/internal/process"
)

// fuzzDefs are the definitions the fuzzer runs against: the default, and one
// where AG is replaced by another team so a hard-coded "ag" would show up.
func fuzzDefs(t testing.TB) []*p.Definition {
	pol := p.DefaultPolicy()
	pol.Teams = slices.DeleteFunc(pol.Teams, func(tm p.Team) bool { return tm.Key == p.TeamAG })
	pol.Teams = append(pol.Teams, p.Team{Key: "wsp", Name: "WSP", Mailbox: "wsp@example.nl", Role: p.RoleAG})
	setGroup("arbeidsbeperkt", func(g *p.TargetGroup) { g.HandoverTeam = "wsp"; g.Message = "E-mail WSP" })(&pol)
	alt, err := p.NewDefinition(pol)
	if err != nil {
		t.Fatal(err)
	}
	return []*p.Definition{defaultDef(t), alt}
}

var fuzzOutcomes = []string{"", p.OutcomeToekenning, p.OutcomeGeenToekenning, p.OutcomeNUG, p.OutcomeAfsluiten,
	"regulier", "arbeidsbeperkt", "inrichting", "jongere", "Toekenning"}

var fuzzTeams = []string{"", p.TeamPoort, p.TeamOndersteuning, p.TeamWerkdiagnose, p.TeamWerk, p.TeamAG, "wsp", p.TeamSameAsFrom}

var fuzzTargetGroups = []string{"", "regulier", "arbeidsbeperkt", "inrichting", "jongere"}

var sentinels = []error{p.ErrUnknownStep, p.ErrStepNotOpen, p.ErrInvalidOutcome, p.ErrHolderRequired,
	p.ErrNoRoute, p.ErrUnknownTeam, p.ErrUnknownTargetGrp}

// allFiredKeys lists every FiredKey a definition can produce.
func allFiredKeys(d *p.Definition) []string {
	var keys []string
	for _, s := range d.Steps {
		for _, tr := range s.Transitions {
			if tr.Next != "" && !slices.Contains(keys, p.FiredKey(s.Key, tr.Next)) {
				keys = append(keys, p.FiredKey(s.Key, tr.Next))
			}
		}
	}
	return keys
}

func FuzzComplete(f *testing.F) {
	// defSel, stepIdx, stepRaw, outcomeIdx, outcomeRaw, tgIdx, tgRaw, open, done, outcomes, teams, fired, holder, team, chosen, dossier
	f.Add(uint8(0), uint8(0), "", uint8(0), "", uint8(0), "", uint16(1), uint16(0), uint64(0), uint64(0), uint32(0), int64(101), "poort", int64(0), int64(0))
	f.Add(uint8(0), uint8(6), "", uint8(1), "", uint8(1), "", uint16(1<<6|1<<4), uint16(0b101111), uint64(0), uint64(0), uint32(0xff), int64(101), "poort", int64(0), int64(301))
	f.Add(uint8(0), uint8(4), "", uint8(0), "", uint8(1), "", uint16(1<<4), uint16(0b1101111), uint64(1<<24), uint64(0), uint32(0xff), int64(301), "kmwd", int64(0), int64(301))
	f.Add(uint8(1), uint8(2), "", uint8(0), "", uint8(2), "", uint16(1<<2), uint16(0b1000011), uint64(1<<24), uint64(0), uint32(0), int64(101), "poort", int64(0), int64(0))
	f.Add(uint8(1), uint8(8), "", uint8(0), "", uint8(2), "", uint16(1<<8), uint16(0), uint64(0), uint64(0), uint32(0), int64(501), "wsp", int64(502), int64(0))
	f.Add(uint8(0), uint8(0), "bestaat_niet", uint8(0), "x", uint8(0), "jongere", uint16(0xffff), uint16(0xffff), uint64(0x123456789), uint64(0x987654321), uint32(0xffffffff), int64(-1), "@same", int64(-5), int64(7))
	defs := fuzzDefs(f)

	f.Fuzz(func(t *testing.T, defSel, stepIdx uint8, stepRaw string, outcomeIdx uint8, outcomeRaw string, tgIdx uint8, tgRaw string,
		openMask, doneMask uint16, outcomeSel, teamSel uint64, firedMask uint32, holder int64, team string, chosen, dossier int64) {
		d := defs[int(defSel)%len(defs)]
		step := p.StepKey(stepRaw)
		if stepRaw == "" {
			step = d.Steps[int(stepIdx)%len(d.Steps)].Key
		}
		outcome := outcomeRaw
		if outcomeRaw == "" {
			outcome = fuzzOutcomes[int(outcomeIdx)%len(fuzzOutcomes)]
		}
		tg := tgRaw
		if tgRaw == "" {
			tg = fuzzTargetGroups[int(tgIdx)%len(fuzzTargetGroups)]
		}
		in := p.Instance{TargetGroup: tg, DossierOwner: dossier,
			Open: map[p.StepKey]bool{}, Completed: map[p.StepKey]p.Completion{}, Fired: map[string]bool{}}
		if stepRaw != "" && openMask&1 == 1 {
			in.Open[step] = true
		}
		holders := []int64{0, holder, chosen, dossier}
		for i, s := range d.Steps {
			if openMask&(1<<i) != 0 {
				in.Open[s.Key] = true
			}
			if doneMask&(1<<i) != 0 {
				o := fuzzOutcomes[(outcomeSel>>(4*i))&0xf%uint64(len(fuzzOutcomes))]
				tm := fuzzTeams[(teamSel>>(3*i))&0x7]
				if tm == "" {
					tm = s.Team
				}
				h := int64(1000 + i)
				in.Completed[s.Key] = p.Completion{Outcome: o, Holder: h, Team: tm}
				holders = append(holders, h)
			}
		}
		for i, k := range allFiredKeys(d) {
			if firedMask&(1<<i) != 0 {
				in.Fired[k] = true
			}
		}
		before := cloneInstance(in)

		plan, err := d.Complete(in, step, p.Completion{Outcome: outcome, Holder: holder, Team: team}, chosen)

		if !sameInstance(before, in) {
			t.Fatalf("Complete modified its input")
		}
		if err != nil {
			if !slices.ContainsFunc(sentinels, func(s error) bool { return errors.Is(err, s) }) {
				t.Fatalf("error %v is none of the package's refusals", err)
			}
			if len(plan.Tasks) != 0 || len(plan.Effects) != 0 || len(plan.Waiting) != 0 {
				t.Fatalf("refusal %v came with a plan %+v", err, plan)
			}
			return
		}
		if _, ok := d.Step(step); !ok || !in.Open[step] {
			t.Fatalf("completed %q, which is unknown or not open", step)
		}
		seen := map[string]bool{}
		for _, nt := range plan.Tasks {
			if _, ok := d.Policy.Team(nt.Team); !ok {
				t.Fatalf("task %s for team %q, which does not exist", nt.Step, nt.Team)
			}
			next, ok := d.Step(nt.Step)
			if !ok {
				t.Fatalf("task for unknown step %q", nt.Step)
			}
			if nt.Term != next.Term || nt.Case != next.Case {
				t.Fatalf("task %s: term %q case %q, step has %q %q", nt.Step, nt.Term, nt.Case, next.Term, next.Case)
			}
			key := p.FiredKey(nt.From, nt.Step)
			if in.Fired[key] {
				t.Fatalf("task %s fired again (%s already fired)", nt.Step, key)
			}
			if seen[key] {
				t.Fatalf("task %s created twice in one plan", nt.Step)
			}
			seen[key] = true
			if nt.From != step {
				if _, ok := in.Completed[nt.From]; !ok {
					t.Fatalf("task %s from %s, which is neither this step nor completed", nt.Step, nt.From)
				}
			}
			if !slices.Contains(holders, nt.Holder) {
				t.Fatalf("task %s held by %d, who is nobody in this instance", nt.Step, nt.Holder)
			}
		}
		for _, w := range plan.Waiting {
			if _, ok := in.Completed[w]; ok || w == step {
				t.Fatalf("waiting for %s, which is already complete", w)
			}
		}
	})
}
