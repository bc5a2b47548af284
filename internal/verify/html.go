package verify

import (
	"fmt"
	"html/template"
	"io"
	"maps"
	"slices"

	"github.com/leakwatch/leakwatch/internal/evidence"
	"github.com/leakwatch/leakwatch/internal/svgchart"
)

// WriteHTML writes the report as one self-contained HTML page: its styles
// inline in a <style> element, its figures as inline SVG, no script and
// nothing fetched from anywhere.
func WriteHTML(w io.Writer, r *Report) error {
	data := struct {
		R       *Report
		Overlap template.HTML
		Lengths template.HTML
		Domains template.HTML
		Classes template.HTML
	}{R: r}
	var bars []svgchart.Bar
	for _, o := range r.Others[:min(12, len(r.Others))] {
		bars = append(bars, svgchart.Bar{Label: o.Breach, Value: 100 * max(o.PairShare, o.AccountShare)})
	}
	data.Overlap = svgchart.Bars("Share of the breach held by each other breach (%)", bars, svgchart.Options{ID: "overlap"})
	if in := r.Internal; in != nil {
		var ds []svgchart.Bar
		for _, d := range in.TopDomains {
			ds = append(ds, svgchart.Bar{Label: d.Value, Value: 100 * d.Share})
		}
		data.Domains = svgchart.Bars("Most common email domains (% of addresses)", ds, svgchart.Options{ID: "domains"})
		var cs []svgchart.Bar
		for _, c := range slices.Sorted(maps.Keys(in.Completeness)) {
			cs = append(cs, svgchart.Bar{Label: c, Value: 100 * in.Completeness[c]})
		}
		data.Classes = svgchart.Bars("Rows holding each data class (%)", cs, svgchart.Options{ID: "classes"})
		var labels []string
		var counts []float64
		for i, n := range in.Lengths {
			label := fmt.Sprint(i)
			if i == evidence.MaxLength {
				label += "+"
			}
			labels, counts = append(labels, label), append(counts, float64(n))
		}
		data.Lengths = svgchart.Timeline("Password lengths", labels, svgchart.Series{Name: "Passwords", Values: counts}, svgchart.Series{}, svgchart.Options{ID: "lengths"})
	}
	return reportPage.Execute(w, data)
}

var reportPage = template.Must(template.New("report").Funcs(template.FuncMap{
	"pct": func(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) },
}).Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Verification of {{.R.Breach}}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 1rem auto; padding: 0 1rem; color: #1a1a1a; line-height: 1.5; }
h1 { font-size: 1.6rem; } .verdict { font-size: 1.25rem; font-weight: 700; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #ccd; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0; } svg { width: 100%; height: auto; }
svg.chart .bar { fill: #1f4e79; } svg.chart .line { stroke: #a4161a; fill: none; } svg.chart .point { fill: #a4161a; }
svg.chart .axis { stroke: #6b7785; } svg.chart .grid { stroke: #e1e5ea; } svg text { font-size: 12px; fill: #1a1a1a; }
</style>
</head>
<body>
<h1>Is {{.R.Breach}} real?</h1>
<p class="verdict">{{.R.Verdict.Kind}}{{with .R.Verdict.From}} from {{.}}{{end}} (confidence {{.R.Verdict.Confidence}})</p>
<ul>{{range .R.Verdict.Reasons}}<li>{{.}}</li>{{end}}</ul>
{{with .R.Verdict.Suggest}}<p>Suggested catalog flag: <code>--{{.}}</code> (<code>leakwatch breach set {{$.R.Breach}} --{{.}}</code>); verify never sets one.</p>{{end}}
<h2>Recycling</h2>
<p>{{.R.Accounts}} accounts ({{.R.SharedAccounts}} in other breaches), {{.R.Pairs}} credential pairs ({{.R.SharedPairs}} in other breaches).</p>
<figure>{{.Overlap}}</figure>
<table><thead><tr><th>Other breach</th><th>Breach date</th><th></th><th class="num">Accounts</th><th class="num">Pairs</th></tr></thead>
<tbody>{{range .R.Others}}<tr><td>{{.Breach}}</td><td>{{.BreachDate}}</td><td>{{if .Earlier}}earlier{{else}}later{{end}}</td><td class="num">{{pct .AccountShare}}</td><td class="num">{{pct .PairShare}}</td></tr>{{else}}<tr><td colspan="5">No other breach shares anything.</td></tr>{{end}}</tbody></table>
{{with .R.Internal}}
<h2>Internal evidence</h2>
<p>{{.Rows}} rows ({{pct .Duplicates}} repeat another); {{.Passwords}} passwords, the 10 most common {{pct .Top10Share}} of them; rank-frequency slope {{printf "%.2f" .ZipfSlope}} (real leaks about -0.7 to -1, flat generated ones near 0); the most common length {{pct .CommonLength}}; names in the email's local part {{pct .NamesInEmail}} of {{.NamesWithEmail}} rows with both.</p>
<figure>{{$.Classes}}</figure>
<figure>{{$.Domains}}</figure>
<figure>{{$.Lengths}}</figure>
{{end}}
{{with .R.Missing}}<p>Not computed yet: {{range $i, $m := .}}{{if $i}}, {{end}}{{$m}}{{end}}.</p>{{end}}
</body>
</html>
`))
