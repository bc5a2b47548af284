package leakparse

import (
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"encoding/hex"
	"fmt"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/pwhash"
)

// crackedColumns finds the plaintext beside a hash in a table whose names
// do not say which column holds it (a cracked dump with no header: id,
// user, email, md5, plain): a column left unclassified whose values hash
// (MD5, SHA-1 or NTLM, hex) to the values of a hash column on the same
// rows holds passwords. It looks at the rows held back by the warm-up and
// decides only on proof: at least half of the rows that have both values
// match, so a salt or a note beside a hash stays what it was.
func (t *table) crackedColumns() {
	var hashes, cands []int
	for i, c := range t.cols {
		switch {
		case c.class == catalog.ClassPasswordHash:
			hashes = append(hashes, i)
		case c.class == catalog.ClassUnknown && !c.named && !t.mapped(i):
			cands = append(cands, i)
		}
	}
	if len(hashes) == 0 || len(cands) == 0 || len(t.rows) == 0 {
		return
	}
	row := make([][]byte, len(t.cols))
	for _, cand := range cands {
		for _, h := range hashes {
			n, hits := 0, 0
			for _, r := range t.rows {
				clear(row)
				for _, pc := range t.pcells[r.cellOff:r.cellTo] {
					if pc.col < len(row) {
						row[pc.col] = t.arena[pc.off:pc.end]
					}
				}
				p, hv := trim(row[cand]), trim(row[h])
				if len(p) == 0 || len(hv) == 0 || isNullMarker(p) {
					continue
				}
				n++
				if hashesTo(p, hv) {
					hits++
				}
			}
			if hits > 0 && hits*2 >= n {
				c := &t.cols[cand]
				c.class = catalog.ClassPassword
				c.why = fmt.Sprintf("%d of %d values hash to the hash column %d on their rows: the cracked passwords", hits, n, h+1)
				break
			}
		}
	}
}

// hashesTo reports whether the hex digest h is the MD5, SHA-1 or NTLM of p.
func hashesTo(p, h []byte) bool {
	var want [20]byte
	switch len(h) {
	case 32:
		if _, err := hex.Decode(want[:16], h); err != nil {
			return false
		}
		m := md5.Sum(p)
		n := pwhash.NTLM(p)
		return bytes.Equal(m[:], want[:16]) || bytes.Equal(n[:], want[:16])
	case 40:
		if _, err := hex.Decode(want[:], h); err != nil {
			return false
		}
		s := sha1.Sum(p)
		return bytes.Equal(s[:], want[:])
	}
	return false
}
