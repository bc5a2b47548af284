package leakparse

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
	"github.com/leakwatch/leakwatch/internal/catalog"
)

func utf16le(s string, bom bool) []byte {
	var out []byte
	if bom {
		out = append(out, 0xFF, 0xFE)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

// repeatLines builds a head of n lines made by f.
func repeatLines(n int, f func(i int) string) []byte {
	var b strings.Builder
	for i := range n {
		b.WriteString(f(i))
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

func TestSniffFormats(t *testing.T) {
	tests := []struct {
		name  string
		head  []byte
		opts  Options
		want  Format
		delim byte
		enc   Encoding
	}{
		{"combo colon", []byte("alice@example.com:Summer2024!\nbob@example.net:qwerty123\n"), Options{}, FormatCombo, ':', EncodingUTF8},
		{"combo semicolon", []byte("bob@example.net;qwerty123\ncarol@example.org;pw;with;semis\ndave@example.com;x\n"), Options{}, FormatCombo, ';', EncodingUTF8},
		{"combo pipe", []byte("carol@example.org|P@ss:w0rd\nerin@example.com|pw\n"), Options{}, FormatCombo, '|', EncodingUTF8},
		{"combo space hashes", []byte("ERIN@EXAMPLE.COM 5f4dcc3b5aa765d61d8327deb882cf99\nfrank@example.com e10adc3949ba59abbe56e057f20f883e\n"), Options{}, FormatCombo, ' ', EncodingUTF8},
		{"combo usernames", []byte("jdoe:hunter2\ntrent:letmein\nmallory:123456\n"), Options{}, FormatCombo, ':', EncodingUTF8},
		{"combo colon hashes", []byte("alice@example.com:5f4dcc3b5aa765d61d8327deb882cf99\nbob@example.net:fdf2ec679860a02169f6925f37a2049391aff2b71e847c9ad4124be96a83fa35\n"), Options{}, FormatCombo, ':', EncodingUTF8},
		// Hashes whose own commas and semicolons split every line alike.
		{"combo argon2", []byte("alice@example.com:$argon2id$v=19$m=65536,t=3,p=4$jxyaAtczTmGpBb53EMQtWA$ojxAsje8N+mLOypE0UmVxDNys8SRr2XvJtjFX+uUUHQ\n" +
			"bob@example.net:argon2$argon2id$v=19$m=19456,t=2,p=1$VnEza0xtOXhRZTJSdFk3dVdwNHNaYQ$NtHQz1ZW8lUhfkxywpgWuWxtakJXQ8i6gesB+payQ2E\n"), Options{}, FormatCombo, ':', EncodingUTF8},
		{"combo php serialized", []byte(`xf@example.com:a:1:{s:4:"hash";s:60:"$2y$10$S5w1fdnGwLHpFXLrENQnJuYMN4Aa4Lx7S.7hW3xP5fBkoYfVCQ6S2";}` + "\n"), Options{}, FormatCombo, ':', EncodingUTF8},
		{"ulp", []byte("https://login.example.com/signin:alice@example.com:Summer2024!\nhttps://portal.example.org:8443/auth:jdoe:S3cret:Value\nandroid://AbC123xyz==@com.example.app/:alice@example.com:hunter2\n"), Options{}, FormatULP, ':', EncodingUTF8},
		{"ulp pipe", []byte("http://192.0.2.10:8080/admin|admin|admin123\nhttps://example.com/login|bob|pw\n"), Options{}, FormatULP, '|', EncodingUTF8},
		{"ulp no scheme", []byte("login.example.com:carol@example.org:Carol#1\nwww.example.net/login:dave:pw\n"), Options{}, FormatULP, ':', EncodingUTF8},
		{"stealer", []byte("URL: https://a.example.com/\nUsername: alice@example.com\nPassword: pw\nApplication: Chrome\n===============\n"), Options{}, FormatStealer, ':', EncodingUTF8},
		{"stealer by name", []byte("Host: a.example.com\nLogin: alice\nPass: pw\n\nsome other text\nmore text\nand more\n"), Options{Name: "logs/[US]203.0.113.7/Passwords.txt"}, FormatStealer, ':', EncodingUTF8},
		{"csv header", []byte("email,password,name\nalice@example.com,pw,Alice\n"), Options{}, FormatCSV, ',', EncodingUTF8},
		{"csv semicolon no header", []byte("alice@example.com;Alice;1985-03-14;+1 555 010 0199\nbob@example.net;Bob;1990-01-01;+1 555 010 0100\n"), Options{}, FormatCSV, ';', EncodingUTF8},
		{"csv by name", []byte("alice@example.com,pw\n"), Options{Name: "dump.CSV"}, FormatCSV, ',', EncodingUTF8},
		{"tsv", []byte("email\tpassword\tip\nalice@example.com\tpw\t203.0.113.7\n"), Options{}, FormatTSV, '\t', EncodingUTF8},
		{"tsv by name", []byte("a\tb\n"), Options{Name: "x.tsv"}, FormatTSV, '\t', EncodingUTF8},
		{"email list", []byte("alice@example.com\nbob@example.net\n"), Options{}, FormatCSV, ',', EncodingUTF8},
		{"json array", []byte("[\n  {\"email\": \"alice@example.com\"}\n]\n"), Options{}, FormatJSON, 0, EncodingUTF8},
		{"json compact", []byte(`[{"email":"alice@example.com"},{"email":"bob@example.net"}]`), Options{}, FormatJSON, 0, EncodingUTF8},
		{"json object", []byte("{\n  \"data\": []\n}\n"), Options{}, FormatJSON, 0, EncodingUTF8},
		{"ndjson", []byte("{\"email\":\"alice@example.com\"}\n{\"email\":\"bob@example.net\"}\n"), Options{}, FormatNDJSON, 0, EncodingUTF8},
		{"mysql", []byte("-- MySQL dump 10.13\n/*!40101 SET NAMES utf8 */;\nINSERT INTO `users` VALUES (1,'a@example.com');\n"), Options{}, FormatMySQL, 0, EncodingUTF8},
		{"mysql create only", []byte("CREATE TABLE users (id int);\n"), Options{Name: "db.sql"}, FormatMySQL, 0, EncodingUTF8},
		{"pgdump", []byte("--\n-- PostgreSQL database dump\n--\nCOPY public.users (id, email) FROM stdin;\n1\ta@example.com\n\\.\n"), Options{}, FormatPGDump, 0, EncodingUTF8},
		{"utf-8 bom", append([]byte{0xEF, 0xBB, 0xBF}, "email,password\nalice@example.com,pw\n"...), Options{}, FormatCSV, ',', EncodingUTF8},
		{"utf-16le bom", utf16le("alice@example.com:pw\nbob@example.net:pw2\n", true), Options{}, FormatCombo, ':', EncodingUTF16LE},
		{"utf-16le no bom", utf16le("alice@example.com:pw\nbob@example.net:pw2\n", false), Options{}, FormatCombo, ':', EncodingUTF16LE},
		{"latin-1", []byte("jos\xe9@example.es:contrase\xf1a\nbob@example.net:pw\n"), Options{}, FormatCombo, ':', EncodingLatin1},
		{"format given", []byte("anything:at all\n"), Options{Format: FormatULP}, FormatULP, ':', EncodingUTF8},
		{"stray nul in big combo", append(repeatLines(2000, func(i int) string { return "user" + strings.Repeat("x", i%7) + "@example.com:pw" }), "bad\x00line\n"...), Options{}, FormatCombo, ':', EncodingUTF8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sn, err := Sniff(tc.head, tc.opts)
			if err != nil {
				t.Fatalf("Sniff: %v", err)
			}
			if sn.Format != tc.want || sn.Delimiter != tc.delim || sn.Encoding != tc.enc {
				t.Errorf("Sniff = %s %q %s, want %s %q %s", sn.Format, sn.Delimiter, sn.Encoding, tc.want, tc.delim, tc.enc)
			}
			if len(sn.Samples) != len(sn.Columns) {
				t.Errorf("%d samples for %d columns", len(sn.Samples), len(sn.Columns))
			}
			if sn.Header != nil && len(sn.Header) != len(sn.Columns) {
				t.Errorf("%d header names for %d columns", len(sn.Header), len(sn.Columns))
			}
		})
	}
}

func TestSniffColumns(t *testing.T) {
	head := []byte("id;E-Mail;Passwort;Geburtsdatum;Telefon\n1;alice@example.com;Summer2024!;1985-03-14;+49 30 1234567\n")
	sn, err := Sniff(head, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := Sniffed{
		Format: FormatCSV, Encoding: EncodingUTF8, Delimiter: ';',
		Header:  []string{"id", "E-Mail", "Passwort", "Geburtsdatum", "Telefon"},
		Columns: []catalog.DataClass{catalog.ClassUnknown, catalog.ClassEmail, catalog.ClassPassword, catalog.ClassDateOfBirth, catalog.ClassPhone},
		Samples: []string{"", "a****@e******.com", "S*****4!", "19**-**-**", "+49 ** *****67"},
		Reason:  "first line is a header naming 4 known columns (E-Mail, Passwort, Geburtsdatum, Telefon)",
		ColumnReasons: []string{
			`name "id" says nothing to keep (an id, a flag, a count or a timestamp)`,
			`name "E-Mail" says email`, `name "Passwort" says password`,
			`name "Geburtsdatum" says date of birth`, `name "Telefon" says phone number`,
		},
	}
	if diff := cmp.Diff(want, sn); diff != "" {
		t.Errorf("Sniff (-want +got):\n%s", diff)
	}
	for _, s := range sn.Samples {
		if strings.Contains(s, "alice") || strings.Contains(s, "Summer") {
			t.Errorf("sample %q shows the raw value", s)
		}
	}
}

func TestSniffNotALeak(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte(rnd.Uint32())
	}
	small := make([]byte, 64)
	for i := range small {
		small[i] = byte(rnd.Uint32())
	}
	tests := []struct {
		name   string
		head   []byte
		reason string
	}{
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"), "PNG image"},
		{"jpeg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), "JPEG image"},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), "GIF image"},
		{"zip", []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00passwords.txt"), "ZIP archive"},
		{"empty zip", []byte("PK\x05\x06" + strings.Repeat("\x00", 18)), "ZIP archive"},
		{"gzip", []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00"), "gzip compressed data"},
		{"zstd", []byte("\x28\xb5\x2f\xfd\x00\x58"), "zstd compressed data"},
		{"7z", []byte("7z\xbc\xaf\x27\x1c\x00\x04"), "7-Zip archive"},
		{"rar", []byte("Rar!\x1a\x07\x01\x00"), "RAR archive"},
		{"elf", []byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00"), "ELF executable"},
		{"pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), "PDF document"},
		{"xls", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00"), "OLE2 document (legacy Office)"},
		{"bzip2", []byte("BZh91AY&SY\x00\x00"), "bzip2 compressed data"},
		{"tar", append(append([]byte("passwords.txt"), make([]byte, 244)...), "ustar\x0000"...), "tar archive"},
		{"random", random, "binary data"},
		{"small random", small, "binary data"},
		{"empty", nil, "no text"},
		{"blank", []byte(" \n\n\t\n"), "no text"},
		{"prose", []byte("It was a bright cold day in April, and the clocks were striking thirteen.\nWinston Smith, his chin nuzzled into his breast in an effort to escape the vile wind, slipped quickly through the glass doors.\n"), "unrecognized text format"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Sniff(tc.head, Options{})
			if !errors.Is(err, ErrNotALeak) {
				t.Fatalf("Sniff error = %v, want ErrNotALeak", err)
			}
			if !strings.Contains(err.Error(), tc.reason) {
				t.Errorf("Sniff error %q does not name %q", err, tc.reason)
			}
		})
	}
}

func TestSniffTruncatedHead(t *testing.T) {
	// A head cut at SniffSize in the middle of a line: the partial line
	// must not count against the format.
	head := repeatLines(5000, func(i int) string { return "user" + strings.Repeat("y", i%13) + "@example.com:Passw0rd" })
	head = head[:SniffSize]
	sn, err := Sniff(head, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sn.Format != FormatCombo {
		t.Errorf("format %s, want combo", sn.Format)
	}
}

func TestSniffBadOptions(t *testing.T) {
	for _, opts := range []Options{
		{Format: "yaml"},
		{Map: map[string]catalog.DataClass{"0": catalog.ClassEmail}},
		{Map: map[string]catalog.DataClass{" ": catalog.ClassEmail}},
	} {
		if _, err := Sniff([]byte("a@b.com:x\n"), opts); err == nil || errors.Is(err, ErrNotALeak) {
			t.Errorf("Sniff with %+v: error %v, want an options error", opts, err)
		}
	}
}

func TestSniffUTF16Samples(t *testing.T) {
	head := utf16le("email,name\nalice@example.com,Алиса\n", true)
	sn, err := Sniff(head, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(sn.Samples, " "); !strings.Contains(got, "А****") || bytes.ContainsRune([]byte(got), 0) {
		t.Errorf("samples %q not decoded from UTF-16", got)
	}
}

func TestSniffNDJSONArrays(t *testing.T) {
	sn, err := Sniff([]byte("[\"alice@example.com\",\"pw1\"]\n[\"bob@example.net\",\"pw2\"]\n"), Options{})
	if err != nil || sn.Format != FormatNDJSON {
		t.Fatalf("Sniff = %s, %v; want ndjson", sn.Format, err)
	}
	if len(sn.Header) != 2 || sn.Header[0] != "1" {
		t.Errorf("header %q, want positional names", sn.Header)
	}
}

// TestSniffHashContainerColumns: a hash keeps its class under a name that
// says something else. Keycloak's secret_data (a name that says auth
// token) and XenForo's data (a generic name) hold password hashes; a
// column of random hex tokens stays a token column, and a data column of
// other things stays other data.
func TestSniffHashContainerColumns(t *testing.T) {
	const (
		kc = `"{""value"":""F+QR0RitEuO3LW5o4oAXpD5mXewDLUW/tbJFdjNrKb/1Zt023www0GIbEhNiOUfsFeVv29SWpYTzSlQIpXTmnw=="",""salt"":""uHOlILhwg7kXt+14kGTRXA=="",""additionalParameters"":{}}"`
		xf = `"a:3:{s:4:""hash"";s:64:""fdf2ec679860a02169f6925f37a2049391aff2b71e847c9ad4124be96a83fa35"";s:4:""salt"";s:64:""260adaa3490e143619ccc1ecb5ef2f9383c7133a38f7f73c779c020e1c092751"";s:8:""hashFunc"";s:6:""sha256"";}"`
	)
	tests := []struct {
		name string
		head string
		want []catalog.DataClass
	}{
		{"keycloak", "email,type,secret_data\nkc@example.com,password," + kc + "\n",
			[]catalog.DataClass{catalog.ClassEmail, catalog.ClassUnknown, catalog.ClassPasswordHash}},
		{"xenforo", "user_id,email,data\n1,xf@example.com," + xf + "\n",
			[]catalog.DataClass{catalog.ClassUnknown, catalog.ClassEmail, catalog.ClassPasswordHash}},
		{"hex tokens", "email,api_secret\na@example.com,5f4dcc3b5aa765d61d8327deb882cf99\nb@example.com,8743b52063cd84097a65d1633f5c74f5\n",
			[]catalog.DataClass{catalog.ClassEmail, catalog.ClassAuthToken}},
		{"other data", "email,data\na@example.com,{\"theme\":\"dark\"}\nb@example.com,42\n",
			[]catalog.DataClass{catalog.ClassEmail, catalog.ClassUnknown}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sn, err := Sniff([]byte(tc.head), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, sn.Columns); diff != "" {
				t.Errorf("columns (-want +got):\n%s\nreasons: %q", diff, sn.ColumnReasons)
			}
		})
	}
}

func TestGenericHeader(t *testing.T) {
	tests := []struct {
		row  string
		want bool
	}{
		{"col1,col2,col3", true},
		{"Column1,Column2", true},
		{"field1,field2,field3", true},
		{"Field_1,Field_2", true},
		{"A,B,C", true},
		{"_c0,_c1,_c2", true},
		{"Unnamed: 0,Unnamed: 1", true},
		{"F1,F2,,F4", true},
		{"col1", false},          // one column: a list, not a header
		{"M,F", false},           // genders, not column letters
		{"B,C,D", false},         // letters not from A
		{"col1,col3", false},     // not in order
		{"col1,field2", false},   // two words
		{"id,email,pass", false}, // names
		{"user1,pass1", false},
		{"col2,col3", false},
	}
	for _, tt := range tests {
		t.Run(tt.row, func(t *testing.T) {
			if got := genericHeader(bytes.Split([]byte(tt.row), []byte{','})); got != tt.want {
				t.Errorf("genericHeader(%q) = %v, want %v", tt.row, got, tt.want)
			}
		})
	}
}
