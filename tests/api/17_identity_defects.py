"""Identity regressions: a role granting every permission and long role ids (a string
array's item count is not its items' length), no change may leave nobody able to manage
roles (and `telcrm role` to recover from the command line), a failed login with an unknown
name leaves no trace of the text typed, and raw control characters in JSON strings are
refused."""

import re

import harness
from harness import ADMIN_LOGIN, Server, assert_error, run_cli

PASSWORD = "Clerk-pass-2026"


def make_user(s, login_name, roles=("clerk",), org="HQ", auth="admin"):
    r = s.post("/api/v1/users", {"login": login_name, "displayName": login_name.title(),
                                 "orgId": org, "roles": list(roles), "password": PASSWORD},
               auth=auth)
    assert r.status == 201, f"cannot create {login_name}: {r}"
    return r.json


def user_id(s, login_name):
    r = s.get("/api/v1/users?login=" + login_name)
    assert r.status == 200 and len(r.json) == 1, r
    return r.json[0]["id"]


def audit_text(s, **filters):
    q = "&".join(f"{k}={v}" for k, v in filters.items())
    r = s.get("/api/v1/audit?limit=1000" + ("&" + q if q else ""))
    assert r.status == 200, r
    return r.json, r.text


# ---- 1. string arrays: the item count and the items' length are separate limits ----


def test_role_with_every_permission():
    with Server() as s:
        r = s.get("/api/v1/permissions")
        assert r.status == 200, r
        every = [p["name"] for p in r.json]
        assert "campaign.manage" in every and len(every) >= 14, every
        r = s.post("/api/v1/roles", {"id": "superuser", "name": "Everything",
                                     "permissions": every})
        assert r.status == 201, r
        assert sorted(r.json["permissions"]) == sorted(every), r.json
        # the built-in admin role can be saved back as it is
        admin = s.get("/api/v1/roles/admin").json
        r = s.patch("/api/v1/roles/admin", {"permissions": admin["permissions"]})
        assert r.status == 200 and len(r.json["permissions"]) == len(every), r
        # and a role granted campaign.manage alone
        r = s.post("/api/v1/roles", {"id": "campaigns", "name": "Campaigns",
                                     "permissions": ["campaign.manage"]})
        assert r.status == 201 and r.json["permissions"] == ["campaign.manage"], r
        # a token scoped to every permission
        r = s.post("/api/v1/tokens", {"name": "all", "scope": every})
        assert r.status == 201 and len(r.json["scope"]) == len(every), r
        # limits still hold, with messages that say which
        assert_error(s.post("/api/v1/roles", {"id": "toomany", "name": "x",
                                              "permissions": every + ["customer.read"]}),
                     400, "'permissions' has more than %d items" % len(every))
        assert_error(s.post("/api/v1/roles", {"id": "toolong", "name": "x",
                                              "permissions": ["p" * 257]}),
                     400, "'permissions[0]' is longer than 256 bytes")
        assert_error(s.post("/api/v1/roles", {"id": "unknown", "name": "x",
                                              "permissions": ["customer.reed"]}),
                     400, "unknown permission 'customer.reed'")


def test_long_role_id_assigned_to_a_user():
    with Server() as s:
        rid = "regional_campaign_supervisor_011"
        assert len(rid) == 32
        r = s.post("/api/v1/roles", {"id": rid, "name": "Supervisor",
                                     "permissions": ["customer.read", "campaign.manage"]})
        assert r.status == 201, r
        u = make_user(s, "zhou.min", roles=["clerk", rid])
        assert u["roles"] == sorted(["clerk", rid]), u
        assert "campaign.manage" in u["permissions"], u
        r = s.patch("/api/v1/users/" + u["id"], {"roles": [rid]})
        assert r.status == 200 and r.json["roles"] == [rid], r
        # a 33-byte id is refused when the role is made, and unknown when given
        assert_error(s.post("/api/v1/roles", {"id": rid + "x", "name": "x",
                                              "permissions": []}),
                     400, "'id' is longer than 32 bytes")
        assert_error(s.patch("/api/v1/users/" + u["id"], {"roles": [rid + "x"]}),
                     400, f"unknown role '{rid}x'")
        assert_error(s.patch("/api/v1/users/" + u["id"], {"roles": ["clerk"] * 17}),
                     400, "'roles' has more than 16 items")


# ---- 2. nobody may lock everyone out of role management ----

LOCKOUT = ("at least one active user at headquarters must keep a role granting "
           "'admin.roles'")


def test_the_last_role_administrator_is_kept():
    with Server() as s:
        admin_id = user_id(s, ADMIN_LOGIN)
        every = s.get("/api/v1/roles/admin").json["permissions"]
        fewer = [p for p in every if p != "admin.roles"]
        # admin is the only one: their role keeps admin.roles, they keep their role, stay
        # active and stay at headquarters
        assert_error(s.patch("/api/v1/roles/admin", {"permissions": fewer}), 409, LOCKOUT)
        for change in ({"roles": ["clerk"]}, {"roles": []}, {"status": "disabled"}):
            assert_error(s.patch("/api/v1/users/" + admin_id, change), 409, LOCKOUT)
        assert s.post("/api/v1/org-units", {"id": "GD", "name": "GD", "kind": "province",
                                            "parentId": "HQ"}).status == 201
        assert_error(s.patch("/api/v1/users/" + admin_id, {"orgId": "GD"}), 409, LOCKOUT)
        # an administrator in a province cannot change roles, so does not count
        make_user(s, "gd.admin", roles=["admin"], org="GD")
        assert_error(s.patch("/api/v1/roles/admin", {"permissions": fewer}), 409, LOCKOUT)
        # nothing was changed by the refusals
        assert sorted(s.get("/api/v1/roles/admin").json["permissions"]) == sorted(every)
        me = s.get("/api/v1/users/" + admin_id).json
        assert me["roles"] == ["admin"] and me["status"] == "active" and me["orgId"] == "HQ"
        refused = [x for x in audit_text(s, action="update")[0]
                   if x["resourceId"] in ("admin", admin_id)]
        assert refused == [], refused
        # other changes to them still go through
        assert s.patch("/api/v1/users/" + admin_id, {"displayName": "Chief"}).status == 200

        # with a second administrator at headquarters either may step down, not both
        second = make_user(s, "second", roles=["admin"])
        assert s.patch("/api/v1/users/" + second["id"], {"status": "disabled"}).status == 200
        assert_error(s.patch("/api/v1/users/" + admin_id, {"status": "disabled"}), 409, LOCKOUT)
        assert s.patch("/api/v1/users/" + second["id"], {"status": "active"}).status == 200
        st = s.cli_token("second")
        assert s.patch("/api/v1/users/" + admin_id, {"roles": ["clerk"]}, auth=st).status == 200
        for change in ({"roles": ["clerk"]}, {"status": "disabled"}, {"orgId": "GD"}):
            assert_error(s.patch("/api/v1/users/" + second["id"], change, auth=st), 409,
                         LOCKOUT)
        assert_error(s.patch("/api/v1/roles/admin", {"permissions": fewer}, auth=st), 409,
                     LOCKOUT)
        # a custom role granting admin.roles counts as well
        assert s.post("/api/v1/roles", {"id": "role_admin", "name": "Role administrator",
                                        "permissions": ["admin.roles"]}, auth=st).status == 201
        make_user(s, "third", roles=["role_admin"], auth=st)
        r = s.patch("/api/v1/roles/admin", {"permissions": fewer}, auth=st)
        assert r.status == 200 and "admin.roles" not in r.json["permissions"], r
        tt = s.cli_token("third")
        assert_error(s.patch("/api/v1/roles/role_admin", {"permissions": []}, auth=tt), 409,
                     LOCKOUT)
        assert_error(s.delete("/api/v1/roles/role_admin", auth=tt), 409, "held by users")
        assert s.patch("/api/v1/roles/admin", {"permissions": every}, auth=tt).status == 403


def test_cli_role_recovers_a_locked_out_operator():
    with Server() as s:
        make_user(s, "li.na")
        # an operator locked out before this was refused (an older version allowed it)
        s.stop()
        s.sql("UPDATE role SET permissions = replace(permissions, ' admin.roles', '')"
              " WHERE id = 'admin'")
        s.start()
        assert_error(s.post("/api/v1/roles", {"id": "x1", "name": "x", "permissions": []}),
                     403, "admin.roles")

        rc, out, err = run_cli("role", "list", db=s.db)
        assert rc == 0, err
        line = next(x for x in out.splitlines() if x.startswith("admin "))
        assert re.match(r"admin +1 built-in ", line) and "admin.roles" not in line, line
        assert re.search(r"^clerk +1 built-in customer.read:province customer.write ", out,
                         re.M), out

        rc, out, err = run_cli("role", "grant", "--role", "admin", "admin.roles", db=s.db)
        assert rc == 0 and err.count("telcrm:") == 0, (rc, out, err)
        assert out.startswith("role 'admin' grants '") and "admin.roles" in out, out
        fresh = s.cli_token(ADMIN_LOGIN)  # a token not remembered by the server
        assert s.post("/api/v1/roles", {"id": "x1", "name": "x", "permissions": []},
                      auth=fresh).status == 201
        rows = [x for x in audit_text(s, resource="role", resourceId="admin")[0]
                if x["action"] == "update"]
        assert len(rows) == 1 and rows[0]["actor"] == "cli", rows
        assert "admin.roles" not in rows[0]["before"]["permissions"], rows
        assert "admin.roles" in rows[0]["after"]["permissions"], rows
        # granting again changes nothing
        rc, out, err = run_cli("role", "grant", "--role", "admin", "admin.roles", db=s.db)
        assert rc == 0 and out == "role 'admin' already grants 'admin.roles'\n", (out, err)

        # roles for a user from the command line
        rc, out, err = run_cli("user", "roles", "--login", "li.na", "--role", "admin,clerk",
                               db=s.db)
        assert rc == 0 and out == "user 'li.na' holds roles admin,clerk\n", (rc, out, err)
        t = s.cli_token("li.na")
        assert s.get("/api/v1/roles/admin", auth=t).status == 200
        assert s.post("/api/v1/roles", {"id": "x2", "name": "x", "permissions": []},
                      auth=t).status == 201

        # revoke; the last role administrators are kept from the command line too
        rc, out, err = run_cli("role", "revoke", "--role", "clerk", "pii.read,ticket.handle",
                               "order.create", db=s.db)
        assert rc == 0 and out == "role 'clerk' grants 'customer.read customer.write'\n", out
        rc, out, err = run_cli("role", "revoke", "--role", "admin", "admin.roles", db=s.db)
        assert rc == 1 and out == "" and LOCKOUT in err, (rc, out, err)
        rc, out, err = run_cli("user", "roles", "--login", "li.na", "--role", "clerk", db=s.db)
        assert rc == 0, err
        rc, out, err = run_cli("user", "roles", "--login", ADMIN_LOGIN, "--role", "clerk",
                               db=s.db)
        assert rc == 1 and LOCKOUT in err, (rc, out, err)

        # refusals and usage errors
        rc, out, err = run_cli("role", "grant", "--role", "admin", "admin.rolez", db=s.db)
        assert rc == 1 and "unknown permission 'admin.rolez'" in err, (rc, err)
        rc, out, err = run_cli("role", "grant", "--role", "nope", "pii.read", db=s.db)
        assert rc == 1 and "role 'nope' not found" in err, (rc, err)
        for args, message in ((("role",), "usage: telcrm role <command>"),
                              (("role", "frob"), "unknown role command 'frob'"),
                              (("role", "grant", "pii.read", "--db", s.db),
                               "--role is required"),
                              (("role", "grant", "--role", "admin", "--db", s.db),
                               "name at least one permission"),
                              (("role", "revoke", "--role"), "option '--role' needs a value"),
                              (("role", "list", "extra", "--db", s.db),
                               "unexpected argument 'extra'"),
                              (("role", "grant", "--rolle", "admin", "pii.read"),
                               "unknown option '--rolle'"),
                              (("user", "roles", "--login", "li.na", "--db", s.db),
                               "--role is required")):
            rc, out, err = run_cli(*args)
            assert rc == 2 and out == "" and message in err, (args, rc, out, err)
        rc, out, err = run_cli("role", "--help")
        assert rc == 0 and "telcrm role grant --role admin admin.roles" in out, out
        assert "telcrm user roles --login NAME --role admin" in out, out
        for sub in ("list", "grant", "revoke"):
            rc, out, err = run_cli("role", sub, "--help")
            assert rc == 0 and out.startswith("usage: telcrm role " + sub) and "--db" in out
        rc, out, err = run_cli("--help")
        assert rc == 0 and re.search(r"^  role +", out, re.M), out


# ---- 3. a failed login keeps no trace of text that names no account ----


def test_unknown_login_leaves_no_trace_of_what_was_typed():
    typed = "Qz7-mistyped-Pass-2026"  # a password typed into the login box
    with Server(args=["--login-rate", "0"]) as s:
        make_user(s, "clerk1")
        for login_name, password in ((typed, "anything-1"), ("CLERK1", PASSWORD),
                                     ("clerk1", "Wrong-pass-2026")):
            r = s.post("/api/v1/session", {"login": login_name, "password": password},
                       auth=None)
            assert_error(r, 401, "login or password is wrong")
        rows, text = audit_text(s)
        assert typed not in text and "CLERK1" not in text, text
        fails = [x for x in rows if x["action"] == "login.fail"]
        unknown = [x for x in fails if x.get("resourceId") is None]
        assert len(unknown) == 2 and len(fails) == 3, fails
        for x in unknown:
            assert x["after"] == {"reason": "unknown login", "clientAddress": "127.0.0.1"}, x
            assert x["actor"] == "anonymous" and x["orgPath"] == "/", x
        # a real account is still named, with the reason and the address
        known = [x for x in fails if x.get("resourceId") == "clerk1"]
        assert len(known) == 1, fails
        assert known[0]["after"]["reason"] == "wrong password", known
        assert known[0]["after"]["clientAddress"] == "127.0.0.1", known
        assert known[0]["orgPath"] == "/HQ/", known
        # nor is it in the server's log or anywhere in the database
        assert typed not in s.read_log()
        s.stop()
        blobs = harness.database_bytes(s.db)
        assert b"clerk1" in blobs and typed.encode() not in blobs
        s.start()


# ---- 4. raw control characters in JSON strings ----


def test_raw_control_character_in_a_string_is_refused():
    with Server() as s:
        body = (b'{"id": "ctl", "name": "a\x01b", "permissions": []}')
        r = s.post("/api/v1/roles", raw=body, headers={"Content-Type": "application/json"})
        assert_error(r, 400, "malformed JSON at line 1 column 25: a string must not hold the "
                             "raw control character U+0001; escape it")
        r = s.post("/api/v1/session", raw=b'{"login": "admin\x1b", "password": "x"}',
                   headers={"Content-Type": "application/json"}, auth=None)
        assert_error(r, 400, "raw control character U+001B")
        # between tokens only space, tab, line feed and carriage return may stand
        r = s.post("/api/v1/roles", raw=b'{"id": "ctl",\x0b"name": "x", "permissions": []}',
                   headers={"Content-Type": "application/json"})
        assert_error(r, 400, "the control character U+000B stands between tokens")
        assert s.get("/api/v1/roles/ctl").status == 404
        # escaped they are text, and whitespace between tokens is fine
        r = s.post("/api/v1/roles", raw=b'{\r\n\t"id": "ctl", "name": "a\\u0001b\\tc",'
                                        b' "permissions": []}\n',
                   headers={"Content-Type": "application/json"})
        assert r.status == 201 and r.json["name"] == "a\x01b\tc", r
        # nothing of the refused requests reached the audit trail
        rows, _ = audit_text(s, resource="role")
        assert [x["resourceId"] for x in rows] == ["ctl"], rows
        rows, _ = audit_text(s, action="login.fail")
        assert rows == [], rows


harness.main(globals())
