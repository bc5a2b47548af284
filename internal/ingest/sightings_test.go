package ingest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakwatch/leakwatch/internal/account"
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/identity"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/leakgen"
	"github.com/leakwatch/leakwatch/internal/leakparse"
	"github.com/leakwatch/leakwatch/internal/website"
)

// sighting is a stealer-log fact in the clear: an email, a website domain
// and whether it is noise.
type sighting struct {
	Email, Site string
	Noise       bool
}

// storedSites returns what the store says of emails: the websites each
// was captured at, through AccountSites, with the sealed domains opened,
// and checks that WebsiteAccounts finds each email through each site.
func (f *fixture) storedSites(t *testing.T, emails []string) []sighting {
	t.Helper()
	d := identity.New(f.kr)
	o := keyring.NewOpener(f.kr, f.st)
	var got []sighting
	for _, e := range emails {
		kind, norm, ok := account.AppendLogin(nil, []byte(e))
		if !ok || kind != account.KindEmail {
			t.Fatalf("%q is no email", e)
		}
		key := d.Account(account.KindEmail, norm)
		sites, err := f.st.AccountSites(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sites {
			dom, err := o.Open(ctx, s.Sealed)
			if err != nil {
				t.Fatal(err)
			}
			// Tagged as identity spells domains (an IDN in Unicode), so
			// that its owner, who verified it so spelled, finds it.
			name, err := identity.DomainName(string(dom))
			if err != nil {
				t.Fatal(err)
			}
			if d.Domain([]byte(name)) != s.Website {
				t.Errorf("%s: sealed website %q is not the one tagged", norm, dom)
			}
			got = append(got, sighting{string(norm), string(dom), s.Noise})
			found := false
			for a, err := range f.st.WebsiteAccounts(ctx, s.Website) {
				if err != nil {
					t.Fatal(err)
				}
				if a.Key == key {
					found = true
					if a.Noise != s.Noise {
						t.Errorf("%s at %s: noise %v one way, %v the other", norm, dom, s.Noise, a.Noise)
					}
					email, err := o.Open(ctx, a.Sealed)
					if err != nil || string(email) != string(norm) {
						t.Errorf("%s at %s: WebsiteAccounts gives the sealed email %q, %v", norm, dom, email, err)
					}
				}
			}
			if !found {
				t.Errorf("%s at %s: not in WebsiteAccounts", norm, dom)
			}
		}
	}
	return sortSightings(got)
}

func sortSightings(s []sighting) []sighting {
	slices.SortFunc(s, func(a, b sighting) int {
		return strings.Compare(a.Email+"\x00"+a.Site, b.Email+"\x00"+b.Site)
	})
	return slices.Compact(s)
}

func (f *fixture) breach(t *testing.T, name string) catalog.Breach {
	t.Helper()
	b, err := f.st.Breach(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSightingsULP imports ULP lines: an email login with a website is a
// sighting, noise at the email's own provider; a username or phone login,
// an IP address or localhost, none.
func TestSightingsULP(t *testing.T) {
	f := newFixture(t)
	in := t.TempDir()
	p := writeFile(t, in, "ulp.txt", []byte(`https://accounts.google.com/signin/v2?x=1:Alice@Gmail.com:pw1
https://www.netflix.com/login:alice@gmail.com:pw2
android://AbC123xyz==@com.instagram.android/:alice@gmail.com:pw3
http://shop.example.co.uk:8443/a|bob@example.co.uk|pw4
login.live.com:carol@hotmail.com:pw5
https://login.example.com/signin:jdoe:pw6
http://192.0.2.10:8080/admin|dave@example.net|pw7
http://localhost:3000/:dave@example.net:pw8
https://www.bücher.de/login:dave@example.net:pw9
`))
	sum := f.importFiles(t, "Stealer", p)
	want := []sighting{
		{"alice@gmail.com", "google.com", true},
		{"alice@gmail.com", "instagram.com", false},
		{"alice@gmail.com", "netflix.com", false},
		{"bob@example.co.uk", "example.co.uk", true},
		{"carol@hotmail.com", "live.com", true},
		{"dave@example.net", "xn--bcher-kva.de", false},
	}
	got := f.storedSites(t, []string{"alice@gmail.com", "bob@example.co.uk", "carol@hotmail.com", "dave@example.net"})
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sightings (-want +got):\n%s", diff)
	}
	if sum.Sightings != int64(len(want)) || !sum.StealerLog {
		t.Errorf("summary: %d sightings, stealer log %v; want %d, true", sum.Sightings, sum.StealerLog, len(want))
	}
	if !f.breach(t, "Stealer").IsStealerLog {
		t.Error("a new breach with sightings is not flagged IsStealerLog")
	}
}

// expectedSightings parses a leak file as the import does and returns the
// sightings its records should give.
func expectedSightings(t *testing.T, path string) ([]sighting, []string) {
	t.Helper()
	r, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	c := &sightingCollector{}
	if _, err := leakparse.Parse(ctx, r, leakparse.Options{Name: filepath.Base(path)}, c); errors.Is(err, leakparse.ErrNotALeak) {
		return nil, nil // a log whose head is junk, which the import fails too
	} else if err != nil {
		t.Fatal(err)
	}
	return c.want, c.emails
}

type sightingCollector struct {
	want   []sighting
	emails []string
}

func (c *sightingCollector) Record(r *leakparse.Record) error {
	if r.Format != leakparse.FormatULP && r.Format != leakparse.FormatStealer {
		return nil
	}
	var emails, sites []string
	for _, f := range r.Fields {
		switch f.Class {
		case catalog.ClassEmail, catalog.ClassUsername:
			if kind, norm, ok := account.AppendLogin(nil, f.Value); ok && kind == account.KindEmail {
				emails = append(emails, string(norm))
			}
		case catalog.ClassWebsite:
			if d, ok := website.Domain(nil, f.Value); ok {
				sites = append(sites, string(d))
			}
		}
	}
	for _, e := range emails {
		c.emails = append(c.emails, e)
		for _, s := range sites {
			c.want = append(c.want, sighting{e, s, website.Noise(e[strings.LastIndexByte(e, '@')+1:], s)})
		}
	}
	return nil
}

func (c *sightingCollector) Quarantine(*leakparse.Quarantine) error { return nil }

// TestSightingsGenerated imports a generated ULP combolist and a generated
// stealer-log folder and finds every sighting their records hold.
func TestSightingsGenerated(t *testing.T) {
	f := newFixture(t)
	in := t.TempDir()
	ulp := genFile(t, in, leakparse.FormatULP, 600, 31)
	logs := filepath.Join(in, "logs")
	if _, err := leakgen.GenerateStealerTree(ctx, logs, leakgen.Options{Rows: 600, Seed: 32, JunkEvery: 97}); err != nil {
		t.Fatal(err)
	}
	want, emails := expectedSightings(t, ulp)
	err := filepath.WalkDir(logs, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(d.Name(), "Passwords.txt") {
			w, e := expectedSightings(t, p)
			want, emails = append(want, w...), append(emails, e...)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want = sortSightings(want)
	slices.Sort(emails)
	emails = slices.Compact(emails)
	if len(want) < 100 {
		t.Fatalf("only %d sightings generated", len(want))
	}
	// A sighting that is noise means the same provider; one that is not,
	// the generator's mix of sites, so both kinds should be there.
	noise := 0
	for _, s := range want {
		if s.Noise {
			noise++
		}
	}
	t.Logf("%d sightings of %d emails, %d noise", len(want), len(emails), noise)
	sum := f.importFiles(t, "Logs", ulp, logs)
	got := f.storedSites(t, emails)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sightings (-want +got):\n%s", diff)
	}
	if !sum.StealerLog || !f.breach(t, "Logs").IsStealerLog {
		t.Error("breach not flagged IsStealerLog")
	}
}

// TestSightingsNotFromTables: a CSV's website column is no sign-in site,
// and a breach without sightings stays as it was.
func TestSightingsNotFromTables(t *testing.T) {
	f := newFixture(t)
	in := t.TempDir()
	p := writeFile(t, in, "customers.csv", []byte("email,password,website\nalice@example.com,pw1,https://www.example.org/\nbob@gmail.com,pw2,https://accounts.google.com/\n"))
	sum := f.importFiles(t, "Shop", p)
	if got := f.storedSites(t, []string{"alice@example.com", "bob@gmail.com"}); len(got) > 0 {
		t.Errorf("a CSV's website column gave sightings: %v", got)
	}
	if sum.Sightings != 0 || sum.StealerLog || f.breach(t, "Shop").IsStealerLog {
		t.Errorf("a CSV without sightings: %d sightings, stealer log %v", sum.Sightings, f.breach(t, "Shop").IsStealerLog)
	}
	if sum.DataClasses&catalog.ClassSet(0).Add(catalog.ClassWebsite) == 0 {
		t.Error("the website column is not in the data classes")
	}
}

// TestSightingsFlagExistingBreach: a breach that had no sightings becomes
// a stealer-log breach with its first, its other metadata unchanged.
func TestSightingsFlagExistingBreach(t *testing.T) {
	f := newFixture(t)
	in := t.TempDir()
	combo := writeFile(t, in, "combo.txt", []byte("alice@example.com:pw1\nbob@example.com:pw2\n"))
	f.importFiles(t, "Mixed", combo)
	b := f.breach(t, "Mixed")
	if b.IsStealerLog {
		t.Fatal("a combolist made a stealer-log breach")
	}
	b.Title, b.IsVerified = "Mixed bag", true
	if err := f.st.PutBreach(ctx, b); err != nil {
		t.Fatal(err)
	}
	ulp := writeFile(t, in, "ulp.txt", []byte("https://www.netflix.com/login:alice@example.com:pw1\n"))
	sum := f.importFiles(t, "Mixed", ulp)
	if !sum.StealerLog {
		t.Error("summary: not flagged")
	}
	got := f.breach(t, "Mixed")
	if !got.IsStealerLog || got.Title != "Mixed bag" || !got.IsVerified {
		t.Errorf("breach after a ULP import: IsStealerLog %v, Title %q, IsVerified %v", got.IsStealerLog, got.Title, got.IsVerified)
	}
	if sites := f.storedSites(t, []string{"alice@example.com"}); !slices.Equal(sites, []sighting{{"alice@example.com", "netflix.com", false}}) {
		t.Errorf("sightings: %v", sites)
	}
}
