// Package privatechecktest is an in-memory server of leakwatch's private
// credential check, for testing programs that use package privatecheck:
// it serves the params document and answers checks with the real
// protocol, from leaks added with Add.
//
//	s, _ := privatechecktest.NewServer()
//	s.Add("jdoe@example.com", "Tr0ub4dor&3")
//	ts := httptest.NewServer(s)
//	defer ts.Close()
//	c := &privatecheck.Client{BaseURL: ts.URL}
//
// It is not a production server: it keeps the leaked passwords in memory
// so that Rotate can rebuild the index under a new key.
package privatechecktest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync"

	core "github.com/leakwatch/leakwatch/internal/privatecheck"
)

// CanaryLogin is the login of the canary pair every index holds.
const CanaryLogin = "leakwatch-canary@invalid"

// Server is an http.Handler answering GET /api/private/v1/params and POST
// /api/private/v1/check from one current epoch. It is safe for concurrent
// use.
type Server struct {
	// APIKey, if set, is required in the hibp-api-key header of checks.
	APIKey string

	mu             sync.Mutex
	bucketBits     uint8
	key            *core.Key
	index          *core.Index
	pairs          []pair
	canaryPassword string
}

type pair struct {
	login    core.Login
	password string
}

// NewServer returns a server of epoch 1 with 8-bit buckets, holding the
// canary pair only.
func NewServer() (*Server, error) {
	s := &Server{bucketBits: 8, canaryPassword: rand.Text()}
	l, err := core.ParseLogin(CanaryLogin)
	if err != nil {
		return nil, err
	}
	s.pairs = []pair{{l, s.canaryPassword}}
	if err := s.rebuild(1); err != nil {
		return nil, err
	}
	return s, nil
}

// rebuild makes epoch's key and index from s.pairs.
func (s *Server) rebuild(epoch uint32) error {
	key, err := core.GenerateKey(core.Params{Epoch: epoch, BucketBits: s.bucketBits}, rand.Reader)
	if err != nil {
		return err
	}
	ix := core.NewIndex(key)
	for _, p := range s.pairs {
		if err := ix.Add(p.login, []byte(p.password)); err != nil {
			return err
		}
	}
	s.key, s.index = key, ix
	return nil
}

// Add adds a leaked (login, password) pair.
func (s *Server) Add(login, password string) error {
	l, err := core.ParseLogin(login)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.index.Add(l, []byte(password)); err != nil {
		return err
	}
	s.pairs = append(s.pairs, pair{l, password})
	return nil
}

// Rotate starts the next epoch under a new key and forgets the current
// one: a check of the old epoch gets 410 Gone.
func (s *Server) Rotate() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rebuild(s.key.Params().Epoch + 1)
}

// Epoch returns the current epoch.
func (s *Server) Epoch() uint32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.key.Params().Epoch
}

// PublicKey returns the current epoch's public key.
func (s *Server) PublicKey() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.key.PublicKey()
}

// ServeHTTP answers the params and check endpoints; other paths get 404.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/api/private/v1/params":
		if r.Method != http.MethodGet {
			writeError(w, http.StatusMethodNotAllowed, "method not allowed")
			return
		}
		s.serveParams(w)
	case "/api/private/v1/check":
		if r.Method != http.MethodPost {
			writeError(w, http.StatusMethodNotAllowed, "method not allowed")
			return
		}
		s.serveCheck(w, r)
	default:
		writeError(w, http.StatusNotFound, "not found")
	}
}

func (s *Server) serveParams(w http.ResponseWriter) {
	s.mu.Lock()
	p, pub, canary := s.key.Params(), s.key.PublicKey(), s.canaryPassword
	s.mu.Unlock()
	doc := map[string]any{
		"v": 1, "suite": "ristretto255-SHA512", "mode": "verifiable", "elements": core.Elements,
		"slow_hash": map[string]any{"alg": "argon2id", "t": core.Argon2T, "m_kib": core.Argon2MemoryKiB, "p": core.Argon2Threads, "len": 32},
		"canary":    map[string]string{"login": CanaryLogin, "password": canary},
		"epochs": []map[string]any{{
			"epoch": p.Epoch, "state": "current", "public_key": base64.RawURLEncoding.EncodeToString(pub),
			"bucket_bits": p.BucketBits, "tag_bits": core.TagBits,
		}},
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(doc)
}

func (s *Server) serveCheck(w http.ResponseWriter, r *http.Request) {
	if s.APIKey != "" && r.Header.Get("hibp-api-key") != s.APIKey {
		writeError(w, http.StatusUnauthorized, "missing or invalid hibp-api-key")
		return
	}
	if r.Header.Get("Content-Type") != "application/x-leakwatch-private" {
		writeError(w, http.StatusUnsupportedMediaType, "unsupported media type")
		return
	}
	req, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<10))
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad request")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if epoch, ok := core.RequestEpoch(req); ok && epoch != s.key.Params().Epoch {
		writeError(w, http.StatusGone, "bad request")
		return
	}
	resp, err := s.index.Answer(req)
	switch {
	case errors.Is(err, core.ErrBadRequest):
		writeError(w, http.StatusBadRequest, "bad request")
		return
	case err != nil:
		writeError(w, http.StatusInternalServerError, "internal server error")
		return
	}
	w.Header().Set("Content-Type", "application/x-leakwatch-private")
	w.Write(resp)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": msg})
}
