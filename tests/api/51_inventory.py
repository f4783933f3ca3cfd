"""What customers have: billing accounts (TMF666), products on their lines (TMF637) and the
number pool. A mobile line takes its number from the pool and gives it back to quarantine;
an identification holds at most five mobile lines; an enterprise's account pays for its
members' lines; a line keeps the offering version and prices it was bought at; scope,
masking, and refusals that change nothing, in English and Chinese."""

import datetime
import time

import harness
import staff
from harness import Server, assert_error

CAT = "/tmf-api/productCatalogManagement/v4/"
ACC = "/tmf-api/accountManagement/v4/billingAccount"
PACC = "/tmf-api/accountManagement/v4/partyAccount"
PROD = "/tmf-api/productInventory/v4/product"
NUM = "/api/v1/numbers"
CUST = "/tmf-api/customerManagement/v4/customer"


def made(s, path, body, auth="admin"):
    r = s.post(path, body, auth=auth)
    assert r.status == 201, r
    return r.json


def offering(s, fee=58, name="4G 畅享 58 元套餐"):
    """An offering on sale at a monthly fee and a one-off SIM charge."""
    monthly = made(s, CAT + "productOfferingPrice", {
        "name": "月费", "priceType": "recurring", "recurringChargePeriodType": "month",
        "price": {"unit": "CNY", "value": fee}, "lifecycleStatus": "active"})
    sim = made(s, CAT + "productOfferingPrice", {
        "name": "SIM 卡费", "priceType": "oneTime", "price": {"unit": "CNY", "value": 10},
        "lifecycleStatus": "active"})
    return made(s, CAT + "productOffering", {
        "name": name, "lifecycleStatus": "active",
        "productOfferingPrice": [{"id": monthly["id"]}, {"id": sim["id"]}]})


def person(s, rid=staff.RESIDENT_ID, org="GD-GZ", auth="admin"):
    p = made(s, "/tmf-api/party/v4/individual", {
        "givenName": "伟", "familyName": "张", "orgId": org,
        "individualIdentification": [{"identificationType": "residentId",
                                      "identificationId": rid}]}, auth=auth)
    return made(s, CUST, {"engagedParty": {"id": p["id"], "@referredType": "Individual"},
                          "status": "active", "orgId": org}, auth=auth)


def enterprise(s, org="GD-GZ"):
    p = made(s, "/tmf-api/party/v4/organization", {
        "tradingName": "广州云帆科技有限公司", "orgId": org,
        "organizationIdentification": [{"identificationType": "unifiedSocialCreditCode",
                                        "identificationId": staff.USCC}]})
    return made(s, CUST, {"engagedParty": {"id": p["id"], "@referredType": "Organization"},
                          "status": "active", "orgId": org})


def customer_ref(c):
    return [{"id": c["id"], "role": "customer", "@referredType": "Customer"}]


def account(s, c, **kw):
    body = {"name": c["name"] + " 的账户", "relatedParty": customer_ref(c),
            "ratingType": "postpaid", "paymentMethodType": "wechatPay",
            "creditLimit": {"unit": "CNY", "value": 200},
            "billStructure": {"cycleSpecification": {"name": "月结", "frequency": "monthly",
                                                     "billingDateShift": 1,
                                                     "paymentDueDateOffset": 20}}}
    body.update(kw)
    return made(s, ACC, body)


def number(s, msisdn, org="GD-GZ", **kw):
    body = {"id": msisdn, "orgId": org}
    body.update(kw)
    return made(s, NUM, body)


ICCID = "8986011234567890123"


def line(c, o, acc, msisdn, iccid=ICCID, **kw):
    body = {"productType": "mobile", "status": "active", "msisdn": msisdn, "iccid": iccid,
            "imsi": "460011234567890", "productOffering": {"id": o["id"]},
            "billingAccount": {"id": acc["id"]}, "relatedParty": customer_ref(c)}
    body.update(kw)
    return body


def test_mobile_line_takes_its_number_and_keeps_its_prices():
    with Server() as s:
        staff.make_units(s)
        o = offering(s)
        c = person(s)
        acc = account(s, c)
        assert acc["state"] == "active" and acc["orgId"] == "GD-GZ", acc
        assert acc["relatedParty"][0]["name"] == c["name"], acc
        number(s, "13800138000")
        p = made(s, PROD, line(c, o, acc, "13800138000"))
        assert p["name"] == "4G 畅享 58 元套餐" and p["status"] == "active", p
        assert p["startDate"] and p["orderDate"] and p["orgId"] == "GD-GZ", p
        assert p["productOffering"]["version"] == o["version"], p
        assert p["billingAccount"]["name"] == acc["name"], p
        assert p["billingAccount"]["href"] == ACC + "/" + acc["id"], p
        kinds = sorted((x["priceType"], x["price"]["taxIncludedAmount"]["value"])
                       for x in p["productPrice"])
        assert kinds == [("oneTime", 10), ("recurring", 58)], p
        n = s.get(NUM + "/13800138000").json
        assert n["status"] == "inUse" and n["productId"] == p["id"], n
        assert n["customerId"] == c["id"], n
        # found by its number, by its customer, by its account
        for q in ("msisdn=13800138000", "relatedParty.id=" + c["id"],
                  "billingAccount.id=" + acc["id"]):
            r = s.get(PROD + "?" + q)
            assert [x["id"] for x in r.json] == [p["id"]], (q, r)
        # the offering changes: the line keeps the version and prices it bought
        r = s.patch(CAT + "productOffering/" + o["id"], {"description": "新版说明"})
        assert r.status == 200 and r.json["version"] == o["version"] + 1, r
        r = s.patch(PROD + "/" + p["id"], {"description": "主卡"})
        assert r.status == 200, r
        assert r.json["productOffering"]["version"] == o["version"], r
        assert r.json["productPrice"] == p["productPrice"], r
        # the same number again is in use
        c2 = person(s, rid=staff.RESIDENT_ID_2)
        acc2 = account(s, c2)
        r = s.post(PROD, line(c2, o, acc2, "13800138000"))
        body = assert_error(r, 409, "number '13800138000' is in use")
        assert body["field"] == "msisdn", body


def test_termination_puts_the_number_in_quarantine():
    with Server(args=["--quarantine-days", "30"]) as s:
        staff.make_units(s)
        o = offering(s)
        c = person(s)
        acc = account(s, c)
        number(s, "13800138001")
        p = made(s, PROD, line(c, o, acc, "13800138001"))
        r = s.patch(PROD + "/" + p["id"], {"status": "terminated"})
        assert r.status == 200 and r.json["terminationDate"], r
        n = s.get(NUM + "/13800138001").json
        assert n["status"] == "quarantined" and "productId" not in n, n
        until = datetime.datetime.fromisoformat(
            n["quarantineUntil"].replace("Z", "+00:00")).timestamp()
        assert abs(until - time.time() - 30 * 86400) < 120, n
        # terminated is final; the number is not taken again while it rests
        r = s.patch(PROD + "/" + p["id"], {"status": "active"})
        assert_error(r, 409, "is terminated and no longer changes")
        r = s.post(PROD, line(c, o, acc, "13800138001"))
        assert_error(r, 409, "rests in quarantine until")
        # a clerk may not release it early; the number manager may
        clerk = staff.make_staff(s, "inv.clerk", "GD-GZ", "clerk")
        r = s.patch(NUM + "/13800138001", {"status": "free"}, auth=clerk)
        assert_error(r, 403, "number.manage")
        r = s.patch(NUM + "/13800138001", {"status": "free"})
        assert r.status == 200 and r.json["status"] == "free", r
        assert "quarantineUntil" not in r.json and "customerId" not in r.json, r


def test_five_lines_per_identification():
    with Server() as s:
        staff.make_units(s)
        o = offering(s)
        c = person(s)
        acc = account(s, c)
        ids = []
        for i in range(6):
            number(s, "1390000000%d" % i)
        for i in range(5):
            ids.append(made(s, PROD, line(c, o, acc, "1390000000%d" % i,
                                          iccid="89860100000000000%02d" % i))["id"])
        r = s.post(PROD, line(c, o, acc, "13900000005", iccid="8986010000000000005"))
        assert_error(r, 409, "already holds 5 mobile lines")
        assert s.get(NUM + "/13900000005").json["status"] == "free"
        # one ends: the sixth number may be taken
        assert s.patch(PROD + "/" + ids[0], {"status": "terminated"}).status == 200
        r = s.post(PROD, line(c, o, acc, "13900000005", iccid="8986010000000000005"))
        assert r.status == 201, r
        # a transfer to a holder of five is refused too
        c2 = person(s, rid=staff.RESIDENT_ID_2)
        acc2 = account(s, c2)
        number(s, "13900000009")
        other = made(s, PROD, line(c2, o, acc2, "13900000009", iccid="8986010000000000009"))
        r = s.patch(PROD + "/" + other["id"], {"relatedParty": customer_ref(c),
                                              "billingAccount": {"id": acc["id"]}})
        assert_error(r, 409, "already holds 5 mobile lines")
        # an enterprise's lines are not counted against a person
        e = enterprise(s)
        eacc = account(s, e)
        for i in range(6):
            number(s, "1370000000%d" % i)
            made(s, PROD, line(e, o, eacc, "1370000000%d" % i,
                               iccid="89860200000000000%02d" % i))


def test_number_pool_reservations_and_premium_numbers():
    with Server() as s:
        staff.make_units(s)
        clerk = staff.make_staff(s, "pool.clerk", "GD-GZ", "clerk")
        o = offering(s, fee=58)
        rich = offering(s, fee=288, name="5G 尊享 288 元套餐")
        c = person(s)
        c2 = person(s, rid=staff.RESIDENT_ID_2)
        acc, acc2 = account(s, c), account(s, c2)
        # stocking the pool is the number manager's
        r = s.post(NUM, {"id": "13600000000", "orgId": "GD-GZ"}, auth=clerk)
        assert_error(r, 403, "number.manage")
        n = number(s, "13688888888", premiumLevel=4,
                   minMonthlySpend={"unit": "CNY", "value": 188})
        assert n["status"] == "free" and n["premiumLevel"] == 4, n
        number(s, "13600000001")
        r = s.get(NUM + "?ending=8888")
        assert [x["id"] for x in r.json] == ["13688888888"], r
        # a clerk reserves a number for a customer; it is not another's to take
        r = s.patch(NUM + "/13600000001", {"status": "reserved", "customerId": c["id"]},
                    auth=clerk)
        assert r.status == 200 and r.json["reservedUntil"], r
        r = s.post(PROD, line(c2, o, acc2, "13600000001"))
        assert_error(r, 409, "reserved for another customer")
        p = made(s, PROD, line(c, o, acc, "13600000001"))
        assert s.get(NUM + "/13600000001").json["status"] == "inUse"
        # a premium number needs its minimum spend
        r = s.post(PROD, line(c2, o, acc2, "13688888888", iccid="8986019999999999999"))
        assert_error(r, 409, "needs a plan of at least 188.00 a month, not 58.00")
        made(s, PROD, line(c2, rich, acc2, "13688888888", iccid="8986019999999999999"))
        # a number not in the pool; a number in use leaves neither state nor pool
        r = s.post(PROD, line(c2, o, acc2, "13512345678", iccid="8986018888888888888"))
        assert_error(r, 400, "is not in the pool")
        r = s.patch(NUM + "/13600000001", {"status": "free"})
        assert_error(r, 409, "cannot change from 'inUse' to 'free'")
        r = s.delete(NUM + "/13600000001")
        assert_error(r, 409, "only a free number leaves the pool")
        assert p["id"]


def test_enterprise_account_pays_for_members_lines():
    with Server() as s:
        staff.make_units(s)
        o = offering(s)
        e = enterprise(s)
        eacc = account(s, e, name="云帆科技集团账户")
        member = person(s)
        macc = account(s, member, accountRelationship=[
            {"relationshipType": "parent", "account": {"id": eacc["id"]}}])
        assert macc["accountRelationship"][0]["account"]["name"] == "云帆科技集团账户", macc
        r = s.get(ACC + "?parentId=" + eacc["id"])
        assert [x["id"] for x in r.json] == [macc["id"]], r
        number(s, "13800000010")
        p = made(s, PROD, line(member, o, eacc, "13800000010"))
        assert p["billingAccount"]["id"] == eacc["id"], p
        # a stranger's account pays for nobody else
        stranger = person(s, rid=staff.RESIDENT_ID_2)
        number(s, "13800000011")
        r = s.post(PROD, line(stranger, o, eacc, "13800000011"))
        assert_error(r, 400, "is neither customer")
        # no loops; an account keeps its customer; one that bills lines is not closed
        r = s.patch(ACC + "/" + eacc["id"], {"accountRelationship": [
            {"relationshipType": "parent", "account": {"id": macc["id"]}}]})
        assert_error(r, 400, "cannot pay for an account that pays for it")
        r = s.patch(ACC + "/" + macc["id"], {"relatedParty": customer_ref(stranger)})
        assert_error(r, 409, "an account keeps its customer")
        r = s.patch(ACC + "/" + eacc["id"], {"state": "closed"})
        assert_error(r, 409, "still bills 1 products")
        r = s.patch(ACC + "/" + macc["id"], {"state": "closed"})
        assert r.status == 200, r
        r = s.patch(ACC + "/" + macc["id"], {"name": "x"})
        assert_error(r, 409, "is closed and no longer changes")
        # a party account is the same record without bills
        pa = made(s, PACC, {"name": "会员账户", "relatedParty": customer_ref(member)})
        assert pa["@type"] == "PartyAccount", pa
        assert s.get(ACC + "/" + pa["id"]).status == 404


def test_lines_and_what_sits_on_them():
    with Server() as s:
        staff.make_units(s)
        o = offering(s)
        c = person(s)
        acc = account(s, c)
        number(s, "13800000020")
        p = made(s, PROD, line(c, o, acc, "13800000020"))
        pack = offering(s, fee=10, name="10 元 1GB 流量包")
        r = s.post(PROD, {"productType": "dataPack", "productOffering": {"id": pack["id"]},
                          "relatedParty": customer_ref(c), "status": "active"})
        assert_error(r, 400, "'parentId' is required")
        d = made(s, PROD, {"productType": "dataPack", "productOffering": {"id": pack["id"]},
                           "relatedParty": customer_ref(c), "status": "active",
                           "parentId": p["id"]})
        assert d["billingAccount"]["id"] == acc["id"], d
        r = s.get(PROD + "?parentId=" + p["id"])
        assert [x["id"] for x in r.json] == [d["id"]], r
        r = s.patch(PROD + "/" + p["id"], {"status": "terminated"})
        assert_error(r, 409, "still carries 1 products")
        # broadband: account name, installation address
        r = s.post(PROD, {"productType": "broadband", "productOffering": {"id": o["id"]},
                          "billingAccount": {"id": acc["id"]},
                          "relatedParty": customer_ref(c)})
        assert_error(r, 400, "needs its 'productSerialNumber'")
        b = made(s, PROD, {"productType": "broadband", "productOffering": {"id": o["id"]},
                           "billingAccount": {"id": acc["id"]},
                           "productSerialNumber": "gz-zhang-wei",
                           "place": [{"role": "installationAddress",
                                      "name": "广州市天河区体育西路 1 号 1201"}],
                           "productCharacteristic": [{"name": "speed", "value": "1000M"}],
                           "relatedParty": customer_ref(c)})
        assert b["status"] == "created" and "startDate" not in b, b
        r = s.patch(PROD + "/" + b["id"], {"status": "active"})
        assert r.status == 200 and r.json["startDate"], r


def test_scope_masking_and_the_customer_moving():
    with Server() as s:
        staff.make_units(s)
        o = offering(s)
        c = person(s)
        acc = account(s, c)
        number(s, "13800000030")
        p = made(s, PROD, line(c, o, acc, "13800000030"))
        bj = staff.make_staff(s, "inv.bj", "BJ", "clerk")
        gd = staff.make_staff(s, "inv.gd", "GD", "clerk")
        assert s.get(PROD + "/" + p["id"], auth=bj).status == 404
        assert s.get(ACC + "/" + acc["id"], auth=bj).status == 404
        assert s.get(PROD + "?msisdn=13800000030", auth=bj).json == []
        r = s.get(PROD + "/" + p["id"], auth=gd)
        assert r.status == 200 and r.json["msisdn"] == "138****0030", r
        # a line for a customer out of the caller's sight names no such customer
        r = s.post(PROD, line(c, o, acc, "13800000030"), auth=bj)
        assert_error(r, 400, "' not found")
        # the customer moves to Beijing: its accounts and lines go with it
        r = s.patch(CUST + "/" + c["id"], {"orgId": "BJ-CY"})
        assert r.status == 200, r
        assert s.get(PROD + "/" + p["id"], auth=bj).json["orgId"] == "BJ-CY"
        assert s.get(ACC + "/" + acc["id"], auth=bj).status == 200
        assert s.get(PROD + "/" + p["id"], auth=gd).status == 404


def test_search_by_line_number_and_the_360():
    with Server() as s:
        staff.make_units(s)
        o = offering(s)
        pack = offering(s, fee=10, name="10 元 1GB 流量包")
        c = person(s)
        acc = account(s, c)
        number(s, "13800000050")
        p = made(s, PROD, line(c, o, acc, "13800000050"))
        made(s, PROD, {"productType": "dataPack", "productOffering": {"id": pack["id"]},
                       "relatedParty": customer_ref(c), "status": "active",
                       "parentId": p["id"]})
        # another customer gives the same number as a contact: the line's owner comes first
        other = s.post(CUST, {"engagedParty": {"id": c["engagedParty"]["id"],
                                               "@referredType": "Individual"},
                              "name": "联系人", "contactMedium": [
                                  {"mediumType": "mobile",
                                   "characteristic": {"phoneNumber": "13800000050"}}]})
        assert other.status == 201, other
        r = s.get("/api/v1/search?q=13800000050")
        assert r.status == 200, r
        assert [h["id"] for h in r.json] == [c["id"], other.json["id"]], r
        assert r.json[0]["matchedBy"] == "line" and r.json[0]["lineId"] == p["id"], r
        assert r.json[1]["matchedBy"] == "phoneNumber", r
        # beyond the caller's scope the line finds nothing
        bj = staff.make_staff(s, "inv.bj2", "BJ", "clerk")
        assert s.get("/api/v1/search?q=13800000050", auth=bj).json == []
        # the 360: lines first, each with its plan, add-ons and monthly fee; the accounts
        v = s.get("/api/v1/customers/" + c["id"] + "/360").json
        assert v["sections"][0]["name"] == "lines", v
        lines = v["sections"][0]["data"]
        assert [x["id"] for x in lines] == [p["id"]], lines
        assert lines[0]["monthlyFee"] == 58 and lines[0]["msisdn"] == "13800000050", lines
        assert [x["name"] for x in lines[0]["addOns"]] == ["10 元 1GB 流量包"], lines
        assert lines[0]["addOns"][0]["monthlyFee"] == 10, lines
        accounts = next(x["data"] for x in v["sections"] if x["name"] == "accounts")
        assert [x["id"] for x in accounts] == [acc["id"]], accounts
        gd = staff.make_staff(s, "inv.gd2", "GD", "clerk")
        v = s.get("/api/v1/customers/" + c["id"] + "/360", auth=gd).json
        assert v["sections"][0]["data"][0]["msisdn"] == "138****0050", v


def test_bad_input_changes_nothing():
    with Server() as s:
        staff.make_units(s)
        o = offering(s)
        c = person(s)
        acc = account(s, c)
        number(s, "13800000040")
        cases = [
            ({"msisdn": "2380000004"}, 400, "is not a mobile number"),
            ({"iccid": "12345"}, 400, "is not an ICCID"),
            ({"imsi": "46001"}, 400, "is not an IMSI"),
            ({"relatedParty": [{"id": c["id"], "role": "user"}]}, 400,
             "must name the customer"),
            ({"productOffering": {"id": "nope"}}, 400, "product offering 'nope' not found"),
            ({"billingAccount": None}, 400, "needs the 'billingAccount'"),
            ({"productType": "satellite"}, 400, "allowed values"),
            ({"status": "suspended"}, 400, "a new product is"),
            ({"msisdn": 13800000040}, 400, "must be a string"),
            ({"colour": "red"}, 400, "unknown field"),
        ]
        for change, status, message in cases:
            body = line(c, o, acc, "13800000040")
            body.update(change)
            if body.get("billingAccount") is None:
                del body["billingAccount"]
            assert_error(s.post(PROD, body), status, message)
        assert s.get(PROD).json == []
        assert s.get(NUM + "/13800000040").json["status"] == "free"
        r = s.post(ACC, {"name": "x", "relatedParty": customer_ref(c),
                         "billStructure": {"cycleSpecification": {"name": "m",
                                                                  "billingDateShift": 31}}})
        assert_error(r, 400, "the bill day must be from 1 to 28")
        r = s.post(NUM, {"id": "1380000004x", "orgId": "GD-GZ"})
        assert_error(r, 400, "is not a mobile number")
        zh = {"Accept-Language": "zh-CN"}
        r = s.post(PROD, line(c, o, acc, "13900000000"), headers=zh)
        body = assert_error(r, 400)
        assert body["message"] == "号码“13900000000”不在您所辖单位的号码池中", body
        r = s.post(PROD, {"productType": "mobile"}, headers=zh)
        assert_error(r, 400)


harness.main(globals())
