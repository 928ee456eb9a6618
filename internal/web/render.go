package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// pageSet holds one parsed template per page: the layout, the shared
// partials and the page's own "content".
type pageSet struct {
	byName map[string]*template.Template
}

func mustParsePages(funcs template.FuncMap) *pageSet {
	ps := &pageSet{byName: map[string]*template.Template{}}
	pages, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		panic(err)
	}
	for _, p := range pages {
		name := strings.TrimSuffix(path.Base(p), ".html")
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html", p)
		if err != nil {
			panic(fmt.Sprintf("web: template %s: %v", name, err))
		}
		ps.byName[name] = t
	}
	return ps
}

// Layout is what the base layout needs; every page struct embeds it.
type Layout struct {
	Title  string // page title without the app name
	User   *casework.User
	Nav    []NavItem
	Flash  *Flash
	Public bool   // the public application form: no navigation, no user
	Site   string // the name in the page header; empty: Werkdiagnose
	Wide   bool   // use the full window width (worklists)
	// Failed marks a page answered with 422, 409, 413 or 429: the title starts with
	// "Fout:" so screen readers announce the problem on load.
	Failed bool
}

func (l *Layout) markFailed() { l.Failed = true }

// NavItem is one link of the main navigation.
type NavItem struct {
	Href     string
	Label    string
	Count    int
	HasCount bool
	Current  bool
}

// Flash is a one-time message after a redirect.
type Flash struct {
	Kind    string // ok, info, warning, error
	Message string
}

const (
	flashKey     = "flash"
	flashKindKey = "flash_kind"
)

// flash stores a message for the next page the user sees.
func (s *server) flash(r *http.Request, kind, msg string) {
	if !info(r).session {
		return
	}
	s.sessions.Put(r.Context(), flashKey, msg)
	s.sessions.Put(r.Context(), flashKindKey, kind)
}

// base builds the layout for a page: the user, the navigation with its
// counts and a pending flash message.
func (s *server) base(r *http.Request, title string) Layout {
	return s.baseWith(r, title, nil)
}

// baseWith is base with the worklist counts already loaded by the page.
func (s *server) baseWith(r *http.Request, title string, counts *casework.Worklist) Layout {
	l := Layout{Title: title, User: currentUser(r)}
	if info(r).session {
		if msg := s.sessions.PopString(r.Context(), flashKey); msg != "" {
			l.Flash = &Flash{Kind: s.sessions.PopString(r.Context(), flashKindKey), Message: msg}
			if l.Flash.Kind == "" {
				l.Flash.Kind = "info"
			}
		}
	}
	if l.User != nil {
		l.Nav = s.nav(r, *l.User, counts, l.Flash != nil)
	}
	return l
}

// nav builds the navigation for the user's roles. counts, when given, are
// the worklist counts already loaded by the page; else they come from the
// short cache (navCounts) or two COUNT queries. fresh: count anew (the
// page after an action of the user's).
func (s *server) nav(r *http.Request, u casework.User, counts *casework.Worklist, fresh bool) []NavItem {
	a := casework.Actor{User: u}
	may := func(act process.Action) bool { return casework.May(a, act, process.RelNone) }
	var items []NavItem
	if may(process.ActSeeWorklist) {
		mine := NavItem{Href: "/werkvoorraad/mijn", Label: "Mijn werkvoorraad"}
		team := NavItem{Href: "/werkvoorraad", Label: "Teamwerkvoorraad"}
		now := time.Now()
		switch {
		case counts != nil:
			mine.Count, team.Count = counts.CountMine, counts.CountTeam
			mine.HasCount, team.HasCount = true, true
			s.counts.put(u.ID, mine.Count, team.Count, now)
		default:
			var ok bool
			if !fresh {
				mine.Count, team.Count, ok = s.counts.get(u.ID, now)
			}
			if !ok {
				var err error
				if mine.Count, team.Count, err = s.Tasks.WorklistCounts(r.Context(), a); err == nil {
					ok = true
					s.counts.put(u.ID, mine.Count, team.Count, now)
				} else {
					s.log.WarnContext(r.Context(), "navigation counts", "user_id", u.ID, "error", err.Error())
				}
			}
			mine.HasCount, team.HasCount = ok, ok
		}
		items = append(items, mine, team, NavItem{Href: "/klanten", Label: "Klanten"})
	}
	if may(process.ActSeeOwnDossiers) {
		items = append(items, NavItem{Href: "/dossiers/mijn", Label: "Mijn dossiers"})
	}
	if may(process.ActSeeTeamDossiers) {
		items = append(items, NavItem{Href: "/dossiers/team", Label: "Dossiers per klantmanager"})
	}
	if may(process.ActEnterApplication) {
		items = append(items, NavItem{Href: "/aanvragen/nieuw", Label: "Nieuwe aanvraag"})
	}
	if may(process.ActSeeDashboard) {
		items = append(items, NavItem{Href: "/overzicht", Label: "Overzicht"})
	}
	if may(process.ActSeeOutbox) {
		items = append(items, NavItem{Href: "/uitgaand", Label: "Uitgaande berichten"})
	}
	if may(process.ActManageAccounts) {
		items = append(items, NavItem{Href: "/beheer/gebruikers", Label: "Beheer"})
	}
	items = append(items, NavItem{Href: "/proces", Label: "Proces"})
	p := r.URL.Path
	for i := range items {
		h := items[i].Href
		switch {
		case h == "/werkvoorraad":
			items[i].Current = p == h
		case h == "/beheer/gebruikers":
			items[i].Current = strings.HasPrefix(p, "/beheer/")
		default:
			items[i].Current = p == h || strings.HasPrefix(p, h+"/")
		}
	}
	return items
}

// render writes a page with its status. The page is rendered to a buffer
// first so that a template error becomes a clean 500, not half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) error {
	if m, ok := data.(interface{ markFailed() }); ok && (status == http.StatusUnprocessableEntity || status == http.StatusConflict || status == http.StatusRequestEntityTooLarge || status == http.StatusTooManyRequests) {
		m.markFailed()
	}
	return s.renderTemplate(w, status, name, "layout", data)
}

// renderFragment writes one named template of a page (for htmx).
func (s *server) renderFragment(w http.ResponseWriter, status int, name, fragment string, data any) error {
	return s.renderTemplate(w, status, name, fragment, data)
}

func (s *server) renderTemplate(w http.ResponseWriter, status int, name, tmpl string, data any) error {
	t, ok := s.pages.byName[name]
	if !ok {
		return fmt.Errorf("web: no page template %q", name)
	}
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer putRenderBuffer(buf)
	if err := t.ExecuteTemplate(buf, tmpl, data); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Add("Vary", "HX-Request")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// renderBuffers keeps the buffers pages are rendered into: a worklist
// page is some 60 KB, which a fresh buffer would reach by doubling, twice
// the garbage.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putRenderBuffer returns buf to the pool, unless a rare large page made
// it too large to keep.
func putRenderBuffer(buf *bytes.Buffer) {
	if buf.Cap() > 1<<20 {
		return
	}
	buf.Reset()
	renderBuffers.Put(buf)
}

// redirect answers a POST with 303 See Other and an optional flash message.
func (s *server) redirect(w http.ResponseWriter, r *http.Request, to, flashKind, msg string) error {
	if msg != "" {
		s.flash(r, flashKind, msg)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// funcs are the template helpers. None of them marks text as safe HTML.
func (s *server) funcs() template.FuncMap {
	return template.FuncMap{
		"asset":        s.assets.url,
		"auditField":   auditField,
		"date":         casework.FormatDate,
		"datetime":     casework.FormatDateTime,
		"amount":       casework.FormatAmount,
		"maskBSN":      casework.MaskBSN,
		"daysText":     daysText,
		"daysProse":    daysProse,
		"stepState":    stepStateText,
		"statusName":   statusName,
		"outcomeName":  func(o string) string { return process.OutcomeNames[o] },
		"roleName":     func(r process.Role) string { return process.RoleNames[r] },
		"apptKind":     func(k string) string { return process.AppointmentKindNames[k] },
		"lines":        func(s string) []string { return strings.Split(strings.TrimSpace(s), "\n") },
		"timeOf":       func(t time.Time) string { return t.In(process.Amsterdam).Format("15:04") },
		"isZero":       func(t time.Time) bool { return t.IsZero() },
		"termText":     func(p process.Policy, k process.TermKind) string { return p.TermText(k) },
		"routeText":    process.RouteText,
		"messageState": messageStatusText,
	}
}

// daysText is the "Dagen over" of a worklist row: the number of days
// left, or in words how late the task is.
func daysText(state process.DeadlineState, days int) string {
	switch {
	case state == process.DeadlineNone:
		return "–"
	case days < -1:
		return fmt.Sprintf("%d dagen te laat", -days)
	case days == -1:
		return "1 dag te laat"
	}
	return strconv.Itoa(days)
}

// daysProse says the days left in a sentence ("nog 5 dagen").
func daysProse(state process.DeadlineState, days int) string {
	switch {
	case state == process.DeadlineNone:
		return "geen termijn"
	case days < 0:
		return daysText(state, days)
	case days == 0:
		return "vandaag"
	case days == 1:
		return "nog 1 dag"
	}
	return fmt.Sprintf("nog %d dagen", days)
}

// stepStateText is the visually hidden state of a step in the diagram.
func stepStateText(state string) string {
	switch state {
	case "done":
		return "afgerond"
	case "current":
		return "huidige stap"
	case "waiting":
		return "wacht op een andere stap"
	}
	return "nog niet aan de beurt"
}

func statusName(st string) string {
	if n, ok := process.StatusNames[st]; ok {
		return n
	}
	switch st {
	case casework.TaskOpen:
		return "Open"
	case casework.TaskDone:
		return "Afgerond"
	case casework.TaskCancelled:
		return "Vervallen"
	}
	return st
}

func messageStatusText(st string) string {
	switch st {
	case casework.MessageWaiting:
		return "Wachtend"
	case casework.MessageSent:
		return "Verzonden"
	case casework.MessageRetrying:
		return "Opnieuw proberen"
	case casework.MessageFailed:
		return "Mislukt"
	case casework.MessageByPost:
		return "Per post te versturen"
	}
	return st
}
