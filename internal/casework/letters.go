package casework

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Letters writes the letters the municipality sends clients, from Dutch
// templates in the repository (internal/letters implements it). Casework
// decides what a letter says (LetterData); the writer only renders it.
type Letters interface {
	// Letter renders the letter d.Key with d: its subject (never a BSN),
	// its HTML document (lang="nl", a title, headings) and its plain text.
	Letter(d LetterData) (RenderedLetter, error)
}

// RenderedLetter is a letter as HTML and as plain text, with the subject
// of the mail it may go in.
type RenderedLetter struct {
	Subject string
	HTML    string
	Text    string
}

// PDFRenderer prints a letter's HTML as a tagged, accessible PDF
// (internal/pdf implements it with Chromium). It is called outside any
// transaction.
type PDFRenderer interface {
	PDF(ctx context.Context, html string) ([]byte, error)
}

// Letterhead is the municipality as its letters show it, besides what
// Config.Contact says (name, visiting address, phone and its hours).
type Letterhead struct {
	Department    string `json:"department"`     // "Werk en Inkomen"
	PostalAddress string `json:"postal_address"` // where clients write to: "Postbus 271, 2980 AG Ridderkerk"
	Website       string `json:"website"`        // "www.ridderkerk.example"
	// Logo is the path of an SVG, PNG or JPEG file shown at the top of each
	// letter; empty: a plain text letterhead with the municipality's name.
	Logo              string `json:"logo"`
	Signatory         string `json:"signatory"`          // who signs on behalf of the college
	SignatoryFunction string `json:"signatory_function"` // "teamleider Werk en Inkomen"
	// ObjectionAddress is where a bezwaarschrift goes, named in the
	// bezwaarclausule of every decision letter.
	ObjectionAddress string `json:"objection_address"`
}

// LetterData is everything a letter shows. Casework builds it from the
// client, the case, the actor and what the step or use case gives; the
// templates only lay it out.
type LetterData struct {
	Key       process.LetterKey
	Title     string    // the letter's subject line
	Date      time.Time // the letter's date: the day it is made and sent
	Reference string    // "Ons kenmerk": the case's code and number, e.g. "0/L2-42"
	Channel   string    // LetterByEmail or LetterByPost
	Sender    LetterSender
	Client    LetterClient
	// Caseworker is who made the letter, named as the client's contact.
	Caseworker string
	Case       LetterCase
	// One of these, after the letter's kind.
	Decision    *LetterDecision    // besluit_toekenning, besluit_afwijzing
	Completion  *LetterCompletion  // verzoek_aanvulling (Awb 4:5)
	Delay       *LetterDelay       // verdagingsbericht (Awb 4:14)
	Appointment *LetterAppointment // uitnodiging
	Plan        *LetterPlan        // plan_van_aanpak
	Melding     *LetterMelding     // melding_jongere
}

// LetterSender is the municipality on the letterhead and under the letter.
type LetterSender struct {
	Municipality      string // "gemeente Ridderkerk"
	Department        string
	Address           string // visiting address
	PostalAddress     string
	Phone, PhoneHours string
	Website           string
	Signatory         string
	SignatoryFunction string
	ObjectionAddress  string
}

// LetterClient is the addressee. BSN is set only on a letter that goes by
// post, and a template shows it only where it asks for it: never in a mail.
type LetterClient struct {
	Name         string
	AddressLines []string // "Dorpsstraat 1", "2981 AB Ridderkerk"
	BSN          string
	Number       string // the client number
}

// LetterCase is the application the letter is about.
type LetterCase struct {
	Code        string    // "0/L2"
	Name        string    // "Aanvraag Levensonderhoud PW"
	AppliedOn   time.Time // receipt of the application
	ReportedOn  time.Time // the melding (Pw art. 44)
	DecisionDue time.Time // the decision term (Awb 4:13), zero while unknown
	Channel     string    // ChannelDigital or ChannelPhysical
}

// LetterDecision is a decision on an application, with the bezwaarclausule.
type LetterDecision struct {
	Granted   bool
	DecidedOn time.Time
	StartOn   time.Time // a grant's date of entitlement (Pw art. 44); zero: not given
	Reasons   string    // the motivation (Awb 3:46)
	Ground    string    // legal ground beyond art. 11 and 43 Pw (Awb 3:47)
	// ObjectionDue is the last day to object (Awb 6:7, 6:8, Algemene termijnenwet).
	ObjectionDue time.Time
}

// LetterCompletion asks to complete an application (Awb 4:5).
type LetterCompletion struct {
	Missing string    // what is missing, in the caseworker's words
	Due     time.Time // the term to send it
}

// LetterDelay tells that the decision takes longer (Awb 4:14).
type LetterDelay struct {
	NewDate time.Time
	Reasons string
}

// LetterAppointment is an appointment as an invitation by post.
type LetterAppointment struct {
	Change     string // "nieuw", "verplaatst" or "geannuleerd"
	Kind       string // the client's name of the kind: "Gesprek over werk"
	Purpose    string // what the meeting is for, in plain words
	Start, End time.Time
	Place      string // room and where in the building
	Address    string // street address of the building
	With       string // the klantmanager
	Previous   string // the old time of a moved appointment
}

// LetterPlan is the plan van aanpak for the client's signature (Pw art. 44a).
type LetterPlan struct {
	Version      int
	Situation    string
	LadderNow    string
	LadderTarget string
	Segment      string
	Goals        string
	Obligations  string
	Consequences string
	Trajectories []LetterTrajectory
	EvaluationOn time.Time
	SignedOn     time.Time
	Owner        string // the klantmanager who signs for the municipality
}

// LetterTrajectory is a row of the plan.
type LetterTrajectory struct {
	Provider   string
	Goal       string
	Activities []string
}

// LetterMelding tells an under-27 about the four weeks of searching (Pw
// art. 41 lid 4).
type LetterMelding struct {
	ReportedOn time.Time
	ApplyFrom  time.Time
	Search     string // the search period in words: "4 weken"
	MinimumAge int    // the pilot's minimum age (27)
}

// Channels of a letter.
const (
	LetterByEmail = "email"
	LetterByPost  = "post"
)

// LetterRequest asks for a letter: which, for whom, and what the step or
// use case says it must contain. The rest comes from the records.
type LetterRequest struct {
	Key      process.LetterKey
	ClientID int64
	CaseID   int64 // the case it belongs to (0/L2 or 17/PA)
	TaskID   int64 // the step that made it, for the history line; 0: none
	Details  LetterDetails
	// MessageKind names the outbox message ("Uitnodiging klant"); empty:
	// "Brief: <title>".
	MessageKind string
}

// LetterDetails is what a step's form (through the effect's parameters) or
// a use case gives a letter. Zero values are taken from the case.
type LetterDetails struct {
	Date        time.Time // a decision's date
	Due         time.Time // the term of a 4:5 request; the new date of a 4:14 delay; the first day a melding may apply
	StartOn     time.Time // a grant's date of entitlement
	Reasons     string    // a decision's reasons; what is missing (4:5); why it takes longer (4:14)
	Ground      string    // a decision's legal ground
	Appointment *LetterAppointment
	// Plan is the version of the plan van aanpak the letter shows (one being
	// saved with its signature date); nil: the latest.
	Plan *Plan
}

// letterTx is what making and sending a letter reads and writes.
type letterTx interface {
	triggerTx // the task to post it
	ClientTx
	DocumentTx
	PlanTx
	DefinitionTx
}

// letterChannel is how a letter reaches the client: by e-mail when the
// client has an address and prefers e-mail, else by post.
func letterChannel(c Client) string {
	pref := c.Contact
	if pref == "" {
		pref = DefaultContact(c.Email)
	}
	if strings.TrimSpace(c.Email) != "" && pref == process.PreferEmail {
		return LetterByEmail
	}
	return LetterByPost
}

// sendLetter makes the letter req asks for and sends it: it renders the
// letter, writes it to the outbox (a mail to the client, whose delivery
// attaches the PDF, or a letter to print: MessageByPost) and stores it as
// a document of the client linked to that message. A letter by post gets
// the task to print and post it (the steps on process.OnLetter). Everything
// is written in tx; the PDF is rendered later, outside it (documentPDF).
// It is for the effect send_letter and for use cases outside steps (the
// receipt of an application, an invitation by post, a letter asked for).
func (s *core) sendLetter(ctx context.Context, tx letterTx, a Actor, req LetterRequest) (Document, error) {
	client, err := tx.ClientByID(ctx, req.ClientID)
	if err != nil {
		return Document{}, notFoundAs(err, "De klant")
	}
	channel := letterChannel(client)
	data, def, err := s.letterData(ctx, tx, a, req, client, channel)
	if err != nil {
		return Document{}, err
	}
	r, err := s.letters.Letter(data)
	if err != nil {
		return Document{}, fmt.Errorf("letter %s: %w", req.Key, err)
	}
	kind := req.MessageKind
	if kind == "" {
		kind = "Brief: " + data.Title
	}
	m := &Message{ClientID: client.ID, CaseID: req.CaseID, TaskID: req.TaskID, Kind: kind,
		From: def.Policy.ClientMailbox, ToName: client.Name(), Subject: r.Subject, Body: r.Text, HTML: r.HTML, Letter: true}
	status := DocumentToPrint
	if channel == LetterByEmail {
		m.To, status = client.Email, DocumentByEmail
	}
	if err := s.enqueue(ctx, tx, m); err != nil {
		return Document{}, err
	}
	d := Document{ClientID: client.ID, CaseID: req.CaseID, Kind: string(req.Key), Title: data.Title,
		FileName: fileName(data.Title, data.Date, ".pdf"), HTML: r.HTML, Channel: channel, Status: status, MessageID: m.ID,
		CreatedBy: a.User.ID, CreatedByName: a.User.Name, CreatedAt: s.clock.Now().UTC()}
	if err := tx.AddDocument(ctx, &d, nil); err != nil {
		return Document{}, err
	}
	how := "per e-mail verstuurd (met de brief als PDF)"
	if channel == LetterByPost {
		how = "klaargezet om te printen en per post te versturen"
	}
	if err := s.event(ctx, tx, a, client.ID, req.CaseID, req.TaskID, "brief",
		fmt.Sprintf("Brief %q gemaakt en %s.", data.Title, how), ""); err != nil {
		return Document{}, err
	}
	if channel == LetterByPost && req.CaseID != 0 {
		if err := s.letterTask(ctx, tx, a, def, req.CaseID); err != nil {
			return Document{}, err
		}
	}
	return d, nil
}

// keepLetter makes the letter req asks for and keeps it with the case
// without sending it: a plan van aanpak printed at the desk for the
// client's signature, or kept as signed (status says which). It is a letter
// on paper, handed over in person.
func (s *core) keepLetter(ctx context.Context, tx letterTx, a Actor, req LetterRequest, status, why string) (Document, error) {
	client, err := tx.ClientByID(ctx, req.ClientID)
	if err != nil {
		return Document{}, notFoundAs(err, "De klant")
	}
	data, _, err := s.letterData(ctx, tx, a, req, client, LetterByPost)
	if err != nil {
		return Document{}, err
	}
	r, err := s.letters.Letter(data)
	if err != nil {
		return Document{}, fmt.Errorf("letter %s: %w", req.Key, err)
	}
	d := Document{ClientID: client.ID, CaseID: req.CaseID, Kind: string(req.Key), Title: data.Title,
		FileName: fileName(data.Title, data.Date, ".pdf"), HTML: r.HTML, Status: status,
		CreatedBy: a.User.ID, CreatedByName: a.User.Name, CreatedAt: s.clock.Now().UTC()}
	if err := tx.AddDocument(ctx, &d, nil); err != nil {
		return Document{}, err
	}
	return d, s.event(ctx, tx, a, client.ID, req.CaseID, req.TaskID, "brief", fmt.Sprintf("Brief %q gemaakt %s.", data.Title, why), "")
}

// letterReadTx is what gathering a letter's data reads.
type letterReadTx interface {
	CaseTx
	PlanTx
	AppointmentTx
	UserTx
	DefinitionTx
}

// letterData gathers what the letter req shows, and the definition of the
// case it is about (the current one without a case).
func (s *core) letterData(ctx context.Context, tx letterReadTx, a Actor, req LetterRequest, client Client, channel string) (LetterData, *process.Definition, error) {
	if !process.KnownLetter(req.Key) {
		return LetterData{}, nil, fmt.Errorf("unknown letter %q", req.Key)
	}
	def := s.def
	var c, app Case
	if req.CaseID != 0 {
		var err error
		if c, err = tx.CaseByID(ctx, req.CaseID); err != nil {
			return LetterData{}, nil, notFoundAs(err, "Het werkproces")
		}
		if c.ClientID != client.ID {
			return LetterData{}, nil, NotFound("Het werkproces")
		}
		app = c
		if c.Kind == process.CaseParticipatie && c.ApplicationID != 0 {
			if app, err = tx.CaseByID(ctx, c.ApplicationID); err != nil {
				return LetterData{}, nil, err
			}
		}
		if def, err = s.definition(ctx, tx, app.DefinitionVersion); err != nil {
			return LetterData{}, nil, err
		}
	}
	today := s.today()
	d := LetterData{Key: req.Key, Title: process.LetterNames[req.Key], Date: today, Channel: channel,
		Sender: s.letterSender(),
		Client: LetterClient{Name: client.Name(), AddressLines: addressLines(client.Address), Number: strconv.FormatInt(client.ID, 10)}}
	if !a.User.System {
		// An e-form's account made it: no one to name as handling it.
		d.Caseworker = a.User.Name
	}
	if channel == LetterByPost {
		d.Client.BSN = client.BSN
	}
	if c.ID != 0 {
		d.Reference = fmt.Sprintf("%s-%d", c.Code, c.ID)
	}
	if app.ID != 0 {
		d.Case = LetterCase{Code: app.Code, Name: def.Policy.ApplicationName, AppliedOn: app.AppliedOn, ReportedOn: app.ReportedOn,
			DecisionDue: app.DecisionDue, Channel: app.Channel}
	}
	det := req.Details
	switch req.Key {
	case process.LetterOntvangst:
		if app.ID == 0 {
			return LetterData{}, nil, Invalid("Een ontvangstbevestiging hoort bij een aanvraag: kies het werkproces van de aanvraag.")
		}
	case process.LetterToekenning, process.LetterAfwijzing:
		dec := &LetterDecision{Granted: req.Key == process.LetterToekenning, DecidedOn: det.Date, StartOn: det.StartOn,
			Reasons: det.Reasons, Ground: det.Ground, ObjectionDue: process.ObjectionDue(today, termCalendar(def))}
		if dec.DecidedOn.IsZero() {
			dec.DecidedOn = app.DecisionOn
		}
		if dec.Reasons == "" {
			dec.Reasons = app.DecisionReason
		}
		if dec.DecidedOn.IsZero() {
			dec.DecidedOn = today
		}
		if dec.Granted && dec.StartOn.IsZero() {
			// Not given: the earliest the law allows, the day of the
			// melding (Pw art. 44 lid 1), which is the receipt unless the
			// client reported earlier.
			dec.StartOn = app.ReportedOn
			if dec.StartOn.IsZero() {
				dec.StartOn = app.AppliedOn
			}
		}
		d.Decision = dec
	case process.LetterAanvulling:
		if strings.TrimSpace(det.Reasons) == "" || det.Due.IsZero() {
			return LetterData{}, nil, Invalid("Een verzoek om aanvulling noemt wat er ontbreekt en de termijn om het te sturen.")
		}
		d.Completion = &LetterCompletion{Missing: det.Reasons, Due: det.Due}
	case process.LetterVerdaging:
		delay := &LetterDelay{NewDate: det.Due, Reasons: det.Reasons}
		if delay.NewDate.IsZero() {
			delay.NewDate = app.DecisionDue
		}
		if delay.NewDate.IsZero() || strings.TrimSpace(delay.Reasons) == "" {
			return LetterData{}, nil, Invalid("Een verdagingsbericht noemt de nieuwe datum van het besluit en waarom het langer duurt.")
		}
		d.Delay = delay
	case process.LetterUitnodiging:
		ap := det.Appointment
		if ap == nil {
			var err error
			if ap, err = s.comingAppointment(ctx, tx, client, c); err != nil {
				return LetterData{}, nil, err
			}
		}
		d.Appointment = ap
		switch ap.Change {
		case changeMoved:
			d.Title = "Uw afspraak is verplaatst"
		case changeCancelled:
			d.Title = "Uw afspraak gaat niet door"
		}
	case process.LetterPlan:
		p, err := s.planForLetter(ctx, tx, def, c, app, det.Plan)
		if err != nil {
			return LetterData{}, nil, err
		}
		d.Plan = p
	case process.LetterMelding:
		reported := app.ReportedOn
		if !det.Date.IsZero() {
			reported = det.Date
		}
		if reported.IsZero() {
			reported = today
		}
		apply := det.Due
		if apply.IsZero() {
			apply = process.MeldingApplyFrom(reported)
		}
		d.Melding = &LetterMelding{ReportedOn: reported, ApplyFrom: apply, Search: process.TermLength(process.DaysBetween(reported, apply)),
			MinimumAge: def.Policy.MinimumAge}
	}
	return d, def, nil
}

// letterSender is the municipality from the configuration.
func (s *core) letterSender() LetterSender {
	c, l := s.cfg.Contact, s.cfg.Letterhead
	return LetterSender{Municipality: c.Municipality, Department: l.Department, Address: c.Address, PostalAddress: l.PostalAddress,
		Phone: c.Phone, PhoneHours: c.PhoneHours, Website: l.Website, Signatory: l.Signatory, SignatoryFunction: l.SignatoryFunction,
		ObjectionAddress: l.ObjectionAddress}
}

// addressLines splits an address written on one line at its commas:
// "Dorpsstraat 1, 2981 AB Ridderkerk" is two lines of an envelope.
func addressLines(address string) []string {
	var out []string
	for _, part := range strings.Split(address, ",") {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// comingAppointment is the client's next planned appointment on the case
// (or any of theirs without one), as an invitation.
func (s *core) comingAppointment(ctx context.Context, tx letterReadTx, client Client, c Case) (*LetterAppointment, error) {
	aps, err := tx.AppointmentsByClient(ctx, client.ID)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	var next *Appointment
	for i, ap := range aps {
		if !ap.Planned() || !ap.StartAt.After(now) || (c.ID != 0 && ap.CaseID != c.ID) {
			continue
		}
		if next == nil || ap.StartAt.Before(next.StartAt) {
			next = &aps[i]
		}
	}
	if next == nil {
		return nil, Invalid("Er is geen geplande afspraak om de klant voor uit te nodigen. Plan eerst de afspraak; de uitnodiging gaat dan vanzelf mee.")
	}
	km, err := tx.UserByID(ctx, next.KlantmanagerID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	room, ok := s.cfg.Room(next.Room)
	if !ok {
		room = Room{Key: next.Room, Name: next.Room}
	}
	return s.appointmentLetter(*next, km, room, changeNew, ""), nil
}

// appointmentLetter is an appointment as the client's letter shows it.
func (s *core) appointmentLetter(ap Appointment, km User, room Room, change, previous string) *LetterAppointment {
	kind := process.AppointmentKindClientNames[ap.Kind]
	if kind == "" {
		kind = process.AppointmentKindNames[ap.Kind]
	}
	place := room.Name
	if room.Location != "" {
		place += ", " + room.Location
	}
	address := room.Address
	if address == "" {
		address = s.cfg.Contact.Address
	}
	return &LetterAppointment{Change: change, Kind: kind, Purpose: process.AppointmentKindPurposes[ap.Kind],
		Start: ap.StartAt, End: ap.EndAt, Place: place, Address: address, With: km.Name, Previous: previous}
}

// planForLetter is the plan van aanpak of the client's dossier: version
// when given, else the latest.
func (s *core) planForLetter(ctx context.Context, tx letterReadTx, def *process.Definition, c, app Case, version *Plan) (*LetterPlan, error) {
	part := c
	if c.Kind != process.CaseParticipatie {
		var err error
		if part, err = tx.ParticipationFor(ctx, app.ID); errors.Is(err, ErrNotFound) || app.ID == 0 {
			return nil, Invalid("Er is nog geen participatiedossier met een plan van aanpak.")
		} else if err != nil {
			return nil, err
		}
	}
	var p Plan
	if version != nil {
		p = *version
	} else if latest, err := tx.LatestPlan(ctx, part.ID); errors.Is(err, ErrNotFound) {
		return nil, Invalid("Er is nog geen plan van aanpak. Stel eerst het plan op.")
	} else if err != nil {
		return nil, err
	} else {
		p = latest
	}
	lp := &LetterPlan{Version: p.Version, Situation: p.Situation, Segment: p.Segment, Goals: p.Goals, Obligations: p.Obligations,
		Consequences: p.Consequences, EvaluationOn: p.EvaluationOn, SignedOn: p.SignedOn,
		LadderNow: ladderName(def.Policy, p.LadderNow), LadderTarget: ladderName(def.Policy, p.LadderTarget)}
	if part.DossierOwner != 0 {
		lp.Owner = userName(ctx, tx, part.DossierOwner)
	}
	for _, t := range p.Trajectories {
		lt := LetterTrajectory{Provider: t.Provider, Goal: t.Goal}
		for _, pr := range def.Policy.Providers {
			if pr.Key == t.Provider {
				lt.Provider = pr.Name
			}
		}
		for _, line := range strings.Split(t.Activities, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				lt.Activities = append(lt.Activities, line)
			}
		}
		lp.Trajectories = append(lp.Trajectories, lt)
	}
	return lp, nil
}

// ladderName is a step of the participatieladder in words ("3 Deelname aan
// georganiseerde activiteiten"), or "" when not set.
func ladderName(p process.Policy, n int) string {
	if n >= 1 && n <= len(p.Ladder) {
		return p.Ladder[n-1]
	}
	return ""
}

// fileName is a document's file name: its title as lower-case words joined
// by hyphens, the date and the extension ("besluit-op-uw-aanvraag-2027-01-04.pdf").
// It never holds a BSN: titles with one are refused, and any run of nine or
// more digits is left out all the same.
func fileName(title string, day time.Time, ext string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(title) {
		if plain, ok := foldAccent(r); ok {
			r = plain
		}
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	name := longDigits.ReplaceAllString(b.String(), "-")
	name = strings.Trim(manyHyphens.ReplaceAllString(name, "-"), "-")
	if len(name) > 60 {
		name = strings.Trim(name[:60], "-")
	}
	if name == "" {
		name = "document"
	}
	return name + "-" + process.Date(day).Format(time.DateOnly) + ext
}

var (
	longDigits  = regexp.MustCompile(`[0-9]{9,}`)
	manyHyphens = regexp.MustCompile(`-{2,}`)
)

// foldAccent gives the plain letter of the accented ones common in Dutch.
func foldAccent(r rune) (rune, bool) {
	switch r {
	case 'á', 'à', 'ä', 'â':
		return 'a', true
	case 'é', 'è', 'ë', 'ê':
		return 'e', true
	case 'í', 'ì', 'ï', 'î':
		return 'i', true
	case 'ó', 'ò', 'ö', 'ô':
		return 'o', true
	case 'ú', 'ù', 'ü', 'û':
		return 'u', true
	}
	return r, false
}
