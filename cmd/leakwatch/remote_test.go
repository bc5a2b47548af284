package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/testcert"
)

// TestRemoteServer works on a server through its TLS admin listener, as a
// remote operator does: --server URL, --server-ca FILE and the admin token
// in LEAKWATCH_ADMIN_TOKEN; without a token, or with a revoked one, it is
// refused.
func TestRemoteServer(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "d")
	runLeakwatch(t, "--data", data, "init")
	secret := strings.TrimSpace(runLeakwatch(t, "--data", data, "admin", "token", "create", "ops"))
	certFile, keyFile, _ := testcert.Write(t, dir)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	logs := &syncBuffer{}
	go func() {
		done <- runEnv(ctx, []string{"--data", data, "serve", "--addr", "127.0.0.1:0", "--tls-cert", certFile, "--tls-key", keyFile,
			"--admin-addr", "127.0.0.1:0", "--range-cache", "off"}, strings.NewReader(""), &bytes.Buffer{}, logs, func(string) string { return "" })
	}()
	defer func() { cancel(); <-done }()
	var adminURL string
	for deadline := time.Now().Add(20 * time.Second); adminURL == ""; time.Sleep(20 * time.Millisecond) {
		if m := regexp.MustCompile(`remote=(https://\S+)`).FindStringSubmatch(logs.String()); m != nil {
			adminURL = m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no admin listener: %s", logs.String())
		}
	}

	leak := filepath.Join(dir, "leak.txt")
	os.WriteFile(leak, []byte("remote@example.com:pw-remote\n"), 0o600)
	// Elsewhere: no data directory here, only the server's address.
	t.Chdir(t.TempDir())
	remote := func(token string, stdin string, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		env := map[string]string{"LEAKWATCH_SERVER": adminURL, "LEAKWATCH_SERVER_CA": certFile, "LEAKWATCH_ADMIN_TOKEN": token}
		code := runEnv(context.Background(), args, strings.NewReader(stdin), &out, &errb, func(k string) string { return env[k] })
		return code, out.String(), errb.String()
	}
	if code, out, errb := remote(secret, "", "import", "--quiet", "--breach", "Remote", leak); code != 0 || !strings.Contains(out, "imported 1 file") {
		t.Fatalf("remote import: %d %s %s", code, out, errb)
	}
	if code, out, errb := remote(secret, "", "check", "email", "remote@example.com"); code != 0 || !strings.Contains(out, "Remote") {
		t.Errorf("remote check: %d %s %s", code, out, errb)
	}
	if code, out, _ := remote(secret, "", "status"); code != 0 || !strings.Contains(out, "server:    running") {
		t.Errorf("remote status: %d %s", code, out)
	}
	if code, _, errb := remote(secret, "", "backup", "--with-keys", "--out", "b"); code == 0 || !strings.Contains(errb, "never over the network") {
		t.Errorf("a backup with the key file over the network: %d %s", code, errb)
	}
	if code, _, errb := remote("", "", "breaches"); code == 0 || !strings.Contains(errb, "LEAKWATCH_ADMIN_TOKEN") {
		t.Errorf("no token: %d %s", code, errb)
	}
	if code, _, errb := remote("lwadm_"+strings.Repeat("0", 64), "", "breaches"); code == 0 || !strings.Contains(errb, "admin token") {
		t.Errorf("a wrong token: %d %s", code, errb)
	}
	// A certificate the client does not trust is refused.
	var out, errb bytes.Buffer
	env := map[string]string{"LEAKWATCH_SERVER": adminURL, "LEAKWATCH_ADMIN_TOKEN": secret}
	if code := runEnv(context.Background(), []string{"breaches"}, strings.NewReader(""), &out, &errb, func(k string) string { return env[k] }); code == 0 || !strings.Contains(errb.String(), "certificate") {
		t.Errorf("an untrusted certificate: %d %s", code, errb.String())
	}
	// Revocation takes effect with the next request.
	if code, _, errb := remote(secret, "", "admin", "token", "revoke", "ops"); code != 0 {
		t.Fatalf("revoke: %d %s", code, errb)
	}
	if code, _, errb := remote(secret, "", "breaches"); code == 0 || !strings.Contains(errb, "admin token") {
		t.Errorf("a revoked token: %d %s", code, errb)
	}
}
