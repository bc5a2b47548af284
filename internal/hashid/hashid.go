// Package hashid tells whether a string from a leak is a password hash, and
// which scheme made it: crypt(3) strings, LDAP and Dovecot {SCHEME} values,
// the formats of web frameworks and databases, and bare hex or base64
// digests.
//
// Leaks mix plaintext passwords and hashes in one field, and some shapes
// fit both: 16 hex digits are a MySQL 3.x hash or a password, a 13-character
// alphanumeric string is a DES crypt(3) hash or a password. Identify says so
// with a Certainty: Certain when no plaintext password plausibly has the
// shape, Ambiguous when one could, and NotHash otherwise. IsHash is the
// common question (Certain only); JudgeColumn settles Ambiguous values from
// the rest of their column and the column's name.
//
// The schemes are one table (schemes.go), with the hashcat mode of each
// where hashcat has one, and the reasoning about false positives beside each
// entry. Identify allocates nothing and is safe for concurrent use.
package hashid

import "strconv"

// A Scheme is a password-hash scheme, or None.
type Scheme uint8

// None is the Scheme of a value that is not a hash.
const None Scheme = 0

// String returns the scheme's short name, such as "bcrypt" or "hex-32".
func (s Scheme) String() string {
	if s == None || int(s) > len(table) {
		return "none"
	}
	return table[s-1].name
}

// HashcatModes returns the hashcat hash modes (-m) that crack values of the
// scheme, most common first; nil when hashcat has none for it as stored.
// The caller owns the returned slice.
func (s Scheme) HashcatModes() []int {
	if s == None || int(s) > len(table) {
		return nil
	}
	return append([]int(nil), table[s-1].modes...)
}

// Schemes returns every scheme Identify knows, in table order.
func Schemes() []Scheme {
	out := make([]Scheme, len(table))
	for i := range out {
		out[i] = Scheme(i + 1)
	}
	return out
}

// Certainty says how sure Identify is that a value is a hash.
type Certainty uint8

const (
	// NotHash: a plaintext password, or at least nothing a hash scheme
	// produces.
	NotHash Certainty = iota
	// Ambiguous: the shape of a hash that a plaintext password could also
	// have (16 hex digits, a bare base64 digest, a 13-character DES crypt
	// string). The column it comes from decides; see JudgeColumn.
	Ambiguous
	// Certain: a hash; no plausible password has this shape.
	Certain
)

func (c Certainty) String() string {
	switch c {
	case NotHash:
		return "not-hash"
	case Ambiguous:
		return "ambiguous"
	case Certain:
		return "certain"
	}
	return "certainty(" + strconv.Itoa(int(c)) + ")"
}

// Identify reports the scheme of v and how certain that is. For an
// Ambiguous value the scheme is the likeliest one of that shape. v is taken
// as is: the caller trims white space.
func Identify(v []byte) (Scheme, Certainty) {
	return identify(v, &all)
}

// IsHash reports whether v is certainly a password hash. It is Identify
// restricted to Certain results, and costs a few nanoseconds for a typical
// password: values shorter than the shortest certain hash return at once.
func IsHash(v []byte) bool {
	_, c := identify(v, &certain)
	return c == Certain
}

// dispatch indexes the table for one use: schemes with a literal prefix by
// its first byte, and shape schemes (no prefix) by value length.
type dispatch struct {
	minLen  int
	byFirst [256][]uint8
	byLen   [][]uint8 // index: value length; lengths past the end have no shape scheme
}

var all, certain dispatch

func init() {
	all = buildDispatch(Ambiguous)
	certain = buildDispatch(Certain)
}

// buildDispatch indexes the schemes that can report at least floor.
func buildDispatch(floor Certainty) dispatch {
	d := dispatch{minLen: 1 << 30}
	maxShape := 0
	for _, s := range table {
		if s.prefix == "" && s.best >= floor && s.max > maxShape {
			maxShape = s.max
		}
	}
	d.byLen = make([][]uint8, maxShape+1)
	for i, s := range table {
		if s.best < floor {
			continue
		}
		d.minLen = min(d.minLen, s.min)
		if s.prefix == "" {
			for n := s.min; n <= s.max; n++ {
				d.byLen[n] = append(d.byLen[n], uint8(i))
			}
			continue
		}
		c := s.prefix[0]
		d.byFirst[c] = append(d.byFirst[c], uint8(i))
		if s.fold && isLetter(c) {
			d.byFirst[c^0x20] = append(d.byFirst[c^0x20], uint8(i))
		}
	}
	return d
}

// identify runs the schemes of d that can match v; the first Certain
// answer wins, else the first Ambiguous one.
func identify(v []byte, d *dispatch) (Scheme, Certainty) {
	n := len(v)
	if n < d.minLen {
		return None, NotHash
	}
	best, bestC := None, NotHash
	for _, i := range d.byFirst[v[0]] {
		s := &table[i]
		if n < s.min || n > s.max || !hasPrefix(v, s.prefix, s.fold) {
			continue
		}
		switch s.match(v, v[len(s.prefix):]) {
		case Certain:
			return Scheme(i + 1), Certain
		case Ambiguous:
			if bestC == NotHash {
				best, bestC = Scheme(i+1), Ambiguous
			}
		}
	}
	if n < len(d.byLen) {
		for _, i := range d.byLen[n] {
			switch table[i].match(v, v) {
			case Certain:
				return Scheme(i + 1), Certain
			case Ambiguous:
				if bestC == NotHash {
					best, bestC = Scheme(i+1), Ambiguous
				}
			}
		}
	}
	return best, bestC
}

// hasPrefix reports whether v starts with p, ignoring ASCII case if fold
// (p is then written in upper case, as LDAP scheme names are).
func hasPrefix(v []byte, p string, fold bool) bool {
	if len(v) < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := v[i]
		if fold && 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != p[i] {
			return false
		}
	}
	return true
}
