package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// ClientList is the result of a client search.
type ClientList struct {
	Clients []ClientSummary `json:"klanten" nullable:"false" doc:"De gevonden klanten, op achternaam."`
}

type searchClientsRequest struct {
	Name string `query:"naam" maxLength:"200" doc:"(Deel van) de naam van de klant."`
}

type clientListResponse struct{ Body ClientList }

type clientIDRequest struct {
	ID int64 `path:"id" doc:"Id van de klant."`
}

type clientFileResponse struct{ Body ClientFile }

func (h *handler) registerClients() {
	huma.Register(h.api, operation("searchClients", http.MethodGet, "/api/klanten", "Klanten", "Klanten zoeken",
		"Zoekt klanten op naam. Het BSN staat alleen gemaskeerd in het antwoord; zoeken op BSN kan niet, zodat het nooit in een URL of log belandt.",
		readErrs...), h.searchClients)
	huma.Register(h.api, operation("getClientFile", http.MethodGet, "/api/klanten/{id}", "Klanten", "Klantdossier",
		"Geeft het dossier van een klant: de klant (BSN gemaskeerd), de aanvragen, het participatiedossier, de taken, het plan van aanpak, "+
			"trajecten, aanmeldingen bij aanbieders, afspraken, opschortingen, de historie en de berichten (alleen onderwerp).",
		byIDErrs...), h.getClientFile)
}

func (h *handler) searchClients(ctx context.Context, in *searchClientsRequest) (*clientListResponse, error) {
	cs, err := h.Clients.SearchClients(ctx, actorFrom(ctx), in.Name)
	if err != nil {
		return nil, h.fail(ctx, err, "query.")
	}
	out := ClientList{Clients: make([]ClientSummary, 0, len(cs))}
	for _, c := range cs {
		out.Clients = append(out.Clients, clientSummaryOut(c))
	}
	return &clientListResponse{Body: out}, nil
}

func (h *handler) getClientFile(ctx context.Context, in *clientIDRequest) (*clientFileResponse, error) {
	f, err := h.Clients.ClientFile(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	return &clientFileResponse{Body: clientFileOut(f)}, nil
}
