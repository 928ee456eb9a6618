package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Outbox is a list of outgoing messages.
type Outbox struct {
	Messages []OutboxMessage `json:"berichten" nullable:"false" doc:"De berichten, nieuwste eerst."`
	Total    int             `json:"totaal" doc:"Aantal berichten met de gevraagde status (zonder status: alle), op alle pagina's samen."`
	Next     string          `json:"volgende,omitempty" doc:"Cursor van de volgende pagina: geef hem mee als cursor (met dezelfde status). Ontbreekt op de laatste pagina."`
	Prev     string          `json:"vorige,omitempty" doc:"Cursor van de vorige pagina. Ontbreekt op de eerste pagina."`
}

// StepCount counts the open tasks of a step.
type StepCount struct {
	Step    StepRef `json:"stap" doc:"De stap."`
	Open    int     `json:"open" doc:"Aantal open taken."`
	Overdue int     `json:"verlopen" doc:"Aantal open taken met een verlopen termijn."`
	Soon    int     `json:"bijna" doc:"Aantal open taken waarvan de termijn bijna verloopt."`
}

// Dashboard is the state of the worklists for team leads.
type Dashboard struct {
	Steps []StepCount    `json:"stappen" nullable:"false" doc:"Open taken per stap van de huidige procesdefinitie."`
	Cases map[string]int `json:"werkprocessen" doc:"Aantal werkprocessen per soort en status, als soort/status, bijvoorbeeld aanvraag/in_behandeling."`
}

type outboxRequest struct {
	Status string `query:"status" enum:"wachtend,verzonden,opnieuw,mislukt,per_post" doc:"Alleen berichten met deze status."`
	Limit  int    `query:"limiet" minimum:"1" maximum:"1000" default:"50" doc:"Aantal berichten per pagina."`
	Cursor string `query:"cursor" maxLength:"200" doc:"De pagina: volgende of vorige uit een eerder antwoord met dezelfde status. Zonder cursor de eerste pagina."`
}

type outboxResponse struct{ Body Outbox }

type messageIDRequest struct {
	ID int64 `path:"id" doc:"Id van het bericht."`
}

type dashboardResponse struct{ Body Dashboard }

type processResponse struct{ Body *process.Definition }

func (h *handler) registerOverview() {
	huma.Register(h.api, operation("listOutbox", http.MethodGet, "/api/uitgaand", "Overzicht", "Uitgaande berichten",
		"Geeft de berichten in de uitgaande postbus met hun status, zonder inhoud, per pagina van `limiet` (standaard 50); `volgende` en `vorige` zijn de cursors van de pagina's ernaast. Alleen voor functioneel beheerders en teamleiders.",
		readErrs...), h.listOutbox)
	huma.Register(h.api, operation("retryMessage", http.MethodPost, "/api/berichten/{id}/opnieuw", "Overzicht", "Bericht opnieuw versturen",
		"Zet een mislukt bericht (of een bericht dat op een nieuwe poging wacht) terug in de wachtrij; het wordt dan zo snel mogelijk verstuurd. "+
			"Alleen voor functioneel beheerders. Een bericht dat al verzonden is, al klaarstaat of geen e-mailadres heeft, geeft 409.",
		http.StatusForbidden, http.StatusNotFound, http.StatusConflict), h.retryMessage)
	huma.Register(h.api, operation("getDashboard", http.MethodGet, "/api/overzicht", "Overzicht", "Overzicht werkvoorraden",
		"Telt de open taken per stap, met verlopen en bijna verlopen termijnen, en de werkprocessen per status. Voor teamleiders en functioneel beheerders.",
		readErrs...), h.getDashboard)
	huma.Register(h.api, operation("getProcessDefinition", http.MethodGet, "/api/proces", "Overzicht", "Procesdefinitie",
		"Geeft de huidige procesdefinitie van de pilot: de stappen, hun overgangen en termijnen, en het beleid (teams, doelgroepen, aanbieders, segmenten). "+
			"Een zaak houdt de versie waarmee hij begon.",
		readErrs...), h.getProcessDefinition)
}

func (h *handler) listOutbox(ctx context.Context, in *outboxRequest) (*outboxResponse, error) {
	f := casework.MessageFilter{Status: in.Status, Limit: in.Limit}
	if c, ok := casework.ParseCursor(in.Cursor); ok {
		f.Cursor = &c
	}
	list, err := h.Messages.OutboxPage(ctx, actorFrom(ctx), f)
	if err != nil {
		return nil, h.fail(ctx, err, "query.")
	}
	out := Outbox{Messages: make([]OutboxMessage, 0, len(list.Messages)), Total: list.Page.Total, Next: list.Page.Next, Prev: list.Page.Prev}
	for _, m := range list.Messages {
		out.Messages = append(out.Messages, outboxOut(m))
	}
	return &outboxResponse{Body: out}, nil
}

func (h *handler) retryMessage(ctx context.Context, in *messageIDRequest) (*confirmationResponse, error) {
	if err := h.Messages.RetryMessage(ctx, actorFrom(ctx), in.ID); err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	return confirm("Het bericht staat weer klaar om te worden verzonden."), nil
}

func (h *handler) getDashboard(ctx context.Context, _ *struct{}) (*dashboardResponse, error) {
	steps, cases, err := h.Tasks.Dashboard(ctx, actorFrom(ctx))
	if err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	out := Dashboard{Steps: make([]StepCount, 0, len(steps)), Cases: map[string]int{}}
	for _, s := range steps {
		out.Steps = append(out.Steps, StepCount{Step: StepRef{Key: string(s.Step.Key), Title: s.Step.Title}, Open: s.Open, Overdue: s.Overdue, Soon: s.Soon})
	}
	for k, n := range cases {
		out.Cases[k] = n
	}
	return &dashboardResponse{Body: out}, nil
}

// getProcessDefinition needs no role: every user works by the definition.
func (h *handler) getProcessDefinition(context.Context, *struct{}) (*processResponse, error) {
	return &processResponse{Body: h.Process.Definition()}, nil
}
