package letters

import (
	"fmt"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Text writes a letter's HTML as plain text for the text part of a mail:
// headings and paragraphs as blocks separated by a blank line, list items
// with a dash, table rows as "header: value", line breaks kept, the style
// and the logo left out.
func Text(doc string) (string, error) {
	root, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		return "", fmt.Errorf("letters: text: %w", err)
	}
	var w textWriter
	w.node(root)
	out := strings.TrimSpace(w.b.String())
	// At most one blank line between blocks, no spaces at line ends.
	ls := strings.Split(out, "\n")
	var kept []string
	for _, l := range ls {
		l = strings.TrimRight(l, " ")
		if l == "" && len(kept) > 0 && kept[len(kept)-1] == "" {
			continue
		}
		kept = append(kept, l)
	}
	return strings.Join(kept, "\n") + "\n", nil
}

type textWriter struct {
	b       strings.Builder
	started bool // a cell of the current row was written
}

func (w *textWriter) block() {
	s := w.b.String()
	switch {
	case s == "":
	case strings.HasSuffix(s, "\n\n"):
	case strings.HasSuffix(s, "\n"):
		w.b.WriteString("\n")
	default:
		w.b.WriteString("\n\n")
	}
}

func (w *textWriter) line() {
	if s := w.b.String(); s != "" && !strings.HasSuffix(s, "\n") {
		w.b.WriteString("\n")
	}
}

func (w *textWriter) text(s string) {
	words := strings.Fields(s)
	if len(words) == 0 {
		if s != "" && !strings.HasSuffix(w.b.String(), " ") && !strings.HasSuffix(w.b.String(), "\n") && w.b.Len() > 0 {
			w.b.WriteString(" ")
		}
		return
	}
	cur := w.b.String()
	if len(cur) > 0 && !strings.HasSuffix(cur, "\n") && !strings.HasSuffix(cur, " ") && (s[0] == ' ' || s[0] == '\n' || s[0] == '\t') {
		w.b.WriteString(" ")
	}
	w.b.WriteString(strings.Join(words, " "))
	if last := s[len(s)-1]; last == ' ' || last == '\n' || last == '\t' {
		w.b.WriteString(" ")
	}
}

func (w *textWriter) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.ElementNode:
		switch n.DataAtom {
		case atom.Style, atom.Script, atom.Head, atom.Img:
			return
		case atom.Br:
			w.line()
			return
		case atom.H1, atom.H2, atom.H3, atom.P, atom.Address, atom.Table, atom.Ul, atom.Section, atom.Footer, atom.Header:
			w.block()
			w.children(n)
			w.block()
			return
		case atom.Li:
			w.line()
			w.b.WriteString("- ")
			w.children(n)
			w.line()
			return
		case atom.Tr:
			w.line()
			w.started = false
			w.children(n)
			w.line()
			return
		case atom.Th, atom.Td:
			if w.started {
				w.b.WriteString(": ")
			}
			w.started = true
			w.children(n)
			return
		}
	}
	w.children(n)
}

func (w *textWriter) children(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.node(c)
	}
}
