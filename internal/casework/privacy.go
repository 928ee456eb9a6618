package casework

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Data subject rights (UAVG art. 15, 16, 20): an export of everything the
// system holds about one client, made by a functioneel beheerder on a
// documented request and itself recorded in the client's history; see
// docs/security.md, "Data subject rights".

// PrivacyService is retention and destruction, and the data subject's
// export, as the adapters see them.
type PrivacyService interface {
	// RetentionOverview lists the clients due for destruction and every run.
	RetentionOverview(ctx context.Context, a Actor) (RetentionOverview, error)
	// ProposeDestruction proposes the clients due today; the run's id.
	ProposeDestruction(ctx context.Context, a Actor) (int64, error)
	// DestructionRun returns a run with its dry run, or its report.
	DestructionRun(ctx context.Context, a Actor, id int64) (DryRun, error)
	// ApproveDestruction approves a proposed run and carries it out.
	ApproveDestruction(ctx context.Context, a Actor, id int64, confirmed bool) error
	// WithdrawDestruction withdraws a proposal.
	WithdrawDestruction(ctx context.Context, a Actor, id int64) error
	// RetentionStatistics returns the pseudonymised statistics kept.
	RetentionStatistics(ctx context.Context, a Actor) ([]RetentionStat, error)
	// ExportClient gathers everything about a client for a request (the
	// request's reference and date, v: process.ExportForm) and records the
	// export in the client's history.
	ExportClient(ctx context.Context, a Actor, clientID int64, v Values) (ClientExport, error)
	// RectifyClient corrects a client's name, date of birth or BSN
	// (process.RectifyForm) if version is still the client's; the old
	// values go into the history with the reason.
	RectifyClient(ctx context.Context, a Actor, clientID int64, version int, v Values) error
}

var _ PrivacyService = (*Service)(nil)

// ClientExport is everything the system holds about one client.
type ClientExport struct {
	MadeAt        time.Time          `json:"gemaakt_op"`
	MadeBy        string             `json:"gemaakt_door"`
	Request       string             `json:"verzoek"`
	Client        Client             `json:"klant"`
	Cases         []Case             `json:"zaken"`
	Retention     []CaseRetention    `json:"bewaartermijnen"`
	Tasks         []Task             `json:"taken"`
	StepRecords   []StepRecord       `json:"stapformulieren"`
	Plans         []Plan             `json:"plannen_van_aanpak"`
	Evaluations   []PlanEvaluation   `json:"evaluaties"`
	Trajectories  []Trajectory       `json:"trajecten"`
	Registrations []Registration     `json:"aanmeldingen"`
	Appointments  []Appointment      `json:"afspraken"`
	Suspensions   []Suspension       `json:"opschortingen"`
	Voorschotten  []Voorschot        `json:"voorschotten"`
	Meldingen     []Melding          `json:"meldingen"`
	Contacts      []ContactMoment    `json:"contactmomenten"`
	Notes         []Note             `json:"notities"`
	Messages      []Message          `json:"berichten"`
	Documents     []ExportedDocument `json:"documenten"`
	Events        []Event            `json:"historie"`
}

// ExportedDocument is a document with its file, embedded (base64 in JSON).
type ExportedDocument struct {
	Document
	File        []byte `json:"bestand,omitempty"`
	FileType    string `json:"bestandstype,omitempty"`
	FileMissing bool   `json:"geen_bestand,omitempty"`
}

// exportTx is what the export reads, and the history line it writes.
type exportTx interface {
	ClientTx
	CaseTx
	TaskTx
	RecordTx
	PlanTx
	EvaluationTx
	TrajectoryTx
	RegistrationTx
	AppointmentTx
	SuspensionTx
	VoorschotTx
	MeldingTx
	ContactTx
	OutboxTx
	DocumentTx
	EventTx
	RetentionTx
	AccessTx
}

// ExportClient gathers everything about a client: its record, cases,
// tasks, forms, plans, trajectories, registrations, appointments,
// suspensions, voorschotten, meldingen, contact moments, notes, messages
// to it, documents with their files, retention and history. The export is
// recorded in the client's history (with the request's reference) before
// it is returned. Errors: forbidden, not found, invalid (no request).
func (s *Retention) ExportClient(ctx context.Context, a Actor, clientID int64, v Values) (x ClientExport, err error) {
	defer wrap(&err, "ExportClient(client %d)", clientID)
	if err := Authorize(a, process.ActExportClient, process.RelNone); err != nil {
		return x, err
	}
	in, errs, err := s.input(process.ExportForm(), v, nil, s.env(s.def))
	if err != nil {
		return x, err
	}
	if err := errs.Err(); err != nil {
		return x, err
	}
	x.MadeAt, x.MadeBy = s.clock.Now().UTC(), a.User.Name
	x.Request = in.Text(process.FieldRequest)
	err = s.export.Update(ctx, func(tx exportTx) error {
		c, err := tx.ClientByID(ctx, clientID)
		if err != nil {
			return notFoundAs(err, "De klant")
		}
		x.Client = c
		if x.Cases, err = tx.CasesByClient(ctx, clientID); err != nil {
			return err
		}
		if x.Tasks, err = tx.ListTasks(ctx, TaskFilter{ClientID: clientID}); err != nil {
			return err
		}
		for _, k := range x.Cases {
			if k.Kind == process.CaseAanvraag {
				recs, err := tx.StepRecords(ctx, k.ID)
				if err != nil {
					return err
				}
				x.StepRecords = append(x.StepRecords, recs...)
				vs, err := tx.VoorschottenByCase(ctx, k.ID)
				if err != nil {
					return err
				}
				x.Voorschotten = append(x.Voorschotten, vs...)
			}
			plans, err := tx.PlanVersions(ctx, k.ID)
			if err != nil {
				return err
			}
			x.Plans = append(x.Plans, plans...)
			evs, err := tx.EvaluationsByCase(ctx, k.ID)
			if err != nil {
				return err
			}
			x.Evaluations = append(x.Evaluations, evs...)
			trs, err := tx.TrajectoriesByCase(ctx, k.ID)
			if err != nil {
				return err
			}
			x.Trajectories = append(x.Trajectories, trs...)
			regs, err := tx.RegistrationsByCase(ctx, k.ID)
			if err != nil {
				return err
			}
			x.Registrations = append(x.Registrations, regs...)
			sus, err := tx.SuspensionsByCase(ctx, k.ID)
			if err != nil {
				return err
			}
			x.Suspensions = append(x.Suspensions, sus...)
		}
		if x.Appointments, err = tx.AppointmentsByClient(ctx, clientID); err != nil {
			return err
		}
		if x.Meldingen, err = tx.MeldingenByClient(ctx, clientID); err != nil {
			return err
		}
		if x.Contacts, err = tx.ContactsByClient(ctx, clientID, Span{}); err != nil {
			return err
		}
		if x.Notes, err = tx.NotesByClient(ctx, clientID, Span{}); err != nil {
			return err
		}
		if x.Messages, err = tx.ListMessages(ctx, MessageFilter{ClientID: clientID}); err != nil {
			return err
		}
		if x.Retention, err = tx.RetentionByClient(ctx, clientID); err != nil {
			return err
		}
		docs, err := tx.DocumentsByClient(ctx, clientID)
		if err != nil {
			return err
		}
		for _, d := range docs {
			full, err := tx.DocumentByID(ctx, d.ID)
			if err != nil {
				return err
			}
			ed := ExportedDocument{Document: full}
			body, err := tx.DocumentContent(ctx, d.ID)
			switch {
			case err == nil:
				ed.File, ed.FileType = body, full.ContentType
			case errors.Is(err, ErrNotFound) && full.HTML != "":
				ed.File, ed.FileType = []byte(full.HTML), ContentHTML
			case errors.Is(err, ErrNotFound):
				ed.FileMissing = true
			default:
				return err
			}
			ed.HTML = "" // the letter's HTML is the file when there is no PDF
			x.Documents = append(x.Documents, ed)
		}
		summary := "Inzage-export gemaakt van alle gegevens van de klant (AVG art. 15 en 20)."
		if err := s.event(ctx, tx, a, clientID, 0, 0, "inzage", summary, x.Request); err != nil {
			return err
		}
		x.Events, err = tx.EventsByClient(ctx, clientID)
		return err
	})
	return x, err
}

// ExportFileName is the name of a client's export download: the client
// number and the date, never a name or a BSN.
func ExportFileName(x ClientExport, ext string) string {
	return "inzage-klant-" + strconv.FormatInt(x.Client.ID, 10) + "-" + process.Date(x.MadeAt).Format(time.DateOnly) + "." + ext
}

// RectifyClient corrects a client's name, date of birth or BSN (UAVG art.
// 16). The history line names the old and new values, the old BSN masked
// (a wrong BSN may be someone else's), with the reason. Errors:
// forbidden, not found, invalid (a BSN failing the elfproef or already a
// client's), conflict (changed meanwhile).
func (s *Retention) RectifyClient(ctx context.Context, a Actor, clientID int64, version int, v Values) (err error) {
	defer wrap(&err, "RectifyClient(client %d)", clientID)
	if err := mayEver(a, process.ActRectifyClient); err != nil {
		return err
	}
	in, errs, err := s.input(process.RectifyForm(), v, nil, s.env(s.def))
	if err != nil {
		return err
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return s.export.Update(ctx, func(tx exportTx) error {
		c, err := tx.ClientByID(ctx, clientID)
		if err != nil {
			return notFoundAs(err, "De klant")
		}
		if _, err := s.knowClient(ctx, tx, a, process.ActRectifyClient, clientID); err != nil {
			return err
		}
		if c.Version != version {
			return Conflict("Een collega heeft de gegevens van deze klant intussen gewijzigd. Bekijk ze opnieuw en probeer het nog eens.")
		}
		next := c
		next.GivenName, next.FamilyName, next.BirthDate = in.Text(process.FieldGivenNames), in.Text(process.FieldFamilyName), in.Date(process.FieldBirthDate)
		if bsn := normalBSN(in.Text(process.FieldBSN)); bsn != "" {
			next.BSN = bsn
		}
		var changes []string
		if next.Name() != c.Name() {
			changes = append(changes, "naam was "+strconv.Quote(c.Name())+", nu "+strconv.Quote(next.Name()))
		}
		if !process.Date(next.BirthDate).Equal(process.Date(c.BirthDate)) {
			changes = append(changes, "geboortedatum was "+FormatDate(c.BirthDate)+", nu "+FormatDate(next.BirthDate))
		}
		if next.BSN != c.BSN {
			changes = append(changes, "BSN was "+MaskBSN(c.BSN)+", nu "+MaskBSN(next.BSN))
		}
		if len(changes) == 0 {
			return nil
		}
		if err := tx.UpdateClient(ctx, &next); err != nil {
			var dup ErrDuplicate
			if errors.As(err, &dup) && dup.Which == DupBSN {
				f := Fields{}
				f.Add(process.FieldBSN, "Er is al een klant met dit BSN. Zoek die klant op; voeg geen tweede toe.")
				return f.Err()
			}
			return staleAsConflict(err)
		}
		summary := "Gegevens gecorrigeerd (AVG art. 16): " + strings.Join(changes, "; ") + "."
		return s.event(ctx, tx, a, clientID, 0, 0, "gecorrigeerd", summary, in.Text(process.FieldReason))
	})
}
