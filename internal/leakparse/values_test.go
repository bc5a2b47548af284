package leakparse

import (
	"testing"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

func TestIsHash(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"5f4dcc3b5aa765d61d8327deb882cf99", true},                                                                   // md5
		{"8846F7EAEE8FB117AD06BDD830B7586C", true},                                                                   // NTLM
		{"5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8", true},                                                           // sha1
		{"5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8", true},                                   // sha256
		{"$2a$10$abcdefghijklmnopqrstuuQ0oU6ohM4g7bMSXXm1t4ZSuUd0PXS6q", true},                                       // bcrypt
		{"$2b$12$abcdefghijklmnopqrstuuQ0oU6ohM4g7bMSXXm1t4ZSuUd0PXS6q", true},                                       // bcrypt
		{"$2y$10$abcdefghijklmnopqrstuuQ0oU6ohM4g7bMSXXm1t4ZSuUd0PXS6q", true},                                       // bcrypt
		{"$1$saltsalt$qjXMvbEw8oaL.CzflDugX/", true},                                                                 // md5crypt
		{"$apr1$saltsalt$qjXMvbEw8oaL.CzflDugX/", true},                                                              // apache md5
		{"$6$saltsalt$IxDD3jeSOb5eB1CX5LBsqZFVkJdido3OUILO5Ifz5iwMuTS4XMS130MTSuDDl3aCI6WouIL9AjRbLCelDCy.g.", true}, // sha512crypt
		{"$5$saltsalt$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZF6oCiTT7", true},                                            // sha256crypt
		{"$P$BnV2wQKyzwJKpBShH1xbhS8Bc1nbaq.", true},                                                                 // phpass
		{"$H$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0", true},                                                                 // phpass (phpBB)
		{"$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", true},                                  // argon2
		{"5f4dcc3b5aa765d61d8327deb882cf99:x7Yz", true},                                                              // md5:salt
		{"5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8:saltysalt", true},                                                 // sha1:salt
		{"{SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g7ZmFk", true},                                                             // LDAP
		{"pbkdf2_sha256$870000$Xk3mT9qLw2Rb$WDGFUuZiRPHNp5V30Pqg/OHx6EZ703bXVRJtkL+EVx4=", true},                     // Django
		{"$P$BUh1vT4ICjwTkBT/PoXLlI7FsEE..OPJ", true},                                                                // issue 8
		{"*FCF7C1B8749CF99D88E5F34271D636178FB5D130", true},                                                          // MySQL 4.1
		{"7196759210defdc0", false},                                                                                  // MySQL 3.x or a password: not alone
		{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},                                                                  // hex alphabet, typed
		{"pbkdf2_sha256$260000$salt$hashhashhashhashhashhash", false},                                                // digest too short
		{"Summer2024!", false},
		{"5f4dcc3b5aa765d61d8327deb882cf9", false},  // 31 hex
		{"5f4dcc3b5aa765d61d8327deb882cf9g", false}, // not hex
		{"$2y$10$short", false},
		{"$1$toolongsaltvalue$qjXMvbEw8oaL.CzflDugX/", false},
		{"$P$short", false},
		{"$money$", false},
		{"", false},
		{"5f4dcc3b5aa765d61d8327deb882cf99:", false},
	}
	for _, tc := range tests {
		if got := isHash([]byte(tc.in)); got != tc.want {
			t.Errorf("isHash(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestSplitCombo(t *testing.T) {
	tests := []struct {
		in                string
		login, pass       string
		sep               byte
		reason            Reason
		loginCls, passCls catalog.DataClass
	}{
		{"alice@example.com:Summer2024!", "alice@example.com", "Summer2024!", ':', "", catalog.ClassEmail, catalog.ClassPassword},
		{"bob@example.net;qwerty123", "bob@example.net", "qwerty123", ';', "", catalog.ClassEmail, catalog.ClassPassword},
		{"carol@example.org|P@ss:w0rd", "carol@example.org", "P@ss:w0rd", '|', "", catalog.ClassEmail, catalog.ClassPassword},
		{"ERIN@EXAMPLE.COM 5f4dcc3b5aa765d61d8327deb882cf99", "ERIN@EXAMPLE.COM", "5f4dcc3b5aa765d61d8327deb882cf99", ' ', "", catalog.ClassEmail, catalog.ClassPasswordHash},
		{"a@example.com\t\tpw with space", "a@example.com", "pw with space", '\t', "", catalog.ClassEmail, catalog.ClassPassword},
		{"a@example.com  |  pw", "a@example.com", "pw", '|', "", catalog.ClassEmail, catalog.ClassPassword},
		{"jdoe:pw:more", "jdoe", "pw:more", ':', "", catalog.ClassUsername, catalog.ClassPassword},
		{"nosep", "", "", 0, ReasonNoSeparator, 0, 0},
		{":pw", "", "", ':', ReasonEmptyLogin, 0, 0},
		{"a@example.com:", "a@example.com", "", ':', ReasonEmptyPassword, 0, 0},
		{"a@example.com :  ", "a@example.com", "", ':', ReasonEmptyPassword, 0, 0},
	}
	for _, tc := range tests {
		login, pass, sep, reason := splitCombo([]byte(tc.in))
		if string(login) != tc.login || string(pass) != tc.pass || sep != tc.sep || reason != tc.reason {
			t.Errorf("splitCombo(%q) = %q %q %q %q, want %q %q %q %q", tc.in, login, pass, sep, reason, tc.login, tc.pass, tc.sep, tc.reason)
		}
		if reason == "" {
			if c := loginClass(login); c != tc.loginCls {
				t.Errorf("loginClass(%q) = %v, want %v", login, c, tc.loginCls)
			}
			if c := passwordClass(pass); c != tc.passCls {
				t.Errorf("passwordClass(%q) = %v, want %v", pass, c, tc.passCls)
			}
		}
	}
}

func TestClassifyName(t *testing.T) {
	tests := []struct {
		name  string
		class catalog.DataClass
		known bool
	}{
		{"email", catalog.ClassEmail, true},
		{"E-Mail", catalog.ClassEmail, true},
		{"mail", catalog.ClassEmail, true},
		{"user_email", catalog.ClassEmail, true},
		{"emailAddress", catalog.ClassEmail, true},
		{"correo_electrónico", catalog.ClassEmail, true},
		{"login", catalog.ClassUsername, true},
		{"user", catalog.ClassUsername, true},
		{"username", catalog.ClassUsername, true},
		{"user_login", catalog.ClassUsername, true},
		{"Benutzername", catalog.ClassUsername, true},
		{"pass", catalog.ClassPassword, true},
		{"password", catalog.ClassPassword, true},
		{"pwd", catalog.ClassPassword, true},
		{"user_pass", catalog.ClassPassword, true},
		{"contraseña", catalog.ClassPassword, true},
		{"mot de passe", catalog.ClassPassword, true},
		{"hash", catalog.ClassPasswordHash, true},
		{"password_hash", catalog.ClassPasswordHash, true},
		{"passwordHash", catalog.ClassPasswordHash, true},
		{"encrypted_password", catalog.ClassPasswordHash, true},
		{"name", catalog.ClassName, true},
		{"full_name", catalog.ClassName, true},
		{"first_name", catalog.ClassName, true},
		{"LastName", catalog.ClassName, true},
		{"nombre", catalog.ClassName, true},
		{"display_name", catalog.ClassName, true},
		{"dob", catalog.ClassDateOfBirth, true},
		{"birthdate", catalog.ClassDateOfBirth, true},
		{"date_of_birth", catalog.ClassDateOfBirth, true},
		{"Date Of Birth", catalog.ClassDateOfBirth, true},
		{"fecha_nacimiento", catalog.ClassDateOfBirth, true},
		{"customer_birth_date", catalog.ClassDateOfBirth, true},
		{"phone", catalog.ClassPhone, true},
		{"mobile", catalog.ClassPhone, true},
		{"msisdn", catalog.ClassPhone, true},
		{"tel", catalog.ClassPhone, true},
		{"phone_number2", catalog.ClassPhone, true},
		{"address", catalog.ClassAddress, true},
		{"street", catalog.ClassAddress, true},
		{"city", catalog.ClassAddress, true},
		{"zip", catalog.ClassAddress, true},
		{"address_line_1", catalog.ClassAddress, true},
		{"ip", catalog.ClassIP, true},
		{"ip_address", catalog.ClassIP, true},
		{"last_ip", catalog.ClassIP, true},
		{"lastIp", catalog.ClassIP, true},
		{"ssn", catalog.ClassGovernmentID, true},
		{"tax_id", catalog.ClassGovernmentID, true},
		{"cpf", catalog.ClassGovernmentID, true},
		{"nin", catalog.ClassGovernmentID, true},
		{"passport", catalog.ClassGovernmentID, true},
		{"passport_no", catalog.ClassGovernmentID, true},
		{"imei", catalog.ClassDeviceID, true},
		{"device_id", catalog.ClassDeviceID, true},
		{"udid", catalog.ClassDeviceID, true},
		{"cookie", catalog.ClassCookie, true},
		{"gender", catalog.ClassGender, true},
		{"sex", catalog.ClassGender, true},
		{"user_agent", catalog.ClassBrowserUserAgent, true},
		{"iban", catalog.ClassBankAccount, true},
		{"card_number", catalog.ClassCreditCard, true},
		{"company", catalog.ClassEmployer, true},
		{"job_title", catalog.ClassJobTitle, true},
		{"security_answer", catalog.ClassSecurityQuestion, true},
		{"password_hint", catalog.ClassSecurityQuestion, true},
		{"website", catalog.ClassWebsite, true},
		{"url", catalog.ClassWebsite, true},
		{"country", catalog.ClassGeolocation, true},
		{"country_name", catalog.ClassGeolocation, true},
		{"latitude", catalog.ClassGeolocation, true},
		{"api_token", catalog.ClassAuthToken, true},
		// Known to hold nothing to keep.
		{"id", catalog.ClassUnknown, true},
		{"user_id", catalog.ClassUnknown, true},
		{"created_at", catalog.ClassUnknown, true},
		{"last_login", catalog.ClassUnknown, true},
		{"email_verified", catalog.ClassUnknown, true},
		{"salt", catalog.ClassUnknown, true},
		{"password_reset_token", catalog.ClassUnknown, true},
		{"login_count", catalog.ClassUnknown, true},
		{"user_type", catalog.ClassUnknown, true},
		// Unknown names: classified by content.
		{"col7", catalog.ClassUnknown, false},
		{"foo", catalog.ClassUnknown, false},
		{"", catalog.ClassUnknown, false},
	}
	for _, tc := range tests {
		c, known := classifyName(tc.name)
		if c != tc.class || known != tc.known {
			t.Errorf("classifyName(%q) = %v %v, want %v %v", tc.name, c, known, tc.class, tc.known)
		}
	}
}

func TestClassifyPath(t *testing.T) {
	tests := []struct {
		path  string
		class catalog.DataClass
	}{
		{"address.city", catalog.ClassAddress},
		{"name.first", catalog.ClassName},
		{"phone.number", catalog.ClassPhone},
		{"emails.value", catalog.ClassEmail},
		{"user.email", catalog.ClassEmail},
		{"user.id", catalog.ClassUnknown},
		{"profile.bio", catalog.ClassUnknown},
		{"meta.foo", catalog.ClassUnknown},
	}
	for _, tc := range tests {
		if c, _ := classifyPath(tc.path); c != tc.class {
			t.Errorf("classifyPath(%q) = %v, want %v", tc.path, c, tc.class)
		}
	}
}

func TestValueKind(t *testing.T) {
	tests := []struct {
		in   string
		want catalog.DataClass
	}{
		{"alice@example.com", catalog.ClassEmail},
		{"josé@exämple.es", catalog.ClassEmail},
		{"5f4dcc3b5aa765d61d8327deb882cf99", catalog.ClassPasswordHash},
		{"203.0.113.7", catalog.ClassIP},
		{"2001:db8::1", catalog.ClassIP},
		{"https://example.com/x", catalog.ClassWebsite},
		{"1985-03-14", catalog.ClassDateOfBirth},
		{"14/07/1990", catalog.ClassDateOfBirth},
		{"07/14/1990", catalog.ClassDateOfBirth},
		{"01.02.1960", catalog.ClassDateOfBirth},
		{"1985-03-14 00:00:00", catalog.ClassDateOfBirth},
		{"2021-06-01 10:11:12", catalog.ClassUnknown},
		{"1850-01-01", catalog.ClassUnknown},
		{"4111 1111 1111 1111", catalog.ClassCreditCard},
		{"490154203237518", catalog.ClassDeviceID},
		{"+1 555 010 0199", catalog.ClassPhone},
		{"(555) 010-0142", catalog.ClassPhone},
		{"07700900123", catalog.ClassPhone},
		{"5550100199", catalog.ClassUnknown},
		{"F", catalog.ClassGender},
		{"female", catalog.ClassGender},
		{"1234", catalog.ClassUnknown},
		{"a@b", catalog.ClassUnknown},
		{"alice@example.com extra", catalog.ClassUnknown},
		{"999.1.1.1", catalog.ClassUnknown},
	}
	for _, tc := range tests {
		if got := valueKind([]byte(tc.in)); got != tc.want {
			t.Errorf("valueKind(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestMask(t *testing.T) {
	tests := []struct {
		class catalog.DataClass
		in    string
		want  string
	}{
		{catalog.ClassEmail, "alice@example.com", "a****@e******.com"},
		{catalog.ClassEmail, "jo@mail.example.co.uk", "j*@m***.e******.c*.uk"},
		{catalog.ClassEmail, "noatsign", "n*******"},
		{catalog.ClassPassword, "Summer2024!", "S*****4!"},
		{catalog.ClassPassword, "hunter2", "h*****2"},
		{catalog.ClassPassword, "abc", "*****"},
		{catalog.ClassPasswordHash, "$2y$10$abcdefghijklmnopqrstuuQ0oU6ohM4g7bMSXXm1t4ZSuUd0PXS6q", "$2y$10$****"},
		{catalog.ClassPasswordHash, "5f4dcc3b5aa765d61d8327deb882cf99", "5f4d****"},
		{catalog.ClassPasswordHash, "{SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g7ZmFk", "{SSHA}****"},
		{catalog.ClassUsername, "jdoe", "j***"},
		{catalog.ClassName, "Alice Smith", "A**** S****"},
		{catalog.ClassName, "Ævar Þór", "Æ*** Þ**"},
		{catalog.ClassPhone, "+1 555 010 0199", "+1 5** *** **99"},
		{catalog.ClassPhone, "12345", "*****"},
		{catalog.ClassDateOfBirth, "1985-03-14", "19**-**-**"},
		{catalog.ClassDateOfBirth, "14/07/1990", "**/**/19**"},
		{catalog.ClassIP, "203.0.113.7", "203.0.*.*"},
		{catalog.ClassIP, "2001:db8::1", "2001:db8::*"},
		{catalog.ClassCreditCard, "4111111111111111", "************1111"},
		{catalog.ClassGovernmentID, "078-05-1120", "*********20"},
		{catalog.ClassWebsite, "login.example.com", "login.example.com"},
		{catalog.ClassGender, "F", "F"},
		{catalog.ClassPassword, "  ", ""},
		{catalog.ClassPassword, "pa\xe9ssword!", "p*****d!"},
	}
	for _, tc := range tests {
		if got := Mask(tc.class, []byte(tc.in)); got != tc.want {
			t.Errorf("Mask(%v, %q) = %q, want %q", tc.class, tc.in, got, tc.want)
		}
	}
}

func TestAppendWebsite(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://Accounts.Example.COM/signin/v2", "accounts.example.com"},
		{"android://AbC==@com.Example.App/", "android://com.example.app"},
		{"example.com.", "example.com"},
		{"http://192.0.2.1:8080/", "192.0.2.1"},
		{"https://[2001:db8::1]:443/", "2001:db8::1"},
		{"Example Shop", "Example Shop"},
	}
	for _, tc := range tests {
		if got := string(appendWebsite(nil, []byte(tc.in))); got != tc.want {
			t.Errorf("appendWebsite(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestCutSystemTail: the fields /etc/shadow and passwd-files keep after a
// hash or a plaintext-scheme password are cut; passwords with colons are
// kept whole.
func TestCutSystemTail(t *testing.T) {
	const sha512crypt = "$6$52450745$k5ka2p8bFuSmoVT1tzOyyuaREkkKBcCNqoDKzYiJL9RaE8yMnPgh2XzzF0NDrUhgrcLwg78xs1w5pJiypEdFX/"
	tests := []struct{ in, want string }{
		{sha512crypt + ":19000:0:99999:7:::", sha512crypt},
		{sha512crypt + "::::::", sha512crypt},
		{"{SHA512-CRYPT}" + sha512crypt + ":1000:1000::/home/bob::", "{SHA512-CRYPT}" + sha512crypt},
		{"{PLAIN}Dove!Plain4:1000:1000:Alice Smith:/home/alice::", "{PLAIN}Dove!Plain4"},
		{"5f4dcc3b5aa765d61d8327deb882cf99:x7Yz", "5f4dcc3b5aa765d61d8327deb882cf99:x7Yz"}, // hash:salt
		{"5f4dcc3b5aa765d61d8327deb882cf99:x7Yz:19000:0:::", "5f4dcc3b5aa765d61d8327deb882cf99:x7Yz"},
		{"P@ss:1000:1000::/home", "P@ss:1000:1000::/home"}, // no hash before the tail
		{sha512crypt + ":abc:0::", sha512crypt + ":abc:0::"},
		{sha512crypt + ":19000", sha512crypt + ":19000"},
		{"Summer2024!", "Summer2024!"},
	}
	for _, tc := range tests {
		if got := string(cutSystemTail([]byte(tc.in))); got != tc.want {
			t.Errorf("cutSystemTail(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
