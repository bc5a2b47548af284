package ingest

import (
	"bytes"
	"context"
	"slices"

	"github.com/leakwatch/leakwatch/internal/account"
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/evidence"
	"github.com/leakwatch/leakwatch/internal/hashid"
	"github.com/leakwatch/leakwatch/internal/identity"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/privateindex"
	"github.com/leakwatch/leakwatch/internal/pwhash"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/website"
)

// worker turns batches of records into facts. Each worker has its own
// deriver and buffers; facts are reused from batch to batch.
type worker struct {
	p      *pipeline
	d      *identity.Deriver
	s      *keyring.Sealer
	facts  store.Facts
	norm   []byte
	seal   []byte
	raw    []byte
	pws    [][]byte
	plain  []byte // the passwords of {PLAIN}-style values in pws
	others []store.AccountKey

	phoneLogins []int

	// The email accounts of a sign-in record, for its sightings: the
	// index of each in facts.Accounts, and its domain in mailDoms.
	emails   []emailRef
	mailDoms []byte
	// sites caches website.Domain, by website field value, and mail
	// holds email domains as strings: leaks repeat a few of each.
	sites map[string]site
	mail  map[string]string
	buf   []byte

	// spool holds the pairs for the private check's index
	// (Options.Private): each password of a record with each of the
	// record's logins (logins, loginBuf), as a user may sign in with any.
	spool    privateindex.Spool
	logins   []loginRef
	loginBuf []byte

	// prof is this worker's share of the import's evidence profile;
	// firstEmail the record's first email, for names against it.
	prof       *evidence.Profile
	firstEmail []byte
}

// loginRef is a login of the record being read, in worker.loginBuf.
type loginRef struct {
	kind     account.Kind
	off, end int
}

type emailRef struct{ acct, off, end int }

// site is what a website field's value gives: its registrable domain and
// the domain's tag, if it has one.
type site struct {
	domain []byte // owned by the cache, never changed
	name   string // domain
	tag    store.DomainTag
	sealed []byte // domain, sealed once (the store keeps one per website)
	ok     bool
}

// maxCachedSites bounds each of a worker's caches of sites and mail
// domains.
const maxCachedSites = 1 << 12

func newWorker(p *pipeline) *worker {
	return &worker{p: p, d: identity.New(p.kr), s: p.dk.NewSealer(), seal: make([]byte, 0, 256<<10), prof: evidence.New()}
}

func (w *worker) process(ctx context.Context, b *batch) error {
	f := &w.facts
	f.Accounts, f.Passwords, f.Quarantine, f.Resolved, f.Sightings = f.Accounts[:0], f.Passwords[:0], f.Quarantine[:0], f.Resolved[:0], f.Sightings[:0]
	w.seal = w.seal[:0]
	var classes catalog.ClassSet
	phoneLogins := w.phoneLogins[:0] // fields of the record that are logins decided to be phones
	defer func() { w.phoneLogins = phoneLogins }()
	for _, r := range b.recs {
		fields := b.fields[r.first : r.first+r.nf]
		// Identifiers first: a record whose every identifier is
		// malformed is quarantined whole, passwords included.
		ids, badIDs := 0, 0
		firstAccount := len(f.Accounts)
		var primary store.AccountKey
		primaryEmail := false
		phoneLogins = phoneLogins[:0]
		w.emails, w.mailDoms = w.emails[:0], w.mailDoms[:0]
		w.logins, w.loginBuf = w.logins[:0], w.loginBuf[:0]
		w.firstEmail = w.firstEmail[:0]
		for i, fr := range fields {
			v := b.value(fr.off, fr.n)
			var kind account.Kind
			var ok bool
			switch fr.class {
			case catalog.ClassEmail, catalog.ClassUsername:
				// A login: account.AppendLoginIn decides what it is, as
				// lookups decide it (a national phone number of the
				// --phone-region aside, which lookups find in E.164).
				kind, w.norm, ok = account.AppendLoginIn(w.norm[:0], v, w.p.opts.PhoneRegion)
				if !ok {
					badIDs++
					continue
				}
				if kind == account.KindPhone {
					phoneLogins = append(phoneLogins, i)
				}
			case catalog.ClassPhone:
				// A login that is a phone number ("79161234567" in a
				// combolist) is one as account decides logins; a phone
				// column's value may also be a national number.
				kind, w.norm, ok = account.AppendLoginIn(w.norm[:0], v, w.p.opts.PhoneRegion)
				if !ok || kind != account.KindPhone {
					w.norm, ok = account.AppendPhone(w.norm[:0], v, w.p.opts.PhoneRegion)
					if !ok {
						continue // a phone number is not an identifier we insist on
					}
					kind = account.KindPhone
				}
			default:
				continue
			}
			key := w.d.Account(kind, w.norm)
			a := store.Account{Key: key}
			if kind == account.KindEmail {
				w.prof.AddEmail(w.norm)
				if len(w.firstEmail) == 0 {
					w.firstEmail = append(w.firstEmail, w.norm...)
				}
				start := len(w.seal)
				w.seal = w.s.Seal(w.seal, w.norm, nil)
				a.Email, a.Range, a.Sealed = true, w.d.EmailRangeOf(w.norm), w.seal[start:len(w.seal):len(w.seal)]
				a.Domain = w.d.EmailDomain(w.norm)
				if r.signIn {
					off := len(w.mailDoms)
					w.mailDoms = append(w.mailDoms, account.Domain(w.norm)...)
					w.emails = append(w.emails, emailRef{acct: len(f.Accounts), off: off, end: len(w.mailDoms)})
				}
			}
			f.Accounts = append(f.Accounts, a)
			// A pair's account is the record's first email, else its
			// first identifier of any kind.
			if ids == 0 || a.Email && !primaryEmail {
				primary, primaryEmail = key, a.Email
			}
			if w.p.opts.Private && len(w.logins) < store.MaxAliases+1 {
				off := len(w.loginBuf)
				w.loginBuf = append(w.loginBuf, w.norm...)
				w.logins = append(w.logins, loginRef{kind, off, len(w.loginBuf)})
			}
			ids++
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
			w.quarantine(r.src, r.file, r.line, "bad-identifier", w.raw)
			continue
		}
		if len(w.emails) > 0 {
			w.addSightings(b, fields)
		}
		w.pws, w.plain = w.pws[:0], w.plain[:0]
		var rowClasses catalog.ClassSet // the classes this record holds a value of
		for i, fr := range fields {
			c := fr.class
			if slices.Contains(phoneLogins, i) {
				// A login account decided is a phone number is one in
				// the breach's data classes too.
				c = catalog.ClassPhone
			}
			classes = classes.Add(c)
			if fr.n > 0 {
				rowClasses = rowClasses.Add(c)
			}
			if fr.class == catalog.ClassPasswordHash && fr.n > 0 {
				scheme, _ := hashid.Identify(b.value(fr.off, fr.n))
				w.prof.AddScheme(scheme.String())
			}
			if fr.class == catalog.ClassName && len(w.firstEmail) > 0 {
				w.prof.AddNameEmail(b.value(fr.off, fr.n), w.firstEmail)
			}
			if fr.class == catalog.ClassPassword {
				// "{PLAIN}secret" counts "secret", never itself. An
				// append that moves w.plain leaves earlier slices
				// pointing at the old array, whose bytes stay valid.
				v := b.value(fr.off, fr.n)
				start := len(w.plain)
				var plain bool
				if w.plain, plain = hashid.AppendPlain(w.plain, v); plain {
					v = w.plain[start:]
				}
				if !plain || len(v) > 0 {
					w.pws = append(w.pws, v)
				}
			}
		}
		w.prof.AddRow(rowClasses)
		rh := evidence.NewRowHash()
		for _, fr := range fields {
			rh = rh.Add(b.value(fr.off, fr.n))
		}
		w.prof.AddRowHash(rh)
		if len(w.pws) > 0 {
			var record [16]byte
			if ids == 0 {
				record = identity.RecordDigest(func(yield func(uint8, []byte) bool) {
					for _, fr := range fields {
						if !yield(uint8(fr.class), b.value(fr.off, fr.n)) {
							return
						}
					}
				})
			}
			// The record's other accounts give the occurrence its
			// aliases: found again through any of them, it counts nothing.
			others := w.others[:0]
			for _, a := range f.Accounts[firstAccount:] {
				if a.Key != primary && !slices.Contains(others, a.Key) && len(others) < store.MaxAliases {
					others = append(others, a.Key)
				}
			}
			w.others = others
			for _, v := range w.pws {
				pw := store.Password{SHA1: pwhash.SHA1(v), NTLM: pwhash.NTLM(v)}
				w.prof.AddPassword(v, pw.SHA1)
				if evidence.Sampled(pw.SHA1) {
					n, err := w.p.st.PasswordCount(ctx, store.SHA1, pw.SHA1[:])
					if err != nil {
						return err
					}
					w.prof.AddKnown(n > 0)
				}
				if ids > 0 {
					for _, l := range w.logins {
						w.spool.Add(l.kind, w.loginBuf[l.off:l.end], v)
					}
					pw.Print = w.d.Pair(primary, pw.SHA1)
					for i, k := range others {
						pw.Aliases[i] = w.d.Pair(k, pw.SHA1)
					}
					pw.NAliases = uint8(len(others))
				} else {
					pw.Print = w.d.Unpaired(record, pw.SHA1)
				}
				f.Passwords = append(f.Passwords, pw)
			}
		} else if ids == 0 && w.p.opts.BareHashes != 0 {
			w.addBareHashes(b, fields)
		}
		if r.resolves {
			f.Resolved = append(f.Resolved, r.print)
		}
	}
	for _, q := range b.quar {
		w.quarantine(q.src, q.file, q.line, q.reason, b.value(q.off, q.n))
	}
	w.p.addClasses(classes)
	f.Records = f.Records[:0]
	if w.spool.Full() {
		w.p.spooled.Add(int64(w.spool.Len()))
		f.Records = append(f.Records, w.spool.Record(w.s.Seal))
	}
	if len(f.Accounts)+len(f.Passwords)+len(f.Quarantine)+len(f.Resolved)+len(f.Sightings)+len(f.Records) == 0 {
		return nil
	}
	w.p.sightings.Add(int64(len(f.Sightings)))
	return w.p.imp.Add(ctx, f)
}

// flush adds the pairs left in the spool: the worker's last facts.
func (w *worker) flush(ctx context.Context) error {
	if w.spool.Len() == 0 {
		return nil
	}
	w.p.spooled.Add(int64(w.spool.Len()))
	w.facts = store.Facts{Records: []store.RecordOp{w.spool.Record(w.s.Seal)}}
	return w.p.imp.Add(ctx, &w.facts)
}

// addSightings adds the stealer-log sightings of a sign-in record: one per
// email account of the record and website domain it names. A website
// without a registrable domain (an IP address, localhost) gives none.
func (w *worker) addSightings(b *batch, fields []fieldRef) {
	f := &w.facts
	for _, fr := range fields {
		if fr.class != catalog.ClassWebsite {
			continue
		}
		st := w.site(b.value(fr.off, fr.n))
		if !st.ok {
			continue
		}
		for _, e := range w.emails {
			a := &f.Accounts[e.acct]
			noise := website.Noise(w.mailDomain(w.mailDoms[e.off:e.end]), st.name)
			f.Sightings = append(f.Sightings, store.Sighting{Account: a.Key, Range: a.Range, Website: st.tag, Noise: noise, Sealed: st.sealed})
		}
	}
}

// site returns what a website field's value gives, through the cache.
func (w *worker) site(v []byte) site {
	if st, ok := w.sites[string(v)]; ok {
		return st
	}
	var st site
	if d, ok := website.Domain(w.buf[:0], v); ok {
		st = site{domain: slices.Clone(d), name: string(d), tag: w.d.Domain(d), sealed: w.s.Seal(nil, d, nil), ok: true}
		// Tags are of domains as identity spells them (an IDN in
		// Unicode), so the owner of a domain finds its website.
		if bytes.Contains(d, []byte("xn--")) {
			if u, err := identity.DomainName(st.name); err == nil {
				st.tag = w.d.Domain([]byte(u))
			}
		}
	}
	if w.sites == nil || len(w.sites) >= maxCachedSites {
		w.sites = make(map[string]site)
	}
	w.sites[string(v)] = st
	return st
}

// mailDomain returns an email domain as a string, through the cache.
func (w *worker) mailDomain(d []byte) string {
	if s, ok := w.mail[string(d)]; ok {
		return s
	}
	s := string(d)
	if w.mail == nil || len(w.mail) >= maxCachedSites {
		w.mail = make(map[string]string)
	}
	w.mail[s] = s
	return s
}

// maxQuarantined is how much of a quarantined line is kept.
const maxQuarantined = 64 << 10

// quarantine seals a line and keeps it: in the hold when it comes from a
// file of this import (file > 0), whose digest is not known yet, else in
// the facts under src.
func (w *worker) quarantine(src [32]byte, file uint32, line int64, reason string, raw []byte) {
	if len(raw) > maxQuarantined {
		raw = raw[:maxQuarantined]
	}
	print := w.d.Line(raw)
	start := len(w.seal)
	w.seal = w.s.Seal(w.seal, raw, nil)
	sealed := w.seal[start:len(w.seal):len(w.seal)]
	if file > 0 {
		w.p.hold.put(file, print, line, reason, sealed)
		return
	}
	w.p.quarantined(reason, 1)
	w.facts.Quarantine = append(w.facts.Quarantine, store.Quarantined{Print: print, Source: src, Line: line, Reason: reason, Sealed: sealed})
}
