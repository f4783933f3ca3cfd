/*
 * Hub subscriptions and the outbox sender. Each listener has a cursor (delivered_seq)
 * into the outbox; the sender walks every listener's pending events in order and moves
 * the cursor only after a 2xx answer, so a crash re-sends at most the event in flight.
 * A listener that fails waits 1 s, 2 s, 4 s … up to max_backoff_s before the next try.
 */
#include "domain/events.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/time.h"
#include "domain/change.h"
#include "store/db.h"
#include "core/banned.h"

#define CALLBACK_MAX 2048
#define QUERY_MAX    512
#define BATCH	     64

static const char *const apis[] = {
	"telcrm",
	"customerManagement",
	"party",
	"productCatalogManagement",
	"productOrderingManagement",
	"productInventory",
	"troubleTicket",
	"accountManagement",
	"customerBillManagement",
	"usageManagement",
	NULL,
};

#define SUB(member) offsetof(struct hub_subscription, member)

const struct json_desc hub_subscription_desc = {
	"EventSubscription",
	sizeof(struct hub_subscription),
	(const struct json_field[]){
		{"id", JSON_STRING, SUB(id), 0, NULL, 0, NULL},
		{"callback", JSON_STRING, SUB(callback), 0, NULL, 0, NULL},
		{"query", JSON_STRING, SUB(query), 0, NULL, 0, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};

const struct json_desc hub_subscription_input_desc = {
	"EventSubscriptionInput",
	sizeof(struct hub_subscription),
	(const struct json_field[]){
		{"callback", JSON_STRING, SUB(callback), JSON_REQUIRED, NULL, CALLBACK_MAX, NULL},
		{"query", JSON_STRING, SUB(query), 0, NULL, QUERY_MAX, NULL},
		{0},
	},
	JSON_NO_PRESENT,
};

int events_api_known(const char *api)
{
	for (int i = 0; apis[i]; i++)
		if (strcmp(apis[i], api) == 0)
			return 1;
	return 0;
}

static int check_callback(struct crm_ctx *ctx, const char *url)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	int rc = 0;

	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0))
		rc = crm_err_set(&ctx->err, CRM_EINVAL, "callback",
				 "callback '%s' is not an http or https URL", url);
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return rc;
}

/* The one query form supported: "eventType=A,B" (TMF hub query on the event type). */
static bool query_valid(const char *q)
{
	if (!q || !*q)
		return true;
	if (strncmp(q, "eventType=", 10) != 0 || !q[10])
		return false;
	for (q += 10; *q; q++)
		if (!((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') || *q == ','))
			return false;
	return true;
}

static bool query_matches(const char *q, const char *event_type)
{
	size_t n = strlen(event_type);

	if (!q || !*q)
		return true;
	for (q += 10; *q;) {
		const char *end = strchr(q, ',');
		size_t len = end ? (size_t)(end - q) : strlen(q);

		if (len == n && memcmp(q, event_type, n) == 0)
			return true;
		q += len + (end ? 1 : 0);
	}
	return false;
}

int events_subscribe(struct crm_ctx *ctx, const char *api, const struct hub_subscription *in,
		     struct hub_subscription *out)
{
	struct db_listener l = {0};
	struct db_tx *tx = NULL;
	cJSON *after;
	int rc;

	if (!events_api_known(api))
		return crm_err_set(&ctx->err, CRM_ENOTFOUND, "api", "no API '%s' publishes events",
				   api);
	if ((rc = check_callback(ctx, in->callback)))
		return rc;
	if (!query_valid(in->query))
		return crm_err_set(&ctx->err, CRM_EINVAL, "query",
				   "query '%s' is not supported: use 'eventType=A,B'", in->query);
	l.id = id_new_in(ctx->arena);
	l.api = api;
	l.callback = in->callback;
	l.query = in->query && *in->query ? in->query : NULL;
	l.created_ms = time_now_ms();
	out->id = l.id;
	out->callback = l.callback;
	out->query = l.query;
	after = json_adopt(ctx->arena, json_encode(&hub_subscription_desc, out));
	if ((rc = change_begin(ctx, &tx)))
		return rc;
	if ((rc = db_listener_insert(tx, &l, &ctx->err)) ||
	    (rc = change_record(ctx, tx,
				&(struct change){.action = "create",
						 .resource = "hubListener",
						 .resource_id = l.id,
						 .org_path = "/",
						 .after = after}))) {
		change_abort(ctx, tx);
		return rc;
	}
	return change_commit(ctx, tx);
}

int events_subscription_get(struct crm_ctx *ctx, const char *api, const char *id,
			    struct hub_subscription *out)
{
	struct db_listener l;
	int rc;

	if ((rc = db_listener_get(ctx->db, api, id, ctx->arena, &l, &ctx->err)))
		return rc;
	out->id = l.id;
	out->callback = l.callback;
	out->query = l.query;
	return 0;
}

int events_unsubscribe(struct crm_ctx *ctx, const char *api, const char *id)
{
	struct hub_subscription before;
	struct db_tx *tx = NULL;
	int rc;

	if ((rc = events_subscription_get(ctx, api, id, &before)))
		return rc;
	if ((rc = change_begin(ctx, &tx)))
		return rc;
	if ((rc = db_listener_delete(tx, api, id, &ctx->err)) ||
	    (rc = change_record(
		     ctx, tx,
		     &(struct change){
			     .action = "delete",
			     .resource = "hubListener",
			     .resource_id = id,
			     .org_path = "/",
			     .before = json_adopt(
				     ctx->arena, json_encode(&hub_subscription_desc, &before))}))) {
		change_abort(ctx, tx);
		return rc;
	}
	return change_commit(ctx, tx);
}

/* ---- the sender ---- */

struct events_sender {
	struct db *db;
	struct events_sender_opts opts;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stopping;
	int64_t flush_deadline_ns; /* while stopping: deliver until then */
	CURL *curl;
};

static size_t discard(char *p, size_t size, size_t n, void *data)
{
	(void)p;
	(void)data;
	return size * n;
}

/* POSTs one envelope; 0 on a 2xx answer, else fills why. */
static int post_event(struct events_sender *s, const char *url, const char *body, char *why,
		      size_t why_len)
{
	struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
	long status = 0;
	CURLcode cc;

	curl_easy_reset(s->curl);
	curl_easy_setopt(s->curl, CURLOPT_URL, url);
	curl_easy_setopt(s->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(s->curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(s->curl, CURLOPT_TIMEOUT_MS, (long)s->opts.timeout_ms);
	curl_easy_setopt(s->curl, CURLOPT_CONNECTTIMEOUT_MS, (long)s->opts.timeout_ms);
	curl_easy_setopt(s->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(s->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(s->curl, CURLOPT_WRITEFUNCTION, discard);
	cc = curl_easy_perform(s->curl);
	curl_slist_free_all(headers);
	if (cc != CURLE_OK) {
		snprintf(why, why_len, "%s", curl_easy_strerror(cc));
		return CRM_EIO;
	}
	curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status < 200 || status > 299) {
		snprintf(why, why_len, "callback answered HTTP %ld", status);
		return CRM_EIO;
	}
	return 0;
}

/* Delivers pending events to one listener; returns how many were sent. */
static int deliver(struct events_sender *s, struct arena *a, const struct db_listener *l)
{
	struct crm_err err = {0};
	struct db_event *evs;
	size_t n;
	int sent = 0;
	char why[256];

	if (db_outbox_after(s->db, l->api, l->delivered_seq, BATCH, a, &evs, &n, &err)) {
		log_error("events.read", "listener=%s error=\"%s\"", l->id, err.message);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (query_matches(l->query, evs[i].event_type)) {
			if (post_event(s, l->callback, evs[i].payload, why, sizeof(why))) {
				int64_t backoff = (int64_t)1
						  << (l->failures < 16 ? l->failures : 16);

				if (backoff > s->opts.max_backoff_s)
					backoff = s->opts.max_backoff_s;
				log_warn("events.retry",
					 "listener=%s seq=%lld in_s=%lld error=\"%s\"", l->id,
					 (long long)evs[i].seq, (long long)backoff, why);
				crm_err_clear(&err);
				db_listener_failure(s->db, l->id, time_now_ms() + backoff * 1000,
						    why, &err);
				return sent;
			}
			sent++;
		}
		crm_err_clear(&err);
		if (db_listener_progress(s->db, l->id, evs[i].seq, &err)) {
			log_error("events.progress", "listener=%s error=\"%s\"", l->id,
				  err.message);
			return sent;
		}
	}
	return sent;
}

/* One pass over all listeners; returns events sent. */
static int pass(struct events_sender *s, struct arena *a)
{
	struct crm_err err = {0};
	struct db_listener *ls;
	size_t n;
	int64_t now = time_now_ms();
	int sent = 0;

	if (db_listener_list_all(s->db, a, &ls, &n, &err)) {
		log_error("events.listeners", "error=\"%s\"", err.message);
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		if (ls[i].next_attempt_ms <= now)
			sent += deliver(s, a, &ls[i]);
	return sent;
}

static void *sender_main(void *arg)
{
	struct events_sender *s = arg;
	struct arena *a = arena_new(0);

	for (;;) {
		struct timespec until;
		bool stopping;
		int sent;

		pthread_mutex_lock(&s->lock);
		stopping = s->stopping;
		pthread_mutex_unlock(&s->lock);
		if (stopping && time_mono_ns() >= s->flush_deadline_ns)
			break;
		sent = pass(s, a);
		arena_reset(a);
		if (stopping && sent == 0)
			break;
		if (sent > 0)
			continue;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += (long)s->opts.poll_ms * 1000000L;
		until.tv_sec += until.tv_nsec / 1000000000L;
		until.tv_nsec %= 1000000000L;
		pthread_mutex_lock(&s->lock);
		if (!s->stopping)
			pthread_cond_timedwait(&s->wake, &s->lock, &until);
		pthread_mutex_unlock(&s->lock);
	}
	arena_free(a);
	db_thread_done(s->db);
	return NULL;
}

int events_sender_start(struct db *db, const struct events_sender_opts *opts,
			struct events_sender **out, struct crm_err *err)
{
	struct events_sender *s = xcalloc(1, sizeof(*s));

	s->db = db;
	s->opts = *opts;
	if (!s->opts.poll_ms)
		s->opts.poll_ms = 200;
	if (!s->opts.timeout_ms)
		s->opts.timeout_ms = 5000;
	if (!s->opts.max_backoff_s)
		s->opts.max_backoff_s = 300;
	s->curl = curl_easy_init();
	if (!s->curl) {
		free(s);
		return crm_err_set(err, CRM_EIO, NULL, "cannot initialise the HTTP client");
	}
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->wake, NULL);
	if (pthread_create(&s->thread, NULL, sender_main, s) != 0) {
		curl_easy_cleanup(s->curl);
		free(s);
		return crm_err_set(err, CRM_EIO, NULL, "cannot start the event sender thread");
	}
	*out = s;
	return 0;
}

void events_sender_stop(struct events_sender *s, int flush_ms)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->stopping = true;
	s->flush_deadline_ns = time_mono_ns() + (int64_t)flush_ms * 1000000;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	curl_easy_cleanup(s->curl);
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
