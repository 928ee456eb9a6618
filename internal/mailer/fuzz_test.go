package mailer_test

import (
	"context"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bar-organisatie/werkdiagnose/internal/mailer"
	"github.com/bar-organisatie/werkdiagnose/internal/mailer/mailtest"
	"github.com/bar-organisatie/werkdiagnose/internal/settings"
)

// FuzzCompose: whatever names, subject and text a mail is given, the
// mailer either refuses it as invalid (permanent, never sent) or writes a
// message that the standard library's parser (net/mail, mime/multipart
// through mailtest.Parse) reads back with exactly one of each address
// header, the recipient and subject as given, and the text as given: no
// typed value can add a header or a recipient.
func FuzzCompose(f *testing.F) {
	f.Add("Team Poort", "Noor de Vries", "noor@example.nl", "Nieuwe taak: intakegesprek", "Goedemorgen,\n\nEr staat een taak klaar.\n")
	f.Add("Öztürk, Ñoël", "a\"b", "x@example.nl", "Uitnodiging\r\nBcc: evil@example.nl", "tekst")
	f.Add("", "=?utf-8?q?evil?=", "geen adres", strings.Repeat("lang onderwerp ", 20), "\r\n.\r\nRCPT TO:<x@y>\r\n")
	f.Fuzz(func(t *testing.T, fromName, toName, to, subject, text string) {
		dir := filepath.Join(t.TempDir(), "pickup")
		snd, err := mailer.New(settings.Mail{PickupDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		m := mailer.Mail{MessageID: "<fuzz-1@werkdiagnose.example.nl>", From: "werkdiagnose@gemeente.example.nl", FromName: fromName,
			To: to, ToName: toName, Subject: subject, Text: text}
		if err := snd.Send(context.Background(), m); err != nil {
			if !mailer.IsPermanent(err) {
				t.Fatalf("a mail refused for its content must be a permanent failure: %v", err)
			}
			return
		}
		entries, err := os.ReadDir(dir)
		if err != nil || len(entries) != 1 {
			t.Fatalf("pickup dir: %v, %d files", err, len(entries))
		}
		raw, err := os.ReadFile(filepath.Join(dir, entries[0].Name()))
		if err != nil {
			t.Fatal(err)
		}
		p, err := mailtest.Parse(raw)
		if err != nil {
			t.Fatalf("the standard parser cannot read the mail: %v\n%s", err, raw)
		}
		for _, h := range []string{"From", "To", "Subject", "Message-Id", "Date"} {
			if n := len(p.Header[h]); n != 1 {
				t.Fatalf("%d %s headers, want 1:\n%s", n, h, raw)
			}
		}
		for _, h := range []string{"Cc", "Bcc", "Reply-To"} {
			if len(p.Header[h]) != 0 {
				t.Fatalf("a typed value added a %s header:\n%s", h, raw)
			}
		}
		rcpt, err := mail.ParseAddress(p.Header.Get("To"))
		if err != nil || rcpt.Address != to {
			t.Fatalf("To reads back as %v (%v), want %q", rcpt, err, to)
		}
		if utf8.ValidString(toName) && rcpt.Name != strings.TrimSpace(toName) && toName != "" {
			t.Fatalf("To name reads back as %q, want %q", rcpt.Name, toName)
		}
		if utf8.ValidString(subject) && p.Subject() != subject {
			t.Fatalf("Subject reads back as %q, want %q", p.Subject(), subject)
		}
		if utf8.ValidString(text) && p.Text != strings.NewReplacer("\r\n", "\n").Replace(text) {
			t.Fatalf("text reads back as %q, want %q", p.Text, text)
		}
	})
}
