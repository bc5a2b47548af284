package webui

import (
	"cmp"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/svgchart"
)

// filter is the catalog page's query: what to show and in which order.
type filter struct {
	Verified, Fabricated, Stealer bool
	Class, Query                  string
	Sort, Order                   string // name|date|added|accounts, asc|desc
}

func parseFilter(q url.Values) filter {
	f := filter{Verified: q.Get("verified") == "1", Fabricated: q.Get("fabricated") == "1", Stealer: q.Get("stealer") == "1",
		Class: q.Get("class"), Query: strings.TrimSpace(q.Get("q")), Sort: q.Get("sort"), Order: q.Get("order")}
	if _, ok := catalog.ParseDataClass(f.Class); !ok {
		f.Class = ""
	}
	if !slices.Contains([]string{"name", "date", "added", "accounts"}, f.Sort) {
		f.Sort = "added"
	}
	if f.Order != "asc" {
		f.Order = "desc"
	}
	if len(f.Query) > 100 {
		f.Query = strings.ToValidUTF8(f.Query[:100], "")
	}
	return f
}

func (f filter) active() bool {
	return f.Verified || f.Fabricated || f.Stealer || f.Class != "" || f.Query != ""
}

func (f filter) keeps(b catalog.Breach) bool {
	if f.Verified && !b.IsVerified || f.Fabricated && !b.IsFabricated || f.Stealer && !b.IsStealerLog {
		return false
	}
	if f.Class != "" && !slices.Contains(b.DataClasses, f.Class) {
		return false
	}
	if f.Query != "" {
		q := strings.ToLower(f.Query)
		if !strings.Contains(strings.ToLower(b.Name), q) && !strings.Contains(strings.ToLower(b.Title), q) && !strings.Contains(strings.ToLower(b.Domain), q) {
			return false
		}
	}
	return true
}

// query returns the filter as a URL query, with another sort.
func (f filter) query(sort, order string) string {
	v := url.Values{}
	for k, on := range map[string]bool{"verified": f.Verified, "fabricated": f.Fabricated, "stealer": f.Stealer} {
		if on {
			v.Set(k, "1")
		}
	}
	if f.Class != "" {
		v.Set("class", f.Class)
	}
	if f.Query != "" {
		v.Set("q", f.Query)
	}
	v.Set("sort", sort)
	v.Set("order", order)
	return "/breaches?" + v.Encode()
}

type column struct {
	Label, Href, AriaSort string
	Sorted                bool
}

type breachesPage struct {
	page
	F             filter
	Filtered      bool
	Total         int
	TotalAccounts string
	Rows          []breachView
	Columns       []column
	ClassNames    []string
	Timeline      template.HTML
	Classes       template.HTML
}

func (h *Handler) serveBreaches(w http.ResponseWriter, r *http.Request) {
	all, err := h.cfg.Backend.Breaches(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	all = slices.DeleteFunc(all, func(b catalog.Breach) bool { return b.IsRetired })
	f := parseFilter(r.URL.Query())
	p := breachesPage{page: page{"Breaches", "breaches"}, F: f, Filtered: f.active(), Total: len(all)}
	var total int64
	var rows []catalog.Breach
	for _, b := range all {
		total += b.PwnCount
		if f.keeps(b) {
			rows = append(rows, b)
		}
	}
	p.TotalAccounts = svgchart.Format(float64(total))
	slices.SortStableFunc(rows, func(a, b catalog.Breach) int {
		var c int
		switch f.Sort {
		case "name":
			c = cmp.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title))
		case "date":
			c = cmp.Compare(a.BreachDate, b.BreachDate)
		case "accounts":
			c = cmp.Compare(a.PwnCount, b.PwnCount)
		default:
			c = a.AddedDate.Compare(b.AddedDate.Time)
		}
		if f.Order == "desc" {
			c = -c
		}
		return cmp.Or(c, cmp.Compare(a.Name, b.Name))
	})
	for _, b := range rows {
		p.Rows = append(p.Rows, view(b))
	}
	for _, c := range []struct{ key, label string }{{"name", "Breach"}, {"date", "Breach date"}, {"added", "Added"}, {"accounts", "Accounts"}} {
		col := column{Label: c.label, Sorted: f.Sort == c.key}
		order := "desc"
		if c.key == "name" {
			order = "asc"
		}
		if col.Sorted {
			col.AriaSort = map[string]string{"asc": "ascending", "desc": "descending"}[f.Order]
			order = map[string]string{"asc": "desc", "desc": "asc"}[f.Order]
		}
		col.Href = f.query(c.key, order)
		p.Columns = append(p.Columns, col)
	}
	seen := map[string]bool{}
	for _, b := range all {
		for _, c := range b.DataClasses {
			if !seen[c] {
				seen[c] = true
				p.ClassNames = append(p.ClassNames, c)
			}
		}
	}
	slices.Sort(p.ClassNames)
	p.Timeline, p.Classes = timelineChart(rows), classChart(rows)
	h.render(w, r, http.StatusOK, "breaches", p)
}

// yearOf returns the year of a YYYY-MM-DD date, or "" if it has none.
func yearOf(date string) string {
	if len(date) >= 4 {
		if _, err := strconv.Atoi(date[:4]); err == nil {
			return date[:4]
		}
	}
	return ""
}
