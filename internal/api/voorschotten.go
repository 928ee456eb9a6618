package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Voorschot is an advance on the benefit (art. 52 Participatiewet)
// recorded for one voorschot date of an application.
type Voorschot struct {
	ID          int64    `json:"id" doc:"Id van het voorschot."`
	CaseID      int64    `json:"aanvraag_id" doc:"Id van de aanvraag (werkproces 0/L2)."`
	TaskID      int64    `json:"taak_id" doc:"Id van de taak ‘Voorschot beoordelen’ waarmee het is vastgelegd."`
	DueOn       string   `json:"voorschotdatum" format:"date" doc:"De voorschotdatum waarvoor het geldt: elke 4 weken na de aanvraag zolang niet is besloten."`
	Granted     bool     `json:"verstrekt" doc:"Of het voorschot is verstrekt."`
	AmountCents int64    `json:"bedrag_centen,omitempty" doc:"Het verstrekte bedrag in eurocenten (123456 is € 1.234,56); ontbreekt als het niet is verstrekt."`
	Amount      string   `json:"bedrag,omitempty" doc:"Het verstrekte bedrag zoals het wordt getoond, bijvoorbeeld € 1.234,56."`
	On          string   `json:"datum" format:"date" doc:"De dag van verstrekking, of de dag waarop is besloten geen voorschot te verstrekken."`
	Reason      string   `json:"reden,omitempty" doc:"Waarom geen voorschot is verstrekt (art. 52 lid 2), of een toelichting."`
	Actor       *UserRef `json:"door,omitempty" doc:"Wie het vastlegde."`
	CreatedAt   string   `json:"vastgelegd" format:"date-time" doc:"Moment van vastleggen."`
}

func voorschotOut(v casework.Voorschot) Voorschot {
	out := Voorschot{ID: v.ID, CaseID: v.CaseID, TaskID: v.TaskID, DueOn: date(v.DueOn), Granted: v.Granted, On: date(v.On),
		Reason: v.Reason, Actor: userRef(v.ActorID, v.ActorName), CreatedAt: moment(v.CreatedAt)}
	if v.Granted {
		out.AmountCents, out.Amount = v.AmountCents, casework.FormatAmount(v.AmountCents)
	}
	return out
}

// VoorschotList is the voorschotten of an application.
type VoorschotList struct {
	Voorschotten []Voorschot `json:"voorschotten" nullable:"false" doc:"De vastgelegde voorschotten, op voorschotdatum."`
}

type applicationIDRequest struct {
	ID int64 `path:"id" doc:"Id van de aanvraag (werkproces 0/L2)."`
}

type voorschotListResponse struct{ Body VoorschotList }

func (h *handler) registerVoorschotten() {
	huma.Register(h.api, operation("listVoorschotten", http.MethodGet, "/api/aanvragen/{id}/voorschotten", "Aanvragen", "Voorschotten van een aanvraag",
		"Geeft de voorschotten (artikel 52 Participatiewet) die op een aanvraag zijn vastgelegd: per voorschotdatum verstrekt, met bedrag en datum, "+
			"of niet verstrekt, met de reden.\n\n"+
			"Een voorschot vastleggen is de taak ‘Voorschot beoordelen’ afronden (`POST /api/taken/{id}/afronden`, stap `"+string(process.StepVoorschot)+"`). "+
			"Die taak komt op de werkvoorraad van de Poort enkele werkdagen voor elke voorschotdatum, zolang niet op de aanvraag is besloten; "+
			"de velden staan bij die operatie. Een bedrag schrijft u zoals in het Nederlands: 1.234,56.",
		byIDErrs...), h.listVoorschotten)
}

func (h *handler) listVoorschotten(ctx context.Context, in *applicationIDRequest) (*voorschotListResponse, error) {
	vs, err := h.Clients.Voorschotten(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	out := VoorschotList{Voorschotten: make([]Voorschot, 0, len(vs))}
	for _, v := range vs {
		out.Voorschotten = append(out.Voorschotten, voorschotOut(v))
	}
	return &voorschotListResponse{Body: out}, nil
}
