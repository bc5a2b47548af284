package api

import (
	_ "embed"
	"net/http"
)

// openAPI describes every endpoint the handler serves (OpenAPI 3.1).
//
//go:embed openapi.json
var openAPI []byte

func (h *Handler) serveOpenAPI(w http.ResponseWriter, r *http.Request, q *request) error {
	w.Header().Set("Cache-Control", "public, max-age=3600")
	return h.writeBody(w, r, ctypeJSON, openAPI)
}
