package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// CaseHeader is the block that always heads a client's pages.
type CaseHeader struct {
	IsH1         bool
	ClientID     int64
	Name         string
	BirthDate    string
	Age          int
	Eligible     bool
	MinAge       int
	ShowBSN      bool
	MaskedBSN    string
	BSN          string
	Current      []CurrentStep
	NextDeadline *casework.TaskView
	OwnerName    string
	Contact      ContactView
}

// ContactView is how to reach the client, in the header of every page
// about them: the first step is a phone call. Whoever sees the header may
// change the details (process.ActEditClient has the roles of ActSeeClient).
type ContactView struct {
	Phone, Email, Address string
	PhoneHref             template.URL // tel: and digits
	Preference            string       // in words: E-mail, Post, Telefoon
	ContactPerson         []string
	NoEmail               bool // invitations become letters
	EditHref              string
}

// contactView describes a client's contact details for the header.
func contactView(c casework.Client) ContactView {
	v := ContactView{Phone: c.Phone, Email: c.Email, Address: c.Address, NoEmail: c.Email == "",
		ContactPerson: nonEmptyLines(c.ContactPerson), EditHref: fmt.Sprintf("/klanten/%d/contactgegevens", c.ID)}
	if c.Phone != "" {
		v.PhoneHref = telHref(c.Phone)
	}
	pref := c.Contact
	if pref == "" {
		pref = casework.DefaultContact(c.Email)
	}
	v.Preference = process.PreferredChannelNames[pref]
	return v
}

// telHref is the tel: link of a phone number: its digits and a leading +,
// so it is safe as a URL (html/template passes http, https and mailto only).
func telHref(phone string) template.URL {
	return template.URL("tel:" + strings.Map(func(r rune) rune {
		if r == '+' || (r >= '0' && r <= '9') {
			return r
		}
		return -1
	}, phone))
}

// CurrentStep is an open task named in the header.
type CurrentStep struct {
	TaskID int64
	Title  string
	Holder string
}

// caseHeader builds the header from a client file. The BSN is only put in
// it on the case page itself (showBSN), masked until asked.
func caseHeader(f casework.ClientFile, showBSN, isH1 bool) CaseHeader {
	h := CaseHeader{IsH1: isH1, ClientID: f.Client.ID, Name: f.Client.Name(), BirthDate: casework.FormatDate(f.Client.BirthDate),
		Age: f.Age, Eligible: f.Eligible, NextDeadline: f.NextDeadline, OwnerName: f.OwnerName, Contact: contactView(f.Client)}
	if f.Def != nil {
		h.MinAge = f.Def.Policy.MinimumAge
	}
	if showBSN {
		h.ShowBSN, h.MaskedBSN = true, casework.MaskBSN(f.Client.BSN)
	}
	for _, t := range f.OpenTasks() {
		h.Current = append(h.Current, CurrentStep{TaskID: t.ID, Title: t.StepTitle, Holder: t.HolderName})
	}
	return h
}

// CasePage is the client's case page.
type CasePage struct {
	Layout
	Header        CaseHeader
	File          casework.ClientFile
	Policy        process.Policy
	Primary       *casework.TaskView
	Steps         []casework.StepState
	TargetGroup   string
	Suspensions   []SuspensionView
	AppRecords    []RecordView
	PartRecords   []RecordView
	Plan          *PlanView
	PlanVersions  []casework.Plan
	Trajectories  []TrajectoryView
	Registrations []RegistrationView
	Appointments  []AppointmentView
	Messages      []MessageView
	AppOpen       bool
	PartOpen      bool
	MaySuspend    bool
	MayRectify    bool // correct name, date of birth or BSN
	MayGuide      bool
	MayClose      bool   // close the dossier outside the steps
	CloseWaits    string // why closing must wait: a step open on the dossier
	Statuses      []string
	Base          string // query suffix ?klant=<id> for the dossier pages
	Timeline      TimelineView
	Documents     DocumentsView
	// SignedPlan is the document of the latest plan as signed; PrintedPlan
	// the plan printed last for the client's signature. Nil: none.
	SignedPlan, PrintedPlan *DocumentView
}

// RecordView is the content of a completed step as a definition list.
type RecordView struct {
	Title     string
	ActorName string
	At        time.Time
	Items     []casework.RecordItem
}

// PlanView is a plan van aanpak with names instead of keys.
type PlanView struct {
	casework.Plan
	LadderNowName    string
	LadderTargetName string
	Planned          []PlannedView
}

// PlannedView is a trajectory in the plan.
type PlannedView struct {
	Provider   string
	Goal       string
	Activities []string
}

// TrajectoryView is a trajectory of the plan, with its registration.
type TrajectoryView struct {
	casework.Trajectory
	ProviderName string
	Running      bool
	Registration *casework.Registration // the latest registration for it, if any
	MayRegister  bool                   // running, with a provider, not (actively) registered
}

// RegistrationView is a registration with a provider.
type RegistrationView struct {
	casework.Registration
	ProviderName    string
	TrajectoryTitle string // the trajectory it registers for; empty: on its own
}

// AppointmentView is an appointment with its room and what can be done
// with it: before it begins moved or cancelled, from its start recorded
// as held or missed.
type AppointmentView struct {
	casework.Appointment
	RoomName   string
	StatusName string
	Past       bool
	MayCancel  bool
	MayMove    bool
	MayMark    bool
}

func (s *server) clientShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "De klant")
	if err != nil {
		return err
	}
	return s.clientPage(w, r, id, "")
}

// clientRevealBSN shows the case page with the full BSN; the service
// records who asked. It is a POST so that the reveal is a deliberate act
// and never sits in a URL.
func (s *server) clientRevealBSN(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "De klant")
	if err != nil {
		return err
	}
	bsn, err := s.Clients.RevealBSN(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return s.clientPage(w, r, id, bsn)
}

func (s *server) clientPage(w http.ResponseWriter, r *http.Request, id int64, bsn string) error {
	a := actor(r)
	cp, err := s.Clients.ClientPage(r.Context(), a, id, r.URL.Query().Get(pageParam))
	if err != nil {
		return err
	}
	f := cp.File
	header := caseHeader(f, true, true)
	header.BSN = bsn
	if f.Application.ID == 0 {
		return s.meldingClientPage(w, r, cp, header)
	}
	p := CasePage{Layout: s.base(r, "Dossier "+f.Client.Name()), Header: header, File: f, Policy: f.Def.Policy,
		Steps: f.Steps, AppOpen: f.Application.Open(), MaySuspend: casework.May(a, process.ActSuspendTerm, f.Relation),
		MayRectify: casework.May(a, process.ActRectifyClient, process.RelNone),
		Statuses:   process.RegistrationStatuses, Base: fmt.Sprintf("?klant=%d", f.Client.ID)}
	if g, ok := f.Def.Policy.TargetGroup(f.Application.TargetGroup); ok {
		p.TargetGroup = g.Name
	}
	for _, t := range f.OpenTasks() {
		if casework.May(a, process.ActWorkTask, casework.WorkRelation(f.Def, a, t.Task)) && (t.HolderID == 0 || t.HolderID == a.User.ID) {
			tt := t
			p.Primary = &tt
			break
		}
	}
	for _, su := range f.Suspensions {
		p.Suspensions = append(p.Suspensions, suspensionView(su))
	}
	for _, rec := range f.Records {
		rv := s.recordView(f, rec)
		if st, ok := f.Def.Step(rec.Step); ok && st.Case == process.CaseParticipatie {
			p.PartRecords = append(p.PartRecords, rv)
		} else {
			p.AppRecords = append(p.AppRecords, rv)
		}
	}
	if f.Participation != nil {
		p.PartOpen = f.Participation.Open()
		p.MayGuide = casework.May(a, process.ActEditDossier, casework.DossierRelation(a, *f.Participation))
		p.MayClose = p.PartOpen && casework.May(a, process.ActCloseDossier, casework.DossierRelation(a, *f.Participation))
		if step := closeWaits(f); p.MayClose && step != "" {
			p.MayClose, p.CloseWaits = false, closeWaitsMessage(step)
		}
	}
	if f.Plan != nil {
		pv := planView(f.Def.Policy, *f.Plan)
		p.Plan = &pv
	}
	p.PlanVersions = f.PlanVersions
	for _, t := range f.Trajectories {
		tv := TrajectoryView{Trajectory: t, ProviderName: providerName(f.Def.Policy, t.Provider), Running: t.Status == casework.TrajectoryRunning}
		for i := range f.Registrations {
			if f.Registrations[i].TrajectoryID == t.ID {
				tv.Registration = &f.Registrations[i]
			}
		}
		_, hasProvider := f.Def.Policy.Provider(t.Provider)
		tv.MayRegister = tv.Running && hasProvider && p.MayGuide && p.PartOpen && (tv.Registration == nil || !tv.Registration.Active())
		p.Trajectories = append(p.Trajectories, tv)
	}
	for _, rg := range f.Registrations {
		rv := RegistrationView{Registration: rg, ProviderName: providerName(f.Def.Policy, rg.Provider)}
		for _, t := range f.Trajectories {
			if t.ID == rg.TrajectoryID {
				rv.TrajectoryTitle = t.Title
			}
		}
		p.Registrations = append(p.Registrations, rv)
	}
	now := s.Process.Now()
	for _, ap := range f.Appointments {
		av := AppointmentView{Appointment: ap, RoomName: ap.Room, Past: ap.EndAt.Before(now), StatusName: process.AppointmentStatusNames[ap.Status]}
		if room, ok := s.Process.Config().Room(ap.Room); ok {
			av.RoomName = room.Name
		}
		begun := !ap.StartAt.After(now)
		switch {
		case ap.Cancelled && ap.Status == process.AppointmentLapsed:
			av.StatusName = process.AppointmentStatusNames[ap.Status]
		case ap.Cancelled:
			av.StatusName = "Geannuleerd"
		case ap.Planned() && av.Past:
			av.StatusName = "Voorbij: leg vast of de klant kwam"
		case ap.Planned() && begun:
			av.StatusName = "Begonnen: leg vast of de klant kwam"
		}
		may := ap.Planned() && casework.May(a, process.ActChangeAppointment, casework.AppointmentRelation(a, ap))
		av.MayCancel, av.MayMove, av.MayMark = may && !begun, may && !begun, may && begun
		p.Appointments = append(p.Appointments, av)
	}
	for _, m := range f.Messages {
		p.Messages = append(p.Messages, messageView(m, now, false))
	}
	p.Timeline = timelineView(a, f, cp.History)
	p.Documents = s.documentsView(a, cp)
	p.SignedPlan, p.PrintedPlan = planDocuments(f, p.Documents.Items)
	return s.render(w, r, http.StatusOK, "case", &p)
}

// MeldingClientPage is the page of a client who only reported (younger
// than the minimum age, Pw art. 41): their meldingen and history.
type MeldingClientPage struct {
	Layout
	Header    CaseHeader
	Meldingen []casework.Melding
	MinAge    int
	Documents DocumentsView // the melding's letter
	Timeline  TimelineView
}

func (s *server) meldingClientPage(w http.ResponseWriter, r *http.Request, cp casework.ClientPage, header CaseHeader) error {
	f := cp.File
	p := MeldingClientPage{Layout: s.base(r, "Dossier "+f.Client.Name()), Header: header, Meldingen: f.Meldingen, MinAge: f.Def.Policy.MinimumAge,
		Timeline: timelineView(actor(r), f, cp.History), Documents: s.documentsView(actor(r), cp)}
	// Contact moments and notes belong to a case; a melding has none.
	p.Timeline.MayWrite = false
	// Uploads and letters by hand are about a case, too.
	p.Documents.Upload, p.Documents.MayLetter = nil, false
	return s.render(w, r, http.StatusOK, "client_melding", &p)
}

// planDocuments finds, among the client's documents (newest first), the
// latest plan's signed document and the plan printed last for signature.
func planDocuments(f casework.ClientFile, docs []DocumentView) (signed, printed *DocumentView) {
	if f.Participation == nil || f.Plan == nil {
		return nil, nil
	}
	for i := range docs {
		d := &docs[i]
		if d.ID == f.Plan.SignedDocumentID {
			signed = d
		}
		if printed == nil && d.CaseID == f.Participation.ID && d.Status == casework.DocumentForSignature {
			printed = d
		}
	}
	return signed, printed
}

func providerName(p process.Policy, key string) string {
	if key == "" {
		return "Eigen traject"
	}
	if pr, ok := p.Provider(key); ok {
		return pr.Name
	}
	return key
}

func ladderName(p process.Policy, n int) string {
	if n >= 1 && n <= len(p.Ladder) {
		return p.Ladder[n-1]
	}
	return ""
}

func planView(pol process.Policy, pl casework.Plan) PlanView {
	pv := PlanView{Plan: pl, LadderNowName: ladderName(pol, pl.LadderNow), LadderTargetName: ladderName(pol, pl.LadderTarget)}
	for _, t := range pl.Trajectories {
		pv.Planned = append(pv.Planned, PlannedView{Provider: providerName(pol, t.Provider), Goal: t.Goal, Activities: nonEmptyLines(t.Activities)})
	}
	return pv
}

func nonEmptyLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// recordView shows a step record with the form's labels.
func (s *server) recordView(f casework.ClientFile, rec casework.StepRecord) RecordView {
	rv := RecordView{ActorName: rec.ActorName, At: rec.At, Title: string(rec.Step), Items: s.Clients.RecordItems(f, rec)}
	if st, ok := f.Def.Step(rec.Step); ok {
		rv.Title = st.Title
	}
	return rv
}
