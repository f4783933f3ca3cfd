"""Data scope by depth: each permission of a role reaches the records the holder owns, the
holder's unit alone, the unit and those below it (the default), the province the unit lies
in, or everything. A
counter clerk finds and serves customers of any hall of the province, while changes stay
with the customer's own hall; lists, search, the 360 view and the hub follow the same
reach. Roles carry the depths; nobody gives a depth beyond their own."""

import harness
from harness import Listener, Server, assert_error

CUST = "/tmf-api/customerManagement/v4/customer"
IND = "/tmf-api/party/v4/individual"
PASSWORD = "Depth-pass-2026"
UNITS = [("GD", "province", "HQ"), ("GD-GZ", "city", "GD"), ("GD-GZ-H01", "hall", "GD-GZ"),
         ("GD-GZ-H02", "hall", "GD-GZ"), ("BJ", "province", "HQ"), ("BJ-CY", "city", "BJ"),
         ("BJ-CY-H01", "hall", "BJ-CY")]


def staff(s, login, org, roles):
    return user_with_token(s, login, org, roles)[1]


def user_with_token(s, login, org, roles):
    r = s.post("/api/v1/users", {"login": login, "displayName": login, "orgId": org,
                                 "roles": roles, "password": PASSWORD})
    assert r.status == 201, r
    t = s.post("/api/v1/tokens", {"name": "t", "userId": r.json["id"]})
    assert t.status == 201, t
    return r.json["id"], t.json["token"]


def customer_at(s, org, mobile, **extra):
    medium = [{"mediumType": "mobile", "characteristic": {"phoneNumber": mobile}}]
    p = s.post(IND, {"givenName": org, "familyName": "客", "orgId": org, "contactMedium": medium})
    assert p.status == 201, p
    c = s.post(CUST, {"engagedParty": {"id": p.json["id"], "@referredType": "Individual"},
                      "orgId": org, "contactMedium": medium, **extra})
    assert c.status == 201, c
    return c.json


def setup(s):
    for code, kind, parent in UNITS:
        assert s.post("/api/v1/org-units", {"id": code, "name": code, "kind": kind,
                                            "parentId": parent}).status == 201
    return {org: customer_at(s, org, mobile) for org, mobile in (
        ("GD-GZ-H01", "13800000001"), ("GD-GZ-H02", "13800000002"), ("GD-GZ", "13800000003"),
        ("BJ-CY-H01", "13800000004"))}


def test_clerk_serves_the_province_and_changes_its_hall():
    with Server() as s:
        c = setup(s)
        clerk = staff(s, "gz.clerk", "GD-GZ-H01", ["clerk"])
        role = s.get("/api/v1/roles/clerk").json
        assert {"permission": "customer.read", "depth": "province"} in role["depths"], role
        # reads: the province, not beyond
        other_hall = c["GD-GZ-H02"]["id"]
        assert s.get(f"{CUST}/{other_hall}", auth=clerk).status == 200
        seen = {x["orgId"] for x in s.get(CUST, auth=clerk).json}
        assert seen == {"GD-GZ-H01", "GD-GZ-H02", "GD-GZ"}, seen
        assert_error(s.get(f"{CUST}/{c['BJ-CY-H01']['id']}", auth=clerk), 404)
        hits = s.get("/api/v1/search?q=13800000002", auth=clerk).json
        assert [h["id"] for h in hits] == [other_hall], hits
        assert s.get("/api/v1/search?q=13800000004", auth=clerk).json == []
        assert s.get(f"/api/v1/customers/{other_hall}/360", auth=clerk).status == 200
        # writes: the clerk's hall alone, and nothing changes elsewhere
        before = s.get(f"{CUST}/{other_hall}").json
        assert_error(s.patch(f"{CUST}/{other_hall}", {"segment": "mass"}, auth=clerk), 403,
                     "belongs to unit 'GD-GZ-H02'")
        assert_error(s.delete(f"{CUST}/{other_hall}", auth=clerk), 403)
        assert s.get(f"{CUST}/{other_hall}").json == before
        r = s.patch(f"{CUST}/{c['GD-GZ-H01']['id']}", {"segment": "mass"}, auth=clerk)
        assert r.status == 200 and r.json["segment"] == "mass", r
        # a new customer is placed where the clerk may change it
        p = s.post(IND, {"givenName": "新", "familyName": "客"}, auth=clerk).json
        body = {"engagedParty": {"id": p["id"], "@referredType": "Individual"}}
        assert_error(s.post(CUST, dict(body, orgId="GD-GZ-H02"), auth=clerk), 400, "GD-GZ-H02")
        r = s.post(CUST, body, auth=clerk)
        assert r.status == 201 and r.json["orgId"] == "GD-GZ-H01", r


def test_a_registered_identification_leads_to_its_record_or_says_where_it_is_not():
    """Registering a person whose resident ID is already registered leads the clerk to
    that record when they may read it; otherwise the answer tells no more than that it is
    registered in another province (or at another unit of theirs)."""
    ids = {"GD-GZ-H02": "11010519491231002X", "BJ-CY-H01": "440106199003071231"}
    with Server() as s:
        setup(s)
        made = {}
        for org, rid in ids.items():
            r = s.post(IND, {"givenName": "伟", "familyName": "张", "orgId": org,
                             "individualIdentification": [{"identificationType": "residentId",
                                                           "identificationId": rid}]})
            assert r.status == 201, r
            made[org] = r.json
        clerk = staff(s, "gz.clerk", "GD-GZ-H01", ["clerk"])

        def register(rid):
            return s.post(IND, {"givenName": "伟", "familyName": "张",
                                "individualIdentification": [
                                    {"identificationType": "residentId",
                                     "identificationId": rid}]}, auth=clerk)

        # in the province: led to the record, the name masked as the clerk sees it
        b = assert_error(register(ids["GD-GZ-H02"]), 409, "registered already, to '张*'")
        assert b["conflictsWith"] == made["GD-GZ-H02"]["href"], b
        assert s.get(b["conflictsWith"], auth=clerk).status == 200
        # beyond it: where it is not, and nothing of it
        r = register(ids["BJ-CY-H01"])
        b = assert_error(r, 409, "registered in another province")
        assert "conflictsWith" not in b and made["BJ-CY-H01"]["id"] not in r.text, b
        assert "张" not in b["message"], b
        # a city desk reaching its unit alone hears of another unit, not a province
        s.post("/api/v1/roles", {"id": "desk", "name": "Desk",
                                 "permissions": ["customer.read", "customer.write"],
                                 "depths": [{"permission": "customer.read", "depth": "unit"}]})
        desk = staff(s, "gz.desk", "GD-GZ", ["desk"])
        r = s.post(IND, {"givenName": "伟", "familyName": "张", "individualIdentification": [
            {"identificationType": "residentId", "identificationId": ids["GD-GZ-H02"]}]},
            auth=desk)
        b = assert_error(r, 409, "registered at another unit")
        assert "conflictsWith" not in b, b


def test_role_depths_are_given_checked_and_followed():
    with Server() as s:
        c = setup(s)
        r = s.post("/api/v1/roles", {"id": "city_desk", "name": "City desk",
                                     "permissions": ["customer.read"],
                                     "depths": [{"permission": "customer.read",
                                                 "depth": "unit"}]})
        assert r.status == 201 and r.json["depths"] == [
            {"permission": "customer.read", "depth": "unit"}], r
        desk = staff(s, "gz.desk", "GD-GZ", ["city_desk"])
        # the city's own customers, not its halls'
        assert {x["orgId"] for x in s.get(CUST, auth=desk).json} == {"GD-GZ"}
        assert_error(s.get(f"{CUST}/{c['GD-GZ-H01']['id']}", auth=desk), 404)
        # everything, once the role says so; the default depth is not shown
        r = s.patch("/api/v1/roles/city_desk", {"depths": [{"permission": "customer.read",
                                                            "depth": "all"}]})
        assert r.status == 200, r
        assert len(s.get(CUST, auth=desk).json) == 4
        r = s.patch("/api/v1/roles/city_desk", {"depths": [{"permission": "customer.read",
                                                            "depth": "unitAndBelow"}]})
        assert r.status == 200 and "depths" not in r.json, r
        assert {x["orgId"] for x in s.get(CUST, auth=desk).json} == \
            {"GD-GZ", "GD-GZ-H01", "GD-GZ-H02"}
        # refused: a depth of a permission the role does not grant, an unknown depth
        assert_error(s.patch("/api/v1/roles/city_desk", {"depths": [
            {"permission": "customer.write", "depth": "all"}]}), 400, "does not grant")
        assert_error(s.patch("/api/v1/roles/city_desk", {"depths": [
            {"permission": "customer.read", "depth": "planet"}]}), 400)
        assert_error(s.patch("/api/v1/roles/city_desk", {"depths": [
            {"permission": "customer.flying", "depth": "all"}]}), 400)


def test_depth_of_a_holder_of_several_roles_and_of_the_hub():
    """The farthest depth of the roles wins; the hub delivers what the owner reaches."""
    lst = Listener()
    try:
        with Server() as s:
            setup(s)
            s.post("/api/v1/roles", {"id": "listener", "name": "Listener",
                                     "permissions": ["hub.manage", "customer.read"],
                                     "depths": [{"permission": "customer.read",
                                                 "depth": "unit"}]})
            both = staff(s, "gz.both", "GD-GZ-H01", ["listener", "clerk"])
            assert s.post("/tmf-api/customerManagement/v4/hub", {"callback": lst.url},
                          auth=both).status == 201
            customer_at(s, "GD-GZ-H02", "13800000012")  # in the province: delivered
            customer_at(s, "BJ-CY-H01", "13800000014")  # beyond it: not
            customer_at(s, "GD-GZ", "13800000013")
            got = [e for e in lst.wait(2, timeout=20) if e["eventType"] == "CustomerCreateEvent"]
            orgs = sorted(e["event"]["customer"]["orgId"] for e in got)
            assert orgs == ["GD-GZ", "GD-GZ-H02"], orgs
    finally:
        lst.close()


def test_own_records_reach_their_owner_wherever_they_lie():
    """A key account manager (customer.read:own, customer.write:own) reaches the customers
    assigned to them in every outlet — get, list, search, the 360, the hub — and no other;
    a customer's owner is its creator unless another user is named."""
    lst = Listener()
    try:
        with Server() as s:
            c = setup(s)
            key_id, key = user_with_token(s, "gz.key", "GD-GZ", ["key_account"])
            role = s.get("/api/v1/roles/key_account").json
            assert {"permission": "customer.read", "depth": "own"} in role["depths"], role
            mine_bj = customer_at(s, "BJ-CY-H01", "13800000021", ownerId=key_id)
            mine_h02 = customer_at(s, "GD-GZ-H02", "13800000022", ownerId=key_id)
            assert mine_bj["ownerId"] == key_id, mine_bj
            assert c["GD-GZ"].get("ownerId") != key_id  # the creator's (the admin's)
            # an owner must be a user
            body = assert_error(s.patch(f"{CUST}/{c['GD-GZ']['id']}", {"ownerId": "nobody"}),
                                400, "user 'nobody' not found")
            assert body["code"] == "user.notFound", body
            # a listener of theirs, through a role that adds hub.manage at the same depth
            s.post("/api/v1/roles", {"id": "keyhub", "name": "Key hub",
                                     "permissions": ["hub.manage", "customer.read"],
                                     "depths": [{"permission": "customer.read",
                                                 "depth": "own"}]})
            _, hub = user_with_token(s, "gz.keyhub", "GD-GZ", ["keyhub"])
            hub_id = s.get("/api/v1/session", auth=hub).json["user"]["id"]
            assert s.post("/tmf-api/customerManagement/v4/hub", {"callback": lst.url},
                          auth=hub).status == 201

            seen = sorted(x["id"] for x in s.get(CUST, auth=key).json)
            assert seen == sorted([mine_bj["id"], mine_h02["id"]]), seen
            r = s.get(f"{CUST}?limit=1", auth=key)
            assert r.header("X-Total-Count") == "2", r.headers
            assert s.get(f"{CUST}/{mine_bj['id']}", auth=key).status == 200
            assert_error(s.get(f"{CUST}/{c['GD-GZ']['id']}", auth=key), 404)
            assert [h["id"] for h in s.get("/api/v1/search?q=13800000021", auth=key).json] \
                == [mine_bj["id"]]
            assert s.get("/api/v1/search?q=13800000003", auth=key).json == []
            view = s.get(f"/api/v1/customers/{mine_bj['id']}/360", auth=key)
            assert view.status == 200, view
            # full personal data, as the role's pii.read gives
            profile = {x["name"]: x for x in view.json["sections"]}["profile"]["data"]
            phone = profile["contactMedium"][0]["characteristic"]["phoneNumber"]
            assert phone == "13800000021", profile
            assert_error(s.get(f"/api/v1/customers/{c['GD-GZ']['id']}/360", auth=key), 404)

            # changes: their own; another's is not found
            assert s.patch(f"{CUST}/{mine_bj['id']}", {"segment": "vip"},
                           auth=key).status == 200
            assert_error(s.patch(f"{CUST}/{c['GD-GZ']['id']}", {"segment": "vip"}, auth=key),
                         404)
            # what they register is theirs
            p = s.post(IND, {"givenName": "新", "familyName": "客"}, auth=key).json
            r = s.post(CUST, {"engagedParty": {"id": p["id"], "@referredType": "Individual"}},
                       auth=key)
            assert r.status == 201 and r.json["ownerId"] == key_id, r
            assert len(s.get(CUST, auth=key).json) == 3
            # handed to another user, it leaves their reach
            assert s.patch(f"{CUST}/{mine_h02['id']}", {"ownerId": hub_id}).status == 200
            assert_error(s.get(f"{CUST}/{mine_h02['id']}", auth=key), 404)
            assert s.get(f"{CUST}?ownerId={key_id}").header("X-Total-Count") == "2"

            # a reader of the province who changes only their own records is told why
            s.post("/api/v1/roles", {"id": "ownwriter", "name": "Own writer",
                                     "permissions": ["customer.read", "customer.write"],
                                     "depths": [{"permission": "customer.read",
                                                 "depth": "province"},
                                                {"permission": "customer.write",
                                                 "depth": "own"}]})
            writer = staff(s, "gz.writer", "GD-GZ", ["ownwriter"])
            body = assert_error(s.patch(f"{CUST}/{c['GD-GZ']['id']}", {"segment": "vip"},
                                        auth=writer), 403, "is not yours")
            assert body["code"] == "scope.notOwner", body

            # the hub: the customers the listener's owner owns, and only those
            customer_at(s, "GD-GZ", "13800000023")
            customer_at(s, "BJ-CY-H01", "13800000024", ownerId=hub_id)
            got = [e for e in lst.wait(2, timeout=20)
                   if e["eventType"] == "CustomerCreateEvent"]
            phones = [e["event"]["customer"]["contactMedium"][0]["characteristic"]
                      ["phoneNumber"] for e in got]
            assert phones == ["138****0024"], phones
    finally:
        lst.close()


harness.main(globals())
