// Package svgchart draws small charts as inline SVG on the server: no
// JavaScript, no external fonts or requests, nothing a strict Content
// Security Policy blocks. The web UI uses it for "most common data classes"
// (Bars) and "breaches per year" (Columns, Timeline).
//
// A chart is an <svg role="img"> with a <title> (the chart's title) and a
// <desc> that states every value as text, for screen readers. It has a
// viewBox and width="100%", so it scales to its container, and no fixed
// height. Colours, strokes and fonts come from the page's stylesheet
// through CSS classes; the SVG carries no style attributes and no <style>
// element, and never sets font-family, so text inherits the page's font:
//
//	svg.chart      the chart (with chart-bars, chart-columns or chart-timeline,
//	               and chart-empty when it has no data)
//	g.row          one bar of a bar chart: its label, bar and value
//	.bar           a bar or column (the first series)
//	.line          the line of the second series (Timeline)
//	.point         a point on that line
//	.axis          an axis line
//	.grid          a horizontal grid line
//	.label         a category label (left of a bar, below a column)
//	.value         a value printed at the end of a bar
//	.tick          an axis tick label (.tick-right: the right-hand axis)
//	.legend        a legend entry's text
//	.empty         the "No data" text of a chart without data
//
// Labels are data (breach names, data class names): every label and title
// is escaped, characters XML forbids are replaced with U+FFFD, and long
// labels are shortened on the chart (never in the <desc>).
package svgchart

import (
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Bar is one category and its value. A negative, NaN or infinite value is
// drawn as 0.
type Bar struct {
	Label string
	Value float64
}

// Series is a named list of values, matched by index to a chart's labels.
// A missing value (the list is shorter than the labels) or a NaN is drawn
// as no column or no point; a negative one as 0.
type Series struct {
	Name   string
	Values []float64
}

// Options tunes a chart. The zero value is ready to use.
type Options struct {
	// ID, when set, gives the <title> and <desc> the ids ID+"-title" and
	// ID+"-desc" and the <svg> an aria-labelledby naming both. It must be
	// unique on the page.
	ID string
	// Class is added to the <svg>'s class attribute, after "chart
	// chart-KIND".
	Class string
	// Width is the width of the viewBox in user units (default 640). The
	// chart scales to its container whatever the Width; a smaller Width
	// makes the text larger relative to the chart.
	Width int
}

const (
	defaultWidth = 640
	fontSize     = 12
	charWidth    = 0.6 * fontSize // estimated advance of one character
	pad          = 8
	maxLabelLen  = 28 // runes drawn of a label before it is shortened
)

func (o Options) width() float64 {
	if o.Width <= 0 {
		return defaultWidth
	}
	return float64(max(o.Width, 160))
}

// Bars returns a horizontal bar chart of bars in the order given: labels
// on the left, each value (with thousands separators) at the end of its
// bar, bar lengths proportional to the values. No bars give a chart that
// says "No data".
func Bars(title string, bars []Bar, o Options) template.HTML {
	w := o.width()
	if len(bars) == 0 {
		return empty("chart-bars", title, w, o)
	}
	const rowH, barH = 24.0, 16.0
	labels := make([]string, len(bars))
	values := make([]string, len(bars))
	var labelLen, valueLen int
	maxV := 0.0
	var desc []string
	for i, b := range bars {
		labels[i] = shorten(b.Label)
		v := clamp(b.Value)
		values[i] = Format(v)
		labelLen = max(labelLen, utf8.RuneCountInString(labels[i]))
		valueLen = max(valueLen, utf8.RuneCountInString(values[i]))
		maxV = max(maxV, v)
		desc = append(desc, oneLine(b.Label)+": "+values[i])
	}
	labelW := min(max(float64(labelLen)*charWidth+pad, 40), w*0.4)
	valueW := float64(valueLen)*charWidth + pad
	barMax := max(w-labelW-valueW-pad, 1)
	h := float64(len(bars))*rowH + 2*pad

	var s svg
	s.open("chart-bars", title, strings.Join(desc, "; ")+".", w, h, o)
	for i, b := range bars {
		v := clamp(b.Value)
		l := 0.0
		if maxV > 0 {
			l = barMax * v / maxV
		}
		y := pad + float64(i)*rowH
		mid := y + rowH/2
		s.f(`<g class="row"><title>%s</title>`, oneLine(b.Label)+": "+values[i])
		s.f(`<text class="label" x="%s" y="%s" dy="0.35em" text-anchor="end">%s</text>`, num(labelW-pad), num(mid), labels[i])
		s.f(`<rect class="bar" x="%s" y="%s" width="%s" height="%s"/>`, num(labelW), num(y+(rowH-barH)/2), num(l), num(barH))
		s.f(`<text class="value" x="%s" y="%s" dy="0.35em">%s</text></g>`, num(labelW+l+4), num(mid), values[i])
	}
	return s.close()
}

// Columns returns a vertical column chart of bars in the order given, with
// a left-hand axis. It is Timeline without a line.
func Columns(title string, bars []Bar, o Options) template.HTML {
	labels := make([]string, len(bars))
	s := Series{Values: make([]float64, len(bars))}
	for i, b := range bars {
		labels[i], s.Values[i] = b.Label, b.Value
	}
	return chart("chart-columns", title, labels, s, Series{}, o)
}

// Timeline returns a chart of columns (say breaches per year) on a
// left-hand axis and, when line has values, a line with a point per value
// (say accounts per year) on its own right-hand axis. labels (say years)
// go below the columns; when they do not all fit, only every n-th is
// drawn. A legend names the series that have a Name. No labels, or no
// value in either series, give a chart that says "No data".
func Timeline(title string, labels []string, columns, line Series, o Options) template.HTML {
	return chart("chart-timeline", title, labels, columns, line, o)
}

func chart(kind, title string, labels []string, cols, line Series, o Options) template.HTML {
	w := o.width()
	colMax, colAny, colInt := scan(cols.Values, len(labels))
	lineMax, lineAny, lineInt := scan(line.Values, len(labels))
	if !colAny && !lineAny {
		return empty(kind, title, w, o)
	}
	h := math.Round(w / 2)
	colTop, colStep := niceScale(colMax, colInt)
	lineTop, lineStep := niceScale(lineMax, lineInt)

	tickW := func(top, step float64) float64 {
		n := 0
		for _, v := range ticks(top, step) {
			n = max(n, len(compact(v)))
		}
		return float64(n)*charWidth + 2*pad
	}
	left, right := 2.0*pad, 2.0*pad
	if colAny {
		left = tickW(colTop, colStep)
	}
	if lineAny {
		right = tickW(lineTop, lineStep)
	}
	top, bottom := 32.0, 28.0
	plotW, plotH := w-left-right, h-top-bottom
	band := plotW / float64(len(labels))
	yCol := func(v float64) float64 { return top + plotH - plotH*v/colTop }
	yLine := func(v float64) float64 { return top + plotH - plotH*v/lineTop }

	var desc []string
	for i, l := range labels {
		var parts []string
		if v, ok := at(cols.Values, i); ok {
			parts = append(parts, named(cols.Name, Format(v)))
		}
		if v, ok := at(line.Values, i); ok {
			parts = append(parts, named(line.Name, Format(v)))
		}
		if len(parts) == 0 {
			parts = append(parts, "no data")
		}
		desc = append(desc, oneLine(l)+": "+strings.Join(parts, ", "))
	}

	var s svg
	s.open(kind, title, strings.Join(desc, "; ")+".", w, h, o)

	// Legend.
	x := left
	if cols.Name != "" && colAny {
		s.f(`<rect class="bar" x="%s" y="8" width="12" height="12"/>`, num(x))
		s.f(`<text class="legend" x="%s" y="14" dy="0.35em">%s</text>`, num(x+18), oneLine(cols.Name))
		x += 18 + float64(utf8.RuneCountInString(oneLine(cols.Name)))*charWidth + 2*pad
	}
	if line.Name != "" && lineAny {
		s.f(`<line class="line" x1="%s" y1="14" x2="%s" y2="14"/>`, num(x), num(x+16))
		s.f(`<circle class="point" cx="%s" cy="14" r="3"/>`, num(x+8))
		s.f(`<text class="legend" x="%s" y="14" dy="0.35em">%s</text>`, num(x+22), oneLine(line.Name))
	}

	// Grid and axes.
	for _, v := range ticks(colTop, colStep) {
		y := yCol(v)
		if v > 0 {
			s.f(`<line class="grid" x1="%s" y1="%s" x2="%s" y2="%s"/>`, num(left), num(y), num(left+plotW), num(y))
		}
		if colAny {
			s.f(`<text class="tick" x="%s" y="%s" dy="0.35em" text-anchor="end">%s</text>`, num(left-6), num(y), compact(v))
		}
	}
	if lineAny {
		for _, v := range ticks(lineTop, lineStep) {
			s.f(`<text class="tick tick-right" x="%s" y="%s" dy="0.35em">%s</text>`, num(left+plotW+6), num(yLine(v)), compact(v))
		}
		s.f(`<line class="axis" x1="%s" y1="%s" x2="%s" y2="%s"/>`, num(left+plotW), num(top), num(left+plotW), num(top+plotH))
	}
	s.f(`<line class="axis" x1="%s" y1="%s" x2="%s" y2="%s"/>`, num(left), num(top), num(left), num(top+plotH))
	s.f(`<line class="axis" x1="%s" y1="%s" x2="%s" y2="%s"/>`, num(left), num(top+plotH), num(left+plotW), num(top+plotH))

	// Category labels, every n-th when they do not all fit.
	labelLen := 1
	for _, l := range labels {
		labelLen = max(labelLen, utf8.RuneCountInString(shorten(l)))
	}
	every := max(1, int(math.Ceil((float64(labelLen)*charWidth+pad)/band)))
	for i, l := range labels {
		if i%every == 0 {
			s.f(`<text class="label" x="%s" y="%s" dy="0.35em" text-anchor="middle">%s</text>`,
				num(left+band*(float64(i)+0.5)), num(top+plotH+bottom/2), shorten(l))
		}
	}

	// Columns.
	colW := band * 0.6
	for i, l := range labels {
		v, ok := at(cols.Values, i)
		if !ok {
			continue
		}
		y := yCol(v)
		s.f(`<rect class="bar" x="%s" y="%s" width="%s" height="%s"><title>%s</title></rect>`,
			num(left+band*float64(i)+(band-colW)/2), num(y), num(colW), num(top+plotH-y), oneLine(l)+": "+named(cols.Name, Format(v)))
	}

	// Line: one polyline per run of values without a gap, then the points.
	var pts []string
	flush := func() {
		if len(pts) > 1 {
			s.f(`<polyline class="line" fill="none" points="%s"/>`, strings.Join(pts, " "))
		}
		pts = pts[:0]
	}
	for i := range labels {
		v, ok := at(line.Values, i)
		if !ok {
			flush()
			continue
		}
		pts = append(pts, num(left+band*(float64(i)+0.5))+","+num(yLine(v)))
	}
	flush()
	for i, l := range labels {
		if v, ok := at(line.Values, i); ok {
			s.f(`<circle class="point" cx="%s" cy="%s" r="3"><title>%s</title></circle>`,
				num(left+band*(float64(i)+0.5)), num(yLine(v)), oneLine(l)+": "+named(line.Name, Format(v)))
		}
	}
	return s.close()
}

// scan returns the largest value among the first n, whether there is any,
// and whether all are whole numbers.
func scan(vs []float64, n int) (hi float64, some, whole bool) {
	whole = true
	for i := range min(n, len(vs)) {
		v, ok := at(vs, i)
		if !ok {
			continue
		}
		some = true
		hi = max(hi, v)
		whole = whole && v == math.Trunc(v)
	}
	return hi, some, whole
}

// at returns vs[i] clamped to 0 or more, and false when it is missing.
func at(vs []float64, i int) (float64, bool) {
	if i >= len(vs) || math.IsNaN(vs[i]) {
		return 0, false
	}
	return clamp(vs[i]), true
}

func clamp(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0
	}
	return v
}

// niceScale returns an axis maximum of at least hi and a round tick step
// (1, 2 or 5 times a power of ten) giving about four ticks. For whole
// numbers the step is at least 1.
func niceScale(hi float64, whole bool) (top, step float64) {
	if hi <= 0 {
		return 1, 1
	}
	rough := hi / 4
	mag := math.Pow(10, math.Floor(math.Log10(rough)))
	switch n := rough / mag; {
	case n <= 1:
		step = mag
	case n <= 2:
		step = 2 * mag
	case n <= 5:
		step = 5 * mag
	default:
		step = 10 * mag
	}
	if whole && step < 1 {
		step = 1
	}
	top = math.Ceil(hi/step) * step
	if !(step > 0) || math.IsInf(top, 0) || math.IsNaN(top) || math.IsInf(step, 0) {
		return hi, hi // at the limits of float64: one tick
	}
	return top, step
}

// ticks returns 0, step, 2*step, ... up to top.
func ticks(top, step float64) []float64 {
	n := min(int(math.Round(top/step)), 20)
	out := make([]float64, n+1)
	for k := range out {
		out[k] = float64(k) * step
	}
	return out
}

func named(name, v string) string {
	if name == "" {
		return v
	}
	return v + " " + oneLine(name)
}

// Format returns v with thousands separators, as a whole number when it
// is one and with at most two decimals otherwise: 1234567 → "1,234,567",
// 1234.5 → "1,234.5".
func Format(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', 2, 64)
	s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 && s != "0" {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}

// compact formats an axis tick: 950, 1.5k, 20M, 3B.
func compact(v float64) string {
	for _, u := range []struct {
		div    float64
		suffix string
	}{{1e9, "B"}, {1e6, "M"}, {1e3, "k"}} {
		if v >= u.div {
			s := strconv.FormatFloat(v/u.div, 'f', 1, 64)
			return strings.TrimSuffix(s, ".0") + u.suffix
		}
	}
	return Format(v)
}

// num formats a coordinate.
func num(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// oneLine returns s escaped for XML text or an attribute value, on one
// line: tabs and line breaks become spaces, and characters XML forbids
// (and invalid UTF-8) become U+FFFD.
func oneLine(s string) string {
	return html.EscapeString(strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case r == utf8.RuneError, r < 0x20, r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
			return utf8.RuneError
		}
		return r
	}, s))
}

// shorten returns the escaped label as drawn: at most maxLabelLen runes,
// the last an ellipsis when it was longer.
func shorten(s string) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > maxLabelLen {
		r := []rune(s)
		s = strings.TrimSpace(string(r[:maxLabelLen-1])) + "…"
	}
	return oneLine(s)
}

// svg builds one chart.
type svg struct{ b strings.Builder }

func (s *svg) f(format string, args ...string) {
	// Arguments are already escaped; only %s is used.
	for _, a := range args {
		i := strings.Index(format, "%s")
		s.b.WriteString(format[:i])
		s.b.WriteString(a)
		format = format[i+2:]
	}
	s.b.WriteString(format)
}

func (s *svg) open(kind, title, desc string, w, h float64, o Options) {
	class := "chart " + kind
	if o.Class != "" {
		class += " " + o.Class
	}
	s.f(`<svg xmlns="http://www.w3.org/2000/svg" class="%s" role="img" viewBox="0 0 %s %s" width="100%" font-size="%s"`,
		oneLine(class), num(w), num(h), strconv.Itoa(fontSize))
	if o.ID != "" {
		id := oneLine(o.ID)
		s.f(` aria-labelledby="%s-title %s-desc"><title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`,
			id, id, id, oneLine(title), id, desc)
		return
	}
	s.f(`><title>%s</title><desc>%s</desc>`, oneLine(title), desc)
}

func (s *svg) close() template.HTML {
	s.b.WriteString("</svg>")
	return template.HTML(s.b.String()) // every piece of data in it is escaped
}

func empty(kind, title string, w float64, o Options) template.HTML {
	var s svg
	s.open(kind+" chart-empty", title, "No data.", w, 64, o)
	s.f(`<text class="empty" x="%s" y="32" dy="0.35em" text-anchor="middle">No data</text>`, num(w/2))
	return s.close()
}
