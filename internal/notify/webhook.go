package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Standard Webhooks (https://www.standardwebhooks.com): the message id,
// its timestamp and its signatures travel in these headers.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

const (
	// DefaultTolerance is how far a webhook timestamp may be from the
	// receiver's clock when Verify is given no tolerance.
	DefaultTolerance = 5 * time.Minute

	// DefaultWebhookTimeout bounds a whole POST when Webhook.Client is nil.
	DefaultWebhookTimeout = 30 * time.Second

	// UserAgent is sent with every webhook.
	UserAgent = "leakwatch-webhook/1"

	secretPrefix = "whsec_"
	// maxResponse is how much of a receiver's response is read (and
	// discarded, so that the connection can be reused).
	maxResponse = 64 << 10
	// maxRetryAfter caps a receiver's Retry-After.
	maxRetryAfter = 7 * 24 * time.Hour
)

var (
	// ErrSignature is wrapped by Verify's errors when the webhook headers
	// are missing or no signature matches.
	ErrSignature = errors.New("webhook signature does not verify")
	// ErrTimestamp is wrapped by Verify's errors when the webhook
	// timestamp is malformed or outside the tolerance.
	ErrTimestamp = errors.New("webhook timestamp outside tolerance")
)

// NewSecret returns a new webhook secret: "whsec_" and the standard base64
// of 32 bytes read from rand (crypto/rand.Reader in production).
func NewSecret(rand io.Reader) (string, error) {
	key := make([]byte, 32)
	if _, err := io.ReadFull(rand, key); err != nil {
		return "", fmt.Errorf("making a webhook secret: %w", err)
	}
	return secretPrefix + base64.StdEncoding.EncodeToString(key), nil
}

// ParseSecret returns the key of a "whsec_" secret. Standard Webhooks keys
// are 24 to 64 bytes long. Its errors wrap [ErrConfig] and never quote the
// secret.
func ParseSecret(s string) ([]byte, error) {
	b64, ok := strings.CutPrefix(s, secretPrefix)
	if !ok {
		return nil, fmt.Errorf("%w: webhook secret does not start with %s", ErrConfig, secretPrefix)
	}
	key, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || strings.ContainsAny(b64, "\r\n") { // the decoder skips CR and LF
		return nil, fmt.Errorf("%w: webhook secret is not base64", ErrConfig)
	}
	if len(key) < 24 || len(key) > 64 {
		return nil, fmt.Errorf("%w: webhook secret key is %d bytes, want 24 to 64", ErrConfig, len(key))
	}
	return key, nil
}

// Sign returns the Standard Webhooks signature of one message: "v1," and
// the base64 HMAC-SHA256, keyed with key, of "{id}.{timestamp}.{body}",
// where timestamp is ts in whole seconds since the Unix epoch.
func Sign(key []byte, id string, ts time.Time, body []byte) string {
	return "v1," + base64.StdEncoding.EncodeToString(mac(key, id, ts.Unix(), body))
}

func mac(key []byte, id string, ts int64, body []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(id + "." + strconv.FormatInt(ts, 10) + "."))
	h.Write(body)
	return h.Sum(nil)
}

// Verify checks a received webhook, as its receiver does: the headers h
// must carry an id, a timestamp within tolerance of now
// ([DefaultTolerance] when tolerance is 0 or less) and, among the
// space-separated signatures, one "v1," signature that matches body under
// secret, compared in constant time. Signatures of other versions are
// ignored. Its errors wrap [ErrSignature], [ErrTimestamp] or, for a
// malformed secret, [ErrConfig].
func Verify(secret string, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	key, err := ParseSecret(secret)
	if err != nil {
		return err
	}
	id, tsText, sigs := h.Get(HeaderID), h.Get(HeaderTimestamp), h.Get(HeaderSignature)
	if id == "" || tsText == "" || sigs == "" {
		return fmt.Errorf("%w: missing %s, %s or %s header", ErrSignature, HeaderID, HeaderTimestamp, HeaderSignature)
	}
	ts, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %s is not an integer", ErrTimestamp, HeaderTimestamp)
	}
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return ErrTimestamp
	}
	want := mac(key, id, ts, body)
	for _, sig := range strings.Fields(sigs) {
		version, b64, ok := strings.Cut(sig, ",")
		if !ok || version != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(b64)
		if err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return ErrSignature
}

// Webhook posts signed JSON messages to one receiver. A Webhook value is
// safe for concurrent use.
type Webhook struct {
	// URL is the receiver. It must be https, or http to a loopback host
	// ("localhost" or a loopback IP: tests and development, with a Client
	// of their own).
	URL string
	// Secret is the "whsec_" secret shared with the receiver.
	Secret string
	// Client sends the request; redirects are never followed, whatever its
	// CheckRedirect (a 3xx is a permanent failure: the receiver's URL
	// changed, and a signed message is not replayed elsewhere). When nil,
	// a client is used that has DefaultWebhookTimeout, ignores proxy
	// settings and refuses to connect to any address that is not public
	// unicast (loopback, private, link-local, shared 100.64/10): webhook
	// URLs come from subscribers, and must not reach our own network.
	// Receivers on a private network need a Client of their own.
	Client *http.Client
}

// Send posts body, a JSON document, to the receiver with the Standard
// Webhooks headers for message id (the idempotency key: a retry reuses it)
// and ts, a Content-Type of application/json and [UserAgent]. A 2xx status
// is success. Errors are [*Error] values or wrap [ErrConfig] or
// [ErrInvalidMessage]: a 408, 429 or 5xx status and network errors are
// temporary, other statuses permanent (see [IsPermanent]); on a 429 or 503
// with a Retry-After header, [RetryAfter] returns the delay asked for. At
// most 64 KiB of the response body are read; none of it is kept.
func (w Webhook) Send(ctx context.Context, id string, ts time.Time, body []byte) error {
	u, err := url.Parse(w.URL)
	if err != nil || u.Host == "" {
		return &Error{kind: "webhook", Step: "config", permanent: true,
			err: fmt.Errorf("%w: webhook URL does not parse as scheme://host/path", ErrConfig)}
	}
	fail := func(step string, err error) *Error {
		return &Error{kind: "webhook", Server: u.Host, Step: step, permanent: IsPermanent(err), err: err}
	}
	if err := CheckWebhookURL(w.URL); err != nil {
		return fail("config", err)
	}
	key, err := ParseSecret(w.Secret)
	if err != nil {
		return fail("config", err)
	}
	if !validWebhookID(id) {
		return fmt.Errorf("%w: webhook id is not 1 to 255 printable ASCII characters without spaces", ErrInvalidMessage)
	}
	if ts.IsZero() {
		return fmt.Errorf("%w: webhook timestamp is not set", ErrInvalidMessage)
	}
	if !json.Valid(body) {
		return fmt.Errorf("%w: webhook body is not JSON", ErrInvalidMessage)
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return fail("config", fmt.Errorf("%w: %v", ErrConfig, err))
	}
	req.Header.Set(HeaderID, id)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts.Unix(), 10))
	req.Header.Set(HeaderSignature, Sign(key, id, ts, body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", UserAgent)
	var client http.Client
	if w.Client != nil {
		client = *w.Client
	} else {
		client = publicClient()
	}
	client.CheckRedirect = func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}
	resp, err := client.Do(req)
	if err != nil {
		// A *url.Error quotes the URL, whose path may hold a token.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fail("POST", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponse))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	e := &Error{kind: "webhook", Server: u.Host, Step: "POST", Code: resp.StatusCode}
	switch code := resp.StatusCode; {
	case code == http.StatusRequestTimeout, code == http.StatusTooManyRequests, code >= 500:
	default:
		e.permanent = true
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		e.retryAfter, e.hasRetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), resp.Header.Get("Date"))
	}
	return e
}

// parseRetryAfter reads a Retry-After value: delay-seconds, or an
// HTTP-date taken relative to the response's own Date header (so neither
// our clock nor clock skew enters). The delay is capped at maxRetryAfter.
func parseRetryAfter(v, date string) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	var d time.Duration
	if secs, err := strconv.ParseUint(v, 10, 64); err == nil {
		d = maxRetryAfter
		if secs < uint64(maxRetryAfter/time.Second) {
			d = time.Duration(secs) * time.Second
		}
	} else {
		at, err1 := http.ParseTime(v)
		now, err2 := http.ParseTime(date)
		if err1 != nil || err2 != nil {
			return 0, false
		}
		d = min(max(at.Sub(now), 0), maxRetryAfter)
	}
	return d, true
}

// validWebhookID reports whether id can be a header value and a part of
// the signed content (or an EHLO name): 1 to 255 printable ASCII bytes,
// no spaces.
func validWebhookID(id string) bool {
	if len(id) == 0 || len(id) > 255 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] <= ' ' || id[i] > '~' {
			return false
		}
	}
	return true
}

// publicClient returns the client Send uses when Webhook.Client is nil:
// see there. Its transport keeps no idle connections, so that a client
// made for one Send leaves nothing behind.
func publicClient() http.Client {
	d := &net.Dialer{Timeout: 10 * time.Second, Control: refuseNonPublic}
	return http.Client{
		Timeout: DefaultWebhookTimeout,
		Transport: &http.Transport{
			DialContext:            d.DialContext,
			TLSHandshakeTimeout:    10 * time.Second,
			ResponseHeaderTimeout:  DefaultWebhookTimeout,
			MaxResponseHeaderBytes: 64 << 10,
			DisableKeepAlives:      true,
			ForceAttemptHTTP2:      true,
		},
	}
}

// sharedAddressSpace is 100.64.0.0/10 (RFC 6598, carrier-grade NAT).
var sharedAddressSpace = netip.MustParsePrefix("100.64.0.0/10")

// refuseNonPublic is a net.Dialer Control function: it runs after name
// resolution, on the address about to be dialled, so DNS cannot point a
// public name at a private address.
func refuseNonPublic(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: cannot check webhook address %s", ErrConfig, address)
	}
	ip := ap.Addr().Unmap()
	if !ip.IsGlobalUnicast() || ip.IsPrivate() || sharedAddressSpace.Contains(ip) {
		return fmt.Errorf("%w: webhook address %s is not public", ErrConfig, ip)
	}
	return nil
}

// CheckWebhookURL says whether raw is a URL webhooks may be sent to:
// https, or http to a loopback host only (errors wrap ErrConfig).
func CheckWebhookURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%w: webhook URL does not parse as scheme://host/path", ErrConfig)
	}
	if u.User != nil {
		return fmt.Errorf("%w: webhook URL must not hold a user name or password (they would be shown and logged)", ErrConfig)
	}
	if u.Scheme == "https" || u.Scheme == "http" && isLoopbackHost(u.Hostname()) {
		return nil
	}
	return fmt.Errorf("%w: webhook URL must be https (http only to loopback)", ErrConfig)
}

// isLoopbackHost reports whether host is "localhost" or a loopback IP.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
