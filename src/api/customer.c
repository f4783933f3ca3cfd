/* /tmf-api/customerManagement/v4/customer (TMF629): list, get, create, merge patch,
 * delete. */
#include "api/api.h"
#include "auth/auth.h"
#include "domain/customer.h"
#include "core/banned.h"

static int list(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct db_list_opts opts;
	struct customer *items;
	size_t n;
	int64_t total;
	int rc;

	if ((rc = http_list_opts(ctx, req, customer_filterable, &opts)) ||
	    (rc = customer_list(ctx, &opts, &items, &n, &total)))
		return rc;
	return http_render_list(ctx, req, res, &customer_desc, items, n, total);
}

static int get(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct customer c;
	int rc;

	if ((rc = customer_get(ctx, req->params[0], &c)))
		return rc;
	return http_render(ctx, req, res, 200, &customer_desc, &c, c.version);
}

static int create(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct customer in, c;
	cJSON *body;
	int rc;

	if ((rc = http_req_json(ctx, req, &body)) ||
	    (rc = json_decode(ctx->arena, body, &customer_input_desc, &in, JSON_CREATE,
			      &ctx->err)) ||
	    (rc = customer_create(ctx, &in, &c)))
		return rc;
	return http_render_created(ctx, req, res, &customer_desc, &c, c.version, c.href);
}

static int patch(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	struct customer in, c;
	int64_t version;
	cJSON *body;
	int rc;

	if ((rc = http_req_if_match(ctx, req, &version)) || (rc = http_req_json(ctx, req, &body)) ||
	    (rc = json_decode(ctx->arena, body, &customer_input_desc, &in, JSON_PATCH,
			      &ctx->err)) ||
	    (rc = customer_update(ctx, req->params[0], version, &in, &c)))
		return rc;
	return http_render(ctx, req, res, 200, &customer_desc, &c, c.version);
}

static int del(struct crm_ctx *ctx, struct http_req *req, struct http_res *res)
{
	int64_t version;
	int rc;

	if ((rc = http_req_if_match(ctx, req, &version)) ||
	    (rc = customer_delete(ctx, req->params[0], version)))
		return rc;
	return http_render_empty(res);
}

#define CUST "/tmf-api/customerManagement/v4/customer"

const struct http_route api_customer_routes[] = {
	{"GET", CUST, list, PERM_CUSTOMER_READ, 0, NULL},
	{"POST", CUST, create, PERM_CUSTOMER_WRITE, HTTP_BODY_JSON, NULL},
	{"GET", CUST "/{id}", get, PERM_CUSTOMER_READ, 0, NULL},
	{"PATCH", CUST "/{id}", patch, PERM_CUSTOMER_WRITE, HTTP_BODY_PATCH, NULL},
	{"DELETE", CUST "/{id}", del, PERM_CUSTOMER_WRITE, 0, NULL},
	{0},
};
