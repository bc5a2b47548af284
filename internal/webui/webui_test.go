package webui

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

// memBackend is a Backend over a fixed catalog: the pages' logic is tested
// here; cmd/leakwatch's browser test runs them over a real server.
type memBackend struct {
	breaches []catalog.Breach
	accounts map[string][]string
	started  []string
	code     string
}

func (m *memBackend) Breaches(context.Context) ([]catalog.Breach, error) { return m.breaches, nil }
func (m *memBackend) Breach(_ context.Context, name string) (catalog.Breach, error) {
	for _, b := range m.breaches {
		if strings.EqualFold(b.Name, name) {
			return b, nil
		}
	}
	return catalog.Breach{}, ErrNotFound
}
func (m *memBackend) AccountBreaches(_ context.Context, a string) ([]catalog.Breach, error) {
	if !strings.Contains(a, "@") {
		return nil, ErrBadAccount
	}
	var out []catalog.Breach
	for _, n := range m.accounts[strings.ToLower(a)] {
		b, _ := m.Breach(context.Background(), n)
		out = append(out, b)
	}
	return out, nil
}
func (m *memBackend) Operations(context.Context, string) (*Operations, error) {
	return &Operations{Sources: []Source{{"shop.txt", 2}}, Quarantined: []ReasonCount{{"bad-identifier", 1}}}, nil
}
func (m *memBackend) StartAlerts(_ context.Context, email string) error {
	m.started = append(m.started, email)
	return nil
}
func (m *memBackend) ConfirmAlerts(_ context.Context, email, code string) error {
	if code != m.code {
		return ErrWrongCode
	}
	return nil
}

func (m *memBackend) Verification(_ context.Context, breach string) (*Verification, error) {
	if breach != "Shop" {
		return nil, nil
	}
	return &Verification{At: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), Verdict: "likely genuine", Confidence: "medium", Reasons: []string{"a heavy head"}}, nil
}

func fixture(t *testing.T, operator bool) (*Handler, *memBackend) {
	t.Helper()
	shop := catalog.New("Shop", time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC))
	shop.Title, shop.BreachDate, shop.PwnCount, shop.IsVerified = `Shop <script>alert(1)</script>`, "2024-03-01", 1234567, true
	shop.DataClasses = []string{"Email addresses", "Passwords"}
	shop.Description = `Breached. <a href="javascript:alert(1)" onclick="x()">bad</a> <a href="https://example.com/">good</a><script>evil()</script><img src=x onerror=y>`
	old := catalog.New("Old", time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC))
	old.Title, old.BreachDate, old.PwnCount, old.IsStealerLog = "Old logs", "2019-05-05", 10, true
	old.DataClasses = []string{"Email addresses", "Website activity"}
	gone := catalog.New("Gone", time.Now())
	gone.IsRetired = true
	m := &memBackend{breaches: []catalog.Breach{shop, old, gone}, accounts: map[string][]string{"alice@example.com": {"Shop", "Old"}}, code: "12345678"}
	h, err := New(Config{Backend: m, Operator: operator, SearchesPerMinute: 5})
	if err != nil {
		t.Fatal(err)
	}
	return h, m
}

func get(h http.Handler, target string, hdr ...string) (*http.Response, string) {
	r := httptest.NewRequest("GET", target, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	b, _ := io.ReadAll(w.Result().Body)
	return w.Result(), string(b)
}

func TestSearchWithoutJavaScript(t *testing.T) {
	h, _ := fixture(t, false)
	resp, body := get(h, "/?account=Alice@Example.com")
	if resp.StatusCode != 200 || !strings.Contains(body, "found in 2 breaches") || !strings.Contains(body, "What to do now") || !strings.Contains(body, "Stealer logs") {
		t.Fatalf("%d\n%s", resp.StatusCode, body)
	}
	if strings.Contains(body, "<script>alert(1)") || strings.Contains(body, "javascript:") || strings.Contains(body, "evil()") || strings.Contains(body, "onerror") || strings.Contains(body, "onclick") {
		t.Errorf("unescaped or unsanitised breach data in:\n%s", body)
	}
	if !strings.Contains(body, `<a href="https://example.com/" rel="noopener noreferrer">good</a>`) {
		t.Errorf("the safe link was lost:\n%s", body)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(strings.ReplaceAll(csp, "'wasm-unsafe-eval'", ""), "unsafe") || resp.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("headers: %v", resp.Header)
	}
	if strings.Contains(body, "<script>") || strings.Contains(body, " style=") {
		t.Errorf("inline script or style in the page")
	}
	if _, body := get(h, "/?account=nobody@example.com"); !strings.Contains(body, "not found in any breach") {
		t.Errorf("clean: %s", body)
	}
	if resp, body := get(h, "/?account=not-an-account"); resp.StatusCode != 400 || !strings.Contains(body, "is not an email address") {
		t.Errorf("bad account: %d", resp.StatusCode)
	}
	// The password field has no name: a form sent without JavaScript
	// carries no password.
	if _, body := get(h, "/"); !strings.Contains(body, `<input id="pw" type="password"`) || strings.Contains(body, `name="pw"`) {
		t.Errorf("the password input: %s", body)
	}
	for range 5 {
		get(h, "/?account=alice@example.com")
	}
	if resp, _ := get(h, "/?account=alice@example.com"); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the sixth search in a minute: %d", resp.StatusCode)
	}
}

func TestCatalog(t *testing.T) {
	h, _ := fixture(t, false)
	_, body := get(h, "/breaches")
	if strings.Contains(body, "/breach/Gone") || !strings.Contains(body, "/breach/Shop") || !strings.Contains(body, "1,234,577 accounts") || !strings.Contains(body, "<svg") {
		t.Errorf("catalog:\n%s", body)
	}
	_, body = get(h, "/breaches?stealer=1")
	if strings.Contains(body, "/breach/Shop") || !strings.Contains(body, "/breach/Old") {
		t.Errorf("stealer filter:\n%s", body)
	}
	_, body = get(h, "/breaches?class=Passwords&sort=accounts&order=asc")
	if strings.Contains(body, "/breach/Old") || !strings.Contains(body, "/breach/Shop") || !strings.Contains(body, `aria-sort="ascending"`) {
		t.Errorf("class filter and sort:\n%s", body)
	}
	_, body = get(h, "/breaches?sort=date&order=desc")
	if strings.Index(body, "/breach/Shop") > strings.Index(body, "/breach/Old") {
		t.Error("not sorted by date, newest first")
	}
}

func TestBreachPage(t *testing.T) {
	h, _ := fixture(t, false)
	if resp, body := get(h, "/breach/Shop"); resp.StatusCode != 200 || !strings.Contains(body, "1,234,567") || strings.Contains(body, "shop.txt") || !strings.Contains(body, "likely genuine") {
		t.Errorf("public breach page: %d\n%s", resp.StatusCode, body)
	}
	for _, p := range []string{"/breach/Gone", "/breach/Nope", "/nothing"} {
		if resp, _ := get(h, p); resp.StatusCode != 404 {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
	}
	op, _ := fixture(t, true)
	if _, body := get(op, "/breach/Shop"); !strings.Contains(body, "shop.txt") || !strings.Contains(body, "bad-identifier") {
		t.Errorf("operator's breach page:\n%s", body)
	}
}

func TestAlertsSignUp(t *testing.T) {
	h, m := fixture(t, false)
	resp, body := get(h, "/alerts")
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == csrfCookie {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode || !strings.Contains(body, cookie.Value) {
		t.Fatalf("no CSRF cookie: %v", resp.Cookies())
	}
	post := func(path string, form url.Values, withCookie bool) (int, string) {
		r := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if withCookie {
			r.AddCookie(cookie)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code, w.Body.String()
	}
	// Another site's form: no cookie, or a token that is not the cookie's.
	if code, _ := post("/alerts", url.Values{"email": {"alice@example.com"}, "csrf": {cookie.Value}}, false); code != 403 || len(m.started) != 0 {
		t.Errorf("without the cookie: %d, %v", code, m.started)
	}
	if code, _ := post("/alerts", url.Values{"email": {"alice@example.com"}, "csrf": {"forged"}}, true); code != 403 || len(m.started) != 0 {
		t.Errorf("with a forged token: %d", code)
	}
	if code, body := post("/alerts", url.Values{"email": {"alice@example.com"}, "csrf": {cookie.Value}}, true); code != 200 || !strings.Contains(body, "We mailed a code") || len(m.started) != 1 {
		t.Errorf("sign-up: %d\n%s", code, body)
	}
	if code, body := post("/alerts/confirm", url.Values{"email": {"alice@example.com"}, "code": {"000"}, "csrf": {cookie.Value}}, true); code != 400 || !strings.Contains(body, "wrong") {
		t.Errorf("wrong code: %d", code)
	}
	if code, body := post("/alerts/confirm", url.Values{"email": {"alice@example.com"}, "code": {m.code}, "csrf": {cookie.Value}}, true); code != 200 || !strings.Contains(body, "Subscribed") {
		t.Errorf("right code: %d\n%s", code, body)
	}
}

func TestStaticAndAdvice(t *testing.T) {
	h, _ := fixture(t, false)
	for path, ctype := range map[string]string{"/static/app.js": "javascript", "/static/app.css": "text/css", "/static/icon.svg": "image/svg+xml", "/api/advice?dataClass=Passwords": "application/json"} {
		if resp, body := get(h, path); resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), ctype) || body == "" {
			t.Errorf("%s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
	for _, p := range []string{"/", "/breaches", "/breach/x", "/domains", "/alerts", "/static/app.js", "/api/advice", "/favicon.ico"} {
		if !Paths(p) {
			t.Errorf("%s not served", p)
		}
	}
	for _, p := range []string{"/api/v3/breaches", "/range/ABCDE", "/healthz", "/metrics", "/openapi.json", "/api/private/v1/params"} {
		if Paths(p) {
			t.Errorf("%s taken from the API", p)
		}
	}
}

func TestPrivateCheckRoute(t *testing.T) {
	h, _ := fixture(t, false)
	post := func(h *Handler, n int) *http.Response {
		r := httptest.NewRequest("POST", "/private-check", bytes.NewReader(make([]byte, n)))
		r.Header.Set("Content-Type", "application/x-leakwatch-private")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Result()
	}
	// Not enabled: 404. Enabled: the API's handler answers, within the
	// page's per-address limit (5 a minute in the fixture).
	if resp := post(h, 400); resp.StatusCode != 404 {
		t.Errorf("without the private check: %d", resp.StatusCode)
	}
	served := 0
	h.cfg.PrivateCheck = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served++
		w.Write([]byte("answer"))
	})
	for range 5 {
		if resp := post(h, 400); resp.StatusCode != 200 {
			t.Errorf("a check: %d", resp.StatusCode)
		}
	}
	if resp := post(h, 400); resp.StatusCode != http.StatusTooManyRequests || served != 5 {
		t.Errorf("the sixth check in a minute: %d, %d served", resp.StatusCode, served)
	}
	if resp, _ := get(h, "/private-check"); resp.StatusCode != 405 {
		t.Errorf("GET: %d", resp.StatusCode)
	}
	resp, body := get(h, "/static/privatecheck.wasm", "Accept-Encoding", "gzip")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Content-Type") != "application/wasm" {
		t.Errorf("wasm, gzipped: %d %v", resp.StatusCode, resp.Header)
	}
	if _, plain := get(h, "/static/privatecheck.wasm"); !strings.HasPrefix(plain, "\x00asm") || len(plain) <= len(body) {
		t.Errorf("wasm, plain: %d bytes", len(plain))
	}
	if resp, _ := get(h, "/"); !strings.Contains(resp.Header.Get("Content-Security-Policy"), "'wasm-unsafe-eval'") {
		t.Error("the search page cannot run the WebAssembly client")
	}
	if resp, _ := get(h, "/breaches"); strings.Contains(resp.Header.Get("Content-Security-Policy"), "wasm") {
		t.Error("other pages allow WebAssembly")
	}
}

// TestWasmUpToDate builds the WebAssembly client as go generate does and
// compares it with the embedded one.
func TestWasmUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the WebAssembly client")
	}
	out := filepath.Join(t.TempDir(), "pc.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w", "-o", out, "../../cmd/privatecheck-wasm")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building: %v\n%s", err, b)
	}
	built, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	gz, err := staticFS.ReadFile("static/privatecheck.wasm.gz")
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	embedded, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(built, embedded) {
		t.Error("internal/webui/static/privatecheck.wasm.gz is stale: run go generate ./internal/webui")
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := staticFS.ReadFile("static/wasm_exec.js"); !bytes.Equal(got, want) {
		t.Error("internal/webui/static/wasm_exec.js is not this Go's: run go generate ./internal/webui")
	}
}

func TestLimitsAfterReview(t *testing.T) {
	h, m := fixture(t, false)
	// Codes to one address: three an hour, whoever asks.
	resp, _ := get(h, "/alerts")
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		cookie = c
	}
	codes := 0
	for i := range 5 {
		r := httptest.NewRequest("POST", "/alerts", strings.NewReader(url.Values{"email": {"victim@example.com"}, "csrf": {cookie.Value}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.RemoteAddr = fmt.Sprintf("192.0.2.%d:1234", i+1) // a new client each time
		r.AddCookie(cookie)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code == 200 {
			codes++
		}
	}
	if codes != 3 || len(m.started) != 3 {
		t.Errorf("%d codes mailed to one address from five clients, want 3", len(m.started))
	}
	// One IPv6 /64 is one client.
	a := httptest.NewRequest("GET", "/", nil)
	a.RemoteAddr = "[2001:db8:1:2:aaaa::1]:5555"
	b := httptest.NewRequest("GET", "/", nil)
	b.RemoteAddr = "[2001:db8:1:2:bbbb::9]:6666"
	if clientIP(a) != clientIP(b) {
		t.Errorf("%s and %s are two clients", clientIP(a), clientIP(b))
	}
	if resp, _ := get(h, "/static/"); resp.StatusCode != 404 {
		t.Errorf("directory listing: %d", resp.StatusCode)
	}
	if resp, _ := get(h, "/alerts/confirm"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("GET /alerts/confirm: %d", resp.StatusCode)
	}
}
