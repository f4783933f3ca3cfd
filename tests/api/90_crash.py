"""Durability: SIGKILL the server during a write load; after a restart every write that
was acknowledged with 2xx is there, and every acknowledged change's event is delivered."""

import os
import threading
import time

import harness
from harness import Listener, Server

BASE = "/api/v1/org-units"


def test_sigkill_during_writes_loses_no_acknowledged_write():
    lst = Listener()
    s = Server().start()
    try:
        assert s.post("/api/v1/hub", {"callback": lst.url}).status == 201
        acked = []
        lock = threading.Lock()
        stop = threading.Event()

        def writer(w):
            i = 0
            while not stop.is_set():
                code = f"W{w}X{i}"
                try:
                    r = s.request("POST", BASE, body={"id": code, "name": code,
                                                      "kind": "province", "parentId": "HQ"},
                                  new_conn=True)
                except OSError:
                    return
                if r.status == 201:
                    with lock:
                        acked.append(code)
                i += 1

        threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
        for t in threads:
            t.start()
        time.sleep(1.5)
        s.kill()
        stop.set()
        for t in threads:
            t.join()
        assert len(acked) > 20, f"too few writes acknowledged: {len(acked)}"

        s2 = Server(db=s.db, tmp=s.tmp).start()
        try:
            have = {u["id"] for u in s2.get(BASE + "?kind=province&limit=1000").json}
            total = int(s2.get(BASE + "?kind=province&limit=1").header("X-Total-Count"))
            page = 1000
            offset = 1000
            while offset < total:
                have |= {u["id"] for u in s2.get(f"{BASE}?kind=province&limit={page}&offset={offset}").json}
                offset += page
            missing = [c for c in acked if c not in have]
            assert not missing, f"{len(missing)} acknowledged writes lost: {missing[:10]}"
            # every acknowledged create is delivered (at least once) after the restart
            seen = set()
            deadline = time.time() + 60
            while not set(acked) <= seen and time.time() < deadline:
                for e in lst.wait(1, timeout=max(1, deadline - time.time())):
                    seen.add(e["event"]["orgUnit"]["id"])
            lost = set(acked) - seen
            assert not lost, f"{len(lost)} events never delivered: {sorted(lost)[:10]}"
        finally:
            assert s2.stop() == 0
    finally:
        lst.close()
        if s.proc:
            s.kill()


CUST = "/tmf-api/customerManagement/v4/customer"
IND = "/tmf-api/party/v4/individual"


def test_sigkill_during_customer_registrations_loses_nothing_acknowledged():
    """Customers written through the resource layer: each acknowledged registration (party,
    customer) is there after a SIGKILL, with what went with it in its transaction: the
    phone key search reads, the audit row and the event."""
    lst = Listener()
    s = Server(args=["--rate-limit", "0"]).start()
    try:
        assert s.post("/tmf-api/customerManagement/v4/hub",
                      {"callback": lst.url}).status == 201
        acked = {}  # customer id -> mobile
        lock = threading.Lock()
        stop = threading.Event()

        def writer(w):
            i = 0
            while not stop.is_set():
                mobile = f"139{w}{i:07d}"
                medium = [{"mediumType": "mobile", "characteristic": {"phoneNumber": mobile}}]
                try:
                    p = s.request("POST", IND, body={"givenName": f"{w}-{i}", "familyName": "测",
                                                     "contactMedium": medium}, new_conn=True)
                    if p.status != 201:
                        i += 1
                        continue
                    c = s.request("POST", CUST, body={
                        "engagedParty": {"id": p.json["id"], "@referredType": "Individual"},
                        "contactMedium": medium}, new_conn=True)
                except OSError:
                    return
                if c.status == 201:
                    with lock:
                        acked[c.json["id"]] = mobile
                i += 1

        threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
        for t in threads:
            t.start()
        time.sleep(2.0)
        s.kill()
        stop.set()
        for t in threads:
            t.join()
        assert len(acked) > 10, f"too few registrations acknowledged: {len(acked)}"

        s2 = Server(db=s.db, tmp=s.tmp, args=["--rate-limit", "0"]).start()
        try:
            audited = set()
            offset = 0
            while True:
                page = s2.get(f"/api/v1/audit?resource=customer&limit=1000&offset={offset}").json
                audited |= {a["resourceId"] for a in page if a["action"] == "create"}
                if len(page) < 1000:
                    break
                offset += 1000
            for cid, mobile in acked.items():
                r = s2.get(f"{CUST}/{cid}")
                assert r.status == 200, f"acknowledged customer {cid} lost: {r}"
                assert s2.get(IND + "/" + r.json["engagedParty"]["id"]).status == 200
                hits = s2.get("/api/v1/search?q=" + mobile).json
                assert cid in [h["id"] for h in hits], f"{cid}'s phone key lost"
                assert cid in audited, f"{cid} has no audit row"
            seen = set()
            deadline = time.time() + 60
            while not set(acked) <= seen and time.time() < deadline:
                for e in lst.wait(1, timeout=max(1, deadline - time.time())):
                    if e["eventType"] == "CustomerCreateEvent":
                        seen.add(e["event"]["customer"]["id"])
            lost = set(acked) - seen
            assert not lost, f"{len(lost)} events never delivered: {sorted(lost)[:10]}"
        finally:
            assert s2.stop() == 0
    finally:
        lst.close()
        if s.proc:
            s.kill()


harness.main(globals())
