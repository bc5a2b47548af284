package leakparse

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/txtar"
)

// addGoldenSeeds seeds a fuzz target with every golden input.
func addGoldenSeeds(f *testing.F) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(loadGolden(f, ar).input)
	}
}

// fuzzSink checks each event as it comes.
type fuzzSink struct {
	t                *testing.T
	lines            []int64
	records, quarant int64
}

func (s *fuzzSink) Record(r *Record) error {
	s.records++
	s.lines = append(s.lines, r.Line)
	if len(r.Fields) == 0 {
		s.t.Errorf("record on line %d has no fields", r.Line)
	}
	for _, f := range r.Fields {
		if f.Class == 0 {
			s.t.Errorf("line %d: field of class unknown", r.Line)
		}
		v := f.Value
		if len(v) == 0 || isSpace[v[0]] || isSpace[v[len(v)-1]] {
			s.t.Errorf("line %d: value %q empty or not trimmed", r.Line, v)
		}
		if !utf8.Valid(v) {
			s.t.Errorf("line %d: value %q not UTF-8", r.Line, v)
		}
	}
	return nil
}

func (s *fuzzSink) Quarantine(q *Quarantine) error {
	s.quarant++
	s.lines = append(s.lines, q.Line)
	if q.Reason == "" {
		s.t.Errorf("quarantine on line %d without a reason", q.Line)
	}
	if len(q.Raw) > MaxLine+2 {
		s.t.Errorf("quarantine on line %d carries %d bytes", q.Line, len(q.Raw))
	}
	return nil
}

// countLines counts lines as Parse does, or -1 when the input is UTF-16
// (transcoding can change the count), a workbook or a database (whose
// lines are rows).
// Lines end in a bare CR when the head has no LF (see crOnly).
func countLines(data []byte, st Stats) int64 {
	if st.Encoding == EncodingUTF16LE || st.Encoding == EncodingUTF16BE || st.Format == FormatXLSX || st.Format == FormatSQLite {
		return -1
	}
	data = bytes.TrimPrefix(data, bomUTF8)
	eol := byte('\n')
	if crOnly(data[:min(len(data), SniffSize)]) {
		eol = '\r'
	}
	n := int64(bytes.Count(data, []byte{eol}))
	if len(data) > 0 && data[len(data)-1] != eol {
		n++
	}
	return n
}

// checkParse parses data as format and checks the invariants every parser
// keeps: no panic, no hang, line numbers within the input and in order,
// every line accounted for, stats matching the events, fields classified,
// trimmed, non-empty UTF-8.
func checkParse(t *testing.T, data []byte, format Format) {
	s := &fuzzSink{t: t}
	done := make(chan struct{})
	var st Stats
	var err error
	go func() {
		defer close(done)
		st, err = Parse(context.Background(), bytes.NewReader(data), Options{Format: format}, s)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("Parse of %d bytes still running after 10s", len(data))
	}
	if err != nil {
		if errors.Is(err, ErrNotALeak) {
			return
		}
		t.Fatalf("Parse: %v", err)
	}
	if st.Records != s.records || st.Quarantined != s.quarant {
		t.Errorf("stats %+v disagree with the sink (%d records, %d quarantines)", st, s.records, s.quarant)
	}
	if want := countLines(data, st); want >= 0 && st.Lines != want {
		t.Errorf("Lines = %d, want %d", st.Lines, want)
	}
	// HTML combolists may hold several entries on a line, joined by <br>:
	// several records of one line.
	htmlBreaks := format == FormatCombo && bytes.Contains(bytes.ToLower(data), []byte("<br"))
	strict := format != FormatMySQL && format != FormatMSSQL && format != FormatJSON && format != FormatXML && format != FormatHTML && !htmlBreaks
	prev := int64(0)
	for _, l := range s.lines {
		if l < 1 || l > st.Lines {
			t.Errorf("line %d outside 1..%d", l, st.Lines)
		}
		if l < prev || strict && l == prev {
			t.Errorf("line %d after line %d", l, prev)
		}
		prev = l
	}
	switch accounted := st.Records + st.Quarantined + st.Ignored; format {
	case FormatCombo, FormatULP, FormatNDJSON, FormatPGDump, FormatList, FormatPotfile, FormatAdobe:
		if accounted != st.Lines && !(htmlBreaks && accounted > st.Lines) {
			t.Errorf("records %d + quarantined %d + ignored %d != lines %d", st.Records, st.Quarantined, st.Ignored, st.Lines)
		}
	case FormatCSV, FormatTSV, FormatStealer, FormatTextTable:
		if accounted > st.Lines {
			t.Errorf("records %d + quarantined %d + ignored %d > lines %d", st.Records, st.Quarantined, st.Ignored, st.Lines)
		}
		// A record spans lines only through a quoted field or, in
		// backslash-escaped text, an escaped line break.
		multi := bytes.ContainsRune(data, '"') || bytes.Contains(data, []byte("\\\n")) || bytes.Contains(data, []byte("\\\r"))
		if format != FormatStealer && format != FormatTextTable && !multi && accounted != st.Lines {
			t.Errorf("no quotes, yet records %d + quarantined %d + ignored %d != lines %d", st.Records, st.Quarantined, st.Ignored, st.Lines)
		}
	}
}

func FuzzCombo(f *testing.F) {
	addGoldenSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, FormatCombo) })
}

func FuzzList(f *testing.F) {
	addGoldenSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, FormatList) })
}

func FuzzPotfile(f *testing.F) {
	addGoldenSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, FormatPotfile) })
}

func FuzzAdobe(f *testing.F) {
	addGoldenSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, FormatAdobe) })
}

func FuzzULP(f *testing.F) {
	addGoldenSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, FormatULP) })
}

func FuzzStealer(f *testing.F) {
	addGoldenSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, FormatStealer) })
}

func FuzzCSV(f *testing.F) {
	addGoldenSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, FormatCSV) })
}

func FuzzTSV(f *testing.F) {
	addGoldenSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, FormatTSV) })
}

func FuzzJSON(f *testing.F) {
	addGoldenSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, FormatJSON) })
}

func FuzzNDJSON(f *testing.F) {
	addGoldenSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, FormatNDJSON) })
}

func FuzzMySQL(f *testing.F) {
	addGoldenSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, FormatMySQL) })
}

func FuzzXLSX(f *testing.F) {
	addGoldenSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, FormatXLSX) })
}

func FuzzTextTable(f *testing.F) {
	addGoldenSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, FormatTextTable) })
}

func FuzzPGDump(f *testing.F) {
	addGoldenSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, FormatPGDump) })
}

// FuzzSniff checks that Sniff never panics, describes columns
// consistently, and agrees with what Parse detects.
func FuzzSniff(f *testing.F) {
	addGoldenSeeds(f)
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sn, err := Sniff(data, Options{})
		if err != nil {
			if !errors.Is(err, ErrNotALeak) {
				t.Fatalf("Sniff error %v is not ErrNotALeak", err)
			}
			return
		}
		if !validFormat(sn.Format) {
			t.Fatalf("Sniff format %q", sn.Format)
		}
		if len(sn.Samples) != len(sn.Columns) || sn.Header != nil && len(sn.Header) != len(sn.Columns) {
			t.Errorf("%d header names, %d columns, %d samples", len(sn.Header), len(sn.Columns), len(sn.Samples))
		}
		if len(data) <= SniffSize {
			s := &fuzzSink{t: t}
			st, err := Parse(context.Background(), bytes.NewReader(data), Options{}, s)
			if err != nil && sn.Format == FormatXLSX && errors.Is(err, ErrNotALeak) {
				return // a head names a workbook; the whole archive has the last word
			}
			if err != nil {
				t.Fatalf("Parse after Sniff: %v", err)
			}
			if st.Format != sn.Format {
				t.Errorf("Parse format %s, Sniff format %s", st.Format, sn.Format)
			}
		}
	})
}

// decoderFlatten is the reference flattener: the same walk done with
// encoding/json's Decoder.Token stream.
func decoderFlatten(elem []byte) ([]string, error) {
	var out []string
	dec := json.NewDecoder(bytes.NewReader(elem))
	dec.UseNumber()
	var key []byte
	emit := func(v string) { out = append(out, string(key)+"="+v) }
	var value func(tok json.Token, depth int) error
	value = func(tok json.Token, depth int) error {
		if depth > maxJSONDepth {
			return errJSON
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				for dec.More() {
					kt, err := dec.Token()
					if err != nil {
						return err
					}
					k, _ := kt.(string)
					vt, err := dec.Token()
					if err != nil {
						return err
					}
					save := len(key)
					if !strings.HasPrefix(k, "$") {
						if save > 0 {
							key = append(key, '.')
						}
						key = append(key, k...)
					}
					err = value(vt, depth+1)
					key = key[:save]
					if err != nil {
						return err
					}
				}
			case '[':
				for dec.More() {
					vt, err := dec.Token()
					if err != nil {
						return err
					}
					if err := value(vt, depth+1); err != nil {
						return err
					}
				}
			default:
				return errJSON
			}
			_, err := dec.Token()
			return err
		case string:
			emit(t)
		case json.Number:
			emit(string(t))
		case bool:
			emit(strconv.FormatBool(t))
		}
		return nil
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); ok && d == '[' {
		for i := 1; dec.More(); i++ {
			key = strconv.AppendInt(key[:0], int64(i), 10)
			t, err := dec.Token()
			if err != nil {
				return nil, err
			}
			if err := value(t, 1); err != nil {
				return nil, err
			}
		}
		if _, err := dec.Token(); err != nil {
			return nil, err
		}
	} else if err := value(tok, 0); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errJSON
	}
	return out, nil
}

// FuzzJSONFlatten checks flattenJSON against the Decoder-based reference
// on every valid JSON value.
func FuzzJSONFlatten(f *testing.F) {
	addGoldenSeeds(f)
	f.Add([]byte(`{"a":{"$oid":"x"},"b":[1,2.5e3,{"c":"\ud83d\ude00\u00e9\ud800"}],"d":null,"e":true}`))
	f.Add([]byte(`["a",["b",{"c":false}],-0.1]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !utf8.Valid(data) || !json.Valid(data) {
			return
		}
		want, werr := decoderFlatten(data)
		var got []string
		var fl jsonFlattener
		gerr := fl.flatten(data, func(k, v []byte) { got = append(got, string(k)+"="+string(v)) })
		if (werr != nil) != (gerr != nil) {
			t.Fatalf("errors differ: decoder %v, flattener %v", werr, gerr)
		}
		if werr == nil {
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("fields (-decoder +flattener):\n%s", diff)
			}
		}
	})
}
