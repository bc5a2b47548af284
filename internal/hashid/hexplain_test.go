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
