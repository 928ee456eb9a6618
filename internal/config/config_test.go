package config_test

import (
	"os"
	"os/exec"
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

func TestMailAndWorkerRefusals(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*config.Config)
		want string
	}{
		{"sender not an address", func(c *config.Config) { c.Casework.Sender = "noreply" }, `casework.sender: "noreply" is not an e-mail address`},
		{"unknown TLS mode", func(c *config.Config) { c.Mail.Host, c.Mail.TLS = "smtp.example.nl", "maybe" }, "tls"},
		{"PostgreSQL without SMTP", func(c *config.Config) { c.Database = "postgres://db.example.nl/wd" }, "mail.host is empty"},
		{"worker timing", func(c *config.Config) { c.Worker.RetryBase = "straks" }, "worker.retry_base"},
		{"one database connection", func(c *config.Config) { c.DatabasePool.MaxConns = 1 }, "database_pool.max_conns"},
		{"database wait", func(c *config.Config) { c.DatabasePool.AcquireTimeout = "even" }, "database_pool.acquire_timeout"},
	} {
		cfg := config.Default()
		c.edit(&cfg)
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error containing %q", c.name, err, c.want)
		}
	}
	// On a laptop mail lands beside the SQLite file.
	cfg := config.Default()
	if err := cfg.Validate(); err != nil || cfg.Mail.PickupDir != "werkdiagnose.db-mail" {
		t.Errorf("default pickup dir %q (%v)", cfg.Mail.PickupDir, err)
	}
	t.Setenv(config.EnvSMTPPassword, "s3cret-smtp")
	cfg, err := config.Load("")
	if err != nil || cfg.Mail.Password != "s3cret-smtp" || strings.Contains(cfg.Masked(), "s3cret") {
		t.Errorf("SMTP password from the environment: %q, masked %s (%v)", cfg.Mail.Password, cfg.Masked(), err)
	}
}

// TestNoInfrastructure: reading the configuration pulls in no database
// driver, job queue or mail library; config only holds plain settings.
func TestNoInfrastructure(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, bad := range []string{"github.com/riverqueue/", "github.com/jackc/pgx", "modernc.org/sqlite", "github.com/wneessen/go-mail",
			"/internal/store", "/internal/worker", "/internal/mailer"} {
			if strings.Contains(dep, bad) {
				t.Errorf("internal/config depends on %s", dep)
			}
		}
	}
}

// TestSignInConfig: SSO from the file with its secret from the
// environment (never in the masked log line), its defaults and
// refusals; the sign-in policy's refusals.
func TestSignInConfig(t *testing.T) {
	t.Setenv(config.EnvSSOClientSecret, "sso-geheim")
	t.Setenv(config.EnvTOTPKey, "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
	c, err := config.Load(write(t, `{"sso": {"issuer": "https://login.gemeente.example", "client_id": "wd",
		"role_map": {"GG-KM": ["km_werk"]}}, "casework": {"sign_in": {"totp_roles": ["teamleider"]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.SSO.ClientSecret != "sso-geheim" || c.SSO.RedirectURL != "http://localhost:8080/login/sso/terug" || c.SSO.RoleClaim != "groups" ||
		strings.Join(c.SSO.Scopes, " ") != "openid profile email" || c.Casework.SignIn.Throttle.FreeAttempts != 5 ||
		string(c.Casework.SignIn.TOTPKey) != "0123456789abcdef0123456789abcdef" {
		t.Fatalf("sso %+v, sign-in %+v", c.SSO, c.Casework.SignIn)
	}
	if strings.Contains(c.Masked(), "sso-geheim") || strings.Contains(c.Masked(), "MDEyMzQ1") || !strings.Contains(c.Masked(), "login.gemeente.example") {
		t.Errorf("masked: %s", c.Masked())
	}
	t.Setenv(config.EnvTOTPKey, "geen base64!")
	if _, err := config.Load(""); err == nil || !strings.Contains(err.Error(), "WERKDIAGNOSE_TOTP_KEY") {
		t.Errorf("bad TOTP key: %v", err)
	}
	t.Setenv(config.EnvTOTPKey, "")
	for body, want := range map[string]string{
		`{"sso": {"issuer": "https://x.example", "client_id": "wd", "role_map": {"g": ["baas"]}}}`:           `unknown role "baas"`,
		`{"sso": {"issuer": "https://x.example", "client_id": "wd"}}`:                                        `role_map is empty`,
		`{"sso": {"issuer": "https://x.example", "role_map": {"g": ["km_werk"]}}}`:                           `client_id is empty`,
		`{"sso": {"issuer": "x", "client_id": "wd", "role_map": {"g": ["km_werk"]}, "scopes": ["profile"]}}`: `issuer`,
		`{"casework": {"sign_in": {"password_min_length": 6}}}`:                                              `password_min_length`,
		`{"casework": {"sign_in": {"throttle": {"free_attempts": 0}}}}`:                                      `free_attempts`,
	} {
		c, err := config.Load(write(t, body))
		if err == nil {
			err = c.Validate()
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", body, err, want)
		}
	}
}

// TestServerAndPublicFormLimit: the network keys and the public form's
// limit load from the file, with defaults; half a TLS pair and negative
// limits are refused.
func TestServerAndPublicFormLimit(t *testing.T) {
	if d := config.Default().PublicFormLimit; d.MaxPerHour != 5 || d.Burst != 3 {
		t.Errorf("default public_form_limit %+v", d)
	}
	c, err := config.Load(write(t, `{"server": {"trusted_proxies": ["10.0.0.0/8"], "tls_cert": "c.pem", "tls_key": "k.pem"}, "public_form_limit": {"max_per_hour": 10, "burst": 2}}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.Server.TrustedProxies[0] != "10.0.0.0/8" || c.Server.TLSCert != "c.pem" || c.PublicFormLimit.MaxPerHour != 10 || c.PublicFormLimit.Burst != 2 {
		t.Errorf("loaded %+v %+v", c.Server, c.PublicFormLimit)
	}
	for _, body := range []string{`{"server": {"tls_cert": "c.pem"}}`, `{"public_form_limit": {"max_per_hour": -1}}`} {
		c, err := config.Load(write(t, body))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Validate(); err == nil {
			t.Errorf("%s accepted", body)
		}
	}
}
