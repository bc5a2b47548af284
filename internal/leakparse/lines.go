package leakparse

import (
	"bytes"
	"context"
	"io"
	"unicode/utf8"
)

// savedLine is a line kept for re-reading (see lineReader.unread).
type savedLine struct {
	n       int64
	raw     []byte
	tooLong bool
}

// lineReader reads lines with a bounded buffer. After next returns true,
// n is the line's number, raw its bytes without the line ending, text the
// same decoded to UTF-8 (raw itself when it is valid UTF-8, else a
// Windows-1252 decode). A line over MaxLine bytes is returned with tooLong
// set and raw holding its first maxRawTooLong bytes; the rest is skipped
// without being buffered. raw and text are valid until the next call.
//
// The buffer starts small and grows, up to MaxLine, only as long lines
// need: small files cost little.
type lineReader struct {
	ctx     context.Context
	src     io.Reader
	em      *emitter
	buf     []byte
	r, w    int
	n       int64 // number of the current line
	read    int64 // lines read from src
	raw     []byte
	text    []byte
	tooLong bool
	err     error // sticky; io.EOF at the end
	dec     []byte
	long    []byte
	pending []savedLine
	// eol ends lines: '\n', or '\r' in a file whose head has bare CR line
	// ends and no LF (old Mac files; see crOnly). Decided before the first
	// line.
	eol     byte
	decided bool
}

const initialLineBuf = 64 << 10

func newLineReader(ctx context.Context, src io.Reader, em *emitter) *lineReader {
	return &lineReader{ctx: ctx, src: src, em: em, buf: make([]byte, initialLineBuf), eol: '\n'}
}

// head returns the input not yet read as lines, up to SniffSize bytes
// (less at the end of the input), without consuming it: what a parser
// decides a file's shape from. The slice is valid until the next call of
// next.
func (l *lineReader) head() []byte {
	for l.err == nil && l.w < len(l.buf) && l.w-l.r < SniffSize {
		l.fill()
	}
	return l.buf[l.r:l.w]
}

// crOnly reports whether a head holds bare CR line ends and no LF: a file
// whose lines end in "\r" alone. A file is one or the other, so the head
// decides for all of it, and files with LF pay nothing per line.
func crOnly(head []byte) bool {
	return bytes.IndexByte(head, '\n') < 0 && bytes.IndexByte(head, '\r') >= 0
}

// lfHead returns a head with bare CR line ends turned into LF, so that the
// format of such a file is detected line by line as it will be read;
// other heads are returned unchanged. cut drops a last line that may be
// incomplete (a head cut at SniffSize).
func lfHead(text []byte, cut bool) []byte {
	if !crOnly(text) {
		return text
	}
	if i := bytes.LastIndexByte(text, '\r'); cut && i >= 0 {
		text = text[:i+1]
	}
	return bytes.ReplaceAll(text, []byte{'\r'}, []byte{'\n'})
}

// fill reads more input after w, compacting or growing the buffer first
// when it is full. It returns the shift applied to indexes into buf.
func (l *lineReader) fill() (shift int) {
	if l.w == len(l.buf) {
		if l.r > 0 {
			copy(l.buf, l.buf[l.r:l.w])
			shift = l.r
			l.w -= l.r
			l.r = 0
		} else if len(l.buf) < readBufSize {
			nb := make([]byte, min(2*len(l.buf), readBufSize))
			copy(nb, l.buf[:l.w])
			l.buf = nb
		}
	}
	for tries := 0; tries < 100; tries++ {
		n, err := l.src.Read(l.buf[l.w:])
		l.w += n
		if err != nil {
			l.err = err
			return shift
		}
		if n > 0 {
			return shift
		}
	}
	l.err = io.ErrNoProgress
	return shift
}

// readSlice returns the next line with its line end (the last line may lack
// it), or tooLong with the first maxRawTooLong bytes of a longer line.
func (l *lineReader) readSlice() (line []byte, tooLong bool, ok bool) {
	scan := l.r
	for {
		if i := bytes.IndexByte(l.buf[scan:l.w], l.eol); i >= 0 {
			line = l.buf[l.r : scan+i+1]
			l.r = scan + i + 1
			return line, false, true
		}
		scan = l.w
		if l.err != nil {
			// A last line without its newline is a line at the end of
			// the input, but not before a read error: it was cut.
			if l.r == l.w || l.err != io.EOF {
				return nil, false, false
			}
			line = l.buf[l.r:l.w]
			l.r = l.w
			return line, false, true
		}
		if l.w-l.r >= readBufSize {
			return l.skipLong(), true, true
		}
		scan -= l.fill()
	}
}

// skipLong keeps the head of an over-long line and skips the rest.
func (l *lineReader) skipLong() []byte {
	l.long = append(l.long[:0], l.buf[l.r:l.r+maxRawTooLong]...)
	l.r = l.w
	for l.err == nil {
		l.r, l.w = 0, 0
		l.fill()
		if i := bytes.IndexByte(l.buf[:l.w], l.eol); i >= 0 {
			l.r = i + 1
			return l.long
		}
		l.r = l.w
	}
	return l.long
}

// next advances to the next line; false at the end of input or on error
// (see errOrNil).
func (l *lineReader) next() bool {
	if len(l.pending) > 0 {
		s := l.pending[0]
		l.pending = l.pending[1:]
		l.n, l.raw, l.tooLong = s.n, s.raw, s.tooLong
		l.decode()
		return true
	}
	if l.read&1023 == 0 {
		if err := l.ctx.Err(); err != nil {
			l.err = err
			return false
		}
		if !l.decided {
			l.decided = true
			if crOnly(l.head()) {
				l.eol = '\r'
			}
		}
	}
	b, tooLong, ok := l.readSlice()
	if !ok {
		return false
	}
	l.read++
	l.n = l.read
	l.em.lastLine = l.n
	l.tooLong = tooLong
	if tooLong {
		l.raw, l.text = b, nil
		return true
	}
	if n := len(b); n > 0 && b[n-1] == l.eol {
		b = b[:n-1]
	}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	l.raw = b
	l.decode()
	return true
}

func (l *lineReader) decode() {
	if l.tooLong {
		l.text = nil
		return
	}
	if utf8.Valid(l.raw) {
		l.text = l.raw
		return
	}
	l.dec = appendCP1252(l.dec[:0], l.raw)
	l.text = l.dec
	l.em.latin1 = true
}

// errOrNil returns the error that stopped next, nil at a clean end.
func (l *lineReader) errOrNil() error {
	if l.err == io.EOF {
		return nil
	}
	return l.err
}

// unread queues saved lines to be returned by next before any new input.
// The lines must be copies the caller no longer changes.
func (l *lineReader) unread(lines []savedLine) {
	if len(lines) == 0 {
		return
	}
	q := make([]savedLine, 0, len(lines)+len(l.pending))
	q = append(q, lines...)
	l.pending = append(q, l.pending...)
}

// finish records the line count in the stats.
func (l *lineReader) finish() { l.em.st.Lines = l.read }

// cp1252 maps the bytes 0x80-0x9F of Windows-1252; the other high bytes
// are the Latin-1 code points. Bytes Windows-1252 leaves undefined map to
// the C1 control of the same value, as browsers do.
var cp1252 = [32]rune{
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
}

// appendCP1252 appends src, decoded as Windows-1252, to dst as UTF-8.
func appendCP1252(dst, src []byte) []byte {
	for _, c := range src {
		switch {
		case c < 0x80:
			dst = append(dst, c)
		case c < 0xA0:
			dst = utf8.AppendRune(dst, cp1252[c-0x80])
		default:
			dst = utf8.AppendRune(dst, rune(c))
		}
	}
	return dst
}

// utf16Reader transcodes a UTF-16 stream to UTF-8. Unpaired surrogates and
// a final odd byte become U+FFFD.
type utf16Reader struct {
	src       io.Reader
	bigEndian bool
	in        []byte
	inR, inW  int
	out       []byte
	outR      int
	err       error
}

func newUTF16Reader(src io.Reader, bigEndian bool) *utf16Reader {
	return &utf16Reader{src: src, bigEndian: bigEndian, in: make([]byte, 64<<10)}
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	for u.outR == len(u.out) {
		if u.err != nil {
			return 0, u.err
		}
		u.fill()
	}
	n := copy(p, u.out[u.outR:])
	u.outR += n
	return n, nil
}

func (u *utf16Reader) unit(i int) rune {
	if u.bigEndian {
		return rune(u.in[i])<<8 | rune(u.in[i+1])
	}
	return rune(u.in[i+1])<<8 | rune(u.in[i])
}

func (u *utf16Reader) fill() {
	copy(u.in, u.in[u.inR:u.inW])
	u.inW -= u.inR
	u.inR = 0
	n, err := u.src.Read(u.in[u.inW:])
	u.inW += n
	if err != nil {
		u.err = err
	}
	u.out = u.out[:0]
	u.outR = 0
	for u.inW-u.inR >= 2 {
		c := u.unit(u.inR)
		switch {
		case c >= 0xD800 && c < 0xDC00:
			if u.inW-u.inR < 4 {
				if u.err == nil {
					return // wait for the low surrogate
				}
				u.out = utf8.AppendRune(u.out, utf8.RuneError)
				u.inR += 2
				continue
			}
			c2 := u.unit(u.inR + 2)
			if c2 >= 0xDC00 && c2 < 0xE000 {
				u.out = utf8.AppendRune(u.out, 0x10000+(c-0xD800)<<10+(c2-0xDC00))
				u.inR += 4
				continue
			}
			u.out = utf8.AppendRune(u.out, utf8.RuneError)
			u.inR += 2
		case c >= 0xDC00 && c < 0xE000:
			u.out = utf8.AppendRune(u.out, utf8.RuneError)
			u.inR += 2
		default:
			u.out = utf8.AppendRune(u.out, c)
			u.inR += 2
		}
	}
	if u.err != nil && u.inW-u.inR == 1 {
		u.out = utf8.AppendRune(u.out, utf8.RuneError)
		u.inR++
	}
}

// decodeUTF16 transcodes a whole (head) buffer; a trailing incomplete code
// unit or surrogate pair is dropped.
func decodeUTF16(b []byte, bigEndian bool) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i+1 < len(b); i += 2 {
		c := rune(b[i+1])<<8 | rune(b[i])
		if bigEndian {
			c = rune(b[i])<<8 | rune(b[i+1])
		}
		if c >= 0xD800 && c < 0xDC00 {
			if i+3 >= len(b) {
				break
			}
			c2 := rune(b[i+3])<<8 | rune(b[i+2])
			if bigEndian {
				c2 = rune(b[i+2])<<8 | rune(b[i+3])
			}
			if c2 >= 0xDC00 && c2 < 0xE000 {
				out = utf8.AppendRune(out, 0x10000+(c-0xD800)<<10+(c2-0xDC00))
				i += 2
				continue
			}
			c = utf8.RuneError
		} else if c >= 0xDC00 && c < 0xE000 {
			c = utf8.RuneError
		}
		out = utf8.AppendRune(out, c)
	}
	return out
}

// byteScanner reads a stream byte by byte through a bounded buffer,
// counting lines, for the formats whose statements ignore line breaks
// (JSON, MySQL). When capture is on, consumed bytes are also appended to
// cap, up to capLimit bytes (capOver records that more were dropped).
type byteScanner struct {
	ctx      context.Context
	src      io.Reader
	em       *emitter
	buf      []byte
	r, w     int
	line     int64 // 1-based line of the next byte
	nl       int64 // line ends consumed
	total    int64 // bytes consumed
	lastNL   bool  // the last byte consumed was a line end
	err      error
	capture  bool
	cap      []byte
	capLimit int
	capOver  bool
	// eol ends lines, for line numbers and skipLine: '\n', or '\r' in a
	// file whose head has bare CR line ends (see crOnly), decided at the
	// first fill.
	eol     [1]byte
	decided bool
}

func newByteScanner(ctx context.Context, src io.Reader, em *emitter) *byteScanner {
	return &byteScanner{ctx: ctx, src: src, em: em, buf: make([]byte, 64<<10), line: 1, eol: [1]byte{'\n'}}
}

// fill reads more input; false at the end of input or on error.
func (s *byteScanner) fill() bool {
	if s.err != nil {
		return false
	}
	if err := s.ctx.Err(); err != nil {
		s.err = err
		return false
	}
	s.r, s.w = 0, 0
	for tries := 0; tries < 100; tries++ {
		n, err := s.src.Read(s.buf)
		s.w = n
		if err != nil {
			s.err = err
		}
		if n > 0 {
			if !s.decided {
				s.decide()
			}
			return true
		}
		if err != nil {
			return false
		}
	}
	s.err = io.ErrNoProgress
	return false
}

// decide reads the first buffer full (or the whole of a short input) and
// decides the line end from it.
func (s *byteScanner) decide() {
	s.decided = true
	for s.err == nil && s.w < len(s.buf) {
		n, err := s.src.Read(s.buf[s.w:])
		s.w += n
		if err != nil {
			s.err = err
		} else if n == 0 {
			break
		}
	}
	if crOnly(s.buf[:s.w]) {
		s.eol[0] = '\r'
	}
}

// peek returns the next byte without consuming it, -1 at the end.
func (s *byteScanner) peek() int {
	if s.r == s.w && !s.fill() {
		return -1
	}
	return int(s.buf[s.r])
}

// next consumes and returns the next byte, -1 at the end.
func (s *byteScanner) next() int {
	if s.r == s.w && !s.fill() {
		return -1
	}
	c := s.buf[s.r]
	s.r++
	s.account(c)
	if s.capture {
		s.capByte(c)
	}
	return int(c)
}

func (s *byteScanner) account(c byte) {
	s.total++
	if c == s.eol[0] {
		s.nl++
		s.line++
		s.lastNL = true
	} else {
		s.lastNL = false
	}
}

// consume accounts for the next n buffered bytes in bulk.
func (s *byteScanner) consume(n int) {
	b := s.buf[s.r : s.r+n]
	if k := bytes.Count(b, s.eol[:]); k > 0 {
		s.nl += int64(k)
		s.line += int64(k)
	}
	if n > 0 {
		s.lastNL = b[n-1] == s.eol[0]
		s.total += int64(n)
	}
	if s.capture {
		if room := s.capLimit - len(s.cap); room >= n {
			s.cap = append(s.cap, b...)
		} else {
			s.cap = append(s.cap, b[:max(room, 0)]...)
			s.capOver = true
		}
	}
	s.r += n
}

func (s *byteScanner) capByte(c byte) {
	if len(s.cap) < s.capLimit {
		s.cap = append(s.cap, c)
	} else {
		s.capOver = true
	}
}

// startCapture begins capturing consumed bytes into a fresh cap.
func (s *byteScanner) startCapture(limit int) {
	s.capture = true
	s.cap = s.cap[:0]
	s.capLimit = limit
	s.capOver = false
}

func (s *byteScanner) stopCapture() { s.capture = false }

// skipSpace consumes white space and returns the next byte (not consumed),
// -1 at the end.
func (s *byteScanner) skipSpace() int {
	for {
		c := s.peek()
		if c < 0 || !isSpace[c] {
			return c
		}
		s.next()
	}
}

// skipLine consumes up to and including the next line end.
func (s *byteScanner) skipLine() {
	for {
		if s.r == s.w && !s.fill() {
			return
		}
		b := s.buf[s.r:s.w]
		i := indexByte(b, s.eol[0])
		if i < 0 {
			for _, c := range b {
				s.account(c)
				if s.capture {
					s.capByte(c)
				}
			}
			s.r = s.w
			continue
		}
		for _, c := range b[:i+1] {
			s.account(c)
			if s.capture {
				s.capByte(c)
			}
		}
		s.r += i + 1
		return
	}
}

// errOrNil returns the read error that ended the scan, nil at a clean end.
func (s *byteScanner) errOrNil() error {
	if s.err == io.EOF {
		return nil
	}
	return s.err
}

// finish records the line count in the stats.
func (s *byteScanner) finish() {
	n := s.nl
	if s.total > 0 && !s.lastNL {
		n++
	}
	s.em.st.Lines = n
}

// nextText advances to the next line that holds text, quarantining lines
// that are too long or binary and counting blank ones as ignored. It
// returns the trimmed line, or ok false at the end of the input.
func (lr *lineReader) nextText(em *emitter) (s []byte, ok bool, err error) {
	for lr.next() {
		if lr.tooLong {
			if err := em.quarantine(lr.n, ReasonTooLong, lr.raw); err != nil {
				return nil, false, err
			}
			continue
		}
		s := trim(lr.text)
		if len(s) == 0 {
			em.st.Ignored++
			continue
		}
		if bytes.IndexByte(s, 0) >= 0 {
			if err := em.quarantine(lr.n, ReasonBinary, lr.raw); err != nil {
				return nil, false, err
			}
			continue
		}
		return s, true, nil
	}
	return nil, false, nil
}
