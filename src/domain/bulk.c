/*
 * The bulk job (bulk.h): a ring of CHUNKS chunks of CHUNK_ITEMS items between the
 * caller's thread, which fills them in ring order, and the writer thread, which writes
 * them in the same order. full_head and full_count say which chunks wait for the writer
 * (the one it is writing included); the caller fills the chunk after the last of them.
 * The two threads meet once per chunk, not per record.
 */
#include "domain/bulk.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/mem.h"
#include "store/db.h"
#include "core/banned.h"

#define CHUNK_ITEMS 256
#define CHUNKS	    4

struct chunk {
	struct arena *arena; /* the memory of its records */
	char *items;	     /* CHUNK_ITEMS items of job.item_size bytes */
	size_t n;
};

struct bulk {
	struct bulk_job job;
	struct crm_ctx *caller;
	struct arena *caller_arena; /* restored by bulk_end */
	struct crm_ctx w;	    /* the writer's context */
	pthread_t thread;
	bool started;
	pthread_mutex_t lock;
	pthread_cond_t cond; /* a chunk was handed over or given back, or the job ends */
	struct chunk chunks[CHUNKS];
	size_t full_head, full_count; /* under lock */
	size_t fill;		      /* the chunk the caller fills */
	bool closing, commit;	      /* under lock: no more chunks will come */
	bool stopped;		      /* under lock: the writer ended with rc */
	int rc;
};

/* Ends the writer's transaction: batch_end, then the commit (or the rollback when either
 * fails). */
static int batch_close(struct bulk *b, struct db_tx **tx)
{
	int rc = b->job.batch_end ? b->job.batch_end(b->job.job, &b->w) : 0;

	b->w.batch = NULL;
	if (rc)
		db_tx_rollback(*tx);
	else
		rc = db_tx_commit(*tx, &b->w.err);
	*tx = NULL;
	if (!rc && b->job.committed)
		b->job.committed(b->job.job);
	return rc;
}

/* Writes one chunk's records, opening and closing transactions every job.batch records;
 * the records of the chunk that a transaction will hold are looked ahead at as it gets
 * the first of them. */
static int write_chunk(struct bulk *b, struct chunk *c, struct db_tx **tx, int64_t *in_batch)
{
	int rc = 0;

	for (size_t i = 0; !rc && i < c->n; i++) {
		if (!*tx && (rc = db_tx_begin(b->w.db, tx, &b->w.err)))
			break;
		b->w.batch = *tx;
		if (b->job.look_ahead && (i == 0 || *in_batch == 0)) {
			size_t left = (size_t)(b->job.batch - *in_batch);

			if ((rc = b->job.look_ahead(b->job.job, &b->w,
						    c->items + i * b->job.item_size,
						    c->n - i < left ? c->n - i : left)))
				break;
		}
		if ((rc = b->job.write(b->job.job, &b->w, c->items + i * b->job.item_size)))
			break;
		if (++*in_batch == b->job.batch) {
			*in_batch = 0;
			rc = batch_close(b, tx);
		}
	}
	arena_reset(b->w.arena);
	return rc;
}

static void *writer_main(void *arg)
{
	struct bulk *b = arg;
	struct db_tx *tx = NULL;
	int64_t in_batch = 0;
	bool commit;
	int rc = 0;

	for (;;) {
		struct chunk *c;

		pthread_mutex_lock(&b->lock);
		while (!b->full_count && !b->closing)
			pthread_cond_wait(&b->cond, &b->lock);
		commit = b->commit;
		c = b->full_count && (!b->closing || commit) ? &b->chunks[b->full_head] : NULL;
		pthread_mutex_unlock(&b->lock);
		if (!c)
			break;
		rc = write_chunk(b, c, &tx, &in_batch);
		pthread_mutex_lock(&b->lock);
		b->full_head = (b->full_head + 1) % CHUNKS;
		b->full_count--;
		b->stopped = rc != 0;
		b->rc = rc;
		pthread_cond_broadcast(&b->cond);
		pthread_mutex_unlock(&b->lock);
		if (rc)
			break;
	}
	if (tx && !rc && commit)
		rc = batch_close(b, &tx);
	db_tx_rollback(tx);
	b->w.batch = NULL;
	db_thread_done(b->w.db);
	pthread_mutex_lock(&b->lock);
	b->stopped = true;
	b->rc = rc;
	pthread_cond_broadcast(&b->cond);
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

int bulk_start(struct crm_ctx *ctx, const struct bulk_job *job, struct bulk **out)
{
	struct bulk *b = xcalloc(1, sizeof(*b));

	b->job = *job;
	b->caller = ctx;
	b->caller_arena = ctx->arena;
	b->w = *ctx;
	b->w.arena = arena_new(0);
	crm_err_clear(&b->w.err);
	for (size_t i = 0; i < CHUNKS; i++) {
		b->chunks[i].arena = arena_new(0);
		b->chunks[i].items = xcalloc(CHUNK_ITEMS, job->item_size);
	}
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->cond, NULL);
	if (pthread_create(&b->thread, NULL, writer_main, b) != 0) {
		bulk_end(b, false);
		*out = NULL;
		return crm_err_set(&ctx->err, CRM_EINTERNAL, NULL, "cannot start a thread");
	}
	pthread_setname_np(b->thread, "telcrm-writer"); /* for top -H, perf, gdb */
	b->started = true;
	*out = b;
	return 0;
}

void *bulk_next(struct bulk *b)
{
	struct chunk *c = &b->chunks[b->fill];
	void *item = c->items + c->n * b->job.item_size;

	memset(item, 0, b->job.item_size);
	b->caller->arena = c->arena;
	return item;
}

int bulk_push(struct bulk *b)
{
	struct chunk *c = &b->chunks[b->fill];
	int rc;

	if (++c->n < CHUNK_ITEMS)
		return 0;
	pthread_mutex_lock(&b->lock);
	b->full_count++;
	pthread_cond_broadcast(&b->cond);
	while (b->full_count == CHUNKS && !b->stopped)
		pthread_cond_wait(&b->cond, &b->lock);
	b->fill = (b->full_head + b->full_count) % CHUNKS;
	rc = b->stopped ? (b->rc ? b->rc : CRM_EINTERNAL) : 0;
	pthread_mutex_unlock(&b->lock);
	c = &b->chunks[b->fill];
	arena_reset(c->arena);
	c->n = 0;
	return rc;
}

int bulk_end(struct bulk *b, bool commit)
{
	int rc;

	pthread_mutex_lock(&b->lock);
	if (commit && b->chunks[b->fill].n && !b->stopped)
		b->full_count++; /* the chunk being filled goes too */
	b->closing = true;
	b->commit = commit;
	pthread_cond_broadcast(&b->cond);
	pthread_mutex_unlock(&b->lock);
	if (b->started)
		pthread_join(b->thread, NULL);
	rc = b->rc;
	if (rc && !b->caller->err.code)
		b->caller->err = b->w.err;
	b->caller->arena = b->caller_arena;
	for (size_t i = 0; i < CHUNKS; i++) {
		arena_free(b->chunks[i].arena);
		free(b->chunks[i].items);
	}
	arena_free(b->w.arena);
	pthread_mutex_destroy(&b->lock);
	pthread_cond_destroy(&b->cond);
	free(b);
	return rc;
}
