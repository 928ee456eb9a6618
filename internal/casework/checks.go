package casework

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// The checks a form names (process.Check) are implemented here, each once.
// A check looks at the decoded input and at what checkEnv says about the
// case, and adds a Dutch message per field it refuses.

// checkEnv is what checks may look at besides the input.
type checkEnv struct {
	def     *process.Definition
	now     time.Time
	today   time.Time
	app     Case   // the application the form is about; zero when none
	task    Task   // the task being completed; zero when none
	outcome string // the outcome chosen in the form
	// plan returns the latest plan van aanpak of the participation case;
	// nil when the form is not about one.
	plan func() (Plan, error)
	// appointments returns the participation case's appointments by start;
	// nil when the form is not about one.
	appointments func() ([]Appointment, error)
	// noBSN refuses a BSN in free text (Config.NoBSNMessage); empty: the
	// default.
	noBSN string
	// suspensions returns the application's suspensions of the decision
	// term; nil when the form is not about an application.
	suspensions func() ([]Suspension, error)
}

// validator is the implementation of a named check. It returns an error
// only when it could not look (the store failed); refusals are messages.
type validator func(env checkEnv, c process.Check, in Input, errs Fields) error

// validatorFor returns the implementation of the named check.
func validatorFor(name string) (validator, bool) {
	switch name {
	case process.CheckNotFuture:
		return dateCheck(func(env checkEnv, d time.Time, _ Input, _ process.Check) (bool, time.Time, string) {
			return d.After(env.today), time.Time{}, "Deze datum kan niet in de toekomst liggen."
		}), true
	case process.CheckInFuture:
		return dateCheck(func(env checkEnv, d time.Time, _ Input, _ process.Check) (bool, time.Time, string) {
			return !d.After(env.today), time.Time{}, "Kies een datum in de toekomst."
		}), true
	case process.CheckNotBeforeReceipt:
		return dateCheck(func(env checkEnv, d time.Time, _ Input, _ process.Check) (bool, time.Time, string) {
			return !env.app.AppliedOn.IsZero() && d.Before(env.app.AppliedOn), env.app.AppliedOn, "Deze datum ligt voor de ontvangst van de aanvraag."
		}), true
	case process.CheckNotBeforeReport:
		return dateCheck(func(env checkEnv, d time.Time, _ Input, _ process.Check) (bool, time.Time, string) {
			return !env.app.ReportedOn.IsZero() && d.Before(env.app.ReportedOn), env.app.ReportedOn, "Deze datum ligt voor de meldingsdatum."
		}), true
	case process.CheckNotBefore, process.CheckNotAfter:
		after := name == process.CheckNotAfter
		return dateCheck(func(_ checkEnv, d time.Time, in Input, c process.Check) (bool, time.Time, string) {
			other, word := in.Date(c.Params[process.ParamOther]), "voor"
			if after {
				d, other, word = other, d, "na"
			}
			return !other.IsZero() && !d.IsZero() && d.Before(other), in.Date(c.Params[process.ParamOther]),
				"Deze datum ligt " + word + " " + in.label(c.Params[process.ParamOther]) + "."
		}), true
	case process.CheckNotBelow:
		return checkNotBelow, true
	case process.CheckRequiredWith:
		return checkRequiredWith, true
	case process.CheckOnlyWith:
		return checkOnlyWith, true
	case process.CheckLateReason:
		return checkLateReason, true
	case process.CheckNoBSN:
		return checkNoBSN, true
	case process.CheckBSN:
		return checkBSN, true
	case process.CheckPlanExists:
		return checkPlan(false), true
	case process.CheckPlanSigned:
		return checkPlan(true), true
	case process.CheckAppointmentStarted:
		return checkAppointmentStarted, true
	case process.CheckTermDay:
		return dateCheck(func(env checkEnv, d time.Time, _ Input, _ process.Check) (bool, time.Time, string) {
			cal := termCalendar(env.def)
			reason, closed := cal.Closed(d)
			if !closed {
				return false, time.Time{}, ""
			}
			if reason == "zaterdag" || reason == "zondag" || reason == "extra sluitingsdag" {
				reason = "een " + reason
			}
			return true, time.Time{}, fmt.Sprintf("Deze dag is %s: daarop eindigt geen termijn (Algemene termijnenwet). Kies een werkdag, bijvoorbeeld %s.",
				reason, FormatDate(process.TermEnd(d, cal)))
		}), true
	case process.CheckNotBeforeRequest:
		return checkNotBeforeRequest, true
	case process.CheckExtensionDate:
		return dateCheck(func(env checkEnv, d time.Time, _ Input, _ process.Check) (bool, time.Time, string) {
			due := env.app.DecisionDue
			if limit := env.def.Policy.ExtensionLimit(due); d.After(limit) {
				return true, time.Time{}, fmt.Sprintf("Verdagen kan tot ten hoogste %s na de huidige uiterste beslisdatum: uiterlijk %s.",
					process.TermLength(env.def.Policy.ExtensionMaxDays), FormatDate(limit))
			}
			return !d.After(due), due, "Kies een datum na de huidige uiterste beslisdatum."
		}), true
	case process.CheckNotSuspended:
		return validatorNotSuspended, true
	case process.CheckNotExtended:
		return func(env checkEnv, c process.Check, _ Input, errs Fields) error {
			if !env.app.ExtendedTo.IsZero() {
				errs.Add(c.Field, message(c, fmt.Sprintf("De beslistermijn is al verdaagd tot %s (op %s). Verdagen kan één keer per aanvraag.",
					FormatDate(env.app.ExtendedTo), FormatDate(env.app.ExtendedOn))))
			}
			return nil
		}, true
	case process.CheckTermNotPassed:
		return func(env checkEnv, c process.Check, _ Input, errs Fields) error {
			if env.today.After(env.app.DecisionDue) {
				errs.Add(c.Field, message(c, fmt.Sprintf("De beslistermijn is verstreken op %s. Verdagen kan alleen voordat de termijn verstrijkt (Awb 4:14 lid 3).",
					FormatDate(env.app.DecisionDue))))
			}
			return nil
		}, true
	}
	return nil, false
}

// caseSuspensions reads the application's suspensions for a check.
func (env checkEnv) caseSuspensions() ([]Suspension, error) {
	if env.suspensions == nil {
		return nil, errors.New("no application to read suspensions of")
	}
	return env.suspensions()
}

// validatorNotSuspended refuses while a suspension of the decision term
// runs: a second suspension, or an extension of a term that stands still.
func validatorNotSuspended(env checkEnv, c process.Check, _ Input, errs Fields) error {
	sus, err := env.caseSuspensions()
	if err != nil {
		return err
	}
	if su, ok := runningSuspension(sus); ok {
		errs.Add(c.Field, message(c, runningMessage(su)))
	}
	return nil
}

// checkNotBeforeRequest refuses a date before the request to complete the
// application whose suspension runs.
func checkNotBeforeRequest(env checkEnv, c process.Check, in Input, errs Fields) error {
	d := in.Date(c.Field)
	if d.IsZero() {
		return nil
	}
	sus, err := env.caseSuspensions()
	if err != nil {
		return err
	}
	if su, ok := runningSuspension(sus); ok && d.Before(su.RequestedOn) {
		errs.Add(c.Field, withDate(message(c, "Deze datum ligt voor het verzoek om aanvulling."), su.RequestedOn))
	}
	return nil
}

// input decodes a form's values and runs its checks: the one way every
// use case reads a form. The field messages are returned for the caller to
// add its own before it refuses; err is a failure to check, not a refusal.
func (s *core) input(form process.Form, v Values, opts map[string][]process.Option, env checkEnv) (Input, Fields, error) {
	in, errs := decode(form, v, opts)
	if err := runChecks(env, form, in, errs); err != nil {
		return Input{}, nil, err
	}
	return in, errs, nil
}

// env is the check environment of a form that is not about a task.
func (s *core) env(def *process.Definition) checkEnv {
	return checkEnv{def: def, now: s.clock.Now(), today: s.today(), noBSN: s.cfg.NoBSNMessage}
}

// runChecks runs the checks of a form in order, after the one every form
// has: no BSN in free text (a textarea), unless the form names its own
// no_bsn check for the field.
func runChecks(env checkEnv, form process.Form, in Input, errs Fields) error {
	for _, f := range form.Fields {
		if f.Kind == process.KindTextarea && !hasNoBSNCheck(form, f.Name) {
			_ = checkNoBSN(env, process.Check{Name: process.CheckNoBSN, Field: f.Name}, in, errs)
		}
	}
	for _, c := range form.Checks {
		v, ok := validatorFor(c.Name)
		if !ok {
			return fmt.Errorf("check %q is not implemented", c.Name)
		}
		if err := v(env, c, in, errs); err != nil {
			return fmt.Errorf("check %s: %w", c.Name, err)
		}
	}
	return nil
}

// message returns the definition's message for a check, else def.
func message(c process.Check, def string) string {
	if c.Message != "" {
		return c.Message
	}
	return def
}

// withDate puts a date in brackets before the message's closing full stop.
func withDate(msg string, d time.Time) string {
	if d.IsZero() {
		return msg
	}
	return strings.TrimSuffix(msg, ".") + " (" + FormatDate(d) + ")."
}

// label names a field of the input's form in lower case, for messages.
func (in Input) label(name string) string {
	if f, ok := in.form.Field(name); ok {
		return "‘" + strings.ToLower(f.Label) + "’"
	}
	return "de andere datum"
}

// dateCheck makes a check of the date in c.Field: refuse reports whether
// the date is refused, the date it is measured against (shown in brackets)
// and the default message. An empty or invalid date is left alone: the
// field has its own message then.
func dateCheck(refuse func(env checkEnv, d time.Time, in Input, c process.Check) (bool, time.Time, string)) validator {
	return func(env checkEnv, c process.Check, in Input, errs Fields) error {
		d := in.Date(c.Field)
		if d.IsZero() {
			return nil
		}
		if bad, against, def := refuse(env, d, in, c); bad {
			errs.Add(c.Field, withDate(message(c, def), against))
		}
		return nil
	}
}

func checkNotBelow(_ checkEnv, c process.Check, in Input, errs Fields) error {
	n, other := in.Int(c.Field), in.Int(c.Params[process.ParamOther])
	if n > 0 && other > 0 && n < other {
		errs.Add(c.Field, message(c, "Deze waarde ligt niet lager dan "+in.label(c.Params[process.ParamOther])+"."))
	}
	return nil
}

// filled reports whether a field has a value (text, date or ticks).
func (in Input) filled(name string) bool {
	return in.text[name] != "" || len(in.lists[name]) > 0
}

func checkRequiredWith(env checkEnv, c process.Check, in Input, errs Fields) error {
	if env.outcome == c.Params[process.ParamOutcome] && !in.filled(c.Field) {
		f, _ := in.form.Field(c.Field)
		errs.Add(c.Field, message(c, requiredMessage(f)))
	}
	return nil
}

func checkOnlyWith(env checkEnv, c process.Check, in Input, errs Fields) error {
	want := c.Params[process.ParamOutcome]
	if env.outcome != want && in.filled(c.Field) {
		errs.Add(c.Field, message(c, "Dit veld hoort alleen bij de uitkomst ‘"+env.def.OutcomeLabel(want)+"’; maak het leeg."))
	}
	return nil
}

// checkLateReason asks for the reason a term is missed: by the date in
// ParamDate (an appointment planned after the term) or, without it, by
// today (the step is done after the term).
func checkLateReason(env checkEnv, c process.Check, in Input, errs Fields) error {
	due := env.task.DueOn
	if due.IsZero() || in.filled(c.Field) {
		return nil
	}
	term := "de termijn"
	if days := env.def.Policy.TermDays(env.task.Term); days > 0 {
		term += " van " + process.TermLength(days)
	}
	if name := c.Params[process.ParamDate]; name != "" {
		if d := in.Date(name); !d.IsZero() && d.After(due) {
			errs.Add(c.Field, message(c, fmt.Sprintf("De afspraak valt na %s (%s). Leg vast waarom de termijn niet gehaald wordt.", term, FormatDate(due))))
		}
		return nil
	}
	if env.today.After(due) {
		errs.Add(c.Field, message(c, fmt.Sprintf("Dit gebeurt na %s (%s). Leg vast waarom de termijn niet gehaald is.", term, FormatDate(due))))
	}
	return nil
}

// defaultNoBSN is the refusal of a BSN in free text when the
// configuration gives none.
const defaultNoBSN = "Zet geen BSN in een toelichting."

// checkNoBSN refuses a BSN in text: nine digits that pass the elfproef.
// Other numbers (a phone number, an amount, a case number) are free text.
// The message is the check's own, else the configured one.
func checkNoBSN(env checkEnv, c process.Check, in Input, errs Fields) error {
	if containsBSN(in.Text(c.Field)) {
		def := env.noBSN
		if def == "" {
			def = defaultNoBSN
		}
		errs.Add(c.Field, message(c, def))
	}
	return nil
}

// hasNoBSNCheck reports whether the form names a no_bsn check on field.
func hasNoBSNCheck(form process.Form, field string) bool {
	for _, c := range form.Checks {
		if c.Name == process.CheckNoBSN && c.Field == field {
			return true
		}
	}
	return false
}

// normalBSN drops the spaces and dots people type in a BSN.
func normalBSN(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(s), " ", ""), ".", "")
}

func checkBSN(_ checkEnv, c process.Check, in Input, errs Fields) error {
	if bsn := normalBSN(in.Text(c.Field)); bsn != "" && !ValidBSN(bsn) {
		errs.Add(c.Field, message(c, "Vul een geldig BSN in: 9 cijfers die voldoen aan de elfproef."))
	}
	return nil
}

// checkPlan asks for a plan van aanpak on the participation case, signed
// by the client when signed is set.
func checkPlan(signed bool) validator {
	return func(env checkEnv, c process.Check, _ Input, errs Fields) error {
		if env.plan == nil {
			return errors.New("no participation case to look for a plan in")
		}
		plan, err := env.plan()
		switch {
		case errors.Is(err, ErrNotFound) && signed:
			errs.Add(process.FieldPlan, message(c, "Leg eerst het plan van aanpak vast (onderdeel Participatie op de klantpagina)."))
		case errors.Is(err, ErrNotFound):
			errs.Add(process.FieldPlan, message(c, "Er is nog geen plan van aanpak. Stel het plan op met de klant (onderdeel Participatie op de klantpagina) en rond daarna deze stap af."))
		case err != nil:
			return err
		case signed && plan.SignedOn.IsZero():
			errs.Add(process.FieldPlan, message(c, "De klant heeft het plan van aanpak nog niet getekend: vul de datum van de handtekening in bij het plan."))
		}
		return nil
	}
}

// checkAppointmentStarted asks for the case's appointment of ParamKind to
// have begun: a step done at a meeting is completed from its start on.
func checkAppointmentStarted(env checkEnv, c process.Check, _ Input, errs Fields) error {
	kind := c.Params[process.ParamKind]
	name := process.AppointmentKindNames[kind]
	var aps []Appointment
	if env.appointments != nil {
		var err error
		if aps, err = env.appointments(); err != nil {
			return err
		}
	}
	if _, held := lastOf(aps, kind, func(ap Appointment) bool { return ap.Status == process.AppointmentHeld }); held {
		return nil
	}
	ap, planned := lastOf(aps, kind, Appointment.Planned)
	switch {
	case !planned:
		errs.Add(process.FieldAppointment, message(c, fmt.Sprintf("Er is geen geplande afspraak %q: plan die eerst (bij Afspraken op de klantpagina).", name)))
	case ap.StartAt.After(env.now):
		errs.Add(process.FieldAppointment, message(c, fmt.Sprintf("De afspraak %q is op %s uur. U kunt deze stap afronden vanaf het begin van de afspraak.", name, FormatDateTime(ap.StartAt))))
	}
	return nil
}

// containsBSNLike reports whether text holds a run of nine digits.
func containsBSNLike(s string) bool {
	run := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			run++
			if run == 9 {
				return true
			}
		} else if r != ' ' && r != '.' {
			run = 0
		}
	}
	return false
}

// containsBSN reports whether text holds a BSN: nine digits that pass the
// elfproef, written together or in groups separated by one space or dot
// as people type them ("123456782", "1234 56 782", "123.456.782"). The
// nine digits are whole groups: the first nine digits of "0612345678"
// (ten, a phone number) are not a BSN, nor are a date's.
func containsBSN(s string) bool {
	var groups []string // the digit groups of the current run
	var cur strings.Builder
	sep := false // the last character separated two groups
	end := func() bool {
		if cur.Len() > 0 {
			groups = append(groups, cur.String())
			cur.Reset()
		}
		found := bsnInGroups(groups)
		groups, sep = groups[:0], false
		return found
	}
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			cur.WriteRune(r)
			sep = false
		case (r == ' ' || r == '.') && cur.Len() > 0 && !sep:
			groups = append(groups, cur.String())
			cur.Reset()
			sep = true
		default:
			if end() {
				return true
			}
		}
	}
	return end()
}

// bsnInGroups reports whether consecutive whole groups of digits make nine
// digits that pass the elfproef.
func bsnInGroups(groups []string) bool {
	for i := range groups {
		n := ""
		for _, g := range groups[i:] {
			if n += g; len(n) >= 9 {
				break
			}
		}
		if len(n) == 9 && ValidBSN(n) {
			return true
		}
	}
	return false
}
