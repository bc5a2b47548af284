package ingest

import (
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/identity"
	"github.com/leakwatch/leakwatch/internal/store"
)

// addBareHashes counts the hashes of a record that holds nothing else (a
// line of a bare hash list, such as the LinkedIn list of unsalted SHA-1
// hashes) in the corpus the operator named with Options.BareHashes. Each
// hash of that kind's shape (40 hex digits for SHA-1, 32 for NTLM) becomes a
// password fact that carries that hash alone, and counts once per distinct
// record, as any password found without an account. Other values (a salted
// hash, a bcrypt string) stay what they are: data class "Password hashes".
func (w *worker) addBareHashes(b *batch, fields []fieldRef) {
	for _, fr := range fields {
		if fr.class != catalog.ClassPasswordHash {
			return
		}
	}
	kind := w.p.opts.BareHashes
	var record [16]byte
	digested := false
	for _, fr := range fields {
		v := b.value(fr.off, fr.n)
		pw := store.Password{Only: kind}
		// The print takes a SHA-1; an NTLM hash stands in for it. The
		// record digest (of a hash, not a password) keeps such prints
		// apart from those of plaintext passwords.
		var key [20]byte
		switch kind {
		case store.SHA1:
			if !unhex(pw.SHA1[:], v) {
				continue
			}
			key = pw.SHA1
		case store.NTLM:
			if !unhex(pw.NTLM[:], v) {
				continue
			}
			copy(key[:], pw.NTLM[:])
		}
		if !digested {
			record = identity.RecordDigest(func(yield func(uint8, []byte) bool) {
				for _, fr := range fields {
					if !yield(uint8(fr.class), b.value(fr.off, fr.n)) {
						return
					}
				}
			})
			digested = true
		}
		pw.Print = w.d.Unpaired(record, key)
		w.facts.Passwords = append(w.facts.Passwords, pw)
	}
}

// unhex decodes h, hex digits in either case, into dst; false unless h has
// exactly 2*len(dst) digits.
func unhex(dst, h []byte) bool {
	if len(h) != 2*len(dst) {
		return false
	}
	for i := range dst {
		hi, ok1 := hexDigit(h[2*i])
		lo, ok2 := hexDigit(h[2*i+1])
		if !ok1 || !ok2 {
			return false
		}
		dst[i] = hi<<4 | lo
	}
	return true
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
