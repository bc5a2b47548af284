package evidence

import (
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

func addPw(p *Profile, pw string, times int) {
	for range times {
		p.AddPassword([]byte(pw), sha1.Sum([]byte(pw)))
	}
}

func TestZipfAndFlat(t *testing.T) {
	zipf, flat := New(), New()
	for r := 1; r <= 200; r++ {
		addPw(zipf, fmt.Sprint("pw", r), 2000/r)
		addPw(flat, fmt.Sprint("pw", r), 10)
	}
	z, f := zipf.Signals(), flat.Signals()
	if math.Abs(z.ZipfSlope+1) > 0.1 {
		t.Errorf("Zipf-like passwords: slope %.2f, want about -1", z.ZipfSlope)
	}
	if math.Abs(f.ZipfSlope) > 0.05 {
		t.Errorf("flat passwords: slope %.2f, want about 0", f.ZipfSlope)
	}
	if z.Top10Share < 0.4 || f.Top10Share > 0.06 {
		t.Errorf("top-10 shares: Zipf %.2f, flat %.2f", z.Top10Share, f.Top10Share)
	}
}

func TestProfile(t *testing.T) {
	p := New()
	p.AddRow(catalog.ClassSet(0).Add(catalog.ClassEmail).Add(catalog.ClassPassword))
	p.AddRow(catalog.ClassSet(0).Add(catalog.ClassEmail))
	p.AddEmail([]byte("jane.doe@gmail.com"))
	p.AddEmail([]byte("x@mail.example.co.uk"))
	p.AddNameEmail([]byte("Jane Doe"), []byte("jane.doe@gmail.com"))
	p.AddNameEmail([]byte("Bob Li"), []byte("x@mail.example.co.uk"))
	addPw(p, "Password1", 1)
	addPw(p, "élan", 1)
	s := p.Signals()
	if s.Completeness["Email addresses"] != 1 || s.Completeness["Passwords"] != 0.5 {
		t.Errorf("completeness %v", s.Completeness)
	}
	if s.TopTLDs[0].Value != "com" && s.TopTLDs[0].Value != "uk" || len(s.TopTLDs) != 2 {
		t.Errorf("TLDs %v", s.TopTLDs)
	}
	if s.NamesInEmail != 0.5 || s.NamesWithEmail != 2 {
		t.Errorf("names in email %v of %d", s.NamesInEmail, s.NamesWithEmail)
	}
	if p.Lengths[9] != 1 || p.Lengths[4] != 1 || p.Kinds[1|2|4] != 1 || p.Kinds[1|8] != 1 {
		t.Errorf("lengths %v kinds %v", p.Lengths, p.Kinds)
	}
	q := New()
	q.Merge(p)
	q.Merge(p)
	if q.Rows != 4 || q.Domains["gmail.com"] != 2 || q.Passwords != 4 {
		t.Errorf("merged %+v", q)
	}
}

func TestBounds(t *testing.T) {
	p := New()
	for i := range maxDomains + 10 {
		p.AddEmail(fmt.Appendf(nil, "a@d%d.example", i))
	}
	if len(p.Domains) != maxDomains || p.OtherDomains != 10 {
		t.Errorf("%d domains, %d other", len(p.Domains), p.OtherDomains)
	}
}

// TestFullProfileFits: a profile at its bounds, with the longest domains,
// stays well within a store record (1 MiB).
func TestFullProfileFits(t *testing.T) {
	p := New()
	long := strings.Repeat("d", 240)
	for i := range maxDomains + 100 {
		p.AddEmail(fmt.Appendf(nil, "a@%s%d.%s%d", long, i, strings.Repeat("t", 60), i))
	}
	for i := range maxPasswords + 100 {
		addPw(p, fmt.Sprint("pw", i), 1)
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 900<<10 {
		t.Errorf("a full profile is %d bytes", len(b))
	}
}

func TestDuplicates(t *testing.T) {
	p := New()
	for i := range 100000 {
		v := []byte(fmt.Sprint("row", i%80000)) // 20% of the rows repeat another
		p.AddRow(0)
		p.AddRowHash(NewRowHash().Add(v))
	}
	q := New()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, q); err != nil {
		t.Fatal(err)
	}
	if d := q.Signals().Duplicates; math.Abs(d-0.2) > 0.02 {
		t.Errorf("duplicate share %.3f, want 0.2", d)
	}
	small := New()
	for _, s := range []string{"a", "b", "a"} {
		small.AddRow(0)
		small.AddRowHash(NewRowHash().Add([]byte(s)))
	}
	if d := small.Signals().Duplicates; math.Abs(d-1.0/3) > 0.01 {
		t.Errorf("3 rows, 2 distinct: %.3f", d)
	}
}

func TestSchemes(t *testing.T) {
	one, mixed := New(), New()
	for i := range 100 {
		one.AddScheme("bcrypt")
		if i%2 == 0 {
			mixed.AddScheme("bcrypt")
		} else {
			addPw(mixed, fmt.Sprint("pw", i), 1)
		}
	}
	if s := one.Signals(); s.MixedStorage || len(s.Schemes) != 1 || s.Schemes[0].Value != "bcrypt" {
		t.Errorf("one scheme: %+v", s.Schemes)
	}
	if s := mixed.Signals(); !s.MixedStorage {
		t.Errorf("bcrypt and plaintext: %+v", s.Schemes)
	}
}

func TestRowHashAndRoundTrip(t *testing.T) {
	ab := NewRowHash().Add([]byte("ab")).Add([]byte("c"))
	a := NewRowHash().Add([]byte("a")).Add([]byte("bc"))
	long := NewRowHash().Add([]byte("0123456789abcdef0123"))
	if ab == a || ab == NewRowHash().Add([]byte("abc")) || long == NewRowHash().Add([]byte("0123456789abcdef0124")) {
		t.Error("rows that differ hash alike")
	}
	p := New()
	addPw(p, "hunter2", 3)
	p.AddNameEmail([]byte("Zoë Müller"), []byte("zoe.müller@example.com"))
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	q := New()
	if err := json.Unmarshal(b, q); err != nil {
		t.Fatal(err)
	}
	if s := q.Signals(); s.Passwords != 3 || s.Top10Share != 1 || s.NamesInEmail != 1 || s.Schemes[0].Value != "plaintext" {
		t.Errorf("after a round trip: %+v", s)
	}
}
