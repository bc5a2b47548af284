package leakgen

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"io"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/leakwatch/leakwatch/internal/leakparse"
)

// lines splits b into lines without their "\n".
func lines(b []byte) []string {
	s := strings.TrimSuffix(string(b), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// feature is a structural trait some line of a format's output must show.
type feature struct {
	name string
	re   string // matched against each line (or the whole output, for whole)
}

// TestFeatures checks that each format shows the traits of real leaks of
// its kind, somewhere in a few thousand rows.
func TestFeatures(t *testing.T) {
	tests := []struct {
		format   leakparse.Format
		rows     int64
		features []feature
	}{
		{leakparse.FormatCombo, 5000, []feature{
			{"colon", `^[^:;|\t ]+@[^:;|\t ]+:[^:]+$`},
			{"semicolon", `^\S+@\S+;`},
			{"pipe", `^\S+@\S+\|`},
			{"tab", "^\\S+@\\S+\t"},
			{"space", `^\S+@\S+ \S`},
			{"upper-case address", `^[A-Z0-9._-]+@[A-Z0-9.-]+\.[A-Z]+[:;|\t ]`},
			{"mixed-case address", `^[A-Z][a-z]+\.[A-Z][a-z]+[0-9]*@[A-Z]`},
			{"leading space", `^ +\S+@`},
			{"space before separator", `^\S+@\S+ [:;|]`},
			{"username login", `^[A-Za-z][A-Za-z0-9_.]*[:;|\t ]`},
			{"password with separator", `@[^:]+:[^:]*[^0-9a-f:][^:]*:`},
			{"md5 or ntlm hex", `[:;|\t ][0-9a-f]{32}$`},
			{"upper-case hex", `[:;|\t ][0-9A-F]{32}$`},
			{"sha1 hex", `[:;|\t ][0-9a-fA-F]{40}$`},
			{"bcrypt", `[:;|\t ]\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$`},
			{"md5crypt", `[:;|\t ]\$1\$[./0-9A-Za-z]{8}\$[./0-9A-Za-z]{22}$`},
			{"sha512crypt", `[:;|\t ]\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$`},
			{"phpass", `[:;|\t ]\$[PH]\$[9B][./0-9A-Za-z]{30}$`},
			{"hash:salt", `[:;|\t ][0-9a-f]{32}:[A-Za-z0-9]{3}$`},
			{"non-ASCII password", `[:;|\t ].*[^\x00-\x7f]`},
		}},
		{leakparse.FormatULP, 3000, []feature{
			{"https with path", `^https://[a-z0-9.-]+/[^:|]*:[^:]+:`},
			{"port", `^https?://[a-z0-9.-]+:\d{2,5}/`},
			{"IP host", `^https?://\d+\.\d+\.\d+\.\d+[:/]`},
			{"plain http", `^http://`},
			{"missing scheme", `^[a-z0-9-]+\.[a-z0-9.-]+/\S*[:| ]`},
			{"bare host", `^[a-z0-9-]+(\.[a-z0-9-]+)+[:| ][^/]`},
			{"android", `^android://[A-Za-z0-9_-]{86}==@[a-z0-9.]+/[:| ]`},
			{"pipe separators", `^\S+\|\S+\|`},
			{"space separators", `^\S+ \S+ \S`},
			{"phone login", `:\d{9,14}:`},
			{"password with colon", `^https://[^:]+:[^:]+:[^:]*:`},
		}},
		{leakparse.FormatStealer, 2000, []feature{
			{"URL label", `^URL: (https?|android)://`},
			{"Host label", `^Host: `},
			{"Hostname label", `^Hostname: `},
			{"Username label", `^Username: `},
			{"Login label", `^Login: `},
			{"USER label", `^USER: `},
			{"Password label", `^Password: `},
			{"PASS label", `^PASS: `},
			{"Soft label", `^Soft: `},
			{"Application label", `^Application: `},
			{"Browser label", `^Browser: `},
			{"rule", `^===============\r?$`},
			{"CRLF", `\r$`},
			{"blank line", `^$`},
		}},
		{leakparse.FormatCSV, 3000, []feature{
			{"BOM and header", "^\ufeffcustomer_id,full_name,email,"},
			{"CRLF", `\r$`},
			{"quoted comma", `,"[^",]*, [^"]*",`},
			{"quoted line break", `,"[^"]*$`},
			{"doubled quote", `""`},
			{"Cyrillic", `\p{Cyrillic}`},
			{"CJK", `\p{Han}`},
			{"accents", `[éüñøçã]`},
			{"empty field", `,,`},
		}},
		{leakparse.FormatTSV, 1000, []feature{
			{"header", "^customer_id\tfull_name\temail\t"},
			{"tabs", "^\\d+\t[^\t]+\t[^\t]+@"},
		}},
		{leakparse.FormatJSON, 1000, []feature{
			{"array start", `^\[$`},
			{"array end", `^\]$`},
			{"object id", `^\{"_id":\{"\$oid":"[0-9a-f]{24}"\},`},
			{"nested address", `"address":\{"street":`},
			{"mongo date", `"created_at":\{"\$date":"\d{4}-\d\d-\d\dT`},
			{"null", `:null,`},
			{"escaped line break", `\\n`},
			{"unicode escape", `\\u[0-9a-f]{4}`},
			{"raw UTF-8", `[^\x00-\x7f]`},
		}},
		{leakparse.FormatNDJSON, 1000, []feature{
			{"object per line", `^\{"_id":\{"\$oid":"[0-9a-f]{24}"\},.*\}$`},
		}},
		{leakparse.FormatMySQL, 1200, []feature{
			{"dump header", `^-- MySQL dump`},
			{"create table", "^CREATE TABLE `customers`"},
			{"extended insert", "^INSERT INTO `customers` VALUES \\(1,'.*\\),\\(2,'"},
			{"escaped quote", `\\'`},
			{"escaped line break", `\\n`},
			{"NULL", `,NULL,`},
			{"hex blob", `,0x[0-9A-F]{32},`},
			{"statement end", `\);$`},
			{"dump completed", `^-- Dump completed on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$`},
		}},
		{leakparse.FormatPGDump, 1000, []feature{
			{"copy", `^COPY public\.customers \(id, email, .*\) FROM stdin;$`},
			{"null", `\t\\N\t`},
			{"escaped line break", "\t[^\t]*\\\\n[^\t]*\t"},
			{"end of data", `^\\\.$`},
			{"complete", `^-- PostgreSQL database dump complete$`},
		}},
	}
	for _, tc := range tests {
		t.Run(string(tc.format), func(t *testing.T) {
			out, _ := generate(t, Options{Format: tc.format, Rows: tc.rows, Seed: 2024})
			ls := lines(out)
			for _, f := range tc.features {
				re := regexp.MustCompile(f.re)
				found := false
				for _, l := range ls {
					if re.MatchString(l) {
						found = true
						break
					}
				}
				if !found {
					t.Errorf("no line shows %s (%s)", f.name, f.re)
				}
			}
		})
	}
}

// TestCSVLatin1 checks that some CSV rows are written in ISO 8859-1, and
// only rows whose name has accents.
func TestCSVLatin1(t *testing.T) {
	const rows = 3000
	out, _ := generate(t, Options{Format: leakparse.FormatCSV, Rows: rows, Seed: 11})
	recs := readCSV(t, out, ',')
	ps := people(11, rows)
	n := 0
	for i, rec := range recs {
		if utf8.ValidString(strings.Join(rec, "")) {
			continue
		}
		n++
		name := latin1ToUTF8(rec[1])
		if !strings.Contains(name, ps[i].FirstName) || !strings.Contains(name, ps[i].LastName) {
			t.Errorf("row %d: Latin-1 name %q decodes to %q, want %s %s", i, rec[1], name, ps[i].FirstName, ps[i].LastName)
		}
		if !strings.ContainsAny(name, "àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝß") {
			t.Errorf("row %d: Latin-1 row without accented name %q", i, name)
		}
	}
	if n == 0 || n > rows/20 {
		t.Errorf("%d of %d rows in Latin-1, want a few", n, rows)
	}
}

func latin1ToUTF8(s string) string {
	r := make([]rune, len(s))
	for i := range len(s) {
		r[i] = rune(s[i])
	}
	return string(r)
}

// readCSV parses CSV or TSV output strictly (no junk) and returns the
// records after the header.
func readCSV(t *testing.T, out []byte, comma rune) [][]string {
	t.Helper()
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(out, []byte("\ufeff"))))
	cr.Comma = comma
	cr.FieldsPerRecord = len(csvHeader)
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("reading CSV: %v", err)
	}
	if diff := cmp.Diff(csvHeader, recs[0]); diff != "" {
		t.Fatalf("header mismatch (-want +got):\n%s", diff)
	}
	return recs[1:]
}

// TestPeopleInOutput checks, for every format, that record i shows the
// values of person i of People(seed), junk lines notwithstanding.
func TestPeopleInOutput(t *testing.T) {
	const rows, seed = 1500, 77
	ps := people(seed, rows)

	t.Run("combo", func(t *testing.T) {
		out, _ := generate(t, Options{Format: leakparse.FormatCombo, Rows: rows, Seed: seed, JunkEvery: 50})
		recs, junk := splitJunk(t, lines(out), 50)
		checkComboJunk(t, junk)
		usernames := 0
		for i, l := range recs {
			p := ps[i]
			shown := p.Password
			if p.Hash != "" {
				shown = p.Hash
			}
			rest, ok := strings.CutSuffix(l, shown)
			if !ok || rest == "" || !strings.ContainsRune(":;|\t ", rune(rest[len(rest)-1])) {
				t.Fatalf("row %d: %q does not end with separator and password or hash of person %d", i, l, i)
			}
			login := strings.TrimSpace(rest[:len(rest)-1])
			switch {
			case strings.EqualFold(login, p.Email):
			case login == p.Username:
				usernames++
			default:
				t.Fatalf("row %d: login %q is neither %q nor %q", i, login, p.Email, p.Username)
			}
		}
		if usernames == 0 || usernames > rows/10 {
			t.Errorf("%d of %d rows with a username, want a few", usernames, rows)
		}
	})

	t.Run("ulp", func(t *testing.T) {
		out, _ := generate(t, Options{Format: leakparse.FormatULP, Rows: rows, Seed: seed, JunkEvery: 50})
		recs, junk := splitJunk(t, lines(out), 50)
		checkULPJunk(t, junk)
		for i, l := range recs {
			p := ps[i]
			rest, ok := strings.CutSuffix(l, p.Password)
			if !ok || rest == "" {
				t.Fatalf("row %d: %q does not end with the password of person %d", i, l, i)
			}
			sep := rest[len(rest)-1]
			rest = rest[:len(rest)-1]
			url, login := rest, ""
			for _, cand := range []string{p.Email, p.Username, strings.TrimPrefix(p.PhoneE164, "+")} {
				if u, ok := strings.CutSuffix(rest, string(sep)+cand); ok {
					url, login = u, cand
					break
				}
			}
			if login == "" {
				t.Fatalf("row %d: %q has no login of person %d", i, l, i)
			}
			if !strings.HasPrefix(url, "android://") && !strings.Contains(url, p.Website) {
				t.Fatalf("row %d: URL %q is not on %q", i, url, p.Website)
			}
		}
	})

	t.Run("stealer", func(t *testing.T) {
		out, st := generate(t, Options{Format: leakparse.FormatStealer, Rows: rows, Seed: seed, JunkEvery: 50})
		blocks := stealerBlocks(out)
		var creds []map[string]string
		junk := 0
		for _, b := range blocks {
			if b["password"] == "" {
				junk++
				continue
			}
			creds = append(creds, b)
		}
		if int64(junk) != st.JunkLines || len(creds) != rows {
			t.Fatalf("%d credential blocks and %d junk blocks, want %d and %d", len(creds), junk, rows, st.JunkLines)
		}
		for i, c := range creds {
			p := ps[i]
			if c["password"] != p.Password {
				t.Fatalf("block %d: password %q, want %q", i, c["password"], p.Password)
			}
			if l := c["login"]; l != p.Email && l != p.Username && l != strings.TrimPrefix(p.PhoneE164, "+") {
				t.Fatalf("block %d: login %q is not person %d's", i, l, i)
			}
			if u := c["url"]; !strings.HasPrefix(u, "android://") && !strings.HasPrefix(u, "https://"+p.Website) && !strings.HasPrefix(u, "http://"+p.Website) {
				t.Fatalf("block %d: URL %q is not on %q", i, u, p.Website)
			}
		}
	})

	for _, f := range []leakparse.Format{leakparse.FormatCSV, leakparse.FormatTSV} {
		t.Run(string(f), func(t *testing.T) {
			comma := ','
			if f == leakparse.FormatTSV {
				comma = '\t'
			}
			out, _ := generate(t, Options{Format: f, Rows: rows, Seed: seed})
			recs := readCSV(t, out, comma)
			if len(recs) != rows {
				t.Fatalf("%d records, want %d", len(recs), rows)
			}
			for i, rec := range recs {
				p := ps[i]
				if !utf8.ValidString(rec[1]) {
					for k := range rec {
						rec[k] = latin1ToUTF8(rec[k])
					}
				}
				checkRecord(t, i, p, record{
					name: rec[1], email: strings.ToLower(rec[2]), phone: rec[3], dob: rec[4], street: rec[5],
					city: rec[6], postcode: rec[7], country: rec[8], taxID: rec[9], device: rec[10], ip: rec[11],
					password: rec[12],
				})
			}
		})
	}

	for _, f := range []leakparse.Format{leakparse.FormatJSON, leakparse.FormatNDJSON} {
		t.Run(string(f), func(t *testing.T) {
			out, _ := generate(t, Options{Format: f, Rows: rows, Seed: seed})
			var objs []jsonRecord
			if f == leakparse.FormatJSON {
				if err := json.Unmarshal(out, &objs); err != nil {
					t.Fatalf("output is not a JSON array: %v", err)
				}
			} else {
				for k, l := range lines(out) {
					var o jsonRecord
					if err := json.Unmarshal([]byte(l), &o); err != nil {
						t.Fatalf("line %d is not a JSON object: %v", k+1, err)
					}
					objs = append(objs, o)
				}
			}
			if len(objs) != rows {
				t.Fatalf("%d objects, want %d", len(objs), rows)
			}
			for i, o := range objs {
				rec := record{
					name: o.Name.First + " " + o.Name.Last, email: o.Email, dob: o.DOB, street: o.Address.Street,
					city: o.Address.City, postcode: o.Address.Postcode, country: o.Address.Country,
					device: o.Device.ID, ip: o.Device.LastIP, password: o.Password,
				}
				if o.Phone != nil {
					rec.phone = *o.Phone
				}
				if o.TaxID != nil {
					rec.taxID = *o.TaxID
				}
				checkRecord(t, i, ps[i], rec)
			}
		})
	}

	t.Run("mysql", func(t *testing.T) {
		out, _ := generate(t, Options{Format: leakparse.FormatMySQL, Rows: rows, Seed: seed})
		tuples, inserts := mysqlTuples(t, out)
		if len(tuples) != rows {
			t.Fatalf("%d tuples, want %d", len(tuples), rows)
		}
		if want := (rows + mysqlRowsPerInsert - 1) / mysqlRowsPerInsert; inserts != want {
			t.Errorf("%d INSERT statements, want %d", inserts, want)
		}
		for i, v := range tuples {
			p := ps[i]
			sum := md5.Sum([]byte(p.Password))
			if v[3] != hex.EncodeToString(sum[:]) {
				t.Fatalf("row %d: password column %q is not the MD5 of person %d's password", i, v[3], i)
			}
			checkRecord(t, i, p, record{
				name: v[4] + " " + v[5], email: v[2], phone: v[6], dob: v[7], street: v[8], city: v[9],
				postcode: v[10], country: v[11], taxID: v[12], device: v[13], ip: v[14], password: p.Password,
			})
			if v[1] != p.Username {
				t.Fatalf("row %d: username %q, want %q", i, v[1], p.Username)
			}
		}
	})

	t.Run("pgdump", func(t *testing.T) {
		out, _ := generate(t, Options{Format: leakparse.FormatPGDump, Rows: rows, Seed: seed})
		data := copyRows(t, out)
		if len(data) != rows {
			t.Fatalf("%d COPY rows, want %d", len(data), rows)
		}
		for i, v := range data {
			if len(v) != pgColumns {
				t.Fatalf("row %d has %d fields, want %d", i, len(v), pgColumns)
			}
			checkRecord(t, i, ps[i], record{
				email: v[1], password: v[3], name: v[4], phone: v[5], dob: v[6], street: v[7], city: v[8],
				postcode: v[9], country: v[10], taxID: v[11], device: v[12], ip: v[13],
			})
		}
	})
}

// record is what a customer-record format shows of a person; "" stands for
// an absent or NULL value where the format may leave one out.
type record struct {
	name, email, phone, dob, street, city, postcode, country, taxID, device, ip, password string
}

func checkRecord(t *testing.T, i int, p Person, r record) {
	t.Helper()
	want := record{
		email: p.Email, phone: p.Phone, dob: p.DateOfBirth, street: p.Street, city: p.City, postcode: p.Postcode,
		country: p.Country, taxID: p.TaxID, device: p.DeviceID, ip: p.IP, password: p.Password,
	}
	if !strings.Contains(r.name, p.FirstName) || !strings.Contains(r.name, p.LastName) {
		t.Fatalf("row %d: name %q is not %s %s", i, r.name, p.FirstName, p.LastName)
	}
	r.name = ""
	r.email = strings.ToLower(r.email)
	if r.phone == "" {
		want.phone = ""
	}
	if r.taxID == "" {
		want.taxID = ""
	}
	if r.dob == "" || r.dob == "NULL" {
		r.dob, want.dob = "", ""
	}
	if diff := cmp.Diff(want, r, cmp.AllowUnexported(record{})); diff != "" {
		t.Fatalf("row %d differs from person %d (-want +got):\n%s", i, i, diff)
	}
}

// jsonRecord is the shape of a JSON/NDJSON object.
type jsonRecord struct {
	ID struct {
		OID string `json:"$oid"`
	} `json:"_id"`
	CustomerID int64 `json:"customer_id"`
	Name       struct{ First, Last string }
	Email      string
	Phone      *string
	DOB        string `json:"dob"`
	Address    struct{ Street, City, Postcode, Country string }
	TaxID      *string `json:"tax_id"`
	Device     struct {
		ID     string `json:"id"`
		LastIP string `json:"last_ip"`
	}
	Password  string
	CreatedAt struct {
		Date string `json:"$date"`
	} `json:"created_at"`
}

// splitJunk separates the lines of a line format into records and the
// junk lines that must sit at every junkEvery-th line.
func splitJunk(t *testing.T, ls []string, junkEvery int) (recs, junk []string) {
	t.Helper()
	for k, l := range ls {
		if (k+1)%junkEvery == 0 {
			junk = append(junk, l)
		} else {
			recs = append(recs, l)
		}
	}
	if len(junk) == 0 {
		t.Fatal("no junk lines")
	}
	return recs, junk
}

// checkComboJunk checks that junk lines cannot pass for credentials: they
// are not UTF-8, or have no separator.
func checkComboJunk(t *testing.T, junk []string) {
	t.Helper()
	for _, l := range junk {
		if utf8.ValidString(l) && strings.ContainsAny(l, ":;|\t ") {
			t.Errorf("junk line %q looks like a credential", l)
		}
	}
}

// checkULPJunk checks that junk lines lack the two separators after the URL.
func checkULPJunk(t *testing.T, junk []string) {
	t.Helper()
	for _, l := range junk {
		if !utf8.ValidString(l) {
			continue
		}
		rest := l
		if _, after, ok := strings.Cut(l, "://"); ok {
			rest = after
		}
		if strings.ContainsAny(rest, ":;|\t ") {
			t.Errorf("junk line %q looks like a credential", l)
		}
	}
}

// stealerBlocks parses Passwords.txt blocks into url/login/password maps.
// A junk block (or a garbage line) yields a map without password.
func stealerBlocks(out []byte) []map[string]string {
	labels := map[string]string{
		"URL": "url", "Host": "url", "Hostname": "url",
		"Username": "login", "Login": "login", "USER": "login",
		"Password": "password", "PASS": "password",
	}
	var blocks []map[string]string
	cur := map[string]string{}
	flush := func() {
		if len(cur) > 0 {
			blocks = append(blocks, cur)
			cur = map[string]string{}
		}
	}
	for _, l := range lines(out) {
		l = strings.TrimSuffix(l, "\r")
		if l == "" || l == blockRule {
			flush()
			continue
		}
		label, value, ok := strings.Cut(l, ": ")
		if k, known := labels[label]; ok && known {
			cur[k] = value
		} else {
			cur["other"] = l
		}
	}
	flush()
	return blocks
}

// mysqlTuples parses the INSERT statements of a dump into unescaped values
// (NULL as ""), and counts the statements.
func mysqlTuples(t *testing.T, out []byte) (tuples [][]string, inserts int) {
	t.Helper()
	const prefix = "INSERT INTO `customers` VALUES "
	for _, l := range lines(out) {
		stmt, ok := strings.CutPrefix(l, prefix)
		if !ok {
			continue
		}
		inserts++
		var tuple []string
		var field strings.Builder
		inQuote, depth := false, 0
		for i := 0; i < len(stmt); i++ {
			c := stmt[i]
			switch {
			case inQuote && c == '\\':
				i++
				switch stmt[i] {
				case 'n':
					field.WriteByte('\n')
				case 'r':
					field.WriteByte('\r')
				case '0':
					field.WriteByte(0)
				case 'Z':
					field.WriteByte(0x1a)
				default:
					field.WriteByte(stmt[i])
				}
			case inQuote && c == '\'':
				inQuote = false
			case inQuote:
				field.WriteByte(c)
			case c == '\'':
				inQuote = true
			case c == '(' && depth == 0:
				depth = 1
			case c == ',' && depth == 1, c == ')' && depth == 1:
				v := field.String()
				if v == "NULL" {
					v = ""
				}
				tuple = append(tuple, v)
				field.Reset()
				if c == ')' {
					tuples = append(tuples, tuple)
					tuple, depth = nil, 0
				}
			case depth == 1:
				field.WriteByte(c)
			case c == ',' || c == ';':
			default:
				t.Fatalf("unexpected %q between tuples", c)
			}
		}
		if !strings.HasSuffix(stmt, ");") {
			t.Fatalf("INSERT statement does not end with \");\"")
		}
	}
	return tuples, inserts
}

// copyRows returns the unescaped fields of the COPY block (\N as "").
func copyRows(t *testing.T, out []byte) [][]string {
	t.Helper()
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	in := false
	var rows [][]string
	for sc.Scan() {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "COPY "):
			in = true
		case l == `\.`:
			in = false
		case in:
			var fields []string
			for _, f := range strings.Split(l, "\t") {
				if f == `\N` {
					fields = append(fields, "")
					continue
				}
				fields = append(fields, strings.NewReplacer(`\\`, `\`, `\n`, "\n", `\r`, "\r", `\t`, "\t").Replace(f))
			}
			rows = append(rows, fields)
		}
	}
	if err := sc.Err(); err != nil && err != io.EOF {
		t.Fatal(err)
	}
	return rows
}

// TestJunk checks that junk items sit where JunkEvery puts them and that a
// strict reader of the format rejects each of them.
func TestJunk(t *testing.T) {
	const rows, every = 600, 10
	t.Run("csv", func(t *testing.T) {
		out, st := generate(t, Options{Format: leakparse.FormatCSV, Rows: rows, Seed: 8, JunkEvery: every})
		cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(out, []byte("\ufeff"))))
		cr.FieldsPerRecord = len(csvHeader)
		good, bad := -1, 0 // the header is not a record
		for {
			_, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				bad++
				continue
			}
			good++
		}
		if good != rows || int64(bad) != st.JunkLines || bad == 0 {
			t.Errorf("strict CSV reader: %d good and %d bad records, want %d and %d", good, bad, rows, st.JunkLines)
		}
	})
	t.Run("ndjson", func(t *testing.T) {
		out, st := generate(t, Options{Format: leakparse.FormatNDJSON, Rows: rows, Seed: 8, JunkEvery: every})
		bad := 0
		for k, l := range lines(out) {
			valid := json.Valid([]byte(l))
			if valid == ((k+1)%every == 0) {
				t.Fatalf("line %d: valid JSON = %v", k+1, valid)
			}
			if !valid {
				bad++
			}
		}
		if int64(bad) != st.JunkLines {
			t.Errorf("%d invalid lines, want %d", bad, st.JunkLines)
		}
	})
	t.Run("json", func(t *testing.T) {
		out, st := generate(t, Options{Format: leakparse.FormatJSON, Rows: rows, Seed: 8, JunkEvery: every})
		ls := lines(out)
		bad := 0
		for _, l := range ls[1 : len(ls)-1] {
			if !json.Valid([]byte(strings.TrimSuffix(l, ","))) {
				bad++
			}
		}
		if int64(bad) != st.JunkLines || bad == 0 {
			t.Errorf("%d invalid elements, want %d", bad, st.JunkLines)
		}
	})
	t.Run("mysql", func(t *testing.T) {
		out, st := generate(t, Options{Format: leakparse.FormatMySQL, Rows: rows, Seed: 8, JunkEvery: every})
		tuples, _ := mysqlTuples(t, out)
		bad := 0
		for _, l := range lines(out) {
			if !strings.HasPrefix(l, "INSERT ") && !strings.HasPrefix(l, "--") && !strings.HasPrefix(l, "/*!") &&
				!strings.HasPrefix(l, "  ") && !strings.HasPrefix(l, ") ENGINE") && l != "" &&
				!regexp.MustCompile("^(DROP|CREATE|LOCK|UNLOCK) ").MatchString(l) {
				bad++
			}
		}
		if len(tuples) != rows || int64(bad) != st.JunkLines {
			t.Errorf("%d tuples and %d junk lines, want %d and %d", len(tuples), bad, rows, st.JunkLines)
		}
	})
	t.Run("pgdump", func(t *testing.T) {
		out, st := generate(t, Options{Format: leakparse.FormatPGDump, Rows: rows, Seed: 8, JunkEvery: every})
		good, bad := 0, 0
		for _, r := range copyRows(t, out) {
			if len(r) == pgColumns {
				good++
			} else {
				bad++
			}
		}
		if good != rows || int64(bad) != st.JunkLines {
			t.Errorf("%d good and %d bad COPY rows, want %d and %d", good, bad, rows, st.JunkLines)
		}
	})
	t.Run("stealer", func(t *testing.T) {
		out, st := generate(t, Options{Format: leakparse.FormatStealer, Rows: rows, Seed: 8, JunkEvery: every})
		bad := 0
		for _, b := range stealerBlocks(out) {
			if b["password"] == "" {
				bad++
				if b["url"] != "" || b["login"] != "" {
					t.Errorf("junk block %v has credential labels", b)
				}
			}
		}
		if int64(bad) != st.JunkLines {
			t.Errorf("%d junk blocks, want %d", bad, st.JunkLines)
		}
	})
}
