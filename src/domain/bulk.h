/*
 * A bulk job on two cores (imports, the demo generator): the caller's thread prepares
 * records — reads, checks and builds their rows, writing nothing — while a writer thread
 * writes them in the order they were given, `batch` records to a transaction, each
 * transaction closed by the job's batch_end (its audit row) before the commit.
 *
 *	bulk_start(ctx, &job, &b);
 *	while (more records) {
 *		item = bulk_next(b);	  // ctx->arena now holds this record's memory
 *		... prepare the record into item ...
 *		if (bulk_push(b)) break;  // the writer stopped: its error comes from bulk_end
 *	}
 *	rc = bulk_end(b, true);
 *
 * Records travel to the writer in chunks, each with its own arena: what an item points to
 * stays valid until the writer is done with it. The writer's callbacks get a context of
 * their own (the caller's principal, their own arena and error, ctx->batch the open
 * transaction).
 */
#ifndef CRM_DOMAIN_BULK_H
#define CRM_DOMAIN_BULK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"

struct bulk_job {
	size_t item_size; /* bytes of one record's item */
	int64_t batch;	  /* records per transaction */
	/* Writer thread: writes item in ctx->batch. Nonzero ends the job; the batch in
	 * progress is rolled back and bulk_end returns the code with ctx->err. */
	int (*write)(void *job, struct crm_ctx *ctx, void *item);
	/* Writer thread (NULL: none): before the first of the next n items (items, n *
	 * item_size bytes) is written in ctx->batch, all of which it will hold — to look
	 * their keys up in one statement. Nonzero ends the job as write's does. */
	int (*look_ahead)(void *job, struct crm_ctx *ctx, void *items, size_t n);
	/* Writer thread: last statement of each transaction (NULL: none). */
	int (*batch_end)(void *job, struct crm_ctx *ctx);
	/* Writer thread: after each commit (NULL: none), e.g. to show progress. */
	void (*committed)(void *job);
	void *job; /* passed to the callbacks */
};

struct bulk;

/* Starts the writer thread. The caller's ctx must outlive the job. */
int bulk_start(struct crm_ctx *ctx, const struct bulk_job *job, struct bulk **out);

/* The next record's item, zeroed. Until the next bulk_next or bulk_end, the caller's
 * ctx->arena is the record's arena: what the item points to goes there. */
void *bulk_next(struct bulk *b);

/* Hands the item from bulk_next to the writer. Nonzero when the writer has stopped: stop
 * preparing and call bulk_end, which returns the writer's error. */
int bulk_push(struct bulk *b);

/* Ends the job: with commit, the records pushed are written and the last transaction is
 * committed; without, the transaction in progress is rolled back. Returns 0 or the
 * writer's error (into the caller's ctx->err); restores the caller's ctx->arena and frees
 * b. */
int bulk_end(struct bulk *b, bool commit);

#endif
