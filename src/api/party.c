/* /tmf-api/party/v4/individual and /organization (TMF632): list, get, create, merge
 * patch, delete. */
#include "api/api.h"
#include "auth/auth.h"
#include "domain/party.h"
#include "core/banned.h"

struct kind {
	const char *name;
	const struct json_desc *out, *in;
	const char *const *filterable;
};

static const struct kind individual = {"individual", &individual_desc, &individual_input_desc,
				       individual_filterable};
static const struct kind organization = {"organization", &organization_desc,
					 &organization_input_desc, organization_filterable};

static int list(const struct kind *k, struct crm_ctx *ctx, struct http_req *req,
		struct http_res *res)
{
	struct db_list_opts opts;
	struct party *items;
	size_t n;
	int64_t total;
	int rc;

	if ((rc = http_list_opts(ctx, req, k->filterable, &opts)) ||
	    (rc = party_list(ctx, k->name, &opts, &items, &n, &total)))
		return rc;
	return http_render_list(ctx, req, res, k->out, items, n, total);
}

static int get(const struct kind *k, struct crm_ctx *ctx, struct http_req *req,
	       struct http_res *res)
{
	struct party p;
	int rc;

	if ((rc = party_get(ctx, k->name, req->params[0], &p)))
		return rc;
	return http_render(ctx, req, res, 200, k->out, &p, p.version);
}

static int create(const struct kind *k, struct crm_ctx *ctx, struct http_req *req,
		  struct http_res *res)
{
	struct party in, p;
	cJSON *body;
	int rc;

	if ((rc = http_req_json(ctx, req, &body)) ||
	    (rc = json_decode(ctx->arena, body, k->in, &in, JSON_CREATE, &ctx->err)) ||
	    (rc = party_create(ctx, k->name, &in, &p)))
		return rc;
	return http_render_created(ctx, req, res, k->out, &p, p.version, p.href);
}

static int patch(const struct kind *k, struct crm_ctx *ctx, struct http_req *req,
		 struct http_res *res)
{
	struct party in, p;
	int64_t version;
	cJSON *body;
	int rc;

	if ((rc = http_req_if_match(ctx, req, &version)) || (rc = http_req_json(ctx, req, &body)) ||
	    (rc = json_decode(ctx->arena, body, k->in, &in, JSON_PATCH, &ctx->err)) ||
	    (rc = party_update(ctx, k->name, req->params[0], version, &in, &p)))
		return rc;
	return http_render(ctx, req, res, 200, k->out, &p, p.version);
}

static int del(const struct kind *k, struct crm_ctx *ctx, struct http_req *req,
	       struct http_res *res)
{
	int64_t version;
	int rc;

	if ((rc = http_req_if_match(ctx, req, &version)) ||
	    (rc = party_delete(ctx, k->name, req->params[0], version)))
		return rc;
	return http_render_empty(res);
}

#define HANDLERS(k)                                                                                \
	static int k##_list(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)       \
	{                                                                                          \
		return list(&k, ctx, req, res);                                                    \
	}                                                                                          \
	static int k##_get(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)        \
	{                                                                                          \
		return get(&k, ctx, req, res);                                                     \
	}                                                                                          \
	static int k##_create(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)     \
	{                                                                                          \
		return create(&k, ctx, req, res);                                                  \
	}                                                                                          \
	static int k##_patch(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)      \
	{                                                                                          \
		return patch(&k, ctx, req, res);                                                   \
	}                                                                                          \
	static int k##_delete(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)     \
	{                                                                                          \
		return del(&k, ctx, req, res);                                                     \
	}

HANDLERS(individual)
HANDLERS(organization)

#define IND "/tmf-api/party/v4/individual"
#define ORG "/tmf-api/party/v4/organization"

const struct http_route api_party_routes[] = {
	{"GET", IND, individual_list, PERM_CUSTOMER_READ, 0, NULL},
	{"POST", IND, individual_create, PERM_CUSTOMER_WRITE, HTTP_BODY_JSON, NULL},
	{"GET", IND "/{id}", individual_get, PERM_CUSTOMER_READ, 0, NULL},
	{"PATCH", IND "/{id}", individual_patch, PERM_CUSTOMER_WRITE, HTTP_BODY_PATCH, NULL},
	{"DELETE", IND "/{id}", individual_delete, PERM_CUSTOMER_WRITE, 0, NULL},
	{"GET", ORG, organization_list, PERM_CUSTOMER_READ, 0, NULL},
	{"POST", ORG, organization_create, PERM_CUSTOMER_WRITE, HTTP_BODY_JSON, NULL},
	{"GET", ORG "/{id}", organization_get, PERM_CUSTOMER_READ, 0, NULL},
	{"PATCH", ORG "/{id}", organization_patch, PERM_CUSTOMER_WRITE, HTTP_BODY_PATCH, NULL},
	{"DELETE", ORG "/{id}", organization_delete, PERM_CUSTOMER_WRITE, 0, NULL},
	{0},
};
