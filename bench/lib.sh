# Shared helpers for bench/*.sh (sourced).

# machine: one line describing the CPU, cores and memory
bench_machine() {
	model=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
	echo "${model:-unknown CPU}, $(nproc) cores, $(free -g | awk '/^Mem:/{print $2}') GiB RAM, $(uname -sr)"
}

# wrk_rps URL SECONDS [WRK OPTIONS...]: wrk -t2 -c64 on URL (options such as -H HEADER or
# -s SCRIPT are passed on); prints "req/s p50_ms p99_ms non_2xx"
wrk_rps() {
	_wrk_url=$1 _wrk_secs=$2 # no locals in sh: names the callers do not use
	shift 2
	wrk -t2 -c64 -d"$_wrk_secs"s --latency "$@" "$_wrk_url" 2>&1 | awk '
		/Requests\/sec/ { rps = $2 }
		/^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
		/Non-2xx/ { bad = $NF }
		function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
		END { printf "%.0f %.3f %.3f %d\n", rps, ms(p50), ms(p99), bad }'
}

# median_run FILE: of the wrk_rps lines in FILE, the one with the median req/s
median_run() {
	sort -n "$1" | awk '{ line[NR] = $0 } END { print line[int((NR + 1) / 2)] }'
}

# nginx_start DIR PORT: nginx with 2 workers serving DIR/www/healthz (a 15-byte file) on
# 127.0.0.1:PORT, its pid in DIR/nginx.pid; waits until it answers
nginx_start() {
	chmod 755 "$1" # nginx workers (www-data when run as root) must read the file
	mkdir -p "$1/www"
	printf '{"status":"ok"}' >"$1/www/healthz"
	cat >"$1/nginx.conf" <<CONF
worker_processes 2;
pid $1/nginx.pid;
error_log $1/nginx-error.log;
events { worker_connections 1024; }
http {
	access_log off;
	default_type application/json;
	keepalive_requests 100000;
	server { listen 127.0.0.1:$2; root $1/www; }
}
CONF
	nginx -c "$1/nginx.conf" -p "$1"
	wait_http "http://127.0.0.1:$2/healthz"
}

# results_section TITLE FILE: replaces the "## TITLE" section of bench/RESULTS.md with FILE
results_section() {
	results=bench/RESULTS.md
	[ -f "$results" ] || printf '# Benchmark results\n\nFigures recorded by the scripts in bench/; each section is rewritten by its script.\n' >"$results"
	awk -v title="## $1" -v file="$2" '
		BEGIN { while ((getline line < file) > 0) body = body line "\n" }
		$0 == title { skip = 1; printf "%s", body; done = 1; next }
		skip && /^## / { skip = 0; print "" }
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
