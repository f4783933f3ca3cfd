# Shared helpers for bench/*.sh (sourced).

# machine: one line describing the CPU, cores and memory
bench_machine() {
	model=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
	echo "${model:-unknown CPU}, $(nproc) cores, $(free -g | awk '/^Mem:/{print $2}') GiB RAM, $(uname -sr)"
}

# wrk_rps URL [SECONDS] [CONNECTIONS] [HEADER]: prints "req/s p50_ms p99_ms"
wrk_rps() {
	wrk -t2 -c"${3:-64}" -d"${2:-10}"s --latency ${4:+-H "$4"} "$1" 2>&1 | awk '
		/Requests\/sec/ { rps = $2 }
		/^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
		function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
		END { printf "%.0f %.3f %.3f\n", rps, ms(p50), ms(p99) }'
}

# results_section TITLE FILE: replaces the "## TITLE" section of bench/RESULTS.md with FILE
results_section() {
	results=bench/RESULTS.md
	[ -f "$results" ] || printf '# Benchmark results\n\nFigures recorded by the scripts in bench/; each section is rewritten by its script.\n' >"$results"
	awk -v title="## $1" -v file="$2" '
		BEGIN { while ((getline line < file) > 0) body = body line "\n" }
		$0 == title { skip = 1; printf "%s", body; done = 1; next }
		skip && /^## / { skip = 0 }
		!skip { print }
		END { if (!done) printf "\n%s", body }' "$results" >"$results.tmp"
	mv "$results.tmp" "$results"
}

# wait_http URL: waits up to 10 s for URL to answer
wait_http() {
	for _ in $(seq 100); do
		curl -fs "$1" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "bench: $1 did not answer" >&2
	return 1
}
