package pwhash

import (
	"encoding/hex"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/md4" //lint:ignore SA1019 used only as an independent oracle in tests
)

// The expected values below were computed outside Go, with OpenSSL 3.0
// (MD4 needs the legacy provider) and iconv for the UTF-16LE encoding:
//
//	printf '%s' "$pw" | openssl dgst -sha1 -r
//	printf '%s' "$pw" | iconv -f UTF-8 -t UTF-16LE |
//		openssl dgst -md4 -provider legacy -provider default -r
//
// Python's str.encode("utf-16-le") produced the same UTF-16LE bytes as iconv
// for the non-ASCII inputs. Invalid UTF-8 inputs were hashed by feeding iconv
// the string with each invalid byte replaced by U+FFFD (EF BF BD), which is
// what NTLM documents. The long inputs were produced with Python,
// e.g. print('a'*300, end=”).
var vectors = []struct {
	name     string
	password string
	sha1     string
	ntlm     string
}{
	{"empty", "", "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709", "31D6CFE0D16AE931B73C59D7E0C089C0"},
	{"password", "password", "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8", "8846F7EAEE8FB117AD06BDD830B7586C"},
	{"mixed case and symbols", "Passwort123!", "4B665EDD598EEF08F3C1BA30A736E220D547E5FE", "785282EBB84C596A5BCBD7716C3F6DAC"},
	{"cyrillic", "пароль", "5670B4358AE287FE8E74C2FF6F6293F905409077", "507E3EE80DF7DB7C1FDD8D50AE8DB606"},
	{"latin-1 range", "Ü", "4D57F0C087E7EE332A1E2DD9D0FD59D817208C10", "6A0B543743223EC003CD0CE1F27CD716"},
	{"cjk", "日本語", "C12140A0FFB4E56481B4FE0A7A25040C2EAFA9CA", "CED13822047F22CE2B3E7D763955F48E"},
	{"emoji surrogate pair", "😀", "9C533688A979A858CBD6A43C9F91ABA624651F18", "4B58A10CC20A4E7D808D218E1F80AABC"},
	{"emoji inside ascii", "p😀ss", "4663AA969AC76D5DEF96DC9F7AE36C63973CC684", "B1847A4F90EC6E6793D813F9992E54A5"},
	{"invalid byte", "a\xffb", "", "E947CA5A06E43CA08FF1853919B5B3B4"},
	{"truncated sequence", "\xe2\x82", "", "26D582E9146C85B8E84603A6F5951ACD"},
	{"utf-8 encoded surrogate", "\xed\xa0\x80", "", "FF6EBB6BF5F204373DA2E84F20429D94"},
	{"long ascii", strings.Repeat("a", 300), "003EF1BA9EA9F2F4DAB3A2004E505CA8A4E7E5A3", "A40B732DCBC61E14F53CEA9B33A855C4"},
	{"long non-ascii", strings.Repeat("пароль😀", 40), "A6F62A61E48BCC9DB92020D250EA3963099D430A", "3511E9B0B003F763F99FAE8044824C5E"},
}

func TestSHA1(t *testing.T) {
	for _, v := range vectors {
		if v.sha1 == "" {
			continue
		}
		t.Run(v.name, func(t *testing.T) {
			sum := SHA1([]byte(v.password))
			if diff := cmp.Diff(v.sha1, string(AppendHexUpper(nil, sum[:]))); diff != "" {
				t.Errorf("SHA1 mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNTLM(t *testing.T) {
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			sum := NTLM([]byte(v.password))
			if diff := cmp.Diff(v.ntlm, string(AppendHexUpper(nil, sum[:]))); diff != "" {
				t.Errorf("NTLM mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestMD4RFC1320 runs the test suite from RFC 1320, appendix A.5.
func TestMD4RFC1320(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"", "31d6cfe0d16ae931b73c59d7e0c089c0"},
		{"a", "bde52cb31de33e46245e05fbdbd6fb24"},
		{"abc", "a448017aaf21d8525fc10ae87aa6729d"},
		{"message digest", "d9130a8164549fe818874806e1c7014b"},
		{"abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9"},
		{"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "043f8582f241db351ce627e153e7f0e4"},
		{"12345678901234567890123456789012345678901234567890123456789012345678901234567890", "e33b4ddc9c38f2199c3e7b164fcc0536"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			sum := md4Sum([]byte(tt.in))
			if diff := cmp.Diff(tt.want, hex.EncodeToString(sum[:])); diff != "" {
				t.Errorf("md4 mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestMD4Streaming checks that splitting the input across writes at every
// position (crossing the padding boundaries at 55, 56 and 64 bytes) gives
// the one-shot digest.
func TestMD4Streaming(t *testing.T) {
	msg := make([]byte, 200)
	for i := range msg {
		msg[i] = byte(i*7 + 1)
	}
	for n := 0; n <= len(msg); n++ {
		want := oracleMD4(msg[:n])
		for split := 0; split <= n; split += 1 + n/13 {
			var d md4Digest
			d.reset()
			d.write(msg[:split])
			d.write(msg[split:n])
			if got := d.sum(); got != want {
				t.Fatalf("md4 of %d bytes split at %d: got %x, want %x", n, split, got, want)
			}
		}
	}
}

func TestAppendHexUpper(t *testing.T) {
	got := AppendHexUpper([]byte("prefix:"), []byte{0x00, 0x0f, 0xa5, 0xff})
	if diff := cmp.Diff("prefix:000FA5FF", string(got)); diff != "" {
		t.Errorf("AppendHexUpper mismatch (-want +got):\n%s", diff)
	}
}

func TestAllocs(t *testing.T) {
	long := []byte(strings.Repeat("пароль😀", 100))
	short := []byte("correct horse battery staple")
	out := make([]byte, 0, 64)
	allocs := testing.AllocsPerRun(100, func() {
		s := SHA1(short)
		n := NTLM(short)
		n2 := NTLM(long)
		out = AppendHexUpper(out[:0], s[:])
		out = AppendHexUpper(out, n[:])
		out = AppendHexUpper(out[:0], n2[:])
	})
	if allocs != 0 {
		t.Errorf("SHA1/NTLM/AppendHexUpper allocate %v times per run, want 0", allocs)
	}
}

// oracleMD4 is an independent MD4: golang.org/x/crypto/md4.
func oracleMD4(p []byte) (out [16]byte) {
	h := md4.New()
	h.Write(p)
	copy(out[:], h.Sum(nil))
	return out
}

// oracleNTLM is an independent NTLM built from the definition: the standard
// library's UTF-16 encoder over []rune(string(p)) and x/crypto/md4.
func oracleNTLM(p []byte) [16]byte {
	units := utf16.Encode([]rune(string(p)))
	b := make([]byte, 0, 2*len(units))
	for _, u := range units {
		b = append(b, byte(u), byte(u>>8))
	}
	return oracleMD4(b)
}

func FuzzNTLM(f *testing.F) {
	for _, v := range vectors {
		f.Add([]byte(v.password))
	}
	f.Add([]byte(strings.Repeat("a", 254) + "😀😀"))
	f.Add([]byte(strings.Repeat("é", 200) + "\xff"))
	f.Fuzz(func(t *testing.T, p []byte) {
		if got, want := NTLM(p), oracleNTLM(p); got != want {
			t.Errorf("NTLM(%q) = %x, oracle %x", p, got, want)
		}
		if got, want := md4Sum(p), oracleMD4(p); got != want {
			t.Errorf("md4(%q) = %x, oracle %x", p, got, want)
		}
	})
}

// Benchmarks: go test -run '^$' -bench . ./internal/pwhash
// Typical leaked passwords are 8-16 bytes; 64 is a long passphrase.
func BenchmarkSHA1(b *testing.B) {
	for _, n := range []int{8, 16, 64} {
		pw := []byte(strings.Repeat("x", n))
		b.Run("len="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(n))
			for b.Loop() {
				SHA1(pw)
			}
		})
	}
}

func BenchmarkNTLM(b *testing.B) {
	for _, bc := range []struct {
		name string
		pw   string
	}{
		{"ascii/len=8", "p4ssw0rd"},
		{"ascii/len=16", "p4ssw0rdp4ssw0rd"},
		{"ascii/len=64", strings.Repeat("p4ssw0rd", 8)},
		{"cyrillic/len=12", "пароль"},
		{"ascii/len=300", strings.Repeat("a", 300)},
	} {
		pw := []byte(bc.pw)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(pw)))
			for b.Loop() {
				NTLM(pw)
			}
		})
	}
}

func BenchmarkAppendHexUpper(b *testing.B) {
	sum := SHA1([]byte("password"))
	dst := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		dst = AppendHexUpper(dst[:0], sum[:])
	}
}
