package svgchart

import (
	"encoding/xml"
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// node is an XML element, decoded generically.
type node struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Children []node     `xml:",any"`
	Text     string     `xml:",chardata"`
}

func (n node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (n node) walk(f func(node)) {
	f(n)
	for _, c := range n.Children {
		c.walk(f)
	}
}

// parse decodes out as strict XML and checks what every chart must have.
func parse(t *testing.T, out template.HTML) node {
	t.Helper()
	var root node
	d := xml.NewDecoder(strings.NewReader(string(out)))
	d.Strict = true
	if err := d.Decode(&root); err != nil {
		t.Fatalf("not well-formed XML: %v\n%s", err, out)
	}
	if root.XMLName.Local != "svg" || root.attr("role") != "img" || root.attr("viewBox") == "" || root.attr("width") != "100%" {
		t.Errorf("root element: want <svg role=img viewBox=... width=100%%>, got %v %v", root.XMLName, root.Attrs)
	}
	if !strings.Contains(" "+root.attr("class")+" ", " chart ") {
		t.Errorf("svg class %q lacks chart", root.attr("class"))
	}
	if len(root.Children) < 2 || root.Children[0].XMLName.Local != "title" || root.Children[1].XMLName.Local != "desc" {
		t.Fatalf("want <title> then <desc> first")
	}
	root.walk(func(n node) {
		if n.XMLName.Local == "style" || n.XMLName.Local == "script" || n.XMLName.Local == "foreignObject" {
			t.Errorf("forbidden element <%s>", n.XMLName.Local)
		}
		for _, a := range n.Attrs {
			switch a.Name.Local {
			case "style", "font-family", "href", "src":
				t.Errorf("forbidden attribute %s on <%s>", a.Name.Local, n.XMLName.Local)
			}
			if strings.HasPrefix(a.Name.Local, "on") {
				t.Errorf("event handler attribute %s", a.Name.Local)
			}
		}
	})
	if strings.Contains(string(out), "style=") || strings.Contains(string(out), "url(") {
		t.Errorf("output has style= or url(")
	}
	return root
}

func elems(root node, name, class string) []node {
	var out []node
	root.walk(func(n node) {
		if n.XMLName.Local == name && (class == "" || strings.Contains(" "+n.attr("class")+" ", " "+class+" ")) {
			out = append(out, n)
		}
	})
	return out
}

func float(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("bad number %q", s)
	}
	return f
}

func TestBars(t *testing.T) {
	bars := []Bar{{"Email addresses", 1000}, {"Passwords", 500}, {"Dates of birth", 250}, {"Zero", 0}, {"Negative", -5}}
	out := Bars("Most common data classes", bars, Options{})
	root := parse(t, out)
	if got := root.Children[0].Text; got != "Most common data classes" {
		t.Errorf("title %q", got)
	}
	if got, want := root.Children[1].Text, "Email addresses: 1,000; Passwords: 500; Dates of birth: 250; Zero: 0; Negative: 0."; got != want {
		t.Errorf("desc %q, want %q", got, want)
	}
	rects := elems(root, "rect", "bar")
	if len(rects) != len(bars) {
		t.Fatalf("%d bars, want %d", len(rects), len(bars))
	}
	w0 := float(t, rects[0].attr("width"))
	if w0 <= 0 {
		t.Fatalf("largest bar has width %v", w0)
	}
	for i, r := range rects {
		want := w0 * math.Max(bars[i].Value, 0) / bars[0].Value
		if got := float(t, r.attr("width")); math.Abs(got-want) > 0.02 {
			t.Errorf("bar %d: width %v, want %v (proportional)", i, got, want)
		}
		if r.attr("x") != rects[0].attr("x") {
			t.Errorf("bar %d does not start where the others do", i)
		}
	}
	var labels, values []string
	for _, n := range elems(root, "text", "label") {
		labels = append(labels, n.Text)
	}
	for _, n := range elems(root, "text", "value") {
		values = append(values, n.Text)
	}
	if diff := cmp.Diff([]string{"Email addresses", "Passwords", "Dates of birth", "Zero", "Negative"}, labels); diff != "" {
		t.Errorf("labels (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"1,000", "500", "250", "0", "0"}, values); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
}

func TestBarsLongLabel(t *testing.T) {
	long := strings.Repeat("Very long breach name ", 5)
	root := parse(t, Bars("t", []Bar{{long, 1}}, Options{}))
	got := elems(root, "text", "label")[0].Text
	if !strings.HasSuffix(got, "…") || len([]rune(got)) > maxLabelLen {
		t.Errorf("label drawn as %q, want it shortened with an ellipsis", got)
	}
	if !strings.Contains(root.Children[1].Text, strings.TrimSpace(long)) {
		t.Errorf("desc does not have the whole label")
	}
}

func TestTimeline(t *testing.T) {
	labels := []string{"2019", "2020", "2021", "2022"}
	cols := Series{Name: "Breaches", Values: []float64{2, 4, math.NaN(), 8}}
	line := Series{Name: "Accounts", Values: []float64{1500000, 0, 3000000}}
	root := parse(t, Timeline("Breaches per year", labels, cols, line, Options{}))
	wantDesc := "2019: 2 Breaches, 1,500,000 Accounts; 2020: 4 Breaches, 0 Accounts; 2021: 3,000,000 Accounts; 2022: 8 Breaches."
	if got := root.Children[1].Text; got != wantDesc {
		t.Errorf("desc\n got %q\nwant %q", got, wantDesc)
	}
	var heights []float64
	for _, r := range elems(root, "rect", "bar") {
		if r.attr("width") == "12" { // the legend's swatch
			continue
		}
		heights = append(heights, float(t, r.attr("height")))
	}
	if len(heights) != 3 {
		t.Fatalf("%d columns, want 3 (one value missing)", len(heights))
	}
	if math.Abs(heights[0]*2-heights[1]) > 0.02 || math.Abs(heights[0]*4-heights[2]) > 0.02 {
		t.Errorf("column heights %v not proportional to 2, 4, 8", heights)
	}
	if n := len(elems(root, "circle", "point")); n != 4 { // 3 points and the legend's
		t.Errorf("%d points, want 4", n)
	}
	if n := len(elems(root, "polyline", "line")); n != 1 {
		t.Errorf("%d polylines, want 1", n)
	}
	if len(elems(root, "text", "tick-right")) == 0 {
		t.Errorf("no right-hand axis")
	}
	var legend []string
	for _, n := range elems(root, "text", "legend") {
		legend = append(legend, n.Text)
	}
	if diff := cmp.Diff([]string{"Breaches", "Accounts"}, legend); diff != "" {
		t.Errorf("legend (-want +got):\n%s", diff)
	}
}

func TestColumns(t *testing.T) {
	root := parse(t, Columns("Per year", []Bar{{"2020", 3}, {"2021", 6}}, Options{}))
	rects := elems(root, "rect", "bar")
	if len(rects) != 2 || math.Abs(2*float(t, rects[0].attr("height"))-float(t, rects[1].attr("height"))) > 0.02 {
		t.Errorf("columns %v", rects)
	}
	if len(elems(root, "text", "tick-right")) != 0 || len(elems(root, "text", "legend")) != 0 {
		t.Errorf("a chart without a line has a right-hand axis or a legend")
	}
}

func TestManyLabelsThinned(t *testing.T) {
	var bars []Bar
	for y := 1990; y < 2030; y++ {
		bars = append(bars, Bar{strconv.Itoa(y), float64(y % 7)})
	}
	root := parse(t, Columns("Per year", bars, Options{}))
	if n := len(elems(root, "text", "label")); n >= len(bars) || n == 0 {
		t.Errorf("%d of %d labels drawn, want fewer but some", n, len(bars))
	}
}

func TestEscaping(t *testing.T) {
	evil := "<script>&\"'\x00\x1b\n]]>"
	charts := map[string]template.HTML{
		"bars":     Bars(evil, []Bar{{evil, 1}}, Options{ID: evil, Class: evil}),
		"timeline": Timeline(evil, []string{evil}, Series{evil, []float64{1}}, Series{evil, []float64{2}}, Options{ID: evil}),
		"empty":    Bars(evil, nil, Options{ID: evil}),
	}
	for name, out := range charts {
		t.Run(name, func(t *testing.T) {
			root := parse(t, out)
			if strings.Contains(string(out), "<script") || strings.Contains(string(out), "\x00") || strings.Contains(string(out), "\x1b") {
				t.Errorf("unescaped label in output:\n%s", out)
			}
			if got, want := root.Children[0].Text, "<script>&\"'\uFFFD\uFFFD ]]>"; got != want {
				t.Errorf("title decodes to %q, want %q", got, want)
			}
		})
	}
}

func TestEmpty(t *testing.T) {
	charts := map[string]template.HTML{
		"bars":              Bars("Data classes", nil, Options{}),
		"columns":           Columns("Per year", []Bar{}, Options{}),
		"timeline":          Timeline("Per year", nil, Series{}, Series{}, Options{}),
		"timeline no value": Timeline("Per year", []string{"2020"}, Series{Values: []float64{math.NaN()}}, Series{}, Options{}),
	}
	for name, out := range charts {
		t.Run(name, func(t *testing.T) {
			root := parse(t, out)
			if root.Children[1].Text != "No data." {
				t.Errorf("desc %q", root.Children[1].Text)
			}
			if e := elems(root, "text", "empty"); len(e) != 1 || e[0].Text != "No data" {
				t.Errorf("no \"No data\" text")
			}
		})
	}
}

func TestOptions(t *testing.T) {
	root := parse(t, Bars("t", []Bar{{"a", 1}}, Options{ID: "dc", Class: "wide", Width: 320}))
	if got := root.attr("aria-labelledby"); got != "dc-title dc-desc" {
		t.Errorf("aria-labelledby %q", got)
	}
	if root.Children[0].attr("id") != "dc-title" || root.Children[1].attr("id") != "dc-desc" {
		t.Errorf("title and desc ids not set")
	}
	if got := root.attr("class"); got != "chart chart-bars wide" {
		t.Errorf("class %q", got)
	}
	if got := root.attr("viewBox"); !strings.HasPrefix(got, "0 0 320 ") {
		t.Errorf("viewBox %q, want width 320", got)
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {1234567, "1,234,567"},
		{12345678901, "12,345,678,901"}, {1234.5, "1,234.5"}, {0.126, "0.13"}, {2.004, "2"},
		{-1234, "-1,234"}, {-0.001, "0"},
	}
	for _, tt := range tests {
		if got := Format(tt.v); got != tt.want {
			t.Errorf("Format(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestNiceScale(t *testing.T) {
	tests := []struct {
		hi              float64
		whole           bool
		wantTop, wantSt float64
	}{
		{0, true, 1, 1}, {1, true, 1, 1}, {3, true, 3, 1}, {8, true, 8, 2}, {9, true, 10, 5}, {37, true, 40, 10},
		{1, false, 1, 0.5}, {1234567, true, 1500000, 500000},
		{math.MaxFloat64, true, math.MaxFloat64, math.MaxFloat64},
		{5e-324, false, 5e-324, 5e-324},
	}
	for _, tt := range tests {
		top, step := niceScale(tt.hi, tt.whole)
		if top != tt.wantTop || step != tt.wantSt {
			t.Errorf("niceScale(%v, %v) = %v, %v, want %v, %v", tt.hi, tt.whole, top, step, tt.wantTop, tt.wantSt)
		}
	}
}

func ExampleBars() {
	out := Bars("Most common data classes", []Bar{{"Email addresses", 1200}, {"Passwords", 800}}, Options{})
	fmt.Println(strings.Contains(string(out), `<desc>Email addresses: 1,200; Passwords: 800.</desc>`))
	// Output: true
}

// FuzzCharts checks that any label, title and value give well-formed XML
// with the label text intact apart from replaced characters.
func FuzzCharts(f *testing.F) {
	f.Add("Passwords", "Breaches per year", 12.5)
	f.Add("<script>&\"'", "\x00\xff]]>", -1.0)
	f.Add("", "", math.Inf(1))
	f.Add("x", "y", math.MaxFloat64)
	f.Add("x", "y", 5e-324)
	f.Fuzz(func(t *testing.T, label, title string, v float64) {
		for _, out := range []template.HTML{
			Bars(title, []Bar{{label, v}, {label, 1}}, Options{ID: label}),
			Timeline(title, []string{label, label}, Series{label, []float64{v, 2}}, Series{label, []float64{1, v}}, Options{}),
			Timeline(title, []string{label}, Series{label, []float64{v}}, Series{label, []float64{v}}, Options{}),
		} {
			d := xml.NewDecoder(strings.NewReader(string(out)))
			var root node
			if err := d.Decode(&root); err != nil {
				t.Fatalf("not well-formed XML: %v\n%s", err, out)
			}
			if strings.Contains(string(out), "style=") {
				t.Fatalf("style attribute")
			}
		}
	})
}
