"""TMF629 customers (/tmf-api/customerManagement/v4/customer): create with an engaged
party, lifecycle (409 on invalid transitions), blacklist, churn, potential big customer,
lists with filters/fields/paging, merge patch with If-Match, Idempotency-Key, delete,
scope by org unit, masking, events."""

import urllib.parse

import harness
import staff
from harness import Listener, Server, assert_error

CUST = "/tmf-api/customerManagement/v4/customer"
IND = "/tmf-api/party/v4/individual"
ORG = "/tmf-api/party/v4/organization"


def new_person(s, auth="admin", rid=staff.RESIDENT_ID, **kw):
    body = {"givenName": "伟", "familyName": "张",
            "individualIdentification": [{"identificationType": "residentId",
                                          "identificationId": rid}]}
    body.update(kw)
    r = s.post(IND, body, auth=auth)
    assert r.status == 201, r
    return r.json


def customer(party, **kw):
    body = {"engagedParty": {"id": party["id"], "@referredType": party["@type"]}}
    body.update(kw)
    return body


def test_create_201_defaults_and_get():
    with Server() as s:
        p = new_person(s)
        r = s.post(CUST, customer(p, segment="mass", customerRank="gold",
                                  contactMedium=[{"mediumType": "mobile", "characteristic":
                                                  {"phoneNumber": "13812345678"}}],
                                  characteristic=[{"name": "arpuBand", "value": "100-200"}],
                                  creditProfile=[{"creditScore": 720, "creditRiskRating": 2,
                                                  "creditProfileDate": "2026-11-01"}],
                                  account=[{"id": "A100", "name": "主账户"}],
                                  validFor={"startDateTime": "2026-11-01T00:00:00Z"},
                                  relatedParty=[{"id": "u1", "role": "accountManager",
                                                 "name": "李经理"}]))
        assert r.status == 201, r
        b = r.json
        assert b["@type"] == "Customer" and b["href"] == CUST + "/" + b["id"], b
        assert r.header("Location") == b["href"] and r.header("ETag") == '"1"'
        assert b["status"] == "prospective" and b["name"] == "张伟", b
        assert b["customerNo"].startswith("C") and len(b["customerNo"]) == 13, b
        ep = b["engagedParty"]
        assert ep["id"] == p["id"] and ep["@referredType"] == "Individual", ep
        assert ep["href"] == IND + "/" + p["id"] and ep["name"] == "张伟", ep
        assert b["blacklisted"] is False and b["bigCustomerPotential"] is False
        assert b["creditProfile"][0]["creditScore"] == 720
        assert b["account"][0]["id"] == "A100" and b["validFor"]["startDateTime"]
        assert b["relatedParty"][0]["role"] == "accountManager"
        assert "churn" not in b and "blacklistReason" not in b
        g = s.get(b["href"])
        assert g.status == 200 and g.json == b, (g, b)
        # an organization as engaged party, a given number and name
        o = s.post(ORG, {"tradingName": "某某科技"}).json
        r = s.post(CUST, customer(o, customerNo="C000000000001", name="某某科技（集团客户）",
                                  status="active"))
        assert r.status == 201 and r.json["customerNo"] == "C000000000001", r
        assert r.json["engagedParty"]["@referredType"] == "Organization"
        assert_error(s.post(CUST, customer(o, customerNo="C000000000001")), 409, "is taken")


def test_bad_input():
    with Server() as s:
        p = new_person(s)
        cases = [
            ({}, "'engagedParty' is required"),
            ({"engagedParty": {}}, "'engagedParty.id' is required"),
            ({"engagedParty": {"id": "nope"}}, "engaged party 'nope' not found"),
            ({"engagedParty": {"id": p["id"], "@referredType": "Organization"}},
             "engaged party"),
            ({"engagedParty": {"id": p["id"], "@referredType": "Robot"}}, "allowed values"),
            (customer(p, status="suspended"), "'prospective' or 'active'"),
            (customer(p, status="dormant"), "allowed values"),
            (customer(p, customerRank="bronze"), "allowed values"),
            (customer(p, colour="red"), "unknown field 'colour'"),
            (customer(p, name=5), "'name' must be a string"),
            (customer(p, blacklisted="yes"), "must be true or false"),
            (customer(p, blacklisted=True), "needs a 'blacklistReason'"),
            (customer(p, blacklistedBy="me"), "'blacklistedBy' is set by the server"),
            (customer(p, churn={"reason": "price"}), "'churn.churnDate' is required"),
            (customer(p, customerNo="c 1"), "may hold only"),
            (customer(p, contactMedium=[{"mediumType": "mobile", "characteristic":
                                         {"phoneNumber": "138-1234-567"}}]), "11 digits"),
            (customer(p, contactMedium=[{"mediumType": "email", "characteristic":
                                         {"emailAddress": "x@y"}}]), "top-level domain"),
            (customer(p, orgId="NOPE"), "org unit 'NOPE' not found"),
            (customer(p, id="x"), "'id' is set by the server"),
            (customer(p, validFor={"startDateTime": "2026-02-01T00:00:00Z",
                                   "endDateTime": "2026-01-01T00:00:00Z"}),
             "'validFor' ends before it starts"),
            (customer(p, contactMedium=[
                {"mediumType": "email", "characteristic": {"emailAddress": "a@b.cn"}},
                {"mediumType": "email", "characteristic": {"emailAddress": "c@d.cn"},
                 "validFor": {"startDateTime": "2026-02-01T00:00:00Z",
                              "endDateTime": "2026-01-01T00:00:00Z"}}]),
             "'contactMedium[1].validFor' ends before it starts"),
        ]
        for body, msg in cases:
            assert_error(s.post(CUST, body), 400, msg)
        assert s.get(CUST).header("X-Total-Count") == "0"


def test_lifecycle_transitions():
    allowed = {("prospective", "active"), ("active", "suspended"), ("suspended", "active"),
               ("active", "inactive"), ("suspended", "inactive"), ("prospective", "inactive")}
    paths = {"prospective": [], "active": ["active"], "suspended": ["active", "suspended"],
             "inactive": ["inactive"]}
    states = ["prospective", "active", "suspended", "inactive"]
    with Server() as s:
        p = new_person(s)
        for frm in states:
            for to in states:
                if frm == to:
                    continue
                c = s.post(CUST, customer(p)).json
                for step in paths[frm]:
                    assert s.patch(c["href"], {"status": step}).status == 200
                r = s.patch(c["href"], {"status": to, "statusReason": "test"})
                if (frm, to) in allowed:
                    assert r.status == 200 and r.json["status"] == to, (frm, to, r)
                    assert r.json["statusReason"] == "test"
                else:
                    assert_error(r, 409, f"from '{frm}' to '{to}'")
                    assert s.get(c["href"]).json["status"] == frm


def test_blacklist_churn_big_customer():
    with Server() as s:
        c = s.post(CUST, customer(new_person(s), status="active")).json
        r = s.patch(c["href"], {"blacklisted": True})
        assert_error(r, 400, "blacklistReason")
        r = s.patch(c["href"], {"blacklisted": True, "blacklistReason": "欠费恶意停机"})
        assert r.status == 200, r
        b = r.json
        assert b["blacklisted"] is True and b["blacklistReason"] == "欠费恶意停机"
        assert b["blacklistedBy"] == "admin" and b["blacklistedDate"].endswith("Z"), b
        r = s.patch(c["href"], {"segment": "vip"})
        assert r.json["blacklistedDate"] == b["blacklistedDate"], "kept across other edits"
        assert_error(s.patch(c["href"], {"blacklistedDate": "2026-01-01"}), 400,
                     "set by the server")
        r = s.patch(c["href"], {"blacklisted": False})
        assert r.status == 200 and r.json["blacklisted"] is False, r
        assert not {"blacklistReason", "blacklistedBy", "blacklistedDate"} & set(r.json)
        r = s.patch(c["href"], {"bigCustomerPotential": True})
        assert r.json["bigCustomerPotential"] is True
        r = s.patch(c["href"], {"status": "inactive", "statusReason": "携号转网",
                                "churn": {"churnDate": "2026-11-20", "reason": "资费",
                                          "portedToOperator": "China Unicom"}})
        assert r.status == 200, r
        assert r.json["churn"]["portedToOperator"] == "China Unicom", r.json
        assert r.json["churn"]["churnDate"].startswith("2026-11-20")
        assert s.get(CUST + "?status=inactive").header("X-Total-Count") == "1"
        r = s.patch(c["href"], {"churn": None})
        assert "churn" not in r.json


def test_list_filters_fields_paging():
    with Server() as s:
        p = new_person(s)
        ids = []
        for name, seg, status in (("甲", "mass", "prospective"), ("乙", "vip", "active"),
                                  ("丙", "vip", "prospective"), ("丁", "sme", "active")):
            r = s.post(CUST, customer(p, name=name, segment=seg, status=status))
            ids.append(r.json["id"])
        r = s.get(CUST)
        assert r.header("X-Total-Count") == "4" and r.header("X-Result-Count") == "4"
        assert [c["id"] for c in r.json] == ids[::-1], "newest first"
        assert [c["id"] for c in s.get(CUST + "?segment=vip").json] == [ids[2], ids[1]]
        assert [c["id"] for c in s.get(CUST + "?status=active&segment=sme").json] == [ids[3]]
        assert [c["id"] for c in s.get(CUST + "?name=" + urllib.parse.quote("乙")).json] == \
            [ids[1]]
        assert [c["id"] for c in s.get(CUST + "?id=" + ids[0]).json] == [ids[0]]
        no = s.get(CUST + "/" + ids[0]).json["customerNo"]
        assert [c["id"] for c in s.get(CUST + "?customerNo=" + no).json] == [ids[0]]
        assert s.get(CUST + "?engagedParty.id=" + p["id"]).header("X-Total-Count") == "4"
        r = s.get(CUST + "?limit=1&offset=1")
        assert r.header("X-Result-Count") == "1" and r.json[0]["id"] == ids[2]
        r = s.get(CUST + "?fields=status,engagedParty.id")
        for c in r.json:
            assert set(c) == {"id", "href", "@type", "status", "engagedParty"}, c
        assert_error(s.get(CUST + "?colour=red"), 400, "unknown filter attribute")


def test_patch_if_match_idempotency_delete():
    with Server() as s:
        p = new_person(s)
        h = {"Idempotency-Key": "cust-1"}
        r1 = s.post(CUST, customer(p), headers=h)
        r2 = s.post(CUST, customer(p), headers=h)
        assert r1.status == 201 and r2.status == 201 and r1.json == r2.json, (r1, r2)
        assert r2.header("Idempotent-Replayed") == "true"
        assert s.get(CUST).header("X-Total-Count") == "1"
        assert_error(s.post(CUST, customer(p, name="other"), headers=h), 422)
        href = r1.json["href"]
        r = s.patch(href, {"name": "新名", "segment": None},
                    headers={"If-Match": '"1"', "Content-Type": "application/merge-patch+json"})
        assert r.status == 200 and r.json["name"] == "新名" and r.header("ETag") == '"2"', r
        assert_error(s.patch(href, {"name": "x"}, headers={"If-Match": '"1"'}), 412)
        assert_error(s.patch(href, {"customerNo": "C999"}), 400, "cannot change")
        assert_error(s.patch(href, {"name": ""}), 400, "must not be blank")
        # the engaged party cannot go while a customer holds it
        assert_error(s.delete(p["href"]), 409, "engaged party of 1 customers")
        assert_error(s.delete(href, headers={"If-Match": '"1"'}), 412)
        assert s.delete(href).status == 204
        assert_error(s.get(href), 404)
        assert_error(s.patch(href, {"name": "x"}), 404)
        assert s.get(CUST).header("X-Total-Count") == "0"
        assert s.delete(p["href"]).status == 204
        row = s.sql("SELECT deleted_ms, name FROM customer WHERE id = ?", (r1.json["id"],))[0]
        audit = [a for (a,) in s.sql("SELECT action FROM audit_log WHERE resource ="
                                     " 'customer' ORDER BY seq")]
        assert row[0] > 0 and row[1] == "新名", row
        assert audit == ["create", "update", "delete"], audit
        assert_error(s.get(CUST + "/nope"), 404)


def test_scope_and_masking():
    with Server() as s:
        staff.make_units(s)
        gz_clerk = staff.make_staff(s, "gz.clerk", "GD-GZ", "clerk")
        gz_am = staff.make_staff(s, "gz.am", "GD-GZ", "account_manager")
        bj_am = staff.make_staff(s, "bj.am", "BJ-CY", "account_manager")
        gd_clerk = staff.make_staff(s, "gd.clerk", "GD", "clerk")
        p = new_person(s, auth=gz_clerk)
        body = customer(p, contactMedium=[
            {"mediumType": "mobile", "characteristic": {"phoneNumber": "13812345678"}},
            {"mediumType": "email", "characteristic": {"emailAddress": "zhang.wei@example.com"}}])
        r = s.post(CUST, body, auth=gz_clerk)
        assert r.status == 201 and r.json["orgId"] == "GD-GZ", r
        href = r.json["href"]
        cm = r.json["contactMedium"]
        assert cm[0]["characteristic"]["phoneNumber"] == "138****5678", cm
        assert cm[1]["characteristic"]["emailAddress"] == "z***@example.com", cm
        clear = s.get(href, auth=gz_am).json
        assert clear["contactMedium"][0]["characteristic"]["phoneNumber"] == "13812345678"
        # echoing the masks keeps the stored values
        r = s.patch(href, {"contactMedium": cm, "segment": "mass"}, auth=gz_clerk)
        assert r.status == 200, r
        assert s.get(href, auth=gz_am).json["contactMedium"] == clear["contactMedium"]
        cm[1]["characteristic"]["emailAddress"] = "x***@example.com"
        assert_error(s.patch(href, {"contactMedium": cm}, auth=gz_clerk), 400, "masked value")
        # audit rows are masked as the resource is, for readers without pii.read
        mgr = staff.make_staff(s, "gz.mgr", "GD-GZ", "manager")
        a = s.get("/api/v1/audit?resource=customer&action=create", auth=mgr).json
        assert a[0]["after"]["contactMedium"][0]["characteristic"]["phoneNumber"] == \
            "138****5678", a
        # the province above sees it; Beijing does not
        assert s.get(href, auth=gd_clerk).status == 200
        assert_error(s.get(href, auth=bj_am), 404)
        assert_error(s.patch(href, {"segment": "x"}, auth=bj_am), 404)
        assert_error(s.delete(href, auth=bj_am), 404)
        assert s.get(CUST, auth=bj_am).header("X-Total-Count") == "0"
        # nor can Beijing make a customer of a Guangzhou party
        assert_error(s.post(CUST, customer(p), auth=bj_am), 400, "not found")
        agent = staff.make_staff(s, "gz.agent", "GD-GZ", "agent")
        assert s.get(href, auth=agent).status == 200
        assert_error(s.patch(href, {"segment": "x"}, auth=agent), 403)
        assert_error(s.get(CUST, auth=None), 401)


def test_events():
    lst = Listener()
    try:
        with Server() as s:
            assert s.post("/tmf-api/customerManagement/v4/hub",
                          {"callback": lst.url}).status == 201
            c = s.post(CUST, customer(new_person(s))).json
            s.patch(c["href"], {"segment": "vip"})
            s.patch(c["href"], {"status": "active"})
            s.delete(c["href"])
            events = lst.wait(4)
            assert [e["eventType"] for e in events] == [
                "CustomerCreateEvent", "CustomerAttributeValueChangeEvent",
                "CustomerStateChangeEvent", "CustomerDeleteEvent"], events
            assert events[0]["event"]["customer"]["id"] == c["id"]
            assert events[2]["event"]["customer"]["status"] == "active"
    finally:
        lst.close()


def test_demo_customers_by_scope():
    """The demo operator's customers: as many as asked, the same for the same seed, and
    each caller sees exactly those their role reaches — a clerk the whole province, an
    account manager their city, a manager their province — masked without pii.read."""
    import os
    import tempfile
    tmp = tempfile.mkdtemp(prefix="telcrm-demo-")
    db = harness.fresh_db(tmp)
    rc, out, err = harness.run_cli("demo", "--customers", "400", "--seed", "7", db=db)
    assert rc == 0 and "400 customers" in out, (out, err)
    with Server(db=db, tmp=tmp) as s:
        everyone = s.get(CUST + "?limit=1000")
        assert everyone.header("X-Total-Count") == "400", everyone.headers
        paths = {u["id"]: u["path"] for u in s.get("/api/v1/org-units?limit=1000").json}
        statuses = {c["status"] for c in everyone.json}
        assert {"active", "prospective"} <= statuses, statuses
        assert any(c["engagedParty"]["@referredType"] == "Organization" for c in everyone.json)

        def under(prefix):
            return sum(1 for c in everyone.json if paths[c["orgId"]].startswith(prefix))

        for login, prefix in (("gz.clerk", "/HQ/GD/"),
                              ("gz.account", "/HQ/GD/GD-GZ/"), ("gd.manager", "/HQ/GD/"),
                              ("bj.clerk", "/HQ/BJ/")):
            r = s.get(CUST + "?limit=1000", auth=s.cli_token(login))
            assert r.header("X-Total-Count") == str(under(prefix)), (login, r.headers)
            assert all(paths[c["orgId"]].startswith(prefix) for c in r.json), login
        hall_clerk = s.cli_token("gz.clerk")
        mine = s.get(CUST + "?orgId=GD-GZ-H01", auth=hall_clerk).json
        assert mine, "the demo hall GD-GZ-H01 has customers"
        p = s.get(mine[0]["engagedParty"]["href"], auth=hall_clerk).json
        phones = [m["characteristic"]["phoneNumber"] for m in p["contactMedium"]
                  if "phoneNumber" in m["characteristic"]]
        assert phones and all("****" in x for x in phones), p
        if "individualIdentification" in p:
            assert "*" in p["individualIdentification"][0]["identificationId"], p
    # the same seed makes the same operator, another seed another one
    import shutil
    tmp = tempfile.mkdtemp(prefix="telcrm-demo-")
    try:
        q = "SELECT full_name, id_number FROM party ORDER BY full_name, id_number"
        rows = []
        for name, seed in (("a.db", "7"), ("b.db", "7"), ("c.db", "8")):
            db = harness.fresh_db(tmp, name)
            rc, out, err = harness.run_cli("demo", "--customers", "100", "--seed", seed, db=db)
            assert rc == 0, err
            rows.append(harness.sql(db, q))
            harness.drop_db(db)
        assert rows[0] == rows[1] and rows[0] != rows[2]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


harness.main(globals())
