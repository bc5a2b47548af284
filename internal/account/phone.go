package account

import (
	"slices"
	"unicode"
	"unicode/utf8"
)

// Limits on phone numbers, counted in digits of the E.164 form (country
// calling code plus national significant number, without the '+').
const (
	MinPhoneDigits = 8
	MaxPhoneDigits = 15 // ITU-T E.164
)

// dialing holds what national dialling needs for one default country.
type dialing struct {
	code string // country calling code
	// trunk is the national (trunk) prefix dialled before national numbers
	// and absent from E.164, or "" where the leading 0 belongs to the
	// number (Italy) or there is none.
	trunk string
	// nsn is the exact length of national significant numbers, or 0 when
	// it varies; it lets a trunk prefix that is also a valid first digit
	// (NANP "1", Russia "8") be recognised only when the length says so.
	nsn int
}

// countries maps ISO 3166-1 alpha-2 codes to their dialling rules. It is
// read-only. Sources: ITU-T E.164 assignments and national numbering plans;
// test/libphonenumber checks every entry against libphonenumber's national
// formats.
var countries = map[string]dialing{
	"US": {"1", "1", 10}, "CA": {"1", "1", 10},
	"GB": {"44", "0", 0}, "IE": {"353", "0", 0},
	"DE": {"49", "0", 0}, "AT": {"43", "0", 0}, "CH": {"41", "0", 0},
	"FR": {"33", "0", 0}, "BE": {"32", "0", 0}, "NL": {"31", "0", 0},
	"IT": {"39", "", 0}, "ES": {"34", "", 0}, "PT": {"351", "", 0},
	"PL": {"48", "", 0}, "CZ": {"420", "", 0}, "SE": {"46", "0", 0},
	"NO": {"47", "", 0}, "DK": {"45", "", 0}, "FI": {"358", "0", 0},
	"RU": {"7", "8", 10}, "UA": {"380", "0", 0}, "TR": {"90", "0", 0},
	"BR": {"55", "0", 0}, "MX": {"52", "", 0}, "AR": {"54", "0", 0},
	"IN": {"91", "0", 0}, "CN": {"86", "0", 0}, "JP": {"81", "0", 0},
	"KR": {"82", "0", 0}, "AU": {"61", "0", 0}, "NZ": {"64", "0", 0},
	"ZA": {"27", "0", 0}, "IL": {"972", "0", 0}, "SG": {"65", "", 0},
	// The former Soviet Union, whose leaks often carry phone logins.
	"KZ": {"7", "8", 10}, "BY": {"375", "80", 9}, "UZ": {"998", "", 9},
	"KG": {"996", "0", 9}, "TJ": {"992", "", 9}, "TM": {"993", "8", 8},
	"AZ": {"994", "0", 9}, "AM": {"374", "0", 8}, "GE": {"995", "0", 9},
	"MD": {"373", "0", 8},
	"ID": {"62", "0", 0}, "VN": {"84", "0", 0}, "TH": {"66", "0", 0},
	"MY": {"60", "0", 0}, "PH": {"63", "0", 0}, "PK": {"92", "0", 0},
	"BD": {"880", "0", 0}, "EG": {"20", "0", 0}, "SA": {"966", "0", 9},
	"AE": {"971", "0", 0}, "IR": {"98", "0", 0}, "NG": {"234", "0", 0},
	"KE": {"254", "0", 0}, "RO": {"40", "0", 9}, "BG": {"359", "0", 0},
	"HU": {"36", "06", 0}, "GR": {"30", "", 10}, "SK": {"421", "0", 9},
	"HR": {"385", "0", 0}, "RS": {"381", "0", 0},
}

// PhoneRegions returns the ISO 3166-1 alpha-2 codes of the regions whose
// national phone numbers AppendPhone and AppendLoginIn read, sorted.
func PhoneRegions() []string {
	out := make([]string, 0, len(countries))
	for cc := range countries {
		out = append(out, cc)
	}
	slices.Sort(out)
	return out
}

// Phone returns the E.164 form ("+" and 8 to 15 digits) of the phone number
// s, and whether s is an acceptable phone number. See AppendPhone.
func Phone(s []byte, defaultCountry string) (e164 string, ok bool) {
	var buf [1 + MaxPhoneDigits]byte
	out, ok := AppendPhone(buf[:0], s, defaultCountry)
	if !ok {
		return "", false
	}
	return string(out), true
}

// AppendPhone appends the E.164 form of the phone number s to dst.
//
// Spaces, dashes, dots, slashes and parentheses are removed. A number
// written with a leading "+" or "00" (or "011" when defaultCountry is "US"
// or "CA") is international: its digits start with the country calling
// code, and a "(0)" written after the country code ("+49 (0)30 ...") is the
// trunk prefix and is dropped. Any other number is national: the trunk
// prefix of defaultCountry (an ISO 3166-1 alpha-2 code, case-insensitive)
// is removed and the country's calling code put in front. National numbers
// are rejected when defaultCountry is empty or not in the package's table,
// and, in countries whose national numbers have one fixed length (the
// NANP's ten digits), when they do not have it: "555-0199" is not a
// complete US number.
// Letters (for example extensions such as "x12") and other symbols make the
// number unacceptable rather than being guessed around.
//
// On success it returns dst extended by "+" and 8 to 15 digits, and true;
// otherwise dst unchanged and false. It does not allocate when dst has room
// for 16 more bytes.
func AppendPhone(dst, s []byte, defaultCountry string) ([]byte, bool) {
	// Collect digits; 20 leaves room for "011", a trunk prefix and 15
	// digits, and anything longer is rejected anyway.
	var digits [20]byte
	n := 0
	plus := false
	trunkMark := -1 // index in digits of the 0 written as "(0)"
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			if n == len(digits) {
				return dst, false
			}
			digits[n] = c
			n++
			i++
		case c == '+':
			if plus || n > 0 {
				return dst, false
			}
			plus = true
			i++
		case c == '(' && i+2 < len(s) && s[i+1] == '0' && s[i+2] == ')':
			if trunkMark >= 0 || n == len(digits) {
				return dst, false
			}
			trunkMark = n
			digits[n] = '0'
			n++
			i += 3
		case c == ' ' || c == '\t' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')':
			i++
		case c < utf8.RuneSelf:
			return dst, false
		default:
			// Non-breaking and other Unicode spaces, and Unicode dashes
			// (hyphen, en dash, ...), as word processors write them.
			r, size := utf8.DecodeRune(s[i:])
			if !unicode.IsSpace(r) && !unicode.Is(unicode.Pd, r) {
				return dst, false
			}
			i += size
		}
	}
	d := digits[:n]

	country, known := lookupCountry(defaultCountry)
	var code string
	switch {
	case plus:
	case len(d) >= 2 && d[0] == '0' && d[1] == '0':
		d = d[2:]
		trunkMark -= 2
	case known && country.code == "1" && len(d) >= 3 && string(d[:3]) == "011":
		d = d[3:]
		trunkMark -= 3
	default:
		// National number.
		if !known {
			return dst, false
		}
		t := country.trunk
		if t != "" && len(d) > len(t) && string(d[:len(t)]) == t &&
			(country.nsn == 0 || len(d)-len(t) == country.nsn) {
			d = d[len(t):]
		}
		if country.nsn != 0 && len(d) != country.nsn {
			return dst, false
		}
		code = country.code
		trunkMark = -1
	}
	if trunkMark > 0 && trunkMark < len(d) {
		// International number with "(0)" after the country code.
		copy(d[trunkMark:], d[trunkMark+1:])
		d = d[:len(d)-1]
	} else if trunkMark == 0 {
		// "(0)" where the country code should be.
		return dst, false
	}

	total := len(code) + len(d)
	if total < MinPhoneDigits || total > MaxPhoneDigits {
		return dst, false
	}
	first := d[0]
	if code != "" {
		first = code[0]
	}
	switch first {
	case '0':
		return dst, false // country calling codes never start with 0
	case '1', '7':
		// Zones 1 (NANP) and 7 (Russia, Kazakhstan) have one-digit codes
		// and ten-digit national numbers.
		if total != 11 {
			return dst, false
		}
	}
	dst = append(dst, '+')
	dst = append(dst, code...)
	dst = append(dst, d...)
	return dst, true
}

// lookupCountry finds the dialling rules for an ISO 3166-1 alpha-2 code in
// any letter case.
func lookupCountry(cc string) (dialing, bool) {
	if len(cc) != 2 {
		return dialing{}, false
	}
	var up [2]byte
	for i := range up {
		c := cc[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		up[i] = c
	}
	d, ok := countries[string(up[:])]
	return d, ok
}
