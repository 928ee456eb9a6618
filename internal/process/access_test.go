package process_test

import (
	"slices"
	"testing"

	p "github.com/bar-organisatie/werkdiagnose/internal/process"
)

// mayWork asks the table whether roles may work a task of the team.
func mayWork(d *p.Definition, rs p.Roles, team string) bool {
	return p.Allowed(rs, p.ActWorkTask, d.TeamRelation(rs, 0, 0, team))
}

// Each team is worked by exactly one role; nobody else may work its tasks,
// not even team leads or administrators.
func TestMayWork(t *testing.T) {
	d := defaultDef(t)
	teamRole := map[string]p.Role{
		p.TeamPoort: p.RolePoortwachter, p.TeamOndersteuning: p.RoleTeamOndersteuning,
		p.TeamWerkdiagnose: p.RoleKMWerkdiagnose, p.TeamWerk: p.RoleKMWerk, p.TeamAG: p.RoleAG,
	}
	for team, owner := range teamRole {
		for _, r := range p.AllRoles {
			want := r == owner
			if got := mayWork(d, p.Roles{r}, team); got != want {
				t.Errorf("MayWork([%s], %s) = %v, want %v", r, team, got, want)
			}
		}
		if mayWork(d, nil, team) {
			t.Errorf("MayWork(nil, %s) = true", team)
		}
		// Several roles: one matching is enough.
		if !mayWork(d, p.Roles{p.RoleTeamleider, owner}, team) {
			t.Errorf("MayWork([teamleider %s], %s) = false", owner, team)
		}
	}
	for _, team := range []string{"", "onbekend", p.TeamHandover, p.TeamSameAsFrom} {
		if mayWork(d, p.Roles(p.AllRoles), team) {
			t.Errorf("MayWork(all roles, %q) = true for a team that does not exist", team)
		}
	}
	// The Ondersteuner Poortwachter registers applications but does not work the Poort's tasks.
	if mayWork(d, p.Roles{p.RoleOndersteunerPoortwachter}, p.TeamPoort) {
		t.Error("ondersteuner poortwachter may work poort tasks")
	}
	// The role comes from the policy: give the Poort team to another role and access follows.
	pol := p.DefaultPolicy()
	pol.Teams[0].Role = p.RoleOndersteunerPoortwachter
	d2, err := p.NewDefinition(pol)
	if err != nil {
		t.Fatal(err)
	}
	if !mayWork(d2, p.Roles{p.RoleOndersteunerPoortwachter}, p.TeamPoort) || mayWork(d2, p.Roles{p.RolePoortwachter}, p.TeamPoort) {
		t.Error("MayWork does not follow the team's configured role")
	}
}

// may asks the table without a relation.
func may(rs p.Roles, act p.Action) bool { return p.Allowed(rs, act, p.RelNone) }

func TestRolePermissions(t *testing.T) {
	type perms struct{ assign, register, suspend, admin, seeAll, caseworker bool }
	want := map[p.Role]perms{
		p.RoleOndersteunerPoortwachter: {register: true, suspend: true, caseworker: true},
		p.RolePoortwachter:             {suspend: true, caseworker: true},
		p.RoleTeamOndersteuning:        {assign: true, caseworker: true},
		p.RoleKMWerkdiagnose:           {caseworker: true},
		p.RoleKMWerk:                   {caseworker: true},
		p.RoleAG:                       {caseworker: true},
		p.RoleTeamleider:               {assign: true, seeAll: true, caseworker: true},
		p.RoleBeheerder:                {admin: true, seeAll: true},
		p.RoleEFormulier:               {},
	}
	if len(want) != len(p.AllRoles) {
		t.Fatalf("table covers %d roles, AllRoles has %d", len(want), len(p.AllRoles))
	}
	for _, r := range p.AllRoles {
		rs := p.Roles{r}
		// With need-to-know of the client (team) where the action is about one.
		team := func(act p.Action) bool { return p.Allowed(rs, act, p.RelTeam) }
		got := perms{may(rs, p.ActAssignTask), may(rs, p.ActEnterApplication), team(p.ActSuspendTerm), may(rs, p.ActManageAccounts),
			may(rs, p.ActSeeAllTeams), team(p.ActSeeClient)}
		if got != want[r] {
			t.Errorf("%s: got %+v, want %+v", r, got, want[r])
		}
	}
	none := p.Roles{}
	for _, act := range p.Actions() {
		if may(none, act) || may(nil, act) {
			t.Errorf("a user without roles may %s", act)
		}
	}
}

// Client data is for anyone with a caseworker role and need-to-know of the
// client, also next to the administrator role; the administrator role
// alone does not give it, and no role gives it without need-to-know.
func TestSeeClientWithSeveralRoles(t *testing.T) {
	cases := []struct {
		rs   p.Roles
		want bool
	}{
		{p.Roles{p.RoleBeheerder}, false},
		{p.Roles{p.RoleBeheerder, p.RoleBeheerder}, false},
		{p.Roles{p.RoleBeheerder, p.RoleKMWerk}, true},
		{p.Roles{p.RoleKMWerk, p.RoleBeheerder}, true},
		{p.Roles{p.RoleTeamleider}, true},
		{p.Roles{p.RoleBeheerder, p.RoleTeamleider}, true},
	}
	for _, c := range cases {
		if got := p.Allowed(c.rs, p.ActSeeClient, p.RelTeam); got != c.want {
			t.Errorf("may see clients (%v) = %v, want %v", c.rs, got, c.want)
		}
		if may(c.rs, p.ActSeeClient) {
			t.Errorf("%v may see a client without need-to-know", c.rs)
		}
		if got := p.NeedsReason(c.rs, p.ActSeeClient, p.RelNone); got != c.want {
			t.Errorf("NeedsReason(%v) = %v, want %v", c.rs, got, c.want)
		}
	}
}

func TestRolesHas(t *testing.T) {
	rs := p.Roles{p.RoleKMWerk, p.RoleTeamleider}
	if !rs.Has(p.RoleKMWerk) || !rs.Has(p.RoleTeamleider) || rs.Has(p.RoleBeheerder) || rs.Has("") {
		t.Errorf("Has on %v is wrong", rs)
	}
	if (p.Roles(nil)).Has(p.RoleKMWerk) {
		t.Error("nil Roles has a role")
	}
}

func TestParseRole(t *testing.T) {
	for _, r := range p.AllRoles {
		got, ok := p.ParseRole(string(r))
		if !ok || got != r {
			t.Errorf("ParseRole(%q) = %q, %v", r, got, ok)
		}
		if p.RoleNames[r] == "" {
			t.Errorf("role %s has no Dutch name", r)
		}
	}
	if len(p.RoleNames) != len(p.AllRoles) {
		t.Errorf("RoleNames has %d entries, AllRoles %d", len(p.RoleNames), len(p.AllRoles))
	}
	if got, ok := p.ParseRole("  km_werk\n"); !ok || got != p.RoleKMWerk {
		t.Errorf("ParseRole with spaces = %q, %v", got, ok)
	}
	for _, s := range []string{"", " ", "KM_WERK", "km werk", "admin", "Klantmanager Werk", "km_werk,ag"} {
		if _, ok := p.ParseRole(s); ok {
			t.Errorf("ParseRole(%q) accepted", s)
		}
	}
}

// TestPermissionTable spells out who may do what, per relation: the table
// in access.go must give exactly this.
func TestPermissionTable(t *testing.T) {
	op, pw, top := p.RoleOndersteunerPoortwachter, p.RolePoortwachter, p.RoleTeamOndersteuning
	wd, kmw, ag, tl, fb, ef := p.RoleKMWerkdiagnose, p.RoleKMWerk, p.RoleAG, p.RoleTeamleider, p.RoleBeheerder, p.RoleEFormulier
	caseworkers := []p.Role{op, pw, top, wd, kmw, ag, tl}
	// want[action][relation] lists the roles that may.
	want := map[p.Action]map[p.Relation][]p.Role{
		p.ActSeeWorklist:  {p.RelNone: caseworkers},
		p.ActSeeAllTeams:  {p.RelNone: {tl, fb}},
		p.ActSeeDashboard: {p.RelNone: {tl, fb}},
		// One client's data: need-to-know (team) or closer; without it a
		// caseworker may break the glass, giving a reason.
		p.ActSeeClient:          {p.RelTeam: caseworkers},
		p.ActRevealBSN:          {p.RelTeam: caseworkers},
		p.ActEditClient:         {p.RelTeam: caseworkers},
		p.ActBreakGlass:         {p.RelNone: caseworkers},
		p.ActReviewAccess:       {p.RelNone: {tl}},
		p.ActWorkTask:           {p.RelNone: nil, p.RelTeam: caseworkers},
		p.ActReleaseTask:        {p.RelNone: {top, tl}, p.RelOwner: caseworkers},
		p.ActAssignTask:         {p.RelNone: {top, tl}},
		p.ActEnterApplication:   {p.RelNone: {op}},
		p.ActSubmitDigital:      {p.RelNone: {ef, op}},
		p.ActSeeSubmitted:       {p.RelTeam: caseworkers, p.RelOwner: {ef}},
		p.ActSuspendTerm:        {p.RelTeam: {op, pw}},
		p.ActStartStep:          {p.RelNone: nil, p.RelTeam: caseworkers},
		p.ActEditDossier:        {p.RelOwner: {wd, kmw, ag}},
		p.ActCloseDossier:       {p.RelNone: {tl}, p.RelOwner: {wd, kmw, ag}},
		p.ActChangeAppointment:  {p.RelNone: {top, tl}, p.RelOwner: caseworkers},
		p.ActDailyDigest:        {p.RelNone: caseworkers},
		p.ActSeeOutbox:          {p.RelNone: {tl, fb}},
		p.ActRetryMessage:       {p.RelNone: {fb}},
		p.ActSeeAccounts:        {p.RelNone: {tl, fb}},
		p.ActManageAccounts:     {p.RelNone: {fb}},
		p.ActManageTokens:       {p.RelNone: {fb}},
		p.ActSeeOwnDossiers:     {p.RelNone: {wd, kmw, ag}},
		p.ActSeeTeamDossiers:    {p.RelNone: {top, tl}},
		p.ActTransferDossier:    {p.RelNone: {top, tl}},
		p.ActWriteNote:          {p.RelTeam: caseworkers},
		p.ActEditNote:           {p.RelNone: nil, p.RelOwner: caseworkers},
		p.ActManageRetention:    {p.RelNone: {fb}},
		p.ActApproveDestruction: {p.RelNone: {fb}},
		p.ActExportClient:       {p.RelNone: {fb}},
		p.ActRectifyClient:      {p.RelNone: nil, p.RelTeam: {top, tl}},
		// Whoever may see a client's file sees its documents; nobody else.
		p.ActSeeDocuments:   {p.RelTeam: caseworkers},
		p.ActAddDocument:    {p.RelTeam: caseworkers},
		p.ActSendLetter:     {p.RelTeam: caseworkers},
		p.ActPreviewLetters: {p.RelNone: {fb}},
		p.ActSeeAudit:       {p.RelNone: {fb}},
	}
	if len(want) != len(p.Actions()) {
		t.Fatalf("the test spells out %d actions, the table has %d", len(want), len(p.Actions()))
	}
	for _, act := range p.Actions() {
		rels, ok := want[act]
		if !ok {
			t.Errorf("action %s is not spelled out here", act)
			continue
		}
		for _, rel := range []p.Relation{p.RelNone, p.RelTeam, p.RelOwner} {
			// A closer relation keeps what a looser one allows.
			var allowed []p.Role
			for r := p.RelNone; r <= rel; r++ {
				allowed = append(allowed, rels[r]...)
			}
			for _, role := range p.AllRoles {
				exp := slices.Contains(allowed, role)
				if got := p.Allowed(p.Roles{role}, act, rel); got != exp {
					t.Errorf("Allowed(%s, %s, relation %d) = %v, want %v", role, act, rel, got, exp)
				}
			}
			if p.Allowed(nil, act, rel) {
				t.Errorf("Allowed(no roles, %s, %d) = true", act, rel)
			}
		}
	}
}
