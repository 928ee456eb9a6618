package settings

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// TLS modes of Mail.TLS.
const (
	TLSStartTLS      = "starttls"      // STARTTLS required (default)
	TLSOpportunistic = "opportunistic" // STARTTLS when offered, else plain
	TLSImplicit      = "tls"           // TLS from the first byte (SMTPS, port 465)
	TLSNone          = "none"          // plain text: only for a local relay or tests
)

// Defaults of Mail.
const (
	DefaultSMTPPort         = 587
	DefaultSMTPImplicitPort = 465
	DefaultMailTimeout      = 30 * time.Second
)

// Mail selects how mail leaves the application: an SMTP server when Host
// is set, otherwise a pickup directory of .eml files.
type Mail struct {
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

// WithDefaults returns c with the defaults of unset fields filled in and
// TLS in lower case.
func (c Mail) WithDefaults() Mail {
	c.TLS = strings.ToLower(strings.TrimSpace(c.TLS))
	if c.TLS == "" {
		c.TLS = TLSStartTLS
	}
	if c.Port == 0 {
		c.Port = DefaultSMTPPort
		if c.TLS == TLSImplicit {
			c.Port = DefaultSMTPImplicitPort
		}
	}
	if strings.TrimSpace(c.Timeout) == "" {
		c.Timeout = DefaultMailTimeout.String()
	}
	return c
}

// TimeoutDuration is the parsed Timeout, or the default when it is unset
// or invalid (Validate reports the latter).
func (c Mail) TimeoutDuration() time.Duration {
	d, err := time.ParseDuration(strings.TrimSpace(c.Timeout))
	if err != nil || d <= 0 {
		return DefaultMailTimeout
	}
	return d
}

// Validate reports the first problem, naming the field as it appears in
// the configuration file (mail.*).
func (c Mail) Validate() error {
	d := c.WithDefaults()
	if c.Host == "" {
		if strings.TrimSpace(c.PickupDir) == "" {
			return errors.New("mail: set mail.host to send mail, or mail.pickup_dir to write it to a directory")
		}
		return nil
	}
	if strings.TrimSpace(c.Host) != c.Host || strings.ContainsAny(c.Host, " \t/@") ||
		(strings.Contains(c.Host, ":") && net.ParseIP(c.Host) == nil) {
		return fmt.Errorf("mail.host %q: give a bare host name or IP address (the port goes in mail.port)", c.Host)
	}
	switch d.TLS {
	case TLSStartTLS, TLSOpportunistic, TLSImplicit, TLSNone:
	default:
		return fmt.Errorf("mail.tls %q: use %s, %s, %s or %s", c.TLS, TLSStartTLS, TLSOpportunistic, TLSImplicit, TLSNone)
	}
	if c.Port < 0 || c.Port > 65535 {
		return fmt.Errorf("mail.port %d: must be between 1 and 65535 (0 for the default)", c.Port)
	}
	if dur, err := time.ParseDuration(d.Timeout); err != nil || dur <= 0 {
		return fmt.Errorf("mail.timeout %q: use a positive Go duration such as 30s or 1m", c.Timeout)
	}
	if c.Password != "" && c.Username == "" {
		return errors.New("mail.password is set but mail.username is empty")
	}
	if strings.ContainsAny(c.HeloName, " \t\r\n") {
		return fmt.Errorf("mail.helo_name %q: must be a host name without spaces", c.HeloName)
	}
	if c.CAFile != "" {
		if d.TLS == TLSNone {
			return fmt.Errorf("mail.ca_file is set but mail.tls is %q", TLSNone)
		}
		if _, err := c.RootCAs(); err != nil {
			return err
		}
	}
	return nil
}

// RootCAs returns the system roots with the certificates of CAFile added,
// or nil (the system roots) when CAFile is empty.
func (c Mail) RootCAs() (*x509.CertPool, error) {
	if c.CAFile == "" {
		return nil, nil
	}
	pem, err := os.ReadFile(c.CAFile)
	if err != nil {
		return nil, fmt.Errorf("mail.ca_file: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("mail.ca_file %q: no PEM certificate found", c.CAFile)
	}
	return pool, nil
}

// Describe summarizes c for logs, without the password.
func (c Mail) Describe() string {
	if c.Host == "" {
		if c.PickupDir == "" {
			return "no mail delivery configured"
		}
		return "pickup dir " + c.PickupDir
	}
	d := c.WithDefaults()
	s := "smtp " + net.JoinHostPort(c.Host, strconv.Itoa(d.Port)) + " " + d.TLS
	if c.Username != "" {
		s += " user=" + c.Username
	}
	if c.CAFile != "" {
		s += " ca_file=" + c.CAFile
	}
	return s
}
