package process

import "slices"

// Roles is the set of roles a user holds.
type Roles []Role

// Has reports whether the set holds r.
func (rs Roles) Has(r Role) bool { return slices.Contains(rs, r) }

// MayWork reports whether a user with these roles may pick up and complete
// a task of the given team.
func (d *Definition) MayWork(rs Roles, team string) bool {
	t, ok := d.Policy.Team(team)
	return ok && rs.Has(t.Role)
}

// MayAssign reports whether a user may assign or reassign tasks of others:
// Team Ondersteuning distributes work, team leads steer it.
func MayAssign(rs Roles) bool {
	return rs.Has(RoleTeamOndersteuning) || rs.Has(RoleTeamleider)
}

// MayRegisterApplication reports whether a user may enter a physical (desk)
// application: the Ondersteuner Poortwachter does so in the source.
func MayRegisterApplication(rs Roles) bool {
	return rs.Has(RoleOndersteunerPoortwachter)
}

// MayManageSuspensions reports whether a user may suspend the decision term.
func MayManageSuspensions(rs Roles) bool {
	return rs.Has(RolePoortwachter) || rs.Has(RoleOndersteunerPoortwachter)
}

// MayAdminister reports whether a user may manage accounts, API tokens and the outbox.
func MayAdminister(rs Roles) bool { return rs.Has(RoleBeheerder) }

// MaySeeAll reports whether a user sees every team's worklist and every case.
func MaySeeAll(rs Roles) bool { return rs.Has(RoleTeamleider) || rs.Has(RoleBeheerder) }

// IsCaseworker reports whether the user works cases at all (sees client data).
func IsCaseworker(rs Roles) bool {
	for _, r := range rs {
		if r != RoleBeheerder {
			return true
		}
	}
	return false
}

// MayGuide reports whether a user works participation dossiers: plans van
// aanpak, trajectories, provider registrations and follow-up appointments.
func MayGuide(rs Roles) bool {
	return rs.Has(RoleKMWerkdiagnose) || rs.Has(RoleKMWerk) || rs.Has(RoleAG)
}
