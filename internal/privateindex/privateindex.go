// Package privateindex keeps the private credential check's index in a
// store (docs/private-check.md): the epochs and their sealed OPRF keys,
// the spool of leaked pairs imports leave for the build, the sealed
// slow-hash inputs a rotation re-keys, and the tags of every epoch's
// buckets. It answers check requests and publishes the epochs' public
// parameters.
//
// The work is split so that an import stays fast: an import seals its
// pairs into the spool (Spool, with the import's commit); Build turns the
// spool into inputs and tags at the slow hash's pace, resumably (each
// batch is one atomic write that also removes its spool segments); Rotate
// makes a new epoch from the inputs alone, without the leak files; Retire
// deletes an expired epoch's key and tags for good.
package privateindex

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/leakwatch/leakwatch/internal/privatecheck"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/vault"
)

// Epoch states.
const (
	StateBuilding = "building" // its tags are being computed; not answered
	StateCurrent  = "current"  // clients use it
	StateRetiring = "retiring" // still answered until NotAfter
)

// CanaryLogin is the login of the canary pair every epoch indexes, whose
// password the params document publishes: a client that checks it can
// tell a server that answers from wrong tag lists.
const CanaryLogin = "leakwatch-canary@invalid"

// ErrDisabled is returned when the store has no epoch: the private check
// was never enabled.
var ErrDisabled = errors.New("the private check is not enabled (leakwatch private enable)")

// ErrInvalid is wrapped by the errors of parameters out of range.
var ErrInvalid = errors.New("out of range")

// ErrGone is returned by Answer for a request naming an epoch that is not
// answered (retired, unknown or still building): the client refetches
// the params.
var ErrGone = errors.New("epoch not live")

// epochRecord is an epoch as the store keeps it, sealed.
type epochRecord struct {
	Epoch    uint32    `json:"epoch"`
	Bits     uint8     `json:"bits"`
	State    string    `json:"state"`
	Created  time.Time `json:"created"`
	NotAfter time.Time `json:"not_after,omitzero"`
	Key      []byte    `json:"key"`
	// Cursor is, while building, the id of the last input segment whose
	// tags this epoch has.
	Cursor []byte `json:"cursor,omitempty"`
	// Overflow counts the buckets that held more than MaxTags tags of a
	// kind at the last compaction: answers cut them, a rotation with more
	// bucket bits restores them.
	Overflow int `json:"overflow,omitempty"`
}

type canaryRecord struct {
	Login    string `json:"login"`
	Password string `json:"password"`
}

type epoch struct {
	rec epochRecord
	key *privatecheck.Key
}

var (
	canaryID  = []byte("canary")
	indexedID = []byte("indexed")
)

func epochID(e uint32) []byte { return binary.BigEndian.AppendUint32([]byte("epoch/"), e) }

// Index is the private check's state in one store. Its methods are safe
// for concurrent use; builds, rotations and retirements of one Index run
// one at a time.
type Index struct {
	st    store.Store
	vault *vault.Vault
	rand  io.Reader

	work sync.Mutex // serialises Build, Rotate, Retire and Enable

	mu      sync.Mutex
	epochs  []*epoch // cache for Answer and Params
	loaded  time.Time
	cacheOK bool
}

// cacheTTL bounds how long Answer trusts its cache of the epochs: another
// process may have rotated.
const cacheTTL = 5 * time.Second

// New returns the index of a store; v seals its records, rand (nil:
// crypto/rand) makes keys and canary passwords.
func New(st store.Store, v *vault.Vault, rnd io.Reader) *Index {
	if rnd == nil {
		rnd = rand.Reader
	}
	return &Index{st: st, vault: v, rand: rnd}
}

// loadEpochs reads every epoch from the store, opening the keys.
func (ix *Index) loadEpochs(ctx context.Context) ([]*epoch, error) {
	var out []*epoch
	for r, err := range ix.st.Records(ctx, store.TablePrivate, []byte("epoch/")) {
		if err != nil {
			return nil, err
		}
		var rec epochRecord
		if err := ix.vault.OpenJSON(ctx, r, &rec); err != nil {
			return nil, err
		}
		k, err := privatecheck.UnmarshalKey(rec.Key)
		if err != nil {
			return nil, err
		}
		out = append(out, &epoch{rec: rec, key: k})
	}
	return out, nil
}

// live returns the cached epochs, reloading them when stale.
func (ix *Index) live(ctx context.Context) ([]*epoch, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.cacheOK && time.Since(ix.loaded) < cacheTTL {
		return ix.epochs, nil
	}
	eps, err := ix.loadEpochs(ctx)
	if err != nil {
		return nil, err
	}
	ix.epochs, ix.loaded, ix.cacheOK = eps, time.Now(), true
	return eps, nil
}

func (ix *Index) invalidate() {
	ix.mu.Lock()
	ix.cacheOK = false
	ix.mu.Unlock()
}

func (ix *Index) epochOp(ctx context.Context, rec epochRecord) (store.RecordOp, error) {
	id := epochID(rec.Epoch)
	v, err := ix.vault.SealJSON(ctx, id, rec)
	if err != nil {
		return store.RecordOp{}, err
	}
	return store.RecordOp{Table: store.TablePrivate, ID: id, Value: v}, nil
}

// Enabled reports whether the store has an epoch.
func (ix *Index) Enabled(ctx context.Context) (bool, error) {
	eps, err := ix.live(ctx)
	return len(eps) > 0, err
}

// EnableOptions choose the first epoch's buckets.
type EnableOptions struct {
	// BucketBits, when set, is the epoch's bucket length; else it is
	// privatecheck.BucketBitsFor(ExpectedPairs).
	BucketBits    int
	ExpectedPairs int
}

// DefaultExpectedPairs sizes the first epoch when the operator does not.
const DefaultExpectedPairs = 1 << 20

// Enable makes the first epoch, current, and spools the canary pair. From
// then on imports spool their pairs. Enabling an enabled store changes
// nothing.
func (ix *Index) Enable(ctx context.Context, o EnableOptions) (Status, error) {
	ix.work.Lock()
	defer ix.work.Unlock()
	eps, err := ix.loadEpochs(ctx)
	if err != nil {
		return Status{}, err
	}
	if len(eps) == 0 {
		bits := o.BucketBits
		if bits == 0 {
			n := o.ExpectedPairs
			if n <= 0 {
				n = DefaultExpectedPairs
			}
			bits = int(privatecheck.BucketBitsFor(n))
		}
		if bits < 0 || bits > privatecheck.MaxBucketBits {
			return Status{}, fmt.Errorf("bucket bits %d: %w (0 to %d)", bits, ErrInvalid, privatecheck.MaxBucketBits)
		}
		op, err := ix.newEpoch(ctx, 1, uint8(bits), StateCurrent)
		if err != nil {
			return Status{}, err
		}
		canary, spool, err := ix.canary(ctx)
		if err != nil {
			return Status{}, err
		}
		if err := ix.st.WriteRecords(ctx, op, canary, spool); err != nil {
			return Status{}, err
		}
		ix.invalidate()
	}
	return ix.status(ctx)
}

func (ix *Index) newEpoch(ctx context.Context, e uint32, bits uint8, state string) (store.RecordOp, error) {
	k, err := privatecheck.GenerateKey(privatecheck.Params{Epoch: e, BucketBits: bits}, ix.rand)
	if err != nil {
		return store.RecordOp{}, err
	}
	kb, err := k.MarshalBinary()
	if err != nil {
		return store.RecordOp{}, err
	}
	return ix.epochOp(ctx, epochRecord{Epoch: e, Bits: bits, State: state, Created: time.Now().UTC(), Key: kb})
}

// canary returns the canary's record, with a fresh random password, and
// the spool segment that indexes it.
func (ix *Index) canary(ctx context.Context) (rec, spool store.RecordOp, err error) {
	var pw [18]byte
	if _, err := io.ReadFull(ix.rand, pw[:]); err != nil {
		return rec, spool, err
	}
	c := canaryRecord{Login: CanaryLogin, Password: base64.RawURLEncoding.EncodeToString(pw[:])}
	v, err := ix.vault.SealJSON(ctx, canaryID, c)
	if err != nil {
		return rec, spool, err
	}
	l, err := privatecheck.ParseLogin(c.Login)
	if err != nil {
		return rec, spool, err
	}
	var s Spool
	s.Add(l.Kind, l.Norm, []byte(c.Password))
	var sealErr error
	spool = s.Record(func(dst, plaintext, aad []byte) []byte {
		sealed, err := ix.vault.Seal(ctx, plaintext, aad)
		sealErr = err
		return append(dst, sealed...)
	})
	return store.RecordOp{Table: store.TablePrivate, ID: canaryID, Value: v}, spool, sealErr
}

// EpochInfo is an epoch as Status shows it: no secret.
type EpochInfo struct {
	Epoch       uint32    `json:"epoch"`
	State       string    `json:"state"`
	BucketBits  uint8     `json:"bucket_bits"`
	PublicKey   string    `json:"public_key"`  // base64url, as the params document has it
	Fingerprint string    `json:"fingerprint"` // hex of the first 16 bytes of SHA-256 of the public key
	Created     time.Time `json:"created"`
	NotAfter    time.Time `json:"not_after,omitzero"`
	Overflow    int       `json:"overflow,omitempty"`
}

// Status is what the private check holds.
type Status struct {
	Enabled bool        `json:"enabled"`
	Epochs  []EpochInfo `json:"epochs"`
	// Pending counts the pairs in the spool, waiting for Build; Indexed
	// the pairs built (each import's, before deduplication).
	Pending int64 `json:"pending"`
	Indexed int64 `json:"indexed"`
}

// Fingerprint is how a public key is shown to people: hex of the first 16
// bytes of its SHA-256.
func Fingerprint(pub []byte) string {
	h := sha256.Sum256(pub)
	return hex.EncodeToString(h[:16])
}

// Status reports the epochs and the counts.
func (ix *Index) Status(ctx context.Context) (Status, error) { return ix.status(ctx) }

func (ix *Index) status(ctx context.Context) (Status, error) {
	eps, err := ix.loadEpochs(ctx)
	if err != nil {
		return Status{}, err
	}
	st := Status{Enabled: len(eps) > 0, Epochs: []EpochInfo{}}
	for _, e := range eps {
		pub := e.key.PublicKey()
		st.Epochs = append(st.Epochs, EpochInfo{Epoch: e.rec.Epoch, State: e.rec.State, BucketBits: e.rec.Bits,
			PublicKey: base64.RawURLEncoding.EncodeToString(pub), Fingerprint: Fingerprint(pub),
			Created: e.rec.Created, NotAfter: e.rec.NotAfter, Overflow: e.rec.Overflow})
	}
	if st.Pending, err = ix.pending(ctx); err != nil {
		return Status{}, err
	}
	if st.Indexed, err = ix.indexed(ctx); err != nil {
		return Status{}, err
	}
	return st, nil
}

// pending sums the counts of the spool's segments.
func (ix *Index) pending(ctx context.Context) (int64, error) {
	var n int64
	for r, err := range ix.st.Records(ctx, store.TablePrivateSpool, nil) {
		if err != nil {
			return 0, err
		}
		c, err := segmentCount(r.Value)
		if err != nil {
			return 0, err
		}
		n += int64(c)
	}
	return n, nil
}

func (ix *Index) indexed(ctx context.Context) (int64, error) {
	v, err := ix.st.Record(ctx, store.TablePrivate, indexedID)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	if len(v) != 8 {
		return 0, errors.New("privateindex: malformed count")
	}
	return int64(binary.BigEndian.Uint64(v)), nil
}

// Params returns the public parameters document of docs/private-check.md
// section 7: the epochs clients may use (current and retiring) and the
// canary.
func (ix *Index) Params(ctx context.Context) ([]byte, error) {
	eps, err := ix.live(ctx)
	if err != nil {
		return nil, err
	}
	if len(eps) == 0 {
		return nil, ErrDisabled
	}
	type epochDoc struct {
		Epoch     uint32    `json:"epoch"`
		State     string    `json:"state"`
		NotAfter  time.Time `json:"not_after,omitzero"`
		PublicKey string    `json:"public_key"`
		Bits      uint8     `json:"bucket_bits"`
		TagBits   int       `json:"tag_bits"`
	}
	type slowHash struct {
		Alg  string `json:"alg"`
		T    int    `json:"t"`
		MKiB int    `json:"m_kib"`
		P    int    `json:"p"`
		Len  int    `json:"len"`
	}
	doc := struct {
		V        int          `json:"v"`
		Suite    string       `json:"suite"`
		Mode     string       `json:"mode"`
		Elements int          `json:"elements"`
		SlowHash slowHash     `json:"slow_hash"`
		Canary   canaryRecord `json:"canary"`
		Epochs   []epochDoc   `json:"epochs"`
	}{V: 1, Suite: "ristretto255-SHA512", Mode: "verifiable", Elements: privatecheck.Elements,
		SlowHash: slowHash{"argon2id", privatecheck.Argon2T, privatecheck.Argon2MemoryKiB, privatecheck.Argon2Threads, xLen},
		Epochs:   []epochDoc{}}
	for _, e := range slices.Backward(eps) {
		if e.rec.State == StateBuilding {
			continue
		}
		doc.Epochs = append(doc.Epochs, epochDoc{Epoch: e.rec.Epoch, State: e.rec.State, NotAfter: e.rec.NotAfter,
			PublicKey: base64.RawURLEncoding.EncodeToString(e.key.PublicKey()), Bits: e.rec.Bits, TagBits: privatecheck.TagBits})
	}
	r, err := ix.st.Record(ctx, store.TablePrivate, canaryID)
	if err == nil {
		err = ix.vault.OpenJSON(ctx, store.Record{ID: canaryID, Value: r}, &doc.Canary)
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	return json.Marshal(doc)
}

// Answer answers a binary check request: the evaluation under the epoch
// it names and its bucket's tags. A malformed request gives
// privatecheck.ErrBadRequest, one of an epoch not answered ErrGone.
func (ix *Index) Answer(ctx context.Context, req []byte) ([]byte, error) {
	e, ok := privatecheck.RequestEpoch(req)
	if !ok {
		return nil, privatecheck.ErrBadRequest
	}
	eps, err := ix.live(ctx)
	if err != nil {
		return nil, err
	}
	if len(eps) == 0 {
		return nil, ErrDisabled
	}
	var ep *epoch
	for _, x := range eps {
		if x.rec.Epoch == e && x.rec.State != StateBuilding {
			ep = x
		}
	}
	if ep == nil {
		return nil, ErrGone
	}
	resp, bucket, err := ep.key.Evaluate(req)
	if err != nil {
		return nil, err
	}
	b, err := ix.bucket(ctx, e, bucket)
	if err != nil {
		return nil, err
	}
	// A bucket above capacity is cut (Status counts it as overflow).
	b.Pairs = b.Pairs[:min(len(b.Pairs), privatecheck.MaxTags)]
	b.Usernames = b.Usernames[:min(len(b.Usernames), privatecheck.MaxTags)]
	return b.AppendBinary(resp)
}
