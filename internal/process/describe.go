package process

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// The definition in words: what the process page (/proces) draws and what
// `werkdiagnose process show` prints. Both read it from here, so the
// picture is the definition the system runs.

// TermText says what a term means, with its length from the policy.
func (p Policy) TermText(k TermKind) string {
	switch k {
	case TermIntake:
		return fmt.Sprintf("Afspraak binnen %d dagen na de aanmelding", p.IntakeTermDays)
	case TermInvite:
		return fmt.Sprintf("Uitnodiging binnen %d dagen na de toewijzing", p.InviteTermDays)
	case TermDecision:
		return fmt.Sprintf("Beslistermijn: %d dagen na ontvangst, plus opschortingen (Awb 4:13, 4:15) en een verdaging (Awb 4:14), verschoven volgens de Algemene termijnenwet", p.DecisionTermDays)
	case TermHandover:
		return fmt.Sprintf("Doorzetten binnen %d dagen na het besluit", p.HandoverTermDays)
	case TermAfterAppointment:
		return fmt.Sprintf("Afronden binnen %d werkdagen na de afspraak", p.AfterAppointmentWorkdays)
	case TermReschedule:
		return fmt.Sprintf("Nieuwe afspraak binnen %d dagen na het niet verschijnen", p.RescheduleTermDays)
	case TermLetter:
		return fmt.Sprintf("Versturen binnen %d werkdag(en)", p.LetterWorkdays)
	case TermVoorschot:
		return fmt.Sprintf("Uiterlijk op de voorschotdatum (elke %d dagen na de aanvraag, art. 52 Participatiewet); de taak komt %d werkdagen ervoor",
			p.VoorschotIntervalDays, p.VoorschotSignalWorkdays)
	case TermEvaluation:
		return fmt.Sprintf("Uiterlijk op de evaluatiedatum (elke %d maanden, art. 44a Participatiewet); de taak komt %d werkdagen ervoor",
			p.PlanEvaluationMonths, p.PlanEvaluationSignalWorkdays)
	case TermCompletion:
		return fmt.Sprintf("Aanvultermijn: standaard %d dagen na het verzoek om aanvulling (Awb 4:5)", p.RequestInfoTermDays)
	}
	return "Geen termijn"
}

// RouteText says what a route means.
func RouteText(r Route) string {
	switch r {
	case RouteDiagnoseFirst:
		return "Werkdiagnose naast de beoordeling van de aanvraag"
	case RouteDecisionFirst:
		return "Eerst het besluit, daarna aanmelding bij het ontvangende team"
	}
	return string(r)
}

// EffectText says what an effect does.
func EffectText(d Do) string {
	switch d.Effect {
	case EffectDecideApplication:
		return "legt het besluit vast en sluit het werkproces van de aanvraag"
	case EffectOpenParticipation:
		return "maakt het participatiewerkproces en het participatiedossier aan"
	case EffectTransferDossier:
		return "draagt het participatiedossier over aan de gekozen klantmanager"
	case EffectBookAppointment:
		return "plant " + appointmentText(d.Params, "een afspraak") + ", boekt een spreekkamer en nodigt de klant uit"
	case EffectSetTargetGroup:
		return "legt de doelgroep vast, die de route bepaalt"
	case EffectRegisterPlanned:
		return "meldt de klant aan voor de aangevinkte trajecten uit het plan van aanpak"
	case EffectStartGuidance:
		return "start de begeleiding naar werk"
	case EffectContinueAsNUG:
		return "zet de begeleiding voort als NUG'er"
	case EffectCloseParticipation:
		return "sluit de begeleiding af (trajecten die mogen, lopen door)"
	case EffectCloseWithoutRecords:
		return "sluit af zonder aanmelding bij participatie"
	case EffectHoldAppointment:
		return "legt vast dat " + appointmentText(d.Params, "de afspraak") + " is gehouden"
	case EffectWithdrawTasks:
		return "laat de open taken van stap “" + d.Params[ParamStep] + "” vervallen"
	case EffectMarkPosted:
		return "legt vast dat de brieven aan de klant per post zijn verstuurd"
	case EffectRecordVoorschot:
		return "legt het voorschot vast: verstrekt met bedrag en datum, of niet verstrekt met de reden"
	case EffectRecordEvaluation:
		return "legt de evaluatie van het plan van aanpak vast, maakt bij aanpassen een nieuwe versie van het plan en plant de volgende evaluatie"
	case EffectSuspendTerm:
		return "schort de beslistermijn op vanaf de dag na het verzoek, uiterlijk tot en met de laatste dag van de aanvultermijn"
	case EffectEndSuspension:
		if d.Params[ParamDate] == "" {
			return "beëindigt de opschorting: de aanvultermijn is ongebruikt verstreken"
		}
		return "beëindigt de opschorting op de dag dat de aanvulling binnenkwam (uiterlijk na de aanvultermijn)"
	case EffectExtendTerm:
		return "verdaagt de beslistermijn naar de gekozen datum en legt de reden vast (één keer per aanvraag)"
	case EffectSendLetter:
		text := "maakt de brief “" + LetterNames[LetterKey(d.Params[ParamLetter])] + "” en verstuurt die per e-mail of per post"
		if o := d.Params[ParamOutcome]; o != "" {
			label, ok := OutcomeNames[o]
			if !ok {
				label = o
			}
			text += " (alleen bij " + strings.ToLower(label) + ")"
		}
		return text
	}
	return string(d.Effect)
}

// appointmentText names the appointment of an effect's ParamKind, or
// other when the kind is not one of AppointmentKindNames (the missed one).
func appointmentText(p Params, other string) string {
	if name, ok := AppointmentKindNames[p[ParamKind]]; ok {
		return "de afspraak “" + name + "”"
	}
	return other
}

// StepText is a step in words.
type StepText struct {
	Step
	Number      int
	TeamName    string
	TermText    string
	Effects     []string
	Transitions []TransitionText
}

// TransitionText is a transition in words.
type TransitionText struct {
	When    string
	Next    string
	Team    string
	Message string
	After   []string
	Unless  []string // only while these are not done
	Effects []string
}

func (d *Definition) effectTexts(ds []Do) []string {
	out := make([]string, 0, len(ds))
	for _, do := range ds {
		if do.Effect == EffectWithdrawTasks {
			out = append(out, "laat een open taak “"+d.stepTitle(StepKey(do.Params[ParamStep]))+"” vervallen")
			continue
		}
		out = append(out, EffectText(do))
	}
	return out
}

// teamName names a team of the policy, or says who a special reference is.
func (d *Definition) teamName(key string) string {
	if t, ok := d.Policy.Team(key); ok {
		return t.Name
	}
	return key
}

func (d *Definition) stepTitle(k StepKey) string {
	if st, ok := d.Step(k); ok {
		return st.Title
	}
	return string(k)
}

// Describe gives every step of the definition in words, in order.
func (d *Definition) Describe() []StepText {
	out := make([]StepText, 0, len(d.Steps))
	for i, st := range d.Steps {
		sv := StepText{Step: st, Number: i + 1, TeamName: d.teamName(st.Team), TermText: d.Policy.TermText(st.Term), Effects: d.effectTexts(st.Effects)}
		switch {
		case st.Team == "" && st.Holder == HolderDossier:
			sv.TeamName = "het team van de dossierhouder"
		case st.Holder == HolderApplication:
			sv.TeamName += " (de Poortwachter van de aanvraag, anders de werkvoorraad van het team)"
		case st.Team == "":
			sv.TeamName = "het team dat de overdracht ontvangt"
		}
		for _, t := range st.Transitions {
			tv := TransitionText{Message: t.Message, Effects: d.effectTexts(t.Effects)}
			var when []string
			if t.Route != "" {
				when = append(when, "route: "+strings.ToLower(RouteText(t.Route)))
			}
			if t.Outcome != "" {
				when = append(when, "uitkomst: "+d.OutcomeLabel(t.Outcome))
			}
			tv.When = strings.Join(when, "; ")
			if t.Next != "" {
				tv.Next = d.stepTitle(t.Next)
			}
			switch t.Team {
			case TeamOfStep:
				if next, ok := d.Step(t.Next); ok && next.Team != "" {
					tv.Team = d.teamName(next.Team)
				}
			case TeamSameAsFrom:
				tv.Team = "hetzelfde team"
			case TeamHandover:
				tv.Team = "het overdrachtsteam van de doelgroep"
			default:
				tv.Team = d.teamName(t.Team)
			}
			if tv.Message == "@handover" {
				tv.Message = "e-mail aan het overdrachtsteam van de doelgroep"
			}
			for _, a := range t.After {
				tv.After = append(tv.After, d.stepTitle(a))
			}
			for _, u := range t.Unless {
				tv.Unless = append(tv.Unless, d.stepTitle(u))
			}
			sv.Transitions = append(sv.Transitions, tv)
		}
		out = append(out, sv)
	}
	return out
}

// RouteVariant is one way through the process: the steps of a route for
// one outcome of a step that branches it.
type RouteVariant struct {
	Title string
	Route Route
	Steps []StepKey
}

// Variants lists the ways through the process: per route (named after its
// target groups), one variant per outcome of each step on the route's
// usual path whose outcome changes what follows. Variants that take the
// same steps are listed once.
func (d *Definition) Variants() []RouteVariant {
	var out []RouteVariant
	done := map[Route]bool{}
	for _, g := range d.Policy.TargetGroups {
		if done[g.Route] {
			continue
		}
		done[g.Route] = true
		var names []string
		for _, g2 := range d.Policy.TargetGroups {
			if g2.Route == g.Route {
				names = append(names, g2.Name)
			}
		}
		who := strings.Join(names, ", ")
		var seen [][]StepKey
		add := func(title string, steps []StepKey) {
			for _, s := range seen {
				if slices.Equal(s, steps) {
					return
				}
			}
			seen = append(seen, steps)
			out = append(out, RouteVariant{Title: title, Route: g.Route, Steps: steps})
		}
		usual := d.Path(g.Route, nil)
		branched := false
		for _, k := range usual {
			st, _ := d.Step(k)
			if len(st.Outcomes) < 2 || st.OutcomesFrom != "" || !d.branches(st, g.Route) {
				continue
			}
			branched = true
			for _, o := range st.Outcomes {
				add(who+": "+strings.ToLower(d.OutcomeLabel(o)), d.Path(g.Route, map[StepKey]string{k: o}))
			}
		}
		if !branched {
			add(who, usual)
		}
	}
	return out
}

// branches reports whether the step's outcome decides which step follows
// on the route.
func (d *Definition) branches(st Step, r Route) bool {
	next := map[string]bool{}
	for _, t := range st.Transitions {
		if t.Route != "" && t.Route != r {
			continue
		}
		next[t.Outcome+">"+string(t.Next)] = true
	}
	outcomes := map[string]bool{}
	for k := range next {
		outcomes[strings.SplitN(k, ">", 2)[0]] = true
	}
	return len(outcomes) > 1
}

// Print writes the definition as text: each step with its team, term,
// form, checks, effects and what follows, then the ways through it.
func (d *Definition) Print(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (versie %s)\n", d.Name, d.Version)
	for _, st := range d.Describe() {
		fmt.Fprintf(&b, "\n%d. %s [%s]\n", st.Number, st.Title, st.Key)
		if st.Added {
			fmt.Fprintf(&b, "   Aanvulling op de bron: %s\n", st.Source)
		} else {
			fmt.Fprintf(&b, "   Bron: %s\n", st.Source)
		}
		fmt.Fprintf(&b, "   Baan: %s; team: %s; werkproces: %s\n", st.Lane, st.TeamName, st.Case)
		fmt.Fprintf(&b, "   Termijn: %s\n", st.TermText)
		if st.On != "" {
			fmt.Fprintf(&b, "   Ontstaat bij: %s (%s)\n", OnNames[st.On], st.On)
		}
		if len(st.Outcomes) > 0 {
			labels := make([]string, 0, len(st.Outcomes))
			for _, o := range st.Outcomes {
				labels = append(labels, d.OutcomeLabel(o))
			}
			fmt.Fprintf(&b, "   Uitkomsten: %s\n", strings.Join(labels, ", "))
		}
		if len(st.Form.Fields) > 0 {
			b.WriteString("   Formulier:\n")
			for _, f := range st.Form.Fields {
				req := "optioneel"
				if f.Required {
					req = "verplicht"
				}
				extra := ""
				if f.OptionsFrom != "" {
					extra = ", keuzes uit " + f.OptionsFrom
				}
				if f.ShowWhen != "" {
					extra += ", alleen als " + ShowConditions[f.ShowWhen]
				}
				fmt.Fprintf(&b, "     - %s (%s, %s%s): %s\n", f.Name, f.Kind, req, extra, f.Label)
			}
		}
		for _, c := range st.Requires {
			fmt.Fprintf(&b, "   Voorwaarde: %s\n", c.Name)
		}
		for _, c := range st.Form.Checks {
			fmt.Fprintf(&b, "   Controle: %s%s%s\n", c.Name, fieldSuffix(c.Field), paramSuffix(c.Params))
		}
		for i, e := range st.Effects {
			fmt.Fprintf(&b, "   Gevolg: %s (%s%s)\n", e, st.Step.Effects[i].Effect, paramSuffix(st.Step.Effects[i].Params))
		}
		for _, t := range st.Transitions {
			line := "einde van dit spoor"
			if t.Next != "" {
				line = "“" + t.Next + "”"
				if t.Team != "" {
					line += " voor " + t.Team
				}
			}
			if t.When != "" {
				line = "bij " + t.When + ": " + line
			}
			if t.Message != "" {
				line += " (bericht: " + t.Message + ")"
			}
			if len(t.After) > 0 {
				line += "; wacht op: " + strings.Join(t.After, ", ")
			}
			if len(t.Unless) > 0 {
				line += "; alleen zolang niet afgerond: " + strings.Join(t.Unless, ", ")
			}
			for _, e := range t.Effects {
				line += "; " + e
			}
			fmt.Fprintf(&b, "   Daarna: %s\n", line)
		}
	}
	b.WriteString("\nRoutes:\n")
	for _, v := range d.Variants() {
		titles := make([]string, 0, len(v.Steps))
		for _, k := range v.Steps {
			titles = append(titles, d.stepTitle(k))
		}
		fmt.Fprintf(&b, "- %s: %s\n", v.Title, strings.Join(titles, " → "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func fieldSuffix(f string) string {
	if f == "" {
		return ""
	}
	return " op " + f
}

func paramSuffix(p Params) string {
	if len(p) == 0 {
		return ""
	}
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+"="+p[k])
	}
	return " [" + strings.Join(parts, ", ") + "]"
}
