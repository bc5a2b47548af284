package leakgen

import (
	"crypto/md5"
	"crypto/sha1"
	"encoding/hex"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/leakwatch/leakwatch/internal/account"
	"golang.org/x/crypto/md4" //lint:ignore SA1019 used only as an independent oracle in tests
)

func TestPeopleMatchesPersonAt(t *testing.T) {
	for i, p := range people(123, 300) {
		if diff := cmp.Diff(PersonAt(123, int64(i)), p); diff != "" {
			t.Fatalf("People(123) row %d differs from PersonAt (-PersonAt +People):\n%s", i, diff)
		}
	}
	if cmp.Equal(PersonAt(1, 0), PersonAt(2, 0)) {
		t.Error("seeds 1 and 2 give the same first person")
	}
}

// postcodes and taxIDs give the shape of each country's postcodes and
// national IDs.
var (
	postcodes = map[string]string{
		"US": `^\d{5}$`, "GB": `^[A-Z]{1,2}\d [0-9][A-Z]{2}$`, "DE": `^\d{5}$`, "FR": `^\d{5}$`, "ES": `^\d{5}$`,
		"IT": `^\d{5}$`, "BR": `^\d{5}-\d{3}$`, "RU": `^\d{6}$`, "CN": `^\d{6}$`, "IN": `^\d{6}$`, "NO": `^\d{4}$`,
		"PL": `^\d\d-\d{3}$`, "TR": `^\d{5}$`, "JP": `^\d{3}-\d{4}$`, "NG": `^\d{6}$`,
	}
	taxIDs = map[string]string{
		"US": `^\d{3}-\d\d-\d{4}$`, "GB": `^[A-Z]{2} \d\d \d\d \d\d [A-D]$`, "DE": `^\d\d \d{3} \d{3} \d{3}$`,
		"FR": `^[12] \d\d \d\d \d\d \d{3} \d{3} \d\d$`, "ES": `^\d{8}[A-Z]$`, "IT": `^[A-Z]{6}\d\d[A-Z]\d\d[A-Z]\d{3}[A-Z]$`,
		"BR": `^\d{3}\.\d{3}\.\d{3}-\d\d$`, "RU": `^\d{12}$`, "CN": `^\d{17}[\dX]$`, "IN": `^[A-Z]{3}P[A-Z]\d{4}[A-Z]$`,
		"NO": `^\d{11}$`, "PL": `^\d{11}$`, "TR": `^\d{11}$`, "JP": `^\d{4} \d{4} \d{4}$`, "NG": `^\d{11}$`,
	}
)

func TestPersonFields(t *testing.T) {
	const n = 4000
	countries := map[string]int{}
	domains := map[string]bool{}
	var cyrillic, cjk, accents, hashes int
	hashKinds := map[string]int{}
	reE164 := regexp.MustCompile(`^\+\d{8,15}$`)
	reHost := regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$`)
	reDevice := regexp.MustCompile(`^(\d{15}|[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}|[0-9a-f]{16})$`)
	for i, p := range people(31, n) {
		fail := func(field, v string) {
			t.Helper()
			t.Errorf("person %d (%s): bad %s %q", i, p.Country, field, v)
		}
		countries[p.Country]++
		if norm, ok := account.Email([]byte(p.Email)); !ok || string(norm) != p.Email {
			fail("e-mail", p.Email)
		}
		domains[string(account.Domain([]byte(p.Email)))] = true
		if _, ok := account.Username([]byte(p.Username)); !ok || strings.ContainsAny(p.Username, " @:") {
			fail("username", p.Username)
		}
		if p.Password == "" || !utf8.ValidString(p.Password) || strings.ContainsAny(p.Password, "\t\r\n") ||
			strings.TrimSpace(p.Password) != p.Password {
			fail("password", p.Password)
		}
		if p.FirstName == "" || p.LastName == "" {
			fail("name", p.FirstName+" "+p.LastName)
		}
		for _, r := range p.FirstName + p.LastName {
			switch {
			case unicode.Is(unicode.Cyrillic, r):
				cyrillic++
			case unicode.Is(unicode.Han, r):
				cjk++
			case r > 0x7f && r <= 0xff:
				accents++
			}
		}
		if !reE164.MatchString(p.PhoneE164) {
			fail("E.164 phone", p.PhoneE164)
		}
		// account's dialling table has no entry for Nigeria, so only
		// international forms of Nigerian numbers normalise there.
		if e164, ok := account.Phone([]byte(p.Phone), p.Country); (ok || p.Country != "NG") && e164 != p.PhoneE164 {
			t.Errorf("person %d (%s): phone %q normalises to %q, want %q", i, p.Country, p.Phone, e164, p.PhoneE164)
		}
		dob, err := time.Parse("2006-01-02", p.DateOfBirth)
		if err != nil || dob.Year() < 1940 || dob.Year() > 2008 {
			fail("date of birth", p.DateOfBirth)
		}
		if p.Street == "" || p.City == "" {
			fail("address", p.Street+"/"+p.City)
		}
		if !regexp.MustCompile(postcodes[p.Country]).MatchString(p.Postcode) {
			fail("postcode", p.Postcode)
		}
		if !regexp.MustCompile(taxIDs[p.Country]).MatchString(p.TaxID) || !validTaxID(p) {
			fail("tax ID", p.TaxID)
		}
		if !reDevice.MatchString(p.DeviceID) || len(p.DeviceID) == 15 && !luhnValid(p.DeviceID) {
			fail("device ID", p.DeviceID)
		}
		ip, err := netip.ParseAddr(p.IP)
		if err != nil || !ip.Is4() || ip.IsPrivate() || !ip.IsGlobalUnicast() {
			fail("IP", p.IP)
		}
		if !reHost.MatchString(p.Website) {
			fail("website", p.Website)
		}
		if p.Hash != "" {
			hashes++
			hashKinds[p.HashKind]++
			if !validHash(p) {
				t.Errorf("person %d: %s hash %q does not match password %q", i, p.HashKind, p.Hash, p.Password)
			}
		} else if p.HashKind != "" {
			fail("hash kind", p.HashKind)
		}
	}
	if len(countries) != len(cultureSpecs) {
		t.Errorf("people from %d countries, want all %d: %v", len(countries), len(cultureSpecs), countries)
	}
	if countries["US"] < countries["NO"] {
		t.Errorf("fewer people from the US than from Norway: %v", countries)
	}
	if len(domains) < 300 {
		t.Errorf("only %d mail domains in %d people", len(domains), n)
	}
	if cyrillic == 0 || cjk == 0 || accents == 0 {
		t.Errorf("names in Cyrillic: %d, CJK: %d, with accents: %d; want some of each", cyrillic, cjk, accents)
	}
	if hashes < n/100 || hashes > n/20 {
		t.Errorf("%d of %d people with a hash, want about 3%%", hashes, n)
	}
	if len(hashKinds) < 6 {
		t.Errorf("hash kinds %v, want most of the eight", hashKinds)
	}
}

func luhnValid(d string) bool {
	sum := 0
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i] - '0')
		if (len(d)-1-i)%2 == 1 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}

// validTaxID checks the check digits and birth dates of the IDs that have
// them.
func validTaxID(p Person) bool {
	id := p.TaxID
	digits := strings.Map(func(r rune) rune {
		if '0' <= r && r <= '9' {
			return r
		}
		return -1
	}, id)
	dob := strings.ReplaceAll(p.DateOfBirth, "-", "")
	switch p.Country {
	case "ES":
		n, _ := strconv.Atoi(id[:8])
		return id[8] == "TRWAGMYFPDXBNJZSQVHLCKE"[n%23]
	case "BR":
		for k := 9; k <= 10; k++ {
			s := 0
			for i := range k {
				s += int(digits[i]-'0') * (k + 1 - i)
			}
			if c := (s * 10 % 11) % 10; c != int(digits[k]-'0') {
				return false
			}
		}
		return true
	case "CN":
		weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
		s := 0
		for i, w := range weights {
			s += int(id[i]-'0') * w
		}
		return id[17] == "10X98765432"[s%11] && id[6:14] == dob
	case "PL":
		weights := []int{1, 3, 7, 9, 1, 3, 7, 9, 1, 3}
		s := 0
		for i, w := range weights {
			s += int(id[i]-'0') * w
		}
		month, _ := strconv.Atoi(id[2:4])
		return (10-s%10)%10 == int(id[10]-'0') && id[:2] == dob[2:4] && month%20 == atoi(dob[4:6]) && id[4:6] == dob[6:8]
	case "FR":
		n, _ := strconv.ParseUint(digits[:13], 10, 64)
		key, _ := strconv.Atoi(digits[13:])
		return key == int(97-n%97) && digits[1:3] == dob[2:4] && digits[3:5] == dob[4:6]
	case "NO":
		return id[:6] == dob[6:8]+dob[4:6]+dob[2:4]
	}
	return true
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// validHash recomputes the hashes that are computed from the password and
// checks the shape of the others.
func validHash(p Person) bool {
	pw := []byte(p.Password)
	hexOf := func(b []byte) string { return hex.EncodeToString(b) }
	switch p.HashKind {
	case "md5":
		s := md5.Sum(pw)
		return strings.EqualFold(p.Hash, hexOf(s[:]))
	case "sha1":
		s := sha1.Sum(pw)
		return strings.EqualFold(p.Hash, hexOf(s[:]))
	case "ntlm":
		h := md4.New()
		for _, u := range utf16.Encode([]rune(p.Password)) {
			h.Write([]byte{byte(u), byte(u >> 8)})
		}
		return strings.EqualFold(p.Hash, hexOf(h.Sum(nil)))
	case "md5:salt":
		sum, salt, ok := strings.Cut(p.Hash, ":")
		inner := md5.Sum(pw)
		outer := md5.Sum([]byte(hexOf(inner[:]) + salt))
		return ok && sum == hexOf(outer[:])
	case "bcrypt":
		return regexp.MustCompile(`^\$2[aby]\$(08|10|12)\$[./A-Za-z0-9]{21}[.Oeu][./A-Za-z0-9]{30}[.CGKOSWaeimquy26]$`).MatchString(p.Hash)
	case "md5crypt":
		return regexp.MustCompile(`^\$1\$[./0-9A-Za-z]{8}\$[./0-9A-Za-z]{21}[./01]$`).MatchString(p.Hash)
	case "sha512crypt":
		return regexp.MustCompile(`^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{85}[./01]$`).MatchString(p.Hash)
	case "phpass":
		return regexp.MustCompile(`^\$(P\$B|H\$9)[./0-9A-Za-z]{29}[./01]$`).MatchString(p.Hash)
	}
	return false
}

// TestPasswordDistribution checks that passwords repeat as in real leaks:
// a popular head (123456 first) and a long tail.
func TestPasswordDistribution(t *testing.T) {
	const n = 20000
	counts := map[string]int{}
	nameBased := 0
	for _, p := range people(4, n) {
		counts[p.Password]++
		lower := strings.ToLower(p.Password)
		first := asciiFold(p.FirstName, "")
		if len(first) > 2 && strings.HasPrefix(lower, first) && strings.Contains(p.Password, p.DateOfBirth[:4]) {
			nameBased++
		}
	}
	top, topN := "", 0
	for pw, c := range counts {
		if c > topN || c == topN && pw < top {
			top, topN = pw, c
		}
	}
	if top != "123456" || topN*100 <= n {
		t.Errorf("top password %q used by %d of %d people, want 123456 with more than 1%%", top, topN, n)
	}
	if d := len(counts); d < n/3 || d > n*9/10 {
		t.Errorf("%d distinct passwords among %d people, want a long tail with repeats", d, n)
	}
	if nameBased < n/100 {
		t.Errorf("%d name+year passwords, want more than 1%%", nameBased)
	}
}

func TestAsciiFold(t *testing.T) {
	tests := []struct{ in, scheme, want string }{
		{"Müller", "", "muller"},
		{"Müller", "de", "mueller"},
		{"Groß", "de", "gross"},
		{"N'Diaye", "", "ndiaye"},
		{"Ødegård", "", "odegard"},
		{"Çağlar", "", "caglar"},
		{"İsmail", "", "ismail"},
		{"Łukasz", "", "lukasz"},
		{"De Luca", "", "deluca"},
	}
	for _, tc := range tests {
		if got := asciiFold(tc.in, tc.scheme); got != tc.want {
			t.Errorf("asciiFold(%q, %q) = %q, want %q", tc.in, tc.scheme, got, tc.want)
		}
	}
}

func TestFemaleSurnames(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range people(6, 5000) {
		switch {
		case p.Country == "RU" && strings.HasSuffix(p.LastName, "ова"):
			seen["ru"] = true
		case p.Country == "PL" && strings.HasSuffix(p.LastName, "ska"):
			seen["pl"] = true
		}
	}
	if !seen["ru"] || !seen["pl"] {
		t.Errorf("female surname forms seen: %v, want Russian -ova and Polish -ska", seen)
	}
}
