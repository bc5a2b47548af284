// Package store defines what leakwatch persists and the contract every
// storage backend fulfils: the breach catalog, account memberships under
// keyed hashes, sealed account plaintext, and password hash counts.
//
// A backend never sees a plaintext identifier: callers hand it keyed hashes
// (keyring.AccountKey), sealed blobs (keyring.DataKey.Seal) and password
// hashes. The conformance suite in package storetest states the contract as
// tests; the embedded Pebble backend lives in package pebblestore.
package store

import (
	"context"
	"errors"
	"iter"
	"strings"
	"time"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

// SchemaVersion is the version of the data layout this build reads and
// writes. A store recorded with another version is refused.
//
// Version 2 counts a password once per credential pair (PairPrint) and
// records the key file's check value.
const SchemaVersion = 2

// Errors callers branch on.
var (
	ErrNotFound        = errors.New("not found")
	ErrUnknownSchema   = errors.New("unknown schema version")
	ErrLocked          = errors.New("store is in use by another process")
	ErrImportRunning   = errors.New("another import is running")
	ErrAlreadyImported = errors.New("source already imported into this breach")
	ErrExists          = errors.New("already exists")
	// ErrNoStore reports a store directory without a store: its creation
	// was interrupted (or it was never one). Opening it for writing
	// creates the store.
	ErrNoStore = errors.New("no store (its creation was interrupted)")
)

// AccountKey is the keyed hash of a normalised account identifier.
type AccountKey [16]byte

// RangeTag is the keyed hash of the 24-bit SHA-1 prefix of an email, the
// bucket of the email k-anonymity API. It reveals nothing without the pepper.
type RangeTag [8]byte

// HashKind selects a password hash corpus.
type HashKind uint8

// The password hash corpora.
const (
	SHA1 HashKind = iota + 1 // 20 bytes
	NTLM                     // 16 bytes
)

// Size returns the length in bytes of a hash of kind k.
func (k HashKind) Size() int {
	switch k {
	case SHA1:
		return 20
	case NTLM:
		return 16
	}
	return 0
}

func (k HashKind) String() string {
	switch k {
	case SHA1:
		return "sha1"
	case NTLM:
		return "ntlm"
	}
	return "unknown"
}

// ParseHashKind returns the kind String names, in any case.
func ParseHashKind(s string) (HashKind, bool) {
	switch strings.ToLower(s) {
	case "sha1":
		return SHA1, true
	case "ntlm":
		return NTLM, true
	}
	return 0, false
}

// PairPrint is the keyed fingerprint of one credential pair (an account
// and a password) or, for a password found without an account, of the
// password and the content of its record. A breach counts a password once
// per distinct PairPrint, however often and in whatever container its
// records are imported. It reveals nothing without the pepper.
type PairPrint [16]byte

// Password is one password fact of an import: a password seen in a
// record, with the fingerprint that makes counting it idempotent.
type Password struct {
	Print PairPrint
	SHA1  [20]byte
	NTLM  [16]byte
	// Only, when set, says the fact carries the hash of that kind alone: a
	// hash taken as it was found (a list of unsalted SHA-1 or NTLM hashes
	// the operator vouches for), whose password, and so whose other hash,
	// nobody knows. Only that corpus counts it; the other field is ignored.
	// Zero, the usual case, means both hashes are set.
	Only HashKind
	// Aliases are the prints of the same occurrence of the password
	// through the record's other accounts (a record with an email and a
	// username: the pair of each). An occurrence counts once, and only if
	// none of its prints is known to the breach: the same credential
	// found again with fewer or other identifiers counts nothing.
	Aliases  [MaxAliases]PairPrint
	NAliases uint8
}

// MaxAliases bounds the aliases of a password fact: a record's first four
// accounts give prints; more identifiers add nothing to the count.
const MaxAliases = 3

// Account is one account fact of an import: the account appears in the
// breach being imported.
type Account struct {
	Key AccountKey
	// Email tells that the account is an email address. A breach's
	// PwnCount counts its distinct emails, or, when it has none, its
	// distinct accounts of other kinds.
	Email bool
	// Range and Sealed are set for email accounts only: the email k-anonymity
	// bucket and the email sealed under the import's data key. Sealed is nil
	// for other kinds. When an account repeats, any one of its Sealed blobs
	// is kept.
	Range  RangeTag
	Sealed []byte
	// Domain is set for email accounts only: the keyed hash of the
	// email's domain, which indexes the account for its domain's owner.
	Domain DomainTag
}

// DomainTag is the keyed hash of a domain name: an email address's domain
// or a website's. It reveals nothing without the pepper.
type DomainTag [8]byte

// Sighting is a stealer-log fact: an email account captured signing in
// to a website. Sightings are kept apart from breaches: the stealer-log
// searches answer from all of them.
type Sighting struct {
	Account AccountKey // an email account
	Range   RangeTag   // the account's email bucket, where its sealed email is
	Website DomainTag  // the website's registrable domain
	// Noise marks a sighting of an account at its own mail provider
	// (alice@gmail.com at google.com), which says little.
	Noise  bool
	Sealed []byte // the website's domain, sealed
}

// Facts is one chunk of facts from an import. Import.Add does not retain
// it: the caller may reuse it when Add returns.
type Facts struct {
	Accounts []Account
	// Passwords holds one entry per occurrence of a plaintext password (or
	// of a hash standing for one, see Password.Only). Commit adds one to
	// the SHA-1 and NTLM counts of a password for each of its prints that
	// is new to the breach; the others change nothing.
	Passwords []Password
	// Quarantine holds lines that could not be parsed, sealed.
	Quarantine []Quarantined
	// Resolved names quarantined lines (by their prints) that this import
	// parsed after all: Commit removes them from the quarantine, unless
	// the import quarantines them again.
	Resolved []LinePrint
	// Sightings holds stealer-log facts.
	Sightings []Sighting
	// Records are set in their tables by the commit, with the facts: what
	// an import leaves for later work (the private check's spool of
	// pairs). Only sets: Delete and IfAbsent are not allowed here.
	Records []RecordOp
}

// Source identifies one input of an import: a file's content digest. A
// source committed to a breach is never counted twice in it.
type Source struct {
	ID   [32]byte // SHA-256 of the bytes parsed (decompressed)
	Name string   // base name, for listings only
	Rows int64
}

// LinePrint is the keyed fingerprint of a quarantined line's content. A
// breach keeps a line once however many files hold it: the same data
// imported again, in any shape, quarantines nothing twice.
type LinePrint [16]byte

// Quarantined is a line an import could not parse, sealed, with where it
// was last seen.
type Quarantined struct {
	Print  LinePrint
	Source [32]byte // Source.ID of the file
	Line   int64
	Reason string
	Sealed []byte // the raw line sealed under the import's data key
}

// Manifest is what Commit records besides the facts.
type Manifest struct {
	Sources     []Source
	DataClasses catalog.ClassSet
	DataKey     WrappedKey // the data key every Sealed blob of the import is under
	// StealerLog flags the breach IsStealerLog in the same atomic write:
	// the import holds stealer-log sightings.
	StealerLog bool
	// Event, when set, becomes a record of TableEvents in the same atomic
	// write as the facts: what must follow the commit (alerts) cannot be
	// lost by a crash after it.
	Event []byte
}

// WrappedKey is a data key wrapped by the keyring, as opaque bytes, with
// the id that sealed blobs carry.
type WrappedKey struct {
	ID      uint32
	Wrapped []byte
}

// Result tells what a commit changed.
type Result struct {
	Accounts    int64 `json:"accounts"`     // distinct accounts in this import
	NewAccounts int64 `json:"new_accounts"` // accounts not previously in the breach
	NewPairs    int64 `json:"new_pairs"`    // password prints not previously in the breach
	Passwords   int64 `json:"passwords"`    // distinct SHA-1 password hashes whose count rose
	PwnCount    int64 `json:"pwn_count"`    // the breach's count after the commit
}

// Import collects facts for one breach and applies them atomically: readers
// see none of them until Commit returns, then all of them.
type Import interface {
	// Add adds facts. It is safe for concurrent use.
	Add(ctx context.Context, f *Facts) error
	// Commit applies everything added and records the sources. It fails
	// with ErrAlreadyImported, changing nothing, if a source was already
	// committed to the breach (callers check SourceImported first). After
	// Commit the Import is finished. The goroutines it sorts and writes
	// with stay within the cpushare.Share ctx carries, if any.
	Commit(ctx context.Context, m Manifest) (Result, error)
	// Abort discards what was added. It is safe after Commit and twice.
	Abort() error
}

// APIKey is a client credential of the HTTP API. Only a hash of the secret
// is stored.
type APIKey struct {
	Name    string
	Hash    [32]byte // SHA-256 of the secret the client sends
	RPM     int      // requests per minute; 0 means the server default
	Created time.Time
	// Owner is the account of the key's holder, zero if none: the
	// addresses and domains that account verified are what the key may
	// search beyond the public lookups.
	Owner AccountKey `json:",omitzero"`
}

// AdminToken is an operator credential of the admin API, apart from the
// API keys of clients. Only a hash of the secret is stored.
type AdminToken struct {
	Name    string
	Hash    [32]byte // SHA-256 of the secret the operator sends
	Created time.Time
}

// PasswordHash is one entry of a password range: a full hash and the
// number of times it was seen.
type PasswordHash struct {
	Hash  []byte
	Count int64
}

// Store is the persistent state of leakwatch. Implementations are safe for
// concurrent use. Slices returned are owned by the caller.
type Store interface {
	// Breaches returns the catalog, ordered by name (case-insensitive).
	Breaches(ctx context.Context) ([]catalog.Breach, error)
	// Breach returns one breach by name, case-insensitively; ErrNotFound.
	Breach(ctx context.Context, name string) (catalog.Breach, error)
	// PutBreach creates or updates the editable metadata of a breach. Its
	// PwnCount and DataClasses are ignored: they come from imports.
	PutBreach(ctx context.Context, b catalog.Breach) error

	// AccountBreaches returns the breaches an account is in, ordered by
	// name (case-insensitive), whatever their flags: callers decide what to
	// show. None is an empty slice, not an error.
	AccountBreaches(ctx context.Context, k AccountKey) ([]catalog.Breach, error)
	// AccountInBreach reports whether an account is in the named breach
	// (false for an unknown breach).
	AccountInBreach(ctx context.Context, k AccountKey, breach string) (bool, error)
	// EmailRange returns the sealed emails of a k-anonymity bucket.
	EmailRange(ctx context.Context, r RangeTag) ([][]byte, error)

	// PasswordCount returns how often a password hash was seen (0 if never).
	PasswordCount(ctx context.Context, kind HashKind, hash []byte) (int64, error)
	// PasswordRange yields, in ascending hash order, every hash of the kind
	// whose first 20 bits equal prefix (prefix < 1<<20). The yielded Hash
	// is only valid until the next iteration.
	PasswordRange(ctx context.Context, kind HashKind, prefix uint32) iter.Seq2[PasswordHash, error]
	// PasswordHashes yields every hash of the kind in ascending order, as
	// one state of the data: a commit applied meanwhile is not seen. The
	// yielded Hash is only valid until the next iteration.
	PasswordHashes(ctx context.Context, kind HashKind) iter.Seq2[PasswordHash, error]

	// Sources returns the sources committed to a breach, ordered by ID;
	// ErrNotFound for an unknown breach.
	Sources(ctx context.Context, breach string) ([]Source, error)
	// SourceImported reports whether a source was committed to a breach.
	SourceImported(ctx context.Context, breach string, id [32]byte) (bool, error)
	// BeginImport starts an import into the breach named b.Name. If no such
	// breach exists, b (validated) becomes its metadata at Commit, so the
	// breach appears with its data. One import runs at a time; a second gets
	// ErrImportRunning.
	BeginImport(ctx context.Context, b catalog.Breach) (Import, error)
	// Quarantine yields the quarantined lines of a breach, in the order of
	// their prints.
	Quarantine(ctx context.Context, breach string) iter.Seq2[Quarantined, error]

	// PutAPIKey creates or replaces an API key by name.
	PutAPIKey(ctx context.Context, k APIKey) error
	// APIKeys returns every API key, ordered by name.
	APIKeys(ctx context.Context) ([]APIKey, error)
	// DeleteAPIKey removes an API key; ErrNotFound if there is none.
	DeleteAPIKey(ctx context.Context, name string) error

	// Generation changes whenever an import's commit changes the data,
	// and is odd while a commit is being applied: a reader that saw the
	// same even value before and after reading saw no commit half.
	Generation() uint64

	// PutAdminToken creates or replaces an admin token by name;
	// AdminTokens returns them ordered by name; DeleteAdminToken removes
	// one (ErrNotFound if there is none).
	PutAdminToken(ctx context.Context, t AdminToken) error
	AdminTokens(ctx context.Context) ([]AdminToken, error)
	DeleteAdminToken(ctx context.Context, name string) error

	// KeyCheck returns the check value of the key file the store was
	// created with (see keyring.Keyring.Check); ErrNotFound if none was
	// recorded yet.
	KeyCheck(ctx context.Context) ([]byte, error)
	// InitKeyCheck records the key file's check value of a new store. It
	// fails with ErrExists if one is recorded: a store never changes key
	// file but through ReplaceDataKeys.
	InitKeyCheck(ctx context.Context, check []byte) error

	// DataKeys returns every wrapped data key.
	DataKeys(ctx context.Context) ([]WrappedKey, error)
	// ReplaceDataKeys rewrites wrapped data keys and the key check value
	// in one atomic write (key rotation). It fails with ErrImportRunning
	// while an import runs: that import's data key, wrapped under the old
	// key pair, would be committed after the rotation.
	ReplaceDataKeys(ctx context.Context, keys []WrappedKey, check []byte) error
	// NextDataKeyID reserves an id for a new data key.
	NextDataKeyID(ctx context.Context) (uint32, error)

	// DomainAccounts yields the email accounts at a domain, with their
	// sealed addresses, in the order of their keys.
	DomainAccounts(ctx context.Context, d DomainTag) iter.Seq2[SealedAccount, error]
	// CountDomain counts the email accounts at a domain in the whole
	// store, stopping at limit.
	CountDomain(ctx context.Context, d DomainTag, limit int64) (int64, error)
	// AccountSites returns the websites an account was captured signing in
	// to (stealer-log sightings), in the order of their tags, then of their
	// breaches.
	AccountSites(ctx context.Context, k AccountKey) ([]Site, error)
	// WebsiteAccounts yields the email accounts captured signing in to a
	// website, in the order of their keys; Noise is the sighting's.
	WebsiteAccounts(ctx context.Context, w DomainTag) iter.Seq2[SealedAccount, error]

	// Overlap compares a breach with every other breach: how many of its
	// accounts and of its credential pairs each also holds (the evidence
	// that a leak is recycled from others). ErrNotFound for no such breach.
	Overlap(ctx context.Context, breach string) (Overlap, error)

	// PutDataKey records a wrapped data key that no import commits: the
	// key of owner records.
	PutDataKey(ctx context.Context, k WrappedKey) error

	// Record returns one record; ErrNotFound if there is none.
	Record(ctx context.Context, t Table, id []byte) ([]byte, error)
	// Records yields the records of a table whose ids start with prefix,
	// in id order, as one state of the data.
	Records(ctx context.Context, t Table, prefix []byte) iter.Seq2[Record, error]
	// WriteRecords applies ops in one atomic, durable write. An op with
	// IfAbsent is skipped when its record exists.
	WriteRecords(ctx context.Context, ops ...RecordOp) error

	// Close releases the store. It must not be called while other calls are
	// in progress.
	Close() error
}

// Overlap is what a breach shares with the others.
type Overlap struct {
	Accounts int64 // the breach's distinct accounts
	Pairs    int64 // its distinct credential pairs (account and password)
	// SharedAccounts and SharedPairs count those also in at least one
	// other breach.
	SharedAccounts, SharedPairs int64
	// Others holds, for every other breach sharing anything, the counts
	// it shares, by breach name order.
	Others []OverlapWith
}

// OverlapWith is what one other breach shares with a breach.
type OverlapWith struct {
	Breach   string
	Accounts int64
	Pairs    int64
}

// SealedAccount is an email account with its sealed address.
type SealedAccount struct {
	Key    AccountKey
	Sealed []byte
	// WebsiteAccounts only: the sighting is likely noise, and the breach
	// it was imported into (an account sighted in several breaches comes
	// once per breach).
	Noise  bool
	Breach string
}

// Site is a website an account was captured signing in to, in a breach
// (a website sighted in several breaches comes once per breach).
type Site struct {
	Website DomainTag
	Noise   bool
	Sealed  []byte // the website's domain
	Breach  string
}

// Table names a table of records: small, mutable state kept beside the
// leak data (owners, subscriptions, the alert outbox). The store keeps a
// record's bytes as given; callers seal what must not be plaintext.
type Table byte

// The record tables.
const (
	TableEvents        Table = 'E' // what import commits left to do (Manifest.Event)
	TableDomains       Table = 'D' // domain owners and their verification
	TableAddresses     Table = 'A' // addresses verified by their holders
	TableSubscriptions Table = 'S' // alert subscriptions
	TableOutbox        Table = 'O' // alert deliveries not yet made
	TableDead          Table = 'X' // alert deliveries given up on
	TableSent          Table = 'N' // alerts made, by what they were about
	TableSettings      Table = 'G' // single settings (the owner data key's id)

	// The private credential check (internal/privateindex).
	TablePrivate      Table = 'P' // epochs (sealed keys) and the canary
	TablePrivateSpool Table = 'Q' // leaked pairs waiting for the index build, sealed
	TablePrivateInput Table = 'I' // slow-hash inputs of indexed pairs, sealed, for key rotation
	TablePrivateTags  Table = 'T' // the tags of each epoch's buckets

	TableProfiles Table = 'V' // each import's evidence profile (internal/evidence), sealed
	TableVerdicts Table = 'W' // the last verification of each breach (internal/verify), sealed
)

// Record is one record of a table.
type Record struct {
	ID    []byte
	Value []byte
}

// RecordOp is one change of WriteRecords: it sets a record to Value, or
// removes it when Delete is set.
type RecordOp struct {
	Table    Table
	ID       []byte
	Value    []byte
	Delete   bool
	IfAbsent bool // set only if no record has this id
}

// Snapshotter is a Store that can copy itself, consistently, while it
// serves: a backup takes a snapshot of a live store without stopping
// imports or readers. It is apart from Store so that a backend (or a
// wrapper) without one still is a Store; callers type-assert.
type Snapshotter interface {
	// Checkpoint writes a consistent copy of the store into dir, which
	// must not exist (its parent is created if missing); ErrExists if it
	// does. The copy holds every write that returned before Checkpoint was
	// called and, of an import committing meanwhile, all or nothing. It
	// opens as a store of its own (with the backend's Open) that shares
	// nothing with this one. Checkpoint is safe for concurrent use with
	// every other method but Close.
	Checkpoint(ctx context.Context, dir string) error
}
