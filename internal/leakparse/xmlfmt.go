package leakparse

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

// XML exports, read with encoding/xml's streaming Decoder:
//
//   - mysqldump --xml: <row><field name="email">...</field></row>, one
//     record per row, a table per <table_data name="...">; the
//     <table_structure> is skipped.
//   - KeePass 2 XML: every <Entry> is a record of its
//     <String><Key>UserName</Key><Value>...</Value></String> pairs (the
//     entries of an entry's <History> too). A <Value Protected="True"> is
//     encrypted (a .kdbx's inner XML), not a password, and is not kept;
//     ProtectInMemory="True" values of an export are plain text.
//   - phpMyAdmin's XML export: every <table name="..."> of a <database> is a
//     record of its <column name="...">s; the structure schemas are skipped.
//   - Any other XML: the record element is learnt from the file's head: the
//     shallowest element that repeats and holds fields (text-only child
//     elements, <key>/<value> pairs, or attributes). Its fields are named
//     by their element (or their name= attribute: <column name="email">),
//     nested ones by their path ("address.city"), and classified like the
//     keys of JSON.
//
// Input is bounded: a token (text, a tag) of more than MaxLine bytes, or
// elements nested more than maxXMLDepth deep, are errors. After an error
// the input is read again from the next record element, with a fresh
// Decoder; the part skipped is quarantined "bad-xml" (or "too-long").
// Bytes that are not UTF-8 are read as Windows-1252.

// maxXMLDepth bounds the nesting of elements.
const maxXMLDepth = 256

var (
	errXMLTooLong = errors.New("xml token too long")
	errXMLDepth   = errors.New("xml nested too deeply")
)

// xmlSource feeds the Decoder from a byteScanner, one byte at a time (the
// Decoder reads no further than it parses, so the scanner's position is
// the Decoder's), decoding bytes that are not UTF-8 as Windows-1252 and
// failing a token that runs past the budget.
type xmlSource struct {
	s      *byteScanner
	em     *emitter
	n      int // bytes read since the last token
	pend   []byte
	prefix []byte // synthetic input read first (after a resync)
	seq    [4]byte
	tok    []byte // the bytes of the current token, up to maxRawTooLong
}

func (x *xmlSource) ReadByte() (byte, error) {
	if len(x.prefix) > 0 {
		b := x.prefix[0]
		x.prefix = x.prefix[1:]
		return b, nil
	}
	if len(x.pend) > 0 {
		b := x.pend[0]
		x.pend = x.pend[1:]
		return b, nil
	}
	x.n++
	if x.n > MaxLine+maxBlock {
		return 0, errXMLTooLong
	}
	c := x.s.next()
	if c < 0 {
		if err := x.s.errOrNil(); err != nil {
			return 0, err
		}
		return 0, io.EOF
	}
	if len(x.tok) < maxRawTooLong {
		x.tok = append(x.tok, byte(c))
	}
	if c < 0x80 {
		return byte(c), nil
	}
	seq := append(x.seq[:0], byte(c))
	want := 0
	switch {
	case c >= 0xC2 && c <= 0xDF:
		want = 2
	case c >= 0xE0 && c <= 0xEF:
		want = 3
	case c >= 0xF0 && c <= 0xF4:
		want = 4
	}
	for len(seq) < want {
		d := x.s.peek()
		if d < 0x80 || d > 0xBF {
			break
		}
		seq = append(seq, byte(x.s.next()))
	}
	if len(seq) == want && utf8.Valid(seq) {
		x.pend = append(x.pend[:0], seq[1:]...)
		return seq[0], nil
	}
	x.em.latin1 = true
	x.pend = appendCP1252(x.pend[:0], seq)
	b := x.pend[0]
	x.pend = x.pend[1:]
	return b, nil
}

func (x *xmlSource) Read(p []byte) (int, error) {
	for i := range p {
		b, err := x.ReadByte()
		if err != nil {
			if i > 0 {
				return i, nil
			}
			return 0, err
		}
		p[i] = b
	}
	return len(p), nil
}

func newXMLDecoder(r io.Reader, html bool) *xml.Decoder {
	d := xml.NewDecoder(r)
	d.Strict = false
	d.Entity = xml.HTMLEntity
	if html {
		d.AutoClose = xml.HTMLAutoClose
	}
	// The input is UTF-8 (Parse transcodes UTF-16; other bytes are read
	// as Windows-1252 by xmlSource), whatever the declaration says.
	d.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	return d
}

type xmlMode uint8

const (
	xmlGeneric xmlMode = iota
	xmlMySQL
	xmlKeePass
	xmlPMA
)

// xmlLeaf is a field waiting for its element's parent to close: key and
// value in the parser's arena.
type xmlLeaf struct {
	keyOff, keyEnd int
	valOff, valEnd int
	protected      bool
	kv             bool // a <key>/<value> pair: its key is a field name, not a path
}

type xmlFrame struct {
	name      string
	path      string
	record    bool // a record element
	done      bool // a record whose fields were passed on early (a nested record began)
	hadRecord bool // it contained a record: its own fields are metadata
	kids      bool // it has element children
	leafStart int  // its children's leaves start here in leaves
	arenaMark int
	attrs     []xml.Attr
	line      int64
}

type xmlParser struct {
	s     *byteScanner
	cfg   *config
	em    *emitter
	src   *xmlSource
	dec   *xml.Decoder
	f     *fieldSet
	mode  xmlMode
	paths map[string]bool // record paths (generic mode)
	first string          // the first record path: where to read again after an error
	stack []xmlFrame
	text  []byte
	over  bool // a record's text passed MaxLine bytes
	skip  int  // depth inside a skipped subtree (table_structure, Meta), 0 if none
	rec   int  // index of the open record frame, -1 if none

	leaves []xmlLeaf
	arena  []byte
	key    []byte
}

// parseXML parses an XML export.
func parseXML(s *byteScanner, cfg *config, em *emitter) error {
	p := &xmlParser{s: s, cfg: cfg, em: em, rec: -1}
	p.f = newFieldSet(p.newTable(""))
	p.learn()
	p.src = &xmlSource{s: s, em: em}
	p.dec = newXMLDecoder(p.src, false)
	for {
		p.src.n, p.src.tok = 0, p.src.tok[:0]
		tok, err := p.dec.Token()
		if err == nil && len(p.stack) > maxXMLDepth {
			err = errXMLDepth
		}
		if err != nil {
			if rerr := s.errOrNil(); rerr != nil {
				return rerr
			}
			if err == io.EOF && len(p.stack) == 0 {
				break
			}
			more, qerr := p.recover(err)
			if qerr != nil {
				return qerr
			}
			if !more {
				break
			}
			continue
		}
		if err := p.token(tok); err != nil {
			return err
		}
	}
	s.finish()
	if err := p.f.end(); err != nil {
		return err
	}
	if cfg.sniff != nil {
		cfg.sniff.setTable(p.f.tab)
	}
	return p.f.tab.flush()
}

// line is the line of the input's position: that of the last byte read.
func (p *xmlParser) line() int64 {
	if p.s.lastNL && p.s.line > 1 {
		return p.s.line - 1
	}
	return p.s.line
}

// newTable starts a table (mysqldump makes one per table).
func (p *xmlParser) newTable(name string) *table {
	return newTable(p.cfg, p.em, name, nil, true, true)
}

// learn finds the record elements from the head of the input, without
// consuming it.
func (p *xmlParser) learn() {
	s := p.s
	if s.r == s.w {
		s.fill()
	}
	head := s.buf[s.r:s.w]
	// The head is what one read returned: at least SniffSize bytes when
	// Parse's reader has them buffered.
	l := learnXML(head)
	p.mode, p.paths, p.first = l.mode, l.paths, l.first
}

type xmlLearnt struct {
	mode  xmlMode
	paths map[string]bool
	first string
}

// learnXML reads a head of XML and tells the mode and record paths.
func learnXML(head []byte) xmlLearnt {
	var out xmlLearnt
	d := newXMLDecoder(bytes.NewReader(head), false)
	type frame struct {
		path            string
		kids, leafKids  int
		text, nameAttr  bool
		attrs, keyValue int
		leafName        string // the name of its field children, while they share it
		leafSame        bool
		emptyKids       int  // children without text nor attributes
		ident           bool // a field child names a login, an email, a phone or a password
	}
	var stack []frame
	count := map[string]int{}
	ident := map[string]bool{}
	var order []string
	for {
		tok, err := d.Token()
		if err != nil || len(stack) > maxXMLDepth {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			local := t.Name.Local
			if len(stack) == 0 {
				switch strings.ToLower(local) {
				case "mysqldump":
					out.mode, out.first = xmlMySQL, "mysqldump/database/table_data/row"
					return out
				case "keepassfile":
					out.mode, out.first = xmlKeePass, "KeePassFile/Root/Group/Entry"
					return out
				case "pma_xml_export":
					out.mode, out.first = xmlPMA, "pma_xml_export/database/table"
					return out
				}
			}
			path := local
			if len(stack) > 0 {
				parent := &stack[len(stack)-1]
				parent.kids++
				path = parent.path + "/" + local
			}
			fr := frame{path: path}
			for _, a := range t.Attr {
				switch {
				case xmlMetaAttr(a):
				case xmlKeyAttr(a.Name.Local):
					fr.nameAttr = true
				default:
					fr.attrs++
				}
			}
			stack = append(stack, fr)
		case xml.CharData:
			if len(stack) > 0 && len(bytes.TrimSpace(t)) > 0 {
				stack[len(stack)-1].text = true
			}
		case xml.EndElement:
			if len(stack) == 0 {
				break
			}
			fr := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			leaf := fr.kids == 0
			field := leaf && (fr.text || fr.nameAttr) || !leaf && fr.kids == 2 && fr.keyValue == 2
			candidate := !leaf && fr.leafKids > 0 && !field || leaf && !fr.text && !fr.nameAttr && fr.attrs > 0
			if len(stack) > 0 {
				parent := &stack[len(stack)-1]
				if field {
					if parent.leafKids == 0 {
						parent.leafName, parent.leafSame = t.Name.Local, true
					} else if parent.leafName != t.Name.Local {
						parent.leafSame = false
					}
					parent.leafKids++
					if c, known := classifyName(t.Name.Local); known && identityClass(c) {
						parent.ident = true
					}
				}
				if leaf && fr.text && xmlKVName(t.Name.Local) != 0 {
					parent.keyValue++
				}
				if leaf && !fr.text && !fr.nameAttr && fr.attrs == 0 {
					parent.emptyKids++
				}
			}
			path, n := fr.path, 1
			if candidate && fr.leafSame && fr.leafKids >= 3 && fr.kids == fr.leafKids+fr.emptyKids {
				// A list of values (<subscribers><email>...</email>
				// <email>...</email>...): each value is a record.
				path, n = fr.path+"/"+fr.leafName, fr.leafKids
			}
			if candidate {
				if count[path] == 0 {
					order = append(order, path)
				}
				count[path] += n
				ident[path] = ident[path] || fr.ident
			}
		}
	}
	pick := func(minCount int) {
		for _, path := range order {
			if count[path] < minCount {
				continue
			}
			nested := false
			for other := range out.paths {
				if strings.HasPrefix(path, other+"/") {
					nested = true
				}
			}
			if nested {
				continue
			}
			// A repeating element whose fields name no login nor
			// password around repeating elements whose fields do (a
			// KeePass 1.x <group> with a <title> around its <entry>s)
			// is a container: its children are the records.
			inner := false
			for other := range out.paths {
				if strings.HasPrefix(other, path+"/") && ident[other] && !ident[path] {
					inner = true
				}
			}
			if inner {
				continue
			}
			for other := range out.paths {
				if strings.HasPrefix(other, path+"/") {
					delete(out.paths, other)
				}
			}
			if out.paths == nil {
				out.paths = map[string]bool{}
			}
			out.paths[path] = true
		}
	}
	pick(2)
	if len(out.paths) == 0 {
		pick(1)
	}
	for _, path := range order {
		if out.paths[path] {
			out.first = path
			break
		}
	}
	return out
}

// xmlMetaAttr reports whether an attribute is XML machinery (namespaces,
// xsi:nil, xsi:type) rather than data.
func xmlMetaAttr(a xml.Attr) bool {
	return a.Name.Space == "xmlns" || a.Name.Local == "xmlns" || a.Name.Space == "http://www.w3.org/2001/XMLSchema-instance" ||
		a.Name.Space == "xsi"
}

// xmlKeyAttr reports whether an attribute names the field its element
// holds (<field name="email">, <column name="email">).
func xmlKeyAttr(local string) bool {
	switch strings.ToLower(local) {
	case "name", "key", "field", "column":
		return true
	}
	return false
}

// xmlKVName tells whether an element name is the key (1) or the value (2)
// of a key/value pair element, 0 otherwise.
func xmlKVName(local string) int {
	switch strings.ToLower(local) {
	case "key", "name", "field", "fieldname":
		return 1
	case "value", "val", "data":
		return 2
	}
	return 0
}

func xmlNil(attrs []xml.Attr) bool {
	for _, a := range attrs {
		if a.Name.Local == "nil" && (a.Value == "true" || a.Value == "1") {
			return true
		}
	}
	return false
}

// token handles one token of the Decoder.
func (p *xmlParser) token(tok xml.Token) error {
	switch t := tok.(type) {
	case xml.StartElement:
		if p.skip > 0 {
			p.skip++
			return nil
		}
		local := t.Name.Local
		if p.skipElement(local) {
			p.skip = 1
			return nil
		}
		if n := len(p.stack); n > 0 {
			p.stack[n-1].kids = true
		}
		path := local
		if n := len(p.stack); n > 0 {
			path = p.stack[n-1].path
			if len(path)+len(local) < 1024 {
				path += "/" + local
			}
		}
		fr := xmlFrame{name: local, path: path, leafStart: len(p.leaves), arenaMark: len(p.arena), line: p.line()}
		if len(t.Attr) > 0 {
			fr.attrs = make([]xml.Attr, 0, len(t.Attr))
			for _, a := range t.Attr {
				if !xmlMetaAttr(a) || a.Name.Local == "nil" {
					fr.attrs = append(fr.attrs, a)
				}
			}
		}
		if p.mode == xmlMySQL && strings.EqualFold(local, "table_data") {
			if err := p.f.end(); err != nil {
				return err
			}
			if len(p.f.tab.cols) > 0 || p.f.tab.emitted {
				if err := p.f.tab.flush(); err != nil {
					return err
				}
				if p.cfg.sniff != nil {
					p.cfg.sniff.setTable(p.f.tab) // Sniff describes the first table
				}
				p.f.tab = p.newTable(xmlAttr(t.Attr, "name"))
			}
		}
		if p.isRecord(local, path) {
			if p.rec >= 0 {
				// A record inside a record (an entry of a KeePass entry's
				// History): the outer one is passed on as it is now.
				if err := p.endRecord(p.rec, true); err != nil {
					return err
				}
			}
			fr.record = true
			fr.leafStart, fr.arenaMark = len(p.leaves), len(p.arena)
			p.rec = len(p.stack)
			p.f.begin(p.line())
			p.s.startCapture(maxBlock)
			// The start tag, read before the capture began (its '<' may
			// have been read with the token before).
			tag := trim(p.src.tok)
			if len(tag) == 0 || tag[0] != '<' {
				p.s.cap = append(p.s.cap, '<')
			}
			p.s.cap = append(p.s.cap, tag...)
			p.over = false
			for i := range p.stack {
				p.stack[i].hadRecord = true
			}
		}
		p.stack = append(p.stack, fr)
		p.text = p.text[:0]
	case xml.CharData:
		if p.skip > 0 || len(p.stack) == 0 || p.stack[len(p.stack)-1].kids {
			return nil
		}
		if len(p.text)+len(t) > MaxLine {
			p.over = true
			return nil
		}
		p.text = append(p.text, t...)
	case xml.EndElement:
		if p.skip > 0 {
			p.skip--
			return nil
		}
		return p.end()
	}
	return nil
}

// skipElement reports whether an element's subtree holds nothing of the
// records.
func (p *xmlParser) skipElement(local string) bool {
	switch p.mode {
	case xmlMySQL:
		return strings.EqualFold(local, "table_structure")
	case xmlKeePass:
		return len(p.stack) == 1 && (local == "Meta" || local == "DeletedObjects") ||
			p.rec >= 0 && (local == "Times" || local == "AutoType" || local == "CustomData" || local == "Binary")
	case xmlPMA:
		return local == "structure_schemas"
	}
	return false
}

// isRecord reports whether an element is a record.
func (p *xmlParser) isRecord(local, path string) bool {
	switch p.mode {
	case xmlMySQL:
		return strings.EqualFold(local, "row")
	case xmlKeePass:
		return local == "Entry"
	case xmlPMA:
		return local == "table" && len(p.stack) > 0 && p.stack[len(p.stack)-1].name == "database"
	}
	return p.paths[path]
}

func xmlAttr(attrs []xml.Attr, name string) string {
	for _, a := range attrs {
		if strings.EqualFold(a.Name.Local, name) {
			return a.Value
		}
	}
	return ""
}

// leaf adds a field waiting for its element's parent to close. Fields
// held at once are bounded: past MaxLine bytes an open record is
// quarantined as too-long, and a field outside records is quarantined on
// its own.
func (p *xmlParser) leaf(key []byte, val []byte, protected, kv bool) error {
	val = trim(val)
	if len(val) == 0 {
		return nil
	}
	if len(p.arena)+len(key)+len(val) > MaxLine {
		if p.rec >= 0 {
			p.over = true
			return nil
		}
		p.key = append(append(append(p.key[:0], key...), ": "...), val[:min(len(val), maxRawTooLong)]...)
		return p.f.tab.quarantine(p.line(), ReasonTooLong, p.key)
	}
	l := xmlLeaf{keyOff: len(p.arena), protected: protected, kv: kv}
	p.arena = append(p.arena, key...)
	l.keyEnd = len(p.arena)
	l.valOff = len(p.arena)
	p.arena = append(p.arena, val...)
	l.valEnd = len(p.arena)
	p.leaves = append(p.leaves, l)
	return nil
}

// end handles the end of the top element.
func (p *xmlParser) end() error {
	n := len(p.stack)
	if n == 0 {
		return nil
	}
	fr := &p.stack[n-1]
	var err error
	switch {
	case !fr.kids:
		err = p.endLeaf(fr)
	case fr.record || fr.done:
		err = p.endRecord(n-1, false)
	default:
		err = p.endBranch(fr)
	}
	p.stack = p.stack[:n-1]
	p.text = p.text[:0]
	return err
}

// endLeaf handles an element without element children: a field of its
// parent, or (with attributes and no text) a record or a group of fields.
func (p *xmlParser) endLeaf(fr *xmlFrame) error {
	text := trim(p.text)
	keyName, valAttr, protected := "", "", false
	var others []xml.Attr
	for _, a := range fr.attrs {
		switch l := strings.ToLower(a.Name.Local); {
		case xmlKeyAttr(l) && keyName == "":
			keyName = a.Value
		case l == "value" || l == "val" || l == "content":
			valAttr = a.Value
		case l == "protected":
			protected = strings.EqualFold(a.Value, "true")
		case l == "nil" || l == "protectinmemory" || l == "type":
		default:
			others = append(others, a)
		}
	}
	if xmlNil(fr.attrs) {
		text = nil
	}
	if fr.record {
		// A record of attributes: <user id="1" email="..."/>.
		for _, a := range fr.attrs {
			if !xmlMetaAttr(a) {
				if err := p.leaf([]byte(a.Name.Local), []byte(a.Value), false, false); err != nil {
					return err
				}
			}
		}
		if len(text) > 0 {
			if err := p.leaf([]byte(fr.name), text, false, false); err != nil {
				return err
			}
		}
		return p.endRecord(len(p.stack)-1, false)
	}
	parentIn := p.rec >= 0 || len(p.stack) > 1
	switch {
	case len(text) > 0 || valAttr != "":
		if len(text) == 0 {
			text = []byte(valAttr)
		}
		key := fr.name
		if keyName != "" {
			key = keyName
		}
		if err := p.leaf([]byte(key), text, protected, false); err != nil {
			return err
		}
	case len(others) > 0:
		// <profile email="..." phone="..."/>: a group of fields.
		for _, a := range others {
			key := fr.name + "." + a.Name.Local
			if err := p.leaf([]byte(key), []byte(a.Value), false, false); err != nil {
				return err
			}
		}
	}
	if !parentIn && p.mode == xmlGeneric {
		// The root alone: a record of one field.
		return p.fallback(fr)
	}
	return nil
}

// endBranch handles an element with element children that is not a
// record: a <key>/<value> pair becomes one field of its parent; the fields
// of any other element go to its parent under its name ("address.city"),
// or, outside records, make a record of their own.
func (p *xmlParser) endBranch(fr *xmlFrame) error {
	kids := p.leaves[fr.leafStart:]
	if len(kids) == 2 && !kids[0].kv && !kids[1].kv {
		k, v := kids[0], kids[1]
		kn, vn := xmlKVName(string(p.arena[k.keyOff:k.keyEnd])), xmlKVName(string(p.arena[v.keyOff:v.keyEnd]))
		if kn == 2 && vn == 1 {
			k, v, kn, vn = v, k, vn, kn
		}
		if kn == 1 && vn == 2 {
			// <String><Key>UserName</Key><Value>jdoe</Value></String>
			key := append([]byte(nil), p.arena[k.valOff:k.valEnd]...)
			val := append([]byte(nil), p.arena[v.valOff:v.valEnd]...)
			p.leaves, p.arena = p.leaves[:fr.leafStart], p.arena[:fr.arenaMark]
			return p.leaf(key, val, v.protected, true)
		}
	}
	if p.mode == xmlKeePass && p.rec < 0 {
		p.leaves, p.arena = p.leaves[:fr.leafStart], p.arena[:fr.arenaMark]
		return nil
	}
	if p.rec >= 0 {
		// Inside a record: prefix the fields with the element's name.
		if p.mode == xmlGeneric {
			for i := range kids {
				k := &kids[i]
				if k.kv {
					continue
				}
				off := len(p.arena)
				p.arena = append(p.arena, fr.name...)
				p.arena = append(p.arena, '.')
				p.arena = append(p.arena, p.arena[k.keyOff:k.keyEnd]...)
				k.keyOff, k.keyEnd = off, len(p.arena)
			}
		}
		return nil
	}
	if fr.hadRecord || p.mode != xmlGeneric {
		// Metadata of a container of records (an export date).
		p.leaves, p.arena = p.leaves[:fr.leafStart], p.arena[:fr.arenaMark]
		return nil
	}
	return p.fallback(fr)
}

// fallback passes the fields of an element outside records on as a record
// of their own: nothing is dropped because the head did not show its kind.
func (p *xmlParser) fallback(fr *xmlFrame) error {
	kids := p.leaves[fr.leafStart:]
	if len(kids) == 0 {
		return nil
	}
	// Its line is where it ends: records inside it, passed on first, began
	// after it.
	p.f.begin(p.line())
	for _, k := range kids {
		key, val := p.arena[k.keyOff:k.keyEnd], p.arena[k.valOff:k.valEnd]
		p.f.add(key, val)
		p.key = append(append(append(p.key[:0], key...), ": "...), val...)
		p.f.addRaw(p.key)
	}
	p.leaves, p.arena = p.leaves[:fr.leafStart], p.arena[:fr.arenaMark]
	return p.f.end()
}

// endRecord passes the record of frame i on: its attributes, then its
// fields in input order. early is true when a nested record begins.
func (p *xmlParser) endRecord(i int, early bool) error {
	fr := &p.stack[i]
	if fr.done {
		p.leaves, p.arena = p.leaves[:fr.leafStart], p.arena[:fr.arenaMark]
		return nil
	}
	f := p.f
	if fr.kids && p.mode == xmlGeneric {
		for _, a := range fr.attrs {
			if !xmlMetaAttr(a) {
				f.add([]byte(a.Name.Local), []byte(a.Value))
			}
		}
	}
	for _, k := range p.leaves[fr.leafStart:] {
		if k.protected {
			continue // encrypted in a .kdbx: not the password
		}
		if p.mode == xmlKeePass && !k.kv {
			continue // UUID, IconID, Tags: not data of the entry
		}
		f.add(p.arena[k.keyOff:k.keyEnd], p.arena[k.valOff:k.valEnd])
	}
	p.leaves, p.arena = p.leaves[:fr.leafStart], p.arena[:fr.arenaMark]
	p.s.stopCapture()
	f.raw = append(f.raw[:0], p.s.cap...)
	if p.over {
		f.over = true
	}
	p.rec = -1
	if early {
		fr.record, fr.done = false, true
		// The elements between the record and the nested one gave their
		// fields to it.
		for j := i + 1; j < len(p.stack); j++ {
			p.stack[j].leafStart, p.stack[j].arenaMark = len(p.leaves), len(p.arena)
		}
	}
	return f.end()
}

// recover quarantines the input from an error to the next record element
// and restarts the Decoder there; more is false at the end of the input.
func (p *xmlParser) recover(cause error) (more bool, err error) {
	line := p.line()
	reason := ReasonBadXML
	if errors.Is(cause, errXMLTooLong) {
		reason = ReasonTooLong
	}
	var raw []byte
	if p.rec >= 0 {
		line = p.stack[p.rec].line
		p.s.stopCapture()
		raw = append(raw, p.s.cap...)
	}
	// Forget the open record and elements.
	p.f.open = false
	p.stack, p.leaves, p.arena, p.text = p.stack[:0], p.leaves[:0], p.arena[:0], p.text[:0]
	p.rec, p.skip = -1, 0
	p.src.prefix, p.src.pend = nil, nil
	target := p.first
	name := target[strings.LastIndexByte(target, '/')+1:]
	found := false
	if name != "" {
		found = p.seek(name, &raw)
	} else {
		for c := p.s.next(); c >= 0; c = p.s.next() {
			if len(raw) < maxRawTooLong {
				raw = append(raw, byte(c))
			}
		}
	}
	if raw = trim(raw); len(raw) > 0 || !errors.Is(cause, io.EOF) && !errors.Is(cause, io.ErrUnexpectedEOF) {
		if err := p.f.tab.quarantine(line, reason, raw); err != nil {
			return false, err
		}
	}
	if !found {
		return false, nil
	}
	// Restart inside the record's ancestors, so that their end tags
	// match.
	var prefix []byte
	parts := strings.Split(target, "/")
	for _, a := range parts[:len(parts)-1] {
		prefix = append(prefix, '<')
		prefix = append(prefix, a...)
		prefix = append(prefix, '>')
	}
	prefix = append(prefix, '<')
	prefix = append(prefix, name...)
	p.src.prefix = prefix
	p.dec = newXMLDecoder(p.src, false)
	return true, nil
}

// seek consumes input up to and including "<name" followed by white
// space, '>' or '/', adding what it skips to raw (up to maxRawTooLong
// bytes). It reports whether it found one.
func (p *xmlParser) seek(name string, raw *[]byte) bool {
	pat := "<" + name
	k := 0
	for {
		c := p.s.next()
		if c < 0 {
			return false
		}
		if len(*raw) < maxRawTooLong {
			*raw = append(*raw, byte(c))
		}
		if k == len(pat) {
			if isSpace[c] || c == '>' || c == '/' {
				// Give the byte after the name back to the Decoder.
				if len(*raw) > 0 {
					*raw = (*raw)[:max(len(*raw)-len(pat)-1, 0)]
				}
				p.src.pend = append(p.src.pend[:0], byte(c))
				return true
			}
			k = 0
		}
		switch {
		case byte(c) == pat[k]:
			k++
		case c == '<':
			k = 1
		default:
			k = 0
		}
	}
}

// detectMarkup: a file that starts with markup and is HTML with a table,
// or XML (a declaration, or a root element whose end or children follow).
// HTML inside the values of a CSV or SQL dump (forum signatures, product
// descriptions) is not markup of the file.
func detectMarkup(text, first []byte) (Format, string) {
	if first[0] != '<' {
		return "", ""
	}
	if htmlTable(text) {
		return FormatHTML, "HTML <table> rows"
	}
	if hasPrefixFold(first, "<?xml") {
		return FormatXML, "XML declaration"
	}
	if hasPrefixFold(first, "<!doctype html") || hasPrefixFold(first, "<html") {
		return "", ""
	}
	if len(first) < 2 || !(isLetter(first[1]) || first[1] == '_' || first[1] == '!') {
		return "", ""
	}
	// Tags and their ends: XML, unless the text between tags is lines of
	// a combolist in an HTML page (left to the combolist reader).
	if bytes.Count(text, []byte("</"))+bytes.Count(text, []byte("/>")) >= 2 && bytes.Count(text, []byte("<br")) == 0 {
		return FormatXML, "XML elements"
	}
	return "", ""
}

// identityClass reports whether a field of class c makes a record of its
// element: a login, an email address, a phone number or a password.
func identityClass(c catalog.DataClass) bool {
	switch c {
	case catalog.ClassEmail, catalog.ClassUsername, catalog.ClassPhone, catalog.ClassPassword, catalog.ClassPasswordHash:
		return true
	}
	return false
}
