package api

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
)

// contentEncoding is a content coding the server can send.
type contentEncoding uint8

const (
	encIdentity contentEncoding = iota
	encGzip
	encBrotli
)

// minCompress is the smallest body worth compressing.
const minCompress = 256

// Compression levels, chosen by measurement on range bodies (random hex,
// which only entropy coding shrinks, to about 52%): brotli above quality 2
// costs four times the CPU for no smaller output, gzip levels differ little.
const (
	gzipLevel   = 6
	brotliLevel = 1
)

// negotiate picks the coding for an Accept-Encoding header (RFC 9110
// 12.5.3): the acceptable coding with the highest q-value, gzip on a tie
// (as small as brotli on these bodies, and cheaper), identity when neither
// is acceptable.
func negotiate(accept string) contentEncoding {
	if accept == "" {
		return encIdentity
	}
	qBr, qGzip, qAny := -1.0, -1.0, -1.0
	for accept != "" {
		var elem string
		elem, accept, _ = strings.Cut(accept, ",")
		name, params, _ := strings.Cut(elem, ";")
		name = strings.TrimSpace(name)
		q := 1.0
		for params != "" {
			var p string
			p, params, _ = strings.Cut(params, ";")
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(strings.TrimSpace(k), "q") {
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil || f < 0 || f > 1 {
					f = 0
				}
				q = f
			}
		}
		switch {
		case strings.EqualFold(name, "br"):
			qBr = q
		case strings.EqualFold(name, "gzip"), strings.EqualFold(name, "x-gzip"):
			qGzip = q
		case name == "*":
			qAny = q
		}
	}
	if qBr < 0 {
		qBr = qAny
	}
	if qGzip < 0 {
		qGzip = qAny
	}
	switch {
	case qGzip > 0 && qGzip >= qBr:
		return encGzip
	case qBr > 0:
		return encBrotli
	}
	return encIdentity
}

func (e contentEncoding) token() string {
	switch e {
	case encGzip:
		return "gzip"
	case encBrotli:
		return "br"
	}
	return ""
}

// compressors pools encoders: each holds large internal tables.
type compressors struct {
	gzip   sync.Pool
	brotli sync.Pool
}

func newCompressors() *compressors {
	c := &compressors{}
	c.gzip.New = func() any {
		w, err := gzip.NewWriterLevel(nil, gzipLevel)
		if err != nil {
			panic(err) // the level is a valid constant
		}
		return w
	}
	c.brotli.New = func() any { return brotli.NewWriterLevel(nil, brotliLevel) }
	return c
}

// encode appends body encoded with enc to dst.
func (c *compressors) encode(dst *bytes.Buffer, enc contentEncoding, body []byte) error {
	switch enc {
	case encGzip:
		w := c.gzip.Get().(*gzip.Writer)
		defer c.gzip.Put(w)
		w.Reset(dst)
		if _, err := w.Write(body); err != nil {
			return err
		}
		return w.Close()
	case encBrotli:
		w := c.brotli.Get().(*brotli.Writer)
		defer c.brotli.Put(w)
		w.Reset(dst)
		if _, err := w.Write(body); err != nil {
			return err
		}
		return w.Close()
	}
	_, err := dst.Write(body)
	return err
}

var hvVaryEncoding = []string{"Accept-Encoding"}

// writeBody sends a 200 answer of type ctype, compressed as the client
// accepts, and nothing but headers for HEAD.
func (h *Handler) writeBody(w http.ResponseWriter, r *http.Request, ctype string, body []byte) error {
	hdr := w.Header()
	hdr.Set("Content-Type", ctype)
	hdr["Vary"] = hvVaryEncoding
	out := body
	if len(body) >= minCompress {
		if enc := negotiate(r.Header.Get("Accept-Encoding")); enc != encIdentity {
			buf := h.bufs.Get().(*bytes.Buffer)
			defer h.bufs.Put(buf)
			buf.Reset()
			if err := h.comp.encode(buf, enc, body); err != nil {
				return err
			}
			out = buf.Bytes()
			hdr.Set("Content-Encoding", enc.token())
		}
	}
	hdr.Set("Content-Length", strconv.Itoa(len(out)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	_, err := w.Write(out)
	return err
}
