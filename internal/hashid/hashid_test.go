package hashid_test

import (
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/hashid"
)

// sample is a value and what Identify must say of it.
type sample struct {
	scheme string
	c      hashid.Certainty
	v      string
}

// samples holds at least one realistic value per scheme. Where hashcat's
// example-hashes page has one it is used (password "hashcat"); the others
// were made with libxcrypt, Python's hashlib or golang.org/x/crypto.
var samples = []sample{
	// crypt(3)
	{"bcrypt", hashid.Certain, "$2a$05$LhayLxezLhK1LhWvKxCyLOj0j1u.Kj0jZ0pEmm134uzrQlFvQJLF6"},
	{"bcrypt", hashid.Certain, "$2b$12$0piV.TLVIdx5kcbI2Tp8ouqgBcAGZOF9S364rcNb1zBr7Foh4sBdq"},
	{"bcrypt", hashid.Certain, "$2y$10$abcdefghijklmnopqrstuuQ0oU6ohM4g7bMSXXm1t4ZSuUd0PXS6q"},
	{"bcrypt", hashid.Certain, "$2$05$LhayLxezLhK1LhWvKxCyLOj0j1u.Kj0jZ0pEmm134uzrQlFvQJLF6"},
	{"wordpress-bcrypt", hashid.Certain, "$wp$2y$10$607XKVrBjPEqujeOXNwbYuOJ.gPMd2TelMMknmeV70Kap1E81Ovo6"},
	{"md5crypt", hashid.Certain, "$1$28772684$iEwNOgGugqO9.bIz5sk8k/"},
	{"md5crypt", hashid.Certain, "$1$$piNo/dnHWQdC.LUlVHju20"},
	{"apr1", hashid.Certain, "$apr1$71850310$gh9m4xcAn3MGxogwX/ztb."},
	{"sha256crypt", hashid.Certain, "$5$rounds=5000$GX7BopJZJxPc/KEK$le16UF8I2Anb.rOrn22AUPWvzUETDGefUmAV8AZkGcD"},
	{"sha256crypt", hashid.Certain, "$5$saltstring$cnUXu/avxSVDCtc8UM/2EJLhc2mpyglklIlTsDAqyE9"},
	{"sha512crypt", hashid.Certain, "$6$52450745$k5ka2p8bFuSmoVT1tzOyyuaREkkKBcCNqoDKzYiJL9RaE8yMnPgh2XzzF0NDrUhgrcLwg78xs1w5pJiypEdFX/"},
	{"sha512crypt", hashid.Certain, "$6$rounds=10000$saltsalt$gZ9RsXxMXlNGXtSMffQP9ERqwBNhIltTpA1i2maGR0h70FPk89wlp6w7UKDG.Fm4UYN4RnLP9KRYZNDIgeDEj0"},
	{"sunmd5", hashid.Certain, "$md5$rounds=904$iPPKEBnEkp3JV8uX$0L6m7rOFTVFn.SGqo2M9W1"},
	{"sunmd5", hashid.Certain, "$md5,rounds=904$iPPKEBnEkp3JV8uX$$7bSo8FKWv6qrbebfDNaEQ0"},
	{"sunmd5", hashid.Certain, "$md5$iPPKEBnEkp3JV8uX$$Ld4WCnAjVRbR7eg/Mk22r/"},
	{"mosquitto-sha512", hashid.Certain, "$6$BbNEhWh55ulhuR2p$86LriqPQRHO3Hi6nT9xCKv3qYTBKmmN0UguJf0GYfpGh6vDMeI5yAkLyCVF1cZGR38tuqf99xN9I/IKKj3nuhw=="},
	{"mosquitto-pbkdf2", hashid.Certain, "$7$101$Qhj90BBintRgG6kO$YK+63ByswvzTbLxxAiIkVBm2exkr3foMT1a1t0eGsIOCNYmYWT5WlpA7rMgC7NCTvDPB6hwXnNZ8Kxl7xzBa+A=="},
	{"macos-pbkdf2", hashid.Certain, "$ml$35460$93a94bd24b5de64d79a5e49fa372827e739f4d7b6975c752c9a0ff1e5cf72e05$752351df64dd2ce9dc9c64a72ad91de6581a15c19176266b44d98919dfa81f0f96cbcb20a1ffb400718c20382030f637892f776627d34e021bad4f81b7de8222"}, // hashcat 7100
	{"macos-pbkdf2", hashid.Certain, "$ml$35460$3a5ef6602031b40b15233fcfff813566a407757c74637e9231e5d467167c3bc2$769637ace80b073d791cece65db86a8a5e61c085cb56843174f202bdf0a5176b44683a7fc4daf497ca4c26cc88269fb48d39263ecb7afb99fbf0bb2b4b15388e"},
	{"sha1crypt", hashid.Certain, "$sha1$15100$jiJDkz0E$E8C7RQAD3NetbSDz7puNAY.5Y2jr"},
	{"sha1crypt", hashid.Certain, "$sha1$20000$75552156$HhYMDdaEHiK3eMIzTldOFPnwWt2Q"},
	{"nthash-crypt", hashid.Certain, "$3$$b4b9b02e6f09a9bd760f388b67351e2b"},
	{"bsdicrypt", hashid.Certain, "_9G..8147mpcfKT8g0U."},
	{"bsdicrypt", hashid.Certain, "_J9..rZgQ2GQIF3yCgsI"},
	{"yescrypt", hashid.Certain, "$y$j9T$F5Jx5fExrKuPp53xLKQ..1$cpu3EIL9dmYt0V.6.q0qE0DmQoe4dxAGWlrjpvp8Qe1"},
	{"gost-yescrypt", hashid.Certain, "$gy$j9T$F5Jx5fExrKuPp53xLKQ..1$qFGhHJRwAs50CAqvIhTKp8JS/hcnayMCXmchOYZnHQA"},
	{"scrypt-crypt", hashid.Certain, "$7$CU..../....2Q9hhtyZ8BeMxB/5Kj3B5/$kPr8O/KrVv42mOpiOXiNp8wGv0i/6QmX9VVgtrBbmz0"},
	{"argon2", hashid.Certain, "$argon2id$v=19$m=65536,t=3,p=4$jxyaAtczTmGpBb53EMQtWA$ojxAsje8N+mLOypE0UmVxDNys8SRr2XvJtjFX+uUUHQ"},
	{"argon2", hashid.Certain, "$argon2i$m=4096,t=3,p=1$c29tZXNhbHQ$iWh06vD8Fy27wf9npn6FXWiCX4K6pW6Ue1Bnzz07Z8A"},
	{"cisco-type8", hashid.Certain, "$8$TnGX/fE4KGHOVU$pEhnEvxrvaynpi8j4f.EMHr6M.FzU8xnZnBr/tJdFWk"},
	{"cisco-type9", hashid.Certain, "$9$2MJBozw/9R3UsU$2lFhcKvpghcyw8deP25GOfyZaagyUOGBymkryvOdfo6"},
	{"juniper-type9", hashid.Certain, "$9$dVw2aJGiqf5UH.5QF3/9ApuOIrK8X-VwYgJD"},
	{"phpass", hashid.Certain, "$P$984478476IagS59wHZvyQMArzfx58u."},
	{"phpass", hashid.Certain, "$H$984478476IagS59wHZvyQMArzfx58u."},
	{"phpass", hashid.Certain, "$P$BUh1vT4ICjwTkBT/PoXLlI7FsEE..OPJ"},
	{"drupal7", hashid.Certain, "$S$C33783772bRXEx1aCsvY.dqgaaSu76XmVlKrW9Qu8IQlvxHlmzLf"},
	{"drupal7-md5", hashid.Certain, "U$S$C33783772bRXEx1aCsvY.dqgaaSu76XmVlKrW9Qu8IQlvxHlmzLf"},
	{"passlib-pbkdf2", hashid.Certain, "$pbkdf2-sha256$29000$x9h7j/Ge8x6DMEao1VqrdQ$kra3R1wEnY8mPdDWOpTqOTINaAmZvRMcYd8u5OBQP9A"},
	{"passlib-pbkdf2", hashid.Certain, "$pbkdf2-sha512$25000$LyWE0HrP2RsjZCxlDGFMKQ$1vC5Ohk2mCS9b6akqsEfgeb4l74SF8XjH.SljXf3dMLHdlY1GK9ojcCKts6/asR4aPqBmk74nCDddU3tvSCJvw"},
	{"passlib-pbkdf2", hashid.Certain, "$pbkdf2$131000$r5WythYixPgfQ2jt3buXcg$8Kdr.QQEOaZIXNOrrru36I/.6Po"},
	{"passlib-bcrypt-sha256", hashid.Certain, "$bcrypt-sha256$v=2,t=2b,r=12$xpVijrpUgTpV8ppGzK701e$t0AvW14N5lUh2NR3j/9/gmhb5ZTyuae"},
	{"passlib-bcrypt-sha256", hashid.Certain, "$bcrypt-sha256$2a,12$LrmaIX5x4TRtAwEfwJZa1.$2ehnw6LvuIUTM0iz4iz9hTxv21B6KFO"},
	{"passlib-scram", hashid.Certain, "$scram$6400$.Z/znnNOKWUsBaCU$sha-1=cRseQyJpnuPGn3e6d6u6JdJWk.0,sha-256=5G9cWBb7MNdjzcmt5r8RqgcDmUhujJSYZDjW2Yqun3A"},
	{"mysql-sha256crypt", hashid.Certain, "$mysql$A$005*F9CC98CE08892924F50A213B6BC571A2C11778C5*625479393559393965414D45316477456B484F41316E64484742577A2E3162785353526B7554584647562F"},
	{"mysql-sha256crypt", hashid.Certain, "$A$005$\x1b\x13Oq\x7f1d9Z*8Kp2#qW'x\x01" + "bW9Q2v8ZxkRLt3fh5Ny0kP1bPj4mL7a2cE9qX0sT6uD"},
	{"mediawiki", hashid.Certain, "$B$56668501$0ce106caa70af57fd525aeaf80ef2898"},
	{"mediawiki", hashid.Certain, ":B:5c2a7e91:0b43faae389140b4c88c8c0eac8d0a8f"},
	{"mediawiki", hashid.Certain, ":A:8743b52063cd84097a65d1633f5c74f5"},
	{"mediawiki-pbkdf2", hashid.Certain, ":pbkdf2:sha512:30000:64:jxyaAtczTmGpBb53EMQtWA==:QHFpd9AnUKBDm4mIWJ4GYgQle5A/iK/EYVhhWRh65mgLwN+ng/y42FqgF7DlhVRbOn1wdOWhO99TYQwgbEgZpg=="},
	{"phps", hashid.Certain, "$PHPS$34323438373734$5b07e065b9d78d69603e71201c6cf29f"},
	{"authme-sha256", hashid.Certain, "$SHA$7218532375810603$bfede293ecf6539211a7305ea218b9f3f608953130405cda9eaba6fb6250f824"},
	{"dcc2", hashid.Certain, "$DCC2$10240#tom#e4e938d12fe5974dc42a90120bd9c90f"},
	{"episerver", hashid.Certain, "$episerver$*0*bEtiVGhPNlZpcUN4a3ExTg==*utkfN0EOgljbv5FoZ6+AcZD5iLk"},
	{"episerver", hashid.Certain, "$episerver$*1*MDEyMzQ1Njc4OWFiY2RlZg==*lRjiU46qHA7S6ZE7RfKUcYhB85ofArj1j7TrCtu3u6Y"},
	{"django-john", hashid.Certain, "$django$*1*pbkdf2_sha256$20000$H0dPx8NeajVu$GiC4k5kqbbR9qWBlsRgDywNqC2vd9kqfk7zdorEnNas="},

	// Frameworks
	{"django-pbkdf2-sha256", hashid.Certain, "pbkdf2_sha256$20000$H0dPx8NeajVu$GiC4k5kqbbR9qWBlsRgDywNqC2vd9kqfk7zdorEnNas="},
	{"django-pbkdf2-sha256", hashid.Certain, "pbkdf2_sha256$870000$Xk3mT9qLw2Rb$WDGFUuZiRPHNp5V30Pqg/OHx6EZ703bXVRJtkL+EVx4="},
	{"django-pbkdf2-sha1", hashid.Certain, "pbkdf2_sha1$260000$Xk3mT9qLw2Rb$PjD0eP3v68BUeDWZ4sn0H1jtDPY="},
	{"django-sha1", hashid.Certain, "sha1$fe76b$02d5916550edf7fc8c886f044887f4b1abf9b013"},
	{"django-sha1", hashid.Certain, "sha1$$b89eaac7e61417341b710b727768294d0e6a277b"},
	{"django-md5", hashid.Certain, "md5$Yq8Lr2$4b4645cc350a639a93ccb5cc9d3d18dd"},
	{"salted-sha256", hashid.Certain, "sha256$3abf6$fba1adac2d7468af39615fc2fd46e0bfdce2127e833d23fe1749d85126242731"},
	{"salted-sha512", hashid.Certain, "sha512$3abf6$c2a07eb7f8229148d4ad6527adbe586825c28948dc00c5656039f71764e92e286f573edaf435837a791172c69d1fa4d5bd992bcc8f4372d2778e112ed1eee733"},
	{"django-sha1", hashid.Certain, "sha1$3abf6$0b74f16623b1521f6ea4fd0368da91b9830f872b"},
	{"django-md5", hashid.Certain, "md5$3abf6$697c0aa2d47b7882c6d77b70e3c44abc"},
	{"django-unsalted-sha1", hashid.Certain, "unsalted_sha1$$b89eaac7e61417341b710b727768294d0e6a277b"},
	{"django-unsalted-md5", hashid.Certain, "unsalted_md5$$8743b52063cd84097a65d1633f5c74f5"},
	{"django-crypt", hashid.Certain, "crypt$$ab9j1qG1p7TMk"},
	{"django-bcrypt", hashid.Certain, "bcrypt$$2b$12$0piV.TLVIdx5kcbI2Tp8ouqgBcAGZOF9S364rcNb1zBr7Foh4sBdq"},
	{"django-bcrypt-sha256", hashid.Certain, "bcrypt_sha256$$2a$12$4exk38YYiqLV3vp.wVkoO.xHtByB43jo/bnAi3pcxbbH0YSoyxEqy"},
	{"django-argon2", hashid.Certain, "argon2$argon2i$v=19$m=102400,t=2,p=8$jxyaAtczTmGpBb53EMQtWA$mvPTxxe+u/UDJdSYBg0s7/lzMlmkdjVs/bhSYu+n68c"},
	{"django-argon2", hashid.Certain, "argon2$argon2id$v=19$m=19456,t=2,p=1$VnEza0xtOXhRZTJSdFk3dVdwNHNaYQ$NtHQz1ZW8lUhfkxywpgWuWxtakJXQ8i6gesB+payQ2E"},
	{"django-argon2", hashid.Certain, "argon2$argon2i$m=512,t=2,p=2$VnEza0xtOXhRZTJSdFk3dVdwNHNaYQ$ZBHw87cmgz9xlckS2yR1HQ"}, // Django 1.10
	{"django-bcrypt-sha256", hashid.Certain, "bcrypt_sha256$$2a$12$9PUELJV./ioJlyr1nMmfwuRpzuaKA7hQ0QOa.y1cWKMcjwsUgg84u"},
	{"django-bcrypt", hashid.Certain, "bcrypt$$2a$10$Cn0A5N5.U/ehzj.9UjkJPOAUz.AdX5/bi4CDy3gCyYfREsm4AJgAe"},
	{"django-scrypt", hashid.Certain, "scrypt$16384$Xk3mT9qLw2Rb$8$1$k1rfv1ZpVkqgLHxV7Y1gC+GtCzkwx2C+zuB6duucD1MuKct1oHkK51aGQBoChjVeiLBhPCgQEuqqss6EheMayw=="},
	{"django-scrypt", hashid.Certain, "scrypt$16384$AAfLesTgcfQgWHHxjZ7GFT$8$1$HP8KZBe7srb9Ur3bd+G9YD1NHKtvUGWOu+7Ui8MApfNODBonBRAveePvCOC3BRLsOT4Qnthxyp28KGxxrwSY1Q=="},
	{"django-scrypt", hashid.Certain, "scrypt$16384$8$1$AAfLesTgcfQgWHHxjZ7GFT$HP8KZBe7srb9Ur3bd+G9YD1NHKtvUGWOu+7Ui8MApfNODBonBRAveePvCOC3BRLsOT4Qnthxyp28KGxxrwSY1Q=="},
	{"django-scrypt", hashid.Certain, "scrypt$16384$8$1$Xk3mT9qLw2Rb$k1rfv1ZpVkqgLHxV7Y1gC+GtCzkwx2C+zuB6duucD1M="},
	{"django-unusable", hashid.Certain, "!vpSfF5PH5nLZjMeI8cFSmj83LDUL4CsJw24BikWM"},
	{"django-unusable", hashid.Certain, "!qrVkG3xZb8LnUoE2cTsyW0aJdHm4PfiN7KgRt5Ql"},
	{"werkzeug-pbkdf2", hashid.Certain, "pbkdf2:sha256:600000$Gk2xYwPq9LmZc0Rt$077292e29a4215647c0ce8a133e5c6391ebd8a0ccf7be8f313c015e975af0a58"},
	{"werkzeug-pbkdf2", hashid.Certain, "pbkdf2:sha1:1000$Zr1qX0Ye$8b0c6d2e9a85c7fc3d7a8b4c9a7f24f3c4e5e9d2"},
	{"werkzeug-scrypt", hashid.Certain, "scrypt:32768:8:1$Vn5TqE8rWz1LkP3x$db97fec9377147fcdcd02c9ff796e11f5b1ea006d666c7fb13d4b8f53cad19894006cb6977cb9a722da8bf067de39286cda3db257b3b243187db719c3525a150"},
	{"web2py-pbkdf2", hashid.Certain, "pbkdf2(1000,20,sha512)$744943$c5f8cdef76e3327c908d8d96d4abdb3d8caba14c"},
	{"grub-pbkdf2", hashid.Certain, "grub.pbkdf2.sha512.10000.7d391ef48645f626b427b1fae06a7219b5b54f4f02b2621f86b5e36e83ae492bd1db60871e45bc07925cecb46ff8ba3db31c723c0c6acbd4f06f60c5b246ecbf.26d59c52b50df90d043f070bd9cbcd92a74424da42b3666fdeb08f1a54b8f1d2f4f56cf436f9382419c26798dc2c209a86003982b1e5a9fcef905f4dfaa4c524"},
	{"pbkdf2-sha256", hashid.Certain, "sha256:1000:MTc3MTA0MTQwMjQxNzY=:PYjCU215Mi57AYPKva9j7mvF4Rc5bCnt"},
	{"pbkdf2-sha1", hashid.Certain, "sha1:1000:MzU4NTA4MzIzNzA1MDQ=:19ofiY+ahBXhvkDsp0j2ww=="},
	{"pbkdf2-sha512", hashid.Certain, "sha512:1000:ODQyMDEwNjQyODY=:MKaHNWXUsuJB3IEwBHbm3w=="},
	{"pbkdf2-md5", hashid.Certain, "md5:1000:MTg1MzA=:Lz84VOcrXd699Edsj34PP98+f4f3S0rTZ4kHAIHoAjs="},
	{"defuse-pbkdf2", hashid.Certain, "sha1:64000:18:TyZbh0iCqBLO59uB6bOLOFg+6ANLVzhE:hqlaDzXFTBVDPNKiQv9NjD5X"},
	{"defuse-pbkdf2", hashid.Certain, "sha256:1000:24:CGxBYEzVtORqLKhlHSruqdr5BjP5xClM:3IcKEaCQh7nYF6bJRJFNyz+he6Y8Rfxf"},
	{"defuse-pbkdf2", hashid.Certain, "sha512:10000:32:MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1u:wzyLwjcmlLvp9uFsAkkfHwfKxS+wKkaa1ebsNrH6Gls="},
	{"scrypt", hashid.Certain, "SCRYPT:1024:1:1:MDIwMzMwNTQwNDQyNQ==:5FW+zWivLxgCWj7qLiQbeC8zaNQ+qdO0NUinvqyFcfo="},
	{"otm-sha256", hashid.Certain, "otm_sha256:1000:1234567890:S5Q9Kc0ETY6ZPyQU+JYY60oFjaJuZZaSinggmzU8PC4="},

	// {SCHEME}
	{"ldap-ssha", hashid.Certain, "{SSHA}AZKja92fbuuB9SpRlHqaoXxbTc43Mzc2MDM1Ng=="},
	{"ldap-ssha", hashid.Certain, "{ssha}GbCcsb5oFuBv6G7tm3eeHgD1y+aPHJoC1zNOYQ=="},
	{"ldap-ssha", hashid.Certain, "{SSHA1}GbCcsb5oFuBv6G7tm3eeHgD1y+aPHJoC1zNOYQ=="},
	{"ldap-sha", hashid.Certain, "{SHA}uJ6qx+YUFzQbcQtyd2gpTQ5qJ3s="},
	{"ldap-sha", hashid.Certain, "{SHA1.HEX}b89eaac7e61417341b710b727768294d0e6a277b"},
	{"ldap-md5", hashid.Certain, "{MD5}h0O1IGPNhAl6ZdFjP1x09Q=="},
	{"ldap-md5", hashid.Certain, "{LDAP-MD5}h0O1IGPNhAl6ZdFjP1x09Q=="},
	{"ldap-smd5", hashid.Certain, "{SMD5}0z1gUcLc8vYGruI8nV6DU48cmgI="},
	{"ldap-sha256", hashid.Certain, "{SHA256}En5vv+JKdQ5ykwwiCo4TgnVla45dj0ipjDyS3yyrqTU="},
	{"ldap-sha256", hashid.Certain, "{SHA256.HEX}127e6fbfe24a750e72930c220a8e138275656b8e5d8f48a98c3c92df2caba935"},
	{"ldap-ssha256", hashid.Certain, "{SSHA256}OZiz0cnQ5hgyel3Emh7NCbhBRCQ+HVBwYplQunHYnER7TLuV"},
	{"ldap-sha384", hashid.Certain, "{SHA384}Bzca8cofynxpQdI5nzYQ8eOSxWxtc/3f/jjxjEMKKBcCja4e8JrGg7YhSKLIdX9C"},
	{"ldap-ssha384", hashid.Certain, "{SSHA384}6LF+BawVzvr85cD0UwCXnD5dC6gf41N/lVUIFPLWFiRimQNBC+WvIhunIQHtYIWejxyaAtczTmE="},
	{"ldap-sha512", hashid.Certain, "{SHA512}gqndqCnrf4/+n75J5F1H0trZZk+7et9ySS48gevT4pE02bwSISv4PGhA8Q6CRrnbVKSFm3zNASPYblhyweUILw=="},
	{"ldap-ssha512", hashid.Certain, "{SSHA512}ALtwKGBdRgD+U0fPAy31C28RyKYx7+a8kmfksccsOeLknLHv2DBXYI7TDnTolQMBuPkWDISgZr2cHfnNPFjGZTEyNDU4OTkw"},
	{"ldap-ssha512", hashid.Certain, "{SSHA512}m7XaWIUr94JpBCVVIUF4RzbWxcFCvmsr3wIlYJP7wNsPcPlfvGUdkUD8tO55BsyRcMS9Ia/LSXRtsXAFBqp/mo8cmgLXM05h"},
	{"ldap-crypt", hashid.Certain, "{CRYPT}$6$52450745$k5ka2p8bFuSmoVT1tzOyyuaREkkKBcCNqoDKzYiJL9RaE8yMnPgh2XzzF0NDrUhgrcLwg78xs1w5pJiypEdFX/"},
	{"ldap-crypt", hashid.Certain, "{crypt}ab9j1qG1p7TMk"},
	{"ldap-crypt", hashid.Certain, "{SHA512-CRYPT}$6$rounds=10000$saltsalt$gZ9RsXxMXlNGXtSMffQP9ERqwBNhIltTpA1i2maGR0h70FPk89wlp6w7UKDG.Fm4UYN4RnLP9KRYZNDIgeDEj0"},
	{"ldap-crypt", hashid.Certain, "{BLF-CRYPT}$2y$05$LhayLxezLhK1LhWvKxCyLOj0j1u.Kj0jZ0pEmm134uzrQlFvQJLF6"},
	{"ldap-crypt", hashid.Certain, "{MD5-CRYPT}$1$28772684$iEwNOgGugqO9.bIz5sk8k/"},
	{"ldap-pbkdf2", hashid.Certain, "{PBKDF2-SHA256}29000$x9h7j/Ge8x6DMEao1VqrdQ$kra3R1wEnY8mPdDWOpTqOTINaAmZvRMcYd8u5OBQP9A"},
	{"ldap-pbkdf2", hashid.Certain, "{PBKDF2}$1$8f1c9a02d7334e61$5000$621f41ccff51921f4a70ea224ac2e0706fbbd41b"},
	{"ldap-argon2", hashid.Certain, "{ARGON2}$argon2id$v=19$m=65536,t=3,p=4$jxyaAtczTmGpBb53EMQtWA$ojxAsje8N+mLOypE0UmVxDNys8SRr2XvJtjFX+uUUHQ"},
	{"ldap-scram", hashid.Certain, "{SCRAM-SHA-256}4096,jxyaAtczTmGpBb53EMQtWA==,0lA0JiZTR2rMLaZK0/tO0vTq6PjWGqlJFJxqL2nOYbQ=,gtvxsuPF5//KAQ9cWqmx2SDckDOro4sb+qmBuZMEweY="},
	{"dovecot-plain-md5", hashid.Certain, "{PLAIN-MD5}8743b52063cd84097a65d1633f5c74f5"},
	{"dovecot-digest-md5", hashid.Certain, "{DIGEST-MD5}4b4645cc350a639a93ccb5cc9d3d18dd"},
	{"dovecot-cram-md5", hashid.Certain, "{CRAM-MD5}5389b33b9725e5657cb631dc50017ff1535ce4e2a1c414009126506fc4327d0d"},
	{"dovecot-ntlm", hashid.Certain, "{NTLM}b4b9b02e6f09a9bd760f388b67351e2b"},
	{"dovecot-lanman", hashid.Certain, "{LANMAN}299bd128c1101fd6aad3b435b51404ee"},
	{"ns-mta-md5", hashid.Certain, "{NS-MTA-MD5}46bc8cc26e0231496e4742d59b851e84573fedfc358e3ca3b237a27f21371b60"},
	{"atlassian-pbkdf2", hashid.Certain, "{PKCS5S2}NzIyNzM0NzY3NTIwNjI3MdDDis7wPxSbSzfFqDGf7u/L00kSEnupbz36XCL0m7wa"},
	{"atlassian-pbkdf2", hashid.Certain, "{PKCS5S2}jxyaAtczTmGpBb53EMQtWFCH/5hmBCBd8jBzLkT+Tsajwh4g0kRFtSuh7v8OnBU/"},
	{"aix-smd5", hashid.Certain, "{smd5}a5/yTL/u$VfvgyHx1xUlXZYBocQpQY0"},
	{"aix-ssha1", hashid.Certain, "{ssha1}06$bJbkFGJAB30L2e23$dCESGOsP7jaIIAJ1QAcmaGeG.kr"},
	{"aix-ssha256", hashid.Certain, "{ssha256}06$aJckFGJAB30LTe10$ohUsB7LBPlgclE3hJg9x042DLJvQyxVCX.nZZLEz.g2"},
	{"aix-ssha512", hashid.Certain, "{ssha512}06$bJbkFGJAB30L2e23$bXiXjyH5YGIyoWWmEVwq67nCU5t7GLy9HkCzrodRCQCx3r9VvG98o7O3V0r9cVrX3LPPGuHqT5LLn0oGCuI1.."},
	{"sap-issha1", hashid.Certain, "{x-issha, 1024}C0624EvGSdAMCtuWnBBYBGA0chvqAflKY74oEpw/rpY="},

	// Databases
	{"oracle-s", hashid.Certain, "S:CB10C55E2BF169F41D2D1ECF1EB5093B7DAE295D4C2F9E6B81D07A3355E1"},
	{"oracle-s", hashid.Certain, "S:CB10C55E2BF169F41D2D1ECF1EB5093B7DAE295D4C2F9E6B81D07A3355E1;H:8743B52063CD84097A65D1633F5C74F5"},
	{"oracle-t", hashid.Certain, "T:78281A9C0CF626BD05EFC4F41B515B61D6C4D95A250CD4A605CA0EF97168D670EBCB5673B6F5A2FB9CC4E0C0101E659C0C4E3B9B3BEDA846CD15508E88685A2334141655046766111066420254008225"},
	{"oracle-h", hashid.Certain, "H:8743B52063CD84097A65D1633F5C74F5"},
	{"postgres-md5", hashid.Certain, "md5a6343a68d964ca596d9752250d54bb8a"},
	{"postgres-scram", hashid.Certain, "SCRAM-SHA-256$4096:jxyaAtczTmGpBb53EMQtWA==$0lA0JiZTR2rMLaZK0/tO0vTq6PjWGqlJFJxqL2nOYbQ=:gtvxsuPF5//KAQ9cWqmx2SDckDOro4sb+qmBuZMEweY="},
	{"mysql41", hashid.Certain, "*FCF7C1B8749CF99D88E5F34271D636178FB5D130"},
	{"mysql41", hashid.Certain, "*94bdcebe19083ce2a1f959fd02f964c7af4cfc29"},
	{"mssql2000", hashid.Certain, "0x01002702560500000000000000000000000000000000000000008db43dd9b1972a636ad0c7d4b8c515cb8ce46578"},
	{"mssql2005", hashid.Certain, "0x010018102152f8f28c8499d8ef263c53f8be369d799f931b2fbe"},
	{"mssql2012", hashid.Certain, "0x02000102030434ea1b17802fd95ea6316bd61d2c94622ca3812793e8fb1672487b5c904a45a31b2ab4a78890d563d2fcf5663e46fe797d71550494be50cf4915d3f4d55ec375"},
	{"mssql2012", hashid.Certain, "0x0200A1B2C3D49D5EF4877329CB55E75C560261204D022D8C3EF5465451A8380814E3DFF9DDFF5AD20D2E151D4ACDE46B15809236AA2E4352AFA07283E89951892F89083BF1B4"},
	{"sybase-ase", hashid.Certain, "0xc00778168388631428230545ed2c976790af96768afa0806fe6c0da3b28f3e132137eac56f9bad027ea2"},
	{"hex-0x", hashid.Certain, "0xB89EAAC7E61417341B710B727768294D0E6A277B"},
	{"hex-0x", hashid.Certain, "0x8743b52063cd84097a65d1633f5c74f5"},

	// Other platforms
	{"aspnet-identity-v3", hashid.Certain, "AQAAAAEAACcQAAAAEI8cmgLXM05hqQW+dxDELVhZPRp5Gdu/rVfzQ6WP4SyRKdNRTc51lCElwvRLj8BZQA=="},
	{"aspnet-identity-v3", hashid.Certain, "AQAAAAIAAYagAAAAEI8cmgLXM05hqQW+dxDELViK16mA9Gj7wUnDBMUchPHUALmd3xGIApwHpxbXHiFbOw=="},
	{"aspnet-identity-v3", hashid.Certain, "AQAAAAEAACcQAAAAEFP3XQCl1X81D+CeCOL33sLVhsmy4+ArRa4nyFWoFWDfBe8mFAdgP9NaK+wxZzLtXw=="},
	{"aspnet-identity-v2", hashid.Certain, "ACb6mhAwBOkjV2Kokh6+TFk+8u+3EcJhA6eqESjWwX7L2pL+3Y4uZKpbItXg95sOuA=="},
	{"aspnet-identity-v2", hashid.Certain, "AI8cmgLXM05hqQW+dxDELVgLSJHJNlauYvwhSHaTQU6DfJi34iP/Aswc9cxyxy+CxA=="},
	{"php-serialized-hash", hashid.Certain, `a:3:{s:4:"hash";s:64:"fdf2ec679860a02169f6925f37a2049391aff2b71e847c9ad4124be96a83fa35";s:4:"salt";s:64:"260adaa3490e143619ccc1ecb5ef2f9383c7133a38f7f73c779c020e1c092751";s:8:"hashFunc";s:6:"sha256";}`}, // XenForo 1.x
	{"php-serialized-hash", hashid.Certain, `a:2:{s:4:"hash";s:40:"6e36dcfc6151272c797165fce21e68e7c7737e40";s:4:"salt";s:40:"1fb46a8f81d8838f46879aaa29168d08aa6bf22d";}`},                                                                             // XenForo 1.x, SHA-1
	{"php-serialized-hash", hashid.Certain, `a:1:{s:4:"hash";s:60:"$2y$10$S5w1fdnGwLHpFXLrENQnJuYMN4Aa4Lx7S.7hW3xP5fBkoYfVCQ6S2";}`},                                                                                                                    // XenForo 2
	{"keycloak-pbkdf2", hashid.Certain, `{"value":"F+QR0RitEuO3LW5o4oAXpD5mXewDLUW/tbJFdjNrKb/1Zt023www0GIbEhNiOUfsFeVv29SWpYTzSlQIpXTmnw==","salt":"uHOlILhwg7kXt+14kGTRXA==","additionalParameters":{}}`},
	{"keycloak-pbkdf2", hashid.Certain, `{"value": "wzyLwjcmlLvp9uFsAkkfHwfKxS+wKkaa1ebsNrH6Gls=", "salt": "MDEyMzQ1Njc4OWFiY2RlZg==", "additionalParameters": {"k": ["a", "}"]}}`},
	{"fortigate", hashid.Certain, "AK1AAECAwQFBgcICRARNGqgeC3is8gv2xWWRony9NJnDgE="},
	{"domino6", hashid.Certain, "(GDpOtD35gGlyDksQRxEU)"},
	{"domino8", hashid.Certain, "(HsjFebq0Kh9kH7aAZYc7kY30mC30mC3KmC30mCluagXrvWKj1)"},
	{"qnx-md5", hashid.Certain, "@m@75f6f129f9c9e77b6b1b78f791ed764a@8741857532330050"},
	{"qnx-sha256", hashid.Certain, "@s@0b365cab7e17ee1e7e1a90078501cc1aa85888d6da34e2f5b04f5c614b882a93@5498317092471604"},
	{"qnx-sha512", hashid.Certain, "@S@715df9e94c097805dd1e13c6a40f331d02ce589765a2100ec7435e76b978d5efc364ce10870780622cee003c9951bd92ec1020c924b124cfff7e0fa1f73e3672@2257314490293159"},
	{"netscreen", hashid.Certain, "nNxKL2rOEkbBc9BFLsVGG6OtOUO/8n:user"},
	{"netscreen", hashid.Certain, "nNxKL2rOEkbBc9BFLsVGG6OtOUO/8n"},
	{"netscaler", hashid.Certain, "1765058016a22f1b4e076dccd1c3df4e8e5c0839ccded98ea"},
	{"netscaler-sha512", hashid.Certain, "2f9282ade42ce148175dc3b4d8b5916dae5211eee49886c3f7cc768f6b9f2eb982a5ac2f2672a0223999bfd15349093278adf12f6276e8b61dacf5572b3f93d0b4fa886ce"},

	// Hex digests
	{"hex-16", hashid.Ambiguous, "7196759210defdc0"}, // MySQL323
	{"hex-16", hashid.Ambiguous, "8743b52063cd8409"}, // half MD5
	{"hex-16", hashid.Ambiguous, "299BD128C1101FD6"}, // LM half
	{"hex-32", hashid.Certain, "8743b52063cd84097a65d1633f5c74f5"},
	{"hex-32", hashid.Certain, "8846F7EAEE8FB117AD06BDD830B7586C"},
	{"hex-32", hashid.Certain, "5f4dcc3b5aa765d61d8327deb882cf99"},
	{"hex-32", hashid.Ambiguous, "8743B52063cd84097a65d1633f5c74f5"}, // mixed case
	{"hex-32", hashid.Ambiguous, "31415926535897932384626433832795"}, // digits only
	{"hex-40", hashid.Certain, "b89eaac7e61417341b710b727768294d0e6a277b"},
	{"hex-40", hashid.Certain, "FCF7C1B8749CF99D88E5F34271D636178FB5D130"},
	{"hex-48", hashid.Certain, "1430823483d07626ef8be3fda2ff056d0dfd818dbfe47683"},
	{"hex-50", hashid.Certain, "5387280701327dc2162bdeb451d5a465af6d13eff9276efeba"},
	{"hex-56", hashid.Certain, "e4fa1555ad877bf0ec455483371867200eee89550a93eff2f95a6198"},
	{"hex-64", hashid.Certain, "127e6fbfe24a750e72930c220a8e138275656b8e5d8f48a98c3c92df2caba935"},
	{"hex-70", hashid.Certain, "8fe7ca27a17adc337cd892b1d959b4e487b8f0ef09e32214f44fb1b07e461c532e9ec3"},
	{"hex-96", hashid.Certain, "07371af1ca1fca7c6941d2399f3610f1e392c56c6d73fddffe38f18c430a2817028dae1ef09ac683b62148a2c8757f42"},
	{"hex-128", hashid.Certain, "82a9dda829eb7f8ffe9fbe49e45d47d2dad9664fbb7adf72492e3c81ebd3e29134d9bc12212bf83c6840f10e8246b9db54a4859b7ccd0123d86e5872c1e5082f"},
	{"hex-136", hashid.Certain, "648742485c9b0acd786a233b2330197223118111b481abfa0ab8b3e8ede5f014fc7c523991c007db6882680b09962d16fd9c45568260531bdb34804a5e31c22b4cfeb32d"},

	// Bare base64 digests
	{"base64-md5", hashid.Ambiguous, "h0O1IGPNhAl6ZdFjP1x09Q=="},
	{"base64-sha1", hashid.Ambiguous, "uXmFVrdBvv293L9kDR3VnRmx4ZM="},
	{"base64-sha224", hashid.Ambiguous, "qqneHIw34LBUSfT44+tlm/UTYhDZV5i+B0maaA=="},
	{"base64-sha256", hashid.Ambiguous, "npKD5jP0p6QtOryTcBFVvor+VmDaJMh1jn01M+Ly3II="},
	{"base64-sha256", hashid.Ambiguous, "FIjqLnVq/2mNiudEW8wo0GbdJhh0ZR3NtuBI2EQgjLU="},
	{"base64-sha384", hashid.Ambiguous, "YIPwg1KJhvOG4DYhGqssW0n2exf00kuSTMl4IAS305l7Lp3gduOtDi1ncmaX7ngr"},
	{"base64-sha256", hashid.Ambiguous, "SHjSlcmngwBprkN1MP_6jHa9M1MpPJq8minOo7DXneM="},
	{"base64-sha512", hashid.Ambiguous, "gqndqCnrf4/+n75J5F1H0trZZk+7et9ySS48gevT4pE02bwSISv4PGhA8Q6CRrnbVKSFm3zNASPYblhyweUILw=="},

	// DES crypt
	{"descrypt", hashid.Ambiguous, "48c/R8JAv757A"},
	{"descrypt", hashid.Ambiguous, "ab9j1qG1p7TMk"},
	{"descrypt", hashid.Ambiguous, "ht3WQb5sP59X."},

	// Digest and salt
	{"hex:salt", hashid.Certain, "01dfae6e5d4d90d9892622325959afbe:7050461"},
	{"hex:salt", hashid.Certain, "2fc5a684737ce1bf7b3b239df432416e0dd07357:2014"},
	{"hex:salt", hashid.Certain, "19e0e8d91c722e7091ca7a6a6fb0f4fa:54718031842521651757785603028777"},                                                                 // Joomla
	{"hex:salt", hashid.Certain, "374996a5e8a5e57fd97d893f7df79824:36"},                                                                                               // osCommerce
	{"hex:salt", hashid.Certain, "16780ba78d2d5f02f3202901c1b6d975:568"},                                                                                              // vBulletin
	{"hex:salt", hashid.Certain, "bf366348c53ddcfbd16e63edfdd1eee6:181264250056774603641874043270"},                                                                   // vBulletin 3.8.5
	{"hex:salt", hashid.Certain, "8d2129083ef35f4b365d5d87487e1207:47204"},                                                                                            // IPB, MyBB
	{"hex:salt", hashid.Certain, "810e3d12f0f10777a679d9ca1ad7a8d9:M2uZ122bSHJ4Mi54tXGY0lqcv1r28mUluSkyw37ou5oia4i239ujqw0l"},                                         // PrestaShop
	{"hex:salt", hashid.Certain, "6e36dcfc6151272c797165fce21e68e7c7737e40:472433673"},                                                                                // OpenCart
	{"hex:salt", hashid.Certain, "ecf076ce9d6ed3624a9332112b1cd67b236fdd11:17782686"},                                                                                 // SMF
	{"hex:salt", hashid.Certain, "1fb46a8f81d8838f46879aaa29168d08aa6bf22d:3290afd193d90e900e8021f81409d7a9"},                                                         // Redmine
	{"hex:salt", hashid.Certain, "a6343a68d964ca596d9752250d54bb8a:postgres"},                                                                                         // PostgreSQL (hashcat form)
	{"hex:salt", hashid.Certain, "c73d08de890479518ed60cf670d17faa26a4a71f995c1dcc978165399401a6c4:53743528"},                                                         // sha256($pass.$salt)
	{"hex:salt", hashid.Certain, "aee9edab5653f509c4c63e559a5e967b4c112273bc6bd84525e630a3f9028dcb:5136256866783777334574783782810410706883233321141647265340462733"}, // ColdFusion
	{"hex-16:salt", hashid.Ambiguous, "7A963A529D2E3229:3682427524"},                                                                                                  // Oracle H with user name
	{"salt:hex", hashid.Certain, "f3Kp9:3fffedc9a5fab38b06a052747887fb7b0a9dd2b3c7ccba3e32757e98c7945216"},
	{"salt:hex", hashid.Certain, "x7Yz:5f4dcc3b5aa765d61d8327deb882cf99"},
}

// plaintexts are passwords (or other non-hash values) with the shapes
// closest to hashes; none may be Certain, most are NotHash.
var plaintexts = []struct {
	v   string
	max hashid.Certainty
}{
	{"Summer2024!", hashid.NotHash},
	{"P@ss:w0rd", hashid.NotHash},
	{"hunter22", hashid.NotHash},
	{"correcthorsebatterystaple", hashid.NotHash},
	{"iloveyou", hashid.NotHash},
	{"", hashid.NotHash},
	{"a", hashid.NotHash},
	{"$", hashid.NotHash},
	{"{", hashid.NotHash},
	// 32 a's are in the hex alphabet, but a digest of three distinct
	// digits or fewer happens with p < 1e-20: a typed string.
	{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", hashid.NotHash},
	{"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", hashid.NotHash},
	{"11111111111111111111111111111111", hashid.NotHash},
	{"abababababababababababababababab", hashid.NotHash},
	{"deadbeefdeadbeefdeadbeefdeadbeef", hashid.NotHash},
	{"DeadBeefDeadBeefDeadBeefDeadBeef", hashid.NotHash},
	{"0123456789abcdef0123456789abcdef", hashid.NotHash},
	{"0123456789abcdeffedcba9876543210", hashid.NotHash},
	{"12345678901234567890123456789012", hashid.NotHash},
	{"1234567890123456789012345678901234567890", hashid.NotHash},
	{"5f4dcc3b5aa765d61d8327deb882cf9", hashid.NotHash},   // 31 hex
	{"5f4dcc3b5aa765d61d8327deb882cf9g", hashid.NotHash},  // not hex
	{"5f4dcc3b5aa765d61d8327deb882cf99:", hashid.NotHash}, // no salt
	{"5f4dcc3b5aa765d61d8327deb882cf99: x", hashid.NotHash},
	{"abcdefabcdefabcd", hashid.NotHash}, // 16 hex, no digit
	{"1234567890123456", hashid.NotHash}, // 16 digits
	{"4111111111111111", hashid.NotHash}, // a card number
	{"1234abcd1234abcd", hashid.NotHash}, // patterned
	{"DeadBeef12345678", hashid.NotHash}, // 16 hex, mixed case
	{"Password12345", hashid.NotHash},    // 13 characters, the last one has bits DES leaves clear
	{"aaaaaaaaaaaaa", hashid.NotHash},
	{"qwertyuiopasdf", hashid.NotHash},
	{"sunshine2024A", hashid.Ambiguous}, // a DES-shaped password: the column decides
	{"aaaaaaaaaaaaaaaaaaaaaa==", hashid.NotHash},
	{"Summer2024Summer2024Su==", hashid.NotHash},
	{"MTIzNDU2Nzg5MDEyMzQ1Ng==", hashid.Ambiguous}, // base64 of "1234567890123456": a digest's shape
	{"$money$", hashid.NotHash},
	{"$9$dVw2aJGiqf5U", hashid.NotHash}, // a short Junos secret: missed, see juniper-type9
	{"$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$", hashid.NotHash},
	{"$2y$10$short", hashid.NotHash},
	{"$2y$99$abcdefghijklmnopqrstuuQ0oU6ohM4g7bMSXXm1t4ZSuUd0PXS6q", hashid.NotHash},
	{"$1$toolongsaltvalue$qjXMvbEw8oaL.CzflDugX/", hashid.NotHash},
	{"$1$salt$short", hashid.NotHash},
	{"$P$short", hashid.NotHash},
	{"$P$!84478476IagS59wHZvyQMArzfx58u.", hashid.NotHash},
	{"$6$salt$" + strings.Repeat("x", 85), hashid.NotHash},
	{"$argon2id$v=19$m=65536$salt$hash", hashid.NotHash},
	{"$ml$35460$salt$" + strings.Repeat("ab", 64), hashid.NotHash},
	{"$7$101$" + strings.Repeat("Summer2024!", 10), hashid.NotHash},
	{"$HEX[68756e74657232]", hashid.NotHash},
	{"{PLAIN}secret", hashid.NotHash},
	{"{CLEARTEXT}hunter2hunter2", hashid.NotHash},
	{"{SHA}not base64, not at all!", hashid.NotHash},
	{"{SSHA}short", hashid.NotHash},
	{"{CRYPT}hunter2", hashid.NotHash},
	{"sha1$abc$xyz", hashid.NotHash},
	{"md5$money", hashid.NotHash},
	{"sha256$salt$short", hashid.NotHash},
	{"sha1:64000:18:salt:hash", hashid.NotHash},
	{"sha1:64000:18:TyZbh0iCqBLO59uB6bOLOFg+6ANLVzhE:hqlaDzXFTBVDPNKi", hashid.NotHash}, // 12 bytes, not 18
	{"scrypt$16384$8$1$salt$short", hashid.NotHash},
	{"!Summer2024!Summer2024!Summer2024!Summer20", hashid.NotHash},
	{"!abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN", hashid.NotHash}, // a walk
	{"!passwordpasswordpasswordpasswordpassword", hashid.NotHash}, // one case
	{"sha256:secret", hashid.NotHash},
	{"pbkdf2_sha256$260000$salt$hashhashhashhashhashhash", hashid.NotHash}, // digest too short
	{"S:hello", hashid.NotHash},
	{`a:1:{s:4:"hash";s:20:"my password is here";}`, hashid.NotHash},
	{`a:2:{s:4:"hash";s:64:"fdf2ec679860a02169f6925f37a2049391aff2b71e847c9ad4124be96a83fa35";s:4:"salt";s:8:"too short";}`, hashid.NotHash}, // a length that lies
	{"a:b:c:d:e:f:g:h:i:j:k:l:m:n:o:p:q:r:s:t:u:v", hashid.NotHash},
	{`{"value":"hunter2hunter2","salt":"pepper","additionalParameters":{}}`, hashid.NotHash},
	{`{"value":"F+QR0RitEuO3LW5o4oAXpD5mXewDLUW/tbJFdjNrKb8=","salt":"uHOlILhwg7kXt+14kGTRXA=="} {}`, hashid.NotHash},
	{`{"hashIterations":27500,"algorithm":"pbkdf2-sha256","additionalParameters":{}}`, hashid.NotHash},
	{"*hello", hashid.NotHash},
	{"*hellohellohellohellohellohellohellohello", hashid.NotHash},
	{"md5hellohellohellohellohellohellohello", hashid.NotHash},
	{"0x1234", hashid.NotHash},
	{"_underscore_password", hashid.NotHash},
	{"nNxKL2rOEkbBc9BFLsVGG6OtOUO/8x", hashid.NotHash},
	{"my password with spaces", hashid.NotHash},
	{"correct:horse:battery:staple", hashid.NotHash},
	{"alice@example.com", hashid.NotHash},
	{"https://example.com/login", hashid.NotHash},
	{"пароль123", hashid.NotHash},
	{"AbCdEf0123456789aBcDeF0123456789", hashid.Ambiguous}, // mixed case (walks are not looked for at digest lengths)
	{"Fe3A9c0B7d21E54f86aC9b0D3e7F1a24", hashid.Ambiguous}, // 32 hex, mixed case
}

func TestIdentifySamples(t *testing.T) {
	for _, tc := range samples {
		t.Run(tc.scheme+"/"+short(tc.v), func(t *testing.T) {
			s, c := hashid.Identify([]byte(tc.v))
			if s.String() != tc.scheme || c != tc.c {
				t.Errorf("Identify(%q) = %v, %v; want %v, %v", tc.v, s, c, tc.scheme, tc.c)
			}
			if got := hashid.IsHash([]byte(tc.v)); got != (tc.c == hashid.Certain) {
				t.Errorf("IsHash(%q) = %v", tc.v, got)
			}
		})
	}
}

func TestIdentifyPlaintexts(t *testing.T) {
	for _, tc := range plaintexts {
		s, c := hashid.Identify([]byte(tc.v))
		if c != tc.max {
			t.Errorf("Identify(%q) = %v, %v; want %v", tc.v, s, c, tc.max)
		}
		if (s == hashid.None) != (c == hashid.NotHash) {
			t.Errorf("Identify(%q) = %v, %v: scheme and certainty disagree", tc.v, s, c)
		}
		if hashid.IsHash([]byte(tc.v)) {
			t.Errorf("IsHash(%q) = true", tc.v)
		}
	}
}

// TestEverySchemeHasASample keeps the samples table complete.
func TestEverySchemeHasASample(t *testing.T) {
	have := map[string]bool{}
	for _, s := range samples {
		have[s.scheme] = true
	}
	for _, s := range hashid.Schemes() {
		if !have[s.String()] {
			t.Errorf("scheme %s has no sample", s)
		}
	}
}

func TestSchemeNamesAndModes(t *testing.T) {
	byName := map[string]hashid.Scheme{}
	for _, s := range hashid.Schemes() {
		if s.String() == "" || s.String() == "none" {
			t.Errorf("scheme %d has no name", s)
		}
		byName[s.String()] = s
	}
	for name, want := range map[string]int{"bcrypt": 3200, "md5crypt": 500, "phpass": 400, "drupal7": 7900, "mysql41": 300,
		"hex-32": 0, "hex-16": 200, "django-pbkdf2-sha256": 10000, "atlassian-pbkdf2": 12001, "ldap-ssha": 111} {
		if m := byName[name].HashcatModes(); len(m) == 0 || m[0] != want {
			t.Errorf("%s: hashcat modes %v, want %d first", name, m, want)
		}
	}
	if hashid.None.String() != "none" || hashid.None.HashcatModes() != nil {
		t.Errorf("None = %q, %v", hashid.None, hashid.None.HashcatModes())
	}
	m := byName["bcrypt"].HashcatModes()
	m[0] = -1
	if byName["bcrypt"].HashcatModes()[0] != 3200 {
		t.Error("HashcatModes returned the table's slice")
	}
}

// TestTrailingBytes checks that a hash with anything appended or cut off
// is no longer Certain of its scheme: recognisers check whole values.
func TestTrailingBytes(t *testing.T) {
	for _, tc := range samples {
		if tc.c != hashid.Certain {
			continue
		}
		for _, v := range []string{tc.v + " x", tc.v + "\x00", tc.v[:len(tc.v)-1] + "\n"} {
			if s, c := hashid.Identify([]byte(v)); c == hashid.Certain && s.String() == tc.scheme {
				t.Errorf("Identify(%q) = %v, %v", v, s, c)
			}
		}
	}
}

func TestIdentifyAllocatesNothing(t *testing.T) {
	var vs [][]byte
	for _, s := range samples {
		vs = append(vs, []byte(s.v))
	}
	for _, p := range plaintexts {
		vs = append(vs, []byte(p.v))
	}
	if n := testing.AllocsPerRun(10, func() {
		for _, v := range vs {
			hashid.Identify(v)
		}
	}); n != 0 {
		t.Errorf("Identify allocates %v times per run", n)
	}
}

func short(s string) string {
	if len(s) > 24 {
		s = s[:24]
	}
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == '/' {
			return '_'
		}
		return r
	}, s)
}
