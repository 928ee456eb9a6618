package ics

import "github.com/bar-organisatie/werkdiagnose/internal/casework"

// Invitations writes the calendar invitations of casework's appointment
// mails: casework says what the entry is, this package how RFC 5545 and
// RFC 5546 write it.
type Invitations struct{}

var _ casework.Invitations = Invitations{}

// Invitation writes e as uitnodiging.ics: METHOD:REQUEST for a new or
// moved appointment, METHOD:CANCEL for a cancelled one.
func (Invitations) Invitation(e casework.CalendarEvent) (casework.Attachment, error) {
	method := MethodRequest
	if e.Cancel {
		method = MethodCancel
	}
	attendees := make([]Person, 0, len(e.Attendees))
	for _, p := range e.Attendees {
		attendees = append(attendees, Person{Name: p.Name, Email: p.Email})
	}
	body, err := Build(Event{Method: method, UID: e.UID, Sequence: e.Sequence, Stamp: e.Stamp,
		Summary: e.Summary, Description: e.Description, Location: e.Location, Start: e.Start, End: e.End,
		Organizer: Person{Name: e.Organizer.Name, Email: e.Organizer.Email}, Attendees: attendees})
	if err != nil {
		return casework.Attachment{}, err
	}
	return casework.Attachment{Name: "uitnodiging.ics", ContentType: ContentType(method), Body: body}, nil
}
