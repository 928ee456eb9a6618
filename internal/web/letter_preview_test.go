package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// TestDecisionLetterBeforeItGoes: "Brief bekijken" shows the letter made
// from what was typed without completing anything; a refusal is completed
// only after its letter was shown and confirmed, and the letter is then a
// document of the client.
func TestDecisionLetterBeforeItGoes(t *testing.T) {
	a := newApp(t)
	app := a.env.Apply(t)
	task := a.env.WalkTo(t, app, "arbeidsbeperkt", process.StepBesluit)
	b := a.holderLogin(task)
	path := fmt.Sprintf("/taken/%d", task.ID)
	p := b.get(path)
	if got := p.attr("button[formaction='"+path+"/brief']", "formaction"); got == "" {
		t.Fatalf("the decision step offers no 'Brief bekijken'")
	}
	if p.has("#f-" + process.FieldLetterChecked) {
		t.Errorf("the confirmation is asked before any letter was shown")
	}
	today := casework.FormatDate(a.env.Clock.Now())
	reason := "Uw inkomen uit werk is hoger dan de bijstandsnorm."
	v := url.Values{process.FieldVersion: {strconv.Itoa(task.Version)}, "besluit": {process.OutcomeGeenToekenning}, "besluit_datum": {today}}

	// Without the reasons the letter cannot be made: the form says so.
	p = b.post(path+"/brief", v)
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if msg := p.text("#f-reden-fout"); msg != "Vul de motivering van het besluit in." {
		t.Errorf("reason message = %q", msg)
	}
	if p.has(".wd-letter") {
		t.Errorf("a letter without reasons is shown")
	}

	// With them: the letter, the typed values kept, nothing completed.
	v.Set("reden", reason)
	p = b.post(path+"/brief", v)
	expectStatus(t, p, http.StatusOK)
	letter := p.text(".wd-letter")
	f := a.env.File(t, app.ClientID)
	for _, want := range []string{f.Client.Name(), reason, "bezwaar", "Participatiewet"} {
		if !strings.Contains(letter, want) {
			t.Errorf("the letter lacks %q: %q", want, letter)
		}
	}
	if strings.Contains(letter, f.Client.BSN) {
		t.Errorf("the letter preview shows the BSN")
	}
	if got := p.text("#f-reden"); got != reason {
		t.Errorf("the reasons typed are %q after the preview", got)
	}
	if st := taskStatus(t, a, app.ClientID, task.ID); st != casework.TaskOpen {
		t.Fatalf("the preview completed the task: %s", st)
	}

	// Completing the refusal without confirming shows the letter and asks.
	p = b.post(path, v)
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if !p.has(".wd-letter") || !strings.Contains(p.text("#f-"+process.FieldLetterChecked+"-fout"), "Lees de brief") {
		t.Fatalf("the refusal was not held for its letter: %q", p.text("main"))
	}
	v.Set(process.FieldLetterChecked, "ja")
	expectRedirect(t, b.post(path, v), "/")
	if st := taskStatus(t, a, app.ClientID, task.ID); st != casework.TaskDone {
		t.Fatalf("the confirmed refusal is %s", st)
	}
	docs, err := a.env.Svc.ClientDocuments(t.Context(), casework.Actor{User: a.env.UserByID(t, task.HolderID)}, app.ClientID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range docs {
		found = found || d.Kind == string(process.LetterAfwijzing)
	}
	if !found {
		t.Errorf("no refusal letter among the client's documents: %+v", docs)
	}
}

// taskStatus is the status of a task of the client.
func taskStatus(t *testing.T, a *app, clientID, taskID int64) string {
	t.Helper()
	for _, tk := range a.env.File(t, clientID).Tasks {
		if tk.ID == taskID {
			return tk.Status
		}
	}
	t.Fatalf("no task %d on client %d", taskID, clientID)
	return ""
}
