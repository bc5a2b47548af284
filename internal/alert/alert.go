// Package alert tells subscribers when an import puts them in a breach,
// and never loses or doubles a message.
//
// An import's commit writes an event (EncodeEvent, store.Manifest.Event)
// in the same atomic write as its facts, so no commit can lose its alerts.
// Expand turns each event into deliveries, one per subscriber and channel,
// in the durable outbox (store.TableOutbox); Deliver sends what is due by
// mail (SMTP) or signed webhook, retries with backoff and jitter, and
// after MaxAttempts moves a delivery to the dead letters
// (store.TableDead), from which Retry brings it back. A delivery's id is
// derived from what it is about, so a message sent again after a crash
// carries the same Message-ID or webhook-id, and a receiver drops it.
package alert

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	mathrand "math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/leakwatch/leakwatch/internal/account"
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/identity"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/notify"
	"github.com/leakwatch/leakwatch/internal/owner"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/vault"
)

// MaxAttempts is how often a delivery is tried before it is a dead letter.
const MaxAttempts = 8

// Event is what an import's commit leaves for alerts.
type Event struct {
	Breach string    `json:"breach"`
	At     time.Time `json:"at"`
}

// EncodeEvent returns the event of a commit into breach at a time, for
// store.Manifest.Event.
func EncodeEvent(breach string, at time.Time) []byte {
	b, _ := json.Marshal(Event{Breach: breach, At: at.UTC()})
	return b
}

// Kinds of subscription.
const (
	KindEmail  = "email"  // an address, confirmed by its holder
	KindDomain = "domain" // a domain, verified by its owner
)

// Subscription asks for alerts about an address or a domain.
type Subscription struct {
	ID      string    `json:"id"`
	Kind    string    `json:"kind"`
	Target  string    `json:"target"`            // the address or domain, normalised
	MailTo  string    `json:"mail_to,omitempty"` // where mail goes ("" for none)
	Owner   string    `json:"owner,omitempty"`   // for a domain, its owner when subscribed
	Webhook string    `json:"webhook,omitempty"` // where webhooks go ("" for none)
	Secret  string    `json:"secret,omitempty"`  // the webhook's signing secret (whsec_...)
	Created time.Time `json:"created"`
}

// Delivery is one message to one subscriber by one channel.
type Delivery struct {
	ID           string `json:"id"` // stable: the Message-ID and webhook-id derive from it
	Subscription string `json:"subscription"`
	Breach       string `json:"breach"`
	Channel      string `json:"channel"` // "mail" or "webhook"
	To           string `json:"to"`      // the address or URL
	Secret       string `json:"secret,omitempty"`
	// What the message is about: the subscription's kind and target, and
	// for a domain the number of its addresses in the breach. The message
	// itself is written when it is sent (render), so the outbox stays
	// small however many alerts a breach makes.
	Kind   string `json:"kind"`
	Target string `json:"target"`
	Count  int64  `json:"count,omitempty"`
	// Owner is, for a domain, whose claim the alert is about: it is sent
	// only while that owner still holds the verified domain.
	Owner     string    `json:"owner,omitempty"`
	Attempts  int       `json:"attempts"`
	LastError string    `json:"last_error,omitempty"`
	Due       time.Time `json:"due"`
	Created   time.Time `json:"created"`
}

// Config is what a Service needs to send.
type Config struct {
	// Mail sends a message with a stable Message-ID; Post sends a signed
	// webhook with a stable id (notify.SMTP.Send and notify.Webhook.Send).
	// Nil refuses that channel: its deliveries wait.
	Mail func(ctx context.Context, to, subject, text, messageID string) error
	Post func(ctx context.Context, url, secret, id string, ts time.Time, body []byte) error
	// Permanent reports an error that retrying cannot fix (the delivery
	// goes straight to the dead letters); Backoff the wait before the
	// next attempt, unless the receiver asked for longer (notify.RetryAfter).
	// Defaults: notify.IsPermanent; notify.Backoff (exponential with full
	// jitter).
	Permanent func(error) bool
	Backoff   func(attempt int) time.Duration
	// PublicURL is where users reach leakwatch; messages link to it.
	PublicURL string
	Now       func() time.Time
	Rand      io.Reader
}

// Service keeps subscriptions and delivers alerts. It is safe for
// concurrent use; one process should run Expand and Deliver at a time.
type Service struct {
	st     store.Store
	kr     *keyring.Keyring
	owners *owner.Service
	v      *vault.Vault
	cfg    Config

	mu sync.Mutex // serialises Expand and Deliver
}

// New returns a Service.
func New(st store.Store, kr *keyring.Keyring, owners *owner.Service, cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	if cfg.Permanent == nil {
		cfg.Permanent = notify.IsPermanent
	}
	if cfg.Backoff == nil {
		jitter := mathrand.New(mathrand.NewPCG(mathrand.Uint64(), mathrand.Uint64()))
		var mu sync.Mutex
		cfg.Backoff = func(attempt int) time.Duration {
			mu.Lock()
			defer mu.Unlock()
			return notify.Backoff(attempt, jitter.Float64)
		}
	}
	return &Service{st: st, kr: kr, owners: owners, v: vault.New(st, kr, cfg.Rand), cfg: cfg}
}

// Errors callers branch on.
var (
	ErrNotVerified = errors.New("not verified: confirm the address or verify the domain first")
	ErrNoChannel   = errors.New("a subscription needs mail or a webhook")
	ErrNotFound    = errors.New("no such subscription or delivery")
	ErrBadWebhook  = errors.New("bad webhook URL")
)

// Subscribe adds a subscription to an address (kind email: mail goes to
// the address itself, which its holder must have confirmed) or to a domain
// (kind domain: mail goes to the domain's verified owner). webhook, if
// set, gets signed JSON too; noMail leaves the webhook alone. The
// subscription returned carries the webhook's secret, shown once.
func (s *Service) Subscribe(ctx context.Context, kind, target, webhook string, noMail bool) (Subscription, error) {
	sub := Subscription{Kind: kind, Webhook: webhook, Created: s.cfg.Now().UTC()}
	switch kind {
	case KindEmail:
		a, err := s.owners.Address(ctx, target)
		if errors.Is(err, owner.ErrNotFound) || err == nil && !a.IsVerified() {
			return Subscription{}, ErrNotVerified
		} else if err != nil {
			return Subscription{}, err
		}
		sub.Target = a.Email
		if !noMail {
			sub.MailTo = a.Email
		}
	case KindDomain:
		d, err := s.owners.Domain(ctx, target)
		if errors.Is(err, owner.ErrNotFound) || err == nil && !d.IsVerified() {
			return Subscription{}, ErrNotVerified
		} else if err != nil {
			return Subscription{}, err
		}
		sub.Target, sub.Owner = d.Name, d.Owner
		if !noMail {
			sub.MailTo = d.Owner
		}
	default:
		return Subscription{}, fmt.Errorf("unknown subscription kind %q (want email or domain)", kind)
	}
	if webhook != "" {
		if err := notify.CheckWebhookURL(webhook); err != nil {
			return Subscription{}, fmt.Errorf("%w: the webhook must be an https URL (http only to a loopback host)", ErrBadWebhook)
		}
		var err error
		if sub.Secret, err = notify.NewSecret(s.cfg.Rand); err != nil {
			return Subscription{}, err
		}
	}
	if sub.MailTo == "" && sub.Webhook == "" {
		return Subscription{}, ErrNoChannel
	}
	// The same subscription twice would alert twice: it is returned as it is.
	if same, err := s.find(ctx, sub); err != nil {
		return Subscription{}, err
	} else if same != nil {
		return *same, nil
	}
	id := make([]byte, 8)
	if _, err := io.ReadFull(s.cfg.Rand, id); err != nil {
		return Subscription{}, err
	}
	sub.ID = hex.EncodeToString(id)
	rid := s.subscriptionID(sub.Kind, sub.Target, id)
	sealed, err := s.v.SealJSON(ctx, rid, sub)
	if err != nil {
		return Subscription{}, err
	}
	return sub, s.st.WriteRecords(ctx, store.RecordOp{Table: store.TableSubscriptions, ID: rid, Value: sealed})
}

// find returns the subscription to the same target by the same channels
// as sub, or nil.
func (s *Service) find(ctx context.Context, sub Subscription) (*Subscription, error) {
	prefix := s.subscriptionID(sub.Kind, sub.Target, nil)
	for r, err := range s.st.Records(ctx, store.TableSubscriptions, prefix) {
		if err != nil {
			return nil, err
		}
		var old Subscription
		if err := s.v.OpenJSON(ctx, r, &old); err != nil {
			return nil, err
		}
		if old.Kind == sub.Kind && old.Target == sub.Target && old.Owner == sub.Owner && old.MailTo == sub.MailTo && old.Webhook == sub.Webhook {
			return &old, nil
		}
	}
	return nil, nil
}

// subscriptionID is a subscription's record id: its kind, the keyed tag
// of its target and its own id, so the store learns no address.
func (s *Service) subscriptionID(kind, target string, id []byte) []byte {
	if kind == KindEmail {
		k := s.kr.AccountKey(account.KindEmail, []byte(target))
		return slices.Concat([]byte{'e'}, k[:], id)
	}
	t := identity.New(s.kr).Domain([]byte(target))
	return slices.Concat([]byte{'d'}, t[:], id)
}

// Subscriptions returns every subscription, secrets included.
func (s *Service) Subscriptions(ctx context.Context) ([]Subscription, error) {
	var out []Subscription
	for r, err := range s.st.Records(ctx, store.TableSubscriptions, nil) {
		if err != nil {
			return nil, err
		}
		var sub Subscription
		if err := s.v.OpenJSON(ctx, r, &sub); err != nil {
			return nil, err
		}
		out = append(out, sub)
	}
	slices.SortFunc(out, func(a, b Subscription) int { return a.Created.Compare(b.Created) })
	return out, nil
}

// Unsubscribe removes a subscription by id; ErrNotFound if there is none.
// Its deliveries not yet made are dropped, dead letters included; it
// waits for a Deliver pass under way.
func (s *Service) Unsubscribe(ctx context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ops []store.RecordOp
	for r, err := range s.st.Records(ctx, store.TableSubscriptions, nil) {
		if err != nil {
			return err
		}
		if hex.EncodeToString(r.ID[len(r.ID)-8:]) == id {
			ops = append(ops, store.RecordOp{Table: store.TableSubscriptions, ID: slices.Clone(r.ID), Delete: true})
			break
		}
	}
	if ops == nil {
		return ErrNotFound
	}
	for _, t := range []store.Table{store.TableOutbox, store.TableDead} {
		for r, err := range s.st.Records(ctx, t, nil) {
			if err != nil {
				return err
			}
			var d Delivery
			if err := s.v.OpenJSON(ctx, r, &d); err != nil {
				return err
			}
			if d.Subscription == id {
				ops = append(ops, store.RecordOp{Table: t, ID: slices.Clone(r.ID), Delete: true})
			}
		}
	}
	return s.st.WriteRecords(ctx, ops...)
}

// deliveryID derives a delivery's id from what it is about.
func deliveryID(parts ...string) [16]byte {
	h := sha256.New()
	for _, p := range parts {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(p)))
		h.Write(n[:])
		h.Write([]byte(p))
	}
	return [16]byte(h.Sum(nil))
}

// outboxID is a delivery's outbox record id: when it is due, then its id,
// so that the outbox reads in the order deliveries fall due.
func outboxID(due time.Time, id [16]byte) []byte {
	return append(binary.BigEndian.AppendUint64(nil, uint64(due.UnixNano())), id[:]...)
}

// breachSummary is what a message says of a breach: never a password,
// nor anything from its records.
func breachSummary(b catalog.Breach) map[string]any {
	classes := b.DataClasses
	if classes == nil {
		classes = []string{}
	}
	return map[string]any{
		"Name": b.Name, "Title": b.Title, "Domain": b.Domain, "BreachDate": b.BreachDate,
		"AddedDate": b.AddedDate, "PwnCount": b.PwnCount, "DataClasses": classes,
		"IsVerified": b.IsVerified, "IsSensitive": b.IsSensitive, "IsStealerLog": b.IsStealerLog,
	}
}

// trim keeps a logged error short and one line.
func trim(err error) string {
	s := strings.ReplaceAll(err.Error(), "\n", " ")
	if len(s) > 300 {
		s = s[:300]
	}
	return s
}
