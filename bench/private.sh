#!/usr/bin/env bash
# The private credential check (docs/private-check.md), measured in one run
# against its floors on this machine: bare circl (github.com/cloudflare/circl)
# VerifiableServer.Evaluate of the same 12 elements for the server's cost
# per check, and bare circl FullEvaluate on every core for the index build.
# Prints markdown tables: server checks/s per core through the HTTP handler
# and the ratio to bare circl; answer bytes at 1M, 50M and 184M leaked
# pairs; client time with and without the slow hash; build and rotation
# rates with their 184M-pair projections.
#
#   bash bench/private.sh           # build of 100,000 pairs
#   N=20000 bash bench/private.sh   # a quicker run
#
# Needs: go.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}

metric() { # metric UNIT LINE: the value printed before UNIT
	awk -v u="$1" '{for (i=1;i<NF;i++) if ($(i+1)==u) {print $i; exit}}' <<<"$2"
}

server=$(go test -run XXX -bench 'PrivateCheck$' -benchtime 5s ./internal/api/ | grep '^BenchmarkPrivateCheck')
client=$(go test -run XXX -bench 'Request$' -benchtime 3s ./internal/privatecheck/)
answers=$(go test -run XXX -bench 'BucketAnswer/pairs/bits/variants=0/' -benchtime 20000x ./internal/privatecheck/)
build=$(LEAKWATCH_PRIVATE_BENCH_N=$N go test -run XXX -bench 'Build$' -benchtime 1x -timeout 60m ./internal/privateindex/ | grep '^BenchmarkBuild')

echo "Server, one core, through the HTTP handler (key, rate limit, evaluation, bucket read), against bare circl in the same loop:"
echo
printf '| checks/s per core | bare circl Evaluate/s (12 elements, verifiable) | leakwatch / circl time |\n|---|---|---|\n'
printf '| %.0f | %.0f | %.3fx |\n' "$(metric checks/s/core "$server")" "$(metric bare-evaluate/s/core "$server")" "$(metric ratio "$server")"
echo
echo "Answer bytes (binary; header 472 B + 4 B a tag), buckets sized by the design's rule:"
echo
printf '| leaked pairs | bucket bits | mean answer | largest answer |\n|---|---|---|---|\n'
for p in 1000000 50000000 184000000; do
	mean=$(grep "pairs=$p/.*/mean" <<<"$answers")
	max=$(grep "pairs=$p/.*/max" <<<"$answers")
	bits=$(sed -E 's/.*bits=([0-9]+).*/\1/' <<<"$mean")
	printf '| %dM | %d | %.1f KiB | %.1f KiB |\n' $((p / 1000000)) "$bits" "$(echo "$(metric bytes "$mean") / 1024" | bc -l)" "$(echo "$(metric bytes "$max") / 1024" | bc -l)"
done
echo
req=$(metric us/query "$(grep 'request-' <<<"$client")")
slow=$(metric us/query "$(grep 'slow-hashes' <<<"$client")")
ans=$(metric us/query "$(grep 'answer-' <<<"$client")")
echo "Client, one check of \"Password\" (the pair and its 4 real variants slow-hashed; 6 dummies are not):"
echo
printf '| request | answer (proof check, unblinding) | total | of which slow hash | total without it |\n|---|---|---|---|---|\n'
printf '| %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.2f ms |\n' "$(echo "$req/1000" | bc -l)" "$(echo "$ans/1000" | bc -l)" "$(echo "($req+$ans)/1000" | bc -l)" "$(echo "$slow/1000" | bc -l)" "$(echo "($req+$ans-$slow)/1000" | bc -l)"
echo
echo "Index build from the spool of a real store, every core, $N pairs, against bare circl FullEvaluate on every core:"
echo
printf '| build pairs/s | rotation pairs/s | bare FullEvaluate/s | build / FullEvaluate | 184M pairs: build | 184M pairs: rotation |\n|---|---|---|---|---|---|\n'
printf '| %.0f | %.0f | %.0f | %.2fx | %.1f h | %.1f h |\n' "$(metric build-pairs/s "$build")" "$(metric rotate-pairs/s "$build")" "$(metric fulleval/s "$build")" \
	"$(metric build/fulleval "$build")" "$(metric h-184M "$build")" "$(metric rotate-h-184M "$build")"
