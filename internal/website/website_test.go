package website

import (
	"fmt"
	"strings"
	"testing"
)

func TestDomain(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" for none
	}{
		// URLs
		{"https://accounts.google.com/signin/v2?x=1", "google.com"},
		{"http://user@shop.example.co.uk:8443/a", "example.co.uk"},
		{"https://user:pa:ss@login.example.com:443/", "example.com"},
		{"HTTPS://WWW.NETFLIX.COM/LOGIN", "netflix.com"},
		{"https://www.facebook.com/login.php#frag", "facebook.com"},
		{"https://example.com?next=https://evil.org/", "example.com"},
		{"ftp://files.example.org/pub", "example.org"},
		{"//cdn.example.net/x", "example.net"},
		{"  https://example.com/  ", "example.com"},
		{`https://example.com\path`, "example.com"},
		{"https://foo.blogspot.com/", "foo.blogspot.com"},
		{"https://www.bbc.co.uk./news", "bbc.co.uk"},
		// bare hosts
		{"www.netflix.com", "netflix.com"},
		{"netflix.com/login", "netflix.com"},
		{"netflix.com:8080", "netflix.com"},
		{"NetFlix.Com.", "netflix.com"},
		{".example.com", "example.com"},
		{"example.com", "example.com"},
		{"a.b.c.example.com.au", "example.com.au"},
		{"xn--bcher-kva.de", "xn--bcher-kva.de"},
		{"my_host.example.com", "example.com"},
		// internationalised names
		{"https://www.bücher.de/login", "xn--bcher-kva.de"},
		{"BÜCHER.DE", "xn--bcher-kva.de"},
		{"пример.рф", "xn--e1afmkfd.xn--p1ai"},
		// Android apps: the package name's domain
		{"android://AbC123xyz==@com.instagram.android/", "instagram.com"},
		{"android://hash@com.google.android.gm/", "google.com"},
		{"ANDROID://x@org.telegram.messenger", "telegram.org"},
		{"android://x@com.whatsapp/", "whatsapp.com"},
		{"android://com.instagram.android", "instagram.com"}, // as leakparse gives it
		{"android://x@myapp/", ""},
		{"android://x@com..app/", ""},
		{"android://x@com.my-app.x/", ""},
		{"android://x@lan.router.app/", ""},
		// no website domain
		{"", ""},
		{"   ", ""},
		{"localhost", ""},
		{"http://localhost:3000/", ""},
		{"intranet", ""},
		{"http://192.0.2.10:8080/admin", ""},
		{"192.0.2.10", ""},
		{"http://[2001:db8::1]:8443/", ""},
		{"2001:db8::1", ""},
		{"::1", ""},
		{"router.lan", ""},
		{"printer.local", ""},
		{"co.uk", ""},
		{"com", ""},
		{"github.io", ""},
		{"about:blank", ""},
		{"chrome://settings/passwords", ""},
		{"file:///C:/Users/x/index.html", ""},
		{"chrome-extension://nkbihfbeogaeaoehlefnkodbefgpgknn/home.html", ""},
		{"bad host.com", ""},
		{"exa%6dple.com", ""},
		{"example..com", ""},
		{"-://example.com", ""},
		{"\xff\xfe.com", ""},
		{"ex!ample.com", ""},
		{"a." + string(make([]byte, 300)), ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.in), func(t *testing.T) {
			got, ok := Domain([]byte("prefix:"), []byte(tt.in))
			if string(got[:7]) != "prefix:" {
				t.Fatalf("Domain changed dst's bytes: %q", got)
			}
			if ok != (tt.want != "") || string(got[7:]) != tt.want {
				t.Errorf("Domain(%q) = %q, %v; want %q", tt.in, got[7:], ok, tt.want)
			}
		})
	}
}

func TestNoise(t *testing.T) {
	tests := []struct {
		email, site string
		want        bool
	}{
		{"gmail.com", "google.com", true},
		{"gmail.com", "gmail.com", true},
		{"googlemail.com", "google.com", true},
		{"googlemail.com", "gmail.com", true},
		{"gmail.com", "youtube.com", false},
		{"gmail.com", "netflix.com", false},
		{"google.com", "google.com", true},
		{"hotmail.com", "live.com", true},
		{"hotmail.co.uk", "microsoftonline.com", true},
		{"outlook.fr", "outlook.com", true},
		{"msn.com", "microsoft.com", true},
		{"live.com", "xbox.com", false},
		{"microsoft.com", "hotmail.com", false},
		{"yahoo.co.uk", "yahoo.com", true},
		{"ymail.com", "yahoo.com", true},
		{"icloud.com", "apple.com", true},
		{"me.com", "icloud.com", true},
		{"bk.ru", "mail.ru", true},
		{"mail.ru", "ok.ru", false},
		{"ya.ru", "yandex.ru", true},
		{"yandex.by", "yandex.com", true},
		{"protonmail.com", "proton.me", true},
		{"aol.com", "aol.com", true},
		{"gmx.de", "gmx.net", true},
		{"web.de", "web.de", true},
		{"zohomail.com", "zoho.com", true},
		{"example.com", "example.com", true},
		{"mail.example.co.uk", "shop.example.co.uk", true},
		{"Example.COM", "www.example.com", true},
		{"example.com", "example.org", false},
		{"example.com", "google.com", false},
		{"", "", false},
		{"localhost", "localhost", false},
		{"192.0.2.1", "192.0.2.1", false},
		// A normalised email has its IDN domain in Unicode, a website
		// (Domain) in punycode: they are the same name.
		{"münchen.de", "xn--mnchen-3ya.de", true},
		{"mail.MÜNCHEN.de", "shop.xn--mnchen-3ya.de", true},
		{"xn--mnchen-3ya.de", "münchen.de", true},
		{"münchen.de", "xn--bcher-kva.de", false},
	}
	for _, tt := range tests {
		if got := Noise(tt.email, tt.site); got != tt.want {
			t.Errorf("Noise(%q, %q) = %v, want %v", tt.email, tt.site, got, tt.want)
		}
	}
}

// TestProviders checks the table: every domain in it has a registrable
// domain of its own, so that no entry is dead.
func TestProviders(t *testing.T) {
	for _, p := range providers {
		for _, list := range [][]string{p.mail, p.signIn} {
			for _, d := range list {
				if d[len(d)-1] == '*' {
					d = d[:len(d)-1] + "com"
				}
				if r, ok := registrableOf(d); !ok || r != d {
					t.Errorf("provider domain %q: registrable %q, %v", d, r, ok)
				}
			}
		}
	}
}

func FuzzDomain(f *testing.F) {
	for _, s := range []string{
		"https://accounts.google.com/signin/v2?x=1", "http://user@shop.example.co.uk:8443/a", "www.netflix.com",
		"netflix.com/login", "android://AbC123xyz==@com.instagram.android/", "https://www.bücher.de/",
		"http://[2001:db8::1]/", "192.0.2.1", "localhost", "NetFlix.Com.", ".example.com", "a..b", "co.uk",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		d, ok := Domain([]byte("x"), raw)
		if string(d[:1]) != "x" {
			t.Fatalf("Domain(%q) changed dst", raw)
		}
		if !ok {
			if len(d) != 1 {
				t.Fatalf("Domain(%q) = %q, false: dst grew", raw, d)
			}
			return
		}
		got := d[1:]
		if !validHost(got) {
			t.Fatalf("Domain(%q) = %q: not a host name", raw, got)
		}
		again, ok := Domain(nil, got)
		if !ok || string(again) != string(got) {
			t.Fatalf("Domain(%q) = %q, but Domain(%q) = %q, %v", raw, got, got, again, ok)
		}
		if !Noise(string(got), string(got)) {
			t.Fatalf("Noise(%q, itself) = false", got)
		}
	})
}

// BenchmarkDomain extracts the domain of website values as stealer logs
// carry them.
//
//	go test -bench Domain -run XXX ./internal/website/
func BenchmarkDomain(b *testing.B) {
	for _, in := range []struct{ name, raw string }{
		{"url", "https://accounts.google.com/signin/v2/identifier?flowName=GlifWebSignIn"},
		{"host", "www.netflix.com"},
		{"android", "android://AbC123xyz==@com.instagram.android/"},
		{"idn", "https://www.bücher.de/login"},
		{"ip", "http://192.0.2.10:8080/admin"},
	} {
		b.Run("value="+in.name, func(b *testing.B) {
			raw := []byte(in.raw)
			dst := make([]byte, 0, 256)
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			for b.Loop() {
				dst, _ = Domain(dst[:0], raw)
			}
		})
	}
}

// TestNoiseShortcut checks that Noise's shortcut changes no answer: over
// every pair of names of the tests, the provider table and some more, it
// agrees with sameProvider.
func TestNoiseShortcut(t *testing.T) {
	names := []string{"a.b.example.co.uk", "example.co.uk", "co.uk", "yahoo.evil.com", "evil.yahoo.com", "mail.gmail.com",
		"x.compute.amazonaws.com", "foo.blogspot.com", "blogspot.com", "GMAIL.COM.", "hotmail", "yahoo", "a.yahoo.co.jp"}
	for _, p := range providers {
		for _, d := range append(p.mail, p.signIn...) {
			names = append(names, d, "mail."+d, strings.TrimSuffix(d, "*")+"co.uk")
		}
	}
	for _, e := range names {
		for _, s := range names {
			if got, want := Noise(e, s), sameProvider(strings.ToLower(strings.TrimSuffix(e, ".")), strings.ToLower(strings.TrimSuffix(s, "."))); got != want {
				t.Errorf("Noise(%q, %q) = %v, without the shortcut %v", e, s, got, want)
			}
		}
	}
}

func FuzzNoise(f *testing.F) {
	f.Add("gmail.com", "google.com")
	f.Add("mail.example.co.uk", "example.co.uk")
	f.Add("yahoo.fr", "yahoo.com")
	f.Fuzz(func(t *testing.T, e, s string) {
		if got, want := Noise(e, s), sameProvider(strings.TrimSuffix(strings.ToLower(e), "."), strings.TrimSuffix(strings.ToLower(s), ".")); got != want {
			t.Errorf("Noise(%q, %q) = %v, without the shortcut %v", e, s, got, want)
		}
	})
}

func BenchmarkNoise(b *testing.B) {
	for _, c := range []struct{ name, email, site string }{
		{"other", "example.org", "netflix.com"},
		{"provider", "gmail.com", "netflix.com"},
		{"provider-label", "hotmail.co.uk", "netflix.com"},
		{"noise", "gmail.com", "google.com"},
	} {
		b.Run("pair="+c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Noise(c.email, c.site)
			}
		})
	}
}

func ExampleDomain() {
	for _, v := range []string{
		"https://accounts.google.com/signin/v2?x=1",
		"android://AbC123xyz==@com.instagram.android/",
		"http://192.0.2.10:8080/admin",
	} {
		d, ok := Domain(nil, []byte(v))
		fmt.Printf("%q %v\n", d, ok)
	}
	// Output:
	// "google.com" true
	// "instagram.com" true
	// "" false
}
