package settings_test

import (
	"strings"
	"testing"
	"time"

	"github.com/bar-organisatie/werkdiagnose/internal/settings"
)

func TestDatabaseValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*settings.Database)
		want string
	}{
		{"one connection", func(c *settings.Database) { c.MaxConns = 1 }, "max_conns"},
		{"negative", func(c *settings.Database) { c.MaxConns = -3 }, "max_conns"},
		{"bad timeout", func(c *settings.Database) { c.AcquireTimeout = "soon" }, "acquire_timeout"},
		{"zero timeout", func(c *settings.Database) { c.AcquireTimeout = "0s" }, "acquire_timeout"},
		{"bad slow query", func(c *settings.Database) { c.SlowQuery = "slow" }, "slow_query"},
	} {
		cfg := settings.DefaultDatabase()
		c.edit(&cfg)
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error naming %s", c.name, err, c.want)
		}
	}
	if err := settings.DefaultDatabase().Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
}

func TestDatabaseDefaults(t *testing.T) {
	// An empty section (a configuration file without it) gets the defaults.
	var empty settings.Database
	if err := empty.Validate(); err != nil {
		t.Fatalf("empty section: %v", err)
	}
	c := empty.WithDefaults()
	d, err := c.Durations()
	if err != nil || c.MaxConns != 16 || d.AcquireTimeout != 2*time.Second || d.SlowQuery != 200*time.Millisecond {
		t.Errorf("defaults = %+v %+v (%v), want 16, 2s, 200ms", c, d, err)
	}
	// slow_query "0" turns the log off.
	off := settings.Database{SlowQuery: "0"}
	if d, err := off.Durations(); err != nil || d.SlowQuery != 0 {
		t.Errorf("slow_query 0 = %v (%v), want 0", d.SlowQuery, err)
	}
}
