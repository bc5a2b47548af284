package leakparse

import "testing"

// TestSplitULP: each line of a ULP file is decided on its own.
func TestSplitULP(t *testing.T) {
	const (
		first  = ulpURLFirst
		last   = ulpURLLast
		nourl  = ulpNoURL
		header = ulpHeader
		broken = ulpBroken
	)
	tests := []struct {
		in                string
		order             ulpOrder
		host, login, pass string
		reason            Reason
	}{
		// URL first.
		{"https://login.example.com/signin:alice@example.com:Summer2024!", first, "login.example.com", "alice@example.com", "Summer2024!", ""},
		{"https://portal.example.org:8443/auth:jdoe:S3cret:Value", first, "portal.example.org", "jdoe", "S3cret:Value", ""},
		{"android://AbC123xyz==@com.example.app/:alice@example.com:hunter2", first, "com.example.app", "alice@example.com", "hunter2", ""},
		{"http://192.0.2.10:8080/admin|admin|admin123", first, "192.0.2.10", "admin", "admin123", ""},
		{"https://example.com:8080:user:pass", first, "example.com", "user", "pass", ""},
		{"https://example.com:1234:pin", first, "example.com", "1234", "pin", ""},
		{"example.com user pass", first, "example.com", "user", "pass", ""},
		{"https://[2001:db8::1]:8443/x:u:p", first, "2001:db8::1", "u", "p", ""},
		{"https://example.com/?next=a:u:p", first, "example.com", "u", "p", ""},
		{"https://site.example/login;jdoe;pa:ss", first, "site.example", "jdoe", "pa:ss", ""},
		{"https://site.example/a;jsessionid=1:jdoe:pw", first, "site.example", "jdoe", "pw", ""},
		{"www.site.example:login:pass", first, "www.site.example", "login", "pass", ""},
		{"site.example/login:user:pass", first, "site.example", "user", "pass", ""},
		{"site.example:user:pass", first, "site.example", "user", "pass", ""},
		{"192.0.2.7:8080|root|toor", first, "192.0.2.7", "root", "toor", ""},
		// URL last.
		{"ulp.two@mail.example:UlpTwo#2:https://www.site2.example/signin", last, "www.site2.example", "ulp.two@mail.example", "UlpTwo#2", ""},
		{"jdoe|pw|https://site.example:8443/login?x=1", last, "site.example", "jdoe", "pw", ""},
		{"jdoe pw https://site.example/", last, "site.example", "jdoe", "pw", ""},
		{"jdoe;pw;android://AbC==@com.example.app/", last, "com.example.app", "jdoe", "pw", ""},
		{"alice@example.com:pa:ss:https://site.example/", last, "site.example", "alice@example.com", "pa:ss", ""},
		{"alice@example.com | pw | https://site.example/", last, "site.example", "alice@example.com", "pw", ""},
		{"alice@example.com\tpw\tHTTPS://Site.Example/x", last, "Site.Example", "alice@example.com", "pw", ""},
		{"alice@example.com:pw:www.site.example", last, "www.site.example", "alice@example.com", "pw", ""},
		{"alice@example.com:pw:site.example/login", last, "site.example", "alice@example.com", "pw", ""},
		{"alice@example.com:pw:www.site.example:8080/login", last, "www.site.example", "alice@example.com", "pw", ""},
		{"alice@example.com:pw:192.0.2.1:8080", last, "192.0.2.1", "alice@example.com", "pw", ""},
		{"alice@example.com:pw:https://[2001:db8::1]:443/x", last, "2001:db8::1", "alice@example.com", "pw", ""},
		{"john.smith:pw:https://site.example/", last, "site.example", "john.smith", "pw", ""},
		// No URL.
		{"ulp.six@mail.example:UlpSix6", nourl, "", "ulp.six@mail.example", "UlpSix6", ""},
		{"jdoe:secret", nourl, "", "jdoe", "secret", ""},
		{"jdoe secret", nourl, "", "jdoe", "secret", ""},
		{"+447946000111:PhonePass1", nourl, "", "+447946000111", "PhonePass1", ""},
		{"alice@example.com:pass://word", nourl, "", "alice@example.com", "pass://word", ""},
		{"alice@example.com:www.example.com", nourl, "", "alice@example.com", "www.example.com", ""},
		{"john.smith:pass:word", nourl, "", "john.smith", "pass:word", ""},
		// Column names.
		{"URL:Login:Password", header, "", "", "", ""},
		{"url | login | password", header, "", "", "", ""},
		{"Host Username Password", header, "", "", "", ""},
		// Nothing to read.
		{"https://example.com/", broken, "", "", "", ReasonNoSeparator},
		{"https://example.com/:u", broken, "", "", "", ReasonEmptyPassword},
		{"https://example.com/::p", broken, "", "", "", ReasonEmptyLogin},
		{"https://[bad/:u:p", broken, "", "", "", ReasonNoURL},
		{"www.site.example:login", broken, "", "", "", ReasonEmptyPassword},
		{"Fresh private logs of the week", broken, "", "", "", ReasonNoURL},
		{"=== t.me/somechannel ===", broken, "", "", "", ReasonNoURL},
		{"Checked by @SomeBot", broken, "", "", "", ReasonNoURL},
		{"lonelytoken", broken, "", "", "", ReasonNoSeparator},
		{"alice@example.com:", broken, "", "", "", ReasonEmptyPassword},
	}
	for _, tc := range tests {
		order, st, login, pass, reason := splitULP([]byte(tc.in))
		if order != tc.order || reason != tc.reason {
			t.Errorf("splitULP(%q) order %d reason %q, want %d %q", tc.in, order, reason, tc.order, tc.reason)
			continue
		}
		if order == broken || order == header {
			continue
		}
		host := string(st.host)
		if order == nourl {
			host = ""
		}
		if host != tc.host || string(login) != tc.login || string(pass) != tc.pass {
			t.Errorf("splitULP(%q) = %q %q %q, want %q %q %q", tc.in, host, login, pass, tc.host, tc.login, tc.pass)
		}
	}
}
