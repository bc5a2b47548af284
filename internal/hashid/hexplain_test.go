package hashid_test

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"testing"

	"github.com/leakwatch/leakwatch/internal/hashid"
)

func TestDecodeHexPlain(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"$HEX[68756e74657232]", "hunter2", true},
		{"$HEX[503a7373]", "P:ss", true},
		{"$HEX[C3A9]", "é", true},
		{"$HEX[]", "", true},
		{"$HEX[6]", "", false},
		{"$HEX[zz]", "", false},
		{"$HEX[6869", "", false},
		{"$hex[6869]", "", false},
		{"HEX[6869]", "", false},
		{"hunter2", "", false},
		{"", "", false},
	}
	for _, tc := range tests {
		got, ok := hashid.DecodeHexPlain([]byte(tc.in))
		if ok != tc.ok || string(got) != tc.want {
			t.Errorf("DecodeHexPlain(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestAppendPlain(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"{PLAIN}Summer2024!", "Summer2024!", true},
		{"{plain}hunter2", "hunter2", true},
		{"{CLEARTEXT}P@ss:w0rd}", "P@ss:w0rd}", true},
		{"{CLEAR}{PLAIN}x", "{PLAIN}x", true},
		{"{PLAIN.B64}U3VtbWVyMjAyNCE=", "Summer2024!", true},
		{"{CLEARTEXT.b64}aHVudGVyMg==", "hunter2", true},
		{"{PLAIN.HEX}68756e74657232", "hunter2", true},
		{"{PLAIN.B64}not base64!", "", true}, // the prefixed string is never the password
		{"{PLAIN.HEX}6", "", true},
		{"{PLAIN}", "", true}, // an empty password: nothing to count
		{"{PLAIN-MD5}8743b52063cd84097a65d1633f5c74f5", "", false},
		{"{SHA}uJ6qx+YUFzQbcQtyd2gpTQ5qJ3s=", "", false},
		{"{PLAINTEXT}x", "", false},
		{"PLAIN}hunter2", "", false},
		{"hunter2", "", false},
		{"", "", false},
	}
	for _, tc := range tests {
		got, ok := hashid.AppendPlain([]byte("pre:"), []byte(tc.in))
		want := tc.want
		if ok {
			want = "pre:" + want
		} else {
			want = "pre:"
		}
		if ok != tc.ok || string(got) != want {
			t.Errorf("AppendPlain(%q) = %q, %v; want %q, %v", tc.in, got, ok, want, tc.ok)
		}
		if _, c := hashid.Identify([]byte(tc.in)); tc.ok && c != hashid.NotHash {
			t.Errorf("plaintext-scheme value %q is %v", tc.in, c)
		}
	}
}

func FuzzDecodeHexPlain(f *testing.F) {
	for _, s := range []string{"$HEX[68756e74657232]", "$HEX[]", "$HEX[6]", "$HEX[zz]", "hunter2"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, v []byte) {
		p, ok := hashid.DecodeHexPlain(v)
		if !ok {
			if p != nil {
				t.Fatalf("DecodeHexPlain(%q) = %q, false", v, p)
			}
			return
		}
		inner := v[len("$HEX[") : len(v)-1]
		if !bytes.EqualFold([]byte(hex.EncodeToString(p)), inner) {
			t.Fatalf("DecodeHexPlain(%q) = %q", v, p)
		}
	})
}

func ExampleDecodeHexPlain() {
	p, ok := hashid.DecodeHexPlain([]byte("$HEX[503a7373]"))
	fmt.Printf("%q %v\n", p, ok)
	// Output: "P:ss" true
}

func FuzzAppendPlain(f *testing.F) {
	for _, s := range []string{"{PLAIN}Summer2024!", "{PLAIN.B64}U3VtbWVyMjAyNCE=", "{CLEAR.HEX}6869", "{PLAIN}", "{SHA}x", "hunter2"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, v []byte) {
		got, ok := hashid.AppendPlain([]byte("x"), v)
		if string(got[:1]) != "x" || len(got) > 1+len(v) || !ok && len(got) != 1 {
			t.Fatalf("AppendPlain(%q) = %q, %v", v, got, ok)
		}
	})
}
