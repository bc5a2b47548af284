package account

// Logins that are phone numbers written without their '+'. Leaks from
// Russia, Ukraine, Kazakhstan, India and their neighbours hold logins such
// as "79161234567" and "380501234567": the international number, digits
// only. Other digit strings are logins too, and are no phone numbers: QQ
// numbers (5 to 10 digits, Chinese usernames), ICQ UINs (up to 9 digits),
// numeric forum and social-network user ids (VK, Telegram: up to 10
// digits), Unix timestamps (10 digits, 13 in milliseconds). A digit string
// is taken for a phone number only when it is one beyond reasonable doubt:
//
//   - 11 to 15 digits. E.164 allows 8 to 15, but every 10-digit user id
//     or QQ number would then have to be weighed against the 10-digit
//     international numbers of a few small plans (Denmark, Norway,
//     Singapore, Iceland, Estonia): those keep their '+' to be phones.
//   - Not starting with 0 (a trunk or international prefix: a national
//     number) or 1. An 11-digit number starting with 1 is a North American
//     number as often as a Chinese mobile number in its national form
//     (1[3-9]x xxxx xxxx, the most common login of Chinese leaks), and
//     13-digit ids starting with 1 are millisecond timestamps.
//   - A country calling code followed by a national significant number of
//     that code's mobile plan, length and prefix (mobilePlans, generated
//     from libphonenumber's metadata and checked against it by
//     test/libphonenumber). Fixed-line numbers are left out: a landline is
//     rarely a login, and its ranges overlap user ids far more than mobile
//     ranges do.
//
// A number that fails these stays a username, found again by the same
// digits. Written with its '+' ("+447946000111") any valid E.164 number is
// a phone (see AppendPhone), and with a region given to AppendLoginIn the
// national forms of that region are too.

// mobileRule is one range of mobile numbers of a country calling code:
// national significant numbers of n digits that start with prefix, digits
// and [...] classes of digits ("70[0-25-8]").
type mobileRule struct {
	n      uint8
	prefix string
}

// e164Mobile reports whether d, 11 to 15 ASCII digits not starting with 0
// or 1, is the E.164 form (without its '+') of a mobile number.
func e164Mobile(d []byte) bool {
	if len(d) < 11 || len(d) > MaxPhoneDigits || d[0] < '2' || d[0] > '9' {
		return false
	}
	// Country calling codes are prefix-free: at most one of the first
	// one, two or three digits is one.
	cc := 0
	for k := 1; k <= 3; k++ {
		c := d[k-1]
		if c < '0' || c > '9' {
			return false
		}
		cc = cc*10 + int(c-'0')
		if rules, ok := mobilePlans[uint16(cc)]; ok {
			return mobileNSN(rules, d[k:])
		}
	}
	return false
}

// mobileNSN reports whether the national significant number nsn (ASCII
// digits) is in one of rules.
func mobileNSN(rules []mobileRule, nsn []byte) bool {
	for _, c := range nsn {
		if c < '0' || c > '9' {
			return false
		}
	}
	for _, r := range rules {
		if int(r.n) == len(nsn) && matchPrefix(r.prefix, nsn) {
			return true
		}
	}
	return false
}

// matchPrefix reports whether d starts with the digits and [...] classes
// of pat.
func matchPrefix(pat string, d []byte) bool {
	i := 0
	for j := 0; j < len(pat); i++ {
		if i >= len(d) {
			return false
		}
		c := d[i]
		if pat[j] != '[' {
			if pat[j] != c {
				return false
			}
			j++
			continue
		}
		in := false
		for j++; pat[j] != ']'; {
			lo, hi := pat[j], pat[j]
			if pat[j+1] == '-' {
				hi = pat[j+2]
				j += 3
			} else {
				j++
			}
			in = in || lo <= c && c <= hi
		}
		if !in {
			return false
		}
		j++
	}
	return true
}

// nationalMobile reports whether the national significant number nsn
// (ASCII digits) is a mobile number of the plan of country calling code
// cc. In the North American plan, which does not tell mobile numbers from
// others, any number of its shape is: ten digits, area code and exchange
// code not starting with 0 or 1.
func nationalMobile(cc string, nsn []byte) bool {
	if cc == "1" {
		return len(nsn) == 10 && nsn[0] >= '2' && nsn[3] >= '2' && allDigits(nsn)
	}
	n := 0
	for i := 0; i < len(cc); i++ {
		n = n*10 + int(cc[i]-'0')
	}
	rules, ok := mobilePlans[uint16(n)]
	return ok && mobileNSN(rules, nsn)
}

// nationalLogin appends the E.164 form of t, a login in a national form of
// region (an ISO 3166-1 alpha-2 code), and reports whether it is one: a
// number AppendPhone takes as a number of region, written as phone numbers
// are and user ids are not:
//
//   - with the region's trunk prefix ("8 916 123-45-67" in Russia, "07946
//     000111" in Britain) or an international prefix ("00", "011" in the
//     North American plan);
//   - with phone punctuation: a space, a parenthesis, a dash, a dot or a
//     slash between its digits ("916 123-45-67");
//   - or, digits only, as a mobile number of the region's plan
//     ("9161234567" in Russia, "13812345678" in China; any valid number in
//     the North American plan).
func nationalLogin(dst, t []byte, region string) ([]byte, bool) {
	country, ok := lookupCountry(region)
	if !ok {
		return dst, false
	}
	out, ok := AppendPhone(dst, t, region)
	if !ok {
		return dst, false
	}
	if !allDigits(t) {
		return out, true // punctuated
	}
	e164 := out[len(dst)+1:]
	if len(e164) != len(country.code)+len(t) {
		return out, true // a trunk or international prefix dropped
	}
	if nationalMobile(country.code, t) {
		return out, true
	}
	return dst, false
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}
