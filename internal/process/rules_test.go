package process_test

import (
	"errors"
	"slices"
	"testing"

	p "github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Shorthands for the steps.
const (
	sIntake     = p.StepIntakeGesprek
	sDoelgroep  = p.StepBeoordelingDoelgroep
	sAanmelding = p.StepAanmeldingParticipatie
	sVerwerking = p.StepVerwerkingAanmelding
	sIntakeWD   = p.StepIntakeWerkdiagnose
	sRapportage = p.StepRapportage
	sBesluit    = p.StepBesluit
	sVerdelen   = p.StepVerdelenKMWerk
	sVerwTeam   = p.StepVerwerkingTeam
	sUitnodigen = p.StepUitnodigenKennismaking
	sStart      = p.StepStartBegeleiding
	sNug        = p.StepNugOfAfsluiten
	sZonder     = p.StepAfsluitenZonderIntake
)

const (
	tgRegulier       = "regulier"
	tgArbeidsbeperkt = "arbeidsbeperkt"
	tgInrichting     = "inrichting"
)

// completedThroughRapportage is what a Regulier case has completed when the
// besluit task is open.
func regulierBeforeBesluit(intakeDone bool) map[p.StepKey]p.Completion {
	m := map[p.StepKey]p.Completion{
		sIntake:     done("", uPoort, p.TeamPoort),
		sDoelgroep:  done(tgRegulier, uPoort, p.TeamPoort),
		sAanmelding: done("", uPoort, p.TeamPoort),
		sVerwerking: done("", uTOP, p.TeamOndersteuning),
		sRapportage: done("", uPoort, p.TeamPoort),
	}
	if intakeDone {
		m[sIntakeWD] = done("", uKMWD, p.TeamWerkdiagnose)
	}
	return m
}

var regulierFiredBeforeBesluit = []string{
	p.FiredKey(sIntake, sDoelgroep), p.FiredKey(sDoelgroep, sAanmelding),
	p.FiredKey(sAanmelding, sVerwerking), p.FiredKey(sAanmelding, sRapportage),
	p.FiredKey(sVerwerking, sIntakeWD), p.FiredKey(sRapportage, sBesluit),
}

func decisionFirstBeforeBesluit(tg string) map[p.StepKey]p.Completion {
	return map[p.StepKey]p.Completion{
		sIntake:     done("", uPoort, p.TeamPoort),
		sDoelgroep:  done(tg, uPoort, p.TeamPoort),
		sRapportage: done("", uPoort, p.TeamPoort),
	}
}

var decisionFirstFiredBeforeBesluit = []string{
	p.FiredKey(sIntake, sDoelgroep), p.FiredKey(sDoelgroep, sRapportage), p.FiredKey(sRapportage, sBesluit),
}

func withStep(m map[p.StepKey]p.Completion, k p.StepKey, c p.Completion) map[p.StepKey]p.Completion {
	out := map[p.StepKey]p.Completion{}
	for a, b := range m {
		out[a] = b
	}
	out[k] = c
	return out
}

func task(step, from p.StepKey, team string, holder int64, msg string, term p.TermKind, c p.CaseKind) p.NewTask {
	return p.NewTask{Step: step, From: from, Team: team, Holder: holder, Message: msg, Term: term, Case: c}
}

type transitionCase struct {
	name    string
	in      p.Instance
	step    p.StepKey
	c       p.Completion
	chosen  int64
	tasks   []p.NewTask
	effects []p.Effect
	waiting []p.StepKey
}

func transitionCases() []transitionCase {
	regulierBesluitIntakeDone := inst(tgRegulier, []p.StepKey{sBesluit}, regulierBeforeBesluit(true), regulierFiredBeforeBesluit...)
	regulierBesluitIntakeOpen := inst(tgRegulier, []p.StepKey{sBesluit, sIntakeWD}, regulierBeforeBesluit(false), regulierFiredBeforeBesluit...)
	withDossier := func(in p.Instance, owner int64) p.Instance { in.DossierOwner = owner; return in }

	cases := []transitionCase{
		// ---- common start ----
		{
			name: "intake gesprek -> beoordeling doelgroep, same poortwachter",
			in:   inst("", []p.StepKey{sIntake}, nil),
			step: sIntake, c: done("", uPoort, p.TeamPoort),
			tasks: []p.NewTask{task(sDoelgroep, sIntake, p.TeamPoort, uPoort, "", p.TermDecision, p.CaseAanvraag)},
		},
		{
			name: "beoordeling doelgroep regulier -> aanmelding participatie",
			in:   inst("", []p.StepKey{sDoelgroep}, map[p.StepKey]p.Completion{sIntake: done("", uPoort, p.TeamPoort)}, p.FiredKey(sIntake, sDoelgroep)),
			step: sDoelgroep, c: done(tgRegulier, uPoort, p.TeamPoort),
			tasks:   []p.NewTask{task(sAanmelding, sDoelgroep, p.TeamPoort, uPoort, "", p.TermDecision, p.CaseAanvraag)},
			effects: []p.Effect{p.EffectSetTargetGroup},
		},
		{
			name: "beoordeling doelgroep arbeidsbeperkt -> rapportage (decision first)",
			in:   inst("", []p.StepKey{sDoelgroep}, map[p.StepKey]p.Completion{sIntake: done("", uPoort, p.TeamPoort)}, p.FiredKey(sIntake, sDoelgroep)),
			step: sDoelgroep, c: done(tgArbeidsbeperkt, uPoort, p.TeamPoort),
			tasks:   []p.NewTask{task(sRapportage, sDoelgroep, p.TeamPoort, uPoort, "", p.TermDecision, p.CaseAanvraag)},
			effects: []p.Effect{p.EffectSetTargetGroup},
		},
		{
			name: "beoordeling doelgroep inrichting -> rapportage (decision first)",
			in:   inst("", []p.StepKey{sDoelgroep}, map[p.StepKey]p.Completion{sIntake: done("", uPoort, p.TeamPoort)}, p.FiredKey(sIntake, sDoelgroep)),
			step: sDoelgroep, c: done(tgInrichting, uPoort, p.TeamPoort),
			tasks:   []p.NewTask{task(sRapportage, sDoelgroep, p.TeamPoort, uPoort, "", p.TermDecision, p.CaseAanvraag)},
			effects: []p.Effect{p.EffectSetTargetGroup},
		},
		{
			name: "beoordeling doelgroep: the assessed group wins over a stale one in the instance",
			in:   inst(tgArbeidsbeperkt, []p.StepKey{sDoelgroep}, map[p.StepKey]p.Completion{sIntake: done("", uPoort, p.TeamPoort)}, p.FiredKey(sIntake, sDoelgroep)),
			step: sDoelgroep, c: done(tgRegulier, uPoort, p.TeamPoort),
			tasks:   []p.NewTask{task(sAanmelding, sDoelgroep, p.TeamPoort, uPoort, "", p.TermDecision, p.CaseAanvraag)},
			effects: []p.Effect{p.EffectSetTargetGroup},
		},

		// ---- Regulier (diagnose first) ----
		{
			name: "regulier: aanmelding participatie splits into verwerking (TOP, E-mail TOP) and rapportage (same holder)",
			in: inst(tgRegulier, []p.StepKey{sAanmelding}, map[p.StepKey]p.Completion{
				sIntake: done("", uPoort, p.TeamPoort), sDoelgroep: done(tgRegulier, uPoort, p.TeamPoort),
			}, p.FiredKey(sIntake, sDoelgroep), p.FiredKey(sDoelgroep, sAanmelding)),
			step: sAanmelding, c: done("", uPoort, p.TeamPoort),
			tasks: []p.NewTask{
				task(sVerwerking, sAanmelding, p.TeamOndersteuning, 0, "E-mail TOP", p.TermIntake, p.CaseAanvraag),
				task(sRapportage, sAanmelding, p.TeamPoort, uPoort, "", p.TermDecision, p.CaseAanvraag),
			},
		},
		{
			name: "regulier: split with the rapportage branch already fired creates only the TOP task",
			in: inst(tgRegulier, []p.StepKey{sAanmelding}, map[p.StepKey]p.Completion{
				sIntake: done("", uPoort, p.TeamPoort), sDoelgroep: done(tgRegulier, uPoort, p.TeamPoort),
			}, p.FiredKey(sIntake, sDoelgroep), p.FiredKey(sDoelgroep, sAanmelding), p.FiredKey(sAanmelding, sRapportage)),
			step: sAanmelding, c: done("", uPoort, p.TeamPoort),
			tasks: []p.NewTask{task(sVerwerking, sAanmelding, p.TeamOndersteuning, 0, "E-mail TOP", p.TermIntake, p.CaseAanvraag)},
		},
		{
			name: "regulier: verwerking aanmelding -> intake werkdiagnose held by the chosen klantmanager",
			in: inst(tgRegulier, []p.StepKey{sVerwerking, sRapportage}, map[p.StepKey]p.Completion{
				sIntake: done("", uPoort, p.TeamPoort), sDoelgroep: done(tgRegulier, uPoort, p.TeamPoort), sAanmelding: done("", uPoort, p.TeamPoort),
			}, p.FiredKey(sIntake, sDoelgroep), p.FiredKey(sDoelgroep, sAanmelding), p.FiredKey(sAanmelding, sVerwerking), p.FiredKey(sAanmelding, sRapportage)),
			step: sVerwerking, c: done("", uTOP, p.TeamOndersteuning), chosen: uKMWD,
			tasks:   []p.NewTask{task(sIntakeWD, sVerwerking, p.TeamWerkdiagnose, uKMWD, "", p.TermAfterAppointment, p.CaseParticipatie)},
			effects: []p.Effect{p.EffectOpenParticipation, p.EffectBookAppointment},
		},
		{
			name: "regulier: intake werkdiagnose before the besluit creates nothing and waits for nothing",
			in: inst(tgRegulier, []p.StepKey{sIntakeWD, sRapportage}, map[p.StepKey]p.Completion{
				sIntake: done("", uPoort, p.TeamPoort), sDoelgroep: done(tgRegulier, uPoort, p.TeamPoort), sAanmelding: done("", uPoort, p.TeamPoort),
				sVerwerking: done("", uTOP, p.TeamOndersteuning),
			}, p.FiredKey(sIntake, sDoelgroep), p.FiredKey(sDoelgroep, sAanmelding), p.FiredKey(sAanmelding, sVerwerking), p.FiredKey(sAanmelding, sRapportage), p.FiredKey(sVerwerking, sIntakeWD)),
			step: sIntakeWD, c: done("", uKMWD, p.TeamWerkdiagnose),
			effects: []p.Effect{p.EffectHoldAppointment, p.EffectWithdrawTasks},
		},
		{
			name: "regulier: rapportage -> besluit, same poortwachter",
			in: inst(tgRegulier, []p.StepKey{sRapportage, sVerwerking}, map[p.StepKey]p.Completion{
				sIntake: done("", uPoort, p.TeamPoort), sDoelgroep: done(tgRegulier, uPoort, p.TeamPoort), sAanmelding: done("", uPoort, p.TeamPoort),
			}, p.FiredKey(sIntake, sDoelgroep), p.FiredKey(sDoelgroep, sAanmelding), p.FiredKey(sAanmelding, sVerwerking), p.FiredKey(sAanmelding, sRapportage)),
			step: sRapportage, c: done("", uPoort, p.TeamPoort),
			tasks: []p.NewTask{task(sBesluit, sRapportage, p.TeamPoort, uPoort, "", p.TermDecision, p.CaseAanvraag)},
		},
		{
			name: "regulier: toekenning after the intake -> verdelen km werk on TOP's worklist, E-mail TOP",
			in:   regulierBesluitIntakeDone,
			step: sBesluit, c: done(p.OutcomeToekenning, uPoort, p.TeamPoort),
			tasks:   []p.NewTask{task(sVerdelen, sBesluit, p.TeamOndersteuning, 0, "E-mail TOP", p.TermNone, p.CaseParticipatie)},
			effects: []p.Effect{p.EffectDecideApplication, p.EffectSendLetter},
		},
		{
			name: "regulier: toekenning before the intake -> no task, waiting for intake werkdiagnose",
			in:   regulierBesluitIntakeOpen,
			step: sBesluit, c: done(p.OutcomeToekenning, uPoort, p.TeamPoort),
			effects: []p.Effect{p.EffectDecideApplication, p.EffectSendLetter},
			waiting: []p.StepKey{sIntakeWD},
		},
		{
			name: "regulier: geen toekenning after the intake -> nug of afsluiten held by the dossier owner, E-mail KM",
			in:   withDossier(regulierBesluitIntakeDone, uKMWD2),
			step: sBesluit, c: done(p.OutcomeGeenToekenning, uPoort, p.TeamPoort),
			tasks:   []p.NewTask{task(sNug, sBesluit, p.TeamWerkdiagnose, uKMWD2, "E-mail KM", p.TermNone, p.CaseParticipatie)},
			effects: []p.Effect{p.EffectDecideApplication, p.EffectSendLetter},
		},
		{
			name: "regulier: geen toekenning without a dossier owner -> nug of afsluiten on the team worklist",
			in:   regulierBesluitIntakeDone,
			step: sBesluit, c: done(p.OutcomeGeenToekenning, uPoort, p.TeamPoort),
			tasks:   []p.NewTask{task(sNug, sBesluit, p.TeamWerkdiagnose, 0, "E-mail KM", p.TermNone, p.CaseParticipatie)},
			effects: []p.Effect{p.EffectDecideApplication, p.EffectSendLetter},
		},
		{
			name: "regulier: geen toekenning before the intake -> the dossier owner may close without it; nug of afsluiten waits for the intake",
			in:   withDossier(regulierBesluitIntakeOpen, uKMWD2),
			step: sBesluit, c: done(p.OutcomeGeenToekenning, uPoort, p.TeamPoort),
			tasks:   []p.NewTask{task(sZonder, sBesluit, p.TeamWerkdiagnose, uKMWD2, "E-mail KM", p.TermHandover, p.CaseParticipatie)},
			effects: []p.Effect{p.EffectDecideApplication, p.EffectSendLetter},
			waiting: []p.StepKey{sIntakeWD},
		},
		{
			name: "regulier join: intake werkdiagnose after toekenning -> verdelen km werk from besluit, E-mail TOP",
			in: inst(tgRegulier, []p.StepKey{sIntakeWD},
				withStep(regulierBeforeBesluit(false), sBesluit, done(p.OutcomeToekenning, uPoort, p.TeamPoort)), regulierFiredBeforeBesluit...),
			step: sIntakeWD, c: done("", uKMWD, p.TeamWerkdiagnose),
			tasks:   []p.NewTask{task(sVerdelen, sBesluit, p.TeamOndersteuning, 0, "E-mail TOP", p.TermNone, p.CaseParticipatie)},
			effects: []p.Effect{p.EffectHoldAppointment, p.EffectWithdrawTasks},
		},
		{
			name: "regulier join: intake werkdiagnose after geen toekenning -> nug of afsluiten for the dossier owner, E-mail KM",
			in: withDossier(inst(tgRegulier, []p.StepKey{sIntakeWD},
				withStep(regulierBeforeBesluit(false), sBesluit, done(p.OutcomeGeenToekenning, uPoort, p.TeamPoort)), regulierFiredBeforeBesluit...), uKMWD2),
			step: sIntakeWD, c: done("", uKMWD, p.TeamWerkdiagnose),
			tasks:   []p.NewTask{task(sNug, sBesluit, p.TeamWerkdiagnose, uKMWD2, "E-mail KM", p.TermNone, p.CaseParticipatie)},
			effects: []p.Effect{p.EffectHoldAppointment, p.EffectWithdrawTasks},
		},
		{
			name: "regulier join: no double firing when besluit>verdelen_km_werk is already fired",
			in: inst(tgRegulier, []p.StepKey{sIntakeWD, sVerdelen},
				withStep(regulierBeforeBesluit(false), sBesluit, done(p.OutcomeToekenning, uPoort, p.TeamPoort)),
				append(slices.Clone(regulierFiredBeforeBesluit), p.FiredKey(sBesluit, sVerdelen))...),
			step: sIntakeWD, c: done("", uKMWD, p.TeamWerkdiagnose),
			effects: []p.Effect{p.EffectHoldAppointment, p.EffectWithdrawTasks},
		},
		{
			name: "regulier: verdelen km werk -> uitnodigen kennismaking in team KM Werk for the chosen klantmanager",
			in:   inst(tgRegulier, []p.StepKey{sVerdelen}, withStep(regulierBeforeBesluit(true), sBesluit, done(p.OutcomeToekenning, uPoort, p.TeamPoort)), append(slices.Clone(regulierFiredBeforeBesluit), p.FiredKey(sBesluit, sVerdelen))...),
			step: sVerdelen, c: done("", uTOP, p.TeamOndersteuning), chosen: uKMWerk,
			tasks:   []p.NewTask{task(sUitnodigen, sVerdelen, p.TeamWerk, uKMWerk, "", p.TermInvite, p.CaseParticipatie)},
			effects: []p.Effect{p.EffectTransferDossier},
		},
		{
			name: "regulier: uitnodigen kennismaking -> start begeleiding, same team and holder",
			in:   inst(tgRegulier, []p.StepKey{sUitnodigen}, nil),
			step: sUitnodigen, c: done("", uKMWerk, p.TeamWerk),
			tasks:   []p.NewTask{task(sStart, sUitnodigen, p.TeamWerk, uKMWerk, "", p.TermAfterAppointment, p.CaseParticipatie)},
			effects: []p.Effect{p.EffectBookAppointment},
		},
		{
			name: "regulier: start begeleiding ends the track",
			in:   inst(tgRegulier, []p.StepKey{sStart}, nil),
			step: sStart, c: done("", uKMWerk, p.TeamWerk),
			effects: []p.Effect{p.EffectHoldAppointment, p.EffectRegisterPlanned, p.EffectBookAppointment, p.EffectStartGuidance},
		},
		{
			name: "regulier: afsluiten zonder intake closes the dossier and withdraws the registration's and the intake's tasks",
			in:   inst(tgRegulier, []p.StepKey{sZonder, sIntakeWD}, nil),
			step: sZonder, c: done(p.OutcomeZonderIntake, uKMWD, p.TeamWerkdiagnose),
			effects: []p.Effect{p.EffectWithdrawTasks, p.EffectWithdrawTasks, p.EffectCloseParticipation},
		},
		{
			name: "regulier: the intake goes on after all: nothing follows from the offer",
			in:   inst(tgRegulier, []p.StepKey{sZonder, sIntakeWD}, nil),
			step: sZonder, c: done(p.OutcomeIntakeDoorgaan, uKMWD, p.TeamWerkdiagnose),
		},
		{
			name: "a no-show's new appointment books one and ends its track",
			in:   inst(tgRegulier, []p.StepKey{p.StepHerplannen}, nil),
			step: p.StepHerplannen, c: done("", uKMWD, p.TeamWerkdiagnose),
			effects: []p.Effect{p.EffectBookAppointment},
		},
		{
			name: "a letter posted by Team Ondersteuning records it and ends its track",
			in:   inst(tgRegulier, []p.StepKey{p.StepBriefVersturen}, nil),
			step: p.StepBriefVersturen, c: done("", uTOP, p.TeamOndersteuning),
			effects: []p.Effect{p.EffectMarkPosted},
		},
		{
			name: "a voorschot granted is recorded and ends its track",
			in:   inst(tgRegulier, []p.StepKey{p.StepVoorschot}, nil),
			step: p.StepVoorschot, c: done(p.OutcomeVoorschotVerstrekt, uPoort, p.TeamPoort),
			effects: []p.Effect{p.EffectRecordVoorschot},
		},
		{
			name: "a voorschot refused is recorded the same way",
			in:   inst(tgRegulier, []p.StepKey{p.StepVoorschot}, nil),
			step: p.StepVoorschot, c: done(p.OutcomeVoorschotNiet, uPoort, p.TeamPoort),
			effects: []p.Effect{p.EffectRecordVoorschot},
		},
		{
			name: "an evaluation of the plan is recorded, changed or not, and ends its track",
			in:   inst(tgRegulier, []p.StepKey{p.StepPlanEvalueren}, nil),
			step: p.StepPlanEvalueren, c: done(p.OutcomePlanWijzigt, uKMWD, p.TeamWerkdiagnose),
			effects: []p.Effect{p.EffectRecordEvaluation},
		},
		{
			name: "regulier: nug of afsluiten, nug",
			in:   inst(tgRegulier, []p.StepKey{sNug}, nil),
			step: sNug, c: done(p.OutcomeNUG, uKMWD, p.TeamWerkdiagnose),
			effects: []p.Effect{p.EffectContinueAsNUG},
		},
		{
			name: "regulier: nug of afsluiten, afsluiten",
			in:   inst(tgRegulier, []p.StepKey{sNug}, nil),
			step: sNug, c: done(p.OutcomeAfsluiten, uKMWD, p.TeamWerkdiagnose),
			effects: []p.Effect{p.EffectCloseParticipation},
		},
	}

	// ---- decision first: one set per target group ----
	for _, g := range []struct {
		key, team, msg string
		km, km2        int64
	}{
		{tgArbeidsbeperkt, p.TeamAG, "E-mail AG", uAG, uAG2},
		{tgInrichting, p.TeamWerk, "E-mail KM", uKMWerk, uKMWerk2},
	} {
		cases = append(cases,
			transitionCase{
				name: g.key + ": rapportage -> besluit",
				in: inst(g.key, []p.StepKey{sRapportage}, map[p.StepKey]p.Completion{
					sIntake: done("", uPoort, p.TeamPoort), sDoelgroep: done(g.key, uPoort, p.TeamPoort),
				}, p.FiredKey(sIntake, sDoelgroep), p.FiredKey(sDoelgroep, sRapportage)),
				step: sRapportage, c: done("", uPoort, p.TeamPoort),
				tasks: []p.NewTask{task(sBesluit, sRapportage, p.TeamPoort, uPoort, "", p.TermDecision, p.CaseAanvraag)},
			},
			transitionCase{
				name: g.key + ": toekenning -> aanmelding participatie, same poortwachter, no join",
				in:   inst(g.key, []p.StepKey{sBesluit}, decisionFirstBeforeBesluit(g.key), decisionFirstFiredBeforeBesluit...),
				step: sBesluit, c: done(p.OutcomeToekenning, uPoort, p.TeamPoort),
				tasks:   []p.NewTask{task(sAanmelding, sBesluit, p.TeamPoort, uPoort, "", p.TermDecision, p.CaseAanvraag)},
				effects: []p.Effect{p.EffectDecideApplication, p.EffectSendLetter},
			},
			transitionCase{
				name: g.key + ": geen toekenning closes without participation and creates no task",
				in:   inst(g.key, []p.StepKey{sBesluit}, decisionFirstBeforeBesluit(g.key), decisionFirstFiredBeforeBesluit...),
				step: sBesluit, c: done(p.OutcomeGeenToekenning, uPoort, p.TeamPoort),
				effects: []p.Effect{p.EffectDecideApplication, p.EffectSendLetter, p.EffectCloseWithoutRecords},
			},
			transitionCase{
				name: g.key + ": aanmelding participatie -> verwerking aanmelding team of the handover team, with the group's message",
				in: inst(g.key, []p.StepKey{sAanmelding},
					withStep(decisionFirstBeforeBesluit(g.key), sBesluit, done(p.OutcomeToekenning, uPoort, p.TeamPoort)),
					append(slices.Clone(decisionFirstFiredBeforeBesluit), p.FiredKey(sBesluit, sAanmelding))...),
				step: sAanmelding, c: done("", uPoort, p.TeamPoort),
				tasks: []p.NewTask{task(sVerwTeam, sAanmelding, g.team, 0, g.msg, p.TermHandover, p.CaseAanvraag)},
			},
			transitionCase{
				name: g.key + ": verwerking aanmelding team -> uitnodigen kennismaking in the SAME team for the chosen klantmanager",
				in:   inst(g.key, []p.StepKey{sVerwTeam}, nil),
				step: sVerwTeam, c: done("", g.km, g.team), chosen: g.km2,
				tasks:   []p.NewTask{task(sUitnodigen, sVerwTeam, g.team, g.km2, "", p.TermInvite, p.CaseParticipatie)},
				effects: []p.Effect{p.EffectOpenParticipation},
			},
			transitionCase{
				name: g.key + ": uitnodigen kennismaking -> start begeleiding in the same team, same holder",
				in:   inst(g.key, []p.StepKey{sUitnodigen}, nil),
				step: sUitnodigen, c: done("", g.km2, g.team),
				tasks:   []p.NewTask{task(sStart, sUitnodigen, g.team, g.km2, "", p.TermAfterAppointment, p.CaseParticipatie)},
				effects: []p.Effect{p.EffectBookAppointment},
			},
			transitionCase{
				name: g.key + ": start begeleiding ends the track",
				in:   inst(g.key, []p.StepKey{sStart}, nil),
				step: sStart, c: done("", g.km2, g.team),
				effects: []p.Effect{p.EffectHoldAppointment, p.EffectRegisterPlanned, p.EffectBookAppointment, p.EffectStartGuidance},
			},
		)
	}

	// ---- no double firing of a step's own transitions ----
	cases = append(cases,
		transitionCase{
			name: "own transition already fired: intake gesprek creates nothing",
			in:   inst("", []p.StepKey{sIntake}, nil, p.FiredKey(sIntake, sDoelgroep)),
			step: sIntake, c: done("", uPoort, p.TeamPoort),
		},
		transitionCase{
			name: "own transition already fired: toekenning after intake does not create verdelen km werk again",
			in:   inst(tgRegulier, []p.StepKey{sBesluit}, regulierBeforeBesluit(true), append(slices.Clone(regulierFiredBeforeBesluit), p.FiredKey(sBesluit, sVerdelen))...),
			step: sBesluit, c: done(p.OutcomeToekenning, uPoort, p.TeamPoort),
			effects: []p.Effect{p.EffectDecideApplication, p.EffectSendLetter},
		},
		transitionCase{
			name: "decision first: toekenning already fired does not create a second aanmelding",
			in:   inst(tgInrichting, []p.StepKey{sBesluit}, decisionFirstBeforeBesluit(tgInrichting), append(slices.Clone(decisionFirstFiredBeforeBesluit), p.FiredKey(sBesluit, sAanmelding))...),
			step: sBesluit, c: done(p.OutcomeToekenning, uPoort, p.TeamPoort),
			effects: []p.Effect{p.EffectDecideApplication, p.EffectSendLetter},
		},
		transitionCase{
			name: "closing transitions of earlier steps do not repeat their effects",
			in: inst(tgArbeidsbeperkt, []p.StepKey{sStart}, map[p.StepKey]p.Completion{
				sBesluit: done(p.OutcomeGeenToekenning, uPoort, p.TeamPoort), sNug: done(p.OutcomeAfsluiten, uKMWD, p.TeamWerkdiagnose),
			}),
			step: sStart, c: done("", uAG, p.TeamAG),
			effects: []p.Effect{p.EffectHoldAppointment, p.EffectRegisterPlanned, p.EffectBookAppointment, p.EffectStartGuidance},
		},
		transitionCase{
			name: "a chosen holder given where no transition asks for one is ignored",
			in:   inst(tgInrichting, []p.StepKey{sRapportage}, nil),
			step: sRapportage, c: done("", uPoort, p.TeamPoort), chosen: uKMWD,
			tasks: []p.NewTask{task(sBesluit, sRapportage, p.TeamPoort, uPoort, "", p.TermDecision, p.CaseAanvraag)},
		},
		transitionCase{
			name: "completing a step does not re-fire unrelated earlier transitions",
			in: inst(tgRegulier, []p.StepKey{sRapportage}, map[p.StepKey]p.Completion{
				sIntake: done("", uPoort, p.TeamPoort), sDoelgroep: done(tgRegulier, uPoort, p.TeamPoort), sAanmelding: done("", uPoort, p.TeamPoort),
				sVerwerking: done("", uTOP, p.TeamOndersteuning), sIntakeWD: done("", uKMWD, p.TeamWerkdiagnose),
			}, p.FiredKey(sIntake, sDoelgroep), p.FiredKey(sDoelgroep, sAanmelding), p.FiredKey(sAanmelding, sVerwerking),
				p.FiredKey(sAanmelding, sRapportage), p.FiredKey(sVerwerking, sIntakeWD)),
			step: sRapportage, c: done("", uPoort, p.TeamPoort),
			tasks: []p.NewTask{task(sBesluit, sRapportage, p.TeamPoort, uPoort, "", p.TermDecision, p.CaseAanvraag)},
		},
	)

	// ---- the decision term: steps started by hand ----
	cases = append(cases,
		transitionCase{
			name: "verzoek om aanvulling suspends the term and gives aanvulling verwerken to the same person",
			in:   inst("", []p.StepKey{sIntake, p.StepVerzoekAanvulling}, nil),
			step: p.StepVerzoekAanvulling, c: done("", uPoort, p.TeamPoort),
			tasks:   []p.NewTask{task(p.StepAanvullingVerwerken, p.StepVerzoekAanvulling, p.TeamPoort, uPoort, "", p.TermCompletion, p.CaseAanvraag)},
			effects: []p.Effect{p.EffectSuspendTerm, p.EffectSendLetter},
		},
		transitionCase{
			// A step started by hand may be done again: a second request
			// after the first was answered fires its transition again.
			name: "a second verzoek om aanvulling fires again",
			in: inst(tgRegulier, []p.StepKey{sRapportage, p.StepVerzoekAanvulling}, map[p.StepKey]p.Completion{
				p.StepVerzoekAanvulling: done("", uPoort, p.TeamPoort), p.StepAanvullingVerwerken: done(p.OutcomeAangevuld, uPoort, p.TeamPoort),
			}, p.FiredKey(p.StepVerzoekAanvulling, p.StepAanvullingVerwerken)),
			step: p.StepVerzoekAanvulling, c: done("", uPoort, p.TeamPoort),
			tasks:   []p.NewTask{task(p.StepAanvullingVerwerken, p.StepVerzoekAanvulling, p.TeamPoort, uPoort, "", p.TermCompletion, p.CaseAanvraag)},
			effects: []p.Effect{p.EffectSuspendTerm, p.EffectSendLetter},
		},
		transitionCase{
			name: "aanvulling ontvangen ends the suspension",
			in:   inst("", []p.StepKey{sIntake, p.StepAanvullingVerwerken}, map[p.StepKey]p.Completion{p.StepVerzoekAanvulling: done("", uPoort, p.TeamPoort)}, p.FiredKey(p.StepVerzoekAanvulling, p.StepAanvullingVerwerken)),
			step: p.StepAanvullingVerwerken, c: done(p.OutcomeAangevuld, uPoort, p.TeamPoort),
			effects: []p.Effect{p.EffectEndSuspension},
		},
		transitionCase{
			name: "aanvultermijn verstreken ends the suspension too",
			in:   inst("", []p.StepKey{sIntake, p.StepAanvullingVerwerken}, map[p.StepKey]p.Completion{p.StepVerzoekAanvulling: done("", uPoort, p.TeamPoort)}, p.FiredKey(p.StepVerzoekAanvulling, p.StepAanvullingVerwerken)),
			step: p.StepAanvullingVerwerken, c: done(p.OutcomeNietAangevuld, uPoort, p.TeamPoort),
			effects: []p.Effect{p.EffectEndSuspension},
		},
		transitionCase{
			name: "beslistermijn verdagen extends the term and creates nothing",
			in:   inst(tgRegulier, []p.StepKey{sRapportage, p.StepVerdagen}, nil),
			step: p.StepVerdagen, c: done("", uPoort, p.TeamPoort),
			effects: []p.Effect{p.EffectExtendTerm, p.EffectSendLetter},
		},
	)
	return cases
}

func TestCompleteTransitions(t *testing.T) {
	d := defaultDef(t)
	for _, tc := range transitionCases() {
		t.Run(tc.name, func(t *testing.T) {
			before := cloneInstance(tc.in)
			got, err := d.Complete(tc.in, tc.step, tc.c, tc.chosen)
			if err != nil {
				t.Fatalf("Complete(%s): unexpected error %v", tc.step, err)
			}
			comparePlan(t, got, wantPlan{Tasks: tc.tasks, Effects: tc.effects, Waiting: tc.waiting})
			if !sameInstance(before, tc.in) {
				t.Errorf("Complete modified its input instance")
			}
		})
	}
}

// Every step of the default definition that has a transition or effect is
// exercised by at least one case above, on every route it applies to.
func TestCompleteTransitionsCoverEveryStep(t *testing.T) {
	d := defaultDef(t)
	covered := map[p.StepKey]bool{}
	for _, tc := range transitionCases() {
		covered[tc.step] = true
	}
	for _, s := range d.Steps {
		if !covered[s.Key] {
			t.Errorf("no transition case completes step %s", s.Key)
		}
	}
}

// The join, step by step as the caller would do it: besluit first, the
// instance bookkeeping applied, then the intake. And the reverse order.
func TestCompleteJoinBothOrders(t *testing.T) {
	d := defaultDef(t)
	for _, outcome := range []string{p.OutcomeToekenning, p.OutcomeGeenToekenning} {
		want := task(sVerdelen, sBesluit, p.TeamOndersteuning, 0, "E-mail TOP", p.TermNone, p.CaseParticipatie)
		if outcome == p.OutcomeGeenToekenning {
			want = task(sNug, sBesluit, p.TeamWerkdiagnose, uKMWD, "E-mail KM", p.TermNone, p.CaseParticipatie)
		}
		t.Run(outcome+"/besluit first", func(t *testing.T) {
			in := inst(tgRegulier, []p.StepKey{sBesluit, sIntakeWD}, regulierBeforeBesluit(false), regulierFiredBeforeBesluit...)
			in.DossierOwner = uKMWD
			plan, err := d.Complete(in, sBesluit, done(outcome, uPoort, p.TeamPoort), 0)
			if err != nil {
				t.Fatal(err)
			}
			// Only a refusal offers the dossier owner to close without the intake.
			var offer []p.NewTask
			if outcome == p.OutcomeGeenToekenning {
				offer = []p.NewTask{task(sZonder, sBesluit, p.TeamWerkdiagnose, uKMWD, "E-mail KM", p.TermHandover, p.CaseParticipatie)}
			}
			if !slices.Equal(plan.Tasks, offer) {
				t.Fatalf("besluit before intake created tasks: %s, want %s", fmtTasks(plan.Tasks), fmtTasks(offer))
			}
			if !slices.Equal(plan.Waiting, []p.StepKey{sIntakeWD}) {
				t.Fatalf("Waiting = %v, want [intake_werkdiagnose]", plan.Waiting)
			}
			delete(in.Open, sBesluit)
			in.Completed[sBesluit] = done(outcome, uPoort, p.TeamPoort)

			plan, err = d.Complete(in, sIntakeWD, done("", uKMWD, p.TeamWerkdiagnose), 0)
			if err != nil {
				t.Fatal(err)
			}
			comparePlan(t, plan, wantPlan{Tasks: []p.NewTask{want}, Effects: []p.Effect{p.EffectHoldAppointment, p.EffectWithdrawTasks}})

			// Bookkeeping done, completing intake again (as if reopened) must not fire twice.
			in.Fired[p.FiredKey(want.From, want.Step)] = true
			plan, err = d.Complete(in, sIntakeWD, done("", uKMWD, p.TeamWerkdiagnose), 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(plan.Tasks) != 0 {
				t.Errorf("join fired twice: %s", fmtTasks(plan.Tasks))
			}
		})
		t.Run(outcome+"/intake first", func(t *testing.T) {
			in := inst(tgRegulier, []p.StepKey{sBesluit, sIntakeWD}, regulierBeforeBesluit(false), regulierFiredBeforeBesluit...)
			in.DossierOwner = uKMWD
			plan, err := d.Complete(in, sIntakeWD, done("", uKMWD, p.TeamWerkdiagnose), 0)
			if err != nil {
				t.Fatal(err)
			}
			comparePlan(t, plan, wantPlan{Effects: []p.Effect{p.EffectHoldAppointment, p.EffectWithdrawTasks}})
			delete(in.Open, sIntakeWD)
			in.Completed[sIntakeWD] = done("", uKMWD, p.TeamWerkdiagnose)

			plan, err = d.Complete(in, sBesluit, done(outcome, uPoort, p.TeamPoort), 0)
			if err != nil {
				t.Fatal(err)
			}
			comparePlan(t, plan, wantPlan{Tasks: []p.NewTask{want}, Effects: []p.Effect{p.EffectDecideApplication, p.EffectSendLetter}})
		})
	}
}

// A task created in a join is held according to the instance at the moment
// the join completes, not at the moment of the besluit: a dossier transferred
// in between goes to the new owner.
func TestCompleteJoinUsesCurrentDossierOwner(t *testing.T) {
	d := defaultDef(t)
	in := inst(tgRegulier, []p.StepKey{sIntakeWD},
		withStep(regulierBeforeBesluit(false), sBesluit, done(p.OutcomeGeenToekenning, uPoort, p.TeamPoort)), regulierFiredBeforeBesluit...)
	for _, owner := range []int64{uKMWD, uKMWD2, 0} {
		in.DossierOwner = owner
		plan, err := d.Complete(in, sIntakeWD, done("", uKMWD, p.TeamWerkdiagnose), 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Tasks) != 1 || plan.Tasks[0].Holder != owner {
			t.Errorf("owner %d: tasks %s", owner, fmtTasks(plan.Tasks))
		}
	}
}

func TestCompleteRefusals(t *testing.T) {
	d := defaultDef(t)
	regulierOpen := func(steps ...p.StepKey) p.Instance {
		return inst(tgRegulier, steps, map[p.StepKey]p.Completion{sIntake: done("", uPoort, p.TeamPoort), sDoelgroep: done(tgRegulier, uPoort, p.TeamPoort)})
	}
	cases := []struct {
		name   string
		in     p.Instance
		step   p.StepKey
		c      p.Completion
		chosen int64
		want   error
	}{
		{"unknown step, even when marked open", inst(tgRegulier, []p.StepKey{"bestaat_niet"}, nil), "bestaat_niet", done("", uPoort, p.TeamPoort), 0, p.ErrUnknownStep},
		{"empty step key", inst(tgRegulier, []p.StepKey{""}, nil), "", done("", uPoort, p.TeamPoort), 0, p.ErrUnknownStep},
		{"step not open (nothing open)", inst(tgRegulier, nil, nil), sRapportage, done("", uPoort, p.TeamPoort), 0, p.ErrStepNotOpen},
		{"step not open (other step open)", regulierOpen(sRapportage), sBesluit, done(p.OutcomeToekenning, uPoort, p.TeamPoort), 0, p.ErrStepNotOpen},
		{"step already completed", inst(tgRegulier, nil, map[p.StepKey]p.Completion{sIntake: done("", uPoort, p.TeamPoort)}), sIntake, done("", uPoort, p.TeamPoort), 0, p.ErrStepNotOpen},
		{"step open=false in the map", p.Instance{Open: map[p.StepKey]bool{sIntake: false}}, sIntake, done("", uPoort, p.TeamPoort), 0, p.ErrStepNotOpen},
		{"nil maps", p.Instance{}, sIntake, done("", uPoort, p.TeamPoort), 0, p.ErrStepNotOpen},

		{"besluit without outcome", regulierOpen(sBesluit), sBesluit, done("", uPoort, p.TeamPoort), 0, p.ErrInvalidOutcome},
		{"besluit with an invalid outcome", regulierOpen(sBesluit), sBesluit, done("misschien", uPoort, p.TeamPoort), 0, p.ErrInvalidOutcome},
		{"besluit with the outcome of another step", regulierOpen(sBesluit), sBesluit, done(p.OutcomeNUG, uPoort, p.TeamPoort), 0, p.ErrInvalidOutcome},
		{"besluit outcome is case sensitive", regulierOpen(sBesluit), sBesluit, done("Toekenning", uPoort, p.TeamPoort), 0, p.ErrInvalidOutcome},
		{"nug of afsluiten without outcome", regulierOpen(sNug), sNug, done("", uKMWD, p.TeamWerkdiagnose), 0, p.ErrInvalidOutcome},
		{"nug of afsluiten with a decision outcome", regulierOpen(sNug), sNug, done(p.OutcomeToekenning, uKMWD, p.TeamWerkdiagnose), 0, p.ErrInvalidOutcome},
		{"beoordeling doelgroep without outcome", inst("", []p.StepKey{sDoelgroep}, nil), sDoelgroep, done("", uPoort, p.TeamPoort), 0, p.ErrInvalidOutcome},
		{"beoordeling doelgroep with an unknown target group", inst("", []p.StepKey{sDoelgroep}, nil), sDoelgroep, done("jongere", uPoort, p.TeamPoort), 0, p.ErrInvalidOutcome},
		{"outcome given to rapportage", regulierOpen(sRapportage), sRapportage, done(p.OutcomeToekenning, uPoort, p.TeamPoort), 0, p.ErrInvalidOutcome},
		{"outcome given to intake gesprek", inst("", []p.StepKey{sIntake}, nil), sIntake, done("x", uPoort, p.TeamPoort), 0, p.ErrInvalidOutcome},
		{"outcome given to start begeleiding", regulierOpen(sStart), sStart, done(p.OutcomeAfsluiten, uKMWerk, p.TeamWerk), 0, p.ErrInvalidOutcome},

		{"verwerking aanmelding without a chosen klantmanager", regulierOpen(sVerwerking), sVerwerking, done("", uTOP, p.TeamOndersteuning), 0, p.ErrHolderRequired},
		{"verdelen km werk without a chosen klantmanager", regulierOpen(sVerdelen), sVerdelen, done("", uTOP, p.TeamOndersteuning), 0, p.ErrHolderRequired},
		{"verwerking aanmelding team without a chosen klantmanager", inst(tgArbeidsbeperkt, []p.StepKey{sVerwTeam}, nil), sVerwTeam, done("", uAG, p.TeamAG), 0, p.ErrHolderRequired},

		{"aanmelding participatie before the target group is assessed", inst("", []p.StepKey{sAanmelding}, nil), sAanmelding, done("", uPoort, p.TeamPoort), 0, p.ErrNoRoute},
		{"besluit before the target group is assessed", inst("", []p.StepKey{sBesluit}, nil), sBesluit, done(p.OutcomeToekenning, uPoort, p.TeamPoort), 0, p.ErrNoRoute},

		{"aanmelding participatie with an unknown target group", inst("jongere", []p.StepKey{sAanmelding}, nil), sAanmelding, done("", uPoort, p.TeamPoort), 0, p.ErrUnknownTargetGrp},
		{"besluit with an unknown target group", inst("jongere", []p.StepKey{sBesluit}, nil), sBesluit, done(p.OutcomeGeenToekenning, uPoort, p.TeamPoort), 0, p.ErrUnknownTargetGrp},

		{"same-team transition from a task without a known team", inst(tgRegulier, []p.StepKey{sUitnodigen}, nil), sUitnodigen, done("", uKMWerk, ""), 0, p.ErrUnknownTeam},
		{"same-team transition from a task of a removed team", inst(tgArbeidsbeperkt, []p.StepKey{sVerwTeam}, nil), sVerwTeam, done("", uAG, "wsp"), uAG2, p.ErrUnknownTeam},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := cloneInstance(tc.in)
			plan, err := d.Complete(tc.in, tc.step, tc.c, tc.chosen)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if len(plan.Tasks) != 0 || len(plan.Effects) != 0 || len(plan.Waiting) != 0 {
				t.Errorf("a refusal returned a non-empty plan: %+v", plan)
			}
			if !sameInstance(before, tc.in) {
				t.Errorf("a refusal modified the input instance")
			}
		})
	}
}

// The same steps succeed once the missing piece is supplied: the refusals
// above are caused by what they claim, not by the rest of the instance.
func TestCompleteRefusalsControl(t *testing.T) {
	d := defaultDef(t)
	ok := []struct {
		name   string
		in     p.Instance
		step   p.StepKey
		c      p.Completion
		chosen int64
	}{
		{"verwerking aanmelding with chosen", inst(tgRegulier, []p.StepKey{sVerwerking}, nil), sVerwerking, done("", uTOP, p.TeamOndersteuning), uKMWD},
		{"verdelen km werk with chosen", inst(tgRegulier, []p.StepKey{sVerdelen}, nil), sVerdelen, done("", uTOP, p.TeamOndersteuning), uKMWerk},
		{"verwerking aanmelding team with chosen", inst(tgArbeidsbeperkt, []p.StepKey{sVerwTeam}, nil), sVerwTeam, done("", uAG, p.TeamAG), uAG2},
		{"aanmelding participatie once assessed", inst(tgRegulier, []p.StepKey{sAanmelding}, nil), sAanmelding, done("", uPoort, p.TeamPoort), 0},
		{"besluit once assessed", inst(tgInrichting, []p.StepKey{sBesluit}, nil), sBesluit, done(p.OutcomeToekenning, uPoort, p.TeamPoort), 0},
		{"rapportage does not depend on the route", inst("", []p.StepKey{sRapportage}, nil), sRapportage, done("", uPoort, p.TeamPoort), 0},
		{"nug of afsluiten with nug", inst(tgRegulier, []p.StepKey{sNug}, nil), sNug, done(p.OutcomeNUG, uKMWD, p.TeamWerkdiagnose), 0},
	}
	for _, tc := range ok {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := d.Complete(tc.in, tc.step, tc.c, tc.chosen); err != nil {
				t.Fatalf("unexpected refusal %v", err)
			}
		})
	}
}

func TestNeedsChosenHolder(t *testing.T) {
	d := defaultDef(t)
	cases := []struct {
		step     p.StepKey
		fromTeam string
		role     p.Role
		ok       bool
	}{
		{sVerwerking, p.TeamOndersteuning, p.RoleKMWerkdiagnose, true},
		{sVerdelen, p.TeamOndersteuning, p.RoleKMWerk, true},
		{sVerwTeam, p.TeamAG, p.RoleAG, true},
		{sVerwTeam, p.TeamWerk, p.RoleKMWerk, true},
		{sIntake, p.TeamPoort, "", false},
		{sBesluit, p.TeamPoort, "", false},
		{sAanmelding, p.TeamPoort, "", false},
		{sUitnodigen, p.TeamWerk, "", false},
		{"bestaat_niet", p.TeamPoort, "", false},
	}
	for _, tc := range cases {
		role, ok := d.NeedsChosenHolder(tc.step, tc.fromTeam)
		if role != tc.role || ok != tc.ok {
			t.Errorf("NeedsChosenHolder(%s, %s) = %q, %v; want %q, %v", tc.step, tc.fromTeam, role, ok, tc.role, tc.ok)
		}
	}
	// Every step that Complete refuses without a chosen holder is reported
	// by NeedsChosenHolder (for the team the task lives in), and vice versa.
	teamOf := map[p.StepKey]string{sVerwTeam: p.TeamAG}
	for _, s := range d.Steps {
		team := s.Team
		if tm, ok := teamOf[s.Key]; ok {
			team = tm
		}
		_, needs := d.NeedsChosenHolder(s.Key, team)
		in := inst(tgArbeidsbeperkt, []p.StepKey{s.Key}, nil)
		if s.Key == sVerwerking || s.Key == sVerdelen {
			in.TargetGroup = tgRegulier
		}
		outcome := ""
		if len(s.Outcomes) > 0 {
			outcome = s.Outcomes[0]
		}
		_, err := d.Complete(in, s.Key, done(outcome, 1, team), 0)
		if refused := errors.Is(err, p.ErrHolderRequired); refused != needs {
			t.Errorf("%s: NeedsChosenHolder=%v but Complete without chosen refused=%v (err %v)", s.Key, needs, refused, err)
		}
	}
}

func TestStartPlan(t *testing.T) {
	d := defaultDef(t)
	got := d.StartPlan()
	want := p.NewTask{Step: sIntake, Team: p.TeamPoort, Term: p.TermDecision, Case: p.CaseAanvraag}
	if got != want {
		t.Errorf("StartPlan() = %+v, want %+v", got, want)
	}
}

func TestRoute(t *testing.T) {
	d := defaultDef(t)
	cases := []struct {
		tg    string
		route p.Route
		err   error
	}{
		{tgRegulier, p.RouteDiagnoseFirst, nil},
		{tgArbeidsbeperkt, p.RouteDecisionFirst, nil},
		{tgInrichting, p.RouteDecisionFirst, nil},
		{"", "", p.ErrNoRoute},
		{"jongere", "", p.ErrUnknownTargetGrp},
	}
	for _, tc := range cases {
		r, err := d.Route(p.Instance{TargetGroup: tc.tg})
		if r != tc.route || !errors.Is(err, tc.err) {
			t.Errorf("Route(%q) = %q, %v; want %q, %v", tc.tg, r, err, tc.route, tc.err)
		}
	}
}

func TestFiredKey(t *testing.T) {
	if got := p.FiredKey(sBesluit, sVerdelen); got != "besluit>verdelen_km_werk" {
		t.Errorf("FiredKey = %q", got)
	}
	if p.FiredKey(sAanmelding, sVerwerking) == p.FiredKey(sAanmelding, sRapportage) {
		t.Error("the two branches of the split share a FiredKey")
	}
}

// Route and recipients are configuration: a policy that sends the
// arbeidsbeperkt registration to another team with another message is
// followed by the rules, including the same-team follow-up.
func TestCompleteFollowsConfiguredHandover(t *testing.T) {
	pol := p.DefaultPolicy()
	pol.Teams = append(pol.Teams, p.Team{Key: "wsp", Name: "Werkgeversservicepunt", Mailbox: "wsp@example.nl", Role: p.RoleAG})
	for i := range pol.TargetGroups {
		if pol.TargetGroups[i].Key == tgArbeidsbeperkt {
			pol.TargetGroups[i].HandoverTeam = "wsp"
			pol.TargetGroups[i].Message = "E-mail WSP"
		}
	}
	pol.TargetGroups = append(pol.TargetGroups, p.TargetGroup{Key: "statushouder", Name: "Statushouder", Route: p.RouteDiagnoseFirst})
	d, err := p.NewDefinition(pol)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := d.Complete(inst(tgArbeidsbeperkt, []p.StepKey{sAanmelding}, nil), sAanmelding, done("", uPoort, p.TeamPoort), 0)
	if err != nil {
		t.Fatal(err)
	}
	comparePlan(t, plan, wantPlan{Tasks: []p.NewTask{task(sVerwTeam, sAanmelding, "wsp", 0, "E-mail WSP", p.TermHandover, p.CaseAanvraag)}})

	plan, err = d.Complete(inst(tgArbeidsbeperkt, []p.StepKey{sVerwTeam}, nil), sVerwTeam, done("", uAG, "wsp"), uAG2)
	if err != nil {
		t.Fatal(err)
	}
	comparePlan(t, plan, wantPlan{
		Tasks:   []p.NewTask{task(sUitnodigen, sVerwTeam, "wsp", uAG2, "", p.TermInvite, p.CaseParticipatie)},
		Effects: []p.Effect{p.EffectOpenParticipation},
	})

	// The extra diagnose-first group is an outcome of the assessment and takes the Regulier route.
	plan, err = d.Complete(inst("", []p.StepKey{sDoelgroep}, nil), sDoelgroep, done("statushouder", uPoort, p.TeamPoort), 0)
	if err != nil {
		t.Fatal(err)
	}
	comparePlan(t, plan, wantPlan{Tasks: []p.NewTask{task(sAanmelding, sDoelgroep, p.TeamPoort, uPoort, "", p.TermDecision, p.CaseAanvraag)},
		Effects: []p.Effect{p.EffectSetTargetGroup}})
}

func TestPathFollowsRouteAndOutcome(t *testing.T) {
	d := defaultDef(t)
	keys := func(ks ...p.StepKey) []p.StepKey { return ks }
	cases := []struct {
		name     string
		route    p.Route
		outcomes map[p.StepKey]string
		want     []p.StepKey
	}{
		{"regulier, expected", p.RouteDiagnoseFirst, nil,
			keys(sIntake, sDoelgroep, sAanmelding, p.StepVerwerkingAanmelding, sRapportage, p.StepIntakeWerkdiagnose, sBesluit, p.StepVerdelenKMWerk, sUitnodigen, p.StepStartBegeleiding)},
		{"regulier, refused", p.RouteDiagnoseFirst, map[p.StepKey]string{sBesluit: p.OutcomeGeenToekenning},
			keys(sIntake, sDoelgroep, sAanmelding, p.StepVerwerkingAanmelding, sRapportage, p.StepIntakeWerkdiagnose, sBesluit, p.StepNugOfAfsluiten)},
		{"decision first, granted", p.RouteDecisionFirst, map[p.StepKey]string{sBesluit: p.OutcomeToekenning},
			keys(sIntake, sDoelgroep, sRapportage, sBesluit, sAanmelding, sVerwTeam, sUitnodigen, p.StepStartBegeleiding)},
		{"decision first, refused", p.RouteDecisionFirst, map[p.StepKey]string{sBesluit: p.OutcomeGeenToekenning},
			keys(sIntake, sDoelgroep, sRapportage, sBesluit)},
	}
	for _, c := range cases {
		if got := d.Path(c.route, c.outcomes); !slices.Equal(got, c.want) {
			t.Errorf("%s:\n got %v\nwant %v", c.name, got, c.want)
		}
	}
}

func TestStepTeams(t *testing.T) {
	teams := defaultDef(t).StepTeams()
	cases := map[p.StepKey][]string{
		sIntake:                    {p.TeamPoort},
		p.StepVerwerkingAanmelding: {p.TeamOndersteuning},
		sVerwTeam:                  {p.TeamAG, p.TeamWerk},
		sUitnodigen:                {p.TeamAG, p.TeamWerk},
		p.StepStartBegeleiding:     {p.TeamAG, p.TeamWerk},
		p.StepIntakeWerkdiagnose:   {p.TeamWerkdiagnose},
	}
	for step, want := range cases {
		var got []string
		for team := range teams[step] {
			got = append(got, team)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: teams %v, want %v", step, got, want)
		}
	}
}

func TestHandovers(t *testing.T) {
	d := defaultDef(t)
	got := d.Handovers(sAanmelding, tgArbeidsbeperkt, p.TeamPoort)
	if len(got) != 1 || got[0].Next != sVerwTeam || got[0].Team != p.TeamAG || got[0].Message != "E-mail AG" {
		t.Fatalf("arbeidsbeperkt aanmelding: %+v", got)
	}
	got = d.Handovers(sAanmelding, "regulier", p.TeamPoort)
	if len(got) != 2 || got[0].Team != p.TeamOndersteuning || got[0].Message != "E-mail TOP" || got[1].Next != sRapportage {
		t.Fatalf("regulier aanmelding: %+v", got)
	}
	got = d.Handovers(sBesluit, "regulier", p.TeamPoort)
	if len(got) != 3 || got[0].Outcome != p.OutcomeToekenning || !slices.Equal(got[0].After, []p.StepKey{p.StepIntakeWerkdiagnose}) ||
		got[2].Next != sZonder || !slices.Equal(got[2].Unless, []p.StepKey{p.StepIntakeWerkdiagnose}) {
		t.Fatalf("regulier besluit: %+v", got)
	}
	if got := d.Handovers(sUitnodigen, tgArbeidsbeperkt, p.TeamAG); len(got) != 1 || got[0].Team != p.TeamAG {
		t.Fatalf("AG uitnodigen: %+v", got)
	}
	if got := d.Handovers(sDoelgroep, "", p.TeamPoort); len(got) != 2 {
		t.Fatalf("doelgroep before assessment lists every route: %+v", got)
	}
}
