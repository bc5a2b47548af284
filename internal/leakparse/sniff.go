package leakparse

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

// sniffInfo is what Parse needs besides Sniffed to read the input.
type sniffInfo struct {
	bomLen    int
	utf16     bool
	bigEndian bool
}

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// Sniff looks at the head of a file (its first SniffSize bytes, or all of
// a shorter file) and tells its format, encoding and delimiter, the column
// names and the class chosen for each column, with a masked sample value
// per column. It returns ErrNotALeak, wrapped with the reason, when the
// head is an image, an archive, compressed or other binary data, or text
// of no known leak format. With opts.Format set it trusts the caller about
// the content (only file signatures are refused) and fills the rest.
func Sniff(head []byte, opts Options) (Sniffed, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return Sniffed{}, err
	}
	sn, _, err := sniff(head, cfg, true)
	return sn, err
}

func notALeak(reason string) error { return fmt.Errorf("%w: %s", ErrNotALeak, reason) }

// sniff does Sniff's work; Parse, which needs no column description,
// passes full false.
func sniff(head []byte, cfg *config, full bool) (Sniffed, sniffInfo, error) {
	var info sniffInfo
	if why := workbookHead(head, cfg.name); why != "" && (cfg.format == FormatAuto || cfg.format == FormatXLSX) {
		return Sniffed{Format: FormatXLSX, Encoding: EncodingUTF8, Reason: why}, info, nil
	}
	if why := databaseHead(head); why != "" && (cfg.format == FormatAuto || cfg.format == FormatSQLite) {
		return Sniffed{Format: FormatSQLite, Encoding: EncodingUTF8, Reason: why}, info, nil
	}
	if reason := magic(head); reason != "" {
		return Sniffed{}, info, notALeak(reason)
	}
	enc := EncodingUTF8
	text := head
	switch {
	case bytes.HasPrefix(head, bomUTF8):
		info.bomLen = 3
		text = head[3:]
	case bytes.HasPrefix(head, bomUTF16LE):
		info.bomLen, info.utf16, enc = 2, true, EncodingUTF16LE
		text = decodeUTF16(head[2:], false)
	case bytes.HasPrefix(head, bomUTF16BE):
		info.bomLen, info.utf16, info.bigEndian, enc = 2, true, true, EncodingUTF16BE
		text = decodeUTF16(head[2:], true)
	default:
		if utf16, be := guessUTF16(head); utf16 {
			info.utf16, info.bigEndian = true, be
			enc = EncodingUTF16LE
			if be {
				enc = EncodingUTF16BE
			}
			text = decodeUTF16(head, be)
		}
	}
	if i := bytes.IndexByte(text, '\n'); i >= SniffSize && len(trim(text[i+1:])) > 0 {
		// A first line longer than a head (PeekHead went past it) says
		// nothing of the format: the lines after it do.
		text = text[i+1:]
	}
	if len(head) >= SniffSize {
		// The head ends mid-line: keep whole lines only, of SniffSize
		// bytes at most.
		if len(text) > SniffSize {
			text = text[:SniffSize]
		}
		if i := bytes.LastIndexByte(text, '\n'); i >= 0 {
			text = text[:i+1]
		}
	}
	text = lfHead(text, len(head) >= SniffSize)
	if reason := binaryReason(text); reason != "" && cfg.format == FormatAuto {
		return Sniffed{}, info, notALeak(reason)
	}
	if len(trim(text)) == 0 {
		return Sniffed{}, info, notALeak("no text")
	}
	if enc == EncodingUTF8 && !validUTF8Head(text) {
		enc = EncodingLatin1
	}
	format, delim := cfg.format, byte(0)
	if format == FormatAuto {
		format, delim = detect(text, cfg)
		if format == "" {
			return Sniffed{}, info, notALeak("unrecognized text format")
		}
	} else {
		delim = guessDelim(format, text)
	}
	sn := Sniffed{Format: format, Encoding: enc, Delimiter: delim}
	cfg.escapes = backslashEscaped(format, delim, text)
	if full {
		describe(&sn, text, cfg)
		sn.Reason = explain(text, cfg, format, delim)
	}
	return sn, info, nil
}

// validUTF8Head reports whether text is valid UTF-8, allowing a rune cut
// at its end.
func validUTF8Head(text []byte) bool {
	if utf8.Valid(text) {
		return true
	}
	for cut := 1; cut <= 3 && cut < len(text); cut++ {
		if utf8.Valid(text[:len(text)-cut]) && !utf8.FullRune(text[len(text)-cut:]) {
			return true
		}
	}
	return false
}

// magics are the signatures of files that are not text.
var magics = []struct {
	off    int
	sig    string
	reason string
}{
	{0, "\x89PNG\r\n\x1a\n", "PNG image"},
	{0, "\xff\xd8\xff", "JPEG image"},
	{0, "GIF87a", "GIF image"},
	{0, "GIF89a", "GIF image"},
	{0, "PK\x03\x04", "ZIP archive"},
	{0, "PK\x05\x06", "ZIP archive"},
	{0, "PK\x07\x08", "ZIP archive"},
	{0, "\x1f\x8b", "gzip compressed data"},
	{0, "\xfd7zXZ\x00", "xz compressed data"},
	{0, "\x28\xb5\x2f\xfd", "zstd compressed data"},
	{0, "7z\xbc\xaf\x27\x1c", "7-Zip archive"},
	{0, "Rar!\x1a\x07", "RAR archive"},
	{0, "\x04\x22\x4d\x18", "LZ4 compressed data"},
	{0, "\x7fELF", "ELF executable"},
	{0, "%PDF-", "PDF document"},
	{0, "SQLite format 3\x00", "SQLite database"},
	{0, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2 document (legacy Office)"},
	{0, "\xca\xfe\xba\xbe", "Mach-O or Java class file"},
	{0, "\xcf\xfa\xed\xfe", "Mach-O executable"},
	{0, "\x00asm", "WebAssembly module"},
	{257, "ustar", "tar archive"},
	{4, "ftyp", "MP4/QuickTime media"},
}

// magic names the kind of a binary file from its signature, "" for none.
func magic(head []byte) string {
	for _, m := range magics {
		if len(head) >= m.off+len(m.sig) && string(head[m.off:m.off+len(m.sig)]) == m.sig {
			return m.reason
		}
	}
	if len(head) >= 10 && string(head[:3]) == "BZh" && head[3] >= '1' && head[3] <= '9' && string(head[4:10]) == "1AY&SY" {
		return "bzip2 compressed data"
	}
	if len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP" {
		return "WebP image"
	}
	if len(head) >= 2 && head[0] == 'M' && head[1] == 'Z' && bytes.IndexByte(head[:min(len(head), 512)], 0) >= 0 {
		return "Windows executable"
	}
	return ""
}

// guessUTF16 detects UTF-16 text without a byte order mark by its NUL
// bytes: mostly-ASCII UTF-16 has a NUL in every other byte.
func guessUTF16(head []byte) (utf16, bigEndian bool) {
	n := min(len(head), 1024) &^ 1
	if n < 8 {
		return false, false
	}
	even, odd := 0, 0
	for i := 0; i < n; i += 2 {
		if head[i] == 0 {
			even++
		}
		if head[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	switch {
	case odd*10 >= pairs*4 && even*20 <= pairs:
		return true, false
	case even*10 >= pairs*4 && odd*20 <= pairs:
		return true, true
	}
	return false, false
}

// binaryReason reports why decoded text is not text, "" when it is.
//
// A few stray NUL or control bytes (a corrupt line in a big dump) do not
// make a file binary: more than 1 in 1000 NULs, or 1 in 100 control bytes,
// do.
func binaryReason(text []byte) string {
	nul, ctl := 0, 0
	for _, c := range text {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1b {
			ctl++
			if c == 0 {
				nul++
			}
		}
	}
	if nul*1000 > len(text) || ctl*100 > len(text) {
		return "binary data"
	}
	if !utf8.Valid(text) {
		// Windows-1252 text is mostly ASCII; random bytes are not.
		high := 0
		for _, c := range text {
			if c >= 0x80 {
				high++
			}
		}
		if high*10 > len(text)*3 && ctl > 0 {
			return "binary data"
		}
	}
	return ""
}

// headLines returns up to max non-blank trimmed lines of text.
func headLines(text []byte, max int) [][]byte {
	var lines [][]byte
	for len(text) > 0 && len(lines) < max {
		i := bytes.IndexByte(text, '\n')
		var l []byte
		if i < 0 {
			l, text = text, nil
		} else {
			l, text = text[:i], text[i+1:]
		}
		if l = trim(l); len(l) > 0 {
			lines = append(lines, l)
		}
	}
	return lines
}

// stealerFileName reports whether a file name is that of a stealer log's
// credential file ("Passwords.txt", "All Passwords.txt").
func stealerFileName(base string) bool {
	return strings.Contains(base, "password") && (strings.HasSuffix(base, ".txt") || !strings.Contains(base, "."))
}

// detect tells the format of decoded head text.
func detect(text []byte, cfg *config) (Format, byte) {
	name := strings.ReplaceAll(cfg.name, "\\", "/")
	base := strings.ToLower(path.Base(name))
	ext := path.Ext(base)
	lines := headLines(text, 400)
	if len(lines) == 0 {
		return "", 0
	}
	first := lines[0]
	if f, _ := detectRecordsFormat(text, cfg.name); f != "" {
		return f, 0
	}
	if i, ok := afterJSComments(lines); ok && i > 0 && (lines[i][0] == '[' || lines[i][0] == '{') {
		// phpMyAdmin 4's JSON export: "/** Export to JSON plugin for
		// PHPMyAdmin ... */", "// Database 'shop'", then the array.
		return FormatJSON, 0
	}
	switch first[0] {
	case '[':
		if len(first) == 1 || strings.IndexByte("{[\"]-0123456789tfn \t", first[1]) >= 0 {
			// One complete array per line: rows of NDJSON.
			if len(first) > 1 && json.Valid(first) && len(lines) > 1 && lines[1][0] == '[' {
				return FormatNDJSON, 0
			}
			return FormatJSON, 0
		}
	case '{':
		if json.Valid(first) && len(lines) == 1 && ext != ".jsonl" && ext != ".ndjson" {
			// One object on one line is a document, which may be an
			// object of records (a Firebase export keyed by uid), not
			// a record of JSON Lines.
			return FormatJSON, 0
		}
		if json.Valid(first) && (len(lines) == 1 || lines[1][0] == '{') {
			return FormatNDJSON, 0
		}
		if ext == ".jsonl" || ext == ".ndjson" {
			return FormatNDJSON, 0
		}
		return FormatJSON, 0
	}
	if f := detectTSQL(lines); f != "" {
		return f, 0
	}
	var hasCopy, hasInsert, pgMarker bool
	markers := 0
	for _, l := range lines {
		switch {
		case hasPrefixFold(l, "copy ") && bytes.Contains(bytes.ToLower(l), []byte("from stdin")):
			hasCopy = true
		case hasPrefixFold(l, "insert into") || hasPrefixFold(l, "insert ignore into") ||
			hasPrefixFold(l, "replace into") || hasPrefixFold(l, "insert low_priority"):
			hasInsert = true
		case hasPrefixFold(l, "-- postgresql database dump") || hasPrefixFold(l, "set standard_conforming_strings"):
			pgMarker = true
			markers++
		case hasPrefixFold(l, "-- mysql dump") || hasPrefixFold(l, "create table") || hasPrefixFold(l, "/*!40") ||
			hasPrefixFold(l, "lock tables") || hasPrefixFold(l, "drop table") || hasPrefixFold(l, "-- dump") ||
			hasPrefixFold(l, "set names"):
			markers++
		}
	}
	switch {
	case hasCopy:
		return FormatPGDump, 0
	case hasInsert:
		return FormatMySQL, 0
	case markers >= 2 || markers >= 1 && ext == ".sql":
		if pgMarker {
			return FormatPGDump, 0
		}
		return FormatMySQL, 0
	}

	var site, cred, labelled, blocks int
	var ulpLines, comboEmail, comboUser, comboHash, emailOnly int
	var seps [256]int
	var ulpSeps [256]int
	for _, l := range lines {
		if isBlockSeparator(l) {
			blocks++
			continue
		}
		switch k, _ := stealerLabel(l); k {
		case labelSite:
			site++
			labelled++
		case labelLogin, labelPass:
			cred++
			labelled++
		case labelSoft, labelOther:
			labelled++
		}
		if ok, sep := ulpEvidence(l); ok {
			ulpLines++
			if sep != 0 {
				ulpSeps[sep]++
			}
			continue // its login is no combolist's
		}
		if isEmail(l) {
			emailOnly++
			continue
		}
		login, pass, sep, reason := splitCombo(l)
		if reason != "" {
			continue
		}
		if sep != ' ' && emailOrPhone(login) && isHash(pass) {
			comboHash++
		}
		switch {
		case emailOrPhone(login):
			comboEmail++
			seps[sep]++
		case sep != ' ' && (usernameLike(login) || numberLogin(login)) && len(login) <= 64:
			comboUser++
			seps[sep]++
		case sep == ' ' && bytes.IndexByte(pass, ' ') < 0:
			comboUser++
			seps[sep]++
		}
	}
	n := len(lines) - blocks
	if n <= 0 {
		n = 1
	}
	if f, d, ok := detectTables(text, lines, cfg); ok {
		return f, d
	}
	if site > 0 && cred > 0 && (labelled*2 >= n || stealerFileName(base) && labelled > 0) {
		return FormatStealer, ':'
	}
	if ulpLines*10 >= n*3 {
		// Lines are decided one by one (ulp.go): the others read as a
		// combolist would read them.
		return FormatULP, mostCommon(ulpSeps[:], ':')
	}
	if f, d, _ := detectComboFamily(lines, cfg); f != "" {
		return f, d
	}
	delim, width, frac := csvShape(lines)
	switch {
	case ext == ".tsv" || ext == ".tab":
		return FormatTSV, '\t'
	case ext == ".csv":
		if width < 2 {
			delim = ','
		}
		return csvFormat(delim), delim
	}
	if width >= 2 && (looksLikeHeader(splitSimple(first, delim), cfg) || genericHeader(splitSimple(first, delim))) {
		return csvFormat(delim), delim
	}
	if comboHash*10 >= n*8 {
		// Logins and hashes whose own commas or semicolons
		// ("$argon2id$v=19$m=65536,t=3,p=4$...", PHP's serialize())
		// split every line alike: a combolist of hashes, not a table.
		return FormatCombo, mostCommon(seps[:], ':')
	}
	if width >= 3 && frac >= 0.8 {
		return csvFormat(delim), delim
	}
	if (comboEmail+comboUser)*10 >= n*3 {
		return FormatCombo, mostCommon(seps[:], ':')
	}
	if emailOnly*2 >= n {
		return FormatCSV, ','
	}
	if width == 2 && frac >= 0.8 {
		return csvFormat(delim), delim
	}
	return "", 0
}

func csvFormat(delim byte) Format {
	if delim == '\t' {
		return FormatTSV
	}
	return FormatCSV
}

func mostCommon(counts []int, def byte) byte {
	best := -1
	for c, n := range counts {
		if n > 0 && (best < 0 || n > counts[best]) {
			best = c
		}
	}
	if best < 0 {
		return def
	}
	return byte(best)
}

// strictHost reports whether a host without a scheme is surely a host:
// an IP address, localhost, or a domain under a common top-level domain
// or starting with "www.".
func strictHost(h []byte) bool {
	if isIPv4(h) || equalFold(h, "localhost") || hasPrefixFold(h, "www.") {
		return true
	}
	i := bytes.LastIndexByte(h, '.')
	if i < 0 {
		return false
	}
	return commonTLDs[strings.ToLower(string(h[i+1:]))]
}

var commonTLDs = map[string]bool{}

func init() {
	for _, t := range strings.Fields(`com net org info biz io co app dev me tv us uk de fr es it nl be ch at
		ru su ua by kz pl cz sk hu ro bg gr tr br ar mx cl pe co ve ca au nz jp cn kr in id my sg ph vn th
		za ng ke eg ma sa ae ir il pk bd lk se no dk fi is ie pt lt lv ee hr si rs ba mk al gov edu mil
		online site xyz top shop store club live cloud tech`) {
		commonTLDs[t] = true
	}
}

// splitSimple splits a line at delim, honouring double quotes (a quoted
// field spanning lines is cut at the line's end).
func splitSimple(l []byte, delim byte) [][]byte {
	var out [][]byte
	var cur []byte
	inQ := false
	start := true
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case inQ && c == '"':
			if i+1 < len(l) && l[i+1] == '"' {
				cur = append(cur, '"')
				i++
			} else {
				inQ = false
			}
		case inQ:
			cur = append(cur, c)
		case c == '"' && start:
			inQ = true
		case c == delim:
			out = append(out, cur)
			cur = nil
			start = true
			continue
		default:
			cur = append(cur, c)
		}
		if c != ' ' {
			start = false
		}
	}
	return append(out, cur)
}

// countFields counts the fields splitSimple would return.
func countFields(l []byte, delim byte) int {
	n, inQ, start := 1, false, true
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case inQ && c == '"':
			if i+1 < len(l) && l[i+1] == '"' {
				i++
			} else {
				inQ = false
			}
		case inQ:
		case c == '"' && start:
			inQ = true
		case c == delim:
			n++
			start = true
			continue
		}
		if c != ' ' {
			start = false
		}
	}
	return n
}

// csvShape finds the delimiter that splits the lines most consistently:
// the delimiter, the most common number of fields, and the fraction of
// lines with that many.
func csvShape(lines [][]byte) (delim byte, width int, frac float64) {
	for _, d := range []byte{',', '\t', ';', '|'} {
		counts := map[int]int{}
		for _, l := range lines {
			counts[countFields(l, d)]++
		}
		w, best := 0, 0
		for k, v := range counts {
			if v > best || v == best && k > w {
				w, best = k, v
			}
		}
		if w < 2 {
			continue
		}
		f := float64(best) / float64(len(lines))
		if f > frac || f == frac && w > width {
			delim, width, frac = d, w, f
		}
	}
	return delim, width, frac
}

// looksLikeHeader reports whether a row is a header: no value looks like
// data, and at least half the names are column names leakparse knows (or
// names the column map uses).
func looksLikeHeader(vals [][]byte, cfg *config) bool {
	recognized, n := 0, 0
	for _, v := range vals {
		v = trim(v)
		if len(v) == 0 {
			continue
		}
		n++
		if _, ok := cfg.mapName[strings.ToLower(string(v))]; ok {
			return true
		}
		if len(v) > 64 || valueKind(v) != catalog.ClassUnknown || allDigits(v) || bytes.ContainsAny(v, "=@") {
			// Data, or a "key = value" or "login@host:..." that no
			// column name is (a checker's capture, a combolist entry).
			return false
		}
		if _, known := classifyName(string(v)); known {
			recognized++
		}
	}
	return recognized > 0 && recognized*2 >= n
}

// afterJSComments skips the JavaScript comments that open a head of lines
// ("/* ... */" blocks and "//" lines) and gives the index of the first
// line after them; false when a block comment does not end in the head.
func afterJSComments(lines [][]byte) (int, bool) {
	in := false
	for i, l := range lines {
		switch {
		case in:
			if bytes.Contains(l, []byte("*/")) {
				in = false
			}
		case bytes.HasPrefix(l, []byte("//")):
		case bytes.HasPrefix(l, []byte("/*")):
			in = !bytes.Contains(l[2:], []byte("*/"))
		default:
			return i, true
		}
	}
	return 0, false
}

// genericHeader reports whether a row is a header that names nothing: the
// names a spreadsheet or an export tool gives columns it knows nothing
// about, in order. Spreadsheet letters (A, B, C, ..., AA), or one word
// and the column's number ("col1", "Column 2", "field_3", "F1", "_c0",
// "V1", "Unnamed: 0"). The columns of such a file are decided by content,
// as those of a file with no header.
func genericHeader(vals [][]byte) bool {
	n := 0
	var word string
	first := -1
	for i, v := range vals {
		v = trim(v)
		if len(v) == 0 {
			continue
		}
		n++
		if letters, ok := spreadsheetColumn(v); ok && letters == i {
			if word != "" && word != "\x00" {
				return false
			}
			word = "\x00"
			continue
		}
		j := len(v)
		for j > 0 && isDigit(v[j-1]) {
			j--
		}
		if j == len(v) || len(v)-j > 4 {
			return false
		}
		w := strings.ToLower(strings.TrimRight(string(v[:j]), " _-:#."))
		if !genericWords[w] || word != "" && w != word {
			return false
		}
		word = w
		num := 0
		for _, c := range v[j:] {
			num = num*10 + int(c-'0')
		}
		if first < 0 {
			first = num - i
		}
		if num-i != first || first != 0 && first != 1 {
			return false
		}
	}
	return n >= 2
}

// genericWords are the words of generic column names, lower case.
var genericWords = map[string]bool{
	"col": true, "column": true, "field": true, "f": true, "c": true, "_c": true, "v": true,
	"var": true, "x": true, "attr": true, "unnamed": true, "data": true, "value": true, "feld": true,
	"spalte": true, "columna": true, "colonne": true, "campo": true, "champ": true, "столбец": true, "поле": true,
}

// spreadsheetColumn reads a spreadsheet column name (A, B, ..., Z, AA) as
// a 0-based index.
func spreadsheetColumn(v []byte) (int, bool) {
	if len(v) == 0 || len(v) > 2 {
		return 0, false
	}
	n := 0
	for _, c := range v {
		if c < 'A' || c > 'Z' {
			return 0, false
		}
		n = n*26 + int(c-'A') + 1
	}
	return n - 1, true
}

// guessDelim finds the delimiter of a file whose format was given.
func guessDelim(f Format, text []byte) byte {
	lines := headLines(text, 400)
	switch f {
	case FormatTSV:
		return '\t'
	case FormatCSV:
		if d, w, _ := csvShape(lines); w >= 2 {
			return d
		}
		return ','
	case FormatCombo:
		var seps [256]int
		for _, l := range lines {
			if _, _, sep, reason := splitCombo(l); reason == "" {
				seps[sep]++
			}
		}
		return mostCommon(seps[:], ':')
	case FormatULP:
		var seps [256]int
		for _, l := range lines {
			if ok, sep := ulpEvidence(l); ok && sep != 0 {
				seps[sep]++
			}
		}
		return mostCommon(seps[:], ':')
	case FormatStealer:
		return ':'
	}
	return 0
}

// sniffCollector gathers, while the head is parsed, what describe reports.
type sniffCollector struct {
	tab     *table
	pos     []map[catalog.DataClass]int
	posSamp []map[catalog.DataClass]string
	order   []catalog.DataClass
	ordSamp []string
}

func (c *sniffCollector) setTable(t *table) {
	if c.tab == nil {
		c.tab = t
	}
}

// Record implements Sink.
func (c *sniffCollector) Record(r *Record) error {
	for i, f := range r.Fields {
		if i >= len(c.pos) {
			c.pos = append(c.pos, map[catalog.DataClass]int{})
			c.posSamp = append(c.posSamp, map[catalog.DataClass]string{})
		}
		c.pos[i][f.Class]++
		if _, ok := c.posSamp[i][f.Class]; !ok {
			c.posSamp[i][f.Class] = Mask(f.Class, f.Value)
		}
		seen := false
		for _, o := range c.order {
			if o == f.Class {
				seen = true
			}
		}
		if !seen {
			c.order = append(c.order, f.Class)
			c.ordSamp = append(c.ordSamp, Mask(f.Class, f.Value))
		}
	}
	return nil
}

// Quarantine implements Sink.
func (c *sniffCollector) Quarantine(*Quarantine) error { return nil }

// describe parses the head text to fill the header, column classes and
// samples.
func describe(sn *Sniffed, text []byte, base *config) {
	col := &sniffCollector{}
	cfg := *base
	cfg.format, cfg.delim, cfg.sniff = sn.Format, sn.Delimiter, col
	var st Stats
	em := &emitter{ctx: context.Background(), sink: col, st: &st}
	if err := run(context.Background(), bytes.NewReader(text), &cfg, em); err != nil {
		return
	}
	switch {
	case col.tab != nil:
		sn.Header, sn.Columns, sn.Samples, sn.ColumnReasons = col.tab.schema()
	case sn.Format == FormatStealer:
		sn.Columns, sn.Samples = col.order, col.ordSamp
	default:
		for i := range col.pos {
			best, n := catalog.ClassUnknown, -1
			for c, k := range col.pos[i] {
				if k > n || k == n && c < best {
					best, n = c, k
				}
			}
			sn.Columns = append(sn.Columns, best)
			sn.Samples = append(sn.Samples, col.posSamp[i][best])
		}
	}
	if sn.ColumnReasons == nil {
		sn.ColumnReasons = positionReasons(sn.Format, col.pos, sn.Columns)
	}
}
