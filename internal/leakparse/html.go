package leakparse

import (
	"bytes"
	"html"
	"unicode/utf8"
)

// HTML tables, as database tools (phpMyAdmin, Adminer "print view"), admin
// panels and saved web pages show a table of users:
//
//	<table>
//	<tr><th>id</th><th>Email</th><th>Password</th></tr>
//	<tr><td>1</td><td>neo@example.com</td><td>Matrix1999</td></tr>
//	</table>
//
// The header is the first row when its cells are <th> (or their text is
// column names); one record per other <tr>. Cells are stripped of tags
// (<br> and block tags separate words), entities are decoded and white
// space collapsed. <script>, <style> and comments are skipped; text
// outside cells is not data. Each <table> is a table of its own; a row
// repeating the header is skipped.
//
// HTML is read with a small tag scanner rather than encoding/xml, whose
// error on the first unescaped '<' of a script would end the page.

// maxTag bounds the bytes of one tag; a longer "tag" is text.
const maxTag = 4096

type htmlParser struct {
	s      *byteScanner
	cfg    *config
	em     *emitter
	tab    *table
	header []string // the header of the current table, nil when it has none yet
	first  bool     // the next row is the table's first
	inRow  bool
	inCell bool
	th     bool // every cell of the row is a <th>
	line   int64
	row    []byte // cell texts
	spans  []int  // start, end pairs into row
	over   bool
	tag    []byte
	cells  []cell
	vals   [][]byte
	names  []string
	sniff  bool // the first table was given to Sniff
}

// parseHTML parses the tables of an HTML page, one record per row.
func parseHTML(s *byteScanner, cfg *config, em *emitter) error {
	p := &htmlParser{s: s, cfg: cfg, em: em, first: true}
	for {
		c := s.next()
		if c < 0 {
			break
		}
		if c == '<' {
			if err := p.readTag(); err != nil {
				return err
			}
			continue
		}
		if p.inCell && !p.over {
			if len(p.row) >= MaxLine {
				p.over = true
				continue
			}
			p.row = append(p.row, byte(c))
		}
	}
	if err := s.errOrNil(); err != nil {
		return err
	}
	s.finish()
	if err := p.endRow(); err != nil {
		return err
	}
	return p.endTable()
}

// readTag reads a tag (its '<' consumed) and acts on it.
func (p *htmlParser) readTag() error {
	s := p.s
	p.tag = p.tag[:0]
	var quote int
	for {
		c := s.peek()
		if c < 0 {
			break
		}
		if quote == 0 && c == '<' && len(p.tag) > 0 && !bytes.HasPrefix(p.tag, []byte("!--")) {
			break // "a < b" in text: not a tag
		}
		s.next()
		if quote != 0 {
			if c == quote {
				quote = 0
			}
		} else if c == '"' || c == '\'' {
			if len(p.tag) > 0 && p.tag[len(p.tag)-1] == '=' {
				quote = c
			}
		} else if c == '>' && (!bytes.HasPrefix(p.tag, []byte("!--")) || bytes.HasSuffix(p.tag, []byte("--"))) {
			return p.onTag()
		}
		if len(p.tag) < maxTag {
			p.tag = append(p.tag, byte(c))
		}
	}
	// Not a tag: text.
	if p.inCell && len(p.row)+len(p.tag)+1 < MaxLine {
		p.row = append(p.row, '<')
		p.row = append(p.row, p.tag...)
	}
	return nil
}

// tagName returns the lower-case name of a tag's text ("/td", "br").
func tagName(t []byte, buf []byte) []byte {
	end := 0
	for end < len(t) && !isSpace[t[end]] && t[end] != '/' || end == 0 && end < len(t) && t[end] == '/' {
		end++
	}
	return appendLower(buf[:0], t[:end])
}

func (p *htmlParser) onTag() error {
	var buf [16]byte
	name := tagName(p.tag, buf[:0])
	if bytes.HasPrefix(p.tag, []byte("!")) {
		return nil // a comment or doctype
	}
	switch string(name) {
	case "script", "style", "textarea", "title":
		if !bytes.HasSuffix(p.tag, []byte("/")) {
			p.skipTo(string(name))
		}
	case "table":
		if err := p.endRow(); err != nil {
			return err
		}
		if err := p.endTable(); err != nil {
			return err
		}
		p.first = true
	case "/table":
		if err := p.endRow(); err != nil {
			return err
		}
		return p.endTable()
	case "tr":
		if err := p.endRow(); err != nil {
			return err
		}
		p.inRow, p.th, p.line = true, true, p.s.line-int64(btoi(p.s.lastNL && p.s.line > 1))
		p.row, p.spans, p.over = p.row[:0], p.spans[:0], false
		p.s.startCapture(maxBlock)
		p.s.cap = append(p.s.cap, "<tr>"...)
	case "/tr", "/tbody", "/thead", "/tfoot", "tbody", "thead", "tfoot":
		return p.endRow()
	case "td", "th":
		if !p.inRow {
			p.inRow, p.th, p.line = true, true, p.s.line-int64(btoi(p.s.lastNL && p.s.line > 1))
			p.row, p.spans, p.over = p.row[:0], p.spans[:0], false
			p.s.startCapture(maxBlock)
		}
		p.endCell()
		if len(p.spans) >= 2*maxColumns {
			p.over = true // more cells than a table has columns
			return nil
		}
		p.inCell = true
		p.th = p.th && name[1] == 'h'
		p.spans = append(p.spans, len(p.row), -1)
	case "/td", "/th":
		p.endCell()
	case "br", "p", "/p", "div", "/div", "li", "/li", "hr":
		if p.inCell {
			p.row = append(p.row, ' ')
		}
	}
	return nil
}

// skipTo skips input up to the end tag of name (a script's text).
func (p *htmlParser) skipTo(name string) {
	pat := "</" + name
	k := 0
	for {
		c := p.s.next()
		if c < 0 {
			return
		}
		switch {
		case k < len(pat) && byte(c)|0x20 == pat[k]|0x20:
			k++
		case k == len(pat) && c == '>':
			return
		case k == len(pat) && isSpace[c]:
		case c == '<':
			k = 1
		default:
			k = 0
		}
	}
}

func (p *htmlParser) endCell() {
	if p.inCell && len(p.spans) > 0 {
		p.spans[len(p.spans)-1] = len(p.row)
	}
	p.inCell = false
}

// cellText decodes entities and collapses white space.
func cellText(raw []byte) []byte {
	if bytes.IndexByte(raw, '&') >= 0 {
		raw = []byte(html.UnescapeString(string(raw)))
		raw = bytes.ReplaceAll(raw, []byte("\u00a0"), []byte(" "))
	}
	out := raw[:0:0]
	space := false
	for _, c := range trim(raw) {
		if isSpace[c] {
			space = true
			continue
		}
		if space && len(out) > 0 {
			out = append(out, ' ')
		}
		space = false
		out = append(out, c)
	}
	return out
}

// endRow passes the open row on.
func (p *htmlParser) endRow() error {
	p.endCell()
	if !p.inRow {
		return nil
	}
	p.inRow = false
	p.s.stopCapture()
	raw := p.s.cap
	p.vals = p.vals[:0]
	nonEmpty := 0
	for i := 0; i+1 < len(p.spans); i += 2 {
		end := p.spans[i+1]
		if end < 0 {
			end = len(p.row)
		}
		v := p.row[p.spans[i]:end]
		if !utf8.Valid(v) {
			v = appendCP1252(nil, v)
			p.em.latin1 = true
		}
		v = cellText(v)
		if len(v) > 0 {
			nonEmpty++
		}
		p.vals = append(p.vals, v)
	}
	if nonEmpty == 0 {
		p.em.st.Ignored++
		return nil
	}
	if p.first {
		p.first = false
		if p.th || looksLikeHeader(p.vals, p.cfg) {
			p.names = p.names[:0]
			for _, v := range p.vals {
				p.names = append(p.names, string(v))
			}
			p.header = append([]string(nil), p.names...)
			p.tab = newTable(p.cfg, p.em, "", p.header, false, false)
			p.em.st.Ignored++
			return nil
		}
		p.header = nil
		p.tab = newTable(p.cfg, p.em, "", nil, false, false)
	} else if p.th && p.header != nil && sameHeader(p.vals, p.header) {
		p.em.st.Ignored++ // the header again (long pages repeat it)
		return nil
	}
	if p.tab == nil {
		p.tab = newTable(p.cfg, p.em, "", nil, false, false)
	}
	if p.over {
		return p.tab.quarantine(p.line, ReasonTooLong, raw)
	}
	p.tab.ensure(len(p.vals))
	p.cells = p.cells[:0]
	for i, v := range p.vals {
		p.cells = append(p.cells, cell{col: i, val: v})
	}
	return p.tab.add(p.line, raw, p.cells)
}

func sameHeader(vals [][]byte, header []string) bool {
	if len(vals) != len(header) {
		return false
	}
	for i, v := range vals {
		if string(v) != header[i] {
			return false
		}
	}
	return true
}

// endTable ends the current table.
func (p *htmlParser) endTable() error {
	if p.tab == nil {
		return nil
	}
	if p.cfg.sniff != nil {
		p.cfg.sniff.setTable(p.tab)
	}
	err := p.tab.flush()
	p.tab, p.header, p.first = nil, nil, true
	return err
}

// htmlTable reports whether text holds an HTML table: <table, <tr and <td
// or <th tags.
func htmlTable(text []byte) bool {
	i := indexFold(text, "<table")
	if i < 0 {
		return false
	}
	rest := text[i:]
	return tagIn(rest, "<tr") && (tagIn(rest, "<td") || tagIn(rest, "<th"))
}

// tagIn reports whether text holds the tag start t ("<tr") followed by
// white space or '>'.
func tagIn(text []byte, t string) bool {
	for {
		i := indexFold(text, t)
		if i < 0 {
			return false
		}
		text = text[i+len(t):]
		if len(text) > 0 && (text[0] == '>' || isSpace[text[0]]) {
			return true
		}
	}
}

// indexFold is bytes.Index for a lower-case ASCII pattern, ignoring case.
func indexFold(b []byte, pat string) int {
	for i := 0; i+len(pat) <= len(b); i++ {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			return -1
		}
		i += j
		if i+len(pat) <= len(b) && hasPrefixFold(b[i:], pat) {
			return i
		}
	}
	return -1
}
