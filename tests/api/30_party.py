"""TMF632 parties (/tmf-api/party/v4/individual and /organization): create with
validated identifiers and contacts, list with filters/fields/paging, get, merge patch
with ETag/If-Match, delete (kept for audit), scope by org unit, masking, events."""

import json
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


def ids(*pairs):
    return [{"identificationType": t, "identificationId": n} for t, n in pairs]


def id_number(s, party_id):
    return s.sql("SELECT id_number FROM party WHERE id = ?", (party_id,))[0][0]


def test_identification_types_canonical_forms():
    """Each document type of real-name registration is checked and stored canonically;
    nationalId is the TMF spelling of a resident ID and is stored as one."""
    cases = [
        ("nationalId", "11010519491231002x", "residentId", "11010519491231002X"),
        ("temporaryResidentId", "440106199003071231", "temporaryResidentId",
         "440106199003071231"),
        ("householdRegister", "110105491231002", "householdRegister", "11010519491231002X"),
        ("residencePermitHkMoTw", "82000019880512019x", "residencePermitHkMoTw",
         "82000019880512019X"),
        ("foreignPermanentResidentId", "911398199012310021", "foreignPermanentResidentId",
         "911398199012310021"),
        ("foreignPermanentResidentId", "kaz110090123105", "foreignPermanentResidentId",
         "KAZ110090123105"),
        ("passport", "ef1260892", "passport", "EF1260892"),
        ("passport", "C01X00T47", "passport", "C01X00T47"),
        ("mainlandTravelPermitHkMo", "h1234567801", "mainlandTravelPermitHkMo", "H1234567801"),
        ("mainlandTravelPermitTw", "0561682001（d）", "mainlandTravelPermitTw", "0561682001(D)"),
        ("mainlandTravelPermitTw", "12345678", "mainlandTravelPermitTw", "12345678"),
        ("militaryId", "南字第123456号", "militaryId", "南字第123456号"),
        # 20 Chinese characters, 60 bytes
        ("militaryId", "中国人民解放军南部战区司令部字第一二三号", "militaryId",
         "中国人民解放军南部战区司令部字第一二三号"),
        ("armedPoliceId", "武字第00001号", "armedPoliceId", "武字第00001号"),
        ("other", "学生证 2024-001", "other", "学生证 2024-001"),
    ]
    with Server() as s:
        for kind, given, stored_type, stored in cases:
            r = s.post(IND, person(individualIdentification=ids((kind, given))))
            assert r.status == 201, (kind, given, r)
            got = r.json["individualIdentification"][0]
            assert got["identificationType"] == stored_type, (kind, got)
            assert got["identificationId"] == stored, (kind, got)
            assert s.get(r.json["href"]).json["individualIdentification"][0] == got
            s.delete(r.json["href"])  # each number free again for the next case


def test_identification_types_unique_numbers():
    """The unique index holds the number that identifies the person nationally: the
    resident ID number under any of its documents and spellings, a residence permit's, a
    permanent resident ID's, a passport's; travel permits and military IDs are not in it."""
    with Server() as s:
        first = s.post(IND, person(individualIdentification=ids(
            ("residentId", staff.RESIDENT_ID))))
        assert first.status == 201, first
        # the same resident ID number under another document or spelling is the same person
        for kind, number in (("nationalId", staff.RESIDENT_ID.lower()),
                             ("householdRegister", "110105491231002"),
                             ("temporaryResidentId", staff.RESIDENT_ID)):
            b = assert_error(s.post(IND, person(individualIdentification=ids((kind, number)))),
                             409, "identification number is registered already")
            assert b["conflictsWith"] == first.json["href"], b
        r = s.post(IND, person(individualIdentification=ids(("nationalId", staff.RESIDENT_ID_2))))
        assert r.status == 201, r
        assert_error(s.post(IND, person(individualIdentification=ids(
            ("residentId", staff.RESIDENT_ID_2)))), 409)
        # a residence permit number, under its own type or given as a resident ID
        r = s.post(IND, person(individualIdentification=ids(
            ("residencePermitHkMoTw", "810000199408230021"))))
        assert r.status == 201 and id_number(s, r.json["id"]) == "810000199408230021", r
        assert_error(s.post(IND, person(individualIdentification=ids(
            ("residentId", "810000199408230021")))), 409)
        # permanent resident IDs, passports: one live person each (passports upper-cased)
        for kind, a, b in (("foreignPermanentResidentId", "KAZ110090123105",
                            "kaz110090123105"),
                           ("passport", "E12345678", "e12345678")):
            assert s.post(IND, person(individualIdentification=ids((kind, a)))).status == 201
            assert_error(s.post(IND, person(individualIdentification=ids((kind, b)))), 409)
        # not in the index: two people may show the same travel permit or military ID
        for kind, number in (("mainlandTravelPermitHkMo", "H12345678"),
                             ("mainlandTravelPermitTw", "12345678"),
                             ("militaryId", "南字第123456号"),
                             ("armedPoliceId", "武字第00001号")):
            for _ in range(2):
                r = s.post(IND, person(individualIdentification=ids((kind, number))))
                assert r.status == 201 and id_number(s, r.json["id"]) is None, (kind, r)
        # a resident ID wins over a passport given before it; a residence permit over a
        # passport; the first of two passports
        r = s.post(IND, person(individualIdentification=ids(
            ("passport", "G12345678"), ("householdRegister", staff.RESIDENT_ID_3))))
        assert r.status == 201 and id_number(s, r.json["id"]) == staff.RESIDENT_ID_3, r
        r = s.post(IND, person(individualIdentification=ids(
            ("passport", "K12345678"), ("residencePermitHkMoTw", "830000199201300022"))))
        assert r.status == 201 and id_number(s, r.json["id"]) == "830000199201300022", r
        r = s.post(IND, person(individualIdentification=ids(
            ("passport", "MA1234567"), ("passport", "123456789"))))
        assert r.status == 201 and id_number(s, r.json["id"]) == "MA1234567", r
        # the documents that show a resident ID number show one number
        r = s.post(IND, person(individualIdentification=ids(
            ("residentId", "440305199003071236"), ("householdRegister", "440305900307123"),
            ("temporaryResidentId", "440305199003071236"))))
        assert r.status == 201 and id_number(s, r.json["id"]) == "440305199003071236", r
        assert_error(s.post(IND, person(individualIdentification=ids(
            ("residentId", "110105200002290013"), ("householdRegister", "11010519000101001X")))),
            400, "one resident ID number")
        assert_error(s.post(IND, person(individualIdentification=ids(
            ("residentId", "110105200002290013"), ("nationalId", "110105200002290013")))),
            400, "one resident ID number")


def test_identification_types_bad_numbers():
    def ident(kind, number):
        return person(individualIdentification=ids((kind, number)))
    cases = [
        (ident("nationalId", "110105194912310023"), "check character should be 'X', not '3'"),
        (ident("householdRegister", "11010519491231002"), "18 characters, not 17"),
        (ident("temporaryResidentId", "990105194912310020"), "region code 99"),
        (ident("residencePermitHkMoTw", staff.RESIDENT_ID),
         "region code 110105 in the residence permit number is not 810000"),
        (ident("residencePermitHkMoTw", "810000199408230022"),
         "residence permit number check character should be '1', not '2'"),
        (ident("foreignPermanentResidentId", "911398199012310022"),
         "permanent resident ID number check character should be '1', not '2'"),
        (ident("foreignPermanentResidentId", "KAZ110090123107"),
         "check character should be '5', not '7'"),
        (ident("foreignPermanentResidentId", staff.RESIDENT_ID), "starts with 9, not 1"),
        (ident("passport", "E1234567"), "has 8 digits, not 7"),
        (ident("passport", "EI1234567"), "do not start with 'EI' or 'EO'"),
        (ident("passport", "AB-12345"), "only letters and digits, not '-'"),
        (ident("passport", "passport"), "at least one digit"),
        (ident("passport", "E12"), "5 to 20 characters, not 3"),
        (ident("mainlandTravelPermitHkMo", "C12345678"), "starts with H or M, not 'C'"),
        (ident("mainlandTravelPermitHkMo", "H1234567"), "9 or 11 characters, not 8"),
        (ident("mainlandTravelPermitTw", "123456789"), "8 or 10 digits, not 9"),
        (ident("mainlandTravelPermitTw", "05616820(D)"), "follows the 10 digits"),
        (ident("militaryId", "南字第1号"), "6 to 20 characters, not 5"),
        (ident("militaryId", "南字第12-456号"), "character 6 of the military ID number is '-'"),
        (ident("armedPoliceId", "      "), "character 1 of the armed police ID number"),
        (ident("other", ""), "'individualIdentification[0].identificationId' must not be empty"),
        (ident("nationalID", staff.RESIDENT_ID), "allowed values"),
    ]
    with Server() as s:
        for body, msg in cases:
            b = assert_error(s.post(IND, body), 400, msg)
            assert b.get("field", "").startswith("individualIdentification"), b
        assert s.get(IND).header("X-Total-Count") == "0"
        # an organization has no personal documents
        assert_error(s.post(ORG, {"tradingName": "x", "organizationIdentification": ids(
            ("passport", "E12345678"))}), 400, "allowed values")

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
            (contact("fax", faxNumber="62345678"), "fixed-line number starts with an area code"),
            (contact("mobile"), "'contactMedium[0].characteristic' is required"),
            (contact("postalAddress", postCode="510000"), "postal address needs"),
            (contact("pigeon", phoneNumber="13812345678"), "allowed values"),
            (person(colour="red"), "unknown field 'colour'"),
            (person(givenName=5), "'givenName' must be a string"),
            (person(birthDate="yesterday"), "ISO-8601"),
            (person(gender="robot"), "allowed values"),
            (person(contactMedium={"mediumType": "email"}), "must be an array"),
            (person(id="x"), "'id' is set by the server"),
            (person(version=3), "'version' is set by the server"),
            (person(**{"@type": "Organization"}), "'@type' must be 'Individual'"),
            (person(orgId="NOPE"), "org unit 'NOPE' not found"),
            ({"givenName": "伟"}, "'familyName' is required"),
            ({"familyName": "张"}, "'givenName' is required"),
            (person(givenName=""), "'givenName' must not be blank"),
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
        assert_error(s.post(IND, full_person()), 409, "identification number is registered")


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
        assert_error(s.patch(href, {"id": "x"}), 400, "set by the server")
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
        row = s.sql("SELECT deleted_ms, full_name FROM party WHERE id = ?", (b["id"],))[0]
        actions = [a for (a,) in s.sql("SELECT action FROM audit_log WHERE resource ="
                                       " 'individual' AND resource_id = ? ORDER BY seq",
                                       (b["id"],))]
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


harness.main(globals())
