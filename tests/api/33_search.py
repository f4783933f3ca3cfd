"""GET /api/v1/search?q=: customers by mobile number (whole, last 4 or 6 digits), fixed
line, identification number, credit code, customer number and name (Chinese substrings
included); ranked, scoped to the caller's org, masked per the caller's rights; the indexes
follow updates and deletes; bad queries get 400."""

import urllib.parse

import harness
import staff
from harness import Server, assert_error

CUST = "/tmf-api/customerManagement/v4/customer"
IND = "/tmf-api/party/v4/individual"
ORG = "/tmf-api/party/v4/organization"


def search(s, q, auth="admin", **params):
    params["q"] = q
    return s.get("/api/v1/search?" + urllib.parse.urlencode(params), auth=auth)


def hits(s, q, auth="admin", **params):
    r = search(s, q, auth, **params)
    assert r.status == 200, r
    assert r.header("X-Result-Count") == str(len(r.json)), r
    return r.json


def mobile(number):
    return {"mediumType": "mobile", "characteristic": {"phoneNumber": number}}


def person(s, family, given, rid, phones=(), auth="admin", **kw):
    body = {"givenName": given, "familyName": family,
            "individualIdentification": [{"identificationType": "residentId",
                                          "identificationId": rid}],
            "contactMedium": [mobile(p) for p in phones]}
    body.update(kw)
    r = s.post(IND, body, auth=auth)
    assert r.status == 201, r
    return r.json


def customer(s, party, auth="admin", **kw):
    body = {"engagedParty": {"id": party["id"], "@referredType": party["@type"]}}
    body.update(kw)
    r = s.post(CUST, body, auth=auth)
    assert r.status == 201, r
    return r.json


def test_finds_by_each_kind_of_value():
    with Server() as s:
        zhang = customer(s, person(s, "张", "伟明", staff.RESIDENT_ID, ["13812345678"]),
                         customerNo="C000000000042")
        li = customer(s, person(s, "李", "娜", staff.RESIDENT_ID_2, ["13912345678"]),
                      contactMedium=[{"mediumType": "phone", "characteristic":
                                      {"phoneNumber": "020-87654321-88"}}])
        org = s.post(ORG, {"tradingName": "广州某某科技有限公司", "organizationIdentification": [
            {"identificationType": "unifiedSocialCreditCode",
             "identificationId": staff.USCC}]}).json
        firm = customer(s, org)

        def ids(q, **params):
            return [h["id"] for h in hits(s, q, **params)]

        # mobile: whole (any spelling), last 6, last 4 (both end in 5678: 345678 too)
        for q in ("13812345678", "138 1234 5678", "+86 138-1234-5678", "0086 13812345678"):
            h = hits(s, q)
            assert [x["id"] for x in h] == [zhang["id"]], (q, h)
            assert h[0]["matchedBy"] == "phoneNumber" and h[0]["exactMatch"] is True, h
            assert h[0]["phoneNumber"] == "13812345678", h
        assert sorted(ids("345678")) == sorted([zhang["id"], li["id"]])
        h = hits(s, "5678")
        assert {x["id"] for x in h} == {zhang["id"], li["id"]}, h
        assert all(x["exactMatch"] is False for x in h), h
        assert ids("2345678") == [zhang["id"], li["id"]]  # same rank: in name order
        # a fixed line of the customer itself, with or without the area code; the
        # extension is not part of the number
        assert ids("020-87654321") == [li["id"]]
        assert ids("87654321") == [li["id"]]
        assert ids("4321") == [li["id"]]
        # identification: resident id (lower-case x too) and credit code
        for q in (staff.RESIDENT_ID, staff.RESIDENT_ID.lower()):
            h = hits(s, q)
            assert [x["id"] for x in h] == [zhang["id"]], (q, h)
            assert h[0]["matchedBy"] == "identification", h
            assert h[0]["idNumber"] == staff.RESIDENT_ID, h
        assert ids(staff.USCC) == [firm["id"]]
        # customer number, also as its digits alone
        assert ids("C000000000042") == [zhang["id"]]
        assert ids("c000000000042") == [zhang["id"]]
        assert ids("000000000042") == [zhang["id"]]
        assert hits(s, li["customerNo"])[0]["id"] == li["id"]
        # names: whole, start, end, inside; Chinese and Latin
        assert ids("张伟明") == [zhang["id"]]
        assert ids("伟明") == [zhang["id"]]          # two characters: the end of a name
        assert ids("张伟") == [zhang["id"]]          # two characters: the start
        assert ids("李娜") == [li["id"]]
        assert ids("某某科技") == [firm["id"]]        # inside a longer name
        assert ids("科技有限") == [firm["id"]]
        assert ids("王五") == [] and ids("13") == []
        # each hit is a summary that links to the customer and its party
        h = hits(s, "张伟明")[0]
        assert h["href"] == CUST + "/" + zhang["id"] and h["customerNo"] == "C000000000042"
        assert h["engagedParty"]["@referredType"] == "Individual", h
        assert h["@type"] == "CustomerSearchHit" and h["status"] == "prospective", h
        assert h["matchedBy"] == "name" and h["exactMatch"] is True, h


def test_ranking_limit_and_latin_names():
    with Server() as s:
        people = [("Smith", "John", staff.RESIDENT_ID), ("Smithson", "Ann", staff.RESIDENT_ID_2),
                  ("Black", "Smith", staff.RESIDENT_ID_3)]
        made = {}
        for family, given, rid in people:
            p = person(s, family, given, rid, fullName=given + " " + family)
            made[given] = customer(s, p)
        # "Smith" exactly is none; the names starting with it come before the one that
        # only contains it; ties in name order
        names = [h["name"] for h in hits(s, "smith")]
        assert names == ["Smith Black", "Ann Smithson", "John Smith"], names
        r = customer(s, person(s, "王", "芳", "440106199003071258"), name="smith")
        h = hits(s, "smith")
        assert h[0]["id"] == r["id"] and h[0]["exactMatch"] is True, h
        assert len(hits(s, "smith", limit=2)) == 2
        # a phone number and a name on one customer: found once, at its best rank
        p = person(s, "赵", "六", "110105194912310038", ["13700001111"])
        c = customer(s, p, name="赵六 13700001111")
        h = hits(s, "13700001111")
        assert [x["id"] for x in h] == [c["id"]] and h[0]["matchedBy"] == "phoneNumber", h


def test_scope_and_masking():
    with Server() as s:
        staff.make_units(s)
        gz_clerk = staff.make_staff(s, "gz.clerk", "GD-GZ", "clerk")
        gz_am = staff.make_staff(s, "gz.am", "GD-GZ", "account_manager")
        bj_am = staff.make_staff(s, "bj.am", "BJ-CY", "account_manager")
        gd_clerk = staff.make_staff(s, "gd.clerk", "GD", "clerk")
        p = person(s, "陈", "小明", staff.RESIDENT_ID, ["13812345678"], auth=gz_clerk)
        c = customer(s, p, auth=gz_clerk)
        # a clerk finds the customer but sees the number masked
        h = hits(s, "13812345678", auth=gz_clerk)
        assert [x["id"] for x in h] == [c["id"]], h
        assert h[0]["phoneNumber"] == "138****5678", h
        h = hits(s, staff.RESIDENT_ID, auth=gz_clerk)
        assert h[0]["idNumber"] != staff.RESIDENT_ID and "*" in h[0]["idNumber"], h
        assert hits(s, "13812345678", auth=gz_am)[0]["phoneNumber"] == "13812345678"
        # the province above finds it; Beijing does not, by any value
        assert [x["id"] for x in hits(s, "5678", auth=gd_clerk)] == [c["id"]]
        for q in ("13812345678", "5678", staff.RESIDENT_ID, "陈小明", c["customerNo"]):
            assert hits(s, q, auth=bj_am) == [], q
        # search needs customer.read
        t = s.post("/api/v1/tokens", {"name": "narrow", "scope": ["audit.read"]}).json
        assert_error(search(s, "5678", auth=t["token"]), 403)
        assert_error(search(s, "5678", auth=None), 401)


def test_indexes_follow_changes():
    with Server() as s:
        p = person(s, "周", "杰", staff.RESIDENT_ID, ["13812345678"])
        c = customer(s, p, contactMedium=[mobile("13900001111")])
        assert [x["id"] for x in hits(s, "13900001111")] == [c["id"]]
        # the customer's own number replaced; the party's number replaced; a rename
        r = s.patch(c["href"], {"contactMedium": [mobile("13900002222")], "name": "周杰伦"})
        assert r.status == 200, r
        assert hits(s, "13900001111") == [] and hits(s, "周杰伦")[0]["id"] == c["id"]
        assert [x["id"] for x in hits(s, "2222")] == [c["id"]]
        r = s.patch(p["href"], {"contactMedium": [mobile("13711112222")]})
        assert r.status == 200, r
        assert hits(s, "13812345678") == []
        h = hits(s, "2222")  # both numbers end so: the customer once
        assert [x["id"] for x in h] == [c["id"]] and h[0]["phoneNumber"] in \
            ("13711112222", "13900002222"), h
        # deleted customers are not found
        assert s.delete(c["href"]).status == 204
        for q in ("13900002222", "13711112222", "周杰伦", staff.RESIDENT_ID, c["customerNo"]):
            assert hits(s, q) == [], q


def test_organizations_by_registered_name():
    """An organisation's customer is named after its trading name; its registered (legal)
    name finds it too, whole, by its start or by a part, Latin letters in any case, in the
    caller's scope only."""
    with Server() as s:
        staff.make_units(s)
        gz = staff.make_staff(s, "gz.am", "GD-GZ", "account_manager")
        bj = staff.make_staff(s, "bj.am", "BJ-CY", "account_manager")
        org = s.post(ORG, {"name": "广州市某某科技有限公司", "tradingName": "某某科技"},
                     auth=gz)
        assert org.status == 201, org
        firm = customer(s, org.json, auth=gz)
        assert firm["name"] == "某某科技", firm
        acme = customer(s, s.post(ORG, {"name": "Acme Trading Ltd", "tradingName": "Acme"},
                                  auth=gz).json, auth=gz)
        person_ = customer(s, person(s, "广州市某", "某", staff.RESIDENT_ID, auth=gz), auth=gz)

        def found(q, auth=gz):
            return [(h["id"], h.get("matchedName")) for h in hits(s, q, auth=auth)]

        h = hits(s, "广州市某某科技有限公司", auth=gz)
        assert [x["id"] for x in h] == [firm["id"]], h
        assert h[0]["matchedBy"] == "name" and h[0]["exactMatch"] is True, h
        assert h[0]["matchedName"] == "广州市某某科技有限公司", h
        assert h[0]["engagedParty"]["@referredType"] == "Organization", h
        assert found("科技有限公司") == [(firm["id"], "广州市某某科技有限公司")]
        # its own name: no matchedName; found once when both names match
        assert found("某某科技") == [(firm["id"], None)]
        # the start of the registered name before a part of a customer's own name
        assert found("广州市某") == [(person_["id"], None), (firm["id"], "广州市某某科技有限公司")]
        assert found("acme trading") == [(acme["id"], "Acme Trading Ltd")]
        assert found("TRADING") == [(acme["id"], "Acme Trading Ltd")]
        # an individual's registered name is its full name, already the customer's
        assert found("某某科技有限公司", auth=bj) == [] and found("Acme Trading", auth=bj) == []
        # a new registered name is found at once, the old one no more
        r = s.patch(org.json["href"], {"name": "广州市新名字有限公司"}, auth=gz)
        assert r.status == 200, r
        assert found("新名字") == [(firm["id"], "广州市新名字有限公司")]
        assert found("某某科技有限公司") == []


def test_hits_tell_namesakes_apart():
    """Each hit names its org unit, its party's kind and a phone number: the one matched,
    else the customer's own mobile, else its party's, preferred first, else a fixed line;
    masked for callers without pii.read."""
    with Server() as s:
        staff.make_units(s)
        gz = staff.make_staff(s, "gz.am", "GD-GZ", "account_manager")
        gz_clerk = staff.make_staff(s, "gz.clerk", "GD-GZ", "clerk")
        gd = staff.make_staff(s, "gd.am", "GD", "account_manager")
        # three 王芳: with the party's mobiles (one preferred), with its own, with none
        a = customer(s, person(s, "王", "芳", staff.RESIDENT_ID, auth=gz, contactMedium=[
            mobile("13800000001"), dict(mobile("13800000002"), preferred=True)]), auth=gz)
        b = customer(s, person(s, "王", "芳", staff.RESIDENT_ID_2, ["13900000009"], auth=gd),
                     auth=gd, contactMedium=[{"mediumType": "phone", "characteristic":
                                              {"phoneNumber": "020-87654321"}},
                                             mobile("13900000003")])
        c = customer(s, person(s, "王", "芳", staff.RESIDENT_ID_3, auth=gd), auth=gd,
                     orgId="GD-GZ")
        firm = customer(s, s.post(ORG, {"tradingName": "王芳商行", "contactMedium": [
            {"mediumType": "phone", "characteristic": {"phoneNumber": "020-81234567"}}]},
            auth=gz).json, auth=gz)
        by_id = {h["id"]: h for h in hits(s, "王芳", auth=gd)}
        assert set(by_id) == {a["id"], b["id"], c["id"], firm["id"]}, by_id
        assert by_id[a["id"]]["orgName"] == "广州市" and by_id[b["id"]]["orgName"] == "广东省"
        assert by_id[a["id"]]["phone"] == "13800000002", by_id[a["id"]]
        assert by_id[b["id"]]["phone"] == "13900000003", by_id[b["id"]]
        assert "phone" not in by_id[c["id"]], by_id[c["id"]]
        assert by_id[firm["id"]]["phone"] == "020-81234567", by_id[firm["id"]]
        assert by_id[firm["id"]]["engagedParty"]["@referredType"] == "Organization"
        assert by_id[a["id"]]["engagedParty"]["@referredType"] == "Individual"
        # the number matched is the one shown
        h = hits(s, "13800000001", auth=gd)
        assert h[0]["phone"] == h[0]["phoneNumber"] == "13800000001", h
        # a clerk sees them masked, across the province; a city's account manager does not
        # read a province's customer
        by_id = {h["id"]: h for h in hits(s, "王芳", auth=gz_clerk)}
        assert by_id[a["id"]]["phone"] == "138****0002", by_id[a["id"]]
        assert by_id[c["id"]]["orgName"] == "广州市" and "phone" not in by_id[c["id"]]
        assert by_id[b["id"]]["phone"] == "139****0003", by_id[b["id"]]
        assert b["id"] not in {h["id"] for h in hits(s, "王芳", auth=gz)}


def test_bad_queries():
    with Server() as s:
        cases = [({"q": ""}, "'q' is required"), ({"q": "   "}, "'q' is required"),
                 ({"q": "a" * 101}, "at most 100 bytes"),
                 ({"q": "a\x01b"}, "control character"),
                 ({"q": "abc", "limit": "0"}, "'limit'"),
                 ({"q": "abc", "limit": "101"}, "'limit'"),
                 ({"q": "abc", "limit": "x"}, "'limit'"),
                 ({"q": "abc", "offset": "1"}, "unknown search parameter 'offset'")]
        for params, message in cases:
            r = s.get("/api/v1/search?" + urllib.parse.urlencode(params))
            assert_error(r, 400, message)
        assert_error(s.get("/api/v1/search"), 400, "'q' is required")
        assert_error(s.get("/api/v1/search?q=%FF%FE"), 400, "UTF-8")
        # FTS5 syntax in a name is only text
        for q in ('"', 'a"b', "NEAR(a b)", "a OR b", "*", "张 AND", "^abc"):
            assert hits(s, q) == [], q


harness.main(globals())
