package domainproof

import (
	"bytes"
	"encoding/hex"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNewToken(t *testing.T) {
	// Known answer: bytes 0..15 in lower-case unpadded base32 (checked with
	// Python's base64.b32encode).
	got := NewToken(bytes.NewReader([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}))
	if want := "leakwatch-verification=aaaqeayeaudaocajbifqydiob4"; got != want {
		t.Errorf("NewToken(0..15) = %q, want %q", got, want)
	}
	re := regexp.MustCompile(`^leakwatch-verification=[a-z2-7]{26}$`)
	seen := map[string]bool{}
	for range 100 {
		tok := NewToken(nil)
		if !re.MatchString(tok) {
			t.Fatalf("NewToken(nil) = %q, want %v", tok, re)
		}
		if err := checkToken(tok); err != nil {
			t.Fatalf("checkToken(NewToken(nil)): %v", err)
		}
		if seen[tok] {
			t.Fatalf("NewToken(nil) repeated %q", tok)
		}
		seen[tok] = true
	}
}

func TestNewTokenShortRandPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("NewToken with 3 random bytes did not panic")
		}
	}()
	NewToken(bytes.NewReader([]byte{1, 2, 3}))
}

func TestNewCode(t *testing.T) {
	tests := []struct {
		name string
		rand []byte
		want string
	}{
		{"small", []byte{0, 0, 0, 42}, "00000042"},
		{"wraps", []byte{0x05, 0xf5, 0xe1, 0x00}, "00000000"},            // 10^8
		{"largest-accepted", []byte{0xfa, 0x56, 0xe9, 0xff}, "99999999"}, // 4199999999
		{"rejects-biased-tail", []byte{0xff, 0xff, 0xff, 0xff, 0xfa, 0x56, 0xea, 0x00, 0x00, 0xbc, 0x61, 0x4e}, "12345678"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NewCode(bytes.NewReader(tt.rand)); got != tt.want {
				t.Errorf("NewCode(%x) = %q, want %q", tt.rand, got, tt.want)
			}
		})
	}
	re := regexp.MustCompile(`^[0-9]{8}$`)
	for range 100 {
		if c := NewCode(nil); !re.MatchString(c) {
			t.Fatalf("NewCode(nil) = %q, want 8 digits", c)
		}
	}
}

func TestHashCode(t *testing.T) {
	// Known answers: HMAC-SHA256(key=salt, code), computed with Python's hmac.
	tests := []struct {
		code string
		salt string
		want string
	}{
		{"12345678", "0123456789abcdef", "c8bc656c80235b84f3546c1afb3dae7611afdb575ad81ef3eb0fa0257c1fbfa2"},
		{"1234 5678", "0123456789abcdef", "c8bc656c80235b84f3546c1afb3dae7611afdb575ad81ef3eb0fa0257c1fbfa2"},
		{" 1234-5678 ", "0123456789abcdef", "c8bc656c80235b84f3546c1afb3dae7611afdb575ad81ef3eb0fa0257c1fbfa2"},
		{"00000000", "", "c27d4042c6b294229e5cbe16a6577aa4cb75f7dd4bbb9076e0155f87172154fd"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			got := HashCode(tt.code, []byte(tt.salt))
			if h := hex.EncodeToString(got[:]); h != tt.want {
				t.Errorf("HashCode(%q, %q) = %s, want %s", tt.code, tt.salt, h, tt.want)
			}
		})
	}
}

func TestCodeMatches(t *testing.T) {
	salt := []byte("per-code salt, 16+ bytes")
	want := HashCode("04715926", salt)
	tests := []struct {
		code string
		salt []byte
		ok   bool
	}{
		{"04715926", salt, true},
		{"0471 5926", salt, true},
		{"0471-5926", salt, true},
		{"04715927", salt, false},
		{"4715926", salt, false},
		{"047159260", salt, false},
		{"", salt, false},
		{"04715926", []byte("another salt"), false},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			if got := CodeMatches(tt.code, tt.salt, want); got != tt.ok {
				t.Errorf("CodeMatches(%q) = %v, want %v", tt.code, got, tt.ok)
			}
		})
	}
	// A malformed code never matches, even its own hash.
	if CodeMatches("abcdefgh", salt, HashCode("abcdefgh", salt)) {
		t.Error("CodeMatches accepted a code of letters")
	}
}

func TestMethod(t *testing.T) {
	tests := []struct {
		in   string
		want Method
	}{
		{"email", MethodEmail},
		{"dns", MethodDNS},
		{"DNS", MethodDNS},
		{"meta", MethodMeta},
		{"file", MethodFile},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			m, err := ParseMethod(tt.in)
			if err != nil || m != tt.want {
				t.Fatalf("ParseMethod(%q) = %v, %v, want %v", tt.in, m, err, tt.want)
			}
			if s := m.String(); s != strings.ToLower(tt.in) {
				t.Errorf("%v.String() = %q, want %q", m, s, strings.ToLower(tt.in))
			}
			b, err := m.MarshalText()
			if err != nil {
				t.Fatal(err)
			}
			var back Method
			if err := back.UnmarshalText(b); err != nil || back != m {
				t.Errorf("UnmarshalText(%q) = %v, %v, want %v", b, back, err, m)
			}
		})
	}
	for _, bad := range []string{"", "txt", "mail", "dns "} {
		if m, err := ParseMethod(bad); err == nil {
			t.Errorf("ParseMethod(%q) = %v, want an error", bad, m)
		}
	}
	if _, err := Method(0).MarshalText(); err == nil {
		t.Error("Method(0).MarshalText() succeeded")
	}
	if s := Method(9).String(); s != "Method(9)" {
		t.Errorf("Method(9).String() = %q", s)
	}
}

func TestStandardAddresses(t *testing.T) {
	got := StandardAddresses("example.com")
	want := []string{"security@example.com", "hostmaster@example.com", "postmaster@example.com", "webmaster@example.com"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("StandardAddresses mismatch (-want +got):\n%s", diff)
	}
}

func TestValidDomain(t *testing.T) {
	long63 := strings.Repeat("a", 63)
	tests := []struct {
		in      string
		want    string
		wantErr string // substring of the error; "" means success
	}{
		{in: "example.com", want: "example.com"},
		{in: "Example.COM.", want: "example.com"},
		{in: "  www.example.com\n", want: "www.example.com"},
		{in: "bücher.example", want: "xn--bcher-kva.example"},
		{in: "BÜCHER.example", want: "xn--bcher-kva.example"},
		{in: "xn--bcher-kva.example", want: "xn--bcher-kva.example"},
		{in: "münchen.de", want: "xn--mnchen-3ya.de"},
		{in: "a-b.example.org", want: "a-b.example.org"},
		{in: "example.co.uk", want: "example.co.uk"},
		{in: "foo.github.io", want: "foo.github.io"},
		{in: "3com.com", want: "3com.com"},
		{in: strings.Repeat(long63+".", 3) + strings.Repeat("b", 61), want: strings.Repeat(long63+".", 3) + strings.Repeat("b", 61)},

		{in: "", wantErr: "empty"},
		{in: "   ", wantErr: "empty"},
		{in: "localhost", wantErr: "single label"},
		{in: "com.", wantErr: "single label"},
		{in: "192.0.2.1", wantErr: "IP address"},
		{in: "::1", wantErr: "IP address"},
		{in: "[2001:db8::1]", wantErr: "IP address"},
		{in: "1.2.3", wantErr: "all-numeric"},
		{in: "999.999.999.999", wantErr: "all-numeric"},
		{in: "co.uk", wantErr: "public suffix"},
		{in: "github.io", wantErr: "public suffix"},
		{in: "-a.example", wantErr: "invalid"},
		{in: "a-.example", wantErr: "invalid"},
		{in: "a_b.example", wantErr: "invalid"},
		{in: "a..example", wantErr: "invalid"},
		{in: ".example.com", wantErr: "invalid"},
		{in: "example.com..", wantErr: "invalid"},
		{in: "exa mple.com", wantErr: "invalid"},
		{in: "example.com/path", wantErr: "invalid"},
		{in: "user@example.com", wantErr: "invalid"},
		{in: "example.com:443", wantErr: "invalid"},
		{in: long63 + "a.example", wantErr: "invalid"},
		{in: strings.Repeat(long63+".", 3) + strings.Repeat("b", 62), wantErr: "invalid"},
		{in: "xn--zz.example", wantErr: "invalid"},
		{in: "0\xbc.example", wantErr: "not UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ValidDomain(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ValidDomain(%q) = %q, %v, want an error with %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ValidDomain(%q) = %q, %v, want %q", tt.in, got, err, tt.want)
			}
			if again, err := ValidDomain(got); err != nil || again != got {
				t.Errorf("ValidDomain(%q) = %q, %v, want it unchanged", got, again, err)
			}
		})
	}
}

func TestCheckToken(t *testing.T) {
	for _, bad := range []string{"", "a b", "a\tb", "a\nb", `a"b`, "a<b", "a&b", "ä", strings.Repeat("x", 256)} {
		if checkToken(bad) == nil {
			t.Errorf("checkToken(%q) accepted it", bad)
		}
	}
	for _, good := range []string{"x", "leakwatch-verification=abc", strings.Repeat("x", 255)} {
		if err := checkToken(good); err != nil {
			t.Errorf("checkToken(%q): %v", good, err)
		}
	}
}
