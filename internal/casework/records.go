package casework

import (
	"strconv"
	"strings"

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
		out = append(out, RecordItem{Label: fl.Label, Value: s.recordValue(f, rec.Step, fl, raw)})
	}
	return out
}

func (s *Clients) recordValue(f ClientFile, step process.StepKey, fl process.Field, raw string) string {
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
		parts[i] = s.optionLabel(f, step, fl, p)
	}
	return strings.Join(parts, ", ")
}

// optionLabel names a stored choice: the option's own label, or the thing
// an option source's value points to.
func (s *Clients) optionLabel(f ClientFile, step process.StepKey, fl process.Field, v string) string {
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
		n, _ := strconv.Atoi(v)
		if f.Plan != nil {
			if pt, ok := f.Plan.Row(n); ok {
				return pt.Goal
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
				return t.Title
			}
		}
	}
	return v
}
