package control

import (
	"context"
	"net/http"

	"github.com/leakwatch/leakwatch/internal/alert"
	"github.com/leakwatch/leakwatch/internal/owner"
)

// Outbound is how an installation reaches the outside world: mail,
// webhooks, and the checks of domain proofs. The zero value sends nothing
// (mailed codes and alerts by mail are refused; alerts wait).
type Outbound struct {
	Owner owner.Config
	Alert alert.Config
}

// DomainRequest starts a domain's verification (see owner.Service.AddDomain).
type DomainRequest struct {
	Domain  string `json:"domain"`
	Owner   string `json:"owner"`
	Method  string `json:"method"`
	Mailbox string `json:"mailbox,omitempty"`
}

// SubscribeRequest asks for alerts (see alert.Service.Subscribe).
type SubscribeRequest struct {
	Kind    string `json:"kind"`
	Target  string `json:"target"`
	Webhook string `json:"webhook,omitempty"`
	NoMail  bool   `json:"no_mail,omitempty"`
}

// DeliverReport is what one delivery pass did.
type DeliverReport struct {
	Queued int `json:"queued"`
	Sent   int `json:"sent"`
	Failed int `json:"failed"` // rescheduled, or given up as dead letters
}

// AlertsReport is the state of the alert outbox.
type AlertsReport struct {
	Outbox []alert.Delivery `json:"outbox"`
	Dead   []alert.Delivery `json:"dead"`
}

// SetOutbound sets how the Local mails, posts webhooks and checks proofs.
// Call it before the Local is used.
func (l *Local) SetOutbound(o Outbound) {
	l.out = o
}

// Owners returns the owner service (for the server that shares it).
func (l *Local) Owners() *owner.Service {
	l.initOwners()
	return l.owners
}

// Alerts returns the alert service (for the server that delivers).
func (l *Local) Alerts() *alert.Service {
	l.initOwners()
	return l.alerts
}

func (l *Local) initOwners() {
	l.ownersOnce.Do(func() {
		if l.dir.Keyring == nil {
			return
		}
		l.owners = owner.New(l.dir.Store, l.dir.Keyring, l.out.Owner)
		l.alerts = alert.New(l.dir.Store, l.dir.Keyring, l.owners, l.out.Alert)
	})
}

func (l *Local) ownerService() (*owner.Service, error) {
	if err := l.needKeys(); err != nil {
		return nil, err
	}
	return l.Owners(), nil
}

// AddDomain implements Service.
func (l *Local) AddDomain(ctx context.Context, req DomainRequest) (owner.Domain, error) {
	o, err := l.ownerService()
	if err != nil {
		return owner.Domain{}, err
	}
	d, err := o.AddDomain(ctx, req.Domain, req.Owner, req.Method, req.Mailbox)
	return shown(d), err
}

// VerifyDomain implements Service.
func (l *Local) VerifyDomain(ctx context.Context, domain, code string) (owner.Domain, error) {
	o, err := l.ownerService()
	if err != nil {
		return owner.Domain{}, err
	}
	d, err := o.VerifyDomain(ctx, domain, code)
	return shown(d), err
}

// Domains implements Service.
func (l *Local) Domains(ctx context.Context) ([]owner.Domain, error) {
	o, err := l.ownerService()
	if err != nil {
		return nil, err
	}
	ds, err := o.Domains(ctx)
	for i := range ds {
		ds[i] = shown(ds[i])
	}
	return ds, err
}

// shown is a claim as an operator sees it: without the hash of its code.
func shown(d owner.Domain) owner.Domain {
	d.CodeHash = nil
	return d
}

// RemoveDomain implements Service.
func (l *Local) RemoveDomain(ctx context.Context, domain string) error {
	o, err := l.ownerService()
	if err != nil {
		return err
	}
	return o.RemoveDomain(ctx, domain)
}

// StartAddress implements Service.
func (l *Local) StartAddress(ctx context.Context, email string) (owner.Address, error) {
	o, err := l.ownerService()
	if err != nil {
		return owner.Address{}, err
	}
	a, err := o.StartAddress(ctx, email)
	a.CodeHash = nil
	return a, err
}

// ConfirmAddress implements Service.
func (l *Local) ConfirmAddress(ctx context.Context, email, code string) (owner.Address, error) {
	o, err := l.ownerService()
	if err != nil {
		return owner.Address{}, err
	}
	a, err := o.ConfirmAddress(ctx, email, code)
	a.CodeHash = nil
	return a, err
}

func (l *Local) alertService() (*alert.Service, error) {
	if err := l.needKeys(); err != nil {
		return nil, err
	}
	return l.Alerts(), nil
}

// Subscribe implements Service.
func (l *Local) Subscribe(ctx context.Context, req SubscribeRequest) (alert.Subscription, error) {
	a, err := l.alertService()
	if err != nil {
		return alert.Subscription{}, err
	}
	return a.Subscribe(ctx, req.Kind, req.Target, req.Webhook, req.NoMail)
}

// Subscriptions implements Service. Webhook secrets are not shown again.
func (l *Local) Subscriptions(ctx context.Context) ([]alert.Subscription, error) {
	a, err := l.alertService()
	if err != nil {
		return nil, err
	}
	subs, err := a.Subscriptions(ctx)
	for i := range subs {
		subs[i].Secret = ""
	}
	if subs == nil {
		subs = []alert.Subscription{}
	}
	return subs, err
}

// Unsubscribe implements Service.
func (l *Local) Unsubscribe(ctx context.Context, id string) error {
	a, err := l.alertService()
	if err != nil {
		return err
	}
	return a.Unsubscribe(ctx, id)
}

// AlertOutbox implements Service: deliveries without their webhook
// secrets.
func (l *Local) AlertOutbox(ctx context.Context) (*AlertsReport, error) {
	a, err := l.alertService()
	if err != nil {
		return nil, err
	}
	outbox, dead, err := a.Pending(ctx)
	if err != nil {
		return nil, err
	}
	rep := &AlertsReport{Outbox: []alert.Delivery{}, Dead: []alert.Delivery{}}
	for _, d := range outbox {
		rep.Outbox = append(rep.Outbox, bare(d))
	}
	for _, d := range dead {
		rep.Dead = append(rep.Dead, bare(d))
	}
	return rep, nil
}

func bare(d alert.Delivery) alert.Delivery {
	d.Secret = ""
	return d
}

// RetryAlerts implements Service.
func (l *Local) RetryAlerts(ctx context.Context, id string) (int, error) {
	a, err := l.alertService()
	if err != nil {
		return 0, err
	}
	n, err := a.Retry(ctx, id)
	if err == nil && n > 0 && l.hooks.Committed != nil {
		l.hooks.Committed() // wakes the server's deliverer
	}
	return n, err
}

// DeliverAlerts implements Service.
func (l *Local) DeliverAlerts(ctx context.Context) (*DeliverReport, error) {
	a, err := l.alertService()
	if err != nil {
		return nil, err
	}
	var rep DeliverReport
	if rep.Queued, err = a.Expand(ctx); err != nil {
		return nil, err
	}
	rep.Sent, rep.Failed, err = a.Deliver(ctx)
	return &rep, err
}

// DeliverAlerts implements Service.
func (c *Client) DeliverAlerts(ctx context.Context) (*DeliverReport, error) {
	var out DeliverReport
	return &out, c.call(ctx, "POST", "/v1/alerts/deliver", struct{}{}, &out)
}

// AddDomain implements Service.
func (c *Client) AddDomain(ctx context.Context, req DomainRequest) (owner.Domain, error) {
	var out owner.Domain
	return out, c.call(ctx, "POST", "/v1/domains", req, &out)
}

// VerifyDomain implements Service.
func (c *Client) VerifyDomain(ctx context.Context, domain, code string) (owner.Domain, error) {
	var out owner.Domain
	return out, c.call(ctx, "POST", "/v1/domains/verify", map[string]string{"domain": domain, "code": code}, &out)
}

// Domains implements Service.
func (c *Client) Domains(ctx context.Context) ([]owner.Domain, error) {
	var out []owner.Domain
	return out, c.call(ctx, "GET", "/v1/domains", nil, &out)
}

// RemoveDomain implements Service.
func (c *Client) RemoveDomain(ctx context.Context, domain string) error {
	return c.call(ctx, "POST", "/v1/domains/remove", map[string]string{"domain": domain}, nil)
}

// StartAddress implements Service.
func (c *Client) StartAddress(ctx context.Context, email string) (owner.Address, error) {
	var out owner.Address
	return out, c.call(ctx, "POST", "/v1/addresses", map[string]string{"email": email}, &out)
}

// ConfirmAddress implements Service.
func (c *Client) ConfirmAddress(ctx context.Context, email, code string) (owner.Address, error) {
	var out owner.Address
	return out, c.call(ctx, "POST", "/v1/addresses/confirm", map[string]string{"email": email, "code": code}, &out)
}

// Subscribe implements Service.
func (c *Client) Subscribe(ctx context.Context, req SubscribeRequest) (alert.Subscription, error) {
	var out alert.Subscription
	return out, c.call(ctx, "POST", "/v1/subscriptions", req, &out)
}

// Subscriptions implements Service.
func (c *Client) Subscriptions(ctx context.Context) ([]alert.Subscription, error) {
	var out []alert.Subscription
	return out, c.call(ctx, "GET", "/v1/subscriptions", nil, &out)
}

// Unsubscribe implements Service.
func (c *Client) Unsubscribe(ctx context.Context, id string) error {
	return c.call(ctx, "POST", "/v1/subscriptions/remove", map[string]string{"id": id}, nil)
}

// AlertOutbox implements Service.
func (c *Client) AlertOutbox(ctx context.Context) (*AlertsReport, error) {
	var out AlertsReport
	return &out, c.call(ctx, "GET", "/v1/alerts", nil, &out)
}

// RetryAlerts implements Service.
func (c *Client) RetryAlerts(ctx context.Context, id string) (int, error) {
	var out struct {
		Retried int `json:"retried"`
	}
	return out.Retried, c.call(ctx, "POST", "/v1/alerts/retry", map[string]string{"id": id}, &out)
}

// ownerRoutes adds the admin API of owners and alerts.
func (h *Handler) ownerRoutes() {
	type args struct {
		Domain, Code, Email, ID string
	}
	body := func(r *http.Request) (args, error) {
		var a struct {
			Domain string `json:"domain"`
			Code   string `json:"code"`
			Email  string `json:"email"`
			ID     string `json:"id"`
		}
		err := decode(r, &a)
		return args{a.Domain, a.Code, a.Email, a.ID}, err
	}
	h.handle("POST /v1/domains", func(ctx context.Context, r *http.Request) (any, error) {
		var req DomainRequest
		if err := decode(r, &req); err != nil {
			return nil, err
		}
		return h.svc.AddDomain(ctx, req)
	})
	h.handle("POST /v1/domains/verify", func(ctx context.Context, r *http.Request) (any, error) {
		a, err := body(r)
		if err != nil {
			return nil, err
		}
		return h.svc.VerifyDomain(ctx, a.Domain, a.Code)
	})
	h.handle("GET /v1/domains", func(ctx context.Context, r *http.Request) (any, error) { return h.svc.Domains(ctx) })
	h.handle("POST /v1/domains/remove", func(ctx context.Context, r *http.Request) (any, error) {
		a, err := body(r)
		if err != nil {
			return nil, err
		}
		return struct{}{}, h.svc.RemoveDomain(ctx, a.Domain)
	})
	h.handle("POST /v1/addresses", func(ctx context.Context, r *http.Request) (any, error) {
		a, err := body(r)
		if err != nil {
			return nil, err
		}
		return h.svc.StartAddress(ctx, a.Email)
	})
	h.handle("POST /v1/addresses/confirm", func(ctx context.Context, r *http.Request) (any, error) {
		a, err := body(r)
		if err != nil {
			return nil, err
		}
		return h.svc.ConfirmAddress(ctx, a.Email, a.Code)
	})
	h.handle("POST /v1/subscriptions", func(ctx context.Context, r *http.Request) (any, error) {
		var req SubscribeRequest
		if err := decode(r, &req); err != nil {
			return nil, err
		}
		return h.svc.Subscribe(ctx, req)
	})
	h.handle("GET /v1/subscriptions", func(ctx context.Context, r *http.Request) (any, error) { return h.svc.Subscriptions(ctx) })
	h.handle("POST /v1/subscriptions/remove", func(ctx context.Context, r *http.Request) (any, error) {
		a, err := body(r)
		if err != nil {
			return nil, err
		}
		return struct{}{}, h.svc.Unsubscribe(ctx, a.ID)
	})
	h.handle("GET /v1/alerts", func(ctx context.Context, r *http.Request) (any, error) { return h.svc.AlertOutbox(ctx) })
	h.handle("POST /v1/alerts/deliver", func(ctx context.Context, r *http.Request) (any, error) { return h.svc.DeliverAlerts(ctx) })
	h.handle("POST /v1/alerts/retry", func(ctx context.Context, r *http.Request) (any, error) {
		a, err := body(r)
		if err != nil {
			return nil, err
		}
		n, err := h.svc.RetryAlerts(ctx, a.ID)
		return map[string]int{"retried": n}, err
	})
}
