package account

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEmail(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // "" means rejected
	}{
		{"already normal", "alice@example.com", "alice@example.com"},
		{"upper case and spaces", "  Alice@Example.COM \r\n", "alice@example.com"},
		{"tabs and no-break spaces", "\t\u00a0ERIN@EXAMPLE.COM\u00a0", "erin@example.com"},
		{"plus tag kept", "Bob+Leaks@Example.net", "bob+leaks@example.net"},
		{"gmail dots kept", "J.Doe@GMail.com", "j.doe@gmail.com"},
		{"subdomain", "x@mail.Example.co.UK", "x@mail.example.co.uk"},
		{"unicode local part", "ÜSER@Bücher.DE", "üser@bücher.de"},
		{"cyrillic", "Иван@Пример.РФ", "иван@пример.рф"},
		{"greek capital sigma", "ΣΟΦΙΑ@example.gr", "σοφια@example.gr"},
		{"kelvin sign folds to ascii k", "\u212Aelvin@example.com", "kelvin@example.com"},
		{"titlecase digraph", "ǅemal@example.com", "ǆemal@example.com"},
		{"length limit exactly", strings.Repeat("a", 242) + "@example.com", strings.Repeat("a", 242) + "@example.com"},
		{"too long", strings.Repeat("a", 243) + "@example.com", ""},
		{"empty", "", ""},
		{"only spaces", "   ", ""},
		{"no at", "alice.example.com", ""},
		{"two ats", "alice@home@example.com", ""},
		{"double at", "alice@@example.com", ""},
		{"empty local part", "@example.com", ""},
		{"empty domain", "alice@", ""},
		{"single-label domain", "Walter@LocalHost", "walter@localhost"},
		{"numeric domain", "5@10", ""},
		{"domain leading dot", "alice@.example.com", ""},
		{"domain trailing dot", "alice@example.com.", "alice@example.com"},
		{"domain two trailing dots", "alice@example.com..", ""},
		{"domain empty label", "alice@example..com", ""},
		{"inner space", "alice smith@example.com", ""},
		{"inner tab", "alice\t@example.com", ""},
		{"inner no-break space", "alice\u00a0@example.com", ""},
		{"zero width space", "alice\u200b@example.com", ""},
		{"nul byte", "alice\x00@example.com", ""},
		{"invalid utf-8", "al\xffice@example.com", ""},
		{"bom", "\ufeffalice@example.com", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Email([]byte(tt.in))
			if ok != (tt.want != "") {
				t.Fatalf("Email(%q) ok = %v, want %v", tt.in, ok, tt.want != "")
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("Email(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}

			// AppendEmail appends after existing content and leaves dst
			// alone on failure.
			dst := []byte("prefix|")
			got2, ok2 := AppendEmail(dst, []byte(tt.in))
			if diff := cmp.Diff("prefix|"+tt.want, string(got2)); ok2 != ok || diff != "" {
				t.Errorf("AppendEmail(%q) = %q, %v; want %q, %v", tt.in, got2, ok2, "prefix|"+tt.want, ok)
			}
		})
	}
}

func TestLogin(t *testing.T) {
	tests := []struct {
		in   string
		kind Kind
		want string // "" means no identifier
	}{
		{"alice@example.com", KindEmail, "alice@example.com"},
		{" Walter@localhost ", KindEmail, "walter@localhost"},
		{"a@b", KindEmail, "a@b"},
		{"5@10", KindUsername, "5@10"},
		{"alice@", KindUsername, "alice@"},
		{"@jdoe", KindUsername, "@jdoe"},
		{"alice@@example.com", KindUsername, "alice@@example.com"},
		{"alice smith@example.com", KindUsername, "alice smith@example.com"},
		{"+447946000111", KindPhone, "+447946000111"},
		{"+1 (212) 555-0100", KindPhone, "+12125550100"},
		{"+bob", KindUsername, "+bob"},
		{"79161234567", KindPhone, "+79161234567"},
		{"JDoe", KindUsername, "jdoe"},
		{"", 0, ""},
		{"  ", 0, ""},
		{"bad\x00nul", 0, ""},
	}
	for _, tt := range tests {
		kind, norm, ok := Login([]byte(tt.in))
		if ok != (tt.want != "") || ok && (kind != tt.kind || string(norm) != tt.want) {
			t.Errorf("Login(%q) = %v %q %v; want %v %q", tt.in, kind, norm, ok, tt.kind, tt.want)
		}
		if IsEmail([]byte(tt.in)) != (tt.kind == KindEmail && ok) {
			t.Errorf("IsEmail(%q) disagrees with Login", tt.in)
		}
	}
}

// FuzzIsEmail checks that IsEmail's fast path decides as AppendLogin does.
func FuzzIsEmail(f *testing.F) {
	for _, s := range []string{"alice@example.com", "A@B", "a b@c.d", "x@" + strings.Repeat("a", 260), "\x7f@a.b", "é@x.fr"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		kind, _, ok := Login([]byte(s))
		if IsEmail([]byte(s)) != (ok && kind == KindEmail) {
			t.Errorf("IsEmail(%q) = %v, Login says %v %v", s, IsEmail([]byte(s)), kind, ok)
		}
	})
}

// FuzzLogin checks that the decision is stable: a normalised login is
// decided the same way again, to the same value, so lookups of what an
// import stored find it.
func FuzzLogin(f *testing.F) {
	for _, s := range []string{"alice@example.com", "Walter@localhost", "+447946000111", "@jdoe", "a@b@c", "ÜSER@Bücher.DE",
		"79161234567", "380501234567", "13812345678", "8 (916) 123-45-67", "89161234567", "9161234567", "07946000111"} {
		f.Add(s, "")
		f.Add(s, "RU")
	}
	f.Add("13812345678", "CN")
	f.Add("07946 000111", "GB")
	f.Add("(212) 555-0100", "US")
	f.Fuzz(func(t *testing.T, s, region string) {
		kind, norm, ok := Login([]byte(s))
		if ok {
			kind2, norm2, ok2 := Login(norm)
			if !ok2 || kind2 != kind || string(norm2) != string(norm) {
				t.Errorf("Login(%q) = %v %q, but Login of that = %v %q %v", s, kind, norm, kind2, norm2, ok2)
			}
			if IsPhone([]byte(s)) != (kind == KindPhone) {
				t.Errorf("IsPhone(%q) disagrees with Login's %v", s, kind)
			}
		}
		// What an import with a --phone-region stores, a lookup (which
		// knows no region) finds by the normalised form.
		kind, norm, ok = AppendLoginIn(nil, []byte(s), region)
		if !ok {
			return
		}
		kind2, norm2, ok2 := Login(norm)
		if !ok2 || kind2 != kind || string(norm2) != string(norm) {
			t.Errorf("AppendLoginIn(%q, %q) = %v %q, but Login of that = %v %q %v", s, region, kind, norm, kind2, norm2, ok2)
		}
	})
}

// TestPhoneLogins: which digit strings are phone numbers (see e164.go).
func TestPhoneLogins(t *testing.T) {
	tests := []struct {
		in, region string
		want       string // a phone's E.164 form; "" for a username
	}{
		// International numbers without their '+': mobile numbers of 11
		// to 15 digits.
		{"79161234567", "", "+79161234567"},     // Russia, mobile
		{" 79161234567\t", "", "+79161234567"},  // surrounding white space
		{"77011234567", "", "+77011234567"},     // Kazakhstan, mobile (zone 7)
		{"380501234567", "", "+380501234567"},   // Ukraine
		{"375291234567", "", "+375291234567"},   // Belarus
		{"998901234567", "", "+998901234567"},   // Uzbekistan
		{"919876543210", "", "+919876543210"},   // India
		{"447946000111", "", "+447946000111"},   // Britain
		{"4915123456789", "", "+4915123456789"}, // Germany, 13 digits
		{"8613812345678", "", "+8613812345678"}, // China
		{"5511987654321", "", "+5511987654321"}, // Brazil
		{"905321234567", "", "+905321234567"},   // Turkey
		{"84912345678", "", "+84912345678"},     // Vietnam
		// Digit strings that are no (certain) phone numbers.
		{"74951234567", "", ""},       // a Moscow landline: mobile numbers only
		{"89161234567", "", ""},       // Russian national form: 89 is no country code
		{"7916123456", "", ""},        // ten digits
		{"791612345678", "", ""},      // zone 7 numbers have ten national digits
		{"13812345678", "", ""},       // Chinese national mobile or North American: not told apart
		{"12125550100", "", ""},       // North American without '+'
		{"2125550100", "", ""},        // ten digits: a national number, a QQ number or a user id
		{"1234567890", "", ""},        // QQ number
		{"3123456789", "", ""},        // QQ number
		{"123456789", "", ""},         // ICQ UIN
		{"4567890123", "", ""},        // Telegram-sized user id
		{"1700000000000", "", ""},     // a timestamp in milliseconds
		{"76561198000000000", "", ""}, // a Steam id: too long
		{"00447946000111", "", ""},    // an international prefix: given a region only
		{"07946000111", "", ""},       // a trunk prefix: given a region only
		{"44794600011", "", ""},       // a British mobile number one digit short
		{"7916123456a", "", ""},       // not digits only
		{"7 916 123 45 67", "", ""},   // punctuation without '+': given a region only
		{"+79161234567", "", "+79161234567"},
		// National forms, given the region of the leak.
		{"8 (916) 123-45-67", "RU", "+79161234567"},
		{"89161234567", "RU", "+79161234567"},
		{"9161234567", "RU", "+79161234567"},
		{"8 495 123-45-67", "RU", "+74951234567"}, // a landline written as one
		{"4951234567", "RU", ""},                  // a landline in digits only: no mobile number
		{"79161234567", "RU", "+79161234567"},     // international, as without a region
		{"123456", "RU", ""},
		{"jdoe", "RU", ""},
		{"07946000111", "GB", "+447946000111"},
		{"07946 000111", "gb", "+447946000111"},
		{"0044 7946 000111", "GB", "+447946000111"},
		{"13812345678", "CN", "+8613812345678"},
		{"1234567890", "CN", ""}, // a QQ number stays one in China
		{"9876543210", "IN", "+919876543210"},
		{"2125550100", "US", "+12125550100"},
		{"12125550100", "US", "+12125550100"},
		{"(212) 555-0100", "US", "+12125550100"},
		{"1125550100", "US", ""},              // no North American number
		{"79161234567", "US", "+79161234567"}, // no national number: international
		{"9161234567", "XX", ""},              // an unknown region
	}
	for _, tt := range tests {
		kind, norm, ok := AppendLoginIn([]byte("x|"), []byte(tt.in), tt.region)
		if !ok {
			t.Errorf("AppendLoginIn(%q, %q) rejected it", tt.in, tt.region)
			continue
		}
		got := ""
		if kind == KindPhone {
			got = string(norm[2:])
		}
		if got != tt.want {
			t.Errorf("AppendLoginIn(%q, %q) = %v %q; want phone %q", tt.in, tt.region, kind, norm[2:], tt.want)
		}
		if tt.region == "" && IsPhone([]byte(tt.in)) != (tt.want != "") {
			t.Errorf("IsPhone(%q) = %v; want %v", tt.in, !(tt.want != ""), tt.want != "")
		}
		// A lookup, which knows no region, finds what was stored.
		if kind2, norm2, _ := Login(norm[2:]); kind2 != kind || string(norm2) != string(norm[2:]) {
			t.Errorf("Login(%q) = %v %q; want %v, unchanged", norm[2:], kind2, norm2, kind)
		}
	}
}

func TestMatchPrefix(t *testing.T) {
	for _, tt := range []struct {
		pat, d string
		want   bool
	}{
		{"9", "9161234567", true},
		{"9", "8161234567", false},
		{"70[0-25-8]", "7051234567", true},
		{"70[0-25-8]", "7041234567", false},
		{"70[0-25-8]", "7081234567", true},
		{"6[09]", "6912345678", true},
		{"6[09]", "6812345678", false},
		{"61[1358][0-9][0189]", "6137812345", true},
		{"61[1358][0-9][0189]", "6137212345", false},
		{"747", "74", false},
		{"", "1", true},
	} {
		if got := matchPrefix(tt.pat, []byte(tt.d)); got != tt.want {
			t.Errorf("matchPrefix(%q, %q) = %v; want %v", tt.pat, tt.d, got, tt.want)
		}
	}
}

func TestEmailIdempotent(t *testing.T) {
	for _, in := range []string{"  Alice@Example.COM ", "ÜSER@Bücher.DE", "\u212Aelvin@example.com"} {
		once, ok := Email([]byte(in))
		if !ok {
			t.Fatalf("Email(%q) rejected", in)
		}
		twice, ok := Email(once)
		if !ok || string(twice) != string(once) {
			t.Errorf("Email(Email(%q)) = %q, %v; want %q, true", in, twice, ok, once)
		}
	}
}

func TestDomain(t *testing.T) {
	tests := []struct {
		in   string
		want []byte
	}{
		{"alice@example.com", []byte("example.com")},
		{"a@b@c.example", []byte("c.example")},
		{"alice@", []byte{}},
		{"no-at-sign", nil},
		{"", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Domain([]byte(tt.in))); diff != "" {
				t.Errorf("Domain(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestUsername(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // "" means rejected
	}{
		{"plain", "jdoe", "jdoe"},
		{"case and spaces", "  JDoe_1987 \n", "jdoe_1987"},
		{"inner space kept", "John Doe", "john doe"},
		{"unicode", "ÀDMIN", "àdmin"},
		{"cyrillic", "Пётр", "пётр"},
		{"emoji zwj sequence kept", "Cat\u200d🔥", "cat\u200d🔥"},
		{"email-like usernames are usernames", "Alice@Example.com", "alice@example.com"},
		{"128 ascii", strings.Repeat("A", 128), strings.Repeat("a", 128)},
		{"129 ascii", strings.Repeat("a", 129), ""},
		{"128 cyrillic (256 bytes)", strings.Repeat("Ж", 128), strings.Repeat("ж", 128)},
		{"129 cyrillic", strings.Repeat("ж", 129), ""},
		{"empty", "", ""},
		{"only space", " \t ", ""},
		{"control", "ad\x07min", ""},
		{"c1 control", "ad\u0085min", ""},
		{"invalid utf-8", "adm\xc3", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Username([]byte(tt.in))
			if ok != (tt.want != "") {
				t.Fatalf("Username(%q) ok = %v, want %v", tt.in, ok, tt.want != "")
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("Username(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			got2, ok2 := AppendUsername([]byte("x|"), []byte(tt.in))
			if ok2 != ok || string(got2) != "x|"+tt.want {
				t.Errorf("AppendUsername(%q) = %q, %v; want %q, %v", tt.in, got2, ok2, "x|"+tt.want, ok)
			}
		})
	}
}

func TestPhone(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		country string
		want    string // "" means rejected
	}{
		{"us national parens", "(555) 010-0199", "US", "+15550100199"},
		{"us national with trunk 1", "1-555-010-0199", "US", "+15550100199"},
		{"us dots", "555.010.0199", "us", "+15550100199"},
		{"us international", "+1 555 010 0199", "", "+15550100199"},
		{"us seven digit local", "555-0199", "US", ""},
		{"us nine digits", "555 010 019", "US", ""},
		{"nanp international wrong length", "+1 555 010 019", "", ""},
		{"us idd 011", "011 44 20 7946 0958", "US", "+442079460958"},
		{"gb 0044", "0044 20 7946 0958", "GB", "+442079460958"},
		{"0044 without default country", "0044 20 7946 0958", "", "+442079460958"},
		{"gb national", "020 7946 0958", "GB", "+442079460958"},
		{"gb lower-case country", "020 7946 0958", "gb", "+442079460958"},
		{"gb (0) trunk", "+44 (0)20 7946 0958", "", "+442079460958"},
		{"gb (+44) in parens", "(+44) 20 7946 0958", "DE", "+442079460958"},
		{"de (0) trunk", "+49 (0)30 901820", "DE", "+4930901820"},
		{"de (0) trunk, 00 prefix", "0049 (0)30 901820", "", "+4930901820"},
		{"de national slash", "030/901820", "DE", "+4930901820"},
		{"de national (0)", "(0)30 901820", "DE", "+4930901820"},
		{"fr national", "01 23 45 67 89", "FR", "+33123456789"},
		{"fr dots", "01.23.45.67.89", "FR", "+33123456789"},
		{"fr no-break spaces", "+33\u00a01\u00a023\u00a045\u00a067\u00a089", "", "+33123456789"},
		{"en dashes", "+33 1\u201323\u201345\u201367\u201389", "", "+33123456789"},
		{"it keeps leading 0", "06 1234 5678", "IT", "+390612345678"},
		{"it international", "+39 06 1234 5678", "", "+390612345678"},
		{"es national", "612 345 678", "ES", "+34612345678"},
		{"nl national", "06 12345678", "NL", "+31612345678"},
		{"pl national", "512 345 678", "PL", "+48512345678"},
		{"br mobile", "(11) 98765-4321", "BR", "+5511987654321"},
		{"in mobile", "98765 43210", "IN", "+919876543210"},
		{"in with trunk", "098765 43210", "IN", "+919876543210"},
		{"ru trunk 8", "8 (495) 123-45-67", "RU", "+74951234567"},
		{"ru national", "495 123 45 67", "RU", "+74951234567"},
		{"ru international", "+7 495 123-45-67", "", "+74951234567"},
		{"fifteen digits", "+123 4567 8901 2345", "", ""}, // zone 1: wrong length
		{"fifteen digits ok", "+49 1234 5678 90123", "", "+491234567890123"},
		{"sixteen digits", "+49 1234 5678 901234", "", ""},
		{"eight digits ok", "+49 301234", "", "+49301234"},
		{"seven digits", "+49 30123", "", ""},
		{"national without default", "020 7946 0958", "", ""},
		{"unknown default country", "020 7946 0958", "XX", ""},
		{"default country too long", "020 7946 0958", "GBR", ""},
		{"country code starting with 0", "+0 123 456 789", "", ""},
		{"(0) in country code place", "+(0)44 20 7946 0958", "", ""},
		{"extension", "555-010-0199 x123", "US", ""},
		{"label", "tel: 555-010-0199", "US", ""},
		{"two plus signs", "+44 +20 7946 0958", "", ""},
		{"plus after digits", "44+20 7946 0958", "GB", ""},
		{"empty", "", "US", ""},
		{"only punctuation", " (-) ", "US", ""},
		{"only 00", "00", "GB", ""},
		{"way too many digits", strings.Repeat("1", 40), "DE", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Phone([]byte(tt.in), tt.country)
			if ok != (tt.want != "") {
				t.Fatalf("Phone(%q, %q) = %q, %v; want ok %v", tt.in, tt.country, got, ok, tt.want != "")
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Phone(%q, %q) mismatch (-want +got):\n%s", tt.in, tt.country, diff)
			}
			got2, ok2 := AppendPhone([]byte("p|"), []byte(tt.in), tt.country)
			if ok2 != ok || string(got2) != "p|"+tt.want {
				t.Errorf("AppendPhone(%q, %q) = %q, %v; want %q, %v", tt.in, tt.country, got2, ok2, "p|"+tt.want, ok)
			}
			if ok {
				// E.164 output is a fixed point for any default country.
				again, ok := Phone([]byte(got), "FR")
				if !ok || again != got {
					t.Errorf("Phone(%q, FR) = %q, %v; want it unchanged", got, again, ok)
				}
			}
		})
	}
}

func TestKindString(t *testing.T) {
	got := []string{KindEmail.String(), KindUsername.String(), KindPhone.String(), Kind(0).String(), Kind(200).String()}
	want := []string{"email", "username", "phone", "kind(0)", "kind(200)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Kind.String mismatch (-want +got):\n%s", diff)
	}
}

func TestAllocs(t *testing.T) {
	ascii := []byte("  Alice.Smith+Leaks@Example.COM ")
	unicode := []byte("ÜSER@Bücher.DE")
	phone := []byte("+44 (0)20 7946 0958")
	dst := make([]byte, 0, 128)
	allocs := testing.AllocsPerRun(100, func() {
		dst, _ = AppendEmail(dst[:0], ascii)
		dst, _ = AppendEmail(dst[:0], unicode)
		dst, _ = AppendUsername(dst[:0], ascii)
		dst, _ = AppendPhone(dst[:0], phone, "GB")
		_, dst, _ = AppendLogin(dst[:0], []byte("79161234567"))
		_, dst, _ = AppendLoginIn(dst[:0], []byte("8 (916) 123-45-67"), "RU")
		_ = IsPhone([]byte("380501234567"))
		_ = Domain(dst)
	})
	if allocs != 0 {
		t.Errorf("Append* allocate %v times per run, want 0", allocs)
	}
}

func FuzzEmail(f *testing.F) {
	for _, s := range []string{"  Alice@Example.COM ", "ÜSER@Bücher.DE", "a@b.c", "@", "a@@b..c", "\u212A@x.y"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, s []byte) {
		norm, ok := Email(s)
		if !ok {
			return
		}
		if len(norm) > MaxEmailLen || strings.Count(string(norm), "@") != 1 {
			t.Fatalf("Email(%q) = %q breaks the documented invariants", s, norm)
		}
		again, ok := Email(norm)
		if !ok || string(again) != string(norm) {
			t.Fatalf("Email not idempotent: %q -> %q -> %q, %v", s, norm, again, ok)
		}
	})
}

func FuzzPhone(f *testing.F) {
	for _, s := range []string{"(555) 010-0199", "0044 20 7946 0958", "+49 (0)30 901820", "8 (495) 123-45-67"} {
		f.Add([]byte(s), "US")
	}
	f.Fuzz(func(t *testing.T, s []byte, cc string) {
		e, ok := Phone(s, cc)
		if !ok {
			return
		}
		if len(e) < 1+MinPhoneDigits || len(e) > 1+MaxPhoneDigits || e[0] != '+' || strings.Trim(e[1:], "0123456789") != "" {
			t.Fatalf("Phone(%q, %q) = %q is not E.164", s, cc, e)
		}
		if again, ok := Phone([]byte(e), ""); !ok || again != e {
			t.Fatalf("Phone not idempotent: %q -> %q -> %q, %v", s, e, again, ok)
		}
	})
}

// Benchmarks: go test -run '^$' -bench . ./internal/account
// AppendEmail runs once per imported record.
func BenchmarkAppendEmail(b *testing.B) {
	for _, bc := range []struct{ name, in string }{
		{"ascii/lower", "alice.smith@example.com"},
		{"ascii/messy", "  Alice.Smith+Leaks@Example.COM \r\n"},
		{"unicode", "ÜSER.Müller@Bücher.DE"},
	} {
		in := []byte(bc.in)
		b.Run("input="+bc.name, func(b *testing.B) {
			dst := make([]byte, 0, 64)
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				dst, _ = AppendEmail(dst[:0], in)
			}
		})
	}
}

func BenchmarkAppendPhone(b *testing.B) {
	in := []byte("+44 (0)20 7946 0958")
	dst := make([]byte, 0, 16)
	b.ReportAllocs()
	for b.Loop() {
		dst, _ = AppendPhone(dst[:0], in, "GB")
	}
}

// TestCanonicalSpellings: one address or name written in several ways is
// one account (the review of issue 7).
func TestCanonicalSpellings(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"j\u00fcrgen@example.de", "ju\u0308rgen@example.de"},                             // NFC and NFD
		{"user@ex\u00e4mple.de", "user@xn--exmple-cua.de"},                                // IDN in Unicode and punycode
		{"mail@\u0434\u043e\u043c\u0435\u043d.\u0440\u0444", "mail@xn--d1acufc.xn--p1ai"}, // домен.рф
		{"user@example.com", "user@example.com."},                                         // the root label's dot
		{"User@Example.COM.", "user@example.com"},
	} {
		ka, na, oka := Login([]byte(tc.a))
		kb, nb, okb := Login([]byte(tc.b))
		if !oka || !okb || ka != KindEmail || kb != KindEmail || string(na) != string(nb) {
			t.Errorf("%q -> %v %q %v; %q -> %v %q %v: want one email", tc.a, ka, na, oka, tc.b, kb, nb, okb)
		}
	}
	_, na, _ := Login([]byte("J\u00fcrgen"))
	_, nb, _ := Login([]byte("Ju\u0308rgen"))
	if string(na) != string(nb) {
		t.Errorf("usernames in NFC and NFD differ: %q %q", na, nb)
	}
}
