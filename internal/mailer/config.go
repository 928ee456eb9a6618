package mailer

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// TLS modes of Config.TLS.
const (
	TLSStartTLS      = "starttls"      // STARTTLS required (default)
	TLSOpportunistic = "opportunistic" // STARTTLS when offered, else plain
	TLSImplicit      = "tls"           // TLS from the first byte (SMTPS, port 465)
	TLSNone          = "none"          // plain text: only for a local relay or tests
)

// Default values of Config.
const (
	DefaultPort         = 587
	DefaultImplicitPort = 465
	DefaultTimeout      = 30 * time.Second
)

// Config selects how mail leaves the application: an SMTP server when Host
// is set, otherwise a pickup directory of .eml files.
type Config struct {
	Host     string `json:"host"`      // empty: no SMTP
	Port     int    `json:"port"`      // default 587 (465 when TLS=="tls")
	Username string `json:"username"`  // empty: no SMTP AUTH
	Password string `json:"password"`  // never logged
	TLS      string `json:"tls"`       // starttls (default), opportunistic, tls or none
	CAFile   string `json:"ca_file"`   // optional extra CA (PEM) for a private relay
	HeloName string `json:"helo_name"` // EHLO name; default the machine's host name
	Timeout  string `json:"timeout"`   // Go duration, default "30s"
	// PickupDir is used when Host is empty: each mail is written as
	// <message-id>.eml into this directory (laptop/demo use).
	PickupDir string `json:"pickup_dir"`
}

// withDefaults fills in the defaults of unset fields.
func (c Config) withDefaults() Config {
	c.TLS = strings.ToLower(strings.TrimSpace(c.TLS))
	if c.TLS == "" {
		c.TLS = TLSStartTLS
	}
	if c.Port == 0 {
		c.Port = DefaultPort
		if c.TLS == TLSImplicit {
			c.Port = DefaultImplicitPort
		}
	}
	if strings.TrimSpace(c.Timeout) == "" {
		c.Timeout = DefaultTimeout.String()
	}
	return c
}

// timeout is the parsed Timeout of a validated, defaulted Config.
func (c Config) timeout() time.Duration {
	d, err := time.ParseDuration(c.Timeout)
	if err != nil || d <= 0 {
		return DefaultTimeout
	}
	return d
}

// Validate reports the first configuration error, naming the field as it
// appears in the configuration file (mail.smtp.*).
func (c Config) Validate() error {
	d := c.withDefaults()
	if c.Host == "" {
		if strings.TrimSpace(c.PickupDir) == "" {
			return errors.New("mail.smtp: set mail.smtp.host to send mail, or mail.smtp.pickup_dir to write it to a directory")
		}
		return nil
	}
	if strings.TrimSpace(c.Host) != c.Host || strings.ContainsAny(c.Host, " \t/@") ||
		(strings.Contains(c.Host, ":") && net.ParseIP(c.Host) == nil) {
		return fmt.Errorf("mail.smtp.host %q: give a bare host name or IP address (the port goes in mail.smtp.port)", c.Host)
	}
	switch d.TLS {
	case TLSStartTLS, TLSOpportunistic, TLSImplicit, TLSNone:
	default:
		return fmt.Errorf("mail.smtp.tls %q: use %s, %s, %s or %s", c.TLS, TLSStartTLS, TLSOpportunistic, TLSImplicit, TLSNone)
	}
	if c.Port < 0 || c.Port > 65535 {
		return fmt.Errorf("mail.smtp.port %d: must be between 1 and 65535 (0 for the default)", c.Port)
	}
	if dur, err := time.ParseDuration(d.Timeout); err != nil || dur <= 0 {
		return fmt.Errorf("mail.smtp.timeout %q: use a positive Go duration such as 30s or 1m", c.Timeout)
	}
	if c.Password != "" && c.Username == "" {
		return errors.New("mail.smtp.password is set but mail.smtp.username is empty")
	}
	if strings.ContainsAny(c.HeloName, " \t\r\n") {
		return fmt.Errorf("mail.smtp.helo_name %q: must be a host name without spaces", c.HeloName)
	}
	if c.CAFile != "" {
		if d.TLS == TLSNone {
			return fmt.Errorf("mail.smtp.ca_file is set but mail.smtp.tls is %q", TLSNone)
		}
		if _, err := loadCA(c.CAFile); err != nil {
			return err
		}
	}
	return nil
}

// Describe summarizes c for logs, without the password.
func (c Config) Describe() string {
	if c.Host == "" {
		if c.PickupDir == "" {
			return "no mail delivery configured"
		}
		return "pickup dir " + c.PickupDir
	}
	d := c.withDefaults()
	s := "smtp " + net.JoinHostPort(c.Host, strconv.Itoa(d.Port)) + " " + d.TLS
	if c.Username != "" {
		s += " user=" + c.Username
	}
	if c.CAFile != "" {
		s += " ca_file=" + c.CAFile
	}
	return s
}

// tlsConfig is the client TLS configuration: system roots plus CAFile.
func (c Config) tlsConfig() (*tls.Config, error) {
	conf := &tls.Config{ServerName: c.Host, MinVersion: tls.VersionTLS12}
	if c.CAFile != "" {
		pool, err := loadCA(c.CAFile)
		if err != nil {
			return nil, err
		}
		conf.RootCAs = pool
	}
	return conf, nil
}

// loadCA returns the system roots with the certificates of file added.
func loadCA(file string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("mail.smtp.ca_file: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("mail.smtp.ca_file %q: no PEM certificate found", file)
	}
	return pool, nil
}
