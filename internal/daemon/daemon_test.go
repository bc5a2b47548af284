package daemon

import (
	"context"
	"crypto/sha1"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/api"
	"github.com/leakwatch/leakwatch/internal/control"
	"github.com/leakwatch/leakwatch/internal/datadir"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/testcert"
)

var ctx = context.Background()

// newData creates an empty data directory and returns its options.
func newData(t *testing.T) datadir.Options {
	t.Helper()
	o := datadir.Options{Dir: filepath.Join(t.TempDir(), "data")}
	d, err := datadir.Init(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	return o
}

// running is a server started by start.
type running struct {
	Ready
	stop   func() error
	reload chan struct{}
}

// start runs a server on o in the background until the test ends or stop
// is called.
func start(t *testing.T, o datadir.Options, cfg Config) *running {
	t.Helper()
	cfg.Data = o
	if cfg.API.Addr == "" {
		cfg.API.Addr = "127.0.0.1:0"
	}
	rctx, cancel := context.WithCancel(ctx)
	readyc := make(chan Ready, 1)
	errc := make(chan error, 1)
	r := &running{reload: make(chan struct{})}
	go func() { errc <- Run(rctx, cfg, r.reload, func(rd Ready) { readyc <- rd }) }()
	select {
	case r.Ready = <-readyc:
	case err := <-errc:
		cancel()
		t.Fatalf("Run: %v", err)
	case <-time.After(20 * time.Second):
		cancel()
		t.Fatal("the server never became ready")
	}
	done := false
	r.stop = func() error {
		if done {
			return nil
		}
		done = true
		cancel()
		select {
		case err := <-errc:
			return err
		case <-time.After(30 * time.Second):
			return errors.New("Run did not return after cancel")
		}
	}
	t.Cleanup(func() {
		if err := r.stop(); err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return r
}

func dial(t *testing.T, r *running) *control.Client {
	t.Helper()
	c, err := control.DialSocket(ctx, r.Socket, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func writeFile(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// get requests path of the public API and returns the status and body.
func get(t *testing.T, base, path, key string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	req.Header.Set("User-Agent", "leakwatch-test")
	if key != "" {
		req.Header.Set("hibp-api-key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServeWhileImporting(t *testing.T) {
	o := newData(t)
	r := start(t, o, Config{})
	fi, err := os.Stat(r.Socket)
	if err != nil || fi.Mode().Perm() != 0o600 || fi.Mode().Type() != os.ModeSocket {
		t.Fatalf("admin socket %v: %v", fi.Mode(), err)
	}
	c := dial(t, r)
	in := t.TempDir()
	sum, err := c.Import(ctx, control.ImportRequest{Breach: "First", Paths: []string{writeFile(t, in, "a.txt", "alice@example.com:hunter22\n")}}, control.Events{})
	if err != nil || sum.Rows != 1 {
		t.Fatalf("import through the socket: %+v, %v", sum, err)
	}
	// The commit is visible at once to the public API.
	if code, body := get(t, r.URL, "/api/v3/breaches", ""); code != 200 || !strings.Contains(body, `"Name":"First"`) {
		t.Errorf("breaches after the import: %d %s", code, body)
	}
	key, err := c.CreateKey(ctx, "app", 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if code, body := get(t, r.URL, "/api/v3/breachedaccount/alice@example.com", key); code != 200 || !strings.Contains(body, "First") {
		t.Errorf("a key created through the socket: %d %s", code, body)
	}
	// A breach edit shows at once.
	title := "The first one"
	if _, err := c.EditBreach(ctx, "First", control.BreachEdit{Title: &title}); err != nil {
		t.Fatal(err)
	}
	if code, body := get(t, r.URL, "/api/v3/breach/First", ""); code != 200 || !strings.Contains(body, title) {
		t.Errorf("breach after an edit: %d %s", code, body)
	}
	// Revocation takes effect with the next request.
	if err := c.RevokeKey(ctx, "app"); err != nil {
		t.Fatal(err)
	}
	if code, _ := get(t, r.URL, "/api/v3/breachedaccount/alice@example.com", key); code != 401 {
		t.Errorf("a revoked key: status %d, want 401", code)
	}
	// The key file rotates while the server serves, and imports go on.
	if _, err := c.RotateKeyring(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Import(ctx, control.ImportRequest{Breach: "Second", Paths: []string{writeFile(t, in, "b.txt", "bob@example.com:pw\nnonsense\n")}}, control.Events{}); err != nil {
		t.Fatal(err)
	}
	if q, err := c.Quarantine(ctx, "Second", true); err != nil || q.Total != 1 {
		t.Errorf("quarantine after a rotation: %+v, %v", q, err)
	}
	st, err := c.Status(ctx)
	if err != nil || !st.Server || st.Breaches != 2 || st.Uptime <= 0 || st.Packs == nil {
		t.Errorf("status: %+v, %v", st, err)
	}
	// The public listener does not serve the admin API.
	if code, _ := get(t, r.URL, "/v1/status", ""); code != 404 {
		t.Errorf("admin API on the public listener: status %d", code)
	}

	if err := r.stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(r.Socket); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the socket outlives the server: %v", err)
	}
	// What the server committed is in the store.
	d, err := datadir.Open(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if bs, _ := d.Store.Breaches(ctx); len(bs) != 2 {
		t.Errorf("%d breaches after the server stopped", len(bs))
	}
}

func TestAlreadyRunning(t *testing.T) {
	o := newData(t)
	start(t, o, Config{})
	err := Run(ctx, Config{Data: o, API: api.Config{Addr: "127.0.0.1:0"}}, nil, nil)
	if !errors.Is(err, ErrRunning) {
		t.Errorf("a second server: %v, want ErrRunning", err)
	}
}

func TestStaleSocket(t *testing.T) {
	o := newData(t)
	// A server killed with -9 leaves its socket behind.
	ln, err := net.Listen("unix", o.SocketPath())
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	r := start(t, o, Config{})
	if _, err := dial(t, r).Status(ctx); err != nil {
		t.Errorf("after replacing a stale socket: %v", err)
	}
	// A file that is not a socket is not replaced.
	o2 := newData(t)
	writeFile(t, o2.Dir, "admin.sock", "mine")
	if err := Run(ctx, Config{Data: o2, API: api.Config{Addr: "127.0.0.1:0"}}, nil, nil); err == nil || !strings.Contains(err.Error(), "not a socket") {
		t.Errorf("a file in the socket's place: %v", err)
	}
}

// TestShutdownAbortsImport: SIGTERM (the context's end) aborts a running
// import with nothing committed, tells its client why, and Run returns nil.
func TestShutdownAbortsImport(t *testing.T) {
	o := newData(t)
	r := start(t, o, Config{})
	c := dial(t, r)
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	defer pw.Close()
	pw.Write([]byte("alice@example.com:hunter22\n"))
	errc := make(chan error, 1)
	go func() {
		_, err := c.Import(ctx, control.ImportRequest{Breach: "Cut", Paths: []string{"-"}, Stdin: pr}, control.Events{})
		errc <- err
	}()
	waitFor(t, "the import to run", func() bool {
		st, err := c.Status(ctx)
		return err == nil && len(st.Imports) == 1
	})
	if err := r.stop(); err != nil {
		t.Errorf("Run after cancel with an import running: %v", err)
	}
	if err := <-errc; !errors.Is(err, control.ErrShuttingDown) {
		t.Errorf("the importing client was told %v, want ErrShuttingDown", err)
	}
	d, err := datadir.Open(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Store.Breach(ctx, "Cut"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the aborted import committed: %v", err)
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestRemoteAdmin(t *testing.T) {
	o := newData(t)
	certFile, keyFile, pool := testcert.Write(t, t.TempDir())
	r := start(t, o, Config{AdminAddr: "127.0.0.1:0", API: api.Config{TLSCert: certFile, TLSKey: keyFile}})
	if !strings.HasPrefix(r.AdminURL, "https://") || !strings.HasPrefix(r.URL, "https://") {
		t.Fatalf("ready: %+v", r.Ready)
	}
	secret, err := dial(t, r).CreateAdminToken(ctx, "remote-ops")
	if err != nil {
		t.Fatal(err)
	}
	roots := &tls.Config{RootCAs: pool}
	remote, err := control.DialURL(r.AdminURL, secret, roots)
	if err != nil {
		t.Fatal(err)
	}
	defer remote.Close()
	st, err := remote.Status(ctx)
	if err != nil || !st.Server {
		t.Fatalf("status with a token: %+v, %v", st, err)
	}
	// An import streams from the remote client.
	sum, err := remote.Import(ctx, control.ImportRequest{Breach: "Remote", Paths: []string{writeFile(t, t.TempDir(), "r.txt", "carol@example.org:pw1\n")}}, control.Events{})
	if err != nil || sum.Rows != 1 {
		t.Errorf("remote import: %+v, %v", sum, err)
	}
	for name, tok := range map[string]string{"no token": "", "a wrong token": secret[:len(secret)-2] + "00", "an API key": "0123456789abcdef0123456789abcdef"} {
		c, _ := control.DialURL(r.AdminURL, tok, roots)
		if _, err := c.Status(ctx); !errors.Is(err, control.ErrUnauthorized) {
			t.Errorf("%s: %v, want ErrUnauthorized", name, err)
		}
		c.Close()
	}
	// The admin listener speaks TLS 1.3 with the hybrid key exchange.
	conn, err := tls.Dial("tcp", strings.TrimPrefix(r.AdminURL, "https://"), &tls.Config{RootCAs: pool})
	if err != nil {
		t.Fatal(err)
	}
	if cs := conn.ConnectionState(); cs.Version != tls.VersionTLS13 || cs.CurveID != tls.X25519MLKEM768 {
		t.Errorf("admin TLS: %s, %v", tls.VersionName(cs.Version), cs.CurveID)
	}
	conn.Close()
	// Revocation takes effect with the next request.
	if err := dial(t, r).RevokeAdminToken(ctx, "remote-ops"); err != nil {
		t.Fatal(err)
	}
	if _, err := remote.Status(ctx); !errors.Is(err, control.ErrUnauthorized) {
		t.Errorf("a revoked token: %v, want ErrUnauthorized", err)
	}

	// SIGHUP: the certificate files are read again.
	certFile2, keyFile2, pool2 := testcert.Write(t, t.TempDir())
	for _, p := range [][2]string{{certFile2, certFile}, {keyFile2, keyFile}} {
		b, _ := os.ReadFile(p[0])
		os.WriteFile(p[1], b, 0o600)
	}
	r.reload <- struct{}{}
	waitFor(t, "the new certificate", func() bool {
		conn, err := tls.Dial("tcp", strings.TrimPrefix(r.URL, "https://"), &tls.Config{RootCAs: pool2})
		if err == nil {
			conn.Close()
		}
		return err == nil
	})
}

func TestAdminNeedsTLS(t *testing.T) {
	o := newData(t)
	err := Run(ctx, Config{Data: o, AdminAddr: "127.0.0.1:0", API: api.Config{Addr: "127.0.0.1:0"}}, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "TLS") {
		t.Errorf("an admin listener without TLS: %v", err)
	}
}

// TestHammerAcrossCommits: readers hammer every endpoint while imports
// commit. No request fails, no range goes back, and no two range bodies
// share an entity tag.
func TestHammerAcrossCommits(t *testing.T) {
	o := newData(t)
	r := start(t, o, Config{API: api.Config{RangeCache: t.TempDir()}})
	c := dial(t, r)
	key, err := c.CreateKey(ctx, "hammer", api.MaxRPM, "")
	if err != nil {
		t.Fatal(err)
	}
	const passwords = 20
	prefix := func(i int) (string, string) {
		sum := sha1.Sum([]byte(fmt.Sprintf("pw-%d", i)))
		h := strings.ToUpper(hex.EncodeToString(sum[:]))
		return h[:5], h[5:]
	}
	// leak is the file of import n: 50 new accounts, each with one of the
	// passwords.
	in := t.TempDir()
	leak := func(n int) string {
		var b strings.Builder
		for j := range 50 {
			fmt.Fprintf(&b, "user%d.%d@example.com:pw-%d\n", n, j, j%passwords)
		}
		return writeFile(t, in, fmt.Sprintf("leak%d.txt", n), b.String())
	}
	if _, err := c.Import(ctx, control.ImportRequest{Breach: "Leak0", Paths: []string{leak(0)}}, control.Events{}); err != nil {
		t.Fatal(err)
	}

	stop := make(chan struct{})
	fails := make(chan string, 100)
	fail := func(format string, args ...any) {
		select {
		case fails <- fmt.Sprintf(format, args...):
		default:
		}
	}
	type tagged struct {
		tag, body string
	}
	tags := make(chan tagged, 1000)
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	do := func(path string, key string) (int, http.Header, string, error) {
		req, _ := http.NewRequest("GET", r.URL+path, nil)
		req.Header.Set("User-Agent", "leakwatch-test")
		if key != "" {
			req.Header.Set("hibp-api-key", key)
		}
		resp, err := hc.Do(req)
		if err != nil {
			return 0, nil, "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, string(b), err
	}
	readers := make(chan struct{}, 4)
	for w := range 4 {
		go func() {
			defer func() { readers <- struct{}{} }()
			last := map[int]int{} // count of pw-i last seen
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				i := (n*7 + w) % passwords
				p, suffix := prefix(i)
				code, hdr, body, err := do("/range/"+p, "")
				if err != nil || code != 200 {
					fail("range: %d %v", code, err)
					continue
				}
				count := -1
				for _, line := range strings.Split(body, "\r\n") {
					if s, ok := strings.CutPrefix(line, suffix+":"); ok {
						fmt.Sscan(s, &count)
					}
				}
				if prev, ok := last[i]; ok && count < prev {
					fail("the count of password %d went back from %d to %d", i, prev, count)
				}
				last[i] = count
				select {
				case tags <- tagged{hdr.Get("ETag"), body}:
				default:
				}
				for _, path := range []string{"/api/v3/breaches", "/api/v3/breach/Leak0", "/api/v3/dataclasses", "/api/v3/latestbreach"} {
					if code, _, _, err := do(path, ""); err != nil || code != 200 {
						fail("%s: %d %v", path, code, err)
					}
				}
				if code, _, _, err := do("/api/v3/breachedaccount/user0.1@example.com", key); err != nil || code != 200 {
					fail("breachedaccount: %d %v", code, err)
				}
				if code, _, _, err := do("/range/"+p+"?mode=ntlm", ""); err != nil || code != 200 {
					fail("ntlm range: %d %v", code, err)
				}
			}
		}()
	}
	seen := map[string]string{}
	checkTags := func() {
		for {
			select {
			case tb := <-tags:
				if b, ok := seen[tb.tag]; ok && b != tb.body {
					t.Errorf("ETag %s names two bodies", tb.tag)
				}
				seen[tb.tag] = tb.body
			default:
				return
			}
		}
	}
	const commits = 5
	for n := 1; n <= commits; n++ {
		if _, err := c.Import(ctx, control.ImportRequest{Breach: fmt.Sprintf("Leak%d", n), Paths: []string{leak(n)}}, control.Events{}); err != nil {
			t.Fatal(err)
		}
		// Account lookups answer with the commit at once.
		code, _, body, err := do(fmt.Sprintf("/api/v3/breachedaccount/user%d.3@example.com", n), key)
		if err != nil || code != 200 || !strings.Contains(body, fmt.Sprintf("Leak%d", n)) {
			t.Errorf("lookup right after commit %d: %d %s %v", n, code, body, err)
		}
		checkTags()
	}
	// The range packs catch up: every password was seen in every import.
	want := (commits + 1) * 3 // j%passwords == 1 for j = 1, 21, 41
	waitFor(t, "the rebuilt range packs", func() bool {
		p, suffix := prefix(1)
		_, _, body, _ := do("/range/"+p, "")
		st, err := c.Status(ctx)
		return err == nil && st.Packs != nil && st.Packs.State == "ready" && st.Packs.Bytes > 0 &&
			strings.Contains(body, fmt.Sprintf("%s:%d", suffix, want))
	})
	close(stop)
	for range 4 {
		<-readers
	}
	checkTags()
	close(fails)
	for f := range fails {
		t.Error(f)
	}
}
