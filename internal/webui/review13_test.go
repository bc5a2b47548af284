package webui

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// An unclosed allowed tag in a description must not reach past the
// description: an unclosed <a href> turns the rest of the page (advice,
// password forms, footer) into a link to the description's site.
func TestReview13SanitizeBalancesTags(t *testing.T) {
	for _, in := range []string{`x <a href="https://phish.example/">more`, `<b>bold`, `</p></li></ol><li>x`} {
		out := string(sanitize(in))
		for _, tag := range []string{"a", "b", "p", "li", "ol"} {
			if o, c := strings.Count(out, "<"+tag+">")+strings.Count(out, "<"+tag+" "), strings.Count(out, "</"+tag+">"); o != c {
				t.Errorf("sanitize(%q) = %q: %d <%s> opened, %d closed", in, out, o, tag, c)
			}
		}
	}
}

// The catalog's name filter is cut at 100 bytes, possibly inside a rune.
func TestReview13FilterQueryValidUTF8(t *testing.T) {
	f := parseFilter(url.Values{"q": {strings.Repeat("a", 99) + "é"}})
	if !utf8.ValidString(f.Query) {
		t.Errorf("q cut inside a rune: %q", f.Query[95:])
	}
}
