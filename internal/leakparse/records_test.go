package leakparse

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/txtar"
)

// recordGoldens returns the golden files of the record formats by format,
// and the others.
func recordGoldens(t *testing.T) (mine map[string]Format, others []string) {
	t.Helper()
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	mine = map[string]Format{}
	for _, f := range files {
		prefix, _, _ := strings.Cut(filepath.Base(f), "_")
		found := false
		for _, rf := range recordFormats {
			if prefix == string(rf) {
				mine[f] = rf
				found = true
			}
		}
		if !found {
			others = append(others, f)
		}
	}
	return mine, others
}

// TestRecordGoldensSniffed: every record-format golden is sniffed as its
// format from its content alone (no file name), never as a combolist,
// ULP, CSV or TSV file, and the detector gives a reason.
func TestRecordGoldensSniffed(t *testing.T) {
	mine, _ := recordGoldens(t)
	if len(mine) < 3*len(recordFormats) {
		t.Fatalf("%d record goldens, want at least 3 per format", len(mine))
	}
	perFormat := map[Format]int{}
	for file, want := range mine {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		gc := loadGolden(t, ar)
		perFormat[want]++
		t.Run(filepath.Base(file), func(t *testing.T) {
			sn, err := Sniff(gc.input[:min(len(gc.input), SniffSize)], Options{})
			if err != nil {
				t.Fatalf("Sniff: %v", err)
			}
			switch sn.Format {
			case FormatCombo, FormatULP, FormatCSV, FormatTSV:
				t.Fatalf("sniffed as %s", sn.Format)
			}
			if sn.Format != want {
				t.Errorf("sniffed as %s, want %s", sn.Format, want)
			}
			text := gc.input
			if sn.Encoding == EncodingLatin1 {
				text = appendCP1252(nil, text)
			}
			if f, why := detectRecordsFormat(text, ""); f != want || why == "" {
				t.Errorf("detectRecordsFormat = %s, %q", f, why)
			}
		})
	}
	for _, f := range recordFormats {
		if perFormat[f] < 2 {
			t.Errorf("%d goldens of %s, want several", perFormat[f], f)
		}
	}
}

// TestRecordDetectorLeavesOtherFormats: the record detector, which runs
// first, claims none of the other goldens (combolists, ULP, stealer logs,
// CSV, JSON, SQL) nor the shapes below that resemble its formats.
func TestRecordDetectorLeavesOtherFormats(t *testing.T) {
	_, others := recordGoldens(t)
	for _, file := range others {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		gc := loadGolden(t, ar)
		if f, why := detectRecordsFormat(gc.input, gc.opts.Name); f != "" {
			t.Errorf("%s: claimed as %s (%s)", filepath.Base(file), f, why)
		}
	}
	for name, head := range map[string]string{
		"combo with label-like logins": "email:alice@example.com\nuser1:pass1\nadmin:admin123\nbob@example.net:qwerty\n" +
			"carol@example.org:Carol#1\ndave@example.com:dave2024\n",
		"space combo of usernames":      "jdoe hunter2\ntrent letmein\nmallory 123456\nuser1 pass1\nalice Summer2024!\n",
		"stealer Passwords.txt":         "URL: https://a.example.com/\nUsername: alice@example.com\nPassword: pw\nApplication: Chrome\n===============\n",
		"json with wrapper strings":     "[{\"email\":\"alice@example.com\",\"note\":\"ObjectId(5f1e) ISODate(2020)\"}]\n",
		"csv header":                    "email,password,name\nalice@example.com,pw,Alice\n",
		"dn combo":                      "dn:password1\nalice@example.com:pw\nbob@example.net:pw2\n",
		"numbered combo":                "1) alice@example.com:pw1\n2) bob@example.net:pw2\n3) carol@example.org:pw3\n",
		"html combo paste":              "<html><body>alice@example.com:PbPass1<br />\nbob@example.net:qwerty<br />\n</body></html>\n",
		"email list":                    "alice@example.com\nbob@example.net\ncarol@example.org\n",
		"sql with html signatures":      "INSERT INTO `phpbb_users` VALUES (2,'admin','admin@example.com','<table><tr><td>sig</td></tr></table>');\n",
		"csv with html descriptions":    "sku,name,description\n1,Mug,\"<table><tr><td>Size</td><td>300ml</td></tr></table>\"\n",
		"credential blocks without url": "Login: alice@example.com\nPassword: Summer2024!\n\nLogin: bob\nPassword: hunter2\n",
		"yaml-like config":              "server: example.com\nport: 8080\ndebug: true\n",
	} {
		if f, why := detectRecordsFormat([]byte(head), ""); f != "" {
			t.Errorf("%s: claimed as %s (%s)", name, f, why)
		}
	}
}

func TestDetectRecordsFormat(t *testing.T) {
	for _, tc := range []struct {
		name, head, file string
		want             Format
	}{
		{"ldif", "version: 1\n\ndn: uid=jdoe,dc=example,dc=com\nuid: jdoe\nmail: jdoe@example.com\n", "", FormatLDIF},
		{"ldif by name", "# export\nmail: a@example.com\ndn: cn=x,dc=example,dc=com\n", "people.ldif", FormatLDIF},
		{"vcard", "BEGIN:VCARD\nVERSION:3.0\nFN:A\nEND:VCARD\n", "", FormatVCard},
		{"mbox", "From alice@example.com Mon Jan  8 09:12:44 2024\nFrom: a@example.com\nTo: b@example.net\nSubject: x\n", "", FormatMbox},
		{"headers", "Received: from x\nFrom: a@example.com\nTo: b@example.net\nSubject: x\nDate: today\n", "", FormatMbox},
		{"autofill pairs", "Name: email\nValue: a@example.com\n\nName: phone\nValue: 1\n", "", FormatAutofill},
		{"cookies", "# Netscape HTTP Cookie File\n.example.com\tTRUE\t/\tFALSE\t0\ta\tb\n", "", FormatAutofill},
		{"sysinfo", "IP: 203.0.113.7\nCountry: US\nHWID: ABC\nUserName: x\n", "", FormatAutofill},
		{"redis", "127.0.0.1:6379> HGETALL u\n1) \"email\"\n2) \"a@example.com\"\n", "", FormatRedis},
		{"mongo", "{ \"_id\" : ObjectId(\"5f1e\"), \"email\" : \"a@example.com\" }\n", "", FormatMongo},
		{"mongosh", "[\n  {\n    _id: ObjectId('5f1e'),\n    email: 'a@example.com'\n  }\n]\n", "", FormatMongo},
		{"mongosh without wrappers", "[\n  {\n    login: 'ivan',\n    email: 'ivan@example.org',\n    tags: [ 'beta' ]\n  }\n]\n", "", FormatMongo},
		{"xml", "<?xml version=\"1.0\"?>\n<users><user><email>a@example.com</email></user></users>\n", "", FormatXML},
		{"xml no declaration", "<users>\n<user><email>a@example.com</email></user>\n</users>\n", "", FormatXML},
		{"html", "<html><body><table><tr><td>a@example.com</td></tr></table></body></html>\n", "", FormatHTML},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, why := detectRecordsFormat([]byte(tc.head), tc.file)
			if f != tc.want || why == "" {
				t.Errorf("detectRecordsFormat = %s, %q; want %s with a reason", f, why, tc.want)
			}
			sn, err := Sniff([]byte(tc.head), Options{Name: tc.file})
			if err != nil || sn.Format != tc.want {
				t.Errorf("Sniff = %s, %v", sn.Format, err)
			}
		})
	}
}

func TestMongoConv(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{ "_id" : ObjectId("5f1e"), "n" : NumberLong(42), "d" : ISODate("2020-01-01T00:00:00Z") }`, `{"_id":"5f1e","n":42,"d":"2020-01-01T00:00:00Z"}`},
		{`{ _id: ObjectId('5f1e'), name: 'O\'Neil "x"', n: Long('7'), a: [ 'b', 1.5, -2 ] }`, `{"_id":"5f1e","name":"O'Neil \"x\"","n":"7","a":["b",1.5,-2]}`},
		{`{ b: BinData(0, "AAEC"), t: Timestamp(1704067200, 1), t2: Timestamp({ t: 5, i: 1 }), d: new Date(1704067200000) }`, `{"b":"AAEC","t":1704067200,"t2":{"t":5,"i":1},"d":1704067200000}`},
		{`{ u: undefined, n: NaN, m: MinKey, x: null, y: true, z: -Infinity }`, `{"u":null,"n":null,"m":null,"x":null,"y":true,"z":null}`},
		{`{ s: '\x41\u00e9' }`, `{"s":"\u0041\u00e9"}`},
	} {
		var c mongoConv
		got, err := c.convert(nil, []byte(tc.in))
		if err != nil || string(got) != tc.want {
			t.Errorf("convert(%s) = %s, %v; want %s", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{`{ a: Unknown }`, `{ a: 'open`, `{ a: ObjectId("x" }`, `{ a: 1 } trailing`} {
		var c mongoConv
		if _, err := c.convert(nil, []byte(bad)); err == nil {
			t.Errorf("convert(%s): no error", bad)
		}
	}
}

func TestRedisUnquote(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`"Jos\xc3\xa9 \"Pepe\""`, "José \"Pepe\""},
		{`"a\\b\n"`, "a\\b\n"},
		{`(integer) 42`, "42"},
		{`raw value`, "raw value"},
	} {
		got, ok := redisUnquote(nil, []byte(tc.in))
		if !ok || string(got) != tc.want {
			t.Errorf("redisUnquote(%s) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
	if _, ok := redisUnquote(nil, []byte("(nil)")); ok {
		t.Error("(nil) is a value")
	}
	for in, want := range map[string]string{"user:alice@example.com": "alice@example.com", "a:b:c@example.net": "c@example.net",
		"alice@example.com": "", "user:1001": "", "x y:z@example.com": ""} {
		if got := string(keyedAddress([]byte(in))); got != want {
			t.Errorf("keyedAddress(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestVCardValues(t *testing.T) {
	p := &vcardParser{}
	got := p.components([]byte(`;;12 Main St\, Apt 4;Springfield;IL;62701;USA`))
	want := []string{"", "", "12 Main St, Apt 4", "Springfield", "IL", "62701", "USA"}
	var gs []string
	for _, g := range got {
		gs = append(gs, string(g))
	}
	if diff := cmp.Diff(want, gs); diff != "" {
		t.Errorf("components (-want +got):\n%s", diff)
	}
	name, params, val, ok := splitVCardLine([]byte(`item1.TEL;TYPE="voice,cell";LABEL="a:b":tel:+1-555`))
	if !ok || string(name) != "TEL" || string(val) != "tel:+1-555" || !vcardParam(params, "type", `"voice,cell"`) {
		t.Errorf("splitVCardLine = %q %q %q %v", name, params, val, ok)
	}
	if !vcardParam([]byte(";CHARSET=UTF-8;QUOTED-PRINTABLE"), "encoding", "quoted-printable") {
		t.Error("bare QUOTED-PRINTABLE parameter not found")
	}
}

// TestRecordsBoundedMemory: an endless value inside a record costs no more
// memory than a few MaxLine buffers, in every record format.
func TestRecordsBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 16 MiB per case")
	}
	n := 16 << 20 // 16 times MaxLine
	if raceEnabled {
		n = 6 << 20
	}
	for _, tc := range []struct {
		name   string
		format Format
		r      *endless
	}{
		{"ldif folded", FormatLDIF, &endless{prefix: "dn: uid=a,dc=example,dc=com\nmail: a@example.com\ndescription: x", pattern: "abc\n ", n: n, suffix: "\n"}},
		{"vcard photo", FormatVCard, &endless{prefix: "BEGIN:VCARD\nEMAIL:a@example.com\nPHOTO;ENCODING=b:AAAA", pattern: "\n AAAAAAAA", n: n, suffix: "\nEND:VCARD\n"}},
		{"vcard note", FormatVCard, &endless{prefix: "BEGIN:VCARD\nEMAIL:a@example.com\nX-CUSTOM:", pattern: "\n abcdefgh", n: n, suffix: "\nEND:VCARD\n"}},
		{"mbox header", FormatMbox, &endless{prefix: "From: a@example.com\nTo: b@example.net,", pattern: "\n c@example.org,", n: n, suffix: "\n\n"}},
		{"mbox body", FormatMbox, &endless{prefix: "From: a@example.com\n\n", pattern: "body text ", n: n, suffix: "\n"}},
		{"autofill", FormatAutofill, &endless{prefix: "Name: email\nValue: ", pattern: "abcd", n: n, suffix: "\n"}},
		{"redis", FormatRedis, &endless{prefix: "1) \"email\"\n2) \"a@example.com\"\n", pattern: "3) \"x\"\n", n: n}},
		{"redis hash", FormatRedis, &endless{prefix: "127.0.0.1:6379> HGETALL user:1\n1) \"email\"\n2) \"a@example.com\"\n", pattern: "3) \"k\"\n", n: n}},
		{"mongo", FormatMongo, &endless{prefix: "{ \"_id\" : ObjectId(\"x\"), \"email\" : \"a@example.com\", \"a\" : [\n", pattern: "1,\n", n: n, suffix: "1] }\n"}},
		{"xml text", FormatXML, &endless{prefix: "<users><user><email>a@example.com</email><bio>", pattern: "abcd", n: n, suffix: "</bio></user></users>"}},
		{"xml depth", FormatXML, &endless{prefix: "<users>", pattern: "<a>", n: n}},
		{"xml wide root", FormatXML, &endless{prefix: "<data>", pattern: "<v>1</v>", n: n, suffix: "</data>"}},
		{"xml records", FormatXML, &endless{prefix: "<users>", pattern: "<user><email>a@example.com</email></user>\n", n: n, suffix: "</users>"}},
		{"html cell", FormatHTML, &endless{prefix: "<table><tr><td>a@example.com</td><td>", pattern: "abcd", n: n, suffix: "</td></tr></table>"}},
		{"html cells", FormatHTML, &endless{prefix: "<table><tr><td>a@example.com</td>", pattern: "<td>", n: n, suffix: "</tr></table>"}},
		{"html tag", FormatHTML, &endless{prefix: "<table><tr><td>a@example.com</td><td><a href='", pattern: "abcd", n: n, suffix: "'>x</a></td></tr></table>"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := Parse(context.Background(), tc.r, Options{Format: tc.format}, &countSink{})
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatal(err)
			}
			if peak := after.HeapInuse; peak > 64<<20 {
				t.Errorf("heap in use %d MiB after reading %d MiB", peak>>20, n>>20)
			}
		})
	}
}

// TestRecordsSinkErrorStops: a sink's error stops every record parser and
// is returned as is.
func TestRecordsSinkErrorStops(t *testing.T) {
	inputs := map[Format]string{
		FormatLDIF:     "dn: uid=a,dc=x\nmail: a@example.com\n\ndn: uid=b,dc=x\nmail: b@example.com\n",
		FormatVCard:    "BEGIN:VCARD\nEMAIL:a@example.com\nEND:VCARD\nBEGIN:VCARD\nEMAIL:b@example.com\nEND:VCARD\n",
		FormatMbox:     "From: a@example.com\n\nbody\n\nReturn-Path: <b@example.com>\n",
		FormatAutofill: "email a@example.com\nemail b@example.com\n",
		FormatRedis:    "1) \"a@example.com\"\n2) \"b@example.com\"\n3) \"c@example.com\"\n",
		FormatMongo:    "{ \"email\" : \"a@example.com\" }\n{ \"email\" : \"b@example.com\" }\n",
		FormatXML:      "<u><r><email>a@example.com</email></r><r><email>b@example.com</email></r></u>",
		FormatHTML:     "<table><tr><th>email</th></tr><tr><td>a@example.com</td></tr><tr><td>b@example.com</td></tr></table>",
	}
	for _, f := range recordFormats {
		stop := errors.New("stop")
		_, err := Parse(context.Background(), bytes.NewReader([]byte(inputs[f])), Options{Format: f}, &failSink{err: stop, after: 0})
		if !errors.Is(err, stop) {
			t.Errorf("%s: error %v, want the sink's", f, err)
		}
	}
}
