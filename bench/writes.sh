#!/bin/sh
# Writes under load: wrk at 64 connections registering customers through the API — POST
# an individual, then POST its customer — for SECONDS, on SQLite and on PostgreSQL (a
# cluster of its own, fsync on), beside the machine's own rate of synchronous 4 KiB writes
# (dd oflag=dsync: what bounds a commit per write) measured in the same run. Counts the
# writes acknowledged (201) per second and the errors. Writes the "Writes (bench/writes.sh)"
# section of bench/RESULTS.md. Goal: at least 5,000 writes/s with 0 errors.
#   bench/writes.sh [SECONDS] [THREADS]
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh
secs=${1:-10}
threads=${2:-64}
scripts/bootstrap
TELCRM_NO_WEB=1 scripts/build >/dev/null

tmp=$(mktemp -d)
chmod 755 "$tmp" # the PostgreSQL cluster runs as the user postgres under root
trap 'set +e; kill $tpid 2>/dev/null; wait 2>/dev/null; scripts/pgcluster stop "$tmp/pg.state"; rm -rf "$tmp"' EXIT
tpid=

# the disk: synchronous writes a second, where the databases live
dd if=/dev/zero of="$tmp/dsync" bs=4k count=1000 oflag=dsync 2>"$tmp/dd.log"
dsync=$(awk '/copied/ { for (i = 1; i <= NF; i++) if ($i == "s,") print int(1000 / $(i - 1)) }' "$tmp/dd.log")
rm -f "$tmp/dsync"

# the load: a party, then its customer, per pair of requests of each wrk thread
cat >"$tmp/writes.lua" <<'LUA'
local parties = {}
local n = 0
local token = "TOKEN"
request = function()
  local hdr = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}
  local p = table.remove(parties)
  if p then
    return wrk.format("POST", "/tmf-api/customerManagement/v4/customer", hdr,
      '{"engagedParty":{"id":"' .. p .. '","@referredType":"Individual"}}')
  end
  n = n + 1
  return wrk.format("POST", "/tmf-api/party/v4/individual", hdr,
    '{"givenName":"伟' .. n .. '","familyName":"张","gender":"male"}')
end
response = function(status, headers, body)
  if status == 201 then
    local id = body:match('"@type":"Individual"') and body:match('"id":"([^"]+)"')
    if id then table.insert(parties, id) end
  end
end
LUA

# run BACKEND DB: serves DB, runs wrk, prints "writes/s p50 p99 errors commits", the
# last the transactions the server committed meanwhile (group commit: fewer than writes)
run() {
	build/telcrm demo --db "$2" --customers 0 >/dev/null 2>&1
	token=$(build/telcrm token create --user admin --db "$2")
	build/telcrm serve --db "$2" --listen 127.0.0.1:18090 --threads "$threads" \
		--access-log=false --log-level warn --rate-limit 0 >/dev/null 2>"$tmp/$1.log" &
	tpid=$!
	wait_http "http://127.0.0.1:18090/healthz"
	sed "s/TOKEN/$token/" "$tmp/writes.lua" >"$tmp/$1.lua"
	commits() {
		curl -s -H "Authorization: Bearer $token" http://127.0.0.1:18090/metrics |
			awk '/^telcrm_db_tx_commits_total/ { print $2 }'
	}
	c0=$(commits)
	w=$(wrk_rps "http://127.0.0.1:18090/" "$secs" -s "$tmp/$1.lua")
	echo "$w $(($(commits) - c0))"
	kill $tpid
	wait $tpid 2>/dev/null || true
	tpid=
}

sqlite=$(run sqlite "$tmp/writes.db")
scripts/pgcluster start "$tmp/pg.state" "$tmp/pg" >/dev/null
base=$(head -n 1 "$tmp/pg.state")
psql "$(echo "$base" | sed 's|@/?|@/postgres?|')" -Xqc "CREATE DATABASE bench TEMPLATE template0
	ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'"
pg=$(run postgresql "$(echo "$base" | sed 's|@/?|@/bench?|')")

cat >"$tmp/section.md" <<MD
## Writes (bench/writes.sh)

$(date -u +%Y-%m-%d), $(bench_machine); wrk -t2 -c64 for ${secs} s; \`telcrm serve --threads $threads\`;
each pair of requests registers a customer: POST individual, then POST customer. Every
acknowledged write is durable (SQLite: WAL, synchronous=FULL; PostgreSQL: fsync on).

| | writes/s | p50 ms | p99 ms | errors | writes per commit |
| --- | ---: | ---: | ---: | ---: | ---: |
| the disk: synchronous 4 KiB writes (dd oflag=dsync) | $dsync | | | | |
| SQLite | $(echo "$sqlite" | awk -v s="$secs" '{ printf "%s | %s | %s | %s | %.1f", $1, $2, $3, $4, $5 ? $1 * s / $5 : 0 }') |
| PostgreSQL 15 | $(echo "$pg" | awk -v s="$secs" '{ printf "%s | %s | %s | %s | %.1f", $1, $2, $3, $4, $5 ? $1 * s / $5 : 0 }') |

Goal: at least 5,000 writes/s with 0 errors.
MD
results_section "Writes (bench/writes.sh)" "$tmp/section.md"
cat "$tmp/section.md"
