package api

import (
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// The response types of the API. Field names are Dutch like the UI;
// calendar dates are "jjjj-mm-dd" strings, moments RFC 3339 in
// Europe/Amsterdam; unknown dates and moments are left out. No type here
// carries a full BSN.

// date formats a calendar date, "" for the zero time.
func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(process.Amsterdam).Format(time.DateOnly)
}

// moment formats a moment, "" for the zero time.
func moment(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(process.Amsterdam).Format(time.RFC3339)
}

// UserRef names a user.
type UserRef struct {
	ID   int64  `json:"id" doc:"Id van de gebruiker."`
	Name string `json:"naam" doc:"Naam van de gebruiker."`
}

// userRef returns a reference, nil when id is 0.
func userRef(id int64, name string) *UserRef {
	if id == 0 {
		return nil
	}
	return &UserRef{ID: id, Name: name}
}

// ClientRef names a client. It never carries the BSN.
type ClientRef struct {
	ID   int64  `json:"id" doc:"Id van de klant."`
	Name string `json:"naam" doc:"Naam van de klant."`
}

// StepRef names a step of the process.
type StepRef struct {
	Key   string `json:"sleutel" doc:"Sleutel van de stap in de procesdefinitie, bijvoorbeeld intake_gesprek."`
	Title string `json:"titel" doc:"Titel van de stap."`
}

// TeamRef names a team.
type TeamRef struct {
	Key  string `json:"sleutel" doc:"Sleutel van het team, bijvoorbeeld poort."`
	Name string `json:"naam" doc:"Naam van het team."`
}

// Task is a task on a worklist.
type Task struct {
	ID            int64     `json:"id" doc:"Id van de taak."`
	ApplicationID int64     `json:"aanvraag_id" doc:"Id van de aanvraag (werkproces 0/L2) waar de taak bij hoort."`
	CaseID        int64     `json:"werkproces_id" doc:"Id van het werkproces waarop de taak staat: de aanvraag of het participatiedossier (17/PA)."`
	CaseCode      string    `json:"werkproces" doc:"Code van het werkproces, bijvoorbeeld 0/L2 of 17/PA."`
	Client        ClientRef `json:"klant" doc:"De klant, zonder BSN."`
	Step          StepRef   `json:"stap" doc:"De stap van het proces."`
	Team          TeamRef   `json:"team" doc:"Het team van de taak."`
	Worklist      string    `json:"werkvoorraad,omitempty" doc:"Code van de werkvoorraad, bijvoorbeeld 445."`
	Status        string    `json:"status" enum:"open,afgerond,vervallen" doc:"Status van de taak."`
	Since         string    `json:"sinds" format:"date-time" doc:"Moment waarop de taak ontstond."`
	Due           string    `json:"termijn,omitempty" format:"date" doc:"Uiterste datum (jjjj-mm-dd); ontbreekt als de taak geen termijn heeft. Bij een opgeschorte beslistermijn de voorlopige datum: de laatste die het kan worden (zie termijn_toelichting)."`
	DueNote       string    `json:"termijn_toelichting,omitempty" doc:"Waarom de termijn nog kan verschuiven, bijvoorbeeld: opgeschort sinds 23-12-2026, loopt door na 05-01-2027."`
	DaysLeft      *int      `json:"dagen_over,omitempty" doc:"Dagen tot de termijn; negatief als hij verlopen is. Ontbreekt zonder termijn."`
	Deadline      string    `json:"termijn_status" enum:"geen,op-tijd,bijna,verlopen" doc:"Hoe de termijn ervoor staat."`
	DeadlineLabel string    `json:"termijn_label" doc:"De stand van de termijn in woorden."`
	Holder        *UserRef  `json:"houder,omitempty" doc:"Wie de taak heeft opgepakt; ontbreekt als de taak op de teamwerkvoorraad staat."`
	Outcome       string    `json:"uitkomst,omitempty" doc:"Uitkomst van een afgeronde stap, bijvoorbeeld toekenning."`
	CompletedAt   string    `json:"afgerond_op,omitempty" format:"date-time" doc:"Moment van afronden."`
	CompletedBy   *UserRef  `json:"afgerond_door,omitempty" doc:"Wie de taak afrondde."`
	LateReason    string    `json:"reden_termijn,omitempty" doc:"Vastgelegde reden waarom de termijn niet gehaald is."`
	Version       int       `json:"versie" doc:"Versie van de taak. Stuur hem mee bij oppakken, vrijgeven, toewijzen en afronden; een verouderde versie geeft 409."`
}

func taskOut(v casework.TaskView) Task {
	t := Task{
		ID: v.ID, ApplicationID: v.ApplicationID, CaseID: v.CaseID, CaseCode: v.CaseCode,
		Client:   ClientRef{ID: v.ClientID, Name: v.ClientName},
		Step:     StepRef{Key: string(v.Step), Title: v.StepTitle},
		Team:     TeamRef{Key: v.Team, Name: v.TeamName},
		Worklist: v.Worklist, Status: v.Status, Since: moment(v.CreatedAt), Due: date(v.DueOn), DueNote: v.DueNote,
		Deadline: string(v.Deadline), DeadlineLabel: v.DeadlineLabel,
		Holder:  userRef(v.HolderID, v.HolderName),
		Outcome: v.Outcome, CompletedAt: moment(v.CompletedAt), CompletedBy: userRef(v.CompletedBy, v.CompletedByName),
		LateReason: v.LateReason, Version: v.Version,
	}
	if t.Deadline == "" {
		t.Deadline = string(process.DeadlineNone)
	}
	if v.Deadline != process.DeadlineNone && v.Deadline != "" {
		t.DaysLeft = ptr(v.DaysLeft)
	}
	return t
}

func tasksOut(vs []casework.TaskView) []Task {
	out := make([]Task, 0, len(vs))
	for _, v := range vs {
		out = append(out, taskOut(v))
	}
	return out
}

// Application is a benefit application: werkproces 0/L2.
type Application struct {
	ID              int64  `json:"id" doc:"Id van de aanvraag."`
	ClientID        int64  `json:"klant_id" doc:"Id van de klant."`
	Code            string `json:"werkproces" doc:"Code van het werkproces, bijvoorbeeld 0/L2."`
	Status          string `json:"status" doc:"Status van de aanvraag: in_behandeling of besloten."`
	StatusLabel     string `json:"status_label" doc:"De status in woorden."`
	Channel         string `json:"kanaal" enum:"digitaal,fysiek" doc:"Hoe de aanvraag binnenkwam."`
	AppliedOn       string `json:"aanvraagdatum" format:"date" doc:"Datum van ontvangst."`
	ReportedOn      string `json:"meldingsdatum,omitempty" format:"date" doc:"Datum van de melding: de vroegste ingangsdatum van een uitkering (art. 44 Participatiewet)."`
	DecisionDue     string `json:"beslistermijn,omitempty" format:"date" doc:"Uiterste datum van het besluit: 8 weken na ontvangst (Awb 4:13), plus opschortingen (Awb 4:15) en een verdaging (Awb 4:14), verschoven volgens de Algemene termijnenwet. Loopt een opschorting, dan de voorlopige datum: de laatste die het kan worden."`
	DecisionNote    string `json:"beslistermijn_toelichting,omitempty" doc:"Loopt er een opschorting: sinds wanneer en tot wanneer uiterlijk, bijvoorbeeld: opgeschort sinds 23-12-2026, loopt door na 05-01-2027."`
	ExtendedTo      string `json:"verdaagd_tot,omitempty" format:"date" doc:"De datum waartoe de beslistermijn is verdaagd (Awb 4:14 lid 3); ontbreekt zonder verdaging."`
	ExtendedOn      string `json:"verdaagd_op,omitempty" format:"date" doc:"De dag waarop de verdaging is meegedeeld."`
	ExtensionReason string `json:"reden_verdaging,omitempty" doc:"Waarom de beslistermijn is verdaagd."`
	TargetGroup     string `json:"doelgroep,omitempty" doc:"Beoordeelde doelgroep, bijvoorbeeld regulier."`
	DecisionOutcome string `json:"besluit,omitempty" doc:"Besluit: toekenning of geen_toekenning."`
	DecisionOn      string `json:"besluit_datum,omitempty" format:"date" doc:"Datum van het besluit."`
	OpenedAt        string `json:"geopend" format:"date-time" doc:"Moment waarop het werkproces is aangemaakt."`
	ClosedAt        string `json:"gesloten,omitempty" format:"date-time" doc:"Moment waarop het werkproces is gesloten."`
	Version         int    `json:"versie" doc:"Versie van het werkproces."`
}

func applicationOut(c casework.Case) Application {
	return Application{ID: c.ID, ClientID: c.ClientID, Code: c.Code, Status: c.Status, StatusLabel: process.StatusNames[c.Status],
		Channel: c.Channel, AppliedOn: date(c.AppliedOn), ReportedOn: date(c.ReportedOn), DecisionDue: date(c.DecisionDue),
		ExtendedTo: date(c.ExtendedTo), ExtendedOn: date(c.ExtendedOn), ExtensionReason: c.ExtensionReason,
		TargetGroup: c.TargetGroup, DecisionOutcome: c.DecisionOutcome, DecisionOn: date(c.DecisionOn),
		OpenedAt: moment(c.OpenedAt), ClosedAt: moment(c.ClosedAt), Version: c.Version}
}

// Participation is a participation case: werkproces 17/PA with the
// participatiedossier.
type Participation struct {
	ID            int64    `json:"id" doc:"Id van het participatiedossier; gebruik het in /api/dossiers/{id}/..."`
	ApplicationID int64    `json:"aanvraag_id" doc:"Id van de aanvraag waaruit het dossier ontstond."`
	Code          string   `json:"werkproces" doc:"Code van het werkproces, bijvoorbeeld 17/PA."`
	Worklist      string   `json:"werkvoorraad,omitempty" doc:"Code van de werkvoorraad, bijvoorbeeld 445."`
	Status        string   `json:"status" doc:"Status: werkdiagnose, aangemeld (wacht op kennismaking), begeleiding, begeleiding_nug of afgesloten."`
	StatusLabel   string   `json:"status_label" doc:"De status in woorden."`
	Owner         *UserRef `json:"dossierhouder,omitempty" doc:"De klantmanager op wiens naam het dossier staat."`
	Segment       string   `json:"segment,omitempty" doc:"Segment uit het plan van aanpak."`
	OpenedAt      string   `json:"geopend" format:"date-time" doc:"Moment waarop het dossier is aangemaakt."`
	ClosedAt      string   `json:"gesloten,omitempty" format:"date-time" doc:"Moment waarop het dossier is gesloten."`
	Version       int      `json:"versie" doc:"Versie van het dossier."`
}

func participationOut(c casework.Case, ownerName string) Participation {
	return Participation{ID: c.ID, ApplicationID: c.ApplicationID, Code: c.Code, Worklist: c.Worklist, Status: c.Status,
		StatusLabel: process.StatusNames[c.Status], Owner: userRef(c.DossierOwner, ownerName), Segment: c.Segment,
		OpenedAt: moment(c.OpenedAt), ClosedAt: moment(c.ClosedAt), Version: c.Version}
}

// ClientSummary is a client in a search result.
type ClientSummary struct {
	ID        int64    `json:"id" doc:"Id van de klant: het klantnummer."`
	Name      string   `json:"naam" doc:"Volledige naam."`
	MaskedBSN string   `json:"bsn_gemaskeerd,omitempty" doc:"Alleen de laatste drie cijfers van het BSN, bijvoorbeeld ******782. Ontbreekt bij een klant buiten uw werk."`
	BirthDate string   `json:"geboortedatum,omitempty" format:"date" doc:"Geboortedatum."`
	Steps     []string `json:"huidige_stappen,omitempty" doc:"De stappen die nu open staan, oudste eerst."`
	Status    string   `json:"status,omitempty" doc:"De status van het laatste werkproces in woorden."`
	// NeedsReason: the client is outside need-to-know.
	NeedsReason bool `json:"reden_nodig,omitempty" doc:"De klant valt buiten uw werk: alleen naam en geboortedatum staan hier, het dossier opent u met een reden in de webapplicatie."`
}

func clientSummaryOut(c casework.FoundClient) ClientSummary {
	return ClientSummary{ID: c.ID, Name: c.Name(), MaskedBSN: c.MaskedBSN, BirthDate: date(c.BirthDate), Steps: c.Steps, Status: c.Status,
		NeedsReason: !c.Known}
}

// ClientDetail is a client with contact details, without the full BSN.
type ClientDetail struct {
	ID         int64  `json:"id" doc:"Id van de klant."`
	MaskedBSN  string `json:"bsn_gemaskeerd" doc:"Alleen de laatste drie cijfers van het BSN. Het volledige BSN staat nooit in de API."`
	GivenName  string `json:"voornamen" doc:"Voornamen."`
	FamilyName string `json:"achternaam" doc:"Achternaam met tussenvoegsel."`
	Name       string `json:"naam" doc:"Volledige naam."`
	BirthDate  string `json:"geboortedatum,omitempty" format:"date" doc:"Geboortedatum."`
	Age        int    `json:"leeftijd" doc:"Leeftijd vandaag in jaren."`
	Eligible   bool   `json:"in_doelgroep" doc:"Of de klant op de aanvraagdatum oud genoeg was voor de pilot."`
	Email      string `json:"email,omitempty" doc:"E-mailadres."`
	Phone      string `json:"telefoon,omitempty" doc:"Telefoonnummer."`
	Address    string `json:"adres,omitempty" doc:"Adres."`
	Contact    string `json:"voorkeurskanaal,omitempty" enum:"email,post,telefoon" doc:"Hoe de klant het liefst bericht krijgt: email, post of telefoon."`
	Person     string `json:"contactpersoon,omitempty" doc:"Contactpersoon of tolk (vrije tekst), bijvoorbeeld: tolk Arabisch."`
}

// PlanTrajectory is a trajectory planned in the plan van aanpak.
type PlanTrajectory struct {
	Provider   string `json:"aanbieder" doc:"Sleutel van de aanbieder; leeg voor een eigen traject."`
	Goal       string `json:"omschrijving" doc:"Omschrijving van het traject."`
	Activities string `json:"activiteiten" doc:"Activiteiten, één per regel."`
}

// Plan is one version of a plan van aanpak (art. 44a Participatiewet).
type Plan struct {
	ID           int64            `json:"id" doc:"Id van deze versie."`
	CaseID       int64            `json:"dossier_id" doc:"Id van het participatiedossier."`
	Version      int              `json:"versie" doc:"Versienummer; stuur het mee als basis_versie bij de volgende wijziging."`
	Situation    string           `json:"situatie" doc:"Situatie van de klant."`
	LadderNow    int              `json:"ladder_nu" doc:"Trede op de participatieladder nu (1-6)."`
	LadderTarget int              `json:"ladder_doel" doc:"Doel op de participatieladder (1-6)."`
	Segment      string           `json:"segment" doc:"Segment."`
	Goals        string           `json:"doelen" doc:"Doelen."`
	Obligations  string           `json:"verplichtingen" doc:"Verplichtingen van de klant."`
	Consequences string           `json:"gevolgen" doc:"Gevolgen van het niet nakomen."`
	Trajectories []PlanTrajectory `json:"trajecten" nullable:"false" doc:"Geplande trajecten."`
	EvaluationOn string           `json:"evaluatie_datum,omitempty" format:"date" doc:"Datum van de evaluatie."`
	SignedOn     string           `json:"ondertekend_op,omitempty" format:"date" doc:"Datum waarop de klant tekende; ontbreekt zolang niet getekend is."`
	SignedDocID  int64            `json:"getekend_document_id,omitempty" doc:"Id van het document van het getekende plan: een geüploade scan, het afgedrukte plan of het plan dat met de datum van de handtekening is bewaard."`
	Note         string           `json:"aanleiding,omitempty" doc:"Waarom deze versie is gemaakt, als dat niet het planformulier was: een evaluatie die het plan aanpast."`
	Author       *UserRef         `json:"auteur,omitempty" doc:"Wie deze versie opsloeg."`
	CreatedAt    string           `json:"aangemaakt" format:"date-time" doc:"Moment van opslaan."`
}

func planOut(p casework.Plan) Plan {
	out := Plan{ID: p.ID, CaseID: p.CaseID, Version: p.Version, Situation: p.Situation, LadderNow: p.LadderNow, LadderTarget: p.LadderTarget,
		Segment: p.Segment, Goals: p.Goals, Obligations: p.Obligations, Consequences: p.Consequences,
		Trajectories: make([]PlanTrajectory, 0, len(p.Trajectories)), EvaluationOn: date(p.EvaluationOn), SignedOn: date(p.SignedOn), SignedDocID: p.SignedDocumentID, Note: p.Note,
		Author: userRef(p.AuthorID, p.AuthorName), CreatedAt: moment(p.CreatedAt)}
	for _, t := range p.Trajectories {
		out.Trajectories = append(out.Trajectories, PlanTrajectory{Provider: t.Provider, Goal: t.Goal, Activities: t.Activities})
	}
	return out
}

// Activity is an activity in a trajectory.
type Activity struct {
	ID          int64  `json:"id" doc:"Id van de activiteit."`
	Description string `json:"omschrijving" doc:"Omschrijving."`
	DueOn       string `json:"datum,omitempty" format:"date" doc:"Streefdatum."`
}

// Trajectory is a registered trajectory.
type Trajectory struct {
	ID         int64      `json:"id" doc:"Id van het traject."`
	CaseID     int64      `json:"dossier_id" doc:"Id van het participatiedossier."`
	Provider   string     `json:"aanbieder" doc:"Sleutel van de aanbieder; leeg voor een eigen traject."`
	Title      string     `json:"titel" doc:"Omschrijving van het traject."`
	Status     string     `json:"status" enum:"lopend,afgerond,gestopt" doc:"Status van het traject."`
	StartOn    string     `json:"start,omitempty" format:"date" doc:"Startdatum."`
	EndOn      string     `json:"einde,omitempty" format:"date" doc:"Einddatum."`
	Result     string     `json:"resultaat,omitempty" doc:"Resultaat bij afronden."`
	MayFinish  bool       `json:"mag_afmaken" doc:"Of het traject na het sluiten van het dossier afgemaakt mag worden."`
	PlanRow    int        `json:"plan_rij,omitempty" doc:"De rij van het plan van aanpak die dit traject is; ontbreekt als het niet (meer) in het plan staat."`
	Activities []Activity `json:"activiteiten" nullable:"false" doc:"Activiteiten."`
	CreatedAt  string     `json:"aangemaakt" format:"date-time" doc:"Moment van aanmaken."`
}

func trajectoryOut(t casework.Trajectory) Trajectory {
	out := Trajectory{ID: t.ID, CaseID: t.CaseID, Provider: t.Provider, Title: t.Title, Status: t.Status, StartOn: date(t.StartOn),
		EndOn: date(t.EndOn), Result: t.Result, MayFinish: t.MayFinish, PlanRow: t.PlanRow, Activities: make([]Activity, 0, len(t.Activities)), CreatedAt: moment(t.CreatedAt)}
	for _, a := range t.Activities {
		out.Activities = append(out.Activities, Activity{ID: a.ID, Description: a.Description, DueOn: date(a.DueOn)})
	}
	return out
}

// Registration is a registration with a provider.
type Registration struct {
	ID         int64  `json:"id" doc:"Id van de aanmelding."`
	CaseID     int64  `json:"dossier_id" doc:"Id van het participatiedossier."`
	Provider   string `json:"aanbieder" doc:"Sleutel van de aanbieder."`
	Trajectory int64  `json:"traject_id,omitempty" doc:"Id van het traject waarvoor de klant is aangemeld; ontbreekt bij een aanmelding op zichzelf."`
	MayFinish  bool   `json:"mag_afmaken" doc:"Of de aanmelding na het sluiten van het dossier afgemaakt mag worden."`
	Status     string `json:"status" doc:"Status: aangemeld, geaccepteerd, gestart, afgewezen of afgerond."`
	On         string `json:"datum,omitempty" format:"date" doc:"Datum van aanmelding."`
	Note       string `json:"notitie,omitempty" doc:"Notitie voor de aanbieder."`
	UpdatedAt  string `json:"bijgewerkt,omitempty" format:"date-time" doc:"Moment van de laatste wijziging."`
	Version    int    `json:"versie" doc:"Versie; stuur hem mee bij het wijzigen van de status."`
}

func registrationOut(r casework.Registration) Registration {
	return Registration{ID: r.ID, CaseID: r.CaseID, Provider: r.Provider, Trajectory: r.TrajectoryID, MayFinish: r.MayFinish, Status: r.Status, On: date(r.On), Note: r.Note,
		UpdatedAt: moment(r.UpdatedAt), Version: r.Version}
}

// Appointment is an appointment with the client.
type Appointment struct {
	ID           int64    `json:"id" doc:"Id van de afspraak."`
	CaseID       int64    `json:"dossier_id" doc:"Id van het participatiedossier."`
	ClientID     int64    `json:"klant_id" doc:"Id van de klant."`
	Kind         string   `json:"soort" doc:"Soort afspraak: intake_werkdiagnose, kennismaking of vervolg."`
	KindLabel    string   `json:"soort_label" doc:"De soort in woorden."`
	StartAt      string   `json:"begin" format:"date-time" doc:"Begin."`
	EndAt        string   `json:"einde" format:"date-time" doc:"Einde."`
	Room         string   `json:"spreekkamer" doc:"Sleutel van de spreekkamer."`
	Klantmanager *UserRef `json:"klantmanager,omitempty" doc:"De klantmanager van de afspraak."`
	Cancelled    bool     `json:"geannuleerd" doc:"Of de afspraak is geannuleerd."`
	Status       string   `json:"status" enum:"gepland,gehouden,niet_verschenen,vervallen" doc:"Gepland, gehouden, niet verschenen (no-show) of vervallen (begonnen, nooit vastgelegd, en het dossier gesloten); een geannuleerde afspraak houdt de status die hij had."`
	Sequence     int      `json:"volgnummer" doc:"Volgnummer van de agenda-uitnodiging; hoger na elke wijziging. Geef het mee bij het verplaatsen."`
}

func appointmentOut(a casework.Appointment) Appointment {
	return Appointment{ID: a.ID, CaseID: a.CaseID, ClientID: a.ClientID, Kind: a.Kind, KindLabel: process.AppointmentKindNames[a.Kind],
		StartAt: moment(a.StartAt), EndAt: moment(a.EndAt), Room: a.Room, Klantmanager: userRef(a.KlantmanagerID, a.KlantmanagerName),
		Cancelled: a.Cancelled, Status: a.Status, Sequence: a.Sequence}
}

// Suspension is a suspension of the decision term (Awb 4:15).
type Suspension struct {
	ID            int64  `json:"id" doc:"Id van de opschorting."`
	ApplicationID int64  `json:"aanvraag_id" doc:"Id van de aanvraag."`
	Kind          string `json:"soort" enum:"aanvulling,instemming" doc:"aanvulling: door een verzoek om aanvulling (Awb 4:5, 4:15 lid 1 a), beëindigd met de taak Aanvulling verwerken; instemming: de aanvrager stemde schriftelijk in met uitstel (Awb 4:15 lid 2 a)."`
	RequestedOn   string `json:"verzoek_datum,omitempty" format:"date" doc:"Datum van het verzoek om aanvulling."`
	StartOn       string `json:"start" format:"date" doc:"Eerste dag van de opschorting."`
	EndOn         string `json:"eind,omitempty" format:"date" doc:"De dag waarop de termijn weer loopt; ontbreekt zolang de opschorting loopt."`
	PlannedEnd    string `json:"uiterlijk_tot_en_met,omitempty" format:"date" doc:"De laatste dag dat de opschorting kan lopen: het einde van de aanvultermijn of van het uitstel waarmee de aanvrager instemde."`
	Reason        string `json:"reden" doc:"Reden; bij een verzoek om aanvulling: wat ontbreekt."`
	At            string `json:"aangemaakt" format:"date-time" doc:"Moment van vastleggen."`
}

func suspensionOut(s casework.Suspension) Suspension {
	return Suspension{ID: s.ID, ApplicationID: s.CaseID, Kind: s.Kind, RequestedOn: date(s.RequestedOn), StartOn: date(s.StartOn),
		EndOn: date(s.EndOn), PlannedEnd: date(s.PlannedEnd), Reason: s.Reason, At: moment(s.At)}
}

// Event is a line of the client's history.
type Event struct {
	ID      int64    `json:"id" doc:"Id van de gebeurtenis."`
	CaseID  int64    `json:"werkproces_id,omitempty" doc:"Id van het werkproces."`
	TaskID  int64    `json:"taak_id,omitempty" doc:"Id van de taak."`
	Kind    string   `json:"soort" doc:"Soort gebeurtenis, bijvoorbeeld stap_afgerond."`
	Summary string   `json:"samenvatting" doc:"Wat er gebeurde."`
	Reason  string   `json:"reden,omitempty" doc:"Vastgelegde reden of toelichting."`
	Actor   *UserRef `json:"door,omitempty" doc:"Wie het deed."`
	At      string   `json:"tijdstip" format:"date-time" doc:"Wanneer."`
}

func eventOut(e casework.Event) Event {
	return Event{ID: e.ID, CaseID: e.CaseID, TaskID: e.TaskID, Kind: e.Kind, Summary: e.Summary, Reason: e.Reason,
		Actor: userRef(e.ActorID, e.ActorName), At: moment(e.At)}
}

// MessageSummary is a message to or about the client, by its subject only.
type MessageSummary struct {
	ID        int64  `json:"id" doc:"Id van het bericht."`
	Kind      string `json:"soort" doc:"Soort bericht, bijvoorbeeld E-mail TOP of Uitnodiging klant."`
	Subject   string `json:"onderwerp" doc:"Onderwerp."`
	Status    string `json:"status" doc:"Status: wachtend, verzonden, opnieuw, mislukt of per_post (een brief om te printen: de klant heeft geen e-mailadres)."`
	CreatedAt string `json:"aangemaakt" format:"date-time" doc:"Moment van aanmaken."`
	SentAt    string `json:"verzonden,omitempty" format:"date-time" doc:"Moment van verzenden."`
}

// ClientFile is the summary of a client's file.
type ClientFile struct {
	Client         ClientDetail     `json:"klant" doc:"De klant."`
	Application    Application      `json:"aanvraag" doc:"De laatste aanvraag."`
	Applications   []Application    `json:"aanvragen" nullable:"false" doc:"Alle aanvragen van de klant."`
	Participation  *Participation   `json:"participatie,omitempty" doc:"Het participatiedossier bij de laatste aanvraag, als dat er is."`
	Tasks          []Task           `json:"taken" nullable:"false" doc:"De taken van de laatste aanvraag."`
	Plan           *Plan            `json:"plan,omitempty" doc:"De laatste versie van het plan van aanpak."`
	Trajectories   []Trajectory     `json:"trajecten" nullable:"false" doc:"Trajecten."`
	Registrations  []Registration   `json:"aanmeldingen" nullable:"false" doc:"Aanmeldingen bij aanbieders."`
	Appointments   []Appointment    `json:"afspraken" nullable:"false" doc:"Afspraken."`
	Suspensions    []Suspension     `json:"opschortingen" nullable:"false" doc:"Opschortingen van de beslistermijn."`
	Events         []Event          `json:"gebeurtenissen" nullable:"false" doc:"Een pagina van de historie: hooguit 50 regels, oudste eerst."`
	HistoryOlder   string           `json:"historie_eerder,omitempty" doc:"Cursor van de eerdere regels van de historie: geef hem mee als historie. Ontbreekt bij de oudste."`
	HistoryNewer   string           `json:"historie_nieuwer,omitempty" doc:"Cursor van de nieuwere regels van de historie. Ontbreekt bij de nieuwste."`
	Messages       []MessageSummary `json:"berichten" nullable:"false" doc:"Berichten, alleen met onderwerp."`
	NextVoorschot  string           `json:"volgend_voorschot,omitempty" format:"date" doc:"Volgende voorschotdatum (art. 52 Participatiewet) zolang niet besloten is."`
	Voorschotten   []Voorschot      `json:"voorschotten" nullable:"false" doc:"De voorschotten van de laatste aanvraag, op voorschotdatum."`
	Evaluations    []Evaluation     `json:"evaluaties" nullable:"false" doc:"De evaluaties van het plan van aanpak (art. 44a Participatiewet), nieuwste eerst."`
	NextEvaluation string           `json:"volgende_evaluatie,omitempty" format:"date" doc:"De evaluatiedatum van het plan van aanpak zoals die nu staat."`
}

// Evaluation is an evaluation of the plan van aanpak with the client.
type Evaluation struct {
	ID          int64    `json:"id" doc:"Id van de evaluatie."`
	CaseID      int64    `json:"dossier_id" doc:"Id van het participatiedossier."`
	TaskID      int64    `json:"taak_id" doc:"Id van de taak ‘Plan van aanpak evalueren’."`
	DueOn       string   `json:"gepland_op,omitempty" format:"date" doc:"De evaluatiedatum waarvoor de taak kwam."`
	HeldOn      string   `json:"gesprek_datum" format:"date" doc:"Datum van het evaluatiegesprek."`
	Done        string   `json:"gedaan" doc:"Wat er is gedaan."`
	Changes     string   `json:"wijzigingen,omitempty" doc:"Wat er verandert."`
	PlanChanged bool     `json:"plan_aangepast" doc:"Of het plan een nieuwe versie kreeg."`
	PlanVersion int      `json:"plan_versie" doc:"De versie van het plan na de evaluatie."`
	NextOn      string   `json:"volgende_evaluatie" format:"date" doc:"De volgende evaluatiedatum."`
	Actor       *UserRef `json:"door,omitempty" doc:"Wie het vastlegde."`
	CreatedAt   string   `json:"vastgelegd" format:"date-time" doc:"Moment van vastleggen."`
}

func evaluationOut(e casework.PlanEvaluation) Evaluation {
	return Evaluation{ID: e.ID, CaseID: e.CaseID, TaskID: e.TaskID, DueOn: date(e.DueOn), HeldOn: date(e.HeldOn), Done: e.Done,
		Changes: e.Changes, PlanChanged: e.PlanChanged, PlanVersion: e.PlanVersion, NextOn: date(e.NextOn),
		Actor: userRef(e.ActorID, e.ActorName), CreatedAt: moment(e.CreatedAt)}
}

func clientFileOut(f casework.ClientFile) ClientFile {
	out := ClientFile{
		Client: ClientDetail{ID: f.Client.ID, MaskedBSN: casework.MaskBSN(f.Client.BSN), GivenName: f.Client.GivenName,
			FamilyName: f.Client.FamilyName, Name: f.Client.Name(), BirthDate: date(f.Client.BirthDate), Age: f.Age, Eligible: f.Eligible,
			Email: f.Client.Email, Phone: f.Client.Phone, Address: f.Client.Address, Contact: f.Client.Contact, Person: f.Client.ContactPerson},
		Application:    applicationOut(f.Application),
		Applications:   make([]Application, 0, len(f.Applications)),
		Tasks:          tasksOut(f.Tasks),
		Trajectories:   make([]Trajectory, 0, len(f.Trajectories)),
		Registrations:  make([]Registration, 0, len(f.Registrations)),
		Appointments:   make([]Appointment, 0, len(f.Appointments)),
		Suspensions:    make([]Suspension, 0, len(f.Suspensions)),
		Events:         make([]Event, 0, len(f.Events)),
		Messages:       make([]MessageSummary, 0, len(f.Messages)),
		NextVoorschot:  date(f.NextVoorschot),
		Voorschotten:   make([]Voorschot, 0, len(f.Voorschotten)),
		Evaluations:    make([]Evaluation, 0, len(f.Evaluations)),
		NextEvaluation: date(f.NextEvaluation),
		HistoryOlder:   f.History.Next,
		HistoryNewer:   f.History.Prev,
	}
	for _, v := range f.Voorschotten {
		out.Voorschotten = append(out.Voorschotten, voorschotOut(v))
	}
	for _, e := range f.Evaluations {
		out.Evaluations = append(out.Evaluations, evaluationOut(e))
	}
	out.Application.DecisionNote = f.DecisionNote()
	for _, c := range f.Applications {
		out.Applications = append(out.Applications, applicationOut(c))
	}
	if f.Participation != nil {
		p := participationOut(*f.Participation, f.OwnerName)
		out.Participation = &p
	}
	if f.Plan != nil {
		p := planOut(*f.Plan)
		out.Plan = &p
	}
	for _, t := range f.Trajectories {
		out.Trajectories = append(out.Trajectories, trajectoryOut(t))
	}
	for _, r := range f.Registrations {
		out.Registrations = append(out.Registrations, registrationOut(r))
	}
	for _, a := range f.Appointments {
		out.Appointments = append(out.Appointments, appointmentOut(a))
	}
	for _, s := range f.Suspensions {
		out.Suspensions = append(out.Suspensions, suspensionOut(s))
	}
	for _, e := range f.Events {
		out.Events = append(out.Events, eventOut(e))
	}
	for _, m := range f.Messages {
		out.Messages = append(out.Messages, MessageSummary{ID: m.ID, Kind: m.Kind, Subject: m.Subject, Status: m.Status,
			CreatedAt: moment(m.CreatedAt), SentAt: moment(m.SentAt)})
	}
	return out
}

// OutboxMessage is a message in the outbox, without its body.
type OutboxMessage struct {
	ID        int64  `json:"id" doc:"Id van het bericht."`
	ClientID  int64  `json:"klant_id,omitempty" doc:"Id van de klant."`
	CaseID    int64  `json:"werkproces_id,omitempty" doc:"Id van het werkproces."`
	TaskID    int64  `json:"taak_id,omitempty" doc:"Id van de taak."`
	Kind      string `json:"soort" doc:"Soort bericht, bijvoorbeeld E-mail TOP of Uitnodiging klant."`
	From      string `json:"van" doc:"Afzender."`
	To        string `json:"aan" doc:"Ontvanger."`
	Subject   string `json:"onderwerp" doc:"Onderwerp; bevat nooit een BSN."`
	Status    string `json:"status" enum:"wachtend,verzonden,opnieuw,mislukt,per_post" doc:"Status van de bezorging; per_post: een brief om te printen en per post te versturen (de klant heeft geen e-mailadres), nooit gemaild."`
	Attempts  int    `json:"pogingen" doc:"Aantal bezorgpogingen."`
	LastError string `json:"laatste_fout,omitempty" doc:"Laatste foutmelding van de bezorging, in het Nederlands met het antwoord van de mailserver."`
	CreatedAt string `json:"aangemaakt" format:"date-time" doc:"Moment van aanmaken."`
	SentAt    string `json:"verzonden,omitempty" format:"date-time" doc:"Moment van verzenden."`
	// NextAttemptAt is set while the status is opnieuw.
	NextAttemptAt string `json:"volgende_poging,omitempty" format:"date-time" doc:"Wanneer de volgende poging ongeveer plaatsvindt; alleen bij status opnieuw."`
	HasInvitation bool   `json:"met_uitnodiging" doc:"Of het bericht een agenda-uitnodiging (.ics) bevat."`
	Attachment    string `json:"bijlage,omitempty" doc:"Naam van de bijlage, bijvoorbeeld uitnodiging.ics."`
}

func outboxOut(m casework.Message) OutboxMessage {
	return OutboxMessage{ID: m.ID, ClientID: m.ClientID, CaseID: m.CaseID, TaskID: m.TaskID, Kind: m.Kind, From: m.From, To: m.To,
		Subject: m.Subject, Status: m.Status, Attempts: m.Attempts, LastError: m.LastError, CreatedAt: moment(m.CreatedAt), SentAt: moment(m.SentAt),
		NextAttemptAt: moment(m.NextAttemptAt), HasInvitation: m.AttachmentName != "", Attachment: m.AttachmentName}
}

// User is an account. The password hash never leaves the service.
type User struct {
	ID        int64    `json:"id" doc:"Id van de gebruiker."`
	Username  string   `json:"gebruikersnaam" doc:"Gebruikersnaam."`
	Name      string   `json:"naam" doc:"Naam."`
	Email     string   `json:"email" doc:"E-mailadres."`
	Roles     []string `json:"rollen" nullable:"false" doc:"Rollen, als sleutel (bijvoorbeeld poortwachter)."`
	RoleNames string   `json:"rollen_label" doc:"De rollen in woorden."`
	Active    bool     `json:"actief" doc:"Of het account kan inloggen en API-sleutels kan gebruiken."`
	System    bool     `json:"systeem" doc:"Systeemaccount (bijvoorbeeld het e-formulierensysteem): alleen API-sleutels, geen wachtwoord."`
	CreatedAt string   `json:"aangemaakt,omitempty" format:"date-time" doc:"Moment van aanmaken."`
}

func userOut(u casework.User) User {
	out := User{ID: u.ID, Username: u.Username, Name: u.Name, Email: u.Email, Roles: make([]string, 0, len(u.Roles)),
		RoleNames: u.RoleNames(), Active: u.Active, System: u.System, CreatedAt: moment(u.CreatedAt)}
	for _, r := range u.Roles {
		out.Roles = append(out.Roles, string(r))
	}
	return out
}

// Token is an API key, without its secret.
type Token struct {
	ID         int64   `json:"id" doc:"Id van de sleutel."`
	Name       string  `json:"naam" doc:"Naam, bijvoorbeeld e-formulieren."`
	Prefix     string  `json:"begin" doc:"De eerste tekens van de sleutel, om hem te herkennen."`
	User       UserRef `json:"gebruiker" doc:"De gebruiker namens wie de sleutel werkt."`
	CreatedBy  int64   `json:"uitgegeven_door" doc:"Id van de functioneel beheerder die hem uitgaf."`
	CreatedAt  string  `json:"aangemaakt" format:"date-time" doc:"Moment van uitgeven."`
	RevokedAt  string  `json:"ingetrokken,omitempty" format:"date-time" doc:"Moment van intrekken; ontbreekt zolang de sleutel geldig is."`
	LastUsedAt string  `json:"laatst_gebruikt,omitempty" format:"date-time" doc:"Moment van het laatste gebruik."`
}

func tokenOut(t casework.APIToken) Token {
	return Token{ID: t.ID, Name: t.Name, Prefix: t.Prefix, User: UserRef{ID: t.UserID, Name: t.UserName}, CreatedBy: t.CreatedBy,
		CreatedAt: moment(t.CreatedAt), RevokedAt: moment(t.RevokedAt), LastUsedAt: moment(t.LastUsedAt)}
}

// Confirmation is the answer to an action whose result the client reads
// elsewhere, for example in the client file.
type Confirmation struct {
	Message string `json:"melding" doc:"Wat er is vastgelegd."`
}
