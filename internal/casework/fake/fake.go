// Package fake provides a stand-in for the use cases of internal/casework,
// so that the adapters (web, api) can be tested without a database.
//
// A test sets the function field of each method its handler calls and
// checks, in that function, what the handler passed in:
//
//	var got casework.WorklistQuery
//	svc := &fake.Service{
//		WorklistFn: func(ctx context.Context, a casework.Actor, q casework.WorklistQuery) (casework.Worklist, error) {
//			got = q
//			return casework.Worklist{Tasks: tasks}, nil
//		},
//	}
//	h := web.New(svc, ...)
//
// A method whose function is nil is a use case the test did not expect
// the handler to call. It never answers a silent zero value: a method that
// returns an error returns one naming the method ("fake: Worklist not
// set"), which a handler turns into a 500 the test sees; a method without
// an error result panics with the same message.
package fake

import (
	"context"
	"fmt"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Service implements casework.Services with one function per method.
type Service struct {
	// AccountService
	AuthenticateFn   func(ctx context.Context, username, password, address string) (casework.User, error)
	UserByIDFn       func(ctx context.Context, id int64) (casework.User, error)
	UserByUsernameFn func(ctx context.Context, username string) (casework.User, error)
	TokenUserFn      func(ctx context.Context, secret, address string) (casework.User, error)
	CreateUserFn     func(ctx context.Context, a *casework.Actor, in casework.NewUser) (casework.User, error)
	SetUserActiveFn  func(ctx context.Context, a casework.Actor, id int64, active bool) error
	UsersFn          func(ctx context.Context, a casework.Actor) ([]casework.User, error)
	IssueTokenFn     func(ctx context.Context, a casework.Actor, userID int64, name string) (string, error)
	RevokeTokenFn    func(ctx context.Context, a casework.Actor, id int64) error
	TokensFn         func(ctx context.Context, a casework.Actor) ([]casework.APIToken, error)
	SetDailyDigestFn func(ctx context.Context, a casework.Actor, on bool) error

	// ApplicationService
	SubmitApplicationFn       func(ctx context.Context, a casework.Actor, channel string, v casework.Values) (casework.Case, error)
	SubmitPublicApplicationFn func(ctx context.Context, a casework.Actor, v casework.Values) (string, error)
	RecordMeldingFn           func(ctx context.Context, a casework.Actor, channel string, v casework.Values) (casework.Melding, error)
	AddSuspensionFn           func(ctx context.Context, a casework.Actor, caseID int64, v casework.Values) error
	EndSuspensionFn           func(ctx context.Context, a casework.Actor, caseID, suspensionID int64, v casework.Values) error
	ApplicationStatusFn       func(ctx context.Context, a casework.Actor, caseID int64) (casework.Case, error)

	// TaskService
	WorklistFn func(ctx context.Context, a casework.Actor, q casework.WorklistQuery) (casework.Worklist, error)
	// WorklistCountsFn, when nil, takes the counts of WorklistFn's answer
	// to mijn werkvoorraad.
	WorklistCountsFn func(ctx context.Context, a casework.Actor) (mine, team int, err error)
	TaskPageFn       func(ctx context.Context, a casework.Actor, taskID int64) (casework.TaskPage, error)
	TaskFn           func(ctx context.Context, a casework.Actor, taskID int64) (casework.TaskPage, error)
	PickUpFn         func(ctx context.Context, a casework.Actor, taskID int64, version int) error
	ReleaseFn        func(ctx context.Context, a casework.Actor, taskID int64, version int) error
	AssignFn         func(ctx context.Context, a casework.Actor, taskID int64, version int, userID int64) error
	CompleteTaskFn   func(ctx context.Context, a casework.Actor, taskID int64, version int, v casework.Values) (casework.Completed, error)
	DashboardFn      func(ctx context.Context, a casework.Actor) ([]casework.StepCount, map[string]int, error)
	StartStepFn      func(ctx context.Context, a casework.Actor, caseID int64, step process.StepKey) (int64, error)

	// ClientService
	ClientFileFn func(ctx context.Context, a casework.Actor, clientID int64) (casework.ClientFile, error)
	// ClientPageFn answers ClientPage; nil: the page is composed from
	// ClientFileAt (ClientFileFn), ContactHistory, ClientDocuments and DocumentOptions as
	// the web asked for it before ClientPage.
	ClientPageFn    func(ctx context.Context, a casework.Actor, clientID int64, history string) (casework.ClientPage, error)
	CaseClientFn    func(ctx context.Context, a casework.Actor, caseID int64) (int64, error)
	SearchClientsFn func(ctx context.Context, a casework.Actor, text string) (casework.ClientSearch, error)
	RecordItemsFn   func(f casework.ClientFile, rec casework.StepRecord) []casework.RecordItem
	// VoorschottenFn is ClientService.Voorschotten.
	VoorschottenFn func(ctx context.Context, a casework.Actor, applicationID int64) ([]casework.Voorschot, error)
	RevealBSNFn    func(ctx context.Context, a casework.Actor, clientID int64) (string, error)
	// UpdateClientDetailsFn is ClientService.UpdateClientDetails.
	UpdateClientDetailsFn func(ctx context.Context, a casework.Actor, clientID int64, version int, v casework.Values) ([]string, error)
	// OpenWithReasonFn is ClientService.OpenWithReason.
	OpenWithReasonFn func(ctx context.Context, a casework.Actor, clientID int64, v casework.Values) error

	// DossierService
	SavePlanFn                 func(ctx context.Context, a casework.Actor, caseID int64, basedOn int, v casework.Values) (casework.Plan, error)
	PlanOptionsFn              func(ctx context.Context, a casework.Actor, caseID int64) (map[string][]process.Option, error)
	PrintPlanFn                func(ctx context.Context, a casework.Actor, caseID int64) (casework.Document, error)
	AddRegistrationFn          func(ctx context.Context, a casework.Actor, caseID int64, v casework.Values) error
	UpdateRegistrationStatusFn func(ctx context.Context, a casework.Actor, caseID, regID int64, version int, status string) error
	AddTrajectoryFn            func(ctx context.Context, a casework.Actor, caseID int64, v casework.Values) error
	FinishTrajectoryFn         func(ctx context.Context, a casework.Actor, caseID, trajectoryID int64, result string) error

	// AppointmentService
	PlanFollowUpFn       func(ctx context.Context, a casework.Actor, caseID int64, v casework.Values) error
	MoveAppointmentFn    func(ctx context.Context, a casework.Actor, id int64, sequence int, v casework.Values) error
	CancelAppointmentFn  func(ctx context.Context, a casework.Actor, id int64) error
	AppointmentOptionsFn func() map[string][]process.Option

	// MessageService
	OutboxFn       func(ctx context.Context, a casework.Actor, f casework.MessageFilter) ([]casework.Message, error)
	OutboxPageFn   func(ctx context.Context, a casework.Actor, f casework.MessageFilter) (casework.OutboxList, error)
	RetryMessageFn func(ctx context.Context, a casework.Actor, id int64) error

	// DeliveryService
	OutgoingFn       func(ctx context.Context, id int64) (casework.Message, error)
	RecordDeliveryFn func(ctx context.Context, id int64, at casework.Attempt) error
	FireReminderFn   func(ctx context.Context, id int64) (time.Time, error)
	FireDueFn        func(ctx context.Context) (casework.Sweep, error)
	SendDigestsFn    func(ctx context.Context, day time.Time) (int, error)

	// ProcessService
	DefinitionFn func() *process.Definition
	CalendarFn   func() *process.Calendar
	ConfigFn     func() casework.Config
	NowFn        func() time.Time
	PingFn       func(ctx context.Context) error

	CaseloadFns // CaseloadService, in caseload.go
	LifeFns     // dossier and appointment life, in dossier_life.go
	ContactFns  // ContactService, in caseload.go
	DocumentFns // DocumentService, in documents.go
	SignInFns   // second factor and SSO of AccountService, in signin.go
	PrivacyFns  // PrivacyService, in privacy.go
	AuditFns    // AuditService, in audit.go
}

var _ casework.Services = (*Service)(nil)

// Pilot returns a fake that knows what the real service knows without a
// database: the pilot's definition on the default policy, the default
// configuration and its appointment choices. Every use case is unset but
// ContactHistory, which answers no contact moments or notes.
func Pilot() *Service {
	def, err := process.NewDefinition(process.DefaultPolicy())
	if err != nil {
		panic(fmt.Sprintf("fake: the default definition: %v", err)) // the default policy is valid; its tests say so
	}
	cfg := casework.DefaultConfig()
	return &Service{
		DefinitionFn:         func() *process.Definition { return def },
		ConfigFn:             func() casework.Config { return cfg },
		AppointmentOptionsFn: cfg.AppointmentOptions,
		ContactFns:           pilotContacts(),
		DocumentFns:          pilotDocuments(),
	}
}

// notSet is the error of a method whose function is nil.
func notSet(method string) error { return fmt.Errorf("fake: %s not set", method) }

// mustSet panics for a method without an error result whose function is nil.
func mustSet(ok bool, method string) {
	if !ok {
		panic(notSet(method))
	}
}

// AccountService

func (s *Service) Authenticate(ctx context.Context, username, password, address string) (casework.User, error) {
	if s.AuthenticateFn == nil {
		return casework.User{}, notSet("Authenticate")
	}
	return s.AuthenticateFn(ctx, username, password, address)
}

func (s *Service) UserByID(ctx context.Context, id int64) (casework.User, error) {
	if s.UserByIDFn == nil {
		return casework.User{}, notSet("UserByID")
	}
	return s.UserByIDFn(ctx, id)
}

func (s *Service) UserByUsername(ctx context.Context, username string) (casework.User, error) {
	if s.UserByUsernameFn == nil {
		return casework.User{}, notSet("UserByUsername")
	}
	return s.UserByUsernameFn(ctx, username)
}

func (s *Service) TokenUser(ctx context.Context, secret, address string) (casework.User, error) {
	if s.TokenUserFn == nil {
		return casework.User{}, notSet("TokenUser")
	}
	return s.TokenUserFn(ctx, secret, address)
}

func (s *Service) CreateUser(ctx context.Context, a *casework.Actor, in casework.NewUser) (casework.User, error) {
	if s.CreateUserFn == nil {
		return casework.User{}, notSet("CreateUser")
	}
	return s.CreateUserFn(ctx, a, in)
}

func (s *Service) SetUserActive(ctx context.Context, a casework.Actor, id int64, active bool) error {
	if s.SetUserActiveFn == nil {
		return notSet("SetUserActive")
	}
	return s.SetUserActiveFn(ctx, a, id, active)
}

func (s *Service) Users(ctx context.Context, a casework.Actor) ([]casework.User, error) {
	if s.UsersFn == nil {
		return nil, notSet("Users")
	}
	return s.UsersFn(ctx, a)
}

func (s *Service) IssueToken(ctx context.Context, a casework.Actor, userID int64, name string) (string, error) {
	if s.IssueTokenFn == nil {
		return "", notSet("IssueToken")
	}
	return s.IssueTokenFn(ctx, a, userID, name)
}

func (s *Service) RevokeToken(ctx context.Context, a casework.Actor, id int64) error {
	if s.RevokeTokenFn == nil {
		return notSet("RevokeToken")
	}
	return s.RevokeTokenFn(ctx, a, id)
}

func (s *Service) Tokens(ctx context.Context, a casework.Actor) ([]casework.APIToken, error) {
	if s.TokensFn == nil {
		return nil, notSet("Tokens")
	}
	return s.TokensFn(ctx, a)
}

func (s *Service) SetDailyDigest(ctx context.Context, a casework.Actor, on bool) error {
	if s.SetDailyDigestFn == nil {
		return notSet("SetDailyDigest")
	}
	return s.SetDailyDigestFn(ctx, a, on)
}

// ApplicationService

func (s *Service) SubmitApplication(ctx context.Context, a casework.Actor, channel string, v casework.Values) (casework.Case, error) {
	if s.SubmitApplicationFn == nil {
		return casework.Case{}, notSet("SubmitApplication")
	}
	return s.SubmitApplicationFn(ctx, a, channel, v)
}

func (s *Service) RecordMelding(ctx context.Context, a casework.Actor, channel string, v casework.Values) (casework.Melding, error) {
	if s.RecordMeldingFn == nil {
		return casework.Melding{}, notSet("RecordMelding")
	}
	return s.RecordMeldingFn(ctx, a, channel, v)
}

func (s *Service) SubmitPublicApplication(ctx context.Context, a casework.Actor, v casework.Values) (string, error) {
	if s.SubmitPublicApplicationFn == nil {
		return "", notSet("SubmitPublicApplication")
	}
	return s.SubmitPublicApplicationFn(ctx, a, v)
}

func (s *Service) AddSuspension(ctx context.Context, a casework.Actor, caseID int64, v casework.Values) error {
	if s.AddSuspensionFn == nil {
		return notSet("AddSuspension")
	}
	return s.AddSuspensionFn(ctx, a, caseID, v)
}

func (s *Service) EndSuspension(ctx context.Context, a casework.Actor, caseID, suspensionID int64, v casework.Values) error {
	if s.EndSuspensionFn == nil {
		return notSet("EndSuspension")
	}
	return s.EndSuspensionFn(ctx, a, caseID, suspensionID, v)
}

// TaskService

func (s *Service) Worklist(ctx context.Context, a casework.Actor, q casework.WorklistQuery) (casework.Worklist, error) {
	if s.WorklistFn == nil {
		return casework.Worklist{}, notSet("Worklist")
	}
	return s.WorklistFn(ctx, a, q)
}

func (s *Service) WorklistCounts(ctx context.Context, a casework.Actor) (int, int, error) {
	if s.WorklistCountsFn != nil {
		return s.WorklistCountsFn(ctx, a)
	}
	if s.WorklistFn == nil {
		return 0, 0, notSet("WorklistCounts")
	}
	w, err := s.WorklistFn(ctx, a, casework.WorklistQuery{Mine: true})
	return w.CountMine, w.CountTeam, err
}

func (s *Service) TaskPage(ctx context.Context, a casework.Actor, taskID int64) (casework.TaskPage, error) {
	if s.TaskPageFn == nil {
		return casework.TaskPage{}, notSet("TaskPage")
	}
	return s.TaskPageFn(ctx, a, taskID)
}

func (s *Service) Task(ctx context.Context, a casework.Actor, taskID int64) (casework.TaskPage, error) {
	if s.TaskFn == nil {
		return casework.TaskPage{}, notSet("Task")
	}
	return s.TaskFn(ctx, a, taskID)
}

func (s *Service) PickUp(ctx context.Context, a casework.Actor, taskID int64, version int) error {
	if s.PickUpFn == nil {
		return notSet("PickUp")
	}
	return s.PickUpFn(ctx, a, taskID, version)
}

func (s *Service) Release(ctx context.Context, a casework.Actor, taskID int64, version int) error {
	if s.ReleaseFn == nil {
		return notSet("Release")
	}
	return s.ReleaseFn(ctx, a, taskID, version)
}

func (s *Service) Assign(ctx context.Context, a casework.Actor, taskID int64, version int, userID int64) error {
	if s.AssignFn == nil {
		return notSet("Assign")
	}
	return s.AssignFn(ctx, a, taskID, version, userID)
}

func (s *Service) CompleteTask(ctx context.Context, a casework.Actor, taskID int64, version int, v casework.Values) (casework.Completed, error) {
	if s.CompleteTaskFn == nil {
		return casework.Completed{}, notSet("CompleteTask")
	}
	return s.CompleteTaskFn(ctx, a, taskID, version, v)
}

func (s *Service) Dashboard(ctx context.Context, a casework.Actor) ([]casework.StepCount, map[string]int, error) {
	if s.DashboardFn == nil {
		return nil, nil, notSet("Dashboard")
	}
	return s.DashboardFn(ctx, a)
}

func (s *Service) StartStep(ctx context.Context, a casework.Actor, caseID int64, step process.StepKey) (int64, error) {
	if s.StartStepFn == nil {
		return 0, notSet("StartStep")
	}
	return s.StartStepFn(ctx, a, caseID, step)
}

// ClientService

func (s *Service) ClientFile(ctx context.Context, a casework.Actor, clientID int64) (casework.ClientFile, error) {
	if s.ClientFileFn == nil {
		return casework.ClientFile{}, notSet("ClientFile")
	}
	return s.ClientFileFn(ctx, a, clientID)
}

// ClientFileAt calls ClientFileFn: the fake has one page of history.
func (s *Service) ClientFileAt(ctx context.Context, a casework.Actor, clientID int64, _ string) (casework.ClientFile, error) {
	return s.ClientFile(ctx, a, clientID)
}

func (s *Service) ClientPage(ctx context.Context, a casework.Actor, clientID int64, history string) (casework.ClientPage, error) {
	if s.ClientPageFn != nil {
		return s.ClientPageFn(ctx, a, clientID, history)
	}
	f, err := s.ClientFileAt(ctx, a, clientID, history)
	if err != nil {
		return casework.ClientPage{}, err
	}
	p := casework.ClientPage{File: f}
	if p.History, err = s.ContactHistory(ctx, a, clientID); err != nil {
		return casework.ClientPage{}, err
	}
	if p.SeesDocuments = casework.May(a, process.ActSeeDocuments, f.Relation); !p.SeesDocuments {
		return p, nil
	}
	if p.Documents, err = s.ClientDocuments(ctx, a, clientID); err != nil {
		return casework.ClientPage{}, err
	}
	if casework.May(a, process.ActAddDocument, f.Relation) {
		if p.DocumentOptions, err = s.DocumentOptions(ctx, a, clientID); err != nil {
			return casework.ClientPage{}, err
		}
	}
	return p, nil
}

func (s *Service) Voorschotten(ctx context.Context, a casework.Actor, applicationID int64) ([]casework.Voorschot, error) {
	if s.VoorschottenFn == nil {
		return nil, notSet("Voorschotten")
	}
	return s.VoorschottenFn(ctx, a, applicationID)
}

func (s *Service) CaseClient(ctx context.Context, a casework.Actor, caseID int64) (int64, error) {
	if s.CaseClientFn == nil {
		return 0, notSet("CaseClient")
	}
	return s.CaseClientFn(ctx, a, caseID)
}

func (s *Service) SearchClients(ctx context.Context, a casework.Actor, text string) (casework.ClientSearch, error) {
	if s.SearchClientsFn == nil {
		return casework.ClientSearch{}, notSet("SearchClients")
	}
	return s.SearchClientsFn(ctx, a, text)
}

func (s *Service) RecordItems(f casework.ClientFile, rec casework.StepRecord) []casework.RecordItem {
	mustSet(s.RecordItemsFn != nil, "RecordItems")
	return s.RecordItemsFn(f, rec)
}

func (s *Service) RevealBSN(ctx context.Context, a casework.Actor, clientID int64) (string, error) {
	if s.RevealBSNFn == nil {
		return "", notSet("RevealBSN")
	}
	return s.RevealBSNFn(ctx, a, clientID)
}

func (s *Service) UpdateClientDetails(ctx context.Context, a casework.Actor, clientID int64, version int, v casework.Values) ([]string, error) {
	if s.UpdateClientDetailsFn == nil {
		return nil, notSet("UpdateClientDetails")
	}
	return s.UpdateClientDetailsFn(ctx, a, clientID, version, v)
}

// DossierService

func (s *Service) SavePlan(ctx context.Context, a casework.Actor, caseID int64, basedOn int, v casework.Values) (casework.Plan, error) {
	if s.SavePlanFn == nil {
		return casework.Plan{}, notSet("SavePlan")
	}
	return s.SavePlanFn(ctx, a, caseID, basedOn, v)
}

func (s *Service) PlanOptions(ctx context.Context, a casework.Actor, caseID int64) (map[string][]process.Option, error) {
	if s.PlanOptionsFn == nil {
		return map[string][]process.Option{}, nil
	}
	return s.PlanOptionsFn(ctx, a, caseID)
}

func (s *Service) PrintPlan(ctx context.Context, a casework.Actor, caseID int64) (casework.Document, error) {
	if s.PrintPlanFn == nil {
		return casework.Document{}, notSet("PrintPlan")
	}
	return s.PrintPlanFn(ctx, a, caseID)
}

func (s *Service) AddRegistration(ctx context.Context, a casework.Actor, caseID int64, v casework.Values) error {
	if s.AddRegistrationFn == nil {
		return notSet("AddRegistration")
	}
	return s.AddRegistrationFn(ctx, a, caseID, v)
}

func (s *Service) UpdateRegistrationStatus(ctx context.Context, a casework.Actor, caseID, regID int64, version int, status string) error {
	if s.UpdateRegistrationStatusFn == nil {
		return notSet("UpdateRegistrationStatus")
	}
	return s.UpdateRegistrationStatusFn(ctx, a, caseID, regID, version, status)
}

func (s *Service) AddTrajectory(ctx context.Context, a casework.Actor, caseID int64, v casework.Values) error {
	if s.AddTrajectoryFn == nil {
		return notSet("AddTrajectory")
	}
	return s.AddTrajectoryFn(ctx, a, caseID, v)
}

func (s *Service) FinishTrajectory(ctx context.Context, a casework.Actor, caseID, trajectoryID int64, result string) error {
	if s.FinishTrajectoryFn == nil {
		return notSet("FinishTrajectory")
	}
	return s.FinishTrajectoryFn(ctx, a, caseID, trajectoryID, result)
}

// AppointmentService

func (s *Service) PlanFollowUp(ctx context.Context, a casework.Actor, caseID int64, v casework.Values) error {
	if s.PlanFollowUpFn == nil {
		return notSet("PlanFollowUp")
	}
	return s.PlanFollowUpFn(ctx, a, caseID, v)
}

func (s *Service) MoveAppointment(ctx context.Context, a casework.Actor, id int64, sequence int, v casework.Values) error {
	if s.MoveAppointmentFn == nil {
		return notSet("MoveAppointment")
	}
	return s.MoveAppointmentFn(ctx, a, id, sequence, v)
}

func (s *Service) CancelAppointment(ctx context.Context, a casework.Actor, id int64) error {
	if s.CancelAppointmentFn == nil {
		return notSet("CancelAppointment")
	}
	return s.CancelAppointmentFn(ctx, a, id)
}

func (s *Service) AppointmentOptions() map[string][]process.Option {
	mustSet(s.AppointmentOptionsFn != nil, "AppointmentOptions")
	return s.AppointmentOptionsFn()
}

// MessageService

func (s *Service) Outbox(ctx context.Context, a casework.Actor, f casework.MessageFilter) ([]casework.Message, error) {
	if s.OutboxFn == nil {
		return nil, notSet("Outbox")
	}
	return s.OutboxFn(ctx, a, f)
}

func (s *Service) OutboxPage(ctx context.Context, a casework.Actor, f casework.MessageFilter) (casework.OutboxList, error) {
	if s.OutboxPageFn == nil {
		return casework.OutboxList{}, notSet("OutboxPage")
	}
	return s.OutboxPageFn(ctx, a, f)
}

func (s *Service) RetryMessage(ctx context.Context, a casework.Actor, id int64) error {
	if s.RetryMessageFn == nil {
		return notSet("RetryMessage")
	}
	return s.RetryMessageFn(ctx, a, id)
}

// DeliveryService

func (s *Service) Outgoing(ctx context.Context, id int64) (casework.Message, error) {
	if s.OutgoingFn == nil {
		return casework.Message{}, notSet("Outgoing")
	}
	return s.OutgoingFn(ctx, id)
}

func (s *Service) RecordDelivery(ctx context.Context, id int64, at casework.Attempt) error {
	if s.RecordDeliveryFn == nil {
		return notSet("RecordDelivery")
	}
	return s.RecordDeliveryFn(ctx, id, at)
}

func (s *Service) FireReminder(ctx context.Context, id int64) (time.Time, error) {
	if s.FireReminderFn == nil {
		return time.Time{}, notSet("FireReminder")
	}
	return s.FireReminderFn(ctx, id)
}

func (s *Service) FireDue(ctx context.Context) (casework.Sweep, error) {
	if s.FireDueFn == nil {
		return casework.Sweep{}, notSet("FireDue")
	}
	return s.FireDueFn(ctx)
}

func (s *Service) SendDigests(ctx context.Context, day time.Time) (int, error) {
	if s.SendDigestsFn == nil {
		return 0, notSet("SendDigests")
	}
	return s.SendDigestsFn(ctx, day)
}

// ProcessService

func (s *Service) Definition() *process.Definition {
	mustSet(s.DefinitionFn != nil, "Definition")
	return s.DefinitionFn()
}

func (s *Service) Calendar() *process.Calendar {
	mustSet(s.CalendarFn != nil, "Calendar")
	return s.CalendarFn()
}

func (s *Service) Config() casework.Config {
	mustSet(s.ConfigFn != nil, "Config")
	return s.ConfigFn()
}

func (s *Service) Now() time.Time {
	mustSet(s.NowFn != nil, "Now")
	return s.NowFn()
}

func (s *Service) Ping(ctx context.Context) error {
	if s.PingFn == nil {
		return notSet("Ping")
	}
	return s.PingFn(ctx)
}

func (s *Service) ApplicationStatus(ctx context.Context, a casework.Actor, caseID int64) (casework.Case, error) {
	if s.ApplicationStatusFn == nil {
		return casework.Case{}, notSet("ApplicationStatus")
	}
	return s.ApplicationStatusFn(ctx, a, caseID)
}

func (s *Service) OpenWithReason(ctx context.Context, a casework.Actor, clientID int64, v casework.Values) error {
	if s.OpenWithReasonFn == nil {
		return notSet("OpenWithReason")
	}
	return s.OpenWithReasonFn(ctx, a, clientID, v)
}
