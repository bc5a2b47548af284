package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// step is one command of the script TestBothWays runs.
type step struct {
	stdin string
	args  []string
}

// outcome is what a command printed and how it ended.
type outcome struct {
	Code           int
	Stdout, Stderr string
}

// volatile matches what differs between two runs of the same command:
// secrets, times, durations and rates.
var volatile = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`lw[a-z]*_[0-9a-f]{32,}|\b[0-9a-f]{32}\b`), "SECRET"},
	{regexp.MustCompile(`leakwatch-verification=[a-z2-7]{26}`), "TOKEN"},
	{regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)`), "TIME"},
	{regexp.MustCompile(`in [0-9.]+(ns|µs|ms|s|m)( \([0-9.]+[kMG]? rows/s\))?`), "in DURATION"},
	{regexp.MustCompile(`"(elapsed|duration|seconds)[a-z_]*": *[0-9.e+-]+`), `"$1": N`},
}

func normalise(s string) string {
	for _, v := range volatile {
		s = v.re.ReplaceAllString(s, v.with)
	}
	return s
}

// TestBothWays runs every command that reads or changes the store twice,
// on two data directories made alike: once with no server (the command
// opens the store), once while a server serves the other directory (the
// command talks to its admin socket). Outputs and exit statuses match.
func TestBothWays(t *testing.T) {
	in := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(in, name)
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	leak := write("shop.txt", "alice@example.com:hunter22\nbob@example.com:letmein\n+447946000111:PhonePass1\nnoseparatorhere\n")
	csv := write("users.csv", "email,password,dob\ncarol@example.com,Secret#1,1990-01-02\ndave@example.com,Secret#2,1985-03-04\n")
	sealed, err := filepath.Abs("../../internal/ingest/testdata/archives/aes-he.7z") // password Secret7
	if err != nil {
		t.Fatal(err)
	}
	noHeader := write("two.csv", "a1@example.com,Secret1\nb1@example.com,Secret2\n")
	out := t.TempDir()

	script := []step{
		{"", []string{"import", "--quiet", "--breach", "Shop", "--title", "Shop Inc", "--domain", "Shop.Example", "--date", "2025-05-01", leak}},
		{"", []string{"import", "--quiet", "--breach", "Shop", leak}},
		{"", []string{"import", "--json", "--breach", "Forum", csv}},
		{"erin@example.com:pw-from-stdin\n", []string{"import", "--quiet", "--breach", "Pipe", "-"}},
		{"", []string{"import", "--breach", "Bad", "--format", "nope", leak}},
		{"", []string{"import", "--json", "--breach", "Header", "--header", "first", noHeader}},
		{"", []string{"import", "--quiet", "--breach", "Sealed", "--archive-password", "wrong", sealed}},
		{"", []string{"import", "--quiet", "--breach", "Sealed", "--archive-password", "wrong", "--archive-password", "Secret7", sealed}},
		{"", []string{"import", "--quiet", "--breach", "Missing", filepath.Join(in, "missing.txt")}},
		{"", []string{"breaches"}},
		{"", []string{"breaches", "--json"}},
		{"", []string{"breach", "show", "shop"}},
		{"", []string{"breach", "show", "NoSuch"}},
		{"", []string{"check", "email", "alice@example.com"}},
		{"", []string{"check", "email", "--json", "+44 7946 000111"}},
		{"", []string{"check", "email", "nobody@example.com"}},
		{"", []string{"check", "email", "!!!"}},
		{"carol@example.com\n", []string{"check", "email", "-"}},
		{"hunter22\n", []string{"check", "password"}},
		{"never-seen-anywhere\n", []string{"check", "password", "--json"}},
		{"", []string{"breach", "set", "Shop", "--sensitive", "--verified", "--description", "<p>desc</p>"}},
		{"", []string{"check", "email", "alice@example.com"}},
		{"", []string{"breach", "set", "Shop", "--sensitive=false", "--unverified"}},
		{"", []string{"breach", "set", "Shop", "--date", "not-a-date"}},
		{"", []string{"check", "email", "alice@example.com"}},
		{"", []string{"quarantine", "list", "--breach", "Shop"}},
		{"", []string{"quarantine", "list", "--breach", "Shop", "--lines", "--json"}},
		{"", []string{"quarantine", "list", "--breach", "Forum", "--lines", "--json"}},
		{"", []string{"quarantine", "list", "--breach", "NoSuch"}},
		{"", []string{"keys", "create", "k1", "--rpm", "5"}},
		{"", []string{"keys", "create", "k1"}},
		{"", []string{"keys", "create", "bad name!"}},
		{"", []string{"keys", "list"}},
		{"", []string{"keys", "list", "--json"}},
		{"", []string{"keys", "revoke", "k1"}},
		{"", []string{"keys", "revoke", "k1"}},
		{"", []string{"admin", "token", "create", "ops", "--json"}},
		{"", []string{"admin", "token", "list"}},
		{"", []string{"admin", "token", "revoke", "ops"}},
		{"", []string{"admin", "token", "revoke", "ops"}},
		{"", []string{"keyring", "rotate", "--json"}},
		{"", []string{"check", "email", "bob@example.com"}},
		{"", []string{"export", "pwned-passwords", "--out", filepath.Join(out, "WAY", "sha1.txt")}},
		{"", []string{"export", "pwned-passwords", "--mode", "ntlm", "--json", "--out", filepath.Join(out, "WAY", "ntlm.txt")}},
		{"", []string{"export", "pwned-passwords", "--out", filepath.Join(out, "WAY", "sha1.txt")}},
		{"", []string{"import", "--quiet", "--breach", "Shop", "--from-quarantine", "--format", "combo"}},
		{"", []string{"breaches", "--json"}},
		{"", []string{"domains", "add", "Example.COM", "--owner", "Boss@example.com"}},
		{"", []string{"domains", "add", "shop.example", "--owner", "ops@shop.example", "--method", "file", "--json"}},
		{"", []string{"domains", "add", "mail.example", "--owner", "ops@mail.example", "--method", "email"}},
		{"", []string{"domains", "add", "localhost", "--owner", "ops@example.com"}},
		{"", []string{"domains", "add", "example.net", "--owner", "not-an-address"}},
		{"", []string{"domains", "add", "example.net"}},
		{"", []string{"domains", "list"}},
		{"", []string{"domains", "list", "--json"}},
		{"", []string{"domains", "remove", "shop.example"}},
		{"", []string{"domains", "remove", "shop.example"}},
		{"", []string{"addresses", "verify", "alice@example.com"}},
		{"", []string{"addresses", "confirm", "alice@example.com", "12345678"}},
		{"", []string{"alerts", "subscribe", "--email", "alice@example.com"}},
		{"", []string{"alerts", "subscribe", "--domain", "example.com", "--webhook", "ftp://x"}},
		{"", []string{"alerts", "subscribe"}},
		{"", []string{"alerts", "subscriptions", "--json"}},
		{"", []string{"alerts", "list"}},
		{"", []string{"alerts", "list", "--json"}},
		{"", []string{"alerts", "retry", "--all"}},
		{"", []string{"alerts", "retry", "0123"}},
		{"", []string{"alerts", "deliver", "--json"}},
		{"", []string{"verify", "--breach", "Shop"}},
		{"", []string{"verify", "--breach", "Pipe", "--json"}},
		{"", []string{"verify", "--breach", "NoSuch"}},
		{"", []string{"verify"}},
		{"", []string{"breach", "show", "Shop"}},
	}

	run := func(dir, way string, s step) outcome {
		var o, e bytes.Buffer
		args := append([]string{"--data", dir}, s.args...)
		for i, a := range args {
			args[i] = strings.ReplaceAll(a, "WAY", way)
		}
		code := runEnv(context.Background(), args, strings.NewReader(s.stdin), &o, &e, func(string) string { return "" })
		return outcome{code, normalise(strings.ReplaceAll(o.String(), way, "WAY")), normalise(strings.ReplaceAll(e.String(), way, "WAY"))}
	}
	base := t.TempDir()
	direct, served := filepath.Join(base, "direct"), filepath.Join(base, "served")
	for _, d := range []string{direct, served} {
		if o := run(d, "", step{args: []string{"init"}}); o.Code != 0 {
			t.Fatalf("init: %+v", o)
		}
		os.MkdirAll(filepath.Join(out, "way-"+filepath.Base(d)), 0o700)
	}

	// The server of served, on any free port.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	var serveErr bytes.Buffer
	go func() {
		done <- runEnv(ctx, []string{"--data", served, "serve", "--addr", "127.0.0.1:0", "--range-cache", "off", "--log-level", "error"},
			strings.NewReader(""), &bytes.Buffer{}, &serveErr, func(string) string { return "" })
	}()
	defer func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve ended with %d: %s", code, serveErr.String())
		}
	}()
	waitSocket(t, filepath.Join(served, "admin.sock"))

	for _, s := range script {
		a := run(direct, "way-direct", s)
		b := run(served, "way-served", s)
		t.Logf("leakwatch %s: %d\n%s%s", strings.Join(s.args, " "), a.Code, a.Stdout, a.Stderr)
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("leakwatch %s: direct and through the server differ (-direct +served):\n%s", strings.Join(s.args, " "), diff)
		}
	}
	for _, f := range []string{"sha1.txt", "ntlm.txt"} {
		a, err1 := os.ReadFile(filepath.Join(out, "way-direct", f))
		b, err2 := os.ReadFile(filepath.Join(out, "way-served", f))
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) || len(a) == 0 {
			t.Errorf("export %s: direct %d bytes (%v), served %d bytes (%v)", f, len(a), err1, len(b), err2)
		}
	}

	// status is the one command that tells the two apart.
	if o := run(served, "served", step{args: []string{"status"}}); o.Code != 0 || !strings.Contains(o.Stdout, "server:    running") {
		t.Errorf("status through the server: %+v", o)
	}
	if o := run(direct, "direct", step{args: []string{"status"}}); o.Code != 0 || !strings.Contains(o.Stdout, "not running") {
		t.Errorf("status with no server: %+v", o)
	}
	// While the server runs, nothing else opens its store.
	if o := run(served, "served", step{args: []string{"serve", "--addr", "127.0.0.1:0"}}); o.Code == 0 || !strings.Contains(o.Stderr, "already running") {
		t.Errorf("a second serve: %+v", o)
	}
}

// waitSocket waits for a server to listen on the admin socket sock.
func waitSocket(t *testing.T, sock string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if c, err := net.Dial("unix", sock); err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no server started on %s", sock)
		}
	}
}
