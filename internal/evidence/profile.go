// Package evidence computes, while an import reads a leak, the aggregates
// that the verification of an alleged breach needs after the plaintext is
// gone (docs/verify.md): completeness of each data class, email domains
// and TLDs, the shape of the password distribution, names against email
// local parts. A Profile holds counts only, never a value of a record but
// the most common email domains; imports seal it.
package evidence

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"maps"
	"math/bits"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

// Bounds of a profile's maps: beyond them, new keys are counted as other.
const (
	maxDomains   = 1024
	maxPasswords = 8192
)

// MaxLength is the last bucket of the password length histogram (that
// length or more).
const MaxLength = 32

// Profile is the aggregates of one import, or of several merged.
type Profile struct {
	Rows int64 `json:"rows"`
	// ClassRows counts the rows holding each data class, by
	// catalog.DataClass (a stable numbering: class sets are stored so).
	ClassRows [64]int64 `json:"class_rows"`
	// Emails counts email addresses; Domains the most common domains
	// (OtherDomains the rest), TLDs the top-level domains.
	Emails       int64            `json:"emails"`
	Domains      map[string]int64 `json:"domains"`
	OtherDomains int64            `json:"other_domains"`
	TLDs         map[string]int64 `json:"tlds"`
	// Passwords counts plaintext passwords; Lengths their lengths in
	// runes (MaxLength: that or more); Kinds the character kinds they mix
	// (bit 0 lower case, 1 upper case, 2 digit, 3 other).
	Passwords int64                `json:"passwords"`
	Lengths   [MaxLength + 1]int64 `json:"lengths"`
	Kinds     [16]int64            `json:"kinds"`
	// Frequent counts occurrences by password (keyed by the first 8 bytes
	// of its SHA-1), for the most common ones; Untracked counts
	// the occurrences of passwords first seen once the map was full.
	Frequent  map[uint64]int64 `json:"frequent"`
	Untracked int64            `json:"untracked"`
	// Distinct sketches the distinct rows (by their fields' bytes), for
	// the share of duplicated rows.
	Distinct *hll `json:"distinct,omitempty"`
	// Schemes counts the hashed stored passwords by their hashid scheme
	// ("bcrypt", "hex-32", ...); Passwords counts the plaintext ones.
	Schemes map[string]int64 `json:"schemes"`
	// KnownSampled counts the passwords sampled (one in 16, by their
	// SHA-1) for a lookup in the corpus before the import's commit;
	// KnownHits those the corpus already held.
	KnownSampled int64 `json:"known_sampled"`
	KnownHits    int64 `json:"known_hits"`
	// NamesWithEmail counts rows with a name and an email address;
	// NamesInEmail those whose local part holds a part of the name.
	NamesWithEmail int64 `json:"names_with_email"`
	NamesInEmail   int64 `json:"names_in_email"`
}

// New returns an empty profile.
func New() *Profile {
	return &Profile{Distinct: new(hll), Schemes: map[string]int64{}, Domains: map[string]int64{}, TLDs: map[string]int64{}, Frequent: map[uint64]int64{}}
}

// AddRow counts a row holding the classes.
func (p *Profile) AddRow(classes catalog.ClassSet) {
	p.Rows++
	for set := uint64(classes); set != 0; set &= set - 1 {
		p.ClassRows[bits.TrailingZeros64(set)]++
	}
}

// AddEmail counts a normalised email address.
func (p *Profile) AddEmail(norm []byte) {
	at := bytes.LastIndexByte(norm, '@')
	if at < 0 {
		return
	}
	p.Emails++
	dom := norm[at+1:]
	if _, ok := p.Domains[string(dom)]; ok || len(p.Domains) < maxDomains {
		p.Domains[string(dom)]++
	} else {
		p.OtherDomains++
	}
	tld := dom
	if i := bytes.LastIndexByte(dom, '.'); i >= 0 {
		tld = dom[i+1:]
	}
	if _, ok := p.TLDs[string(tld)]; ok || len(p.TLDs) < maxDomains {
		p.TLDs[string(tld)]++
	}
}

// AddScheme counts a stored password of a storage scheme.
func (p *Profile) AddScheme(name string) {
	if p.Schemes == nil {
		p.Schemes = map[string]int64{}
	}
	if _, ok := p.Schemes[name]; ok || len(p.Schemes) < 64 {
		p.Schemes[name]++
	}
}

// AddPassword counts a plaintext password and its SHA-1.
func (p *Profile) AddPassword(pw []byte, sha1 [20]byte) {
	p.Passwords++
	n := utf8.RuneCount(pw)
	p.Lengths[min(n, MaxLength)]++
	kinds := 0
	for _, c := range pw {
		switch {
		case 'a' <= c && c <= 'z':
			kinds |= 1
		case 'A' <= c && c <= 'Z':
			kinds |= 2
		case '0' <= c && c <= '9':
			kinds |= 4
		default:
			kinds |= 8
		}
	}
	p.Kinds[kinds]++
	k := binary.BigEndian.Uint64(sha1[:8])
	if _, ok := p.Frequent[k]; ok || len(p.Frequent) < maxPasswords {
		p.Frequent[k]++
	} else {
		p.Untracked++
	}
}

// AddNameEmail counts a row with a name and a normalised (lower-case)
// email: whether the email's local part holds a part of the name of three
// letters or more.
func (p *Profile) AddNameEmail(name, email []byte) {
	at := bytes.LastIndexByte(email, '@')
	if at <= 0 {
		return
	}
	p.NamesWithEmail++
	local := email[:at]
	var buf [64]byte
	for len(name) > 0 {
		i := bytes.IndexAny(name, " -.,")
		part := name
		if i >= 0 {
			part, name = name[:i], name[i+1:]
		} else {
			name = nil
		}
		if utf8.RuneCount(part) < 3 {
			continue
		}
		lower := appendLower(buf[:0], part)
		if bytes.Contains(local, lower) {
			p.NamesInEmail++
			return
		}
	}
}

// appendLower appends b in lower case: ASCII in place, the rest by Unicode.
func appendLower(dst, b []byte) []byte {
	for i, c := range b {
		if c >= utf8.RuneSelf {
			return append(dst, bytes.ToLower(b[i:])...)
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// Merge adds q's counts to p. Maps stay within their bounds: keys q brings
// beyond them count as other.
func (p *Profile) Merge(q *Profile) {
	p.Rows += q.Rows
	for i, v := range q.ClassRows {
		p.ClassRows[i] += v
	}
	p.Emails += q.Emails
	p.OtherDomains += q.OtherDomains
	for _, k := range byCount(q.Domains) {
		if _, ok := p.Domains[k]; ok || len(p.Domains) < maxDomains {
			p.Domains[k] += q.Domains[k]
		} else {
			p.OtherDomains += q.Domains[k]
		}
	}
	for _, k := range byCount(q.TLDs) {
		if _, ok := p.TLDs[k]; ok || len(p.TLDs) < maxDomains {
			p.TLDs[k] += q.TLDs[k]
		}
	}
	p.Passwords += q.Passwords
	for i := range p.Lengths {
		p.Lengths[i] += q.Lengths[i]
	}
	for i := range p.Kinds {
		p.Kinds[i] += q.Kinds[i]
	}
	p.Untracked += q.Untracked
	for _, k := range byCount(q.Frequent) {
		if _, ok := p.Frequent[k]; ok || len(p.Frequent) < maxPasswords {
			p.Frequent[k] += q.Frequent[k]
		} else {
			p.Untracked += q.Frequent[k]
		}
	}
	if q.Distinct != nil {
		if p.Distinct == nil {
			p.Distinct = new(hll)
		}
		p.Distinct.merge(q.Distinct)
	}
	if p.Schemes == nil {
		p.Schemes = map[string]int64{}
	}
	for k, v := range q.Schemes {
		if _, ok := p.Schemes[k]; ok || len(p.Schemes) < 64 {
			p.Schemes[k] += v
		}
	}
	p.KnownSampled += q.KnownSampled
	p.KnownHits += q.KnownHits
	p.NamesWithEmail += q.NamesWithEmail
	p.NamesInEmail += q.NamesInEmail
}

// byCount returns a map's keys, the most frequent first (ties in key
// order), so that a bounded merge keeps the most frequent.
func byCount[K cmp.Ordered](m map[K]int64) []K {
	ks := slices.Collect(maps.Keys(m))
	slices.SortFunc(ks, func(a, b K) int { return cmp.Or(cmp.Compare(m[b], m[a]), cmp.Compare(a, b)) })
	return ks
}

// RecordID is the id of an import's profile in store.TableProfiles: the
// breach's name in lower case, a zero byte, the time of the import.
func RecordID(breach string, at time.Time) []byte {
	return binary.BigEndian.AppendUint64(RecordPrefix(breach), uint64(at.UnixNano()))
}

// RecordPrefix is the prefix of the profile ids of a breach.
func RecordPrefix(breach string) []byte {
	return append([]byte(strings.ToLower(breach)), 0)
}

// Sampled reports whether a password (by its SHA-1) is one of the one in
// 16 whose presence in the corpus the import looks up.
func Sampled(sha1 [20]byte) bool { return sha1[19]&15 == 0 }

// AddKnown counts a sampled password's lookup.
func (p *Profile) AddKnown(known bool) {
	p.KnownSampled++
	if known {
		p.KnownHits++
	}
}

// AddRowHash adds a row (its RowHash) to the distinct-row sketch.
func (p *Profile) AddRowHash(h RowHash) {
	if p.Distinct == nil {
		p.Distinct = new(hll)
	}
	p.Distinct.add(h.sum())
}
