"""TMF632 parties (/tmf-api/party/v4/individual and /organization): create with
validated identifiers and contacts, list with filters/fields/paging, get, merge patch
with ETag/If-Match, delete (kept for audit), scope by org unit, masking, events."""

import json
import sqlite3
import urllib.parse

import harness
import staff
from harness import Listener, Server, assert_error

IND = "/tmf-api/party/v4/individual"
ORG = "/tmf-api/party/v4/organization"


def person(given="伟", family="张", **kw):
    body = {"givenName": given, "familyName": family}
    body.update(kw)
    return body


def full_person():
    return person(gender="male", birthDate="1949-12-31", nationality="CN",
                  individualIdentification=[{"identificationType": "residentId",
                                             "identificationId": staff.RESIDENT_ID.lower()}],
                  contactMedium=[
                      {"mediumType": "mobile", "preferred": True,
                       "characteristic": {"phoneNumber": "+86 138 1234 5678"}},
                      {"mediumType": "phone", "characteristic": {"phoneNumber": "(020) 8765 4321"}},
                      {"mediumType": "email",
                       "characteristic": {"emailAddress": "zhang.wei@Example.COM"}},
                      {"mediumType": "postalAddress",
                       "characteristic": {"street1": "体育西路103号", "district": "天河区",
                                          "city": "广州市", "stateOrProvince": "广东省",
                                          "postCode": "510620", "country": "CN"}}],
                  partyCharacteristic=[{"name": "preferredLanguage", "value": "zh-CN"}])


def test_create_individual_201_body_location_canonical_values():
    with Server() as s:
        r = s.post(IND, full_person())
        assert r.status == 201, r
        b = r.json
        assert b["@type"] == "Individual" and b["href"] == IND + "/" + b["id"], b
        assert r.header("Location") == b["href"] and r.header("ETag") == '"1"', r.headers
        assert b["fullName"] == "张伟" and b["givenName"] == "伟" and b["familyName"] == "张"
        assert b["status"] == "initialized" and b["orgId"] == "HQ" and b["version"] == 1
        assert b["birthDate"].startswith("1949-12-31T"), b
        assert b["individualIdentification"][0]["identificationId"] == staff.RESIDENT_ID
        cm = b["contactMedium"]
        assert cm[0]["characteristic"]["phoneNumber"] == "13812345678", cm
        assert cm[1]["characteristic"]["phoneNumber"] == "020-87654321", cm
        assert cm[2]["characteristic"]["emailAddress"] == "zhang.wei@example.com", cm
        assert cm[3]["characteristic"]["district"] == "天河区"
        assert b["partyCharacteristic"] == [{"name": "preferredLanguage", "value": "zh-CN",
                                             "@type": "Characteristic"}]
        g = s.get(b["href"])
        assert g.status == 200 and g.json == b and g.header("ETag") == '"1"', (g, b)


def test_create_organization():
    with Server() as s:
        r = s.post(ORG, {"tradingName": "某某科技", "name": "广州某某科技有限公司",
                         "organizationType": "company",
                         "organizationIdentification": [
                             {"identificationType": "unifiedSocialCreditCode",
                              "identificationId": staff.USCC.lower()}],
                         "contactMedium": [{"mediumType": "phone",
                                            "characteristic": {"phoneNumber": "010-62345678"}}]})
        assert r.status == 201, r
        b = r.json
        assert b["@type"] == "Organization" and b["href"] == ORG + "/" + b["id"], b
        assert b["organizationIdentification"][0]["identificationId"] == staff.USCC
        assert b["tradingName"] == "某某科技" and b["organizationType"] == "company"
        child = s.post(ORG, {"tradingName": "分公司", "organizationParentRelationship": {
            "relationshipType": "branch", "organization": {"id": b["id"]}}})
        assert child.status == 201, child
        rel = child.json["organizationParentRelationship"]
        assert rel["organization"]["id"] == b["id"] and rel["relationshipType"] == "branch"
        assert "organizationParentRelationship" not in b
        # organizations and individuals are separate collections
        assert_error(s.get(IND + "/" + b["id"]), 404)
        assert s.get(IND).header("X-Total-Count") == "0"
        assert s.get(ORG).header("X-Total-Count") == "2"
        assert_error(s.post(ORG, {"name": "no trading name"}), 400, "'tradingName' is required")
        assert_error(s.post(ORG, {"tradingName": "x", "organizationIdentification": [
            {"identificationType": "unifiedSocialCreditCode",
             "identificationId": staff.USCC[:-1] + "4"}]}), 400, "check character")
        assert_error(s.post(ORG, {"tradingName": "dup", "organizationIdentification": [
            {"identificationType": "unifiedSocialCreditCode", "identificationId": staff.USCC}]}),
            409, "social credit code")


def test_identification_forms():
    with Server() as s:
        staff.make_units(s)
        clerk = staff.make_staff(s, "gz.clerk", "GD-GZ", "clerk")
        # a first-generation 15-character number is stored in its 18-character form
        r = s.post(IND, person(individualIdentification=[
            {"identificationType": "residentId", "identificationId": "110105491231002"}]))
        assert r.status == 201, r
        assert r.json["individualIdentification"][0]["identificationId"] == staff.RESIDENT_ID
        # ... and then counts as the same person
        assert_error(s.post(IND, person(individualIdentification=[
            {"identificationType": "residentId", "identificationId": staff.RESIDENT_ID}])), 409)
        assert_error(s.post(IND, person(individualIdentification=[
            {"identificationType": "residentId", "identificationId": staff.RESIDENT_ID_2},
            {"identificationType": "residentId", "identificationId": staff.RESIDENT_ID_3}])),
            400, "one resident ID number")
        r = s.post(IND, person(orgId="GD-GZ", individualIdentification=[
            {"identificationType": "passport", "identificationId": "E12345678",
             "issuingAuthority": "中华人民共和国国家移民管理局", "issuingDate": "2020-01-02"}],
            contactMedium=[{"mediumType": "phone", "characteristic": {"phoneNumber": "13912345678"}}]))
        assert r.status == 201, r
        assert r.json["contactMedium"][0]["characteristic"]["phoneNumber"] == "13912345678"
        g = s.get(r.json["href"], auth=clerk)
        assert g.json["individualIdentification"][0]["identificationId"] == "E******78", g.json
        assert g.json["contactMedium"][0]["characteristic"]["phoneNumber"] == "139****5678"


def test_bad_input():
    with Server() as s:
        def contact(kind, **c):
            return person(contactMedium=[{"mediumType": kind, "characteristic": c}])

        def ident(kind, number):
            return person(individualIdentification=[{"identificationType": kind,
                                                      "identificationId": number}])
        cases = [
            (ident("residentId", "110105194912310023"), "check character should be 'X', not '3'"),
            (ident("residentId", "11010519491231002"), "18 characters, not 17"),
            (ident("residentId", "110105199002300028"), "is not a date"),
            (contact("mobile", phoneNumber="1381234567"), "11 digits, not 10"),
            (contact("mobile", phoneNumber="15412345678"), "segment 154"),
            (contact("phone", phoneNumber="010-6234567"), "has 8 digits, not 7"),
            (contact("email", emailAddress="zhang wei@example.com"), "has a space"),
            (contact("fax"), "fixed-line number starts with an area code"),
            (contact("postalAddress"), "postal address needs"),
            (contact("pigeon", phoneNumber="13812345678"), "allowed values"),
            (person(colour="red"), "unknown field 'colour'"),
            (person(givenName=5), "'givenName' must be a string"),
            (person(birthDate="yesterday"), "ISO-8601"),
            (person(gender="robot"), "allowed values"),
            (person(contactMedium={"mediumType": "email"}), "must be an array"),
            (person(id="x"), "unknown field 'id'"),
            (person(version=3), "unknown field 'version'"),
            (person(**{"@type": "Organization"}), "'@type' must be 'Individual'"),
            (person(orgId="NOPE"), "org unit 'NOPE' not found"),
            ({"givenName": "伟"}, "'familyName' is required"),
            ({"familyName": "张"}, "'givenName' is required"),
            (person(givenName=""), "'givenName' must not be empty"),
            (person(partyCharacteristic=[{"name": "x"}]), "'partyCharacteristic[0].value' is required"),
        ]
        for body, msg in cases:
            b = assert_error(s.post(IND, body), 400, msg)
            assert "field" in b, b
        assert s.get(IND).header("X-Total-Count") == "0"
        assert_error(s.post(IND, raw="{", headers={"Content-Type": "application/json"}), 400)
        assert_error(s.post(IND, raw="x", headers={"Content-Type": "text/plain"}), 415)
        # one live party per resident id number
        assert s.post(IND, full_person()).status == 201
        assert_error(s.post(IND, full_person()), 409, "identification number already exists")


def test_list_filters_fields_paging():
    with Server() as s:
        names = [("伟", "张"), ("娜", "李"), ("强", "王"), ("芳", "张")]
        ids = [s.post(IND, person(g, f)).json["id"] for g, f in names]
        r = s.get(IND)
        assert r.status == 200 and r.header("X-Total-Count") == "4", r.headers
        assert r.header("X-Result-Count") == "4"
        assert [p["id"] for p in r.json] == ids[::-1], "newest first"
        r = s.get(IND + "?familyName=" + urllib.parse.quote("张"))
        assert sorted(p["fullName"] for p in r.json) == ["张伟", "张芳"], r
        r = s.get(IND + "?fullName=" + urllib.parse.quote("李娜"))
        assert [p["id"] for p in r.json] == [ids[1]], r
        r = s.get(IND + "?id=" + ids[2])
        assert [p["id"] for p in r.json] == [ids[2]], r
        r = s.get(IND + "?offset=1&limit=2")
        assert r.header("X-Total-Count") == "4" and r.header("X-Result-Count") == "2"
        assert [p["id"] for p in r.json] == [ids[2], ids[1]], r
        r = s.get(IND + "?fields=givenName")
        assert all(set(p) == {"id", "href", "@type", "givenName"} for p in r.json), r.json
        assert_error(s.get(IND + "?colour=red"), 400, "unknown filter attribute 'colour'")
        assert_error(s.get(IND + "?limit=5000"), 400)


def test_patch_merge_etag_if_match_and_404():
    with Server() as s:
        b = s.post(IND, full_person()).json
        href = b["href"]
        r = s.patch(href, {"givenName": "小伟", "nationality": None},
                    headers={"Content-Type": "application/merge-patch+json", "If-Match": '"1"'})
        assert r.status == 200, r
        assert r.json["givenName"] == "小伟" and r.json["fullName"] == "张小伟", r.json
        assert "nationality" not in r.json and r.json["version"] == 2
        assert r.json["contactMedium"] == b["contactMedium"], "untouched members stay"
        assert r.header("ETag") == '"2"'
        assert_error(s.patch(href, {"givenName": "x"}, headers={"If-Match": '"1"'}), 412)
        assert s.get(href).json["givenName"] == "小伟"
        r = s.patch(href, {"status": "validated"}, headers={"If-Match": 'W/"2"'})
        assert r.status == 200 and r.json["status"] == "validated", r
        assert_error(s.patch(href, {"status": "alive"}), 400, "allowed values")
        assert_error(s.patch(href, {"givenName": None}), 400, "must not be null")
        assert_error(s.patch(href, {"id": "x"}), 400, "unknown field")
        assert_error(s.patch(href, {"contactMedium": [
            {"mediumType": "mobile", "characteristic": {"phoneNumber": "123"}}]}), 400)
        for path, body in ((IND + "/nope", {"givenName": "x"}),
                           (ORG + "/nope", {"tradingName": "x"})):
            assert_error(s.get(path), 404)
            assert_error(s.patch(path, body), 404)
            assert_error(s.delete(path), 404)


def test_delete_hides_but_keeps_for_audit():
    with Server() as s:
        b = s.post(IND, full_person()).json
        assert_error(s.delete(b["href"], headers={"If-Match": '"7"'}), 412)
        r = s.delete(b["href"])
        assert r.status == 204 and r.text == "", r
        assert_error(s.get(b["href"]), 404)
        assert_error(s.delete(b["href"]), 404)
        assert s.get(IND).header("X-Total-Count") == "0"
        # the id number is free again for a new party
        assert s.post(IND, full_person()).status == 201
        c = sqlite3.connect(s.db)
        row = c.execute("SELECT deleted_ms, full_name FROM party WHERE id = ?",
                        (b["id"],)).fetchone()
        actions = [a for (a,) in c.execute("SELECT action FROM audit_log WHERE resource ="
                                           " 'individual' AND resource_id = ? ORDER BY seq",
                                           (b["id"],))]
        c.close()
        assert row[0] > 0 and row[1] == "张伟", row
        assert actions == ["create", "delete"], actions
        a = s.get("/api/v1/audit?resource=individual&action=delete").json
        assert a[0]["resourceId"] == b["id"] and a[0]["before"]["fullName"] == "张伟", a


def test_scope_masking_and_echo():
    with Server() as s:
        staff.make_units(s)
        gz_clerk = staff.make_staff(s, "gz.clerk", "GD-GZ", "clerk")
        gz_am = staff.make_staff(s, "gz.am", "GD-GZ", "account_manager")
        bj_am = staff.make_staff(s, "bj.am", "BJ-CY", "account_manager")
        r = s.post(IND, full_person(), auth=gz_clerk)
        assert r.status == 201 and r.json["orgId"] == "GD-GZ", r
        # the clerk lacks pii.read: personal data comes back masked, even on create
        cm = r.json["contactMedium"]
        assert cm[0]["characteristic"]["phoneNumber"] == "138****5678", cm
        assert cm[2]["characteristic"]["emailAddress"] == "z***@example.com", cm
        assert cm[3]["characteristic"]["street1"].endswith("****"), cm
        assert r.json["individualIdentification"][0]["identificationId"] == \
            "110105********002X", r.json
        href = r.json["href"]
        clear = s.get(href, auth=gz_am).json
        assert clear["contactMedium"][0]["characteristic"]["phoneNumber"] == "13812345678"
        assert clear["individualIdentification"][0]["identificationId"] == staff.RESIDENT_ID
        # the masked body sent back changes nothing personal
        masked = s.get(href, auth=gz_clerk).json
        r = s.patch(href, {"contactMedium": masked["contactMedium"],
                           "individualIdentification": masked["individualIdentification"],
                           "givenName": "伟伟"}, auth=gz_clerk)
        assert r.status == 200, r
        after = s.get(href, auth=gz_am).json
        assert after["contactMedium"] == clear["contactMedium"], after
        assert after["individualIdentification"] == clear["individualIdentification"]
        assert after["givenName"] == "伟伟"
        bad = masked["contactMedium"]
        bad[0]["characteristic"]["phoneNumber"] = "139****0000"
        assert_error(s.patch(href, {"contactMedium": bad}, auth=gz_clerk), 400, "masked value")
        # Beijing does not see a Guangzhou party
        assert_error(s.get(href, auth=bj_am), 404)
        assert_error(s.patch(href, {"givenName": "x"}, auth=bj_am), 404)
        assert_error(s.delete(href, auth=bj_am), 404)
        assert s.get(IND, auth=bj_am).header("X-Total-Count") == "0"
        assert s.get(IND, auth=gz_am).header("X-Total-Count") == "1"
        # nor may it place a party in Guangdong
        assert_error(s.post(IND, person(orgId="GD-GZ"), auth=bj_am), 400,
                     "org unit 'GD-GZ' not found")
        assert s.post(IND, person("立", "刘", orgId="GD-GZ"), auth=staff.make_staff(
            s, "gd.am", "GD", "account_manager")).status == 201
        # an agent reads but does not write
        agent = staff.make_staff(s, "gz.agent", "GD-GZ", "agent")
        assert s.get(href, auth=agent).status == 200
        assert_error(s.post(IND, person(), auth=agent), 403)
        assert_error(s.delete(href, auth=agent), 403)


def test_idempotency_key():
    with Server() as s:
        h = {"Idempotency-Key": "ind-1"}
        r1 = s.post(IND, full_person(), headers=h)
        r2 = s.post(IND, full_person(), headers=h)
        assert r1.status == 201 and r2.status == 201 and r1.json == r2.json, (r1, r2)
        assert r2.header("Idempotent-Replayed") == "true"
        assert s.get(IND).header("X-Total-Count") == "1"


def test_events():
    lst = Listener()
    try:
        with Server() as s:
            r = s.post("/tmf-api/party/v4/hub", {"callback": lst.url})
            assert r.status == 201, r
            b = s.post(IND, person()).json
            s.patch(b["href"], {"givenName": "娜"})
            s.patch(b["href"], {"status": "validated"})
            s.delete(b["href"])
            o = s.post(ORG, {"tradingName": "某某"}).json
            s.patch(o["href"], {"tradingName": "某某某"})
            s.patch(o["href"], {"status": "closed"})
            s.delete(o["href"])
            events = lst.wait(8)
            types = [e["eventType"] for e in events]
            assert types == ["IndividualCreateEvent", "IndividualAttributeValueChangeEvent",
                             "IndividualStateChangeEvent", "IndividualDeleteEvent",
                             "OrganizationCreateEvent", "OrganizationAttributeValueChangeEvent",
                             "OrganizationStateChangeEvent", "OrganizationDeleteEvent"], types
            assert events[1]["event"]["individual"]["givenName"] == "娜"
            assert events[3]["event"]["individual"]["id"] == b["id"]
            assert events[5]["event"]["organization"]["tradingName"] == "某某某"
    finally:
        lst.close()


def check_types(obj, spec):
    for name, typ in spec.items():
        assert name in obj, f"mandatory '{name}' missing: {obj}"
        assert isinstance(obj[name], typ), f"'{name}' is {type(obj[name])}: {obj}"


def test_tmf_conformance_individual_and_organization():
    """In the manner of the TMF632 CTK: POST, list, get, fields=, filter by id and by
    name, PATCH, 404, with the mandatory attributes and their JSON types."""
    with Server() as s:
        for base, body, name_attr, required in (
                (IND, person(), "familyName", {"givenName": str, "familyName": str}),
                (ORG, {"tradingName": "某某"}, "tradingName", {"tradingName": str})):
            r = s.post(base, body)
            assert r.status == 201 and r.header("Location"), r
            check_types(r.json, dict(required, id=str, href=str, **{"@type": str}))
            rid = r.json["id"]
            lst = s.get(base)
            assert lst.status == 200 and isinstance(lst.json, list), lst
            for item in lst.json:
                check_types(item, dict(required, id=str, href=str))
            g = s.get(base + "/" + rid)
            assert g.status == 200 and g.json["id"] == rid
            f = s.get(base + "/" + rid + "?fields=" + name_attr)
            assert set(f.json) == {"id", "href", "@type", name_attr}, f.json
            assert [x["id"] for x in s.get(base + "?id=" + rid).json] == [rid]
            q = urllib.parse.quote(r.json[name_attr])
            assert [x["id"] for x in s.get(f"{base}?{name_attr}={q}").json] == [rid]
            p = s.patch(base + "/" + rid, {name_attr: "新"})
            assert p.status == 200 and p.json[name_attr] == "新", p
            check_types(p.json, dict(required, id=str, href=str))
            assert_error(s.get(base + "/00000000-0000-0000-0000-000000000000"), 404)


harness.main(globals())
