/*
 * The resource layer: a business resource is declared as data — a field table (struct
 * res_field) and a descriptor (struct res_desc) — and its get, list, create, merge patch
 * and delete are written once, here, over them: the version check, the lifecycle, the
 * audit row and the events in the change's one transaction, the JSON shapes, the table's
 * statements, filters, sort and cursors. What a resource writes itself is its business
 * rules, in the descriptor's hooks. The registry (res_registry) lists every resource, so
 * that whatever must know them all — audit masking, event delivery, references' hrefs,
 * routes — reads one list, and a resource nobody listed is treated as holding personal data.
 *
 * A resource's struct begins with RES_HEAD (the stored head, the presence bits of a decoded
 * input, the href); each field names the offset of its value, as json.h's fields do.
 */
#ifndef CRM_RESOURCE_H
#define CRM_RESOURCE_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/json.h"
#include "core/mask.h"
#include "store/db.h"

/* The first members of every resource struct. */
#define RES_HEAD                                                                                   \
	struct db_row row; /* id, org_id, org_path, owner_id, doc, version, times */               \
	uint64_t present;  /* the fields a decoded input held (json.h) */                          \
	const char *href;  /* set by the layer from the descriptor's path */                       \
	const char *base_type, *schema_location /* TMF @baseType and @schemaLocation, echoed */

struct res_head {
	RES_HEAD;
};

/* Field flags, beside json.h's JSON_REQUIRED (on create), JSON_READONLY (set by the
 * server), JSON_NULLABLE (null clears it), JSON_WRITEONLY and the JSON_MASK_* kinds. */
#define RES_FILTER    (1u << 8)	 /* name=a,b; numbers and times also .gt .gte .lt .lte */
#define RES_SORT      (1u << 9)	 /* sort=name or sort=-name */
#define RES_IMMUTABLE (1u << 10) /* given on create, never changed afterwards */
#define RES_NOT_BLANK (1u << 11) /* a string that must hold more than white space */
/* An object field kept in the columns of its members (the "name.member" entries that
 * follow it) rather than in the document. */
#define RES_COLUMNS (1u << 12)
/* Not a member of the JSON shape: the column of a nested member ("churn.churnDate", whose
 * offset is that member's) or a value the rules derive (an identification number). Such
 * an entry may be filtered and sorted on by its name and names its field in conflicts. */
#define RES_HIDDEN (1u << 13)
/* Set from the route (a path parameter: the hub's API), never from a body. */
#define RES_BOUND (1u << 14)
/* Kept in a NOT NULL text column where '' stands for no value (db.h). */
#define RES_EMPTY_IS_NULL (1u << 15)
/* Kept by the resource's hooks, not by the layer: neither a column nor a member of the
 * document (a side table the side hook writes and the loaded hook reads, or a value the
 * loaded hook derives). */
#define RES_SIDE (1u << 16)
/* A RES_HIDDEN field with JSON_READONLY is kept by the server: an update carries its
 * stored value over unless the check hook sets another (a password's hash). */

struct res_field {
	const char *name; /* the API name; "a.b" for a member b of object a (RES_HIDDEN) */
	enum json_ftype type;
	size_t offset;
	unsigned flags;
	const char *column; /* its column; NULL: a member of the document column */
	const struct json_desc *sub;
	size_t max_len;		   /* as json.h: bytes of a string, items of an array */
	const char *const *values; /* strings: the allowed values, NULL-terminated */
	const char *taken;	   /* unique columns: the conflict's message ("%s": value) */
};

/* Field-table shorthand, with RES_T defined as the resource's struct. */
#define RES_FIELD(api, ftype, member, ...)                                                         \
	{                                                                                          \
		.name = api, .type = ftype, .offset = offsetof(RES_T, member), __VA_ARGS__         \
	}

/* The allowed states of a resource and the moves between them. */
struct res_lifecycle {
	const char *field;	       /* the state's field: "status" */
	const char *const *states;     /* every state, in lifecycle order */
	const char *const *initial;    /* those a new record may start in; the first is the
					  default */
	const char *const (*moves)[2]; /* from → to, ending with {NULL, NULL} */
	/* the states in which a record no longer changes at all (a terminated line, a
	   retired offering: what others still name), NULL-terminated; NULL: none */
	const char *const *final;
};

/* What a create or an update brings to the hooks. */
struct res_change {
	const void *in;	    /* the decoded input (its presence bits say what was sent) */
	const cJSON *body;  /* the body itself (the merge patch of an update) */
	const void *before; /* the stored state (NULL on create) */
	bool bulk;	    /* a bulk load (import, demo): any state allowed */
	const void *with;   /* a bulk load: the record of another resource made with this one
			       (a customer's party), not yet written */
	const char *action; /* set by the check hook: the audit action of an update when not
			       "update" ("update.password") */
};

struct res__built;
/* Where the layer keeps what it generates for a resource (RES_STORAGE). */
struct res__slot {
	struct res__built *_Atomic p;
};
#define RES_STORAGE(name) static struct res__slot name##__built

struct res_desc {
	const char *name;	 /* "customer": the registry's key, the audit resource */
	const char *what;	 /* its name in messages ("org unit"); NULL: name */
	const char *type_name;	 /* "Customer": the TMF @type and the events' prefix */
	const char *path;	 /* "/tmf-api/customerManagement/v4/customer": routes, hrefs */
	const char *event_api;	 /* the hub API its events go to ("customerManagement") */
	const char *event_field; /* the member of an event holding it ("customer") */
	const char *table;	 /* SQL table */
	const char *kind_column, *kind_value; /* for tables of several kinds (db.h) */
	enum db_scope_kind scope;
	bool soft_delete;    /* a delete hides the row and keeps it for the audit trail */
	bool no_delete;	     /* never deleted (org units close instead) */
	bool client_id;	     /* the id is given on create (org unit codes) */
	bool no_update;	     /* never changed once made (hub listeners) */
	bool owned;	     /* DB_SCOPE_UNIT records that also have an owning user (a field on
				row.owner_id, column owner_id: "ownerId"), the creator unless given;
				the own-records depth reaches them through their owner */
	size_t size;	     /* of the resource struct */
	uint64_t perm_read;  /* permissions to read (0: any authenticated caller) */
	uint64_t perm_write; /* and to create, change and delete */
	const struct res_field *fields;	       /* ending with {NULL} */
	const struct res_lifecycle *lifecycle; /* or NULL */
	const char *sort; /* the order of a list that names none ("path"); NULL: newest first */

	/* Business rules. input: the decoded body of a create (id NULL) or an update (the
	 * patch), before the transaction begins: slow work that must not hold the writer (a
	 * password's hash), stored in the input for check to take. check: the merged state obj of a
	 * create (ch->before NULL) or an update, to check and complete (derived members, references
	 * looked up through tx); CRM_E* refuses the change. removing: refuses a delete (tx open,
	 * obj the stored state). side: writes what goes with the row in other tables (search keys),
	 * after its INSERT or UPDATE (before NULL on create) and before its DELETE (after NULL).
	 * loaded: completes a record read from the store. Each may be NULL. */
	int (*input)(struct crm_ctx *ctx, const char *id, void *in);
	int (*check)(struct crm_ctx *ctx, struct db_tx *tx, void *obj, struct res_change *ch);
	int (*removing)(struct crm_ctx *ctx, struct db_tx *tx, const void *obj);
	int (*side)(struct crm_ctx *ctx, struct db_tx *tx, const void *before, const void *after);
	void (*loaded)(struct crm_ctx *ctx, void *obj);
	/* The record's distribution key when it is not its own id (what a customer owns: the
	 * customer's id), for its audit rows (change.h); NULL: the id. */
	const char *(*dkey)(const void *obj);

	struct res__slot *built; /* RES_STORAGE: the generated shapes and statements */
};

/* Every resource, NULL-terminated (registry.c). */
extern const struct res_desc *const res_registry[];

/* The resource of that name, or of that @type; NULL when none is registered. */
const struct res_desc *res_find(const char *name);
const struct res_desc *res_find_type(const char *type_name);

/* The shapes generated from the field table, built once on first use (thread-safe):
 * the JSON of a record (rendering and input; READONLY members are refused on input),
 * the document column's part of it, and the table. */
const struct json_desc *res_json(const struct res_desc *d);
const struct db_table *res_table(const struct res_desc *d);
/* The names a list may filter on, NULL-terminated. */
const char *const *res_filterable(const struct res_desc *d);
/* The event types the resource sends ("CustomerCreateEvent", …), NULL-terminated. */
const char *const *res_event_types(const struct res_desc *d);

/* The record as JSON (unmasked, hrefs filled), allocated in ctx arena. */
cJSON *res_encode(struct crm_ctx *ctx, const struct res_desc *d, const void *obj);
/* The same with personal data masked when masked is set; the caller owns the tree
 * (cJSON_Delete, or json_adopt). */
cJSON *res_render(struct crm_ctx *ctx, const struct res_desc *d, const void *obj, bool masked);
/* The href of the record of d with that id (d's path has no parameter). */
const char *res_href(struct crm_ctx *ctx, const struct res_desc *d, const char *id);
/* Fills the href of every reference in tree that names a registered resource by
 * "@referredType" and its "id". */
void res_hrefs_fill(struct crm_ctx *ctx, cJSON *tree);

/* A page of a list: db_list_opts (filters by API name, sort, cursor) in, rows out. */
struct res_page {
	void *items; /* n resource structs */
	size_t n;
	int64_t total;		 /* matching rows, or -1 when not counted */
	const char *next_cursor; /* where the next page starts, or NULL at the end */
};

/*
 * The operations. Every function: ctx's scope limits what is reached (a record outside
 * it is CRM_ENOTFOUND, as is a deleted one); results allocated in ctx->arena; errors in
 * ctx->err. Writes are one change (domain/change.h): the row, its side tables, the audit
 * row and the events commit together.
 *
 * res_create: body decoded with res_json(d) (required fields, no read-only ones), the
 * lifecycle's initial states, the hooks; CRM_EINVAL, CRM_ECONFLICT (a unique value
 * taken, or what the hooks refuse). res_update: body is a JSON merge patch (RFC 7396);
 * if_match >= 0 must be the current version (CRM_ESTALE); immutable fields and lifecycle
 * moves are checked; a patch that changes nothing writes nothing and keeps the version;
 * a change of state sends the StateChange event, a change of anything else the
 * AttributeValueChange event with the changed paths (both when both). res_delete:
 * CRM_ECONFLICT when the removing hook refuses.
 */
int res_get(struct crm_ctx *ctx, const struct res_desc *d, const char *id, void *out);
int res_list(struct crm_ctx *ctx, const struct res_desc *d, const struct db_list_opts *opts,
	     struct res_page *out);
/* bound: the value of the resource's RES_BOUND field, given by the route (else NULL) */
int res_create(struct crm_ctx *ctx, const struct res_desc *d, const cJSON *body, const char *bound,
	       void *out);
int res_update(struct crm_ctx *ctx, const struct res_desc *d, const char *id, int64_t if_match,
	       const cJSON *body, void *out);
int res_delete(struct crm_ctx *ctx, const struct res_desc *d, const char *id, int64_t if_match);

/* The same on a record built in code (obj, with its presence bits for an update), for
 * bulk loads and other modules: checks, hooks, row, side tables, audit and events. */
int res_create_obj(struct crm_ctx *ctx, const struct res_desc *d, void *obj, void *out);

/*
 * Bulk loads (the import, the demo) in two steps that a bulk job runs on two threads:
 * res_prepare checks a decoded record as a create would (any state allowed, no writes;
 * tx may be NULL: references are read through the thread's reader; with: the record of
 * another resource made with this one, for its hooks) and completes it into a row;
 * res_insert writes the row and its side tables in the job's batch (ctx->batch), without
 * an audit row or event of its own.
 */
int res_prepare(struct crm_ctx *ctx, const struct res_desc *d, struct db_tx *tx, void *obj,
		const void *with);
int res_insert(struct crm_ctx *ctx, const struct res_desc *d, const void *obj);
/* The refusal that the unique key on column would make of obj's insert (CRM_ECONFLICT,
 * with the field's own message), for a bulk load that looked the key up instead of
 * trying it. */
int res_taken(struct crm_ctx *ctx, const struct res_desc *d, const void *obj, const char *column);

/* Completes a row the store read (a table walk's) into the record the API shows. */
void res_loaded(struct crm_ctx *ctx, const struct res_desc *d, void *obj);

/* Loads the record in scope (through tx when not NULL) whose text column `column` (one of
 * its field table's, unique) holds value; CRM_ENOTFOUND when none. */
int res_get_by(struct crm_ctx *ctx, const struct res_desc *d, struct db_tx *tx,
	       struct db_scope scope, const char *column, const char *value, void *out);

/* Loads the record in scope within tx and checks if_match (CRM_ESTALE). */
int res_load(struct crm_ctx *ctx, const struct res_desc *d, struct db_tx *tx, const char *id,
	     int64_t if_match, void *out);

/* The resource's RES_BOUND field (at most one), or NULL; and its value in obj. */
const struct res_field *res_bound_field(const struct res_desc *d);
const char *res_bound_value(const struct res_desc *d, const void *obj);

/* True when the lifecycle of d allows from → to. */
bool res_move_ok(const struct res_desc *d, const char *from, const char *to);
/* The states d may move to from `from`, in lifecycle order, into out (room for every
 * state); returns how many. */
size_t res_moves_from(const struct res_desc *d, const char *from, const char **out);

/* A personal-data value from a caller who sees it masked: when *value is the mask of
 * current (the masked text sent back unchanged) it becomes current; another masked-looking
 * value is refused (CRM_EINVAL on field); anything else is left as it is. */
int res_unmask(struct crm_ctx *ctx, enum mask_kind kind, const char *field, const char *current,
	       const char **value);

/* The shared records every TMF resource uses. */
struct time_period {
	int64_t start_ms, end_ms;
};
extern const struct json_desc time_period_desc;

#endif
