package ingest

import (
	"crypto/sha1"
	"encoding/hex"
	"slices"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/exposure"
	"github.com/leakwatch/leakwatch/internal/pwhash"
	"github.com/leakwatch/leakwatch/internal/store"
)

func sha1Hex(pw string) string {
	h := sha1.Sum([]byte(pw))
	return hex.EncodeToString(h[:])
}

// TestBareHashes: a list of bare hashes is recorded as hashes only, unless
// the operator says what they are (Options.BareHashes): then each distinct
// line counts once in that corpus, as it is, and the other corpus is
// untouched.
func TestBareHashes(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	list := strings.Join([]string{
		sha1Hex("password"),
		strings.ToUpper(sha1Hex("123456")),
		sha1Hex("password"), // the same line again: one count
		"00000" + sha1Hex("linkedin")[5:],
		"$2y$10$abcdefghijklmnopqrstuuQ0oU6ohM4g7bMSXXm1t4ZSuUd0PXS6q", // no SHA-1: a hash, never counted
	}, "\n") + "\n"
	p := writeFile(t, dir, "SHA1.txt", []byte(list))
	sha1Count := func(h string) int64 {
		t.Helper()
		b, err := hex.DecodeString(h)
		if err != nil {
			t.Fatal(err)
		}
		n, err := f.st.PasswordCount(ctx, store.SHA1, b)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	sum := f.importFiles(t, "HashesOnly", p)
	if sha1Count(sha1Hex("password")) != 0 || !slices.Contains(sum.ClassNames, "Password hashes") || slices.Contains(sum.ClassNames, "Passwords") {
		t.Fatalf("without --hashes: count %d, classes %v; want hashes only", sha1Count(sha1Hex("password")), sum.ClassNames)
	}

	o := opts("LinkedIn")
	o.BareHashes = store.SHA1
	if _, err := Import(ctx, f.st, f.kr, []string{p}, o); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		hash string
		want int64
	}{
		{sha1Hex("password"), 1},
		{sha1Hex("123456"), 1},
		{"00000" + sha1Hex("linkedin")[5:], 1},
		{sha1Hex("linkedin"), 0},
	} {
		if n := sha1Count(tc.hash); n != tc.want {
			t.Errorf("SHA-1 %s counted %d, want %d", tc.hash, n, tc.want)
		}
	}
	ntlm := pwhash.NTLM([]byte("password"))
	if n, _ := f.st.PasswordCount(ctx, store.NTLM, ntlm[:]); n != 0 {
		t.Errorf("a SHA-1 list counted %d NTLM hashes", n)
	}
	// The same list again, in another file, counts nothing new.
	o.BareHashes = store.SHA1
	if _, err := Import(ctx, f.st, f.kr, []string{writeFile(t, dir, "copy.txt", []byte("\n"+list))}, o); err != nil {
		t.Fatal(err)
	}
	if n := sha1Count(sha1Hex("password")); n != 1 {
		t.Errorf("after a second import: count %d, want 1", n)
	}

	// An NTLM list feeds the NTLM corpus only.
	o = opts("NTLMList")
	o.BareHashes = store.NTLM
	if _, err := Import(ctx, f.st, f.kr, []string{writeFile(t, dir, "ntlm.txt", []byte(strings.ToUpper(hex.EncodeToString(ntlm[:]))+"\n"))}, o); err != nil {
		t.Fatal(err)
	}
	if n, _ := f.st.PasswordCount(ctx, store.NTLM, ntlm[:]); n != 1 {
		t.Errorf("NTLM list: count %d, want 1", n)
	}
	if n := sha1Count(sha1Hex("password")); n != 1 {
		t.Errorf("NTLM list changed the SHA-1 count to %d", n)
	}
	o.BareHashes = 7
	if _, err := Import(ctx, f.st, f.kr, []string{p}, o); err == nil {
		t.Error("an unknown kind of bare hashes was accepted")
	}
}

// TestCombolistFamilyCounts imports the combolist family's shapes and
// checks what is counted and what can be looked up: a password list counts
// each password once whatever its counts say, and rockyou.txt after
// rockyou-withcount.txt adds nothing; a potfile counts its plaintexts and
// its hashes are no accounts; the Adobe dump's encrypted passwords are
// never counted; a chat post's banners and column names are no accounts.
func TestCombolistFamilyCounts(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	x := exposure.New(f.st, f.kr)
	count := func(pw string) int64 {
		t.Helper()
		n, err := x.PasswordCount(ctx, []byte(pw))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	found := func(account string) bool {
		t.Helper()
		bs, err := x.AccountBreaches(ctx, account, exposure.Public)
		if err != nil {
			t.Fatal(err)
		}
		return len(bs) > 0
	}

	f.importFiles(t, "RockYou", writeFile(t, dir, "rockyou-withcount.txt", []byte(" 290729 123456\n  79076 12345\n  59462 password\n")))
	f.importFiles(t, "RockYou", writeFile(t, dir, "rockyou.txt", []byte("123456\n12345\npassword\niloveyou\n")))
	if count("123456") != 1 || count("iloveyou") != 1 || count("290729 123456") != 0 {
		t.Errorf("password lists: 123456 counted %d, iloveyou %d; want 1 and 1", count("123456"), count("iloveyou"))
	}
	if found("290729") || found("123456") {
		t.Error("a count or a password of a list became an account")
	}

	pot := "5f4dcc3b5aa765d61d8327deb882cf99:Pot!Plain1\n$P$BUh1vT4ICjwTkBT/PoXLlI7FsEE..OPJ:Pot!Plain2\ne10adc3949ba59abbe56e057f20f883e:$HEX[506f743a506c61696e33]\n"
	f.importFiles(t, "Pot", writeFile(t, dir, "hashcat.potfile", []byte(pot)))
	if count("Pot!Plain1") != 1 || count("Pot!Plain2") != 1 || count("Pot:Plain3") != 1 || count("$HEX[506f743a506c61696e33]") != 0 {
		t.Errorf("potfile plaintexts counted %d %d %d", count("Pot!Plain1"), count("Pot!Plain2"), count("Pot:Plain3"))
	}
	if found("5f4dcc3b5aa765d61d8327deb882cf99") || count("5f4dcc3b5aa765d61d8327deb882cf99") != 0 {
		t.Error("a potfile hash became an account or a password")
	}

	adobe := "103238704-|--|-adobe.one@example.com-|-uUjK6JzzNtk=-|-my cat-|--\n103238705-|-photoguy-|--|-L8qbAD3jl3jioxG6CatHBw==-|--|--\n"
	sum := f.importFiles(t, "Adobe", writeFile(t, dir, "cred", []byte(adobe)))
	if !found("adobe.one@example.com") || !found("photoguy") || found("-adobe.one@example.com-") {
		t.Error("Adobe logins not found as they are")
	}
	if count("uUjK6JzzNtk=") != 0 || count("my cat") != 0 || slices.Contains(sum.ClassNames, "Passwords") {
		t.Errorf("Adobe: encrypted password or hint counted; classes %v", sum.ClassNames)
	}

	post := "🔥 FRESH COMBO 🔥\nt.me/combos_example\nMail:Pass\n1. post.one@example.com:Chat!Pw1\n2. post.two@example.net:Chat!Pw2\nChecked by @ComboBot_example\n"
	f.importFiles(t, "Post", writeFile(t, dir, "post.txt", []byte(post)))
	if !found("post.one@example.com") || count("Chat!Pw1") != 1 {
		t.Error("chat post entries not imported")
	}
	for _, a := range []string{"Mail", "Checked", "1.", "FRESH", "t.me/combos_example", "@ComboBot_example"} {
		if found(a) {
			t.Errorf("decoration %q became an account", a)
		}
	}
	if count("Pass") != 0 || count("post.one@example.com:Chat!Pw1") != 0 {
		t.Error("decoration counted as a password")
	}
}
