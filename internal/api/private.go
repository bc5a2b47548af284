package api

import (
	"context"
	"errors"
	"io"
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

// servePrivateCheck answers a check: the body is read within its limit
// and checked for its format before any group operation, and at most one
// evaluation per core runs at a time (each costs about 2.3 ms).
func (h *Handler) servePrivateCheck(w http.ResponseWriter, r *http.Request, q *request) error {
	if h.cfg.Private == nil {
		return errPrivateOff
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	limit := int64(privateBinaryLimit)
	switch ct {
	case ctypePrivate:
	case "application/json":
		limit = privateJSONLimit
	default:
		return errPrivateType
	}
	if r.ContentLength > limit {
		return errPrivateTooLarge
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return errPrivateBad
	}
	if int64(len(body)) > limit {
		return errPrivateTooLarge
	}
	req := body
	if ct == "application/json" {
		if req, err = privatecheck.RequestFromJSON(body); err != nil {
			return errPrivateBad
		}
	}
	if _, ok := privatecheck.RequestEpoch(req); !ok {
		return errPrivateBad
	}
	select {
	case h.privateSlots <- struct{}{}:
	case <-r.Context().Done():
		return r.Context().Err()
	}
	resp, err := h.cfg.Private.Answer(r.Context(), req)
	<-h.privateSlots
	if err != nil {
		return privateError(err)
	}
	if ct == "application/json" {
		if resp, err = privatecheck.ResponseToJSON(resp); err != nil {
			return err
		}
	}
	hdr := w.Header()
	hdr.Set("Content-Type", ct)
	hdr.Set("Cache-Control", "no-store")
	_, err = w.Write(resp)
	return err
}

// privateSlotCount is how many evaluations run at once.
func privateSlotCount() int { return runtime.GOMAXPROCS(0) }
