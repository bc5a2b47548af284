package exposure_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/exposure"
	"github.com/leakwatch/leakwatch/internal/ingest"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"
)

// A retired breach's stealer-log sightings answer nothing, as its accounts
// answer nothing; a sighting also in another breach still answers.
func TestRetiredSightings(t *testing.T) {
	dir := t.TempDir()
	st, err := pebblestore.Open(filepath.Join(dir, "store"), pebblestore.Options{CacheSize: 8 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	kr, err := keyring.Create(filepath.Join(dir, "keyring.json"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, lines := range map[string]string{
		"LogsA": "https://www.netflix.com/login:alice@corp.example.com:pw1\nhttps://github.com/login:alice@corp.example.com:pw2\n",
		"LogsB": "https://github.com/session:alice@corp.example.com:pw3\nhttps://github.com/session:bob@corp.example.com:pw4\n",
	} {
		p := filepath.Join(dir, name+".txt")
		os.WriteFile(p, []byte(lines), 0o600)
		meta := catalog.New(name, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
		if _, err := ingest.Import(ctx, st, kr, []string{p}, ingest.Options{Breach: meta, TempDir: dir}); err != nil {
			t.Fatal(err)
		}
	}
	x := exposure.New(st, kr)
	who := exposure.Audience{Domains: []string{"corp.example.com", "github.com"}}
	check := func(when string, sites, users []string) {
		t.Helper()
		got, err := x.StealerLogsByEmail(ctx, "alice@corp.example.com", who, false)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(sites, got); diff != "" {
			t.Errorf("%s: sites of alice (-want +got):\n%s", when, diff)
		}
		got, err = x.StealerLogsByWebsite(ctx, "github.com", who, false)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(users, got); diff != "" {
			t.Errorf("%s: addresses at github.com (-want +got):\n%s", when, diff)
		}
	}
	check("both breaches", []string{"github.com", "netflix.com"}, []string{"alice@corp.example.com", "bob@corp.example.com"})
	retire := func(name string) {
		b, err := st.Breach(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		b.IsRetired = true
		if err := st.PutBreach(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	retire("LogsA")
	check("LogsA retired", []string{"github.com"}, []string{"alice@corp.example.com", "bob@corp.example.com"})
	retire("LogsB")
	check("both retired", []string{}, []string{})
}
