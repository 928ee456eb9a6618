package fake

import (
	"context"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// CaseloadFns are the functions of the CaseloadService, embedded in
// Service: set them as svc.MyDossiersFn = ….
type CaseloadFns struct {
	MyDossiersFn       func(ctx context.Context, a casework.Actor, cursor string) (casework.Caseload, error)
	TeamDossiersFn     func(ctx context.Context, a casework.Actor, q casework.CaseloadQuery) (casework.TeamCaseload, error)
	TransferDossiersFn func(ctx context.Context, a casework.Actor, v casework.Values) (casework.Transfer, error)
}

func (s *CaseloadFns) MyDossiers(ctx context.Context, a casework.Actor, cursor string) (casework.Caseload, error) {
	if s.MyDossiersFn == nil {
		return casework.Caseload{}, notSet("MyDossiers")
	}
	return s.MyDossiersFn(ctx, a, cursor)
}

func (s *CaseloadFns) TeamDossiers(ctx context.Context, a casework.Actor, q casework.CaseloadQuery) (casework.TeamCaseload, error) {
	if s.TeamDossiersFn == nil {
		return casework.TeamCaseload{}, notSet("TeamDossiers")
	}
	return s.TeamDossiersFn(ctx, a, q)
}

func (s *CaseloadFns) TransferDossiers(ctx context.Context, a casework.Actor, v casework.Values) (casework.Transfer, error) {
	if s.TransferDossiersFn == nil {
		return casework.Transfer{}, notSet("TransferDossiers")
	}
	return s.TransferDossiersFn(ctx, a, v)
}

// ContactFns are the functions of the ContactService, embedded in Service.
type ContactFns struct {
	NoteOptionsFn    func(ctx context.Context, a casework.Actor, clientID int64) (map[string][]process.Option, error)
	AddContactFn     func(ctx context.Context, a casework.Actor, clientID int64, v casework.Values) (casework.ContactMoment, error)
	ContactFn        func(ctx context.Context, a casework.Actor, clientID, id int64) (casework.ContactMoment, error)
	UpdateContactFn  func(ctx context.Context, a casework.Actor, clientID, id int64, version int, v casework.Values) error
	AddNoteFn        func(ctx context.Context, a casework.Actor, clientID int64, v casework.Values) (casework.Note, error)
	NoteFn           func(ctx context.Context, a casework.Actor, clientID, id int64) (casework.Note, error)
	UpdateNoteFn     func(ctx context.Context, a casework.Actor, clientID, id int64, version int, v casework.Values) error
	ContactHistoryFn func(ctx context.Context, a casework.Actor, clientID int64) ([]casework.TimelineEntry, error)
}

func (s *ContactFns) NoteOptions(ctx context.Context, a casework.Actor, clientID int64) (map[string][]process.Option, error) {
	if s.NoteOptionsFn == nil {
		return nil, notSet("NoteOptions")
	}
	return s.NoteOptionsFn(ctx, a, clientID)
}

func (s *ContactFns) AddContact(ctx context.Context, a casework.Actor, clientID int64, v casework.Values) (casework.ContactMoment, error) {
	if s.AddContactFn == nil {
		return casework.ContactMoment{}, notSet("AddContact")
	}
	return s.AddContactFn(ctx, a, clientID, v)
}

func (s *ContactFns) Contact(ctx context.Context, a casework.Actor, clientID, id int64) (casework.ContactMoment, error) {
	if s.ContactFn == nil {
		return casework.ContactMoment{}, notSet("Contact")
	}
	return s.ContactFn(ctx, a, clientID, id)
}

func (s *ContactFns) UpdateContact(ctx context.Context, a casework.Actor, clientID, id int64, version int, v casework.Values) error {
	if s.UpdateContactFn == nil {
		return notSet("UpdateContact")
	}
	return s.UpdateContactFn(ctx, a, clientID, id, version, v)
}

func (s *ContactFns) AddNote(ctx context.Context, a casework.Actor, clientID int64, v casework.Values) (casework.Note, error) {
	if s.AddNoteFn == nil {
		return casework.Note{}, notSet("AddNote")
	}
	return s.AddNoteFn(ctx, a, clientID, v)
}

func (s *ContactFns) Note(ctx context.Context, a casework.Actor, clientID, id int64) (casework.Note, error) {
	if s.NoteFn == nil {
		return casework.Note{}, notSet("Note")
	}
	return s.NoteFn(ctx, a, clientID, id)
}

func (s *ContactFns) UpdateNote(ctx context.Context, a casework.Actor, clientID, id int64, version int, v casework.Values) error {
	if s.UpdateNoteFn == nil {
		return notSet("UpdateNote")
	}
	return s.UpdateNoteFn(ctx, a, clientID, id, version, v)
}

func (s *ContactFns) ContactHistory(ctx context.Context, a casework.Actor, clientID int64) ([]casework.TimelineEntry, error) {
	if s.ContactHistoryFn == nil {
		return nil, notSet("ContactHistory")
	}
	return s.ContactHistoryFn(ctx, a, clientID)
}

// pilotContacts is the ContactService of Pilot: no contact moments or notes
// (every case page asks for them); every other method unset.
func pilotContacts() ContactFns {
	return ContactFns{ContactHistoryFn: func(context.Context, casework.Actor, int64) ([]casework.TimelineEntry, error) {
		return nil, nil
	}}
}
