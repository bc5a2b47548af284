package leakparse

import (
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/hashid"
)

// A password column of a table may hold hashes whose shape a password may
// also have: 16 hex digits (MySQL 3.x), a bare base64 digest, a DES crypt
// string. One such value is a password; a column of them is a column of
// hashes. The column decides, by its name and by the values held back
// during the warm-up (hashid.JudgeColumn): a table with a password column
// warms up even when every column is named, so that its first rows are
// there to judge. Certain hashes are hashes in any column (refine).

// hasPasswordColumn reports whether a table has a column classed as
// passwords.
func (t *table) hasPasswordColumn() bool {
	for _, c := range t.cols {
		if c.class == catalog.ClassPassword {
			return true
		}
	}
	return false
}

// judgeHashColumns gives each password column its verdict, from its name
// and the values of the rows held back.
func (t *table) judgeHashColumns() {
	if !t.hasPasswordColumn() {
		return
	}
	samples := make([][][]byte, len(t.cols))
	for _, pc := range t.pcells {
		if t.cols[pc.col].class != catalog.ClassPassword {
			continue
		}
		if v := trim(t.arena[pc.off:pc.end]); len(v) > 0 && !isNullMarker(v) {
			samples[pc.col] = append(samples[pc.col], v)
		}
	}
	for i := range t.cols {
		if c := &t.cols[i]; c.class == catalog.ClassPassword {
			c.judge = hashid.JudgeColumn(c.name, samples[i])
		}
	}
}

// settleHash turns a password of the column into a hash when the
// column's verdict says its shape is a hash here.
func (c *column) settleHash(cls catalog.DataClass, v []byte) catalog.DataClass {
	if cls == catalog.ClassPassword && c.judge.Hashes() && c.judge.IsHash(v) {
		return catalog.ClassPasswordHash
	}
	return cls
}
