package api

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Document is a letter or an uploaded file of a client, without its
// content (GET …/documenten/{documentId} downloads it).
type Document struct {
	ID          int64     `json:"id" doc:"Id van het document."`
	CaseID      int64     `json:"werkproces_id,omitempty" doc:"Id van het werkproces (0/L2 of 17/PA) waar het bij hoort."`
	CaseCode    string    `json:"werkproces,omitempty" doc:"Code van dat werkproces, bijvoorbeeld 0/L2."`
	Kind        string    `json:"soort" doc:"De brief (ontvangstbevestiging, verzoek_aanvulling, verdagingsbericht, besluit_toekenning, besluit_afwijzing, uitnodiging, plan_van_aanpak, melding_jongere) of upload."`
	Title       string    `json:"titel" doc:"Titel van het document."`
	FileName    string    `json:"bestandsnaam" doc:"Naam van het bestand bij downloaden. Bevat nooit een BSN."`
	ContentType string    `json:"type,omitempty" doc:"Type van de opgeslagen inhoud: application/pdf, image/png of image/jpeg. Leeg bij een brief waarvan nog geen PDF is gemaakt."`
	Size        int64     `json:"grootte,omitempty" doc:"Grootte van de opgeslagen inhoud in bytes."`
	SHA256      string    `json:"sha256,omitempty" doc:"SHA-256 van de opgeslagen inhoud (hexadecimaal)."`
	Channel     string    `json:"kanaal,omitempty" enum:"email,post" doc:"Hoe een brief de klant bereikt: per e-mail of per post. Leeg bij een upload."`
	Status      string    `json:"status" enum:"opgeslagen,per_email,wacht_op_afdrukken,per_post_verstuurd,voor_handtekening,getekend" doc:"opgeslagen (upload), per_email (zie bericht_status), wacht_op_afdrukken, per_post_verstuurd; bij het plan van aanpak: voor_handtekening (afgedrukt om te tekenen) of getekend (het plan met de datum van de handtekening)."`
	StatusText  string    `json:"status_tekst" doc:"De verzending in woorden, zoals de klantpagina hem toont."`
	MessageStat string    `json:"bericht_status,omitempty" doc:"Status van het uitgaande bericht van een brief per e-mail: wachtend, opnieuw, verzonden, mislukt of per_post."`
	PostedAt    string    `json:"afgedrukt_op,omitempty" format:"date-time" doc:"Wanneer Team Ondersteuning de brief afdrukte en op de post deed."`
	PostedBy    string    `json:"afgedrukt_door,omitempty" doc:"Wie de brief afdrukte en op de post deed."`
	CreatedBy   string    `json:"gemaakt_door" doc:"Wie de brief liet maken of het document uploadde."`
	CreatedAt   time.Time `json:"gemaakt_op" doc:"Wanneer het document is gemaakt of geüpload."`
}

func documentOut(d casework.Document) Document {
	out := Document{ID: d.ID, CaseID: d.CaseID, CaseCode: d.CaseCode, Kind: d.Kind, Title: d.Title, FileName: d.FileName,
		Channel: d.Channel, Status: d.Status, StatusText: d.StatusText(), MessageStat: d.MessageStatus, CreatedBy: d.CreatedByName,
		CreatedAt: d.CreatedAt.In(process.Amsterdam)}
	if d.HasContent {
		out.ContentType, out.Size, out.SHA256 = d.ContentType, d.Size, d.SHA256
	}
	if !d.PostedAt.IsZero() {
		out.PostedAt, out.PostedBy = d.PostedAt.In(process.Amsterdam).Format(time.RFC3339), d.PostedByName
	}
	return out
}

// DocumentList is a client's documents.
type DocumentList struct {
	Documents []Document `json:"documenten" nullable:"false" doc:"De brieven en documenten van de klant, nieuwste eerst."`
	PDF       bool       `json:"pdf" doc:"Of brieven als PDF te downloaden zijn. Zonder PDF-renderer komen brieven als HTML."`
}

type documentListResponse struct{ Body DocumentList }

type documentResponse struct{ Body Document }

type documentIDRequest struct {
	ID         int64 `path:"id" doc:"Id van de klant."`
	DocumentID int64 `path:"documentId" doc:"Id van het document."`
}

type downloadResponse struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition" doc:"Altijd attachment, met de bestandsnaam."`
	CacheControl       string `header:"Cache-Control" doc:"no-store: documenten worden niet bewaard door tussenliggende systemen."`
	NoSniff            string `header:"X-Content-Type-Options"`
	Body               []byte
}

// uploadForm is the multipart body of an upload. Nothing is required or
// limited here: the use case refuses in Dutch, at the field, what is
// missing or wrong.
type uploadForm struct {
	File  huma.FormFile `form:"bestand" contentType:"application/octet-stream" doc:"Het bestand: een PDF, PNG of JPEG. Het type wordt uit de inhoud gelezen, niet uit de naam of het opgegeven type; een ander bestand wordt geweigerd (422)."`
	Case  string        `form:"werkproces" doc:"Id van het werkproces (0/L2 of 17/PA) van de klant waar het document bij hoort."`
	Title string        `form:"titel" doc:"Titel van het document, hoogstens 300 tekens, zonder BSN."`
}

type uploadDocumentRequest struct {
	ID      int64 `path:"id" doc:"Id van de klant."`
	RawBody huma.MultipartFormFiles[uploadForm]
}

type requestLetterRequest struct {
	ID   int64 `path:"id" doc:"Id van de klant."`
	Body struct {
		Velden Velden `json:"velden" doc:"De velden van het formulier: werkproces en brief; zie de beschrijving van de operatie."`
	}
}

// uploadSlack is what a multipart body may hold besides the file.
const uploadSlack = 64 << 10

func (h *handler) registerDocuments() {
	limit := h.Documents.UploadLimit()
	statics := staticOptions(h.Appointments, h.Process)
	huma.Register(h.api, operation("listDocuments", http.MethodGet, "/api/klanten/{id}/documenten", "Klanten", "Documenten van een klant",
		"Geeft de brieven die het systeem voor de klant maakte en de documenten die medewerkers uploadden, nieuwste eerst, met hoe ze de klant bereikten. "+
			"Alleen voor medewerkers die de klant mogen zien.",
		byIDErrs...), h.listDocuments)

	op := operation("downloadDocument", http.MethodGet, "/api/klanten/{id}/documenten/{documentId}", "Klanten", "Document downloaden",
		"Geeft de inhoud van een document als bijlage: een brief als PDF (bij de eerste download gemaakt), een geüpload bestand zoals het is opgeslagen, "+
			"of, zonder PDF-renderer, een brief als HTML. Een document van een andere klant geeft 404. Alleen voor medewerkers die de klant mogen zien.",
		byIDErrs...)
	op.Responses = map[string]*huma.Response{"200": {
		Description: "De inhoud van het document.",
		Headers: map[string]*huma.Param{
			"Content-Disposition":    {Description: "Altijd attachment, met de bestandsnaam (nooit een BSN).", Schema: &huma.Schema{Type: "string"}},
			"Cache-Control":          {Description: "Altijd no-store.", Schema: &huma.Schema{Type: "string"}},
			"X-Content-Type-Options": {Description: "Altijd nosniff.", Schema: &huma.Schema{Type: "string"}},
		},
		Content: map[string]*huma.MediaType{
			casework.ContentPDF:  {Schema: &huma.Schema{Type: "string", Format: "binary"}},
			casework.ContentPNG:  {Schema: &huma.Schema{Type: "string", Format: "binary"}},
			casework.ContentJPEG: {Schema: &huma.Schema{Type: "string", Format: "binary"}},
			"text/html":          {Schema: &huma.Schema{Type: "string", Format: "binary"}},
		},
	}}
	huma.Register(h.api, op, h.downloadDocument)

	op = operation("uploadDocument", http.MethodPost, "/api/klanten/{id}/documenten", "Klanten", "Document uploaden",
		fmt.Sprintf("Voegt een document toe aan een werkproces van de klant (multipart/form-data met `bestand`, `werkproces` en `titel`). "+
			"Toegestaan zijn PDF, PNG en JPEG tot %s; het type wordt uit de inhoud gelezen. Een ander of te groot bestand geeft 422 met de melding bij `bestand`. "+
			"Het uploaden komt in de historie van de klant.", casework.FormatSize(limit)),
		writeErrs...)
	op.DefaultStatus = http.StatusCreated
	op.MaxBodyBytes = limit + uploadSlack
	op.Middlewares = huma.Middlewares{h.limitUpload(limit + uploadSlack)}
	huma.Register(h.api, op, h.uploadDocument)
	// huma registers a schema of its file type that the multipart body
	// describes inline; an unused component is noise in the document.
	delete(h.api.OpenAPI().Components.Schemas.Map(), "FormFile")

	var letters string
	for _, k := range process.RequestableLetters() {
		letters += fmt.Sprintf("- `%s`: %s\n", k, process.LetterNames[k])
	}
	op = operation("requestLetter", http.MethodPost, "/api/klanten/{id}/brieven", "Klanten", "Brief laten maken",
		"Maakt een brief voor de klant en verstuurt hem: per e-mail (met de brief als PDF) als de klant dat wil en een e-mailadres heeft, "+
			"anders per post (Team Ondersteuning krijgt de taak hem af te drukken en te versturen). De brief komt bij de documenten van de klant. "+
			"Besluiten, verzoeken om aanvulling en verdagingsberichten maakt het systeem bij hun stap; hier kunnen deze brieven:\n\n"+letters+
			"\nVelden:\n\n"+describeForm(process.LetterRequestForm(), statics),
		writeErrs...)
	op.DefaultStatus = http.StatusCreated
	huma.Register(h.api, op, h.requestLetter)
}

// limitUpload stops reading an upload's body past max bytes, and refuses
// one that says beforehand it is larger, in the words of the use case.
func (h *handler) limitUpload(max int64) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		r, w := humago.Unwrap(ctx)
		if r.ContentLength > max {
			_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, 16<<20))
			p := problemFor(h.Documents.UploadTooLarge(r.ContentLength), "body.")
			_ = huma.WriteErr(h.api, ctx, http.StatusUnprocessableEntity, p.Detail, problemFields(p)...)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, max)
		next(ctx)
	}
}

// problemFields are a problem's field messages as huma errors.
func problemFields(p *Problem) []error {
	out := make([]error, 0, len(p.Errors))
	for _, e := range p.Errors {
		out = append(out, &huma.ErrorDetail{Location: e.Location, Message: e.Message})
	}
	return out
}

func (h *handler) listDocuments(ctx context.Context, in *clientIDRequest) (*documentListResponse, error) {
	docs, err := h.Documents.ClientDocuments(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	out := DocumentList{Documents: make([]Document, 0, len(docs)), PDF: h.Documents.PDFAvailable()}
	for _, d := range docs {
		out.Documents = append(out.Documents, documentOut(d))
	}
	return &documentListResponse{Body: out}, nil
}

func (h *handler) downloadDocument(ctx context.Context, in *documentIDRequest) (*downloadResponse, error) {
	f, err := h.Documents.Download(ctx, actorFrom(ctx), in.ID, in.DocumentID)
	if err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	return &downloadResponse{ContentType: f.ContentType, Body: f.Data, CacheControl: "no-store", NoSniff: "nosniff",
		ContentDisposition: mime.FormatMediaType("attachment", map[string]string{"filename": f.Name})}, nil
}

func (h *handler) uploadDocument(ctx context.Context, in *uploadDocumentRequest) (*documentResponse, error) {
	form := in.RawBody.Data()
	up := casework.Upload{Values: casework.Values{process.FieldCase: {form.Case}, process.FieldTitle: {form.Title}}}
	if form.File.IsSet {
		limit := h.Documents.UploadLimit()
		data, err := io.ReadAll(io.LimitReader(form.File, limit+1))
		if err != nil {
			return nil, h.fail(ctx, fmt.Errorf("read upload: %w", err), inBody)
		}
		up.Data, up.Size = data, max(form.File.Size, int64(len(data)))
		if up.Size > limit {
			up.Data = nil
		}
	}
	d, err := h.Documents.Upload(ctx, actorFrom(ctx), in.ID, up)
	if err != nil {
		return nil, h.fail(ctx, err, inBody)
	}
	return &documentResponse{Body: documentOut(d)}, nil
}

func (h *handler) requestLetter(ctx context.Context, in *requestLetterRequest) (*documentResponse, error) {
	d, err := h.Documents.RequestLetter(ctx, actorFrom(ctx), in.ID, in.Body.Velden.values())
	if err != nil {
		return nil, h.fail(ctx, err, inVelden)
	}
	return &documentResponse{Body: documentOut(d)}, nil
}
