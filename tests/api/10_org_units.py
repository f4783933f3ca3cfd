"""Org units (/api/v1/org-units): create, list with filters/fields/paging, get, rename,
move, close; ETag/If-Match; Idempotency-Key; audit rows and hub events for each change."""

import json
import urllib.parse

import harness
from harness import Listener, Server, assert_error

BASE = "/api/v1/org-units"


def unit(code, kind, parent, name=None):
    return {"id": code, "name": name or code, "kind": kind, "parentId": parent}


def make_tree(s):
    for body in (unit("GD", "province", "HQ", "广东省"), unit("GD-GZ", "city", "GD", "广州市"),
                 unit("GD-SZ", "city", "GD", "深圳市"), unit("GD-GZ-H01", "hall", "GD-GZ"),
                 unit("BJ", "province", "HQ", "北京市"), unit("BJ-HD", "city", "BJ")):
        r = s.post(BASE, body)
        assert r.status == 201, r


def test_create_returns_201_body_location_etag():
    with Server() as s:
        r = s.post(BASE, unit("GD", "province", "HQ", "广东省"))
        assert r.status == 201, r
        b = r.json
        assert b["id"] == "GD" and b["name"] == "广东省" and b["kind"] == "province", b
        assert b["parentId"] == "HQ" and b["path"] == "/HQ/GD/" and b["status"] == "active", b
        assert b["href"] == "/api/v1/org-units/GD" and b["@type"] == "OrgUnit", b
        assert b["version"] == 1 and b["createdDate"].endswith("Z"), b
        assert r.header("Location") == "/api/v1/org-units/GD", r.headers
        assert r.header("ETag") == '"1"', r.headers
        g = s.get(BASE + "/GD")
        assert g.status == 200 and g.json == b, (g, b)


def test_create_validation():
    with Server() as s:
        make_tree(s)
        cases = [
            ({"name": "x", "kind": "province", "parentId": "HQ"}, 400, "'id' is required"),
            (unit("gd", "province", "HQ"), 400, "may hold only"),
            (unit("-X", "province", "HQ"), 400, "may hold only"),
            (unit("X", "planet", "HQ"), 400, "allowed values"),
            (unit("X", "city", "HQ"), 400, "cannot sit under"),
            (unit("X", "hall", "GD"), 400, "cannot sit under"),
            (unit("X", "hq", "HQ"), 400, "only one"),
            (unit("X", "city", "ZZ"), 400, "parent unit 'ZZ' not found"),
            (unit("GD", "province", "HQ"), 409, "already exists"),
            (dict(unit("X", "province", "HQ"), colour="red"), 400, "unknown field 'colour'"),
            (dict(unit("X", "province", "HQ"), name=5), 400, "'name' must be a string"),
            (dict(unit("X", "province", "HQ"), name=""), 400, "'name' must not be blank"),
            (dict(unit("X", "province", "HQ"), name="  \t"), 400, "'name' must not be blank"),
            (dict(unit("X", "province", "HQ"), name="\u3000"), 400, "'name' must not be blank"),
            (unit("X", "province", "X"), 400, "cannot be its own parent"),
            (dict(unit("X", "province", "HQ"), path="/x/"), 400, "'path' is set by the server"),
            (dict(unit("X", "province", "HQ"), name="x" * 101), 400, "longer than"),
        ]
        total = s.get(BASE).header("X-Total-Count")
        for body, status, msg in cases:
            assert_error(s.post(BASE, body), status, msg)
        assert s.get(BASE).header("X-Total-Count") == total


def test_list_filters_fields_paging():
    with Server() as s:
        make_tree(s)
        r = s.get(BASE)
        assert r.status == 200 and r.header("X-Total-Count") == "7", r.headers
        assert r.header("X-Result-Count") == "7"
        assert [u["id"] for u in r.json] == ["HQ", "BJ", "BJ-HD", "GD", "GD-GZ", "GD-GZ-H01", "GD-SZ"]
        r = s.get(BASE + "?kind=city")
        assert sorted(u["id"] for u in r.json) == ["BJ-HD", "GD-GZ", "GD-SZ"], r
        r = s.get(BASE + "?kind=city,hall&parentId=GD-GZ")
        assert [u["id"] for u in r.json] == ["GD-GZ-H01"], r
        r = s.get(BASE + "?id=GD")
        assert [u["id"] for u in r.json] == ["GD"], r
        r = s.get(BASE + "?name=" + urllib.parse.quote("广州市"))
        assert [u["id"] for u in r.json] == ["GD-GZ"], r
        r = s.get(BASE + "?offset=2&limit=2")
        assert r.header("X-Total-Count") == "7" and r.header("X-Result-Count") == "2", r.headers
        assert [u["id"] for u in r.json] == ["BJ-HD", "GD"], r
        r = s.get(BASE + "?offset=100")
        assert r.status == 200 and r.json == [] and r.header("X-Result-Count") == "0"
        r = s.get(BASE + "?fields=name&id=GD")
        assert r.json == [{"id": "GD", "href": "/api/v1/org-units/GD", "@type": "OrgUnit",
                           "name": "广东省"}], r
        r = s.get(BASE + "/GD?fields=kind,status")
        assert set(r.json) == {"id", "href", "@type", "kind", "status"}, r


def test_rename_with_etag_and_stale_if_match():
    with Server() as s:
        make_tree(s)
        r = s.patch(BASE + "/GD", {"name": "广东"}, headers={"If-Match": '"1"'})
        assert r.status == 200 and r.json["name"] == "广东" and r.json["version"] == 2, r
        assert r.header("ETag") == '"2"'
        assert_error(s.patch(BASE + "/GD", {"name": "again"}, headers={"If-Match": '"1"'}),
                     412, "version 2")
        assert s.get(BASE + "/GD").json["name"] == "广东"
        r = s.request("PATCH", BASE + "/GD", raw='{"name":"Guangdong"}',
                      headers={"Content-Type": "application/merge-patch+json", "If-Match": 'W/"2"'})
        assert r.status == 200 and r.json["version"] == 3, r
        assert_error(s.patch(BASE + "/GD", {"name": "x"}, headers={"If-Match": "garbage"}), 400)
        assert_error(s.patch(BASE + "/GD", {"kind": "city"}), 400, "'kind' cannot change")
        assert_error(s.patch(BASE + "/GD", {"parentId": "GD"}), 400, "its own parent")
        assert_error(s.patch(BASE + "/GD", {"parentId": "NOPE"}), 400, "'NOPE' not found")
        assert_error(s.patch(BASE + "/GD", {"name": None}), 400)


def test_move_rewrites_subtree_paths():
    with Server() as s:
        make_tree(s)
        r = s.patch(BASE + "/GD-GZ", {"parentId": "BJ"})
        assert r.status == 200 and r.json["path"] == "/HQ/BJ/GD-GZ/", r
        assert s.get(BASE + "/GD-GZ-H01").json["path"] == "/HQ/BJ/GD-GZ/GD-GZ-H01/"
        assert_error(s.patch(BASE + "/BJ", {"parentId": "BJ-HD"}), 400, "cannot sit under")
        assert_error(s.patch(BASE + "/HQ", {"parentId": "GD"}), 400)
        assert_error(s.patch(BASE + "/GD-GZ-H01", {"parentId": "GD"}), 400, "cannot sit under")


def test_close_and_reopen():
    with Server() as s:
        make_tree(s)
        assert_error(s.patch(BASE + "/GD", {"status": "closed"}), 409, "active units under it")
        assert_error(s.patch(BASE + "/HQ", {"status": "closed"}), 409)
        r = s.patch(BASE + "/GD-SZ", {"status": "closed"})
        assert r.status == 200 and r.json["status"] == "closed", r
        assert_error(s.post(BASE, unit("GD-SZ-H01", "hall", "GD-SZ")), 409, "closed")
        assert_error(s.patch(BASE + "/GD-SZ", {"status": "gone"}), 400)
        assert s.patch(BASE + "/GD-SZ", {"status": "active"}).status == 200


def test_idempotency_key_replays_first_response():
    with Server() as s:
        h = {"Idempotency-Key": "create-gd-1"}
        r1 = s.post(BASE, unit("GD", "province", "HQ"), headers=h)
        assert r1.status == 201, r1
        r2 = s.post(BASE, unit("GD", "province", "HQ"), headers=h)
        assert r2.status == 201 and r2.json == r1.json, (r1, r2)
        assert r2.header("Location") == r1.header("Location")
        assert r2.header("Idempotent-Replayed") == "true", r2.headers
        assert s.get(BASE + "?kind=province").header("X-Total-Count") == "1"
        assert_error(s.post(BASE, unit("BJ", "province", "HQ"), headers=h), 422,
                     "different request")
        # a failed request does not use up its key
        h2 = {"Idempotency-Key": "k2"}
        assert_error(s.post(BASE, unit("ZZ", "city", "HQ"), headers=h2), 400)
        assert s.post(BASE, unit("ZZ", "province", "HQ"), headers=h2).status == 201
        assert_error(s.post(BASE, unit("Y", "province", "HQ"),
                            headers={"Idempotency-Key": "x" * 200}), 400)


def test_every_change_has_audit_row_and_event():
    lst = Listener()
    try:
        with Server() as s:
            r = s.post("/api/v1/hub", {"callback": lst.url})
            assert r.status == 201 and r.json["callback"] == lst.url, r
            hub_id = r.json["id"]
            assert r.header("Location") == "/tmf-api/telcrm/v4/hub/" + hub_id
            assert s.get("/tmf-api/telcrm/v4/hub/" + hub_id).json["id"] == hub_id
            assert s.get("/api/v1/hub/" + hub_id).json["id"] == hub_id
            make_tree(s)
            s.patch(BASE + "/GD", {"name": "广东"})
            s.patch(BASE + "/BJ-HD", {"status": "closed"})
            events = lst.wait(8)
            types = [e["eventType"] for e in events]
            assert types == ["OrgUnitCreateEvent"] * 6 + ["OrgUnitAttributeValueChangeEvent",
                                                          "OrgUnitStateChangeEvent"], types
            for e in events:
                assert set(e) >= {"eventId", "eventTime", "eventType", "event"}, e
            assert events[0]["event"]["orgUnit"]["id"] == "GD"
            assert events[6]["event"]["orgUnit"]["name"] == "广东"
            rows = s.sql("SELECT action, resource, resource_id, before_json, after_json,"
                         " request_id, actor FROM audit_log WHERE resource = 'orgUnit'"
                         " ORDER BY seq")
            assert len(rows) == 8, rows
            action, _, rid, before, after, req_id, actor = rows[6]
            assert action == "update" and rid == "GD" and actor
            assert json.loads(before)["name"] == "广东省" and json.loads(after)["name"] == "广东"
            assert len(req_id) == 36
            # unsubscribe: no more events
            assert s.delete("/api/v1/hub/" + hub_id).status == 204
            assert_error(s.delete("/api/v1/hub/" + hub_id), 404)
            s.patch(BASE + "/GD", {"name": "Guangdong"})
    finally:
        lst.close()
    assert lst.events.empty()


def test_hub_validation_and_query_filter():
    lst = Listener()
    try:
        with Server() as s:
            assert_error(s.post("/api/v1/hub", {"callback": "ftp://x/y"}), 400, "http or https")
            assert_error(s.post("/api/v1/hub", {}), 400, "'callback' is required")
            assert_error(s.post("/api/v1/hub", {"callback": lst.url, "query": "name=x"}), 400)
            assert_error(s.post("/tmf-api/noSuchApi/v4/hub", {"callback": lst.url}), 404)
            r = s.post("/tmf-api/customerManagement/v4/hub", {"callback": lst.url})
            assert r.status == 201, r
            r = s.post("/api/v1/hub", {"callback": lst.url,
                                       "query": "eventType=OrgUnitStateChangeEvent"})
            assert r.status == 201, r
            make_tree(s)
            s.patch(BASE + "/BJ-HD", {"status": "closed"})
            (e,) = lst.wait(1)
            assert e["eventType"] == "OrgUnitStateChangeEvent", e
    finally:
        lst.close()


def test_delivery_retries_after_listener_failure():
    lst = Listener(fail_first=2)
    try:
        with Server() as s:
            assert s.post("/api/v1/hub", {"callback": lst.url}).status == 201
            s.post(BASE, unit("GD", "province", "HQ"))
            (e,) = lst.wait(1, timeout=20)
            assert e["event"]["orgUnit"]["id"] == "GD"
    finally:
        lst.close()


harness.main(globals())
