package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// Worklist is a worklist view.
type Worklist struct {
	Tasks     []Task    `json:"taken" nullable:"false" doc:"De taken die aan de filters voldoen."`
	Teams     []TeamRef `json:"teams" nullable:"false" doc:"De teams waarvan de gebruiker de werkvoorraad ziet."`
	CountMine int       `json:"aantal_mijn" doc:"Aantal open taken van de gebruiker zelf."`
	CountTeam int       `json:"aantal_team" doc:"Aantal open taken van de teams van de gebruiker."`
	Total     int       `json:"totaal" doc:"Aantal taken dat aan de filters voldoet, op alle pagina's samen."`
	Next      string    `json:"volgende,omitempty" doc:"Cursor van de volgende pagina: geef hem mee als cursor (met dezelfde filters en sortering). Ontbreekt op de laatste pagina."`
	Prev      string    `json:"vorige,omitempty" doc:"Cursor van de vorige pagina. Ontbreekt op de eerste pagina."`
}

// FormOption is a choice of a form field.
type FormOption struct {
	Value string `json:"waarde" doc:"De waarde om mee te sturen."`
	Label string `json:"label" doc:"De keuze in woorden."`
}

// FormField is a field of a step's form.
type FormField struct {
	Name        string       `json:"naam" doc:"Naam van het veld in velden."`
	Label       string       `json:"label" doc:"Label van het veld."`
	Help        string       `json:"toelichting,omitempty" doc:"Aanwijzing bij het invullen."`
	Kind        string       `json:"soort" enum:"text,textarea,date,time,select,radio,checkbox,email,tel,amount" doc:"Soort invoer; amount is een bedrag in euro zoals 1.234,56."`
	Required    bool         `json:"verplicht" doc:"Of het veld verplicht is."`
	Multiple    bool         `json:"meervoudig" doc:"Of het veld een lijst teksten neemt (een groep vinkjes)."`
	Options     []FormOption `json:"opties" nullable:"false" doc:"De keuzes, ook de keuzes die van de taak afhangen (spreekkamers, klantmanagers, trajecten)."`
	OptionsFrom string       `json:"opties_van,omitempty" doc:"Naam van de lijst waar de keuzes vandaan komen, bijvoorbeeld klantmanagers."`
	ShowWhen    string       `json:"tonen_als,omitempty" doc:"Alleen van belang in deze situatie, bijvoorbeeld late: als de termijn niet gehaald wordt."`
}

// Assignee is a colleague a task can be assigned to.
type Assignee struct {
	User     UserRef `json:"medewerker" doc:"De collega."`
	Caseload int     `json:"dossiers" doc:"Aantal lopende participatiedossiers."`
	Open     int     `json:"open_taken" doc:"Aantal open taken van deze collega in het team van de taak."`
}

// TaskDetail is a task with its form.
type TaskDetail struct {
	Task      Task        `json:"taak" doc:"De taak."`
	Source    string      `json:"bron" doc:"De stap in de woorden van de procesbeschrijving."`
	MayWork   bool        `json:"mag_afronden" doc:"Of de gebruiker de rol heeft om deze taak op te pakken en af te ronden."`
	Late      bool        `json:"te_laat" doc:"Of de termijn van 1 week (bijna) verstreken is: dan is reden_termijn verplicht."`
	Fields    []FormField `json:"velden" nullable:"false" doc:"De velden van het formulier om de taak af te ronden."`
	Assignees []Assignee  `json:"toewijsbaar" nullable:"false" doc:"Collega's aan wie de taak kan worden toegewezen; alleen voor Team Ondersteuning en teamleiders."`
}

// Completion is the answer to completing a task.
type Completion struct {
	Task Task    `json:"taak" doc:"De afgeronde taak."`
	Open []Task  `json:"open_taken" nullable:"false" doc:"De open taken van dezelfde aanvraag na het afronden, met de vervolgtaken."`
	New  []int64 `json:"nieuwe_taken" nullable:"false" doc:"De ids van de taken die het afronden aanmaakte, in volgorde."`
	Next int64   `json:"volgende_taak,omitempty" doc:"Uw volgende open taak bij dezelfde klant (die u houdt), de vroegste termijn eerst; ontbreekt als er geen is."`
}

// VersionInput names the version of a task the action is based on.
type VersionInput struct {
	Version int `json:"versie" doc:"De versie van de taak zoals de client hem zag. Verplicht: zonder versie (of 0) volgt 422."`
}

// AssignInput assigns a task to a colleague.
type AssignInput struct {
	Version int   `json:"versie" doc:"De versie van de taak zoals de client hem zag. Verplicht: zonder versie (of 0) volgt 422."`
	UserID  int64 `json:"medewerker" doc:"Id van de collega; zie toewijsbaar bij GET /api/taken/{id}."`
}

// CompleteInput completes a task with its form.
type CompleteInput struct {
	Version int    `json:"versie" doc:"De versie van de taak waarop het formulier is gebaseerd. Verplicht: zonder versie (of 0) volgt 422."`
	Velden  Velden `json:"velden" doc:"De velden van het formulier van de stap; zie de beschrijving van de operatie."`
}

type worklistRequest struct {
	Mine     bool   `query:"mijn" doc:"Alleen de eigen taken (mijn werkvoorraad)."`
	Team     string `query:"team" doc:"Alleen dit team (sleutel, bijvoorbeeld poort)."`
	Step     string `query:"stap" doc:"Alleen deze stap (sleutel, bijvoorbeeld intake_gesprek)."`
	Deadline string `query:"termijn" enum:"bijna,verlopen" doc:"bijna: termijn binnen 7 dagen; verlopen: termijn voorbij."`
	Code     string `query:"code" doc:"Alleen dit werkproces, bijvoorbeeld 17/PA."`
	Holder   string `query:"houder" enum:"niemand,ik" doc:"niemand: nog niet opgepakt; ik: door mij opgepakt."`
	Sort     string `query:"sort" enum:"due,since,client,step,holder" doc:"Sorteren op termijn (standaard), sinds, klant, stap of houder."`
	Desc     bool   `query:"desc" doc:"Aflopend sorteren."`
	Cursor   string `query:"cursor" maxLength:"200" doc:"De pagina: volgende of vorige uit een eerder antwoord met dezelfde filters en sortering. Zonder cursor de eerste pagina. Een cursor bevat geen persoonsgegevens."`
	Limit    int    `query:"limiet" minimum:"1" maximum:"500" default:"50" doc:"Aantal taken per pagina."`
}

type worklistResponse struct{ Body Worklist }

type taskIDRequest struct {
	ID int64 `path:"id" doc:"Id van de taak."`
}

type taskDetailResponse struct{ Body TaskDetail }

type taskVersionRequest struct {
	ID   int64 `path:"id" doc:"Id van de taak."`
	Body VersionInput
}

type assignRequest struct {
	ID   int64 `path:"id" doc:"Id van de taak."`
	Body AssignInput
}

type completeRequest struct {
	ID   int64 `path:"id" doc:"Id van de taak."`
	Body CompleteInput
}

type taskResponse struct{ Body Task }

type completionResponse struct{ Body Completion }

func (h *handler) registerTasks() {
	huma.Register(h.api, operation("listWorklist", http.MethodGet, "/api/werkvoorraad", "Taken", "Werkvoorraad",
		"Geeft de open taken van de teams van de gebruiker, of met `mijn=true` de eigen taken. Elke taak noemt de klant (zonder BSN), de stap, het team, de termijn en wie hem heeft opgepakt. "+
			"Per pagina van `limiet` taken (standaard 50); `volgende` en `vorige` in het antwoord zijn de cursors van de pagina's ernaast en `totaal` telt alle taken van de filters.",
		readErrs...), h.listWorklist)
	huma.Register(h.api, operation("getTask", http.MethodGet, "/api/taken/{id}", "Taken", "Taak met formulier",
		"Geeft een taak met de velden van het formulier om hem af te ronden, inclusief de keuzes die van de taak afhangen (spreekkamers, klantmanagers met hun aantal dossiers, trajecten uit het plan van aanpak).",
		byIDErrs...), h.getTask)
	huma.Register(h.api, operation("pickUpTask", http.MethodPost, "/api/taken/{id}/oppakken", "Taken", "Taak oppakken",
		"Zet een taak van de teamwerkvoorraad op de eigen werkvoorraad. Alleen voor een medewerker van het team van de taak.",
		writeErrs...), h.pickUpTask)
	huma.Register(h.api, operation("releaseTask", http.MethodPost, "/api/taken/{id}/vrijgeven", "Taken", "Taak vrijgeven",
		"Zet een taak terug op de teamwerkvoorraad. Team Ondersteuning en teamleiders kunnen ieders taak vrijgeven, anderen alleen hun eigen taak.",
		writeErrs...), h.releaseTask)
	huma.Register(h.api, operation("assignTask", http.MethodPost, "/api/taken/{id}/toewijzen", "Taken", "Taak toewijzen",
		"Wijst een taak toe aan een collega uit het team van de taak. Alleen voor Team Ondersteuning en teamleiders.",
		writeErrs...), h.assignTask)
	def := h.Process.Definition()
	huma.Register(h.api, operation("completeTask", http.MethodPost, "/api/taken/{id}/afronden", "Taken", "Taak afronden",
		"Rondt een taak af met het formulier van de stap en maakt de vervolgtaken aan, met hun overdrachtsberichten. "+
			"Een verouderde `versie` geeft 409; ongeldige velden geven 422 met per veld een melding.\n\n"+
			"De velden per stap:\n"+stepForms(def, staticOptions(h.Appointments, h.Process)),
		writeErrs...), h.completeTask)
}

func (h *handler) listWorklist(ctx context.Context, in *worklistRequest) (*worklistResponse, error) {
	w, err := h.Tasks.Worklist(ctx, actorFrom(ctx), casework.WorklistQuery{Mine: in.Mine, Team: in.Team, Step: in.Step,
		Deadline: in.Deadline, Code: in.Code, Holder: in.Holder, Sort: in.Sort, Desc: in.Desc, Cursor: in.Cursor, PageSize: in.Limit})
	if err != nil {
		return nil, h.fail(ctx, err, "query.")
	}
	out := Worklist{Tasks: tasksOut(w.Tasks), Teams: make([]TeamRef, 0, len(w.Teams)), CountMine: w.CountMine, CountTeam: w.CountTeam,
		Total: w.Page.Total, Next: w.Page.Next, Prev: w.Page.Prev}
	for _, t := range w.Teams {
		out.Teams = append(out.Teams, TeamRef{Key: t.Key, Name: t.Name})
	}
	return &worklistResponse{Body: out}, nil
}

func (h *handler) getTask(ctx context.Context, in *taskIDRequest) (*taskDetailResponse, error) {
	tp, err := h.Tasks.Task(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	out := TaskDetail{Task: taskOut(tp.Task), Source: tp.Step.Source, MayWork: tp.MayWork, Late: tp.Late,
		Fields: make([]FormField, 0, len(tp.Form.Fields)), Assignees: make([]Assignee, 0, len(tp.Assignees))}
	for _, f := range tp.Form.Fields {
		ff := FormField{Name: f.Name, Label: f.Label, Help: f.Help, Kind: string(f.Kind), Required: f.Required, Multiple: f.Multiple(),
			Options: []FormOption{}, OptionsFrom: f.OptionsFrom, ShowWhen: f.ShowWhen}
		opts := f.Options
		if f.OptionsFrom != "" {
			opts = tp.Options[f.OptionsFrom]
		}
		for _, o := range opts {
			ff.Options = append(ff.Options, FormOption{Value: o.Value, Label: o.Label})
		}
		out.Fields = append(out.Fields, ff)
	}
	for _, c := range tp.Assignees {
		out.Assignees = append(out.Assignees, Assignee{User: UserRef{ID: c.User.ID, Name: c.User.Name}, Caseload: c.Caseload, Open: c.Open})
	}
	return &taskDetailResponse{Body: out}, nil
}

// task reads a task back after a change, as the actor sees it.
func (h *handler) task(ctx context.Context, id int64) (*taskResponse, error) {
	tp, err := h.Tasks.Task(ctx, actorFrom(ctx), id)
	if err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	return &taskResponse{Body: taskOut(tp.Task)}, nil
}

func (h *handler) pickUpTask(ctx context.Context, in *taskVersionRequest) (*taskResponse, error) {
	if err := h.Tasks.PickUp(ctx, actorFrom(ctx), in.ID, in.Body.Version); err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	return h.task(ctx, in.ID)
}

func (h *handler) releaseTask(ctx context.Context, in *taskVersionRequest) (*taskResponse, error) {
	if err := h.Tasks.Release(ctx, actorFrom(ctx), in.ID, in.Body.Version); err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	return h.task(ctx, in.ID)
}

func (h *handler) assignTask(ctx context.Context, in *assignRequest) (*taskResponse, error) {
	if err := h.Tasks.Assign(ctx, actorFrom(ctx), in.ID, in.Body.Version, in.Body.UserID); err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	return h.task(ctx, in.ID)
}

func (h *handler) completeTask(ctx context.Context, in *completeRequest) (*completionResponse, error) {
	a := actorFrom(ctx)
	done, err := h.Tasks.CompleteTask(ctx, a, in.ID, in.Body.Version, in.Body.Velden.values())
	if err != nil {
		return nil, h.fail(ctx, err, inVelden)
	}
	// The answer is what the completion's transaction read at its end:
	// no second read of the task or the client's file.
	out := Completion{Task: taskOut(done.Task), Open: tasksOut(done.Open), New: []int64{}, Next: done.Next}
	for _, t := range done.Tasks {
		out.New = append(out.New, t.ID)
	}
	return &completionResponse{Body: out}, nil
}
