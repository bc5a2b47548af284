package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// leakwatchCmd runs this test binary as the leakwatch program.
func leakwatchCmd(t *testing.T, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "LEAKWATCH_TEST_AS_MAIN=1")
	return cmd
}

func runLeakwatch(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb)
	if code != 0 {
		t.Fatalf("leakwatch %s: exit %d: %s", strings.Join(args, " "), code, errb.String())
	}
	return out.String()
}

// TestKillAndResume kills an import with SIGKILL part-way, checks that the
// store is consistent (the breach is absent, not half there), runs the same
// command again and compares every count with an uninterrupted import.
func TestKillAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("imports a generated leak several times")
	}
	dir := t.TempDir()
	leak := filepath.Join(dir, "combo.txt")
	runLeakwatch(t, "gen", "--format", "combo", "--rows", "400000", "--seed", "5", "--junk-every", "1000", "--out", leak)

	ref := filepath.Join(dir, "ref")
	runLeakwatch(t, "--data", ref, "import", "--quiet", "--breach", "K", leak)
	want := runLeakwatch(t, "--data", ref, "breaches", "--json")

	killed := filepath.Join(dir, "killed")
	interrupted := 0
	for _, delay := range []time.Duration{30 * time.Millisecond, 120 * time.Millisecond, 300 * time.Millisecond} {
		cmd := leakwatchCmd(t, "--data", killed, "import", "--quiet", "--breach", "K", leak)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		if err == nil {
			t.Logf("import finished within %s; the kill came too late", delay)
			break
		}
		interrupted++
		// Whatever was killed, the store opens and is consistent: the
		// breach is either absent or complete (or the kill came before the
		// store was created).
		var out, errb bytes.Buffer
		if code := run(context.Background(), []string{"--data", killed, "breaches", "--json"}, strings.NewReader(""), &out, &errb); code != 0 {
			if !strings.Contains(errb.String(), "no leakwatch data") {
				t.Fatalf("after a kill at %s: exit %d: %s", delay, code, errb.String())
			}
			continue
		}
		if got := out.String(); normaliseDates(got) != normaliseDates(want) && !strings.Contains(got, "[]") {
			t.Fatalf("after a kill at %s the catalog is neither empty nor complete:\n%s", delay, got)
		}
	}
	if interrupted == 0 {
		t.Fatal("no kill landed during an import")
	}
	out := runLeakwatch(t, "--data", killed, "import", "--quiet", "--breach", "K", leak)
	if !strings.Contains(out, "imported") && !strings.Contains(out, "nothing imported") {
		t.Fatalf("resume: %s", out)
	}
	got := runLeakwatch(t, "--data", killed, "breaches", "--json")
	// AddedDate and ModifiedDate differ between the two stores.
	if normaliseDates(got) != normaliseDates(want) {
		t.Errorf("after kill and resume:\n%s\nuninterrupted:\n%s", got, want)
	}
	// Password counts agree too.
	pw := func(data string) string {
		cmd := leakwatchCmd(t, "--data", data, "check", "password", "--json")
		cmd.Stdin = strings.NewReader("123456\n")
		out, _ := cmd.Output()
		return string(out)
	}
	if a, b := pw(killed), pw(ref); a != b || !strings.Contains(a, `"pwned":true`) {
		t.Errorf("password count after resume %s, uninterrupted %s", a, b)
	}
}

func normaliseDates(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if strings.Contains(line, `"AddedDate"`) || strings.Contains(line, `"ModifiedDate"`) {
			continue
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

// startServer starts leakwatch serve on data as a child process and waits
// for its admin socket to answer.
func startServer(t *testing.T, data string) *exec.Cmd {
	t.Helper()
	srv := leakwatchCmd(t, "--data", data, "serve", "--addr", "127.0.0.1:0", "--range-cache", "off", "--log-level", "error")
	var errb bytes.Buffer
	srv.Stderr = &errb
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Process.Kill(); srv.Wait() })
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var out, e bytes.Buffer
		if run(context.Background(), []string{"--data", data, "status"}, strings.NewReader(""), &out, &e) == 0 &&
			strings.Contains(out.String(), "server:    running") {
			return srv
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server did not start: %s", errb.String())
		}
	}
}

// TestKillServerAndResume kills the server with SIGKILL while a client
// imports through it: the store holds the import entirely or not at all,
// a new server starts on the stale socket, and the same import through it
// completes with the counts of an uninterrupted import.
func TestKillServerAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("imports a generated leak several times")
	}
	dir := t.TempDir()
	leak := filepath.Join(dir, "combo.txt")
	rows := "400000"
	if raceEnabled {
		rows = "100000" // a server built with the race detector imports slowly
	}
	runLeakwatch(t, "gen", "--format", "combo", "--rows", rows, "--seed", "6", "--out", leak)
	ref := filepath.Join(dir, "ref")
	runLeakwatch(t, "--data", ref, "import", "--quiet", "--breach", "K", leak)
	want := runLeakwatch(t, "--data", ref, "breaches", "--json")

	data := filepath.Join(dir, "d")
	runLeakwatch(t, "--data", data, "init")
	srv := startServer(t, data)
	client := leakwatchCmd(t, "--data", data, "import", "--quiet", "--breach", "K", leak)
	var cerr bytes.Buffer
	client.Stderr = &cerr
	if err := client.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill the server once the import is under way.
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		var out, e bytes.Buffer
		run(context.Background(), []string{"--data", data, "status", "--json"}, strings.NewReader(""), &out, &e)
		if strings.Contains(out.String(), `"breach": "K"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the import did not start: %s", cerr.String())
		}
	}
	srv.Process.Signal(syscall.SIGKILL)
	srv.Wait()
	if err := client.Wait(); err == nil {
		t.Log("the import finished before the kill")
	} else if cerr.Len() == 0 {
		t.Error("the client of a killed server said nothing")
	}
	// No server: the command opens the store itself, past the stale socket.
	got := runLeakwatch(t, "--data", data, "breaches", "--json")
	if normaliseDates(got) != normaliseDates(want) && !strings.Contains(got, "[]") {
		t.Fatalf("after the kill the catalog is neither empty nor complete:\n%s", got)
	}
	startServer(t, data)
	out := runLeakwatch(t, "--data", data, "import", "--quiet", "--breach", "K", leak)
	if !strings.Contains(out, "imported") {
		t.Fatalf("resume: %s", out)
	}
	if got := runLeakwatch(t, "--data", data, "breaches", "--json"); normaliseDates(got) != normaliseDates(want) {
		t.Errorf("after kill and resume:\n%s\nuninterrupted:\n%s", got, want)
	}
}

// TestClientGoneAborts: an import through the server whose client is
// interrupted (SIGINT, as Ctrl-C) or killed mid-stream is aborted on the
// server with nothing committed, and the server takes the next import.
func TestClientGoneAborts(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "d")
	runLeakwatch(t, "--data", data, "init")
	startServer(t, data)
	status := func() string {
		var out, e bytes.Buffer
		run(context.Background(), []string{"--data", data, "status", "--json"}, strings.NewReader(""), &out, &e)
		return out.String()
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGKILL} {
		client := leakwatchCmd(t, "--data", data, "import", "--quiet", "--breach", "Gone", "-")
		in, err := client.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := client.Start(); err != nil {
			t.Fatal(err)
		}
		// Some rows, and then the client waits for more that never come.
		for i := range 1000 {
			fmt.Fprintf(in, "user%d@example.com:pw%d\n", i, i)
		}
		for deadline := time.Now().Add(20 * time.Second); !strings.Contains(status(), `"breach": "Gone"`); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%v: the import did not start", sig)
			}
		}
		client.Process.Signal(sig)
		err = client.Wait()
		in.Close()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || (sig == syscall.SIGINT && ee.ExitCode() != 130) {
			t.Errorf("%v: the client ended with %v", sig, err)
		}
		for deadline := time.Now().Add(20 * time.Second); strings.Contains(status(), `"breach": "Gone"`); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%v: the server still runs the import of a client that is gone", sig)
			}
		}
		if out := runLeakwatch(t, "--data", data, "breaches", "--json"); strings.Contains(out, "Gone") {
			t.Errorf("%v: the aborted import committed: %s", sig, out)
		}
	}
	leak := filepath.Join(dir, "next.txt")
	os.WriteFile(leak, []byte("next@example.com:pw\n"), 0o600)
	if out := runLeakwatch(t, "--data", data, "import", "--quiet", "--breach", "Next", leak); !strings.Contains(out, "imported") {
		t.Errorf("the import after: %s", out)
	}
}

// TestServerSIGTERM: SIGTERM during an import through the server aborts
// it with nothing committed, tells the client why, and the server exits 0.
func TestServerSIGTERM(t *testing.T) {
	data := filepath.Join(t.TempDir(), "d")
	runLeakwatch(t, "--data", data, "init")
	srv := startServer(t, data)
	client := leakwatchCmd(t, "--data", data, "import", "--quiet", "--breach", "Term", "-")
	in, err := client.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var cerr bytes.Buffer
	client.Stderr = &cerr
	if err := client.Start(); err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	fmt.Fprintln(in, "term@example.com:pw")
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		var out, e bytes.Buffer
		run(context.Background(), []string{"--data", data, "status", "--json"}, strings.NewReader(""), &out, &e)
		if strings.Contains(out.String(), `"breach": "Term"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the import did not start")
		}
	}
	srv.Process.Signal(syscall.SIGTERM)
	if err := srv.Wait(); err != nil {
		t.Errorf("the server ended with %v after SIGTERM", err)
	}
	if err := client.Wait(); err == nil || !strings.Contains(cerr.String(), "shutting down") || !strings.Contains(cerr.String(), "nothing committed") {
		t.Errorf("the client was told: %v %s", err, cerr.String())
	}
	if out := runLeakwatch(t, "--data", data, "breaches", "--json"); strings.Contains(out, "Term") {
		t.Errorf("the aborted import committed: %s", out)
	}
}
