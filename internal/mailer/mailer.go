// Package mailer delivers the application's mail: over SMTP (go-mail) or,
// without an SMTP server, as .eml files in a pickup directory.
//
// A Mail may carry an iCalendar invitation. It is then sent in the shape
// Outlook and Gmail recognise as an invitation:
//
//	multipart/mixed
//	├── multipart/alternative
//	│   ├── text/plain; charset=UTF-8
//	│   ├── text/html; charset=UTF-8            (when HTML is set)
//	│   └── text/calendar; method=…; charset=UTF-8
//	└── application/ics; name="uitnodiging.ics" (attachment)
//
// Other files (a letter as PDF) are attachments of the multipart/mixed
// message, after the text, each with its own content type.
package mailer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/bar-organisatie/werkdiagnose/internal/settings"
)

// DefaultCalendarName is the file name of the invitation attachment.
const DefaultCalendarName = "uitnodiging.ics"

// ErrInvalidMail wraps every error about a Mail that can never be sent as
// it is (bad address, missing text, ...). IsPermanent reports true for it.
var ErrInvalidMail = errors.New("invalid mail")

// Attachment is a file sent with a mail.
type Attachment struct {
	Name        string // file name; for Mail.Calendar default "uitnodiging.ics"
	ContentType string // for Mail.Calendar: ics.ContentType(method)
	Data        []byte
}

// Mail is one message to one recipient.
type Mail struct {
	// MessageID is "<unique@domain>"; it appears exactly so in the
	// Message-ID header and names the pickup file.
	MessageID string
	From      string // bare address
	FromName  string
	To        string // bare address
	ToName    string
	Subject   string
	Text      string // required
	HTML      string // optional
	Date      time.Time
	Calendar  *Attachment // optional text/calendar invitation
	// Attachments are other files sent with the mail: a letter's PDF.
	Attachments []Attachment
}

// Sender delivers mail.
type Sender interface {
	Send(ctx context.Context, m Mail) error
}

// New returns an SMTP sender when c.Host is set, else a pickup-directory
// sender when c.PickupDir is set, else an error.
func New(c settings.Mail) (Sender, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if c.Host != "" {
		return newSMTP(c.WithDefaults())
	}
	if err := os.MkdirAll(c.PickupDir, 0o750); err != nil {
		return nil, fmt.Errorf("mail.pickup_dir: %w", err)
	}
	return &pickupSender{dir: c.PickupDir}, nil
}

// IsPermanent reports whether err means this mail will never be accepted as
// it is: a 5xx reply of the SMTP server to MAIL FROM, RCPT TO or DATA, or an
// ErrInvalidMail. Connection errors, TLS or AUTH failures and 4xx replies
// are not permanent: retrying later may succeed.
func IsPermanent(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrInvalidMail) {
		return true
	}
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return false
	}
	switch se.Reason {
	case gomail.ErrSMTPMailFrom, gomail.ErrSMTPRcptTo, gomail.ErrSMTPData, gomail.ErrSMTPDataClose:
		code := se.ErrorCode()
		return code >= 500 && code < 600
	}
	return false
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidMail, fmt.Sprintf(format, args...))
}

// messageID returns the Message-ID without angle brackets.
func (m Mail) messageID() (string, error) {
	id := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(m.MessageID), "<"), ">")
	at := strings.LastIndexByte(id, '@')
	if at <= 0 || at == len(id)-1 || strings.ContainsAny(id, "<>\"\\ \t\r\n()[],;:") {
		return "", invalid("message ID %q: want <unique@domain>", m.MessageID)
	}
	return id, nil
}

func address(field, name, addr string) (*mail.Address, error) {
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Address != addr {
		return nil, invalid("%s address %q is not a plain e-mail address", field, addr)
	}
	if strings.ContainsAny(name, "\r\n") {
		return nil, invalid("%s name contains a line break", field)
	}
	return &mail.Address{Name: name, Address: addr}, nil
}

// calendarType returns the media type of the text/calendar alternative,
// without charset (go-mail appends it): `text/calendar; method=REQUEST`.
func calendarType(a *Attachment) (string, error) {
	mt, params, err := mime.ParseMediaType(a.ContentType)
	if err != nil || mt != "text/calendar" || params["method"] == "" {
		return "", invalid("calendar content type %q: want text/calendar with a method (ics.ContentType)", a.ContentType)
	}
	return mime.FormatMediaType(mt, map[string]string{"method": strings.ToUpper(params["method"])}), nil
}

// build turns m into a go-mail message.
func (m Mail) build() (*gomail.Msg, error) {
	id, err := m.messageID()
	if err != nil {
		return nil, err
	}
	from, err := address("from", m.FromName, m.From)
	if err != nil {
		return nil, err
	}
	to, err := address("to", m.ToName, m.To)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(m.Text) == "" {
		return nil, invalid("text body is empty")
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return nil, invalid("subject contains a line break")
	}

	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	msg.SetMessageIDWithValue(id)
	msg.FromMailAddress(from)
	msg.ToMailAddress(to)
	msg.Subject(m.Subject)
	date := m.Date
	if date.IsZero() {
		date = time.Now()
	}
	msg.SetDateWithValue(date)
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")

	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	if c := m.Calendar; c != nil {
		if len(c.Data) == 0 {
			return nil, invalid("calendar attachment is empty")
		}
		ct, err := calendarType(c)
		if err != nil {
			return nil, err
		}
		// Base64 keeps the CRLF line endings and folding of the iCalendar
		// data byte for byte.
		msg.AddAlternativeString(gomail.ContentType(ct), string(c.Data), gomail.WithPartEncoding(gomail.EncodingB64))
		name := c.Name
		if name == "" {
			name = DefaultCalendarName
		}
		if err := msg.AttachReader(name, bytes.NewReader(c.Data), gomail.WithFileContentType("application/ics")); err != nil {
			return nil, fmt.Errorf("mailer: attach %s: %w", name, err)
		}
	}
	for _, a := range m.Attachments {
		if len(a.Data) == 0 || a.Name == "" || strings.ContainsAny(a.Name, "\r\n/\\\"") {
			return nil, invalid("attachment %q: a file needs a plain name and content", a.Name)
		}
		if _, _, err := mime.ParseMediaType(a.ContentType); err != nil {
			return nil, invalid("attachment %q: content type %q", a.Name, a.ContentType)
		}
		if err := msg.AttachReader(a.Name, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(a.ContentType))); err != nil {
			return nil, fmt.Errorf("mailer: attach %s: %w", a.Name, err)
		}
	}
	return msg, nil
}

// smtpSender sends each mail over its own SMTP connection.
type smtpSender struct {
	conf settings.Mail
	opts []gomail.Option
}

// newSMTP makes the sender of a validated, defaulted c.
func newSMTP(c settings.Mail) (*smtpSender, error) {
	roots, err := c.RootCAs()
	if err != nil {
		return nil, err
	}
	opts := []gomail.Option{
		gomail.WithPort(c.Port),
		gomail.WithTimeout(c.TimeoutDuration()),
		gomail.WithTLSConfig(&tls.Config{ServerName: c.Host, MinVersion: tls.VersionTLS12, RootCAs: roots}),
	}
	switch c.TLS {
	case settings.TLSStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case settings.TLSOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case settings.TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case settings.TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if c.HeloName != "" {
		opts = append(opts, gomail.WithHELO(c.HeloName))
	}
	if c.Username != "" {
		// PLAIN and LOGIN refuse to send the password over an unencrypted
		// connection to anything but localhost.
		opts = append(opts,
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthSCRAMSHA256, gomail.SMTPAuthPlain, gomail.SMTPAuthLogin),
			gomail.WithUsername(c.Username),
			gomail.WithPassword(c.Password))
	}
	// Fail now rather than on the first Send if an option is rejected.
	if _, err := gomail.NewClient(c.Host, opts...); err != nil {
		return nil, fmt.Errorf("mailer: %w", err)
	}
	return &smtpSender{conf: c, opts: opts}, nil
}

func (s *smtpSender) Send(ctx context.Context, m Mail) error {
	msg, err := m.build()
	if err != nil {
		return err
	}
	client, err := gomail.NewClient(s.conf.Host, s.opts...)
	if err != nil {
		return fmt.Errorf("mailer: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mailer: smtp %s:%d: %w", s.conf.Host, s.conf.Port, err)
	}
	return nil
}

// pickupSender writes each mail as an .eml file.
type pickupSender struct {
	dir string
}

func (p *pickupSender) Send(ctx context.Context, m Mail) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	msg, err := m.build()
	if err != nil {
		return err
	}
	id, _ := m.messageID()
	final := filepath.Join(p.dir, fileName(id))

	tmp, err := os.CreateTemp(p.dir, ".tmp-*.eml")
	if err != nil {
		return fmt.Errorf("mailer: pickup: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := msg.WriteTo(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("mailer: pickup: write: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("mailer: pickup: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("mailer: pickup: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o640); err != nil {
		return fmt.Errorf("mailer: pickup: %w", err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return fmt.Errorf("mailer: pickup: %w", err)
	}
	return nil
}

// fileName is a file-safe, stable name for a Message-ID (without angle
// brackets). When characters had to be replaced, a short hash of the ID is
// added so that different IDs never share a file.
func fileName(id string) string {
	safe := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9',
			r == '.', r == '-', r == '_', r == '@', r == '+', r == '=':
			return r
		}
		return '_'
	}, id)
	safe = strings.TrimLeft(safe, ".")
	if safe != id {
		sum := sha256.Sum256([]byte(id))
		safe += "-" + hex.EncodeToString(sum[:4])
	}
	return safe + ".eml"
}
