"""Shared set-up of the party and customer tests: the org units GD, GD-GZ, BJ, BJ-CY and
staff placed at them, each with an API token (made by the admin)."""

PASSWORD = "Staff-pass-2026"
UNITS = [("GD", "province", "HQ", "广东省"), ("GD-GZ", "city", "GD", "广州市"),
         ("BJ", "province", "HQ", "北京市"), ("BJ-CY", "city", "BJ", "朝阳区")]


def make_units(s):
    for code, kind, parent, name in UNITS:
        r = s.post("/api/v1/org-units", {"id": code, "name": name, "kind": kind,
                                         "parentId": parent})
        assert r.status == 201, r


def make_staff(s, login, org, role):
    """Creates a user at org with role; returns its API token."""
    r = s.post("/api/v1/users", {"login": login, "displayName": login, "orgId": org,
                                 "roles": [role], "password": PASSWORD})
    assert r.status == 201, r
    t = s.post("/api/v1/tokens", {"name": "t", "userId": r.json["id"]})
    assert t.status == 201, t
    return t.json["token"]


# Valid identifiers (check characters computed per GB 11643 and GB 32100).
RESIDENT_ID = "11010519491231002X"
RESIDENT_ID_2 = "440106199003071231"
RESIDENT_ID_3 = "440106198511115670"
USCC = "91350100M000100Y43"
