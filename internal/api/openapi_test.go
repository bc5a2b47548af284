package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/leakwatch/leakwatch/internal/exposure"
	"io"
	"iter"
	"mime"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/privatecheck"
	"github.com/leakwatch/leakwatch/internal/store"
)

// openAPIDoc is what the tests read of the served OpenAPI document.
type openAPIDoc struct {
	OpenAPI    string `json:"openapi"`
	Paths      map[string]*oaPathItem
	Components struct {
		Responses map[string]oaResponse `json:"responses"`
	} `json:"components"`
}

type oaPathItem struct {
	Parameters []oaParameter `json:"parameters"`
	Ops        map[string]*oaOperation
}

func (p *oaPathItem) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	p.Ops = map[string]*oaOperation{}
	for k, v := range raw {
		var err error
		if k == "parameters" {
			err = json.Unmarshal(v, &p.Parameters)
		} else {
			op := new(oaOperation)
			err = json.Unmarshal(v, op)
			p.Ops[k] = op
		}
		if err != nil {
			return err
		}
	}
	return nil
}

type oaOperation struct {
	OperationID string                 `json:"operationId"`
	Security    *[]map[string][]string `json:"security"`
	Parameters  []oaParameter          `json:"parameters"`
	Responses   map[string]oaResponse  `json:"responses"`
}

type oaParameter struct {
	Name     string `json:"name"`
	In       string `json:"in"`
	Required bool   `json:"required"`
}

type oaResponse struct {
	Ref     string                     `json:"$ref"`
	Content map[string]json.RawMessage `json:"content"`
	Headers map[string]json.RawMessage `json:"headers"`
}

// loadOpenAPI fetches the document from the handler.
func loadOpenAPI(t *testing.T, f *fixture) *openAPIDoc {
	t.Helper()
	resp := f.do("GET", "/openapi.json")
	body := readBody(t, resp)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != ctypeJSON {
		t.Fatalf("status %d, %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var doc openAPIDoc
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	return &doc
}

// response resolves a response of the document.
func (d *openAPIDoc) response(t *testing.T, r oaResponse) oaResponse {
	t.Helper()
	if r.Ref == "" {
		return r
	}
	name, ok := strings.CutPrefix(r.Ref, "#/components/responses/")
	res, found := d.Components.Responses[name]
	if !ok || !found {
		t.Fatalf("unresolved response %s", r.Ref)
	}
	return res
}

var pathTemplateParam = regexp.MustCompile(`\{([A-Za-z]+)\}`)

// fill replaces the parameters of a path template by v.
func fill(path, v string) string { return pathTemplateParam.ReplaceAllString(path, v) }

// pathRegexp matches the paths of a path template.
func pathRegexp(path string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	last := 0
	for _, loc := range pathTemplateParam.FindAllStringIndex(path, -1) {
		b.WriteString(regexp.QuoteMeta(path[last:loc[0]]) + "[^/]+")
		last = loc[1]
	}
	b.WriteString(regexp.QuoteMeta(path[last:]) + "$")
	return regexp.MustCompile(b.String())
}

// TestOpenAPI checks that the served OpenAPI document and the route table
// agree: every route is described and every described path is routed, each
// operation's security is the route's, and every path parameter is
// declared.
func TestOpenAPI(t *testing.T) {
	f := newFixture(t)
	doc := loadOpenAPI(t, f)
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi version %q", doc.OpenAPI)
	}
	routed := map[routeID]bool{}
	for path, item := range doc.Paths {
		id, _ := match(fill(path, "5BAA6"))
		if id == routeNotFound {
			t.Errorf("described path %s is not routed", path)
		}
		routed[id] = true
		want, not := "get", "post"
		if routes[id].post {
			want, not = not, want
		}
		if item.Ops[want] == nil || item.Ops[not] != nil {
			t.Errorf("path %s: operations %v, want %s and not %s", path, sortedKeys(item.Ops), want, not)
		}
		if path != routes[id].pattern {
			t.Errorf("path %s is routed as %s", path, routes[id].pattern)
		}
		for method, op := range item.Ops {
			if op.Security == nil {
				t.Errorf("%s %s: no security (an empty list for none)", method, path)
			} else if hasKey := len(*op.Security) == 1 && (*op.Security)[0]["hibpApiKey"] != nil; hasKey != (routes[id].access == keyed) || (!hasKey && len(*op.Security) != 0) {
				t.Errorf("%s %s: security %v for a route with access %d", method, path, *op.Security, routes[id].access)
			}
			var declared []string
			for _, p := range slices.Concat(item.Parameters, op.Parameters) {
				if p.In == "path" {
					declared = append(declared, p.Name)
					if !p.Required {
						t.Errorf("%s %s: path parameter %s not required", method, path, p.Name)
					}
				}
			}
			var inPath []string
			for _, m := range pathTemplateParam.FindAllStringSubmatch(path, -1) {
				inPath = append(inPath, m[1])
			}
			slices.Sort(declared)
			if !slices.Equal(declared, inPath) {
				t.Errorf("%s %s: path parameters %v declared, %v in the path", method, path, declared, inPath)
			}
		}
	}
	for id := range numRoutes {
		if id != routeNotFound && id != routeUI && !routed[id] {
			t.Errorf("route %s is not described", routes[id].pattern)
		}
	}
}

// catalogStore is the store with its catalog replaced: empty (err nil) or
// unreadable, along with the password ranges and the indexes of owners'
// searches (accounts by domain and website, sites by account).
type catalogStore struct {
	store.Store
	err error
}

func (s catalogStore) Breaches(context.Context) ([]catalog.Breach, error) { return nil, s.err }

func (s catalogStore) AccountBreaches(ctx context.Context, k store.AccountKey) ([]catalog.Breach, error) {
	if s.err == nil {
		return []catalog.Breach{}, nil
	}
	return nil, s.err
}

func (s catalogStore) EmailRange(ctx context.Context, r store.RangeTag) ([][]byte, error) {
	return nil, s.err
}

func (s catalogStore) Breach(context.Context, string) (catalog.Breach, error) {
	if s.err == nil {
		return catalog.Breach{}, store.ErrNotFound
	}
	return catalog.Breach{}, s.err
}

func (s catalogStore) AccountSites(ctx context.Context, k store.AccountKey) ([]store.Site, error) {
	if s.err == nil {
		return []store.Site{}, nil
	}
	return nil, s.err
}

func (s catalogStore) WebsiteAccounts(ctx context.Context, w store.DomainTag) iter.Seq2[store.SealedAccount, error] {
	return s.sealedAccounts()
}

func (s catalogStore) DomainAccounts(ctx context.Context, d store.DomainTag) iter.Seq2[store.SealedAccount, error] {
	return s.sealedAccounts()
}

func (s catalogStore) sealedAccounts() iter.Seq2[store.SealedAccount, error] {
	return func(yield func(store.SealedAccount, error) bool) {
		if s.err != nil {
			yield(store.SealedAccount{}, s.err)
		}
	}
}

func (s catalogStore) PasswordRange(ctx context.Context, kind store.HashKind, prefix uint32) iter.Seq2[store.PasswordHash, error] {
	if s.err == nil {
		return s.Store.PasswordRange(ctx, kind, prefix)
	}
	return func(yield func(store.PasswordHash, error) bool) { yield(store.PasswordHash{}, s.err) }
}

// TestOpenAPIAnswers holds the document to what the server does. Requests
// that provoke every answer of every route are checked against the
// described operation: the status is described, a body has a described
// media type (an empty body none), the described headers are sent. Then
// every described answer must have been seen, so the document promises
// nothing the server never does. The claims of the document's description
// (X-Request-Id, HEAD, CORS, 405) are checked too.
func TestOpenAPIAnswers(t *testing.T) {
	f := newFixture(t)
	doc := loadOpenAPI(t, f)
	errStore := errors.New("store unreadable")
	empty, err := NewHandler(ctx, f.cfg, catalogStore{f.st, nil}, exposure.New(catalogStore{f.st, nil}, f.kr))
	if err != nil {
		t.Fatal(err)
	}
	broken, err := NewHandler(ctx, f.cfg, catalogStore{f.st, errStore}, exposure.New(catalogStore{f.st, errStore}, f.kr))
	if err != nil {
		t.Fatal(err)
	}

	type docPath struct {
		path string
		re   *regexp.Regexp
	}
	var paths []docPath
	for _, p := range sortedKeys(doc.Paths) {
		paths = append(paths, docPath{p, pathRegexp(p)})
	}
	// find the described path of a target.
	find := func(target string) string {
		p, _, _ := strings.Cut(target, "?")
		var found []string
		for _, dp := range paths {
			if dp.re.MatchString(p) {
				found = append(found, dp.path)
			}
		}
		if len(found) != 1 {
			t.Fatalf("%s matches described paths %v", target, found)
		}
		return found[0]
	}
	send := func(h *Handler, method, target string, body []byte, hdr ...string) (*http.Response, []byte) {
		r := httptest.NewRequest(method, target, bytes.NewReader(body))
		r.Header.Set("User-Agent", "leakwatch-test")
		for _, kv := range hdr {
			k, v, _ := strings.Cut(kv, ":")
			r.Header.Set(k, strings.TrimSpace(v))
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		resp := w.Result()
		b, _ := io.ReadAll(resp.Body)
		if resp.Header.Get("X-Request-Id") == "" {
			t.Errorf("%s %s: no X-Request-Id", method, target)
		}
		return resp, b
	}
	mediaType := func(s string) string {
		mt, _, err := mime.ParseMediaType(s)
		if err != nil {
			t.Fatalf("media type %q: %v", s, err)
		}
		return mt
	}

	seen := map[string]bool{} // "METHOD path status"
	// check sends a request and holds its answer to the document.
	check := func(h *Handler, method, target string, body []byte, hdr ...string) *http.Response {
		t.Helper()
		resp, b := send(h, method, target, body, hdr...)
		path := find(target)
		opMethod := strings.ToLower(method)
		if method == "HEAD" {
			opMethod = "get"
		}
		op, ok := doc.Paths[path].Ops[opMethod]
		if !ok {
			t.Errorf("%s %s: answered %d, operation not described", method, target, resp.StatusCode)
			return resp
		}
		code := strconv.Itoa(resp.StatusCode)
		raw, ok := op.Responses[code]
		if !ok {
			t.Errorf("%s %s: answered %d, not described (%s)", method, target, resp.StatusCode, b)
			return resp
		}
		seen[opMethod+" "+path+" "+code] = true
		r := doc.response(t, raw)
		switch {
		case method == "HEAD":
		case len(b) == 0 && len(r.Content) > 0:
			t.Errorf("%s %s: %d with an empty body, described with content", method, target, resp.StatusCode)
		case len(b) > 0:
			got := mediaType(resp.Header.Get("Content-Type"))
			if !slices.ContainsFunc(sortedKeys(r.Content), func(k string) bool { return mediaType(k) == got }) {
				t.Errorf("%s %s: %d as %s, described as %v", method, target, resp.StatusCode, got, sortedKeys(r.Content))
			}
		}
		for name := range r.Headers {
			if resp.Header.Get(name) == "" {
				t.Errorf("%s %s: %d without described header %s", method, target, resp.StatusCode, name)
			}
		}
		return resp
	}

	key, slow := "hibp-api-key: "+f.keys["main"], "hibp-api-key: "+f.keys["slow"]
	own := "hibp-api-key: " + f.keys["owner"]
	noUA := "User-Agent:"
	alice, _ := emailHash("alice@example.com")
	pw := sha1Hex("password")
	big := bytes.Repeat([]byte("x"), 5000)

	// Answers every described operation gives: 413 for a large body, 403
	// without a User-Agent under /api/v3, 401 without a key on keyed
	// routes. Also the claims of the description: HEAD is GET without a
	// body; public routes but the operations endpoints answer preflights
	// and send Access-Control-Allow-Origin; other methods answer 405.
	for _, dp := range paths {
		target := fill(dp.path, "5BAA6")
		id, _ := match(target)
		rt := routes[id]
		if rt.post {
			check(f.h, "POST", target, big, key, "Content-Type: application/json")
			check(f.h, "POST", target, nil)
			get, _ := send(f.h, "GET", target, nil, key)
			if get.StatusCode != 405 || get.Header.Get("Allow") != "POST" {
				t.Errorf("GET %s: %d, Allow %q", target, get.StatusCode, get.Header.Get("Allow"))
			}
			continue
		}
		check(f.h, "GET", target, big)
		if rt.api {
			check(f.h, "GET", target, nil, noUA)
		}
		if rt.access == keyed {
			check(f.h, "GET", target, nil)
		}
		get, getBody := send(f.h, "GET", target, nil, key)
		head, headBody := send(f.h, "HEAD", target, nil, key)
		if head.StatusCode != get.StatusCode || len(headBody) != 0 || head.Header.Get("Content-Type") != get.Header.Get("Content-Type") {
			t.Errorf("HEAD %s: %d, %d bytes; GET %d, %d bytes", target, head.StatusCode, len(headBody), get.StatusCode, len(getBody))
		}
		cors := rt.access == public
		if got := get.Header.Get("Access-Control-Allow-Origin"); (got == "*") != cors {
			t.Errorf("GET %s: Access-Control-Allow-Origin %q", target, got)
		}
		pre, _ := send(f.h, "OPTIONS", target, nil, "Origin: https://example.com", "Access-Control-Request-Method: GET")
		if (pre.StatusCode == 204) != cors || (cors && pre.Header.Get("Access-Control-Allow-Origin") != "*") {
			t.Errorf("OPTIONS %s: %d", target, pre.StatusCode)
		}
		if _, ok := doc.Paths[dp.path].Ops["options"]; ok {
			check(f.h, "OPTIONS", target, nil)
		}
		post, _ := send(f.h, "POST", target, nil, key)
		allow := "GET, HEAD"
		if cors {
			allow += ", OPTIONS"
		}
		if post.StatusCode != 405 || post.Header.Get("Allow") != allow {
			t.Errorf("POST %s: %d, Allow %q", target, post.StatusCode, post.Header.Get("Allow"))
		}
	}

	// The slow key's budget is spent first, for the 429 answers below.
	for range slowRPM {
		check(f.h, "GET", "/api/v3/subscription/status", nil, slow)
	}
	for _, tc := range []struct {
		h      *Handler
		target string
		hdr    []string
	}{
		{f.h, "/api/v3/breachedaccount/alice@example.com", []string{key}},
		{f.h, "/api/v3/breachedaccount/alice@example.com?truncateResponse=false&includeUnverified=false&domain=adobe.com", []string{key}},
		{f.h, "/api/v3/breachedaccount/a@b", []string{key}},
		{f.h, "/api/v3/breachedaccount/alice@example.com?truncateResponse=maybe", []string{key}},
		{f.h, "/api/v3/breachedaccount/nobody@example.com", []string{key}},
		{f.h, "/api/v3/breachedaccount/alice@example.com", []string{slow}},
		{broken, "/api/v3/breachedaccount/alice@example.com", []string{key}},
		{f.h, "/api/v3/breachedaccount/range/" + alice, []string{key}},
		{f.h, "/api/v3/breachedaccount/range/ABCDEZ", []string{key}},
		{f.h, "/api/v3/breachedaccount/range/FFFFFF", []string{key}},
		{f.h, "/api/v3/breachedaccount/range/" + alice, []string{slow}},
		{broken, "/api/v3/breachedaccount/range/" + alice, []string{key}},
		{f.h, "/api/v3/breaches", nil},
		{f.h, "/api/v3/breaches?domain=adobe.com&isSpamList=false", nil},
		{f.h, "/api/v3/breaches?isSpamList=maybe", nil},
		{broken, "/api/v3/breaches", nil},
		{f.h, "/api/v3/breach/Adobe", nil},
		{f.h, "/api/v3/breach/Nonexistent", nil},
		{broken, "/api/v3/breach/Adobe", nil},
		{f.h, "/api/v3/latestbreach", nil},
		{empty, "/api/v3/latestbreach", nil},
		{broken, "/api/v3/latestbreach", nil},
		{f.h, "/api/v3/dataclasses", nil},
		{f.h, "/api/v3/subscription/status", []string{key}},
		{f.h, "/api/v3/subscription/status", []string{slow}},
		{f.h, "/api/v3/pasteaccount/alice@example.com", []string{key}},
		{f.h, "/api/v3/pasteaccount/alice", []string{key}},
		{f.h, "/api/v3/pasteaccount/alice@example.com", []string{slow}},
		{f.h, "/api/v3/subscribeddomains", []string{key}},
		{f.h, "/api/v3/subscribeddomains", []string{own}},
		{f.h, "/api/v3/subscribeddomains", []string{slow}},
		{broken, "/api/v3/subscribeddomains", []string{own}},
		{f.h, "/api/v3/breacheddomain/example.com", []string{own}},
		{f.h, "/api/v3/breacheddomain/example.com", []string{key}},
		{f.h, "/api/v3/breacheddomain/empty.example", []string{own}},
		{f.h, "/api/v3/breacheddomain/localhost", []string{own}},
		{f.h, "/api/v3/breacheddomain/example.com", []string{slow}},
		{broken, "/api/v3/breacheddomain/example.com", []string{own}},
		{f.h, "/api/v3/stealerlogsbyemail/heidi@example.com?includeNoise=true", []string{own}},
		{f.h, "/api/v3/stealerlogsbyemail/heidi@example.com?includeNoise=maybe", []string{own}},
		{f.h, "/api/v3/stealerlogsbyemail/heidi@example.com", []string{key}},
		{empty, "/api/v3/stealerlogsbyemail/heidi@example.com", []string{own}},
		{f.h, "/api/v3/stealerlogsbyemail/heidi@example.com", []string{slow}},
		{broken, "/api/v3/stealerlogsbyemail/heidi@example.com", []string{own}},
		{f.h, "/api/v3/stealerlogsbywebsitedomain/example.com", []string{own}},
		{f.h, "/api/v3/stealerlogsbywebsitedomain/example.com", []string{key}},
		{empty, "/api/v3/stealerlogsbywebsitedomain/example.com", []string{own}},
		{f.h, "/api/v3/stealerlogsbywebsitedomain/example.com?includeNoise=maybe", []string{own}},
		{f.h, "/api/v3/stealerlogsbywebsitedomain/example.com", []string{slow}},
		{broken, "/api/v3/stealerlogsbywebsitedomain/example.com", []string{own}},
		{f.h, "/api/v3/stealerlogsbyemaildomain/example.com?includeNoise=true", []string{own}},
		{f.h, "/api/v3/stealerlogsbyemaildomain/example.com", []string{key}},
		{empty, "/api/v3/stealerlogsbyemaildomain/example.com", []string{own}},
		{f.h, "/api/v3/stealerlogsbyemaildomain/a@example.com", []string{own}},
		{f.h, "/api/v3/stealerlogsbyemaildomain/example.com", []string{slow}},
		{broken, "/api/v3/stealerlogsbyemaildomain/example.com", []string{own}},
		{f.h, "/range/" + pw[:5], nil},
		{f.h, "/range/" + pw[:5] + "?mode=ntlm", []string{"Add-Padding: true"}},
		{f.h, "/range/" + pw[:5], []string{"If-None-Match: *"}},
		{f.h, "/range/XYZ12", nil},
		{f.h, "/range/" + pw[:5] + "?mode=md5", nil},
		{broken, "/range/" + pw[:5], nil},
		{f.h, "/healthz", nil},
		{broken, "/healthz", nil},
		{f.h, "/metrics", nil},
		{f.h, "/openapi.json", nil},
	} {
		check(tc.h, "GET", tc.target, nil, tc.hdr...)
	}

	// The private check.
	off, err := NewHandler(ctx, Config{Logger: f.cfg.Logger}, f.st, f.x)
	if err != nil {
		t.Fatal(err)
	}
	check(f.h, "GET", "/api/private/v1/params", nil)
	check(off, "GET", "/api/private/v1/params", nil)
	cfg := f.cfg
	cfg.Private = brokenPrivate{errStore}
	brokenPriv, err := NewHandler(ctx, cfg, f.st, f.x)
	if err != nil {
		t.Fatal(err)
	}
	check(brokenPriv, "GET", "/api/private/v1/params", nil)
	req, _ := f.privateRequest(t, "alice@example.com", "password")
	jreq, err := privatecheck.RequestToJSON(req)
	if err != nil {
		t.Fatal(err)
	}
	gone := bytes.Clone(req)
	gone[7] = 9 // epoch 9
	bin, js := "Content-Type: "+ctypePrivate, "Content-Type: application/json"
	for _, tc := range []struct {
		h    *Handler
		body []byte
		hdr  []string
	}{
		{f.h, req, []string{key, bin}},
		{f.h, jreq, []string{key, js}},
		{f.h, req[:100], []string{key, bin}},
		{f.h, gone, []string{key, bin}},
		{f.h, bytes.Repeat([]byte("x"), 1500), []string{key, bin}},
		{f.h, req, []string{key, "Content-Type: text/plain"}},
		{f.h, req, []string{slow, bin}},
		{off, req, []string{key, bin}},
		{brokenPriv, req, []string{key, bin}},
	} {
		check(tc.h, "POST", "/api/private/v1/check", tc.body, tc.hdr...)
	}
	if !strings.Contains(f.logs.String(), errStore.Error()) {
		t.Error("the broken store's error was not logged")
	}

	for _, path := range sortedKeys(doc.Paths) {
		for method, op := range doc.Paths[path].Ops {
			for code := range op.Responses {
				if !seen[method+" "+path+" "+code] {
					t.Errorf("%s %s: described answer %s never given", method, path, code)
				}
			}
		}
	}
}

// TestOpenAPILint runs Redocly CLI's linter over the document with the
// configuration in test/openapi (npm run lint). It needs node and the
// package; without them it fails under CI and is skipped elsewhere.
func TestOpenAPILint(t *testing.T) {
	const dir = "../../test/openapi"
	needNode(t, dir, "@redocly/cli", "the OpenAPI lint")
	npm, err := exec.LookPath("npm")
	if err != nil {
		skipOrFail(t, fmt.Sprintf("the OpenAPI lint needs npm: %v", err))
	}
	cmd := exec.Command(npm, "run", "--silent", "lint")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("redocly lint: %v\n%s", err, out)
	}
}

// brokenPrivate is a private check whose store cannot be read.
type brokenPrivate struct{ err error }

func (b brokenPrivate) Params(context.Context) ([]byte, error)         { return nil, b.err }
func (b brokenPrivate) Answer(context.Context, []byte) ([]byte, error) { return nil, b.err }

func sortedKeys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
