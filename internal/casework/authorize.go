package casework

import "github.com/bar-organisatie/werkdiagnose/internal/process"

// Every use case asks Authorize before it shows or changes anything; the
// web and the API ask May for buttons and menus. Both read the one
// permission table in process (process.Allowed); the Dutch refusal of each
// action is written here once.

// refusal is the Dutch answer to a user who may not do act.
func refusal(act process.Action) string {
	switch act {
	case process.ActSeeWorklist:
		return "Werkvoorraden zijn er voor medewerkers met een rol in de pilot."
	case process.ActSeeAllTeams:
		return "U hebt geen toegang tot de werkvoorraad van dit team."
	case process.ActSeeDashboard:
		return "Het overzicht is er voor teamleiders."
	case process.ActSeeClient, process.ActRevealBSN:
		return "Klantgegevens zijn alleen zichtbaar voor medewerkers met een rol in de pilot die aan de klant werken."
	case process.ActBreakGlass:
		return "Alleen medewerkers met een rol in de pilot kunnen een dossier met een reden inzien."
	case process.ActReviewAccess:
		return "Het overzicht van inzage met reden is er voor teamleiders."
	case process.ActSubmitDigital:
		return "Digitale aanvragen en meldingen komen binnen via het e-formulier of het aanvraagformulier op de website."
	case process.ActSeeSubmitted:
		return "U kunt alleen de status zien van aanvragen die u zelf hebt ingediend."
	case process.ActEditClient:
		return "Alleen medewerkers met een rol in de pilot kunnen de contactgegevens van een klant wijzigen."
	case process.ActWorkTask:
		return "Deze stap hoort bij een ander team en een andere rol. U kunt hem bekijken, maar niet oppakken of afronden."
	case process.ActReleaseTask:
		return "U kunt alleen uw eigen taken vrijgeven."
	case process.ActAssignTask:
		return "Alleen Team Ondersteuning en teamleiders kunnen taken toewijzen."
	case process.ActEnterApplication:
		return "Alleen een Ondersteuner Poortwachter kan een fysieke aanvraag invoeren."
	case process.ActSuspendTerm:
		return "Alleen de Poort kan de beslistermijn opschorten."
	case process.ActStartStep:
		return "Deze stap hoort bij een ander team. Alleen een medewerker van dat team kan hem starten."
	case process.ActEditDossier:
		return "Alleen de klantmanager van dit participatiedossier wijzigt het plan van aanpak, de aanmeldingen, de trajecten en de vervolgafspraken. Vraag Team Ondersteuning of de teamleider om het dossier aan u over te dragen."
	case process.ActCloseDossier:
		return "Alleen de klantmanager van het dossier of een teamleider kan het dossier afsluiten."
	case process.ActChangeAppointment:
		return "Alleen de klantmanager van de afspraak, Team Ondersteuning of een teamleider kan een afspraak verplaatsen of annuleren."
	case process.ActDailyDigest:
		return "Het dagoverzicht is voor medewerkers met een werkvoorraad."
	case process.ActSeeOutbox:
		return "Alleen een functioneel beheerder of teamleider ziet de uitgaande berichten."
	case process.ActRetryMessage:
		return "Alleen een functioneel beheerder kan een bericht opnieuw versturen."
	case process.ActSeeAccounts:
		return "Alleen een functioneel beheerder of teamleider ziet alle accounts."
	case process.ActManageAccounts:
		return "Alleen een functioneel beheerder beheert accounts."
	case process.ActManageTokens:
		return "Alleen een functioneel beheerder beheert API-sleutels."
	case process.ActSeeOwnDossiers:
		return "Mijn dossiers is er voor klantmanagers (Werkdiagnose, Werk en AG)."
	case process.ActSeeTeamDossiers:
		return "Het overzicht van alle dossiers is er voor teamleiders en Team Ondersteuning."
	case process.ActTransferDossier:
		return "Alleen een teamleider of Team Ondersteuning kan dossiers overdragen aan een collega."
	case process.ActWriteNote:
		return "Contactmomenten en notities legt een medewerker met een rol in de pilot vast."
	case process.ActSeeDocuments:
		return "Documenten en brieven van een klant zijn alleen zichtbaar voor medewerkers met een rol in de pilot."
	case process.ActAddDocument:
		return "Alleen medewerkers met een rol in de pilot kunnen een document bij een klant uploaden."
	case process.ActSendLetter:
		return "Alleen medewerkers met een rol in de pilot kunnen een brief aan een klant laten maken."
	case process.ActPreviewLetters:
		return "De voorbeelden van de briefsjablonen zijn er voor functioneel beheerders."
	case process.ActManageRetention:
		return "Bewaartermijnen en vernietiging beheert een functioneel beheerder."
	case process.ActApproveDestruction:
		return "Alleen een functioneel beheerder kan een vernietiging goedkeuren."
	case process.ActExportClient:
		return "Een inzage-export van een klant maakt een functioneel beheerder, op een vastgelegd verzoek."
	case process.ActRectifyClient:
		return "Naam, geboortedatum en BSN van een klant corrigeert Team Ondersteuning of een teamleider."
	case process.ActSeeAudit:
		return "Alleen een functioneel beheerder ziet het auditlog en het register van verwerkingen."
	case process.ActEditNote:
		return "Alleen wie een contactmoment of notitie vastlegde, kan die wijzigen, en alleen binnen 24 uur."
	}
	return "U hebt geen toegang tot deze handeling."
}

// May reports whether the actor may do act on something they stand in
// relation rel to.
func May(a Actor, act process.Action, rel process.Relation) bool {
	return process.Allowed(a.Roles(), act, rel)
}

// Authorize returns nil when the actor may do act in relation rel, else a
// forbidden error with the action's Dutch refusal.
func Authorize(a Actor, act process.Action, rel process.Relation) error {
	if May(a, act, rel) {
		return nil
	}
	return Forbidden(refusal(act))
}

// TaskRelation is how the actor stands to a task: its holder, a member of
// its team, or neither.
func TaskRelation(def *process.Definition, a Actor, t Task) process.Relation {
	return def.TeamRelation(a.Roles(), a.User.ID, t.HolderID, t.Team)
}

// WorkRelation is how the actor stands to a task for working it: team when
// the task's team is one of theirs (they have its role). Holding a task
// does not make it theirs to work once the role is gone.
func WorkRelation(def *process.Definition, a Actor, t Task) process.Relation {
	return def.TeamRelation(a.Roles(), 0, 0, t.Team)
}

// AppointmentRelation is how the actor stands to an appointment: its
// klantmanager, or not.
func AppointmentRelation(a Actor, ap Appointment) process.Relation {
	return process.Owner(a.User.ID, ap.KlantmanagerID)
}

// DossierRelation is how the actor stands to a participation case: the
// dossier's owner, or not.
func DossierRelation(a Actor, c Case) process.Relation {
	return process.Owner(a.User.ID, c.DossierOwner)
}
