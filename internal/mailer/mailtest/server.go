// Package mailtest runs a real SMTP server (emersion/go-smtp) on
// 127.0.0.1 for tests, records what it receives and can fail on request.
// Parse takes a received message apart again.
package mailtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Received is one accepted message.
type Received struct {
	From string
	To   []string
	Data []byte
	At   time.Time
}

// Option configures Start.
type Option func(*Server)

// WithAuth makes the server offer AUTH PLAIN (also without TLS) and refuse
// MAIL FROM until the client has logged in as user/pass.
func WithAuth(user, pass string) Option {
	return func(s *Server) { s.user, s.pass, s.auth = user, pass, true }
}

// WithTLS makes the server offer STARTTLS with a freshly generated
// self-signed certificate for 127.0.0.1 and localhost; CAFile writes it.
func WithTLS() Option {
	return func(s *Server) { s.withTLS = true }
}

// Server is a running test SMTP server.
type Server struct {
	t       testing.TB
	srv     *smtp.Server
	ln      net.Listener
	done    chan struct{}
	user    string
	pass    string
	auth    bool
	withTLS bool
	certPEM []byte

	mu       sync.Mutex
	received []Received
	changed  chan struct{} // closed and replaced on every accepted message
	failNext int
	rejectN  int
	delay    time.Duration
	holding  int // messages inside the SetDelay wait
}

// Start listens on 127.0.0.1 on a free port; the server is closed by
// t.Cleanup.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{t: t, done: make(chan struct{}), changed: make(chan struct{})}
	for _, o := range opts {
		o(s)
	}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		base := &session{s: s}
		if s.auth {
			return &authSession{base}, nil
		}
		return base, nil
	}))
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true
	s.srv.ReadTimeout = 30 * time.Second
	s.srv.WriteTimeout = 30 * time.Second
	s.srv.MaxMessageBytes = 32 << 20
	s.srv.MaxRecipients = 50
	if s.withTLS {
		cert, certPEM, err := selfSigned()
		if err != nil {
			t.Fatalf("mailtest: certificate: %v", err)
		}
		s.certPEM = certPEM
		s.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mailtest: listen: %v", err)
	}
	s.ln = ln
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = s.srv.Serve(ln)
	}()
	t.Cleanup(func() {
		close(s.done) // ends any SetDelay sleep
		_ = s.srv.Close()
		// Close the listener too: when the test ends before Serve has
		// registered it, the server's Close does not know it yet and
		// Serve would wait in Accept for ever.
		_ = ln.Close()
		<-served
	})
	return s
}

// Host is the IP address the server listens on.
func (s *Server) Host() string { return s.ln.Addr().(*net.TCPAddr).IP.String() }

// Port is the TCP port the server listens on.
func (s *Server) Port() int { return s.ln.Addr().(*net.TCPAddr).Port }

// Addr is host:port.
func (s *Server) Addr() string { return net.JoinHostPort(s.Host(), strconv.Itoa(s.Port())) }

// CAFile writes the server certificate (its own CA) as PEM to a temporary
// file and returns its path. It fails the test without WithTLS.
func (s *Server) CAFile() string {
	s.t.Helper()
	if s.certPEM == nil {
		s.t.Fatal("mailtest: CAFile needs WithTLS")
	}
	name := filepath.Join(s.t.TempDir(), "mailtest-ca.pem")
	if err := os.WriteFile(name, s.certPEM, 0o600); err != nil {
		s.t.Fatalf("mailtest: %v", err)
	}
	return name
}

// FailNext makes the next n messages fail after DATA with 451 (temporary).
func (s *Server) FailNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext = n
}

// RejectNext makes the next n messages fail after DATA with 550 (permanent).
func (s *Server) RejectNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejectN = n
}

// SetDelay makes the server wait d after receiving a message before it
// answers (and records it). The wait ends early when the server closes.
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// Holding is the number of messages the server has received and is
// holding back (SetDelay) before it answers: the sender is inside DATA.
func (s *Server) Holding() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.holding
}

func (s *Server) hold(n int) {
	s.mu.Lock()
	s.holding += n
	s.mu.Unlock()
}

// Received returns a copy of the messages accepted so far.
func (s *Server) Received() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.copyReceived()
}

func (s *Server) copyReceived() []Received {
	out := make([]Received, len(s.received))
	for i, r := range s.received {
		r.To = append([]string(nil), r.To...)
		r.Data = append([]byte(nil), r.Data...)
		out[i] = r
	}
	return out
}

// WaitFor waits until at least n messages were accepted and returns them;
// it fails the test after timeout.
func (s *Server) WaitFor(t testing.TB, n int, timeout time.Duration) []Received {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		if len(s.received) >= n {
			out := s.copyReceived()
			s.mu.Unlock()
			return out
		}
		changed, got := s.changed, len(s.received)
		s.mu.Unlock()
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("mailtest: %d message(s) received within %s, want %d", got, timeout, n)
			return nil
		}
	}
}

// session is one SMTP transaction state.
type session struct {
	s      *Server
	authed bool
	from   string
	to     []string
}

func (ss *session) Reset() { ss.from, ss.to = "", nil }

func (ss *session) Logout() error { return nil }

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.auth && !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s := ss.s
	s.mu.Lock()
	delay := s.delay
	s.mu.Unlock()
	if delay > 0 {
		s.hold(1)
		select {
		case <-time.After(delay):
			s.hold(-1)
		case <-s.done:
			s.hold(-1)
			return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Server shutting down"}
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.failNext > 0:
		s.failNext--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Temporary failure (mailtest)"}
	case s.rejectN > 0:
		s.rejectN--
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "Message rejected (mailtest)"}
	}
	s.received = append(s.received, Received{
		From: ss.from,
		To:   append([]string(nil), ss.to...),
		Data: data,
		At:   time.Now(),
	})
	close(s.changed)
	s.changed = make(chan struct{})
	return nil
}

// authSession adds AUTH PLAIN to session.
type authSession struct{ *session }

func (as *authSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (as *authSession) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if (identity != "" && identity != user) || user != as.s.user || pass != as.s.pass {
			return errors.New("invalid username or password")
		}
		as.authed = true
		return nil
	}), nil
}

// selfSigned makes an ECDSA certificate for 127.0.0.1, ::1 and localhost
// that is its own CA.
func selfSigned() (tls.Certificate, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "mailtest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	cert := tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	return cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), nil
}
