package process

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// StepKey names a step of the process. Each step is done as a task.
type StepKey string

// The steps of the pilot, in the order of the source.
const (
	StepIntakeGesprek          StepKey = "intake_gesprek"
	StepBeoordelingDoelgroep   StepKey = "beoordeling_doelgroep"
	StepAanmeldingParticipatie StepKey = "aanmelding_participatie"
	StepVerwerkingAanmelding   StepKey = "verwerking_aanmelding"
	StepIntakeWerkdiagnose     StepKey = "intake_werkdiagnose"
	StepRapportage             StepKey = "rapportage"
	StepBesluit                StepKey = "besluit"
	StepVerdelenKMWerk         StepKey = "verdelen_km_werk"
	StepVerwerkingTeam         StepKey = "verwerking_aanmelding_team"
	StepUitnodigenKennismaking StepKey = "uitnodigen_kennismaking"
	StepStartBegeleiding       StepKey = "start_begeleiding"
	StepNugOfAfsluiten         StepKey = "nug_of_afsluiten"
	StepAfsluitenZonderIntake  StepKey = "afsluiten_zonder_intake"
	StepHerplannen             StepKey = "afspraak_herplannen"
	StepBriefVersturen         StepKey = "brief_versturen"
	StepVoorschot              StepKey = "voorschot_beoordelen"
	StepPlanEvalueren          StepKey = "plan_evalueren"
	StepVerzoekAanvulling      StepKey = "verzoek_aanvulling"
	StepAanvullingVerwerken    StepKey = "aanvulling_verwerken"
	StepVerdagen               StepKey = "beslistermijn_verdagen"
)

// CaseKind says on which case a step's task lives.
type CaseKind string

const (
	CaseAanvraag     CaseKind = "aanvraag"     // werkproces 0/L2
	CaseParticipatie CaseKind = "participatie" // werkproces 17/PA
)

// TermKind names the deadline a task carries.
type TermKind string

const (
	TermNone     TermKind = ""
	TermIntake   TermKind = "intake_week"   // TOP plans the KM Werkdiagnose intake within 1 week of the registration
	TermInvite   TermKind = "invite_week"   // KM Werk invites within 1 week of the assignment
	TermDecision TermKind = "decision_term" // Awb 4:13: 8 weeks after receipt, plus suspensions
	// TermHandover (interpretation, not in the source): after the decision
	// the registration with participation is passed on within a week, so a
	// granted client on the decision-first route does not wait unseen.
	TermHandover TermKind = "handover_week"
	// TermAfterAppointment: a step done at an appointment is completed within
	// a few working days after the appointment (Policy.AfterAppointmentWorkdays).
	TermAfterAppointment TermKind = "after_appointment"
	// TermReschedule: after a no-show, a new appointment within
	// Policy.RescheduleTermDays.
	TermReschedule TermKind = "reschedule"
	// TermLetter: a letter to a client without e-mail goes in the post
	// within Policy.LetterWorkdays working days.
	TermLetter TermKind = "letter"
	// TermVoorschot: a voorschot (Participatiewet art. 52) is assessed by
	// the voorschot date itself; the task comes Policy.VoorschotSignalWorkdays
	// working days before it.
	TermVoorschot TermKind = "voorschot"
	// TermEvaluation: the plan van aanpak is evaluated by its evaluation
	// date (Participatiewet art. 44a); the task comes
	// Policy.PlanEvaluationSignalWorkdays working days before it.
	TermEvaluation TermKind = "plan_evaluation"
	// TermCompletion: the completion term of a request to complete the
	// application (Awb 4:5): due on its last day, the running suspension's
	// planned end.
	TermCompletion TermKind = "completion_term"
)

// HolderRule says who holds a task when it is created.
type HolderRule string

const (
	HolderTeam    HolderRule = "team"    // on the team's worklist, not picked up
	HolderSame    HolderRule = "same"    // the person who completed the previous step
	HolderChosen  HolderRule = "chosen"  // the person chosen in the form (appointment, assignment)
	HolderDossier HolderRule = "dossier" // the owner of the participatiedossier
	// HolderApplication: the Poortwachter who handles the application, the
	// holder of its open task with the decision term; nobody (the team's
	// worklist) when no such task is held.
	HolderApplication HolderRule = "application"
)

// Effect is a change to the cases that completing a step brings about.
// Steps and transitions name effects (with parameters, see Do); casework
// holds the one implementation of each.
type Effect string

const (
	EffectDecideApplication   Effect = "decide_application"   // record the decision (ParamDate, ParamReason fields), close the 0/L2 case
	EffectOpenParticipation   Effect = "open_participation"   // create 17/PA and the participatiedossier for the chosen klantmanager (ParamStatus, ParamTeam)
	EffectTransferDossier     Effect = "transfer_dossier"     // the participatiedossier goes to the chosen klantmanager (ParamStatus, ParamTeam)
	EffectBookAppointment     Effect = "book_appointment"     // book an appointment from the form and invite the client (ParamKind, ParamWith, fields)
	EffectSetTargetGroup      Effect = "set_target_group"     // the outcome is the client's target group
	EffectRegisterPlanned     Effect = "register_planned"     // register the trajectories of the plan ticked in ParamField
	EffectStartGuidance       Effect = "start_guidance"       // the participation case is in guidance
	EffectContinueAsNUG       Effect = "continue_as_nug"      // guidance goes on as NUG'er
	EffectCloseParticipation  Effect = "close_participation"  // guidance ends; trajectories ticked in ParamField may finish
	EffectCloseWithoutRecords Effect = "close_no_participate" // application refused on the decision-first route: nothing follows
	EffectHoldAppointment     Effect = "hold_appointment"     // the appointment of ParamKind on the case was held
	EffectWithdrawTasks       Effect = "withdraw_tasks"       // open tasks of step ParamStep on the application lapse (vervallen)
	EffectMarkPosted          Effect = "mark_posted"          // the client's letters waiting to be posted are posted
	EffectRecordVoorschot     Effect = "record_voorschot"     // record the voorschot of the task's voorschot date (ParamDate, ParamAmount, ParamReason fields; outcome OutcomeVoorschotVerstrekt or not)
	EffectRecordEvaluation    Effect = "record_evaluation"    // record the evaluation of the plan van aanpak (ParamDate, ParamDone, ParamChanges, ParamNext fields); outcome OutcomePlanWijzigt makes a new plan version
	// EffectSuspendTerm: a request to complete the application (Awb 4:5)
	// made on the date in ParamDate suspends the decision term from the next
	// day until the completion term's last day in ParamField at the latest
	// (Awb 4:15 lid 1 a); ParamReason names what is missing.
	EffectSuspendTerm Effect = "suspend_term"
	// EffectEndSuspension ends the running suspension of the request: on
	// the day the information arrived (ParamDate), or, without ParamDate,
	// because the completion term lapsed unused.
	EffectEndSuspension Effect = "end_suspension"
	// EffectExtendTerm extends the decision term once to the date in
	// ParamDate, for the reasons in ParamReason (Awb 4:14 lid 3).
	EffectExtendTerm Effect = "extend_term"
)

// Special team references in transitions.
const (
	TeamOfStep     = ""          // the team named on the next step
	TeamSameAsFrom = "@same"     // the team of the completed task
	TeamHandover   = "@handover" // the target group's handover team
)

// Step is one step of the process, done as one task by one lane. Its form
// (fields and checks) and its effects are part of it, so a new step is a
// new entry in the definition: casework holds the one implementation of
// every named check and effect.
type Step struct {
	Key    StepKey `json:"key"`
	Title  string  `json:"title"`
	Source string  `json:"source"` // the source's words; for an added step, why it is there
	// Added: the source does not describe this step; the definition adds
	// it for a situation the source leaves open (an interpretation).
	Added bool `json:"added,omitempty"`
	// LapsesOnClose: an open task of this step lapses when its case closes:
	// its dossier (planning anew after a no-show has no point then), or its
	// application when it is decided (what keeps the decision term neither).
	LapsesOnClose bool     `json:"lapses_on_close,omitempty"`
	Lane          string   `json:"lane"` // lane of the swimlane diagram
	Team          string   `json:"team"` // default team; empty when the transition decides
	Case          CaseKind `json:"case"`
	Term          TermKind `json:"term,omitempty"`
	// Outcomes are the allowed outcomes; empty means none is needed. With
	// OutcomesFrom OutcomesTargetGroups they are the policy's target groups
	// and the outcome sets the case's route.
	Outcomes     []string     `json:"outcomes,omitempty"`
	OutcomesFrom string       `json:"outcomes_from,omitempty"`
	Form         Form         `json:"form"`
	Effects      []Do         `json:"effects,omitempty"` // effects whatever the outcome, in order
	Transitions  []Transition `json:"transitions,omitempty"`
	// On names the event that creates a task of this step outside the flow
	// of transitions (On…): a no-show creates a task to plan anew. Such a
	// task is held by Holder (HolderDossier: the dossier's owner) and lives
	// on Team, or, when Team is empty, on the team whose role the holder has.
	// A step OnRequest is started by hand, by someone of its Team, who holds
	// it (HolderSame); it may be done more than once per application.
	On     string     `json:"on,omitempty"`
	Holder HolderRule `json:"holder,omitempty"`
	// Requires are checks of the case (no field) that must hold to start
	// the step by hand and again to complete it: not while a suspension
	// runs, not twice. A refusal is a conflict with the check's message.
	Requires []Check `json:"requires,omitempty"`
}

// Events that create tasks of the steps that name them (Step.On).
const (
	OnNoShow = "no_show" // the client did not come to an appointment
	OnLetter = "letter"  // a message to a client without e-mail became a letter to post
	// OnVoorschot: a voorschot date of an undecided application comes near
	// (Policy.VoorschotSignalWorkdays before it).
	OnVoorschot = "voorschot"
	// OnPlanEvaluation: an evaluation date of the plan van aanpak comes
	// near (Policy.PlanEvaluationSignalWorkdays before it).
	OnPlanEvaluation = "plan_evaluation"
	// OnRequest: someone of the step's team starts it by hand, from the
	// client's page (Tasks.StartStep).
	OnRequest = "on_request"
)

// OnNames says in Dutch what each event is.
var OnNames = map[string]string{
	OnNoShow:         "de klant verschijnt niet op een afspraak",
	OnLetter:         "een bericht aan een klant zonder e-mailadres wordt een brief",
	OnVoorschot:      "een voorschotdatum nadert terwijl op de aanvraag nog niet is besloten",
	OnPlanEvaluation: "een evaluatiedatum van het plan van aanpak nadert",
	OnRequest:        "een medewerker van het team start de stap vanaf de klantpagina",
}

// StepsStartable returns the steps that are started by hand (OnRequest)
// on a case of kind k, in the order of the definition.
func (d *Definition) StepsStartable(k CaseKind) []Step {
	var out []Step
	for _, s := range d.StepsOn(OnRequest) {
		if s.Case == k {
			out = append(out, s)
		}
	}
	return out
}

// OutcomesTargetGroups: a step's outcomes are the policy's target groups.
const OutcomesTargetGroups = "target_groups"

// Transition creates the next task when its conditions hold.
type Transition struct {
	Route   Route      `json:"route,omitempty"`   // only on this route
	Outcome string     `json:"outcome,omitempty"` // only with this outcome
	Next    StepKey    `json:"next,omitempty"`    // empty: the track ends
	Team    string     `json:"team,omitempty"`    // see TeamOfStep, TeamSameAsFrom, TeamHandover
	Holder  HolderRule `json:"holder,omitempty"`
	Message string     `json:"message,omitempty"` // hand-over mail to the receiving team, e.g. "E-mail TOP"
	After   []StepKey  `json:"after,omitempty"`   // join: wait until these steps are complete
	Unless  []StepKey  `json:"unless,omitempty"`  // only while none of these steps is complete
	Effects []Do       `json:"effects,omitempty"`
}

// Decision outcomes and NUG outcomes.
const (
	OutcomeToekenning     = "toekenning"
	OutcomeGeenToekenning = "geen_toekenning"
	OutcomeNUG            = "nug"
	OutcomeAfsluiten      = "afsluiten"
	OutcomeZonderIntake   = "afsluiten_zonder_intake"
	OutcomeIntakeDoorgaan = "intake_doorgaan"
	// A voorschot (art. 52 Participatiewet) is paid or not.
	OutcomeVoorschotVerstrekt = "verstrekt"
	OutcomeVoorschotNiet      = "niet_verstrekt"
	// After an evaluation the plan van aanpak stays or gets a new version.
	OutcomePlanBlijft    = "plan_blijft"
	OutcomePlanWijzigt   = "plan_wijzigt"
	OutcomeAangevuld     = "aangevuld"          // the applicant completed the application (Awb 4:5)
	OutcomeNietAangevuld = "termijn_verstreken" // the completion term lapsed unused
)

// OutcomeNames gives the Dutch label of fixed outcomes.
var OutcomeNames = map[string]string{
	OutcomeToekenning:         "Toekenning",
	OutcomeGeenToekenning:     "Geen toekenning",
	OutcomeNUG:                "Voortzetten begeleiding als NUG'er",
	OutcomeAfsluiten:          "Begeleiding afsluiten",
	OutcomeZonderIntake:       "Afsluiten zonder intake",
	OutcomeIntakeDoorgaan:     "De intake gaat door (daarna NUG'er of afsluiten)",
	OutcomeVoorschotVerstrekt: "Voorschot verstrekt",
	OutcomeVoorschotNiet:      "Geen voorschot verstrekt",
	OutcomePlanBlijft:         "Het plan blijft zoals het is",
	OutcomePlanWijzigt:        "Het plan wordt aangepast (een nieuwe versie, die de klant opnieuw tekent)",
	OutcomeAangevuld:          "Aanvulling ontvangen",
	OutcomeNietAangevuld:      "Aanvultermijn ongebruikt verstreken",
}

// Definition is one version of the pilot's process. A case keeps the
// version it started with; Version changes whenever anything in it changes.
type Definition struct {
	Version string  `json:"version"`
	Name    string  `json:"name"`
	Start   StepKey `json:"start"`
	Policy  Policy  `json:"policy"`
	Steps   []Step  `json:"steps"`
}

// versionPrefix starts every definition version; it changes when the
// shape of a definition changes.
const versionPrefix = "2026.2-"

// NewDefinition builds the pilot's process from a policy. The version is
// derived from the content, so equal policies give equal versions.
func NewDefinition(p Policy) (*Definition, error) {
	return Build("Pilot Werkdiagnose", StepIntakeGesprek, p, PilotSteps())
}

// Build makes a definition of the given steps: it fills the outcomes that
// come from the policy, checks that the steps fit together (each error
// names the step and what is wrong) and derives the version from the
// content. A variant of the pilot is PilotSteps with steps added or
// changed, passed to Build.
func Build(name string, start StepKey, p Policy, steps []Step) (*Definition, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	d := &Definition{Name: name, Start: start, Policy: p, Steps: steps}
	for i := range d.Steps {
		if d.Steps[i].OutcomesFrom == OutcomesTargetGroups {
			d.Steps[i].Outcomes = nil
			for _, g := range p.TargetGroups {
				d.Steps[i].Outcomes = append(d.Steps[i].Outcomes, g.Key)
			}
		}
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	body, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	d.Version = versionPrefix + hex.EncodeToString(sum[:4])
	return d, nil
}

// ParseDefinition reads a stored definition (as written by json.Marshal).
func ParseDefinition(body []byte) (*Definition, error) {
	var d Definition
	if err := json.Unmarshal(body, &d); err != nil {
		return nil, fmt.Errorf("process definition: %w", err)
	}
	if strings.HasPrefix(d.Version, legacyPrefix) {
		d.upgradeLegacy()
	}
	if d.Policy.RequestInfoTermDays == 0 {
		d.upgradeTerms()
	}
	return &d, nil
}

// upgradeTerms gives a definition stored before the decision term was
// kept by steps (its policy has no request_info_term_days) the term
// policy's defaults and the steps that keep the term (termSteps), so a
// running application can be suspended by a request to complete it and
// extended; its flow is untouched. Its decision term is moved by the
// Algemene termijnenwet from the next recomputation on: the law, not a
// choice of configuration.
func (d *Definition) upgradeTerms() {
	def := DefaultPolicy()
	d.Policy.RequestInfoTermDays = def.RequestInfoTermDays
	if d.Policy.ExtensionMaxDays == 0 {
		d.Policy.ExtensionMaxDays = def.ExtensionMaxDays
	}
	if d.Policy.TermCalendar.Holidays == nil {
		d.Policy.TermCalendar = def.TermCalendar
	}
	for _, st := range termSteps() {
		if _, ok := d.Step(st.Key); !ok {
			d.Steps = append(d.Steps, st)
		}
	}
}

// legacyPrefix starts the versions stored before steps carried their
// forms, checks and parameterised effects.
const legacyPrefix = "2026.1-"

// upgradeLegacy gives the steps of a definition stored before forms were
// part of it the form, checks and effects the pilot's step of the same key
// had in code then (they are the same now), keeping its flow, teams and
// terms. A running case keeps behaving as it did.
func (d *Definition) upgradeLegacy() {
	pilot := map[StepKey]Step{}
	for _, s := range PilotSteps() {
		pilot[s.Key] = s
	}
	for i, s := range d.Steps {
		ps, ok := pilot[s.Key]
		if !ok {
			continue
		}
		d.Steps[i].Form, d.Steps[i].Effects, d.Steps[i].OutcomesFrom = ps.Form, ps.Effects, ps.OutcomesFrom
		for j, t := range s.Transitions {
			for _, pt := range ps.Transitions {
				if pt.Next == t.Next && pt.Outcome == t.Outcome && pt.Route == t.Route {
					d.Steps[i].Transitions[j].Effects = pt.Effects
				}
			}
		}
	}
}

// Step returns the step with the given key.
func (d *Definition) Step(k StepKey) (Step, bool) {
	for _, s := range d.Steps {
		if s.Key == k {
			return s, true
		}
	}
	return Step{}, false
}

// OutcomeLabel gives an outcome in words: a fixed outcome's name or a
// target group's.
func (d *Definition) OutcomeLabel(outcome string) string {
	if l, ok := OutcomeNames[outcome]; ok {
		return l
	}
	if g, ok := d.Policy.TargetGroup(outcome); ok {
		return g.Name
	}
	return outcome
}

// Options returns the choices of an option source the definition knows
// itself (SourceOutcomes) for a step, and false for the others.
func (d *Definition) Options(step StepKey, source string) ([]Option, bool) {
	if source != SourceOutcomes {
		return nil, false
	}
	s, _ := d.Step(step)
	out := make([]Option, 0, len(s.Outcomes))
	for _, o := range s.Outcomes {
		out = append(out, Option{Value: o, Label: d.OutcomeLabel(o)})
	}
	return out, true
}

// PilotSteps returns the steps of the pilot, in the order of the source.
func PilotSteps() []Step {
	return append([]Step{
		{
			Key: StepIntakeGesprek, Title: "Intakegesprek (telefonisch)", Lane: "Poort", Team: TeamPoort,
			Case: CaseAanvraag, Term: TermDecision,
			Source: "Poortwachter belt de klant voor intakegesprek met uitvraag op rechtmatigheid en doelmatigheid",
			Form: Form{Fields: []Field{
				{Name: "gesprek_datum", Label: "Datum van het intakegesprek", Kind: KindDate, Required: true, Help: "Formaat dd-mm-jjjj, niet in de toekomst."},
				{Name: "rechtmatigheid", Label: "Uitvraag rechtmatigheid", Help: "Inkomen, vermogen, woonsituatie en leefvorm, verblijfstatus.", Kind: KindTextarea, Required: true},
				{Name: "doelmatigheid", Label: "Uitvraag doelmatigheid", Help: "Wat heeft de klant nodig om onafhankelijk van de uitkering te worden?", Kind: KindTextarea, Required: true},
				{Name: "bijzonderheden", Label: "Bijzonderheden", Kind: KindTextarea},
			}, Checks: []Check{
				{Name: CheckNotFuture, Field: "gesprek_datum", Message: "De datum van het gesprek kan niet in de toekomst liggen."},
				{Name: CheckNotBeforeReceipt, Field: "gesprek_datum", Message: "Het gesprek ligt voor de ontvangst van de aanvraag."},
			}},
			Transitions: []Transition{{Next: StepBeoordelingDoelgroep, Holder: HolderSame}},
		},
		{
			Key: StepBeoordelingDoelgroep, Title: "Beoordeling doelgroep", Lane: "Poort", Team: TeamPoort,
			Case: CaseAanvraag, Term: TermDecision, OutcomesFrom: OutcomesTargetGroups,
			Source: "Beoordeling doelgroep: Regulier, Arbeidsbeperkt of In verblijvende inrichting",
			Form: Form{Fields: []Field{
				{Name: "doelgroep", Label: "Doelgroep", Kind: KindRadio, Required: true, OptionsFrom: SourceOutcomes, Sets: SetsOutcome},
				{Name: "toelichting", Label: "Toelichting", Kind: KindTextarea},
			}},
			Effects: []Do{{Effect: EffectSetTargetGroup}},
			Transitions: []Transition{
				{Route: RouteDiagnoseFirst, Next: StepAanmeldingParticipatie, Holder: HolderSame},
				{Route: RouteDecisionFirst, Next: StepRapportage, Holder: HolderSame},
			},
		},
		{
			Key: StepAanmeldingParticipatie, Title: "Aanmelding participatie", Lane: "Poort", Team: TeamPoort,
			Case: CaseAanvraag, Term: TermDecision,
			Source: "Poortwachter meldt klant aan bij Participatie met e-mail met klantgegevens naar Medewerker ondersteuning participatie",
			Form: Form{Fields: []Field{
				{Name: "toelichting", Label: "Toelichting voor het ontvangende team", Help: "Wat moet het team weten? Zet hier geen BSN in.", Kind: KindTextarea, Required: true},
			}, Checks: []Check{{Name: CheckNoBSN, Field: "toelichting"}}},
			Transitions: []Transition{
				{Route: RouteDiagnoseFirst, Next: StepVerwerkingAanmelding, Team: TeamOfStep, Holder: HolderTeam, Message: "E-mail TOP"},
				// The assessment runs in parallel with the work diagnosis (steps 5–6 and 7 of the source).
				{Route: RouteDiagnoseFirst, Next: StepRapportage, Holder: HolderSame},
				{Route: RouteDecisionFirst, Next: StepVerwerkingTeam, Team: TeamHandover, Holder: HolderTeam, Message: "@handover"},
			},
		},
		{
			Key: StepVerwerkingAanmelding, Title: "Verwerking aanmelding participatie", Lane: "Team ondersteuning",
			Team: TeamOndersteuning, Case: CaseAanvraag, Term: TermIntake,
			Source: "Medewerker ondersteuning participatie plant binnen 1 week een afspraak bij de Klantmanager Werkdiagnose (stuurt uitnodiging en boekt een spreekkamer), maakt werkproces 17/PA aan op werkvoorraad 445 en het participatiedossier op naam van de Klantmanager Werkdiagnose",
			Form: Form{Fields: append(appointmentFields(true), lateReasonField),
				Checks: []Check{{Name: CheckLateReason, Field: FieldLateReason, Params: Params{ParamDate: FieldDate}}}},
			Effects: []Do{
				{Effect: EffectOpenParticipation, Params: Params{ParamStatus: StatusWerkdiagnose, ParamTeam: TeamWerkdiagnose}},
				{Effect: EffectBookAppointment, Params: appointmentParams(AppointmentIntake, WithChosen)},
			},
			Transitions: []Transition{{Next: StepIntakeWerkdiagnose, Holder: HolderChosen}},
		},
		{
			Key: StepIntakeWerkdiagnose, Title: "Intake KM Werkdiagnose en plan van aanpak", Lane: "KM Werkdiagnose",
			Team: TeamWerkdiagnose, Case: CaseParticipatie, Term: TermAfterAppointment,
			Source: "Klantmanager Werkdiagnose heeft een intakegesprek: plan van aanpak, segmentering, aanmeldingen Hallo Werk, Baanbrekend en Educenter, handtekening klant, trajectregistratie met activiteiten",
			Form: Form{Fields: []Field{
				{Name: "gesprek_gevoerd", Label: "Het intakegesprek met de klant is gevoerd", Kind: KindCheckbox, Required: true},
				{Name: "plan_meegegeven", Label: "Het plan van aanpak is meegegeven aan de klant", Kind: KindCheckbox, Required: true},
				{Name: "notitie", Label: "Notitie", Kind: KindTextarea},
			}, Checks: []Check{{Name: CheckAppointmentStarted, Params: Params{ParamKind: AppointmentIntake}}, {Name: CheckPlanSigned}}},
			Effects: []Do{
				{Effect: EffectHoldAppointment, Params: Params{ParamKind: AppointmentIntake}},
				{Effect: EffectWithdrawTasks, Params: Params{ParamStep: string(StepAfsluitenZonderIntake)}},
			},
		},
		{
			Key: StepRapportage, Title: "Beoordeling aanvraag en rapportage", Lane: "Poort", Team: TeamPoort,
			Case: CaseAanvraag, Term: TermDecision,
			Source: "Poortwachter beoordeelt aanvraag uitkering en schrijft rapportage (zonder opdracht aanmaken 17/PA)",
			Form: Form{Fields: []Field{
				{Name: "rapportage", Label: "Rapportage", Help: "Beoordeling van de aanvraag uitkering.", Kind: KindTextarea, Required: true},
			}},
			Transitions: []Transition{{Next: StepBesluit, Holder: HolderSame}},
		},
		{
			Key: StepBesluit, Title: "Besluit op aanvraag", Lane: "Poort", Team: TeamPoort,
			Case: CaseAanvraag, Term: TermDecision,
			Outcomes: []string{OutcomeToekenning, OutcomeGeenToekenning},
			Source:   "Poortwachter laat per e-mail weten wat het besluit op aanvraag is",
			Form: Form{Fields: []Field{
				{Name: "besluit", Label: "Besluit", Kind: KindRadio, Required: true, OptionsFrom: SourceOutcomes, Sets: SetsOutcome},
				{Name: "besluit_datum", Label: "Datum besluit", Kind: KindDate, Required: true, Help: "Formaat dd-mm-jjjj, niet in de toekomst."},
				{Name: "ingangsdatum", Label: "Ingangsdatum uitkering", Kind: KindDate, Help: "Bij toekenning: niet eerder dan de meldingsdatum."},
				{Name: "reden", Label: "Motivering", Help: "Verplicht bij geen toekenning. De klant leest dit in de besluitbrief: schrijf in gewone woorden waarom.", Kind: KindTextarea},
				{Name: FieldLegalGround, Label: "Wettelijke grondslag", Kind: KindText, MaxLength: MaxAddress,
					Help: "De artikelen waarop dit besluit rust, bijvoorbeeld: artikel 13, eerste lid, onder c, Participatiewet. De brief noemt altijd artikel 11 en 43 Participatiewet."},
				{Name: FieldLetterChecked, Label: "Ik heb de brief hierboven gelezen; hij mag naar de klant", Kind: KindCheckbox, ShowWhen: ShowLetter,
					Help: "Bij geen toekenning ziet u eerst de brief (met de motivering, de grondslag en de bezwaarclausule) voordat hij wordt verstuurd."},
			}, Checks: []Check{
				{Name: CheckNotFuture, Field: "besluit_datum", Message: "De datum van het besluit kan niet in de toekomst liggen."},
				{Name: CheckNotBeforeReceipt, Field: "besluit_datum", Message: "Het besluit kan niet voor de aanvraag liggen."},
				{Name: CheckRequiredWith, Field: "reden", Params: Params{ParamOutcome: OutcomeGeenToekenning}, Message: "Vul de motivering van het besluit in."},
				{Name: CheckRequiredWith, Field: FieldLetterChecked, Params: Params{ParamOutcome: OutcomeGeenToekenning}, Message: "Lees de brief hierboven en vink aan dat hij naar de klant mag."},
				{Name: CheckOnlyWith, Field: "ingangsdatum", Params: Params{ParamOutcome: OutcomeToekenning}, Message: "Een ingangsdatum hoort alleen bij een toekenning."},
				{Name: CheckNotBeforeReport, Field: "ingangsdatum", Message: "De uitkering gaat niet eerder in dan de meldingsdatum."},
				{Name: CheckNoBSN, Field: FieldLegalGround},
			}},
			// The decision letter is made after the decision is recorded, and
			// sent by e-mail or queued for the post (Awb 3:41, 3:45–3:47).
			Effects: []Do{
				{Effect: EffectDecideApplication, Params: Params{ParamDate: "besluit_datum", ParamReason: "reden"}},
				{Effect: EffectSendLetter, Params: Params{ParamLetter: string(LetterToekenning), ParamOutcome: OutcomeToekenning,
					ParamDate: "besluit_datum", ParamStartOn: "ingangsdatum", ParamGround: FieldLegalGround}},
				{Effect: EffectSendLetter, Params: Params{ParamLetter: string(LetterAfwijzing), ParamOutcome: OutcomeGeenToekenning,
					ParamDate: "besluit_datum", ParamReason: "reden", ParamGround: FieldLegalGround}},
			},
			Transitions: []Transition{
				{Route: RouteDiagnoseFirst, Outcome: OutcomeToekenning, Next: StepVerdelenKMWerk, Holder: HolderTeam,
					Message: "E-mail TOP", After: []StepKey{StepIntakeWerkdiagnose}},
				{Route: RouteDiagnoseFirst, Outcome: OutcomeGeenToekenning, Next: StepNugOfAfsluiten, Holder: HolderDossier,
					Message: "E-mail KM", After: []StepKey{StepIntakeWerkdiagnose}},
				// Refused before the intake was held: the KM Werkdiagnose may
				// close without it (the join above then never fires).
				{Route: RouteDiagnoseFirst, Outcome: OutcomeGeenToekenning, Next: StepAfsluitenZonderIntake, Holder: HolderDossier,
					Team: TeamWerkdiagnose, Message: "E-mail KM", Unless: []StepKey{StepIntakeWerkdiagnose}},
				{Route: RouteDecisionFirst, Outcome: OutcomeToekenning, Next: StepAanmeldingParticipatie, Holder: HolderSame},
				{Route: RouteDecisionFirst, Outcome: OutcomeGeenToekenning, Effects: []Do{{Effect: EffectCloseWithoutRecords}}},
			},
		},
		{
			Key: StepVerdelenKMWerk, Title: "Verdelen naar Klantmanager Werk", Lane: "Team ondersteuning",
			Team: TeamOndersteuning, Case: CaseParticipatie,
			Source:      "Medewerkster Team Ondersteuning verdeelt de klant naar Klantmanager Werk",
			Form:        chooseKMForm(),
			Effects:     []Do{{Effect: EffectTransferDossier, Params: Params{ParamStatus: StatusAangemeld, ParamTeam: TeamWerk}}},
			Transitions: []Transition{{Next: StepUitnodigenKennismaking, Team: TeamWerk, Holder: HolderChosen}},
		},
		{
			Key: StepVerwerkingTeam, Title: "Verwerking aanmelding participatie (na besluit)", Lane: "KM Werk / AG",
			Case: CaseAanvraag, Term: TermHandover,
			Source:      "Aanmelding participatie na besluit: E-mail KM of E-mail AG, verwerking aanmelding",
			Form:        chooseKMForm(),
			Effects:     []Do{{Effect: EffectOpenParticipation, Params: Params{ParamStatus: StatusAangemeld, ParamTeam: TeamSameAsFrom}}},
			Transitions: []Transition{{Next: StepUitnodigenKennismaking, Team: TeamSameAsFrom, Holder: HolderChosen}},
		},
		{
			Key: StepUitnodigenKennismaking, Title: "Uitnodigen voor kennismakingsgesprek", Lane: "KM Werk",
			Team: TeamWerk, Case: CaseParticipatie, Term: TermInvite,
			Source: "Klantmanager Werk stuurt binnen 1 week een uitnodiging voor een kennismakingsgesprek",
			Form: Form{Fields: append(appointmentFields(false), lateReasonField),
				Checks: []Check{{Name: CheckLateReason, Field: FieldLateReason}}},
			Effects:     []Do{{Effect: EffectBookAppointment, Params: appointmentParams(AppointmentKennismaking, WithActor)}},
			Transitions: []Transition{{Next: StepStartBegeleiding, Team: TeamSameAsFrom, Holder: HolderSame}},
		},
		{
			Key: StepStartBegeleiding, Title: "Kennismaking en start begeleiding", Lane: "KM Werk",
			Team: TeamWerk, Case: CaseParticipatie, Term: TermAfterAppointment,
			Source: "Klantmanager Werk leest het plan van aanpak, spreekt de klant, meldt aan voor de trajecten, vult het participatiedossier aan, maakt traject + activiteiten aan en maakt vervolgafspraken",
			Form: Form{Fields: []Field{
				{Name: "plan_gelezen", Label: "Ik heb het plan van aanpak gelezen", Help: "Vragen? Neem contact op met de Klantmanager Werkdiagnose.", Kind: KindCheckbox, Required: true, ShowWhen: ShowPlanByColleague},
				{Name: "kennismaking_gevoerd", Label: "Het kennismakingsgesprek met de klant is gevoerd", Kind: KindCheckbox, Required: true},
				{Name: fieldPlannedTrajects, Label: "Aanmelden voor trajecten uit het plan van aanpak", Kind: KindCheckbox, OptionsFrom: SourcePlannedTrajectories},
				{Name: "dossier_aanvulling", Label: "Aanvulling participatiedossier", Kind: KindTextarea, Required: true},
				{Name: fieldFollowUpDate, Label: "Datum vervolgafspraak", Kind: KindDate, Required: true, Help: "Formaat dd-mm-jjjj."},
				{Name: fieldFollowUpTime, Label: "Tijd vervolgafspraak", Kind: KindTime, Required: true, Help: "Bijvoorbeeld 10:00."},
				{Name: fieldFollowUpRoom, Label: "Spreekkamer vervolgafspraak", Kind: KindSelect, Required: true, OptionsFrom: SourceRooms},
			}, Checks: []Check{{Name: CheckAppointmentStarted, Params: Params{ParamKind: AppointmentKennismaking}}, {Name: CheckPlanExists}}},
			Effects: []Do{
				{Effect: EffectHoldAppointment, Params: Params{ParamKind: AppointmentKennismaking}},
				{Effect: EffectRegisterPlanned, Params: Params{ParamField: fieldPlannedTrajects}},
				{Effect: EffectBookAppointment, Params: Params{ParamKind: AppointmentVervolg, ParamWith: WithActor,
					ParamDate: fieldFollowUpDate, ParamTime: fieldFollowUpTime, ParamMinutes: "45", ParamRoom: fieldFollowUpRoom}},
				{Effect: EffectStartGuidance},
			},
		},
		{
			Key: StepNugOfAfsluiten, Title: "NUG'er of afsluiten aanmelding", Lane: "KM Werkdiagnose",
			Team: TeamWerkdiagnose, Case: CaseParticipatie,
			Outcomes: []string{OutcomeNUG, OutcomeAfsluiten},
			Source:   "Geen toekenning: voortzetten begeleiding als nugger of begeleiding afsluiten (Baanbrekend mag afgemaakt worden)",
			Form: Form{Fields: []Field{
				{Name: "keuze", Label: "Vervolg", Kind: KindRadio, Required: true, OptionsFrom: SourceOutcomes, Sets: SetsOutcome},
				{Name: FieldFinish, Label: "Trajecten en aanmeldingen die afgemaakt mogen worden", Help: "Alleen bij afsluiten: deze lopen door tot hun einde.", Kind: KindCheckbox, OptionsFrom: SourceTrajectoriesFinish},
				{Name: "toelichting", Label: "Toelichting", Kind: KindTextarea, Required: true},
			}, Checks: []Check{{Name: CheckOnlyWith, Field: FieldFinish, Params: Params{ParamOutcome: OutcomeAfsluiten},
				Message: "Afmaken van trajecten hoort bij afsluiten; bij voortzetten als NUG'er lopen alle trajecten door."}}},
			Transitions: []Transition{
				{Outcome: OutcomeNUG, Effects: []Do{{Effect: EffectContinueAsNUG}}},
				{Outcome: OutcomeAfsluiten, Effects: []Do{{Effect: EffectCloseParticipation, Params: Params{ParamField: FieldFinish}}}},
			},
		},
		{
			Key: StepAfsluitenZonderIntake, Title: "Afsluiten zonder intake", Lane: "KM Werkdiagnose",
			Team: TeamWerkdiagnose, Case: CaseParticipatie, Term: TermHandover, Added: true,
			Outcomes: []string{OutcomeZonderIntake, OutcomeIntakeDoorgaan},
			Source:   "Geen toekenning voordat de intake is gehouden: de aanmelding afsluiten zonder intake, of de intake laten doorgaan",
			Form: Form{Fields: []Field{
				{Name: "keuze", Label: "Vervolg", Kind: KindRadio, Required: true, OptionsFrom: SourceOutcomes, Sets: SetsOutcome,
					Help: "Bij afsluiten vervalt de intake: de geplande intake-afspraak wordt geannuleerd en de klant krijgt daarvan bericht."},
				{Name: "toelichting", Label: "Toelichting", Kind: KindTextarea, Required: true},
			}, Checks: []Check{{Name: CheckNoBSN, Field: "toelichting"}}},
			Transitions: []Transition{
				{Outcome: OutcomeZonderIntake, Effects: []Do{
					{Effect: EffectWithdrawTasks, Params: Params{ParamStep: string(StepVerwerkingAanmelding)}},
					{Effect: EffectWithdrawTasks, Params: Params{ParamStep: string(StepIntakeWerkdiagnose)}},
					{Effect: EffectCloseParticipation},
				}},
				{Outcome: OutcomeIntakeDoorgaan},
			},
		},
		{
			Key: StepHerplannen, Title: "Nieuwe afspraak na niet verschijnen", Lane: "Klantmanager",
			Case: CaseParticipatie, Term: TermReschedule, On: OnNoShow, Holder: HolderDossier, Added: true, LapsesOnClose: true,
			Source: "De klant kwam niet op een afspraak: de klantmanager plant een nieuwe afspraak (art. 9 Participatiewet: de klant werkt mee aan wat nodig is)",
			Form: Form{Fields: append(appointmentFields(false), lateReasonField),
				Checks: []Check{{Name: CheckLateReason, Field: FieldLateReason, Params: Params{ParamDate: FieldDate}}}},
			Effects: []Do{{Effect: EffectBookAppointment, Params: appointmentParams(KindMissed, WithActor)}},
		},
		{
			Key: StepBriefVersturen, Title: "Brief aan de klant versturen", Lane: "TOP",
			Team: TeamOndersteuning, Case: CaseParticipatie, Term: TermLetter, On: OnLetter, Added: true,
			Source: "Een klant zonder e-mailadres krijgt de uitnodiging, verplaatsing of annulering als brief; Team Ondersteuning print en verstuurt die",
			Form: Form{Fields: []Field{
				{Name: "brief_verstuurd", Label: "De brieven zijn geprint en op de post gedaan",
					Help: "De brieven staan bij Berichten op de klantpagina, met de status per post.", Kind: KindCheckbox, Required: true},
			}},
			Effects: []Do{{Effect: EffectMarkPosted}},
		},
		{
			Key: StepVoorschot, Title: "Voorschot beoordelen", Lane: "Poort", Team: TeamPoort,
			Case: CaseAanvraag, Term: TermVoorschot, On: OnVoorschot, Holder: HolderApplication, Added: true, LapsesOnClose: true,
			Outcomes: []string{OutcomeVoorschotVerstrekt, OutcomeVoorschotNiet},
			Source: "Zolang niet op de aanvraag is besloten, verstrekt het college binnen 4 weken na de aanvraag en daarna elke 4 weken een voorschot van ten minste 90% (art. 52 Participatiewet); " +
				"niet als de klant verwijtbaar de nodige gegevens niet verstrekt of duidelijk geen recht op bijstand heeft",
			Form: Form{Fields: []Field{
				{Name: fieldVoorschot, Label: "Voorschot", Kind: KindRadio, Required: true, OptionsFrom: SourceOutcomes, Sets: SetsOutcome},
				{Name: fieldAmount, Label: "Bedrag in euro", Kind: KindAmount, MaxLength: 20,
					Help: "Verplicht bij verstrekken: het verstrekte bedrag, bijvoorbeeld 1.234,56. Ten minste 90% van de verwachte bijstand (art. 52 lid 1)."},
				{Name: FieldDate, Label: "Datum", Kind: KindDate, Required: true,
					Help: "De dag van verstrekking, of de dag waarop is besloten geen voorschot te verstrekken. Formaat dd-mm-jjjj, niet in de toekomst."},
				{Name: FieldReason, Label: "Reden", Kind: KindTextarea, MaxLength: MaxTextLength,
					Help: "Verplicht als er geen voorschot wordt verstrekt, bijvoorbeeld: de klant verstrekt verwijtbaar de nodige gegevens niet, of heeft duidelijk geen recht op bijstand (art. 52 lid 2)."},
			}, Checks: []Check{
				{Name: CheckRequiredWith, Field: fieldAmount, Params: Params{ParamOutcome: OutcomeVoorschotVerstrekt}, Message: "Vul het verstrekte bedrag in, bijvoorbeeld 1.234,56."},
				{Name: CheckOnlyWith, Field: fieldAmount, Params: Params{ParamOutcome: OutcomeVoorschotVerstrekt}, Message: "Een bedrag hoort alleen bij een verstrekt voorschot; maak het leeg."},
				{Name: CheckRequiredWith, Field: FieldReason, Params: Params{ParamOutcome: OutcomeVoorschotNiet}, Message: "Vul de reden in waarom geen voorschot wordt verstrekt."},
				{Name: CheckNotFuture, Field: FieldDate, Message: "De datum kan niet in de toekomst liggen."},
				{Name: CheckNotBeforeReceipt, Field: FieldDate, Message: "De datum ligt voor de ontvangst van de aanvraag."},
			}},
			Effects: []Do{{Effect: EffectRecordVoorschot, Params: Params{ParamDate: FieldDate, ParamAmount: fieldAmount, ParamReason: FieldReason}}},
		},
		{
			Key: StepPlanEvalueren, Title: "Plan van aanpak evalueren", Lane: "Klantmanager",
			Case: CaseParticipatie, Term: TermEvaluation, On: OnPlanEvaluation, Holder: HolderDossier, Added: true, LapsesOnClose: true,
			Outcomes: []string{OutcomePlanBlijft, OutcomePlanWijzigt},
			Source:   "Het plan van aanpak wordt periodiek met de klant geëvalueerd en zo nodig bijgesteld (art. 44a Participatiewet)",
			Form: Form{Fields: []Field{
				{Name: fieldEvaluationHeld, Label: "Datum van het evaluatiegesprek", Kind: KindDate, Required: true, Help: "Formaat dd-mm-jjjj, niet in de toekomst."},
				{Name: fieldEvaluationDone, Label: "Wat is er gedaan", Kind: KindTextarea, Required: true, MaxLength: MaxTextLength,
					Help: "De voortgang op de doelen, trajecten en activiteiten sinds het plan of de vorige evaluatie."},
				{Name: fieldEvaluationChanges, Label: "Wat verandert er", Kind: KindTextarea, MaxLength: MaxTextLength,
					Help: "Wat de klant en de klantmanager afspreken voor de komende periode. Verplicht als het plan wordt aangepast."},
				{Name: fieldEvaluationPlan, Label: "Plan van aanpak", Kind: KindRadio, Required: true, OptionsFrom: SourceOutcomes, Sets: SetsOutcome},
				{Name: fieldEvaluationNext, Label: "Volgende evaluatie", Kind: KindDate,
					Help: "Formaat dd-mm-jjjj, in de toekomst. Leeg: één evaluatiecyclus na het gesprek."},
			}, Checks: []Check{
				{Name: CheckPlanExists},
				{Name: CheckNotFuture, Field: fieldEvaluationHeld, Message: "Het evaluatiegesprek kan niet in de toekomst liggen."},
				{Name: CheckRequiredWith, Field: fieldEvaluationChanges, Params: Params{ParamOutcome: OutcomePlanWijzigt}, Message: "Vul in wat er verandert: het plan wordt aangepast."},
				{Name: CheckInFuture, Field: fieldEvaluationNext, Message: "De volgende evaluatie ligt in de toekomst."},
			}},
			Effects: []Do{{Effect: EffectRecordEvaluation, Params: Params{ParamDate: fieldEvaluationHeld, ParamDone: fieldEvaluationDone,
				ParamChanges: fieldEvaluationChanges, ParamNext: fieldEvaluationNext}}},
		},
	}, termSteps()...)
}

// termSteps are the steps that keep the decision term: a request to
// complete the application with its completion term (Awb 4:5, 4:15 lid 1
// a), processing its answer, and the extension of the term (Awb 4:14 lid
// 3). The request and the extension are started by hand from the client's
// page. See docs/law.md for the readings.
func termSteps() []Step {
	return []Step{
		{
			Key: StepVerzoekAanvulling, Title: "Verzoek om aanvulling", Lane: "Poort", Team: TeamPoort,
			Case: CaseAanvraag, Term: TermDecision, On: OnRequest, Holder: HolderSame, Added: true, LapsesOnClose: true,
			Source:   "De aanvraag is niet compleet: de Poortwachter vraagt de klant om aanvulling binnen een termijn (Awb 4:5); de beslistermijn is opgeschort vanaf de dag na het verzoek tot de aanvulling binnen is of de termijn ongebruikt verstreken is (Awb 4:15)",
			Requires: []Check{{Name: CheckNotSuspended}},
			Form: Form{Fields: []Field{
				{Name: FieldRequestedOn, Label: "Datum van het verzoek", Help: "De dag waarop de brief of e-mail met het verzoek de deur uitgaat. Formaat dd-mm-jjjj, niet in de toekomst.", Kind: KindDate, Required: true},
				{Name: FieldMissing, Label: "Wat ontbreekt", Help: "Wat de klant moet aanvullen, in woorden voor de klant: dit komt in de brief. Zet hier geen BSN in.", Kind: KindTextarea, Required: true},
				{Name: FieldCompleteBy, Label: "Aanvullen uiterlijk op", Help: "De laatste dag van de aanvultermijn; standaard de termijn uit de instellingen, verschoven naar een werkdag (Algemene termijnenwet). Formaat dd-mm-jjjj.", Kind: KindDate, Required: true},
			}, Checks: []Check{
				{Name: CheckNotFuture, Field: FieldRequestedOn, Message: "Het verzoek kan niet in de toekomst liggen."},
				{Name: CheckNotBeforeReceipt, Field: FieldRequestedOn, Message: "Het verzoek kan niet voor de ontvangst van de aanvraag liggen."},
				{Name: CheckInFuture, Field: FieldCompleteBy, Message: "Kies als laatste dag een dag na vandaag: de klant krijgt tijd om aan te vullen."},
				{Name: CheckTermDay, Field: FieldCompleteBy},
			}},
			Effects: []Do{
				{Effect: EffectSuspendTerm, Params: Params{ParamDate: FieldRequestedOn, ParamField: FieldCompleteBy, ParamReason: FieldMissing}},
				// The request in writing: what is missing and the term (Awb 4:5).
				{Effect: EffectSendLetter, Params: Params{ParamLetter: string(LetterAanvulling), ParamDate: FieldRequestedOn,
					ParamReason: FieldMissing, ParamDue: FieldCompleteBy}},
			},
			Transitions: []Transition{{Next: StepAanvullingVerwerken, Holder: HolderSame}},
		},
		{
			Key: StepAanvullingVerwerken, Title: "Aanvulling verwerken", Lane: "Poort", Team: TeamPoort,
			Case: CaseAanvraag, Term: TermCompletion, Outcomes: []string{OutcomeAangevuld, OutcomeNietAangevuld}, Added: true, LapsesOnClose: true,
			Source: "De klant vult de aanvraag aan, of de aanvultermijn verstrijkt ongebruikt: de opschorting eindigt en de beslistermijn loopt weer (Awb 4:15 lid 1 a)",
			Form: Form{Fields: []Field{
				{Name: FieldCompletion, Label: "Aanvulling", Kind: KindRadio, Required: true, OptionsFrom: SourceOutcomes, Sets: SetsOutcome},
				{Name: FieldReceivedOn, Label: "Aanvulling ontvangen op", Help: "Bij een ontvangen aanvulling: de dag dat die binnenkwam. Formaat dd-mm-jjjj, niet in de toekomst.", Kind: KindDate},
				{Name: FieldNote, Label: "Toelichting", Kind: KindTextarea},
			}, Checks: []Check{
				{Name: CheckRequiredWith, Field: FieldReceivedOn, Params: Params{ParamOutcome: OutcomeAangevuld}, Message: "Vul in wanneer de aanvulling binnenkwam."},
				{Name: CheckOnlyWith, Field: FieldReceivedOn, Params: Params{ParamOutcome: OutcomeAangevuld}, Message: "Een ontvangstdatum hoort alleen bij een ontvangen aanvulling."},
				{Name: CheckNotFuture, Field: FieldReceivedOn, Message: "De aanvulling kan niet in de toekomst binnenkomen."},
				{Name: CheckNotBeforeRequest, Field: FieldReceivedOn},
			}},
			Transitions: []Transition{
				{Outcome: OutcomeAangevuld, Effects: []Do{{Effect: EffectEndSuspension, Params: Params{ParamDate: FieldReceivedOn}}}},
				{Outcome: OutcomeNietAangevuld, Effects: []Do{{Effect: EffectEndSuspension}}},
			},
		},
		{
			Key: StepVerdagen, Title: "Beslistermijn verdagen", Lane: "Poort", Team: TeamPoort,
			Case: CaseAanvraag, Term: TermDecision, On: OnRequest, Holder: HolderSame, Added: true, LapsesOnClose: true,
			Source:   "Het besluit kan niet binnen de beslistermijn worden gegeven: de Poortwachter deelt dat voor het einde van de termijn mee en noemt een redelijke termijn, met de reden (Awb 4:14 lid 3); één keer per aanvraag",
			Requires: []Check{{Name: CheckNotExtended}, {Name: CheckNotSuspended}, {Name: CheckTermNotPassed}},
			Form: Form{Fields: []Field{
				{Name: FieldExtendTo, Label: "Nieuwe uiterste beslisdatum", Help: "Een werkdag na de huidige beslisdatum, niet verder dan de instellingen toestaan. Formaat dd-mm-jjjj.", Kind: KindDate, Required: true},
				{Name: FieldExtensionReason, Label: "Reden van de verdaging", Help: "Waarom het besluit meer tijd vraagt, in woorden voor de klant: dit komt in het verdagingsbericht. Zet hier geen BSN in.", Kind: KindTextarea, Required: true},
			}, Checks: []Check{
				{Name: CheckExtensionDate, Field: FieldExtendTo},
				{Name: CheckTermDay, Field: FieldExtendTo},
			}},
			Effects: []Do{
				{Effect: EffectExtendTerm, Params: Params{ParamDate: FieldExtendTo, ParamReason: FieldExtensionReason}},
				// The notice in writing: the new date and why (Awb 4:14 lid 3).
				{Effect: EffectSendLetter, Params: Params{ParamLetter: string(LetterVerdaging), ParamReason: FieldExtensionReason, ParamDue: FieldExtendTo}},
			},
		},
	}
}

// chooseKMForm chooses the klantmanager who takes the case over.
func chooseKMForm() Form {
	return Form{Fields: []Field{
		{Name: FieldKM, Label: "Klantmanager", Help: "Tussen haakjes het aantal lopende dossiers.", Kind: KindSelect, Required: true, OptionsFrom: SourceKlantmanagers, Sets: SetsHolder},
		{Name: "toelichting", Label: "Toelichting", Kind: KindTextarea},
	}}
}

// StepsOn returns the steps whose tasks an event creates (Step.On).
func (d *Definition) StepsOn(event string) []Step {
	var out []Step
	for _, s := range d.Steps {
		if s.On == event {
			out = append(out, s)
		}
	}
	return out
}
