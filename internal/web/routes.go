package web

import "net/http"

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

// route is one line of the routes table.
type route struct {
	pattern string
	access  access
	handler handlerFunc
}

// routes is the one table of every path the web interface answers.
func (s *server) routes() []route {
	return []route{
		// Infrastructure.
		{"GET /healthz", noSession, s.healthz},
		{"GET /static/", noSession, s.static},

		// Sign in and out.
		{"GET /login", optionalUser, s.loginForm},
		{"POST /login", optionalUser, s.login},
		{"GET /login/code", optionalUser, s.codeForm},
		{"POST /login/code", optionalUser, s.codeCheck},
		{"GET /login/authenticator", optionalUser, s.enrolForm},
		{"POST /login/authenticator", optionalUser, s.enrolConfirm},
		{"GET /login/sso", optionalUser, s.ssoStart},
		{"GET /login/sso/terug", optionalUser, s.ssoCallback},
		{"GET /instellingen/authenticator", loggedIn, s.mfaSettings},
		{"GET /instellingen/authenticator/koppelen", loggedIn, s.mfaSetupForm},
		{"POST /instellingen/authenticator/koppelen", loggedIn, s.mfaSetup},
		{"POST /instellingen/authenticator/uit", loggedIn, s.mfaDisable},
		{"POST /uitloggen", optionalUser, s.logout},
		{"GET /{$}", loggedIn, s.home},

		// Worklists and tasks.
		{"GET /werkvoorraad", loggedIn, s.worklist},
		{"GET /werkvoorraad/mijn", loggedIn, s.worklist},
		{"POST /instellingen/dagoverzicht", loggedIn, s.digestSave},
		{"GET /taken/{id}", loggedIn, s.taskShow},
		{"POST /taken/{id}", loggedIn, s.taskComplete},
		{"POST /taken/{id}/brief", loggedIn, s.taskLetter},
		{"POST /taken/{id}/oppakken", loggedIn, s.taskPickUp},
		{"POST /taken/{id}/vrijgeven", loggedIn, s.taskRelease},
		{"POST /taken/{id}/toewijzen", loggedIn, s.taskAssign},

		// Clients and their case page.
		{"GET /klanten", loggedIn, s.clientSearch},
		{"POST /klanten", loggedIn, s.clientSearchPost},
		{"GET /klanten/{id}", loggedIn, s.clientShow},
		{"POST /klanten/{id}/bsn", loggedIn, s.clientRevealBSN},
		{"GET /klanten/{id}/contactgegevens", loggedIn, s.clientDetailsForm},
		{"POST /klanten/{id}/contactgegevens", loggedIn, s.clientDetailsSave},
		{"GET /klanten/{id}/corrigeren", loggedIn, s.rectifyForm},
		{"POST /klanten/{id}/corrigeren", loggedIn, s.rectifySave},

		// Participation dossier (17/PA): plan, trajectories, registrations, appointments.
		{"GET /dossiers/{id}/plan", loggedIn, s.planForm},
		{"POST /dossiers/{id}/plan", loggedIn, s.planSave},
		{"POST /dossiers/{id}/plan/afdrukken", loggedIn, s.planPrint},
		{"GET /dossiers/{id}/trajecten/nieuw", loggedIn, s.trajectoryForm},
		{"POST /dossiers/{id}/trajecten", loggedIn, s.trajectoryAdd},
		{"GET /dossiers/{id}/trajecten/{tid}/afronden", loggedIn, s.trajectoryFinishForm},
		{"POST /dossiers/{id}/trajecten/{tid}/afronden", loggedIn, s.trajectoryFinish},
		{"POST /dossiers/{id}/trajecten/{tid}/aanmelden", loggedIn, s.trajectoryRegister},
		{"GET /dossiers/{id}/afsluiten", loggedIn, s.dossierCloseForm},
		{"POST /dossiers/{id}/afsluiten", loggedIn, s.dossierClose},
		{"GET /dossiers/{id}/aanmeldingen/nieuw", loggedIn, s.registrationForm},
		{"POST /dossiers/{id}/aanmeldingen", loggedIn, s.registrationAdd},
		{"GET /dossiers/{id}/aanmeldingen/{rid}/status", loggedIn, s.registrationStatusForm},
		{"POST /dossiers/{id}/aanmeldingen/{rid}/status", loggedIn, s.registrationStatus},
		{"GET /dossiers/{id}/afspraken/nieuw", loggedIn, s.followUpForm},
		{"POST /dossiers/{id}/afspraken", loggedIn, s.followUpPlan},
		{"POST /afspraken/{id}/annuleren", loggedIn, s.appointmentCancel},
		{"POST /afspraken/{id}/status", loggedIn, s.appointmentMark},
		{"GET /afspraken/{id}/verplaatsen", loggedIn, s.appointmentMoveForm},
		{"POST /afspraken/{id}/verplaatsen", loggedIn, s.appointmentMove},

		// Caseloads: "Mijn dossiers", every klantmanager's dossiers, transfers (caseload.go).
		{"GET /dossiers/mijn", loggedIn, s.myDossiers},
		{"GET /dossiers/team", loggedIn, s.teamDossiers},
		{"POST /dossiers/overdragen", loggedIn, s.transferDossiers},

		// Contact moments and notes on a client's timeline (contacts.go).
		{"GET /klanten/{id}/contactmomenten/nieuw", loggedIn, s.contactForm},
		{"POST /klanten/{id}/contactmomenten", loggedIn, s.contactAdd},
		{"GET /klanten/{id}/contactmomenten/{cid}/wijzigen", loggedIn, s.contactEditForm},
		{"POST /klanten/{id}/contactmomenten/{cid}/wijzigen", loggedIn, s.contactEdit},
		{"GET /klanten/{id}/notities/nieuw", loggedIn, s.noteForm},
		{"POST /klanten/{id}/notities", loggedIn, s.noteAdd},
		{"GET /klanten/{id}/notities/{nid}/wijzigen", loggedIn, s.noteEditForm},
		{"POST /klanten/{id}/notities/{nid}/wijzigen", loggedIn, s.noteEdit},

		// A client's documents: downloads, uploads, letters (documents.go).
		{"GET /klanten/{id}/documenten/{did}", loggedIn, s.documentDownload},
		{"GET /klanten/{id}/documenten/nieuw", loggedIn, s.uploadForm},
		{"POST /klanten/{id}/documenten", loggedIn, s.documentUpload},
		{"GET /klanten/{id}/brieven/nieuw", loggedIn, s.letterForm},
		{"POST /klanten/{id}/brieven", loggedIn, s.letterRequest},

		// Application (0/L2): physical application and suspensions of the decision term.
		{"GET /aanvragen/nieuw", loggedIn, s.applicationForm},
		{"POST /aanvragen", loggedIn, s.applicationSubmit},
		{"GET /meldingen/nieuw", loggedIn, s.meldingForm},
		{"POST /meldingen", loggedIn, s.meldingSubmit},
		{"GET /aanvragen/{id}/opschortingen/nieuw", loggedIn, s.suspensionForm},
		{"POST /aanvragen/{id}/opschortingen", loggedIn, s.suspensionAdd},
		{"GET /aanvragen/{id}/opschortingen/{sid}/beeindigen", loggedIn, s.suspensionEndForm},
		{"POST /aanvragen/{id}/opschortingen/{sid}/beeindigen", loggedIn, s.suspensionEnd},
		{"POST /aanvragen/{id}/stappen/{stap}", loggedIn, s.stepStart},

		// Public digital application form (no login).
		{"GET /aanvraag", noSession, s.publicForm},
		{"POST /aanvraag", noSession, s.publicSubmit},
		{"GET /aanvraag/ontvangen", noSession, s.publicThanks},

		// Team leads and administrators.
		{"GET /overzicht", loggedIn, s.dashboard},
		{"GET /uitgaand", loggedIn, s.outbox},
		{"POST /uitgaand/{id}/opnieuw", loggedIn, s.outboxRetry},
		{"GET /beheer/gebruikers", loggedIn, s.usersPage},
		{"POST /beheer/gebruikers", loggedIn, s.userCreate},
		{"POST /beheer/gebruikers/{id}/activeren", loggedIn, s.userActivate},
		{"POST /beheer/gebruikers/{id}/deactiveren", loggedIn, s.userDeactivate},
		{"POST /beheer/gebruikers/{id}/authenticator-resetten", loggedIn, s.userResetTOTP},
		{"GET /beheer/sleutels", loggedIn, s.tokensPage},
		{"POST /beheer/sleutels", loggedIn, s.tokenIssue},
		{"POST /beheer/sleutels/{id}/intrekken", loggedIn, s.tokenRevoke},
		{"GET /beheer/brieven", loggedIn, s.lettersPage},
		{"GET /beheer/brieven/{key}", loggedIn, s.letterPreview},
		{"GET /beheer/brieven/{key}/pdf", loggedIn, s.letterPreviewPDF},
		{"GET /beheer/audit", loggedIn, s.auditPage},
		{"GET /beheer/audit.csv", loggedIn, s.auditCSV},
		{"GET /beheer/verwerkingen", loggedIn, s.processingRegister},
		{"GET /beheer/vernietiging", loggedIn, s.retentionPage},
		{"POST /beheer/vernietiging", loggedIn, s.retentionPropose},
		{"GET /beheer/vernietiging/{id}", loggedIn, s.destructionShow},
		{"POST /beheer/vernietiging/{id}/goedkeuren", loggedIn, s.destructionApprove},
		{"POST /beheer/vernietiging/{id}/intrekken", loggedIn, s.destructionWithdraw},
		{"GET /beheer/vernietiging/{id}/verslag", loggedIn, s.destructionReport},
		{"GET /beheer/inzage", loggedIn, s.exportPage},
		{"POST /beheer/inzage", loggedIn, s.exportMake},

		// Information pages.
		{"GET /proces", loggedIn, s.processPage},
		{"GET /toegankelijkheid", optionalUser, s.accessibility},

		// Everything else: a Dutch 404 page.
		{"/", optionalUser, s.notFound},
	}
}
