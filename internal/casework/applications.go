package casework

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Applications takes in applications and keeps their decision term.
type Applications struct {
	*core
	store Transactor[ApplicationTx]
}

// ApplicationTx is what taking in an application and keeping its term
// read and write: the client and the case, the first task with its
// reminders and hand-over, suspensions and the tasks whose term they move.
type ApplicationTx interface {
	flowTx
	ClientTx
	CaseTx
	SuspensionTx
	MeldingTx
	DefinitionTx
	DocumentTx // the receipt (ontvangstbevestiging)
	PlanTx
}

// flowTx is what creating a task writes: the task, its reminders, its
// history line and its hand-over message.
type flowTx interface {
	TaskTx
	ReminderTx
	EventTx
	OutboxTx
	UserTx
	AppointmentTx // a term may run from an appointment
	SuspensionTx  // or end with a suspension's completion term
}

// Application channels.
const (
	ChannelDigital  = "digitaal"
	ChannelPhysical = "fysiek"
)

// SubmitApplication takes in a benefit application and creates werkproces
// 0/L2 with its first task. A digital application comes from the e-form
// system or the public form (actor is a system account); a physical one is
// entered by an Ondersteuner Poortwachter. A client with an open application
// is refused with a conflict naming the open case.
func (s *Applications) SubmitApplication(ctx context.Context, a Actor, channel string, v Values) (_ Case, err error) {
	defer wrap(&err, "SubmitApplication()")
	return s.submit(ctx, a, channel, v, "")
}

// submit is SubmitApplication; ref, when given, is the reference the
// applicant was shown, written in the history.
func (s *Applications) submit(ctx context.Context, a Actor, channel string, v Values, ref string) (_ Case, err error) {
	physical := channel == ChannelPhysical
	if err := authorizeIntake(a, channel, "aanvragen"); err != nil {
		return Case{}, err
	}
	def := s.def
	form := process.ApplicationForm(applicationSource(channel, ref))
	in, errs, err := s.input(form, v, nil, s.env(def))
	if err != nil {
		return Case{}, err
	}
	today := s.today()
	applied := today
	if d := in.Date(process.FieldAppliedOn); !d.IsZero() {
		applied = d
	}
	reported := applied
	if d := in.Date(process.FieldReportedOn); !d.IsZero() {
		reported = d
	}
	birth := in.Date(process.FieldBirthDate)
	if !birth.IsZero() {
		switch {
		case !birth.Before(today):
			errs.Add(process.FieldBirthDate, msgBirthInFuture)
		case !def.Policy.Eligible(birth, applied) && physical:
			errs.Add(process.FieldBirthDate, fmt.Sprintf("De klant is op de aanvraagdatum %d jaar. De pilot Werkdiagnose is voor aanvragers van %d jaar en ouder; wie jonger is, zoekt eerst %s zelf naar werk voordat de aanvraag in behandeling gaat. Leg dit vast met \"Vastleggen als melding\".",
				process.Age(birth, applied), def.Policy.MinimumAge, process.TermLength(def.Policy.YouthSearchDays)))
		case !def.Policy.Eligible(birth, applied) && ref != "":
			// The public form takes it in as a melding (SubmitPublicApplication).
			errs.Add(process.FieldBirthDate, errUnderAge.Error())
		case !def.Policy.Eligible(birth, applied):
			errs.Add(process.FieldBirthDate, fmt.Sprintf("De aanvrager is %d jaar; aanvragen zijn voor %d jaar en ouder. Leg een melding vast (POST /api/meldingen).",
				process.Age(birth, applied), def.Policy.MinimumAge))
		}
	}
	if len(errs) == 1 && errs[process.FieldBirthDate] == errUnderAge.Error() {
		return Case{}, errUnderAge
	}
	if err := errs.Err(); err != nil {
		return Case{}, err
	}
	var out Case
	err = s.store.Update(ctx, func(tx ApplicationTx) error {
		client, before, err := s.saveApplicant(ctx, tx, in, func(client Client) error {
			if open, err := tx.OpenApplication(ctx, client.ID); err == nil {
				return &Error{Code: CodeConflict, Message: fmt.Sprintf("Deze klant heeft al een lopende aanvraag (%s, ontvangen %s). Een tweede aanvraag kan pas na het besluit.", open.Code, FormatDate(open.AppliedOn)),
					Fields: map[string]string{process.FieldBSN: "Er loopt al een aanvraag voor deze klant."}, Link: fmt.Sprintf("/klanten/%d", client.ID),
					Err: &openApplication{caseID: open.ID, clientID: client.ID}}
			} else if !errors.Is(err, ErrNotFound) {
				return err
			}
			return nil
		})
		if err != nil {
			return err
		}
		c := Case{ClientID: client.ID, Kind: process.CaseAanvraag, Code: def.Policy.ApplicationCode, Status: process.StatusInBehandeling,
			DefinitionVersion: def.Version, Channel: channel, AppliedOn: applied, ReportedOn: reported, OpenedAt: s.clock.Now().UTC()}
		c.DecisionDue = decisionDue(def, c, nil)
		if err := tx.CreateCase(ctx, &c); err != nil {
			var dup ErrDuplicate
			if errors.As(err, &dup) && dup.Which == DupOpenApplication {
				return Conflict("Deze klant heeft al een lopende aanvraag.")
			}
			return err
		}
		how := "Digitale aanvraag ontvangen: werkproces %s automatisch aangemaakt"
		if physical {
			how = "Fysieke aanvraag ingevoerd: werkproces %s aangemaakt"
		}
		summary := fmt.Sprintf(how+" (%s).", c.Code, def.Policy.ApplicationName)
		if ref != "" {
			summary += " Referentie van het formulier: " + ref + "."
		}
		if err := s.event(ctx, tx, a, client.ID, c.ID, 0, "aanvraag", summary, ""); err != nil {
			return err
		}
		if changed := detailsChanged(before, client); before.ID != 0 && len(changed) > 0 {
			if err := s.event(ctx, tx, a, client.ID, c.ID, 0, eventContactDetails,
				"Contactgegevens bijgewerkt uit de nieuwe aanvraag: "+strings.Join(changed, ", ")+".", ""); err != nil {
				return err
			}
		}
		start := def.StartPlan()
		if _, err := s.createTask(ctx, tx, a, def, c, Case{}, start); err != nil {
			return err
		}
		if err := s.scheduleVoorschot(ctx, tx, c, time.Time{}); err != nil {
			return err
		}
		// The receipt, in writing (Awb 4:3a): by e-mail or by post.
		if _, err := s.sendLetter(ctx, tx, a, LetterRequest{Key: process.LetterOntvangst, ClientID: client.ID, CaseID: c.ID,
			MessageKind: "Ontvangstbevestiging"}); err != nil {
			return err
		}
		out = c
		return nil
	})
	if err != nil {
		return Case{}, newClientRace(err)
	}
	s.log.InfoContext(ctx, "application received", "case_id", out.ID, "channel", channel, "actor_id", a.User.ID)
	return out, nil
}

// createTask creates a task from the rules' NewTask on the right case, with
// its deadline, history line and hand-over message.
func (s *core) createTask(ctx context.Context, tx flowTx, a Actor, def *process.Definition, app, part Case, nt process.NewTask) (Task, error) {
	team, _ := def.Policy.Team(nt.Team)
	t := Task{ApplicationID: app.ID, CaseID: app.ID, ClientID: app.ClientID, Step: nt.Step, FromStep: nt.From,
		Team: nt.Team, Worklist: team.Worklist, HolderID: nt.Holder, Status: TaskOpen, Term: nt.Term,
		CreatedAt: s.clock.Now().UTC()}
	caseCode := app.Code
	if nt.Case == process.CaseParticipatie && part.ID != 0 {
		t.CaseID = part.ID
		caseCode = part.Code
	}
	if nt.Term == process.TermDecision && !app.Open() {
		// After the decision the decision term no longer binds the task:
		// what follows is a hand-over, with its own term.
		t.Term = process.TermHandover
	}
	switch {
	case !nt.Due.IsZero():
		t.DueOn = process.Date(nt.Due)
	case t.Term == process.TermDecision:
		t.DueOn = app.DecisionDue
	case t.Term == process.TermCompletion:
		// Due on the completion term's last day, the running suspension's
		// planned end.
		sus, err := tx.SuspensionsByCase(ctx, app.ID)
		if err != nil {
			return Task{}, err
		}
		if su, ok := runningSuspension(sus); ok {
			t.DueOn = su.PlannedEnd
		}
	case t.Term == process.TermLetter:
		t.DueOn = def.Policy.LetterDue(s.clock.Now(), s.cal)
	case t.Term == process.TermAfterAppointment:
		aps, err := caseAppointments(ctx, tx, app.ClientID, t.CaseID)
		if err != nil {
			return Task{}, err
		}
		if due, ok := s.appointmentDue(def, aps, t.Step); ok {
			t.DueOn = due
		}
	default:
		if due, ok := def.Policy.TermDue(t.Term, s.clock.Now()); ok {
			t.DueOn = due
		}
	}
	if err := tx.CreateTask(ctx, &t); err != nil {
		return Task{}, err
	}
	if err := s.scheduleReminders(ctx, tx, t); err != nil {
		return Task{}, err
	}
	step, _ := def.Step(nt.Step)
	who := team.Name
	if nt.Holder != 0 {
		who = userName(ctx, tx, nt.Holder)
	}
	summary := fmt.Sprintf("Taak %q aangemaakt voor %s", step.Title, who)
	if !t.DueOn.IsZero() {
		summary += ", termijn " + FormatDate(t.DueOn)
	}
	if err := s.event(ctx, tx, a, app.ClientID, t.CaseID, t.ID, "taak_aangemaakt", summary+".", ""); err != nil {
		return Task{}, err
	}
	if nt.Message != "" {
		if err := s.handoverMessage(ctx, tx, def, t, step, team, nt.Message, caseCode); err != nil {
			return Task{}, err
		}
	}
	return t, nil
}

// authorizeIntake is the one rule of who takes in an application or a
// melding on a channel: at the desk (fysiek) an Ondersteuner Poortwachter,
// never a system account; digitally whoever the table lets submit digital
// applications (ActSubmitDigital: the e-form system's role, and staff who
// may enter applications). what names the submissions in the
// refusal ("aanvragen", "meldingen").
func authorizeIntake(a Actor, channel, what string) error {
	switch {
	case channel != ChannelPhysical && channel != ChannelDigital:
		return &Error{Code: CodeInvalid, Message: "Kies het kanaal: digitaal of fysiek.", Fields: Fields{process.FieldChannel: "Kies digitaal of fysiek."}}
	case channel == ChannelPhysical && a.User.System:
		return Forbidden(refusal(process.ActEnterApplication))
	case channel == ChannelPhysical:
		return Authorize(a, process.ActEnterApplication, process.RelNone)
	case !May(a, process.ActSubmitDigital, process.RelNone):
		return Forbidden("Digitale " + what + " komen binnen via het e-formulier of het aanvraagformulier op de website.")
	}
	return nil
}

// msgBirthInFuture refuses a date of birth that is not in the past.
const msgBirthInFuture = "De geboortedatum moet in het verleden liggen."

// applicationSource says which form an application from channel has; ref
// is set for the public form.
func applicationSource(channel, ref string) process.ApplicationSource {
	switch {
	case channel == ChannelPhysical:
		return process.FromDesk
	case ref != "":
		return process.FromPublic
	}
	return process.FromEForm
}

// saveApplicant creates the client of an application or melding, or
// updates the one with the same BSN from what the form says, after
// existing (when set) allowed it. It returns the client as saved and as
// it was.
func (s *core) saveApplicant(ctx context.Context, tx ClientTx, in Input, existing func(Client) error) (client, before Client, err error) {
	bsn := normalBSN(in.Text(process.FieldBSN))
	client, err = tx.ClientByBSN(ctx, bsn)
	switch {
	case errors.Is(err, ErrNotFound):
		client = Client{BSN: bsn, CreatedAt: s.clock.Now().UTC()}
	case err != nil:
		return Client{}, Client{}, err
	}
	before = client
	client.GivenName, client.FamilyName = in.Text(process.FieldGivenNames), in.Text(process.FieldFamilyName)
	client.BirthDate = in.Date(process.FieldBirthDate)
	if e := in.Text(process.FieldEmail); e != "" {
		client.Email = e
	}
	client.Phone = in.Text(process.FieldPhone)
	if ad := in.Text(process.FieldAddress); ad != "" {
		client.Address = ad
	}
	// E-mail unless there is no address; a client who had none and now
	// gives one is mailed from now on.
	if client.Contact == "" || (before.Email == "" && client.Email != "" && client.Contact == process.PreferPost) {
		client.Contact = DefaultContact(client.Email)
	}
	if client.ID == 0 {
		return client, before, tx.CreateClient(ctx, &client)
	}
	if existing != nil {
		if err := existing(client); err != nil {
			return Client{}, Client{}, err
		}
	}
	if err := tx.UpdateClient(ctx, &client); errors.Is(err, ErrStale) {
		return Client{}, Client{}, Conflict("Een collega wijzigde de gegevens van deze klant op hetzelfde moment. Probeer het opnieuw.")
	} else if err != nil {
		return Client{}, Client{}, err
	}
	return client, before, nil
}

// newClientRace is a conflict when a colleague entered the same new client
// at the same moment (the BSN is unique), else err.
func newClientRace(err error) error {
	var dup ErrDuplicate
	if errors.As(err, &dup) && dup.Which == DupBSN {
		return Conflict("Deze klant is zojuist door een collega ingevoerd. Probeer het opnieuw.")
	}
	return err
}

// openApplication is the cause of the conflict on a second application.
type openApplication struct{ caseID, clientID int64 }

func (o *openApplication) Error() string { return fmt.Sprintf("open application %d", o.caseID) }

// SubmitPublicApplication takes in an application from the public form
// and returns the reference the applicant is shown: a new random one per
// submission (AV-…), written in the history of the case it went to.
// When the applicant already has an open application, the public gets the
// same answer as for a new one, so the form reveals nothing about who has
// applied; the attempt and its reference are recorded in the open case's
// history instead.
func (s *Applications) SubmitPublicApplication(ctx context.Context, a Actor, v Values) (_ string, err error) {
	defer wrap(&err, "SubmitPublicApplication()")
	ref := newReference(prefixApplication)
	_, err = s.submit(ctx, a, ChannelDigital, v, ref)
	if errors.Is(err, errUnderAge) {
		m, err := s.recordMelding(ctx, a, process.FromPublic, v)
		return m.Reference, err
	}
	var open *openApplication
	if !errors.As(err, &open) {
		if err != nil {
			return "", err
		}
		return ref, nil
	}
	err = s.store.Update(ctx, func(tx ApplicationTx) error {
		return s.event(ctx, tx, a, open.clientID, open.caseID, 0, "aanvraag",
			"Opnieuw een digitale aanvraag ontvangen via de website terwijl deze aanvraag loopt; er is geen tweede aanvraag aangemaakt. Neem zo nodig contact op met de klant. Referentie van het formulier: "+ref+".", "")
	})
	if err != nil {
		return "", err
	}
	return ref, nil
}

// IsMeldingReference reports whether a valid reference names a melding.
func IsMeldingReference(s string) bool {
	return ValidReference(s) && strings.HasPrefix(s, prefixMelding)
}

// referenceAlphabet has no letters and digits that look alike (0 O, 1 I L).
const referenceAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// Reference prefixes: an application (AV-) or a melding (ML-).
const (
	prefixApplication = "AV-"
	prefixMelding     = "ML-"
)

// newReference returns a random reference for an applicant, AV-XXXXXX or
// ML-XXXXXX: it names the submission, and says nothing about the case or
// the client.
func newReference(prefix string) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	for i := range b {
		b[i] = referenceAlphabet[int(b[i])%len(referenceAlphabet)]
	}
	return prefix + string(b)
}

// ValidReference reports whether s has the form of a reference newReference
// makes, so that a page may repeat it.
func ValidReference(s string) bool {
	rest, ok := strings.CutPrefix(s, prefixApplication)
	if !ok {
		rest, ok = strings.CutPrefix(s, prefixMelding)
	}
	if !ok || len(rest) != 6 {
		return false
	}
	for _, r := range rest {
		if !strings.ContainsRune(referenceAlphabet, r) {
			return false
		}
	}
	return true
}
