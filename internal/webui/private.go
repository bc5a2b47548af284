package webui

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"strings"
)

// servePrivateCheck answers the login form's private check: the same
// binary request and answer as POST /api/private/v1/check, without an API
// key but within the per-address limit of the other searches (its
// username-only answer says what the email search says).
func (h *Handler) servePrivateCheck(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		h.methodNotAllowed(w, "POST")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	if r.Header.Get("Content-Type") != "application/x-leakwatch-private" {
		http.Error(w, `{"error":"send application/x-leakwatch-private"}`, http.StatusUnsupportedMediaType)
		return
	}
	if !h.limit.allow(clientIP(r)) {
		w.Header().Set("Retry-After", "60")
		http.Error(w, `{"error":"too many checks from your address: wait a minute"}`, http.StatusTooManyRequests)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<10+1))
	if err != nil || len(body) > 1<<10 {
		http.Error(w, `{"error":"bad request"}`, http.StatusBadRequest)
		return
	}
	select {
	case h.checks <- struct{}{}:
	case <-r.Context().Done():
		return
	}
	resp, err := h.cfg.Backend.PrivateCheck(r.Context(), body)
	<-h.checks
	switch {
	case errors.Is(err, ErrBadRequest):
		http.Error(w, `{"error":"bad request"}`, http.StatusBadRequest)
	case errors.Is(err, ErrGone):
		http.Error(w, `{"error":"epoch not live: fetch the params again"}`, http.StatusGone)
	case errors.Is(err, ErrNotFound):
		http.Error(w, `{"error":"the private check is not enabled on this server"}`, http.StatusNotFound)
	case err != nil:
		h.cfg.Logger.Error("a private check failed", "err", err)
		http.Error(w, `{"error":"internal error"}`, http.StatusInternalServerError)
	default:
		w.Header().Set("Content-Type", "application/x-leakwatch-private")
		w.Write(resp)
	}
}

// serveWasm serves the embedded, gzipped client: as is to browsers that
// take gzip (all do), decompressed to others.
func (h *Handler) serveWasm(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.methodNotAllowed(w, "GET, HEAD")
		return
	}
	gz, err := staticFS.ReadFile("static/privatecheck.wasm.gz")
	if err != nil {
		h.notFound(w, r)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "application/wasm")
	hdr.Set("Cache-Control", "public, max-age=3600")
	hdr.Set("Vary", "Accept-Encoding")
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		hdr.Set("Content-Encoding", "gzip")
		if r.Method == http.MethodGet {
			w.Write(gz)
		}
		return
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if r.Method == http.MethodGet {
		io.Copy(w, zr)
	}
}
