package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// freeAddr returns a loopback address with a port free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startPublicServer starts leakwatch serve on data as a child process on
// a known address and waits for its admin socket; it returns the API's
// URL.
func startPublicServer(t *testing.T, data string) (*exec.Cmd, string) {
	t.Helper()
	addr := freeAddr(t)
	srv := leakwatchCmd(t, "--data", data, "serve", "--addr", addr, "--range-cache", "off", "--log-level", "error")
	var errb bytes.Buffer
	srv.Stderr = &errb
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Process.Kill(); srv.Wait() })
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return srv, "http://" + addr
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server did not start: %s", errb.String())
		}
	}
}

type privateStatus struct {
	Enabled bool
	Epochs  []struct {
		Epoch uint32
		State string
	}
	Pending, Indexed int64
}

func readPrivateStatus(t *testing.T, data string) privateStatus {
	t.Helper()
	var st privateStatus
	if err := json.Unmarshal([]byte(runLeakwatch(t, "--data", data, "private", "status", "--json")), &st); err != nil {
		t.Fatal(err)
	}
	return st
}

// waitBuilt waits for the server's background builder to index every
// spooled pair.
func waitBuilt(t *testing.T, data string) privateStatus {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(100 * time.Millisecond) {
		st := readPrivateStatus(t, data)
		if st.Pending == 0 {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server left %d pairs unbuilt", st.Pending)
		}
	}
}

// checkLoginPrivate runs check login --private against url with the password on
// standard input.
func checkLoginPrivate(t *testing.T, url, key, login, password string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runEnv(context.Background(), []string{"check", "login", "--private", "--server", url, "--json", login},
		strings.NewReader(password+"\n"), &out, &errb, func(k string) string {
			if k == "LEAKWATCH_API_KEY" {
				return key
			}
			return ""
		})
	if strings.Contains(out.String()+errb.String(), password) {
		t.Errorf("the password is in the output of check login: %s%s", out.String(), errb.String())
	}
	var a struct{ Result string }
	if code != 2 {
		if err := json.Unmarshal(out.Bytes(), &a); err != nil {
			t.Fatalf("check login %s: %v: %s%s", login, err, out.String(), errb.String())
		}
	} else {
		a.Result = errb.String()
	}
	return code, a.Result
}

// TestPrivateCheckEndToEnd: enable the private check, import a leak (the
// import builds its few pairs itself), serve it, check logins with
// check login --private over HTTP, import through the server (which
// builds in the background), rotate the key through the server.
func TestPrivateCheckEndToEnd(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	runLeakwatch(t, "--data", data, "init")
	if out := runLeakwatch(t, "--data", data, "private", "enable", "--bucket-bits", "4"); !strings.Contains(out, "epoch 1  current   4 bucket bits") {
		t.Fatalf("private enable: %s", out)
	}
	leak := filepath.Join(dir, "shop.txt")
	if err := os.WriteFile(leak, []byte("jdoe@example.com:Summer2023\nalice:hunter2\nbob@example.org:correct horse\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := runLeakwatch(t, "--data", data, "import", "--quiet", "--breach", "Shop", leak)
	if !strings.Contains(out, "private check 3 pair(s) spooled and indexed") {
		t.Fatalf("import summary: %s", out)
	}
	var key struct{ Secret string }
	if err := json.Unmarshal([]byte(runLeakwatch(t, "--data", data, "keys", "create", "k", "--json")), &key); err != nil {
		t.Fatal(err)
	}

	_, url := startPublicServer(t, data)
	for _, tc := range []struct {
		login, password, want string
		code                  int
	}{
		{"JDoe@Example.com", "Summer2023", "leaked", 0},
		{"jdoe@example.com", "summer2023", "similar", 0},
		{"jdoe@example.com", "Summer2024", "similar", 0},
		{"alice", "another one", "username-only", 0},
		{"carol@example.com", "Summer2023", "not found", 1},
	} {
		if code, got := checkLoginPrivate(t, url, key.Secret, tc.login, tc.password); code != tc.code || got != tc.want {
			t.Errorf("check login %s: %d %q, want %d %q", tc.login, code, got, tc.code, tc.want)
		}
	}
	if code, got := checkLoginPrivate(t, url, "wrong", "alice", "hunter2"); code != 2 || !strings.Contains(got, "401") {
		t.Errorf("check login with a wrong key: %d %s", code, got)
	}

	// Through the server: the import spools, the server builds.
	forum := filepath.Join(dir, "forum.txt")
	if err := os.WriteFile(forum, []byte("erin@example.net:Tr0ub4dor&3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	runLeakwatch(t, "--data", data, "import", "--quiet", "--breach", "Forum", forum)
	if st := waitBuilt(t, data); st.Indexed != 5 { // 4 pairs and the canary
		t.Errorf("indexed %d pairs", st.Indexed)
	}
	if code, got := checkLoginPrivate(t, url, key.Secret, "erin@example.net", "Tr0ub4dor&3"); code != 0 || got != "leaked" {
		t.Errorf("check login of the second import: %d %q", code, got)
	}

	// A rotation through the server: a new key from the stored inputs,
	// the old epoch retired at once; every answer stays.
	runLeakwatch(t, "--data", data, "private", "rotate", "--grace", "0", "--quiet")
	st := readPrivateStatus(t, data)
	if len(st.Epochs) != 1 || st.Epochs[0].Epoch != 2 || st.Epochs[0].State != "current" {
		t.Fatalf("epochs after rotation: %+v", st.Epochs)
	}
	for _, p := range [][2]string{{"jdoe@example.com", "Summer2023"}, {"erin@example.net", "Tr0ub4dor&3"}} {
		if code, got := checkLoginPrivate(t, url, key.Secret, p[0], p[1]); code != 0 || got != "leaked" {
			t.Errorf("check login %s after rotation: %d %q", p[0], code, got)
		}
	}
}

// TestPrivateBuildKilled kills a server while it builds the private
// index in the background: what it built stays, nothing is built twice,
// and leakwatch private build finishes the rest.
func TestPrivateBuildKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("slow-hashes thousands of pairs")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	runLeakwatch(t, "--data", data, "init")
	runLeakwatch(t, "--data", data, "private", "enable", "--bucket-bits", "5")
	var b strings.Builder
	n := 16000 // a few seconds of the server's one builder
	for i := range n {
		fmt.Fprintf(&b, "user%d@example.com:pass-%d\n", i, i)
	}
	leak := filepath.Join(dir, "big.txt")
	if err := os.WriteFile(leak, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	srv, _ := startPublicServer(t, data)
	runLeakwatch(t, "--data", data, "import", "--quiet", "--breach", "Big", leak)
	// Kill it once it has built some of the spool.
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(20 * time.Millisecond) {
		st := readPrivateStatus(t, data)
		if st.Indexed > 1 || st.Pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the server built nothing")
		}
	}
	srv.Process.Signal(syscall.SIGKILL)
	srv.Wait()
	st := readPrivateStatus(t, data)
	t.Logf("killed with %d pairs indexed, %d pending", st.Indexed, st.Pending)
	if st.Pending == 0 {
		t.Error("the server built everything before the kill")
	}
	if st.Indexed+st.Pending != int64(n)+1 {
		t.Fatalf("after the kill: %d indexed + %d pending, want %d", st.Indexed, st.Pending, n+1)
	}

	build := leakwatchCmd(t, "--data", data, "private", "build")
	stderr, err := build.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	build.Stdout = &out
	if err := build.Start(); err != nil {
		t.Fatal(err)
	}
	progress := 0
	for sc := bufio.NewScanner(stderr); sc.Scan(); {
		if strings.Contains(sc.Text(), "private build:") {
			progress++
		}
	}
	if err := build.Wait(); err != nil {
		t.Fatalf("private build: %v: %s", err, out.String())
	}
	if st := readPrivateStatus(t, data); st.Pending != 0 || st.Indexed != int64(n)+1 {
		t.Fatalf("after private build: %d indexed, %d pending", st.Indexed, st.Pending)
	}
	if st.Pending > 0 && progress == 0 {
		t.Error("private build printed no progress")
	}
	if !strings.Contains(out.String(), fmt.Sprintf("indexed %d pair(s); 0 wait", n+1)) {
		t.Errorf("private build: %s", out.String())
	}

	var key struct{ Secret string }
	if err := json.Unmarshal([]byte(runLeakwatch(t, "--data", data, "keys", "create", "k", "--json")), &key); err != nil {
		t.Fatal(err)
	}
	_, url := startPublicServer(t, data)
	for _, i := range []int{0, n / 2, n - 1} {
		if code, got := checkLoginPrivate(t, url, key.Secret, fmt.Sprintf("user%d@example.com", i), fmt.Sprintf("pass-%d", i)); code != 0 || got != "leaked" {
			t.Errorf("user%d after the resumed build: %d %q", i, code, got)
		}
	}
}
