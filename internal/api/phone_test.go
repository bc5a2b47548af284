package api

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/ingest"
)

// TestPhoneAccounts: breachedaccount finds a phone login by its E.164 form
// with or without the '+', as it was imported from a combolist.
func TestPhoneAccounts(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	p := filepath.Join(dir, "phones.txt")
	if err := os.WriteFile(p, []byte("+447946000111:PhonePass1\n79161234567:RuPhone22\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	b := catalog.Breach{Name: "Phones", Title: "Phones", BreachDate: "2025-01-01", AddedDate: day("2020-01-02"), ModifiedDate: day("2020-01-02"), IsVerified: true}
	if _, err := ingest.Import(ctx, f.st, f.kr, []string{p}, ingest.Options{Breach: b, TempDir: dir, Workers: 1}); err != nil {
		t.Fatal(err)
	}
	key := "hibp-api-key: " + f.keys["main"]
	for _, acct := range []string{"%2B447946000111", "+447946000111", "447946000111", "79161234567", "%2B79161234567", "+7%20916%20123-45-67"} {
		resp := f.do("GET", "/api/v3/breachedaccount/"+acct, key)
		if body := readBody(t, resp); resp.StatusCode != 200 || body != `[{"Name":"Phones"}]` {
			t.Errorf("%s: %d %s", acct, resp.StatusCode, body)
		}
	}
	resp := f.do("GET", "/api/v3/breachedaccount/79161234568", key)
	if resp.StatusCode != 404 {
		t.Errorf("another number: %d, want 404", resp.StatusCode)
	}
}
