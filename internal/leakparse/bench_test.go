package leakparse

// Benchmarks per format over generated inputs of realistic shape.
//
// Recipe:
//
//	go test -run '^$' -bench . -benchtime 2s ./internal/leakparse/
//
// lines/s is the figure to watch for the combo and ULP hot paths (target:
// 5 million lines per second per core, no allocation per line).

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// gen makes fake leak lines deterministically.
type gen struct{ r *rand.Rand }

func newGen() *gen { return &gen{r: rand.New(rand.NewPCG(7, 11))} }

var (
	genDomains = []string{"example.com", "example.net", "example.org", "mail.example.com", "example.co.uk"}
	genSites   = []string{"https://login.example.com/signin", "https://portal.example.org:8443/auth", "http://192.0.2.10:8080/admin", "android://AbC123xyz==@com.example.app/", "https://www.example.net/account/login"}
	genFirst   = []string{"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"}
)

func (g *gen) word(n int) string {
	const letters = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = letters[g.r.IntN(len(letters))]
	}
	return string(b)
}

func (g *gen) email() string {
	return genFirst[g.r.IntN(len(genFirst))] + "." + g.word(4+g.r.IntN(6)) + "@" + genDomains[g.r.IntN(len(genDomains))]
}

func (g *gen) password() string {
	const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#$%^&*:;|"
	if g.r.IntN(10) == 0 {
		const hex = "0123456789abcdef"
		b := make([]byte, 32)
		for i := range b {
			b[i] = hex[g.r.IntN(16)]
		}
		return string(b)
	}
	b := make([]byte, 6+g.r.IntN(9))
	for i := range b {
		b[i] = chars[g.r.IntN(len(chars))]
	}
	return string(b)
}

// genInput builds about size bytes of input in a format and returns it with
// its line count.
func genInput(f Format, size int) ([]byte, int) {
	g := newGen()
	var b bytes.Buffer
	lines := 0
	line := func(s string) {
		b.WriteString(s)
		b.WriteByte('\n')
		lines++
	}
	switch f {
	case FormatCSV:
		line("id,email,password,full_name,dob,phone,last_ip")
	case FormatMySQL:
		line("CREATE TABLE `users` (`id` int, `email` varchar(255), `password` varchar(64), `name` varchar(64), `ip` varchar(45));")
	case FormatPGDump:
		line("COPY public.users (id, email, password, name, ip) FROM stdin;")
	case FormatJSON:
		line("[")
	}
	for i := 0; b.Len() < size; i++ {
		switch f {
		case FormatCombo:
			seps := ":;| "
			line(g.email() + string(seps[g.r.IntN(4)]) + g.password())
		case FormatULP:
			line(genSites[g.r.IntN(len(genSites))] + ":" + g.email() + ":" + g.password())
		case FormatStealer:
			line("URL: " + genSites[g.r.IntN(len(genSites))])
			line("Username: " + g.email())
			line("Password: " + g.password())
			line("Application: Google_[Chrome]_Default")
			line("===============")
		case FormatCSV:
			line(fmt.Sprintf("%d,%s,%s,\"%s, %s\",19%02d-%02d-%02d,+1 555 010 %04d,203.0.113.%d", i, g.email(), strings.ReplaceAll(g.password(), ",", "."),
				genFirst[g.r.IntN(10)], g.word(6), g.r.IntN(100), 1+g.r.IntN(12), 1+g.r.IntN(28), g.r.IntN(10000), g.r.IntN(256)))
		case FormatNDJSON, FormatJSON:
			s := fmt.Sprintf(`{"_id":{"$oid":"%s"},"email":"%s","password":"%s","profile":{"name":"%s","dob":"1985-03-14"},"last_ip":"203.0.113.%d"}`,
				g.word(24), g.email(), strings.NewReplacer(`"`, "", `\`, "").Replace(g.password()), genFirst[g.r.IntN(10)], g.r.IntN(256))
			if f == FormatJSON {
				s = "  " + s + ","
			}
			line(s)
		case FormatMySQL:
			var t strings.Builder
			t.WriteString("INSERT INTO `users` VALUES ")
			for k := range 200 {
				if k > 0 {
					t.WriteByte(',')
				}
				fmt.Fprintf(&t, "(%d,'%s','%s','%s','203.0.113.%d')", i*200+k, g.email(), strings.NewReplacer(`'`, `\'`, `\`, `\\`).Replace(g.password()), genFirst[g.r.IntN(10)], g.r.IntN(256))
			}
			t.WriteByte(';')
			line(t.String())
		case FormatPGDump:
			line(fmt.Sprintf("%d\t%s\t%s\t%s\t203.0.113.%d", i, g.email(), strings.ReplaceAll(g.password(), `\`, `\\`), genFirst[g.r.IntN(10)], g.r.IntN(256)))
		}
	}
	switch f {
	case FormatPGDump:
		line(`\.`)
	case FormatJSON:
		line(`  {"email":"last@example.com"}`)
		line("]")
	}
	return b.Bytes(), lines
}

func BenchmarkParse(b *testing.B) {
	for _, f := range []Format{FormatCombo, FormatULP, FormatStealer, FormatCSV, FormatNDJSON, FormatJSON, FormatMySQL, FormatPGDump} {
		b.Run("format="+string(f), func(b *testing.B) {
			input, lines := genInput(f, 8<<20)
			opts := Options{Format: f}
			b.ReportAllocs()
			b.SetBytes(int64(len(input)))
			var sink countSink
			for b.Loop() {
				sink = countSink{}
				if _, err := Parse(context.Background(), bytes.NewReader(input), opts, &sink); err != nil {
					b.Fatal(err)
				}
			}
			if sink.records == 0 {
				b.Fatal("no records")
			}
			b.ReportMetric(float64(lines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
		})
	}
}

func BenchmarkSniff(b *testing.B) {
	for _, f := range []Format{FormatCombo, FormatCSV, FormatJSON, FormatMySQL} {
		b.Run("format="+string(f), func(b *testing.B) {
			input, _ := genInput(f, 2*SniffSize)
			head := input[:SniffSize]
			b.ReportAllocs()
			b.SetBytes(int64(len(head)))
			for b.Loop() {
				sn, err := Sniff(head, Options{})
				if err != nil || sn.Format != f {
					b.Fatalf("Sniff = %s, %v", sn.Format, err)
				}
			}
		})
	}
}

func TestGeneratedInputsParse(t *testing.T) {
	// The benchmark inputs are well formed: nothing is quarantined and the
	// sniffed format is the generated one.
	for _, f := range []Format{FormatCombo, FormatULP, FormatStealer, FormatCSV, FormatNDJSON, FormatJSON, FormatMySQL, FormatPGDump} {
		input, lines := genInput(f, 256<<10)
		var sink countSink
		st, err := Parse(context.Background(), bytes.NewReader(input), Options{}, &sink)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if st.Format != f || sink.quarantines != 0 || st.Lines != int64(lines) || sink.records == 0 {
			t.Errorf("%s: parsed as %s, %d records, %d quarantines, %d lines (want %d)", f, st.Format, sink.records, sink.quarantines, st.Lines, lines)
		}
	}
}

// BenchmarkULPOrders: ULP lines are decided one by one (ulp.go); URL-first
// lines with a scheme, the stealer-log bulk, take the fast path, and the
// other orders cost what finding their URL costs.
//
//	go test -run '^$' -bench ULPOrders -benchtime 2s ./internal/leakparse/
func BenchmarkULPOrders(b *testing.B) {
	line := func(g *gen, order string) string {
		site := genSites[g.r.IntN(len(genSites))]
		switch order {
		case "last":
			return g.email() + ":" + g.password() + ":" + site
		case "none":
			return g.email() + ":" + g.password()
		case "schemeless":
			return "www.example.net/login|" + g.email() + "|" + g.password()
		}
		return site + ":" + g.email() + ":" + g.password()
	}
	for _, order := range []string{"first", "last", "none", "schemeless", "mixed"} {
		b.Run("order="+order, func(b *testing.B) {
			g := newGen()
			var in bytes.Buffer
			lines := 0
			for in.Len() < 8<<20 {
				o := order
				if o == "mixed" {
					o = []string{"first", "last", "none"}[lines%3]
				}
				in.WriteString(line(g, o))
				in.WriteByte('\n')
				lines++
			}
			input := in.Bytes()
			b.ReportAllocs()
			b.SetBytes(int64(len(input)))
			var sink countSink
			for b.Loop() {
				sink = countSink{}
				if _, err := Parse(context.Background(), bytes.NewReader(input), Options{Format: FormatULP}, &sink); err != nil {
					b.Fatal(err)
				}
			}
			if sink.records != lines {
				b.Fatalf("%d records of %d lines", sink.records, lines)
			}
			b.ReportMetric(float64(lines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
		})
	}
}
