package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// TaskPageView is the page of one task: the case header, the step with the
// source's words and its deadline, and the step's form.
type TaskPageView struct {
	Layout
	Header   CaseHeader
	Task     casework.TaskView
	Step     process.Step
	TermText string
	Open     bool
	ShowForm bool
	Form     FormView
	// LetterShown: the letter of the step is shown in the form (Brief
	// bekijken, or a refusal to confirm); LetterNote says why none is.
	LetterShown bool
	LetterNote  string
	MayWork     bool
	HolderName  string // someone else holds the task
	HeldByMe    bool
	MayPickUp   bool
	MayRelease  bool
	TeamName    string
	Assign      *FormView // for Team Ondersteuning and team leads
	PlanLink    string    // the plan van aanpak of the participation dossier, if any
	ClientLink  string
	// NeedsPlan: the step cannot be completed before a plan van aanpak exists.
	NeedsPlan bool
	// Next says what follows the step and where it goes, from the definition.
	Next []string
	// Reminders says when the holder and the team lead hear about the term.
	Reminders []string
	// Back is the worklist the user came from, where completing the step
	// returns to when no next task of theirs waits on the client; Self is
	// this page carrying it.
	Back string
	Self string
	// Appointments are the client's appointments on the case, for a step
	// done at or booking one; AppointmentsLink is where to record them.
	Appointments     []string
	AppointmentsLink string
	// LettersLink leads to the letters a step posts (the client's messages).
	LettersLink string
}

// handoverLines words what follows a step: the next step, the receiving
// team, the hand-over mail and what it waits for.
func handoverLines(def *process.Definition, step process.StepKey, targetGroup, fromTeam string) []string {
	var out []string
	for _, h := range def.Handovers(step, targetGroup, fromTeam) {
		next, _ := def.Step(h.Next)
		line := next.Title
		if t, ok := def.Policy.Team(h.Team); ok {
			line += " – " + t.Name
		}
		if h.Message != "" {
			line += " (" + h.Message + ")"
		}
		for _, a := range h.After {
			if as, ok := def.Step(a); ok {
				line += ", zodra “" + as.Title + "” is afgerond"
			}
		}
		switch {
		case h.Outcome != "":
			line = "Bij " + strings.ToLower(def.OutcomeLabel(h.Outcome)) + ": " + line
		case targetGroup == "" && h.Route != "":
			line = process.RouteText(h.Route) + ": " + line
		}
		out = append(out, line)
	}
	return out
}

// aboutAppointments reports whether a step is done at an appointment,
// books one or may cancel them: its page then shows the client's
// appointments.
func aboutAppointments(st process.Step) bool {
	if st.Form.HasCheck(process.CheckAppointmentStarted) {
		return true
	}
	effects := st.Effects
	for _, tr := range st.Transitions {
		effects = append(effects[:len(effects):len(effects)], tr.Effects...)
	}
	for _, d := range effects {
		// Closing the dossier cancels the appointments to come.
		if d.Effect == process.EffectBookAppointment || d.Effect == process.EffectCloseParticipation {
			return true
		}
	}
	return false
}

// appointmentLines words the appointments of a case, latest first, with
// their state.
func (s *server) appointmentLines(f casework.ClientFile, caseID int64) []string {
	var out []string
	for i := len(f.Appointments) - 1; i >= 0; i-- {
		ap := f.Appointments[i]
		if ap.CaseID != caseID {
			continue
		}
		room := ap.Room
		if rm, ok := s.Process.Config().Room(ap.Room); ok {
			room = rm.Name
		}
		state := process.AppointmentStatusNames[ap.Status]
		if ap.Cancelled && ap.Status != process.AppointmentLapsed {
			state = "Geannuleerd"
		}
		line := fmt.Sprintf("%s op %s–%s uur in %s", process.AppointmentKindNames[ap.Kind], casework.FormatDateTime(ap.StartAt),
			ap.EndAt.In(process.Amsterdam).Format("15:04"), room)
		if ap.KlantmanagerName != "" {
			line += " met " + ap.KlantmanagerName
		}
		out = append(out, line+": "+strings.ToLower(state))
	}
	return out
}

// taskRender is what a task page shows besides the service's TaskPage.
type taskRender struct {
	values       url.Values // the step form's values (submitted)
	err          error      // the step form's error
	version      int        // the version in the step form; 0: the task's
	assignValues url.Values
	assignErr    error
	assignVer    int
	back         string // the worklist the task was opened from (posted)
	preview      bool   // show the letter the step would send with values
}

func (s *server) taskShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "De taak")
	if err != nil {
		return err
	}
	tp, err := s.Tasks.TaskPage(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return s.renderTask(w, r, http.StatusOK, tp, taskRender{})
}

func (s *server) renderTask(w http.ResponseWriter, r *http.Request, status int, tp casework.TaskPage, tr taskRender) error {
	a := actor(r)
	t := tp.Task
	p := TaskPageView{Layout: s.base(r, tp.Step.Title), Header: caseHeader(tp.File, false, false), Task: t, Step: tp.Step,
		Open: t.Status == casework.TaskOpen, MayWork: tp.MayWork, TeamName: t.TeamName,
		ClientLink: fmt.Sprintf("/klanten/%d", tp.File.Client.ID)}
	p.TermText = tp.File.Def.Policy.TermText(t.Term)
	p.Back = tr.back
	if p.Back == "" {
		p.Back = cameFrom(r, nil)
	}
	p.Self = taskLink(t.ID, p.Back)
	p.HeldByMe = t.HolderID != 0 && t.HolderID == a.User.ID
	if t.HolderID != 0 && !p.HeldByMe {
		p.HolderName = t.HolderName
		if p.HolderName == "" {
			p.HolderName = "een collega"
		}
	}
	p.MayPickUp = p.Open && tp.MayWork && t.HolderID == 0
	p.MayRelease = p.Open && t.HolderID != 0 && casework.May(a, process.ActReleaseTask, casework.TaskRelation(tp.File.Def, a, t.Task))
	p.Next = handoverLines(tp.File.Def, t.Step, tp.File.Application.TargetGroup, t.Task.Team)
	for _, d := range tp.Step.Effects {
		if d.Effect == process.EffectMarkPosted {
			p.LettersLink = caseLink(tp.File, "berichten")
		}
	}
	if aboutAppointments(tp.Step) {
		p.Appointments = s.appointmentLines(tp.File, t.CaseID)
		p.AppointmentsLink = caseLink(tp.File, "afspraken")
	}
	p.Reminders = reminderLines(tp.Reminders)
	if tp.File.Participation != nil {
		p.PlanLink = fmt.Sprintf("/dossiers/%d/plan?klant=%d", tp.File.Participation.ID, tp.File.Client.ID)
		p.NeedsPlan = tp.NeedsPlan
	}
	version := tr.version
	if version == 0 {
		version = t.Version
	}
	values := tr.values
	if values == nil {
		values = url.Values{}
		for k, v := range tp.Values {
			values[k] = v
		}
	}
	workable := p.Open && tp.MayWork && (t.HolderID == 0 || p.HeldByMe)
	spec := formSpec{form: tp.Form, values: values, dyn: tp.Options, late: tp.Late, overdue: tp.Overdue,
		action: fmt.Sprintf("/taken/%d", t.ID), submit: "Stap afronden",
		hidden: []Hidden{{Name: process.FieldVersion, Value: strconv.Itoa(version)}, {Name: fieldBack, Value: p.Back}}}
	if sendsLetter(tp.Step) && workable {
		spec.alt = &AltSubmit{Label: "Brief bekijken", Action: fmt.Sprintf("/taken/%d/brief", t.ID)}
		if tr.values != nil && (tr.preview || casework.FieldErrors(tr.err)[process.FieldLetterChecked] != "") {
			doc, err := s.Documents.PreviewStepLetter(r.Context(), a, t.ID, values)
			switch {
			case casework.ErrorCode(err) == casework.CodeInvalid && tr.preview:
				// The letter needs what the form still lacks: say that first.
				tr.err, status = err, http.StatusUnprocessableEntity
			case casework.ErrorCode(err) == casework.CodeInvalid:
				// Other fields first; the letter comes when they are right.
				tr.err = withoutField(tr.err, process.FieldLetterChecked)
			case err != nil:
				return err
			case doc == "":
				p.LetterNote = "Met wat nu is ingevuld gaat er geen brief naar de klant."
			default:
				spec.letter, p.LetterShown = letterFragment(doc), true
			}
		}
	}
	p.Form = buildForm(spec, tr.err)
	// After a failed submit the form stays, so that nothing typed is lost.
	p.ShowForm = workable || tr.values != nil
	p.Form.Disabled = !workable && !p.Open
	if casework.May(a, process.ActAssignTask, process.RelNone) && p.Open {
		av := tr.assignValues
		if av == nil {
			av = url.Values{}
			if t.HolderID != 0 {
				av.Set(process.FieldAssignee, strconv.FormatInt(t.HolderID, 10))
			}
		}
		ver := tr.assignVer
		if ver == 0 {
			ver = t.Version
		}
		opts := make([]process.Option, 0, len(tp.Assignees))
		for _, c := range tp.Assignees {
			opts = append(opts, process.Option{Value: strconv.FormatInt(c.User.ID, 10),
				Label: fmt.Sprintf("%s – %d lopende dossiers, %d open taken", c.User.Name, c.Caseload, c.Open)})
		}
		fv := buildForm(formSpec{form: process.AssignForm(opts), values: av, action: fmt.Sprintf("/taken/%d/toewijzen", t.ID), submit: "Toewijzen",
			hidden: []Hidden{{Name: process.FieldVersion, Value: strconv.Itoa(ver)}}}, tr.assignErr)
		p.Assign = &fv
	}
	return s.render(w, r, status, "task", &p)
}

// taskComplete handles POST /taken/{id}: complete the step, or show the
// form again with the input kept (422 invalid, 409 stale or taken).
func (s *server) taskComplete(w http.ResponseWriter, r *http.Request) error {
	id, vals, err := taskPost(w, r)
	back := cameFrom(r, vals)
	if errors.Is(err, errBodyTooLarge) {
		// The form again with what fitted, and what the limit is.
		return s.taskAgain(w, r, err, intField(vals, process.FieldVersion), func(err error, v int) taskRender {
			return taskRender{values: stripControl(vals), err: err, version: v, back: back}
		})
	}
	if err != nil {
		return err
	}
	a := actor(r)
	version := intField(vals, process.FieldVersion)
	input := stripControl(vals)
	done, err := s.Tasks.CompleteTask(r.Context(), a, id, version, input)
	if err != nil {
		return s.taskAgain(w, r, err, version, func(err error, v int) taskRender {
			return taskRender{values: input, err: err, version: v, back: back}
		})
	}
	if done.Next != 0 {
		return s.redirect(w, r, taskLink(done.Next, back), "ok", done.Summary()+" Hieronder uw volgende taak bij deze klant.")
	}
	if back == "" {
		back = "/werkvoorraad/mijn"
	}
	return s.redirect(w, r, back, "ok", done.Summary())
}

// fieldBack carries the page a task was opened from (a worklist) through
// the task page and its forms.
const fieldBack = "terug"

// cameFrom is the local page the task page was opened from: the "terug"
// of the posted form, else of the query; empty when unknown.
func cameFrom(r *http.Request, posted url.Values) string {
	if p := localPath(posted.Get(fieldBack)); p != "" {
		return p
	}
	return localPath(r.URL.Query().Get(fieldBack))
}

// taskLink is the link to a task page that returns to back.
func taskLink(id int64, back string) string {
	link := fmt.Sprintf("/taken/%d", id)
	if back != "" {
		link += "?" + url.Values{fieldBack: {back}}.Encode()
	}
	return link
}

// taskAgain shows the task page again after a refused form, with what was
// typed (render builds it from the error and the version to post next):
// 422 keeps the version the form was built on; after a 409 the page is
// fresh, and posting again after checking is what the message asks for.
func (s *server) taskAgain(w http.ResponseWriter, r *http.Request, err error, version int, render func(err error, version int) taskRender) error {
	id, _ := pathID(r, "id", "De taak")
	return withForm(err, func(status int, err error) error {
		fresh, ferr := s.Tasks.TaskPage(r.Context(), actor(r), id)
		if ferr != nil {
			return ferr
		}
		if freshVersion(err) {
			version = fresh.Task.Version
		}
		return s.renderTask(w, r, status, fresh, render(err, version))
	})
}

// stripControl drops the form's bookkeeping fields from the step input.
func stripControl(v url.Values) url.Values {
	out := url.Values{}
	for k, vals := range v {
		if k == process.FieldVersion || k == fieldBack {
			continue
		}
		out[k] = vals
	}
	return out
}

// taskPost reads the task id of the path and the posted form.
func taskPost(w http.ResponseWriter, r *http.Request) (int64, url.Values, error) {
	id, err := pathID(r, "id", "De taak")
	if err != nil {
		return 0, nil, err
	}
	vals, err := formValues(w, r)
	return id, vals, err
}

// taskAgainOK shows the task page afresh with tr (status 200).
func (s *server) taskAgainOK(w http.ResponseWriter, r *http.Request, tr taskRender) error {
	id, err := pathID(r, "id", "De taak")
	if err != nil {
		return err
	}
	tp, err := s.Tasks.TaskPage(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return s.renderTask(w, r, http.StatusOK, tp, tr)
}

// taskBack is where a pick-up or release returns to: the posted "terug"
// page, the local Referer, or the team worklist.
func taskBack(r *http.Request, vals url.Values) string {
	if p := localPath(vals.Get(fieldBack)); p != "" {
		return p
	}
	return backTo(r, "/werkvoorraad")
}

func (s *server) taskPickUp(w http.ResponseWriter, r *http.Request) error {
	return s.taskAction(w, r, s.Tasks.PickUp, "Taak opgepakt. U vindt hem onder Mijn werkvoorraad.")
}

func (s *server) taskRelease(w http.ResponseWriter, r *http.Request) error {
	return s.taskAction(w, r, s.Tasks.Release, "Taak vrijgegeven. Hij staat weer op de werkvoorraad van het team.")
}

func (s *server) taskAction(w http.ResponseWriter, r *http.Request, do func(ctx context.Context, a casework.Actor, taskID int64, version int) error, done string) error {
	id, vals, err := taskPost(w, r)
	if err != nil {
		return err
	}
	if err := do(r.Context(), actor(r), id, intField(vals, process.FieldVersion)); err != nil {
		return err
	}
	return s.redirect(w, r, taskBack(r, vals), "ok", done)
}

// taskAssign handles POST /taken/{id}/toewijzen (field medewerker).
func (s *server) taskAssign(w http.ResponseWriter, r *http.Request) error {
	id, vals, err := taskPost(w, r)
	if err != nil {
		return err
	}
	a := actor(r)
	version := intField(vals, process.FieldVersion)
	userID, _ := strconv.ParseInt(vals.Get(process.FieldAssignee), 10, 64)
	if err := s.Tasks.Assign(r.Context(), a, id, version, userID); err != nil {
		return s.taskAgain(w, r, err, version, func(err error, v int) taskRender {
			return taskRender{assignValues: vals, assignErr: err, assignVer: v}
		})
	}
	return s.redirect(w, r, fmt.Sprintf("/taken/%d", id), "ok", "Taak toegewezen.")
}

// reminderLines describes a task's reminders in words.
func reminderLines(rs []casework.Reminder) []string {
	var out []string
	for _, r := range rs {
		who := "aan de houder (of de teammailbox)"
		if r.Kind == casework.ReminderOverdue {
			who = "aan de teamleider"
		}
		line := casework.ReminderKindNames[r.Kind] + " " + who
		switch r.Status {
		case casework.ReminderPlanned:
			line += ": gepland op " + casework.FormatDateTime(r.SendAt) + " uur"
		case casework.ReminderSent:
			line += ": verstuurd op " + casework.FormatDateTime(r.DoneAt) + " uur. " + r.Note
		default:
			line += ": vervallen. " + r.Note
		}
		out = append(out, strings.TrimSpace(line))
	}
	return out
}
