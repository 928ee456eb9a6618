package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// WorklistPage is the team worklist or "mijn werkvoorraad".
type WorklistPage struct {
	Layout
	Mine     bool
	Action   string // the page's own path, for the filter form
	Query    casework.WorklistQuery
	Rows     []WorklistRow
	RowHTML  []template.HTML // the rows rendered (worklistRows)
	Teams    []process.Team
	Steps    []process.Step
	Codes    []string
	Columns  []SortColumn
	Caption  string
	Back     string // this page with its query, to return to after a pick-up
	Paging   Paging // the links to the pages before and after this one
	Filtered bool
	Fragment bool // an htmx request: the table only, plus the status for screen readers
	// Digest is the user's choice for the daily e-mail, on "mijn werkvoorraad".
	Digest *DigestChoice
	// Sizes are the page sizes to choose from.
	Sizes []int
}

// DigestChoice is the form of the daily worklist digest.
type DigestChoice struct {
	On    bool
	Email string
}

// ShowTeam reports whether the Team column tells anything: only when the
// user sees more than one team's work (mijn werkvoorraad may span teams).
func (p WorklistPage) ShowTeam() bool { return p.Mine || len(p.Teams) > 1 }

// ColumnCount is the number of columns, for the empty row.
func (p WorklistPage) ColumnCount() int {
	if p.ShowTeam() {
		return 11
	}
	return 10
}

// WorklistRow is one task with the actions the user may take on it, as
// the worklist's row shows it. Its fields are its own, not promoted from an
// embedded casework.TaskView, and its dates are text: a template looks a
// promoted field up by a breadth-first search through the embedded structs
// at every use, and calls a function through reflection, which made up
// about half of a 50-row worklist's rendering.
type WorklistRow struct {
	ID, ClientID  int64
	Version       int
	ClientName    string
	StepTitle     string
	CaseCode      string
	Worklist      string
	Team          string
	HolderName    string
	Since         string // the day the task was made
	Due           string // its deadline; "" without one
	DueNote       string
	Deadline      process.DeadlineState
	DeadlineLabel string
	DaysText      string
	MayPickUp     bool
	MayRelease    bool
	MayAssign     bool
	// ShowTeam is the page's ShowTeam, and ActionLabel names the task for
	// screen readers behind each action (": Intake gesprek voor Jan
	// Jansen"): one field each where the template would call a method of
	// the page or join two fields in every row (every value a template
	// writes costs a reflective call of its escaper).
	ShowTeam    bool
	ActionLabel string
	// Back is the page with its query, to return to after a pick-up.
	Back string
}

// worklistRow is the row of task t.
func worklistRow(t casework.TaskView) WorklistRow {
	r := WorklistRow{ID: t.ID, ClientID: t.ClientID, Version: t.Version, ClientName: t.ClientName, StepTitle: t.StepTitle,
		CaseCode: t.CaseCode, Worklist: t.Worklist, Team: t.TeamName, HolderName: t.HolderName,
		Since: casework.FormatDate(t.CreatedAt), DueNote: t.DueNote, Deadline: t.Deadline, DeadlineLabel: t.DeadlineLabel,
		DaysText: daysText(t.Deadline, t.DaysLeft), ActionLabel: ": " + t.StepTitle + " voor " + t.ClientName}
	if r.Team == "" {
		r.Team = t.Task.Team
	}
	if !t.DueOn.IsZero() {
		r.Due = casework.FormatDate(t.DueOn)
	}
	return r
}

// SortColumn is a sortable column header.
type SortColumn struct {
	Label    string
	Href     string
	AriaSort string // "ascending", "descending" or "" when not sorted on
}

var sortKeys = map[string]bool{"due": true, "since": true, "client": true, "step": true, "holder": true}

// worklistQuery reads the filter and sort parameters; unknown values are ignored.
func worklistQuery(q url.Values, mine bool) casework.WorklistQuery {
	wq := casework.WorklistQuery{Mine: mine, Code: q.Get("code"), Step: q.Get("stap"), Desc: q.Get("desc") == "1"}
	if !mine {
		wq.Team = q.Get("team")
		if h := q.Get("houder"); h == "niemand" || h == "ik" {
			wq.Holder = h
		}
	}
	if t := q.Get("termijn"); t == "bijna" || t == "verlopen" {
		wq.Deadline = t
	}
	if s := q.Get("sort"); sortKeys[s] {
		wq.Sort = s
	}
	wq.Cursor = q.Get(pageParam)
	if n, err := strconv.Atoi(q.Get(sizeParam)); err == nil && n != casework.PageSize && slices.Contains(casework.PageSizes, n) {
		wq.PageSize = n
	}
	return wq
}

// pageSizeKey is the session key of the worklists' page size the user
// chose last (0: casework.PageSize). It is no personal data.
const pageSizeKey = "werkvoorraad_aantal"

// pageSize remembers the page size chosen in the URL for the session, and
// gives a worklist opened without one the size chosen last.
func (s *server) pageSize(r *http.Request, wq *casework.WorklistQuery) {
	ctx := r.Context()
	if !r.URL.Query().Has(sizeParam) {
		wq.PageSize = s.sessions.GetInt(ctx, pageSizeKey)
		return
	}
	if s.sessions.GetInt(ctx, pageSizeKey) != wq.PageSize {
		s.sessions.Put(ctx, pageSizeKey, wq.PageSize)
	}
}

// values turns a query back into URL parameters (for links).
func queryValues(wq casework.WorklistQuery) url.Values {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("team", wq.Team)
	set("stap", wq.Step)
	set("termijn", wq.Deadline)
	set("code", wq.Code)
	set("houder", wq.Holder)
	set("sort", wq.Sort)
	if wq.Desc {
		v.Set("desc", "1")
	}
	if wq.PageSize != 0 {
		v.Set(sizeParam, strconv.Itoa(wq.PageSize))
	}
	return v
}

// worklist shows GET /werkvoorraad and GET /werkvoorraad/mijn. With the
// HX-Request header only the table is returned (the filter form swaps it).
func (s *server) worklist(w http.ResponseWriter, r *http.Request) error {
	mine := r.URL.Path == "/werkvoorraad/mijn"
	a := actor(r)
	wq := worklistQuery(r.URL.Query(), mine)
	s.pageSize(r, &wq)
	wl, err := s.Tasks.Worklist(r.Context(), a, wq)
	if err != nil {
		return err
	}
	title := "Teamwerkvoorraad"
	action := "/werkvoorraad"
	if mine {
		title, action = "Mijn werkvoorraad", "/werkvoorraad/mijn"
	}
	def := s.Process.Definition()
	p := WorklistPage{Layout: s.baseWith(r, title, &wl), Mine: mine, Action: action, Query: wq, Teams: wl.Teams,
		Steps: stepsOfTeams(def, wl.Teams), Codes: []string{def.Policy.ApplicationCode, def.Policy.ParticipationCode}}
	p.Wide, p.Sizes = true, casework.PageSizes
	if mine {
		// The user is loaded on every request: this is the stored choice.
		p.Digest = &DigestChoice{On: a.User.DailyDigest, Email: a.User.Email}
	}
	qv := queryValues(wq)
	p.Filtered = wq.Team != "" || wq.Step != "" || wq.Deadline != "" || wq.Code != "" || wq.Holder != ""
	p.Paging = pagingLinks(action, qv, wl.Page)
	p.Paging.Size = wq.Size()
	if wq.Cursor != "" {
		qv.Set(pageParam, wq.Cursor) // back to this very page after a pick-up
	}
	p.Back = action
	if enc := qv.Encode(); enc != "" {
		p.Back += "?" + enc
	}
	showTeam := p.ShowTeam()
	for _, t := range wl.Tasks {
		row := worklistRow(t)
		row.ShowTeam, row.Back = showTeam, p.Back
		may := casework.May(a, process.ActWorkTask, casework.WorkRelation(def, a, t.Task))
		row.MayPickUp = may && t.HolderID == 0
		row.MayRelease = t.HolderID != 0 && casework.May(a, process.ActReleaseTask, casework.TaskRelation(def, a, t.Task))
		row.MayAssign = casework.May(a, process.ActAssignTask, process.RelNone)
		p.Rows = append(p.Rows, row)
	}
	if p.RowHTML, err = s.worklistRows(p.Rows); err != nil {
		return err
	}
	p.Caption = title + ": " + pageCount(len(p.Rows), wl.Page.Total, "taak", "taken")
	if p.Filtered {
		p.Caption += " (gefilterd)"
	}
	current := wq.Sort
	if current == "" {
		current = "due"
	}
	col := func(label, key string) SortColumn {
		c := SortColumn{Label: label}
		v := queryValues(wq)
		v.Set("sort", key)
		v.Del("desc")
		if key == current {
			c.AriaSort = "ascending"
			if wq.Desc {
				c.AriaSort = "descending"
			} else {
				v.Set("desc", "1")
			}
		}
		c.Href = action + "?" + v.Encode()
		return c
	}
	p.Columns = []SortColumn{col("Klant", "client"), col("Taak", "step"), col("Sinds", "since"), col("Termijn", "due"), col("Houder", "holder")}
	if r.Header.Get("HX-Request") != "" {
		p.Fragment = true
		return s.renderFragment(w, http.StatusOK, "worklist", "worklist-table", &p)
	}
	return s.render(w, r, http.StatusOK, "worklist", &p)
}

// Column returns the sortable column with the given label.
func (p WorklistPage) Column(label string) SortColumn {
	for _, c := range p.Columns {
		if c.Label == label {
			return c
		}
	}
	return SortColumn{Label: label}
}

// stepsOfTeams lists, for the task filter, only the steps whose tasks can be
// on one of the given teams' worklists.
func stepsOfTeams(def *process.Definition, teams []process.Team) []process.Step {
	on := def.StepTeams()
	var out []process.Step
	for _, st := range def.Steps {
		for _, t := range teams {
			if on[st.Key][t.Key] {
				out = append(out, st)
				break
			}
		}
	}
	return out
}

// digestSave handles POST /instellingen/dagoverzicht: the daily e-mail with
// the user's own worklist, on (checkbox dagoverzicht) or off.
func (s *server) digestSave(w http.ResponseWriter, r *http.Request) error {
	vals, err := formValues(w, r)
	if err != nil {
		return err
	}
	a := actor(r)
	on := casework.IsChecked(vals.Get(process.FieldDailyDigest))
	if err := s.Accounts.SetDailyDigest(r.Context(), a, on); err != nil {
		return err
	}
	msg := "U krijgt geen dagelijks overzicht van uw werkvoorraad meer per e-mail."
	if on {
		msg = fmt.Sprintf("U krijgt voortaan elke werkdag een overzicht van uw werkvoorraad per e-mail, aan %s.", a.User.Email)
	}
	return s.redirect(w, r, "/werkvoorraad/mijn", "ok", msg)
}
