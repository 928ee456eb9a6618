package process

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
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
)

// HolderRule says who holds a task when it is created.
type HolderRule string

const (
	HolderTeam    HolderRule = "team"    // on the team's worklist, not picked up
	HolderSame    HolderRule = "same"    // the person who completed the previous step
	HolderChosen  HolderRule = "chosen"  // the person chosen in the form (appointment, assignment)
	HolderDossier HolderRule = "dossier" // the owner of the participatiedossier
)

// Effect is a change to the cases that completing a step brings about.
type Effect string

const (
	EffectDecideApplication   Effect = "decide_application"   // record the decision, close the 0/L2 case
	EffectOpenParticipation   Effect = "open_participation"   // create 17/PA and the participatiedossier for the chosen klantmanager
	EffectTransferDossier     Effect = "transfer_dossier"     // the participatiedossier goes to the chosen klantmanager
	EffectBookAppointment     Effect = "book_appointment"     // the form books an appointment and invites the client
	EffectStartGuidance       Effect = "start_guidance"       // the participation case is in guidance
	EffectContinueAsNUG       Effect = "continue_as_nug"      // guidance goes on as NUG'er
	EffectCloseParticipation  Effect = "close_participation"  // guidance ends (a provider that may finish, finishes)
	EffectCloseWithoutRecords Effect = "close_no_participate" // application refused on the decision-first route: nothing follows
)

// Special team references in transitions.
const (
	TeamOfStep     = ""          // the team named on the next step
	TeamSameAsFrom = "@same"     // the team of the completed task
	TeamHandover   = "@handover" // the target group's handover team
)

// Step is one step of the process, done as one task by one lane.
type Step struct {
	Key         StepKey      `json:"key"`
	Title       string       `json:"title"`
	Source      string       `json:"source"` // the source's words
	Lane        string       `json:"lane"`   // lane of the swimlane diagram
	Team        string       `json:"team"`   // default team; empty when the transition decides
	Case        CaseKind     `json:"case"`
	Term        TermKind     `json:"term,omitempty"`
	Outcomes    []string     `json:"outcomes,omitempty"` // allowed outcomes; empty means none needed
	Effects     []Effect     `json:"effects,omitempty"`  // effects whatever the outcome
	Transitions []Transition `json:"transitions,omitempty"`
}

// Transition creates the next task when its conditions hold.
type Transition struct {
	Route   Route      `json:"route,omitempty"`   // only on this route
	Outcome string     `json:"outcome,omitempty"` // only with this outcome
	Next    StepKey    `json:"next,omitempty"`    // empty: the track ends
	Team    string     `json:"team,omitempty"`    // see TeamOfStep, TeamSameAsFrom, TeamHandover
	Holder  HolderRule `json:"holder,omitempty"`
	Message string     `json:"message,omitempty"` // hand-over mail to the receiving team, e.g. "E-mail TOP"
	After   []StepKey  `json:"after,omitempty"`   // join: wait until these steps are complete
	Effects []Effect   `json:"effects,omitempty"`
}

// Decision outcomes and NUG outcomes.
const (
	OutcomeToekenning     = "toekenning"
	OutcomeGeenToekenning = "geen_toekenning"
	OutcomeNUG            = "nug"
	OutcomeAfsluiten      = "afsluiten"
)

// OutcomeNames gives the Dutch label of fixed outcomes.
var OutcomeNames = map[string]string{
	OutcomeToekenning:     "Toekenning",
	OutcomeGeenToekenning: "Geen toekenning",
	OutcomeNUG:            "Voortzetten begeleiding als NUG'er",
	OutcomeAfsluiten:      "Begeleiding afsluiten",
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

// NewDefinition builds the pilot's process from a policy. The version is
// derived from the content, so equal policies give equal versions.
func NewDefinition(p Policy) (*Definition, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	d := &Definition{Name: "Pilot Werkdiagnose", Start: StepIntakeGesprek, Policy: p, Steps: pilotSteps()}
	// The outcomes of the target group assessment come from the policy.
	for i := range d.Steps {
		if d.Steps[i].Key == StepBeoordelingDoelgroep {
			for _, g := range p.TargetGroups {
				d.Steps[i].Outcomes = append(d.Steps[i].Outcomes, g.Key)
			}
		}
	}
	body, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	d.Version = "2026.1-" + hex.EncodeToString(sum[:4])
	return d, nil
}

// ParseDefinition reads a stored definition (as written by json.Marshal).
func ParseDefinition(body []byte) (*Definition, error) {
	var d Definition
	if err := json.Unmarshal(body, &d); err != nil {
		return nil, err
	}
	return &d, nil
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

func pilotSteps() []Step {
	return []Step{
		{
			Key: StepIntakeGesprek, Title: "Intakegesprek (telefonisch)", Lane: "Poort", Team: TeamPoort,
			Case: CaseAanvraag, Term: TermDecision,
			Source:      "Poortwachter belt de klant voor intakegesprek met uitvraag op rechtmatigheid en doelmatigheid",
			Transitions: []Transition{{Next: StepBeoordelingDoelgroep, Holder: HolderSame}},
		},
		{
			Key: StepBeoordelingDoelgroep, Title: "Beoordeling doelgroep", Lane: "Poort", Team: TeamPoort,
			Case: CaseAanvraag, Term: TermDecision,
			Source: "Beoordeling doelgroep: Regulier, Arbeidsbeperkt of In verblijvende inrichting",
			Transitions: []Transition{
				{Route: RouteDiagnoseFirst, Next: StepAanmeldingParticipatie, Holder: HolderSame},
				{Route: RouteDecisionFirst, Next: StepRapportage, Holder: HolderSame},
			},
		},
		{
			Key: StepAanmeldingParticipatie, Title: "Aanmelding participatie", Lane: "Poort", Team: TeamPoort,
			Case: CaseAanvraag, Term: TermDecision,
			Source: "Poortwachter meldt klant aan bij Participatie met e-mail met klantgegevens naar Medewerker ondersteuning participatie",
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
			Source:      "Medewerker ondersteuning participatie plant binnen 1 week een afspraak bij de Klantmanager Werkdiagnose (stuurt uitnodiging en boekt een spreekkamer), maakt werkproces 17/PA aan op werkvoorraad 445 en het participatiedossier op naam van de Klantmanager Werkdiagnose",
			Effects:     []Effect{EffectOpenParticipation, EffectBookAppointment},
			Transitions: []Transition{{Next: StepIntakeWerkdiagnose, Holder: HolderChosen}},
		},
		{
			Key: StepIntakeWerkdiagnose, Title: "Intake KM Werkdiagnose en plan van aanpak", Lane: "KM Werkdiagnose",
			Team: TeamWerkdiagnose, Case: CaseParticipatie,
			Source: "Klantmanager Werkdiagnose heeft een intakegesprek: plan van aanpak, segmentering, aanmeldingen Hallo Werk, Baanbrekend en Educenter, handtekening klant, trajectregistratie met activiteiten",
		},
		{
			Key: StepRapportage, Title: "Beoordeling aanvraag en rapportage", Lane: "Poort", Team: TeamPoort,
			Case: CaseAanvraag, Term: TermDecision,
			Source:      "Poortwachter beoordeelt aanvraag uitkering en schrijft rapportage (zonder opdracht aanmaken 17/PA)",
			Transitions: []Transition{{Next: StepBesluit, Holder: HolderSame}},
		},
		{
			Key: StepBesluit, Title: "Besluit op aanvraag", Lane: "Poort", Team: TeamPoort,
			Case: CaseAanvraag, Term: TermDecision,
			Outcomes: []string{OutcomeToekenning, OutcomeGeenToekenning},
			Effects:  []Effect{EffectDecideApplication},
			Source:   "Poortwachter laat per e-mail weten wat het besluit op aanvraag is",
			Transitions: []Transition{
				{Route: RouteDiagnoseFirst, Outcome: OutcomeToekenning, Next: StepVerdelenKMWerk, Holder: HolderTeam,
					Message: "E-mail TOP", After: []StepKey{StepIntakeWerkdiagnose}},
				{Route: RouteDiagnoseFirst, Outcome: OutcomeGeenToekenning, Next: StepNugOfAfsluiten, Holder: HolderDossier,
					Message: "E-mail KM", After: []StepKey{StepIntakeWerkdiagnose}},
				{Route: RouteDecisionFirst, Outcome: OutcomeToekenning, Next: StepAanmeldingParticipatie, Holder: HolderSame},
				{Route: RouteDecisionFirst, Outcome: OutcomeGeenToekenning, Effects: []Effect{EffectCloseWithoutRecords}},
			},
		},
		{
			Key: StepVerdelenKMWerk, Title: "Verdelen naar Klantmanager Werk", Lane: "Team ondersteuning",
			Team: TeamOndersteuning, Case: CaseParticipatie,
			Source:      "Medewerkster Team Ondersteuning verdeelt de klant naar Klantmanager Werk",
			Effects:     []Effect{EffectTransferDossier},
			Transitions: []Transition{{Next: StepUitnodigenKennismaking, Team: TeamWerk, Holder: HolderChosen}},
		},
		{
			Key: StepVerwerkingTeam, Title: "Verwerking aanmelding participatie (na besluit)", Lane: "KM Werk / AG",
			Case: CaseAanvraag, Term: TermHandover,
			Source:      "Aanmelding participatie na besluit: E-mail KM of E-mail AG, verwerking aanmelding",
			Effects:     []Effect{EffectOpenParticipation},
			Transitions: []Transition{{Next: StepUitnodigenKennismaking, Team: TeamSameAsFrom, Holder: HolderChosen}},
		},
		{
			Key: StepUitnodigenKennismaking, Title: "Uitnodigen voor kennismakingsgesprek", Lane: "KM Werk",
			Team: TeamWerk, Case: CaseParticipatie, Term: TermInvite,
			Source:      "Klantmanager Werk stuurt binnen 1 week een uitnodiging voor een kennismakingsgesprek",
			Effects:     []Effect{EffectBookAppointment},
			Transitions: []Transition{{Next: StepStartBegeleiding, Team: TeamSameAsFrom, Holder: HolderSame}},
		},
		{
			Key: StepStartBegeleiding, Title: "Kennismaking en start begeleiding", Lane: "KM Werk",
			Team: TeamWerk, Case: CaseParticipatie,
			Source:  "Klantmanager Werk leest het plan van aanpak, spreekt de klant, meldt aan voor de trajecten, vult het participatiedossier aan, maakt traject + activiteiten aan en maakt vervolgafspraken",
			Effects: []Effect{EffectStartGuidance},
		},
		{
			Key: StepNugOfAfsluiten, Title: "NUG'er of afsluiten aanmelding", Lane: "KM Werkdiagnose",
			Team: TeamWerkdiagnose, Case: CaseParticipatie,
			Outcomes: []string{OutcomeNUG, OutcomeAfsluiten},
			Source:   "Geen toekenning: voortzetten begeleiding als nugger of begeleiding afsluiten (Baanbrekend mag afgemaakt worden)",
			Transitions: []Transition{
				{Outcome: OutcomeNUG, Effects: []Effect{EffectContinueAsNUG}},
				{Outcome: OutcomeAfsluiten, Effects: []Effect{EffectCloseParticipation}},
			},
		},
	}
}
