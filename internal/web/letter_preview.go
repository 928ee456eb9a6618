package web

import (
	"errors"
	"html/template"
	"maps"
	"net/http"
	"strings"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// A step that sends a letter (effect send_letter) shows it before it goes:
// "Brief bekijken" renders the task page with the letter made from what was
// typed, and a refusal is not completed before its letter was seen
// (process.FieldLetterChecked, shown with the letter: process.ShowLetter).

// sendsLetter reports whether completing the step may send a letter.
func sendsLetter(st process.Step) bool {
	for _, d := range st.Effects {
		if d.Effect == process.EffectSendLetter {
			return true
		}
	}
	return false
}

// letterFragment is the body of a letter document, to show inside a page:
// the letter's own styles stay out (the page's policy allows none inline)
// and its headings move below the page's. The HTML is the letter template's
// own output, whose data html/template escaped.
func letterFragment(doc string) template.HTML {
	body := doc
	if i := strings.Index(body, "<body>"); i >= 0 {
		body = body[i+len("<body>"):]
	}
	if i := strings.LastIndex(body, "</body>"); i >= 0 {
		body = body[:i]
	}
	body = strings.NewReplacer("<h1", "<h4", "</h1>", "</h4>", "<h2", "<h5", "</h2>", "</h5>").Replace(body)
	return template.HTML(body) //nolint:gosec // our own template's output
}

// withoutField is err without the message on field: a form's messages
// that are shown once the letter can be (see renderTask).
func withoutField(err error, field string) error {
	var e *casework.Error
	if !errors.As(err, &e) || e.Fields[field] == "" {
		return err
	}
	c := *e
	c.Fields = maps.Clone(e.Fields)
	delete(c.Fields, field)
	return &c
}

// taskLetter handles POST /taken/{id}/brief: the task page again with what
// was typed and the letter it makes, nothing completed.
func (s *server) taskLetter(w http.ResponseWriter, r *http.Request) error {
	_, vals, err := taskPost(w, r)
	if err != nil {
		return err
	}
	back := cameFrom(r, vals)
	input := stripControl(vals)
	return s.taskAgainOK(w, r, taskRender{values: input, version: intField(vals, process.FieldVersion), back: back, preview: true})
}
