package leakparse

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// Dumps written by database tools escape their values, and a value must
// come out as the database held it: the password p@ss\word is written
// p@ss\\word by mysqldump --tab (SELECT ... INTO OUTFILE), by the mysql
// client's batch mode and by PostgreSQL's COPY TO, and E'p@ss\\word' by
// pg_dump --inserts when standard_conforming_strings is off.

// backslashEscaped reports whether delimited text escapes its values with
// backslashes, as mysqldump --tab, mysql --batch and COPY ... TO write
// them: \N for NULL, \\ \t \n \r \0 (and COPY's octal and \x escapes).
// It is decided once per file from the head: a \N field or a \\, and no
// backslash that starts no escape (a Windows path "C:\Users" in a plain
// TSV file).
func backslashEscaped(f Format, delim byte, text []byte) bool {
	if f != FormatTSV && !(f == FormatCSV && delim == '\t') {
		return false
	}
	strong := 0
	for i := 0; i < len(text); i++ {
		if text[i] != '\\' {
			continue
		}
		if i+1 == len(text) {
			return false
		}
		switch c := text[i+1]; {
		case c == '\\':
			strong++
		case c == 'N':
			// A whole field: \N between delimiters or line ends.
			before := i == 0 || text[i-1] == delim || text[i-1] == '\n'
			after := i+2 == len(text) || text[i+2] == delim || text[i+2] == '\n' || text[i+2] == '\r'
			if !before || !after {
				return false
			}
			strong++
		case c == 't' || c == 'n' || c == 'r' || c == 'b' || c == 'f' || c == 'v' || c == 'Z',
			'0' <= c && c <= '7', c == 'x' && i+2 < len(text) && isHexByte[text[i+2]],
			c == delim, c == '\n', c == '\r':
			// An escape, or a delimiter or line break inside a value.
		default:
			return false
		}
		i++
	}
	return strong > 0
}

// escapedShape reports whether the head's lines, joined where a line break
// is escaped and split at unescaped tabs, are rows of one width (at least
// 2) in backslash-escaped text: a mysqldump --tab data file, whose
// escaped tabs and newlines inside values defeat csvShape.
func escapedShape(text []byte) bool {
	if !backslashEscaped(FormatTSV, '\t', text) {
		return false
	}
	counts := map[int]int{}
	rows, fields := 0, 1
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\\':
			i++
		case '\t':
			fields++
		case '\n':
			counts[fields]++
			rows++
			fields = 1
		}
	}
	if len(text) > 0 && text[len(text)-1] != '\n' {
		counts[fields]++
		rows++
	}
	for w, n := range counts {
		if w >= 2 && n*5 >= rows*4 {
			return true
		}
	}
	return false
}

// escapedRecord reads a record of backslash-escaped delimited text (see
// backslashEscaped) whose first line, line start, has been read: mysqldump
// --tab writes a delimiter or a newline inside a value as a backslash
// before it, so a record goes on past a line ending in an odd number of
// backslashes and splits only at unescaped delimiters. Its values are
// decoded: \\ \t \n \0 ..., \N stays (a null marker).
func (p *csvParser) escapedRecord(start int64) (bool, error) {
	lr := p.lr
	p.raw = append(p.raw[:0], lr.raw...)
	p.fbuf = append(p.fbuf[:0], lr.text...)
	nlines := int64(1)
	for oddBackslashes(p.fbuf) && nlines < maxRecordLines && len(p.raw) <= MaxLine {
		if !lr.next() {
			break
		}
		if lr.tooLong {
			lr.unread([]savedLine{{n: lr.n, raw: bytes.Clone(lr.raw), tooLong: true}})
			break
		}
		p.fbuf = append(p.fbuf, '\n')
		p.fbuf = append(p.fbuf, lr.text...)
		p.raw = append(p.raw, '\n')
		p.raw = append(p.raw, lr.raw...)
		nlines++
	}
	if len(p.raw) > MaxLine {
		return true, p.quarantine(start, ReasonTooLong, p.raw[:maxRawTooLong])
	}
	p.ubuf, p.uoff = p.ubuf[:0], p.uoff[:0]
	f := p.fbuf
	for {
		end := 0
		for end < len(f) && f[end] != p.delim {
			if f[end] == '\\' {
				end++
			}
			end++
		}
		end = min(end, len(f))
		p.uoff = append(p.uoff, len(p.ubuf))
		if v := f[:end]; isNullMarker(v) {
			p.ubuf = append(p.ubuf, v...)
		} else {
			p.ubuf = unescapeCopy(p.ubuf, v)
		}
		if end == len(f) {
			break
		}
		f = f[end+1:]
	}
	p.uoff = append(p.uoff, len(p.ubuf))
	p.vals = p.vals[:0]
	for k := 0; k+1 < len(p.uoff); k++ {
		p.vals = append(p.vals, p.ubuf[p.uoff[k]:p.uoff[k+1]])
	}
	return p.row(start, nlines)
}

// oddBackslashes reports whether b ends in an odd number of backslashes:
// its line break is escaped.
func oddBackslashes(b []byte) bool {
	n := 0
	for i := len(b) - 1; i >= 0 && b[i] == '\\'; i-- {
		n++
	}
	return n%2 == 1
}

// unescapePG appends the content of a PostgreSQL escape string (E'...'),
// read with its backslashes kept, decoded (see pgUnescape). Bytes that
// decode to invalid UTF-8 are read as Windows-1252 text, as elsewhere.
func unescapePG(dst, s []byte) []byte {
	start := len(dst)
	return asText(pgUnescape(dst, s, false), start)
}

// pgUnescape appends s with PostgreSQL's backslash escapes decoded: \b \f
// \n \r \t, octal \ooo, hex \xhh, any other character escaped as itself;
// in COPY text (copyText) \v too, in an escape string (E'...') Unicode
// \uXXXX and \UXXXXXXXX.
func pgUnescape(dst, s []byte, copyText bool) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			dst = append(dst, c)
			continue
		}
		i++
		switch d := s[i]; {
		case d == 'b':
			dst = append(dst, '\b')
		case d == 'f':
			dst = append(dst, '\f')
		case d == 'n':
			dst = append(dst, '\n')
		case d == 'r':
			dst = append(dst, '\r')
		case d == 't':
			dst = append(dst, '\t')
		case d == 'v' && copyText:
			dst = append(dst, '\v')
		case d == 'x':
			if i+1 < len(s) && isHexByte[s[i+1]] {
				v := unhex(s[i+1])
				i++
				if i+1 < len(s) && isHexByte[s[i+1]] {
					v = v<<4 | unhex(s[i+1])
					i++
				}
				dst = append(dst, v)
			} else {
				dst = append(dst, d)
			}
		case (d == 'u' || d == 'U') && !copyText:
			n := 4
			if d == 'U' {
				n = 8
			}
			if i+n < len(s) && isHex(s[i+1:i+1+n]) {
				var r rune
				for _, h := range s[i+1 : i+1+n] {
					r = r<<4 | rune(unhex(h))
				}
				dst = utf8.AppendRune(dst, r)
				i += n
			} else {
				dst = append(dst, d)
			}
		case d >= '0' && d <= '7':
			v := d - '0'
			for k := 0; k < 2 && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '7'; k++ {
				v = v<<3 | (s[i+1] - '0')
				i++
			}
			dst = append(dst, v)
		default:
			dst = append(dst, d)
		}
	}
	return dst
}

// asText reads what was appended to dst from start on as text: as it is
// when it is plain UTF-8, else as Windows-1252.
func asText(dst []byte, start int) []byte {
	if v := dst[start:]; !isPlainText(v) {
		tmp := append([]byte(nil), v...)
		dst, _ = appendText(dst[:start], tmp)
	}
	return dst
}

// pgBytea decodes a bytea value in hex output form ("\x4865..."), as
// pg_dump --inserts writes it with standard_conforming_strings on, to its
// bytes read as text (printable UTF-8 as is, else lower-case hex, which is
// how a raw digest reads as a hash). ok is false when v is not one.
func pgBytea(dst, v []byte) ([]byte, bool) {
	if len(v) < 4 || v[0] != '\\' || v[1] != 'x' || len(v)%2 != 0 || !isHex(v[2:]) {
		return dst, false
	}
	tmp := appendUnhex(nil, v[2:])
	return appendBlob(dst, tmp), true
}

// skipCast skips a PostgreSQL cast after a value ("::timestamp without
// time zone", "::numeric(10,2)", "::text[]"); the "::" is next.
func (p *mysqlParser) skipCast() {
	s := p.s
	s.next()
	s.next()
	depth := 0
	for {
		c := s.peek()
		switch {
		case c < 0:
			return
		case c == '(' || c == '[':
			depth++
		case c == ')' || c == ']':
			if depth == 0 {
				return
			}
			depth--
		case c == ',' && depth == 0:
			return
		case c == '\'' || c == '"':
			s.next()
			p.skipQuoted(byte(c))
			continue
		}
		s.next()
	}
}

// pgDumpSet reports whether a SET statement (lower-cased) is one pg_dump
// writes at the head of its output.
func pgDumpSet(st string) bool {
	for _, k := range []string{"standard_conforming_strings", "client_encoding", "statement_timeout",
		"lock_timeout", "idle_in_transaction_session_timeout", "check_function_bodies", "xmloption",
		"client_min_messages", "row_security", "default_table_access_method", "search_path"} {
		if strings.Contains(st, k) {
			return true
		}
	}
	return false
}
