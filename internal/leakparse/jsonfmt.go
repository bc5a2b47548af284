package leakparse

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// maxJSONDepth bounds the nesting of one JSON record.
const maxJSONDepth = 64

// jsonScalarKey names the column of a JSON value that is not an object
// (["alice@example.com", ...]); it is classified by content.
const jsonScalarKey = "value"

var errJSON = errors.New("bad json")

// jsonRows turns JSON values into table rows: objects are flattened with
// dotted keys ("address.city"), Mongo extended JSON wrappers such as
// {"$oid": "..."} stand for their value, each element of an array is a
// value of the array's key, a top-level array is read positionally
// (columns "1", "2", ...), a top-level scalar is a column "value".
//
// Each value is checked with encoding/json's json.Valid and then walked by
// flattenJSON. (Walking it with json.Decoder.Token gives the same fields,
// as a differential fuzz test checks, but at a tenth of the speed: the
// Decoder builds an error string for every scalar token.)
type jsonRows struct {
	tab    *table
	em     *emitter
	key    []byte
	vbuf   []byte
	spans  []int // column, start, end triples
	cells  []cell
	fixed  []byte
	flat   jsonFlattener
	emitFn func(key, v []byte)
	// memberKey, when not nil, is the key of a collection's member whose
	// value the row is (see jsoncoll.go).
	memberKey   []byte
	mkbuf, mbuf []byte
}

// row checks and flattens one JSON value and passes it on; raw is what a
// quarantine shows.
func (j *jsonRows) row(line int64, raw, elem []byte) error {
	if !utf8.Valid(elem) {
		j.fixed = appendCP1252(j.fixed[:0], elem)
		elem = j.fixed
		j.em.latin1 = true
	}
	if !json.Valid(elem) {
		return j.tab.quarantine(line, ReasonBadJSON, raw)
	}
	j.vbuf, j.spans = j.vbuf[:0], j.spans[:0]
	if j.emitFn == nil {
		j.emitFn = j.emit
	}
	if err := j.flat.flatten(elem, j.emitFn); err != nil {
		return j.tab.quarantine(line, ReasonBadJSON, raw)
	}
	if j.memberKey != nil {
		j.emit([]byte(jsonMemberKey), j.memberKey)
	}
	j.cells = j.cells[:0]
	for i := 0; i < len(j.spans); i += 3 {
		j.cells = append(j.cells, cell{col: j.spans[i], val: j.vbuf[j.spans[i+1]:j.spans[i+2]]})
	}
	return j.tab.add(line, raw, j.cells)
}

// emit adds a scalar under its key path.
func (j *jsonRows) emit(key, v []byte) {
	if len(key) == 0 {
		key = append(j.key[:0], jsonScalarKey...)
	}
	col := j.tab.column(key)
	off := len(j.vbuf)
	j.vbuf = append(j.vbuf, v...)
	j.spans = append(j.spans, col, off, len(j.vbuf))
}

// jsonFlattener walks a JSON value that json.Valid accepted, calling emit
// with the dotted key path and text of each scalar (strings unescaped,
// numbers as written, booleans as true/false; nulls skipped). The slices
// passed to emit are valid during the call.
type jsonFlattener struct {
	b    []byte
	i    int
	key  []byte
	str  []byte
	emit func(key, v []byte)
}

var (
	jsonTrue  = []byte("true")
	jsonFalse = []byte("false")
)

func (f *jsonFlattener) flatten(b []byte, emit func(key, v []byte)) error {
	f.b, f.i, f.key, f.emit = b, 0, f.key[:0], emit
	f.ws()
	if f.i < len(f.b) && f.b[f.i] == '[' {
		f.i++
		for n := 1; ; n++ {
			f.ws()
			if f.i >= len(f.b) {
				return errJSON
			}
			if f.b[f.i] == ']' {
				f.i++
				break
			}
			f.key = strconv.AppendInt(f.key[:0], int64(n), 10)
			if err := f.value(1); err != nil {
				return err
			}
			if !f.comma(']') {
				break
			}
		}
		f.key = f.key[:0]
		f.ws()
	} else if err := f.value(0); err != nil {
		return err
	}
	f.ws()
	if f.i != len(f.b) {
		return errJSON
	}
	return nil
}

func (f *jsonFlattener) ws() {
	for f.i < len(f.b) && isSpace[f.b[f.i]] {
		f.i++
	}
}

// comma consumes a ',' (true) or the closing byte (false).
func (f *jsonFlattener) comma(end byte) bool {
	f.ws()
	if f.i < len(f.b) && f.b[f.i] == ',' {
		f.i++
		return true
	}
	if f.i < len(f.b) && f.b[f.i] == end {
		f.i++
	}
	return false
}

func (f *jsonFlattener) value(depth int) error {
	if depth > maxJSONDepth {
		return errJSON
	}
	f.ws()
	if f.i >= len(f.b) {
		return errJSON
	}
	switch c := f.b[f.i]; c {
	case '{':
		f.i++
		for {
			f.ws()
			if f.i >= len(f.b) {
				return errJSON
			}
			if f.b[f.i] == '}' {
				f.i++
				return nil
			}
			k, err := f.string()
			if err != nil {
				return err
			}
			save := len(f.key)
			if len(k) == 0 || k[0] != '$' {
				if save > 0 {
					f.key = append(f.key, '.')
				}
				f.key = append(f.key, k...)
			}
			f.ws()
			if f.i >= len(f.b) || f.b[f.i] != ':' {
				return errJSON
			}
			f.i++
			err = f.value(depth + 1)
			f.key = f.key[:save]
			if err != nil {
				return err
			}
			if !f.comma('}') {
				return nil
			}
		}
	case '[':
		f.i++
		for {
			f.ws()
			if f.i >= len(f.b) {
				return errJSON
			}
			if f.b[f.i] == ']' {
				f.i++
				return nil
			}
			if err := f.value(depth + 1); err != nil {
				return err
			}
			if !f.comma(']') {
				return nil
			}
		}
	case '"':
		v, err := f.string()
		if err != nil {
			return err
		}
		f.emit(f.key, v)
	case 't':
		f.i += 4
		f.emit(f.key, jsonTrue)
	case 'f':
		f.i += 5
		f.emit(f.key, jsonFalse)
	case 'n':
		f.i += 4
	default:
		start := f.i
		for f.i < len(f.b) && (isDigit(f.b[f.i]) || f.b[f.i] == '-' || f.b[f.i] == '+' || f.b[f.i] == '.' || f.b[f.i]|0x20 == 'e') {
			f.i++
		}
		if f.i == start {
			return errJSON
		}
		f.emit(f.key, f.b[start:f.i])
	}
	return nil
}

// string reads a string (at its opening quote) and returns it unescaped;
// the result aliases the input when it has no escapes. A string is copied
// before the next call.
func (f *jsonFlattener) string() ([]byte, error) {
	if f.i >= len(f.b) || f.b[f.i] != '"' {
		return nil, errJSON
	}
	f.i++
	start := f.i
	for f.i < len(f.b) && f.b[f.i] != '"' && f.b[f.i] != '\\' {
		f.i++
	}
	if f.i >= len(f.b) {
		return nil, errJSON
	}
	if f.b[f.i] == '"' {
		f.i++
		return f.b[start : f.i-1], nil
	}
	f.str = append(f.str[:0], f.b[start:f.i]...)
	for f.i < len(f.b) {
		c := f.b[f.i]
		switch {
		case c == '"':
			f.i++
			return f.str, nil
		case c != '\\':
			f.str = append(f.str, c)
			f.i++
			continue
		}
		if f.i+1 >= len(f.b) {
			return nil, errJSON
		}
		e := f.b[f.i+1]
		f.i += 2
		switch e {
		case 'b':
			f.str = append(f.str, '\b')
		case 'f':
			f.str = append(f.str, '\f')
		case 'n':
			f.str = append(f.str, '\n')
		case 'r':
			f.str = append(f.str, '\r')
		case 't':
			f.str = append(f.str, '\t')
		case 'u':
			r, ok := f.hex4()
			if !ok {
				return nil, errJSON
			}
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if f.i+1 < len(f.b) && f.b[f.i] == '\\' && f.b[f.i+1] == 'u' {
					save := f.i
					f.i += 2
					if r2, ok = f.hex4(); !ok {
						return nil, errJSON
					}
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						f.str = utf8.AppendRune(f.str, dec)
						continue
					}
					f.i = save
				}
				r = utf8.RuneError
			}
			f.str = utf8.AppendRune(f.str, r)
		default:
			f.str = append(f.str, e)
		}
	}
	return nil, errJSON
}

func (f *jsonFlattener) hex4() (rune, bool) {
	if f.i+4 > len(f.b) {
		return 0, false
	}
	var r rune
	for _, c := range f.b[f.i : f.i+4] {
		if !isHexByte[c] {
			return 0, false
		}
		r = r<<4 | rune(unhex(c))
	}
	f.i += 4
	return r, true
}

// parseNDJSON parses one JSON value per line (JSON Lines, mongoexport).
// Lines holding only "[" or "]", and a trailing comma, are tolerated so a
// JSON array written one element per line reads too.
func parseNDJSON(lr *lineReader, cfg *config, em *emitter) error {
	tab := newTable(cfg, em, "", nil, true, true)
	rows := &jsonRows{tab: tab, em: em}
	for lr.next() {
		if lr.tooLong {
			if err := tab.quarantine(lr.n, ReasonTooLong, lr.raw); err != nil {
				return err
			}
			continue
		}
		s := trim(lr.text)
		if n := len(s); n > 1 && s[n-1] == ',' && (s[n-2] == '}' || s[n-2] == ']') {
			s = s[:n-1]
		}
		if len(s) == 0 || len(s) == 1 && (s[0] == '[' || s[0] == ']') {
			em.st.Ignored++
			continue
		}
		if err := rows.row(lr.n, lr.raw, s); err != nil {
			return err
		}
	}
	if err := lr.errOrNil(); err != nil {
		return err
	}
	lr.finish()
	if cfg.sniff != nil {
		cfg.sniff.setTable(tab)
	}
	return tab.flush()
}

// wrapperKeys name the members of an API response object that hold the
// payload ({"data": {"users": [...]}}).
var wrapperKeys = map[string]bool{"data": true, "result": true, "results": true, "response": true,
	"payload": true, "body": true}

// maxCollDepth bounds how deeply objects of records may nest in a JSON
// document read as records: {"app-rtdb": {"users": {"uid": {...}}}} is a
// Firebase export with its database's name on top.
const maxCollDepth = 5

type jsonParser struct {
	s     *byteScanner
	em    *emitter
	tab   *table
	rows  *jsonRows
	pend  [maxCollDepth][]byte
	colls [maxCollDepth]collector
	key   []byte
	// pma: the top-level array is phpMyAdmin's JSON export (see
	// pmaElement).
	pma bool
}

// parseJSON parses JSON streamed element by element, never holding more
// than one (bounded) element: an array of records, a stream of
// concatenated records, or a wrapper object whose array members hold the
// records ({"users": [{...}, ...]}).
func parseJSON(s *byteScanner, cfg *config, em *emitter) error {
	tab := newTable(cfg, em, "", nil, true, true)
	p := &jsonParser{s: s, em: em, tab: tab, rows: &jsonRows{tab: tab, em: em}}
	err := p.top()
	if err == nil {
		err = s.errOrNil()
	}
	s.finish()
	if err != nil {
		return err
	}
	if cfg.sniff != nil {
		cfg.sniff.setTable(tab)
	}
	return tab.flush()
}

func isJSONValueStart(c int) bool {
	return c == '{' || c == '[' || c == '"' || c == '-' || c >= '0' && c <= '9' || c == 't' || c == 'f' || c == 'n'
}

func (p *jsonParser) top() error {
	s := p.s
	for {
		c := s.skipSpace()
		var err error
		switch {
		case c < 0:
			return nil
		case c == '[':
			s.next()
			p.pma = pmaExport(s.buf[s.r:s.w])
			err = p.array(0)
		case c == '{':
			_, _, err = p.object(0)
		case c == ',' || c == ']' || c == '}':
			s.next()
		case c == '/':
			err = p.comment()
		case isJSONValueStart(c):
			err = p.element()
		default:
			err = p.junk()
		}
		if err != nil {
			return err
		}
	}
}

// comment skips a JavaScript comment between top-level values (its '/'
// next): a "//" line, or a "/* ... */" block, as phpMyAdmin 4's JSON export
// opens with; its lines are counted as ignored. A '/' that starts neither
// is junk.
func (p *jsonParser) comment() error {
	s := p.s
	if s.r+1 >= s.w || s.buf[s.r+1] != '/' && s.buf[s.r+1] != '*' {
		return p.junk()
	}
	line := s.line
	s.next()
	if s.next() == '/' {
		s.skipLine()
		p.em.st.Ignored += s.line - line
		return nil
	}
	for star := false; ; {
		c := s.next()
		if c < 0 || star && c == '/' {
			break
		}
		star = c == '*'
	}
	p.em.st.Ignored += s.line - line + 1
	return nil
}

// junk quarantines the rest of a line that is not JSON.
func (p *jsonParser) junk() error {
	s := p.s
	line := s.line
	s.startCapture(maxRawTooLong)
	s.skipLine()
	s.stopCapture()
	return p.tab.quarantine(line, ReasonBadJSON, trim(s.cap))
}

// array reads the elements of an array (its '[' consumed) as records.
func (p *jsonParser) array(depth int) error {
	s := p.s
	for {
		c := s.skipSpace()
		var err error
		switch {
		case c < 0:
			return nil
		case c == ']':
			s.next()
			return nil
		case c == ',':
			s.next()
		case c == '{' && depth == 0 && p.pma:
			err = p.pmaElement()
		case isJSONValueStart(c):
			err = p.element()
		default:
			err = p.junk()
		}
		if err != nil {
			return err
		}
	}
}

// pmaExport reports whether the head of a top-level array (after its '[')
// opens phpMyAdmin's JSON export: [{"type":"header",...},
// {"type":"database",...}, {"type":"table","name":...,"data":[rows]}].
func pmaExport(head []byte) bool {
	for _, tok := range []string{"{", `"type"`, ":", `"header"`} {
		head = bytes.TrimLeft(head, " \t\r\n")
		if !bytes.HasPrefix(head, []byte(tok)) {
			return false
		}
		head = head[len(tok):]
	}
	return true
}

// pmaElement reads an element of phpMyAdmin's JSON export: the header and
// database objects are metadata, ignored; a table object is a wrapper whose
// "data" array holds the rows, streamed as records (a table is one element
// of any size). An element of another shape is a record.
func (p *jsonParser) pmaElement() error {
	line := p.s.line
	sub, st, err := p.object(1)
	if err != nil || st != objRecord {
		return err
	}
	var meta struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(sub, &meta) == nil && (meta.Type == "header" || meta.Type == "database") {
		p.em.st.Ignored += p.s.line - line + 1
		return nil
	}
	return p.rows.row(line, sub, sub)
}

// element reads one value, bounded by MaxLine, and passes it on.
func (p *jsonParser) element() error {
	s := p.s
	line := s.line
	s.startCapture(MaxLine)
	complete := p.skipValue(0)
	s.stopCapture()
	switch {
	case !complete:
		return p.tab.quarantine(line, ReasonBadJSON, s.cap[:min(len(s.cap), maxRawTooLong)])
	case s.capOver:
		return p.tab.quarantine(line, ReasonTooLong, s.cap[:min(len(s.cap), maxRawTooLong)])
	}
	return p.rows.row(line, s.cap, s.cap)
}

// skipValue consumes one JSON value, or the rest of one when depth > 0
// (inside that many open brackets). It checks only bracket balance and
// strings; false when the input ends first.
func (p *jsonParser) skipValue(depth int) bool {
	s := p.s
	if depth == 0 {
		c := s.peek()
		switch {
		case c < 0:
			return false
		case c == '{' || c == '[':
			s.next()
			depth = 1
		case c == '"':
			s.next()
			return p.skipString()
		default:
			for {
				c := s.peek()
				if c < 0 || isSpace[c] || c == ',' || c == ']' || c == '}' || c == ':' {
					return true
				}
				s.next()
			}
		}
	}
	inStr, esc := false, false
	for {
		if s.r == s.w && !s.fill() {
			return false
		}
		b := s.buf[s.r:s.w]
		i := 0
	chunk:
		for ; i < len(b); i++ {
			c := b[i]
			if inStr {
				switch {
				case esc:
					esc = false
				case c == '\\':
					esc = true
				case c == '"':
					inStr = false
				}
				continue
			}
			switch c {
			case '"':
				inStr = true
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					i++
					break chunk
				}
			}
		}
		s.consume(i)
		if depth == 0 {
			return true
		}
	}
}

// skipString consumes the rest of a string (its opening quote consumed).
func (p *jsonParser) skipString() bool {
	s := p.s
	for {
		switch s.next() {
		case -1:
			return false
		case '\\':
			if s.next() < 0 {
				return false
			}
		case '"':
			return true
		}
	}
}

// dataKey reports whether an object member's name says it holds data of
// the record (an "addresses" array) rather than a list of records.
func dataKey(k string) bool {
	c, known := classifyName(k)
	return known && c != 0
}

// object reads an object (its '{' is next) at the top level (depth 0) or
// inside one. It is one of:
//
//   - a record: at the top level it is passed on; below, its text is
//     returned (emitted false) for the enclosing record;
//   - a wrapper, whose arrays of objects ({"users": [{...}]}) or members
//     named data, result... hold the records (its other members are
//     dropped);
//   - a collection: an object whose values are records under keys of
//     their own (see collection), such as Firebase's Realtime Database
//     export of users keyed by uid.
//
// A wrapper or a collection passes its records on and returns objRecords;
// a malformed or too long object is quarantined (objQuarantined), and the
// members held while it was undecided are passed on as records.
func (p *jsonParser) object(depth int) (text []byte, st objStatus, err error) {
	s := p.s
	line := s.line
	s.next() // '{'
	pend := append(p.pend[depth][:0], '{')
	defer func() { p.pend[depth] = pend }()
	c := p.coll(depth)
	c.reset()
	wrapper, over := false, false
	members := 0
	bad := func() ([]byte, objStatus, error) {
		if c.decided == collUndecided && c.n > 0 {
			// Truncated before the object showed what it is: its
			// complete members are kept as records, not dropped.
			if err := p.emitMembers(c); err != nil {
				return nil, objQuarantined, err
			}
		}
		if wrapper || c.decided == collRecords {
			return nil, objRecords, nil
		}
		return nil, objQuarantined, p.tab.quarantine(line, ReasonBadJSON, pend[:min(len(pend), maxRawTooLong)])
	}
	// add appends a member to the record's text.
	add := func(key, val []byte) {
		if len(pend)+len(key)+len(val) > MaxLine {
			over = true
		}
		if !over {
			if members > 0 {
				pend = append(pend, ',')
			}
			pend = append(pend, key...)
			pend = append(pend, ':')
			pend = append(pend, val...)
			members++
		}
	}
	for {
		ch := s.skipSpace()
		switch {
		case ch < 0:
			return bad()
		case ch == '}':
			s.next()
			if c.decided == collUndecided && !wrapper && c.single() {
				// {"alice@example.com": {...}}: a collection of one.
				c.decided = collRecords
				if err := p.emitMembers(c); err != nil {
					return nil, objRecords, err
				}
			}
			if c.decided == collRecords || wrapper {
				return nil, objRecords, nil
			}
			for i := range c.n {
				add(c.key(i), c.val(i))
			}
			pend = append(pend, '}')
			if over {
				return nil, objQuarantined, p.tab.quarantine(line, ReasonTooLong, pend[:min(len(pend), maxRawTooLong)])
			}
			if depth > 0 {
				return pend, objRecord, nil
			}
			return nil, objRecords, p.rows.row(line, pend, pend)
		case ch == ',':
			s.next()
			continue
		case ch != '"':
			return bad()
		}
		mline := s.line
		s.startCapture(4096)
		ok := p.skipValue(0)
		s.stopCapture()
		if !ok || s.capOver {
			return bad()
		}
		p.key = append(p.key[:0], s.cap...)
		if s.skipSpace() != ':' {
			return bad()
		}
		s.next()
		ch = s.skipSpace()
		var name string
		_ = json.Unmarshal(p.key, &name)
		switch {
		case ch == '[' && depth < 2 && !dataKey(name):
			s.startCapture(MaxLine)
			s.next()
			if d := s.skipSpace(); d == '{' {
				s.stopCapture()
				wrapper = true
				if err := p.array(depth + 1); err != nil {
					return nil, objRecords, err
				}
				continue
			}
			ok = p.skipValue(1)
		case ch == '{' && depth == 0 && wrapperKeys[strings.ToLower(name)]:
			wrapper = true
			sub, st, err := p.object(depth + 1)
			if err != nil {
				return nil, objRecords, err
			}
			if st == objRecord {
				if err := p.rows.row(mline, sub, sub); err != nil {
					return nil, objRecords, err
				}
			}
			continue
		case ch == '{' && depth+1 < len(p.pend) && (c.decided == collRecords || idLikeKey([]byte(name)) || !dataKey(name)):
			key := c.keep(p.key)
			sub, st, err := p.object(depth + 1)
			if err != nil {
				return nil, objRecords, err
			}
			switch st {
			case objRecords:
				wrapper = true // its records were passed on
				continue
			case objQuarantined:
				continue
			}
			switch c.decided {
			case collRecords:
				if err := p.rows.keyed(mline, sub, key); err != nil {
					return nil, objRecords, err
				}
			case collRecord:
				add(key, sub)
			default:
				c.hold(key, sub, mline)
				if c.n == 2 {
					if c.similar() {
						c.decided = collRecords
						if err := p.emitMembers(c); err != nil {
							return nil, objRecords, err
						}
					} else {
						c.decided = collRecord
						for i := range c.n {
							add(c.key(i), c.val(i))
						}
					}
				}
			}
			continue
		default:
			s.startCapture(MaxLine)
			ok = p.skipValue(0)
		}
		s.stopCapture()
		if !ok {
			return bad()
		}
		if s.capOver {
			over = true
		}
		switch c.decided {
		case collRecords:
			// A member of a collection that is no record: a row of its
			// own (quarantined if it holds nothing worth keeping).
			if err := p.rows.member(mline, p.key, s.cap); err != nil {
				return nil, objRecords, err
			}
			continue
		case collUndecided:
			c.decided = collRecord
			for i := range c.n {
				add(c.key(i), c.val(i))
			}
		}
		add(p.key, s.cap)
	}
}
