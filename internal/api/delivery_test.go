package api_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/api"
	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// testDelivery reads the delivery state of outgoing messages and puts a
// failed one back in the queue, as the functioneel beheerder.
func testDelivery(t *testing.T, s *server) {
	env := s.env
	ctx := context.Background()
	app := env.Apply(t)
	s.secrets = append(s.secrets, env.File(t, app.ClientID).Client.BSN)
	env.WalkTo(t, app, "", process.StepIntakeWerkdiagnose)
	thomas := s.token(t, env.Users[process.RoleTeamleider])

	var out api.Outbox
	s.call(t, thomas, "GET", "/api/uitgaand", nil).want(t, http.StatusOK, &out)
	var invite, other api.OutboxMessage
	for _, m := range out.Messages {
		switch {
		case m.HasInvitation && invite.ID == 0:
			invite = m
		case !m.HasInvitation && m.To != "" && other.ID == 0:
			other = m
		}
	}
	if invite.ID == 0 || other.ID == 0 || !strings.HasSuffix(invite.Attachment, ".ics") || invite.Status != casework.MessageWaiting {
		t.Fatalf("outbox lacks an invitation and another message: %+v", out.Messages)
	}
	next := env.Clock.Now().Add(15 * time.Minute)
	if err := env.Svc.RecordDelivery(ctx, invite.ID, casework.Attempt{Err: errors.New("dial tcp: connection refused"), Next: next}); err != nil {
		t.Fatal(err)
	}
	if err := env.Svc.RecordDelivery(ctx, other.ID, casework.Attempt{Err: errors.New("550 no such user"), Permanent: true}); err != nil {
		t.Fatal(err)
	}

	s.call(t, thomas, "GET", "/api/uitgaand?status=opnieuw", nil).want(t, http.StatusOK, &out)
	if len(out.Messages) != 1 || out.Messages[0].ID != invite.ID || out.Messages[0].Attempts != 1 ||
		out.Messages[0].NextAttemptAt == "" || !strings.HasPrefix(out.Messages[0].LastError, "Mailserver niet bereikbaar") {
		t.Errorf("retrying messages = %+v", out.Messages)
	}
	if at, err := time.Parse(time.RFC3339, out.Messages[0].NextAttemptAt); err != nil || !at.Equal(next.Truncate(time.Second)) {
		t.Errorf("volgende_poging = %q, want %s", out.Messages[0].NextAttemptAt, next)
	}
	s.call(t, thomas, "GET", "/api/uitgaand?status=mislukt", nil).want(t, http.StatusOK, &out)
	if len(out.Messages) != 1 || out.Messages[0].ID != other.ID || out.Messages[0].NextAttemptAt != "" || out.Messages[0].Status != casework.MessageFailed {
		t.Errorf("failed messages = %+v", out.Messages)
	}

	path := "/api/berichten/{id}/opnieuw"
	s.call(t, thomas, "POST", path, nil, other.ID).problem(t, http.StatusForbidden)
	s.call(t, s.admin, "POST", path, nil, 999999).problem(t, http.StatusNotFound)
	var conf api.Confirmation
	s.call(t, s.admin, "POST", path, nil, other.ID).want(t, http.StatusOK, &conf)
	p := s.call(t, s.admin, "POST", path, nil, other.ID).problem(t, http.StatusConflict)
	if p.Detail != "Dit bericht staat al klaar om te worden verzonden." {
		t.Errorf("second retry detail = %q", p.Detail)
	}
	s.call(t, s.admin, "POST", path, nil, invite.ID).want(t, http.StatusOK, &conf)
	s.call(t, thomas, "GET", "/api/uitgaand?status=wachtend", nil).want(t, http.StatusOK, &out)
	waiting := map[int64]bool{}
	for _, m := range out.Messages {
		waiting[m.ID] = m.NextAttemptAt == ""
	}
	if !waiting[other.ID] || !waiting[invite.ID] {
		t.Errorf("after the retries, waiting = %v", waiting)
	}
}
