package mailtest

import (
	"errors"
	"net/smtp"
	"net/textproto"
	"strings"
	"testing"
	"time"
)

const rawMail = "From: a@example.nl\r\nTo: b@example.nl\r\n" +
	"Subject: =?UTF-8?q?Caf=C3=A9_=C3=AB?=\r\n" +
	"Content-Type: multipart/mixed; boundary=X\r\n\r\n" +
	"--X\r\nContent-Type: multipart/alternative; boundary=Y\r\n\r\n" +
	"--Y\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nCaf=C3=A9=\r\n regel\r\n" +
	"--Y\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\nPHA+w6s8L3A+\r\n" +
	"--Y\r\nContent-Type: text/calendar; method=CANCEL; charset=utf-8\r\n\r\nBEGIN:VCALENDAR\r\n" +
	"--Y--\r\n" +
	"--X\r\nContent-Type: application/ics; name=\"a.ics\"\r\nContent-Disposition: attachment; filename=\"uitnodiging.ics\"\r\nContent-Transfer-Encoding: base64\r\n\r\nQkVHSU4=\r\n" +
	"--X--\r\n"

func TestParse(t *testing.T) {
	p, err := Parse([]byte(rawMail))
	if err != nil {
		t.Fatal(err)
	}
	if p.Subject() != "Café ë" || p.Text != "Café regel" || p.HTML != "<p>ë</p>" || string(p.Calendar) != "BEGIN:VCALENDAR" {
		t.Errorf("subject %q text %q html %q calendar %q", p.Subject(), p.Text, p.HTML, p.Calendar)
	}
	if len(p.Parts) != 4 || len(p.Attachments) != 1 {
		t.Fatalf("parts %d attachments %d", len(p.Parts), len(p.Attachments))
	}
	a := p.Attachments[0]
	if a.Filename != "uitnodiging.ics" || a.Disposition != "attachment" || string(a.Data) != "BEGIN" || p.Parts[2].Params["method"] != "CANCEL" {
		t.Errorf("attachment %+v, calendar params %v", a, p.Parts[2].Params)
	}
	if _, err := Parse([]byte("Content-Type: multipart/mixed\r\n\r\nx")); err == nil {
		t.Error("multipart without boundary parsed")
	}
}

func TestServer(t *testing.T) {
	s := Start(t)
	s.SetDelay(50 * time.Millisecond)
	start := time.Now()
	go func() {
		_ = smtp.SendMail(s.Addr(), nil, "a@example.nl", []string{"b@example.nl", "c@example.nl"},
			[]byte("Subject: x\r\n\r\nhallo\r\n"))
	}()
	got := s.WaitFor(t, 1, 5*time.Second)
	if time.Since(start) < 50*time.Millisecond {
		t.Error("SetDelay ignored")
	}
	r := got[0]
	if r.From != "a@example.nl" || strings.Join(r.To, ",") != "b@example.nl,c@example.nl" || !strings.Contains(string(r.Data), "hallo") || r.At.IsZero() {
		t.Errorf("received %+v", r)
	}
	r.Data[0] = 'X'
	if s.Received()[0].Data[0] == 'X' {
		t.Error("Received does not return a copy")
	}

	s.SetDelay(0)
	s.FailNext(1)
	if err := smtp.SendMail(s.Addr(), nil, "a@example.nl", []string{"b@example.nl"}, []byte("\r\nx\r\n")); err == nil || !strings.HasPrefix(err.Error(), "451") {
		t.Errorf("FailNext: %v", err)
	}
	s.RejectNext(1)
	if err := smtp.SendMail(s.Addr(), nil, "a@example.nl", []string{"b@example.nl"}, []byte("\r\nx\r\n")); err == nil || !strings.HasPrefix(err.Error(), "550") {
		t.Errorf("RejectNext: %v", err)
	}
	if n := len(s.Received()); n != 1 {
		t.Errorf("received %d, want 1", n)
	}
}

// TestCloseDuringDelay: closing the server while it holds a message back
// (SetDelay) ends the wait at once instead of after the delay, and the
// message is not accepted: the sender gets no success (at most a temporary
// 4xx), so it keeps the mail for a retry, and Received stays empty.
func TestCloseDuringDelay(t *testing.T) {
	var s *Server
	sent := make(chan error, 1)
	t.Run("held", func(t *testing.T) {
		s = Start(t)
		s.SetDelay(time.Hour)
		go func() {
			sent <- smtp.SendMail(s.Addr(), nil, "a@example.nl", []string{"b@example.nl"}, []byte("\r\nx\r\n"))
		}()
		waitUntil(t, "the message is held inside DATA", func() bool { return s.Holding() == 1 })
	}) // the subtest's cleanup closes the server

	select {
	case err := <-sent:
		var reply *textproto.Error
		switch {
		case err == nil:
			t.Fatal("the held message was accepted although the server closed")
		case errors.As(err, &reply) && reply.Code/100 != 4:
			t.Errorf("the sender got %v, want a temporary (4xx) answer or a broken connection", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the sender still waits for an answer after the server closed")
	}
	waitUntil(t, "the server stops holding the message", func() bool { return s.Holding() == 0 })
	if n := len(s.Received()); n != 0 {
		t.Errorf("received %d, want 0: a message held when the server closed is not accepted", n)
	}
}

// waitUntil polls cond for up to five seconds.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
