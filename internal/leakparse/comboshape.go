package leakparse

import (
	"bytes"
	"fmt"
	"html"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/hashid"
)

// Combolists are posted as they are pasted: in chat channels, with a
// banner on top ("=== FRESH COMBO 2025 @channel ===", a t.me link, "Checked
// by @Bot"), entries numbered ("1. ", "1) ", "#1 ", "1<TAB>"), bulleted
// ("- ", "✅ ") or wrapped ("[email:pass]", "`email:pass`"); on paste sites
// and forums as HTML (a <br /> ending each line, &amp; and &#64; entities,
// a <pre> around them); exported from databases with an id column
// ("1:email:pass", "email:pass:1"). A comboShape is what the head of a
// file says about all of its lines, so that clean files, the common case,
// go through the plain loop of parseCombo and pay nothing for the rest.
//
// In a decorated file a line is an entry (a record), decoration (ignored,
// counted in Stats.Ignored: a banner, a label such as "Total: 500", a
// header such as "Mail:Pass", a link), or a broken entry (quarantined, as
// in any combolist: a line with an email address and no password, a bare
// token). A field name is never an account: a line of column names
// ("email:password") is a header in any combolist.

// comboShape is the per-file shape of a combolist.
type comboShape struct {
	deco    bool          // banners and labels are decoration; bullets and wrappers are stripped
	html    bool          // HTML: <br> line breaks, tags and entities; script and style skipped
	lead    bool          // a leading line number or id column is stripped
	trailID byte          // the separator before a trailing all-digit column, 0 for none
	capture bool          // passwords carry a checker's capture (see capture.go)
	sep     byte          // the separator most entries use
	hashes  hashid.Column // the verdict on the password field (16 hex, bare base64)
	entries int           // entries in the head
	why     string        // what the head showed, for the dry run

	inScript bool // parse state: inside <script> or <style>
}

// plain reports whether the file's lines need none of the shape's work.
func (s *comboShape) plain() bool {
	return !s.deco && !s.html && !s.lead && s.trailID == 0 && !s.capture && !s.hashes.Hashes()
}

// claims reports whether the shape makes the file a combolist that the
// generic detection would misread.
func (s *comboShape) claims() bool {
	return (s.deco || s.html || s.lead || s.trailID != 0 || s.capture) && s.entries > 0
}

// lineKind is what a cleaned line of a decorated combolist is.
type lineKind uint8

const (
	kindEntry  lineKind = iota // a record
	kindDeco                   // decoration, ignored
	kindBroken                 // a broken entry, quarantined
)

// shapeOf decides the shape of a combolist from the trimmed non-blank lines
// of its head: every line is cleaned with every stripper, and a stripper is
// kept for the file when the lines it helps are many enough.
func shapeOf(lines [][]byte) comboShape {
	var sh comboShape
	if len(lines) == 0 || hasPrefixFold(lines[0], "<?xml") || redisOutput(lines) {
		return sh // records, left to their detection
	}
	sh.html = htmlHead(lines)
	probe := comboShape{deco: true, html: sh.html, lead: true}
	type cleaned struct {
		x, orig     []byte
		lead, strip bool
		first       bool // among the first lines of the file
	}
	var all []cleaned
	var buf []byte
	texts := 0 // lines that hold text (not markup alone)
	for i, l := range lines {
		segs := [][]byte{l}
		if sh.html {
			if probe.skipScript(l) {
				continue
			}
			segs = segs[:0]
			for rest := l; len(rest) > 0; {
				var seg []byte
				seg, rest = nextBreak(rest)
				buf = cleanHTML(buf[:0], seg)
				segs = append(segs, bytes.Clone(buf))
			}
		}
		text := false
		for _, seg := range segs {
			if len(seg) > 0 {
				text = true
			}
			if !utf8.Valid(seg) {
				// As the parser reads it: Windows-1252.
				seg = appendCP1252(nil, seg)
			}
			c := cleaned{orig: seg, first: i < 5}
			c.x, c.lead, c.strip = probe.cleanTrace(seg)
			if len(c.x) > 0 {
				all = append(all, c)
			}
		}
		if text {
			texts++
		}
	}
	// The file's separator: that of the entries with an email address,
	// else of all entries.
	var seps, emailSeps [256]int
	for _, c := range all {
		if login, _, sep, reason := splitCombo(c.x); reason == "" {
			seps[sep]++
			if loginClass(login) == catalog.ClassEmail {
				emailSeps[sep]++
			}
		}
	}
	probe.sep = mostCommon(emailSeps[:], mostCommon(seps[:], ':'))
	var lead, strip, banners, early, multi, trail, hashed int
	var passes [][]byte
	var passSeps []byte
	for _, c := range all {
		login, pass, sep, kind, _ := probe.judge(c.x)
		if kind == kindEntry && bytes.ContainsAny(login, ",\"") {
			continue // a row of a table: no evidence either way
		}
		switch kind {
		case kindEntry:
			sh.entries++
			passes = append(passes, pass)
			passSeps = append(passSeps, sep)
			if c.lead {
				lead++
			}
			if c.strip {
				strip++
			}
		case kindDeco:
			if bannerFeature(c.orig) {
				banners++
				if c.first {
					early++
				}
			}
		}
	}
	// Checker captures after the passwords ("pw | Plan = Premium"): the
	// passwords are judged without them.
	caps, capture := captureHead(passes)
	for i, pass := range passes {
		sep := passSeps[i]
		if capture {
			pass, _ = cutCapture(pass, nil)
			passes[i] = pass
		}
		p, ok := cutTrailID(pass, sep)
		switch {
		case hashid.IsHash(pass):
			hashed++ // "hash:salt": the digits are a salt
			p = pass[:0]
		case ok:
			trail++
		}
		if sep != ' ' && bytes.IndexByte(p, sep) >= 0 {
			multi++
		}
	}
	n := sh.entries
	if n == 0 || n*10 < texts*3 {
		return comboShape{}
	}
	if multi*2 >= n {
		// Lines of more fields of one separator are a table, left to the
		// CSV detection; read as a combolist, they are plain.
		return comboShape{hashes: hashid.JudgeColumn("", passes)}
	}
	sh.sep = probe.sep
	sh.capture = capture
	// A leading number on most entries is decoration or an id column.
	sh.lead = lead*2 >= n
	sh.deco = sh.html || strip*2 >= n || banners >= 2 || early >= 1
	if n-hashed >= 5 && trail*10 >= (n-hashed)*9 && sh.sep != ' ' {
		sh.trailID = sh.sep
		for i, p := range passes {
			passes[i], _ = cutTrailID(p, sh.sep)
		}
	}
	sh.hashes = hashid.JudgeColumn("", passes)
	var what []string
	if sh.html {
		what = append(what, "HTML line breaks and entities")
	}
	if banners > 0 {
		what = append(what, fmt.Sprintf("%d banner lines", banners))
	}
	if sh.lead {
		what = append(what, fmt.Sprintf("%d numbered or id-prefixed entries", lead))
	}
	if strip*2 >= n {
		what = append(what, fmt.Sprintf("%d bulleted or bracketed entries", strip))
	}
	if sh.trailID != 0 {
		what = append(what, "a trailing id column")
	}
	if sh.capture {
		what = append(what, fmt.Sprintf("%d checker captures after the password", caps))
	}
	if len(what) > 0 {
		sh.why = fmt.Sprintf("%d of %d lines are login:password entries with decoration to strip (%s)", n, len(lines), joinWords(what))
	}
	return sh
}

func joinWords(ws []string) string {
	var b bytes.Buffer
	for i, w := range ws {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(w)
	}
	return b.String()
}

// shapeOfHead is shapeOf over a raw head as the line reader holds it,
// with a fast way out for the common case, a clean file.
func shapeOfHead(head []byte) comboShape {
	head = lfHead(head, false)
	if sh, ok := cleanHead(head); ok {
		return sh
	}
	return shapeOf(headLines(head, 400))
}

// cleanHead decides the shape of a head whose every line is a clean entry,
// and reports false for any other head (shapeOf decides those): a login
// that starts the line with an ASCII letter or digit and is an email
// address, or is username-like before a separator that is no white space;
// no '<' (HTML); and not a trailing all-digit field on most lines. It only
// splits each line, so clean files, the common case, pay little for their
// shape: the hash verdict on their passwords.
func cleanHead(head []byte) (comboShape, bool) {
	var passes [400][]byte
	var seps [256]int
	n, trail := 0, 0
	for len(head) > 0 && n < len(passes) {
		var l []byte
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			l, head = head[:i], head[i+1:]
		} else {
			l, head = head, nil
		}
		if l = trim(l); len(l) == 0 {
			continue
		}
		if c := l[0]; !isLetter(c) && !isDigit(c) && c != '+' || bytes.IndexByte(l, '<') >= 0 {
			return comboShape{}, false
		}
		login, pass, sep, reason := splitCombo(l)
		if reason != "" {
			return comboShape{}, false
		}
		if cls := loginClass(login); cls != catalog.ClassEmail && cls != catalog.ClassPhone && (isSpace[sep] || !isLetter(l[0]) || !usernameLike(login)) {
			return comboShape{}, false
		}
		if _, ok := cutTrailID(pass, sep); ok {
			trail++
		}
		seps[sep]++
		passes[n] = pass
		n++
	}
	if trail*10 >= n*9 && n > 0 {
		return comboShape{}, false
	}
	if _, ok := captureHead(passes[:n]); ok {
		return comboShape{}, false
	}
	return comboShape{hashes: hashid.JudgeColumn("", passes[:n]), sep: mostCommon(seps[:], ':')}, true
}

// cleanTrace strips a trimmed line (or HTML segment) of the decoration the
// shape strips, and tells which kinds it stripped.
func (s *comboShape) cleanTrace(b []byte) (x []byte, lead, strip bool) {
	x = b
	for range 4 {
		y := x
		if s.deco {
			y = stripMarker(y)
			y = stripWrap(y, s.html)
			if len(y) != len(x) {
				strip = true
			}
		}
		if s.lead {
			if z := stripLeadNumber(y); len(z) != len(y) {
				lead = true
				y = z
			}
		}
		if len(y) == len(x) {
			break
		}
		x = y
	}
	return x, lead, strip
}

// clean is cleanTrace without the trace.
func (s *comboShape) clean(b []byte) []byte {
	x, _, _ := s.cleanTrace(b)
	return x
}

// judge splits a cleaned line and tells what it is. Entries with an email
// address are entries. A line of column names is decoration in any file.
// In a decorated file, a line whose login is no email is an entry unless
// it reads as decoration: split at white space in a file whose entries are
// not ("FRESH COMBO 2025", "Checked by @Bot"), a label (white space after
// the separator: "Total: 500"), a link ("https://..."). Two bare tokens
// split at white space could be either: they are quarantined
// (other-separator), neither an account nor lost. Lines that do not split
// are decoration when they look like it (a link, a handle, symbols, rules,
// several words) and hold no email address, else broken entries.
func (s *comboShape) judge(x []byte) (login, pass []byte, sep byte, kind lineKind, reason Reason) {
	login, pass, sep, reason = splitCombo(x)
	if reason != "" {
		if s.deco && !hasEmailToken(x) && (bannerFeature(x) || wordy(x)) {
			return nil, nil, 0, kindDeco, ""
		}
		return nil, nil, sep, kindBroken, reason
	}
	if cls := loginClass(login); cls == catalog.ClassEmail || cls == catalog.ClassPhone {
		return login, pass, sep, kindEntry, ""
	}
	if headerLine(x) || genericHeaderLine(x, sep) {
		return nil, nil, sep, kindDeco, ""
	}
	if !s.deco {
		return login, pass, sep, kindEntry, ""
	}
	label := sep != ' ' && sep != '\t' && len(x) > len(login)+1 && isSpace[x[len(login)+1]]
	if isSpace[sep] && !isSpace[s.sep] && !label {
		// Two tokens split at white space may be a short banner ("HQ
		// COMBO") or an entry of another separator: kept, quarantined.
		// A handle alone does not make a banner of two tokens: "user
		// @pass" is a username and a password that starts with '@'.
		if usernameLike(login) && !bytes.ContainsAny(pass, " \t") && !bannerMarks(x, false) {
			return nil, nil, sep, kindBroken, ReasonOtherSeparator
		}
		if atWords(login, pass, x) {
			return nil, nil, sep, kindBroken, ReasonBannerOrEntry
		}
		return nil, nil, sep, kindDeco, ""
	}
	if isSpace[sep] && bytes.ContainsAny(pass, " \t") {
		// Words split at white space in a file split at white space: a
		// banner when it shows one, else a banner ("Fresh combo 2026") or
		// a username and a password with spaces, not to be told apart.
		if bannerFeature(x) {
			return nil, nil, sep, kindDeco, ""
		}
		return nil, nil, sep, kindBroken, ReasonBannerOrEntry
	}
	if label || bytes.HasPrefix(pass, []byte("//")) && linkScheme(login) {
		return nil, nil, sep, kindDeco, ""
	}
	return login, pass, sep, kindEntry, ""
}

// atWords reports whether a line split at white space into a username and
// words that start with '@' ("user2 @my pass", "Join @channel today") may
// be an entry whose password starts with '@' as well as a banner: it shows
// no banner feature but the handle.
func atWords(login, pass, x []byte) bool {
	return len(pass) > 0 && pass[0] == '@' && usernameLike(login) && !bannerMarks(x, false)
}

// wordy reports whether a line without a separator reads as text: several
// words.
func wordy(x []byte) bool { return bytes.Count(x, []byte{' '}) >= 2 }

// hasEmailToken reports whether a line holds an email address: the run of
// characters around an '@' up to white space, a separator, a quote or a
// bracket.
func hasEmailToken(x []byte) bool {
	for off := 0; ; {
		at := bytes.IndexByte(x[off:], '@')
		if at < 0 {
			return false
		}
		at += off
		i, j := at, at+1
		for i > 0 && !emailStop[x[i-1]] {
			i--
		}
		for j < len(x) && !emailStop[x[j]] {
			j++
		}
		if isEmail(bytes.TrimRight(x[i:j], ".")) {
			return true
		}
		off = at + 1
	}
}

// emailStop holds the bytes that end an address in running text.
var emailStop = func() (t [256]bool) {
	for _, c := range []byte(" \t\r\n,;:|\"'<>()[]{}`*") {
		t[c] = true
	}
	return t
}()

// bannerFeature reports whether a line shows what banners and sign-offs of
// combolist posts show: a link (t.me/, ://, www.), a handle (@channel, in
// a line with no email address), a rule of three or more repeated symbols
// (===, ---, ━━━), emoji and other symbols, or no letter or digit at all.
func bannerFeature(x []byte) bool { return bannerMarks(x, true) }

// bannerMarks is bannerFeature, with handles counted or not.
func bannerMarks(x []byte, handles bool) bool {
	if bytes.Contains(x, []byte("t.me/")) || bytes.Contains(x, []byte("://")) || hasPrefixFold(x, "www.") {
		return true
	}
	for off := 0; handles; {
		at := bytes.IndexByte(x[off:], '@')
		if at < 0 {
			break
		}
		at += off
		// A handle starts a word: "@channel", "by @Bot", not "P@ss".
		if (at == 0 || isSpace[x[at-1]] || x[at-1] == '(' || x[at-1] == '[') && at+1 < len(x) &&
			(isLetter(x[at+1]) || isDigit(x[at+1]) || x[at+1] == '_') && !hasEmailToken(x) {
			return true
		}
		off = at + 1
	}
	alnum, run := false, 0
	var prev rune
	for i := 0; i < len(x); {
		r, size := utf8.DecodeRune(x[i:])
		i += size
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			alnum, run = true, 0
		case r == ' ':
			run = 0
		case unicode.Is(unicode.So, r) || r >= 0x2500 && r <= 0x259F: // symbols, emoji, box drawing
			return true
		case r == ',' || r == ';' || r == '|' || r == ':' || r == '\t' || r == '"' || r == '\'':
			run = 0 // separators and quotes repeat in tables
		default:
			if r == prev {
				run++
				if run >= 2 {
					return true
				}
			} else {
				run = 0
			}
		}
		prev = r
	}
	return !alnum
}

// linkScheme reports whether a login before "//" is the scheme of a link
// ("https://t.me/x" split at its colon) rather than a username whose
// password starts with "//".
func linkScheme(login []byte) bool {
	for _, s := range []string{"http", "https", "ftp", "tg", "tme", "hxxp", "hxxps"} {
		if equalFold(login, s) {
			return true
		}
	}
	return false
}

// fieldNameSets returns the column names, normalised to lower-case ASCII
// letters and digits, of login and of password columns: a combolist line
// made of them ("Mail:Pass", "Email;Password", "user|pass") is a header.
var fieldNameSets = sync.OnceValues(func() (login, pass map[string]bool) {
	login, pass = map[string]bool{}, map[string]bool{}
	for n, c := range nameTable {
		switch c {
		case catalog.ClassEmail, catalog.ClassUsername:
			login[n] = true
		case catalog.ClassPassword, catalog.ClassPasswordHash:
			pass[n] = true
		}
	}
	return login, pass
})

// headerLine reports whether a combolist line is a line of column names:
// a login column's name, a separator, a password column's name, maybe more
// names ("Mail:Pass", "E-Mail Address;Password", "User Name|Pass",
// "email:pass:hits", "Логин:Пароль", "Usuario;Contraseña"). It is cheap for
// ordinary lines: it looks at short lines without digits that start with a
// letter, and allocates nothing.
func headerLine(x []byte) bool {
	if len(x) == 0 || len(x) > 64 || !isLetter(x[0]) && x[0] < 0x80 {
		return false
	}
	for _, c := range x {
		if isDigit(c) {
			return false
		}
	}
	i := bytes.IndexAny(x, ":;|\t")
	if i < 0 {
		i = bytes.IndexByte(x, ' ')
	}
	if i <= 0 {
		return false
	}
	login, pass := x[:i], trim(x[i+1:])
	if j := bytes.IndexAny(pass, ":;|\t"); j > 0 {
		pass = pass[:j]
	}
	var buf [128]byte // folding at most doubles a name ("ß" to "ss")
	loginNames, passNames := fieldNameSets()
	return loginNames[string(foldName(buf[:0], login))] && passNames[string(foldName(buf[:0], pass))]
}

// genericHeaderLine reports whether a combolist line split at sep is a
// header that names nothing ("col1:col2", "A;B;C"): see genericHeader.
func genericHeaderLine(x []byte, sep byte) bool {
	return len(x) <= 200 && genericHeader(bytes.Split(x, []byte{sep}))
}

// foldName appends a column name as nameTable keys are written: letters
// and digits, lower case, Latin accents folded; "" (nothing appended) when
// it holds other than letters, digits and the punctuation of names.
func foldName(dst, b []byte) []byte {
	start := len(dst)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		i += size
		switch {
		case r < 0x80 && (isLetter(byte(r)) || isDigit(byte(r))):
			dst = append(dst, byte(unicode.ToLower(r)))
		case r == '-' || r == '_' || r == ' ' || r == '.':
		case r >= 0x80 && unicode.IsLetter(r):
			r = unicode.ToLower(r)
			if r >= 0xC0 && r <= 0x24F {
				dst = append(dst, foldRune(r)...)
			} else {
				dst = utf8.AppendRune(dst, r)
			}
		default:
			return dst[:start]
		}
	}
	return dst
}

// stripLeadNumber removes a leading line number or id: "1. ", "1) ",
// "#1 ", "№1 ", "[1] ", "(1) ", "1- ", "1<TAB>", "1 ", a keycap emoji
// ("1️⃣ "), and "1:", "1;", "1|" (an id column before the entry). It returns b unchanged when nothing would be left,
// when what is left neither splits into a login and a password nor holds
// an address (an ICQ number is a login: "123456789:password"), for
// "1.x" without white space (an address may start "1.alice@"), or when b
// starts with a phone number written with spaces.
func stripLeadNumber(b []byte) []byte {
	if phoneRun(b) > 0 {
		return b // "8 (916) 123-45-67:pw" is a phone number, not entry 8
	}
	i := 0
	var closer byte
	if len(b) > 0 {
		switch b[0] {
		case '#':
			i = 1
		case '[':
			i, closer = 1, ']'
		case '(':
			i, closer = 1, ')'
		}
		if bytes.HasPrefix(b, numeroSign) {
			i = len(numeroSign)
		}
	}
	j := i
	for j < len(b) && isDigit(b[j]) {
		j++
	}
	if j == i || j-i > 10 || j >= len(b) {
		return b
	}
	switch c := b[j]; {
	case closer != 0:
		if c != closer {
			return b
		}
		j++
	case c == '.':
		if j+1 >= len(b) || !isSpace[b[j+1]] {
			return b
		}
		j++
	case c == ')' || c == ']' || c == ':' || c == ';' || c == '|':
		j++
	case c == '-':
		if j+1 >= len(b) || !isSpace[b[j+1]] {
			return b // "1-alice@example.com" is an address
		}
		j++
	case isSpace[c]:
	case bytes.HasPrefix(b[j:], keycap):
		j += len(keycap)
	case bytes.HasPrefix(b[j:], keycap[3:]):
		j += len(keycap) - 3
	default:
		return b
	}
	rest := trimLeft(b[j:])
	if _, _, _, reason := splitCombo(rest); reason != "" && bytes.IndexByte(rest, '@') < 0 {
		return b
	}
	return rest
}

var (
	numeroSign = []byte("№")
	keycap     = []byte("\uFE0F\u20E3") // the variation selector and the enclosing keycap
)

// stripMarker removes a leading bullet: a token of punctuation and symbols
// (no letter, digit or '@') followed by white space: "- ", "* ", "• ",
// "> ", "✅ ", "[+] ", "=> ", "🔥🔥 ".
func stripMarker(b []byte) []byte {
	i := 0
	for i < len(b) && !isSpace[b[i]] {
		r, size := utf8.DecodeRune(b[i:])
		if r == '@' || unicode.IsLetter(r) || unicode.IsDigit(r) {
			return b
		}
		i += size
	}
	if i == 0 || i > 24 || i == len(b) {
		return b
	}
	return trimLeft(b[i:])
}

// wrapPairs are the pairs an entry is wrapped in: brackets, quotes, and
// the markup of chat posts (Markdown bold and code, Discord spoilers).
var wrapPairs = []struct{ open, close string }{
	{"[", "]"}, {"(", ")"}, {"{", "}"}, {"<", ">"}, {`"`, `"`}, {"'", "'"}, {"`", "`"},
	{"**", "**"}, {"__", "__"}, {"||", "||"}, {"~~", "~~"},
	{"«", "»"}, {"“", "”"}, {"‘", "’"}, {"【", "】"}, {"「", "」"},
}

// stripWrap removes one pair wrapped around b. Angle brackets wrap only
// what holds none ("<a@example.com:pw>"): markup ("<td>...</td>") is not
// a wrapper, and in HTML tags are cleanHTML's.
func stripWrap(b []byte, html bool) []byte {
	for _, p := range wrapPairs {
		if len(b) > len(p.open)+len(p.close) && string(b[:len(p.open)]) == p.open &&
			string(b[len(b)-len(p.close):]) == p.close {
			in := b[len(p.open) : len(b)-len(p.close)]
			if p.open == "<" && (html || bytes.ContainsAny(in, "<>")) {
				continue
			}
			return trim(in)
		}
	}
	return b
}

// cutTrailID removes a trailing "<sep>digits" column from a password.
func cutTrailID(pass []byte, sep byte) ([]byte, bool) {
	if sep == 0 || isSpace[sep] {
		return pass, false
	}
	i := bytes.LastIndexByte(pass, sep)
	if i <= 0 || !allDigits(pass[i+1:]) || len(pass)-i-1 > 12 {
		return pass, false
	}
	if p := trim(pass[:i]); len(p) > 0 {
		return p, true
	}
	return pass, false
}

// htmlHead reports whether the lines of a head are HTML around combolist
// entries: <br> line ends or tags on many lines, or a page or <pre> block
// opening it. Tables (<table>, <tr>, <td>) and XML are records, not
// combolists, and are left to their own detection.
func htmlHead(lines [][]byte) bool {
	marked := 0
	for _, l := range lines {
		if indexTagFold(l, "<table") >= 0 || indexTagFold(l, "<td") >= 0 || indexTagFold(l, "<tr") >= 0 || hasPrefixFold(l, "<?xml") {
			return false
		}
		if indexTagFold(l, "<br") >= 0 || indexTagFold(l, "</") >= 0 || bytes.Contains(l, []byte("&#")) ||
			bytes.Contains(l, []byte("&amp;")) || bytes.Contains(l, []byte("&lt;")) {
			marked++
		}
	}
	first := lines[0]
	for _, p := range []string{"<!doctype html", "<html", "<pre", "<textarea", "<body", "<code", "<div", "<p>"} {
		if hasPrefixFold(first, p) {
			return true
		}
	}
	return marked*10 >= len(lines)*3
}

// indexTagFold returns the index of needle, lower-case ASCII starting with a
// byte that is no letter ('<'), in b, ignoring case; -1 if absent.
func indexTagFold(b []byte, needle string) int {
	for i := 0; i < len(b); i++ {
		j := bytes.IndexByte(b[i:], needle[0])
		if j < 0 {
			return -1
		}
		i += j
		if hasPrefixFold(b[i:], needle) {
			return i
		}
	}
	return -1
}

// nextBreak returns the part of an HTML line before its first <br> (<br>,
// <br/>, <br />, any case) and the rest after it.
func nextBreak(b []byte) (seg, rest []byte) {
	for off := 0; ; {
		i := indexTagFold(b[off:], "<br")
		if i < 0 {
			return b, nil
		}
		i += off
		j := i + 3
		for j < len(b) && (b[j] == ' ' || b[j] == '/') {
			j++
		}
		if j < len(b) && b[j] == '>' {
			return b[:i], b[j+1:]
		}
		off = i + 3
	}
}

// cleanHTML appends an HTML segment with its tags removed and its entities
// decoded, trimmed. A '<' that opens no tag ("<3") is text.
func cleanHTML(dst, seg []byte) []byte {
	start := len(dst)
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		if c == '<' && i+1 < len(seg) && (isLetter(seg[i+1]) || seg[i+1] == '/' || seg[i+1] == '!' || seg[i+1] == '?') {
			if k := bytes.IndexByte(seg[i:], '>'); k > 0 {
				i += k
				continue
			}
		}
		dst = append(dst, c)
	}
	if bytes.IndexByte(dst[start:], '&') >= 0 {
		s := html.UnescapeString(string(dst[start:]))
		// &nbsp; pads, it is no part of a value; a decoded line break
		// (&#10;) does not break the line.
		s = htmlSpaces.Replace(s)
		dst = append(dst[:start], s...)
	}
	t := trim(dst[start:])
	n := copy(dst[start:], t)
	return dst[:start+n]
}

var htmlSpaces = strings.NewReplacer("\u00a0", " ", "\n", " ", "\r", " ")

// skipScript tracks <script> and <style> blocks across the lines of an HTML
// file and reports whether line l is inside one (or opens one), to be
// ignored.
func (s *comboShape) skipScript(l []byte) bool {
	if s.inScript {
		if indexTagFold(l, "</script") >= 0 || indexTagFold(l, "</style") >= 0 {
			s.inScript = false
		}
		return true
	}
	if indexTagFold(l, "<script") >= 0 || indexTagFold(l, "<style") >= 0 {
		s.inScript = indexTagFold(l, "</script") < 0 && indexTagFold(l, "</style") < 0
		return true
	}
	return false
}

// passClass classifies a password field under the file's column verdict.
func (s *comboShape) passClass(v []byte) catalog.DataClass {
	if s.hashes.Hashes() {
		if s.hashes.IsHash(v) {
			return catalog.ClassPasswordHash
		}
		return catalog.ClassPassword
	}
	return passwordClass(v)
}

// redisOutput reports whether most lines are redis-cli's numbered replies
// (`1) "email"`): fields of a record, not numbered entries.
func redisOutput(lines [][]byte) bool {
	n := 0
	for _, l := range lines {
		i := 0
		for i < len(l) && isDigit(l[i]) {
			i++
		}
		if i > 0 && i+2 < len(l) && l[i] == ')' && l[i+1] == ' ' && l[i+2] == '"' {
			n++
		}
	}
	return n*2 > len(lines)
}
