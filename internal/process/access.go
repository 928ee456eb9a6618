package process

import "slices"

// Roles is the set of roles a user holds.
type Roles []Role

// Has reports whether the set holds r.
func (rs Roles) Has(r Role) bool { return slices.Contains(rs, r) }

// Action is something a user may do. Allowed decides every action from
// one table (grants); casework asks it before a use case changes or shows
// anything, and the web and the API ask the same to show a button or a
// menu item.
type Action string

// The actions of the system.
const (
	ActSeeWorklist       Action = "worklist.see"        // see worklists (their own teams')
	ActSeeAllTeams       Action = "worklist.see_all"    // see every team's worklist
	ActSeeDashboard      Action = "dashboard.see"       // the overview of open work per step
	ActSeeClient         Action = "client.see"          // open a client's file, search clients
	ActRevealBSN         Action = "client.reveal_bsn"   // show a client's full BSN
	ActEditClient        Action = "client.edit"         // change a client's contact details
	ActWorkTask          Action = "task.work"           // pick up and complete a task
	ActReleaseTask       Action = "task.release"        // put a task back on the team worklist
	ActAssignTask        Action = "task.assign"         // give a task to a colleague
	ActEnterApplication  Action = "application.enter"   // enter an application received on paper or at the desk
	ActSuspendTerm       Action = "application.suspend" // suspend the decision term, end a suspension
	ActStartStep         Action = "step.start"          // start a step by hand (Step.On == OnRequest): a request to complete, an extension
	ActEditDossier       Action = "dossier.edit"        // plan van aanpak, registrations, trajectories, follow-ups
	ActCloseDossier      Action = "dossier.close"       // close a dossier outside the steps (a NUG'er's guidance ends)
	ActChangeAppointment Action = "appointment.change"  // move or cancel an appointment
	ActDailyDigest       Action = "digest.set"          // receive the daily worklist mail
	ActSeeOutbox         Action = "outbox.see"          // the outgoing messages
	ActRetryMessage      Action = "outbox.retry"        // send a failed message again
	ActSeeAccounts       Action = "accounts.see"        // the list of accounts
	ActManageAccounts    Action = "accounts.manage"     // create, switch on and off accounts
	ActManageTokens      Action = "tokens.manage"       // issue and revoke API tokens
	ActSeeOwnDossiers    Action = "caseload.see_own"    // "Mijn dossiers": the participation dossiers one owns
	ActSeeTeamDossiers   Action = "caseload.see_team"   // every owner's dossiers, per owner and team
	ActTransferDossier   Action = "dossier.transfer"    // give dossiers to another klantmanager
	ActWriteNote         Action = "note.write"          // record a contact moment or a note on a client
	ActEditNote          Action = "note.edit"           // change one's own contact moment or note (owner: the author)
	ActSeeDocuments      Action = "document.see"        // list and download a client's documents (letters and uploads)
	ActAddDocument       Action = "document.add"        // upload a document to a client's case
	ActSendLetter        Action = "letter.send"         // have a letter made and sent to a client
	ActPreviewLetters    Action = "letter.preview"      // see every letter template filled with invented data
	// Retention and data subject rights (docs/security.md).
	ActManageRetention    Action = "retention.manage"  // see what is due for destruction, propose it, see the dry run and reports
	ActApproveDestruction Action = "retention.approve" // approve a proposed destruction, which carries it out
	ActExportClient       Action = "client.export"     // export everything about one client (UAVG art. 15, 20)
	ActRectifyClient      Action = "client.rectify"    // correct a client's name, date of birth or BSN (UAVG art. 16)
	ActSeeAudit           Action = "audit.see"         // the audit log and the register of processing activities, and its export
)

// Relation is how the user stands to the thing an action is about. A
// grant names the least relation it needs: owner is closer than team,
// team closer than none.
type Relation int

// Relations, from none to closest.
const (
	RelNone  Relation = iota // no relation
	RelTeam                  // the task or case is on a worklist of one of the user's teams
	RelOwner                 // the user holds the task, owns the dossier or is the appointment's klantmanager
)

// grant lets the roles (nil: every role that works cases) do an action
// when they stand in at least the relation min to its object.
type grant struct {
	roles []Role
	min   Relation
}

// Role groups used in the table.
var (
	caseworkers = []Role{RoleOndersteunerPoortwachter, RolePoortwachter, RoleTeamOndersteuning, RoleKMWerkdiagnose, RoleKMWerk, RoleAG, RoleTeamleider}
	poort       = []Role{RolePoortwachter, RoleOndersteunerPoortwachter}
	guides      = []Role{RoleKMWerkdiagnose, RoleKMWerk, RoleAG}
	steering    = []Role{RoleTeamOndersteuning, RoleTeamleider} // Team Ondersteuning distributes work, team leads steer it
	leads       = []Role{RoleTeamleider, RoleBeheerder}
	admins      = []Role{RoleBeheerder}
)

// grants is the permission table: per action, who may, in which relation.
func grants(act Action) []grant {
	switch act {
	case ActSeeWorklist, ActSeeClient, ActRevealBSN, ActEditClient, ActDailyDigest:
		return []grant{{caseworkers, RelNone}}
	case ActSeeAllTeams, ActSeeDashboard, ActSeeOutbox, ActSeeAccounts:
		return []grant{{leads, RelNone}}
	case ActWorkTask, ActStartStep:
		return []grant{{caseworkers, RelTeam}}
	case ActReleaseTask:
		return []grant{{caseworkers, RelOwner}, {steering, RelNone}}
	case ActAssignTask:
		return []grant{{steering, RelNone}}
	case ActEnterApplication:
		return []grant{{[]Role{RoleOndersteunerPoortwachter}, RelNone}}
	case ActSuspendTerm:
		return []grant{{poort, RelNone}}
	case ActEditDossier:
		return []grant{{guides, RelNone}}
	case ActChangeAppointment:
		return []grant{{caseworkers, RelOwner}, {steering, RelNone}}
	case ActRetryMessage, ActManageAccounts, ActManageTokens:
		return []grant{{admins, RelNone}}
	case ActSeeOwnDossiers:
		return []grant{{guides, RelNone}}
	case ActSeeTeamDossiers, ActTransferDossier:
		return []grant{{steering, RelNone}}
	case ActWriteNote, ActSeeDocuments, ActAddDocument, ActSendLetter:
		return []grant{{caseworkers, RelNone}}
	case ActPreviewLetters, ActSeeAudit:
		return []grant{{admins, RelNone}}
	case ActEditNote:
		return []grant{{caseworkers, RelOwner}}
	case ActManageRetention, ActApproveDestruction, ActExportClient:
		return []grant{{admins, RelNone}}
	case ActRectifyClient:
		return []grant{{steering, RelNone}}
	case ActCloseDossier:
		return []grant{{guides, RelOwner}, {[]Role{RoleTeamleider}, RelNone}}
	}
	return nil
}

// Actions lists every action, for tests and documentation.
func Actions() []Action {
	return []Action{ActSeeWorklist, ActSeeAllTeams, ActSeeDashboard, ActSeeClient, ActRevealBSN, ActEditClient, ActWorkTask,
		ActReleaseTask, ActAssignTask, ActEnterApplication, ActSuspendTerm, ActEditDossier, ActChangeAppointment,
		ActDailyDigest, ActSeeOutbox, ActRetryMessage, ActSeeAccounts, ActManageAccounts, ActManageTokens,
		ActSeeOwnDossiers, ActSeeTeamDossiers, ActTransferDossier, ActWriteNote, ActEditNote, ActCloseDossier, ActStartStep,
		ActSeeDocuments, ActAddDocument, ActSendLetter, ActPreviewLetters,
		ActManageRetention, ActApproveDestruction, ActExportClient, ActRectifyClient, ActSeeAudit}
}

// Allowed reports whether a user with these roles may do act on something
// they stand in relation rel to.
func Allowed(rs Roles, act Action, rel Relation) bool {
	for _, g := range grants(act) {
		if rel < g.min {
			continue
		}
		for _, r := range rs {
			if slices.Contains(g.roles, r) {
				return true
			}
		}
	}
	return false
}

// TeamRelation is how a user stands to a task or case on a team's
// worklist: owner when they hold it, team when the team is theirs (they
// have its role), else none.
func (d *Definition) TeamRelation(rs Roles, userID, holderID int64, team string) Relation {
	if userID != 0 && holderID == userID {
		return RelOwner
	}
	if t, ok := d.Policy.Team(team); ok && rs.Has(t.Role) {
		return RelTeam
	}
	return RelNone
}

// Owner is RelOwner when the user is the owner, else RelNone.
func Owner(userID, ownerID int64) Relation {
	if userID != 0 && userID == ownerID {
		return RelOwner
	}
	return RelNone
}
