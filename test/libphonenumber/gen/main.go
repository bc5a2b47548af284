// Command gen writes internal/account/e164plans.go: for every country
// calling code, the national significant numbers of its mobile networks,
// as prefixes per length, derived from libphonenumber's metadata (through
// github.com/nyaruka/phonenumbers, which embeds it).
//
// A prefix is kept when every number it starts is a mobile number by
// libphonenumber's pattern (tested on random completions and on the
// lowest and highest one), so the table errs towards too few numbers,
// never too many: a number it does not know stays a username.
//
// Run from this directory: go run ./gen > ../../internal/account/e164plans.go
package main

import (
	"bytes"
	"fmt"
	"go/format"
	"math/rand/v2"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// depth is how many digits of a national number a prefix may have: deeper
// ranges (a few thousand numbers each) are left out.
const depth = 6

// fills is how many completions (lowest, highest, random) each choice of
// the next digits is tried with.
const fills = 6

func main() {
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		fail(err)
	}
	pats := map[int][]*regexp.Regexp{}
	for _, m := range coll.GetMetadata() {
		cc := int(m.GetCountryCode())
		if m.GetId() == "001" || cc == 1 {
			// Non-geographic codes (satellite, UIFN) hold no subscriber
			// logins; the NANP is e164.go's (its numbers have one shape).
			continue
		}
		p := m.GetMobile().GetNationalNumberPattern()
		if p == "" || p == "NA" {
			continue
		}
		pats[cc] = append(pats[cc], regexp.MustCompile("^(?:"+p+")$"))
	}
	ccs := make([]int, 0, len(pats))
	for cc := range pats {
		ccs = append(ccs, cc)
	}
	slices.Sort(ccs)
	r := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	b.WriteString(header)
	for _, cc := range ccs {
		m := func(s string) bool {
			for _, p := range pats[cc] {
				if p.MatchString(s) {
					return true
				}
			}
			return false
		}
		var rules []string
		// E.164 numbers have 8 to 15 digits (account.MinPhoneDigits,
		// account.MaxPhoneDigits), country code included.
		for n := max(8-len(fmt.Sprint(cc)), 1); n+len(fmt.Sprint(cc)) <= 15; n++ {
			for _, p := range prefixes(r, m, "", n) {
				rules = append(rules, fmt.Sprintf("{%d, %q}", n, p))
			}
		}
		if len(rules) > 0 {
			fmt.Fprintf(&b, "\t%d: {%s},\n", cc, strings.Join(rules, ", "))
		}
	}
	b.WriteString("}\n")
	out, err := format.Source(b.Bytes())
	if err != nil {
		fail(err)
	}
	os.Stdout.Write(out)
}

// prefixes returns the patterns of the numbers of length n starting with
// p that are all mobile, relative to p: digits and [...] classes, sibling
// digits whose numbers are alike sharing a class.
func prefixes(r *rand.Rand, m func(string) bool, p string, n int) []string {
	switch test(r, m, p, n) {
	case all:
		return []string{""}
	case none:
		return nil
	}
	if len(p) >= depth || len(p) >= n {
		return nil
	}
	type group struct {
		digits []byte
		sub    []string
	}
	var groups []*group
	byKey := map[string]*group{}
	for d := byte('0'); d <= '9'; d++ {
		sub := prefixes(r, m, p+string(d), n)
		if sub == nil {
			continue
		}
		key := strings.Join(sub, " ")
		g := byKey[key]
		if g == nil {
			g = &group{sub: sub}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.digits = append(g.digits, d)
	}
	var out []string
	for _, g := range groups {
		for _, s := range g.sub {
			out = append(out, class(g.digits)+s)
		}
	}
	return out
}

type verdict int

const (
	none verdict = iota
	some
	all
)

// test says whether all, some or none of the numbers of length n that
// start with p are mobile: every choice of the next three digits (fewer
// near the end) is tried with a few random completions, so that a range
// that differs within three digits of p is never taken for all of it.
func test(r *rand.Rand, m func(string) bool, p string, n int) verdict {
	k := n - len(p)
	if k == 0 {
		if m(p) {
			return all
		}
		return none
	}
	e := min(k, 3)
	combos := 1
	for range e {
		combos *= 10
	}
	hit, miss := 0, 0
	var s []byte
	for c := range combos {
		for t := range fills {
			s = append(s[:0], p...)
			for range e {
				s = append(s, 0)
			}
			for i, v := len(s)-1, c; i >= len(p); i, v = i-1, v/10 {
				s[i] = byte('0' + v%10)
			}
			for range k - e {
				switch t {
				case 0:
					s = append(s, '0')
				case 1:
					s = append(s, '9')
				default:
					s = append(s, byte('0'+r.IntN(10)))
				}
			}
			if m(string(s)) {
				hit++
			} else {
				miss++
			}
			if k == e {
				break // nothing random to fill
			}
		}
		if hit > 0 && miss > 0 {
			return some
		}
	}
	if miss == 0 {
		return all
	}
	return none
}

// class writes sibling digits as one digit or a [...] class with ranges.
func class(ds []byte) string {
	if len(ds) == 1 {
		return string(ds)
	}
	var s strings.Builder
	s.WriteByte('[')
	for i := 0; i < len(ds); {
		j := i
		for j+1 < len(ds) && ds[j+1] == ds[j]+1 {
			j++
		}
		switch {
		case j == i:
			s.WriteByte(ds[i])
		case j == i+1:
			s.WriteByte(ds[i])
			s.WriteByte(ds[j])
		default:
			s.WriteByte(ds[i])
			s.WriteByte('-')
			s.WriteByte(ds[j])
		}
		i = j + 1
	}
	s.WriteByte(']')
	return s.String()
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gen:", err)
	os.Exit(1)
}

const header = `// Code generated by test/libphonenumber/gen from libphonenumber's metadata; DO NOT EDIT.

package account

// mobilePlans maps each country calling code to the mobile numbers of its
// numbering plan: national significant numbers of a length that start
// with a prefix (digits and [...] classes of digits). See e164.go.
var mobilePlans = map[uint16][]mobileRule{
`
