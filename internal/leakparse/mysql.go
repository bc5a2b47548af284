package leakparse

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// maxTables bounds the tables an SQL dump parse keeps column lists for.
const maxTables = 4096

// sqlTables holds the tables of an SQL dump, keeping their rows in input
// order: a table still classifying its columns is settled before another
// table's rows or a quarantine are passed on.
type sqlTables struct {
	cfg     *config
	em      *emitter
	creates map[string][]string // column lists from CREATE TABLE
	tables  map[string]*table
	order   []*table // when sniffing: the tables in order
	cur     *table
}

func newSQLTables(cfg *config, em *emitter) *sqlTables {
	return &sqlTables{cfg: cfg, em: em, creates: map[string][]string{}, tables: map[string]*table{}}
}

// get returns the table for rows of table name with the given column list
// (nil when the statement has none).
func (t *sqlTables) get(name string, cols []string) (*table, error) {
	key := strings.ToLower(name)
	tb := t.tables[key]
	if tb != nil && cols != nil && !sameNames(tb.names(), cols) {
		tb = nil // another column order: a table of its own
	}
	if tb == nil {
		guessed := false
		if cols == nil {
			cols = t.creates[key]
			guessed = cols != nil
		}
		tb = newTable(t.cfg, t.em, name, cols, false, false)
		tb.guessed = guessed
		if len(t.tables) < maxTables {
			t.tables[key] = tb
		}
		t.remember(tb)
	}
	if err := t.switchTo(tb); err != nil {
		return nil, err
	}
	return tb, nil
}

func sameNames(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !strings.EqualFold(a[i], b[i]) {
			return false
		}
	}
	return true
}

// fit returns the table a row of n values goes to, and false when the row
// does not fit the table's named columns. A table whose names came from a
// CREATE TABLE that does not match the rows is replaced by a positional
// one: the CREATE TABLE was misread, not the rows.
func (t *sqlTables) fit(tb *table, n int) (*table, bool, error) {
	if len(tb.cols) == 0 || tb.cols[0].name == "" || len(tb.cols) == n {
		return tb, true, nil
	}
	if !tb.guessed {
		return tb, false, nil
	}
	nt := newTable(t.cfg, t.em, tb.name, nil, false, false)
	if key := strings.ToLower(tb.name); t.tables[key] == tb {
		t.tables[key] = nt
	}
	t.remember(nt)
	if err := t.switchTo(nt); err != nil {
		return nil, false, err
	}
	return nt, true, nil
}

// remember notes a table for Sniff.
func (t *sqlTables) remember(tb *table) {
	if t.cfg.sniff != nil && len(t.order) < maxTables {
		t.order = append(t.order, tb)
	}
}

// switchTo settles the current table before rows of another arrive.
func (t *sqlTables) switchTo(tb *table) error {
	if t.cur != nil && t.cur != tb {
		if err := t.cur.flush(); err != nil {
			return err
		}
	}
	t.cur = tb
	return nil
}

// quarantine passes a quarantine on in input order.
func (t *sqlTables) quarantine(line int64, reason Reason, raw []byte) error {
	if t.cur != nil {
		return t.cur.quarantine(line, reason, raw)
	}
	return t.em.quarantine(line, reason, raw)
}

// learn records the column list of a CREATE TABLE.
func (t *sqlTables) learn(name string, cols []string) {
	if len(cols) == 0 || len(t.creates) >= maxTables {
		return
	}
	key := strings.ToLower(name)
	t.creates[key] = cols
	delete(t.tables, key) // a re-created table starts afresh
}

// finish settles every table and reports the first one with rows to Sniff.
func (t *sqlTables) finish() error {
	if t.cur != nil {
		if err := t.cur.flush(); err != nil {
			return err
		}
	}
	if t.cfg.sniff != nil {
		for _, tb := range t.order {
			if tb.emitted {
				t.cfg.sniff.setTable(tb)
				break
			}
		}
	}
	return nil
}

// sqlKeywords are statements a MySQL dump may hold besides INSERT and
// CREATE TABLE; they are skipped to their delimiter. A line starting with
// any other word is skipped alone.
var sqlKeywords = map[string]bool{
	"DROP": true, "LOCK": true, "UNLOCK": true, "ALTER": true, "USE": true, "START": true, "COMMIT": true,
	"BEGIN": true, "ROLLBACK": true, "SELECT": true, "UPDATE": true, "DELETE": true, "GRANT": true,
	"TRUNCATE": true, "DECLARE": true, "CALL": true, "FLUSH": true, "ANALYZE": true, "OPTIMIZE": true,
	"RENAME": true, "REVOKE": true, "PREPARE": true, "EXECUTE": true, "DEALLOCATE": true, "COPY": true,
	"COMMENT": true, "REINDEX": true, "VACUUM": true, "SAVEPOINT": true, "RELEASE": true, "END": true,
	"CHECK": true, "REPAIR": true, "SHOW": true, "LOAD": true, "HANDLER": true, "DO": true, "WITH": true,
	"SELECT_ID": true,
}

type mysqlParser struct {
	s      *byteScanner
	cfg    *config
	em     *emitter
	tabs   *sqlTables
	word   []byte
	delim  []byte
	stdStr bool // standard_conforming_strings: no backslash escapes
	// pg: a PostgreSQL dump (pg_dump --inserts), seen by the SET
	// statements pg_dump writes: E'' escape strings, ::casts and bytea
	// in hex form are read as PostgreSQL reads them.
	pg      bool
	keepEsc bool // str keeps backslash escapes as written (E'' strings)
	// tsql: a SQL Server script (FormatMSSQL, tsql.go): [bracketed]
	// names, no backslash escapes, GO batch separators, statements that
	// need no terminator, CAST/CONVERT around values.
	tsql bool

	cur   *table // table of the INSERT being read
	vbuf  []byte
	spans []int  // start, end pairs into vbuf; start -1 for NULL
	bins  []bool // per value: binary (see binaryClass)
	bin   bool   // the last value read was binary
	cells []cell
	tmp   []byte
}

// parseMySQL parses mysqldump output (and other SQL dumps made of INSERT
// statements): extended inserts, column lists from the INSERT or the
// preceding CREATE TABLE, MySQL string escapes, NULL, hex and _binary blobs.
func parseMySQL(s *byteScanner, cfg *config, em *emitter) error {
	p := &mysqlParser{s: s, cfg: cfg, em: em, tabs: newSQLTables(cfg, em), delim: []byte(";")}
	return p.parse()
}

// parse runs the parser over its whole input and finishes its tables.
func (p *mysqlParser) parse() error {
	err := p.run()
	if err == nil {
		err = p.s.errOrNil()
	}
	p.s.finish()
	if err != nil {
		return err
	}
	return p.tabs.finish()
}

func (p *mysqlParser) run() error {
	for {
		c := p.skipSpaceComments()
		if c < 0 {
			return nil
		}
		if p.atDelim() {
			p.consumeDelim()
			continue
		}
		if !isIdentStart(byte(c)) {
			p.skipLine()
			continue
		}
		p.word = p.readWord(p.word[:0])
		kw := strings.ToUpper(string(p.word))
		var err error
		switch {
		case p.tsql && p.tsqlStatement(kw):
		case kw == "INSERT" || kw == "REPLACE":
			err = p.insert()
		case kw == "CREATE":
			p.create()
		case kw == "SET":
			p.set()
		case kw == "DELIMITER":
			p.delimiter()
		case sqlKeywords[kw]:
			p.skipStatement()
		default:
			p.skipLine()
		}
		if err != nil {
			return err
		}
	}
}

func isIdentStart(c byte) bool { return isLetter(c) || c == '_' }

func isIdentByte(c byte) bool { return isLetter(c) || isDigit(c) || c == '_' || c == '$' || c >= 0x80 }

func (p *mysqlParser) readWord(dst []byte) []byte {
	for {
		c := p.s.peek()
		if c < 0 || !isIdentByte(byte(c)) {
			return dst
		}
		dst = append(dst, byte(c))
		p.s.next()
	}
}

// skipSpaceComments skips white space and comments ("-- ", "#", "/* */")
// and returns the next byte, -1 at the end.
func (p *mysqlParser) skipSpaceComments() int {
	s := p.s
	for {
		c := s.skipSpace()
		switch c {
		case '-':
			if !p.peekIs("--") {
				return c
			}
			p.skipLine()
		case '#':
			if p.tsql {
				return c // a temporary table's name
			}
			p.skipLine()
		case '/':
			if !p.peekIs("/*") {
				return c
			}
			s.next()
			s.next()
			prev := 0
			for {
				d := s.next()
				if d < 0 || prev == '*' && d == '/' {
					break
				}
				prev = d
			}
		default:
			return c
		}
	}
}

// peekIs reports whether the input continues with lit, without consuming.
func (p *mysqlParser) peekIs(lit string) bool {
	s := p.s
	if s.w-s.r < len(lit) {
		// Move the unread bytes to the front and read more.
		if s.err != nil {
			return bytes.HasPrefix(s.buf[s.r:s.w], []byte(lit))
		}
		n := copy(s.buf, s.buf[s.r:s.w])
		s.r, s.w = 0, n
		for tries := 0; s.w < len(lit) && tries < 100; tries++ {
			m, err := s.src.Read(s.buf[s.w:])
			s.w += m
			if err != nil {
				s.err = err
				break
			}
		}
	}
	return bytes.HasPrefix(s.buf[s.r:s.w], []byte(lit))
}

func (p *mysqlParser) atDelim() bool { return p.peekIs(string(p.delim)) }

func (p *mysqlParser) consumeDelim() {
	for range p.delim {
		p.s.next()
	}
}

func (p *mysqlParser) skipLine() { p.s.skipLine() }

// skipStatement skips to the end of the statement (its delimiter outside
// quotes and comments).
func (p *mysqlParser) skipStatement() {
	if p.tsql {
		p.skipTSQLStatement()
		return
	}
	s := p.s
	for {
		c := s.peek()
		switch {
		case c < 0:
			return
		case c == '\'' || c == '"' || c == '`':
			s.next()
			p.skipQuoted(byte(c))
		case c == '-' && p.peekIs("-- "), c == '#':
			p.skipLine()
		case c == '/' && p.peekIs("/*"):
			p.skipSpaceComments()
		case int(p.delim[0]) == c && p.atDelim():
			p.consumeDelim()
			return
		default:
			s.next()
		}
	}
}

// skipQuoted skips the rest of a quoted string or identifier.
func (p *mysqlParser) skipQuoted(q byte) {
	s := p.s
	for {
		c := s.next()
		switch {
		case c < 0:
			return
		case c == '\\' && q != '`' && !p.stdStr:
			s.next()
		case c == int(q):
			if s.peek() == int(q) {
				s.next()
				continue
			}
			return
		}
	}
}

// readIdent reads an identifier, backquoted, double-quoted or bare.
func (p *mysqlParser) readIdent(dst []byte) []byte {
	s := p.s
	c := s.peek()
	if c == '[' && p.tsql {
		return p.readBracketed(dst)
	}
	if c == '`' || c == '"' {
		s.next()
		for {
			d := s.next()
			if d < 0 {
				return dst
			}
			if d == c {
				if s.peek() == c {
					s.next()
					dst = append(dst, byte(c))
					continue
				}
				return dst
			}
			dst = append(dst, byte(d))
		}
	}
	return p.readWord(dst)
}

// readTableName reads "db.table" and returns the table part.
func (p *mysqlParser) readTableName() string {
	var name []byte
	for {
		p.skipSpaceComments()
		name = p.readIdent(name[:0])
		if p.s.peek() != '.' {
			return string(name)
		}
		p.s.next()
	}
}

// readColumnList reads "(a, `b`, ...)"; the '(' is next.
func (p *mysqlParser) readColumnList() []string {
	p.s.next()
	var cols []string
	for {
		c := p.skipSpaceComments()
		switch {
		case c < 0:
			return cols
		case c == ')':
			p.s.next()
			return cols
		case c == ',':
			p.s.next()
		case c == '`' || c == '"' || c == '[' && p.tsql || isIdentByte(byte(c)):
			cols = append(cols, string(p.readIdent(nil)))
		default:
			p.s.next()
		}
		if len(cols) > 4096 {
			return cols
		}
	}
}

func (p *mysqlParser) insert() error {
	s := p.s
	for {
		p.skipSpaceComments()
		c := s.peek()
		if c < 0 || !isIdentStart(byte(c)) {
			break
		}
		// Modifiers, INTO, then the table name.
		mark := p.peekWordUpper()
		if mark == "LOW_PRIORITY" || mark == "DELAYED" || mark == "HIGH_PRIORITY" || mark == "IGNORE" || mark == "INTO" {
			p.readWord(nil)
			continue
		}
		break
	}
	name := p.readTableName()
	if name == "" {
		p.skipStatement()
		return nil
	}
	var cols []string
	if p.skipSpaceComments() == '(' {
		cols = p.readColumnList()
	}
	p.skipSpaceComments()
	kw := strings.ToUpper(string(p.readWord(p.word[:0])))
	if kw == "OVERRIDING" { // PostgreSQL: OVERRIDING {SYSTEM | USER} VALUE VALUES
		for range 3 {
			p.skipSpaceComments()
			kw = strings.ToUpper(string(p.readWord(p.word[:0])))
		}
	}
	if kw == "SELECT" && p.tsql {
		tb, err := p.tabs.get(name, cols)
		if err != nil {
			return err
		}
		p.cur = tb
		return p.selectTuples()
	}
	if kw != "VALUES" && kw != "VALUE" {
		p.skipStatement()
		return nil
	}
	tb, err := p.tabs.get(name, cols)
	if err != nil {
		return err
	}
	p.cur = tb
	for {
		c := p.skipSpaceComments()
		switch {
		case c < 0:
			return nil
		case c == '(':
			if err := p.tuple(p.cur); err != nil {
				return err
			}
		case c == ',':
			s.next()
		case p.atDelim():
			p.consumeDelim()
			return nil
		case isIdentStart(byte(c)) && p.tsql:
			// The next statement: T-SQL needs no terminator.
			return nil
		case isIdentStart(byte(c)):
			// ON DUPLICATE KEY UPDATE ...
			p.skipStatement()
			return nil
		default:
			line := s.line
			s.startCapture(MaxLine)
			p.resync()
			s.stopCapture()
			if err := p.tabs.quarantine(line, ReasonBadTuple, s.cap); err != nil {
				return err
			}
		}
	}
}

// peekWordUpper returns the next word, upper-cased, without consuming it
// (only words that fit the buffered input are seen).
func (p *mysqlParser) peekWordUpper() string {
	p.peekIs("               ") // fill the buffer if possible
	b := p.s.buf[p.s.r:p.s.w]
	i := 0
	for i < len(b) && isIdentByte(b[i]) {
		i++
	}
	return strings.ToUpper(string(b[:i]))
}

// resync skips a broken tuple: to the ')' that ends it (followed by ',' or
// the delimiter) or to the end of the statement.
func (p *mysqlParser) resync() {
	s := p.s
	for {
		c := s.peek()
		switch {
		case c < 0:
			return
		case c == '\'' || c == '"':
			s.next()
			p.skipQuoted(byte(c))
		case c == ')':
			s.next()
			d := p.skipSpaceComments()
			if d == ',' || d < 0 || p.atDelim() || p.tsql && isIdentStart(byte(d)) {
				return
			}
		case p.atDelim():
			return
		default:
			s.next()
		}
	}
}

// tuple reads "(v1, v2, ...)" and passes the row on.
func (p *mysqlParser) tuple(tb *table) error {
	s := p.s
	line := s.line
	s.startCapture(MaxLine)
	s.next() // '('
	p.vbuf, p.spans, p.bins = p.vbuf[:0], p.spans[:0], p.bins[:0]
	bad := false
	for !bad {
		c := p.skipSpaceComments()
		if c == ')' && len(p.spans) == 0 {
			s.next()
			break
		}
		if !p.value() {
			bad = true
			break
		}
		p.bins = append(p.bins, p.bin)
		c = p.skipSpaceComments()
		if c == ':' && p.peekIs("::") {
			p.skipCast()
			c = p.skipSpaceComments()
		}
		if c == ',' {
			s.next()
			continue
		}
		if c == ')' {
			s.next()
			break
		}
		bad = true
	}
	if bad {
		if s.peek() >= 0 {
			p.resync()
		}
		s.stopCapture()
		return p.tabs.quarantine(line, ReasonBadTuple, s.cap)
	}
	s.stopCapture()
	return p.row(tb, line)
}

// row passes on the values of a tuple read from line, captured in s.cap.
func (p *mysqlParser) row(tb *table, line int64) error {
	s := p.s
	if s.capOver || len(p.vbuf) > MaxLine {
		return p.tabs.quarantine(line, ReasonTooLong, s.cap[:min(len(s.cap), maxRawTooLong)])
	}
	tb, ok, err := p.tabs.fit(tb, len(p.spans)/2)
	if err != nil {
		return err
	}
	if !ok {
		return p.tabs.quarantine(line, ReasonColumnCount, s.cap)
	}
	p.cur = tb
	tb.ensure(len(p.spans) / 2)
	p.cells = p.cells[:0]
	for i := 0; i < len(p.spans); i += 2 {
		if p.spans[i] < 0 {
			continue
		}
		p.cells = append(p.cells, cell{col: i / 2, val: p.vbuf[p.spans[i]:p.spans[i+1]], bin: i/2 < len(p.bins) && p.bins[i/2]})
	}
	return tb.add(line, s.cap, p.cells)
}

// value reads one value of a tuple into vbuf; false on a syntax error or
// the end of input.
func (p *mysqlParser) value() bool {
	s := p.s
	c := s.peek()
	p.bin = false
	if p.tsql && (c == 'C' || c == 'c') {
		if fn := p.peekWordUpper(); fn == "CAST" || fn == "CONVERT" || fn == "TRY_CAST" || fn == "TRY_CONVERT" {
			return p.castValue(fn)
		}
	}
	switch {
	case c < 0:
		return false
	case c == '\'' || c == '"':
		if !p.str(false) {
			return false
		}
		if p.pg {
			p.rebytea()
		}
		return true
	case (c == 'e' || c == 'E') && p.peekIs2('\''):
		s.next()
		return p.estr()
	case (c == 'x' || c == 'X') && p.peekIs2('\''):
		s.next()
		return p.str(true)
	case (c == 'b' || c == 'B' || c == 'n' || c == 'N') && p.peekIs2('\''):
		s.next()
		return p.str(false)
	case c == '_':
		// A charset introducer: _binary 'x', _utf8mb4'x', _binary 0x...
		word := strings.ToLower(string(p.readWord(p.word[:0])))
		c = s.skipSpace()
		if c == '\'' || c == '"' {
			if !p.str(false) {
				return false
			}
			if word == "_binary" {
				p.reblob()
			}
			return true
		}
		if c == '0' || c == 'x' || c == 'X' {
			return p.bare()
		}
		return false
	case c == '0' && (p.peekIs("0x") || p.peekIs("0X")):
		s.next()
		s.next()
		start := len(p.vbuf)
		for {
			d := s.peek()
			if d < 0 || !isHexByte[d] {
				break
			}
			p.vbuf = append(p.vbuf, byte(d))
			s.next()
		}
		h := p.vbuf[start:]
		if len(h)%2 == 1 {
			return false
		}
		p.tmp = appendUnhex(p.tmp[:0], h)
		p.vbuf = appendBlob(p.vbuf[:start], p.tmp)
		p.bin = !isTextBytes(p.tmp)
		p.spans = append(p.spans, start, len(p.vbuf))
		return true
	case c == ',' || c == ')':
		return false
	}
	return p.bare()
}

// peekIs2 reports whether the byte after the next is c.
func (p *mysqlParser) peekIs2(c byte) bool {
	p.peekIs("  ")
	s := p.s
	return s.w-s.r >= 2 && s.buf[s.r+1] == c
}

// bare reads an unquoted value (number, NULL, keyword, function call) up to
// the ',' or ')' that ends it.
func (p *mysqlParser) bare() bool {
	s := p.s
	start := len(p.vbuf)
	depth := 0
scan:
	for {
		c := s.peek()
		if c < 0 {
			return false
		}
		switch c {
		case ',', ')', ' ', '\t', '\n', '\r':
			if depth == 0 {
				break scan
			}
			if c == ')' {
				depth--
			}
		case '(':
			depth++
		case '\'', '"':
			s.next()
			p.vbuf = append(p.vbuf, byte(c))
			p.skipQuoted(byte(c))
			continue
		}
		p.vbuf = append(p.vbuf, byte(c))
		s.next()
		if len(p.vbuf)-start > 1024 {
			return false
		}
	}
	v := trim(p.vbuf[start:])
	if equalFold(v, "null") {
		p.vbuf = p.vbuf[:start]
		p.spans = append(p.spans, -1, -1)
		return true
	}
	if len(v) == 0 {
		return false
	}
	p.spans = append(p.spans, start, len(p.vbuf))
	return true
}

// str reads a quoted string (the quote is next), unescaping it into vbuf;
// hex marks an X'...' literal.
func (p *mysqlParser) str(hex bool) bool {
	s := p.s
	q := s.next()
	start := len(p.vbuf)
	for {
		if s.r == s.w && !s.fill() {
			return false
		}
		b := s.buf[s.r:s.w]
		// Copy the plain run up to a quote or backslash in one go.
		i := 0
		for i < len(b) && b[i] != byte(q) && b[i] != '\\' {
			i++
		}
		if i > 0 {
			if len(p.vbuf)-start+i <= MaxLine {
				p.vbuf = append(p.vbuf, b[:i]...)
			}
			for _, c := range b[:i] {
				s.account(c)
				if s.capture {
					s.capByte(c)
				}
			}
			s.r += i
			continue
		}
		c := s.next()
		if c == '\\' && !p.stdStr {
			d := s.next()
			if d < 0 {
				return false
			}
			if len(p.vbuf)-start <= MaxLine {
				if p.keepEsc {
					p.vbuf = append(p.vbuf, '\\', byte(d))
				} else {
					p.vbuf = append(p.vbuf, unescapeMySQL(byte(d))...)
				}
			}
			continue
		}
		if c == '\\' {
			p.vbuf = append(p.vbuf, '\\')
			continue
		}
		// The closing quote, or a doubled one.
		if s.peek() == q {
			s.next()
			p.vbuf = append(p.vbuf, byte(q))
			continue
		}
		break
	}
	v := p.vbuf[start:]
	if hex {
		if len(v)%2 == 1 || !isHex(v) && len(v) > 0 {
			return false
		}
		p.tmp = appendUnhex(p.tmp[:0], v)
		p.vbuf = appendBlob(p.vbuf[:start], p.tmp)
		p.bin = !isTextBytes(p.tmp)
	} else if !isPlainText(v) {
		p.tmp = append(p.tmp[:0], v...)
		var latin bool
		p.vbuf, latin = appendText(p.vbuf[:start], p.tmp)
		if latin {
			p.em.latin1 = true
		}
	}
	p.spans = append(p.spans, start, len(p.vbuf))
	return true
}

// estr reads a PostgreSQL escape string, E'...' (the quote is next): its
// backslash escapes are PostgreSQL's whatever standard_conforming_strings
// says.
func (p *mysqlParser) estr() bool {
	std := p.stdStr
	p.stdStr, p.keepEsc = false, true
	ok := p.str(false)
	p.stdStr, p.keepEsc = std, false
	if !ok {
		return false
	}
	n := len(p.spans)
	start, end := p.spans[n-2], p.spans[n-1]
	p.tmp = append(p.tmp[:0], p.vbuf[start:end]...)
	p.vbuf = unescapePG(p.vbuf[:start], p.tmp)
	p.spans[n-1] = len(p.vbuf)
	return true
}

// rebytea re-reads the last string value of a PostgreSQL dump as a bytea
// in hex form when it is one ('\x4865...').
func (p *mysqlParser) rebytea() {
	n := len(p.spans)
	start, end := p.spans[n-2], p.spans[n-1]
	if end-start < 4 || p.vbuf[start] != '\\' || p.vbuf[start+1] != 'x' {
		return
	}
	p.tmp = append(p.tmp[:0], p.vbuf[start:end]...)
	if out, ok := pgBytea(p.vbuf[:start], p.tmp); ok {
		p.vbuf = out
		p.spans[n-1] = len(p.vbuf)
	}
}

// reblob re-reads the last string value as a binary blob.
func (p *mysqlParser) reblob() {
	n := len(p.spans)
	start, end := p.spans[n-2], p.spans[n-1]
	p.tmp = append(p.tmp[:0], p.vbuf[start:end]...)
	p.vbuf = appendBlob(p.vbuf[:start], p.tmp)
	p.bin = !isTextBytes(p.tmp)
	p.spans[n-1] = len(p.vbuf)
}

// isPlainText reports whether v is UTF-8 without control bytes; ASCII is
// checked quickly.
func isPlainText(v []byte) bool {
	for _, c := range v {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c >= 0x7F {
			return !hasControl(v) && utf8.Valid(v)
		}
	}
	return true
}

var (
	escNUL = []byte{0}
	escBS  = []byte{'\b'}
	escNL  = []byte{'\n'}
	escCR  = []byte{'\r'}
	escTab = []byte{'\t'}
	escZ   = []byte{0x1A}
	escPct = []byte(`\%`)
	escUnd = []byte(`\_`)
	escOne [256][]byte
)

func init() {
	for c := range escOne {
		escOne[c] = []byte{byte(c)}
	}
}

// unescapeMySQL returns what a backslash escape stands for.
func unescapeMySQL(c byte) []byte {
	switch c {
	case '0':
		return escNUL
	case 'b':
		return escBS
	case 'n':
		return escNL
	case 'r':
		return escCR
	case 't':
		return escTab
	case 'Z':
		return escZ
	case '%':
		return escPct
	case '_':
		return escUnd
	}
	return escOne[c]
}

// create reads CREATE TABLE statements for their column lists.
func (p *mysqlParser) create() {
	p.skipSpaceComments()
	w := strings.ToUpper(string(p.readWord(p.word[:0])))
	if w == "TEMPORARY" {
		p.skipSpaceComments()
		w = strings.ToUpper(string(p.readWord(p.word[:0])))
	}
	if w != "TABLE" {
		if p.tsql {
			p.skipBatch() // a procedure's or view's body holds statements of its own
			return
		}
		p.skipStatement()
		return
	}
	p.skipSpaceComments()
	if strings.ToUpper(p.peekWordUpper()) == "IF" {
		for range 3 { // IF NOT EXISTS
			p.skipSpaceComments()
			p.readWord(nil)
		}
	}
	name := p.readTableName()
	s := p.s
	s.startCapture(MaxLine)
	p.skipStatement()
	s.stopCapture()
	if s.capOver || name == "" {
		return
	}
	p.tabs.learn(name, createColumns(s.cap))
}

// set notes SET standard_conforming_strings (PostgreSQL dumps with INSERTs).
func (p *mysqlParser) set() {
	s := p.s
	s.startCapture(4096)
	p.skipStatement()
	s.stopCapture()
	st := strings.ToLower(string(s.cap))
	if pgDumpSet(st) {
		p.pg = true
	}
	if i := strings.Index(st, "standard_conforming_strings"); i >= 0 {
		v := strings.TrimSpace(st[i+len("standard_conforming_strings"):])
		v = strings.TrimPrefix(v, "=")
		v = strings.TrimPrefix(v, "to ")
		v = strings.Trim(strings.TrimSpace(v), "';")
		p.stdStr = strings.HasPrefix(v, "on")
	}
}

// delimiter handles the mysql client's DELIMITER command.
func (p *mysqlParser) delimiter() {
	s := p.s
	s.startCapture(64)
	p.skipLine()
	s.stopCapture()
	if d := trim(s.cap); len(d) > 0 && len(d) <= 8 {
		p.delim = append([]byte(nil), d...)
	}
}

// createColumns extracts the column names from the body of a CREATE TABLE
// statement (what follows the table name).
func createColumns(body []byte) []string {
	i := bytes.IndexByte(body, '(')
	if i < 0 {
		return nil
	}
	var cols []string
	depth := 0
	start := i + 1
	inQ := byte(0)
	for j := i + 1; j < len(body); j++ {
		c := body[j]
		if inQ != 0 {
			if c == inQ {
				inQ = 0
			} else if c == '\\' && inQ == '\'' {
				j++
			}
			continue
		}
		switch c {
		case '\'', '"', '`':
			inQ = c
		case '[':
			inQ = ']' // a SQL Server name
		case '(':
			depth++
		case ')', ',':
			if c == ')' && depth > 0 {
				depth--
				continue
			}
			if depth > 0 {
				continue
			}
			if name := columnDefName(body[start:j]); name != "" {
				cols = append(cols, name)
			}
			start = j + 1
			if c == ')' {
				return cols
			}
		}
	}
	return cols
}

// columnDefName returns the column a definition names, "" for a key or
// constraint.
func columnDefName(def []byte) string {
	def = trim(def)
	if len(def) == 0 {
		return ""
	}
	if def[0] == '`' || def[0] == '"' || def[0] == '[' {
		end := def[0]
		if end == '[' {
			end = ']'
		}
		if k := bytes.IndexByte(def[1:], end); k >= 0 {
			return string(def[1 : 1+k])
		}
		return ""
	}
	k := 0
	for k < len(def) && isIdentByte(def[k]) {
		k++
	}
	w := strings.ToUpper(string(def[:k]))
	switch w {
	case "", "PRIMARY", "KEY", "UNIQUE", "INDEX", "CONSTRAINT", "FOREIGN", "FULLTEXT", "SPATIAL", "CHECK",
		"PERIOD", "EXCLUDE", "LIKE":
		return ""
	}
	return string(def[:k])
}
