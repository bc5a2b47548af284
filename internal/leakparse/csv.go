package leakparse

import (
	"bytes"
)

// maxRecordLines bounds how many lines one quoted CSV field may span; a
// quote still open after that (or at the end of input) is a stray quote:
// its line is quarantined "bad-quote" and the lines after it are parsed
// again on their own.
const maxRecordLines = 1000

type csvParser struct {
	lr     *lineReader
	cfg    *config
	em     *emitter
	delim  byte
	tab    *table
	header []string
	width  int // fields per row: the header's or the first row's

	fbuf  []byte
	spans []int // start, end pairs into fbuf
	raw   []byte
	saved []savedLine
	cells []cell
	vals  [][]byte
	ubuf  []byte // unescaped values (cfg.escapes)
	uoff  []int
}

// parseCSV parses delimiter-separated values: RFC 4180 quoting (fields
// holding the delimiter, doubled quotes and newlines), with or without a
// header row, leniently (text after a closing quote is kept, short rows are
// accepted).
func parseCSV(lr *lineReader, cfg *config, em *emitter, delim byte) error {
	p := &csvParser{lr: lr, cfg: cfg, em: em, delim: delim}
	for {
		more, err := p.record()
		if err != nil {
			return err
		}
		if !more {
			break
		}
	}
	if err := lr.errOrNil(); err != nil {
		return err
	}
	lr.finish()
	if p.tab != nil {
		if cfg.sniff != nil {
			cfg.sniff.setTable(p.tab)
		}
		return p.tab.flush()
	}
	return nil
}

func (p *csvParser) quarantine(line int64, reason Reason, raw []byte) error {
	if p.tab != nil {
		return p.tab.quarantine(line, reason, raw)
	}
	return p.em.quarantine(line, reason, raw)
}

// record reads and handles one record; false at the end of input.
func (p *csvParser) record() (bool, error) {
	lr := p.lr
	for {
		if !lr.next() {
			return false, nil
		}
		if lr.tooLong {
			return true, p.quarantine(lr.n, ReasonTooLong, lr.raw)
		}
		if len(trim(lr.text)) == 0 {
			p.em.st.Ignored++
			continue
		}
		break
	}
	start := lr.n
	if p.cfg.escapes {
		return p.escapedRecord(start)
	}
	p.fbuf, p.spans, p.saved = p.fbuf[:0], p.spans[:0], p.saved[:0]
	p.raw = append(p.raw[:0], lr.raw...)
	text := lr.text
	i := 0
	for {
		j := i
		for j < len(text) && text[j] == ' ' {
			j++
		}
		if j < len(text) && text[j] == '"' {
			off := len(p.fbuf)
			k := j + 1
			for {
				q := bytes.IndexByte(text[k:], '"')
				if q < 0 {
					p.fbuf = append(p.fbuf, text[k:]...)
					p.fbuf = append(p.fbuf, '\n')
					if len(p.saved) == 0 {
						p.saved = append(p.saved, savedLine{n: start, raw: bytes.Clone(lr.raw)})
					}
					if len(p.raw) > MaxLine || len(p.saved) >= maxRecordLines || !lr.next() {
						return true, p.badQuote(start)
					}
					p.saved = append(p.saved, savedLine{n: lr.n, raw: bytes.Clone(lr.raw), tooLong: lr.tooLong})
					if lr.tooLong {
						return true, p.badQuote(start)
					}
					p.raw = append(p.raw, '\n')
					p.raw = append(p.raw, lr.raw...)
					text, k = lr.text, 0
					continue
				}
				p.fbuf = append(p.fbuf, text[k:k+q]...)
				if k+q+1 < len(text) && text[k+q+1] == '"' {
					p.fbuf = append(p.fbuf, '"')
					k += q + 2
					continue
				}
				k += q + 1
				break
			}
			d := bytes.IndexByte(text[k:], p.delim)
			if d < 0 {
				p.fbuf = append(p.fbuf, text[k:]...)
				p.spans = append(p.spans, off, len(p.fbuf))
				break
			}
			p.fbuf = append(p.fbuf, text[k:k+d]...)
			p.spans = append(p.spans, off, len(p.fbuf))
			i = k + d + 1
			continue
		}
		off := len(p.fbuf)
		d := bytes.IndexByte(text[i:], p.delim)
		if d < 0 {
			p.fbuf = append(p.fbuf, text[i:]...)
			p.spans = append(p.spans, off, len(p.fbuf))
			break
		}
		p.fbuf = append(p.fbuf, text[i:i+d]...)
		p.spans = append(p.spans, off, len(p.fbuf))
		i += d + 1
	}
	nlines := int64(1)
	if len(p.saved) > 0 {
		nlines = int64(len(p.saved))
	}
	p.vals = p.vals[:0]
	for k := 0; k < len(p.spans); k += 2 {
		p.vals = append(p.vals, p.fbuf[p.spans[k]:p.spans[k+1]])
	}
	return p.row(start, nlines)
}

// row handles the values of a record read from nlines lines from line
// start: the header, a repeated header, or a row of the table.
func (p *csvParser) row(start, nlines int64) (bool, error) {
	if p.tab == nil {
		if p.isHeader(p.vals) {
			for _, v := range p.vals {
				p.header = append(p.header, string(trim(v)))
			}
			p.width = len(p.header)
			p.tab = newTable(p.cfg, p.em, "", p.header, false, false)
			p.em.st.Ignored += nlines
			return true, nil
		}
		p.width = len(p.vals)
		p.tab = newTable(p.cfg, p.em, "", nil, false, false)
		if !p.cfg.noHeader && genericHeader(p.vals) {
			// "col1,col2", "A,B,C": a header that names nothing; the
			// content decides, as in a file with no header.
			p.em.st.Ignored += nlines
			return true, nil
		}
	} else if p.header != nil && p.isHeaderAgain(p.vals) {
		p.em.st.Ignored += nlines
		return true, nil
	}
	if len(p.vals) > p.width {
		return true, p.tab.quarantine(start, ReasonColumnCount, p.raw)
	}
	p.tab.ensure(len(p.vals))
	p.cells = p.cells[:0]
	for k, v := range p.vals {
		p.cells = append(p.cells, cell{col: k, val: v})
	}
	return true, p.tab.add(start, p.raw, p.cells)
}

// badQuote quarantines the line where an unclosed quoted field starts and
// queues the lines read after it to be parsed again.
func (p *csvParser) badQuote(start int64) error {
	first := p.saved[0]
	p.lr.unread(p.saved[1:])
	p.saved = p.saved[:0]
	return p.quarantine(start, ReasonBadQuote, first.raw)
}

// isHeader reports whether the first row is a header.
func (p *csvParser) isHeader(vals [][]byte) bool {
	return p.cfg.headerRow || !p.cfg.noHeader && looksLikeHeader(vals, p.cfg)
}

// isHeaderAgain reports whether a row repeats the header (files made by
// concatenating exports).
func (p *csvParser) isHeaderAgain(vals [][]byte) bool {
	if len(vals) != len(p.header) {
		return false
	}
	for i, v := range vals {
		if string(trim(v)) != p.header[i] {
			return false
		}
	}
	return true
}
