package process_test

import (
	"testing"

	p "github.com/bar-organisatie/werkdiagnose/internal/process"
)

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
			if got := d.MayWork(p.Roles{r}, team); got != want {
				t.Errorf("MayWork([%s], %s) = %v, want %v", r, team, got, want)
			}
		}
		if d.MayWork(nil, team) {
			t.Errorf("MayWork(nil, %s) = true", team)
		}
		// Several roles: one matching is enough.
		if !d.MayWork(p.Roles{p.RoleTeamleider, owner}, team) {
			t.Errorf("MayWork([teamleider %s], %s) = false", owner, team)
		}
	}
	for _, team := range []string{"", "onbekend", p.TeamHandover, p.TeamSameAsFrom} {
		if d.MayWork(p.Roles(p.AllRoles), team) {
			t.Errorf("MayWork(all roles, %q) = true for a team that does not exist", team)
		}
	}
	// The Ondersteuner Poortwachter registers applications but does not work the Poort's tasks.
	if d.MayWork(p.Roles{p.RoleOndersteunerPoortwachter}, p.TeamPoort) {
		t.Error("ondersteuner poortwachter may work poort tasks")
	}
	// The role comes from the policy: give the Poort team to another role and access follows.
	pol := p.DefaultPolicy()
	pol.Teams[0].Role = p.RoleOndersteunerPoortwachter
	d2, err := p.NewDefinition(pol)
	if err != nil {
		t.Fatal(err)
	}
	if !d2.MayWork(p.Roles{p.RoleOndersteunerPoortwachter}, p.TeamPoort) || d2.MayWork(p.Roles{p.RolePoortwachter}, p.TeamPoort) {
		t.Error("MayWork does not follow the team's configured role")
	}
}

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
	}
	if len(want) != len(p.AllRoles) {
		t.Fatalf("table covers %d roles, AllRoles has %d", len(want), len(p.AllRoles))
	}
	for _, r := range p.AllRoles {
		rs := p.Roles{r}
		got := perms{p.MayAssign(rs), p.MayRegisterApplication(rs), p.MayManageSuspensions(rs), p.MayAdminister(rs), p.MaySeeAll(rs), p.IsCaseworker(rs)}
		if got != want[r] {
			t.Errorf("%s: got %+v, want %+v", r, got, want[r])
		}
	}
	none := p.Roles{}
	if p.MayAssign(none) || p.MayRegisterApplication(none) || p.MayManageSuspensions(none) || p.MayAdminister(none) || p.MaySeeAll(none) || p.IsCaseworker(none) {
		t.Error("a user without roles has a permission")
	}
	if p.IsCaseworker(nil) {
		t.Error("IsCaseworker(nil) = true")
	}
}

func TestIsCaseworker(t *testing.T) {
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
		if got := p.IsCaseworker(c.rs); got != c.want {
			t.Errorf("IsCaseworker(%v) = %v, want %v", c.rs, got, c.want)
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
