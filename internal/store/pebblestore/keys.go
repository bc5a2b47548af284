package pebblestore

import (
	"encoding/binary"
	"strings"
)

// Key layout. Every key starts with a one-byte table prefix; integers are
// big-endian so that keys sort numerically. No key or value holds a
// plaintext identifier: accounts appear as keyed hashes, emails only sealed.
//
//	0x00 "schema"                 -> decimal schema version
//	0x00 "nextbreach" / "nextkey" -> uvarint counters
//	0x00 "keycheck"               -> the key file's check value
//	'a' acct16 breach4            -> 1 if an email, else 0  account is in breach
//	'b' website8 acct16 breach4   -> noise1, range8         stealer-log sighting by site
//	'c' breach4                   -> breach metadata (JSON)
//	'd' domain8 acct16            -> range8                 email at a domain
//	'e' range8 acct16             -> sealed email           email k-anonymity bucket
//	'f' print16 breach4           -> (empty)                credential pair is in breach
//	'g' acct16 website8 breach4   -> noise1                 stealer-log sighting by account
//	'h' website8                  -> sealed website         a website's name
//	'k' key4                      -> wrapped data key
//	'l' breach4 source32          -> uvarint rows, name     source ledger
//	'm' lower(name)               -> breach4                name index
//	'n' ntlm16                    -> uvarint count (merge)
//	'o' name                      -> admin token (JSON)
//	'p' name                      -> API key (JSON)
//	'q' breach4 print16           -> source32, line8, reason len, reason, sealed line
//	'r' table1 id                 -> record (store.Table)
//	's' sha1-20                   -> uvarint count (merge)
//	't' breach4                   -> uvarint emails, others, classes
//
// The stats table sorts last: a commit writes its stats entry in a table
// of its own, which must not overlap the tables of the facts.
const (
	tMeta       = 0x00
	tOccurrence = 0x02 // an import's scratch table, never stored (see writePair)
	tAccount    = 'a'
	tWebsite    = 'b'
	tCatalog    = 'c'
	tDomain     = 'd'
	tEmailRange = 'e'
	tPair       = 'f'
	tSite       = 'g'
	tSiteName   = 'h'
	tDataKey    = 'k'
	tLedger     = 'l'
	tName       = 'm'
	tNTLM       = 'n'
	tAdminToken = 'o'
	tAPIKey     = 'p'
	tQuarantine = 'q'
	tRecord     = 'r'
	tSHA1       = 's'
	tStats      = 't'
)

var (
	keySchema     = []byte("\x00schema")
	keyNextBreach = []byte("\x00nextbreach")
	keyNextKey    = []byte("\x00nextkey")
	keyKeyCheck   = []byte("\x00keycheck")
)

func u32key(table byte, id uint32) []byte {
	k := make([]byte, 5)
	k[0] = table
	binary.BigEndian.PutUint32(k[1:], id)
	return k
}

func nameKey(name string) []byte {
	return append([]byte{tName}, strings.ToLower(name)...)
}

func ledgerKey(breach uint32, source [32]byte) []byte {
	return append(u32key(tLedger, breach), source[:]...)
}

func quarantineKey(breach uint32, print [16]byte) []byte {
	return append(u32key(tQuarantine, breach), print[:]...)
}

// prefixEnd returns the smallest key greater than every key with prefix p,
// or nil if there is none.
func prefixEnd(p []byte) []byte {
	end := append([]byte(nil), p...)
	for i := len(end) - 1; i >= 0; i-- {
		end[i]++
		if end[i] != 0 {
			return end[:i+1]
		}
	}
	return nil
}
