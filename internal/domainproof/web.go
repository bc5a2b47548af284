package domainproof

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/publicsuffix"
)

// maxRedirects is how many redirects a check follows, as net/http does.
const maxRedirects = 10

// userAgent names the checks to the sites they visit.
const userAgent = "leakwatch-domainproof/1"

// CheckMeta looks for token in the content attribute of a
// <meta name="leakwatch-verification"> tag in the head of domain's home
// page ([Checker.SiteURL] with path "/"), comparing after trimming white
// space. Redirects are followed within the registrable domain of domain
// (see [Checker.HTTPClient]); only the page finally served is read, and
// only its first [Checker.MaxBody] bytes, where the head normally is.
//
// A page without the tag or with another value, a redirect not followed
// and an answer of status 3xx or 4xx yield errors wrapping [ErrNotProven];
// a status of 5xx does not, since the site may answer later.
func (c *Checker) CheckMeta(ctx context.Context, domain, token string) error {
	domain, err := prepare(domain, token)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	u, err := c.resolve(domain, "/")
	if err != nil {
		return err
	}
	body, truncated, final, err := c.get(ctx, domain, u)
	if err != nil {
		return err
	}
	contents, err := metaContents(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("GET %s: parsing HTML: %w", final, err)
	}
	for _, s := range contents {
		if strings.TrimSpace(s) == token {
			return nil
		}
	}
	where := "the head of " + final
	if truncated {
		where = fmt.Sprintf("the first %d bytes of %s", c.maxBody(), final)
	}
	if len(contents) == 0 {
		return fmt.Errorf("no <meta name=%q> tag in %s: %w", MetaName, where, ErrNotProven)
	}
	return fmt.Errorf("no <meta name=%q> tag in %s holds the token: %w", MetaName, where, ErrNotProven)
}

// CheckFile fetches [FilePath] at the root of domain's site
// ([Checker.SiteURL]) and looks for token on a line of its own, comparing
// after trimming white space (so a file holding only the token, with or
// without a final newline, proves it). Redirects are followed within the
// registrable domain of domain (see [Checker.HTTPClient]).
//
// A file without the token, a file larger than [Checker.MaxBody], a
// redirect not followed and an answer of status 3xx or 4xx yield errors
// wrapping [ErrNotProven]; a status of 5xx does not.
func (c *Checker) CheckFile(ctx context.Context, domain, token string) error {
	domain, err := prepare(domain, token)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	u, err := c.resolve(domain, FilePath)
	if err != nil {
		return err
	}
	body, truncated, final, err := c.get(ctx, domain, u)
	if err != nil {
		return err
	}
	if truncated {
		return fmt.Errorf("GET %s: file larger than %d bytes: %w", final, c.maxBody(), ErrNotProven)
	}
	if fileHolds(body, token) {
		return nil
	}
	return fmt.Errorf("GET %s: no line of the file is the token: %w", final, ErrNotProven)
}

// fileHolds reports whether a line of body, trimmed of white space, is
// token. Lines end at LF, CR or CRLF.
func fileHolds(body []byte, token string) bool {
	for _, line := range bytes.FieldsFunc(body, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if string(bytes.TrimSpace(line)) == token {
			return true
		}
	}
	return false
}

// resolve returns the URL of path on domain's site.
func (c *Checker) resolve(domain, path string) (*url.URL, error) {
	site := c.siteURL(domain)
	base, err := url.Parse(site)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return nil, fmt.Errorf("site URL %q of %s is not an absolute http or https URL", site, domain)
	}
	return base.ResolveReference(&url.URL{Path: path}), nil
}

// get fetches u and returns at most MaxBody bytes of its body, whether more
// followed, and the URL finally fetched after redirects.
func (c *Checker) get(ctx context.Context, domain string, u *url.URL) (body []byte, truncated bool, final string, err error) {
	cl := *defaultClient
	if c.HTTPClient != nil {
		cl = *c.HTTPClient
	}
	var refused error
	cl.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			refused = fmt.Errorf("GET %s: stopped after %d redirects: %w", shown(u), maxRedirects, ErrNotProven)
			return refused
		}
		if why := redirectRefused(domain, via[0].URL, req.URL); why != "" {
			refused = fmt.Errorf("GET %s: redirect to %s not followed: %s: %w", shown(via[len(via)-1].URL), shown(req.URL), why, ErrNotProven)
			return refused
		}
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, false, "", fmt.Errorf("GET %s: %w", shown(u), err)
	}
	req.Header.Set("User-Agent", userAgent)
	resp, err := cl.Do(req)
	if refused != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return nil, false, "", refused
	}
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			at := shown(u)
			if uu, perr := url.Parse(ue.URL); perr == nil {
				at = shown(uu)
			}
			return nil, false, "", fmt.Errorf("GET %s: %w", at, ue.Err)
		}
		return nil, false, "", fmt.Errorf("GET %s: %w", shown(u), err)
	}
	defer resp.Body.Close()
	final = shown(resp.Request.URL)
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
	case resp.StatusCode >= 300 && resp.StatusCode < 500:
		return nil, false, final, fmt.Errorf("GET %s: %s: %w", final, resp.Status, ErrNotProven)
	default:
		return nil, false, final, fmt.Errorf("GET %s: %s", final, resp.Status)
	}
	max := c.maxBody()
	body, err = io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, false, final, fmt.Errorf("GET %s: reading body: %w", final, err)
	}
	if int64(len(body)) > max {
		return body[:max], true, final, nil
	}
	return body, false, final, nil
}

// redirectRefused returns why a check of domain that began at first must
// not follow a redirect to next, or "" if it may: next must be an http or
// https URL whose host is in the registrable domain (eTLD+1) of domain, or
// is domain itself when it has none, and must not leave https for http.
func redirectRefused(domain string, first, next *url.URL) string {
	switch {
	case next.Scheme != "https" && next.Scheme != "http":
		return "not http or https"
	case first.Scheme == "https" && next.Scheme != "https":
		return "from https to " + next.Scheme
	case !sameSite(domain, next.Hostname()):
		return "outside " + domain
	}
	return ""
}

// sameSite reports whether host is in the registrable domain (eTLD+1) of
// domain, or is domain itself when it has none.
func sameSite(domain, host string) bool {
	host, err := ValidDomain(host)
	if err != nil {
		return false
	}
	want, err := publicsuffix.EffectiveTLDPlusOne(domain)
	if err != nil {
		return host == domain
	}
	got, err := publicsuffix.EffectiveTLDPlusOne(host)
	return err == nil && got == want
}

// shown returns u as errors show it: without user information, query or
// fragment, where a site or a redirect may carry secrets.
func shown(u *url.URL) string {
	v := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath, Opaque: u.Opaque}
	return v.String()
}

// metaContents parses an HTML document and returns the content attributes
// of the <meta name="leakwatch-verification"> tags in its head, in document
// order. The name is matched ignoring letter case, as HTML matches it.
func metaContents(r io.Reader) ([]string, error) {
	doc, err := html.Parse(r)
	if err != nil {
		return nil, err
	}
	var head *html.Node
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.DataAtom == atom.Head {
			head = n
			break
		}
	}
	if head == nil {
		return nil, nil
	}
	var out []string
	for n := range head.Descendants() {
		if n.Type != html.ElementNode || n.DataAtom != atom.Meta {
			continue
		}
		var name, content string
		var hasContent bool
		for _, a := range n.Attr {
			if a.Namespace != "" {
				continue
			}
			switch a.Key {
			case "name":
				name = a.Val
			case "content":
				content, hasContent = a.Val, true
			}
		}
		if hasContent && strings.EqualFold(strings.TrimSpace(name), MetaName) {
			out = append(out, content)
		}
	}
	return out, nil
}
