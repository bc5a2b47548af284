package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBackupRestore backs a data directory up while its server serves
// (through the socket) and with no server, restores the backups into new
// directories and finds the same answers there.
func TestBackupRestore(t *testing.T) {
	dir := t.TempDir()
	leak := filepath.Join(dir, "leak.txt")
	os.WriteFile(leak, []byte("alice@example.com:hunter22\nbob@example.com:letmein\nnoseparator\n"), 0o600)
	data := filepath.Join(dir, "d")
	runLeakwatch(t, "--data", data, "import", "--quiet", "--breach", "B", leak)

	lw := func(stdin string, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
		return code, out.String(), errb.String()
	}
	answers := func(data string, keyFile ...string) string {
		var all strings.Builder
		g := []string{"--data", data}
		if len(keyFile) > 0 {
			g = append(g, "--keyring", keyFile[0])
		}
		for _, c := range []struct {
			stdin string
			args  []string
		}{
			{"", []string{"breaches", "--json"}},
			{"", []string{"check", "email", "alice@example.com"}},
			{"hunter22\n", []string{"check", "password", "--json"}},
			{"", []string{"quarantine", "list", "--breach", "B", "--lines"}},
		} {
			code, out, errb := lw(c.stdin, append(g[:len(g):len(g)], c.args...)...)
			all.WriteString(strings.Join(c.args, " ") + ": " + string(rune('0'+code)) + "\n" + out + errb)
		}
		return all.String()
	}
	want := answers(data)

	// While the server runs, through its socket.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		done <- runEnv(ctx, []string{"--data", data, "serve", "--addr", "127.0.0.1:0", "--range-cache", "off", "--log-level", "error"},
			strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{}, func(string) string { return "" })
	}()
	waitSocket(t, filepath.Join(data, "admin.sock"))
	live := filepath.Join(dir, "live.lwbackup")
	if code, _, errb := lw("", "--data", data, "backup", "--out", live); code != 0 || !strings.Contains(errb, "without the key file") {
		t.Fatalf("backup through the server: %d %s", code, errb)
	}
	withKeys := filepath.Join(dir, "keys.lwbackup")
	if code, _, errb := lw("", "--data", data, "backup", "--with-keys", "--out", withKeys); code != 0 {
		t.Fatalf("backup --with-keys through the socket: %d %s", code, errb)
	}
	if code, _, errb := lw("", "--data", data, "backup", "--out", live); code == 0 || !strings.Contains(errb, "already exists") {
		t.Errorf("backup over an existing file: %d %s", code, errb)
	}
	if code, _, errb := lw("", "--data", data, "backup", "--out", filepath.Join(data, "b")); code != 2 {
		t.Errorf("backup into the data directory: %d %s", code, errb)
	}
	cancel()
	<-done
	// With no server.
	offline := filepath.Join(dir, "offline.lwbackup")
	if code, _, errb := lw("", "--data", data, "backup", "--out", offline); code != 0 {
		t.Fatalf("backup with no server: %d %s", code, errb)
	}

	keyFile := filepath.Join(data, "keyring.json")
	for _, b := range []string{live, offline} {
		r := filepath.Join(dir, "r-"+filepath.Base(b))
		if code, _, errb := lw("", "--data", r, "restore", b); code != 2 || !strings.Contains(errb, "--keyring") {
			t.Errorf("restore of %s with no key file: %d %s", filepath.Base(b), code, errb)
		}
		if code, _, errb := lw("", "--data", r, "--keyring", keyFile, "restore", b); code != 0 {
			t.Fatalf("restore of %s: %d %s", filepath.Base(b), code, errb)
		}
		if got := answers(r, keyFile); got != want {
			t.Errorf("answers after restoring %s:\n%s\nwant:\n%s", filepath.Base(b), got, want)
		}
		if code, _, errb := lw("", "--data", r, "--keyring", keyFile, "restore", b); code == 0 || !strings.Contains(errb, "empty") {
			t.Errorf("restore into a restored directory: %d %s", code, errb)
		}
	}
	r := filepath.Join(dir, "r-keys")
	if code, _, errb := lw("", "--data", r, "restore", withKeys); code != 0 {
		t.Fatalf("restore of a backup with the key file: %d %s", code, errb)
	}
	if got := answers(r); got != want {
		t.Errorf("answers after restoring a backup with keys:\n%s\nwant:\n%s", got, want)
	}
	// A damaged backup restores nothing.
	b, _ := os.ReadFile(offline)
	b[len(b)/2] ^= 0x40
	bad := filepath.Join(dir, "bad.lwbackup")
	os.WriteFile(bad, b, 0o600)
	rb := filepath.Join(dir, "r-bad")
	if code, _, errb := lw("", "--data", rb, "--keyring", keyFile, "restore", bad); code == 0 {
		t.Errorf("restore of a damaged backup: %d %s", code, errb)
	}
	if _, err := os.Stat(rb); !os.IsNotExist(err) {
		t.Errorf("a failed restore left %s: %v", rb, err)
	}
}
