package daemon

import (
	"context"
	"errors"
	"sort"

	"github.com/leakwatch/leakwatch/internal/alert"
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/control"
	"github.com/leakwatch/leakwatch/internal/exposure"
	"github.com/leakwatch/leakwatch/internal/identity"
	"github.com/leakwatch/leakwatch/internal/owner"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/webui"
)

// uiBackend is what the web interface reads and does, from the server's
// data directory.
type uiBackend struct{ l *control.Local }

var _ webui.Backend = uiBackend{}

func (b uiBackend) Breaches(ctx context.Context) ([]catalog.Breach, error) { return b.l.Breaches(ctx) }

func (b uiBackend) Breach(ctx context.Context, name string) (catalog.Breach, error) {
	br, err := b.l.Breach(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		err = webui.ErrNotFound
	}
	return br, err
}

func (b uiBackend) AccountBreaches(ctx context.Context, account string) ([]catalog.Breach, error) {
	bs, err := b.l.AccountBreaches(ctx, account)
	if errors.Is(err, exposure.ErrBadAccount) {
		err = webui.ErrBadAccount
	}
	return bs, err
}

func (b uiBackend) Operations(ctx context.Context, breach string) (*webui.Operations, error) {
	srcs, err := b.l.Store().Sources(ctx, breach)
	if err != nil {
		return nil, err
	}
	ops := &webui.Operations{}
	for _, s := range srcs {
		ops.Sources = append(ops.Sources, webui.Source{Name: s.Name, Rows: s.Rows})
	}
	rep, err := b.l.Quarantine(ctx, breach, false)
	if err != nil {
		return nil, err
	}
	by := map[string]int64{}
	for _, c := range rep.Counts {
		by[c.Reason] += c.Lines
	}
	for r, n := range by {
		ops.Quarantined = append(ops.Quarantined, webui.ReasonCount{Reason: r, Lines: n})
	}
	sort.Slice(ops.Quarantined, func(i, j int) bool { return ops.Quarantined[i].Reason < ops.Quarantined[j].Reason })
	return ops, nil
}

func (b uiBackend) StartAlerts(ctx context.Context, email string) error {
	_, err := b.l.StartAddress(ctx, email)
	return uiError(err)
}

func (b uiBackend) ConfirmAlerts(ctx context.Context, email, code string) error {
	if _, err := b.l.ConfirmAddress(ctx, email, code); err != nil {
		return uiError(err)
	}
	subs, err := b.l.Alerts().Subscriptions(ctx)
	if err != nil {
		return err
	}
	_, norm, err := b.l.Owners().AccountKey(email)
	if err != nil {
		return uiError(err)
	}
	for _, s := range subs {
		if s.Kind == alert.KindEmail && s.Target == norm {
			return nil // subscribed before
		}
	}
	_, err = b.l.Subscribe(ctx, control.SubscribeRequest{Kind: alert.KindEmail, Target: norm})
	return uiError(err)
}

func (b uiBackend) Verification(ctx context.Context, breach string) (*webui.Verification, error) {
	v, err := b.l.LastVerification(ctx, breach)
	if err != nil || v == nil {
		return nil, err
	}
	head := v.Report.Verdict.Kind
	if v.Report.Verdict.From != "" {
		head += " from " + v.Report.Verdict.From
	}
	return &webui.Verification{At: v.At, Verdict: head, Confidence: v.Report.Verdict.Confidence, Reasons: v.Report.Verdict.Reasons}, nil
}

func uiError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, owner.ErrWrongCode), errors.Is(err, owner.ErrNotFound):
		return webui.ErrWrongCode
	case errors.Is(err, owner.ErrNeedsMailer):
		return webui.ErrNoMail
	case errors.Is(err, exposure.ErrBadAccount), errors.Is(err, identity.ErrBadAccount):
		return webui.ErrBadAccount
	}
	return err
}
