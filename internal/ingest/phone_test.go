package ingest

import (
	"slices"
	"testing"

	"github.com/leakwatch/leakwatch/internal/exposure"
)

// TestPhoneLogins: a combolist's phone logins are stored as phone numbers
// and counted as such in the breach's data classes; a lookup finds them by
// their E.164 form with or without its '+'. With --phone-region, national
// forms are phone numbers of that region too.
func TestPhoneLogins(t *testing.T) {
	f := newFixture(t)
	x := exposure.New(f.st, f.kr)
	dir := t.TempDir()
	combo := "+447946000111:PhonePass1\n" +
		"79161234567:RuPhone22\n" +
		"8 (916) 555-44-33:NationalRu3\n" +
		"1234567890:QqNumber4\n"
	p := writeFile(t, dir, "phones.txt", []byte(combo))

	if _, err := Import(ctx, f.st, f.kr, []string{p}, opts("NoRegion")); err != nil {
		t.Fatal(err)
	}
	withRU := opts("RegionRU")
	withRU.PhoneRegion = "RU"
	if _, err := Import(ctx, f.st, f.kr, []string{p}, withRU); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lookup string
		want   []string
	}{
		{"+447946000111", []string{"NoRegion", "RegionRU"}},
		{"447946000111", []string{"NoRegion", "RegionRU"}},
		{"+44 7946 000111", []string{"NoRegion", "RegionRU"}},
		{"79161234567", []string{"NoRegion", "RegionRU"}},
		{"+79161234567", []string{"NoRegion", "RegionRU"}},
		// A national form is a phone number only given its region; a
		// lookup finds it then by its E.164 form, else as typed.
		{"+79165554433", []string{"RegionRU"}},
		{"79165554433", []string{"RegionRU"}},
		{"8 (916) 555-44-33", []string{"NoRegion"}},
		// A QQ number is a username in both.
		{"1234567890", []string{"NoRegion", "RegionRU"}},
	} {
		bs, err := x.AccountBreaches(ctx, tc.lookup, exposure.Public)
		if err != nil {
			t.Fatalf("%s: %v", tc.lookup, err)
		}
		var got []string
		for _, b := range bs {
			got = append(got, b.Name)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("lookup %q: %v, want %v", tc.lookup, got, tc.want)
		}
	}
	for name, want := range map[string][]string{
		"NoRegion": {"Passwords", "Phone numbers", "Usernames"},
		"RegionRU": {"Passwords", "Phone numbers", "Usernames"},
	} {
		b, err := f.st.Breach(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(b.DataClasses, want) {
			t.Errorf("%s: DataClasses %v, want %v", name, b.DataClasses, want)
		}
	}
}

// TestNationalPhoneLoginsAreNoUsernames: with --phone-region, a file of
// national phone logins has phone numbers among its data classes, not
// usernames: the class follows account's decision, not the parser's
// (which knows no region).
func TestNationalPhoneLoginsAreNoUsernames(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	p := writeFile(t, dir, "ru.txt", []byte("8 (916) 555-44-33:NationalRu1\n89161112233:NationalRu2\n"))
	o := opts("RU")
	o.PhoneRegion = "RU"
	if _, err := Import(ctx, f.st, f.kr, []string{p}, o); err != nil {
		t.Fatal(err)
	}
	b, err := f.st.Breach(ctx, "RU")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Passwords", "Phone numbers"}; !slices.Equal(b.DataClasses, want) {
		t.Errorf("DataClasses %v, want %v", b.DataClasses, want)
	}
	if b.PwnCount != 2 {
		t.Errorf("PwnCount %d, want 2 (two phone numbers)", b.PwnCount)
	}
}
