package hashid

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"math/bits"
)

// A scheme is one row of the table: how to recognise one hash format.
type scheme struct {
	name  string
	modes []int // hashcat -m modes, most common first; nil when hashcat has none
	// prefix is the literal start of every value of the scheme; "" for a
	// scheme recognised by shape alone (hex and base64 digests, DES crypt,
	// hash:salt pairs), which is tried by length.
	prefix string
	fold   bool // prefix matched ignoring ASCII case; it is then written upper case
	// min and max bound the length of the whole value.
	min, max int
	// best is the most match ever reports: schemes that are never Certain
	// are skipped by IsHash.
	best Certainty
	// match judges v, whose prefix and length are already checked; rest is
	// v after the prefix.
	match func(v, rest []byte) Certainty
}

// long bounds the length of variable-length formats: nothing longer is a
// password hash stored in a leak.
const long = 1024

// table lists every scheme. Within one prefix or length, the first Certain
// answer wins. Each entry says why a plaintext password does not take its
// shape (the false-positive reasoning); where one plausibly could, the
// scheme is Ambiguous at best.
//
// Sample values of every scheme are in hashid_test.go.
var table = []scheme{
	// crypt(3) and its relatives. A password that starts with "$" and a
	// scheme tag, then has exactly the field lengths and alphabets below, is
	// not one a person or a generator produces: these are Certain.

	// bcrypt: "$2b$" (or $2$, $2a$, $2x$, $2y$), two-digit cost 04-31, "$",
	// 22 digits of salt and 31 of hash in bcrypt's alphabet.
	{name: "bcrypt", modes: []int{3200}, prefix: "$2", min: 59, max: 60, best: Certain, match: matchBcrypt},
	// WordPress 6.8+: "$wp" before a bcrypt string (of the base64 of an
	// HMAC-SHA384 of the password).
	{name: "wordpress-bcrypt", modes: []int{35500}, prefix: "$wp$2", min: 62, max: 63, best: Certain, match: matchBcrypt},
	// md5crypt (also Cisco IOS type 5): "$1$", salt of up to 8, "$", 22.
	{name: "md5crypt", modes: []int{500}, prefix: "$1$", min: 26, max: 34, best: Certain, match: cryptSaltHash(8, 22)},
	// Apache's md5crypt variant.
	{name: "apr1", modes: []int{1600}, prefix: "$apr1$", min: 29, max: 37, best: Certain, match: cryptSaltHash(8, 22)},
	// sha256crypt and sha512crypt: optional "rounds=N$", salt of up to 16.
	{name: "sha256crypt", modes: []int{7400}, prefix: "$5$", min: 47, max: 90, best: Certain, match: shaCrypt(43)},
	{name: "sha512crypt", modes: []int{1800}, prefix: "$6$", min: 90, max: 133, best: Certain, match: shaCrypt(86)},
	// Solaris SunMD5: "$md5$" or "$md5,rounds=N$", salt, "$" or "$$", 22.
	{name: "sunmd5", modes: []int{3300}, prefix: "$md5", min: 29, max: 80, best: Certain, match: matchSunMD5},
	// Mosquitto's password file (mosquitto_passwd): "$6$" + base64 of a
	// 12-byte salt + "$" + base64 of sha512(password+salt), and since 2.0
	// "$7$" + iterations + "$" + salt + "$" + PBKDF2-SHA512 output, both in
	// standard base64 with padding, which sha512crypt and "$7$" scrypt
	// never use. The decoded lengths are checked.
	{name: "mosquitto-sha512", modes: []int{1710}, prefix: "$6$", min: 100, max: 140, best: Certain, match: matchMosquitto6},
	{name: "mosquitto-pbkdf2", modes: []int{12100}, prefix: "$7$", min: 100, max: 200, best: Certain, match: matchMosquitto7},
	// macOS 10.8+ PBKDF2-SHA512 as hashcat writes it:
	// "$ml$" + iterations + "$" + 64 hex of salt + "$" + 128 hex (or the
	// first 64 bytes of a longer derived key as hex).
	{name: "macos-pbkdf2", modes: []int{7100}, prefix: "$ml$", min: 200, max: 400, best: Certain, match: matchMacOSPBKDF2},
	// NetBSD sha1crypt: "$sha1$rounds$salt$" and 28.
	{name: "sha1crypt", modes: []int{15100}, prefix: "$sha1$", min: 38, max: 120, best: Certain, match: matchSHA1Crypt},
	// FreeBSD's NT-hash crypt: "$3$$" and the NTLM hex.
	{name: "nthash-crypt", modes: []int{1000}, prefix: "$3$$", min: 36, max: 36, best: Certain, match: hexRest(32)},
	// BSDi extended DES: "_", 4 digits of rounds, 4 of salt, 11 of hash.
	// The top rounds digit is "." for any count below 2^18 (real counts are
	// hundreds to thousands); a 20-character password starting with "_"
	// whose fifth character is "." is not a typed one.
	{name: "bsdicrypt", modes: []int{12400}, prefix: "_", min: 20, max: 20, best: Certain, match: matchBSDi},
	// yescrypt and GOST yescrypt (libxcrypt, current Linux defaults):
	// "$y$params$salt$" and 43.
	{name: "yescrypt", prefix: "$y$", min: 50, max: 160, best: Certain, match: matchYescrypt},
	{name: "gost-yescrypt", prefix: "$gy$", min: 51, max: 160, best: Certain, match: matchYescrypt},
	// scrypt in crypt(3) form (libxcrypt, passlib): "$7$", 11 digits of
	// parameters, salt, "$", 43.
	{name: "scrypt-crypt", prefix: "$7$", min: 58, max: 160, best: Certain, match: matchScryptCrypt},
	// Argon2 in PHC form: "$argon2id$v=19$m=65536,t=3,p=4$salt$hash".
	{name: "argon2", modes: []int{34000}, prefix: "$argon2", min: 40, max: long, best: Certain, match: func(_, r []byte) Certainty { return argon2Tail(r) }},
	// Cisco IOS type 8 (PBKDF2-SHA256) and 9 (scrypt): 14 of salt, 43.
	{name: "cisco-type8", modes: []int{9200}, prefix: "$8$", min: 61, max: 61, best: Certain, match: ciscoSaltHash},
	{name: "cisco-type9", modes: []int{9300}, prefix: "$9$", min: 61, max: 61, best: Certain, match: ciscoSaltHash},
	// Juniper "$9$": reversibly encoded secrets from Junos configurations.
	// Not a hash, but not a plaintext either; recorded as one so the
	// encoding is never counted as a password. Encodings shorter than 20
	// characters (secrets of a few characters) are left out: they would make
	// IsHash look at every password of 10 characters or more, where now it
	// returns at once below 20.
	{name: "juniper-type9", prefix: "$9$", min: 20, max: 256, best: Certain, match: matchJuniper9},
	// phpass (WordPress "$P$", phpBB3 "$H$"): one digit of cost (2^7 to
	// 2^30), 8 of salt, 22 of hash: 34 characters. Dumps mangle lengths (the
	// example in issue 8 has 35), and "$P$", a cost digit and 30 or more
	// crypt digits is no password either, so a few more or less are taken.
	{name: "phpass", modes: []int{400}, prefix: "$P$", min: 33, max: 38, best: Certain, match: matchPhpass},
	{name: "phpass", modes: []int{400}, prefix: "$H$", min: 33, max: 38, best: Certain, match: matchPhpass},
	// Drupal 7: "$S$", cost, 8 of salt, 43 of hash; "U$S$" when upgraded
	// from an MD5 hash (sha512 over the md5 hex).
	{name: "drupal7", modes: []int{7900}, prefix: "$S$", min: 55, max: 55, best: Certain, match: matchPhpass},
	{name: "drupal7-md5", prefix: "U$S$", min: 56, max: 56, best: Certain, match: matchPhpass},
	// Python passlib PBKDF2: "$pbkdf2-sha256$rounds$salt$hash" in ab64;
	// plain "$pbkdf2$" is PBKDF2-SHA1.
	{name: "passlib-pbkdf2", modes: []int{20300, 20200, 20400}, prefix: "$pbkdf2", min: 39, max: 200, best: Certain, match: matchPasslibPBKDF2},
	// passlib bcrypt_sha256: "$bcrypt-sha256$v=2,t=2b,r=12$" salt "$" hash.
	{name: "passlib-bcrypt-sha256", modes: []int{30600}, prefix: "$bcrypt-sha256$", min: 70, max: 100, best: Certain, match: matchBcryptSHA256},
	// passlib SCRAM: "$scram$rounds$salt$sha-1=...,sha-256=...".
	{name: "passlib-scram", prefix: "$scram$", min: 40, max: long, best: Certain, match: matchPasslibSCRAM},
	// MySQL 8 caching_sha2_password: hashcat's "$mysql$A$005*salt*hash",
	// and the raw authentication_string "$A$005$" + 20 salt bytes (any
	// bytes) + 43.
	{name: "mysql-sha256crypt", modes: []int{7401}, prefix: "$mysql$A$", min: 94, max: 200, best: Certain, match: matchMySQLA},
	{name: "mysql-sha256crypt", modes: []int{7401}, prefix: "$A$", min: 70, max: 70, best: Certain, match: matchMySQLARaw},
	// MediaWiki: "$B$salt$md5hex" (hashcat), ":B:salt:md5hex", ":A:md5hex"
	// and ":pbkdf2:sha512:30000:64:salt:hash" (as the user table stores them).
	{name: "mediawiki", modes: []int{3711}, prefix: "$B$", min: 36, max: 100, best: Certain, match: saltHex('$', 32)},
	{name: "mediawiki", modes: []int{3711}, prefix: ":B:", min: 36, max: 100, best: Certain, match: saltHex(':', 32)},
	{name: "mediawiki", modes: []int{0}, prefix: ":A:", min: 35, max: 35, best: Certain, match: hexRest(32)},
	{name: "mediawiki-pbkdf2", prefix: ":pbkdf2:", min: 40, max: 300, best: Certain, match: matchMediaWikiPBKDF2},
	// PHPS (md5(md5(pass).salt)): "$PHPS$hexsalt$md5hex".
	{name: "phps", modes: []int{2612}, prefix: "$PHPS$", min: 40, max: 120, best: Certain, match: saltHex('$', 32)},
	// AuthMe (Minecraft): "$SHA$salt$sha256hex".
	{name: "authme-sha256", modes: []int{20711}, prefix: "$SHA$", min: 70, max: 140, best: Certain, match: saltHex('$', 64)},
	// Windows cached credentials v2: "$DCC2$10240#user#hex".
	{name: "dcc2", modes: []int{2100}, prefix: "$DCC2$", min: 40, max: 200, best: Certain, match: matchDCC2},
	// EPiServer: "$episerver$*0*salt*hash" (SHA-1) or "*1*" (SHA-256).
	{name: "episerver", modes: []int{141, 1441}, prefix: "$episerver$*", min: 40, max: 200, best: Certain, match: matchEpiserver},
	// John the Ripper's form of Django hashes: "$django$*1*pbkdf2_sha256$...".
	{name: "django-john", modes: []int{10000}, prefix: "$django$*", min: 40, max: 300, best: Certain, match: matchDjangoJohn},

	// Framework formats: a lower-case algorithm name and "$" or ":" fields.
	// The fixed field counts, digit-only iteration fields and exact digest
	// encodings keep passwords like "md5$money" or "sha1:secret" out.

	// Django: "pbkdf2_sha256$iterations$salt$base64" (32-byte digest).
	{name: "django-pbkdf2-sha256", modes: []int{10000}, prefix: "pbkdf2_sha256$", min: 62, max: 200, best: Certain, match: djangoPBKDF2(32)},
	{name: "django-pbkdf2-sha1", modes: []int{12000}, prefix: "pbkdf2_sha1$", min: 44, max: 200, best: Certain, match: djangoPBKDF2(20)},
	// Django (and old Werkzeug) salted digests: "sha1$salt$hex",
	// "md5$salt$hex"; the salt may be empty (Django's unsalted variants).
	{name: "django-sha1", modes: []int{124}, prefix: "sha1$", min: 46, max: 120, best: Certain, match: saltHex('$', 40)},
	{name: "django-md5", modes: []int{20}, prefix: "md5$", min: 37, max: 120, best: Certain, match: saltHex('$', 32)},
	// The same form with SHA-2 digests (Django forks, Werkzeug's old
	// "sha256$salt$hex", Flask-Security): "sha256$salt$" + 64 hex,
	// "sha512$salt$" + 128 hex.
	{name: "salted-sha256", modes: []int{1420, 1410}, prefix: "sha256$", min: 71, max: 140, best: Certain, match: saltHex('$', 64)},
	{name: "salted-sha512", modes: []int{1720, 1710}, prefix: "sha512$", min: 135, max: 200, best: Certain, match: saltHex('$', 128)},
	{name: "django-unsalted-sha1", modes: []int{100}, prefix: "unsalted_sha1$$", min: 55, max: 55, best: Certain, match: hexRest(40)},
	{name: "django-unsalted-md5", modes: []int{0}, prefix: "unsalted_md5$$", min: 46, max: 46, best: Certain, match: hexRest(32)},
	{name: "django-crypt", modes: []int{1500}, prefix: "crypt$", min: 20, max: 40, best: Certain, match: matchDjangoCrypt},
	{name: "django-bcrypt", modes: []int{3200}, prefix: "bcrypt$", min: 66, max: 67, best: Certain, match: djangoBcrypt},
	{name: "django-bcrypt-sha256", modes: []int{30600}, prefix: "bcrypt_sha256$", min: 73, max: 74, best: Certain, match: djangoBcrypt},
	{name: "django-argon2", modes: []int{34000}, prefix: "argon2$argon2", min: 46, max: long, best: Certain, match: func(_, r []byte) Certainty { return argon2Tail(r) }},
	{name: "django-scrypt", modes: []int{8900}, prefix: "scrypt$", min: 50, max: 300, best: Certain, match: matchDjangoScrypt},
	// Django's unusable-password marker (set_unusable_password): "!" and
	// 40 random letters and digits. Not a hash, but no password either:
	// recorded as a hash so the marker is never counted. A typed password
	// of "!" and 40 letters and digits in both cases with no pattern is
	// not one people or generators make.
	{name: "django-unusable", prefix: "!", min: 41, max: 41, best: Certain, match: matchDjangoUnusable},
	// Werkzeug (Flask): "pbkdf2:sha256:600000$salt$hex",
	// "scrypt:32768:8:1$salt$hex".
	{name: "werkzeug-pbkdf2", modes: []int{10900}, prefix: "pbkdf2:", min: 43, max: 300, best: Certain, match: matchWerkzeugPBKDF2},
	{name: "werkzeug-scrypt", modes: []int{8900}, prefix: "scrypt:", min: 80, max: 300, best: Certain, match: matchWerkzeugScrypt},
	// web2py: "pbkdf2(1000,20,sha512)$salt$hex".
	{name: "web2py-pbkdf2", modes: []int{21600}, prefix: "pbkdf2(", min: 40, max: 300, best: Certain, match: matchWeb2py},
	// GRUB 2: "grub.pbkdf2.sha512.10000.hexsalt.hexhash".
	{name: "grub-pbkdf2", modes: []int{7200}, prefix: "grub.pbkdf2.", min: 100, max: 600, best: Certain, match: matchGrub},
	// hashcat's own PBKDF2 and scrypt notations: "sha256:1000:salt:hash".
	{name: "pbkdf2-sha256", modes: []int{10900}, prefix: "sha256:", min: 30, max: 300, best: Certain, match: hashcatPBKDF2},
	{name: "pbkdf2-sha1", modes: []int{12000}, prefix: "sha1:", min: 28, max: 300, best: Certain, match: hashcatPBKDF2},
	{name: "pbkdf2-sha512", modes: []int{12100}, prefix: "sha512:", min: 30, max: 400, best: Certain, match: hashcatPBKDF2},
	{name: "pbkdf2-md5", modes: []int{11900}, prefix: "md5:", min: 27, max: 300, best: Certain, match: hashcatPBKDF2},
	// defuse/password-hashing (PHP), its v2 format:
	// "algorithm:iterations:size:salt:hash", salt and hash in base64; the
	// hash decodes to size bytes ("sha1:64000:18:...").
	{name: "defuse-pbkdf2", modes: []int{12000, 10900, 12100}, prefix: "sha1:", min: 40, max: 300, best: Certain, match: matchDefuse},
	{name: "defuse-pbkdf2", modes: []int{10900, 12000, 12100}, prefix: "sha256:", min: 40, max: 300, best: Certain, match: matchDefuse},
	{name: "defuse-pbkdf2", modes: []int{12100, 12000, 10900}, prefix: "sha512:", min: 40, max: 400, best: Certain, match: matchDefuse},
	{name: "scrypt", modes: []int{8900}, prefix: "SCRYPT:", min: 40, max: 300, best: Certain, match: matchHashcatScrypt},
	// Oracle Transportation Management: "otm_sha256:1000:salt:base64".
	{name: "otm-sha256", modes: []int{20600}, prefix: "otm_sha256:", min: 50, max: 200, best: Certain, match: matchOTM},

	// Directory and mail-server schemes: "{SCHEME}" and a payload of the
	// scheme's exact encoding (LDAP userPassword, Dovecot, Apache
	// htpasswd "{SHA}"). Scheme names are case-insensitive. Dovecot's
	// ".HEX" and ".B64" suffixes are accepted where a digest is stored.
	// Plaintext schemes ({PLAIN}, {CLEARTEXT}, {SASL}) are not in the table:
	// their values are passwords, or pointers to them; AppendPlain reads
	// the password out of {PLAIN}, {CLEAR} and {CLEARTEXT} values.
	{name: "ldap-ssha", modes: []int{111}, prefix: "{SSHA", fold: true, min: 34, max: 200, best: Certain, match: ldapDigest(20, true)},
	{name: "ldap-ssha", modes: []int{111}, prefix: "{SSHA1", fold: true, min: 35, max: 200, best: Certain, match: ldapDigest(20, true)},
	{name: "ldap-sha", modes: []int{101}, prefix: "{SHA", fold: true, min: 33, max: 100, best: Certain, match: ldapDigest(20, false)},
	{name: "ldap-sha", modes: []int{101}, prefix: "{SHA1", fold: true, min: 34, max: 100, best: Certain, match: ldapDigest(20, false)},
	{name: "ldap-md5", modes: []int{0}, prefix: "{MD5", fold: true, min: 29, max: 100, best: Certain, match: ldapDigest(16, false)},
	{name: "ldap-md5", modes: []int{0}, prefix: "{LDAP-MD5", fold: true, min: 34, max: 100, best: Certain, match: ldapDigest(16, false)},
	{name: "ldap-smd5", modes: []int{20}, prefix: "{SMD5", fold: true, min: 30, max: 200, best: Certain, match: ldapDigest(16, true)},
	{name: "ldap-sha256", modes: []int{1400}, prefix: "{SHA256", fold: true, min: 52, max: 200, best: Certain, match: ldapDigest(32, false)},
	{name: "ldap-ssha256", modes: []int{1411}, prefix: "{SSHA256", fold: true, min: 53, max: 200, best: Certain, match: ldapDigest(32, true)},
	{name: "ldap-sha384", modes: []int{10800}, prefix: "{SHA384", fold: true, min: 72, max: 200, best: Certain, match: ldapDigest(48, false)},
	{name: "ldap-ssha384", prefix: "{SSHA384", fold: true, min: 74, max: 200, best: Certain, match: ldapDigest(48, true)},
	{name: "ldap-sha512", modes: []int{1700}, prefix: "{SHA512", fold: true, min: 96, max: 300, best: Certain, match: ldapDigest(64, false)},
	{name: "ldap-ssha512", modes: []int{1711}, prefix: "{SSHA512", fold: true, min: 97, max: 300, best: Certain, match: ldapDigest(64, true)},
	{name: "ldap-crypt", prefix: "{CRYPT}", fold: true, min: 20, max: 200, best: Certain, match: matchCryptPayload},
	{name: "ldap-crypt", prefix: "{MD5-CRYPT}", fold: true, min: 30, max: 200, best: Certain, match: matchCryptPayload},
	{name: "ldap-crypt", prefix: "{SHA256-CRYPT}", fold: true, min: 50, max: 200, best: Certain, match: matchCryptPayload},
	{name: "ldap-crypt", prefix: "{SHA512-CRYPT}", fold: true, min: 90, max: 200, best: Certain, match: matchCryptPayload},
	{name: "ldap-crypt", prefix: "{BLF-CRYPT}", fold: true, min: 70, max: 200, best: Certain, match: matchCryptPayload},
	{name: "ldap-crypt", prefix: "{DES-CRYPT}", fold: true, min: 24, max: 200, best: Certain, match: matchCryptPayload},
	{name: "ldap-pbkdf2", modes: []int{10900, 12000, 12100}, prefix: "{PBKDF2", fold: true, min: 30, max: 400, best: Certain, match: matchLDAPPBKDF2},
	{name: "ldap-argon2", modes: []int{34000}, prefix: "{ARGON2", fold: true, min: 45, max: long, best: Certain, match: matchLDAPArgon2},
	{name: "ldap-scram", prefix: "{SCRAM-SHA-", fold: true, min: 50, max: 400, best: Certain, match: matchDovecotSCRAM},
	// Dovecot hex payloads: {PLAIN-MD5} and {DIGEST-MD5} 32 hex, {CRAM-MD5}
	// 64 hex (HMAC-MD5 context), {NTLM} and {LANMAN} 32 hex.
	{name: "dovecot-plain-md5", modes: []int{0}, prefix: "{PLAIN-MD5}", fold: true, min: 43, max: 43, best: Certain, match: hexRest(32)},
	{name: "dovecot-digest-md5", prefix: "{DIGEST-MD5}", fold: true, min: 44, max: 44, best: Certain, match: hexRest(32)},
	{name: "dovecot-cram-md5", modes: []int{16400}, prefix: "{CRAM-MD5}", fold: true, min: 74, max: 74, best: Certain, match: hexRest(64)},
	{name: "dovecot-ntlm", modes: []int{1000}, prefix: "{NTLM}", fold: true, min: 38, max: 38, best: Certain, match: hexRest(32)},
	{name: "dovecot-lanman", modes: []int{3000}, prefix: "{LANMAN}", fold: true, min: 40, max: 40, best: Certain, match: hexRest(32)},
	// Netscape/iPlanet {NS-MTA-MD5}: 64 hex.
	{name: "ns-mta-md5", prefix: "{NS-MTA-MD5}", fold: true, min: 76, max: 76, best: Certain, match: hexRest(64)},
	// Atlassian (Confluence, Jira): "{PKCS5S2}" and 48 bytes of base64
	// (16 of salt, 32 of PBKDF2-SHA1 output).
	{name: "atlassian-pbkdf2", modes: []int{12001}, prefix: "{PKCS5S2}", fold: true, min: 73, max: 73, best: Certain, match: b64Rest(48)},
	// AIX: "{smd5}salt$hash", "{ssha256}06$salt$hash" (lower case, crypt
	// alphabet, unlike the LDAP schemes of the same names).
	{name: "aix-smd5", modes: []int{6300}, prefix: "{smd5}", min: 30, max: 60, best: Certain, match: cryptSaltHash(8, 22)},
	{name: "aix-ssha1", modes: []int{6700}, prefix: "{ssha1}", min: 39, max: 120, best: Certain, match: aixSSHA(27)},
	{name: "aix-ssha256", modes: []int{6400}, prefix: "{ssha256}", min: 55, max: 140, best: Certain, match: aixSSHA(43)},
	{name: "aix-ssha512", modes: []int{6500}, prefix: "{ssha512}", min: 98, max: 180, best: Certain, match: aixSSHA(86)},
	// SAP CODVN H: "{x-issha, 1024}" and base64 of SHA-1 and salt.
	{name: "sap-issha1", modes: []int{10300}, prefix: "{x-issha, ", min: 40, max: 200, best: Certain, match: matchSAPH},

	// Databases.

	// Oracle 11g+ "S:" + 40 hex SHA-1 + 20 hex salt, Oracle 12c "T:" + 160
	// hex, and the "H:" digest; spare4 joins them with ";".
	{name: "oracle-s", modes: []int{112}, prefix: "S:", min: 62, max: 400, best: Certain, match: oracleSpare4(60)},
	{name: "oracle-t", modes: []int{12300}, prefix: "T:", min: 162, max: 400, best: Certain, match: oracleSpare4(160)},
	{name: "oracle-h", prefix: "H:", min: 34, max: 400, best: Certain, match: oracleSpare4(32)},
	// PostgreSQL md5 ("md5" + md5(password+user) hex) and SCRAM-SHA-256.
	{name: "postgres-md5", modes: []int{12}, prefix: "md5", min: 35, max: 35, best: Certain, match: hexRest(32)},
	{name: "postgres-scram", modes: []int{28600}, prefix: "SCRAM-SHA-256$", min: 100, max: 200, best: Certain, match: matchPostgresSCRAM},
	// MySQL 4.1+: "*" + 40 hex (SHA-1 of SHA-1).
	{name: "mysql41", modes: []int{300}, prefix: "*", min: 41, max: 41, best: Certain, match: hexRest(40)},
	// MSSQL 2000 (0x0100, salt, two SHA-1), 2005 (0x0100, salt, SHA-1),
	// 2012+ (0x0200, salt, SHA-512); Sybase ASE (0xc007, salt, SHA-256).
	{name: "mssql2000", modes: []int{131}, prefix: "0X0100", fold: true, min: 94, max: 94, best: Certain, match: hexRest(88)},
	{name: "mssql2005", modes: []int{132}, prefix: "0X0100", fold: true, min: 54, max: 54, best: Certain, match: hexRest(48)},
	{name: "mssql2012", modes: []int{1731}, prefix: "0X0200", fold: true, min: 142, max: 142, best: Certain, match: hexRest(136)},
	{name: "sybase-ase", modes: []int{8000}, prefix: "0XC007", fold: true, min: 86, max: 86, best: Certain, match: hexRest(80)},
	// A hex digest written as a SQL literal: "0x" + 32, 40, 64 or 128 hex.
	{name: "hex-0x", modes: []int{0, 1000, 100, 1400, 1700}, prefix: "0X", fold: true, min: 34, max: 130, best: Certain, match: matchHex0x},

	// Other platforms.

	// XenForo's xf_user_authenticate.data: a PHP serialize()d array whose
	// "hash" entry is the hash (sha256(sha256(pass).salt) hex beside a
	// "salt" entry in 1.x, a bcrypt string in 1.2+ and 2.x):
	// 'a:3:{s:4:"hash";s:64:"...";s:4:"salt";s:64:"...";...}'. The
	// serialization is checked to the last byte, string lengths included.
	{name: "php-serialized-hash", prefix: "a:", min: 40, max: long, best: Certain, match: matchPHPSerialized},
	// Keycloak's credential.secret_data: '{"value":"<base64>","salt":
	// "<base64>","additionalParameters":{}}', PBKDF2 (hash_iterations and
	// algorithm are in credential_data).
	{name: "keycloak-pbkdf2", modes: []int{10900, 12100}, prefix: `{"`, min: 40, max: long, best: Certain, match: matchKeycloak},

	// ASP.NET Identity: version 3 is base64 of 0x01, PRF, iteration count,
	// salt length (big-endian uint32s), salt and subkey ("AQAAAAEAACcQ..."
	// or "AQAAAAIAAYag..."); version 2 is base64 of 0x00, 16 bytes of salt
	// and 32 of subkey (68 characters, "==" at the end). The header fields
	// are checked after decoding. hashcat takes them as PBKDF2 after
	// conversion (10900, 12100, 12000).
	{name: "aspnet-identity-v3", prefix: "AQAAAA", min: 60, max: 200, best: Certain, match: matchASPNetV3},
	{name: "aspnet-identity-v2", prefix: "A", min: 68, max: 68, best: Certain, match: matchASPNetV2},
	// FortiGate: "AK1" + base64 of 12 bytes of salt and a SHA-1.
	{name: "fortigate", modes: []int{7000}, prefix: "AK1", min: 47, max: 47, best: Certain, match: b64Rest(32)},
	// Lotus Notes/Domino 6 "(G" + 20, Domino 8 "(H" + 49, then ")".
	{name: "domino6", modes: []int{8700}, prefix: "(G", min: 22, max: 22, best: Certain, match: matchDomino},
	{name: "domino8", modes: []int{9100}, prefix: "(H", min: 51, max: 51, best: Certain, match: matchDomino},
	// QNX /etc/shadow: "@m@md5hex@salt", "@s@sha256hex@salt", "@S@sha512hex@salt".
	{name: "qnx-md5", modes: []int{19000}, prefix: "@m@", min: 37, max: 120, best: Certain, match: qnx(32)},
	{name: "qnx-sha256", modes: []int{19100}, prefix: "@s@", min: 69, max: 150, best: Certain, match: qnx(64)},
	{name: "qnx-sha512", modes: []int{19200}, prefix: "@S@", min: 133, max: 220, best: Certain, match: qnx(128)},
	// Juniper NetScreen/ScreenOS: 30 characters with "n", "r", "c", "s",
	// "t", "n" at fixed places (1 in 2^30 for random text), then an
	// optional ":user".
	{name: "netscreen", modes: []int{22}, prefix: "n", min: 30, max: 95, best: Certain, match: matchNetScreen},
	// Citrix NetScaler: "1" + 8 hex salt + SHA-1 hex, "2" + salt + SHA-512.
	{name: "netscaler", modes: []int{8100}, prefix: "1", min: 49, max: 49, best: Certain, match: hexRestVerdict},
	{name: "netscaler-sha512", modes: []int{22200}, prefix: "2", min: 137, max: 137, best: Certain, match: hexRestVerdict},

	// Shapes without a prefix: hex and base64 digests, DES crypt, and
	// digests paired with a salt. See hexVerdict, hex16Verdict and
	// b64Verdict for what keeps typed strings out.

	// 16 hex: MySQL 3.x, half an MD5, half an LM hash, Oracle DES. Short
	// enough to be a password: Ambiguous at best.
	{name: "hex-16", modes: []int{200, 5100, 3000}, min: 16, max: 16, best: Ambiguous, match: func(v, _ []byte) Certainty { return hex16Verdict(v) }},
	// Hex digests, upper or lower case. A random-looking string of 32 or
	// more hex digits in one case is not a plausible password; patterned
	// ones ("aaaa...", "1234...") are (see hexVerdict).
	{name: "hex-32", modes: []int{0, 1000, 900, 2600, 3000, 8600}, min: 32, max: 32, best: Certain, match: hexWhole},
	{name: "hex-40", modes: []int{100, 300, 6000, 4500, 4700}, min: 40, max: 40, best: Certain, match: hexWhole},
	{name: "hex-48", modes: []int{122}, min: 48, max: 48, best: Certain, match: hexWhole},
	{name: "hex-50", modes: []int{125}, min: 50, max: 50, best: Certain, match: hexWhole},
	{name: "hex-56", modes: []int{1300, 17300, 17700}, min: 56, max: 56, best: Certain, match: hexWhole},
	{name: "hex-64", modes: []int{1400, 17400, 17800, 6900, 11700, 20800}, min: 64, max: 64, best: Certain, match: hexWhole},
	{name: "hex-70", modes: []int{1421}, min: 70, max: 70, best: Certain, match: hexWhole},
	{name: "hex-96", modes: []int{10800, 17500, 17900}, min: 96, max: 96, best: Certain, match: hexWhole},
	{name: "hex-128", modes: []int{1700, 6100, 17600, 18000, 11800}, min: 128, max: 128, best: Certain, match: hexWhole},
	{name: "hex-136", modes: []int{1722}, min: 136, max: 136, best: Certain, match: hexWhole},
	// Bare base64 digests with their padding: MD5 (24 characters, "=="),
	// SHA-1 (28, "="), SHA-224 (40, "=="), SHA-256 (44, "="), SHA-384 (64,
	// no padding), SHA-512 (88, "=="), standard or
	// URL alphabet. A random base64 password or API key has the same shape,
	// so Ambiguous at best; non-canonical padding bits, one letter case or
	// repetition make it NotHash.
	{name: "base64-md5", min: 24, max: 24, best: Ambiguous, match: b64Digest(16)},
	{name: "base64-sha1", modes: []int{133}, min: 28, max: 28, best: Ambiguous, match: b64Digest(20)},
	{name: "base64-sha224", min: 40, max: 40, best: Ambiguous, match: b64Digest(28)},
	{name: "base64-sha256", modes: []int{1431}, min: 44, max: 44, best: Ambiguous, match: b64Digest(32)},
	{name: "base64-sha384", min: 64, max: 64, best: Ambiguous, match: b64Digest(48)},
	{name: "base64-sha512", min: 88, max: 88, best: Ambiguous, match: b64Digest(64)},
	// DES crypt(3): 2 of salt, 11 of hash, all crypt digits, the last with
	// its two unused bits clear. A 13-character random password passes
	// that one time in four: Ambiguous at best.
	{name: "descrypt", modes: []int{1500}, min: 13, max: 13, best: Ambiguous, match: matchDES},
	// A hex digest and a salt of up to 64 printable characters:
	// md5(pass.salt) and the like, vBulletin, IPB/MyBB, osCommerce, Joomla,
	// PrestaShop, OpenCart, SMF, Redmine, PunBB. "hash:salt" takes the
	// digest's certainty.
	{name: "hex:salt", modes: []int{10, 20, 2611, 2711, 2811, 21, 11, 11000, 110, 120, 13900, 121, 4521, 4522}, min: 34, max: 128 + 1 + 64, best: Certain, match: matchHexSalt},
	// 16 hex and a salt (Oracle H with the user name, DES): Ambiguous, as
	// 16 hex alone.
	{name: "hex-16:salt", modes: []int{3100, 14000}, min: 18, max: 16 + 1 + 64, best: Ambiguous, match: matchHex16Salt},
	// The same pair the other way round.
	{name: "salt:hex", modes: []int{20, 120, 1420}, min: 34, max: 64 + 1 + 128, best: Certain, match: matchSaltHex},
}

// isHashFn is IsHash, for payloads that are themselves crypt(3) strings
// ("{CRYPT}$6$..."). Set in init: calling IsHash from the table directly
// would be an initialization cycle.
var isHashFn func([]byte) bool

func init() { isHashFn = IsHash }

// Recognisers. Each gets the whole value v and rest, v after the scheme's
// prefix.

func matchBcrypt(_, r []byte) Certainty {
	if len(r) > 0 && r[0] != '$' {
		switch r[0] {
		case 'a', 'b', 'x', 'y':
			r = r[1:]
		default:
			return NotHash
		}
	}
	if len(r) != 57 || r[0] != '$' || !isDigit(r[1]) || !isDigit(r[2]) || r[3] != '$' {
		return NotHash
	}
	if cost := (r[1]-'0')*10 + r[2] - '0'; cost < 4 || cost > 31 || !isCrypt(r[4:]) {
		return NotHash
	}
	return Certain
}

// cryptSaltHash matches "salt$hash": a salt of up to maxSalt characters and
// a hash of exactly n crypt digits.
func cryptSaltHash(maxSalt, n int) func(v, rest []byte) Certainty {
	return func(_, r []byte) Certainty {
		salt, h, ok := cut(r, '$')
		if !ok || !saltOK(salt, maxSalt) || !isCryptN(h, n) {
			return NotHash
		}
		return Certain
	}
}

// shaCrypt matches the tail of sha256crypt and sha512crypt.
func shaCrypt(n int) func(v, rest []byte) Certainty {
	tail := cryptSaltHash(16, n)
	return func(v, r []byte) Certainty {
		if bytes.HasPrefix(r, []byte("rounds=")) {
			rounds, after, ok := cut(r[7:], '$')
			if !ok || !allDigits(rounds) {
				return NotHash
			}
			r = after
		}
		return tail(v, r)
	}
}

func matchSunMD5(_, r []byte) Certainty {
	switch {
	case bytes.HasPrefix(r, []byte(",rounds=")), bytes.HasPrefix(r, []byte("$rounds=")):
		rounds, after, ok := cut(r[8:], '$')
		if !ok || !allDigits(rounds) {
			return NotHash
		}
		r = after
	case len(r) > 0 && r[0] == '$':
		r = r[1:]
	default:
		return NotHash
	}
	salt, h, ok := cut(r, '$')
	if len(h) > 0 && h[0] == '$' {
		h = h[1:]
	}
	if !ok || len(salt) == 0 || !saltOK(salt, 16) || !isCryptN(h, 22) {
		return NotHash
	}
	return Certain
}

func matchMosquitto6(_, r []byte) Certainty {
	salt, h, ok := cut(r, '$')
	if !ok || b64Len(salt) != 12 || b64Len(h) != 64 || !b64Std(salt) || !b64Std(h) {
		return NotHash
	}
	return Certain
}

func matchMosquitto7(_, r []byte) Certainty {
	iter, r, _ := cut(r, '$')
	salt, h, ok := cut(r, '$')
	if !ok || !allDigits(iter) || b64Len(salt) < 8 || b64Len(h) != 64 || !b64Std(salt) || !b64Std(h) {
		return NotHash
	}
	return Certain
}

// b64Std reports whether b is standard base64 (alphabet "+/") with its
// padding: the encoding Mosquitto writes.
func b64Std(b []byte) bool {
	n := len(b)
	for n > 0 && b[n-1] == '=' {
		n--
	}
	return len(b)%4 == 0 && allIn(b[:n], clB64)
}

func matchMacOSPBKDF2(_, r []byte) Certainty {
	iter, r, _ := cut(r, '$')
	salt, h, ok := cut(r, '$')
	if !ok || !allDigits(iter) || len(salt) != 64 || !isHex(salt) || len(h) < 128 || len(h)%2 != 0 || !isHex(h) {
		return NotHash
	}
	return Certain
}

func matchSHA1Crypt(_, r []byte) Certainty {
	rounds, r, _ := cut(r, '$')
	salt, h, ok := cut(r, '$')
	if !ok || !allDigits(rounds) || len(salt) == 0 || !saltOK(salt, 64) || !isCryptN(h, 28) {
		return NotHash
	}
	return Certain
}

func matchBSDi(v, r []byte) Certainty {
	if v[4] != '.' || !isCrypt(r) {
		return NotHash
	}
	return Certain
}

func matchYescrypt(_, r []byte) Certainty {
	params, r, _ := cut(r, '$')
	salt, h, ok := cut(r, '$')
	if !ok || len(params) == 0 || !isCrypt(params) || len(salt) == 0 || !isCrypt(salt) || !isCryptN(h, 43) {
		return NotHash
	}
	return Certain
}

func matchScryptCrypt(_, r []byte) Certainty {
	setting, h, ok := cut(r, '$')
	if !ok || len(setting) < 12 || !isCrypt(setting) || !isCryptN(h, 43) {
		return NotHash
	}
	return Certain
}

// argon2Tail matches what follows "argon2" in the PHC string format:
// "id$v=19$m=65536,t=3,p=4$salt$hash", salt and hash in unpadded base64.
func argon2Tail(r []byte) Certainty {
	switch {
	case bytes.HasPrefix(r, []byte("id$")):
		r = r[3:]
	case bytes.HasPrefix(r, []byte("i$")), bytes.HasPrefix(r, []byte("d$")):
		r = r[2:]
	default:
		return NotHash
	}
	if bytes.HasPrefix(r, []byte("v=")) {
		version, after, ok := cut(r[2:], '$')
		if !ok || !allDigits(version) {
			return NotHash
		}
		r = after
	}
	params, r, _ := cut(r, '$')
	salt, h, ok := cut(r, '$')
	if !ok || !bytes.HasPrefix(params, []byte("m=")) || !bytes.Contains(params, []byte(",t=")) ||
		!bytes.Contains(params, []byte(",p=")) || !isB64Raw(salt, 8) || !isB64Raw(h, 16) {
		return NotHash
	}
	return Certain
}

func ciscoSaltHash(_, r []byte) Certainty {
	if r[14] != '$' || !isCryptN(r[:14], 14) || !isCryptN(r[15:], 43) {
		return NotHash
	}
	return Certain
}

// matchJuniper9 matches Junos "$9$" secrets: letters, digits and "./-",
// no further "$".
func matchJuniper9(_, r []byte) Certainty {
	for _, c := range r {
		if class[c]&clCrypt == 0 && c != '-' {
			return NotHash
		}
	}
	return Certain
}

// matchPhpass matches phpass and Drupal 7: a cost digit from 7 to 30 and
// the rest in crypt digits.
func matchPhpass(_, r []byte) Certainty {
	if cost := cryptVal[r[0]]; cost < 7 || cost > 30 || !isCrypt(r) {
		return NotHash
	}
	return Certain
}

func matchPasslibPBKDF2(_, r []byte) Certainty {
	alg, r, _ := cut(r, '$')
	var n int
	switch string(alg) {
	case "", "-sha1":
		n = 27
	case "-sha256":
		n = 43
	case "-sha512":
		n = 86
	default:
		return NotHash
	}
	rounds, r, _ := cut(r, '$')
	salt, h, ok := cut(r, '$')
	if !ok || !allDigits(rounds) || len(salt) == 0 || !isCrypt(salt) || !isCryptN(h, n) {
		return NotHash
	}
	return Certain
}

func matchBcryptSHA256(_, r []byte) Certainty {
	params, r, ok := cut(r, '$')
	if !ok || len(params) == 0 || len(params) > 24 || len(r) != 22+1+31 || r[22] != '$' ||
		!isCryptN(r[:22], 22) || !isCryptN(r[23:], 31) {
		return NotHash
	}
	return Certain
}

func matchPasslibSCRAM(_, r []byte) Certainty {
	rounds, r, _ := cut(r, '$')
	salt, digests, ok := cut(r, '$')
	if !ok || !allDigits(rounds) || len(salt) == 0 || !isCrypt(salt) || bytes.IndexByte(digests, '=') <= 0 {
		return NotHash
	}
	for _, c := range digests { // "sha-1=...,sha-256=..."
		if class[c]&clCrypt == 0 && c != '-' && c != '=' && c != ',' {
			return NotHash
		}
	}
	return Certain
}

func matchMySQLA(_, r []byte) Certainty {
	if len(r) < 3+1+40+1+40 || !allDigits(r[:3]) || r[3] != '*' || r[44] != '*' || !isHex(r[4:44]) || !isHex(r[45:]) {
		return NotHash
	}
	return Certain
}

func matchMySQLARaw(v, r []byte) Certainty {
	if !allDigits(r[:3]) || r[3] != '$' || !isCryptN(v[len(v)-43:], 43) {
		return NotHash
	}
	return Certain
}

// saltHex matches "salt" sep "hex": a salt (possibly empty) and a hex
// digest of n digits.
func saltHex(sep byte, n int) func(v, rest []byte) Certainty {
	return func(_, r []byte) Certainty {
		i := len(r) - n - 1
		if i < 0 || r[i] != sep || !saltOK(r[:i], 64) || !isHex(r[i+1:]) {
			return NotHash
		}
		return Certain
	}
}

// hexRest matches a rest of exactly n hex digits.
func hexRest(n int) func(v, rest []byte) Certainty {
	return func(_, r []byte) Certainty {
		if len(r) != n || !isHex(r) {
			return NotHash
		}
		return Certain
	}
}

// hexRestVerdict judges a rest of hex digits as a bare digest.
func hexRestVerdict(_, r []byte) Certainty { return hexVerdict(r) }

// hexWhole judges a whole value as a bare hex digest.
func hexWhole(v, _ []byte) Certainty { return hexVerdict(v) }

// b64Rest matches a rest that is base64 of exactly n bytes.
func b64Rest(n int) func(v, rest []byte) Certainty {
	return func(_, r []byte) Certainty {
		if b64Len(r) != n {
			return NotHash
		}
		return Certain
	}
}

func matchMediaWikiPBKDF2(_, r []byte) Certainty {
	// sha512:30000:64:salt:hash
	alg, r, _ := cut(r, ':')
	iter, r, _ := cut(r, ':')
	size, r, _ := cut(r, ':')
	salt, h, ok := cut(r, ':')
	if !ok || len(alg) == 0 || !allDigits(iter) || !allDigits(size) || b64Len(salt) < 8 || b64Len(h) < 16 {
		return NotHash
	}
	return Certain
}

func matchDCC2(_, r []byte) Certainty {
	iter, r, _ := cut(r, '#')
	i := len(r) - 33
	if !allDigits(iter) || i < 1 || r[i] != '#' || !isHex(r[i+1:]) {
		return NotHash
	}
	return Certain
}

func matchEpiserver(_, r []byte) Certainty {
	if len(r) < 2 || (r[0] != '0' && r[0] != '1') || r[1] != '*' {
		return NotHash
	}
	salt, h, ok := cut(r[2:], '*')
	if !ok || b64Len(salt) < 8 || b64Len(h) < 20 {
		return NotHash
	}
	return Certain
}

func matchDjangoJohn(_, r []byte) Certainty {
	n, r, ok := cut(r, '*')
	if !ok || !allDigits(n) || !bytes.HasPrefix(r, []byte("pbkdf2_sha256$")) {
		return NotHash
	}
	return djangoPBKDF2SHA256(r, r[len("pbkdf2_sha256$"):])
}

var djangoPBKDF2SHA256 = djangoPBKDF2(32)

// djangoPBKDF2 matches "iterations$salt$base64" with an n-byte digest.
func djangoPBKDF2(n int) func(v, rest []byte) Certainty {
	return func(_, r []byte) Certainty {
		iter, r, _ := cut(r, '$')
		salt, h, ok := cut(r, '$')
		if !ok || !allDigits(iter) || len(salt) == 0 || !saltOK(salt, 64) || b64Len(h) != n {
			return NotHash
		}
		return Certain
	}
}

func matchDjangoCrypt(_, r []byte) Certainty {
	salt, h, ok := cut(r, '$')
	if !ok || !saltOK(salt, 2) || !isCryptN(h, 13) {
		return NotHash
	}
	return Certain
}

func djangoBcrypt(_, r []byte) Certainty {
	if !bytes.HasPrefix(r, []byte("$2")) {
		return NotHash
	}
	return matchBcrypt(r, r[2:])
}

func matchDjangoScrypt(_, r []byte) Certainty {
	// Django writes N$salt$r$p$base64 (a 64-byte key); N$r$p$salt$base64
	// is seen too, and other key lengths.
	n, r, _ := cut(r, '$')
	f1, r, _ := cut(r, '$')
	f2, r, _ := cut(r, '$')
	f3, h, ok := cut(r, '$')
	salt, blocks, par := f1, f2, f3
	if allDigits(f1) && allDigits(f2) && !allDigits(f3) {
		salt, blocks, par = f3, f1, f2
	}
	if !ok || !allDigits(n) || len(salt) == 0 || !saltOK(salt, 64) || !allDigits(blocks) || !allDigits(par) || b64Len(h) < 16 {
		return NotHash
	}
	return Certain
}

func matchDjangoUnusable(_, r []byte) Certainty {
	_, or := classes(r)
	if or&clLower == 0 || or&clUpper == 0 || !allIn(r, clDigit|clLetter) || patterned(r, b64Val[:]) {
		return NotHash
	}
	var seen uint64
	for _, c := range r {
		seen |= 1 << b64Val[c]
	}
	if bits.OnesCount64(seen) < 16 {
		return NotHash
	}
	return Certain
}

func matchDefuse(_, r []byte) Certainty {
	iter, r, _ := cut(r, ':')
	size, r, _ := cut(r, ':')
	salt, h, ok := cut(r, ':')
	if !ok || !allDigits(iter) || !allDigits(size) || len(size) > 3 || b64Len(salt) < 8 || b64Len(h) < 16 {
		return NotHash
	}
	if n := b64Len(h); n != atoi3(size) {
		return NotHash
	}
	return Certain
}

// atoi3 is the value of up to three decimal digits.
func atoi3(b []byte) int {
	n := 0
	for _, c := range b {
		n = n*10 + int(c-'0')
	}
	return n
}

func matchWerkzeugPBKDF2(_, r []byte) Certainty {
	// method[:iterations]$salt$hex
	method, r, _ := cut(r, '$')
	salt, h, ok := cut(r, '$')
	alg, iter, hasIter := cut(method, ':')
	if !ok || len(alg) == 0 || !allIn(alg, clLower|clDigit) || hasIter && !allDigits(iter) ||
		len(salt) == 0 || !saltOK(salt, 64) || len(h) < 32 || !isHex(h) {
		return NotHash
	}
	return Certain
}

func matchWerkzeugScrypt(_, r []byte) Certainty {
	// n:r:p$salt$hex
	params, r, _ := cut(r, '$')
	salt, h, ok := cut(r, '$')
	if !ok || len(salt) == 0 || !saltOK(salt, 64) || len(h) < 64 || !isHex(h) || !digitFields(params, ':', 3) {
		return NotHash
	}
	return Certain
}

func matchWeb2py(_, r []byte) Certainty {
	// 1000,20,sha512)$salt$hex
	params, r, ok := cut(r, ')')
	if !ok || len(r) == 0 || r[0] != '$' || bytes.Count(params, []byte(",")) != 2 {
		return NotHash
	}
	salt, h, ok := cut(r[1:], '$')
	if !ok || !saltOK(salt, 64) || len(h) < 20 || !isHex(h) {
		return NotHash
	}
	return Certain
}

func matchGrub(_, r []byte) Certainty {
	// sha512.10000.hexsalt.hexhash
	alg, r, _ := cut(r, '.')
	iter, r, _ := cut(r, '.')
	salt, h, ok := cut(r, '.')
	if !ok || !allIn(alg, clLower|clDigit) || !allDigits(iter) || !isHex(salt) || len(h) < 64 || !isHex(h) {
		return NotHash
	}
	return Certain
}

// hashcatPBKDF2 matches hashcat's "iterations:salt:hash" after the
// algorithm name, salt and hash in base64.
func hashcatPBKDF2(_, r []byte) Certainty {
	iter, r, _ := cut(r, ':')
	salt, h, ok := cut(r, ':')
	if !ok || !allDigits(iter) || b64Len(salt) < 1 || b64Len(h) < 16 {
		return NotHash
	}
	return Certain
}

func matchHashcatScrypt(_, r []byte) Certainty {
	// N:r:p:salt:hash
	end := 0
	for range 3 {
		i := bytes.IndexByte(r[end:], ':')
		if i < 0 {
			return NotHash
		}
		end += i + 1
	}
	salt, h, ok := cut(r[end:], ':')
	if !ok || !digitFields(r[:end-1], ':', 3) || b64Len(salt) < 1 || b64Len(h) < 16 {
		return NotHash
	}
	return Certain
}

// digitFields reports whether b is n non-empty digit fields separated by
// sep.
func digitFields(b []byte, sep byte, n int) bool {
	for i := range n {
		f, rest, ok := cut(b, sep)
		if !allDigits(f) || ok == (i == n-1) {
			return false
		}
		b = rest
	}
	return true
}

func matchOTM(_, r []byte) Certainty {
	iter, r, _ := cut(r, ':')
	salt, h, ok := cut(r, ':')
	if !ok || !allDigits(iter) || !saltOK(salt, 64) || b64Len(h) != 32 {
		return NotHash
	}
	return Certain
}

// ldapDigest matches the rest of "{NAME": "}" and base64 of an n-byte
// digest (followed by a salt of up to 64 bytes if salted), or Dovecot's
// ".HEX}" and hex, or ".B64}" and base64.
func ldapDigest(n int, salted bool) func(v, rest []byte) Certainty {
	ok := func(got int) bool { return got == n || salted && got > n && got <= n+64 }
	return func(_, r []byte) Certainty {
		hex := false
		switch {
		case len(r) > 0 && r[0] == '}':
			r = r[1:]
		case hasPrefix(r, ".HEX}", true):
			hex, r = true, r[5:]
		case hasPrefix(r, ".B64}", true):
			r = r[5:]
		default:
			return NotHash
		}
		if hex {
			if len(r)%2 == 0 && isHex(r) && ok(len(r)/2) {
				return Certain
			}
			return NotHash
		}
		if ok(b64Len(r)) {
			return Certain
		}
		return NotHash
	}
}

// matchCryptPayload matches a crypt(3) string after a "{CRYPT}"-style
// tag: any certain crypt hash, or a 13-digit DES one (the tag removes the
// doubt).
func matchCryptPayload(_, r []byte) Certainty {
	if isCryptN(r, 13) || len(r) > 0 && (r[0] == '$' || r[0] == '_') && isHashFn(r) {
		return Certain
	}
	return NotHash
}

func matchLDAPPBKDF2(_, r []byte) Certainty {
	// {PBKDF2}, {PBKDF2-SHA256}...: "iterations$salt$hash" (OpenLDAP) or
	// "$1$salt$rounds$hex" (Dovecot).
	_, r, ok := cut(r, '}')
	if !ok || len(r) < 20 || bytes.Count(r, []byte("$")) < 2 || !saltOKDollar(r) {
		return NotHash
	}
	return Certain
}

func matchLDAPArgon2(_, r []byte) Certainty {
	_, r, ok := cut(r, '}')
	if !ok || !bytes.HasPrefix(r, []byte("$argon2")) {
		return NotHash
	}
	return argon2Tail(r[len("$argon2"):])
}

func matchDovecotSCRAM(_, r []byte) Certainty {
	// {SCRAM-SHA-1} / {SCRAM-SHA-256}: iterations,salt,storedkey,serverkey
	_, r, ok := cut(r, '}')
	iter, r, _ := cut(r, ',')
	salt, r, _ := cut(r, ',')
	stored, server, ok2 := cut(r, ',')
	if !ok || !ok2 || !allDigits(iter) || b64Len(salt) < 8 || b64Len(stored) < 20 || b64Len(server) < 20 {
		return NotHash
	}
	return Certain
}

// aixSSHA matches "NN$salt$hash" with a hash of n crypt digits.
func aixSSHA(n int) func(v, rest []byte) Certainty {
	tail := cryptSaltHash(64, n)
	return func(v, r []byte) Certainty {
		cost, r, ok := cut(r, '$')
		if !ok || !allDigits(cost) {
			return NotHash
		}
		return tail(v, r)
	}
}

func matchSAPH(_, r []byte) Certainty {
	iter, r, ok := cut(r, '}')
	if !ok || !allDigits(iter) || b64Len(r) <= 20 {
		return NotHash
	}
	return Certain
}

// oracleSpare4 matches n hex digits, then nothing or more ";X:hex"
// fields.
func oracleSpare4(n int) func(v, rest []byte) Certainty {
	return func(_, r []byte) Certainty {
		if len(r) < n || !isHex(r[:n]) {
			return NotHash
		}
		for tail := r[n:]; len(tail) > 0; {
			if len(tail) < 4 || tail[0] != ';' || !isLetter(tail[1]) || tail[2] != ':' {
				return NotHash
			}
			f := tail[3:]
			end := bytes.IndexByte(f, ';')
			if end < 0 {
				end = len(f)
			}
			if !isHex(f[:end]) {
				return NotHash
			}
			tail = f[end:]
		}
		return Certain
	}
}

func matchPostgresSCRAM(_, r []byte) Certainty {
	// iterations:salt$storedkey:serverkey
	iter, r, _ := cut(r, ':')
	salt, r, _ := cut(r, '$')
	stored, server, ok := cut(r, ':')
	if !ok || !allDigits(iter) || b64Len(salt) < 8 || b64Len(stored) != 32 || b64Len(server) != 32 {
		return NotHash
	}
	return Certain
}

func matchHex0x(_, r []byte) Certainty {
	switch len(r) {
	case 32, 40, 64, 128:
		return hexVerdict(r)
	}
	return NotHash
}

func matchASPNetV3(v, _ []byte) Certainty {
	var buf [150]byte
	n, err := base64.StdEncoding.Decode(buf[:], v)
	if err != nil || n < 13+8+16 {
		return NotHash
	}
	d := buf[:n]
	prf := binary.BigEndian.Uint32(d[1:5])
	iter := binary.BigEndian.Uint32(d[5:9])
	saltLen := binary.BigEndian.Uint32(d[9:13])
	if d[0] != 1 || prf > 2 || iter == 0 || saltLen < 8 || saltLen > 64 || n-13-int(saltLen) < 16 {
		return NotHash
	}
	return Certain
}

func matchASPNetV2(v, _ []byte) Certainty {
	var buf [51]byte
	n, err := base64.StdEncoding.Decode(buf[:], v)
	if err != nil || n != 49 || buf[0] != 0 {
		return NotHash
	}
	return Certain
}

func matchPHPSerialized(v, r []byte) Certainty {
	count, r, ok := cut(r, ':')
	if !ok || !allDigits(count) || len(r) < 2 || r[0] != '{' || v[len(v)-1] != '}' {
		return NotHash
	}
	r = r[1 : len(r)-1]
	var h []byte
	for len(r) > 0 {
		key, rest, ok := phpScalar(r)
		if !ok {
			return NotHash
		}
		val, rest, ok := phpScalar(rest)
		if !ok {
			return NotHash
		}
		if string(key) == "hash" {
			h = val
		}
		r = rest
	}
	if len(h) >= 32 && len(h)%2 == 0 && isHex(h) || isHashFn(h) {
		return Certain
	}
	return NotHash
}

// phpScalar reads one serialized scalar from the start of b: 's:N:"...";'
// (whose contents it returns), 'i:N;', 'b:N;', 'd:N;' or 'N;'.
func phpScalar(b []byte) (val, rest []byte, ok bool) {
	if len(b) >= 2 && b[0] == 'N' && b[1] == ';' {
		return nil, b[2:], true
	}
	if len(b) < 4 || b[1] != ':' {
		return nil, nil, false
	}
	switch b[0] {
	case 's':
		n, r, ok := cut(b[2:], ':')
		if !ok || !allDigits(n) || len(n) > 4 {
			return nil, nil, false
		}
		size := 0
		for _, c := range n {
			size = size*10 + int(c-'0')
		}
		if len(r) < size+3 || r[0] != '"' || r[size+1] != '"' || r[size+2] != ';' {
			return nil, nil, false
		}
		return r[1 : size+1], r[size+3:], true
	case 'i', 'b', 'd':
		val, rest, ok := cut(b[2:], ';')
		if !ok || len(val) == 0 {
			return nil, nil, false
		}
		for _, c := range val {
			if !isDigit(c) && c != '-' && c != '.' && c != 'E' && c != 'e' && c != '+' {
				return nil, nil, false
			}
		}
		return val, rest, true
	}
	return nil, nil, false
}

func matchKeycloak(v, _ []byte) Certainty {
	value, salt, ok := jsonPair(v, "value", "salt")
	if !ok || b64Len(value) < 16 || b64Len(salt) < 8 {
		return NotHash
	}
	return Certain
}

// jsonPair reads b as one JSON object and returns the string values of
// its top-level members k1 and k2, as they are written (escapes are left
// in). Other members may hold any JSON value. ok is false when b is not
// exactly one object, or either member is missing or no string.
func jsonPair(b []byte, k1, k2 string) (v1, v2 []byte, ok bool) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil, nil, false
	}
	i = skipSpace(b, i+1)
	got1, got2 := false, false
	for i < len(b) && b[i] != '}' {
		key, j, ok := jsonString(b, i)
		if !ok {
			return nil, nil, false
		}
		j = skipSpace(b, j)
		if j >= len(b) || b[j] != ':' {
			return nil, nil, false
		}
		j = skipSpace(b, j+1)
		start := j
		if j, ok = jsonValue(b, j); !ok {
			return nil, nil, false
		}
		if val := b[start:j]; len(val) >= 2 && val[0] == '"' {
			switch string(key) {
			case k1:
				v1, got1 = val[1:len(val)-1], true
			case k2:
				v2, got2 = val[1:len(val)-1], true
			}
		}
		i = skipSpace(b, j)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
		} else if i >= len(b) || b[i] != '}' {
			return nil, nil, false
		}
	}
	if i >= len(b) || skipSpace(b, i+1) != len(b) {
		return nil, nil, false
	}
	return v1, v2, got1 && got2
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// jsonString reads the JSON string at b[i] and returns its contents
// (escapes left in) and the index after its closing quote.
func jsonString(b []byte, i int) (s []byte, end int, ok bool) {
	if i >= len(b) || b[i] != '"' {
		return nil, 0, false
	}
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return b[i+1 : j], j + 1, true
		}
	}
	return nil, 0, false
}

// jsonValue skips the JSON value at b[i]: a string, an object or array
// (brackets balanced, strings respected) or a literal.
func jsonValue(b []byte, i int) (end int, ok bool) {
	if i >= len(b) {
		return 0, false
	}
	switch b[i] {
	case '"':
		_, end, ok = jsonString(b, i)
		return end, ok
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				_, e, ok := jsonString(b, j)
				if !ok {
					return 0, false
				}
				j = e - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return j + 1, true
				}
			}
		}
		return 0, false
	}
	j := i
	for j < len(b) && (isLetter(b[j]) || isDigit(b[j]) || b[j] == '-' || b[j] == '+' || b[j] == '.') {
		j++
	}
	return j, j > i
}

func matchDomino(v, r []byte) Certainty {
	if v[len(v)-1] != ')' || !allIn(r[:len(r)-1], clB64) {
		return NotHash
	}
	return Certain
}

// qnx matches "hex@salt" with an n-digit hex digest.
func qnx(n int) func(v, rest []byte) Certainty {
	return func(_, r []byte) Certainty {
		if len(r) < n+2 || r[n] != '@' || !isHex(r[:n]) || !saltOK(r[n+1:], 64) {
			return NotHash
		}
		return Certain
	}
}

func matchNetScreen(v, _ []byte) Certainty {
	h, user, hasUser := cut(v, ':')
	if len(h) != 30 || h[6] != 'r' || h[12] != 'c' || h[17] != 's' || h[23] != 't' || h[29] != 'n' ||
		!allIn(h, clB64) || hasUser && (len(user) == 0 || !saltOK(user, 64)) {
		return NotHash
	}
	return Certain
}

// b64Digest judges a bare base64 digest of n bytes with its padding.
func b64Digest(n int) func(v, rest []byte) Certainty {
	pad := (3 - n%3) % 3
	return func(v, _ []byte) Certainty {
		d := v[:len(v)-pad]
		for _, c := range v[len(d):] {
			if c != '=' {
				return NotHash
			}
		}
		and, _ := classes(d)
		if and&(clB64|clB64URL) == 0 || !b64Verdict(d) {
			return NotHash
		}
		return Ambiguous
	}
}

func matchDES(v, _ []byte) Certainty {
	if !isCrypt(v) || cryptVal[v[12]]&3 != 0 || patterned(v, cryptVal[:]) {
		return NotHash
	}
	_, or := classes(v)
	kinds := 0
	for _, k := range [...]uint8{clDigit, clLower, clUpper} {
		if or&k != 0 {
			kinds++
		}
	}
	if kinds < 2 {
		return NotHash
	}
	return Ambiguous
}

// digestLens are the lengths of hex digests that pair with a salt.
var digestLens = [...]int{32, 40, 64, 128}

func matchHexSalt(v, _ []byte) Certainty {
	best := NotHash
	for _, k := range digestLens {
		if len(v) <= k+1 || v[k] != ':' || !printable(v[k+1:], 64) {
			continue
		}
		c := hexVerdict(v[:k])
		if c == Certain {
			return Certain
		}
		best = max(best, c)
	}
	return best
}

func matchHex16Salt(v, _ []byte) Certainty {
	if v[16] != ':' || !printable(v[17:], 64) {
		return NotHash
	}
	return hex16Verdict(v[:16])
}

func matchSaltHex(v, _ []byte) Certainty {
	best := NotHash
	for _, k := range digestLens {
		i := len(v) - k - 1
		if i < 1 || v[i] != ':' || !printable(v[:i], 64) {
			continue
		}
		c := hexVerdict(v[i+1:])
		if c == Certain {
			return Certain
		}
		best = max(best, c)
	}
	return best
}

// printable reports whether b is 1 to maxLen bytes with no white space or
// control bytes.
func printable(b []byte, maxLen int) bool {
	if len(b) == 0 || len(b) > maxLen {
		return false
	}
	for _, c := range b {
		if c <= ' ' || c == 0x7f {
			return false
		}
	}
	return true
}

// saltOKDollar is saltOK without the "$" and ":" exclusions, for payloads
// made of several "$"-separated fields.
func saltOKDollar(b []byte) bool {
	for _, c := range b {
		if c <= ' ' || c == 0x7f {
			return false
		}
	}
	return true
}
