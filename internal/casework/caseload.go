package casework

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// DossierRow is an open participation dossier with what a caseload list
// shows of it.
type DossierRow struct {
	Case
	ClientName      string
	NextAppointment time.Time // the client's next appointment that is not cancelled; zero when none
	NextDue         time.Time // the earliest term of an open task of the dossier's flow; zero when none
	LastContact     time.Time // the moment of the client's last contact moment; zero when none
}

// DossierFilter selects open participation dossiers.
type DossierFilter struct {
	OwnerID int64     // only this owner's; 0: every owner's
	From    time.Time // appointments from this moment on count as next
	// Cursor and Limit select a page (DossierCursor); Limit 0: all.
	Cursor *Cursor
	Limit  int
}

// CaseloadTx lists the open participation dossiers, by client name.
type CaseloadTx interface {
	OpenDossiers(ctx context.Context, f DossierFilter) ([]DossierRow, error)
	// CountOpenDossiers counts the open participation dossiers of an
	// owner (0: of everyone).
	CountOpenDossiers(ctx context.Context, ownerID int64) (int, error)
}

// CaseloadAreaTx is what the caseload use cases read and write: the list,
// and for a transfer the dossier, its tasks, the people, the history and
// the hand-over mail.
type CaseloadAreaTx interface {
	CaseloadTx
	CaseTx
	TaskTx
	UserTx
	ClientTx
	EventTx
	OutboxTx
	DefinitionTx
}

// CaseloadService shows klantmanagers their dossiers, team leads everyone's,
// and transfers dossiers between klantmanagers.
type CaseloadService interface {
	// MyDossiers lists a page of the open participation dossiers the
	// actor owns, at cursor (a Cursor's String; "" the first page).
	MyDossiers(ctx context.Context, a Actor, cursor string) (Caseload, error)
	// TeamDossiers lists the owners of open participation dossiers with
	// their number, and a page of one owner's dossiers (the chosen one,
	// else the first), with the choices of the transfer form.
	TeamDossiers(ctx context.Context, a Actor, q CaseloadQuery) (TeamCaseload, error)
	// TransferDossiers gives the chosen dossiers (process.TransferForm) to
	// another klantmanager: invalid with field messages, conflict when a
	// dossier changed since the form was built. Nothing is transferred
	// unless everything is.
	TransferDossiers(ctx context.Context, a Actor, v Values) (Transfer, error)
}

// Caseload is a list of dossiers.
type Caseload struct {
	Dossiers []DossierView
	Page     Page
}

// dossierSort names the order of the caseload in its cursors.
const dossierSort = "dossier"

// DossierCursor is the position of a dossier in a caseload, sorted by the
// client's name: the cursor holds the client's id, never the name.
func DossierCursor(r DossierRow) Cursor {
	return Cursor{Sort: dossierSort, Value: strconv.FormatInt(r.ClientID, 10), ID: r.ID}
}

// DossierView is a dossier row with the state of its next term.
type DossierView struct {
	DossierRow
	Deadline      process.DeadlineState
	DeadlineLabel string
	DaysLeft      int
}

// CaseloadQuery filters the team view.
type CaseloadQuery struct {
	OwnerID int64  // one owner's dossiers (NoOwner: those without); 0: all
	Team    string // the dossiers of the klantmanagers of this team; "": all
	Cursor  string // the page of the group shown (a Cursor's String); "": the first
}

// NoOwner, as an owner filter, selects the dossiers without an owner.
const NoOwner int64 = -1

// OwnerGroup is one owner's dossiers in the team view.
type OwnerGroup struct {
	Owner User // zero for dossiers without an owner
	Name  string
	Count int // the owner's open dossiers (of the filter)
	// Dossiers is a page of them (Page) in the group the view shows:
	// the chosen owner's, else the first; empty in the others.
	Dossiers []DossierView
	Page     Page
}

// TeamCaseload is the team view: the dossiers per owner, the filters'
// choices and the choices of the transfer form.
type TeamCaseload struct {
	Query   CaseloadQuery
	Groups  []OwnerGroup
	Count   int
	Owners  []Candidate    // klantmanagers, for the owner filter, with their caseload
	Teams   []process.Team // teams of klantmanagers, for the team filter
	Options map[string][]process.Option
}

// Transfer is what a transfer did.
type Transfer struct {
	To       User
	Dossiers int
	Tasks    int
}

// Caseloads shows klantmanagers' participation dossiers and transfers
// them.
type Caseloads struct {
	*core
	store Transactor[CaseloadAreaTx]
}

var _ CaseloadService = (*Caseloads)(nil)

// guideTeams are the teams whose members own dossiers: those whose role
// may have "Mijn dossiers".
func guideTeams(p process.Policy) []process.Team {
	var out []process.Team
	for _, t := range p.Teams {
		if process.Allowed(process.Roles{t.Role}, process.ActSeeOwnDossiers, process.RelNone) {
			out = append(out, t)
		}
	}
	return out
}

// ownsDossiers reports whether a user can own participation dossiers.
func ownsDossiers(u User) bool {
	return u.Active && !u.System && process.Allowed(u.Roles, process.ActSeeOwnDossiers, process.RelNone)
}

// views adds the state of each dossier's next term.
func (s *Caseloads) views(ctx context.Context, tx DefinitionTx, rows []DossierRow) ([]DossierView, error) {
	out := make([]DossierView, 0, len(rows))
	for _, r := range rows {
		def, err := s.definition(ctx, tx, r.DefinitionVersion)
		if err != nil {
			return nil, err
		}
		v := DossierView{DossierRow: r}
		v.Deadline, v.DaysLeft = def.Policy.Deadline(r.NextDue, !r.NextDue.IsZero(), s.clock.Now())
		v.DeadlineLabel = process.DeadlineLabels[v.Deadline]
		out = append(out, v)
	}
	return out, nil
}

// MyDossiers lists the actor's own open participation dossiers.
func (s *Caseloads) MyDossiers(ctx context.Context, a Actor, cursor string) (_ Caseload, err error) {
	defer wrap(&err, "MyDossiers()")
	if err := Authorize(a, process.ActSeeOwnDossiers, process.RelNone); err != nil {
		return Caseload{}, err
	}
	f := DossierFilter{OwnerID: a.User.ID, From: s.clock.Now(), Cursor: cursorFor(cursor, dossierSort, false), Limit: PageSize + 1}
	return read(ctx, s.store, func(tx CaseloadAreaTx) (Caseload, error) {
		rows, err := tx.OpenDossiers(ctx, f)
		if err != nil {
			return Caseload{}, err
		}
		if f.Cursor != nil && f.Cursor.Back && len(rows) < PageSize {
			f.Cursor = nil // back at the start: the first page, whole
			if rows, err = tx.OpenDossiers(ctx, f); err != nil {
				return Caseload{}, err
			}
		}
		var cl Caseload
		rows, cl.Page = pageOf(rows, PageSize, f.Cursor, DossierCursor)
		if cl.Page.Total, err = tx.CountOpenDossiers(ctx, a.User.ID); err != nil {
			return Caseload{}, err
		}
		cl.Dossiers, err = s.views(ctx, tx, rows)
		return cl, err
	})
}

// owners returns the people who can own dossiers, with their caseload.
func owners(ctx context.Context, tx CaseloadAreaTx) ([]Candidate, error) {
	out, err := candidatesWhere(ctx, tx, ownsDossiers)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].User.Name < out[j].User.Name })
	return out, nil
}

// guideRoleNames names the klantmanager roles of a user.
func guideRoleNames(u User) string {
	var names []string
	for _, r := range u.Roles {
		if process.Allowed(process.Roles{r}, process.ActSeeOwnDossiers, process.RelNone) {
			names = append(names, process.RoleNames[r])
		}
	}
	return strings.Join(names, ", ")
}

// transferOptions are the choices of the transfer form: the open dossiers
// and the klantmanagers who can take them.
func transferOptions(rows []DossierRow, people []Candidate) map[string][]process.Option {
	ds := make([]process.Option, 0, len(rows))
	for _, r := range rows {
		owner := r.DossierOwnerName
		if owner == "" {
			owner = "zonder dossierhouder"
		}
		ds = append(ds, process.Option{Value: strconv.FormatInt(r.ID, 10), Label: fmt.Sprintf("%s (%s, %s)", r.ClientName, r.Code, owner)})
	}
	kms := make([]process.Option, 0, len(people))
	for _, c := range people {
		kms = append(kms, process.Option{Value: strconv.FormatInt(c.User.ID, 10),
			Label: fmt.Sprintf("%s (%s, %d dossiers)", c.User.Name, guideRoleNames(c.User), c.Caseload)})
	}
	return map[string][]process.Option{process.SourceDossiers: ds, process.SourceKlantmanagers: kms}
}

// TeamDossiers lists the owners of open participation dossiers with their
// number and a page of the dossiers of one of them: its cost does not
// grow with the number of dossiers.
func (s *Caseloads) TeamDossiers(ctx context.Context, a Actor, q CaseloadQuery) (_ TeamCaseload, err error) {
	defer wrap(&err, "TeamDossiers()")
	if err := Authorize(a, process.ActSeeTeamDossiers, process.RelNone); err != nil {
		return TeamCaseload{}, err
	}
	tc := TeamCaseload{Query: q, Teams: guideTeams(s.def.Policy)}
	var team *process.Team
	if q.Team != "" {
		for i := range tc.Teams {
			if tc.Teams[i].Key == q.Team {
				team = &tc.Teams[i]
			}
		}
		if team == nil {
			return TeamCaseload{}, NotFound("Het team")
		}
	}
	err = s.store.View(ctx, func(tx CaseloadAreaTx) error {
		var err error
		if tc.Owners, err = owners(ctx, tx); err != nil {
			return err
		}
		users, err := tx.ListUsers(ctx)
		if err != nil {
			return err
		}
		byID := map[int64]User{}
		for _, u := range users {
			byID[u.ID] = u
		}
		// The groups from the number of open dossiers per owner: one
		// GROUP BY on the index of open cases by kind and owner.
		load, err := tx.Caseload(ctx)
		if err != nil {
			return err
		}
		for owner, n := range load {
			if n == 0 || q.OwnerID == NoOwner && owner != 0 || q.OwnerID > 0 && owner != q.OwnerID {
				continue
			}
			if team != nil && !byID[owner].Roles.Has(team.Role) {
				continue
			}
			g := OwnerGroup{Owner: byID[owner], Name: byID[owner].Name, Count: n}
			if owner == 0 || g.Name == "" {
				g.Name = "Zonder dossierhouder"
			}
			tc.Groups = append(tc.Groups, g)
			tc.Count += n
		}
		sort.Slice(tc.Groups, func(i, j int) bool {
			gi, gj := tc.Groups[i], tc.Groups[j]
			if (gi.Owner.ID == 0) != (gj.Owner.ID == 0) {
				return gi.Owner.ID == 0 // dossiers without an owner first: they need one
			}
			return gi.Name < gj.Name
		})
		if len(tc.Groups) == 0 {
			tc.Options = transferOptions(nil, tc.Owners)
			return nil
		}
		// The dossiers of one group, a page at a time: the chosen
		// owner's, else the first group's.
		g := &tc.Groups[0]
		owner := g.Owner.ID
		if owner == 0 {
			owner = NoOwner
		}
		f := DossierFilter{OwnerID: owner, From: s.clock.Now(), Cursor: cursorFor(q.Cursor, dossierSort, false), Limit: PageSize + 1}
		rows, err := tx.OpenDossiers(ctx, f)
		if err != nil {
			return err
		}
		if f.Cursor != nil && f.Cursor.Back && len(rows) < PageSize {
			f.Cursor = nil // back at the start: the first page, whole
			if rows, err = tx.OpenDossiers(ctx, f); err != nil {
				return err
			}
		}
		rows, g.Page = pageOf(rows, PageSize, f.Cursor, DossierCursor)
		g.Page.Total = g.Count
		if g.Dossiers, err = s.views(ctx, tx, rows); err != nil {
			return err
		}
		tc.Options = transferOptions(rows, tc.Owners)
		return nil
	})
	return tc, err
}

// dossierTeam is the team whose klantmanagers guide the dossier now: the
// team of the latest task on the participation case that belongs to a
// klantmanager team, else the team whose worklist the case is on. A new
// owner needs that team's role, as the chosen holder of a hand-over does.
func dossierTeam(def *process.Definition, c Case, tasks []Task) (process.Team, bool) {
	guides := guideTeams(def.Policy)
	find := func(match func(process.Team) bool) (process.Team, bool) {
		for _, t := range guides {
			if match(t) {
				return t, true
			}
		}
		return process.Team{}, false
	}
	var latest *Task
	for i := range tasks {
		t := &tasks[i]
		if t.CaseID != c.ID {
			continue
		}
		if _, ok := find(func(tm process.Team) bool { return tm.Key == t.Team }); ok && (latest == nil || t.ID > latest.ID) {
			latest = t
		}
	}
	if latest != nil {
		return find(func(tm process.Team) bool { return tm.Key == latest.Team })
	}
	if c.Worklist != "" {
		return find(func(tm process.Team) bool { return tm.Worklist == c.Worklist })
	}
	return process.Team{}, false
}

type dossierHandoverMail struct {
	mailCommon
	Name, By, CaseCode, Status, URL string
	Tasks                           []string
}

// transferPlan is one dossier of a transfer, checked and ready to write.
type transferPlan struct {
	c      Case
	def    *process.Definition
	client Client
	tasks  []Task // open tasks on the case held by the old owner
	team   process.Team
}

// TransferDossiers gives dossiers to another klantmanager, with the
// reason: the case's owner, the open tasks on it the old owner held, a
// line in each client's history and a hand-over mail to the new owner
// naming the dossier without client data. All dossiers or none.
func (s *Caseloads) TransferDossiers(ctx context.Context, a Actor, v Values) (_ Transfer, err error) {
	defer wrap(&err, "TransferDossiers()")
	if err := Authorize(a, process.ActTransferDossier, process.RelNone); err != nil {
		return Transfer{}, err
	}
	var out Transfer
	err = s.store.Update(ctx, func(tx CaseloadAreaTx) error {
		people, err := owners(ctx, tx)
		if err != nil {
			return err
		}
		// The choices are the dossiers chosen that are open (read by id,
		// not every open dossier). A dossier closed since the form was
		// shown is a conflict, not a wrong choice.
		var rows []DossierRow
		chosen := map[int64]bool{}
		for _, raw := range v[process.FieldDossiers] {
			id := parseID(raw)
			if id == 0 || chosen[id] {
				continue
			}
			chosen[id] = true
			c, err := tx.CaseByID(ctx, id)
			if err != nil || c.Kind != process.CaseParticipatie {
				return notFoundAs(orNotFound(err), "Het participatiedossier")
			}
			cl, err := tx.ClientByID(ctx, c.ClientID)
			if err != nil {
				return err
			}
			if !c.Open() {
				return Conflict(fmt.Sprintf("Het dossier van %s is intussen afgesloten en kan niet meer worden overgedragen. Er is niets overgedragen: kies opnieuw.", cl.Name()))
			}
			rows = append(rows, DossierRow{Case: c, ClientName: cl.Name()})
		}
		in, errs, err := s.input(process.TransferForm(), v, transferOptions(rows, people), s.env(s.def))
		if err != nil {
			return err
		}
		var to User
		if id := in.ID(process.FieldKM); id != 0 {
			if to, err = tx.UserByID(ctx, id); err != nil {
				return notFoundAs(err, "De klantmanager")
			}
		}
		var plans []transferPlan
		seen := map[int64]bool{}
		for _, raw := range in.List(process.FieldDossiers) {
			if seen[parseID(raw)] {
				continue
			}
			seen[parseID(raw)] = true
			c, err := tx.CaseByID(ctx, parseID(raw))
			if err != nil {
				return err
			}
			cl, err := tx.ClientByID(ctx, c.ClientID)
			if err != nil {
				return err
			}
			if want := parseID(v.Get(process.DossierVersionField(c.ID))); want != 0 && want != int64(c.Version) {
				return Conflict(fmt.Sprintf("Een collega heeft het dossier van %s intussen gewijzigd (nu bij %s). Er is niets overgedragen: bekijk de lijst opnieuw en draag opnieuw over.",
					cl.Name(), userName(ctx, tx, c.DossierOwner)))
			}
			def, err := s.definition(ctx, tx, c.DefinitionVersion)
			if err != nil {
				return err
			}
			tasks, err := tx.TasksByApplication(ctx, c.ApplicationID)
			if err != nil {
				return err
			}
			p := transferPlan{c: c, def: def, client: cl}
			team, known := dossierTeam(def, c, tasks)
			p.team = team
			if to.ID == 0 {
				continue
			}
			switch {
			case c.DossierOwner == to.ID:
				errs.Add(process.FieldKM, fmt.Sprintf("%s is al dossierhouder van %s. Kies een andere klantmanager of haal dit dossier uit de keuze.", to.Name, cl.Name()))
			case known && !to.Roles.Has(team.Role):
				errs.Add(process.FieldKM, fmt.Sprintf("%s heeft niet de rol %s: het dossier van %s hoort bij %s. Kies een klantmanager met die rol.",
					to.Name, process.RoleNames[team.Role], cl.Name(), team.Name))
			case !ownsDossiers(to):
				errs.Add(process.FieldKM, fmt.Sprintf("%s kan geen participatiedossiers hebben: kies een klantmanager (Werkdiagnose, Werk of AG).", to.Name))
			}
			for _, t := range tasks {
				if t.CaseID == c.ID && t.Status == TaskOpen && c.DossierOwner != 0 && t.HolderID == c.DossierOwner {
					p.tasks = append(p.tasks, t)
				}
			}
			plans = append(plans, p)
		}
		if err := errs.Err(); err != nil {
			return err
		}
		reason := in.Text(process.FieldReason)
		for _, p := range plans {
			n, err := s.transferOne(ctx, tx, a, p, to, reason)
			if err != nil {
				return err
			}
			out.Tasks += n
		}
		out.To, out.Dossiers = to, len(plans)
		return nil
	})
	return out, err
}

// transferOne writes the transfer of one checked dossier and returns the
// number of tasks that went along.
func (s *Caseloads) transferOne(ctx context.Context, tx CaseloadAreaTx, a Actor, p transferPlan, to User, reason string) (int, error) {
	c := p.c
	prev := userName(ctx, tx, c.DossierOwner)
	c.DossierOwner = to.ID
	if err := tx.UpdateCase(ctx, &c); err != nil {
		if errors.Is(err, ErrStale) {
			return 0, Conflict(fmt.Sprintf("Een collega wijzigde het dossier van %s tegelijk met u. Er is niets overgedragen: bekijk de lijst opnieuw en draag opnieuw over.", p.client.Name()))
		}
		return 0, err
	}
	var moved, released []string
	for _, t := range p.tasks {
		title := string(t.Step)
		if st, ok := p.def.Step(t.Step); ok {
			title = st.Title
		}
		// A task the new owner could not work goes back to its team.
		if WorkRelation(p.def, Actor{User: to}, t) == process.RelNone {
			t.HolderID = 0
			released = append(released, title)
		} else {
			t.HolderID = to.ID
			moved = append(moved, title)
		}
		if err := tx.UpdateTask(ctx, &t); err != nil {
			return 0, staleAsConflict(err)
		}
	}
	summary := fmt.Sprintf("Participatiedossier %s overgedragen van %s aan %s.", c.Code, prev, to.Name)
	if len(moved) > 0 {
		summary += fmt.Sprintf(" Open taken mee overgedragen: %s.", quoteJoin(moved))
	}
	if len(released) > 0 {
		summary += fmt.Sprintf(" Terug naar de werkvoorraad van het team: %s.", quoteJoin(released))
	}
	if err := s.event(ctx, tx, a, c.ClientID, c.ID, 0, "dossier_overgedragen", summary, reason); err != nil {
		return 0, err
	}
	d := &dossierHandoverMail{Name: to.Name, By: a.User.Name, CaseCode: c.Code, Status: process.StatusNames[c.Status],
		URL: fmt.Sprintf("%s/klanten/%d#participatie", s.cfg.BaseURL, c.ClientID), Tasks: moved}
	m := &Message{ClientID: c.ClientID, CaseID: c.ID, Kind: "Overdracht dossier", From: s.cfg.Sender, To: to.Email, ToName: to.Name}
	if err := s.renderMail(m, "dossieroverdracht", d); err != nil {
		return 0, err
	}
	if err := s.enqueue(ctx, tx, m); err != nil {
		return 0, err
	}
	return len(moved), nil
}

func quoteJoin(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = "“" + s + "”"
	}
	return strings.Join(q, ", ")
}
