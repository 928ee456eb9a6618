package process

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

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
	ActManageRetention    Action = "retention.manage"   // see what is due for destruction, propose it, see the dry run and reports
	ActApproveDestruction Action = "retention.approve"  // approve a proposed destruction, which carries it out
	ActExportClient       Action = "client.export"      // export everything about one client (UAVG art. 15, 20)
	ActRectifyClient      Action = "client.rectify"     // correct a client's name, date of birth or BSN (UAVG art. 16)
	ActSubmitDigital      Action = "application.submit" // send in a digital application or melding (the e-form system)
	ActSeeSubmitted       Action = "application.status" // read the status of an application (the e-form system: only what it sent)
	ActBreakGlass         Action = "client.break_glass" // open a client outside need-to-know, giving a reason
	ActReviewAccess       Action = "access.review"      // see who opened clients with a reason (the daily digest)
	ActSeeAudit           Action = "audit.see"          // the audit log and the register of processing activities, and its export
)

// Relation is how the user stands to the thing an action is about. A
// grant names the least relation it needs: owner is closer than team,
// team closer than none.
type Relation int

// Relations, from none to closest. For a client's data the relation is
// need-to-know (casework.ClientRelation): team when the client has open
// work in one of the user's teams (team leads and Team Ondersteuning: in
// any team, which they steer), the user worked on the client lately, or
// the user opened the file with a reason (break the glass); owner when the
// user holds the client's task, owns the dossier or is the klantmanager
// of a coming appointment.
const (
	RelNone  Relation = iota // no relation
	RelTeam                  // the task or case is on a worklist of one of the user's teams
	RelOwner                 // the user holds the task, owns the dossier or is the appointment's klantmanager
)

// RelationNames names the relations for the permission table's print.
var RelationNames = map[Relation]string{RelNone: "none", RelTeam: "team", RelOwner: "owner"}

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
	eforms      = []Role{RoleEFormulier}
)

// grants is the permission table: per action, who may, in which relation.
// Every action on one client's data (a task, a dossier, an appointment of
// the client) also needs need-to-know of the client (ActSeeClient), which
// casework checks before the action's own line.
func grants(act Action) []grant {
	switch act {
	// One client's data: need-to-know (RelTeam) at least.
	case ActSeeClient, ActRevealBSN, ActEditClient, ActWriteNote, ActSeeDocuments, ActAddDocument, ActSendLetter:
		return []grant{{caseworkers, RelTeam}}
	case ActBreakGlass:
		return []grant{{caseworkers, RelNone}}
	case ActSeeWorklist, ActDailyDigest:
		return []grant{{caseworkers, RelNone}}
	case ActSeeAllTeams, ActSeeDashboard, ActSeeOutbox, ActSeeAccounts:
		return []grant{{leads, RelNone}}
	case ActReviewAccess:
		return []grant{{[]Role{RoleTeamleider}, RelNone}}
	case ActWorkTask, ActStartStep:
		return []grant{{caseworkers, RelTeam}}
	case ActReleaseTask:
		return []grant{{caseworkers, RelOwner}, {steering, RelNone}}
	case ActAssignTask:
		return []grant{{steering, RelNone}}
	case ActEnterApplication:
		return []grant{{[]Role{RoleOndersteunerPoortwachter}, RelNone}}
	case ActSubmitDigital:
		return []grant{{eforms, RelNone}, {[]Role{RoleOndersteunerPoortwachter}, RelNone}}
	case ActSeeSubmitted:
		return []grant{{eforms, RelOwner}, {caseworkers, RelTeam}}
	case ActSuspendTerm:
		return []grant{{poort, RelTeam}}
	case ActEditDossier:
		// The plan, registrations, trajectories and follow-ups: the
		// dossier's own klantmanager only.
		return []grant{{guides, RelOwner}}
	case ActChangeAppointment:
		return []grant{{caseworkers, RelOwner}, {steering, RelNone}}
	case ActRetryMessage, ActManageAccounts, ActManageTokens:
		return []grant{{admins, RelNone}}
	case ActSeeOwnDossiers:
		return []grant{{guides, RelNone}}
	case ActSeeTeamDossiers, ActTransferDossier:
		return []grant{{steering, RelNone}}
	case ActPreviewLetters, ActSeeAudit:
		return []grant{{admins, RelNone}}
	case ActEditNote:
		return []grant{{caseworkers, RelOwner}}
	case ActManageRetention, ActApproveDestruction, ActExportClient:
		return []grant{{admins, RelNone}}
	case ActRectifyClient:
		return []grant{{steering, RelTeam}}
	case ActCloseDossier:
		return []grant{{guides, RelOwner}, {[]Role{RoleTeamleider}, RelNone}}
	}
	return nil
}

// Steers reports whether the roles steer the teams' work (a team lead, Team
// Ondersteuning): they see every client with open work.
func Steers(rs Roles) bool {
	for _, r := range rs {
		if slices.Contains(steering, r) {
			return true
		}
	}
	return false
}

// Actions lists every action, for tests and documentation.
func Actions() []Action {
	return []Action{ActSeeWorklist, ActSeeAllTeams, ActSeeDashboard, ActSeeClient, ActRevealBSN, ActEditClient, ActWorkTask,
		ActReleaseTask, ActAssignTask, ActEnterApplication, ActSuspendTerm, ActEditDossier, ActChangeAppointment,
		ActDailyDigest, ActSeeOutbox, ActRetryMessage, ActSeeAccounts, ActManageAccounts, ActManageTokens,
		ActSeeOwnDossiers, ActSeeTeamDossiers, ActTransferDossier, ActWriteNote, ActEditNote, ActCloseDossier, ActStartStep,
		ActSeeDocuments, ActAddDocument, ActSendLetter, ActPreviewLetters,
		ActManageRetention, ActApproveDestruction, ActExportClient, ActRectifyClient, ActSeeAudit,
		ActSubmitDigital, ActSeeSubmitted, ActBreakGlass, ActReviewAccess}
}

// ClientActions are the actions on one client's data: each needs
// need-to-know, and a user without it may open the file with a reason.
func ClientActions() []Action {
	return []Action{ActSeeClient, ActRevealBSN, ActEditClient, ActWriteNote, ActSeeDocuments, ActAddDocument, ActSendLetter}
}

// NeedsReason reports whether a user with these roles would be allowed act
// with need-to-know (RelTeam) but not without: the case for opening the
// file with a reason.
func NeedsReason(rs Roles, act Action, rel Relation) bool {
	return rel < RelTeam && !Allowed(rs, act, rel) && Allowed(rs, act, RelTeam) && Allowed(rs, ActBreakGlass, RelNone)
}

// Grant is one line of the permission table, for its print.
type Grant struct {
	Action Action
	Roles  []Role
	Min    Relation
}

// Table returns the permission table line by line, in the order of
// Actions: what `werkdiagnose permissions` prints and /proces shows.
func Table() []Grant {
	var out []Grant
	for _, act := range Actions() {
		for _, g := range grants(act) {
			out = append(out, Grant{Action: act, Roles: slices.Clone(g.roles), Min: g.min})
		}
	}
	return out
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

// PrintPermissions writes the permission table for a reviewer (a CISO):
// per action, the least relation and the roles it lets act, then what
// need-to-know means under the policy. `werkdiagnose process permissions`
// prints it.
func PrintPermissions(w io.Writer, p Policy) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ACTION\tLEAST RELATION\tROLES")
	for _, g := range Table() {
		names := make([]string, len(g.Roles))
		for i, r := range g.Roles {
			names[i] = string(r)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", g.Action, RelationNames[g.Min], strings.Join(names, ", "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nRelations: owner > team > none; a line allows its relation and every closer one.\n")
	fmt.Fprintf(w, "Every action on one client's data also needs %s (need-to-know) of the client:\n", ActSeeClient)
	fmt.Fprintf(w, "  owner: holds an open task of the client, owns an open dossier, or is the klantmanager of a coming appointment\n")
	fmt.Fprintf(w, "  team:  an open task on a worklist of one of the user's teams, or an open dossier owned by a team member;\n")
	fmt.Fprintf(w, "         for %s: any open work, or a case closed in the last %d days;\n", strings.Join(roleNames(steering), ", "), p.NeedToKnowDays)
	fmt.Fprintf(w, "         or the user worked on the client in the last %d days (need_to_know_days);\n", p.NeedToKnowDays)
	end := "the end of the day"
	if p.BreakGlassHours > 0 {
		end = fmt.Sprintf("%d hours", p.BreakGlassHours)
	}
	fmt.Fprintf(w, "         or the user opened the file with a reason (%s; valid until %s)\n", ActBreakGlass, end)
	fmt.Fprintf(w, "Teams (role, supporting roles):\n")
	for _, t := range p.Teams {
		fmt.Fprintf(w, "  %s: %s", t.Key, t.Role)
		if len(t.Support) > 0 {
			fmt.Fprintf(w, " (supported by %s)", strings.Join(roleNames(t.Support), ", "))
		}
		fmt.Fprintln(w)
	}
	return nil
}

func roleNames(rs []Role) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}
