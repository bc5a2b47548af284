package privatecheck

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	core "github.com/leakwatch/leakwatch/internal/privatecheck"
)

// The constants a params document must name (docs/private-check.md
// section 7). A document asking for anything else, a cheaper slow hash
// above all, is refused rather than obeyed: the client computes what the
// protocol core fixes, whatever the server says.
const (
	paramsVersion = 1
	suiteName     = "ristretto255-SHA512"
	modeName      = "verifiable"
	slowHashAlg   = "argon2id"
	slowHashLen   = 32 // the core's output length of the slow hash
	publicKeyLen  = 32
)

// Epoch states of a params document.
const (
	StateCurrent  = "current"  // the epoch new checks use
	StateRetiring = "retiring" // still answered, until NotAfter
	StateBuilding = "building" // published ahead, not answered yet
)

// Params is a server's params document: what a check needs to know about
// the server's epochs, and the canary pair that lets a client test the
// server's tag lists.
type Params struct {
	// SlowHash is the slow hash the server's index was built with; Params
	// only returns documents whose slow hash is the protocol's own.
	SlowHash SlowHash
	// Canary is a leaked pair every epoch's index holds; nil when the
	// document names none.
	Canary *Canary
	// Epochs are the server's epochs, in the document's order.
	Epochs []Epoch
}

// SlowHash are the Argon2id parameters of a params document.
type SlowHash struct {
	Alg       string // "argon2id"
	T         uint32 // passes
	MemoryKiB uint32
	Threads   uint8
	Len       uint32 // output length in bytes
}

// Canary is the canary pair of a params document: a (login, password)
// pair the server publishes and every one of its indexes holds, so that
// any client can check that an answer's tag lists are the real ones.
type Canary struct {
	Login    string
	Password string
}

// Epoch is one epoch of a params document.
type Epoch struct {
	Epoch      uint32
	State      string // StateCurrent, StateRetiring or StateBuilding
	PublicKey  []byte // 32 bytes: the epoch's VOPRF public key
	BucketBits uint8
	TagBits    uint8
	NotAfter   time.Time // zero when the document gives none
}

// Fingerprint returns the fingerprint of the epoch's public key
// (Fingerprint).
func (e Epoch) Fingerprint() string { return Fingerprint(e.PublicKey) }

// Fingerprint returns the fingerprint of a public key, the one a CLI
// prints and an operator publishes for comparison: the first 16 bytes of
// its SHA-256, in lower-case hex.
func Fingerprint(publicKey []byte) string {
	sum := sha256.Sum256(publicKey)
	return hex.EncodeToString(sum[:16])
}

// Current returns the epoch whose state is current, the highest if
// several are.
func (p *Params) Current() (Epoch, error) {
	var cur Epoch
	found := false
	for _, e := range p.Epochs {
		if e.State == StateCurrent && (!found || e.Epoch > cur.Epoch) {
			cur, found = e, true
		}
	}
	if !found {
		return Epoch{}, errors.New("privatecheck: the server's params name no current epoch")
	}
	return cur, nil
}

// The JSON form of the params document.
type jsonParams struct {
	V        int          `json:"v"`
	Suite    string       `json:"suite"`
	Mode     string       `json:"mode"`
	Elements int          `json:"elements"`
	SlowHash jsonSlowHash `json:"slow_hash"`
	Canary   *jsonCanary  `json:"canary"`
	Epochs   []jsonEpoch  `json:"epochs"`
}

type jsonSlowHash struct {
	Alg  string `json:"alg"`
	T    uint32 `json:"t"`
	MKiB uint32 `json:"m_kib"`
	P    uint8  `json:"p"`
	Len  uint32 `json:"len"`
}

type jsonCanary struct {
	Login    string `json:"login"`
	Password string `json:"password"`
}

type jsonEpoch struct {
	Epoch      uint32 `json:"epoch"`
	State      string `json:"state"`
	PublicKey  string `json:"public_key"`
	BucketBits uint8  `json:"bucket_bits"`
	TagBits    uint8  `json:"tag_bits"`
	NotAfter   string `json:"not_after"`
}

// errParams is the prefix of every error about a params document.
const errParams = "privatecheck: the server's params"

// parseParams parses and validates a params document. Unknown fields are
// ignored, so that a server may add some; what the protocol fixes must be
// exactly the protocol's.
func parseParams(data []byte) (*Params, error) {
	var j jsonParams
	if err := json.Unmarshal(data, &j); err != nil {
		return nil, fmt.Errorf("%s are not a params document: %w", errParams, err)
	}
	if j.V != paramsVersion {
		return nil, fmt.Errorf("%s have version %d, want %d", errParams, j.V, paramsVersion)
	}
	if j.Suite != suiteName || j.Mode != modeName || j.Elements != core.Elements {
		return nil, fmt.Errorf("%s ask for suite %.40q, mode %.20q and %d elements, want %s, %s and %d",
			errParams, j.Suite, j.Mode, j.Elements, suiteName, modeName, core.Elements)
	}
	want := jsonSlowHash{Alg: slowHashAlg, T: core.Argon2T, MKiB: core.Argon2MemoryKiB, P: core.Argon2Threads, Len: slowHashLen}
	if j.SlowHash != want {
		return nil, fmt.Errorf("%s ask for the slow hash %.20s t=%d m=%d KiB p=%d len=%d, want %s t=%d m=%d KiB p=%d len=%d",
			errParams, j.SlowHash.Alg, j.SlowHash.T, j.SlowHash.MKiB, j.SlowHash.P, j.SlowHash.Len,
			want.Alg, want.T, want.MKiB, want.P, want.Len)
	}
	p := &Params{SlowHash: SlowHash{Alg: want.Alg, T: want.T, MemoryKiB: want.MKiB, Threads: want.P, Len: want.Len}}
	if j.Canary != nil {
		if j.Canary.Login == "" || j.Canary.Password == "" {
			return nil, fmt.Errorf("%s have an empty canary", errParams)
		}
		p.Canary = &Canary{Login: j.Canary.Login, Password: j.Canary.Password}
	}
	seen := make(map[uint32]bool, len(j.Epochs))
	for _, je := range j.Epochs {
		if seen[je.Epoch] {
			return nil, fmt.Errorf("%s list epoch %d twice", errParams, je.Epoch)
		}
		seen[je.Epoch] = true
		e := Epoch{Epoch: je.Epoch, State: je.State, BucketBits: je.BucketBits, TagBits: je.TagBits}
		switch je.State {
		case StateCurrent, StateRetiring, StateBuilding:
		default:
			return nil, fmt.Errorf("%s give epoch %d the unknown state %.20q", errParams, je.Epoch, je.State)
		}
		pub, err := base64.RawURLEncoding.Strict().DecodeString(je.PublicKey)
		if err != nil || len(pub) != publicKeyLen {
			return nil, fmt.Errorf("%s give epoch %d a malformed public key (want %d bytes, base64url without padding)", errParams, je.Epoch, publicKeyLen)
		}
		e.PublicKey = pub
		if je.BucketBits > core.MaxBucketBits {
			return nil, fmt.Errorf("%s give epoch %d %d bucket bits, at most %d", errParams, je.Epoch, je.BucketBits, core.MaxBucketBits)
		}
		if je.TagBits != core.TagBits {
			return nil, fmt.Errorf("%s give epoch %d %d-bit tags, want %d", errParams, je.Epoch, je.TagBits, core.TagBits)
		}
		if je.NotAfter != "" {
			t, err := time.Parse(time.RFC3339, je.NotAfter)
			if err != nil {
				return nil, fmt.Errorf("%s give epoch %d a malformed not_after (want RFC 3339)", errParams, je.Epoch)
			}
			e.NotAfter = t
		}
		p.Epochs = append(p.Epochs, e)
	}
	return p, nil
}
