package control

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/leakwatch/leakwatch/internal/identity"
	"github.com/leakwatch/leakwatch/internal/ingest"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"

	"github.com/leakwatch/leakwatch/internal/vault"
	"github.com/leakwatch/leakwatch/internal/verify"
)

// Verify implements Service.
func (l *Local) Verify(ctx context.Context, breach string) (*verify.Report, error) {
	if l.dir.Keyring == nil {
		return verify.Breach(ctx, l.dir.Store, breach, nil, nil)
	}
	v := vault.New(l.dir.Store, l.dir.Keyring, nil)
	r, err := verify.Breach(ctx, l.dir.Store, breach, v.Open, identity.New(l.dir.Keyring).Domain)
	if err != nil {
		return nil, err
	}
	// The last verification is kept as the breach's provenance.
	id := verify.StoredID(r.Breach)
	sealed, err := v.SealJSON(ctx, id, verify.Stored{At: time.Now().UTC(), Report: r})
	if err != nil {
		return nil, err
	}
	return r, l.dir.Store.WriteRecords(ctx, store.RecordOp{Table: store.TableVerdicts, ID: id, Value: sealed})
}

// LastVerification implements Service: nil if the breach was never
// verified.
func (l *Local) LastVerification(ctx context.Context, breach string) (*verify.Stored, error) {
	if err := l.needKeys(); err != nil {
		return nil, err
	}
	id := verify.StoredID(breach)
	raw, err := l.dir.Store.Record(ctx, store.TableVerdicts, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out verify.Stored
	if err := vault.New(l.dir.Store, l.dir.Keyring, nil).OpenJSON(ctx, store.Record{ID: id, Value: raw}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// LastVerification implements Service.
func (c *Client) LastVerification(ctx context.Context, breach string) (*verify.Stored, error) {
	var out *verify.Stored
	return out, c.call(ctx, "POST", "/v1/verify/last", struct {
		Breach string `json:"breach"`
	}{breach}, &out)
}

// Verify implements Service.
func (c *Client) Verify(ctx context.Context, breach string) (*verify.Report, error) {
	var out verify.Report
	return &out, c.call(ctx, "POST", "/v1/verify", struct {
		Breach string `json:"breach"`
	}{breach}, &out)
}

func (h *Handler) verifyRoutes() {
	h.handle("POST /v1/verify", func(ctx context.Context, r *http.Request) (any, error) {
		var req struct {
			Breach string `json:"breach"`
		}
		if err := decode(r, &req); err != nil {
			return nil, err
		}
		return h.svc.Verify(ctx, req.Breach)
	})
	h.handle("POST /v1/verify/last", func(ctx context.Context, r *http.Request) (any, error) {
		var req struct {
			Breach string `json:"breach"`
		}
		if err := decode(r, &req); err != nil {
			return nil, err
		}
		return h.svc.LastVerification(ctx, req.Breach)
	})
}

// VerifyFiles verifies leak files as the breach req names would be after
// importing them, importing nothing: it imports them into a checkpoint of
// the store (hard links, so cheap) in the data directory, verifies there,
// and removes the copy. Only a data directory opened here can do it.
func (l *Local) VerifyFiles(ctx context.Context, req ImportRequest) (*verify.Report, error) {
	if err := l.needKeys(); err != nil {
		return nil, err
	}
	opts, err := req.options(time.Now())
	if err != nil {
		return nil, err
	}
	// Copies a killed dry run left behind (the data directory is ours).
	if old, _ := filepath.Glob(filepath.Join(l.dataDir, ".verify-*")); len(old) > 0 {
		for _, o := range old {
			os.RemoveAll(o)
		}
	}
	tmp, err := os.MkdirTemp(l.dataDir, ".verify-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	if err := l.dir.Store.Checkpoint(ctx, filepath.Join(tmp, "store")); err != nil {
		return nil, err
	}
	cp, err := pebblestore.Open(filepath.Join(tmp, "store"), pebblestore.Options{CacheSize: 32 << 20})
	if err != nil {
		return nil, err
	}
	defer cp.Close()
	opts.TempDir, opts.Stdin = tmp, req.Stdin
	opts.Exclude = []string{l.dataDir, l.dir.Keyring.Path()}
	opts.Progress, opts.Warn, opts.Failed = nil, nil, nil
	if _, err := ingest.Import(ctx, cp, l.dir.Keyring, req.Paths, opts); err != nil && !errors.Is(err, ingest.ErrNothingToImport) {
		return nil, err
	}
	return verify.Breach(ctx, cp, opts.Breach.Name, vault.New(cp, l.dir.Keyring, nil).Open, identity.New(l.dir.Keyring).Domain)
}
