package webui

import (
	"html/template"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// allowedTags are the elements a breach description keeps (HIBP's
// descriptions use links and a little emphasis); others are dropped, their
// text kept.
var allowedTags = map[string]bool{"a": true, "b": true, "strong": true, "i": true, "em": true, "code": true, "p": true, "br": true, "ul": true, "ol": true, "li": true}

// sanitize returns a breach description's HTML with only allowedTags, no
// attribute but an http(s) or mailto href on links (which get
// rel="noopener noreferrer"), every text escaped, and every element it
// opens closed within it: nothing of a description reaches past it.
func sanitize(s string) template.HTML {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	var open []string // the elements opened and not yet closed
	skip := 0         // inside script or style: drop the text too
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			for i := len(open) - 1; i >= 0; i-- {
				b.WriteString("</" + open[i] + ">")
			}
			return template.HTML(b.String())
		case html.TextToken:
			if skip == 0 {
				b.WriteString(html.EscapeString(string(z.Text())))
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			tn, hasAttr := z.TagName()
			name := string(tn)
			if name == "script" || name == "style" {
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
				continue
			}
			if !allowedTags[name] || skip > 0 || tt == html.SelfClosingTagToken && name != "br" {
				continue
			}
			if tt == html.EndTagToken {
				// Close up to the matching open element; an end tag
				// that matches none is dropped.
				for i := len(open) - 1; i >= 0; i-- {
					if open[i] == name {
						for j := len(open) - 1; j >= i; j-- {
							b.WriteString("</" + open[j] + ">")
						}
						open = open[:i]
						break
					}
				}
				continue
			}
			if name != "br" && tt == html.StartTagToken {
				open = append(open, name)
			}
			b.WriteString("<" + name)
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if name == "a" && string(k) == "href" {
					if u, err := url.Parse(string(v)); err == nil && (u.Scheme == "https" || u.Scheme == "http" || u.Scheme == "mailto") {
						b.WriteString(` href="` + html.EscapeString(u.String()) + `" rel="noopener noreferrer"`)
					}
				}
			}
			b.WriteString(">")
		}
	}
}
