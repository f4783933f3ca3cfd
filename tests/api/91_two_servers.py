"""Several servers, one PostgreSQL database: two servers take writes at once, one is
SIGKILLed in the middle; every write either acknowledged is in the database, and every
acknowledged change's event reaches the listener — at least once, and for each record
in the order of its changes — though the listener's sender died with its server (the
other takes the listener up when the dead one's lease runs out)."""

import threading
import time

import harness
from harness import Listener, Server, assert_error

BASE = "/api/v1/org-units"
LEASE_MS = "2000"


def test_two_servers_one_killed_lose_nothing_acknowledged():
    if not harness.PG:
        print("skip: several servers share a PostgreSQL database (run as api-pg/)")
        return
    lst = Listener()
    args = ["--event-lease-ms", LEASE_MS, "--rate-limit", "0"]
    a = Server(args=args).start()
    b = Server(db=a.db, args=args).start()

    def lease_owner():
        rows = harness.sql(b.db, "SELECT lease_owner FROM hub_listener")
        return rows[0][0] if rows else None
    try:
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
        # the server whose sender holds the listener dies; the other lives on
        owner = lease_owner() or ""
        victim, live = (a, b) if f"/{a.proc.pid}/" in owner else (b, a)
        assert f"/{victim.proc.pid}/" in owner, owner
        victim.kill()
        time.sleep(1)
        stop.set()
        for t in threads:
            t.join()
        creates = [c for c, what in acked if what == "create"]
        assert len(creates) > 20, f"too few writes acknowledged: {len(creates)}"
        assert any(c.startswith("S0") for c in creates) and any(c.startswith("S1")
                                                                for c in creates)

        # every acknowledged write is there, through the server that lives on
        a = live
        have = {}
        offset = 0
        while True:
            r = a.get(f"{BASE}?kind=province&limit=1000&offset={offset}")
            assert r.status == 200, r
            page = r.json
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
        assert f"/{live.proc.pid}/" in lease_owner(), "the live server took the listener up"
        for c in renamed:
            kinds = seen[c]
            assert kinds.index("OrgUnitCreateEvent") < \
                kinds.index("OrgUnitAttributeValueChangeEvent"), (c, kinds)
    finally:
        lst.close()
        for s in (a, b):
            if s.proc:
                s.kill()
        harness.drop_db(b.db)


def test_a_token_revoked_on_one_server_fails_at_once_on_the_other():
    """Each server keeps a short memo of the tokens it checked; a commit on any server
    voids every server's memo, so a token revoked through one fails at the next request
    to the other (not after the memo's two seconds)."""
    if not harness.PG:
        print("skip: several servers share a PostgreSQL database (run as api-pg/)")
        return
    a = Server().start()
    b = Server(db=a.db).start()
    try:
        r = a.post("/api/v1/tokens", {"name": "system"})
        assert r.status == 201, r
        tid, secret = r.json["id"], r.json["token"]
        # the token is checked, and memoised, on each of a's threads
        for _ in range(8):
            assert a.get("/api/v1/session", auth=secret, new_conn=True).status == 200
        assert b.delete("/api/v1/tokens/" + tid).status == 204
        time.sleep(0.3)
        codes = [a.get("/api/v1/session", auth=secret, new_conn=True).status
                 for _ in range(8)]
        assert codes == [401] * 8, codes
    finally:
        b.stop()
        a.stop()
        harness.drop_db(a.db)



def test_login_rate_limit_holds_across_servers():
    """--login-rate is kept in the database: attempts through either server count
    against one budget per client address."""
    if not harness.PG:
        print("skip: several servers share a PostgreSQL database (run as api-pg/)")
        return
    a = Server(args=["--login-rate", "3"]).start()
    b = Server(db=a.db, args=["--login-rate", "3"]).start()
    try:
        def login(s):
            return s.post("/api/v1/session", {"login": "admin", "password": "Wrong-pass-2026"},
                          auth=None)
        codes = [login(s).status for s in (a, b, a)]
        assert codes == [401, 401, 401], codes
        r = login(b)
        assert_error(r, 429, "too many login attempts")
        assert 1 <= int(r.header("Retry-After")) <= 60, r.headers
    finally:
        b.stop()
        a.stop()
        harness.drop_db(a.db)



def test_request_rate_limit_is_shared_by_the_servers():
    """--rate-limit holds across servers: each learns how many share the database
    (server_presence) and allows a caller its share, here 2 requests a second with
    bursts of 4 in all, so 2 each; a caller spreading 6 requests over both is refused
    some, where each server alone would have let its 3 through."""
    if not harness.PG:
        print("skip: several servers share a PostgreSQL database (run as api-pg/)")
        return
    a = Server(args=["--rate-limit", "2"]).start()
    b = Server(db=a.db, args=["--rate-limit", "2"]).start()
    try:
        deadline = time.time() + 10
        while len(harness.sql(a.db, "SELECT holder FROM server_presence")) < 2:
            assert time.time() < deadline, "the servers did not note their presence"
            time.sleep(0.2)
        time.sleep(2.5)  # each has counted the other since
        codes = [s.get("/api/v1/session", new_conn=True).status for s in (a, b, a, b, a, b)]
        assert 429 in codes, codes
        assert codes.count(200) >= 2, codes
        # a server that stops forgets itself
        assert b.stop() == 0
        holders = [h for h, in harness.sql(a.db, "SELECT holder FROM server_presence")]
        assert len(holders) == 1 and f"/{a.proc.pid}/" in holders[0], holders
    finally:
        b.stop()
        a.stop()
        harness.drop_db(a.db)


harness.main(globals())
