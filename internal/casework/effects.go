package casework

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// The effects a step names (process.Do) are implemented here, each once.
// An effect may check the input it needs before anything is written
// (check, optional), and then carries out its change in the step's
// transaction (apply).

// stepRun is one completion of a step: the task with everything loaded,
// the decoded input and what the rules decided.
type stepRun struct {
	s       *Tasks
	ctx     context.Context
	tx      Tx
	actor   Actor
	tc      *taskCtx
	in      Input
	outcome string
	chosen  int64 // the next holder chosen in the form
}

// effectImpl is the implementation of a named effect. check returns what
// apply needs (nil when nothing), adding a message per refused field.
type effectImpl struct {
	check func(r *stepRun, p process.Params, errs Fields) any
	apply func(r *stepRun, p process.Params, checked any) error
	// defaults fills starting values of the fields the effect reads, for
	// the task page (optional).
	defaults func(env checkEnv, p process.Params, v Values)
}

// effectFor returns the implementation of the named effect.
func effectFor(e process.Effect) (effectImpl, bool) {
	switch e {
	case process.EffectDecideApplication:
		return effectImpl{apply: applyDecide}, true
	case process.EffectOpenParticipation:
		return effectImpl{apply: applyOpenParticipation}, true
	case process.EffectTransferDossier:
		return effectImpl{apply: applyTransferDossier}, true
	case process.EffectBookAppointment:
		return effectImpl{check: checkAppointment, apply: applyBookAppointment}, true
	case process.EffectSetTargetGroup:
		return effectImpl{apply: applySetTargetGroup}, true
	case process.EffectRegisterPlanned:
		return effectImpl{apply: applyRegisterPlanned}, true
	case process.EffectStartGuidance:
		return effectImpl{apply: participationStatus(process.StatusBegeleiding, "begeleiding",
			"Begeleiding naar werk gestart; de klantmanager heeft de regie over het plan van aanpak.")}, true
	case process.EffectContinueAsNUG:
		return effectImpl{apply: participationStatus(process.StatusNUG, "nug",
			"Begeleiding voortgezet als NUG'er (niet-uitkeringsgerechtigde).")}, true
	case process.EffectCloseParticipation:
		return effectImpl{apply: applyCloseParticipation}, true
	case process.EffectHoldAppointment:
		return effectImpl{apply: applyHoldAppointment}, true
	case process.EffectWithdrawTasks:
		return effectImpl{apply: applyWithdrawTasks}, true
	case process.EffectMarkPosted:
		return effectImpl{apply: applyMarkPosted}, true
	case process.EffectRecordVoorschot:
		return effectImpl{apply: applyRecordVoorschot}, true
	case process.EffectRecordEvaluation:
		return effectImpl{apply: applyRecordEvaluation}, true
	case process.EffectSuspendTerm:
		return effectImpl{check: checkSuspendTerm, apply: applySuspendTerm, defaults: suspendTermDefaults}, true
	case process.EffectEndSuspension:
		return effectImpl{check: checkEndSuspension, apply: applyEndSuspension}, true
	case process.EffectExtendTerm:
		return effectImpl{apply: applyExtendTerm, defaults: extendTermDefaults}, true
	case process.EffectSendLetter:
		return effectImpl{apply: applySendLetter}, true
	case process.EffectCloseWithoutRecords:
		return effectImpl{apply: func(r *stepRun, _ process.Params, _ any) error {
			return r.event(r.tc.app.ID, "einde", "Geen toekenning: er volgt geen aanmelding bij participatie.")
		}}, true
	}
	return effectImpl{}, false
}

// checkDefinition refuses a definition that names a check or an effect
// this package does not implement, or gives an effect a parameter it cannot
// use. It runs when the service starts, so a wrong definition never
// reaches a case.
func checkDefinition(def *process.Definition) error {
	var errs []error
	forms := []struct {
		where string
		form  process.Form
	}{}
	for _, st := range def.Steps {
		forms = append(forms, struct {
			where string
			form  process.Form
		}{fmt.Sprintf("step %q", st.Key), st.Form})
		dos := slices.Clone(st.Effects)
		for _, t := range st.Transitions {
			dos = append(dos, t.Effects...)
		}
		for _, d := range dos {
			if _, ok := effectFor(d.Effect); !ok {
				errs = append(errs, fmt.Errorf("step %q: effect %q is not implemented", st.Key, d.Effect))
				continue
			}
			if err := checkEffectParams(def, d); err != nil {
				errs = append(errs, fmt.Errorf("step %q: effect %q: %w", st.Key, d.Effect, err))
			}
		}
	}
	for _, f := range forms {
		for _, c := range f.form.Checks {
			if _, ok := validatorFor(c.Name); !ok {
				errs = append(errs, fmt.Errorf("%s: check %q is not implemented", f.where, c.Name))
			}
		}
	}
	for _, st := range def.Steps {
		for _, c := range st.Requires {
			if _, ok := validatorFor(c.Name); !ok {
				errs = append(errs, fmt.Errorf("step %q: required check %q is not implemented", st.Key, c.Name))
			}
		}
	}
	return errors.Join(errs...)
}

// checkEffectParams checks the parameters an effect reads beyond field names.
func checkEffectParams(def *process.Definition, d process.Do) error {
	p := d.Params
	if st, ok := p[process.ParamStatus]; ok {
		if _, known := process.StatusNames[st]; !known {
			return fmt.Errorf("unknown status %q", st)
		}
	}
	if tm, ok := p[process.ParamTeam]; ok && tm != process.TeamSameAsFrom {
		if _, known := def.Policy.Team(tm); !known {
			return fmt.Errorf("team %q is not a team of the policy", tm)
		}
	}
	switch d.Effect {
	case process.EffectSuspendTerm:
		if p[process.ParamDate] == "" || p[process.ParamField] == "" {
			return fmt.Errorf("needs the request's date (%s) and the completion term's last day (%s)", process.ParamDate, process.ParamField)
		}
	case process.EffectExtendTerm:
		if p[process.ParamDate] == "" || p[process.ParamReason] == "" {
			return fmt.Errorf("needs the new date (%s) and the reasons (%s)", process.ParamDate, process.ParamReason)
		}
	}
	if d.Effect == process.EffectHoldAppointment {
		if _, known := process.AppointmentKindNames[p[process.ParamKind]]; !known {
			return fmt.Errorf("unknown appointment kind %q", p[process.ParamKind])
		}
	}
	if d.Effect != process.EffectBookAppointment {
		return nil
	}
	if _, known := process.AppointmentKindNames[p[process.ParamKind]]; !known && p[process.ParamKind] != process.KindMissed {
		return fmt.Errorf("unknown appointment kind %q", p[process.ParamKind])
	}
	if w := p[process.ParamWith]; w != process.WithChosen && w != process.WithActor {
		return fmt.Errorf("with %q is not %q or %q", w, process.WithChosen, process.WithActor)
	}
	for _, k := range []string{process.ParamDate, process.ParamTime, process.ParamRoom} {
		if p[k] == "" {
			return fmt.Errorf("parameter %s is missing", k)
		}
	}
	if p[process.ParamDuration] == "" {
		if n, err := strconv.Atoi(p[process.ParamMinutes]); err != nil || n <= 0 {
			return fmt.Errorf("needs a duration field or a positive number of minutes")
		}
	}
	return nil
}

// event appends a history line about the step's task.
func (r *stepRun) event(caseID int64, kind, summary string) error {
	return r.s.event(r.ctx, r.tx, r.actor, r.tc.client.ID, caseID, r.tc.task.ID, kind, summary, "")
}

// now is the moment of the completion.
func (r *stepRun) now() time.Time { return r.s.clock.Now().UTC() }

// teamOf resolves a ParamTeam: a team key, or the task's own team.
func (r *stepRun) teamOf(p process.Params) (process.Team, bool) {
	key := p[process.ParamTeam]
	if key == process.TeamSameAsFrom {
		key = r.tc.task.Team
	}
	return r.tc.def.Policy.Team(key)
}

func applyDecide(r *stepRun, p process.Params, _ any) error {
	tc := r.tc
	tc.app.DecisionOutcome = r.outcome
	tc.app.Status = process.StatusBesloten
	tc.app.ClosedAt = r.now()
	tc.app.DecisionReason = r.in.Text(p[process.ParamReason])
	tc.app.DecisionOn = r.in.Date(p[process.ParamDate])
	sus, err := r.tx.SuspensionsByCase(r.ctx, tc.app.ID)
	if err != nil {
		return err
	}
	// A suspension that runs ends with the decision: today, or when its
	// term lapsed unused before.
	if su, ok := runningSuspension(sus); ok {
		if err := r.tx.EndSuspension(r.ctx, su.ID, su.Term().AnsweredEnd(r.s.today())); err != nil {
			return err
		}
	}
	if err := r.tx.UpdateCase(r.ctx, &tc.app); err != nil {
		return staleAsConflict(err)
	}
	if err := r.s.lapseOnClose(r.ctx, r.tx, r.actor, tc.def, tc.client, tc.app.ID); err != nil {
		return err
	}
	if err := r.s.assessClient(r.ctx, r.tx, tc.client.ID); err != nil {
		return err
	}
	onTime := "binnen de beslistermijn"
	if !tc.app.DecisionDue.IsZero() && tc.app.DecisionOn.After(tc.app.DecisionDue) {
		onTime = "na de beslistermijn (" + FormatDate(tc.app.DecisionDue) + ")"
	}
	return r.s.event(r.ctx, r.tx, r.actor, tc.client.ID, tc.app.ID, tc.task.ID, "besluit",
		fmt.Sprintf("Besluit op aanvraag %s: %s, %s.", tc.app.Code, tc.def.OutcomeLabel(tc.app.DecisionOutcome), onTime), tc.app.DecisionReason)
}

func applyOpenParticipation(r *stepRun, p process.Params, _ any) error {
	tc, pol := r.tc, r.tc.def.Policy
	team, _ := r.teamOf(p)
	// A client who applies again while guided keeps the dossier and its
	// klantmanager: the new application takes it over. The chosen
	// klantmanager does the step that follows (the form offers the owner
	// first); the dossier stays on its owner's name.
	if c, open, err := openDossier(r.ctx, r.tx, tc.client.ID); err != nil {
		return err
	} else if open {
		c.ApplicationID = tc.app.ID
		if err := r.tx.UpdateCase(r.ctx, &c); err != nil {
			return staleAsConflict(err)
		}
		tc.part = c
		return r.event(c.ID, "participatie_hergebruikt", fmt.Sprintf("Bestaand participatiedossier (%s) hoort nu bij deze aanvraag; dossierhouder blijft %s.",
			c.Code, userName(r.ctx, r.tx, c.DossierOwner)))
	}
	part := Case{ClientID: tc.client.ID, Kind: process.CaseParticipatie, Code: pol.ParticipationCode, Worklist: team.Worklist,
		Status: p[process.ParamStatus], DefinitionVersion: tc.def.Version, ApplicationID: tc.app.ID, DossierOwner: r.chosen, OpenedAt: r.now()}
	if err := r.tx.CreateCase(r.ctx, &part); err != nil {
		return err
	}
	tc.part = part
	where := ""
	if part.Worklist != "" {
		where = " op werkvoorraad " + part.Worklist
	}
	return r.event(part.ID, "participatie_geopend",
		fmt.Sprintf("Werkproces %s (%s) aangemaakt%s; participatiedossier op naam van %s.", part.Code, pol.ParticipationName, where, userName(r.ctx, r.tx, r.chosen)))
}

// openDossier returns the client's open participation case, if any.
func openDossier(ctx context.Context, tx CaseTx, clientID int64) (Case, bool, error) {
	cases, err := tx.CasesByClient(ctx, clientID)
	if err != nil {
		return Case{}, false, err
	}
	c, ok := openDossierOf(cases)
	return c, ok, nil
}

// openDossierOf is openDossier among cases already read.
func openDossierOf(cases []Case) (Case, bool) {
	for _, c := range cases {
		if c.Kind == process.CaseParticipatie && c.Open() {
			return c, true
		}
	}
	return Case{}, false
}

func applyTransferDossier(r *stepRun, p process.Params, _ any) error {
	tc := r.tc
	prev := userName(r.ctx, r.tx, tc.part.DossierOwner)
	team, _ := r.teamOf(p)
	tc.part.DossierOwner, tc.part.Status, tc.part.Worklist = r.chosen, p[process.ParamStatus], team.Worklist
	if err := r.tx.UpdateCase(r.ctx, &tc.part); err != nil {
		return staleAsConflict(err)
	}
	return r.event(tc.part.ID, "dossier_overgedragen",
		fmt.Sprintf("Participatiedossier overgedragen van %s aan %s.", prev, userName(r.ctx, r.tx, r.chosen)))
}

// checkAppointment checks the appointment the step books, from the fields
// its parameters name.
func checkAppointment(r *stepRun, p process.Params, errs Fields) any {
	minutes, _ := strconv.Atoi(p[process.ParamMinutes])
	sl := r.s.checkSlot(r.in, slotFields{date: p[process.ParamDate], time: p[process.ParamTime],
		duration: p[process.ParamDuration], room: p[process.ParamRoom], minutes: minutes}, errs)
	if sl == nil {
		return nil
	}
	return sl
}

func applyBookAppointment(r *stepRun, p process.Params, checked any) error {
	sl, ok := checked.(*slot)
	if !ok {
		return errors.New("book appointment: no checked slot")
	}
	km := r.actor.User.ID
	if p[process.ParamWith] == process.WithChosen {
		km = r.chosen
	}
	kind := p[process.ParamKind]
	if kind == process.KindMissed {
		aps, err := caseAppointments(r.ctx, r.tx, r.tc.client.ID, r.tc.part.ID)
		if err != nil {
			return err
		}
		missed, ok := lastOf(aps, "", func(ap Appointment) bool { return ap.Status == process.AppointmentNoShow })
		if !ok {
			return errors.New("book appointment: no missed appointment to plan anew")
		}
		kind = missed.Kind
	}
	return r.s.book(r.ctx, r.tx, r.actor, r.tc.def, r.tc.client, r.tc.part, kind, *sl, km)
}

// applyHoldAppointment records the case's begun appointment of the kind
// as held: the step was done at it.
func applyHoldAppointment(r *stepRun, p process.Params, _ any) error {
	aps, err := caseAppointments(r.ctx, r.tx, r.tc.client.ID, r.tc.part.ID)
	if err != nil {
		return err
	}
	now := r.s.clock.Now()
	ap, ok := lastOf(aps, p[process.ParamKind], func(ap Appointment) bool { return ap.Planned() && !ap.StartAt.After(now) })
	if !ok {
		return nil // held already, or recorded meanwhile: nothing to add
	}
	if err := r.tx.SetAppointmentStatus(r.ctx, ap.ID, process.AppointmentHeld); err != nil {
		return staleAppointment(err)
	}
	return r.event(ap.CaseID, "afspraak_gehouden",
		fmt.Sprintf("%s van %s uur is gehouden.", process.AppointmentKindNames[ap.Kind], FormatDateTime(ap.StartAt)))
}

// applyWithdrawTasks lets the open tasks of a step on the application
// lapse: what they asked for is done with another way.
func applyWithdrawTasks(r *stepRun, p process.Params, _ any) error {
	step := process.StepKey(p[process.ParamStep])
	for _, t := range r.tc.tasks {
		if t.Step != step || t.Status != TaskOpen || t.ID == r.tc.task.ID {
			continue
		}
		title := string(step)
		if st, ok := r.tc.def.Step(step); ok {
			title = st.Title
		}
		if err := r.s.lapse(r.ctx, r.tx, r.actor, r.tc.client.ID, t, fmt.Sprintf("Taak %q vervalt: %q is afgerond.", title, r.tc.step.Title)); err != nil {
			return err
		}
	}
	return nil
}

// applyMarkPosted records the client's letters waiting to be posted as
// sent: Team Ondersteuning printed and posted them.
func applyMarkPosted(r *stepRun, _ process.Params, _ any) error {
	msgs, err := r.tx.ListMessages(r.ctx, MessageFilter{ClientID: r.tc.client.ID, Status: MessageByPost, Limit: 1000})
	if err != nil {
		return err
	}
	for _, m := range msgs {
		m.Status, m.SentAt, m.LastError = MessageSent, r.now(), "Per post verstuurd door "+r.actor.User.Name+"."
		if err := r.tx.UpdateDelivery(r.ctx, m); err != nil {
			return err
		}
	}
	// The letters are documents too: each records its printing and posting.
	if _, err := r.tx.MarkDocumentsPosted(r.ctx, r.tc.client.ID, r.now(), r.actor.User.ID, r.actor.User.Name); err != nil {
		return err
	}
	return r.event(r.tc.task.CaseID, "brieven_verstuurd", fmt.Sprintf("%d brief/brieven per post afgedrukt en verstuurd.", len(msgs)))
}

func applySetTargetGroup(r *stepRun, _ process.Params, _ any) error {
	r.tc.app.TargetGroup = r.outcome
	if err := r.tx.UpdateCase(r.ctx, &r.tc.app); err != nil {
		return staleAsConflict(err)
	}
	return nil
}

// applyRegisterPlanned registers the trajectories of the plan van aanpak
// whose rows are ticked.
func applyRegisterPlanned(r *stepRun, p process.Params, _ any) error {
	for _, row := range r.in.List(p[process.ParamField]) {
		n, err := strconv.Atoi(row)
		if err != nil {
			continue
		}
		if err := r.s.registerRow(r.ctx, r.tx, r.actor, r.tc.def, r.tc.part, n); err != nil {
			return err
		}
	}
	return nil
}

// participationStatus moves the participation case to a status with a
// history line.
func participationStatus(status, kind, summary string) func(r *stepRun, _ process.Params, _ any) error {
	return func(r *stepRun, _ process.Params, _ any) error {
		r.tc.part.Status = status
		if err := r.tx.UpdateCase(r.ctx, &r.tc.part); err != nil {
			return staleAsConflict(err)
		}
		return r.event(r.tc.part.ID, kind, summary)
	}
}

// applyCloseParticipation ends guidance; what was chosen in ParamField
// may be finished. An application closed before its dossier was made
// has nothing to close but the history line.
func applyCloseParticipation(r *stepRun, p process.Params, _ any) error {
	if r.tc.part.ID == 0 {
		return r.event(r.tc.app.ID, "afgesloten", "Aanmelding bij participatie afgesloten; er was nog geen participatiedossier.")
	}
	return r.s.closeDossier(r.ctx, r.tx, r.actor, r.tc.def, r.tc.client, &r.tc.part, r.tc.task.ID, r.in.List(p[process.ParamField]), "")
}

// suspendTermDefaults starts the request's form today, with the
// completion term of the policy moved by the Algemene termijnenwet.
func suspendTermDefaults(env checkEnv, p process.Params, v Values) {
	v.Set(p[process.ParamDate], FormatDate(env.today))
	v.Set(p[process.ParamField], FormatDate(env.def.Policy.RequestInfoEnd(env.today, termCalendar(env.def))))
}

// extendTermDefaults proposes a new decision due date halfway the room an
// extension has, on a day a term may end on.
func extendTermDefaults(env checkEnv, p process.Params, v Values) {
	if env.app.DecisionDue.IsZero() {
		return
	}
	pol := env.def.Policy
	v.Set(p[process.ParamDate], FormatDate(process.TermEnd(process.AddDays(env.app.DecisionDue, pol.ExtensionMaxDays/2), termCalendar(env.def))))
}

// requestSuspension is the suspension a request to complete the
// application starts, as checked before it is written.
type requestSuspension struct {
	su Suspension
}

// checkSuspendTerm refuses a request whose suspension would overlap an
// earlier one (a running one is refused by the step's requirement).
func checkSuspendTerm(r *stepRun, p process.Params, errs Fields) any {
	requested, last := r.in.Date(p[process.ParamDate]), r.in.Date(p[process.ParamField])
	if requested.IsZero() || last.IsZero() {
		return nil
	}
	sus, err := r.tx.SuspensionsByCase(r.ctx, r.tc.app.ID)
	if err != nil {
		return err
	}
	ps := process.RequestSuspension(requested, last)
	if msg := overlapMessage(sus, ps.Start, ps.LapsedEnd()); msg != "" {
		errs.Add(p[process.ParamDate], msg)
		return nil
	}
	return requestSuspension{su: Suspension{CaseID: r.tc.app.ID, Kind: SuspensionRequest, RequestedOn: requested,
		StartOn: ps.Start, PlannedEnd: ps.PlannedEnd, Reason: r.in.Text(p[process.ParamReason])}}
}

// applySuspendTerm suspends the decision term from the day after the
// request (Awb 4:15 lid 1 a) until the completion term's last day at the
// latest, and recomputes the due date.
func applySuspendTerm(r *stepRun, _ process.Params, checked any) error {
	if err, ok := checked.(error); ok {
		return err
	}
	req, ok := checked.(requestSuspension)
	if !ok {
		return errors.New("suspend term: no checked request")
	}
	su := req.su
	su.By, su.At = r.actor.User.ID, r.now()
	if err := r.tx.AddSuspension(r.ctx, &su); err != nil {
		return err
	}
	if err := r.s.event(r.ctx, r.tx, r.actor, r.tc.client.ID, r.tc.app.ID, r.tc.task.ID, "opschorting",
		fmt.Sprintf("Verzoek om aanvulling van %s (Awb 4:5): beslistermijn opgeschort vanaf %s, uiterlijk tot en met %s (de aanvultermijn).",
			FormatDate(su.RequestedOn), FormatDate(su.StartOn), FormatDate(su.PlannedEnd)), su.Reason); err != nil {
		return err
	}
	return r.s.recomputeDecisionDue(r.ctx, r.tx, r.actor, &r.tc.app)
}

// checkEndSuspension finds the running suspension of the request and
// refuses recording a lapse before the completion term has passed.
func checkEndSuspension(r *stepRun, p process.Params, errs Fields) any {
	sus, err := r.tx.SuspensionsByCase(r.ctx, r.tc.app.ID)
	if err != nil {
		return err
	}
	su, ok := runningSuspension(sus)
	if !ok || su.Kind != SuspensionRequest {
		return Conflict("Er loopt geen opschorting door een verzoek om aanvulling meer; een collega heeft die al beëindigd.")
	}
	if p[process.ParamDate] == "" && !r.s.today().After(su.PlannedEnd) {
		errs.Add(r.tc.step.Form.Sets(process.SetsOutcome), fmt.Sprintf("De aanvultermijn loopt nog tot en met %s. Leg pas daarna vast dat hij ongebruikt verstreek.", FormatDate(su.PlannedEnd)))
	}
	return su
}

// applyEndSuspension ends the request's suspension on the day the
// information arrived, or the day after the completion term when that
// came first or nothing arrived (Awb 4:15 lid 1 a), and recomputes the due
// date.
func applyEndSuspension(r *stepRun, p process.Params, checked any) error {
	if err, ok := checked.(error); ok {
		return err
	}
	su, ok := checked.(Suspension)
	if !ok {
		return errors.New("end suspension: no checked suspension")
	}
	term := su.Term()
	end, summary := term.LapsedEnd(), fmt.Sprintf("Aanvultermijn ongebruikt verstreken (tot en met %s): de opschorting is beëindigd.", FormatDate(su.PlannedEnd))
	if name := p[process.ParamDate]; name != "" {
		arrived := r.in.Date(name)
		end = term.AnsweredEnd(arrived)
		summary = fmt.Sprintf("Aanvulling ontvangen op %s: de opschorting is beëindigd.", FormatDate(arrived))
		if arrived.After(su.PlannedEnd) {
			summary = fmt.Sprintf("Aanvulling ontvangen op %s, na de aanvultermijn (tot en met %s): de opschorting eindigde met die termijn.",
				FormatDate(arrived), FormatDate(su.PlannedEnd))
		}
	}
	if err := r.tx.EndSuspension(r.ctx, su.ID, end); errors.Is(err, ErrStale) {
		return Conflict("Een collega heeft deze opschorting intussen beëindigd.")
	} else if err != nil {
		return err
	}
	if err := r.event(r.tc.app.ID, "opschorting", summary+" De beslistermijn loopt weer vanaf "+FormatDate(end)+"."); err != nil {
		return err
	}
	return r.s.recomputeDecisionDue(r.ctx, r.tx, r.actor, &r.tc.app)
}

// applyExtendTerm extends the decision term once to the chosen date
// (Awb 4:14 lid 3), records why and recomputes the due date. The checks of
// the step refuse a second extension, one while the term is suspended or
// after it passed, and a date that is no later or too late.
func applyExtendTerm(r *stepRun, p process.Params, _ any) error {
	app := &r.tc.app
	if !app.ExtendedTo.IsZero() {
		return Conflict("De beslistermijn is al verdaagd tot " + FormatDate(app.ExtendedTo) + ".")
	}
	sus, err := r.tx.SuspensionsByCase(r.ctx, app.ID)
	if err != nil {
		return err
	}
	to, before := r.in.Date(p[process.ParamDate]), app.DecisionDue
	app.ExtensionDays = r.tc.def.Policy.ExtensionDays(app.AppliedOn, terms(sus), app.ExtensionDays, to)
	app.ExtendedTo, app.ExtendedOn, app.ExtensionReason = to, r.s.today(), r.in.Text(p[process.ParamReason])
	if err := r.s.event(r.ctx, r.tx, r.actor, r.tc.client.ID, app.ID, r.tc.task.ID, "verdaging",
		fmt.Sprintf("Beslistermijn verdaagd van %s naar %s (Awb 4:14 lid 3).", FormatDate(before), FormatDate(to)), app.ExtensionReason); err != nil {
		return err
	}
	return r.s.recomputeDecisionDue(r.ctx, r.tx, r.actor, app)
}
