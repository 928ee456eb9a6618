package casework

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// ContactMoment is a contact with a client (by telephone, a visit, a letter
// or an e-mail, in or out) on one of the client's cases. Its author may
// change it for process.NoteEditHours after recording it.
type ContactMoment struct {
	ID        int64
	ClientID  int64
	CaseID    int64
	Kind      string // process.Contact…
	Direction string // process.DirectionIn or DirectionOut
	At        time.Time
	Summary   string
	AuthorID  int64
	CreatedAt time.Time
	UpdatedAt time.Time // zero until changed
	Version   int
	// Joined for display.
	AuthorName string // as it was when recorded
	CaseCode   string
}

// Note is a free-text note on one of a client's cases. Its author may
// change it for process.NoteEditHours after writing it.
type Note struct {
	ID        int64
	ClientID  int64
	CaseID    int64
	Body      string
	AuthorID  int64
	CreatedAt time.Time
	UpdatedAt time.Time // zero until changed
	Version   int
	// Joined for display.
	AuthorName string // as it was when written
	CaseCode   string
}

// ContactTx keeps contact moments and notes. They are inserted and, by a
// versioned update, changed; never deleted. Lists are oldest first.
type ContactTx interface {
	AddContact(ctx context.Context, c *ContactMoment) error
	// UpdateContact writes kind, direction, time, summary, case and
	// UpdatedAt if c.Version is still current and increments it.
	UpdateContact(ctx context.Context, c *ContactMoment) error
	ContactByID(ctx context.Context, id int64) (ContactMoment, error)
	// ContactsByClient returns the client's contact moments whose moment of
	// contact lies in the span (Span.Covers).
	ContactsByClient(ctx context.Context, clientID int64, within Span) ([]ContactMoment, error)
	AddNote(ctx context.Context, n *Note) error
	// UpdateNote writes body, case and UpdatedAt if n.Version is still
	// current and increments it.
	UpdateNote(ctx context.Context, n *Note) error
	NoteByID(ctx context.Context, id int64) (Note, error)
	// NotesByClient returns the client's notes written in the span
	// (Span.Covers).
	NotesByClient(ctx context.Context, clientID int64, within Span) ([]Note, error)
}

// ContactAreaTx is what the contact history use cases read and write.
type ContactAreaTx interface {
	ContactTx
	CaseTx
	ClientTx
	EventTx
}

// ContactService records contact moments and notes on a client and shows
// them, with the history, on the client's timeline.
type ContactService interface {
	// NoteOptions are the choices of the contact and note forms of a
	// client: the client's cases.
	NoteOptions(ctx context.Context, a Actor, clientID int64) (map[string][]process.Option, error)
	AddContact(ctx context.Context, a Actor, clientID int64, v Values) (ContactMoment, error)
	// Contact returns a contact moment of the client for its edit form;
	// forbidden or conflict (with the reason) when the actor may not
	// change it (any more).
	Contact(ctx context.Context, a Actor, clientID, id int64) (ContactMoment, error)
	UpdateContact(ctx context.Context, a Actor, clientID, id int64, version int, v Values) error
	AddNote(ctx context.Context, a Actor, clientID int64, v Values) (Note, error)
	// Note returns a note of the client for its edit form, refused as
	// Contact is.
	Note(ctx context.Context, a Actor, clientID, id int64) (Note, error)
	UpdateNote(ctx context.Context, a Actor, clientID, id int64, version int, v Values) error
	// ContactHistory is the client's contact moments and notes, in time
	// order, for the timeline (see Timeline).
	ContactHistory(ctx context.Context, a Actor, clientID int64) ([]TimelineEntry, error)
}

// Contacts records contact moments and notes and builds the timeline.
type Contacts struct {
	*core
	store Transactor[ContactAreaTx]
}

var _ ContactService = (*Contacts)(nil)

// Kinds of timeline entries.
const (
	TimelineEvent   = "event"
	TimelineContact = "contact"
	TimelineNote    = "note"
)

// Kinds of the history lines of a change.
const (
	EventContactChanged = "contact_gewijzigd"
	EventNoteChanged    = "notitie_gewijzigd"
)

// TimelineEntry is one line of a client's timeline: a history event, a
// contact moment or a note, with whether the actor may still change it.
type TimelineEntry struct {
	Kind    string // Timeline…
	At      time.Time
	Event   Event
	Contact ContactMoment
	Note    Note
	// MayEdit: the actor wrote it and the 24 hours have not passed.
	MayEdit   bool
	EditUntil time.Time
	// Fixed says why nobody can change it any more, once the 24 hours
	// have passed.
	Fixed string
}

// editRule is the rule for changing a contact moment or note: only its
// author, only within process.NoteEditHours of recording it. what names
// it in the refusal ("Dit contactmoment").
func (s *core) editRule(a Actor, authorID int64, created time.Time, what string) error {
	if err := Authorize(a, process.ActEditNote, process.Owner(a.User.ID, authorID)); err != nil {
		return err
	}
	until := editUntil(created)
	if !s.clock.Now().Before(until) {
		return &Error{Code: CodeConflict, Err: ErrFixed, Message: fmt.Sprintf(
			"%s is vastgelegd op %s en staat sinds %s vast: wijzigen kan alleen binnen %d uur na het vastleggen. Leg een aanvulling vast als nieuwe notitie.",
			what, FormatDateTime(created), FormatDateTime(until), process.NoteEditHours)}
	}
	return nil
}

// ErrFixed is the cause of the refusal to change a contact moment or note
// after the hours its author had for it.
var ErrFixed = errors.New("fixed: the time to change it has passed")

func editUntil(created time.Time) time.Time {
	return created.Add(process.NoteEditHours * time.Hour)
}

// fixedText says why an entry can no longer be changed.
func fixedText(created time.Time) string {
	return fmt.Sprintf("Staat vast sinds %s: wijzigen kan alleen binnen %d uur na het vastleggen.",
		FormatDateTime(editUntil(created)), process.NoteEditHours)
}

// clientCases returns the cases of a client, and the options of the case
// field built from them.
func clientCases(ctx context.Context, tx CaseTx, clientID int64) ([]Case, []process.Option, error) {
	cases, err := tx.CasesByClient(ctx, clientID)
	if err != nil {
		return nil, nil, err
	}
	cases, opts := caseOptions(cases)
	return cases, opts, nil
}

// caseOptions orders a client's cases for a choice, the participation
// first (most contact is about guidance), and makes the options. It sorts
// cases in place.
func caseOptions(cases []Case) ([]Case, []process.Option) {
	sort.SliceStable(cases, func(i, j int) bool {
		if (cases[i].Kind == process.CaseParticipatie) != (cases[j].Kind == process.CaseParticipatie) {
			return cases[i].Kind == process.CaseParticipatie
		}
		return cases[i].ID > cases[j].ID
	})
	opts := make([]process.Option, 0, len(cases))
	for _, c := range cases {
		opts = append(opts, process.Option{Value: strconv.FormatInt(c.ID, 10), Label: caseLabel(c)})
	}
	return cases, opts
}

// caseLabel names a case in a choice: "17/PA participatie, geopend 01-03-2027".
func caseLabel(c Case) string {
	kind := "aanvraag"
	if c.Kind == process.CaseParticipatie {
		kind = "participatie"
	}
	l := fmt.Sprintf("%s %s, geopend %s", c.Code, kind, FormatDate(c.OpenedAt))
	if !c.Open() {
		l += " (afgesloten)"
	}
	return l
}

// clientForNotes loads the client and its case choices for a form, after
// asking whether the actor may see the client.
func (s *Contacts) clientForNotes(ctx context.Context, tx ContactAreaTx, a Actor, act process.Action, clientID int64) ([]Case, map[string][]process.Option, error) {
	if err := mayEver(a, act); err != nil {
		return nil, nil, err
	}
	if _, err := tx.ClientByID(ctx, clientID); err != nil {
		return nil, nil, notFoundAs(err, "De klant")
	}
	if _, err := s.knowClient(ctx, tx, a, act, clientID); err != nil {
		return nil, nil, err
	}
	cases, opts, err := clientCases(ctx, tx, clientID)
	if err != nil {
		return nil, nil, err
	}
	return cases, map[string][]process.Option{process.SourceClientCases: opts}, nil
}

// NoteOptions returns the choices of the contact and note forms.
func (s *Contacts) NoteOptions(ctx context.Context, a Actor, clientID int64) (_ map[string][]process.Option, err error) {
	defer wrap(&err, "NoteOptions(clientID=%d)", clientID)
	return read(ctx, s.store, func(tx ContactAreaTx) (map[string][]process.Option, error) {
		_, opts, err := s.clientForNotes(ctx, tx, a, process.ActSeeClient, clientID)
		return opts, err
	})
}

// caseOf returns the chosen case among the client's.
func caseOf(cases []Case, id int64) Case {
	for _, c := range cases {
		if c.ID == id {
			return c
		}
	}
	return Case{}
}

// contactInput decodes and checks the contact form: the moment may not lie
// in the future.
func (s *Contacts) contactInput(v Values, opts map[string][]process.Option) (Input, time.Time, error) {
	in, errs, err := s.input(process.ContactForm(), v, opts, checkEnv{def: s.def, today: s.today()})
	if err != nil {
		return Input{}, time.Time{}, err
	}
	var at time.Time
	if d := in.Date(process.FieldDate); !d.IsZero() {
		if clock, ok := in.Clock(process.FieldTime); ok {
			at = time.Date(d.Year(), d.Month(), d.Day(), int(clock/time.Hour), int(clock%time.Hour/time.Minute), 0, 0, process.Amsterdam)
			if at.After(s.clock.Now()) {
				errs.Add(process.FieldTime, "Een contactmoment kan niet in de toekomst liggen: vul een tijd in die al geweest is.")
			}
		}
	}
	return in, at, errs.Err()
}

// AddContact records a contact moment on one of the client's cases.
func (s *Contacts) AddContact(ctx context.Context, a Actor, clientID int64, v Values) (_ ContactMoment, err error) {
	defer wrap(&err, "AddContact(clientID=%d)", clientID)
	if err := mayEver(a, process.ActWriteNote); err != nil {
		return ContactMoment{}, err
	}
	var out ContactMoment
	err = s.store.Update(ctx, func(tx ContactAreaTx) error {
		cases, opts, err := s.clientForNotes(ctx, tx, a, process.ActWriteNote, clientID)
		if err != nil {
			return err
		}
		in, at, err := s.contactInput(v, opts)
		if err != nil {
			return err
		}
		c := ContactMoment{ClientID: clientID, CaseID: in.ID(process.FieldCase), Kind: in.Text(process.FieldContactKind),
			Direction: in.Text(process.FieldDirection), At: at.UTC(), Summary: in.Text(process.FieldSummary),
			AuthorID: a.User.ID, AuthorName: a.User.Name, CreatedAt: s.clock.Now().UTC(), CaseCode: caseOf(cases, in.ID(process.FieldCase)).Code}
		if err := tx.AddContact(ctx, &c); err != nil {
			return err
		}
		out = c
		return nil
	})
	return out, err
}

// Contact returns a contact moment the actor may change.
func (s *Contacts) Contact(ctx context.Context, a Actor, clientID, id int64) (_ ContactMoment, err error) {
	defer wrap(&err, "Contact(clientID=%d, id=%d)", clientID, id)
	return read(ctx, s.store, func(tx ContactAreaTx) (ContactMoment, error) {
		c, err := s.contactOf(ctx, tx, a, clientID, id)
		if err != nil {
			return ContactMoment{}, err
		}
		return c, s.editRule(a, c.AuthorID, c.CreatedAt, "Dit contactmoment")
	})
}

func (s *Contacts) contactOf(ctx context.Context, tx ContactAreaTx, a Actor, clientID, id int64) (ContactMoment, error) {
	if err := mayEver(a, process.ActSeeClient); err != nil {
		return ContactMoment{}, err
	}
	if _, err := s.seeClient(ctx, tx, a, clientID); err != nil {
		return ContactMoment{}, err
	}
	c, err := tx.ContactByID(ctx, id)
	if err != nil || c.ClientID != clientID {
		return ContactMoment{}, notFoundAs(orNotFound(err), "Het contactmoment")
	}
	return c, nil
}

// orNotFound is err, or ErrNotFound when a record was found but is not the
// one asked for (another client's).
func orNotFound(err error) error {
	if err == nil {
		return ErrNotFound
	}
	return err
}

// UpdateContact changes a contact moment: only its author, only within 24
// hours of recording it, only from the version the form was built on. The
// earlier content goes into the client's history.
func (s *Contacts) UpdateContact(ctx context.Context, a Actor, clientID, id int64, version int, v Values) (err error) {
	defer wrap(&err, "UpdateContact(clientID=%d, id=%d)", clientID, id)
	return s.store.Update(ctx, func(tx ContactAreaTx) error {
		c, err := s.contactOf(ctx, tx, a, clientID, id)
		if err != nil {
			return err
		}
		if err := s.editRule(a, c.AuthorID, c.CreatedAt, "Dit contactmoment"); err != nil {
			return err
		}
		if err := requireVersion(version); err != nil {
			return err
		}
		if version != c.Version {
			return Conflict(fmt.Sprintf("Dit contactmoment is intussen gewijzigd (%s). Uw invoer is hieronder bewaard: vergelijk en sla opnieuw op.", FormatDateTime(c.UpdatedAt)))
		}
		cases, opts, err := s.clientForNotes(ctx, tx, a, process.ActWriteNote, clientID)
		if err != nil {
			return err
		}
		in, at, err := s.contactInput(v, opts)
		if err != nil {
			return err
		}
		before := contactText(c)
		c.CaseID, c.Kind, c.Direction = in.ID(process.FieldCase), in.Text(process.FieldContactKind), in.Text(process.FieldDirection)
		c.At, c.Summary, c.UpdatedAt = at.UTC(), in.Text(process.FieldSummary), s.clock.Now().UTC()
		c.CaseCode = caseOf(cases, c.CaseID).Code
		if err := tx.UpdateContact(ctx, &c); err != nil {
			return noteStale(err, "Dit contactmoment")
		}
		return s.event(ctx, tx, a, clientID, c.CaseID, 0, EventContactChanged,
			fmt.Sprintf("Contactmoment van %s (vastgelegd %s) gewijzigd.", FormatDateTime(c.At), FormatDateTime(c.CreatedAt)), before)
	})
}

// contactText is a contact moment as one text, for the history of a change.
func contactText(c ContactMoment) string {
	return fmt.Sprintf("%s, %s, %s, werkproces %s: %s", process.ContactKindNames[c.Kind],
		strings.ToLower(process.DirectionNames[c.Direction]), FormatDateTime(c.At), c.CaseCode, c.Summary)
}

func noteStale(err error, what string) error {
	if errors.Is(err, ErrStale) {
		return Conflict(what + " is tegelijk met uw wijziging ook gewijzigd. Uw invoer is hieronder bewaard: vergelijk en sla opnieuw op.")
	}
	return err
}

// AddNote writes a note on one of the client's cases.
func (s *Contacts) AddNote(ctx context.Context, a Actor, clientID int64, v Values) (_ Note, err error) {
	defer wrap(&err, "AddNote(clientID=%d)", clientID)
	if err := mayEver(a, process.ActWriteNote); err != nil {
		return Note{}, err
	}
	var out Note
	err = s.store.Update(ctx, func(tx ContactAreaTx) error {
		cases, opts, err := s.clientForNotes(ctx, tx, a, process.ActWriteNote, clientID)
		if err != nil {
			return err
		}
		in, errs, err := s.input(process.NoteForm(), v, opts, s.env(s.def))
		if err != nil {
			return err
		}
		if err := errs.Err(); err != nil {
			return err
		}
		n := Note{ClientID: clientID, CaseID: in.ID(process.FieldCase), Body: in.Text(process.FieldNote),
			AuthorID: a.User.ID, AuthorName: a.User.Name, CreatedAt: s.clock.Now().UTC(), CaseCode: caseOf(cases, in.ID(process.FieldCase)).Code}
		if err := tx.AddNote(ctx, &n); err != nil {
			return err
		}
		out = n
		return nil
	})
	return out, err
}

// Note returns a note the actor may change.
func (s *Contacts) Note(ctx context.Context, a Actor, clientID, id int64) (_ Note, err error) {
	defer wrap(&err, "Note(clientID=%d, id=%d)", clientID, id)
	return read(ctx, s.store, func(tx ContactAreaTx) (Note, error) {
		n, err := s.noteOf(ctx, tx, a, clientID, id)
		if err != nil {
			return Note{}, err
		}
		return n, s.editRule(a, n.AuthorID, n.CreatedAt, "Deze notitie")
	})
}

func (s *Contacts) noteOf(ctx context.Context, tx ContactAreaTx, a Actor, clientID, id int64) (Note, error) {
	if err := mayEver(a, process.ActSeeClient); err != nil {
		return Note{}, err
	}
	if _, err := s.seeClient(ctx, tx, a, clientID); err != nil {
		return Note{}, err
	}
	n, err := tx.NoteByID(ctx, id)
	if err != nil || n.ClientID != clientID {
		return Note{}, notFoundAs(orNotFound(err), "De notitie")
	}
	return n, nil
}

// UpdateNote changes a note, by the rules of UpdateContact.
func (s *Contacts) UpdateNote(ctx context.Context, a Actor, clientID, id int64, version int, v Values) (err error) {
	defer wrap(&err, "UpdateNote(clientID=%d, id=%d)", clientID, id)
	return s.store.Update(ctx, func(tx ContactAreaTx) error {
		n, err := s.noteOf(ctx, tx, a, clientID, id)
		if err != nil {
			return err
		}
		if err := s.editRule(a, n.AuthorID, n.CreatedAt, "Deze notitie"); err != nil {
			return err
		}
		if err := requireVersion(version); err != nil {
			return err
		}
		if version != n.Version {
			return Conflict(fmt.Sprintf("Deze notitie is intussen gewijzigd (%s). Uw invoer is hieronder bewaard: vergelijk en sla opnieuw op.", FormatDateTime(n.UpdatedAt)))
		}
		cases, opts, err := s.clientForNotes(ctx, tx, a, process.ActWriteNote, clientID)
		if err != nil {
			return err
		}
		in, errs, err := s.input(process.NoteForm(), v, opts, s.env(s.def))
		if err != nil {
			return err
		}
		if err := errs.Err(); err != nil {
			return err
		}
		before := n.Body
		if n.CaseCode != "" {
			before = "werkproces " + n.CaseCode + ": " + before
		}
		n.CaseID, n.Body, n.UpdatedAt = in.ID(process.FieldCase), in.Text(process.FieldNote), s.clock.Now().UTC()
		n.CaseCode = caseOf(cases, n.CaseID).Code
		if err := tx.UpdateNote(ctx, &n); err != nil {
			return noteStale(err, "Deze notitie")
		}
		return s.event(ctx, tx, a, clientID, n.CaseID, 0, EventNoteChanged,
			fmt.Sprintf("Notitie van %s gewijzigd.", FormatDateTime(n.CreatedAt)), before)
	})
}

// ContactHistory returns the client's contact moments (at the moment of
// contact) and notes (at the moment written) as timeline entries in time
// order, each with whether the actor may still change it.
func (s *Contacts) ContactHistory(ctx context.Context, a Actor, clientID int64) (_ []TimelineEntry, err error) {
	defer wrap(&err, "ContactHistory(clientID=%d)", clientID)
	if err := mayEver(a, process.ActSeeClient); err != nil {
		return nil, err
	}
	return read(ctx, s.store, func(tx ContactAreaTx) ([]TimelineEntry, error) {
		if _, err := s.seeClient(ctx, tx, a, clientID); err != nil {
			return nil, err
		}
		return s.contactHistory(ctx, tx, a, clientID, Span{})
	})
}

// contactHistory reads the client's contact moments and notes of a span of
// time as timeline entries (ContactHistory), for an actor the caller let
// see the client.
func (s *core) contactHistory(ctx context.Context, tx ContactTx, a Actor, clientID int64, within Span) ([]TimelineEntry, error) {
	now := s.clock.Now()
	contacts, err := tx.ContactsByClient(ctx, clientID, within)
	if err != nil {
		return nil, err
	}
	notes, err := tx.NotesByClient(ctx, clientID, within)
	if err != nil {
		return nil, err
	}
	out := make([]TimelineEntry, 0, len(contacts)+len(notes))
	edit := func(e *TimelineEntry, author int64, created time.Time) {
		e.EditUntil = editUntil(created)
		open := now.Before(e.EditUntil)
		e.MayEdit = open && May(a, process.ActEditNote, process.Owner(a.User.ID, author))
		if !open {
			e.Fixed = fixedText(created)
		}
	}
	for _, c := range contacts {
		e := TimelineEntry{Kind: TimelineContact, At: c.At, Contact: c}
		edit(&e, c.AuthorID, c.CreatedAt)
		out = append(out, e)
	}
	for _, n := range notes {
		e := TimelineEntry{Kind: TimelineNote, At: n.CreatedAt, Note: n}
		edit(&e, n.AuthorID, n.CreatedAt)
		out = append(out, e)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}

// Timeline merges a client's history events with its contact moments and
// notes (ContactHistory) in time order, oldest first like the history
// itself; at the same moment the history line comes first.
func Timeline(events []Event, history []TimelineEntry) []TimelineEntry {
	out := make([]TimelineEntry, 0, len(events)+len(history))
	for _, e := range events {
		out = append(out, TimelineEntry{Kind: TimelineEvent, At: e.At, Event: e})
	}
	out = append(out, history...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}
