"""`telcrm import customers` and `telcrm export customers`: records checked as the API
checks them, refused records in the reject file with line and reason while the others are
kept, one audit row per batch, safe to run again (also after being killed half-way), and
an export that imports back to the same data."""

import csv
import io
import json
import os
import signal
import subprocess
import tempfile
import time
import urllib.parse

import harness
import staff
from harness import Server, run_cli

HEADER = ("customerNo,name,status,customerRank,segment,orgId,partyType,familyName,givenName,"
          "gender,birthDate,idType,idNumber,organizationName,tradingName,mobile,phone,email,"
          "province,city,district,street,blacklisted,blacklistReason,churnDate,churnReason")

GOOD = [
    # line 2: an individual with every kind of column
    "C000000000101,张伟,active,gold,mass,GD-GZ,individual,张,伟,male,1949-12-31,residentId,"
    f"{staff.RESIDENT_ID},,,138 1234 5678,020-87654321,zhang.wei@example.com,广东省,广州市,"
    "天河区,\"天河路 1 号, 2 楼\",false,,,",
    # line 3: an organization, blacklisted, its trading name from organizationName
    f"C000000000102,某某科技,active,platinum,enterprise,GD,organization,,,,,,{staff.USCC},"
    "广州某某科技有限公司,,,020-23456789,,,,,,true,欠费逃逸,,",
    # line 4: a customer that left (an import may bring any state)
    "C000000000103,李娜,inactive,standard,mass,GD-GZ,individual,李,娜,female,1990-03-07,"
    f"residentId,{staff.RESIDENT_ID_2},,,13912345678,,,,,,,,,2026-10-01,price",
]
BAD = [
    # line 5: wrong check character
    ("C000000000201,王五,active,,,GD-GZ,individual,王,五,,,residentId,110105194912310021,,,,,,"
     ",,,,,,,", "idNumber: ID number check character"),
    # line 6: an unallocated mobile segment
    ("C000000000202,赵六,active,,,GD-GZ,individual,赵,六,,,,,,,15412345678,,,,,,,,,,",
     "segment 154"),
    # line 7: a bad status
    ("C000000000203,钱七,gone,,,GD-GZ,individual,钱,七,,,,,,,,,,,,,,,,,", "status"),
    # line 8: too few fields
    ("C000000000204,孙八,active", "fields"),
    # line 9: no customer number
    (",周九,active,,,GD-GZ,individual,周,九,,,,,,,,,,,,,,,,,", "customerNo"),
    # line 10: the same resident id as line 2
    (f"C000000000205,张伟二,active,,,GD-GZ,individual,张,伟,,,residentId,{staff.RESIDENT_ID},"
     ",,,,,,,,,,,,", "identification number already exists"),
    # line 11: unknown org unit
    ("C000000000206,吴十,active,,,XX-YY,individual,吴,十,,,,,,,,,,,,,,,,,", "XX-YY"),
    # line 12: not a boolean
    ("C000000000207,郑十一,active,,,GD-GZ,individual,郑,十一,,,,,,,,,,,,,,maybe,,,",
     "not true or false"),
    # line 13: a quote inside an unquoted field
    ('C000000000208,a"b,active,,,GD-GZ,individual,a,b,,,,,,,,,,,,,,,,,', "quote"),
]


def write(tmp, name, lines):
    path = os.path.join(tmp, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return path


def prepared_server():
    s = Server().start()
    staff.make_units(s)
    return s


def search(s, q):
    r = s.get("/api/v1/search?" + urllib.parse.urlencode({"q": q}))
    assert r.status == 200, r
    return r.json


def test_import_good_and_bad_records():
    s = prepared_server()
    try:
        path = write(s.tmp, "customers.csv", [HEADER] + GOOD + [b for b, _ in BAD])
        rc, out, err = run_cli("import", "customers", path, db=s.db)
        assert rc == 3, (rc, out, err)
        assert "3 customers created, 0 already present, 9 rejected" in out, out
        with open(path + ".rejects.csv", encoding="utf-8") as f:
            rejects = list(csv.reader(f))
        assert rejects[0][:3] == ["line", "reason", "customerNo"], rejects[0]
        assert [r[0] for r in rejects[1:]] == [str(n) for n in range(5, 14)], rejects
        for (record, why), row in zip(BAD, rejects[1:]):
            assert why in row[1], (why, row)
        # a rejected record keeps its fields, so the file can be fixed and imported
        assert rejects[1][2] == "C000000000201" and rejects[1][3] == "王五", rejects[1]
        # the good records are customers as the API shows them
        c = s.get("/tmf-api/customerManagement/v4/customer?customerNo=C000000000101").json[0]
        assert c["name"] == "张伟" and c["status"] == "active" and c["orgId"] == "GD-GZ", c
        assert c["customerRank"] == "gold" and c["engagedParty"]["@referredType"] == \
            "Individual", c
        p = s.get(c["engagedParty"]["href"]).json
        assert p["birthDate"].startswith("1949-12-31"), p
        media = {m["mediumType"]: m["characteristic"] for m in p["contactMedium"]}
        assert media["mobile"]["phoneNumber"] == "13812345678", media
        assert media["phone"]["phoneNumber"] == "020-87654321", media
        assert media["postalAddress"]["street1"] == "天河路 1 号, 2 楼", media
        org = s.get("/tmf-api/customerManagement/v4/customer?customerNo=C000000000102").json[0]
        assert org["blacklisted"] is True and org["blacklistReason"] == "欠费逃逸", org
        assert org["blacklistedBy"] == "import", org
        op = s.get(org["engagedParty"]["href"]).json
        assert op["tradingName"] == "广州某某科技有限公司", op
        gone = s.get("/tmf-api/customerManagement/v4/customer?customerNo=C000000000103").json[0]
        assert gone["status"] == "inactive" and gone["churn"]["reason"] == "price", gone
        # found by search at once
        assert [h["customerNo"] for h in search(s, "13812345678")] == ["C000000000101"]
        assert [h["customerNo"] for h in search(s, "某某科技")] == ["C000000000102"]
        # one audit row for the batch, naming the customers it made
        a = s.get("/api/v1/audit?action=import").json
        assert len(a) == 1 and a[0]["actor"] == "import", a
        assert a[0]["after"]["created"] == 3 and len(a[0]["after"]["customerIds"]) == 3, a
        assert a[0]["after"]["firstLine"] == 2 and a[0]["after"]["lastLine"] == 13, a
        # again: nothing new, nothing doubled
        rc, out, err = run_cli("import", "customers", path, db=s.db)
        assert rc == 3 and "0 customers created, 3 already present, 9 rejected" in out, out
        r = s.get("/tmf-api/customerManagement/v4/customer?limit=1")
        assert r.header("X-Total-Count") == "3", r
    finally:
        s.stop()


def test_bad_files_and_usage():
    s = prepared_server()
    try:
        cases = [
            ([], "is empty"),
            (["customerNo,colour", "C1,red"], "unknown column 'colour'"),
            (["name,name", "a,b"], "twice"),
            (["name", "a"], "no 'customerNo' column"),
        ]
        for lines, message in cases:
            path = write(s.tmp, "bad.csv", lines) if lines else write(s.tmp, "bad.csv", [])
            if not lines:
                open(path, "w").close()
            rc, out, err = run_cli("import", "customers", path, db=s.db)
            assert rc == 1 and message in err, (lines, rc, err)
        rc, _, err = run_cli("import", "customers", os.path.join(s.tmp, "none.csv"), db=s.db)
        assert rc == 1 and "cannot open" in err, err
        assert run_cli("import", "orders", "x.csv", db=s.db)[0] == 2
        assert run_cli("import", "customers", db=s.db)[0] == 2
        assert run_cli("export", "customers", "--format", "xml", db=s.db)[0] == 2
        assert run_cli("export", "orders", db=s.db)[0] == 2
        # records without orgId belong to --org (default HQ); an unknown unit is a usage error
        path = write(s.tmp, "owners.csv", ["customerNo,familyName,givenName",
                                           "C000000000301,王,小二"])
        assert run_cli("import", "customers", path, "--org", "XX", db=s.db)[0] == 2
        rc, out, err = run_cli("import", "customers", path, "--org", "GD-GZ", db=s.db)
        assert rc == 0 and "1 customers created" in out, (out, err)
        c = s.get("/tmf-api/customerManagement/v4/customer?customerNo=C000000000301").json[0]
        assert c["orgId"] == "GD-GZ" and c["name"] == "王小二", c
        rc, out, _ = run_cli("import", "--help")
        assert rc == 0 and "reject file" in out, out
    finally:
        s.stop()


def test_export_imports_back_the_same():
    tmp = tempfile.mkdtemp(prefix="telcrm-export-")
    src = os.path.join(tmp, "demo.db")
    rc, out, err = run_cli("demo", "--customers", "600", "--seed", "7", db=src)
    assert rc == 0, err
    first = os.path.join(tmp, "first.csv")
    rc, _, err = run_cli("export", "customers", "--out", first, db=src)
    assert rc == 0 and "exported 600 customers" in err, err
    # a database with the same org tree, then the file
    dst = os.path.join(tmp, "copy.db")
    rc, _, err = run_cli("demo", "--customers", "0", db=dst)
    assert rc == 0, err
    rc, out, err = run_cli("import", "customers", first, "--batch", "100", db=dst)
    assert rc == 0 and "600 customers created, 0 already present, 0 rejected" in out, \
        (out, err)
    second = os.path.join(tmp, "second.csv")
    rc, _, err = run_cli("export", "customers", "--out", second, db=dst)
    assert rc == 0, err
    with open(first, encoding="utf-8") as f1, open(second, encoding="utf-8") as f2:
        a, b = f1.read(), f2.read()
    assert a == b, "the export of the import differs from the export"
    rows = list(csv.DictReader(io.StringIO(a)))
    assert len(rows) == 600 and {r["partyType"] for r in rows} == {"individual",
                                                                   "organization"}
    # JSON lines: the TMF resources
    rc, out, err = run_cli("export", "customers", "--format", "jsonl", db=src)
    assert rc == 0, err
    lines = out.splitlines()
    assert len(lines) == 600, len(lines)
    one = json.loads(lines[0])
    assert one["customer"]["@type"] == "Customer", one
    assert one["party"]["@type"] in ("Individual", "Organization"), one
    assert one["customer"]["engagedParty"]["id"] == one["party"]["id"], one


def test_killed_import_finishes_when_run_again():
    tmp = tempfile.mkdtemp(prefix="telcrm-import-")
    src = os.path.join(tmp, "demo.db")
    assert run_cli("demo", "--customers", "20000", "--seed", "3", db=src)[0] == 0
    data = os.path.join(tmp, "all.csv")
    assert run_cli("export", "customers", "--out", data, db=src)[0] == 0
    dst = os.path.join(tmp, "copy.db")
    assert run_cli("demo", "--customers", "0", db=dst)[0] == 0
    p = subprocess.Popen([harness.BIN, "import", "customers", data, "--batch", "500", "--db",
                          dst], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline and p.poll() is None:
        # kill once some batches are in, with more than 10,000 left for the second run
        done = subprocess.run(["sqlite3", dst, "SELECT count(*) FROM customer"],
                              capture_output=True, text=True).stdout.strip()
        if done and 2000 <= int(done) < 9000:
            p.send_signal(signal.SIGKILL)
            break
        time.sleep(0.02)
    p.wait()
    assert p.returncode == -signal.SIGKILL, "the import ended before it could be killed"
    rc, out, err = run_cli("import", "customers", data, db=dst)
    assert rc == 0, (out, err)
    assert "0 rejected" in out and "already present" in out, out
    # the audit rows of both runs name every customer once, at most 10,000 to a row (the
    # second run's one batch has more)
    audit = subprocess.run(
        ["sqlite3", dst, "SELECT sum(json_extract(after_json, '$.created')),"
         " max(json_array_length(after_json, '$.customerIds')),"
         " sum(json_array_length(after_json, '$.customerIds')) FROM audit_log"
         " WHERE action = 'import'"], capture_output=True, text=True).stdout.strip()
    assert audit == "20000|10000|20000", audit
    again = os.path.join(tmp, "again.csv")
    assert run_cli("export", "customers", "--out", again, db=dst)[0] == 0
    with open(data, encoding="utf-8") as f1, open(again, encoding="utf-8") as f2:
        assert f1.read() == f2.read()


def test_import_stops_cleanly_when_a_write_fails():
    # a write the checks cannot foresee fails half-way (here a trigger planted in the
    # database): the import says where it stopped and what it kept, and finishes when run
    # again; a database another process keeps locked is refused before anything is read
    tmp = tempfile.mkdtemp(prefix="telcrm-import-")
    src = os.path.join(tmp, "demo.db")
    assert run_cli("demo", "--customers", "300", "--seed", "5", db=src)[0] == 0
    data = os.path.join(tmp, "all.csv")
    assert run_cli("export", "customers", "--out", data, db=src)[0] == 0
    with open(data, encoding="utf-8") as f:
        rows = list(csv.reader(f))
    victim = rows[150][0]  # the 150th customer, on line 151
    dst = os.path.join(tmp, "copy.db")
    assert run_cli("demo", "--customers", "0", db=dst)[0] == 0

    def sql(text):
        return subprocess.run(["sqlite3", dst, text], capture_output=True, text=True,
                              check=True).stdout.strip()

    sql("CREATE TRIGGER boom BEFORE INSERT ON customer WHEN NEW.customer_no = '%s'"
        " BEGIN SELECT RAISE(ABORT, 'boom'); END" % victim)
    rc, out, err = run_cli("import", "customers", data, "--batch", "100", db=dst)
    assert rc == 1, (rc, out, err)
    assert "stopped at line 151:" in err and victim in err, err
    assert "the 100 customers before it are in" in err, err
    assert sql("SELECT count(*) FROM customer") == "100"
    assert sql("SELECT count(*) FROM party") == "100"  # the victim's party rolled back too
    sql("DROP TRIGGER boom")

    locker = subprocess.Popen(["sqlite3", dst], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    try:
        locker.stdin.write("BEGIN IMMEDIATE; SELECT 'locked';\n")
        locker.stdin.flush()
        assert locker.stdout.readline().strip() == "locked"
        rc, out, err = run_cli("import", "customers", data, db=dst)
        assert rc == 1 and "busy" in err, (rc, out, err)
    finally:
        locker.stdin.write("ROLLBACK;\n")
        locker.stdin.close()
        locker.wait()
    assert sql("SELECT count(*) FROM customer") == "100"

    rc, out, err = run_cli("import", "customers", data, db=dst)
    assert rc == 0 and "200 customers created, 100 already present" in out, (out, err)


harness.main(globals())
