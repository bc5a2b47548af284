package leakparse

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/hashid"
)

// Rows of a table whose columns are not all classified by name are held
// back (up to warmRows rows or warmBytes bytes) until their content can
// classify the rest.
const (
	warmRows  = 64
	warmBytes = 256 << 10
	// maxColumns bounds the columns of a table whose rows name them (JSON
	// keys); values of further keys share one column classified value by
	// value.
	maxColumns = 4096
)

// keepClasses are the classes that make a record worth keeping: an
// identifier (email, username, phone) or personal data that stands alone.
var keepClasses = catalog.ClassSet(0).Add(catalog.ClassEmail).Add(catalog.ClassUsername).
	Add(catalog.ClassPhone).Add(catalog.ClassPassword).Add(catalog.ClassPasswordHash).
	Add(catalog.ClassName).Add(catalog.ClassGovernmentID).Add(catalog.ClassCreditCard).
	Add(catalog.ClassBankAccount).Add(catalog.ClassDeviceID).Add(catalog.ClassCookie).
	Add(catalog.ClassAuthToken).Add(catalog.ClassAddress)

type column struct {
	name  string
	class catalog.DataClass
	known bool // class settled by the map, the name or the content
	named bool // the name (not the content) settled the class
	late  bool // appeared after warm-up with an uninformative name: each value is classified alone
	// tentative: the name gave a class the content must confirm (see
	// confirmedClasses); settled at the end of the warm-up.
	tentative bool
	why       string // why the column has its class, for Sniff

	judge hashid.Column // a password column's verdict on its ambiguous hashes (hashcols.go)
}

// cell is one value of a row, for column col. bin marks a binary value
// (a blob that is not text) written in hex: see binaryClass.
type cell struct {
	col int
	val []byte
	bin bool
}

type pendingRow struct {
	line            int64
	reason          Reason // non-empty: a quarantine held back to keep input order
	rawOff, rawEnd  int
	cellOff, cellTo int
}

type pendingCell struct {
	col      int
	off, end int
	bin      bool
}

// table classifies the columns of one table (a CSV file, an SQL table, the
// objects of a JSON file) and turns its rows into records.
type table struct {
	cfg     *config
	em      *emitter
	name    string
	cols    []column
	index   map[string]int // column name, as written, to column
	paths   bool           // names are JSON key paths
	dynamic bool           // columns appear as rows name them (JSON)
	warming bool

	arena  []byte
	rows   []pendingRow
	pcells []pendingCell
	cells  []cell

	rec      Record
	fields   []Field
	scratch  []byte
	samples  []string            // masked sample per column, when sniffing
	seen     []catalog.DataClass // the class the sample value got (a hash in a password column)
	seenBin  []bool              // the sample value was binary (see binaryClass)
	emitted  bool
	guessed  bool // the column names came from a CREATE TABLE, not the statement
	overflow int  // the shared column past maxColumns, -1 until needed
}

func newTable(cfg *config, em *emitter, name string, names []string, paths, dynamic bool) *table {
	t := &table{cfg: cfg, em: em, name: name, index: map[string]int{}, paths: paths, dynamic: dynamic, warming: true, overflow: -1}
	for _, n := range names {
		t.addColumn(n)
	}
	if !dynamic && len(names) > 0 {
		t.warming = false
		for _, c := range t.cols {
			if !c.known || c.tentative {
				t.warming = true
			}
		}
		t.warming = t.warming || t.hasPasswordColumn()
	}
	return t
}

// addColumn adds a column and classifies it by the map or its name.
func (t *table) addColumn(name string) int {
	i := len(t.cols)
	c := column{name: name}
	if cls, ok := t.cfg.mapName[strings.ToLower(name)]; ok && name != "" {
		c.class, c.known, c.named = cls, true, true
		c.why = "--map " + name
	} else if cls, ok := t.cfg.mapIdx[i+1]; ok && !t.paths {
		c.class, c.known, c.named = cls, true, true
		c.why = "--map " + strconv.Itoa(i+1)
	} else if cls, ok := t.cfg.fieldNames[strings.ToLower(name)]; ok && name != "" {
		c.class, c.known, c.named = cls, true, true
		c.why = "the " + string(t.cfg.format) + " field " + name
	} else if name != "" && !(t.paths && (name == jsonScalarKey || name == jsonMemberKey)) {
		if t.paths {
			c.class, c.known = classifyPath(name)
		} else {
			c.class, c.known = classifyName(name)
		}
		c.named = c.known
		if c.known {
			c.why = nameReason(name, c.class)
			c.tentative = t.warming && needsContent(name, c.class)
		}
	}
	if !c.known && !t.warming {
		c.late = true
	}
	t.cols = append(t.cols, c)
	if name != "" {
		if _, dup := t.index[name]; !dup {
			t.index[name] = i
		}
	}
	if t.cfg.sniff != nil {
		t.samples = append(t.samples, "")
	}
	return i
}

// column returns the column named name, adding it if new.
func (t *table) column(name []byte) int {
	if i, ok := t.index[string(name)]; ok {
		return i
	}
	if len(t.cols) >= maxColumns {
		if t.overflow < 0 {
			t.overflow = t.addColumn("")
			t.cols[t.overflow].known, t.cols[t.overflow].late = true, true
		}
		return t.overflow
	}
	return t.addColumn(string(name))
}

// ensure makes sure the table has at least n (positional) columns.
func (t *table) ensure(n int) {
	for len(t.cols) < n {
		t.addColumn("")
	}
}

// names returns the column names ("" for unnamed columns).
func (t *table) names() []string {
	out := make([]string, len(t.cols))
	for i, c := range t.cols {
		out[i] = c.name
	}
	return out
}

// add takes a row; raw is its input as read, for a quarantine. The values
// may alias the caller's buffers.
func (t *table) add(line int64, raw []byte, cells []cell) error {
	if !t.warming {
		return t.emit(line, raw, cells)
	}
	r := pendingRow{line: line, rawOff: len(t.arena)}
	t.arena = append(t.arena, raw...)
	r.rawEnd = len(t.arena)
	r.cellOff = len(t.pcells)
	for _, c := range cells {
		off := len(t.arena)
		t.arena = append(t.arena, c.val...)
		t.pcells = append(t.pcells, pendingCell{col: c.col, off: off, end: len(t.arena), bin: c.bin})
	}
	r.cellTo = len(t.pcells)
	t.rows = append(t.rows, r)
	if len(t.rows) >= warmRows || len(t.arena) >= warmBytes {
		return t.endWarm()
	}
	return nil
}

// quarantine passes a quarantine on, after the rows held back before it.
func (t *table) quarantine(line int64, reason Reason, raw []byte) error {
	if !t.warming || len(t.rows) == 0 {
		return t.em.quarantine(line, reason, raw)
	}
	r := pendingRow{line: line, reason: reason, rawOff: len(t.arena)}
	t.arena = append(t.arena, raw...)
	r.rawEnd = len(t.arena)
	r.cellOff, r.cellTo = len(t.pcells), len(t.pcells)
	t.rows = append(t.rows, r)
	if len(t.arena) >= warmBytes {
		return t.endWarm()
	}
	return nil
}

// flush ends the warm-up, classifying with the rows seen so far.
func (t *table) flush() error {
	if t.warming {
		return t.endWarm()
	}
	return nil
}

// endWarm classifies the columns left by their content and emits the rows
// held back.
func (t *table) endWarm() error {
	t.warming = false
	values := make([][][]byte, len(t.cols))
	for _, pc := range t.pcells {
		if c := &t.cols[pc.col]; !c.known || c.tentative {
			values[pc.col] = append(values[pc.col], t.arena[pc.off:pc.end])
		}
	}
	t.settle(values)
	t.judgeHashColumns()
	t.crackedColumns()
	rows, pcells, arena := t.rows, t.pcells, t.arena
	for _, r := range rows {
		raw := arena[r.rawOff:r.rawEnd]
		if r.reason != "" {
			if err := t.em.quarantine(r.line, r.reason, raw); err != nil {
				return err
			}
			continue
		}
		t.cells = t.cells[:0]
		for _, pc := range pcells[r.cellOff:r.cellTo] {
			t.cells = append(t.cells, cell{col: pc.col, val: arena[pc.off:pc.end], bin: pc.bin})
		}
		if err := t.emit(r.line, raw, t.cells); err != nil {
			return err
		}
	}
	t.rows, t.pcells, t.arena = nil, nil, nil
	return nil
}

// emit classifies and refines the values of a row and passes the record
// on, or quarantines it when nothing in it is worth keeping.
func (t *table) emit(line int64, raw []byte, cells []cell) error {
	t.fields = t.fields[:0]
	t.scratch = t.scratch[:0]
	var set catalog.ClassSet
	lost := false // a value of the overflow column no class took
	for _, c := range cells {
		col := &t.cols[c.col]
		v := trim(c.val)
		if len(v) == 0 || isNullMarker(v) {
			continue
		}
		cls := col.class
		if col.late {
			cls = valueKind(v)
		}
		if c.bin {
			cls = binaryClass(cls)
		}
		cls, v = t.refine(cls, v)
		cls = col.settleHash(cls, v)
		if cls == catalog.ClassUnknown {
			lost = lost || c.col == t.overflow
			continue
		}
		t.fields = append(t.fields, Field{Class: cls, Value: v})
		set = set.Add(cls)
		if t.samples != nil && t.samples[c.col] == "" {
			t.samples[c.col] = Mask(cls, v)
			for len(t.seen) <= c.col {
				t.seen = append(t.seen, catalog.ClassUnknown)
			}
			t.seen[c.col] = cls
			if c.bin {
				for len(t.seenBin) <= c.col {
					t.seenBin = append(t.seenBin, false)
				}
				t.seenBin[c.col] = true
			}
		}
	}
	t.emitted = true
	if lost {
		return t.em.quarantine(line, ReasonTooManyColumns, raw)
	}
	if set&keepClasses == 0 {
		return t.em.quarantine(line, ReasonNoIdentifier, raw)
	}
	t.rec.Line = line
	t.rec.Fields = t.fields
	return t.em.record(&t.rec)
}

// refine adjusts the class of one value to what it holds: a hash in a
// password column is a hash, an email address in a login column an email,
// a URL in a website column its host.
func (t *table) refine(cls catalog.DataClass, v []byte) (catalog.DataClass, []byte) {
	switch cls {
	case catalog.ClassPassword:
		return passwordClass(v), v
	case catalog.ClassUsername:
		return usernameClass(v), v
	case catalog.ClassEmail:
		if isEmail(v) || indexByte(v, '@') > 0 {
			return cls, v
		}
		if usernameLike(v) && loginValue(v) {
			return catalog.ClassUsername, v
		}
		return catalog.ClassUnknown, v
	case catalog.ClassDateOfBirth:
		if !dobValue(v) {
			return catalog.ClassUnknown, v
		}
	case catalog.ClassWebsite:
		if !websiteValue(v) {
			return catalog.ClassUnknown, v
		}
		off := len(t.scratch)
		t.scratch = appendWebsite(t.scratch, v)
		return cls, t.scratch[off:len(t.scratch):len(t.scratch)]
	case catalog.ClassIP:
		// A packed address (a binary column dumped as hex).
		if (len(v) == 8 || len(v) == 32) && isHex(v) {
			var a [16]byte
			appendUnhex(a[:0], v)
			ip, _ := netip.AddrFromSlice(a[:len(v)/2])
			off := len(t.scratch)
			t.scratch = ip.AppendTo(t.scratch)
			return cls, t.scratch[off:len(t.scratch):len(t.scratch)]
		}
	}
	return cls, v
}

// usernameLike reports whether v could be a username: letters, digits and
// ._- with at least one letter.
func usernameLike(v []byte) bool {
	letter := false
	for _, c := range v {
		switch {
		case isLetter(c) || c >= 0x80:
			letter = true
		case isDigit(c) || c == '.' || c == '_' || c == '-':
		default:
			return false
		}
	}
	return letter && len(v) >= 2
}

// schema reports a table's columns for Sniff.
func (t *table) schema() (header []string, classes []catalog.DataClass, samples, reasons []string) {
	named := false
	for _, c := range t.cols {
		if c.name != "" {
			named = true
		}
	}
	if named {
		header = t.names()
		for i := range header {
			if header[i] == "" {
				header[i] = strconv.Itoa(i + 1)
			}
		}
	}
	classes = make([]catalog.DataClass, len(t.cols))
	reasons = make([]string, len(t.cols))
	for i, c := range t.cols {
		classes[i], reasons[i] = c.class, c.why
		// A password column whose values are hashes is shown as what it
		// holds (its values are recorded as hashes).
		if i < len(t.seen) && c.class == catalog.ClassPassword && t.seen[i] == catalog.ClassPasswordHash {
			classes[i] = catalog.ClassPasswordHash
			if i < len(t.seenBin) && t.seenBin[i] {
				reasons[i] += "; " + binaryPasswords
			} else {
				reasons[i] += "; its values are password hashes"
			}
		}
	}
	samples = append([]string(nil), t.samples...)
	for len(samples) < len(classes) {
		samples = append(samples, "")
	}
	return header, classes, samples, reasons
}
