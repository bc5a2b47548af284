package leakparse

import (
	"context"
	"encoding/binary"
	"testing"
	"time"
)

// loopedOverflowDatabase is a hostile database of 4 pages of 512 bytes:
// rows whose record says that a first column of l1 bytes lies in an
// overflow chain of two pages that point to each other.
func loopedOverflowDatabase(rows int, l1 uint64) []byte {
	const size = 512
	leafCell := func(rowid int, rec []byte) []byte {
		c := sqliteVarint(nil, uint64(len(rec)))
		c = sqliteVarint(c, uint64(rowid))
		return append(c, rec...)
	}
	schema := sqlitePage(size, 100, 13, 0, [][]byte{leafCell(1, sqliteRecord("table", "t", "t", 2, "CREATE TABLE t(a, b)"))})
	copy(schema, sqliteMagic)
	binary.BigEndian.PutUint16(schema[16:], size)
	schema[18], schema[19], schema[21], schema[22], schema[23] = 1, 1, 64, 32, 32
	binary.BigEndian.PutUint32(schema[24:], 1)
	binary.BigEndian.PutUint32(schema[28:], 3)
	binary.BigEndian.PutUint32(schema[40:], 1)
	binary.BigEndian.PutUint32(schema[44:], 4)
	binary.BigEndian.PutUint32(schema[56:], 1)
	binary.BigEndian.PutUint32(schema[92:], 1)
	binary.BigEndian.PutUint32(schema[96:], 3045000)
	// Record: header (size, blob of L1, text of 10), then the body.
	hdr := sqliteVarint(nil, 2*l1+12)
	hdr = append(hdr, 2*10+13)
	hdr = append([]byte{byte(len(hdr) + 1)}, hdr...)
	p := uint64(len(hdr)) + l1 + 10
	usable := uint64(size)
	maxLocal, minLocal := usable-35, (usable-12)*32/255-23
	nLocal := minLocal + (p-minLocal)%(usable-4)
	if nLocal > maxLocal {
		nLocal = minLocal
	}
	var cells [][]byte
	for i := range rows {
		local := make([]byte, nLocal)
		copy(local, hdr)
		c := sqliteVarint(nil, p)
		c = sqliteVarint(c, uint64(i+1))
		c = append(c, local...)
		c = binary.BigEndian.AppendUint32(c, 3)
		cells = append(cells, c)
	}
	leaf := sqlitePage(size, 0, 13, 0, cells)
	ovfl := make([]byte, size)
	binary.BigEndian.PutUint32(ovfl, 4) // the chain goes on with page 4
	ovfl2 := make([]byte, size)
	binary.BigEndian.PutUint32(ovfl2, 3) // which goes back to page 3
	binary.BigEndian.PutUint32(schema[28:], 4)
	return append(append(append(schema, leaf...), ovfl...), ovfl2...)
}

// TestDatabaseLoopedOverflow: records that claim gigabytes kept in an
// overflow chain that goes round in circles are corrupt rows, found at
// once, not a reader spinning.
func TestDatabaseLoopedOverflow(t *testing.T) {
	for _, l1 := range []uint64{100_000, 4_000_000_000} {
		d := openDatabase(t, loopedOverflowDatabase(1, l1))
		s := &countingSink{}
		start := time.Now()
		if _, err := d.ParseTable(context.Background(), "t", Options{}, nil, s); err != nil {
			t.Fatal(err)
		}
		if s.records != 0 || s.quar[ReasonCorrupt] != 1 || len(s.quar) != 1 || time.Since(start) > 10*time.Second {
			t.Errorf("%d bytes claimed: %d records, quarantined %q, in %v", l1, s.records, s.raws, time.Since(start))
		}
	}
}

// FuzzSQLite reads mutated databases: the golden ones and the hostile ones
// above. Whatever the bytes, a parse ends, quickly, with records and
// quarantines in order or with a one-line ErrNotALeak.
func FuzzSQLite(f *testing.F) {
	addGoldenSeeds(f)
	f.Add(repeatedPagesDatabase())
	f.Add(loopedOverflowDatabase(1, 100_000))
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, FormatSQLite) })
}
