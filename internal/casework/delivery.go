package casework

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// Messages keeps the outbox: the worker's deliveries and what the people
// who look after the outbox see and do.
type Messages struct {
	*core
	store Transactor[MessageTx]
}

// MessageTx is what the outbox use cases read and write.
type MessageTx interface {
	OutboxTx
	EventTx
	DocumentTx // a letter's PDF goes with its mail
}

// Delivery: the worker takes a waiting message, tries to send it and
// records each attempt here. The message row is the truth the outbox page
// shows; the job only says when to try.

// Outgoing returns message id for delivery. A mail that carries a letter
// gets the letter's PDF attached, rendered now (outside any transaction)
// when it has none yet and a renderer is configured; without one the mail
// goes with the letter as its body only.
func (s *Messages) Outgoing(ctx context.Context, id int64) (_ Message, err error) {
	defer wrap(&err, "Outgoing(id=%d)", id)
	var doc *Document
	m, err := read(ctx, s.store, func(tx MessageTx) (Message, error) {
		m, err := tx.MessageByID(ctx, id)
		if err != nil {
			return m, err
		}
		if d, err := tx.DocumentByMessage(ctx, id); err == nil {
			doc = &d
		} else if !errors.Is(err, ErrNotFound) {
			return m, err
		}
		return m, nil
	})
	if err != nil || doc == nil || (m.Status != MessageWaiting && m.Status != MessageRetrying) {
		return m, err
	}
	pdf, err := documentBytes(ctx, s.core, s.store, *doc)
	if err != nil {
		// The letter is the mail's body: it goes without its PDF rather
		// than not at all. The log says why.
		s.log.ErrorContext(ctx, "letter mailed without its PDF", "message_id", id, "document_id", doc.ID, "err", err)
		pdf = nil
	}
	if pdf != nil {
		m.Files = append(m.Files, Attachment{Name: doc.FileName, ContentType: ContentPDF, Body: pdf})
	}
	return m, nil
}

// Attempt is the outcome of one delivery attempt.
type Attempt struct {
	Err       error     // nil: accepted by the mail server
	Permanent bool      // the server refused this message for good
	Final     bool      // no attempts are left
	Next      time.Time // when the next attempt is due, while retrying
}

// RecordDelivery writes the outcome of an attempt on message id: sent,
// retrying (with the error and the next attempt's time) or failed. A
// message already sent stays sent.
func (s *Messages) RecordDelivery(ctx context.Context, id int64, at Attempt) (err error) {
	defer wrap(&err, "RecordDelivery(id=%d)", id)
	return s.store.Update(ctx, func(tx MessageTx) error {
		m, err := tx.MessageByID(ctx, id)
		if err != nil {
			return err
		}
		if m.Status == MessageSent || m.Status == MessageByPost {
			return nil // a letter to print is never sent
		}
		m.Attempts++
		now := s.clock.Now().UTC()
		switch {
		case at.Err == nil:
			m.Status, m.SentAt, m.LastError, m.NextAttemptAt = MessageSent, now, "", time.Time{}
		case at.Permanent:
			m.Status, m.NextAttemptAt = MessageFailed, time.Time{}
			m.LastError = "Geweigerd door de mailserver: " + at.Err.Error()
		case at.Final:
			m.Status, m.NextAttemptAt = MessageFailed, time.Time{}
			m.LastError = fmt.Sprintf("Na %d pogingen niet verstuurd: %s", m.Attempts, at.Err)
		default:
			m.Status, m.NextAttemptAt = MessageRetrying, at.Next.UTC()
			m.LastError = "Mailserver niet bereikbaar of tijdelijk niet beschikbaar: " + at.Err.Error()
		}
		return tx.UpdateDelivery(ctx, m)
	})
}

// RetryMessage puts a failed message back in the queue; it is for the
// functioneel beheerder.
func (s *Messages) RetryMessage(ctx context.Context, a Actor, id int64) (err error) {
	defer wrap(&err, "RetryMessage(id=%d)", id)
	if err := Authorize(a, process.ActRetryMessage, process.RelNone); err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx MessageTx) error {
		m, err := tx.MessageByID(ctx, id)
		if err != nil {
			return notFoundAs(err, "Het bericht")
		}
		switch {
		case m.Status == MessageSent:
			return Conflict("Dit bericht is al verzonden.")
		case m.Status == MessageWaiting:
			return Conflict("Dit bericht staat al klaar om te worden verzonden.")
		case m.Status == MessageByPost:
			return Conflict("Dit bericht is een brief: de klant heeft geen e-mailadres. Print de brief en verstuur hem per post.")
		case m.To == "":
			return Conflict("Dit bericht heeft geen e-mailadres en kan niet worden verzonden.")
		}
		m.Status, m.NextAttemptAt = MessageWaiting, time.Time{}
		m.LastError = "Opnieuw in de wachtrij gezet door " + a.User.Name + ". " + m.LastError
		if err := tx.UpdateDelivery(ctx, m); err != nil {
			return err
		}
		if err := tx.RequeueMessage(ctx, m.ID); err != nil {
			return err
		}
		if m.ClientID == 0 {
			return nil
		}
		return s.event(ctx, tx, a, m.ClientID, m.CaseID, m.TaskID, "bericht_opnieuw",
			fmt.Sprintf("Bericht %q opnieuw in de wachtrij gezet.", m.Kind), "")
	})
}

// Outbox lists messages for administrators and team leads. An administrator
// without a caseworker role sees no client data: addresses other than the
// teams' mailboxes are masked.
func (s *Messages) Outbox(ctx context.Context, a Actor, f MessageFilter) (_ []Message, err error) {
	defer wrap(&err, "Outbox()")
	if err := Authorize(a, process.ActSeeOutbox, process.RelNone); err != nil {
		return nil, err
	}
	out, err := read(ctx, s.store, func(tx MessageTx) ([]Message, error) { return tx.ListMessages(ctx, f) })
	if err != nil {
		return nil, err
	}
	return s.masked(a, out), nil
}

// OutboxList is a page of the outbox and the number of messages per
// status (of the whole outbox).
type OutboxList struct {
	Messages []Message
	Page     Page // Total: the messages of the filter's status, or all
	Counts   map[string]int
}

// MessageCursor is the position of m in the outbox, newest first.
func MessageCursor(m Message) Cursor {
	return Cursor{Sort: "outbox", Desc: true, Value: m.CreatedAt.UTC().Format(time.RFC3339Nano), ID: m.ID}
}

// OutboxPage implements MessageService.
func (s *Messages) OutboxPage(ctx context.Context, a Actor, f MessageFilter) (_ OutboxList, err error) {
	defer wrap(&err, "OutboxPage()")
	if err := Authorize(a, process.ActSeeOutbox, process.RelNone); err != nil {
		return OutboxList{}, err
	}
	size := f.Limit
	if size <= 0 {
		size = PageSize
	}
	if f.Cursor != nil && (f.Cursor.Sort != "outbox" || !f.Cursor.Desc) {
		f.Cursor = nil
	}
	f.Limit = size + 1
	var out OutboxList
	var rows []Message
	err = s.store.View(ctx, func(tx MessageTx) error {
		var err error
		if rows, err = tx.ListMessages(ctx, f); err != nil {
			return err
		}
		if f.Cursor != nil && f.Cursor.Back && len(rows) < size {
			f.Cursor = nil // back at the start: the first page, whole
			if rows, err = tx.ListMessages(ctx, f); err != nil {
				return err
			}
		}
		out.Counts, err = tx.CountMessages(ctx)
		return err
	})
	if err != nil {
		return OutboxList{}, err
	}
	rows, out.Page = pageOf(rows, size, f.Cursor, MessageCursor)
	out.Messages = s.masked(a, rows)
	for st, n := range out.Counts {
		if f.Status == "" || f.Status == st {
			out.Page.Total += n
		}
	}
	return out, nil
}

// masked hides from a beheerder without a caseworker role the addresses of
// clients and colleagues and the messages' contents.
func (s *Messages) masked(a Actor, out []Message) []Message {
	if May(a, process.ActSeeClient, process.RelTeam) { // a caseworker role (team leads); see docs/security.md
		return out
	}
	teams := map[string]bool{}
	for _, t := range s.def.Policy.Teams {
		teams[t.Mailbox] = true
	}
	for i := range out {
		if !teams[out[i].To] {
			out[i].To, out[i].ToName = MaskEmail(out[i].To), ""
		}
		out[i].Body, out[i].HTML, out[i].Attachment = "", "", ""
		out[i].LastError = RedactEmails(out[i].LastError)
	}
	return out
}

// emailLike finds e-mail addresses in free text such as a mail server's
// answer.
var emailLike = regexp.MustCompile(`[^\s<>"':;,]+@[^\s<>"':;,]+`)

// RedactEmails masks every e-mail address in free text, such as a mail
// server's answer, for logs and for viewers who need no addresses.
func RedactEmails(s string) string { return emailLike.ReplaceAllStringFunc(s, MaskEmail) }

// MaskEmail keeps the first letter and the domain: "a…@example.org".
func MaskEmail(addr string) string {
	at := strings.LastIndex(addr, "@")
	if at <= 0 {
		return "…"
	}
	return addr[:1] + "…" + addr[at:]
}
