package leakgen

import (
	"crypto/md5"
	"crypto/sha1"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/leakwatch/leakwatch/internal/pwhash"
)

// commonPasswords are the head of the password popularity distribution,
// most popular first, as public password lists rank them.
const commonPasswords = "123456 password 123456789 12345678 12345 qwerty 1234567 111111 1234567890 123123 " +
	"abc123 1234 password1 iloveyou 1q2w3e4r 000000 qwerty123 zaq12wsx dragon sunshine princess letmein " +
	"654321 monkey 27653 1qaz2wsx 123321 qwertyuiop superman asdfghjkl 7777777 121212 123qwe football " +
	"baseball welcome 666666 888888 987654321 1q2w3e shadow master 123654 michael jordan23 azerty 159753 " +
	"ashley 11111111 aa123456 qwe123 1qazxsw2 admin hello charlie 123abc 1111 112233 passw0rd password123 " +
	"Password1 trustno1 killer lovely 1234qwer starwars whatever freedom mustang batman 555555 999999 " +
	"access flower loveme zxcvbnm 147258369 0987654321 pokemon naruto samsung computer cheese soccer " +
	"liverpool chelsea arsenal 123456a a123456 123456789a qazwsx asdf1234 q1w2e3r4 1234abcd 11223344 " +
	"12341234 Aa123456 Qwerty123! P@ssw0rd hallo123 schalke04 azerty123 doudou soleil marseille woaini1314 " +
	"5201314 йцукен 1q2w3e4r5t qwertz iloveu 987654 gfhjkm parola 123456q zxcvbn q1w2e3 7758521 a12345 " +
	"michelle jennifer hunter ranger buster thomas tigger robert soccer1 daniel hannah maggie andrew"

// passwordWords are the words people build passwords from.
const passwordWords = "love baby angel dragon monkey tiger shadow summer winter spring autumn football soccer hockey " +
	"basketball princess sunshine flower rainbow purple orange banana cherry chocolate cookie pepper ginger " +
	"buster max bella lucky charlie daisy rocky coco teddy jesus blessed family forever mother daddy freedom " +
	"secret matrix hacker gamer player minecraft fortnite roblox pokemon naruto goku batman spiderman superman " +
	"ninja samurai pirate cowboy hunter killer warrior legend phoenix falcon eagle wolf bear lion panther " +
	"jaguar ferrari porsche mercedes honda yamaha harley chelsea arsenal barcelona madrid juventus liverpool " +
	"london paris berlin moscow tokyo india brasil mexico music guitar piano rock metal happy smile sweet " +
	"candy honey sugar kitty puppy bunny star moon sky ocean river forest snow fire storm thunder magic dream " +
	"heaven hello welcome schatz hallo sommer fussball soleil chocolat amour bonjour amor familia corazon " +
	"futbol tesoro ciao calcio amore saudade privet lyubov kotik solnce sevgi askim galatasaray fenerbahce " +
	"cricket krishna ganesh sachin kochanie haslo polska jakub nigeria sakura"

// keyboardWalks are runs of neighbouring keys.
const keyboardWalks = "qwerty qwertyuiop asdfgh asdfghjkl zxcvbnm 1qaz2wsx 1q2w3e4r 1q2w3e4r5t q1w2e3r4 qazwsx " +
	"zaq1xsw2 1qazxsw2 !QAZ2wsx qwe123 asd123 zxc123 123qwe 1234qwer qweasdzxc azerty azertyuiop qwertz " +
	"qwertzuiop йцукен йцукенг 147258369 159357 741852963 0147258369 1qaz@WSX poiuytrewq mnbvcxz qazxswedc"

// seasonWords start passwords like "Summer2024!" that satisfy corporate rules.
const seasonWords = "Summer Winter Spring Autumn Fall Welcome Password Monday Friday January March August October December Hello Letmein Secret Admin Company"

// nonASCIIWords make passwords in other scripts.
const nonASCIIWords = "пароль привет любовь солнышко котик зайка contraseña español señorita müller schön straße " +
	"café été français passwört 我爱你 密码 パスワード sevgilim şifre hasło żółw"

// separatorPasswords contain characters that combolists use as
// separators; the list itself is comma separated.
const separatorPasswords = "P@ss:w0rd,my:secret,pass:word1,a;b;c;d,love;you,12:34:56,hello|world,x|y|z," +
	"my password,i love you,open sesame 123,ab:cd;ef|gh,user:pass,root:toor,Love You:3"

// passwordTables are the parsed password lists.
type passwordTables struct {
	common []string
	// commonCum[i] is the cumulative Zipf weight of common[:i+1].
	commonCum                        []uint64
	words, walks                     []string
	seasons, nonASCII                []string
	separator                        []string
	symbols                          string
	lowerDigits, alnum, alnumSymbols string // alphabets of random passwords
}

func buildPasswordTables() passwordTables {
	pt := passwordTables{
		common:    strings.Fields(commonPasswords),
		words:     strings.Fields(passwordWords),
		walks:     strings.Fields(keyboardWalks),
		seasons:   strings.Fields(seasonWords),
		nonASCII:  strings.Fields(nonASCIIWords),
		symbols:   "!@#$%^&*-_+=?.,~:;|",
		separator: strings.Split(separatorPasswords, ","),
	}
	pt.lowerDigits = "abcdefghijklmnopqrstuvwxyz0123456789"
	pt.alnum = pt.lowerDigits + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	pt.alnumSymbols = pt.alnum + pt.symbols
	var cum uint64
	for i := range pt.common {
		cum += 1_000_000 / uint64(i+1)
		pt.commonCum = append(pt.commonCum, cum)
	}
	return pt
}

// commonPassword picks from the head with Zipf(1) weights.
func (pt *passwordTables) commonPassword(r *rng) string {
	total := pt.commonCum[len(pt.commonCum)-1]
	hi := uint64(r.intn(int(total)))
	lo, up := 0, len(pt.commonCum)-1
	for lo < up {
		mid := (lo + up) / 2
		if pt.commonCum[mid] > hi {
			up = mid
		} else {
			lo = mid + 1
		}
	}
	return pt.common[lo]
}

// genPassword chooses the person's password and, for a few people, the
// hash a combolist shows instead.
func (p *row) genPassword(r *rng, t *tables) {
	pt := &t.pw
	b := p.password[:0]
	switch u := r.intn(1000); {
	case u < 220:
		b = append(b, pt.commonPassword(r)...)
	case u < 360: // name and year: michael1985, Anna85!
		name := p.first.ascii
		if r.chance(200) {
			name = p.last.ascii
		}
		b = appendCased(b, r, name)
		switch v := r.intn(10); {
		case v < 4:
			b = strconv.AppendInt(b, int64(p.year), 10)
		case v < 6:
			b = append2(b, p.year%100)
		case v < 7:
			b = append(b, "123"...)
		case v < 8:
			b = append(b, '1')
		case v < 9:
			b = append2(append2(b, p.day), p.month)
		default:
			b = appendDigits(b, r, 2)
		}
		if r.chance(150) {
			b = append(b, '!')
		}
	case u < 560: // word and digits: sunshine12, Dragon2024!
		b = appendCased(b, r, pick(r, pt.words))
		if r.chance(300) {
			b = append(b, pick(r, pt.words)...)
		}
		switch v := r.intn(10); {
		case v < 5:
			b = appendDigits(b, r, r.between(1, 4))
		case v < 7:
			b = strconv.AppendInt(b, int64(r.between(1960, 2025)), 10)
		case v < 8:
			b = append(b, "123"...)
		}
		if r.chance(120) {
			b = append(b, pt.symbols[r.intn(9)])
		}
	case u < 610: // Summer2024!
		b = append(b, pick(r, pt.seasons)...)
		if r.chance(500) {
			b = strconv.AppendInt(b, int64(r.between(2010, 2025)), 10)
		} else {
			b = append(b, byte('1'+r.intn(9)))
		}
		if r.chance(700) {
			b = append(b, "!@#$"[r.intn(4)])
		}
	case u < 670: // keyboard walks
		b = append(b, pick(r, pt.walks)...)
		if r.chance(300) {
			b = appendDigits(b, r, r.between(1, 3))
		}
	case u < 710: // leetspeak: p@$$w0rd, Dr@g0n1
		for i, c := range []byte(pick(r, pt.words)) {
			switch {
			case c == 'a' && r.chance(700):
				c = '@'
			case c == 'o' && r.chance(700):
				c = '0'
			case c == 'e' && r.chance(600):
				c = '3'
			case c == 'i' && r.chance(500):
				c = '1'
			case c == 's' && r.chance(500):
				c = '$'
			case i == 0 && r.chance(500):
				c -= 'a' - 'A'
			}
			b = append(b, c)
		}
		if r.chance(500) {
			b = appendDigits(b, r, r.between(1, 3))
		}
	case u < 780: // digits: a birth date, a phone-like run, repeats
		switch r.intn(3) {
		case 0:
			b = append2(append2(b, p.day), p.month)
			b = strconv.AppendInt(b, int64(p.year), 10)
		case 1:
			b = appendDigits(b, r, r.between(4, 10))
		default:
			d := byte('0' + r.intn(10))
			for range r.between(6, 9) {
				b = append(b, d)
			}
		}
	case u < 940: // random strings, as password managers and admins make them
		n := r.between(8, 20)
		alphabet := pt.alnum
		switch r.intn(10) {
		case 0, 1, 2, 3, 4:
			alphabet = pt.lowerDigits
		case 5, 6:
			alphabet = pt.alnumSymbols
		}
		for range n {
			b = append(b, alphabet[r.intn(len(alphabet))])
		}
	case u < 980:
		b = append(b, pick(r, pt.separator)...)
	default:
		b = append(b, pick(r, pt.nonASCII)...)
		if r.chance(500) {
			b = appendDigits(b, r, r.between(1, 4))
		}
	}
	p.password = b

	p.hash, p.hashKind = p.hash[:0], ""
	if r.chance(30) {
		p.genHash(r)
	}
}

// appendCased appends word lower-case, capitalised or upper-case.
func appendCased(b []byte, r *rng, word string) []byte {
	start := len(b)
	b = append(b, word...)
	switch r.intn(20) {
	case 0:
		for i := start; i < len(b); i++ {
			if 'a' <= b[i] && b[i] <= 'z' {
				b[i] -= 'a' - 'A'
			}
		}
	case 1, 2, 3, 4, 5, 6, 7:
		if 'a' <= b[start] && b[start] <= 'z' {
			b[start] -= 'a' - 'A'
		}
	}
	return b
}

// Alphabets of crypt(3)-style hashes.
const (
	bcryptAlphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	cryptAlphabet  = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	saltAlphabet   = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
)

func (p *row) genHash(r *rng) {
	b := p.hash[:0]
	upper := r.chance(250)
	switch u := r.intn(1000); {
	case u < 350:
		p.hashKind = "md5"
		sum := md5.Sum(p.password)
		b = appendHexBytes(b, sum[:], upper)
	case u < 550:
		p.hashKind = "sha1"
		sum := sha1.Sum(p.password)
		b = appendHexBytes(b, sum[:], upper)
	case u < 650:
		p.hashKind = "ntlm"
		sum := pwhash.NTLM(p.password)
		b = appendHexBytes(b, sum[:], upper)
	case u < 800:
		// 22 characters of salt carry 128 bits and 31 of hash 184 bits, so
		// the last character of each has its low bits clear.
		p.hashKind = "bcrypt"
		b = append(b, pick(r, []string{"$2y$10$", "$2y$10$", "$2a$10$", "$2b$12$", "$2a$08$"})...)
		b = appendCrypt(b, r, bcryptAlphabet, 21)
		b = append(b, bcryptAlphabet[16*r.intn(4)])
		b = appendCrypt(b, r, bcryptAlphabet, 30)
		b = append(b, bcryptAlphabet[4*r.intn(16)])
	case u < 850:
		p.hashKind = "md5crypt"
		b = append(b, "$1$"...)
		b = appendCrypt(b, r, cryptAlphabet, 8)
		b = append(b, '$')
		b = appendCrypt(b, r, cryptAlphabet, 21)
		b = append(b, cryptAlphabet[r.intn(4)])
	case u < 900:
		p.hashKind = "sha512crypt"
		b = append(b, "$6$"...)
		b = appendCrypt(b, r, cryptAlphabet, 16)
		b = append(b, '$')
		b = appendCrypt(b, r, cryptAlphabet, 85)
		b = append(b, cryptAlphabet[r.intn(4)])
	case u < 950: // WordPress $P$B, phpBB $H$9
		p.hashKind = "phpass"
		b = append(b, pick(r, []string{"$P$B", "$P$B", "$P$B", "$H$9"})...)
		b = appendCrypt(b, r, cryptAlphabet, 8)
		b = appendCrypt(b, r, cryptAlphabet, 21)
		b = append(b, cryptAlphabet[r.intn(4)])
	default: // vBulletin: md5(md5(password) + salt)
		p.hashKind = "md5:salt"
		var salt [3]byte
		for i := range salt {
			salt[i] = saltAlphabet[r.intn(len(saltAlphabet))]
		}
		inner := md5.Sum(p.password)
		var buf [35]byte
		hex.Encode(buf[:32], inner[:])
		copy(buf[32:], salt[:])
		sum := md5.Sum(buf[:])
		b = appendHexBytes(b, sum[:], false)
		b = append(b, ':')
		b = append(b, salt[:]...)
	}
	p.hash = b
}

func appendCrypt(b []byte, r *rng, alphabet string, n int) []byte {
	for range n {
		b = append(b, alphabet[r.intn(64)])
	}
	return b
}

func appendHexBytes(b, data []byte, upper bool) []byte {
	digits := hexLower
	if upper {
		digits = hexUpper
	}
	for _, c := range data {
		b = append(b, digits[c>>4], digits[c&15])
	}
	return b
}
