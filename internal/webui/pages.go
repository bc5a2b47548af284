package webui

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/leakwatch/leakwatch/internal/advice"
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/svgchart"
)

// page is what every page's layout needs.
type page struct {
	Title string
	Nav   string
}

func parsePages() (map[string]*template.Template, error) {
	funcs := template.FuncMap{}
	pages := map[string]*template.Template{}
	for _, name := range []string{"search", "breaches", "breach", "domains", "alerts", "error"} {
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("webui: template %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// csp is the pages' Content-Security-Policy: their own scripts, styles and
// images, requests to this server only, no framing, no inline code.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

func securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", csp)
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w.Header())
	path := r.URL.Path
	switch {
	case path == "/static/privatecheck.wasm":
		h.serveWasm(w, r)
		return
	case strings.HasPrefix(path, "/static/"):
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.methodNotAllowed(w, "GET, HEAD")
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.static.ServeHTTP(w, r)
		return
	case path == "/favicon.ico":
		http.Redirect(w, r, "/static/icon.svg", http.StatusMovedPermanently)
		return
	case path == "/api/advice":
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.methodNotAllowed(w, "GET, HEAD")
			return
		}
		advice.Handler().ServeHTTP(w, r)
		return
	case path == "/alerts" || path == "/alerts/confirm":
		h.serveAlerts(w, r)
		return
	case path == "/private-check":
		h.servePrivateCheck(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.methodNotAllowed(w, "GET, HEAD")
		return
	}
	switch {
	case path == "/":
		// The login form's private check runs as WebAssembly.
		w.Header().Set("Content-Security-Policy", strings.Replace(csp, "script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", 1))
		h.serveSearch(w, r)
	case path == "/breaches":
		h.serveBreaches(w, r)
	case strings.HasPrefix(path, "/breach/"):
		h.serveBreach(w, r, strings.TrimPrefix(path, "/breach/"))
	case path == "/domains":
		h.render(w, r, http.StatusOK, "domains", struct{ page }{page{"Domain dashboard", "domains"}})
	default:
		h.notFound(w, r)
	}
}

func (h *Handler) methodNotAllowed(w http.ResponseWriter, allow string) {
	w.Header().Set("Allow", allow)
	http.Error(w, "Method not allowed.", http.StatusMethodNotAllowed)
}

// render executes a page into a buffer first, so that a template error is
// a 500 and not half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	if err := h.pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		h.cfg.Logger.Error("rendering a page failed", "page", name, "err", err)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	if hdr.Get("Cache-Control") == "" {
		hdr.Set("Cache-Control", "no-store")
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

type errorPage struct {
	page
	Message string
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusNotFound, "error", errorPage{page{"Not found", ""}, "There is no such page."})
}

func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	h.cfg.Logger.Error("a page failed", "path", pathTemplate(r.URL.Path), "err", err)
	h.render(w, r, http.StatusInternalServerError, "error", errorPage{page{"Something went wrong", ""}, "The server could not answer. Try again later."})
}

// pathTemplate names a path for the log without what a user typed.
func pathTemplate(p string) string {
	if strings.HasPrefix(p, "/breach/") {
		return "/breach/{name}"
	}
	return p
}

// breachView is a breach as the pages show it.
type breachView struct {
	catalog.Breach
	Accounts    string
	Added       string
	Modified    string
	Description template.HTML
}

func view(b catalog.Breach) breachView {
	return breachView{Breach: b, Accounts: svgchart.Format(float64(b.PwnCount)), Added: day(b.AddedDate.Time), Modified: day(b.ModifiedDate.Time),
		Description: sanitize(b.Description)}
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

type searchPage struct {
	page
	Account  string
	Searched bool
	Error    string
	Breaches []breachView
	Advice   []advice.Advice
	BaseURL  string
}

func (h *Handler) serveSearch(w http.ResponseWriter, r *http.Request) {
	p := searchPage{page: page{"Was I exposed?", "search"}, BaseURL: baseURL(r)}
	status := http.StatusOK
	if acct := strings.TrimSpace(r.URL.Query().Get("account")); acct != "" {
		p.Account = acct
		if !h.limit.allow(clientIP(r)) {
			w.Header().Set("Retry-After", "60")
			p.Error, status = "Too many searches from your address: wait a minute.", http.StatusTooManyRequests
			h.render(w, r, status, "search", p)
			return
		}
		bs, err := h.cfg.Backend.AccountBreaches(r.Context(), acct)
		switch {
		case errors.Is(err, ErrBadAccount):
			p.Error, status = "That is not an email address, a phone number or a username.", http.StatusBadRequest
		case err != nil:
			h.fail(w, r, err)
			return
		default:
			p.Searched = true
			slices.SortFunc(bs, func(a, b catalog.Breach) int { return strings.Compare(b.BreachDate, a.BreachDate) })
			for _, b := range bs {
				p.Breaches = append(p.Breaches, view(b))
			}
			p.Advice = uniqueSteps(advice.ForBreaches(bs))
		}
	}
	h.render(w, r, status, "search", p)
}

// baseURL is the server's address as the request reached it, for the
// examples the pages show.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return (&url.URL{Scheme: scheme, Host: r.Host}).String()
}

// clientIP names the client for the limits: its IPv4 address, or the
// /64 network of its IPv6 address (one host holds a whole /64). Behind a
// reverse proxy every client is the proxy: limit there too.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	if ip == nil || ip.To4() != nil {
		return host
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

type breachPage struct {
	page
	B      breachView
	Advice []advice.Advice
	Ops    *Operations
	Check  *Verification
}

func (h *Handler) serveBreach(w http.ResponseWriter, r *http.Request, name string) {
	b, err := h.cfg.Backend.Breach(r.Context(), name)
	if errors.Is(err, ErrNotFound) || err == nil && b.IsRetired {
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := breachPage{page: page{b.Title, "breaches"}, B: view(b), Advice: uniqueSteps(advice.ForBreaches([]catalog.Breach{b}))}
	if p.Check, err = h.cfg.Backend.Verification(r.Context(), b.Name); err != nil {
		h.fail(w, r, err)
		return
	}
	if h.cfg.Operator {
		if p.Ops, err = h.cfg.Backend.Operations(r.Context(), b.Name); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, http.StatusOK, "breach", p)
}

// The alert sign-up: a form posts the address, the server mails a code,
// a second form posts the code. Both posts carry a token that must equal
// the one in a SameSite=Strict cookie set with the form, so that another
// site cannot make a visitor's browser sign addresses up.
type alertsPage struct {
	page
	Step  string // "", "code", "done"
	Email string
	Error string
	CSRF  string
}

const csrfCookie = "lw_csrf"

func (h *Handler) serveAlerts(w http.ResponseWriter, r *http.Request) {
	p := alertsPage{page: page{"Alerts", "alerts"}}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		if r.URL.Path != "/alerts" {
			http.Redirect(w, r, "/alerts", http.StatusSeeOther) // a reload of the code form
			return
		}
		p.CSRF = h.setCSRF(w, r)
		h.render(w, r, http.StatusOK, "alerts", p)
		return
	case http.MethodPost:
	default:
		h.methodNotAllowed(w, "GET, HEAD, POST")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "Bad request.", http.StatusBadRequest)
		return
	}
	c, err := r.Cookie(csrfCookie)
	if err != nil || c.Value == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostForm.Get("csrf"))) != 1 {
		p.CSRF = h.setCSRF(w, r)
		p.Error = "The form expired: please send it again."
		h.render(w, r, http.StatusForbidden, "alerts", p)
		return
	}
	p.CSRF = c.Value
	p.Email = strings.TrimSpace(r.PostForm.Get("email"))
	if !h.limit.allow(clientIP(r)) {
		w.Header().Set("Retry-After", "60")
		p.Error = "Too many requests from your address: wait a minute."
		h.render(w, r, http.StatusTooManyRequests, "alerts", p)
		return
	}
	status := http.StatusOK
	if r.URL.Path == "/alerts" {
		// At most a few codes an hour to one address, whoever asks: the
		// form must not mail-bomb anyone.
		if !h.mailLimit.allow(strings.ToLower(p.Email)) {
			p.Error = "Too many codes were sent to this address lately: wait an hour, or use the last code mailed."
			h.render(w, r, http.StatusTooManyRequests, "alerts", p)
			return
		}
		err = h.cfg.Backend.StartAlerts(r.Context(), p.Email)
		if err == nil {
			p.Step = "code"
		}
	} else {
		p.Step = "code"
		err = h.cfg.Backend.ConfirmAlerts(r.Context(), p.Email, strings.TrimSpace(r.PostForm.Get("code")))
		if err == nil {
			p.Step = "done"
		}
	}
	switch {
	case err == nil:
	case errors.Is(err, ErrBadAccount):
		p.Step, p.Error, status = "", "That is not an email address.", http.StatusBadRequest
	case errors.Is(err, ErrWrongCode):
		p.Error, status = "That code is wrong or has expired.", http.StatusBadRequest
	case errors.Is(err, ErrNoMail):
		p.Step, p.Error, status = "", "This server cannot send mail, so it cannot confirm addresses. Ask its operator.", http.StatusServiceUnavailable
	default:
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, "alerts", p)
}

func (h *Handler) setCSRF(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) == 24 {
		return c.Value
	}
	var b [18]byte
	rand.Read(b[:])
	v := base64.RawURLEncoding.EncodeToString(b[:])
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: v, Path: "/alerts", HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	return v
}

// uniqueSteps drops the steps an earlier data class of the list already
// gave (passwords and password hashes share most of theirs); a class left
// with none says so.
func uniqueSteps(as []advice.Advice) []advice.Advice {
	seen := map[string]bool{}
	out := make([]advice.Advice, 0, len(as))
	for _, a := range as {
		var steps []advice.Step
		for _, s := range a.Steps {
			if !seen[s.Title+"\x00"+s.Detail] {
				seen[s.Title+"\x00"+s.Detail] = true
				steps = append(steps, s)
			}
		}
		if len(steps) == 0 {
			steps = []advice.Step{{Title: "Covered above.", Detail: "The steps above protect this data too."}}
		}
		out = append(out, advice.Advice{DataClass: a.DataClass, Steps: steps})
	}
	return out
}
