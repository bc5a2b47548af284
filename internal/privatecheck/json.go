package privatecheck

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
)

// The JSON forms of docs/private-check.md section 7. Binary fields are
// base64url without padding (RFC 4648 section 5); a tag list is one blob
// of 4-byte big-endian tags. The conversions go through the binary forms,
// which remain the only ones Evaluate and Answer read.

var b64 = base64.RawURLEncoding.Strict()

type jsonRequest struct {
	V        int      `json:"v"`
	Epoch    uint32   `json:"epoch"`
	Bits     uint8    `json:"bits"`
	Bucket   uint32   `json:"bucket"`
	Elements []string `json:"elements"`
}

type jsonResponse struct {
	V         int      `json:"v"`
	Epoch     uint32   `json:"epoch"`
	Bits      uint8    `json:"bits"`
	Bucket    uint32   `json:"bucket"`
	TagBits   uint8    `json:"tag_bits"`
	Evaluated []string `json:"evaluated"`
	Proof     string   `json:"proof"`
	Pairs     string   `json:"pairs"`
	Usernames string   `json:"usernames"`
}

// decodeStrict decodes exactly one JSON object with no unknown field and
// nothing after it.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the object")
	}
	return nil
}

// decodeFixed decodes a base64url field of exactly n bytes.
func decodeFixed(s string, n int) ([]byte, bool) {
	if b64.EncodedLen(n) != len(s) {
		return nil, false
	}
	b, err := b64.DecodeString(s)
	return b, err == nil && len(b) == n
}

// RequestFromJSON converts a JSON request to the binary request Evaluate
// reads. Anything malformed gives ErrBadRequest; Evaluate checks the rest.
func RequestFromJSON(data []byte) ([]byte, error) {
	var r jsonRequest
	if decodeStrict(data, &r) != nil || r.V != 1 || len(r.Elements) != Elements {
		return nil, ErrBadRequest
	}
	req := make([]byte, 16, RequestLen)
	copy(req, requestMagic)
	binary.BigEndian.PutUint32(req[4:], r.Epoch)
	binary.BigEndian.PutUint32(req[8:], r.Bucket)
	req[12], req[13] = r.Bits, Elements
	for _, s := range r.Elements {
		e, ok := decodeFixed(s, elementLen)
		if !ok {
			return nil, ErrBadRequest
		}
		req = append(req, e...)
	}
	return req, nil
}

// RequestToJSON converts a binary request (as Client.Request makes) to its
// JSON form.
func RequestToJSON(req []byte) ([]byte, error) {
	if len(req) != RequestLen || string(req[:4]) != requestMagic || req[13] != Elements {
		return nil, ErrBadRequest
	}
	r := jsonRequest{V: 1, Epoch: binary.BigEndian.Uint32(req[4:]), Bits: req[12],
		Bucket: binary.BigEndian.Uint32(req[8:]), Elements: make([]string, Elements)}
	for i := range r.Elements {
		r.Elements[i] = b64.EncodeToString(req[16+i*elementLen : 16+(i+1)*elementLen])
	}
	return json.Marshal(r)
}

// ResponseToJSON converts a binary response (the Evaluate header followed
// by the bucket) to its JSON form.
func ResponseToJSON(resp []byte) ([]byte, error) {
	if len(resp) < ResponseHeaderLen || string(resp[:4]) != responseMagic || resp[14] != Elements {
		return nil, ErrBadResponse
	}
	tail := resp[ResponseHeaderLen:]
	if err := new(Bucket).UnmarshalBinary(tail); err != nil {
		return nil, ErrBadResponse
	}
	np := int(binary.BigEndian.Uint32(tail))
	r := jsonResponse{V: 1, Epoch: binary.BigEndian.Uint32(resp[4:]), Bits: resp[12],
		Bucket: binary.BigEndian.Uint32(resp[8:]), TagBits: resp[13], Evaluated: make([]string, Elements),
		Proof:     b64.EncodeToString(resp[16+Elements*elementLen : ResponseHeaderLen]),
		Pairs:     b64.EncodeToString(tail[8 : 8+4*np]),
		Usernames: b64.EncodeToString(tail[8+4*np:])}
	for i := range r.Evaluated {
		r.Evaluated[i] = b64.EncodeToString(resp[16+i*elementLen : 16+(i+1)*elementLen])
	}
	return json.Marshal(r)
}

// ResponseFromJSON converts a JSON response to the binary response
// State.Answer reads; anything malformed gives ErrBadResponse.
func ResponseFromJSON(data []byte) ([]byte, error) {
	var r jsonResponse
	if decodeStrict(data, &r) != nil || r.V != 1 || len(r.Evaluated) != Elements {
		return nil, ErrBadResponse
	}
	pairs, err1 := b64.DecodeString(r.Pairs)
	users, err2 := b64.DecodeString(r.Usernames)
	if err1 != nil || err2 != nil || len(pairs)%4 != 0 || len(users)%4 != 0 ||
		len(pairs) > 4*MaxTags || len(users) > 4*MaxTags {
		return nil, ErrBadResponse
	}
	resp := make([]byte, 16, ResponseHeaderLen+8+len(pairs)+len(users))
	copy(resp, responseMagic)
	binary.BigEndian.PutUint32(resp[4:], r.Epoch)
	binary.BigEndian.PutUint32(resp[8:], r.Bucket)
	resp[12], resp[13], resp[14] = r.Bits, r.TagBits, Elements
	for _, s := range r.Evaluated {
		e, ok := decodeFixed(s, elementLen)
		if !ok {
			return nil, ErrBadResponse
		}
		resp = append(resp, e...)
	}
	proof, ok := decodeFixed(r.Proof, proofLen)
	if !ok {
		return nil, ErrBadResponse
	}
	resp = append(resp, proof...)
	resp = binary.BigEndian.AppendUint32(resp, uint32(len(pairs)/4))
	resp = binary.BigEndian.AppendUint32(resp, uint32(len(users)/4))
	return append(append(resp, pairs...), users...), nil
}
