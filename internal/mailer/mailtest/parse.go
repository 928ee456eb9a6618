package mailtest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
)

// Part is one leaf MIME part with its body decoded.
type Part struct {
	ContentType string            // media type, lower case, e.g. "text/calendar"
	Params      map[string]string // Content-Type parameters (charset, method, name, ...)
	Disposition string            // "attachment", "inline" or ""
	Filename    string            // from Content-Disposition, else the Content-Type name
	Data        []byte            // decoded from base64 / quoted-printable
}

// Parsed is a message taken apart.
type Parsed struct {
	Header mail.Header
	// Text and HTML are the first non-attachment text/plain and text/html
	// parts, with line endings normalized to "\n" (on the wire they are CRLF).
	Text, HTML string
	// Calendar is the first non-attachment text/calendar part, byte exact.
	Calendar []byte
	// Attachments are the parts with Content-Disposition: attachment.
	Attachments []Part
	// Parts are all leaf parts in order.
	Parts []Part
}

// Subject is the Subject header with RFC 2047 encoded words decoded.
func (p Parsed) Subject() string {
	return decodeHeader(p.Header.Get("Subject"))
}

// Decoded returns any header with RFC 2047 encoded words decoded.
func (p Parsed) Decoded(name string) string {
	return decodeHeader(p.Header.Get(name))
}

func decodeHeader(s string) string {
	dec := new(mime.WordDecoder)
	out, err := dec.DecodeHeader(s)
	if err != nil {
		return s
	}
	return out
}

// maxDepth bounds multipart nesting.
const maxDepth = 10

// Parse reads a raw message and walks its (nested) multiparts.
func Parse(raw []byte) (Parsed, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Parsed{}, fmt.Errorf("mailtest: read message: %w", err)
	}
	p := Parsed{Header: msg.Header}
	if err := p.walk(textproto.MIMEHeader(msg.Header), msg.Body, 0); err != nil {
		return Parsed{}, err
	}
	return p, nil
}

func (p *Parsed) walk(h textproto.MIMEHeader, body io.Reader, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("mailtest: multipart nested deeper than %d", maxDepth)
	}
	ct := h.Get("Content-Type")
	if ct == "" {
		ct = "text/plain; charset=us-ascii"
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return fmt.Errorf("mailtest: Content-Type %q: %w", ct, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		if params["boundary"] == "" {
			return fmt.Errorf("mailtest: %s without boundary", mt)
		}
		mr := multipart.NewReader(body, params["boundary"])
		for {
			// NextRawPart: NextPart would decode quoted-printable itself
			// (and drop the header) but leave base64 alone.
			part, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("mailtest: %s: %w", mt, err)
			}
			if err := p.walk(part.Header, part, depth+1); err != nil {
				return err
			}
		}
	}

	data, err := decodeBody(h.Get("Content-Transfer-Encoding"), body)
	if err != nil {
		return err
	}
	part := Part{ContentType: mt, Params: params, Data: data}
	if cd := h.Get("Content-Disposition"); cd != "" {
		disp, dparams, err := mime.ParseMediaType(cd)
		if err != nil {
			return fmt.Errorf("mailtest: Content-Disposition %q: %w", cd, err)
		}
		part.Disposition = disp
		part.Filename = decodeHeader(dparams["filename"])
	}
	if part.Filename == "" {
		part.Filename = decodeHeader(params["name"])
	}
	p.Parts = append(p.Parts, part)

	if part.Disposition == "attachment" {
		p.Attachments = append(p.Attachments, part)
		return nil
	}
	switch mt {
	case "text/plain":
		if p.Text == "" {
			p.Text = normalizeNewlines(data)
		}
	case "text/html":
		if p.HTML == "" {
			p.HTML = normalizeNewlines(data)
		}
	case "text/calendar":
		if p.Calendar == nil {
			p.Calendar = data
		}
	}
	return nil
}

func decodeBody(cte string, body io.Reader) ([]byte, error) {
	var r io.Reader
	switch enc := strings.ToLower(strings.TrimSpace(cte)); enc {
	case "base64":
		// The decoder skips CR and LF between the lines.
		r = base64.NewDecoder(base64.StdEncoding, body)
	case "quoted-printable":
		r = quotedprintable.NewReader(body)
	case "", "7bit", "8bit", "binary":
		r = body
	default:
		return nil, fmt.Errorf("mailtest: unknown Content-Transfer-Encoding %q", cte)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("mailtest: decode %s body: %w", cte, err)
	}
	return data, nil
}

func normalizeNewlines(b []byte) string {
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}
