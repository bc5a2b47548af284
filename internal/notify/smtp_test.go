package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/google/go-cmp/cmp"

	"github.com/leakwatch/leakwatch/internal/testcert"
)

// received is what the test server saw of one message.
type received struct {
	Helo     string
	TLS      bool // the transaction ran over TLS
	User     string
	From, To string
	Data     string
}

// smtpServer is a real SMTP server (go-smtp's) on 127.0.0.1.
type smtpServer struct {
	Addr string
	Pool *x509.CertPool

	rcptErr error // returned for every RCPT when set

	mu   sync.Mutex
	msgs []received
}

type smtpServerOptions struct {
	startTLS bool // offer STARTTLS
	implicit bool // TLS from the first byte
	rcptErr  *smtp.SMTPError
}

const (
	testUser     = "alerts"
	testPassword = "correct horse"
)

func startSMTPServer(t *testing.T, o smtpServerOptions) *smtpServer {
	t.Helper()
	certFile, keyFile, pool := testcert.Write(t, t.TempDir())
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	tlsConfig := &tls.Config{Certificates: []tls.Certificate{cert}}

	ts := &smtpServer{Pool: pool}
	if o.rcptErr != nil {
		ts.rcptErr = o.rcptErr
	}
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{srv: ts, conn: c}, nil
	}))
	s.Domain = "mx.test"
	s.ReadTimeout = 10 * time.Second
	s.WriteTimeout = 10 * time.Second
	s.ErrorLog = log.New(io.Discard, "", 0)
	if o.startTLS {
		s.TLSConfig = tlsConfig
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if o.implicit {
		ln = tls.NewListener(ln, tlsConfig)
	}
	ts.Addr = ln.Addr().String()
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return ts
}

func (ts *smtpServer) received() []received {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]received(nil), ts.msgs...)
}

type session struct {
	srv  *smtpServer
	conn *smtp.Conn
	msg  received
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != testUser || password != testPassword {
			return smtp.ErrAuthFailed
		}
		s.msg.User = username
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	_, s.msg.TLS = s.conn.TLSConnectionState()
	s.msg.Helo = s.conn.Hostname()
	s.msg.From = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.srv.rcptErr != nil {
		return s.srv.rcptErr
	}
	s.msg.To = to
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.msg.Data = string(b)
	s.srv.mu.Lock()
	s.srv.msgs = append(s.srv.msgs, s.msg)
	s.srv.mu.Unlock()
	return nil
}

func (s *session) Reset()        {}
func (s *session) Logout() error { return nil }

func testSMTP(ts *smtpServer) SMTP {
	return SMTP{
		Addr:      ts.Addr,
		HelloName: "leakwatch.test",
		Username:  testUser,
		Password:  testPassword,
		TLSConfig: &tls.Config{RootCAs: ts.Pool},
		Timeout:   10 * time.Second,
	}
}

func TestSMTPSend(t *testing.T) {
	tests := []struct {
		name string
		opts smtpServerOptions
		mode string
		auth bool
		tls  bool
	}{
		{"starttls", smtpServerOptions{startTLS: true}, "", true, true},
		{"implicit tls", smtpServerOptions{implicit: true}, TLSImplicit, true, true},
		{"none to loopback", smtpServerOptions{}, TLSNone, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := startSMTPServer(t, tt.opts)
			s := testSMTP(ts)
			s.TLS = tt.mode
			if !tt.auth {
				s.Username, s.Password = "", ""
			}
			m := testMail()
			m.Subject = "Fuite de données: 2 comptes"
			if err := s.Send(context.Background(), m); err != nil {
				t.Fatalf("Send: %v", err)
			}
			msg, err := m.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			want := []received{{
				Helo: "leakwatch.test",
				TLS:  tt.tls,
				From: "alerts@leakwatch.example",
				To:   "owner@example.com",
				Data: string(msg),
			}}
			if tt.auth {
				want[0].User = testUser
			}
			got := ts.received()
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("server received (-want +got):\n%s", diff)
			}
			checkMessage(t, m, []byte(got[0].Data))
			if !strings.Contains(got[0].Data, "\r\nMessage-ID: <alert-42.1@leakwatch.example>\r\n") {
				t.Errorf("Message-ID not as given:\n%s", got[0].Data)
			}
			if !strings.Contains(got[0].Data, "\r\nSubject: =?utf-8?b?") {
				t.Errorf("non-ASCII Subject not encoded:\n%s", got[0].Data)
			}
		})
	}
}

func TestSMTPSendFails(t *testing.T) {
	tests := []struct {
		name      string
		opts      smtpServerOptions
		change    func(*SMTP)
		step      string
		code      int
		permanent bool
		is        error
	}{
		{
			name:      "wrong password",
			opts:      smtpServerOptions{startTLS: true},
			change:    func(s *SMTP) { s.Password = "Tr0ub4dor&3" },
			step:      "AUTH",
			code:      535,
			permanent: true,
		},
		{
			name: "RCPT refused 550",
			opts: smtpServerOptions{startTLS: true, rcptErr: &smtp.SMTPError{
				Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "<owner@example.com>: no such user"}},
			step:      "RCPT",
			code:      550,
			permanent: true,
		},
		{
			name: "RCPT deferred 451",
			opts: smtpServerOptions{startTLS: true, rcptErr: &smtp.SMTPError{
				Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 1}, Message: "<owner@example.com>: greylisted"}},
			step:      "RCPT",
			code:      451,
			permanent: false,
		},
		{
			name:      "no STARTTLS offered",
			opts:      smtpServerOptions{},
			step:      "STARTTLS",
			permanent: true,
			is:        ErrNoSTARTTLS,
		},
		{
			name:      "untrusted certificate",
			opts:      smtpServerOptions{startTLS: true},
			change:    func(s *SMTP) { s.TLSConfig = nil },
			step:      "STARTTLS",
			permanent: false,
		},
		{
			name:      "AUTH not offered in clear",
			opts:      smtpServerOptions{},
			change:    func(s *SMTP) { s.TLS = TLSNone },
			step:      "AUTH",
			permanent: true,
			is:        ErrConfig,
		},
		{
			name:      "unknown TLS mode",
			change:    func(s *SMTP) { s.TLS = "ssl" },
			step:      "config",
			permanent: true,
			is:        ErrConfig,
		},
		{
			name:      "HelloName with CRLF",
			change:    func(s *SMTP) { s.HelloName = "leakwatch.test\r\nRSET" },
			step:      "config",
			permanent: true,
			is:        ErrConfig,
		},
		{
			name:      "none to a non-loopback address",
			change:    func(s *SMTP) { s.TLS = TLSNone; s.Addr = "192.0.2.1:25" },
			step:      "config",
			permanent: true,
			is:        ErrConfig,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := startSMTPServer(t, tt.opts)
			s := testSMTP(ts)
			if tt.change != nil {
				tt.change(&s)
			}
			m := testMail()
			err := s.Send(context.Background(), m)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Send = %v, want an *Error", err)
			}
			if e.Step != tt.step || e.Code != tt.code {
				t.Errorf("Send = %v: step %q code %d, want %q %d", err, e.Step, e.Code, tt.step, tt.code)
			}
			if got := IsPermanent(err); got != tt.permanent {
				t.Errorf("IsPermanent(%v) = %v, want %v", err, got, tt.permanent)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("Send = %v, want it to wrap %v", err, tt.is)
			}
			t.Log(err)
			msg := err.Error()
			for _, secret := range []string{"owner", "example.com", "breach", s.Password} {
				if strings.Contains(msg, secret) {
					t.Errorf("error %q contains %q", msg, secret)
				}
			}
			if tt.step != "config" && !strings.Contains(msg, s.Addr) {
				t.Errorf("error %q does not name the server %s", msg, s.Addr)
			}
			if got := ts.received(); len(got) != 0 {
				t.Errorf("server received %d messages, want none", len(got))
			}
		})
	}
}

func TestSMTPSendInjection(t *testing.T) {
	ts := startSMTPServer(t, smtpServerOptions{startTLS: true})
	m := testMail()
	m.Subject = "hello\r\nBcc: victim@example.net"
	err := testSMTP(ts).Send(context.Background(), m)
	if !errors.Is(err, ErrInvalidMessage) || !IsPermanent(err) {
		t.Fatalf("Send = %v, want a permanent ErrInvalidMessage", err)
	}
	if got := ts.received(); len(got) != 0 {
		t.Errorf("server received %d messages, want none", len(got))
	}
}

// TestSMTPSendTimeout: a server that accepts the connection and never
// greets costs Timeout, and the error is temporary.
func TestSMTPSendTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	for _, cancel := range []bool{false, true} {
		s := SMTP{Addr: ln.Addr().String(), Timeout: 300 * time.Millisecond}
		ctx := context.Background()
		if cancel {
			s.Timeout = time.Hour
			var stop context.CancelFunc
			ctx, stop = context.WithTimeout(ctx, 300*time.Millisecond)
			defer stop()
		}
		start := time.Now()
		err = s.Send(ctx, testMail())
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("Send took %v", took)
		}
		if err == nil || IsPermanent(err) {
			t.Fatalf("Send = %v, want a temporary error", err)
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Send = %v, want it to wrap context.DeadlineExceeded", err)
		}
	}
}
