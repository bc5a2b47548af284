package evidence

import (
	"cmp"
	"maps"
	"math"
	"slices"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

// Signals are the figures a profile gives, as a report shows them.
type Signals struct {
	Rows int64 `json:"rows"`
	// Completeness is the share of rows holding each data class.
	Completeness map[string]float64 `json:"completeness"`
	// TopDomains are the most common email domains with their shares of
	// the emails; TopTLDs likewise.
	TopDomains []Share `json:"top_domains"`
	TopTLDs    []Share `json:"top_tlds"`
	// Passwords: how many; the share of the ten most common; the slope of
	// the log-log rank-frequency line of the 1,000 most common (real leaks
	// are Zipf-like: a heavy head, a slope around -0.7 to -1; generated
	// ones are flat, near 0); the share of the most common length and of
	// the most common mix of character kinds; the entropy in bits of the
	// length distribution.
	Passwords      int64   `json:"passwords"`
	Top10Share     float64 `json:"top10_share"`
	ZipfSlope      float64 `json:"zipf_slope"`
	CommonLength   float64 `json:"common_length_share"`
	CommonKinds    float64 `json:"common_kinds_share"`
	LengthEntropy  float64 `json:"length_entropy_bits"`
	NamesInEmail   float64 `json:"names_in_email_share"`
	NamesWithEmail int64   `json:"names_with_email"`
	// Lengths counts the passwords by length (MaxLength: that or more).
	Lengths []int64 `json:"lengths"`
	// KnownShare is the share of the sampled passwords the corpus held
	// before the import (KnownSampled of them were looked up).
	KnownShare   float64 `json:"known_share"`
	KnownSampled int64   `json:"known_sampled"`
	// Duplicates is the estimated share of rows that repeat another
	// (a HyperLogLog estimate of the distinct rows, about ±1%).
	Duplicates float64 `json:"duplicate_share"`
	// Schemes are the storage schemes of the stored passwords with their
	// shares; MixedStorage says two or more hold 5% of them each, which
	// one site's database rarely does (plaintext beside bcrypt, unsalted
	// MD5 beside bcrypt).
	Schemes      []Share `json:"schemes"`
	MixedStorage bool    `json:"mixed_storage"`
}

// Share is a value and its share.
type Share struct {
	Value string  `json:"value"`
	Share float64 `json:"share"`
}

// Signals computes the figures of a profile.
func (p *Profile) Signals() Signals {
	s := Signals{Rows: p.Rows, Completeness: map[string]float64{}, Passwords: p.Passwords, NamesWithEmail: p.NamesWithEmail,
		Lengths: p.Lengths[:]}
	for c, v := range p.ClassRows {
		if v > 0 {
			s.Completeness[catalog.DataClass(c).String()] = ratio(v, p.Rows)
		}
	}
	s.TopDomains = top(p.Domains, p.Emails, 10)
	s.TopTLDs = top(p.TLDs, p.Emails, 10)
	s.NamesInEmail = ratio(p.NamesInEmail, p.NamesWithEmail)
	s.KnownShare, s.KnownSampled = ratio(p.KnownHits, p.KnownSampled), p.KnownSampled
	if p.Distinct != nil && p.Rows > 0 {
		s.Duplicates = max(0, 1-min(p.Distinct.estimate(), float64(p.Rows))/float64(p.Rows))
	}
	schemes := maps.Clone(p.Schemes)
	if schemes == nil {
		schemes = map[string]int64{}
	}
	if p.Passwords > 0 {
		schemes["plaintext"] = p.Passwords
	}
	var stored int64
	for _, v := range schemes {
		stored += v
	}
	s.Schemes = top(schemes, stored, 8)
	big := 0
	for _, sh := range s.Schemes {
		if sh.Share >= 0.05 {
			big++
		}
	}
	s.MixedStorage = big >= 2
	if p.Passwords == 0 {
		return s
	}
	counts := make([]int64, 0, len(p.Frequent))
	for _, v := range p.Frequent {
		counts = append(counts, v)
	}
	slices.SortFunc(counts, func(a, b int64) int { return cmp.Compare(b, a) })
	var top10 int64
	for _, c := range counts[:min(10, len(counts))] {
		top10 += c
	}
	s.Top10Share = ratio(top10, p.Passwords)
	s.ZipfSlope = zipfSlope(counts[:min(1000, len(counts))])
	var maxLen, maxKinds int64
	entropy := 0.0
	for _, c := range p.Lengths {
		maxLen = max(maxLen, c)
		if c > 0 {
			f := ratio(c, p.Passwords)
			entropy -= f * math.Log2(f)
		}
	}
	for _, c := range p.Kinds {
		maxKinds = max(maxKinds, c)
	}
	s.CommonLength, s.CommonKinds, s.LengthEntropy = ratio(maxLen, p.Passwords), ratio(maxKinds, p.Passwords), entropy
	return s
}

func ratio(n, of int64) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

func top(m map[string]int64, total int64, n int) []Share {
	ks := byCount(m)
	out := []Share{}
	for _, k := range ks[:min(n, len(ks))] {
		out = append(out, Share{k, ratio(m[k], total)})
	}
	return out
}

// zipfSlope fits log(count) = a + b·log(rank) by least squares over the
// counts sorted descending, and returns b (0 when fewer than 10 counts).
func zipfSlope(counts []int64) float64 {
	if len(counts) < 10 {
		return 0
	}
	var sx, sy, sxx, sxy float64
	n := float64(len(counts))
	for i, c := range counts {
		x, y := math.Log(float64(i+1)), math.Log(float64(c))
		sx, sy, sxx, sxy = sx+x, sy+y, sxx+x*x, sxy+x*y
	}
	d := n*sxx - sx*sx
	if d == 0 {
		return 0
	}
	return (n*sxy - sx*sy) / d
}
