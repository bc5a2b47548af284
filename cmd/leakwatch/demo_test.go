package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestDemo runs the README's first command and follows the instructions it
// prints: the catalog, an account lookup with the printed key, a range.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and imports sample leaks")
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int)
	go func() {
		done <- runEnv(ctx, []string{"demo", "--addr", "127.0.0.1:0"}, strings.NewReader(""), &stdout, &stderr, func(string) string { return "" })
	}()
	var out string
	wait := 60 * time.Second
	if raceEnabled {
		wait = 4 * time.Minute // the race detector slows the imports and the private build
	}
	for deadline := time.Now().Add(wait); ; time.Sleep(50 * time.Millisecond) {
		out = stdout.String()
		if strings.Contains(out, "The sample account") {
			break
		}
		select {
		case code := <-done:
			t.Fatalf("demo exited %d early: %s", code, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("demo did not start: %s", stderr.String())
		}
	}
	url := regexp.MustCompile(`serving (http://\S+)`).FindStringSubmatch(out)[1]
	key := regexp.MustCompile(`hibp-api-key: (\w+)`).FindStringSubmatch(out)[1]
	email := regexp.MustCompile(`The sample account (\S+)`).FindStringSubmatch(out)[1]
	get := func(path string, header ...string) (int, string) {
		req, _ := http.NewRequest("GET", url+path, nil)
		req.Header.Set("User-Agent", "leakwatch-test")
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/api/v3/breaches"); code != 200 || !strings.Contains(body, `"Name":"DemoTelco"`) {
		t.Errorf("breaches: %d %.200s", code, body)
	}
	if code, body := get("/api/v3/breachedaccount/"+email, "hibp-api-key", key); code != 200 || !strings.Contains(body, `"Name":"DemoCombo"`) {
		t.Errorf("breachedaccount of the sample account: %d %.200s", code, body)
	}
	if code, _ := get("/api/v3/breachedaccount/" + email); code != 401 {
		t.Errorf("breachedaccount without a key: %d, want 401", code)
	}
	if code, body := get("/range/5BAA6"); code != 200 || !strings.Contains(body, "1E4C9B93F3F0682250B6CF8331B7EE68FD8:") {
		t.Errorf("range 5BAA6 lacks \"password\": %d %.200s", code, body)
	}
	// Every example the demo prints works, and a range example's comment
	// names a hash that its range holds.
	examples := 0
	curl := regexp.MustCompile(`^\s*curl -s (?:-A \w+ )?(?:-H '([^:]+): ([^']+)' )?'?(http://[^' ]+)'?\s*(?:# .*: ([0-9A-F]{32,40}))?$`)
	for _, line := range strings.Split(out, "\n") {
		if !strings.Contains(line, "curl ") {
			continue
		}
		m := curl.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("example not understood: %q", line)
			continue
		}
		examples++
		var header []string
		if m[1] != "" {
			header = []string{m[1], m[2]}
		}
		code, body := get(strings.TrimPrefix(m[3], url), header...)
		if code != 200 {
			t.Errorf("%s: status %d: %.200s", line, code, body)
		}
		if strings.Contains(m[3], "/range/") && m[4] == "" {
			t.Errorf("%s: a range example without the hash it shows", line)
		}
		if hash := m[4]; hash != "" && (!strings.Contains(m[3], "/range/"+hash[:5]) || !strings.Contains(body, hash[5:]+":")) {
			t.Errorf("%s: the range does not hold %s: %.200s", line, hash, body)
		}
	}
	if examples < 5 {
		t.Errorf("%d curl examples understood in:\n%s", examples, out)
	}
	// The private check's examples: the sample's password leaked, with a
	// "!" appended it is similar.
	checks := 0
	login := regexp.MustCompile(`^\s*echo '([^']*)' \| go run \./cmd/leakwatch check login --private --server (\S+) --api-key (\w+) (\S+)$`)
	for _, line := range strings.Split(out, "\n") {
		if !strings.Contains(line, "check login") {
			continue
		}
		m := login.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("example not understood: %q", line)
			continue
		}
		want := []string{"leaked", "similar"}[checks%2]
		if code, got := checkLoginPrivate(t, m[2], m[3], m[4], m[1]); code != 0 || got != want {
			t.Errorf("%s: %d %q, want %q", line, code, got, want)
		}
		checks++
	}
	if checks != 2 {
		t.Errorf("%d check login examples in:\n%s", checks, out)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("demo exited %d after Ctrl-C: %s", code, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("demo did not stop")
	}
}

// TestDemoAddrInUse checks that the demo fails at once, before generating
// anything, when its port is taken.
func TestDemoAddrInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	data := filepath.Join(t.TempDir(), "data")
	var stdout, stderr bytes.Buffer
	start := time.Now()
	code := runEnv(context.Background(), []string{"--data", data, "demo", "--addr", ln.Addr().String()}, strings.NewReader(""), &stdout, &stderr, func(string) string { return "" })
	if code != 1 || !strings.Contains(stderr.String(), "is already in use") || !strings.Contains(stderr.String(), "hint: ") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
	if _, err := os.Stat(data); !os.IsNotExist(err) || time.Since(start) > 5*time.Second {
		t.Errorf("the demo did work before finding its port taken (data dir: %v, %s)", err, time.Since(start))
	}
}
