"""The access matrix: who may read, change and delete what, by role and by place in the
org tree. A missing permission is 403; a target outside the caller's org subtree does not
exist for them (404, or absent from lists); a target inside is served (2xx).

Tree:  HQ ─┬─ GD ─┬─ GD-GZ ── GD-GZ-H01
           │      └─ GD-SZ
           └─ BJ ─── BJ-CY
Callers: clerk and manager at a hall, a city, a province and HQ; a province admin (admin
at GD); the HQ admin. Each target place holds a user (role clerk) with an API token."""

import itertools

import harness
from harness import ADMIN_LOGIN, Server, assert_error

PASSWORD = "Scope-pass-2026"

UNITS = [("GD", "province", "HQ"), ("GD-GZ", "city", "GD"), ("GD-GZ-H01", "hall", "GD-GZ"),
         ("GD-SZ", "city", "GD"), ("BJ", "province", "HQ"), ("BJ-CY", "city", "BJ")]
PATHS = {"HQ": "/HQ/", "GD": "/HQ/GD/", "GD-GZ": "/HQ/GD/GD-GZ/",
         "GD-GZ-H01": "/HQ/GD/GD-GZ/GD-GZ-H01/", "GD-SZ": "/HQ/GD/GD-SZ/", "BJ": "/HQ/BJ/",
         "BJ-CY": "/HQ/BJ/BJ-CY/"}
POSITIONS = [("hall", "GD-GZ-H01"), ("city", "GD-GZ"), ("province", "GD"), ("HQ", "HQ")]
# where the targets are, as seen from the hall GD-GZ-H01 in city GD-GZ of province GD
TARGETS = [("own hall", "GD-GZ-H01"), ("same city", "GD-GZ"), ("sibling city", "GD-SZ"),
           ("other province", "BJ-CY"), ("HQ", "HQ")]
ROLE_PERMS = {
    "clerk": {"customer.read", "customer.write", "order.create", "ticket.handle"},
    "manager": {"customer.read", "analytics.read", "audit.read"},
    "admin": {"customer.read", "customer.write", "pii.read", "order.create", "workflow.admin",
              "ticket.handle", "analytics.read", "campaign.manage", "admin.users",
              "admin.roles", "admin.org", "audit.read", "hub.manage", "metrics.read"},
}


class Caller:
    def __init__(self, role, position, org, login, token, user_id):
        self.role, self.position, self.org = role, position, org
        self.login, self.token, self.user_id = login, token, user_id

    @property
    def perms(self):
        return ROLE_PERMS[self.role]

    def inside(self, org):
        return PATHS[org].startswith(PATHS[self.org])

    def __str__(self):
        return f"{self.role} at {self.position} {self.org}"


class World:
    """A server with the tree, the callers and one target user (with a token) per place."""

    def __init__(self, s):
        self.s = s
        for code, kind, parent in UNITS:
            r = s.post("/api/v1/org-units", {"id": code, "name": code, "kind": kind,
                                             "parentId": parent})
            assert r.status == 201, r
        self.callers = []
        for role in ("clerk", "manager"):
            for position, org in POSITIONS:
                self.callers.append(self.caller(role, position, org))
        self.callers.append(self.caller("admin", "province", "GD"))
        me = s.get("/api/v1/session").json["user"]
        self.callers.append(Caller("admin", "HQ", "HQ", ADMIN_LOGIN, s.token, me["id"]))
        self.targets = {}  # org -> target user
        for _, org in TARGETS:
            self.targets[org] = self.user("t-" + org.lower(), org, "clerk")

    def user(self, login, org, role):
        r = self.s.post("/api/v1/users", {"login": login, "displayName": login, "orgId": org,
                                          "roles": [role], "password": PASSWORD})
        assert r.status == 201, f"cannot create {login} at {org}: {r}"
        return r.json

    def token_for(self, user_id, name="t"):
        r = self.s.post("/api/v1/tokens", {"name": name, "userId": user_id})
        assert r.status == 201, r
        return r.json

    def caller(self, role, position, org):
        login = f"{role}-{position}".lower()
        u = self.user(login, org, role)
        return Caller(role, position, org, login, self.token_for(u["id"])["token"], u["id"])


def expected(caller, perm, target_org, own_only=False):
    """The status the matrix promises: 403 without perm, 404 outside the subtree, else 2xx
    (None). own_only: a route without a permission that serves only the caller's own
    items unless they hold admin.users (tokens)."""
    if perm and perm not in caller.perms:
        return 403
    if own_only and "admin.users" not in caller.perms:
        return 404
    if target_org is not None and not caller.inside(target_org):
        return 404
    return None


def run_matrix(w, title, perm, request, ok_status, own_only=False, check=None):
    """Runs request(caller, target_org) for every caller and target; collects every
    mismatch into one readable failure."""
    bad = []
    n = 0
    for c, (where, org) in itertools.product(w.callers, TARGETS):
        want = expected(c, perm, org, own_only)
        method, path, r = request(c, org)
        n += 1
        label = f"{c} → {method} {path} on {where} {org}"
        if want is None:
            if r.status != ok_status:
                bad.append(f"{label}: want {ok_status}, got {r.status} {r.text[:160]}")
            elif check:
                problem = check(c, org, r)
                if problem:
                    bad.append(f"{label}: {problem}")
        else:
            try:
                assert_error(r, want)
            except AssertionError as e:
                bad.append(f"{label}: {e}"[:400])
    assert not bad, f"{title}: {len(bad)} of {n} cases wrong:\n  " + "\n  ".join(bad)


# ---- read ----


def test_read_org_unit():
    with Server() as s:
        w = World(s)

        def req(c, org):
            path = "/api/v1/org-units/" + org
            return "GET", path, s.get(path, auth=c.token)

        def check(c, org, r):
            return None if r.json.get("id") == org else f"wrong body {r.json}"
        run_matrix(w, "GET org unit", None, req, 200, check=check)


def test_read_user():
    with Server() as s:
        w = World(s)

        def req(c, org):
            path = "/api/v1/users/" + w.targets[org]["id"]
            return "GET", path, s.get(path, auth=c.token)

        def check(c, org, r):
            return None if r.json.get("orgId") == org else f"wrong body {r.json}"
        run_matrix(w, "GET user", "admin.users", req, 200, check=check)


def test_read_audit():
    """GET /api/v1/audit is a list: a row outside the caller's subtree is absent (a '404'
    here means: 200 with no row for the target), a row inside is listed."""
    with Server() as s:
        w = World(s)
        bad = []
        for c, (where, org) in itertools.product(w.callers, TARGETS):
            want = expected(c, "audit.read", org)
            path = "/api/v1/audit?resource=user&resourceId=" + w.targets[org]["id"]
            r = s.get(path, auth=c.token)
            label = f"{c} → GET {path} on {where} {org}"
            if want == 403:
                if r.status != 403:
                    bad.append(f"{label}: want 403, got {r.status} {r.text[:160]}")
                continue
            if r.status != 200:
                bad.append(f"{label}: want 200, got {r.status} {r.text[:160]}")
                continue
            actions = [x["action"] for x in r.json]
            if want == 404 and actions:
                bad.append(f"{label}: the target is outside, yet rows are listed: {actions}")
            if want is None and "create" not in actions:
                bad.append(f"{label}: the target is inside, yet its create row is missing: "
                           f"{actions}")
            if any(not x["orgPath"].startswith(PATHS[c.org]) for x in r.json):
                bad.append(f"{label}: rows from outside {PATHS[c.org]}")
        # and an unfiltered read holds nothing from outside the subtree
        for c in w.callers:
            if "audit.read" not in c.perms:
                continue
            r = s.get("/api/v1/audit?limit=1000", auth=c.token)
            out = sorted({x["orgPath"] for x in r.json if not x["orgPath"].startswith(PATHS[c.org])})
            if out:
                bad.append(f"{c} → GET /api/v1/audit: rows from {out}")
        assert not bad, f"GET audit: {len(bad)} cases wrong:\n  " + "\n  ".join(bad)


def test_lists_are_cut_to_the_subtree():
    with Server() as s:
        w = World(s)
        bad = []
        for c in w.callers:
            units = s.get("/api/v1/org-units?limit=100", auth=c.token)
            want = sorted(o for o in PATHS if c.inside(o))
            got = sorted(u["id"] for u in units.json)
            if got != want:
                bad.append(f"{c} → GET /api/v1/org-units: want {want}, got {got}")
            if units.header("X-Total-Count") != str(len(want)):
                bad.append(f"{c} → GET /api/v1/org-units: X-Total-Count "
                           f"{units.header('X-Total-Count')}, want {len(want)}")
            users = s.get("/api/v1/users?limit=100", auth=c.token)
            if "admin.users" not in c.perms:
                if users.status != 403:
                    bad.append(f"{c} → GET /api/v1/users: want 403, got {users.status}")
            else:
                outside = [u["login"] for u in users.json if not c.inside(u["orgId"])]
                if outside:
                    bad.append(f"{c} → GET /api/v1/users: lists {outside} from outside")
                for where, org in TARGETS:
                    listed = w.targets[org]["login"] in [u["login"] for u in users.json]
                    if listed != c.inside(org):
                        bad.append(f"{c} → GET /api/v1/users: {where} {org} listed={listed}")
                q = s.get("/api/v1/users?orgId=BJ-CY", auth=c.token)
                if c.inside("BJ-CY") != bool(q.json):
                    bad.append(f"{c} → GET /api/v1/users?orgId=BJ-CY: {q.json}")
            tokens = s.get("/api/v1/tokens?limit=1000", auth=c.token)
            owners = {t["userId"] for t in tokens.json}
            if "admin.users" in c.perms:
                outside = [t["userLogin"] for t in tokens.json
                           if t["userId"] in {u["id"] for o, u in w.targets.items()
                                              if not c.inside(o)}]
                if outside:
                    bad.append(f"{c} → GET /api/v1/tokens: tokens of {outside} from outside")
            elif owners != {c.user_id}:
                bad.append(f"{c} → GET /api/v1/tokens: owners {owners}, want only its own")
        assert not bad, "lists: " + "\n  ".join(bad)


# ---- write ----


def test_write_org_unit():
    with Server() as s:
        w = World(s)

        def req(c, org):
            path = "/api/v1/org-units/" + org
            return "PATCH", path, s.patch(path, {"name": f"{org} ({c.login})"}, auth=c.token)

        def check(c, org, r):
            return None if r.json.get("name") == f"{org} ({c.login})" else f"not renamed {r.json}"
        run_matrix(w, "PATCH org unit", "admin.org", req, 200, check=check)


def test_write_user():
    with Server() as s:
        w = World(s)

        def req(c, org):
            path = "/api/v1/users/" + w.targets[org]["id"]
            return "PATCH", path, s.patch(path, {"displayName": c.login}, auth=c.token)

        def check(c, org, r):
            return None if r.json.get("displayName") == c.login else f"not changed {r.json}"
        run_matrix(w, "PATCH user", "admin.users", req, 200, check=check)
        # refused cases changed nothing: every target was last changed by an allowed caller
        for _, org in TARGETS:
            name = s.get("/api/v1/users/" + w.targets[org]["id"]).json["displayName"]
            allowed = [c.login for c in w.callers if expected(c, "admin.users", org) is None]
            assert name == allowed[-1], (org, name, allowed)


# ---- delete ----


def test_delete_token_of_a_user():
    with Server() as s:
        w = World(s)
        made = {}

        def req(c, org):
            t = w.token_for(w.targets[org]["id"], name=f"for {c.login}")
            made[(c.login, org)] = t
            path = "/api/v1/tokens/" + t["id"]
            return "DELETE", path, s.delete(path, auth=c.token)

        def check(c, org, r):
            t = made[(c.login, org)]
            after = s.get("/api/v1/session", auth=t["token"])
            return None if after.status == 401 else f"token still works: {after}"
        run_matrix(w, "DELETE token", None, req, 204, own_only=True, check=check)
        # the refused ones still work
        for (login, org), t in made.items():
            c = next(x for x in w.callers if x.login == login)
            if expected(c, None, org, own_only=True) is not None:
                r = s.get("/api/v1/session", auth=t["token"])
                assert r.status == 200, f"{c}: a refused DELETE revoked the token of {org}: {r}"
        # everyone may revoke their own token
        for c in w.callers:
            if c.login == ADMIN_LOGIN:
                continue
            mine = s.post("/api/v1/tokens", {"name": "own"}, auth=c.token)
            assert mine.status == 201, (str(c), mine)
            r = s.delete("/api/v1/tokens/" + mine.json["id"], auth=c.token)
            assert r.status == 204, f"{c} → DELETE own token: {r}"


def test_delete_role():
    """Roles hold for the whole organisation: only HQ staff with admin.roles change them;
    anyone else, a province administrator included, gets 403."""
    with Server() as s:
        w = World(s)
        bad = []
        for i, c in enumerate(w.callers):
            rid = f"tmp_role_{i}"
            r = s.post("/api/v1/roles", {"id": rid, "name": rid, "permissions": ["customer.read"]})
            assert r.status == 201, r
            want = expected(c, "admin.roles", None)
            if c.org != "HQ":
                want = 403
            r = s.delete("/api/v1/roles/" + rid, auth=c.token)
            label = f"{c} → DELETE /api/v1/roles/{rid}"
            still = s.get("/api/v1/roles/" + rid).status
            if want is None and (r.status != 204 or still != 404):
                bad.append(f"{label}: want 204 and gone, got {r.status} {r.text[:160]}, then {still}")
            if want == 403:
                if r.status != 403 or still != 200:
                    bad.append(f"{label}: want 403 and kept, got {r.status}, then {still}")
            # a built-in role: 409 for those with admin.roles, 403 for the others
            r = s.delete("/api/v1/roles/clerk", auth=c.token)
            if r.status != (403 if want == 403 else 409):
                bad.append(f"{c} → DELETE /api/v1/roles/clerk: got {r.status}")
        assert not bad, "DELETE role:\n  " + "\n  ".join(bad)


# ---- no way out of the subtree ----


def test_province_admin_cannot_reach_outside_its_province():
    with Server() as s:
        w = World(s)
        pa = next(c for c in w.callers if c.role == "admin" and c.org == "GD")
        t = pa.token
        body = {"login": "newbie", "displayName": "N", "roles": ["clerk"], "password": PASSWORD}
        # creating: inside yes, outside is "no such unit"
        assert s.post("/api/v1/users", dict(body, orgId="GD-SZ"), auth=t).status == 201
        for org in ("BJ-CY", "BJ", "HQ"):
            assert_error(s.post("/api/v1/users", dict(body, login="x" + org.lower(), orgId=org),
                                auth=t), 400, "not found")
        r = s.post("/api/v1/org-units", {"id": "GD-FS", "name": "佛山", "kind": "city",
                                         "parentId": "GD"}, auth=t)
        assert r.status == 201, r
        r = s.post("/api/v1/org-units", {"id": "BJ-HD", "name": "海淀", "kind": "city",
                                         "parentId": "BJ"}, auth=t)
        assert r.status in (400, 404), r
        assert s.get("/api/v1/org-units/BJ-HD").status == 404
        # moving: a user or a unit out of the province, or itself up
        target = w.targets["GD-GZ"]["id"]
        assert_error(s.patch("/api/v1/users/" + target, {"orgId": "BJ-CY"}, auth=t), 400)
        assert_error(s.patch("/api/v1/users/" + pa.user_id, {"orgId": "HQ"}, auth=t), 400)
        assert s.get("/api/v1/users/" + pa.user_id).json["orgId"] == "GD"
        r = s.patch("/api/v1/org-units/GD-SZ", {"parentId": "BJ"}, auth=t)
        assert r.status in (400, 404), r
        r = s.patch("/api/v1/org-units/GD", {"parentId": "BJ"}, auth=t)
        assert r.status in (400, 404), r
        assert s.get("/api/v1/org-units/GD-SZ").json["path"] == "/HQ/GD/GD-SZ/"
        # tokens: not for users outside
        assert_error(s.post("/api/v1/tokens", {"name": "x", "userId": w.targets["BJ-CY"]["id"]},
                            auth=t), 400, "not found")
        hq_admin = s.get("/api/v1/session").json["user"]["id"]
        assert_error(s.post("/api/v1/tokens", {"name": "x", "userId": hq_admin}, auth=t), 400)
        assert_error(s.get("/api/v1/tokens/" + w.token_for(hq_admin)["id"], auth=t), 404)
        # lockouts and passwords outside: not found
        assert_error(s.patch("/api/v1/users/" + hq_admin, {"locked": False}, auth=t), 404)
        assert_error(s.patch("/api/v1/users/" + hq_admin, {"password": "Taken-over-2026"},
                             auth=t), 404)
        # the HQ admin is untouched
        assert s.get("/api/v1/users/" + hq_admin).json["status"] == "active"


def test_manager_reads_audit_of_its_subtree_only():
    with Server() as s:
        w = World(s)
        gz_mgr = next(c for c in w.callers if c.role == "manager" and c.org == "GD-GZ")
        # activity in every place, by the places' own users
        for _, org in TARGETS:
            login = w.targets[org]["login"]
            r = s.post("/api/v1/session", {"login": login, "password": PASSWORD}, auth=None)
            assert r.status == 201, r
        rows = s.get("/api/v1/audit?action=login&limit=1000", auth=gz_mgr.token).json
        seen = sorted(x["resourceId"] for x in rows)
        assert seen == ["t-gd-gz", "t-gd-gz-h01"], f"{gz_mgr} sees logins of {seen}"


harness.main(globals())
