package alert

import (
	"cmp"
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/owner"
	"github.com/leakwatch/leakwatch/internal/store"
)

// flushEvery bounds the deliveries an expansion holds before writing them
// (about 1 KiB each): a breach that hits a million subscribers is queued
// in bounded memory, with a synced write per flushEvery.
const flushEvery = 4096

// Expand turns the events of import commits into deliveries, and returns
// how many it queued. An address is told of a breach once, however many
// imports add to it; a domain's owner again when more of its addresses
// are found in it. Expand is idempotent: run again after a crash, it
// queues nothing twice.
func (s *Service) Expand(ctx context.Context) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	queued := 0
	for r, err := range s.st.Records(ctx, store.TableEvents, nil) {
		if err != nil {
			return queued, err
		}
		n, err := s.expandEvent(ctx, r.Value)
		queued += n
		if err != nil {
			return queued, err
		}
		if err := s.st.WriteRecords(ctx, store.RecordOp{Table: store.TableEvents, ID: r.ID, Delete: true}); err != nil {
			return queued, err
		}
	}
	return queued, nil
}

// expansion collects the writes of one event's deliveries.
type expansion struct {
	s      *Service
	breach catalog.Breach
	ops    []store.RecordOp
	queued int
}

func (s *Service) expandEvent(ctx context.Context, raw []byte) (int, error) {
	var ev Event
	if err := json.Unmarshal(raw, &ev); err != nil {
		return 0, nil // not an event of this package's; nothing to do
	}

	b, err := s.st.Breach(ctx, ev.Breach)
	if errors.Is(err, store.ErrNotFound) || err == nil && b.IsRetired {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	// Subscriptions are read in order and handed to one expansion per
	// core: each reads, opens and seals on its own and writes its own
	// batches (a delivery and its sent mark always in one write).
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	work := make(chan store.Record, 256)
	xs := make([]*expansion, max(1, runtime.GOMAXPROCS(0)))
	var wg sync.WaitGroup
	for i := range xs {
		x := &expansion{s: s, breach: b}
		xs[i] = x
		wg.Go(func() {
			for r := range work {
				if err := x.subscription(ctx, r, ev); err != nil {
					cancel(err)
					return
				}
				if len(x.ops) >= 2*flushEvery {
					if err := x.flush(ctx); err != nil {
						cancel(err)
						return
					}
				}
			}
			if err := x.flush(ctx); err != nil {
				cancel(err)
			}
		})
	}
	var readErr error
	for r, err := range s.st.Records(ctx, store.TableSubscriptions, nil) {
		if err != nil {
			readErr = err
			break
		}
		select {
		case work <- r:
			continue
		case <-ctx.Done():
		}
		break
	}
	close(work)
	wg.Wait()
	queued := 0
	for _, x := range xs {
		queued += x.queued
	}
	if readErr != nil {
		return queued, readErr
	}
	return queued, context.Cause(ctx)
}

func (x *expansion) flush(ctx context.Context) error {
	if len(x.ops) == 0 {
		return nil
	}
	err := x.s.st.WriteRecords(ctx, x.ops...)
	x.ops = x.ops[:0]
	return err
}

// sentID is the id of the record that a subscription was told of a breach.
func sentID(sub []byte, breach string) []byte {
	return append(append([]byte(nil), sub...), strings.ToLower(breach)...)
}

func (x *expansion) subscription(ctx context.Context, r store.Record, ev Event) error {
	st := x.s.st
	sent := sentID(r.ID, x.breach.Name)
	prev := int64(0)
	switch v, err := st.Record(ctx, store.TableSent, sent); {
	case err == nil && len(v) == 8:
		prev = int64(binary.BigEndian.Uint64(v))
	case err == nil:
		return nil // an address told already
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	var count int64
	switch r.ID[0] {
	case 'e':
		if prev > 0 || len(r.ID) != 1+16+8 {
			return nil
		}
		in, err := x.inBreach(ctx, store.AccountKey(r.ID[1:17]))
		if err != nil || !in {
			return err
		}
		count = 1
	case 'd':
		if len(r.ID) != 1+8+8 {
			return nil
		}
		for a, err := range st.DomainAccounts(ctx, store.DomainTag(r.ID[1:9])) {
			if err != nil {
				return err
			}
			in, err := x.inBreach(ctx, a.Key)
			if err != nil {
				return err
			}
			if in {
				count++
			}
		}
		if count <= prev {
			return nil
		}
	default:
		return nil
	}
	var sub Subscription
	if err := x.s.v.OpenJSON(ctx, r, &sub); err != nil {
		return err
	}
	if sub.Created.After(ev.At) {
		return nil // subscribed after the commit: not news to them
	}
	if sub.Kind == KindDomain {
		// The claim may have been removed, or taken by another owner,
		// since the subscription was made: tell nobody then. A webhook
		// alone names no owner; subscriptions made before Owner was kept
		// are known by where their mail goes.
		who := sub.Owner
		if who == "" {
			who = sub.MailTo
		}
		d, err := x.s.owners.Domain(ctx, sub.Target)
		if errors.Is(err, owner.ErrNotFound) || err == nil && (!d.IsVerified() || d.Owner != who) {
			return nil
		} else if err != nil {
			return err
		}
	}
	now := x.s.cfg.Now().UTC()
	for _, d := range x.s.messages(sub, x.breach, count, now) {
		id, err := hex.DecodeString(d.ID)
		if err != nil {
			return err
		}
		oid := outboxID(now, [16]byte(id))
		sealed, err := x.s.v.SealJSON(ctx, oid, d)
		if err != nil {
			return err
		}
		x.ops = append(x.ops, store.RecordOp{Table: store.TableOutbox, ID: oid, Value: sealed})
		x.queued++
	}
	mark := []byte{1}
	if sub.Kind == KindDomain {
		mark = binary.BigEndian.AppendUint64(nil, uint64(count))
	}
	x.ops = append(x.ops, store.RecordOp{Table: store.TableSent, ID: sent, Value: mark})
	return nil
}

// inBreach reports whether an account is in the expansion's breach.
func (x *expansion) inBreach(ctx context.Context, k store.AccountKey) (bool, error) {
	return x.s.st.AccountInBreach(ctx, k, x.breach.Name)
}

// messages returns the deliveries that tell a subscriber of a breach:
// one per channel. count is the number of the domain's addresses in it.
func (s *Service) messages(sub Subscription, b catalog.Breach, count int64, now time.Time) []Delivery {
	var out []Delivery
	if sub.MailTo != "" {
		out = append(out, Delivery{Channel: "mail", To: sub.MailTo})
	}
	if sub.Webhook != "" {
		out = append(out, Delivery{Channel: "webhook", To: sub.Webhook, Secret: sub.Secret})
	}
	for i := range out {
		d := &out[i]
		id := deliveryID(sub.ID, strings.ToLower(b.Name), fmt.Sprint(count), d.Channel)
		d.ID, d.Subscription, d.Breach, d.Due, d.Created = hex.EncodeToString(id[:]), sub.ID, b.Name, now, now
		d.Kind, d.Target, d.Count = sub.Kind, sub.Target, count
		if sub.Kind == KindDomain {
			d.Owner = cmp.Or(sub.Owner, sub.MailTo)
		}
	}
	return out
}

// message is a delivery written out: a mail's subject and text, or a
// webhook's JSON body. It is the same for every attempt (the webhook's
// timestamp field is when the delivery was queued).
type message struct {
	subject, text string
	body          []byte
}

// render writes a delivery's message from the breach as the catalog has
// it now.
func (s *Service) render(ctx context.Context, d Delivery) (message, error) {
	b, err := s.st.Breach(ctx, d.Breach)
	if err != nil {
		return message{}, fmt.Errorf("breach of a delivery: %w", err)
	}
	// Without a public URL there is nothing to link to: a path alone is
	// no link in a mail.
	link := ""
	if s.cfg.PublicURL != "" {
		link = strings.TrimRight(s.cfg.PublicURL, "/") + "/api/v3/breach/" + url.PathEscape(b.Name)
	}
	var m message
	var lead string
	title := oneLine(b.Title) // a mail's Subject may hold no control character
	data := map[string]any{"subscription": d.Subscription, "breach": breachSummary(b)}
	if link != "" {
		data["url"] = link
	}
	typ := "breach.email"
	if d.Kind == KindDomain {
		typ = "breach.domain"
		if d.Count == 1 {
			m.subject = fmt.Sprintf("1 address at %s is in the %s breach", d.Target, title)
			lead = fmt.Sprintf("1 address at %s, a domain you verified, is in a breach.", d.Target)
		} else {
			m.subject = fmt.Sprintf("%d addresses at %s are in the %s breach", d.Count, d.Target, title)
			lead = fmt.Sprintf("%d addresses at %s, a domain you verified, are in a breach.", d.Count, d.Target)
		}
		data["domain"], data["count"] = d.Target, d.Count
	} else {
		m.subject = fmt.Sprintf("Your address is in the %s breach", title)
		lead = fmt.Sprintf("%s is in a breach.", d.Target)
		data["email"] = d.Target
	}
	var text strings.Builder
	fmt.Fprintf(&text, "%s\n\nBreach: %s\n", lead, title)
	if b.Domain != "" {
		fmt.Fprintf(&text, "Site: %s\n", b.Domain)
	}
	if b.BreachDate != "" {
		fmt.Fprintf(&text, "Breach date: %s\n", b.BreachDate)
	}
	fmt.Fprintf(&text, "Added: %s\n", b.AddedDate.UTC().Format(time.DateOnly))
	if len(b.DataClasses) > 0 {
		fmt.Fprintf(&text, "Compromised data: %s\n", strings.Join(b.DataClasses, ", "))
	}
	if link != "" {
		fmt.Fprintf(&text, "\nDetails: %s\n", link)
	}
	if b.IsStealerLog {
		text.WriteString("\nThis breach is of infostealer logs: a device that signed in was infected with malware. Clean the device before you change passwords.\n")
	}
	fmt.Fprintf(&text, "\nYou get this message because of subscription %s.\n", d.Subscription)
	m.text = text.String()
	m.body, err = json.Marshal(map[string]any{"type": typ, "timestamp": d.Created.UTC().Format(time.RFC3339), "data": data})
	return m, err
}

// oneLine returns s with each control character (C0, DEL, C1) replaced by
// a space: a breach's title as a line of a message.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}
