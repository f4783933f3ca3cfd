"""Identity: authentication (sessions, CSRF, API tokens), lockout, session expiry, password
changes, rate limits, roles and privilege escalation, personal-data masking, the audit
trail of identity events, and that no secret ever leaks into logs, audit rows, responses
or the database file."""

import datetime
import json
import re
import time

import harness
from harness import ADMIN_LOGIN, ADMIN_PASSWORD, Server, assert_error, run_cli

PASSWORD = "Clerk-pass-2026"
COOKIE = "telcrm_session"

# ---- helpers ----


def login(s, login_name, password, headers=None):
    """POST /api/v1/session without credentials; returns (response, session id, csrf)."""
    r = s.post("/api/v1/session", {"login": login_name, "password": password}, auth=None,
               headers=headers)
    sid = None
    m = re.match(COOKIE + r"=([^;]*)", r.header("Set-Cookie") or "")
    if m:
        sid = m.group(1)
    csrf = r.json.get("csrfToken") if r.status == 201 and r.json else None
    return r, sid, csrf


def must_login(s, login_name, password):
    r, sid, csrf = login(s, login_name, password)
    assert r.status == 201 and sid and csrf, f"login of {login_name} failed: {r}"
    return sid, csrf


def with_cookie(s, method, path, sid, csrf=None, body=None, headers=None):
    """A request carrying only the session cookie (and the CSRF header when given)."""
    h = {"Cookie": f"{COOKIE}={sid}"}
    if csrf is not None:
        h["X-CSRF-Token"] = csrf
    h.update(headers or {})
    return s.request(method, path, body=body, headers=h, auth=None)


def make_unit(s, code, kind, parent):
    r = s.post("/api/v1/org-units", {"id": code, "name": code, "kind": kind, "parentId": parent})
    assert r.status == 201, r


def make_user(s, login_name, org="HQ", roles=("clerk",), password=PASSWORD, auth="admin",
              **extra):
    body = {"login": login_name, "displayName": login_name.title(), "orgId": org,
            "roles": list(roles), "password": password}
    body.update(extra)
    r = s.post("/api/v1/users", body, auth=auth)
    assert r.status == 201, f"cannot create {login_name}: {r}"
    return r.json


def make_token(s, auth="admin", **body):
    body.setdefault("name", "test")
    r = s.post("/api/v1/tokens", body, auth=auth)
    assert r.status == 201, r
    assert r.json["token"].startswith("tcrm_"), r.json
    return r.json


def audit(s, auth="admin", **filters):
    q = "&".join(f"{k}={v}" for k, v in filters.items())
    r = s.get("/api/v1/audit?limit=1000" + ("&" + q if q else ""), auth=auth)
    assert r.status == 200, r
    return r.json


def iso_in(seconds):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


# ---- 1. no credentials, malformed logins, wrong schemes ----

PROTECTED = [
    ("GET", "/api/v1/session", None),
    ("DELETE", "/api/v1/session", None),
    ("POST", "/api/v1/session/password", {"currentPassword": "a", "newPassword": "b"}),
    ("GET", "/api/v1/users", None),
    ("POST", "/api/v1/users", {"login": "x"}),
    ("GET", "/api/v1/users/some-id", None),
    ("PATCH", "/api/v1/users/some-id", {"displayName": "x"}),
    ("GET", "/api/v1/roles", None),
    ("POST", "/api/v1/roles", {"id": "x"}),
    ("GET", "/api/v1/roles/admin", None),
    ("PATCH", "/api/v1/roles/admin", {"name": "x"}),
    ("DELETE", "/api/v1/roles/admin", None),
    ("GET", "/api/v1/permissions", None),
    ("GET", "/api/v1/tokens", None),
    ("POST", "/api/v1/tokens", {"name": "x"}),
    ("GET", "/api/v1/tokens/some-id", None),
    ("DELETE", "/api/v1/tokens/some-id", None),
    ("GET", "/api/v1/audit", None),
    ("GET", "/api/v1/org-units", None),
    ("GET", "/api/v1/org-units/HQ", None),
    ("POST", "/api/v1/org-units", {"id": "GD", "name": "x", "kind": "province",
                                   "parentId": "HQ"}),
    ("PATCH", "/api/v1/org-units/HQ", {"name": "x"}),
    ("GET", "/api/v1/hub/some-id", None),
    ("POST", "/api/v1/hub", {"callback": "http://127.0.0.1:1/x"}),
    ("GET", "/metrics", None),
]


def test_no_credentials_is_401_on_every_route_but_login_and_healthz():
    with Server() as s:
        for method, path, body in PROTECTED:
            r = s.request(method, path, body=body, auth=None)
            assert_error(r, 401)
            assert r.header("WWW-Authenticate") == 'Bearer realm="telcrm"', (method, path, r.headers)
            # an empty or foreign cookie is no credential either
            r = s.request(method, path, body=body, auth=None, headers={"Cookie": "other=1"})
            assert_error(r, 401)
        r = s.get("/healthz", auth=None)
        assert r.status == 200 and r.json == {"status": "ok"}, r
        # nothing was created by the refused requests
        assert s.get("/api/v1/org-units").header("X-Total-Count") == "1"
        assert s.get("/api/v1/users").header("X-Total-Count") == "1"
        # /metrics: metrics.read
        clerk = make_user(s, "clerk1")
        tok = s.cli_token("clerk1")
        assert_error(s.get("/metrics", auth=tok), 403, "metrics.read")
        r = s.get("/metrics")
        assert r.status == 200 and "telcrm" in r.text, r
        assert clerk["roles"] == ["clerk"]


def test_malformed_login_bodies():
    with Server(args=["--login-rate", "0", "--max-body", "65536"]) as s:
        cases = [
            ('{"login": "admin", "password": ', "application/json", 400),
            ("not json at all", "application/json", 400),
            ("[1, 2]", "application/json", 400),
            ('"admin"', "application/json", 400),
            ("{}", "application/json", 400),
            ('{"login": "admin"}', "application/json", 400),
            ('{"password": "Admin-pass-2026"}', "application/json", 400),
            ('{"login": 5, "password": "Admin-pass-2026"}', "application/json", 400),
            ('{"login": "admin", "password": 12345678901}', "application/json", 400),
            ('{"login": null, "password": "Admin-pass-2026"}', "application/json", 400),
            ('{"login": ["admin"], "password": "Admin-pass-2026"}', "application/json", 400),
            ('{"login": "admin", "password": {"x": 1}}', "application/json", 400),
            ('{"login": "admin", "password": "Admin-pass-2026", "remember": true}',
             "application/json", 400),
            (json.dumps({"login": "a" * 65, "password": ADMIN_PASSWORD}), "application/json", 400),
            (json.dumps({"login": "admin", "password": "p" * 600}), "application/json", 400),
            ("", "application/json", 400),
            ('{"login": "admin", "password": "Admin-pass-2026"}', "text/plain", 415),
            ('{"login": "admin", "password": "Admin-pass-2026"}', None, 415),
        ]
        for raw, ctype, status in cases:
            h = {"Content-Type": ctype} if ctype else {}
            r = s.request("POST", "/api/v1/session", raw=raw, headers=h, auth=None)
            assert_error(r, status)
            assert not r.header("Set-Cookie"), (raw, r.headers)
        big = json.dumps({"login": "admin", "password": ADMIN_PASSWORD, "pad": "x" * 70000})
        r = s.request("POST", "/api/v1/session", raw=big,
                      headers={"Content-Type": "application/json"}, auth=None, new_conn=True)
        assert_error(r, 413)
        assert not r.header("Set-Cookie")
        # a NUL in a string must not cut it short: "password\u0000junk" is not "password"
        for raw in ('{"login": "admin", "password": "Admin-pass-2026\\u0000junk"}',
                    '{"login": "admin\\u0000x", "password": "Admin-pass-2026"}',
                    b'{"login": "admin", "password": "Admin-pass-2026\x00junk"}'):
            r = s.request("POST", "/api/v1/session", raw=raw,
                          headers={"Content-Type": "application/json"}, auth=None)
            assert r.status in (400, 401), f"{raw!r} logged in: {r}"
            assert not r.header("Set-Cookie"), r.headers
        r = s.request("POST", "/api/v1/users", raw='{"login": "nul1", "displayName": "N", '
                      '"orgId": "HQ", "roles": [], "password": "Nul-pass-2026\\u0000x"}',
                      headers={"Content-Type": "application/json"})
        assert r.status == 400, f"a password with U+0000 was accepted: {r}"
        # after all of that, a correct login still works
        r, sid, _ = login(s, ADMIN_LOGIN, ADMIN_PASSWORD)
        assert r.status == 201 and sid, r


def test_wrong_authorization_scheme_is_401():
    with Server() as s:
        sid, _ = must_login(s, ADMIN_LOGIN, ADMIN_PASSWORD)
        for value in ("Basic " + "YWRtaW46QWRtaW4tcGFzcy0yMDI2",  # admin:Admin-pass-2026
                      "Token " + s.token, "Bearer", "Bearer ", s.token,
                      "Bearer tcrm_" + "0" * 64, "Bearer " + s.token + "x",
                      "Bearer " + s.token[:-1]):
            r = s.get("/api/v1/session", headers={"Authorization": value}, auth=None)
            assert_error(r, 401)
            # a bad Authorization header is not rescued by a valid session cookie
            r = s.get("/api/v1/session", auth=None,
                      headers={"Authorization": value, "Cookie": f"{COOKIE}={sid}"})
            assert_error(r, 401)
        for cookie in (f"{COOKIE}=", f"{COOKIE}=nope", f"{COOKIE}={sid}x",
                       f"TELCRM_SESSION={sid}", f"x{COOKIE}={sid}"):
            assert_error(s.get("/api/v1/session", headers={"Cookie": cookie}, auth=None), 401)
        # the scheme is case-insensitive (RFC 9110); the token is not
        r = s.get("/api/v1/session", headers={"Authorization": "bearer " + s.token}, auth=None)
        assert r.status == 200 and r.json["via"] == "token", r
        assert_error(s.get("/api/v1/session", auth=None,
                           headers={"Authorization": "Bearer " + s.token.upper()}), 401)


# ---- 2. login, cookie, CSRF, logout ----


def test_login_good_bad_unknown():
    with Server(args=["--login-rate", "0"]) as s:
        make_user(s, "clerk1", mobile="13812345678", email="zhang@example.com")
        r, sid, csrf = login(s, "clerk1", PASSWORD)
        assert r.status == 201, r
        b = r.json
        assert b["via"] == "session" and b["@type"] == "Session", b
        assert re.fullmatch(r"[0-9a-f]{64}", csrf), csrf
        assert re.fullmatch(r"[0-9a-f]{64}", sid), sid
        assert sid != csrf
        assert b["user"]["login"] == "clerk1" and b["user"]["orgId"] == "HQ", b
        assert b["user"]["lastLogin"].endswith("Z"), b
        assert sorted(b["permissions"]) == sorted(
            ["customer.read", "customer.write", "order.create", "ticket.handle"]), b
        # the clerk has no pii.read: its own contact data is masked too
        assert b["user"]["mobile"] == "138****5678" and b["user"]["email"] == "z***@example.com", b
        assert "password" not in r.text and sid not in r.text
        assert r.header("Location") == "/api/v1/session"
        exp = datetime.datetime.strptime(b["expirationDate"], "%Y-%m-%dT%H:%M:%S.%fZ")
        hours = (exp - datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)).total_seconds() / 3600
        assert 11.9 < hours <= 12.01, b["expirationDate"]
        # cookie attributes
        parts = [p.strip() for p in r.header("Set-Cookie").split(";")]
        assert parts[0] == f"{COOKIE}={sid}", parts
        attrs = {p.split("=")[0].lower(): (p.split("=", 1)[1] if "=" in p else True)
                 for p in parts[1:]}
        assert attrs.get("httponly") is True, parts
        assert attrs.get("samesite") == "Strict", parts
        assert attrs.get("path") == "/", parts
        assert 43100 <= int(attrs["max-age"]) <= 43200, parts
        assert "secure" not in attrs, parts
        assert r.header("Cache-Control") == "no-store", r.headers
        # behind a TLS proxy the cookie is Secure
        r, _, _ = login(s, "clerk1", PASSWORD, headers={"X-Forwarded-Proto": "https"})
        assert r.status == 201 and "; Secure" in r.header("Set-Cookie"), r.headers

        # wrong password and unknown login: the same answer
        wrong, _, _ = login(s, "clerk1", "Wrong-pass-2026")
        unknown, _, _ = login(s, "nobody", "Wrong-pass-2026")
        case, _, _ = login(s, "CLERK1", PASSWORD)
        empty, _, _ = login(s, "clerk1", "")
        for r in (wrong, unknown, case, empty):
            body = assert_error(r, 401, "login or password is wrong")
            assert not r.header("Set-Cookie"), r.headers
        assert assert_error(wrong, 401) == assert_error(unknown, 401)
        # a user created disabled cannot log in
        make_user(s, "clerk2", status="disabled")
        # a disabled account answers as a wrong password would: the password is not confirmed
        assert_error(login(s, "clerk2", PASSWORD)[0], 401, "login or password is wrong")
        assert_error(login(s, "clerk2", "Wrong-pass-2026")[0], 401, "login or password is wrong")
        # the session works
        r = with_cookie(s, "GET", "/api/v1/session", sid)
        assert r.status == 200 and r.json["via"] == "session", r
        assert r.json["csrfToken"] == csrf and r.json["user"]["login"] == "clerk1", r
        assert body["status"] == "401"


def test_cookie_needs_csrf_for_unsafe_methods_bearer_does_not():
    with Server() as s:
        sid, csrf = must_login(s, ADMIN_LOGIN, ADMIN_PASSWORD)
        unit = {"id": "GD", "name": "广东省", "kind": "province", "parentId": "HQ"}
        # POST without, with a wrong and with an empty CSRF token: 403, nothing created
        for token in (None, "0" * 64, "", csrf[:-1], csrf.upper()):
            r = with_cookie(s, "POST", "/api/v1/org-units", sid, token, body=unit)
            assert_error(r, 403, "X-CSRF-Token")
        assert s.get("/api/v1/org-units").header("X-Total-Count") == "1"
        # a CSRF token alone is no credential
        assert_error(s.post("/api/v1/org-units", unit, auth=None,
                            headers={"X-CSRF-Token": csrf}), 401)
        r = with_cookie(s, "POST", "/api/v1/org-units", sid, csrf, body=unit)
        assert r.status == 201, r
        # reads need no CSRF token
        assert with_cookie(s, "GET", "/api/v1/org-units/GD", sid).status == 200
        # PATCH
        assert_error(with_cookie(s, "PATCH", "/api/v1/org-units/GD", sid, body={"name": "x"}),
                     403, "X-CSRF-Token")
        r = with_cookie(s, "PATCH", "/api/v1/org-units/GD", sid, csrf, body={"name": "广东"})
        assert r.status == 200 and r.json["name"] == "广东", r
        # DELETE
        tok = make_token(s, name="to-revoke")
        assert_error(with_cookie(s, "DELETE", "/api/v1/tokens/" + tok["id"], sid), 403)
        assert s.get("/api/v1/tokens/" + tok["id"]).json["status"] == "active"
        assert with_cookie(s, "DELETE", "/api/v1/tokens/" + tok["id"], sid, csrf).status == 204
        assert s.get("/api/v1/tokens/" + tok["id"]).json["status"] == "revoked"
        # another session's CSRF token does not fit this session
        sid2, csrf2 = must_login(s, ADMIN_LOGIN, ADMIN_PASSWORD)
        assert csrf2 != csrf and sid2 != sid
        assert_error(with_cookie(s, "PATCH", "/api/v1/org-units/GD", sid, csrf2,
                                 body={"name": "y"}), 403)
        # Bearer requests need none
        r = s.post("/api/v1/org-units", {"id": "BJ", "name": "北京", "kind": "province",
                                         "parentId": "HQ"})
        assert r.status == 201, r
        assert s.patch("/api/v1/org-units/BJ", {"name": "北京市"}).status == 200
        # logout needs the CSRF token too (a forged logout is a denial of service)
        assert_error(with_cookie(s, "DELETE", "/api/v1/session", sid), 403)
        assert with_cookie(s, "GET", "/api/v1/session", sid).status == 200
        r = with_cookie(s, "DELETE", "/api/v1/session", sid, csrf)
        assert r.status == 204, r
        cleared = r.header("Set-Cookie")
        assert cleared.startswith(f"{COOKIE}=;") and "Max-Age=0" in cleared, cleared
        for method, path in (("GET", "/api/v1/session"), ("GET", "/api/v1/org-units"),
                             ("DELETE", "/api/v1/session")):
            assert_error(with_cookie(s, method, path, sid, csrf), 401, "log in again")
        # the other session lives on; a token caller cannot "log out"
        assert with_cookie(s, "GET", "/api/v1/session", sid2).status == 200
        assert_error(s.delete("/api/v1/session"), 400, "token")
        assert s.get("/api/v1/session").json["via"] == "token"


# ---- 3. lockout ----


def test_lockout_after_failures_and_expiry_and_admin_unlock():
    with Server(args=["--lockout-attempts", "3", "--lockout-seconds", "2",
                      "--login-rate", "0"]) as s:
        u = make_user(s, "clerk1")
        # two failures, then a success resets the counter
        for _ in range(2):
            assert_error(login(s, "clerk1", "Wrong-pass-2026")[0], 401, "wrong")
        must_login(s, "clerk1", PASSWORD)
        for _ in range(2):
            assert_error(login(s, "clerk1", "Wrong-pass-2026")[0], 401, "wrong")
        assert s.get("/api/v1/users/" + u["id"]).json.get("lockedUntil") is None
        # the third failure in a row locks
        assert_error(login(s, "clerk1", "Wrong-pass-2026")[0], 401, "wrong")
        locked_at = time.time()
        r, sid, _ = login(s, "clerk1", PASSWORD)
        assert_error(r, 401, "the account is locked")
        assert "until 20" in r.json["message"], r.json
        assert sid is None
        shown = s.get("/api/v1/users/" + u["id"]).json
        assert shown.get("lockedUntil", "").endswith("Z"), shown
        # other users are not affected
        must_login(s, ADMIN_LOGIN, ADMIN_PASSWORD)
        # after the lockout period the correct password works again
        time.sleep(max(0, locked_at + 2.2 - time.time()))
        must_login(s, "clerk1", PASSWORD)
        # lock again, then an administrator lifts it
        for _ in range(3):
            assert_error(login(s, "clerk1", "Wrong-pass-2026")[0], 401)
        assert_error(login(s, "clerk1", PASSWORD)[0], 401, "locked")
        assert_error(s.patch("/api/v1/users/" + u["id"], {"locked": True}), 400, "locked")
        r = s.patch("/api/v1/users/" + u["id"], {"locked": False})
        assert r.status == 200 and r.json.get("lockedUntil") is None, r
        must_login(s, "clerk1", PASSWORD)
        # and the failure counter restarted: two failures do not lock
        for _ in range(2):
            assert_error(login(s, "clerk1", "Wrong-pass-2026")[0], 401, "wrong")
        must_login(s, "clerk1", PASSWORD)
        # an admin password reset lifts a lockout too
        for _ in range(3):
            assert_error(login(s, "clerk1", "Wrong-pass-2026")[0], 401)
        assert_error(login(s, "clerk1", PASSWORD)[0], 401, "locked")
        assert s.patch("/api/v1/users/" + u["id"], {"password": "Reset-pass-2027"}).status == 200
        must_login(s, "clerk1", "Reset-pass-2027")
        # the lockout and its lifting are audited
        fails = audit(s, action="login.fail", resourceId="clerk1")
        assert any((row.get("after") or {}).get("locked") for row in fails), fails
        assert any((row.get("after") or {}).get("reason") == "locked" for row in fails), fails


# ---- 4. session expiry ----


def test_session_idle_timeout():
    with Server(args=["--session-idle", "2"]) as s:
        sid, csrf = must_login(s, ADMIN_LOGIN, ADMIN_PASSWORD)
        # kept alive by use: 3.5 s in total, never 2 s idle
        t0 = time.time()
        while time.time() - t0 < 3.5:
            r = with_cookie(s, "GET", "/api/v1/session", sid)
            assert r.status == 200, f"session ended while in use after {time.time() - t0:.1f}s: {r}"
            time.sleep(0.6)
        time.sleep(3)
        assert_error(with_cookie(s, "GET", "/api/v1/session", sid), 401, "log in again")
        assert_error(with_cookie(s, "POST", "/api/v1/org-units", sid, csrf,
                                 body={"id": "GD", "name": "x", "kind": "province",
                                       "parentId": "HQ"}), 401)
        # a new login works
        sid2, _ = must_login(s, ADMIN_LOGIN, ADMIN_PASSWORD)
        assert with_cookie(s, "GET", "/api/v1/session", sid2).status == 200


def test_session_max_age_ends_even_when_used():
    with Server(args=["--session-max", "2"]) as s:
        r, sid, _ = login(s, ADMIN_LOGIN, ADMIN_PASSWORD)
        assert r.status == 201, r
        assert re.search(r"Max-Age=[12]\b", r.header("Set-Cookie")), r.header("Set-Cookie")
        t0 = time.time()
        ended = None
        while time.time() - t0 < 4:
            r = with_cookie(s, "GET", "/api/v1/session", sid)
            if r.status != 200:
                ended = time.time() - t0
                assert_error(r, 401)
                break
            time.sleep(0.3)
        assert ended is not None, "the session outlived --session-max 2 while in use"
        assert 1.5 <= ended <= 2.8, f"session ended after {ended:.1f}s, want about 2s"
        assert_error(with_cookie(s, "GET", "/api/v1/session", sid), 401)


# ---- 5. API tokens ----


def test_token_create_use_list_revoke():
    with Server() as s:
        u = make_user(s, "clerk1")
        clerk_token = s.cli_token("clerk1")
        t = make_token(s, name="billing", expiresIn="30d")
        secret = t["token"]
        assert re.fullmatch(r"tcrm_[0-9a-f]{64}", secret), secret
        assert t["status"] == "active" and t["userLogin"] == ADMIN_LOGIN and t["@type"] == "ApiToken"
        assert t["href"] == "/api/v1/tokens/" + t["id"]
        exp = datetime.datetime.strptime(t["expirationDate"], "%Y-%m-%dT%H:%M:%S.%fZ")
        days = (exp - datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)).total_seconds() / 86400
        assert 29.9 < days < 30.1, t
        # use it
        r = s.get("/api/v1/session", auth=secret)
        assert r.status == 200 and r.json["via"] == "token", r
        assert r.json["user"]["login"] == ADMIN_LOGIN and "csrfToken" not in r.json, r
        # list and get never show a secret
        r = s.get("/api/v1/tokens")
        assert r.status == 200 and t["id"] in [x["id"] for x in r.json], r
        assert all("token" not in x for x in r.json), r.json
        assert "tcrm_" not in r.text and secret not in r.text
        g = s.get("/api/v1/tokens/" + t["id"])
        assert g.status == 200 and "token" not in g.json and secret not in g.text, g
        assert g.json["lastUsed"].endswith("Z"), g.json
        # Idempotency-Key is ignored here: each POST makes a new token, no replay
        h = {"Idempotency-Key": "tok-1"}
        a = s.post("/api/v1/tokens", {"name": "k"}, headers=h)
        b = s.post("/api/v1/tokens", {"name": "k"}, headers=h)
        assert a.status == b.status == 201, (a, b)
        assert a.json["id"] != b.json["id"] and a.json["token"] != b.json["token"], (a, b)
        assert not b.header("Idempotent-Replayed"), b.headers
        # a clerk sees only their own tokens; admin.users sees all in scope
        own = make_token(s, auth=clerk_token, name="mine")
        r = s.get("/api/v1/tokens", auth=clerk_token)
        assert {x["userLogin"] for x in r.json} == {"clerk1"}, r.json
        assert_error(s.get("/api/v1/tokens/" + t["id"], auth=clerk_token), 404)
        assert_error(s.delete("/api/v1/tokens/" + t["id"], auth=clerk_token), 404)
        assert own["id"] in [x["id"] for x in s.get("/api/v1/tokens?userId=" + u["id"]).json]
        # a clerk cannot mint a token for someone else
        assert_error(s.post("/api/v1/tokens", {"name": "x", "userId": s.get(
            "/api/v1/session").json["user"]["id"]}, auth=clerk_token), 403, "admin.users")
        # revoke: the next request with it is refused
        assert s.delete("/api/v1/tokens/" + t["id"]).status == 204
        assert_error(s.get("/api/v1/session", auth=secret), 401, "revoked")
        assert s.get("/api/v1/tokens/" + t["id"]).json["status"] == "revoked"
        assert s.delete("/api/v1/tokens/" + t["id"]).status == 204  # revoking again is fine
        assert_error(s.delete("/api/v1/tokens/no-such-token"), 404)
        # the owner revokes its own
        assert s.delete("/api/v1/tokens/" + own["id"], auth=own["token"]).status == 204
        assert_error(s.get("/api/v1/session", auth=own["token"]), 401)
        # validation
        for body, status in (({}, 400), ({"name": ""}, 400), ({"name": "x", "expiresIn": "3y"}, 400),
                             ({"name": "x", "expiresIn": "1000d"}, 400),
                             ({"name": "x", "expirationDate": "2001-01-01T00:00:00Z"}, 400),
                             ({"name": "x", "expiresIn": "1d", "expirationDate": iso_in(60)}, 400),
                             ({"name": "x", "scope": ["customer.fly"]}, 400),
                             ({"name": "x", "userId": "no-such-user"}, 400),
                             ({"name": "x", "scope": "customer.read"}, 400)):
            assert_error(s.post("/api/v1/tokens", body), status)


def test_token_expiry():
    with Server() as s:
        # seconds of margin: a loaded machine may take one to answer
        t = make_token(s, name="short", expirationDate=iso_in(4))
        assert s.get("/api/v1/session", auth=t["token"]).status == 200
        t2 = make_token(s, name="short2", expiresIn="4s")
        assert s.get("/api/v1/session", auth=t2["token"]).status == 200
        time.sleep(4.5)
        assert_error(s.get("/api/v1/session", auth=t["token"]), 401, "expired")
        assert_error(s.get("/api/v1/org-units", auth=t2["token"]), 401, "expired")
        assert s.get("/api/v1/tokens/" + t["id"]).json["status"] == "expired"


def test_scoped_token_narrows_permissions():
    with Server() as s:
        t = make_token(s, name="reader", scope=["customer.read"])
        assert t["scope"] == ["customer.read"], t
        r = s.get("/api/v1/session", auth=t["token"])
        assert r.status == 200 and r.json["permissions"] == ["customer.read"], r
        assert_error(s.post("/api/v1/org-units", {"id": "GD", "name": "x", "kind": "province",
                                                  "parentId": "HQ"}, auth=t["token"]),
                     403, "admin.org")
        assert_error(s.get("/api/v1/users", auth=t["token"]), 403, "admin.users")
        assert_error(s.get("/api/v1/audit", auth=t["token"]), 403, "audit.read")
        assert s.get("/api/v1/org-units", auth=t["token"]).status == 200
        # a scoped token cannot mint a broader one, nor a role beyond its scope
        assert_error(s.post("/api/v1/tokens", {"name": "wider", "scope": ["admin.org"]},
                            auth=t["token"]), 403)
        child = make_token(s, auth=t["token"], name="child")
        r = s.get("/api/v1/session", auth=child["token"])
        assert r.json["permissions"] == ["customer.read"], r
        # a clerk cannot ask for a scope beyond its role
        make_user(s, "clerk1")
        ct = s.cli_token("clerk1")
        assert_error(s.post("/api/v1/tokens", {"name": "x", "scope": ["pii.read"]}, auth=ct),
                     403, "pii.read")
        # nor can an admin give a clerk's token more than the clerk holds
        clerk_id = s.get("/api/v1/users?login=clerk1").json[0]["id"]
        assert_error(s.post("/api/v1/tokens", {"name": "x", "userId": clerk_id,
                                               "scope": ["admin.org"]}), 403)


def test_disabled_user_token_and_cli():
    with Server() as s:
        u = make_user(s, "billing1", roles=["agent"])
        rc, out, err = run_cli("token", "create", "--user", "billing1", "--name", "boss",
                               "--expires", "1h", "--scope", "customer.read", db=s.db)
        assert rc == 0, err
        cli_secret = out.strip()
        assert re.fullmatch(r"tcrm_[0-9a-f]{64}", cli_secret), out
        r = s.get("/api/v1/session", auth=cli_secret)
        assert r.status == 200 and r.json["user"]["login"] == "billing1", r
        assert r.json["permissions"] == ["customer.read"], r
        listed = s.get("/api/v1/tokens?userId=" + u["id"]).json
        assert [x["name"] for x in listed] == ["boss"] and "token" not in listed[0], listed
        api_token = make_token(s, userId=u["id"], name="api")["token"]
        sid, _ = must_login(s, "billing1", PASSWORD)
        # unknown user, bad scope: the CLI fails
        rc, _, err = run_cli("token", "create", "--user", "nobody", db=s.db)
        assert rc != 0 and "nobody" in err, err
        rc, _, err = run_cli("token", "create", "--user", "billing1", "--scope", "fly", db=s.db)
        assert rc != 0, err
        # disable via the CLI: tokens and sessions stop working
        rc, out, err = run_cli("user", "disable", "--login", "billing1", db=s.db)
        assert rc == 0 and "disabled" in out, (out, err)
        assert_error(s.get("/api/v1/session", auth=cli_secret), 401, "disabled")
        assert_error(s.get("/api/v1/session", auth=api_token), 401, "disabled")
        assert_error(with_cookie(s, "GET", "/api/v1/session", sid), 401)
        assert_error(login(s, "billing1", PASSWORD)[0], 401, "login or password is wrong")
        rc, _, err = run_cli("token", "create", "--user", "billing1", db=s.db)
        assert rc != 0 and "disabled" in err, err
        assert_error(s.post("/api/v1/tokens", {"name": "x", "userId": u["id"]}), 409)
        # re-enabled through the API: tokens work again, the session stays ended
        r = s.patch("/api/v1/users/" + u["id"], {"status": "active"})
        assert r.status == 200 and r.json["status"] == "active", r
        assert s.get("/api/v1/session", auth=cli_secret).status == 200
        assert_error(with_cookie(s, "GET", "/api/v1/session", sid), 401)
        # disable via the API
        assert s.patch("/api/v1/users/" + u["id"], {"status": "disabled"}).status == 200
        assert_error(s.get("/api/v1/session", auth=api_token), 401, "disabled")


# ---- 6. passwords ----


def test_token_memo_follows_changes():
    """Tokens are remembered per worker for moments: a change through the API applies to
    the very next request, one through the command line within two seconds."""
    with Server() as s:
        u = make_user(s, "memo1", roles=("clerk",))
        tok = make_token(s, userId=u["id"], name="memo")["token"]
        for _ in range(6):  # every worker thread has it now
            assert s.get("/api/v1/session", auth=tok).status == 200
        # a role change through the API: the next request has the new permissions
        r = s.patch("/api/v1/users/" + u["id"], {"roles": ["agent"]})
        assert r.status == 200, r
        for _ in range(4):
            assert "clerk" not in s.get("/api/v1/session", auth=tok).json["user"]["roles"]
        for _ in range(6):
            assert s.get("/api/v1/session", auth=tok).status == 200
        # a role's own permissions changed: the next request has them, other writes between
        # (which leave the memo alone) or not
        r = s.post("/api/v1/roles", {"id": "memo_reader", "name": "Memo reader",
                                     "permissions": ["customer.read"]})
        assert r.status == 201, r
        assert s.patch("/api/v1/users/" + u["id"], {"roles": ["memo_reader"]}).status == 200
        for _ in range(6):
            assert s.get("/tmf-api/customerManagement/v4/customer", auth=tok).status == 200
        assert s.post("/tmf-api/party/v4/individual",
                      {"givenName": "伟", "familyName": "王"}).status == 201
        assert s.get("/tmf-api/customerManagement/v4/customer", auth=tok).status == 200
        r = s.patch("/api/v1/roles/memo_reader", {"permissions": ["audit.read"]})
        assert r.status == 200, r
        for _ in range(4):
            assert_error(s.get("/tmf-api/customerManagement/v4/customer", auth=tok), 403,
                         "customer.read")
        rc, out, err = run_cli("user", "disable", "--login", "memo1", db=s.db)
        assert rc == 0, err
        time.sleep(2.1)
        for _ in range(4):
            assert_error(s.get("/api/v1/session", auth=tok), 401, "disabled")


def test_password_change():
    with Server(args=["--login-rate", "0"]) as s:
        make_user(s, "clerk1")
        sid, csrf = must_login(s, "clerk1", PASSWORD)
        sid_other, _ = must_login(s, "clerk1", PASSWORD)
        token = s.cli_token("clerk1")
        path = "/api/v1/session/password"
        new = "Better-pass-2027"
        cases = [
            ({"currentPassword": "Wrong-pass-2026", "newPassword": new}, 400, "current password"),
            ({"currentPassword": PASSWORD, "newPassword": "short1"}, 400, "at least"),
            ({"currentPassword": PASSWORD, "newPassword": "onlyletterslong"}, 400, "letters and digits"),
            ({"currentPassword": PASSWORD, "newPassword": "1234567890123"}, 400, "letters and digits"),
            ({"currentPassword": PASSWORD, "newPassword": "a1" * 65}, 400, "at most"),
            ({"currentPassword": PASSWORD}, 400, None),
            ({"currentPassword": PASSWORD, "newPassword": 1234567890}, 400, None),
        ]
        for body, status, msg in cases:
            assert_error(with_cookie(s, "POST", path, sid, csrf, body=body), status, msg)
        assert_error(with_cookie(s, "POST", path, sid, None,
                                 body={"currentPassword": PASSWORD, "newPassword": new}), 403)
        # nothing changed so far
        must_login(s, "clerk1", PASSWORD)
        r = with_cookie(s, "POST", path, sid, csrf,
                        body={"currentPassword": PASSWORD, "newPassword": new})
        assert r.status == 204 and r.text == "", r
        # this session goes on, the other one ended; the old password fails
        assert with_cookie(s, "GET", "/api/v1/session", sid).status == 200
        assert_error(with_cookie(s, "GET", "/api/v1/session", sid_other), 401)
        assert_error(login(s, "clerk1", PASSWORD)[0], 401, "login or password is wrong")
        must_login(s, "clerk1", new)
        # a token cannot change its user's password (a scoped token handed to another
        # system must not become a way to guess it); the token keeps working
        assert_error(s.post(path, {"currentPassword": new, "newPassword": "Third-pass-2028"},
                            auth=token), 403, "session")
        assert s.get("/api/v1/session", auth=token).status == 200
        must_login(s, "clerk1", new)
        # the password must not be the login (case-insensitively)
        make_user(s, "zhangwei2026")
        zsid, zcsrf = must_login(s, "zhangwei2026", PASSWORD)
        for pw in ("zhangwei2026", "ZhangWei2026"):
            assert_error(with_cookie(s, "POST", path, zsid, zcsrf,
                                     body={"currentPassword": PASSWORD, "newPassword": pw}),
                         400, "must not be the login")


def test_admin_password_reset():
    with Server(args=["--login-rate", "0"]) as s:
        u = make_user(s, "clerk1")
        sid, _ = must_login(s, "clerk1", PASSWORD)
        token = s.cli_token("clerk1")
        url = "/api/v1/users/" + u["id"]
        assert_error(s.patch(url, {"password": "short1"}), 400, "at least")
        assert_error(s.patch(url, {"password": "clerk1"}), 400)
        assert_error(s.patch(url, {"password": 1234567890}), 400)
        r = s.patch(url, {"password": "Reset-pass-2027"})
        assert r.status == 200 and "password" not in r.json, r
        assert r.json["version"] == u["version"] + 1, r
        assert_error(with_cookie(s, "GET", "/api/v1/session", sid), 401)
        assert_error(login(s, "clerk1", PASSWORD)[0], 401, "login or password is wrong")
        must_login(s, "clerk1", "Reset-pass-2027")
        # API tokens are not sessions: they keep working
        assert s.get("/api/v1/session", auth=token).status == 200
        # the CLI resets too
        rc, out, err = run_cli("user", "passwd", "--login", "clerk1", "--password-stdin",
                               db=s.db, input="Cli-reset-2028\n")
        assert rc == 0, err
        must_login(s, "clerk1", "Cli-reset-2028")
        # a clerk cannot reset anybody
        assert_error(s.patch("/api/v1/users/" + s.get("/api/v1/session").json["user"]["id"],
                             {"password": "Hacked-pass-2027"}, auth=token), 403)
        must_login(s, ADMIN_LOGIN, ADMIN_PASSWORD)
        rows = audit(s, resource="user", resourceId=u["id"])
        assert "update.password" in [x["action"] for x in rows], rows


def test_users_api_validation_filters_and_if_match():
    with Server() as s:
        make_unit(s, "GD", "province", "HQ")
        u = make_user(s, "clerk1", org="GD", mobile="13812345678")
        assert u["href"] == "/api/v1/users/" + u["id"] and u["@type"] == "User", u
        assert "password" not in u and u["status"] == "active" and u["version"] == 1, u
        base = {"login": "clerk2", "displayName": "C2", "orgId": "GD", "roles": ["clerk"],
                "password": PASSWORD}
        cases = [
            (dict(base, login="clerk1"), 409, None),
            (dict(base, login="Clerk2"), 400, "may hold only"),
            (dict(base, login="-clerk"), 400, "may hold only"),
            (dict(base, login="c"), 400, "at least 2"),
            (dict(base, password="short1"), 400, "at least"),
            (dict(base, password="nodigitsatall"), 400, "letters and digits"),
            (dict(base, login="clerk2clerk2", password="clerk2clerk2"), 400, "not be the login"),
            (dict(base, orgId="ZZ"), 400, "not found"),
            (dict(base, roles=["wizard"]), 400, "unknown role"),
            (dict(base, roles="clerk"), 400, None),
            (dict(base, status="sleeping"), 400, None),
            (dict(base, mobile="call me"), 400, "phone"),
            (dict(base, email="not-an-email"), 400, "e-mail"),
            (dict(base, id="x"), 400, "'id' is set by the server"),
            ({k: v for k, v in base.items() if k != "password"}, 400, "'password'"),
        ]
        for body, status, msg in cases:
            assert_error(s.post("/api/v1/users", body), status, msg)
        assert s.get("/api/v1/users").header("X-Total-Count") == "2"
        make_user(s, "clerk2", org="GD", status="disabled")
        assert [x["login"] for x in s.get("/api/v1/users?login=clerk1").json] == ["clerk1"]
        assert [x["login"] for x in s.get("/api/v1/users?status=disabled").json] == ["clerk2"]
        assert sorted(x["login"] for x in s.get("/api/v1/users?orgId=GD").json) == \
            ["clerk1", "clerk2"]
        assert [x["login"] for x in s.get("/api/v1/users?displayName=Clerk1").json] == ["clerk1"]
        assert_error(s.get("/api/v1/users?password=x"), 400)
        assert_error(s.get("/api/v1/users/no-such-id"), 404)
        url = "/api/v1/users/" + u["id"]
        r = s.get(url)
        assert r.header("ETag") == '"1"', r.headers
        r = s.patch(url, {"displayName": "One"}, headers={"If-Match": '"1"'})
        assert r.status == 200 and r.json["version"] == 2 and r.header("ETag") == '"2"', r
        assert_error(s.patch(url, {"displayName": "Two"}, headers={"If-Match": '"1"'}), 412)
        assert s.get(url).json["displayName"] == "One"
        for patch in ({"login": "renamed"}, {"locked": "no"}, {"status": "gone"},
                      {"roles": ["wizard"]}, {"orgId": "ZZ"}, {"permissions": ["admin.users"]}):
            assert_error(s.patch(url, patch), 400)
        assert_error(s.patch("/api/v1/users/no-such-id", {"displayName": "x"}), 404)


# ---- 7. rate limits ----


def test_login_rate_limit_per_address():
    with Server(args=["--login-rate", "3"]) as s:
        statuses = [login(s, ADMIN_LOGIN, ADMIN_PASSWORD if i % 2 else "Wrong-pass-2026")[0]
                    for i in range(3)]
        assert [r.status for r in statuses] == [401, 201, 401], statuses
        r, sid, _ = login(s, ADMIN_LOGIN, ADMIN_PASSWORD)
        assert_error(r, 429, "too many login attempts")
        assert sid is None
        retry = int(r.header("Retry-After"))
        assert 1 <= retry <= 60, r.headers
        assert_error(login(s, "nobody", "Wrong-pass-2026")[0], 429)
        # other requests (with credentials) are not affected by the login limit
        assert s.get("/api/v1/session").status == 200


def test_request_rate_limit_per_caller():
    with Server(args=["--rate-limit", "2"]) as s:
        other = s.cli_token(ADMIN_LOGIN, "--name", "other")
        got = [s.get("/api/v1/org-units") for _ in range(8)]
        codes = [r.status for r in got]
        assert codes[:4] == [200] * 4, codes
        assert 429 in codes, f"8 requests at once with --rate-limit 2 (burst 4): {codes}"
        limited = next(r for r in got if r.status == 429)
        assert_error(limited, 429, "too many requests")
        assert int(limited.header("Retry-After")) >= 1, limited.headers
        # the budget is the user's, whatever credential: another token of the same user
        # shares it; /healthz is never limited
        assert_error(s.get("/api/v1/org-units", auth=other), 429, "too many requests")
        assert all(s.get("/healthz", auth=None).status == 200 for _ in range(10))
        # the bucket refills at 2 per second
        time.sleep(1.1)
        assert s.get("/api/v1/org-units").status == 200


# ---- 8. roles ----


def test_roles_api():
    with Server() as s:
        r = s.get("/api/v1/roles")
        assert r.status == 200, r
        ids = [x["id"] for x in r.json]
        for rid in ("clerk", "agent", "account_manager", "service", "marketing", "sales",
                    "analyst", "manager", "admin"):
            assert rid in ids, ids
        assert all(x["builtin"] for x in r.json), r.json
        clerk = s.get("/api/v1/roles/clerk").json
        assert clerk["permissions"] == ["customer.read", "customer.write", "order.create",
                                        "ticket.handle"], clerk
        perms = s.get("/api/v1/permissions")
        assert perms.status == 200 and perms.header("X-Total-Count") == "16", perms
        assert {"customer.read", "admin.users", "pii.read", "metrics.read"} <= \
            {p["name"] for p in perms.json}, perms.json
        assert all(p["description"] for p in perms.json)
        # any user may read roles
        make_user(s, "clerk1")
        ct = s.cli_token("clerk1")
        assert s.get("/api/v1/roles", auth=ct).status == 200
        assert s.get("/api/v1/roles/admin", auth=ct).status == 200
        assert s.get("/api/v1/permissions", auth=ct).status == 200
        body = {"id": "auditor", "name": "Auditor", "permissions": ["audit.read", "customer.read"]}
        assert_error(s.post("/api/v1/roles", body, auth=ct), 403, "admin.roles")
        # create
        r = s.post("/api/v1/roles", body)
        assert r.status == 201 and r.header("Location") == "/api/v1/roles/auditor", r
        assert r.json["permissions"] == ["customer.read", "audit.read"] and not r.json["builtin"]
        assert r.json["users"] == 0 and r.header("ETag") == '"1"', r
        assert_error(s.post("/api/v1/roles", body), 409)
        for bad, msg in (({"id": "x1", "name": "X", "permissions": ["fly.high"]}, "fly.high"),
                         ({"id": "X", "name": "X", "permissions": []}, None),
                         ({"id": "9x", "name": "X", "permissions": []}, None),
                         ({"id": "ok", "permissions": []}, "'name'"),
                         ({"id": "ok", "name": "X", "permissions": "audit.read"}, None),
                         ({"id": "ok", "name": "X", "permissions": [], "builtin": True}, "builtin")):
            assert_error(s.post("/api/v1/roles", bad), 400, msg)
        # patch with If-Match
        r = s.patch("/api/v1/roles/auditor", {"description": "reads the trail"},
                    headers={"If-Match": '"1"'})
        assert r.status == 200 and r.json["version"] == 2, r
        assert_error(s.patch("/api/v1/roles/auditor", {"name": "A"},
                             headers={"If-Match": '"1"'}), 412)
        assert_error(s.patch("/api/v1/roles/auditor", {"permissions": ["nope"]}), 400)
        assert_error(s.patch("/api/v1/roles/nope", {"name": "x"}), 404)
        # a role someone holds cannot be deleted; a built-in one never
        u = make_user(s, "aud1", roles=["auditor"])
        assert s.get("/api/v1/roles/auditor").json["users"] == 1
        assert_error(s.delete("/api/v1/roles/auditor"), 409)
        assert_error(s.delete("/api/v1/roles/clerk"), 409, "built in")
        assert_error(s.delete("/api/v1/roles/admin"), 409)
        assert s.get("/api/v1/roles/clerk").status == 200
        # built-in roles may be edited
        r = s.patch("/api/v1/roles/analyst", {"description": "studies churn"})
        assert r.status == 200 and r.json["builtin"], r
        s.patch("/api/v1/users/" + u["id"], {"roles": ["analyst"]})
        assert_error(s.delete("/api/v1/roles/auditor", headers={"If-Match": '"1"'}), 412)
        assert s.delete("/api/v1/roles/auditor", headers={"If-Match": '"2"'}).status == 204
        assert_error(s.get("/api/v1/roles/auditor"), 404)
        assert_error(s.delete("/api/v1/roles/auditor"), 404)
        # changing a role's permissions changes its holders' permissions
        r = s.post("/api/v1/roles", {"id": "viewer", "name": "V", "permissions": ["customer.read"]})
        assert r.status == 201, r
        make_user(s, "viewer1", roles=["viewer"])
        vt = s.cli_token("viewer1")
        assert_error(s.get("/api/v1/audit", auth=vt), 403)
        assert s.patch("/api/v1/roles/viewer", {"permissions": ["customer.read",
                                                                "audit.read"]}).status == 200
        assert s.get("/api/v1/audit", auth=vt).status == 200


def test_privilege_escalation_refused():
    with Server() as s:
        r = s.post("/api/v1/roles", {"id": "useradmin", "name": "User admin",
                                     "permissions": ["admin.users"]})
        assert r.status == 201, r
        r = s.post("/api/v1/roles", {"id": "roleadmin", "name": "Role admin",
                                     "permissions": ["admin.roles", "customer.read"]})
        assert r.status == 201, r
        ua = make_user(s, "ua1", roles=["useradmin"])
        ut = s.cli_token("ua1")
        ra = make_user(s, "ra1", roles=["roleadmin"])
        rt = s.cli_token("ra1")
        clerk = make_user(s, "clerk1")
        admin_id = s.get("/api/v1/session").json["user"]["id"]
        body = {"login": "evil1", "displayName": "E", "orgId": "HQ", "password": PASSWORD}
        # a user admin cannot grant roles beyond admin.users
        for roles in (["admin"], ["clerk"], ["useradmin", "clerk"], ["roleadmin"]):
            r = s.post("/api/v1/users", dict(body, roles=roles), auth=ut)
            assert_error(r, 403, "which you do not hold")
        assert_error(s.post("/api/v1/users", dict(body, roles=["nope"]), auth=ut), 400, "unknown role")
        assert s.get("/api/v1/users?login=evil1").json == []
        # but can create peers and role-less users
        r = s.post("/api/v1/users", dict(body, login="peer1", roles=["useradmin"]), auth=ut)
        assert r.status == 201, r
        r = s.post("/api/v1/users", dict(body, login="plain1", roles=[]), auth=ut)
        assert r.status == 201, r
        # cannot raise itself or others
        assert_error(s.patch("/api/v1/users/" + ua["id"], {"roles": ["admin"]}, auth=ut), 403)
        assert_error(s.patch("/api/v1/users/" + r.json["id"], {"roles": ["clerk"]}, auth=ut), 403)
        # cannot change users holding more than it does (take over the admin, lock out a clerk)
        for target, patch in ((admin_id, {"password": "Taken-over-2026"}),
                              (admin_id, {"status": "disabled"}),
                              (clerk["id"], {"displayName": "x"}),
                              (clerk["id"], {"roles": []})):
            assert_error(s.patch("/api/v1/users/" + target, patch, auth=ut), 403)
        must = s.get("/api/v1/users/" + admin_id).json
        assert must["status"] == "active" and must["roles"] == ["admin"], must
        assert s.get("/api/v1/users/" + clerk["id"]).json["roles"] == ["clerk"]
        # nor mint a token for the admin
        assert_error(s.post("/api/v1/tokens", {"name": "x", "userId": admin_id}, auth=ut), 403)
        assert_error(s.post("/api/v1/tokens", {"name": "x", "userId": clerk["id"],
                                               "scope": ["customer.read"]}, auth=ut), 403)
        # a role admin cannot create or widen roles beyond what it holds
        assert_error(s.post("/api/v1/roles", {"id": "big", "name": "B",
                                              "permissions": ["admin.users"]}, auth=rt), 403)
        assert_error(s.patch("/api/v1/roles/roleadmin", {"permissions": ["admin.roles",
                                                                        "customer.read",
                                                                        "admin.users"]},
                             auth=rt), 403)
        assert_error(s.patch("/api/v1/roles/admin", {"name": "pwned"}, auth=rt), 403)
        assert_error(s.patch("/api/v1/roles/clerk", {"permissions": ["customer.read"]},
                             auth=rt), 403)
        r = s.post("/api/v1/roles", {"id": "small", "name": "S", "permissions": ["customer.read"]},
                   auth=rt)
        assert r.status == 201, r
        assert s.delete("/api/v1/roles/small", auth=rt).status == 204
        assert s.get("/api/v1/roles/admin").json["name"] == "Administrator"
        assert s.get("/api/v1/roles/roleadmin").json["permissions"] == ["customer.read",
                                                                        "admin.roles"]
        # the refusals left deny rows only for route permissions, the rest changed nothing
        assert ra["roles"] == ["roleadmin"]


def test_token_of_a_more_privileged_user_cannot_be_revoked():
    """Changing a user needs every permission the user holds (PATCH is refused with 403);
    revoking the user's API token changes that user as much and must be refused too."""
    with Server() as s:
        r = s.post("/api/v1/roles", {"id": "useradmin", "name": "User admin",
                                     "permissions": ["admin.users"]})
        assert r.status == 201, r
        make_user(s, "ua1", roles=["useradmin"])
        ut = s.cli_token("ua1")
        plain = make_user(s, "plain1", roles=[])
        plain_token = make_token(s, userId=plain["id"], name="plain")
        admin_token = make_token(s, name="integration")
        admin_id = s.get("/api/v1/session").json["user"]["id"]
        assert_error(s.patch("/api/v1/users/" + admin_id, {"displayName": "x"}, auth=ut), 403)
        r = s.delete("/api/v1/tokens/" + admin_token["id"], auth=ut)
        assert r.status == 403, f"a user admin revoked the administrator's token: {r}"
        assert s.get("/api/v1/session", auth=admin_token["token"]).status == 200
        assert s.get("/api/v1/tokens/" + admin_token["id"]).json["status"] == "active"
        # a user within its rights: allowed
        assert s.delete("/api/v1/tokens/" + plain_token["id"], auth=ut).status == 204
        assert_error(s.get("/api/v1/session", auth=plain_token["token"]), 401)


# ---- 9. masking ----


def test_pii_masking_and_echo():
    with Server() as s:
        r = s.post("/api/v1/roles", {"id": "useradmin", "name": "User admin",
                                     "permissions": ["admin.users"]})
        assert r.status == 201, r
        make_user(s, "ua1", roles=["useradmin"])
        ut = s.cli_token("ua1")
        t = make_user(s, "zhang1", roles=[], mobile="13812345678", email="zhangwei@example.com")
        url = "/api/v1/users/" + t["id"]
        assert t["mobile"] == "13812345678" and t["email"] == "zhangwei@example.com", t
        a = s.get(url).json
        assert a["mobile"] == "13812345678" and a["email"] == "zhangwei@example.com", a
        m = s.get(url, auth=ut)
        assert m.status == 200, m
        assert m.json["mobile"] == "138****5678" and m.json["email"] == "z***@example.com", m
        assert "13812345678" not in m.text and "zhangwei" not in m.text, m
        lst = s.get("/api/v1/users?login=zhang1", auth=ut)
        assert lst.json[0]["mobile"] == "138****5678", lst
        assert "13812345678" not in lst.text and "zhangwei@" not in lst.text
        # the audit trail is not a side door (ua1 has no audit.read anyway)
        assert_error(s.get("/api/v1/audit", auth=ut), 403)
        # echo round trip: the masked values sent back keep the stored ones
        r = s.patch(url, {"mobile": m.json["mobile"], "email": m.json["email"],
                          "displayName": "Zhang Wei"}, auth=ut)
        assert r.status == 200 and r.json["mobile"] == "138****5678", r
        a = s.get(url).json
        assert a["mobile"] == "13812345678" and a["email"] == "zhangwei@example.com", a
        assert a["displayName"] == "Zhang Wei"
        # a whole GET body sent back (what a form does) keeps them as well
        full = {k: m.json[k] for k in ("displayName", "orgId", "mobile", "email", "status")}
        assert s.patch(url, full, auth=ut).status == 200
        a = s.get(url).json
        assert a["mobile"] == "13812345678" and a["email"] == "zhangwei@example.com", a
        # another masked-looking value is refused
        for patch in ({"mobile": "139****5678"}, {"mobile": "138****0000"},
                      {"email": "x***@example.com"}, {"email": "z***@other.com"},
                      {"mobile": "*"}, {"email": "***"}):
            assert_error(s.patch(url, patch, auth=ut), 400, "masked")
        a = s.get(url).json
        assert a["mobile"] == "13812345678" and a["email"] == "zhangwei@example.com", a
        # a clear value is written; an admin may store a value with '*'? no: not a phone
        r = s.patch(url, {"mobile": "13900001111"}, auth=ut)
        assert r.status == 200 and r.json["mobile"] == "139****1111", r
        assert s.get(url).json["mobile"] == "13900001111"
        assert_error(s.patch(url, {"mobile": "139****1111"}), 400)
        assert s.get(url).json["mobile"] == "13900001111"
        # clearing works
        r = s.patch(url, {"email": None}, auth=ut)
        assert r.status == 200 and "email" not in r.json, r
        # the session's own user is masked the same way
        sid, _ = must_login(s, "ua1", PASSWORD)
        me = with_cookie(s, "GET", "/api/v1/session", sid).json
        assert "pii.read" not in me["permissions"], me


def test_audit_trail_masks_pii_without_pii_read():
    """A manager reads the audit trail (audit.read) but not personal data (no pii.read):
    the before/after images of a user in the trail must not show the clear values."""
    with Server() as s:
        t = make_user(s, "zhang1", mobile="13812345678", email="zhangwei@example.com")
        assert s.patch("/api/v1/users/" + t["id"], {"mobile": "13900001111"}).status == 200
        make_user(s, "mgr1", roles=["manager"])
        mt = s.cli_token("mgr1")
        assert s.get("/api/v1/users/" + t["id"], auth=mt).status == 403
        r = s.get("/api/v1/audit?resource=user&resourceId=" + t["id"], auth=mt)
        assert r.status == 200 and [x["action"] for x in r.json] == ["update", "create"], r
        for clear in ("13812345678", "13900001111", "zhangwei@example.com"):
            assert clear not in r.text, \
                f"GET /api/v1/audit shows '{clear}' to a caller without pii.read"
        images = [x[k] for x in r.json for k in ("before", "after") if x.get(k)]
        for im in images:
            assert im.get("mobile") in (None, "138****5678", "139****1111"), im
            assert im.get("email") in (None, "z***@example.com"), im
        # the administrator (pii.read) sees the clear values
        a = s.get("/api/v1/audit?resource=user&resourceId=" + t["id"])
        assert "13812345678" in a.text and "13900001111" in a.text, a


# ---- 10. audit ----


def test_audit_rows_for_identity_events():
    with Server(args=["--login-rate", "0"]) as s:
        make_unit(s, "GD", "province", "HQ")
        u = make_user(s, "clerk1", org="GD")
        assert s.patch("/api/v1/users/" + u["id"], {"displayName": "Clerk One"}).status == 200
        must_login(s, "clerk1", PASSWORD)
        assert_error(login(s, "clerk1", "Wrong-pass-2026")[0], 401)
        assert_error(login(s, "ghost", "Wrong-pass-2026")[0], 401)
        ct = s.cli_token("clerk1")
        assert_error(s.get("/api/v1/users", auth=ct), 403)
        t = make_token(s, name="to-revoke", userId=u["id"], scope=["customer.read"])
        assert s.delete("/api/v1/tokens/" + t["id"]).status == 204
        sid, csrf = must_login(s, "clerk1", PASSWORD)
        assert with_cookie(s, "DELETE", "/api/v1/session", sid, csrf).status == 204

        rows = audit(s)
        seqs = [x["seq"] for x in rows]
        assert seqs == sorted(seqs, reverse=True), "audit is not newest first"

        def find(action, resource, rid, actor=None):
            hits = [x for x in rows if x["action"] == action and x["resource"] == resource
                    and x.get("resourceId") == rid and (actor is None or x["actor"] == actor)]
            assert hits, f"no audit row {action} {resource} {rid} by {actor}: " + json.dumps(
                [(x["action"], x["resource"], x.get("resourceId"), x["actor"]) for x in rows])
            return hits[0]

        c = find("create", "user", u["id"], ADMIN_LOGIN)
        assert c["after"]["login"] == "clerk1" and c["orgPath"] == "/HQ/GD/", c
        up = find("update", "user", u["id"], ADMIN_LOGIN)
        assert up["before"]["displayName"] == "Clerk1" and up["after"]["displayName"] == "Clerk One"
        assert up["requestId"] and up["at"].endswith("Z"), up
        lg = find("login", "user", "clerk1", "clerk1")
        assert lg["orgPath"] == "/HQ/GD/", lg
        lf = find("login.fail", "user", "clerk1")
        assert lf["after"]["reason"] == "wrong password", lf
        d = find("deny", "route", "GET /api/v1/users", "clerk1")
        assert "admin.users" in json.dumps(d), d
        tc = find("create", "apiToken", t["id"], ADMIN_LOGIN)
        assert tc["after"]["userLogin"] == "clerk1" and "token" not in tc["after"], tc
        assert tc["orgPath"] == "/HQ/GD/", tc
        find("revoke", "apiToken", t["id"], ADMIN_LOGIN)
        find("logout", "user", "clerk1", "clerk1")
        find("token.use", "apiToken", s.get("/api/v1/tokens?userId=" + u["id"]).json[-1]["id"])
        # an unknown login is audited too (a spraying attack must be visible), without the
        # text typed (it may be a password)
        gl = find("login.fail", "user", None)
        assert gl["after"] == {"reason": "unknown login", "clientAddress": "127.0.0.1"}, gl
        assert "ghost" not in json.dumps(rows)
        # filters
        only = audit(s, action="login.fail")
        assert only and all(x["action"] == "login.fail" for x in only), only
        only = audit(s, actor="clerk1", resource="route")
        assert [x["action"] for x in only] == ["deny"], only
        first = rows[-1]["at"]
        assert audit(s, **{"at.lt": first}) == []
        assert len(audit(s, **{"at.gte": first})) == len(rows)


def test_audit_read_permission_and_scope():
    with Server(args=["--login-rate", "0"]) as s:
        for code, kind, parent in (("GD", "province", "HQ"), ("GD-GZ", "city", "GD"),
                                   ("BJ", "province", "HQ")):
            make_unit(s, code, kind, parent)
        gd_clerk = make_user(s, "gdclerk", org="GD-GZ")
        bj_clerk = make_user(s, "bjclerk", org="BJ")
        hq_clerk = make_user(s, "hqclerk", org="HQ")
        make_user(s, "gdmgr", org="GD", roles=["manager"])
        mt = s.cli_token("gdmgr")
        ct = s.cli_token("gdclerk")
        # audit.read required
        assert_error(s.get("/api/v1/audit", auth=ct), 403, "audit.read")
        # activity everywhere
        for who in ("gdclerk", "bjclerk", "hqclerk"):
            must_login(s, who, PASSWORD)
        s.patch("/api/v1/users/" + bj_clerk["id"], {"displayName": "BJ"})
        s.patch("/api/v1/users/" + hq_clerk["id"], {"displayName": "HQ"})
        s.patch("/api/v1/users/" + gd_clerk["id"], {"displayName": "GD"})
        t = make_token(s, userId=gd_clerk["id"], name="gd-token")
        assert s.delete("/api/v1/tokens/" + t["id"]).status == 204
        # the province manager sees its subtree only
        rows = audit(s, auth=mt)
        assert rows, "a province audit reader sees nothing"
        outside = [x for x in rows if not x["orgPath"].startswith("/HQ/GD/")]
        assert not outside, f"rows outside /HQ/GD/: {outside}"
        ids = {(x["action"], x["resourceId"]) for x in rows}
        assert ("create", gd_clerk["id"]) in ids and ("update", gd_clerk["id"]) in ids, ids
        assert ("login", "gdclerk") in ids, ids
        assert ("create", bj_clerk["id"]) not in ids and ("login", "bjclerk") not in ids
        assert ("login", "hqclerk") not in ids
        # a token of a user in GD, created and revoked at HQ: both rows are the user's
        assert ("create", t["id"]) in ids, ids
        assert ("revoke", t["id"]) in ids, \
            "the revocation of a GD user's token is not in GD's audit trail"
        # HQ sees everything, including role changes
        assert s.post("/api/v1/roles", {"id": "viewer", "name": "V",
                                        "permissions": ["customer.read"]}).status == 201
        all_rows = audit(s)
        assert ("login", "bjclerk") in {(x["action"], x["resourceId"]) for x in all_rows}
        assert [x for x in all_rows if x["resource"] == "role"], \
            "role changes are not visible in the audit trail, even at HQ"


# ---- 11. secrets never leak ----


def test_secrets_never_leak():
    with Server(args=["--login-rate", "0", "--log-level", "debug"]) as s:
        secrets = {ADMIN_PASSWORD: "admin password", s.token: "harness token"}

        def keep(value, what):
            assert value and len(value) >= 10, what
            secrets[value] = what
            return value

        make_unit(s, "GD", "province", "HQ")
        u = make_user(s, "clerk1", org="GD", password=keep("Clerk-pass-2026", "clerk password"),
                      mobile="13812345678")
        sid, csrf = must_login(s, "clerk1", "Clerk-pass-2026")
        keep(sid, "session id")
        keep(csrf, "csrf token")  # not stored as a hash, but never logged or audited
        sid2, _ = must_login(s, ADMIN_LOGIN, ADMIN_PASSWORD)
        keep(sid2, "admin session id")
        for wrong in ("Wrong-pass-2026", "Almost-Clerk-pass-2026"):
            assert_error(login(s, "clerk1", keep(wrong, "wrong password"))[0], 401)
        assert_error(login(s, "nobody", keep("Guess-pass-2026", "guessed password"))[0], 401)
        r = with_cookie(s, "POST", "/api/v1/session/password", sid, csrf,
                        body={"currentPassword": "Clerk-pass-2026",
                              "newPassword": keep("Changed-pass-2027", "new password")})
        assert r.status == 204, r
        assert_error(with_cookie(s, "POST", "/api/v1/session/password", sid, csrf,
                                 body={"currentPassword": keep("Bad-current-2026", "bad current"),
                                       "newPassword": keep("Never-set-2027", "refused new")}), 400)
        assert_error(s.patch("/api/v1/users/" + u["id"],
                             {"password": keep("weakpasswordonly", "weak reset")}), 400)
        r = s.patch("/api/v1/users/" + u["id"], {"password": keep("Reset-pass-2028", "reset")},
                    headers={"Idempotency-Key": "reset-1"})
        assert r.status == 200, r
        r = s.post("/api/v1/users", {"login": "clerk2", "displayName": "C2", "orgId": "GD",
                                     "roles": ["clerk"],
                                     "password": keep("Second-pass-2026", "clerk2 password")},
                   headers={"Idempotency-Key": "create-clerk2"})
        assert r.status == 201, r
        t = make_token(s, name="billing", userId=u["id"])
        keep(t["token"], "api token")
        t2 = s.post("/api/v1/tokens", {"name": "idem"}, headers={"Idempotency-Key": "tok"}).json
        keep(t2["token"], "api token with idempotency key")
        keep(s.cli_token("clerk2", "--name", "cli"), "cli token")
        assert s.get("/api/v1/session", auth=t["token"]).status == 200
        assert s.get("/api/v1/session", auth=t2["token"]).status == 200
        assert s.delete("/api/v1/tokens/" + t["id"]).status == 204
        assert_error(s.get("/api/v1/session", auth=t["token"]), 401)
        sid3, csrf3 = must_login(s, "clerk2", "Second-pass-2026")
        keep(sid3, "clerk2 session")
        assert with_cookie(s, "DELETE", "/api/v1/session", sid3, csrf3).status == 204
        assert_error(with_cookie(s, "POST", "/api/v1/org-units", sid2, None,
                                 body={"id": "X", "name": "x", "kind": "province",
                                       "parentId": "HQ"}), 403)

        def check(text, where):
            for value, what in secrets.items():
                if what == "csrf token" and where.startswith("GET /api/v1/session"):
                    continue
                assert value not in text, f"{what} appears in {where}"

        responses = {
            "users list": s.get("/api/v1/users").text,
            "user": s.get("/api/v1/users/" + u["id"]).text,
            "tokens list": s.get("/api/v1/tokens?limit=1000").text,
            "token": s.get("/api/v1/tokens/" + t["id"]).text,
            "audit": s.get("/api/v1/audit?limit=1000").text,
            "session (token)": s.get("/api/v1/session").text,
        }
        assert "token.use" in responses["audit"] and "login.fail" in responses["audit"]
        for where, text in responses.items():
            check(text, where)
        check(s.read_log(), "the server log")
        s.stop()
        blobs = harness.database_bytes(s.db)
        assert len(blobs) > 4096, "database file not found"
        dbtext = blobs.decode("latin-1")
        for value, what in secrets.items():
            if what == "csrf token":
                continue  # the CSRF token is stored as such; it is no credential alone
            assert value not in dbtext, f"{what} appears in the database file"
        # the hashes are there
        assert "$argon2id$" in dbtext
        s.start()


# ---- hardening: ways round the rules that are closed ----


def test_token_made_for_another_user_does_not_grow():
    """A user administrator's token for a clerk is pinned to what both hold at creation;
    promoting the clerk later does not lift the token above its maker."""
    with Server() as s:
        assert s.post("/api/v1/roles", {"id": "useradmin", "name": "U",
                                        "permissions": ["admin.users", "customer.read"]}).status == 201
        assert s.post("/api/v1/roles", {"id": "reader", "name": "R",
                                        "permissions": ["customer.read"]}).status == 201
        make_user(s, "uadm", roles=["useradmin"])
        target = make_user(s, "reader1", roles=["reader"])
        ut = s.cli_token("uadm")
        r = s.post("/api/v1/tokens", {"name": "for reader", "userId": target["id"]}, auth=ut)
        assert r.status == 201 and r.json["scope"] == ["customer.read"], r
        made = r.json["token"]
        assert s.patch("/api/v1/users/" + target["id"], {"roles": ["admin"]}).status == 200
        assert_error(s.get("/api/v1/audit", auth=made), 403)
        assert s.get("/api/v1/org-units", auth=made).status == 200


def test_no_token_for_a_more_privileged_user():
    with Server() as s:
        assert s.post("/api/v1/roles", {"id": "useradmin", "name": "U",
                                        "permissions": ["admin.users", "customer.read"]}).status == 201
        make_user(s, "uadm", roles=["useradmin"])
        admin_id = s.get("/api/v1/session").json["user"]["id"]
        ut = s.cli_token("uadm")
        assert_error(s.post("/api/v1/tokens", {"name": "x", "userId": admin_id,
                                               "scope": ["customer.read"]}, auth=ut),
                     403, "admin")


def test_wrong_current_password_counts_towards_lockout():
    with Server(args=["--lockout-attempts", "2", "--login-rate", "0"]) as s:
        make_user(s, "clerk1")
        sid, csrf = must_login(s, "clerk1", PASSWORD)
        for _ in range(2):
            assert_error(with_cookie(s, "POST", "/api/v1/session/password", sid, csrf,
                                     body={"currentPassword": "Guess-pass-0001",
                                           "newPassword": "Another-pass-2027"}),
                         400, "current password")
        assert_error(login(s, "clerk1", PASSWORD)[0], 401, "locked")


def test_text_that_is_not_utf8_is_refused():
    with Server() as s:
        r = s.post("/api/v1/session", raw=b'{"login":"ad\xff\xfemin","password":"x"}',
                   headers={"Content-Type": "application/json"}, auth=None)
        assert_error(r, 400, "not valid UTF-8")
        # nothing reached the audit trail
        rows = s.get("/api/v1/audit?action=login.fail").json
        assert rows == [], rows


harness.main(globals())
