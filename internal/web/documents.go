package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// A client's documents on the case page: the letters the system made and
// the files caseworkers uploaded, each downloadable; the upload form and
// the form to have a letter made. And the functioneel beheerder's preview
// of every letter template.

// noPDFNotice is what the pages say when letters cannot be printed to PDF.
const noPDFNotice = "Geen PDF beschikbaar: er is geen PDF-renderer ingesteld; de brief is bewaard als HTML."

// DocumentsView is the Documenten section of the case page.
type DocumentsView struct {
	ClientID int64
	Items    []DocumentView
	NoPDF    string    // noPDFNotice when no renderer is configured
	Upload   *FormPart // nil: the user may not upload
	// MayLetter: the user may have a letter made (on a page of its own:
	// its case field would share the upload form's id here).
	MayLetter bool
}

// DocumentView is one row of the documents table.
type DocumentView struct {
	casework.Document
	Href   string // download
	Format string // what the download is: PDF, HTML, PNG, JPEG
	NoPDF  bool   // a letter that downloads as HTML
}

// FormPart is a form inside another page (the case page) or on its own
// page: the fields from a process form, and for an upload the file field.
type FormPart struct {
	Form FormView
	File *FieldView // the file input of an upload
}

// documentViews describes a client's documents for the table.
func (s *server) documentViews(clientID int64, docs []casework.Document) []DocumentView {
	pdf := s.Documents.PDFAvailable()
	out := make([]DocumentView, 0, len(docs))
	for _, d := range docs {
		v := DocumentView{Document: d, Href: fmt.Sprintf("/klanten/%d/documenten/%d", clientID, d.ID)}
		switch {
		case d.HasContent && d.ContentType == casework.ContentPNG:
			v.Format = "PNG"
		case d.HasContent && d.ContentType == casework.ContentJPEG:
			v.Format = "JPEG"
		case d.HasContent || (d.IsLetter() && pdf):
			v.Format = "PDF"
		default:
			v.Format, v.NoPDF = "HTML", true
		}
		out = append(out, v)
	}
	return out
}

// documentsView builds the Documenten section of the case page from what
// casework.ClientPage loaded as far as the viewer may see it.
func (s *server) documentsView(a casework.Actor, cp casework.ClientPage) DocumentsView {
	f := cp.File
	v := DocumentsView{ClientID: f.Client.ID}
	if !cp.SeesDocuments {
		return v
	}
	v.Items = s.documentViews(f.Client.ID, cp.Documents)
	if !s.Documents.PDFAvailable() {
		v.NoPDF = noPDFNotice
	}
	v.MayLetter = casework.May(a, process.ActSendLetter, f.Relation)
	if opts := cp.DocumentOptions; opts != nil {
		up := s.uploadPart(f.Client.ID, opts, url.Values{process.FieldCase: {firstCase(opts)}}, nil)
		v.Upload = &up
	}
	return v
}

// uploadPart is the upload form with what was sent and the refusal.
func (s *server) uploadPart(clientID int64, opts map[string][]process.Option, vals url.Values, err error) FormPart {
	fv := buildForm(formSpec{form: process.UploadForm(), values: vals, dyn: opts, action: fmt.Sprintf("/klanten/%d/documenten", clientID),
		submit: "Document uploaden"}, err)
	file := FieldView{Name: process.FieldFile, ID: fieldID(process.FieldFile), Label: "Bestand", Kind: "file", Required: true,
		Help: "Een PDF, of een foto of scan als PNG of JPEG; hoogstens " + casework.FormatSize(s.Documents.UploadLimit()) + "."}
	// The file's message is shown at the file input, not as a message
	// about something outside the form.
	kept := fv.Orphans[:0]
	for _, o := range fv.Orphans {
		if o.ID == file.ID {
			file.Error = o.Message
			continue
		}
		kept = append(kept, o)
	}
	fv.Orphans = kept
	return FormPart{Form: fv, File: &file}
}

// letterPart is the form to have a letter made.
func letterPart(clientID int64, opts map[string][]process.Option, vals url.Values, err error) FormPart {
	return FormPart{Form: buildForm(formSpec{form: process.LetterRequestForm(), values: vals, dyn: opts,
		action: fmt.Sprintf("/klanten/%d/brieven", clientID), submit: "Brief maken en versturen"}, err)}
}

// DocumentFormPage is the upload form or the letter form on a page of its
// own: where a refused form comes back, with what was typed.
type DocumentFormPage struct {
	Layout
	Header  CaseHeader
	Heading string
	Intro   string
	Part    FormPart
	Back    string
}

func (s *server) documentFormPage(w http.ResponseWriter, r *http.Request, status int, f casework.ClientFile, heading, intro string, part FormPart) error {
	p := DocumentFormPage{Layout: s.base(r, heading), Header: caseHeader(f, false, false), Heading: heading, Intro: intro, Part: part,
		Back: caseLink(f, "documenten")}
	return s.render(w, r, status, "document_form", &p)
}

const (
	uploadHeading = "Document uploaden"
	uploadIntro   = "Het document komt bij het gekozen werkproces van de klant en staat daarna bij Documenten. Wat voor bestand het is, leest het systeem uit de inhoud, niet uit de naam."
	letterHeading = "Brief laten maken"
	letterIntro   = "De brief gaat per e-mail als de klant dat wil en een e-mailadres heeft; anders zet het systeem hem klaar om te printen en krijgt Team Ondersteuning de taak hem te versturen."
)

// documentFile loads the client file and the document forms' choices.
func (s *server) documentFile(r *http.Request) (casework.ClientFile, map[string][]process.Option, error) {
	id, err := pathID(r, "id", "De klant")
	if err != nil {
		return casework.ClientFile{}, nil, err
	}
	f, err := s.Clients.ClientFile(r.Context(), actor(r), id)
	if err != nil {
		return casework.ClientFile{}, nil, err
	}
	opts, err := s.Documents.DocumentOptions(r.Context(), actor(r), id)
	return f, opts, err
}

func (s *server) uploadForm(w http.ResponseWriter, r *http.Request) error {
	if err := casework.AuthorizeRole(actor(r), process.ActAddDocument); err != nil {
		return err
	}
	f, opts, err := s.documentFile(r)
	if err != nil {
		return err
	}
	part := s.uploadPart(f.Client.ID, opts, url.Values{process.FieldCase: {firstCase(opts)}}, nil)
	return s.documentFormPage(w, r, http.StatusOK, f, uploadHeading, uploadIntro, part)
}

// uploadSlack is what a multipart body may hold besides the file: the
// other fields and the part headers.
const uploadSlack = 64 << 10

// readUpload reads the upload form as it streams in: the text fields, and
// the file up to the limit. Of a larger file it counts the bytes up to
// maxDrain, so the refusal can say how large it was, and keeps none; the
// fields sent before the file are kept all the same, so the form comes
// back with its title.
func readUpload(r *http.Request, limit int64) (url.Values, casework.Upload, error) {
	vals := url.Values{}
	var up casework.Upload
	mr, err := r.MultipartReader()
	if err != nil {
		return vals, up, &casework.Error{Code: casework.CodeInvalid, Message: "Het formulier kon niet worden gelezen. Kies het bestand opnieuw en probeer het nog eens.", Err: err}
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// Cut off: a body over what is read (a file far over the limit).
			if up.Size > limit {
				break
			}
			return vals, up, &casework.Error{Code: casework.CodeInvalid, Message: "Het formulier kon niet worden gelezen. Kies het bestand opnieuw en probeer het nog eens.", Err: err}
		}
		name := part.FormName()
		if name == process.FieldFile {
			data, err := io.ReadAll(io.LimitReader(part, limit+1))
			up.Size = int64(len(data))
			if err == nil && up.Size > limit {
				n, _ := io.Copy(io.Discard, io.LimitReader(part, maxDrain))
				up.Size += n
				data = nil
			}
			up.Data = data
			part.Close()
			if up.Size > limit {
				break
			}
			continue
		}
		b, _ := io.ReadAll(io.LimitReader(part, uploadSlack))
		vals.Add(name, string(b))
		part.Close()
	}
	up.Values = casework.Values(vals)
	return vals, up, nil
}

func (s *server) documentUpload(w http.ResponseWriter, r *http.Request) error {
	limit := s.Documents.UploadLimit()
	r.Body = http.MaxBytesReader(w, r.Body, limit+maxDrain+uploadSlack)
	// The file first (need-to-know), then the upload: a user without it
	// learns nothing from the upload's messages.
	f, opts, err := s.documentFile(r)
	if err != nil {
		return err
	}
	vals, up, err := readUpload(r, limit)
	if err != nil {
		return err
	}
	d, err := s.Documents.Upload(r.Context(), actor(r), f.Client.ID, up)
	if err != nil {
		return withForm(err, func(status int, err error) error {
			return s.documentFormPage(w, r, status, f, uploadHeading, uploadIntro, s.uploadPart(f.Client.ID, opts, vals, err))
		})
	}
	return s.redirect(w, r, caseLink(f, "documenten"), "ok", fmt.Sprintf("Document %q geüpload.", d.Title))
}

func (s *server) letterForm(w http.ResponseWriter, r *http.Request) error {
	if err := casework.AuthorizeRole(actor(r), process.ActSendLetter); err != nil {
		return err
	}
	f, opts, err := s.documentFile(r)
	if err != nil {
		return err
	}
	return s.documentFormPage(w, r, http.StatusOK, f, letterHeading, letterIntro, letterPart(f.Client.ID, opts, url.Values{process.FieldCase: {firstCase(opts)}}, nil))
}

func (s *server) letterRequest(w http.ResponseWriter, r *http.Request) error {
	vals, err := formValues(w, r)
	if err != nil {
		return err
	}
	f, opts, err := s.documentFile(r)
	if err != nil {
		return err
	}
	d, err := s.Documents.RequestLetter(r.Context(), actor(r), f.Client.ID, casework.Values(vals))
	if err != nil {
		return withForm(err, func(status int, err error) error {
			return s.documentFormPage(w, r, status, f, letterHeading, letterIntro, letterPart(f.Client.ID, opts, vals, err))
		})
	}
	how := "Hij wordt per e-mail verstuurd."
	if d.Channel == casework.LetterByPost {
		how = "Hij staat klaar om te printen; Team Ondersteuning verstuurt hem per post."
	}
	return s.redirect(w, r, caseLink(f, "documenten"), "ok", fmt.Sprintf("Brief %q gemaakt. %s", d.Title, how))
}

// documentDownload serves a document to whoever may see the client: as an
// attachment, never to be shown or sniffed by the browser, never cached.
func (s *server) documentDownload(w http.ResponseWriter, r *http.Request) error {
	clientID, err := pathID(r, "id", "De klant")
	if err != nil {
		return err
	}
	id, err := pathID(r, "did", "Het document")
	if err != nil {
		return err
	}
	f, err := s.Documents.Download(r.Context(), actor(r), clientID, id)
	if err != nil {
		return err
	}
	serveFile(w, f)
	return nil
}

// serveFile writes a document as a download.
func serveFile(w http.ResponseWriter, f casework.DocumentFile) {
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	h.Set("Content-Length", strconv.Itoa(len(f.Data)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	// A document is never a page of this site: nothing in it runs.
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(f.Data)
}

// LettersPage lists the letter templates for the functioneel beheerder,
// each to see with invented data as HTML and as PDF.
type LettersPage struct {
	Layout
	Letters []LetterLink
	NoPDF   string
}

// LetterLink is one template on the preview page.
type LetterLink struct {
	Key   process.LetterKey
	Title string
	HTML  string
	PDF   string
}

func (s *server) lettersPage(w http.ResponseWriter, r *http.Request) error {
	if err := casework.Authorize(actor(r), process.ActPreviewLetters, process.RelNone); err != nil {
		return err
	}
	p := LettersPage{Layout: s.base(r, "Briefsjablonen")}
	if !s.Documents.PDFAvailable() {
		p.NoPDF = "Geen PDF beschikbaar: er is geen PDF-renderer ingesteld; de brieven zijn alleen als HTML te bekijken."
	}
	for _, k := range process.LetterKeys() {
		p.Letters = append(p.Letters, LetterLink{Key: k, Title: process.LetterNames[k],
			HTML: "/beheer/brieven/" + string(k), PDF: "/beheer/brieven/" + string(k) + "/pdf"})
	}
	return s.render(w, r, http.StatusOK, "letters", &p)
}

// letterPreview shows a template filled with invented data: the letter
// as the client would read it, as a page of its own.
func (s *server) letterPreview(w http.ResponseWriter, r *http.Request) error {
	p, err := s.Documents.PreviewLetter(r.Context(), actor(r), process.LetterKey(r.PathValue("key")), false)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	// The letter carries its own style and its logo as data; nothing else.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, p.Letter.HTML)
	return nil
}

// letterPreviewPDF is the same letter printed to PDF.
func (s *server) letterPreviewPDF(w http.ResponseWriter, r *http.Request) error {
	key := process.LetterKey(r.PathValue("key"))
	p, err := s.Documents.PreviewLetter(r.Context(), actor(r), key, true)
	if err != nil {
		return err
	}
	if p.PDF == nil {
		return casework.NotFound("De PDF van deze brief (er is geen PDF-renderer ingesteld)")
	}
	serveFile(w, casework.DocumentFile{Name: "voorbeeld-" + strings.ReplaceAll(string(key), "_", "-") + ".pdf", ContentType: casework.ContentPDF, Data: p.PDF})
	return nil
}
