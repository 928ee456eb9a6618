// Package e2e drives the real web interface in a headless Chromium: the
// pilot's routes as the users who do them, bad input, the keyboard, and an
// axe-core accessibility check (WCAG 2.1 A and AA) after every page load.
//
// The handler runs in-process (internal/server, the composition cmd uses)
// on a real service and SQLite, with the manual test clock of casetest.
// Without chromium on PATH (Debian's package) the tests skip, or fail when
// CI is set (see internal/browsertest).
package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/bar-organisatie/werkdiagnose/internal/browsertest"
	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/demo"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/server"
)

const (
	axePath = "../web/webtest/axe/axe.min.js"
	// testTimeout bounds one test: its browser, every user and every step.
	// Generous: CI runs other packages beside the browser on two cores.
	testTimeout = 6 * time.Minute
	// stepTimeout bounds one browser action, so that a hang names its step.
	stepTimeout = 45 * time.Second
)

// axeRun runs axe-core on the WCAG 2.0/2.1 A and AA rules and returns the
// violations as a JSON string, built inside the page.
const axeRun = `(async () => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']});
  return JSON.stringify(r.violations.map(v => ({
    id: v.id, impact: v.impact || '', help: v.help,
    nodes: v.nodes.map(n => ({target: (n.target || []).map(String), html: (n.html || '').slice(0, 200)}))
  })));
})()`

// bsnPattern is a BSN-like number: nine digits on their own.
var bsnPattern = regexp.MustCompile(`\b\d{9}\b`)

// idPattern is a numeric path segment, replaced by {id} in page keys.
var idPattern = regexp.MustCompile(`/\d+`)

// checkedPages collects every page axe checked, across the package's tests.
var checkedPages = struct {
	sync.Mutex
	m map[string]int
}{m: map[string]int{}}

func TestMain(m *testing.M) {
	code := m.Run()
	checkedPages.Lock()
	keys := make([]string, 0, len(checkedPages.m))
	for k := range checkedPages.m {
		keys = append(keys, k)
	}
	checkedPages.Unlock()
	if len(keys) > 0 {
		slices.Sort(keys)
		fmt.Printf("e2e: axe checked %d distinct pages:\n", len(keys))
		for _, k := range keys {
			fmt.Printf("  %3d× %s\n", checkedPages.m[k], k)
		}
	}
	os.Exit(code)
}

// harness is one test's server, service and browser.
type harness struct {
	t       *testing.T
	env     *casetest.Env
	base    string
	browser context.Context // the browser's first context, under the test's deadline
	axe     string

	mu       sync.Mutex
	pages    map[string]int  // page key → loads checked, this test
	reported map[string]bool // violations already reported (page key, rule, target)
}

// newHarness starts the real handler on a fresh SQLite database with the
// demo users, and one headless Chromium for the test.
func newHarness(t *testing.T) *harness {
	t.Helper()
	return newHarnessOn(t, "sqlite")
}

// newHarnessOn is newHarness on the engine ("sqlite" or "postgres"), for
// what must behave alike on both (the client search).
func newHarnessOn(t *testing.T, engine string) *harness {
	t.Helper()
	chromiumPath := browsertest.Chromium(t)
	axe, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatalf("e2e: read axe-core: %v", err)
	}
	env := casetest.New(t, engine)
	logger := slog.New(slog.NewTextHandler(&testWriter{t: t}, &slog.HandlerOptions{Level: slog.LevelError}))
	h := server.Handler(env.Svc, server.NewSessions(env.DB.SessionStore(), false), logger,
		server.Options{PublicFormUser: env.User(t, demo.SystemUsername)})
	srv := httptest.NewServer(h)

	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1000),
	)
	allocCtx, allocCancel := chromedp.NewExecAllocator(ctx, opts...)
	browserCtx, browserCancel := chromedp.NewContext(allocCtx)
	hr := &harness{t: t, env: env, base: srv.URL, browser: browserCtx, axe: string(axe),
		pages: map[string]int{}, reported: map[string]bool{}}
	t.Cleanup(func() {
		browserCancel()
		allocCancel()
		cancel()
		srv.Close()
		hr.logPages()
	})
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("e2e: start chromium: %v", err)
	}
	return hr
}

// testWriter sends the server's error log to the test log while it runs.
type testWriter struct{ t *testing.T }

func (w *testWriter) Write(p []byte) (int, error) {
	w.t.Logf("server: %s", strings.TrimSpace(string(p)))
	return len(p), nil
}

func (h *harness) logPages() {
	h.mu.Lock()
	defer h.mu.Unlock()
	keys := make([]string, 0, len(h.pages))
	for k := range h.pages {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	h.t.Logf("axe checked %d distinct pages in this test:\n  %s", len(keys), strings.Join(keys, "\n  "))
}

// usernameOf returns the username of a demo user.
func (h *harness) usernameOf(id int64) string {
	for _, u := range h.env.All {
		if u.ID == id {
			return u.Username
		}
	}
	h.t.Fatalf("e2e: no user with id %d", id)
	return ""
}

// today is the test clock's date as typed in forms (dd-mm-jjjj).
func (h *harness) today() string { return casework.FormatDate(h.env.Clock.Now()) }

// workday returns the n-th working day after the test clock's today.
func (h *harness) workday(n int) time.Time {
	d := process.Date(h.env.Clock.Now())
	for n > 0 {
		d = process.AddDays(d, 1)
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			n--
		}
	}
	return d
}

// advanceTo moves the test clock forward to day at the given hour.
func (h *harness) advanceTo(day time.Time, hour int) {
	h.t.Helper()
	at := time.Date(day.Year(), day.Month(), day.Day(), hour, 0, 0, 0, process.Amsterdam)
	d := at.Sub(h.env.Clock.Now())
	if d < 0 {
		h.t.Fatalf("e2e: cannot move the clock back to %s", at)
	}
	h.env.Clock.Add(d)
}

// user is one person's browser context: its own cookies, its own tab.
type user struct {
	h    *harness
	name string
	ctx  context.Context

	view    string // a note on the viewport for the checked pages, e.g. " @320px"
	mu      sync.Mutex
	console []string // errors from the page's console not reported yet
}

// newUser opens an incognito-like browser context (no shared cookies).
func (h *harness) newUser(name string) *user {
	h.t.Helper()
	ctx, cancel := chromedp.NewContext(h.browser, chromedp.WithNewBrowserContext())
	h.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		h.t.Fatalf("e2e: open browser context for %s: %v", name, err)
	}
	u := &user{h: h, name: name, ctx: ctx}
	u.watchConsole()
	return u
}

// anonymous is a visitor without an account (the client on the public form).
func (h *harness) anonymous() *user { return h.newUser("anoniem") }

// login opens a browser context for the user and logs in through the form.
func (h *harness) login(username string) *user {
	h.t.Helper()
	u := h.newUser(username)
	u.visit("/login")
	u.fillLabel("Gebruikersnaam", username)
	u.fillLabel("Wachtwoord", casetest.Password)
	u.submit("Inloggen")
	if u.path() == "/login/code" {
		// The functioneel beheerder's second step: the authenticator code.
		u.fillLabel("Code", h.env.TOTPCode(h.t))
		u.submit("Inloggen")
	}
	if p := u.path(); p == "/login" || p == "/login/code" {
		h.t.Fatalf("e2e: login %s failed: %s", username, u.text("main"))
	}
	u.contains("main", "U bent ingelogd als")
	return u
}

// ---- running browser actions

func (u *user) fatalf(format string, args ...any) {
	u.h.t.Helper()
	msg := fmt.Sprintf(format, args...)
	// Say where the browser was; with a fresh short deadline, as the
	// failing action may have used up the step's.
	ctx, cancel := context.WithTimeout(u.ctx, 3*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ''`))
	if len(body) > 1500 {
		body = body[:1500] + " …"
	}
	u.h.t.Fatalf("e2e [%s] %s\n  at %s\n  page text: %s", u.name, msg, loc, strings.ReplaceAll(body, "\n", " ⏎ "))
}

// do runs actions with the step timeout.
func (u *user) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	u.h.t.Helper()
	ctx, cancel := context.WithTimeout(u.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		u.fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression and decodes its value.
func eval[T any](u *user, js string) T {
	u.h.t.Helper()
	ctx, cancel := context.WithTimeout(u.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		u.fatalf("evaluate %.80s: %v", js, err)
	}
	return v
}

// js quotes a Go string as a JavaScript string literal.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// ---- navigation; every load is checked with axe

// visit opens a path and returns the HTTP status of the document.
func (u *user) visit(path string) int {
	u.h.t.Helper()
	ctx, cancel := context.WithTimeout(u.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(u.h.base+path))
	if err != nil {
		u.fatalf("open %s: %v", path, err)
	}
	status := 0
	if resp != nil {
		status = int(resp.Status)
	}
	u.loaded(status)
	return status
}

// visitOK opens a path and fails unless it answers 200.
func (u *user) visitOK(path string) {
	u.h.t.Helper()
	if st := u.visit(path); st != 200 {
		u.fatalf("open %s: status %d, want 200", path, st)
	}
}

// clickAndLoad clicks the marked element and waits for the page it loads.
func (u *user) clickAndLoad(what string) int {
	u.h.t.Helper()
	ctx, cancel := context.WithTimeout(u.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`[data-e2e="1"]`)))
	if err != nil {
		u.fatalf("%s: %v", what, err)
	}
	status := 0
	if resp != nil {
		status = int(resp.Status)
	}
	u.loaded(status)
	return status
}

// markJS marks the first element matching sel whose text starts with text,
// optionally inside the first element matching scope whose text contains
// scopeText. It returns whether one was found.
const markJS = `((sel, text, scope, scopeText) => {
  document.querySelectorAll('[data-e2e]').forEach(e => e.removeAttribute('data-e2e'));
  const norm = s => (s || '').replace(/\s+/g, ' ').trim();
  let roots = [document];
  if (scope) roots = [...document.querySelectorAll(scope)].filter(e => norm(e.innerText).includes(scopeText));
  for (const r of roots) for (const e of r.querySelectorAll(sel)) {
    const t = norm(e.textContent);
    if (t === text || t.startsWith(text)) { e.setAttribute('data-e2e', '1'); return true; }
  }
  return false;
})`

// mark runs markJS; the element is then clickable as [data-e2e="1"].
func (u *user) mark(sel, text, scope, scopeText string) bool {
	u.h.t.Helper()
	return eval[bool](u, fmt.Sprintf(`%s(%s, %s, %s, %s)`, markJS, js(sel), js(text), js(scope), js(scopeText)))
}

// submit clicks the submit button with the text and waits for the next page.
func (u *user) submit(button string) int {
	u.h.t.Helper()
	if !u.mark(`button[type=submit]`, button, "", "") {
		u.fatalf("no button %q", button)
	}
	return u.clickAndLoad("submit " + button)
}

// submitIn clicks a button inside the first element (e.g. a table row)
// matching scope whose text contains scopeText.
func (u *user) submitIn(scope, scopeText, button string) int {
	u.h.t.Helper()
	if !u.mark(`button[type=submit]`, button, scope, scopeText) {
		u.fatalf("no button %q in %s containing %q", button, scope, scopeText)
	}
	return u.clickAndLoad("submit " + button)
}

// follow clicks the link whose text starts with link and waits for the page.
func (u *user) follow(link string) int {
	u.h.t.Helper()
	return u.followIn("", "", link)
}

// followIn is follow within the first element matching scope whose text
// contains scopeText.
func (u *user) followIn(scope, scopeText, link string) int {
	u.h.t.Helper()
	if !u.mark(`a[href]`, link, scope, scopeText) {
		u.fatalf("no link %q (scope %s %q)", link, scope, scopeText)
	}
	return u.clickAndLoad("follow " + link)
}

// loaded runs axe on the page just loaded and records it as checked, and
// reports script errors and blocked resources seen so far.
func (u *user) loaded(status int) {
	u.h.t.Helper()
	u.checkAxe(status, "")
	u.checkConsole()
}

// watchConsole collects the console errors of the user's pages: uncaught
// exceptions, CSP violations, failed static assets. An HTTP error status of
// a page itself (a 404 page the test opens) and the absent favicon are not
// errors of the page.
func (u *user) watchConsole() {
	go func() {
		for m, err := range chromedp.Console(u.ctx) {
			if err != nil {
				return
			}
			if m.Type != chromedp.ConsoleError && m.Type != chromedp.ConsoleException {
				continue
			}
			if strings.HasPrefix(m.Text, "Failed to load resource") && !strings.Contains(m.URL, "/static/") {
				continue
			}
			u.mu.Lock()
			u.console = append(u.console, fmt.Sprintf("%s: %s (%s:%d)", m.Type, m.Text, m.URL, m.Line+1))
			u.mu.Unlock()
		}
	}()
}

func (u *user) checkConsole() {
	u.h.t.Helper()
	u.mu.Lock()
	msgs := u.console
	u.console = nil
	u.mu.Unlock()
	for _, m := range msgs {
		u.h.t.Errorf("console error as %s, at or before %s: %s", u.name, u.path(), m)
	}
}

// pageKey names a page for the checked set: the path with ids replaced,
// and the title.
func (u *user) pageKey(status int) string {
	loc := eval[string](u, `location.pathname`)
	title := eval[string](u, `document.title`)
	title = strings.TrimSuffix(title, " – Werkdiagnose")
	p := idPattern.ReplaceAllString(loc, "/{id}")
	return fmt.Sprintf("%s [%d] %q", p, status, title)
}

type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []string `json:"target"`
		HTML   string   `json:"html"`
	} `json:"nodes"`
}

// checkAxe injects axe-core (once per document) and fails the test with
// every WCAG 2.1 A/AA violation on the current page.
func (u *user) checkAxe(status int, note string) {
	u.h.t.Helper()
	key := u.pageKey(status) + u.view + note
	vs := u.runAxe()
	u.h.mu.Lock()
	u.h.pages[key]++
	u.h.mu.Unlock()
	checkedPages.Lock()
	checkedPages.m[key]++
	checkedPages.Unlock()
	href := eval[string](u, `location.href`)
	for _, v := range vs {
		var targets []string
		for i, n := range v.Nodes {
			if i == 3 {
				targets = append(targets, fmt.Sprintf("… (%d nodes)", len(v.Nodes)))
				break
			}
			targets = append(targets, strings.Join(n.Target, " ")+"  "+n.HTML)
		}
		rk := key + "|" + v.ID + "|" + strings.Join(targets, ",")
		u.h.mu.Lock()
		dup := u.h.reported[rk]
		u.h.reported[rk] = true
		u.h.mu.Unlock()
		if dup {
			continue
		}
		u.h.t.Errorf("axe violation [%s] on %s (%s) as %s: %s (%s)\n    %s",
			v.ID, key, href, u.name, v.Help, v.Impact, strings.Join(targets, "\n    "))
	}
}

// runAxe injects axe-core (once per document) and returns the WCAG 2.1
// A/AA violations on the current page.
func (u *user) runAxe() []axeViolation {
	u.h.t.Helper()
	if !eval[bool](u, `typeof window.axe !== 'undefined'`) {
		eval[bool](u, u.h.axe+"\n;true")
	}
	ctx, cancel := context.WithTimeout(u.ctx, stepTimeout)
	defer cancel()
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		u.fatalf("axe: %v", err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		u.fatalf("axe result: %v", err)
	}
	return vs
}

// ---- forms

// labelFor returns the id of the control whose label text is label
// (without " (niet verplicht)").
func (u *user) labelFor(label string) string {
	u.h.t.Helper()
	id := eval[string](u, fmt.Sprintf(`((label) => {
  const norm = s => (s || '').replace(/\s+/g, ' ').replace(/ \(niet verplicht\)$/, '').trim();
  for (const l of document.querySelectorAll('label')) if (norm(l.textContent) === label) return l.htmlFor || '';
  return '';
})(%s)`, js(label)))
	if id == "" {
		u.fatalf("no field labelled %q", label)
	}
	return id
}

// fillLabel types a value into the field with the label.
func (u *user) fillLabel(label, value string) { u.h.t.Helper(); u.fillID(u.labelFor(label), value) }

// fill types a value into the field named name (id f-<name>).
func (u *user) fill(name, value string) { u.h.t.Helper(); u.fillID("f-"+name, value) }

// fillID empties an input or textarea and types the value like a user.
func (u *user) fillID(id, value string) {
	u.h.t.Helper()
	if !eval[bool](u, fmt.Sprintf(`(() => { const e = document.getElementById(%s); if (!e) return false; e.value = ''; return true; })()`, js(id))) {
		u.fatalf("no field #%s", id)
	}
	// kb encodes "\r" as the Enter key: a new line in a textarea.
	u.do("type into #"+id, chromedp.SendKeys(chromedp.ID(id), strings.ReplaceAll(value, "\n", "\r")))
	if got := u.value(id); got != value {
		u.fatalf("field #%s holds %q after typing %q", id, got, value)
	}
}

// value reads a field's current value.
func (u *user) value(id string) string {
	u.h.t.Helper()
	return eval[string](u, fmt.Sprintf(`(() => { const e = document.getElementById(%s); return e ? e.value : '<no element>'; })()`, js(id)))
}

// selectOption chooses the option whose text starts with text in the
// select named name.
func (u *user) selectOption(name, text string) {
	u.h.t.Helper()
	ok := eval[bool](u, fmt.Sprintf(`((id, text) => {
  const s = document.getElementById(id); if (!s) return false;
  for (const o of s.options) if (o.text.replace(/\s+/g, ' ').trim().startsWith(text)) {
    s.value = o.value; s.dispatchEvent(new Event('change', {bubbles: true})); return true;
  }
  return false;
})(%s, %s)`, js("f-"+name), js(text)))
	if !ok {
		u.fatalf("no option %q in select %s", text, name)
	}
}

// choose clicks the radio button or checkbox of group name whose label
// starts with text (a single checkbox: text "").
func (u *user) choose(name, text string) {
	u.h.t.Helper()
	id := eval[string](u, fmt.Sprintf(`((name, text) => {
  for (const i of document.querySelectorAll('input[name="' + name + '"]')) {
    const l = document.querySelector('label[for="' + i.id + '"]');
    if (l && l.textContent.replace(/\s+/g, ' ').trim().startsWith(text)) return i.id;
  }
  return '';
})(%s, %s)`, js(name), js(text)))
	if id == "" {
		u.fatalf("no choice %q in %s", text, name)
	}
	if eval[bool](u, fmt.Sprintf(`document.getElementById(%s).checked`, js(id))) {
		return
	}
	u.do("click "+id, chromedp.Click(chromedp.ID(id)))
	if !eval[bool](u, fmt.Sprintf(`document.getElementById(%s).checked`, js(id))) {
		u.fatalf("choice %q of %s is not checked after a click", text, name)
	}
}

// ---- reading the page

// path is the current location's path.
func (u *user) path() string { u.h.t.Helper(); return eval[string](u, `location.pathname`) }

// text returns the visible text of the first element matching the CSS
// selector, or "" when there is none.
func (u *user) text(sel string) string {
	u.h.t.Helper()
	return eval[string](u, fmt.Sprintf(`(() => { const e = document.querySelector(%s); return e ? e.innerText : ''; })()`, js(sel)))
}

// texts returns the visible text of every element matching the selector.
func (u *user) texts(sel string) []string {
	u.h.t.Helper()
	return eval[[]string](u, fmt.Sprintf(`[...document.querySelectorAll(%s)].map(e => e.innerText)`, js(sel)))
}

// count returns the number of elements matching the selector.
func (u *user) count(sel string) int {
	u.h.t.Helper()
	return eval[int](u, fmt.Sprintf(`document.querySelectorAll(%s).length`, js(sel)))
}

// contains fails unless the element's visible text contains every want.
func (u *user) contains(sel string, want ...string) {
	u.h.t.Helper()
	got := u.text(sel)
	for _, w := range want {
		if !strings.Contains(got, w) {
			u.fatalf("%s does not show %q; it shows: %s", sel, w, got)
		}
	}
}

// row returns the text of the first table body row that contains every part.
func (u *user) row(parts ...string) (string, bool) {
	u.h.t.Helper()
	for _, r := range u.texts("tbody tr") {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(r, p)
		}
		if ok {
			return r, true
		}
	}
	return "", false
}

// noBSN fails when the visible page shows a nine-digit number.
func (u *user) noBSN(bsns ...string) {
	u.h.t.Helper()
	body := u.text("body")
	if m := bsnPattern.FindString(body); m != "" {
		u.fatalf("the page shows a nine-digit number (BSN?) %s", m)
	}
	html := eval[string](u, `document.documentElement.outerHTML`)
	for _, b := range bsns {
		if strings.Contains(html, b) {
			u.fatalf("the page's HTML contains the BSN %s", b)
		}
	}
}

// focused describes the focused element: tag#id.class "text".
func (u *user) focused() string {
	u.h.t.Helper()
	return eval[string](u, `(() => { const e = document.activeElement; if (!e) return '';
  return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).trim().split(/\s+/).join('.') : '') +
    ' "' + (e.innerText || e.value || '').replace(/\s+/g, ' ').trim().slice(0, 60) + '"'; })()`)
}

// press sends a key action to the focused element.
func (u *user) press(key chromedp.Action[chromedp.Void]) { u.h.t.Helper(); u.do("press a key", key) }

// tab presses Tab once.
func (u *user) tab() { u.h.t.Helper(); u.press(chromedp.KeyEvent(kb.Tab)) }

// idFromPath returns the number after prefix in the current path.
func (u *user) idFromPath(prefix string) int64 {
	u.h.t.Helper()
	p := u.path()
	var id int64
	if _, err := fmt.Sscanf(strings.TrimPrefix(p, prefix), "%d", &id); err != nil || !strings.HasPrefix(p, prefix) {
		u.fatalf("path %s has no id after %s", p, prefix)
	}
	return id
}

// query builds a path with a query string.
func query(path string, kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return path + "?" + v.Encode()
}

// enterKey presses Enter as a keyboard does: one keyDown that carries the
// text (keydown and keypress in the page) and a keyUp. kb.Encode sends the
// keypress as a separate char event, which reaches the element that the
// keydown moved focus to: Enter on a link to a field would then also submit
// the field's form, which no real keyboard does.
var enterKey = chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
	down := input.DispatchKeyEventParams{Type: kb.KeyDown, Key: "Enter", Code: "Enter", Text: "\r", UnmodifiedText: "\r",
		WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13}
	if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, down); err != nil {
		return err
	}
	up := down
	up.Type, up.Text, up.UnmodifiedText = kb.KeyUp, "", ""
	_, err := cdp.Call(ctx, t, input.DispatchKeyEvent, up)
	return err
})

// focusCSS focuses the first element matching the selector.
func focusCSS(sel string) chromedp.Action[chromedp.Void] { return chromedp.Focus(chromedp.CSS(sel)) }

// waitFor polls a JavaScript condition for up to two seconds (for focus
// moves and htmx swaps); the caller checks the outcome.
func waitFor(u *user, cond string) bool {
	u.h.t.Helper()
	for range 40 {
		if eval[bool](u, "!!("+cond+")") {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// pressAndLoad presses keys that load a page (Enter on a button).
func (u *user) pressAndLoad(key chromedp.Action[chromedp.Void]) int {
	u.h.t.Helper()
	ctx, cancel := context.WithTimeout(u.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, key)
	if err != nil {
		u.fatalf("press keys and wait for the page: %v", err)
	}
	status := 0
	if resp != nil {
		status = int(resp.Status)
	}
	u.loaded(status)
	return status
}

// noScriptRan fails when typed markup ran as script.
func (u *user) noScriptRan() {
	u.h.t.Helper()
	if v := eval[string](u, `String(window.__xss)`); v != "undefined" {
		u.fatalf("typed markup ran as script (window.__xss = %s)", v)
	}
}

// clickText clicks the first element matching sel whose text starts with
// text, without waiting for a page (a details summary, an htmx button).
func clickText(sel, text string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		ok, err := chromedp.Evaluate[bool](fmt.Sprintf(`%s(%s, %s, '', '')`, markJS, js(sel), js(text)))(ctx, t)
		if err != nil {
			return chromedp.Void{}, err
		}
		if !ok {
			return chromedp.Void{}, fmt.Errorf("no %s with text %q", sel, text)
		}
		return chromedp.Click(chromedp.CSS(`[data-e2e="1"]`))(ctx, t)
	}
}
