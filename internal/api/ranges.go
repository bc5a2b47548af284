package api

import (
	"bytes"
	"context"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/leakwatch/leakwatch/internal/pwned"
	"github.com/leakwatch/leakwatch/internal/store"
)

// rangeScratch is the per-request memory of the range handler, pooled so
// that a request allocates almost nothing.
type rangeScratch struct {
	body   []byte
	padded []byte
	out    bytes.Buffer
	tag    []byte
	padder *pwned.Padder // created on first use
}

func (h *Handler) newRangeScratch() any {
	return &rangeScratch{body: make([]byte, 0, 8<<10), tag: make([]byte, 0, 48)}
}

var (
	hvTextPlain  = []string{"text/plain"}
	hvRangeCache = []string{"public, max-age=2678400"}
	// A cache must not hand an unpadded answer to a client that asked for
	// padding, nor one coding to a client that accepts another.
	hvRangeVary = []string{"Accept-Encoding, Add-Padding"}
	hvGzip      = []string{"gzip"}
	hvBrotli    = []string{"br"}
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// serveRange answers GET /range/{prefix}: the Pwned Passwords range body,
// 200 for every one of the 16^5 prefixes.
func (h *Handler) serveRange(w http.ResponseWriter, r *http.Request, q *request) error {
	prefix, ok := pwned.ParsePrefix(q.param)
	if !ok {
		return errBadPrefix
	}
	kind, ok := rangeMode(r.URL.RawQuery)
	if !ok {
		return badQuery("mode")
	}
	sc := h.ranges.Get().(*rangeScratch)
	defer h.ranges.Put(sc)
	var body []byte
	var n int
	var err error
	h.packMu.RLock()
	if pack := h.packs[kind].Load(); pack != nil {
		body, n, err = pack.AppendRange(sc.body[:0], prefix)
		h.packMu.RUnlock()
	} else {
		h.packMu.RUnlock()
		body, n, err = pwned.AppendRange(r.Context(), sc.body[:0], h.st, kind, prefix)
	}
	sc.body = body
	if err != nil {
		return fmt.Errorf("rendering range: %w", err)
	}
	padded := strings.EqualFold(r.Header.Get("Add-Padding"), "true")
	// A padded answer is never smaller than minCompress.
	enc := encIdentity
	if padded || len(body) >= minCompress {
		enc = negotiate(r.Header.Get("Accept-Encoding"))
	}

	// The entity tag names the content (kind, length, CRC-32C of the
	// unpadded body) and the coding; a padded answer varies per request
	// but means the same, so its tag is weak.
	tag := sc.tag[:0]
	if padded {
		tag = append(tag, "W/"...)
	}
	tag = append(tag, '"')
	tag = append(tag, kind.String()[0])
	tag = strconv.AppendUint(tag, uint64(len(body)), 36)
	tag = append(tag, '-')
	tag = strconv.AppendUint(tag, uint64(crc32.Checksum(body, castagnoli)), 36)
	if enc != encIdentity {
		tag = append(tag, '-')
		tag = append(tag, enc.token()...)
	}
	tag = append(tag, '"')
	sc.tag = tag

	hdr := w.Header()
	hdr["Content-Type"] = hvTextPlain
	hdr["Cache-Control"] = hvRangeCache
	mt := h.modTime.Load()
	hdr["Last-Modified"] = mt.header
	hdr["Vary"] = hvRangeVary
	hdr["Etag"] = []string{string(tag)}
	if h.notModified(r, tag, mt.t) {
		delete(hdr, "Content-Type")
		w.WriteHeader(http.StatusNotModified)
		return nil
	}

	out := body
	if padded {
		if sc.padder == nil {
			var seed [32]byte
			h.randMu.Lock()
			_, err := io.ReadFull(h.cfg.Rand, seed[:])
			h.randMu.Unlock()
			if err != nil {
				return fmt.Errorf("seeding padding: %w", err)
			}
			sc.padder = pwned.NewPadder(seed)
		}
		sc.padded = sc.padder.Append(sc.padded[:0], body, n, kind)
		out = sc.padded
	}
	if enc != encIdentity {
		sc.out.Reset()
		if err := h.comp.encode(&sc.out, enc, out); err != nil {
			return fmt.Errorf("compressing range: %w", err)
		}
		out = sc.out.Bytes()
		if enc == encGzip {
			hdr["Content-Encoding"] = hvGzip
		} else {
			hdr["Content-Encoding"] = hvBrotli
		}
	}
	hdr["Content-Length"] = []string{strconv.Itoa(len(out))}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(out) // an error here means the client is gone
	}
	return nil
}

// rangeMode reads the mode query parameter: sha1 (also when absent or
// empty) or ntlm, either case.
func rangeMode(rawQuery string) (store.HashKind, bool) {
	for rawQuery != "" {
		var kv string
		kv, rawQuery, _ = strings.Cut(rawQuery, "&")
		k, v, _ := strings.Cut(kv, "=")
		if k != "mode" {
			continue
		}
		if strings.ContainsAny(v, "%+") {
			var err error
			if v, err = url.QueryUnescape(v); err != nil {
				return 0, false
			}
		}
		switch {
		case v == "", strings.EqualFold(v, "sha1"):
			return store.SHA1, true
		case strings.EqualFold(v, "ntlm"):
			return store.NTLM, true
		}
		return 0, false
	}
	return store.SHA1, true
}

// notModified evaluates If-None-Match (weak comparison) or, without it,
// If-Modified-Since, against the answer's tag and the data set's time.
func (h *Handler) notModified(r *http.Request, tag []byte, modTime time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		opaque := bytes.TrimPrefix(tag, []byte("W/"))
		for inm != "" {
			var t string
			t, inm, _ = strings.Cut(inm, ",")
			t = strings.TrimSpace(t)
			if t == "*" || strings.TrimPrefix(t, "W/") == string(opaque) {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		t, err := http.ParseTime(ims)
		if err != nil {
			return false
		}
		return !modTime.After(t)
	}
	return false
}

// buildPacks builds the range packs of both hash kinds in dir, one after
// the other, swapping each in as it is ready, and builds them again after
// each commit the handler is told of (DataChanged), until ctx ends.
func (h *Handler) buildPacks(ctx context.Context, dir string) {
	h.setPackState("building", nil)
	for {
		for _, kind := range []store.HashKind{store.SHA1, store.NTLM} {
			start := time.Now()
			p, err := h.buildPack(ctx, kind, dir)
			if err != nil {
				if ctx.Err() == nil {
					// Every range goes back to the store, which follows
					// each commit: a pack left in place would not.
					h.log.Error("building range pack failed; ranges are served from the store", "kind", kind.String(), "err", err)
					h.swapPack(store.SHA1, nil)
					h.swapPack(store.NTLM, nil)
					h.setPackState("off", nil)
				}
				return
			}
			h.log.Info("range pack ready", "kind", kind.String(), "bytes", p.Size(), "duration", time.Since(start).Round(time.Millisecond))
		}
		now := time.Now()
		h.setPackState("ready", &now)
		select {
		case <-ctx.Done():
			return
		case <-h.rebuild:
			h.setPackState("rebuilding", nil)
		}
	}
}

// commitHolder is a store that can hold commits back for a while.
type commitHolder interface{ HoldCommits() (release func()) }

// buildPack builds the pack of kind and swaps it in. The first pack of a
// kind replaces ranges answered from the store, which show every commit at
// once: a pack built while a commit was applied could take data back from
// some prefixes, so it is built again, the second time with commits held
// back (they wait, then apply) so that it cannot happen twice. Later packs
// replace older packs and never go back.
func (h *Handler) buildPack(ctx context.Context, kind store.HashKind, dir string) (*pwned.Pack, error) {
	for attempt := 0; ; attempt++ {
		first := h.packs[kind].Load() == nil
		release, held := func() {}, false
		if ch, ok := h.st.(commitHolder); ok && first && attempt > 0 {
			release, held = ch.HoldCommits(), true
		}
		gen := h.st.Generation()
		p, err := pwned.BuildPack(ctx, h.st, kind, dir)
		if err != nil {
			release()
			return nil, err
		}
		if first && !held && (gen%2 != 0 || h.st.Generation() != gen) {
			release()
			p.Close()
			continue
		}
		h.swapPack(kind, p)
		release()
		return p, nil
	}
}

// swapPack puts p in place of the pack of kind and closes the old one once
// no request reads it.
func (h *Handler) swapPack(kind store.HashKind, p *pwned.Pack) {
	h.packMu.Lock()
	old := h.packs[kind].Swap(p)
	h.packMu.Unlock()
	if old != nil {
		old.Close()
	}
}

// closePacks closes the packs; no request may be running.
func (h *Handler) closePacks() {
	for i := range h.packs {
		if p := h.packs[i].Swap(nil); p != nil {
			p.Close()
		}
	}
}
