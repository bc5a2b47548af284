package leakparse

import (
	"context"
	"strings"
	"testing"
)

// TestTextTableDetection: SQL client output is claimed as a table; files
// that merely hold a rule or a box (a combolist under a boxed banner, a
// Markdown table, dashed separators) are not.
func TestTextTableDetection(t *testing.T) {
	tests := []struct {
		name string
		head string
		want bool
	}{
		{"mysql box", "+----+-------+\n| id | email |\n+----+-------+\n|  1 | a@example.com |\n+----+-------+\n", false}, // widths broken by the row: not the client's output
		{"mysql box aligned", "+----+-----------------+\n| id | email           |\n+----+-----------------+\n|  1 | a@example.com   |\n|  2 | b@example.org   |\n+----+-----------------+\n2 rows in set (0.00 sec)\n", true},
		{"psql aligned", " id |     email     \n----+---------------\n  1 | a@example.com\n  2 | b@example.org\n(2 rows)\n", true},
		{"mysql vertical", "*************************** 1. row ***************************\n   id: 1\nemail: a@example.com\n", true},
		{"psql expanded", "-[ RECORD 1 ]--------\nid    | 1\nemail | a@example.com\n", true},
		{"combolist under a banner", "+----------------------+\n|  FRESH COMBO 2025 HQ |\n+----------------------+\nalice@example.com:Summer2024!\nbob@example.net:hunter22\ncarol@example.org:pw\n", false},
		{"markdown table", "| email | password |\n|-------|----------|\n| a@example.com | pw |\n", false},
		{"dashed separators", "alice@example.com:pw\n-----------------\nbob@example.net:pw2\n-----------------\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got, why := detectTextTable([]byte(tc.head)); got != tc.want {
				t.Errorf("detectTextTable = %v (%s), want %v", got, why, tc.want)
			}
		})
	}
}

// TestTextTableBounded: a vertical record past MaxLine is quarantined
// too-long, not held whole; the records around it parse.
func TestTextTableBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("*************************** 1. row ***************************\nemail: a@example.com\n")
	b.WriteString("*************************** 2. row ***************************\n notes: x\n")
	line := strings.Repeat("y", 1000) + "\n"
	for b.Len() < 3*MaxLine {
		b.WriteString(line)
	}
	b.WriteString("*************************** 3. row ***************************\nemail: c@example.com\n")
	s := newClassSink()
	st, err := Parse(context.Background(), strings.NewReader(b.String()), Options{Format: FormatTextTable}, s)
	if err != nil {
		t.Fatal(err)
	}
	if s.records != 2 || s.quar[ReasonTooLong] != 1 || st.Lines != int64(strings.Count(b.String(), "\n")) {
		t.Errorf("%d records, quarantines %v, %d lines", s.records, s.quar, st.Lines)
	}
}
