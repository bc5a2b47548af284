package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/leakwatch/leakwatch/internal/api"
	"github.com/leakwatch/leakwatch/internal/exposure"
	"github.com/leakwatch/leakwatch/internal/pwned"
	"github.com/leakwatch/leakwatch/internal/store"
)

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", "serve [--addr 127.0.0.1:8080] [--tls-cert F --tls-key F | --tls-self-signed] [--rpm N] [--log-level info]")
	cfg := api.Config{}
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:8080", "listen address")
	fs.StringVar(&cfg.TLSCert, "tls-cert", "", "PEM certificate chain (TLS 1.3, X25519MLKEM768 preferred)")
	fs.StringVar(&cfg.TLSKey, "tls-key", "", "PEM private key of --tls-cert")
	fs.BoolVar(&cfg.TLSSelfSigned, "tls-self-signed", false, "serve TLS with a certificate generated at start for localhost")
	fs.IntVar(&cfg.DefaultRPM, "rpm", 60, "rate limit of API keys created without one, requests per minute")
	fs.StringVar(&cfg.RangeCache, "range-cache", "", "directory for the compact range packs built at start (default: the data directory; \"off\" serves ranges from the store)")
	level := fs.String("log-level", "info", "log level: debug, info, warn, error")
	if pos, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usageError{"serve takes no arguments"}
	}
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(*level)); err != nil {
		return usageError{fmt.Sprintf("bad --log-level %q", *level)}
	}
	cfg.Logger = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: lv}))
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
	st, kr, err := e.openSealed(ctx, true, servingStoreOptions)
	if err != nil {
		return err
	}
	defer st.Close()
	return serveStore(ctx, e, st, exposure.New(st, kr), cfg, func(url string) {
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

func cmdKeys(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usageError{"usage: leakwatch keys create NAME [--rpm N] | keys list | keys revoke NAME"}
	}
	sub := args[0]
	fs := newFlags(e, "keys "+sub, "keys create NAME [--rpm N] | keys list | keys revoke NAME")
	rpm := fs.Int("rpm", 0, "requests per minute (default: the server's --rpm)")
	pos, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	st, err := e.openStore(sub == "create")
	if err != nil {
		return err
	}
	defer st.Close()
	switch {
	case sub == "create" && len(pos) == 1:
		secret, err := api.CreateKey(ctx, st, pos[0], *rpm, rand.Reader)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, secret)
		fmt.Fprintf(e.stderr, "leakwatch: created API key %q; clients send it in the hibp-api-key header. It is shown only now.\n", pos[0])
		return nil
	case sub == "list" && len(pos) == 0:
		keys, err := api.ListKeys(ctx, st)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tRPM\tCREATED")
		for _, k := range keys {
			r := "default"
			if k.RPM > 0 {
				r = fmt.Sprint(k.RPM)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", k.Name, r, k.Created.UTC().Format(time.RFC3339))
		}
		return tw.Flush()
	case sub == "revoke" && len(pos) == 1:
		err := api.RevokeKey(ctx, st, pos[0])
		if errors.Is(err, api.ErrNoSuchKey) {
			return withHint(fmt.Errorf("no API key named %q", pos[0]), "leakwatch keys list shows them")
		}
		if err == nil {
			fmt.Fprintf(e.stdout, "revoked %s\n", pos[0])
		}
		return err
	}
	return usageError{"usage: leakwatch keys create NAME [--rpm N] | keys list | keys revoke NAME"}
}

func cmdExport(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "pwned-passwords" {
		return usageError{"usage: leakwatch export pwned-passwords --mode sha1|ntlm --out PATH [--split]"}
	}
	fs := newFlags(e, "export pwned-passwords", "export pwned-passwords --mode sha1|ntlm --out PATH [--split]")
	mode := fs.String("mode", "sha1", "hash corpus: sha1 or ntlm")
	out := fs.String("out", "", "output file, or directory with --split")
	split := fs.Bool("split", false, "write one PREFIX.txt per range prefix (for static hosting)")
	pos, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) > 0 || *out == "" {
		return usageError{"usage: leakwatch export pwned-passwords --mode sha1|ntlm --out PATH [--split]"}
	}
	var kind store.HashKind
	switch strings.ToLower(*mode) {
	case "sha1":
		kind = store.SHA1
	case "ntlm":
		kind = store.NTLM
	default:
		return usageError{fmt.Sprintf("unknown --mode %q (want sha1 or ntlm)", *mode)}
	}
	st, err := e.openStore(false)
	if err != nil {
		return err
	}
	defer st.Close()
	stats, err := pwned.Export(ctx, st, kind, *out, *split)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "exported %d %s hashes in %d file(s), %s\n", stats.Hashes, kind, stats.Files, bytesHuman(stats.Bytes))
	return nil
}
