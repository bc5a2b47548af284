// Package domainproof checks that someone controls a domain, in the four
// ways Have I Been Pwned accepts: a DNS TXT record holding a token, a
// <meta> tag holding it on the site's home page, a file holding it at the
// site's root, or a one-time code mailed to a standard address at the domain
// (security@, hostmaster@, postmaster@, webmaster@).
//
// The package is a library of checks only: it keeps no state. The caller
// issues a token with [NewToken] (or a code with [NewCode], stored only as
// [HashCode]), shows the owner where to put it, and later asks a [Checker]
// whether it is there. The same token string, verbatim, is the TXT record,
// the meta tag's content and the file's content, so one value serves all
// three methods. Control is a present fact, not a past one: check again
// when a subscription renews.
//
// CheckDNS believes the resolver it asks; use a validating (DNSSEC)
// resolver on a trusted path. The web checks use https by default and
// never follow a redirect from https to http, to another registrable
// domain or, with the default client, to a non-public address.
//
// Errors say what was looked for and where, and never hold the token: it is
// a secret until the domain is verified. An error that wraps [ErrNotProven]
// means the check ran and the proof is absent (a missing record, a 404, a
// page without the tag); any other error is a failure to check (a timeout,
// a refused connection, a server failure) and may be retried.
package domainproof

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// ErrNotProven is wrapped by the errors of checks that ran to the end and
// found no proof: the record, tag or file is absent or holds another value.
var ErrNotProven = errors.New("domain control not proven")

// TokenPrefix starts every token made by [NewToken]; it tells a TXT record
// of ours from the other TXT records of a domain.
const TokenPrefix = "leakwatch-verification="

// MetaName is the name attribute of the <meta> tag that [Checker.CheckMeta]
// looks for: <meta name="leakwatch-verification" content="TOKEN">.
const MetaName = "leakwatch-verification"

// FilePath is the path, at the site's root, of the file that
// [Checker.CheckFile] fetches.
const FilePath = "/leakwatch-verification.txt"

// CodeDigits is the length of the codes made by [NewCode].
const CodeDigits = 8

// maxTokenLen bounds the tokens the checks accept: one TXT string.
const maxTokenLen = 255

var tokenEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewToken returns a fresh token for the DNS, meta and file methods:
// [TokenPrefix] followed by 26 lower-case base32 characters encoding 128 bits
// read from rand. A nil rand means crypto/rand. NewToken panics if rand
// fails, as crypto/rand does: without randomness no token is safe to issue.
func NewToken(rand io.Reader) string {
	var b [16]byte
	readRand(rand, b[:])
	return TokenPrefix + tokenEncoding.EncodeToString(b[:])
}

// NewCode returns a fresh one-time code for the mailed method:
// [CodeDigits] decimal digits, uniformly distributed, read from rand. A nil
// rand means crypto/rand. NewCode panics if rand fails (see [NewToken]).
//
// A code has only 10^8 values: the caller must let it expire (within hours)
// and limit the attempts at it, and should store it only as [HashCode].
func NewCode(rand io.Reader) string {
	const n = 100_000_000 // 10^CodeDigits
	const limit = 1<<32 - (1<<32)%n
	var b [4]byte
	for {
		readRand(rand, b[:])
		if v := binary.BigEndian.Uint32(b[:]); v < limit { // no modulo bias
			return fmt.Sprintf("%0*d", CodeDigits, v%n)
		}
	}
}

func readRand(r io.Reader, b []byte) {
	if r == nil {
		r = rand.Reader
	}
	if _, err := io.ReadFull(r, b); err != nil {
		panic("domainproof: reading randomness: " + err.Error())
	}
}

// HashCode returns the value to store in place of a mailed code:
// HMAC-SHA256 keyed with salt over the code as the owner typed it, with
// spaces and hyphens removed ("1234 5678" and "1234-5678" hash as
// "12345678").
//
// The salt should be at least 16 random bytes, fresh for each code, stored
// beside the hash. Prefixing it with a server-held secret (a pepper) keeps a
// leaked store from being enough to recover the code by trying all 10^8 of
// them; the expiry and attempt limit of [NewCode] hold either way.
func HashCode(code string, salt []byte) [32]byte {
	m := hmac.New(sha256.New, salt)
	m.Write([]byte(normCode(code)))
	var sum [32]byte
	m.Sum(sum[:0])
	return sum
}

// CodeMatches reports, in time independent of the values, whether code is
// the code whose [HashCode] with salt is want. A code that is not
// [CodeDigits] digits (after removing spaces and hyphens) never matches.
func CodeMatches(code string, salt []byte, want [32]byte) bool {
	n := normCode(code)
	wellFormed := len(n) == CodeDigits && isDigits(n)
	got := HashCode(n, salt)
	return subtle.ConstantTimeCompare(got[:], want[:]) == 1 && wellFormed
}

func normCode(code string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, code)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// checkToken rejects tokens that no check may look for: an empty token
// would match an empty record, and white space or quotes would not survive
// a TXT record, an HTML attribute or a line of a file unchanged.
func checkToken(token string) error {
	if token == "" || len(token) > maxTokenLen {
		return fmt.Errorf("token must be 1 to %d characters", maxTokenLen)
	}
	for i := 0; i < len(token); i++ {
		if c := token[i]; c <= ' ' || c >= 0x7f || c == '"' || c == '\'' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return errors.New("token holds a character other than printable ASCII without quotes, brackets or white space")
		}
	}
	return nil
}

// Method is one of the four ways to prove control of a domain. Its zero
// value is no method.
type Method uint8

// The methods, in the order Have I Been Pwned lists them.
const (
	MethodEmail Method = iota + 1 // a code mailed to a standard address
	MethodDNS                     // a TXT record of the domain
	MethodMeta                    // a <meta> tag on the home page
	MethodFile                    // a file at the site's root
)

var methodNames = [...]string{MethodEmail: "email", MethodDNS: "dns", MethodMeta: "meta", MethodFile: "file"}

// String returns the method's name: "email", "dns", "meta" or "file".
func (m Method) String() string {
	if m >= MethodEmail && int(m) < len(methodNames) {
		return methodNames[m]
	}
	return fmt.Sprintf("Method(%d)", uint8(m))
}

// ParseMethod returns the method named s, one of the names [Method.String]
// returns, in any letter case.
func ParseMethod(s string) (Method, error) {
	for m := MethodEmail; int(m) < len(methodNames); m++ {
		if strings.EqualFold(s, methodNames[m]) {
			return m, nil
		}
	}
	return 0, fmt.Errorf("unknown domain verification method %q (want email, dns, meta or file)", s)
}

// MarshalText returns the method's name; it fails for the zero Method.
func (m Method) MarshalText() ([]byte, error) {
	if m < MethodEmail || int(m) >= len(methodNames) {
		return nil, fmt.Errorf("invalid domain verification method %d", uint8(m))
	}
	return []byte(methodNames[m]), nil
}

// UnmarshalText sets m to the method named text (see [ParseMethod]).
func (m *Method) UnmarshalText(text []byte) error {
	v, err := ParseMethod(string(text))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// StandardAddresses returns the addresses at domain to which a code may be
// mailed, in the order to offer them: security@, hostmaster@, postmaster@
// and webmaster@. domain should be the result of [ValidDomain].
func StandardAddresses(domain string) []string {
	return []string{
		"security@" + domain,
		"hostmaster@" + domain,
		"postmaster@" + domain,
		"webmaster@" + domain,
	}
}

// MaxDomainLen is the longest domain name, without its final dot, that DNS
// can carry (RFC 1035 and RFC 1123).
const MaxDomainLen = 253

var domainProfile = idna.New(
	idna.MapForLookup(),
	idna.Transitional(false),
	idna.BidiRule(),
	idna.StrictDomainName(true),
	idna.ValidateLabels(true),
	idna.VerifyDNSLength(true),
)

// ValidDomain returns the canonical form of the domain name s, the form
// every other function of the package expects: surrounding white space and
// a final dot removed, internationalised labels converted to their ASCII
// (punycode) form per IDNA 2008 with UTS #46 lookup mapping, letters in
// lower case. It rejects IP addresses, names of a single label, labels that
// are empty, longer than 63 bytes or hold anything but letters, digits and
// inner hyphens, input that is not UTF-8, names longer than [MaxDomainLen], an all-numeric last
// label, and public suffixes such as "co.uk", which no one owner controls.
func ValidDomain(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errors.New("empty domain name")
	}
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("invalid domain name %q: not UTF-8", s)
	}
	if _, err := netip.ParseAddr(strings.Trim(s, "[]")); err == nil {
		return "", fmt.Errorf("domain name %q is an IP address", s)
	}
	d := strings.TrimSuffix(s, ".")
	a, err := domainProfile.ToASCII(d)
	if err != nil {
		return "", fmt.Errorf("invalid domain name %q: %w", s, err)
	}
	a = strings.ToLower(a)
	if a == "" || a[0] == '.' || a[len(a)-1] == '.' || strings.Contains(a, "..") {
		return "", fmt.Errorf("invalid domain name %q: empty label", s)
	}
	if len(a) > MaxDomainLen {
		return "", fmt.Errorf("domain name %q is longer than %d bytes", s, MaxDomainLen)
	}
	dot := strings.LastIndexByte(a, '.')
	if dot < 0 {
		return "", fmt.Errorf("domain name %q has a single label", s)
	}
	if isDigits(a[dot+1:]) {
		return "", fmt.Errorf("domain name %q has an all-numeric top-level label", s)
	}
	if _, err := netip.ParseAddr(a); err == nil {
		return "", fmt.Errorf("domain name %q is an IP address", s)
	}
	if ps, _ := publicsuffix.PublicSuffix(a); ps == a {
		return "", fmt.Errorf("domain name %q is a public suffix", s)
	}
	return a, nil
}
