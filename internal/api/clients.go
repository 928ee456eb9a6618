package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// ClientList is the result of a client search.
type ClientList struct {
	Clients []ClientSummary `json:"klanten" nullable:"false" doc:"De gevonden klanten, op achternaam."`
	More    bool            `json:"meer" doc:"Of er meer klanten gevonden zijn dan in de lijst staan; zoek dan preciezer."`
}

type searchClientsRequest struct {
	Text string `query:"zoek" maxLength:"100" doc:"Een naam (het begin van de woorden, hoofdletters en accenten doen er niet toe), een geboortedatum (jjjj-mm-dd of dd-mm-jjjj) of een klantnummer. Geen BSN."`
}

type clientListResponse struct{ Body ClientList }

type clientIDRequest struct {
	ID int64 `path:"id" doc:"Id van de klant."`
}

type clientFileRequest struct {
	ID      int64  `path:"id" doc:"Id van de klant."`
	History string `query:"historie" maxLength:"200" doc:"De pagina van de historie: historie_eerder of historie_nieuwer uit een eerder antwoord. Zonder: de nieuwste 50 regels."`
}

type clientFileResponse struct{ Body ClientFile }

func (h *handler) registerClients() {
	huma.Register(h.api, operation("searchClients", http.MethodGet, "/api/klanten", "Klanten", "Klanten zoeken",
		"Zoekt klanten op naam, geboortedatum of klantnummer, zoals het zoekveld van /klanten; hooguit "+strconv.Itoa(casework.SearchLimit)+
			" klanten, op achternaam. Het BSN staat alleen gemaskeerd in het antwoord. Zoeken op BSN kan hier niet, zodat een BSN nooit in een URL of log belandt: "+
			"negen cijfers worden geweigerd.",
		http.StatusForbidden, http.StatusUnprocessableEntity), h.searchClients)
	huma.Register(h.api, operation("getClientFile", http.MethodGet, "/api/klanten/{id}", "Klanten", "Klantdossier",
		"Geeft het dossier van een klant: de klant (BSN gemaskeerd), de aanvragen, het participatiedossier, de taken, het plan van aanpak, "+
			"trajecten, aanmeldingen bij aanbieders, afspraken, opschortingen, de historie en de berichten (alleen onderwerp). "+
			"De historie komt per pagina van 50 regels (de nieuwste eerst gekozen, binnen de pagina oudste eerst); `historie_eerder` en `historie_nieuwer` zijn de cursors van de pagina's ernaast.",
		byIDErrs...), h.getClientFile)
}

func (h *handler) searchClients(ctx context.Context, in *searchClientsRequest) (*clientListResponse, error) {
	a := actorFrom(ctx)
	if err := casework.AuthorizeRole(a, process.ActSeeClient); err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	if q, err := casework.ParseClientQuery(in.Text); err == nil && q.Kind == casework.SearchByBSN {
		msg := "Zoeken op BSN kan niet in de API: een BSN hoort niet in een URL. Zoek op naam, geboortedatum of klantnummer."
		return nil, h.fail(ctx, &casework.Error{Code: casework.CodeInvalid, Message: msg, Fields: casework.Fields{process.FieldSearch: msg}}, "query.")
	}
	res, err := h.Clients.SearchClients(ctx, a, in.Text)
	if err != nil {
		return nil, h.fail(ctx, err, "query.")
	}
	out := ClientList{Clients: make([]ClientSummary, 0, len(res.Found)), More: res.More}
	for _, c := range res.Found {
		out.Clients = append(out.Clients, clientSummaryOut(c))
	}
	return &clientListResponse{Body: out}, nil
}

func (h *handler) getClientFile(ctx context.Context, in *clientFileRequest) (*clientFileResponse, error) {
	f, err := h.Clients.ClientFileAt(ctx, actorFrom(ctx), in.ID, in.History)
	if err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	return &clientFileResponse{Body: clientFileOut(f)}, nil
}
