#!/bin/sh
# Login cost: the median argon2id check and the median failed login for a wrong password
# and for an unknown login, interleaved in one run. Goals: a check under 100 ms, and the
# two failures within a few per cent of each other (no timing tells an account exists).
# Writes the "Login (bench/auth.sh)" section of bench/RESULTS.md.
#   bench/auth.sh [ROUNDS]
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh
rounds=${1:-30}
scripts/bootstrap
scripts/build >/dev/null
cmake --build build --target bench-auth >/dev/null

out=$(build/bench/bench-auth "$rounds" 2>/dev/null)
val() { echo "$out" | sed -n "s/^$1=//p"; }
verify=$(val verify_ms) wrong=$(val wrong_password_ms) unknown=$(val unknown_login_ms)
diff=$(awk -v a="$wrong" -v b="$unknown" 'BEGIN { d = (a - b) / a * 100; if (d < 0) d = -d; printf "%.1f", d }')

tmp=$(mktemp)
cat >"$tmp" <<MD
## Login (bench/auth.sh)

Machine: $(bench_machine). $(date -u +%Y-%m-%d). Medians of $rounds rounds, wrong-password
and unknown-login attempts interleaved. Argon2id with libsodium's interactive limits
(opslimit 2, 64 MiB).

| measure | median |
| --- | --- |
| argon2id password check | $verify ms |
| failed login, wrong password | $wrong ms |
| failed login, unknown login | $unknown ms |
| difference between the two | $diff % |

Goals: a check under 100 ms; the two failures indistinguishable by time.
MD
results_section "Login (bench/auth.sh)" "$tmp"
rm -f "$tmp"
cat bench/RESULTS.md | sed -n '/^## Login/,/^## [^L]/p'
