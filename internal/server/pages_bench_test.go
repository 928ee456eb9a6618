package server_test

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/casework/casetest"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// BenchmarkPageVsAPI times the client page and the task page in HTML
// against GET /api/klanten/{id} and GET /api/taken/{id} for the same
// client and task (issue 11: a page within 2× of the API's server time).
// Each iteration asks all four once, in turn, so that they share the
// machine's state; it reports the median server time (Server-Timing db + app)
// of each and the ratios page/API. Run with -benchtime=300x or more:
//
//	go test ./internal/server -run '^$' -bench BenchmarkPageVsAPI -benchtime=300x
func BenchmarkPageVsAPI(b *testing.B) {
	env := casetest.New(b, "sqlite")
	lead := env.Actor(process.RoleTeamleider)
	app := env.Apply(b)
	env.WalkTo(b, app, "", process.StepStartBegeleiding)
	file := env.File(b, app.ClientID)
	open := file.OpenTasks()
	if len(open) == 0 {
		b.Fatal("the client has no open task")
	}
	token, err := env.Svc.IssueToken(b.Context(), env.Actor(process.RoleBeheerder), lead.User.ID, "bench")
	if err != nil {
		b.Fatal(err)
	}
	c := newCounted(b, env)
	web := c.browser(lead.User.Username)
	client := strconv.FormatInt(app.ClientID, 10)
	task := strconv.FormatInt(open[0].ID, 10)
	asks := []struct {
		name string
		do   func() answer
	}{
		{"client-html", func() answer { return c.page(web, "/klanten/"+client) }},
		{"client-api", func() answer { return c.api(token, http.MethodGet, "/api/klanten/"+client, nil) }},
		{"task-html", func() answer { return c.page(web, "/taken/"+task) }},
		{"task-api", func() answer { return c.api(token, http.MethodGet, "/api/taken/"+task, nil) }},
	}
	times := make([][]time.Duration, len(asks))
	for b.Loop() {
		for i, ask := range asks {
			times[i] = append(times[i], serverTime(b, ask.do()))
		}
	}
	med := make([]float64, len(asks))
	for i, ask := range asks {
		slices.Sort(times[i])
		med[i] = float64(times[i][len(times[i])/2].Microseconds()) / 1000
		b.ReportMetric(med[i], ask.name+"-ms")
	}
	b.ReportMetric(med[0]/med[1], "client-ratio")
	b.ReportMetric(med[2]/med[3], "task-ratio")
}

var serverTimes = regexp.MustCompile(`^db;dur=([0-9.]+);desc="[0-9]+ queries", app;dur=([0-9.]+)$`)

// serverTime is the handler's time of an answer until it began to write
// it: the statements' time and the rest, from its Server-Timing.
func serverTime(b *testing.B, a answer) time.Duration {
	m := serverTimes.FindStringSubmatch(a.header.Get("Server-Timing"))
	if m == nil {
		b.Fatalf("Server-Timing %q", a.header.Get("Server-Timing"))
	}
	var total float64
	for _, v := range m[1:] {
		ms, err := strconv.ParseFloat(v, 64)
		if err != nil {
			b.Fatal(err)
		}
		total += ms
	}
	return time.Duration(total * float64(time.Millisecond))
}
