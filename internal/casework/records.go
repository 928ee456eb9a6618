package casework

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// RecordItem is one field of a completed step as the case page shows it.
type RecordItem struct {
	Label string
	Value string
}

// RecordItems shows a step record with the labels of the step's form, in
// form order, and option labels instead of stored keys.
func (s *Clients) RecordItems(f ClientFile, rec StepRecord) []RecordItem {
	st, ok := f.Def.Step(rec.Step)
	if !ok {
		return nil
	}
	var out []RecordItem
	for _, fl := range st.Form.Fields {
		raw, ok := rec.Fields[fl.Name]
		if !ok || strings.TrimSpace(raw) == "" {
			continue
		}
		out = append(out, RecordItem{Label: fl.Label, Value: s.recordValue(f, rec, fl, raw)})
	}
	return out
}

func (s *Clients) recordValue(f ClientFile, rec StepRecord, fl process.Field, raw string) string {
	if fl.Kind == process.KindCheckbox && !fl.Multiple() {
		if IsChecked(raw) {
			return "Ja"
		}
		return "Nee"
	}
	if !fl.Multiple() && fl.Kind != process.KindSelect && fl.Kind != process.KindRadio {
		return raw
	}
	parts := []string{raw}
	if fl.Multiple() {
		parts = strings.Split(raw, ", ")
	}
	for i, p := range parts {
		parts[i] = s.optionLabel(f, rec, fl, p)
	}
	return strings.Join(parts, ", ")
}

// optionLabel names a stored choice: the option's own label, or the thing
// an option source's value points to, as it was when the step was done.
func (s *Clients) optionLabel(f ClientFile, rec StepRecord, fl process.Field, v string) string {
	for _, o := range fl.Options {
		if o.Value == v {
			return o.Label
		}
	}
	switch fl.OptionsFrom {
	case process.SourceOutcomes:
		return f.Def.OutcomeLabel(v)
	case process.SourceRooms:
		if room, ok := s.cfg.Room(v); ok {
			return room.Name
		}
	case process.SourceDurations:
		return v + " minuten"
	case process.SourceKlantmanagers:
		id := parseID(v)
		for _, t := range f.Tasks {
			if t.HolderID == id && t.HolderName != "" {
				return t.HolderName
			}
			if t.CompletedBy == id && t.CompletedByName != "" {
				return t.CompletedByName
			}
		}
		return "medewerker " + v
	case process.SourcePlannedTrajectories:
		// The row as the plan had it then: a row changed later is another trajectory.
		n, _ := strconv.Atoi(v)
		if plan, ok := planAt(f.PlanVersions, rec.At); ok {
			if pt, ok := plan.Row(n); ok {
				return providerLabel(f.Def, pt.Provider) + ": " + pt.Goal
			}
		}
	case process.SourceTrajectoriesFinish:
		if id, ok := strings.CutPrefix(v, finishRegistration); ok {
			for _, g := range f.Registrations {
				if g.ID == parseID(id) {
					return "Aanmelding bij " + providerLabel(f.Def, g.Provider)
				}
			}
			return v
		}
		id := parseID(strings.TrimPrefix(v, finishTrajectory)) // before prefixes: the bare id
		for _, t := range f.Trajectories {
			if t.ID == id {
				return providerLabel(f.Def, t.Provider) + ": " + t.Title
			}
		}
	}
	return v
}

// planAt is the version of the plan that was the latest at t.
func planAt(versions []Plan, t time.Time) (Plan, bool) {
	var at Plan
	for _, p := range versions {
		if !p.CreatedAt.After(t) && p.Version > at.Version {
			at = p
		}
	}
	return at, at.Version > 0
}

// stepTx is a step's transaction. The rows a step adds and nothing in it
// reads back — its history lines (one per effect), its step record, the
// reminders of its new tasks — are written together when the step is done
// (flush: on PostgreSQL one statement, see WriteBatchTx); whatever reads
// them inside the step (the client's history, the step records, the
// reminders, the need-to-know check that asks whether the user worked on
// the client) gets them written first. The accounts it reads (names of
// holders and owners, read by several effects) are read once: a step
// changes no account.
type stepTx struct {
	Tx
	pending Writes
	users   map[int64]User
}

// newStepTx is the step's transaction on tx for the actor, whose account
// it knows already.
func newStepTx(tx Tx, a Actor) *stepTx {
	return &stepTx{Tx: tx, users: map[int64]User{a.User.ID: a.User}}
}

// AppendEvent keeps the line until flush; its ID is not set.
func (b *stepTx) AppendEvent(_ context.Context, e *Event) error {
	b.pending.Events = append(b.pending.Events, e)
	return nil
}

// AddStepRecord keeps the record until flush; its ID is not set.
func (b *stepTx) AddStepRecord(_ context.Context, r *StepRecord) error {
	b.pending.Records = append(b.pending.Records, r)
	return nil
}

// AddReminders keeps the reminders until flush; their IDs are not set. It
// counts them all as added: one planned already is left alone then.
func (b *stepTx) AddReminders(_ context.Context, rs ...*Reminder) (int, error) {
	b.pending.Reminders = append(b.pending.Reminders, rs...)
	return len(rs), nil
}

// take returns what is pending and forgets it; ok is false when nothing is.
func (b *stepTx) take() (w Writes, ok bool) {
	w, b.pending = b.pending, Writes{}
	return w, len(w.Events)+len(w.Records)+len(w.Reminders) > 0
}

// flush writes what is pending.
func (b *stepTx) flush(ctx context.Context) error {
	if w, ok := b.take(); ok {
		return b.Tx.AppendWrites(ctx, w)
	}
	return nil
}

// TasksByClient writes what is pending and reads the client's tasks,
// together (TasksAfterWrites): the step's last read comes with its writes.
func (b *stepTx) TasksByClient(ctx context.Context, clientID int64) ([]Task, error) {
	if w, ok := b.take(); ok {
		return b.Tx.TasksAfterWrites(ctx, w, clientID)
	}
	return b.Tx.TasksByClient(ctx, clientID)
}

func (b *stepTx) StepRecords(ctx context.Context, applicationID int64) ([]StepRecord, error) {
	if err := b.flush(ctx); err != nil {
		return nil, err
	}
	return b.Tx.StepRecords(ctx, applicationID)
}

func (b *stepTx) ReminderByID(ctx context.Context, id int64) (Reminder, error) {
	if err := b.flush(ctx); err != nil {
		return Reminder{}, err
	}
	return b.Tx.ReminderByID(ctx, id)
}

func (b *stepTx) ListReminders(ctx context.Context, f ReminderFilter) ([]Reminder, error) {
	if err := b.flush(ctx); err != nil {
		return nil, err
	}
	return b.Tx.ListReminders(ctx, f)
}

func (b *stepTx) DueReminders(ctx context.Context, until time.Time, after Reminder, limit int) ([]Reminder, error) {
	if err := b.flush(ctx); err != nil {
		return nil, err
	}
	return b.Tx.DueReminders(ctx, until, after, limit)
}

func (b *stepTx) EventsByClient(ctx context.Context, clientID int64) ([]Event, error) {
	if err := b.flush(ctx); err != nil {
		return nil, err
	}
	return b.Tx.EventsByClient(ctx, clientID)
}

func (b *stepTx) ClientEvents(ctx context.Context, clientID int64, cur *Cursor, limit int) ([]Event, error) {
	if err := b.flush(ctx); err != nil {
		return nil, err
	}
	return b.Tx.ClientEvents(ctx, clientID, cur, limit)
}

func (b *stepTx) ClientAccess(ctx context.Context, q AccessQuery) (ClientAccess, error) {
	if err := b.flush(ctx); err != nil {
		return ClientAccess{}, err
	}
	return b.Tx.ClientAccess(ctx, q)
}

func (b *stepTx) UserByID(ctx context.Context, id int64) (User, error) {
	if u, ok := b.users[id]; ok {
		return u, nil
	}
	u, err := b.Tx.UserByID(ctx, id)
	if err != nil {
		return u, err
	}
	b.users[id] = u
	return u, nil
}
