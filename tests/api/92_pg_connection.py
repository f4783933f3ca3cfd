"""PostgreSQL connections lost under a running server (the database restarted, an
administrator ended them): a statement that meets a dead connection outside a
transaction runs again on a new one; inside a transaction the request fails cleanly
(503, JSON); the next requests — reads, writes and the change watch that keeps token
memos honest — work as before."""

import time

import harness
from harness import Server, assert_error

BASE = "/api/v1/org-units"


def terminate_others(db):
    harness.psql(db, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                     " WHERE datname = current_database() AND pid <> pg_backend_pid()")


def test_lost_connections_fail_one_request_cleanly_and_come_back():
    if not harness.PG:
        print("skip: PostgreSQL connections (run as api-pg/)")
        return
    with Server() as s:
        assert s.post(BASE, {"id": "P1", "name": "One", "kind": "province",
                             "parentId": "HQ"}).status == 201
        for round in range(3):
            terminate_others(s.db)
            # the first requests may meet a dead connection: a clean error, never a hang
            for path in (BASE + "/P1", BASE + "?limit=5"):
                r = s.get(path, new_conn=True)
                if r.status != 200:
                    assert_error(r, 503)
            deadline = time.time() + 10
            while s.get(BASE + "/P1", new_conn=True).status != 200:
                assert time.time() < deadline, "reads did not come back"
            # writes come back too (the writer reconnects), and what they wrote is there
            code = f"Q{round}"
            r = s.post(BASE, {"id": code, "name": code, "kind": "province", "parentId": "HQ"})
            if r.status != 201:
                assert_error(r, 503)
                r = s.post(BASE, {"id": code, "name": code, "kind": "province",
                                  "parentId": "HQ"})
            assert r.status == 201, r
            assert s.get(f"{BASE}/{code}").status == 200
        # the change watch reconnected: a token revoked is refused at once
        r = s.post("/api/v1/tokens", {"name": "t"})
        assert r.status == 201, r
        tid, secret = r.json["id"], r.json["token"]
        assert s.get("/api/v1/session", auth=secret).status == 200
        assert s.delete("/api/v1/tokens/" + tid).status == 204
        assert s.get("/api/v1/session", auth=secret).status == 401
        assert "status=500" not in s.read_log(), "a lost connection made an internal error"


harness.main(globals())
