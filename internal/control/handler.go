package control

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/leakwatch/leakwatch/internal/ingest"
	"github.com/leakwatch/leakwatch/internal/store"
)

// Handler serves the admin API from a Service (the server's Local). It
// never runs on the public listener: the server gives it a Unix socket that
// only the data directory's owner can open, and, for remote operators, a
// TLS listener whose every request must carry an admin token.
type Handler struct {
	svc    Service
	log    *slog.Logger
	tokens TokenChecker // nil: no token needed (the Unix socket)
	// stop ends imports when the server shuts down: they are aborted with
	// nothing committed, and the client is told why.
	stop <-chan struct{}
	mux  *http.ServeMux
}

// TokenChecker verifies admin tokens.
type TokenChecker interface {
	CheckAdminToken(ctx context.Context, token string) error
}

// NewHandler returns the admin API of svc. tokens, if not nil, is asked to
// verify the bearer token of every request; stop, when closed, aborts
// running imports.
func NewHandler(svc Service, log *slog.Logger, tokens TokenChecker, stop <-chan struct{}) *Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &Handler{svc: svc, log: log, tokens: tokens, stop: stop, mux: http.NewServeMux()}
	h.mux.HandleFunc("POST /v1/import", h.serveImport)
	h.mux.HandleFunc("GET /v1/export", h.serveExport)
	h.mux.HandleFunc("GET /v1/backup", h.serveBackup)
	h.handle("GET /v1/breaches", func(ctx context.Context, r *http.Request) (any, error) { return h.svc.Breaches(ctx) })
	h.handle("GET /v1/breach", func(ctx context.Context, r *http.Request) (any, error) {
		return h.svc.Breach(ctx, r.URL.Query().Get("name"))
	})
	h.handle("POST /v1/breach", func(ctx context.Context, r *http.Request) (any, error) {
		var req struct {
			Name string     `json:"name"`
			Edit BreachEdit `json:"edit"`
		}
		if err := decode(r, &req); err != nil {
			return nil, err
		}
		return h.svc.EditBreach(ctx, req.Name, req.Edit)
	})
	h.handle("POST /v1/check/account", func(ctx context.Context, r *http.Request) (any, error) {
		var req struct {
			Account string `json:"account"`
		}
		if err := decode(r, &req); err != nil {
			return nil, err
		}
		return h.svc.AccountBreaches(ctx, req.Account)
	})
	h.handle("POST /v1/check/password", func(ctx context.Context, r *http.Request) (any, error) {
		var req struct {
			Password []byte `json:"password"`
		}
		if err := decode(r, &req); err != nil {
			return nil, err
		}
		n, err := h.svc.PasswordCount(ctx, req.Password)
		clear(req.Password)
		return map[string]int64{"count": n}, err
	})
	h.handle("GET /v1/quarantine", func(ctx context.Context, r *http.Request) (any, error) {
		return h.svc.Quarantine(ctx, r.URL.Query().Get("breach"), r.URL.Query().Get("lines") == "1")
	})
	h.handle("POST /v1/keys", func(ctx context.Context, r *http.Request) (any, error) {
		var req struct {
			Name  string `json:"name"`
			RPM   int    `json:"rpm"`
			Owner string `json:"owner"`
		}
		if err := decode(r, &req); err != nil {
			return nil, err
		}
		secret, err := h.svc.CreateKey(ctx, req.Name, req.RPM, req.Owner)
		return map[string]string{"secret": secret}, err
	})
	h.handle("GET /v1/keys", func(ctx context.Context, r *http.Request) (any, error) { return h.svc.Keys(ctx) })
	h.handle("POST /v1/keys/revoke", func(ctx context.Context, r *http.Request) (any, error) {
		var req struct {
			Name string `json:"name"`
		}
		if err := decode(r, &req); err != nil {
			return nil, err
		}
		return struct{}{}, h.svc.RevokeKey(ctx, req.Name)
	})
	h.handle("POST /v1/admin-tokens", func(ctx context.Context, r *http.Request) (any, error) {
		var req struct {
			Name string `json:"name"`
		}
		if err := decode(r, &req); err != nil {
			return nil, err
		}
		secret, err := h.svc.CreateAdminToken(ctx, req.Name)
		return map[string]string{"secret": secret}, err
	})
	h.handle("GET /v1/admin-tokens", func(ctx context.Context, r *http.Request) (any, error) { return h.svc.AdminTokens(ctx) })
	h.handle("POST /v1/admin-tokens/revoke", func(ctx context.Context, r *http.Request) (any, error) {
		var req struct {
			Name string `json:"name"`
		}
		if err := decode(r, &req); err != nil {
			return nil, err
		}
		return struct{}{}, h.svc.RevokeAdminToken(ctx, req.Name)
	})
	h.handle("POST /v1/keyring/rotate", func(ctx context.Context, r *http.Request) (any, error) { return h.svc.RotateKeyring(ctx) })
	h.handle("GET /v1/status", func(ctx context.Context, r *http.Request) (any, error) { return h.svc.Status(ctx) })
	h.ownerRoutes()
	h.privateRoutes()
	h.verifyRoutes()
	return h
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if h.tokens != nil {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || h.tokens.CheckAdminToken(r.Context(), strings.TrimSpace(tok)) != nil {
			writeError(w, http.StatusUnauthorized, ErrUnauthorized)
			return
		}
	}
	h.mux.ServeHTTP(w, r)
}

// handle serves a JSON call.
func (h *Handler) handle(pattern string, fn func(ctx context.Context, r *http.Request) (any, error)) {
	h.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		v, err := fn(r.Context(), r)
		if err != nil {
			status := http.StatusUnprocessableEntity
			if errors.Is(err, store.ErrNotFound) {
				status = http.StatusNotFound
			}
			if toWire(err).Code == "error" {
				status = http.StatusInternalServerError
				h.log.Error("admin call failed", "route", pattern, "err", err)
			}
			writeError(w, status, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(v)
	})
}

func decode(r *http.Request, v any) error {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		return fmt.Errorf("%w: %v", ErrBadRequest, err)
	}
	return nil
}

func writeError(w http.ResponseWriter, status int, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(toWire(err))
}

// serveExport streams the password corpus; its figures, or an error met
// after the body began, come as trailers.
func (h *Handler) serveExport(w http.ResponseWriter, r *http.Request) {
	kind, ok := store.ParseHashKind(r.URL.Query().Get("kind"))
	if !ok {
		writeError(w, http.StatusBadRequest, fmt.Errorf("%w: unknown hash kind", ErrBadRequest))
		return
	}
	w.Header().Set("Trailer", "Leakwatch-Hashes, Leakwatch-Prefixes, Leakwatch-Error")
	w.Header().Set("Content-Type", "text/plain")
	st, err := h.svc.ExportPasswords(r.Context(), kind, w)
	w.Header().Set("Leakwatch-Hashes", strconv.FormatInt(st.Hashes, 10))
	w.Header().Set("Leakwatch-Prefixes", strconv.Itoa(st.Prefixes))
	if err != nil {
		b, _ := json.Marshal(toWire(err))
		w.Header().Set("Leakwatch-Error", string(b))
	}
}

// serveBackup streams a backup; its manifest, or an error met after the
// body began, come as trailers. The key file leaves only through the
// socket: an admin token is not the key file.
func (h *Handler) serveBackup(w http.ResponseWriter, r *http.Request) {
	keys := r.URL.Query().Get("keys") == "1"
	if keys && h.tokens != nil {
		writeError(w, http.StatusBadRequest, fmt.Errorf("%w: a backup with the key file is made on the server's host only (its admin socket), never over the network", ErrBadRequest))
		return
	}
	w.Header().Set("Trailer", "Leakwatch-Manifest, Leakwatch-Error")
	w.Header().Set("Content-Type", "application/zstd")
	m, err := h.svc.Backup(r.Context(), w, keys)
	if err != nil {
		b, _ := json.Marshal(toWire(err))
		w.Header().Set("Leakwatch-Error", string(b))
		return
	}
	b, _ := json.Marshal(m)
	w.Header().Set("Leakwatch-Manifest", string(b))
}

// serveImport runs an import whose inputs stream in the request body,
// answering with a line of JSON per event, flushed as it happens.
func (h *Handler) serveImport(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	// The answer streams while the body still arrives.
	if err := rc.EnableFullDuplex(); err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	ctx, cancel := context.WithCancelCause(r.Context())
	defer cancel(nil)
	// Shutting down aborts the import, and ends a read of the body that
	// waits for a client with nothing to send.
	finished := make(chan struct{})
	var watch sync.WaitGroup
	watch.Go(func() {
		select {
		case <-h.stop:
			cancel(ErrShuttingDown)
			rc.SetReadDeadline(time.Now())
		case <-finished:
		}
	})
	defer func() {
		close(finished)
		watch.Wait()
	}()
	fr := &frameReader{r: bufio.NewReaderSize(r.Body, 64<<10)}
	var hdr importHeader
	var man manifest
	if err := fr.json(frameRequest, &hdr); err != nil {
		writeError(w, http.StatusBadRequest, fmt.Errorf("%w: reading the import request: %v", ErrBadRequest, err))
		return
	}
	if !hdr.Request.FromQuarantine {
		if err := fr.json(frameManifest, &man); err != nil {
			writeError(w, http.StatusBadRequest, fmt.Errorf("%w: reading the import's inputs: %v", ErrBadRequest, err))
			return
		}
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.WriteHeader(http.StatusOK)
	var mu sync.Mutex
	enc := json.NewEncoder(w)
	send := func(ev event) {
		mu.Lock()
		defer mu.Unlock()
		enc.Encode(ev)
		rc.Flush()
	}
	ev := Events{
		Progress: func(p ingest.Progress) { send(event{Progress: &p}) },
		Warn:     func(s string) { send(event{Warn: s}) },
		Failed:   func(f ingest.Failure) { send(event{Failed: &f}) },
	}
	req := hdr.Request
	req.inputs = &ingest.Inputs{Count: man.Count, Total: man.Total, Skipped: man.Skipped, Failed: man.Failed, Ignored: man.Ignored,
		Next: (&remoteInputs{fr: fr}).next}
	sum, err := h.svc.Import(ctx, req, ev)
	if cause := context.Cause(ctx); err != nil && errors.Is(cause, ErrShuttingDown) {
		err = fmt.Errorf("%w: the import was aborted, nothing committed", ErrShuttingDown)
	}
	send(event{Summary: sum, Error: toWire(err), Done: true})
}

// remoteInputs turns the frames of a request body into inputs.
type remoteInputs struct {
	fr  *frameReader
	cur *frameInput // the input being read, if any
}

func (ri *remoteInputs) next(ctx context.Context) (ingest.Input, error) {
	if ri.cur != nil {
		// The import may have stopped reading the previous input early
		// (no leak): skip the rest of it.
		if err := ri.cur.drain(); err != nil {
			return ingest.Input{}, err
		}
	}
	t, b, err := ri.fr.next()
	if err != nil {
		return ingest.Input{}, err
	}
	switch t {
	case frameDone:
		return ingest.Input{}, io.EOF
	case frameStart:
		var s inputStart
		if err := json.Unmarshal(b, &s); err != nil {
			return ingest.Input{}, fmt.Errorf("%w: %v", ErrBadRequest, err)
		}
		ri.cur = &frameInput{fr: ri.fr}
		in := ri.cur
		return ingest.Input{Name: s.Name, Size: s.Size, Open: func(context.Context) (io.ReadCloser, error) {
			return io.NopCloser(in), nil
		}}, nil
	}
	return ingest.Input{}, fmt.Errorf("%w: frame %q where an input was due", ErrBadRequest, t)
}

// frameInput reads the data frames of one input.
type frameInput struct {
	fr   *frameReader
	data []byte
	done bool
	err  error
}

// errClientInput marks a read error the client met on its side.
type errClientInput struct{ reason string }

func (e *errClientInput) Error() string { return e.reason }

func (in *frameInput) Read(p []byte) (int, error) {
	for len(in.data) == 0 {
		if in.done {
			return 0, io.EOF
		}
		if in.err != nil {
			return 0, in.err
		}
		t, b, err := in.fr.next()
		switch {
		case err != nil:
			in.err = err
			return 0, err
		case t == frameData:
			in.data = b // the frame reader's buffer: read out before its next frame
		case t == frameEnd:
			in.done = true
		case t == frameFail:
			var f struct {
				Reason string `json:"reason"`
			}
			json.Unmarshal(b, &f)
			in.done, in.err = true, &errClientInput{f.Reason}
			return 0, in.err
		default:
			in.err = fmt.Errorf("%w: frame %q inside an input", ErrBadRequest, t)
			return 0, in.err
		}
	}
	n := copy(p, in.data)
	in.data = in.data[n:]
	return n, nil
}

func (in *frameInput) drain() error {
	var buf [32 << 10]byte
	for !in.done {
		if _, err := in.Read(buf[:]); err != nil && err != io.EOF {
			var ce *errClientInput
			if errors.As(err, &ce) {
				return nil
			}
			return err
		}
	}
	return nil
}
