package leakparse

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// event is a record or quarantine, for comparisons.
type event struct {
	Line   int64
	Reason Reason // "" for a record
	Fields string
	RawLen int
}

type collect struct{ events []event }

func (c *collect) Record(r *Record) error {
	var b strings.Builder
	for i, f := range r.Fields {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(className(f.Class) + "=" + string(f.Value))
	}
	c.events = append(c.events, event{Line: r.Line, Fields: b.String()})
	return nil
}

func (c *collect) Quarantine(q *Quarantine) error {
	c.events = append(c.events, event{Line: q.Line, Reason: q.Reason, RawLen: len(q.Raw)})
	return nil
}

func parseString(t *testing.T, input string, opts Options) ([]event, Stats) {
	t.Helper()
	c := &collect{}
	st, err := Parse(context.Background(), strings.NewReader(input), opts, c)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return c.events, st
}

func TestTooLong(t *testing.T) {
	long := strings.Repeat("x", MaxLine+10)
	tests := []struct {
		name  string
		opts  Options
		input string
		want  []event
	}{
		{"combo", Options{Format: FormatCombo}, "a@example.com:pw\n" + long + "\nb@example.com:pw2\n", []event{
			{Line: 1, Fields: "email=a@example.com password=pw"},
			{Line: 2, Reason: ReasonTooLong, RawLen: maxRawTooLong},
			{Line: 3, Fields: "email=b@example.com password=pw2"},
		}},
		{"combo last line", Options{Format: FormatCombo}, "a@example.com:pw\n" + long, []event{
			{Line: 1, Fields: "email=a@example.com password=pw"},
			{Line: 2, Reason: ReasonTooLong, RawLen: maxRawTooLong},
		}},
		{"ulp", Options{Format: FormatULP}, long + "\nhttps://a.example.com/:u:p\n", []event{
			{Line: 1, Reason: ReasonTooLong, RawLen: maxRawTooLong},
			{Line: 2, Fields: "website=a.example.com username=u password=p"},
		}},
		{"csv", Options{Format: FormatCSV}, "email,password\n" + long + "\na@example.com,pw\n", []event{
			{Line: 2, Reason: ReasonTooLong, RawLen: maxRawTooLong},
			{Line: 3, Fields: "email=a@example.com password=pw"},
		}},
		{"mysql string", Options{Format: FormatMySQL}, "INSERT INTO t (email, password) VALUES ('a@example.com','" + long + "'),\n('b@example.com','pw');\n", []event{
			{Line: 1, Reason: ReasonTooLong, RawLen: maxRawTooLong},
			{Line: 2, Fields: "email=b@example.com password=pw"},
		}},
		{"json element", Options{Format: FormatJSON}, "[{\"email\":\"a@example.com\",\"password\":\"" + long + "\"},\n{\"email\":\"b@example.com\"}]", []event{
			{Line: 1, Reason: ReasonTooLong, RawLen: maxRawTooLong},
			{Line: 2, Fields: "email=b@example.com"},
		}},
		{"stealer", Options{Format: FormatStealer}, "URL: https://a.example.com\nLogin: a\nPassword: " + strings.Repeat("p", maxBlock) + "\n\nURL: https://b.example.com\nLogin: b\nPassword: pw\n", []event{
			{Line: 1, Reason: ReasonTooLong, RawLen: 35},
			{Line: 5, Fields: "website=b.example.com username=b password=pw"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := parseString(t, tc.input, tc.opts)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCSVQuoteLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("email,password,notes\n")
	b.WriteString("a@example.com,pw,\"never closed\n")
	for range maxRecordLines + 5 {
		b.WriteString("b@example.com,pw2,x\n")
	}
	got, st := parseString(t, b.String(), Options{Format: FormatCSV})
	if len(got) != maxRecordLines+6 || got[0] != (event{Line: 2, Reason: ReasonBadQuote, RawLen: 30}) {
		t.Fatalf("got %d events starting %+v", len(got), got[:min(2, len(got))])
	}
	for i, e := range got[1:] {
		if e.Line != int64(i+3) || e.Reason != "" {
			t.Fatalf("event %d = %+v, want a record on line %d", i+1, e, i+3)
		}
	}
	if st.Lines != maxRecordLines+7 {
		t.Errorf("Lines = %d", st.Lines)
	}
}

// endless yields n bytes of a repeated pattern, without newlines when the
// pattern has none, never holding them.
type endless struct {
	prefix, pattern, suffix string
	n                       int
	pos                     int
}

func (e *endless) Read(p []byte) (int, error) {
	total := len(e.prefix) + e.n + len(e.suffix)
	if e.pos >= total {
		return 0, io.EOF
	}
	k := 0
	for k < len(p) && e.pos < total {
		switch {
		case e.pos < len(e.prefix):
			p[k] = e.prefix[e.pos]
		case e.pos < len(e.prefix)+e.n:
			p[k] = e.pattern[(e.pos-len(e.prefix))%len(e.pattern)]
		default:
			p[k] = e.suffix[e.pos-len(e.prefix)-e.n]
		}
		k++
		e.pos++
	}
	return k, nil
}

// TestLongFirstLine checks that a first line longer than a head (a banner,
// a blob) does not decide the format: the lines after it do, for the
// import and the dry run (Sniff of PeekHead's head) alike.
func TestLongFirstLine(t *testing.T) {
	for _, n := range []int{SniffSize + 10, MaxLine - 100} {
		long := "https://a.example.com/" + strings.Repeat("x", n)
		input := long + ":a@example.com:pw\nhttps://www.example.net/login:b@example.com:pw2\nc@example.com:pw3:https://example.org/\n"
		t.Run(fmt.Sprintf("line=%d", n), func(t *testing.T) {
			got, st := parseString(t, input, Options{})
			if st.Format != FormatULP {
				t.Errorf("Parse read the input as %s, want ulp", st.Format)
			}
			want := []event{
				{Line: 1, Fields: "website=a.example.com email=a@example.com password=pw"},
				{Line: 2, Fields: "website=www.example.net email=b@example.com password=pw2"},
				{Line: 3, Fields: "website=example.org email=c@example.com password=pw3"},
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			_, head, err := PeekHead(strings.NewReader(input))
			if err != nil && err != io.EOF {
				t.Fatal(err)
			}
			if sn, err := Sniff(head, Options{}); err != nil || sn.Format != FormatULP {
				t.Errorf("Sniff of the head: %s, %v; want ulp", sn.Format, err)
			}
		})
	}
}

func TestBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 5 x 48 MiB")
	}
	n := 48 << 20
	if raceEnabled {
		n = 6 << 20 // still several times MaxLine
	}
	tests := []struct {
		name string
		opts Options
		r    *endless
	}{
		{"combo line", Options{Format: FormatCombo}, &endless{pattern: "abcdefgh", n: n, suffix: "\na@example.com:pw\n"}},
		{"csv open quote", Options{Format: FormatCSV}, &endless{prefix: "email,notes\na@example.com,\"", pattern: "abc\n", n: n}},
		{"mysql string", Options{Format: FormatMySQL}, &endless{prefix: "INSERT INTO t VALUES ('a@example.com','", pattern: "abcd", n: n, suffix: "');\n"}},
		{"json string", Options{Format: FormatJSON}, &endless{prefix: "[{\"email\":\"a@example.com\",\"x\":\"", pattern: "abcd", n: n, suffix: "\"}]"}},
		{"json wrapper", Options{Format: FormatJSON}, &endless{prefix: "{\"users\":[", pattern: "{\"email\":\"a@example.com\"},\n", n: n, suffix: "{}]}"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := Parse(context.Background(), tc.r, tc.opts, &countSink{})
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatal(err)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; tc.name != "json wrapper" && alloc > 24<<20 {
				t.Errorf("allocated %d MiB reading %d MiB", alloc>>20, n>>20)
			}
			if peak := after.HeapInuse; peak > 64<<20 {
				t.Errorf("heap in use %d MiB after reading %d MiB", peak>>20, n>>20)
			}
		})
	}
}

// countSink counts what it gets.
type countSink struct{ records, quarantines int }

func (c *countSink) Record(*Record) error         { c.records++; return nil }
func (c *countSink) Quarantine(*Quarantine) error { c.quarantines++; return nil }

type failSink struct {
	err   error
	after int
}

func (f *failSink) Record(*Record) error {
	if f.after--; f.after < 0 {
		return f.err
	}
	return nil
}
func (f *failSink) Quarantine(*Quarantine) error { return f.Record(nil) }

func TestSinkErrorStops(t *testing.T) {
	inputs := map[Format]string{
		FormatCombo:   "a@example.com:1\nb@example.com:2\nc@example.com:3\n",
		FormatULP:     "https://x.example.com/:a:1\nhttps://x.example.com/:b:2\nhttps://x.example.com/:c:3\n",
		FormatStealer: "URL: x.example.com\nLogin: a\nPass: 1\n\nURL: x.example.com\nLogin: b\nPass: 2\n\nURL: x.example.com\nLogin: c\nPass: 3\n",
		FormatCSV:     "email,password\na@example.com,1\nb@example.com,2\nc@example.com,3\n",
		FormatTSV:     "email\tpassword\na@example.com\t1\nb@example.com\t2\nc@example.com\t3\n",
		FormatJSON:    `[{"email":"a@example.com"},{"email":"b@example.com"},{"email":"c@example.com"}]`,
		FormatNDJSON:  "{\"email\":\"a@example.com\"}\n{\"email\":\"b@example.com\"}\n{\"email\":\"c@example.com\"}\n",
		FormatMySQL:   "INSERT INTO t (email) VALUES ('a@example.com'),('b@example.com'),('c@example.com');\n",
		FormatPGDump:  "COPY t (email) FROM stdin;\na@example.com\nb@example.com\nc@example.com\n\\.\n",
	}
	stop := errors.New("stop here")
	for f, in := range inputs {
		t.Run(string(f), func(t *testing.T) {
			st, err := Parse(context.Background(), strings.NewReader(in), Options{Format: f}, &failSink{err: stop, after: 1})
			if err != stop {
				t.Fatalf("Parse error = %v, want the sink's error as is", err)
			}
			if st.Records != 2 {
				t.Errorf("Records = %d, want 2 (the one accepted and the one refused)", st.Records)
			}
		})
	}
}

func TestContextCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := &endless{pattern: "a@example.com:pw\n", n: 8 << 20}
	_, err := Parse(ctx, r, Options{Format: FormatCombo}, &countSink{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Parse error = %v, want context.Canceled", err)
	}
	_, err = Parse(ctx, &endless{prefix: "[", pattern: "{\"email\":\"a@example.com\"},", n: 8 << 20}, Options{Format: FormatJSON}, &countSink{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Parse JSON error = %v, want context.Canceled", err)
	}
}

type errReader struct {
	data []byte
	err  error
}

func (e *errReader) Read(p []byte) (int, error) {
	if len(e.data) == 0 {
		return 0, e.err
	}
	n := copy(p, e.data)
	e.data = e.data[n:]
	return n, nil
}

func TestReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	data := bytes.Repeat([]byte("a@example.com:pw\n"), 10000)
	_, err := Parse(context.Background(), &errReader{data: data, err: boom}, Options{Format: FormatCombo, Name: "dump.txt"}, &countSink{})
	if !errors.Is(err, boom) {
		t.Fatalf("Parse error = %v, want %v", err, boom)
	}
	// The caller names the file, once; the error says where it stopped.
	if strings.Contains(err.Error(), "dump.txt") || !strings.Contains(err.Error(), "line 10000") {
		t.Errorf("error %q names the file, or not the line", err)
	}
	if strings.Contains(err.Error(), "a@example.com") {
		t.Errorf("error %q shows input", err)
	}
}

func TestLatin1AfterHead(t *testing.T) {
	var b bytes.Buffer
	for b.Len() < 2*SniffSize {
		b.WriteString("alice@example.com:password\n")
	}
	b.WriteString("bob@example.com:caf\xe9\n")
	c := &collect{}
	st, err := Parse(context.Background(), &b, Options{}, c)
	if err != nil {
		t.Fatal(err)
	}
	if st.Encoding != EncodingLatin1 {
		t.Errorf("Encoding = %s, want latin-1", st.Encoding)
	}
	if last := c.events[len(c.events)-1]; last.Fields != "email=bob@example.com password=café" {
		t.Errorf("last record %+v", last)
	}
}

// TestZeroAllocsPerLine checks that the combo and ULP parsers allocate per
// parse, not per line.
func TestZeroAllocsPerLine(t *testing.T) {
	for _, tc := range []struct {
		f    Format
		line string
	}{
		{FormatCombo, "someone.user@example.com:Passw0rd!2024\n"},
		{FormatULP, "https://Login.Example.com:8443/auth:someone@example.com:Passw0rd!\n"},
	} {
		small := strings.Repeat(tc.line, 1000)
		big := strings.Repeat(tc.line, 20000)
		allocs := func(in string) float64 {
			return testing.AllocsPerRun(5, func() {
				if _, err := Parse(context.Background(), strings.NewReader(in), Options{Format: tc.f}, &countSink{}); err != nil {
					t.Fatal(err)
				}
			})
		}
		a, b := allocs(small), allocs(big)
		if b-a > 5 {
			t.Errorf("%s: %v allocations for 1000 lines, %v for 20000", tc.f, a, b)
		}
	}
}

// TestLineNumbersAfterMultilineFields checks that line numbers stay right
// after quoted newlines, MySQL strings with newlines and JSON elements
// over several lines.
func TestLineNumbersAfterMultilineFields(t *testing.T) {
	tests := []struct {
		name  string
		opts  Options
		input string
		lines []int64
	}{
		{"csv", Options{Format: FormatCSV}, "email,notes\na@example.com,\"x\n\ny\"\nb@example.com,z\n", []int64{2, 5}},
		{"mysql", Options{Format: FormatMySQL}, "INSERT INTO t (email,notes) VALUES ('a@example.com','x\n\ny'),\n('b@example.com','z');\n", []int64{1, 4}},
		{"json", Options{Format: FormatJSON}, "[\n{\"email\":\n\"a@example.com\"},\n{\"email\":\"b@example.com\"}]\n", []int64{2, 4}},
		{"pgdump", Options{Format: FormatPGDump}, "-- x\nCOPY t (email) FROM stdin;\na@example.com\n\\.\n\nCOPY u (email) FROM stdin;\nb@example.com\n\\.\n", []int64{3, 7}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := parseString(t, tc.input, tc.opts)
			var lines []int64
			for _, e := range got {
				lines = append(lines, e.Line)
			}
			if diff := cmp.Diff(tc.lines, lines); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWarmupKeepsOrder(t *testing.T) {
	// Rows held back while columns are classified by content must come
	// out in input order with the quarantines between them.
	in := "a@example.com,1985-01-01\n\"broken,x\nb@example.com,1990-02-02,extra\nc@example.com,1991-03-03\n"
	got, _ := parseString(t, in, Options{Format: FormatCSV})
	var lines []int64
	for _, e := range got {
		lines = append(lines, e.Line)
	}
	if diff := cmp.Diff([]int64{1, 2, 3, 4}, lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
}

func TestManyJSONKeys(t *testing.T) {
	// Ever new keys share one column past maxColumns: memory stays bounded
	// and the values are still classified.
	var b strings.Builder
	for i := range maxColumns + 50 {
		b.WriteString(`{"k` + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + strconv.Itoa(i) + `":"u` + strconv.Itoa(i) + `@example.com"}` + "\n")
	}
	c := &collect{}
	st, err := Parse(context.Background(), strings.NewReader(b.String()), Options{Format: FormatNDJSON}, c)
	if err != nil {
		t.Fatal(err)
	}
	if st.Records != maxColumns+50 {
		t.Errorf("Records = %d, want %d", st.Records, maxColumns+50)
	}
	if last := c.events[len(c.events)-1]; !strings.HasPrefix(last.Fields, "email=u") {
		t.Errorf("last record %+v", last)
	}
}
