package alert

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/leakwatch/leakwatch/internal/notify"
	"github.com/leakwatch/leakwatch/internal/owner"
	"github.com/leakwatch/leakwatch/internal/store"
)

// Limits of one Deliver pass.
const (
	deliverBatch   = 64               // deliveries read from the outbox at a time
	deliverWorkers = 8                // sent at once
	sendTimeout    = 30 * time.Second // one attempt
)

// errClaimGone fails a domain alert whose claim its owner no longer holds.
var errClaimGone = errors.New("the domain's claim was removed or changed owner since the alert was queued")

// MessageID returns the Message-ID of a delivery's mail: stable, so that
// a message sent again after a crash is the same message.
func MessageID(deliveryID string) string { return "<" + deliveryID + "@leakwatch>" }

// WebhookID returns the webhook-id of a delivery's webhook.
func WebhookID(deliveryID string) string { return "msg_" + deliveryID }

// Deliver sends every delivery that is due, and returns how many were
// sent and how many failed (rescheduled or given up). Deliveries by a
// channel the Config has no sender for wait in the outbox. A delivery is
// removed from the outbox only after it was sent: a crash in between
// sends it again, with the same id.
func (s *Service) Deliver(ctx context.Context) (sent, failed int, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		due, err := s.due(ctx)
		if err != nil || len(due) == 0 {
			return sent, failed, err
		}
		errs := make([]error, len(due))
		var wg sync.WaitGroup
		sem := make(chan struct{}, deliverWorkers)
		for i := range due {
			sem <- struct{}{}
			wg.Go(func() {
				defer func() { <-sem }()
				errs[i] = s.send(ctx, due[i].d)
			})
		}
		wg.Wait()
		if ctx.Err() != nil {
			return sent, failed, ctx.Err()
		}
		var ops []store.RecordOp
		for i, q := range due {
			ops = append(ops, store.RecordOp{Table: store.TableOutbox, ID: q.id, Delete: true})
			if errs[i] == nil {
				sent++
				continue
			}
			failed++
			more, err := s.failed(ctx, q.d, errs[i])
			if err != nil {
				return sent, failed, err
			}
			ops = append(ops, more)
		}
		if err := s.st.WriteRecords(ctx, ops...); err != nil {
			return sent, failed, err
		}
		if len(due) < deliverBatch {
			return sent, failed, nil
		}
	}
}

type queued struct {
	id []byte
	d  Delivery
}

// due reads the first deliveries of the outbox that are due and that a
// sender is configured for.
func (s *Service) due(ctx context.Context) ([]queued, error) {
	now := s.cfg.Now()
	var out []queued
	for r, err := range s.st.Records(ctx, store.TableOutbox, nil) {
		if err != nil {
			return nil, err
		}
		if len(r.ID) != 8+16 || time.Unix(0, int64(binary.BigEndian.Uint64(r.ID))).After(now) {
			break
		}
		var d Delivery
		if err := s.v.OpenJSON(ctx, r, &d); err != nil {
			return nil, err
		}
		if d.Channel == "mail" && s.cfg.Mail == nil || d.Channel == "webhook" && s.cfg.Post == nil {
			continue // its channel is not configured: it waits, no attempt spent
		}
		if out = append(out, queued{r.ID, d}); len(out) == deliverBatch {
			break
		}
	}
	return out, nil
}

// send makes one attempt at a delivery.
func (s *Service) send(ctx context.Context, d Delivery) error {
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	if d.Kind == KindDomain && d.Owner != "" {
		// The claim may have been removed or taken over since the alert
		// was queued: its former owner is told nothing more.
		c, err := s.owners.Domain(ctx, d.Target)
		if errors.Is(err, owner.ErrNotFound) || err == nil && (!c.IsVerified() || c.Owner != d.Owner) {
			return errClaimGone
		} else if err != nil {
			return err
		}
	}
	m, err := s.render(ctx, d)
	if err != nil {
		return err
	}
	switch d.Channel {
	case "mail":
		if s.cfg.Mail == nil {
			return errors.New("no mail server is configured")
		}
		return s.cfg.Mail(ctx, d.To, m.subject, m.text, MessageID(d.ID))
	case "webhook":
		if s.cfg.Post == nil {
			return errors.New("webhooks are not configured")
		}
		return s.cfg.Post(ctx, d.To, d.Secret, WebhookID(d.ID), s.cfg.Now(), m.body)
	}
	return fmt.Errorf("unknown channel %q", d.Channel)
}

// failed returns the write that follows a failed attempt: the delivery
// again later, or among the dead letters.
func (s *Service) failed(ctx context.Context, d Delivery, cause error) (store.RecordOp, error) {
	d.Attempts++
	d.LastError = trim(cause)
	id, err := hex.DecodeString(d.ID)
	if err != nil || len(id) != 16 {
		return store.RecordOp{}, fmt.Errorf("corrupt delivery id")
	}
	if d.Attempts >= MaxAttempts || s.cfg.Permanent(cause) || errors.Is(cause, errClaimGone) {
		sealed, err := s.v.SealJSON(ctx, id, d)
		return store.RecordOp{Table: store.TableDead, ID: id, Value: sealed}, err
	}
	wait := s.cfg.Backoff(d.Attempts)
	if ra, ok := notify.RetryAfter(cause); ok && ra > wait {
		wait = ra // the receiver asked for no sooner (429 or 503 with Retry-After)
	}
	d.Due = s.cfg.Now().Add(wait).UTC()
	oid := outboxID(d.Due, [16]byte(id))
	sealed, err := s.v.SealJSON(ctx, oid, d)
	return store.RecordOp{Table: store.TableOutbox, ID: oid, Value: sealed}, err
}

// Pending returns the deliveries waiting in the outbox, in the order they
// fall due, and the dead letters.
func (s *Service) Pending(ctx context.Context) (outbox, dead []Delivery, err error) {
	for _, t := range []store.Table{store.TableOutbox, store.TableDead} {
		for r, err := range s.st.Records(ctx, t, nil) {
			if err != nil {
				return nil, nil, err
			}
			var d Delivery
			if err := s.v.OpenJSON(ctx, r, &d); err != nil {
				return nil, nil, err
			}
			if t == store.TableOutbox {
				outbox = append(outbox, d)
			} else {
				dead = append(dead, d)
			}
		}
	}
	slices.SortFunc(dead, func(a, b Delivery) int { return a.Created.Compare(b.Created) })
	return outbox, dead, nil
}

// Retry puts dead letters back in the outbox, due now, with their attempts
// reset: the one with id, or every one when id is "". It returns how many.
func (s *Service) Retry(ctx context.Context, id string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ops []store.RecordOp
	n := 0
	for r, err := range s.st.Records(ctx, store.TableDead, nil) {
		if err != nil {
			return 0, err
		}
		if id != "" && hex.EncodeToString(r.ID) != id {
			continue
		}
		var d Delivery
		if err := s.v.OpenJSON(ctx, r, &d); err != nil {
			return 0, err
		}
		d.Attempts, d.Due = 0, s.cfg.Now().UTC()
		oid := outboxID(d.Due, [16]byte(r.ID))
		sealed, err := s.v.SealJSON(ctx, oid, d)
		if err != nil {
			return 0, err
		}
		ops = append(ops, store.RecordOp{Table: store.TableDead, ID: r.ID, Delete: true},
			store.RecordOp{Table: store.TableOutbox, ID: oid, Value: sealed})
		n++
	}
	if id != "" && n == 0 {
		return 0, ErrNotFound
	}
	return n, s.st.WriteRecords(ctx, ops...)
}

// Run expands and delivers until ctx is done: at once when wake fires (an
// import committed), else every poll.
func (s *Service) Run(ctx context.Context, wake <-chan struct{}, poll time.Duration, log *slog.Logger) {
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		if n, err := s.Expand(ctx); err != nil && ctx.Err() == nil {
			log.Error("queueing alerts", "err", err)
		} else if n > 0 {
			log.Info("alerts queued", "deliveries", n)
		}
		if sent, failed, err := s.Deliver(ctx); err != nil && ctx.Err() == nil {
			log.Error("delivering alerts", "err", err)
		} else if sent+failed > 0 {
			log.Info("alerts delivered", "sent", sent, "failed", failed)
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-t.C:
		}
	}
}
