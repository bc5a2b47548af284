package leakparse

import (
	"bytes"
	"encoding/json"
)

// An object whose values are records is a list of records. Firebase's
// Realtime Database exports users as {"<uid>": {"email": ..., "password":
// ...}, "<uid>": {...}}, other key-value stores key them by email or id.
// Flattened as one record, such an object gives a column per user
// ("<uid>.email") and, past maxColumns, loses values; and it pairs every
// password with the first email. Read as a collection, each value is a
// record and its key a field of it (column jsonMemberKey, classified by
// content: an email key is an email).
//
// An object is taken for a collection when its first two members are
// objects (under keys that name no data) whose keys look like ids (see
// idLikeKey) or whose records share their shape; a single member under an
// id-like key is a collection of one.

// jsonMemberKey names the column of a collection member's key. JSON keys
// starting with '$' are Mongo wrappers the flattener skips, so no key of a
// record can take this name.
const jsonMemberKey = "$key"

// ReasonTooManyColumns quarantines a row of a table whose rows name their
// columns (JSON) past maxColumns, when a value in the shared overflow
// column could not be classified alone: kept, rather than dropped.
const ReasonTooManyColumns Reason = "too-many-columns"

// objStatus says what jsonParser.object made of an object.
type objStatus uint8

const (
	objRecord      objStatus = iota // a record, whose text is returned
	objRecords                      // a wrapper or a collection, whose records were passed on
	objQuarantined                  // malformed or too long: quarantined
)

type collDecision uint8

const (
	collUndecided collDecision = iota
	collRecord                 // the object is a record
	collRecords                // the object is a collection of records
)

// collector holds the first object-valued members of an object being read
// until it is known to be a record or a collection.
type collector struct {
	decided collDecision
	n       int
	arena   []byte
	keys    [2][2]int // start, end in arena
	vals    [2][2]int
	lines   [2]int64
	kbuf    []byte
}

func (p *jsonParser) coll(depth int) *collector { return &p.colls[depth] }

func (c *collector) reset() {
	c.decided, c.n, c.arena = collUndecided, 0, c.arena[:0]
}

// keep copies a member's key, which reading its value overwrites; the copy
// is valid until the next keep.
func (c *collector) keep(key []byte) []byte {
	c.kbuf = append(c.kbuf[:0], key...)
	return c.kbuf
}

// hold keeps a member (its key as written, with quotes, and its value's
// text) while the object is undecided.
func (c *collector) hold(key, val []byte, line int64) {
	k0 := len(c.arena)
	c.arena = append(c.arena, key...)
	v0 := len(c.arena)
	c.arena = append(c.arena, val...)
	c.keys[c.n] = [2]int{k0, v0}
	c.vals[c.n] = [2]int{v0, len(c.arena)}
	c.lines[c.n] = line
	c.n++
}

func (c *collector) key(i int) []byte { return c.arena[c.keys[i][0]:c.keys[i][1]] }
func (c *collector) val(i int) []byte { return c.arena[c.vals[i][0]:c.vals[i][1]] }

// single reports whether the object held one member, an object under an
// id-like key, and nothing else: a collection of one.
func (c *collector) single() bool {
	return c.n == 1 && idLikeKey(unquoteKey(nil, c.key(0)))
}

// similar reports whether the two members held are records of one
// collection: both keys look like ids, or their records share their
// shape (at least two keys, or all the keys of a record of one or two).
func (c *collector) similar() bool {
	if idLikeKey(unquoteKey(nil, c.key(0))) && idLikeKey(unquoteKey(nil, c.key(1))) {
		return true
	}
	a, b := topKeys(c.val(0)), topKeys(c.val(1))
	shared := 0
	for k := range a {
		if b[k] {
			shared++
		}
	}
	return shared >= 2 || shared >= 1 && (len(a) <= 2 || len(b) <= 2)
}

// emitMembers passes the members held on as records.
func (p *jsonParser) emitMembers(c *collector) error {
	for i := range c.n {
		if err := p.rows.keyed(c.lines[i], c.val(i), c.key(i)); err != nil {
			return err
		}
	}
	c.n = 0
	return nil
}

// idLikeKey reports whether a member's key is an identifier rather than a
// name: digits ("1001"), an email address, or a generated key of 12 or more
// letters, digits, '-' and '_' (a Firebase uid or push id, a Mongo
// ObjectId, a UUID). "address2" is a name.
func idLikeKey(k []byte) bool {
	switch {
	case allDigits(k), isEmail(k):
		return true
	case len(k) < 12:
		return false
	}
	for _, c := range k {
		if !(isLetter(c) || isDigit(c) || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// topKeys returns the member names of a JSON object's top level.
func topKeys(obj []byte) map[string]bool {
	keys := map[string]bool{}
	dec := json.NewDecoder(bytes.NewReader(obj))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return keys
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return keys
		}
		if k, ok := t.(string); ok {
			keys[k] = true
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return keys
		}
	}
	return keys
}

// unquoteKey appends the text of a JSON string (with its quotes) to dst.
func unquoteKey(dst, quoted []byte) []byte {
	if len(quoted) >= 2 && quoted[0] == '"' && bytes.IndexByte(quoted, '\\') < 0 {
		return append(dst, quoted[1:len(quoted)-1]...)
	}
	var s string
	if json.Unmarshal(quoted, &s) != nil {
		return append(dst, quoted...)
	}
	return append(dst, s...)
}

// keyed passes on a record of a collection: the member's value, with its
// key (as written, quoted) in column jsonMemberKey.
func (j *jsonRows) keyed(line int64, elem, key []byte) error {
	j.memberKey = unquoteKey(j.mkbuf[:0], key)
	j.mkbuf = j.memberKey
	err := j.row(line, elem, elem)
	j.memberKey = nil
	return err
}

// member passes on a member of a collection that is no record ("count":
// 3): a row of its own, {key: value}.
func (j *jsonRows) member(line int64, key, val []byte) error {
	j.mbuf = append(append(append(append(append(j.mbuf[:0], '{'), key...), ':'), val...), '}')
	return j.row(line, j.mbuf, j.mbuf)
}
