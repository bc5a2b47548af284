package leakparse

import (
	"bytes"
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

// Mailboxes (mbox: messages after "From sender date" lines) and message
// headers (.eml files, headers pasted one block after another):
//
//	From alice@example.com Mon Jan  8 09:12:44 2024
//	From: "Alice Smith" <alice@example.com>
//	To: Bob Jones <bob@example.net>, carol@example.org
//	Subject: minutes
//
//	body...
//
// A header block is a record of its addresses: those of the address
// headers (From, To, Cc, Reply-To, ...) as emails, their display names as
// names, and the X-Originating-IP. Other headers (Subject, Message-ID,
// Received) are not kept, and message bodies are not records: their lines
// are ignored up to the next message. Nothing in a mail header is a
// password.

// mboxAddrHeaders are the headers whose values are address lists.
var mboxAddrHeaders = map[string]bool{"from": true, "to": true, "cc": true, "bcc": true, "reply-to": true,
	"sender": true, "return-path": true, "delivered-to": true, "x-original-to": true, "envelope-to": true,
	"resent-from": true, "resent-to": true, "resent-cc": true, "resent-sender": true, "errors-to": true,
	"x-envelope-from": true, "x-envelope-to": true, "x-sender": true, "x-rcpt-to": true,
	"disposition-notification-to": true, "return-receipt-to": true, "mail-followup-to": true,
	"mail-reply-to": true, "envelope-from": true}

// mboxNames classifies the fields a header block yields: "<header>" holds
// addresses, "<header> name" display names.
var mboxNames = func() map[string]catalog.DataClass {
	m := map[string]catalog.DataClass{"x-originating-ip": catalog.ClassIP, "x-sender-ip": catalog.ClassIP}
	for h := range mboxAddrHeaders {
		m[h] = catalog.ClassEmail
		m[h+" name"] = catalog.ClassName
	}
	return m
}()

type mboxParser struct {
	lr      *lineReader
	em      *emitter
	f       *fieldSet
	inHead  bool   // in a header block
	blank   bool   // the line before was blank
	hdr     []byte // the header being unfolded
	key     []byte
	addrs   *mail.AddressParser
	scratch []byte
	seen    []string // the addresses of the header block, lower-cased
}

// parseMbox parses mailboxes and message headers, one record per header
// block.
func parseMbox(lr *lineReader, cfg *config, em *emitter) error {
	cfg = withNames(cfg, mboxNames)
	p := &mboxParser{lr: lr, em: em, f: newFieldSet(newTable(cfg, em, "", nil, true, true)), inHead: true, blank: true,
		addrs: &mail.AddressParser{}}
	for lr.next() {
		if err := p.line(); err != nil {
			return err
		}
	}
	if err := lr.errOrNil(); err != nil {
		return err
	}
	lr.finish()
	if err := p.endHeader(); err != nil {
		return err
	}
	return p.f.finish(cfg)
}

// mboxFrom reports whether a line is an mbox "From " separator and returns
// the envelope sender.
func mboxFrom(s []byte) ([]byte, bool) {
	if !bytes.HasPrefix(s, []byte("From ")) {
		return nil, false
	}
	rest := trim(s[5:])
	sender := rest
	if i := bytes.IndexAny(rest, " \t"); i >= 0 {
		sender = rest[:i]
	}
	return sender, len(sender) > 0
}

// traceHeader reports whether a line starts a header that opens a
// message (a header block pasted after a body, without mbox separator).
func traceHeader(s []byte) bool {
	return hasPrefixFold(s, "return-path:") || hasPrefixFold(s, "delivered-to:") || hasPrefixFold(s, "received:") ||
		hasPrefixFold(s, "x-original-to:")
}

func (p *mboxParser) line() error {
	lr := p.lr
	if lr.tooLong {
		if !p.inHead {
			p.em.st.Ignored++ // a long line of a body
			return nil
		}
		if err := p.endHeader(); err != nil {
			return err
		}
		return p.f.quarantine(lr.n, ReasonTooLong, lr.raw)
	}
	t := lr.text
	s := trim(t)
	blank := p.blank
	p.blank = len(s) == 0
	if sender, ok := mboxFrom(t); ok && (blank || p.inHead) {
		if err := p.endHeader(); err != nil {
			return err
		}
		p.inHead = true
		p.f.begin(lr.n)
		p.f.addRaw(lr.raw)
		if isEmail(sender) {
			p.addAddr([]byte("envelope-from"), sender)
		}
		return nil
	}
	if !p.inHead {
		if blank && traceHeader(s) {
			p.inHead = true
		} else {
			p.em.st.Ignored++
			return nil
		}
	}
	switch {
	case len(s) == 0:
		// The end of the header block: the body follows.
		p.em.st.Ignored++
		if p.f.open || len(p.hdr) > 0 {
			if err := p.endHeader(); err != nil {
				return err
			}
			p.inHead = false
		}
		return nil
	case (t[0] == ' ' || t[0] == '\t') && len(p.hdr) > 0:
		p.f.addRaw(lr.raw)
		if len(p.hdr)+len(s) >= MaxLine {
			p.f.over = true // quarantined whole: no address is dropped unseen
			return nil
		}
		p.hdr = append(p.hdr, ' ')
		p.hdr = append(p.hdr, s...)
		return nil
	}
	if err := p.header(); err != nil {
		return err
	}
	name, _, ok := lineLabel(s, 76)
	if !ok || bytes.IndexByte(name, ' ') >= 0 {
		p.f.ensure(lr.n)
		return p.f.badLine(lr.n, lr.raw)
	}
	p.f.ensure(lr.n)
	p.f.addRaw(lr.raw)
	p.hdr = append(p.hdr[:0], s...)
	return nil
}

// endHeader ends the header block read so far.
func (p *mboxParser) endHeader() error {
	if err := p.header(); err != nil {
		return err
	}
	p.seen = p.seen[:0]
	return p.f.end()
}

// addAddr adds an address, once per header block (From, Sender and
// Return-Path often repeat one).
func (p *mboxParser) addAddr(key, addr []byte) bool {
	if p.f.over {
		return false
	}
	for _, s := range p.seen {
		if len(s) == len(addr) && equalFold(addr, s) {
			return false
		}
	}
	p.seen = append(p.seen, strings.ToLower(string(addr)))
	p.f.add(key, addr)
	return true
}

// header handles the header unfolded so far.
func (p *mboxParser) header() error {
	h := p.hdr
	p.hdr = p.hdr[:0]
	if len(h) == 0 {
		return nil
	}
	name, val, ok := lineLabel(h, 76)
	if !ok {
		return nil
	}
	p.key = appendLower(p.key[:0], name)
	switch {
	case mboxAddrHeaders[string(p.key)]:
		p.addresses(val)
	case string(p.key) == "x-originating-ip" || string(p.key) == "x-sender-ip":
		p.f.add(p.key, bytes.Trim(val, "[] "))
	}
	return nil
}

// addresses adds the addresses of an address list and their display
// names; a list net/mail refuses (a bare "<>", a missing quote) gives the
// email addresses found in it.
func (p *mboxParser) addresses(val []byte) {
	key := p.key
	list, err := p.addrs.ParseList(string(val))
	if err != nil {
		for _, tok := range bytes.FieldsFunc(val, func(r rune) bool {
			return r == ',' || r == ';' || r == '<' || r == '>' || r == '"' || r == '\'' || r == ' ' || r == '\t' || r == '(' || r == ')'
		}) {
			if isEmail(tok) {
				p.addAddr(key, tok)
			}
		}
		return
	}
	for _, a := range list {
		addr := []byte(a.Address)
		if !isEmail(addr) || !utf8.Valid(addr) {
			continue
		}
		p.addAddr(key, addr)
		if n := strings.TrimSpace(a.Name); n != "" && !strings.EqualFold(n, a.Address) {
			// An encoded word may decode to bytes of another charset.
			name, _ := appendText(nil, []byte(n))
			p.scratch = append(append(p.scratch[:0], key...), " name"...)
			p.f.add(p.scratch, name)
		}
	}
}

// detectMbox: an mbox "From " line followed by headers, or a block of
// message headers.
func detectMbox(lines [][]byte, ext string) (Format, string) {
	first := lines[0]
	known := 0
	for _, l := range lines[:min(len(lines), 40)] {
		name, _, ok := lineLabel(l, 40)
		if !ok {
			continue
		}
		switch strings.ToLower(string(name)) {
		case "from", "to", "cc", "subject", "date", "message-id", "received", "return-path", "mime-version",
			"content-type", "delivered-to", "reply-to", "x-mailer", "in-reply-to", "references", "x-originating-ip":
			known++
		}
	}
	if sender, ok := mboxFrom(first); ok && (isEmail(sender) || bytes.Count(first, []byte(":")) >= 2) && known >= 2 {
		return FormatMbox, "mbox From lines and message headers"
	}
	if _, _, ok := lineLabel(first, 40); ok && known >= 3 {
		return FormatMbox, "message headers (From:, To:, Subject:, ...)"
	}
	if (ext == ".eml" || ext == ".mbox" || ext == ".mbx") && known >= 1 {
		return FormatMbox, "file name " + ext + " and message headers"
	}
	return "", ""
}
