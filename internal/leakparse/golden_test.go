package leakparse

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/rogpeppe/go-internal/txtar"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the want sections of testdata/*.txtar")

// classNames are the short class names golden files use.
var classNames = map[catalog.DataClass]string{
	catalog.ClassUnknown: "other", catalog.ClassEmail: "email", catalog.ClassUsername: "username",
	catalog.ClassPassword: "password", catalog.ClassPasswordHash: "hash", catalog.ClassName: "name",
	catalog.ClassDateOfBirth: "dob", catalog.ClassPhone: "phone", catalog.ClassAddress: "address",
	catalog.ClassIP: "ip", catalog.ClassGovernmentID: "govid", catalog.ClassDeviceID: "device",
	catalog.ClassWebsite: "website", catalog.ClassGender: "gender", catalog.ClassCookie: "cookie",
	catalog.ClassBrowserUserAgent: "useragent", catalog.ClassCreditCard: "creditcard",
	catalog.ClassBankAccount: "bankaccount", catalog.ClassGeolocation: "geo", catalog.ClassEmployer: "employer",
	catalog.ClassJobTitle: "jobtitle", catalog.ClassSecurityQuestion: "securityquestion",
	catalog.ClassAuthToken: "token", catalog.ClassAppSoftware: "software",
}

func className(c catalog.DataClass) string {
	if n, ok := classNames[c]; ok {
		return n
	}
	return fmt.Sprintf("class%d", c)
}

// goldenCase is a parsed testdata file.
type goldenCase struct {
	opts     Options
	input    []byte
	why      bool // print the sniff's reasons
	describe bool // print what Parse's Options.Describe gets
}

// loadGolden reads the options and input of a txtar archive. Options are
// "key: value" lines: format, name, map ("3=email, Pass=password"),
// encode (utf-16le, utf-16be, latin-1, utf-8-bom), crlf (true), cr (true:
// lines end in a bare CR, as in old Mac files), escapes
// (true: "{xNN}" in the input stands for the byte NN), why (true: the
// output shows Sniff's reasons for the format and each column), workbook
// (true: the input is an XLSX workbook of the "sheet:NAME" files, see
// buildWorkbook), database (true: the input is an SQL script that builds
// a SQLite database, see buildDatabase), describe (true: the output shows
// what Parse gives Options.Describe).
func loadGolden(t testing.TB, ar *txtar.Archive) goldenCase {
	t.Helper()
	var gc goldenCase
	var input []byte
	opts := map[string]string{}
	for _, f := range ar.Files {
		switch f.Name {
		case "input":
			input = f.Data
		case "options":
			for _, l := range strings.Split(string(f.Data), "\n") {
				k, v, ok := strings.Cut(l, ":")
				if ok {
					opts[strings.TrimSpace(k)] = strings.TrimSpace(v)
				}
			}
		}
	}
	gc.opts.Format = Format(opts["format"])
	gc.why = opts["why"] == "true"
	gc.describe = opts["describe"] == "true"
	if opts["workbook"] == "true" {
		input = buildWorkbook(t, ar)
	}
	if opts["database"] == "true" {
		input = buildDatabase(t, string(input))
	}
	gc.opts.Name = opts["name"]
	if m := opts["map"]; m != "" {
		gc.opts.Map = map[string]catalog.DataClass{}
		for _, kv := range strings.Split(m, ",") {
			k, v, _ := strings.Cut(strings.TrimSpace(kv), "=")
			c, ok := catalog.ParseDataClass(v)
			if !ok {
				t.Fatalf("options: unknown class %q", v)
			}
			gc.opts.Map[k] = c
		}
	}
	if opts["escapes"] == "true" {
		input = unescapeInput(t, input)
	}
	if opts["crlf"] == "true" {
		input = bytes.ReplaceAll(input, []byte("\n"), []byte("\r\n"))
	}
	if opts["cr"] == "true" {
		input = bytes.ReplaceAll(input, []byte("\n"), []byte("\r"))
	}
	switch opts["encode"] {
	case "":
	case "utf-8-bom":
		input = append([]byte{0xEF, 0xBB, 0xBF}, input...)
	case "latin-1":
		var out []byte
		for _, r := range string(input) {
			if r > 0xFF {
				t.Fatalf("latin-1: rune %U out of range", r)
			}
			out = append(out, byte(r))
		}
		input = out
	case "utf-16le", "utf-16be":
		be := opts["encode"] == "utf-16be"
		out := []byte{0xFF, 0xFE}
		if be {
			out = []byte{0xFE, 0xFF}
		}
		for _, u := range utf16.Encode([]rune(string(input))) {
			if be {
				out = append(out, byte(u>>8), byte(u))
			} else {
				out = append(out, byte(u), byte(u>>8))
			}
		}
		input = out
	default:
		t.Fatalf("options: unknown encode %q", opts["encode"])
	}
	gc.input = input
	return gc
}

func unescapeInput(t testing.TB, in []byte) []byte {
	var out []byte
	for i := 0; i < len(in); i++ {
		if in[i] == '{' && i+4 < len(in) && in[i+1] == 'x' && in[i+4] == '}' {
			v, err := strconv.ParseUint(string(in[i+2:i+4]), 16, 8)
			if err != nil {
				t.Fatalf("bad escape %q", in[i:i+5])
			}
			out = append(out, byte(v))
			i += 4
			continue
		}
		out = append(out, in[i])
	}
	return out
}

// recorder is a Sink writing what it gets in the golden text form.
type recorder struct {
	out   strings.Builder
	lines []int64 // line of each event, in order
	recs  int
	quars int
}

func (r *recorder) Record(rec *Record) error {
	r.lines = append(r.lines, rec.Line)
	r.recs++
	fmt.Fprintf(&r.out, "%d", rec.Line)
	for _, f := range rec.Fields {
		fmt.Fprintf(&r.out, " %s=%q", className(f.Class), f.Value)
	}
	r.out.WriteByte('\n')
	return nil
}

func (r *recorder) Quarantine(q *Quarantine) error {
	r.lines = append(r.lines, q.Line)
	r.quars++
	raw := q.Raw
	if len(raw) > 80 {
		raw = raw[:80]
	}
	fmt.Fprintf(&r.out, "%d quarantine %s %q\n", q.Line, q.Reason, raw)
	return nil
}

// runGolden parses a case and renders the sniff result, the events and the
// stats.
func runGolden(t testing.TB, gc goldenCase) string {
	t.Helper()
	var b strings.Builder
	head := gc.input[:min(len(gc.input), SniffSize)]
	sn, err := Sniff(head, gc.opts)
	if err != nil {
		fmt.Fprintf(&b, "sniff error: %v\n", err)
	} else {
		fmt.Fprintf(&b, "sniff format=%s encoding=%s delimiter=%q\n", sn.Format, sn.Encoding, sn.Delimiter)
		if sn.Header != nil {
			fmt.Fprintf(&b, "sniff header=%q\n", sn.Header)
		}
		var cols []string
		for _, c := range sn.Columns {
			cols = append(cols, className(c))
		}
		fmt.Fprintf(&b, "sniff columns=%v\n", cols)
		fmt.Fprintf(&b, "sniff samples=%q\n", sn.Samples)
		if gc.why {
			fmt.Fprintf(&b, "sniff reason=%q\n", sn.Reason)
			for i, r := range sn.ColumnReasons {
				fmt.Fprintf(&b, "sniff why %d: %s\n", i+1, r)
			}
		}
	}
	rec := &recorder{}
	opts := gc.opts
	var desc Sniffed
	if gc.describe {
		opts.Describe = &desc
	}
	st, err := Parse(context.Background(), bytes.NewReader(gc.input), opts, rec)
	if gc.describe {
		var cols []string
		for _, c := range desc.Columns {
			cols = append(cols, className(c))
		}
		fmt.Fprintf(&b, "describe header=%q\ndescribe columns=%v\ndescribe samples=%q\n", desc.Header, cols, desc.Samples)
		for i, r := range desc.ColumnReasons {
			fmt.Fprintf(&b, "describe why %d: %s\n", i+1, r)
		}
	}
	b.WriteString(rec.out.String())
	if err != nil {
		fmt.Fprintf(&b, "error: %v\n", err)
	}
	fmt.Fprintf(&b, "stats lines=%d records=%d quarantined=%d ignored=%d format=%s encoding=%s\n",
		st.Lines, st.Records, st.Quarantined, st.Ignored, st.Format, st.Encoding)
	if int64(rec.recs) != st.Records || int64(rec.quars) != st.Quarantined {
		t.Errorf("stats %+v disagree with the sink: %d records, %d quarantines", st, rec.recs, rec.quars)
	}
	return b.String()
}

func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no golden files")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			gc := loadGolden(t, ar)
			got := runGolden(t, gc)
			if *rewrite {
				found := false
				for i := range ar.Files {
					if ar.Files[i].Name == "want" {
						ar.Files[i].Data = []byte(got)
						found = true
					}
				}
				if !found {
					ar.Files = append(ar.Files, txtar.File{Name: "want", Data: []byte(got)})
				}
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			var want string
			for _, f := range ar.Files {
				if f.Name == "want" {
					want = string(f.Data)
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("output differs (-want +got); run go test -rewrite to accept:\n%s", diff)
			}
		})
	}
}

// TestGoldenNotALeak checks that golden inputs meant as not-a-leak files
// do not parse.
func TestParseNotALeak(t *testing.T) {
	for _, tc := range []struct {
		name  string
		input []byte
	}{
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")},
		{"zip", []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00")},
		{"empty", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(context.Background(), bytes.NewReader(tc.input), Options{Name: "x.bin"}, &recorder{})
			if !errors.Is(err, ErrNotALeak) {
				t.Fatalf("Parse error = %v, want ErrNotALeak", err)
			}
		})
	}
}
