package leakparse

import (
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

// Binary values. A database cell or dump literal that holds bytes which are
// not text (a BLOB of SQLite, a 0x... or X'...' literal) reaches the table
// classifier written in hex and marked binary. Whatever its column's name,
// such a value is no login, email, phone number or name: those are text.
// In a password column it is the password in a form that is not the
// password: a digest stored as bytes, or, most often, the password
// encrypted, as browsers keep the passwords they save (Chrome's "Login
// Data" password_value is "v10"/"v11" and AES-GCM ciphertext, or a DPAPI
// blob; without the victim's key it is noise). It is recorded as what the
// public service calls such values, "Password hashes" (as the Adobe
// dump's encrypted passwords are), and never counted as a password: its
// hex text would pollute the Pwned Passwords corpus with strings nobody
// ever typed.

// binaryPasswords is the dry-run's word for a password column of binary
// values.
const binaryPasswords = "its values are binary (encrypted or digests, as browsers and some apps keep passwords): recorded as password hashes, never counted as passwords"

// binaryClass is the class of a binary value in a column of class c.
func binaryClass(c catalog.DataClass) catalog.DataClass {
	switch c {
	case catalog.ClassPassword:
		return catalog.ClassPasswordHash
	case catalog.ClassEmail, catalog.ClassUsername, catalog.ClassPhone, catalog.ClassName:
		return catalog.ClassUnknown
	}
	return c
}

// isTextBytes reports whether the bytes of a binary literal or blob are
// text (appendBlob keeps them as they are) rather than binary (written in
// hex).
func isTextBytes(v []byte) bool { return utf8.Valid(v) && !hasControl(v) }
