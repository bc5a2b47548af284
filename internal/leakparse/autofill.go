package leakparse

import (
	"bytes"
	"strings"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

// Infostealer side files: what a stealer takes besides saved passwords.
//
// Autofill files hold the values a browser remembers for form fields, as
// Name/Value pairs (RedLine, META) or "name value" lines (Raccoon, Vidar):
//
//	Name: email
//	Value: alice@example.com
//
//	email alice@example.com
//
// Each form field is a record of its own: the field's name (never an
// account) classifies its value. A value is a login only when its field's
// name says login, email or user: an address typed into a search box is
// not an account.
//
// System information files (UserInformation.txt, System.txt) are
// "Label: value" lines describing the victim's machine; a block of them
// is one record (IP address, country, hardware id). The computer's user
// name is not an online account and is not kept. Sections of plain lists
// ("Hardwares:", "[Processes]") are skipped.
//
// Cookie files (Netscape format: domain, flag, path, secure, expiry, name,
// value, tab separated) give one record per cookie: its site and its
// value, a cookie token, never a password.

// autofillNames classifies form field names and system information
// labels (under "system.").
var autofillNames = nameClasses(map[catalog.DataClass]string{
	catalog.ClassUsername: `identifier loginfmt userid user_id login_id loginid j_username logonid accountid
		signin_id emailorphone username_or_email login_or_email`,
	catalog.ClassUnknown: `q s query search searchterm search_query keyword keywords term text message comment
		captcha g-recaptcha-response csrf _token authenticity_token
		system.username system.user system.user~name system.build system.buildid system.build~id
		system.version system.path system.work~dir system.filelocation system.file~location
		system.windows system.os system.operation~system system.uac system.process~elevation
		system.elevated system.screensize system.display~resolution system.resolution
		system.language system.current~language system.display~language system.keyboard~languages
		system.guid system.log~date system.date system.local~time system.install~date
		system.timezone system.time~zone system.tag system.botnet`,
	catalog.ClassDeviceID: `system.hwid system.machineid system.machine~id system.computer~name
		system.computername system.pc~name system.pcname system.machinename system.machine~name
		system.hostname system.host~name`,
	catalog.ClassIP:          `system.ip system.ip~address system.ipaddress system.external~ip`,
	catalog.ClassGeolocation: `system.country system.location system.country~code system.city`,
	catalog.ClassAddress:     `system.zip~code system.zipcode system.zip system.postal~code`,
	catalog.ClassWebsite:     `cookie.domain`,
	catalog.ClassCookie:      `cookie.value`,
})

func init() {
	// nameClasses splits at white space; the names above spell their
	// spaces "~".
	for k, c := range autofillNames {
		if strings.Contains(k, `\`) {
			delete(autofillNames, k)
			autofillNames[strings.ReplaceAll(k, `\`, " ")] = c
		}
	}
}

// sysinfoLabels are the labels of stealer system information files that
// open a block of them.
var sysinfoLabels = map[string]bool{"ip": true, "ip address": true, "hwid": true, "machineid": true,
	"machine id": true, "build id": true, "build": true, "country": true, "location": true, "zip code": true,
	"timezone": true, "time zone": true, "log date": true, "operation system": true, "os": true,
	"windows": true, "computer name": true, "computername": true, "pc name": true, "machinename": true,
	"machine name": true, "filelocation": true, "file location": true, "screensize": true,
	"display resolution": true, "current language": true, "uac": true, "process elevation": true,
	"work dir": true, "local time": true, "keyboard languages": true, "guid": true, "version": true,
	"install date": true}

// pairNameLabels introduce the field name of a Name/Value pair.
var pairNameLabels = map[string]bool{"name": true, "form": true, "field": true, "fieldname": true,
	"field name": true, "input": true, "input name": true, "form name": true, "key": true}

type autofillParser struct {
	lr      *lineReader
	cfg     *config
	em      *emitter
	f       *fieldSet
	block   bool // a system information block is open
	section bool // in a section of plain lists: lines are skipped
	// A "Name:" line waiting for its "Value:".
	pending  bool
	pendN    int64
	pendRaw  []byte
	pendName []byte
	key      []byte
	lab      [48]byte
}

// parseAutofill parses infostealer side files.
func parseAutofill(lr *lineReader, cfg *config, em *emitter) error {
	cfg = withNames(cfg, autofillNames)
	p := &autofillParser{lr: lr, cfg: cfg, em: em, f: newFieldSet(newTable(cfg, em, "", nil, true, true))}
	for lr.next() {
		var err error
		s := trim(lr.text)
		switch {
		case lr.tooLong:
			if err = p.endAll(); err == nil {
				err = p.f.quarantine(lr.n, ReasonTooLong, lr.raw)
			}
		case len(s) == 0:
			// A blank line ends a block and a section.
			em.st.Ignored++
			p.section = false
			err = p.endBlock()
		case bytes.IndexByte(s, 0) >= 0:
			if err = p.endAll(); err == nil {
				err = p.f.quarantine(lr.n, ReasonBinary, lr.raw)
			}
		default:
			err = p.line(s)
		}
		if err != nil {
			return err
		}
	}
	if err := lr.errOrNil(); err != nil {
		return err
	}
	lr.finish()
	if err := p.flushPending(); err != nil {
		return err
	}
	return p.f.finish(cfg)
}

// line handles a non-blank line.
func (p *autofillParser) line(s []byte) error {
	lr := p.lr
	if isBlockSeparator(s) {
		p.em.st.Ignored++
		if err := p.flushPending(); err != nil {
			return err
		}
		p.section = false
		return p.endBlock()
	}
	if c, ok := cookieLine(s); ok {
		if err := p.endAll(); err != nil {
			return err
		}
		return p.cookie(c)
	}
	if s[0] == '#' || s[0] == '[' && s[len(s)-1] == ']' {
		// A comment, or a section of plain lists ("[Processes]").
		p.em.st.Ignored++
		if err := p.endAll(); err != nil {
			return err
		}
		p.section = s[0] == '['
		return nil
	}
	label, val, isLabel := lineLabel(s, 40)
	if p.pending {
		if isLabel && equalFold(label, "value") {
			p.pending = false
			p.f.begin(p.pendN)
			p.f.addRaw(p.pendRaw)
			p.f.addRaw(lr.raw)
			p.addEntry(p.pendName, val)
			return p.f.end()
		}
		if err := p.flushPending(); err != nil {
			return err
		}
	}
	if !isLabel {
		if p.section {
			p.em.st.Ignored++
			return nil
		}
		return p.keyValue(s)
	}
	lower := string(appendLower(p.lab[:0], label))
	switch {
	case len(val) == 0:
		// "Hardwares:", "Anti-Viruses:": a list follows.
		p.em.st.Ignored++
		if err := p.endBlock(); err != nil {
			return err
		}
		p.section = true
		return nil
	case p.section:
		p.em.st.Ignored++
		return nil
	case p.block || sysinfoLabels[lower]:
		if !p.block {
			p.block = true
			p.f.begin(lr.n)
		}
		p.f.addRaw(lr.raw)
		p.key = append(append(p.key[:0], "system."...), lower...)
		p.f.add(p.key, val)
		return nil
	case pairNameLabels[lower]:
		p.pending, p.pendN = true, lr.n
		p.pendRaw = append(p.pendRaw[:0], lr.raw...)
		p.pendName = append(p.pendName[:0], val...)
		return nil
	}
	p.f.begin(lr.n)
	p.f.addRaw(lr.raw)
	p.addEntry(label, val)
	return p.f.end()
}

// keyValue handles a "name value" line: one form field.
func (p *autofillParser) keyValue(s []byte) error {
	lr := p.lr
	i := bytes.IndexAny(s, " \t")
	if i <= 0 || i > 128 || !formFieldName(bytes.TrimSuffix(s[:i], []byte(":"))) {
		return p.f.quarantine(lr.n, ReasonBadEntry, lr.raw)
	}
	if err := p.endBlock(); err != nil {
		return err
	}
	p.f.begin(lr.n)
	p.f.addRaw(lr.raw)
	p.addEntry(bytes.TrimSuffix(s[:i], []byte(":")), trim(s[i+1:]))
	return p.f.end()
}

// addEntry adds a form field's value, unless it is an address under a
// name that does not say login, email or user.
func (p *autofillParser) addEntry(name, val []byte) {
	cls, known := fieldClass(p.cfg, name)
	if known && cls == catalog.ClassUnknown {
		p.f.add(name, val) // a column of the table, dropped by it
		return
	}
	if !known && isEmail(trim(val)) {
		return
	}
	p.f.add(name, val)
}

// flushPending handles a "Name:" line that no "Value:" line followed: a
// field called name.
func (p *autofillParser) flushPending() error {
	if !p.pending {
		return nil
	}
	p.pending = false
	if err := p.endBlock(); err != nil {
		return err
	}
	p.f.begin(p.pendN)
	p.f.addRaw(p.pendRaw)
	p.f.add([]byte("name"), p.pendName)
	return p.f.end()
}

// endBlock ends a system information block.
func (p *autofillParser) endBlock() error {
	if !p.block {
		return nil
	}
	p.block = false
	return p.f.end()
}

func (p *autofillParser) endAll() error {
	if err := p.flushPending(); err != nil {
		return err
	}
	p.section = false
	return p.endBlock()
}

// cookie adds a cookie line as a record of its site and value.
func (p *autofillParser) cookie(c [][]byte) error {
	p.f.begin(p.lr.n)
	p.f.addRaw(p.lr.raw)
	p.f.add([]byte("cookie.domain"), bytes.TrimPrefix(c[0], []byte(".")))
	p.f.add([]byte("cookie.value"), c[6])
	return p.f.end()
}

// cookieLine splits a line of a Netscape cookie file: domain, include
// subdomains (TRUE/FALSE), path, secure (TRUE/FALSE), expiry, name, value.
// A "#HttpOnly_" prefix marks an HTTP-only cookie.
func cookieLine(s []byte) ([][]byte, bool) {
	if bytes.Count(s, []byte{'\t'}) < 6 {
		return nil, false
	}
	s = bytes.TrimPrefix(s, []byte("#HttpOnly_"))
	f := bytes.SplitN(s, []byte{'\t'}, 7)
	if len(f) != 7 || !isBool(f[1]) || !isBool(f[3]) || len(f[0]) == 0 || !allDigits(bytes.TrimPrefix(trim(f[4]), []byte("-"))) {
		return nil, false
	}
	return f, true
}

// labelEvidence reports whether a "Name: value" line whose name is of
// class c shows a file of labelled fields rather than a combolist: a
// login or password name proves nothing ("admin:admin", "user1:@pass" are
// entries of a combolist), and an email or phone name proves it only when
// its value is one ("email:abc123" is a login and its password).
func labelEvidence(c catalog.DataClass, val []byte) bool {
	switch c {
	case catalog.ClassUnknown, catalog.ClassUsername, catalog.ClassPassword, catalog.ClassPasswordHash:
		return false
	case catalog.ClassEmail, catalog.ClassPhone:
		return valueKind(val) == c
	}
	return len(val) > 0
}

func isBool(b []byte) bool { return equalFold(b, "true") || equalFold(b, "false") }

// formFieldName reports whether b can be the name of a form field:
// letters, digits and _-.[]$ with a letter, at most 128 bytes.
func formFieldName(b []byte) bool {
	letter := false
	for _, c := range b {
		switch {
		case isLetter(c) || c >= 0x80:
			letter = true
		case isDigit(c) || c == '_' || c == '-' || c == '.' || c == '[' || c == ']' || c == '$':
		default:
			return false
		}
	}
	return letter && len(b) <= 128
}

// detectAutofill: cookie files, Name/Value pairs, system information
// labels, or "name value" and "Name: value" lines whose names are known
// form fields; never blocks of login and password labels (a stealer's
// Passwords.txt), whose pairs must stay together.
func detectAutofill(lines [][]byte, base string) (Format, string) {
	if bytes.Contains(lines[0], []byte("HTTP Cookie File")) {
		return FormatAutofill, "Netscape cookie file"
	}
	var cookies, pairs, sys, labelled, kv, agree, site, login, pass int
	keys := map[string]bool{}
	sysSeen := map[string]bool{}
	var tmp [48]byte
	for i, l := range lines {
		if _, ok := cookieLine(l); ok {
			cookies++
			continue
		}
		switch k, _ := stealerLabel(l); k {
		case labelSite:
			site++
		case labelLogin:
			login++
		case labelPass:
			pass++
		}
		label, val, ok := lineLabel(l, 40)
		if ok {
			lower := string(appendLower(tmp[:0], label))
			if pairNameLabels[lower] && i+1 < len(lines) {
				if l2, _, ok2 := lineLabel(lines[i+1], 40); ok2 && equalFold(l2, "value") {
					pairs++
				}
			}
			if sysinfoLabels[lower] && len(val) > 0 && !sysSeen[lower] {
				sysSeen[lower] = true
				sys++
			}
			if c, known := classifyName(lower); known && labelEvidence(c, val) {
				labelled++
			}
			continue
		}
		if j := bytes.IndexAny(l, " \t"); j > 0 && formFieldName(l[:j]) {
			name := strings.ToLower(string(l[:j]))
			if c, known := classifyName(name); known && c != catalog.ClassUnknown {
				kv++
				keys[name] = true
				// The value is what the name says: an address under
				// "email", a phone number under "tel", words under "name".
				v := trim(l[j:])
				if k := valueKind(v); k == c && k != catalog.ClassUnknown || c == catalog.ClassName && bytes.IndexByte(v, ' ') > 0 {
					agree++
				}
			}
		}
	}
	n := len(lines)
	switch {
	case pass > 0 && (site > 0 || login > 0):
		// Credential blocks: a stealer's Passwords.txt, not form fields.
		return "", ""
	case cookies >= 2 && cookies*2 >= n:
		return FormatAutofill, "Netscape cookie lines"
	case pairs >= 2 && pairs*4 >= n:
		return FormatAutofill, "autofill Name:/Value: pairs"
	case sys >= 3:
		return FormatAutofill, "infostealer system information labels"
	case strings.Contains(base, "autofill") && (pairs > 0 || labelled+kv > 0):
		return FormatAutofill, "autofill file name"
	case kv >= 3 && kv*10 >= n*6 && (len(keys)*2 <= kv || agree*3 >= kv):
		return FormatAutofill, "autofill name value lines"
	case labelled >= 3 && labelled*10 >= n*6:
		return FormatAutofill, "autofill Name: value lines"
	}
	return "", ""
}
