#!/usr/bin/env bash
# leakwatch verify at scale: a claimed breach of CLAIM rows (a repackage of
# an earlier leak, with 10% noise) verified against a store of ROWS
# accounts in all. Prints the verify time and peak memory, and the import
# times for reference. Resumable: the generated files and the store stay in
# DIR (default /tmp/lw-verify-scale) until removed.
#
#   bash bench/verify_scale.sh                          # 100M rows, a 10M-row claim
#   ROWS=10000000 CLAIM=1000000 bash bench/verify_scale.sh
#
# Needs: go, /usr/bin/time; about 25 GB of disk at 100M rows.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-100000000}
CLAIM=${CLAIM:-10000000}
DIR=${DIR:-/tmp/lw-verify-scale}
mkdir -p "$DIR"
go build -o "$DIR/leakwatch" ./cmd/leakwatch
lw="$DIR/leakwatch"
base=$((ROWS - CLAIM))
[ -s "$DIR/base.txt" ] || "$lw" gen --format combo --rows "$base" --seed 1 --out "$DIR/base.txt"
[ -s "$DIR/claim.txt" ] || "$lw" gen --kind repackage --of 1 --site-rows "$base" --rows "$CLAIM" --seed 2 --out "$DIR/claim.txt"
t_import() {
	local s; s=$(date +%s.%N)
	"$lw" --data "$DIR/data" import --quiet --breach "$1" --date "$2" "$3" >/dev/null || true
	echo "$(date +%s.%N) - $s" | bc -l
}
base_s=$(t_import Base 2019-01-01 "$DIR/base.txt")
claim_s=$(t_import Claim 2025-01-01 "$DIR/claim.txt")
/usr/bin/time -f '%e %M' -o "$DIR/time.txt" "$lw" --data "$DIR/data" verify --breach Claim --json > "$DIR/report.json"
read -r secs kib < "$DIR/time.txt"
verdict=$(grep -m1 '"kind"' "$DIR/report.json" | sed -E 's/.*"kind": "([^"]*)".*/\1/')
printf '| store accounts | claimed breach rows | verify wall | verify peak RSS | verdict | import of the base | import of the claim |\n|---|---|---|---|---|---|---|\n'
printf '| %d | %d | %.1f s | %.0f MiB | %s | %.0f s | %.0f s |\n' "$ROWS" "$CLAIM" "$secs" "$(echo "$kib / 1024" | bc -l)" "$verdict" "$base_s" "$claim_s"
