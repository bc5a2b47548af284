package leakparse

import (
	"bytes"
	"io"
	"mime/quotedprintable"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

// vCard 2.1, 3.0 and 4.0 (RFC 2426, RFC 6350), as phones and address books
// export them:
//
//	BEGIN:VCARD
//	VERSION:3.0
//	N:Doe;John;;;
//	FN:John Doe
//	EMAIL;TYPE=INTERNET,HOME:john.doe@example.com
//	TEL;TYPE=CELL:+1 555 010 0199
//	item1.ADR;TYPE=HOME:;;12 Main St;Springfield;IL;62701;USA
//	BDAY:1985-03-14
//	END:VCARD
//
// A card is a record. Lines starting with a space or tab continue the line
// before; quoted-printable values (vCard 2.1) continue after a final '='.
// Group prefixes ("item1.") and parameters are dropped; N and ADR are
// joined into a name and an address. A card holds contacts, not logins:
// no property of it is an account but EMAIL (and TEL, a phone number).

// vcardNames classifies the vCard properties.
var vcardNames = nameClasses(map[catalog.DataClass]string{
	catalog.ClassUnknown: `begin end version prodid uid rev note photo logo sound key categories tz lang source
		kind member related clientpidmap fburl caluri caladruri anniversary role class sort-string mailer
		agent label-type impp x-aim x-icq x-jabber x-msn x-yahoo x-skype x-skype-username x-gtalk
		x-google-talk x-twitter x-qq x-ablabel x-abuid x-abadr x-abshowas x-phonetic-first-name
		x-phonetic-last-name x-phonetic-middle-name x-ms-ol-default-postal-address x-ms-carddav
		x-android-custom x-evolution-file-as x-mozilla-html x-kaddressbook-x-imaddress
		x-kaddressbook-blogfeed x-abrelatednames x-activity-alert x-wa-biz-name x-wa-biz-description`,
	catalog.ClassEmail:       `email`,
	catalog.ClassPhone:       `tel`,
	catalog.ClassName:        `fn n nickname x-maiden-name`,
	catalog.ClassAddress:     `adr label`,
	catalog.ClassDateOfBirth: `bday`,
	catalog.ClassEmployer:    `org`,
	catalog.ClassJobTitle:    `title`,
	catalog.ClassWebsite:     `url x-socialprofile`,
	catalog.ClassGeolocation: `geo`,
	catalog.ClassGender:      `gender x-gender`,
})

type vcardParser struct {
	lr     *lineReader
	cfg    *config
	em     *emitter
	f      *fieldSet
	cur    []byte // the logical line being unfolded
	n      int64  // its first line
	raw    []byte // its raw lines, up to maxRawTooLong bytes
	qp     bool   // its value is quoted-printable: a final '=' continues it
	drop   bool   // its property is dropped: continuation lines are not kept
	over   bool   // it passed MaxLine bytes
	inCard bool
	val    []byte
	parts  [][]byte
}

// parseVCard parses vCards, one record per card.
func parseVCard(lr *lineReader, cfg *config, em *emitter) error {
	cfg = withNames(cfg, vcardNames)
	p := &vcardParser{lr: lr, cfg: cfg, em: em, f: newFieldSet(newTable(cfg, em, "", nil, true, true))}
	for lr.next() {
		if err := p.line(); err != nil {
			return err
		}
	}
	if err := lr.errOrNil(); err != nil {
		return err
	}
	lr.finish()
	if err := p.flushLine(); err != nil {
		return err
	}
	return p.f.finish(cfg)
}

func (p *vcardParser) line() error {
	lr := p.lr
	if lr.tooLong {
		if p.drop && len(p.cur) > 0 {
			return nil // a long line of a photo's base64
		}
		if err := p.flushLine(); err != nil {
			return err
		}
		return p.f.quarantine(lr.n, ReasonTooLong, lr.raw)
	}
	t := lr.text
	folded := len(t) > 0 && (t[0] == ' ' || t[0] == '\t') && len(p.cur) > 0
	if !folded && p.qp && len(p.cur) > 0 && p.cur[len(p.cur)-1] == '=' {
		folded = true // a soft line break of quoted-printable
		p.cur = p.cur[:len(p.cur)-1]
		t = append([]byte(" "), t...)
	}
	if folded {
		if p.inCard && len(p.f.raw) < maxBlock {
			p.f.addRaw(lr.raw)
		}
		if !p.drop && !p.over {
			if len(p.cur)+len(t) > MaxLine {
				p.over = true
			} else {
				p.cur = append(p.cur, t[1:]...)
				p.raw = append(p.raw, lr.raw[:min(len(lr.raw), max(maxRawTooLong-len(p.raw), 0))]...)
			}
		}
		return nil
	}
	if err := p.flushLine(); err != nil {
		return err
	}
	s := trim(t)
	if len(s) == 0 {
		p.em.st.Ignored++
		return nil
	}
	p.cur = append(p.cur[:0], s...)
	p.raw = append(p.raw[:0], lr.raw[:min(len(lr.raw), maxRawTooLong)]...)
	p.n = lr.n
	name, params, _, ok := splitVCardLine(p.cur)
	p.qp = ok && vcardParam(params, "encoding", "quoted-printable")
	cls, known := fieldClass(p.cfg, name)
	p.drop = ok && known && cls == catalog.ClassUnknown
	return nil
}

// splitVCardLine splits "group.NAME;PARAM=x;PARAM2=y:value" at the ':' that
// is not inside a quoted parameter value.
func splitVCardLine(s []byte) (name, params, val []byte, ok bool) {
	inQ := false
	for i, c := range s {
		switch {
		case c == '"':
			inQ = !inQ
		case c == ':' && !inQ:
			head := s[:i]
			name = head
			if j := indexByte(head, ';'); j >= 0 {
				name, params = head[:j], head[j:]
			}
			if j := bytes.LastIndexByte(name, '.'); j >= 0 {
				name = name[j+1:]
			}
			name = trim(name)
			if len(name) == 0 || !ldifAttrName(name) {
				return nil, nil, nil, false
			}
			return name, params, s[i+1:], true
		}
	}
	return nil, nil, nil, false
}

// vcardParam reports whether params (";TYPE=WORK;ENCODING=...") hold
// key=value, or the bare value (vCard 2.1 writes ";QUOTED-PRINTABLE").
func vcardParam(params []byte, key, value string) bool {
	for len(params) > 0 {
		if params[0] == ';' {
			params = params[1:]
		}
		j := indexByte(params, ';')
		p := params
		if j >= 0 {
			p, params = params[:j], params[j:]
		} else {
			params = nil
		}
		k, v := []byte(nil), p
		if e := indexByte(p, '='); e >= 0 {
			k, v = trim(p[:e]), trim(p[e+1:])
		}
		if (k == nil || equalFold(k, key)) && equalFold(trim(v), value) {
			return true
		}
	}
	return false
}

// flushLine handles the logical line read so far.
func (p *vcardParser) flushLine() error {
	cur, over := p.cur, p.over
	p.cur, p.over, p.qp, p.drop = p.cur[:0], false, false, false
	if len(cur) == 0 {
		return nil
	}
	name, params, val, ok := splitVCardLine(cur)
	switch {
	case ok && equalFold(name, "begin") && equalFold(trim(val), "vcard"):
		if err := p.f.end(); err != nil {
			return err
		}
		p.inCard = true
		p.f.begin(p.n)
		p.f.addRaw(p.raw)
		return nil
	case ok && equalFold(name, "end") && equalFold(trim(val), "vcard"):
		p.f.addRaw(p.raw)
		p.inCard = false
		return p.f.end()
	case !p.inCard:
		return p.f.quarantine(p.n, ReasonBadEntry, p.raw)
	case over:
		return p.f.quarantine(p.n, ReasonTooLong, p.raw)
	case !ok:
		p.f.ensure(p.n)
		return p.f.badLine(p.n, p.raw)
	}
	p.f.ensure(p.n)
	p.f.addRaw(p.raw)
	cls, known := fieldClass(p.cfg, name)
	if known && cls == catalog.ClassUnknown {
		return nil
	}
	v := val
	switch {
	case vcardParam(params, "encoding", "quoted-printable"):
		d, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(v)))
		if err == nil {
			v = d
		}
		v, _ = appendText(nil, v)
	case vcardParam(params, "encoding", "b") || vcardParam(params, "encoding", "base64"):
		d, err := appendBase64(nil, v)
		if err != nil {
			return nil
		}
		v, _ = appendText(nil, d)
	}
	switch {
	case equalFold(name, "n"):
		// Family;Given;Additional;Prefix;Suffix: "Given Additional Family".
		parts := p.components(v)
		p.val = p.val[:0]
		for _, i := range []int{1, 2, 0} {
			if i < len(parts) && len(parts[i]) > 0 {
				if len(p.val) > 0 {
					p.val = append(p.val, ' ')
				}
				p.val = append(p.val, parts[i]...)
			}
		}
		v = p.val
	case equalFold(name, "adr") || equalFold(name, "org"):
		// PO box;extended;street;locality;region;code;country, and
		// organisation;unit;unit.
		parts := p.components(v)
		p.val = p.val[:0]
		for _, part := range parts {
			if len(part) > 0 {
				if len(p.val) > 0 {
					p.val = append(p.val, ", "...)
				}
				p.val = append(p.val, part...)
			}
		}
		v = p.val
	default:
		p.val = vcardUnescape(p.val[:0], v)
		v = p.val
		for _, pre := range []string{"tel:", "mailto:"} {
			if hasPrefixFold(v, pre) {
				v = v[len(pre):]
				if i := indexByte(v, ';'); i > 0 && pre == "tel:" {
					v = v[:i] // ;ext=4 and other URI parameters
				}
			}
		}
	}
	p.f.add(name, v)
	return nil
}

// components splits a structured value at unescaped ';' and unescapes each
// part; an unescaped ',' inside a part separates values: it becomes a
// space.
func (p *vcardParser) components(v []byte) [][]byte {
	p.parts = p.parts[:0]
	var part []byte
	for i := 0; i <= len(v); i++ {
		switch {
		case i == len(v) || v[i] == ';':
			p.parts = append(p.parts, trim(part))
			part = nil
		case v[i] == '\\' && i+1 < len(v):
			i++
			if v[i] == 'n' || v[i] == 'N' {
				part = append(part, ' ')
			} else {
				part = append(part, v[i])
			}
		case v[i] == ',':
			part = append(part, ' ')
		default:
			part = append(part, v[i])
		}
	}
	return p.parts
}

// vcardUnescape appends v with the escapes of vCard text undone: "\,"
// "\;" "\\" and "\n" (a newline, written as ", ").
func vcardUnescape(dst, v []byte) []byte {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '\\' && i+1 < len(v) {
			i++
			switch v[i] {
			case 'n', 'N':
				dst = append(dst, ", "...)
			default:
				dst = append(dst, v[i])
			}
			continue
		}
		dst = append(dst, c)
	}
	return dst
}

// detectVCard: a BEGIN:VCARD line.
func detectVCard(lines [][]byte, ext string) (Format, string) {
	for _, l := range lines {
		if equalFold(l, "begin:vcard") {
			return FormatVCard, "BEGIN:VCARD cards"
		}
	}
	if ext == ".vcf" || ext == ".vcard" {
		for _, l := range lines {
			if hasPrefixFold(l, "begin:") || hasPrefixFold(l, "fn:") || hasPrefixFold(l, "version:") {
				return FormatVCard, "file name " + ext
			}
		}
	}
	return "", ""
}
