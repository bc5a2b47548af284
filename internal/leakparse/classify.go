package leakparse

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

// Column names are normalised before lookup: lower-cased, Latin accents
// folded, split into words at punctuation, spaces and camelCase humps, and
// joined ("Date of Birth", "date_of_birth" and "dateOfBirth" all become
// "dateofbirth").

// nameTable maps normalised column names to classes. ClassUnknown entries
// are names known to hold nothing worth keeping (ids, timestamps, flags):
// such columns are dropped without looking at their content.
var nameTable = map[string]catalog.DataClass{}

func addNames(c catalog.DataClass, names string) {
	for _, n := range strings.Fields(names) {
		nameTable[n] = c
	}
}

func init() {
	addNames(catalog.ClassEmail, `email mail emailaddress mailaddress useremail contactemail correo
		correoelectronico courriel adressemail adresseemail adressemel mel posta postaelettronica eposta epost
		emailadresse emailadres почта электроннаяпочта емейл емайл имейл мейл 邮箱 电子邮件 メール
		メールアドレス emailid loginemail primaryemail`)
	addNames(catalog.ClassUsername, `username user login loginname nick nickname screenname handle
		account accountname membername usuario nombreusuario nombredeusuario utilisateur nomutilisateur
		identifiant pseudo benutzer benutzername nutzername nomeutente utente apelido логин пользователь
		ник никнейм gebruikersnaam gebruiker kullaniciadi kullanici uzytkownik uzytkownika login_name uname usr
		userlogin signin`)
	addNames(catalog.ClassPassword, `password pass passwd pwd pw passw passwort kennwort contrasena clave
		motdepasse mdp senha parola wachtwoord haslo sifre пароль пароли plainpassword plaintext
		plaintextpassword passwordplain cleartext cleartextpassword userpassword userpass passwd2
		losenord salasana jelszo heslo geslo lozinka 密码 パスワード userpwd loginpassword`)
	addNames(catalog.ClassPasswordHash, `hash passwordhash passhash pwhash pwdhash hashedpassword
		passwordmd5 md5 md5password sha1 sha256 sha512 passwordsha1 encryptedpassword cryptedpassword
		passworddigest bcrypt hashpass hashedpass passwdhash userpasshash ntlm nthash lmhash`)
	addNames(catalog.ClassName, `name fullname firstname fname givenname lastname lname surname familyname
		middlename displayname realname nombre nombres apellido apellidos nombrecompleto primernombre
		segundonombre nom prenom nomcomplet nomdefamille vorname nachname familienname nome cognome
		sobrenome nomecompleto naam voornaam achternaam имя фамилия отчество фио imie nazwisko soyad
		ad adi adsoyad isim 姓名 名字 氏名 customername contactname personname clientname cardholder
		cardholdername holdername owner ownername firstnames lastnames vornamen`)
	addNames(catalog.ClassDateOfBirth, `dob birthdate dateofbirth birthday bday birth born birthdt
		fechanacimiento fechadenacimiento nacimiento datenaissance datedenaissance naissance geburtsdatum
		geburtstag datanascita datadinascita datanascimento datadenascimento nascimento geboortedatum
		датарождения деньрождения dogumtarihi dataurodzenia urodziny birthyear yearofbirth`)
	addNames(catalog.ClassPhone, `phone phonenumber telephone tel mobile mobilephone mobilenumber cell
		cellphone msisdn contactnumber telefono movil celular telefone numerotelephone portable handy
		telefon telefonnummer handynummer mobilnummer cellulare telefoon telefoonnummer gsm телефон
		мобильный номертелефона tlf phoneno mob whatsapp primaryphone homephone workphone fax mobileno
		cellno contactno 电话 手机 電話番号`)
	addNames(catalog.ClassAddress, `address street streetaddress addr address1 address2 city town zip
		zipcode postcode postalcode postal state province county direccion calle ciudad codigopostal cp
		colonia municipio estado adresse rue ville codepostal strasse hausnummer plz ort stadt
		indirizzo citta cap endereco bairro cidade cep uf adres straat woonplaats адрес город улица
		индекс sehir ilce mahalle ulica miasto kodpocztowy housenumber apt suite building
		billingaddress shippingaddress mailingaddress homeaddress postaladdress residence 地址 住所`)
	addNames(catalog.ClassIP, `ip ipaddress ipaddr lastip ipv4 ipv6 registrationip regip signupip loginip
		lastloginip remoteaddr clientip userip currentip sourceip srcip createdip createip directionip
		direccionip adresseip ipadresse registerip`)
	addNames(catalog.ClassGovernmentID, `ssn socialsecuritynumber socialsecurity taxid tin itin
		nationalid nationalidnumber nin nino cpf cnpj rg dni nie nif curp rfc rut run cuit cuil passport
		passportnumber passportno idnumber idcard identitynumber identitycard aadhaar aadhar pesel bsn
		personnummer codicefiscale steuerid steuernummer personalausweis ausweisnummer nir numerosecu
		insee инн снилс паспорт tckn tckimlikno tcno nric hkid sin driverslicense driverlicense
		drivinglicense licensenumber licencia cedula documento numerodocumento nrodocumento
		documentnumber emiratesid idno taxnumber vatid`)
	addNames(catalog.ClassDeviceID, `imei imsi udid deviceid device androidid idfa idfv advertisingid
		adid gaid mac macaddress serial serialnumber iccid meid esn hwid hardwareid devicetoken
		devicename devicemodel pushtoken`)
	addNames(catalog.ClassCookie, `cookie cookies sessioncookie cookieid trackingcookie visitorid ga gid`)
	addNames(catalog.ClassAuthToken, `token authtoken accesstoken refreshtoken apikey apitoken
		sessiontoken sessionid session remembertoken secret otpsecret totpsecret bearer jwt oauthtoken
		authkey accesskey secretkey`)
	addNames(catalog.ClassBrowserUserAgent, `useragent ua browseragent httpuseragent`)
	addNames(catalog.ClassGender, `gender sex genero sexo sexe geschlecht genere sesso geslacht пол
		cinsiyet plec 性别`)
	addNames(catalog.ClassCreditCard, `creditcard creditcardnumber cc ccnum ccnumber cardnumber cardno
		cvv cvc cvv2 cvc2 debitcard numerotarjeta tarjeta kartennummer`)
	addNames(catalog.ClassBankAccount, `iban bankaccount accountnumber acct routingnumber sortcode bic
		swift clabe cbu agencia conta kontonummer blz rib bankaccountnumber accountno`)
	addNames(catalog.ClassEmployer, `employer company companyname organization organisation org
		employername empresa entreprise societe firma unternehmen azienda werkgever bedrijf компания
		работодатель workplace`)
	addNames(catalog.ClassJobTitle, `jobtitle occupation profession position job designation cargo
		puesto ocupacion profesion poste metier beruf professione functie beroep должность профессия`)
	addNames(catalog.ClassSecurityQuestion, `securityquestion securityanswer secretquestion
		secretanswer question answer hint passwordhint passhint pregunta respuesta`)
	addNames(catalog.ClassWebsite, `website url site homepage web domain host hostname link webpage
		sitio sitioweb siteweb sitoweb webseite referer referrer origin`)
	addNames(catalog.ClassAppSoftware, `software application app soft browser program os platform`)
	addNames(catalog.ClassGeolocation, `latitude longitude lat lng lon long geo geolocation location
		coordinates coords gps country pais pays land paese страна countrycode region`)
	addNames(catalog.ClassUnknown, `id uid userid memberid customerid clientid accountid personid
		profileid guid uuid oid pk key rowid recordid entryid index idx no num nr
		created createdat createdon createdate creationdate updated updatedat updatedon modified
		modifiedat deleted deletedat timestamp ts datetime date time lastlogin lastloginat lastlogindate
		lastseen lastactive lastvisit regdate registerdate registrationdate joindate joined registered
		signupdate status active enabled disabled verified confirmed type role level group groupid
		salt passwordsalt usersalt count score points balance amount credits notes note comment
		comments description bio about avatar photo picture image language lang locale timezone tz
		currency flags flag version filename path source banned isadmin admin emailverified
		emailconfirmed phoneverified newsletter optin subscribed title subject body message text
		content data value rank posts reputation karma activationkey resetkey passwordreset
		passwordresettoken passwordchanged passwordupdated passwordexpires logincount loginattempts
		failedlogins logins visits sessions followers following friends likes views hits`)
}

// wordsOf splits a column name into lower-case, accent-folded words.
func wordsOf(name string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	prevLower := false
	for _, r := range name {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if unicode.IsUpper(r) && prevLower {
				flush()
			}
			prevLower = unicode.IsLower(r) || unicode.IsDigit(r)
			for _, f := range foldRune(unicode.ToLower(r)) {
				cur = append(cur, f)
			}
		default:
			flush()
			prevLower = false
		}
	}
	flush()
	return words
}

// foldRune strips the accents of Latin letters.
func foldRune(r rune) string {
	if r < 0x80 {
		return string(r)
	}
	switch r {
	case 'á', 'à', 'â', 'ä', 'ã', 'å', 'ā', 'ą', 'ă':
		return "a"
	case 'ç', 'ć', 'č':
		return "c"
	case 'é', 'è', 'ê', 'ë', 'ē', 'ę', 'ě':
		return "e"
	case 'í', 'ì', 'î', 'ï', 'ı', 'ī':
		return "i"
	case 'ñ', 'ń', 'ň':
		return "n"
	case 'ó', 'ò', 'ô', 'ö', 'õ', 'ø', 'ő', 'ō':
		return "o"
	case 'ú', 'ù', 'û', 'ü', 'ů', 'ű', 'ū':
		return "u"
	case 'ý', 'ÿ':
		return "y"
	case 'ß':
		return "ss"
	case 'ł':
		return "l"
	case 'ś', 'ş', 'š', 'ș':
		return "s"
	case 'ğ':
		return "g"
	case 'ž', 'ź', 'ż':
		return "z"
	case 'ř':
		return "r"
	case 'ț', 'ť':
		return "t"
	case 'đ', 'ď':
		return "d"
	case 'æ':
		return "ae"
	case 'œ':
		return "oe"
	case 'þ':
		return "th"
	}
	return string(r)
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func hasWord(words []string, ws ...string) bool {
	for _, w := range words {
		for _, x := range ws {
			if w == x {
				return true
			}
		}
	}
	return false
}

// idOwners are words that, followed by "id", name an internal key.
var idOwners = map[string]bool{"user": true, "member": true, "customer": true, "client": true, "account": true,
	"order": true, "row": true, "person": true, "profile": true, "contact": true, "player": true, "group": true,
	"parent": true, "ref": true, "record": true, "entry": true, "owner": true, "subscriber": true, "student": true}

// classifyName classifies a column by its name. known is false when the
// name says nothing (the column is then classified by content); a known
// ClassUnknown means a column to drop.
func classifyName(name string) (c catalog.DataClass, known bool) {
	words := wordsOf(name)
	if len(words) == 0 {
		return catalog.ClassUnknown, false
	}
	j := strings.Join(words, "")
	if c, ok := nameTable[j]; ok {
		return c, true
	}
	if t := strings.TrimRight(j, "0123456789"); t != j && t != "" {
		if c, ok := nameTable[t]; ok {
			return c, true
		}
	}
	last := words[len(words)-1]
	if len(words) >= 2 && (last == "id" || last == "key") && idOwners[words[0]] {
		return catalog.ClassUnknown, true
	}
	if c, known, ok := classifyQualified(words, j); ok {
		return c, known
	}
	switch {
	case containsAny(j, "reset", "expire", "attempt", "failed", "verified", "confirmed", "policy",
		"strength", "salt") || hasWord(words, "count", "status", "enabled", "created", "changed", "updated",
		"required", "type", "role", "level", "group", "rank", "flag", "mode", "lang", "locale", "is", "has"):
		return catalog.ClassUnknown, true
	case containsAny(j, "date", "time", "stamp") && !containsAny(j, "birth", "nacimiento", "naissance", "geburt", "nascita", "nascimento"):
		return catalog.ClassUnknown, true
	case containsAny(j, "hint", "question", "answer"):
		return catalog.ClassSecurityQuestion, true
	case passwordWords(j, words) && hasWord(words, "last", "set", "sent", "change", "length", "len", "algo",
		"algorithm", "format", "scheme", "version", "rounds", "iterations", "cost", "age", "on"):
		// password_last_set, pwd_algo, password_age: about a password,
		// not one.
		return catalog.ClassUnknown, true
	case containsAny(j, "hash", "md5", "sha1", "sha256", "sha512", "bcrypt", "crypt", "digest"):
		return catalog.ClassPasswordHash, true
	case passwordWords(j, words):
		return catalog.ClassPassword, true
	case containsAny(j, "email", "correo", "courriel", "eposta", "почт", "емейл", "имейл"):
		return catalog.ClassEmail, true
	case containsAny(j, "useragent") || hasWord(words, "ua") || hasWord(words, "agent"):
		return catalog.ClassBrowserUserAgent, true
	case hasWord(words, "ip", "ipv4", "ipv6", "ipaddr", "ipaddress") || containsAny(j, "ipaddr", "remoteaddr", "clientaddr"):
		return catalog.ClassIP, true
	case containsAny(j, "imei", "imsi", "udid", "device", "androidid", "idfa", "idfv", "advertisingid",
		"macaddr", "serialnumber", "iccid", "hwid", "hardwareid"):
		return catalog.ClassDeviceID, true
	case containsAny(j, "cookie"):
		return catalog.ClassCookie, true
	case containsAny(j, "token", "apikey", "session", "accesskey", "secretkey", "jwt", "oauth"):
		return catalog.ClassAuthToken, true
	case containsAny(j, "phone", "mobile", "msisdn", "telefon", "telephone", "cellular", "celular",
		"whatsapp", "телефон", "мобил") || hasWord(words, "tel", "cell", "mob", "fax", "tlf", "gsm", "handy"):
		return catalog.ClassPhone, true
	case containsAny(j, "birth", "nacimiento", "naissance", "geburt", "nascita", "nascimento", "geboorte",
		"рожден", "dogum", "urodzen") || hasWord(words, "dob", "bday", "born"):
		return catalog.ClassDateOfBirth, true
	case containsAny(j, "gender", "sexo", "sexe", "geschlecht", "genero", "genere", "sesso", "geslacht",
		"cinsiyet") || hasWord(words, "sex"):
		return catalog.ClassGender, true
	case containsAny(j, "ssn", "socialsecurity", "taxid", "taxnumber", "nationalid", "passport", "pasaporte",
		"passeport", "reisepass", "idcard", "identitycard", "idnumber", "identitynumber", "licen", "cpf",
		"cnpj", "curp", "aadha", "pesel", "personnummer", "codicefiscale", "steuer", "ausweis", "снилс",
		"паспорт", "cedula") || hasWord(words, "nin", "nino", "tin", "itin", "dni", "nie", "nif", "rfc",
		"rut", "cuit", "cuil", "rg", "bsn", "nric", "sin", "tckn", "инн"):
		return catalog.ClassGovernmentID, true
	case containsAny(j, "creditcard", "cardnumber", "ccnumber", "ccnum", "cvv", "cvc", "cardno",
		"debitcard", "tarjeta"):
		return catalog.ClassCreditCard, true
	case containsAny(j, "iban", "bankaccount", "accountnumber", "accountno", "routing", "sortcode",
		"clabe", "kontonummer") || hasWord(words, "bic", "swift"):
		return catalog.ClassBankAccount, true
	case containsAny(j, "website", "homepage", "url", "webpage", "sitio", "siteweb", "webseite", "domain",
		"hostname", "referer", "referrer") || hasWord(words, "site", "web", "host", "link"):
		return catalog.ClassWebsite, true
	case containsAny(j, "latitude", "longitude", "geoloc", "coordinates", "country") ||
		hasWord(words, "lat", "lng", "lon", "geo", "location", "gps", "pais", "pays"):
		return catalog.ClassGeolocation, true
	case containsAny(j, "address", "street", "addr", "strasse", "direccion", "adresse", "endereco",
		"indirizzo", "adres", "адрес", "zip", "postal", "postcode", "city", "ciudad", "cidade", "stadt",
		"ville", "город", "улиц", "calle", "straat") || hasWord(words, "plz", "cep", "cap", "state"):
		return catalog.ClassAddress, true
	case containsAny(j, "employer", "company", "organization", "organisation", "empresa", "entreprise",
		"societe", "firma", "unternehmen", "azienda", "werkgever", "bedrijf", "компан", "работодат") ||
		hasWord(words, "org", "business"):
		return catalog.ClassEmployer, true
	case containsAny(j, "jobtitle", "occupation", "profession", "position", "designation", "ocupacion",
		"profesion", "beruf", "должност", "профес") || hasWord(words, "job", "cargo", "puesto"):
		return catalog.ClassJobTitle, true
	case containsAny(j, "software", "application", "browser") || hasWord(words, "app", "soft", "os"):
		return catalog.ClassAppSoftware, true
	case containsAny(j, "username", "login", "nickname", "screenname", "usuario", "utilisateur",
		"benutzer", "nutzer", "utente", "логин", "пользоват", "gebruiker", "kullanici", "uzytkownik") ||
		hasWord(words, "user", "nick", "uname", "usr", "handle", "member"):
		return catalog.ClassUsername, true
	case containsAny(j, "name", "nombre", "apellido", "prenom", "vorname", "nachname", "cognome",
		"sobrenome", "naam", "имя", "фамил", "отчеств", "nazwisko", "imie", "soyad", "surname") ||
		hasWord(words, "nom", "nome", "fio", "фио"):
		return catalog.ClassName, true
	}
	return catalog.ClassUnknown, false
}

// parentClasses are the classes a JSON object key passes to its members
// whose own names say nothing ("name.first", "phone.number").
var parentClasses = catalog.ClassSet(0).Add(catalog.ClassName).Add(catalog.ClassAddress).
	Add(catalog.ClassGeolocation).Add(catalog.ClassPhone).Add(catalog.ClassEmail).
	Add(catalog.ClassDateOfBirth).Add(catalog.ClassGovernmentID).Add(catalog.ClassCreditCard).
	Add(catalog.ClassBankAccount).Add(catalog.ClassDeviceID).Add(catalog.ClassWebsite).
	Add(catalog.ClassPassword).Add(catalog.ClassPasswordHash)

// genericKeys are member names that take their meaning from the
// enclosing key ("emails.value", "phone.number").
var genericKeys = map[string]bool{"value": true, "val": true, "number": true, "no": true, "num": true,
	"nr": true, "data": true, "text": true, "content": true, "primary": true, "main": true, "current": true}

// classifyPath classifies a dotted JSON key path by its last segment, or
// failing that by the nearest enclosing key of a class in parentClasses.
func classifyPath(path string) (catalog.DataClass, bool) {
	if strings.IndexByte(path, '.') < 0 {
		return classifyName(path)
	}
	segs := strings.Split(path, ".")
	for i := len(segs) - 1; i >= 0; i-- {
		c, known := classifyName(segs[i])
		if !known {
			continue
		}
		if i == len(segs)-1 {
			if c == catalog.ClassUnknown && genericKeys[strings.ToLower(segs[i])] {
				continue
			}
			return c, true
		}
		if parentClasses.Has(c) {
			return c, true
		}
	}
	return catalog.ClassUnknown, false
}

// valueKind classifies one value by its content alone; ClassUnknown when
// nothing stands out.
func valueKind(v []byte) catalog.DataClass {
	switch {
	case len(v) == 0:
		return catalog.ClassUnknown
	case isEmail(v):
		return catalog.ClassEmail
	case isHash(v):
		return catalog.ClassPasswordHash
	case isIP(v):
		return catalog.ClassIP
	case isURL(v):
		return catalog.ClassWebsite
	case isDate(v):
		return catalog.ClassDateOfBirth
	case isCard(v):
		return catalog.ClassCreditCard
	case isIMEI(v):
		return catalog.ClassDeviceID
	case isPhone(v):
		return catalog.ClassPhone
	case isGender(v):
		return catalog.ClassGender
	}
	return catalog.ClassUnknown
}

// contentVerdict picks the class most non-empty values of a column share,
// and says how many of the n non-empty values have it.
func contentVerdict(values [][]byte) (cls catalog.DataClass, hits, n int) {
	var counts [64]int
	for _, v := range values {
		v = trim(v)
		if len(v) == 0 || isNullMarker(v) {
			continue
		}
		n++
		counts[valueKind(v)]++
	}
	if n == 0 {
		return catalog.ClassUnknown, 0, 0
	}
	best := catalog.ClassUnknown
	for c := range counts {
		if c != 0 && counts[c] > counts[best] {
			best = catalog.DataClass(c)
		}
	}
	if best == catalog.ClassUnknown {
		return best, counts[best], n
	}
	// Emails, hashes, addresses, URLs and card-like numbers are hard to
	// mistake: half the values suffice. Phones, dates and genders need 80%.
	if strongClasses.Has(best) {
		if counts[best]*2 < n {
			return catalog.ClassUnknown, counts[0], n
		}
	} else if counts[best]*5 < n*4 {
		return catalog.ClassUnknown, counts[0], n
	}
	return best, counts[best], n
}

var strongClasses = catalog.ClassSet(0).Add(catalog.ClassEmail).Add(catalog.ClassPasswordHash).
	Add(catalog.ClassIP).Add(catalog.ClassWebsite).Add(catalog.ClassCreditCard).Add(catalog.ClassDeviceID)

// passwordLike reports whether most values of a column could be passwords:
// single tokens of printable text.
func passwordLike(values [][]byte) bool {
	n, ok := 0, 0
	for _, v := range values {
		v = trim(v)
		if len(v) == 0 || isNullMarker(v) {
			continue
		}
		n++
		if len(v) <= 128 && utf8.Valid(v) && !strings.ContainsAny(string(v), " \t") {
			ok++
		}
	}
	return n > 0 && ok*5 >= n*4
}

// isNullMarker reports whether a column value is an SQL/CSV null marker.
func isNullMarker(v []byte) bool {
	switch len(v) {
	case 2:
		return v[0] == '\\' && v[1] == 'N'
	case 4:
		return equalFold(v, "null")
	}
	return false
}

// passwordWords reports whether a column name (its words, and j, them
// joined) speaks of a password, in any of the languages leaks use.
func passwordWords(j string, words []string) bool {
	return containsAny(j, "password", "passwd", "passwort", "contrasen", "senha", "motdepasse", "wachtwoord",
		"пароль", "kennwort", "parol", "haslo", "sifre") || hasWord(words, "pass", "pwd", "pw", "pword", "passw")
}
