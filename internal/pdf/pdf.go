// Package pdf prints letters to PDF with Chromium (print-to-PDF through
// chromedp). Chromium writes tagged PDFs: the structure of the HTML
// (headings, lists, tables with header cells, the language and the title)
// is kept for screen readers and the text stays selectable, which the pure
// Go PDF libraries do not give. It implements casework.PDFRenderer.
//
// One headless Chromium is started on the first render and kept; each
// render opens a tab of its own, loads the letter as a data: URL (a letter
// holds everything it shows, its logo included, and the browser is started
// without background networking) and prints it on A4 with the margins of
// the letter's CSS.
package pdf

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
)

// Renderer prints HTML to PDF with one shared Chromium. Close stops it.
type Renderer struct {
	path    string
	timeout time.Duration
	slots   chan struct{} // renders at the same time

	mu       sync.Mutex
	browser  context.Context // nil until the first render, or after a crash
	stopping func()
	tmp      string // the browser's profile directory
}

var _ casework.PDFRenderer = (*Renderer)(nil)

// Find returns the Chromium to use: path when given (it must exist), else
// the first of chromium, chromium-browser and google-chrome on PATH. It
// returns an error when there is none.
func Find(path string) (string, error) {
	if path != "" {
		if _, err := os.Stat(path); err != nil {
			return "", fmt.Errorf("pdf: chromium %s: %w", path, err)
		}
		return path, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("pdf: no chromium found on PATH (chromium, chromium-browser, google-chrome)")
}

// New returns a renderer on the Chromium at path; the browser starts on the
// first render. timeout limits one render (0: 30 s); parallel limits the
// renders at the same time (0: 2).
func New(path string, timeout time.Duration, parallel int) *Renderer {
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	if parallel <= 0 {
		parallel = 2
	}
	return &Renderer{path: path, timeout: timeout, slots: make(chan struct{}, parallel)}
}

// Flags are the Chromium flags the renderer starts with besides chromedp's
// defaults: headless, no sandbox (containers lack the namespaces it needs),
// no GPU, and nothing that reaches out to the network on its own.
func Flags(path, profileDir string) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("no-pings", true),
		chromedp.UserDataDir(profileDir),
	)
}

// start starts the browser unless it runs; it returns its context.
func (r *Renderer) start() (context.Context, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.browser != nil && r.browser.Err() == nil {
		return r.browser, nil
	}
	r.stopLocked()
	dir, err := os.MkdirTemp("", "werkdiagnose-pdf-")
	if err != nil {
		return nil, fmt.Errorf("pdf: profile directory: %w", err)
	}
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), Flags(r.path, dir)...)
	browser, browserCancel := chromedp.NewContext(allocCtx)
	// The first run starts the browser; it must not carry a deadline,
	// which would stop the browser with it: the wait is limited here.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(browser) }()
	select {
	case err = <-started:
	case <-time.After(r.timeout):
		err = fmt.Errorf("not started within %s", r.timeout)
	}
	if err != nil {
		browserCancel()
		allocCancel()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pdf: start chromium %s: %w", r.path, err)
	}
	r.browser, r.tmp = browser, dir
	r.stopping = func() {
		browserCancel()
		allocCancel()
	}
	return browser, nil
}

// stopLocked stops the browser; r.mu is held.
func (r *Renderer) stopLocked() {
	if r.stopping != nil {
		r.stopping()
		r.stopping = nil
	}
	if r.tmp != "" {
		os.RemoveAll(r.tmp)
		r.tmp = ""
	}
	r.browser = nil
}

// Close stops the browser.
func (r *Renderer) Close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopLocked()
}

// PDF prints html as a tagged PDF on A4. ctx ends the render early (the
// browser goes on for the next one).
func (r *Renderer) PDF(ctx context.Context, html string) ([]byte, error) {
	select {
	case r.slots <- struct{}{}:
		defer func() { <-r.slots }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	browser, err := r.start()
	if err != nil {
		return nil, err
	}
	tab, closeTab := chromedp.NewContext(browser)
	defer closeTab()
	// The tab exists after its first run; the render's deadline and the
	// caller's cancellation apply from there.
	if err := chromedp.Do(tab); err != nil {
		r.restartAfter(err)
		return nil, fmt.Errorf("pdf: open a tab: %w", err)
	}
	run, cancel := context.WithTimeout(tab, r.timeout)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	url := "data:text/html;charset=utf-8;base64," + base64.StdEncoding.EncodeToString([]byte(html))
	if err := chromedp.Do(run, chromedp.Navigate(url)); err != nil {
		return nil, fmt.Errorf("pdf: load the letter: %w", err)
	}
	out, err := chromedp.Run(run, chromedp.PrintToPDF(
		chromedp.PDFPaper(chromedp.PaperA4),
		chromedp.PDFPreferCSSPageSize(),
		chromedp.PDFOutlineAndTagged(),
		func(p *page.PrintToPDFParams) {
			tagged := true
			p.GenerateTaggedPDF = &tagged // explicitly, whatever the browser's default
		},
	))
	if err != nil {
		return nil, fmt.Errorf("pdf: print: %w", err)
	}
	return out, nil
}

// restartAfter forgets a browser that failed, so the next render starts
// a new one.
func (r *Renderer) restartAfter(err error) {
	if err == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.browser != nil && r.browser.Err() != nil {
		r.stopLocked()
	}
}
