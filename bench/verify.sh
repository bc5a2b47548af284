#!/usr/bin/env bash
# Calibration of leakwatch verify (docs/verify.md): N cases of each kind of
# alleged breach that leakwatch gen --kind makes (a genuine-looking site, a
# repackage of an earlier site, a combolist stitched from three, and two
# fabrications from generators of their own), with different seeds and
# sizes from 1k to 1M rows, imported into one store beside five earlier
# sites of 50k rows; each is verified and its verdict counted. Prints the
# confusion table, precision and recall of each verdict, and the cases it
# gets wrong.
#
#   bash bench/verify.sh          # N = 50 (250 cases)
#   N=5 bash bench/verify.sh      # a quick run
#
# Needs: go.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-50}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
LEAKWATCH_CALIBRATE=$N LEAKWATCH_CALIBRATE_OUT=$out go test -run 'TestCalibration$' -count 1 -timeout 120m ./internal/verify/ >/dev/null
cat "$out"
