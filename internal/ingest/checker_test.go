package ingest

import (
	"slices"
	"testing"

	"github.com/leakwatch/leakwatch/internal/exposure"
)

// TestCheckerCaptures: a checker's capture after the password is no part
// of it: the password alone is counted in the Pwned Passwords corpus, the
// whole tail is not, and the captured country is a data class, never an
// account.
func TestCheckerCaptures(t *testing.T) {
	f := newFixture(t)
	x := exposure.New(f.st, f.kr)
	dir := t.TempDir()
	combo := "cap.one@mail.example:CapOne#1 | Plan = Premium | Country = US | Checked by @SomeBot\n" +
		"cap.two@mail.example:CapTwo#2 | Plan: Basic | Country: CA\n" +
		"cap.three@mail.example:CapThree#3 [Plan: Premium] [Name: Jean Dupont]\n"
	f.importFiles(t, "Checked", writeFile(t, dir, "hits.txt", []byte(combo)))
	for pw, want := range map[string]int64{
		"CapOne#1": 1, "CapTwo#2": 1, "CapThree#3": 1,
		"CapOne#1 | Plan = Premium | Country = US | Checked by @SomeBot": 0,
		"CapOne#1 | Plan = Premium":                                      0, "Premium": 0, "US": 0,
	} {
		if n, err := x.PasswordCount(ctx, []byte(pw)); err != nil || n != want {
			t.Errorf("PasswordCount(%q) = %d, %v; want %d", pw, n, err, want)
		}
	}
	for _, acct := range []string{"US", "Premium", "Jean Dupont", "@SomeBot", "SomeBot"} {
		if bs, err := x.AccountBreaches(ctx, acct, exposure.Public); err != nil || len(bs) != 0 {
			t.Errorf("captured %q is an account: %v, %v", acct, bs, err)
		}
	}
	b, err := f.st.Breach(ctx, "Checked")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Email addresses", "Geographic locations", "Names", "Passwords"}; !slices.Equal(b.DataClasses, want) {
		t.Errorf("DataClasses %v, want %v", b.DataClasses, want)
	}
	if b.PwnCount != 3 {
		t.Errorf("PwnCount %d, want 3", b.PwnCount)
	}
}
