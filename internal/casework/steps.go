package casework

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// stepResult is what a step's check derived from its form.
type stepResult struct {
	outcome  string
	chosen   int64
	appt     *slot // appointment booked by the step
	followUp *slot // follow-up appointment
	finish   map[int64]bool
	planned  []int // 1-based rows of the plan's trajectories to register
}

// slot is a validated appointment time and place.
type slot struct {
	start, end time.Time
	room       string
}

// stepHandler holds the step-specific checks and changes beyond the rules.
type stepHandler struct {
	check func(s *Service, ctx context.Context, tx Tx, tc taskCtx, p parsed, errs Fields) stepResult
	apply func(s *Service, ctx context.Context, tx Tx, a Actor, tc *taskCtx, p parsed, res stepResult, effects []process.Effect) error
}

var stepHandlers = map[process.StepKey]stepHandler{
	process.StepIntakeGesprek: {check: func(s *Service, ctx context.Context, tx Tx, tc taskCtx, p parsed, errs Fields) stepResult {
		if d := p.date("gesprek_datum"); !d.IsZero() {
			if d.After(s.today()) {
				errs.Add("gesprek_datum", "De datum van het gesprek kan niet in de toekomst liggen.")
			} else if d.Before(tc.app.AppliedOn) {
				errs.Add("gesprek_datum", "Het gesprek ligt voor de ontvangst van de aanvraag ("+FormatDate(tc.app.AppliedOn)+").")
			}
		}
		return stepResult{}
	}},
	process.StepBeoordelingDoelgroep: {
		check: func(s *Service, ctx context.Context, tx Tx, tc taskCtx, p parsed, errs Fields) stepResult {
			return stepResult{outcome: p.str("doelgroep")}
		},
		apply: func(s *Service, ctx context.Context, tx Tx, a Actor, tc *taskCtx, p parsed, res stepResult, _ []process.Effect) error {
			tc.app.TargetGroup = res.outcome
			return tx.UpdateCase(ctx, &tc.app)
		},
	},
	process.StepVerwerkingAanmelding: {check: func(s *Service, ctx context.Context, tx Tx, tc taskCtx, p parsed, errs Fields) stepResult {
		res := stepResult{chosen: parseID(p.str(FieldKM))}
		res.appt = s.checkSlot(p, FieldDate, FieldTime, FieldDuration, FieldRoom, errs)
		if res.appt != nil && !tc.task.DueOn.IsZero() && process.Date(res.appt.start).After(tc.task.DueOn) && p.str(FieldLateReason) == "" {
			errs.Add(FieldLateReason, fmt.Sprintf("De afspraak valt na de termijn van 1 week (%s). Leg vast waarom de termijn niet gehaald wordt.", FormatDate(tc.task.DueOn)))
		}
		return res
	}},
	process.StepIntakeWerkdiagnose: {check: func(s *Service, ctx context.Context, tx Tx, tc taskCtx, p parsed, errs Fields) stepResult {
		plan, err := tx.LatestPlan(ctx, tc.task.CaseID)
		switch {
		case errors.Is(err, ErrNotFound):
			errs.Add("plan", "Leg eerst het plan van aanpak vast (onderdeel Participatie op de klantpagina).")
		case err != nil:
			errs.Add("plan", "Het plan van aanpak kon niet worden gelezen.")
		case plan.SignedOn.IsZero():
			errs.Add("plan", "De klant heeft het plan van aanpak nog niet getekend: vul de datum van de handtekening in bij het plan.")
		}
		return stepResult{}
	}},
	process.StepBesluit: {check: func(s *Service, ctx context.Context, tx Tx, tc taskCtx, p parsed, errs Fields) stepResult {
		res := stepResult{outcome: p.str("besluit")}
		if d := p.date("besluit_datum"); !d.IsZero() {
			if d.After(s.today()) {
				errs.Add("besluit_datum", "De datum van het besluit kan niet in de toekomst liggen.")
			} else if d.Before(tc.app.AppliedOn) {
				errs.Add("besluit_datum", "Het besluit kan niet voor de aanvraag ("+FormatDate(tc.app.AppliedOn)+") liggen.")
			}
		}
		if res.outcome == process.OutcomeGeenToekenning && p.str("reden") == "" {
			errs.Add("reden", "Vul de motivering van het besluit in.")
		}
		if d := p.date("ingangsdatum"); !d.IsZero() {
			if res.outcome != process.OutcomeToekenning {
				errs.Add("ingangsdatum", "Een ingangsdatum hoort alleen bij een toekenning.")
			} else if d.Before(tc.app.ReportedOn) {
				errs.Add("ingangsdatum", "De uitkering gaat niet eerder in dan de meldingsdatum ("+FormatDate(tc.app.ReportedOn)+").")
			}
		}
		return res
	}},
	process.StepVerdelenKMWerk: {check: chooseKM},
	process.StepVerwerkingTeam: {check: chooseKM},
	process.StepUitnodigenKennismaking: {check: func(s *Service, ctx context.Context, tx Tx, tc taskCtx, p parsed, errs Fields) stepResult {
		res := stepResult{}
		res.appt = s.checkSlot(p, FieldDate, FieldTime, FieldDuration, FieldRoom, errs)
		if !tc.task.DueOn.IsZero() && s.today().After(tc.task.DueOn) && p.str(FieldLateReason) == "" {
			errs.Add(FieldLateReason, fmt.Sprintf("De uitnodiging gaat later uit dan de termijn van 1 week (%s). Leg vast waarom.", FormatDate(tc.task.DueOn)))
		}
		return res
	}},
	process.StepStartBegeleiding: {
		check: func(s *Service, ctx context.Context, tx Tx, tc taskCtx, p parsed, errs Fields) stepResult {
			res := stepResult{}
			if _, err := tx.LatestPlan(ctx, tc.task.CaseID); errors.Is(err, ErrNotFound) {
				errs.Add("plan", "Er is nog geen plan van aanpak. Stel het plan op met de klant (onderdeel Participatie op de klantpagina) en rond daarna deze stap af.")
			}
			res.followUp = s.checkSlot(p, "vervolg_datum", "vervolg_tijd", "", "vervolg_spreekkamer", errs)
			for _, v := range p.v["trajecten"] {
				if n, err := strconv.Atoi(v); err == nil {
					res.planned = append(res.planned, n)
				}
			}
			return res
		},
		apply: func(s *Service, ctx context.Context, tx Tx, a Actor, tc *taskCtx, p parsed, res stepResult, _ []process.Effect) error {
			if len(res.planned) > 0 {
				plan, err := tx.LatestPlan(ctx, tc.part.ID)
				if err != nil {
					return err
				}
				for _, n := range res.planned {
					if n < 1 || n > len(plan.Trajectories) {
						continue
					}
					pt := plan.Trajectories[n-1]
					if _, err := s.addTrajectory(ctx, tx, a, tc.def, tc.part, pt.Provider, pt.Goal, s.today(), pt.Activities); err != nil {
						return err
					}
				}
			}
			return s.book(ctx, tx, a, tc.def, tc.client, tc.part, AppointmentVervolg, *res.followUp, a.User.ID)
		},
	},
	process.StepNugOfAfsluiten: {check: func(s *Service, ctx context.Context, tx Tx, tc taskCtx, p parsed, errs Fields) stepResult {
		res := stepResult{outcome: p.str("keuze"), finish: map[int64]bool{}}
		for _, v := range p.v["afmaken"] {
			res.finish[parseID(v)] = true
		}
		if res.outcome == process.OutcomeNUG && len(res.finish) > 0 {
			errs.Add("afmaken", "Afmaken van trajecten hoort bij afsluiten; bij voortzetten als NUG'er lopen alle trajecten door.")
		}
		return res
	}},
}

func chooseKM(s *Service, ctx context.Context, tx Tx, tc taskCtx, p parsed, errs Fields) stepResult {
	return stepResult{chosen: parseID(p.str(FieldKM))}
}

func parseID(s string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// followUpMinutes is the length of a follow-up planned with start begeleiding.
const followUpMinutes = 45

// checkSlot validates an appointment's date, time, duration and room. An
// empty durF means a follow-up of followUpMinutes.
func (s *Service) checkSlot(p parsed, dateF, timeF, durF, roomF string, errs Fields) *slot {
	d, okD := p.dates[dateF]
	t, okT := p.times[timeF]
	mins := followUpMinutes
	if durF != "" {
		var err error
		mins, err = strconv.Atoi(p.str(durF))
		if err != nil || mins <= 0 || mins > 240 {
			errs.Add(durF, "Kies de duur van de afspraak.")
			return nil
		}
	}
	if !okD || !okT {
		return nil
	}
	start := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, process.Amsterdam).Add(t)
	bad := false
	if wd := start.Weekday(); wd == time.Saturday || wd == time.Sunday {
		errs.Add(dateF, "Kies een werkdag: op zaterdag en zondag zijn er geen afspraken.")
		bad = true
	}
	if !start.After(s.clock.Now()) {
		errs.Add(dateF, "De afspraak kan niet in het verleden liggen.")
		bad = true
	}
	if t%(15*time.Minute) != 0 {
		errs.Add(timeF, "Kies een begintijd op een heel kwartier, bijvoorbeeld 09:00 of 09:15.")
		bad = true
	}
	end := start.Add(time.Duration(mins) * time.Minute)
	if t < s.cfg.OfficeOpens || t+time.Duration(mins)*time.Minute > s.cfg.OfficeCloses {
		errs.Add(timeF, fmt.Sprintf("Afspraken vallen tussen %s en %s uur.", clock(s.cfg.OfficeOpens), clock(s.cfg.OfficeCloses)))
		bad = true
	}
	if bad {
		return nil
	}
	return &slot{start: start, end: end, room: p.str(roomF)}
}

func clock(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d.Hours()), int(d.Minutes())%60)
}

// applyEffect carries out one effect of the rules.
func (s *Service) applyEffect(ctx context.Context, tx Tx, a Actor, tc *taskCtx, eff process.Effect, res stepResult) error {
	now := s.clock.Now().UTC()
	pol := tc.def.Policy
	switch eff {
	case process.EffectDecideApplication:
		tc.app.DecisionOutcome = res.outcome
		tc.app.Status = StatusBesloten
		tc.app.ClosedAt = now
		return s.decide(ctx, tx, a, tc)
	case process.EffectOpenParticipation:
		status := StatusWerkdiagnose
		worklist := ""
		if team, ok := pol.Team(process.TeamWerkdiagnose); ok {
			worklist = team.Worklist
		}
		if tc.task.Step == process.StepVerwerkingTeam {
			status, worklist = StatusAangemeld, ""
			if team, ok := pol.Team(tc.task.Team); ok {
				worklist = team.Worklist
			}
		}
		part := Case{ClientID: tc.client.ID, Kind: process.CaseParticipatie, Code: pol.ParticipationCode, Worklist: worklist,
			Status: status, DefinitionVersion: tc.def.Version, ApplicationID: tc.app.ID, DossierOwner: res.chosen, OpenedAt: now}
		if err := tx.CreateCase(ctx, &part); err != nil {
			return err
		}
		tc.part = part
		where := ""
		if worklist != "" {
			where = " op werkvoorraad " + worklist
		}
		return s.event(ctx, tx, a, tc.client.ID, part.ID, tc.task.ID, "participatie_geopend",
			fmt.Sprintf("Werkproces %s (%s) aangemaakt%s; participatiedossier op naam van %s.", part.Code, pol.ParticipationName, where, userName(ctx, tx, res.chosen)), "")
	case process.EffectBookAppointment:
		km := res.chosen
		kind := AppointmentIntake
		if tc.task.Step == process.StepUitnodigenKennismaking {
			km, kind = a.User.ID, AppointmentKennismaking
		}
		return s.book(ctx, tx, a, tc.def, tc.client, tc.part, kind, *res.appt, km)
	case process.EffectTransferDossier:
		prev := userName(ctx, tx, tc.part.DossierOwner)
		tc.part.DossierOwner = res.chosen
		tc.part.Status = StatusAangemeld
		tc.part.Worklist = ""
		if team, ok := pol.Team(process.TeamWerk); ok {
			tc.part.Worklist = team.Worklist
		}
		if err := tx.UpdateCase(ctx, &tc.part); err != nil {
			return staleAsConflict(err)
		}
		return s.event(ctx, tx, a, tc.client.ID, tc.part.ID, tc.task.ID, "dossier_overgedragen",
			fmt.Sprintf("Participatiedossier overgedragen van %s aan %s.", prev, userName(ctx, tx, res.chosen)), "")
	case process.EffectStartGuidance:
		tc.part.Status = StatusBegeleiding
		if err := tx.UpdateCase(ctx, &tc.part); err != nil {
			return staleAsConflict(err)
		}
		return s.event(ctx, tx, a, tc.client.ID, tc.part.ID, tc.task.ID, "begeleiding", "Begeleiding naar werk gestart; de klantmanager heeft de regie over het plan van aanpak.", "")
	case process.EffectContinueAsNUG:
		tc.part.Status = StatusNUG
		if err := tx.UpdateCase(ctx, &tc.part); err != nil {
			return staleAsConflict(err)
		}
		return s.event(ctx, tx, a, tc.client.ID, tc.part.ID, tc.task.ID, "nug", "Begeleiding voortgezet als NUG'er (niet-uitkeringsgerechtigde).", "")
	case process.EffectCloseParticipation:
		trs, err := tx.TrajectoriesByCase(ctx, tc.part.ID)
		if err != nil {
			return err
		}
		for _, t := range trs {
			if t.Status != TrajectoryRunning {
				continue
			}
			if res.finish[t.ID] {
				t.MayFinish = true
			} else {
				t.Status, t.EndOn = TrajectoryStopped, s.today()
			}
			if err := tx.UpdateTrajectory(ctx, t); err != nil {
				return err
			}
		}
		tc.part.Status, tc.part.ClosedAt = StatusAfgesloten, now
		if err := tx.UpdateCase(ctx, &tc.part); err != nil {
			return staleAsConflict(err)
		}
		msg := "Begeleiding afgesloten."
		if len(res.finish) > 0 {
			msg = fmt.Sprintf("Begeleiding afgesloten; %d traject(en) mogen worden afgemaakt.", len(res.finish))
		}
		return s.event(ctx, tx, a, tc.client.ID, tc.part.ID, tc.task.ID, "afgesloten", msg, "")
	case process.EffectCloseWithoutRecords:
		return s.event(ctx, tx, a, tc.client.ID, tc.app.ID, tc.task.ID, "einde", "Geen toekenning: er volgt geen aanmelding bij participatie.", "")
	}
	return fmt.Errorf("unknown effect %q", eff)
}

// decide records the decision on the application.
func (s *Service) decide(ctx context.Context, tx Tx, a Actor, tc *taskCtx) error {
	recs, err := tx.StepRecords(ctx, tc.app.ID)
	if err != nil {
		return err
	}
	for _, r := range recs {
		if r.TaskID == tc.task.ID {
			tc.app.DecisionReason = r.Fields["reden"]
			if d, ok := ParseDate(r.Fields["besluit_datum"]); ok {
				tc.app.DecisionOn = d
			}
		}
	}
	sus, err := tx.SuspensionsByCase(ctx, tc.app.ID)
	if err != nil {
		return err
	}
	for _, su := range sus {
		if su.EndOn.IsZero() {
			if err := tx.EndSuspension(ctx, su.ID, s.today()); err != nil {
				return err
			}
		}
	}
	if err := tx.UpdateCase(ctx, &tc.app); err != nil {
		return staleAsConflict(err)
	}
	onTime := "binnen de beslistermijn"
	if !tc.app.DecisionDue.IsZero() && tc.app.DecisionOn.After(tc.app.DecisionDue) {
		onTime = "na de beslistermijn (" + FormatDate(tc.app.DecisionDue) + ")"
	}
	return s.event(ctx, tx, a, tc.client.ID, tc.app.ID, tc.task.ID, "besluit",
		fmt.Sprintf("Besluit op aanvraag %s: %s, %s.", tc.app.Code, process.OutcomeNames[tc.app.DecisionOutcome], onTime), tc.app.DecisionReason)
}
