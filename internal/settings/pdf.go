package settings

import (
	"fmt"
	"time"
)

// PDF says how letters are printed to PDF: with Chromium, or not at all
// (letters are then kept and served as HTML, and the pages say so).
type PDF struct {
	// Renderer is "chromium" (default) or "none". With "chromium" and no
	// browser found, the instance starts without PDFs and logs a warning.
	Renderer string `json:"renderer"`
	// Chromium is the path of the browser; empty: chromium,
	// chromium-browser or google-chrome on PATH.
	Chromium string `json:"chromium"`
	// Timeout limits one render (a Go duration, default "30s").
	Timeout string `json:"timeout"`
}

// PDF renderers.
const (
	RendererChromium = "chromium"
	RendererNone     = "none"
)

// DefaultPDF renders with the Chromium found on PATH.
func DefaultPDF() PDF { return PDF{Renderer: RendererChromium, Timeout: "30s"} }

// TimeoutDuration is the parsed timeout (30 s when empty).
func (c PDF) TimeoutDuration() time.Duration {
	d, err := time.ParseDuration(c.Timeout)
	if err != nil || d <= 0 {
		return 30 * time.Second
	}
	return d
}

// Validate reports the first problem in words an administrator can act on.
func (c PDF) Validate() error {
	switch c.Renderer {
	case RendererChromium, RendererNone, "":
	default:
		return fmt.Errorf("pdf.renderer %q: want %q or %q", c.Renderer, RendererChromium, RendererNone)
	}
	if c.Timeout != "" {
		if d, err := time.ParseDuration(c.Timeout); err != nil || d <= 0 {
			return fmt.Errorf("pdf.timeout %q: want a positive Go duration such as \"30s\"", c.Timeout)
		}
	}
	return nil
}
