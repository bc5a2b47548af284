// Package privatecheck is the Go client of leakwatch's private credential
// check (docs/private-check.md): it asks a leakwatch server whether a
// login and password are in a leak without telling the server the
// password or the answer.
//
// A check reads the server's params document (GET
// /api/private/v1/params), picks the current epoch and pins its public
// key, slow-hashes and blinds the pair, ten similar passwords and the
// login, and sends one fixed-size request (POST /api/private/v1/check).
// The server answers with the blinded evaluations, a proof that it used
// the epoch's key, and the tags of the login's bucket; the client
// verifies the proof and looks its outputs up locally. What the server
// learns is the login's bucket, which many other logins share.
//
// A check costs about 10 ms of client CPU (up to eleven Argon2id hashes) and
// one round trip. A Client is safe for concurrent use.
package privatecheck

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"unicode"

	core "github.com/leakwatch/leakwatch/internal/privatecheck"
)

// Result is the answer of a check.
type Result = core.Result

// The answers of a check, in order of precedence.
const (
	// Leaked: this exact login and password are in a leak.
	Leaked = core.Leaked
	// Similar: the login leaked with a password similar to this one (see
	// Answer.SimilarTo), not with this one.
	Similar = core.Similar
	// UsernameOnly: the login is in a leak, with neither this password
	// nor a similar one.
	UsernameOnly = core.UsernameOnly
	// NotFound: neither the login nor the password is in the leaks the
	// server holds.
	NotFound = core.NotFound
)

// ContentType is the media type of the binary request and answer.
const ContentType = "application/x-leakwatch-private"

// Paths of the protocol's endpoints, below Client.BaseURL.
const (
	ParamsPath = "/api/private/v1/params"
	CheckPath  = "/api/private/v1/check"
)

// Limits on what the client reads from a server.
const (
	maxParams   = 64 << 10
	maxAnswer   = 1 << 20
	maxErrorMsg = 200 // runes of a server's error message kept in an error
)

// DefaultUserAgent is the User-Agent of a Client that sets none.
const DefaultUserAgent = "leakwatch-privatecheck/1"

// ErrProof is returned by Check when the server's answer does not carry a
// valid proof that it was computed under the epoch's published key.
var ErrProof = errors.New("privatecheck: the server's proof does not verify: it may be answering you under a different key")

// ErrKeyMismatch is returned when the server publishes, for an epoch, a
// public key other than the one pinned for it (Client.PinnedKeys, or the
// one this Client saw first).
var ErrKeyMismatch = errors.New("privatecheck: the server's public key for this epoch is not the pinned one")

// ErrCanary is returned by CheckCanary when the server does not answer
// Leaked for its own canary pair: its tag lists are not its index.
var ErrCanary = errors.New("privatecheck: the server does not find its own canary pair: its answers cannot be trusted")

// StatusError is a server's answer other than 2xx.
type StatusError struct {
	StatusCode int
	// Message is the server's own message ({"error": ...}, or a short
	// text body), sanitised and shortened; empty if it sent none.
	Message string
}

func (e *StatusError) Error() string {
	s := fmt.Sprintf("privatecheck: the server answered %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Client checks logins and passwords against one server. Set its fields
// before the first call and do not change them after; it must not be
// copied after first use.
type Client struct {
	// BaseURL is the server's public API, such as https://leaks.example.
	BaseURL string
	// APIKey, if set, is sent in the hibp-api-key header of checks.
	APIKey string
	// HTTPClient sends the requests; nil means http.DefaultClient.
	// Timeouts come from the context of each call.
	HTTPClient *http.Client
	// UserAgent is sent with every request; empty means
	// DefaultUserAgent.
	UserAgent string
	// PinnedKeys optionally maps epochs to their expected public keys (32
	// bytes): a server publishing another key for a pinned epoch is
	// refused with ErrKeyMismatch. Epochs not in it are pinned on first
	// use, for the life of the Client.
	PinnedKeys map[uint32][]byte

	mu     sync.Mutex
	params *Params           // the last params document, for Check
	seen   map[uint32][]byte // keys pinned on first use
}

// Answer is the outcome of a check.
type Answer struct {
	Result Result
	// Epoch is the epoch that answered.
	Epoch uint32
	// KeyFingerprint is the Fingerprint of the epoch's public key, which
	// the proof showed the server used: compare it with the one the
	// operator publishes.
	KeyFingerprint string
	// SimilarTo is, for Similar, the variant of the password that is in
	// the leak. It is as secret as the password: show it only to the
	// person who typed it, never log it.
	SimilarTo string `json:"-"`
}

// Params fetches the server's params document, validates it and pins
// the public keys of its epochs. A document whose suite, mode, number of
// elements or slow hash is not the protocol's is an error. Check uses the
// last document Params fetched, or fetches one.
func (c *Client) Params(ctx context.Context) (*Params, error) {
	u, err := c.endpoint(ParamsPath)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("privatecheck: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	body, err := c.do(req, maxParams)
	if err != nil {
		return nil, err
	}
	p, err := parseParams(body)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range p.Epochs {
		if err := c.pinLocked(e); err != nil {
			return nil, err
		}
	}
	c.params = p
	return p, nil
}

// pinLocked checks an epoch's key against PinnedKeys and the keys seen
// before, and remembers it.
func (c *Client) pinLocked(e Epoch) error {
	want, ok := c.PinnedKeys[e.Epoch]
	if !ok {
		want, ok = c.seen[e.Epoch]
	}
	if ok && !bytes.Equal(want, e.PublicKey) {
		return fmt.Errorf("%w (epoch %d: pinned %s, published %s)", ErrKeyMismatch, e.Epoch, Fingerprint(want), e.Fingerprint())
	}
	if c.seen == nil {
		c.seen = make(map[uint32][]byte)
	}
	c.seen[e.Epoch] = e.PublicKey
	return nil
}

// current returns the current epoch of the last params document, fetching
// one if there is none or if refresh.
func (c *Client) current(ctx context.Context, refresh bool) (Epoch, error) {
	c.mu.Lock()
	p := c.params
	c.mu.Unlock()
	if p == nil || refresh {
		var err error
		if p, err = c.Params(ctx); err != nil {
			return Epoch{}, err
		}
	}
	return p.Current()
}

// Check asks the server about a login and password. The login is
// normalised as leakwatch normalises logins at import (an email address,
// a phone number or a username); the password is used as typed. It
// returns the answer, or an error: a *StatusError for a server's refusal,
// ErrProof for an answer not computed under the epoch's key,
// ErrKeyMismatch for a key that is not the pinned one. When the server
// says the epoch is gone (410), Check fetches the params again and
// retries once under the new current epoch. No error holds the password
// or the request.
func (c *Client) Check(ctx context.Context, login, password string) (Answer, error) {
	l, err := core.ParseLogin(login)
	if err != nil {
		return Answer{}, fmt.Errorf("privatecheck: %w", err)
	}
	ep, err := c.current(ctx, false)
	if err != nil {
		return Answer{}, err
	}
	a, err := c.check(ctx, ep, l, password)
	var se *StatusError
	if errors.As(err, &se) && se.StatusCode == http.StatusGone {
		gone := ep.Epoch
		if ep, err = c.current(ctx, true); err != nil {
			return Answer{}, err
		}
		if ep.Epoch == gone {
			return Answer{}, fmt.Errorf("privatecheck: the server says epoch %d is gone but still publishes it as current", gone)
		}
		a, err = c.check(ctx, ep, l, password)
	}
	return a, err
}

// check runs one request and answer under the epoch ep.
func (c *Client) check(ctx context.Context, ep Epoch, l core.Login, password string) (Answer, error) {
	pc, err := core.NewClient(core.Params{Epoch: ep.Epoch, BucketBits: ep.BucketBits}, ep.PublicKey)
	if err != nil {
		return Answer{}, err
	}
	body, st, err := pc.RequestLogin(l, password)
	if err != nil {
		return Answer{}, err
	}
	u, err := c.endpoint(CheckPath)
	if err != nil {
		return Answer{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return Answer{}, fmt.Errorf("privatecheck: %w", err)
	}
	req.Header.Set("Content-Type", ContentType)
	req.Header.Set("Accept", ContentType)
	if c.APIKey != "" {
		req.Header.Set("hibp-api-key", c.APIKey)
	}
	resp, err := c.doType(req, maxAnswer, ContentType)
	if err != nil {
		return Answer{}, err
	}
	res, err := st.Answer(resp)
	switch {
	case errors.Is(err, core.ErrProof):
		return Answer{}, ErrProof
	case err != nil:
		return Answer{}, fmt.Errorf("privatecheck: the server's answer is malformed")
	}
	return Answer{Result: res, Epoch: ep.Epoch, KeyFingerprint: ep.Fingerprint(), SimilarTo: st.Similar()}, nil
}

// CheckCanary checks the canary pair of the server's params document and
// returns nil if the server answers Leaked, ErrCanary if it answers
// anything else, or the error of the check. It detects a server that
// sends wrong tag lists (to hide leaks, say), which the proof cannot.
func (c *Client) CheckCanary(ctx context.Context) error {
	c.mu.Lock()
	p := c.params
	c.mu.Unlock()
	if p == nil {
		var err error
		if p, err = c.Params(ctx); err != nil {
			return err
		}
	}
	if p.Canary == nil {
		return errors.New("privatecheck: the server's params name no canary pair")
	}
	a, err := c.Check(ctx, p.Canary.Login, p.Canary.Password)
	if err != nil {
		return err
	}
	if a.Result != Leaked {
		return fmt.Errorf("%w (it answered %s)", ErrCanary, a.Result)
	}
	return nil
}

// endpoint returns the URL of path below BaseURL.
func (c *Client) endpoint(path string) (string, error) {
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("privatecheck: the server URL must be http(s)://HOST[:PORT][/PATH]")
	}
	return strings.TrimSuffix(u.String(), "/") + path, nil
}

// do sends req and returns the body of a 2xx answer, at most limit
// bytes; any other status is a *StatusError.
func (c *Client) do(req *http.Request, limit int64) ([]byte, error) {
	return c.doType(req, limit, "")
}

// doType is do that also requires a 2xx answer's media type to be ctype,
// when ctype is set.
func (c *Client) doType(req *http.Request, limit int64, ctype string) ([]byte, error) {
	ua := c.UserAgent
	if ua == "" {
		ua = DefaultUserAgent
	}
	req.Header.Set("User-Agent", ua)
	hc := c.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("privatecheck: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
		return nil, &StatusError{StatusCode: resp.StatusCode, Message: serverMessage(msg)}
	}
	if ctype != "" {
		if mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err != nil || mt != ctype {
			return nil, fmt.Errorf("privatecheck: the server answered with content type %.60q, want %s", resp.Header.Get("Content-Type"), ctype)
		}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("privatecheck: reading the server's answer: %w", err)
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("privatecheck: the server's answer is larger than %d bytes", limit)
	}
	return body, nil
}

// serverMessage returns the message of an error body: the "error" (or
// HIBP's "message") field of a JSON object, else the body as text; only
// printable characters, at most maxErrorMsg of them.
func serverMessage(body []byte) string {
	var j struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}
	s := string(body)
	if json.Unmarshal(body, &j) == nil {
		s = j.Error
		if s == "" {
			s = j.Message
		}
	}
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || r == '\r' {
			return ' '
		}
		if !unicode.IsPrint(r) {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if r := []rune(s); len(r) > maxErrorMsg {
		s = string(r[:maxErrorMsg]) + "..."
	}
	return s
}
