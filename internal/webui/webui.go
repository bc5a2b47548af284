// Package webui is leakwatch's web interface: the search for an email
// address (which works without JavaScript), the k-anonymity password
// check done in the browser, what to do after an exposure, the breach
// catalog with its charts, each breach's page, the domain dashboard of
// verified owners and the subscription to alerts. Everything it serves is
// embedded in the binary: no CDN, no external font, no third-party
// request, and no inline script or style (its Content-Security-Policy
// forbids them).
package webui

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Backend is what the pages read and do. The server's control.Local is
// one (through an adapter in the daemon).
type Backend interface {
	// Breaches returns the catalog; Breach one breach (store.ErrNotFound
	// if none).
	Breaches(ctx context.Context) ([]catalog.Breach, error)
	Breach(ctx context.Context, name string) (catalog.Breach, error)
	// AccountBreaches returns the breaches of an account as the public
	// API shows them (no sensitive or retired breach); ErrBadAccount for
	// something that is not an account.
	AccountBreaches(ctx context.Context, account string) ([]catalog.Breach, error)
	// Operations returns what the operator sees of a breach's imports.
	Operations(ctx context.Context, breach string) (*Operations, error)
	// StartAlerts mails a confirmation code to an address; ConfirmAlerts
	// checks it and subscribes the address to alerts.
	StartAlerts(ctx context.Context, email string) error
	ConfirmAlerts(ctx context.Context, email, code string) error
	// Verification returns a breach's last verification (leakwatch
	// verify), nil if none.
	Verification(ctx context.Context, breach string) (*Verification, error)
}

// Verification is what the breach page shows of a breach's last
// verification.
type Verification struct {
	At         time.Time
	Verdict    string // "likely recycled from X", ...
	Confidence string
	Reasons    []string
}

// Operations is what an operator sees of a breach's imports.
type Operations struct {
	Sources     []Source      // the files imported into it
	Quarantined []ReasonCount // lines quarantined, by reason
}

// Source is one imported file.
type Source struct {
	Name string
	Rows int64
}

// ReasonCount counts quarantined lines of one reason.
type ReasonCount struct {
	Reason string
	Lines  int64
}

// Errors a Backend returns that the pages explain.
var (
	ErrBadAccount = errors.New("not an email address, phone number or username")
	ErrNotFound   = errors.New("not found")
	ErrWrongCode  = errors.New("wrong or expired code")
	ErrNoMail     = errors.New("this server cannot send mail")
)

// Config configures the interface.
type Config struct {
	Backend Backend
	// PrivateCheck answers the login form's private check as the API's
	// POST /api/private/v1/check does, without an API key
	// (api.PrivateCheckHandler); nil when the check is not enabled.
	PrivateCheck http.Handler
	// Operator shows the operator's figures (imported files, quarantine)
	// on breach pages. Off for a public server.
	Operator bool
	// SearchesPerMinute bounds the email searches and alert sign-ups of
	// one client address (default 30).
	SearchesPerMinute int
	Logger            *slog.Logger
	Now               func() time.Time
}

// Handler serves the pages under "/", the assets under "/static/" and the
// advice under "/api/advice".
type Handler struct {
	cfg    Config
	pages  map[string]*template.Template
	static http.Handler
	limit  *limiter
	// mailLimit bounds the codes mailed to one address (3 an hour).
	mailLimit *limiter
}

// Paths reports whether the interface serves path: the server routes
// those here and the rest to the API.
func Paths(path string) bool {
	switch path {
	case "/", "/breaches", "/domains", "/alerts", "/alerts/confirm", "/api/advice", "/favicon.ico", "/private-check":
		return true
	}
	return strings.HasPrefix(path, "/breach/") || strings.HasPrefix(path, "/static/")
}

// New returns the interface.
func New(cfg Config) (*Handler, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SearchesPerMinute <= 0 {
		cfg.SearchesPerMinute = 30
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	return &Handler{cfg: cfg, pages: pages, static: http.StripPrefix("/static/", http.FileServerFS(noDirs{sub})),
		limit: newLimiter(cfg.SearchesPerMinute, cfg.Now), mailLimit: newLimiterPer(3, time.Hour, cfg.Now)}, nil
}

// noDirs serves the files of a file system and no directory listing.
type noDirs struct{ fs.FS }

func (d noDirs) Open(name string) (fs.File, error) {
	f, err := d.FS.Open(name)
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err != nil || st.IsDir() {
		f.Close()
		return nil, fs.ErrNotExist
	}
	return f, nil
}

// Serves reports whether the interface serves path (api.UI).
func (h *Handler) Serves(path string) bool { return Paths(path) }
