package worker_test

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/mailer"
	"github.com/bar-organisatie/werkdiagnose/internal/mailer/mailtest"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/settings"
	"github.com/bar-organisatie/werkdiagnose/internal/store/storetest"
	"github.com/bar-organisatie/werkdiagnose/internal/worker"
)

var (
	ctx   = context.Background()
	quiet = slog.New(slog.DiscardHandler)
)

func eachEngine(t *testing.T, fn func(t *testing.T, engine string)) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) { fn(t, engine) })
	}
}

// fast is a worker configuration with short waits for tests. Its sweep of
// due reminders waits an hour: the reminders a walk plans on the test's
// clock (some due at once) would add mails to the delivery tests' counts.
// The reminder tests sweep often (sweeping).
func fast(attempts int) settings.Worker {
	c := settings.DefaultWorker()
	c.MaxAttempts, c.RetryBase, c.RetryMax, c.PollInterval, c.ReminderInterval = attempts, "50ms", "200ms", "50ms", "1h"
	return c
}

// sweeping is c with a sweep of the due reminders every 50 ms.
func sweeping(c settings.Worker) settings.Worker {
	c.ReminderInterval = "50ms"
	return c
}

func start(t *testing.T, e *casetest.Env, mc settings.Mail, cfg settings.Worker) {
	t.Helper()
	sender, err := mailer.New(mc)
	if err != nil {
		t.Fatal(err)
	}
	w, err := worker.Start(ctx, e.DB, e.Svc, sender, cfg, quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		w.Stop(stop)
	})
}

func smtpConfig(s *mailtest.Server) settings.Mail {
	return settings.Mail{Host: s.Host(), Port: s.Port(), TLS: settings.TLSNone, Timeout: "2s"}
}

func messages(t *testing.T, e *casetest.Env) []casework.Message {
	t.Helper()
	var out []casework.Message
	if err := e.DB.View(ctx, func(tx casework.Tx) error {
		var err error
		out, err = tx.ListMessages(ctx, casework.MessageFilter{})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// waitUntil polls cond until it holds or the timeout passes.
func waitUntil(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func countStatus(ms []casework.Message, status string) int {
	n := 0
	for _, m := range ms {
		if m.Status == status {
			n++
		}
	}
	return n
}

// TestDelivery walks a client to the KM Werkdiagnose intake — a hand-over
// mail to Team Ondersteuning and the invitations to client and
// klantmanager — and lets the worker send them through a real SMTP server.
func TestDelivery(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine string) {
		e := casetest.New(t, engine)
		app := e.Apply(t)
		e.WalkTo(t, app, "", process.StepIntakeWerkdiagnose)
		client := e.File(t, app.ClientID).Client
		want := map[string]casework.Message{}
		for _, m := range messages(t, e) {
			if m.Status == casework.MessageWaiting {
				want[m.MessageID] = m
			}
		}
		if len(want) < 3 {
			t.Fatalf("want at least a hand-over and two invitations waiting, got %d", len(want))
		}

		sink := mailtest.Start(t)
		start(t, e, smtpConfig(sink), fast(3))
		got := sink.WaitFor(t, len(want), 20*time.Second)
		waitUntil(t, 10*time.Second, "every message is sent", func() bool {
			return countStatus(messages(t, e), casework.MessageSent) == len(want)
		})

		var invitations int
		for _, r := range got {
			if bytes.Contains(r.Data, []byte(client.BSN)) {
				t.Errorf("a mail contains the client's BSN")
			}
			p, err := mailtest.Parse(r.Data)
			if err != nil {
				t.Fatal(err)
			}
			id := p.Header.Get("Message-Id")
			m, ok := want[id]
			if !ok {
				t.Fatalf("unexpected Message-ID %q", id)
			}
			delete(want, id)
			if len(r.To) != 1 || r.To[0] != m.To {
				t.Errorf("%s: envelope to %v, want %s", m.Kind, r.To, m.To)
			}
			if p.Subject() != m.Subject {
				t.Errorf("subject %q, want %q", p.Subject(), m.Subject)
			}
			// Internal mail names the system; the client's names the municipality.
			if !(strings.Contains(p.Text, "Werkdiagnose") || strings.Contains(p.Text, "Gemeente Ridderkerk")) || !strings.Contains(p.HTML, "<html") {
				t.Errorf("%s: want a text and an HTML part, got text %q html %q", m.Kind, p.Text, p.HTML)
			}
			if strings.HasPrefix(m.Kind, "E-mail") {
				if !strings.Contains(p.Text, "/taken/") || strings.Contains(p.Text, client.FamilyName) || strings.Contains(p.Subject(), client.FamilyName) {
					t.Errorf("hand-over must link the task and name no client: %q", p.Text)
				}
			}
			if m.Attachment != "" {
				invitations++
				if string(p.Calendar) != m.Attachment || len(p.Attachments) != 1 || string(p.Attachments[0].Data) != m.Attachment {
					t.Errorf("%s: calendar part and attachment must carry the invitation", m.Kind)
				}
				if !bytes.Contains(p.Calendar, []byte("METHOD:REQUEST")) || !bytes.Contains(p.Calendar, []byte("TZID=Europe/Amsterdam")) {
					t.Errorf("invitation: %s", p.Calendar)
				}
			}
		}
		if len(want) != 0 || invitations != 2 {
			t.Errorf("not delivered: %d; invitations: %d, want 2", len(want), invitations)
		}
		for _, m := range messages(t, e) {
			if m.Status == casework.MessageSent && (m.Attempts != 1 || m.SentAt.IsZero()) {
				t.Errorf("%s: attempts %d, sent at %v", m.Kind, m.Attempts, m.SentAt)
			}
		}
	})
}

// TestUnreachableServer: nothing is lost while the mail server is away.
// Messages retry with the error shown, fail after the last attempt, and an
// administrator's retry delivers them once the server is back.
func TestUnreachableServer(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine string) {
		e := casetest.New(t, engine)
		app := e.Apply(t)
		e.WalkTo(t, app, "", process.StepVerwerkingAanmelding) // the hand-over "E-mail TOP"
		waiting := countStatus(messages(t, e), casework.MessageWaiting)
		if waiting == 0 {
			t.Fatal("no message waiting")
		}
		// A port nobody listens on.
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		down := settings.Mail{Host: "127.0.0.1", Port: port, TLS: settings.TLSNone, Timeout: "1s"}

		sender, _ := mailer.New(down)
		w, err := worker.Start(ctx, e.DB, e.Svc, sender, fast(3), quiet)
		if err != nil {
			t.Fatal(err)
		}
		var sawRetrying bool
		waitUntil(t, 20*time.Second, "every message has failed", func() bool {
			ms := messages(t, e)
			for _, m := range ms {
				if m.Status == casework.MessageRetrying {
					sawRetrying = true
					if !strings.Contains(m.LastError, "niet bereikbaar") || m.NextAttemptAt.IsZero() {
						t.Errorf("retrying message: error %q, next %v", m.LastError, m.NextAttemptAt)
					}
				}
			}
			return countStatus(ms, casework.MessageFailed) == waiting
		})
		stop, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		w.Stop(stop)
		if !sawRetrying {
			t.Error("never saw a message waiting for its next attempt")
		}
		for _, m := range messages(t, e) {
			if m.Status == casework.MessageFailed && (m.Attempts != 3 || !strings.Contains(m.LastError, "Na 3 pogingen")) {
				t.Errorf("failed message: attempts %d, error %q", m.Attempts, m.LastError)
			}
		}

		// Only a functioneel beheerder may retry.
		failed := messages(t, e)[0]
		if err := e.Svc.RetryMessage(ctx, e.Actor(process.RoleTeamleider), failed.ID); casework.ErrorCode(err) != casework.CodeForbidden {
			t.Errorf("team lead retry: %v, want forbidden", err)
		}
		sink := mailtest.Start(t)
		for _, m := range messages(t, e) {
			if err := e.Svc.RetryMessage(ctx, e.Actor(process.RoleBeheerder), m.ID); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.Svc.RetryMessage(ctx, e.Actor(process.RoleBeheerder), failed.ID); casework.ErrorCode(err) != casework.CodeConflict {
			t.Errorf("second retry: %v, want a conflict", err)
		}
		start(t, e, smtpConfig(sink), fast(3))
		sink.WaitFor(t, waiting, 20*time.Second)
		waitUntil(t, 10*time.Second, "every message is sent after the retry", func() bool {
			return countStatus(messages(t, e), casework.MessageSent) == waiting
		})
		if n := len(sink.Received()); n != waiting {
			t.Errorf("received %d, want %d", n, waiting)
		}
	})
}

// TestTemporaryRejection: a 451 is retried with the same Message-ID; a 550
// fails the message at once.
func TestTemporaryRejection(t *testing.T) {
	e := casetest.New(t, "sqlite")
	// Clients without e-mail: their receipt is a letter, so the hand-over
	// is the one mail.
	apply := func() casework.Case {
		p := e.Person()
		p.Email = ""
		app, err := e.Walker.Apply(ctx, p, true)
		if err != nil {
			t.Fatal(err)
		}
		return app
	}
	app := apply()
	e.WalkTo(t, app, "", process.StepVerwerkingAanmelding)
	ms := messages(t, e)
	if countStatus(ms, casework.MessageWaiting) != 1 {
		t.Fatalf("want one waiting message, got %d", len(ms))
	}
	sink := mailtest.Start(t)
	sink.FailNext(1)
	start(t, e, smtpConfig(sink), fast(3))
	got := sink.WaitFor(t, 1, 10*time.Second)
	waitUntil(t, 10*time.Second, "sent", func() bool { return countStatus(messages(t, e), casework.MessageSent) == 1 })
	p, err := mailtest.Parse(got[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	m := messages(t, e)[0]
	if p.Header.Get("Message-Id") != m.MessageID || m.Attempts != 2 {
		t.Errorf("Message-ID %q (want %q), attempts %d (want 2)", p.Header.Get("Message-Id"), m.MessageID, m.Attempts)
	}

	sink.RejectNext(1)
	app2 := apply()
	e.WalkTo(t, app2, "", process.StepVerwerkingAanmelding)
	waitUntil(t, 10*time.Second, "the rejected message failed", func() bool {
		return countStatus(messages(t, e), casework.MessageFailed) == 1
	})
	for _, m := range messages(t, e) {
		if m.Status == casework.MessageFailed && (m.Attempts != 1 || !strings.Contains(m.LastError, "Geweigerd")) {
			t.Errorf("rejected: attempts %d, error %q", m.Attempts, m.LastError)
		}
	}
}

// TestHandoverMails: the source's "E-mail AG" and "E-mail KM" reach the
// receiving team's mailbox, name the task, link to it and carry no client
// data.
func TestHandoverMails(t *testing.T) {
	e := casetest.New(t, "sqlite")
	policy := e.Svc.Definition().Policy
	want := map[string]string{} // kind -> mailbox
	var clients []casework.Client
	for _, group := range []string{"arbeidsbeperkt", "inrichting"} {
		g, _ := policy.TargetGroup(group)
		team, _ := policy.Team(g.HandoverTeam)
		want[g.Message] = team.Mailbox
		app := e.Apply(t)
		e.WalkTo(t, app, group, process.StepVerwerkingTeam)
		clients = append(clients, e.File(t, app.ClientID).Client)
	}
	sink := mailtest.Start(t)
	start(t, e, smtpConfig(sink), fast(3))
	waitUntil(t, 20*time.Second, "every message is sent", func() bool {
		return countStatus(messages(t, e), casework.MessageWaiting) == 0 && countStatus(messages(t, e), casework.MessageRetrying) == 0
	})
	found := map[string]bool{}
	for _, r := range sink.Received() {
		p, err := mailtest.Parse(r.Data)
		if err != nil {
			t.Fatal(err)
		}
		for kind, mailbox := range want {
			if !strings.HasPrefix(p.Subject(), kind+":") {
				continue
			}
			found[kind] = true
			if r.To[0] != mailbox || !strings.Contains(p.Text, "http://localhost:8080/taken/") || !strings.Contains(p.HTML, `href="http://localhost:8080/taken/`) {
				t.Errorf("%s to %v:\n%s", kind, r.To, p.Text)
			}
			for _, c := range clients {
				if bytes.Contains(r.Data, []byte(c.BSN)) || bytes.Contains(r.Data, []byte(c.FamilyName)) {
					t.Errorf("%s names a client", kind)
				}
			}
		}
	}
	if len(found) != len(want) {
		t.Errorf("hand-over mails found: %v, want %v", found, want)
	}
}

// TestLettersAreNotMailed: an invitation to a client without an e-mail
// address is a letter to print (per post). The worker mails everything
// else and never tries the letter: it stays per post, with no attempts,
// and is not counted as failed.
func TestLettersAreNotMailed(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine string) {
		e := casetest.New(t, engine)
		p := e.Person()
		p.Email = ""
		app, err := e.Walker.Apply(ctx, p, true)
		if err != nil {
			t.Fatal(err)
		}
		e.WalkTo(t, app, "", process.StepIntakeWerkdiagnose)
		ms := messages(t, e)
		waiting, letters := countStatus(ms, casework.MessageWaiting), countStatus(ms, casework.MessageByPost)
		if letters != 2 || waiting < 2 {
			t.Fatalf("%d letters and %d waiting messages, want 2 letters (receipt, invitation) and the rest waiting", letters, waiting)
		}

		sink := mailtest.Start(t)
		start(t, e, smtpConfig(sink), fast(3))
		got := sink.WaitFor(t, waiting, 20*time.Second)
		waitUntil(t, 10*time.Second, "every mail is sent", func() bool { return countStatus(messages(t, e), casework.MessageSent) == waiting })
		time.Sleep(300 * time.Millisecond) // a few poll intervals: time for a wrong job to run
		for _, m := range messages(t, e) {
			switch {
			case (m.Kind == "Uitnodiging klant" || m.Kind == "Ontvangstbevestiging") && (m.Status != casework.MessageByPost || m.Attempts != 0 || m.LastError != ""):
				t.Errorf("the letter: status %s, %d attempts, %q", m.Status, m.Attempts, m.LastError)
			case m.Status == casework.MessageFailed || m.Status == casework.MessageRetrying:
				t.Errorf("%s: %s", m.Kind, m.Status)
			}
		}
		if n := len(sink.Received()); n != waiting || len(got) != waiting {
			t.Errorf("the mail server received %d mails, want %d (no letter)", n, waiting)
		}
	})
}
