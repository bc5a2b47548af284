#!/usr/bin/env bash
# Alert fan-out: one breach that hits every one of N subscribed addresses.
# leakwatch queues one sealed delivery per subscriber into its durable
# outbox (BenchmarkFanout in internal/alert: time, alerts/s, peak Go heap);
# the peer, in the same run, is PostgreSQL queueing the same N rows with one
# INSERT ... SELECT joining a subscriptions table with the breach's accounts
# (keys are 16-byte hashes in both). Prints a markdown table with the ratio.
#
#   bash bench/alerts.sh             # N = 1,000,000
#   N=100000 bash bench/alerts.sh    # a quick run
#
# Needs: go, psql and PostgreSQL on 127.0.0.1:5432 (trust auth, database "test").
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000000}
PGURL=${PGURL:-postgresql://127.0.0.1:5432/test}
export PGOPTIONS="-c client_min_messages=warning"

out=$(LEAKWATCH_FANOUT_N=$N go test -run XXX -bench Fanout -benchtime 1x -timeout 60m ./internal/alert/ | grep '^BenchmarkFanout')
lw_s=$(awk '{print $3/1e9}' <<<"$out")
lw_rate=$(awk '{for (i=1;i<=NF;i++) if ($(i+1)=="alerts/s") print $i}' <<<"$out")
lw_heap=$(awk '{for (i=1;i<=NF;i++) if ($(i+1)=="peak-heap-MiB") print $i}' <<<"$out")

psql -q "$PGURL" -v ON_ERROR_STOP=1 >/dev/null <<SQL
DROP TABLE IF EXISTS bench_subs, bench_breach_accounts, bench_outbox;
CREATE TABLE bench_subs (acct bytea PRIMARY KEY, id bigint, mail_to text, created timestamptz);
CREATE TABLE bench_breach_accounts (acct bytea PRIMARY KEY);
CREATE TABLE bench_outbox (id bytea PRIMARY KEY, sub bigint, breach text, due timestamptz, payload text);
INSERT INTO bench_subs SELECT substr(sha256(('user' || i || '@example.com')::bytea), 1, 16), i, 'user' || i || '@example.com', now() - interval '1 hour' FROM generate_series(0, $N - 1) i;
INSERT INTO bench_breach_accounts SELECT acct FROM bench_subs;
VACUUM ANALYZE bench_subs, bench_breach_accounts;
SQL
start=$(date +%s.%N)
psql -q "$PGURL" -v ON_ERROR_STOP=1 -c "INSERT INTO bench_outbox SELECT substr(sha256(s.acct || 'Everyone'::bytea), 1, 16), s.id, 'Everyone', now(), 'Your address is in the Everyone breach: ' || s.mail_to FROM bench_subs s JOIN bench_breach_accounts b USING (acct)" >/dev/null
pg_s=$(echo "$(date +%s.%N) - $start" | bc -l)
psql -q "$PGURL" -c "DROP TABLE bench_subs, bench_breach_accounts, bench_outbox" >/dev/null

printf '| subscribers hit | leakwatch queue | alerts/s | peak heap | PostgreSQL INSERT…SELECT | leakwatch / PostgreSQL |\n|---|---|---|---|---|---|\n'
printf '| %d | %.1f s | %.0f | %.0f MiB | %.1f s | %.2fx |\n' "$N" "$lw_s" "$lw_rate" "$lw_heap" "$pg_s" "$(echo "$lw_s / $pg_s" | bc -l)"
