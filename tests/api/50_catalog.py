"""The product catalogue (TMF620, /tmf-api/productCatalogManagement/v4/): the lifecycle of
its records, checked references, prices that add up, bundles, categories as a tree, who may
change it, and refusals that change nothing, in English and Chinese. The TMF conventions
(paging, filters, ETags, events, …) are the conformance suite's (40_conformance)."""

import harness
import staff
from harness import Server, assert_error

BASE = "/tmf-api/productCatalogManagement/v4/"


def post(s, kind, body, **kw):
    return s.post(BASE + kind, body, **kw)


def made(s, kind, body):
    r = post(s, kind, body)
    assert r.status == 201, r
    return r.json


def monthly(s, value, name=None):
    return made(s, "productOfferingPrice", {
        "name": name or "月费 %s 元" % value, "priceType": "recurring",
        "recurringChargePeriodType": "month", "price": {"unit": "CNY", "value": value}})


def count(s, kind):
    r = s.get(BASE + kind + "?limit=1")
    assert r.status == 200, r
    return int(r.header("X-Total-Count"))


def test_offering_names_its_specification_and_prices():
    with Server() as s:
        spec = made(s, "productSpecification", {
            "name": "5G 畅享 128", "productNumber": "5G-128",
            "productSpecCharacteristic": [
                {"name": "dataVolume", "valueType": "number",
                 "productSpecCharacteristicValue": [{"value": 40, "unitOfMeasure": "GB",
                                                     "isDefault": True}]},
                {"name": "voiceMinutes", "valueType": "integer",
                 "productSpecCharacteristicValue": [{"value": 500, "unitOfMeasure": "min"}]}]})
        fee = monthly(s, 128)
        o = made(s, "productOffering", {
            "name": "5G 畅享 128 元套餐", "productSpecification": {"id": spec["id"]},
            "productOfferingPrice": [{"id": fee["id"]}],
            "channel": [{"id": "counter"}, {"id": "callCentre"}]})
        assert o["lifecycleStatus"] == "inDesign" and o["isSellable"] is True, o
        assert o["isBundle"] is False, o
        ref = o["productSpecification"]
        assert ref["name"] == "5G 畅享 128" and ref["@referredType"] == "ProductSpecification"
        assert ref["href"] == BASE + "productSpecification/" + spec["id"], ref
        assert o["productOfferingPrice"][0]["name"] == "月费 128 元", o
        # found by its specification
        r = s.get(BASE + "productOffering?productSpecification.id=" + spec["id"])
        assert [x["id"] for x in r.json] == [o["id"]], r
        # the price it names is not deleted while it does
        r = s.delete(BASE + "productOfferingPrice/" + fee["id"])
        assert_error(r, 409, "price '%s' is named by catalogue record '%s'" % (fee["id"], o["id"]))
        # an offering on sale names only what is on sale too
        r = s.patch(BASE + "productOffering/" + o["id"], {"lifecycleStatus": "active"})
        body = assert_error(r, 409, "is still in design: launch it first")
        assert body["field"] == "productSpecification", body
        for kind, rid in (("productSpecification", spec["id"]), ("productOfferingPrice", fee["id"])):
            r = s.patch(BASE + kind + "/" + rid, {"lifecycleStatus": "active"})
            assert r.status == 200, r
        # launched, then retired: a retired offering changes no more
        for status in ("active", "retired"):
            r = s.patch(BASE + "productOffering/" + o["id"], {"lifecycleStatus": status})
            assert r.status == 200 and r.json["lifecycleStatus"] == status, r
        r = s.patch(BASE + "productOffering/" + o["id"], {"name": "改名"})
        assert_error(r, 409, "product offering '%s' is retired and no longer changes" % o["id"])
        r = s.patch(BASE + "productOffering/" + o["id"], {"lifecycleStatus": "active"})
        assert_error(r, 409)
        r = s.delete(BASE + "productOffering/" + o["id"])
        assert_error(r, 409, "only a product offering in design is deleted")
        assert s.get(BASE + "productOffering/" + o["id"]).json["name"] == "5G 畅享 128 元套餐"
        # a retired price is not offered again
        r = s.patch(BASE + "productOfferingPrice/" + fee["id"], {"lifecycleStatus": "retired"})
        assert r.status == 200, r
        r = post(s, "productOffering", {"name": "x", "productOfferingPrice": [{"id": fee["id"]}]})
        body = assert_error(r, 409, "price '%s' is retired" % fee["id"])
        assert body["field"] == "productOfferingPrice[0]", body


def test_references_checked():
    with Server() as s:
        fee = monthly(s, 58)
        spec_as_price = {"name": "x", "productSpecification": {"id": fee["id"]}}
        cases = [
            ({"name": "x", "productOfferingPrice": [{"id": "nope"}]}, 400,
             "there is no price 'nope'"),
            (spec_as_price, 400, "there is no product specification '%s'" % fee["id"]),
            ({"name": "x", "productOfferingPrice": [{"name": "no id"}]}, 400,
             "'productOfferingPrice[0].id' is required"),
            ({"name": "x", "category": [{"id": "nope"}]}, 400, "there is no category 'nope'"),
            ({"name": "x", "channel": [{"id": "shop"}]}, 400, "'shop' is not a channel"),
            ({"name": "x", "isBundle": True, "bundledProductOffering": []}, 400,
             "a bundle holds at least two offerings"),
        ]
        for body, status, text in cases:
            assert_error(post(s, "productOffering", body), status, text)
        assert count(s, "productOffering") == 0


def test_bundle():
    with Server() as s:
        mobile = made(s, "productOffering", {"name": "5G 套餐"})
        broadband = made(s, "productOffering", {"name": "千兆宽带"})
        r = post(s, "productOffering", {"name": "单品", "bundledProductOffering": [
            {"id": mobile["id"]}, {"id": broadband["id"]}]})
        assert_error(r, 400, "only a bundle")
        b = made(s, "productOffering", {"name": "融合套餐 199", "isBundle": True,
                                        "bundledProductOffering": [{"id": mobile["id"]},
                                                                   {"id": broadband["id"]}]})
        assert [x["name"] for x in b["bundledProductOffering"]] == ["5G 套餐", "千兆宽带"], b
        r = s.patch(BASE + "productOffering/" + b["id"], {"bundledProductOffering": [
            {"id": b["id"]}, {"id": mobile["id"]}]})
        assert_error(r, 400, "a product offering cannot name itself")
        r = s.patch(BASE + "productOffering/" + b["id"], {"isBundle": False})
        assert_error(r, 400)
        # the members stay while the bundle names them; once it is gone they may go
        assert_error(s.delete(BASE + "productOffering/" + mobile["id"]), 409)
        assert s.delete(BASE + "productOffering/" + b["id"]).status == 204
        assert s.delete(BASE + "productOffering/" + mobile["id"]).status == 204


def test_prices():
    with Server() as s:
        tiers = [{"fromQuantity": 0, "toQuantity": 100, "price": {"unit": "CNY", "value": 0.15}},
                 {"fromQuantity": 100, "price": {"unit": "CNY", "value": 0.1}}]
        usage = made(s, "productOfferingPrice", {
            "name": "国内语音", "priceType": "usage", "unitOfMeasure": {"units": "min"},
            "price": {"unit": "CNY", "value": 0.15}, "tier": tiers})
        assert usage["unitOfMeasure"] == {"amount": 1, "units": "min"}, usage
        assert "percentage" not in usage and "recurringChargePeriodType" not in usage, usage
        fee = monthly(s, 128)
        assert fee["recurringChargePeriodLength"] == 1, fee
        off = made(s, "productOfferingPrice", {
            "name": "新入网半价", "priceType": "discount", "percentage": 50,
            "popRelationship": [{"id": fee["id"]}]})
        assert off["popRelationship"][0]["name"] == "月费 128 元", off
        one_off = made(s, "productOfferingPrice", {
            "name": "SIM 卡费", "priceType": "oneTime", "price": {"unit": "CNY", "value": 10}})
        assert one_off["lifecycleStatus"] == "inDesign", one_off
        money = {"unit": "CNY", "value": 5}
        cases = [
            ({"name": "x", "priceType": "oneTime", "price": {"unit": "CNY", "value": -1}}, 400,
             "'price.value' must not be negative"),
            ({"name": "x", "priceType": "oneTime"}, 400, "'price' is required"),
            ({"name": "x", "priceType": "oneTime", "price": {"value": 5}}, 400,
             "'price.unit' is required"),
            ({"name": "x", "priceType": "recurring", "price": money}, 400,
             "needs 'recurringChargePeriodType'"),
            ({"name": "x", "priceType": "recurring", "recurringChargePeriodType": "month",
              "recurringChargePeriodLength": 0.5, "price": money}, 400, "whole number"),
            ({"name": "x", "priceType": "recurring", "recurringChargePeriodType": "fortnight",
              "price": money}, 400, "allowed values"),
            ({"name": "x", "priceType": "oneTime", "recurringChargePeriodType": "month",
              "price": money}, 400, "only a recurring price has a charge period"),
            ({"name": "x", "priceType": "usage", "price": money}, 400,
             "needs 'unitOfMeasure.units'"),
            ({"name": "x", "priceType": "usage", "unitOfMeasure": {"units": "MB"},
              "price": money, "tier": [tiers[0], dict(tiers[1], fromQuantity=50)]}, 400,
             "tier 1 starts before tier 0 ends"),
            ({"name": "x", "priceType": "usage", "unitOfMeasure": {"units": "MB"},
              "price": money, "tier": [dict(tiers[0], toQuantity=0), tiers[1]]}, 400,
             "tier 1 starts before tier 0 ends"),
            ({"name": "x", "priceType": "usage", "unitOfMeasure": {"units": "MB"},
              "price": money, "tier": [{"fromQuantity": 5, "toQuantity": 1, "price": money}]},
             400, "tier 0 must end after it starts"),
            ({"name": "x", "priceType": "oneTime", "price": money, "tier": tiers}, 400,
             "only a usage price has tiers"),
            ({"name": "x", "priceType": "discount"}, 400, "needs 'percentage' or 'price'"),
            ({"name": "x", "priceType": "discount", "percentage": 120}, 400,
             "more than 0 and at most 100"),
            ({"name": "x", "priceType": "oneTime", "price": money, "percentage": 10}, 400,
             "only a discount"),
            ({"name": "x", "priceType": "discount", "percentage": 10,
              "popRelationship": [{"id": "nope"}]}, 400, "there is no price 'nope'"),
            ({"name": "x", "priceType": "rebate", "price": money}, 400, "allowed values"),
        ]
        for body, status, text in cases:
            assert_error(post(s, "productOfferingPrice", body), status, text)
        assert count(s, "productOfferingPrice") == 4
        # the price type never changes; the period follows the type
        r = s.patch(BASE + "productOfferingPrice/" + fee["id"], {"priceType": "oneTime"})
        assert_error(r, 400, "cannot change")
        r = s.patch(BASE + "productOfferingPrice/" + fee["id"],
                    {"price": {"value": 99}, "recurringChargePeriodLength": 12})
        assert r.status == 200 and r.json["price"] == {"unit": "CNY", "value": 99}, r
        assert r.json["recurringChargePeriodLength"] == 12, r


def test_specification_characteristics():
    with Server() as s:
        def spec(chars):
            return {"name": "x", "productSpecCharacteristic": chars}
        speed = {"name": "speed", "valueType": "integer",
                 "productSpecCharacteristicValue": [{"value": 1000, "unitOfMeasure": "Mbps"}]}
        cases = [
            (spec([speed, speed]), "characteristic 'speed' is named twice"),
            (spec([dict(speed, productSpecCharacteristicValue=[{"value": "fast"}])]),
             "value 0 of characteristic 'speed' is not of type 'integer'"),
            (spec([dict(speed, productSpecCharacteristicValue=[{"value": 1.5}])]),
             "is not of type 'integer'"),
            (spec([dict(speed, productSpecCharacteristicValue=[
                {"value": 100, "isDefault": True}, {"value": 300, "isDefault": True}])]),
             "more than one default value"),
            (spec([dict(speed, valueType="colour")]), "allowed values"),
            (spec([{"valueType": "string"}]), "'productSpecCharacteristic[0].name' is required"),
        ]
        for body, text in cases:
            assert_error(post(s, "productSpecification", body), 400, text)
        assert count(s, "productSpecification") == 0
        ok = made(s, "productSpecification", spec([speed, {"name": "iptv", "valueType": "boolean",
                                                          "configurable": True}]))
        assert ok["productSpecCharacteristic"][0]["productSpecCharacteristicValue"][0][
            "value"] == 1000, ok


def test_categories_are_a_tree():
    with Server() as s:
        root = made(s, "category", {"name": "移动业务"})
        assert root["isRoot"] is True, root
        plans = made(s, "category", {"name": "5G 套餐", "parentId": root["id"]})
        assert plans["isRoot"] is False and plans["parentId"] == root["id"], plans
        r = s.patch(BASE + "category/" + root["id"], {"parentId": plans["id"]})
        assert_error(r, 400, "cannot sit under itself")
        r = s.patch(BASE + "category/" + root["id"], {"parentId": root["id"]})
        assert_error(r, 400, "cannot sit under itself")
        assert_error(post(s, "category", {"name": "x", "parentId": "nope"}), 400,
                     "there is no category 'nope'")
        # a category with children, or named by a catalogue, stays
        assert_error(s.delete(BASE + "category/" + root["id"]), 409,
                     "category '%s' is named by catalogue record '%s'" % (root["id"], plans["id"]))
        # named by two: how many, and one of them
        old = made(s, "category", {"name": "4G 套餐", "parentId": root["id"]})
        assert_error(s.delete(BASE + "category/" + root["id"]), 409,
                     "is named by 2 other catalogue records")
        assert s.delete(BASE + "category/" + old["id"]).status == 204
        cat = made(s, "catalog", {"name": "广东公众市场", "catalogType": "retail",
                                  "category": [{"id": plans["id"]}]})
        assert cat["category"][0]["name"] == "5G 套餐", cat
        assert_error(s.delete(BASE + "category/" + plans["id"]), 409)
        assert s.delete(BASE + "catalog/" + cat["id"]).status == 204
        assert s.delete(BASE + "category/" + plans["id"]).status == 204
        assert s.delete(BASE + "category/" + root["id"]).status == 204


def test_who_may_change_it():
    """Every signed-in user reads the catalogue; catalog.manage changes it (the product
    manager's role has it, a counter clerk's has not)."""
    with Server() as s:
        staff.make_units(s)
        clerk = staff.make_staff(s, "cat.clerk", "GD", "clerk")
        pm = staff.make_staff(s, "cat.pm", "HQ", "product_manager")
        fee = monthly(s, 38)
        r = s.get(BASE + "productOfferingPrice/" + fee["id"], auth=clerk)
        assert r.status == 200 and r.json["name"] == "月费 38 元", r
        r = s.post(BASE + "productOfferingPrice", {"name": "x", "priceType": "oneTime",
                                                  "price": {"unit": "CNY", "value": 1}},
                   auth=clerk)
        assert_error(r, 403, "catalog.manage")
        r = s.patch(BASE + "productOfferingPrice/" + fee["id"], {"name": "y"}, auth=clerk)
        assert_error(r, 403)
        r = s.patch(BASE + "productOfferingPrice/" + fee["id"], {"name": "月费 38 元（新）"},
                    auth=pm)
        assert r.status == 200, r


def test_chinese_messages():
    with Server() as s:
        zh = {"Accept-Language": "zh-CN"}
        r = s.post(BASE + "productOfferingPrice", {"name": "x", "priceType": "discount",
                                                  "percentage": 150}, headers=zh)
        body = assert_error(r, 400)
        assert body["code"] == "catalog.percentage" and "不超过 100" in body["message"], body
        r = s.post(BASE + "productOffering", {"name": "x", "category": [{"id": "nope"}]},
                   headers=zh)
        body = assert_error(r, 400)
        assert body["message"] == "不存在类别“nope”", body


harness.main(globals())
