package leakparse

import "testing"

func TestBackslashEscaped(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"1\talice@example.com\tp@ss\\\\word\n", true},
		{"1\talice@example.com\t\\N\n", true},
		{"1\ta\\\tb\t\\N\n", true},                      // escaped tab (mysqldump --tab)
		{"1\tmulti\\\nline\t\\N\n", true},               // escaped newline
		{"1\tcontrase\\303\\261a\t\\N\n", true},         // COPY octal escapes
		{"email\tpassword\na@example.com\tpw\n", false}, // no backslash at all
		{"a@example.com\tC:\\Users\\alice\n", false},    // a path
		{"a@example.com\tpa\\\\ss\\d\n", false},         // \d starts no escape
		{"a@example.com\tx\\Nyz\n", false},              // \N inside a value
		{"a@example.com\ttab\\there\n", false},          // escapes but no \N or \\: not sure enough
	}
	for _, tc := range tests {
		if got := backslashEscaped(FormatTSV, '\t', []byte(tc.text)); got != tc.want {
			t.Errorf("backslashEscaped(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
	if backslashEscaped(FormatCSV, ',', []byte("a,\\N\n")) {
		t.Error("comma-separated text is never read with backslash escapes")
	}
}

func TestUnescapePG(t *testing.T) {
	tests := []struct{ in, want string }{
		{`back\\slash`, `back\slash`},
		{`tab\there`, "tab\there"},
		{`it\'s`, "it's"},
		{`\101\x42C`, "ABC"},
		{`Chlo\u00e9`, "Chloé"},
		{`smile\U0001F600`, "smile😀"},
		{`trailing\`, `trailing\`},
	}
	for _, tc := range tests {
		if got := string(unescapePG(nil, []byte(tc.in))); got != tc.want {
			t.Errorf("unescapePG(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
