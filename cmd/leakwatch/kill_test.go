package main

import (
	"bytes"
	"context"
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
	runLeakwatch(t, "gen", "--format", "combo", "--rows", "400000", "--seed", "6", "--out", leak)
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
