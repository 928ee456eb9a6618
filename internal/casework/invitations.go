package casework

import "time"

// Invitations writes the calendar invitation (RFC 5545/5546) that goes with
// an appointment's mail. internal/ics implements it; the use cases only
// say what the entry is.
type Invitations interface {
	Invitation(e CalendarEvent) (Attachment, error)
}

// CalendarEvent is an appointment as an entry in the client's and the
// klantmanager's calendars. One UID per appointment; the sequence rises
// with each change, so calendars update the one entry.
type CalendarEvent struct {
	Cancel      bool // a cancellation instead of an invitation or update
	UID         string
	Sequence    int
	Stamp       time.Time
	Summary     string
	Description string
	Location    string
	Start, End  time.Time
	Organizer   Person
	Attendees   []Person
}

// Person is an organizer or attendee of a calendar entry.
type Person struct {
	Name  string
	Email string
}

// Attachment is a file that goes with a mail.
type Attachment struct {
	Name        string
	ContentType string
	Body        []byte
}
