package api

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"runtime"

	"github.com/leakwatch/leakwatch/internal/privatecheck"
	"github.com/leakwatch/leakwatch/internal/privateindex"
)

// Private is the private credential check a server answers
// (privateindex.Index).
type Private interface {
	// Params returns the public parameters document.
	Params(ctx context.Context) ([]byte, error)
	// Answer answers a binary request: privatecheck.ErrBadRequest for a
	// malformed one, privateindex.ErrGone for one of an epoch not
	// answered, privateindex.ErrDisabled when nothing is enabled.
	Answer(ctx context.Context, req []byte) ([]byte, error)
}

var _ Private = (*privateindex.Index)(nil)

// The private check's content type of binary requests and answers.
const ctypePrivate = "application/x-leakwatch-private"

// Limits of a check request's body (docs/private-check.md section 7).
const (
	privateBinaryLimit = 1 << 10
	privateJSONLimit   = 2 << 10
)

// The private check's errors: fixed bodies that say nothing about the
// request.
var (
	errPrivateBad      = &clientError{status: http.StatusBadRequest, msg: `{"error":"bad request"}`, exact: true, ctype: ctypeJSON}
	errPrivateGone     = &clientError{status: http.StatusGone, msg: `{"error":"epoch not live: fetch /api/private/v1/params again"}`, exact: true, ctype: ctypeJSON}
	errPrivateOff      = &clientError{status: http.StatusNotFound, msg: `{"error":"the private check is not enabled on this server"}`, exact: true, ctype: ctypeJSON}
	errPrivateType     = &clientError{status: http.StatusUnsupportedMediaType, msg: `{"error":"send application/x-leakwatch-private or application/json"}`, exact: true, ctype: ctypeJSON}
	errPrivateTooLarge = &clientError{status: http.StatusRequestEntityTooLarge, msg: `{"error":"request too large"}`, exact: true, ctype: ctypeJSON}
)

func privateError(err error) error {
	switch {
	case errors.Is(err, privatecheck.ErrBadRequest):
		return errPrivateBad
	case errors.Is(err, privateindex.ErrGone):
		return errPrivateGone
	case errors.Is(err, privateindex.ErrDisabled):
		return errPrivateOff
	}
	return err
}

// servePrivateParams serves the epochs' public parameters.
func (h *Handler) servePrivateParams(w http.ResponseWriter, r *http.Request, q *request) error {
	if h.cfg.Private == nil {
		return errPrivateOff
	}
	doc, err := h.cfg.Private.Params(r.Context())
	if err != nil {
		return privateError(err)
	}
	hdr := w.Header()
	hdr.Set("Content-Type", ctypeJSON)
	hdr.Set("Cache-Control", "public, max-age=300")
	if r.Method == http.MethodHead {
		return nil
	}
	_, err = w.Write(doc)
	return err
}

// servePrivateCheck answers a check (privateCheck) for a holder of an API
// key.
func (h *Handler) servePrivateCheck(w http.ResponseWriter, r *http.Request, q *request) error {
	if h.cfg.Private == nil {
		return errPrivateOff
	}
	ct, resp, err := privateCheck(r, h.cfg.Private)
	if err != nil {
		return err
	}
	return writePrivate(w, ct, resp)
}

// privateSlots bounds the private-check evaluations in progress in the
// process, whichever handler runs them: one a core.
var privateSlots = make(chan struct{}, runtime.GOMAXPROCS(0))

// privateCheck reads a check request's body within its limit, checks its
// format before any group operation, evaluates it (at most one evaluation
// per core at a time, each costs about 2.3 ms) and returns the answer in
// the request's content type. Client errors are the errPrivate* answers.
func privateCheck(r *http.Request, p Private) (ctype string, resp []byte, err error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	limit := int64(privateBinaryLimit)
	switch ct {
	case ctypePrivate:
	case "application/json":
		limit = privateJSONLimit
	default:
		return "", nil, errPrivateType
	}
	if r.ContentLength > limit {
		return "", nil, errPrivateTooLarge
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return "", nil, errPrivateBad
	}
	if int64(len(body)) > limit {
		return "", nil, errPrivateTooLarge
	}
	req := body
	if ct == "application/json" {
		if req, err = privatecheck.RequestFromJSON(body); err != nil {
			return "", nil, errPrivateBad
		}
	}
	if _, ok := privatecheck.RequestEpoch(req); !ok {
		return "", nil, errPrivateBad
	}
	select {
	case privateSlots <- struct{}{}:
	case <-r.Context().Done():
		return "", nil, r.Context().Err()
	}
	resp, err = p.Answer(r.Context(), req)
	<-privateSlots
	if err != nil {
		return "", nil, privateError(err)
	}
	if ct == "application/json" {
		if resp, err = privatecheck.ResponseToJSON(resp); err != nil {
			return "", nil, err
		}
	}
	return ct, resp, nil
}

func writePrivate(w http.ResponseWriter, ct string, resp []byte) error {
	hdr := w.Header()
	hdr.Set("Content-Type", ct)
	hdr.Set("Cache-Control", "no-store")
	_, err := w.Write(resp)
	return err
}

// PrivateCheckHandler serves POST of the private check without an API
// key, with the answers and error bodies of /api/private/v1/check: for the
// web interface's page, which limits its clients its own way. A failure of
// the server is logged and answered 500.
func PrivateCheckHandler(p Private, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", "POST")
			http.Error(w, "Method not allowed.", http.StatusMethodNotAllowed)
			return
		}
		ct, resp, err := privateCheck(r, p)
		var ce *clientError
		switch {
		case err == nil:
			writePrivate(w, ct, resp)
			return
		case errors.As(err, &ce):
		case r.Context().Err() != nil:
			return // the client went away
		default:
			log.Error("a private check failed", "err", err)
			ce = &clientError{status: http.StatusInternalServerError, msg: `{"error":"internal error"}`, exact: true, ctype: ctypeJSON}
		}
		w.Header().Set("Content-Type", ce.ctype)
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(ce.status)
		io.WriteString(w, ce.msg)
	})
}
