package process

import (
	"errors"
	"fmt"
	"slices"
)

// knownChecks and knownEffects are the names a definition may use; casework
// implements each (and refuses a definition that names one it lacks).
var (
	knownChecks = []string{CheckNotFuture, CheckInFuture, CheckNotBeforeReceipt, CheckNotBeforeReport, CheckNotBefore,
		CheckNotAfter, CheckNotBelow, CheckRequiredWith, CheckOnlyWith, CheckLateReason, CheckNoBSN, CheckBSN,
		CheckPlanExists, CheckPlanSigned, CheckAppointmentStarted, CheckTermDay, CheckNotBeforeRequest, CheckExtensionDate,
		CheckNotSuspended, CheckNotExtended, CheckTermNotPassed}
	knownEffects = []Effect{EffectDecideApplication, EffectOpenParticipation, EffectTransferDossier, EffectBookAppointment,
		EffectSetTargetGroup, EffectRegisterPlanned, EffectStartGuidance, EffectContinueAsNUG, EffectCloseParticipation,
		EffectCloseWithoutRecords, EffectHoldAppointment, EffectWithdrawTasks, EffectMarkPosted,
		EffectRecordVoorschot, EffectRecordEvaluation, EffectSuspendTerm, EffectEndSuspension, EffectExtendTerm, EffectSendLetter}
	// fieldParams are the parameters whose value names a field of the form.
	fieldParams = []string{ParamOther, ParamDate, ParamTime, ParamDuration, ParamRoom, ParamReason, ParamField,
		ParamAmount, ParamDone, ParamChanges, ParamNext, ParamGround, ParamStartOn, ParamDue}
)

// KnownChecks lists the check names a definition may use.
func KnownChecks() []string { return slices.Clone(knownChecks) }

// KnownEffects lists the effect names a definition may use.
func KnownEffects() []Effect { return slices.Clone(knownEffects) }

// Validate checks that the steps of the definition fit together: keys are
// unique, transitions lead to steps that exist, teams exist, every form
// field is named once, checks and effects are known and name fields of the
// form, and a step that needs an outcome or a chosen holder has the field
// that sets it. Each error names the step and what is wrong.
func (d *Definition) Validate() error {
	var errs []error
	keys := map[StepKey]bool{}
	for _, s := range d.Steps {
		if s.Key == "" || keys[s.Key] {
			errs = append(errs, fmt.Errorf("step %q: key is empty or used twice", s.Key))
		}
		keys[s.Key] = true
	}
	if !keys[d.Start] {
		errs = append(errs, fmt.Errorf("start step %q is not a step", d.Start))
	}
	teamKnown := func(t string) bool { _, ok := d.Policy.Team(t); return ok }
	for _, s := range d.Steps {
		fail := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("step %q: %s", s.Key, fmt.Sprintf(format, args...)))
		}
		if s.Title == "" {
			fail("has no title")
		}
		if s.Case != CaseAanvraag && s.Case != CaseParticipatie {
			fail("case %q is not %q or %q", s.Case, CaseAanvraag, CaseParticipatie)
		}
		if s.Team != "" && !teamKnown(s.Team) {
			fail("team %q is not a team of the policy", s.Team)
		}
		switch _, known := OnNames[s.On]; {
		case s.On == "":
			if s.Holder != "" {
				fail("a holder rule belongs to a step created on an event (on)")
			}
		case !known:
			fail("unknown event %q", s.On)
		case s.On == OnRequest:
			if s.Holder != HolderSame || s.Team == "" {
				fail("a step started by hand (%q) is held by who starts it (%q) and needs a team", s.On, HolderSame)
			}
		default:
			if s.Holder != HolderDossier && s.Holder != HolderApplication && s.Holder != HolderTeam && s.Holder != "" {
				fail("a step created on %q is held by %q, %q or %q, or on its team's worklist, not %q", s.On, HolderDossier, HolderApplication, HolderTeam, s.Holder)
			}
			if s.Holder != HolderDossier && s.Team == "" {
				fail("a step created on %q without a holder needs a team", s.On)
			}
		}
		if err := s.Form.validate(); err != nil {
			fail("%v", err)
		}
		for _, c := range s.Requires {
			if !slices.Contains(knownChecks, c.Name) {
				fail("requires: unknown check %q", c.Name)
			} else if c.Field != "" || len(c.Params) > 0 {
				fail("requires: check %q is about the case: no field, no parameters", c.Name)
			}
		}
		if len(s.Outcomes) > 0 && s.Form.Sets(SetsOutcome) == "" {
			fail("has outcomes %v but no form field that sets the outcome", s.Outcomes)
		}
		if len(s.Outcomes) == 0 && s.Form.Sets(SetsOutcome) != "" {
			fail("has a field that sets the outcome but no outcomes")
		}
		if d.needsChosen(s) && s.Form.Sets(SetsHolder) == "" {
			fail("hands over to a chosen holder but has no form field that sets the holder")
		}
		effects := slices.Clone(s.Effects)
		for _, t := range s.Transitions {
			effects = append(effects, t.Effects...)
			where := fmt.Sprintf("transition to %q", t.Next)
			if t.Next != "" && !keys[t.Next] {
				fail("%s: no such step", where)
			}
			for _, a := range t.After {
				if !keys[a] {
					fail("%s: waits for %q, which is not a step", where, a)
				}
			}
			for _, u := range t.Unless {
				if !keys[u] {
					fail("%s: unless %q, which is not a step", where, u)
				}
			}
			if t.Outcome != "" && !slices.Contains(s.Outcomes, t.Outcome) {
				fail("%s: outcome %q is not an outcome of the step", where, t.Outcome)
			}
			switch t.Team {
			case TeamOfStep, TeamSameAsFrom, TeamHandover:
			default:
				if !teamKnown(t.Team) {
					fail("%s: team %q is not a team of the policy", where, t.Team)
				}
			}
			switch t.Holder {
			case HolderTeam, HolderSame, HolderChosen, HolderDossier, "":
			default:
				fail("%s: unknown holder rule %q", where, t.Holder)
			}
		}
		for _, e := range effects {
			if !slices.Contains(knownEffects, e.Effect) {
				fail("unknown effect %q", e.Effect)
				continue
			}
			if err := s.Form.paramFields(e.Params); err != nil {
				fail("effect %q: %v", e.Effect, err)
			}
			if st, ok := e.Params[ParamStep]; ok && !keys[StepKey(st)] {
				fail("effect %q: step %q is not a step", e.Effect, st)
			}
			if e.Effect == EffectSendLetter && !KnownLetter(LetterKey(e.Params[ParamLetter])) {
				fail("effect %q: unknown letter %q", e.Effect, e.Params[ParamLetter])
			}
			if o, ok := e.Params[ParamOutcome]; ok && e.Effect == EffectSendLetter && !slices.Contains(s.Outcomes, o) {
				fail("effect %q: outcome %q is not an outcome of the step", e.Effect, o)
			}
			if e.Effect == EffectSetTargetGroup && s.OutcomesFrom != OutcomesTargetGroups {
				fail("effect %q needs outcomes from %q", e.Effect, OutcomesTargetGroups)
			}
		}
	}
	return errors.Join(errs...)
}

// validate checks a form on its own: field names unique and set, kinds
// known, checks known and naming fields of the form.
func (f Form) validate() error {
	var errs []error
	names := map[string]bool{}
	for _, fl := range f.Fields {
		if fl.Name == "" || names[fl.Name] {
			errs = append(errs, fmt.Errorf("field %q: name is empty or used twice", fl.Name))
		}
		names[fl.Name] = true
		switch fl.Kind {
		case KindText, KindTextarea, KindDate, KindTime, KindSelect, KindRadio, KindCheckbox, KindEmail, KindTel, KindPassword, KindAmount:
		default:
			errs = append(errs, fmt.Errorf("field %q: unknown kind %q", fl.Name, fl.Kind))
		}
		if (fl.Kind == KindSelect || fl.Kind == KindRadio) && len(fl.Options) == 0 && fl.OptionsFrom == "" {
			errs = append(errs, fmt.Errorf("field %q: a %s needs options or options_from", fl.Name, fl.Kind))
		}
		if _, known := ShowConditions[fl.ShowWhen]; fl.ShowWhen != "" && !known {
			errs = append(errs, fmt.Errorf("field %q: unknown show_when %q", fl.Name, fl.ShowWhen))
		}
	}
	for _, c := range f.Checks {
		if !slices.Contains(knownChecks, c.Name) {
			errs = append(errs, fmt.Errorf("unknown check %q", c.Name))
			continue
		}
		if c.Field != "" && !names[c.Field] {
			errs = append(errs, fmt.Errorf("check %q: field %q is not in the form", c.Name, c.Field))
		}
		if err := f.paramFields(c.Params); err != nil {
			errs = append(errs, fmt.Errorf("check %q: %v", c.Name, err))
		}
	}
	return errors.Join(errs...)
}

// paramFields checks that the parameters that name a field name one of the form.
func (f Form) paramFields(p Params) error {
	for _, k := range fieldParams {
		if v, ok := p[k]; ok {
			if _, found := f.Field(v); !found {
				return fmt.Errorf("parameter %s: field %q is not in the form", k, v)
			}
		}
	}
	return nil
}
