package ingest

import (
	"context"

	"github.com/leakwatch/leakwatch/internal/account"
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/identity"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/pwhash"
	"github.com/leakwatch/leakwatch/internal/store"
)

// worker turns batches of records into facts. Each worker has its own
// deriver and buffers; facts are reused from batch to batch.
type worker struct {
	p     *pipeline
	d     *identity.Deriver
	s     *keyring.Sealer
	facts store.Facts
	norm  []byte
	seal  []byte
	raw   []byte
}

func newWorker(p *pipeline) *worker {
	return &worker{p: p, d: identity.New(p.kr), s: p.dk.NewSealer(), seal: make([]byte, 0, 256<<10)}
}

func (w *worker) process(ctx context.Context, b *batch) error {
	f := &w.facts
	f.Accounts, f.SHA1, f.NTLM, f.Quarantine, f.Resolved = f.Accounts[:0], f.SHA1[:0], f.NTLM[:0], f.Quarantine[:0], f.Resolved[:0]
	w.seal = w.seal[:0]
	var classes catalog.ClassSet
	for _, r := range b.recs {
		fields := b.fields[r.first : r.first+r.nf]
		// Identifiers first: a record whose every identifier is
		// malformed is quarantined whole, passwords included.
		ids, badIDs := 0, 0
		firstAccount := len(f.Accounts)
		for _, fr := range fields {
			v := b.value(fr.off, fr.n)
			switch fr.class {
			case catalog.ClassEmail:
				norm, ok := account.AppendEmail(w.norm[:0], v)
				w.norm = norm
				if !ok {
					badIDs++
					continue
				}
				key := w.d.Account(account.KindEmail, norm)
				start := len(w.seal)
				w.seal = w.s.Seal(w.seal, norm, nil)
				f.Accounts = append(f.Accounts, store.Account{Key: key, Email: true, Range: w.d.EmailRangeOf(norm), Sealed: w.seal[start:len(w.seal):len(w.seal)]})
				ids++
			case catalog.ClassUsername:
				norm, ok := account.AppendUsername(w.norm[:0], v)
				w.norm = norm
				if !ok {
					badIDs++
					continue
				}
				f.Accounts = append(f.Accounts, store.Account{Key: w.d.Account(account.KindUsername, norm)})
				ids++
			case catalog.ClassPhone:
				norm, ok := account.AppendPhone(w.norm[:0], v, w.p.opts.PhoneRegion)
				w.norm = norm
				if !ok {
					continue // a phone number is not an identifier we insist on
				}
				f.Accounts = append(f.Accounts, store.Account{Key: w.d.Account(account.KindPhone, norm)})
				ids++
			}
		}
		if ids == 0 && badIDs > 0 {
			// Keep the record, sealed, rather than lose it.
			f.Accounts = f.Accounts[:firstAccount]
			w.raw = w.raw[:0]
			for i, fr := range fields {
				if i > 0 {
					w.raw = append(w.raw, '\t')
				}
				w.raw = append(w.raw, b.value(fr.off, fr.n)...)
			}
			w.quarantine(r.src, r.line, "bad-identifier", w.raw)
			continue
		}
		for _, fr := range fields {
			classes = classes.Add(fr.class)
			if fr.class == catalog.ClassPassword {
				v := b.value(fr.off, fr.n)
				f.SHA1 = append(f.SHA1, pwhash.SHA1(v))
				f.NTLM = append(f.NTLM, pwhash.NTLM(v))
			}
		}
		if r.resolves {
			f.Resolved = append(f.Resolved, store.Quarantined{Source: r.src, Line: r.line})
		}
	}
	for _, q := range b.quar {
		w.quarantine(q.src, q.line, q.reason, b.value(q.off, q.n))
	}
	for {
		old := w.p.classes.Load()
		if w.p.classes.CompareAndSwap(old, old|uint64(classes)) {
			break
		}
	}
	if len(f.Accounts)+len(f.SHA1)+len(f.Quarantine)+len(f.Resolved) == 0 {
		return nil
	}
	return w.p.imp.Add(ctx, f)
}

// maxQuarantined is how much of a quarantined line is kept.
const maxQuarantined = 64 << 10

func (w *worker) quarantine(src [32]byte, line int64, reason string, raw []byte) {
	if len(raw) > maxQuarantined {
		raw = raw[:maxQuarantined]
	}
	start := len(w.seal)
	w.seal = w.s.Seal(w.seal, raw, nil)
	w.p.quarantined(reason)
	w.facts.Quarantine = append(w.facts.Quarantine, store.Quarantined{Source: src, Line: line, Reason: reason, Sealed: w.seal[start:len(w.seal):len(w.seal)]})
}
