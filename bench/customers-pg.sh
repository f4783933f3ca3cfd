#!/bin/sh
# Customers at scale on PostgreSQL: a cluster of its own (scripts/pgcluster, throwaway:
# fsync off, which the loads feel and the reads do not), a demo operator of N customers
# (default 1,000,000); then wrk at 64 connections on GET customer by id and on search by
# mobile number beside nginx serving a static file, three rounds taken in turn; then the
# operator exported to CSV and imported into a fresh PostgreSQL database and into a fresh
# SQLite one, side by side. Writes the "Customers on PostgreSQL (bench/customers-pg.sh)"
# section of bench/RESULTS.md. Goals: GET by id and search >= 25% of nginx's req/s with
# p99 < 10 ms; the PostgreSQL import at least twice the SQLite import's rate.
#   bench/customers-pg.sh [CUSTOMERS] [SECONDS]
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh
n=${1:-1000000}
secs=${2:-10}
scripts/bootstrap
TELCRM_NO_WEB=1 scripts/build >/dev/null

tmp=$(mktemp -d)
chmod 755 "$tmp" # the cluster runs as the user postgres under root
trap 'set +e; kill $(cat "$tmp"/nginx.pid 2>/dev/null) $tpid 2>/dev/null; wait 2>/dev/null; scripts/pgcluster stop "$tmp/pg.state"; rm -rf "$tmp"' EXIT
tpid=
scripts/pgcluster start "$tmp/pg.state"
base=$(head -n 1 "$tmp/pg.state")
url() { echo "$base" | sed "s|@/?|@/$1?|"; }
newdb() {
	psql "$(url postgres)" -Xqc "CREATE DATABASE $1 TEMPLATE template0 ENCODING 'UTF8'
		LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'"
}
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
newdb demo
db=$(url demo)

t0=$(date +%s.%N)
build/telcrm demo --db "$db" --customers "$n" --seed 1 >/dev/null 2>"$tmp/demo.log"
t1=$(date +%s.%N)
gen_s=$(seconds "$t0" "$t1")
psql "$db" -Xqc "VACUUM ANALYZE"
db_mb=$(psql "$db" -XAtc "SELECT pg_database_size('demo') / 1048576")

tport=18080
nport=18081
build/telcrm serve --db "$db" --listen 127.0.0.1:$tport --threads 2 --access-log=false \
	--log-level warn --rate-limit 0 >/dev/null 2>"$tmp/telcrm.log" &
tpid=$!
nginx_start "$tmp" $nport
wait_http "http://127.0.0.1:$tport/healthz"

token=$(build/telcrm token create --user admin --db "$db")
psql "$db" -XAtc "SELECT id FROM customer ORDER BY random() LIMIT 1000" >"$tmp/ids"
{
	printf 'local ids = {'
	sed 's/.*/"&",/' "$tmp/ids" | tr -d '\n'
	printf '}\nlocal i = 0\nrequest = function()\n'
	printf '  i = i %% #ids + 1\n'
	printf '  return wrk.format("GET", "/tmf-api/customerManagement/v4/customer/" .. ids[i], {["Authorization"] = "Bearer %s"})\nend\n' "$token"
} >"$tmp/get.lua"
psql "$db" -XAtc "SELECT m->'characteristic'->>'phoneNumber' FROM party p,
	json_array_elements(p.doc::json->'contactMedium') m WHERE m->>'mediumType' = 'mobile'
	ORDER BY random() LIMIT 1000" >"$tmp/mobiles"
{
	printf 'local q = {'
	sed 's/.*/"&",/' "$tmp/mobiles" | tr -d '\n'
	printf '}\nlocal i = 0\nrequest = function()\n'
	printf '  i = i %% #q + 1\n'
	printf '  return wrk.format("GET", "/api/v1/search?q=" .. q[i], {["Authorization"] = "Bearer %s"})\nend\n' "$token"
} >"$tmp/search.lua"

wrk_rps "http://127.0.0.1:$nport/healthz" 2 >/dev/null # warm-up
wrk_rps "http://127.0.0.1:$tport/" 2 -s "$tmp/get.lua" >/dev/null
wrk_rps "http://127.0.0.1:$tport/" 2 -s "$tmp/search.lua" >/dev/null
for _ in 1 2 3; do
	wrk_rps "http://127.0.0.1:$nport/healthz" "$secs" >>"$tmp/nginx.runs"
	wrk_rps "http://127.0.0.1:$tport/" "$secs" -s "$tmp/get.lua" >>"$tmp/get.runs"
	wrk_rps "http://127.0.0.1:$tport/" "$secs" -s "$tmp/search.lua" >>"$tmp/search.runs"
done
set -- $(median_run "$tmp/nginx.runs")
n_rps=$1 n_p50=$2 n_p99=$3
set -- $(median_run "$tmp/get.runs")
g_rps=$1 g_p50=$2 g_p99=$3
set -- $(median_run "$tmp/search.runs")
s_rps=$1 s_p50=$2 s_p99=$3
bad() { awk '{ n += $4 } END { print n + 0 }' "$1"; }
g_bad=$(bad "$tmp/get.runs")
s_bad=$(bad "$tmp/search.runs")
ratio=$(awk -v a="$g_rps" -v b="$n_rps" 'BEGIN { printf "%.0f", 100 * a / b }')
s_ratio=$(awk -v a="$s_rps" -v b="$n_rps" 'BEGIN { printf "%.0f", 100 * a / b }')
kill $tpid
wait $tpid 2>/dev/null || true
tpid=

# the same CSV into a fresh operator on each backend
build/telcrm export customers --db "$db" --out "$tmp/customers.csv" 2>/dev/null
newdb imp
build/telcrm demo --db "$(url imp)" --customers 0 >/dev/null 2>&1
t0=$(date +%s.%N)
build/telcrm import customers "$tmp/customers.csv" --db "$(url imp)" >"$tmp/import-pg.out" 2>&1
t1=$(date +%s.%N)
pg_s=$(seconds "$t0" "$t1")
build/telcrm demo --db "$tmp/import.db" --customers 0 >/dev/null 2>&1
t0=$(date +%s.%N)
build/telcrm import customers "$tmp/customers.csv" --db "$tmp/import.db" >"$tmp/import-sq.out" 2>&1
t1=$(date +%s.%N)
sq_s=$(seconds "$t0" "$t1")
rate() { awk -v n="$n" -v s="$1" 'BEGIN { printf "%.0f", n / s }'; }
pg_x=$(awk -v a="$sq_s" -v b="$pg_s" 'BEGIN { printf "%.2f", a / b }')

cat >"$tmp/section.md" <<MD
## Customers on PostgreSQL (bench/customers-pg.sh)

$(date -u +%Y-%m-%d) on $(bench_machine); PostgreSQL $(psql "$db" -XAtc "SHOW server_version" | cut -d' ' -f1), a cluster of its own on a unix socket (fsync off).

**Demo generator**: \`telcrm demo --customers $n\` into PostgreSQL in ${gen_s} s ($(rate "$gen_s")/s); the database is ${db_mb} MB.

**Reads** (wrk -t2 -c64, ${secs} s, median of three rounds taken in turn; \`telcrm serve --threads 2\`):

| | req/s | p50 ms | p99 ms | non-2xx | share of nginx |
| --- | ---: | ---: | ---: | ---: | ---: |
| nginx, a static file | $n_rps | $n_p50 | $n_p99 | | |
| GET customer by id | $g_rps | $g_p50 | $g_p99 | $g_bad | **${ratio}%** |
| search by mobile | $s_rps | $s_p50 | $s_p99 | $s_bad | **${s_ratio}%** |

Goal: at least 25% of nginx with p99 under 10 ms.

**Import** of the exported CSV ($n customers) into a fresh operator: PostgreSQL ${pg_s} s
($(rate "$pg_s")/s), SQLite ${sq_s} s ($(rate "$sq_s")/s): PostgreSQL at **${pg_x}×** SQLite's
rate (goal: 2×, through COPY).
MD
results_section "Customers on PostgreSQL (bench/customers-pg.sh)" "$tmp/section.md"
cat "$tmp/section.md"
