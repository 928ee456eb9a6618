package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// OutboxPage lists outgoing messages with their delivery state.
type OutboxPage struct {
	Layout
	Status   string
	Statuses []string
	Messages []MessageView
	Caption  string
	Paging   Paging // links to the pages before and after this one
	MayRetry bool   // the user is a functioneel beheerder
	Back     string // this page with its filter, to return to after a retry
	// Summary of the messages that need attention, over all statuses.
	RetryingCount int
	FailedCount   int
	ByPostCount   int    // letters to print: clients without an e-mail address
	NextAttempt   string // the earliest next attempt of a retrying message
}

// MessageView is a message with its delivery state in words.
type MessageView struct {
	casework.Message
	Label      string // Wachtend, Verzonden, Opnieuw proberen, Mislukt
	Badge      string // the badge modifier: geen, op-tijd, bijna, verlopen
	Detail     string // the rest of the state sentence, e.g. " 01-03-2027 09:15"
	Invitation bool   // carries a calendar invitation (.ics)
	MayRetry   bool
}

// StateText is the state as one sentence, for tests and titles.
func (m MessageView) StateText() string { return m.Label + m.Detail }

var messageStatuses = []string{casework.MessageWaiting, casework.MessageRetrying, casework.MessageFailed, casework.MessageByPost, casework.MessageSent}

// aroundTime says when an attempt is due: the time today, else date and time.
func aroundTime(t, now time.Time) string {
	if t.IsZero() {
		return "onbekend"
	}
	if process.Date(t).Equal(process.Date(now)) {
		return t.In(process.Amsterdam).Format("15:04")
	}
	return casework.FormatDateTime(t)
}

// messageView puts a message's delivery state in words. mayRetry is
// whether the user may put failed messages back in the queue.
func messageView(m casework.Message, now time.Time, mayRetry bool) MessageView {
	v := MessageView{Message: m, Label: messageStatusText(m.Status), Invitation: m.AttachmentName != ""}
	switch m.Status {
	case casework.MessageWaiting:
		v.Badge = "geen"
	case casework.MessageSent:
		v.Badge = "op-tijd"
		if !m.SentAt.IsZero() {
			v.Detail = " " + casework.FormatDateTime(m.SentAt)
		}
	case casework.MessageRetrying:
		v.Badge = "bijna"
		v.Detail = fmt.Sprintf(" — poging %d, volgende poging omstreeks %s", m.Attempts, aroundTime(m.NextAttemptAt, now))
	case casework.MessageByPost:
		v.Badge = "post"
		v.Detail = " — geen e-mailadres: print de brief en verstuur hem per post"
	case casework.MessageFailed:
		v.Badge = "verlopen"
		if m.Attempts == 1 {
			v.Detail = " na 1 poging"
		} else if m.Attempts > 1 {
			v.Detail = fmt.Sprintf(" na %d pogingen", m.Attempts)
		}
	default:
		v.Badge = "geen"
	}
	// An address (masked or not) is needed to send again.
	v.MayRetry = mayRetry && (m.Status == casework.MessageFailed || m.Status == casework.MessageRetrying) && strings.Contains(m.To, "@")
	return v
}

func (s *server) outbox(w http.ResponseWriter, r *http.Request) error {
	st := r.URL.Query().Get("status")
	valid := false
	for _, m := range messageStatuses {
		valid = valid || m == st
	}
	if !valid {
		st = ""
	}
	a := actor(r)
	ctx := r.Context()
	f := casework.MessageFilter{Status: st}
	if c, ok := casework.ParseCursor(r.URL.Query().Get(pageParam)); ok {
		f.Cursor = &c
	}
	list, err := s.Messages.OutboxPage(ctx, a, f)
	if err != nil {
		return err
	}
	msgs := list.Messages
	// The summary counts over all statuses, whatever the filter; the
	// messages waiting for another attempt give the next one's time.
	retrying, err := s.Messages.Outbox(ctx, a, casework.MessageFilter{Status: casework.MessageRetrying, Limit: 1000})
	if err != nil {
		return err
	}
	now := s.Process.Now()
	p := OutboxPage{Layout: s.base(r, "Uitgaande berichten"), Status: st, Statuses: messageStatuses,
		MayRetry: casework.May(a, process.ActRetryMessage, process.RelNone), RetryingCount: list.Counts[casework.MessageRetrying],
		FailedCount: list.Counts[casework.MessageFailed], ByPostCount: list.Counts[casework.MessageByPost], Back: "/uitgaand"}
	// The page's links keep its filter: the status, when it is a known one.
	filter := url.Values{}
	if st != "" {
		p.Back += "?" + url.Values{"status": {st}}.Encode()
		filter = r.URL.Query()
		for k := range filter {
			if k != "status" {
				filter.Del(k)
			}
		}
	}
	p.Paging = pagingLinks("/uitgaand", filter, list.Page)
	var next time.Time
	for _, m := range retrying {
		if !m.NextAttemptAt.IsZero() && (next.IsZero() || m.NextAttemptAt.Before(next)) {
			next = m.NextAttemptAt
		}
	}
	if !next.IsZero() {
		p.NextAttempt = aroundTime(next, now)
	}
	for _, m := range msgs {
		p.Messages = append(p.Messages, messageView(m, now, p.MayRetry))
	}
	p.Caption = pageCount(len(p.Messages), list.Page.Total, "bericht", "berichten")
	if st != "" {
		p.Caption += " met status “" + messageStatusText(st) + "”"
	}
	return s.render(w, r, http.StatusOK, "outbox", &p)
}

// outboxRetry puts a failed (or retrying) message back in the queue; only
// a functioneel beheerder may (the service says so with 403).
func (s *server) outboxRetry(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "Het bericht")
	if err != nil {
		return err
	}
	vals, err := formValues(w, r)
	if err != nil {
		return err
	}
	if err := s.Messages.RetryMessage(r.Context(), actor(r), id); err != nil {
		return err
	}
	back := localPath(vals.Get("terug"))
	if back != "/uitgaand" && !strings.HasPrefix(back, "/uitgaand?") {
		back = "/uitgaand"
	}
	return s.redirect(w, r, back, "ok", "Het bericht staat weer klaar om te worden verzonden. De status wordt bijgewerkt zodra het is verstuurd.")
}
