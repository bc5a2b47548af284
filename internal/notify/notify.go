// Package notify delivers one alert message: by email over SMTP
// ([SMTP.Send]) or by a signed webhook following Standard Webhooks
// ([Webhook.Send], [Sign], [Verify]).
//
// It keeps no state between calls: a durable outbox built on top decides
// what to send and when, stores the message id it retries with, and asks
// [IsPermanent], [RetryAfter] and [Backoff] what to do after a failure.
// A retried message must carry the same id (Mail.MessageID, the webhook
// id) so that receivers can drop the duplicate.
//
// Errors are safe to log: they name the server and the reply code, never
// the recipient, the message, the secret nor the server's reply text (which
// often quotes the recipient).
package notify

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

var (
	// ErrConfig is wrapped by errors that come from the sender's
	// configuration (SMTP or Webhook fields, a malformed secret). They are
	// permanent: retrying cannot help until the configuration changes.
	ErrConfig = errors.New("bad configuration")

	// ErrInvalidMessage is wrapped by errors that come from the message
	// itself (a header holding CR or LF, an address that does not parse, a
	// body that is not JSON). They are permanent.
	ErrInvalidMessage = errors.New("invalid message")

	// ErrNoSTARTTLS is wrapped when an SMTP server does not offer STARTTLS
	// although the configuration requires it. It is permanent: the mail is
	// never sent in clear, and an operator has to look at the server.
	ErrNoSTARTTLS = errors.New("server does not offer STARTTLS")
)

// Error is a failed delivery: which server, at which step, and the reply
// code when the server gave one. Its text is safe to log.
type Error struct {
	// Server is the SMTP server's host:port or the webhook URL's
	// host[:port] (never its path or query, which may hold a token).
	Server string
	// Step is what failed: "dial", "TLS" (implicit), "greeting", "EHLO",
	// "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA" for SMTP, "POST" for a
	// webhook, "config" for either.
	Step string
	// Code is the SMTP reply code or the HTTP status, 0 when none came.
	Code int
	// Enhanced is the SMTP enhanced status code (RFC 3463) such as
	// "5.1.1", when the server gave one.
	Enhanced string

	kind          string // "smtp" or "webhook"
	permanent     bool
	retryAfter    time.Duration
	hasRetryAfter bool
	err           error // a log-safe cause: never a server's reply text
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.kind)
	if e.Server != "" {
		b.WriteString(" " + e.Server)
	}
	b.WriteString(": " + e.Step)
	switch {
	case e.Code != 0 && e.kind == "smtp":
		fmt.Fprintf(&b, ": reply %d", e.Code)
		if e.Enhanced != "" {
			b.WriteString(" " + e.Enhanced)
		}
	case e.Code != 0:
		fmt.Fprintf(&b, ": status %d", e.Code)
	}
	if e.hasRetryAfter {
		fmt.Fprintf(&b, " (retry after %s)", e.retryAfter)
	}
	if e.err != nil {
		b.WriteString(": " + e.err.Error())
	}
	return b.String()
}

// Unwrap returns the cause: a network or TLS error, a context error, or
// one of this package's sentinel errors.
func (e *Error) Unwrap() error { return e.err }

// IsPermanent reports whether retrying the same delivery cannot succeed:
// an SMTP 5xx reply, a webhook 4xx status other than 408 and 429 (and any
// 3xx: redirects are not followed), [ErrConfig], [ErrInvalidMessage] and
// [ErrNoSTARTTLS]. Everything else is temporary: network and TLS errors,
// timeouts and cancellations, SMTP 4xx, HTTP 5xx, 408 and 429.
func IsPermanent(err error) bool {
	if errors.Is(err, ErrConfig) || errors.Is(err, ErrInvalidMessage) || errors.Is(err, ErrNoSTARTTLS) {
		return true
	}
	var e *Error
	return errors.As(err, &e) && e.permanent
}

// RetryAfter returns the delay a webhook receiver asked for with a
// Retry-After header on a 429 or 503 response. ok is false when err is not
// such a response or the header was absent or malformed.
func RetryAfter(err error) (d time.Duration, ok bool) {
	var e *Error
	if errors.As(err, &e) && e.hasRetryAfter {
		return e.retryAfter, true
	}
	return 0, false
}
