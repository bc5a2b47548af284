package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"strings"
	"time"
)

// The SMTP client is the standard library's net/smtp, not
// github.com/emersion/go-smtp's (which the tests use for their server).
// net/smtp works on a connection we dial ourselves, so one context and one
// deadline cover the whole exchange, and it lets us say EHLO with our own
// name before STARTTLS. go-smtp v0.25.1's client can only STARTTLS through
// NewClientStartTLS, which greets as "localhost" before a name can be set,
// and it resets the connection's deadline after every command. net/smtp is
// frozen, but what we need of it (RFC 5321, STARTTLS, AUTH) is stable, and
// the AUTH PLAIN rule below is ours.

// TLS modes of [SMTP].
const (
	TLSStartTLS = "starttls" // STARTTLS, required (the default)
	TLSImplicit = "tls"      // TLS from the first byte, usually port 465
	TLSNone     = "none"     // no TLS: only to a loopback address
)

// DefaultSMTPTimeout bounds a whole SMTP exchange when SMTP.Timeout is 0.
const DefaultSMTPTimeout = time.Minute

// SMTP sends mail through one submission server. The zero TLS mode is
// STARTTLS, and it is required: a server that does not offer it fails with
// [ErrNoSTARTTLS]. An SMTP value is safe for concurrent use; each Send
// opens its own connection.
type SMTP struct {
	// Addr is the server's host:port.
	Addr string
	// HelloName is the name sent with EHLO; "localhost" when empty.
	HelloName string
	// Username and Password, when Username is set, authenticate with AUTH
	// PLAIN, never over an unencrypted connection to a non-loopback
	// address.
	Username, Password string
	// TLS is TLSStartTLS (the default when empty), TLSImplicit or TLSNone.
	TLS string
	// TLSConfig, when set, is used for the handshake; its ServerName
	// defaults to Addr's host and MinVersion to TLS 1.2.
	TLSConfig *tls.Config
	// Timeout bounds the whole exchange, dial to QUIT, within ctx's own
	// deadline; DefaultSMTPTimeout when 0.
	Timeout time.Duration
}

// Send delivers m to m.To with one SMTP transaction: dial, EHLO,
// STARTTLS (or implicit TLS), AUTH PLAIN when a username is set, MAIL
// FROM, RCPT TO, DATA. A nil error means the server accepted the message
// for delivery. Errors are [*Error] values or wrap [ErrInvalidMessage];
// ask [IsPermanent] whether a retry can help.
func (s SMTP) Send(ctx context.Context, m Mail) error {
	from, to, msg, err := m.build()
	if err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(s.Addr)
	if err != nil || host == "" {
		return s.fail("config", fmt.Errorf("%w: Addr is not host:port", ErrConfig))
	}
	mode := s.TLS
	if mode == "" {
		mode = TLSStartTLS
	}
	switch mode {
	case TLSStartTLS, TLSImplicit:
	case TLSNone:
		if ip := net.ParseIP(host); ip != nil && !ip.IsLoopback() {
			return s.fail("config", fmt.Errorf("%w: TLS %q is only allowed to a loopback address", ErrConfig, mode))
		}
	default:
		return s.fail("config", fmt.Errorf("%w: TLS mode %q is not starttls, tls or none", ErrConfig, mode))
	}
	if s.HelloName != "" && !validWebhookID(s.HelloName) {
		return s.fail("config", fmt.Errorf("%w: HelloName is not printable ASCII without spaces", ErrConfig))
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = DefaultSMTPTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return s.fail("dial", err)
	}
	defer conn.Close()
	// Closing the connection when ctx ends (its deadline or the caller's
	// cancellation) unblocks any read or write at once.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	err = s.session(ctx, conn, host, mode, from, to, msg)
	if err != nil && ctx.Err() != nil {
		// The connection was closed under the exchange: say why.
		var e *Error
		if errors.As(err, &e) && e.Code == 0 && !e.permanent {
			e.err = context.Cause(ctx)
		}
	}
	return err
}

func (s SMTP) session(ctx context.Context, conn net.Conn, host, mode, from, to string, msg []byte) error {
	loopback := false
	if a, ok := conn.RemoteAddr().(*net.TCPAddr); ok {
		loopback = a.IP.IsLoopback()
	}
	if mode == TLSNone && !loopback {
		return s.fail("config", fmt.Errorf("%w: TLS %q is only allowed to a loopback address", ErrConfig, mode))
	}
	config := &tls.Config{}
	if s.TLSConfig != nil {
		config = s.TLSConfig.Clone()
	}
	if config.ServerName == "" {
		config.ServerName = host
	}
	if config.MinVersion == 0 {
		config.MinVersion = tls.VersionTLS12
	}
	if mode == TLSImplicit {
		tc := tls.Client(conn, config)
		if err := tc.HandshakeContext(ctx); err != nil {
			return s.fail("TLS", err)
		}
		conn = tc
	}

	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return s.fail("greeting", err)
	}
	defer c.Close()
	hello := s.HelloName
	if hello == "" {
		hello = "localhost"
	}
	if err := c.Hello(hello); err != nil {
		return s.fail("EHLO", err)
	}
	encrypted := mode == TLSImplicit
	if mode == TLSStartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return s.fail("STARTTLS", ErrNoSTARTTLS)
		}
		// StartTLS says EHLO again over TLS; a handshake error shows here.
		if err := c.StartTLS(config); err != nil {
			return s.fail("STARTTLS", err)
		}
		encrypted = true
	}
	if s.Username != "" {
		if !encrypted && !loopback {
			return s.fail("AUTH", fmt.Errorf("%w: no AUTH over an unencrypted connection", ErrConfig))
		}
		if ok, _ := c.Extension("AUTH"); !ok {
			return s.fail("AUTH", fmt.Errorf("%w: a username is set but the server does not offer AUTH", ErrConfig))
		}
		if err := c.Auth(plainAuth{s.Username, s.Password}); err != nil {
			return s.fail("AUTH", err)
		}
	}
	if err := c.Mail(from); err != nil {
		return s.fail("MAIL", err)
	}
	if err := c.Rcpt(to); err != nil {
		return s.fail("RCPT", err)
	}
	w, err := c.Data()
	if err != nil {
		return s.fail("DATA", err)
	}
	if _, err := w.Write(msg); err != nil {
		return s.fail("DATA", err)
	}
	if err := w.Close(); err != nil { // reads the server's verdict
		return s.fail("DATA", err)
	}
	// The message is accepted: a failed QUIT changes nothing.
	c.Quit()
	return nil
}

// fail makes err an [*Error] for step. A server reply keeps only its code
// and enhanced code: its text often quotes the recipient.
func (s SMTP) fail(step string, err error) error {
	e := &Error{kind: "smtp", Server: s.Addr, Step: step}
	var reply *textproto.Error
	if errors.As(err, &reply) {
		e.Code = reply.Code
		e.Enhanced = enhancedCode(reply.Msg)
		e.permanent = reply.Code >= 500 && reply.Code < 600
		return e
	}
	e.err = err
	e.permanent = IsPermanent(err)
	return e
}

// enhancedCode returns the RFC 3463 status code that starts an SMTP reply
// text ("5.1.1 <bob@example.com>: unknown" gives "5.1.1"), or "".
func enhancedCode(text string) string {
	code, _, _ := strings.Cut(text, " ")
	parts := strings.Split(code, ".")
	if len(parts) != 3 || len(parts[0]) != 1 || !strings.Contains("245", parts[0]) {
		return ""
	}
	for _, p := range parts[1:] {
		if len(p) < 1 || len(p) > 3 || strings.Trim(p, "0123456789") != "" {
			return ""
		}
	}
	return code
}

// plainAuth is AUTH PLAIN (RFC 4616). Whether the connection allows it is
// decided in session, in one place, not by net/smtp's host-name check.
type plainAuth struct{ username, password string }

func (a plainAuth) Start(*smtp.ServerInfo) (string, []byte, error) {
	return "PLAIN", []byte("\x00" + a.username + "\x00" + a.password), nil
}

func (a plainAuth) Next(_ []byte, more bool) ([]byte, error) {
	if more {
		return nil, errors.New("unexpected AUTH PLAIN challenge")
	}
	return nil, nil
}
