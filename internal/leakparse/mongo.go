package leakparse

import (
	"bytes"
	"errors"
)

// mongo shell output: documents as the legacy mongo shell and mongosh
// print them, one per line or pretty-printed over several:
//
//	{ "_id" : ObjectId("5f1e2d3c4b5a697887766554"), "email" : "alice@example.com", "created" : ISODate("2020-07-27T10:00:00Z") }
//	{
//	  _id: ObjectId('5f1e2d3c4b5a697887766555'),
//	  email: 'bob@example.net',
//	  logins: Long('42')
//	}
//
// Each document is a record, read as JSON once the shell's syntax is
// rewritten: wrappers (ObjectId, ISODate, NumberLong, Long, NumberInt,
// Int32, NumberDecimal, Decimal128, Timestamp, BinData, UUID, new Date)
// stand for their value, unquoted keys are quoted, single-quoted strings
// double-quoted, undefined/NaN/MinKey/MaxKey are null. Prompts, "Type "it"
// for more", the array brackets of mongosh and connection banners are
// ignored.

// maxMongoDepth bounds the nesting of a document.
const maxMongoDepth = maxJSONDepth

var errMongo = errors.New("bad mongo document")

// mongoChatter are the starts of lines the shells print besides
// documents, lower case.
var mongoChatter = []string{`type "it" for more`, "switched to db ", "mongodb shell version", "connecting to:",
	"implicit session:", "mongodb server version:", "current mongosh log id:", "using mongodb:", "using mongosh:",
	"for mongosh info see:", "bye", "warning:", "server has startup warnings", "the server generated these startup warnings",
	"---", "it", "[", "]", "],"}

// mongoPrompt reports whether a line is a shell prompt ("> db.users.find()",
// "rs0:PRIMARY> ", "test> ", "Atlas atlas-x-shard-0 [primary] test> ").
func mongoPrompt(s []byte) bool {
	i := bytes.Index(s, []byte("> "))
	if i < 0 {
		return len(s) > 0 && s[len(s)-1] == '>' && bytes.IndexAny(s, "{}\"'") < 0
	}
	return bytes.IndexAny(s[:i], "{}\"',") < 0
}

type mongoParser struct {
	lr    *lineReader
	em    *emitter
	tab   *table
	rows  *jsonRows
	doc   []byte // the document being read
	raw   []byte // its raw lines, up to maxRawTooLong bytes
	n     int64  // its first line
	depth int    // open braces and brackets
	over  bool   // it passed MaxLine bytes
	quote byte   // the quote of a string open at the end of the line, 0 if none
	js    []byte
	conv  mongoConv
}

// parseMongo parses mongo shell output, one record per document.
func parseMongo(lr *lineReader, cfg *config, em *emitter) error {
	tab := newTable(cfg, em, "", nil, true, true)
	p := &mongoParser{lr: lr, em: em, tab: tab, rows: &jsonRows{tab: tab, em: em}}
	for lr.next() {
		if err := p.line(); err != nil {
			return err
		}
	}
	if err := lr.errOrNil(); err != nil {
		return err
	}
	lr.finish()
	if p.depth > 0 {
		// A document cut by the end of the input.
		if err := tab.quarantine(p.n, ReasonBadJSON, p.raw); err != nil {
			return err
		}
	}
	if cfg.sniff != nil {
		cfg.sniff.setTable(tab)
	}
	return tab.flush()
}

func (p *mongoParser) line() error {
	lr := p.lr
	if lr.tooLong {
		if p.depth > 0 {
			p.over = true
			return nil
		}
		return p.tab.quarantine(lr.n, ReasonTooLong, lr.raw)
	}
	s := trim(lr.text)
	if p.depth == 0 {
		switch {
		case len(s) == 0:
			p.em.st.Ignored++
			return nil
		case s[0] == '[' && len(s) > 1:
			// "[ {" on one line: mongosh's array around documents.
			s = trim(s[1:])
			if len(s) == 0 || s[0] != '{' {
				return p.tab.quarantine(lr.n, ReasonBadJSON, lr.raw)
			}
		case s[0] != '{':
			if mongoPrompt(s) {
				p.em.st.Ignored++
				return nil
			}
			for _, c := range mongoChatter {
				if hasPrefixFold(s, c) && (len(c) > 3 || len(s) == len(c)) {
					p.em.st.Ignored++
					return nil
				}
			}
			return p.tab.quarantine(lr.n, ReasonBadJSON, lr.raw)
		}
		p.n, p.over = lr.n, false
		p.doc, p.raw = p.doc[:0], p.raw[:0]
	}
	if len(p.raw) < maxRawTooLong {
		if len(p.raw) > 0 {
			p.raw = append(p.raw, '\n')
		}
		p.raw = append(p.raw, lr.raw[:min(len(lr.raw), max(maxRawTooLong-len(p.raw), 0))]...)
	}
	if !p.over {
		if len(p.doc)+len(s) > MaxLine {
			p.over = true
		} else {
			p.doc = append(p.doc, s...)
			p.doc = append(p.doc, '\n')
		}
	}
	p.scan(s)
	if p.depth > 0 {
		return nil
	}
	if p.over {
		return p.tab.quarantine(p.n, ReasonTooLong, p.raw)
	}
	doc := trim(p.doc)
	// A trailing ',' or ']' after the document (mongosh arrays).
	for len(doc) > 0 && (doc[len(doc)-1] == ',' || doc[len(doc)-1] == ']') {
		doc = trim(doc[:len(doc)-1])
	}
	var err error
	p.js, err = p.conv.convert(p.js[:0], doc)
	if err != nil {
		return p.tab.quarantine(p.n, ReasonBadJSON, p.raw)
	}
	return p.rows.row(p.n, p.raw, p.js)
}

// scan updates the depth of open braces and brackets with a line, outside
// strings.
func (p *mongoParser) scan(s []byte) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if p.quote != 0 {
			switch c {
			case '\\':
				i++
			case p.quote:
				p.quote = 0
			}
			continue
		}
		switch c {
		case '"', '\'':
			p.quote = c
		case '{', '[':
			p.depth++
		case '}', ']':
			if p.depth > 0 {
				p.depth--
			}
		}
	}
	if p.depth == 0 {
		p.quote = 0
	}
}

// mongoConv rewrites a document in mongo shell syntax as JSON.
type mongoConv struct {
	b   []byte
	i   int
	out []byte
	arg []byte
}

func (c *mongoConv) convert(dst, src []byte) ([]byte, error) {
	c.b, c.i, c.out = src, 0, dst
	if err := c.value(0); err != nil {
		return c.out, err
	}
	c.ws()
	if c.i != len(c.b) {
		return c.out, errMongo
	}
	return c.out, nil
}

func (c *mongoConv) ws() {
	for c.i < len(c.b) && isSpace[c.b[c.i]] {
		c.i++
	}
}

func identByte(ch byte, first bool) bool {
	return isLetter(ch) || ch == '_' || ch == '$' || !first && isDigit(ch)
}

func (c *mongoConv) ident() []byte {
	start := c.i
	for c.i < len(c.b) && identByte(c.b[c.i], c.i == start) {
		c.i++
	}
	return c.b[start:c.i]
}

func (c *mongoConv) value(depth int) error {
	if depth > maxMongoDepth {
		return errMongo
	}
	c.ws()
	if c.i >= len(c.b) {
		return errMongo
	}
	switch ch := c.b[c.i]; {
	case ch == '{':
		c.i++
		c.out = append(c.out, '{')
		first := true
		for {
			c.ws()
			if c.i >= len(c.b) {
				return errMongo
			}
			if c.b[c.i] == '}' {
				c.i++
				c.out = append(c.out, '}')
				return nil
			}
			if !first {
				c.out = append(c.out, ',')
			}
			first = false
			switch k := c.b[c.i]; {
			case k == '"' || k == '\'':
				if err := c.str(); err != nil {
					return err
				}
			case identByte(k, true) || isDigit(k):
				start := c.i
				for c.i < len(c.b) && (identByte(c.b[c.i], false) || c.b[c.i] == '.') {
					c.i++
				}
				c.out = append(c.out, '"')
				c.out = append(c.out, c.b[start:c.i]...)
				c.out = append(c.out, '"')
			default:
				return errMongo
			}
			c.ws()
			if c.i >= len(c.b) || c.b[c.i] != ':' {
				return errMongo
			}
			c.i++
			c.out = append(c.out, ':')
			if err := c.value(depth + 1); err != nil {
				return err
			}
			c.ws()
			if c.i < len(c.b) && c.b[c.i] == ',' {
				c.i++
			}
		}
	case ch == '[':
		c.i++
		c.out = append(c.out, '[')
		first := true
		for {
			c.ws()
			if c.i >= len(c.b) {
				return errMongo
			}
			if c.b[c.i] == ']' {
				c.i++
				c.out = append(c.out, ']')
				return nil
			}
			if !first {
				c.out = append(c.out, ',')
			}
			first = false
			if err := c.value(depth + 1); err != nil {
				return err
			}
			c.ws()
			if c.i < len(c.b) && c.b[c.i] == ',' {
				c.i++
			}
		}
	case ch == '"' || ch == '\'':
		return c.str()
	case ch == '-' || ch == '+' || ch == '.' || isDigit(ch):
		start := c.i
		for c.i < len(c.b) && (isDigit(c.b[c.i]) || c.b[c.i] == '-' || c.b[c.i] == '+' || c.b[c.i] == '.' || c.b[c.i]|0x20 == 'e') {
			c.i++
		}
		num := c.b[start:c.i]
		if num[0] == '+' {
			num = num[1:]
		}
		if bytes.Equal(num, []byte("-")) {
			// -Infinity
			c.ident()
			c.out = append(c.out, "null"...)
			return nil
		}
		c.out = append(c.out, num...)
		return nil
	case identByte(ch, true):
		name := c.ident()
		if string(name) == "new" {
			c.ws()
			name = c.ident()
		}
		c.ws()
		if c.i < len(c.b) && c.b[c.i] == '(' {
			return c.call(depth)
		}
		switch string(name) {
		case "true", "false", "null":
			c.out = append(c.out, name...)
		case "undefined", "NaN", "Infinity", "MinKey", "MaxKey":
			c.out = append(c.out, "null"...)
		default:
			return errMongo
		}
		return nil
	}
	return errMongo
}

// call reads the arguments of a wrapper (its '(' next) and writes the value
// it stands for: its first string argument, else its first argument
// (BinData(0, "...") is its data, Timestamp(1, 2) its seconds).
func (c *mongoConv) call(depth int) error {
	c.i++ // '('
	start := len(c.out)
	chosen, chosenStr := -1, false
	var spans [][2]int
	for n := 0; ; n++ {
		c.ws()
		if c.i >= len(c.b) {
			return errMongo
		}
		if c.b[c.i] == ')' {
			c.i++
			break
		}
		if n > 8 {
			return errMongo
		}
		isStr := c.b[c.i] == '"' || c.b[c.i] == '\''
		off := len(c.out)
		if err := c.value(depth + 1); err != nil {
			return err
		}
		spans = append(spans, [2]int{off, len(c.out)})
		if chosen < 0 || isStr && !chosenStr {
			chosen, chosenStr = len(spans)-1, isStr
		}
		c.ws()
		if c.i < len(c.b) && c.b[c.i] == ',' {
			c.i++
		}
	}
	if chosen < 0 {
		c.out = append(c.out[:start], "null"...)
		return nil
	}
	c.arg = append(c.arg[:0], c.out[spans[chosen][0]:spans[chosen][1]]...)
	c.out = append(c.out[:start], c.arg...)
	return nil
}

// str rewrites a string in double or single quotes as a JSON string.
func (c *mongoConv) str() error {
	q := c.b[c.i]
	c.i++
	c.out = append(c.out, '"')
	for c.i < len(c.b) {
		ch := c.b[c.i]
		c.i++
		switch {
		case ch == q:
			c.out = append(c.out, '"')
			return nil
		case ch == '"':
			c.out = append(c.out, '\\', '"')
		case ch == '\\' && c.i < len(c.b):
			e := c.b[c.i]
			c.i++
			switch {
			case e == '\'':
				c.out = append(c.out, '\'')
			case e == 'x' && c.i+1 < len(c.b) && isHexByte[c.b[c.i]] && isHexByte[c.b[c.i+1]]:
				c.out = append(c.out, '\\', 'u', '0', '0', c.b[c.i], c.b[c.i+1])
				c.i += 2
			case bytes.IndexByte([]byte(`"\/bfnrtu`), e) >= 0:
				c.out = append(c.out, '\\', e)
			default:
				c.out = append(c.out, e)
			}
		case ch < 0x20:
			c.out = append(c.out, '\\', 'u', '0', '0', hexDigits[ch>>4], hexDigits[ch&15])
		default:
			c.out = append(c.out, ch)
		}
	}
	return errMongo
}

// mongoWrappers are the shell's type wrappers, as they appear before '('.
var mongoWrappers = [][]byte{[]byte("ObjectId("), []byte("ISODate("), []byte("NumberLong("), []byte("NumberInt("),
	[]byte("NumberDecimal("), []byte("BinData("), []byte("Timestamp("), []byte("UUID("), []byte("Long("),
	[]byte("Int32("), []byte("Decimal128("), []byte("new Date("), []byte("DBRef(")}

// detectMongo: documents in braces with shell type wrappers outside
// strings, or with mongosh's unquoted keys.
func detectMongo(text []byte, lines [][]byte) (Format, string) {
	docs := false
	for _, l := range lines {
		if r := trim(l[1:]); l[0] == '{' || l[0] == '[' && (len(r) == 0 || r[0] == '{') {
			docs = true
			break
		}
	}
	if !docs {
		return "", ""
	}
	found := false
	for _, w := range mongoWrappers {
		if bytes.Contains(text, w) {
			found = true
			break
		}
	}
	if !found {
		// mongosh prints keys unquoted ("email: 'a@example.com',"), which
		// no JSON has.
		keys := 0
		for _, l := range lines {
			i := 0
			for i < len(l) && identByte(l[i], i == 0) {
				i++
			}
			if i > 0 && i+1 < len(l) && l[i] == ':' && l[i+1] == ' ' && (l[len(l)-1] == ',' || l[len(l)-1] == '{' || l[len(l)-1] == '[' || l[i+2] == '\'') {
				keys++
			}
		}
		if keys >= 2 {
			return FormatMongo, "mongosh documents (unquoted keys)"
		}
		return "", ""
	}
	// The wrapper must be outside strings: a JSON export may quote one.
	var quote byte
	for i := 0; i < len(text); i++ {
		ch := text[i]
		if quote != 0 {
			switch ch {
			case '\\':
				i++
			case quote, '\n':
				quote = 0
			}
			continue
		}
		switch ch {
		case '"', '\'':
			quote = ch
		case '(':
			for _, w := range mongoWrappers {
				if n := len(w) - 1; i >= n && bytes.Equal(text[i-n:i+1], w) && (i == n || !identByte(text[i-n-1], false)) {
					return FormatMongo, "mongo shell documents (" + string(w[:len(w)-1]) + "...)"
				}
			}
		}
	}
	return "", ""
}
