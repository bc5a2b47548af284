package leakparse

import (
	"bytes"
	"encoding/base64"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/hashid"
)

// LDIF (RFC 2849), as ldapsearch and directory exports write it:
//
//	dn: uid=jdoe,ou=People,dc=example,dc=com
//	objectClass: inetOrgPerson
//	uid: jdoe
//	mail: jdoe@example.com
//	userPassword:: e1NTSEF9...
//
// Entries are separated by blank lines; a line starting with one space
// continues the line before it; "attr:: " values are base64, "attr:< "
// values are URLs of files (not read); '#' lines are comments. Attribute
// options ("cn;lang-en") are dropped. The dn names the entry but is not an
// account: uid and mail are.

// ldifNames classifies the attributes of the common LDAP schemas (core,
// cosine, inetOrgPerson, posixAccount, Samba, Active Directory) whose
// names classify.go does not know or would take for something else.
var ldifNames = nameClasses(map[catalog.DataClass]string{
	catalog.ClassUnknown: `dn objectclass changetype add replace delete increment newrdn deleteoldrdn newsuperior
		control version structuralobjectclass entryuuid entrycsn entrydn creatorsname modifiersname
		createtimestamp modifytimestamp hassubordinates subschemasubentry uidnumber gidnumber homedirectory
		loginshell jpegphoto photo thumbnailphoto usercertificate usercertificate;binary cacertificate
		usersmimecertificate userpkcs12 objectguid objectsid description memberof member uniquemember ou
		seealso manager secretary shadowlastchange shadowmin shadowmax shadowwarning shadowinactive
		shadowexpire shadowflag sambasid sambaprimarygroupsid sambaacctflags sambapwdlastset
		sambapwdcanchange sambapwdmustchange sambalogontime sambalogofftime sambakickofftime
		sambadomainname sambahomepath sambahomedrive sambalogonscript sambaprofilepath
		useraccountcontrol pwdlastset badpwdcount lastlogon lastlogontimestamp accountexpires
		primarygroupid samaccounttype instancetype objectcategory distinguishedname whencreated
		whenchanged usnchanged usncreated employeetype businesscategory preferredlanguage
		departmentnumber carlicense roomnumber`,
	catalog.ClassUsername:     `uid userid samaccountname userprincipalname`,
	catalog.ClassEmail:        `mail rfc822mailbox mailalternateaddress mailprimaryaddress othermailbox mailforwardingaddress maillocaladdress`,
	catalog.ClassName:         `cn commonname sn surname givenname gn displayname gecos initials`,
	catalog.ClassPassword:     `userpassword unicodepwd`,
	catalog.ClassPasswordHash: `authpassword sambantpassword sambalmpassword`,
	catalog.ClassPhone:        `telephonenumber mobile homephone pager facsimiletelephonenumber othertelephone ipphone othermobile`,
	catalog.ClassAddress:      `street streetaddress postaladdress postalcode l st homepostaladdress registeredaddress postofficebox`,
	catalog.ClassGeolocation:  `c co countryname`,
	catalog.ClassEmployer:     `o organizationname company`,
	catalog.ClassJobTitle:     `title`,
	catalog.ClassWebsite:      `labeleduri wwwhomepage url`,
	catalog.ClassIP:           `iphostnumber`,
})

type ldifParser struct {
	lr   *lineReader
	cfg  *config
	em   *emitter
	f    *fieldSet
	cur  []byte // the logical line being unfolded
	raw  []byte // its raw lines, up to maxRawTooLong bytes
	n    int64  // its first line
	skip bool   // the logical line is a comment, or too long
	over bool   // it passed MaxLine bytes
	dec  []byte
	val  []byte
}

// parseLDIF parses LDIF entries, one record per entry.
func parseLDIF(lr *lineReader, cfg *config, em *emitter) error {
	cfg = withNames(cfg, ldifNames)
	p := &ldifParser{lr: lr, cfg: cfg, em: em, f: newFieldSet(newTable(cfg, em, "", nil, true, true))}
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

func (p *ldifParser) line() error {
	lr := p.lr
	if lr.tooLong {
		if err := p.flushLine(); err != nil {
			return err
		}
		return p.f.quarantine(lr.n, ReasonTooLong, lr.raw)
	}
	t := lr.text
	if len(t) > 0 && t[0] == ' ' && (len(p.cur) > 0 || p.skip) {
		// A folded line: the rest of the line before.
		if p.f.open {
			p.f.addRaw(lr.raw)
		}
		if !p.skip {
			if len(p.cur)+len(t)-1 > MaxLine {
				p.skip, p.over = true, true
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
	switch {
	case len(s) == 0:
		p.em.st.Ignored++
		return p.f.end()
	case s[0] == '#':
		p.em.st.Ignored++
		p.skip = true // a folded comment goes on
		return nil
	case len(s) == 1 && s[0] == '-':
		// The end of one change of a changetype: modify entry.
		p.em.st.Ignored++
		return nil
	}
	p.cur = append(p.cur[:0], t...)
	p.raw = append(p.raw[:0], lr.raw[:min(len(lr.raw), maxRawTooLong)]...)
	p.n = lr.n
	return nil
}

// flushLine handles the logical line read so far.
func (p *ldifParser) flushLine() error {
	cur, skip, over := p.cur, p.skip, p.over
	p.cur, p.skip, p.over = p.cur[:0], false, false
	if len(cur) == 0 || skip && !over {
		return nil
	}
	if over {
		return p.f.quarantine(p.n, ReasonTooLong, p.raw)
	}
	i := indexByte(cur, ':')
	if i <= 0 {
		return p.f.badLine(p.n, p.raw)
	}
	attr := trim(cur[:i])
	if o := indexByte(attr, ';'); o > 0 {
		attr = attr[:o] // options: cn;lang-en, userCertificate;binary
	}
	if !ldifAttrName(attr) {
		return p.f.badLine(p.n, p.raw)
	}
	val := cur[i+1:]
	kind := byte(0)
	if len(val) > 0 && (val[0] == ':' || val[0] == '<') {
		kind, val = val[0], val[1:]
	}
	val = trim(val)
	if equalFold(attr, "dn") {
		// A dn starts an entry, even without the blank line before it.
		if err := p.f.end(); err != nil {
			return err
		}
		p.f.begin(p.n)
	} else if !p.f.open && (equalFold(attr, "version") || equalFold(attr, "search") || equalFold(attr, "result")) {
		// The version line, and the summary ldapsearch prints last.
		p.em.st.Ignored++
		return nil
	}
	p.f.ensure(p.n)
	p.f.addRaw(p.raw)
	switch kind {
	case '<':
		return nil // a file's URL: its content is not in the export
	case ':':
		var err error
		p.dec, err = appendBase64(p.dec[:0], val)
		if err != nil {
			return p.f.badLine(p.n, p.raw)
		}
		val = p.ldifBinary(attr, p.dec)
	}
	cls, _ := fieldClass(p.cfg, attr)
	switch {
	case cls == catalog.ClassPassword:
		// "{PLAIN}secret", "{CLEARTEXT.B64}c2VjcmV0": the password is
		// what follows the scheme. val is in p.val only as the hex of a
		// binary value, which AppendPlain leaves alone (no "{").
		if out, ok := hashid.AppendPlain(p.val[:0], val); ok {
			p.val, val = out, out
		}
	case cls == catalog.ClassAddress && bytes.IndexByte(val, '$') >= 0:
		// postalAddress lines are separated by '$'.
		p.val = p.val[:0]
		for _, c := range val {
			if c == '$' {
				p.val = append(p.val, ", "...)
			} else {
				p.val = append(p.val, c)
			}
		}
		val = p.val
	}
	p.f.add(attr, val)
	return nil
}

// ldifBinary turns a decoded base64 value into text: text as is; the
// UTF-16 quoted password of Active Directory's unicodePwd as the password;
// other binary values of password attributes as hex (a raw digest reads as
// a hash); other binary values (photos, certificates, GUIDs) as nothing.
func (p *ldifParser) ldifBinary(attr, v []byte) []byte {
	if utf8.Valid(v) && !hasControl(v) {
		return v
	}
	cls, _ := fieldClass(p.cfg, attr)
	if equalFold(attr, "unicodepwd") && len(v) >= 4 && len(v)%2 == 0 {
		u := make([]uint16, len(v)/2)
		for i := range u {
			u[i] = uint16(v[2*i]) | uint16(v[2*i+1])<<8
		}
		s := []byte(string(utf16.Decode(u)))
		if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
			s = s[1 : len(s)-1]
		}
		if utf8.Valid(s) && !hasControl(s) {
			return s
		}
	}
	if cls == catalog.ClassPassword || cls == catalog.ClassPasswordHash {
		p.val = appendHex(p.val[:0], v)
		return p.val
	}
	return nil
}

// ldifAttrName reports whether b is an attribute description: a name of
// letters, digits and '-' (or an OID), at most 64 bytes.
func ldifAttrName(b []byte) bool {
	if len(b) == 0 || len(b) > 64 {
		return false
	}
	for _, c := range b {
		if !(isLetter(c) || isDigit(c) || c == '-' || c == '.' || c == '_') {
			return false
		}
	}
	return true
}

// appendBase64 appends the decoding of standard base64 (white space
// ignored, padding optional).
func appendBase64(dst, src []byte) ([]byte, error) {
	var tmp []byte
	if bytes.ContainsAny(src, " \t\r\n") || len(src)%4 != 0 {
		tmp = make([]byte, 0, len(src)+3)
		for _, c := range src {
			if !isSpace[c] {
				tmp = append(tmp, c)
			}
		}
		for len(tmp)%4 != 0 {
			tmp = append(tmp, '=')
		}
		src = tmp
	}
	n := base64.StdEncoding.DecodedLen(len(src))
	off := len(dst)
	dst = append(dst, make([]byte, n)...)
	m, err := base64.StdEncoding.Decode(dst[off:], src)
	return dst[:off+m], err
}

// detectLDIF: entries starting with a dn: line whose value is a
// distinguished name (uid=...,dc=...) or base64, the first entry at the top
// of the file (after comments and a version: line), or dn: lines among
// mostly attribute lines.
func detectLDIF(lines [][]byte, ext string) (Format, string) {
	dns, attrs, first := 0, 0, -1
	for i, l := range lines {
		switch {
		case ldifDN(l):
			dns++
			attrs++
			if first < 0 {
				first = i
			}
		case l[0] == '#' || len(l) == 1 && l[0] == '-':
			attrs++
		default:
			if j := indexByte(l, ':'); j > 0 && (ldifAttrName(l[:j]) || indexByte(l[:j], ';') > 0) {
				attrs++
			}
		}
	}
	if dns == 0 {
		return "", ""
	}
	top := true
	for _, l := range lines[:first] {
		if l[0] != '#' && !hasPrefixFold(l, "version:") {
			top = false
		}
	}
	switch {
	case ext == ".ldif" || ext == ".ldf":
		return FormatLDIF, "file name " + ext + " and dn: lines"
	case top:
		return FormatLDIF, "starts with a dn: entry"
	case attrs*10 >= len(lines)*8:
		return FormatLDIF, "dn: entries of attribute lines"
	}
	return "", ""
}

// ldifDN reports whether a line is a dn: line holding a distinguished
// name or base64.
func ldifDN(l []byte) bool {
	if !hasPrefixFold(l, "dn:") {
		return false
	}
	v := l[3:]
	return len(v) > 0 && v[0] == ':' || indexByte(v, '=') > 0
}
