//go:build js && wasm

// Command privatecheck-wasm is the private check's client for the web
// interface, compiled to WebAssembly (go generate ./internal/webui): the
// page's script gives it the params document, the login and the password,
// and it returns the binary request; given the answer it returns the
// result. The slow hash, the blinding and the proof check run in the
// browser; the password never leaves it.
package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"syscall/js"

	"github.com/leakwatch/leakwatch/internal/privatecheck"
)

// params is the part of the params document the client needs.
type params struct {
	Suite    string `json:"suite"`
	Mode     string `json:"mode"`
	Elements int    `json:"elements"`
	SlowHash struct {
		Alg  string `json:"alg"`
		T    int    `json:"t"`
		MKiB int    `json:"m_kib"`
		P    int    `json:"p"`
		Len  int    `json:"len"`
	} `json:"slow_hash"`
	Epochs []struct {
		Epoch     uint32 `json:"epoch"`
		State     string `json:"state"`
		PublicKey string `json:"public_key"`
		Bits      uint8  `json:"bucket_bits"`
	} `json:"epochs"`
}

var states = map[int]*privatecheck.State{}
var next = 1

// request(paramsJSON, login, password) -> {id, epoch, request: Uint8Array} or {error}
func request(_ js.Value, args []js.Value) any {
	if len(args) != 3 {
		return fail(errors.New("request needs params, login and password"))
	}
	var p params
	if err := json.Unmarshal([]byte(args[0].String()), &p); err != nil {
		return fail(err)
	}
	s := p.SlowHash
	if p.Suite != "ristretto255-SHA512" || p.Mode != "verifiable" || p.Elements != privatecheck.Elements ||
		s.Alg != "argon2id" || s.T != privatecheck.Argon2T || s.MKiB != privatecheck.Argon2MemoryKiB || s.P != privatecheck.Argon2Threads || s.Len != 32 {
		return fail(errors.New("the server asks for other parameters than this client's"))
	}
	for i := len(p.Epochs) - 1; i >= 0; i-- {
		e := p.Epochs[i]
		if e.State != "current" {
			continue
		}
		pub, err := base64.RawURLEncoding.DecodeString(e.PublicKey)
		if err != nil {
			return fail(err)
		}
		c, err := privatecheck.NewClient(privatecheck.Params{Epoch: e.Epoch, BucketBits: e.Bits}, pub)
		if err != nil {
			return fail(err)
		}
		req, st, err := c.Request(args[1].String(), args[2].String())
		if err != nil {
			return fail(err)
		}
		id := next
		next++
		states[id] = st
		buf := js.Global().Get("Uint8Array").New(len(req))
		js.CopyBytesToJS(buf, req)
		return map[string]any{"id": id, "epoch": int(e.Epoch), "request": buf}
	}
	return fail(errors.New("the server has no current epoch"))
}

// answer(id, response: Uint8Array) -> {result} or {error}
func answer(_ js.Value, args []js.Value) any {
	if len(args) != 2 {
		return fail(errors.New("answer needs an id and the response"))
	}
	id := args[0].Int()
	st := states[id]
	delete(states, id)
	if st == nil {
		return fail(errors.New("no such request"))
	}
	resp := make([]byte, args[1].Get("length").Int())
	js.CopyBytesToGo(resp, args[1])
	r, err := st.Answer(resp)
	if err != nil {
		return fail(err)
	}
	return map[string]any{"result": r.String()}
}

func fail(err error) any { return map[string]any{"error": err.Error()} }

func main() {
	js.Global().Set("leakwatchPrivate", map[string]any{"request": js.FuncOf(request), "answer": js.FuncOf(answer)})
	select {}
}
