package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// upload posts the upload form as a browser does: fields first, then the
// file under the name and type the browser would give it.
func (b *browser) upload(path string, fields map[string]string, fileName, fileType string, data []byte) page {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	h := make(map[string][]string)
	h["Content-Disposition"] = []string{`form-data; name="` + process.FieldFile + `"; filename="` + fileName + `"`}
	h["Content-Type"] = []string{fileType}
	fw, _ := mw.CreatePart(h)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

var testPNG = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"), make([]byte, 40)...)

// TestDocumentsOnTheCasePage: the receipt of the application is listed
// with a download; a caseworker uploads a scan (a PNG named .pdf, kept as
// a PNG), an HTML file named .pdf and a file over the limit are refused in
// Dutch beside the file with the title kept; downloads are attachments
// that are neither sniffed nor cached; the functioneel beheerder gets none.
func TestDocumentsOnTheCasePage(t *testing.T) {
	a := newApp(t)
	app := a.env.Apply(t)
	km := a.loginRole(process.RolePoortwachter) // the intake is on the Poort's worklist
	casePage := "/klanten/" + id(app.ClientID)
	p := km.get(casePage)
	expectStatus(t, p, http.StatusOK)
	row := p.doc.Find("#documenten-tabel tbody tr").First()
	if !strings.Contains(row.Text(), "Ontvangstbevestiging van uw aanvraag") || !strings.Contains(row.Text(), "Per e-mail") {
		t.Fatalf("documents: %q", p.text("#documenten-tabel"))
	}
	if !strings.Contains(p.text(`section[aria-labelledby="documenten"]`), "Geen PDF beschikbaar: er is geen PDF-renderer ingesteld; de brief is bewaard als HTML.") {
		t.Errorf("no notice that letters have no PDF")
	}
	href, _ := row.Find("a").Attr("href")
	d := km.get(href)
	expectStatus(t, d, http.StatusOK)
	for k, want := range map[string]string{"Content-Type": "text/html; charset=utf-8", "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"} {
		if got := d.header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if cd := d.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".html") {
		t.Errorf("Content-Disposition %q", cd)
	}

	caseID := id(app.ID)
	fields := map[string]string{process.FieldCase: caseID, process.FieldTitle: "Loonstrook maart"}
	p = km.upload(casePage+"/documenten", fields, "loonstrook.pdf", "application/pdf", testPNG)
	expectRedirect(t, p, casePage+"#documenten")
	p = km.get(casePage)
	row = p.doc.Find("#documenten-tabel tbody tr:contains('Loonstrook maart')")
	if !strings.Contains(row.Text(), "PNG downloaden") {
		t.Fatalf("uploaded row: %q", row.Text())
	}
	href, _ = row.Find("a").Attr("href")
	d = km.get(href)
	if d.header.Get("Content-Type") != casework.ContentPNG || !strings.Contains(d.header.Get("Content-Disposition"), ".png") || d.body != string(testPNG) {
		t.Errorf("download of the PNG: %s %s", d.header.Get("Content-Type"), d.header.Get("Content-Disposition"))
	}
	if !strings.Contains(p.text(`section[aria-labelledby="historie"]`), `Document "Loonstrook maart" geüpload`) {
		t.Errorf("no history line of the upload")
	}

	fields[process.FieldTitle] = "Brief van de huisbaas"
	p = km.upload(casePage+"/documenten", fields, "brief.pdf", "application/pdf", []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"))
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if msg := p.text("#f-bestand-fout"); !strings.Contains(msg, "geen PDF, PNG of JPEG") {
		t.Errorf("file message %q", msg)
	}
	if got := p.attr("#f-titel", "value"); got != "Brief van de huisbaas" {
		t.Errorf("the title came back as %q", got)
	}
	if href := p.attr("#foutmeldingen a", "href"); href != "#f-bestand" {
		t.Errorf("the summary links to %q", href)
	}
	if p.attr("#f-bestand", "aria-describedby") == "" || p.attr("#f-bestand", "aria-invalid") != "true" {
		t.Errorf("the file input is not tied to its message")
	}

	big := append(append([]byte{}, testPNG...), make([]byte, casework.DefaultUploadLimit)...)
	p = km.upload(casePage+"/documenten", fields, "scan.png", "image/png", big)
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if msg := p.text("#f-bestand-fout"); !strings.Contains(msg, "hoogstens 10 MB") {
		t.Errorf("too large: %q", msg)
	}
	if got := p.attr("#f-titel", "value"); got != "Brief van de huisbaas" {
		t.Errorf("after a file too large the title came back as %q", got)
	}

	// The functioneel beheerder may not see clients: no document.
	admin := a.loginRole(process.RoleBeheerder)
	if p := admin.get(href); p.status != http.StatusForbidden {
		t.Errorf("admin download: status %d", p.status)
	}
	// A document through another client's page: not found.
	other := a.env.Apply(t)
	wrong := strings.Replace(href, casePage, "/klanten/"+id(other.ClientID), 1)
	if p := km.get(wrong); p.status != http.StatusNotFound {
		t.Errorf("download through another client: status %d", p.status)
	}
}

// TestLetterTemplatesPreview: the functioneel beheerder sees every
// template with invented data; a caseworker is refused.
func TestLetterTemplatesPreview(t *testing.T) {
	a := newApp(t)
	admin := a.loginRole(process.RoleBeheerder)
	p := admin.get("/beheer/brieven")
	expectStatus(t, p, http.StatusOK)
	if n := p.doc.Find("tbody tr").Length(); n != len(process.LetterKeys()) {
		t.Errorf("%d templates listed", n)
	}
	for _, k := range process.LetterKeys() {
		l := admin.get("/beheer/brieven/" + string(k))
		expectStatus(t, l, http.StatusOK)
		if l.attr("html", "lang") != "nl" || !strings.Contains(l.text("title"), process.LetterNames[k]) || !strings.Contains(l.body, "Jan Voorbeeld") {
			t.Errorf("%s: preview %q", k, l.text("title"))
		}
	}
	if p := admin.get("/beheer/brieven/bestaat_niet"); p.status != http.StatusNotFound {
		t.Errorf("unknown template: %d", p.status)
	}
	if p := admin.get("/beheer/brieven/besluit_afwijzing/pdf"); p.status != http.StatusNotFound || !strings.Contains(p.body, "geen PDF-renderer") {
		t.Errorf("PDF without a renderer: %d", p.status)
	}
	km := a.loginRole(process.RoleKMWerk)
	if p := km.get("/beheer/brieven/besluit_afwijzing"); p.status != http.StatusForbidden {
		t.Errorf("caseworker preview: %d", p.status)
	}
}
