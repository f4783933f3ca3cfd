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
#include "domain/resource.h"

/* A listener (TMF EventSubscription {id, callback, query}), a resource of the layer at
 * /tmf-api/{api}/v4/hub (and /api/v1/hub for telcrm's own events). It belongs to the user
 * who registered it: no one else reads or deletes it, and it receives the events of
 * records that user may read, masked as they would be for them. Create: callback (an http
 * or https URL) and query ("eventType=A,B", each a type the API sends). */
struct hub_listener {
	RES_HEAD; /* row.owner_id: who registered it */
	const char *api;
	const char *callback;
	const char *query;
};
extern const struct res_desc hub_listener_res;

struct events_sender;
struct db;

struct events_sender_opts {
	int poll_ms;	   /* how often to look for new events (0: 200) */
	int timeout_ms;	   /* per POST (0: 5000) */
	int max_backoff_s; /* ceiling of the retry delay (0: 300) */
	int lease_ms;	   /* a listener's lease: how long a dead server holds it (0: 15000) */
};

/* Starts the sender thread. Caller stops it with events_sender_stop(). */
int events_sender_start(struct db *db, const struct events_sender_opts *opts,
			struct events_sender **out, struct crm_err *err);
/* Delivers what is pending (for at most flush_ms), then stops the thread and frees s. */
void events_sender_stop(struct events_sender *s, int flush_ms);

#endif
