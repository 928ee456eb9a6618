package e2e

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestUploadAndLetterPreview: a klantmanager finds the receipt of the
// application among the client's documents, uploads a scan with the form on
// the case page (first refused: an HTML file named .pdf, the title kept),
// and sees it listed; the functioneel beheerder looks at a letter template
// filled with invented data. axe checks every page on the way.
func TestUploadAndLetterPreview(t *testing.T) {
	h := newHarness(t)
	app := h.env.Apply(t)
	casePage := "/klanten/" + strconv.FormatInt(app.ClientID, 10)
	dir := t.TempDir()
	fake := filepath.Join(dir, "loonstrook.pdf")
	scan := filepath.Join(dir, "scan.pdf") // a PNG, whatever its name says
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"), make([]byte, 40)...)
	if err := os.WriteFile(fake, []byte("<!DOCTYPE html><html><body>geen pdf</body></html>"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(scan, png, 0o600); err != nil {
		t.Fatal(err)
	}

	// The intake is on the Poort's worklist: a poortwachter works on the
	// client (need-to-know).
	koen := h.login("pieter")
	koen.visitOK(casePage)
	if row, ok := koen.row("Ontvangstbevestiging van uw aanvraag"); !ok || !strings.Contains(row, "Per e-mail") || !strings.Contains(row, "downloaden") {
		koen.fatalf("documents: the receipt is not listed: %q", row)
	}
	koen.contains(`section[aria-labelledby="documenten"]`, "Geen PDF beschikbaar: er is geen PDF-renderer ingesteld; de brief is bewaard als HTML.")

	koen.fill("titel", "Loonstrook maart")
	koen.do("choose the file", chromedp.SetUploadFiles(chromedp.ID("f-bestand"), []string{fake}))
	if st := koen.submit("Document uploaden"); st != 422 {
		koen.fatalf("an HTML file named .pdf: status %d, want 422", st)
	}
	koen.contains("#f-bestand-fout", "Dit bestand is geen PDF, PNG of JPEG.")
	koen.contains("#foutmeldingen", "Controleer het formulier")
	if got := koen.value("f-titel"); got != "Loonstrook maart" {
		t.Errorf("after the refusal the title holds %q", got)
	}
	koen.do("choose the scan", chromedp.SetUploadFiles(chromedp.ID("f-bestand"), []string{scan}))
	if st := koen.submit("Document uploaden"); st != 200 || koen.path() != casePage {
		koen.fatalf("upload: status %d at %s", st, koen.path())
	}
	koen.contains(".utrecht-alert", `Document "Loonstrook maart" geüpload.`)
	if row, ok := koen.row("Loonstrook maart"); !ok || !strings.Contains(row, "PNG downloaden") || !strings.Contains(row, "Pieter Bakker") {
		koen.fatalf("the upload is not listed as a PNG: %q", row)
	}
	koen.contains(`section[aria-labelledby="historie"]`, `Document "Loonstrook maart" geüpload`)

	bram := h.login("bram")
	bram.visitOK("/beheer/brieven")
	if st := bram.followIn("tr", "Besluit op uw aanvraag: afgewezen", "Bekijken"); st != 200 {
		bram.fatalf("preview: status %d", st)
	}
	bram.contains("h1", "Besluit op uw aanvraag: afgewezen")
	bram.contains("body", "Jan Voorbeeld", "Bent u het niet eens met dit besluit?", "artikel 11")
}
