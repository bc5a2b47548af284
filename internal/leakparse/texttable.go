package leakparse

import (
	"bytes"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// FormatTextTable is query output as SQL clients print it: the mysql
// client's boxed tables (+----+ rules, | cells |) and \G vertical rows,
// psql's aligned tables (a header, a ----+---- rule, "(3 rows)") with
// border 0, 1 or 2, in ASCII or Unicode line style, and its expanded
// records (-[ RECORD 1 ]-). Cells are cut where the rule line puts the
// column boundaries, so a '|' inside a value stays in the value; psql's
// '+' (newline) and '.' (wrapped) margin markers join a value's lines, and
// a mysql value holding a raw newline is joined until its row closes.
const FormatTextTable Format = "texttable"

func init() {
	formats = append(formats, FormatTextTable)
	registerReason(FormatTextTable, func(text []byte, _ *config) string {
		_, why := detectTextTable(text)
		return why
	})
}

// maxRowLines bounds how many lines one row of a text table may span.
const maxRowLines = 1000

// Box-drawing runes of table output, ASCII and Unicode.
func isDash(r rune) bool { return r == '-' || r == '─' || r == '═' || r == '━' }

func isJunction(r rune) bool {
	switch r {
	case '+', '┼', '┬', '┴', '├', '┤', '┌', '┐', '└', '┘', '╪', '╫', '╬', '╞', '╡', '╤', '╧', '╔', '╗', '╚', '╝', '╠', '╣', '╦', '╩':
		return true
	}
	return false
}

func isColumnSep(r rune) bool { return r == '|' || r == '│' || r == '║' || r == '┃' }

// runeWidth is the number of terminal columns a client gives r: 0 for
// combining and zero-width marks, 2 for East Asian wide and full-width
// characters and emoji, else 1 (after Markus Kuhn's wcwidth, which psql
// uses).
func runeWidth(r rune) int {
	switch {
	case r < 0x300:
		return 1
	case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || r == 0x200B || r >= 0x200C && r <= 0x200F || r == 0xFEFF:
		return 0
	case r >= 0x1100 && r <= 0x115F, r >= 0x2E80 && r <= 0xA4CF && r != 0x303F, r >= 0xAC00 && r <= 0xD7A3,
		r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE6F, r >= 0xFF00 && r <= 0xFF60, r >= 0xFFE0 && r <= 0xFFE6,
		r >= 0x1F300 && r <= 0x1F64F, r >= 0x1F900 && r <= 0x1F9FF, r >= 0x20000 && r <= 0x3FFFD:
		return 2
	}
	return 1
}

// cols maps the display columns of a line to its bytes.
type cols struct {
	line  []byte
	ascii bool
	start []int // byte offset of the rune at each display column (non-ASCII lines)
}

func (c *cols) reset(line []byte) {
	c.line = line
	c.ascii = true
	for _, b := range line {
		if b >= 0x80 {
			c.ascii = false
			break
		}
	}
	if c.ascii {
		return
	}
	c.start = c.start[:0]
	for i := 0; i < len(line); {
		r, n := utf8.DecodeRune(line[i:])
		for range runeWidth(r) {
			c.start = append(c.start, i)
		}
		i += n
	}
}

// width is the line's display width.
func (c *cols) width() int {
	if c.ascii {
		return len(c.line)
	}
	return len(c.start)
}

// off is the byte offset of display column k (len(line) past the end).
func (c *cols) off(k int) int {
	if c.ascii {
		return min(k, len(c.line))
	}
	if k >= len(c.start) {
		return len(c.line)
	}
	return c.start[k]
}

// at is the rune at display column k, 0 past the end.
func (c *cols) at(k int) rune {
	if c.ascii {
		if k < len(c.line) {
			return rune(c.line[k])
		}
		return 0
	}
	if k >= len(c.start) {
		return 0
	}
	r, _ := utf8.DecodeRune(c.line[c.start[k]:])
	return r
}

// span is the display columns [s, e) of one column's run of dashes in a
// rule line (margins included).
type span struct{ s, e int }

// layout is the column geometry a rule line gives.
type layout struct {
	spans   []span
	width   int  // display width of the rule
	box     bool // rows start and end with a separator (mysql; psql border 2)
	margins bool // one column of padding each side of a value (border >= 1)
}

// ruleKind reports whether a line is a rule: 'b' for a boxed rule
// (+---+---+), 'a' for psql's aligned rule (---+---, or dash runs
// separated by single spaces with border 0), 0 for none.
func ruleKind(l []byte) byte {
	l = bytes.TrimRight(l, " \t\r")
	if len(l) < 2 {
		return 0
	}
	first, _ := utf8.DecodeRune(l)
	dashes := 0
	for _, r := range string(l) {
		switch {
		case isDash(r):
			dashes++
		case isJunction(r) || r == ' ':
		default:
			return 0
		}
	}
	switch {
	case dashes == 0:
		return 0
	case isJunction(first):
		return 'b'
	case isDash(first):
		return 'a'
	}
	return 0
}

// newLayout reads the geometry of a rule line.
func newLayout(rule []byte) layout {
	rule = bytes.TrimRight(rule, " \t\r")
	var l layout
	var c cols
	c.reset(rule)
	w := c.width()
	l.width = w
	junctions := false
	s := -1
	for k := 0; k <= w; k++ {
		r := c.at(k)
		switch {
		case k < w && isDash(r):
			if s < 0 {
				s = k
			}
		default:
			if s >= 0 {
				l.spans = append(l.spans, span{s, k})
				s = -1
			}
			if isJunction(r) {
				junctions = true
				if k == 0 {
					l.box = true
				}
			}
		}
	}
	l.margins = junctions || len(l.spans) == 1
	return l
}

// cut splits a row line (of display columns c) into its cells, appending
// the content of each to cells and the rune in its right margin to marks;
// ok is false when the separators are not where the layout puts them.
func (l *layout) cut(c *cols, cells [][]byte, marks []rune) ([][]byte, []rune, bool) {
	w := c.width()
	for i, sp := range l.spans {
		// The separator after the column (and before the first, boxed).
		if l.margins && (i < len(l.spans)-1 || l.box) && sp.e < w && !isColumnSep(c.at(sp.e)) {
			return cells, marks, false
		}
		if i == 0 && l.box && !isColumnSep(c.at(sp.s-1)) {
			return cells, marks, false
		}
		s, e := sp.s, sp.e
		var mark rune
		if l.margins {
			s++
			e--
			mark = c.at(e)
		}
		if i == len(l.spans)-1 && !l.box && w > sp.e {
			e = w // a last value wider than its rule
		}
		if s > e {
			s = e
		}
		cells = append(cells, c.line[c.off(s):c.off(e)])
		marks = append(marks, mark)
	}
	return cells, marks, true
}

// splitAtSeps splits a row at every column separator (the fallback when a
// client measured widths differently): the cells, without the empty ones
// outside a boxed row's borders.
func splitAtSeps(line []byte, box bool, cells [][]byte) [][]byte {
	start := 0
	for i, r := range string(line) {
		if isColumnSep(r) {
			cells = append(cells, line[start:i])
			start = i + utf8.RuneLen(r)
		}
	}
	cells = append(cells, line[start:])
	if box && len(cells) >= 2 {
		cells = cells[1 : len(cells)-1]
	}
	return cells
}

// Lines around tables that are not data: the clients' footers and prompts.
func isTableNoise(l []byte) bool {
	t := trim(l)
	switch {
	case len(t) == 0:
		return true
	case t[0] == '(' && bytes.HasSuffix(t, []byte(")")) && (bytes.Contains(t, []byte(" row")) || bytes.Contains(t, []byte(" rows"))):
		return true // psql: (3 rows)
	case bytes.Contains(t, []byte(" in set")) || hasPrefixFold(t, "empty set") || hasPrefixFold(t, "query ok"):
		return true // mysql: 3 rows in set (0.00 sec)
	case hasPrefixFold(t, "mysql>") || hasPrefixFold(t, "mariadb") || hasPrefixFold(t, "->"):
		return true
	case hasPrefixFold(t, "time:") || hasPrefixFold(t, "expanded display"):
		return true
	}
	// A psql prompt: dbname=# or dbname=>, dbname-# (a continued
	// statement), dbname(# ...
	i := 0
	for i < len(t) && (isLetter(t[i]) || isDigit(t[i]) || t[i] == '_') {
		i++
	}
	return i > 0 && i+1 < len(t) && bytes.IndexByte([]byte("=-('\""), t[i]) >= 0 && (t[i+1] == '#' || t[i+1] == '>')
}

// isVerticalRow reports whether a line starts a mysql \G row:
// "*************************** 1. row ***************************".
func isVerticalRow(l []byte) bool {
	t := trim(l)
	return len(t) > 10 && t[0] == '*' && t[len(t)-1] == '*' && bytes.Contains(t, []byte(". row "))
}

// expandedRecord reports whether a line starts a psql expanded record
// ("-[ RECORD 1 ]----+----", "+-[ RECORD 1 ]--+", "─[ RECORD 1 ]──┼──"),
// and returns the display column of the separator the line shows, -1
// when it shows none.
func expandedRecord(l []byte) (bool, int) {
	i := bytes.Index(l, []byte("[ RECORD "))
	if i < 0 || i > 4 {
		return false, -1
	}
	var c cols
	c.reset(bytes.TrimRight(l, " \t\r"))
	// The last rune is the right border of "+-[ RECORD 1 ]---+" (border
	// 2 with no name column shown), not the separator.
	for k := 1; k < c.width()-1; k++ {
		if isJunction(c.at(k)) && k > i {
			return true, k
		}
	}
	return true, -1
}

// textTableParser parses FormatTextTable input.
type textTableParser struct {
	lr     *lineReader
	cfg    *config
	em     *emitter
	cur    *table   // the table rows go to
	order  []*table // when sniffing: the tables in order
	vtab   *table   // mysql \G and psql expanded records
	lay    layout
	state  int
	header [][]byte // a line before a rule: a psql header candidate
	hnames []string // the names of the table about to start

	c     cols
	cells [][]byte
	marks []rune

	// The row being read (it may continue on the next lines).
	pending   bool
	pline     int64
	praw      []byte
	pvals     [][]byte // owned buffers per column
	pmarks    []rune
	plines    int
	vnames    [][]byte // vertical record: names and values
	vvals     [][]byte
	vsep      int // vertical record: display column of ':' or '|'
	vexpanded bool
	vlong     bool // the vertical record went past MaxLine
	tcells    []cell
}

const (
	ttOutside = iota
	ttBoxHeader
	ttBoxRule
	ttRows
	ttVertical
)

// parseTextTable parses SQL client output (see FormatTextTable).
func parseTextTable(lr *lineReader, cfg *config, em *emitter) error {
	p := &textTableParser{lr: lr, cfg: cfg, em: em}
	for lr.next() {
		if lr.tooLong {
			if err := p.endRecord(); err != nil {
				return err
			}
			if err := p.quarantine(lr.n, ReasonTooLong, lr.raw); err != nil {
				return err
			}
			continue
		}
		if err := p.line(lr.n, lr.text, lr.raw); err != nil {
			return err
		}
	}
	if err := lr.errOrNil(); err != nil {
		return err
	}
	lr.finish()
	if err := p.endRecord(); err != nil {
		return err
	}
	if p.cur != nil {
		if err := p.cur.flush(); err != nil {
			return err
		}
	}
	if cfg.sniff != nil {
		for _, t := range p.order {
			if t.emitted {
				cfg.sniff.setTable(t)
				break
			}
		}
	}
	return nil
}

func (p *textTableParser) quarantine(line int64, reason Reason, raw []byte) error {
	if p.cur != nil {
		return p.cur.quarantine(line, reason, raw)
	}
	return p.em.quarantine(line, reason, raw)
}

// use makes t the table rows go to, settling the previous one first.
func (p *textTableParser) use(t *table) error {
	if p.cur != nil && p.cur != t {
		if err := p.cur.flush(); err != nil {
			return err
		}
	}
	if p.cur != t && p.cfg.sniff != nil {
		p.order = append(p.order, t)
	}
	p.cur = t
	return nil
}

func (p *textTableParser) ignore() { p.em.st.Ignored++ }

// line handles one line of input.
func (p *textTableParser) line(n int64, text, raw []byte) error {
	switch p.state {
	case ttBoxHeader:
		// After a boxed rule: the header row, or (a second rule seen
		// without one) nothing.
		if p.c.reset(text); len(trim(text)) > 0 && isColumnSep(firstRune(trim(text))) {
			var ok bool
			p.cells, p.marks, ok = p.lay.cut(&p.c, p.cells[:0], p.marks[:0])
			if ok {
				p.setHeader(p.cells)
				p.state = ttBoxRule
				p.ignore()
				return nil
			}
		}
		p.state = ttOutside
	case ttBoxRule:
		if ruleKind(text) == 'b' {
			p.state = ttRows
			p.ignore()
			return p.startTable()
		}
		p.state = ttOutside
	case ttRows:
		return p.row(n, text, raw)
	case ttVertical:
		return p.vertical(n, text, raw)
	}
	return p.outside(n, text, raw)
}

func firstRune(b []byte) rune {
	r, _ := utf8.DecodeRune(b)
	return r
}

// outside reads a line outside a table: the start of one, or noise.
func (p *textTableParser) outside(n int64, text, raw []byte) error {
	switch {
	case isVerticalRow(text):
		return p.startVertical(n, text, false, -1)
	}
	if ok, sep := expandedRecord(text); ok {
		return p.startVertical(n, text, true, sep)
	}
	switch ruleKind(text) {
	case 'b':
		p.lay = newLayout(text)
		p.state = ttBoxHeader
		p.header = p.header[:0]
		p.ignore()
		return nil
	case 'a':
		// psql: the header is the line before the rule.
		lay := newLayout(text)
		if len(p.header) > 0 {
			p.c.reset(p.header[0])
			var ok bool
			p.cells, p.marks, ok = lay.cut(&p.c, p.cells[:0], p.marks[:0])
			if ok {
				p.lay = lay
				p.setHeader(p.cells)
				p.header = p.header[:0]
				p.state = ttRows
				p.ignore()
				return p.startTable()
			}
		}
	}
	p.ignore()
	if len(trim(text)) > 0 && !isTableNoise(text) {
		p.header = append(p.header[:0], append([]byte(nil), text...))
	} else {
		p.header = p.header[:0]
	}
	return nil
}

// setHeader keeps the column names of the table about to start.
func (p *textTableParser) setHeader(cells [][]byte) {
	p.hnames = p.hnames[:0]
	for _, c := range cells {
		p.hnames = append(p.hnames, string(trim(c)))
	}
}

// startTable begins a table with the header kept by setHeader.
func (p *textTableParser) startTable() error {
	names := append([]string(nil), p.hnames...)
	p.hnames = p.hnames[:0]
	return p.use(newTable(p.cfg, p.em, "", names, false, false))
}

// row reads a line of a table's body.
func (p *textTableParser) row(n int64, text, raw []byte) error {
	k := ruleKind(text)
	switch {
	case k == 'b' && p.lay.box:
		// The closing rule (or one between rows).
		if err := p.endRecord(); err != nil {
			return err
		}
		p.ignore()
		return nil
	case len(trim(text)) == 0 || k != 0 || isTableNoise(text) && !p.continues():
		if err := p.endRecord(); err != nil {
			return err
		}
		p.state = ttOutside
		return p.outside(n, text, raw)
	}
	if p.lay.box && !isColumnSep(firstRune(trim(text))) {
		if err := p.endRecord(); err != nil {
			return err
		}
		p.state = ttOutside
		return p.outside(n, text, raw)
	}
	lines := 1
	rawRow := raw
	if p.lay.box {
		// mysql prints a newline inside a value as is: join lines until
		// the row's closing separator.
		var err error
		text, rawRow, lines, err = p.joinBox(text, raw)
		if err != nil {
			return err
		}
	}
	p.c.reset(text)
	var ok bool
	p.cells, p.marks, ok = p.lay.cut(&p.c, p.cells[:0], p.marks[:0])
	if !ok {
		p.cells = splitAtSeps(text, p.lay.box, p.cells[:0])
		p.marks = p.marks[:0]
		for range p.cells {
			p.marks = append(p.marks, 0)
		}
		if len(p.cells) != len(p.lay.spans) {
			if err := p.endRecord(); err != nil {
				return err
			}
			return p.quarantine(n, ReasonColumnCount, rawRow)
		}
	}
	if p.pending && p.continues() && p.plines < maxRowLines && len(p.praw) <= MaxLine {
		p.merge(rawRow, lines)
		return nil
	}
	if err := p.endRecord(); err != nil {
		return err
	}
	p.begin(n, rawRow, lines)
	return nil
}

// joinBox joins the lines of a boxed row whose value held a newline.
func (p *textTableParser) joinBox(text, raw []byte) ([]byte, []byte, int, error) {
	p.c.reset(bytes.TrimRight(text, " \t"))
	if p.c.width() >= p.lay.width && isColumnSep(lastRune(bytes.TrimRight(text, " \t"))) {
		return text, raw, 1, nil
	}
	jt := append([]byte(nil), text...)
	jr := append([]byte(nil), raw...)
	lines := 1
	for lines < maxRowLines && len(jr) <= MaxLine {
		if !p.lr.next() {
			break
		}
		if p.lr.tooLong || ruleKind(p.lr.text) != 0 {
			p.lr.unread([]savedLine{{n: p.lr.n, raw: bytes.Clone(p.lr.raw), tooLong: p.lr.tooLong}})
			break
		}
		jt = append(append(jt, '\n'), p.lr.text...)
		jr = append(append(jr, '\n'), p.lr.raw...)
		lines++
		p.c.reset(bytes.TrimRight(jt, " \t"))
		if p.c.width() >= p.lay.width && isColumnSep(lastRune(bytes.TrimRight(jt, " \t"))) {
			break
		}
	}
	return jt, jr, lines, nil
}

func lastRune(b []byte) rune {
	r, _ := utf8.DecodeLastRune(b)
	return r
}

// continues reports whether the pending row goes on on the next line: a
// value marked in its right margin as continued (psql '+' for a newline,
// '.' for a wrap; '↵', '…' in Unicode style).
func (p *textTableParser) continues() bool {
	if !p.pending {
		return false
	}
	for _, m := range p.pmarks {
		if m != 0 && m != ' ' {
			return true
		}
	}
	return false
}

// begin starts a pending row from the cells just cut.
func (p *textTableParser) begin(n int64, raw []byte, lines int) {
	p.pending, p.pline, p.plines = true, n, lines
	p.praw = append(p.praw[:0], raw...)
	for len(p.pvals) < len(p.cells) {
		p.pvals = append(p.pvals, nil)
	}
	p.pvals = p.pvals[:len(p.cells)]
	p.pmarks = p.pmarks[:0]
	for i, c := range p.cells {
		p.pvals[i] = append(p.pvals[i][:0], c...)
		p.pmarks = append(p.pmarks, marker(p.marks[i]))
	}
}

// merge adds a continuation line's cells to the pending row.
func (p *textTableParser) merge(raw []byte, lines int) {
	p.praw = append(append(p.praw, '\n'), raw...)
	p.plines += lines
	for i, c := range p.cells {
		if i >= len(p.pvals) {
			break
		}
		switch p.pmarks[i] {
		case '\n':
			p.pvals[i] = append(append(trimRightSpace(p.pvals[i]), '\n'), trim(c)...)
		case 'w':
			p.pvals[i] = append(p.pvals[i], c...)
		}
		p.pmarks[i] = marker(p.marks[i])
	}
}

func trimRightSpace(b []byte) []byte { return bytes.TrimRight(b, " \t") }

// marker reads a right-margin rune: '\n' for a newline, 'w' for a wrap, 0.
func marker(r rune) rune {
	switch r {
	case '+', '↵':
		return '\n'
	case '.', '…':
		return 'w'
	}
	return 0
}

// endRecord passes the pending row, or vertical record, on.
func (p *textTableParser) endRecord() error {
	switch {
	case p.state == ttVertical && len(p.vnames) > 0:
		return p.endVertical()
	case !p.pending:
		return nil
	}
	p.pending = false
	t := p.cur
	t.ensure(len(p.pvals))
	p.tcells = p.tcells[:0]
	for i, v := range p.pvals {
		p.tcells = append(p.tcells, cell{col: i, val: v})
	}
	return t.add(p.pline, p.praw, p.tcells)
}

// startVertical begins a mysql \G row or a psql expanded record.
func (p *textTableParser) startVertical(n int64, text []byte, expanded bool, sep int) error {
	if err := p.endRecord(); err != nil {
		return err
	}
	if p.vtab == nil {
		p.vtab = newTable(p.cfg, p.em, "", nil, false, true)
	}
	if err := p.use(p.vtab); err != nil {
		return err
	}
	p.state = ttVertical
	p.vexpanded, p.vsep = expanded, sep
	p.vnames, p.vvals, p.vlong = p.vnames[:0], p.vvals[:0], false
	p.pline = n
	p.praw = append(p.praw[:0], text...)
	p.ignore()
	return nil
}

// vertical reads a line of a vertical record: "  name: value" (mysql, the
// names right-aligned) or "name | value" (psql, left-aligned), or the
// continuation of a value.
func (p *textTableParser) vertical(n int64, text, raw []byte) error {
	if isVerticalRow(text) || len(trim(text)) == 0 || isTableNoise(text) && len(p.vnames) > 0 && !bytes.ContainsAny(text, ":|") {
		if err := p.endVertical(); err != nil {
			return err
		}
		p.state = ttOutside
		return p.outside(n, text, raw)
	}
	if ok, _ := expandedRecord(text); ok || ruleKind(text) != 0 {
		if err := p.endVertical(); err != nil {
			return err
		}
		p.state = ttOutside
		return p.outside(n, text, raw)
	}
	p.c.reset(text)
	if p.vsep < 0 {
		p.vsep = p.findVerticalSep()
	}
	sep := p.vsep
	isField := sep > 0 && sep < p.c.width() && (p.vexpanded && isColumnSep(p.c.at(sep)) || !p.vexpanded && p.c.at(sep) == ':')
	var name, val []byte
	if isField {
		name = trim(p.c.line[:p.c.off(sep)])
		if p.vexpanded && len(name) > 0 && isColumnSep(firstRune(name)) {
			name = trim(name[utf8.RuneLen(firstRune(name)):])
		}
		val = p.c.line[p.c.off(sep+1):]
		if len(val) > 0 && val[0] == ' ' {
			val = val[1:]
		}
		if p.vexpanded {
			val = bytes.TrimRight(val, " \t")
			if r := lastRune(val); isColumnSep(r) { // border 2
				val = bytes.TrimRight(val[:len(val)-utf8.RuneLen(r)], " ")
			}
		}
	}
	if len(p.praw)+len(raw) > MaxLine {
		// A record over MaxLine is quarantined whole (endVertical);
		// its further lines are not kept.
		p.vlong = true
		p.ignore()
		return nil
	}
	p.praw = append(append(p.praw, '\n'), raw...)
	switch {
	case isField && len(name) > 0:
		p.vnames = append(p.vnames, append([]byte(nil), name...))
		p.vvals = append(p.vvals, append([]byte(nil), val...))
	case len(p.vvals) > 0:
		// A continuation: psql leaves the name blank and marks the
		// previous line with '+'; mysql prints the newline as is.
		last := &p.vvals[len(p.vvals)-1]
		if isField {
			if v := trimRightSpace(*last); p.vexpanded && len(v) > 0 && marker(lastRune(v)) == '\n' {
				*last = trimRightSpace(v[:len(v)-utf8.RuneLen(lastRune(v))])
			}
			*last = append(append(*last, '\n'), val...)
		} else {
			*last = append(append(*last, '\n'), text...)
		}
	default:
		p.ignore()
		return nil
	}
	p.ignore()
	return nil
}

// findVerticalSep finds the separator column of a vertical record from its
// first field line: mysql's first ": " (its names are right-aligned, so
// every field line has its colon there), psql's first " | ".
func (p *textTableParser) findVerticalSep() int {
	for k := 1; k < p.c.width(); k++ {
		r := p.c.at(k)
		if p.vexpanded && isColumnSep(r) || !p.vexpanded && r == ':' && (k+1 == p.c.width() || p.c.at(k+1) == ' ') {
			return k
		}
	}
	return -1
}

// endVertical passes a vertical record on.
func (p *textTableParser) endVertical() error {
	if len(p.vnames) == 0 {
		return nil
	}
	t := p.vtab
	if p.vlong {
		p.vnames, p.vvals, p.vlong = p.vnames[:0], p.vvals[:0], false
		p.em.st.Ignored--
		return t.quarantine(p.pline, ReasonTooLong, p.praw[:min(len(p.praw), maxRawTooLong)])
	}
	p.tcells = p.tcells[:0]
	for i, name := range p.vnames {
		v := p.vvals[i]
		if p.vexpanded {
			v = trimRightSpace(v)
		}
		p.tcells = append(p.tcells, cell{col: t.column(name), val: v})
	}
	p.vnames, p.vvals = p.vnames[:0], p.vvals[:0]
	// The record's lines were counted as ignored one by one; it counts
	// once, as a record or a quarantine.
	p.em.st.Ignored--
	return t.add(p.pline, p.praw, p.tcells)
}

// detectTextTable reports whether a head is SQL client table output, and
// why: the first table found, with the count of its rows in the head.
// Table lines (rules, headers, rows, footers) must make most of the head,
// so that a combolist under a boxed banner stays a combolist.
func detectTextTable(text []byte) (bool, string) {
	var lines [][]byte
	for len(text) > 0 && len(lines) < 400 {
		i := bytes.IndexByte(text, '\n')
		var l []byte
		if i < 0 {
			l, text = text, nil
		} else {
			l, text = text[:i], text[i+1:]
		}
		l = bytes.TrimRight(l, "\r")
		if len(trim(l)) > 0 {
			lines = append(lines, l)
		}
	}
	if len(lines) < 2 {
		return false, ""
	}
	tableLines, rows := 0, 0
	why := ""
	var c cols
	var cells [][]byte
	var marks []rune
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		switch {
		case isVerticalRow(l):
			k := i + 1
			for k < len(lines) && !isVerticalRow(lines[k]) && bytes.Contains(lines[k], []byte(": ")) {
				k++
			}
			if k > i+1 {
				rows++
				tableLines += k - i
				if why == "" {
					why = "mysql \\G vertical rows (*** 1. row *** and name: value lines)"
				}
			}
			i = k - 1
			continue
		}
		if ok, _ := expandedRecord(l); ok {
			k := i + 1
			for k < len(lines) && bytes.ContainsAny(lines[k], "|│") {
				k++
			}
			if k > i+1 {
				rows++
				tableLines += k - i
				if why == "" {
					why = "psql expanded records (-[ RECORD 1 ]- and name | value lines)"
				}
			}
			i = k - 1
			continue
		}
		kind := ruleKind(l)
		if kind == 0 {
			if isTableNoise(l) {
				tableLines++
			}
			continue
		}
		lay := newLayout(l)
		var head, first int
		switch {
		case kind == 'b' && i+3 < len(lines) && ruleKind(lines[i+2]) == 'b':
			head, first = i+1, i+3
		case kind == 'a' && i > 0 && len(lay.spans) >= 2 && lay.margins:
			head, first = i-1, i+1
		default:
			continue
		}
		c.reset(lines[head])
		var ok bool
		if cells, marks, ok = lay.cut(&c, cells[:0], marks[:0]); !ok {
			continue
		}
		n := 0
		k := first
		for ; k < len(lines) && ruleKind(lines[k]) == 0 && !isTableNoise(lines[k]); k++ {
			c.reset(lines[k])
			if cells, marks, ok = lay.cut(&c, cells[:0], marks[:0]); ok {
				n++
			}
		}
		if n == 0 {
			continue
		}
		rows += n
		tableLines += k - i + 1
		if kind == 'a' {
			tableLines++ // the header line before the rule
		}
		if why == "" {
			style := "psql aligned table (a header over a ----+---- rule)"
			if kind == 'b' {
				style = "boxed table (+----+ rules, | cells |) as the mysql client and psql's border 2 print it"
			}
			why = fmt.Sprintf("%s, %d columns", style, len(lay.spans))
		}
		i = k - 1
	}
	if rows == 0 || tableLines*2 < len(lines) {
		return false, ""
	}
	return true, fmt.Sprintf("%s; %d row lines in the head", why, rows)
}
