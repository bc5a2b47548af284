package control

import (
	"context"
	"net/http"

	"github.com/leakwatch/leakwatch/internal/vault"
	"github.com/leakwatch/leakwatch/internal/verify"
)

// Verify implements Service.
func (l *Local) Verify(ctx context.Context, breach string) (*verify.Report, error) {
	var open verify.Opener
	if l.dir.Keyring != nil {
		open = vault.New(l.dir.Store, l.dir.Keyring, nil).Open
	}
	return verify.Breach(ctx, l.dir.Store, breach, open)
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
}
