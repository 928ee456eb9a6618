package settings_test

import (
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/settings"
)

func TestWorkerValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*settings.Worker)
		want string
	}{
		{"bad duration", func(c *settings.Worker) { c.RetryBase = "soon" }, "retry_base"},
		{"rescue before timeout", func(c *settings.Worker) { c.RescueAfter = "30s"; c.JobTimeout = "1m" }, "rescue_after"},
		{"no workers", func(c *settings.Worker) { c.MailWorkers = 0 }, "mail_workers"},
	} {
		cfg := settings.DefaultWorker()
		c.edit(&cfg)
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error naming %s", c.name, err, c.want)
		}
	}
	if err := settings.DefaultWorker().Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
}
