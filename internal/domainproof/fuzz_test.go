package domainproof

import (
	"bytes"
	"html"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzMetaContents checks that the meta-tag extraction never fails on
// arbitrary input and that any content value it can find, written back into
// a tag of a fresh page, is found again unchanged.
func FuzzMetaContents(f *testing.F) {
	for _, seed := range []string{
		`<!doctype html><html><head><title>t</title><meta name="leakwatch-verification" content="` + testToken + `"></head><body>hi</body></html>`,
		`<meta name=leakwatch-verification content=x><p>implied head`,
		`<HEAD><META NAME="LeakWatch-Verification" CONTENT=" a "></HEAD>`,
		`<head><title>t</title></head><body><meta name="leakwatch-verification" content="in body"></body>`,
		`<head><meta name="leakwatch&#45;verification" content="&quot;&amp;&lt;"></head>`,
		`<svg><meta name="leakwatch-verification" content="foreign"></svg>`,
		`<head><template><meta name="leakwatch-verification" content="t"></template></head>`,
		`<head><!-- <meta name="leakwatch-verification" content="c"> --></head>`,
		"",
		"\x00<head",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		contents, err := metaContents(bytes.NewReader(doc))
		if err != nil {
			return // html.Parse refuses some pathological nesting; that is an answer too
		}
		for _, c := range contents {
			if !utf8.ValidString(c) {
				continue // the parser replaces invalid bytes; a token is ASCII
			}
			page := `<head><meta name="` + MetaName + `" content="` + html.EscapeString(c) + `"></head>`
			again, err := metaContents(strings.NewReader(page))
			if err != nil || len(again) != 1 || again[0] != c {
				t.Fatalf("content %q, written into %q, read back as %q, %v", c, page, again, err)
			}
		}
	})
}

// FuzzValidDomain checks that what ValidDomain accepts is canonical: valid
// again and unchanged, lower-case ASCII of at most MaxDomainLen bytes, with
// at least two labels, and its own site for redirects.
func FuzzValidDomain(f *testing.F) {
	for _, seed := range []string{
		"example.com", "Example.COM.", "bücher.example", "xn--bcher-kva.example", "co.uk", "github.io",
		"192.0.2.1", "[::1]", "1.2.3", "a..b", "-a.b", "a_b.c", "localhost", "ｅｘａｍｐｌｅ．ｃｏｍ", "ß.de",
		strings.Repeat("a.", 130) + "com",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ValidDomain(s)
		if err != nil {
			return
		}
		if again, err := ValidDomain(d); err != nil || again != d {
			t.Fatalf("ValidDomain(%q) = %q, but ValidDomain(%q) = %q, %v", s, d, d, again, err)
		}
		if len(d) > MaxDomainLen || !strings.Contains(d, ".") {
			t.Fatalf("ValidDomain(%q) = %q: too long or a single label", s, d)
		}
		for i := 0; i < len(d); i++ {
			c := d[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
				t.Fatalf("ValidDomain(%q) = %q: byte %q is not lower-case LDH", s, d, c)
			}
		}
		if !sameSite(d, d) {
			t.Fatalf("ValidDomain(%q) = %q, which is not the same site as itself", s, d)
		}
	})
}

// FuzzFileHolds checks the file parser against its definition: a body
// proves the token exactly when one of its LF-, CR- or CRLF-ended lines,
// trimmed of white space, is the token; and prepending the token on a line
// of its own always proves it.
func FuzzFileHolds(f *testing.F) {
	for _, seed := range []string{testToken, testToken + "\n", "\r\n " + testToken + " \r\n", "# c\n" + testToken, "x" + testToken, "", "\n\n\r"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		want := false
		for _, line := range strings.Split(strings.ReplaceAll(string(body), "\r", "\n"), "\n") {
			if strings.TrimSpace(line) == testToken {
				want = true
			}
		}
		if got := fileHolds(body, testToken); got != want {
			t.Fatalf("fileHolds(%q) = %v, want %v", body, got, want)
		}
		for _, sep := range []string{"\n", "\r\n", "\r"} {
			if !fileHolds(append([]byte(testToken+sep), body...), testToken) {
				t.Fatalf("fileHolds(token%q + %q) = false", sep, body)
			}
		}
	})
}
