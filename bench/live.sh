#!/usr/bin/env bash
# bench/live.sh - does an import running on the server starve the API? In
# one run: the p50, p99 and requests/s of /range/{random prefix} and
# /api/v3/breachedaccount/{known account} with the server idle and while it
# imports a ROWS-row combolist, and the import's rate while serving that
# load, with the server idle, and with no server at all; for each import
# priority of the server (--import-priority). Prints markdown tables with
# ratios.
#
#   bash bench/live.sh                 # a 10M-row import
#   ROWS=1000000 bash bench/live.sh    # a quick run
#
# Environment (defaults in brackets):
#   ROWS             rows of the big import                       [10000000]
#   BASE_ROWS        rows imported first, so lookups find data    [1000000]
#   DURATION         idle measurement                             [20s]
#   RANGE_CONNS      connections requesting /range                [4]
#   ACCOUNT_CONNS    connections requesting breachedaccount       [4]
#   PRIORITIES       --import-priority values, a server each      [normal low]
#   SERVE_FLAGS      extra flags of leakwatch serve               []
#   OUT              scratch space, about 120 bytes per row       [bench/out-live]
#   LW_PORT          loopback port of the API                     [18090]
#
# The load generator (bench/cmd/load) keeps every connection busy (a new
# request as soon as the last is answered) and records every latency; it
# shares the cores with the server, as wrk does in bench/serve.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-10000000}
BASE_ROWS=${BASE_ROWS:-1000000}
DURATION=${DURATION:-20s}
RANGE_CONNS=${RANGE_CONNS:-4}
ACCOUNT_CONNS=${ACCOUNT_CONNS:-4}
PRIORITIES=${PRIORITIES:-normal low}
SERVE_FLAGS=${SERVE_FLAGS:-}
OUT=${OUT:-bench/out-live}
LW_PORT=${LW_PORT:-18090}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
go build -o "$OUT/leakwatch" ./cmd/leakwatch
go build -o "$OUT/load" ./bench/cmd/load
LW="$OUT/leakwatch"
DATA="$OUT/data"
URL="http://127.0.0.1:$LW_PORT"

pids=()
cleanup() {
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
}
trap cleanup EXIT

secs() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(secs)" 'BEGIN { printf "%.2f", b - a }'; }
rows_per_s() { awk -v r="$1" -v s="$2" 'BEGIN { printf "%.0f", r / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.2f", a / b }'; }
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }

# cpu_ticks PID: user+system clock ticks the process has used.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# wait_idle PID: until the process uses under 5% of a core for 2 s (the
# server rebuilds range packs in the background after start and commits).
wait_idle() {
	local a b quiet=0
	a=$(cpu_ticks "$1")
	while [ "$quiet" -lt 2 ]; do
		sleep 1
		b=$(cpu_ticks "$1")
		if [ $((b - a)) -lt 5 ]; then quiet=$((quiet + 1)); else quiet=0; fi
		a=$b
	done
}

# packs_rebuilt SINCE: until the range packs in use were built after SINCE
# (UTC, to the second), as leakwatch status tells.
packs_rebuilt() {
	local st built
	while :; do
		st=$("$LW" --data "$DATA" status --json 2>/dev/null || true)
		built=$(grep -o '"built": *"[^"]*"' <<<"$st" | head -1 | cut -d'"' -f4 | cut -c1-19 || true)
		if grep -q '"state": *"ready"' <<<"$st" && [[ "$built" > "$1" ]]; then
			return
		fi
		sleep 0.5
	done
}

# load ARGS...: run the load generator on both endpoints (exec: a
# background load is the generator itself, which SIGINT stops).
load() {
	exec "$OUT/load" -url "$URL" -range "$RANGE_CONNS" -account "$ACCOUNT_CONNS" \
		-accounts "$OUT/accounts.txt" -keys "$OUT/keys.txt" "$@"
}

gen() { # rows seed file
	[ -f "$3" ] || "$LW" gen --format combo --rows "$1" --seed "$2" --out "$3"
}

echo "== generating $BASE_ROWS + 2 x $ROWS rows in $OUT" >&2
gen "$BASE_ROWS" 1 "$OUT/base.txt"
gen "$ROWS" 2 "$OUT/big.txt"
gen "$ROWS" 3 "$OUT/big2.txt"
# Known accounts: the logins of the first leak that are email addresses.
head -n 200000 "$OUT/base.txt" | sed 's/[:;|].*//' | grep '@' >"$OUT/accounts.txt"

echo "== direct import of $ROWS rows, no server" >&2
errors=0
rm -rf "$OUT/direct"
t=$(secs)
"$LW" --data "$OUT/direct" import --quiet --breach Big "$OUT/big.txt" >"$OUT/import-direct.txt"
direct_s=$(since "$t")
rm -rf "$OUT/direct"

# A data directory with the first leak and the API keys, copied for each
# priority so that every server starts from the same store.
rm -rf "$OUT/base-data"
"$LW" --data "$OUT/base-data" import --quiet --breach Base "$OUT/base.txt" >"$OUT/import-base.txt"
: >"$OUT/keys.txt"
for i in $(seq 1 16); do
	"$LW" --data "$OUT/base-data" keys create "bench$i" --rpm 100000 2>/dev/null >>"$OUT/keys.txt"
done

results=()
imports=("| no server (direct) | $direct_s | $(rows_per_s "$ROWS" "$direct_s") | 1.00 |")
for prio in $PRIORITIES; do
	rm -rf "$DATA"
	cp -a "$OUT/base-data" "$DATA"
	echo "== --import-priority $prio: serving on $URL" >&2
	# shellcheck disable=SC2086
	"$LW" --data "$DATA" serve --addr "127.0.0.1:$LW_PORT" --import-priority "$prio" $SERVE_FLAGS 2>"$OUT/serve-$prio.log" &
	srv=$!
	pids+=("$srv")
	for _ in $(seq 1 300); do
		curl -sf -o /dev/null "$URL/range/5BAA6" && break
		sleep 0.1
	done
	wait_idle "$srv"

	echo "== idle: $DURATION" >&2
	(load -d 3s >/dev/null) # warm up
	idle=$(load -d "$DURATION")

	# The load goes on after the import returns, until the range packs
	# are rebuilt with its data: that is work the import causes too.
	echo "== importing $ROWS rows while serving" >&2
	load >"$OUT/busy.txt" &
	ld=$!
	pids+=("$ld")
	t=$(secs)
	"$LW" --data "$DATA" import --quiet --breach Big "$OUT/big.txt" >"$OUT/import-busy.txt"
	busy_s=$(since "$t")
	t=$(secs)
	packs_rebuilt "$(date -u +%Y-%m-%dT%H:%M:%S)"
	packs_s=$(since "$t")
	kill -INT "$ld"
	wait "$ld"
	busy=$(cat "$OUT/busy.txt")
	wait_idle "$srv"

	echo "== importing $ROWS rows, server idle" >&2
	t=$(secs)
	"$LW" --data "$DATA" import --quiet --breach Big2 "$OUT/big2.txt" >"$OUT/import-alone.txt"
	alone_s=$(since "$t")
	wait_idle "$srv"
	kill "$srv"
	wait "$srv" 2>/dev/null || true

	for ep in range breachedaccount; do
		i=$(grep "endpoint=$ep " <<<"$idle")
		b=$(grep "endpoint=$ep " <<<"$busy")
		errors=$((errors + $(field "$i" errors) + $(field "$b" errors)))
		idle_cols="$(ms "$(field "$i" p50_us)") | $(ms "$(field "$i" p99_us)") | $(field "$i" rps)"
		busy_cols="$(ms "$(field "$b" p50_us)") | $(ms "$(field "$b" p99_us)") | $(field "$b" rps)"
		results+=("| $prio | $ep | $idle_cols | $busy_cols | $(ratio "$(field "$b" p99_us)" "$(field "$i" p99_us)") |")
	done
	imports+=("| $prio priority, server idle | $alone_s | $(rows_per_s "$ROWS" "$alone_s") | $(ratio "$direct_s" "$alone_s") |")
	imports+=("| $prio priority, under load | $busy_s (+${packs_s} packs) | $(rows_per_s "$ROWS" "$busy_s") | $(ratio "$direct_s" "$busy_s") |")
done
rm -rf "$DATA" "$OUT/base-data"

echo
echo "machine: $(nproc) cores (load average $(cut -d' ' -f1-3 /proc/loadavg) at the end), $(free -g | awk '/Mem:/ {print $2}') GiB; $(go version | cut -d' ' -f3); serve flags: ${SERVE_FLAGS:-(defaults)}"
echo "load: $RANGE_CONNS connections on /range and $ACCOUNT_CONNS on breachedaccount at once; idle: $DURATION; importing: from the import's start until the range packs are rebuilt after its commit"
echo
echo "| import priority | endpoint | idle p50 ms | idle p99 ms | idle req/s | importing p50 ms | importing p99 ms | importing req/s | p99 importing / idle |"
echo "|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${results[@]}"
echo
echo "| import of $ROWS rows | s | rows/s | rate / no server |"
echo "|---|---|---|---|"
printf '%s\n' "${imports[@]}"
echo
echo "request errors: $errors"
