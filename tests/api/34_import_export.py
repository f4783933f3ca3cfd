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
BAD = [  # the record, what its reason says, the column it names (None: the whole record)
    # line 5: wrong check character
    ("C000000000201,王五,active,,,GD-GZ,individual,王,五,,,residentId,110105194912310021,,,,,,"
     ",,,,,,,", "ID number check character", "idNumber"),
    # line 6: an unallocated mobile segment
    ("C000000000202,赵六,active,,,GD-GZ,individual,赵,六,,,,,,,15412345678,,,,,,,,,,",
     "segment 154", "mobile"),
    # line 7: a bad status
    ("C000000000203,钱七,gone,,,GD-GZ,individual,钱,七,,,,,,,,,,,,,,,,,", "gone", "status"),
    # line 8: too few fields
    ("C000000000204,孙八,active", "fields", None),
    # line 9: no customer number
    (",周九,active,,,GD-GZ,individual,周,九,,,,,,,,,,,,,,,,,", "needs its", "customerNo"),
    # line 10: the resident id of line 2, another given name: not the same person
    (f"C000000000205,张伟二,active,,,GD-GZ,individual,张,伟二,,,residentId,{staff.RESIDENT_ID},"
     ",,,,,,,,,,,,", "belongs to party '张伟'", "idNumber"),
    # line 11: unknown org unit
    ("C000000000206,吴十,active,,,XX-YY,individual,吴,十,,,,,,,,,,,,,,,,,", "XX-YY", "orgId"),
    # line 12: not a boolean
    ("C000000000207,郑十一,active,,,GD-GZ,individual,郑,十一,,,,,,,,,,,,,,maybe,,,",
     "not true or false", "blacklisted"),
    # line 13: a quote inside an unquoted field
    ('C000000000208,a"b,active,,,GD-GZ,individual,a,b,,,,,,,,,,,,,,,,,', "quote", None),
]
CUST = "/tmf-api/customerManagement/v4/customer"
IND = "/tmf-api/party/v4/individual"
ORG = "/tmf-api/party/v4/organization"


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def names_column(reason, line, col):
    """Whether a reject reason gives the record's line and, if col, names the column."""
    if not reason.startswith(f"line {line}: "):
        return False
    return col is None or reason.startswith(f"line {line}: {col}: ") or f"'{col}'" in reason


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
        path = write(s.tmp, "customers.csv", [HEADER] + GOOD + [b for b, _, _ in BAD])
        rc, out, err = run_cli("import", "customers", path, db=s.db)
        assert rc == 3, (rc, out, err)
        assert "3 customers created, 0 already present, 9 rejected" in out, out
        rejects = read_csv(path + ".rejects.csv")
        # an import file itself: the header, the record as it was, the reason last
        assert rejects[0] == HEADER.split(",") + ["rejectReason"], rejects[0]
        assert len(rejects) == 1 + len(BAD), rejects
        for n, ((record, why, col), row) in enumerate(zip(BAD, rejects[1:]), start=5):
            assert why in row[-1] and names_column(row[-1], n, col), (n, why, col, row[-1])
        # a rejected record keeps its fields, so the file can be fixed and imported
        assert rejects[1][:-1] == BAD[0][0].split(","), rejects[1]
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
    src = harness.fresh_db(tmp, "demo.db")
    rc, out, err = run_cli("demo", "--customers", "600", "--seed", "7", db=src)
    assert rc == 0, err
    first = os.path.join(tmp, "first.csv")
    rc, _, err = run_cli("export", "customers", "--out", first, db=src)
    assert rc == 0 and "exported 600 customers" in err, err
    # a database with the same org tree, then the file
    dst = harness.fresh_db(tmp, "copy.db")
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
    src = harness.fresh_db(tmp, "demo.db")
    assert run_cli("demo", "--customers", "20000", "--seed", "3", db=src)[0] == 0
    data = os.path.join(tmp, "all.csv")
    assert run_cli("export", "customers", "--out", data, db=src)[0] == 0
    dst = harness.fresh_db(tmp, "copy.db")
    assert run_cli("demo", "--customers", "0", db=dst)[0] == 0
    p = subprocess.Popen([harness.BIN, "import", "customers", data, "--batch", "500", "--db",
                          dst], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline and p.poll() is None:
        # kill once some batches are in, with more than 10,000 left for the second run
        try:
            done = harness.sql(dst, "SELECT count(*) FROM customer")[0][0]
        except Exception:  # sqlite3: the database is locked for a moment
            done = None
        if done is not None and 2000 <= int(done) < 9000:
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
    if harness.PG:
        q = ("SELECT sum((after_json::json->>'created')::int) AS created,"
             " max(json_array_length(after_json::json->'customerIds')) AS most,"
             " sum(json_array_length(after_json::json->'customerIds')) AS named FROM audit_log"
             " WHERE action = 'import'")
    else:
        q = ("SELECT sum(json_extract(after_json, '$.created')),"
             " max(json_array_length(after_json, '$.customerIds')),"
             " sum(json_array_length(after_json, '$.customerIds')) FROM audit_log"
             " WHERE action = 'import'")
    audit = tuple(int(x) for x in harness.sql(dst, q)[0])
    assert audit == (20000, 10000, 20000), audit
    again = os.path.join(tmp, "again.csv")
    assert run_cli("export", "customers", "--out", again, db=dst)[0] == 0
    with open(data, encoding="utf-8") as f1, open(again, encoding="utf-8") as f2:
        assert f1.read() == f2.read()


def test_import_stops_cleanly_when_a_write_fails():
    # a write the checks cannot foresee fails half-way (here a trigger planted in the
    # database): the import says where it stopped and what it kept, and finishes when run
    # again; a database another process keeps locked is refused before anything is read
    tmp = tempfile.mkdtemp(prefix="telcrm-import-")
    src = harness.fresh_db(tmp, "demo.db")
    assert run_cli("demo", "--customers", "300", "--seed", "5", db=src)[0] == 0
    data = os.path.join(tmp, "all.csv")
    assert run_cli("export", "customers", "--out", data, db=src)[0] == 0
    with open(data, encoding="utf-8") as f:
        rows = list(csv.reader(f))
    victim = rows[150][0]  # the 150th customer, on line 151
    dst = harness.fresh_db(tmp, "copy.db")
    assert run_cli("demo", "--customers", "0", db=dst)[0] == 0

    def sql(text):
        rows = harness.sql(dst, text)
        return str(rows[0][0]) if rows else ""

    if harness.PG:
        sql("CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            " RAISE EXCEPTION 'boom'; END $$")
        sql("CREATE TRIGGER boom BEFORE INSERT ON customer FOR EACH ROW"
            " WHEN (NEW.customer_no = '%s') EXECUTE FUNCTION boom()" % victim)
    else:
        sql("CREATE TRIGGER boom BEFORE INSERT ON customer WHEN NEW.customer_no = '%s'"
            " BEGIN SELECT RAISE(ABORT, 'boom'); END" % victim)
    rc, out, err = run_cli("import", "customers", data, "--batch", "100", db=dst)
    assert rc == 1, (rc, out, err)
    # on PostgreSQL the rows go by COPY, and the failed row's line names the record
    assert "stopped at line 151:" in err and (harness.PG or victim in err), err
    assert "the 100 customers before it are in" in err, err
    assert sql("SELECT count(*) FROM customer") == "100"
    assert sql("SELECT count(*) FROM party") == "100"  # the victim's party rolled back too
    sql("DROP TRIGGER boom ON customer" if harness.PG else "DROP TRIGGER boom")
    if harness.PG:  # no process locks a whole PostgreSQL database
        rc, out, err = run_cli("import", "customers", data, db=dst)
        assert rc == 0 and "200 customers created, 100 already present" in out, (out, err)
        return

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


def test_text_cells_checked_as_the_api_stores_them():
    # a cell must be UTF-8 without control characters (the API serves what is stored as
    # JSON): such a record goes to the rejects with its line and column; line breaks in a
    # quoted cell and tabs are text like any other
    s = prepared_server()
    try:
        lines = [
            b"customerNo,familyName,givenName,street,statusReason,orgId",
            "C000000000401,王,五,".encode() + b"\xff,,GD-GZ",
            "C000000000402,王,a\x01b,,,GD-GZ".encode(),
            'C000000000403,王,三,"天河路\x1b[31m 1 号",,GD-GZ'.encode(),
            'C000000000404,王,四,"天河路 1 号\n2 楼",a\tb,GD-GZ'.encode(),
            b"C000000000405,\xed\xa0\x80,x,,,GD-GZ",  # a surrogate: not UTF-8
            "C000000000406,王,六,,x\x7f,GD-GZ".encode(),
            "C000000000407,王,七,,x\u0085y,GD-GZ".encode(),  # a C1 control
        ]
        path = os.path.join(s.tmp, "text.csv")
        with open(path, "wb") as f:
            f.write(b"\n".join(lines) + b"\n")
        rc, out, err = run_cli("import", "customers", path, db=s.db)
        assert rc == 3 and "1 customers created, 0 already present, 6 rejected" in out, \
            (rc, out, err)
        with open(path + ".rejects.csv", encoding="utf-8", errors="surrogateescape",
                  newline="") as f:
            rows = list(csv.reader(f))
        reasons = [r[-1] for r in rows[1:]]
        assert reasons == [
            "line 2: 'street' is not valid UTF-8 (byte 0xFF at byte 1)",
            "line 3: 'givenName' holds the control character U+0001 at character 2",
            "line 4: 'street' holds the control character U+001B at character 4",
            "line 7: 'familyName' is not valid UTF-8 (byte 0xED at byte 1)",
            "line 8: 'statusReason' holds the control character U+007F at character 2",
            "line 9: 'statusReason' holds the control character U+0085 at character 2",
        ], reasons
        # the rejected records as they were, bytes and all
        assert rows[1][3] == "\udcff" and rows[2][2] == "a\x01b", rows
        for no in range(401, 408):
            r = s.get(f"{CUST}?customerNo=C000000000{no}")
            assert r.status == 200 and r.json is not None, r
            assert len(r.json) == (1 if no == 404 else 0), (no, r.json)
        c = s.get(f"{CUST}?customerNo=C000000000404").json[0]
        assert c["statusReason"] == "a\tb", c
        p = s.get(c["engagedParty"]["href"]).json
        assert p["contactMedium"][0]["characteristic"]["street1"] == "天河路 1 号\n2 楼", p
    finally:
        s.stop()


def test_a_customer_number_twice_in_a_file():
    # the second record of a number is refused as a duplicate (not skipped as present,
    # not written over the first), also when the import runs again
    s = prepared_server()
    try:
        path = write(s.tmp, "twice.csv", [
            "customerNo,familyName,givenName,orgId",
            "C000000000501,王,一,GD-GZ",
            "C000000000502,王,二,GD-GZ",
            "C000000000501,李,一,GD-GZ",
            "C000000000503,王,三,GD",
            "C000000000503,王,三,GD",
        ])
        for run, summary in ((1, "3 customers created, 0 already present, 2 rejected"),
                             (2, "0 customers created, 3 already present, 2 rejected")):
            rc, out, err = run_cli("import", "customers", path, db=s.db)
            assert rc == 3 and summary in out, (run, rc, out, err)
            reasons = [r[-1] for r in read_csv(path + ".rejects.csv")[1:]]
            assert reasons == [
                "line 4: customerNo: 'C000000000501' is a duplicate of line 2",
                "line 6: customerNo: 'C000000000503' is a duplicate of line 5",
            ], (run, reasons)
        c = s.get(f"{CUST}?customerNo=C000000000501").json
        assert len(c) == 1 and c[0]["name"] == "王一", c
    finally:
        s.stop()


def test_corrected_reject_file_imports_as_it_is():
    # the reject file is an import file: correct its cells, import it, and every record is
    # in; its reason column is ignored, and a reject file of a reject file has it once
    s = prepared_server()
    try:
        path = write(s.tmp, "customers.csv", [HEADER] + GOOD + [b for b, _, _ in BAD[:3]] +
                     [BAD[7][0]])
        rc, out, err = run_cli("import", "customers", path, db=s.db)
        assert rc == 3 and "3 customers created, 0 already present, 4 rejected" in out, out
        rejects = path + ".rejects.csv"
        rows = read_csv(rejects)
        assert rows[0] == HEADER.split(",") + ["rejectReason"], rows[0]
        assert [r[:-1] for r in rows[1:]] == [b.split(",") for b in
                                              [BAD[0][0], BAD[1][0], BAD[2][0], BAD[7][0]]]

        # imported again as it is: refused again, with the lines of the reject file
        rc, out, err = run_cli("import", "customers", rejects, db=s.db)
        assert rc == 3 and "0 customers created, 0 already present, 4 rejected" in out, out
        again = read_csv(rejects + ".rejects.csv")
        assert again[0] == rows[0], again[0]
        assert [r[-1].split(":")[0] for r in again[1:]] == ["line 2", "line 3", "line 4",
                                                           "line 5"], again
        assert [r[:-1] for r in again[1:]] == [r[:-1] for r in rows[1:]], again
        # it may not be its own reject file
        with open(rejects, "rb") as f:
            before = f.read()
        rc, _, err = run_cli("import", "customers", rejects, "--rejects", rejects, db=s.db)
        assert rc == 2 and "is the file being imported" in err, (rc, err)
        with open(rejects, "rb") as f:
            assert f.read() == before

        # corrected in place, nothing else changed: every record goes in
        col = {name: i for i, name in enumerate(rows[0])}
        rows[1][col["idNumber"]] = staff.RESIDENT_ID_3
        rows[2][col["mobile"]] = "139 1234 5678"
        rows[3][col["status"]] = "suspended"
        rows[4][col["blacklisted"]] = "false"
        with open(rejects, "w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
        os.remove(rejects + ".rejects.csv")
        rc, out, err = run_cli("import", "customers", rejects, db=s.db)
        assert rc == 0 and "4 customers created, 0 already present, 0 rejected" in out, \
            (out, err)
        assert not os.path.exists(rejects + ".rejects.csv")
        for no, check in (("C000000000201", lambda c: c["name"] == "王五"),
                          ("C000000000202", lambda c: c["status"] == "active"),
                          ("C000000000203", lambda c: c["status"] == "suspended"),
                          ("C000000000207", lambda c: c["blacklisted"] is False)):
            c = s.get(f"{CUST}?customerNo={no}").json
            assert len(c) == 1 and check(c[0]), (no, c)
    finally:
        s.stop()


def new_party(s, path, body):
    r = s.post(path, body)
    assert r.status == 201, r
    return r.json


def test_party_with_several_customers_survives_export_and_import():
    # an export writes a party once for each of its customers: the import gives them one
    # party again, matched by the identification number or credit code — and refuses a
    # record with that number whose party columns say someone else
    src, dst = prepared_server(), prepared_server()
    try:
        mobile = [{"mediumType": "mobile", "characteristic": {"phoneNumber": "13812345678"}}]
        p = new_party(src, IND, {"givenName": "伟", "familyName": "张", "orgId": "GD-GZ",
                                 "contactMedium": mobile,
                                 "individualIdentification": [
                                     {"identificationType": "residentId",
                                      "identificationId": staff.RESIDENT_ID}]})
        o = new_party(src, ORG, {"tradingName": "某某科技", "name": "广州某某科技有限公司",
                                 "orgId": "GD", "organizationIdentification": [
                                     {"identificationType": "unifiedSocialCreditCode",
                                      "identificationId": staff.USCC}]})
        q = new_party(src, IND, {"givenName": "娜", "familyName": "李", "orgId": "GD-GZ",
                                 "individualIdentification": [
                                     {"identificationType": "residentId",
                                      "identificationId": staff.RESIDENT_ID_2}]})
        for no, party, org in ((601, p, "GD-GZ"), (602, p, "GD"), (603, o, "GD"),
                               (604, q, "GD-GZ"), (605, o, "GD-GZ"), (606, p, "GD-GZ")):
            r = src.post(CUST, {"customerNo": f"C000000000{no}", "orgId": org,
                                "engagedParty": {"id": party["id"],
                                                 "@referredType": party["@type"]}})
            assert r.status == 201, r
        first = os.path.join(src.tmp, "first.csv")
        assert run_cli("export", "customers", "--out", first, db=src.db)[0] == 0

        rc, out, err = run_cli("import", "customers", first, "--batch", "2", db=dst.db)
        assert rc == 0 and "6 customers created, 0 already present, 0 rejected" in out, \
            (out, err)

        def party_of(s, no):
            c = s.get(f"{CUST}?customerNo=C000000000{no}").json
            assert len(c) == 1, (no, c)
            return c[0]["engagedParty"]["id"]

        ids = {no: party_of(dst, no) for no in range(601, 607)}
        assert ids[601] == ids[602] == ids[606] and ids[603] == ids[605], ids
        assert len(set(ids.values())) == 3, ids
        for path, n in ((IND, 2), (ORG, 1)):
            r = dst.get(path + "?limit=10")
            assert r.header("X-Total-Count") == str(n), (path, r)
        second = os.path.join(dst.tmp, "second.csv")
        assert run_cli("export", "customers", "--out", second, db=dst.db)[0] == 0
        with open(first, encoding="utf-8") as f1, open(second, encoding="utf-8") as f2:
            assert f1.read() == f2.read()

        # against the parties in the database: the same person joins, someone else with
        # that number is refused, naming what differs
        head = ("customerNo,partyType,familyName,givenName,organizationName,idType,idNumber,"
                "mobile")
        rid, uscc = staff.RESIDENT_ID, staff.USCC
        path = write(dst.tmp, "more.csv", [
            head,
            f"C000000000611,individual,张,伟,,,{rid},138 1234 5678",
            f"C000000000612,individual,张,小伟,,,{rid},",
            f"C000000000613,organization,,,广州某某科技有限公司,,{uscc},",
            f"C000000000614,organization,,,深圳某某科技有限公司,,{uscc},",
            f"C000000000615,individual,张,伟,,,{rid},13912345678",
            f"C000000000616,organization,,,{'长' * 66},,{uscc},",
            f"C000000000617,organization,,,{'长' * 67},,{uscc},",
        ])
        rc, out, err = run_cli("import", "customers", path, db=dst.db)
        assert rc == 3 and "2 customers created, 0 already present, 5 rejected" in out, \
            (out, err)
        assert party_of(dst, 611) == ids[601] and party_of(dst, 613) == ids[603]
        reasons = [r[-1] for r in read_csv(path + ".rejects.csv")[1:]]
        pid, oid = ids[601], ids[603]
        assert reasons == [
            f"line 3: 'idNumber' belongs to party '张伟' ({pid}), whose 'givenName' is '伟', "
            "not '小伟'",
            f"line 5: 'idNumber' belongs to party '某某科技' ({oid}), whose 'organizationName' "
            "is '广州某某科技有限公司', not '深圳某某科技有限公司'",
            f"line 6: 'idNumber' belongs to party '张伟' ({pid}), whose 'mobile' is "
            "'13812345678', not '13912345678'",
        ] + reasons[3:], reasons
        # a reason too long for its message ends at a whole character (the file is UTF-8)
        assert reasons[3].startswith(f"line 7: 'idNumber' belongs to party '某某科技' ({oid}), "
                                     "whose 'organizationName' is '广州某某科技有限公司', "
                                     "not '长长"), reasons[3]
        assert reasons[3].endswith("长…"), reasons[3]
        # an organization's name is its organizationName column
        assert reasons[4] == "line 8: 'organizationName' is longer than 200 bytes", reasons
    finally:
        src.stop()
        dst.stop()


def test_owner_survives_export_and_import_by_login():
    """The owner column carries the owning user's login, the same in every database: an
    import gives the customer to the user of that login, and refuses the record, naming the
    column, where there is none."""
    src, dst = prepared_server(), prepared_server()
    try:
        key = staff.make_staff(src, "gz.key", "GD-GZ", "key_account")
        o = new_party(src, ORG, {"tradingName": "某某科技", "name": "广州某某科技有限公司",
                                 "orgId": "GD-GZ"})
        assert src.post(CUST, {"customerNo": "C000000000701", "orgId": "GD-GZ",
                               "engagedParty": {"id": o["id"], "@referredType": "Organization"}},
                        auth=key).status == 201
        out_file = os.path.join(src.tmp, "owned.csv")
        assert run_cli("export", "customers", "--out", out_file, db=src.db)[0] == 0
        with open(out_file, encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        assert [r["owner"] for r in rows] == ["gz.key"], rows
        # no such user in the other database: refused, saying why
        rc, out, err = run_cli("import", "customers", out_file, db=dst.db)
        assert rc == 3 and "0 customers created, 0 already present, 1 rejected" in out, \
            (rc, out, err)
        with open(out_file + ".rejects.csv", encoding="utf-8") as f:
            reason = list(csv.DictReader(f))[0]["rejectReason"]
        assert reason == "line 2: owner: no user has the login 'gz.key'", reason
        # with the user there, the customer is theirs
        staff.make_staff(dst, "gz.key", "GD-GZ", "key_account")
        rc, out, err = run_cli("import", "customers", out_file, db=dst.db)
        assert rc == 0 and "1 customers created" in out, (out, err)
        uid = dst.get("/api/v1/users?login=gz.key").json[0]["id"]
        c = dst.get(f"{CUST}?customerNo=C000000000701").json[0]
        assert c["ownerId"] == uid, c
    finally:
        src.stop()
        dst.stop()


def test_files_with_personal_data_are_private():
    # exports and reject files are readable by their owner alone, whatever the umask, and
    # also when the file was there before (export writes over it, as it always has)
    old = os.umask(0o022)
    s = prepared_server()
    try:
        def mode(path):
            return os.stat(path).st_mode & 0o777

        out = os.path.join(s.tmp, "new.csv")
        path = write(s.tmp, "in.csv", ["customerNo,familyName,givenName",
                                       "C000000000701,王,一", "C000000000702,王,"])
        rejects = path + ".rejects.csv"
        for existing in (out + ".old", rejects):
            with open(existing, "w") as f:
                f.write("old content\n" * 100)
            os.chmod(existing, 0o644)
        rc, _, err = run_cli("import", "customers", path, db=s.db)
        assert rc == 3, err
        assert mode(rejects) == 0o600, oct(mode(rejects))
        assert read_csv(rejects)[0][0] == "customerNo"
        assert run_cli("export", "customers", "--out", out, db=s.db)[0] == 0
        assert mode(out) == 0o600, oct(mode(out))
        for fmt in ("csv", "jsonl"):
            rc, _, err = run_cli("export", "customers", "--format", fmt, "--out",
                                 out + ".old", db=s.db)
            assert rc == 0 and mode(out + ".old") == 0o600, (fmt, err,
                                                            oct(mode(out + ".old")))
            with open(out + ".old", encoding="utf-8") as f:
                text = f.read()
            assert "old content" not in text and "C000000000701" in text, text
        if os.geteuid() != 0:  # root may change any file's mode
            theirs = os.path.join(s.tmp, "theirs.csv")
            os.symlink("/dev/null", theirs)
            assert run_cli("export", "customers", "--out", theirs, db=s.db)[0] == 0
    finally:
        os.umask(old)
        s.stop()


def test_formula_cells_neutralised_and_restored():
    # a cell a spreadsheet would run as a formula (= + - @, tab, CR first) is written with
    # a ' in front, in exports and reject files; the import takes it off again, so values
    # come back as they were
    src, dst = prepared_server(), prepared_server()
    try:
        p = new_party(src, IND, {"givenName": "=HYPERLINK(\"http://x.example\",\"a\")",
                                 "familyName": "@王", "orgId": "GD-GZ",
                                 "contactMedium": [
                                     {"mediumType": "mobile",
                                      "characteristic": {"phoneNumber": "+86 139 1234 5678"}},
                                     {"mediumType": "postalAddress",
                                      "characteristic": {"street1": "-1 号", "city": "\tx",
                                                         "district": "\r\nx"}}]})
        r = src.post(CUST, {"customerNo": "C000000000801", "orgId": "GD-GZ",
                            "name": "+8613912345678", "segment": "-", "statusReason": "'=x",
                            "blacklisted": True, "blacklistReason": "=1+2",
                            "engagedParty": {"id": p["id"], "@referredType": "Individual"}})
        assert r.status == 201, r
        c = r.json
        out = os.path.join(src.tmp, "f.csv")
        assert run_cli("export", "customers", "--out", out, db=src.db)[0] == 0
        rows = read_csv(out)
        row = dict(zip(rows[0], rows[1]))
        assert row["name"] == "'+8613912345678" and row["segment"] == "'-", row
        assert row["statusReason"] == "''=x" and row["blacklistReason"] == "'=1+2", row
        assert row["givenName"] == "'=HYPERLINK(\"http://x.example\",\"a\")", row
        assert row["familyName"] == "'@王" and row["street"] == "'-1 号", row
        assert row["city"] == "'\tx" and row["district"] == "'\r\nx", row
        assert row["mobile"] == "13912345678", row
        for cell in rows[1]:
            assert not cell or cell[0] not in "=+-@\t\r", (cell, rows[1])

        rc, o, err = run_cli("import", "customers", out, db=dst.db)
        assert rc == 0 and "1 customers created" in o, (o, err)
        d = dst.get(f"{CUST}?customerNo=C000000000801").json[0]
        for k in ("name", "segment", "statusReason", "blacklistReason"):
            assert d[k] == c[k], (k, d[k], c[k])
        dp = dst.get(d["engagedParty"]["href"]).json
        assert dp["givenName"] == p["givenName"] and dp["familyName"] == "@王", dp
        media = {m["mediumType"]: m["characteristic"] for m in dp["contactMedium"]}
        assert media["postalAddress"] == p["contactMedium"][1]["characteristic"], media
        again = os.path.join(dst.tmp, "g.csv")
        assert run_cli("export", "customers", "--out", again, db=dst.db)[0] == 0
        with open(out, encoding="utf-8") as f1, open(again, encoding="utf-8") as f2:
            assert f1.read() == f2.read()

        # a reject file neutralises the same way, and the corrected file restores: also a
        # mobile number a spreadsheet user protected with a '
        path = write(dst.tmp, "bad.csv", ["customerNo,familyName,givenName,mobile,segment",
                                          "C000000000802,=cmd,x,15412345678,'-",
                                          "C000000000803,王,x,'+8613912345678,@x"])
        rc, o, err = run_cli("import", "customers", path, db=dst.db)
        assert rc == 3 and "1 customers created" in o, (o, err)
        with open(path + ".rejects.csv", encoding="utf-8") as f:
            text = f.read()
        assert text.splitlines()[1].startswith("C000000000802,'=cmd,x,15412345678,'-,"), text
        rows = read_csv(path + ".rejects.csv")
        rows[1][3] = "13812345678"
        with open(path + ".rejects.csv", "w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
        rc, o, err = run_cli("import", "customers", path + ".rejects.csv", db=dst.db)
        assert rc == 0 and "1 customers created" in o, (o, err)
        d = dst.get(f"{CUST}?customerNo=C000000000802").json[0]
        assert d["segment"] == "-" and d["name"] == "=cmdx", d
        d = dst.get(f"{CUST}?customerNo=C000000000803").json[0]
        assert d["segment"] == "@x", d
        dp = dst.get(d["engagedParty"]["href"]).json
        assert dp["contactMedium"][0]["characteristic"]["phoneNumber"] == "13912345678", dp
    finally:
        src.stop()
        dst.stop()


harness.main(globals())
