package leakparse

import (
	"context"
	"strings"
	"testing"
	"testing/iotest"
)

// TestBareCRLines checks that the line ends of a file are decided from its
// head however the input arrives: a byte at a time, a CR LF pair split
// between reads, a too-long line.
func TestBareCRLines(t *testing.T) {
	combos := func(n int, eol string) string {
		var b strings.Builder
		for i := range n {
			b.WriteString("user" + strings.Repeat("q", i%9) + "@example.com:pw" + eol)
		}
		return b.String()
	}
	tests := []struct {
		name    string
		input   string
		records int64
		lines   int64
	}{
		{"cr", combos(500, "\r"), 500, 500},
		{"cr no final end", strings.TrimSuffix(combos(3, "\r"), "\r"), 3, 3},
		{"crlf", combos(500, "\r\n"), 500, 500},
		{"lf", combos(500, "\n"), 500, 500},
		// A head of bare CRs decides: a LF past it stays inside a line
		// (and is trimmed there), it does not end one.
		{"cr then lf past the head", combos(5000, "\r") + "late@example.com:pw\n", 5001, 5001},
		{"cr with a too-long line", combos(2, "\r") + strings.Repeat("x", MaxLine+5) + "\r" + combos(2, "\r"), 4, 5},
	}
	for _, tc := range tests {
		for _, slow := range []bool{false, true} {
			name := tc.name
			if slow {
				name += " byte by byte"
			}
			t.Run(name, func(t *testing.T) {
				c := &collect{}
				r := strings.NewReader(tc.input)
				var st Stats
				var err error
				if slow {
					st, err = Parse(context.Background(), iotest.OneByteReader(r), Options{Format: FormatCombo}, c)
				} else {
					st, err = Parse(context.Background(), r, Options{}, c)
				}
				if err != nil {
					t.Fatal(err)
				}
				if st.Records != tc.records || st.Lines != tc.lines {
					t.Errorf("%d records in %d lines, want %d in %d", st.Records, st.Lines, tc.records, tc.lines)
				}
			})
		}
	}
}
