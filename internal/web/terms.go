package web

import (
	"fmt"
	"net/http"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// stepStart handles POST /aanvragen/{id}/stappen/{stap}: a step the
// definition lets the user's team start by hand (a request to complete the
// application, an extension of the decision term) is started, and the user
// lands on its form. A refusal goes back to the client's page with its
// message.
func (s *server) stepStart(w http.ResponseWriter, r *http.Request) error {
	if _, err := formValues(w, r); err != nil {
		return err
	}
	id, err := pathID(r, "id", "De aanvraag")
	if err != nil {
		return err
	}
	a := actor(r)
	clientID, err := s.Clients.CaseClient(r.Context(), a, id)
	if err != nil {
		return err
	}
	back := fmt.Sprintf("/klanten/%d", clientID)
	taskID, err := s.Tasks.StartStep(r.Context(), a, id, process.StepKey(r.PathValue("stap")))
	if err != nil {
		return s.afterButton(w, r, back+"#aanvraag", err, "")
	}
	return s.redirect(w, r, taskLink(taskID, back), "", "")
}

// SuspensionView is a suspension of the decision term as the case page
// lists it.
type SuspensionView struct {
	casework.Suspension
	Running   bool
	Request   bool // by a request to complete the application: ended by its step
	LapsedEnd string
}

func suspensionView(su casework.Suspension) SuspensionView {
	v := SuspensionView{Suspension: su, Running: su.Running(), Request: su.Kind == casework.SuspensionRequest}
	if !su.PlannedEnd.IsZero() {
		v.LapsedEnd = casework.FormatDate(su.Term().LapsedEnd())
	}
	return v
}
