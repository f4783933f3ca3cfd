/*
 * domain/view360.c: the section registry, the lifecycle's next statuses, and on a real
 * database the view of a customer as the system, as a caller without audit.read and as
 * one who sees personal data masked.
 */
#include "cmocka_all.h"

#include <string.h>

#include "../store/store_test.h"
#include "auth/auth.h"
#include "core/ctx.h"
#include "domain/view360.h"

static void test_registry(void **state)
{
	size_t n = 0;

	(void)state;
	for (const struct view360_section *s = view360_sections; s->name; s++, n++) {
		assert_non_null(s->build);
		for (const struct view360_section *t = view360_sections; t != s; t++)
			assert_string_not_equal(t->name, s->name);
	}
	assert_int_equal(n, 8);
	assert_string_equal(view360_sections[0].name, "lines"); /* lines first */
	assert_int_equal(view360_sections[0].perm, 0);
	assert_string_equal(view360_sections[1].name, "profile");
	assert_string_equal(view360_sections[7].name, "audit");
	assert_int_equal(view360_sections[7].perm, PERM_AUDIT_READ);
}

static void test_status_next(void **state)
{
	static const struct {
		const char *from, *next;
	} cases[] = {
		{"prospective", "active inactive"},
		{"active", "suspended inactive"},
		{"suspended", "active inactive"},
		{"inactive", ""},
		{"unknown", ""},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *next[CUSTOMER_STATUS_COUNT];
		size_t n = customer_status_next(cases[i].from, next);
		char joined[128] = "";
		size_t len = 0;

		for (size_t k = 0; k < n; k++)
			len += (size_t)snprintf(joined + len, sizeof(joined) - len, "%s%s",
						k ? " " : "", next[k]);
		assert_string_equal(joined, cases[i].next);
	}
}

/* the database fixture (store_test.h), the caller at HQ */
static int setup(void **state)
{
	test_env_setup(state);
	((struct test_env *)*state)->ctx.who.org_id = "HQ";
	return 0;
}

static const cJSON *section(const struct view360 *v, const char *name)
{
	const struct view360_part *parts = v->sections.items;

	for (size_t i = 0; i < v->sections.count; i++)
		if (strcmp(parts[i].name, name) == 0)
			return parts[i].data;
	return NULL;
}

static const char *phone_of(const cJSON *contacts, int i)
{
	const cJSON *ch = cJSON_GetObjectItem(cJSON_GetArrayItem(contacts, i), "characteristic");

	return cJSON_GetStringValue(cJSON_GetObjectItem(ch, "phoneNumber"));
}

static void test_view(void **state)
{
	struct test_env *f = *state;
	struct crm_ctx *ctx = &f->ctx;
	struct contact_medium mobile = {.medium_type = "mobile",
					.characteristic = {.phone_number = "13812345678"}};
	struct party pin = {.given_name = "娜", .family_name = "李"}, p;
	struct customer in = {0}, c;
	struct view360 v;
	const cJSON *contacts;

	assert_int_equal(res_create_obj(ctx, &individual_res, &pin, &p), 0);
	in.engaged_party.id = p.row.id;
	in.contact_medium = (struct json_array){&mobile, 1};
	assert_int_equal(res_create_obj(ctx, &customer_res, &in, &c), 0);

	assert_int_equal(view360_get(ctx, c.row.id, &v), 0);
	assert_string_equal(v.id, c.row.id);
	assert_string_equal(v.customer_no, c.customer_no);
	assert_int_equal(v.sections.count, 8);
	assert_int_equal(cJSON_GetArraySize(v.omitted), 0);
	assert_int_equal(cJSON_GetArraySize(section(&v, "lines")), 0);
	assert_int_equal(cJSON_GetArraySize(section(&v, "accounts")), 0);
	assert_true(cJSON_IsNull(section(&v, "churn")));
	/* the customer's creation, then its party's: newest first */
	assert_int_equal(cJSON_GetArraySize(section(&v, "audit")), 2);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(
				    cJSON_GetArrayItem(section(&v, "audit"), 0), "resourceId")),
			    c.row.id);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(
				    cJSON_GetArrayItem(section(&v, "audit"), 1), "resourceId")),
			    p.row.id);
	contacts = section(&v, "contacts");
	assert_int_equal(cJSON_GetArraySize(contacts), 1);
	assert_string_equal(phone_of(contacts, 0), "13812345678");
	assert_string_equal(cJSON_GetStringValue(
				    cJSON_GetObjectItem(cJSON_GetArrayItem(contacts, 0), "source")),
			    "customer");

	/* without audit.read the audit section is named, not built; without pii.read the
	 * phone is masked */
	ctx->who.perms = PERM_CUSTOMER_READ;
	ctx->who.pii_masked = true;
	assert_int_equal(view360_get(ctx, c.row.id, &v), 0);
	assert_int_equal(v.sections.count, 7);
	assert_null(section(&v, "audit"));
	assert_int_equal(cJSON_GetArraySize(v.omitted), 1);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetArrayItem(v.omitted, 0)), "audit");
	assert_string_equal(phone_of(section(&v, "contacts"), 0), "138****5678");

	/* unknown, and outside the caller's scope */
	assert_int_equal(view360_get(ctx, "nope", &v), CRM_ENOTFOUND);
	crm_err_clear(&ctx->err);
	ctx->who.org_path = "/HQ/GD/";
	assert_int_equal(view360_get(ctx, c.row.id, &v), CRM_ENOTFOUND);
	crm_err_clear(&ctx->err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_status_next),
		cmocka_unit_test_setup_teardown(test_view, setup, test_env_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
