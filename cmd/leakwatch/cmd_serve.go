package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/leakwatch/leakwatch/internal/api"
	"github.com/leakwatch/leakwatch/internal/control"
	"github.com/leakwatch/leakwatch/internal/daemon"
	"github.com/leakwatch/leakwatch/internal/exposure"
	"github.com/leakwatch/leakwatch/internal/outbound"
	"github.com/leakwatch/leakwatch/internal/pwned"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"
)

func setupServe(fs *flag.FlagSet) runFunc {
	cfg := daemon.Config{}
	fs.StringVar(&cfg.API.Addr, "addr", "127.0.0.1:8080", "listen address")
	fs.StringVar(&cfg.API.TLSCert, "tls-cert", "", "PEM certificate chain `FILE` (TLS 1.3, X25519MLKEM768 preferred; reloaded on SIGHUP)")
	fs.StringVar(&cfg.API.TLSKey, "tls-key", "", "PEM private key `FILE` of --tls-cert")
	fs.BoolVar(&cfg.API.TLSSelfSigned, "tls-self-signed", false, "serve TLS with a certificate generated at start for localhost")
	fs.IntVar(&cfg.API.DefaultRPM, "rpm", 60, "rate limit of API keys created without one, requests per minute")
	fs.StringVar(&cfg.API.RangeCache, "range-cache", "", "build the compact range packs in `DIR` (default: the data directory; \"off\": serve ranges from the store)")
	fs.BoolVar(&cfg.NoUI, "no-ui", false, "serve the API only, without the web interface")
	fs.BoolVar(&cfg.UIOperator, "ui-operator", false, "show the operator's figures (imported files, quarantined lines) on the web interface's breach pages: for an internal server")
	fs.StringVar(&cfg.AdminAddr, "admin-addr", "", "also serve the admin API over TLS on `HOST:PORT` (needs --tls-cert or --tls-self-signed; clients send an admin token)")
	fs.IntVar(&cfg.Import.Workers, "import-workers", defaultImportWorkers(), "goroutines of each CPU-bound stage of an import run by the server (hashing, sorting at commit)")
	priority := fs.String("import-priority", "low", "run imports on the server at OS `PRIORITY`: low (requests first) or normal")
	level := fs.String("log-level", "info", "log `LEVEL`: debug, info, warn, error")
	publicURL := fs.String("public-url", "", "the `URL` users reach the service at, which alerts link to (default $LEAKWATCH_PUBLIC_URL)")
	resolver := fs.String("dns-resolver", "", "the DNS server (`HOST:PORT`) that checks TXT proofs of domains (default $LEAKWATCH_DNS_RESOLVER, else /etc/resolv.conf)")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return usageError{"serve takes no arguments"}
		}
		oc := outbound.FromEnv(e.getenv)
		if *publicURL != "" {
			oc.PublicURL = *publicURL
		}
		if *resolver != "" {
			oc.Resolver = *resolver
		}
		var err error
		if cfg.Outbound, err = oc.Outbound(); err != nil {
			return err
		}
		var lv slog.Level
		if err := lv.UnmarshalText([]byte(*level)); err != nil {
			return usageError{fmt.Sprintf("bad --log-level %s", quoteName(*level))}
		}
		if cfg.AdminAddr != "" && cfg.API.TLSCert == "" && !cfg.API.TLSSelfSigned {
			return usageError{"--admin-addr serves over TLS only: give --tls-cert and --tls-key, or --tls-self-signed"}
		}
		if cfg.Import.Workers < 1 {
			return usageError{"--import-workers must be at least 1"}
		}
		switch *priority {
		case "low", "normal":
			cfg.Import.Low = *priority == "low"
		default:
			return usageError{fmt.Sprintf("bad --import-priority %s (want low or normal)", quoteName(*priority))}
		}
		// Hidden, for end-to-end tests: how often alerts are looked for.
		if p, err := time.ParseDuration(e.getenv("LEAKWATCH_ALERT_POLL")); err == nil && p > 0 {
			cfg.AlertPoll = p
		}
		cfg.Logger = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: lv}))
		return serve(ctx, e, cfg)
	}
}

// defaultImportWorkers leaves a core to the API while the server imports.
func defaultImportWorkers() int { return max(1, runtime.NumCPU()-1) }

// serve runs the server until ctx ends (SIGINT, SIGTERM); SIGHUP reloads
// the certificate files.
func serve(ctx context.Context, e *env, cfg daemon.Config) error {
	switch cfg.API.RangeCache {
	case "":
		cfg.API.RangeCache = e.data
	case "off":
		cfg.API.RangeCache = ""
	}
	// Fail before opening the store and building range packs, not after.
	if err := checkListen(cfg.API.Addr); err != nil {
		return err
	}
	// serve never creates a data directory: a mistyped --data would
	// silently serve an empty store with a new key file.
	cfg.Data = e.dirOptions(true, servingStoreOptions)
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	reload := make(chan struct{}, 1)
	go func() {
		for range hup {
			select {
			case reload <- struct{}{}:
			default:
			}
		}
	}()
	// The server logs where it listens.
	err := daemon.Run(ctx, cfg, reload, nil)
	if errors.Is(err, daemon.ErrRunning) {
		return withHint(err, "leakwatch status shows what it is doing; stop it before starting another")
	}
	return explainOpen(err)
}

func setupKeysCreate(fs *flag.FlagSet) runFunc {
	rpm := fs.Int("rpm", 0, "requests per minute (default: the server's --rpm)")
	ownerEmail := fs.String("owner", "", "the `EMAIL` of the key's holder: the key sees what that address and the domains it verified may (sensitive breaches, domain and stealer-log searches)")
	asJSON := fs.Bool("json", false, `print {"name":NAME,"secret":SECRET}`)
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) != 1 {
			return usageError{"keys create needs one key NAME"}
		}
		return keysCreate(ctx, e, args[0], *rpm, *ownerEmail, *asJSON)
	}
}

func keysCreate(ctx context.Context, e *env, name string, rpm int, ownerEmail string, asJSON bool) error {
	s, err := e.connect(ctx, readStore)
	if err != nil {
		return err
	}
	defer s.end(true)
	secret, err := s.CreateKey(ctx, name, rpm, ownerEmail)
	if errors.Is(err, control.ErrBadRequest) || errors.Is(err, exposure.ErrBadAccount) {
		return usageError{err.Error()}
	}
	if err != nil {
		return err
	}
	if asJSON {
		err = writeJSON(e, struct {
			Name   string `json:"name"`
			Secret string `json:"secret"`
		}{name, secret})
	} else {
		_, err = fmt.Fprintln(e.stdout, secret)
	}
	if err != nil {
		return err
	}
	notef(e, "created API key %s; clients send it in the hibp-api-key header. It is shown only now.", quoteName(name))
	return nil
}

func setupKeysList(fs *flag.FlagSet) runFunc {
	asJSON := fs.Bool("json", false, `print a JSON array of {"name","rpm","created"} (rpm 0: the server's default)`)
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return usageError{"keys list takes no arguments"}
		}
		return keysList(ctx, e, *asJSON)
	}
}

// keyJSON is an API key as keys list --json prints it.
type keyJSON struct {
	Name    string    `json:"name"`
	RPM     int       `json:"rpm"` // 0: the server's default
	Created time.Time `json:"created"`
	Owned   bool      `json:"owned"` // the key has an owner (whose address is kept only as a keyed hash)
}

func keysList(ctx context.Context, e *env, asJSON bool) error {
	s, err := e.connect(ctx, readStore)
	if err != nil {
		return err
	}
	defer s.end(true)
	keys, err := s.Keys(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		out := make([]keyJSON, 0, len(keys))
		for _, k := range keys {
			out = append(out, keyJSON{k.Name, k.RPM, k.Created.UTC(), k.Owner != store.AccountKey{}})
		}
		return writeJSON(e, out)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tRPM\tCREATED\tOWNED")
	for _, k := range keys {
		r := "default"
		if k.RPM > 0 {
			r = fmt.Sprint(k.RPM)
		}
		owned := "no"
		if k.Owner != (store.AccountKey{}) {
			owned = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", quoteName(k.Name), r, k.Created.UTC().Format(time.RFC3339), owned)
	}
	return tw.Flush()
}

func setupKeysRevoke(fs *flag.FlagSet) runFunc {
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) != 1 {
			return usageError{"keys revoke needs one key NAME"}
		}
		return keysRevoke(ctx, e, args[0])
	}
}

func keysRevoke(ctx context.Context, e *env, name string) error {
	s, err := e.connect(ctx, readStore)
	if err != nil {
		return err
	}
	defer s.end(true)
	err = s.RevokeKey(ctx, name)
	if errors.Is(err, api.ErrNoSuchKey) {
		return withHint(fmt.Errorf("no API key named %s", strconv.Quote(name)), "leakwatch keys list shows them")
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "revoked %s\n", quoteName(name))
	return nil
}

func setupExport(fs *flag.FlagSet) runFunc {
	mode := fs.String("mode", "sha1", "hash corpus: sha1 or ntlm")
	out := fs.String("out", "", "write to `PATH`: a file, or a directory with --split")
	split := fs.Bool("split", false, "write one PREFIX.txt per range prefix (for static hosting)")
	asJSON := fs.Bool("json", false, `print the figures as JSON: {"mode","hashes","prefixes","files","bytes"}`)
	force := fs.Bool("force", false, "replace an existing --out (only once the new export is complete)")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return usageError{"export pwned-passwords takes no arguments"}
		}
		if *out == "" {
			return usageError{"export pwned-passwords needs --out PATH"}
		}
		kind, ok := store.ParseHashKind(*mode)
		if !ok {
			return usageError{fmt.Sprintf("unknown --mode %s (want sha1 or ntlm)", quoteName(*mode))}
		}
		return exportPwned(ctx, e, kind, *out, *split, *force, *asJSON)
	}
}

func exportPwned(ctx context.Context, e *env, kind store.HashKind, out string, split, force, asJSON bool) error {
	if inside(out, e.data) || sameFile(out, e.dirOptions(false, pebblestore.Options{}).KeyringPath()) {
		return usageError{fmt.Sprintf("--out %s is in the data directory or is the key file: write exports elsewhere", quoteName(out))}
	}
	s, err := e.connect(ctx, readStore)
	if err != nil {
		return err
	}
	defer s.end(true)
	var stats control.ExportStats
	files, n, err := pwned.SaveCorpus(out, split, force, kind, func(w io.Writer) error {
		var err error
		stats, err = s.ExportPasswords(ctx, kind, w)
		return err
	})
	if errors.Is(err, pwned.ErrExists) {
		return withHint(err, "choose another --out, or replace it with --force")
	}
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(e, struct {
			Mode     string `json:"mode"`
			Hashes   int64  `json:"hashes"`
			Prefixes int    `json:"prefixes"`
			Files    int    `json:"files"`
			Bytes    int64  `json:"bytes"`
		}{kind.String(), stats.Hashes, stats.Prefixes, files, n})
	}
	fmt.Fprintf(e.stdout, "exported %d %s hashes in %d file(s), %s\n", stats.Hashes, kind, files, bytesHuman(n))
	return nil
}

// inside reports whether path is dir or lies below it.
func inside(path, dir string) bool {
	p, err1 := filepath.Abs(path)
	d, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return false
	}
	if rp, err := filepath.EvalSymlinks(filepath.Dir(p)); err == nil {
		p = filepath.Join(rp, filepath.Base(p))
	}
	if rd, err := filepath.EvalSymlinks(d); err == nil {
		d = rd
	}
	rel, err := filepath.Rel(d, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// sameFile reports whether path names the key file.
func sameFile(path, keyFile string) bool {
	a, err1 := os.Stat(path)
	b, err2 := os.Stat(keyFile)
	return err1 == nil && err2 == nil && os.SameFile(a, b)
}
