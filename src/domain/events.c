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
#include <unistd.h>

#include "auth/auth.h"
#include "core/arena.h"
#include "core/id.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/time.h"
#include "domain/change.h"
#include "store/db.h"
#include "core/banned.h"

#define CALLBACK_MAX 2048
#define QUERY_MAX    512
#define BATCH	     64

/* Whether a registered resource sends its events to api. */
static bool api_publishes(const char *api)
{
	for (size_t i = 0; res_registry[i]; i++)
		if (res_registry[i]->event_api && strcmp(res_registry[i]->event_api, api) == 0)
			return true;
	return false;
}

/* Whether some resource of api sends events of that type (len bytes of type). */
static bool api_sends(const char *api, const char *type, size_t len)
{
	for (size_t i = 0; res_registry[i]; i++) {
		const char *const *t;

		if (!res_registry[i]->event_api || strcmp(res_registry[i]->event_api, api) != 0)
			continue;
		for (t = res_event_types(res_registry[i]); *t; t++)
			if (strlen(*t) == len && memcmp(*t, type, len) == 0)
				return true;
	}
	return false;
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

/* The one query form supported: "eventType=A,B" (TMF hub query on the event type), each
 * a type the API sends. */
static int check_query(struct crm_ctx *ctx, const char *api, const char *q)
{
	const char *p;

	if (!q || !*q)
		return 0;
	if (strncmp(q, "eventType=", 10) != 0 || !q[10])
		return crm_err_set(&ctx->err, CRM_EINVAL, "query",
				   "query '%s' is not supported: use 'eventType=A,B'", q);
	for (p = q + 10; *p;) {
		size_t len = strcspn(p, ",");

		if (!api_sends(api, p, len))
			return crm_err_set(&ctx->err, CRM_EINVAL, "query",
					   "the %s API sends no '%.*s' events", api, (int)len, p);
		p += len + (p[len] == ',');
	}
	return 0;
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

static int check(struct crm_ctx *ctx, struct db_tx *tx, void *obj, struct res_change *ch)
{
	struct hub_listener *l = obj;
	int rc;

	(void)tx;
	(void)ch;
	if (!api_publishes(l->api))
		return crm_err_set(&ctx->err, CRM_ENOTFOUND, "api", "no API '%s' publishes events",
				   l->api);
	if (!l->row.owner_id)
		return crm_err_set(&ctx->err, CRM_EPERM, NULL,
				   "a listener belongs to a user: register it with a user's "
				   "session or token");
	if ((rc = check_callback(ctx, l->callback)) || (rc = check_query(ctx, l->api, l->query)))
		return rc;
	if (l->query && !*l->query)
		l->query = NULL;
	return 0;
}

/* A new listener receives the events from now on. */
static int side(struct crm_ctx *ctx, struct db_tx *tx, const void *before, const void *after)
{
	const struct hub_listener *l = after;

	return before || !l ? 0 : db_listener_start(tx, l->row.id, &ctx->err);
}

#define RES_T struct hub_listener
static const struct res_field fields[] = {
	RES_FIELD("api", JSON_STRING, api, .flags = RES_BOUND | RES_FILTER, .column = "api"),
	RES_FIELD("callback", JSON_STRING, callback, .flags = JSON_REQUIRED | RES_NOT_BLANK,
		  .column = "callback", .max_len = CALLBACK_MAX),
	RES_FIELD("query", JSON_STRING, query, .column = "query", .max_len = QUERY_MAX),
	{0},
};
#undef RES_T

RES_STORAGE(hub_listener);

const struct res_desc hub_listener_res = {
	.name = "hubListener",
	.what = "listener",
	.type_name = "EventSubscription",
	.path = "/tmf-api/{api}/v4/hub",
	.table = "hub_listener",
	.scope = DB_SCOPE_OWNER,
	.no_update = true,
	.size = sizeof(struct hub_listener),
	.perm_read = PERM_HUB_MANAGE,
	.perm_write = PERM_HUB_MANAGE,
	.fields = fields,
	.check = check,
	.side = side,
	.built = &hub_listener__built,
};

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
	char holder[64]; /* this sender's name in the listeners' leases */
	int64_t beat_ms; /* when its server last noted its presence */
};

/* Every PRESENCE_MS the server notes that it is alive (server_presence) and learns how
 * many servers share the database, seen within PRESENCE_STALE_MS: each allows a caller
 * its share of the request rate limit. */
#define PRESENCE_MS	  2000
#define PRESENCE_STALE_MS (3 * PRESENCE_MS)

static void presence_beat(struct events_sender *s)
{
	struct crm_err err = {0};
	int64_t now = time_now_ms(), alive = 1;

	if (now - s->beat_ms < PRESENCE_MS && now >= s->beat_ms)
		return;
	s->beat_ms = now;
	if (db_presence_beat(s->db, s->holder, now, now - PRESENCE_STALE_MS, &alive, &err)) {
		log_warn("events.presence", "error=\"%s\"", err.message);
		return;
	}
	auth_servers_set(alive > 0 ? (unsigned)alive : 1);
}

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

/* The event as the listener's owner would read its record: NULL when the record lies
 * outside their scope or permissions, or is of no registered resource (fail closed); the
 * record masked when they may not read personal data. */
static const char *payload_for(struct crm_ctx *owner, const struct db_event *ev)
{
	const struct res_desc *d = ev->resource ? res_find(ev->resource) : NULL;
	cJSON *env, *inner;

	if (!d || (d->perm_read && !(owner->who.perms & d->perm_read)) ||
	    (d->scope != DB_SCOPE_NONE && !db_scope_holds(db_scope_for(owner, d->perm_read),
							  ev->org_path, d->owned, ev->owner_id)))
		return NULL;
	if (!owner->who.pii_masked)
		return ev->payload;
	if (json_parse(owner->arena, ev->payload, strlen(ev->payload), &env, NULL) != 0)
		return NULL;
	inner = cJSON_GetObjectItemCaseSensitive(env, "event");
	json_mask_tree(owner->arena, res_json(d),
		       cJSON_GetObjectItemCaseSensitive(inner, d->event_field));
	return json_print(owner->arena, env, NULL);
}

static void failed(struct events_sender *s, const struct db_listener *l, int64_t seq,
		   const char *why)
{
	struct crm_err err = {0};
	int64_t backoff = (int64_t)1 << (l->failures < 16 ? l->failures : 16);

	if (backoff > s->opts.max_backoff_s)
		backoff = s->opts.max_backoff_s;
	log_warn("events.retry", "listener=%s seq=%lld in_s=%lld error=\"%s\"", l->id,
		 (long long)seq, (long long)backoff, why);
	db_listener_failure(s->db, l->id, s->holder, time_now_ms() + backoff * 1000, why, &err);
}

/* Whether this sender holds l's lease for a while yet, taking or renewing it if not:
 * one sender at a time delivers a listener's events, in order, across servers. */
static bool lease_held(struct events_sender *s, const struct db_listener *l)
{
	struct crm_err err = {0};
	int64_t now = time_now_ms();
	bool held = false;

	if (l->lease_owner && strcmp(l->lease_owner, s->holder) == 0 &&
	    l->lease_until_ms - now > s->opts.lease_ms / 2)
		return true;
	if (db_listener_claim(s->db, l->id, s->holder, now, now + s->opts.lease_ms, &held, &err))
		log_error("events.lease", "listener=%s error=\"%s\"", l->id, err.message);
	return held;
}

/* Delivers pending events to one listener, as its owner may see them; returns how many
 * were sent. */
static int deliver(struct events_sender *s, struct arena *a, const struct db_listener *l)
{
	struct crm_err err = {0};
	struct crm_ctx owner;
	struct db_event *evs;
	size_t n;
	int sent = 0;
	char why[256];

	ctx_init_system(&owner, a, s->db);
	if (!l->owner_id || auth_principal_of(&owner, l->owner_id)) {
		failed(s, l, l->delivered_seq + 1,
		       l->owner_id ? owner.err.message
				   : "the listener has no owner: register it again with a user's "
				     "token");
		return 0;
	}
	if (db_outbox_after(s->db, l->api, l->delivered_seq, BATCH, a, &evs, &n, &err)) {
		log_error("events.read", "listener=%s error=\"%s\"", l->id, err.message);
		return 0;
	}
	/* the events read before the lease was taken are those after the cursor it took:
	 * a holder moves the cursor only while it holds the lease */
	if (n == 0 || !lease_held(s, l))
		return 0;
	for (size_t i = 0; i < n; i++) {
		const char *payload;

		if (query_matches(l->query, evs[i].event_type) &&
		    (payload = payload_for(&owner, &evs[i]))) {
			if (post_event(s, l->callback, payload, why, sizeof(why))) {
				failed(s, l, evs[i].seq, why);
				return sent;
			}
			sent++;
		}
		crm_err_clear(&err);
		if (db_listener_progress(s->db, l->id, s->holder, evs[i].seq,
					 time_now_ms() + s->opts.lease_ms, &err)) {
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
		presence_beat(s);
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

/* The server's name in leases and presence: unique to this process, readable in the
 * tables ("host/pid/random"). */
static void holder_name(char *out, size_t cap)
{
	char host[24] = "", id[ID_LEN + 1];

	gethostname(host, sizeof(host) - 1);
	id_new(id);
	/* a UUIDv7 begins with the clock: its random tail */
	snprintf(out, cap, "%s/%ld/%s", host, (long)getpid(), id + ID_LEN - 12);
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
	if (!s->opts.lease_ms)
		s->opts.lease_ms = 15000;
	holder_name(s->holder, sizeof(s->holder));
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
	struct crm_err err = {0};

	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->stopping = true;
	s->flush_deadline_ns = time_mono_ns() + (int64_t)flush_ms * 1000000;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	if (db_listener_release(s->db, s->holder, &err) ||
	    db_presence_leave(s->db, s->holder, &err))
		log_warn("events.release", "error=\"%s\"", err.message);
	curl_easy_cleanup(s->curl);
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
