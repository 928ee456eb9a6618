package casework

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Dossiers keeps the participatiedossier: the plan van aanpak, the
// registrations with providers and the trajectories.
type Dossiers struct {
	*core
	store Transactor[DossierTx]
}

// DossierTx is what the dossier use cases read and write.
type DossierTx interface {
	CaseTx
	ClientTx
	PlanTx
	EvaluationTx
	// The plan printed for signature, and the signed plan, are documents.
	DocumentTx
	TrajectoryTx
	RegistrationTx
	EventTx
	DefinitionTx
	// Closing a dossier cancels its appointments, tells whom it concerns
	// (a letter has its task) and checks no step is open on it.
	flowTx
	DocumentTx  // a cancellation by post is a letter
	RetentionTx // a closed dossier gets its retention
}

// caseReadTx reads a case with its client and definition.
type caseReadTx interface {
	CaseTx
	ClientTx // with AccessTx: need-to-know
	DefinitionTx
}

// dossier is an open participation case with its definition and client.
type dossier struct {
	c      Case
	def    *process.Definition
	client Client
}

// loadParticipation loads a participation case the actor may do act on,
// with its definition and client; open or closed.
func (s *core) loadParticipation(ctx context.Context, tx caseReadTx, a Actor, caseID int64, act process.Action) (dossier, error) {
	c, err := tx.CaseByID(ctx, caseID)
	if err != nil {
		return dossier{}, notFoundAs(err, "Het participatiedossier")
	}
	if c.Kind != process.CaseParticipatie {
		return dossier{}, NotFound("Het participatiedossier")
	}
	if err := mayEver(a, act); err != nil {
		return dossier{}, err
	}
	if _, err := s.seeClient(ctx, tx, a, c.ClientID); err != nil {
		return dossier{}, err
	}
	if err := Authorize(a, act, DossierRelation(a, c)); err != nil {
		return dossier{}, err
	}
	def, err := s.definition(ctx, tx, c.DefinitionVersion)
	if err != nil {
		return dossier{}, err
	}
	cl, err := tx.ClientByID(ctx, c.ClientID)
	if err != nil {
		return dossier{}, err
	}
	return dossier{c: c, def: def, client: cl}, nil
}

// errDossierClosed refuses work in a closed participatiedossier.
func errDossierClosed() error { return Conflict("Dit participatiedossier is afgesloten.") }

// inDossier runs fn in one transaction on the open participation case the
// actor may work in (process.ActEditDossier).
func inDossier[X caseReadTx](ctx context.Context, s *core, st Transactor[X], a Actor, caseID int64, fn func(tx X, d dossier) error) error {
	return inDossierAs(ctx, s, st, a, caseID, process.ActEditDossier, func(tx X, d dossier) error {
		if !d.c.Open() {
			return errDossierClosed()
		}
		return fn(tx, d)
	})
}

// inDossierAs runs fn in one transaction on the participation case, open
// or closed, the actor may do act on.
func inDossierAs[X caseReadTx](ctx context.Context, s *core, st Transactor[X], a Actor, caseID int64, act process.Action, fn func(tx X, d dossier) error) error {
	return st.Update(ctx, func(tx X) error {
		d, err := s.loadParticipation(ctx, tx, a, caseID, act)
		if err != nil {
			return err
		}
		return fn(tx, d)
	})
}

// SavePlan stores a new version of the plan van aanpak. basedOn is the
// version the form was built on (0 for a new plan): when a colleague saved
// a newer version meanwhile, the save is refused as a conflict.
func (s *Dossiers) SavePlan(ctx context.Context, a Actor, caseID int64, basedOn int, v Values) (_ Plan, err error) {
	defer wrap(&err, "SavePlan(caseID=%d)", caseID)
	var out Plan
	err = inDossier(ctx, s.core, s.store, a, caseID, func(tx DossierTx, d dossier) error {
		c, def, cl := d.c, d.def, d.client
		latest, err := tx.LatestPlan(ctx, c.ID)
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			return err
		}
		if latest.Version != basedOn {
			return Conflict(fmt.Sprintf("%s heeft het plan van aanpak intussen opgeslagen (versie %d, %s). Uw invoer is hieronder bewaard: vergelijk en sla opnieuw op.",
				latest.AuthorName, latest.Version, FormatDateTime(latest.CreatedAt)))
		}
		opts, err := planOptions(ctx, tx, c)
		if err != nil {
			return err
		}
		in, errs, err := s.input(def.Policy.PlanForm(), v, opts, s.env(def))
		if err != nil {
			return err
		}
		plan := Plan{CaseID: c.ID, Version: latest.Version + 1, Situation: in.Text(process.FieldSituation),
			LadderNow: in.Int(process.FieldLadderNow), LadderTarget: in.Int(process.FieldLadderTarget),
			Segment: in.Text(process.FieldSegment), Goals: in.Text(process.FieldGoals), Obligations: in.Text(process.FieldObligations),
			Consequences: in.Text(process.FieldConsequences), EvaluationOn: in.Date(process.FieldEvaluationOn), SignedOn: in.Date(process.FieldSignedOn),
			AuthorID: a.User.ID, AuthorName: a.User.Name, CreatedAt: s.clock.Now().UTC()}
		for i := 1; i <= process.PlanTrajectoryRows; i++ {
			prov, goal, acts := process.PlanTrajectoryFields(i)
			pt := PlannedTrajectory{Row: i, Provider: in.Text(prov), Goal: in.Text(goal), Activities: in.Text(acts)}
			if pt.Goal == "" && (pt.Provider != "" || pt.Activities != "") {
				errs.Add(goal, fmt.Sprintf("Vul de omschrijving van traject %d in, of maak de rij leeg.", i))
			}
			if pt.Goal != "" {
				plan.Trajectories = append(plan.Trajectories, pt)
			}
		}
		plan.SignedDocumentID = in.ID(process.FieldSignedDocument)
		if plan.SignedDocumentID != 0 && plan.SignedOn.IsZero() {
			errs.Add(process.FieldSignedDocument, "Kies het getekende plan samen met de datum van de handtekening.")
		}
		if err := errs.Err(); err != nil {
			return err
		}
		if plan.EvaluationOn.IsZero() {
			// The cycle runs from the client's signature, or from today.
			from := s.today()
			if !plan.SignedOn.IsZero() {
				from = plan.SignedOn
			}
			plan.EvaluationOn = def.Policy.EvaluationAfter(from, s.cal)
			if !plan.EvaluationOn.After(s.today()) {
				plan.EvaluationOn = def.Policy.EvaluationAfter(s.today(), s.cal)
			}
		}
		newlySigned := !plan.SignedOn.IsZero() && (latest.SignedOn.IsZero() || !latest.SignedOn.Equal(plan.SignedOn))
		switch {
		case !newlySigned && plan.SignedDocumentID == 0 && !plan.SignedOn.IsZero():
			plan.SignedDocumentID = latest.SignedDocumentID // the same signature
		case newlySigned && plan.SignedDocumentID == 0:
			// No scan chosen: the plan with its signature date is the document.
			d, err := s.keepLetter(ctx, tx, a, LetterRequest{Key: process.LetterPlan, ClientID: cl.ID, CaseID: c.ID,
				Details: LetterDetails{Plan: &plan}}, DocumentSigned, fmt.Sprintf("met de handtekening van de klant van %s (versie %d)", FormatDate(plan.SignedOn), plan.Version))
			if err != nil {
				return err
			}
			plan.SignedDocumentID = d.ID
		}
		if err := tx.AddPlan(ctx, &plan); err != nil {
			var dup ErrDuplicate
			if errors.As(err, &dup) {
				return Conflict("Een collega sloeg het plan van aanpak tegelijk met u op. Uw invoer is bewaard: sla opnieuw op.")
			}
			return err
		}
		if c.Segment != plan.Segment {
			c.Segment = plan.Segment
			if err := tx.UpdateCase(ctx, &c); err != nil {
				return staleAsConflict(err)
			}
		}
		msg := fmt.Sprintf("Plan van aanpak versie %d opgeslagen; segment %s; evaluatie op %s.", plan.Version, plan.Segment, FormatDate(plan.EvaluationOn))
		if !plan.SignedOn.IsZero() && (latest.SignedOn.IsZero() || !latest.SignedOn.Equal(plan.SignedOn)) {
			msg += " Door de klant getekend op " + FormatDate(plan.SignedOn) + "."
		}
		out = plan
		if err := s.event(ctx, tx, a, cl.ID, c.ID, 0, "plan", msg, ""); err != nil {
			return err
		}
		if err := s.scheduleEvaluation(ctx, tx, c, plan.EvaluationOn); err != nil {
			return err
		}
		return s.syncPlanRows(ctx, tx, a, def, c, plan, time.Time{})
	})
	return out, err
}

// planOptions are the choices of the plan form: the dossier's documents a
// signed plan can be (uploads and printed plans, newest first), after the
// choice of none.
func planOptions(ctx context.Context, tx DocumentTx, c Case) (map[string][]process.Option, error) {
	docs, err := tx.DocumentsByClient(ctx, c.ClientID)
	if err != nil {
		return nil, err
	}
	out := []process.Option{{Value: "", Label: "Geen: het plan met de datum van de handtekening bewaren"}}
	for _, d := range docs {
		if d.CaseID != c.ID || (d.Kind != process.DocumentUpload && d.Kind != string(process.LetterPlan)) {
			continue
		}
		out = append(out, process.Option{Value: strconv.FormatInt(d.ID, 10),
			Label: fmt.Sprintf("%s (%s, %s)", d.Title, strings.ToLower(d.KindName()), FormatDateTime(d.CreatedAt))})
	}
	return map[string][]process.Option{process.SourcePlanDocuments: out}, nil
}

// PlanOptions returns the choices of the plan form of a participation case.
func (s *Dossiers) PlanOptions(ctx context.Context, a Actor, caseID int64) (_ map[string][]process.Option, err error) {
	defer wrap(&err, "PlanOptions(caseID=%d)", caseID)
	var out map[string][]process.Option
	err = s.store.View(ctx, func(tx DossierTx) error {
		d, err := s.loadParticipation(ctx, tx, a, caseID, process.ActEditDossier)
		if err != nil {
			return err
		}
		out, err = planOptions(ctx, tx, d.c)
		return err
	})
	return out, err
}

// PrintPlan makes the latest plan van aanpak as a document to print at the
// desk for the client's signature, kept with the dossier. Errors: not
// found, forbidden, conflict (closed), invalid (no plan yet).
func (s *Dossiers) PrintPlan(ctx context.Context, a Actor, caseID int64) (_ Document, err error) {
	defer wrap(&err, "PrintPlan(caseID=%d)", caseID)
	var out Document
	err = inDossier(ctx, s.core, s.store, a, caseID, func(tx DossierTx, d dossier) error {
		plan, err := tx.LatestPlan(ctx, d.c.ID)
		if errors.Is(err, ErrNotFound) {
			return Invalid("Er is nog geen plan van aanpak. Stel eerst het plan op.")
		} else if err != nil {
			return err
		}
		out, err = s.keepLetter(ctx, tx, a, LetterRequest{Key: process.LetterPlan, ClientID: d.client.ID, CaseID: d.c.ID},
			DocumentForSignature, fmt.Sprintf("om af te drukken voor de handtekening van de klant (versie %d)", plan.Version))
		return err
	})
	return out, err
}

// AddRegistration registers the client with a provider.
func (s *Dossiers) AddRegistration(ctx context.Context, a Actor, caseID int64, v Values) (err error) {
	defer wrap(&err, "AddRegistration(caseID=%d)", caseID)
	return inDossier(ctx, s.core, s.store, a, caseID, func(tx DossierTx, d dossier) error {
		c, def, cl := d.c, d.def, d.client
		in, errs, err := s.input(def.Policy.RegistrationForm(), v, nil, s.env(def))
		if err != nil {
			return err
		}
		if err := errs.Err(); err != nil {
			return err
		}
		regs, err := tx.RegistrationsByCase(ctx, c.ID)
		if err != nil {
			return err
		}
		for _, g := range regs {
			if g.Provider == in.Text(process.FieldProvider) && g.Active() {
				msg := fmt.Sprintf("De klant is al aangemeld bij %s (status: %s). Wijzig de status van die aanmelding.", providerLabel(def, g.Provider), g.Status)
				return &Error{Code: CodeConflict, Message: msg, Fields: Fields{process.FieldProvider: msg}}
			}
		}
		r := Registration{CaseID: c.ID, Provider: in.Text(process.FieldProvider), Status: in.Text(process.FieldStatus),
			On: in.Date(process.FieldDate), Note: in.Text(process.FieldNote),
			CreatedBy: a.User.ID, UpdatedAt: s.clock.Now().UTC()}
		if err := tx.CreateRegistration(ctx, &r); err != nil {
			return err
		}
		return s.event(ctx, tx, a, cl.ID, c.ID, 0, "aanmelding_aanbieder", fmt.Sprintf("Aangemeld bij %s (status: %s).", providerLabel(def, r.Provider), r.Status), "")
	})
}

// UpdateRegistrationStatus changes the status of a provider registration.
func (s *Dossiers) UpdateRegistrationStatus(ctx context.Context, a Actor, caseID, regID int64, version int, status string) (err error) {
	defer wrap(&err, "UpdateRegistrationStatus(caseID=%d, regID=%d)", caseID, regID)
	return inDossierAs(ctx, s.core, s.store, a, caseID, process.ActEditDossier, func(tx DossierTx, d dossier) error {
		c, def, cl := d.c, d.def, d.client
		regs, err := tx.RegistrationsByCase(ctx, c.ID)
		if err != nil {
			return err
		}
		valid := false
		for _, st := range process.RegistrationStatuses {
			valid = valid || st == status
		}
		if !valid {
			return &Error{Code: CodeInvalid, Message: "Kies een geldige status.", Fields: Fields{process.FieldStatus: "Kies een geldige status."}}
		}
		for _, r := range regs {
			if r.ID != regID {
				continue
			}
			if !c.Open() && !(r.MayFinish && r.Active()) {
				return errDossierClosed()
			}
			if err := requireVersion(version); err != nil {
				return err
			}
			if r.Version != version {
				return Conflict("Een collega heeft deze aanmelding intussen gewijzigd. Controleer de status en probeer opnieuw.")
			}
			r.Status, r.UpdatedAt = status, s.clock.Now().UTC()
			if err := tx.UpdateRegistration(ctx, &r); err != nil {
				return staleAsConflict(err)
			}
			pr, _ := def.Policy.Provider(r.Provider)
			return s.event(ctx, tx, a, cl.ID, c.ID, 0, "aanmelding_aanbieder", fmt.Sprintf("Aanmelding bij %s: status %s.", pr.Name, status), "")
		}
		return NotFound("De aanmelding")
	})
}

// FinishTrajectory ends a running trajectory of a participation case with a
// result. A trajectory marked to be finished ("Baanbrekend mag afgemaakt
// worden") may be finished after the case closed.
func (s *Dossiers) FinishTrajectory(ctx context.Context, a Actor, caseID, trajectoryID int64, result string) (err error) {
	defer wrap(&err, "FinishTrajectory(caseID=%d, trajectoryID=%d)", caseID, trajectoryID)
	return inDossierAs(ctx, s.core, s.store, a, caseID, process.ActEditDossier, func(tx DossierTx, d dossier) error {
		// The result is read like every form: its length, its characters, no BSN.
		in, errs, err := s.input(process.FinishTrajectoryForm(), Values{process.FieldResult: {result}}, nil, s.env(d.def))
		if err != nil {
			return err
		}
		if err := errs.Err(); err != nil {
			return err
		}
		c := d.c
		trs, err := tx.TrajectoriesByCase(ctx, c.ID)
		if err != nil {
			return err
		}
		for _, t := range trs {
			if t.ID != trajectoryID {
				continue
			}
			if t.Status != TrajectoryRunning {
				return Conflict("Dit traject is al beëindigd.")
			}
			if !c.Open() && !t.MayFinish {
				return errDossierClosed()
			}
			t.Status, t.EndOn, t.Result = TrajectoryFinished, s.today(), in.Text(process.FieldResult)
			if err := tx.UpdateTrajectory(ctx, t); err != nil {
				return err
			}
			if err := s.endRegistrations(ctx, tx, c, t.ID); err != nil {
				return err
			}
			return s.event(ctx, tx, a, c.ClientID, c.ID, 0, "traject", fmt.Sprintf("Traject %q afgerond.", t.Title), t.Result)
		}
		return NotFound("Het traject")
	})
}

// LatestPlanVersion returns the version of a participation case's latest
// plan van aanpak, 0 when there is none.
func (s *Dossiers) LatestPlanVersion(ctx context.Context, caseID int64) (_ int, err error) {
	defer wrap(&err, "LatestPlanVersion(caseID=%d)", caseID)
	var v int
	err = s.store.View(ctx, func(tx DossierTx) error {
		p, err := tx.LatestPlan(ctx, caseID)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		v = p.Version
		return err
	})
	return v, err
}
