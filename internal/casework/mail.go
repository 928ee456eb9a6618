package casework

import (
	"embed"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
)

// Mail texts are templates kept with the code: per kind a plain-text file
// (subject and body) and an HTML file with the same content. Neither ever
// holds a BSN; hand-overs and reminders hold no client data at all.
//
//go:embed mailtemplates
var mailFS embed.FS

type button struct{ URL, Label string }

var mailFuncs = map[string]any{"button": func(url, label string) button { return button{url, label} }, "upperFirst": upperFirst}

var (
	textMail = texttemplate.Must(texttemplate.New("").Funcs(mailFuncs).ParseFS(mailFS, "mailtemplates/*.txt"))
	htmlMail = htmltemplate.Must(htmltemplate.New("").Funcs(mailFuncs).ParseFS(mailFS, "mailtemplates/*.html"))
)

// mailCommon is what every mail template reads besides its own data.
type mailCommon struct {
	Subject string
	Footer  string
}

func (c *mailCommon) common() *mailCommon { return c }

type mailData interface{ common() *mailCommon }

// renderMail fills m's Subject, Body and HTML from template name.
func (s *core) renderMail(m *Message, name string, data mailData) error {
	c := data.common()
	if c.Footer == "" {
		c.Footer = "Dit bericht is automatisch verstuurd door Werkdiagnose (" + s.cfg.BaseURL + ")."
	}
	var b strings.Builder
	if err := textMail.ExecuteTemplate(&b, name+".subject", data); err != nil {
		return err
	}
	c.Subject = strings.TrimSpace(b.String())
	b.Reset()
	if err := textMail.ExecuteTemplate(&b, name+".text", data); err != nil {
		return err
	}
	text := strings.TrimLeft(b.String(), "\n")
	b.Reset()
	if err := htmlMail.ExecuteTemplate(&b, name+".html", data); err != nil {
		return err
	}
	m.Subject, m.Body, m.HTML = c.Subject, text, b.String()
	return nil
}
