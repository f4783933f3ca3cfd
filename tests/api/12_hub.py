"""Event hub listeners as their owner's: a listener belongs to the user who registered it
(no one else reads, lists or deletes it), receives the events of records that user may
read only, masked as that user would see them, and is refused for event types its API
never sends."""

import time

import harness
import staff
from harness import Listener, Server, assert_error

CUST = "/tmf-api/customerManagement/v4/customer"
IND = "/tmf-api/party/v4/individual"
HUB = "/tmf-api/customerManagement/v4/hub"


def integrator(s, login, org, pii=False):
    """A user at org whose role reads customers and manages listeners (and personal data
    when pii); returns its token."""
    role = "integrator_pii" if pii else "integrator"
    if s.get("/api/v1/roles/" + role).status == 404:
        perms = ["customer.read", "hub.manage"] + (["pii.read"] if pii else [])
        r = s.post("/api/v1/roles", {"id": role, "name": role, "permissions": perms})
        assert r.status == 201, r
    return staff.make_staff(s, login, org, role)


def customer_at(s, org, mobile, rid):
    p = s.post(IND, {"givenName": "伟", "familyName": "张", "orgId": org,
                     "individualIdentification": [{"identificationType": "residentId",
                                                   "identificationId": rid}],
                     "contactMedium": [{"mediumType": "mobile",
                                        "characteristic": {"phoneNumber": mobile}}]})
    assert p.status == 201, p
    c = s.post(CUST, {"engagedParty": {"id": p.json["id"], "@referredType": "Individual"},
                      "orgId": org,
                      "contactMedium": [{"mediumType": "mobile",
                                         "characteristic": {"phoneNumber": mobile}}]})
    assert c.status == 201, c
    return c.json


def test_a_listener_is_its_owners():
    lst = Listener()
    try:
        with Server() as s:
            staff.make_units(s)
            gz = integrator(s, "gz.int", "GD-GZ")
            bj = integrator(s, "bj.int", "BJ")
            r = s.post(HUB, {"callback": lst.url}, auth=gz)
            assert r.status == 201, r
            href = r.header("Location")
            assert href == HUB + "/" + r.json["id"], href
            assert s.get(href, auth=gz).status == 200
            assert_error(s.get(href, auth=bj), 404)
            assert_error(s.delete(href, auth=bj), 404)
            assert s.get(HUB, auth=bj).json == []
            assert [x["id"] for x in s.get(HUB, auth=gz).json] == [r.json["id"]]
            # nor does another API's hub path reach it
            assert_error(s.get("/tmf-api/party/v4/hub/" + r.json["id"], auth=gz), 404)
            assert s.delete(href, auth=bj).status == 404
            assert s.delete(href, auth=gz).status == 204
    finally:
        lst.close()


def test_unknown_event_types_are_refused():
    lst = Listener()
    try:
        with Server() as s:
            for q in ["eventType=CustomerCreateEvnt", "eventType=IndividualCreateEvent",
                      "eventType=CustomerCreateEvent,OrgUnitCreateEvent"]:
                assert_error(s.post(HUB, {"callback": lst.url, "query": q}), 400, "sends no")
            assert s.post(HUB, {"callback": lst.url, "query":
                                "eventType=CustomerCreateEvent,CustomerStateChangeEvent"}
                          ).status == 201
            assert_error(s.post("/tmf-api/productOrderingManagement/v4/hub",
                                {"callback": lst.url}), 404, "publishes")
    finally:
        lst.close()


def test_deliveries_carry_what_the_owner_may_see():
    gz_lst, hq_lst = Listener(), Listener()
    try:
        with Server() as s:
            staff.make_units(s)
            gz = integrator(s, "gz.int", "GD-GZ")
            hq = integrator(s, "hq.int", "HQ", pii=True)
            assert s.post(HUB, {"callback": gz_lst.url}, auth=gz).status == 201
            assert s.post(HUB, {"callback": hq_lst.url}, auth=hq).status == 201
            mine = customer_at(s, "GD-GZ", "13812345678", staff.RESIDENT_ID)
            customer_at(s, "BJ", "13912345679", staff.RESIDENT_ID_2)
            # the headquarters listener, with pii.read, gets both in clear
            hq_events = hq_lst.wait(2)
            assert {e["event"]["customer"]["orgId"] for e in hq_events} == {"GD-GZ", "BJ"}
            phones = {e["event"]["customer"]["contactMedium"][0]["characteristic"]
                      ["phoneNumber"] for e in hq_events}
            assert phones == {"13812345678", "13912345679"}, phones
            # the Guangzhou one, without pii.read, only its own customer, masked
            (e,) = gz_lst.wait(1)
            c = e["event"]["customer"]
            assert c["id"] == mine["id"], c
            phone = c["contactMedium"][0]["characteristic"]["phoneNumber"]
            assert phone != "13812345678" and "*" in phone, phone
            assert "13812345678" not in str(e)
            time.sleep(1)  # the sender has passed the Beijing event by now
            assert gz_lst.events.empty()
    finally:
        gz_lst.close()
        hq_lst.close()


def test_a_disabled_owners_listener_receives_nothing():
    lst = Listener()
    try:
        with Server() as s:
            staff.make_units(s)
            gz = integrator(s, "gz.int", "GD-GZ")
            assert s.post(HUB, {"callback": lst.url}, auth=gz).status == 201
            user = s.get("/api/v1/users?login=gz.int").json[0]
            assert s.patch("/api/v1/users/" + user["id"], {"status": "disabled"}).status == 200
            customer_at(s, "GD-GZ", "13812345678", staff.RESIDENT_ID)
            time.sleep(2)
            assert lst.events.empty(), "a disabled user's listener received an event"
    finally:
        lst.close()


harness.main(globals())
