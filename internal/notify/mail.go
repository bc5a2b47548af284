package notify

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Mail is one plain-text email.
type Mail struct {
	// From and To are single addresses, "alerts@example.com" or
	// "Leakwatch <alerts@example.com>". The address itself must be ASCII
	// (SMTPUTF8 is not used); a display name may be any UTF-8.
	From, To string
	// Subject is any UTF-8 without control characters other than tab; it
	// is RFC 2047 encoded when it is not plain ASCII.
	Subject string
	// Text is the UTF-8 body; lines may end in LF, CRLF or CR.
	Text string
	// MessageID is written exactly as given, "<unique@host>". The caller
	// keeps it stable across retries so that a re-sent message carries the
	// same id and receivers drop the duplicate.
	MessageID string
	// Date is the Date header; it must be set (the package reads no clock).
	Date time.Time
}

// Bytes returns m as an RFC 5322 message with CRLF line endings: Date,
// From, To, Subject, Message-ID, MIME-Version, Content-Type (text/plain;
// charset=utf-8) and Content-Transfer-Encoding (quoted-printable) headers,
// then the body. It returns an error wrapping [ErrInvalidMessage] when a
// header value holds CR, LF or another control character (so no header can
// be injected), an address does not parse, the Message-ID is not of the
// form <left@right>, the Date is zero or a text is not UTF-8. The error
// names the field, never its value.
func (m Mail) Bytes() ([]byte, error) {
	_, _, msg, err := m.build()
	return msg, err
}

// build validates m and returns the envelope addresses and the message.
func (m Mail) build() (from, to string, msg []byte, err error) {
	fields := []struct{ name, value string }{
		{"From", m.From}, {"To", m.To}, {"Subject", m.Subject}, {"Message-ID", m.MessageID},
	}
	for _, f := range fields {
		if !utf8.ValidString(f.value) {
			return "", "", nil, fmt.Errorf("%w: %s is not UTF-8", ErrInvalidMessage, f.name)
		}
		if strings.ContainsAny(f.value, "\r\n") {
			return "", "", nil, fmt.Errorf("%w: %s holds CR or LF", ErrInvalidMessage, f.name)
		}
		if strings.IndexFunc(f.value, isControl) >= 0 {
			return "", "", nil, fmt.Errorf("%w: %s holds a control character", ErrInvalidMessage, f.name)
		}
	}
	if !utf8.ValidString(m.Text) {
		return "", "", nil, fmt.Errorf("%w: Text is not UTF-8", ErrInvalidMessage)
	}
	fromAddr, err := parseAddress("From", m.From)
	if err != nil {
		return "", "", nil, err
	}
	toAddr, err := parseAddress("To", m.To)
	if err != nil {
		return "", "", nil, err
	}
	if !validMessageID(m.MessageID) {
		return "", "", nil, fmt.Errorf("%w: Message-ID is not of the form <left@right>", ErrInvalidMessage)
	}
	if m.Date.IsZero() {
		return "", "", nil, fmt.Errorf("%w: Date is not set", ErrInvalidMessage)
	}

	var b bytes.Buffer
	header := func(name, value string) {
		b.WriteString(name + ": " + value + "\r\n")
	}
	header("Date", m.Date.Format(time.RFC1123Z))
	header("From", fromAddr.String())
	header("To", toAddr.String())
	header("Subject", encodeHeader(len("Subject: "), m.Subject))
	header("Message-ID", m.MessageID)
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	// A line ends in CRLF, LF or a lone CR; the writer turns LF into CRLF.
	text := strings.ReplaceAll(strings.ReplaceAll(m.Text, "\r\n", "\n"), "\r", "\n")
	qp := quotedprintable.NewWriter(&b)
	qp.Write([]byte(text)) // writes to a bytes.Buffer do not fail
	qp.Close()
	if !bytes.HasSuffix(b.Bytes(), []byte("\r\n")) {
		b.WriteString("\r\n")
	}
	return fromAddr.Address, toAddr.Address, b.Bytes(), nil
}

// isControl reports the characters no header value may hold: C0 controls
// but tab, DEL and C1 controls.
func isControl(r rune) bool {
	return (r < 0x20 && r != '\t') || (r >= 0x7f && r < 0xa0)
}

// parseAddress parses one address; its error names the field, never the
// value (net/mail's errors quote the input).
func parseAddress(field, s string) (*mail.Address, error) {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %s is not a single email address", ErrInvalidMessage, field)
	}
	for i := 0; i < len(a.Address); i++ {
		if a.Address[i] >= utf8.RuneSelf {
			return nil, fmt.Errorf("%w: %s address is not ASCII", ErrInvalidMessage, field)
		}
	}
	return a, nil
}

// validMessageID reports whether id is "<left@right>" in printable ASCII
// without spaces or further angle brackets (RFC 5322 msg-id, loosely).
func validMessageID(id string) bool {
	inner, ok := strings.CutPrefix(id, "<")
	if !ok {
		return false
	}
	inner, ok = strings.CutSuffix(inner, ">")
	if !ok || len(inner) > 900 {
		return false
	}
	left, right, ok := strings.Cut(inner, "@")
	if !ok || left == "" || right == "" || strings.Contains(right, "@") {
		return false
	}
	for i := 0; i < len(inner); i++ {
		if c := inner[i]; c <= ' ' || c > '~' || c == '<' || c == '>' {
			return false
		}
	}
	return true
}

// maxLine is the line length RFC 5322 asks header lines to stay within.
const maxLine = 78

// encodeHeader returns s as an unstructured header value whose first line
// follows prefix bytes. Printable ASCII is kept as is, folded at spaces;
// anything else (non-ASCII, tab, a literal "=?" that a reader would take
// for an encoded word, a word too long to fold) becomes RFC 2047 encoded
// words, one per line.
func encodeHeader(prefix int, s string) string {
	plain := !strings.Contains(s, "=?") && s == strings.Trim(s, " ")
	for i := 0; i < len(s) && plain; i++ {
		plain = s[i] >= ' ' && s[i] <= '~'
	}
	if plain {
		if folded, ok := fold(prefix, s); ok {
			return folded
		}
	}
	return encodeWords(s)
}

// fold inserts CRLF before spaces so that lines stay within maxLine. It
// folds only at a single space between two other characters: readers trim
// a line's trailing spaces and may collapse a run of spaces at a fold. It
// fails when a line would exceed maxLine anyway.
func fold(prefix int, s string) (string, bool) {
	var b strings.Builder
	line := prefix
	for start := 0; start < len(s); {
		end := len(s) // the next fold point
		for k := start + 1; k < len(s)-1; k++ {
			if s[k] == ' ' && s[k-1] != ' ' && s[k+1] != ' ' {
				end = k
				break
			}
		}
		unit := s[start:end]
		if start > 0 && line+len(unit) > maxLine {
			b.WriteString("\r\n")
			line = 0
		}
		b.WriteString(unit)
		line += len(unit)
		if line > maxLine {
			return "", false
		}
		start = end
	}
	return b.String(), true
}

// encodeWords returns s as RFC 2047 "B" encoded words of whole UTF-8
// characters, each on its own folded line of at most 77 bytes after a
// 9-byte prefix such as "Subject: ".
func encodeWords(s string) string {
	const chunk = 42 // 56 base64 bytes, 68 with "=?utf-8?b?" and "?="
	var words []string
	for len(s) > 0 {
		n := min(chunk, len(s))
		for n < len(s) && n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		words = append(words, "=?utf-8?b?"+base64.StdEncoding.EncodeToString([]byte(s[:n]))+"?=")
		s = s[n:]
	}
	return strings.Join(words, "\r\n ")
}
