package leakparse

import (
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

// TestSniffComboFamily checks the detection of the combolist family on
// shapes beyond the goldens: other banners, numbering, wrappers, lists and
// potfiles.
func TestSniffComboFamily(t *testing.T) {
	tests := []struct {
		name string
		head string
		opts Options
		want Format
	}{
		{"box banner", "╔══════════════════╗\n║  PREMIUM COMBO   ║\n╚══════════════════╝\nana.silva@example.com:Lisboa2021\nbeto.ramos@example.net:Futebol!9\ncris.melo@example.org:praia123\n", Options{}, FormatCombo},
		{"star banner russian", "★彡 Свежая база 彡★\nКанал: t.me/baza_example\nolga.ivanova@example.ru:Zima2020\npetr.smirnov@example.ru:Moskva!77\n", Options{}, FormatCombo},
		{"hits header", "[+] HITS: 3\n[+] alice@example.com:pw1\n[+] bob@example.net:pw2\n[+] carol@example.org:pw3\n", Options{}, FormatCombo},
		{"discord spoilers", "||dana@example.com:Maple#1||\n||eli@example.net:Oak_tree2||\n||fay@example.org:Pine!3||\n", Options{}, FormatCombo},
		{"numbered usernames", "1. gamer_one:Dragon99\n2. xX_sniper_Xx:headshot!\n3. luna.moon:stars4ever\n", Options{}, FormatCombo},
		{"id pipe", "5521|hana@example.com|Sakura!88\n5522|ivo@example.net|Zagreb2019\n5523|jan@example.org|Krakow#1\n", Options{}, FormatCombo},
		{"html br only", "kate@example.com:Dublin22<br>\nliam@example.net:Cork!88<br>\nmia@example.org:Galway7<br>\n", Options{}, FormatCombo},
		{"wordlist", "sunshine\nshadow\n654321\nsuperman\nqazwsx\nmichael\nfootball\nbaseball\nwelcome\njesus\n", Options{}, FormatList},
		{"sha256 list", strings.Repeat("ef797c8118f02dfb649607dd5d3f8c7623048c9c063d532cc95c5ed7a898a64f\n5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8\n", 3), Options{}, FormatList},
		{"bcrypt list", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy\n$2b$12$KIXQJm5yQh0Z6oW8H8m0Aut1f4y7q0x1cRj3p1yZ6u9mFqj1b2c3.\n", Options{}, FormatList},
		{"potfile sha1", "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8:password\n7c4a8d09ca3762af61e59520943dc26494f8941b:123456\nf7c3bc1d808e04732adf679965ccc34ca7ae3441:123456789\n", Options{}, FormatPotfile},
		{"potfile named", "5f4dcc3b5aa765d61d8327deb882cf99:12345678\ne10adc3949ba59abbe56e057f20f883e:87654321\n", Options{Name: "hashcat.potfile"}, FormatPotfile},
		{"adobe", "12-|--|-a@example.com-|-uUjK6JzzNtk=-|-hint-|--\n13-|--|-b@example.net-|-uUjK6JzzNtk=-|--|--\n", Options{}, FormatAdobe},
		// Not potfiles: lists of hash:salt and hash:count.
		{"hash salt list", "16780ba78d2d5f02f3202901c1b6d975:568\n0a5ad7f8f2b1d67b03a5e83ec4fb7b6e:x]Q\n7a3c1d9f0e4b2a6c8d5e3f1a9b7c5d3e:^&K\nb9d2f4e6a8c0e2f4a6b8d0f2e4c6a8b0:1a9\n", Options{}, FormatList},
		{"hash count list", "000000005AD76BD555C1D6D771DE417A4B87E4B4:10\n00000000A8DAE4228F821FB418F59826079BF368:4\n", Options{}, FormatList},
		// Plain files keep their formats.
		{"plain combo", "alice@example.com:Summer2024!\nbob@example.net:qwerty123\n", Options{}, FormatCombo},
		{"email list", "alice@example.com\nbob@example.net\ncarol@example.org\n", Options{}, FormatCSV},
		{"csv with id", "id,email,password\n1,alice@example.com,pw\n2,bob@example.net,pw2\n", Options{}, FormatCSV},
		{"tsv table with id", "1\talice@example.com\tSummer1\tAlice\n2\tbob@example.net\tWinter2\tBob\n3\tcarol@example.org\tSpring3\tCarol\n", Options{}, FormatTSV},
		{"ulp", "https://login.example.com/signin:alice@example.com:Summer2024!\nhttps://portal.example.org:8443/auth:jdoe:S3cret\n", Options{}, FormatULP},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sn, err := Sniff([]byte(tc.head), tc.opts)
			if err != nil {
				t.Fatalf("Sniff: %v", err)
			}
			if sn.Format != tc.want {
				t.Errorf("Sniff = %s, want %s", sn.Format, tc.want)
			}
		})
	}
}

// TestComboFamilyLeavesRecords checks that the combolist family claims
// none of the formats of records and markup (another detector reads them
// as records): their field names must not become decorated entries, list
// values or potfile hashes.
func TestComboFamilyLeavesRecords(t *testing.T) {
	heads := map[string]string{
		"ldif":               "dn: uid=jdoe,ou=people,dc=example,dc=com\nobjectClass: inetOrgPerson\nuid: jdoe\ncn: John Doe\nmail: jdoe@example.com\nuserPassword:: e1NTSEF9QVpLamE5MmZidXVCOVNwUmxIcWFvWHhiVGM0M016YzJNRE0xTmc9PQ==\n\ndn: uid=asmith,ou=people,dc=example,dc=com\nuid: asmith\nmail: asmith@example.com\n",
		"vcard":              "BEGIN:VCARD\nVERSION:3.0\nFN:Jane Doe\nN:Doe;Jane;;;\nEMAIL;TYPE=INTERNET:jane.doe@example.com\nTEL;TYPE=CELL:+1 555 010 0199\nBDAY:1985-03-14\nEND:VCARD\n",
		"mbox":               "From alice@example.com Mon Jan  6 10:12:01 2025\nFrom: Alice Martin <alice@example.com>\nTo: Bob Stone <bob@example.net>\nSubject: invoice\nDate: Mon, 6 Jan 2025 10:12:01 +0000\n\nHi Bob,\n",
		"autofill":           "Name: email\nValue: alice@example.com\n\nName: first_name\nValue: Alice\n\nName: phone\nValue: +1 555 010 0199\n",
		"autofill kv":        "email alice@example.com\nname Alice Martin\nphone +15550100199\ncity Springfield\n",
		"redis":              "1) \"email\"\n2) \"alice@example.com\"\n3) \"password\"\n4) \"$2y$10$abcdefghijklmnopqrstuuQ0oU6ohM4g7bMSXXm1t4ZSuUd0PXS6q\"\n5) \"name\"\n6) \"Alice\"\n",
		"redis keys":         "1) \"user:1001\"\n2) \"user:1002\"\n3) \"session:abc\"\n",
		"mysql xml":          "<?xml version=\"1.0\"?>\n<mysqldump xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n<database name=\"shop\">\n<table_data name=\"users\">\n<row>\n<field name=\"email\">alice@example.com</field>\n<field name=\"password\">pw</field>\n</row>\n</table_data>\n</database>\n</mysqldump>\n",
		"keepass xml":        "<KeePassFile>\n<Root>\n<Group>\n<Entry>\n<String>\n<Key>UserName</Key>\n<Value>alice</Value>\n</String>\n<String>\n<Key>Password</Key>\n<Value ProtectInMemory=\"True\">hunter2</Value>\n</String>\n</Entry>\n</Group>\n</Root>\n</KeePassFile>\n",
		"html table":         "<table>\n<tr><th>email</th><th>password</th></tr>\n<tr><td>alice@example.com</td><td>pw1</td></tr>\n<tr><td>bob@example.net</td><td>pw2</td></tr>\n</table>\n",
		"pem":                "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\nRTESMBAGA1UEChMJQmFsdGltb3JlMRMwEQYDVQQLEwpDeWJlclRydXN0MSIwIAYD\nVQQDExlCYWx0aW1vcmUgQ3liZXJUcnVzdCBSb290MB4XDTAwMDUxMjE4NDYwMFoX\nDTI1MDUxMjIzNTkwMFowWjELMAkGA1UEBhMCSUUxEjAQBgNVBAoTCUJhbHRpbW9y\n-----END CERTIFICATE-----\n",
		"prose":              "It was a bright cold day in April, and the clocks were striking thirteen.\nWinston Smith, his chin nuzzled into his breast, slipped through the glass doors.\n",
		"mysql client table": "+----+------+-----------------+------------+\n| id | name | email           | password   |\n+----+------+-----------------+------------+\n|  1 | neo  | neo@example.com | Matrix1999 |\n+----+------+-----------------+------------+\n",
	}
	for name, head := range heads {
		t.Run(name, func(t *testing.T) {
			lines := headLines([]byte(head), 400)
			if f, _, why := detectComboFamily(lines, &config{}); f != "" {
				t.Errorf("claimed as %s: %s", f, why)
			}
		})
	}
}

// TestListMap checks that --map overrides the class of a list's values,
// and that a hash stays a hash under a password mapping.
func TestListMap(t *testing.T) {
	in := "jdoe\nmallory\n5f4dcc3b5aa765d61d8327deb882cf99\n"
	for _, tc := range []struct {
		class catalog.DataClass
		want  string
	}{
		{catalog.ClassUsername, "username=jdoe username=mallory username=5f4dcc3b5aa765d61d8327deb882cf99"},
		{catalog.ClassPassword, "password=jdoe password=mallory hash=5f4dcc3b5aa765d61d8327deb882cf99"},
	} {
		evs, _ := parseString(t, in, Options{Format: FormatList, Map: map[string]catalog.DataClass{"1": tc.class}})
		var got []string
		for _, e := range evs {
			got = append(got, e.Fields)
		}
		if s := strings.Join(got, " "); s != tc.want {
			t.Errorf("map 1=%s: %s, want %s", tc.class, s, tc.want)
		}
	}
	if evs, st := parseString(t, in, Options{Format: FormatList, Map: map[string]catalog.DataClass{"1": catalog.ClassUnknown}}); len(evs) != 0 || st.Ignored != 3 {
		t.Errorf("map 1=ignore: %d events, %d ignored", len(evs), st.Ignored)
	}
}

// TestSignOffPastTheHead: a long post whose head is clean entries takes the
// plain loop; a sign-off after the head that splits at white space and
// reads as a banner is ignored, while an entry split at white space stays
// an entry (files mix separators).
func TestSignOffPastTheHead(t *testing.T) {
	var b strings.Builder
	for i := range 3000 {
		b.WriteString("user" + strings.Repeat("x", i%5) + string(rune('a'+i%26)) + "@example.com:Pw" + strings.Repeat("9", i%4) + "\n")
	}
	b.WriteString("jdoe hunter2\nChecked by @ComboCheckerBot_example\nJoin 👉 https://t.me/combocloud_example\n")
	evs, st := parseString(t, b.String(), Options{})
	if st.Records != 3001 || st.Ignored != 2 || st.Quarantined != 0 {
		t.Fatalf("%d records, %d ignored, %d quarantined; want 3001, 2, 0", st.Records, st.Ignored, st.Quarantined)
	}
	if last := evs[len(evs)-1]; last.Fields != "username=jdoe password=hunter2" {
		t.Errorf("last record %q", last.Fields)
	}
}

// TestHeaderLine checks the lines of column names, in several languages,
// and that the check allocates nothing (the plain loop runs it for every
// username line).
func TestHeaderLine(t *testing.T) {
	for _, tc := range []struct {
		line string
		want bool
	}{
		{"Mail:Pass", true}, {"E-Mail Address;Password", true}, {"User Name|Pass", true},
		{"email:pass:hits", true}, {"Логин:Пароль", true}, {"Usuario;Contraseña", true},
		{"jdoe:hunter", false}, {"user:pass123", false}, {"Mail:Monkey", false}, {"Total: 500", false},
	} {
		if got := headerLine([]byte(tc.line)); got != tc.want {
			t.Errorf("headerLine(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
	lines := [][]byte{[]byte("Логин:Пароль"), []byte("jdoe:hunter"), []byte("Usuario;Contraseña"), []byte("Mail:Pass")}
	if n := testing.AllocsPerRun(100, func() {
		for _, l := range lines {
			headerLine(l)
		}
	}); n != 0 {
		t.Errorf("headerLine allocates %v times", n)
	}
}

// TestComboFamilyReason checks the reasons the dry run shows.
func TestComboFamilyReason(t *testing.T) {
	for _, tc := range []struct{ head, want string }{
		{"1. a@example.com:pw1\n2. b@example.net:pw2\n3. c@example.org:pw3\n", "3 numbered or id-prefixed entries"},
		{"=== FRESH ===\nt.me/x_example\na@example.com:pw1\nb@example.net:pw2\n", "2 banner lines"},
		{"a@example.com:pw1<br />\nb@example.net:pw2<br />\n", "HTML line breaks"},
		{"123456\npassword\nqwerty\n", "a list of passwords"},
		{" 290729 123456\n  79076 12345\n", "with counts"},
		{"5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8\n7c4a8d09ca3762af61e59520943dc26494f8941b\n", "a hash list"},
		{"5f4dcc3b5aa765d61d8327deb882cf99:password\ne10adc3949ba59abbe56e057f20f883e:123456\n", "hashcat potfile"},
		{"1-|--|-a@example.com-|-uUjK6JzzNtk=-|-hint-|--\n", "Adobe 2013"},
		{"a@example.com:pw1\nb@example.net:pw2\n", ""},
	} {
		if got := comboFamilyReason([]byte(tc.head), &config{}); tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
			t.Errorf("reason for %q = %q, want %q in it", tc.head, got, tc.want)
		}
	}
}
