package control

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/leakwatch/leakwatch/internal/api"
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/cpushare"
	"github.com/leakwatch/leakwatch/internal/datadir"
	"github.com/leakwatch/leakwatch/internal/exposure"
	"github.com/leakwatch/leakwatch/internal/ingest"
	"github.com/leakwatch/leakwatch/internal/store"
)

var ctx = context.Background()

// pair is a Local and a Client of a Handler over another Local: the two
// ways the command line reaches an installation.
type pair struct {
	dir    string
	local  *Local
	remote *Client
}

// newPair makes two installations fed the same operations, one in process
// and one behind a server, whose answers must agree.
func newPair(t *testing.T) *pair {
	t.Helper()
	open := func() (*Local, string) {
		dir := t.TempDir()
		d, err := datadir.Init(ctx, datadir.Options{Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		l := NewLocal(d, dir, Hooks{})
		t.Cleanup(func() { l.Close() })
		return l, dir
	}
	local, dir := open()
	served, sdir := open()
	sock := filepath.Join(sdir, "admin.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: NewHandler(served, nil, nil, nil)}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	c, err := DialSocket(ctx, sock, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &pair{dir: dir, local: local, remote: c}
}

func writeFile(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	os.MkdirAll(filepath.Dir(p), 0o700)
	if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// summaryOpts ignores what differs between two runs of one import.
var summaryOpts = cmp.Options{cmpopts.IgnoreFields(ingest.Summary{}, "Elapsed", "Seconds", "Bytes")}

// TestBothWays runs every operation on a Local and through a Client and
// compares the answers.
func TestBothWays(t *testing.T) {
	p := newPair(t)
	in := t.TempDir()
	combo := writeFile(t, in, "combo.txt", "alice@example.com:Summer2024!\nbob@example.net:hunter22\nnot-a-line\n")
	writeFile(t, in, "dir/[US]1.2.3.4/Passwords.txt", "URL: https://login.example.com/\nUsername: carol@example.org\nPassword: P@ss1\n")
	writeFile(t, in, "dir/[US]1.2.3.4/System.txt", "Windows 10\n")
	png := writeFile(t, in, "photo.png", "\x89PNG\r\n\x1a\n\x00\x00\x00")
	req := ImportRequest{Breach: "Combo", Title: "Combo list", Date: "2024-05-01",
		Paths: []string{combo, filepath.Join(in, "dir"), png, filepath.Join(in, "missing.txt"), "-"},
		Stdin: strings.NewReader("dave@example.com:Letmein1\n")}
	for _, svc := range []Service{p.local, p.remote} {
		var failed []string
		ev := Events{Failed: func(f ingest.Failure) { failed = append(failed, f.Error()) }}
		r := req
		r.Stdin = strings.NewReader("dave@example.com:Letmein1\n")
		sum, err := svc.Import(ctx, r, ev)
		if err != nil {
			t.Fatalf("%T: Import: %v", svc, err)
		}
		if sum.Rows != 4 || sum.Ignored != 1 || len(sum.Failed) != 2 || len(failed) != 2 || sum.QuarantinedTotal() != 1 {
			t.Errorf("%T: summary %+v, failed events %q", svc, sum, failed)
		}
		_, err = svc.Import(ctx, r, ev)
		if !errors.Is(err, ingest.ErrNothingToImport) {
			t.Errorf("%T: second import: %v, want ErrNothingToImport", svc, err)
		}
	}
	same := func(what string, f func(Service) (any, error)) {
		t.Helper()
		a, errA := f(p.local)
		b, errB := f(p.remote)
		if (errA == nil) != (errB == nil) || errA != nil && errA.Error() != errB.Error() {
			t.Errorf("%s: errors differ: local %v, remote %v", what, errA, errB)
		}
		if diff := cmp.Diff(a, b, cmpopts.IgnoreFields(api.KeyInfo{}, "Created"), cmpopts.EquateApproxTime(time.Hour)); diff != "" {
			t.Errorf("%s differs (-local +remote):\n%s", what, diff)
		}
	}
	normal := func(bs any, err error) (any, error) { return stripDates(bs), err }
	same("breaches", func(s Service) (any, error) { return normal(s.Breaches(ctx)) })
	same("breach", func(s Service) (any, error) { return normal(s.Breach(ctx, "combo")) })
	same("missing breach", func(s Service) (any, error) { return normal(s.Breach(ctx, "nosuch")) })
	same("account", func(s Service) (any, error) { return normal(s.AccountBreaches(ctx, " ALICE@example.com")) })
	same("bad account", func(s Service) (any, error) { return normal(s.AccountBreaches(ctx, "   ")) })
	same("password", func(s Service) (any, error) { return s.PasswordCount(ctx, []byte("hunter22")) })
	same("quarantine", func(s Service) (any, error) { return s.Quarantine(ctx, "Combo", true) })
	yes := true
	title := "Edited"
	same("edit", func(s Service) (any, error) {
		return normal(s.EditBreach(ctx, "Combo", BreachEdit{Title: &title, IsSensitive: &yes}))
	})
	same("account of a sensitive breach", func(s Service) (any, error) { return normal(s.AccountBreaches(ctx, "alice@example.com")) })
	same("create key", func(s Service) (any, error) {
		secret, err := s.CreateKey(ctx, "ops", 100, "")
		return len(secret), err
	})
	same("create key again", func(s Service) (any, error) { return s.CreateKey(ctx, "ops", 100, "") })
	same("bad key name", func(s Service) (any, error) { return s.CreateKey(ctx, "no spaces", 1, "") })
	same("keys", func(s Service) (any, error) { return s.Keys(ctx) })
	same("revoke", func(s Service) (any, error) { return nil, s.RevokeKey(ctx, "ops") })
	same("revoke missing", func(s Service) (any, error) { return nil, s.RevokeKey(ctx, "ops") })
	same("create token", func(s Service) (any, error) {
		secret, err := s.CreateAdminToken(ctx, "ops")
		return []any{len(secret), strings.HasPrefix(secret, tokenPrefix)}, err
	})
	same("create token again", func(s Service) (any, error) { return s.CreateAdminToken(ctx, "ops") })
	same("bad token name", func(s Service) (any, error) { return s.CreateAdminToken(ctx, "a/b") })
	same("tokens", func(s Service) (any, error) {
		toks, err := s.AdminTokens(ctx)
		for i := range toks {
			toks[i].Created = time.Time{}
		}
		return toks, err
	})
	same("revoke token", func(s Service) (any, error) { return nil, s.RevokeAdminToken(ctx, "ops") })
	same("revoke missing token", func(s Service) (any, error) { return nil, s.RevokeAdminToken(ctx, "ops") })
	same("rotate", func(s Service) (any, error) { return s.RotateKeyring(ctx) })
	same("export", func(s Service) (any, error) {
		var b bytes.Buffer
		st, err := s.ExportPasswords(ctx, store.SHA1, &b)
		return []any{st.Hashes, st.Prefixes, b.Len()}, err
	})
	// Sentinels survive the trip.
	if _, err := p.remote.Breach(ctx, "nosuch"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("remote missing breach: %v, want ErrNotFound", err)
	}
	if _, err := p.remote.AccountBreaches(ctx, " "); !errors.Is(err, exposure.ErrBadAccount) {
		t.Errorf("remote bad account: %v, want ErrBadAccount", err)
	}
	if err := p.remote.RevokeKey(ctx, "nosuch"); !errors.Is(err, api.ErrNoSuchKey) {
		t.Errorf("remote revoke: %v, want ErrNoSuchKey", err)
	}
	if err := p.remote.RevokeAdminToken(ctx, "nosuch"); !errors.Is(err, ErrNoSuchToken) {
		t.Errorf("remote revoke token: %v, want ErrNoSuchToken", err)
	}
	if _, err := p.remote.CreateAdminToken(ctx, ""); !errors.Is(err, ErrBadRequest) || err.Error() != ErrBadTokenName.Error() {
		t.Errorf("remote bad token name: %v, want ErrBadRequest with the reason alone", err)
	}
}

func TestStoreTokens(t *testing.T) {
	d, err := datadir.Init(ctx, datadir.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	l := NewLocal(d, "", Hooks{})
	defer l.Close()
	check := StoreTokens{l.Store()}
	secret, err := l.CreateAdminToken(ctx, "ops")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.CreateKey(ctx, "client", 0, ""); err != nil {
		t.Fatal(err)
	}
	if err := check.CheckAdminToken(ctx, secret); err != nil {
		t.Errorf("the token just created: %v", err)
	}
	for _, bad := range []string{"", tokenPrefix, secret[:len(secret)-1], secret + "0", strings.ToUpper(secret), secret[len(tokenPrefix):]} {
		if err := check.CheckAdminToken(ctx, bad); !errors.Is(err, ErrUnauthorized) {
			t.Errorf("token %q: %v, want ErrUnauthorized", bad, err)
		}
	}
	if err := l.RevokeAdminToken(ctx, "ops"); err != nil {
		t.Fatal(err)
	}
	if err := check.CheckAdminToken(ctx, secret); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("a revoked token: %v, want ErrUnauthorized", err)
	}
}

// stripDates zeroes the dates two installations give the same breach.
func stripDates(v any) any {
	switch b := v.(type) {
	case []catalog.Breach:
		out := make([]catalog.Breach, len(b))
		for i := range b {
			out[i] = stripDates(b[i]).(catalog.Breach)
		}
		return out
	case catalog.Breach:
		b.AddedDate, b.ModifiedDate = catalog.Timestamp{}, catalog.Timestamp{}
		return b
	}
	return v
}

// TestClientCancelAborts: Ctrl-C on a client importing through a server
// aborts the import there, with nothing committed.
func TestClientCancelAborts(t *testing.T) {
	p := newPair(t)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	w.Write([]byte("alice@example.com:pw1\n"))
	cctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = p.remote.Import(cctx, ImportRequest{Breach: "Slow", Paths: []string{"-"}, Stdin: r}, Events{})
	if err == nil || time.Since(start) > 5*time.Second {
		t.Fatalf("import of a silent stdin through the server: %v after %v", err, time.Since(start))
	}
	// The server is free for the next import, and nothing was committed.
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := p.remote.Import(ctx, ImportRequest{Breach: "After", Paths: []string{writeFile(t, t.TempDir(), "a.txt", "b@example.com:pw\n")}}, Events{})
		if err == nil {
			break
		}
		if !errors.Is(err, store.ErrImportRunning) || time.Now().After(deadline) {
			t.Fatalf("import after a cancelled one: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, err := p.remote.Breach(ctx, "Slow"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the cancelled import committed: %v", err)
	}
}

// TestImportLimitsShare checks the CPU share a server gives an import:
// its --import-workers cap a request's workers, and its priority carries.
func TestImportLimitsShare(t *testing.T) {
	for _, tc := range []struct {
		lim     ImportLimits
		workers int
		want    cpushare.Share
	}{
		{ImportLimits{}, 0, cpushare.Share{}},
		{ImportLimits{}, 3, cpushare.Share{Goroutines: 3}},
		{ImportLimits{Workers: 1}, 0, cpushare.Share{Goroutines: 1}},
		{ImportLimits{Workers: 1}, 4, cpushare.Share{Goroutines: 1}},
		{ImportLimits{Workers: 4}, 2, cpushare.Share{Goroutines: 2}},
		{ImportLimits{Workers: 1, Low: true}, 0, cpushare.Share{Goroutines: 1, Low: true}},
	} {
		if got := tc.lim.Share(tc.workers); got != tc.want {
			t.Errorf("%+v.Share(%d) = %+v, want %+v", tc.lim, tc.workers, got, tc.want)
		}
	}
}
