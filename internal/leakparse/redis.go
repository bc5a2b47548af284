package leakparse

import (
	"bytes"
	"encoding/json"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

// redis-cli output, as pasted from a terminal:
//
//	127.0.0.1:6379> HGETALL user:1001
//	1) "email"
//	2) "alice@example.com"
//	3) "password"
//	4) "$2y$10$..."
//	127.0.0.1:6379> KEYS user:*
//	1) "user:alice@example.com"
//	2) "user:bob@example.net"
//
// A reply is the run of numbered items after a prompt (or after the items
// of the reply before: a new "1)" starts a new one). A reply of field/value
// pairs (HGETALL, CONFIG GET: an even number of items whose odd items are
// field names) is one record; the items of any other reply (KEYS, SMEMBERS,
// LRANGE, MGET) are records of their own, each classified by its content: a JSON
// object is a record of its keys, a key such as "user:alice@example.com"
// gives its address. Items are unquoted as redis-cli quotes them (\" \\
// \n \xHH). "(integer) 5", "(nil)" and "(empty array)" items are values
// or nothing; a quoted line without number is a reply of one item (GET).

// maxRedisItems bounds the items of one reply kept to decide whether it
// is a reply of pairs; a longer reply is a list.
const maxRedisItems = 4096

type redisItem struct {
	null     bool // (nil), (empty array): no value
	line     int64
	off, end int // into vals
	rawOff   int // into raw
	rawEnd   int
}

type redisParser struct {
	lr    *lineReader
	cfg   *config
	em    *emitter
	f     *fieldSet
	items []redisItem
	vals  []byte
	raw   []byte
	hash  bool // the reply's command returns field/value pairs
	top   int  // the last top-level item number of the reply
	list  bool // the reply was found to be a list: its items were passed on
	over  bool // a reply of pairs passed maxRedisItems or MaxLine bytes: quarantined as too-long
	flat  jsonFlattener
}

// parseRedis parses redis-cli output.
func parseRedis(lr *lineReader, cfg *config, em *emitter) error {
	p := &redisParser{lr: lr, cfg: cfg, em: em, f: newFieldSet(newTable(cfg, em, "", nil, true, true))}
	for lr.next() {
		if err := p.line(); err != nil {
			return err
		}
	}
	if err := lr.errOrNil(); err != nil {
		return err
	}
	lr.finish()
	if err := p.endReply(); err != nil {
		return err
	}
	return p.f.finish(cfg)
}

// redisPrompt reports whether a line is a redis-cli prompt
// ("127.0.0.1:6379> ", "redis 127.0.0.1:6379[2]> ", "localhost:6379> ")
// and returns the command typed after it.
func redisPrompt(s []byte) ([]byte, bool) {
	i := bytes.Index(s, []byte("> "))
	if i < 0 {
		if len(s) > 0 && s[len(s)-1] == '>' {
			i = len(s) - 1
		} else {
			return nil, false
		}
	}
	host := s[:i]
	if bytes.HasPrefix(host, []byte("redis ")) {
		host = host[6:]
	}
	if equalFold(host, "redis") || equalFold(host, "not connected") {
		return trim(s[min(i+2, len(s)):]), true
	}
	c := bytes.LastIndexByte(host, ':')
	if c <= 0 {
		return nil, false
	}
	port := host[c+1:]
	if j := indexByte(port, '['); j > 0 && port[len(port)-1] == ']' {
		port = port[:j]
	}
	if !allDigits(port) || bytes.IndexAny(host[:c], " \"'{") >= 0 {
		return nil, false
	}
	return trim(s[min(i+2, len(s)):]), true
}

// redisNumber strips the leading item numbers of a line ("1) ", " 2) 1) ")
// and reports the indentation and number of the first.
func redisNumber(s []byte) (rest []byte, indent, num int, ok bool) {
	i := 0
	for i < len(s) && s[i] == ' ' {
		i++
	}
	indent, num = i, -1
	for {
		j := i
		n := 0
		for j < len(s) && isDigit(s[j]) && j-i < 9 {
			n = n*10 + int(s[j]-'0')
			j++
		}
		if j == i || j+1 >= len(s) || s[j] != ')' || s[j+1] != ' ' {
			break
		}
		if num < 0 {
			num = n
		}
		i = j + 2
		for i < len(s) && s[i] == ' ' {
			i++
		}
	}
	if num < 0 {
		return s, 0, 0, false
	}
	return s[i:], indent, num, true
}

// redisUnquote appends the value of a redis-cli item: a quoted string
// unescaped, "(integer) N" as N, "(nil)" and "(empty ...)" as nothing.
func redisUnquote(dst, s []byte) ([]byte, bool) {
	switch {
	case hasPrefixFold(s, "(integer) "):
		return append(dst, trim(s[10:])...), true
	case hasPrefixFold(s, "(double) "):
		return append(dst, trim(s[9:])...), true
	case len(s) > 0 && s[0] == '(':
		return dst, false // (nil), (empty array), (error) ...
	case len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"':
		return append(dst, s...), true // --raw output, or a cut line
	}
	s = s[1 : len(s)-1]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			dst = append(dst, c)
			continue
		}
		i++
		switch s[i] {
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'a':
			dst = append(dst, 7)
		case 'b':
			dst = append(dst, 8)
		case 'x':
			if i+2 < len(s) && isHexByte[s[i+1]] && isHexByte[s[i+2]] {
				dst = append(dst, unhex(s[i+1])<<4|unhex(s[i+2]))
				i += 2
			} else {
				dst = append(dst, '\\', 'x')
			}
		default:
			dst = append(dst, s[i])
		}
	}
	return dst, true
}

func (p *redisParser) line() error {
	lr := p.lr
	if lr.tooLong {
		if err := p.endReply(); err != nil {
			return err
		}
		return p.f.quarantine(lr.n, ReasonTooLong, lr.raw)
	}
	s := trim(lr.text)
	if len(s) == 0 {
		p.em.st.Ignored++
		return nil
	}
	if cmd, ok := redisPrompt(s); ok {
		p.em.st.Ignored++
		if err := p.endReply(); err != nil {
			return err
		}
		verb := cmd
		if i := indexByte(cmd, ' '); i >= 0 {
			verb = cmd[:i]
		}
		p.hash = equalFold(verb, "hgetall") || equalFold(verb, "config")
		return nil
	}
	rest, indent, num, ok := redisNumber(bytes.TrimRight(lr.text, " \t"))
	if !ok {
		switch {
		case s[0] == '"':
			// A reply of one item (GET).
			if err := p.endReply(); err != nil {
				return err
			}
			p.item(s)
			return p.endReply()
		case s[0] == '(' || equalFold(s, "ok") || equalFold(s, "queued"):
			p.em.st.Ignored++
			return p.endReply()
		}
		if err := p.endReply(); err != nil {
			return err
		}
		return p.f.quarantine(lr.n, ReasonBadEntry, lr.raw)
	}
	if indent <= 3 && num > 0 && (num == 1 || num != p.top+1) && len(p.items)+btoi(p.list) > 0 {
		if err := p.endReply(); err != nil {
			return err
		}
	}
	if indent <= 3 {
		p.top = num
	}
	if len(p.items) >= maxRedisItems || len(p.vals)+len(rest) > MaxLine {
		if p.hash {
			p.over = true
			return nil
		}
		// A long reply is a list: its items are passed on now.
		if err := p.asList(); err != nil {
			return err
		}
	}
	p.item(rest)
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// item adds an item to the reply.
func (p *redisParser) item(s []byte) {
	off := len(p.vals)
	var ok bool
	p.vals, ok = redisUnquote(p.vals, trim(s))
	if !ok {
		p.vals = p.vals[:off]
	}
	null := !ok
	rawOff := len(p.raw)
	if len(p.raw)+len(p.lr.raw) <= maxBlock {
		p.raw = append(p.raw, p.lr.raw...)
	}
	p.items = append(p.items, redisItem{null: null, line: p.lr.n, off: off, end: len(p.vals), rawOff: rawOff, rawEnd: len(p.raw)})
}

// endReply passes the reply read so far on.
func (p *redisParser) endReply() error {
	defer func() {
		p.items, p.vals, p.raw = p.items[:0], p.vals[:0], p.raw[:0]
		p.hash, p.top, p.list, p.over = false, 0, false, false
	}()
	if p.over && len(p.items) > 0 {
		return p.f.quarantine(p.items[0].line, ReasonTooLong, p.raw)
	}
	if len(p.items) == 0 {
		return nil
	}
	if !p.list && p.pairs() {
		f := p.f
		f.begin(p.items[0].line)
		for i := 0; i+1 < len(p.items); i += 2 {
			k, v := p.items[i], p.items[i+1]
			f.addRaw(p.raw[k.rawOff:k.rawEnd])
			f.addRaw(p.raw[v.rawOff:v.rawEnd])
			f.add(p.vals[k.off:k.end], p.text(p.vals[v.off:v.end]))
		}
		return f.end()
	}
	return p.asList()
}

// asList passes each item read so far on as a record of its own.
func (p *redisParser) asList() error {
	p.list = true
	for _, it := range p.items {
		if err := p.listItem(it); err != nil {
			return err
		}
	}
	p.items, p.vals, p.raw = p.items[:0], p.vals[:0], p.raw[:0]
	return nil
}

// text makes a value UTF-8 text (redis-cli escapes every non-ASCII byte).
func (p *redisParser) text(v []byte) []byte {
	out, latin := appendText(nil, v)
	if latin {
		p.em.latin1 = true
	}
	return out
}

var redisValueKey = []byte(jsonScalarKey)

// redisItemKey names the column of a list item by what it holds: the items
// of one list are of any kind (MGET, HMGET), so each is classified alone.
func redisItemKey(v []byte) []byte {
	switch valueKind(v) {
	case catalog.ClassEmail:
		return []byte("email")
	case catalog.ClassPhone:
		return []byte("phone")
	case catalog.ClassIP:
		return []byte("ip")
	case catalog.ClassWebsite:
		return []byte("url")
	case catalog.ClassPasswordHash:
		return []byte("hash")
	case catalog.ClassCreditCard:
		return []byte("card number")
	case catalog.ClassDeviceID:
		return []byte("imei")
	}
	return redisValueKey
}

// listItem passes one item of a list on.
func (p *redisParser) listItem(it redisItem) error {
	if it.null {
		p.em.st.Ignored++
		return nil
	}
	v := trim(p.vals[it.off:it.end])
	raw := p.raw[it.rawOff:it.rawEnd]
	f := p.f
	f.begin(it.line)
	f.addRaw(raw)
	switch {
	case len(v) > 1 && v[0] == '{' && json.Valid(v):
		// A cached JSON object: a record of its keys.
		_ = p.flat.flatten(v, func(key, val []byte) {
			if len(key) == 0 {
				key = redisValueKey
			}
			f.add(key, p.text(val))
		})
	case keyedAddress(v) != nil:
		// A key naming its record's address: "user:alice@example.com".
		f.add([]byte("email"), p.text(keyedAddress(v)))
	default:
		v = p.text(v)
		f.add(redisItemKey(v), v)
	}
	return f.end()
}

// keyedAddress returns the address of a key such as
// "user:alice@example.com" or "email:bob@example.net", nil if v is none.
func keyedAddress(v []byte) []byte {
	at := bytes.IndexByte(v, '@')
	if at <= 0 {
		return nil
	}
	i := bytes.LastIndexByte(v[:at], ':')
	if i <= 0 || !isEmail(v[i+1:]) {
		return nil
	}
	for _, c := range v[:i] {
		if !(isLetter(c) || isDigit(c) || c == ':' || c == '_' || c == '-' || c == '.') {
			return nil
		}
	}
	return v[i+1:]
}

// pairs reports whether the reply is field/value pairs: an even number of
// items whose odd items are field names (short, without white space, not an
// address, no "prefix:id" key), and that a hash command asked for or that
// are mostly names leakparse knows the class of.
func (p *redisParser) pairs() bool {
	n := len(p.items)
	if n < 2 || n%2 != 0 {
		return false
	}
	known := 0
	for i := 0; i < n; i += 2 {
		k := p.vals[p.items[i].off:p.items[i].end]
		if len(k) == 0 || len(k) > 64 || bytes.ContainsAny(k, " \t\n") || isEmail(k) || isURL(k) {
			return false
		}
		if p.hash {
			continue
		}
		if bytes.IndexByte(k, ':') >= 0 {
			return false
		}
		if c, ok := fieldClass(p.cfg, k); ok && c != catalog.ClassUnknown {
			known++
		}
	}
	return p.hash || known > 0 && known*2 >= n/2
}

// detectRedis: numbered reply items and redis-cli prompts.
func detectRedis(lines [][]byte) (Format, string) {
	items, quoted, prompts := 0, 0, 0
	for _, l := range lines {
		if _, ok := redisPrompt(l); ok {
			prompts++
			continue
		}
		if rest, _, _, ok := redisNumber(l); ok {
			items++
			if len(rest) > 0 && (rest[0] == '"' || rest[0] == '(') {
				quoted++
			}
		}
	}
	switch {
	case quoted >= 2 && (items+prompts)*10 >= len(lines)*6:
		return FormatRedis, "numbered redis-cli reply items"
	case prompts >= 1 && quoted >= 1 && (items+prompts)*2 >= len(lines):
		return FormatRedis, "redis-cli prompts and replies"
	}
	return "", ""
}
