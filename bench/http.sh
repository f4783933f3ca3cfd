#!/bin/sh
# HTTP framework overhead: wrk on telcrm's /healthz and, in the same run, on nginx serving
# a small static file from another loopback port; and the cost of authentication: an API
# token checked on every request of a scoped read (GET /api/v1/org-units/HQ). Writes the
# figures and the ratio to the "HTTP (bench/http.sh)" section of bench/RESULTS.md. Goal:
# telcrm's /healthz >= 80% of nginx.
#   bench/http.sh [SECONDS]
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh
secs=${1:-10}
scripts/bootstrap
scripts/build >/dev/null

tmp=$(mktemp -d)
# set +e: under set -e a kill of a process already gone would end the trap early
trap 'set +e; kill $(cat "$tmp"/nginx.pid 2>/dev/null) $tpid 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
tport=18080
nport=18081

build/telcrm serve --db "$tmp/bench.db" --listen 127.0.0.1:$tport --threads 2 \
	--access-log=false --log-level warn --rate-limit 0 >/dev/null 2>"$tmp/telcrm.log" &
tpid=$!

nginx_start "$tmp" $nport
wait_http "http://127.0.0.1:$tport/healthz"
echo "Bench-pass-2026" | build/telcrm user add --login bench --role admin --org HQ \
	--password-stdin --db "$tmp/bench.db" >/dev/null
auth="Authorization: Bearer $(build/telcrm token create --user bench --db "$tmp/bench.db")"
wrk_rps "http://127.0.0.1:$tport/healthz" 2 >/dev/null # warm-up
wrk_rps "http://127.0.0.1:$nport/healthz" 2 >/dev/null

set -- $(wrk_rps "http://127.0.0.1:$nport/healthz" "$secs")
n_rps=$1 n_p50=$2 n_p99=$3
set -- $(wrk_rps "http://127.0.0.1:$tport/healthz" "$secs")
t_rps=$1 t_p50=$2 t_p99=$3
set -- $(wrk_rps "http://127.0.0.1:$tport/api/v1/org-units/HQ" "$secs" -H "$auth")
a_rps=$1 a_p50=$2 a_p99=$3
ratio=$(awk -v a="$t_rps" -v b="$n_rps" 'BEGIN { printf "%.0f", 100 * a / b }')

cat >"$tmp/section.md" <<MD
## HTTP (bench/http.sh)

$(date -u +%Y-%m-%d) on $(bench_machine). wrk -t2 -c64 -d${secs}s on loopback; server and
wrk share the machine's cores. telcrm: \`serve --threads 2 --access-log=false\`; nginx
$(nginx -v 2>&1 | sed 's|.*/||'): 2 workers, a 15-byte static file, access log off.

| target | req/s | p50 ms | p99 ms |
| --- | ---: | ---: | ---: |
| nginx static file | $n_rps | $n_p50 | $n_p99 |
| telcrm \`/healthz\` | $t_rps | $t_p50 | $t_p99 |
| telcrm \`GET /api/v1/org-units/HQ\` with a Bearer token | $a_rps | $a_p50 | $a_p99 |

telcrm serves **$ratio%** of nginx's requests per second (goal: at least 80%). The third
line is a real request: the token's SHA-256 looked up with its user, roles and org path,
the permission check, a scoped read and the JSON rendering.

MD
results_section "HTTP (bench/http.sh)" "$tmp/section.md"
cat "$tmp/section.md"
