package privatecheck

import (
	"bytes"
	"testing"
)

// FuzzEvaluate checks that Evaluate never panics, answers only a request
// of exactly RequestLen bytes, and fails only with ErrBadRequest or
// ErrWrongEpoch.
func FuzzEvaluate(f *testing.F) {
	valid := validRequest(f)
	f.Add(valid)
	f.Add(valid[:RequestLen-1])
	f.Add(append(bytes.Clone(valid[:16]), make([]byte, Elements*elementLen)...))
	f.Add([]byte{})
	k := index(f).key
	f.Fuzz(func(t *testing.T, req []byte) {
		resp, _, err := k.Evaluate(req)
		switch err {
		case nil:
			if len(req) != RequestLen || len(resp) != ResponseHeaderLen {
				t.Fatalf("request of %d bytes answered with %d bytes", len(req), len(resp))
			}
		case ErrBadRequest, ErrWrongEpoch:
		default:
			t.Fatalf("unexpected error %v", err)
		}
	})
}

// FuzzBucket checks that a bucket that decodes encodes to the same bytes.
func FuzzBucket(f *testing.F) {
	f.Add([]byte("\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x05\x00\x00\x00\x07"))
	f.Add([]byte("\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte("\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00\x05\x00\x00\x00\x05"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var b Bucket
		if b.UnmarshalBinary(data) != nil {
			return
		}
		out, err := b.MarshalBinary()
		if err != nil || !bytes.Equal(out, data) {
			t.Fatalf("%x decodes, encodes to %x, %v", data, out, err)
		}
	})
}
