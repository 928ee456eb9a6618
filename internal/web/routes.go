package web

import (
	"net/http"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// access says what a route needs from the session.
type access int

const (
	// noSession: no session is loaded (static files, health check, public form).
	noSession access = iota
	// optionalUser: the session is loaded and the user shown when logged in.
	optionalUser
	// loggedIn: an active user must be logged in; else a redirect to /login.
	loggedIn
)

// handlerFunc is a handler that returns its error to the one place that
// turns errors into responses (server.fail).
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// route is one line of the routes table. act is the permission action the
// route does (process.Allowed decides it; casework checks it with the
// relation to the client, task, dossier or appointment it is about); none
// for routes that act on nothing of the pilot (sign-in, static files,
// information pages). TestRoutePermissions enumerates the table.
type route struct {
	pattern string
	access  access
	act     process.Action
	handler handlerFunc
}

// none is the action of a route that acts on nothing.
const none process.Action = ""

// routes is the one table of every path the web interface answers.
func (s *server) routes() []route {
	return []route{
		// Infrastructure.
		{"GET /healthz", noSession, none, s.healthz},
		{"GET /static/", noSession, none, s.static},

		// Sign in and out.
		{"GET /login", optionalUser, none, s.loginForm},
		{"POST /login", optionalUser, none, s.login},
		{"GET /login/code", optionalUser, none, s.codeForm},
		{"POST /login/code", optionalUser, none, s.codeCheck},
		{"GET /login/authenticator", optionalUser, none, s.enrolForm},
		{"POST /login/authenticator", optionalUser, none, s.enrolConfirm},
		{"GET /login/sso", optionalUser, none, s.ssoStart},
		{"GET /login/sso/terug", optionalUser, none, s.ssoCallback},
		{"GET /instellingen/authenticator", loggedIn, none, s.mfaSettings},
		{"GET /instellingen/authenticator/koppelen", loggedIn, none, s.mfaSetupForm},
		{"POST /instellingen/authenticator/koppelen", loggedIn, none, s.mfaSetup},
		{"POST /instellingen/authenticator/uit", loggedIn, none, s.mfaDisable},
		{"POST /uitloggen", optionalUser, none, s.logout},
		{"GET /{$}", loggedIn, none, s.home},

		// Worklists and tasks.
		{"GET /werkvoorraad", loggedIn, process.ActSeeWorklist, s.worklist},
		{"GET /werkvoorraad/mijn", loggedIn, process.ActSeeWorklist, s.worklist},
		{"POST /instellingen/dagoverzicht", loggedIn, process.ActDailyDigest, s.digestSave},
		{"GET /taken/{id}", loggedIn, process.ActSeeClient, s.taskShow},
		{"POST /taken/{id}", loggedIn, process.ActWorkTask, s.taskComplete},
		{"POST /taken/{id}/brief", loggedIn, process.ActSeeDocuments, s.taskLetter},
		{"POST /taken/{id}/oppakken", loggedIn, process.ActWorkTask, s.taskPickUp},
		{"POST /taken/{id}/vrijgeven", loggedIn, process.ActReleaseTask, s.taskRelease},
		{"POST /taken/{id}/toewijzen", loggedIn, process.ActAssignTask, s.taskAssign},

		// Clients and their case page.
		{"GET /klanten", loggedIn, process.ActSeeClient, s.clientSearch},
		{"POST /klanten", loggedIn, process.ActSeeClient, s.clientSearchPost},
		{"GET /klanten/{id}", loggedIn, process.ActSeeClient, s.clientShow},
		{"POST /klanten/{id}/bsn", loggedIn, process.ActRevealBSN, s.clientRevealBSN},
		{"GET /klanten/{id}/inzage", loggedIn, process.ActBreakGlass, s.reasonForm},
		{"POST /klanten/{id}/inzage", loggedIn, process.ActBreakGlass, s.reasonSave},
		{"GET /klanten/{id}/contactgegevens", loggedIn, process.ActEditClient, s.clientDetailsForm},
		{"POST /klanten/{id}/contactgegevens", loggedIn, process.ActEditClient, s.clientDetailsSave},
		{"GET /klanten/{id}/corrigeren", loggedIn, process.ActRectifyClient, s.rectifyForm},
		{"POST /klanten/{id}/corrigeren", loggedIn, process.ActRectifyClient, s.rectifySave},

		// Participation dossier (17/PA): plan, trajectories, registrations, appointments.
		{"GET /dossiers/{id}/plan", loggedIn, process.ActEditDossier, s.planForm},
		{"POST /dossiers/{id}/plan", loggedIn, process.ActEditDossier, s.planSave},
		{"POST /dossiers/{id}/plan/afdrukken", loggedIn, process.ActEditDossier, s.planPrint},
		{"GET /dossiers/{id}/trajecten/nieuw", loggedIn, process.ActEditDossier, s.trajectoryForm},
		{"POST /dossiers/{id}/trajecten", loggedIn, process.ActEditDossier, s.trajectoryAdd},
		{"GET /dossiers/{id}/trajecten/{tid}/afronden", loggedIn, process.ActEditDossier, s.trajectoryFinishForm},
		{"POST /dossiers/{id}/trajecten/{tid}/afronden", loggedIn, process.ActEditDossier, s.trajectoryFinish},
		{"POST /dossiers/{id}/trajecten/{tid}/aanmelden", loggedIn, process.ActEditDossier, s.trajectoryRegister},
		{"GET /dossiers/{id}/afsluiten", loggedIn, process.ActCloseDossier, s.dossierCloseForm},
		{"POST /dossiers/{id}/afsluiten", loggedIn, process.ActCloseDossier, s.dossierClose},
		{"GET /dossiers/{id}/aanmeldingen/nieuw", loggedIn, process.ActEditDossier, s.registrationForm},
		{"POST /dossiers/{id}/aanmeldingen", loggedIn, process.ActEditDossier, s.registrationAdd},
		{"GET /dossiers/{id}/aanmeldingen/{rid}/status", loggedIn, process.ActEditDossier, s.registrationStatusForm},
		{"POST /dossiers/{id}/aanmeldingen/{rid}/status", loggedIn, process.ActEditDossier, s.registrationStatus},
		{"GET /dossiers/{id}/afspraken/nieuw", loggedIn, process.ActEditDossier, s.followUpForm},
		{"POST /dossiers/{id}/afspraken", loggedIn, process.ActEditDossier, s.followUpPlan},
		{"POST /afspraken/{id}/annuleren", loggedIn, process.ActChangeAppointment, s.appointmentCancel},
		{"POST /afspraken/{id}/status", loggedIn, process.ActChangeAppointment, s.appointmentMark},
		{"GET /afspraken/{id}/verplaatsen", loggedIn, process.ActChangeAppointment, s.appointmentMoveForm},
		{"POST /afspraken/{id}/verplaatsen", loggedIn, process.ActChangeAppointment, s.appointmentMove},

		// Caseloads: "Mijn dossiers", every klantmanager's dossiers, transfers (caseload.go).
		{"GET /dossiers/mijn", loggedIn, process.ActSeeOwnDossiers, s.myDossiers},
		{"GET /dossiers/team", loggedIn, process.ActSeeTeamDossiers, s.teamDossiers},
		{"POST /dossiers/overdragen", loggedIn, process.ActTransferDossier, s.transferDossiers},

		// Contact moments and notes on a client's timeline (contacts.go).
		{"GET /klanten/{id}/contactmomenten/nieuw", loggedIn, process.ActWriteNote, s.contactForm},
		{"POST /klanten/{id}/contactmomenten", loggedIn, process.ActWriteNote, s.contactAdd},
		{"GET /klanten/{id}/contactmomenten/{cid}/wijzigen", loggedIn, process.ActEditNote, s.contactEditForm},
		{"POST /klanten/{id}/contactmomenten/{cid}/wijzigen", loggedIn, process.ActEditNote, s.contactEdit},
		{"GET /klanten/{id}/notities/nieuw", loggedIn, process.ActWriteNote, s.noteForm},
		{"POST /klanten/{id}/notities", loggedIn, process.ActWriteNote, s.noteAdd},
		{"GET /klanten/{id}/notities/{nid}/wijzigen", loggedIn, process.ActEditNote, s.noteEditForm},
		{"POST /klanten/{id}/notities/{nid}/wijzigen", loggedIn, process.ActEditNote, s.noteEdit},

		// A client's documents: downloads, uploads, letters (documents.go).
		{"GET /klanten/{id}/documenten/{did}", loggedIn, process.ActSeeDocuments, s.documentDownload},
		{"GET /klanten/{id}/documenten/nieuw", loggedIn, process.ActAddDocument, s.uploadForm},
		{"POST /klanten/{id}/documenten", loggedIn, process.ActAddDocument, s.documentUpload},
		{"GET /klanten/{id}/brieven/nieuw", loggedIn, process.ActSendLetter, s.letterForm},
		{"POST /klanten/{id}/brieven", loggedIn, process.ActSendLetter, s.letterRequest},

		// Application (0/L2): physical application and suspensions of the decision term.
		{"GET /aanvragen/nieuw", loggedIn, process.ActEnterApplication, s.applicationForm},
		{"POST /aanvragen", loggedIn, process.ActEnterApplication, s.applicationSubmit},
		{"GET /meldingen/nieuw", loggedIn, process.ActEnterApplication, s.meldingForm},
		{"POST /meldingen", loggedIn, process.ActEnterApplication, s.meldingSubmit},
		{"GET /aanvragen/{id}/opschortingen/nieuw", loggedIn, process.ActSuspendTerm, s.suspensionForm},
		{"POST /aanvragen/{id}/opschortingen", loggedIn, process.ActSuspendTerm, s.suspensionAdd},
		{"GET /aanvragen/{id}/opschortingen/{sid}/beeindigen", loggedIn, process.ActSuspendTerm, s.suspensionEndForm},
		{"POST /aanvragen/{id}/opschortingen/{sid}/beeindigen", loggedIn, process.ActSuspendTerm, s.suspensionEnd},
		{"POST /aanvragen/{id}/stappen/{stap}", loggedIn, process.ActStartStep, s.stepStart},

		// Public digital application form (no login).
		{"GET /aanvraag", noSession, none, s.publicForm},
		{"POST /aanvraag", noSession, none, s.publicSubmit},
		{"GET /aanvraag/ontvangen", noSession, none, s.publicThanks},

		// Team leads and administrators.
		{"GET /overzicht", loggedIn, process.ActSeeDashboard, s.dashboard},
		{"GET /uitgaand", loggedIn, process.ActSeeOutbox, s.outbox},
		{"POST /uitgaand/{id}/opnieuw", loggedIn, process.ActRetryMessage, s.outboxRetry},
		{"GET /beheer/gebruikers", loggedIn, process.ActManageAccounts, s.usersPage},
		{"POST /beheer/gebruikers", loggedIn, process.ActManageAccounts, s.userCreate},
		{"POST /beheer/gebruikers/{id}/activeren", loggedIn, process.ActManageAccounts, s.userActivate},
		{"POST /beheer/gebruikers/{id}/deactiveren", loggedIn, process.ActManageAccounts, s.userDeactivate},
		{"POST /beheer/gebruikers/{id}/authenticator-resetten", loggedIn, process.ActManageAccounts, s.userResetTOTP},
		{"GET /beheer/sleutels", loggedIn, process.ActManageTokens, s.tokensPage},
		{"POST /beheer/sleutels", loggedIn, process.ActManageTokens, s.tokenIssue},
		{"POST /beheer/sleutels/{id}/intrekken", loggedIn, process.ActManageTokens, s.tokenRevoke},
		{"GET /beheer/brieven", loggedIn, process.ActPreviewLetters, s.lettersPage},
		{"GET /beheer/brieven/{key}", loggedIn, process.ActPreviewLetters, s.letterPreview},
		{"GET /beheer/brieven/{key}/pdf", loggedIn, process.ActPreviewLetters, s.letterPreviewPDF},
		{"GET /beheer/vernietiging", loggedIn, process.ActManageRetention, s.retentionPage},
		{"POST /beheer/vernietiging", loggedIn, process.ActManageRetention, s.retentionPropose},
		{"GET /beheer/vernietiging/{id}", loggedIn, process.ActManageRetention, s.destructionShow},
		{"POST /beheer/vernietiging/{id}/goedkeuren", loggedIn, process.ActApproveDestruction, s.destructionApprove},
		{"POST /beheer/vernietiging/{id}/intrekken", loggedIn, process.ActManageRetention, s.destructionWithdraw},
		{"GET /beheer/vernietiging/{id}/verslag", loggedIn, process.ActManageRetention, s.destructionReport},
		{"GET /beheer/inzage", loggedIn, process.ActExportClient, s.exportPage},
		{"POST /beheer/inzage", loggedIn, process.ActExportClient, s.exportMake},
		{"GET /beheer/audit", loggedIn, process.ActSeeAudit, s.auditPage},
		{"GET /beheer/audit.csv", loggedIn, process.ActSeeAudit, s.auditCSV},
		{"GET /beheer/verwerkingen", loggedIn, process.ActSeeAudit, s.processingRegister},

		// Information pages.
		{"GET /proces", loggedIn, none, s.processPage},
		{"GET /toegankelijkheid", optionalUser, none, s.accessibility},

		// Everything else: a Dutch 404 page.
		{"/", optionalUser, none, s.notFound},
	}
}
