package leakparse

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/hashid"
)

// A hashcat potfile (and --outfile output) holds one cracked hash a line:
// the hash as hashcat takes it, a colon and the plaintext, which hashcat
// writes $HEX[...] when it holds bytes that would break the line. The hash
// is no account and the plaintext is a password found without one: a
// record holds the hash and the password, so that the ingest counts the
// password once per distinct line.
//
// Hashes of salted modes hold colons themselves ("md5:salt:plain",
// "sha256:1000:salt:hash:plain"), and plaintexts may hold colons too, so
// where the hash ends is decided per file: the number of colons inside the
// hash that most lines of the head agree on, the most when several agree
// as well (an md5:salt file has an md5 before its first colon too). A line
// that does not split so is split at the first colon after which a hash
// ends, else quarantined (no-hash).

// maxPotColons bounds the colons a hash part may hold.
const maxPotColons = 8

// potShape is what the head of a potfile decides for all its lines.
type potShape struct {
	colons int           // colons inside the hash part of most lines
	hashes hashid.Column // verdict on the ambiguous hash parts (16 hex, base64)
}

// colonsOf fills pos with the offsets of the first colons of s and returns
// how many it found.
func colonsOf(s []byte, pos *[maxPotColons + 1]int) int {
	n := 0
	for i := 0; i < len(s) && n < len(pos); i++ {
		if s[i] == ':' {
			pos[n] = i
			n++
		}
	}
	return n
}

// potShapeOf decides a potfile's shape from the trimmed lines of its head
// and returns how many of them split into a hash and a plaintext that way
// (hashy: Certain or Ambiguous hash parts; certain: Certain ones).
func potShapeOf(lines [][]byte) (sh potShape, hashy, certain int) {
	var hashyAt, certainAt [maxPotColons + 1]int
	var pos [maxPotColons + 1]int
	for _, l := range lines {
		n := colonsOf(l, &pos)
		for k := range n {
			switch _, c := hashid.Identify(l[:pos[k]]); c {
			case hashid.Certain:
				certainAt[k]++
				hashyAt[k]++
			case hashid.Ambiguous:
				hashyAt[k]++
			}
		}
	}
	for k := range hashyAt {
		if hashyAt[k] > 0 && hashyAt[k] >= hashyAt[sh.colons] {
			sh.colons = k
		}
	}
	var sample [][]byte
	for _, l := range lines {
		if n := colonsOf(l, &pos); n > sh.colons {
			sample = append(sample, l[:pos[sh.colons]])
		}
	}
	sh.hashes = hashid.JudgeColumn("", sample)
	return sh, hashyAt[sh.colons], certainAt[sh.colons]
}

// split cuts a potfile line into its hash and its plaintext: at the file's
// colon when what precedes it is a hash, else at the first colon after a
// certain hash. A line that is a hash alone has no plaintext. ok is false
// when no hash starts the line.
func (sh *potShape) split(s []byte) (hash, plain []byte, ok bool) {
	var pos [maxPotColons + 1]int
	n := colonsOf(s, &pos)
	if sh.colons < n && sh.isHash(s[:pos[sh.colons]]) {
		return s[:pos[sh.colons]], s[pos[sh.colons]+1:], true
	}
	for k := range n {
		if hashid.IsHash(s[:pos[k]]) {
			return s[:pos[k]], s[pos[k]+1:], true
		}
	}
	if sh.isHash(s) {
		return s, nil, true
	}
	return nil, nil, false
}

func (sh *potShape) isHash(v []byte) bool {
	if sh.hashes.Hashes() {
		return sh.hashes.IsHash(v)
	}
	return hashid.IsHash(v)
}

// potfileHead reports whether the lines of a head are a potfile, with the
// reason. Most lines must start with a hash and a colon. Lists of hashes
// have that shape too, "hash:salt" (vBulletin, IPB) and "hash:count" (the
// Pwned Passwords downloads): what follows the hash tells them apart, all
// digits (counts) or of one length (salts), unless the file's name says
// potfile.
func potfileHead(lines [][]byte, base string) (bool, string) {
	if len(lines) == 0 {
		return false, ""
	}
	sh, hashy, certain := potShapeOf(lines)
	if hashy*5 < len(lines)*3 || certain*5 < len(lines)*3 && !sh.hashes.Hashes() {
		return false, ""
	}
	if !strings.Contains(base, "pot") {
		var pos [maxPotColons + 1]int
		m, digits, whole := 0, 0, 0
		lens := map[int]int{}
		for _, l := range lines {
			if n := colonsOf(l, &pos); n > sh.colons {
				rest := l[pos[sh.colons]+1:]
				m++
				if allDigits(rest) {
					digits++
				}
				lens[len(rest)]++
				if hashid.IsHash(l) {
					whole++
				}
			}
		}
		most := 0
		for n, c := range lens {
			if c > lens[most] || c == lens[most] && n < most {
				most = n
			}
		}
		if digits*10 >= m*9 {
			return false, ""
		}
		if m >= 4 && whole*5 >= m*4 && lens[most]*5 >= m*4 && most <= 32 {
			return false, ""
		}
	}
	return true, fmt.Sprintf("%d of %d lines are a hash, a colon and a plaintext (hashcat potfile)", hashy, len(lines))
}

// parsePotfile parses hashcat potfile lines: a record of the hash and, when
// the line has one, the plaintext password ($HEX[...] decoded; a plaintext
// that is itself a hash stays a hash).
func parsePotfile(lr *lineReader, em *emitter) error {
	sh, _, _ := potShapeOf(headLines(lfHead(lr.head(), false), 400))
	var fields [2]Field
	rec := Record{}
	var dec []byte
	for {
		s, ok, err := lr.nextText(em)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		hash, plain, ok := sh.split(s)
		if !ok {
			if err := em.quarantine(lr.n, ReasonNoHash, lr.raw); err != nil {
				return err
			}
			continue
		}
		rec.Fields = append(fields[:0], Field{Class: catalog.ClassPasswordHash, Value: trim(hash)})
		plain, dec = hexPlain(plain, dec)
		if plain = trim(plain); len(plain) > 0 {
			rec.Fields = append(rec.Fields, Field{Class: passwordClass(plain), Value: plain})
		}
		rec.Line = lr.n
		if err := em.record(&rec); err != nil {
			return err
		}
	}
	lr.finish()
	return lr.errOrNil()
}

// hexPlain decodes a plaintext hashcat wrote as $HEX[...] into buf (bytes
// that are not UTF-8 read as Windows-1252, as lines are); other values are
// returned as they are.
func hexPlain(v, buf []byte) (out, newBuf []byte) {
	if len(v) < 6 || !bytes.HasPrefix(v, []byte("$HEX[")) {
		return v, buf
	}
	b, ok := hashid.DecodeHexPlain(v)
	if !ok {
		return v, buf
	}
	if utf8.Valid(b) {
		buf = append(buf[:0], b...)
	} else {
		buf = appendCP1252(buf[:0], b)
	}
	return buf, buf
}
