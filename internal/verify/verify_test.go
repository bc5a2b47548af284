package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/evidence"
	"github.com/leakwatch/leakwatch/internal/identity"
	"github.com/leakwatch/leakwatch/internal/ingest"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/leakgen"
	"github.com/leakwatch/leakwatch/internal/leakparse"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"
	"github.com/leakwatch/leakwatch/internal/vault"
	"golang.org/x/net/html"
)

var ctx = context.Background()

// openStore opens a store and a key file in a temporary directory.
func openStore(t *testing.T) (string, *pebblestore.Store, *keyring.Keyring) {
	t.Helper()
	dir := t.TempDir()
	st, err := pebblestore.Open(filepath.Join(dir, "store"), pebblestore.Options{CacheSize: 64 << 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	kr, err := keyring.Create(filepath.Join(dir, "keyring.json"), nil)
	if err != nil {
		t.Fatal(err)
	}
	return dir, st, kr
}

// importData imports a leak's bytes into a new breach of the given date.
func importData(t *testing.T, st *pebblestore.Store, kr *keyring.Keyring, dir, name, date string, data []byte) {
	t.Helper()
	p := filepath.Join(dir, "in.txt")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	b := catalog.New(name, time.Now())
	b.BreachDate = date
	if _, err := ingest.Import(ctx, st, kr, []string{p}, ingest.Options{Breach: b, TempDir: dir}); err != nil {
		t.Fatalf("importing %s: %v", name, err)
	}
}

// lines returns n combolist lines of a generated leak.
func lines(t *testing.T, seed uint64, n int64) []string {
	t.Helper()
	var b bytes.Buffer
	if _, err := leakgen.Generate(ctx, &b, leakgen.Options{Format: leakparse.FormatCombo, Rows: n, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(b.String()), "\n")
}

// TestRecyclingVerdicts imports generated leaks into a real store and
// checks the verdict of the recycling signal for a repackage, a combolist
// and a fresh leak.
func TestRecyclingVerdicts(t *testing.T) {
	dir, st, kr := openStore(t)
	imp := func(name, date string, ls []string) {
		t.Helper()
		importData(t, st, kr, dir, name, date, []byte(strings.Join(ls, "\n")+"\n"))
	}
	one, two, three := lines(t, 1, 2000), lines(t, 2, 1000), lines(t, 3, 1000)
	imp("Original", "2020-01-01", one)
	imp("Two", "2019-05-01", two)
	imp("Three", "2018-03-01", three)
	imp("Repack", "2024-01-01", append(append([]string{}, one[:1800]...), lines(t, 9, 200)...))
	imp("Combo", "2025-01-01", append(append(append([]string{}, one[1000:1400]...), two[:400]...), three[:400]...))
	imp("Fresh", "2025-02-01", lines(t, 7, 1500))

	for _, tc := range []struct{ breach, kind, from string }{
		{"Repack", Recycled, "Original"},
		{"Combo", Combolist, ""},
		{"Fresh", Genuine, ""},
		{"Original", Genuine, ""}, // the repackage is later: the original is not recycled from it
	} {
		r, err := Breach(ctx, st, tc.breach, vault.New(st, kr, nil).Open, nil)
		if err != nil {
			t.Fatal(err)
		}
		if r.Verdict.Kind != tc.kind || r.Verdict.From != tc.from {
			t.Errorf("%s: %+v, want %s %s\n%+v", tc.breach, r.Verdict, tc.kind, tc.from, r.Others)
		}
		if len(r.Verdict.Reasons) == 0 {
			t.Errorf("%s: a verdict without reasons", tc.breach)
		}
	}
	r, _ := Breach(ctx, st, "Repack", vault.New(st, kr, nil).Open, nil)
	if r.Others[0].Breach != "Original" || r.Others[0].PairShare < 0.85 || r.Others[0].PairShare > 0.95 || !r.Others[0].Earlier {
		t.Errorf("Repack's largest overlap: %+v", r.Others[0])
	}
	if r.Verdict.Suggest != "fabricated" {
		t.Errorf("suggested flag %q", r.Verdict.Suggest)
	}
	// The import's profile: real-looking generated passwords are
	// Zipf-like, the emails at common mail domains.
	in := r.Internal
	if in == nil || in.Rows != 2000 || in.Passwords < 1500 || in.ZipfSlope > -0.2 || len(in.TopDomains) == 0 || in.Completeness["Email addresses"] < 0.9 {
		t.Errorf("Repack's internal figures: %+v", in)
	}
	// Addresses at domains the rest of the store has: a fresh leak of
	// real-looking users has them; made-up domains are unknown.
	var fab bytes.Buffer
	if _, err := leakgen.GenerateAlleged(ctx, &fab, leakgen.AllegedOptions{Kind: leakgen.AllegedUniform, Rows: 500, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	imp("Made", "2025-03-01", strings.Split(strings.TrimSpace(fab.String()), "\n"))
	tag := identity.New(kr).Domain
	for name, want := range map[string]func(float64) bool{"Fresh": func(f float64) bool { return f < 0.3 }, "Made": func(f float64) bool { return f > 0.95 }} {
		r, err := Breach(ctx, st, name, vault.New(st, kr, nil).Open, tag)
		if err != nil {
			t.Fatal(err)
		}
		if !want(r.UnknownDomainShare) {
			t.Errorf("%s: %.2f of its addresses at domains unknown elsewhere", name, r.UnknownDomainShare)
		}
	}
	// A repackage's passwords were in the corpus before its import.
	if in.KnownSampled < 50 || in.KnownShare < 0.8 || in.MixedStorage {
		t.Errorf("Repack: %.2f of %d sampled passwords known before, mixed storage %v", in.KnownShare, in.KnownSampled, in.MixedStorage)
	}
}

// TestHTMLReport: the report page is well-formed, names the verdict and
// its figures, and refers to nothing outside itself.
func TestHTMLReport(t *testing.T) {
	r := &Report{Breach: `Shop<script>`, Accounts: 100, Pairs: 90, Others: []Other{{Breach: "Old", PairShare: 0.9, Earlier: true}},
		Verdict: Verdict{Kind: Recycled, From: "Old", Confidence: "medium", Reasons: []string{"90% of them are in Old"}, Suggest: "fabricated"},
		Internal: &evidence.Signals{Rows: 100, Passwords: 90, Completeness: map[string]float64{"Passwords": 0.9}, Lengths: make([]int64, evidence.MaxLength+1),
			TopDomains: []evidence.Share{{Value: "gmail.com", Share: 0.3}}}}
	var b bytes.Buffer
	if err := WriteHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var svgs int
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if n.Data == "svg" {
				svgs++
			}
			if n.Data == "script" || n.Data == "img" || n.Data == "link" || n.Data == "iframe" {
				t.Errorf("a <%s> in the report", n.Data)
			}
			for _, a := range n.Attr {
				if a.Key == "src" || a.Key == "href" || strings.HasPrefix(a.Key, "on") {
					t.Errorf("<%s %s=%q> in the report", n.Data, a.Key, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if svgs != 4 {
		t.Errorf("%d charts, want 4", svgs)
	}
	for _, s := range []string{"likely recycled from Old", "Shop&lt;script&gt;", "gmail.com", "--fabricated"} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("the report lacks %q", s)
		}
	}
}

// TestJSONSchema: the --json report's fields, as scripts read them.
func TestJSONSchema(t *testing.T) {
	r := &Report{Breach: "X", Others: []Other{{Breach: "Y"}}, Internal: &evidence.Signals{Completeness: map[string]float64{}},
		Verdict: Verdict{Kind: Recycled, From: "Y", Confidence: "high", Reasons: []string{"r"}, Suggest: "fabricated"}, Signals: []string{"recycling"}, Missing: []string{}}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"breach", "accounts", "pairs", "shared_accounts", "shared_pairs", "others", "internal", "declared_domain_share", "unknown_domain_share", "verdict", "signals", "missing"} {
		if _, ok := m[k]; !ok {
			t.Errorf("no %q in %s", k, b)
		}
	}
	v := m["verdict"].(map[string]any)
	for _, k := range []string{"kind", "from", "confidence", "reasons", "suggest"} {
		if _, ok := v[k]; !ok {
			t.Errorf("no verdict.%q in %s", k, b)
		}
	}
	o := m["others"].([]any)[0].(map[string]any)
	for _, k := range []string{"breach", "breach_date", "accounts", "pairs", "account_share", "pair_share", "earlier"} {
		if _, ok := o[k]; !ok {
			t.Errorf("no others[0].%q in %s", k, b)
		}
	}
	in := m["internal"].(map[string]any)
	for _, k := range []string{"rows", "completeness", "top_domains", "top_tlds", "passwords", "top10_share", "zipf_slope", "duplicate_share", "known_share", "schemes", "mixed_storage", "names_in_email_share", "lengths"} {
		if _, ok := in[k]; !ok {
			t.Errorf("no internal.%q in %s", k, b)
		}
	}
}
