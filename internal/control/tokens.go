package control

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/leakwatch/leakwatch/internal/store"
)

// Admin tokens authenticate remote operators on the admin API's TLS
// listener. They are not API keys: an API key only reads the public API,
// and the public listener never accepts an admin token.

// Admin token errors callers branch on.
var (
	ErrTokenExists  = errors.New("an admin token of that name exists")
	ErrNoSuchToken  = errors.New("no admin token of that name")
	ErrBadTokenName = errors.New("admin token names are 1-64 letters, digits, '.', '_', '-' or '@'")
)

var tokenNameRE = regexp.MustCompile(`^[A-Za-z0-9._@-]{1,64}$`)

// tokenPrefix starts every admin token, so that one found in a log or a
// repository is recognised for what it is.
const tokenPrefix = "lwadm_"

// AdminTokenInfo describes an admin token without its secret.
type AdminTokenInfo struct {
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
}

// createAdminToken creates an admin token and returns its secret: the
// prefix and 256 random bits in hex. Only the secret's SHA-256 is stored.
func createAdminToken(ctx context.Context, st store.Store, name string, rand io.Reader) (string, error) {
	if !tokenNameRE.MatchString(name) {
		return "", badRequest(ErrBadTokenName)
	}
	toks, err := st.AdminTokens(ctx)
	if err != nil {
		return "", fmt.Errorf("creating admin token: %w", err)
	}
	for _, t := range toks {
		if t.Name == name {
			return "", fmt.Errorf("creating admin token %q: %w", name, ErrTokenExists)
		}
	}
	var raw [32]byte
	if _, err := io.ReadFull(rand, raw[:]); err != nil {
		return "", fmt.Errorf("creating admin token: %w", err)
	}
	secret := tokenPrefix + hex.EncodeToString(raw[:])
	t := store.AdminToken{Name: name, Hash: sha256.Sum256([]byte(secret)), Created: time.Now().UTC().Truncate(time.Second)}
	if err := st.PutAdminToken(ctx, t); err != nil {
		return "", fmt.Errorf("creating admin token: %w", err)
	}
	return secret, nil
}

func listAdminTokens(ctx context.Context, st store.Store) ([]AdminTokenInfo, error) {
	toks, err := st.AdminTokens(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing admin tokens: %w", err)
	}
	out := make([]AdminTokenInfo, 0, len(toks))
	for _, t := range toks {
		out = append(out, AdminTokenInfo{Name: t.Name, Created: t.Created})
	}
	return out, nil
}

func revokeAdminToken(ctx context.Context, st store.Store, name string) error {
	err := st.DeleteAdminToken(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("revoking admin token %q: %w", name, ErrNoSuchToken)
	}
	return err
}

// StoreTokens checks admin tokens against a store's table on every call,
// so that a revoked token stops working with the next request.
type StoreTokens struct{ Store store.Store }

// CheckAdminToken implements TokenChecker.
func (s StoreTokens) CheckAdminToken(ctx context.Context, token string) error {
	if !strings.HasPrefix(token, tokenPrefix) {
		return ErrUnauthorized
	}
	toks, err := s.Store.AdminTokens(ctx)
	if err != nil {
		return err
	}
	sum := sha256.Sum256([]byte(token))
	ok := 0
	for _, t := range toks {
		ok |= subtle.ConstantTimeCompare(sum[:], t.Hash[:])
	}
	if ok != 1 {
		return ErrUnauthorized
	}
	return nil
}
