package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// PlanInput saves a new version of the plan van aanpak.
type PlanInput struct {
	BasedOn int    `json:"basis_versie" minimum:"0" doc:"De versie van het plan waarop de wijziging is gebaseerd; 0 voor het eerste plan. Heeft een collega intussen een nieuwere versie opgeslagen, dan volgt 409."`
	Velden  Velden `json:"velden" doc:"De velden van het plan van aanpak; zie de beschrijving van de operatie."`
}

// VeldenInput carries only form values.
type VeldenInput struct {
	Velden Velden `json:"velden" doc:"De velden van het formulier; zie de beschrijving van de operatie."`
}

// RegistrationStatusInput changes the status of a registration.
type RegistrationStatusInput struct {
	Version int    `json:"versie" doc:"De versie van de aanmelding zoals de client hem zag. Verplicht: zonder versie (of 0) volgt 422."`
	Status  string `json:"status" doc:"De nieuwe status: aangemeld, geaccepteerd, gestart, afgewezen of afgerond."`
}

// FinishTrajectoryInput ends a trajectory.
type FinishTrajectoryInput struct {
	Result string `json:"resultaat" doc:"Het resultaat van het traject."`
}

type planRequest struct {
	ID   int64 `path:"id" doc:"Id van het participatiedossier."`
	Body PlanInput
}

type planResponse struct{ Body Plan }

type caseVeldenRequest struct {
	ID   int64 `path:"id" doc:"Id van het participatiedossier."`
	Body VeldenInput
}

type registrationStatusRequest struct {
	ID             int64 `path:"id" doc:"Id van het participatiedossier."`
	RegistrationID int64 `path:"rid" doc:"Id van de aanmelding."`
	Body           RegistrationStatusInput
}

type finishTrajectoryRequest struct {
	ID           int64 `path:"id" doc:"Id van het participatiedossier."`
	TrajectoryID int64 `path:"tid" doc:"Id van het traject."`
	Body         FinishTrajectoryInput
}

type appointmentIDRequest struct {
	ID int64 `path:"id" doc:"Id van de afspraak."`
}

// MarkAppointmentInput records an appointment as held or missed.
type MarkAppointmentInput struct {
	Status string `json:"status" enum:"gehouden,niet_verschenen" doc:"Gehouden, of niet verschenen (no-show)."`
}

type markAppointmentRequest struct {
	ID   int64 `path:"id" doc:"Id van de afspraak."`
	Body MarkAppointmentInput
}

type trajectoryRequest struct {
	ID           int64 `path:"id" doc:"Id van het participatiedossier."`
	TrajectoryID int64 `path:"tid" doc:"Id van het traject."`
}

// CloseDossierInput closes a participatiedossier outside the steps.
type CloseDossierInput struct {
	Version int    `json:"versie" doc:"De versie van het dossier zoals de client hem zag; is het intussen gewijzigd, dan volgt 409. Verplicht: zonder versie (of 0) volgt 422."`
	Velden  Velden `json:"velden" doc:"De reden en wat afgemaakt mag worden; zie de beschrijving van de operatie."`
}

type closeDossierRequest struct {
	ID   int64 `path:"id" doc:"Id van het participatiedossier."`
	Body CloseDossierInput
}

// MoveAppointmentInput gives an appointment a new time and room.
type MoveAppointmentInput struct {
	Sequence int    `json:"volgnummer" minimum:"0" doc:"Het volgnummer van de afspraak zoals de client hem zag (veld volgnummer in het klantdossier). Heeft een collega de afspraak intussen gewijzigd, dan volgt 409."`
	Velden   Velden `json:"velden" doc:"De nieuwe datum, begintijd, duur en spreekkamer; dezelfde velden als bij een vervolgafspraak."`
}

type moveAppointmentRequest struct {
	ID   int64 `path:"id" doc:"Id van de afspraak."`
	Body MoveAppointmentInput
}

type confirmationResponse struct{ Body Confirmation }

func confirm(msg string) *confirmationResponse {
	return &confirmationResponse{Body: Confirmation{Message: msg}}
}

func (h *handler) registerParticipation() {
	def := h.Process.Definition()
	statics := staticOptions(h.Appointments, h.Process)
	onlyKM := " Alleen voor de klantmanager van het dossier (de dossierhouder), op een open participatiedossier."

	op := operation("savePlan", http.MethodPost, "/api/dossiers/{id}/plan", "Participatie", "Plan van aanpak opslaan",
		"Slaat een nieuwe versie op van het plan van aanpak (art. 44a Participatiewet). Elke keer opslaan is een nieuwe versie; "+
			"met de datum van de handtekening van de klant (`ondertekend_op`) kan de intake worden afgerond."+onlyKM+"\n\nVelden:\n\n"+
			describeForm(def.Policy.PlanForm(), statics),
		writeErrs...)
	op.DefaultStatus = http.StatusCreated
	huma.Register(h.api, op, h.savePlan)

	op = operation("printPlan", http.MethodPost, "/api/dossiers/{id}/plan/afdrukken", "Participatie", "Plan afdrukken voor handtekening",
		"Maakt de laatste versie van het plan van aanpak als document om af te drukken en door de klant te laten tekenen (status `voor_handtekening`); "+
			"het wordt niet verstuurd. Download het bij de documenten van de klant. Leg daarna de datum van de handtekening vast bij het plan, "+
			"met dit document of een geüploade scan als `getekend_document`. Zonder plan volgt 422."+onlyKM,
		writeErrs...)
	op.DefaultStatus = http.StatusCreated
	huma.Register(h.api, op, h.printPlan)

	op = operation("addRegistration", http.MethodPost, "/api/dossiers/{id}/aanmeldingen", "Participatie", "Aanmelden bij aanbieder",
		"Meldt de klant aan bij een aanbieder. Een aanmelding bevat het minimum: nooit een BSN of gezondheidsgegevens."+onlyKM+"\n\nVelden:\n\n"+
			describeForm(def.Policy.RegistrationForm(), statics),
		writeErrs...)
	op.DefaultStatus = http.StatusCreated
	huma.Register(h.api, op, h.addRegistration)

	huma.Register(h.api, operation("updateRegistrationStatus", http.MethodPost, "/api/dossiers/{id}/aanmeldingen/{rid}/status", "Participatie",
		"Status aanmelding wijzigen", "Wijzigt de status van een aanmelding bij een aanbieder. Een verouderde `versie` geeft 409."+onlyKM,
		writeErrs...), h.updateRegistrationStatus)

	op = operation("addTrajectory", http.MethodPost, "/api/dossiers/{id}/trajecten", "Participatie", "Traject toevoegen aan het plan",
		"Voegt een traject met zijn activiteiten toe als nieuwe rij van het plan van aanpak (een nieuwe versie van het plan); de rij is het traject. "+
			"Zonder plan van aanpak, of als alle rijen vol zijn, volgt 422."+onlyKM+"\n\nVelden:\n\n"+describeForm(def.Policy.TrajectoryForm(), statics),
		writeErrs...)
	op.DefaultStatus = http.StatusCreated
	huma.Register(h.api, op, h.addTrajectory)

	huma.Register(h.api, operation("registerTrajectory", http.MethodPost, "/api/dossiers/{id}/trajecten/{tid}/aanmelden", "Participatie",
		"Traject aanmelden bij de aanbieder", "Meldt de klant aan bij de aanbieder van een lopend traject uit het plan van aanpak. "+
			"Een traject dat al is aangemeld geeft 409; een eigen traject (zonder aanbieder) geeft 422."+onlyKM,
		writeErrs...), h.registerTrajectory)

	huma.Register(h.api, operation("closeDossier", http.MethodPost, "/api/dossiers/{id}/afsluiten", "Participatie",
		"Participatiedossier afsluiten", "Sluit een participatiedossier buiten de stappen af, bijvoorbeeld van een NUG'er. Toekomstige afspraken worden geannuleerd "+
			"(de klant en de klantmanager krijgen de annulering, de spreekkamer komt vrij); lopende trajecten en aanmeldingen stoppen, behalve wat afgemaakt mag worden. "+
			"Staat er nog een stap open op het dossier, dan volgt 409. Alleen voor de dossierhouder en teamleiders.\n\nVelden:\n\n"+
			describeForm(process.CloseDossierForm(), statics),
		writeErrs...), h.closeDossier)

	huma.Register(h.api, operation("finishTrajectory", http.MethodPost, "/api/dossiers/{id}/trajecten/{tid}/afronden", "Participatie",
		"Traject afronden", "Rondt een lopend traject af met een resultaat. Een traject dat afgemaakt mag worden (Baanbrekend) kan ook na het sluiten van het dossier worden afgerond.",
		writeErrs...), h.finishTrajectory)

	op = operation("planFollowUp", http.MethodPost, "/api/dossiers/{id}/afspraken", "Participatie", "Vervolgafspraak plannen",
		"Plant een vervolgafspraak met de klant bij de aanroepende klantmanager, boekt de spreekkamer en stuurt de klant een uitnodiging. "+
			"Een bezette spreekkamer of klantmanager geeft 409 met een melding bij het veld."+onlyKM+"\n\nVelden:\n\n"+describeForm(process.AppointmentForm(), statics),
		writeErrs...)
	op.DefaultStatus = http.StatusCreated
	huma.Register(h.api, op, h.planFollowUp)

	huma.Register(h.api, operation("cancelAppointment", http.MethodPost, "/api/afspraken/{id}/annuleren", "Participatie", "Afspraak annuleren",
		"Annuleert een afspraak en geeft de spreekkamer en de klantmanager vrij. Alleen voor de klantmanager van de afspraak, Team Ondersteuning en teamleiders.",
		writeErrs...), h.cancelAppointment)

	huma.Register(h.api, operation("moveAppointment", http.MethodPost, "/api/afspraken/{id}/verplaatsen", "Participatie", "Afspraak verplaatsen",
		"Geeft een afspraak een nieuwe datum, tijd en spreekkamer. De oude spreekkamer wordt vrijgegeven en de klant en de klantmanager krijgen een "+
			"gewijzigde agenda-uitnodiging (dezelfde afspraak, hoger volgnummer). Geef het `volgnummer` mee zoals u het las: is de afspraak intussen gewijzigd, "+
			"dan volgt 409. Een bezette spreekkamer of klantmanager geeft 409 met een melding bij het veld. "+
			"Alleen voor de klantmanager van de afspraak, Team Ondersteuning en teamleiders.\n\nVelden:\n\n"+describeForm(process.AppointmentForm(), statics),
		writeErrs...), h.moveAppointment)

	huma.Register(h.api, operation("markAppointment", http.MethodPost, "/api/afspraken/{id}/status", "Participatie", "Afspraak vastleggen als gehouden of niet verschenen",
		"Legt vanaf het begin van een geplande afspraak vast of de klant kwam. Niet verschenen wordt zonder oordeel over de reden vastgelegd "+
			"en geeft de klantmanager een taak om binnen de termijn een nieuwe afspraak te plannen. Voor het begin volgt 422; een al vastgelegde of "+
			"geannuleerde afspraak geeft 409. Alleen voor de klantmanager van de afspraak, Team Ondersteuning en teamleiders.",
		writeErrs...), h.markAppointment)
}

type printPlanRequest struct {
	ID int64 `path:"id" doc:"Id van het participatiedossier (werkproces 17/PA)."`
}

func (h *handler) printPlan(ctx context.Context, in *printPlanRequest) (*documentResponse, error) {
	d, err := h.Dossiers.PrintPlan(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	return &documentResponse{Body: documentOut(d)}, nil
}

func (h *handler) savePlan(ctx context.Context, in *planRequest) (*planResponse, error) {
	p, err := h.Dossiers.SavePlan(ctx, actorFrom(ctx), in.ID, in.Body.BasedOn, in.Body.Velden.values())
	if err != nil {
		return nil, h.fail(ctx, err, inVelden)
	}
	return &planResponse{Body: planOut(p)}, nil
}

func (h *handler) addRegistration(ctx context.Context, in *caseVeldenRequest) (*confirmationResponse, error) {
	if err := h.Dossiers.AddRegistration(ctx, actorFrom(ctx), in.ID, in.Body.Velden.values()); err != nil {
		return nil, h.fail(ctx, err, inVelden)
	}
	return confirm("De aanmelding is vastgelegd. Zie aanmeldingen in het klantdossier."), nil
}

func (h *handler) updateRegistrationStatus(ctx context.Context, in *registrationStatusRequest) (*confirmationResponse, error) {
	err := h.Dossiers.UpdateRegistrationStatus(ctx, actorFrom(ctx), in.ID, in.RegistrationID, in.Body.Version, strings.TrimSpace(in.Body.Status))
	if err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	return confirm("De status van de aanmelding is gewijzigd."), nil
}

func (h *handler) addTrajectory(ctx context.Context, in *caseVeldenRequest) (*confirmationResponse, error) {
	if err := h.Dossiers.AddTrajectory(ctx, actorFrom(ctx), in.ID, in.Body.Velden.values()); err != nil {
		return nil, h.fail(ctx, err, inVelden)
	}
	return confirm("Het traject is vastgelegd. Zie trajecten in het klantdossier."), nil
}

func (h *handler) finishTrajectory(ctx context.Context, in *finishTrajectoryRequest) (*confirmationResponse, error) {
	if err := h.Dossiers.FinishTrajectory(ctx, actorFrom(ctx), in.ID, in.TrajectoryID, in.Body.Result); err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	return confirm("Het traject is afgerond."), nil
}

func (h *handler) planFollowUp(ctx context.Context, in *caseVeldenRequest) (*confirmationResponse, error) {
	if err := h.Appointments.PlanFollowUp(ctx, actorFrom(ctx), in.ID, in.Body.Velden.values()); err != nil {
		return nil, h.fail(ctx, err, inVelden)
	}
	return confirm("De afspraak is ingepland en de klant is uitgenodigd."), nil
}

func (h *handler) cancelAppointment(ctx context.Context, in *appointmentIDRequest) (*confirmationResponse, error) {
	if err := h.Appointments.CancelAppointment(ctx, actorFrom(ctx), in.ID); err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	return confirm("De afspraak is geannuleerd."), nil
}

func (h *handler) moveAppointment(ctx context.Context, in *moveAppointmentRequest) (*confirmationResponse, error) {
	if err := h.Appointments.MoveAppointment(ctx, actorFrom(ctx), in.ID, in.Body.Sequence, in.Body.Velden.values()); err != nil {
		return nil, h.fail(ctx, err, inVelden)
	}
	return confirm("De afspraak is verplaatst; de klant en de klantmanager krijgen een gewijzigde uitnodiging."), nil
}

func (h *handler) registerTrajectory(ctx context.Context, in *trajectoryRequest) (*confirmationResponse, error) {
	if err := h.Dossiers.RegisterTrajectory(ctx, actorFrom(ctx), in.ID, in.TrajectoryID); err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	return confirm("De klant is aangemeld bij de aanbieder van het traject."), nil
}

func (h *handler) closeDossier(ctx context.Context, in *closeDossierRequest) (*confirmationResponse, error) {
	if err := h.Dossiers.CloseDossier(ctx, actorFrom(ctx), in.ID, in.Body.Version, in.Body.Velden.values()); err != nil {
		return nil, h.fail(ctx, err, inVelden)
	}
	return confirm("Het participatiedossier is afgesloten; toekomstige afspraken zijn geannuleerd."), nil
}

func (h *handler) markAppointment(ctx context.Context, in *markAppointmentRequest) (*confirmationResponse, error) {
	if err := h.Appointments.MarkAppointment(ctx, actorFrom(ctx), in.ID, in.Body.Status); err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	if in.Body.Status == process.AppointmentNoShow {
		return confirm("Vastgelegd dat de klant niet is verschenen; de klantmanager heeft een taak om een nieuwe afspraak te plannen."), nil
	}
	return confirm("De afspraak is vastgelegd als gehouden."), nil
}
