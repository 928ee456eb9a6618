package casework

import (
	"strconv"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// The forms' values from records, to fill a form for editing (the web) or
// to submit one (the demo, tests). The field names come from process.

// PlanValues fills the plan form with a stored plan; nil gives an empty form.
func PlanValues(pl *Plan) Values {
	v := Values{}
	if pl == nil {
		return v
	}
	set := func(name, val string) {
		if val != "" {
			v.Set(name, val)
		}
	}
	set(process.FieldSituation, pl.Situation)
	if pl.LadderNow > 0 {
		v.Set(process.FieldLadderNow, strconv.Itoa(pl.LadderNow))
	}
	if pl.LadderTarget > 0 {
		v.Set(process.FieldLadderTarget, strconv.Itoa(pl.LadderTarget))
	}
	set(process.FieldSegment, pl.Segment)
	set(process.FieldGoals, pl.Goals)
	set(process.FieldObligations, pl.Obligations)
	set(process.FieldConsequences, pl.Consequences)
	for i, t := range pl.Trajectories {
		row := pl.RowAt(i)
		if row > process.PlanTrajectoryRows {
			continue
		}
		prov, goal, acts := process.PlanTrajectoryFields(row)
		set(prov, t.Provider)
		set(goal, t.Goal)
		set(acts, t.Activities)
	}
	set(process.FieldEvaluationOn, FormatDate(pl.EvaluationOn))
	set(process.FieldSignedOn, FormatDate(pl.SignedOn))
	return v
}

// RegistrationValues fills the registration form.
func RegistrationValues(r Registration) Values {
	v := Values{}
	setNonEmpty(v, process.FieldProvider, r.Provider)
	setNonEmpty(v, process.FieldStatus, r.Status)
	setNonEmpty(v, process.FieldDate, FormatDate(r.On))
	setNonEmpty(v, process.FieldNote, r.Note)
	return v
}

// StatusValues fills the form that changes a registration's status.
func StatusValues(r Registration) Values { return Values{process.FieldStatus: {r.Status}} }

// TrajectoryValues fills the trajectory form; activities one per line.
func TrajectoryValues(t Trajectory) Values {
	v := Values{}
	setNonEmpty(v, process.FieldProvider, t.Provider)
	setNonEmpty(v, process.FieldTitle, t.Title)
	setNonEmpty(v, process.FieldStart, FormatDate(t.StartOn))
	lines := make([]string, 0, len(t.Activities))
	for _, a := range t.Activities {
		lines = append(lines, a.Description)
	}
	setNonEmpty(v, process.FieldActivities, strings.Join(lines, "\n"))
	return v
}

// SuspensionValues fills the suspension form.
func SuspensionValues(su Suspension) Values {
	v := Values{}
	setNonEmpty(v, process.FieldStart, FormatDate(su.StartOn))
	setNonEmpty(v, process.FieldSuspensionEnd, FormatDate(su.EndOn))
	setNonEmpty(v, process.FieldConsentUntil, FormatDate(su.PlannedEnd))
	setNonEmpty(v, process.FieldReason, su.Reason)
	return v
}

// EndSuspensionValues fills the form that ends a suspension.
func EndSuspensionValues(end time.Time) Values {
	return Values{process.FieldSuspensionEnd: {FormatDate(end)}}
}

// ApplicationValues fills the application form with a client's details.
func ApplicationValues(c Client) Values {
	v := Values{}
	setNonEmpty(v, process.FieldBSN, c.BSN)
	setNonEmpty(v, process.FieldGivenNames, c.GivenName)
	setNonEmpty(v, process.FieldFamilyName, c.FamilyName)
	setNonEmpty(v, process.FieldBirthDate, FormatDate(c.BirthDate))
	setNonEmpty(v, process.FieldEmail, c.Email)
	setNonEmpty(v, process.FieldPhone, c.Phone)
	setNonEmpty(v, process.FieldAddress, c.Address)
	return v
}

// NewUserFrom reads the account form.
func NewUserFrom(v Values) NewUser {
	return NewUser{Username: v.Get(process.FieldUsername), Name: v.Get(process.FieldName), Email: v.Get(process.FieldEmail),
		Roles: v[process.FieldRoles], Password: v.Get(process.FieldPassword)}
}

func setNonEmpty(v Values, name, val string) {
	if val != "" {
		v.Set(name, val)
	}
}
