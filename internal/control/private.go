package control

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/leakwatch/leakwatch/internal/privateindex"
	"github.com/leakwatch/leakwatch/internal/vault"
)

// PrivateRequest asks for private-check work: enabling it, building its
// index, or rotating its key.
type PrivateRequest struct {
	// Enable only: the first epoch's bucket length, or the pairs it is
	// sized for.
	BucketBits    int `json:"bucket_bits,omitempty"`
	ExpectedPairs int `json:"expected_pairs,omitempty"`
	// Build and rotate: hashing goroutines (0: the import limits').
	Workers int `json:"workers,omitempty"`
	// Rotate only: how long the previous epoch is still answered.
	Grace time.Duration `json:"grace_ns,omitempty"`
}

// Private returns the private check's index (for the server that answers
// it), nil without the key file.
func (l *Local) Private() *privateindex.Index {
	l.privateOnce.Do(func() {
		if l.dir.Keyring != nil {
			l.private = privateindex.New(l.dir.Store, vault.New(l.dir.Store, l.dir.Keyring, nil), nil)
		}
	})
	return l.private
}

func (l *Local) privateIndex() (*privateindex.Index, error) {
	if err := l.needKeys(); err != nil {
		return nil, err
	}
	return l.Private(), nil
}

// PrivateEnable implements Service.
func (l *Local) PrivateEnable(ctx context.Context, req PrivateRequest) (privateindex.Status, error) {
	ix, err := l.privateIndex()
	if err != nil {
		return privateindex.Status{}, err
	}
	st, err := ix.Enable(ctx, privateindex.EnableOptions{BucketBits: req.BucketBits, ExpectedPairs: req.ExpectedPairs})
	if err != nil {
		return st, badRequestIf(err)
	}
	if l.hooks.Committed != nil {
		l.hooks.Committed() // wakes the server's builder for the canary
	}
	return st, nil
}

// PrivateStatus implements Service.
func (l *Local) PrivateStatus(ctx context.Context) (privateindex.Status, error) {
	ix, err := l.privateIndex()
	if err != nil {
		return privateindex.Status{}, err
	}
	return ix.Status(ctx)
}

// PrivateBuild implements Service.
func (l *Local) PrivateBuild(ctx context.Context, req PrivateRequest, progress func(privateindex.Progress)) (privateindex.Status, error) {
	ix, err := l.privateIndex()
	if err != nil {
		return privateindex.Status{}, err
	}
	st, err := ix.Build(ctx, l.privateOptions(req, progress))
	return st, badRequestIf(err)
}

// PrivateRotate implements Service.
func (l *Local) PrivateRotate(ctx context.Context, req PrivateRequest, progress func(privateindex.Progress)) (privateindex.Status, error) {
	ix, err := l.privateIndex()
	if err != nil {
		return privateindex.Status{}, err
	}
	o := l.privateOptions(req, progress)
	o.Grace, o.BucketBits = req.Grace, req.BucketBits
	st, err := ix.Rotate(ctx, o)
	if err != nil {
		return st, badRequestIf(err)
	}
	return st, nil
}

func (l *Local) privateOptions(req PrivateRequest, progress func(privateindex.Progress)) privateindex.BuildOptions {
	return privateindex.BuildOptions{Workers: l.limits.Share(req.Workers).Goroutines, Progress: progress}
}

// badRequestIf marks the private index's refusals as the user's to fix.
func badRequestIf(err error) error {
	if errors.Is(err, privateindex.ErrDisabled) || errors.Is(err, privateindex.ErrInvalid) {
		return badRequest(err)
	}
	return err
}

// PrivateEnable implements Service.
func (c *Client) PrivateEnable(ctx context.Context, req PrivateRequest) (privateindex.Status, error) {
	var out privateindex.Status
	return out, c.call(ctx, "POST", "/v1/private/enable", req, &out)
}

// PrivateStatus implements Service.
func (c *Client) PrivateStatus(ctx context.Context) (privateindex.Status, error) {
	var out privateindex.Status
	return out, c.call(ctx, "GET", "/v1/private", nil, &out)
}

// PrivateBuild implements Service. The server reports no progress over
// the admin API: the call returns when the build is done.
func (c *Client) PrivateBuild(ctx context.Context, req PrivateRequest, _ func(privateindex.Progress)) (privateindex.Status, error) {
	var out privateindex.Status
	return out, c.call(ctx, "POST", "/v1/private/build", req, &out)
}

// PrivateRotate implements Service, without progress as PrivateBuild.
func (c *Client) PrivateRotate(ctx context.Context, req PrivateRequest, _ func(privateindex.Progress)) (privateindex.Status, error) {
	var out privateindex.Status
	return out, c.call(ctx, "POST", "/v1/private/rotate", req, &out)
}

func (h *Handler) privateRoutes() {
	h.handle("GET /v1/private", func(ctx context.Context, r *http.Request) (any, error) { return h.svc.PrivateStatus(ctx) })
	post := func(pattern string, f func(context.Context, PrivateRequest) (privateindex.Status, error)) {
		h.handle("POST "+pattern, func(ctx context.Context, r *http.Request) (any, error) {
			var req PrivateRequest
			if err := decode(r, &req); err != nil {
				return nil, err
			}
			return f(ctx, req)
		})
	}
	post("/v1/private/enable", h.svc.PrivateEnable)
	post("/v1/private/build", func(ctx context.Context, req PrivateRequest) (privateindex.Status, error) {
		return h.svc.PrivateBuild(ctx, req, nil)
	})
	post("/v1/private/rotate", func(ctx context.Context, req PrivateRequest) (privateindex.Status, error) {
		return h.svc.PrivateRotate(ctx, req, nil)
	})
}
