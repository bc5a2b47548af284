#!/usr/bin/env bash
# bench/serve.sh - the Pwned Passwords range API of leakwatch against nginx
# serving the same corpus as static per-prefix files (what a downloader or
# CDN origin would serve), side by side in one run, with wrk requesting
# random prefixes over keep-alive connections.
#
# usage: bench/serve.sh            (from anywhere; run it on a quiet machine)
#
# Environment (defaults in brackets):
#   CORPUS_HASHES  distinct SHA-1 hashes in the corpus            [100000000]
#   BENCH_DIR      where corpus, files and logs live [/tmp/leakwatch-bench-$CORPUS_HASHES]
#   DURATION       measured wrk run per server                    [30s]
#   WARMUP         unmeasured wrk run per server before it        [10s]
#   CONNECTIONS    concurrent connections                         [64]
#   THREADS        wrk threads                                    [2]
#   LW_PORT, NGINX_PORT  loopback ports                           [18080, 18081]
#
# The corpus is built once per size (bench/cmd/corpus writes random hashes
# straight into a leakwatch store through an import) and exported once with
# pwned.Export(split) for nginx; later runs reuse both. 100M hashes need
# about 5 GB for the store and 4+ GB for the 1,048,576 files.
#
# Requires wrk and nginx (Debian: apt-get install -y wrk nginx) and Go.
set -euo pipefail

N=${CORPUS_HASHES:-100000000}
DIR=${BENCH_DIR:-/tmp/leakwatch-bench-$N}
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-10s}
CONNS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
LW_PORT=${LW_PORT:-18080}
NGINX_PORT=${NGINX_PORT:-18081}
repo=$(cd "$(dirname "$0")/.." && pwd)

for tool in wrk nginx go curl; do
	if ! command -v "$tool" >/dev/null; then
		echo "serve.sh: $tool not found" >&2
		echo "hint: apt-get install -y wrk nginx curl" >&2
		exit 1
	fi
done

mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
(cd "$repo" && go build -o "$DIR/corpus" ./bench/cmd/corpus)

pids=()
cleanup() {
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
}
trap cleanup EXIT

secs() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(secs)" 'BEGIN { printf "%.0f", b - a }'; }

if [ ! -e "$DIR/store.done" ]; then
	echo "== building a corpus of $N hashes in $DIR/store" >&2
	t=$(secs)
	"$DIR/corpus" -dir "$DIR" -n "$N"
	echo "build_seconds=$(elapsed "$t")" >"$DIR/store.done"
fi
if [ ! -e "$DIR/ranges.done" ]; then
	echo "== exporting one file per prefix to $DIR/ranges" >&2
	t=$(secs)
	"$DIR/corpus" -dir "$DIR" -split "$DIR/ranges"
	echo "export_seconds=$(elapsed "$t")" >"$DIR/ranges.done"
fi
build_s=$(sed -n 's/^build_seconds=//p' "$DIR/store.done")
export_s=$(sed -n 's/^export_seconds=//p' "$DIR/ranges.done")

cat >"$DIR/range.lua" <<'EOF'
-- Random upper-case prefixes, a different sequence per wrk thread.
local next_id = 0
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end
function init(args)
  math.randomseed(1234 + 7919 * id)
end
function request()
  return wrk.format("GET", string.format("/range/%05X", math.random(0, 1048575)))
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT rps=%.0f p50_us=%d p99_us=%d max_us=%d errors=%d requests=%d bytes=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(99),
    latency.max, e.connect + e.read + e.write + e.status + e.timeout, summary.requests, summary.bytes))
end
EOF

mkdir -p "$DIR/nginx"
cat >"$DIR/nginx/nginx.conf" <<EOF
worker_processes $(nproc);
pid $DIR/nginx/nginx.pid;
error_log $DIR/nginx/error.log warn;
daemon off;
events { worker_connections 4096; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 100000000;
	default_type text/plain;
	client_body_temp_path $DIR/nginx/tmp;
	proxy_temp_path $DIR/nginx/tmp;
	fastcgi_temp_path $DIR/nginx/tmp;
	uwsgi_temp_path $DIR/nginx/tmp;
	scgi_temp_path $DIR/nginx/tmp;
	server {
		listen 127.0.0.1:$NGINX_PORT;
		root $DIR/ranges;
		location ~ "^/range/([0-9A-F]{5})\$" {
			add_header Cache-Control "public, max-age=2678400";
			add_header Access-Control-Allow-Origin "*";
			try_files /\$1.txt =404;
		}
	}
}
EOF
mkdir -p "$DIR/nginx/tmp"

wait_for() { # url
	for _ in $(seq 1 300); do
		if curl -sf -o /dev/null "$1"; then return 0; fi
		sleep 0.1
	done
	echo "serve.sh: $1 never answered" >&2
	exit 1
}

# peak_rss PID... : the sum of the peak resident sets, in MiB.
peak_rss() {
	local kb=0 p v
	for p in "$@"; do
		v=$(awk '/^VmHWM:/ { print $2 }' "/proc/$p/status" 2>/dev/null || echo 0)
		kb=$((kb + ${v:-0}))
	done
	echo $((kb / 1024))
}

# measure NAME PORT PID... : warm up, run wrk, print one result line.
measure() {
	local name=$1 port=$2
	shift 2
	wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s "$DIR/range.lua" "http://127.0.0.1:$port" >/dev/null
	local out
	out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$DIR/range.lua" "http://127.0.0.1:$port")
	echo "$out" >"$DIR/wrk-$name.txt"
	local res
	res=$(echo "$out" | sed -n 's/^RESULT //p')
	echo "$name $res rss_mib=$(peak_rss "$@")"
}

# run_leakwatch NAME [corpus flags...]: serve, wait until ready, measure.
run_leakwatch() {
	local name=$1
	shift
	echo "== $name on 127.0.0.1:$LW_PORT" >&2
	"$DIR/corpus" -dir "$DIR" -serve "127.0.0.1:$LW_PORT" "$@" >"$DIR/$name.out" 2>"$DIR/$name.err" &
	local lw=$!
	pids+=("$lw")
	wait_for "http://127.0.0.1:$LW_PORT/range/5BAA6"
	local t
	t=$(secs)
	if [ $# -gt 0 ]; then # a range cache: wait for both packs (NTLM is empty here)
		until [ "$(curl -s "http://127.0.0.1:$LW_PORT/metrics" | grep -c '^leakwatch_range_pack_ready{.*} 1$')" = 2 ]; do
			sleep 1
		done
		echo "pack_seconds=$(elapsed "$t")" >"$DIR/$name.pack"
	fi
	measure "$name" "$LW_PORT" "$lw" >"$DIR/$name.line"
	kill "$lw"
	wait "$lw" 2>/dev/null || true
}

run_leakwatch leakwatch
mkdir -p "$DIR/cache"
run_leakwatch lw-pack -range-cache "$DIR/cache"
lw_line=$(cat "$DIR/leakwatch.line")
lp_line=$(cat "$DIR/lw-pack.line")
pack_s=$(sed -n 's/^pack_seconds=//p' "$DIR/lw-pack.pack")

echo "== nginx on 127.0.0.1:$NGINX_PORT" >&2
nginx -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" -e "$DIR/nginx/error.log" &
ng=$!
pids+=("$ng")
wait_for "http://127.0.0.1:$NGINX_PORT/range/5BAA6"
ng_pids=$(pgrep -P "$ng" | tr '\n' ' ')
# shellcheck disable=SC2086
ng_line=$(measure nginx "$NGINX_PORT" "$ng" $ng_pids)
kill "$ng"
wait "$ng" 2>/dev/null || true

field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.2f", a / b }'; }

echo
echo "corpus: $N SHA-1 hashes (build ${build_s}s, per-prefix export ${export_s}s, range packs ${pack_s}s at start); wrk -t$THREADS -c$CONNS -d$DURATION, random prefixes; $(nproc) cores shared by wrk and the server"
echo
printf '| %-12s | %10s | %8s | %8s | %8s | %6s |\n' server "requests/s" "p50 ms" "p99 ms" "RSS MiB" errors
printf '|%s|%s|%s|%s|%s|%s|\n' -------------- ------------ ---------- ---------- ---------- --------
for line in "$lw_line" "$lp_line" "$ng_line"; do
	printf '| %-12s | %10s | %8s | %8s | %8s | %6s |\n' "$(echo "$line" | cut -d' ' -f1)" "$(field "$line" rps)" \
		"$(ms "$(field "$line" p50_us)")" "$(ms "$(field "$line" p99_us)")" "$(field "$line" rss_mib)" "$(field "$line" errors)"
done
for line in "$lw_line" "$lp_line"; do
	name=$(echo "$line" | cut -d' ' -f1)
	printf '| %-12s | %10s | %8s | %8s | %8s | %6s |\n' "${name}/ng" \
		"$(ratio "$(field "$line" rps)" "$(field "$ng_line" rps)")" \
		"$(ratio "$(field "$line" p50_us)" "$(field "$ng_line" p50_us)")" \
		"$(ratio "$(field "$line" p99_us)" "$(field "$ng_line" p99_us)")" \
		"$(ratio "$(field "$line" rss_mib)" "$(field "$ng_line" rss_mib)")" ""
done
echo
echo "leakwatch: ranges from the store; lw-pack: from range packs (api.Config.RangeCache); X/ng = X / nginx"
echo "(requests/s: higher is better for leakwatch; latency and RSS: lower)"
