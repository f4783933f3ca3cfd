"""The customer 360° view (GET /api/v1/customers/{id}/360): its six sections and their
content, contacts from customer and party, the lifecycle's next statuses, masking without
pii.read in every section, sections left out by permission, scope, and the audit section
after changes."""

import harness
import staff
from harness import Server, assert_error

CUST = "/tmf-api/customerManagement/v4/customer"
IND = "/tmf-api/party/v4/individual"
ORG = "/tmf-api/party/v4/organization"
SECTIONS = ["lines", "profile", "party", "contacts", "flags", "churn", "accounts", "audit"]

MOBILE = {"mediumType": "mobile", "characteristic": {"phoneNumber": "13812345678"}}
EMAIL = {"mediumType": "email", "characteristic": {"emailAddress": "zhang.wei@example.com"}}


def view(s, cid, auth="admin"):
    return s.get(f"/api/v1/customers/{cid}/360", auth=auth)


def sections(body):
    return {sec["name"]: sec["data"] for sec in body["sections"]}


def new_person(s, auth="admin", **kw):
    body = {"givenName": "伟", "familyName": "张", "contactMedium": [EMAIL],
            "individualIdentification": [{"identificationType": "residentId",
                                          "identificationId": staff.RESIDENT_ID}]}
    body.update(kw)
    r = s.post(IND, body, auth=auth)
    assert r.status == 201, r
    return r.json


def new_customer(s, party, auth="admin", **kw):
    body = {"engagedParty": {"id": party["id"], "@referredType": party["@type"]},
            "contactMedium": [MOBILE]}
    body.update(kw)
    r = s.post(CUST, body, auth=auth)
    assert r.status == 201, r
    return r.json


def test_fresh_customer_all_sections():
    with Server() as s:
        p = new_person(s)
        c = new_customer(s, p, status="active")
        r = view(s, c["id"])
        assert r.status == 200, r
        b = r.json
        assert b["@type"] == "Customer360", b
        assert b["id"] == c["id"] and b["href"] == c["href"], b
        assert b["customerNo"] == c["customerNo"] and b["name"] == "张伟", b
        assert [sec["name"] for sec in b["sections"]] == SECTIONS, b
        assert b["omitted"] == [], b
        d = sections(b)
        assert d["profile"] == s.get(c["href"]).json, d["profile"]
        assert d["party"] == s.get(p["href"]).json and d["party"]["@type"] == "Individual"
        contacts = d["contacts"]
        assert [(m["source"], m["mediumType"]) for m in contacts] == [
            ("customer", "mobile"), ("party", "email")], contacts
        assert contacts[0]["characteristic"]["phoneNumber"] == "13812345678"
        assert contacts[1]["characteristic"]["emailAddress"] == "zhang.wei@example.com"
        f = d["flags"]
        assert f["status"] == "active" and f["nextStatuses"] == ["suspended", "inactive"], f
        assert f["blacklisted"] is False and f["bigCustomerPotential"] is False, f
        assert "blacklistReason" not in f, f
        assert d["churn"] is None
        # the customer's history and its party's, newest first
        assert [(a["action"], a["resource"], a["resourceId"]) for a in d["audit"]] == [
            ("create", "customer", c["id"]), ("create", "individual", p["id"])], d["audit"]
        # the view reads; it writes no audit row of its own
        assert len(sections(view(s, c["id"]).json)["audit"]) == 2


def test_flags_and_churn_follow_the_customer():
    with Server() as s:
        c = new_customer(s, new_person(s))
        f = sections(view(s, c["id"]).json)["flags"]
        assert f["status"] == "prospective" and f["nextStatuses"] == ["active", "inactive"]
        s.patch(c["href"], {"status": "active"})
        s.patch(c["href"], {"status": "suspended", "statusReason": "欠费"})
        f = sections(view(s, c["id"]).json)["flags"]
        assert f["nextStatuses"] == ["active", "inactive"] and f["statusReason"] == "欠费", f
        r = s.patch(c["href"], {"blacklisted": True, "blacklistReason": "欠费恶意停机",
                                "bigCustomerPotential": True})
        assert r.status == 200, r
        f = sections(view(s, c["id"]).json)["flags"]
        assert f["blacklisted"] is True and f["blacklistReason"] == "欠费恶意停机", f
        assert f["blacklistedBy"] == "admin" and f["blacklistedDate"] == \
            r.json["blacklistedDate"], f
        assert f["bigCustomerPotential"] is True, f
        churn = {"churnDate": "2026-11-20", "reason": "资费", "portedToOperator": "China Unicom"}
        assert s.patch(c["href"], {"status": "inactive", "churn": churn}).status == 200
        d = sections(view(s, c["id"]).json)
        assert d["flags"]["status"] == "inactive" and d["flags"]["nextStatuses"] == []
        assert d["churn"]["portedToOperator"] == "China Unicom", d["churn"]
        assert d["churn"]["churnDate"].startswith("2026-11-20") and d["churn"]["reason"] == "资费"


def test_organization_party():
    with Server() as s:
        o = s.post(ORG, {"tradingName": "某某科技", "organizationIdentification": [
            {"identificationType": "unifiedSocialCreditCode",
             "identificationId": staff.USCC}]}).json
        c = new_customer(s, o, contactMedium=[])
        d = sections(view(s, c["id"]).json)
        assert d["party"] == s.get(o["href"]).json, d["party"]
        assert d["party"]["@type"] == "Organization"
        assert d["contacts"] == [], d["contacts"]


def test_masking_and_omitted_sections():
    with Server() as s:
        staff.make_units(s)
        clerk = staff.make_staff(s, "gz.clerk", "GD-GZ", "clerk")
        am = staff.make_staff(s, "gz.am", "GD-GZ", "account_manager")
        mgr = staff.make_staff(s, "gz.mgr", "GD-GZ", "manager")
        p = new_person(s, auth=clerk)
        c = new_customer(s, p, auth=clerk)
        # a clerk (no pii.read, no audit.read): masked as GET shows it, audit left out
        b = view(s, c["id"], auth=clerk).json
        assert [sec["name"] for sec in b["sections"]] == SECTIONS[:-1], b
        assert b["omitted"] == ["audit"], b
        d = sections(b)
        assert d["profile"] == s.get(c["href"], auth=clerk).json
        assert d["profile"]["contactMedium"][0]["characteristic"]["phoneNumber"] == \
            "138****5678", d["profile"]
        assert d["party"] == s.get(p["href"], auth=clerk).json
        assert d["party"]["individualIdentification"][0]["identificationId"] == \
            "110105********002X", d["party"]
        assert d["party"]["contactMedium"][0]["characteristic"]["emailAddress"] == \
            "z***@example.com", d["party"]
        assert [m["characteristic"] for m in d["contacts"]] == [
            {"phoneNumber": "138****5678", "@type": "MediumCharacteristic"},
            {"emailAddress": "z***@example.com", "@type": "MediumCharacteristic"}], d
        # an account manager (pii.read) sees the values
        d = sections(view(s, c["id"], auth=am).json)
        assert d["contacts"][0]["characteristic"]["phoneNumber"] == "13812345678"
        assert d["party"]["individualIdentification"][0]["identificationId"] == \
            staff.RESIDENT_ID
        # a manager (audit.read, no pii.read) sees the audit section, masked
        b = view(s, c["id"], auth=mgr).json
        assert b["omitted"] == [] and [sec["name"] for sec in b["sections"]] == SECTIONS
        audit = sections(b)["audit"]
        assert audit[0]["after"]["contactMedium"][0]["characteristic"]["phoneNumber"] == \
            "138****5678", audit
        assert sections(b)["contacts"][0]["characteristic"]["phoneNumber"] == "138****5678"


def test_scope_and_unknown():
    with Server() as s:
        staff.make_units(s)
        gz = staff.make_staff(s, "gz.am", "GD-GZ", "account_manager")
        bj = staff.make_staff(s, "bj.am", "BJ-CY", "account_manager")
        gd = staff.make_staff(s, "gd.am", "GD", "account_manager")
        c = new_customer(s, new_person(s, auth=gz), auth=gz)
        assert view(s, c["id"], auth=gz).status == 200
        assert view(s, c["id"], auth=gd).status == 200
        assert_error(view(s, c["id"], auth=bj), 404, "not found")
        assert_error(view(s, "00000000-0000-0000-0000-000000000000"), 404, "not found")
        assert_error(view(s, "nope"), 404)
        assert_error(view(s, c["id"], auth=None), 401)
        assert s.delete(c["href"]).status == 204
        assert_error(view(s, c["id"]), 404)


def test_party_outside_scope():
    """A province's party can be the engaged party of a city's customer; the city's staff
    see the customer but not the party: the party section is null and the contacts are
    the customer's alone."""
    with Server() as s:
        staff.make_units(s)
        gd = staff.make_staff(s, "gd.am", "GD", "account_manager")
        gz = staff.make_staff(s, "gz.am", "GD-GZ", "account_manager")
        p = new_person(s, auth=gd)
        c = new_customer(s, p, auth=gd, orgId="GD-GZ")
        assert_error(s.get(p["href"], auth=gz), 404)
        r = view(s, c["id"], auth=gz)
        assert r.status == 200, r
        d = sections(r.json)
        assert d["party"] is None, d["party"]
        assert [m["source"] for m in d["contacts"]] == ["customer"], d["contacts"]
        assert d["profile"]["id"] == c["id"]
        d = sections(view(s, c["id"], auth=gd).json)
        assert d["party"]["id"] == p["id"]
        assert [m["source"] for m in d["contacts"]] == ["customer", "party"]


def test_audit_section_newest_first_and_capped():
    with Server() as s:
        c = new_customer(s, new_person(s))
        other = new_customer(s, new_person(s, individualIdentification=[]))
        r = s.patch(c["href"], {"segment": "vip"})
        assert r.status == 200, r
        audit = sections(view(s, c["id"]).json)["audit"]
        assert [(a["action"], a["resource"]) for a in audit] == [
            ("update", "customer"), ("create", "customer"), ("create", "individual")], audit
        assert audit[0]["after"]["segment"] == "vip" and "segment" not in audit[0]["before"]
        assert [a["resourceId"] for a in audit] == [c["id"], c["id"],
                                                    c["engagedParty"]["id"]], audit
        for i in range(25):
            assert s.patch(c["href"], {"segment": f"s{i}"}).status == 200
        audit = sections(view(s, c["id"]).json)["audit"]
        assert len(audit) == 20, len(audit)
        assert audit[0]["after"]["segment"] == "s24", audit[0]
        assert [a["seq"] for a in audit] == sorted((a["seq"] for a in audit), reverse=True)
        assert [(a["action"], a["resourceId"]) for a in
                sections(view(s, other["id"]).json)["audit"]] == \
            [("create", other["id"]), ("create", other["engagedParty"]["id"])]


def test_audit_section_has_the_party_changes():
    """The person's or organisation's changes are the customer's history too: a new
    mobile of the party shows in each of its customers' views, between the customer's
    own rows; another party's changes do not; a party outside the caller's scope is
    left out with its rows."""
    with Server() as s:
        staff.make_units(s)
        p = new_person(s)
        c = new_customer(s, p)
        c2 = new_customer(s, p, contactMedium=[])
        other = new_person(s, individualIdentification=[])
        assert s.patch(p["href"], {"contactMedium": [MOBILE]}).status == 200
        assert s.patch(other["href"], {"nationality": "CN"}).status == 200
        assert s.patch(c["href"], {"segment": "youth"}).status == 200
        audit = sections(view(s, c["id"]).json)["audit"]
        assert [(a["action"], a["resourceId"]) for a in audit] == [
            ("update", c["id"]), ("update", p["id"]), ("create", c["id"]),
            ("create", p["id"])], audit
        assert audit[1]["resource"] == "individual" and audit[1]["after"]["contactMedium"][0][
            "characteristic"]["phoneNumber"] == "13812345678", audit[1]
        assert ("update", p["id"]) in [(a["action"], a["resourceId"]) for a in
                                       sections(view(s, c2["id"]).json)["audit"]]
        # an organisation's rows by its own resource name
        o = s.post(ORG, {"tradingName": "某某科技"}).json
        oc = new_customer(s, o, contactMedium=[])
        assert s.patch(o["href"], {"name": "广州某某科技有限公司"}).status == 200
        audit = sections(view(s, oc["id"]).json)["audit"]
        assert [(a["action"], a["resource"]) for a in audit] == [
            ("update", "organization"), ("create", "customer"), ("create", "organization")]
        # a province's party seen from a city: the customer's rows only
        gd = staff.make_staff(s, "gd.mgr", "GD", "manager")
        gz = staff.make_staff(s, "gz.mgr", "GD-GZ", "manager")
        gp = new_person(s, auth="admin", orgId="GD", individualIdentification=[])
        gc = new_customer(s, gp, orgId="GD-GZ")
        assert [a["resource"] for a in sections(view(s, gc["id"], auth=gz).json)["audit"]] \
            == ["customer"]
        assert [a["resource"] for a in sections(view(s, gc["id"], auth=gd).json)["audit"]] \
            == ["customer", "individual"]


def test_fields_selection():
    with Server() as s:
        c = new_customer(s, new_person(s))
        b = s.get(f"/api/v1/customers/{c['id']}/360?fields=customerNo").json
        assert set(b) == {"id", "href", "@type", "customerNo"}, b


harness.main(globals())
