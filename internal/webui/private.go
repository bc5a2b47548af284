package webui

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
)

// servePrivateCheck answers the login form's private check: the API's
// answer (Config.PrivateCheck) without an API key, within the page's
// per-address limit (its username-only answer says what the email search
// says).
func (h *Handler) servePrivateCheck(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		h.methodNotAllowed(w, "POST")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	if h.cfg.PrivateCheck == nil {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"error":"the private check is not enabled on this server"}`)
		return
	}
	if !h.limit.allow(clientIP(r)) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Retry-After", "60")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"error":"too many checks from your address: wait a minute"}`)
		return
	}
	h.cfg.PrivateCheck.ServeHTTP(w, r)
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
