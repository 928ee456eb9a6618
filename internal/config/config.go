// Package config holds the one configuration of a werkdiagnose instance:
// defaults from the source, an optional JSON file over them and a few
// environment variables over that. It is validated once, at start.
package config

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/bar-organisatie/werkdiagnose/internal/casework"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
	"github.com/bar-organisatie/werkdiagnose/internal/settings"
)

// Config is the configuration of one instance.
type Config struct {
	Addr     string `json:"addr"`
	Database string `json:"database"` // SQLite file path or postgres:// URL
	// DatabasePool bounds the connections: pool size, the wait for a
	// connection (then 503) and the slow-query log.
	DatabasePool  settings.Database `json:"database_pool"`
	BaseURL       string            `json:"base_url"`
	SecureCookies bool              `json:"secure_cookies"`
	Server        Server            `json:"server"`
	SSO           settings.SSO      `json:"sso"`         // sign-in with OpenID Connect; empty issuer: local accounts only
	PublicForm    bool              `json:"public_form"` // serve the public application form at /aanvraag
	// PublicFormLimit limits the applications the public form takes from
	// one client address.
	PublicFormLimit RateLimit       `json:"public_form_limit"`
	Policy          process.Policy  `json:"policy"`
	Casework        casework.Config `json:"casework"`
	Mail            settings.Mail   `json:"mail"`   // SMTP server, or a pickup directory on a laptop
	Worker          settings.Worker `json:"worker"` // background jobs: delivery, reminders, digests
	PDF             settings.PDF    `json:"pdf"`    // letters printed to PDF with Chromium, or not
	// Audit is the audit log's policy (retention); Processing the register
	// of processing activities and the pseudonym key of the processing log.
	Audit      casework.AuditConfig      `json:"audit"`
	Processing casework.ProcessingConfig `json:"processing"`
}

// Server is how the instance meets the network: TLS of its own, or the
// reverse proxies in front of it.
type Server struct {
	// TrustedProxies are the reverse proxies (CIDRs or addresses) whose
	// X-Forwarded-For and X-Forwarded-Proto are believed: for the client's
	// address (rate limits, logs) and for HTTPS (HSTS, Secure cookies).
	// Empty: nobody's, the connection's peer is the client.
	TrustedProxies []string `json:"trusted_proxies"`
	// TLSCert and TLSKey are PEM files; with both set serve answers HTTPS
	// itself (flags --tls-cert and --tls-key).
	TLSCert string `json:"tls_cert"`
	TLSKey  string `json:"tls_key"`
	// AdminAddr is a second listener for operators only, with Go's
	// profiler (net/http/pprof) under /debug/pprof/; empty (the default):
	// none. Keep it on loopback or an admin network: profiles show the
	// program's internals (flag --admin-addr).
	AdminAddr string `json:"admin_addr"`
	// ServerTiming adds a Server-Timing header to every answer: the
	// database statements, their count and time, and the rest of the
	// server's time. For development (on with serve --demo); off by
	// default, since it tells anyone how the server spends its time.
	ServerTiming bool `json:"server_timing"`
}

// RateLimit is a limit per client address: at most Burst at once, and
// MaxPerHour an hour after that. MaxPerHour 0 turns the limit off.
type RateLimit struct {
	MaxPerHour int `json:"max_per_hour"`
	Burst      int `json:"burst"`
}

// Default returns a configuration that runs on a laptop.
func Default() Config {
	return Config{
		Addr:            ":8080",
		Database:        "werkdiagnose.db",
		DatabasePool:    settings.DefaultDatabase(),
		BaseURL:         "http://localhost:8080",
		PublicForm:      true,
		PublicFormLimit: RateLimit{MaxPerHour: 5, Burst: 3},
		Policy:          process.DefaultPolicy(),
		Casework:        casework.DefaultConfig(),
		Worker:          settings.DefaultWorker(),
		PDF:             settings.DefaultPDF(),
		Audit:           casework.AuditConfig{RetentionDays: casework.DefaultAuditRetentionDays},
		Processing:      casework.DefaultProcessing(),
	}
}

// Environment variables read by Load.
const (
	EnvConfig   = "WERKDIAGNOSE_CONFIG"
	EnvDatabase = "WERKDIAGNOSE_DATABASE"
	EnvAddr     = "WERKDIAGNOSE_ADDR"
	EnvBaseURL  = "WERKDIAGNOSE_BASE_URL"
	// EnvSMTPPassword keeps the SMTP password out of the configuration file.
	EnvSMTPPassword = "WERKDIAGNOSE_SMTP_PASSWORD"
	// EnvSSOClientSecret keeps the OpenID Connect client secret out of it.
	EnvSSOClientSecret = "WERKDIAGNOSE_SSO_CLIENT_SECRET"
	// EnvSubjectKey keeps the key of the processing log's pseudonyms out
	// of the configuration file.
	EnvSubjectKey = "WERKDIAGNOSE_SUBJECT_KEY"
	// EnvTOTPKey is the key (base64 of 32 bytes) that encrypts stored TOTP
	// secrets; only ever from the environment.
	EnvTOTPKey = "WERKDIAGNOSE_TOTP_KEY"
)

// Load reads the file (if path is not empty; else WERKDIAGNOSE_CONFIG) over
// the defaults, then the environment, and validates the result.
func Load(path string) (Config, error) {
	c := Default()
	if path == "" {
		path = os.Getenv(EnvConfig)
	}
	if path != "" {
		body, err := os.ReadFile(path)
		if err != nil {
			return Config{}, fmt.Errorf("config: %w", err)
		}
		dec := json.NewDecoder(strings.NewReader(string(body)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			return Config{}, fmt.Errorf("config %s: %w", path, err)
		}
	}
	if v := os.Getenv(EnvDatabase); v != "" {
		c.Database = v
	}
	if v := os.Getenv(EnvAddr); v != "" {
		c.Addr = v
	}
	if v := os.Getenv(EnvBaseURL); v != "" {
		c.BaseURL = v
	}
	if v := os.Getenv(EnvSMTPPassword); v != "" {
		c.Mail.Password = v
	}
	if v := os.Getenv(EnvSSOClientSecret); v != "" {
		c.SSO.ClientSecret = v
	}
	if v := os.Getenv(EnvSubjectKey); v != "" {
		c.Processing.SubjectKey = v
	}
	if v := os.Getenv(EnvTOTPKey); v != "" {
		key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(v))
		if err != nil {
			return Config{}, fmt.Errorf("config: %s is not base64", EnvTOTPKey)
		}
		c.Casework.SignIn.TOTPKey = key
	}
	return c, nil
}

// Validate reports the first problem, in words an administrator can act on.
func (c *Config) Validate() error {
	if c.Addr == "" {
		return errors.New("config: addr is empty")
	}
	if c.Database == "" {
		return errors.New("config: database is empty")
	}
	c.DatabasePool = c.DatabasePool.WithDefaults()
	if err := c.DatabasePool.Validate(); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("config: base_url %q must be an http(s) URL", c.BaseURL)
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	c.Casework.BaseURL = c.BaseURL
	if err := c.Policy.Validate(); err != nil {
		return fmt.Errorf("config: policy: %w", err)
	}
	if len(c.Casework.Rooms) == 0 {
		return errors.New("config: casework.rooms: at least one room is required")
	}
	seen := map[string]bool{}
	for _, r := range c.Casework.Rooms {
		if r.Key == "" || seen[r.Key] {
			return fmt.Errorf("config: room key %q is empty or used twice", r.Key)
		}
		seen[r.Key] = true
	}
	if len(c.Casework.Durations) == 0 {
		return errors.New("config: casework.durations must not be empty")
	}
	if err := process.ValidMailbox(c.Casework.Sender); err != nil {
		return fmt.Errorf("config: casework.sender: %w", err)
	}
	if c.Mail.Host == "" && c.Mail.PickupDir == "" {
		// On a laptop without an SMTP server mail lands as .eml files
		// beside the SQLite database; production sets mail.host.
		if strings.Contains(c.Database, "://") {
			return errors.New("config: mail.host is empty: set the SMTP server (or mail.pickup_dir for .eml files)")
		}
		c.Mail.PickupDir = c.Database + "-mail"
	}
	if err := c.Mail.Validate(); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if err := c.Worker.Validate(); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if err := c.PDF.Validate(); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if c.PublicFormLimit.MaxPerHour < 0 || c.PublicFormLimit.Burst < 0 {
		return errors.New("config: public_form_limit: max_per_hour and burst must not be negative")
	}
	if (c.Server.TLSCert == "") != (c.Server.TLSKey == "") {
		return errors.New("config: server.tls_cert and server.tls_key go together: set both or neither")
	}
	if err := c.Casework.Retention.Validate(); err != nil {
		return fmt.Errorf("config: casework.%w", err)
	}
	if err := c.Casework.SignIn.Validate(); err != nil {
		return fmt.Errorf("config: casework.%w", err)
	}
	c.SSO = c.SSO.WithDefaults(c.BaseURL)
	if err := c.SSO.Validate(func(r string) bool { _, ok := process.ParseRole(r); return ok }); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if c.Casework.UploadMaxBytes < 0 {
		return errors.New("config: casework.upload_max_bytes must not be negative")
	}
	if c.Audit.RetentionDays < 1 {
		return errors.New("config: audit.retention_days must be at least 1")
	}
	if k := c.Processing.SubjectKey; k != "" && len(k) < MinSubjectKeyLength {
		return fmt.Errorf("config: processing.subject_key must be at least %d characters (a random secret)", MinSubjectKeyLength)
	}
	if err := c.Processing.Validate(); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	c.Casework.Audit, c.Casework.Processing = c.Audit, c.Processing
	return nil
}

// MinSubjectKeyLength is the shortest pseudonym key accepted: 32
// characters, at least 128 bits of a random hex or base64 secret.
const MinSubjectKeyLength = 32

// Masked returns the configuration as JSON with secrets masked, for the log.
func (c Config) Masked() string {
	m := c
	if u, err := url.Parse(m.Database); err == nil && u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
			m.Database = u.String()
		}
	}
	body, _ := json.Marshal(struct {
		Addr, Database, BaseURL string
		SecureCookies           bool
		TrustedProxies          []string
		TLS                     bool
		Policy                  string
		Rooms                   int
		Mail                    string
		Worker                  bool
		SSO                     string
	}{m.Addr, m.Database, m.BaseURL, m.SecureCookies, m.Server.TrustedProxies, m.Server.TLSCert != "", "see /proces", len(m.Casework.Rooms), m.Mail.Describe(), m.Worker.Enabled, m.SSO.Issuer})
	return string(body)
}
