package ingest

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/exposure"
)

// reviewedHashes are values of the schemes a review of issue 8 found
// counted as plaintext passwords; every one is certainly a hash (or, for
// Django's unusable-password marker, certainly no password). Generated for
// the password "hashcat", as hashcat's example hashes are.
var reviewedHashes = []struct{ scheme, v string }{
	{"macos-pbkdf2", "$ml$35460$93a94bd24b5de64d79a5e49fa372827e739f4d7b6975c752c9a0ff1e5cf72e05$752351df64dd2ce9dc9c64a72ad91de6581a15c19176266b44d98919dfa81f0f96cbcb20a1ffb400718c20382030f637892f776627d34e021bad4f81b7de8222"},
	{"mosquitto-sha512", "$6$BbNEhWh55ulhuR2p$86LriqPQRHO3Hi6nT9xCKv3qYTBKmmN0UguJf0GYfpGh6vDMeI5yAkLyCVF1cZGR38tuqf99xN9I/IKKj3nuhw=="},
	{"mosquitto-pbkdf2", "$7$101$Qhj90BBintRgG6kO$YK+63ByswvzTbLxxAiIkVBm2exkr3foMT1a1t0eGsIOCNYmYWT5WlpA7rMgC7NCTvDPB6hwXnNZ8Kxl7xzBa+A=="},
	{"django-unusable", "!vpSfF5PH5nLZjMeI8cFSmj83LDUL4CsJw24BikWM"},
	{"django-sha1", "sha1$3abf6$0b74f16623b1521f6ea4fd0368da91b9830f872b"},
	{"django-md5", "md5$3abf6$697c0aa2d47b7882c6d77b70e3c44abc"},
	{"salted-sha256", "sha256$3abf6$fba1adac2d7468af39615fc2fd46e0bfdce2127e833d23fe1749d85126242731"},
	{"salted-sha512", "sha512$3abf6$c2a07eb7f8229148d4ad6527adbe586825c28948dc00c5656039f71764e92e286f573edaf435837a791172c69d1fa4d5bd992bcc8f4372d2778e112ed1eee733"},
	{"defuse-pbkdf2", "sha1:64000:18:TyZbh0iCqBLO59uB6bOLOFg+6ANLVzhE:hqlaDzXFTBVDPNKiQv9NjD5X"},
	{"xenforo", "fdf2ec679860a02169f6925f37a2049391aff2b71e847c9ad4124be96a83fa35"},
	{"xenforo-serialized", `a:3:{s:4:"hash";s:64:"fdf2ec679860a02169f6925f37a2049391aff2b71e847c9ad4124be96a83fa35";s:4:"salt";s:64:"260adaa3490e143619ccc1ecb5ef2f9383c7133a38f7f73c779c020e1c092751";s:8:"hashFunc";s:6:"sha256";}`},
	{"xenforo2-serialized", `a:1:{s:4:"hash";s:60:"$2y$10$S5w1fdnGwLHpFXLrENQnJuYMN4Aa4Lx7S.7hW3xP5fBkoYfVCQ6S2";}`},
	{"django-scrypt", "scrypt$16384$AAfLesTgcfQgWHHxjZ7GFT$8$1$HP8KZBe7srb9Ur3bd+G9YD1NHKtvUGWOu+7Ui8MApfNODBonBRAveePvCOC3BRLsOT4Qnthxyp28KGxxrwSY1Q=="},
	{"django-scrypt", "scrypt$16384$8$1$AAfLesTgcfQgWHHxjZ7GFT$HP8KZBe7srb9Ur3bd+G9YD1NHKtvUGWOu+7Ui8MApfNODBonBRAveePvCOC3BRLsOT4Qnthxyp28KGxxrwSY1Q=="},
	{"django-argon2", "argon2$argon2id$v=19$m=19456,t=2,p=1$VnEza0xtOXhRZTJSdFk3dVdwNHNaYQ$NtHQz1ZW8lUhfkxywpgWuWxtakJXQ8i6gesB+payQ2E"},
	{"django-bcrypt-sha256", "bcrypt_sha256$$2a$12$9PUELJV./ioJlyr1nMmfwuRpzuaKA7hQ0QOa.y1cWKMcjwsUgg84u"},
	{"aspnet-identity-v2", "ACb6mhAwBOkjV2Kokh6+TFk+8u+3EcJhA6eqESjWwX7L2pL+3Y4uZKpbItXg95sOuA=="},
	{"aspnet-identity-v3", "AQAAAAEAACcQAAAAEFP3XQCl1X81D+CeCOL33sLVhsmy4+ArRa4nyFWoFWDfBe8mFAdgP9NaK+wxZzLtXw=="},
	{"keycloak-pbkdf2", `{"value":"F+QR0RitEuO3LW5o4oAXpD5mXewDLUW/tbJFdjNrKb/1Zt023www0GIbEhNiOUfsFeVv29SWpYTzSlQIpXTmnw==","salt":"uHOlILhwg7kXt+14kGTRXA==","additionalParameters":{}}`},
}

// ambiguousHashes have shapes a password could have: bare base64 digests
// of every common length and DES crypt strings. Their column decides.
var ambiguousHashes = []struct{ scheme, v string }{
	{"base64-md5", "Di0c90BhbCBn9aqWYMw5TQ=="},
	{"base64-sha1", "N5fBxfTXLdQ0NLAqzLehl7uK0Nk="},
	{"base64-sha224", "qqneHIw34LBUSfT44+tlm/UTYhDZV5i+B0maaA=="},
	{"base64-sha256", "FIjqLnVq/2mNiudEW8wo0GbdJhh0ZR3NtuBI2EQgjLU="},
	{"base64-sha384", "YIPwg1KJhvOG4DYhGqssW0n2exf00kuSTMl4IAS305l7Lp3gduOtDi1ncmaX7ngr"},
	{"base64-sha512", "Q/aM9CIgEADkZnl1J/YxXmxJqEEF/e3aCN/9QHDRZz26EC+Lrtbol5Ia+mMVM0gvaZwv2dScGuLTwKnrhDW//A=="},
	{"descrypt", "6CZQ32jI6wCNU"},
	{"descrypt", "gzXpxdcExuJrM"},
	{"descrypt", "g5BFU/nYW7WVE"},
	{"descrypt", "ontuTOTtgMg0M"},
}

func csvQuote(v string) string { return `"` + strings.ReplaceAll(v, `"`, `""`) + `"` }

// TestReviewedHashSchemesNotPasswords imports the reviewed schemes as a
// combolist line each, on their own (no column to lean on), and as a CSV
// password column: none may be counted as a password, and the breach must
// say it holds password hashes. Values of ambiguous shape are hashes in a
// column named for hashes and in a column of them, and Dovecot's plaintext
// schemes count the password after the prefix.
func TestReviewedHashSchemesNotPasswords(t *testing.T) {
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
	hashesOnly := func(t *testing.T, name string, body string, values ...string) {
		t.Helper()
		sum := f.importFiles(t, strings.TrimPrefix(name, "."), writeFile(t, dir, name, []byte(body)))
		if !slices.Contains(sum.ClassNames, "Password hashes") {
			t.Errorf("%s: classes %v, want Password hashes", name, sum.ClassNames)
		}
		for _, v := range values {
			if n := count(v); n != 0 {
				t.Errorf("%s: hash %q counted %d times as a password", name, v, n)
			}
		}
	}

	for i, h := range reviewedHashes {
		t.Run("combo/"+h.scheme, func(t *testing.T) {
			name := fmt.Sprintf("combo%d.txt", i)
			account := fmt.Sprintf("user%d@example.com", i)
			hashesOnly(t, name, account+":"+h.v+"\n", h.v)
			if bs, err := x.AccountBreaches(ctx, account, exposure.Public); err != nil || len(bs) == 0 {
				t.Errorf("the account of a hash line is not found (%v)", err)
			}
		})
	}

	var b strings.Builder
	b.WriteString("id,email,password\r\n")
	var all []string
	for i, h := range reviewedHashes {
		fmt.Fprintf(&b, "%d,row%d@example.com,%s\r\n", i+1, i, csvQuote(h.v))
		all = append(all, h.v)
	}
	b.WriteString("99,plain@example.com,Plain!Pw2024\r\n")
	hashesOnly(t, "users.csv", b.String(), all...)
	if count("Plain!Pw2024") != 1 {
		t.Error("the one plaintext password of the CSV was not counted")
	}

	// Ambiguous shapes: a column named for hashes, a column of nothing
	// else (a combolist of base64 digests, an htpasswd file of DES crypt).
	b.Reset()
	b.WriteString("email,password_hash\r\n")
	var amb []string
	for i, h := range ambiguousHashes {
		fmt.Fprintf(&b, "amb%d@example.com,%s\r\n", i, csvQuote(h.v))
		amb = append(amb, h.v)
	}
	hashesOnly(t, "hashes.csv", b.String(), amb...)
	b.Reset()
	for i, h := range ambiguousHashes[:6] {
		fmt.Fprintf(&b, "b64user%d@example.com:%s\n", i, h.v)
	}
	hashesOnly(t, "b64combo.txt", b.String(), amb[:6]...)
	hashesOnly(t, ".htpasswd", "alice:6CZQ32jI6wCNU\nbob:gzXpxdcExuJrM\ncarol:g5BFU/nYW7WVE\ndave:ontuTOTtgMg0M\n", amb[6:]...)

	// Keycloak and XenForo tables, their hashes under names that do not
	// say password.
	hashesOnly(t, "credential.csv", "email,type,secret_data,credential_data\r\nkc@example.com,password,"+
		csvQuote(reviewedHashes[len(reviewedHashes)-1].v)+","+
		csvQuote(`{"hashIterations":27500,"algorithm":"pbkdf2-sha256","additionalParameters":{}}`)+"\r\n")
	hashesOnly(t, "xf_user_authenticate.csv", "user_id,email,scheme_class,data\r\n1,xf@example.com,XenForo_Authentication_Core12,"+
		csvQuote(reviewedHashes[11].v)+"\r\n2,xf2@example.com,XenForo_Authentication_Core12,"+csvQuote(reviewedHashes[10].v)+"\r\n")

	// Dovecot's plaintext schemes: the password is what follows the
	// prefix, decoded for .B64.
	sum := f.importFiles(t, "Dovecot", writeFile(t, dir, "users.txt", []byte("d1@example.com:{PLAIN}Dove!Plain1\n"+
		"d2@example.com:{CLEARTEXT}Dove!Plain2\nd3@example.com:{PLAIN.B64}"+base64.StdEncoding.EncodeToString([]byte("Dove!Plain3"))+"\n")))
	if !slices.Contains(sum.ClassNames, "Passwords") {
		t.Errorf("Dovecot: classes %v, want Passwords", sum.ClassNames)
	}
	for _, pw := range []string{"Dove!Plain1", "Dove!Plain2", "Dove!Plain3"} {
		if n := count(pw); n != 1 {
			t.Errorf("Dovecot password %q counted %d times, want 1", pw, n)
		}
	}
	// The same in a passwd-file, and hashes in /etc/shadow: the fields
	// after the password are no part of it.
	const sha512crypt = "$6$52450745$k5ka2p8bFuSmoVT1tzOyyuaREkkKBcCNqoDKzYiJL9RaE8yMnPgh2XzzF0NDrUhgrcLwg78xs1w5pJiypEdFX/"
	f.importFiles(t, "DovecotPasswd", writeFile(t, dir, "passwd", []byte("d4@example.com:{PLAIN}Dove!Plain4:1000:1000::/home/d4::\n"+
		"d5@example.com:{SHA512-CRYPT}"+sha512crypt+":1000:1000::/home/d5::\n")))
	if n := count("Dove!Plain4"); n != 1 {
		t.Errorf("passwd-file password counted %d times, want 1", n)
	}
	hashesOnly(t, "shadow", "root:"+sha512crypt+":19000:0:99999:7:::\nalice:$y$j9T$F5Jx5fExrKuPp53xLKQ..1$cpu3EIL9dmYt0V.6.q0qE0DmQoe4dxAGWlrjpvp8Qe1:19001:0:99999:7:::\n",
		sha512crypt+":19000:0:99999:7:::", "$y$j9T$F5Jx5fExrKuPp53xLKQ..1$cpu3EIL9dmYt0V.6.q0qE0DmQoe4dxAGWlrjpvp8Qe1:19001:0:99999:7:::")
	for _, v := range []string{"{PLAIN}Dove!Plain4:1000:1000::/home/d4::", "Dove!Plain4:1000:1000::/home/d4::",
		"{SHA512-CRYPT}" + sha512crypt + ":1000:1000::/home/d5::"} {
		if n := count(v); n != 0 {
			t.Errorf("%q counted %d times", v, n)
		}
	}
	for _, v := range []string{"{PLAIN}Dove!Plain1", "{CLEARTEXT}Dove!Plain2", "{PLAIN.B64}RG92ZSFQbGFpbjM="} {
		if n := count(v); n != 0 {
			t.Errorf("the prefixed string %q counted %d times", v, n)
		}
	}
}
