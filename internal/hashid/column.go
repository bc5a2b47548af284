package hashid

import "strings"

// A Column is the verdict on one column of a table (or the password field
// of a whole combolist): whether its Ambiguous values are hashes. One value
// of 16 hex digits is as likely a password as a MySQL 3.x hash; a column
// where most values have that shape, or a column named "password_hash", is
// a column of hashes.
//
// The zero Column treats every Ambiguous value as a password. A Column is
// a small value, safe to copy and to use from several goroutines.
type Column struct {
	hashes bool
	named  bool      // the column's name said hashes
	seen   [4]uint64 // schemes found in the sample, Certain or Ambiguous
}

// JudgeColumn decides from a column's name ("" when it has none) and a
// sample of its values (the first rows, empty values ignored) whether the
// column's Ambiguous values are hashes:
//
//   - A name that says hash ("hash", "pass_hash", "password_md5",
//     "sha256", "encrypted_password", "bcrypt", "ntlm"...) makes every
//     Ambiguous value a hash; a name that says plaintext ("plain",
//     "cleartext", "cracked") makes none a hash.
//   - Otherwise the sample decides: when more than half of its values are
//     hashes (Certain or Ambiguous) and at least two are, the Ambiguous
//     values of the schemes seen in the sample are hashes. A column of
//     passwords with one 16-hex value keeps that value a password.
//
// Certain values are hashes and NotHash values are not, whatever the column.
// The sample is not retained.
func JudgeColumn(name string, sample [][]byte) Column {
	var c Column
	switch nameSays(name) {
	case sayHash:
		c.hashes, c.named = true, true
		return c
	case sayPlain:
		return c
	}
	n, hashy := 0, 0
	for _, v := range sample {
		if len(v) == 0 {
			continue
		}
		n++
		s, cert := Identify(v)
		if cert == NotHash {
			continue
		}
		hashy++
		c.seen[s/64] |= 1 << (s % 64)
	}
	c.hashes = hashy >= 2 && hashy*2 > n
	return c
}

// Hashes reports whether the column's Ambiguous values are hashes (of the
// schemes its sample showed, unless its name said hash).
func (c Column) Hashes() bool { return c.hashes }

// IsHash reports whether v, a value of the column, is a password hash:
// Certain values always, Ambiguous ones when the column holds hashes.
func (c Column) IsHash(v []byte) bool {
	s, cert := Identify(v)
	switch cert {
	case Certain:
		return true
	case Ambiguous:
		return c.hashes && (c.named || c.seen[s/64]&(1<<(s%64)) != 0)
	}
	return false
}

type nameVerdict uint8

const (
	sayNothing nameVerdict = iota
	sayHash
	sayPlain
)

// hashWords and plainWords are looked for in a column name reduced to
// lower-case ASCII letters and digits ("Password_MD5" → "passwordmd5").
var (
	hashWords  = []string{"hash", "md5", "sha1", "sha2", "sha3", "sha256", "sha384", "sha512", "crypt", "digest", "ntlm", "nthash", "lmhash", "pbkdf", "argon", "scrypt", "mysql323"}
	plainWords = []string{"plain", "clear", "cracked", "decrypted", "unhashed"}
)

// nameSays reads a column name. "crypt" covers bcrypt, encrypted_password
// (Devise's bcrypt column) and crypted_password; "plain" wins over "hash"
// ("plain_hash" is unlikely, "password_plain" is not).
func nameSays(name string) nameVerdict {
	var buf [64]byte
	b := buf[:0]
	for i := 0; i < len(name) && len(b) < len(buf); i++ {
		c := name[i]
		switch {
		case 'A' <= c && c <= 'Z':
			b = append(b, c+'a'-'A')
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			b = append(b, c)
		}
	}
	s := string(b)
	for _, w := range plainWords {
		if strings.Contains(s, w) {
			return sayPlain
		}
	}
	if strings.Contains(s, "salt") {
		return sayNothing
	}
	for _, w := range hashWords {
		if strings.Contains(s, w) {
			return sayHash
		}
	}
	return sayNothing
}
