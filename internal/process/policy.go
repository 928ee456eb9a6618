// Package process holds the Pilot Werkdiagnose as data (a Definition built from
// a Policy) and the pure rules that interpret it: which step follows which,
// who may take it, which deadline starts and which hand-over message it sends.
// It does no I/O and imports nothing of the project.
package process

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
)

// Role is a user's role in the pilot. A user may hold several.
type Role string

// The roles of the pilot (the lanes of the source's swimlane diagram) plus the
// two supporting roles every municipal application needs.
const (
	RoleOndersteunerPoortwachter Role = "ondersteuner_poortwachter"
	RolePoortwachter             Role = "poortwachter"
	RoleTeamOndersteuning        Role = "team_ondersteuning"
	RoleKMWerkdiagnose           Role = "km_werkdiagnose"
	RoleKMWerk                   Role = "km_werk"
	RoleAG                       Role = "ag"
	RoleTeamleider               Role = "teamleider"
	RoleBeheerder                Role = "functioneel_beheerder"
	// RoleEFormulier is the role of the e-forms system account: it sends
	// in digital applications and meldingen and reads the status of what
	// it sent, nothing else.
	RoleEFormulier Role = "eformulier"
)

// AllRoles lists every role in display order.
var AllRoles = []Role{RoleOndersteunerPoortwachter, RolePoortwachter, RoleTeamOndersteuning,
	RoleKMWerkdiagnose, RoleKMWerk, RoleAG, RoleTeamleider, RoleBeheerder, RoleEFormulier}

// SystemRoles are the roles of system accounts: only a system account
// holds them, and a system account holds nothing else.
var SystemRoles = []Role{RoleEFormulier}

// IsSystemRole reports whether r is a role of system accounts.
func IsSystemRole(r Role) bool { return slices.Contains(SystemRoles, r) }

// RoleNames gives the Dutch name of each role.
var RoleNames = map[Role]string{
	RoleOndersteunerPoortwachter: "Ondersteuner Poortwachter",
	RolePoortwachter:             "Poortwachter",
	RoleTeamOndersteuning:        "Team Ondersteuning (participatie)",
	RoleKMWerkdiagnose:           "Klantmanager Werkdiagnose",
	RoleKMWerk:                   "Klantmanager Werk",
	RoleAG:                       "Klantmanager AG",
	RoleTeamleider:               "Teamleider",
	RoleBeheerder:                "Functioneel beheerder",
	RoleEFormulier:               "E-formulierensysteem (systeemaccount)",
}

// ParseRole returns the role with the given key, or false.
func ParseRole(s string) (Role, bool) {
	r := Role(strings.TrimSpace(s))
	return r, slices.Contains(AllRoles, r)
}

// Route is the way an application goes after the target group assessment.
type Route string

const (
	// RouteDiagnoseFirst: work diagnosis runs in parallel with the decision (Regulier).
	RouteDiagnoseFirst Route = "diagnose_first"
	// RouteDecisionFirst: participation registration follows the decision
	// (Arbeidsbeperkt, In verblijvende inrichting: interpretation of page 2).
	RouteDecisionFirst Route = "decision_first"
)

// Team is a team with a shared worklist and mailbox.
type Team struct {
	Key      string `json:"key"`
	Name     string `json:"name"`
	Mailbox  string `json:"mailbox"`
	Role     Role   `json:"role"`
	Worklist string `json:"worklist,omitempty"` // worklist code shown on tasks, e.g. "445"
	// Support are roles that support the team without working its tasks
	// (the Ondersteuner Poortwachter at the Poort): they need to know the
	// clients on its worklist.
	Support []Role `json:"support,omitempty"`
}

// Member reports whether roles rs belong to the team for need-to-know:
// its role or a supporting one.
func (t Team) Member(rs Roles) bool {
	if rs.Has(t.Role) {
		return true
	}
	for _, r := range t.Support {
		if rs.Has(r) {
			return true
		}
	}
	return false
}

// TargetGroup is an outcome of "Beoordeling doelgroep" and the route it takes.
type TargetGroup struct {
	Key          string `json:"key"`
	Name         string `json:"name"`
	Route        Route  `json:"route"`
	HandoverTeam string `json:"handover_team,omitempty"` // decision-first: team that receives the registration
	Message      string `json:"message,omitempty"`       // decision-first: label of the hand-over mail, e.g. "E-mail AG"
}

// Provider is an organisation a client can be registered with.
type Provider struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	// MayFinishAfterRefusal: a running trajectory may be finished after
	// "geen toekenning" ("Baanbrekend mag afgemaakt worden").
	MayFinishAfterRefusal bool `json:"may_finish_after_refusal"`
}

// Policy holds every policy value of the pilot. Defaults come from the
// source; a municipality changes them in configuration, never in code.
type Policy struct {
	MinimumAge int `json:"minimum_age"`
	// YouthSearchDays: someone younger than MinimumAge who reports first
	// searches for work this many days before the application is taken in
	// (Participatiewet art. 41 lid 4: 4 weeks).
	YouthSearchDays  int `json:"youth_search_days"`
	IntakeTermDays   int `json:"intake_term_days"`
	InviteTermDays   int `json:"invite_term_days"`
	HandoverTermDays int `json:"handover_term_days"` // interpretation: hand-over after the decision
	// AfterAppointmentWorkdays: a step done at an appointment (the KM
	// Werkdiagnose intake, the introductory meeting) is due this many
	// working days after the appointment.
	AfterAppointmentWorkdays int `json:"after_appointment_workdays"`
	// RescheduleTermDays: after a no-show, a new appointment is planned
	// within this many days.
	RescheduleTermDays int `json:"reschedule_term_days"`
	// LetterWorkdays: a letter to a client without e-mail is printed and
	// posted within this many working days.
	LetterWorkdays   int `json:"letter_workdays"`
	DecisionTermDays int `json:"decision_term_days"`
	// RequestInfoTermDays: the term a request to complete the application
	// (Awb 4:5) gives the applicant, counted from the request and moved by
	// the Algemene termijnenwet (TermCalendar).
	RequestInfoTermDays int `json:"request_info_term_days"`
	// ExtensionMaxDays: an extension of the decision term (Awb 4:14 lid 3)
	// names a date at most this many days after the current due date.
	ExtensionMaxDays int `json:"extension_max_days"`
	// TermCalendar: the days on which a term does not end (Algemene
	// termijnenwet art. 1 and 3): weekends and its holidays. Not the
	// office's closing days (Calendar).
	TermCalendar          CalendarPolicy `json:"term_calendar"`
	VoorschotIntervalDays int            `json:"voorschot_interval_days"`
	// VoorschotSignalWorkdays: the task to assess a voorschot (art. 52)
	// comes this many working days before each voorschot date.
	VoorschotSignalWorkdays int `json:"voorschot_signal_workdays"`
	// PlanEvaluationMonths: the plan van aanpak is evaluated every this
	// many months (art. 44a: "periodiek"), from its signature.
	PlanEvaluationMonths int `json:"plan_evaluation_months"`
	// PlanEvaluationSignalWorkdays: the task to evaluate the plan comes
	// this many working days before each evaluation date.
	PlanEvaluationSignalWorkdays int `json:"plan_evaluation_signal_workdays"`
	WarnDays                     int `json:"warn_days"`
	// NeedToKnowDays: a caseworker keeps sight of a client they worked on
	// (a history line or a step record of theirs) for this many days.
	NeedToKnowDays int `json:"need_to_know_days"`
	// BreakGlassHours: a file opened with a reason stays open to the user
	// this many hours; 0 until the end of the day.
	BreakGlassHours   int            `json:"break_glass_hours"`
	ApplicationCode   string         `json:"application_code"`
	ApplicationName   string         `json:"application_name"`
	ParticipationCode string         `json:"participation_code"`
	ParticipationName string         `json:"participation_name"`
	ClientMailbox     string         `json:"client_mailbox"`
	Teams             []Team         `json:"teams"`
	TargetGroups      []TargetGroup  `json:"target_groups"`
	Segments          []string       `json:"segments"`
	Providers         []Provider     `json:"providers"`
	Ladder            []string       `json:"participatieladder"`
	Calendar          CalendarPolicy `json:"calendar"`
	Reminders         ReminderPolicy `json:"reminders"`
}

// Team keys used by the default definition.
const (
	TeamPoort         = "poort"
	TeamOndersteuning = "top"
	TeamWerkdiagnose  = "kmwd"
	TeamWerk          = "kmwerk"
	TeamAG            = "ag"
)

// DefaultPolicy returns the source's values.
func DefaultPolicy() Policy {
	return Policy{
		MinimumAge:                   27,
		YouthSearchDays:              28,
		IntakeTermDays:               7,
		InviteTermDays:               7,
		HandoverTermDays:             7,
		AfterAppointmentWorkdays:     2,
		RescheduleTermDays:           7,
		LetterWorkdays:               1,
		DecisionTermDays:             56,
		RequestInfoTermDays:          14,
		ExtensionMaxDays:             56,
		VoorschotIntervalDays:        28,
		VoorschotSignalWorkdays:      5,
		PlanEvaluationMonths:         6,
		PlanEvaluationSignalWorkdays: 10,
		WarnDays:                     2,
		NeedToKnowDays:               30,
		ApplicationCode:              "0/L2",
		ApplicationName:              "Aanvraag Levensonderhoud PW",
		ParticipationCode:            "17/PA",
		ParticipationName:            "Participatie",
		ClientMailbox:                "werkdiagnose@bar-organisatie.nl",
		Teams: []Team{
			{Key: TeamPoort, Name: "Poort", Mailbox: "poort@bar-organisatie.nl", Role: RolePoortwachter, Support: []Role{RoleOndersteunerPoortwachter}},
			{Key: TeamOndersteuning, Name: "Team Ondersteuning Participatie", Mailbox: "ondersteuning.participatie@bar-organisatie.nl", Role: RoleTeamOndersteuning},
			{Key: TeamWerkdiagnose, Name: "Klantmanagers Werkdiagnose", Mailbox: "km.werkdiagnose@bar-organisatie.nl", Role: RoleKMWerkdiagnose, Worklist: "445"},
			{Key: TeamWerk, Name: "Klantmanagers Werk", Mailbox: "km.werk@bar-organisatie.nl", Role: RoleKMWerk},
			{Key: TeamAG, Name: "Team AG (arbeidsbeperkten)", Mailbox: "ag@bar-organisatie.nl", Role: RoleAG},
		},
		TargetGroups: []TargetGroup{
			{Key: "regulier", Name: "Regulier", Route: RouteDiagnoseFirst},
			{Key: "arbeidsbeperkt", Name: "Arbeidsbeperkt", Route: RouteDecisionFirst, HandoverTeam: TeamAG, Message: "E-mail AG"},
			{Key: "inrichting", Name: "In verblijvende inrichting", Route: RouteDecisionFirst, HandoverTeam: TeamWerk, Message: "E-mail KM"},
		},
		Segments: []string{"Werk", "Re-integratie", "Sociale Activering"},
		Providers: []Provider{
			{Key: "hallo_werk", Name: "Hallo Werk"},
			{Key: "baanbrekend", Name: "Baanbrekend", MayFinishAfterRefusal: true},
			{Key: "educenter", Name: "Educenter"},
		},
		Ladder: []string{
			"1 Geïsoleerd",
			"2 Sociale contacten buitenshuis",
			"3 Deelname aan georganiseerde activiteiten",
			"4 Onbetaald werk",
			"5 Betaald werk met ondersteuning",
			"6 Betaald werk",
		},
		Calendar:     DefaultCalendarPolicy(),
		TermCalendar: DefaultTermCalendarPolicy(),
		Reminders:    DefaultReminderPolicy(),
	}
}

// Validate reports the first inconsistency in the policy, in words an
// administrator understands.
func (p Policy) Validate() error {
	if p.MinimumAge < 0 || p.MinimumAge > 120 {
		return fmt.Errorf("minimum_age %d is not a plausible age", p.MinimumAge)
	}
	for name, v := range map[string]int{"intake_term_days": p.IntakeTermDays, "invite_term_days": p.InviteTermDays, "handover_term_days": p.HandoverTermDays,
		"after_appointment_workdays": p.AfterAppointmentWorkdays, "reschedule_term_days": p.RescheduleTermDays,
		"letter_workdays": p.LetterWorkdays, "youth_search_days": p.YouthSearchDays,
		"decision_term_days": p.DecisionTermDays, "voorschot_interval_days": p.VoorschotIntervalDays,
		"request_info_term_days": p.RequestInfoTermDays, "extension_max_days": p.ExtensionMaxDays} {
		if v <= 0 {
			return fmt.Errorf("%s must be positive, got %d", name, v)
		}
	}
	if p.NeedToKnowDays < 0 || p.NeedToKnowDays > 366 {
		return fmt.Errorf("need_to_know_days must be between 0 and 366, got %d", p.NeedToKnowDays)
	}
	if p.BreakGlassHours < 0 || p.BreakGlassHours > 24*7 {
		return fmt.Errorf("break_glass_hours must be between 0 and 168, got %d", p.BreakGlassHours)
	}
	if p.WarnDays < 0 {
		return fmt.Errorf("warn_days must not be negative")
	}
	if p.VoorschotSignalWorkdays < 0 || p.VoorschotSignalWorkdays > 15 {
		return fmt.Errorf("voorschot_signal_workdays must be between 0 and 15, got %d", p.VoorschotSignalWorkdays)
	}
	if p.PlanEvaluationMonths < 1 || p.PlanEvaluationMonths > 24 {
		return fmt.Errorf("plan_evaluation_months must be between 1 and 24, got %d", p.PlanEvaluationMonths)
	}
	if p.PlanEvaluationSignalWorkdays < 0 || p.PlanEvaluationSignalWorkdays > 60 {
		return fmt.Errorf("plan_evaluation_signal_workdays must be between 0 and 60, got %d", p.PlanEvaluationSignalWorkdays)
	}
	for name, v := range map[string]string{"application_code": p.ApplicationCode, "participation_code": p.ParticipationCode} {
		if strings.TrimSpace(v) == "" {
			return fmt.Errorf("%s must not be empty", name)
		}
	}
	if _, err := mail.ParseAddress(p.ClientMailbox); err != nil {
		return fmt.Errorf("client_mailbox %q is not an e-mail address", p.ClientMailbox)
	}
	seen := map[string]bool{}
	for _, t := range p.Teams {
		if t.Key == "" || seen[t.Key] {
			return fmt.Errorf("team key %q is empty or used twice", t.Key)
		}
		seen[t.Key] = true
		if _, err := mail.ParseAddress(t.Mailbox); err != nil {
			return fmt.Errorf("team %q: mailbox %q is not an e-mail address", t.Key, t.Mailbox)
		}
		if _, ok := ParseRole(string(t.Role)); !ok {
			return fmt.Errorf("team %q: unknown role %q", t.Key, t.Role)
		}
		for _, r := range t.Support {
			if _, ok := ParseRole(string(r)); !ok || IsSystemRole(r) {
				return fmt.Errorf("team %q: support role %q is no caseworker role", t.Key, r)
			}
		}
	}
	for _, k := range []string{TeamPoort, TeamOndersteuning, TeamWerkdiagnose, TeamWerk} {
		if !seen[k] {
			return fmt.Errorf("team %q is required by the process", k)
		}
	}
	if len(p.TargetGroups) == 0 {
		return fmt.Errorf("at least one target group is required")
	}
	groups := map[string]bool{}
	for _, g := range p.TargetGroups {
		// The keys are the outcomes of "Beoordeling doelgroep": an empty key
		// would make a missing outcome valid, a duplicate one is unreachable.
		if strings.TrimSpace(g.Key) == "" || groups[g.Key] {
			return fmt.Errorf("target group key %q is empty or used twice", g.Key)
		}
		groups[g.Key] = true
		switch g.Route {
		case RouteDiagnoseFirst:
		case RouteDecisionFirst:
			if !seen[g.HandoverTeam] {
				return fmt.Errorf("target group %q: handover_team %q is not a team", g.Key, g.HandoverTeam)
			}
		default:
			return fmt.Errorf("target group %q: unknown route %q", g.Key, g.Route)
		}
	}
	if len(p.Segments) == 0 || len(p.Providers) == 0 || len(p.Ladder) == 0 {
		return fmt.Errorf("segments, providers and participatieladder must not be empty")
	}
	if err := p.Calendar.Validate(); err != nil {
		return err
	}
	if err := p.TermCalendar.validate("term_calendar"); err != nil {
		return err
	}
	if err := p.Reminders.Validate(); err != nil {
		return err
	}
	if p.Reminders.DecisionTermDaysBefore >= p.DecisionTermDays {
		return fmt.Errorf("reminders.decision_term_days_before (%d) must be less than decision_term_days (%d)",
			p.Reminders.DecisionTermDaysBefore, p.DecisionTermDays)
	}
	return nil
}

// Team returns the team with the given key.
func (p Policy) Team(key string) (Team, bool) {
	for _, t := range p.Teams {
		if t.Key == key {
			return t, true
		}
	}
	return Team{}, false
}

// TargetGroup returns the target group with the given key.
func (p Policy) TargetGroup(key string) (TargetGroup, bool) {
	for _, g := range p.TargetGroups {
		if g.Key == key {
			return g, true
		}
	}
	return TargetGroup{}, false
}

// Provider returns the provider with the given key.
func (p Policy) Provider(key string) (Provider, bool) {
	for _, pr := range p.Providers {
		if pr.Key == key {
			return pr, true
		}
	}
	return Provider{}, false
}
