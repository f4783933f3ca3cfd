/*
 * Per-route request counters and latency histograms, kept in atomics so the hot path
 * takes no lock, and their Prometheus text exposition (with the database pool's stats)
 * for GET /metrics. Requests that match no route count under route="unmatched", the web app's
 * files under route="static".
 */
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/str.h"
#include "http/http_int.h"
#include "store/db.h"
#include "core/banned.h"

/* Upper bounds of the histogram buckets, in nanoseconds and as exposed (seconds). */
static const int64_t bucket_ns[HTTP_METRIC_BUCKETS] = {
	500000,	   1000000,   2500000,	 5000000,    10000000,	 25000000,   50000000,
	100000000, 250000000, 500000000, 1000000000, 2500000000, 5000000000,
};
static const char *const bucket_le[HTTP_METRIC_BUCKETS] = {
	"0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05",
	"0.1",	  "0.25",  "0.5",    "1",     "2.5",  "5",
};

void http__metrics_init(struct http_metrics *m, size_t nroutes)
{
	m->nroutes = nroutes;
	m->routes = xcalloc(nroutes + 2, sizeof(*m->routes));
	for (size_t i = 0; i < nroutes + 2; i++) {
		for (size_t c = 0; c < 5; c++)
			atomic_init(&m->routes[i].requests[c], 0);
		for (size_t b = 0; b <= HTTP_METRIC_BUCKETS; b++)
			atomic_init(&m->routes[i].buckets[b], 0);
		atomic_init(&m->routes[i].sum_ns, 0);
	}
	atomic_init(&m->in_flight, 0);
}

void http__metrics_release(struct http_metrics *m)
{
	free(m->routes);
	m->routes = NULL;
	m->nroutes = 0;
}

void http__metrics_record(struct http_metrics *m, size_t index, int status, int64_t ns)
{
	struct http_route_metrics *r =
		&m->routes[index <= HTTP_METRIC_STATIC(m) ? index : HTTP_METRIC_UNMATCHED(m)];
	size_t cls = status >= 100 && status < 600 ? (size_t)(status / 100 - 1) : 4;
	size_t b = 0;

	if (ns < 0)
		ns = 0;
	while (b < HTTP_METRIC_BUCKETS && ns > bucket_ns[b])
		b++;
	atomic_fetch_add_explicit(&r->requests[cls], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&r->buckets[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&r->sum_ns, (uint_fast64_t)ns, memory_order_relaxed);
}

/* Prometheus label values escape backslash, double quote and newline. */
static void add_label(struct strbuf *sb, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			strbuf_addch(sb, '\\');
		if (*v == '\n') {
			strbuf_addstr(sb, "\\n");
			continue;
		}
		strbuf_addch(sb, *v);
	}
}

static void labels(struct strbuf *sb, const char *route, const char *method)
{
	strbuf_addstr(sb, "route=\"");
	add_label(sb, route);
	strbuf_addstr(sb, "\",method=\"");
	add_label(sb, method);
	strbuf_addch(sb, '"');
}

void http__metrics_label(const struct http_server *srv, size_t i, const char **out_route,
			 const char **out_method)
{
	const struct http_route *rt =
		i < srv->metrics.nroutes ? http__router_route(srv->router, i) : NULL;

	if (rt) {
		*out_route = rt->pattern;
		*out_method = rt->method;
	} else if (i == HTTP_METRIC_STATIC(&srv->metrics)) {
		*out_route = "static";
		*out_method = "GET";
	} else {
		*out_route = "unmatched";
		*out_method = "";
	}
}

void http_metrics_render(struct http_server *srv, struct strbuf *sb)
{
	const struct http_metrics *m = &srv->metrics;
	struct db_stats st = {0};

	strbuf_addstr(sb, "# HELP telcrm_http_requests_total HTTP requests by route and status "
			  "class.\n# TYPE telcrm_http_requests_total counter\n");
	for (size_t i = 0; i <= HTTP_METRIC_STATIC(m); i++) {
		const char *route, *method;

		http__metrics_label(srv, i, &route, &method);
		for (size_t c = 0; c < 5; c++) {
			uint64_t n = atomic_load_explicit(&m->routes[i].requests[c],
							  memory_order_relaxed);

			if (!n)
				continue;
			strbuf_addstr(sb, "telcrm_http_requests_total{");
			labels(sb, route, method);
			strbuf_addf(sb, ",code=\"%zuxx\"} %llu\n", c + 1, (unsigned long long)n);
		}
	}
	strbuf_addstr(sb, "# HELP telcrm_http_request_duration_seconds Time from request line "
			  "to response sent.\n# TYPE telcrm_http_request_duration_seconds "
			  "histogram\n");
	for (size_t i = 0; i <= HTTP_METRIC_STATIC(m); i++) {
		const struct http_route_metrics *r = &m->routes[i];
		const char *route, *method;
		uint64_t cum = 0;

		for (size_t b = 0; b <= HTTP_METRIC_BUCKETS; b++)
			cum += atomic_load_explicit(&r->buckets[b], memory_order_relaxed);
		if (!cum)
			continue;
		http__metrics_label(srv, i, &route, &method);
		cum = 0;
		for (size_t b = 0; b <= HTTP_METRIC_BUCKETS; b++) {
			cum += atomic_load_explicit(&r->buckets[b], memory_order_relaxed);
			strbuf_addstr(sb, "telcrm_http_request_duration_seconds_bucket{");
			labels(sb, route, method);
			strbuf_addf(sb, ",le=\"%s\"} %llu\n",
				    b < HTTP_METRIC_BUCKETS ? bucket_le[b] : "+Inf",
				    (unsigned long long)cum);
		}
		strbuf_addstr(sb, "telcrm_http_request_duration_seconds_sum{");
		labels(sb, route, method);
		strbuf_addf(sb, "} %.6f\n",
			    (double)atomic_load_explicit(&r->sum_ns, memory_order_relaxed) / 1e9);
		strbuf_addstr(sb, "telcrm_http_request_duration_seconds_count{");
		labels(sb, route, method);
		strbuf_addf(sb, "} %llu\n", (unsigned long long)cum);
	}
	strbuf_addf(sb,
		    "# HELP telcrm_http_in_flight Requests being served.\n"
		    "# TYPE telcrm_http_in_flight gauge\ntelcrm_http_in_flight %lld\n",
		    (long long)atomic_load_explicit(&m->in_flight, memory_order_relaxed));
	if (!srv->db)
		return;
	db_stats_get(srv->db, &st);
	strbuf_addf(sb,
		    "# HELP telcrm_db_tx_commits_total Write transactions committed.\n"
		    "# TYPE telcrm_db_tx_commits_total counter\ntelcrm_db_tx_commits_total %llu\n"
		    "# HELP telcrm_db_tx_rollbacks_total Write transactions rolled back.\n"
		    "# TYPE telcrm_db_tx_rollbacks_total counter\n"
		    "telcrm_db_tx_rollbacks_total %llu\n"
		    "# HELP telcrm_db_write_wait_seconds_total Time spent waiting for the writer.\n"
		    "# TYPE telcrm_db_write_wait_seconds_total counter\n"
		    "telcrm_db_write_wait_seconds_total %.6f\n"
		    "# HELP telcrm_db_readers_open Reader connections open.\n"
		    "# TYPE telcrm_db_readers_open gauge\ntelcrm_db_readers_open %llu\n"
		    "# HELP telcrm_db_stmt_prepares_total Statements prepared.\n"
		    "# TYPE telcrm_db_stmt_prepares_total counter\n"
		    "telcrm_db_stmt_prepares_total %llu\n"
		    "# HELP telcrm_db_stmt_cache_hits_total Statements reused from the cache.\n"
		    "# TYPE telcrm_db_stmt_cache_hits_total counter\n"
		    "telcrm_db_stmt_cache_hits_total %llu\n",
		    (unsigned long long)st.tx_commits, (unsigned long long)st.tx_rollbacks,
		    (double)st.write_wait_ns / 1e9, (unsigned long long)st.readers_open,
		    (unsigned long long)st.stmt_prepares, (unsigned long long)st.stmt_cache_hits);
}
