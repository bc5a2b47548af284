package leakparse

import (
	"bytes"
	"fmt"
	"strings"
)

// FormatMSSQL is a SQL Server script as SQL Server Management Studio's
// "Generate Scripts" writes it (and sqlcmd, mssql-scripter and other tools
// like it): INSERT [dbo].[Users] ([Id], [Email]) VALUES (1, N'a@b.example')
// statements, one row each or several (VALUES (...), (...)), or INSERT ...
// SELECT ... UNION ALL SELECT ...; GO batch separators; statements without
// terminators; N'...' strings whose quotes are doubled and where a
// backslash is a backslash; [bracketed] names (]] for a ]); CAST(N'...' AS
// DateTime) and CONVERT(type, value) around values; 0x... binary literals;
// CREATE TABLE [dbo].[Users] column lists. SSMS saves scripts as UTF-16LE
// with a byte order mark, which Parse transcodes.
//
// It is read by the MySQL dump parser in its T-SQL dialect: the rows of each
// table go through the table classifier as those of other dumps. The
// bodies of procedures, functions, triggers and views (up to their GO) are
// skipped: their INSERT statements hold variables, not data.
const FormatMSSQL Format = "mssql"

func init() {
	formats = append(formats, FormatMSSQL)
	registerReason(FormatMSSQL, func(text []byte, _ *config) string {
		return tsqlEvidence(headLines(text, 400)).reason()
	})
}

// tsqlHead is what the head of a file shows of a SQL Server script.
type tsqlHead struct {
	goLines, inserts, bracketed, national, markers int
}

// tsqlEvidence counts the marks of a SQL Server script in the head's lines.
func tsqlEvidence(lines [][]byte) tsqlHead {
	var h tsqlHead
	for _, l := range lines {
		switch {
		case isGoLine(l):
			h.goLines++
		case hasPrefixFold(l, "insert [") || hasPrefixFold(l, "insert into [") || hasPrefixFold(l, "insert dbo.") ||
			hasPrefixFold(l, "insert into dbo."):
			h.inserts++
			h.bracketed++
			if hasNational(l) {
				h.national++
			}
		case hasPrefixFold(l, "insert "):
			h.inserts++
			if hasNational(l) {
				h.national++
			}
		case hasPrefixFold(l, "set identity_insert ") || hasPrefixFold(l, "set ansi_nulls ") ||
			hasPrefixFold(l, "set quoted_identifier ") || hasPrefixFold(l, "/****** object:") ||
			hasPrefixFold(l, "use [") || hasPrefixFold(l, "create table [") || hasPrefixFold(l, "create table dbo."):
			h.markers++
		}
	}
	return h
}

// sure reports whether the head is that of a SQL Server script: INSERTs with
// bracketed or dbo. names, SSMS's SET and Object lines or GO separators with
// statements, or INSERTs whose strings are mostly N'...'.
func (h tsqlHead) sure() bool {
	switch {
	case h.bracketed > 0:
		return true
	case h.markers > 0 && (h.goLines > 0 || h.inserts > 0):
		return true
	case h.goLines > 0 && h.inserts > 0:
		return true
	}
	return h.inserts > 0 && h.national*2 >= h.inserts
}

// reason says in words why the head is a SQL Server script.
func (h tsqlHead) reason() string {
	var parts []string
	if h.bracketed > 0 {
		parts = append(parts, fmt.Sprintf("INSERT statements with [bracketed] or dbo. names: %d", h.bracketed))
	} else if h.inserts > 0 {
		parts = append(parts, fmt.Sprintf("INSERT statements: %d, with N'...' strings: %d", h.inserts, h.national))
	}
	if h.goLines > 0 {
		parts = append(parts, fmt.Sprintf("GO batch separators: %d", h.goLines))
	}
	if h.markers > 0 {
		parts = append(parts, fmt.Sprintf("SSMS's SET IDENTITY_INSERT, SET ANSI_NULLS, USE [...] or /****** Object lines: %d", h.markers))
	}
	if len(parts) == 0 {
		return ""
	}
	return "a SQL Server script: " + strings.Join(parts, ", ")
}

// detectTSQL tells a SQL Server script from other SQL dumps, "" when the
// head is not one.
func detectTSQL(lines [][]byte) Format {
	if tsqlEvidence(lines).sure() {
		return FormatMSSQL
	}
	return ""
}

// hasNational reports whether a line holds an N'...' string literal: an N
// outside strings, after a space, a comma, a parenthesis or an equals
// sign, and before a quote (not the end of a string such as 'JOHN N').
func hasNational(l []byte) bool {
	in := false
	for i := 0; i < len(l); i++ {
		switch c := l[i]; {
		case in && c == '\\':
			i++ // a MySQL escape
		case c == '\'':
			in = !in
		case !in && c == 'N' && i > 0 && i+1 < len(l) && l[i+1] == '\'' && bytes.IndexByte([]byte(" \t,(="), l[i-1]) >= 0:
			return true
		}
	}
	return false
}

// isGoLine reports whether a (trimmed) line is a GO batch separator: GO,
// optionally with a count or a comment.
func isGoLine(l []byte) bool {
	if len(l) < 2 || !equalFold(l[:2], "go") {
		return false
	}
	rest := trim(l[2:])
	if len(rest) == 0 || bytes.HasPrefix(rest, []byte("--")) {
		return true
	}
	return len(l) > 2 && isSpace[l[2]] && allDigits(rest)
}

// parseTSQL parses a SQL Server script (see FormatMSSQL).
func parseTSQL(s *byteScanner, cfg *config, em *emitter) error {
	p := &mysqlParser{s: s, cfg: cfg, em: em, tabs: newSQLTables(cfg, em), delim: []byte(";"), tsql: true, stdStr: true}
	return p.parse()
}

// tsqlStarts are the words that start a statement of a script at the
// start of a line: a statement without a terminator ends before one.
var tsqlStarts = map[string]bool{"GO": true, "INSERT": true, "SET": true, "CREATE": true, "ALTER": true,
	"DROP": true, "USE": true, "PRINT": true, "DECLARE": true, "EXEC": true, "EXECUTE": true, "IF": true,
	"DELETE": true, "UPDATE": true, "TRUNCATE": true, "GRANT": true, "DENY": true, "REVOKE": true,
	"BEGIN": true, "END": true, "COMMIT": true, "ROLLBACK": true, "RAISERROR": true}

// tsqlModules are the objects whose bodies hold statements of their own.
var tsqlModules = map[string]bool{"PROCEDURE": true, "PROC": true, "FUNCTION": true, "TRIGGER": true, "VIEW": true,
	"OR": true} // CREATE OR ALTER PROCEDURE

// tsqlStatement handles the statements of the T-SQL dialect that start with
// kw: GO, and ALTER of a module (whose body is skipped to its GO). It
// reports whether it did.
func (p *mysqlParser) tsqlStatement(kw string) bool {
	switch kw {
	case "GO":
		p.skipLine()
		return true
	case "ALTER":
		p.skipSpaceComments()
		if tsqlModules[p.peekWordUpper()] {
			p.skipBatch()
			return true
		}
		p.skipStatement()
		return true
	}
	return false
}

// atGo reports whether the word next is GO (the caller knows that it
// starts a line).
func (p *mysqlParser) atGo() bool {
	p.peekIs("    ") // fill the buffer if possible
	b := p.s.buf[p.s.r:p.s.w]
	if len(b) < 2 || !equalFold(b[:2], "go") {
		return false
	}
	return len(b) == 2 || !isIdentByte(b[2])
}

// skipTSQLStatement skips to the end of a T-SQL statement: its ';', the
// GO line that ends its batch (consumed), or the start of a line that
// starts another statement (not consumed): T-SQL needs no terminator.
func (p *mysqlParser) skipTSQLStatement() {
	p.skipUntil(false)
}

// skipBatch skips to the GO line that ends the batch (consumed): the body
// of a procedure, function, trigger or view.
func (p *mysqlParser) skipBatch() {
	p.skipUntil(true)
}

// skipUntil skips a statement (batch false) or a batch, outside strings,
// [names] and comments.
func (p *mysqlParser) skipUntil(batch bool) {
	s := p.s
	bol := false // at the start of a line, but for white space
	for {
		c := s.peek()
		switch {
		case c < 0:
			return
		case c == '\n' || c == '\r':
			s.next()
			bol = true
			continue
		case c == ' ' || c == '\t' || c == '\f' || c == '\v':
			s.next()
			continue
		case bol && (c == 'G' || c == 'g') && p.atGo():
			p.skipLine()
			return
		case bol && !batch && isIdentStart(byte(c)) && tsqlStarts[p.peekWordUpper()]:
			return
		case c == '\'' || c == '"':
			s.next()
			p.skipQuoted(byte(c))
		case c == '[':
			p.readBracketed(nil)
		case c == '-' && p.peekIs("--"):
			p.skipLine()
			bol = true
			continue
		case c == '/' && p.peekIs("/*"):
			p.skipBlockComment()
			continue // a comment does not end what the line started
		case c == ';' && !batch:
			s.next()
			return
		default:
			s.next()
		}
		bol = false
	}
}

// skipBlockComment skips a /* comment */ (the "/*" is next).
func (p *mysqlParser) skipBlockComment() {
	s := p.s
	s.next()
	s.next()
	prev := 0
	for {
		d := s.next()
		if d < 0 || prev == '*' && d == '/' {
			return
		}
		prev = d
	}
}

// readBracketed reads a [name] (the '[' is next), whose ']' is doubled.
func (p *mysqlParser) readBracketed(dst []byte) []byte {
	s := p.s
	s.next()
	for n := 0; ; n++ {
		d := s.next()
		if d < 0 {
			return dst
		}
		if d == ']' {
			if s.peek() != ']' {
				return dst
			}
			s.next()
		}
		if n < maxDatabaseNames {
			dst = append(dst, byte(d))
		}
	}
}

// castValue reads CAST(value AS type) or CONVERT(type, value[, style]) as
// the value (the function's name is next).
func (p *mysqlParser) castValue(fn string) bool {
	s := p.s
	p.readWord(p.word[:0])
	if p.skipSpaceComments() != '(' {
		return false
	}
	s.next()
	if strings.HasSuffix(fn, "CONVERT") {
		// The type, up to the comma at this depth.
		if !p.skipTo(',') {
			return false
		}
		s.next()
	}
	p.skipSpaceComments()
	if !p.value() {
		return false
	}
	bin := p.bin
	// The rest: " AS type(n, m)", ", style", up to the closing ')'.
	if !p.skipTo(')') {
		return false
	}
	s.next()
	p.bin = bin
	return true
}

// skipTo skips to the next c at this depth of parentheses, outside strings
// and names, without consuming it; false at the end of the input.
func (p *mysqlParser) skipTo(c byte) bool {
	s := p.s
	depth := 0
	for n := 0; n < 4096; n++ {
		d := s.peek()
		switch {
		case d < 0:
			return false
		case d == int(c) && depth == 0:
			return true
		case d == '(':
			depth++
		case d == ')':
			if depth == 0 {
				return false
			}
			depth--
		case d == '\'' || d == '"':
			s.next()
			p.skipQuoted(byte(d))
			continue
		case d == '[':
			p.readBracketed(nil)
			continue
		}
		s.next()
	}
	return false
}

// selectTuples reads the rows of INSERT ... SELECT v1, v2 UNION ALL SELECT
// ... (the SELECT is read): each select list is a row, unless the SELECT
// reads FROM a table (a query, not data: the statement is skipped).
func (p *mysqlParser) selectTuples() error {
	s := p.s
	for {
		line := s.line
		s.startCapture(MaxLine)
		p.vbuf, p.spans, p.bins = p.vbuf[:0], p.spans[:0], p.bins[:0]
		bad := false
		for {
			p.skipSpaceComments()
			if !p.value() {
				bad = true
				break
			}
			p.bins = append(p.bins, p.bin)
			c := p.skipSpaceComments()
			if p.peekWordUpper() == "AS" { // an alias
				p.readWord(p.word[:0])
				p.skipSpaceComments()
				p.readIdent(nil)
				c = p.skipSpaceComments()
			}
			if c != ',' {
				break
			}
			s.next()
		}
		s.stopCapture()
		if bad {
			cp := append([]byte(nil), s.cap...)
			p.skipStatement()
			return p.tabs.quarantine(line, ReasonBadTuple, cp)
		}
		switch p.peekWordUpper() {
		case "FROM", "WHERE":
			p.skipStatement() // INSERT ... SELECT ... FROM: a query
			return nil
		}
		if err := p.row(p.cur, line); err != nil {
			return err
		}
		if p.peekWordUpper() != "UNION" {
			if p.atDelim() {
				p.consumeDelim()
			}
			return nil
		}
		p.readWord(p.word[:0])
		p.skipSpaceComments()
		if p.peekWordUpper() == "ALL" {
			p.readWord(p.word[:0])
			p.skipSpaceComments()
		}
		if p.peekWordUpper() != "SELECT" {
			p.skipStatement()
			return nil
		}
		p.readWord(p.word[:0])
	}
}
