package verify

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/leakgen"
	"github.com/leakwatch/leakwatch/internal/vault"
)

// want is the verdict each generated kind should get.
var want = map[string]string{
	leakgen.AllegedSite:      Genuine,
	leakgen.AllegedRepackage: Recycled,
	leakgen.AllegedCombolist: Combolist,
	leakgen.AllegedUniform:   Fabricated,
	leakgen.AllegedPlausible: Fabricated,
}

// baseSeeds are the sites already in the store that repackages and
// combolists are made from.
var baseSeeds = []uint64{101, 102, 103, 104, 105}

const baseRows = 50000

// calibration imports the base sites, then n cases of every kind with
// different seeds and sizes, verifies each and counts verdicts by kind.
func calibration(t *testing.T, n int, sizes []int64) (counts map[string]map[string]int, wrong []string) {
	t.Helper()
	dir, st, kr := openStore(t)
	open := vault.New(st, kr, nil).Open
	imp := func(name, date string, o leakgen.AllegedOptions) {
		t.Helper()
		var b bytes.Buffer
		if _, err := leakgen.GenerateAlleged(ctx, &b, o); err != nil {
			t.Fatal(err)
		}
		importData(t, st, kr, dir, name, date, b.Bytes())
	}
	for _, s := range baseSeeds {
		imp(fmt.Sprint("Base", s), "2019-01-01", leakgen.AllegedOptions{Kind: leakgen.AllegedSite, Rows: baseRows, Seed: s})
	}
	counts = map[string]map[string]int{}
	for i := range n {
		for k, kind := range leakgen.AllegedKinds() {
			seed := uint64(1000 + 10*i + k)
			o := leakgen.AllegedOptions{Kind: kind, Rows: sizes[i%len(sizes)], Seed: seed, SiteRows: baseRows}
			switch kind {
			case leakgen.AllegedRepackage:
				o.Of = []uint64{baseSeeds[i%len(baseSeeds)]}
				o.Rows = min(o.Rows, baseRows)
			case leakgen.AllegedCombolist:
				o.Of = []uint64{baseSeeds[i%5], baseSeeds[(i+1)%5], baseSeeds[(i+2)%5]}
			}
			name := fmt.Sprintf("Case-%s-%d", kind, i)
			imp(name, "2025-06-01", o)
			r, err := Breach(ctx, st, name, open, nil)
			if err != nil {
				t.Fatal(err)
			}
			if counts[kind] == nil {
				counts[kind] = map[string]int{}
			}
			counts[kind][r.Verdict.Kind]++
			if r.Verdict.Kind != want[kind] {
				wrong = append(wrong, fmt.Sprintf("%s (%d rows): %s: %s", name, o.Rows, r.Verdict.Kind, strings.Join(r.Verdict.Reasons, "; ")))
			}
		}
	}
	return counts, wrong
}

// TestVerdictTable: two cases of every kind get their verdict.
func TestVerdictTable(t *testing.T) {
	if testing.Short() {
		t.Skip("imports a few hundred thousand generated rows")
	}
	_, wrong := calibration(t, 2, []int64{1000, 5000})
	for _, w := range wrong {
		t.Error(w)
	}
}

// TestCalibration reports precision and recall of every verdict over
// LEAKWATCH_CALIBRATE cases of every kind (sizes 1k to 1M), as a markdown
// table in LEAKWATCH_CALIBRATE_OUT (bench/verify.sh runs it).
func TestCalibration(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("LEAKWATCH_CALIBRATE"))
	if n <= 0 {
		t.Skip("LEAKWATCH_CALIBRATE names no number of cases")
	}
	start := time.Now()
	counts, wrong := calibration(t, n, []int64{1000, 3000, 10000, 30000, 100000, 1000, 3000, 10000, 30000, 1000000})
	var b strings.Builder
	fmt.Fprintf(&b, "| generated kind | cases | %s | %s | %s | %s | %s |\n|---|---|---|---|---|---|---|\n", Genuine, Recycled, Combolist, Fabricated, Inconclusive)
	verdicts := []string{Genuine, Recycled, Combolist, Fabricated, Inconclusive}
	predicted := map[string]int{}
	for _, kind := range leakgen.AllegedKinds() {
		fmt.Fprintf(&b, "| %s | %d", kind, n)
		for _, v := range verdicts {
			fmt.Fprintf(&b, " | %d", counts[kind][v])
			predicted[v] += counts[kind][v]
		}
		b.WriteString(" |\n")
	}
	fmt.Fprintf(&b, "\n| verdict | precision | recall |\n|---|---|---|\n")
	for _, v := range verdicts[:4] {
		correct, actual := 0, 0
		for _, kind := range leakgen.AllegedKinds() {
			if want[kind] == v {
				correct += counts[kind][v]
				actual += n
			}
		}
		prec := "-"
		if predicted[v] > 0 {
			prec = fmt.Sprintf("%.2f", float64(correct)/float64(predicted[v]))
		}
		fmt.Fprintf(&b, "| %s | %s | %.2f |\n", v, prec, float64(correct)/float64(actual))
	}
	fmt.Fprintf(&b, "\n%d cases in %s; wrong: %d\n", n*len(want), time.Since(start).Round(time.Second), len(wrong))
	for _, w := range wrong {
		fmt.Fprintf(&b, "- %s\n", w)
	}
	t.Log("\n" + b.String())
	if out := os.Getenv("LEAKWATCH_CALIBRATE_OUT"); out != "" {
		if err := os.WriteFile(out, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
