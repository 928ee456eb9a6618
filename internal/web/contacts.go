package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Contact moments and notes on the client's case page: each form has its
// own page, so a refused submit shows it again with the input kept (422
// with the messages, 409 with the reason). They land in the Historie
// section of the case page.

// noteFile loads the client of a contact or note page with the choices of
// its forms.
func (s *server) noteFile(r *http.Request) (casework.ClientFile, map[string][]process.Option, error) {
	id, err := pathID(r, "id", "De klant")
	if err != nil {
		return casework.ClientFile{}, nil, err
	}
	f, err := s.Clients.ClientFile(r.Context(), actor(r), id)
	if err != nil {
		return casework.ClientFile{}, nil, err
	}
	opts, err := s.Contacts.NoteOptions(r.Context(), actor(r), id)
	return f, opts, err
}

// contactPage is the contact form: new (id 0) or a change of contact id
// from version.
func contactPage(f casework.ClientFile, opts map[string][]process.Option, vals url.Values, id int64, version int) formPage {
	fp := formPage{heading: "Contact vastleggen",
		intro: []string{"Leg een telefoongesprek, bezoek, brief of e-mail met de klant vast. U kunt het tot " +
			strconv.Itoa(process.NoteEditHours) + " uur na het vastleggen nog wijzigen; daarna staat het vast."},
		spec: formSpec{form: process.ContactForm(), values: vals, dyn: opts, action: fmt.Sprintf("/klanten/%d/contactmomenten", f.Client.ID),
			submit: "Contact vastleggen", cancel: caseLink(f, "historie")}}
	if id != 0 {
		fp.heading, fp.intro = "Contactmoment wijzigen", []string{"De eerdere inhoud blijft zichtbaar in de historie van de klant."}
		fp.spec.action, fp.spec.submit = fmt.Sprintf("/klanten/%d/contactmomenten/%d/wijzigen", f.Client.ID, id), "Wijziging opslaan"
		fp.spec.hidden = []Hidden{{Name: process.FieldVersion, Value: strconv.Itoa(version)}}
	}
	return fp
}

// notePage is the note form: new (id 0) or a change of note id from version.
func notePage(f casework.ClientFile, opts map[string][]process.Option, vals url.Values, id int64, version int) formPage {
	fp := formPage{heading: "Notitie toevoegen",
		intro: []string{"Een notitie staat in de historie van de klant. U kunt haar tot " +
			strconv.Itoa(process.NoteEditHours) + " uur na het schrijven nog wijzigen; daarna staat zij vast."},
		spec: formSpec{form: process.NoteForm(), values: vals, dyn: opts, action: fmt.Sprintf("/klanten/%d/notities", f.Client.ID),
			submit: "Notitie opslaan", cancel: caseLink(f, "historie")}}
	if id != 0 {
		fp.heading, fp.intro = "Notitie wijzigen", []string{"De eerdere tekst blijft zichtbaar in de historie van de klant."}
		fp.spec.action, fp.spec.submit = fmt.Sprintf("/klanten/%d/notities/%d/wijzigen", f.Client.ID, id), "Wijziging opslaan"
		fp.spec.hidden = []Hidden{{Name: process.FieldVersion, Value: strconv.Itoa(version)}}
	}
	return fp
}

// firstCase is the case the forms start on: the first choice (the
// participation case when there is one).
func firstCase(opts map[string][]process.Option) string {
	if cs := opts[process.SourceClientCases]; len(cs) > 0 {
		return cs[0].Value
	}
	return ""
}

func (s *server) contactForm(w http.ResponseWriter, r *http.Request) error {
	if err := casework.AuthorizeRole(actor(r), process.ActWriteNote); err != nil {
		return err
	}
	f, opts, err := s.noteFile(r)
	if err != nil {
		return err
	}
	now := s.Process.Now().In(process.Amsterdam)
	v := url.Values{process.FieldCase: {firstCase(opts)}, process.FieldDate: {casework.FormatDate(now)}, process.FieldTime: {now.Format("15:04")}}
	return s.renderFormPage(w, r, http.StatusOK, &f, contactPage(f, opts, v, 0, 0), nil)
}

func (s *server) contactAdd(w http.ResponseWriter, r *http.Request) error {
	vals, err := formValues(w, r)
	if err != nil {
		return err
	}
	f, opts, err := s.noteFile(r)
	if err != nil {
		return err
	}
	if _, err := s.Contacts.AddContact(r.Context(), actor(r), f.Client.ID, vals); err != nil {
		return withForm(err, func(status int, err error) error {
			return s.renderFormPage(w, r, status, &f, contactPage(f, opts, vals, 0, 0), err)
		})
	}
	return s.redirect(w, r, caseLink(f, "historie"), "ok", "Contactmoment vastgelegd.")
}

// contactValues fills the contact form with a recorded contact moment.
func contactValues(c casework.ContactMoment) url.Values {
	return url.Values{process.FieldCase: {strconv.FormatInt(c.CaseID, 10)}, process.FieldContactKind: {c.Kind},
		process.FieldDirection: {c.Direction}, process.FieldDate: {casework.FormatDate(c.At)},
		process.FieldTime: {c.At.In(process.Amsterdam).Format("15:04")}, process.FieldSummary: {c.Summary}}
}

func (s *server) contactEditForm(w http.ResponseWriter, r *http.Request) error {
	cid, err := pathID(r, "cid", "Het contactmoment")
	if err != nil {
		return err
	}
	f, opts, err := s.noteFile(r)
	if err != nil {
		return err
	}
	c, err := s.Contacts.Contact(r.Context(), actor(r), f.Client.ID, cid)
	if err != nil {
		return err
	}
	return s.renderFormPage(w, r, http.StatusOK, &f, contactPage(f, opts, contactValues(c), c.ID, c.Version), nil)
}

func (s *server) contactEdit(w http.ResponseWriter, r *http.Request) error {
	cid, err := pathID(r, "cid", "Het contactmoment")
	if err != nil {
		return err
	}
	vals, err := formValues(w, r)
	if err != nil {
		return err
	}
	f, opts, err := s.noteFile(r)
	if err != nil {
		return err
	}
	version := intField(vals, process.FieldVersion)
	if err := s.Contacts.UpdateContact(r.Context(), actor(r), f.Client.ID, cid, version, vals); err != nil {
		return withForm(err, func(status int, err error) error {
			fp := contactPage(f, opts, vals, cid, version)
			return s.renderNoteForm(w, r, status, f, fp, err)
		})
	}
	return s.redirect(w, r, caseLink(f, "historie"), "ok", "Contactmoment gewijzigd; de eerdere inhoud staat in de historie.")
}

// renderNoteForm shows a refused change again. A change refused because
// the 24 hours have passed keeps the text to copy into a new note but
// offers no submit button.
func (s *server) renderNoteForm(w http.ResponseWriter, r *http.Request, status int, f casework.ClientFile, fp formPage, err error) error {
	p := FormPage{Layout: s.base(r, fp.heading), Heading: fp.heading, Intro: fp.intro, Form: buildForm(fp.spec, err), Back: fp.spec.cancel}
	h := caseHeader(f, false, false)
	p.Header, p.BackText = &h, "Terug naar het dossier van "+f.Client.Name()
	p.Form.Disabled = errors.Is(err, casework.ErrFixed)
	return s.render(w, r, status, "form", &p)
}

func (s *server) noteForm(w http.ResponseWriter, r *http.Request) error {
	if err := casework.AuthorizeRole(actor(r), process.ActWriteNote); err != nil {
		return err
	}
	f, opts, err := s.noteFile(r)
	if err != nil {
		return err
	}
	v := url.Values{process.FieldCase: {firstCase(opts)}}
	return s.renderFormPage(w, r, http.StatusOK, &f, notePage(f, opts, v, 0, 0), nil)
}

func (s *server) noteAdd(w http.ResponseWriter, r *http.Request) error {
	vals, err := formValues(w, r)
	if err != nil {
		return err
	}
	f, opts, err := s.noteFile(r)
	if err != nil {
		return err
	}
	if _, err := s.Contacts.AddNote(r.Context(), actor(r), f.Client.ID, vals); err != nil {
		return withForm(err, func(status int, err error) error {
			return s.renderFormPage(w, r, status, &f, notePage(f, opts, vals, 0, 0), err)
		})
	}
	return s.redirect(w, r, caseLink(f, "historie"), "ok", "Notitie opgeslagen.")
}

func (s *server) noteEditForm(w http.ResponseWriter, r *http.Request) error {
	nid, err := pathID(r, "nid", "De notitie")
	if err != nil {
		return err
	}
	f, opts, err := s.noteFile(r)
	if err != nil {
		return err
	}
	n, err := s.Contacts.Note(r.Context(), actor(r), f.Client.ID, nid)
	if err != nil {
		return err
	}
	v := url.Values{process.FieldCase: {strconv.FormatInt(n.CaseID, 10)}, process.FieldNote: {n.Body}}
	return s.renderFormPage(w, r, http.StatusOK, &f, notePage(f, opts, v, n.ID, n.Version), nil)
}

func (s *server) noteEdit(w http.ResponseWriter, r *http.Request) error {
	nid, err := pathID(r, "nid", "De notitie")
	if err != nil {
		return err
	}
	vals, err := formValues(w, r)
	if err != nil {
		return err
	}
	f, opts, err := s.noteFile(r)
	if err != nil {
		return err
	}
	version := intField(vals, process.FieldVersion)
	if err := s.Contacts.UpdateNote(r.Context(), actor(r), f.Client.ID, nid, version, vals); err != nil {
		return withForm(err, func(status int, err error) error {
			return s.renderNoteForm(w, r, status, f, notePage(f, opts, vals, nid, version), err)
		})
	}
	return s.redirect(w, r, caseLink(f, "historie"), "ok", "Notitie gewijzigd; de eerdere tekst staat in de historie.")
}

// TimelineView is the Historie section of the case page: history lines,
// contact moments and notes in time order.
type TimelineView struct {
	ClientID int64
	Items    []TimelineItem
	MayWrite bool // show "Contact vastleggen" and "Notitie toevoegen"
	// Paging: to the newer and older pages of the history ("Nieuwere",
	// "Eerdere"); the contact moments and notes go with the page whose
	// span of time holds them (casework.HistoryPage).
	Paging Paging
}

// TimelineItem is one line of the timeline, ready to show.
type TimelineItem struct {
	Kind        string // casework.Timeline…
	At          time.Time
	Actor       string
	Title       string // "Contactmoment: telefoon, inkomend"; empty for a history line
	Text        string
	DetailLabel string // "Reden", "Eerder"
	Detail      string
	CaseCode    string
	Changed     time.Time // when a contact moment or note was last changed
	EditHref    string    // the actor may change it until EditUntil
	EditUntil   time.Time
	Fixed       string // why it can no longer be changed
}

// timelineView merges the client's contact moments and notes (h,
// casework.ContactHistory) with the file's page of history: those whose
// moment the page's span holds.
func timelineView(a casework.Actor, f casework.ClientFile, h []casework.TimelineEntry) TimelineView {
	tv := TimelineView{ClientID: f.Client.ID, MayWrite: casework.May(a, process.ActWriteNote, f.Relation),
		Paging: historyPaging(f.Client.ID, f.History.Page)}
	shown := h[:0:0]
	for _, e := range h {
		if f.History.Covers(e.At) {
			shown = append(shown, e)
		}
	}
	for _, e := range casework.Timeline(f.Events, shown) {
		it := TimelineItem{Kind: e.Kind, At: e.At, Fixed: e.Fixed}
		switch e.Kind {
		case casework.TimelineEvent:
			it.Actor, it.Text, it.Detail, it.DetailLabel = e.Event.ActorName, e.Event.Summary, e.Event.Reason, "Reden"
			if e.Event.Kind == casework.EventContactChanged || e.Event.Kind == casework.EventNoteChanged {
				it.DetailLabel = "Eerder"
			}
		case casework.TimelineContact:
			c := e.Contact
			it.Actor, it.Text, it.CaseCode, it.Changed = c.AuthorName, c.Summary, c.CaseCode, c.UpdatedAt
			it.Title = "Contactmoment: " + strings.ToLower(process.ContactKindNames[c.Kind]) + ", " + directionName(c.Direction)
			if e.MayEdit {
				it.EditHref = fmt.Sprintf("/klanten/%d/contactmomenten/%d/wijzigen", f.Client.ID, c.ID)
			}
		case casework.TimelineNote:
			n := e.Note
			it.Actor, it.Text, it.CaseCode, it.Changed, it.Title = n.AuthorName, n.Body, n.CaseCode, n.UpdatedAt, "Notitie"
			if e.MayEdit {
				it.EditHref = fmt.Sprintf("/klanten/%d/notities/%d/wijzigen", f.Client.ID, n.ID)
			}
		}
		if it.EditHref != "" {
			it.EditUntil = e.EditUntil
		}
		tv.Items = append(tv.Items, it)
	}
	return tv
}

// historyPaging links the pages of client id's history: on the client's
// page, at its Historie section.
func historyPaging(id int64, p casework.Page) Paging {
	pg := pagingLinks(fmt.Sprintf("/klanten/%d", id), url.Values{}, p)
	for _, l := range []*string{&pg.Prev, &pg.Next} {
		if *l != "" {
			*l += "#historie"
		}
	}
	pg.PrevText, pg.NextText = "Nieuwere", "Eerdere"
	return pg
}

// directionName names a contact moment's direction in a sentence.
func directionName(d string) string {
	switch d {
	case process.DirectionIn:
		return "inkomend"
	case process.DirectionOut:
		return "uitgaand"
	}
	return d
}
