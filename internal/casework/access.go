package casework

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Need-to-know (BIO2 5.15, 5.18): a caseworker's role says what they may
// do with a client's data; whether they may do it to this client depends
// on how they stand to the client, computed here once (ClientRelation)
// from one store query (AccessTx.ClientAccess):
//
//   - owner: the user holds one of the client's open tasks, owns an open
//     dossier of the client, or is the klantmanager of a coming appointment;
//   - team: the client has an open task on the worklist of one of the
//     user's teams (its role, or a role that supports it: Team.Support) or
//     an open dossier owned by a member of one of them; for
//     team leads and Team Ondersteuning, who steer and distribute every
//     team's work, any open work of the client or a case closed within
//     Policy.NeedToKnowDays (objections, quality checks); or the user worked on the
//     client in the last Policy.NeedToKnowDays days (a history line or a
//     step record of theirs); or the user opened the file with a reason
//     that is still valid (break the glass, OpenWithReason);
//   - none otherwise: the web shows the form "Reden om in te zien", the API
//     answers 403.

// AccessQuery asks the store how a user stands to a client.
type AccessQuery struct {
	ClientID int64
	UserID   int64
	// Teams are the keys of the user's teams; TeamRoles their roles (an
	// open dossier whose owner holds one is in the user's team).
	Teams     []string
	TeamRoles []process.Role
	// WorkedSince: history lines and step records of the user on the
	// client from this time count as working on the client.
	WorkedSince time.Time
	// Now: grants valid after it count.
	Now time.Time
	// CaseID, when set, asks whether the user wrote history on this case
	// (what the e-form system sent in).
	CaseID int64
}

// ClientAccess is what the store found for an AccessQuery.
type ClientAccess struct {
	TeamWork  bool // an open task in one of the teams, or an open dossier owned by a member
	OpenWork  bool // any open task or open case of the client, or a case closed since WorkedSince
	Holds     bool // an open task held, an open dossier owned, a coming appointment as klantmanager
	Worked    bool // history or step records of the user since WorkedSince
	Grant     bool // an access grant (break the glass) valid at Now
	Submitted bool // the user wrote history on CaseID
}

// AccessGrant records that a user opened a client's file outside
// need-to-know, and why. Grants are append-only.
type AccessGrant struct {
	ID         int64
	UserID     int64
	UserName   string // read only: the user's name
	UserRoles  process.Roles
	ClientID   int64
	Reason     string
	GrantedAt  time.Time
	ValidUntil time.Time
}

// AccessTx reads how a user stands to a client and keeps the grants.
type AccessTx interface {
	// ClientAccess answers q in one query.
	ClientAccess(ctx context.Context, q AccessQuery) (ClientAccess, error)
	AddAccessGrant(ctx context.Context, g *AccessGrant) error
	// AccessGrants returns the grants given in [from, to), oldest first.
	AccessGrants(ctx context.Context, from, to time.Time) ([]AccessGrant, error)
}

// eventBreakGlass is the kind of the history line of a file opened with a
// reason; like eventInzage (a BSN shown) it does not count as work.
const (
	eventBreakGlass = "inzage_met_reden"
	eventInzage     = "inzage"
)

// NotWork are the kinds of history lines that record looking, not work:
// they do not give need-to-know.
var NotWork = []string{eventInzage, eventBreakGlass}

// errReasonNeeded is the cause of a refusal that opening the file with a
// reason would lift.
type errReasonNeeded struct{ clientID int64 }

func (e errReasonNeeded) Error() string {
	return fmt.Sprintf("no need-to-know of client %d", e.clientID)
}

// msgReasonNeeded is the refusal of a file outside need-to-know: the API
// says it, the web shows the form instead.
const msgReasonNeeded = "U werkt niet aan deze klant. Wie een dossier buiten het eigen werk wil inzien, opent het met een reden in de webapplicatie (Reden om in te zien); de teamleider ziet dat."

// ReasonNeeded reports whether err refuses a client's data to a caseworker
// who may open the file with a reason, and which client.
func ReasonNeeded(err error) (clientID int64, ok bool) {
	var e errReasonNeeded
	if errors.As(err, &e) {
		return e.clientID, true
	}
	return 0, false
}

// ClientRelation is how the actor stands to the client (see above).
func (s *core) ClientRelation(ctx context.Context, tx AccessTx, a Actor, clientID int64) (process.Relation, error) {
	rel, _, err := s.clientAccess(ctx, tx, a, clientID, 0)
	return rel, err
}

// clientAccess is ClientRelation, and with caseID whether the actor wrote
// history on that case (what the e-form system sent in).
func (s *core) clientAccess(ctx context.Context, tx AccessTx, a Actor, clientID, caseID int64) (process.Relation, bool, error) {
	if a.User.ID == 0 || clientID == 0 {
		return process.RelNone, false, nil
	}
	q := AccessQuery{ClientID: clientID, UserID: a.User.ID, Now: s.clock.Now().UTC(), CaseID: caseID}
	q.Teams, q.TeamRoles = s.teamsOf(a)
	if d := s.def.Policy.NeedToKnowDays; d > 0 {
		q.WorkedSince = q.Now.AddDate(0, 0, -d)
	}
	acc, err := tx.ClientAccess(ctx, q)
	if err != nil {
		return process.RelNone, false, err
	}
	return relationOf(a, acc), acc.Submitted, nil
}

// teamsOf returns the keys and roles of the actor's teams.
func (s *core) teamsOf(a Actor) (keys []string, roles []process.Role) {
	for _, t := range s.def.Policy.Teams {
		if t.Member(a.Roles()) {
			keys = append(keys, t.Key)
			roles = append(roles, t.Role)
		}
	}
	return keys, roles
}

// taskAccess is what one task of the client, already read, shows of how
// the user stands to the client: the facts of ClientAccess it alone
// decides (an open task on one of the user's teams, an open task the
// user holds). The store may find more facts, never fewer.
func (q AccessQuery) taskAccess(t Task) ClientAccess {
	open := t.Status == TaskOpen && t.ClientID == q.ClientID
	return ClientAccess{
		TeamWork: open && slices.Contains(q.Teams, t.Team),
		Holds:    open && q.UserID != 0 && t.HolderID == q.UserID,
	}
}

// seeTaskClient is seeClient for an action on one of the client's tasks,
// already read: when the task alone shows a relation in which the actor
// may see the client, the store is not asked (a relation only widens
// with more facts, and what an actor may do only widens with the
// relation: process.Allowed). The step of a task on the actor's own
// worklist so skips the need-to-know query.
func (s *core) seeTaskClient(ctx context.Context, tx AccessTx, a Actor, t Task) error {
	if a.User.ID != 0 {
		q := AccessQuery{ClientID: t.ClientID, UserID: a.User.ID}
		q.Teams, _ = s.teamsOf(a)
		if May(a, process.ActSeeClient, relationOf(a, q.taskAccess(t))) {
			return nil
		}
	}
	_, err := s.seeClient(ctx, tx, a, t.ClientID)
	return err
}

// relationOf reads the relation from what the store found.
func relationOf(a Actor, acc ClientAccess) process.Relation {
	switch {
	case acc.Holds:
		return process.RelOwner
	case acc.TeamWork, acc.Worked, acc.Grant, acc.OpenWork && process.Steers(a.Roles()):
		return process.RelTeam
	}
	return process.RelNone
}

// authorizeClient is Authorize for an action on one client's data: a
// caseworker without need-to-know gets a refusal that opening the file
// with a reason lifts (ReasonNeeded).
func authorizeClient(a Actor, act process.Action, rel process.Relation, clientID int64) error {
	if May(a, act, rel) {
		return nil
	}
	if process.NeedsReason(a.Roles(), act, rel) {
		return &Error{Code: CodeForbidden, Message: msgReasonNeeded, Err: errReasonNeeded{clientID}}
	}
	return Forbidden(refusal(act))
}

// knowClient checks that the actor may do act on the client's data and
// returns how they stand to the client. Every use case that reads or
// changes one client's data asks it inside its transaction.
func (s *core) knowClient(ctx context.Context, tx AccessTx, a Actor, act process.Action, clientID int64) (process.Relation, error) {
	rel, err := s.ClientRelation(ctx, tx, a, clientID)
	if err != nil {
		return rel, err
	}
	return rel, authorizeClient(a, act, rel, clientID)
}

// seeClient is knowClient for looking at the client (ActSeeClient): the
// gate before an action on something of the client (a task, a dossier, an
// appointment) whose own line in the table has its own relation.
func (s *core) seeClient(ctx context.Context, tx AccessTx, a Actor, clientID int64) (process.Relation, error) {
	return s.knowClient(ctx, tx, a, process.ActSeeClient, clientID)
}

// mayEver refuses an actor whose roles allow act in no relation, before
// anything is read.
func mayEver(a Actor, act process.Action) error { return AuthorizeRole(a, act) }

// AuthorizeRole refuses an actor whose roles allow act in no relation: the
// check before anything is read (the relation is checked where the thing
// is loaded).
func AuthorizeRole(a Actor, act process.Action) error {
	return Authorize(a, act, process.RelOwner)
}

// OpenWithReason records that the actor opens a client's file outside
// need-to-know, with the reason (the form BreakGlassForm): a grant valid
// until the end of the day (or Policy.BreakGlassHours), a line in the
// client's history, and a count in the team lead's daily digest.
func (s *Clients) OpenWithReason(ctx context.Context, a Actor, clientID int64, v Values) (err error) {
	defer wrap(&err, "OpenWithReason(clientID=%d)", clientID)
	if err := Authorize(a, process.ActBreakGlass, process.RelNone); err != nil {
		return err
	}
	in, errs, err := s.input(process.BreakGlassForm(), v, nil, checkEnv{def: s.def, today: s.today()})
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(in.Text(process.FieldReason))
	if _, bad := errs[process.FieldReason]; !bad && reason != "" && utf8.RuneCountInString(reason) < process.BreakGlassMinReason {
		errs.Add(process.FieldReason, fmt.Sprintf("Schrijf op waarom u dit dossier nodig hebt, in minstens %d tekens.", process.BreakGlassMinReason))
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx Tx) error {
		c, err := tx.ClientByID(ctx, clientID)
		if err != nil {
			return notFoundAs(err, "De klant")
		}
		now := s.clock.Now().UTC()
		g := &AccessGrant{UserID: a.User.ID, ClientID: c.ID, Reason: reason, GrantedAt: now, ValidUntil: s.grantEnd(now)}
		if err := tx.AddAccessGrant(ctx, g); err != nil {
			return err
		}
		return s.event(ctx, tx, a, c.ID, 0, 0, eventBreakGlass,
			"Dossier ingezien met reden (buiten het eigen werk), tot "+FormatDateTime(g.ValidUntil)+".", reason)
	})
}

// grantEnd is when a grant given at now ends: the end of the day in
// Amsterdam, or Policy.BreakGlassHours later.
func (s *core) grantEnd(now time.Time) time.Time {
	if h := s.def.Policy.BreakGlassHours; h > 0 {
		return now.Add(time.Duration(h) * time.Hour)
	}
	d := now.In(process.Amsterdam)
	return time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, process.Amsterdam).UTC()
}

// KnowsClient reports whether the actor may see the client without giving
// a reason, for links and menus (search results).
func (s *Clients) KnowsClient(ctx context.Context, a Actor, clientID int64) (bool, error) {
	rel, err := read(ctx, s.store, func(tx Tx) (process.Relation, error) { return s.ClientRelation(ctx, tx, a, clientID) })
	return May(a, process.ActSeeClient, rel), err
}

// knowClientIn is knowClient in a read of its own, for use cases that
// check their input before their transaction: a user without need-to-know
// learns nothing from the input's messages.
func knowClientIn[X ClientTx](ctx context.Context, s *core, st Transactor[X], a Actor, act process.Action, clientID int64) (process.Relation, error) {
	return read(ctx, st, func(tx X) (process.Relation, error) {
		if _, err := tx.ClientByID(ctx, clientID); err != nil {
			return process.RelNone, notFoundAs(err, "De klant")
		}
		return s.knowClient(ctx, tx, a, act, clientID)
	})
}

// ApplicationStatus returns an application for its status: to the e-form
// system only what it sent in (its history on the case), to caseworkers
// with need-to-know of the client.
func (s *Applications) ApplicationStatus(ctx context.Context, a Actor, caseID int64) (_ Case, err error) {
	defer wrap(&err, "ApplicationStatus(caseID=%d)", caseID)
	if err := mayEver(a, process.ActSeeSubmitted); err != nil {
		return Case{}, err
	}
	return read(ctx, s.store, func(tx ApplicationTx) (Case, error) {
		c, err := tx.CaseByID(ctx, caseID)
		if err != nil || c.Kind != process.CaseAanvraag {
			return Case{}, NotFound("De aanvraag")
		}
		rel, submitted, err := s.clientAccess(ctx, tx, a, c.ClientID, c.ID)
		if err != nil {
			return Case{}, err
		}
		if submitted {
			rel = process.RelOwner
		}
		return c, authorizeClient(a, process.ActSeeSubmitted, rel, c.ClientID)
	})
}
