package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sync"
	"time"

	"github.com/leakwatch/leakwatch/internal/store"
)

// API key errors callers branch on.
var (
	ErrKeyExists  = errors.New("an API key of that name exists")
	ErrNoSuchKey  = errors.New("no API key of that name")
	ErrBadKeyName = errors.New("API key names are 1-64 letters, digits, '.', '_', '-' or '@'")
	ErrBadRPM     = fmt.Errorf("the rate limit must be between 0 (server default) and %d requests per minute", MaxRPM)
)

var keyNameRE = regexp.MustCompile(`^[A-Za-z0-9._@-]{1,64}$`)

// secretLen is the length of an API key secret: 32 lower-case hex digits
// (128 random bits), the form of keys of the public service, so that
// clients that check the form accept it.
const secretLen = 32

// KeyInfo describes an API key without its secret.
type KeyInfo struct {
	Name    string
	RPM     int // requests per minute; 0 means the server's default
	Created time.Time
	// Owner is the account of the key's holder (owner.Service.AccountKey
	// of an address), zero if none.
	Owner store.AccountKey `json:",omitzero"`
}

// CreateKey creates an API key named name with a rate limit of rpm
// requests per minute (0: the server's default) and returns its secret,
// which clients send in the hibp-api-key header. Only the SHA-256 of the
// secret is stored, so the secret cannot be shown again. It fails with
// ErrKeyExists if the name is taken (revoke the old key first).
//
// owner, if not zero, is the account of the key's holder
// (owner.Service.AccountKey of an address): the key may then search what
// that account verified (its address once confirmed, its verified domains)
// and is shown the sensitive breaches of those. Zero is a key of the public
// lookups only.
func CreateKey(ctx context.Context, s store.Store, name string, rpm int, owner store.AccountKey, rand io.Reader) (string, error) {
	if !keyNameRE.MatchString(name) {
		return "", ErrBadKeyName
	}
	if rpm < 0 || rpm > MaxRPM {
		return "", ErrBadRPM
	}
	keys, err := s.APIKeys(ctx)
	if err != nil {
		return "", fmt.Errorf("creating API key: %w", err)
	}
	for _, k := range keys {
		if k.Name == name {
			return "", fmt.Errorf("creating API key %q: %w", name, ErrKeyExists)
		}
	}
	var raw [secretLen / 2]byte
	if _, err := io.ReadFull(rand, raw[:]); err != nil {
		return "", fmt.Errorf("creating API key: %w", err)
	}
	secret := hex.EncodeToString(raw[:])
	k := store.APIKey{Name: name, Hash: sha256.Sum256([]byte(secret)), RPM: rpm, Created: time.Now().UTC().Truncate(time.Second), Owner: owner}
	if err := s.PutAPIKey(ctx, k); err != nil {
		return "", fmt.Errorf("creating API key: %w", err)
	}
	return secret, nil
}

// ListKeys returns the API keys, ordered by name.
func ListKeys(ctx context.Context, s store.Store) ([]KeyInfo, error) {
	keys, err := s.APIKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing API keys: %w", err)
	}
	out := make([]KeyInfo, 0, len(keys))
	for _, k := range keys {
		out = append(out, KeyInfo{Name: k.Name, RPM: k.RPM, Created: k.Created, Owner: k.Owner})
	}
	return out, nil
}

// RevokeKey deletes an API key; ErrNoSuchKey if there is none. A running
// server stops accepting it at its next key refresh.
func RevokeKey(ctx context.Context, s store.Store, name string) error {
	err := s.DeleteAPIKey(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("revoking API key %q: %w", name, ErrNoSuchKey)
	}
	if err != nil {
		return fmt.Errorf("revoking API key %q: %w", name, err)
	}
	return nil
}

// keyState is a key the server accepts, with its rate limiter.
type keyState struct {
	name  string
	rpm   int // effective: the server default applied
	hash  [32]byte
	owner store.AccountKey // zero: no owner
	limit *limiter
}

// keyTable is the server's copy of the API keys, re-read from the store
// every refresh interval. Rate limiter state survives a refresh for keys
// that did not change (a changed owner makes a new key state: nothing of a
// key's state outlives a change of who holds it).
type keyTable struct {
	st         store.Store
	defaultRPM int
	refresh    time.Duration
	now        func() time.Time

	mu     sync.RWMutex
	byHash map[[32]byte]*keyState
	loaded time.Time

	reload sync.Mutex // one reload at a time
}

func newKeyTable(s store.Store, defaultRPM int, refresh time.Duration, now func() time.Time) *keyTable {
	return &keyTable{st: s, defaultRPM: defaultRPM, refresh: refresh, now: now, byHash: map[[32]byte]*keyState{}}
}

func (t *keyTable) load(ctx context.Context) error {
	keys, err := t.st.APIKeys(ctx)
	if err != nil {
		return fmt.Errorf("loading API keys: %w", err)
	}
	t.mu.RLock()
	old := t.byHash
	t.mu.RUnlock()
	next := make(map[[32]byte]*keyState, len(keys))
	for _, k := range keys {
		rpm := k.RPM
		if rpm <= 0 {
			rpm = t.defaultRPM
		}
		rpm = min(rpm, MaxRPM)
		if o, ok := old[k.Hash]; ok && o.name == k.Name && o.rpm == rpm && o.owner == k.Owner {
			next[k.Hash] = o
			continue
		}
		next[k.Hash] = &keyState{name: k.Name, rpm: rpm, hash: k.Hash, owner: k.Owner, limit: newLimiter(rpm)}
	}
	t.mu.Lock()
	t.byHash, t.loaded = next, t.now()
	t.mu.Unlock()
	return nil
}

// authenticate returns the key whose secret was sent, or the 401 answer
// for a missing, malformed or unknown key.
func (t *keyTable) authenticate(ctx context.Context, secret string) (*keyState, error) {
	if secret == "" {
		return nil, errMissingKey
	}
	if len(secret) != secretLen {
		return nil, errMalformedKey
	}
	var norm [secretLen]byte
	for i := 0; i < secretLen; i++ {
		c := secret[i]
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f':
		case c >= 'A' && c <= 'F':
			c += 'a' - 'A'
		default:
			return nil, errMalformedKey
		}
		norm[i] = c
	}
	if err := t.maybeReload(ctx); err != nil {
		return nil, err
	}
	h := sha256.Sum256(norm[:])
	t.mu.RLock()
	k := t.byHash[h]
	t.mu.RUnlock()
	if k == nil {
		return nil, errInvalidKey
	}
	return k, nil
}

func (t *keyTable) maybeReload(ctx context.Context) error {
	t.mu.RLock()
	fresh := t.now().Sub(t.loaded) < t.refresh
	t.mu.RUnlock()
	if fresh {
		return nil
	}
	if !t.reload.TryLock() {
		return nil // another request is reloading; use the current table
	}
	defer t.reload.Unlock()
	return t.load(ctx)
}

// limiter admits at most rpm requests in any one-minute window: it keeps
// the times of the last rpm admitted requests in a ring, and admits a new
// one only if the oldest of them is at least a minute old.
type limiter struct {
	mu    sync.Mutex
	times []time.Time // ring of admission times
	next  int         // index of the oldest admission once the ring is full
}

func newLimiter(rpm int) *limiter {
	return &limiter{times: make([]time.Time, 0, rpm)}
}

// allow admits a request at now, or tells how long until one would be.
func (l *limiter) allow(now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.times) < cap(l.times) {
		l.times = append(l.times, now)
		return true, 0
	}
	oldest := l.times[l.next]
	if wait := oldest.Add(time.Minute).Sub(now); wait > 0 {
		return false, wait
	}
	l.times[l.next] = now
	l.next = (l.next + 1) % len(l.times)
	return true, 0
}
