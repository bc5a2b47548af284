package leakgen

import (
	"iter"
	"strconv"
)

// Person is one synthetic identity. Every value is invented; names and
// places are common ones, numbers are random.
type Person struct {
	Email    string // lower-case; formats may show it in another case or with spaces around it
	Username string
	// Password is what the person uses everywhere: every format that shows
	// a plaintext password shows this one (the MySQL format shows its MD5).
	Password  string
	FirstName string // in the culture's script: "Élodie", "Дмитрий", "翔太"
	LastName  string
	Phone     string // as written in the leak, e.g. "8 (912) 345-67-89"
	PhoneE164 string // the canonical form of Phone, e.g. "+79123456789"
	// DateOfBirth is written YYYY-MM-DD, between 1940 and 2008.
	DateOfBirth string
	Street      string // may hold commas, quotes or a line break ("Flat 2\n12 High Street")
	City        string
	Postcode    string
	Country     string // ISO 3166-1 alpha-2 code, e.g. "DE"
	TaxID       string // national ID or tax number in the country's usual shape
	DeviceID    string // IMEI, Android ID or advertising UUID
	IP          string // IPv4 address
	Website     string // a host name such as "netflix.com" or "login.example.org"
	// Hash, when non-empty, is what the combo format shows instead of the
	// password. HashKind names its kind.
	Hash string
	// HashKind is "md5", "sha1", "ntlm" (hex digests of Password, lower or
	// upper case), "bcrypt", "md5crypt", "sha512crypt", "phpass" (well-formed
	// but random, not computed from Password) or "md5:salt" (hex of
	// md5(md5(Password)+salt), then ':' and the salt).
	HashKind string
}

// People returns the sequence of synthetic people of seed: row index and
// person, without end. The same seed gives the same sequence on every
// machine; person i of People(seed) is the one Generate writes as record i
// (counting from 0, junk lines not counted) with the same seed.
func People(seed uint64) iter.Seq2[int64, Person] {
	return func(yield func(int64, Person) bool) {
		t := getTables()
		var p row
		for i := int64(0); ; i++ {
			p.fill(t, seed, i, needAll)
			if !yield(i, p.person()) {
				return
			}
		}
	}
}

// PersonAt returns person i of People(seed) without generating the people
// before it.
func PersonAt(seed uint64, i int64) Person {
	var p row
	p.fill(getTables(), seed, i, needAll)
	return p.person()
}

// What a format needs of a person, beyond the identity (names, e-mail
// address and date of birth) that is always computed.
const (
	needPassword = 1 << iota
	needPhone
	needAddress
	needMisc // tax ID, device ID, IP address, website
	needUsername
	needAll = needPassword | needPhone | needAddress | needMisc | needUsername
	// needCredentials is what ULP lines and stealer logs show: logins,
	// passwords and websites.
	needCredentials = needPassword | needPhone | needMisc | needUsername
)

// row is the generator's working form of a Person: byte slices reused from
// row to row so that generating a row does not allocate.
type row struct {
	key        uint64
	cult       *culture
	female     bool
	native     bool // names shown in the native script
	first      *nameEnt
	last       *nameEnt
	year       int
	month, day int

	email, username []byte
	password, hash  []byte
	hashKind        string

	phone, phoneE164 []byte
	street, postcode []byte
	city             string

	taxID, deviceID, ip []byte
	website             []byte // host
	webPath, webPort    string // webPort is "" for the scheme's default port
	webHTTP             bool   // plain http rather than https
}

func (p *row) fill(t *tables, seed uint64, i int64, need int) {
	p.key = rowKey(seed, i)
	var r rng
	r.reset(p.key, streamIdentity)
	p.identity(&r, t)
	if need&needUsername != 0 {
		p.genUsername(t)
	}
	if need&needPassword != 0 {
		r.reset(p.key, streamPassword)
		p.genPassword(&r, t)
	}
	if need&needPhone != 0 {
		r.reset(p.key, streamPhone)
		p.genPhone(&r)
	}
	if need&needAddress != 0 {
		r.reset(p.key, streamAddress)
		p.genAddress(&r)
	}
	if need&needMisc != 0 {
		r.reset(p.key, streamMisc)
		p.genMisc(&r, t)
	}
}

func (p *row) person() Person {
	return Person{
		Email:       string(p.email),
		Username:    string(p.username),
		Password:    string(p.password),
		FirstName:   p.firstName(),
		LastName:    p.lastName(),
		Phone:       string(p.phone),
		PhoneE164:   string(p.phoneE164),
		DateOfBirth: string(p.appendDOB(nil)),
		Street:      string(p.street),
		City:        p.city,
		Postcode:    string(p.postcode),
		Country:     p.cult.code,
		TaxID:       string(p.taxID),
		DeviceID:    string(p.deviceID),
		IP:          string(p.ip),
		Website:     string(p.website),
		Hash:        string(p.hash),
		HashKind:    p.hashKind,
	}
}

func (p *row) firstName() string {
	if p.native {
		return p.first.native
	}
	return p.first.latin
}

func (p *row) lastName() string {
	if p.native {
		return p.last.native
	}
	return p.last.latin
}

// appendFullName appends the name as the culture writes it in full.
func (p *row) appendFullName(b []byte) []byte {
	if p.native && p.cult.familySep != "-" {
		b = append(b, p.last.native...)
		b = append(b, p.cult.familySep...)
		return append(b, p.first.native...)
	}
	b = append(b, p.firstName()...)
	b = append(b, ' ')
	return append(b, p.lastName()...)
}

func (p *row) appendDOB(b []byte) []byte {
	b = strconv.AppendInt(b, int64(p.year), 10)
	b = append(b, '-')
	b = append2(b, p.month)
	b = append(b, '-')
	return append2(b, p.day)
}

// nameLatin1 reports whether the name shown has accents that ISO 8859-1 can
// encode.
func (p *row) nameLatin1() bool {
	return !p.native && (p.first.latin1 || p.last.latin1)
}

func (p *row) identity(r *rng, t *tables) {
	p.cult = &t.cultures[t.cultPick[r.u64()>>54]]
	c := p.cult
	p.female = r.u64()&1 == 0
	if p.female {
		p.first = &c.female[r.intn(len(c.female))]
		k := r.intn(len(c.last))
		p.last = &c.lastF[k]
	} else {
		p.first = &c.male[r.intn(len(c.male))]
		p.last = &c.last[r.intn(len(c.last))]
	}
	p.native = c.hasNative && r.chance(c.nativeShare)

	// Leaks skew young: most people were born 1970-2005.
	if r.chance(700) {
		p.year = r.between(1970, 2005)
	} else {
		p.year = r.between(1940, 2008)
	}
	p.month = r.between(1, 12)
	p.day = r.between(1, daysIn(p.year, p.month))

	p.email = p.appendEmail(p.email[:0], r, t)
}

// genUsername computes the username, for formats that need it only for
// some rows.
func (p *row) genUsername(t *tables) {
	var r rng
	r.reset(p.key, streamUsername)
	p.username = p.appendUsername(p.username[:0], &r, t)
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// append2 appends n as two digits.
func append2(b []byte, n int) []byte { return append(b, byte('0'+n/10%10), byte('0'+n%10)) }

// appendDigits appends n random digits.
func appendDigits(b []byte, r *rng, n int) []byte {
	for range n {
		b = append(b, byte('0'+r.intn(10)))
	}
	return b
}

func (p *row) appendEmail(b []byte, r *rng, t *tables) []byte {
	f, l := p.first.ascii, p.last.ascii
	switch s := r.intn(100); {
	case p.cult.code == "CN" && s < 30: // QQ numbers
		b = append(b, byte('1'+r.intn(9)))
		b = appendDigits(b, r, r.between(4, 9))
		b = append(b, "@qq.com"...)
		return b
	case s < 22:
		b = append(append(append(b, f...), '.'), l...)
	case s < 32:
		b = append(append(b, f...), l...)
	case s < 38:
		b = append(append(append(b, f...), '_'), l...)
	case s < 50:
		b = append(append(append(b, f...), '.'), l...)
		b = append2(b, p.year%100)
	case s < 57:
		b = append(append(b, f[0]), l...)
	case s < 63:
		b = append(append(b, f[0]), l...)
		b = appendDigits(b, r, r.between(2, 3))
	case s < 70:
		b = append(b, f...)
		b = appendDigits(b, r, r.between(1, 4))
	case s < 75:
		b = append(append(b, l...), f[0])
	case s < 85:
		b = append(b, pick(r, t.nicknames)...)
		if r.chance(700) {
			b = appendDigits(b, r, r.between(1, 4))
		}
	case s < 92:
		b = append(append(b, f...), l...)
		b = strconv.AppendInt(b, int64(p.year), 10)
	case s < 96:
		b = append(append(append(b, l...), '.'), f...)
	default:
		b = append(append(append(b, f...), '-'), l...)
	}
	b = append(b, '@')
	return p.appendDomain(b, r, t)
}

func (p *row) appendDomain(b []byte, r *rng, t *tables) []byte {
	u := r.intn(1000)
	switch {
	case u < p.cult.localShare:
		return append(b, pick(r, p.cult.domains)...)
	case u < p.cult.localShare+40:
		return append(b, pick(r, t.corporate)...)
	case u < p.cult.localShare+100:
		return t.appendTailDomain(b, r)
	}
	return append(b, pick(r, t.global)...)
}

// appendTailDomain appends one of 2^17 generated domains, chosen with a
// roughly Zipf(1) popularity: a few small providers and a long tail.
func (t *tables) appendTailDomain(b []byte, r *rng) []byte {
	k := r.intn(17)
	idx := uint64(1)<<k + uint64(r.intn(1<<k))
	return t.appendDomainN(b, idx)
}

// appendDomainN appends the generated domain number idx.
func (t *tables) appendDomainN(b []byte, idx uint64) []byte {
	h := mix64(idx ^ 0x2545f4914f6cdd1d)
	n := 2 + int(h&1)
	for range n {
		h >>= 6
		b = append(b, t.syllables[int(h%uint64(len(t.syllables)))]...)
	}
	h >>= 6
	if h&7 == 0 {
		b = append(b, '-')
		b = append(b, t.syllables[int((h>>3)%uint64(len(t.syllables)))]...)
	}
	b = append(b, '.')
	return append(b, t.tlds[int((h>>10)%uint64(len(t.tlds)))]...)
}

func (p *row) appendUsername(b []byte, r *rng, t *tables) []byte {
	f, l := p.first.ascii, p.last.ascii
	start := len(b)
	switch s := r.intn(100); {
	case s < 18:
		b = append(append(b, f[0]), l...)
	case s < 28:
		b = append(append(b, f...), l...)
	case s < 36:
		b = append(append(append(b, f...), '_'), l...)
	case s < 42:
		b = append(append(append(b, f...), '.'), l...)
	case s < 56:
		b = append(b, f...)
		b = append2(b, p.year%100)
	case s < 74:
		b = append(b, pick(r, t.nicknames)...)
		b = appendDigits(b, r, r.between(1, 4))
	case s < 80:
		b = append(b, "xX"...)
		b = append(b, pick(r, t.nicknames)...)
		b = append(b, "Xx"...)
	case s < 88:
		b = append(b, pick(r, t.nicknames)...)
		b = append(b, '_')
		b = append(b, f...)
	case s < 94:
		b = append(append(b, l...), f[0])
		b = appendDigits(b, r, r.between(1, 3))
	default:
		b = append(b, f...)
		b = strconv.AppendInt(b, int64(p.year), 10)
	}
	if r.chance(120) && b[start] >= 'a' && b[start] <= 'z' {
		b[start] -= 'a' - 'A'
	}
	return b
}

func (p *row) genPhone(r *rng) {
	c := p.cult
	var nat [16]byte
	n := copy(nat[:], pick(r, c.phoneMobile))
	nat[n] = byte('2' + r.intn(8)) // subscriber numbers do not start with 0 or 1
	n++
	for ; n < c.phoneLen; n++ {
		nat[n] = byte('0' + r.intn(10))
	}
	p.phoneE164 = append(append(append(p.phoneE164[:0], '+'), c.phoneCC...), nat[:n]...)

	p.phone = p.phone[:0]
	k := 0
	for _, ch := range []byte(pick(r, c.phonePatterns)) {
		switch ch {
		case 'N':
			p.phone = append(p.phone, nat[k])
			k++
		case 'C':
			p.phone = append(p.phone, c.phoneCC...)
		default:
			p.phone = append(p.phone, ch)
		}
	}
}

func (p *row) genAddress(r *rng) {
	c := p.cult
	p.street = p.street[:0]
	f := pick(r, c.addrFormats)
	for i := 0; i < len(f); i++ {
		if f[i] != '{' || i+2 >= len(f) || f[i+2] != '}' {
			p.street = append(p.street, f[i])
			continue
		}
		switch f[i+1] {
		case 'N':
			p.street = strconv.AppendInt(p.street, int64(houseNumber(r)), 10)
		case 'S':
			p.street = append(p.street, pick(r, c.streets)...)
		case 'A':
			p.street = strconv.AppendInt(p.street, int64(r.between(1, 99)), 10)
		case 'L':
			p.street = append(p.street, byte('A'+r.intn(6)))
		}
		i += 2
	}
	ct := pick(r, c.cities)
	p.city = ct.name
	p.postcode = appendPattern(p.postcode[:0], r, c.postcode, ct.prefix)
}

// houseNumber favours small numbers, as streets do.
func houseNumber(r *rng) int {
	switch r.intn(10) {
	case 0, 1, 2, 3, 4:
		return r.between(1, 60)
	case 5, 6, 7, 8:
		return r.between(1, 400)
	}
	return r.between(100, 9999)
}

// ID letters avoid ones easily confused with digits.
const idLetters = "ABCEGHJKLMNPRSTWXYZ"

// appendPattern appends pattern with 'd' a random digit, 'n' a digit 1-9,
// 'l' a letter, 'x' one of A-D and 'p' prefix; without a 'p', prefix
// replaces the leading digits.
func appendPattern(b []byte, r *rng, pattern, prefix string) []byte {
	start := len(b)
	hasP := false
	for i := 0; i < len(pattern); i++ {
		switch ch := pattern[i]; ch {
		case 'd':
			b = append(b, byte('0'+r.intn(10)))
		case 'n':
			b = append(b, byte('1'+r.intn(9)))
		case 'l':
			b = append(b, idLetters[r.intn(len(idLetters))])
		case 'x':
			b = append(b, byte('A'+r.intn(4)))
		case 'p':
			b = append(b, prefix...)
			hasP = true
		default:
			b = append(b, ch)
		}
	}
	if !hasP {
		for i, k := start, 0; i < len(b) && k < len(prefix); i++ {
			if b[i] >= '0' && b[i] <= '9' {
				b[i] = prefix[k]
				k++
			}
		}
	}
	return b
}

func (p *row) genMisc(r *rng, t *tables) {
	p.taxID = p.appendTaxID(p.taxID[:0], r)

	p.deviceID = p.deviceID[:0]
	switch r.intn(10) {
	case 0, 1, 2, 3, 4, 5: // IMEI: type allocation code, serial, Luhn digit
		b := append(p.deviceID, pick(r, []string{"35", "86", "35", "01", "99"})...)
		b = appendDigits(b, r, 12)
		p.deviceID = append(b, luhnDigit(b))
	case 6, 7, 8: // advertising ID
		p.deviceID = appendUUID(p.deviceID, r, true)
	default: // Android ID
		p.deviceID = appendHex(p.deviceID, r, 16, false)
	}

	p.ip = appendPublicIPv4(p.ip[:0], r)

	p.website = p.website[:0]
	p.webPort, p.webHTTP = "", false
	switch u := r.intn(100); {
	case u < 55:
		s := pick(r, t.sites)
		p.website = append(p.website, s.host...)
		p.webPath = s.path
	case u < 85:
		p.website = append(p.website, pick(r, t.subdomains)...)
		p.website = append(p.website, '.')
		p.website = t.appendTailDomain(p.website, r)
		p.webPath = pick(r, t.paths)
		if r.chance(150) {
			p.webPort = pick(r, t.ports)
		}
		p.webHTTP = r.chance(200)
	case u < 95: // routers, NAS boxes, admin panels
		if r.chance(500) {
			p.website = append(p.website, pick(r, []string{"192.168.0.1", "192.168.1.1", "192.168.1.254", "10.0.0.1", "10.0.0.138"})...)
		} else {
			p.website = appendPublicIPv4(p.website, r)
		}
		p.webPath = pick(r, []string{"/", "/admin", "/login.html", "/cgi-bin/luci", "/webman/index.cgi", "/"})
		if r.chance(600) {
			p.webPort = pick(r, t.ports)
		}
		p.webHTTP = r.chance(700)
	default:
		p.website = append(p.website, pick(r, []string{"login", "portal", "auth", "sso", "vpn"})...)
		p.website = append(p.website, pick(r, []string{".example.org", ".example.com", ".example.net"})...)
		p.webPath = pick(r, t.paths)
	}
}

func (p *row) appendTaxID(b []byte, r *rng) []byte {
	switch p.cult.taxID {
	case "@us": // SSN: no area 000, 666 or 9xx
		area := r.between(1, 899)
		if area == 666 {
			area = 667
		}
		b = append(b, byte('0'+area/100), byte('0'+area/10%10), byte('0'+area%10), '-')
		b = append2(b, r.between(1, 99))
		b = append(b, '-')
		n := r.between(1, 9999)
		return append(append2(b, n/100), byte('0'+n/10%10), byte('0'+n%10))
	case "@fr": // NIR: sex, year, month, department, commune, order, key
		var d [13]byte
		d[0] = '1'
		if p.female {
			d[0] = '2'
		}
		copy(d[1:], append2(append2(nil, p.year%100), p.month))
		copy(d[5:], append2(nil, r.between(1, 95)))
		for i := 7; i < 13; i++ {
			d[i] = byte('0' + r.intn(10))
			if i == 12 && d[10] == '0' && d[11] == '0' && d[12] == '0' {
				d[i] = '1'
			}
		}
		n, _ := strconv.ParseUint(string(d[:]), 10, 64)
		key := 97 - int(n%97)
		b = append(b, d[0], ' ', d[1], d[2], ' ', d[3], d[4], ' ', d[5], d[6], ' ', d[7], d[8], d[9], ' ', d[10], d[11], d[12], ' ')
		return append2(b, key)
	case "@es": // DNI: eight digits and a check letter
		n := r.intn(100000000)
		var d [8]byte
		for i, m := 7, n; i >= 0; i, m = i-1, m/10 {
			d[i] = byte('0' + m%10)
		}
		b = append(b, d[:]...)
		return append(b, "TRWAGMYFPDXBNJZSQVHLCKE"[n%23])
	case "@br": // CPF: nine digits and two check digits
		var d [11]int
		for i := range 9 {
			d[i] = r.intn(10)
		}
		for k := 9; k < 11; k++ {
			s := 0
			for i := range k {
				s += d[i] * (k + 1 - i)
			}
			d[k] = s * 10 % 11 % 10
		}
		for i, v := range d {
			switch i {
			case 3, 6:
				b = append(b, '.')
			case 9:
				b = append(b, '-')
			}
			b = append(b, byte('0'+v))
		}
		return b
	case "@cn": // resident ID: region, birth date, sequence, ISO 7064 check
		start := len(b)
		b = append(b, pick(r, []string{"110101", "310104", "440106", "440305", "510107", "330106", "420102", "610113", "320102", "500103"})...)
		b = strconv.AppendInt(b, int64(p.year), 10)
		b = append2(append2(b, p.month), p.day)
		seq := r.between(1, 999)
		if p.female {
			seq = seq &^ 1
		} else {
			seq |= 1
		}
		b = append(b, byte('0'+seq/100%10), byte('0'+seq/10%10), byte('0'+seq%10))
		s := 0
		for i, ch := range b[start:] {
			s += int(ch-'0') * ((1 << (17 - i)) % 11)
		}
		return append(b, "10X98765432"[s%11])
	case "@no": // fødselsnummer: birth date and five digits
		b = append2(append2(append2(b, p.day), p.month), p.year%100)
		return appendDigits(b, r, 5)
	case "@pl": // PESEL: birth date (months +20 after 1999), serial, check digit
		start := len(b)
		m := p.month
		if p.year >= 2000 {
			m += 20
		}
		b = append2(append2(append2(b, p.year%100), m), p.day)
		b = appendDigits(b, r, 3)
		sex := 2 * r.intn(5)
		if !p.female {
			sex++
		}
		b = append(b, byte('0'+sex))
		s := 0
		for i, ch := range b[start:] {
			s += int(ch-'0') * [10]int{1, 3, 7, 9, 1, 3, 7, 9, 1, 3}[i]
		}
		return append(b, byte('0'+(10-s%10)%10))
	}
	return appendPattern(b, r, p.cult.taxID, "")
}

// luhnDigit returns the Luhn check digit of the decimal digits d.
func luhnDigit(d []byte) byte {
	s := 0
	for i := range d {
		v := int(d[len(d)-1-i] - '0')
		if i%2 == 0 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		s += v
	}
	return byte('0' + (10-s%10)%10)
}

const (
	hexLower = "0123456789abcdef"
	hexUpper = "0123456789ABCDEF"
)

func appendHex(b []byte, r *rng, n int, upper bool) []byte {
	digits := hexLower
	if upper {
		digits = hexUpper
	}
	for range n {
		b = append(b, digits[r.intn(16)])
	}
	return b
}

// appendUUID appends a random (version 4) UUID.
func appendUUID(b []byte, r *rng, upper bool) []byte {
	b = appendHex(b, r, 8, upper)
	b = append(b, '-')
	b = appendHex(b, r, 4, upper)
	b = append(b, '-', '4')
	b = appendHex(b, r, 3, upper)
	variant := "89ab"
	if upper {
		variant = "89AB"
	}
	b = append(b, '-', variant[r.intn(4)])
	b = appendHex(b, r, 3, upper)
	b = append(b, '-')
	return appendHex(b, r, 12, upper)
}

// appendPublicIPv4 appends a random address outside the private, loopback,
// link-local, multicast and reserved ranges.
func appendPublicIPv4(b []byte, r *rng) []byte {
	var a, c int
	for {
		a, c = r.between(1, 223), r.between(0, 255)
		switch {
		case a == 10, a == 127, a == 100 && c >= 64 && c < 128,
			a == 169 && c == 254, a == 172 && c >= 16 && c < 32, a == 192 && c == 168:
			continue
		}
		break
	}
	b = strconv.AppendInt(b, int64(a), 10)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(c), 10)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(r.intn(256)), 10)
	b = append(b, '.')
	return strconv.AppendInt(b, int64(r.between(1, 254)), 10)
}
