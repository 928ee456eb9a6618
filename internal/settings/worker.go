package settings

import (
	"errors"
	"fmt"
	"time"
)

// Worker tunes the background worker. Durations are Go durations ("30s",
// "1h").
type Worker struct {
	Enabled      bool   `json:"enabled"`       // run the worker in this process (serve --worker=false turns it off)
	MailWorkers  int    `json:"mail_workers"`  // messages sent at the same time per instance
	MaxAttempts  int    `json:"max_attempts"`  // attempts before a message is marked failed
	RetryBase    string `json:"retry_base"`    // wait after the first failed attempt; doubles per attempt
	RetryMax     string `json:"retry_max"`     // longest wait between attempts
	JobTimeout   string `json:"job_timeout"`   // longest a single attempt may take
	RescueAfter  string `json:"rescue_after"`  // a job running this long is taken to have lost its worker
	PollInterval string `json:"poll_interval"` // how often to look for new jobs without a notification
	// ReminderInterval is how often the worker looks for reminders whose
	// time has come: a reminder goes out at most this long after its time.
	ReminderInterval string `json:"reminder_interval"`
}

// DefaultWorker returns the production defaults: ten attempts over about
// four hours (30 s, 1, 2, 4, ... minutes, at most an hour apart).
func DefaultWorker() Worker {
	return Worker{Enabled: true, MailWorkers: 2, MaxAttempts: 10, RetryBase: "30s", RetryMax: "1h",
		JobTimeout: "1m", RescueAfter: "5m", PollInterval: "1s", ReminderInterval: "1m"}
}

// WorkerDurations are the parsed durations of a Worker.
type WorkerDurations struct {
	RetryBase, RetryMax, JobTimeout, RescueAfter, PollInterval, ReminderInterval time.Duration
}

// Durations parses the configured durations and checks they fit together.
func (c Worker) Durations() (WorkerDurations, error) {
	var d WorkerDurations
	for _, f := range []struct {
		name, v string
		p       *time.Duration
	}{{"retry_base", c.RetryBase, &d.RetryBase}, {"retry_max", c.RetryMax, &d.RetryMax},
		{"job_timeout", c.JobTimeout, &d.JobTimeout}, {"rescue_after", c.RescueAfter, &d.RescueAfter},
		{"poll_interval", c.PollInterval, &d.PollInterval}, {"reminder_interval", c.ReminderInterval, &d.ReminderInterval}} {
		v, err := time.ParseDuration(f.v)
		if err != nil || v <= 0 {
			return d, fmt.Errorf("worker.%s %q: want a positive Go duration such as \"30s\"", f.name, f.v)
		}
		*f.p = v
	}
	if d.RescueAfter <= d.JobTimeout {
		return d, fmt.Errorf("worker.rescue_after (%s) must be longer than worker.job_timeout (%s)", d.RescueAfter, d.JobTimeout)
	}
	return d, nil
}

// Validate reports the first problem in words an administrator can act on.
func (c Worker) Validate() error {
	if c.MailWorkers < 1 || c.MaxAttempts < 1 {
		return errors.New("worker.mail_workers and worker.max_attempts must be at least 1")
	}
	_, err := c.Durations()
	return err
}
