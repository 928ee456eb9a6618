package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// EndSuspensionInput ends a running suspension.
type EndSuspensionInput struct {
	End string `json:"eind" doc:"Einddatum van de opschorting, jjjj-mm-dd (dd-mm-jjjj mag ook); niet in de toekomst."`
}

type suspensionRequest struct {
	ID   int64 `path:"id" doc:"Id van de aanvraag (werkproces 0/L2)."`
	Body VeldenInput
}

type endSuspensionRequest struct {
	ID           int64 `path:"id" doc:"Id van de aanvraag (werkproces 0/L2)."`
	SuspensionID int64 `path:"sid" doc:"Id van de opschorting."`
	Body         EndSuspensionInput
}

func (h *handler) registerSuspensions() {
	op := operation("addSuspension", http.MethodPost, "/api/aanvragen/{id}/opschortingen", "Aanvragen", "Beslistermijn opschorten",
		"Legt een opschorting van de beslistermijn vast waarmee de aanvrager schriftelijk instemde (Awb 4:15 lid 2 a), en herberekent de termijnen van de taken. "+
			"Alleen voor de Poort (Poortwachter, Ondersteuner Poortwachter). Geef het einde (niet in de toekomst) of `instemming_tot`, de laatste dag van het uitstel: "+
			"zonder een van beide volgt 422. Een verzoek om aanvulling (Awb 4:5) start u met POST /api/aanvragen/{id}/stappen/verzoek_aanvulling.\n\nVelden:\n\n"+
			describeForm(process.SuspensionForm(), nil),
		writeErrs...)
	op.DefaultStatus = http.StatusCreated
	huma.Register(h.api, op, h.addSuspension)
	huma.Register(h.api, operation("endSuspension", http.MethodPost, "/api/aanvragen/{id}/opschortingen/{sid}/einde", "Aanvragen", "Opschorting beëindigen",
		"Beëindigt een lopende opschorting met instemming eerder, op de dag waarop de termijn weer loopt (niet in de toekomst, niet voor het begin), en herberekent de beslistermijn. "+
			"Alleen voor de Poort. Een opschorting door een verzoek om aanvulling eindigt met de taak Aanvulling verwerken (409).",
		writeErrs...), h.endSuspension)
}

func (h *handler) addSuspension(ctx context.Context, in *suspensionRequest) (*confirmationResponse, error) {
	if err := h.Applications.AddSuspension(ctx, actorFrom(ctx), in.ID, in.Body.Velden.values()); err != nil {
		return nil, h.fail(ctx, err, inVelden)
	}
	return confirm("De beslistermijn is opgeschort. Zie opschortingen in het klantdossier."), nil
}

func (h *handler) endSuspension(ctx context.Context, in *endSuspensionRequest) (*confirmationResponse, error) {
	v := casework.Values{}
	v.Set(process.FieldSuspensionEnd, in.Body.End)
	if err := h.Applications.EndSuspension(ctx, actorFrom(ctx), in.ID, in.SuspensionID, v); err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	return confirm("De opschorting is beëindigd en de beslistermijn herberekend."), nil
}

// StartedStep is the task a step started by hand made.
type StartedStep struct {
	TaskID int64 `json:"taak_id" doc:"Id van de taak; rond hem af met POST /api/taken/{id}/afronden."`
	Task   Task  `json:"taak" doc:"De taak, gehouden door de gebruiker."`
}

type startStepRequest struct {
	ID   int64  `path:"id" doc:"Id van de aanvraag (werkproces 0/L2)."`
	Step string `path:"stap" doc:"Sleutel van de stap, bijvoorbeeld verzoek_aanvulling of beslistermijn_verdagen."`
}

type startedStepResponse struct{ Body StartedStep }

func (h *handler) registerSteps() {
	def := h.Process.Definition()
	var keys []string
	for _, st := range def.StepsStartable(process.CaseAanvraag) {
		keys = append(keys, "`"+string(st.Key)+"` ("+st.Title+")")
	}
	op := operation("startStep", http.MethodPost, "/api/aanvragen/{id}/stappen/{stap}", "Aanvragen", "Stap starten",
		"Start een stap die een medewerker van het team zelf start, op een open aanvraag, en geeft de taak, gehouden door de gebruiker. "+
			"Daarna rondt u de taak af met zijn formulier (zie POST /api/taken/{id}/afronden). Stappen: "+strings.Join(keys, ", ")+". "+
			"Staat de stap al open bij de gebruiker, dan volgt die taak; houdt een collega hem, of kan hij nu niet (er loopt een opschorting, "+
			"de termijn is al verdaagd of verstreken, er is al besloten), dan volgt 409 met de reden. Een stap van een ander team geeft 403.",
		writeErrs...)
	op.DefaultStatus = http.StatusCreated
	huma.Register(h.api, op, h.startStep)
}

func (h *handler) startStep(ctx context.Context, in *startStepRequest) (*startedStepResponse, error) {
	id, err := h.Tasks.StartStep(ctx, actorFrom(ctx), in.ID, process.StepKey(in.Step))
	if err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	tp, err := h.Tasks.TaskPage(ctx, actorFrom(ctx), id)
	if err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	return &startedStepResponse{Body: StartedStep{TaskID: id, Task: taskOut(tp.Task)}}, nil
}
