#!/usr/bin/env bash
# Import throughput of leakwatch against two peers on the same files, in the
# same run: `LC_ALL=C sort -u` (a floor for deduplication) and PostgreSQL
# COPY into a table plus CREATE INDEX on the email column (what an analyst
# would otherwise do). Prints a markdown table with ratios.
#
#   bash bench/import.sh                         # 1M, 10M, 50M combolist rows; 5M CSV rows
#   COMBO_ROWS="1000000" CSV_ROWS=500000 bash bench/import.sh   # a quick run
#   COMBO_ROWS= CSV_ROWS=0 ARCHIVE_ROWS=1000000 bash bench/import.sh   # only the archive table
#
# A second table (ARCHIVE_ROWS, default 1M; 0 skips it) imports one combolist
# plain, as .xz (xz -6) and as .7z (7z -mx=5, LZMA2), and compares each with
# the plain file and with the external decompressor piped into
# `leakwatch import -` (`xz -dc FILE |`, `7z x -so FILE |`), in the same run.
#
# Needs: go, GNU time (/usr/bin/time), PostgreSQL on 127.0.0.1:5432 (trust auth,
# database "test"). Scratch space: OUT (default bench/out), about 120 bytes per row.
set -euo pipefail
cd "$(dirname "$0")/.."
COMBO_ROWS=${COMBO_ROWS-"1000000 10000000 50000000"}
CSV_ROWS=${CSV_ROWS:-5000000}
ARCHIVE_ROWS=${ARCHIVE_ROWS:-1000000}
OUT=${OUT:-bench/out}
PGURL=${PGURL:-postgresql://127.0.0.1:5432/test}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
if [ "$ARCHIVE_ROWS" -gt 0 ] && ! { command -v xz && command -v 7z; } >/dev/null; then
  apt-get update -qq && apt-get install -y -qq xz-utils p7zip-full
fi
go build -o "$OUT/leakwatch" ./cmd/leakwatch
LW="$OUT/leakwatch"

# measure CMD...: sets SECS, CPU_S (user + system CPU seconds of it and its
# children: less disturbed than SECS on a busy machine) and RSS_MB (peak
# resident set size)
measure() {
  /usr/bin/time -f "%e %M %U %S" -o "$OUT/time.txt" "$@" >"$OUT/cmd.log" 2>&1 || { cat "$OUT/cmd.log"; exit 1; }
  local user sys
  read -r SECS KB user sys <"$OUT/time.txt"
  RSS_MB=$((KB / 1024))
  CPU_S=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
}

psql_q() { psql "$PGURL" -v ON_ERROR_STOP=1 -q "$@"; }

rows_per_s() { awk -v r="$1" -v s="$2" 'BEGIN { printf "%.0f", r / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

results=()
run_case() { # name format rows file
  local name=$1 format=$2 rows=$3 file=$4
  local data="$OUT/data-$name"
  rm -rf "$data"
  measure "$LW" --data "$data" import --quiet --breach "Bench$name" "$file"
  local lw_s=$SECS lw_rss=$RSS_MB
  local store_bytes
  store_bytes=$(du -sb "$data/store" | cut -f1)
  local bpr
  bpr=$(awk -v b="$store_bytes" -v r="$rows" 'BEGIN { printf "%.0f", b / r }')
  rm -rf "$data"

  measure env LC_ALL=C sort -u -S 512M -T "$OUT" -o "$OUT/sorted.txt" "$file"
  local sort_s=$SECS sort_rss=$RSS_MB
  rm -f "$OUT/sorted.txt"

  local pg_s
  if [ "$format" = combo ]; then
    psql_q -c "DROP TABLE IF EXISTS bench_combo; CREATE UNLOGGED TABLE bench_combo (line text)"
    local t0 t1
    t0=$(date +%s.%N)
    psql_q -c "\\copy bench_combo (line) FROM '$file' WITH (FORMAT csv, DELIMITER E'\\x01', QUOTE E'\\x02', ENCODING 'LATIN1')"
    psql_q -c "CREATE INDEX ON bench_combo (lower(substring(line from '^[^:;| \\t]+')))"
    t1=$(date +%s.%N)
    psql_q -c "DROP TABLE bench_combo"
  else
    local cols
    cols=$(head -1 "$file" | sed 's/^\xEF\xBB\xBF//; s/\r$//' | tr ',' '\n' | sed 's/"//g; s/.*/"&" text/' | paste -sd, -)
    psql_q -c "DROP TABLE IF EXISTS bench_csv; CREATE UNLOGGED TABLE bench_csv ($cols)"
    local email_col
    email_col=$(head -1 "$file" | sed 's/^\xEF\xBB\xBF//; s/\r$//' | tr ',' '\n' | sed 's/"//g' | grep -i -m1 'mail')
    t0=$(date +%s.%N)
    psql_q -c "\\copy bench_csv FROM '$file' WITH (FORMAT csv, HEADER true, ENCODING 'LATIN1')"
    psql_q -c "CREATE INDEX ON bench_csv (lower(\"$email_col\"))"
    t1=$(date +%s.%N)
    psql_q -c "DROP TABLE bench_csv"
  fi
  pg_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')

  results+=("| $name | $rows | $lw_s | $(rows_per_s "$rows" "$lw_s") | $lw_rss | $bpr | $sort_s | $(ratio "$lw_s" "$sort_s") | $pg_s | $(ratio "$lw_s" "$pg_s") |")
  printf '%s\n' "${results[-1]}"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(go version | cut -d' ' -f3)"
for n in ${COMBO_ROWS}; do
  f="$OUT/combo-$n.txt"
  [ -f "$f" ] || "$LW" gen --format combo --rows "$n" --seed 1 --out "$f"
  run_case "combo-$n" combo "$n" "$f"
  rm -f "$f"
done
if [ "$CSV_ROWS" -gt 0 ]; then
  f="$OUT/customers-$CSV_ROWS.csv"
  [ -f "$f" ] || "$LW" gen --format csv --rows "$CSV_ROWS" --seed 2 --out "$f"
  run_case "csv-$CSV_ROWS" csv "$CSV_ROWS" "$f"
  rm -f "$f"
fi

archive_results=()
archive_case() { # name rows file pipe-command...; the first case is the plain file, the others' base
  local name=$1 rows=$2 file=$3
  shift 3
  local data="$OUT/data-$name"
  rm -rf "$data"
  measure "$LW" --data "$data" import --quiet --breach "Bench$name" "$file"
  local lw_s=$SECS lw_rss=$RSS_MB lw_cpu=$CPU_S
  [ -n "${plain_s:-}" ] || plain_s=$lw_s plain_cpu=$CPU_S
  rm -rf "$data"
  local pipe_s="-" pipe_ratio="-" pipe_cpu="-" pipe_cpu_ratio="-"
  if [ $# -gt 0 ]; then
    measure bash -c "$* | \"$LW\" --data \"$data\" import --quiet --breach Bench$name -"
    pipe_s=$SECS pipe_ratio=$(ratio "$lw_s" "$SECS") pipe_cpu=$CPU_S pipe_cpu_ratio=$(ratio "$lw_cpu" "$CPU_S")
    rm -rf "$data"
  fi
  local mb
  mb=$(du -m "$file" | cut -f1)
  archive_results+=("| $name | $rows | $mb | $lw_s | $(rows_per_s "$rows" "$lw_s") | $lw_rss | $(ratio "$lw_s" "$plain_s") | $pipe_s | $pipe_ratio | $lw_cpu | $(ratio "$lw_cpu" "$plain_cpu") | $pipe_cpu | $pipe_cpu_ratio |")
  printf '%s\n' "${archive_results[-1]}"
}
if [ "$ARCHIVE_ROWS" -gt 0 ]; then
  f="$OUT/archive-$ARCHIVE_ROWS.txt"
  [ -f "$f" ] || "$LW" gen --format combo --rows "$ARCHIVE_ROWS" --seed 3 --out "$f"
  rm -f "$f.xz" "$f.7z"
  xz -6 -T1 -k "$f"
  7z a -bd -mx=5 -mmt=off "$f.7z" "$f" >/dev/null
  plain_s= plain_cpu=
  archive_case plain "$ARCHIVE_ROWS" "$f" cat "$f"
  archive_case xz "$ARCHIVE_ROWS" "$f.xz" xz -dc "$f.xz"
  archive_case 7z "$ARCHIVE_ROWS" "$f.7z" 7z x -so "$f.7z"
  rm -f "$f" "$f.xz" "$f.7z"
fi

if [ ${#archive_results[@]} -gt 0 ]; then
  echo
  echo "| input | rows | file MB | leakwatch s | rows/s | peak RSS MiB | ratio to plain | decompressor \| import - s | ratio to the pipe | leakwatch CPU s | CPU ratio to plain | pipe CPU s | CPU ratio to the pipe |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${archive_results[@]}"
fi
[ ${#results[@]} -gt 0 ] || exit 0
echo
echo "| input | rows | leakwatch s | rows/s | peak RSS MiB | store B/row | sort -u s | ratio to sort -u | PG COPY+index s | ratio to PG |"
echo "|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${results[@]}"
