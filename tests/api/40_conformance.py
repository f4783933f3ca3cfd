"""TMF conformance of every resource on the generic resource layer: the conventions of
docs/api.md (paging, fields=, filters, sort, cursors, ETag/If-Match, 201 + Location, merge
patch, media types, malformed and oversize bodies, 404s, unknown parameters,
Idempotency-Key, data scope, masking, the audit row and the event of each write, delete)
checked the same way for each resource in RESOURCES below.

A resource new on the layer gets the whole suite by adding one entry to RESOURCES. A check
that finds a defect nobody has fixed yet is listed in KNOWN_DEFECTS: it still runs, and
prints "KNOWN DEFECT: ..." instead of failing while the defect shows as recorded.

One server serves the whole file; every check makes the rows it needs, with values unique
to it, and compares lists with what the server itself lists, so the checks do not depend
on each other's rows."""

import atexit
import datetime
import http.client
import itertools
import json
import queue
import threading
import time
import urllib.parse

import harness
import staff
from harness import Listener, Server

# ---- the resources ----------------------------------------------------------------------

_n = itertools.count(1)


def unique():
    return next(_n)


def phone(n):
    return "138%08d" % n


def mobile(n):
    return [{"mediumType": "mobile", "characteristic": {"phoneNumber": phone(n)}}]


PHONE = ("contactMedium", 0, "characteristic", "phoneNumber")


class Res:
    """One resource of the layer, as the checks see it.

    make(n, org): a valid create body whose text_field and filter value are unique to n,
    placed at the org unit org (a city) when org is given. patch(n): a body changing an
    attribute (None: the resource is never changed); state_patch: a change of its
    lifecycle state. text_field: a plain text member make sets; filter_field and
    sort_field: a filterable and a sortable member of the JSON; cursor_sorts: more sort
    keys (members that may be absent, or not in the JSON at all) to walk with cursors;
    unsortable, unfilterable: members that are neither. nested (member, a, b): an object
    member with sub-members a and b that make sets, for merge patch semantics. masked:
    the path of a personal datum that make sets. scope: "unit", "path" (org units) or
    "owner" (hub listeners); move(org): a patch moving a row to org (None: it moves only
    with what owns it); delete_fresh: only a
    record in its first state is deleted (the catalogue's, in design). read_perm,
    write_perm: the permissions of its routes (None: any signed-in caller). mandatory: the
    members every row has, and their JSON types (TMF's mandatory attributes). events: the
    event type of each write and the API and event member they go to (None: it sends
    none). href_base: where its hrefs point, when not at path."""

    def __init__(self, label, name, path, type_name, make, text_field, filter_field, sort_field,
                 unsortable, unfilterable, patch=None, state_patch=None, nested=None,
                 masked=None, scope=None, move=None, delete=True, events=None, href_base=None,
                 cursor_sorts=(), read_perm="customer.read", write_perm="customer.write",
                 mandatory=None, delete_fresh=False):
        self.label, self.name, self.path, self.type_name = label, name, path, type_name
        self.make, self.patch, self.state_patch = make, patch, state_patch
        self.text_field, self.filter_field, self.sort_field = text_field, filter_field, sort_field
        self.cursor_sorts = cursor_sorts
        self.unsortable, self.unfilterable = unsortable, unfilterable
        self.nested, self.masked, self.scope, self.move = nested, masked, scope, move
        self.delete, self.events, self.delete_fresh = delete, events, delete_fresh
        self.update = patch is not None
        self.href_base = href_base or path
        self.read_perm, self.write_perm = read_perm, write_perm
        self.mandatory = dict(mandatory or {}, id=str, href=str, version=int,
                              **{"@type": str})

    def one(self, rid):
        return self.path + "/" + urllib.parse.quote(rid, safe="%")


def org_unit_body(n, org=None):
    if org:  # a hall under the city org
        return {"id": "%s-CF%04d" % (org, n), "name": "CF营业厅%04d" % n, "kind": "hall",
                "parentId": org}
    return {"id": "CF%04d" % n, "name": "CF省%04d" % n, "kind": "province", "parentId": "HQ"}


def at(body, org):
    if org:
        body["orgId"] = org
    return body


def individual_body(n, org=None):
    return at({"givenName": "CF%04d" % n, "familyName": "张", "contactMedium": mobile(n),
               "placeOfBirth": {"city": "广州", "country": "CN"}}, org)


def organization_body(n, org=None):
    return at({"tradingName": "CF机构%04d" % n, "contactMedium": mobile(n),
               "existsDuring": {"startDateTime": "2020-01-01T00:00:00.000Z",
                                "endDateTime": "2030-01-01T00:00:00.000Z"}}, org)


_parties = {}


def engaged_party(org):
    """A party for the customers of org (made once, by the administrator)."""
    if org not in _parties:
        r = srv().post(IND.path, individual_body(unique(), org))
        assert r.status == 201, r
        _parties[org] = r.json["id"]
    return _parties[org]


def customer_body(n, org=None):
    return at({"engagedParty": {"id": engaged_party(org), "@referredType": "Individual"},
               "name": "CF客户%04d" % n, "contactMedium": mobile(n),
               "validFor": {"startDateTime": "2020-01-01T00:00:00.000Z",
                            "endDateTime": "2030-01-01T00:00:00.000Z"}}, org)


def listener_body(query):
    return lambda n, org=None: {"callback": "%s?n=%d" % (SINK.url, n), "query": query}


def events_of(type_name, api, member, state=True, delete=True):
    return {"create": type_name + "CreateEvent",
            "change": type_name + "AttributeValueChangeEvent",
            "state": type_name + "StateChangeEvent" if state else None,
            "delete": type_name + "DeleteEvent" if delete else None,
            "api": api, "member": member}


ORG_UNIT = Res(
    "orgUnit", "orgUnit", "/api/v1/org-units", "OrgUnit", org_unit_body,
    text_field="name", filter_field="name", sort_field="name", unsortable="kind",
    unfilterable="path", patch=lambda n: {"name": "CF改%04d" % n},
    state_patch={"status": "closed"}, scope="path", move=lambda org: {"parentId": org},
    delete=False, events=events_of("OrgUnit", "telcrm", "orgUnit", delete=False),
    cursor_sorts=("path", "-path"), read_perm=None, write_perm="admin.org",
    mandatory={"name": str, "kind": str, "path": str, "status": str})
IND = Res(
    "individual", "individual", "/tmf-api/party/v4/individual", "Individual", individual_body,
    text_field="givenName", filter_field="givenName", sort_field="givenName",
    unsortable="gender", unfilterable="nationality",
    patch=lambda n: {"givenName": "CF改%04d" % n},
    state_patch={"status": "validated"}, nested=("placeOfBirth", "city", "country"),
    masked=PHONE, scope="unit", move=lambda org: {"orgId": org},
    events=events_of("Individual", "party", "individual"),
    cursor_sorts=("birthDate", "-birthDate", "fullName"),
    mandatory={"givenName": str, "familyName": str, "status": str, "orgId": str})
ORG = Res(
    "organization", "organization", "/tmf-api/party/v4/organization", "Organization",
    organization_body, text_field="tradingName", filter_field="tradingName",
    sort_field="tradingName", unsortable="status", unfilterable="organizationType",
    patch=lambda n: {"tradingName": "CF改机构%04d" % n}, state_patch={"status": "validated"},
    nested=("existsDuring", "startDateTime", "endDateTime"), masked=PHONE, scope="unit",
    move=lambda org: {"orgId": org}, events=events_of("Organization", "party", "organization"),
    cursor_sorts=("name", "-name"),
    mandatory={"tradingName": str, "status": str, "isLegalEntity": bool, "orgId": str})
CUSTOMER = Res(
    "customer", "customer", "/tmf-api/customerManagement/v4/customer", "Customer", customer_body,
    text_field="name", filter_field="name", sort_field="name", unsortable="segment",
    unfilterable="statusReason", patch=lambda n: {"name": "CF改客户%04d" % n},
    state_patch={"status": "active"}, nested=("validFor", "startDateTime", "endDateTime"),
    masked=PHONE, scope="unit", move=lambda org: {"orgId": org},
    events=events_of("Customer", "customerManagement", "customer"),
    cursor_sorts=("churn.churnDate", "-churn.churnDate", "status,-name"),
    mandatory={"name": str, "status": str, "customerNo": str, "engagedParty": dict,
               "orgId": str})
HUB = Res(
    "hub", "hubListener", "/tmf-api/party/v4/hub", "EventSubscription",
    listener_body("eventType=OrganizationDeleteEvent"), text_field="callback",
    filter_field="id", sort_field="createdDate", unsortable="callback", unfilterable="query",
    scope="owner", cursor_sorts=("-lastUpdate",), read_perm="hub.manage", write_perm="hub.manage",
    mandatory={"callback": str, "api": str})
TELCRM_HUB = Res(
    "telcrmHub", "hubListener", "/api/v1/hub", "EventSubscription",
    listener_body("eventType=OrgUnitStateChangeEvent"), text_field="callback",
    filter_field="id", sort_field="createdDate", unsortable="callback", unfilterable="query",
    scope="owner", href_base="/tmf-api/telcrm/v4/hub", cursor_sorts=("-lastUpdate",),
    read_perm="hub.manage", write_perm="hub.manage", mandatory={"callback": str, "api": str})



def user_body(n, org=None):
    return {"login": "cf.user%04d" % n, "displayName": "CF员工%04d" % n, "orgId": org or "HQ",
            "roles": ["cf_reader"], "password": "Conform-pass-%04d" % n, "mobile": phone(n)}


def role_body(n, org=None):
    return {"id": "cf_role%04d" % n, "name": "CF角色%04d" % n,
            "permissions": ["customer.read", "ticket.handle"]}


USER = Res(
    "user", "user", "/api/v1/users", "User", user_body, text_field="displayName",
    filter_field="displayName", sort_field="displayName", unsortable="mobile",
    unfilterable="email", patch=lambda n: {"displayName": "CF改员工%04d" % n},
    state_patch={"status": "disabled"}, masked=("mobile",), scope="unit",
    move=lambda org: {"orgId": org}, delete=False, cursor_sorts=("login", "-status,login"),
    read_perm="admin.users", write_perm="admin.users",
    mandatory={"login": str, "displayName": str, "orgId": str, "status": str, "roles": list})
ROLE = Res(
    "role", "role", "/api/v1/roles", "Role", role_body, text_field="name", filter_field="name",
    sort_field="name", unsortable="description", unfilterable="description",
    patch=lambda n: {"name": "CF改角色%04d" % n}, read_perm=None, write_perm="admin.roles",
    cursor_sorts=("-name",), mandatory={"name": str, "permissions": list, "builtin": bool})



def catalog_res(label, type_name, extra):
    """A product catalogue resource (TMF620): reference data of the whole operator."""
    def body(n, org=None):
        return dict({"name": "CF%s%04d" % (label, n), "description": "CF说明%04d" % n},
                    **extra(n))
    return Res(
        label, label, "/tmf-api/productCatalogManagement/v4/" + label, type_name, body,
        text_field="name", filter_field="name", sort_field="name", unsortable="description",
        unfilterable="description", patch=lambda n: {"name": "CF改%s%04d" % (label, n)},
        state_patch={"lifecycleStatus": "active"},
        events=events_of(type_name, "productCatalogManagement", label),
        cursor_sorts=("-name", "lifecycleStatus,name"), read_perm=None,
        write_perm="catalog.manage", mandatory={"name": str, "lifecycleStatus": str},
        delete_fresh=True)


CATALOG = catalog_res("catalog", "Catalog", lambda n: {"catalogType": "retail"})
CATEGORY = catalog_res("category", "Category", lambda n: {})
SPEC = catalog_res("productSpecification", "ProductSpecification",
                   lambda n: {"productNumber": "CF-%04d" % n, "brand": "CF"})
PRICE = catalog_res("productOfferingPrice", "ProductOfferingPrice",
                    lambda n: {"priceType": "recurring", "recurringChargePeriodType": "month",
                               "price": {"unit": "CNY", "value": n}})
OFFERING = catalog_res("productOffering", "ProductOffering",
                       lambda n: {"channel": [{"id": "counter"}, {"id": "web"}]})

_owners = {}


def owner(what, org):
    """What the inventory's records name, made once per unit by the administrator: the
    customer, its billing account, and an offering on sale."""
    org = org or "GD-GZ"
    key = (what, org)
    if key in _owners:
        return _owners[key]
    if what == "customer":
        r = srv().post(CUSTOMER.path, customer_body(unique(), org))
    elif what == "account":
        r = srv().post(BILLING.path, {"name": "CF账户", "relatedParty": customer_of(org)})
    else:
        r = srv().post(OFFERING.path, {"name": "CF宽带电视", "lifecycleStatus": "active"})
    assert r.status == 201, r
    _owners[key] = r.json["id"]
    return _owners[key]


def customer_of(org):
    return [{"id": owner("customer", org), "role": "customer", "@referredType": "Customer"}]


def account_res(label, type_name):
    """An account (TMF666): a customer's, in its unit; it keeps its customer."""
    def body(n, org=None):
        return {"name": "CF%s%04d" % (label, n), "description": "CF说明%04d" % n,
                "relatedParty": customer_of(org), "ratingType": "postpaid",
                "creditLimit": {"unit": "CNY", "value": n}}
    return Res(
        label, label, "/tmf-api/accountManagement/v4/" + label, type_name, body,
        text_field="name", filter_field="name", sort_field="name", unsortable="description",
        unfilterable="description", patch=lambda n: {"name": "CF改%s%04d" % (label, n)},
        state_patch={"state": "suspended"},
        scope="unit", delete=False, events=events_of(type_name, "accountManagement", label),
        cursor_sorts=("-name", "state,name"),
        mandatory={"name": str, "state": str, "relatedParty": list, "orgId": str})


BILLING = account_res("billingAccount", "BillingAccount")
PARTY_ACCOUNT = account_res("partyAccount", "PartyAccount")


def product_body(n, org=None):
    return {"name": "CF产品%04d" % n, "description": "CF说明%04d" % n, "productType": "iptv",
            "productOffering": {"id": owner("offering", None)},
            "billingAccount": {"id": owner("account", org)}, "relatedParty": customer_of(org),
            "productSerialNumber": "CF%04d" % n}


PRODUCT = Res(
    "product", "product", "/tmf-api/productInventory/v4/product", "Product", product_body,
    text_field="name", filter_field="name", sort_field="name", unsortable="description",
    unfilterable="description", patch=lambda n: {"name": "CF改产品%04d" % n},
    state_patch={"status": "active"}, scope="unit",
    move=lambda org: {"relatedParty": customer_of(org),
                      "billingAccount": {"id": owner("account", org)}},
    delete=False, events=events_of("Product", "productInventory", "product"),
    cursor_sorts=("-name", "startDate", "status,name"), write_perm="order.create",
    mandatory={"name": str, "status": str, "productType": str, "productOffering": dict,
               "relatedParty": list, "orgId": str})
NUMBER = Res(
    "number", "msisdn", "/api/v1/numbers", "PoolNumber",
    lambda n, org=None: {"id": "147%08d" % n, "orgId": org or "GD-GZ", "note": "CF号码%04d" % n,
                         "premiumLevel": n % 6},
    text_field="note", filter_field="id", sort_field="premiumLevel", unsortable="note",
    unfilterable="note", patch=lambda n: {"note": "CF改号码%04d" % n}, scope="unit",
    move=lambda org: {"orgId": org}, events=events_of("PoolNumber", "telcrm", "number"),
    cursor_sorts=("-id", "id", "-status,id"), write_perm="order.create",
    mandatory={"status": str, "premiumLevel": int, "orgId": str})

RESOURCES = [ORG_UNIT, IND, ORG, CUSTOMER, HUB, TELCRM_HUB, USER, ROLE, CATALOG, CATEGORY, SPEC,
             PRICE, OFFERING, BILLING, PARTY_ACCOUNT, PRODUCT, NUMBER]

# Defects found and not fixed yet: (check, resource label) -> (a fragment of the failed
# assertion's text, what is wrong). Such a check prints "KNOWN DEFECT: ..." while it fails
# with that text (and fails as any other with another); once it passes it says so, and the
# entry should go.
KNOWN_DEFECTS = {}

# ---- the server and its users ------------------------------------------------------------

MAX_BODY = 65536
_server = None
EVENTS = None  # the administrator's listener on every API
GD_INBOX = None  # the Create events a listener of CF_GD (at GD, no pii.read) receives
SINK = None  # the callback of the listeners the hub checks make
CF_GD = CF_BJ = None  # staff tokens: a province's (GD) and another one's (BJ)
CF_READER = CF_NONE = None  # HQ staff who may read customers only, and who may do nothing here
STAFF_PERMS = ["customer.read", "customer.write", "admin.org", "hub.manage", "audit.read",
               "admin.users", "order.create", "number.manage"]
READER_PERMS = ["customer.read"]


class Inbox:
    """Events arriving at a listener, kept so that each check finds its own."""

    def __init__(self):
        self.listener = Listener()
        self.url = self.listener.url
        self.seen = []

    def wait_for(self, pred, what, timeout=20):
        deadline = time.time() + timeout
        while True:
            for e in self.seen:
                if pred(e):
                    return e
            try:
                self.seen.append(self.listener.events.get(
                    timeout=max(0.01, deadline - time.time())))
            except queue.Empty:
                raise AssertionError(f"no {what} event arrived: {self.seen[-5:]}")

    def of(self, member, rid):
        return [e for e in self.seen if (e.get("event") or {}).get(member, {}).get("id") == rid]

    def close(self):
        self.listener.close()


def srv():
    """The one server of this file, started with its users and listeners on first use."""
    global _server
    if _server:
        return _server
    assert EVENTS is None, "the server did not start (see the first failure)"
    s = _start()
    _server = s
    return s


def _start():
    global EVENTS, GD_INBOX, SINK
    EVENTS, GD_INBOX, SINK = Inbox(), Inbox(), Inbox()
    s = Server(args=["--max-body", str(MAX_BODY), "--rate-limit", "0"])
    s.start()
    try:
        _users_and_listeners(s)
    except BaseException:
        s.kill()
        raise
    return s


def _users_and_listeners(s):
    global CF_GD, CF_BJ, CF_READER, CF_NONE
    staff.make_units(s)
    for role, perms in (("cf_staff", STAFF_PERMS), ("cf_reader", READER_PERMS),
                        ("cf_none", ["metrics.read"])):
        r = s.post("/api/v1/roles", {"id": role, "name": role, "permissions": perms})
        assert r.status == 201, r
    CF_GD = staff.make_staff(s, "cf.gd", "GD", "cf_staff")
    CF_BJ = staff.make_staff(s, "cf.bj", "BJ", "cf_staff")
    CF_READER = staff.make_staff(s, "cf.reader", "HQ", "cf_reader")
    CF_NONE = staff.make_staff(s, "cf.none", "HQ", "cf_none")
    for api in ("telcrm", "party", "customerManagement", "productCatalogManagement",
                "accountManagement", "productInventory"):
        r = s.post(f"/tmf-api/{api}/v4/hub", {"callback": EVENTS.url})
        assert r.status == 201, r
    for api, query in (("party", "eventType=IndividualCreateEvent,OrganizationCreateEvent"),
                       ("customerManagement", "eventType=CustomerCreateEvent"),
                       ("telcrm", "eventType=OrgUnitCreateEvent,PoolNumberCreateEvent"),
                       ("accountManagement",
                        "eventType=BillingAccountCreateEvent,PartyAccountCreateEvent"),
                       ("productInventory", "eventType=ProductCreateEvent")):
        r = s.post(f"/tmf-api/{api}/v4/hub", {"callback": GD_INBOX.url, "query": query},
                   auth=CF_GD)
        assert r.status == 201, r


def stop():
    """Stops the server; a sanitizer report or a bad exit in its log fails the file."""
    global _server
    if not _server:
        return
    s, _server = _server, None
    try:
        s.__exit__(None, None, None)
    finally:
        for inbox in (EVENTS, GD_INBOX, SINK):
            inbox.close()


atexit.register(lambda: _server and stop())

# ---- helpers -----------------------------------------------------------------------------


def err(resp, status, contains=None, why=None):
    """resp is a TMF error body {code, reason, message, status} with this status (why: what
    was sent, for the message when it is not)."""
    try:
        body = harness.assert_error(resp, status, contains)
    except AssertionError as e:
        raise AssertionError(f"{why}: {e}" if why is not None else str(e)) from None
    ct = resp.header("Content-Type") or ""
    assert ct.startswith("application/json"), f"error with Content-Type '{ct}': {resp}"
    assert isinstance(body["message"], str) and body["message"], body
    return body


def create(r, org=None, auth="admin"):
    resp = srv().post(r.path, r.make(unique(), org), auth=auth)
    assert resp.status == 201, (r.label, resp)
    return resp.json


def listing(r, query="", auth="admin"):
    """Every row of r's list (one page of up to 1000) and the answer."""
    sep = "&" if query else ""
    resp = srv().get(f"{r.path}?limit=1000{sep}{query}", auth=auth)
    assert resp.status == 200, (r.label, query, resp)
    assert isinstance(resp.json, list), resp
    total = resp.header("X-Total-Count")
    assert total is None or int(total) == len(resp.json), "the list outgrew one page"
    return resp.json, resp


def ids(rows):
    return [x["id"] for x in rows]


def q(value):
    return urllib.parse.quote(str(value), safe="")


def count(r, value, auth="admin"):
    """How many rows of r have filter_field = value."""
    rows, _ = listing(r, f"{r.filter_field}={q(value)}", auth=auth)
    return len(rows)


def audit(r, rid, auth="admin"):
    resp = srv().get(f"/api/v1/audit?resource={r.name}&resourceId={q(rid)}&limit=1000",
                     auth=auth)
    assert resp.status == 200, resp
    return resp.json


def get(r, rid, auth="admin"):
    resp = srv().get(r.one(rid), auth=auth)
    assert resp.status == 200, (r.label, resp)
    return resp.json


def dig(obj, path):
    for p in path:
        obj = obj[p]
    return obj


def needs(r, what):
    """Whether r has what a check needs; prints a line for the resources it skips."""
    have = {"update": r.update, "delete": r.delete, "events": r.events, "nested": r.nested,
            "masked": r.masked, "scope": r.scope, "state": r.state_patch}[what]
    if not have:
        print(f"     {r.label}: not applicable (no {what})")
    return bool(have)


def raw(method, path, data, content_type="application/json", auth="admin", **kw):
    hdrs = {"Content-Type": content_type} if content_type else {}
    hdrs.update(kw.pop("headers", {}))
    return srv().request(method, path, raw=data, headers=hdrs, auth=auth, **kw)


def chunked(method, path, data):
    """Sends data with Transfer-Encoding: chunked (no Content-Length) on a new connection."""
    s = srv()
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=harness.TIMEOUT)
    try:
        parts = [data[i:i + 8192] for i in range(0, len(data), 8192)]
        conn.request(method, path, body=iter(parts), encode_chunked=True,
                     headers={"Content-Type": "application/json",
                              "Authorization": "Bearer " + s.token})
        r = conn.getresponse()
        return harness.Response(r.status, r.getheaders(), r.read())
    finally:
        conn.close()


# ---- the checks --------------------------------------------------------------------------

CHECKS = []


def check(fn):
    CHECKS.append(fn)
    return fn


def mandatory_members(r, x, where):
    for name, typ in r.mandatory.items():
        assert type(x.get(name)) is typ, (where, f"'{name}' is not a {typ.__name__}", x)


@check
def representation(r):
    """Every row, listed, read alone, made or changed, carries id, href (its own path),
    @type, version, createdDate, lastUpdate and the resource's mandatory members with
    their JSON types, and reads alone as it is listed."""
    c = create(r)
    mandatory_members(r, c, (r.label, "POST"))
    if r.update:
        p = srv().patch(r.one(c["id"]), r.patch(unique()))
        assert p.status == 200, p
        mandatory_members(r, p.json, (r.label, "PATCH"))
    rows, _ = listing(r)
    undated = []
    for x in rows:
        where = (r.label, x.get("id"))
        mandatory_members(r, x, where)
        assert x.get("@type") == r.type_name, where
        assert x.get("href") == r.href_base + "/" + x["id"], where
        assert x["version"] >= 1, where
        for t in ("createdDate", "lastUpdate"):
            if t not in x:
                undated.append((x["id"], t))
            else:
                assert isinstance(x[t], str) and x[t].endswith("Z"), (where, t, x)
        assert x.get("createdDate", "") <= x.get("lastUpdate", ""), x
        assert get(r, x["id"]) == x, (where, "reads alone otherwise")
    assert not undated, ("rows without createdDate or lastUpdate", undated)


@check
def paging(r):
    """offset/limit page through the list in its order; X-Total-Count and X-Result-Count;
    limit from 1 to 1000, offset from 0, anything else a 400."""
    for _ in range(3):
        create(r)
    full, resp = listing(r)
    total = len(full)
    assert resp.header("X-Total-Count") == str(total), resp.headers
    assert resp.header("X-Result-Count") == str(total), resp.headers
    pages = []
    for off in range(0, total, 2):
        p = srv().get(f"{r.path}?offset={off}&limit=2")
        assert p.status == 200, p
        assert p.header("X-Total-Count") == str(total), (off, p.headers)
        assert p.header("X-Result-Count") == str(len(p.json)) == str(min(2, total - off)), \
            (off, p.headers)
        pages += p.json
    assert ids(pages) == ids(full), "offset pages are not the list in its order"
    p = srv().get(f"{r.path}?offset={total + 5}")
    assert p.status == 200 and p.json == [] and p.header("X-Result-Count") == "0", p
    assert p.header("X-Total-Count") == str(total), p.headers
    d = srv().get(r.path)
    assert d.status == 200 and len(d.json) == min(100, total), "the default limit is 100"
    assert srv().get(f"{r.path}?limit=1000&offset=0").status == 200
    # the largest offset is still an answer; past it, the message says the range
    far = srv().get(f"{r.path}?offset=999999999999999999")
    assert far.status == 200 and far.json == [], far
    err(srv().get(f"{r.path}?offset=9223372036854775807"), 400, "from 0 to 999999999999999999")
    for bad in ("limit=0", "limit=1001", "limit=-1", "limit=x", "limit=", "limit=1.5",
                "offset=-1", "offset=x", "offset="):
        err(srv().get(f"{r.path}?{bad}"), 400, bad.split("=")[0], bad)


@check
def fields_selection(r):
    """fields= keeps only the members named, plus id, href and @type, in lists and on one
    row; names the resource lacks are simply absent; a malformed fields= is a 400."""
    made = create(r)
    f = r.text_field
    rows, _ = listing(r, f"fields={f}")
    assert rows, "empty list"
    for x in rows:
        assert set(x) <= {"id", "href", "@type", f}, x
        assert x["@type"] == r.type_name and x["href"], x
    mine = [x for x in rows if x["id"] == made["id"]]
    assert mine == [{"id": made["id"], "href": made["href"], "@type": r.type_name,
                     f: made[f]}], mine
    one = srv().get(r.one(made["id"]) + f"?fields={f},version")
    assert one.status == 200, one
    assert one.json == {"id": made["id"], "href": made["href"], "@type": r.type_name,
                        f: made[f], "version": made["version"]}, one.json
    one = srv().get(r.one(made["id"]) + "?fields=noSuchMember")
    assert one.status == 200 and set(one.json) == {"id", "href", "@type"}, one
    if r.nested:
        member, a, _ = r.nested
        one = srv().get(r.one(made["id"]) + f"?fields={member}.{a}")
        assert one.json[member] == {a: made[member][a]}, one.json
    for bad in (f"{f},", f",{f}", f"{f}..x", "a%20b", f"{f}-x", ""):
        err(srv().get(f"{r.path}?fields={bad}"), 400, "fields", bad)
        err(srv().get(r.one(made["id"]) + f"?fields={bad}"), 400, "fields", bad)


@check
def filters(r):
    """field=value keeps the rows whose field equals value, field=a,b those equal to
    either; an attribute that is not declared filterable is a 400."""
    a, b = create(r), create(r)
    f = r.filter_field
    full, _ = listing(r)
    for values in ([a[f]], [a[f], b[f]], ["no-such-value"], ["x' OR '1'='1"], ["%"], ["*"]):
        rows, resp = listing(r, f"{f}=" + ",".join(q(v) for v in values))
        want = [x["id"] for x in full if x.get(f) in values]
        assert ids(rows) == want, (values, ids(rows), want)
        assert resp.header("X-Total-Count") == str(len(want)), resp.headers
    assert a["id"] in ids(listing(r, f"{f}={q(a[f])}")[0])
    both, _ = listing(r, f"id={q(a['id'])}&{f}={q(b[f])}")
    assert both == [], "filters on two attributes must both hold"
    for name in ("colour", r.unfilterable, "fields2", "id.gt.gt"):
        err(srv().get(f"{r.path}?{name}=x"), 400, f"unknown filter attribute '{name}'", name)


@check
def date_range_filters(r):
    """createdDate and lastUpdate with .gt, .gte, .lt, .lte: exactly the rows on that side
    of the value; a value that is no date-time is a 400."""
    made = [create(r) for _ in range(3)]
    if r.update:
        srv().patch(r.one(made[0]["id"]), r.patch(unique()))
    full, _ = listing(r)
    pivot = {x["id"]: x for x in full}[made[1]["id"]]
    ops = {"gt": lambda v, p: v > p, "gte": lambda v, p: v >= p,
           "lt": lambda v, p: v < p, "lte": lambda v, p: v <= p}
    for field in ("createdDate", "lastUpdate"):
        p = pivot[field]
        for op, holds in ops.items():
            rows, _ = listing(r, f"{field}.{op}={q(p)}")
            want = [x["id"] for x in full if holds(x.get(field, ""), p)]
            assert ids(rows) == want, (field, op, p, ids(rows), want)
        both, _ = listing(r, f"{field}.gte={q(p)}&{field}.lte={q(p)}&id={q(pivot['id'])}")
        assert ids(both) == [pivot["id"]], both
        # the same instant at UTC+8
        hour = int(p[11:13]) + 8
        day = datetime.date.fromisoformat(p[:10]) + datetime.timedelta(days=hour // 24)
        p8 = "%sT%02d%s+08:00" % (day.isoformat(), hour % 24, p[13:-1])
        rows, _ = listing(r, f"{field}.gte={q(p8)}")
        assert ids(rows) == [x["id"] for x in full if x.get(field, "") >= p], (p, p8)
        for bad in ("yesterday", "2026-13-01", ""):
            err(srv().get(f"{r.path}?{field}.gte={q(bad)}"), 400, field, bad)


def in_order(rows, field, desc):
    """rows as the server sorts them by field: NULL first ascending, ties by id."""
    def key(x):
        v = x.get(field)
        return (v is not None, v if v is not None else "", x["id"])
    asc = sorted(rows, key=key)
    return asc[::-1] if desc else asc


@check
def sorting(r):
    """sort=field ascending and sort=-field descending (ties by id); a field that cannot be
    sorted on, or more than four keys, is a 400."""
    for _ in range(3):
        create(r)
    f = r.sort_field
    full, _ = listing(r)
    for desc in (False, True):
        rows, _ = listing(r, "sort=" + ("-" if desc else "") + f)
        assert ids(rows) == ids(in_order(full, f, desc)), (desc, [x.get(f) for x in rows])
    rows, _ = listing(r, f"sort=%2B{f}")
    assert ids(rows) == ids(in_order(full, f, False)), "sort=+field is ascending"
    for bad in (r.unsortable, "noSuchMember", "-", "+", f",,{f}", f"{f},", ",".join([f] * 5)):
        err(srv().get(f"{r.path}?sort={q(bad)}"), 400, "sort", bad)


def cursor_walk(r, sort):
    """Pages of 3 through the list by X-Next-Cursor, with rows made after the first and
    the second page: every row there before the walk is met exactly once, and a row made
    during it is met exactly when it sorts after the page it was made behind."""
    for _ in range(4):
        create(r)
    sq = f"&sort={q(sort)}" if sort else ""
    first = srv().get(f"{r.path}?limit=3{sq}")
    assert first.status == 200 and len(first.json) == 3, first
    before = set(ids(listing(r, sq.lstrip("&"))[0]))
    seen, cur, made_after = ids(first.json), first.header("X-Next-Cursor"), {}
    pages = 0
    while cur:
        if pages < 2:
            for _ in range(2):
                made_after[create(r)["id"]] = seen[-1]
        p = srv().get(f"{r.path}?limit=3&cursor={q(cur)}{sq}")
        assert p.status == 200, p
        assert p.header("X-Result-Count") == str(len(p.json)), p.headers
        seen += ids(p.json)
        cur = p.header("X-Next-Cursor")
        pages += 1
        assert pages < 200, "the cursor never ends"
    assert len(seen) == len(set(seen)), ("a row came twice", seen)
    missing = before - set(seen)
    assert not missing, ("rows vanished between pages", missing)
    final = ids(listing(r, sq.lstrip("&"))[0])
    pos = {x: i for i, x in enumerate(final)}
    want = [x for x in final
            if x in before or (x in made_after and pos[x] > pos[made_after[x]])]
    assert seen == want, ("cursor pages differ from the list", seen, want)


@check
def cursor_paging(r):
    """Cursor paging in the default order and sorted both ways; a cursor of another order,
    a made-up one, or one with offset is a 400."""
    for sort in (None, r.sort_field, "-" + r.sort_field) + r.cursor_sorts:
        try:
            cursor_walk(r, sort)
        except AssertionError as e:
            raise AssertionError(f"sort={sort}: {e}") from None
    cur = srv().get(f"{r.path}?limit=1").header("X-Next-Cursor")
    assert cur, "a full page gives a cursor"
    err(srv().get(f"{r.path}?limit=1&cursor={q(cur)}&sort={r.sort_field}"), 400, "cursor")
    err(srv().get(f"{r.path}?limit=1&cursor={q(cur)}&offset=1"), 400, "cursor")
    for bad in ("x", "eyJzIjoiIn0", "e30", "%25%25"):
        err(srv().get(f"{r.path}?limit=1&cursor={bad}"), 400, "cursor", bad)


@check
def create_201_location(r):
    """POST answers 201 with the resource, Location its href, ETag its version 1; the
    server's members (id unless the client names it, href, version) are refused."""
    n = unique()
    body = r.make(n)
    resp = srv().post(r.path, body)
    assert resp.status == 201, resp
    c = resp.json
    assert c["@type"] == r.type_name, c
    assert c["href"] == r.href_base + "/" + c["id"], c
    assert resp.header("Location") == c["href"], resp.headers
    assert resp.header("ETag") == '"1"' and c["version"] == 1, (resp.headers, c)
    assert c["createdDate"] == c["lastUpdate"] and c["createdDate"].endswith("Z"), c
    assert c[r.text_field] == body[r.text_field], c
    for path in (resp.header("Location"), r.one(c["id"])):
        g = srv().get(path)
        assert g.status == 200 and g.json == c, (path, g, c)
        assert g.header("ETag") == '"1"', g.headers
    for member, value in (("version", 7), ("href", "/x"), ("createdDate", "2026-01-01"),
                          ("lastUpdate", "2026-01-01")) + (() if "id" in body else (("id", "x"),)):
        bad = dict(r.make(unique()), **{member: value})
        err(srv().post(r.path, bad), 400, member)
        assert count(r, bad[r.filter_field]) == 0 if r.filter_field != "id" else True


@check
def etag_if_match(r):
    """GET carries ETag "<version>"; a PATCH (or DELETE) with a stale If-Match is a 412 and
    changes nothing, the current one (strong, weak or *) applies."""
    c = create(r)
    g = srv().get(r.one(c["id"]))
    assert g.header("ETag") == '"%d"' % g.json["version"], g.headers
    stale = '"%d"' % (c["version"] + 5)
    trail = len(audit(r, c["id"]))
    if r.update:
        err(srv().patch(r.one(c["id"]), r.patch(unique()), headers={"If-Match": stale}), 412)
        assert get(r, c["id"]) == c, "a refused PATCH changed the row"
        for tag in ('"1"', 'W/"2"', "*"):
            p = srv().patch(r.one(c["id"]), r.patch(unique()), headers={"If-Match": tag})
            assert p.status == 200, (tag, p)
            assert p.header("ETag") == '"%d"' % p.json["version"], p.headers
            assert get(r, c["id"]) == p.json
        assert p.json["version"] == 4, p.json
        err(srv().patch(r.one(c["id"]), r.patch(unique()), headers={"If-Match": "garbage"}),
            400, "If-Match")
        trail += 3
    if r.delete:
        err(srv().delete(r.one(c["id"]), headers={"If-Match": stale}), 412)
        assert srv().get(r.one(c["id"])).status == 200, "a refused DELETE deleted"
    assert len(audit(r, c["id"])) == trail, "a refused write left an audit row"
    if r.delete:
        now = '"%d"' % get(r, c["id"])["version"]
        assert srv().delete(r.one(c["id"]), headers={"If-Match": now}).status == 204


@check
def merge_patch(r):
    """PATCH is a JSON merge patch (RFC 7396), as application/merge-patch+json or
    application/json: a nested member not sent is kept, null removes a member."""
    if not needs(r, "update") or not needs(r, "nested"):
        return
    c = create(r)
    member, a, b = r.nested
    sub = c[member]
    assert a in sub and b in sub, sub
    other = {"startDateTime": "2021-06-01T00:00:00.000Z"}.get(a, "深圳")
    p = raw("PATCH", r.one(c["id"]), json.dumps({member: {a: other}}),
            "application/merge-patch+json")
    assert p.status == 200, p
    typed = {"@type": sub["@type"]} if "@type" in sub else {}
    assert p.json[member] == dict(typed, **{a: other, b: sub[b]}), \
        ("a member not sent is kept", p.json)
    p = srv().patch(r.one(c["id"]), {member: {b: None}})
    assert p.status == 200 and p.json[member] == dict(typed, **{a: other}), \
        ("null removes", p.json)
    p = srv().patch(r.one(c["id"]), {member: None})
    assert p.status == 200 and member not in p.json, p.json
    assert member not in get(r, c["id"])
    assert p.json[r.text_field] == c[r.text_field], "untouched members stay"
    if r.events:  # the change event names the nested member that changed
        e = wait_event(r, "change", c["id"])
        assert e.get("fieldPath") == f"{member}.{a}", e


@check
def patch_no_change(r):
    """A PATCH that changes nothing answers 200 and keeps the version, the lastUpdate and
    the trail: no audit row."""
    if not needs(r, "update"):
        return
    c = create(r)
    for body in ({r.text_field: c[r.text_field]}, {}):
        p = srv().patch(r.one(c["id"]), body)
        assert p.status == 200, (body, p)
        assert p.json["version"] == c["version"] and p.header("ETag") == '"1"', (body, p)
        assert p.json["lastUpdate"] == c["lastUpdate"], p.json
    assert get(r, c["id"]) == c
    assert [x["action"] for x in audit(r, c["id"])] == ["create"]


@check
def method_not_allowed(r):
    """A resource that is never changed (or never deleted) answers 405 with Allow."""
    c = create(r)
    for method, allowed in (("PATCH", r.update), ("DELETE", r.delete)):
        if allowed:
            continue
        resp = srv().request(method, r.one(c["id"]), body={r.text_field: "x"} if method ==
                             "PATCH" else None)
        err(resp, 405)
        allow = resp.header("Allow") or ""
        assert "GET" in allow and method not in allow, allow
    assert get(r, c["id"]) == c


@check
def media_type_415(r):
    """A body that is not application/json is a 415 (PATCH also takes
    application/merge-patch+json) and changes nothing."""
    body = r.make(unique())
    text = json.dumps(body)
    for ct in ("text/plain", None, "application/merge-patch+json", "application/jsonx",
               "application/x-www-form-urlencoded"):
        err(raw("POST", r.path, text, ct), 415, "content type", ct)
    if r.filter_field != "id":
        assert count(r, body[r.filter_field]) == 0
    ok = raw("POST", r.path, text, "application/json; charset=utf-8")
    assert ok.status == 201, ok
    if r.update:
        c = ok.json
        for ct in ("text/plain", None, "application/xml"):
            err(raw("PATCH", r.one(c["id"]), json.dumps(r.patch(unique())), ct), 415)
        assert get(r, c["id"]) == c


@check
def malformed_json_400(r):
    """Malformed JSON (and a body that is no object, or names a member twice) is a 400 with
    the TMF error body and changes nothing."""
    twice = json.dumps(r.make(unique()))[:-1] + ', "%s": "again"}' % r.text_field
    err(raw("POST", r.path, twice), 400, "'%s' is given twice" % r.text_field, twice)
    for data, what in (('{"%s": ' % r.text_field, "malformed JSON"),
                       ('{"a":1}}', "malformed JSON"), ("[1,2]", None), ('"x"', None),
                       ("null", None), ("", None), ("\xff", None)):
        err(raw("POST", r.path, data.encode("latin-1") if data == "\xff" else data), 400, what,
            data)
    if r.update:
        c = create(r)
        for data in ('{"%s": ' % r.text_field, "[1,2]", '"x"', "null", "", "{,}",
                     '{"%s": "a", "%s": "b"}' % (r.text_field, r.text_field)):
            err(raw("PATCH", r.one(c["id"]), data), 400, None, data)
        assert get(r, c["id"]) == c


@check
def wrong_types_400(r):
    """A member of the wrong JSON type, an unknown member, is a 400 naming it."""
    f = r.text_field
    for value in (5, True, ["x"], {"a": "b"}):
        body = dict(r.make(unique()), **{f: value})
        err(srv().post(r.path, body), 400, f"'{f}'", value)
    err(srv().post(r.path, dict(r.make(unique()), colour="red")), 400, "'colour'")
    if r.update:
        c = create(r)
        for value in (5, False, [], {"a": 1}):
            err(srv().patch(r.one(c["id"]), {f: value}), 400, f"'{f}'", value)
        err(srv().patch(r.one(c["id"]), {"colour": "red"}), 400, "'colour'")
        err(srv().patch(r.one(c["id"]), {"version": 9}), 400, "'version'")
        assert get(r, c["id"]) == c


@check
def oversize_413(r):
    """A body over --max-body is a 413, declared (Content-Length) or not (chunked)."""
    pad = "x" * (MAX_BODY + 100)
    big = json.dumps(dict(r.make(unique()), **{r.text_field: pad}))
    err(raw("POST", r.path, big, new_conn=True), 413)
    err(chunked("POST", r.path, big.encode()), 413)
    if r.update:
        c = create(r)
        err(raw("PATCH", r.one(c["id"]), json.dumps({r.text_field: pad}), new_conn=True), 413)
        err(chunked("PATCH", r.one(c["id"]), json.dumps({r.text_field: pad}).encode()), 413)
        assert get(r, c["id"]) == c
    assert srv().get(r.path + "?limit=1", new_conn=True).status == 200


@check
def unknown_id_404(r):
    """An id that names no row of this resource (none at all, or another resource's) is a
    404 on GET, PATCH and DELETE."""
    foreign = [create(o)["id"] for o in RESOURCES if o.path != r.path]
    odd = ["00000000-0000-7000-8000-000000000000", "NOPE", "x" * 300, "a'b", "%2F..", "..",
           "%C3%A9", "a%20b", "1%3B%20DROP%20TABLE%20x"]
    for rid in odd + foreign:
        err(srv().get(r.one(rid)), 404, "not found" if len(rid) < 100 else None, rid)
        if r.update:
            err(srv().patch(r.one(rid), r.patch(unique())), 404, None, rid)
        if r.delete:
            err(srv().delete(r.one(rid)), 404, None, rid)
    # neither fields= nor If-Match turns a 404 into something else
    err(srv().get(r.one(odd[0]) + f"?fields={r.text_field}"), 404, "not found")
    if r.update:
        err(srv().patch(r.one(odd[0]), r.patch(unique()), headers={"If-Match": '"1"'}), 404)
    if r.delete:
        err(srv().delete(r.one(odd[0]), headers={"If-Match": '"1"'}), 404)


@check
def unknown_query_parameter_400(r):
    """A query parameter the endpoint does not take is a 400, on a list and on one row, and
    a write that carries one changes nothing."""
    c = create(r)
    for name in ("colour", "feilds", "Limit", "offset2"):
        err(srv().get(f"{r.path}?{name}=1"), 400, name, name)
    err(srv().get(r.one(c["id"]) + "?colour=red"), 400, "colour")
    body = r.make(unique())
    err(srv().post(r.path + "?colour=red", body), 400, "colour")
    if r.filter_field != "id":
        assert count(r, body[r.filter_field]) == 0
    if r.update:
        err(srv().patch(r.one(c["id"]) + "?colour=red", r.patch(unique())), 400, "colour")
    if r.delete:
        err(srv().delete(r.one(c["id"]) + "?colour=red"), 400, "colour")
    assert get(r, c["id"]) == c


@check
def idempotency_key(r):
    """Idempotency-Key: the same request again gets the first answer (Idempotent-Replayed)
    and creates nothing more; the key with another request is a 422; keys are per caller."""
    key = "cf-%s-%d" % (r.label, unique())
    body = r.make(unique())
    r1 = srv().post(r.path, body, headers={"Idempotency-Key": key})
    assert r1.status == 201, r1
    r2 = srv().post(r.path, body, headers={"Idempotency-Key": key})
    assert r2.status == 201 and r2.json == r1.json, (r1, r2)
    assert r2.header("Location") == r1.header("Location"), r2.headers
    assert r2.header("Idempotent-Replayed") == "true", r2.headers
    assert r1.header("Idempotent-Replayed") is None, r1.headers
    rid = r1.json["id"]
    assert count(r, r1.json[r.filter_field]) == 1
    assert [x["action"] for x in audit(r, rid)] == ["create"]
    other = r.make(unique())
    err(srv().post(r.path, other, headers={"Idempotency-Key": key}), 422)
    if r.filter_field != "id":
        assert count(r, other[r.filter_field]) == 0
    theirs = srv().post(r.path, body, headers={"Idempotency-Key": key}, auth=CF_GD)
    assert theirs.header("Idempotent-Replayed") is None, "another caller's key replayed"
    err(srv().post(r.path, r.make(unique()), headers={"Idempotency-Key": "k" * 129}), 400,
        "Idempotency-Key")
    if r.events:
        # one Create event only: the next write's event comes right after it
        assert srv().patch(r.one(rid), r.patch(unique())).status == 200
        ev = r.events
        EVENTS.wait_for(lambda e: e["eventType"] == ev["change"] and
                        e["event"][ev["member"]]["id"] == rid, ev["change"])
        assert [e["eventType"] for e in EVENTS.of(ev["member"], rid)] == \
            [ev["create"], ev["change"]]


@check
def scope(r):
    """A row outside the caller's data scope is not there: 404 on GET, PATCH, DELETE and
    absent from lists; nor can a row be made or moved there."""
    if not needs(r, "scope"):
        return
    if r.scope == "owner":
        c = create(r)
        for who in (CF_BJ, CF_GD):
            err(srv().get(r.one(c["id"]), auth=who), 404)
            err(srv().delete(r.one(c["id"]), auth=who), 404)
            assert c["id"] not in ids(listing(r, auth=who)[0])
            assert listing(r, f"id={q(c['id'])}", auth=who)[1].header("X-Total-Count") == "0"
        assert get(r, c["id"]) == c
        return
    c = create(r, org="GD-GZ")
    assert get(r, c["id"], auth=CF_GD) is not None, "the province above sees it"
    f = r.filter_field
    err(srv().get(r.one(c["id"]), auth=CF_BJ), 404, "not found")
    err(srv().patch(r.one(c["id"]), r.patch(unique()), auth=CF_BJ), 404)
    if r.delete:
        err(srv().delete(r.one(c["id"]), auth=CF_BJ), 404)
    rows, resp = listing(r, f"{f}={q(c[f])}", auth=CF_BJ)
    assert rows == [] and resp.header("X-Total-Count") == "0", rows
    assert c["id"] not in ids(listing(r, auth=CF_BJ)[0])
    assert get(r, c["id"]) == c
    # Beijing makes nothing in Guangzhou, nor moves its own rows there
    body = r.make(unique(), "GD-GZ")
    resp = srv().post(r.path, body, auth=CF_BJ)
    assert resp.status in (400, 404), resp
    err(resp, resp.status)
    assert count(r, body[f]) == 0
    mine = create(r, org="BJ-CY", auth=CF_BJ)
    if r.move:  # (an account stays with its customer, and moves only with it)
        err(srv().patch(r.one(mine["id"]), r.move("GD-GZ"), auth=CF_BJ), 400, "not found")
        assert get(r, mine["id"], auth=CF_BJ) == mine, "a refused move changed the row"
        # a move takes the row out of one scope into another
        p = srv().patch(r.one(c["id"]), r.move("BJ-CY"))
        assert p.status == 200, p
        assert get(r, c["id"], auth=CF_BJ)["id"] == c["id"], "the unit it moved to sees it"
        err(srv().get(r.one(c["id"]), auth=CF_GD), 404, "not found")
        assert c["id"] not in ids(listing(r, auth=CF_GD)[0])
    if r.events:
        # Guangzhou's listener gets Guangzhou's events, not Beijing's: the one of a row made
        # after Beijing's arrives, Beijing's (sent before it) never does
        ev = r.events
        later = create(r, org="GD-GZ")
        GD_INBOX.wait_for(lambda e: e["eventType"] == ev["create"] and
                          e["event"][ev["member"]]["id"] == later["id"], ev["create"])
        assert not GD_INBOX.of(ev["member"], mine["id"]), "an event from outside the scope"


@check
def masking(r):
    """Personal data is masked for a caller without pii.read: in the row, in lists, in
    the audit trail and in events; echoing the mask back keeps the stored value."""
    if not needs(r, "masked"):
        return
    c = create(r, org="GD-GZ")
    clear = dig(c, r.masked)
    assert "*" not in clear, c
    mine = get(r, c["id"], auth=CF_GD)
    shown = dig(mine, r.masked)
    assert shown != clear and "*" in shown, shown
    rows, resp = listing(r, f"{r.filter_field}={q(c[r.filter_field])}", auth=CF_GD)
    assert [dig(x, r.masked) for x in rows] == [shown], rows
    assert clear not in resp.text, "the clear value is in the list"
    one = srv().get(r.one(c["id"]) + f"?fields={r.masked[0]}", auth=CF_GD)
    assert clear not in one.text and dig(one.json, r.masked) == shown, one
    trail = srv().get(f"/api/v1/audit?resource={r.name}&resourceId={q(c['id'])}", auth=CF_GD)
    assert trail.status == 200 and len(trail.json) == 1, trail
    assert clear not in trail.text and dig(trail.json[0]["after"], r.masked) == shown, trail
    assert dig(audit(r, c["id"])[0]["after"], r.masked) == clear, "pii.read sees it clear"
    ev = r.events
    if ev:
        e = GD_INBOX.wait_for(lambda e: e["eventType"] == ev["create"] and
                              e["event"][ev["member"]]["id"] == c["id"], ev["create"])
        assert clear not in json.dumps(e, ensure_ascii=False), e
        assert dig(e["event"][ev["member"]], r.masked) == shown, e
        e = EVENTS.wait_for(lambda e: e["eventType"] == ev["create"] and
                            e["event"][ev["member"]]["id"] == c["id"], ev["create"])
        assert dig(e["event"][ev["member"]], r.masked) == clear, e
    # the masked value echoed back in a change keeps the stored one
    if r.update:
        echo = dict(r.patch(unique()), **{r.masked[0]: mine[r.masked[0]]})
        p = srv().patch(r.one(c["id"]), echo, auth=CF_GD)
        assert p.status == 200 and dig(p.json, r.masked) == shown, p
        assert dig(get(r, c["id"]), r.masked) == clear, "the mask was stored"
        trail = srv().get(f"/api/v1/audit?resource={r.name}&resourceId={q(c['id'])}",
                          auth=CF_GD)
        assert [x["action"] for x in trail.json] == ["update", "create"], trail.json
        assert clear not in trail.text, "the clear value is in the trail of the change"
        assert dig(trail.json[0]["before"], r.masked) == shown, trail.json[0]


def wait_event(r, kind, rid):
    ev = r.events
    return EVENTS.wait_for(lambda e: e["eventType"] == ev[kind] and
                           e["event"][ev["member"]]["id"] == rid, ev[kind])


@check
def writes_audit_and_events(r):
    """Each write leaves exactly one audit row (who, what, before and after, request id)
    and sends exactly one event (Create, AttributeValueChange with the changed field,
    StateChange, Delete), and a write that changes nothing leaves neither."""
    c = create(r)
    rid = c["id"]
    want_actions, want_events = ["create"], []
    rows = audit(r, rid)
    assert [x["action"] for x in rows] == ["create"], rows
    assert rows[0]["actor"] == "admin" and rows[0]["after"] == c and "before" not in rows[0], \
        rows[0]
    assert len(rows[0]["requestId"]) == 36, rows[0]
    if r.events:
        e = wait_event(r, "create", rid)
        assert e["event"][r.events["member"]] == c, e
        assert set(e) >= {"eventId", "eventTime", "eventType", "event"}, e
        want_events.append(r.events["create"])
    if r.update:
        assert srv().patch(r.one(rid), {r.text_field: c[r.text_field]}).status == 200
        p = srv().patch(r.one(rid), r.patch(unique()))
        assert p.status == 200 and p.json["version"] == 2, p
        want_actions.append("update")
        rows = audit(r, rid)
        assert [x["action"] for x in rows] == want_actions[::-1], rows
        assert rows[0]["before"] == c and rows[0]["after"] == p.json, rows[0]
        if r.events:
            e = wait_event(r, "change", rid)
            changed = list(r.patch(0))[0]
            assert changed in e.get("fieldPath", "").split(","), e
            assert e["event"][r.events["member"]] == p.json, e
            want_events.append(r.events["change"])
    if r.state_patch:
        p = srv().patch(r.one(rid), r.state_patch)
        assert p.status == 200, p
        want_actions.append("update")
        assert [x["action"] for x in audit(r, rid)] == want_actions[::-1]
        if r.events:
            e = wait_event(r, "state", rid)
            state = list(r.state_patch)[0]
            assert e["event"][r.events["member"]][state] == r.state_patch[state], e
            want_events.append(r.events["state"])
    if r.delete and r.delete_fresh:  # only a new record is deleted: another one
        gone = create(r)["id"]
        assert srv().delete(r.one(gone)).status == 204
        assert [x["action"] for x in audit(r, gone)] == ["delete", "create"]
        if r.events:
            wait_event(r, "delete", gone)
    elif r.delete:
        assert srv().delete(r.one(rid)).status == 204
        want_actions.append("delete")
        rows = audit(r, rid)
        assert [x["action"] for x in rows] == want_actions[::-1], rows
        assert "after" not in rows[0] and rows[0]["before"]["id"] == rid, rows[0]
        if r.events:
            wait_event(r, "delete", rid)
            want_events.append(r.events["delete"])
    if r.events:
        got = [e["eventType"] for e in EVENTS.of(r.events["member"], rid)]
        assert got == want_events, ("one event per write, in order", got, want_events)
    else:
        print(f"     {r.label}: sends no events")


@check
def delete_204_then_404(r):
    """DELETE answers 204 with no body; the row is gone afterwards: 404 on GET, PATCH and
    DELETE, absent from lists."""
    if not needs(r, "delete"):
        return
    c = create(r)
    d = srv().delete(r.one(c["id"]))
    assert d.status == 204 and d.text == "", d
    err(srv().get(r.one(c["id"])), 404, "not found")
    err(srv().delete(r.one(c["id"])), 404)
    if r.update:
        err(srv().patch(r.one(c["id"]), r.patch(unique())), 404)
    assert c["id"] not in ids(listing(r)[0])
    rows, resp = listing(r, f"id={q(c['id'])}")
    assert rows == [] and resp.header("X-Total-Count") == "0", rows


@check
def authentication_and_permissions(r):
    """No credentials is a 401 (with WWW-Authenticate) on every route; a caller without
    the route's permission gets a 403; neither changes anything."""
    c = create(r)
    f = r.filter_field
    routes = [("GET", r.path, None), ("GET", r.one(c["id"]), None),
              ("POST", r.path, r.make(unique()))]
    if r.update:
        routes.append(("PATCH", r.one(c["id"]), r.patch(unique())))
    if r.delete:
        routes.append(("DELETE", r.one(c["id"]), None))
    for method, path, body in routes:
        resp = srv().request(method, path, body=body, auth=None)
        err(resp, 401, None, (method, path))
        assert (resp.header("WWW-Authenticate") or "").startswith("Bearer"), resp.headers
        resp = srv().request(method, path, body=body, auth="not-a-token")
        err(resp, 401, None, (method, path, "a bad token"))
        for who, perms in ((CF_NONE, ["metrics.read"]), (CF_READER, READER_PERMS)):
            need = r.read_perm if method == "GET" else r.write_perm
            resp = srv().request(method, path, body=body, auth=who)
            if need and need not in perms:
                err(resp, 403, None, (method, path, perms))
            else:
                assert resp.status in (200, 201), (method, path, perms, resp)
                if method == "POST" and f != "id":  # made by a reader: take it away
                    assert count(r, body[f]) == 1
    assert get(r, c["id"]) == c, "a refused write changed the row"


@check
def tmf_meta_members(r):
    """@baseType and @schemaLocation are kept and echoed; @type, when sent, must be the
    resource's own."""
    body = dict(r.make(unique()), **{"@baseType": "Entity",
                                    "@schemaLocation": "https://schemas.example/cf.json"})
    c = srv().post(r.path, body)
    assert c.status == 201, c
    assert c.json["@baseType"] == "Entity", c.json
    assert c.json["@schemaLocation"] == "https://schemas.example/cf.json", c.json
    assert get(r, c.json["id"]) == c.json
    typed = srv().post(r.path, dict(r.make(unique()), **{"@type": r.type_name}))
    assert typed.status == 201 and typed.json["@type"] == r.type_name, typed
    other = next(o.type_name for o in RESOURCES if o.type_name != r.type_name)
    err(srv().post(r.path, dict(r.make(unique()), **{"@type": other})), 400, "@type")
    if r.update:
        p = srv().patch(r.one(c.json["id"]),
                        {"@schemaLocation": "https://schemas.example/v2.json"})
        assert p.status == 200 and p.json["@schemaLocation"].endswith("v2.json"), p
        assert p.json["@baseType"] == "Entity" and p.json["version"] == 2, p.json
        err(srv().patch(r.one(c.json["id"]), {"@type": other}), 400, "@type")


def together(*calls):
    """Runs the calls at once, each on its own connection; their answers in call order."""
    out = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def one(i):
        start.wait()
        out[i] = calls[i]()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert all(x is not None for x in out), "a request did not finish"
    return out


@check
def concurrent_writes(r):
    """Writes racing each other: of two PATCHes with the same If-Match one applies and one
    is a 412; of the same create sent at once with one Idempotency-Key, one row is made and
    every other answer is that one replayed or a 409."""
    if r.update:
        c = create(r)
        answers = together(*[lambda n=unique(): srv().patch(
            r.one(c["id"]), r.patch(n), headers={"If-Match": '"1"'}, new_conn=True)
            for _ in range(3)])
        assert sorted(a.status for a in answers) == [200, 412, 412], answers
        for a in answers:
            if a.status == 412:
                err(a, 412)
        assert get(r, c["id"])["version"] == 2
        assert [x["action"] for x in audit(r, c["id"])] == ["update", "create"]
    key = "cf-race-%d" % unique()
    body = r.make(unique())
    answers = together(*[lambda: srv().post(r.path, body, headers={"Idempotency-Key": key},
                                            new_conn=True) for _ in range(4)])
    made = [a for a in answers if a.status == 201]
    assert made and all(a.status in (201, 409) for a in answers), answers
    assert all(a.json == made[0].json for a in made), made
    for a in answers:
        if a.status == 409:
            err(a, 409)
    assert [x["action"] for x in audit(r, made[0].json["id"])] == ["create"]
    if r.filter_field != "id":
        assert count(r, body[r.filter_field]) == 1


@check
def request_too_large_for_the_server(r):
    """A request line or header too long for the server is an error with the TMF body."""
    many = ",".join(["x"] * 20000)
    resp = srv().get(f"{r.path}?{r.filter_field}={many}", new_conn=True)
    assert resp.status in (400, 413, 414, 431), resp
    err(resp, resp.status, None, "a 40 kB query")
    resp = srv().get(r.path, headers={"X-Padding": "p" * 60000}, new_conn=True)
    assert resp.status in (400, 413, 431), resp
    err(resp, resp.status, None, "a 60 kB header")


def server_stops_cleanly():
    """The server stops on SIGTERM with exit code 0 and no sanitizer report."""
    srv()
    stop()


# ---- running -----------------------------------------------------------------------------


def run(fn, r):
    key = (fn.__name__, r.label)

    def test():
        known = KNOWN_DEFECTS.get(key)
        srv()
        try:
            fn(r)
        except AssertionError as e:
            if known and known[0] in str(e):
                print(f"KNOWN DEFECT: {r.label}: {fn.__name__}: {known[1]}")
                return
            raise
        except Exception:
            if _server and _server.conn:  # a request cut short leaves the connection unusable
                _server.conn.close()
                _server.conn = None
            raise
        if known:
            print(f"KNOWN DEFECT FIXED? {r.label}: {fn.__name__} passes: remove it from "
                  "KNOWN_DEFECTS")
    return test


TESTS = {}
for _fn in CHECKS:
    for _r in RESOURCES:
        TESTS[f"test_{_fn.__name__}[{_r.label}]"] = run(_fn, _r)
TESTS["test_server_stops_cleanly"] = server_stops_cleanly

harness.main(TESTS)
