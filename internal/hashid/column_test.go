package hashid_test

import (
	"fmt"
	"testing"

	"github.com/leakwatch/leakwatch/internal/hashid"
)

func values(vs ...string) [][]byte {
	out := make([][]byte, len(vs))
	for i, v := range vs {
		out[i] = []byte(v)
	}
	return out
}

func TestJudgeColumn(t *testing.T) {
	mysql323 := values("7196759210defdc0", "6f8c114b58f2ce9e", "2b0a1b7e4c3d5f69", "", "0e31c6d58ba4f270", "5d2e19393cc5ef67")
	passwords := values("Summer2024!", "qwerty123", "hunter22", "iloveyou", "7196759210defdc0", "P@ss:w0rd", "dragon2019")
	md5s := values("8743b52063cd84097a65d1633f5c74f5", "5f4dcc3b5aa765d61d8327deb882cf99", "Summer2024!", "b4b9b02e6f09a9bd760f388b67351e2b")
	tests := []struct {
		name   string
		col    string
		sample [][]byte
		hashes bool
		is     map[string]bool // value → want IsHash
	}{
		{"mostly 16 hex, no name", "", mysql323, true, map[string]bool{
			"7196759210defdc0": true, "8743b52063cd8409": true, "Summer2024!": false,
			"ab9j1qG1p7TMk":                    false, // DES-shaped, a scheme the column does not hold
			"8743b52063cd84097a65d1633f5c74f5": true,  // Certain, whatever the column
		}},
		{"one 16 hex among passwords", "password", passwords, false, map[string]bool{
			"7196759210defdc0": false, "Summer2024!": false, "8743b52063cd84097a65d1633f5c74f5": true,
		}},
		{"hash name, passwords in it", "pass_hash", passwords, true, map[string]bool{
			"7196759210defdc0": true, "ab9j1qG1p7TMk": true, "Summer2024!": false,
		}},
		{"password_md5", "password_md5", values("7196759210defdc0"), true, map[string]bool{"6f8c114b58f2ce9e": true}},
		{"hash", "hash", nil, true, map[string]bool{"h0O1IGPNhAl6ZdFjP1x09Q==": true}},
		{"encryptedPassword", "encryptedPassword", nil, true, map[string]bool{"7196759210defdc0": true}},
		{"plain name wins", "password_plain", mysql323, false, map[string]bool{"7196759210defdc0": false}},
		{"salt column is not a hash column", "password_salt", values("Xk3mT9qLw2Rb"), false, map[string]bool{"7196759210defdc0": false}},
		{"md5 column with a stray password", "", md5s, true, map[string]bool{
			"8743B52063cd84097a65d1633f5c74f5": true, // mixed case hex-32: Ambiguous, a scheme the column holds
			"7196759210defdc0":                 false,
			"Summer2024!":                      false,
		}},
		{"a single value decides nothing", "", values("7196759210defdc0"), false, map[string]bool{"7196759210defdc0": false}},
		{"empty sample", "", nil, false, map[string]bool{"7196759210defdc0": false, "$2b$12$0piV.TLVIdx5kcbI2Tp8ouqgBcAGZOF9S364rcNb1zBr7Foh4sBdq": true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := hashid.JudgeColumn(tc.col, tc.sample)
			if c.Hashes() != tc.hashes {
				t.Errorf("Hashes() = %v, want %v", c.Hashes(), tc.hashes)
			}
			for v, want := range tc.is {
				if got := c.IsHash([]byte(v)); got != want {
					t.Errorf("IsHash(%q) = %v, want %v", v, got, want)
				}
			}
		})
	}
}

func TestZeroColumn(t *testing.T) {
	var c hashid.Column
	if c.Hashes() || c.IsHash([]byte("7196759210defdc0")) || !c.IsHash([]byte("5f4dcc3b5aa765d61d8327deb882cf99")) {
		t.Error("the zero Column must follow Identify: Certain only")
	}
}

func ExampleJudgeColumn() {
	col := hashid.JudgeColumn("password", [][]byte{
		[]byte("Summer2024!"), []byte("qwerty123"), []byte("7196759210defdc0"), []byte("hunter22"),
	})
	fmt.Println(col.IsHash([]byte("7196759210defdc0")))

	col = hashid.JudgeColumn("", [][]byte{
		[]byte("7196759210defdc0"), []byte("6f8c114b58f2ce9e"), []byte("2b0a1b7e4c3d5f69"),
	})
	fmt.Println(col.IsHash([]byte("7196759210defdc0")))
	// Output:
	// false
	// true
}
