package casework

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

type handoverMail struct {
	mailCommon
	Label, Team, Step, CaseCode, Worklist, Due, URL string
}

// handoverMessage writes the source's hand-over e-mail ("E-mail TOP", ...)
// to the receiving team's mailbox. It names the task and links to it; it
// carries no BSN and no client details: the recipient reads those in the
// system after logging in.
func (s *core) handoverMessage(ctx context.Context, tx OutboxTx, def *process.Definition, t Task, step process.Step, team process.Team, label, caseCode string) error {
	d := &handoverMail{Label: label, Team: team.Name, Step: step.Title, CaseCode: caseCode, Worklist: team.Worklist,
		URL: fmt.Sprintf("%s/taken/%d", s.cfg.BaseURL, t.ID)}
	if !t.DueOn.IsZero() {
		d.Due = FormatDate(t.DueOn)
	}
	m := &Message{ClientID: t.ClientID, CaseID: t.CaseID, TaskID: t.ID, Kind: label,
		From: s.cfg.Sender, To: team.Mailbox, ToName: team.Name}
	if err := s.renderMail(m, "overdracht", d); err != nil {
		return err
	}
	return s.enqueue(ctx, tx, m)
}

// Changes of an appointment, as the mails name them.
const (
	changeNew       = "nieuw"
	changeMoved     = "verplaatst"
	changeCancelled = "geannuleerd"
)

// appointmentMailKinds names the outbox kind per change: to the client,
// to the klantmanager.
var appointmentMailKinds = map[string][2]string{
	changeNew:       {"Uitnodiging klant", "Afspraak klantmanager"},
	changeMoved:     {"Verplaatsing klant", "Verplaatsing klantmanager"},
	changeCancelled: {"Annulering klant", "Annulering klantmanager"},
}

type appointmentMail struct {
	mailCommon
	Name, Change, Kind, When, Until, Place, With, Previous, Mailbox, URL string
	ForClient                                                            bool
	// For the client, in plain words: what the meeting is for, the street
	// address and how to reach the municipality. (A client without an
	// e-mail address gets the uitnodiging letter instead: tellAppointment.)
	Purpose, Address, Municipality, Phone, PhoneHours string
}

// appointmentMessages sends the client (from the shared mailbox) and the
// klantmanager an e-mail with the appointment as a calendar invitation:
// METHOD:REQUEST for a new or moved appointment, METHOD:CANCEL for a
// cancelled one, always with the appointment's UID and current SEQUENCE so
// that calendars update the one entry. previous is the old time of a moved
// appointment.
func (s *core) appointmentMessages(ctx context.Context, tx OutboxTx, def *process.Definition, client Client, ap Appointment, km User, room Room, change, previous string) error {
	kind := process.AppointmentKindNames[ap.Kind]
	clientKind := process.AppointmentKindClientNames[ap.Kind]
	if clientKind == "" {
		clientKind = kind
	}
	place := room.Name
	if room.Location != "" {
		place += ", " + room.Location
	}
	address := room.Address
	if address == "" {
		address = s.cfg.Contact.Address
	}
	// The client's calendar names the municipality, not an internal team.
	organizer := Person{Name: upperFirst(s.cfg.Contact.Municipality), Email: def.Policy.ClientMailbox}
	if organizer.Name == "" {
		organizer.Name = "Gemeente"
	}
	var attendees []Person
	if client.Email != "" {
		attendees = append(attendees, Person{Name: client.Name(), Email: client.Email})
	}
	if km.Email != "" {
		attendees = append(attendees, Person{Name: km.Name, Email: km.Email})
	}
	caseURL := fmt.Sprintf("%s/klanten/%d", s.cfg.BaseURL, client.ID)
	recipients := []struct {
		to, name, description string
		forClient             bool
	}{
		{client.Email, client.Name(), fmt.Sprintf("%s met %s. Kunt u niet? Bel ons op %s.", clientKind, km.Name, s.cfg.Contact.Phone), true},
		{km.Email, km.Name, "Werkdiagnose, dossier: " + caseURL, false},
	}
	for _, r := range recipients {
		if r.to == "" && r.forClient {
			continue // a letter by post instead (tellAppointment)
		}
		d := &appointmentMail{Name: r.name, Change: change, Kind: kind,
			When: FormatDateTime(ap.StartAt), Until: ap.EndAt.In(process.Amsterdam).Format("15:04"), Place: place,
			Previous: previous, Mailbox: def.Policy.ClientMailbox, URL: caseURL, ForClient: r.forClient, With: km.Name}
		m := &Message{ClientID: client.ID, CaseID: ap.CaseID, Kind: appointmentMailKinds[change][0],
			From: def.Policy.ClientMailbox, To: r.to, ToName: r.name}
		summary, location := kind, place
		if r.forClient {
			d.With = km.Name + " (klantmanager)"
			d.Kind, d.Purpose, d.Address = clientKind, process.AppointmentKindPurposes[ap.Kind], address
			d.Municipality, d.Phone, d.PhoneHours = s.cfg.Contact.Municipality, s.cfg.Contact.Phone, s.cfg.Contact.PhoneHours
			summary = clientKind
			d.Footer = "Deze e-mail is automatisch verstuurd door de " + d.Municipality + "."
			if address != "" {
				location = place + ", " + address
			}
		} else {
			m.Kind, m.From = appointmentMailKinds[change][1], s.cfg.Sender
			d.With = client.Name()
		}
		if err := s.renderMail(m, "afspraak", d); err != nil {
			return err
		}
		if r.to != "" {
			att, err := s.invites.Invitation(CalendarEvent{Cancel: change == changeCancelled, UID: ap.UID, Sequence: ap.Sequence,
				Stamp: s.clock.Now(), Summary: summary, Description: r.description, Location: location, Start: ap.StartAt, End: ap.EndAt,
				Organizer: organizer, Attendees: attendees})
			if err != nil {
				return fmt.Errorf("invitation %s: %w", ap.UID, err)
			}
			m.AttachmentName, m.AttachmentType, m.Attachment = att.Name, att.ContentType, string(att.Body)
		}
		if err := s.enqueue(ctx, tx, m); err != nil {
			return err
		}
	}
	return nil
}

// upperFirst writes s with a capital first letter ("Gemeente Ridderkerk").
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return strings.ToUpper(string(r)) + s[n:]
}
