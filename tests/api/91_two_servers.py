"""Several servers, one PostgreSQL database: two servers take writes at once, one is
SIGKILLed in the middle; every write either acknowledged is in the database, and every
acknowledged change's event reaches the listener — at least once, and for each record
in the order of its changes — though the listener's sender died with its server (the
other takes the listener up when the dead one's lease runs out)."""

import threading
import time

import harness
from harness import Listener, Server

BASE = "/api/v1/org-units"
LEASE_MS = "2000"


def test_two_servers_one_killed_lose_nothing_acknowledged():
    if not harness.PG:
        print("skip: several servers share a PostgreSQL database (run as api-pg/)")
        return
    lst = Listener()
    args = ["--event-lease-ms", LEASE_MS]
    # a looks for events seldom, so that b's sender takes the listener first
    a = Server(args=args + ["--event-poll-ms", "700"]).start()
    b = Server(db=a.db, args=args).start()

    def lease_owner():
        rows = a.sql("SELECT lease_owner FROM hub_listener")
        return rows[0][0] if rows else None
    try:
        # registered through b, whose sender takes the listener's lease first
        assert b.post("/api/v1/hub", {"callback": lst.url}).status == 201
        acked = []  # (unit id, "create" | "update"), in the order each was acknowledged
        lock = threading.Lock()
        stop = threading.Event()

        def writer(w, s):
            i = 0
            while not stop.is_set():
                code = f"S{w}N{i}"
                try:
                    r = s.request("POST", BASE, body={"id": code, "name": code,
                                                      "kind": "province", "parentId": "HQ"},
                                  new_conn=True)
                    if r.status != 201:
                        continue
                    with lock:
                        acked.append((code, "create"))
                    r = s.request("PATCH", f"{BASE}/{code}", body={"name": code + " renamed"},
                                  new_conn=True)
                    if r.status == 200:
                        with lock:
                            acked.append((code, "update"))
                except OSError:
                    return  # its server is gone
                i += 1

        threads = [threading.Thread(target=writer, args=(w, a if w % 2 else b))
                   for w in range(4)]
        for t in threads:
            t.start()
        time.sleep(2)
        assert f"/{b.proc.pid}/" in (lease_owner() or ""), lease_owner()
        b.kill()
        time.sleep(1)
        stop.set()
        for t in threads:
            t.join()
        creates = [c for c, what in acked if what == "create"]
        assert len(creates) > 20, f"too few writes acknowledged: {len(creates)}"
        assert any(c.startswith("S0") for c in creates) and any(c.startswith("S1")
                                                                for c in creates)

        # every acknowledged write is there, through the server that lives on
        have = {}
        offset = 0
        while True:
            page = a.get(f"{BASE}?kind=province&limit=1000&offset={offset}").json
            have.update({u["id"]: u["name"] for u in page})
            if len(page) < 1000:
                break
            offset += 1000
        missing = [c for c in creates if c not in have]
        assert not missing, f"{len(missing)} acknowledged creates lost: {missing[:10]}"
        renamed = [c for c, what in acked if what == "update"]
        wrong = [c for c in renamed if have[c] != c + " renamed"]
        assert not wrong, f"acknowledged updates lost: {wrong[:10]}"

        # every acknowledged change is delivered, each record's in the order made
        seen = {}  # unit id -> event types in arrival order
        deadline = time.time() + 60
        want = {(c, "OrgUnitCreateEvent") for c in creates} | \
            {(c, "OrgUnitAttributeValueChangeEvent") for c in renamed}
        got = set()
        while not want <= got and time.time() < deadline:
            for e in lst.wait(1, timeout=max(1, deadline - time.time())):
                uid = e["event"]["orgUnit"]["id"]
                seen.setdefault(uid, []).append(e["eventType"])
                got.add((uid, e["eventType"]))
        lost = want - got
        assert not lost, f"{len(lost)} events never delivered: {sorted(lost)[:10]}"
        assert f"/{a.proc.pid}/" in lease_owner(), "the live server took the listener up"
        for c in renamed:
            kinds = seen[c]
            assert kinds.index("OrgUnitCreateEvent") < \
                kinds.index("OrgUnitAttributeValueChangeEvent"), (c, kinds)
    finally:
        lst.close()
        if b.proc:
            b.kill()
        a.stop()
        harness.drop_db(a.db)


harness.main(globals())
