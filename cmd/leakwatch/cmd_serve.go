package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/leakwatch/leakwatch/internal/api"
	"github.com/leakwatch/leakwatch/internal/exposure"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/pwned"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"
)

func setupServe(fs *flag.FlagSet) runFunc {
	cfg := api.Config{}
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:8080", "listen address")
	fs.StringVar(&cfg.TLSCert, "tls-cert", "", "PEM certificate chain `FILE` (TLS 1.3, X25519MLKEM768 preferred)")
	fs.StringVar(&cfg.TLSKey, "tls-key", "", "PEM private key `FILE` of --tls-cert")
	fs.BoolVar(&cfg.TLSSelfSigned, "tls-self-signed", false, "serve TLS with a certificate generated at start for localhost")
	fs.IntVar(&cfg.DefaultRPM, "rpm", 60, "rate limit of API keys created without one, requests per minute")
	fs.StringVar(&cfg.RangeCache, "range-cache", "", "build the compact range packs at start in `DIR` (default: the data directory; \"off\": serve ranges from the store)")
	level := fs.String("log-level", "info", "log `LEVEL`: debug, info, warn, error")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return usageError{"serve takes no arguments"}
		}
		var lv slog.Level
		if err := lv.UnmarshalText([]byte(*level)); err != nil {
			return usageError{fmt.Sprintf("bad --log-level %s", quoteName(*level))}
		}
		cfg.Logger = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: lv}))
		return serve(ctx, e, cfg)
	}
}

func serve(ctx context.Context, e *env, cfg api.Config) error {
	switch cfg.RangeCache {
	case "":
		cfg.RangeCache = e.data
	case "off":
		cfg.RangeCache = ""
	}
	// Fail before opening the store and building range packs, not after.
	if err := checkListen(cfg.Addr); err != nil {
		return err
	}
	// serve never creates a data directory: a mistyped --data would
	// silently serve an empty store with a new key file.
	d, err := e.open(ctx, true, servingStoreOptions)
	if err != nil {
		return err
	}
	defer d.Close()
	return serveStore(ctx, e, d.Store, exposure.New(d.Store, d.Keyring), cfg, func(url string) {
		cfg.Logger.Info("serving", "url", url, "data", e.data)
	})
}

// serveStore serves until ctx ends; ready gets the base URL.
func serveStore(ctx context.Context, e *env, st store.Store, x *exposure.Service, cfg api.Config, ready func(url string)) error {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	scheme := "http"
	if cfg.TLSSelfSigned || cfg.TLSCert != "" {
		scheme = "https"
	}
	return api.Serve(ctx, cfg, st, x, func(addr string) { ready(scheme + "://" + addr) })
}

func setupKeysCreate(fs *flag.FlagSet) runFunc {
	rpm := fs.Int("rpm", 0, "requests per minute (default: the server's --rpm)")
	asJSON := fs.Bool("json", false, `print {"name":NAME,"secret":SECRET}`)
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) != 1 {
			return usageError{"keys create needs one key NAME"}
		}
		return keysCreate(ctx, e, args[0], *rpm, *asJSON)
	}
}

func keysCreate(ctx context.Context, e *env, name string, rpm int, asJSON bool) error {
	d, err := e.open(ctx, false, pebblestore.Options{})
	if err != nil {
		return err
	}
	defer d.Close()
	st := d.Store
	secret, err := api.CreateKey(ctx, st, name, rpm, rand.Reader)
	if errors.Is(err, api.ErrBadKeyName) || errors.Is(err, api.ErrBadRPM) {
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
}

func keysList(ctx context.Context, e *env, asJSON bool) error {
	d, err := e.open(ctx, false, pebblestore.Options{})
	if err != nil {
		return err
	}
	defer d.Close()
	st := d.Store
	keys, err := api.ListKeys(ctx, st)
	if err != nil {
		return err
	}
	if asJSON {
		out := make([]keyJSON, 0, len(keys))
		for _, k := range keys {
			out = append(out, keyJSON{k.Name, k.RPM, k.Created.UTC()})
		}
		return writeJSON(e, out)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tRPM\tCREATED")
	for _, k := range keys {
		r := "default"
		if k.RPM > 0 {
			r = fmt.Sprint(k.RPM)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", quoteName(k.Name), r, k.Created.UTC().Format(time.RFC3339))
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
	d, err := e.open(ctx, false, pebblestore.Options{})
	if err != nil {
		return err
	}
	defer d.Close()
	st := d.Store
	err = api.RevokeKey(ctx, st, name)
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
		var kind store.HashKind
		switch strings.ToLower(*mode) {
		case "sha1":
			kind = store.SHA1
		case "ntlm":
			kind = store.NTLM
		default:
			return usageError{fmt.Sprintf("unknown --mode %s (want sha1 or ntlm)", quoteName(*mode))}
		}
		return exportPwned(ctx, e, kind, *out, *split, *force, *asJSON)
	}
}

func exportPwned(ctx context.Context, e *env, kind store.HashKind, out string, split, force, asJSON bool) error {
	d, err := e.open(ctx, false, pebblestore.Options{})
	if err != nil {
		return err
	}
	defer d.Close()
	st := d.Store
	if inside(out, e.data) || sameFile(out, d.Keyring) {
		return usageError{fmt.Sprintf("--out %s is in the data directory or is the key file: write exports elsewhere", quoteName(out))}
	}
	stats, err := pwned.Export(ctx, st, kind, out, split, force)
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
		}{kind.String(), stats.Hashes, stats.Prefixes, stats.Files, stats.Bytes})
	}
	fmt.Fprintf(e.stdout, "exported %d %s hashes in %d file(s), %s\n", stats.Hashes, kind, stats.Files, bytesHuman(stats.Bytes))
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
func sameFile(path string, kr *keyring.Keyring) bool {
	if kr == nil {
		return false
	}
	a, err1 := os.Stat(path)
	b, err2 := os.Stat(kr.Path())
	return err1 == nil && err2 == nil && os.SameFile(a, b)
}
