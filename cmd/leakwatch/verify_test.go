package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestVerifyDryRun: verify --dry-run weighs files as a breach would be
// after importing them, and imports nothing.
func TestVerifyDryRun(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	site := filepath.Join(dir, "site.csv")
	claim := filepath.Join(dir, "claim.txt")
	runLeakwatch(t, "gen", "--kind", "site", "--seed", "21", "--rows", "3000", "--out", site)
	runLeakwatch(t, "gen", "--kind", "repackage", "--of", "21", "--site-rows", "3000", "--rows", "2000", "--seed", "5", "--out", claim)
	runLeakwatch(t, "--data", data, "import", "--quiet", "--breach", "Site", "--date", "2020-01-01", site)
	before := runLeakwatch(t, "--data", data, "breaches", "--json")
	report := filepath.Join(dir, "report.html")
	out := runLeakwatch(t, "--data", data, "verify", "--dry-run", "--breach", "Claimed", "--date", "2025-01-01", "--html", report, claim)
	if !strings.HasPrefix(out, "Claimed: likely recycled from Site") {
		t.Errorf("verify --dry-run:\n%s", out)
	}
	if after := runLeakwatch(t, "--data", data, "breaches", "--json"); after != before {
		t.Errorf("the dry run changed the catalog:\n%s", after)
	}
	if left, _ := filepath.Glob(filepath.Join(data, ".verify-*")); len(left) > 0 {
		t.Errorf("the dry run left %v", left)
	}
	if b, err := os.ReadFile(report); err != nil || !strings.Contains(string(b), "likely recycled from Site") {
		t.Errorf("the HTML report: %v", err)
	}
}
