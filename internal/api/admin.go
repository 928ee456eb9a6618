package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// UserList lists accounts.
type UserList struct {
	Users []User `json:"gebruikers" nullable:"false" doc:"De accounts."`
}

// UserInput creates an account.
type UserInput struct {
	Username string   `json:"gebruikersnaam" doc:"Kleine letters, cijfers, punt of streepje."`
	Name     string   `json:"naam" doc:"Naam."`
	Email    string   `json:"email" doc:"E-mailadres."`
	Roles    []string `json:"rollen" doc:"Rollen als sleutel, bijvoorbeeld poortwachter; zie de procesdefinitie."`
	Password string   `json:"wachtwoord,omitempty" doc:"Wachtwoord van minimaal 12 tekens; niet voor een systeemaccount."`
	System   bool     `json:"systeem,omitempty" doc:"Systeemaccount: alleen API-sleutels, geen wachtwoord."`
}

// ActiveInput (de)activates an account.
type ActiveInput struct {
	Active bool `json:"actief" doc:"true om het account in te schakelen, false om het uit te schakelen."`
}

// TokenList lists API keys.
type TokenList struct {
	Tokens []Token `json:"sleutels" nullable:"false" doc:"De API-sleutels, zonder geheim."`
}

// TokenInput issues an API key.
type TokenInput struct {
	UserID int64  `json:"gebruiker" doc:"Id van de gebruiker namens wie de sleutel werkt."`
	Name   string `json:"naam" doc:"Naam van de sleutel, bijvoorbeeld e-formulieren."`
}

// IssuedToken is a new API key with its secret.
type IssuedToken struct {
	Secret string `json:"sleutel" doc:"Het geheim: wordt alleen nu getoond en alleen als hash bewaard."`
	Token  Token  `json:"gegevens" doc:"De gegevens van de sleutel."`
}

type userListResponse struct{ Body UserList }

type createUserRequest struct{ Body UserInput }

type userResponse struct{ Body User }

type userActiveRequest struct {
	ID   int64 `path:"id" doc:"Id van de gebruiker."`
	Body ActiveInput
}

type tokenListResponse struct{ Body TokenList }

type issueTokenRequest struct{ Body TokenInput }

type issuedTokenResponse struct{ Body IssuedToken }

type tokenIDRequest struct {
	ID int64 `path:"id" doc:"Id van de API-sleutel."`
}

type tokenResponse struct{ Body Token }

func (h *handler) registerAdmin() {
	huma.Register(h.api, operation("listUsers", http.MethodGet, "/api/gebruikers", "Beheer", "Accounts",
		"Geeft alle accounts. Voor functioneel beheerders en teamleiders.", readErrs...), h.listUsers)
	op := operation("createUser", http.MethodPost, "/api/gebruikers", "Beheer", "Account aanmaken",
		"Maakt een account aan. Alleen voor functioneel beheerders. Een bestaande gebruikersnaam geeft 409.",
		writeErrs...)
	op.DefaultStatus = http.StatusCreated
	huma.Register(h.api, op, h.createUser)
	huma.Register(h.api, operation("setUserActive", http.MethodPost, "/api/gebruikers/{id}/actief", "Beheer", "Account in- of uitschakelen",
		"Schakelt een account in of uit; de API-sleutels van een uitgeschakeld account werken niet meer. Alleen voor functioneel beheerders.",
		writeErrs...), h.setUserActive)
	huma.Register(h.api, operation("listTokens", http.MethodGet, "/api/sleutels", "Beheer", "API-sleutels",
		"Geeft alle API-sleutels zonder geheim. Alleen voor functioneel beheerders.", readErrs...), h.listTokens)
	op = operation("issueToken", http.MethodPost, "/api/sleutels", "Beheer", "API-sleutel uitgeven",
		"Geeft een API-sleutel uit die namens een gebruiker werkt. Het geheim staat eenmalig in het antwoord. Alleen voor functioneel beheerders.",
		writeErrs...)
	op.DefaultStatus = http.StatusCreated
	huma.Register(h.api, op, h.issueToken)
	huma.Register(h.api, operation("revokeToken", http.MethodDelete, "/api/sleutels/{id}", "Beheer", "API-sleutel intrekken",
		"Trekt een API-sleutel in; daarna geeft elke aanroep met die sleutel 401. Alleen voor functioneel beheerders.",
		byIDErrs...), h.revokeToken)
}

func (h *handler) listUsers(ctx context.Context, _ *struct{}) (*userListResponse, error) {
	us, err := h.Accounts.Users(ctx, actorFrom(ctx))
	if err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	out := UserList{Users: make([]User, 0, len(us))}
	for _, u := range us {
		out.Users = append(out.Users, userOut(u))
	}
	return &userListResponse{Body: out}, nil
}

func (h *handler) createUser(ctx context.Context, in *createUserRequest) (*userResponse, error) {
	a := actorFrom(ctx)
	u, err := h.Accounts.CreateUser(ctx, &a, casework.NewUser{Username: in.Body.Username, Name: in.Body.Name, Email: in.Body.Email,
		Roles: in.Body.Roles, Password: in.Body.Password, System: in.Body.System})
	if err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	return &userResponse{Body: userOut(u)}, nil
}

func (h *handler) setUserActive(ctx context.Context, in *userActiveRequest) (*userResponse, error) {
	a := actorFrom(ctx)
	if err := h.Accounts.SetUserActive(ctx, a, in.ID, in.Body.Active); err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	us, err := h.Accounts.Users(ctx, a)
	if err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	for _, u := range us {
		if u.ID == in.ID {
			return &userResponse{Body: userOut(u)}, nil
		}
	}
	return nil, h.fail(ctx, casework.NotFound("De gebruiker"), inBody)
}

func (h *handler) listTokens(ctx context.Context, _ *struct{}) (*tokenListResponse, error) {
	ts, err := h.Accounts.Tokens(ctx, actorFrom(ctx))
	if err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	out := TokenList{Tokens: make([]Token, 0, len(ts))}
	for _, t := range ts {
		out.Tokens = append(out.Tokens, tokenOut(t))
	}
	return &tokenListResponse{Body: out}, nil
}

// token finds the newest matching token in the list: the service has no
// lookup of one token.
func (h *handler) token(ctx context.Context, match func(casework.APIToken) bool) (casework.APIToken, error) {
	ts, err := h.Accounts.Tokens(ctx, actorFrom(ctx))
	if err != nil {
		return casework.APIToken{}, err
	}
	var found casework.APIToken
	for _, t := range ts {
		if match(t) && t.ID > found.ID {
			found = t
		}
	}
	if found.ID == 0 {
		return casework.APIToken{}, casework.NotFound("De API-sleutel")
	}
	return found, nil
}

func (h *handler) issueToken(ctx context.Context, in *issueTokenRequest) (*issuedTokenResponse, error) {
	secret, err := h.Accounts.IssueToken(ctx, actorFrom(ctx), in.Body.UserID, in.Body.Name)
	if err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	t, err := h.token(ctx, func(t casework.APIToken) bool {
		return t.Prefix != "" && strings.HasPrefix(secret, t.Prefix) && t.UserID == in.Body.UserID && t.RevokedAt.IsZero()
	})
	if err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	return &issuedTokenResponse{Body: IssuedToken{Secret: secret, Token: tokenOut(t)}}, nil
}

func (h *handler) revokeToken(ctx context.Context, in *tokenIDRequest) (*tokenResponse, error) {
	if err := h.Accounts.RevokeToken(ctx, actorFrom(ctx), in.ID); err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	t, err := h.token(ctx, func(t casework.APIToken) bool { return t.ID == in.ID })
	if err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	return &tokenResponse{Body: tokenOut(t)}, nil
}
