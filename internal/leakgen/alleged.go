package leakgen

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/leakwatch/leakwatch/internal/leakparse"
)

// The kinds of alleged breach GenerateAlleged makes, for calibrating the
// verification of issue 14 (docs/verify.md).
const (
	// AllegedSite is a genuine-looking site dump: the people of Seed as a
	// CSV table (the CSV format of Generate).
	AllegedSite = "site"
	// AllegedRepackage is the site of seed Of[0] sold again: 90% of its
	// people, shuffled, as a combolist, with 10% noise from Seed.
	AllegedRepackage = "repackage"
	// AllegedCombolist is email:password lines stitched from the sites of
	// the seeds Of, shuffled, with 5% noise from Seed.
	AllegedCombolist = "combolist"
	// AllegedUniform is fabricated by uniform random choices: random
	// local parts at random domains, random passwords.
	AllegedUniform = "fabricated-uniform"
	// AllegedPlausible is fabricated by a plausible-looking generator
	// independent of the genuine one: names from its own lists, addresses
	// made from them at the big mail providers, passwords of a word and
	// digits drawn uniformly.
	AllegedPlausible = "fabricated-plausible"
)

// AllegedKinds lists the kinds of GenerateAlleged.
func AllegedKinds() []string {
	return []string{AllegedSite, AllegedRepackage, AllegedCombolist, AllegedUniform, AllegedPlausible}
}

// AllegedOptions choose an alleged breach.
type AllegedOptions struct {
	Kind string
	Rows int64
	Seed uint64
	// Of are the seeds of the sites a repackage (one) or a combolist (two
	// or more) is made from; their sites are SiteRows rows each.
	Of       []uint64
	SiteRows int64
}

// GenerateAlleged writes an alleged breach of the given kind.
func GenerateAlleged(ctx context.Context, w io.Writer, o AllegedOptions) (Stats, error) {
	if o.Rows < 0 {
		return Stats{}, fmt.Errorf("negative rows")
	}
	switch o.Kind {
	case AllegedSite:
		return Generate(ctx, w, Options{Format: leakparse.FormatCSV, Rows: o.Rows, Seed: o.Seed})
	case AllegedRepackage, AllegedCombolist:
		if o.Kind == AllegedRepackage && len(o.Of) != 1 || o.Kind == AllegedCombolist && len(o.Of) < 2 {
			return Stats{}, fmt.Errorf("%s needs %s", o.Kind, map[string]string{AllegedRepackage: "one source seed", AllegedCombolist: "two source seeds or more"}[o.Kind])
		}
		if o.SiteRows <= 0 {
			return Stats{}, fmt.Errorf("%s needs the rows of its source sites", o.Kind)
		}
		return recycled(ctx, w, o)
	case AllegedUniform, AllegedPlausible:
		return fabricated(ctx, w, o)
	}
	return Stats{}, fmt.Errorf("unknown kind %q (want %s)", o.Kind, strings.Join(AllegedKinds(), ", "))
}

// credential is how a person shows in a combolist of recycled data: the
// address and password their site dump (AllegedSite) showed.
func credential(seed uint64, i int64) string {
	p := PersonAt(seed, i)
	return p.Email + ":" + p.Password
}

// recycled writes a repackage or a combolist: rows drawn from the source
// sites' people (90% or 95%), the rest from Seed's, in a shuffled order.
func recycled(ctx context.Context, w io.Writer, o AllegedOptions) (Stats, error) {
	var r rng
	r.reset(mix64(o.Seed^0x5eed), streamFormat)
	noisePermille := 100
	if o.Kind == AllegedCombolist {
		noisePermille = 50
	}
	type ref struct {
		seed uint64
		i    int64
	}
	refs := make([]ref, 0, o.Rows)
	var noise int64
	for range o.Rows {
		if r.chance(noisePermille) {
			refs = append(refs, ref{o.Seed, noise})
			noise++
			continue
		}
		s := pick(&r, o.Of)
		refs = append(refs, ref{s, int64(r.intn(int(o.SiteRows)))})
	}
	// Shuffle (Fisher-Yates with the generator's own source).
	for i := len(refs) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		refs[i], refs[j] = refs[j], refs[i]
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	var st Stats
	for n, f := range refs {
		if n%4096 == 0 && ctx.Err() != nil {
			return st, ctx.Err()
		}
		k, err := bw.WriteString(credential(f.seed, f.i) + "\n")
		st.Rows++
		st.Bytes += int64(k)
		if err != nil {
			return st, err
		}
	}
	return st, bw.Flush()
}

// The fabricated generators' own lists, unrelated to the genuine
// generator's tables.
var (
	fabFirst   = []string{"alex", "sam", "chris", "jordan", "taylor", "morgan", "casey", "jamie", "robin", "drew", "quinn", "avery", "riley", "parker", "reese", "skyler", "logan", "peyton", "rowan", "emery"}
	fabLast    = []string{"stone", "rivers", "hill", "brooks", "fields", "woods", "lake", "marsh", "vale", "ford", "dale", "glen", "moss", "reed", "fox", "wolf", "crane", "hart", "lane", "cross"}
	fabDomains = []string{"gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "aol.com", "icloud.com"}
	fabWords   = []string{"sunshine", "dragon", "monkey", "shadow", "master", "soccer", "hockey", "summer", "winter", "tiger", "purple", "orange", "silver", "flower", "cookie", "pepper", "ginger", "thunder", "falcon", "rocket"}
	fabTLDs    = []string{"com", "net", "org", "io", "xyz", "info", "biz", "co"}
)

const lower = "abcdefghijklmnopqrstuvwxyz"
const alnum = lower + "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func randomString(r *rng, alphabet string, lo, hi int) string {
	b := make([]byte, r.between(lo, hi))
	for i := range b {
		b[i] = alphabet[r.intn(len(alphabet))]
	}
	return string(b)
}

// fabricated writes made-up records: uniform ones as a combolist,
// plausible ones as a CSV table with names.
func fabricated(ctx context.Context, w io.Writer, o AllegedOptions) (Stats, error) {
	var r rng
	r.reset(mix64(o.Seed^0xfab), streamFormat)
	bw := bufio.NewWriterSize(w, 64<<10)
	var st Stats
	write := func(s string) error {
		k, err := bw.WriteString(s)
		st.Bytes += int64(k)
		return err
	}
	if o.Kind == AllegedPlausible {
		if err := write("name,email,password\n"); err != nil {
			return st, err
		}
	}
	for n := range o.Rows {
		if n%4096 == 0 && ctx.Err() != nil {
			return st, ctx.Err()
		}
		var line string
		if o.Kind == AllegedUniform {
			line = randomString(&r, lower, 5, 12) + "@" + randomString(&r, lower, 4, 10) + "." + pick(&r, fabTLDs) + ":" + randomString(&r, alnum, 8, 12)
		} else {
			first, last := pick(&r, fabFirst), pick(&r, fabLast)
			name := strings.ToUpper(first[:1]) + first[1:] + " " + strings.ToUpper(last[:1]) + last[1:]
			email := fmt.Sprintf("%s.%s%d@%s", first, last, r.intn(1000), pick(&r, fabDomains))
			pw := pick(&r, fabWords) + fmt.Sprint(r.intn(10000))
			line = name + "," + email + "," + pw
		}
		if err := write(line + "\n"); err != nil {
			return st, err
		}
		st.Rows++
	}
	return st, bw.Flush()
}
