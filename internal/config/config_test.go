package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bar-organisatie/werkdiagnose/internal/config"
)

func write(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDefaultsValidate(t *testing.T) {
	c := config.Default()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.Policy.ApplicationCode != "0/L2" || c.Policy.ParticipationCode != "17/PA" || c.Casework.BaseURL != c.BaseURL {
		t.Fatalf("defaults: %+v", c.Policy)
	}
}

func TestFileAndEnvironment(t *testing.T) {
	t.Setenv(config.EnvDatabase, "postgres://wd:geheim@db:5432/wd")
	c, err := config.Load(write(t, `{"addr": ":9090", "policy": {"minimum_age": 27, "intake_term_days": 10}}`))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":9090" || c.Policy.IntakeTermDays != 10 || c.Database != "postgres://wd:geheim@db:5432/wd" {
		t.Fatalf("loaded %+v", c)
	}
	if strings.Contains(c.Masked(), "geheim") {
		t.Errorf("masked config shows the password: %s", c.Masked())
	}
}

func TestRefusals(t *testing.T) {
	if _, err := config.Load(write(t, `{"adres": ":80"}`)); err == nil || !strings.Contains(err.Error(), "adres") {
		t.Errorf("unknown key accepted: %v", err)
	}
	c := config.Default()
	c.Policy.Teams[1].Mailbox = "ondersteuning-at-gemeente"
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), `mailbox "ondersteuning-at-gemeente" is not an e-mail address`) {
		t.Errorf("malformed team mailbox: %v", err)
	}
	c = config.Default()
	c.BaseURL = "localhost:8080"
	if err := c.Validate(); err == nil {
		t.Error("base URL without scheme accepted")
	}
	c = config.Default()
	c.Casework.Rooms = append(c.Casework.Rooms, c.Casework.Rooms[0])
	if err := c.Validate(); err == nil {
		t.Error("duplicate room accepted")
	}
}
