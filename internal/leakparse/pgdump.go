package leakparse

import (
	"bytes"
	"strings"
)

type pgParser struct {
	lr     *lineReader
	cfg    *config
	em     *emitter
	tabs   *sqlTables
	inCopy bool
	tab    *table

	create     []byte // a CREATE TABLE statement being collected
	createName string
	collecting bool

	vbuf  []byte
	spans []int
	cells []cell
}

// parsePGDump parses the COPY ... FROM stdin blocks of pg_dump output
// (text format: tab separated, \N for NULL, backslash escapes, ended by
// "\."). Lines outside COPY blocks are structure: ignored, though CREATE
// TABLE statements are read for the column lists of COPY statements that
// have none.
func parsePGDump(lr *lineReader, cfg *config, em *emitter) error {
	p := &pgParser{lr: lr, cfg: cfg, em: em, tabs: newSQLTables(cfg, em)}
	for lr.next() {
		if err := p.line(); err != nil {
			return err
		}
	}
	if err := lr.errOrNil(); err != nil {
		return err
	}
	lr.finish()
	return p.tabs.finish()
}

func (p *pgParser) line() error {
	lr := p.lr
	if lr.tooLong {
		return p.tabs.quarantine(lr.n, ReasonTooLong, lr.raw)
	}
	text := lr.text
	if !p.inCopy {
		p.em.st.Ignored++
		return p.structure(text)
	}
	if len(text) == 2 && text[0] == '\\' && text[1] == '.' {
		p.inCopy = false
		p.em.st.Ignored++
		return nil
	}
	p.vbuf, p.spans = p.vbuf[:0], p.spans[:0]
	for {
		i := bytes.IndexByte(text, '\t')
		f := text
		if i >= 0 {
			f = text[:i]
		}
		if len(f) == 2 && f[0] == '\\' && f[1] == 'N' {
			p.spans = append(p.spans, -1, -1)
		} else {
			start := len(p.vbuf)
			p.vbuf = unescapeCopy(p.vbuf, f)
			p.spans = append(p.spans, start, len(p.vbuf))
		}
		if i < 0 {
			break
		}
		text = text[i+1:]
	}
	n := len(p.spans) / 2
	tb, ok, err := p.tabs.fit(p.tab, n)
	if err != nil {
		return err
	}
	if !ok {
		return p.tabs.quarantine(lr.n, ReasonColumnCount, lr.raw)
	}
	p.tab = tb
	p.tab.ensure(n)
	p.cells = p.cells[:0]
	for i := 0; i < len(p.spans); i += 2 {
		if p.spans[i] >= 0 {
			p.cells = append(p.cells, cell{col: i / 2, val: p.vbuf[p.spans[i]:p.spans[i+1]]})
		}
	}
	return p.tab.add(lr.n, lr.raw, p.cells)
}

// structure reads a line outside COPY blocks: a COPY statement starts a
// block; CREATE TABLE statements are collected for their columns.
func (p *pgParser) structure(text []byte) error {
	t := trim(text)
	if p.collecting {
		if len(p.create)+len(t) < 256<<10 {
			p.create = append(p.create, t...)
			p.create = append(p.create, '\n')
		}
		if bytes.HasPrefix(t, []byte(")")) || bytes.HasSuffix(t, []byte(");")) {
			p.collecting = false
			p.tabs.learn(p.createName, createColumns(p.create))
		}
		return nil
	}
	switch {
	case hasPrefixFold(t, "copy "):
		name, cols, ok := parseCopy(t[5:])
		if !ok {
			return nil
		}
		tb, err := p.tabs.get(name, cols)
		if err != nil {
			return err
		}
		p.tab, p.inCopy = tb, true
	case hasPrefixFold(t, "create table ") || hasPrefixFold(t, "create unlogged table "):
		rest := t[bytes.IndexByte(t, ' ')+1:]
		rest = rest[bytes.Index(bytes.ToLower(rest), []byte("table "))+6:]
		if hasPrefixFold(rest, "if not exists ") {
			rest = rest[len("if not exists "):]
		}
		name, n := readPGName(rest)
		if name == "" {
			return nil
		}
		p.createName = name
		p.create = append(p.create[:0], rest[n:]...)
		p.create = append(p.create, '\n')
		p.collecting = true
		if bytes.HasSuffix(t, []byte(");")) {
			p.collecting = false
			p.tabs.learn(name, createColumns(p.create))
		}
	}
	return nil
}

// parseCopy parses what follows "COPY ": [ONLY] name [(cols)] FROM stdin.
func parseCopy(s []byte) (name string, cols []string, ok bool) {
	s = trim(s)
	if hasPrefixFold(s, "only ") {
		s = trim(s[5:])
	}
	name, n := readPGName(s)
	if name == "" {
		return "", nil, false
	}
	s = trim(s[n:])
	if len(s) > 0 && s[0] == '(' {
		end := bytes.IndexByte(s, ')')
		if end < 0 {
			return "", nil, false
		}
		for _, c := range bytes.Split(s[1:end], []byte(",")) {
			c = trim(c)
			if len(c) >= 2 && c[0] == '"' && c[len(c)-1] == '"' {
				c = bytes.ReplaceAll(c[1:len(c)-1], []byte(`""`), []byte(`"`))
			}
			cols = append(cols, string(c))
		}
		s = trim(s[end+1:])
	}
	if !hasPrefixFold(s, "from ") {
		return "", nil, false
	}
	s = trim(s[5:])
	if !hasPrefixFold(s, "stdin") {
		return "", nil, false
	}
	if strings.Contains(strings.ToLower(string(s)), "csv") || strings.Contains(strings.ToLower(string(s)), "binary") {
		return "", nil, false
	}
	return name, cols, true
}

// readPGName reads a possibly schema-qualified, possibly quoted name and
// returns its last part and the bytes consumed.
func readPGName(s []byte) (string, int) {
	var part []byte
	i := 0
	for {
		part = part[:0]
		if i < len(s) && s[i] == '"' {
			i++
			for i < len(s) {
				if s[i] == '"' {
					if i+1 < len(s) && s[i+1] == '"' {
						part = append(part, '"')
						i += 2
						continue
					}
					i++
					break
				}
				part = append(part, s[i])
				i++
			}
		} else {
			for i < len(s) && isIdentByte(s[i]) {
				part = append(part, s[i])
				i++
			}
		}
		if i < len(s) && s[i] == '.' {
			i++
			continue
		}
		return string(part), i
	}
}

// unescapeCopy appends a COPY text-format field with its backslash escapes
// decoded; a bytea in hex form (\x...) becomes its bytes, read as text.
func unescapeCopy(dst, f []byte) []byte {
	if bytes.IndexByte(f, '\\') < 0 {
		return append(dst, f...)
	}
	start := len(dst)
	dst = pgUnescape(dst, f, true)
	// bytea hex output: "\x" followed by hex digits, escaped as \\x.
	if b, ok := pgBytea(dst[:start], dst[start:]); ok {
		dst = b
	}
	return asText(dst, start)
}
