package leakparse

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/leakwatch/leakwatch/internal/account"
	"github.com/leakwatch/leakwatch/internal/catalog"
)

// An account is only what a login or identity column holds, and it must look
// like one. Column names of real software qualify a subject with the
// entity that owns it ("user_email", "member_ip", "id_member") and mix
// identity columns with flags, counters and timestamps that share a word
// with them ("user_passchg", "login" holding a timestamp, "Accepts Email
// Marketing", "login_totp"). This file reads such names, confirms the
// classes that make accounts (usernames, emails) and websites with the
// column's content, and keeps values that do not look like an identifier
// out of the identifier classes, whatever their column says.

// owners are words that, leading a column name, say whose the column is
// rather than what it holds: "user_email" is an email, "member_posts" a
// counter. loginOwners name accounts: their "name" is a username
// ("member_name", "user_name").
var (
	owners = map[string]bool{"user": true, "users": true, "member": true, "members": true, "customer": true,
		"customers": true, "client": true, "account": true, "acct": true, "profile": true, "contact": true,
		"person": true, "player": true, "subscriber": true, "student": true, "employee": true, "author": true,
		"usr": true, "mem": true, "login": true}
	loginOwners = map[string]bool{"user": true, "users": true, "member": true, "members": true, "account": true,
		"acct": true, "player": true, "usr": true, "mem": true, "login": true}
)

// flagWords make a column a flag, a consent or a preference: its values are
// yes/no, 0/1 or a choice, never data worth keeping ("Accepts Email
// Marketing", "allow_viewemail", "hide_email", "favorite", "reprompt").
var flagWords = map[string]bool{"accept": true, "accepts": true, "accepted": true, "marketing": true,
	"optin": true, "optout": true, "consent": true, "consents": true, "newsletter": true, "subscribe": true,
	"subscribed": true, "unsubscribed": true, "notify": true, "notification": true, "notifications": true,
	"allow": true, "allows": true, "allowed": true, "show": true, "hide": true, "receive": true,
	"agree": true, "agreed": true, "exempt": true, "favorite": true, "favourite": true, "fav": true,
	"archived": true, "reprompt": true, "invisible": true, "locked": true, "suspended": true, "coppa": true, "dst": true, "preference": true, "preferences": true,
	"prefs": true, "pref": true, "privacy": true, "opt": true, "tos": true}

// flagPrefixes start one-word flag names ("hideemail", "allownotices",
// "receivepms", "showavatars").
var flagPrefixes = []string{"hide", "show", "allow", "receive", "accept", "notify", "subscribe", "optin", "optout"}

// timeWords make a column a timestamp or an activity record.
var timeWords = map[string]bool{"modified": true, "accessed": true, "visited": true, "seen": true,
	"activity": true, "expiry": true, "expires": true, "expiration": true, "lockout": true, "registered": true,
	"joined": true, "activated": true, "edited": true, "posted": true, "since": true, "ago": true, "at": true,
	"epoch": true, "unix": true}

// tokenWords make a column a secret or token: a TOTP seed, a remember-me
// key, an API secret (class Auth tokens).
var tokenWords = map[string]bool{"totp": true, "otp": true, "otpauth": true, "mfa": true, "tfa": true,
	"2fa": true, "secret": true, "secrets": true, "loginkey": true, "rememberkey": true, "remembertoken": true,
	"authenticator": true, "otpsecret": true, "totpsecret": true}

// hashSubjects are what a hash column hashes when it is not a password
// ("user_email_hash", "assetposthash", "file_md5").
var hashSubjects = []string{"email", "mail", "post", "file", "asset", "avatar", "image", "photo", "content",
	"api", "url", "link", "device", "card", "attachment", "body", "message", "data"}

func init() {
	addNames(catalog.ClassAuthToken, `totp otp otpauth otpsecret totpsecret mfasecret tfasecret 2fasecret
		loginkey rememberkey autologinkey memberloginkey authsecret clientsecret`)
	addNames(catalog.ClassWebsite, `uri loginuri uris`)
	addNames(catalog.ClassEmail, `appleid`)
	addNames(catalog.ClassUnknown, `nicename usernicename seoname membersseoname slug access lastmodified modified lastaccess lastaccessed lastactivity
		creation creationtime lastmod lastmodification lastmodificationtime expire expires expiry expirytime lastaccesstime
		lastpost lastvisit lastlogintime logintime loginattempts icon fav favorite reprompt grouping folder
		extra archived tags tag theme style skin confirmation confirmationcode confirmationkey`)
}

// classifyQualified classifies the names classifyName's table does not
// hold whose words say more than their letters: a subject qualified by its
// owner, a foreign key, a flag, a timestamp, a token. ok is false when it
// has nothing to say and classifyName goes on.
func classifyQualified(words []string, j string) (c catalog.DataClass, known, ok bool) {
	last := words[len(words)-1]
	switch {
	case len(words) == 2 && words[0] == "id" && owners[words[1]]:
		// SMF's id_member, id_group.
		return catalog.ClassUnknown, true, true
	case len(words) >= 2 && (last == "id" || last == "ids"),
		len(words) == 1 && len(j) > 5 && strings.HasSuffix(j, "id"):
		// A foreign key ("website_id", "country_id", vBulletin's
		// "styleid", "fbuserid") unless its subject is an identifier in its
		// own right ("device_id", "national_id", "login_id", whose content
		// confirms it).
		subject := strings.Join(words[:len(words)-1], "_")
		if len(words) == 1 {
			subject = strings.TrimSuffix(j, "id")
		}
		rc, _ := classifyName(subject)
		switch rc {
		case catalog.ClassUsername, catalog.ClassEmail, catalog.ClassGovernmentID, catalog.ClassDeviceID,
			catalog.ClassCookie, catalog.ClassPhone:
			return rc, true, true
		case catalog.ClassAuthToken:
			// A session id is a secret; an MFA enrollment id is not.
			if containsAny(subject, "session", "sess", "token") {
				return rc, true, true
			}
		}
		return catalog.ClassUnknown, true, true
	case len(words) >= 2 && (last == "element" || last == "field") || j == "fieldname":
		// A form field's name (Chrome's username_element, Firefox's
		// usernameField and formhistory.fieldname), not its value.
		return catalog.ClassUnknown, true, true
	case hasAnyWord(words, tokenWords) && !containsAny(j, "question", "answer", "hint"):
		return catalog.ClassAuthToken, true, true
	case hasWord(words, "uri", "uris"):
		return catalog.ClassWebsite, true, true
	case hasAnyWord(words, flagWords) && !subjectLast(words) ||
		len(words) == 1 && hasPrefixAny(j, flagPrefixes) && !owners[j] && !owners[strings.TrimSuffix(j, "s")]:
		// ("subscriber" is a person, not a "subscribe..." flag.)
		return catalog.ClassUnknown, true, true
	case hasWord(words, "photo", "avatar", "picture", "image", "icon", "thumbnail", "banner", "logo") && !containsAny(j, "email", "mail"):
		// photoUrl, avatar_url: a picture, not the person's website.
		return catalog.ClassUnknown, true, true
	case hasAnyWord(words, timeWords) && !subjectLast(words) || strings.HasSuffix(j, "expiry") || strings.HasSuffix(j, "lockout"):
		return catalog.ClassUnknown, true, true
	case len(words) == 1 && len(j) > 6 && (hasSuffixAny(j, "type", "types", "status", "flag", "flags", "mode", "level")):
		return catalog.ClassUnknown, true, true
	case containsAny(j, "hash", "md5", "sha1", "sha256", "sha512", "crc") &&
		!containsAny(j, "pass", "pwd", "pw") && containsAny(j, hashSubjects...):
		return catalog.ClassUnknown, true, true
	case len(words) >= 2 && owners[words[0]]:
		rest := words[1:]
		if len(rest) == 1 && rest[0] == "name" {
			if loginOwners[words[0]] {
				return catalog.ClassUsername, true, true
			}
			return catalog.ClassName, true, true
		}
		rc, rk := classifyName(strings.Join(rest, "_"))
		return rc, rk, true
	}
	return 0, false, false
}

// subjectLast reports whether a name ends in a word that names data
// ("registered_email", "show_email"): a flag or a time word before it only
// qualifies it, and the content confirms the class (see confirm).
func subjectLast(words []string) bool {
	c, ok := nameTable[words[len(words)-1]]
	return ok && c != catalog.ClassUnknown && len(words) > 1
}

func hasAnyWord(words []string, set map[string]bool) bool {
	for _, w := range words {
		if set[w] {
			return true
		}
	}
	return false
}

func hasPrefixAny(s string, ps []string) bool {
	for _, p := range ps {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func hasSuffixAny(s string, ps ...string) bool {
	for _, p := range ps {
		if strings.HasSuffix(s, p) {
			return true
		}
	}
	return false
}

// confirmedClasses are the classes a column name gives only if the
// column's content agrees: the ones that make accounts, and websites (a
// "website_id" full of numbers is no website).
var confirmedClasses = catalog.ClassSet(0).Add(catalog.ClassUsername).Add(catalog.ClassEmail).
	Add(catalog.ClassWebsite).Add(catalog.ClassAuthToken)

// needsContent reports whether a column's class, given by its name, waits
// for the content of the first rows: the confirmedClasses, a column
// named just "name", which in an accounts table is the login (Drupal's
// users.name) and elsewhere a person's name, and a column with a generic
// name ("data", "value"), which may hold password hashes (XenForo's
// xf_user_authenticate.data).
func needsContent(name string, c catalog.DataClass) bool {
	if confirmedClasses.Has(c) {
		return true
	}
	if c == catalog.ClassUnknown && genericKeys[strings.ToLower(strings.TrimSpace(name))] {
		return true
	}
	return c == catalog.ClassName && strings.EqualFold(strings.TrimSpace(name), "name")
}

// settle ends a table's warm-up: it classifies by content the columns whose
// names said nothing, confirms with their content the classes names gave
// that need it (a "login" column of ten-digit numbers holds timestamps),
// and finds the password column of an exported combolist. values holds,
// per column, the values of the rows held back.
func (t *table) settle(values [][][]byte) {
	for i := range t.cols {
		c := &t.cols[i]
		switch {
		case c.known && c.tentative:
			t.confirm(c, values[i])
		case !c.known:
			cls, hits, n := contentVerdict(values[i])
			c.class, c.known = cls, true
			c.why = contentReason(cls, hits, n)
			switch {
			case t.paths && c.name == jsonMemberKey:
				c.why = "the key of each record in an object of records; " + c.why
			case c.name != "":
				c.why = fmt.Sprintf("name %q says nothing; %s", c.name, c.why)
			}
		}
	}
	// A column after a login column, in a table without names, holding
	// single tokens, is the password: an exported combolist.
	for i := 1; i < len(t.cols); i++ {
		c, prev := &t.cols[i], t.cols[i-1]
		if c.class == catalog.ClassUnknown && !c.named && c.name == "" && values[i] != nil &&
			(prev.class == catalog.ClassEmail || prev.class == catalog.ClassUsername) && passwordLike(values[i]) {
			c.class = catalog.ClassPassword
			c.why = "single tokens after a login column (an exported combolist)"
		}
	}
	t.credentialStore()
	t.accountName(values)
}

// confirm checks a named column of a confirmedClass against its content: if
// most of its values cannot be what the name says (numbers, timestamps,
// booleans, tokens in a login column; numbers in a website column), the
// content decides instead.
func (t *table) confirm(c *column, values [][]byte) {
	if c.class == catalog.ClassUnknown {
		// A generic name: only password hashes are taken from the
		// content, which must be hashes more than half the time.
		if cls, hits, m := contentVerdict(values); cls == catalog.ClassPasswordHash {
			c.class = cls
			c.why = fmt.Sprintf("name %q says nothing; %s", c.name, contentReason(cls, hits, m))
		}
		return
	}
	n, fit, junk := 0, 0, 0
	kinds := map[string]int{}
	for _, v := range values {
		v = trim(v)
		if len(v) == 0 || isNullMarker(v) {
			continue
		}
		n++
		switch {
		case (c.class == catalog.ClassUsername || c.class == catalog.ClassEmail) && allDigits(v) && len(v) <= 6:
			// Small numbers fill a login column only as ids (a "user"
			// column of an orders table); one of them among logins is
			// kept (refine), a column of them is not a login column.
			junk++
			kinds["numbers"]++
		case fits(c.class, v):
			fit++
		default:
			if k := notAnIdentifier(v); k != "" {
				junk++
				kinds[k]++
			}
		}
	}
	var ks []string
	for k := range kinds {
		ks = append(ks, k)
	}
	slices.SortFunc(ks, func(a, b string) int { return cmp.Or(kinds[b]-kinds[a], strings.Compare(a, b)) })
	kind := strings.Join(ks, " or ")
	if n == 0 || fit*2 >= n {
		return
	}
	cls, hits, m := contentVerdict(values)
	if cls == c.class || cls == catalog.ClassUnknown && junk*2 < n {
		return
	}
	why := fmt.Sprintf("name %q says %s, but %d of %d values are not", c.name, classWord(c.class), n-fit, n)
	if junk*2 >= n {
		why = fmt.Sprintf("name %q says %s, but %d of %d values are %s", c.name, classWord(c.class), junk, n, kind)
	}
	if cls != catalog.ClassUnknown {
		why += "; " + contentReason(cls, hits, m)
	}
	c.class, c.why = cls, why
}

// fits reports whether a value can be of a class a name gave its column.
func fits(cls catalog.DataClass, v []byte) bool {
	switch cls {
	case catalog.ClassUsername, catalog.ClassEmail:
		return loginValue(v)
	case catalog.ClassWebsite:
		return websiteValue(v)
	case catalog.ClassAuthToken:
		// A secret, a key, an otpauth:// URI: anything but a flag, a
		// number or a date, or a password hash in its scheme's form
		// (Keycloak keeps its hashes in credential.secret_data). Bare
		// hex stays a token: random tokens are often hex digits.
		if isHash(v) && !allHexBytes(v) {
			return false
		}
		switch notAnIdentifier(v) {
		case "booleans", "numbers", "timestamps", "dates":
			return false
		}
	}
	return true
}

// credentialStore finds the exports of password managers and browsers
// (LastPass, Bitwarden, Chrome: url, username, password and a "name"): in a
// table that pairs a URL with a login and a password, the column "name"
// is the entry's title ("Example Mail"), not a person's name; KeePass 1.x
// calls its title "Account", beside "Login Name" and "Web Site".
func (t *table) credentialStore() {
	var url, site, pass bool
	logins := 0
	title, account := -1, -1
	for i, c := range t.cols {
		if !c.named {
			continue
		}
		words := wordsOf(c.name)
		switch {
		case c.class == catalog.ClassWebsite:
			url = url || hasWord(words, "url", "uri")
			site = site || hasWord(words, "url", "uri", "site")
		case c.class == catalog.ClassUsername && len(words) == 1 && words[0] == "account":
			account = i
		case c.class == catalog.ClassUsername || c.class == catalog.ClassEmail:
			logins++
		case c.class == catalog.ClassPassword:
			pass = true
		case c.class == catalog.ClassName && len(words) == 1 && words[0] == "name":
			title = i
		}
	}
	if !pass || logins == 0 {
		return
	}
	if url && title >= 0 && !t.mapped(title) {
		c := &t.cols[title]
		c.class = catalog.ClassUnknown
		c.why = fmt.Sprintf("name %q beside url, username and password columns: an entry's title in a password manager's export", c.name)
	}
	// KeePass 1.x: "Account","Login Name","Password","Web Site": the
	// account is the entry's title, the login name its login.
	if site && account >= 0 && !t.mapped(account) {
		c := &t.cols[account]
		c.class = catalog.ClassUnknown
		c.why = fmt.Sprintf("name %q beside login, password and web site columns: an entry's title in a password manager's export", c.name)
	}
}

// accountName finds the login of accounts tables that call it "name"
// (Drupal's users and users_field_data: uid, name, pass, mail): in a table
// with a password column and no username column, a column named "name"
// whose values are mostly handles (one word, lower case or with digits, dots,
// dashes or underscores: "siteadmin", "r.okafor") holds usernames. Laravel's
// users.name holds "Jane Doe" and stays a name.
func (t *table) accountName(values [][][]byte) {
	col, pass := -1, false
	for i, c := range t.cols {
		switch {
		case c.class == catalog.ClassUsername:
			return
		case c.class == catalog.ClassPassword || c.class == catalog.ClassPasswordHash:
			pass = true
		case c.class == catalog.ClassName && c.tentative && !t.mapped(i):
			col = i
		}
	}
	if col < 0 || !pass {
		return
	}
	n, handles, marked := 0, 0, 0
	for _, v := range values[col] {
		v = trim(v)
		if len(v) == 0 || isNullMarker(v) {
			continue
		}
		n++
		if ok, m := handleLike(v); ok {
			handles++
			if m {
				marked++
			}
		}
	}
	// Lower-case first names are single words too: handles show
	// themselves by the digits and separators some of them hold.
	if n > 0 && handles*2 > n && marked*5 >= n {
		c := &t.cols[col]
		c.class = catalog.ClassUsername
		c.why = fmt.Sprintf("name %q beside a password and no username column, and %d of %d values are handles (%d with digits or separators): the login", c.name, handles, n, marked)
	}
}

// handleLike reports whether v looks like a handle rather than a person's
// name: one word that is lower case, or (marked) holds a digit, '.', '_'
// or '-'.
func handleLike(v []byte) (ok, marked bool) {
	if !loginValue(v) || indexByte(v, ' ') >= 0 {
		return false, false
	}
	upper := false
	for _, c := range v {
		switch {
		case isDigit(c) || c == '.' || c == '_' || c == '-' || c == '@':
			return true, true
		case 'A' <= c && c <= 'Z':
			upper = true
		}
	}
	return !upper, false
}

// dobValue reports whether a value of a date-of-birth column is a date at
// all: not a zero date ("0000-00-00", phpBB's " 0- 0-   0", SMF's
// "0001-01-01").
func dobValue(v []byte) bool {
	if len(v) >= 4 && isDigit(v[0]) && isDigit(v[1]) && isDigit(v[2]) && isDigit(v[3]) {
		// The common case, a year first (1985-03-14): cheap, as it is
		// checked for every row.
		return int(v[0]-'0')*1000+int(v[1]-'0')*100+int(v[2]-'0')*10+int(v[3]-'0') >= 1900
	}
	for _, c := range v {
		if '1' <= c && c <= '9' {
			if y, _, _, ok := dateParts(v); ok && y < 1900 {
				return false
			}
			return true
		}
	}
	return false
}

// mapped reports whether the column map settled column i.
func (t *table) mapped(i int) bool {
	if _, ok := t.cfg.mapName[strings.ToLower(t.cols[i].name)]; ok && t.cols[i].name != "" {
		return true
	}
	_, ok := t.cfg.mapIdx[i+1]
	return ok && !t.paths
}

// loginValue reports whether v can be a login: an email address, a phone
// number or a username, as account.AppendLogin takes them, that is not a
// number (a phone number aside), a timestamp, a date, a boolean, a URL, an
// IP address or a random token.
func loginValue(v []byte) bool {
	if len(v) == 0 || len(v) > 254 {
		return false
	}
	if isEmail(v) || account.IsPhone(v) {
		return true
	}
	return notAnIdentifier(v) == "" && !hasControl(v)
}

// usernameClass classifies a value of a login column: an email, a phone
// number or a username as account.AppendLogin decides, or ClassUnknown for a value that
// is no identifier (see loginValue).
func usernameClass(v []byte) catalog.DataClass {
	if !loginValue(v) {
		return catalog.ClassUnknown
	}
	return loginClass(v)
}

// boolWords are the words of boolean and null-like columns.
var boolWords = map[string]bool{"yes": true, "no": true, "true": true, "false": true, "y": true, "n": true,
	"t": true, "f": true, "on": true, "off": true, "none": true, "nil": true, "null": true, "undefined": true,
	"n/a": true, "na": true, "-": true, "--": true, "?": true, "enabled": true, "disabled": true,
	"si": true, "sí": true, "oui": true, "non": true, "ja": true, "nein": true, "да": true, "нет": true}

// notAnIdentifier says what kind of non-identifier v is ("numbers",
// "timestamps", "dates", "booleans", "URLs", "IP addresses", "tokens"),
// "" when v may be an identifier.
func notAnIdentifier(v []byte) string {
	if len(v) <= 12 {
		var tmp [16]byte
		if boolWords[string(appendLower(tmp[:0], v))] {
			return "booleans"
		}
	}
	switch {
	case allDigits(v):
		if timestampLike(v) {
			return "timestamps"
		}
		if len(v) <= 2 {
			return "numbers"
		}
	case isNumber(v):
		return "numbers"
	case isDate(v) || dateTimeLike(v):
		return "dates"
	case schemeLen(v) > 0 || hasPrefixFold(v, "www."):
		return "URLs"
	case isIP(v):
		return "IP addresses"
	case tokenLike(v):
		return "tokens"
	}
	return ""
}

// timestampLike reports whether a string of digits is a Unix time in
// seconds (2001-09-09 to 2033-05-18) or milliseconds.
func timestampLike(v []byte) bool {
	switch len(v) {
	case 10, 13:
		return v[0] == '1'
	}
	return false
}

// isNumber reports whether v is a negative or decimal number ("-1",
// "120.50", "1e3"), without allocating. Digit strings are allDigits'; a
// leading '+' starts a phone number.
func isNumber(v []byte) bool {
	i := 0
	if i < len(v) && v[i] == '-' {
		i++
	}
	digits := 0
	for i < len(v) && isDigit(v[i]) {
		i++
		digits++
	}
	if i < len(v) && v[i] == '.' {
		i++
		for i < len(v) && isDigit(v[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(v) && v[i]|0x20 == 'e' {
		i++
		if i < len(v) && (v[i] == '-' || v[i] == '+') {
			i++
		}
		exp := 0
		for i < len(v) && isDigit(v[i]) {
			i++
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(v)
}

// dateTimeLike reports whether v is a date with a time ("2019-05-01
// 12:34:56", "2024-01-15T10:20:30Z", "15/01/2024 10:20").
func dateTimeLike(v []byte) bool {
	if len(v) < 12 || len(v) > 40 {
		return false
	}
	i := 8
	for i < len(v) && i < 11 && v[i] != ' ' && v[i] != 'T' {
		i++
	}
	if i >= len(v) || !(v[i] == ' ' || v[i] == 'T') {
		return false
	}
	if _, _, _, ok := dateParts(v[:i]); !ok {
		return false
	}
	t := v[i+1:]
	return len(t) >= 4 && isDigit(t[0]) && (t[1] == ':' || len(t) > 2 && t[2] == ':')
}

// tokenLike reports whether v looks generated rather than chosen: a long
// hex string, a base32 TOTP seed, a UUID, or a long mix of letters and
// digits that changes between them as often as random text does (a MyBB
// loginkey, an API key, a session id).
func tokenLike(v []byte) bool {
	n := len(v)
	if n < 16 || n > 512 {
		return false
	}
	var lower, upper, digit, other, changes int
	prev := 0
	for _, c := range v {
		k := 0
		switch {
		case 'a' <= c && c <= 'z':
			lower++
			k = 1
		case 'A' <= c && c <= 'Z':
			upper++
			k = 2
		case isDigit(c):
			digit++
			k = 3
		case c == '-' || c == '_' || c == '+' || c == '/' || c == '=' || c == '.':
			other++
			k = 4
		default:
			return false
		}
		if prev != 0 && k != prev {
			changes++
		}
		prev = k
	}
	switch {
	case isHex(v) && digit > 0 && lower+upper > 0:
		return true // hex digest or key
	case isUUID(v):
		return true
	case lower == 0 && other == 0 && digit > 0 && base32Seed(v):
		return true // TOTP seed: JBSWY3DPEHPK3PXP
	}
	return n >= 20 && digit > 0 && lower+upper > 0 && changes*2 >= n
}

// base32Seed reports whether v is upper-case RFC 4648 base32 (A-Z, 2-7).
func base32Seed(v []byte) bool {
	for _, c := range v {
		if !('A' <= c && c <= 'Z' || '2' <= c && c <= '7') {
			return false
		}
	}
	return true
}

// allHexBytes reports whether every byte of v is a hex digit.
func allHexBytes(v []byte) bool {
	for _, c := range v {
		if !isHexByte[c] {
			return false
		}
	}
	return true
}

// isUUID reports whether v is 8-4-4-4-12 hex digits.
func isUUID(v []byte) bool {
	if len(v) != 36 {
		return false
	}
	for i, c := range v {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !isHexByte[c] {
				return false
			}
		}
	}
	return true
}

// websiteValue reports whether v names a site: a URL, a host name or an IP
// address.
func websiteValue(v []byte) bool {
	if schemeLen(v) > 0 || hasPrefixFold(v, "www.") || isIP(v) {
		return true
	}
	if st, ok := parseSite(v); ok && len(st.host) > 0 && indexByte(st.host, '.') > 0 {
		return true
	}
	return false
}

// classWords name the classes in reasons, in the singular.
var classWords = map[catalog.DataClass]string{
	catalog.ClassUnknown: "nothing to keep", catalog.ClassEmail: "email", catalog.ClassUsername: "username",
	catalog.ClassPassword: "password", catalog.ClassPasswordHash: "password hash", catalog.ClassName: "name",
	catalog.ClassDateOfBirth: "date of birth", catalog.ClassPhone: "phone number",
	catalog.ClassAddress: "physical address", catalog.ClassIP: "IP address",
	catalog.ClassGovernmentID: "government ID", catalog.ClassDeviceID: "device ID",
	catalog.ClassWebsite: "website", catalog.ClassGender: "gender", catalog.ClassCookie: "cookie",
	catalog.ClassBrowserUserAgent: "user agent", catalog.ClassCreditCard: "credit card",
	catalog.ClassBankAccount: "bank account", catalog.ClassGeolocation: "location",
	catalog.ClassEmployer: "employer", catalog.ClassJobTitle: "job title",
	catalog.ClassSecurityQuestion: "security question or answer", catalog.ClassAuthToken: "auth token",
	catalog.ClassAppSoftware: "software",
}

// classWord names a class in a reason.
func classWord(c catalog.DataClass) string {
	if w, ok := classWords[c]; ok {
		return w
	}
	return strings.ToLower(c.String())
}

// nameReason says why a column's name gave it its class.
func nameReason(name string, c catalog.DataClass) string {
	if c == catalog.ClassUnknown {
		return fmt.Sprintf("name %q says nothing to keep (an id, a flag, a count or a timestamp)", name)
	}
	return fmt.Sprintf("name %q says %s", name, classWord(c))
}

// contentReason says why the content of a column gave it its class.
func contentReason(c catalog.DataClass, hits, n int) string {
	switch {
	case n == 0:
		return "no values to classify"
	case c == catalog.ClassUnknown:
		return fmt.Sprintf("no class shared by enough of its %d values", n)
	}
	return fmt.Sprintf("%d of %d values are %s", hits, n, valueWord(c))
}

// valueWord names the values of a class, in the plural.
func valueWord(c catalog.DataClass) string {
	switch c {
	case catalog.ClassEmail:
		return "emails"
	case catalog.ClassPasswordHash:
		return "password hashes"
	case catalog.ClassIP:
		return "IP addresses"
	case catalog.ClassWebsite:
		return "URLs"
	case catalog.ClassDateOfBirth:
		return "dates"
	case catalog.ClassCreditCard:
		return "card numbers"
	case catalog.ClassDeviceID:
		return "IMEIs"
	case catalog.ClassPhone:
		return "phone numbers"
	case catalog.ClassGender:
		return "genders"
	}
	return strings.ToLower(c.String())
}

// detectTables finds, before the line formats are weighed, the tables
// whose rows those formats would misread: SQL client output (a psql
// header " id | name " reads as pipe-separated values), a header row over
// delimited values (a LastPass export's "url,username,password,..." rows
// hold URLs and colons, which ULP detection would claim), and backslash-escaped
// tab-separated data (mysqldump --tab), whose escaped tabs and newlines
// break the shape of its lines.
func detectTables(text []byte, lines [][]byte, cfg *config) (Format, byte, bool) {
	if ok, _ := detectTextTable(text); ok {
		return FormatTextTable, 0, true
	}
	delim, width, frac := csvShape(lines)
	if width >= 3 && frac >= 0.5 && looksLikeHeader(splitSimple(lines[0], delim), cfg) {
		return csvFormat(delim), delim, true
	}
	if escapedShape(text) {
		return FormatTSV, '\t', true
	}
	return "", 0, false
}
