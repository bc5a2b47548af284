package control

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/leakwatch/leakwatch/internal/alert"
	"github.com/leakwatch/leakwatch/internal/api"
	"github.com/leakwatch/leakwatch/internal/exposure"
	"github.com/leakwatch/leakwatch/internal/ingest"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/owner"
	"github.com/leakwatch/leakwatch/internal/store"
)

// The admin API's wire format.
//
// Every call is an HTTP request under /v1/ with a JSON body, answered with
// JSON, or with wireError and a status other than 200. An import streams
// both ways: the request body is a sequence of frames (the request, a
// manifest of the inputs, then each input's bytes), and the answer a
// sequence of JSON lines (events, then the summary and any error), so that
// inputs travel from the client's machine and progress comes back while the
// import runs.

// errorCodes name the errors callers branch on, so that a Client returns
// errors that wrap the same sentinels a Local would.
var errorCodes = []struct {
	code string
	err  error
}{
	{"not_found", store.ErrNotFound},
	{"nothing_to_import", ingest.ErrNothingToImport},
	{"bad_request", ErrBadRequest},
	{"bad_account", exposure.ErrBadAccount},
	{"no_such_key", api.ErrNoSuchKey},
	{"key_exists", api.ErrKeyExists},
	{"token_exists", ErrTokenExists},
	{"no_such_token", ErrNoSuchToken},
	{"busy", ErrBusy},
	{"import_running", store.ErrImportRunning},
	{"no_key_file", ErrNoKeyFile},
	{"key_mismatch", keyring.ErrKeyMismatch},
	{"shutting_down", ErrShuttingDown},
	{"unauthorized", ErrUnauthorized},
	{"no_such_owner", owner.ErrNotFound},
	{"wrong_code", owner.ErrWrongCode},
	{"not_proven", owner.ErrNotProven},
	{"domain_owned", owner.ErrOwned},
	{"no_mailer", owner.ErrNeedsMailer},
	{"not_verified", alert.ErrNotVerified},
	{"no_channel", alert.ErrNoChannel},
	{"no_such_alert", alert.ErrNotFound},
	{"bad_webhook", alert.ErrBadWebhook},
}

// ErrShuttingDown reports a call the server stopped because it is shutting
// down (an import is aborted, with nothing committed).
var ErrShuttingDown = errors.New("the server is shutting down")

// ErrUnauthorized reports a call without a valid admin token.
var ErrUnauthorized = errors.New("no valid admin token (set LEAKWATCH_ADMIN_TOKEN)")

// wireError is an error as it travels: a code from errorCodes (or
// "error") and the message.
type wireError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func toWire(err error) *wireError {
	if err == nil {
		return nil
	}
	for _, c := range errorCodes {
		if errors.Is(err, c.err) {
			return &wireError{c.code, err.Error()}
		}
	}
	return &wireError{"error", err.Error()}
}

// remoteError is an error a server returned: its message, wrapping the
// sentinel of its code.
type remoteError struct {
	msg string
	err error
}

func (e *remoteError) Error() string { return e.msg }
func (e *remoteError) Unwrap() error { return e.err }

func (w *wireError) error() error {
	if w == nil {
		return nil
	}
	for _, c := range errorCodes {
		if c.code == w.Code {
			return &remoteError{w.Message, c.err}
		}
	}
	return errors.New(w.Message)
}

// Frame types of an import's request body.
const (
	frameRequest  = 'R' // JSON importHeader
	frameManifest = 'M' // JSON manifest
	frameStart    = 'S' // JSON inputStart: an input begins
	frameData     = 'D' // bytes of the current input
	frameEnd      = 'E' // the current input ends
	frameFail     = 'X' // JSON: reading the current input failed on the client: its reason
	frameDone     = 'Z' // no more inputs
)

// maxFrame bounds a frame's payload.
const maxFrame = 1 << 20

// importHeader is the request of an import, as sent.
type importHeader struct {
	Request ImportRequest `json:"request"`
}

// manifest says what the client found before sending its inputs.
type manifest struct {
	Count   int              `json:"count"`
	Total   int64            `json:"total"`
	Skipped []ingest.Skip    `json:"skipped"`
	Failed  []ingest.Failure `json:"failed"`
	Ignored int              `json:"ignored"`
}

type inputStart struct {
	Name string `json:"name"`
	Size int64  `json:"size"`
}

// frameWriter writes frames, each sent as soon as it is whole: an input
// that trickles in (a pipe, a slow disk) reaches the server as it comes.
type frameWriter struct{ w *bufio.Writer }

func (f *frameWriter) frame(t byte, payload []byte) error {
	var hdr [1 + binary.MaxVarintLen64]byte
	hdr[0] = t
	n := binary.PutUvarint(hdr[1:], uint64(len(payload)))
	if _, err := f.w.Write(hdr[:1+n]); err != nil {
		return err
	}
	if _, err := f.w.Write(payload); err != nil {
		return err
	}
	return f.w.Flush()
}

func (f *frameWriter) json(t byte, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return f.frame(t, b)
}

// frameReader reads frames.
type frameReader struct {
	r   *bufio.Reader
	buf []byte
}

func (f *frameReader) next() (byte, []byte, error) {
	t, err := f.r.ReadByte()
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return 0, nil, err
	}
	n, err := binary.ReadUvarint(f.r)
	if err != nil {
		return 0, nil, err
	}
	if n > maxFrame {
		return 0, nil, fmt.Errorf("%w: a frame of %d bytes", ErrBadRequest, n)
	}
	if cap(f.buf) < int(n) {
		f.buf = make([]byte, n)
	}
	f.buf = f.buf[:n]
	if _, err := io.ReadFull(f.r, f.buf); err != nil {
		return 0, nil, err
	}
	return t, f.buf, nil
}

func (f *frameReader) json(want byte, v any) error {
	t, b, err := f.next()
	if err != nil {
		return err
	}
	if t != want {
		return fmt.Errorf("%w: frame %q where %q was due", ErrBadRequest, t, want)
	}
	return json.Unmarshal(b, v)
}

// event is one line of an import's answer: exactly one field is set.
type event struct {
	Progress *ingest.Progress `json:"progress,omitempty"`
	Warn     string           `json:"warn,omitempty"`
	Failed   *ingest.Failure  `json:"failed,omitempty"`
	Summary  *ingest.Summary  `json:"summary,omitempty"`
	Error    *wireError       `json:"error,omitempty"`
	Done     bool             `json:"done,omitempty"`
}
