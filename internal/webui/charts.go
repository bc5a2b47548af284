package webui

import (
	"cmp"
	"html/template"
	"slices"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/svgchart"
)

// timelineChart draws breaches (columns) and accounts (line) per year of
// the breach date.
func timelineChart(bs []catalog.Breach) template.HTML {
	count, accounts := map[string]float64{}, map[string]float64{}
	var years []string
	for _, b := range bs {
		y := yearOf(b.BreachDate)
		if y == "" {
			continue
		}
		if _, ok := count[y]; !ok {
			years = append(years, y)
		}
		count[y]++
		accounts[y] += float64(b.PwnCount)
	}
	slices.Sort(years)
	cols, line := svgchart.Series{Name: "Breaches"}, svgchart.Series{Name: "Accounts"}
	for _, y := range years {
		cols.Values = append(cols.Values, count[y])
		line.Values = append(line.Values, accounts[y])
	}
	return svgchart.Timeline("Breaches and accounts by year of the breach", years, cols, line, svgchart.Options{ID: "timeline"})
}

// classChart draws the ten data classes the most breaches exposed.
func classChart(bs []catalog.Breach) template.HTML {
	n := map[string]float64{}
	for _, b := range bs {
		for _, c := range b.DataClasses {
			n[c]++
		}
	}
	var bars []svgchart.Bar
	for c, v := range n {
		bars = append(bars, svgchart.Bar{Label: c, Value: v})
	}
	slices.SortFunc(bars, func(a, b svgchart.Bar) int {
		return cmp.Or(cmp.Compare(b.Value, a.Value), cmp.Compare(a.Label, b.Label))
	})
	if len(bars) > 10 {
		bars = bars[:10]
	}
	return svgchart.Bars("The most common data classes (breaches exposing each)", bars, svgchart.Options{ID: "classes"})
}
