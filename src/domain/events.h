/*
 * Event notification (TMF hub/listener): listeners register a callback URL per API; the
 * sender thread POSTs each outbox event to every listener of its API, in order, at least
 * once, retrying with exponential back-off. Progress is kept in the database, so delivery
 * survives a restart.
 */
#ifndef CRM_EVENTS_H
#define CRM_EVENTS_H

#include <stdint.h>

#include "core/ctx.h"
#include "core/json.h"

/* The TMF EventSubscription resource: {id, callback, query}. */
struct hub_subscription {
	const char *id;
	const char *callback;
	const char *query;
};
extern const struct json_desc hub_subscription_desc;	   /* rendering */
extern const struct json_desc hub_subscription_input_desc; /* POST body */

/* True if api names an API that publishes events ("customerManagement", "telcrm", …). */
int events_api_known(const char *api);

/* Registers a listener for api. CRM_EINVAL for a callback that is not an http(s) URL or
 * a query other than "eventType=A,B,…"; CRM_ENOTFOUND for an unknown api. */
int events_subscribe(struct crm_ctx *ctx, const char *api, const struct hub_subscription *in,
		     struct hub_subscription *out);
/* CRM_ENOTFOUND if api has no listener with that id. */
int events_unsubscribe(struct crm_ctx *ctx, const char *api, const char *id);
int events_subscription_get(struct crm_ctx *ctx, const char *api, const char *id,
			    struct hub_subscription *out);

struct events_sender;
struct db;

struct events_sender_opts {
	int poll_ms;	   /* how often to look for new events (0: 200) */
	int timeout_ms;	   /* per POST (0: 5000) */
	int max_backoff_s; /* ceiling of the retry delay (0: 300) */
};

/* Starts the sender thread. Caller stops it with events_sender_stop(). */
int events_sender_start(struct db *db, const struct events_sender_opts *opts,
			struct events_sender **out, struct crm_err *err);
/* Delivers what is pending (for at most flush_ms), then stops the thread and frees s. */
void events_sender_stop(struct events_sender *s, int flush_ms);

#endif
