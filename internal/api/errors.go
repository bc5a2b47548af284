package api

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/leakwatch/leakwatch/internal/exposure"
)

// clientError is an answer other than success that a handler chooses. Its
// message is all a client learns; it never holds what the client sent.
type clientError struct {
	status int
	// msg is the message. With exact it is the whole body, a wire format
	// clients parse (sent as is, in ctype); otherwise the adapter wraps it
	// in the route's error format with the request id. Empty means an empty
	// body.
	msg        string
	exact      bool
	ctype      string
	retryAfter int // seconds, for 429
}

func (e *clientError) Error() string {
	return strconv.Itoa(e.status) + " " + http.StatusText(e.status)
}

const (
	ctypeJSON = "application/json; charset=utf-8"
	ctypeText = "text/plain; charset=utf-8"
)

// The answers of the public services, byte for byte.
var (
	errNotFound  = &clientError{status: http.StatusNotFound, exact: true}
	errBadPrefix = &clientError{status: http.StatusBadRequest, msg: "The hash was not in a valid format", exact: true, ctype: "text/plain"}

	errMissingKey   = unauthorized("missing")
	errMalformedKey = unauthorized("improperly formed")
	errInvalidKey   = unauthorized("invalid")

	errBadAccount     = &clientError{status: http.StatusBadRequest, msg: "Bad request: the account is not a valid email address, phone number or username."}
	errBadEmailPrefix = &clientError{status: http.StatusBadRequest, msg: "Bad request: the hash prefix must be 6 hexadecimal characters."}
	errNoUserAgent    = &clientError{status: http.StatusForbidden, msg: "Forbidden: requests must carry a User-Agent header."}
	errMethod         = &clientError{status: http.StatusMethodNotAllowed, msg: "Method not allowed."}
	errTooLarge       = &clientError{status: http.StatusRequestEntityTooLarge, msg: "Request body too large."}
	errBadDomain      = &clientError{status: http.StatusBadRequest, msg: "Bad request: not a valid domain name."}
	errBadEmail       = &clientError{status: http.StatusBadRequest, msg: "Bad request: not a valid email address."}
	errDomainNotOwned = &clientError{status: http.StatusForbidden, msg: "Forbidden: the domain must be verified by the owner of this API key."}
	errEmailNotOwned  = &clientError{status: http.StatusForbidden, msg: "Forbidden: the address, or its domain, must be verified by the owner of this API key."}
	errInternal       = &clientError{status: http.StatusInternalServerError, msg: "Internal server error."}
	errUnavailable    = &clientError{status: http.StatusServiceUnavailable, msg: "Service unavailable."}
	errNoAccounts     = &clientError{status: http.StatusServiceUnavailable, msg: "Account search is not configured on this server."}
)

func badQuery(name string) *clientError {
	return &clientError{status: http.StatusBadRequest, msg: "Bad request: invalid value of query parameter " + name + "."}
}

func unauthorized(why string) *clientError {
	return &clientError{status: http.StatusUnauthorized, msg: "Access denied due to " + why + " hibp-api-key.", exact: true, ctype: ctypeText}
}

// rateLimited is the 429 answer after wait, rounded up to whole seconds.
func rateLimited(wait time.Duration) *clientError {
	secs := int((wait + time.Second - 1) / time.Second)
	secs = max(secs, 1)
	return &clientError{
		status:     http.StatusTooManyRequests,
		msg:        `{"statusCode":429,"message":"Rate limit is exceeded. Try again in ` + strconv.Itoa(secs) + ` seconds."}`,
		exact:      true,
		ctype:      ctypeJSON,
		retryAfter: secs,
	}
}

// fail is the one place that turns a handler's error into an answer: the
// status and body a client sees, and a log line with the cause and the
// request id for errors that are the server's.
func (h *Handler) fail(w *statusWriter, r *http.Request, rt *route, q *request, err error) {
	var ce *clientError
	switch {
	case errors.As(err, &ce):
	case errors.Is(err, exposure.ErrBadAccount):
		ce = errBadAccount
	case r.Context().Err() != nil && errors.Is(err, context.Canceled):
		// The client went away; nobody reads the answer.
		h.log.LogAttrs(r.Context(), slog.LevelDebug, "request cancelled",
			slog.String("id", q.id), slog.String("route", rt.pattern))
		ce = errUnavailable
	default:
		h.log.LogAttrs(r.Context(), slog.LevelError, "request failed",
			slog.String("id", q.id), slog.String("route", rt.pattern), slog.Any("err", err))
		ce = errInternal
	}
	if w.status != 0 {
		// Too late to change the answer: the handler already sent its
		// header. The error is logged above if it was the server's.
		return
	}
	hdr := w.Header()
	// Headers that described a success do not describe this answer.
	for _, k := range []string{"Etag", "Last-Modified", "Cache-Control", "Content-Encoding", "Vary"} {
		delete(hdr, k)
	}
	hdr.Set("Cache-Control", "no-store")
	if ce.retryAfter > 0 {
		hdr.Set("Retry-After", strconv.Itoa(ce.retryAfter))
	}
	var body []byte
	ctype := ce.ctype
	switch {
	case ce.exact:
		body = []byte(ce.msg)
	case rt.api:
		body, _ = json.Marshal(struct {
			StatusCode int    `json:"statusCode"`
			Message    string `json:"message"`
		}{ce.status, ce.msg + " Request id " + q.id + "."})
		ctype = ctypeJSON
	default:
		body = []byte(ce.msg + " Request id " + q.id + ".\n")
		ctype = ctypeText
	}
	if len(body) > 0 {
		hdr.Set("Content-Type", ctype)
	}
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(ce.status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}
