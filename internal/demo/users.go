package demo

import (
	"context"
	"errors"
	"slices"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Account is a demo login.
type Account struct {
	Username string
	Name     string
	Roles    []process.Role
	System   bool
}

// Accounts are the invented demo users: at least one per role.
var Accounts = []Account{
	{"sanne", "Sanne de Wit", []process.Role{process.RoleOndersteunerPoortwachter}, false},
	{"pieter", "Pieter Bakker", []process.Role{process.RolePoortwachter}, false},
	{"fatima", "Fatima El Amrani", []process.Role{process.RolePoortwachter}, false},
	{"tessa", "Tessa Jansen", []process.Role{process.RoleTeamOndersteuning}, false},
	{"koen", "Koen Visser", []process.Role{process.RoleKMWerkdiagnose}, false},
	{"lisa", "Lisa de Groot", []process.Role{process.RoleKMWerkdiagnose}, false},
	{"wouter", "Wouter Smit", []process.Role{process.RoleKMWerk}, false},
	{"noor", "Noor Hendriks", []process.Role{process.RoleKMWerk}, false},
	{"anouk", "Anouk Vermeulen", []process.Role{process.RoleAG}, false},
	{"thomas", "Thomas van Leeuwen", []process.Role{process.RoleTeamleider}, false},
	{"bram", "Bram de Vries", []process.Role{process.RoleBeheerder}, false},
	{SystemUsername, "E-formulieren (systeem)", []process.Role{process.RoleEFormulier}, true},
}

// BeheerderTOTPSecret is the authenticator secret of the demo's
// functioneel beheerder, whose role must log in with a code: add it to an
// authenticator app (serve --demo prints it), or compute the code in tests.
// Demo data only: a real account enrols its own.
const BeheerderTOTPSecret = "JBSWY3DPEHPK3PXPWERKDIAGNOSEDEMO"

// SystemUsername is the system account that digital applications arrive as.
const SystemUsername = "eformulier"

// CreateUsers creates the demo accounts that do not exist yet, all with the
// given password, and returns every demo account.
func CreateUsers(ctx context.Context, svc *casework.Service, password string) ([]casework.User, error) {
	return CreateUsersWithHash(ctx, svc, casework.HashPassword(password))
}

// CreateUsersWithHash is CreateUsers with an already hashed password.
func CreateUsersWithHash(ctx context.Context, svc *casework.Service, hash string) ([]casework.User, error) {
	var out []casework.User
	for _, a := range Accounts {
		roles := make([]string, 0, len(a.Roles))
		for _, r := range a.Roles {
			roles = append(roles, string(r))
		}
		pw := hash
		if a.System {
			pw = ""
		}
		in := casework.NewUser{Username: a.Username, Name: a.Name, Email: a.Username + "@bar-organisatie.invalid",
			Roles: roles, PasswordHash: pw, System: a.System}
		if slices.Contains(a.Roles, process.RoleBeheerder) {
			in.TOTPSecret = BeheerderTOTPSecret
		}
		u, err := svc.CreateUser(ctx, nil, in)
		if casework.ErrorCode(err) == casework.CodeConflict {
			existing, err2 := svc.UserByUsername(ctx, a.Username)
			if err2 != nil {
				return nil, errors.Join(err, err2)
			}
			out = append(out, existing)
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}
