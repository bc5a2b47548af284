package website

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// providers are the large mail providers and the sites their users sign
// in to with their address: a stealer that captured alice@gmail.com
// signing in to google.com says little about alice's other accounts.
// Mail domains ending in ".*" stand for the name under any public suffix
// ("yahoo.*" is yahoo.com, yahoo.co.uk, yahoo.fr...). A provider's mail
// domains are sign-in sites of its own.
var providers = []struct{ mail, signIn []string }{
	{[]string{"gmail.com", "googlemail.com"}, []string{"google.com"}},
	{[]string{"outlook.*", "hotmail.*", "live.com", "live.co.uk", "live.fr", "live.de", "live.it", "live.nl", "msn.com", "windowslive.com"},
		[]string{"live.com", "microsoft.com", "microsoftonline.com", "outlook.com"}},
	{[]string{"yahoo.*", "ymail.com", "rocketmail.com"}, []string{"yahoo.com"}},
	{[]string{"icloud.com", "me.com", "mac.com"}, []string{"apple.com", "icloud.com"}},
	{[]string{"mail.ru", "bk.ru", "inbox.ru", "list.ru", "internet.ru"}, []string{"mail.ru"}},
	{[]string{"yandex.*", "ya.ru"}, []string{"yandex.ru", "yandex.com"}},
	{[]string{"proton.me", "protonmail.com", "protonmail.ch", "pm.me"}, []string{"proton.me"}},
	{[]string{"aol.com", "aim.com"}, []string{"aol.com"}},
	{[]string{"gmx.*", "web.de"}, []string{"gmx.net", "web.de"}},
	{[]string{"zoho.com", "zohomail.com", "zoho.eu", "zoho.in"}, []string{"zoho.com"}},
}

// Noise reports whether a sighting of an email at site is the email's
// own mail provider: site has the registrable domain of emailDomain (the
// part after the @), or a sign-in site of the mail provider the table
// above knows it for. Both are host names or registrable domains, as
// Domain returns them, an internationalised one in Unicode or in
// punycode (a normalised email has its domain in Unicode, a website's is
// in punycode); a name that is none is no provider.
func Noise(emailDomain, site string) bool {
	emailDomain, site = foldName(emailDomain), foldName(site)
	if tail(emailDomain) != tail(site) {
		// Without a Public Suffix List lookup, the common cases: names
		// whose last two labels differ have different registrable
		// domains, and emailDomain is under no provider's, or is a
		// provider's whose sites site is not under.
		if !mayBeProvider(emailDomain) {
			return false
		}
		if i, ok := mailFamily[emailDomain]; ok && !under(site, siteNames[i], siteLabels[i]) {
			return false
		}
	}
	return sameProvider(emailDomain, site)
}

// sameProvider is Noise without its shortcut.
func sameProvider(emailDomain, site string) bool {
	e, ok := registrableOf(emailDomain)
	if !ok {
		return false
	}
	s, ok := registrableOf(site)
	if !ok {
		return false
	}
	if e == s {
		return true
	}
	for _, p := range providers {
		if matchAny(p.mail, e) {
			return matchAny(p.mail, s) || matchAny(p.signIn, s)
		}
	}
	return false
}

// tail returns the last two labels of a name: a registrable domain has
// two labels or more, so two names with one have the same tail.
func tail(h string) string {
	i := strings.LastIndexByte(h, '.')
	if i < 0 {
		return h
	}
	return h[strings.LastIndexByte(h[:i], '.')+1:]
}

// mayBeProvider reports whether a lower-case name may have a provider's
// mail domain as its registrable domain: it is one or under one, or has
// the label of a ".*" entry.
func mayBeProvider(h string) bool { return under(h, mailNames, mailLabels) }

// under reports whether h is one of names or under one, or has one of
// labels but as its last.
func under(h string, names, labels map[string]bool) bool {
	for {
		if names[h] {
			return true
		}
		l, rest, ok := strings.Cut(h, ".")
		if !ok {
			return false
		}
		if labels[l] {
			return true
		}
		h = rest
	}
}

// The provider table as maps, for Noise's shortcut: mailNames and
// mailLabels are the mail domains and the labels of ".*" entries;
// mailFamily gives the provider of a mail domain (the first, as
// sameProvider takes it), siteNames and siteLabels the mail and sign-in
// domains of each provider and its ".*" labels.
var (
	mailNames, mailLabels = map[string]bool{}, map[string]bool{}
	mailFamily            = map[string]int{}
	siteNames, siteLabels = make([]map[string]bool, len(providers)), make([]map[string]bool, len(providers))
)

func init() {
	for i, p := range providers {
		siteNames[i], siteLabels[i] = map[string]bool{}, map[string]bool{}
		for _, d := range p.signIn {
			siteNames[i][d] = true
		}
		for _, m := range p.mail {
			if label, ok := strings.CutSuffix(m, ".*"); ok {
				mailLabels[label], siteLabels[i][label] = true, true
				continue
			}
			mailNames[m], siteNames[i][m] = true, true
			if _, ok := mailFamily[m]; !ok {
				mailFamily[m] = i
			}
		}
	}
}

// foldName returns a host name in lower case without its root label's
// dot, an internationalised name in ASCII (punycode) as Domain writes it;
// a name that has no ASCII form is left in lower case, to be no host.
func foldName(h string) string {
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	for i := range len(h) {
		if h[i] >= utf8.RuneSelf {
			if a, err := idna.Lookup.ToASCII(h); err == nil {
				return a
			}
			break
		}
	}
	return h
}

// registrableOf is the registrable domain of a host name in any case.
func registrableOf(h string) (string, bool) {
	h = foldName(h)
	if !validHost(h) {
		return "", false
	}
	return registrable(h)
}

// matchAny reports whether the registrable domain d is one of names.
func matchAny(names []string, d string) bool {
	for _, n := range names {
		if label, ok := strings.CutSuffix(n, ".*"); ok {
			if l, _, _ := strings.Cut(d, "."); l == label {
				return true
			}
		} else if n == d {
			return true
		}
	}
	return false
}
