package casework_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/demo"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
)

// fakePDF "prints" a letter: a minimal PDF that carries the letter's
// length, counting its calls, so tests see when rendering happens.
type fakePDF struct{ calls atomic.Int32 }

func (f *fakePDF) PDF(_ context.Context, html string) ([]byte, error) {
	f.calls.Add(1)
	return []byte("%PDF-1.7\n% letter of " + strings.Repeat("x", len(html)%50) + "\n%%EOF\n"), nil
}

// letterOf returns the client's document of the letter key, failing when
// there is none.
func letterOf(t *testing.T, e *casetest.Env, clientID int64, key process.LetterKey) casework.Document {
	t.Helper()
	docs, err := e.Svc.ClientDocuments(ctx, e.Actor(process.RoleTeamleider), clientID)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if d.Kind == string(key) {
			return d
		}
	}
	t.Fatalf("no %s among the documents %+v", key, docs)
	return casework.Document{}
}

// TestDecisionLetterByEmail: completing "Besluit op aanvraag" with a grant
// makes the grant letter (not the refusal), stores it as a document and
// mails it with its PDF attached on delivery; the PDF is rendered once,
// outside the step, and kept.
func TestDecisionLetterByEmail(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) { decisionLetterByEmail(t, engine) })
	}
}

func decisionLetterByEmail(t *testing.T, engine string) {
	{
		pdf := &fakePDF{}
		e := casetest.NewWithPDF(t, engine, pdf)
		app := e.Apply(t)
		besluit := e.WalkTo(t, app, "", process.StepBesluit)
		if err := e.Walker.Complete(ctx, casework.TaskView{Task: besluit}, demo.Choice{}); err != nil {
			t.Fatal(err)
		}
		if n := pdf.calls.Load(); n != 0 {
			t.Errorf("the step rendered %d PDFs inside its transaction", n)
		}
		d := letterOf(t, e, app.ClientID, process.LetterToekenning)
		if d.Channel != casework.LetterByEmail || d.Status != casework.DocumentByEmail || d.MessageID == 0 || d.HasContent {
			t.Fatalf("grant letter = %+v", d)
		}
		docs, _ := e.Svc.ClientDocuments(ctx, e.Actor(process.RoleTeamleider), app.ClientID)
		for _, x := range docs {
			if x.Kind == string(process.LetterAfwijzing) {
				t.Errorf("a grant also made the refusal letter")
			}
		}
		m, err := e.Svc.Outgoing(ctx, d.MessageID)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Files) != 1 || m.Files[0].ContentType != casework.ContentPDF || !bytes.HasPrefix(m.Files[0].Body, []byte("%PDF-")) ||
			!strings.HasSuffix(m.Files[0].Name, ".pdf") {
			t.Fatalf("the mail's attachments = %+v", m.Files)
		}
		for _, want := range []string{"u krijgt een bijstandsuitkering", "artikel 11", "Bent u het niet eens met dit besluit?", "bezwaar"} {
			if !strings.Contains(m.HTML, want) || !strings.Contains(m.Body, want) {
				t.Errorf("the mail lacks %q", want)
			}
		}
		// Delivered again (a retry): the kept PDF, not a second render.
		if _, err := e.Svc.Outgoing(ctx, d.MessageID); err != nil {
			t.Fatal(err)
		}
		if n := pdf.calls.Load(); n != 1 {
			t.Errorf("rendered %d times, want once", n)
		}
		f, err := e.Svc.Download(ctx, e.Actor(process.RolePoortwachter), app.ClientID, d.ID)
		if err != nil || f.ContentType != casework.ContentPDF || f.NoPDF || !bytes.Equal(f.Data, m.Files[0].Body) {
			t.Fatalf("download = %+v, %v", f.Name, err)
		}
	}
}

// TestRefusalLetterByPost: a client without e-mail gets the refusal by
// post: it waits to be printed, Team Ondersteuning gets the task, and
// completing it records "per post afgedrukt" with date and who on the
// letters. The posted decision may show the BSN; without a renderer the
// letter downloads as HTML, saying so.
func TestRefusalLetterByPost(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *casetest.Env) {
		p := e.Person()
		p.Email = ""
		app, err := e.Walker.Apply(ctx, p, true)
		if err != nil {
			t.Fatal(err)
		}
		c := demo.Choice{Decision: process.OutcomeGeenToekenning, TargetGroup: "arbeidsbeperkt"}
		besluit := e.WalkChoice(t, app, c, process.StepBesluit)
		v := casetest.ValidValues(t, e, besluit)
		v.Set("besluit", process.OutcomeGeenToekenning)
		v.Del("ingangsdatum")
		v.Set("reden", "Uw vermogen is hoger dan de grens.")
		v.Set(process.FieldLegalGround, "artikel 34 Participatiewet")
		poort := e.Actor(process.RolePoortwachter)
		if besluit.HolderID != 0 {
			poort = casework.Actor{User: e.UserByID(t, besluit.HolderID)}
		}
		if _, err := e.Svc.CompleteTask(ctx, poort, besluit.ID, besluit.Version, v); err != nil {
			t.Fatal(err)
		}
		d := letterOf(t, e, app.ClientID, process.LetterAfwijzing)
		if d.Channel != casework.LetterByPost || d.Status != casework.DocumentToPrint {
			t.Fatalf("refusal letter = %+v", d)
		}
		f, err := e.Svc.Download(ctx, poort, app.ClientID, d.ID)
		if err != nil || !f.NoPDF || f.ContentType != casework.ContentHTML || strings.HasSuffix(f.Name, ".pdf") {
			t.Fatalf("download without a renderer = %s %s %v, %v", f.Name, f.ContentType, f.NoPDF, err)
		}
		html := string(f.Data)
		for _, want := range []string{"Uw vermogen is hoger dan de grens.", "artikel 34 Participatiewet", "artikel 11", p.BSN, "Bent u het niet eens"} {
			if !strings.Contains(html, want) {
				t.Errorf("the posted refusal lacks %q", want)
			}
		}
		var post casework.Task
		for _, tk := range e.File(t, app.ClientID).Tasks {
			if tk.Step == process.StepBriefVersturen && tk.Status == casework.TaskOpen {
				post = tk.Task
			}
		}
		if post.ID == 0 {
			t.Fatal("no task to post the letter")
		}
		top := e.Actor(process.RoleTeamOndersteuning)
		if _, err := e.Svc.CompleteTask(ctx, top, post.ID, post.Version, casework.Values{"brief_verstuurd": {"ja"}}); err != nil {
			t.Fatal(err)
		}
		d = letterOf(t, e, app.ClientID, process.LetterAfwijzing)
		if d.Status != casework.DocumentPosted || d.PostedByName != top.User.Name || d.PostedAt.IsZero() {
			t.Fatalf("after posting: %+v", d)
		}
		if !strings.Contains(d.StatusText(), "Per post afgedrukt en verstuurd op") {
			t.Errorf("status text %q", d.StatusText())
		}
	})
}

// TestNoBSNInAnyMail walks clients with e-mail through every letter the
// process sends and reads every message to a client: no BSN in a subject,
// a text or an HTML body.
func TestNoBSNInAnyMail(t *testing.T) {
	e := casetest.New(t, "sqlite")
	var bsns []string
	var clients []int64
	for _, c := range []demo.Choice{{}, {Decision: process.OutcomeGeenToekenning}, {TargetGroup: "inrichting"}} {
		p := e.Person()
		app, err := e.Walker.Apply(ctx, p, false)
		if err != nil {
			t.Fatal(err)
		}
		bsns, clients = append(bsns, p.BSN), append(clients, app.ClientID)
		e.WalkChoice(t, app, c, "")
	}
	lead := e.Actor(process.RoleTeamleider)
	mails := 0
	for i, id := range clients {
		kinds := map[string]bool{}
		for _, m := range e.File(t, id).Messages {
			kinds[m.Kind] = true
			if m.To == "" {
				continue
			}
			mails++
			for _, part := range []string{m.Subject, m.Body, m.HTML} {
				for _, bsn := range bsns {
					if strings.Contains(part, bsn) {
						t.Errorf("client %d: message %q holds a BSN", i, m.Kind)
					}
				}
			}
		}
		if !kinds["Ontvangstbevestiging"] {
			t.Errorf("client %d got no receipt: %v", i, kinds)
		}
		docs, err := e.Svc.ClientDocuments(ctx, lead, id)
		if err != nil || len(docs) < 2 {
			t.Errorf("client %d: documents %d, %v", i, len(docs), err)
		}
	}
	if mails < 6 {
		t.Errorf("only %d mails to read", mails)
	}
}

// pngBytes is the start of a real PNG: signature and header chunk.
var pngBytes = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"), make([]byte, 40)...)

// TestUploads: the type of an upload is its content's, never its name's;
// other content, nothing, or too much is refused in Dutch at the file;
// the title comes back; nobody without the right to see the client gets
// a document.
func TestUploads(t *testing.T) {
	cfg := casework.DefaultConfig()
	cfg.UploadMaxBytes = 1000
	e := casetest.NewWithConfig(t, "sqlite", cfg)
	app := e.Apply(t)
	// The intake is open on the Poort's worklist: a poortwachter needs to
	// know the client.
	km := e.Actor(process.RolePoortwachter)
	vals := func(title string) casework.Values {
		return casework.Values{process.FieldCase: {itoa(app.ID)}, process.FieldTitle: {title}}
	}
	// A PNG named scan.pdf is kept as a PNG.
	d, err := e.Svc.Upload(ctx, km, app.ClientID, casework.Upload{Values: vals("Loonstrook maart"), Data: pngBytes})
	if err != nil {
		t.Fatal(err)
	}
	if d.ContentType != casework.ContentPNG || !strings.HasSuffix(d.FileName, ".png") || d.Size != int64(len(pngBytes)) || d.SHA256 == "" {
		t.Fatalf("upload = %+v", d)
	}
	if got := http.DetectContentType(pngBytes); got != casework.ContentPNG {
		t.Errorf("net/http reads the test PNG as %s", got)
	}
	f, err := e.Svc.Download(ctx, km, app.ClientID, d.ID)
	if err != nil || !bytes.Equal(f.Data, pngBytes) || f.ContentType != casework.ContentPNG {
		t.Fatalf("download = %v, %v", f.ContentType, err)
	}
	for _, bad := range []struct {
		name string
		data []byte
		want string
	}{
		{"html named .pdf", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), "geen PDF, PNG of JPEG"},
		{"a PDF's start without its end", []byte("%PDF-1.7\n1 0 obj <<>>"), "geen PDF, PNG of JPEG"},
		{"nothing", nil, "Kies een bestand"},
		{"too large", append([]byte("%PDF-1.7\n"), make([]byte, 2000)...), "mag hoogstens 1000 bytes zijn"},
	} {
		_, err := e.Svc.Upload(ctx, km, app.ClientID, casework.Upload{Values: vals("Iets"), Data: bad.data})
		wantField(t, err, casework.CodeInvalid, process.FieldFile, bad.want)
	}
	// Too large as the adapter saw it: it stopped reading at the limit.
	_, err = e.Svc.Upload(ctx, km, app.ClientID, casework.Upload{Values: vals("Scan"), Data: pngBytes, Size: 5 << 20})
	wantField(t, err, casework.CodeInvalid, process.FieldFile, "Dit bestand is 5 MB groot")
	_, err = e.Svc.Upload(ctx, km, app.ClientID, casework.Upload{Values: vals("BSN 123456782"), Data: pngBytes})
	wantField(t, err, casework.CodeInvalid, process.FieldTitle, "BSN")

	// The functioneel beheerder has no right to see clients: no document.
	admin := e.Actor(process.RoleBeheerder)
	if _, err := e.Svc.Download(ctx, admin, app.ClientID, d.ID); casework.ErrorCode(err) != casework.CodeForbidden {
		t.Errorf("admin download: %v", err)
	}
	if _, err := e.Svc.ClientDocuments(ctx, admin, app.ClientID); casework.ErrorCode(err) != casework.CodeForbidden {
		t.Errorf("admin list: %v", err)
	}
	// Another client's id in the URL: not found, not the document.
	other := e.Apply(t)
	if _, err := e.Svc.Download(ctx, km, other.ClientID, d.ID); casework.ErrorCode(err) != casework.CodeNotFound {
		t.Errorf("download through another client: %v", err)
	}
	// The upload is a line of the client's history.
	found := false
	for _, ev := range e.File(t, app.ClientID).Events {
		found = found || (ev.Kind == "document" && strings.Contains(ev.Summary, "Loonstrook maart"))
	}
	if !found {
		t.Error("no history line of the upload")
	}
}

// TestRequestLetter: a caseworker has the plan van aanpak made for
// signature; a letter a step makes is not on offer, and an invitation
// without an appointment is refused at the choice.
func TestRequestLetter(t *testing.T) {
	e := casetest.New(t, "sqlite")
	app := e.Apply(t)
	e.WalkTo(t, app, "", process.StepStartBegeleiding)
	f := e.File(t, app.ClientID)
	if f.Participation == nil || f.Plan == nil {
		t.Fatal("no dossier with a plan")
	}
	km := e.Actor(process.RoleKMWerk)
	d, err := e.Svc.RequestLetter(ctx, km, app.ClientID, casework.Values{process.FieldCase: {itoa(f.Participation.ID)},
		process.FieldLetter: {string(process.LetterPlan)}})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := e.Svc.Download(ctx, km, app.ClientID, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{f.Plan.Goals, "artikel 44a", "artikel 9", "artikel 18", "Ondertekening", "Handtekening"} {
		if !strings.Contains(string(doc.Data), want) {
			t.Errorf("the plan letter lacks %q", want)
		}
	}
	_, err = e.Svc.RequestLetter(ctx, km, app.ClientID, casework.Values{process.FieldCase: {itoa(app.ID)},
		process.FieldLetter: {string(process.LetterAfwijzing)}})
	wantField(t, err, casework.CodeInvalid, process.FieldLetter, "")
	other := e.Apply(t)
	// A new client: the Poort needs to know them, KM Werk does not.
	_, err = e.Svc.RequestLetter(ctx, km, other.ClientID, casework.Values{process.FieldCase: {itoa(other.ID)},
		process.FieldLetter: {string(process.LetterUitnodiging)}})
	if _, ok := casework.ReasonNeeded(err); !ok {
		t.Errorf("KM Werk without need-to-know: %v, want a reason asked", err)
	}
	_, err = e.Svc.RequestLetter(ctx, e.Actor(process.RolePoortwachter), other.ClientID, casework.Values{process.FieldCase: {itoa(other.ID)},
		process.FieldLetter: {string(process.LetterUitnodiging)}})
	wantField(t, err, casework.CodeInvalid, process.FieldLetter, "geen geplande afspraak")
}

// TestPreviews: the functioneel beheerder sees every template with
// invented data; a caseworker does not. A refusal's letter shows before the
// step is completed, from what is typed.
func TestPreviews(t *testing.T) {
	e := casetest.New(t, "sqlite")
	admin := e.Actor(process.RoleBeheerder)
	for _, k := range process.LetterKeys() {
		p, err := e.Svc.PreviewLetter(ctx, admin, k, true)
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		if !strings.Contains(p.Letter.HTML, `<html lang="nl">`) || !strings.Contains(p.Letter.HTML, "Jan Voorbeeld") || p.PDF != nil {
			t.Errorf("%s: preview without its parts (or a PDF without a renderer)", k)
		}
	}
	if _, err := e.Svc.PreviewLetter(ctx, e.Actor(process.RoleKMWerk), process.LetterOntvangst, false); casework.ErrorCode(err) != casework.CodeForbidden {
		t.Errorf("caseworker preview: %v", err)
	}
	app := e.Apply(t)
	besluit := e.WalkTo(t, app, "", process.StepBesluit)
	poort := e.Actor(process.RolePoortwachter)
	before, err := e.Svc.ClientDocuments(ctx, poort, app.ClientID)
	if err != nil {
		t.Fatal(err)
	}
	html, err := e.Svc.PreviewStepLetter(ctx, poort, besluit.ID, casework.Values{"besluit": {process.OutcomeGeenToekenning},
		"besluit_datum": {casework.FormatDate(e.Clock.Now())}, "reden": {"Uw inkomen is te hoog."}})
	if err != nil || !strings.Contains(html, "Uw inkomen is te hoog.") || !strings.Contains(html, "u krijgt geen bijstandsuitkering") {
		t.Fatalf("refusal preview: %v\n%s", err, html)
	}
	// A letter is made only from what a completion would accept (all but
	// the confirmation that it was seen): without a decision, none.
	if html, err := e.Svc.PreviewStepLetter(ctx, poort, besluit.ID, casework.Values{}); casework.ErrorCode(err) != casework.CodeInvalid ||
		casework.FieldErrors(err)["besluit"] == "" || html != "" {
		t.Errorf("preview without a decision = %q, %v", html, err)
	}
	if _, err := e.Svc.PreviewStepLetter(ctx, poort, besluit.ID, casework.Values{"besluit": {process.OutcomeGeenToekenning},
		"besluit_datum": {casework.FormatDate(e.Clock.Now())}}); casework.FieldErrors(err)["reden"] == "" {
		t.Errorf("a refusal's letter without reasons: %v", err)
	}
	if docs, _ := e.Svc.ClientDocuments(ctx, poort, app.ClientID); len(docs) != len(before) {
		t.Errorf("a preview stored a document: %d documents, %d before", len(docs), len(before))
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// brokenPDF is a renderer whose browser will not start.
type brokenPDF struct{}

func (brokenPDF) PDF(context.Context, string) ([]byte, error) {
	return nil, errors.New("chromium: not started within 30s")
}

// TestRendererFails: when printing fails, the letter still downloads, as
// HTML, and its mail still goes, with the letter as its body.
func TestRendererFails(t *testing.T) {
	e := casetest.NewWithPDF(t, "sqlite", brokenPDF{})
	app := e.Apply(t)
	d := letterOf(t, e, app.ClientID, process.LetterOntvangst)
	f, err := e.Svc.Download(ctx, e.Actor(process.RolePoortwachter), app.ClientID, d.ID)
	if err != nil || !f.NoPDF || f.ContentType != casework.ContentHTML {
		t.Fatalf("download = %s %v, %v", f.ContentType, f.NoPDF, err)
	}
	m, err := e.Svc.Outgoing(ctx, d.MessageID)
	if err != nil || len(m.Files) != 0 || !strings.Contains(m.Body, "Wij hebben uw aanvraag") {
		t.Fatalf("outgoing = %d files, %v", len(m.Files), err)
	}
}
