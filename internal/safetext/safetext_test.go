package safetext

import "testing"

func TestQuote(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"dump.csv", "dump.csv"},
		{"All Passwords.txt", "All Passwords.txt"},
		{"Пароли.txt", "Пароли.txt"},
		{"", `""`},
		{`"quoted"`, `"\"quoted\""`},
		{"evil\nleakwatch: imported", `"evil\nleakwatch: imported"`},
		{"esc\x1b[2K", `"esc\x1b[2K"`},
		{"bidi\u202eexe.txt", `"bidi\u202eexe.txt"`},
		{"bad\xffutf8", `"bad\xffutf8"`},
	} {
		if got := Quote(tc.in); got != tc.want {
			t.Errorf("Quote(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"a.zip!m.csv: not a leak file", "a.zip!m.csv: not a leak file"},
		{"a\nb: x", `a\nb: x`},
		{"\x1b[31mred", `\x1b[31mred`},
		{"bad\xffbyte", `bad\xffbyte`},
	} {
		if got := Escape(tc.in); got != tc.want {
			t.Errorf("Escape(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
