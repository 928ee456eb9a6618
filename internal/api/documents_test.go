package api_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/api"
	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// multipartUpload is an upload's body: the fields, then the file with the
// name and type a client claims for it.
func multipartUpload(t *testing.T, fields map[string]string, fileName, fileType string, data []byte) rawBody {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="bestand"; filename="`+fileName+`"`)
	h.Set("Content-Type", fileType)
	fw, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return rawBody{contentType: mw.FormDataContentType(), data: b.Bytes()}
}

var apiPNG = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"), make([]byte, 40)...)

// testDocuments: a caseworker lists a client's documents (the receipt of
// the application), downloads one as an attachment, uploads a PNG named
// .pdf (kept as PNG), is refused an HTML file and a file over the limit,
// and has a letter made; nobody without the right to see the client gets
// a document, and another client's id gives 404.
func testDocuments(t *testing.T, s *server) {
	env := s.env
	app := env.Apply(t)
	km := s.token(t, env.Users[process.RolePoortwachter]) // the intake is on the Poort's worklist

	var list api.DocumentList
	s.call(t, km, "GET", "/api/klanten/{id}/documenten", nil, app.ClientID).want(t, http.StatusOK, &list)
	if len(list.Documents) != 1 || list.Documents[0].Kind != string(process.LetterOntvangst) || list.Documents[0].Channel != "email" || list.PDF {
		t.Fatalf("documents = %+v", list)
	}
	r := s.call(t, km, "GET", "/api/klanten/{id}/documenten/{documentId}", nil, app.ClientID, list.Documents[0].ID).want(t, http.StatusOK, nil)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || !bytes.Contains(r.Body, []byte(`<html lang="nl">`)) {
		t.Errorf("download without a renderer: %s", ct)
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || r.Header.Get("Cache-Control") != "no-store" ||
		r.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("download headers %v", r.Header)
	}

	fields := map[string]string{"werkproces": id(app.ID), "titel": "Huurcontract"}
	var d api.Document
	s.call(t, km, "POST", "/api/klanten/{id}/documenten", multipartUpload(t, fields, "huurcontract.pdf", "application/pdf", apiPNG), app.ClientID).
		want(t, http.StatusCreated, &d)
	if d.ContentType != casework.ContentPNG || !strings.HasSuffix(d.FileName, ".png") || d.Size != int64(len(apiPNG)) {
		t.Errorf("uploaded = %+v", d)
	}
	r = s.call(t, km, "GET", "/api/klanten/{id}/documenten/{documentId}", nil, app.ClientID, d.ID).want(t, http.StatusOK, nil)
	if r.Header.Get("Content-Type") != casework.ContentPNG || !bytes.Equal(r.Body, apiPNG) {
		t.Errorf("download of the upload: %s, %d bytes", r.Header.Get("Content-Type"), len(r.Body))
	}
	p := s.call(t, km, "POST", "/api/klanten/{id}/documenten",
		multipartUpload(t, fields, "brief.pdf", "application/pdf", []byte("<html><script>alert(1)</script></html>")), app.ClientID).
		problem(t, http.StatusUnprocessableEntity)
	if !strings.Contains(fieldMessage(p, "body.bestand"), "geen PDF, PNG of JPEG") {
		t.Errorf("html upload: %+v", p)
	}
	big := append(append([]byte{}, apiPNG...), make([]byte, casework.DefaultUploadLimit+200<<10)...)
	p = s.call(t, km, "POST", "/api/klanten/{id}/documenten", multipartUpload(t, fields, "scan.png", "image/png", big), app.ClientID).
		problem(t, http.StatusUnprocessableEntity)
	if !strings.Contains(fieldMessage(p, "body.bestand"), "hoogstens 10 MB") {
		t.Errorf("too large: %+v", p)
	}

	p = s.call(t, km, "POST", "/api/klanten/{id}/brieven", obj{"velden": obj{"werkproces": id(app.ID), "brief": string(process.LetterPlan)}}, app.ClientID).
		problem(t, http.StatusUnprocessableEntity)
	if !strings.Contains(fieldMessage(p, "body.velden.brief"), "participatiedossier") {
		t.Errorf("plan without a dossier: %+v", p)
	}
	s.call(t, km, "POST", "/api/klanten/{id}/brieven", obj{"velden": obj{"werkproces": id(app.ID), "brief": string(process.LetterOntvangst)}}, app.ClientID).
		want(t, http.StatusCreated, &d)
	if d.Kind != string(process.LetterOntvangst) || d.Status != casework.DocumentByEmail {
		t.Errorf("letter = %+v", d)
	}

	s.call(t, s.admin, "GET", "/api/klanten/{id}/documenten", nil, app.ClientID).problem(t, http.StatusForbidden)
	s.call(t, s.admin, "GET", "/api/klanten/{id}/documenten/{documentId}", nil, app.ClientID, d.ID).problem(t, http.StatusForbidden)
	other := env.Apply(t)
	s.call(t, km, "GET", "/api/klanten/{id}/documenten/{documentId}", nil, other.ClientID, d.ID).problem(t, http.StatusNotFound)
}

func id(n int64) string { return strconv.FormatInt(n, 10) }
