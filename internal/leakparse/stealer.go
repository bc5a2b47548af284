package leakparse

import (
	"github.com/leakwatch/leakwatch/internal/catalog"
)

// maxBlock bounds the bytes of one Passwords.txt block.
const maxBlock = 64 << 10

type labelKind uint8

const (
	labelNone labelKind = iota
	labelSite
	labelLogin
	labelPass
	labelSoft
	labelOther
)

// stealerLabels maps the lower-cased labels of the stealer families to
// what they introduce.
var stealerLabels = map[string]labelKind{
	"url": labelSite, "host": labelSite, "hostname": labelSite, "site": labelSite, "link": labelSite,
	"website": labelSite, "origin": labelSite, "url/host": labelSite, "domain": labelSite, "target": labelSite,
	"username": labelLogin, "user": labelLogin, "login": labelLogin, "user name": labelLogin,
	"user login": labelLogin, "login name": labelLogin, "email": labelLogin, "e-mail": labelLogin,
	"mail": labelLogin, "usr": labelLogin, "account": labelLogin,
	"password": labelPass, "pass": labelPass, "pwd": labelPass, "passwd": labelPass, "pass word": labelPass,
	"soft": labelSoft, "application": labelSoft, "browser": labelSoft, "software": labelSoft, "app": labelSoft,
	"softname": labelSoft, "soft name": labelSoft,
	"profile": labelOther, "storage": labelOther, "filename": labelOther, "file": labelOther,
	"created": labelOther, "date": labelOther, "id": labelOther, "type": labelOther, "note": labelOther,
}

// stealerLabel splits a "Label: value" line.
func stealerLabel(s []byte) (labelKind, []byte) {
	i := indexByte(s, ':')
	if i <= 0 || i > 24 {
		return labelNone, nil
	}
	var tmp [24]byte
	lab := trim(s[:i])
	for _, c := range lab {
		if !isLetter(c) && c != ' ' && c != '/' && c != '-' && c != '_' {
			return labelNone, nil
		}
	}
	k := stealerLabels[string(appendLower(tmp[:0], lab))]
	return k, trim(s[i+1:])
}

// isBlockSeparator reports whether a trimmed line separates blocks: a run
// of at least three '=', '-', '*', '_', '#' or '~'.
func isBlockSeparator(s []byte) bool {
	if len(s) < 3 {
		return false
	}
	c := s[0]
	if c != '=' && c != '-' && c != '*' && c != '_' && c != '#' && c != '~' {
		return false
	}
	for _, d := range s {
		if d != c {
			return false
		}
	}
	return true
}

type stealerBlock struct {
	em       *emitter
	start    int64
	lines    int64
	raw      []byte
	vals     []byte
	spans    []stealerSpan
	haveSite bool
	haveCred bool
	tooLong  bool
	rec      Record
	fields   []Field
}

type stealerSpan struct {
	kind     labelKind
	off, end int
}

// parseStealer parses the Passwords.txt files of infostealer logs: blocks
// of "Label: value" lines, one record per block.
func parseStealer(lr *lineReader, em *emitter) error {
	b := &stealerBlock{em: em}
	for lr.next() {
		if lr.tooLong {
			if err := b.end(); err != nil {
				return err
			}
			if err := em.quarantine(lr.n, ReasonTooLong, lr.raw); err != nil {
				return err
			}
			continue
		}
		s := trim(lr.text)
		if len(s) == 0 || isBlockSeparator(s) {
			if err := b.end(); err != nil {
				return err
			}
			em.st.Ignored++
			continue
		}
		kind, val := stealerLabel(s)
		// A URL after a complete entry starts the next one (logs without
		// separators).
		if kind == labelSite && b.haveSite && b.haveCred {
			if err := b.end(); err != nil {
				return err
			}
		}
		b.add(lr.n, lr.raw, kind, val)
	}
	if err := lr.errOrNil(); err != nil {
		return err
	}
	lr.finish()
	return b.end()
}

func (b *stealerBlock) add(n int64, raw []byte, kind labelKind, val []byte) {
	if b.lines == 0 {
		b.start = n
	}
	b.lines++
	if len(b.raw)+len(raw)+1 > maxBlock {
		b.tooLong = true
	} else {
		if len(b.raw) > 0 {
			b.raw = append(b.raw, '\n')
		}
		b.raw = append(b.raw, raw...)
	}
	if kind == labelNone || kind == labelOther || len(val) == 0 || b.tooLong {
		if kind != labelNone && len(b.spans) == 0 {
			b.spans = append(b.spans, stealerSpan{kind: labelOther})
		}
		return
	}
	off := len(b.vals)
	switch kind {
	case labelSite:
		b.vals = appendWebsite(b.vals, val)
		b.haveSite = true
	default:
		b.vals = append(b.vals, val...)
		if kind == labelLogin || kind == labelPass {
			b.haveCred = true
		}
	}
	b.spans = append(b.spans, stealerSpan{kind: kind, off: off, end: len(b.vals)})
}

// end emits the block read so far, if any.
func (b *stealerBlock) end() error {
	if b.lines == 0 {
		return nil
	}
	defer func() {
		b.lines, b.raw, b.vals, b.spans = 0, b.raw[:0], b.vals[:0], b.spans[:0]
		b.haveSite, b.haveCred, b.tooLong = false, false, false
	}()
	if b.tooLong {
		return b.em.quarantine(b.start, ReasonTooLong, b.raw)
	}
	if len(b.spans) == 0 {
		return b.em.quarantine(b.start, ReasonNoFields, b.raw)
	}
	b.fields = b.fields[:0]
	login := false
	for _, sp := range b.spans {
		v := b.vals[sp.off:sp.end]
		var cls catalog.DataClass
		switch sp.kind {
		case labelSite:
			cls = catalog.ClassWebsite
		case labelLogin:
			cls = loginClass(v)
			login = true
		case labelPass:
			cls = passwordClass(v)
		case labelSoft:
			cls = catalog.ClassAppSoftware
		default:
			continue
		}
		b.fields = append(b.fields, Field{Class: cls, Value: v})
	}
	if !login {
		return b.em.quarantine(b.start, ReasonNoIdentifier, b.raw)
	}
	b.rec.Line = b.start
	b.rec.Fields = b.fields
	return b.em.record(&b.rec)
}
