package api

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/leakwatch/leakwatch/internal/pwned"
	"github.com/leakwatch/leakwatch/internal/store"
)

// Handler serves every endpoint of the API. Create it with NewHandler; it
// is safe for concurrent use.
type Handler struct {
	cfg     Config
	st      store.Store
	x       Exposure
	log     *slog.Logger
	keys    *keyTable
	metrics *metrics

	// modTime is when the data set last changed (the handler's start, or
	// the last commit it was told of): Last-Modified and If-Modified-Since
	// use it.
	modTime atomic.Pointer[dataTime]

	idPrefix string
	idSeq    atomic.Uint64

	// packs are the range packs by store.HashKind, once built; a rebuild
	// after a commit swaps them under packMu's write lock, and requests read
	// them under its read lock, so no request sees a pack being closed.
	packs       [3]atomic.Pointer[pwned.Pack]
	packMu      sync.RWMutex
	packState   atomic.Pointer[PackStatus]
	rebuild     chan struct{} // a commit happened: rebuild the packs
	ranges      sync.Pool     // *rangeScratch
	bufs        sync.Pool     // *bytes.Buffer
	comp        *compressors
	randMu      sync.Mutex // guards cfg.Rand
	dataClasses []byte     // the /dataclasses body
}

// NewHandler returns the handler of the API over a store and the exposure
// service built on it. It reads the API keys once; cfg is completed with
// defaults as Serve does (its transport fields are ignored). x may be nil
// for a server of the range API alone: account searches then answer 503.
func NewHandler(ctx context.Context, cfg Config, s store.Store, x Exposure) (*Handler, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	var id [4]byte
	if _, err := io.ReadFull(cfg.Rand, id[:]); err != nil {
		return nil, fmt.Errorf("seeding request ids: %w", err)
	}
	now := cfg.Now().UTC().Truncate(time.Second)
	h := &Handler{
		cfg:      cfg,
		st:       s,
		x:        x,
		log:      cfg.Logger,
		metrics:  newMetrics(now),
		idPrefix: hex.EncodeToString(id[:]) + "-",
		rebuild:  make(chan struct{}, 1),
		comp:     newCompressors(),
	}
	h.bufs.New = func() any { return new(bytes.Buffer) }
	h.setModTime(now)
	h.setPackState("off", nil)
	var err error
	if h.dataClasses, err = dataClassesBody(); err != nil {
		return nil, err
	}
	h.keys = newKeyTable(s, cfg.DefaultRPM, cfg.KeyRefresh, cfg.Now)
	if err := h.keys.load(ctx); err != nil {
		return nil, err
	}
	h.ranges.New = h.newRangeScratch
	return h, nil
}

// dataTime is when the data set changed, and its Last-Modified header.
type dataTime struct {
	t      time.Time
	header []string
}

func (h *Handler) setModTime(t time.Time) {
	t = t.UTC().Truncate(time.Second)
	h.modTime.Store(&dataTime{t: t, header: []string{t.Format(http.TimeFormat)}})
}

// KeysChanged re-reads the API keys at once: a key created or revoked
// takes effect with the next request.
func (h *Handler) KeysChanged(ctx context.Context) error { return h.keys.load(ctx) }

// DataChanged tells the handler that an import committed: account lookups
// and the catalog answer from the store at once; the range packs are
// rebuilt in the background (ranges come from the old packs, complete and
// consistent, until the new ones are swapped in).
func (h *Handler) DataChanged() {
	h.setModTime(h.cfg.Now())
	select {
	case h.rebuild <- struct{}{}:
	default: // a rebuild is due already
	}
}

// PackStatus is what the range packs are doing.
type PackStatus struct {
	// State is "off" (ranges come from the store), "building" (the first
	// packs; ranges come from the store meanwhile), "ready", or
	// "rebuilding" (after a commit; the previous packs answer meanwhile).
	State string
	// Bytes is the size of the packs in use; Built when they were built.
	Bytes int64
	Built time.Time
}

// PackStatus says what the range packs are doing.
func (h *Handler) PackStatus() PackStatus { return *h.packState.Load() }

// setPackState records the packs' state; built, if not nil, is the time
// the packs now in use were finished.
func (h *Handler) setPackState(state string, built *time.Time) {
	ps := PackStatus{State: state}
	if old := h.packState.Load(); old != nil {
		ps.Built = old.Built
	}
	if built != nil {
		ps.Built = *built
	}
	if ps.State != "off" {
		for i := range h.packs {
			if p := h.packs[i].Load(); p != nil {
				ps.Bytes += p.Size()
			}
		}
	}
	h.packState.Store(&ps)
}

// RequestRate is the requests per second the API answered lately.
func (h *Handler) RequestRate() float64 { return h.metrics.rate(h.cfg.Now()) }

// routeID indexes the routes, in metrics too.
type routeID uint8

const (
	routeRange routeID = iota
	routeBreachedAccount
	routeEmailRange
	routeBreaches
	routeBreach
	routeLatestBreach
	routeDataClasses
	routeSubscription
	routePasteAccount
	routeSubscribedDomains
	routeBreachedDomain
	routeStealerByEmail
	routeStealerByWebsite
	routeStealerByEmailDomain
	routePrivateParams
	routePrivateCheck
	routeUI
	routeHealth
	routeMetrics
	routeOpenAPI
	routeNotFound
	numRoutes
)

// access tells who may call a route.
type access uint8

const (
	public   access = iota // anyone, cross-origin too
	keyed                  // an API key, rate limited
	internal               // anyone, same-origin (operations endpoints)
	page                   // the web UI's pages and assets (Config.UI), which checks methods itself
)

type route struct {
	pattern string // the template: what logs and metrics name
	access  access
	api     bool // under /api/v3: User-Agent required, JSON error bodies
	post    bool // answers POST only
}

// routes is the route table; match maps a path onto it.
var routes = [numRoutes]route{
	routeRange:           {pattern: "/range/{prefix}", access: public, api: false},
	routeBreachedAccount: {pattern: "/api/v3/breachedaccount/{account}", access: keyed, api: true},
	routeEmailRange:      {pattern: "/api/v3/breachedaccount/range/{prefix}", access: keyed, api: true},
	routeBreaches:        {pattern: "/api/v3/breaches", access: public, api: true},
	routeBreach:          {pattern: "/api/v3/breach/{name}", access: public, api: true},
	routeLatestBreach:    {pattern: "/api/v3/latestbreach", access: public, api: true},
	routeDataClasses:     {pattern: "/api/v3/dataclasses", access: public, api: true},
	routeSubscription:    {pattern: "/api/v3/subscription/status", access: keyed, api: true},
	routePasteAccount:    {pattern: "/api/v3/pasteaccount/{account}", access: keyed, api: true},

	routeSubscribedDomains:    {pattern: "/api/v3/subscribeddomains", access: keyed, api: true},
	routeBreachedDomain:       {pattern: "/api/v3/breacheddomain/{domain}", access: keyed, api: true},
	routeStealerByEmail:       {pattern: "/api/v3/stealerlogsbyemail/{email}", access: keyed, api: true},
	routeStealerByWebsite:     {pattern: "/api/v3/stealerlogsbywebsitedomain/{domain}", access: keyed, api: true},
	routeStealerByEmailDomain: {pattern: "/api/v3/stealerlogsbyemaildomain/{domain}", access: keyed, api: true},

	routePrivateParams: {pattern: "/api/private/v1/params", access: public},
	routePrivateCheck:  {pattern: "/api/private/v1/check", access: keyed, post: true},

	routeUI: {pattern: "ui", access: page},

	routeHealth:   {pattern: "/healthz", access: internal, api: false},
	routeMetrics:  {pattern: "/metrics", access: internal, api: false},
	routeOpenAPI:  {pattern: "/openapi.json", access: public, api: false},
	routeNotFound: {pattern: "other", access: internal, api: false},
}

// match finds the route of an escaped path and its parameter (still
// escaped). Service names match case-insensitively, as on the public
// service.
func match(path string) (routeID, string) {
	if p, ok := strings.CutPrefix(path, "/range/"); ok {
		if strings.IndexByte(p, '/') < 0 {
			return routeRange, p
		}
		return routeNotFound, ""
	}
	switch path {
	case "/healthz":
		return routeHealth, ""
	case "/metrics":
		return routeMetrics, ""
	case "/openapi.json":
		return routeOpenAPI, ""
	case "/api/private/v1/params":
		return routePrivateParams, ""
	case "/api/private/v1/check":
		return routePrivateCheck, ""
	}
	rest, ok := cutPrefixFold(path, "/api/v3/")
	if !ok {
		return routeNotFound, ""
	}
	rest = strings.TrimSuffix(rest, "/")
	service, param, hasParam := strings.Cut(rest, "/")
	if hasParam && (param == "" || strings.IndexByte(param, '/') >= 0) {
		// Only breachedaccount/range/{prefix} and subscription/status have
		// two segments.
		if a, b, _ := strings.Cut(param, "/"); strings.EqualFold(service, "breachedaccount") && strings.EqualFold(a, "range") && b != "" && strings.IndexByte(b, '/') < 0 {
			return routeEmailRange, b
		}
		return routeNotFound, ""
	}
	fold := strings.EqualFold
	switch {
	case fold(service, "breachedaccount") && hasParam:
		return routeBreachedAccount, param
	case fold(service, "breaches") && !hasParam:
		return routeBreaches, ""
	case fold(service, "breach") && hasParam:
		return routeBreach, param
	case fold(service, "latestbreach") && !hasParam:
		return routeLatestBreach, ""
	case fold(service, "dataclasses") && !hasParam:
		return routeDataClasses, ""
	case fold(service, "subscription") && fold(param, "status"):
		return routeSubscription, ""
	case fold(service, "pasteaccount") && hasParam:
		return routePasteAccount, param
	case fold(service, "subscribeddomains") && !hasParam:
		return routeSubscribedDomains, ""
	case fold(service, "breacheddomain") && hasParam:
		return routeBreachedDomain, param
	case fold(service, "stealerlogsbyemail") && hasParam:
		return routeStealerByEmail, param
	case fold(service, "stealerlogsbywebsitedomain") && hasParam:
		return routeStealerByWebsite, param
	case fold(service, "stealerlogsbyemaildomain") && hasParam:
		return routeStealerByEmailDomain, param
	}
	return routeNotFound, ""
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// request is what the middleware learned about a request.
type request struct {
	id    string
	param string // the route's parameter, escaped as in the URL
	key   *keyState
}

// Header values shared by every response; net/http never modifies them.
//
// The security headers are those that matter for an API that serves no
// HTML: no MIME sniffing, no framing and nothing loadable (CSP, which
// supersedes X-Frame-Options), no referrer, HSTS over TLS. They are kept
// short on purpose: a range answer of typical size then fits with its
// header in one 4 KiB write of net/http instead of two.
var (
	hvNosniff   = []string{"nosniff"}
	hvNoRef     = []string{"no-referrer"}
	hvCSP       = []string{"default-src 'none'; frame-ancestors 'none'"}
	hvHSTS      = []string{"max-age=63072000; includeSubDomains"}
	hvAnyOrigin = []string{"*"}
)

// statusWriter records the status a handler sent.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// ServeHTTP implements http.Handler: routing, the middleware every request
// goes through (security headers, method and size limits, User-Agent, API
// key and rate limit), the handler, the error adapter, metrics and the
// request log.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	h.metrics.inflight.Add(1)
	id, param := match(r.URL.EscapedPath())
	if id == routeNotFound && h.cfg.UI != nil && h.cfg.UI.Serves(r.URL.Path) {
		id = routeUI
	}
	rt := &routes[id]
	q := request{id: h.requestID(), param: param}
	sw := statusWriter{ResponseWriter: w}

	hdr := w.Header()
	hdr["X-Request-Id"] = []string{q.id}
	hdr["X-Content-Type-Options"] = hvNosniff
	hdr["Referrer-Policy"] = hvNoRef
	hdr["Content-Security-Policy"] = hvCSP
	if r.TLS != nil {
		hdr["Strict-Transport-Security"] = hvHSTS
	}

	if err := h.pipeline(&sw, r, id, &q); err != nil {
		h.fail(&sw, r, rt, &q, err)
	}
	if sw.status == 0 {
		sw.status = http.StatusOK
	}
	d := time.Since(start)
	h.metrics.observe(id, sw.status, d)
	h.metrics.tick(start.Add(d))
	h.metrics.inflight.Add(-1)
	if h.log.Enabled(r.Context(), slog.LevelDebug) {
		h.log.LogAttrs(r.Context(), slog.LevelDebug, "request",
			slog.String("id", q.id), slog.String("method", logMethod(r.Method)), slog.String("route", rt.pattern),
			slog.Int("status", sw.status), slog.Duration("duration", d))
	}
}

// logMethod names a request method for the log; a client can send any
// token as its method, so unknown ones are not logged as sent.
func logMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch:
		return m
	}
	return "other"
}

func (h *Handler) requestID() string {
	b := make([]byte, 0, 24)
	b = append(b, h.idPrefix...)
	b = strconv.AppendUint(b, h.idSeq.Add(1), 36)
	return string(b)
}

func (h *Handler) pipeline(w http.ResponseWriter, r *http.Request, id routeID, q *request) error {
	rt := &routes[id]
	if rt.access == page {
		if r.ContentLength > h.cfg.MaxBodyBytes {
			return errTooLarge
		}
		r.Body = http.MaxBytesReader(w, r.Body, h.cfg.MaxBodyBytes)
		h.cfg.UI.ServeHTTP(w, r)
		return nil
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		if rt.post {
			return notAllowed(w, rt)
		}
	case http.MethodPost:
		if !rt.post {
			return notAllowed(w, rt)
		}
	case http.MethodOptions:
		if rt.access == public {
			preflight(w)
			return nil
		}
		return notAllowed(w, rt)
	default:
		return notAllowed(w, rt)
	}
	if r.ContentLength > h.cfg.MaxBodyBytes {
		return errTooLarge
	}
	r.Body = http.MaxBytesReader(w, r.Body, h.cfg.MaxBodyBytes)
	if rt.access == public {
		// CORS for the endpoints that need no key, as on the public
		// service; keyed endpoints are not meant for browsers.
		w.Header()["Access-Control-Allow-Origin"] = hvAnyOrigin
	}
	if rt.api && r.Header.Get("User-Agent") == "" {
		return errNoUserAgent
	}
	if rt.access == keyed {
		k, err := h.keys.authenticate(r.Context(), r.Header.Get("Hibp-Api-Key"))
		if err != nil {
			if ce, ok := err.(*clientError); ok && ce.status == http.StatusUnauthorized {
				h.metrics.authFailures.Add(1)
			}
			return err
		}
		if ok, wait := k.limit.allow(h.cfg.Now()); !ok {
			h.metrics.rateLimited.Add(1)
			return rateLimited(wait)
		}
		q.key = k
	}
	return h.dispatch(id, w, r, q)
}

// notAllowed answers a method the route does not have.
func notAllowed(w http.ResponseWriter, rt *route) error {
	switch {
	case rt.post:
		w.Header().Set("Allow", "POST")
	case rt.access == public:
		w.Header().Set("Allow", "GET, HEAD, OPTIONS")
	default:
		w.Header().Set("Allow", "GET, HEAD")
	}
	return errMethod
}

// dispatch calls the handler of a route.
func (h *Handler) dispatch(id routeID, w http.ResponseWriter, r *http.Request, q *request) error {
	switch id {
	case routeRange:
		return h.serveRange(w, r, q)
	case routeBreachedAccount, routeEmailRange, routeSubscribedDomains, routeBreachedDomain,
		routeStealerByEmail, routeStealerByWebsite, routeStealerByEmailDomain:
		if h.x == nil {
			return errNoAccounts
		}
		switch id {
		case routeEmailRange:
			return h.serveEmailRange(w, r, q)
		case routeSubscribedDomains:
			return h.serveSubscribedDomains(w, r, q)
		case routeBreachedDomain:
			return h.serveBreachedDomain(w, r, q)
		case routeStealerByEmail:
			return h.serveStealerByEmail(w, r, q)
		case routeStealerByWebsite:
			return h.serveStealerByWebsite(w, r, q)
		case routeStealerByEmailDomain:
			return h.serveStealerByEmailDomain(w, r, q)
		}
		return h.serveBreachedAccount(w, r, q)
	case routeBreaches:
		return h.serveBreaches(w, r, q)
	case routeBreach:
		return h.serveBreach(w, r, q)
	case routeLatestBreach:
		return h.serveLatestBreach(w, r, q)
	case routeDataClasses:
		return h.serveDataClasses(w, r, q)
	case routeSubscription:
		return h.serveSubscription(w, r, q)
	case routePasteAccount:
		return h.servePasteAccount(w, r, q)
	case routePrivateParams:
		return h.servePrivateParams(w, r, q)
	case routePrivateCheck:
		return h.servePrivateCheck(w, r, q)
	case routeHealth:
		return h.serveHealth(w, r, q)
	case routeMetrics:
		return h.serveMetrics(w, r, q)
	case routeOpenAPI:
		return h.serveOpenAPI(w, r, q)
	}
	return errNotFound
}

// preflight answers a CORS preflight request of a public endpoint.
func preflight(w http.ResponseWriter) {
	hdr := w.Header()
	hdr["Access-Control-Allow-Origin"] = hvAnyOrigin
	hdr.Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
	hdr.Set("Access-Control-Allow-Headers", "Add-Padding")
	hdr.Set("Access-Control-Max-Age", "86400")
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) serveHealth(w http.ResponseWriter, r *http.Request, q *request) error {
	// A read that touches the store: the catalog is small.
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, err := h.st.Breaches(ctx); err != nil {
		return fmt.Errorf("health check: %w", err)
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "text/plain; charset=utf-8")
	hdr.Set("Cache-Control", "no-store")
	return h.writeBody(w, r, ctypeText, []byte("ok\n"))
}
