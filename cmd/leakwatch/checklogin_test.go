package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leakwatch/leakwatch/client/privatecheck"
	"github.com/leakwatch/leakwatch/client/privatecheck/privatechecktest"
	core "github.com/leakwatch/leakwatch/internal/privatecheck"
)

// TestCheckLoginPrivate runs check login --private against a test server
// of the private check: the answers, their exit statuses, and no password
// anywhere in the output.
func TestCheckLoginPrivate(t *testing.T) {
	s, err := privatechecktest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	s.APIKey = "k3y"
	for _, p := range [][2]string{{"jdoe@example.com", "Summer2023"}, {"alice", "hunter2"}} {
		if err := s.Add(p[0], p[1]); err != nil {
			t.Fatal(err)
		}
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	fp := privatecheck.Fingerprint(s.PublicKey())

	// A server that publishes its key but answers under another.
	other, err := privatechecktest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	mixed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == privatecheck.CheckPath {
			other.ServeHTTP(w, r)
			return
		}
		s.ServeHTTP(w, r)
	}))
	defer mixed.Close()

	env := map[string]string{"LEAKWATCH_API_KEY": "k3y"}
	run := func(password string, args ...string) (int, string, string) {
		t.Helper()
		var out, errb bytes.Buffer
		code := runEnv(context.Background(), args, strings.NewReader(password+"\n"), &out, &errb, func(k string) string { return env[k] })
		for _, v := range append(privateVariants(password), password) {
			if strings.Contains(out.String(), v) || strings.Contains(errb.String(), v) {
				t.Errorf("leakwatch %s: the password or its variant %q is in the output:\n%s%s", strings.Join(args, " "), v, out.String(), errb.String())
			}
		}
		return code, out.String(), errb.String()
	}
	check := []string{"check", "login", "--private", "--server", ts.URL}

	for _, tc := range []struct {
		login, password string
		code            int
		out             string
	}{
		{"jdoe@example.com", "Summer2023", 0, "this exact login and password are in a leak: change this password everywhere you used it\n"},
		{"JDoe@Example.com", "summer2023", 0, "a password similar to this one leaked with this login: change it, and do not move to another variant of it\n"},
		{"jdoe@example.com", "Winter-is-coming", 0, "this login is in a leak, but not with this password or a similar one\n"},
		{"bob@example.com", "Summer2023", 1, "not found: neither this login nor this password is in the leaks this server holds\n"},
	} {
		code, out, errOut := run(tc.password, append(check, tc.login)...)
		if code != tc.code || out != tc.out || errOut != "" {
			t.Errorf("check login %s: exit %d, stdout %q, stderr %q; want %d, %q", tc.login, code, out, errOut, tc.code, tc.out)
		}
	}

	// --json and -v; the flags may follow the login.
	code, out, errOut := run("summer2023", "check", "login", "jdoe@example.com", "--private", "--server", ts.URL, "--api-key", "k3y", "--json", "-v")
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("--json: %v: %q", err, out)
	}
	want := map[string]any{"result": "similar", "epoch": 1.0, "key": fp}
	if diff := cmp.Diff(want, got); code != 0 || diff != "" {
		t.Errorf("--json: exit %d, (-want +got):\n%s", code, diff)
	}
	if wantErr := "leakwatch: epoch 1, server key fingerprint " + fp + "\n"; errOut != wantErr {
		t.Errorf("-v: stderr %q, want %q", errOut, wantErr)
	}
	code, out, _ = run("nope", append(check, "--json", "nobody")...)
	if code != 1 || !strings.Contains(out, `"result": "not found"`) {
		t.Errorf("--json not found: exit %d, %q", code, out)
	}

	// Errors exit 2, once, with a hint where one helps.
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want []string
	}{
		{"no --private", env, []string{"check", "login", "--server", ts.URL, "jdoe"}, []string{"leakwatch: check login needs --private: there is no plain login check", "usage: leakwatch check login"}},
		{"no --server", env, []string{"check", "login", "--private", "jdoe"}, []string{"needs --server URL"}},
		{"password on the command line", env, append(check, "jdoe", "Summer2023"), []string{"never from the command line"}},
		{"no API key", nil, append(check, "jdoe"), []string{"401 Unauthorized: missing or invalid hibp-api-key", "hint: pass the server's API key"}},
		{"wrong key", env, []string{"check", "login", "--private", "--server", mixed.URL, "jdoe@example.com"}, []string{"the server's proof does not verify: it may be answering you under a different key", "hint: do not trust this server"}},
		{"no server", env, []string{"check", "login", "--private", "--server", "http://127.0.0.1:1", "jdoe"}, []string{"leakwatch: privatecheck: "}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			saved := env
			env = tc.env
			defer func() { env = saved }()
			code, out, errOut := run("Summer2023", tc.args...)
			t.Logf("stderr:\n%s", errOut)
			if code != 2 || out != "" {
				t.Errorf("exit %d, stdout %q; want 2 and nothing", code, out)
			}
			for _, w := range tc.want {
				if strings.Count(errOut, w) != 1 {
					t.Errorf("stderr %q: want %q once", errOut, w)
				}
			}
		})
	}
}

// privateVariants returns the similar passwords a check sends for
// password (those long enough to search for), which must not be printed
// either.
func privateVariants(password string) []string {
	var vs []string
	for _, v := range core.SimilarPasswords(password) {
		if len(v) >= 4 {
			vs = append(vs, v)
		}
	}
	return vs
}
