package leakgen

import (
	"crypto/sha512"
	"encoding/base64"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// nameEnt is one given or family name.
type nameEnt struct {
	native string // as the culture writes it: "Дмитрий", "Élodie", "王"
	latin  string // in Latin script: "Dmitry", "Élodie", "Wang"
	ascii  string // lower-case ASCII for e-mail addresses: "dmitry", "elodie", "wang"
	// latin1 reports whether native is non-ASCII but encodable in
	// ISO 8859-1, which makes it a candidate for mis-encoded CSV rows.
	latin1 bool
}

// city is a city and the leading characters of its postcodes.
type city struct{ name, prefix string }

// culture is a cultureSpec parsed into lookup tables.
type culture struct {
	code          string
	nativeShare   int
	hasNative     bool
	familySep     string
	male, female  []nameEnt
	last, lastF   []nameEnt // lastF: family names as women bear them
	domains       []string
	localShare    int
	phoneCC       string
	phoneMobile   []string
	phoneLen      int
	phonePatterns []string
	cities        []city
	postcode      string
	streets       []string
	addrFormats   []string
	taxID         string
	lang          string
}

// tables holds every precomputed lookup table. It is built once and never
// modified, so it is safe to share between goroutines.
type tables struct {
	cultures []culture
	// cultPick maps the top 10 bits of a random number to a culture index,
	// in proportion to the cultures' weights.
	cultPick [1024]uint8

	global, corporate, syllables, tlds []string
	nicknames, shortNames              []string

	sites                   []websiteSpec
	androidApps, androidIDs []string // androidIDs: the app's signing certificate hash, base64
	subdomains, paths       []string
	ports                   []string

	redlineApps, softNames, browserNames, osNames []string

	pw passwordTables
}

// getTables returns the shared tables, building them on first use.
var getTables = sync.OnceValue(buildTables)

func buildTables() *tables {
	t := &tables{
		global:       strings.Fields(globalDomains),
		corporate:    strings.Fields(corporateDomains),
		syllables:    strings.Fields(tailSyllables),
		tlds:         strings.Fields(tailTLDs),
		nicknames:    strings.Fields(nicknames),
		shortNames:   strings.Fields(shortNames),
		sites:        popularSites,
		androidApps:  strings.Fields(androidApps),
		subdomains:   strings.Fields(siteSubdomains),
		paths:        strings.Fields(sitePaths),
		ports:        strings.Fields(sitePorts),
		redlineApps:  strings.Split(redlineApps, ";"),
		softNames:    strings.Split(softNames, ";"),
		browserNames: strings.Split(browserNames, ";"),
		osNames:      strings.Split(osNames, ";"),
		pw:           buildPasswordTables(),
	}
	for _, app := range t.androidApps {
		// Android credentials carry the base64 SHA-512 of the app's
		// signing certificate; a hash of the package name stands in for it.
		sum := sha512.Sum512([]byte("leakgen certificate " + app))
		t.androidIDs = append(t.androidIDs, base64.URLEncoding.EncodeToString(sum[:]))
	}

	total := 0
	for i := range cultureSpecs {
		t.cultures = append(t.cultures, buildCulture(&cultureSpecs[i]))
		total += cultureSpecs[i].weight
	}
	if total != 1000 {
		panic("leakgen: culture weights do not sum to 1000")
	}
	ci, cum := 0, cultureSpecs[0].weight
	for k := range t.cultPick {
		for k*1000/len(t.cultPick) >= cum {
			ci++
			cum += cultureSpecs[ci].weight
		}
		t.cultPick[k] = uint8(ci)
	}
	return t
}

func buildCulture(s *cultureSpec) culture {
	c := culture{
		code:          s.code,
		nativeShare:   s.nativeShare,
		familySep:     s.familySep,
		male:          parseNames(s.male, s.translit),
		female:        parseNames(s.female, s.translit),
		last:          parseNames(s.last, s.translit),
		domains:       strings.Fields(s.domains),
		localShare:    s.localShare,
		phoneCC:       s.phoneCC,
		phoneMobile:   strings.Fields(s.phoneMobile),
		phoneLen:      s.phoneLen,
		phonePatterns: s.phonePatterns,
		postcode:      s.postcode,
		streets:       strings.Split(s.streets, ";"),
		addrFormats:   s.addrFormats,
		taxID:         s.taxID,
		lang:          s.lang,
	}
	for _, n := range c.male {
		c.hasNative = c.hasNative || n.native != n.latin
	}
	for _, e := range strings.Split(s.cities, ";") {
		name, prefix, _ := strings.Cut(e, "|")
		c.cities = append(c.cities, city{name, prefix})
	}
	c.lastF = c.last
	switch s.surnames {
	case "ru": // Иванов -> Иванова
		c.lastF = make([]nameEnt, len(c.last))
		for i, n := range c.last {
			c.lastF[i] = makeName(n.native+"а", n.latin+"a", s.translit)
		}
	case "pl": // Kowalski -> Kowalska
		c.lastF = make([]nameEnt, len(c.last))
		for i, n := range c.last {
			name := n.native
			if strings.HasSuffix(name, "ki") {
				name = strings.TrimSuffix(name, "i") + "a"
			}
			c.lastF[i] = makeName(name, name, s.translit)
		}
	}
	return c
}

// parseNames parses a space separated name list (see cultures.go).
func parseNames(list, translit string) []nameEnt {
	var out []nameEnt
	for _, f := range strings.Fields(list) {
		native, latin, ok := strings.Cut(f, ":")
		if !ok {
			latin = native
		}
		out = append(out, makeName(native, latin, translit))
	}
	return out
}

func makeName(native, latin, translit string) nameEnt {
	n := nameEnt{native: native, latin: latin, ascii: asciiFold(latin, translit)}
	if n.ascii == "" {
		panic("leakgen: name without ASCII form: " + native)
	}
	nonASCII, enc := false, true
	for _, r := range native {
		nonASCII = nonASCII || r >= utf8.RuneSelf
		enc = enc && r <= 0xff
	}
	n.latin1 = nonASCII && enc
	return n
}

// foldings maps accented Latin letters (lower case) to ASCII.
var foldings = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ā': "a", 'ą': "a", 'æ': "ae",
	'ç': "c", 'ć': "c", 'č': "c", 'ď': "d", 'đ': "d", 'ð': "d",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ē': "e", 'ę': "e", 'ě': "e", 'ğ': "g",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ī': "i", 'ı': "i", 'ł': "l", 'ľ': "l",
	'ñ': "n", 'ń': "n", 'ň': "n", 'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ō': "o",
	'œ': "oe", 'ř': "r", 'ś': "s", 'š': "s", 'ş': "s", 'ß': "ss", 'ť': "t", 'ţ': "t", 'þ': "th",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ū': "u", 'ů': "u", 'ý': "y", 'ÿ': "y", 'ź': "z", 'ż': "z", 'ž': "z",
}

// asciiFold lower-cases s and reduces it to ASCII letters and digits, as
// people do when they pick an e-mail address: "N'Diaye" -> "ndiaye",
// "Müller" -> "muller" ("mueller" with the German scheme).
func asciiFold(s, scheme string) string {
	var b strings.Builder
	for _, r := range s {
		if r == 'İ' {
			r = 'i'
		}
		r = unicode.ToLower(r)
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			b.WriteRune(r)
		case scheme == "de" && (r == 'ä' || r == 'ö' || r == 'ü'):
			b.WriteString(foldings[r] + "e")
		default:
			b.WriteString(foldings[r])
		}
	}
	return b.String()
}
