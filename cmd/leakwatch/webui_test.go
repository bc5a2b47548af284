package main

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// chromium returns Debian's chromium, or skips the test (fails it under
// CI, which installs it).
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("LEAKWATCH_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("the browser tests need chromium (apt-get install chromium chromium-driver)")
	}
	t.Skip("chromium is not installed")
	return ""
}

// browser starts headless chromium and records every request the pages
// make: URL, headers and body.
func browser(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)), chromedp.NoSandbox, chromedp.Flag("headless", "new"),
		chromedp.Flag("disable-gpu", true), chromedp.Flag("no-first-run", true), chromedp.WindowSize(1280, 900))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelT(); cancel(); cancelA() })
	var mu sync.Mutex
	var seen []string
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			b, _ := json.Marshal(e.Request.Headers)
			post := ""
			for _, p := range e.Request.PostDataEntries {
				post += p.Bytes
			}
			mu.Lock()
			seen = append(seen, e.Request.URL+" "+string(b)+" "+post)
			mu.Unlock()
		}
	})
	if err := chromedp.Run(ctx, network.Enable()); err != nil {
		t.Fatal(err)
	}
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

// TestWebUI drives the web interface in headless Chromium: an exposed and
// a clean email (the search, without JavaScript's help), a leaked and a
// strong password (the k-anonymity check in the page), and checks that no
// request the page made carries the password or its full hash.
func TestWebUI(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	runLeakwatch(t, "--data", data, "init")
	runLeakwatch(t, "--data", data, "private", "enable", "--bucket-bits", "2")
	leak := filepath.Join(dir, "shop.txt")
	if err := os.WriteFile(leak, []byte("alice@example.com:password\nbob@example.org:Tr0ub4dor&3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	runLeakwatch(t, "--data", data, "import", "--quiet", "--breach", "Shop", "--title", "Shop <Inc>", "--domain", "shop.example", "--date", "2024-03-01", leak)
	_, url := startPublicServer(t, data)
	ctx, requests := browser(t)

	var text string
	search := func(account string) string {
		t.Helper()
		err := chromedp.Run(ctx,
			chromedp.Navigate(url+"/"),
			chromedp.SetValue("#account", account, chromedp.ByID),
			chromedp.Submit("#account", chromedp.ByID),
			chromedp.WaitVisible("#results-h", chromedp.ByID),
			chromedp.Text("#main", &text, chromedp.ByID),
		)
		if err != nil {
			t.Fatalf("searching %s: %v", account, err)
		}
		return text
	}
	if got := search("Alice@Example.com"); !strings.Contains(got, "found in 1 breach") || !strings.Contains(got, "Shop <Inc>") || !strings.Contains(got, "What to do now") {
		t.Errorf("exposed email:\n%s", got)
	}
	if got := search("nobody@example.com"); !strings.Contains(got, "not found in any breach") {
		t.Errorf("clean email:\n%s", got)
	}

	check := func(pw string) string {
		t.Helper()
		var out string
		err := chromedp.Run(ctx,
			chromedp.Navigate(url+"/"),
			chromedp.SendKeys("#pw", pw, chromedp.ByID),
			chromedp.Click("#pw-form button", chromedp.ByQuery),
			chromedp.Poll(`document.getElementById("pw-result").textContent.indexOf("Checking") < 0 && document.getElementById("pw-result").textContent.length > 0`, nil),
			chromedp.Text("#pw-result", &out, chromedp.ByID),
		)
		if err != nil {
			t.Fatalf("checking a password: %v", err)
		}
		return out
	}
	leaked, strong := "password", "correct-horse-"+fmt.Sprint(time.Now().UnixNano())
	if got := check(leaked); !strings.Contains(got, "has appeared 1 time") {
		t.Errorf("leaked password: %q", got)
	}
	if got := check(strong); !strings.Contains(got, "not found") {
		t.Errorf("strong password: %q", got)
	}

	// The private check of a login and its password, in the page.
	login := func(l, pw string) string {
		t.Helper()
		var out string
		err := chromedp.Run(ctx,
			chromedp.Navigate(url+"/"),
			chromedp.SendKeys("#login", l, chromedp.ByID),
			chromedp.SendKeys("#login-pw", pw, chromedp.ByID),
			chromedp.Click("#login-form button", chromedp.ByQuery),
			chromedp.Poll(`document.getElementById("login-result").textContent.indexOf("Checking") < 0 && document.getElementById("login-result").textContent.length > 0`, nil),
			chromedp.Text("#login-result", &out, chromedp.ByID),
		)
		if err != nil {
			t.Fatalf("checking a login: %v", err)
		}
		return out
	}
	loginPw := "Tr0ub4dor&3"
	for _, tc := range []struct{ login, pw, want string }{
		{"bob@example.org", loginPw, "This exact login and password are in a leak"},
		{"bob@example.org", "tr0ub4dor&3", "A password similar to this one leaked"},
		{"bob@example.org", strong, "This login is in a leak, but not with this password"},
		{"carol@example.net", loginPw, "Not found"},
	} {
		if got := login(tc.login, tc.pw); !strings.Contains(got, tc.want) {
			t.Errorf("private check of %s: %q, want %q", tc.login, got, tc.want)
		}
	}

	// The catalog and a breach page render, with their chart.
	err := chromedp.Run(ctx, chromedp.Navigate(url+"/breaches"), chromedp.WaitVisible("table.catalog", chromedp.ByQuery), chromedp.Text("#main", &text, chromedp.ByID))
	if err != nil || !strings.Contains(text, "Shop <Inc>") {
		t.Errorf("catalog: %v\n%s", err, text)
	}
	err = chromedp.Run(ctx, chromedp.Navigate(url+"/breach/Shop"), chromedp.Text("#main", &text, chromedp.ByID))
	if err != nil || !strings.Contains(text, "Passwords") || !strings.Contains(text, "What to do now") {
		t.Errorf("breach page: %v\n%s", err, text)
	}

	reqs := requests()
	if len(reqs) < 8 {
		t.Fatalf("only %d requests recorded", len(reqs))
	}
	for _, pw := range []string{leaked, strong, loginPw, "tr0ub4dor&3"} {
		sum := sha1.Sum([]byte(pw))
		full := hex.EncodeToString(sum[:])
		for _, r := range reqs {
			low := strings.ToLower(r)
			if strings.Contains(r, pw) || strings.Contains(low, full) || strings.Contains(low, full[5:]) {
				t.Errorf("a request carries the password %q or its hash: %s", pw, r)
			}
		}
		prefix := strings.ToUpper(full[:5])
		if !strings.Contains(strings.Join(reqs, "\n"), "/range/"+prefix) && (pw == leaked || pw == strong) {
			t.Errorf("no range request for the prefix of %q", pw)
		}
	}
	if n := strings.Count(strings.Join(reqs, "\n"), url+"/private-check "); n != 4 {
		t.Errorf("%d private checks sent, want 4", n)
	}
	for _, r := range reqs {
		if !strings.HasPrefix(r, url) && !strings.HasPrefix(r, "data:") {
			t.Errorf("a request to another origin: %s", r)
		}
	}
}

// TestWebUIScreenshots writes a screenshot of every page, at desktop and
// phone width, of the demo's data into $LEAKWATCH_SCREENSHOTS (the README
// shows them; docs/screenshots holds the committed set):
//
//	LEAKWATCH_SCREENSHOTS=$PWD/docs/screenshots go test -run WebUIScreenshots ./cmd/leakwatch/
func TestWebUIScreenshots(t *testing.T) {
	out := os.Getenv("LEAKWATCH_SCREENSHOTS")
	if out == "" {
		t.Skip("LEAKWATCH_SCREENSHOTS names no directory")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	demo := leakwatchCmd(t, "--data", filepath.Join(t.TempDir(), "demo"), "demo", "--addr", addr)
	var stdout strings.Builder
	demo.Stdout = &stdout
	if err := demo.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { demo.Process.Kill(); demo.Wait() })
	for deadline := time.Now().Add(3 * time.Minute); !strings.Contains(stdout.String(), "The sample account"); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the demo did not start")
		}
	}
	email := strings.Fields(strings.SplitN(stdout.String(), "The sample account ", 2)[1])[0]
	url := "http://" + addr
	ctx, _ := browser(t)
	pages := []struct{ name, path string }{
		{"search", "/"}, {"results", "/?account=" + email}, {"breaches", "/breaches"},
		{"breach", "/breach/DemoTelco"}, {"domains", "/domains"}, {"alerts", "/alerts"},
	}
	for _, size := range []struct {
		name string
		w, h int64
	}{{"desktop", 1280, 900}, {"phone", 390, 844}} {
		for _, p := range pages {
			var png []byte
			err := chromedp.Run(ctx,
				chromedp.EmulateViewport(size.w, size.h),
				chromedp.Navigate(url+p.path),
				chromedp.WaitVisible("footer", chromedp.ByQuery),
				chromedp.FullScreenshot(&png, 100),
			)
			if err != nil {
				t.Fatalf("%s at %s: %v", p.name, size.name, err)
			}
			if err := os.WriteFile(filepath.Join(out, p.name+"-"+size.name+".png"), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestWebUIAlerts signs an address up for alerts through the page, with
// the code a real SMTP server received, in headless Chromium.
func TestWebUIAlerts(t *testing.T) {
	r := newAlertRig(t)
	addr := freeAddr(t)
	cmd := leakwatchCmd(t, "--data", r.data, "serve", "--addr", addr, "--range-cache", "off")
	for k, v := range r.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stderr = r.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	waitFor(t, serverStarts, "the server to start", func() bool {
		_, out, _ := r.run("status")
		return strings.Contains(out, "server:    running")
	})
	url := "http://" + addr
	ctx, requests := browser(t)
	var text string
	err := chromedp.Run(ctx,
		chromedp.Navigate(url+"/alerts"),
		chromedp.SendKeys("#email", "Alice@Example.com", chromedp.ByID),
		chromedp.Submit("#email", chromedp.ByID),
		chromedp.WaitVisible("#code", chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	code := r.code("alice@example.com", 1)
	err = chromedp.Run(ctx,
		chromedp.SendKeys("#code", wrongCode(code), chromedp.ByID),
		chromedp.Submit("#code", chromedp.ByID),
		chromedp.WaitVisible(".notice.bad", chromedp.ByQuery),
		chromedp.Text("#main", &text, chromedp.ByID),
	)
	if err != nil || !strings.Contains(text, "wrong or has expired") {
		t.Fatalf("a wrong code: %v\n%s", err, text)
	}
	err = chromedp.Run(ctx,
		chromedp.SendKeys("#code", code, chromedp.ByID),
		chromedp.Submit("#code", chromedp.ByID),
		chromedp.WaitVisible(".notice.ok", chromedp.ByQuery),
		chromedp.Text("#main", &text, chromedp.ByID),
	)
	if err != nil || !strings.Contains(strings.ToLower(text), "subscribed: alice@example.com") {
		t.Fatalf("the right code: %v\n%s", err, text)
	}
	if out := r.must("alerts", "subscriptions", "--json"); !strings.Contains(out, `"target": "alice@example.com"`) {
		t.Errorf("no subscription after the sign-up: %s", out)
	}
	for _, q := range requests() {
		if strings.Contains(q, code) && !strings.Contains(q, url+"/alerts/confirm") {
			t.Errorf("the code went elsewhere: %s", q)
		}
	}
}
