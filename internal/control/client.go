package control

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/leakwatch/leakwatch/internal/api"
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/datadir"
	"github.com/leakwatch/leakwatch/internal/ingest"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/store"
)

// Client is the Service of a running server, reached over its admin API:
// the Unix socket in its data directory, or its TLS admin listener.
type Client struct {
	hc      *http.Client
	base    string
	token   string
	exclude []string
}

var _ Service = (*Client)(nil)

// ErrNoServer reports that no server answers on a socket.
var ErrNoServer = errors.New("no leakwatch server answers")

// DialSocket returns the Client of the server listening on the Unix socket
// at path, after checking that one answers (ErrNoServer if not). exclude
// names paths an import never sends (the data directory and key file, when
// the client runs beside the server).
func DialSocket(ctx context.Context, path string, exclude []string) (*Client, error) {
	tr := &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", path)
		},
	}
	c := &Client{hc: &http.Client{Transport: tr}, base: "http://leakwatch", exclude: exclude}
	conn, err := net.DialTimeout("unix", path, 2*time.Second)
	if err != nil {
		return nil, fmt.Errorf("%w on %s: %v", ErrNoServer, path, err)
	}
	conn.Close()
	return c, nil
}

// DialURL returns the Client of a server's TLS admin listener at rawURL
// (https://host:port), authenticated with an admin token. roots, if not
// nil, are the certificate authorities to trust (a self-signed server).
func DialURL(rawURL, token string, roots *tls.Config) (*Client, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("%w: the server URL must be https://HOST:PORT", ErrBadRequest)
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS13, CurvePreferences: []tls.CurveID{tls.X25519MLKEM768, tls.X25519}}
	if roots != nil {
		cfg.RootCAs = roots.RootCAs
	}
	tr := &http.Transport{TLSClientConfig: cfg, ForceAttemptHTTP2: false}
	return &Client{hc: &http.Client{Transport: tr}, base: "https://" + u.Host, token: token}, nil
}

// Close implements Service.
func (c *Client) Close() error {
	c.hc.CloseIdleConnections()
	return nil
}

func (c *Client) request(ctx context.Context, method, path string, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return nil, err
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	return req, nil
}

// call makes a JSON call and decodes its answer into out.
func (c *Client) call(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := c.request(ctx, method, path, body)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return c.transportError(ctx, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return responseError(resp)
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func (c *Client) transportError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return fmt.Errorf("asking the leakwatch server: %w", err)
}

func responseError(resp *http.Response) error {
	var w wireError
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&w); err != nil || w.Message == "" {
		return fmt.Errorf("the leakwatch server answered %s", resp.Status)
	}
	return w.error()
}

// Breaches implements Service.
func (c *Client) Breaches(ctx context.Context) ([]catalog.Breach, error) {
	var out []catalog.Breach
	return out, c.call(ctx, "GET", "/v1/breaches", nil, &out)
}

// Breach implements Service.
func (c *Client) Breach(ctx context.Context, name string) (catalog.Breach, error) {
	var out catalog.Breach
	return out, c.call(ctx, "GET", "/v1/breach?name="+url.QueryEscape(name), nil, &out)
}

// EditBreach implements Service.
func (c *Client) EditBreach(ctx context.Context, name string, edit BreachEdit) (catalog.Breach, error) {
	var out catalog.Breach
	in := struct {
		Name string     `json:"name"`
		Edit BreachEdit `json:"edit"`
	}{name, edit}
	return out, c.call(ctx, "POST", "/v1/breach", in, &out)
}

// AccountBreaches implements Service.
func (c *Client) AccountBreaches(ctx context.Context, account string) ([]catalog.Breach, error) {
	var out []catalog.Breach
	return out, c.call(ctx, "POST", "/v1/check/account", map[string]string{"account": account}, &out)
}

// PasswordCount implements Service.
func (c *Client) PasswordCount(ctx context.Context, password []byte) (int64, error) {
	var out struct {
		Count int64 `json:"count"`
	}
	in := struct {
		Password []byte `json:"password"`
	}{password}
	return out.Count, c.call(ctx, "POST", "/v1/check/password", in, &out)
}

// Quarantine implements Service.
func (c *Client) Quarantine(ctx context.Context, breach string, lines bool) (*QuarantineReport, error) {
	q := "/v1/quarantine?breach=" + url.QueryEscape(breach)
	if lines {
		q += "&lines=1"
	}
	var out QuarantineReport
	if err := c.call(ctx, "GET", q, nil, &out); err != nil {
		return nil, err
	}
	if out.Counts == nil {
		out.Counts = []QuarantineCount{}
	}
	return &out, nil
}

// CreateKey implements Service.
func (c *Client) CreateKey(ctx context.Context, name string, rpm int, owner string) (string, error) {
	var out struct {
		Secret string `json:"secret"`
	}
	in := struct {
		Name  string `json:"name"`
		RPM   int    `json:"rpm"`
		Owner string `json:"owner,omitempty"`
	}{name, rpm, owner}
	return out.Secret, c.call(ctx, "POST", "/v1/keys", in, &out)
}

// Keys implements Service.
func (c *Client) Keys(ctx context.Context) ([]api.KeyInfo, error) {
	var out []api.KeyInfo
	return out, c.call(ctx, "GET", "/v1/keys", nil, &out)
}

// RevokeKey implements Service.
func (c *Client) RevokeKey(ctx context.Context, name string) error {
	return c.call(ctx, "POST", "/v1/keys/revoke", map[string]string{"name": name}, nil)
}

// CreateAdminToken implements Service.
func (c *Client) CreateAdminToken(ctx context.Context, name string) (string, error) {
	var out struct {
		Secret string `json:"secret"`
	}
	return out.Secret, c.call(ctx, "POST", "/v1/admin-tokens", map[string]string{"name": name}, &out)
}

// AdminTokens implements Service.
func (c *Client) AdminTokens(ctx context.Context) ([]AdminTokenInfo, error) {
	var out []AdminTokenInfo
	return out, c.call(ctx, "GET", "/v1/admin-tokens", nil, &out)
}

// RevokeAdminToken implements Service.
func (c *Client) RevokeAdminToken(ctx context.Context, name string) error {
	return c.call(ctx, "POST", "/v1/admin-tokens/revoke", map[string]string{"name": name}, nil)
}

// RotateKeyring implements Service.
func (c *Client) RotateKeyring(ctx context.Context) (keyring.Rotation, error) {
	var out keyring.Rotation
	return out, c.call(ctx, "POST", "/v1/keyring/rotate", nil, &out)
}

// Status implements Service.
func (c *Client) Status(ctx context.Context) (*Status, error) {
	var out Status
	return &out, c.call(ctx, "GET", "/v1/status", nil, &out)
}

// ExportPasswords implements Service.
func (c *Client) ExportPasswords(ctx context.Context, kind store.HashKind, w io.Writer) (ExportStats, error) {
	var st ExportStats
	req, err := c.request(ctx, "GET", "/v1/export?kind="+kind.String(), nil)
	if err != nil {
		return st, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return st, c.transportError(ctx, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return st, responseError(resp)
	}
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		return st, c.transportError(ctx, err)
	}
	st.Bytes = n
	if e := resp.Trailer.Get("Leakwatch-Error"); e != "" {
		var we wireError
		json.Unmarshal([]byte(e), &we)
		return st, we.error()
	}
	st.Hashes, _ = strconv.ParseInt(resp.Trailer.Get("Leakwatch-Hashes"), 10, 64)
	st.Prefixes, _ = strconv.Atoi(resp.Trailer.Get("Leakwatch-Prefixes"))
	if st.Prefixes == 0 {
		return st, errors.New("the export ended early")
	}
	return st, nil
}

// Backup implements Service.
func (c *Client) Backup(ctx context.Context, w io.Writer, keys bool) (datadir.Manifest, error) {
	var m datadir.Manifest
	q := ""
	if keys {
		q = "?keys=1"
	}
	req, err := c.request(ctx, "GET", "/v1/backup"+q, nil)
	if err != nil {
		return m, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return m, c.transportError(ctx, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return m, responseError(resp)
	}
	if _, err := io.Copy(w, resp.Body); err != nil {
		return m, c.transportError(ctx, err)
	}
	if e := resp.Trailer.Get("Leakwatch-Error"); e != "" {
		var we wireError
		json.Unmarshal([]byte(e), &we)
		return m, we.error()
	}
	if err := json.Unmarshal([]byte(resp.Trailer.Get("Leakwatch-Manifest")), &m); err != nil || m.Format == 0 {
		return m, errors.New("the backup ended early")
	}
	return m, nil
}

// Import implements Service: it reads the inputs here and streams them to
// the server, which imports them; events come back as they happen. If ctx
// ends (Ctrl-C) or the connection breaks, the server aborts the import with
// nothing committed.
func (c *Client) Import(ctx context.Context, req ImportRequest, ev Events) (*ingest.Summary, error) {
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() { pw.CloseWithError(c.sendInputs(ctx, req, pw)) }()
	hreq, err := c.request(ctx, "POST", "/v1/import", pr)
	if err != nil {
		return nil, err
	}
	hreq.Header.Set("Content-Type", "application/octet-stream")
	resp, err := c.hc.Do(hreq)
	if err != nil {
		return nil, c.transportError(ctx, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, responseError(resp)
	}
	dec := json.NewDecoder(bufio.NewReaderSize(resp.Body, 64<<10))
	for {
		var e event
		if err := dec.Decode(&e); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("the leakwatch server ended the import without a summary: %w", err)
		}
		switch {
		case e.Done:
			if e.Summary != nil {
				e.Summary.Elapsed = time.Duration(e.Summary.Seconds * float64(time.Second))
				for _, n := range e.Summary.ClassNames {
					if dc, ok := catalog.ParseDataClass(n); ok {
						e.Summary.DataClasses = e.Summary.DataClasses.Add(dc)
					}
				}
			}
			return e.Summary, e.Error.error()
		case e.Progress != nil:
			if ev.Progress != nil {
				ev.Progress(*e.Progress)
			}
		case e.Failed != nil:
			if ev.Failed != nil {
				ev.Failed(*e.Failed)
			} else if ev.Warn != nil {
				ev.Warn(e.Failed.Error())
			}
		case e.Warn != "":
			if ev.Warn != nil {
				ev.Warn(e.Warn)
			}
		}
	}
}

// sendInputs writes an import's request body: the request, the manifest of
// what Expand found here, and each input's bytes.
func (c *Client) sendInputs(ctx context.Context, req ImportRequest, w io.Writer) error {
	bw := bufio.NewWriterSize(w, 80<<10)
	fw := &frameWriter{w: bw}
	if err := fw.json(frameRequest, importHeader{Request: req}); err != nil {
		return err
	}
	if req.FromQuarantine {
		return bw.Flush()
	}
	in := ingest.Expand(req.Paths, req.Stdin, c.exclude)
	man := manifest{Count: in.Count, Total: in.Total, Skipped: in.Skipped, Failed: in.Failed, Ignored: in.Ignored}
	if err := fw.json(frameManifest, man); err != nil {
		return err
	}
	buf := make([]byte, 64<<10)
	for {
		input, err := in.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if err := fw.json(frameStart, inputStart{Name: input.Name, Size: input.Size}); err != nil {
			return err
		}
		if err := c.sendInput(ctx, fw, input, buf); err != nil {
			return err
		}
	}
	if err := fw.frame(frameDone, nil); err != nil {
		return err
	}
	return bw.Flush()
}

// sendInput sends one input; a read error here ends it with its reason,
// and the import goes on with the next.
func (c *Client) sendInput(ctx context.Context, fw *frameWriter, input ingest.Input, buf []byte) error {
	fail := func(err error) error {
		return fw.json(frameFail, map[string]string{"reason": err.Error()})
	}
	rc, err := input.Open(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fail(err)
	}
	defer rc.Close()
	for {
		n, err := rc.Read(buf)
		if n > 0 {
			if werr := fw.frame(frameData, buf[:n]); werr != nil {
				return werr
			}
		}
		if err == io.EOF {
			return fw.frame(frameEnd, nil)
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fail(err)
		}
	}
}
