package casework

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Document is a file kept with a client: a letter the system made (Kind
// is its process.LetterKey) or a file a caseworker uploaded (Kind is
// process.DocumentUpload). A letter keeps its HTML from the start; its PDF
// is rendered later and cached (HasContent, ContentType application/pdf).
type Document struct {
	ID       int64
	ClientID int64
	CaseID   int64 // 0: not about one case
	Kind     string
	Title    string
	// FileName is the name a download gets; it never holds a BSN.
	FileName    string
	ContentType string // of the bytes: application/pdf, image/png or image/jpeg; "" while a letter has no PDF
	Size        int64
	SHA256      string // hex SHA-256 of the bytes
	HasContent  bool   // the bytes are stored (an upload, or a letter's rendered PDF)
	HTML        string // a letter's HTML; empty in lists
	Channel     string // LetterByEmail or LetterByPost; "" for an upload
	Status      string // DocumentStored, DocumentByEmail, DocumentToPrint, DocumentPosted
	MessageID   int64  // the outbox message it went with
	PostedAt    time.Time
	PostedBy    int64
	// PostedByName is who printed and posted it (Team Ondersteuning).
	PostedByName  string
	CreatedBy     int64
	CreatedByName string
	CreatedAt     time.Time
	RenderedAt    time.Time // when its PDF was rendered
	// Joined for lists.
	CaseCode      string
	MessageStatus string // of the outbox message: MessageWaiting, MessageSent, ...
}

// Statuses of a document.
const (
	DocumentStored  = "opgeslagen"         // an upload, kept with the case
	DocumentByEmail = "per_email"          // a letter that goes by e-mail (its message tells whether it went)
	DocumentToPrint = "wacht_op_afdrukken" // a letter waiting to be printed and posted
	DocumentPosted  = "per_post_verstuurd" // printed and posted by Team Ondersteuning
	// DocumentForSignature: a plan van aanpak printed at the desk for the
	// client to sign; DocumentSigned: the plan as the client signed it,
	// made with the signature date when no scan was chosen.
	DocumentForSignature = "voor_handtekening"
	DocumentSigned       = "getekend"
)

// IsLetter reports whether the document is a letter the system made.
func (d Document) IsLetter() bool { return d.Kind != process.DocumentUpload }

// HasPDF reports whether the document's bytes are a PDF.
func (d Document) HasPDF() bool { return d.HasContent && d.ContentType == ContentPDF }

// StatusText says in Dutch where the document stands: for a letter by
// e-mail after its message, for a letter by post with date and who.
func (d Document) StatusText() string {
	switch d.Status {
	case DocumentStored:
		return "Geüpload door " + d.CreatedByName
	case DocumentToPrint:
		return "Wacht op afdrukken en versturen per post"
	case DocumentPosted:
		return fmt.Sprintf("Per post afgedrukt en verstuurd op %s door %s", FormatDate(d.PostedAt), d.PostedByName)
	case DocumentForSignature:
		return "Afgedrukt voor de handtekening van de klant door " + d.CreatedByName
	case DocumentSigned:
		return "Plan zoals de klant het tekende, vastgelegd door " + d.CreatedByName
	case DocumentByEmail:
		switch d.MessageStatus {
		case MessageSent:
			return "Verzonden per e-mail"
		case MessageFailed:
			return "E-mail mislukt: zie Berichten"
		case MessageRetrying:
			return "E-mail wordt opnieuw geprobeerd"
		}
		return "Wordt per e-mail verzonden"
	}
	return d.Status
}

// KindName names the document's kind in Dutch: the letter, or "Upload".
func (d Document) KindName() string {
	if n, ok := process.LetterNames[process.LetterKey(d.Kind)]; ok {
		return "Brief: " + n
	}
	return "Geüpload document"
}

// Content types of documents.
const (
	ContentPDF  = "application/pdf"
	ContentPNG  = "image/png"
	ContentJPEG = "image/jpeg"
	ContentHTML = "text/html; charset=utf-8"
)

// DocumentTx keeps documents. Lists never read the bytes or the HTML.
type DocumentTx interface {
	// AddDocument stores d with its bytes (nil: none yet) and sets its ID;
	// it computes Size, SHA256 and HasContent from content.
	AddDocument(ctx context.Context, d *Document, content []byte) error
	// DocumentsByClient lists the client's documents, newest first.
	DocumentsByClient(ctx context.Context, clientID int64) ([]Document, error)
	// DocumentByID returns a document with its HTML, without its bytes.
	DocumentByID(ctx context.Context, id int64) (Document, error)
	// DocumentByMessage returns the document an outbox message carries.
	DocumentByMessage(ctx context.Context, messageID int64) (Document, error)
	// DocumentContent returns a document's bytes (ErrNotFound when none).
	DocumentContent(ctx context.Context, id int64) ([]byte, error)
	// SetDocumentPDF stores a letter's rendered PDF unless one is stored
	// already (a concurrent render): it reports whether it stored this one.
	SetDocumentPDF(ctx context.Context, id int64, pdf []byte, at time.Time) (bool, error)
	// MarkDocumentsPosted records the client's letters waiting to be printed
	// as posted, at at by the user; it returns how many.
	MarkDocumentsPosted(ctx context.Context, clientID int64, at time.Time, by int64, byName string) (int, error)
}

// Documents keeps a client's documents: the letters the system made and
// the files caseworkers uploaded, with their downloads; letters asked for
// by hand; and previews of the letter templates.
type Documents struct {
	*core
	store Transactor[DocumentAreaTx]
	tasks *Tasks // a step's letter previewed from its form
}

// DocumentAreaTx is what the document use cases read and write: the
// documents, and what making a letter needs.
type DocumentAreaTx interface {
	letterTx
}

// DocumentService lists, serves and adds a client's documents, and makes
// letters. Errors: forbidden without the right to see the client, not found
// for a document of another client or none, invalid with Dutch field
// messages for a refused upload or request.
type DocumentService interface {
	// ClientDocuments lists the client's documents, newest first.
	ClientDocuments(ctx context.Context, a Actor, clientID int64) ([]Document, error)
	// DocumentOptions are the choices of the upload and letter forms.
	DocumentOptions(ctx context.Context, a Actor, clientID int64) (map[string][]process.Option, error)
	// Download returns a document's file: the PDF (rendered on first
	// download when a renderer is configured), an uploaded file, or a
	// letter's HTML when there is no PDF. clientID is the client the page
	// or URL names; a document of another client is not found.
	Download(ctx context.Context, a Actor, clientID, id int64) (DocumentFile, error)
	// Upload adds a file to one of the client's cases, its type decided by
	// its content (PDF, PNG or JPEG) and its size limited.
	Upload(ctx context.Context, a Actor, clientID int64, up Upload) (Document, error)
	// RequestLetter makes one of process.RequestableLetters for the client
	// and sends it (by e-mail or post).
	RequestLetter(ctx context.Context, a Actor, clientID int64, v Values) (Document, error)
	// PreviewLetter renders a letter template with invented data; pdf
	// asks for the PDF as well (nil without a renderer).
	PreviewLetter(ctx context.Context, a Actor, key process.LetterKey, pdf bool) (LetterPreview, error)
	// PreviewStepLetter renders the letter completing a task with the
	// given (not yet submitted) form values would send; "" when it sends
	// none with these values.
	PreviewStepLetter(ctx context.Context, a Actor, taskID int64, v Values) (string, error)
	// PDFAvailable reports whether a PDF renderer is configured.
	PDFAvailable() bool
	// UploadLimit is the largest upload in bytes.
	UploadLimit() int64
	// UploadTooLarge refuses an upload too large to read, of size bytes.
	UploadTooLarge(size int64) error
}

var _ DocumentService = (*Documents)(nil)

// DocumentFile is a document's bytes as served.
type DocumentFile struct {
	Name        string
	ContentType string
	Data        []byte
	// NoPDF: a letter served as HTML because no PDF renderer is configured.
	NoPDF bool
}

// Upload is a file a caseworker sends with the upload form. Size is the
// number of bytes the adapter read: more than Data holds when it stopped
// reading at the limit.
type Upload struct {
	Values Values // case and title (process.UploadForm)
	Data   []byte
	Size   int64
}

// LetterPreview is a letter template filled with invented data.
type LetterPreview struct {
	Key    process.LetterKey
	Title  string
	Letter RenderedLetter
	PDF    []byte // nil without a renderer
}

// DefaultUploadLimit is the largest upload unless configured: 10 MB.
const DefaultUploadLimit int64 = 10 << 20

// PDFAvailable reports whether a PDF renderer is configured.
func (s *Documents) PDFAvailable() bool { return s.pdf != nil }

// UploadLimit is the largest upload in bytes.
func (s *Documents) UploadLimit() int64 { return s.uploadLimit() }

func (s *core) uploadLimit() int64 {
	if s.cfg.UploadMaxBytes > 0 {
		return s.cfg.UploadMaxBytes
	}
	return DefaultUploadLimit
}

// ClientDocuments lists the client's documents, newest first.
func (s *Documents) ClientDocuments(ctx context.Context, a Actor, clientID int64) (_ []Document, err error) {
	defer wrap(&err, "ClientDocuments(clientID=%d)", clientID)
	if err := mayEver(a, process.ActSeeDocuments); err != nil {
		return nil, err
	}
	return read(ctx, s.store, func(tx DocumentAreaTx) ([]Document, error) {
		if _, err := tx.ClientByID(ctx, clientID); err != nil {
			return nil, notFoundAs(err, "De klant")
		}
		if _, err := s.knowClient(ctx, tx, a, process.ActSeeDocuments, clientID); err != nil {
			return nil, err
		}
		return tx.DocumentsByClient(ctx, clientID)
	})
}

// DocumentOptions are the choices of the upload and letter forms: the
// client's cases and the letters that may be asked for.
func (s *Documents) DocumentOptions(ctx context.Context, a Actor, clientID int64) (_ map[string][]process.Option, err error) {
	defer wrap(&err, "DocumentOptions(clientID=%d)", clientID)
	if err := mayEver(a, process.ActSeeDocuments); err != nil {
		return nil, err
	}
	return read(ctx, s.store, func(tx DocumentAreaTx) (map[string][]process.Option, error) {
		_, opts, err := s.documentOptions(ctx, tx, a, process.ActSeeDocuments, clientID)
		return opts, err
	})
}

// documentOptions checks that the actor may do act on the client's
// documents and returns the client's cases and the form choices.
func (s *Documents) documentOptions(ctx context.Context, tx DocumentAreaTx, a Actor, act process.Action, clientID int64) ([]Case, map[string][]process.Option, error) {
	if _, err := tx.ClientByID(ctx, clientID); err != nil {
		return nil, nil, notFoundAs(err, "De klant")
	}
	if _, err := s.knowClient(ctx, tx, a, act, clientID); err != nil {
		return nil, nil, err
	}
	cases, opts, err := clientCases(ctx, tx, clientID)
	if err != nil {
		return nil, nil, err
	}
	return cases, documentChoices(opts), nil
}

// documentChoices are the choices of the upload and letter forms: the
// client's cases (caseOptions) and the letters that may be asked for.
func documentChoices(cases []process.Option) map[string][]process.Option {
	letters := make([]process.Option, 0, 4)
	for _, k := range process.RequestableLetters() {
		letters = append(letters, process.Option{Value: string(k), Label: process.LetterNames[k]})
	}
	return map[string][]process.Option{process.SourceClientCases: cases, process.SourceLetters: letters}
}

// Download returns a document's file. A letter without a PDF is rendered
// now when a renderer is configured (outside any transaction) and the PDF
// kept; without one, its HTML is served and NoPDF says why.
func (s *Documents) Download(ctx context.Context, a Actor, clientID, id int64) (_ DocumentFile, err error) {
	defer wrap(&err, "Download(clientID=%d, id=%d)", clientID, id)
	if err := mayEver(a, process.ActSeeDocuments); err != nil {
		return DocumentFile{}, err
	}
	d, err := read(ctx, s.store, func(tx DocumentAreaTx) (Document, error) {
		if _, err := s.knowClient(ctx, tx, a, process.ActSeeDocuments, clientID); err != nil {
			return Document{}, err
		}
		d, err := tx.DocumentByID(ctx, id)
		if err != nil || d.ClientID != clientID {
			// Another client's document is not found here: the page or URL
			// named this client, and ids are not to be guessed across.
			return Document{}, NotFound("Het document")
		}
		return d, nil
	})
	if err != nil {
		return DocumentFile{}, err
	}
	data, err := documentBytes(ctx, s.core, s.store, d)
	if err != nil && !d.HasContent && d.HTML != "" {
		// The renderer failed (a browser that will not start): the letter
		// is still there, as HTML.
		s.log.ErrorContext(ctx, "letter not rendered; served as HTML", "document_id", d.ID, "err", err)
		data, err = nil, nil
	}
	if err != nil {
		return DocumentFile{}, err
	}
	if data != nil {
		ct := d.ContentType
		if ct == "" {
			ct = ContentPDF // rendered just now
		}
		return DocumentFile{Name: d.FileName, ContentType: ct, Data: data}, nil
	}
	return DocumentFile{Name: strings.TrimSuffix(d.FileName, ".pdf") + ".html", ContentType: ContentHTML, Data: []byte(d.HTML), NoPDF: true}, nil
}

// documentBytes returns the stored bytes of d, rendering and keeping a
// letter's PDF first when it has none and a renderer is configured. It
// returns nil for a letter that has no PDF and cannot get one.
func documentBytes[T DocumentTx](ctx context.Context, s *core, st Transactor[T], d Document) ([]byte, error) {
	if d.HasContent {
		return read(ctx, st, func(tx T) ([]byte, error) { return tx.DocumentContent(ctx, d.ID) })
	}
	if s.pdf == nil || d.HTML == "" {
		return nil, nil
	}
	start := time.Now()
	pdf, err := s.pdf.PDF(ctx, d.HTML)
	if err != nil {
		return nil, fmt.Errorf("render PDF of document %d: %w", d.ID, err)
	}
	s.log.InfoContext(ctx, "letter rendered", "document_id", d.ID, "bytes", len(pdf), "ms", time.Since(start).Milliseconds())
	var stored []byte
	err = st.Update(ctx, func(tx T) error {
		ok, err := tx.SetDocumentPDF(ctx, d.ID, pdf, s.clock.Now().UTC())
		if err != nil || ok {
			stored = pdf
			return err
		}
		// Rendered meanwhile by another request: serve the one kept.
		stored, err = tx.DocumentContent(ctx, d.ID)
		return err
	})
	return stored, err
}

// The refusals of an upload, each written once.
const (
	msgUploadMissing = "Kies een bestand om te uploaden."
	msgUploadType    = "Dit bestand is geen PDF, PNG of JPEG. Upload een PDF-bestand of een foto (PNG of JPEG)."
)

// Upload adds a file to one of the client's cases. Its type is decided by
// its content, never by its name or the type the browser gave: a PDF, a
// PNG or a JPEG is kept as what it is, anything else is refused. A file
// larger than the limit is refused; the form keeps its title.
func (s *Documents) Upload(ctx context.Context, a Actor, clientID int64, up Upload) (_ Document, err error) {
	defer wrap(&err, "Upload(clientID=%d)", clientID)
	if err := mayEver(a, process.ActAddDocument); err != nil {
		return Document{}, err
	}
	var d Document
	err = s.store.Update(ctx, func(tx DocumentAreaTx) error {
		cases, opts, err := s.documentOptions(ctx, tx, a, process.ActAddDocument, clientID)
		if err != nil {
			return err
		}
		in, errs, err := s.input(process.UploadForm(), up.Values, opts, s.env(s.def))
		if err != nil {
			return err
		}
		size := max(up.Size, int64(len(up.Data)))
		ct := ""
		switch limit := s.uploadLimit(); {
		case size == 0:
			errs.Add(process.FieldFile, msgUploadMissing)
		case size > limit:
			errs.Add(process.FieldFile, tooLarge(size, limit))
		default:
			if ct = SniffDocument(up.Data); ct == "" {
				errs.Add(process.FieldFile, msgUploadType)
			}
		}
		if err := errs.Err(); err != nil {
			return err
		}
		c := caseOf(cases, parseID(in.Text(process.FieldCase)))
		ext := map[string]string{ContentPDF: ".pdf", ContentPNG: ".png", ContentJPEG: ".jpg"}[ct]
		title := in.Text(process.FieldTitle)
		d = Document{ClientID: clientID, CaseID: c.ID, Kind: process.DocumentUpload, Title: title,
			FileName: fileName(title, s.today(), ext), ContentType: ct, Status: DocumentStored,
			CreatedBy: a.User.ID, CreatedByName: a.User.Name, CreatedAt: s.clock.Now().UTC()}
		if err := tx.AddDocument(ctx, &d, up.Data); err != nil {
			return err
		}
		return s.event(ctx, tx, a, clientID, c.ID, 0, "document",
			fmt.Sprintf("Document %q geüpload bij %s (%s, %s).", title, c.Code, documentTypeName(ct), FormatSize(d.Size)), "")
	})
	return d, err
}

// tooLarge is the refusal of a file of size bytes over the limit.
func tooLarge(size, limit int64) string {
	return fmt.Sprintf("Dit bestand is %s groot; een document mag hoogstens %s zijn. Maak het kleiner (bijvoorbeeld een scan in lagere resolutie) of splits het.",
		FormatSize(size), FormatSize(limit))
}

// UploadTooLarge is the refusal of an upload whose request is too large to
// read at all (size bytes, as its Content-Length says), for an adapter
// that stops before the use case runs: the same words as Upload's.
func (s *Documents) UploadTooLarge(size int64) error {
	return &Error{Code: CodeInvalid, Message: "Het bestand is te groot.", Fields: Fields{process.FieldFile: tooLarge(size, s.uploadLimit())}}
}

// documentTypeName names a content type for people.
func documentTypeName(ct string) string {
	switch ct {
	case ContentPDF:
		return "PDF"
	case ContentPNG:
		return "PNG-afbeelding"
	case ContentJPEG:
		return "JPEG-afbeelding"
	}
	return ct
}

// SniffDocument decides an upload's type by its content: the signatures
// with which the PDF, PNG and JPEG formats begin (the same net/http's
// DetectContentType looks for), and a little of their structure: a PDF
// ends in %%EOF, a PNG's first chunk is its header. It returns "" for
// anything else, whatever its name says.
func SniffDocument(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("%PDF-")):
		tail := b[max(0, len(b)-1024):]
		if bytes.Contains(tail, []byte("%%EOF")) {
			return ContentPDF
		}
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		if len(b) > 16 && string(b[12:16]) == "IHDR" {
			return ContentPNG
		}
	case bytes.HasPrefix(b, []byte("\xFF\xD8\xFF")):
		if len(b) > 4 {
			return ContentJPEG
		}
	}
	return ""
}

// FormatSize writes a number of bytes for people: "812 kB", "12,3 MB".
func FormatSize(n int64) string {
	switch {
	case n >= 1<<20:
		mb := float64(n) / (1 << 20)
		if mb == float64(int64(mb)) {
			return fmt.Sprintf("%d MB", int64(mb))
		}
		return strings.Replace(fmt.Sprintf("%.1f MB", mb), ".", ",", 1)
	case n >= 1<<10:
		return fmt.Sprintf("%d kB", (n+512)>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// RequestLetter makes a letter of process.RequestableLetters for one of the
// client's cases and sends it.
func (s *Documents) RequestLetter(ctx context.Context, a Actor, clientID int64, v Values) (_ Document, err error) {
	defer wrap(&err, "RequestLetter(clientID=%d)", clientID)
	if err := mayEver(a, process.ActSendLetter); err != nil {
		return Document{}, err
	}
	var d Document
	err = s.store.Update(ctx, func(tx DocumentAreaTx) error {
		cases, opts, err := s.documentOptions(ctx, tx, a, process.ActSendLetter, clientID)
		if err != nil {
			return err
		}
		in, errs, err := s.input(process.LetterRequestForm(), v, opts, s.env(s.def))
		if err != nil {
			return err
		}
		if err := errs.Err(); err != nil {
			return err
		}
		c := caseOf(cases, parseID(in.Text(process.FieldCase)))
		d, err = s.sendLetter(ctx, tx, a, LetterRequest{Key: process.LetterKey(in.Text(process.FieldLetter)), ClientID: clientID, CaseID: c.ID})
		var e *Error
		if errors.As(err, &e) && e.Code == CodeInvalid && len(e.Fields) == 0 {
			// What the letter lacks is said at the choice of the letter.
			e.Fields = Fields{process.FieldLetter: e.Message}
		}
		return err
	})
	return d, err
}

// PreviewLetter renders a letter template with invented data, for the
// functioneel beheerder who checks the templates and the letterhead.
func (s *Documents) PreviewLetter(ctx context.Context, a Actor, key process.LetterKey, pdf bool) (_ LetterPreview, err error) {
	defer wrap(&err, "PreviewLetter(%s)", key)
	if err := Authorize(a, process.ActPreviewLetters, process.RelNone); err != nil {
		return LetterPreview{}, err
	}
	if !process.KnownLetter(key) {
		return LetterPreview{}, NotFound("De brief")
	}
	d := ExampleLetter(key, s.today(), termCalendar(s.def), s.letterSender(), s.def.Policy)
	r, err := s.letters.Letter(d)
	if err != nil {
		return LetterPreview{}, err
	}
	p := LetterPreview{Key: key, Title: d.Title, Letter: r}
	if pdf && s.pdf != nil {
		if p.PDF, err = s.pdf.PDF(ctx, r.HTML); err != nil {
			return LetterPreview{}, err
		}
	}
	return p, nil
}

// PreviewStepLetter renders the letter that completing the task with the
// values v would send, without writing anything: the refusal's letter
// shown before it is sent. It returns "" when the step sends no letter
// with these values (no outcome chosen yet, or another outcome).
func (s *Documents) PreviewStepLetter(ctx context.Context, a Actor, taskID int64, v Values) (_ string, err error) {
	defer wrap(&err, "PreviewStepLetter(taskID=%d)", taskID)
	if err := mayEver(a, process.ActSeeDocuments); err != nil {
		return "", err
	}
	var html string
	err = s.tasks.store.View(ctx, func(tx Tx) error {
		tc, err := s.tasks.loadTask(ctx, tx, taskID)
		if err != nil {
			return err
		}
		if _, err := s.knowClient(ctx, tx, a, process.ActSeeDocuments, tc.task.ClientID); err != nil {
			return err
		}
		form, err := s.tasks.taskForm(ctx, tx, tc, a)
		if err != nil {
			return err
		}
		opts, err := s.tasks.options(ctx, tx, tc)
		if err != nil {
			return err
		}
		// The letter is made from what a completion would accept: the
		// form's checks run, all but the confirmation that the letter was
		// seen, and their messages come back as for a completion.
		in, errs := decode(form, v, opts)
		outcome := in.Set(process.SetsOutcome)
		if err := runChecks(s.tasks.checkEnv(ctx, tx, tc, outcome), form, in, errs); err != nil {
			return err
		}
		delete(errs, process.FieldLetterChecked)
		if err := errs.Err(); err != nil {
			return err
		}
		for _, e := range tc.step.Effects {
			if e.Effect != process.EffectSendLetter {
				continue
			}
			if o, ok := e.Params[process.ParamOutcome]; ok && o != outcome {
				continue
			}
			req := stepLetter(tc, in, e.Params)
			data, _, err := s.letterData(ctx, tx, a, req, tc.client, letterChannel(tc.client))
			if err != nil {
				return err
			}
			r, err := s.letters.Letter(data)
			if err != nil {
				return err
			}
			html = r.HTML
			return nil
		}
		return nil
	})
	return html, err
}

// stepLetter is the letter an effect send_letter asks for: its parameters
// name the fields of the step's form that hold the letter's details.
func stepLetter(tc taskCtx, in Input, p process.Params) LetterRequest {
	caseID := tc.task.CaseID
	return LetterRequest{Key: process.LetterKey(p[process.ParamLetter]), ClientID: tc.client.ID, CaseID: caseID, TaskID: tc.task.ID,
		Details: LetterDetails{Date: in.Date(p[process.ParamDate]), Due: in.Date(p[process.ParamDue]), StartOn: in.Date(p[process.ParamStartOn]),
			Reasons: in.Text(p[process.ParamReason]), Ground: in.Text(p[process.ParamGround])}}
}

// applySendLetter is the effect send_letter: the letter of ParamLetter for
// the step's client and case. (ParamOutcome is applied by the rules: the
// effect runs only with that outcome.)
func applySendLetter(r *stepRun, p process.Params, _ any) error {
	_, err := r.s.sendLetter(r.ctx, r.tx, r.actor, stepLetter(*r.tc, r.in, p))
	return err
}

// ExampleLetter is invented data for a preview of a letter template: a
// client who does not exist, dates around today. termCal is the calendar
// of the Algemene termijnenwet (the objection date).
func ExampleLetter(key process.LetterKey, today time.Time, termCal *process.Calendar, sender LetterSender, pol process.Policy) LetterData {
	applied := process.AddDays(today, -20)
	d := LetterData{Key: key, Title: process.LetterNames[key], Date: today, Reference: pol.ApplicationCode + "-1234", Channel: LetterByPost,
		Sender: sender, Caseworker: "Sanne de Voorbeeld",
		Client: LetterClient{Name: "Jan Voorbeeld", AddressLines: []string{"Voorbeeldstraat 1", "2981 AB Ridderkerk"}, BSN: "123456782", Number: "1234"},
		Case: LetterCase{Code: pol.ApplicationCode, Name: pol.ApplicationName, AppliedOn: applied, ReportedOn: process.AddDays(applied, -3),
			DecisionDue: process.AddDays(applied, pol.DecisionTermDays), Channel: ChannelDigital}}
	switch key {
	case process.LetterToekenning:
		d.Decision = &LetterDecision{Granted: true, DecidedOn: today, StartOn: d.Case.ReportedOn,
			Reasons:      "Uw inkomen en vermogen zijn lager dan de grens. U woont alleen. U hebt recht op bijstand voor een alleenstaande.",
			ObjectionDue: process.ObjectionDue(today, termCal)}
	case process.LetterAfwijzing:
		d.Decision = &LetterDecision{DecidedOn: today,
			Reasons: "U hebt een spaarrekening met meer geld dan de vermogensgrens. Daarom kunt u nu zelf in uw levensonderhoud voorzien.",
			Ground:  "artikel 34, eerste en derde lid, Participatiewet", ObjectionDue: process.ObjectionDue(today, termCal)}
	case process.LetterAanvulling:
		d.Completion = &LetterCompletion{Missing: "Uw bankafschriften van de laatste drie maanden.\nEen kopie van uw huurcontract.",
			Due: process.AddDays(today, 14)}
	case process.LetterVerdaging:
		d.Delay = &LetterDelay{NewDate: process.AddDays(d.Case.DecisionDue, 28),
			Reasons: "Wij wachten nog op gegevens van het UWV over uw WW-uitkering."}
	case process.LetterUitnodiging:
		start := time.Date(today.Year(), today.Month(), today.Day(), 10, 0, 0, 0, process.Amsterdam).AddDate(0, 0, 7)
		d.Appointment = &LetterAppointment{Change: changeNew, Kind: process.AppointmentKindClientNames[process.AppointmentIntake],
			Purpose: process.AppointmentKindPurposes[process.AppointmentIntake], Start: start, End: start.Add(45 * time.Minute),
			Place: "Spreekkamer 1, Gemeentehuis, begane grond", Address: sender.Address, With: "Sanne de Voorbeeld"}
	case process.LetterPlan:
		d.Plan = &LetterPlan{Version: 1, Situation: "U zoekt werk in de logistiek. U hebt een rijbewijs B.",
			LadderNow: ladderName(pol, 3), LadderTarget: ladderName(pol, 6), Segment: "Werk",
			Goals:        "Binnen zes maanden betaald werk voor minstens 24 uur per week.",
			Obligations:  "U schrijft elke week op twee vacatures. U komt naar de afspraken met uw klantmanager.",
			Consequences: "Als u zich niet aan deze afspraken houdt, kunnen wij uw uitkering een tijd verlagen (artikel 18 Participatiewet).",
			Trajectories: []LetterTrajectory{{Provider: "Hallo Werk", Goal: "Een baan vinden", Activities: []string{"Profiel maken", "Twee keer per week solliciteren"}}},
			EvaluationOn: process.AddDays(today, 182), Owner: "Sanne de Voorbeeld"}
	case process.LetterMelding:
		d.Melding = &LetterMelding{ReportedOn: today, ApplyFrom: process.MeldingApplyFrom(today), Search: process.TermLength(7 * process.MeldingSearchWeeks),
			MinimumAge: pol.MinimumAge}
	}
	return d
}
