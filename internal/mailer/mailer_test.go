package mailer_test

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/ics"
	"github.com/bar-organisatie/werkdiagnose/internal/mailer"
	"github.com/bar-organisatie/werkdiagnose/internal/mailer/mailtest"
	"github.com/bar-organisatie/werkdiagnose/internal/settings"
)

func plainConfig(s *mailtest.Server) settings.Mail {
	return settings.Mail{Host: s.Host(), Port: s.Port(), TLS: "none", Timeout: "5s"}
}

func newSender(t *testing.T, c settings.Mail) mailer.Sender {
	t.Helper()
	snd, err := mailer.New(c)
	if err != nil {
		t.Fatalf("New(%s): %v", c.Describe(), err)
	}
	return snd
}

func invitation(t *testing.T) []byte {
	t.Helper()
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	b, err := ics.Build(ics.Event{
		Method: ics.MethodRequest, UID: "afspraak-7@werkdiagnose.example.nl",
		Stamp:   time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC),
		Summary: "Gesprek werkdiagnose", Description: "Café-gesprek; neem mee: paspoort, loonstrook.",
		Location: "Spreekkamer 2, Stadhuisplein 1, Utrecht",
		Start:    time.Date(2027, 6, 15, 10, 0, 0, 0, ams), End: time.Date(2027, 6, 15, 11, 0, 0, 0, ams),
		Organizer: ics.Person{Name: "BAR-organisatie", Email: "afspraken@bar.example.nl"},
		Attendees: []ics.Person{{Name: "Zoë Jansen", Email: "zoe@example.nl"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sampleMail(t *testing.T) mailer.Mail {
	return mailer.Mail{
		MessageID: "<0123456789abcdef@werkdiagnose.example.nl>",
		From:      "afspraken@bar.example.nl", FromName: "BAR-organisatie",
		To: "zoe@example.nl", ToName: "Zoë Jansen",
		Subject: "Uitnodiging: gesprek over uw werk, café é ë",
		Text:    "Beste Zoë,\n\nU bent uitgenodigd voor een gesprek op 15 juni.\nMet vriendelijke groet,\nBAR-organisatie\n",
		HTML:    "<p>Beste Zoë,</p>\n<p>U bent uitgenodigd voor een gesprek op <b>15 juni</b>.</p>\n",
		Date:    time.Date(2026, 11, 28, 13, 0, 0, 0, time.UTC),
		Calendar: &mailer.Attachment{
			ContentType: ics.ContentType(ics.MethodRequest),
			Data:        invitation(t),
		},
	}
}

func TestSendInvitation(t *testing.T) {
	srv := mailtest.Start(t)
	m := sampleMail(t)
	if err := newSender(t, plainConfig(srv)).Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got := srv.WaitFor(t, 1, 5*time.Second)[0]
	if got.From != m.From || len(got.To) != 1 || got.To[0] != m.To {
		t.Errorf("envelope from %q to %q", got.From, got.To)
	}
	p, err := mailtest.Parse(got.Data)
	if err != nil {
		t.Fatal(err)
	}
	if id := p.Header.Get("Message-ID"); id != m.MessageID {
		t.Errorf("Message-ID = %q, want %q", id, m.MessageID)
	}
	if from, err := p.Header.AddressList("From"); err != nil || len(from) != 1 || from[0].Address != m.From || from[0].Name != m.FromName {
		t.Errorf("From = %v, %v", from, err)
	}
	if to, err := p.Header.AddressList("To"); err != nil || len(to) != 1 || to[0].Address != m.To || to[0].Name != m.ToName {
		t.Errorf("To = %v, %v", to, err)
	}
	if s := p.Subject(); s != m.Subject {
		t.Errorf("Subject = %q, want %q", s, m.Subject)
	}
	if d, err := p.Header.Date(); err != nil || !d.Equal(m.Date) {
		t.Errorf("Date = %v, %v", d, err)
	}
	if a := p.Header.Get("Auto-Submitted"); a != "auto-generated" {
		t.Errorf("Auto-Submitted = %q", a)
	}
	if p.Text != m.Text {
		t.Errorf("Text = %q, want %q", p.Text, m.Text)
	}
	if p.HTML != m.HTML {
		t.Errorf("HTML = %q, want %q", p.HTML, m.HTML)
	}
	if !bytes.Equal(p.Calendar, m.Calendar.Data) {
		t.Errorf("calendar part differs from input:\n%q\n%q", p.Calendar, m.Calendar.Data)
	}
	if len(p.Attachments) != 1 {
		t.Fatalf("attachments = %d, want 1", len(p.Attachments))
	}
	att := p.Attachments[0]
	if att.Filename != "uitnodiging.ics" || att.ContentType != "application/ics" || !bytes.Equal(att.Data, m.Calendar.Data) {
		t.Errorf("attachment %q %s, equal data %v", att.Filename, att.ContentType, bytes.Equal(att.Data, m.Calendar.Data))
	}

	// Structure: mixed { alternative { plain, html, calendar }, attachment }.
	mt := p.Header.Get("Content-Type")
	if !strings.HasPrefix(mt, "multipart/mixed") {
		t.Errorf("top Content-Type = %q, want multipart/mixed", mt)
	}
	var types []string
	for _, part := range p.Parts {
		types = append(types, part.ContentType+"/"+part.Disposition)
	}
	if want := "text/plain/ text/html/ text/calendar/ application/ics/attachment"; strings.Join(types, " ") != want {
		t.Errorf("parts = %q, want %q", strings.Join(types, " "), want)
	}
	cal := p.Parts[2]
	if cal.Params["method"] != "REQUEST" || !strings.EqualFold(cal.Params["charset"], "utf-8") {
		t.Errorf("calendar params = %v", cal.Params)
	}
	alt := bytes.Index(got.Data, []byte("multipart/alternative"))
	if alt < 0 || alt > bytes.Index(got.Data, []byte("text/plain")) {
		t.Error("text parts are not inside a multipart/alternative")
	}
}

func TestSendTextOnly(t *testing.T) {
	srv := mailtest.Start(t)
	m := sampleMail(t)
	m.HTML, m.Calendar = "", nil
	if err := newSender(t, plainConfig(srv)).Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	p, err := mailtest.Parse(srv.WaitFor(t, 1, 5*time.Second)[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Parts) != 1 || p.Parts[0].ContentType != "text/plain" || p.Text != m.Text {
		t.Errorf("parts %+v text %q", p.Parts, p.Text)
	}
}

func TestAuth(t *testing.T) {
	srv := mailtest.Start(t, mailtest.WithAuth("werkdiagnose", "geheim"))
	c := plainConfig(srv)

	if err := newSender(t, c).Send(context.Background(), sampleMail(t)); err == nil {
		t.Error("send without credentials succeeded on a server that requires AUTH")
	}
	c.Username, c.Password = "werkdiagnose", "fout"
	if err := newSender(t, c).Send(context.Background(), sampleMail(t)); err == nil {
		t.Error("send with a wrong password succeeded")
	} else if mailer.IsPermanent(err) {
		t.Errorf("AUTH failure reported as permanent rejection of the mail: %v", err)
	}
	c.Password = "geheim"
	if err := newSender(t, c).Send(context.Background(), sampleMail(t)); err != nil {
		t.Fatalf("send with credentials: %v", err)
	}
	if n := len(srv.WaitFor(t, 1, 5*time.Second)); n != 1 {
		t.Errorf("received %d", n)
	}
}

func TestTemporaryFailure(t *testing.T) {
	srv := mailtest.Start(t)
	srv.FailNext(1)
	snd := newSender(t, plainConfig(srv))
	err := snd.Send(context.Background(), sampleMail(t))
	if err == nil {
		t.Fatal("FailNext: Send succeeded")
	}
	if mailer.IsPermanent(err) {
		t.Errorf("451 reported as permanent: %v", err)
	}
	if err := snd.Send(context.Background(), sampleMail(t)); err != nil {
		t.Fatalf("retry: %v", err)
	}
	srv.WaitFor(t, 1, 5*time.Second)
}

func TestPermanentRejection(t *testing.T) {
	srv := mailtest.Start(t)
	srv.RejectNext(1)
	err := newSender(t, plainConfig(srv)).Send(context.Background(), sampleMail(t))
	if err == nil {
		t.Fatal("RejectNext: Send succeeded")
	}
	if !mailer.IsPermanent(err) {
		t.Errorf("550 not reported as permanent: %v", err)
	}
	if n := len(srv.Received()); n != 0 {
		t.Errorf("received %d after rejection", n)
	}
}

func TestUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	c := settings.Mail{Host: "127.0.0.1", Port: port, TLS: "none", Timeout: "2s"}
	err = newSender(t, c).Send(context.Background(), sampleMail(t))
	if err == nil {
		t.Fatal("send to a closed port succeeded")
	}
	if mailer.IsPermanent(err) {
		t.Errorf("connection error reported as permanent: %v", err)
	}
	if mailer.IsPermanent(nil) {
		t.Error("IsPermanent(nil)")
	}
}

func TestStartTLSMandatoryByDefault(t *testing.T) {
	srv := mailtest.Start(t)
	c := plainConfig(srv)
	c.TLS = "" // default: starttls, mandatory
	err := newSender(t, c).Send(context.Background(), sampleMail(t))
	if err == nil {
		t.Fatal("default TLS policy sent over a server without STARTTLS")
	}
	if mailer.IsPermanent(err) {
		t.Errorf("missing STARTTLS reported as permanent: %v", err)
	}
	if n := len(srv.Received()); n != 0 {
		t.Errorf("received %d", n)
	}
}

func TestStartTLSWithPrivateCA(t *testing.T) {
	srv := mailtest.Start(t, mailtest.WithTLS(), mailtest.WithAuth("u", "p"))
	c := settings.Mail{Host: srv.Host(), Port: srv.Port(), Username: "u", Password: "p", Timeout: "5s"}

	if err := newSender(t, c).Send(context.Background(), sampleMail(t)); err == nil {
		t.Error("STARTTLS with an unknown CA succeeded")
	}
	c.CAFile = srv.CAFile()
	if err := newSender(t, c).Send(context.Background(), sampleMail(t)); err != nil {
		t.Fatalf("STARTTLS with ca_file: %v", err)
	}
	c.TLS = "opportunistic"
	if err := newSender(t, c).Send(context.Background(), sampleMail(t)); err != nil {
		t.Fatalf("opportunistic with ca_file: %v", err)
	}
	srv.WaitFor(t, 2, 5*time.Second)
}

func TestPickupDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pickup")
	snd := newSender(t, settings.Mail{PickupDir: dir})
	m := sampleMail(t)
	for range 2 {
		if err := snd.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("pickup dir holds %d files, want 1: %v", len(entries), entries)
	}
	if name := entries[0].Name(); name != "0123456789abcdef@werkdiagnose.example.nl.eml" {
		t.Errorf("file name = %q", name)
	}
	raw, err := os.ReadFile(filepath.Join(dir, entries[0].Name()))
	if err != nil {
		t.Fatal(err)
	}
	p, err := mailtest.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if p.Header.Get("Message-ID") != m.MessageID || p.Subject() != m.Subject || !bytes.Equal(p.Calendar, m.Calendar.Data) {
		t.Errorf("pickup file content: id %q subject %q", p.Header.Get("Message-ID"), p.Subject())
	}

	// Characters that are valid in a Message-ID but not in a file name
	// stay inside the directory.
	m2 := m
	m2.MessageID = "<../other/id@werkdiagnose.example.nl>"
	if err := snd.Send(context.Background(), m2); err != nil {
		t.Fatal(err)
	}
	entries, err = os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Fatalf("after a second message: %d files, want 2", len(entries))
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || !strings.HasSuffix(e.Name(), ".eml") {
			t.Errorf("unexpected file %q", e.Name())
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "other")); err == nil {
		t.Error("message ID escaped the pickup directory")
	}
}

func TestInvalidMail(t *testing.T) {
	srv := mailtest.Start(t)
	snd := newSender(t, plainConfig(srv))
	for name, mutate := range map[string]func(*mailer.Mail){
		"no message id":    func(m *mailer.Mail) { m.MessageID = "" },
		"message id no @":  func(m *mailer.Mail) { m.MessageID = "<abc>" },
		"bad from":         func(m *mailer.Mail) { m.From = "geen adres" },
		"to with name":     func(m *mailer.Mail) { m.To = "Zoë <zoe@example.nl>" },
		"no text":          func(m *mailer.Mail) { m.Text = " " },
		"subject newline":  func(m *mailer.Mail) { m.Subject = "a\r\nBcc: x@example.nl" },
		"calendar type":    func(m *mailer.Mail) { m.Calendar.ContentType = "text/plain" },
		"calendar no data": func(m *mailer.Mail) { m.Calendar.Data = nil },
	} {
		t.Run(name, func(t *testing.T) {
			m := sampleMail(t)
			mutate(&m)
			err := snd.Send(context.Background(), m)
			if err == nil {
				t.Fatal("Send succeeded")
			}
			if !mailer.IsPermanent(err) {
				t.Errorf("invalid mail not permanent: %v", err)
			}
		})
	}
	if n := len(srv.Received()); n != 0 {
		t.Errorf("server received %d invalid mails", n)
	}
}

// TestNewRefuses: New validates the settings first and makes no sender
// from settings that Validate refuses.
func TestNewRefuses(t *testing.T) {
	for _, c := range []settings.Mail{
		{},
		{Host: "mail.example.nl", TLS: "foo"},
		{Host: "mail.example.nl:587"},
		{Host: "mail.example.nl", CAFile: filepath.Join(t.TempDir(), "ontbreekt.pem")},
	} {
		if c.Validate() == nil {
			t.Fatalf("%+v: valid, want settings Validate refuses", c)
		}
		if _, err := mailer.New(c); err == nil {
			t.Errorf("New accepted invalid %+v", c)
		}
	}
}

func TestContextCancelled(t *testing.T) {
	srv := mailtest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := newSender(t, plainConfig(srv)).Send(ctx, sampleMail(t)); err == nil {
		t.Error("Send with a cancelled context succeeded")
	}
	if err := newSender(t, settings.Mail{PickupDir: t.TempDir()}).Send(ctx, sampleMail(t)); err == nil {
		t.Error("pickup Send with a cancelled context succeeded")
	}
}

// TestSendLetterAsPDF: a letter goes as the mail's text and HTML with its
// PDF as an attachment, byte for byte; a file without a plain name is
// refused before anything is sent.
func TestSendLetterAsPDF(t *testing.T) {
	srv := mailtest.Start(t)
	m := sampleMail(t)
	m.Calendar = nil
	pdf := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{0, 0xff, 0x80, '\n'}, 300)...)
	m.Attachments = []mailer.Attachment{{Name: "besluit-op-uw-aanvraag-2027-01-04.pdf", ContentType: "application/pdf", Data: pdf}}
	if err := newSender(t, plainConfig(srv)).Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	p, err := mailtest.Parse(srv.WaitFor(t, 1, 5*time.Second)[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	if p.Text != m.Text || len(p.Attachments) != 1 {
		t.Fatalf("text %q, attachments %+v", p.Text, p.Attachments)
	}
	a := p.Attachments[0]
	if a.ContentType != "application/pdf" || a.Filename != "besluit-op-uw-aanvraag-2027-01-04.pdf" || !bytes.Equal(a.Data, pdf) {
		t.Errorf("attachment %s %q, %d bytes (want %d)", a.ContentType, a.Filename, len(a.Data), len(pdf))
	}
	m.Attachments[0].Name = "../brief.pdf"
	if err := newSender(t, plainConfig(srv)).Send(context.Background(), m); !mailer.IsPermanent(err) {
		t.Errorf("a file name with a path: %v", err)
	}
}
