package domainproof

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// webSite serves pages by host name (without port) and path, as one test
// server standing in for many sites: the client built by checker dials it
// whatever host a URL names.
type webSite map[string]map[string]func(w http.ResponseWriter, r *http.Request)

func (s webSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	host, _, _ := net.SplitHostPort(r.Host)
	if h := s[host][r.URL.Path]; h != nil {
		h(w, r)
		return
	}
	http.NotFound(w, r)
}

func page(body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		strings.NewReader(body).WriteTo(w)
	}
}

func text(body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		strings.NewReader(body).WriteTo(w)
	}
}

func redirect(to string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		_, port, _ := net.SplitHostPort(r.Host)
		http.Redirect(w, r, strings.ReplaceAll(to, "PORT", port), http.StatusFound)
	}
}

func status(code int) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, http.StatusText(code), code)
	}
}

// checker returns a Checker whose requests for any host reach srv, and
// whose site URL of a domain is http://domain:port.
func checker(t *testing.T, srv *httptest.Server) (*Checker, string) {
	t.Helper()
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	tr := srv.Client().Transport.(*http.Transport).Clone()
	var d net.Dialer
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, u.Host)
	}
	port := u.Port()
	return &Checker{
		HTTPClient: &http.Client{Transport: tr},
		SiteURL:    func(domain string) string { return "http://" + domain + ":" + port },
		Timeout:    5 * time.Second,
		MaxBody:    4096,
	}, port
}

func TestCheckMeta(t *testing.T) {
	const meta = `<meta name="leakwatch-verification" content="` + testToken + `">`
	pad := strings.Repeat("x", 5000)
	site := webSite{
		"present.test":   {"/": page(`<!doctype html><html><head><title>t</title>` + meta + `</head><body>hello</body></html>`)},
		"implied.test":   {"/": page(meta + `<p>no head or body tags`)},
		"upper.test":     {"/": page(`<HTML><HEAD><META NAME="LeakWatch-Verification" CONTENT=" ` + testToken + ` "></HEAD></HTML>`)},
		"several.test":   {"/": page(`<head><meta name="leakwatch-verification" content="old"><meta name=leakwatch-verification content=` + testToken + `></head>`)},
		"bigbody.test":   {"/": page(`<head>` + meta + `</head><body>` + pad + `</body>`)},
		"absent.test":    {"/": page(`<html><head><title>t</title></head><body>hello</body></html>`)},
		"wrong.test":     {"/": page(`<head><meta name="leakwatch-verification" content="leakwatch-verification=bbbbbbbbbbbbbbbbbbbbbbbbbb"></head>`)},
		"bodytext.test":  {"/": page(`<head><title>t</title></head><body>our token is ` + testToken + `</body>`)},
		"inbody.test":    {"/": page(`<head><title>t</title></head><body><p>hi</p>` + meta + `</body>`)},
		"othername.test": {"/": page(`<head><meta name="description" content="` + testToken + `"></head>`)},
		"nocontent.test": {"/": page(`<head><meta name="leakwatch-verification" value="` + testToken + `"></head>`)},
		"oversized.test": {"/": page(`<head><!-- ` + pad + ` -->` + meta + `</head>`)},
		"gone.test":      {"/": status(http.StatusNotFound)},
		"broken.test":    {"/": status(http.StatusInternalServerError)},
		"moved.test":     {"/": redirect("http://www.moved.test:PORT/home")},
		"www.moved.test": {"/home": page(`<head>` + meta + `</head>`)},
		"away.test":      {"/": redirect("http://evil.example:PORT/?t=" + testToken + "#" + testToken)},
		"evil.example":   {"/": page(`<head>` + meta + `</head>`)},
		"loop.test":      {"/": redirect("http://www.loop.test:PORT/")},
		"www.loop.test":  {"/": redirect("http://loop.test:PORT/")},
		"toftp.test":     {"/": redirect("ftp://toftp.test/")},
	}
	srv := httptest.NewServer(site)
	defer srv.Close()
	c, port := checker(t, srv)

	tests := []struct {
		name    string
		domain  string
		proven  bool
		notErr  bool
		wantErr string
	}{
		{name: "in head", domain: "present.test", proven: true},
		{name: "head implied by the parser", domain: "implied.test", proven: true},
		{name: "upper-case tag and name, spaced content", domain: "upper.test", proven: true},
		{name: "second of several tags", domain: "several.test", proven: true},
		{name: "body beyond the limit after the head", domain: "bigbody.test", proven: true},
		{name: "redirect within the registrable domain followed", domain: "moved.test", proven: true},
		{name: "absent", domain: "absent.test", notErr: true, wantErr: `no <meta name="leakwatch-verification"> tag in the head of http://absent.test:` + port + `/`},
		{name: "wrong token", domain: "wrong.test", notErr: true, wantErr: `tag in the head of http://wrong.test:` + port + `/ holds the token`},
		{name: "token in body text, not in a tag", domain: "bodytext.test", notErr: true, wantErr: "no <meta"},
		{name: "tag in body, not head", domain: "inbody.test", notErr: true, wantErr: "no <meta"},
		{name: "token in another meta tag", domain: "othername.test", notErr: true, wantErr: "no <meta"},
		{name: "tag without content", domain: "nocontent.test", notErr: true, wantErr: "no <meta"},
		{name: "tag beyond the body limit", domain: "oversized.test", notErr: true, wantErr: "in the first 4096 bytes of http://oversized.test:" + port + "/"},
		{name: "404", domain: "gone.test", notErr: true, wantErr: "GET http://gone.test:" + port + "/: 404 Not Found"},
		{name: "500 is not an answer", domain: "broken.test", wantErr: "GET http://broken.test:" + port + "/: 500 Internal Server Error"},
		{name: "redirect to another domain refused", domain: "away.test", notErr: true, wantErr: "GET http://away.test:" + port + "/: redirect to http://evil.example:" + port + "/ not followed: outside away.test"},
		{name: "redirect loop", domain: "loop.test", notErr: true, wantErr: "stopped after 10 redirects"},
		{name: "redirect to another scheme refused", domain: "toftp.test", notErr: true, wantErr: "redirect to ftp://toftp.test/ not followed: not http or https"},
		{name: "invalid domain", domain: "localhost", wantErr: "single label"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := c.CheckMeta(t.Context(), tt.domain, testToken)
			if tt.proven {
				if err != nil {
					t.Fatalf("CheckMeta(%q): %v", tt.domain, err)
				}
			} else {
				checkErr(t, err, tt.notErr, tt.wantErr)
			}
			if err2 := c.Check(t.Context(), MethodMeta, tt.domain, testToken); (err2 == nil) != (err == nil) {
				t.Errorf("Check(meta, %q) = %v, CheckMeta = %v", tt.domain, err2, err)
			}
		})
	}
}

func TestCheckFile(t *testing.T) {
	site := webSite{
		"exact.test":     {FilePath: text(testToken)},
		"newline.test":   {FilePath: text(testToken + "\n")},
		"crlf.test":      {FilePath: text("\r\n  " + testToken + " \r\n")},
		"lines.test":     {FilePath: text("# leakwatch\nother-verification=123\n" + testToken + "\n")},
		"wrong.test":     {FilePath: text("leakwatch-verification=bbbbbbbbbbbbbbbbbbbbbbbbbb\n")},
		"inline.test":    {FilePath: text("token: " + testToken + "\n")},
		"longer.test":    {FilePath: text(testToken + "x\n")},
		"empty.test":     {FilePath: text("")},
		"home.test":      {"/": text(testToken)},
		"oversized.test": {FilePath: text(testToken + "\n" + strings.Repeat("#\n", 3000))},
		"gone.test":      {FilePath: status(http.StatusGone)},
		"moved.test":     {FilePath: redirect("http://www.moved.test:PORT" + FilePath)},
		"www.moved.test": {FilePath: text(testToken)},
		"away.test":      {FilePath: redirect("http://evil.example:PORT" + FilePath)},
		"evil.example":   {FilePath: text(testToken)},
	}
	srv := httptest.NewServer(site)
	defer srv.Close()
	c, port := checker(t, srv)
	fileURL := func(domain string) string { return "http://" + domain + ":" + port + FilePath }

	tests := []struct {
		name    string
		domain  string
		proven  bool
		notErr  bool
		wantErr string
	}{
		{name: "only the token", domain: "exact.test", proven: true},
		{name: "final newline", domain: "newline.test", proven: true},
		{name: "CRLF and spaces", domain: "crlf.test", proven: true},
		{name: "on a line of its own among others", domain: "lines.test", proven: true},
		{name: "redirect within the registrable domain followed", domain: "moved.test", proven: true},
		{name: "wrong token", domain: "wrong.test", notErr: true, wantErr: "GET " + fileURL("wrong.test") + ": no line of the file is the token"},
		{name: "token inside a line", domain: "inline.test", notErr: true, wantErr: "no line of the file is the token"},
		{name: "token with a suffix", domain: "longer.test", notErr: true, wantErr: "no line of the file is the token"},
		{name: "empty file", domain: "empty.test", notErr: true, wantErr: "no line of the file is the token"},
		{name: "token at the home page only", domain: "home.test", notErr: true, wantErr: "GET " + fileURL("home.test") + ": 404 Not Found"},
		{name: "oversized", domain: "oversized.test", notErr: true, wantErr: "GET " + fileURL("oversized.test") + ": file larger than 4096 bytes"},
		{name: "410", domain: "gone.test", notErr: true, wantErr: "410 Gone"},
		{name: "redirect to another domain refused", domain: "away.test", notErr: true, wantErr: "redirect to " + fileURL("evil.example") + " not followed: outside away.test"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := c.CheckFile(t.Context(), tt.domain, testToken)
			if tt.proven {
				if err != nil {
					t.Fatalf("CheckFile(%q): %v", tt.domain, err)
				}
			} else {
				checkErr(t, err, tt.notErr, tt.wantErr)
			}
			if err2 := c.Check(t.Context(), MethodFile, tt.domain, testToken); (err2 == nil) != (err == nil) {
				t.Errorf("Check(file, %q) = %v, CheckFile = %v", tt.domain, err2, err)
			}
		})
	}
}

func TestCheckWebUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	c := &Checker{
		SiteURL:    func(string) string { return "http://" + addr },
		HTTPClient: &http.Client{},
		Timeout:    2 * time.Second,
	}
	for _, m := range []Method{MethodMeta, MethodFile} {
		err := c.Check(t.Context(), m, "example.com", testToken)
		checkErr(t, err, false, "GET http://"+addr+"/")
		checkErr(t, err, false, "connection refused")
	}
}

func TestDefaultClientRefusesLocalAddresses(t *testing.T) {
	srv := httptest.NewServer(webSite{"example.com": {FilePath: text(testToken)}})
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	for _, host := range []string{"127.0.0.1", "[::1]", "localhost"} {
		t.Run(host, func(t *testing.T) {
			c := &Checker{SiteURL: func(string) string { return "http://" + host + ":" + port }}
			err := c.CheckFile(t.Context(), "example.com", testToken)
			checkErr(t, err, false, "not a public address")
		})
	}
}

func TestPublicOnly(t *testing.T) {
	tests := []struct {
		addr string
		ok   bool
	}{
		{"93.184.215.14:443", true},
		{"[2606:2800:21f:cb07:6820:80da:af6b:8b2c]:443", true},
		{"127.0.0.1:80", false},
		{"127.1.2.3:80", false},
		{"[::1]:80", false},
		{"[::ffff:127.0.0.1]:80", false},
		{"10.0.0.1:80", false},
		{"172.16.0.1:80", false},
		{"192.168.1.1:80", false},
		{"100.64.0.1:80", false},
		{"169.254.169.254:80", false},
		{"[fe80::1]:80", false},
		{"[fd00::1]:80", false},
		{"0.0.0.0:80", false},
		{"[::]:80", false},
		{"224.0.0.1:80", false},
		{"255.255.255.255:80", false},
		{"example.com:80", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			if err := publicOnly("tcp", tt.addr, nil); (err == nil) != tt.ok {
				t.Errorf("publicOnly(%q) = %v, want ok %v", tt.addr, err, tt.ok)
			}
		})
	}
}

func TestCheckBadSiteURL(t *testing.T) {
	c := &Checker{SiteURL: func(d string) string { return d }}
	err := c.CheckFile(t.Context(), "example.com", testToken)
	checkErr(t, err, false, `site URL "example.com" of example.com is not an absolute http or https URL`)
}

func TestCheckEmailAndUnknown(t *testing.T) {
	var c Checker
	err := c.Check(t.Context(), MethodEmail, "example.com", testToken)
	if err == nil || errors.Is(err, ErrNotProven) || !strings.Contains(err.Error(), "mailed code decides") {
		t.Errorf("Check(email) = %v, want an error saying the mailed code decides", err)
	}
	err = c.Check(t.Context(), Method(0), "example.com", testToken)
	if err == nil || !strings.Contains(err.Error(), "unknown") {
		t.Errorf("Check(Method(0)) = %v, want an unknown-method error", err)
	}
}

func TestRedirectRefused(t *testing.T) {
	tests := []struct {
		domain, first, next string
		want                string
	}{
		{"example.com", "https://example.com/", "https://example.com/home", ""},
		{"example.com", "https://example.com/", "https://www.example.com/", ""},
		{"example.com", "http://example.com/", "http://a.b.example.com:8080/x", ""},
		{"example.com", "http://example.com/", "https://www.example.com/", ""},
		{"www.example.com", "https://www.example.com/", "https://EXAMPLE.com./", ""},
		{"example.co.uk", "https://example.co.uk/", "https://www.example.co.uk/", ""},
		{"foo.github.io", "https://foo.github.io/", "https://www.foo.github.io/", ""},
		{"example.com", "https://example.com/", "http://example.com/", "from https to http"},
		{"example.com", "https://example.com/", "https://example.net/", "outside example.com"},
		{"example.com", "https://example.com/", "https://example.com.evil.test/", "outside example.com"},
		{"example.com", "https://example.com/", "https://notexample.com/", "outside example.com"},
		{"example.co.uk", "https://example.co.uk/", "https://other.co.uk/", "outside example.co.uk"},
		{"foo.github.io", "https://foo.github.io/", "https://bar.github.io/", "outside foo.github.io"},
		{"example.com", "https://example.com/", "https://192.0.2.1/", "outside example.com"},
		{"example.com", "https://example.com/", "https://localhost/", "outside example.com"},
		{"example.com", "https://example.com/", "ftp://example.com/", "not http or https"},
		{"example.com", "https://example.com/", "javascript:alert(1)", "not http or https"},
	}
	for _, tt := range tests {
		t.Run(tt.domain+" "+tt.next, func(t *testing.T) {
			first, err := url.Parse(tt.first)
			if err != nil {
				t.Fatal(err)
			}
			next, err := url.Parse(tt.next)
			if err != nil {
				t.Fatal(err)
			}
			if got := redirectRefused(tt.domain, first, next); got != tt.want {
				t.Errorf("redirectRefused(%q, %q, %q) = %q, want %q", tt.domain, tt.first, tt.next, got, tt.want)
			}
		})
	}
}

func TestShown(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.com/", "https://example.com/"},
		{"https://user:pw@example.com:8443/a/b?token=x#frag", "https://example.com:8443/a/b"},
		{"http://example.com/a%2Fb", "http://example.com/a%2Fb"},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := shown(u); got != tt.want {
			t.Errorf("shown(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCheckWebTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // answer only once the test is over
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c, port := checker(t, srv)
	c.Timeout = 200 * time.Millisecond
	start := time.Now()
	err := c.CheckFile(t.Context(), "slow.test", testToken)
	checkErr(t, err, false, "GET http://slow.test:"+port+FilePath+": context deadline exceeded")
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("CheckFile took %v with a timeout of 200ms", d)
	}
}
