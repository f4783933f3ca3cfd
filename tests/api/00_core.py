"""Core HTTP behaviour: health, metrics, TMF error bodies for bad requests, list
conventions, request ids, keep-alive, graceful shutdown; and the CLI's exit codes."""

import os
import sqlite3
import tempfile
import threading

import harness
from harness import Server, assert_error, run_cli


def test_healthz_and_request_id():
    with Server() as s:
        r = s.get("/healthz")
        assert r.status == 200 and r.json == {"status": "ok"}, r
        assert r.header("Content-Type").startswith("application/json")
        r2 = s.get("/api/v1/org-units")
        assert len(r2.header("X-Request-Id") or "") == 36, r2.headers


def test_metrics_prometheus_text():
    with Server() as s:
        s.get("/healthz")
        s.get("/api/v1/org-units")
        s.get("/nope")
        r = s.get("/metrics")
        assert r.status == 200, r
        assert r.header("Content-Type").startswith("text/plain"), r.headers
        text = r.text
        for needle in ("telcrm_http_requests_total{", "telcrm_http_request_duration_seconds_bucket{",
                       'route="/api/v1/org-units"', "telcrm_db_tx_commits_total",
                       "telcrm_db_readers_open", 'le="+Inf"'):
            assert needle in text, f"{needle} missing from /metrics:\n{text[:2000]}"


def test_unknown_route_and_wrong_method():
    with Server() as s:
        assert_error(s.get("/no/such/thing"), 404, "no route")
        r = assert_error(s.delete("/api/v1/org-units"), 405)
        allow = s.delete("/api/v1/org-units").header("Allow") or ""
        assert "GET" in allow and "POST" in allow, allow
        assert_error(s.request("PUT", "/healthz"), 405)


def test_malformed_json_is_400_and_changes_nothing():
    with Server() as s:
        before = s.get("/api/v1/org-units").header("X-Total-Count")
        r = assert_error(s.post("/api/v1/org-units", raw='{"id": "GD", "name": ',
                                headers={"Content-Type": "application/json"}), 400)
        assert "malformed JSON" in r["message"], r
        assert_error(s.post("/api/v1/org-units", raw="",
                            headers={"Content-Type": "application/json"}), 400)
        assert_error(s.post("/api/v1/org-units", raw="[1,2]",
                            headers={"Content-Type": "application/json"}), 400)
        assert s.get("/api/v1/org-units").header("X-Total-Count") == before


def test_wrong_content_type_is_415():
    with Server() as s:
        assert_error(s.post("/api/v1/org-units", raw='{"id":"GD"}',
                            headers={"Content-Type": "text/plain"}), 415)
        assert_error(s.post("/api/v1/org-units", raw='{"id":"GD"}'), 415)
        # merge-patch is for PATCH only
        assert_error(s.post("/api/v1/org-units", raw='{"id":"GD"}',
                            headers={"Content-Type": "application/merge-patch+json"}), 415)
        r = s.post("/api/v1/org-units", raw='{"id":"GD","name":"x","kind":"province","parentId":"HQ"}',
                   headers={"Content-Type": "application/json; charset=utf-8"})
        assert r.status == 201, r


def test_oversize_body_is_413():
    with Server(args=["--max-body", "4096"]) as s:
        big = '{"name": "' + "x" * 10000 + '"}'
        assert_error(s.post("/api/v1/org-units", raw=big,
                            headers={"Content-Type": "application/json"}, new_conn=True), 413)
        # the server is still fine afterwards
        assert s.get("/healthz", new_conn=True).status == 200


def test_bad_list_parameters():
    with Server() as s:
        for q in ("limit=0", "limit=1001", "limit=abc", "limit=-1", "offset=-5", "offset=x"):
            assert_error(s.get("/api/v1/org-units?" + q), 400)
        assert_error(s.get("/api/v1/org-units?fields=name,,kind"), 400, "fields")
        assert_error(s.get("/api/v1/org-units?fields=na%20me"), 400, "fields")
        assert_error(s.get("/api/v1/org-units?colour=red"), 400, "unknown filter attribute")
        r = s.get("/api/v1/org-units?limit=1000&offset=0")
        assert r.status == 200, r


def test_unknown_query_parameter_on_every_route():
    """A parameter a route does not read is refused before anything happens, rather than
    ignored (a misspelt filter must not answer as if there were none)."""
    with Server() as s:
        unit = {"id": "GD", "name": "广东", "kind": "province", "parentId": "HQ"}
        assert_error(s.post("/api/v1/org-units?dryRun=true", unit), 400,
                     "unknown query parameter 'dryRun'")
        assert_error(s.get("/api/v1/org-units/GD"), 404)  # nothing was made
        assert s.post("/api/v1/org-units", unit).status == 201
        before = s.get("/api/v1/org-units/GD").json
        assert_error(s.get("/api/v1/org-units/GD?expand=children"), 400, "'expand'")
        assert_error(s.patch("/api/v1/org-units/GD?force=1", {"name": "广东省"}), 400,
                     "'force'")
        assert s.get("/api/v1/org-units/GD").json == before
        assert_error(s.get("/api/v1/session?x=1"), 400, "'x'")
        assert_error(s.get("/api/v1/customers/nope/360?depth=2"), 400, "'depth'")
        # what routes do read is still accepted
        r = s.get("/api/v1/org-units/GD?fields=name")
        assert r.status == 200 and "kind" not in r.json, r
        assert s.get("/api/v1/permissions?limit=2").status == 200
        assert len(s.get("/api/v1/permissions?limit=2").json) == 2
        assert s.get("/api/v1/search?q=13800000000&limit=5").status == 200


def test_messages_in_the_callers_language():
    """Every error has a stable code per cause, and its message in the language of
    Accept-Language: Chinese for zh, English otherwise; the code is the same in both."""
    with Server() as s:
        zh = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}
        cust = "/tmf-api/customerManagement/v4/customer/nope"
        en = assert_error(s.get(cust), 404, "customer 'nope' not found")
        cn = assert_error(s.get(cust, headers=zh), 404, "未找到客户“nope”")
        assert en["code"] == cn["code"] == "resource.notFound", (en, cn)
        b = assert_error(s.post("/api/v1/org-units", {"name": "x", "kind": "province"},
                                headers=zh), 400, "缺少必填项“id”")
        assert b["code"] == "field.required" and b["field"] == "id", b
        b = assert_error(s.get("/api/v1/org-units/HQ?x=1", headers=zh), 400,
                         "未知的查询参数“x”")
        assert b["code"] == "query.unknown", b
        # a language the server does not speak is English
        assert_error(s.get(cust, headers={"Accept-Language": "fr-FR"}), 404, "not found")
        # before any handler, the early answers too
        b = assert_error(s.get("/api/v1/org-units?" + "a" * 9000, headers=zh), 414,
                         "请求地址超过")
        assert b["code"] == "request.targetTooLong", b


def test_keep_alive_is_kept():
    with Server() as s:
        conn = s.connection()
        for _ in range(20):
            conn.request("GET", "/healthz")
            r = conn.getresponse()
            r.read()
            assert r.status == 200
            assert (r.getheader("Connection") or "").lower() != "close"
        conn.close()


def test_graceful_shutdown_finishes_in_flight():
    s = Server().start()
    results = []

    def load():
        for i in range(50):
            try:
                r = s.request("GET", "/api/v1/org-units", new_conn=True)
                results.append(r.status)
            except OSError:
                break

    t = threading.Thread(target=load)
    t.start()
    rc = s.stop()
    t.join()
    assert rc == 0, rc
    assert all(code == 200 for code in results), results
    assert "serve.stopped" in s.read_log()


def test_cli_usage_errors_exit_2():
    rc, out, err = run_cli("frobnicate")
    assert rc == 2 and "unknown command 'frobnicate'" in err, (rc, err)
    rc, out, err = run_cli("serve", "--no-such-flag")
    assert rc == 2 and "unknown option '--no-such-flag'" in err, (rc, err)
    rc, out, err = run_cli("serve", "--threads", "lots")
    assert rc == 2 and "must be a whole number" in err, (rc, err)
    rc, out, err = run_cli()
    assert rc == 2 and "usage: telcrm" in err


def test_cli_help_for_every_command():
    for cmd in ("serve", "migrate", "backup", "copy", "version", "demo"):
        rc, out, err = run_cli(cmd, "--help")
        assert rc == 0 and "usage: telcrm " + cmd in out, (cmd, rc, out, err)
        assert err == "", err
    rc, out, err = run_cli("--help")
    assert rc == 0 and "serve" in out and "backup" in out


def test_cli_version_and_migrate():
    rc, out, err = run_cli("version")
    assert rc == 0 and out.startswith("telcrm ") and "schema" in out, out
    with tempfile.TemporaryDirectory() as d:
        db = harness.fresh_db(d, "m.db")
        rc, out, err = run_cli("migrate", db=db)
        assert rc == 0 and "up to date" in out, (rc, out, err)
        rc, out2, err = run_cli("migrate", db=db)
        assert rc == 0 and out2 == out, (out, out2)


def test_newer_schema_is_refused():
    with tempfile.TemporaryDirectory() as d:
        db = harness.fresh_db(d, "new.db")
        assert run_cli("migrate", db=db)[0] == 0
        harness.sql(db, "INSERT INTO schema_migrations (version, name, applied_ms)"
                        " VALUES (9999, 'future', 0)")
        for cmd in (["migrate"], ["serve", "--listen", "127.0.0.1:0"], ["backup", os.path.join(d, "b.db")]):
            rc, out, err = run_cli(*cmd, db=db)
            assert rc == 1, (cmd, rc, out, err)
            assert "newer than this telcrm" in err, err


@harness.sqlite_only
def test_backup_while_serving():
    with Server() as s:
        for i in range(30):
            r = s.post("/api/v1/org-units", {"id": f"P{i}", "name": f"Province {i}",
                                              "kind": "province", "parentId": "HQ"})
            assert r.status == 201, r
        out = os.path.join(s.tmp, "backup.db")
        done = threading.Event()

        def writer():
            i = 100
            while not done.is_set():
                s.request("POST", "/api/v1/org-units",
                          body={"id": f"P{i}", "name": "x", "kind": "province", "parentId": "HQ"},
                          new_conn=True)
                i += 1

        t = threading.Thread(target=writer)
        t.start()
        try:
            rc, o, e = run_cli("backup", out, db=s.db)
        finally:
            done.set()
            t.join()
        assert rc == 0, (rc, o, e)
        c = sqlite3.connect(out)
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        n = c.execute("SELECT count(*) FROM org_unit WHERE kind = 'province'").fetchone()[0]
        assert n >= 30, n
        c.close()
        rc, o, e = run_cli("backup", out, db=s.db)
        assert rc == 1 and "already exists" in e, (rc, e)


harness.main(globals())
